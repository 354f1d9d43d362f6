// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2fault: realm stage-2 fault latency (realm_map_enter to _exit of one
 * vCPU) by mapping size and private/shared; RMI calls and RTTs per fault;
 * faults per vCPU; errors returned to the guest (a negative errno fails
 * KVM_RUN; a positive RMI status re-enters the guest, which faults again).
 */
#include "rmi_common.bpf.h"
#include "s2fault.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, S2F_CLASSES);
	__type(key, __u32);
	__type(value, struct s2f_class);
} classes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct s2f_total);
} total SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct s2f_vcpu);
} vcpus SEC(".maps");

/* ret (not 0) -> faults that returned it */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __s32);
	__type(value, __u64);
} errors SEC(".maps");

/* (tgid, vCPU) or, outside vCPU context, the thread -> fault start */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct s2f_start);
} starts SEC(".maps");

static __always_inline __u32 size_index(__u64 size)
{
	switch (size) {
	case 1ull << 12:
		return 0;
	case 1ull << 21:
		return 1;
	case 1ull << 30:
		return 2;
	default:
		return 3;
	}
}

static __always_inline void map_exit(const struct rmi_bpf_ev *e)
{
	__u64 key = rmi_bpf_fault_key(e), zero64 = 0, lat = 0;
	__u32 zero = 0, vcpu = e->a[0], ci, rtts = e->a[5];
	__s32 ret = (__s32)e->a[3];
	struct s2f_start *s = bpf_map_lookup_elem(&starts, &key);
	struct s2f_total *t = bpf_map_lookup_elem(&total, &zero);
	struct s2f_vcpu *v, nv = {};
	struct s2f_class *c;
	__u64 *n, private;

	if (!t)
		return;
	if (!s) {
		t->unpaired++;
		return;
	}
	lat = e->ts - s->ts;
	private = s->private;
	bpf_map_delete_elem(&starts, &key);

	ci = size_index(e->a[2]) * 2 + (private ? 1 : 0);
	c = bpf_map_lookup_elem(&classes, &ci);
	if (c) {
		rmi_bpf_hist_add(&c->lat, lat);
		if (ret < 0)
			c->errors++;
	}
	rmi_bpf_hist_add(&t->calls, e->a[4]);
	t->rtts_sum += rtts;
	if (rtts > S2F_RTT_SLOTS - 1)
		rtts = S2F_RTT_SLOTS - 1;
	t->rtts[rtts & (S2F_RTT_SLOTS - 1)]++;

	v = bpf_map_lookup_elem(&vcpus, &vcpu);
	if (!v) {
		bpf_map_update_elem(&vcpus, &vcpu, &nv, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&vcpus, &vcpu);
	}
	if (v) {
		v->faults++;
		v->private += private ? 1 : 0;
		v->errors += ret < 0 ? 1 : 0;
		v->lat += lat;
	}
	if (ret) {
		n = bpf_map_lookup_elem(&errors, &ret);
		if (!n) {
			bpf_map_update_elem(&errors, &ret, &zero64,
					    BPF_NOEXIST);
			n = bpf_map_lookup_elem(&errors, &ret);
		}
		if (n)
			(*n)++;
	}
}

static __always_inline void tool_event(enum rmi_event ev,
				       const struct rmi_bpf_ev *e)
{
	struct s2f_start s;
	__u64 key;

	switch (ev) {
	case RMI_EV_realm_map_enter:
		key = rmi_bpf_fault_key(e);
		s.ts = e->ts;
		s.private = e->a[3];
		bpf_map_update_elem(&starts, &key, &s, BPF_ANY);
		break;
	case RMI_EV_realm_map_exit:
		map_exit(e);
		break;
	default:
		break;
	}
}

RMI_BPF_PROGRAMS()
