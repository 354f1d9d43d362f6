// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sim's host fault path end to end: exact counts derived by hand from
 * rmi-facts.md for every RTT strategy and RMM profile with 4 KiB and 2 MiB
 * folios, the failure the kernel would show where a strategy cannot work,
 * delegate races under both schedulers, v14 and v15 delegation handling
 * under injected failures, leak audits, reproducibility, which faults
 * get wall-clock stamps, and kvm->mmu_lock under the threads scheduler.
 *
 * Common set-up unless a test says otherwise: S2SZ 40 (start level 1, two
 * root RTTs), one vCPU touching the memslot [1 GiB, 2 GiB) page after page,
 * one granule per GRANULE_RANGE_DELEGATE call.
 *
 * Costs per fault, in RMI calls (rmi-facts.md 5, 6):
 *  - a 2 MiB folio's delegation: 512 calls; a 4 KiB folio's: 1;
 *  - each RTT the fault creates: 2 (delegate its page, RTT_CREATE);
 *  - each RTT_DATA_MAP: 1, whether it answers ERROR_RTT or SUCCESS.
 * Realm set-up (kvm_activate_realm) issues 11 calls: RMM_ACTIVATE,
 * VERSION, FEATURES, delegate RD (1), delegate 2 root RTTs (2),
 * REALM_CREATE, delegate REC (1), REC_CREATE, RTT_INIT_RIPAS (one call:
 * [1 GiB, 2 GiB) is one whole L1 entry, fact 9.13), REALM_ACTIVATE.
 */
#include <json-c/json.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

/* each run tears down a whole IPA space (1.5 M RMI calls at S2SZ 40):
 * seconds under the sanitizers; still bounded */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	300

#include "host.h"
#include "result.h"
#include "rmm.h"
#include "run.h"

#define GIB	(1ull << 30)
#define MIB	(1ull << 20)

static struct run_result *run(struct run_config *c,
			      const struct inj_rule *rules,
			      unsigned int n)
{
	struct run_result *r = calloc(1, sizeof(*r));
	char err[256];

	if (!r || run_one(c, rules, n, r, err, sizeof(err))) {
		fprintf(stderr, "run_one: %s\n", r ? err : "no memory");
		abort();
	}
	return r;
}

static struct run_config base(const char *profile, int strategy,
			      enum folio_mode folio)
{
	struct run_config c;

	run_config_default(&c);
	snprintf(c.profile, sizeof(c.profile), "%s", profile);
	c.strategy = (enum rmi_rtt_strategy)strategy;
	c.folio = folio;
	return c;
}

/*
 * Teardown, in both trees (rmi-facts 11.1, 11.5, 12.5, 12.6):
 * kvm_destroy_realm() unmaps the whole protected half [0, 512 GiB) in one
 * call. Where nothing is mapped the RMM answers ERROR_RTT(walk level) with
 * x1 = 0, which realm_unmap_private_range() cannot tell from part of a
 * block: it creates the table one level down and unmaps again, until the
 * walk reaches level 3, where an empty table answers SUCCESS up to its
 * end. Every unassigned L1 entry costs an L2 and 512 L3 RTTs, every
 * unassigned entry of an existing L2 an L3; the fold at the end gives
 * them back. The other 511 GiB of the protected half: 511 * 513.
 */
#define TEARDOWN_RTTS	(511ull * 513)

/* RTTs created before teardown */
static uint64_t rtts_before_teardown(const struct run_result *r)
{
	return r->counts.rtts_created - r->counts.rtts_created_teardown;
}

static uint64_t calls(const struct run_result *r, uint32_t fid, int status)
{
	unsigned int ci = rmi_cmd_index(fid);
	uint64_t n = 0;

	if (ci == RMI_CMD_COUNT)
		return ~0ull;
	for (int s = 0; s < STATUS_BUCKETS; s++)
		if (status < 0 || s == status)
			n += r->counts.by_cmd[ci][s];
	return n;
}

/*
 * A clean run: set-up as above, no warnings, nothing leaked, the realm
 * alive, and the fault phase's calls as computed by the caller.
 */
