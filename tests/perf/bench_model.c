// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-model: the RMM model's speed and memory, per profile.
 *
 *  1. RMI calls per second on one core for the mix a fault path issues:
 *     GRANULE_RANGE_DELEGATE (one granule per call), RTT_CREATE, and
 *     RTT_DATA_MAP of 4 KiB pages and of 2 MiB blocks.
 *  2. Model memory per mapped 4 KiB page, with 64 GiB of 4 KiB pages
 *     mapped (16.7 million pages): the model's own count of its bytes, and
 *     the process's resident set growth.
 *  3. Model memory per RTT whose entries are all 0: an L3 RTT under every
 *     unassigned 2 MiB of 512 GiB (a 40-bit realm's protected half), as a
 *     host's teardown makes them, then folded back.
 *
 * Figures are printed, not asserted: this is a benchmark, not a test.
 * The speeds are the best of REPEAT runs (default 5), the worst beside.
 * usage: bench_model [GIB_OF_4K_PAGES] [REPEAT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rmm.h"
#include "rmib_util.h"

#define G(n)	((uint64_t)(n) << 12)
#define GIB	(1ull << 30)
#define MIB2	(2ull << 20)
#define RD	G(1)

static double now(void)
{
	return rmib_now_s();
}

static double cpu_now(void)
{
	return (double)rmib_clock_ns(CLOCK_THREAD_CPUTIME_ID) * 1e-9;
}

static long rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

struct ctx {
	struct rmm *m;
	uint64_t calls;
	uint64_t next_rtt;	/* granule allocator for RTTs */
	uint64_t errors;
};

static uint64_t call(struct ctx *c, uint32_t fid, uint64_t a, uint64_t b,
		     uint64_t d, uint64_t e, uint64_t f)
{
	uint64_t out[5], x0 = rmm_call(c->m, fid, a, b, d, e, f, out);

	c->calls++;
	return x0;
}

static struct ctx setup(const struct rmm_profile *p, unsigned int pa_bits)
{
	struct rmm_config cfg = { .profile = p, .delegate_granules = 1,
				  .pa_bits = pa_bits };
	struct rmi_realm_params rp = { .s2sz = 48, .rtt_level_start = 0,
				       .rtt_num_start = 1, .rtt_base = G(2) };
	struct ctx c = { .m = rmm_create(&cfg), .next_rtt = G(16) };

	if (!c.m) {
		fprintf(stderr, "bench_model: cannot create the model\n");
		exit(1);
	}
	call(&c, RMI_RMM_ACTIVATE, 0, 0, 0, 0, 0);
	call(&c, RMI_GRANULE_RANGE_DELEGATE, RD, G(3), 0, 0, 0);
	call(&c, RMI_GRANULE_RANGE_DELEGATE, G(2), G(3), 0, 0, 0);
	rmm_ns_write(c.m, G(8), &rp, sizeof(rp));
	call(&c, RMI_REALM_CREATE, RD, G(8), 0, 0, 0);
	return c;
}

/* The host's loop: ERROR_RTT(level) -> create level + 1, retry. */
static void map(struct ctx *c, uint64_t ipa, uint64_t pa, unsigned int sz)
{
	uint64_t size = sz ? MIB2 : 4096;
	uint64_t desc = rmi_desc_encode(sz, 1, pa, 0), x0;

	for (uint64_t g = pa; g < pa + size; g += 4096)
		if (call(c, RMI_GRANULE_RANGE_DELEGATE, g, g + 4096, 0, 0, 0))
			c->errors++;
	while ((x0 = call(c, RMI_RTT_DATA_MAP, RD, ipa, ipa + size, 1, desc))) {
		unsigned int lvl = RMI_RETURN_INDEX(x0) + 1;

		if (RMI_RETURN_STATUS(x0) != RMI_ERROR_RTT || lvl > 3) {
			c->errors++;
			return;
		}
		call(c, RMI_GRANULE_RANGE_DELEGATE, c->next_rtt,
		     c->next_rtt + 4096, 0, 0, 0);
		call(c, RMI_RTT_CREATE, RD, c->next_rtt,
		     ipa & ~(RMI_LEVEL_SIZE(lvl - 1) - 1), lvl, 0);
		c->next_rtt += 4096;
	}
}

/* Runs of each timed figure; the best and the worst are printed. */
static unsigned int repeat = 5;

static void speed(const struct rmm_profile *p)
{
	const uint64_t pages = 1u << 20, blocks = 4096;
	double best = 0, worst = 0, wall = 0;
	uint64_t calls = 0, errors = 0;

	for (unsigned int r = 0; r < repeat; r++) {
		struct ctx c = setup(p, 48);
		double t0, t1, w0;

		/* PA: RTTs from 64 KiB, 4 KiB data from 64 GiB, 2 MiB from
		 * 128 GiB */
		w0 = now();
		t0 = cpu_now();
		c.calls = 0;
		for (uint64_t i = 0; i < pages; i++)
			map(&c, GIB + i * 4096, 64 * GIB + i * 4096, 0);
		for (uint64_t i = 0; i < blocks; i++)
			map(&c, 32 * GIB + i * MIB2, 128 * GIB + i * MIB2, 1);
		t1 = cpu_now();
		if (!r || t1 - t0 < best) {
			best = t1 - t0;
			wall = now() - w0;
		}
		if (t1 - t0 > worst)
			worst = t1 - t0;
		calls = c.calls;
		errors += c.errors;
		rmm_destroy(c.m);
	}
	printf("%-7s mix: %llu calls (%llu 4K pages, %llu 2M blocks) in %.3f s cpu"
	       " (%.3f s wall; worst of %u %.3f s cpu): %.1f M calls/s/core%s\n",
	       p->name, (unsigned long long)calls, (unsigned long long)pages,
	       (unsigned long long)blocks, best, wall, repeat, worst,
	       (double)calls / best / 1e6, errors ? " (ERRORS)" : "");
}

/*
 * One command alone: @n calls of @fid after setting up what they need.
 * Returns the seconds of CPU they took; *@bad: a call failed.
 */
static double one_command_once(const struct rmm_profile *p, const char *what,
			       unsigned int sz, uint64_t n, bool *bad)
{
	struct ctx c = setup(p, 48);
	uint64_t size = sz ? MIB2 : 4096, x0 = 0, t;
	double t0, t1;

	/* tables and delegated backing first, untimed */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pa = 64 * GIB + i * size;

		map(&c, GIB + i * size, pa, sz);
		call(&c, RMI_RTT_DATA_UNMAP, RD, GIB + i * size,
		     GIB + (i + 1) * size, 1, 0);
	}
	t0 = cpu_now();
	if (!strcmp(what, "RTT_CREATE")) {
		/* L3 tables in 2 MiB regions whose L1/L2 tables exist: one
		 * page mapped at each GiB from 1 TiB builds them (untimed) */
		uint64_t base = 1024 * GIB, made = 0;

		for (t = 0; t < n / 511 + 1; t++)
			map(&c, base + t * GIB, 96 * GIB + t * 4096, 0);
		for (t = 0; t < n; t++)
			call(&c, RMI_GRANULE_RANGE_DELEGATE, c.next_rtt + t * 4096,
			     c.next_rtt + (t + 1) * 4096, 0, 0, 0);
		t0 = cpu_now();
		for (t = 0; made < n; t++) {
			if (!(t % 512))
				continue;	/* that region has its L3 */
			x0 |= rmm_call(c.m, RMI_RTT_CREATE, RD,
				       c.next_rtt + made * 4096,
				       base + t * MIB2, 3, 0, NULL);
			made++;
		}
	} else if (!strcmp(what, "DELEGATE")) {
		for (t = 0; t < n; t++)
			x0 |= rmm_call(c.m, RMI_GRANULE_RANGE_DELEGATE,
				       300 * GIB + t * 4096,
				       300 * GIB + (t + 1) * 4096, 0, 0, 0, NULL);
	} else {
		for (t = 0; t < n; t++)
			x0 |= rmm_call(c.m, RMI_RTT_DATA_MAP, RD, GIB + t * size,
				       GIB + (t + 1) * size, 1,
				       rmi_desc_encode(sz, 1, 64 * GIB + t * size,
						       0), NULL);
	}
	t1 = cpu_now();
	*bad |= x0 != 0;
	rmm_destroy(c.m);
	return t1 - t0;
}

static void one_command(const struct rmm_profile *p, const char *what,
			unsigned int sz, uint64_t n)
{
	double best = 0, worst = 0;
	bool bad = false;

	for (unsigned int r = 0; r < repeat; r++) {
		double t = one_command_once(p, what, sz, n, &bad);

		if (!r || t < best)
			best = t;
		if (t > worst)
			worst = t;
	}
	printf("%-7s   %-24s %8.1f M calls/s/core (%.1f ns/call; worst of %u %.1f)%s\n",
	       p->name, what, (double)n / best / 1e6, best / (double)n * 1e9,
	       repeat, worst / (double)n * 1e9, bad ? " (ERRORS)" : "");
}

static void memory(const struct rmm_profile *p, uint64_t gib)
{
	long rss0 = rss_bytes();
	struct ctx c = setup(p, 48);
	uint64_t pages = gib * (GIB / 4096);
	struct rmm_stats st;
	double t0 = cpu_now();

	for (uint64_t i = 0; i < pages; i++)
		map(&c, GIB + i * 4096, 256 * GIB + i * 4096, 0);
	rmm_get_stats(c.m, &st);
	printf("%-7s memory: %llu GiB of 4K pages (%llu pages, %llu RTTs) in "
	       "%.2f s: model %.2f bytes/page (%.0f MiB), RSS growth %.2f "
	       "bytes/page (%.0f MiB)%s\n", p->name, (unsigned long long)gib,
	       (unsigned long long)pages, (unsigned long long)st.rtts_live,
	       cpu_now() - t0, (double)st.model_bytes / (double)pages,
	       (double)st.model_bytes / 1048576.0,
	       (double)(rss_bytes() - rss0) / (double)pages,
	       (double)(rss_bytes() - rss0) / 1048576.0,
	       c.errors || st.granules[RMI_GRANULE_DATA] != pages ?
	       " (ERRORS)" : "");
	rmm_destroy(c.m);
}

static void zero_rtts(const struct rmm_profile *p)
{
	struct ctx c = setup(p, 48);
	const uint64_t l2s = 512, l3s = l2s * 512;
	struct rmm_stats st0, st;
	long rss0, rss1;
	double t0, t1, t2;
	uint64_t x0 = 0;

	for (uint64_t i = 0; i < l2s + l3s + 1; i++)
		x0 |= call(&c, RMI_GRANULE_RANGE_DELEGATE, c.next_rtt + i * 4096,
			   c.next_rtt + (i + 1) * 4096, 0, 0, 0);
	x0 |= call(&c, RMI_RTT_CREATE, RD, c.next_rtt, 0, 1, 0);
	for (uint64_t i = 0; i < l2s; i++)
		x0 |= call(&c, RMI_RTT_CREATE, RD, c.next_rtt + (1 + i) * 4096,
			   i * GIB, 2, 0);
	rmm_get_stats(c.m, &st0);
	rss0 = rss_bytes();
	t0 = cpu_now();
	for (uint64_t i = 0; i < l3s; i++)
		x0 |= call(&c, RMI_RTT_CREATE, RD,
			   c.next_rtt + (1 + l2s + i) * 4096, i * MIB2, 3, 0);
	t1 = cpu_now();
	rss1 = rss_bytes();
	rmm_get_stats(c.m, &st);
	for (uint64_t i = 0; i < l3s; i++)
		x0 |= call(&c, RMI_RTT_FOLD, RD, i * MIB2, 3, 0, 0);
	t2 = cpu_now();
	printf("%-7s zero RTTs: %llu L3 RTTs of all-0 entries (every 2 MiB of "
	       "512 GiB) in %.2f s: model %.1f bytes/RTT, RSS growth %.1f "
	       "bytes/RTT (%.0f MiB); folded back in %.2f s%s\n", p->name,
	       (unsigned long long)l3s, t1 - t0,
	       (double)(st.model_bytes - st0.model_bytes) / (double)l3s,
	       (double)(rss1 - rss0) / (double)l3s,
	       (double)(rss1 - rss0) / 1048576.0, t2 - t1,
	       x0 || st.rtts_live != st0.rtts_live + l3s ? " (ERRORS)" : "");
	rmm_destroy(c.m);
}

int main(int argc, char **argv)
{
	uint64_t gib = argc > 1 ? strtoull(argv[1], NULL, 0) : 64;
	uint64_t rep = argc > 2 ? strtoull(argv[2], NULL, 0) : 5;

	if (!gib || gib > 1024 || !rep || rep > 100) {
		fprintf(stderr, "bench_model: GiB of pages must be 1..1024, REPEAT 1..100\n");
		return 2;
	}
	repeat = (unsigned int)rep;
	printf("# rmibench bench-model: RMM model speed and memory (one thread)\n");
	for (int i = 0; rmm_profiles[i]; i++) {
		speed(rmm_profiles[i]);
		one_command(rmm_profiles[i], "DELEGATE", 0, 1u << 20);
		one_command(rmm_profiles[i], "RTT_DATA_MAP 4K", 0, 1u << 20);
		one_command(rmm_profiles[i], "RTT_DATA_MAP 2M", 1, 4096);
		one_command(rmm_profiles[i], "RTT_CREATE", 0, 1u << 15);
	}
	for (int i = 0; rmm_profiles[i]; i++)
		memory(rmm_profiles[i], gib);
	for (int i = 0; rmm_profiles[i]; i++)
		zero_rtts(rmm_profiles[i]);
	return 0;
}
