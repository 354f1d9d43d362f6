// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel side of the BPF tools: every tool's kvm_rmi raw tracepoint
 * programs (kt_*), loaded by the real verifier and driven with
 * BPF_PROG_TEST_RUN through a scripted sequence of synthetic events (the
 * arguments as the raw tracepoint passes them: each TP_PROTO argument
 * zero-extended to 64 bits), with the time and thread ids scripted too.
 * Afterwards the maps hold exactly the expected counts and histogram
 * buckets. This kernel has no kvm_rmi events; loading and test runs do
 * not need them.
 *
 * Also the feed (bpf/tool.c) on its own: which vCPU an event without a
 * vCPU argument belongs to, and which phase an RMI call is in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"

#include "bpf_test.h"
#include "delegrace.h"
#include "delegrace.skel.h"
#include "rmistat.h"
#include "rmistat.skel.h"
#include "rttcreate.h"
#include "rttcreate.skel.h"
#include "s2fault.h"
#include "s2fault.skel.h"
#include "tool.h"

/* a TP_PROTO argument as the raw tracepoint passes it */
#define U32(v)	((__u64)(__u32)(v))
#define I32(v)	((__u64)(__u32)(__s32)(v))

#define SZ_4K	0x1000ull
#define SZ_2M	0x200000ull
#define SZ_1M	0x100000ull

static struct tool tool_for_reads(void)
{
	struct tool t = { .name = "test" };

	t.ncpus = libbpf_num_possible_cpus();
	return t;
}

/* load the kt_* programs only, in test mode (scripted time and ids) */
static void kernel_only(struct bpf_object *obj)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, !strncmp(bpf_program__name(p),
						      "kt_", 3));
}

/* one event through kt_EV: 0, or the test run's error */
static int fire(struct bpf_object *obj, const char *ev, const __u64 *args,
		size_t n)
{
	char name[64];
	struct bpf_program *p;
	int err;

	snprintf(name, sizeof(name), "kt_%s", ev);
	p = bpf_object__find_program_by_name(obj, name);
	if (!p)
		return -1;
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args,
		    .ctx_size_in = (__u32)(n * sizeof(__u64)));
	err = bpf_prog_test_run_opts(bpf_program__fd(p), &o);
	return err ? err : (int)o.retval;
}

#define FIRE(obj, ev, ...)						\
	ASSERT_EQ(0, fire(obj, #ev, (const __u64[]){ __VA_ARGS__ },	\
			  sizeof((const __u64[]){ __VA_ARGS__ }) /	\
			  sizeof(__u64)))

/* the scripted clock and thread of the next events */
#define AT(skel, t, thread)						\
	do {								\
		(skel)->bss->rmi_test_now = (t);			\
		(skel)->bss->rmi_test_tid = (thread);			\
		(skel)->bss->rmi_test_tgid = 100;			\
	} while (0)

/* skeleton NAME opened in test mode (scripted time and ids) into @s */
#define OPEN_TEST(s, NAME)						\
	do {								\
		(s) = NAME##_bpf__open();				\
		ASSERT_NE(NULL, (s));					\
		(s)->rodata->rmi_test = true;				\
	} while (0)

