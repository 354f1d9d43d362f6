// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench workload patterns (see workload.h and README.md).
 *
 * Every pattern is a bijection on the pages of a vCPU's range, walked once
 * per pass. The iterator keeps O(1) state and wl_next() does no division:
 * sequential and storm count, strided steps by the number of lanes, random
 * steps a full-period LCG modulo the next power of two and rejects values
 * past the range.
 */
#include <stddef.h>

#include "workload.h"

#define WL_PAGE_SHIFT	12
#define WL_MAX_VCPUS	4096u

static const char *const wl_names[WL_PATTERN_COUNT] = {
	[WL_SEQUENTIAL]	= "sequential",
	[WL_RANDOM]	= "random",
	[WL_STRIDED]	= "strided",
	[WL_STORM]	= "storm",
};

/* Domain tags, so that the streams drawn from one seed are unrelated. */
#define WL_TAG_WRITE	0x7772697465ull		/* "write" */
#define WL_TAG_PERM	0x7065726dull		/* "perm" */

/* splitmix64: the step of the write RNG and the mixer of the seeds */
static inline uint64_t wl_splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t wl_hash(uint64_t seed, uint64_t tag, uint64_t a, uint64_t b)
{
	uint64_t s = seed;
	uint64_t h = wl_splitmix(&s) ^ tag;

	h = wl_splitmix(&h) ^ a;
	h = wl_splitmix(&h) ^ b;
	return wl_splitmix(&h);
}

static bool wl_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int wl_pattern_from_name(const char *name)
{
	int p;

	if (!name)
		return -1;
	for (p = 0; p < WL_PATTERN_COUNT; p++)
		if (wl_streq(name, wl_names[p]))
			return p;
	return -1;
}

const char *wl_pattern_name(enum wl_pattern p)
{
	if ((unsigned int)p >= WL_PATTERN_COUNT)
		return NULL;
	return wl_names[p];
}

/* Whether each vCPU walks the whole region rather than its own slice. */
static bool wl_whole_region(const struct wl_config *cfg)
{
	return cfg->shared_region || cfg->pattern == WL_STORM;
}

/* Pages of vCPU @vcpu's range and its first page; cfg must be valid. */
static uint64_t wl_range(const struct wl_config *cfg, unsigned int vcpu,
			 uint64_t *first)
{
	uint64_t pages = cfg->size >> WL_PAGE_SHIFT;
	uint64_t slice;

	*first = cfg->base >> WL_PAGE_SHIFT;
	if (wl_whole_region(cfg))
		return pages;
	slice = pages / cfg->nvcpus;
	*first += (uint64_t)vcpu * slice;
	if (vcpu == cfg->nvcpus - 1)
		return pages - slice * (cfg->nvcpus - 1);
	return slice;
}

const char *wl_config_check(const struct wl_config *cfg)
{
	uint64_t pages, most;

	if (!cfg)
		return "no workload configuration";
	if ((unsigned int)cfg->pattern >= WL_PATTERN_COUNT)
		return "unknown workload pattern";
	if (cfg->size == 0)
		return "region size is 0";
	if (cfg->size & (WL_PAGE_SIZE - 1))
		return "region size is not a multiple of 4 KiB";
	if (cfg->base & (WL_PAGE_SIZE - 1))
		return "region base is not 4 KiB aligned";
	if (cfg->size > UINT64_MAX - cfg->base)
		return "region base + size overflows 64 bits";
	if (cfg->nvcpus == 0)
		return "number of vCPUs is 0";
	if (cfg->nvcpus > WL_MAX_VCPUS)
		return "more than 4096 vCPUs";
	pages = cfg->size >> WL_PAGE_SHIFT;
	if (!wl_whole_region(cfg) && pages < cfg->nvcpus)
		return "more vCPUs than pages to split the region into";
	if (cfg->pattern == WL_STRIDED) {
		if (cfg->stride == 0)
			return "stride is 0";
		if (cfg->stride & (WL_PAGE_SIZE - 1))
			return "stride is not a multiple of 4 KiB";
		if (cfg->stride > cfg->size)
			return "stride is larger than the region";
	}
	if (cfg->write_pct > 100)
		return "write percentage is above 100";
	if (cfg->passes == 0)
		return "number of passes is 0";
	/* the largest range is the whole region or the last slice */
	most = pages;
	if (!wl_whole_region(cfg))
		most = pages - pages / cfg->nvcpus * (cfg->nvcpus - 1);
	if (most > UINT64_MAX / cfg->passes)
		return "pages x passes overflows 64 bits";
	return NULL;
}

