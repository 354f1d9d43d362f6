// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: log2 histograms of nanoseconds (or of counts) with a
 * percentile summary.
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

void hist_add(struct hist *h, uint64_t ns)
{
	h->bucket[hist_bucket(ns)]++;
	if (!h->count || ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->count++;
	h->sum = u64_sat_add(h->sum, ns);
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
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
uint64_t hist_percentile(const struct hist *h, double pct)
{
	uint64_t rank, cum = 0;
	double x;

	if (!h->count)
		return 0;
	if (!(pct > 0))
		return h->min;
	if (pct >= 100)
		return h->max;
	x = pct * (double)h->count / 100.0;
	/* 99.9% of 1000 is 999, not 999.0000000000001 rounded up */
	x = ceil(x - x * 1e-12);
	rank = x < 1 ? 1 : (uint64_t)x;
	if (rank > h->count)
		rank = h->count;
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