static void expect_clean(struct __test_metadata *_metadata,
			 const struct run_result *r, uint64_t faults,
			 uint64_t fault_calls, uint64_t rtts)
{
	if (strcmp(r->outcome, "ok"))
		TH_LOG("outcome: %s", r->outcome);
	ASSERT_STREQ("ok", r->outcome);
	ASSERT_EQ(faults, r->counts.faults);
	ASSERT_EQ(0ull, r->counts.refaults);
	ASSERT_EQ(11ull, r->counts.rmi_calls_setup);
	ASSERT_EQ(fault_calls, r->counts.rmi_calls_fault);
	/* the memslot's GiB fully mapped: teardown adds TEARDOWN_RTTS, all
	 * alive with the workload's own before the fold */
	ASSERT_EQ(rtts, rtts_before_teardown(r));
	ASSERT_EQ(TEARDOWN_RTTS, r->counts.rtts_created_teardown);
	ASSERT_EQ(rtts + TEARDOWN_RTTS, r->counts.rtt_pages_peak);
	ASSERT_EQ(0ull, r->counts.warnings);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	ASSERT_EQ(0ull, r->counts.delegate_races);
	ASSERT_EQ(0ull, r->counts.guest_errors);
	/* teardown gave every RTT back */
	ASSERT_EQ(r->counts.rtts_created, r->counts.rtts_destroyed);
}

/* ---- 2 MiB folios ---------------------------------------------------------- */

/*
 * one-level, tf-rmm (the worked case). First fault: 512
 * delegates, DATA_MAP -> ERROR_RTT(1) (no L2 table under the L1 entry),
 * create L2 (2), DATA_MAP -> SUCCESS, a 2 MiB block: 516. The other 511
 * faults find the L2 table: 512 + 1 = 513. 512 faults, one RTT, all of
 * the 1 GiB at level 2.
 */
TEST(one_level_tf_rmm_2m)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_2M);
	struct run_result *r = run(&c, NULL, 0);

	expect_clean(_metadata, r, 512, 516 + 511 * 513, 1);
	ASSERT_EQ(516ull, r->calls_per_fault.max);
	ASSERT_EQ(513ull, r->calls_per_fault.min);
	ASSERT_EQ(0ull, r->counts.mapped_bytes[1]);
	ASSERT_EQ(GIB, r->counts.mapped_bytes[2]);
	ASSERT_EQ(0ull, r->counts.mapped_bytes[3]);
	/* DATA_MAP: 512 successes + the one ERROR_RTT(1); no other phase
	 * maps. RTT_CREATE: the one L2, and teardown's. */
	ASSERT_EQ(512ull, calls(r, RMI_RTT_DATA_MAP, RMI_SUCCESS));
	ASSERT_EQ(1ull, calls(r, RMI_RTT_DATA_MAP, RMI_ERROR_RTT));
	ASSERT_EQ(1ull + TEARDOWN_RTTS, calls(r, RMI_RTT_CREATE, -1));
	/* delegates: 4 at set-up (RD, 2 roots, REC), 512 * 512 + 1 here,
	 * one per RTT at teardown */
	ASSERT_EQ(4ull + 512 * 512 + 1 + TEARDOWN_RTTS,
		  calls(r, RMI_GRANULE_RANGE_DELEGATE, -1));
	free(r);
}

/* block, either profile: the L2 is exactly the mapping's level: as above */
TEST(block_both_profiles_2m)
{
	for (int p = 0; p < 2; p++) {
		struct run_config c = base(p ? "spec" : "tf-rmm",
					   RMI_RTT_STRATEGY_BLOCK, FOLIO_2M);
		struct run_result *r = run(&c, NULL, 0);

		expect_clean(_metadata, r, 512, 516 + 511 * 513, 1);
		ASSERT_EQ(GIB, r->counts.mapped_bytes[2]);
		free(r);
	}
}

/* one-level, spec: the walk stops at L2 and maps there: as tf-rmm */
TEST(one_level_spec_2m)
{
	struct run_config c = base("spec", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_2M);
	struct run_result *r = run(&c, NULL, 0);

	expect_clean(_metadata, r, 512, 516 + 511 * 513, 1);
	ASSERT_EQ(GIB, r->counts.mapped_bytes[2]);
	free(r);
}

/*
 * full, spec: the first fault creates L2 and L3 (4 calls) and the walk
 * then reaches level 3, so the 2 MiB descriptor maps 512 pages (fact 4,
 * spec): 512 + 1 + 4 + 1 = 518. Later faults stop at a VOID L2 entry and
 * map blocks: 513. The L3 created too early costs the first block of the
 * L2 table's 1 GiB: 2 MiB at level 3, 1022 MiB at level 2.
 */
TEST(full_spec_2m)
{
	struct run_config c = base("spec", RMI_RTT_STRATEGY_FULL, FOLIO_2M);
	struct run_result *r = run(&c, NULL, 0);

	expect_clean(_metadata, r, 512, 518 + 511 * 513, 2);
	ASSERT_EQ(1022 * MIB, r->counts.mapped_bytes[2]);
	ASSERT_EQ(2 * MIB, r->counts.mapped_bytes[3]);
	free(r);
}

