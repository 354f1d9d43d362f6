/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the statistics of `rmibench compare` and `rmibench history`.
 *
 * Result files hold histograms, not samples. A distribution is read as
 * bins (struct stat_bins): each bin a range [lo, hi] of values, a count,
 * and a key that orders the bins and says which bins of two distributions
 * are the same range. The samples of a bin are taken as tied for the
 * Mann-Whitney U test (grouped data: exact, only less powerful than on
 * raw samples), and as spread evenly over [lo, hi] on a log scale (on
 * a linear one for a bin from 0) where a value is needed (medians and
 * their bootstrap). With log2 buckets a bin spans a factor of two;
 * stat_bins_from_hist() narrows the lowest and highest bins to the
 * histogram's min and max.
 *
 * Everything random is seeded (splitmix64): the same inputs and seed give
 * the same answer.
 */
#ifndef RMIBENCH_STATS_H
#define RMIBENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

/* ---- a seeded generator ---------------------------------------------------- */

struct stat_rng {
	uint64_t s;
};

void stat_rng_seed(struct stat_rng *r, uint64_t seed);
double stat_uniform(struct stat_rng *r);	/* (0, 1) */
double stat_normal(struct stat_rng *r);		/* N(0, 1) */
/* Gamma(@shape, 1), @shape >= 1 */
double stat_gamma(struct stat_rng *r, double shape);
/* Beta(@a, @b), both >= 1 */
double stat_beta(struct stat_rng *r, double a, double b);
/* 0 .. @n - 1 */
uint64_t stat_below(struct stat_rng *r, uint64_t n);

/* ---- distributions as bins -------------------------------------------------- */

#define STAT_MAX_BINS	256

struct stat_bins {
	unsigned int n;			/* bins holding samples, in key order */
	uint64_t key[STAT_MAX_BINS];	/* the same range in two distributions */
	double lo[STAT_MAX_BINS], hi[STAT_MAX_BINS];
	uint64_t count[STAT_MAX_BINS];
	uint64_t total;
	const char *resolution;		/* what a bin spans, for reports */
};

/* The nonempty log2 buckets of @h: bucket i is [2^i, 2^(i+1) - 1]. */
void stat_bins_from_hist(struct stat_bins *b, const struct hist *h);

/*
 * The value of the sample of rank @i (0-based) when the samples are
 * spread evenly over their bins: bin k's c samples at
 * lo * (hi / lo)^((j + 0.5) / c), j = 0 .. c - 1 (lo + (j + 0.5) / c *
 * (hi - lo) when lo is below 1). 0 if empty.
 */
double stat_bins_sample(const struct stat_bins *b, uint64_t i);
/* The median: the sample of rank ceil(total / 2) (the lower median). */
double stat_bins_median(const struct stat_bins *b);

/*
 * The two-sided Mann-Whitney U test of @a against @b, the samples of a
 * bin tied (midranks, tie-corrected variance, continuity correction,
 * normal approximation). Bins are matched by key. Returns the p-value
 * (1 when every sample is tied); @u gets U of @a (may be NULL).
 */
double stat_mann_whitney(const struct stat_bins *a, const struct stat_bins *b,
			 double *u);

/*
 * The bootstrap of median(@b) / median(@a): @reps resamples of each side
 * (the median of a resample of n from the spread samples is the sample
 * of rank ceil(n * B) with B ~ Beta(ceil(n/2), n - ceil(n/2) + 1), which
 * is exact and costs O(bins) whatever n). Gives the @conf (0.95)
 * percentile interval in @lo and @hi. Both need samples and a nonzero
 * median in @a.
 */
void stat_bootstrap_median_ratio(const struct stat_bins *a,
				 const struct stat_bins *b, unsigned int reps,
				 double conf, uint64_t seed, double *lo,
				 double *hi);

/* ---- change points ----------------------------------------------------------- */

#define STAT_MAX_CP	64

struct stat_cp {
	size_t index;		/* the first point after the change */
	double p;		/* permutation p-value when it was found */
	double q;		/* the energy statistic Q of the split */
};

/*
 * E-divisive means (Matteson and James 2014, exponent 1): split the
 * series @x of @n points where the energy statistic Q is largest over
 * every current segment, keep the split if a permutation test (@perms
 * shuffles of that segment, seeded) gives p < @alpha, and go on until
 * one is not kept. Segments have at least @min_size points (2 or more).
 * Writes at most @max change points to @cp in index order; returns how
 * many. A series of equal values has none.
 */
size_t stat_edivisive(const double *x, size_t n, size_t min_size,
		      unsigned int perms, double alpha, uint64_t seed,
		      struct stat_cp *cp, size_t max);

#endif /* RMIBENCH_STATS_H */
