// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the sparse granule state table.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "granule.h"

__thread bool rmm_plain;

int gt_init(struct granule_table *gt, unsigned int pa_bits)
{
	void *p;

	memset(gt, 0, sizeof(*gt));
	if (pa_bits < GT_CHUNK_SHIFT || pa_bits > 52)
		return -1;
	gt->pa_limit = 1ull << pa_bits;
	gt->nchunks = gt->pa_limit >> GT_CHUNK_SHIFT;
	/*
	 * A mapping of its own: the kernel hands out zero pages only as
	 * they are touched, and a model made and dropped thousands of
	 * times (rmibench explore) neither clears nor scans it all.
	 */
	p = mmap(NULL, gt->nchunks * sizeof(*gt->chunks),
		 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	gt->chunks = p;
	return 0;
}

void gt_fini(struct granule_table *gt)
{
	if (!gt->chunks)
		return;
	if (gt->allocated <= GT_USED_MAX) {
		for (uint64_t i = 0; i < gt->allocated; i++)
			free(gt->chunks[gt->used[i]]);
	} else {
		for (uint64_t i = 0; i < gt->nchunks; i++)
			free(gt->chunks[i]);
	}
	munmap(gt->chunks, gt->nchunks * sizeof(*gt->chunks));
	gt->chunks = NULL;
}

uint8_t *gt_slot_alloc_slow(struct granule_table *gt, uint64_t pa)
{
	uint8_t **slot = &gt->chunks[pa >> GT_CHUNK_SHIFT];
	uint8_t *c = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!c) {
		uint8_t *fresh = calloc(GT_CHUNK_GRANULES, 1);
		uint8_t *expect = NULL;

		if (!fresh)
			abort();
		if (__atomic_compare_exchange_n(slot, &expect, fresh, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			uint64_t i = __atomic_fetch_add(&gt->allocated, 1,
							__ATOMIC_ACQ_REL);

			c = fresh;
			if (i < GT_USED_MAX)
				__atomic_store_n(&gt->used[i],
						 (uint32_t)(pa >> GT_CHUNK_SHIFT),
						 __ATOMIC_RELEASE);
		} else {
			free(fresh);
			c = expect;
		}
	}
	return c + ((pa >> 12) & (GT_CHUNK_GRANULES - 1));
}

static inline uint64_t bytes8(unsigned int v)
{
	return 0x0101010101010101ull * (uint8_t)v;
}

bool gt_cas_run(struct granule_table *gt, uint64_t pa, uint64_t n,
		unsigned int from, unsigned int to)
{
	uint8_t *s = from == 0 ? gt_slot_alloc(gt, pa) : gt_slot_peek(gt, pa);
	uint64_t i = 0;

	if (!s) {
		gt_note(pa, n, false);
		return false;
	}
	if (rmm_plain) {
		/* one thread: look at the run, then write it */
		while (i < n) {
			if (!(((uintptr_t)(s + i)) & 7) && n - i >= 8) {
				if (__atomic_load_n((uint64_t *)(void *)(s + i),
						    __ATOMIC_RELAXED) != bytes8(from))
					break;
				i += 8;
			} else if (__atomic_load_n(s + i, __ATOMIC_RELAXED) ==
				   (uint8_t)from) {
				i++;
			} else {
				break;
			}
		}
		if (i < n) {
			gt_note(pa, n, false);
			return false;
		}
		if (n == 1)
			__atomic_store_n(s, (uint8_t)to, __ATOMIC_RELAXED);
		else
			memset(s, (int)(uint8_t)to, n);
		gt_note(pa, n, true);
		return true;
	}
	/* eight granules per CAS where the run is aligned to eight */
	while (i < n) {
		if (!(((uintptr_t)(s + i)) & 7) && n - i >= 8) {
			uint64_t *w = (uint64_t *)(void *)(s + i);
			uint64_t expect = bytes8(from);

			if (!__atomic_compare_exchange_n(w, &expect,
							 bytes8(to), false,
							 __ATOMIC_ACQ_REL,
							 __ATOMIC_RELAXED))
				goto undo;
			i += 8;
		} else {
			uint8_t expect = (uint8_t)from;

			if (!__atomic_compare_exchange_n(s + i, &expect,
							 (uint8_t)to, false,
							 __ATOMIC_ACQ_REL,
							 __ATOMIC_RELAXED))
				goto undo;
			i++;
		}
	}
	gt_note(pa, n, true);
	return true;
undo:
	/* the first i granules are ours: nobody else can have moved them */
	for (uint64_t j = 0; j < i; j++)
		__atomic_store_n(s + j, (uint8_t)from, __ATOMIC_RELEASE);
	/* read, all of them: what the run met decided the answer */
	gt_note(pa, n, false);
	return false;
}