/*
 * full, tf-rmm: the level comes from the 2 MiB descriptor; after v14
 * creates L2 and L3 the entry at level 2 is a TABLE: ERROR_RTT(2) on the
 * retry (fact 4). v14 WARNs, unmaps nothing (nothing was mapped),
 * undelegates the 512 granules and returns -ENXIO: KVM_RUN fails and the
 * VMM kills the realm on its first fault. Calls: 512 + 1 + 4 + 1 + 512
 * = 1030. Teardown still gives everything back.
 */
TEST(full_tf_rmm_2m_kills_the_realm)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_FULL, FOLIO_2M);
	struct run_result *r = run(&c, NULL, 0);

	ASSERT_EQ(1ull, r->counts.faults);
	ASSERT_EQ(1030ull, r->counts.rmi_calls_fault);
	ASSERT_EQ(2ull, rtts_before_teardown(r));
	/* teardown: the memslot's L2 holds one L3 and 511 empty entries */
	ASSERT_EQ(TEARDOWN_RTTS + 511, r->counts.rtts_created_teardown);
	ASSERT_EQ(1ull, r->counts.warnings);
	ASSERT_STREQ("DATA_MAP failed: ERROR_RTT 2", r->counts.warn[0].reason);
	ASSERT_EQ(1ull, r->counts.guest_errors);
	ASSERT_EQ(0, strncmp(r->outcome,
			     "vcpu 0: realm_map_protected returned -6 at IPA 0x40000000",
			     57));
	ASSERT_EQ(0ull, r->counts.mapped_bytes[2] + r->counts.mapped_bytes[3]);
	ASSERT_EQ(512ull, calls(r, RMI_GRANULE_RANGE_UNDELEGATE, RMI_SUCCESS) -
			  /* teardown: RD, 2 roots, REC, the 2 RTTs and
			   * those teardown created */
			  6 - r->counts.rtts_created_teardown);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	free(r);
}

/* ---- 4 KiB folios: today's hosts ---------------------------------------------- */

/*
 * 262144 faults of 1 delegate + 1 DATA_MAP, plus the RTTs: one L2 and
 * 512 L3s. Where the first fault creates both in one go (full, block: the
 * mapping wants level 3), it costs 1 + 1 + 4 + 1 = 7; one-level goes
 * round twice: 1 + 1 + 2 + 1 + 2 + 1 = 8. Each of the other 511 2 MiB
 * regions starts with 1 + 1 (ERROR_RTT(2)) + 2 + 1 = 5 in every
 * strategy, and the rest are 2 each. Both profiles alike: the walk and
 * the 4 KiB descriptor both want level 3.
 */
TEST(all_strategies_4k)
{
	static const int strat[3] = { RMI_RTT_STRATEGY_FULL,
				      RMI_RTT_STRATEGY_ONE_LEVEL,
				      RMI_RTT_STRATEGY_BLOCK };
	const uint64_t rest = 511 * 5 + (262144 - 512) * 2;

	for (int p = 0; p < 2; p++)
		for (int s = 0; s < 3; s++) {
			struct run_config c = base(p ? "spec" : "tf-rmm",
						   strat[s], FOLIO_4K);
			struct run_result *r = run(&c, NULL, 0);
			uint64_t first = strat[s] == RMI_RTT_STRATEGY_ONE_LEVEL ?
					 8 : 7;

			expect_clean(_metadata, r, 262144, first + rest, 513);
			ASSERT_EQ(GIB, r->counts.mapped_bytes[3]);
			ASSERT_EQ(first, r->calls_per_fault.max);
			ASSERT_EQ(2ull, r->calls_per_fault.min);
			free(r);
		}
}

/* ---- races, delegation handling, injection -------------------------------------- */

/*
 * v14 and v15 after a delegate failure in the middle of a 2 MiB folio.
 * Rule: space=701, so delegate calls 1..700 pass (should_fail lets N - 1
 * through) and call 701 fails. Set-up makes 4 delegate calls, fault 1
 * makes 512 + 1 (its L2 RTT), so fault 2's calls are 518.. and 183 of its
 * granules (518..700) are delegated when the 701st fails.
 *  v14: "raced", back to the guest; the 183 stay delegated. The re-fault
 *   fails on the first granule (already delegated) forever: a livelock
 *   after the limit of 1000 no-progress re-faults, and a leak of 183
 *   DELEGATED granules at teardown.
 *  v15: maps the 183 pages (an L3 RTT: one more RTT), then the re-fault's
 *   delegation starts at the folio's first granule, now DATA: nothing
 *   delegated, "raced", forever: a livelock too, but nothing leaks.
 */
