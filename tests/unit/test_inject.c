// SPDX-License-Identifier: GPL-2.0-only
/*
 * RMI error injection at the host's call site (sim/inject): the rule
 * grammar, each trigger field firing exactly where the kernel's
 * should_fail() would, and the sim's filters (IPA, PA, vCPU) in whole
 * runs with counts derived by hand.
 *
 * Run set-up as in test_host.c: S2SZ 40, memslot [1 GiB, 2 GiB), tf-rmm,
 * one-level, 4 KiB folios, one granule per delegate call. A 4 KiB fault
 * in a fresh 2 MiB region needs an L3 RTT; guest memory sits at PA
 * 2^40 + (IPA - 1 GiB).
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

/* each run tears down a whole IPA space (1.5 M RMI calls at S2SZ 40):
 * seconds under the sanitizers; still bounded */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	300

#include "inject.h"
#include "rmib_util.h"
#include "rmm.h"
#include "run.h"

#define GIB	(1ull << 30)
#define MIB	(1ull << 20)

static uint64_t regs[8];

static bool fires(struct injector *j, uint32_t fid, unsigned int vcpu)
{
	uint64_t x0 = 0;

	regs[0] = fid;
	return injector_check(j, fid, regs, vcpu, &x0);
}

/* space 2 lets one call through; then every 3rd eligible call fails
 * (interval 3), twice at most (times 2): calls 3 and 6 of 0..9 */
TEST(space_interval_times)
{
	struct inj_rule r;
	struct injector j;
	char err[128];
	int failed[10];

	ASSERT_EQ(0, inj_rule_parse("command=GRANULE_RANGE_DELEGATE,status=BUSY,interval=3,times=2,space=2",
				    &r, err, sizeof(err)));
	ASSERT_EQ(0, injector_init(&j, &r, 1, 1));
	for (int i = 0; i < 10; i++) {
		uint64_t x0 = 0;

		regs[1] = (10 + i) * 4096ull;
		failed[i] = injector_check(&j, RMI_GRANULE_RANGE_DELEGATE,
					   regs, 0, &x0);
		if (failed[i])
			ASSERT_EQ(RMI_RETURN(RMI_BUSY, 0), x0);
	}
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(i == 3 || i == 6, failed[i]);
	ASSERT_EQ(2ull, j.fired);
	/* other commands are not eligible */
	ASSERT_FALSE(fires(&j, RMI_VERSION, 0));
	injector_fini(&j);
}

/* probability: seeded draws, one per eligible call that got that far;
 * the same seed gives the same calls, another seed others */
TEST(probability_is_seeded)
{
	struct inj_rule r;
	struct injector a, b, c;
	char err[128];
	int na = 0, same = 0, other = 0;

	ASSERT_EQ(0, inj_rule_parse("command=RTT_CREATE,probability=30", &r,
				    err, sizeof(err)));
	ASSERT_EQ(0, injector_init(&a, &r, 1, 7));
	ASSERT_EQ(0, injector_init(&b, &r, 1, 7));
	ASSERT_EQ(0, injector_init(&c, &r, 1, 8));
	for (int i = 0; i < 1000; i++) {
		bool fa = fires(&a, RMI_RTT_CREATE, 0);
		bool expect = rmib_mix64(7 ^ ((uint64_t)i * RMIB_GOLDEN)) %
			      100 < 30;

		ASSERT_EQ(expect, fa);
		na += fa;
		same += fa == fires(&b, RMI_RTT_CREATE, 0);
		other += fa != fires(&c, RMI_RTT_CREATE, 0);
	}
	ASSERT_EQ(1000, same);
	ASSERT_LT(0, other);
	/* 30 % of 1000, within 5 sigma (sigma = 14.5) */
	ASSERT_LT(227, na);
	ASSERT_GT(373, na);
	injector_fini(&a);
	injector_fini(&b);
	injector_fini(&c);
}

