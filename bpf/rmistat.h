/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmistat: RMI calls per command, by status, with log2 latency
 * histograms; what its BPF programs and user space share.
 */
#ifndef RMIBENCH_BPF_RMISTAT_H
#define RMIBENCH_BPF_RMISTAT_H

#include "rmi_bpf.h"

/* [RMI_CMD_COUNT]: function ids that are no RMI command */
#define RMISTAT_NCMD	(RMI_CMD_COUNT + 1)

/* per command, per CPU */
struct rmistat_cmd {
	__u64 status[RMI_BPF_STATUS_BUCKETS];	/* calls by status */
	struct rmi_bpf_hist lat;	/* enter to exit on one thread, ns */
	__u64 unpaired;			/* exits with no enter before them */
	__u64 in_fault;			/* calls inside a realm mapping */
	__u64 in_fault_gran;		/* granules those did */
	__u64 in_fault_lat;		/* their latency (paired), ns */
	/* for latency = fixed + per granule * granules (paired calls) */
	__u64 sum_g, sum_gg, sum_gl;
};

/* realm mappings (realm_map_enter to _exit of one vCPU), per CPU */
struct rmistat_fault {
	__u64 faults;
	__u64 lat;			/* their latency, ns */
};

/* an RMI call in flight on a thread */
struct rmistat_start {
	__u64 ts;
	__u64 fid, x1, x2;
};

#define RMISTAT_EVENTS	(RMI_BPF_EV_BIT(RMI_EV_rmi_call_enter) | \
			 RMI_BPF_EV_BIT(RMI_EV_rmi_call_exit) | \
			 RMI_BPF_EV_BIT(RMI_EV_realm_map_enter) | \
			 RMI_BPF_EV_BIT(RMI_EV_realm_map_exit))

#endif /* RMIBENCH_BPF_RMISTAT_H */
