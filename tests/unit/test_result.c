// SPDX-License-Identifier: GPL-2.0-only
/*
 * The results layer: histograms, the metrics sink's shards, the result
 * file (write, read back,
 * atomic replace, rejection of bad files), the calibration file and the
 * report directory.
 *
 * RMIBENCH_REPORT_DEMO=DIR keeps the synthetic report of the report tests
 * in DIR (result files included), for looking at its plots:
 *   RMIBENCH_REPORT_DEMO=/tmp/demo build/tests/test_result && scripts/plot /tmp/demo
 */
#include <errno.h>
#include <stddef.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "config.h"
#include "counts.h"
#include "json_read.h"
#include "metrics.h"
#include "result.h"
#include "rmm.h"
#include "../test_util.h"

/* ---- helpers ------------------------------------------------------------------- */

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/rmibench-test-result.XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static char *path_in(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static int spit(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* entries of @dir whose name starts with '.' (temporary files) */
static int hidden_files(const char *dir)
{
	char *cmd;
	int n = 0;
	FILE *p;

	if (asprintf(&cmd, "ls -A '%s' | grep -c '^\\.'", dir) < 0)
		return -1;
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return -1;
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void fill_str(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s);
}

/*
 * A plausible run on a 1 GiB memslot: counts shaped like the sim's, a
 * modelled latency from the default cost table with some spread, a wall
 * latency a little above it.
 */
static void synth(struct run_result *r, enum rmi_rtt_strategy s,
		  enum folio_mode f, unsigned int vcpus, uint64_t seed)
{
	const uint64_t size = 1ull << 30;
	uint64_t fsz = f == FOLIO_4K ? 4096 : f == FOLIO_2M ? 2ull << 20 : 1ull << 30;
	uint64_t faults = size / fsz, granules = fsz / 4096;
	struct run_counts *k = &r->counts;
	struct cost_model c;
	uint64_t rng = seed * 2654435761u + 1;
	bool block = s != RMI_RTT_STRATEGY_FULL && f != FOLIO_4K;
	uint64_t creates, dm_err;

	cost_model_default(&c);
	memset(r, 0, sizeof(*r));
	r->cfg.strategy = s;
	r->cfg.delegation = DELEG_V15;
	fill_str(r->cfg.profile, sizeof(r->cfg.profile), "tf-rmm");
	r->cfg.delegate_granules = 1;
	r->cfg.folio = f;
	r->cfg.ipa = 1ull << 30;
	r->cfg.size = size;
	r->cfg.vcpus = vcpus;
	fill_str(r->cfg.workload, sizeof(r->cfg.workload), "sequential");
	r->cfg.write_pct = 50;
	r->cfg.passes = 1;
	r->cfg.stride = 2ull << 20;
	r->cfg.scheduler = SCHED_DET;
	r->cfg.seed = 1;
	r->cfg.s2sz = 40;
	r->cfg.livelock_faults = 1000;

	/* tables: the L2 (not for a 1 GiB block), and the L3s unless blocks */
	if (block)
		creates = f == FOLIO_1G ? 0 : 1;
	else
		creates = 1 + size / (2ull << 20);
	dm_err = s == RMI_RTT_STRATEGY_FULL ? creates ? size / (2ull << 20) : 0 :
		 creates;

	k->faults = faults;
	k->faults_private = k->faults;
	k->refaults = vcpus > 1 ? faults / 50 : 0;
	k->by_cmd[RMI_CMD_GRANULE_RANGE_DELEGATE][RMI_SUCCESS] = size / 4096;
	k->by_cmd[RMI_CMD_RTT_DATA_MAP][RMI_SUCCESS] = faults;
	k->by_cmd[RMI_CMD_RTT_DATA_MAP][RMI_ERROR_RTT] = dm_err;
	k->by_cmd[RMI_CMD_RTT_CREATE][RMI_SUCCESS] = creates;
	k->by_cmd[RMI_CMD_VERSION][RMI_SUCCESS] = 1;
	k->by_cmd[RMI_CMD_REALM_CREATE][RMI_SUCCESS] = 1;
	k->by_cmd[RMI_CMD_GRANULE_RANGE_UNDELEGATE][RMI_SUCCESS] = size / 4096;
	k->by_cmd[RMI_CMD_RTT_DESTROY][RMI_SUCCESS] = creates;
	k->rmi_calls_setup = 2;
	k->rmi_calls_fault = size / 4096 + faults + dm_err + creates;
	k->rmi_calls_teardown = size / 4096 + creates;
	k->rmi_calls = k->rmi_calls_setup + k->rmi_calls_fault +
		       k->rmi_calls_teardown;
	k->rtts_created = creates;
	k->rtts_destroyed = creates;
	k->rtt_pages_peak = creates;
	k->rtt_pages_end = creates;
	k->mapped_bytes[block ? (f == FOLIO_1G ? 1 : 2) : 3] = size;
	k->delegate_races = vcpus > 1 ? faults / 100 : 0;
	k->accesses = size / 4096 * 2;
	k->granules_delegated = size / 4096;

	for (uint64_t i = 0; i < faults; i++) {
		uint64_t ns = c.fault_overhead_ns +
			granules * (c.cmd[RMI_CMD_GRANULE_RANGE_DELEGATE].fixed_ns +
				    c.cmd[RMI_CMD_GRANULE_RANGE_DELEGATE].per_granule_ns) +
			c.cmd[RMI_CMD_RTT_DATA_MAP].fixed_ns +
			granules * c.cmd[RMI_CMD_RTT_DATA_MAP].per_granule_ns;
		uint64_t calls = granules + 1;

		/* the first fault of each 2 MiB region builds tables */
		if (!block && (i * fsz) % (2ull << 20) == 0) {
			ns += 2 * c.cmd[RMI_CMD_RTT_CREATE].fixed_ns;
			calls += 2;
		}
		ns += xorshift(&rng) % (ns / 4 + 1);
		hist_add(&r->lat_model, ns);
		hist_add(&r->lat_wall, ns * 3 / 2 + xorshift(&rng) % (ns + 1));
		hist_add(&r->calls_per_fault, calls);
	}
	fill_str(r->outcome, sizeof(r->outcome), "ok");
	fill_str(r->cfg.backend, sizeof(r->cfg.backend), "sim");
	r->workload_done = true;
	r->cost_model_default = true;
	r->wall_seconds = 0.25 + (double)faults * 1e-6;
	r->virtual_seconds = (double)r->lat_model.sum / 1e9;
	r->model_bytes = 1 << 20;
}

/* Every field set to something its own, to catch a field that is dropped. */
static void distinct(struct run_result *r)
{
	struct run_counts *k = &r->counts;
	uint64_t v = 1000;

	memset(r, 0, sizeof(*r));
	r->cfg.strategy = RMI_RTT_STRATEGY_BLOCK;
	r->cfg.delegation = DELEG_V14;
	fill_str(r->cfg.profile, sizeof(r->cfg.profile), "spec");
	r->cfg.delegate_granules = 7;
	r->cfg.folio = FOLIO_MIXED;
	r->cfg.ipa = 0x40000000;
	r->cfg.size = 3ull << 30;
	r->cfg.vcpus = 9;
	fill_str(r->cfg.workload, sizeof(r->cfg.workload), "strided");
	r->cfg.shared_region = true;
	r->cfg.write_pct = 33;
	r->cfg.shared_pct = 12;
	r->cfg.ripas_pct = 21;
	r->cfg.passes = 4;
	r->cfg.stride = 0x3000;
	r->cfg.scheduler = SCHED_THREADS;
	r->cfg.seed = 0xfedcba9876543210ull;	/* above INT64_MAX */
	r->cfg.s2sz = 44;
	fill_str(r->cfg.calibration, sizeof(r->cfg.calibration),
		 "lab/costs \"x\".json");
	fill_str(r->cfg.inject, sizeof(r->cfg.inject),
		 "command=GRANULE_RANGE_DELEGATE,status=ERROR_GPT,times=3");
	r->cfg.livelock_faults = 12345;

	k->faults = v++;
	k->faults_private = v++;
	k->faults_shared = v++;
	k->refaults = v++;
	k->rmi_calls = v++;
	k->rmi_calls_setup = v++;
	k->rmi_calls_fault = v++;
	k->rmi_calls_teardown = v++;
	for (unsigned int c = 0; c < RMI_CMD_COUNT; c += 3)
		for (unsigned int s = c % 4; s < STATUS_BUCKETS; s += 5)
			k->by_cmd[c][s] = v++;
	k->by_cmd[RMI_CMD_RTT_FOLD][STATUS_OTHER] = v++;
	k->rtts_created = v++;
	k->rtts_destroyed = v++;
	k->rtt_pages_peak = v++;
	k->rtt_pages_end = v++;
	k->mapped_bytes[1] = 1ull << 30;
	k->mapped_bytes[2] = 6ull << 20;
	k->mapped_bytes[3] = 0x5000;
	k->delegate_races = v++;
	k->partial_delegations = v++;
	k->leaked_granules = v++;
	for (int i = 0; i < 7; i++)
		k->leaked_by_state[i] = i == 0 ? 0 : v++;
	k->warnings = v++;
	k->guest_errors = v++;
	k->injected = v++;
	k->accesses = UINT64_MAX;
	k->granules_delegated = v++;
	k->nwarn = 2;
	fill_str(k->warn[0].reason, sizeof(k->warn[0].reason),
		 "WARN_ON(rmi_delegate_range(phys, size))");
	k->warn[0].count = v++;
	fill_str(k->warn[1].reason, sizeof(k->warn[1].reason),
		 "leaked granule\tafter \\ teardown");
	k->warn[1].count = v++;

	hist_add(&r->lat_model, 0);
	hist_add(&r->lat_model, 5000);
	hist_add(&r->lat_model, 70000);
	hist_add(&r->lat_wall, 1ull << 50);
	for (int i = 0; i < 10; i++)
		hist_add(&r->calls_per_fault, (uint64_t)i * 3);
	fill_str(r->outcome, sizeof(r->outcome),
		 "livelock: IPA 0x40001000 re-faulted 12345 times | stopped");
	/* a livelock at teardown: the workload was done */
	r->outcome_class = OUTCOME_LIVELOCK;
	r->workload_done = true;
	fill_str(r->command, sizeof(r->command),
		 "rmibench matrix --out-dir 'a b' --folios 4k,2m");
	r->cost_model_default = false;
	r->wall_seconds = 0.1;
	r->virtual_seconds = 1.0 / 3.0;
	r->model_bytes = v++;
}

#define ASSERT_HIST_EQ(a, b) do {					\
	ASSERT_EQ((a)->count, (b)->count);				\
	ASSERT_EQ((a)->sum, (b)->sum);					\
	ASSERT_EQ((a)->min, (b)->min);					\
	ASSERT_EQ((a)->max, (b)->max);					\
	for (int i_ = 0; i_ < HIST_BUCKETS; i_++)			\
		ASSERT_EQ((a)->bucket[i_], (b)->bucket[i_]);		\
} while (0)

/* ---- histograms -------------------------------------------------------------- */

TEST(hist_percentiles)
{
	struct hist h = { 0 }, a = { 0 }, b = { 0 }, big = { 0 };

	ASSERT_EQ(0, hist_percentile(&h, 50));
	ASSERT_EQ(0, hist_percentile(&h, 100));

	/* 1..100: buckets [1] [2,3] [4,7] [8,15] [16,31] [32,63] [64,127] */
	for (uint64_t v = 1; v <= 100; v++)
		hist_add(&h, v);
	ASSERT_EQ(100, h.count);
	ASSERT_EQ(5050, h.sum);
	ASSERT_EQ(1, h.min);
	ASSERT_EQ(100, h.max);
	ASSERT_EQ(1, h.bucket[0]);
	ASSERT_EQ(2, h.bucket[1]);
	ASSERT_EQ(32, h.bucket[5]);
	ASSERT_EQ(37, h.bucket[6]);
	/* rank 50 falls in [32,63]: its top, 63 */
	ASSERT_EQ(63, hist_percentile(&h, 50));
	/* rank 31 is the last of [16,31], rank 32 the first of [32,63] */
	ASSERT_EQ(31, hist_percentile(&h, 31));
	ASSERT_EQ(63, hist_percentile(&h, 32));
	/* rank 90 in [64,127]: clamped to max */
	ASSERT_EQ(100, hist_percentile(&h, 90));
	ASSERT_EQ(1, hist_percentile(&h, 1));
	ASSERT_EQ(1, hist_percentile(&h, 0));
	ASSERT_EQ(1, hist_percentile(&h, -5));
	ASSERT_EQ(100, hist_percentile(&h, 100));
	ASSERT_EQ(100, hist_percentile(&h, 250));

	/* 999 fast faults and one slow one: p99.9 is rank 999, a fast one */
	for (int i = 0; i < 999; i++)
		hist_add(&a, 10);
	hist_add(&a, 5000);
	ASSERT_EQ(15, hist_percentile(&a, 50));	/* the top of [8,15] */
	ASSERT_EQ(15, hist_percentile(&a, 99.9));
	ASSERT_EQ(5000, hist_percentile(&a, 99.95));
	ASSERT_EQ(5000, hist_percentile(&a, 100));

	/* zeros share bucket 0 */
	hist_add(&b, 0);
	hist_add(&b, 0);
	ASSERT_EQ(2, b.bucket[0]);
	ASSERT_EQ(0, hist_percentile(&b, 50));
	ASSERT_EQ(0, b.min);

	/* merging is adding every sample */
	hist_merge(&b, &a);
	ASSERT_EQ(1002, b.count);
	ASSERT_EQ(0, b.min);
	ASSERT_EQ(5000, b.max);
	ASSERT_EQ(999 * 10 + 5000, b.sum);
	ASSERT_EQ(999, b.bucket[3]);
	hist_merge(&b, &big);		/* empty: nothing changes */
	ASSERT_EQ(1002, b.count);
	hist_merge(&big, &a);		/* into empty: a copy */
	ASSERT_HIST_EQ(&big, &a);

	/* beyond the last bucket: counted in it */
	memset(&big, 0, sizeof(big));
	hist_add(&big, UINT64_MAX);
	ASSERT_EQ(1, big.bucket[HIST_BUCKETS - 1]);
	ASSERT_EQ(UINT64_MAX, hist_percentile(&big, 50));
	hist_add(&big, 1);
	ASSERT_EQ(UINT64_MAX, big.sum);	/* saturates */
}

/*
 * The log-linear buckets: every value in exactly one, about 1% wide; the
 * percentiles from them within 0.4% (exact below 256), merged like the
 * samples; written, read back, and refused when they do not add up or
 * are missing (a file from before them).
 */
/*
 * hist_add_ll() then hist_fill_log2() (the metrics sink's way) gives the
 * very histogram hist_add() does: every value 0..4095, then values at
 * and around each power of two up to 2^63 and UINT64_MAX, whose log2
 * buckets run past the last one (47 holds everything from 2^47 on), and
 * sums that saturate.
 */
TEST(hist_add_ll_as_hist_add)
{
	struct hist *h = calloc(2, sizeof(*h)), *g = h + 1;
	unsigned int n = 0;

	ASSERT_NE(NULL, h);
	for (uint64_t v = 0; v < 4096; v++, n++) {
		hist_add(h, v);
		hist_add_ll(g, v);
	}
	for (unsigned int e = 12; e < 64; e++) {
		uint64_t p = 1ull << e;
		uint64_t vs[] = { p - 1, p, p + 1, p + p / 3 };

		for (unsigned int k = 0; k < 4; k++, n++) {
			hist_add(h, vs[k]);
			hist_add_ll(g, vs[k]);
		}
	}
	hist_add(h, UINT64_MAX);
	hist_add_ll(g, UINT64_MAX);
	n++;
	/* before the fill g has no log2 buckets; after, it is h */
	ASSERT_EQ(0, g->bucket[0]);
	hist_fill_log2(g);
	ASSERT_EQ(n, g->count);
	ASSERT_EQ(UINT64_MAX, g->sum);
	ASSERT_EQ(2, g->bucket[0]);	/* 0 and 1 */
	ASSERT_EQ(0, memcmp(h, g, sizeof(*h)));
	/* again: the fill makes the buckets, it does not add to them */
	hist_fill_log2(g);
	ASSERT_EQ(0, memcmp(h, g, sizeof(*h)));
	free(h);
}

TEST(hist_loglin)
{
	struct hist *h = calloc(4, sizeof(*h)), *a = h + 1, *b = h + 2;
	struct run_result *w = calloc(2, sizeof(*w)), *r = w + 1;
	char err[512], *dir = make_tmpdir(), *p;
	json_object *o, *d;

	ASSERT_NE(NULL, h);
	ASSERT_NE(NULL, w);
	ASSERT_NE(NULL, dir);
	for (unsigned int i = 0; i < HIST_LL_BUCKETS; i++) {
		uint64_t lo = hist_ll_lo(i), hi = hist_ll_hi(i);

		ASSERT_LE(lo, hi);
		ASSERT_EQ(i, hist_ll_index(lo));
		ASSERT_EQ(i, hist_ll_index(hi));
		if (i + 1 < HIST_LL_BUCKETS)
			ASSERT_EQ(hi + 1, hist_ll_lo(i + 1));
		/* width at most 1/128 of the bucket's bottom */
		if (lo >= 256)
			ASSERT_LE((hi - lo + 1) * 128, lo);
	}
	ASSERT_EQ(0, hist_ll_index(0));
	ASSERT_EQ(255, hist_ll_index(255));
	ASSERT_EQ(HIST_LL_BUCKETS - 1, hist_ll_index(UINT64_MAX));
	ASSERT_EQ(UINT64_MAX, hist_ll_hi(HIST_LL_BUCKETS - 1));

	/* 1..100000: the p50 sample is 50000, p99 99000, p99.9 99900 */
	for (uint64_t v = 1; v <= 100000; v++)
		hist_add(h, v);
	ASSERT_TRUE(hist_ll_ok(h));
	ASSERT_LE(50000 * 996 / 1000, hist_exact_percentile(h, 50));
	ASSERT_GE(50000 * 1004 / 1000, hist_exact_percentile(h, 50));
	ASSERT_LE(99000 * 996 / 1000, hist_exact_percentile(h, 99));
	ASSERT_GE(99000 * 1004 / 1000, hist_exact_percentile(h, 99));
	ASSERT_LE(99900 * 996 / 1000, hist_exact_percentile(h, 99.9));
	ASSERT_GE(100000, hist_exact_percentile(h, 99.9));
	/* the log2 bound is far off: 65535 for p50 */
	ASSERT_EQ(65535, hist_percentile(h, 50));
	ASSERT_EQ(1, hist_exact_percentile(h, 0));
	ASSERT_EQ(100000, hist_exact_percentile(h, 100));
	/* below 256 exact; equal samples exact (clamped to min and max) */
	for (int i = 0; i < 10; i++)
		hist_add(a, 100 + i);
	ASSERT_EQ(104, hist_exact_percentile(a, 50));
	for (int i = 0; i < 10; i++)
		hist_add(b, 1043570);
	ASSERT_EQ(1043570, hist_exact_percentile(b, 50));
	/* merged: the samples of both */
	hist_merge(a, b);
	ASSERT_EQ(20, a->ll_count);
	ASSERT_LE(1043570 * 996 / 1000, hist_exact_percentile(a, 99));
	ASSERT_GE(1043570, hist_exact_percentile(a, 99));
	/* samples without log-linear buckets (a VMM's log2 report) */
	b->bucket[3] += 5;
	b->count += 5;
	ASSERT_FALSE(hist_ll_ok(b));
	ASSERT_EQ(hist_percentile(b, 50), hist_exact_percentile(b, 50));

	/* written and read back */
	p = path_in(dir, "r.json");
	distinct(w);
	w->lat_wall = *h;
	ASSERT_EQ(0, result_write_json(w, p, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, result_read_json(p, r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, memcmp(w->lat_wall.ll, r->lat_wall.ll, sizeof(h->ll)));
	ASSERT_EQ(w->lat_model.ll_count, r->lat_model.ll_count);
	ASSERT_EQ(0, memcmp(w->lat_model.ll, r->lat_model.ll, sizeof(h->ll)));
	ASSERT_EQ(hist_exact_percentile(h, 99), hist_exact_percentile(&r->lat_wall, 99));
	/* without: null, read back as such */
	w->lat_wall = *b;
	ASSERT_EQ(0, result_write_json(w, p, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(slurp(p), "\"loglin\": null"));
	ASSERT_EQ(0, result_read_json(p, r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_FALSE(hist_ll_ok(&r->lat_wall));

	/* refused: missing (an older file), a count off, not a bucket */
	w->lat_wall = *h;
	for (int k = 0; k < 3; k++) {
		static const char *const want[] = {
			"distributions.rmi_calls_per_fault.loglin: missing (a file from before rmibench kept exact percentiles",
			"distributions.fault_latency_wall_ns.loglin.buckets: the buckets add up to",
			"distributions.fault_latency_wall_ns.loglin.buckets[0]: 257 is not the bottom of a bucket",
		};
		json_object *ll, *bk;

		ASSERT_EQ(0, result_write_json(w, p, err, sizeof(err)));
		o = json_object_from_file(p);
		ASSERT_NE(NULL, o);
		json_object_object_get_ex(o, "distributions", &d);
		if (k == 0) {
			json_object_object_get_ex(d, "rmi_calls_per_fault", &d);
			json_object_object_del(d, "loglin");
		} else {
			json_object_object_get_ex(d, "fault_latency_wall_ns", &d);
			json_object_object_get_ex(d, "loglin", &ll);
			json_object_object_get_ex(ll, "buckets", &bk);
			if (k == 1)
				json_object_array_del_idx(bk, 5, 1);
			else
				json_object_array_put_idx(json_object_array_get_idx(bk, 0),
							  0, json_object_new_int(257));
		}
		json_object_to_file(p, o);
		json_object_put(o);
		ASSERT_EQ(-1, result_read_json(p, r, err, sizeof(err)));
		ASSERT_NE(NULL, strstr(err, want[k])) TH_LOG("%s", err);
	}
	free(p);
	rm_rf(dir);
	free(dir);
	free(h);
	free(w);
}

TEST(names)
{
	ASSERT_STREQ("v14", deleg_name(DELEG_V14));
	ASSERT_STREQ("v15", deleg_name(DELEG_V15));
	ASSERT_STREQ("mixed", folio_name(FOLIO_MIXED));
	ASSERT_STREQ("threads", sched_name(SCHED_THREADS));
	ASSERT_EQ(FOLIO_2M, folio_from_name("2m"));
	ASSERT_EQ(FOLIO_2M, folio_from_name("2M"));
	ASSERT_EQ(FOLIO_1G, folio_from_name("1g"));
	ASSERT_EQ(-1, folio_from_name("8k"));
	ASSERT_EQ(DELEG_V15, deleg_from_name("v15"));
	ASSERT_EQ(-1, deleg_from_name("v16"));
	ASSERT_EQ(SCHED_DET, sched_from_name("det"));
	ASSERT_EQ(-1, sched_from_name(NULL));
	ASSERT_EQ(RMI_RTT_STRATEGY_ONE_LEVEL, strategy_from_name("one-level"));
	ASSERT_EQ(RMI_RTT_STRATEGY_BLOCK, strategy_from_name("block"));
	ASSERT_EQ(-1, strategy_from_name("one_level"));
	ASSERT_STREQ("?", folio_name(FOLIO_COUNT));
}

TEST(command_line)
{
	struct run_result r;
	char buf[2048];
	int n;

	distinct(&r);
	n = result_command_line(&r.cfg, buf, sizeof(buf));
	ASSERT_EQ((int)strlen(buf), n);
	TH_LOG("%s", buf);
	ASSERT_NE(NULL, strstr(buf, "rmibench run --kernel v14 --strategy block --delegation v14 "
			       "--profile spec --delegate-granules 7 --folio mixed "
			       "--ipa 0x40000000 --size 3G --vcpus 9 --workload strided "
			       "--shared-region --write-pct 33 --shared-pct 12 --ripas-pct 21 "
			       "--passes 4 --stride 12k --scheduler threads"));
	ASSERT_NE(NULL, strstr(buf, "--calibration 'lab/costs \"x\".json'"));
	ASSERT_NE(NULL, strstr(buf, "--livelock-faults 12345"));
	/* several rules: one option each */
	fill_str(r.cfg.inject, sizeof(r.cfg.inject),
		 "command=RTT_CREATE,times=1;command=RTT_DATA_MAP,status=ERROR_RTT");
	n = result_command_line(&r.cfg, buf, sizeof(buf));
	ASSERT_NE(NULL, strstr(buf, " --inject command=RTT_CREATE,times=1 "
			       "--inject command=RTT_DATA_MAP,status=ERROR_RTT "));
	/* a short buffer: cut, terminated, the full length returned */
	ASSERT_EQ(n, result_command_line(&r.cfg, buf, 10));
	ASSERT_EQ(9, (int)strlen(buf));
}

/* ---- the schema ---------------------------------------------------------------- */

/*
 * run_counts_merge() adds every counter: all of struct run_counts before
 * the WARN list is uint64_t, so it must equal adding them as an array.
 */
TEST(counts_merge)
{
	const size_t n = offsetof(struct run_counts, warn) / sizeof(uint64_t);
	struct run_counts *a = calloc(1, sizeof(*a));
	struct run_counts *b = calloc(1, sizeof(*b));
	struct run_counts *sum = calloc(1, sizeof(*sum));
	uint64_t *pa = (uint64_t *)a, *pb = (uint64_t *)b, *ps = (uint64_t *)sum;

	ASSERT_NE(NULL, sum);
	for (size_t i = 0; i < n; i++) {
		pa[i] = 1000 + i;
		pb[i] = (uint64_t)(i + 1) << 20;
	}
	run_counts_add_warn(a, "x", 1);
	run_counts_add_warn(a, "y", 2);
	run_counts_add_warn(b, "y", 5);
	run_counts_add_warn(b, "z", 7);
	*sum = *a;
	run_counts_merge(sum, b);
	for (size_t i = 0; i < n; i++) {
		ASSERT_EQ(pa[i] + pb[i], ps[i]) TH_LOG("counter %zu", i);
	}
	/* the members by name, as the sim counts them */
	ASSERT_EQ(a->faults + b->faults, sum->faults);
	ASSERT_EQ(a->by_cmd[3][4] + b->by_cmd[3][4], sum->by_cmd[3][4]);
	ASSERT_EQ(a->mapped_bytes[2] + b->mapped_bytes[2], sum->mapped_bytes[2]);
	ASSERT_EQ(a->leaked_by_state[6] + b->leaked_by_state[6],
		  sum->leaked_by_state[6]);
	ASSERT_EQ(a->granules_delegated + b->granules_delegated,
		  sum->granules_delegated);
	/* WARN reasons merge by reason, in order of first appearance */
	ASSERT_EQ(3, sum->nwarn);
	ASSERT_STREQ("x", sum->warn[0].reason);
	ASSERT_EQ(1, sum->warn[0].count);
	ASSERT_STREQ("y", sum->warn[1].reason);
	ASSERT_EQ(7, sum->warn[1].count);
	ASSERT_STREQ("z", sum->warn[2].reason);
	ASSERT_EQ(7, sum->warn[2].count);
	/* full: the last kind collects the rest */
	memset(sum, 0, sizeof(*sum));
	for (int i = 0; i < MAX_WARN_KINDS; i++) {
		char r[32];

		snprintf(r, sizeof(r), "kind %d", i);
		run_counts_add_warn(sum, r, 1);
	}
	run_counts_add_warn(sum, "one more", 4);
	ASSERT_EQ(MAX_WARN_KINDS, sum->nwarn);
	ASSERT_EQ(5, sum->warn[MAX_WARN_KINDS - 1].count);
	ASSERT_STREQ("kind 15", sum->warn[MAX_WARN_KINDS - 1].reason);
	free(a);
	free(b);
	free(sum);
}

/*
 * Streams counted in one shard (metrics_one_shard(), the sim under det)
 * give the result per-stream shards give, and each stream keeps its own
 * fault in progress while another's interleaves with it. Two vCPUs fault
 * on the same folio, their events interleaved as det interleaves them at
 * RMI calls; the VMM's stream creates an RTT. By hand: 2 faults, both
 * private, on one folio: 1 re-fault; 3 RMI calls, all in the fault phase
 * (1 delegate refused with ERROR_INPUT, 1 delegate, 1 DATA_MAP); modelled
 * latencies 400 - 100 = 300 (vCPU 0) and 250 - 200 = 50 (vCPU 1): count
 * 2, sum 350, min 50, max 300; one wall-clock sample, 1700 - 1000 = 700
 * (vCPU 1's fault is not stamped); calls per fault 2 and 1.
 */
static void feed(struct metrics *m)
{
	struct rmi_sink s0 = metrics_sink(m, 0), s1 = metrics_sink(m, 1);
	struct rmi_sink s2 = metrics_sink(m, 2);
	struct rmi_ev_hdr h = { 0 };
	const uint64_t ipa = 0x40000000, sz = 4096;

	metrics_phase(m, METRICS_FAULT);
	h = (struct rmi_ev_hdr){ .wall_ns = 1000, .model_ns = 100 };
	s0.ops->realm_map_enter(s0.ctx, &h, 0, ipa, sz, 1);
	h = (struct rmi_ev_hdr){ .wall_ns = 0, .model_ns = 200 };
	s1.ops->realm_map_enter(s1.ctx, &h, 1, ipa, sz, 1);
	s1.ops->rmi_call_exit(s1.ctx, &h, RMI_GRANULE_RANGE_DELEGATE,
			      RMI_ERROR_INPUT, 0, 0);
	s0.ops->rmi_call_exit(s0.ctx, &h, RMI_GRANULE_RANGE_DELEGATE,
			      RMI_SUCCESS, 0, 0);
	h.model_ns = 250;
	s1.ops->realm_map_exit(s1.ctx, &h, 1, ipa, sz, 0, 1, 0);
	s0.ops->rmi_call_exit(s0.ctx, &h, RMI_RTT_DATA_MAP, RMI_SUCCESS, 0, 0);
	h = (struct rmi_ev_hdr){ .wall_ns = 1700, .model_ns = 400 };
	s0.ops->realm_map_exit(s0.ctx, &h, 0, ipa, sz, 0, 2, 0);
	s2.ops->rtt_create(s2.ctx, &h, ipa, 3, RMI_SUCCESS);
}

TEST(metrics_shared_shard)
{
	struct run_result *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct metrics *ma = metrics_create(3), *mb = metrics_create(3);
	unsigned int dm = rmi_cmd_index(RMI_RTT_DATA_MAP);

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, ma);
	ASSERT_NE(NULL, mb);
	ASSERT_EQ(0, metrics_one_shard(mb));
	ASSERT_EQ(0, metrics_one_shard(mb));	/* once is enough */
	feed(ma);
	feed(mb);
	metrics_collect(ma, a);
	metrics_collect(mb, b);
	ASSERT_EQ(2, b->counts.faults);
	ASSERT_EQ(2, b->counts.faults_private);
	ASSERT_EQ(1, b->counts.refaults);
	ASSERT_EQ(3, b->counts.rmi_calls);
	ASSERT_EQ(3, b->counts.rmi_calls_fault);
	ASSERT_EQ(1, b->counts.by_cmd[dm][RMI_SUCCESS]);
	ASSERT_EQ(0, b->counts.granules_delegated);
	ASSERT_EQ(1, b->counts.rtts_created);
	ASSERT_EQ(1, b->counts.rtt_pages_peak);
	ASSERT_EQ(2, b->lat_model.count);
	ASSERT_EQ(350, b->lat_model.sum);
	ASSERT_EQ(50, b->lat_model.min);
	ASSERT_EQ(300, b->lat_model.max);
	ASSERT_EQ(1, b->lat_wall.count);
	ASSERT_EQ(700, b->lat_wall.sum);
	ASSERT_EQ(3, b->calls_per_fault.sum);
	ASSERT_EQ(2, b->calls_per_fault.max);
	/* the same, every byte, as one shard per stream */
	ASSERT_EQ(0, memcmp(&a->counts, &b->counts, sizeof(a->counts)));
	ASSERT_EQ(0, memcmp(&a->lat_model, &b->lat_model, sizeof(a->lat_model)));
	ASSERT_EQ(0, memcmp(&a->lat_wall, &b->lat_wall, sizeof(a->lat_wall)));
	ASSERT_EQ(0, memcmp(&a->calls_per_fault, &b->calls_per_fault,
			    sizeof(a->calls_per_fault)));
	metrics_destroy(ma);
	metrics_destroy(mb);
	free(a);
	free(b);
}

/* "| `name` |" or "| `name`, " in a README table */
static bool documented(const char *text, const char *name)
{
	char a[160], b[160];

	snprintf(a, sizeof(a), "| `%s` |", name);
	snprintf(b, sizeof(b), "| `%s`, ", name);
	return strstr(text, a) || strstr(text, b);
}

/*
 * Every setting and count of the schema is in results/README.md, and so
 * is every runs.tsv column; a setting's option is its name with '-'.
 */
TEST(schema_documented)
{
	char *text = slurp("results/README.md"), *tsv;

	if (!text)
		SKIP(return, "results/README.md not found (run from the top)");
	tsv = strstr(text, "`runs.tsv` columns:");
	ASSERT_NE(NULL, tsv);
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];
		char opt[64];

		snprintf(opt, sizeof(opt), "%s", f->name);
		for (char *c = opt; *c; c++)
			if (*c == '_')
				*c = '-';
		ASSERT_STREQ(opt, f->opt);
		ASSERT_TRUE(documented(text, f->name)) TH_LOG("config.%s", f->name);
	}
	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *f = &run_counts_fields[i];
		char col[96];

		ASSERT_NE(NULL, f->help);
		ASSERT_NE(NULL, f->unit);
		if (f->kind == COUNT_KIND_ARRAY) {
			bool all = true;

			for (unsigned int j = 0; j < f->n; j++) {
				snprintf(col, sizeof(col), "%s.%s", f->path,
					 f->key_name(j));
				all &= documented(text, col);
			}
			ASSERT_TRUE(all || documented(text, f->path))
				TH_LOG("counts.%s", f->path);
			for (unsigned int j = 0; f->tsv && j < f->n; j++) {
				if (f->sparse & (1u << j))
					continue;
				snprintf(col, sizeof(col), "`%s%s`", f->tsv,
					 f->key_name(j));
				ASSERT_NE(NULL, strstr(tsv, col)) TH_LOG("%s", col);
			}
			continue;
		}
		ASSERT_TRUE(documented(text, f->path)) TH_LOG("%s", f->path);
		if (f->kind == COUNT_KIND_BY_CMD) {
			ASSERT_TRUE(documented(text, f->status_path));
		}
		if (f->tsv) {
			snprintf(col, sizeof(col), "`%s`", f->tsv);
			ASSERT_NE(NULL, strstr(tsv, col)) TH_LOG("%s", col);
		}
	}
	free(text);
}

/* ---- the result file ------------------------------------------------------------ */

TEST(json_round_trip)
{
	struct run_result w, r;
	struct result_meta m;
	char err[512], *dir = make_tmpdir(), *p, *text;
	json_object *o, *v;

	ASSERT_NE(NULL, dir);
	p = path_in(dir, "run.json");
	distinct(&w);
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, result_read_json_meta(p, &r, &m, err, sizeof(err)))
		TH_LOG("%s", err);

	/* config */
	ASSERT_EQ(w.cfg.strategy, r.cfg.strategy);
	ASSERT_EQ(w.cfg.delegation, r.cfg.delegation);
	ASSERT_STREQ(w.cfg.profile, r.cfg.profile);
	ASSERT_EQ(w.cfg.delegate_granules, r.cfg.delegate_granules);
	ASSERT_EQ(w.cfg.folio, r.cfg.folio);
	ASSERT_EQ(w.cfg.ipa, r.cfg.ipa);
	ASSERT_EQ(w.cfg.size, r.cfg.size);
	ASSERT_EQ(w.cfg.vcpus, r.cfg.vcpus);
	ASSERT_STREQ(w.cfg.workload, r.cfg.workload);
	ASSERT_EQ(w.cfg.shared_region, r.cfg.shared_region);
	ASSERT_EQ(w.cfg.write_pct, r.cfg.write_pct);
	ASSERT_EQ(w.cfg.shared_pct, r.cfg.shared_pct);
	ASSERT_EQ(w.cfg.passes, r.cfg.passes);
	ASSERT_EQ(w.cfg.stride, r.cfg.stride);
	ASSERT_EQ(w.cfg.scheduler, r.cfg.scheduler);
	ASSERT_EQ(w.cfg.seed, r.cfg.seed);
	ASSERT_EQ(w.cfg.s2sz, r.cfg.s2sz);
	ASSERT_STREQ(w.cfg.calibration, r.cfg.calibration);
	ASSERT_STREQ(w.cfg.inject, r.cfg.inject);
	ASSERT_EQ(w.cfg.livelock_faults, r.cfg.livelock_faults);

	/* counts */
	ASSERT_EQ(w.counts.faults, r.counts.faults);
	ASSERT_EQ(w.counts.faults_private, r.counts.faults_private);
	ASSERT_EQ(w.counts.faults_shared, r.counts.faults_shared);
	ASSERT_EQ(w.counts.refaults, r.counts.refaults);
	ASSERT_EQ(w.counts.rmi_calls, r.counts.rmi_calls);
	ASSERT_EQ(w.counts.rmi_calls_setup, r.counts.rmi_calls_setup);
	ASSERT_EQ(w.counts.rmi_calls_fault, r.counts.rmi_calls_fault);
	ASSERT_EQ(w.counts.rmi_calls_teardown, r.counts.rmi_calls_teardown);
	for (int c = 0; c < RMI_CMD_COUNT; c++) {
		for (int s = 0; s < STATUS_BUCKETS; s++) {
			ASSERT_EQ(w.counts.by_cmd[c][s], r.counts.by_cmd[c][s])
				TH_LOG("by_cmd[%d][%d]", c, s);
		}
	}
	ASSERT_EQ(w.counts.rtts_created, r.counts.rtts_created);
	ASSERT_EQ(w.counts.rtts_destroyed, r.counts.rtts_destroyed);
	ASSERT_EQ(w.counts.rtt_pages_peak, r.counts.rtt_pages_peak);
	ASSERT_EQ(w.counts.rtt_pages_end, r.counts.rtt_pages_end);
	for (int l = 0; l < 4; l++)
		ASSERT_EQ(w.counts.mapped_bytes[l], r.counts.mapped_bytes[l]);
	ASSERT_EQ(w.counts.delegate_races, r.counts.delegate_races);
	ASSERT_EQ(w.counts.partial_delegations, r.counts.partial_delegations);
	ASSERT_EQ(w.counts.leaked_granules, r.counts.leaked_granules);
	for (int i = 0; i < 7; i++)
		ASSERT_EQ(w.counts.leaked_by_state[i], r.counts.leaked_by_state[i]);
	ASSERT_EQ(w.counts.warnings, r.counts.warnings);
	ASSERT_EQ(w.counts.guest_errors, r.counts.guest_errors);
	ASSERT_EQ(w.counts.injected, r.counts.injected);
	ASSERT_EQ(w.counts.accesses, r.counts.accesses);
	ASSERT_EQ(w.counts.granules_delegated, r.counts.granules_delegated);
	ASSERT_EQ(w.counts.nwarn, r.counts.nwarn);
	for (unsigned int i = 0; i < w.counts.nwarn; i++) {
		ASSERT_STREQ(w.counts.warn[i].reason, r.counts.warn[i].reason);
		ASSERT_EQ(w.counts.warn[i].count, r.counts.warn[i].count);
	}

	/* distributions and the rest */
	ASSERT_HIST_EQ(&w.lat_model, &r.lat_model);
	ASSERT_HIST_EQ(&w.lat_wall, &r.lat_wall);
	ASSERT_HIST_EQ(&w.calls_per_fault, &r.calls_per_fault);
	ASSERT_STREQ(w.outcome, r.outcome);
	ASSERT_EQ(OUTCOME_LIVELOCK, r.outcome_class);
	ASSERT_TRUE(r.workload_done);
	ASSERT_STREQ("rmibench matrix --out-dir 'a b' --folios 4k,2m", r.command);
	ASSERT_EQ(w.cost_model_default, r.cost_model_default);
	ASSERT_TRUE(w.wall_seconds == r.wall_seconds);
	ASSERT_TRUE(w.virtual_seconds == r.virtual_seconds);
	ASSERT_EQ(w.model_bytes, r.model_bytes);

	/* metadata */
	ASSERT_STREQ("sim", m.backend);
	/* result.o may have been built at another commit than this test */
	ASSERT_LT(0, (int)strlen(m.version));
	ASSERT_STREQ(w.cfg.calibration, m.cost_source);
	ASSERT_STREQ(folio_case(FOLIO_MIXED), m.folio_case);
	ASSERT_EQ(20, (int)strlen(m.timestamp));
	ASSERT_EQ('Z', m.timestamp[19]);
	ASSERT_LT(0, m.nproc);
	ASSERT_LT(0, (int)strlen(m.kernel));

	/* the names scripts rely on, by path */
	o = json_object_from_file(p);
	ASSERT_NE(NULL, o);
	ASSERT_TRUE(json_object_object_get_ex(o, "counts", &v));
	ASSERT_TRUE(json_object_object_get_ex(v, "rmi_calls", &v));
	ASSERT_TRUE(json_object_object_get_ex(v, "by_command", &v));
	ASSERT_TRUE(json_object_object_get_ex(v, "RTT_FOLD", NULL));
	ASSERT_FALSE(json_object_object_get_ex(v, "RTT_CREATE", NULL));
	json_object_put(o);
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, strstr(text, "\"schema_version\": 1,"));
	ASSERT_NE(NULL, strstr(text, "\"OTHER\": "));
	ASSERT_NE(NULL, strstr(text, "\"wall_seconds\": 0.1,"));
	ASSERT_NE(NULL, strstr(text, "\"seed\": 18364758544493064720,"));
	ASSERT_EQ(NULL, strstr(text, "\"l0\""));
	ASSERT_EQ('\n', text[strlen(text) - 1]);
	ASSERT_NE(NULL, strstr(text, "\"outcome_class\": \"livelock\",\n  \"workload_done\": true,"));
	ASSERT_NE(NULL, strstr(text, "\"command\": \"rmibench matrix --out-dir 'a b' --folios 4k,2m\""));
	free(text);

	/*
	 * A file from before "workload_done": done unless its outcome is a
	 * failure (livelock here), what the report took such files for; a
	 * value that is not a boolean is refused.
	 */
	o = json_object_from_file(p);
	ASSERT_NE(NULL, o);
	json_object_object_del(o, "workload_done");
	ASSERT_EQ(0, json_object_to_file(p, o));
	ASSERT_EQ(0, result_read_json_meta(p, &r, &m, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_FALSE(r.workload_done);
	json_object_object_add(o, "outcome_class", json_object_new_string("warn"));
	ASSERT_EQ(0, json_object_to_file(p, o));
	ASSERT_EQ(0, result_read_json_meta(p, &r, &m, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_TRUE(r.workload_done);
	json_object_object_add(o, "workload_done", json_object_new_int(1));
	ASSERT_EQ(0, json_object_to_file(p, o));
	ASSERT_EQ(-1, result_read_json_meta(p, &r, &m, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "workload_done: expected true or false")) TH_LOG("%s", err);
	json_object_put(o);

	/* a default-cost run says so */
	synth(&w, RMI_RTT_STRATEGY_FULL, FOLIO_4K, 1, 1);
	w.counts.mapped_bytes[0] = 4096;	/* l0 appears only when set */
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err))) TH_LOG("%s", err);
	text = slurp(p);
	ASSERT_NE(NULL, strstr(text, "\"note\": \"assumed costs; counts never depend on them\""));
	ASSERT_NE(NULL, strstr(text, "\"source\": \"default (assumed, not measured)\""));
	ASSERT_NE(NULL, strstr(text, "\"case\": \"4 KiB folios: today's hosts (the series maps 4 KiB)\""));
	ASSERT_NE(NULL, strstr(text, "\"l0\": 4096"));
	free(text);
	ASSERT_EQ(0, result_read_json_meta(p, &r, &m, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_TRUE(r.cost_model_default);
	ASSERT_EQ(4096, r.counts.mapped_bytes[0]);
	ASSERT_HIST_EQ(&w.lat_model, &r.lat_model);

	free(p);
	rm_rf(dir);
	free(dir);
}

TEST(writer_refuses_bad_results)
{
	struct run_result w;
	char err[512], *dir = make_tmpdir(), *p;

	ASSERT_NE(NULL, dir);
	p = path_in(dir, "bad.json");
	distinct(&w);
	w.cfg.write_pct = 101;
	ASSERT_EQ(-1, result_write_json(&w, p, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "config.write_pct")) TH_LOG("%s", err);
	distinct(&w);
	w.wall_seconds = 0.0 / 0.0;
	ASSERT_EQ(-1, result_write_json(&w, p, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "timing.wall_seconds")) TH_LOG("%s", err);
	distinct(&w);
	w.cfg.strategy = RMI_RTT_STRATEGY_COUNT;
	ASSERT_EQ(-1, result_write_json(&w, p, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "config.strategy")) TH_LOG("%s", err);
	ASSERT_NE(0, access(p, F_OK));
	free(p);
	rm_rf(dir);
	free(dir);
}

TEST(atomic_write_keeps_old_file)
{
	struct run_result w, r;
	char err[512], *dir = make_tmpdir(), *p, *sub, *missing, *before, *after;
	struct rlimit lim, old;
	struct stat st;

	ASSERT_NE(NULL, dir);
	p = path_in(dir, "run.json");
	sub = path_in(dir, "subdir.json");
	missing = path_in(dir, "no/such/dir/run.json");

	/* an old result */
	synth(&w, RMI_RTT_STRATEGY_ONE_LEVEL, FOLIO_2M, 2, 3);
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err))) TH_LOG("%s", err);
	before = slurp(p);
	ASSERT_NE(NULL, before);

	/* the write fails half way (file size limit: root is bound too) */
	signal(SIGXFSZ, SIG_IGN);
	ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old));
	lim = old;
	lim.rlim_cur = 512;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	distinct(&w);
	ASSERT_EQ(-1, result_write_json(&w, p, err, sizeof(err)));
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &old));
	TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, p));
	ASSERT_NE(NULL, strstr(err, "File too large"));
	after = slurp(p);
	ASSERT_STREQ(before, after);
	ASSERT_EQ(0, hidden_files(dir));
	ASSERT_EQ(0, result_read_json(p, &r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(RMI_RTT_STRATEGY_ONE_LEVEL, r.cfg.strategy);
	free(after);

	/* the destination is a directory */
	ASSERT_EQ(0, mkdir(sub, 0755));
	ASSERT_EQ(-1, result_write_json(&w, sub, err, sizeof(err)));
	TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, sub));
	ASSERT_NE(NULL, strstr(err, "Is a directory"));
	ASSERT_EQ(0, stat(sub, &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, hidden_files(dir));

	/* the directory does not exist */
	ASSERT_EQ(-1, result_write_json(&w, missing, err, sizeof(err)));
	TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, "cannot create a temporary file"));
	ASSERT_NE(NULL, strstr(err, "No such file or directory"));

	/* no file name at all */
	ASSERT_EQ(-1, result_write_file_atomic("/tmp/", "x", 1, err, sizeof(err)));

	/* and the old file is still the old file */
	after = slurp(p);
	ASSERT_STREQ(before, after);
	free(after);
	free(before);
	free(p);
	free(sub);
	free(missing);
	rm_rf(dir);
	free(dir);
}

