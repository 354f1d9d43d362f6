// SPDX-License-Identifier: GPL-2.0-only
/*
 * The workload patterns of guests/workload.h: coverage of every page once
 * per pass, slices, storm, the random order's seeding, the strided order on
 * hand-worked cases, the write mix, configuration checks and totals.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "workload.h"

#define PG	WL_PAGE_SIZE

static struct wl_config cfg_make(enum wl_pattern p, uint64_t pages,
				 unsigned int nvcpus)
{
	return (struct wl_config){
		.pattern = p,
		.base = 0x80000000ull,
		.size = pages * PG,
		.nvcpus = nvcpus,
		.stride = 4 * PG,
		.write_pct = 0,
		.passes = 1,
		.seed = 1,
	};
}

/* The IPAs of vCPU @vcpu's whole sequence (all passes), as page numbers. */
static uint64_t *run_pages(const struct wl_config *cfg, unsigned int vcpu,
			   uint64_t *n)
{
	uint64_t total = wl_total_accesses(cfg, vcpu), ipa, k = 0;
	uint64_t *v = malloc((total ? total : 1) * sizeof(*v));
	struct wl_iter it;
	bool w;

	wl_iter_init(&it, cfg, vcpu);
	while (v && k <= total && wl_next(&it, &ipa, &w)) {
		if (k < total)
			v[k] = ipa / PG;
		k++;
	}
	*n = k;
	return v;
}

/*
 * Walk vCPU @vcpu and check that each pass touches every page of
 * [first, first + pages) exactly once, page aligned, and that the sequence
 * then ends for good. Returns 0 or a line number to report.
 */
static int check_cover(const struct wl_config *cfg, unsigned int vcpu,
		       uint64_t first, uint64_t pages)
{
	uint8_t *seen = calloc((pages + 7) / 8, 1);
	struct wl_iter it;
	uint64_t ipa, k;
	unsigned int pass;
	int bad = 0;
	bool w;

	if (!seen)
		return __LINE__;
	if (wl_total_accesses(cfg, vcpu) != pages * cfg->passes)
		bad = __LINE__;
	wl_iter_init(&it, cfg, vcpu);
	for (pass = 0; !bad && pass < cfg->passes; pass++) {
		memset(seen, 0, (pages + 7) / 8);
		for (k = 0; k < pages; k++) {
			uint64_t p;

			if (!wl_next(&it, &ipa, &w)) {
				bad = __LINE__;
				break;
			}
			if (ipa % PG) {
				bad = __LINE__;
				break;
			}
			p = ipa / PG;
			if (p < first || p - first >= pages) {
				bad = __LINE__;
				break;
			}
			p -= first;
			if (seen[p / 8] & (1u << (p % 8))) {
				bad = __LINE__;
				break;
			}
			seen[p / 8] |= 1u << (p % 8);
		}
	}
	/* pages accesses, all distinct and in range: every page once */
	if (!bad && (wl_next(&it, &ipa, &w) || wl_next(&it, &ipa, &w)))
		bad = __LINE__;
	free(seen);
	return bad;
}

static const uint64_t cover_sizes[] = { 1, 2, 3, 5, 8, 17, 64, 1000, 1024,
					1025, 4099 };

TEST(names)
{
	ASSERT_EQ(WL_SEQUENTIAL, wl_pattern_from_name("sequential"));
	ASSERT_EQ(WL_RANDOM, wl_pattern_from_name("random"));
	ASSERT_EQ(WL_STRIDED, wl_pattern_from_name("strided"));
	ASSERT_EQ(WL_STORM, wl_pattern_from_name("storm"));
	ASSERT_EQ(-1, wl_pattern_from_name("Sequential"));
	ASSERT_EQ(-1, wl_pattern_from_name("stor"));
	ASSERT_EQ(-1, wl_pattern_from_name("storms"));
	ASSERT_EQ(-1, wl_pattern_from_name(""));
	ASSERT_EQ(-1, wl_pattern_from_name(NULL));
	ASSERT_STREQ("sequential", wl_pattern_name(WL_SEQUENTIAL));
	ASSERT_STREQ("random", wl_pattern_name(WL_RANDOM));
	ASSERT_STREQ("strided", wl_pattern_name(WL_STRIDED));
	ASSERT_STREQ("storm", wl_pattern_name(WL_STORM));
	ASSERT_EQ(NULL, wl_pattern_name(WL_PATTERN_COUNT));
	ASSERT_EQ(NULL, wl_pattern_name((enum wl_pattern)-1));
	for (int p = 0; p < WL_PATTERN_COUNT; p++) {
		ASSERT_EQ(p, wl_pattern_from_name(wl_pattern_name(p)));
	}
}