TEST(delegate_failure_v14_leaks_and_livelocks)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_2M);
	struct inj_rule rule;
	struct run_result *r;
	char err[128];

	ASSERT_EQ(0, parse_inject_rule("command=GRANULE_RANGE_DELEGATE,"
				       "status=ERROR_INPUT,space=701,times=1",
				       &rule, err, sizeof(err)));
	c.delegation = DELEG_V14;
	r = run(&c, &rule, 1);
	ASSERT_EQ(1ull, r->counts.injected);
	ASSERT_EQ(1002ull, r->counts.faults);
	ASSERT_EQ(1000ull, r->counts.refaults);
	ASSERT_EQ(1001ull, r->counts.delegate_races);
	ASSERT_EQ(183ull, r->counts.leaked_granules);
	ASSERT_EQ(183ull, r->counts.leaked_by_state[RMI_GRANULE_DELEGATED]);
	ASSERT_EQ(2 * MIB, r->counts.mapped_bytes[2]);
	ASSERT_EQ(0, strncmp(r->outcome, "livelock: vcpu 0 faulted on IPA 0x40200000", 42));
	free(r);

	c.delegation = DELEG_V15;
	r = run(&c, &rule, 1);
	ASSERT_EQ(1ull, r->counts.partial_delegations);
	ASSERT_EQ(2ull, rtts_before_teardown(r));
	ASSERT_EQ(2 * MIB, r->counts.mapped_bytes[2]);
	ASSERT_EQ(183 * 4096ull, r->counts.mapped_bytes[3]);
	ASSERT_EQ(1000ull, r->counts.delegate_races);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	ASSERT_EQ(0, strncmp(r->outcome, "livelock: vcpu 0 faulted on IPA 0x40200000", 42));
	free(r);
}

/*
 * The livelock bound means the same under the threads scheduler: v14's
 * case above with one vCPU thread. Its 1000th no-progress re-fault reaches
 * the bound; the vCPU then waits (2 s) for progress that cannot come, as
 * it is the only one: the same message with the bound as the count
 * (before, the threads watch also wanted 2 s of re-faulting and counted
 * every one of them). The counts are det's plus one fault: under threads
 * the watch reads the other vCPUs' progress only on a re-fault of the
 * same IPA, so it starts one fault later (1003 faults, 1001 re-faults,
 * 1002 delegate races).
 */
TEST(livelock_bound_threads)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_2M);
	struct inj_rule rule;
	struct run_result *r;
	char err[128];

	ASSERT_EQ(0, parse_inject_rule("command=GRANULE_RANGE_DELEGATE,"
				       "status=ERROR_INPUT,space=701,times=1",
				       &rule, err, sizeof(err)));
	c.delegation = DELEG_V14;
	c.scheduler = SCHED_THREADS;
	r = run(&c, &rule, 1);
	ASSERT_EQ(1003ull, r->counts.faults);
	ASSERT_EQ(1001ull, r->counts.refaults);
	ASSERT_EQ(1002ull, r->counts.delegate_races);
	ASSERT_EQ(183ull, r->counts.leaked_granules);
	ASSERT_EQ(OUTCOME_LIVELOCK, r->outcome_class);
	ASSERT_STREQ("livelock: vcpu 0 faulted on IPA 0x40200000 1000 times "
		     "with no progress anywhere", r->outcome);
	free(r);
}

/*
 * Two vCPUs re-fault on shared pages whose UNPROT_MAP always fails with
 * ERROR_RTT(2) (injected from the 137th call on). Each failing fault of
 * v14: UNPROT_MAP (fails), an RTT page delegated, RTT_CREATE(L3) answers
 * ERROR_RTT(2) (the L2 table is there: "exists already"), the page is
 * undelegated, UNPROT_MAP again (fails), one WARN, back to the guest. The
 * RTT pages' delegate/undelegate succeed but change nothing: they must
 * not count as progress, or each vCPU sees the other's half-done churn as
 * progress and the run never ends. v14's per-vCPU watch fires at 1000
 * faults of one vCPU (the other has made about as many: at most 2002
 * failing faults in all); v15 loops inside realm_map_non_secure and its
 * bound fires at 10000 rounds (two injected UNPROT_MAPs per round).
 */
