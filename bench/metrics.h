/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the one consumer of events. The metrics sink turns the events
 * of include/rmi_events.h into the counts and distributions of a result
 * file, the same code whichever backend produced them (the sim's host
 * path directly, the BPF tools from their ring buffers).
 *
 * Events arrive per stream (a vCPU, the VMM's thread, a CPU), each stream
 * in order and from one thread at a time; streams are counted apart and
 * merged at the end, so concurrent vCPUs share no counter but the live RTT
 * count. What each count is made of: bench/README.md.
 */
#ifndef RMIBENCH_METRICS_H
#define RMIBENCH_METRICS_H

#include "result.h"
#include "rmi_sink.h"

struct metrics;

/* Which part of the run the calls belong to (rmi_calls_setup/fault/
 * teardown). Changed by the driver while no stream sends events. */
enum metrics_phase {
	METRICS_SETUP,
	METRICS_FAULT,
	METRICS_TEARDOWN,
};

/* Metrics for @nstreams streams, numbered 0 .. nstreams - 1; NULL if out
 * of memory. */
struct metrics *metrics_create(unsigned int nstreams);
void metrics_destroy(struct metrics *m);
/*
 * Every stream sends its events from one thread (the sim's det
 * scheduler): count them all in one shard instead of one per stream. The
 * result metrics_collect() makes is the same; what an event writes stays
 * in cache however many streams there are. Call before any event (and
 * after handing out sinks is fine: a sink's context is its stream). 0, or
 * -1 if out of memory (each stream then keeps its own shard).
 */
int metrics_one_shard(struct metrics *m);

/* The sink of stream @stream (ops NULL if out of range). */
struct rmi_sink metrics_sink(struct metrics *m, unsigned int stream);
/* The same as a sink provider (host_init's sink_for). */
struct rmi_sink metrics_sink_for(void *m, unsigned int stream);

void metrics_phase(struct metrics *m, enum metrics_phase p);

/*
 * Add what the events said to @r: the event-derived counts of r->counts
 * (faults, re-faults, RMI calls by command, status and phase, RTTs
 * created, destroyed, peak and live at teardown, delegations, races,
 * partial delegations, injections, errors to the guest) and the three
 * distributions. Counts the backend reports itself are left alone.
 */
void metrics_collect(struct metrics *m, struct run_result *r);

#endif /* RMIBENCH_METRICS_H */
