/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench BPF tools: the BPF half every tool shares.
 *
 * A tool's .bpf.c includes this, defines its maps and
 *
 *	static __always_inline void tool_event(enum rmi_event ev,
 *					       const struct rmi_bpf_ev *e);
 *
 * and ends with RMI_BPF_PROGRAMS(). That makes two programs per event of
 * include/rmi_events.h: kt_NAME, SEC("raw_tp/NAME"), for the kernel's
 * kvm_rmi:NAME trace event (the raw tracepoint's arguments are those of
 * TP_PROTO, zero-extended to 64 bits, so each is narrowed to its schema
 * type and widened again: signed ones sign-extended), and us_NAME,
 * SEC("usdt"), for the sim's probe rmibench:NAME (arguments already 64
 * bits). User space loads the set its backend and options need (tool.c).
 */
#ifndef RMIBENCH_BPF_RMI_COMMON_BPF_H
#define RMIBENCH_BPF_RMI_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

#include "rmi_bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* set by user space before load */
const volatile __u32 targ_tgid = 0;	/* 0: every process */
const volatile __u32 record_mask = 0;	/* events sent to the ring buffer */
/* tests: time and thread ids from rmi_test_now/tid/tgid, not the clock */
const volatile bool rmi_test = false;

__u64 rmi_test_now;
__u32 rmi_test_tid;
__u32 rmi_test_tgid;

/* records waiting before the reader is woken */
#define RMI_BPF_RB_BATCH	(256 << 10)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RMI_BPF_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} evstats SEC(".maps");

/* An event as the tool sees it. */
struct rmi_bpf_ev {
	__u64 a[RMI_BPF_MAX_ARGS];
	__u64 ts;
	__u64 sp;
	__u32 tid;
	__u32 tgid;
};

/* RMI function id -> enum rmi_cmd + 1, by short id; 0: not a command */
#define RMI_BPF_SHORT_(name, id)	[(id) - RMI_SHORT_MIN] = RMI_CMD_##name + 1,
static const __u8 rmi_bpf_cmd_of_short[RMI_SHORT_MAX - RMI_SHORT_MIN + 1] = {
	RMI_COMMANDS(RMI_BPF_SHORT_)
};
#undef RMI_BPF_SHORT_

/* enum rmi_cmd of @fid, RMI_CMD_COUNT if it is none */
static __always_inline __u32 rmi_bpf_cmd(__u64 fid)
{
	__u32 s = fid & 0x3ff;

	if ((fid & ~0x3ffull) != RMI_FID_BASE || s < RMI_SHORT_MIN ||
	    s > RMI_SHORT_MAX || !rmi_bpf_cmd_of_short[s - RMI_SHORT_MIN])
		return RMI_CMD_COUNT;
	return rmi_bpf_cmd_of_short[s - RMI_SHORT_MIN] - 1;
}

static __always_inline __u32 rmi_bpf_status_bucket(__u64 status)
{
	return status > RMI_ERROR_GRANULE ? RMI_BPF_STATUS_OTHER : status;
}

/*
 * The key of a realm mapping in flight, from its realm_map_enter or
 * realm_map_exit event (argument 0: the vCPU): (tgid, vCPU), or outside
 * vCPU context the thread.
 */
static __always_inline __u64 rmi_bpf_fault_key(const struct rmi_bpf_ev *e)
{
	__u32 vcpu = e->a[0];

	if (vcpu == RMI_BPF_NO_VCPU)
		return 1ull << 63 | e->tid;
	return (__u64)e->tgid << 32 | vcpu;
}

/* floor(log2(v)), 0 for 0 and 1, at most the last slot */
static __always_inline __u32 rmi_bpf_log2(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xffffffffull) << 5; v >>= s; r |= s;
	s = (v > 0xffff) << 4; v >>= s; r |= s;
	s = (v > 0xff) << 3; v >>= s; r |= s;
	s = (v > 0xf) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	r |= (v >> 1);
	return r < RMI_BPF_HIST_SLOTS ? r : RMI_BPF_HIST_SLOTS - 1;
}

