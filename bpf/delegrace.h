/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * delegrace: delegate races, re-faults per IPA, livelocks, partial
 * delegations; what its BPF programs and user space share.
 */
#ifndef RMIBENCH_BPF_DELEGRACE_H
#define RMIBENCH_BPF_DELEGRACE_H

#include "rmi_bpf.h"

/* per CPU: delegations and races */
struct dr_total {
	__u64 delegations;		/* delegate events */
	__u64 full, partial, none;	/* done == size, 0 < done < size, 0 */
	__u64 granules;			/* delegated, sum of done */
	__u64 status[RMI_BPF_STATUS_BUCKETS];
	__u64 races;			/* delegate_race events */
	__u64 private_faults;
	__u64 untracked;		/* faults the folio table had no room for */
	__u64 livelocks;		/* episodes that passed the bound */
};

/* per private folio (key: realm_map_enter's IPA), shared by all CPUs */
struct dr_folio {
	__u64 faults;
	__u64 races;
};

/* per (tgid, vCPU): the livelock watch, as the sim's */
struct dr_vcpu {
	__u64 last_ipa;
	__u64 progress_seen;	/* RMI successes when its last fault ended */
	__u64 same;		/* faults on last_ipa since, none progressing */
	__u64 max_same;		/* the longest such run */
	__u64 stuck_ipa;	/* its IPA */
	__u64 warned;		/* episodes that passed the bound */
};

#define DELEGRACE_EVENTS	(RMI_BPF_EV_BIT(RMI_EV_realm_map_enter) | \
				 RMI_BPF_EV_BIT(RMI_EV_realm_map_exit) | \
				 RMI_BPF_EV_BIT(RMI_EV_delegate) | \
				 RMI_BPF_EV_BIT(RMI_EV_delegate_race) | \
				 RMI_BPF_EV_BIT(RMI_EV_rmi_call_exit))
/* in order through the ring buffer: partial delegations (the metrics) */
#define DELEGRACE_RECORD	(RMI_BPF_EV_BIT(RMI_EV_realm_map_enter) | \
				 RMI_BPF_EV_BIT(RMI_EV_realm_map_exit) | \
				 RMI_BPF_EV_BIT(RMI_EV_delegate) | \
				 RMI_BPF_EV_BIT(RMI_EV_delegate_race))

#endif /* RMIBENCH_BPF_DELEGRACE_H */
