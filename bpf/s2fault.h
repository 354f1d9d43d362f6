/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * s2fault: realm stage-2 faults (realm mappings) by mapping size and
 * private/shared; what its BPF programs and user space share.
 */
#ifndef RMIBENCH_BPF_S2FAULT_H
#define RMIBENCH_BPF_S2FAULT_H

#include "rmi_bpf.h"

/* mapping sizes: 4 KiB, 2 MiB, 1 GiB, any other */
#define S2F_SIZES	4
/* class = size * 2 + private */
#define S2F_CLASSES	(S2F_SIZES * 2)
/* RTTs created per fault: 0 .. S2F_RTT_SLOTS - 2, then "more" */
#define S2F_RTT_SLOTS	8

/* per class, per CPU */
struct s2f_class {
	struct rmi_bpf_hist lat;	/* realm_map_enter to _exit, ns */
	__u64 errors;			/* ret < 0: an error to the guest */
};

/* every fault, per CPU */
struct s2f_total {
	struct rmi_bpf_hist calls;	/* RMI calls per fault */
	__u64 rtts[S2F_RTT_SLOTS];	/* faults by RTTs they created */
	__u64 rtts_sum;
	__u64 unpaired;			/* exits with no enter seen */
};

/* per vCPU (key: the event's vcpu), per CPU */
struct s2f_vcpu {
	__u64 faults, private, errors;	/* errors: ret < 0 */
	__u64 lat;			/* sum, ns */
};

/* a fault in flight */
struct s2f_start {
	__u64 ts;
	__u64 private;
};

#define S2FAULT_EVENTS	(RMI_BPF_EV_BIT(RMI_EV_realm_map_enter) | \
			 RMI_BPF_EV_BIT(RMI_EV_realm_map_exit))

#endif /* RMIBENCH_BPF_S2FAULT_H */