/*
 * Rewrite one field of a good result file through @edit and check the
 * reader rejects it with an error naming @field.
 */
typedef void (*edit_fn)(json_object *root);

static int reject_after(const char *dir, edit_fn edit, const char *field,
			char *err, size_t errlen)
{
	struct run_result w, r;
	char *p = path_in(dir, "edited.json");
	json_object *o;
	int ret = -1;

	distinct(&w);
	if (!p || result_write_json(&w, p, err, errlen))
		goto out;
	o = json_object_from_file(p);
	if (!o)
		goto out;
	edit(o);
	json_object_to_file_ext(p, o, JSON_C_TO_STRING_PRETTY);
	json_object_put(o);
	if (!result_read_json(p, &r, err, errlen)) {
		snprintf(err, errlen, "accepted");
		goto out;
	}
	ret = strstr(err, field) && strstr(err, p) && !strchr(err, '\n') ? 0 : -1;
out:
	free(p);
	return ret;
}

static json_object *at(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, a, &v);
	if (b)
		json_object_object_get_ex(v, b, &v);
	return v;
}

static void e_schema(json_object *o)
{
	json_object_object_add(o, "schema_version", json_object_new_int(2));
}

static void e_missing(json_object *o)
{
	json_object_object_del(at(o, "counts", NULL), "refaults");
}

