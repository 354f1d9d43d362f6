// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmistat: RMI calls per command by status, and their latency (enter to
 * exit on one thread) as log2 histograms; the sums a calibration file is
 * fitted from; realm mappings and the RMI time inside them.
 */
#include "rmi_common.bpf.h"
#include "rmistat.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RMISTAT_NCMD);
	__type(key, __u32);
	__type(value, struct rmistat_cmd);
} cmds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rmistat_fault);
} faults SEC(".maps");

/* tid -> the RMI call it is in */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct rmistat_start);
} starts SEC(".maps");

/* tid -> realm mappings open on it */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u32);
} depth SEC(".maps");

/* (tgid, vCPU) or, outside vCPU context, the thread -> mapping start */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} fstart SEC(".maps");

/* granules a successful call worked on, as the sim's cost model counts */
static __always_inline __u64 granules(__u64 fid, const struct rmistat_start *s,
				      __u64 x1_out)
{
	__u64 in;

	switch (fid) {
	case RMI_GRANULE_RANGE_DELEGATE:
	case RMI_GRANULE_RANGE_UNDELEGATE:
		in = s->x1;
		break;
	case RMI_RTT_DATA_MAP:
	case RMI_RTT_DATA_UNMAP:
	case RMI_RTT_UNPROT_MAP:
	case RMI_RTT_UNPROT_UNMAP:
		in = s->x2;
		break;
	default:
		return 0;
	}
	return x1_out > in ? (x1_out - in) >> RMI_GRANULE_SHIFT : 0;
}

static __always_inline void call_exit(const struct rmi_bpf_ev *e)
{
	__u32 ci = rmi_bpf_cmd(e->a[0]), tid = e->tid;
	struct rmistat_start *s;
	struct rmistat_cmd *c;
	__u32 *d;
	bool in_fault;
	__u64 g = 0;

	c = bpf_map_lookup_elem(&cmds, &ci);
	if (!c)
		return;
	c->status[rmi_bpf_status_bucket(e->a[1])]++;
	d = bpf_map_lookup_elem(&depth, &tid);
	in_fault = d && *d;
	s = bpf_map_lookup_elem(&starts, &tid);
	if (s && s->fid == e->a[0]) {
		__u64 lat = e->ts - s->ts;

		if (e->a[1] == RMI_SUCCESS)
			g = granules(e->a[0], s, e->a[3]);
		rmi_bpf_hist_add(&c->lat, lat);
		c->sum_g += g;
		c->sum_gg += g * g;
		c->sum_gl += g * lat;
		if (in_fault)
			c->in_fault_lat += lat;
		bpf_map_delete_elem(&starts, &tid);
	} else {
		c->unpaired++;
	}
	if (in_fault) {
		c->in_fault++;
		c->in_fault_gran += g;
	}
}

static __always_inline void tool_event(enum rmi_event ev,
				       const struct rmi_bpf_ev *e)
{
	struct rmistat_start s;
	__u32 tid = e->tid, one = 1, zero = 0, *d;
	__u64 key, *ts;
	struct rmistat_fault *f;

	switch (ev) {
	case RMI_EV_rmi_call_enter:
		s.ts = e->ts;
		s.fid = e->a[0];
		s.x1 = e->a[1];
		s.x2 = e->a[2];
		bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
		break;
	case RMI_EV_rmi_call_exit:
		call_exit(e);
		break;
	case RMI_EV_realm_map_enter:
		d = bpf_map_lookup_elem(&depth, &tid);
		if (d)
			(*d)++;
		else
			bpf_map_update_elem(&depth, &tid, &one, BPF_ANY);
		key = rmi_bpf_fault_key(e);
		bpf_map_update_elem(&fstart, &key, &e->ts, BPF_ANY);
		break;
	case RMI_EV_realm_map_exit:
		d = bpf_map_lookup_elem(&depth, &tid);
		if (d && *d)
			(*d)--;
		key = rmi_bpf_fault_key(e);
		ts = bpf_map_lookup_elem(&fstart, &key);
		f = bpf_map_lookup_elem(&faults, &zero);
		if (ts && f) {
			f->faults++;
			f->lat += e->ts - *ts;
		}
		if (ts)
			bpf_map_delete_elem(&fstart, &key);
		break;
	default:
		break;
	}
}

RMI_BPF_PROGRAMS()
