// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host paths as each series version has them (--kernel v14|v15),
 * with counts derived by hand from rmi-facts 11 and 12, and the promise
 * that no RMI failure makes the sim hang: every loop the kernel would
 * spin in ends the run as a livelock naming the function and address.
 *
 * Set-up as in test_host.c unless a test says otherwise: S2SZ 40 (start
 * level 1, two root RTTs), memslot at 1 GiB, tf-rmm, one vCPU. The
 * shared alias of IPA A is A + 512 GiB.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

/* each run tears down a whole IPA space (1.5 M RMI calls at S2SZ 40):
 * seconds under the sanitizers; still bounded */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	300

#include "rmm.h"
#include "run.h"

#define MIB	(1ull << 20)

static struct run_result *run(struct run_config *c, const char *rule)
{
	struct run_result *r = calloc(1, sizeof(*r));
	struct inj_rule ir = { 0 };
	char err[256];

	if (!r || (rule && parse_inject_rule(rule, &ir, err, sizeof(err))) ||
	    run_one(c, &ir, rule ? 1 : 0, r, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", rule ? rule : "run", err);
		abort();
	}
	return r;
}

/* --kernel K as the command line gives it: the version's own paths */
static struct run_config version(enum host_version k, const char *profile)
{
	struct run_config c;