/* its kt_* programs loaded, no other */
#define LOAD_KT(s, NAME)						\
	do {								\
		kernel_only((s)->obj);					\
		ASSERT_EQ(0, NAME##_bpf__load(s));			\
	} while (0)

static uint64_t evstat(struct tool *t, struct bpf_map *m, uint32_t ev)
{
	return tool_percpu_u64(t, m, &ev);
}

/* ---- rmistat ------------------------------------------------------------ */

static void read_cmd(struct tool *t, struct rmistat_bpf *s, uint32_t ci,
		     struct rmistat_cmd *c, struct hist *lat)
{
	const void *pc = tool_percpu_lookup(t, s->maps.cmds, &ci, sizeof(*c));

	memset(c, 0, sizeof(*c));
	memset(lat, 0, sizeof(*lat));
	if (!pc)
		return;
	tool_percpu_sum(t, pc, sizeof(*c), c);
	tool_percpu_hist(t, pc, sizeof(*c), offsetof(struct rmistat_cmd, lat),
			 lat);
}

TEST(rmistat_kernel_programs)
{
	const char *why = bpf_skip_reason();
	struct tool t = tool_for_reads();
	struct rmistat_bpf *s;
	struct rmistat_cmd c;
	struct rmistat_fault f;
	struct hist lat;
	uint32_t zero = 0;
	const void *pc;

	if (why)
		SKIP(return, "%s", why);
	OPEN_TEST(s, rmistat);
	LOAD_KT(s, rmistat);

	/* a delegation outside any fault: 600 ns, one granule */
	AT(s, 1000, 7);
	FIRE(s->obj, rmi_call_enter, U32(RMI_GRANULE_RANGE_DELEGATE),
	     0x80000000, 0x80001000, 0);
	AT(s, 1600, 7);
	FIRE(s->obj, rmi_call_exit, U32(RMI_GRANULE_RANGE_DELEGATE),
	     U32(RMI_SUCCESS), U32(0), 0x80001000);
	/* a fault of vCPU 0 on thread 7: DATA_MAP fails, RTT_CREATE, map */
	AT(s, 2000, 7);
	FIRE(s->obj, realm_map_enter, U32(0), 0x40000000, SZ_4K, 1);
	AT(s, 2100, 7);
	FIRE(s->obj, rmi_call_enter, U32(RMI_RTT_DATA_MAP), 0x1000,
	     0x40000000, 0x40001000);
	AT(s, 2150, 7);
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_DATA_MAP), U32(RMI_ERROR_RTT),
	     U32(2), 0);
	AT(s, 2200, 7);
	FIRE(s->obj, rmi_call_enter, U32(RMI_RTT_CREATE), 0x1000, 0x90000000,
	     0x40000000);
	AT(s, 4300, 7);
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_CREATE), U32(RMI_SUCCESS),
	     U32(0), 0);
	AT(s, 4400, 7);
	FIRE(s->obj, rmi_call_enter, U32(RMI_RTT_DATA_MAP), 0x1000,
	     0x40000000, 0x40001000);
	AT(s, 4700, 7);
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_DATA_MAP), U32(RMI_SUCCESS),
	     U32(0), 0x40001000);
	AT(s, 5000, 7);
	FIRE(s->obj, realm_map_exit, U32(0), 0x40000000, SZ_4K, I32(0), U32(3),
	     U32(1));
	/* an exit with no enter on its thread; a function id of no command */
	AT(s, 6000, 8);
	FIRE(s->obj, rmi_call_exit, U32(RMI_REALM_DESTROY), U32(RMI_SUCCESS),
	     U32(0), 0);
	FIRE(s->obj, rmi_call_enter, U32(0xC4000999), 0, 0, 0);
	AT(s, 6010, 8);
	FIRE(s->obj, rmi_call_exit, U32(0xC4000999), U32(RMI_ERROR_INPUT),
	     U32(0), 0);

	read_cmd(&t, s, RMI_CMD_GRANULE_RANGE_DELEGATE, &c, &lat);
	EXPECT_EQ(1, c.status[RMI_SUCCESS]);
	EXPECT_EQ(1, lat.count);
	EXPECT_EQ(600, lat.sum);
	EXPECT_EQ(1, lat.bucket[9]);		/* 512 .. 1023 */
	EXPECT_EQ(0, c.in_fault);
	EXPECT_EQ(1, c.sum_g);
	EXPECT_EQ(1, c.sum_gg);
	EXPECT_EQ(600, c.sum_gl);

	read_cmd(&t, s, RMI_CMD_RTT_DATA_MAP, &c, &lat);
	EXPECT_EQ(1, c.status[RMI_SUCCESS]);
	EXPECT_EQ(1, c.status[RMI_ERROR_RTT]);
	EXPECT_EQ(2, lat.count);
	EXPECT_EQ(350, lat.sum);
	EXPECT_EQ(50, lat.min);
	EXPECT_EQ(300, lat.max);
	EXPECT_EQ(1, lat.bucket[5]);		/* 32 .. 63 */
	EXPECT_EQ(1, lat.bucket[8]);		/* 256 .. 511 */
	EXPECT_EQ(2, c.in_fault);
	EXPECT_EQ(1, c.in_fault_gran);
	EXPECT_EQ(350, c.in_fault_lat);
	EXPECT_EQ(1, c.sum_g);
	EXPECT_EQ(300, c.sum_gl);
	EXPECT_EQ(0, c.unpaired);

	read_cmd(&t, s, RMI_CMD_RTT_CREATE, &c, &lat);
	EXPECT_EQ(1, c.status[RMI_SUCCESS]);
	EXPECT_EQ(1, lat.bucket[11]);		/* 2048 .. 4095 */
	EXPECT_EQ(1, c.in_fault);
	EXPECT_EQ(2100, c.in_fault_lat);
	EXPECT_EQ(0, c.sum_g);

	read_cmd(&t, s, RMI_CMD_REALM_DESTROY, &c, &lat);
	EXPECT_EQ(1, c.status[RMI_SUCCESS]);
	EXPECT_EQ(1, c.unpaired);
	EXPECT_EQ(0, lat.count);

	read_cmd(&t, s, RMISTAT_NCMD - 1, &c, &lat);
	EXPECT_EQ(1, c.status[RMI_ERROR_INPUT]);
	EXPECT_EQ(1, lat.bucket[3]);		/* 10 ns: 8 .. 15 */

	pc = tool_percpu_lookup(&t, s->maps.faults, &zero, sizeof(f));
	ASSERT_NE(NULL, pc);
	tool_percpu_sum(&t, pc, sizeof(f), &f);
	EXPECT_EQ(1, f.faults);
	EXPECT_EQ(3000, f.lat);

	EXPECT_EQ(5, evstat(&t, s->maps.evstats, RMI_EV_rmi_call_enter));
	EXPECT_EQ(6, evstat(&t, s->maps.evstats, RMI_EV_rmi_call_exit));
	EXPECT_EQ(1, evstat(&t, s->maps.evstats, RMI_EV_realm_map_enter));
	EXPECT_EQ(0, evstat(&t, s->maps.evstats, RMI_BPF_STAT_DROPPED));
	rmistat_bpf__destroy(s);
}