/* config_check must fail with a reason containing @word */
#define ASSERT_REJECT(c, word) do {					\
	const char *_r = wl_config_check(&(c));				\
	ASSERT_NE(NULL, _r);						\
	ASSERT_NE(NULL, strstr(_r, (word))) TH_LOG("reason: %s", _r);	\
	ASSERT_EQ(NULL, strchr(_r, '\n'));				\
} while (0)

TEST(config_check)
{
	struct wl_config ok = cfg_make(WL_STRIDED, 64, 4), c;

	ASSERT_EQ(NULL, wl_config_check(&ok));
	ASSERT_NE(NULL, wl_config_check(NULL));

	c = ok; c.size = 0;
	ASSERT_REJECT(c, "size is 0");
	c = ok; c.size = 64 * PG + 512;
	ASSERT_REJECT(c, "size is not a multiple");
	c = ok; c.base = 0x80000800;
	ASSERT_REJECT(c, "base is not 4 KiB aligned");
	/* the region ends exactly at 2^64: base + size wraps */
	c = ok; c.base = 0ull - 64 * PG;
	ASSERT_REJECT(c, "base + size overflows");
	c = ok; c.base = 0ull - 65 * PG;
	ASSERT_EQ(NULL, wl_config_check(&c));
	c = ok; c.nvcpus = 0;
	ASSERT_REJECT(c, "vCPUs is 0");
	c = ok; c.nvcpus = 4097; c.size = 8192 * PG;
	ASSERT_REJECT(c, "more than 4096");
	c.nvcpus = 4096;
	ASSERT_EQ(NULL, wl_config_check(&c));
	/* 64 pages split 65 ways: not in slice mode, fine when shared */
	c = ok; c.nvcpus = 65;
	ASSERT_REJECT(c, "more vCPUs than pages");
	c.shared_region = true;
	ASSERT_EQ(NULL, wl_config_check(&c));
	c.shared_region = false; c.pattern = WL_STORM;
	ASSERT_EQ(NULL, wl_config_check(&c));
	c = ok; c.nvcpus = 64;
	ASSERT_EQ(NULL, wl_config_check(&c));
	c = ok; c.stride = 0;
	ASSERT_REJECT(c, "stride is 0");
	c = ok; c.stride = 6144;
	ASSERT_REJECT(c, "stride is not a multiple");
	c = ok; c.stride = 65 * PG;
	ASSERT_REJECT(c, "stride is larger");
	c.stride = 64 * PG;
	ASSERT_EQ(NULL, wl_config_check(&c));
	/* the stride only matters to WL_STRIDED */
	c = ok; c.stride = 0; c.pattern = WL_SEQUENTIAL;
	ASSERT_EQ(NULL, wl_config_check(&c));
	c = ok; c.write_pct = 101;
	ASSERT_REJECT(c, "write percentage");
	c.write_pct = 100;
	ASSERT_EQ(NULL, wl_config_check(&c));
	c = ok; c.passes = 0;
	ASSERT_REJECT(c, "passes is 0");
	c = ok; c.pattern = WL_PATTERN_COUNT;
	ASSERT_REJECT(c, "unknown workload pattern");
	c = ok; c.pattern = (enum wl_pattern)-1;
	ASSERT_REJECT(c, "unknown workload pattern");
	/* 2^40 pages x (2^32 - 1) passes does not fit in 64 bits, x 2^12
	 * does */
	c = ok; c.size = 1ull << 52; c.nvcpus = 1; c.passes = ~0u;
	ASSERT_REJECT(c, "pages x passes overflows");
	c.passes = 1u << 12;
	ASSERT_EQ(NULL, wl_config_check(&c));
}

