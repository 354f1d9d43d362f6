/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench workload patterns: one library for the sim's vCPUs and for the
 * realm guest programs. Plain C11 with no dependencies beyond <stdint.h>
 * and <stdbool.h>, so that it builds for the host and for aarch64 guests.
 *
 * A workload is a sequence of memory accesses (an IPA and read/write) per
 * vCPU. Pattern, region and mix are data (struct wl_config); each vCPU
 * walks its own iterator, deterministically from the seed.
 */
#ifndef RMIBENCH_WORKLOAD_H
#define RMIBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

enum wl_pattern {
	WL_SEQUENTIAL,	/* page after page, from the start of the slice */
	WL_RANDOM,	/* each page of the slice once, in a seeded order */
	WL_STRIDED,	/* every stride bytes, then the next offset, ... */
	WL_STORM,	/* all vCPUs touch the same pages in the same order */
	WL_PATTERN_COUNT,
};

struct wl_config {
	enum wl_pattern pattern;
	uint64_t base;		/* first IPA of the region */
	uint64_t size;		/* bytes; a multiple of the page size */
	unsigned int nvcpus;
	bool shared_region;	/* all vCPUs over the whole region; else
				 * each vCPU its own slice (memstress) */
	uint64_t stride;	/* WL_STRIDED: bytes, a multiple of 4 KiB */
	unsigned int write_pct;	/* percent of accesses that write */
	unsigned int passes;	/* times each vCPU goes over its pages */
	uint64_t seed;
};

/*
 * One vCPU's position in its sequence. Set up by wl_iter_init() and moved by
 * wl_next() only; callers may read base, pages, i and pass, the rest is
 * private to workload.c. @cfg must outlive the iterator.
 */
struct wl_iter {
	const struct wl_config *cfg;
	unsigned int vcpu;
	uint64_t base, pages;	/* this vCPU's range, in pages: first page
				 * number (IPA / 4 KiB) and page count */
	uint64_t i;		/* accesses done in this pass */
	unsigned int pass;
	uint64_t perm_a, perm_c;	/* WL_RANDOM: a bijection on pages */
	uint64_t lanes, lane, pos;	/* WL_STRIDED; WL_RANDOM keeps its
					 * modulus mask, mixing shift and
					 * LCG state here */
	uint64_t rng;		/* write/read choice, per (seed, vCPU) */
};

#define WL_PAGE_SIZE	4096ull

/* Name <-> pattern; -1 / NULL when unknown. */
int wl_pattern_from_name(const char *name);
const char *wl_pattern_name(enum wl_pattern p);

/*
 * Check a configuration: returns NULL if usable, or a one-line reason
 * (static string) why not.
 */
const char *wl_config_check(const struct wl_config *cfg);

/*
 * Start vCPU @vcpu's sequence. A configuration that fails wl_config_check(),
 * or @vcpu >= nvcpus, gives an empty sequence.
 */
void wl_iter_init(struct wl_iter *it, const struct wl_config *cfg,
		  unsigned int vcpu);

/*
 * The next access: its IPA (page aligned) and whether it writes. Returns
 * false when the vCPU's sequence is over.
 */
bool wl_next(struct wl_iter *it, uint64_t *ipa, bool *write);

/*
 * Accesses vCPU @vcpu makes in all (for progress and checks): the pages of
 * its range times passes; 0 for an unusable configuration or vCPU.
 */
uint64_t wl_total_accesses(const struct wl_config *cfg, unsigned int vcpu);

#endif /* RMIBENCH_WORKLOAD_H */