/* ---- s2fault ------------------------------------------------------------ */

TEST(s2fault_kernel_programs)
{
	const char *why = bpf_skip_reason();
	struct tool t = tool_for_reads();
	struct s2fault_bpf *s;
	struct s2f_class c;
	struct s2f_total tot;
	struct s2f_vcpu v;
	struct hist lat, calls;
	uint32_t zero = 0, vcpu;
	int32_t ret = -6;
	const void *pc;

	if (why)
		SKIP(return, "%s", why);
	OPEN_TEST(s, s2fault);
	LOAD_KT(s, s2fault);

	/* vCPU 0: a 2 MiB private fault, 513 calls, one RTT, 100 us */
	AT(s, 1000000, 11);
	FIRE(s->obj, realm_map_enter, U32(0), 0x40000000, SZ_2M, 1);
	/* vCPU 1 on another thread meanwhile: a 4 KiB shared one, 5 us */
	AT(s, 1001000, 12);
	FIRE(s->obj, realm_map_enter, U32(1), 0x8000000000ull, SZ_4K, 0);
	AT(s, 1006000, 12);
	FIRE(s->obj, realm_map_exit, U32(1), 0x8000000000ull, SZ_4K, I32(0),
	     U32(1), U32(0));
	AT(s, 1100000, 11);
	FIRE(s->obj, realm_map_exit, U32(0), 0x40000000, SZ_2M, I32(0),
	     U32(513), U32(1));
	/* vCPU 1: a 4 KiB private fault that fails (-ENXIO) after 3 calls */
	AT(s, 2000000, 12);
	FIRE(s->obj, realm_map_enter, U32(1), 0x40200000, SZ_4K, 1);
	AT(s, 2000700, 12);
	FIRE(s->obj, realm_map_exit, U32(1), 0x40200000, SZ_4K, I32(-6),
	     U32(3), U32(9));
	/* an RMI status back to the guest is no error: it faults again */
	AT(s, 2500000, 12);
	FIRE(s->obj, realm_map_enter, U32(1), 0x40200000, SZ_4K, 1);
	AT(s, 2500100, 12);
	FIRE(s->obj, realm_map_exit, U32(1), 0x40200000, SZ_4K,
	     I32(RMI_ERROR_RTT), U32(1), U32(0));
	/* outside vCPU context (U32_MAX): paired by thread */
	AT(s, 3000000, 13);
	FIRE(s->obj, realm_map_enter, U32(RMI_BPF_NO_VCPU), 0x40400000,
	     SZ_4K, 1);
	AT(s, 3000040, 13);
	FIRE(s->obj, realm_map_exit, U32(RMI_BPF_NO_VCPU), 0x40400000,
	     SZ_4K, I32(0), U32(2), U32(0));
	/* an exit with no enter */
	FIRE(s->obj, realm_map_exit, U32(5), 0x40600000, SZ_4K, I32(0),
	     U32(2), U32(0));

	/* class 2M private: 100 us in [65536, 131071] */
	zero = 1 * 2 + 1;			/* 2M private */
	pc = tool_percpu_lookup(&t, s->maps.classes, &zero, sizeof(c));
	ASSERT_NE(NULL, pc);
	tool_percpu_sum(&t, pc, sizeof(c), &c);
	memset(&lat, 0, sizeof(lat));
	tool_percpu_hist(&t, pc, sizeof(c), offsetof(struct s2f_class, lat),
			 &lat);
	EXPECT_EQ(1, lat.count);
	EXPECT_EQ(100000, lat.sum);
	EXPECT_EQ(1, lat.bucket[16]);
	EXPECT_EQ(0, c.errors);
	/* 4K shared: 5 us */
	zero = 0;
	pc = tool_percpu_lookup(&t, s->maps.classes, &zero, sizeof(c));
	memset(&lat, 0, sizeof(lat));
	tool_percpu_hist(&t, pc, sizeof(c), offsetof(struct s2f_class, lat),
			 &lat);
	EXPECT_EQ(1, lat.count);
	EXPECT_EQ(1, lat.bucket[12]);		/* 5000: 4096 .. 8191 */
	/* 4K private: 700 ns with the error, 100 ns, 40 ns */
	zero = 1;
	pc = tool_percpu_lookup(&t, s->maps.classes, &zero, sizeof(c));
	tool_percpu_sum(&t, pc, sizeof(c), &c);
	memset(&lat, 0, sizeof(lat));
	tool_percpu_hist(&t, pc, sizeof(c), offsetof(struct s2f_class, lat),
			 &lat);
	EXPECT_EQ(3, lat.count);
	EXPECT_EQ(1, lat.bucket[9]);
	EXPECT_EQ(1, lat.bucket[6]);
	EXPECT_EQ(1, lat.bucket[5]);
	EXPECT_EQ(1, c.errors);

	zero = 0;
	pc = tool_percpu_lookup(&t, s->maps.total, &zero, sizeof(tot));
	ASSERT_NE(NULL, pc);
	tool_percpu_sum(&t, pc, sizeof(tot), &tot);
	memset(&calls, 0, sizeof(calls));
	tool_percpu_hist(&t, pc, sizeof(tot), offsetof(struct s2f_total, calls),
			 &calls);
	EXPECT_EQ(5, calls.count);
	EXPECT_EQ(513 + 1 + 3 + 1 + 2, calls.sum);
	EXPECT_EQ(1, calls.min);
	EXPECT_EQ(513, calls.max);
	EXPECT_EQ(2, calls.bucket[0]);		/* 1, 1 */
	EXPECT_EQ(2, calls.bucket[1]);		/* 2, 3 */
	EXPECT_EQ(1, calls.bucket[9]);		/* 513 */
	EXPECT_EQ(3, tot.rtts[0]);
	EXPECT_EQ(1, tot.rtts[1]);
	EXPECT_EQ(1, tot.rtts[S2F_RTT_SLOTS - 1]);	/* 9: "more" */
	EXPECT_EQ(10, tot.rtts_sum);
	EXPECT_EQ(1, tot.unpaired);

	vcpu = 1;
	pc = tool_percpu_lookup(&t, s->maps.vcpus, &vcpu, sizeof(v));
	ASSERT_NE(NULL, pc);
	tool_percpu_sum(&t, pc, sizeof(v), &v);
	EXPECT_EQ(3, v.faults);
	EXPECT_EQ(2, v.private);
	EXPECT_EQ(1, v.errors);
	EXPECT_EQ(5800, v.lat);
	vcpu = RMI_BPF_NO_VCPU;
	pc = tool_percpu_lookup(&t, s->maps.vcpus, &vcpu, sizeof(v));
	ASSERT_NE(NULL, pc);
	tool_percpu_sum(&t, pc, sizeof(v), &v);
	EXPECT_EQ(1, v.faults);
	EXPECT_EQ(40, v.lat);
	/* the int argument came zero-extended and left sign-extended */
	EXPECT_EQ(1, tool_percpu_u64(&t, s->maps.errors, &ret));
	ret = RMI_ERROR_RTT;
	EXPECT_EQ(1, tool_percpu_u64(&t, s->maps.errors, &ret));
	s2fault_bpf__destroy(s);
}