TEST(unusable_config_is_empty)
{
	struct wl_config c = cfg_make(WL_SEQUENTIAL, 16, 2);
	struct wl_iter it;
	uint64_t ipa = 7;
	bool w = true;

	c.passes = 0;
	wl_iter_init(&it, &c, 0);
	ASSERT_FALSE(wl_next(&it, &ipa, &w));
	ASSERT_EQ(0, wl_total_accesses(&c, 0));
	c.passes = 1;
	wl_iter_init(&it, &c, 2);
	ASSERT_FALSE(wl_next(&it, &ipa, &w));
	ASSERT_EQ(0, wl_total_accesses(&c, 2));
	ASSERT_EQ(0, wl_total_accesses(NULL, 0));
	wl_iter_init(&it, NULL, 0);
	ASSERT_FALSE(wl_next(&it, &ipa, &w));
	ASSERT_EQ(7, ipa);
}

/* Every vCPU of @c covers its own range (slice or whole region). */
static void cover_all_vcpus(struct __test_metadata *_metadata,
			    const struct wl_config *c)
{
	uint64_t pages = c->size / PG, slice = pages / c->nvcpus;
	bool whole = c->shared_region || c->pattern == WL_STORM;

	ASSERT_EQ(NULL, wl_config_check(c));
	for (unsigned int v = 0; v < c->nvcpus; v++) {
		uint64_t first = c->base / PG, n = pages;

		if (!whole) {
			first += v * slice;
			n = v == c->nvcpus - 1 ?
			    pages - slice * (c->nvcpus - 1) : slice;
		}
		ASSERT_EQ(0, check_cover(c, v, first, n))
			TH_LOG("%s pages %llu shared %d vcpu %u",
			       wl_pattern_name(c->pattern),
			       (unsigned long long)pages,
			       c->shared_region, v);
	}
}

TEST(every_page_once_per_pass)
{
	size_t nsizes = sizeof(cover_sizes) / sizeof(cover_sizes[0]);

	for (int p = 0; p < WL_PATTERN_COUNT; p++) {
		for (size_t s = 0; s < nsizes; s++) {
			uint64_t pages = cover_sizes[s];
			struct wl_config c = cfg_make(p, pages,
						      pages >= 3 ? 3 : 1);

			c.passes = 3;
			c.stride = (pages >= 4 ? 4 : 1) * PG;
			c.seed = 0x1234 + s;
			cover_all_vcpus(_metadata, &c);
			c.shared_region = true;
			cover_all_vcpus(_metadata, &c);
		}
	}
}

TEST(strides_cover)
{
	static const uint64_t strides[] = { 1, 2, 3, 4, 7, 16, 100, 999, 1000 };

	for (size_t i = 0; i < sizeof(strides) / sizeof(strides[0]); i++) {
		struct wl_config c = cfg_make(WL_STRIDED, 1000, 4);

		c.stride = strides[i] * PG;
		c.passes = 2;
		for (unsigned int v = 0; v < 4; v++) {
			ASSERT_EQ(0, check_cover(&c, v, c.base / PG + v * 250,
						 250))
				TH_LOG("stride %llu vcpu %u",
				       (unsigned long long)strides[i], v);
		}
		c.shared_region = true;
		ASSERT_EQ(0, check_cover(&c, 1, c.base / PG, 1000));
	}
}