TEST(rtt_page_churn_is_no_progress)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_FULL, FOLIO_2M);
	struct inj_rule rule;
	struct run_result *r;
	char err[128];

	ASSERT_EQ(0, parse_inject_rule("command=RTT_UNPROT_MAP,status=ERROR_RTT,"
				       "index=2,space=137", &rule, err,
				       sizeof(err)));
	c.kernel = HOST_V14;
	c.delegation = DELEG_V14;
	c.vcpus = 2;
	c.s2sz = 32;
	c.size = 4 * MIB;
	c.shared_pct = 25;
	r = run(&c, &rule, 1);
	ASSERT_EQ(0, strncmp(r->outcome, "livelock: vcpu ", 15));
	ASSERT_NE(NULL, strstr(r->outcome, " 1000 times with no progress"));
	ASSERT_GE(r->counts.warnings, 1000ull);
	ASSERT_LE(r->counts.warnings, 2002ull);
	ASSERT_EQ(2 * r->counts.warnings, r->counts.injected);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	free(r);

	c.kernel = HOST_V15;
	c.strategy = RMI_RTT_STRATEGY_ONE_LEVEL;
	c.delegation = DELEG_V15;
	r = run(&c, &rule, 1);
	ASSERT_EQ(0, strncmp(r->outcome, "livelock in realm_map_non_secure at ", 36));
	ASSERT_NE(NULL, strstr(r->outcome, "10000 rounds without progress"));
	ASSERT_GE(r->counts.injected, 2 * 10000ull);
	ASSERT_EQ(0ull, r->counts.warnings);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	free(r);
}

/* An injected RTT_CREATE failure: WARN, -ENXIO, the realm dies, no leak */
TEST(injected_rtt_create_failure)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_4K);
	struct inj_rule rule;
	struct run_result *r;
	char err[128];

	ASSERT_EQ(0, parse_inject_rule("command=RTT_CREATE,status=ERROR_RTT_AUX,index=0,times=1",
				       &rule, err, sizeof(err)));
	r = run(&c, &rule, 1);
	ASSERT_EQ(1ull, r->counts.faults);
	ASSERT_EQ(1ull, r->counts.warnings);
	ASSERT_STREQ("failed to create RTT at level 2: ERROR_RTT_AUX 0",
		     r->counts.warn[0].reason);
	ASSERT_EQ(0, strncmp(r->outcome, "vcpu 0: realm_map_protected returned -6", 39));
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	/* bad rules are one-line errors */
	ASSERT_EQ(-1, parse_inject_rule("command=NOPE", &rule, err, sizeof(err)));
	ASSERT_STREQ("--inject: unknown command 'NOPE'", err);
	ASSERT_EQ(-1, parse_inject_rule("probability=101", &rule, err,
					sizeof(err)));
	free(r);
}

/*
 * Four vCPUs storm the same 2 MiB folios. Every folio is mapped once;
 * each loser of a delegation race returns to the guest and re-faults
 * until the winner has mapped it. Exact numbers depend on interleaving;
 * the invariants do not: every folio mapped once as a block, one L2 RTT,
 * races == re-faults (every re-fault here is a lost race), one fault per
 * folio besides them, no leak.
 */
static void storm(struct __test_metadata *_metadata, enum sched_kind s,
		  enum deleg_variant d)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_2M);
	struct run_result *r;

	c.vcpus = 4;
	/* threads: long enough (~256K delegate calls) that the vCPUs run
	 * side by side on any machine with two cores */
	c.size = s == SCHED_THREADS ? 1024 * MIB : 32 * MIB;
	snprintf(c.workload, sizeof(c.workload), "storm");
	c.scheduler = s;
	c.delegation = d;
	r = run(&c, NULL, 0);
	ASSERT_STREQ("ok", r->outcome);
	ASSERT_EQ(c.size, r->counts.mapped_bytes[2]);
	ASSERT_EQ(1ull, rtts_before_teardown(r));
	/* the memslot's L2 holds blocks: one DATA_UNMAP unmaps them and
	 * runs on over its empty entries to the table's end (rmi-facts
	 * 9.8), so only the other 511 GiB cost RTTs */
	ASSERT_EQ(TEARDOWN_RTTS, r->counts.rtts_created_teardown);
	/* det interleaves at every RMI call: races are certain; threads
	 * race only if the OS runs them side by side, which a loaded
	 * machine may not */
	if (s == SCHED_DET) {
		ASSERT_LT(0ull, r->counts.delegate_races);
	}
	ASSERT_EQ(r->counts.delegate_races, r->counts.refaults);
	ASSERT_EQ(c.size / (2 * MIB) + r->counts.refaults, r->counts.faults);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	ASSERT_EQ(0ull, r->counts.warnings);
	free(r);
}

TEST(storm_det_v15) { storm(_metadata, SCHED_DET, DELEG_V15); }
TEST(storm_det_v14) { storm(_metadata, SCHED_DET, DELEG_V14); }
TEST(storm_threads_v15) { storm(_metadata, SCHED_THREADS, DELEG_V15); }
TEST(storm_threads_v14) { storm(_metadata, SCHED_THREADS, DELEG_V14); }

/* det: the same seed gives the same counts; another seed interleaves
 * differently */
