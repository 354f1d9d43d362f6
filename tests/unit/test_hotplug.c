// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory the RMM cannot use yet: the host's boot (arm64_init_rmi, v14's
 * rmi_init_metadata), memory hotplugged after boot (--hotplug), and the
 * two ways of meeting it (--gpt boot, as the trees; --gpt on-demand, the
 * review's sketch), with counts derived by hand.
 *
 * Set-up as in test_versions.c: S2SZ 40 (start level 1), memslot at
 * 1 GiB, tf-rmm, one vCPU, 4 KiB folios, sequential, --firmware boot.
 * --hotplug 1G with --size 1G: every folio of the memslot comes from the
 * hotplugged GiB at PA 2 TiB, CONVENTIONAL, COARSE, without a level-1 GPT.
 *
 * Boot (boot_rmi_calls, not in rmi_calls): the sim activates the RMM,
 * then VERSION and FEATURES (v14 registers 0 and 1, v15 0..4): 4 or 7.
 * v14's rmi_init_metadata, per memblock region, one GRANULE_TRACKING_GET
 * (one answer covers it) and a GPT_L1_CREATE per GiB (each ERROR_GPT:
 * firmware made them): DRAM [0, 64 GiB) 1 + 64, the guest bank [1 TiB,
 * 1 TiB + size - hotplug) 1 + its GiB (none when all is hotplugged), the
 * NS bank [2^47 + 1 GiB, + size) 1 + 1.
 *
 * Set-up (rmi_calls.setup): RMM_ACTIVATE, VERSION, FEATURES, the RD's
 * delegate, the 2 roots' (one granule per call), REALM_CREATE, the REC's
 * delegate, REC_CREATE, one RTT_INIT_RIPAS (the memslot is one whole
 * L1 entry), REALM_ACTIVATE: 11.
 *
 * The fault path on 1 GiB of 4 KiB folios, without hotplug: the first
 * fault 7 calls for full (delegate, DATA_MAP -> ERROR_RTT(1), L2 and L3
 * RTTs, a page to delegate and RTT_CREATE each, DATA_MAP) and 8 for
 * one-level (it goes round twice); the first of each other 2 MiB 5
 * (delegate, DATA_MAP -> ERROR_RTT(2), the L3, DATA_MAP); the rest 2:
 * full 7 + 511 * 5 + 261632 * 2 = 525826, one-level 525827.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	300

#include "host.h"
#include "rmm.h"
#include "run.h"

#define GIB	(1ull << 30)
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

static struct run_config version(enum host_version k)
{
	struct run_config c;

	run_config_default(&c);
	c.kernel = k;
	run_config_resolve(&c, false, false);
	c.size = GIB;
	c.hotplug = GIB;
	return c;
}

static uint64_t by_status(const struct run_result *r, unsigned int cmd,
			  unsigned int st)
{
	return r->counts.by_cmd[cmd][st];
}

static uint64_t by_cmd(const struct run_result *r, unsigned int cmd)
{
	uint64_t n = 0;

	for (unsigned int st = 0; st < STATUS_BUCKETS; st++)
		n += r->counts.by_cmd[cmd][st];
	return n;
}

/*
 * --gpt boot (both trees): the first fault delegates its folio at PA
 * 2 TiB: ERROR_TRACKING (COARSE). v14 takes any failure for a race, v15
 * too when nothing was delegated: back to the guest, which faults again,
 * one refused delegate per fault, until the livelock watch's 1000
 * re-faults: 1001 faults, 1001 calls on the fault path, 1001 races, all
 * of them memory_prep calls and faults (1001 per GiB, 1 per fault). The
 * reason names the status. Boot: v14 4 + (1 + 64) + (1 + 1) = 71 (no
 * guest bank: all of it is hotplugged), v15 7.
 */
TEST(boot_gpt_livelocks)
{
	for (int k = HOST_V14; k <= HOST_V15; k++) {
		struct run_config c = version((enum host_version)k);
		struct run_result *r = run(&c, NULL);

		ASSERT_EQ(OUTCOME_LIVELOCK, r->outcome_class);
		ASSERT_STREQ("livelock: vcpu 0 faulted on IPA 0x40000000 1000 times with no progress anywhere: GRANULE_RANGE_DELEGATE answers ERROR_TRACKING at PA 0x20000000000 (memory the RMM cannot use yet), taken for a race",
			     r->outcome);
		ASSERT_EQ(k == HOST_V14 ? 71ull : 7ull,
			  r->counts.boot_rmi_calls);
		ASSERT_EQ(11ull, r->counts.rmi_calls_setup);
		ASSERT_EQ(1001ull, r->counts.faults);
		ASSERT_EQ(1000ull, r->counts.refaults);
		ASSERT_EQ(1001ull, r->counts.rmi_calls_fault);
		ASSERT_EQ(1001ull, r->counts.delegate_races);
		ASSERT_EQ(1001ull, by_status(r, RMI_CMD_GRANULE_RANGE_DELEGATE,
					     RMI_ERROR_TRACKING));
		ASSERT_EQ(0ull, by_cmd(r, RMI_CMD_GRANULE_TRACKING_SET));
		ASSERT_EQ(1001ull, r->counts.memory_prep_calls);
		ASSERT_EQ(1001ull, r->counts.memory_prep_faults);
		ASSERT_TRUE(result_prep_calls_per_gib(r) == 1001.0);
		ASSERT_TRUE(result_prep_calls_per_fault(r) == 1.0);
		ASSERT_EQ(0ull, r->counts.leaked_granules);
		free(r);
	}
}

/*
 * --gpt on-demand (both trees): the first fault's delegate answers
 * ERROR_TRACKING; GRANULE_TRACKING_GET of the GiB (CONVENTIONAL,
 * COARSE), GRANULE_TRACKING_SET to FINE, the delegate again: ERROR_GPT;
 * GPT_L1_CREATE, the delegate again: SUCCESS. 5 calls more than the same
 * realm on boot memory, all in the first fault, and no more: the GiB is
 * ready. The fault path: 525826 + 5 (v14), 525827 + 5 (v15); the whole
 * run 5 more than with --hotplug 0, set-up and teardown the same. Boot:
 * 71 / 7, and without hotplug 73 (the guest bank's GiB) / 7.
 */
TEST(on_demand_completes)
{
	for (int k = HOST_V14; k <= HOST_V15; k++) {
		struct run_config c = version((enum host_version)k);
		struct run_result *r, *b;

		c.gpt = GPT_ON_DEMAND;
		r = run(&c, NULL);
		ASSERT_EQ(OUTCOME_OK, r->outcome_class);
		ASSERT_EQ(262144ull, r->counts.faults);
		ASSERT_EQ(0ull, r->counts.refaults);
		ASSERT_EQ(0ull, r->counts.delegate_races);
		ASSERT_EQ(k == HOST_V14 ? 525831ull : 525832ull,
			  r->counts.rmi_calls_fault);
		ASSERT_EQ(1ull, by_status(r, RMI_CMD_GRANULE_RANGE_DELEGATE,
					  RMI_ERROR_TRACKING));
		ASSERT_EQ(1ull, by_status(r, RMI_CMD_GRANULE_RANGE_DELEGATE,
					  RMI_ERROR_GPT));
		ASSERT_EQ(1ull, by_status(r, RMI_CMD_GRANULE_TRACKING_GET,
					  RMI_SUCCESS));
		ASSERT_EQ(1ull, by_status(r, RMI_CMD_GRANULE_TRACKING_SET,
					  RMI_SUCCESS));
		ASSERT_EQ(1ull, by_status(r, RMI_CMD_GPT_L1_CREATE,
					  RMI_SUCCESS));
		ASSERT_EQ(5ull, r->counts.memory_prep_calls);
		ASSERT_EQ(1ull, r->counts.memory_prep_faults);
		ASSERT_TRUE(result_prep_calls_per_gib(r) == 5.0);
		ASSERT_TRUE(result_prep_calls_per_fault(r) == 5.0);
		ASSERT_EQ(0ull, r->counts.leaked_granules);
		ASSERT_EQ(k == HOST_V14 ? 71ull : 7ull,
			  r->counts.boot_rmi_calls);

		c.hotplug = 0;
		b = run(&c, NULL);
		ASSERT_EQ(OUTCOME_OK, b->outcome_class);
		ASSERT_EQ(b->counts.rmi_calls + 5, r->counts.rmi_calls);
		ASSERT_EQ(b->counts.rmi_calls_fault + 5,
			  r->counts.rmi_calls_fault);
		ASSERT_EQ(b->counts.rmi_calls_setup, r->counts.rmi_calls_setup);
		ASSERT_EQ(b->counts.rmi_calls_teardown,
			  r->counts.rmi_calls_teardown);
		ASSERT_EQ(0ull, b->counts.memory_prep_calls);
		ASSERT_EQ(k == HOST_V14 ? 73ull : 7ull,
			  b->counts.boot_rmi_calls);
		free(r);
		free(b);
	}
}

/*
 * --firmware all: firmware prepared the hotpluggable range too (FINE, an
 * L1 GPT): --gpt boot runs as on boot memory: the realm's counts are
 * those of --hotplug 0, no memory_prep call. S2SZ 32 (the memslot at
 * 1 GiB still fits the protected 2 GiB) keeps teardown short.
 */
TEST(firmware_prepared_all)
{
	struct run_config c = version(HOST_V15);
	struct run_result *r, *b;

	c.firmware = RMM_FW_ALL;
	c.s2sz = 32;
	r = run(&c, NULL);
	c.hotplug = 0;
	b = run(&c, NULL);
	ASSERT_EQ(OUTCOME_OK, r->outcome_class);
	ASSERT_EQ(0ull, r->counts.memory_prep_calls);
	ASSERT_EQ(b->counts.rmi_calls, r->counts.rmi_calls);
	ASSERT_EQ(b->counts.faults, r->counts.faults);
	ASSERT_EQ(0, memcmp(b->counts.by_cmd, r->counts.by_cmd,
			    sizeof(b->counts.by_cmd)));
	free(r);
	free(b);
}

/*
 * ERROR_GPT injected into the 6th delegate, on boot memory, 4 MiB
 * memslot: the first fault's (set-up delegates the RD, 2 roots, the REC
 * and the L2 RTT that RTT_INIT_RIPAS needs: 4 MiB is not a whole L1
 * entry):
 * - --gpt on-demand: GPT_L1_CREATE of the folio's GiB answers ERROR_GPT
 *   (firmware made it), the delegate again succeeds: 2 calls more, both
 *   memory_prep, one such fault, the same faults, ok.
 * - --gpt boot (v15): a race: back to the guest, one re-fault that maps:
 *   1 call and 1 fault more, one race.
 */
TEST(injected_gpt_status)
{
	const char *rule = "command=GRANULE_RANGE_DELEGATE,status=ERROR_GPT,space=6,times=1";
	struct run_config c = version(HOST_V15);
	struct run_result *a, *r;

	c.size = 4 * MIB;
	c.hotplug = 0;
	c.gpt = GPT_ON_DEMAND;
	a = run(&c, NULL);
	r = run(&c, rule);
	ASSERT_EQ(OUTCOME_OK, r->outcome_class);
	ASSERT_EQ(1ull, r->counts.injected);
	ASSERT_EQ(a->counts.rmi_calls + 2, r->counts.rmi_calls);
	ASSERT_EQ(a->counts.faults, r->counts.faults);
	ASSERT_EQ(1ull, by_status(r, RMI_CMD_GPT_L1_CREATE, RMI_ERROR_GPT));
	ASSERT_EQ(2ull, r->counts.memory_prep_calls);
	ASSERT_EQ(1ull, r->counts.memory_prep_faults);
	free(r);

	c.gpt = GPT_BOOT;
	r = run(&c, rule);
	ASSERT_EQ(OUTCOME_OK, r->outcome_class);
	ASSERT_EQ(a->counts.rmi_calls + 1, r->counts.rmi_calls);
	ASSERT_EQ(a->counts.faults + 1, r->counts.faults);
	ASSERT_EQ(1ull, r->counts.delegate_races);
	ASSERT_EQ(1ull, r->counts.memory_prep_calls);
	free(r);
	free(a);
}

/*
 * A persistent failure of each command --gpt on-demand adds, in both
 * trees: the first fault's preparation fails, the delegate's status
 * stands, the fault is a race, the guest faults again: a livelock naming
 * ERROR_TRACKING (GRANULE_TRACKING_GET or _SET fails: the GiB stays
 * COARSE) or ERROR_GPT (GPT_L1_CREATE fails: FINE by then, no table).
 * Nothing hangs and nothing leaks.
 */
TEST(persistent_error_on_preparation)
{
	static const struct {
		const char *cmd, *status;
	} want[] = {
		{ "GRANULE_TRACKING_GET", "ERROR_TRACKING" },
		{ "GRANULE_TRACKING_SET", "ERROR_TRACKING" },
		{ "GPT_L1_CREATE", "ERROR_GPT" },
	};

	for (int k = HOST_V14; k <= HOST_V15; k++)
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			struct run_config c = version((enum host_version)k);
			struct run_result *r;
			char rule[96], tail[96];

			c.gpt = GPT_ON_DEMAND;
			c.s2sz = 32;
			snprintf(rule, sizeof(rule), "command=%s,status=ERROR_INPUT",
				 want[i].cmd);
			snprintf(tail, sizeof(tail), "answers %s at PA 0x20000000000",
				 want[i].status);
			r = run(&c, rule);
			TH_LOG("%s %s: %s", kernel_name((enum host_version)k),
			       rule, r->outcome);
			ASSERT_EQ(OUTCOME_LIVELOCK, r->outcome_class);
			ASSERT_NE(NULL, strstr(r->outcome, tail));
			ASSERT_EQ(1001ull, r->counts.faults);
			ASSERT_EQ(0ull, r->counts.leaked_granules);
			free(r);
		}
}

