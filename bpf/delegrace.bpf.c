// SPDX-License-Identifier: GPL-2.0-only
/*
 * delegrace: delegations by outcome, delegate races, faults and races per
 * private folio (re-faults and their top offenders), and a livelock watch
 * per vCPU: the same folio faulted on again and again while no RMI call
 * anywhere succeeded, as the sim's watchdog counts it.
 */
#include "rmi_common.bpf.h"
#include "delegrace.h"

/* warn when a vCPU's no-progress re-faults of one IPA reach this */
const volatile __u64 livelock_bound = 1000;

/* RMI calls that succeeded, every CPU */
__u64 progress;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dr_total);
} total SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 20);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct dr_folio);
} folios SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct dr_vcpu);
} vcpus SEC(".maps");

static __always_inline struct dr_folio *folio(__u64 ipa, struct dr_total *t)
{
	struct dr_folio *f = bpf_map_lookup_elem(&folios, &ipa), nf = {};

	if (f)
		return f;
	/* another CPU may insert it first: either way it is there */
	bpf_map_update_elem(&folios, &ipa, &nf, BPF_NOEXIST);
	f = bpf_map_lookup_elem(&folios, &ipa);
	if (!f)
		t->untracked++;	/* the table is full */
	return f;
}

/* the sim's watchdog, at the end of each fault */
static __always_inline void livelock_watch(const struct rmi_bpf_ev *e,
					   struct dr_total *t)
{
	__u64 key = (__u64)e->tgid << 32 | (__u32)e->a[0];
	__u64 now = *(volatile __u64 *)&progress;	/* READ_ONCE */
	struct dr_vcpu *v = bpf_map_lookup_elem(&vcpus, &key), nv = {};

	if (!v) {
		nv.last_ipa = e->a[1];
		nv.progress_seen = now;
		bpf_map_update_elem(&vcpus, &key, &nv, BPF_NOEXIST);
		return;
	}
	if (v->last_ipa == e->a[1] && v->progress_seen == now) {
		v->same++;
		if (v->same > v->max_same) {
			v->max_same = v->same;
			v->stuck_ipa = e->a[1];
		}
		if (v->same == livelock_bound) {
			v->warned++;
			t->livelocks++;
		}
	} else {
		v->same = 0;
		v->last_ipa = e->a[1];
	}
	v->progress_seen = now;
}

static __always_inline void tool_event(enum rmi_event ev,
				       const struct rmi_bpf_ev *e)
{
	__u32 zero = 0;
	struct dr_total *t = bpf_map_lookup_elem(&total, &zero);
	struct dr_folio *f;

	if (!t)
		return;
	switch (ev) {
	case RMI_EV_rmi_call_exit:
		if (e->a[1] == RMI_SUCCESS)
			__sync_fetch_and_add(&progress, 1);
		break;
	case RMI_EV_realm_map_enter:
		if (!e->a[3])
			break;
		t->private_faults++;
		f = folio(e->a[1], t);
		if (f)
			__sync_fetch_and_add(&f->faults, 1);
		break;
	case RMI_EV_realm_map_exit:
		livelock_watch(e, t);
		break;
	case RMI_EV_delegate:
		t->delegations++;
		if (e->a[2] >= e->a[1])
			t->full++;
		else if (e->a[2])
			t->partial++;
		else
			t->none++;
		t->granules += e->a[2] >> RMI_GRANULE_SHIFT;
		t->status[rmi_bpf_status_bucket(e->a[3])]++;
		break;
	case RMI_EV_delegate_race:
		t->races++;
		f = folio(e->a[0], t);
		if (f)
			__sync_fetch_and_add(&f->races, 1);
		break;
	default:
		break;
	}
}

RMI_BPF_PROGRAMS()