static void e_type(json_object *o)
{
	json_object_object_add(at(o, "counts", NULL), "faults",
			       json_object_new_string("12"));
}

static void e_negative(json_object *o)
{
	json_object_object_add(at(o, "counts", NULL), "rtts_created",
			       json_object_new_int(-1));
}

static void e_strategy(json_object *o)
{
	json_object_object_add(at(o, "config", NULL), "strategy",
			       json_object_new_string("two-level"));
}

static void e_write_pct(json_object *o)
{
	json_object_object_add(at(o, "config", NULL), "write_pct",
			       json_object_new_int(150));
}

static void e_profile_long(json_object *o)
{
	json_object_object_add(at(o, "config", NULL), "profile",
			       json_object_new_string("a-very-long-profile-name"));
}

static void e_by_command(json_object *o)
{
	json_object_object_add(at(at(o, "counts", "rmi_calls"), "by_command", NULL),
			       "RTT_FOLD", json_object_new_int(1));
}

static void e_unknown_cmd(json_object *o)
{
	json_object *st = json_object_new_object();

	json_object_object_add(st, "SUCCESS", json_object_new_int(1));
	json_object_object_add(at(at(o, "counts", "rmi_calls"), "by_status", NULL),
			       "RTT_TELEPORT", st);
}

static void e_buckets(json_object *o)
{
	json_object *h = at(o, "distributions", "fault_latency_modelled_ns");

	json_object_object_add(h, "count", json_object_new_int(4));
}

