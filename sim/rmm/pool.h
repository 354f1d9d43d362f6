/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench RMM model: the page pool the RTTs live in.
 *
 * An RTT is a 64-byte header (a slot) and a 4 KiB page of 512 entries. The
 * pool maps large anonymous chunks without reserving them: a page that was
 * never written reads as zero and costs no resident memory, so a table
 * whose entries are all 0 ("UNASSIGNED, RIPAS EMPTY") costs only its
 * header.
 *
 * A chunk is aligned to its size. Its first POOL_HDR_PAGES pages hold the
 * slots, one for each page of the chunk, page n's at about byte n * 64
 * (below); the other pages are the ones handed out (the slots of the slot
 * pages are never used). A page and its slot find each other by arithmetic
 * (pool_slot_of, pool_page_of): the walk goes from a table's header to its
 * entries without a load.
 *
 * A page given back goes to the clean list if all its bytes are 0 (reading
 * a page never written does not make it resident), else to the dirty list.
 * A page asked for all 0 comes, in order, from the clean list, from the
 * chunk's pages never handed out, or from the dirty list (then it is
 * zeroed); a page the caller fills itself comes from the dirty list (already
 * resident), the clean list, then the never-used pages. A new chunk is
 * mapped only when no free page is left. Everything is unmapped with the
 * pool.
 *
 * Thread safe: one mutex around the lists, held for a few loads and stores
 * (zeroing a page and checking one for zero happen outside it).
 */
#ifndef RMIBENCH_POOL_H
#define RMIBENCH_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POOL_PAGE_SIZE		4096u
#define POOL_SLOT_SIZE		64u
#define POOL_SLOT_SHIFT		6	/* page size / slot size, log2 */
#define POOL_CHUNK_SHIFT	25	/* 32 MiB of address space a chunk */
#define POOL_CHUNK_BYTES	((size_t)1 << POOL_CHUNK_SHIFT)
#define POOL_CHUNK_PAGES	(POOL_CHUNK_BYTES / POOL_PAGE_SIZE)
#define POOL_HDR_PAGES		(POOL_CHUNK_PAGES >> POOL_SLOT_SHIFT)

/* Free pages, by address; kept outside the pages, which stay untouched. */
struct pool_stack {
	void **v;
	size_t n, cap;
};

struct rtt_pool {
	pthread_mutex_t lock;
	void **chunks;
	size_t nchunks, cap_chunks;
	char *fresh;			/* next page never handed out */
	size_t nfresh;			/* such pages left in the chunk */
	struct pool_stack clean, dirty;
};

struct pool_stats {
	uint64_t clean;			/* free pages, all 0 */
	uint64_t dirty;			/* free pages, written */
	uint64_t fresh;			/* never handed out, in mapped chunks */
	uint64_t chunks;		/* chunks mapped */
};

void pool_init(struct rtt_pool *p);
/* Unmaps every chunk: every page and slot handed out is gone. */
void pool_fini(struct rtt_pool *p);

/*
 * A page: 4 KiB, 4 KiB aligned, its slot at pool_slot_of(). With @zero it
 * reads all 0; else its content is anything and the caller writes all of
 * it. Aborts when out of memory.
 */
void *pool_get(struct rtt_pool *p, bool zero);

/* Gives back a page (its slot goes with it). */
void pool_put(struct rtt_pool *p, void *page);

/*
 * Page n of a chunk has its slot at byte n * 64 with bit 11 flipped. The
 * first tables made (the root and upper levels, the hottest) then have
 * their headers in the other half of the L1 cache sets from entries 0..255
 * of every page, which the upper levels use most; without the flip the
 * walk measured about 2 ns slower a call.
 */
#define POOL_SLOT_FLIP		2048u

/* The slot of @page, 64 bytes, 64-byte aligned. */
static inline void *pool_slot_of(const void *page)
{
	uintptr_t a = (uintptr_t)page, c = a & ~(POOL_CHUNK_BYTES - 1);

	return (void *)(c + (((a - c) >> POOL_SLOT_SHIFT) ^ POOL_SLOT_FLIP));
}

/* The page whose slot is @slot. */
static inline void *pool_page_of(const void *slot)
{
	uintptr_t a = (uintptr_t)slot, c = a & ~(POOL_CHUNK_BYTES - 1);

	return (void *)(c + (((a - c) ^ POOL_SLOT_FLIP) << POOL_SLOT_SHIFT));
}

/* All 4096 bytes of @page are 0. */
bool pool_page_zero(const void *page);

void pool_get_stats(struct rtt_pool *p, struct pool_stats *st);

#endif /* RMIBENCH_POOL_H */
