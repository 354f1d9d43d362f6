// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: histograms of nanoseconds (or of counts): log2 buckets for
 * the shape, log-linear buckets (about 1%) for the percentiles.
 */
#include <math.h>

#include "result.h"

static unsigned int hist_bucket(uint64_t ns)
{
	unsigned int b;

	if (ns < 2)
		return 0;
	b = 63 - (unsigned int)__builtin_clzll(ns);
	return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

uint64_t hist_ll_lo(unsigned int i)
{
	unsigned int e, sub;

	if (i < 2 * HIST_LL_SUB)
		return i;
	e = 8 + (i - 2 * HIST_LL_SUB) / HIST_LL_SUB;
	sub = (i - 2 * HIST_LL_SUB) % HIST_LL_SUB;
	return (uint64_t)(HIST_LL_SUB + sub) << (e - 7);
}

uint64_t hist_ll_hi(unsigned int i)
{
	if (i + 1 >= HIST_LL_BUCKETS)
		return UINT64_MAX;
	return hist_ll_lo(i + 1) - 1;
}

bool hist_ll_ok(const struct hist *h)
{
	return h->ll_count == h->count;
}

void hist_add(struct hist *h, uint64_t ns)
{
	h->ll[hist_ll_index(ns)]++;
	h->ll_count++;
	h->bucket[hist_bucket(ns)]++;
	if (!h->count || ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->count++;
	h->sum = u64_sat_add(h->sum, ns);
}

void hist_fill_log2(struct hist *h)
{
	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		h->bucket[i] = 0;
	/* log-linear bucket i holds values of one log2 bucket: its lowest's */
	for (unsigned int i = 0; i < HIST_LL_BUCKETS; i++)
		if (h->ll[i])
			h->bucket[hist_bucket(hist_ll_lo(i))] += h->ll[i];
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	for (unsigned int i = 0; i < HIST_LL_BUCKETS && src->ll_count; i++)
		dst->ll[i] += src->ll[i];
	dst->ll_count += src->ll_count;
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum = u64_sat_add(dst->sum, src->sum);
}

/*
 * The rank of the sample at @pct is ceil(pct/100 * count); the answer is
 * the largest value its bucket can hold, 2^(i+1) - 1, never above max.
 * pct <= 0 gives min, pct >= 100 gives max.
 */
/* the rank of the sample at @pct: ceil(pct/100 * count), 1..count */
static uint64_t pct_rank(const struct hist *h, double pct)
{
	uint64_t rank;
	double x;

	x = pct * (double)h->count / 100.0;
	/* 99.9% of 1000 is 999, not 999.0000000000001 rounded up */
	x = ceil(x - x * 1e-12);
	rank = x < 1 ? 1 : (uint64_t)x;
	return rank > h->count ? h->count : rank;
}

uint64_t hist_exact_percentile(const struct hist *h, double pct)
{
	uint64_t rank, cum = 0;

	if (!hist_ll_ok(h))
		return hist_percentile(h, pct);
	if (!h->count)
		return 0;
	if (!(pct > 0))
		return h->min;
	if (pct >= 100)
		return h->max;
	rank = pct_rank(h, pct);
	for (unsigned int i = 0; i < HIST_LL_BUCKETS; i++) {
		cum += h->ll[i];
		if (cum >= rank) {
			uint64_t lo = hist_ll_lo(i), hi = hist_ll_hi(i);
			uint64_t v = lo + (hi - lo) / 2;

			return v < h->min ? h->min : v > h->max ? h->max : v;
		}
	}
	return h->max;
}

uint64_t hist_percentile(const struct hist *h, double pct)
{
	uint64_t rank, cum = 0;

	if (!h->count)
		return 0;
	if (!(pct > 0))
		return h->min;
	if (pct >= 100)
		return h->max;
	rank = pct_rank(h, pct);
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		cum += h->bucket[i];
		if (cum >= rank) {
			/* the last bucket has no top */
			uint64_t ub = i == HIST_BUCKETS - 1 ? UINT64_MAX :
				      (2ull << i) - 1;

			return ub < h->max ? ub : h->max;
		}
	}
	return h->max;
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}
