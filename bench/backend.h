/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: a backend runs a configuration and sends its events to a
 * metrics sink; what events cannot tell (the leak audit, model memory,
 * mapped bytes by level, WARNs, the outcome) it reports itself into the
 * result. The sim is one backend; a real CCA host (kernel/ series, bpf/
 * tools) is another. metadata.backend names the one that ran.
 */
#ifndef RMIBENCH_BACKEND_H
#define RMIBENCH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "inject.h"
#include "metrics.h"
#include "result.h"

struct backend {
	const char *name;
	/* Whether @cfg can run here: 0, or -1 with one line in @err. */
	int (*prepare)(const struct run_config *cfg, char *err,
		       size_t errlen);
	/*
	 * Run @cfg with @nrules injection rules: events into @m, the
	 * backend's own report into @r (counts the events cannot make,
	 * outcome, timings). 0, or -1 with one line in @err when the run
	 * could not be made (a realm that died is a run that was made).
	 */
	int (*run)(const struct run_config *cfg, const struct inj_rule *rules,
		   unsigned int nrules, struct metrics *m,
		   struct run_result *r, char *err, size_t errlen);
	/* Event streams the run needs (vCPUs, the VMM's thread, CPUs). */
	unsigned int (*streams)(const struct run_config *cfg);
};

extern const struct backend backend_sim;

struct sched_chooser;
/*
 * Who decides every vCPU switch of the sim's next runs (sim/host/host.h:
 * the explorer, or a schedule's replay); NULL: the det scheduler. A run
 * the chooser stops is neither run on nor torn down: its result holds
 * what happened until then and the outcome "stopped".
 */
void backend_sim_set_chooser(const struct sched_chooser *c);

/*
 * The kernel backend (bench/backend_kernel.c): a KVM host with the
 * rmibench kernel series (kernel/README.md), through the VMM of
 * guests/vmm. It checks what the host has, validates and writes the knobs
 * (kvm.rtt_strategy, /sys/kernel/debug/fail_rmi, the kvm_rmi events),
 * runs the VMM, reads its report (and, for a realm, the kvm_rmi trace
 * into the metrics sink), and restores every knob it changed, also on
 * SIGINT, SIGTERM and SIGHUP.
 */
extern const struct backend backend_kernel;

struct kernel_opts {
	const char *root;	/* prefix of every /sys and /dev path ("") */
	bool dry_run;		/* print every command and write, do none */
	const char *vmm;	/* the VMM binary */
	const char *guest;	/* the bare-metal guest image */
	const char *report;	/* a VMM report (e.g. a console log) to
				 * assemble the result from: no VMM is run,
				 * no knob touched */
	unsigned int timeout_s;	/* the VMM's --timeout */
};

/* Options of the kernel backend's next runs; NULL restores the defaults
 * (root "", VMM and image next to the rmibench binary). */
void backend_kernel_set_opts(const struct kernel_opts *o);

/* A backend by name; NULL if there is none. */
const struct backend *backend_find(const char *name);

#endif /* RMIBENCH_BACKEND_H */
