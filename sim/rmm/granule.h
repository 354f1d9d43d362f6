/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench RMM model: the granule state table.
 *
 * One byte per 4 KiB granule of a sparse physical address space. The space
 * is cut into chunks of 1 GiB (262144 granules); a chunk is allocated the
 * first time one of its granules leaves UNDELEGATED, so reading an untouched
 * granule costs nothing and 64 GiB or more of PA space costs only what is
 * used. State changes are compare-and-swap on the byte: when two callers
 * race on one granule, exactly one sees the state it expected.
 */
#ifndef RMIBENCH_GRANULE_H
#define RMIBENCH_GRANULE_H

#include <stdbool.h>
#include <stdint.h>

#include "rmm.h"

#define GT_CHUNK_SHIFT		30	/* bytes of PA per chunk */
#define GT_CHUNK_GRANULES	(1u << (GT_CHUNK_SHIFT - 12))

#define GT_USED_MAX	4096	/* chunks listed; past it, a full scan */

struct granule_table {
	uint8_t **chunks;	/* nchunks pointers, NULL until touched: an
				 * anonymous mapping, resident as used */
	uint64_t nchunks;
	uint64_t pa_limit;	/* first PA past the space */
	uint64_t allocated;	/* chunks allocated (atomic) */
	uint32_t used[GT_USED_MAX];	/* their indexes, the first
					 * GT_USED_MAX, as allocated */
};

int gt_init(struct granule_table *gt, unsigned int pa_bits);
void gt_fini(struct granule_table *gt);

static inline bool gt_valid(const struct granule_table *gt, uint64_t pa)
{
	return !(pa & 0xfff) && pa < gt->pa_limit;
}

static inline uint8_t *gt_slot_peek(const struct granule_table *gt,
				    uint64_t pa)
{
	uint8_t *c = __atomic_load_n(&gt->chunks[pa >> GT_CHUNK_SHIFT],
				     __ATOMIC_ACQUIRE);

	return c ? c + ((pa >> 12) & (GT_CHUNK_GRANULES - 1)) : (uint8_t *)0;
}

uint8_t *gt_slot_alloc_slow(struct granule_table *gt, uint64_t pa);

/* The granule's state byte, its chunk allocated if it was not. */
static inline uint8_t *gt_slot_alloc(struct granule_table *gt, uint64_t pa)
{
	uint8_t *s = gt_slot_peek(gt, pa);

	return __builtin_expect(s != NULL, 1) ? s : gt_slot_alloc_slow(gt, pa);
}

/* Note @n granules from @pa in the thread's footprint (rmm.h), if any. */
static inline void gt_note(uint64_t pa, uint64_t n, bool write)
{
	rmm_fp_note(RMM_FP_GRANULE, pa, pa + (n << 12), write);
}

/* State of the granule at @pa (valid PA). */
static inline unsigned int gt_get(const struct granule_table *gt, uint64_t pa)
{
	const uint8_t *s = gt_slot_peek(gt, pa);

	gt_note(pa, 1, false);
	return s ? __atomic_load_n(s, __ATOMIC_ACQUIRE) : 0;
}

/*
 * Set for the duration of a call into a model made with
 * rmm_config.one_thread (rmm_smc(), rmm_guest_access()): the thread's
 * RTT locks and granule compare-and-swaps are plain loads and stores.
 */
extern __thread bool rmm_plain;

/* from -> to on one granule; false if it was not in state @from. */
static inline bool gt_cas(struct granule_table *gt, uint64_t pa,
			  unsigned int from, unsigned int to)
{
	uint8_t *s = from == 0 ? gt_slot_alloc(gt, pa) : gt_slot_peek(gt, pa);
	uint8_t expect = (uint8_t)from;
	bool ok;

	if (!s) {
		gt_note(pa, 1, false);
		return false;
	}
	if (rmm_plain) {
		ok = __atomic_load_n(s, __ATOMIC_RELAXED) == expect;
		if (ok)
			__atomic_store_n(s, (uint8_t)to, __ATOMIC_RELAXED);
	} else {
		ok = __atomic_compare_exchange_n(s, &expect, (uint8_t)to,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED);
	}
	gt_note(pa, 1, ok);
	return ok;
}

/*
 * from -> to on @n granules from @pa, all or nothing. Returns true on
 * success; false if one was not in @from (those already changed are put
 * back). The run must not cross a chunk (any aligned block <= 1 GiB fits).
 */
bool gt_cas_run(struct granule_table *gt, uint64_t pa, uint64_t n,
		unsigned int from, unsigned int to);

#endif /* RMIBENCH_GRANULE_H */