/* filters narrow what is eligible: space counts eligible calls only */
TEST(filters_decide_eligibility)
{
	struct inj_rule r;
	struct injector j;
	char err[128];

	ASSERT_EQ(0, inj_rule_parse("command=any,status=ERROR_RTT,index=2,ipa=2M-4M,vcpu=3,space=2",
				    &r, err, sizeof(err)));
	ASSERT_EQ(0, injector_init(&j, &r, 1, 1));
	regs[2] = 2 * MIB;			/* DATA_MAP's base: in range */
	ASSERT_FALSE(fires(&j, RMI_RTT_DATA_MAP, 2));	/* other vCPU */
	ASSERT_FALSE(fires(&j, RMI_RTT_DATA_MAP, INJ_NO_VCPU));
	ASSERT_FALSE(fires(&j, RMI_VERSION, 3));	/* names no IPA */
	regs[2] = 4 * MIB;			/* the top is exclusive */
	ASSERT_FALSE(fires(&j, RMI_RTT_DATA_MAP, 3));
	regs[2] = 4 * MIB - 4096;
	ASSERT_FALSE(fires(&j, RMI_RTT_DATA_MAP, 3));	/* space: 1st passes */
	ASSERT_TRUE(fires(&j, RMI_RTT_DATA_MAP, 3));
	/* RTT_CREATE names its IPA in x3 */
	regs[2] = 0;
	regs[3] = 2 * MIB;
	ASSERT_TRUE(fires(&j, RMI_RTT_CREATE, 3));
	injector_fini(&j);

	/* PA: a delegate's base, a SINGLE DATA_MAP's descriptor */
	ASSERT_EQ(0, inj_rule_parse("command=any,pa=1G-1G+4K", &r, err,
				    sizeof(err)));
	ASSERT_EQ(0, injector_init(&j, &r, 1, 1));
	regs[1] = GIB;
	ASSERT_TRUE(fires(&j, RMI_GRANULE_RANGE_DELEGATE, 0));
	regs[1] = GIB + 4096;
	ASSERT_FALSE(fires(&j, RMI_GRANULE_RANGE_DELEGATE, 0));
	regs[4] = RMI_ADDR_TYPE_SINGLE;
	regs[5] = rmi_desc_encode(RMI_DESC_SIZE_4K, 1, GIB,
				  RMI_DESC_STATE_DELEGATED);
	ASSERT_TRUE(fires(&j, RMI_RTT_DATA_MAP, 0));
	regs[4] = RMI_ADDR_TYPE_LIST;
	ASSERT_FALSE(fires(&j, RMI_RTT_DATA_MAP, 0));
	injector_fini(&j);
	memset(regs, 0, sizeof(regs));
}

/* one grammar, one line per error naming the field */
TEST(rule_grammar)
{
	static const struct { const char *rule, *err; } bad[] = {
		{ "", "a rule needs command=NAME (or command=any)" },
		{ "status=BUSY", "a rule needs command=NAME (or command=any)" },
		{ "command=NOPE", "unknown command 'NOPE'" },
		{ "command=any,status=SUCCESS", "status=SUCCESS injects nothing: name an error" },
		{ "command=any,status=NOPE", "unknown status 'NOPE'" },
		{ "command=any,command=RTT_CREATE", "'command' given twice" },
		{ "command=any,times=1,times=2", "'times' given twice" },
		{ "command=any,colour=red", "unknown key 'colour' (command, status, index, probability, interval, times, space, ipa, pa, vcpu)" },
		{ "command=any,times", "'times' is not key=value" },
		{ "command=any,probability=101", "bad value '101' for probability" },
		{ "command=any,interval=0", "bad value '0' for interval" },
		{ "command=any,index=256", "bad value '256' for index" },
		{ "command=any,ipa=4M-2M", "bad value '4M-2M' for ipa" },
		{ "command=any,ipa=2M", "bad value '2M' for ipa" },
		{ "command=any,pa=1G-1G", "bad value '1G-1G' for pa" },
		{ "command=any,vcpu=-1", "bad value '-1' for vcpu" },
		/* found by fuzz_inject: the message quoted the line break */
		{ "command\n", "control character 0xa in the rule" },
		{ "command=any,times=1\x1b[2J", "control character 0x1b in the rule" },
	};
	struct inj_rule r, back;
	char err[160], text[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ASSERT_EQ(-1, inj_rule_parse(bad[i].rule, &r, err, sizeof(err)));
		if (strcmp(bad[i].err, err))
			TH_LOG("rule '%s'", bad[i].rule);
		ASSERT_STREQ(bad[i].err, err);
	}
	/* defaults, and the written form reads back the same */
	ASSERT_EQ(0, inj_rule_parse("command=RTT_CREATE", &r, err,
				    sizeof(err)));
	ASSERT_EQ((unsigned int)RMI_RTT_CREATE, r.r.command);
	ASSERT_EQ((unsigned int)RMI_ERROR_INPUT, r.r.status);
	ASSERT_EQ(100u, r.r.probability);
	ASSERT_EQ(1ul, r.r.interval);
	ASSERT_EQ(-1l, r.r.times);
	ASSERT_EQ(0l, r.r.space);
	ASSERT_EQ(0u, r.filters);
	ASSERT_EQ(0, inj_rule_parse("command=any,status=ERROR_RTT,index=3,probability=5,interval=2,times=4,space=9,ipa=1G-1G+2M,pa=0x1000-0x3000,vcpu=7",
				    &r, err, sizeof(err)));
	inj_rule_format(&r, text, sizeof(text));
	ASSERT_STREQ("command=any,status=ERROR_RTT,index=3,probability=5,interval=2,times=4,space=9,ipa=0x40000000-0x40200000,pa=0x1000-0x3000,vcpu=7",
		     text);
	ASSERT_EQ(0, inj_rule_parse(text, &back, err, sizeof(err)));
	ASSERT_EQ(0, memcmp(&r, &back, sizeof(r)));
	/* a rule no call can meet is refused by the injector */
	r.r.probability = 101;
	ASSERT_EQ(-1, injector_init(&(struct injector){ 0 }, &r, 1, 1));
}