TEST(det_reproducible)
{
	struct run_config c = base("spec", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_2M);
	struct run_result *a, *b, *d;

	c.vcpus = 4;
	c.size = 64 * MIB;
	snprintf(c.workload, sizeof(c.workload), "random");
	c.shared_region = true;
	a = run(&c, NULL, 0);
	b = run(&c, NULL, 0);
	ASSERT_EQ(0, memcmp(&a->counts, &b->counts, sizeof(a->counts)));
	ASSERT_EQ(0, memcmp(&a->lat_model, &b->lat_model, sizeof(a->lat_model)));
	ASSERT_EQ(0, memcmp(&a->calls_per_fault, &b->calls_per_fault,
			    sizeof(a->calls_per_fault)));
	ASSERT_LT(0ull, a->counts.refaults);
	c.seed = 2;
	d = run(&c, NULL, 0);
	ASSERT_NE(0, memcmp(&a->counts, &d->counts, sizeof(a->counts)));
	ASSERT_EQ(64 * MIB, d->counts.mapped_bytes[2]);
	free(a);
	free(b);
	free(d);
}

/*
 * The same det run twice gives the same result file, apart from what
 * measures the machine rather than the run: the timestamp, wall-clock
 * times and the wall-clock latency distribution.
 */
static json_object *result_json(struct __test_metadata *_metadata,
				const struct run_result *r, const char *path)
{
	static const char *const wall[][2] = {
		{ "metadata", "timestamp" },
		{ "timing", "wall_seconds" },
		{ "timing", "setup_seconds" },
		{ "timing", "fault_seconds" },
		{ "timing", "teardown_seconds" },
		{ "timing", "fault_cpu_seconds" },
		{ "distributions", "fault_latency_wall_ns" },
	};
	char err[256];
	json_object *j, *o;

	ASSERT_EQ(0, result_write_json(r, path, err, sizeof(err)));
	j = json_object_from_file(path);
	ASSERT_NE(NULL, j);
	for (size_t i = 0; i < sizeof(wall) / sizeof(wall[0]); i++) {
		ASSERT_TRUE(json_object_object_get_ex(j, wall[i][0], &o));
		ASSERT_TRUE(json_object_object_get_ex(o, wall[i][1], NULL));
		json_object_object_del(o, wall[i][1]);
	}
	unlink(path);
	return j;
}

TEST(det_same_result_file)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_FULL, FOLIO_2M);
	struct run_result *a, *b;
	char pa[] = "/tmp/rmibench-det-XXXXXX", pb[] = "/tmp/rmibench-det-XXXXXX";
	json_object *ja, *jb;

	c.vcpus = 4;
	c.size = 64 * MIB;
	c.shared_pct = 10;
	snprintf(c.profile, sizeof(c.profile), "spec");
	snprintf(c.workload, sizeof(c.workload), "storm");
	ASSERT_LE(0, mkstemp(pa));
	ASSERT_LE(0, mkstemp(pb));
	a = run(&c, NULL, 0);
	b = run(&c, NULL, 0);
	ja = result_json(_metadata, a, pa);
	jb = result_json(_metadata, b, pb);
	ASSERT_TRUE(json_object_equal(ja, jb));
	/* and the run did something worth comparing */
	ASSERT_LT(0ull, a->counts.delegate_races);
	ASSERT_LT(0ull, a->counts.faults_shared);
	json_object_put(ja);
	json_object_put(jb);
	free(a);
	free(b);
}

/* Shared (unprotected) accesses: UNPROT_MAP of 4 KiB NS pages, no
 * delegation; the tables go down to level 3 in the unprotected half. */
TEST(shared_accesses)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_4K);
	struct run_result *r;

	c.size = 4 * MIB;
	c.shared_pct = 100;
	r = run(&c, NULL, 0);
	ASSERT_STREQ("ok", r->outcome);
	ASSERT_EQ(1024ull, r->counts.faults_shared);
	ASSERT_EQ(0ull, r->counts.faults_private);
	/* per page: one UNPROT_MAP; the first in each 2 MiB also meets
	 * ERROR_RTT, and v15 creates every level the 4 KiB mapping needs
	 * in one go (find_map_level, rmi-facts 12.2): the first L2 + L3,
	 * the second L3: 1024 + 2 ERROR_RTT. RTTs: those 3, and the L2
	 * that INIT_RIPAS needed at set-up for a 4 MiB memslot (not a
	 * whole L1 entry). */
	ASSERT_EQ(1024ull, calls(r, RMI_RTT_UNPROT_MAP, RMI_SUCCESS));
	ASSERT_EQ(2ull, calls(r, RMI_RTT_UNPROT_MAP, RMI_ERROR_RTT));
	ASSERT_EQ(4ull, rtts_before_teardown(r));
	/* the private unmap: the memslot's L2 is empty (510 entries beyond
	 * the 4 MiB too), so 512 L3s there, and TEARDOWN_RTTS elsewhere */
	ASSERT_EQ(TEARDOWN_RTTS + 512, r->counts.rtts_created_teardown);
	ASSERT_EQ(r->counts.rtts_created, r->counts.rtts_destroyed);
	ASSERT_EQ(0ull, r->counts.warnings);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	/* teardown unmapped them: 2 * 512 pages in 2 UNPROT_UNMAP calls */
	ASSERT_EQ(2ull, calls(r, RMI_RTT_UNPROT_UNMAP, RMI_SUCCESS));
	free(r);
}

