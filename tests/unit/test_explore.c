// SPDX-License-Identifier: GPL-2.0-only
/*
 * Schedules and the explorer (bench/schedule.h, bench/explore.h): the
 * schedule grammar and its one-line errors, the counts of scheduled runs
 * derived by hand, the footprints the model notes, v14's partial-
 * delegation leak found from scratch and replayed exactly, v15 pinned.
 *
 * The scenario partial-delegation (schedule.c): two vCPUs, a 2 MiB
 * memslot at 1 GiB that is one 2 MiB folio, both vCPUs going over it
 * page by page, tf-rmm (one granule per delegate call), S2SZ 32. Set-up
 * makes 15 RMI calls, 7 of them delegates (RD, root RTTs, two RECs).
 *
 * The default schedule is round robin, one RMI call each: at decision 0
 * vCPU 0 goes first and delegates granule 0; then vCPU 1 faults on the
 * folio and its delegate of granule 0 fails (ERROR_INPUT, delegated): a
 * race, back to the guest, a re-fault; after each of vCPU 0's calls
 * vCPU 1 fails once more, until vCPU 0's 513th call (DATA_MAP of the 2
 * MiB block) maps the folio and vCPU 1's accesses all hit. So:
 * vCPU 0 1 fault, 513 calls; vCPU 1 512 faults (re-faults), 512 calls
 * and 512 delegate races; 1025 calls while the vCPUs run; decisions:
 * the first, one after each of the 1025 calls: 1026.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

/* runs tear down a 32-bit IPA space (about 4000 RMI calls each); the
 * explorations make thousands: seconds under the sanitizers */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	600

#include "backend.h"
#include "explore.h"
#include "rmm.h"
#include "run.h"
#include "schedule.h"

/* `rmibench run --schedule TEXT` with no other option */
static struct run_result *replay(const char *text, struct replay *rep)
{
	struct run_result *r = calloc(1, sizeof(*r));
	struct run_opts o = { 0 };
	struct sched_chooser ch;
	static struct schedule s;
	char err[256];

