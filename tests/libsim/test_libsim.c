// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sim on its own: this test links build/libsim.a and nothing of
 * bench/, and measures a run with an event consumer of its own (a few
 * counters behind include/rmi_sink.h), as a BPF tool or any other
 * consumer would. Its counts are those derived by hand in test_host.c.
 *
 * tf-rmm, one-level, 4 KiB folios, S2SZ 40, memslot [1 GiB, 2 GiB), one
 * vCPU, sequential. Per fault (vCPU stream): the first 8 calls (delegate,
 * DATA_MAP -> ERROR_RTT(1), L2 RTT (2), DATA_MAP -> ERROR_RTT(2), L3 RTT
 * (2), DATA_MAP); the first of every other 2 MiB 5 (delegate, DATA_MAP,
 * L3 RTT, DATA_MAP); the rest 2.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "host.h"

struct counter {
	uint64_t calls, maps, rtts, delegated;
};

static void on_exit_(void *ctx, const struct rmi_ev_hdr *h, uint64_t fid,
		     uint64_t status, uint64_t index, uint64_t x1)
{
	((struct counter *)ctx)->calls++;
}

static void on_map(void *ctx, const struct rmi_ev_hdr *h, uint64_t vcpu,
		   uint64_t ipa, uint64_t size, uint64_t private)
{
	((struct counter *)ctx)->maps++;
}

static void on_rtt(void *ctx, const struct rmi_ev_hdr *h, uint64_t ipa,
		   uint64_t level, uint64_t status)
{
	if (!status)
		((struct counter *)ctx)->rtts++;
}

static void on_delegate(void *ctx, const struct rmi_ev_hdr *h, uint64_t phys,
			uint64_t size, uint64_t done, uint64_t status)
{
	((struct counter *)ctx)->delegated += done >> 12;
}

static const struct rmi_sink_ops ops = {
	.rmi_call_exit = on_exit_,
	.realm_map_enter = on_map,
	.rtt_create = on_rtt,
	.delegate = on_delegate,
};

static struct counter counters[2];

static struct rmi_sink sink_for(void *ctx, unsigned int stream)
{
	return (struct rmi_sink){ &ops, &counters[stream] };
}

TEST(sim_with_its_own_consumer)
{
	struct host_config hc = {
		.strategy = RMI_RTT_STRATEGY_ONE_LEVEL,
		.delegation = DELEG_V15, .profile = "tf-rmm",
		.delegate_granules = 1, .folio = FOLIO_4K,
		.ipa = 1ull << 30, .size = 1ull << 30, .vcpus = 1,
		.workload = "sequential", .write_pct = 50, .passes = 1,
		.stride = 2ull << 20, .scheduler = SCHED_DET, .seed = 1,
		.s2sz = 40, .livelock_faults = 1000,
	};
	struct cost_model cost = { .is_default = true };
	struct host_report rep = { 0 };
	struct host h;
	char err[256];

	ASSERT_EQ(0, host_init(&h, &hc, &cost, sink_for, NULL, err,
			       sizeof(err)));
	ASSERT_EQ(0, kvm_activate_realm(&h));
	/* set-up: 11 calls by the VMM's thread (test_host.c) */
	ASSERT_EQ(11ull, counters[1].calls);
	ASSERT_EQ(0, sched_run(&h, err, sizeof(err)));
	kvm_destroy_realm(&h);
	host_report(&h, &rep);
	host_fini(&h);

	ASSERT_STREQ("ok", rep.outcome);
	ASSERT_EQ(262144ull, counters[0].maps);
	ASSERT_EQ(8 + 511 * 5 + (262144ull - 512) * 2, counters[0].calls);
	ASSERT_EQ(1 + 512ull, counters[0].rtts);
	/* every guest page and every RTT page, by the vCPU */
	ASSERT_EQ(262144 + 513ull, counters[0].delegated);
	ASSERT_EQ(0ull, rep.leaked_granules);
	ASSERT_EQ(0ull, rep.warns.total);
	ASSERT_EQ(262144ull, rep.accesses);
}

TEST_HARNESS_MAIN
