/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the event sink, the one way measurements leave a backend.
 *
 * A producer (the sim's host path; the BPF tools reading kvm_rmi trace
 * events or the sim's USDT probes) calls one function per event of the
 * schema in include/rmi_events.h, with the schema's arguments in its
 * order, each widened to 64 bits as USDT arguments and BPF records are.
 * A consumer (bench/metrics.c turns events into counts and
 * distributions) fills in the functions it needs; the others stay NULL.
 *
 * Every call also carries a header: which stream the event belongs to
 * (events of one stream arrive in order: a vCPU thread, a CPU) and its
 * time stamps. wall_ns is a monotonic clock where the producer has one
 * for that event (the sim stamps the realm_map events only, of 1 fault
 * in timing.fault_clock.every; the kernel every event), else 0; a
 * consumer takes a latency only from two stamped events. model_ns is the
 * sim's modelled (virtual) time of the stream, 0 on a real host.
 */
#ifndef RMIBENCH_RMI_SINK_H
#define RMIBENCH_RMI_SINK_H

#include <stdint.h>

#include "rmi_events.h"

struct rmi_ev_hdr {
	uint64_t wall_ns;
	uint64_t model_ns;
	uint32_t stream;
};

/* every argument is passed as a uint64_t, sign-extended where signed */
#define RMI_SINK_PARAM_(type, name)	, uint64_t name
#define RMI_SINK_FN_(name, fields) \
	void (*name)(void *ctx, const struct rmi_ev_hdr *h fields(RMI_SINK_PARAM_));

struct rmi_sink_ops {
	RMI_EVENTS(RMI_SINK_FN_)
};

#undef RMI_SINK_FN_

/* One stream's sink: the consumer's functions and its context. */
struct rmi_sink {
	const struct rmi_sink_ops *ops;
	void *ctx;
};

#endif /* RMIBENCH_RMI_SINK_H */
