// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the statistics of compare and history (stats.h): a seeded
 * generator, distributions as bins, the Mann-Whitney U test on grouped
 * data, the bootstrap of a median ratio, E-divisive change points.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rmib_util.h"
#include "stats.h"

/* ---- the generator ---------------------------------------------------------- */

void stat_rng_seed(struct stat_rng *r, uint64_t seed)
{
	r->s = seed;
}

double stat_uniform(struct stat_rng *r)
{
	/* 53 random bits, never 0 or 1 */
	return ((double)(rmib_splitmix(&r->s) >> 11) + 0.5) * 0x1p-53;
}

uint64_t stat_below(struct stat_rng *r, uint64_t n)
{
	return n ? (uint64_t)(stat_uniform(r) * (double)n) % n : 0;
}

double stat_normal(struct stat_rng *r)
{
	/* Box-Muller; one of the pair is enough here */
	double u = stat_uniform(r), v = stat_uniform(r);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/*
 * Marsaglia and Tsang's method: accepts more than 95% of tries for shape
 * >= 1; the bound only keeps a broken generator from spinning.
 */
double stat_gamma(struct stat_rng *r, double shape)
{
	double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);

	for (int tries = 0; tries < 1000; tries++) {
		double x = stat_normal(r), v = 1.0 + c * x, u;

		if (v <= 0)
			continue;
		v = v * v * v;
		u = stat_uniform(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
	return shape;	/* the mean */
}

double stat_beta(struct stat_rng *r, double a, double b)
{
	double x = stat_gamma(r, a), y = stat_gamma(r, b);

	return x + y > 0 ? x / (x + y) : 0.5;
}

/* ---- bins ------------------------------------------------------------------- */

void stat_bins_from_hist(struct stat_bins *b, const struct hist *h)
{
	memset(b, 0, sizeof(*b));
	b->resolution = "log2 buckets: a bin spans a factor of 2";
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		double lo, hi;

		if (!h->bucket[i])
			continue;
		lo = i ? ldexp(1.0, (int)i) : 0.0;
		hi = i == HIST_BUCKETS - 1 ? (double)h->max :
		     ldexp(1.0, (int)i + 1) - 1.0;
		if (lo < (double)h->min)
			lo = (double)h->min;
		if (hi > (double)h->max)
			hi = (double)h->max;
		if (hi < lo)
			hi = lo;
		b->key[b->n] = i;
		b->lo[b->n] = lo;
		b->hi[b->n] = hi;
		b->count[b->n] = h->bucket[i];
		b->total += h->bucket[i];
		b->n++;
	}
}

double stat_bins_sample(const struct stat_bins *b, uint64_t i)
{
	uint64_t cum = 0;

	for (unsigned int k = 0; k < b->n; k++) {
		if (i < cum + b->count[k]) {
			double j = (double)(i - cum), c = (double)b->count[k];
			double q = (j + 0.5) / c;

			if (b->lo[k] >= 1)	/* evenly on a log scale */
				return b->lo[k] * pow(b->hi[k] / b->lo[k], q);
			return b->lo[k] + q * (b->hi[k] - b->lo[k]);
		}
		cum += b->count[k];
	}
	return b->n ? b->hi[b->n - 1] : 0.0;
}

double stat_bins_median(const struct stat_bins *b)
{
	if (!b->total)
		return 0.0;
	return stat_bins_sample(b, (b->total + 1) / 2 - 1);
}

/* ---- Mann-Whitney U ----------------------------------------------------------- */

double stat_mann_whitney(const struct stat_bins *a, const struct stat_bins *b,
			 double *u)
{
	double na = (double)a->total, nb = (double)b->total, n = na + nb;
	double rank_a = 0, cum = 0, ties = 0, ua, mean, var, z;
	unsigned int i = 0, j = 0;

	if (u)
		*u = 0;
	if (!a->total || !b->total)
		return 1.0;
	while (i < a->n || j < b->n) {
		double ca = 0, cb = 0, t;

		if (j >= b->n || (i < a->n && a->key[i] < b->key[j])) {
			ca = (double)a->count[i++];
		} else if (i >= a->n || b->key[j] < a->key[i]) {
			cb = (double)b->count[j++];
		} else {
			ca = (double)a->count[i++];
			cb = (double)b->count[j++];
		}
		t = ca + cb;
		/* the group's ranks are cum + 1 .. cum + t: midrank */
		rank_a += ca * (cum + (t + 1.0) / 2.0);
		ties += t * t * t - t;
		cum += t;
	}
	ua = rank_a - na * (na + 1.0) / 2.0;
	if (u)
		*u = ua;
	mean = na * nb / 2.0;
	var = na * nb / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
	if (!(var > 0))
		return 1.0;
	z = fabs(ua - mean);
	z = z > 0.5 ? (z - 0.5) / sqrt(var) : 0.0;
	return erfc(z / M_SQRT2);
}

/* ---- the bootstrap of a median ratio --------------------------------------------- */

/* the median of a resample of b->total from @b */
static double boot_median(struct stat_rng *r, const struct stat_bins *b)
{
	uint64_t n = b->total, m = (n + 1) / 2, i;
	double x;

	if (n == 1)
		return stat_bins_sample(b, 0);
	x = ceil(stat_beta(r, (double)m, (double)(n - m + 1)) * (double)n);
	i = x < 1 ? 0 : (uint64_t)x - 1;
	if (i >= n)
		i = n - 1;
	return stat_bins_sample(b, i);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

void stat_bootstrap_median_ratio(const struct stat_bins *a,
				 const struct stat_bins *b, unsigned int reps,
				 double conf, uint64_t seed, double *lo,
				 double *hi)
{
	struct stat_rng r;
	double *v;
	unsigned int n = 0;
	size_t il, ih;

	*lo = *hi = NAN;
	if (!a->total || !b->total || !reps)
		return;
	v = malloc(reps * sizeof(*v));
	if (!v)
		return;
	stat_rng_seed(&r, seed);
	for (unsigned int k = 0; k < reps; k++) {
		double ma = boot_median(&r, a), mb = boot_median(&r, b);

		if (ma > 0)
			v[n++] = mb / ma;
	}
	if (n) {
		qsort(v, n, sizeof(*v), cmp_double);
		il = (size_t)floor((1.0 - conf) / 2.0 * n);
		ih = (size_t)ceil((1.0 + conf) / 2.0 * n);
		ih = ih ? ih - 1 : 0;
		if (ih >= n)
			ih = n - 1;
		*lo = v[il];
		*hi = v[ih];
	}
	free(v);
}

/* ---- E-divisive means --------------------------------------------------------- */

/*
 * The best split of v[0..len): the tau with the largest
 *   Q = m k / (m + k) * (2/(m k) S_cross - S_left/C(m,2) - S_right/C(k,2))
 * with m = tau, k = len - tau, both at least @min. @rl and @rr are
 * scratch of len doubles. Returns Q (0 if no split), tau in @tau.
 */
static double best_split(const double *v, size_t len, size_t min,
			 double *rl, double *rr, size_t *tau)
{
	double total = 0, wl = 0, wr, best = 0;

	*tau = 0;
	if (len < 2 * min)
		return 0;
	for (size_t t = 0; t < len; t++) {
		rl[t] = rr[t] = 0;
		for (size_t i = 0; i < t; i++)
			rl[t] += fabs(v[i] - v[t]);
		for (size_t j = t + 1; j < len; j++)
			rr[t] += fabs(v[t] - v[j]);
		total += rl[t];
	}
	wr = total;
	for (size_t t = 0; t < len; t++) {
		double m = (double)t, k = (double)(len - t), cross, e, q;

		/* here the left part is v[0..t) */
		if (t >= min && len - t >= min) {
			cross = total - wl - wr;
			e = 2.0 * cross / (m * k) - wl / (m * (m - 1) / 2) -
			    wr / (k * (k - 1) / 2);
			q = m * k / (m + k) * e;
			if (q > best) {
				best = q;
				*tau = t;
			}
		}
		wl += rl[t];
		wr -= rr[t];
	}
	return best;
}

struct seg {
	size_t start, len;
};

size_t stat_edivisive(const double *x, size_t n, size_t min_size,
		      unsigned int perms, double alpha, uint64_t seed,
		      struct stat_cp *cp, size_t max)
{
	double *v = NULL, *rl = NULL, *rr = NULL;
	struct seg *segs = NULL;
	size_t nseg = 1, ncp = 0;
	struct stat_rng r;

	if (min_size < 2)
		min_size = 2;
	if (n < 2 * min_size || !max)
		return 0;
	v = malloc(n * sizeof(*v));
	rl = malloc(n * sizeof(*rl));
	rr = malloc(n * sizeof(*rr));
	segs = malloc((max + 1) * sizeof(*segs));
	if (!v || !rl || !rr || !segs)
		goto out;
	stat_rng_seed(&r, seed);
	segs[0] = (struct seg){ 0, n };
	while (ncp < max) {
		size_t bs = 0, btau = 0, tau, ge = 0;
		double bq = 0, q;

		for (size_t s = 0; s < nseg; s++) {
			q = best_split(x + segs[s].start, segs[s].len, min_size,
				       rl, rr, &tau);
			if (q > bq) {
				bq = q;
				bs = s;
				btau = tau;
			}
		}
		if (!(bq > 0))
			break;
		/* how often a shuffle of the segment splits as well */
		memcpy(v, x + segs[bs].start, segs[bs].len * sizeof(*v));
		for (unsigned int p = 0; p < perms; p++) {
			for (size_t i = segs[bs].len - 1; i > 0; i--) {
				size_t j = stat_below(&r, i + 1);
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
			}
			if (best_split(v, segs[bs].len, min_size, rl, rr,
				       &tau) >= bq * (1 - 1e-12))
				ge++;
		}
		q = (1.0 + (double)ge) / (1.0 + (double)perms);
		if (!(q < alpha))
			break;
		cp[ncp++] = (struct stat_cp){
			.index = segs[bs].start + btau, .p = q, .q = bq,
		};
		/* split the segment in two */
		memmove(&segs[bs + 2], &segs[bs + 1],
			(nseg - bs - 1) * sizeof(*segs));
		segs[bs + 1] = (struct seg){ segs[bs].start + btau,
					     segs[bs].len - btau };
		segs[bs].len = btau;
		nseg++;
	}
	/* in index order */
	for (size_t i = 1; i < ncp; i++)
		for (size_t j = i; j > 0 && cp[j].index < cp[j - 1].index; j--) {
			struct stat_cp t = cp[j];

			cp[j] = cp[j - 1];
			cp[j - 1] = t;
		}
out:
	free(v);
	free(rl);
	free(rr);
	free(segs);
	return ncp;
}