	run_config_default(&c);
	c.kernel = k;
	run_config_resolve(&c, false, false);
	snprintf(c.profile, sizeof(c.profile), "%s", profile);
	c.size = 4 * MIB;
	return c;
}

/*
 * Teardown of shared mappings (rmi-facts 12.5). Every access goes
 * through the shared alias: 1024 NS pages at 513 GiB, under an L2 and
 * two L3 RTTs of the unprotected half. v14's kvm_destroy_realm() ORs the
 * shared bit into [0, 512 GiB): start == end, nothing shared is unmapped.
 * The RTT teardown then meets the first L3, still holding NS pages:
 *  - spec counts an NS mapping as live [f7]: RTT_DESTROY answers
 *    ERROR_RTT(3), WARN "live table at level 3", -EBUSY, which v14
 *    ignores; REALM_DESTROY then answers ERROR_REALM (live RTTs), WARN,
 *    and teardown stops: the RD, the 2 roots, the shared L2 and its 2
 *    L3s stay delegated: 6 granules, RD 1 + RTT 5, 2 WARNs.
 *  - tf-rmm does not [f11.4]: the L3 goes, its NS pages with it; no leak.
 * v15 adds the shared bit and unmaps the whole shared half: no leak.
 */
TEST(teardown_of_shared_mappings)
{
	static const struct {
		enum host_version k;
		const char *profile;
		uint64_t leaked, rd, rtt, warnings;
	} want[] = {
		{ HOST_V14, "spec", 6, 1, 5, 2 },
		{ HOST_V14, "tf-rmm", 0, 0, 0, 0 },
		{ HOST_V15, "spec", 0, 0, 0, 0 },
		{ HOST_V15, "tf-rmm", 0, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct run_config c = version(want[i].k, want[i].profile);
		struct run_result *r;

		c.shared_pct = 100;
		r = run(&c, NULL);
		ASSERT_EQ(1024ull, r->counts.faults_shared);
		ASSERT_EQ(want[i].leaked, r->counts.leaked_granules);
		ASSERT_EQ(want[i].rd,
			  r->counts.leaked_by_state[RMI_GRANULE_RD]);
		ASSERT_EQ(want[i].rtt,
			  r->counts.leaked_by_state[RMI_GRANULE_RTT]);
		ASSERT_EQ(want[i].warnings, r->counts.warnings);
		if (want[i].warnings) {
			ASSERT_STREQ("RTT_DESTROY: live table at level 3 cannot be torn down",
				     r->counts.warn[0].reason);
			ASSERT_STREQ("REALM_DESTROY failed: ERROR_REALM",
				     r->counts.warn[1].reason);
			ASSERT_EQ(OUTCOME_LEAK, r->outcome_class);
		} else {
			ASSERT_EQ(OUTCOME_OK, r->outcome_class);
		}
		free(r);
	}
}

/*
 * A persistent ERROR_RTT(1) on every RTT_UNPROT_MAP (rmi-facts 12.2).
 * v14: the first fault creates the L2 and L3 (down to 3), retries once,
 * WARNs and returns the status: the fault handler re-enters the guest,
 * which faults again; every later fault finds the tables (no progress)
 * and ends the same way, until the livelock watch's 1000 re-faults: 1001
 * faults, 1001 WARNs, and the vCPU's livelock at the first shared page.
 * v15: the first fault creates both levels in one go and retries; the
 * ERROR_RTT again sends it round its loop, which the tree never leaves:
 * one fault, "livelock in realm_map_non_secure" at that page.
 */
TEST(persistent_unprot_map_error)
{
	const char *rule = "command=RTT_UNPROT_MAP,status=ERROR_RTT,index=1";
	struct run_config c = version(HOST_V14, "tf-rmm");
	struct run_result *r;

	c.shared_pct = 100;
	r = run(&c, rule);
	ASSERT_EQ(OUTCOME_LIVELOCK, r->outcome_class);
	ASSERT_EQ(1001ull, r->counts.faults);
	ASSERT_EQ(1001ull, r->counts.warnings);
	ASSERT_STREQ("UNPROT_MAP failed: ERROR_RTT", r->counts.warn[0].reason);
	ASSERT_STREQ("livelock: vcpu 0 faulted on IPA 0x8040000000 1000 times with no progress anywhere",
		     r->outcome);
	free(r);

	c = version(HOST_V15, "tf-rmm");
	c.shared_pct = 100;
	r = run(&c, rule);
	ASSERT_EQ(OUTCOME_LIVELOCK, r->outcome_class);
	ASSERT_EQ(1ull, r->counts.faults);
	ASSERT_EQ(0, strncmp(r->outcome, "livelock in realm_map_non_secure at 0x8040000000", 48));
	free(r);
}

/*
 * A failed DATA_UNMAP at teardown (rmi-facts 11.1, 12.6). The first
 * DATA_UNMAP (at IPA 0) fails once: v14 goes on from the RMM's x1 = 0,
 * which is where it was: it unmaps from 0 again; v15's wrapper leaves
 * next_addr alone on failure: it retries in place. Both recover with one
 * WARN and no leak. If it fails every time, both go round for ever (v14
 * from 0, v15 in place): after 8 failures at IPA 0 the run ends with a
 * livelock in realm_unmap_private_range; nothing of the realm could be
 * unmapped, so teardown cannot give it back (a leak the livelock
 * outranks).
 */
TEST(failed_data_unmap_at_teardown)
{
	for (int k = HOST_V14; k <= HOST_V15; k++) {
		struct run_config c = version((enum host_version)k, "tf-rmm");
		struct run_result *r;

		c.s2sz = 32;
		r = run(&c, "command=RTT_DATA_UNMAP,times=1");
		ASSERT_EQ(OUTCOME_WARN, r->outcome_class);
		ASSERT_EQ(1ull, r->counts.warnings);
		ASSERT_STREQ("DATA_UNMAP failed: ERROR_INPUT",
			     r->counts.warn[0].reason);
		ASSERT_EQ(0ull, r->counts.leaked_granules);
		free(r);

		r = run(&c, "command=RTT_DATA_UNMAP");
		ASSERT_EQ(OUTCOME_LIVELOCK, r->outcome_class);
		ASSERT_STREQ("livelock in realm_unmap_private_range at 0: DATA_UNMAP fails there on every pass (ERROR_INPUT)",
			     r->outcome);
		ASSERT_EQ(8ull, r->counts.warn[0].count);
		ASSERT_LT(0ull, r->counts.leaked_granules);
		free(r);
	}
}

/*
 * A failed REALM_CREATE: realm_create_rd() gives back what it delegated
 * and teardown has nothing to unmap. Calls: RMM_ACTIVATE, VERSION,
 * FEATURES, delegate the RD, delegate the 2 roots, REALM_CREATE (fails),
 * undelegate the 2 roots, undelegate the RD: 10, all at set-up.
 */
TEST(failed_realm_create)
{
	for (int k = HOST_V14; k <= HOST_V15; k++) {
		struct run_config c = version((enum host_version)k, "tf-rmm");
		struct run_result *r = run(&c, "command=REALM_CREATE");

		ASSERT_EQ(OUTCOME_KILLED, r->outcome_class);
		ASSERT_STREQ("REALM_CREATE failed: ERROR_INPUT", r->outcome);
		ASSERT_EQ(10ull, r->counts.rmi_calls);
		ASSERT_EQ(10ull, r->counts.rmi_calls_setup);
		ASSERT_EQ(0ull, r->counts.rmi_calls_teardown);
		ASSERT_EQ(0ull, r->counts.leaked_granules);
		free(r);
	}
}

/*
 * BUSY is retried by both trees' delegate loops, without bound. One BUSY
 * (times=1) costs one more call and nothing else; a persistent BUSY from
 * the 20th delegate on spins: "livelock in rmi_delegate_range".
 */
TEST(busy_delegate)
{
	struct run_config c = version(HOST_V15, "tf-rmm");
	struct run_result *a = run(&c, NULL);
	struct run_result *b = run(&c, "command=GRANULE_RANGE_DELEGATE,status=BUSY,times=1");
	struct run_result *p;

	ASSERT_EQ(OUTCOME_OK, b->outcome_class);
	ASSERT_EQ(a->counts.rmi_calls + 1, b->counts.rmi_calls);
	ASSERT_EQ(a->counts.faults, b->counts.faults);
	p = run(&c, "command=GRANULE_RANGE_DELEGATE,status=BUSY,space=20");
	ASSERT_EQ(OUTCOME_LIVELOCK, p->outcome_class);
	ASSERT_EQ(0, strncmp(p->outcome, "livelock in rmi_delegate_range at ", 34));
	free(a);
	free(b);
	free(p);
}

/*
 * No RMI failure makes the sim hang: a persistent error on every command
 * the host issues, for v14 (full), v15 (one-level) and v15 with block,
 * each run ends with a class. A command on every fault's path cannot
 * come out ok.
 */
TEST(persistent_error_on_every_command)
{
	static const char *const cmds[] = {
		"GRANULE_RANGE_DELEGATE", "GRANULE_RANGE_UNDELEGATE",
		"REALM_CREATE", "REALM_ACTIVATE", "REALM_TERMINATE",
		"REALM_DESTROY", "REC_CREATE", "REC_DESTROY", "RTT_CREATE",
		"RTT_DESTROY", "RTT_FOLD", "RTT_INIT_RIPAS", "RTT_DATA_MAP",
		"RTT_DATA_UNMAP", "RTT_UNPROT_MAP", "RTT_UNPROT_UNMAP",
		"VERSION", "FEATURES", "RMM_ACTIVATE",
	};
	static const char *const statuses[] = { "ERROR_INPUT", "ERROR_RTT" };

	for (int v = 0; v < 3; v++)
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			for (size_t s = 0; s < 2; s++) {
				struct run_config c = version(v ? HOST_V15 : HOST_V14,
							      "tf-rmm");
				struct run_result *r;
				char rule[128];

				if (v == 2)
					c.strategy = RMI_RTT_STRATEGY_BLOCK;
				c.s2sz = 32;
				c.shared_pct = 25;
				snprintf(rule, sizeof(rule), "command=%s,status=%s",
					 cmds[i], statuses[s]);
				r = run(&c, rule);
				TH_LOG("v%d %s: %s: %s", v, rule,
				       outcome_name(r->outcome_class), r->outcome);
				ASSERT_LT((int)r->outcome_class, OUTCOME_COUNT);
				/* v14 never unmaps the shared half */
				if (v || strcmp(cmds[i], "RTT_UNPROT_UNMAP")) {
					ASSERT_LT(0ull, r->counts.injected);
				} else {
					ASSERT_EQ(0ull, r->counts.injected);
				}
				if (!strcmp(cmds[i], "RTT_DATA_MAP") ||
				    !strcmp(cmds[i], "GRANULE_RANGE_DELEGATE") ||
				    !strcmp(cmds[i], "REALM_CREATE"))
					ASSERT_TRUE(outcome_fails(r->outcome_class));
				free(r);
			}
}

/*
 * The guest's RIPAS changes (RSI_IPA_STATE_SET EMPTY, then RAM) against
 * its faults. Each change is one realm_set_ipa_state() under
 * kvm->mmu_lock held for write; EMPTY unmaps the page if it is mapped,
 * and the next access faults it in again. One vCPU over 4 MiB, two
 * passes: a cycle in the first pass comes before the page's first access
 * (nothing to unmap), one in the second unmaps it: every re-fault is one
 * such cycle, so faults = 1024 + re-faults, re-faults <= cycles. No
 * other vCPU: the lock is never found taken. With four vCPUs, each on
 * its own slice (a page given back while another vCPU uses it is an
 * external abort, as on hardware), it is, and nothing leaks.
 */
TEST(ripas_changes_and_the_mmu_lock)
{
	struct run_config c = version(HOST_V15, "tf-rmm");
	struct run_result *r;

	c.passes = 2;
	c.ripas_pct = 10;
	r = run(&c, NULL);
	ASSERT_EQ(OUTCOME_OK, r->outcome_class);
	ASSERT_EQ(0ull, r->counts.ripas_changes % 2);
	ASSERT_LT(0ull, r->counts.refaults);
	ASSERT_GE(r->counts.ripas_changes / 2, r->counts.refaults);
	ASSERT_EQ(1024ull + r->counts.refaults, r->counts.faults);
	ASSERT_EQ(0ull, r->counts.mmu_lock_waits);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	free(r);

	for (int s = SCHED_DET; s <= SCHED_THREADS; s++) {
		c.vcpus = 4;
		snprintf(c.workload, sizeof(c.workload), "random");
		c.scheduler = (enum sched_kind)s;
		c.size = s == SCHED_DET ? 4 * MIB : 64 * MIB;
		r = run(&c, NULL);
		ASSERT_EQ(OUTCOME_OK, r->outcome_class) TH_LOG("%s", r->outcome);
		ASSERT_LT(0ull, r->counts.ripas_changes);
		if (s == SCHED_DET) {
			ASSERT_LT(0ull, r->counts.mmu_lock_waits);
		}
		ASSERT_EQ(0ull, r->counts.leaked_granules);
		free(r);
	}
}

TEST_HARNESS_MAIN