/*
 * --gpt on-demand with four vCPUs storming the hotplugged GiB (v15, 2 MiB
 * folios, S2SZ 32). Who prepares the memory depends on the interleaving;
 * what does not: the realm ends ok with the whole GiB mapped as 2 MiB
 * blocks, exactly one GPT_L1_CREATE succeeds (the others, if any, find
 * the table: ERROR_GPT), at least one GRANULE_TRACKING_SET succeeds
 * (another racer's finds FINE: SUCCESS too, or its TRACKING_GET says
 * FINE and it sets nothing), each vCPU meets the unprepared GiB in one
 * fault at most, memory_prep.calls are exactly the calls and refused
 * delegates named, and nothing leaks.
 */
static void racing(struct __test_metadata *_metadata, enum sched_kind s)
{
	struct run_config c = version(HOST_V15);
	struct run_result *r;
	uint64_t named;

	c.gpt = GPT_ON_DEMAND;
	c.s2sz = 32;
	c.folio = FOLIO_2M;
	c.vcpus = 4;
	c.scheduler = s;
	snprintf(c.workload, sizeof(c.workload), "storm");
	r = run(&c, NULL);
	ASSERT_STREQ("ok", r->outcome);
	ASSERT_EQ(GIB, r->counts.mapped_bytes[2]);
	ASSERT_EQ(1ull, by_status(r, RMI_CMD_GPT_L1_CREATE, RMI_SUCCESS));
	ASSERT_EQ(by_cmd(r, RMI_CMD_GPT_L1_CREATE) - 1,
		  by_status(r, RMI_CMD_GPT_L1_CREATE, RMI_ERROR_GPT));
	ASSERT_LE(1ull, by_status(r, RMI_CMD_GRANULE_TRACKING_SET,
				  RMI_SUCCESS));
	ASSERT_EQ(by_cmd(r, RMI_CMD_GRANULE_TRACKING_SET),
		  by_status(r, RMI_CMD_GRANULE_TRACKING_SET, RMI_SUCCESS));
	named = by_cmd(r, RMI_CMD_GRANULE_TRACKING_GET) +
		by_cmd(r, RMI_CMD_GRANULE_TRACKING_SET) +
		by_cmd(r, RMI_CMD_GPT_L1_CREATE) +
		by_status(r, RMI_CMD_GRANULE_RANGE_DELEGATE,
			  RMI_ERROR_TRACKING) +
		by_status(r, RMI_CMD_GRANULE_RANGE_DELEGATE, RMI_ERROR_GPT);
	ASSERT_EQ(named, r->counts.memory_prep_calls);
	ASSERT_LE(1ull, r->counts.memory_prep_faults);
	ASSERT_GE(4ull, r->counts.memory_prep_faults);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	ASSERT_EQ(0ull, r->counts.warnings);
	free(r);
}

