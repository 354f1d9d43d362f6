/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench BPF tools: what the BPF programs and their user-space halves
 * share. Builds as BPF C (after vmlinux.h) and as user-space C11.
 *
 * Every program of every tool reads one event of include/rmi_events.h,
 * either as a kvm_rmi raw tracepoint (kernel) or as a USDT probe of
 * provider "rmibench" (the sim), and hands the same widened arguments to
 * the tool. Events a tool needs in order (the metrics of a result file,
 * delegrace's partial delegations) go to the ring buffer as struct
 * rmi_rec; the rest is aggregated in the tool's maps.
 */
#ifndef RMIBENCH_BPF_RMI_BPF_H
#define RMIBENCH_BPF_RMI_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "rmi_abi.h"
#include "rmi_events.h"

/* the most arguments an event of the schema has */
#define RMI_BPF_MAX_ARGS	6

/* log2 buckets, as struct hist of a result file (bench/result.h) */
#define RMI_BPF_HIST_SLOTS	48

/* statuses: one bucket each up to ERROR_GRANULE, the rest share one */
#define RMI_BPF_STATUS_BUCKETS	(RMI_ERROR_GRANULE + 2)
#define RMI_BPF_STATUS_OTHER	(RMI_ERROR_GRANULE + 1)

/* evstats: events seen [0, RMI_EV_COUNT), then ring-buffer drops */
#define RMI_BPF_STAT_DROPPED	RMI_EV_COUNT
#define RMI_BPF_NSTATS		(RMI_EV_COUNT + 1)

#define RMI_BPF_EV_BIT(ev)	(1u << (ev))
#define RMI_BPF_ALL_EVENTS	((1u << RMI_EV_COUNT) - 1)
/* what bench/metrics.c consumes: every event but rmi_call_enter */
#define RMI_BPF_METRICS_EVENTS	(RMI_BPF_ALL_EVENTS & \
				 ~RMI_BPF_EV_BIT(RMI_EV_rmi_call_enter))

/* vCPU of an event outside vCPU context (the kernel's U32_MAX) */
#define RMI_BPF_NO_VCPU		0xffffffffu

/* One event in the ring buffer. */
struct rmi_rec {
	__u64 ts;		/* CLOCK_MONOTONIC ns (bpf_ktime_get_ns) */
	__u64 sp;		/* user stack pointer at a USDT probe, else 0 */
	__u32 tid;
	__u32 tgid;
	__u32 ev;		/* enum rmi_event */
	__u32 nargs;
	__u64 arg[RMI_BPF_MAX_ARGS];	/* the schema's, widened */
};

/* A log2 histogram; per CPU in the maps, merged in user space. */
struct rmi_bpf_hist {
	__u64 count, sum, min, max;
	__u64 slot[RMI_BPF_HIST_SLOTS];
};

#endif /* RMIBENCH_BPF_RMI_BPF_H */