/* ---- rttcreate ---------------------------------------------------------- */

TEST(rttcreate_kernel_programs)
{
	const char *why = bpf_skip_reason();
	struct tool t = tool_for_reads();
	struct rttcreate_bpf *s;
	struct rttc_level l;
	struct rttc_slot sl;
	uint32_t k;
	const void *pc;

	if (why)
		SKIP(return, "%s", why);
	OPEN_TEST(s, rttcreate);
	s->rodata->slot_ns = 10000000;		/* 10 ms */
	LOAD_KT(s, rttcreate);
	s->bss->t0 = 1000;

	AT(s, 1000, 21);
	FIRE(s->obj, rtt_create, 0x40000000, I32(2), U32(RMI_SUCCESS));
	AT(s, 15001000, 21);
	FIRE(s->obj, rtt_create, 0x40000000, I32(3), U32(RMI_SUCCESS));
	FIRE(s->obj, rtt_create, 0x40000000, I32(3), U32(RMI_ERROR_RTT));
	FIRE(s->obj, rtt_create, 0x40000000, I32(-1), U32(RMI_ERROR_INPUT));
	AT(s, 25001000, 22);
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_FOLD), U32(RMI_SUCCESS),
	     U32(0), 0x90000000);
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_DESTROY), U32(RMI_ERROR_RTT),
	     U32(3), 0);
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_DATA_MAP), U32(RMI_SUCCESS),
	     U32(0), 0);
	/* long after: into the last slot */
	AT(s, 1000ull * 1000000000ull, 22);
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_DESTROY), U32(RMI_SUCCESS),
	     U32(0), 0);

	k = 2;
	pc = tool_percpu_lookup(&t, s->maps.levels, &k, sizeof(l));
	tool_percpu_sum(&t, pc, sizeof(l), &l);
	EXPECT_EQ(1, l.status[RMI_SUCCESS]);
	k = 3;
	pc = tool_percpu_lookup(&t, s->maps.levels, &k, sizeof(l));
	tool_percpu_sum(&t, pc, sizeof(l), &l);
	EXPECT_EQ(1, l.status[RMI_SUCCESS]);
	EXPECT_EQ(1, l.status[RMI_ERROR_RTT]);
	k = RTTC_LEVELS - 1;			/* level -1: "other" */
	pc = tool_percpu_lookup(&t, s->maps.levels, &k, sizeof(l));
	tool_percpu_sum(&t, pc, sizeof(l), &l);
	EXPECT_EQ(1, l.status[RMI_ERROR_INPUT]);

	for (k = 0; k < 3; k++) {
		pc = tool_percpu_lookup(&t, s->maps.slots, &k, sizeof(sl));
		tool_percpu_sum(&t, pc, sizeof(sl), &sl);
		EXPECT_EQ(k < 2 ? 1 : 0, sl.created);
		EXPECT_EQ(k == 2 ? 1 : 0, sl.destroyed);
	}
	k = RTTC_SLOTS - 1;
	pc = tool_percpu_lookup(&t, s->maps.slots, &k, sizeof(sl));
	tool_percpu_sum(&t, pc, sizeof(sl), &sl);
	EXPECT_EQ(1, sl.destroyed);
	EXPECT_EQ(0, s->bss->live);
	EXPECT_EQ(2, s->bss->peak);
	rttcreate_bpf__destroy(s);
}

