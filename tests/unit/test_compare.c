// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statistics of compare and history (bench/stats.c, bench/compare.c):
 * every count has a better direction, the U test on grouped data, the
 * verdict of a distribution on synthetic samples of known shift (false
 * positive rate and power over seeded trials, printed as comments), the
 * bootstrap interval, and E-divisive change points.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"

#include "compare.h"
#include "counts.h"
#include "stats.h"

/* n lognormal samples, median @med, log-sd @sd, times @shift */
static void fill(struct hist *h, struct stat_rng *r, unsigned int n,
		 double med, double sd, double shift)
{
	memset(h, 0, sizeof(*h));
	for (unsigned int i = 0; i < n; i++)
		hist_add(h, (uint64_t)llround(med * shift *
					      exp(sd * stat_normal(r))));
}

static enum cmp_verdict verdict(const struct hist *a, const struct hist *b,
				uint64_t seed, struct cmp_metric *m)
{
	struct cmp_opts o;

	cmp_opts_default(&o);
	o.reps = 1000;
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "distributions.test");
	m->dir = CMP_LOWER;
	m->kind = CMP_KIND_DIST;
	m->ranges = 2;
	cmp_dist_verdict(m, a, b, &o, seed);
	return m->verdict;
}

TEST(every_count_has_a_direction)
{
	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *f = &run_counts_fields[i];

		EXPECT_LE(0, cmp_better(f->name, NULL))
			TH_LOG("count %s has no entry in compare.c's better[]",
			       f->name);
	}
	EXPECT_EQ(CMP_LOWER, cmp_better("mapped_bytes", "l0"));
	EXPECT_EQ(CMP_NEUTRAL, cmp_better("mapped_bytes", "l2"));
	EXPECT_EQ(CMP_HIGHER, cmp_better("block_coverage", NULL));
	EXPECT_EQ(-1, cmp_better("no_such_count", NULL));
}

struct found {
	int total, l2, warn, derived, dist;
};

static void look(void *ctx, const struct cmp_value *v)
{
	struct found *p = ctx;

	if (!strcmp(v->name, "rmi_calls.total") && v->v == 7)
		p->total++;
	if (!strcmp(v->name, "mapped_bytes.l2") && v->v == 1 << 21)
		p->l2++;
	if (!strcmp(v->name, "warning_reasons:x") && v->v == 3)
		p->warn++;
	if (!strcmp(v->name, "derived.block_coverage") && v->v == 1)
		p->derived++;
	if (v->kind == CMP_KIND_DIST)
		p->dist++;
}

/* every count of a run is a value, by its result file path */
TEST(each_value_covers_the_counts)
{
	static struct run_result r;
	struct found f = { 0 };

	memset(&r, 0, sizeof(r));
	r.counts.rmi_calls = 7;
	r.counts.mapped_bytes[2] = 1 << 21;
	r.counts.nwarn = 1;
	snprintf(r.counts.warn[0].reason, sizeof(r.counts.warn[0].reason),
		 "x");
	r.counts.warn[0].count = 3;
	cmp_each_value(&r, look, &f);
	EXPECT_EQ(1, f.total);
	EXPECT_EQ(1, f.l2);
	EXPECT_EQ(1, f.warn);
	EXPECT_EQ(1, f.derived);
	EXPECT_EQ(CMP_NDISTS, f.dist);
}

TEST(mann_whitney_on_bins)
{
	struct stat_rng r;
	struct hist a, b;
	struct stat_bins ba, bb;
	double p;

	stat_rng_seed(&r, 7);
	fill(&a, &r, 3000, 20000, 0.3, 1.0);
	stat_bins_from_hist(&ba, &a);
	p = stat_mann_whitney(&ba, &ba, NULL);
	EXPECT_GT(p, 0.99);
	fill(&b, &r, 3000, 20000, 0.3, 1.5);
	stat_bins_from_hist(&bb, &b);
	p = stat_mann_whitney(&ba, &bb, NULL);
	EXPECT_LT(p, 1e-6);
	/* every sample in one bin: all tied, nothing to say */
	memset(&a, 0, sizeof(a));
	hist_add(&a, 5);
	hist_add(&a, 6);
	stat_bins_from_hist(&ba, &a);
	EXPECT_EQ(1.0, stat_mann_whitney(&ba, &ba, NULL));
}

/*
 * No shift: how often the verdict is not "same" (the false positive rate
 * of the whole rule) and how often the U test alone is below 0.05 (it
 * should be about 0.05 or less: ties make it conservative).
 */