static void e_hist_missing(json_object *o)
{
	json_object_object_del(at(o, "distributions", NULL), "rmi_calls_per_fault");
}

static void e_timing(json_object *o)
{
	json_object_object_add(at(o, "timing", NULL), "wall_seconds",
			       json_object_new_string("fast"));
}

static void e_cost_default(json_object *o)
{
	json_object_object_add(at(o, "metadata", "cost_model"), "default",
			       json_object_new_int(1));
}

static void e_mapped(json_object *o)
{
	json_object_object_add(at(o, "counts", "mapped_bytes"), "l2",
			       json_object_new_double(2.5));
}

static void e_warn(json_object *o)
{
	json_object *a = at(o, "counts", "warning_reasons");

	json_object_object_del(json_object_array_get_idx(a, 1), "count");
}

static void e_top(json_object *o)
{
	json_object_object_add(o, "config", json_object_new_array());
}

TEST(reader_rejects_bad_files)
{
	static const struct {
		edit_fn fn;
		const char *field;
	} cases[] = {
		{ e_schema, "schema_version" },
		{ e_missing, "counts.refaults: missing" },
		{ e_type, "counts.faults: expected a whole number, found string" },
		{ e_negative, "counts.rtts_created: negative" },
		{ e_strategy, "config.strategy: unknown value 'two-level'" },
		{ e_write_pct, "config.write_pct" },
		{ e_profile_long, "config.profile: longer than 15" },
		{ e_by_command, "counts.rmi_calls.by_command.RTT_FOLD" },
		{ e_unknown_cmd, "counts.rmi_calls.by_status.RTT_TELEPORT: unknown RMI command" },
		{ e_buckets, "distributions.fault_latency_modelled_ns" },
		{ e_hist_missing, "distributions.rmi_calls_per_fault: missing" },
		{ e_timing, "timing.wall_seconds: expected a number" },
		{ e_cost_default, "metadata.cost_model.default" },
		{ e_mapped, "counts.mapped_bytes.l2" },
		{ e_warn, "counts.warning_reasons[1].count: missing" },
		{ e_top, "config: expected an object, found array" },
	};
	struct run_result w, r;
	char err[512], *dir = make_tmpdir(), *p, *text;
	json_object *o;
	size_t len;

	ASSERT_NE(NULL, dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, reject_after(dir, cases[i].fn, cases[i].field, err,
					  sizeof(err)))
			TH_LOG("case %zu (%s): %s", i, cases[i].field, err);
		TH_LOG("%s", err);
	}

	/* truncated, empty, trailing garbage, not an object, no file */
	p = path_in(dir, "cut.json");
	distinct(&w);
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err)));
	text = slurp(p);
	len = strlen(text);
	ASSERT_EQ(0, spit(p, text, len / 2));
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, p));
	ASSERT_NE(NULL, strstr(err, "truncated"));
	ASSERT_EQ(0, spit(p, "", 0));
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "empty")) TH_LOG("%s", err);
	ASSERT_EQ(0, spit(p, "{} {}", 5));
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "invalid JSON at byte 3")) TH_LOG("%s", err);
	ASSERT_EQ(0, spit(p, "[1]", 3));
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "expected a JSON object")) TH_LOG("%s", err);
	ASSERT_EQ(0, spit(p, "{\"schema_version\": 1,}", 22));
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "invalid JSON")) TH_LOG("%s", err);
	ASSERT_EQ(0, spit(p, "{}", 2));
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "schema_version: missing")) TH_LOG("%s", err);
	unlink(p);
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "No such file")) TH_LOG("%s", err);
	ASSERT_EQ(-1, result_read_json(dir, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "not a regular file")) TH_LOG("%s", err);

	/* a compatible addition is ignored */
	ASSERT_EQ(0, spit(p, text, len));
	free(text);
	o = json_object_from_file(p);
	ASSERT_NE(NULL, o);
	json_object_object_add(o, "new_section", json_object_new_int(5));
	json_object_object_add(at(o, "counts", NULL), "new_count",
			       json_object_new_int(5));
	json_object_to_file(p, o);
	json_object_put(o);
	ASSERT_EQ(0, result_read_json(p, &r, err, sizeof(err))) TH_LOG("%s", err);
	free(p);
	rm_rf(dir);
	free(dir);
}