/* ---- delegrace ---------------------------------------------------------- */

static int to_feed(void *ctx, void *data, size_t size)
{
	if (size >= sizeof(struct rmi_rec))
		tool_feed_record(ctx, data);
	return 0;
}

TEST(delegrace_kernel_programs)
{
	const char *why = bpf_skip_reason();
	struct tool t = tool_for_reads();
	struct delegrace_bpf *s;
	struct dr_total d;
	struct dr_folio f;
	struct dr_vcpu v;
	struct run_result *r;
	struct ring_buffer *rb;
	struct tool_feed *feed;
	uint64_t ipa, key;
	uint32_t zero = 0;
	const void *pc;

	if (why)
		SKIP(return, "%s", why);
	OPEN_TEST(s, delegrace);
	s->rodata->livelock_bound = 3;
	s->rodata->record_mask = DELEGRACE_RECORD;
	LOAD_KT(s, delegrace);

	/* vCPU 0, thread 31: delegated all of a 2 MiB folio */
	AT(s, 100, 31);
	FIRE(s->obj, realm_map_enter, U32(0), 0x40000000, SZ_2M, 1);
	FIRE(s->obj, delegate, 0x100000000ull, SZ_2M, SZ_2M, U32(RMI_SUCCESS));
	FIRE(s->obj, realm_map_exit, U32(0), 0x40000000, SZ_2M, I32(0),
	     U32(513), U32(0));
	/* vCPU 1, thread 32: half of the next, mapped (partial) */
	AT(s, 200, 32);
	FIRE(s->obj, realm_map_enter, U32(1), 0x40200000, SZ_2M, 1);
	FIRE(s->obj, delegate, 0x100200000ull, SZ_2M, SZ_1M,
	     U32(RMI_ERROR_INPUT));
	FIRE(s->obj, realm_map_exit, U32(1), 0x40200000, SZ_2M, I32(0),
	     U32(257), U32(0));
	/* vCPU 1 again on that folio, four times: nothing, a race; no RMI
	 * call succeeds in between, so its third re-fault is a livelock
	 */
	for (int i = 0; i < 4; i++) {
		AT(s, 300 + i, 32);
		FIRE(s->obj, realm_map_enter, U32(1), 0x40200000, SZ_2M, 1);
		FIRE(s->obj, delegate, 0x100200000ull, SZ_2M, 0,
		     U32(RMI_ERROR_INPUT));
		FIRE(s->obj, delegate_race, 0x40200000, 0x100200000ull, SZ_2M);
		FIRE(s->obj, realm_map_exit, U32(1), 0x40200000, SZ_2M,
		     I32(0), U32(1), U32(0));
	}
	/* progress, then the same folio again: the run is over */
	FIRE(s->obj, rmi_call_exit, U32(RMI_RTT_DATA_MAP), U32(RMI_SUCCESS),
	     U32(0), 0);
	FIRE(s->obj, realm_map_enter, U32(1), 0x40200000, SZ_2M, 1);
	FIRE(s->obj, realm_map_exit, U32(1), 0x40200000, SZ_2M, I32(0),
	     U32(1), U32(0));
	/* a shared fault is no folio of the table */
	FIRE(s->obj, realm_map_enter, U32(1), 0x8000000000ull, SZ_4K, 0);
	FIRE(s->obj, realm_map_exit, U32(1), 0x8000000000ull, SZ_4K, I32(0),
	     U32(1), U32(0));

	pc = tool_percpu_lookup(&t, s->maps.total, &zero, sizeof(d));
	ASSERT_NE(NULL, pc);
	tool_percpu_sum(&t, pc, sizeof(d), &d);
	EXPECT_EQ(6, d.delegations);
	EXPECT_EQ(1, d.full);
	EXPECT_EQ(1, d.partial);
	EXPECT_EQ(4, d.none);
	EXPECT_EQ(512 + 256, d.granules);
	EXPECT_EQ(1, d.status[RMI_SUCCESS]);
	EXPECT_EQ(5, d.status[RMI_ERROR_INPUT]);
	EXPECT_EQ(4, d.races);
	EXPECT_EQ(7, d.private_faults);
	EXPECT_EQ(0, d.untracked);
	EXPECT_EQ(1, d.livelocks);

	ipa = 0x40200000;
	ASSERT_EQ(0, bpf_map_lookup_elem(bpf_map__fd(s->maps.folios), &ipa,
					 &f));
	EXPECT_EQ(6, f.faults);
	EXPECT_EQ(4, f.races);
	ipa = 0x40000000;
	ASSERT_EQ(0, bpf_map_lookup_elem(bpf_map__fd(s->maps.folios), &ipa,
					 &f));
	EXPECT_EQ(1, f.faults);
	key = 100ull << 32 | 1;
	ASSERT_EQ(0, bpf_map_lookup_elem(bpf_map__fd(s->maps.vcpus), &key,
					 &v));
	EXPECT_EQ(4, v.max_same);
	EXPECT_EQ(0x40200000, v.stuck_ipa);
	EXPECT_EQ(1, v.warned);
	EXPECT_EQ(0, v.same);			/* progress ended it */

	/* the ring buffer through the feed into the metrics */
	feed = tool_feed_new();
	ASSERT_NE(NULL, feed);
	rb = ring_buffer__new(bpf_map__fd(s->maps.events), to_feed, feed,
			      NULL);
	ASSERT_NE(NULL, rb);
	EXPECT_EQ(8 * 2 + 6 + 4, ring_buffer__consume(rb));
	r = calloc(1, sizeof(*r));
	ASSERT_NE(NULL, r);
	tool_feed_result(feed, r);
	EXPECT_EQ(8, r->counts.faults);
	EXPECT_EQ(7, r->counts.faults_private);
	EXPECT_EQ(5, r->counts.refaults);
	EXPECT_EQ(4, r->counts.delegate_races);
	EXPECT_EQ(1, r->counts.partial_delegations);
	EXPECT_EQ(512 + 256, r->counts.granules_delegated);
	EXPECT_EQ(8, r->calls_per_fault.count);
	free(r);
	ring_buffer__free(rb);
	tool_feed_free(feed);
	delegrace_bpf__destroy(s);
}