/*
 * Wall-clock stamps: every fault while a run makes at most 2^20 faults;
 * past that, 1 fault in the power of two that keeps about 2^20 stamped,
 * drawn at random (sim/host/sched.c). 4 GiB + 4 KiB of 4 KiB folios,
 * touched once: 2^20 + 1 faults, so 1 in 2: a binomial count of mean
 * (2^20 + 1) / 2 and standard deviation 512; the window is 8 of those.
 * The counts and the modelled latencies keep every fault.
 */
TEST(stamps_one_fault_in_n)
{
	struct run_config c = base("tf-rmm", RMI_RTT_STRATEGY_ONE_LEVEL,
				   FOLIO_4K);
	const uint64_t faults = (1ull << 20) + 1, half = faults / 2;
	struct run_result *r;

	c.size = 4 * MIB;
	r = run(&c, NULL, 0);
	ASSERT_EQ(1024ull, r->counts.faults);
	ASSERT_EQ(1u, r->fault_clock_every);
	ASSERT_EQ(1024ull, r->lat_wall.count);
	ASSERT_TRUE(r->phases_timed);
	ASSERT_LT(0.0, r->fault_clock_resolution_ns);
	free(r);

	c.size = 4 * GIB + 4096;
	r = run(&c, NULL, 0);
	ASSERT_STREQ("ok", r->outcome);
	ASSERT_EQ(faults, r->counts.faults);
	ASSERT_EQ(2u, r->fault_clock_every);
	ASSERT_EQ(faults, r->lat_model.count);
	ASSERT_EQ(faults, r->calls_per_fault.count);
	ASSERT_LE(half - 4096, r->lat_wall.count);
	ASSERT_GE(half + 4096, r->lat_wall.count);
	free(r);
}

/*
 * kvm->mmu_lock under the threads scheduler (sim/host/fault.c): readers
 * raise their own vCPU's flag, a writer the lock's. Four vCPU threads,
 * one of them a writer in 1 round of 8, check all through every round
 * that the lock excludes: no writer while they read, nobody else while
 * they write. A plain variable the writer changes and the readers read
 * makes any overlap a data race for the TSan build too (make
 * check-threads).
 */
struct lock_arg {
	struct host_vcpu *v;
	int *plain;		/* written by writers only, under the lock */
	int *readers, *writers;	/* atomics: who is inside */
	int *bad;		/* atomic: exclusions broken */
	bool writes;
	pthread_barrier_t *start;
};

#define LOCK_ROUNDS	16000

/* one vCPU thread that takes the lock and holds it until released */
struct try_arg {
	struct host_vcpu *v;
	bool write;
	int trying, inside, release;	/* atomics */
};

static void *try_lock(void *p)
{
	struct try_arg *a = p;

	__atomic_store_n(&a->trying, 1, __ATOMIC_RELEASE);
	host_mmu_lock(a->v, a->write);
	__atomic_store_n(&a->inside, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&a->release, __ATOMIC_ACQUIRE))
		usleep(100);
	host_mmu_unlock(a->v, a->write);
	return NULL;
}

static bool stays_out(struct try_arg *a)
{
	for (int i = 0; i < 100000 &&
	     !__atomic_load_n(&a->trying, __ATOMIC_ACQUIRE); i++)
		usleep(100);
	for (int i = 0; i < 50; i++) {
		if (__atomic_load_n(&a->inside, __ATOMIC_ACQUIRE))
			return false;
		usleep(1000);
	}
	return !__atomic_load_n(&a->inside, __ATOMIC_ACQUIRE);
}

static bool gets_in(struct try_arg *a)
{
	for (int i = 0; i < 10000; i++) {
		if (__atomic_load_n(&a->inside, __ATOMIC_ACQUIRE))
			return true;
		usleep(1000);
	}
	return false;
}