/*
 * timing: the phases' seconds and the per-fault clock read back as
 * written; a backend that does not time them writes null (read as not
 * timed), a file from before they existed lacks them (the same); half of
 * the phases, or a clock with no tick, is refused naming the field.
 */
static void e_phase_null(json_object *o)
{
	json_object_object_add(at(o, "timing", NULL), "fault_seconds", NULL);
}

static void e_phase_gone(json_object *o)
{
	json_object_object_del(at(o, "timing", NULL), "teardown_seconds");
}

static void e_clock_every(json_object *o)
{
	json_object_object_add(at(o, "timing", "fault_clock"), "every",
			       json_object_new_int(0));
}

static void e_clock_source(json_object *o)
{
	json_object_object_del(at(o, "timing", "fault_clock"), "source");
}

static void timed(struct run_result *w)
{
	distinct(w);
	w->phases_timed = true;
	w->setup_seconds = 0.25;
	w->fault_seconds = 1.5;
	w->teardown_seconds = 0.125;
	w->fault_cpu_seconds = 2.75;
	fill_str(w->fault_clock, sizeof(w->fault_clock), "tsc");
	w->fault_clock_resolution_ns = 0.5;
	w->fault_clock_every = 1;
}

static int reject_timed(const char *dir, edit_fn edit, const char *field,
			char *err, size_t errlen)
{
	struct run_result w, r;
	char *p = path_in(dir, "timed.json");
	json_object *o;
	int ret = -1;

	timed(&w);
	if (!p || result_write_json(&w, p, err, errlen))
		goto out;
	o = json_object_from_file(p);
	if (!o)
		goto out;
	edit(o);
	json_object_to_file_ext(p, o, JSON_C_TO_STRING_PRETTY);
	json_object_put(o);
	if (!result_read_json(p, &r, err, errlen)) {
		snprintf(err, errlen, "accepted");
		goto out;
	}
	ret = strstr(err, field) && !strchr(err, '\n') ? 0 : -1;
out:
	free(p);
	return ret;
}