TEST(on_demand_racing_vcpus_det) { racing(_metadata, SCHED_DET); }
TEST(on_demand_racing_vcpus_threads) { racing(_metadata, SCHED_THREADS); }

/*
 * v14's boot refuses RMI when memblock memory is not FINE: with DRAM's
 * first GiB made COARSE on the platform side, a second boot stops at its
 * first GRANULE_TRACKING_GET (after RMM_ACTIVATE, VERSION, FEATURES 0
 * and 1: 5 calls, 73 + 5 with the first boot's): RMI unavailable, the
 * realm cannot be made. v15's boot checks nothing (7 more calls); its
 * realm fails later, at the RD's delegate (the RD is a host page at 16
 * MiB, in that GiB): ERROR_TRACKING.
 */
TEST(boot_memory_not_fine)
{
	for (int k = HOST_V14; k <= HOST_V15; k++) {
		struct host_config hc = {
			.version = (enum host_version)k,
			.strategy = kernel_strategy((enum host_version)k),
			.delegation = kernel_delegation((enum host_version)k),
			.profile = "tf-rmm", .delegate_granules = 1,
			.folio = FOLIO_4K, .ipa = GIB, .size = 4 * MIB,
			.vcpus = 1, .workload = "sequential", .passes = 1,
			.stride = 2 * MIB, .seed = 1, .s2sz = 40,
			.livelock_faults = 1000,
		};
		struct cost_model cost;
		struct host_report rep = { 0 };
		struct host h;
		char err[256];

		cost_model_default(&cost);
		ASSERT_EQ(0, host_init(&h, &hc, &cost, NULL, NULL, err,
				       sizeof(err)));
		ASSERT_FALSE(h.rmi_unavailable);
		ASSERT_EQ(k == HOST_V14 ? 73ull : 7ull, h.boot_calls);
		ASSERT_EQ(0, rmm_mem_describe(h.m, 0, GIB,
					      RMI_MEM_CATEGORY_CONVENTIONAL,
					      RMI_TRACKING_COARSE,
					      RMI_GPT_PAR_PLAT));
		if (k == HOST_V14) {
			ASSERT_EQ(-1, arm64_init_rmi(&h));
			ASSERT_EQ(78ull, h.boot_calls);
		} else {
			ASSERT_EQ(0, arm64_init_rmi(&h));
			ASSERT_EQ(14ull, h.boot_calls);
		}
		ASSERT_EQ(-ENXIO, kvm_activate_realm(&h));
		kvm_destroy_realm(&h);
		host_report(&h, &rep);
		ASSERT_EQ(HOST_KILLED, rep.death);
		ASSERT_STREQ(k == HOST_V14 ?
			     "RMI is unavailable: rmi_init_metadata: granule tracking for region isn't fine/conventional: 0 (SUCCESS CONVENTIONAL COARSE)" :
			     "delegating the RD failed", rep.outcome);
		ASSERT_EQ(0ull, rep.leaked_granules);
		host_fini(&h);
	}
}

/* Bad settings: one line each. */
TEST(bad_hotplug_settings)
{
	struct host_config hc = {
		.profile = "tf-rmm", .delegate_granules = 1,
		.folio = FOLIO_4K, .ipa = GIB, .size = GIB, .vcpus = 1,
		.workload = "sequential", .passes = 1, .stride = 2 * MIB,
		.s2sz = 40, .hotplug = 512 * MIB,
	};
	struct cost_model cost;
	struct host h;
	char err[256];

	cost_model_default(&cost);
	ASSERT_EQ(-1, host_init(&h, &hc, &cost, NULL, NULL, err, sizeof(err)));
	ASSERT_STREQ("--hotplug 0x20000000: want a multiple of 1 GiB (the RMM's tracking region and L0GPT region)",
		     err);
	hc.hotplug = 2 * GIB;
	ASSERT_EQ(-1, host_init(&h, &hc, &cost, NULL, NULL, err, sizeof(err)));
	ASSERT_STREQ("--hotplug 0x80000000 is larger than --size 0x40000000: the memslot's last --hotplug bytes come from the hotplugged memory",
		     err);
}

TEST_HARNESS_MAIN