TEST(slices_disjoint_and_exact)
{
	/* 1000 pages over 7 vCPUs: 142 each, the last 148 */
	struct wl_config c = cfg_make(WL_SEQUENTIAL, 1000, 7);
	uint8_t owner[1000];
	struct wl_iter it;

	memset(owner, 0xff, sizeof(owner));
	for (unsigned int v = 0; v < 7; v++) {
		uint64_t ipa, first = 0;
		bool w, started = false;

		wl_iter_init(&it, &c, v);
		ASSERT_EQ(c.base / PG + v * 142, it.base);
		ASSERT_EQ(v == 6 ? 148 : 142, it.pages);
		ASSERT_EQ(v == 6 ? 148 : 142, wl_total_accesses(&c, v));
		while (wl_next(&it, &ipa, &w)) {
			uint64_t p = (ipa - c.base) / PG;

			if (!started)
				first = p;
			started = true;
			ASSERT_LT(p, 1000);
			ASSERT_EQ(0xff, owner[p]);
			owner[p] = v;
		}
		ASSERT_EQ(v * 142, first);
	}
	for (int p = 0; p < 1000; p++) {
		ASSERT_EQ(p < 852 ? p / 142 : 6, owner[p]);
	}
}

TEST(sequential_order)
{
	struct wl_config c = cfg_make(WL_SEQUENTIAL, 10, 2);
	uint64_t n, *v;

	c.passes = 2;
	v = run_pages(&c, 1, &n);
	ASSERT_NE(NULL, v);
	ASSERT_EQ(10, n);
	for (int k = 0; k < 10; k++) {
		ASSERT_EQ(c.base / PG + 5 + k % 5, v[k]);
	}
	free(v);
}

static void expect_strided(struct __test_metadata *_metadata,
			   uint64_t pages, uint64_t stride_pages,
			   const uint64_t *want)
{
	struct wl_config c = cfg_make(WL_STRIDED, pages, 1);
	uint64_t n, *v;

	c.stride = stride_pages * PG;
	c.base = 0;
	c.passes = 2;
	v = run_pages(&c, 0, &n);
	ASSERT_NE(NULL, v);
	ASSERT_EQ(2 * pages, n);
	for (uint64_t k = 0; k < n; k++) {
		ASSERT_EQ(want[k % pages], v[k])
			TH_LOG("pages %llu stride %llu access %llu",
			       (unsigned long long)pages,
			       (unsigned long long)stride_pages,
			       (unsigned long long)k);
	}
	free(v);
}

TEST(strided_order)
{
	static const uint64_t p8s4[] = { 0, 4, 1, 5, 2, 6, 3, 7 };
	static const uint64_t p10s4[] = { 0, 4, 8, 1, 5, 9, 2, 6, 3, 7 };
	static const uint64_t p7s3[] = { 0, 3, 6, 1, 4, 2, 5 };
	static const uint64_t p6s1[] = { 0, 1, 2, 3, 4, 5 };
	static const uint64_t p5s5[] = { 0, 1, 2, 3, 4 };

	expect_strided(_metadata, 8, 4, p8s4);
	expect_strided(_metadata, 10, 4, p10s4);
	expect_strided(_metadata, 7, 3, p7s3);
	expect_strided(_metadata, 6, 1, p6s1);
	/* stride == region: one page per lane, i.e. in order */
	expect_strided(_metadata, 5, 5, p5s5);
}

TEST(strided_slice_smaller_than_stride)
{
	/* 16 pages, 4 vCPUs of 4 pages, stride 8 pages: lanes past the
	 * slice are empty, so each slice is walked in order */
	struct wl_config c = cfg_make(WL_STRIDED, 16, 4);
	uint64_t n, *v;

	c.stride = 8 * PG;
	v = run_pages(&c, 2, &n);
	ASSERT_NE(NULL, v);
	ASSERT_EQ(4, n);
	for (int k = 0; k < 4; k++) {
		ASSERT_EQ(c.base / PG + 8 + k, v[k]);
	}
	free(v);
	/* shared, the same stride: 0, 8, 1, 9, ... */
	c.shared_region = true;
	v = run_pages(&c, 3, &n);
	ASSERT_NE(NULL, v);
	ASSERT_EQ(16, n);
	for (int k = 0; k < 16; k++) {
		ASSERT_EQ(c.base / PG + k / 2 + (k % 2) * 8, v[k]);
	}
	free(v);
}