TEST(timing_phases_and_clock)
{
	static const struct {
		edit_fn fn;
		const char *field;
	} cases[] = {
		{ e_phase_null, "timing: some phases' seconds are null" },
		{ e_phase_gone, "timing: some phases' seconds are missing" },
		{ e_clock_every, "timing.fault_clock.every: 0" },
		{ e_clock_source, "timing.fault_clock.source: missing" },
	};
	struct run_result w, r;
	char err[512], *dir = make_tmpdir(), *p;
	json_object *o, *t, *v;

	ASSERT_NE(NULL, dir);
	p = path_in(dir, "run.json");
	timed(&w);
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, result_read_json(p, &r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_TRUE(r.phases_timed);
	ASSERT_TRUE(r.setup_seconds == 0.25);
	ASSERT_TRUE(r.fault_seconds == 1.5);
	ASSERT_TRUE(r.teardown_seconds == 0.125);
	ASSERT_TRUE(r.fault_cpu_seconds == 2.75);
	ASSERT_STREQ("tsc", r.fault_clock);
	ASSERT_TRUE(r.fault_clock_resolution_ns == 0.5);
	ASSERT_EQ(1u, r.fault_clock_every);

	/* not timed: null, and read back as not timed */
	distinct(&w);
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err))) TH_LOG("%s", err);
	o = json_object_from_file(p);
	ASSERT_NE(NULL, o);
	t = at(o, "timing", NULL);
	ASSERT_TRUE(json_object_object_get_ex(t, "fault_seconds", &v));
	ASSERT_EQ(NULL, v);
	ASSERT_TRUE(json_object_object_get_ex(t, "fault_clock", &v));
	ASSERT_EQ(NULL, v);
	json_object_put(o);
	ASSERT_EQ(0, result_read_json(p, &r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_FALSE(r.phases_timed);
	ASSERT_STREQ("", r.fault_clock);

	/* a file from before: no phases, no clock */
	o = json_object_from_file(p);
	ASSERT_NE(NULL, o);
	t = at(o, "timing", NULL);
	json_object_object_del(t, "setup_seconds");
	json_object_object_del(t, "fault_seconds");
	json_object_object_del(t, "teardown_seconds");
	json_object_object_del(t, "fault_cpu_seconds");
	json_object_object_del(t, "fault_clock");
	json_object_to_file(p, o);
	json_object_put(o);
	ASSERT_EQ(0, result_read_json(p, &r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_FALSE(r.phases_timed);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, reject_timed(dir, cases[i].fn, cases[i].field, err,
					  sizeof(err)))
			TH_LOG("case %zu (%s): %s", i, cases[i].field, err);
	}
	free(p);
	rm_rf(dir);
	free(dir);
}

/*
 * What json-c lets pass and the readers must not: a key given twice (json-c
 * keeps the last value) in a result file and in a calibration file, and a
 * count above 2^64-1 (json-c reads it as 2^64-1). A FIFO in a file's place
 * is refused without blocking.
 */
static int edit_text(const char *p, const char *from, const char *to)
{
	char *text = slurp(p), *hit, *out;
	int ret;

	if (!text || !(hit = strstr(text, from))) {
		free(text);
		return -1;
	}
	if (asprintf(&out, "%.*s%s%s", (int)(hit - text), text, to,
		     hit + strlen(from)) < 0) {
		free(text);
		return -1;
	}
	ret = spit(p, out, strlen(out));
	free(out);
	free(text);
	return ret;
}

TEST(duplicate_keys_and_big_counts)
{
	static const char *const dup[][3] = {
		/* in the text, replaced by, the error */
		{ "\"faults\": ", "\"faults\": 7, \"faults\": ",
		  ": counts.faults: given twice" },
		{ "\"outcome\": ", "\"outc\\u006fme\": \"x\", \"outcome\": ",
		  ": outcome: given twice" },
		{ "\"schema_version\": 1,", "\"schema_version\": 1, \"schema_version\": 1,",
		  ": schema_version: given twice" },
		{ "\"reason\": ", "\"reason\": \"a\", \"reason\": ",
		  ": counts.warning_reasons[0].reason: given twice" },
		{ "\"refaults\": 1003", "\"refaults\": 18446744073709551616",
		  ": counts.refaults: 18446744073709551616 is above 2^64-1" },
		{ "\"refaults\": 1003", "\"refaults\": 123456789012345678901234567890",
		  ": counts.refaults: 123456789012345678901234567890 is above 2^64-1" },
	};
	static const char *const cal[][2] = {
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": 1, \"per_granule_ns\": 1, \"fixed_ns\": 5}}}",
		  ": costs.RTT_CREATE.fixed_ns: given twice" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": 1, \"per_granule_ns\": 1}, \"RTT_CREATE\": "
		  "{\"fixed_ns\": 2, \"per_granule_ns\": 2}}}",
		  ": costs.RTT_CREATE: given twice" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {}, "
		  "\"access_ns\": 5, \"access_ns\": 6}", ": access_ns: given twice" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {}, "
		  "\"access_ns\": 18446744073709551617}", ": access_ns: 18446744073709551617 is above 2^64-1" },
	};
	struct run_result w, r;
	struct cost_model c, keep;
	char err[512], *dir = make_tmpdir(), *p, *want;

	ASSERT_NE(NULL, dir);
	p = path_in(dir, "r.json");
	for (size_t i = 0; i < sizeof(dup) / sizeof(dup[0]); i++) {
		distinct(&w);
		ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err)));
		ASSERT_EQ(0, edit_text(p, dup[i][0], dup[i][1])) TH_LOG("case %zu", i);
		ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)))
			TH_LOG("case %zu accepted", i);
		ASSERT_EQ(0, asprintf(&want, "%s%s", p, dup[i][2]) < 0);
		ASSERT_STREQ(want, err);
		free(want);
	}
	/* 2^64-1 itself is a count */
	distinct(&w);
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err)));
	ASSERT_EQ(0, edit_text(p, "\"refaults\": 1003", "\"refaults\": 18446744073709551615"));
	ASSERT_EQ(0, result_read_json(p, &r, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(UINT64_MAX, r.counts.refaults);
	free(p);

	p = path_in(dir, "costs.json");
	cost_model_default(&c);
	for (size_t i = 0; i < sizeof(cal) / sizeof(cal[0]); i++) {
		ASSERT_EQ(0, spit(p, cal[i][0], strlen(cal[i][0])));
		keep = c;
		ASSERT_EQ(-1, cost_model_load(&c, p, err, sizeof(err)))
			TH_LOG("case %zu accepted", i);
		ASSERT_EQ(0, asprintf(&want, "%s%s", p, cal[i][1]) < 0);
		ASSERT_STREQ(want, err);
		free(want);
		ASSERT_EQ(0, memcmp(&keep, &c, sizeof(c)));
	}
	unlink(p);

	/* a FIFO: refused at once, not waited on */
	ASSERT_EQ(0, mkfifo(p, 0644));
	ASSERT_EQ(-1, cost_model_load(&c, p, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "not a regular file")) TH_LOG("%s", err);
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "not a regular file")) TH_LOG("%s", err);
	free(p);
	rm_rf(dir);
	free(dir);
}

/*
 * json-c takes NaN, Infinity and -Infinity; the second pass over the text
 * (duplicate keys, counts above 2^64-1) did not move past them in an
 * array and spun for ever (found by fuzz_result). It moves past them and
 * goes on checking what follows; the readers then refuse them where a
 * number is wanted.
 */