/* one sample into a per-CPU histogram */
static __always_inline void rmi_bpf_hist_add(struct rmi_bpf_hist *h, __u64 v)
{
	__u32 s = rmi_bpf_log2(v);

	if (s < RMI_BPF_HIST_SLOTS)
		h->slot[s]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

static __always_inline void rmi_bpf_stat(__u32 i)
{
	__u64 *n = bpf_map_lookup_elem(&evstats, &i);

	if (n)
		(*n)++;
}

/*
 * Wake the reader once per RMI_BPF_RB_BATCH bytes waiting: when this
 * record took what waits across a multiple of it. A wakeup per record
 * costs microseconds; the reader also drains the ring every 10 ms, so a
 * crossing missed between CPUs only delays it.
 */
static __always_inline bool rmi_bpf_wake(void)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	return avail >= RMI_BPF_RB_BATCH &&
	       avail % RMI_BPF_RB_BATCH < sizeof(struct rmi_rec) + 8;
}

static __always_inline void rmi_bpf_record(enum rmi_event ev,
					   const struct rmi_bpf_ev *e,
					   __u32 nargs)
{
	struct rmi_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);

	if (!r) {
		rmi_bpf_stat(RMI_BPF_STAT_DROPPED);
		return;
	}
	r->ts = e->ts;
	r->sp = e->sp;
	r->tid = e->tid;
	r->tgid = e->tgid;
	r->ev = ev;
	r->nargs = nargs;
	for (int i = 0; i < RMI_BPF_MAX_ARGS; i++)
		r->arg[i] = e->a[i];
	bpf_ringbuf_submit(r, rmi_bpf_wake() ? BPF_RB_FORCE_WAKEUP :
					       BPF_RB_NO_WAKEUP);
}

/* who and when; false if the event is not of the traced process */
static __always_inline bool rmi_bpf_begin(struct rmi_bpf_ev *e)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->tgid = id >> 32;
	e->tid = (__u32)id;
	e->ts = bpf_ktime_get_ns();
	if (rmi_test) {
		e->tgid = rmi_test_tgid;
		e->tid = rmi_test_tid;
		e->ts = rmi_test_now;
	}
	return !targ_tgid || e->tgid == targ_tgid;
}

static __always_inline void tool_event(enum rmi_event ev,
				       const struct rmi_bpf_ev *e);

static __always_inline int rmi_bpf_event(enum rmi_event ev,
					 struct rmi_bpf_ev *e, __u32 nargs)
{
	rmi_bpf_stat(ev);
	tool_event(ev, e);
	if (record_mask & RMI_BPF_EV_BIT(ev))
		rmi_bpf_record(ev, e, nargs);
	return 0;
}

/* raw tracepoint argument n, as its TP_PROTO type, widened to 64 bits */
#define RMI_BPF_KARG_(type, name)				\
	e.a[n] = (__u64)(__s64)(type)ctx[n];			\
	n++;
/* USDT argument n (the sim widens every argument to 64 bits) */
#define RMI_BPF_UARG_(type, name)				\
	{							\
		long v_ = 0;					\
								\
		bpf_usdt_arg(ctx, n, &v_);			\
		e.a[n] = (__u64)v_;				\
		n++;						\
	}

#define RMI_BPF_PROGS_(ev, fields)					\
SEC("raw_tp/" #ev)							\
int kt_##ev(__u64 *ctx)							\
{									\
	struct rmi_bpf_ev e = {};					\
	__u32 n = 0;							\
									\
	if (!rmi_bpf_begin(&e))						\
		return 0;						\
	fields(RMI_BPF_KARG_)						\
	return rmi_bpf_event(RMI_EV_##ev, &e, n);			\
}									\
									\
SEC("usdt")								\
int us_##ev(struct pt_regs *ctx)					\
{									\
	struct rmi_bpf_ev e = {};					\
	__u32 n = 0;							\
									\
	if (!rmi_bpf_begin(&e))						\
		return 0;						\
	e.sp = PT_REGS_SP(ctx);						\
	fields(RMI_BPF_UARG_)						\
	return rmi_bpf_event(RMI_EV_##ev, &e, n);			\
}

/* the two programs of every event, calling the tool's tool_event() */
#define RMI_BPF_PROGRAMS()	RMI_EVENTS(RMI_BPF_PROGS_)

#endif /* RMIBENCH_BPF_RMI_COMMON_BPF_H */