TEST(null_shift_false_positive_rate)
{
	const unsigned int trials = 200;
	unsigned int fp = 0, u_only = 0;
	struct stat_rng r;
	struct hist a, b;
	struct cmp_metric m;

	stat_rng_seed(&r, 1);
	for (unsigned int t = 0; t < trials; t++) {
		fill(&a, &r, 2000, 50000, 0.4, 1.0);
		fill(&b, &r, 2000, 50000, 0.4, 1.0);
		if (verdict(&a, &b, t, &m) != CMP_SAME)
			fp++;
		if (m.p < 0.05)
			u_only++;
	}
	printf("# null shift, %u trials of 2000 vs 2000 lognormal samples: "
	       "false positive rate %.3f (U test alone p<0.05: %.3f)\n",
	       trials, (double)fp / trials, (double)u_only / trials);
	EXPECT_LE(fp, trials / 50);	/* at most 2% */
	EXPECT_LE(u_only, trials / 10);
}

/* a 10% slower distribution is found, and its size estimated */
TEST(known_shift_is_detected)
{
	const unsigned int trials = 100;
	unsigned int hit = 0, small = 0, cover = 0;
	double err = 0, w = 0;
	struct stat_rng r;
	struct hist a, b;
	struct cmp_metric m;

	stat_rng_seed(&r, 2);
	for (unsigned int t = 0; t < trials; t++) {
		fill(&a, &r, 2000, 50000, 0.4, 1.0);
		fill(&b, &r, 2000, 50000, 0.4, 1.10);
		if (verdict(&a, &b, t, &m) == CMP_REGRESSED)
			hit++;
		err += fabs(m.ratio - 1.10);
		w += m.ci_hi - m.ci_lo;
		cover += m.ci_lo <= 1.10 && m.ci_hi >= 1.10;
		/* 1.5%: real, but below the 5% threshold */
		fill(&b, &r, 2000, 50000, 0.4, 1.015);
		if (verdict(&a, &b, t, &m) == CMP_SAME)
			small++;
	}
	printf("# shift +10%%, %u trials: detected %.3f, median ratio "
	       "off by %.4f on average, 95%% interval %.4f wide, holds 1.10 "
	       "in %.3f\n", trials, (double)hit / trials, err / trials,
	       w / trials, (double)cover / trials);
	printf("# shift +1.5%% (below the threshold): same in %.3f\n",
	       (double)small / trials);
	EXPECT_GE(hit, trials * 95 / 100);
	EXPECT_LT(err / trials, 0.03);
	EXPECT_GE(small, trials * 90 / 100);
}

TEST(faster_is_improved_and_few_samples_say_so)
{
	struct stat_rng r;
	struct hist a, b;
	struct cmp_metric m;

	stat_rng_seed(&r, 3);
	fill(&a, &r, 2000, 50000, 0.3, 1.0);
	fill(&b, &r, 2000, 50000, 0.3, 0.8);
	EXPECT_EQ(CMP_IMPROVED, verdict(&a, &b, 1, &m));
	fill(&b, &r, 5, 50000, 0.3, 2.0);
	EXPECT_EQ(CMP_FEW, verdict(&a, &b, 1, &m));
	EXPECT_NE(NULL, strstr(m.note, "too few samples"));
	EXPECT_EQ(CMP_SAME, verdict(&a, &a, 1, &m));
}

TEST(edivisive_finds_a_planted_change)
{
	double x[24];
	struct stat_cp cp[STAT_MAX_CP];
	struct stat_rng r;
	size_t n;

	stat_rng_seed(&r, 4);
	for (size_t i = 0; i < 24; i++)
		x[i] = (i < 12 ? 100 : 110) + 2 * stat_normal(&r);
	n = stat_edivisive(x, 24, 2, 199, 0.05, 1, cp, STAT_MAX_CP);
	ASSERT_EQ(1, n);
	EXPECT_EQ(12, cp[0].index);
	EXPECT_LT(cp[0].p, 0.05);
	/* a step in exact counts, as the sim gives */
	for (size_t i = 0; i < 10; i++)
		x[i] = i < 7 ? 4096 : 4608;
	n = stat_edivisive(x, 10, 2, 199, 0.05, 1, cp, STAT_MAX_CP);
	ASSERT_EQ(1, n);
	EXPECT_EQ(7, cp[0].index);
}

TEST(edivisive_flat_series_has_none)
{
	const unsigned int trials = 100;
	struct stat_cp cp[STAT_MAX_CP];
	unsigned int fp = 0;
	struct stat_rng r;
	double x[24];

	for (size_t i = 0; i < 24; i++)
		x[i] = 4096;
	EXPECT_EQ(0, stat_edivisive(x, 24, 2, 199, 0.05, 1, cp,
				    STAT_MAX_CP));
	stat_rng_seed(&r, 5);
	for (unsigned int t = 0; t < trials; t++) {
		for (size_t i = 0; i < 24; i++)
			x[i] = 100 + 2 * stat_normal(&r);
		fp += stat_edivisive(x, 24, 2, 199, 0.05, t, cp,
				     STAT_MAX_CP) > 0;
	}
	printf("# E-divisive on %u flat noisy series of 24 points: "
	       "a change point found in %.3f (alpha 0.05)\n", trials,
	       (double)fp / trials);
	EXPECT_LE(fp, trials * 12 / 100);
}

TEST_HARNESS_MAIN
