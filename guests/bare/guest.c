// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench bare-metal guest: no OS, MMU off. Each vCPU walks its part of
 * the workload (guests/workload.c) over guest memory, times every access
 * of the first pass with the virtual counter, and reports through MMIO
 * writes (guest_abi.h). With the MMU off every first touch of a page is
 * still a stage-2 fault for the host, which is what is measured.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest_abi.h"
#include "workload.h"

/* The compiler may call these for struct copies and zeroing. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

void *memset(void *s, int c, size_t n)
{
	volatile unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

static inline uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static inline uint64_t cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static inline void mmio_write(uint64_t addr, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" :: "r"(v), "r"(addr) : "memory");
}

/* counter ticks to ns without overflow for any run length */
static inline uint64_t ticks_ns(uint64_t t, uint64_t freq)
{
	return t / freq * 1000000000ull + t % freq * 1000000000ull / freq;
}

static inline unsigned int log2_bucket(uint64_t ns)
{
	unsigned int b = ns ? 63u - (unsigned int)__builtin_clzll(ns) : 0;

	return b < BARE_HIST_BUCKETS ? b : BARE_HIST_BUCKETS - 1;
}

void bare_main(uint64_t vcpu, const struct bare_config *bc);

void bare_main(uint64_t vcpu, const struct bare_config *bc)
{
	uint64_t hist[BARE_HIST_BUCKETS] = { 0 };
	uint64_t stat[BARE_STAT_COUNT] = { 0 };
	uint64_t mmio = bc->mmio_base, freq = cntfrq(), t0, ipa;
	bool each = bc->flags & BARE_F_EACH_TOUCH, write;
	struct wl_config cfg;
	struct wl_iter it;

	if (bc->magic != BARE_MAGIC) {
		mmio_write(mmio + BARE_REG_ERROR, BARE_ERR_MAGIC);
		mmio_write(mmio + BARE_REG_EXIT, 0);
		return;
	}
	cfg = (struct wl_config){
		.pattern = (enum wl_pattern)bc->pattern,
		.base = bc->base,
		.size = bc->size,
		.nvcpus = (unsigned int)bc->nvcpus,
		.shared_region = bc->shared_region != 0,
		.stride = bc->stride,
		.write_pct = (unsigned int)bc->write_pct,
		.passes = (unsigned int)bc->passes,
		.seed = bc->seed,
	};
	if (wl_config_check(&cfg)) {
		mmio_write(mmio + BARE_REG_ERROR, BARE_ERR_CONFIG);
		mmio_write(mmio + BARE_REG_EXIT, 0);
		return;
	}
	if (vcpu >= cfg.nvcpus) {
		mmio_write(mmio + BARE_REG_ERROR, BARE_ERR_VCPU);
		mmio_write(mmio + BARE_REG_EXIT, 0);
		return;
	}
	if (!freq)
		freq = 1;
	wl_iter_init(&it, &cfg, (unsigned int)vcpu);
	stat[BARE_STAT_PAGES] = it.pages;
	stat[BARE_STAT_FIRST_MIN] = UINT64_MAX;
	mmio_write(mmio + BARE_REG_START, vcpu);
	t0 = cntvct();
	while (wl_next(&it, &ipa, &write)) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)ipa;
		uint64_t a, b, ns;

		a = cntvct();
		if (write)
			*p = ipa;
		else
			(void)*p;
		b = cntvct();
		stat[BARE_STAT_ACCESSES]++;
		stat[BARE_STAT_WRITES] += write;
		ns = ticks_ns(b - a, freq);
		/* each pass makes it.pages accesses: this one is of the
		 * first pass, a first touch */
		if (stat[BARE_STAT_ACCESSES] <= it.pages) {
			hist[log2_bucket(ns)]++;
			stat[BARE_STAT_FIRST_NS] += ns;
			if (ns < stat[BARE_STAT_FIRST_MIN])
				stat[BARE_STAT_FIRST_MIN] = ns;
			if (ns > stat[BARE_STAT_FIRST_MAX])
				stat[BARE_STAT_FIRST_MAX] = ns;
		}
		if (each)
			mmio_write(mmio + BARE_REG_TOUCH, ns);
	}
	stat[BARE_STAT_WALK_NS] = ticks_ns(cntvct() - t0, freq);
	stat[BARE_STAT_CNTFRQ] = freq;
	if (!stat[BARE_STAT_ACCESSES])
		stat[BARE_STAT_FIRST_MIN] = 0;
	mmio_write(mmio + BARE_REG_DONE, stat[BARE_STAT_ACCESSES]);
	for (unsigned int i = 0; i < BARE_STAT_COUNT; i++)
		mmio_write(mmio + BARE_REG_STAT + 8 * i, stat[i]);
	for (unsigned int i = 0; i < BARE_HIST_BUCKETS; i++)
		if (hist[i])
			mmio_write(mmio + BARE_REG_HIST + 8 * i, hist[i]);
	mmio_write(mmio + BARE_REG_EXIT, 0);
}