/* ---- the feed alone ------------------------------------------------------ */

static struct rmi_rec rec(uint32_t tid, uint64_t sp, enum rmi_event ev,
			  uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			  uint64_t a4, uint64_t a5)
{
	return (struct rmi_rec){
		.tid = tid, .tgid = 1, .sp = sp, .ev = ev,
		.arg = { a0, a1, a2, a3, a4, a5 },
	};
}

/* @n records through a new feed: the result it makes (calloc'd) */
static struct run_result *feed_all(const struct rmi_rec *e, size_t n)
{
	struct tool_feed *f = tool_feed_new();
	struct run_result *r = calloc(1, sizeof(*r));

	if (!f || !r) {
		tool_feed_free(f);
		free(r);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		tool_feed_record(f, &e[i]);
	tool_feed_result(f, r);
	tool_feed_free(f);
	return r;
}

/*
 * The sim's det scheduler runs several vCPUs on one thread, each on its
 * own stack, and may switch between them inside a fault: an event with no
 * vCPU argument belongs to the open fault whose stack pointer is nearest.
 */
TEST(feed_attributes_events_by_stack_pointer)
{
	struct run_result *r;
	const uint64_t sp0 = 0x7f0000100000ull, sp1 = 0x7f0000200000ull;
	struct rmi_rec e[] = {
		rec(5, sp0, RMI_EV_realm_map_enter, 0, 0x40000000, SZ_2M, 1,
		    0, 0),
		/* vCPU 0 yields inside its fault; vCPU 1 faults */
		rec(5, sp1, RMI_EV_realm_map_enter, 1, 0x40000000, SZ_2M, 1,
		    0, 0),
		/* vCPU 1 delegates part, yields */
		rec(5, sp1 - 0x300, RMI_EV_delegate, 0x100000000ull, SZ_2M,
		    SZ_1M, RMI_ERROR_INPUT, 0, 0),
		/* vCPU 0 finds it raced and leaves */
		rec(5, sp0 - 0x200, RMI_EV_delegate_race, 0x40000000,
		    0x100000000ull, SZ_2M, 0, 0, 0),
		rec(5, sp0, RMI_EV_realm_map_exit, 0, 0x40000000, SZ_2M, 0, 1,
		    0),
		/* vCPU 1 maps what it delegated: a partial delegation */
		rec(5, sp1, RMI_EV_realm_map_exit, 1, 0x40000000, SZ_2M, 0, 257,
		    0),
	};

	r = feed_all(e, sizeof(e) / sizeof(e[0]));
	ASSERT_NE(NULL, r);
	EXPECT_EQ(2, r->counts.faults);
	EXPECT_EQ(1, r->counts.refaults);
	EXPECT_EQ(1, r->counts.delegate_races);
	EXPECT_EQ(1, r->counts.partial_delegations);
	free(r);
}

/* set-up until REALM_ACTIVATE returns, fault inside realm mappings,
 * teardown after
 */
TEST(feed_phases)
{
	struct run_result *r;
	struct rmi_rec e[] = {
		rec(1, 0, RMI_EV_rmi_call_exit, RMI_REALM_CREATE, 0, 0, 0, 0,
		    0),
		rec(1, 0, RMI_EV_rtt_create, 0x40000000, 2, RMI_SUCCESS, 0, 0,
		    0),
		rec(1, 0, RMI_EV_rmi_call_exit, RMI_RTT_CREATE, 0, 0, 0, 0, 0),
		rec(1, 0, RMI_EV_rmi_call_exit, RMI_REALM_ACTIVATE, 0, 0, 0, 0,
		    0),
		rec(2, 0, RMI_EV_realm_map_enter, 0, 0x40000000, SZ_4K, 1, 0,
		    0),
		rec(2, 0, RMI_EV_rmi_call_exit, RMI_RTT_DATA_MAP, 0, 0, 0, 0,
		    0),
		rec(2, 0, RMI_EV_realm_map_exit, 0, 0x40000000, SZ_4K, 0, 1, 0),
		rec(1, 0, RMI_EV_rmi_call_exit, RMI_RTT_DATA_UNMAP, 0, 0, 0, 0,
		    0),
		rec(1, 0, RMI_EV_rmi_call_exit, RMI_RTT_DESTROY, 0, 0, 0, 0, 0),
		rec(1, 0, RMI_EV_rmi_call_exit, RMI_REALM_DESTROY, 0, 0, 0, 0,
		    0),
	};

	r = feed_all(e, sizeof(e) / sizeof(e[0]));
	ASSERT_NE(NULL, r);
	EXPECT_EQ(7, r->counts.rmi_calls);
	EXPECT_EQ(3, r->counts.rmi_calls_setup);
	EXPECT_EQ(1, r->counts.rmi_calls_fault);
	EXPECT_EQ(3, r->counts.rmi_calls_teardown);
	EXPECT_EQ(1, r->counts.rtts_created);
	EXPECT_EQ(1, r->counts.rtts_destroyed);
	EXPECT_EQ(1, r->counts.rtt_pages_peak);
	EXPECT_EQ(1, r->counts.rtt_pages_end);	/* live when teardown began */
	free(r);
}

TEST_HARNESS_MAIN