/*
 * WL_RANDOM, per pass: x -> (a * x + c) mod 2^k with a = 1 mod 4 and c odd
 * has full period 2^k (Hull-Dobell), so 2^k steps visit every x once. The
 * output y = mix(x) is a bijection on [0, 2^k) (xorshift right, multiply by
 * an odd constant, xorshift right, all modulo 2^k) that hides the short
 * periods of the LCG's low bits. Values y >= pages are skipped; as
 * 2^k < 2 * pages, a step costs fewer than two LCG steps on average.
 */
#define WL_MIX_MUL	0xd6e8feb86659fd93ull

static void wl_random_pass(struct wl_iter *it)
{
	const struct wl_config *cfg = it->cfg;
	uint64_t h = wl_hash(cfg->seed, WL_TAG_PERM, it->vcpu, it->pass);
	uint64_t mask = 0;
	unsigned int k = 0;

	while (mask < it->pages - 1) {
		mask = (mask << 1) | 1;
		k++;
	}
	it->lanes = mask;
	it->lane = (k + 1) / 2 ? (k + 1) / 2 : 1;
	it->perm_a = (wl_splitmix(&h) & ~3ull) | 1;
	it->perm_c = wl_splitmix(&h) | 1;
	it->pos = wl_splitmix(&h) & mask;
}

static inline uint64_t wl_random_next(struct wl_iter *it)
{
	uint64_t x = it->pos, y;
	uint64_t mask = it->lanes;
	unsigned int shift = (unsigned int)it->lane;

	do {
		x = (x * it->perm_a + it->perm_c) & mask;
		y = x ^ (x >> shift);
		y = (y * WL_MIX_MUL) & mask;
		y ^= y >> shift;
	} while (y >= it->pages);
	it->pos = x;
	return y;
}

static void wl_pass_start(struct wl_iter *it)
{
	it->i = 0;
	switch (it->cfg->pattern) {
	case WL_RANDOM:
		wl_random_pass(it);
		break;
	case WL_STRIDED:
		it->lanes = it->cfg->stride / WL_PAGE_SIZE;
		/* empty lanes (offsets past the range) are skipped */
		if (it->lanes > it->pages)
			it->lanes = it->pages;
		it->lane = 0;
		it->pos = 0;
		break;
	default:
		break;
	}
}

void wl_iter_init(struct wl_iter *it, const struct wl_config *cfg,
		  unsigned int vcpu)
{
	*it = (struct wl_iter){ .cfg = cfg, .vcpu = vcpu };
	if (wl_config_check(cfg) || vcpu >= cfg->nvcpus) {
		/* an empty sequence: wl_next() returns false at once */
		it->pass = cfg ? cfg->passes : 0;
		return;
	}
	it->pages = wl_range(cfg, vcpu, &it->base);
	it->rng = wl_hash(cfg->seed, WL_TAG_WRITE, vcpu, 0);
	wl_pass_start(it);
}

/* Called when a pass is over: start the next one, or say we are done. */
static bool wl_next_pass(struct wl_iter *it)
{
	if (!it->cfg || it->pass >= it->cfg->passes)
		return false;
	if (++it->pass >= it->cfg->passes)
		return false;
	wl_pass_start(it);
	return true;
}

bool wl_next(struct wl_iter *it, uint64_t *ipa, bool *write)
{
	const struct wl_config *cfg = it->cfg;
	unsigned int pct;
	uint64_t page;

	if (__builtin_expect(it->i == it->pages, 0)) {
		if (!wl_next_pass(it))
			return false;
	}

	switch (cfg->pattern) {
	case WL_RANDOM:
		page = wl_random_next(it);
		break;
	case WL_STRIDED:
		page = it->pos;
		it->pos += it->lanes;
		if (it->pos >= it->pages)
			it->pos = ++it->lane;
		break;
	default:	/* WL_SEQUENTIAL, WL_STORM */
		page = it->i;
		break;
	}
	it->i++;
	*ipa = (it->base + page) << WL_PAGE_SHIFT;

	pct = cfg->write_pct;
	if (pct == 0) {
		*write = false;
	} else if (pct >= 100) {
		*write = true;
	} else {
		/* the top 32 bits scaled to [0, 100) without a division */
		uint64_t r = wl_splitmix(&it->rng) >> 32;

		*write = ((r * 100) >> 32) < pct;
	}
	return true;
}

uint64_t wl_total_accesses(const struct wl_config *cfg, unsigned int vcpu)
{
	uint64_t first;

	if (wl_config_check(cfg) || vcpu >= cfg->nvcpus)
		return 0;
	return wl_range(cfg, vcpu, &first) * cfg->passes;
}