static void *lock_loop(void *p)
{
	struct lock_arg *a = p;

	pthread_barrier_wait(a->start);
	for (int i = 0; i < LOCK_ROUNDS; i++) {
		bool w = a->writes && !(i % 8);

		host_mmu_lock(a->v, w);
		if (w) {
			if (__atomic_add_fetch(a->writers, 1, __ATOMIC_SEQ_CST) != 1)
				__atomic_add_fetch(a->bad, 1, __ATOMIC_RELAXED);
			/* held while the others run, looking for readers
			 * all along: a fault on one CPU overlaps too */
			for (int k = 0; k < 4; k++) {
				if (__atomic_load_n(a->readers, __ATOMIC_SEQ_CST))
					__atomic_add_fetch(a->bad, 1,
							   __ATOMIC_RELAXED);
				sched_yield();
			}
			(*a->plain)++;
			__atomic_sub_fetch(a->writers, 1, __ATOMIC_SEQ_CST);
		} else {
			__atomic_add_fetch(a->readers, 1, __ATOMIC_SEQ_CST);
			for (int k = 0; k < 2; k++) {
				if (__atomic_load_n(a->writers, __ATOMIC_SEQ_CST))
					__atomic_add_fetch(a->bad, 1,
							   __ATOMIC_RELAXED);
				if (!(i % 16))
					sched_yield();
			}
			if (*a->plain < 0)
				__atomic_add_fetch(a->bad, 1, __ATOMIC_RELAXED);
			__atomic_sub_fetch(a->readers, 1, __ATOMIC_SEQ_CST);
		}
		host_mmu_unlock(a->v, w);
	}
	return NULL;
}

TEST(mmu_lock_threads)
{
	struct host_config hc = {
		.version = HOST_V15, .strategy = RMI_RTT_STRATEGY_ONE_LEVEL,
		.delegation = DELEG_V15, .profile = "tf-rmm",
		.delegate_granules = 1, .folio = FOLIO_4K, .ipa = GIB,
		.size = 4 * MIB, .vcpus = 4, .workload = "sequential",
		.passes = 1, .stride = 4096, .scheduler = SCHED_THREADS,
		.seed = 1, .s2sz = 40,
	};
	struct cost_model cost;
	struct host *h = aligned_alloc(_Alignof(struct host), sizeof(*h));
	struct lock_arg a[4];
	pthread_barrier_t start;
	pthread_t t[4];
	int plain = 0, readers = 0, writers = 0, bad = 0;
	uint64_t waits = 0;
	char err[256];

	ASSERT_NE(NULL, h);
	cost_model_default(&cost);
	ASSERT_EQ(0, host_init(h, &hc, &cost, NULL, NULL, err, sizeof(err)))
		TH_LOG("%s", err);
	pthread_barrier_init(&start, NULL, 4);
	for (int i = 0; i < 4; i++) {
		a[i] = (struct lock_arg){ &h->vcpus[i], &plain, &readers,
					  &writers, &bad, i == 0, &start };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, lock_loop, &a[i]));
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	ASSERT_EQ(0, bad);
	/* the writer's rounds, none lost */
	ASSERT_EQ(LOCK_ROUNDS / 8, plain);
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(0, h->vcpus[i].mmu_reader);
		waits += h->vcpus[i].lock_waits;
	}
	ASSERT_EQ(0, h->mmu_writer);
	TH_LOG("lock waits: %llu", (unsigned long long)waits);

	/*
	 * The protocol step by step: a writer stays out while a reader is
	 * in and gets in when it leaves; a reader stays out while the
	 * writer is in. "Stays out" is watched for 50 ms after the thread
	 * has started to take the lock (a lock that let it in would have
	 * by then; one that keeps it out always passes); "gets in" is
	 * waited for up to 10 s.
	 */
	struct try_arg w = { &h->vcpus[1], true }, rd = { &h->vcpus[2], false };
	pthread_t tw, tr;
	uint64_t w0 = h->vcpus[1].lock_waits, r0 = h->vcpus[2].lock_waits;

	host_mmu_lock(&h->vcpus[0], false);
	ASSERT_EQ(0, pthread_create(&tw, NULL, try_lock, &w));
	ASSERT_TRUE(stays_out(&w));
	host_mmu_unlock(&h->vcpus[0], false);
	ASSERT_TRUE(gets_in(&w));
	ASSERT_EQ(0, pthread_create(&tr, NULL, try_lock, &rd));
	ASSERT_TRUE(stays_out(&rd));
	__atomic_store_n(&w.release, 1, __ATOMIC_RELEASE);
	pthread_join(tw, NULL);
	ASSERT_TRUE(gets_in(&rd));
	__atomic_store_n(&rd.release, 1, __ATOMIC_RELEASE);
	pthread_join(tr, NULL);
	/* each found the lock taken once */
	ASSERT_EQ(w0 + 1, h->vcpus[1].lock_waits);
	ASSERT_EQ(r0 + 1, h->vcpus[2].lock_waits);
	host_fini(h);
	free(h);
}

TEST_HARNESS_MAIN