static struct run_result *run_rule(struct run_config *c, const char *rule)
{
	struct run_result *r = calloc(1, sizeof(*r));
	struct inj_rule ir;
	char err[256];

	if (!r || parse_inject_rule(rule, &ir, err, sizeof(err)) ||
	    run_one(c, &ir, 1, r, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", rule, err);
		abort();
	}
	return r;
}

static struct run_config base(void)
{
	struct run_config c;

	run_config_default(&c);
	return c;
}

/*
 * ipa= in a run: the first DATA_MAP naming [1G + 2M, 1G + 4M) fails.
 * Faults 1..512 map [1G, 1G + 2M) untouched; fault 513 (IPA 1G + 2M)
 * delegates its page, then DATA_MAP answers the injected ERROR_INPUT:
 * WARN, nothing mapped to unmap, the page undelegated, -ENXIO: the realm
 * dies at 0x40200000. Its L3 RTT was never created (the map failed before
 * any ERROR_RTT), so RTTs: L2 + one L3 = 2 before teardown. Teardown
 * (test_host.c, TEARDOWN_RTTS) adds an L3 under each of the memslot
 * L2's 511 empty entries. No leak.
 */
TEST(ipa_filter_in_a_run)
{
	struct run_config c = base();
	struct run_result *r = run_rule(&c, "command=RTT_DATA_MAP,ipa=1G+2M-1G+4M,times=1");

	ASSERT_EQ(1ull, r->counts.injected);
	ASSERT_EQ(513ull, r->counts.faults);
	ASSERT_EQ(2ull, r->counts.rtts_created - r->counts.rtts_created_teardown);
	ASSERT_EQ(511ull * 513 + 511, r->counts.rtts_created_teardown);
	ASSERT_EQ(1ull, r->counts.warnings);
	ASSERT_STREQ("DATA_MAP failed: ERROR_INPUT 0", r->counts.warn[0].reason);
	ASSERT_EQ(0, strncmp(r->outcome, "vcpu 0: realm_map_protected returned -6 at IPA 0x40200000", 57));
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	ASSERT_EQ(2 * MIB, r->counts.mapped_bytes[3]);
	free(r);
}

/*
 * pa= in a run: the delegate of guest page 2 (PA 2^40 + 8K) fails once.
 * Host pages (RD, RTTs) live elsewhere and are not eligible. v15: nothing
 * delegated, "raced", back to the guest; the re-fault delegates and maps.
 * 262144 pages: 262145 faults, 1 re-fault, 1 race, the realm fine.
 */
TEST(pa_filter_in_a_run)
{
	struct run_config c = base();
	struct run_result *r = run_rule(&c, "command=GRANULE_RANGE_DELEGATE,pa=0x10000002000-0x10000003000,times=1");

	ASSERT_STREQ("ok", r->outcome);
	ASSERT_EQ(1ull, r->counts.injected);
	ASSERT_EQ(262145ull, r->counts.faults);
	ASSERT_EQ(1ull, r->counts.refaults);
	ASSERT_EQ(1ull, r->counts.delegate_races);
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	ASSERT_EQ(GIB, r->counts.mapped_bytes[3]);
	free(r);
}

/*
 * vcpu= in a run: two vCPUs on slices [1G, 1.5G) and [1.5G, 2G); only
 * vCPU 1's first DATA_MAP fails, so the realm dies at vCPU 1's first
 * page, 0x60000000, whatever vCPU 0 did before.
 */
TEST(vcpu_filter_in_a_run)
{
	struct run_config c = base();
	struct run_result *r;

	c.vcpus = 2;
	r = run_rule(&c, "command=RTT_DATA_MAP,vcpu=1,times=1");
	ASSERT_EQ(1ull, r->counts.injected);
	ASSERT_EQ(0, strncmp(r->outcome, "vcpu 1: realm_map_protected returned -6 at IPA 0x60000000", 57));
	ASSERT_EQ(0ull, r->counts.leaked_granules);
	free(r);
}

TEST_HARNESS_MAIN
