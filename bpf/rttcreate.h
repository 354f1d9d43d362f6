/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rttcreate: RTT creations by level and outcome, RTTs live over time;
 * what its BPF programs and user space share.
 */
#ifndef RMIBENCH_BPF_RTTCREATE_H
#define RMIBENCH_BPF_RTTCREATE_H

#include "rmi_bpf.h"

/* levels 0..3, then any other */
#define RTTC_LEVELS	5
/* time slots of the timeline; the last takes everything after it */
#define RTTC_SLOTS	1024

/* per level, per CPU: RTT_CREATE calls by status */
struct rttc_level {
	__u64 status[RMI_BPF_STATUS_BUCKETS];
};

/* per time slot, per CPU */
struct rttc_slot {
	__u64 created, destroyed;
};

#define RTTCREATE_EVENTS	(RMI_BPF_EV_BIT(RMI_EV_rtt_create) | \
				 RMI_BPF_EV_BIT(RMI_EV_rmi_call_exit))

#endif /* RMIBENCH_BPF_RTTCREATE_H */