TEST(storm_same_sequence_everywhere)
{
	struct wl_config c = cfg_make(WL_STORM, 777, 16);
	uint64_t n0, n, *v0, *v;

	c.passes = 2;
	c.write_pct = 50;
	v0 = run_pages(&c, 0, &n0);
	ASSERT_NE(NULL, v0);
	ASSERT_EQ(2 * 777, n0);
	for (uint64_t k = 0; k < n0; k++) {
		ASSERT_EQ(c.base / PG + k % 777, v0[k]);
	}
	for (unsigned int vc = 1; vc < 16; vc++) {
		v = run_pages(&c, vc, &n);
		ASSERT_NE(NULL, v);
		ASSERT_EQ(n0, n);
		ASSERT_EQ(0, memcmp(v0, v, n * sizeof(*v)));
		free(v);
	}
	/* a shared region in order gives the same IPAs */
	c.pattern = WL_SEQUENTIAL;
	c.shared_region = true;
	v = run_pages(&c, 9, &n);
	ASSERT_NE(NULL, v);
	ASSERT_EQ(n0, n);
	ASSERT_EQ(0, memcmp(v0, v, n * sizeof(*v)));
	free(v);
	free(v0);
}

/* Positions where two sequences of n pages agree. */
static uint64_t same_at(const uint64_t *a, const uint64_t *b, uint64_t n)
{
	uint64_t k, same = 0;

	for (k = 0; k < n; k++)
		same += a[k] == b[k];
	return same;
}

TEST(random_seeding)
{
	struct wl_config c = cfg_make(WL_RANDOM, 4096, 1);
	uint64_t n, *a, *b, *s2, *v1, *p2, in_order = 0;

	c.shared_region = true;
	c.nvcpus = 2;
	c.seed = 42;
	a = run_pages(&c, 0, &n);
	b = run_pages(&c, 0, &n);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(4096, n);
	/* reproducible */
	ASSERT_EQ(0, memcmp(a, b, n * sizeof(*a)));
	/* not the identity, and far from it */
	for (uint64_t k = 0; k < n; k++)
		in_order += a[k] == c.base / PG + k;
	ASSERT_LT(in_order, 64);
	/* another vCPU, another order (a random pair agrees on ~1 place) */
	v1 = run_pages(&c, 1, &n);
	ASSERT_NE(NULL, v1);
	ASSERT_LT(same_at(a, v1, n), 64);
	/* another seed, another order */
	c.seed = 43;
	s2 = run_pages(&c, 0, &n);
	ASSERT_NE(NULL, s2);
	ASSERT_LT(same_at(a, s2, n), 64);
	/* the second pass is in another order than the first */
	c.seed = 42;
	c.passes = 2;
	p2 = run_pages(&c, 0, &n);
	ASSERT_NE(NULL, p2);
	ASSERT_EQ(8192, n);
	ASSERT_EQ(0, memcmp(a, p2, 4096 * sizeof(*a)));
	ASSERT_LT(same_at(p2, p2 + 4096, 4096), 64);
	free(a);
	free(b);
	free(s2);
	free(v1);
	free(p2);
}

TEST(random_large_range)
{
	/* 2^24 + 1 pages (64 GiB): the worst case of the power-of-two
	 * modulus, with about one LCG step in two rejected */
	uint64_t pages = (1ull << 24) + 1;
	struct wl_config c = cfg_make(WL_RANDOM, pages, 1);

	c.base = 1ull << 40;
	c.seed = 0xdeadbeef;
	ASSERT_EQ(0, check_cover(&c, 0, c.base / PG, pages));
}

static uint64_t count_writes(const struct wl_config *c, unsigned int vcpu,
			     uint64_t *accesses)
{
	struct wl_iter it;
	uint64_t ipa, writes = 0, n = 0;
	bool w;

	wl_iter_init(&it, c, vcpu);
	while (wl_next(&it, &ipa, &w)) {
		writes += w;
		n++;
	}
	*accesses = n;
	return writes;
}