	run_config_default(&o.cfg);
	if (!r || schedule_parse(text, &s, err, sizeof(err)) ||
	    schedule_apply(&s, &o, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", text, err);
		abort();
	}
	*rep = (struct replay){ .s = &s };
	ch = (struct sched_chooser){ replay_choose, rep, false };
	backend_sim_set_chooser(&ch);
	if (run_one(&o.cfg, o.rules, o.nrules, r, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", text, err);
		abort();
	}
	backend_sim_set_chooser(NULL);
	return r;
}

static void explore_opts(struct explore_opts *o, enum host_version k)
{
	char err[256];

	explore_opts_default(o);
	run_config_default(&o->run.cfg);
	o->run.cfg.kernel = k;
	run_config_resolve(&o->run.cfg, false, false);
	o->scen = scenario_find("partial-delegation");
	if (scenario_apply(o->scen, &o->run, err, sizeof(err)))
		abort();
	o->random_runs = 0;
	o->max_seconds = 600;
}

/* ---- the grammar ---------------------------------------------------------- */

TEST(schedule_text)
{
	static const char *const canon[] = {
		"v14:partial-delegation:d733.1x2.d10.0/fail=RTT_DATA_MAP#1:ERROR_RTT.2",
		"v15:unmap",
		"v15:ripas-empty:1/fail=GRANULE_RANGE_UNDELEGATE#3:BUSY",
		"v14:shared-folios:2.d5.1x7",
	};
	struct schedule s;
	char err[256], buf[SCHED_TEXT_MAX];

	ASSERT_EQ(0, schedule_parse(canon[0], &s, err, sizeof(err)));
	ASSERT_EQ(HOST_V14, s.kernel);
	ASSERT_STREQ("partial-delegation", s.scen->name);
	ASSERT_EQ(2u, s.ndev);
	ASSERT_EQ(733u, s.dev[0].at);
	ASSERT_EQ(2u, s.dev[0].count);
	ASSERT_EQ(1u, s.dev[0].vcpu);
	/* 733 + 2 + 10 */
	ASSERT_EQ(745u, s.dev[1].at);
	ASSERT_EQ(1u, s.dev[1].count);
	ASSERT_EQ(0u, s.dev[1].vcpu);
	ASSERT_EQ(746u, schedule_end(&s));
	ASSERT_TRUE(s.fail);
	ASSERT_STREQ("RTT_DATA_MAP", result_cmd_name(s.fail_cmd));
	ASSERT_EQ(1ull, s.fail_n);
	ASSERT_EQ((unsigned int)RMI_ERROR_RTT, s.fail_status);
	ASSERT_EQ(2u, s.fail_index);
	schedule_fail_rule(&s, buf, sizeof(buf));
	ASSERT_STREQ("command=RTT_DATA_MAP,status=ERROR_RTT,index=2,space=1,times=1",
		     buf);
	for (unsigned int i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		ASSERT_EQ(0, schedule_parse(canon[i], &s, err, sizeof(err)));
		ASSERT_EQ((int)strlen(canon[i]),
			  schedule_format(&s, buf, sizeof(buf)));
		ASSERT_STREQ(canon[i], buf);
	}
	/* runs of one vCPU join; "d" runs and index 0 are written short */
	ASSERT_EQ(0, schedule_parse("v14:partial-delegation:0.0.1.d1.d2.1/fail=RTT_DATA_MAP#2:ERROR_INPUT.0",
				    &s, err, sizeof(err)));
	schedule_format(&s, buf, sizeof(buf));
	ASSERT_STREQ("v14:partial-delegation:0x2.1.d3.1/fail=RTT_DATA_MAP#2:ERROR_INPUT",
		     buf);
}

TEST(schedule_text_refused)
{
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "", "want KERNEL:SCENARIO" },
		{ "v14", "want KERNEL:SCENARIO" },
		{ "v13:partial-delegation", "kernel 'v13' unknown" },
		{ "v14:nope", "scenario 'nope' unknown: want partial-delegation, shared-folios, ripas-empty, unmap" },
		{ "v14:partial-delegation:", "empty choices" },
		{ "v14:partial-delegation:x", "choice 'x'" },
		{ "v14:partial-delegation:1x0", "COUNT from 1" },
		{ "v14:partial-delegation:d0", "COUNT from 1" },
		{ "v14:partial-delegation:64", "want a vCPU (0..63)" },
		{ "v14:partial-delegation:1,0", "separated by '.'" },
		{ "v14:partial-delegation:1..0", "choice '.0'" },
		{ "v14:partial-delegation:-1", "want a vCPU" },
		{ "v14:partial-delegation:d4294967295.1", "too many" },
		{ "v14:partial-delegation/fail", "want /fail=" },
		{ "v14:partial-delegation/fail=", "want COMMAND#N" },
		{ "v14:partial-delegation/fail=NOPE#1:ERROR_INPUT", "unknown RMI command 'NOPE'" },
		{ "v14:partial-delegation/fail=RTT_DATA_MAP#0:ERROR_INPUT", "N from 1" },
		{ "v14:partial-delegation/fail=RTT_DATA_MAP#1", "want #N:STATUS" },
		{ "v14:partial-delegation/fail=RTT_DATA_MAP#1:SUCCESS", "unknown or SUCCESS" },
		{ "v14:partial-delegation/fail=RTT_DATA_MAP#1:ERROR_RTT.256", "want 0..255" },
		{ "v14:partial-delegation/fail=RTT_DATA_MAP#1:ERROR_RTT.2x", "want 0..255" },
	};
	char err[256], longer[SCHED_TEXT_MAX + 8];
	struct schedule s;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		EXPECT_EQ(-1, schedule_parse(bad[i].text, &s, err, sizeof(err)))
			TH_LOG("'%s' taken", bad[i].text);
		EXPECT_NE(NULL, strstr(err, bad[i].says))
			TH_LOG("'%s': '%s'", bad[i].text, err);
		EXPECT_EQ(NULL, strchr(err, '\n'));
	}
	memset(longer, '1', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	memcpy(longer, "v14:unmap:", 10);
	EXPECT_EQ(-1, schedule_parse(longer, &s, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "longer than"));
}