TEST(nan_and_infinity)
{
	static const char *const ok[] = {
		"{\"a\": [NaN]}",
		"{\"a\": [Infinity, -Infinity, NaN, 1]}",
		"{\"a\": [[NaN], {\"b\": -Infinity}], \"c\": NaN}",
	};
	static const char dup[] = "{\"a\": [Infinity, NaN], \"a\": 1}";
	struct run_result w, r;
	char err[512], *dir = make_tmpdir(), *p, *want;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ASSERT_EQ(0, json_check_text(ok[i], strlen(ok[i]), "t", err,
					     sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(-1, json_check_text(dup, strlen(dup), "t", err, sizeof(err)));
	ASSERT_STREQ("t: a: given twice", err);

	ASSERT_NE(NULL, dir);
	p = path_in(dir, "r.json");
	distinct(&w);
	ASSERT_EQ(0, result_write_json(&w, p, err, sizeof(err)));
	ASSERT_EQ(0, edit_text(p, "\"log2_buckets\": [", "\"log2_buckets\": [Infinity, "));
	ASSERT_EQ(-1, result_read_json(p, &r, err, sizeof(err)));
	ASSERT_EQ(0, asprintf(&want, "%s: distributions.fault_latency_modelled_ns."
			      "log2_buckets[0]: expected a whole number, found double",
			      p) < 0);
	ASSERT_STREQ(want, err);
	free(want);
	free(p);
	rm_rf(dir);
	free(dir);
}

/* ---- the calibration file ------------------------------------------------------- */

TEST(cost_model)
{
	static const char good[] =
		"{\"schema\": \"rmibench-costs-1\",\n"
		" \"source\": \"FVP, bpf/rmi-lat, 10000 samples\",\n"
		" \"costs\": {\"RTT_DATA_MAP\": {\"fixed_ns\": 1100, \"per_granule_ns\": 25},\n"
		"           \"GRANULE_RANGE_DELEGATE\": {\"fixed_ns\": 0, \"per_granule_ns\": 1000000000}},\n"
		" \"fault_overhead_ns\": 2500}\n";
	static const char *const bad[][2] = {
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_TELEPORT\": "
		  "{\"fixed_ns\": 1, \"per_granule_ns\": 1}}}", "costs.RTT_TELEPORT: unknown RMI command" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": -5, \"per_granule_ns\": 1}}}", "costs.RTT_CREATE.fixed_ns: negative" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": 1.5, \"per_granule_ns\": 1}}}", "costs.RTT_CREATE.fixed_ns: expected whole" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": 1000000001, \"per_granule_ns\": 1}}}", "costs.RTT_CREATE.fixed_ns: 1000000001 is above" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": \"2000\", \"per_granule_ns\": 1}}}", "costs.RTT_CREATE.fixed_ns: expected a whole number, found string" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": 2000}}}", "costs.RTT_CREATE.per_granule_ns: missing" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": "
		  "{\"fixed_ns\": 2000, \"per_granule_ns\": 1, \"extra_ns\": 3}}}", "costs.RTT_CREATE.extra_ns: unknown field" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {\"RTT_CREATE\": 5}}",
		  "costs.RTT_CREATE: expected an object" },
		{ "{\"schema\": \"rmibench-costs-2\", \"costs\": {}}", "schema: 'rmibench-costs-2'" },
		{ "{\"costs\": {}}", "schema: missing" },
		{ "{\"schema\": \"rmibench-costs-1\"}", "costs: missing" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {}, \"fault_overhead\": 5}",
		  "fault_overhead: unknown field" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {}, \"access_ns\": 1e3}",
		  "access_ns: expected whole" },
		{ "{\"schema\": \"rmibench-costs-1\", \"costs\": {", "truncated" },
	};
	struct cost_model c, keep, d;
	char err[512], *dir = make_tmpdir(), *p;

	ASSERT_NE(NULL, dir);
	p = path_in(dir, "costs.json");
	cost_model_default(&d);
	ASSERT_TRUE(d.is_default);
	ASSERT_STREQ("default (assumed, not measured)", d.source);
	ASSERT_EQ(3000, d.fault_overhead_ns);
	ASSERT_EQ(20, d.access_ns);
	ASSERT_EQ(1500, d.cmd[RMI_CMD_GRANULE_RANGE_DELEGATE].fixed_ns);
	ASSERT_EQ(500, d.cmd[RMI_CMD_GRANULE_RANGE_DELEGATE].per_granule_ns);
	for (int i = 0; i < RMI_CMD_COUNT; i++) {
		ASSERT_LT(0, d.cmd[i].fixed_ns) TH_LOG("command %d has no cost", i);
	}

	ASSERT_EQ(0, spit(p, good, strlen(good)));
	c = d;
	ASSERT_EQ(0, cost_model_load(&c, p, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_FALSE(c.is_default);
	ASSERT_NE(NULL, strstr(c.source, p));
	ASSERT_NE(NULL, strstr(c.source, "FVP"));
	ASSERT_EQ(1100, c.cmd[RMI_CMD_RTT_DATA_MAP].fixed_ns);
	ASSERT_EQ(25, c.cmd[RMI_CMD_RTT_DATA_MAP].per_granule_ns);
	ASSERT_EQ(0, c.cmd[RMI_CMD_GRANULE_RANGE_DELEGATE].fixed_ns);
	ASSERT_EQ(1000000000, c.cmd[RMI_CMD_GRANULE_RANGE_DELEGATE].per_granule_ns);
	ASSERT_EQ(d.cmd[RMI_CMD_RTT_CREATE].fixed_ns, c.cmd[RMI_CMD_RTT_CREATE].fixed_ns);
	ASSERT_EQ(2500, c.fault_overhead_ns);
	ASSERT_EQ(20, c.access_ns);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(0, spit(p, bad[i][0], strlen(bad[i][0])));
		keep = c;
		ASSERT_EQ(-1, cost_model_load(&c, p, err, sizeof(err)))
			TH_LOG("case %zu accepted", i);
		TH_LOG("%s", err);
		ASSERT_NE(NULL, strstr(err, bad[i][1])) TH_LOG("case %zu: %s", i, err);
		ASSERT_NE(NULL, strstr(err, p));
		ASSERT_EQ(0, memcmp(&keep, &c, sizeof(c))) TH_LOG("case %zu changed the model", i);
	}
	unlink(p);
	ASSERT_EQ(-1, cost_model_load(&c, p, err, sizeof(err)));
	ASSERT_EQ(0, memcmp(&keep, &c, sizeof(c)));
	free(p);
	rm_rf(dir);
	free(dir);
}

/* ---- the report directory -------------------------------------------------------- */

#define NDEMO	18

static void demo_runs(struct run_result *rs)
{
	static const enum folio_mode fm[] = { FOLIO_4K, FOLIO_2M, FOLIO_1G };
	static const unsigned int vc[] = { 1, 4 };
	size_t n = 0;

	for (int f = 0; f < 3; f++)
		for (int v = 0; v < 2; v++)
			for (int s = 0; s < RMI_RTT_STRATEGY_COUNT; s++, n++)
				synth(&rs[n], s, fm[f], vc[v], n + 1);
	/* one run with trouble, for the table */
	rs[4].counts.warnings = 3;
	rs[4].counts.nwarn = 1;
	fill_str(rs[4].counts.warn[0].reason, sizeof(rs[4].counts.warn[0].reason),
		 "WARN_ON(rmi_delegate_range(phys, size))");
	rs[4].counts.warn[0].count = 3;
	rs[4].counts.leaked_granules = 2;
	rs[4].counts.leaked_by_state[RMI_GRANULE_DELEGATED] = 2;
	fill_str(rs[4].outcome, sizeof(rs[4].outcome), "ok | with leaks");
	/* and one whose realm was killed (a control character in its text) */
	rs[6].outcome_class = OUTCOME_KILLED;
	rs[6].workload_done = false;
	fill_str(rs[6].outcome, sizeof(rs[6].outcome), "vcpu 0: killed\tand\x1b");
	/* and one that livelocked at teardown, its workload done */
	rs[10].outcome_class = OUTCOME_LIVELOCK;
	fill_str(rs[10].outcome, sizeof(rs[10].outcome),
		 "livelock in realm_unmap_private_range at 0");
}

TEST(report_dir)
{
	struct run_result *rs = calloc(NDEMO, sizeof(*rs));
	const char *keep = getenv("RMIBENCH_REPORT_DEMO");
	char err[512], *dir, *p, *text, *line;
	size_t lat_rows = 0, rows = 0;

	ASSERT_NE(NULL, rs);
	if (keep && *keep) {
		mkdir(keep, 0755);
		dir = strdup(keep);
	} else {
		dir = make_tmpdir();
	}
	ASSERT_NE(NULL, dir);
	demo_runs(rs);
	ASSERT_EQ(0, report_write_dir(dir, rs, NDEMO, &(struct report_opts){
		.command = "rmibench matrix --folios 4k,2m,1g --vcpus-list 1,4 --out-dir X",
	}, err, sizeof(err))) TH_LOG("%s", err);

	p = path_in(dir, "summary.md");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, strstr(text, "- **Backend:** sim\n"));
	ASSERT_NE(NULL, strstr(text, "ASSUMED default costs: latencies are illustrative, counts are exact"));
	ASSERT_NE(NULL, strstr(text, "folio `4k`: 4 KiB folios: today's hosts (the series maps 4 KiB)"));
	ASSERT_NE(NULL, strstr(text, "folio `2m`: huge folios: future guest_memfd"));
	ASSERT_EQ(NULL, strstr(text, "folio `mixed`"));
	ASSERT_NE(NULL, strstr(text, "`rmibench matrix --folios 4k,2m,1g"));
	/* 4k: 262144 faults, (262144 delegates + 262144 maps + 512 errors + 513 creates) / fault */
	ASSERT_NE(NULL, strstr(text, "| 1 | v14 | full | v15 | tf-rmm | 4k | 1 | 1 GiB | sequential | 262144 | 0 | 2.00 | 513 | 513 | 513.0 | 0 | 0 | 1 GiB | 0.0% | 0 | 0 | 0 | "));
	/* 2m, block strategy: one L2 table, 1 GiB in 2 MiB blocks */
	ASSERT_NE(NULL, strstr(text, "| 9 | v14 | block | v15 | tf-rmm | 2m | 1 | 1 GiB | sequential | 512 | 0 | 513.00 | 1 | 1 | 1.0 | 0 | 1 GiB | 0 | 100.0% |"));
	ASSERT_NE(NULL, strstr(text, "| ok \\| with leaks |"));
	ASSERT_NE(NULL, strstr(text, "- **All runs:** kernel v14, delegation v15, profile tf-rmm, size 1 GiB, workload sequential\n"));
	/* a run whose realm was killed: marked, no ratios, said once */
	ASSERT_NE(NULL, strstr(text, "- **Excluded:** run 7 (the realm was killed or livelocked before the workload was done, or the model broke: see \"outcome\")"));
	/*
	 * one that livelocked at teardown keeps its ratios, marked: 2m,
	 * one-level, 4 vCPUs (demo_runs(), synth()): 512 faults (10 of them
	 * re-faults, 1 in 50), (262144 delegates + 512 maps + 1 ERROR_RTT +
	 * 1 RTT_CREATE) / 512 = 513.00 calls per fault, 1 RTT for 1 GiB
	 */
	ASSERT_NE(NULL, strstr(text, "- **Failed at teardown:** run 11 (the workload ran to its end; the failure named under \"outcome\" came when the realm was torn down)"));
	ASSERT_NE(NULL, strstr(text, "\n| 11 | v14 | one-level | v15 | tf-rmm | 2m | 4 | 1 GiB | sequential | 512 | 10 | 513.00 | 1 | 1 | 1.0 | 0 | 1 GiB | 0 | 100.0% | "));
	ASSERT_NE(NULL, strstr(text, " | **livelock at teardown**: livelock in realm_unmap_private_range at 0 |\n"));
	/* no plots in the directory: none named */
	ASSERT_NE(NULL, strstr(text, "depend on the machine. No plots were drawn (`rmibench report DIR` draws them, with gnuplot).\n"));
	ASSERT_EQ(NULL, strstr(text, ".png"));
	ASSERT_NE(NULL, strstr(text, "| 7 | v14 | full | v15 | tf-rmm | 2m | 1 | 1 GiB | sequential | 512 | 0 | excluded | "));
	ASSERT_NE(NULL, strstr(text, " | excluded | excluded | **killed**: vcpu 0: killed and  |"));
	ASSERT_NE(NULL, strstr(text, "18. `rmibench run --kernel v14 --strategy block --delegation v15 --profile tf-rmm"));
	/* the header and one row per run start with "| " */
	for (line = strstr(text, "\n| "); line; line = strstr(line + 1, "\n| "))
		rows++;
	ASSERT_EQ(NDEMO + 1, rows);
	free(text);
	free(p);

	p = path_in(dir, "runs.tsv");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(NDEMO + 1, count_lines(text));
	ASSERT_EQ(text, strstr(text, "run\tstrategy\tstrategy_idx\tgroup\tgroup_idx\tlabel\t"));
	ASSERT_NE(NULL, strstr(text, "\n1\tfull\t0\t4k 1v\t0\tfull 4k 1v\tv14\tv15\ttf-rmm\t4k\t1\tsequential\t262144\t"));
	ASSERT_NE(NULL, strstr(text, "\n18\tblock\t2\t1g 4v\t5\tblock 1g 4v\t"));
	/* the last columns: size, outcome class, excluded, exact latencies,
	 * workload done, the teardown mark, the settings the group labels
	 * name and those all runs share */
	ASSERT_NE(NULL, strstr(text, "\toutcome\tsize\toutcome_class\texcluded\tlat_exact\tworkload_done\tmark\tgroup_settings\tall_runs\n"));
	ASSERT_NE(NULL, strstr(text, "\tvcpu 0: killed and \t1073741824\tkilled\t1\t1\t0\t\tfolio, vcpus\tkernel v14, delegation v15, profile tf-rmm, size 1 GiB, workload sequential\n"));
	ASSERT_NE(NULL, strstr(text, "\tlivelock in realm_unmap_private_range at 0\t1073741824\tlivelock\t0\t1\t1\tlivelock at teardown\tfolio, vcpus\t"));
	ASSERT_NE(NULL, strstr(text, "\tok\t1073741824\tok\t0\t1\t1\t\tfolio, vcpus\t"));
	free(text);
	free(p);

	for (size_t i = 0; i < NDEMO; i++) {
		int lo = -1, hi = -1;

		for (int b = 0; b < HIST_BUCKETS; b++)
			if (rs[i].lat_model.bucket[b] || rs[i].lat_wall.bucket[b]) {
				if (lo < 0)
					lo = b;
				hi = b;
			}
		/* and an empty bucket either side */
		lat_rows += lo < 0 ? 0 : (size_t)(hi - lo + 1) + (lo > 0) +
			    (hi < HIST_BUCKETS - 1);
	}
	p = path_in(dir, "latency.tsv");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(lat_rows + 1, count_lines(text));
	ASSERT_EQ(text, strstr(text, "run\tstrategy\tstrategy_idx\tgroup_idx\tlabel\tfolio\tbucket\tlo_ns\thi_ns\tmodel_count\tmodel_frac\twall_count\twall_frac\texcluded\n"));
	free(text);
	free(p);
	ASSERT_EQ(0, hidden_files(dir));

	/* the result files too, so that 'rmibench report DIR' can be tried */
	if (keep && *keep) {
		for (size_t i = 0; i < NDEMO; i++) {
			char name[96];

			snprintf(name, sizeof(name), "%02zu-%s-%s-%uvcpu.json", i + 1,
				 rmi_rtt_strategy_name(rs[i].cfg.strategy),
				 folio_name(rs[i].cfg.folio), rs[i].cfg.vcpus);
			p = path_in(dir, name);
			ASSERT_EQ(0, result_write_json(&rs[i], p, err, sizeof(err)))
				TH_LOG("%s", err);
			free(p);
		}
	} else {
		rm_rf(dir);
	}

	/* a directory that is not there */
	ASSERT_EQ(-1, report_write_dir("/nonexistent/rmibench", rs, 1, NULL,
				       err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "/nonexistent/rmibench/summary.md")) TH_LOG("%s", err);
	free(dir);
	free(rs);
}

/*
 * Runs that differ in settings with no fixed column (the hotplug runs of
 * issue 13: --gpt boot and on-demand, one with --inject): a column for
 * each, the group labels name them, the "All runs" line names what all
 * share that is not a default. summary.md names the plots that are in the
 * directory, regular and not empty, and no other.
 */
TEST(report_setting_columns_and_plots)
{
	struct run_result rs[3];
	char err[512], *dir = make_tmpdir(), *p, *text;

	ASSERT_NE(NULL, dir);
	for (int i = 0; i < 3; i++) {
		synth(&rs[i], RMI_RTT_STRATEGY_FULL, FOLIO_4K, 1, 1);
		rs[i].cfg.hotplug = 1ull << 30;
	}
	rs[1].cfg.gpt = GPT_ON_DEMAND;
	fill_str(rs[2].cfg.inject, sizeof(rs[2].cfg.inject),
		 "command=RTT_DATA_UNMAP");
	/* drawn: two; an empty file and a symbolic link are not plots */
	p = path_in(dir, "calls-per-fault.png");
	ASSERT_EQ(0, spit(p, "PNG", 3));
	free(p);
	p = path_in(dir, "latency.png");
	ASSERT_EQ(0, spit(p, "PNG", 3));
	free(p);
	p = path_in(dir, "mapped-bytes.png");
	ASSERT_EQ(0, spit(p, "", 0));
	free(p);
	p = path_in(dir, "rtt-pages-per-gib.png");
	ASSERT_EQ(0, symlink("calls-per-fault.png", p));
	free(p);
	ASSERT_EQ(0, report_write_dir(dir, rs, 3, NULL, err, sizeof(err)))
		TH_LOG("%s", err);

	p = path_in(dir, "summary.md");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	/* inject and gpt differ (schema order), hotplug is the same in all */
	ASSERT_NE(NULL, strstr(text, "\n| # | kernel | strategy | delegation | profile | folio | vCPUs | size | workload | inject | gpt | faults | refaults | "));
	ASSERT_NE(NULL, strstr(text, "\n|--:|---|---|---|---|---|--:|--:|---|---|---|--:|--:|"));
	ASSERT_NE(NULL, strstr(text, "\n| 1 | v14 | full | v15 | tf-rmm | 4k | 1 | 1 GiB | sequential | no inject | boot | 262144 | 0 | "));
	ASSERT_NE(NULL, strstr(text, "\n| 2 | v14 | full | v15 | tf-rmm | 4k | 1 | 1 GiB | sequential | no inject | on-demand | 262144 | 0 | "));
	ASSERT_NE(NULL, strstr(text, "\n| 3 | v14 | full | v15 | tf-rmm | 4k | 1 | 1 GiB | sequential | command=RTT_DATA_UNMAP | boot | 262144 | 0 | "));
	ASSERT_NE(NULL, strstr(text, "\n- **All runs:** kernel v14, strategy full, delegation v15, profile tf-rmm, folio 4k, vcpus 1, size 1 GiB, workload sequential, hotplug 1 GiB\n"));
	ASSERT_NE(NULL, strstr(text, "depend on the machine. Plots: calls-per-fault.png, latency.png.\n"));
	ASSERT_EQ(NULL, strstr(text, "mapped-bytes.png"));
	ASSERT_EQ(NULL, strstr(text, "rtt-pages-per-gib.png"));
	free(text);
	free(p);

	p = path_in(dir, "runs.tsv");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, strstr(text, "\n1\tfull\t0\tno inject gpt boot\t0\tfull no inject gpt boot\t"));
	ASSERT_NE(NULL, strstr(text, "\n2\tfull\t0\tno inject gpt on-demand\t1\tfull no inject gpt on-demand\t"));
	ASSERT_NE(NULL, strstr(text, "\n3\tfull\t0\tinject command=RTT_DATA_UNMAP gpt boot\t2\t"));
	ASSERT_NE(NULL, strstr(text, "\tinject, gpt\tkernel v14, strategy full, delegation v15, profile tf-rmm, folio 4k, vcpus 1, size 1 GiB, workload sequential, hotplug 1 GiB\n"));
	free(text);
	free(p);
	rm_rf(dir);
	free(dir);
}

TEST(cmd_report_reads_a_directory)
{
	struct run_result rs[3];
	char err[512], *dir = make_tmpdir(), *p, *text;
	char *argv[] = { "report", "--no-plots", dir, NULL };

	ASSERT_NE(NULL, dir);
	for (int i = 0; i < 3; i++) {
		char name[32];

		synth(&rs[i], i, FOLIO_2M, 1, i);
		/* written in reverse order: the report sorts by name */
		snprintf(name, sizeof(name), "%c.json", 'c' - i);
		p = path_in(dir, name);
		ASSERT_EQ(0, result_write_json(&rs[i], p, err, sizeof(err)));
		free(p);
	}
	ASSERT_EQ(0, cmd_report(3, argv));
	p = path_in(dir, "summary.md");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, strstr(text, "| 1 | v14 | block |"));
	ASSERT_NE(NULL, strstr(text, "| 3 | v14 | full |"));
	ASSERT_NE(NULL, strstr(text, "1. `a.json`: `rmibench run --kernel v14 --strategy block"));
	free(text);
	free(p);

	/* a bad file is an error, and the report is not rewritten */
	p = path_in(dir, "b.json");
	ASSERT_EQ(0, spit(p, "{\"schema_version\": 1", 20));
	free(p);
	p = path_in(dir, "runs.tsv");
	ASSERT_EQ(0, unlink(p));
	ASSERT_EQ(1, cmd_report(3, argv));
	ASSERT_NE(0, access(p, F_OK));
	free(p);
	rm_rf(dir);

	/* no result files */
	ASSERT_EQ(0, mkdir(dir, 0755));
	ASSERT_EQ(1, cmd_report(3, argv));
	rmdir(dir);
	free(dir);
}

TEST_HARNESS_MAIN