TEST(write_mix)
{
	struct wl_config c = cfg_make(WL_SEQUENTIAL, 25000, 1);
	uint64_t n, w;

	c.passes = 4;	/* 100000 accesses */
	for (int p = 0; p < WL_PATTERN_COUNT; p++) {
		c.pattern = p;
		c.write_pct = 0;
		ASSERT_EQ(0, count_writes(&c, 0, &n));
		ASSERT_EQ(100000, n);
		c.write_pct = 100;
		ASSERT_EQ(100000, count_writes(&c, 0, &n));
		ASSERT_EQ(100000, n);
		/* binomial, sd 158: +-1500 is nearly 10 sd */
		c.write_pct = 50;
		w = count_writes(&c, 0, &n);
		ASSERT_EQ(100000, n);
		ASSERT_GT(w, 48500);
		ASSERT_LT(w, 51500);
		/* sd 95 */
		c.write_pct = 10;
		w = count_writes(&c, 0, &n);
		ASSERT_GT(w, 9100);
		ASSERT_LT(w, 10900);
		c.write_pct = 1;
		w = count_writes(&c, 0, &n);
		ASSERT_GT(w, 700);
		ASSERT_LT(w, 1300);
	}
}

TEST(write_mix_seeding)
{
	struct wl_config c = cfg_make(WL_STORM, 4096, 2);
	bool wa[4096], wb[4096];
	struct wl_iter ia, ib;
	uint64_t ipa, diff = 0;
	int k;

	c.write_pct = 50;
	/* per (seed, vCPU): reproducible, different between vCPUs */
	wl_iter_init(&ia, &c, 0);
	wl_iter_init(&ib, &c, 0);
	for (k = 0; k < 4096; k++) {
		ASSERT_TRUE(wl_next(&ia, &ipa, &wa[k]));
		ASSERT_TRUE(wl_next(&ib, &ipa, &wb[k]));
		ASSERT_EQ(wa[k], wb[k]);
	}
	wl_iter_init(&ib, &c, 1);
	for (k = 0; k < 4096; k++) {
		ASSERT_TRUE(wl_next(&ib, &ipa, &wb[k]));
		diff += wa[k] != wb[k];
	}
	ASSERT_GT(diff, 1700);
	ASSERT_LT(diff, 2400);
	c.seed = 2;
	wl_iter_init(&ib, &c, 0);
	for (diff = 0, k = 0; k < 4096; k++) {
		ASSERT_TRUE(wl_next(&ib, &ipa, &wb[k]));
		diff += wa[k] != wb[k];
	}
	ASSERT_GT(diff, 1700);
	ASSERT_LT(diff, 2400);
}

TEST(total_accesses)
{
	struct wl_config c = cfg_make(WL_RANDOM, 1000, 3);

	c.passes = 5;
	ASSERT_EQ(333 * 5, wl_total_accesses(&c, 0));
	ASSERT_EQ(333 * 5, wl_total_accesses(&c, 1));
	ASSERT_EQ(334 * 5, wl_total_accesses(&c, 2));
	ASSERT_EQ(0, wl_total_accesses(&c, 3));
	c.shared_region = true;
	ASSERT_EQ(1000 * 5, wl_total_accesses(&c, 2));
	c.shared_region = false;
	c.pattern = WL_STORM;
	ASSERT_EQ(1000 * 5, wl_total_accesses(&c, 0));
	/* 64 GiB over 4 vCPUs, 16 million pages each */
	c = cfg_make(WL_SEQUENTIAL, 1ull << 24, 4);
	c.passes = 3;
	ASSERT_EQ(3ull << 22, wl_total_accesses(&c, 3));
}

TEST(top_of_address_space)
{
	/* the last 8 pages below 2^64 less one page */
	struct wl_config c = cfg_make(WL_STRIDED, 8, 1);
	uint64_t n, *v;

	c.base = 0ull - 9 * PG;
	ASSERT_EQ(NULL, wl_config_check(&c));
	v = run_pages(&c, 0, &n);
	ASSERT_NE(NULL, v);
	ASSERT_EQ(8, n);
	ASSERT_EQ(c.base / PG, v[0]);
	ASSERT_EQ(c.base / PG + 4, v[1]);
	ASSERT_EQ(c.base / PG + 7, v[7]);
	free(v);
}

TEST_HARNESS_MAIN
