// SPDX-License-Identifier: GPL-2.0-only
/*
 * rttcreate: RTT creations (rtt_create) by level and RMI status; RTTs
 * live (created minus RTT_DESTROY and RTT_FOLD successes), their peak, and
 * both per time slot.
 */
#include "rmi_common.bpf.h"
#include "rttcreate.h"

/* the timeline: slot i covers [t0 + i * slot_ns, t0 + (i + 1) * slot_ns) */
const volatile __u64 slot_ns = 10000000;
__u64 t0;

/* non-root RTTs live, and their peak, over every CPU */
__s64 live;
__u64 peak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RTTC_LEVELS);
	__type(key, __u32);
	__type(value, struct rttc_level);
} levels SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RTTC_SLOTS);
	__type(key, __u32);
	__type(value, struct rttc_slot);
} slots SEC(".maps");

static __always_inline struct rttc_slot *slot_of(__u64 ts)
{
	__u64 i = ts > t0 ? (ts - t0) / slot_ns : 0;
	__u32 k = i < RTTC_SLOTS ? i : RTTC_SLOTS - 1;

	return bpf_map_lookup_elem(&slots, &k);
}

static __always_inline void live_add(__s64 d)
{
	__s64 now = __sync_add_and_fetch(&live, d);
	__u64 p = peak;

	/* atomic max; a few tries: only another CPU's update can fail it */
	for (int i = 0; i < 8 && now > 0 && (__u64)now > p; i++) {
		__u64 old = __sync_val_compare_and_swap(&peak, p, (__u64)now);

		if (old == p)
			break;
		p = old;
	}
}

static __always_inline void tool_event(enum rmi_event ev,
				       const struct rmi_bpf_ev *e)
{
	struct rttc_level *l;
	struct rttc_slot *s;
	__u32 level;

	switch (ev) {
	case RMI_EV_rtt_create:
		level = (__s64)e->a[1] >= 0 && e->a[1] < RTTC_LEVELS - 1 ?
			e->a[1] : RTTC_LEVELS - 1;
		l = bpf_map_lookup_elem(&levels, &level);
		if (l)
			l->status[rmi_bpf_status_bucket(e->a[2])]++;
		if (e->a[2] != RMI_SUCCESS)
			break;
		live_add(1);
		s = slot_of(e->ts);
		if (s)
			s->created++;
		break;
	case RMI_EV_rmi_call_exit:
		if ((e->a[0] != RMI_RTT_DESTROY && e->a[0] != RMI_RTT_FOLD) ||
		    e->a[1] != RMI_SUCCESS)
			break;
		live_add(-1);
		s = slot_of(e->ts);
		if (s)
			s->destroyed++;
		break;
	default:
		break;
	}
}

RMI_BPF_PROGRAMS()