/* ---- scheduled runs, by hand ------------------------------------------------ */

TEST(default_schedule)
{
	/* the counts of the header, for both series: v15's delegation also
	 * calls a failure on the first granule a race */
	static const char *const text[] = { "v14:partial-delegation",
					    "v15:partial-delegation" };

	for (int i = 0; i < 2; i++) {
		struct replay rep;
		struct run_result *r = replay(text[i], &rep);

		ASSERT_EQ(OUTCOME_OK, r->outcome_class);
		ASSERT_EQ(513ull, r->counts.faults);
		ASSERT_EQ(512ull, r->counts.refaults);
		ASSERT_EQ(512ull, r->counts.delegate_races);
		ASSERT_EQ(1025ull, r->counts.rmi_calls_fault);
		ASSERT_EQ(15ull, r->counts.rmi_calls_setup);
		ASSERT_EQ(1024ull, r->counts.accesses);
		ASSERT_EQ(2 * 1024 * 1024ull, r->counts.mapped_bytes[2]);
		ASSERT_EQ(1026u, rep.decisions);
		ASSERT_EQ(0u, rep.preemptions);
		ASSERT_STREQ("", r->schedule);
		free(r);
	}
}

/*
 * vCPU 0 at decisions 0, 1 and 2 (1 and 2 not the default): three
 * delegates before vCPU 1's first fault, which then fails after each of
 * vCPU 0's calls 3..512: 510 faults, races and calls. 513 + 510 = 1023
 * calls, 1 + 1023 decisions.
 */
TEST(chosen_vcpus)
{
	struct replay rep;
	struct run_result *r = replay("v14:partial-delegation:0x3", &rep);

	ASSERT_EQ(OUTCOME_OK, r->outcome_class);
	ASSERT_EQ(511ull, r->counts.faults);
	ASSERT_EQ(510ull, r->counts.delegate_races);
	ASSERT_EQ(1023ull, r->counts.rmi_calls_fault);
	ASSERT_EQ(1024u, rep.decisions);
	ASSERT_EQ(2u, rep.preemptions);
	ASSERT_EQ(0u, rep.ignored);
	free(r);
}

/*
 * The failure point DATA_MAP#1 (vCPU 0's 513th call, decision 1024)
 * fails with ERROR_INPUT: v14 WARNs and, mapping nothing, undelegates the
 * folio (512 calls) and fails the fault: the realm is killed.
 *
 * Default: vCPU 1 fails on granule 0 once more (d1025), vCPU 0 gives
 * granule 0 back (d1026), vCPU 1 takes it (d1027), and from then on
 * delegates granule k right after vCPU 0 gave it back: it gets all 512,
 * maps the folio after vCPU 0 killed the realm, and teardown takes all
 * back: no leak. 1025 + 1026 calls; faults 1 + 512 + 1 + 1 = 515, all
 * of vCPU 1's but its last a race: 513.
 *
 * vCPU 1 at d1028 instead of vCPU 0: it asks for granule 1, which vCPU
 * 0 has not given back yet: ERROR_INPUT after granule 0 was delegated, a
 * "race" to v14, which leaves granule 0 delegated. vCPU 0 gives back
 * 1..511 while vCPU 1 re-faults on granule 0 (its own now) after each:
 * vCPU 1 makes 512 + 1 + 2 + 511 = 1026 calls in 1025 faults, all races;
 * 1026 faults in all; teardown finds granule 0 DELEGATED: a leak of 1.
 * No earlier choice does it: at d1026 vCPU 1 would fail on granule 0
 * itself (nothing delegated), at d1027 vCPU 1 is the default.
 */
TEST(partial_delegation_leak_by_hand)
{
	struct replay rep;
	struct run_result *r;

	r = replay("v14:partial-delegation/fail=RTT_DATA_MAP#1:ERROR_INPUT",
		   &rep);
	ASSERT_EQ(OUTCOME_KILLED, r->outcome_class);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	ASSERT_EQ(515ull, r->counts.faults);
	ASSERT_EQ(513ull, r->counts.delegate_races);
	ASSERT_EQ(2051ull, r->counts.rmi_calls_fault);
	ASSERT_EQ(2051u, rep.decisions);
	ASSERT_EQ(1ull, r->counts.warnings);
	ASSERT_STREQ("DATA_MAP failed: ERROR_INPUT 0", r->counts.warn[0].reason);
	free(r);

	r = replay("v14:partial-delegation:d1028.1/fail=RTT_DATA_MAP#1:ERROR_INPUT",
		   &rep);
	ASSERT_EQ(OUTCOME_LEAK, r->outcome_class);
	ASSERT_EQ(1ull, r->counts.leaked_granules);
	ASSERT_EQ(1ull, r->counts.leaked_by_state[RMI_GRANULE_DELEGATED]);
	ASSERT_EQ(1026ull, r->counts.faults);
	ASSERT_EQ(1025ull, r->counts.delegate_races);
	ASSERT_EQ(2051ull, r->counts.rmi_calls_fault);
	ASSERT_EQ(1ull, r->counts.injected);
	ASSERT_EQ(1u, rep.preemptions);
	ASSERT_STREQ("vcpu 0: realm_map_protected returned -6 at IPA 0x40000000: KVM_RUN fails, the VMM kills the realm",
		     r->outcome);
	free(r);

	r = replay("v14:partial-delegation:d1026.1/fail=RTT_DATA_MAP#1:ERROR_INPUT",
		   &rep);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	free(r);
}

/* ---- footprints --------------------------------------------------------------- */

/*
 * A delegate that succeeds writes its granule's state, one that fails
 * reads it: two delegates of different granules commute, two failures
 * on one granule too; a success and anything on its granule do not.
 */
TEST(footprints)
{
	struct rmm_config mc = { .profile = rmm_profile_find("tf-rmm") };
	struct rmm *m = rmm_create(&mc);
	struct rmm_footprint a, b, c, d;
	const uint64_t g0 = 1ull << 30, g1 = g0 + 4096;

	ASSERT_NE(NULL, m);
	ASSERT_EQ(0ull, rmm_call(m, RMI_RMM_ACTIVATE, 0, 0, 0, 0, 0, NULL));
	rmm_footprint_reset(&a);
	rmm_footprint_set(&a);
	ASSERT_EQ(0ull, rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, g0, g0 + 4096,
				 0, 0, 0, NULL));
	rmm_footprint_reset(&b);
	rmm_footprint_set(&b);
	ASSERT_EQ(0ull, rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, g1, g1 + 4096,
				 0, 0, 0, NULL));
	rmm_footprint_reset(&c);
	rmm_footprint_set(&c);
	ASSERT_EQ((uint64_t)RMI_ERROR_INPUT,
		  rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, g0, g0 + 4096, 0, 0,
			   0, NULL));
	rmm_footprint_reset(&d);
	rmm_footprint_set(&d);
	ASSERT_EQ((uint64_t)RMI_ERROR_INPUT,
		  rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, g0, g0 + 4096, 0, 0,
			   0, NULL));
	rmm_fp_note(RMM_FP_HOST, 7, 8, false);
	rmm_footprint_set(NULL);
	/* noted with none installed: nowhere */
	rmm_fp_note(RMM_FP_HOST, 7, 8, true);

	ASSERT_EQ(1u, a.n);
	ASSERT_EQ((unsigned char)RMM_FP_GRANULE, a.it[0].kind);
	ASSERT_EQ(g0, a.it[0].lo);
	ASSERT_EQ(g0 + 4096, a.it[0].hi);
	ASSERT_TRUE(a.it[0].write);
	ASSERT_FALSE(c.it[0].write);
	ASSERT_EQ(2u, d.n);
	ASSERT_FALSE(rmm_fp_conflict(&a, &b));
	ASSERT_TRUE(rmm_fp_conflict(&a, &c));
	ASSERT_TRUE(rmm_fp_conflict(&c, &a));
	ASSERT_FALSE(rmm_fp_conflict(&c, &d));
	ASSERT_FALSE(rmm_fp_conflict(&b, &d));
	/* ranges of one access merge; past RMM_FP_MAX items: everything */
	rmm_footprint_reset(&a);
	rmm_fp_add(&a, RMM_FP_GRANULE, g0, g0 + 4096, true);
	rmm_fp_add(&a, RMM_FP_GRANULE, g1, g1 + 4096, true);
	ASSERT_EQ(1u, a.n);
	ASSERT_EQ(g1 + 4096, a.it[0].hi);
	for (unsigned int i = 0; i < RMM_FP_MAX + 1; i++)
		rmm_fp_add(&a, RMM_FP_HOST, 10 * i, 10 * i + 1, false);
	ASSERT_TRUE(a.all);
	ASSERT_TRUE(rmm_fp_conflict(&a, &d));
	rmm_destroy(m);
}

/* ---- the explorer ------------------------------------------------------------- */

/*
 * From scratch, told nothing but to stop at the first leak: the leak of
 * partial_delegation_leak_by_hand, shrunk to its one choice at d1028 and
 * the one DATA_MAP failing, and its result the replay's exactly.
 */
TEST(v14_leak_found)
{
	struct explore_result *res = calloc(1, sizeof(*res));
	struct explore_opts o;
	const struct explore_finding *f = NULL;
	struct run_result *r;
	struct replay rep;
	char err[256];

	ASSERT_NE(NULL, res);
	explore_opts(&o, HOST_V14);
	o.until = OUTCOME_LEAK;
	ASSERT_EQ(0, explore_run(&o, res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, strncmp(res->st.stopped, "found leak", 10));
	for (unsigned int i = 0; i < res->nfind; i++)
		if (res->find[i].cls == OUTCOME_LEAK)
			f = &res->find[i];
	ASSERT_NE(NULL, f);
	ASSERT_STREQ("leak, RTT_DATA_MAP failing with ERROR_INPUT", f->key);
	ASSERT_STREQ("v14:partial-delegation:d1028.1/fail=RTT_DATA_MAP#1:ERROR_INPUT",
		     f->schedule);
	ASSERT_EQ(1u, f->choices);
	ASSERT_EQ(1u, f->preemptions);
	ASSERT_EQ(1ull, f->leaked);
	ASSERT_STREQ(f->schedule, f->result->schedule);

	r = replay(f->schedule, &rep);
	ASSERT_EQ(0, memcmp(&r->counts, &f->result->counts, sizeof(r->counts)));
	ASSERT_EQ(0, memcmp(&r->cfg, &f->result->cfg, sizeof(r->cfg)));
	ASSERT_STREQ(r->outcome, f->result->outcome);
	ASSERT_EQ(r->outcome_class, f->result->outcome_class);
	ASSERT_EQ(r->lat_model.count, f->result->lat_model.count);
	ASSERT_EQ(r->lat_model.sum, f->result->lat_model.sum);
	ASSERT_EQ(r->virtual_seconds, f->result->virtual_seconds);
	free(r);
	explore_result_free(res);
	free(res);
}

/*
 * v15, every interleaving up to two runs of choices, no failure point:
 * no failing run (vCPU 1's failed delegates leave nothing delegated and
 * nothing else races).
 */
TEST(v15_interleavings_clean)
{
	struct explore_result *res = calloc(1, sizeof(*res));
	struct explore_opts o;
	char err[256];

	ASSERT_NE(NULL, res);
	explore_opts(&o, HOST_V15);
	o.failures = false;
	o.bound = 2;
	ASSERT_EQ(0, explore_run(&o, res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_TRUE(res->st.exhausted);
	ASSERT_EQ(0ull, res->st.failing);
	ASSERT_EQ(0u, res->nfind);
	ASSERT_EQ(0ull, res->st.failure_points);
	ASSERT_EQ(res->st.complete, res->st.by_class[OUTCOME_OK]);
	ASSERT_EQ(1026u, res->st.baseline_decisions);
	ASSERT_EQ(1025ull, res->st.baseline_calls);
	explore_result_free(res);
	free(res);
}

/*
 * v15, every failure point of the default schedule (level 0): the
 * baseline's 1025 calls are 1024 delegates (statuses ERROR_INPUT, BUSY,
 * BLOCKED, INCOMPLETE, ERROR_TRACKING, ERROR_GPT) and one DATA_MAP
 * (ERROR_INPUT, ERROR_REALM, ERROR_RTT at levels 2 and 3: the realm
 * starts at level 2): 6 * 1024 + 4 = 6148 failure points. Two distinct failures:
 *  - a delegate of vCPU 0 failing after granule 0 (call 10: the 7 of
 *    set-up, vCPU 0's, vCPU 1's, vCPU 0's second): v15 maps the granule
 *    delegated (an L3 RTT, one page); vCPU 0's next page faults, and the
 *    folio's delegate starts at granule 0, now DATA: "nothing
 *    delegated", a race, for ever: the re-fault livelock;
 *  - DATA_MAP failing with ERROR_RTT(2): one level is created, an L3 RTT
 *    under the 2 MiB entry, and the 2 MiB DATA_MAP answers ERROR_RTT(2)
 *    from then on (rmi-facts 4): vCPU 0 loops in realm_map_protected
 *    while vCPU 1, finding the folio's granules no longer delegable,
 *    re-faults with nothing changing anywhere (vCPU 0's RTT pages,
 *    delegated and given back, are no progress): the re-fault watch
 *    (100 in the scenario) fires before the spin bound (10000).
 * A WARN or a killed realm is v15 answering the failure: no failure.
 */
TEST(v15_failure_points_pinned)
{
	struct explore_result *res = calloc(1, sizeof(*res));
	struct explore_opts o;
	char err[256];
	bool refault = false, spin = false;

	ASSERT_NE(NULL, res);
	explore_opts(&o, HOST_V15);
	o.bound = 0;
	ASSERT_EQ(0, explore_run(&o, res, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_TRUE(res->st.exhausted);
	ASSERT_EQ(6148ull, res->st.failure_points);
	ASSERT_EQ(6149ull, res->st.runs);
	ASSERT_EQ(2u, res->nfind);
	for (unsigned int i = 0; i < res->nfind; i++) {
		const struct explore_finding *f = &res->find[i];

		ASSERT_EQ(OUTCOME_LIVELOCK, f->cls);
		ASSERT_EQ(0ull, f->leaked);
		if (!strcmp(f->key, "livelock in re-fault, GRANULE_RANGE_DELEGATE failing with ERROR_INPUT")) {
			refault = true;
			ASSERT_STREQ("v15:partial-delegation/fail=GRANULE_RANGE_DELEGATE#10:ERROR_INPUT",
				     f->schedule);
		} else {
			spin = true;
			ASSERT_STREQ("livelock in re-fault, RTT_DATA_MAP failing with ERROR_RTT.2",
				     f->key);
			ASSERT_STREQ("v15:partial-delegation/fail=RTT_DATA_MAP#1:ERROR_RTT.2",
				     f->schedule);
		}
	}
	ASSERT_TRUE(refault && spin);
	ASSERT_EQ(0ull, res->st.by_class[OUTCOME_LEAK]);
	explore_result_free(res);
	free(res);
}

TEST_HARNESS_MAIN
