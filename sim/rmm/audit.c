// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: introspection for tests, the leak audit and the
 * benchmarks. These read the model's state; call them while no RMI call is
 * in flight.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rmm_internal.h"

enum rmi_granule_state rmm_granule_state(struct rmm *m, uint64_t pa)
{
	if (!gt_valid(&m->gt, pa))
		return RMI_GRANULE_UNDELEGATED;
	return (enum rmi_granule_state)gt_get(&m->gt, pa);
}

/*
 * Calls @fn(@ctx, chunk index, its granules) for each allocated chunk, in
 * increasing order: the listed ones, or all if there are too many.
 */
static void for_each_chunk(const struct granule_table *gt,
			   void (*fn)(void *ctx, uint64_t c, const uint8_t *b),
			   void *ctx)
{
	static _Thread_local uint32_t used[GT_USED_MAX];
	int n = gt_chunks_used(gt, used);

	if (n < 0) {
		for (uint64_t c = 0; c < gt->nchunks; c++)
			if (gt->chunks[c])
				fn(ctx, c, gt->chunks[c]);
		return;
	}
	for (int i = 0; i < n; i++)
		fn(ctx, used[i], gt->chunks[used[i]]);
}

/* The next granule from @g of @b that is not 0 (UNDELEGATED), or the end:
 * eight at a time over the zeros. */
static uint64_t next_set(const uint8_t *b, uint64_t g)
{
	while (g < GT_CHUNK_GRANULES) {
		uint64_t w;

		if (!(g & 7) && g + 8 <= GT_CHUNK_GRANULES) {
			memcpy(&w, b + g, 8);
			if (!w) {
				g += 8;
				continue;
			}
		}
		if (b[g])
			return g;
		g++;
	}
	return g;
}

struct each {
	void (*fn)(void *ctx, uint64_t pa, enum rmi_granule_state st);
	void *ctx;
};

static void each_chunk(void *ctx, uint64_t c, const uint8_t *b)
{
	struct each *e = ctx;

	for (uint64_t g = next_set(b, 0); g < GT_CHUNK_GRANULES;
	     g = next_set(b, g + 1))
		e->fn(e->ctx, (c << GT_CHUNK_SHIFT) | (g << 12),
		      (enum rmi_granule_state)b[g]);
}

void rmm_for_each_granule(struct rmm *m,
			  void (*fn)(void *ctx, uint64_t pa,
				     enum rmi_granule_state st),
			  void *ctx)
{
	struct each e = { fn, ctx };

	for_each_chunk(&m->gt, each_chunk, &e);
}

static void count_chunk(void *ctx, uint64_t c, const uint8_t *b)
{
	struct rmm_stats *st = ctx;

	(void)c;
	for (uint64_t g = next_set(b, 0); g < GT_CHUNK_GRANULES;
	     g = next_set(b, g + 1))
		if (b[g] < RMI_GRANULE_STATE_COUNT)
			st->granules[b[g]]++;
}

static unsigned int live_realms(struct rmm *m)
{
	unsigned int n = 0;

	for (int i = 0; i < RMM_MAX_REALMS; i++)
		if (m->realms[i] && m->realms[i]->state != REALM_GONE)
			n++;
	return n;
}

/*
 * The bytes of @t and the tables under it: each one's header, and its
 * entries page unless all the entries are 0 (a page of the pool that was
 * never written is not resident).
 */
static uint64_t rtt_bytes(const struct rtt *t)
{
	uint64_t n = sizeof(*t);

	if (!pool_page_zero(t->e))
		n += RMI_GRANULE_SIZE;
	if (t->level == RMI_RTT_LAST_LEVEL)
		return n;
	for (int i = 0; i < RMI_RTT_ENTRIES; i++)
		if (E_STATE(t->e[i]) == RMI_ENTRY_TABLE)
			n += rtt_bytes(E_TABLE(t->e[i]));
	return n;
}

void rmm_get_stats(struct rmm *m, struct rmm_stats *st)
{
	struct pool_stats ps;
	uint64_t rtt_bytes_live = 0;

	memset(st, 0, sizeof(*st));
	for_each_chunk(&m->gt, count_chunk, st);
	for (int i = 0; i < RMM_MAX_REALMS; i++) {
		const struct realm *r = m->realms[i];

		if (!r || r->state == REALM_GONE)
			continue;
		for (unsigned int j = 0; j < r->nroot; j++)
			rtt_bytes_live += rtt_bytes(r->root[j]);
	}
	pool_get_stats(&m->pool, &ps);
	st->rtt_pages_clean = ps.clean;
	st->rtt_pages_dirty = ps.dirty;
	st->rtt_pages_fresh = ps.fresh;
	st->rtts_live = m->rtts_live;
	st->rtts_created = m->rtts_created;
	st->rtts_freed = m->rtts_freed;
	st->realms = live_realms(m);
	st->model_bytes = sizeof(*m) + m->gt.nchunks * sizeof(uint8_t *) +
			  m->gt.allocated * GT_CHUNK_GRANULES +
			  rtt_bytes_live +
			  st->realms * sizeof(struct realm) +
			  m->nns * sizeof(struct ns_block);
}

/* ---- invariants ------------------------------------------------------------ */

struct refs {
	struct rmm *m;
	uint8_t **chunks;	/* references per granule, like the table */
	uint32_t used[64];	/* the chunks allocated there, the first */
	unsigned int nused;	/* (past 64: all are scanned to free) */
	uint64_t tables;
	char *why;
	size_t len;
	int bad;
};

static void fail(struct refs *rf, const char *fmt, unsigned long long a,
		 unsigned long long b)
{
	if (!rf->bad)
		snprintf(rf->why, rf->len, fmt, a, b);
	rf->bad = 1;
}

static void ref(struct refs *rf, uint64_t pa)
{
	uint64_t c = pa >> GT_CHUNK_SHIFT;

	if (!rf->chunks[c]) {
		rf->chunks[c] = calloc(GT_CHUNK_GRANULES, 1);
		if (!rf->chunks[c])
			abort();
		if (rf->nused < 64)
			rf->used[rf->nused] = (uint32_t)c;
		rf->nused++;
	}
	if (rf->chunks[c][(pa >> 12) & (GT_CHUNK_GRANULES - 1)]++)
		fail(rf, "granule %#llx referenced twice (%llu)",
		     (unsigned long long)pa, 0);
}

static void check_rtt(struct refs *rf, const struct realm *r,
		      const struct rtt *t, uint64_t ipa0)
{
	struct granule_table *gt = &rf->m->gt;
	uint64_t size = RMI_LEVEL_SIZE(t->level);

	if (gt_get(gt, t->pa) != RMI_GRANULE_RTT)
		fail(rf, "RTT at %#llx is in granule state %llu",
		     (unsigned long long)t->pa, gt_get(gt, t->pa));
	ref(rf, t->pa);
	if (t->e != rtt_entries(t))
		fail(rf, "RTT at %#llx: entries at %#llx, not its slot's page",
		     (unsigned long long)t->pa,
		     (unsigned long long)(uintptr_t)t->e);
	for (int i = 0; i < RMI_RTT_ENTRIES && !rf->bad; i++) {
		uint64_t e = t->e[i], ipa = ipa0 + i * size;
		bool prot = ipa < (1ull << (r->s2sz - 1));

		switch (E_STATE(e)) {
		case RMI_ENTRY_TABLE: {
			const struct rtt *c = E_TABLE(e);

			if (c->level != t->level + 1 ||
			    c->level > RMI_RTT_LAST_LEVEL)
				fail(rf, "RTT level %llu under level %llu",
				     (unsigned long long)c->level,
				     (unsigned long long)t->level);
			rf->tables++;
			check_rtt(rf, r, c, ipa);
			break;
		}
		case RMI_ENTRY_ASSIGNED:
			if (t->level < RMI_RTT_MIN_BLOCK_LEVEL ||
			    (E_PA(e) & (size - 1)))
				fail(rf, "bad block at IPA %#llx level %llu",
				     (unsigned long long)ipa,
				     (unsigned long long)t->level);
			if (!prot)
				break;
			for (uint64_t pa = E_PA(e); pa < E_PA(e) + size &&
			     !rf->bad; pa += RMI_GRANULE_SIZE) {
				if (gt_get(gt, pa) != RMI_GRANULE_DATA)
					fail(rf, "mapped granule %#llx is not "
					     "DATA (%llu)",
					     (unsigned long long)pa,
					     gt_get(gt, pa));
				ref(rf, pa);
			}
			break;
		case RMI_ENTRY_UNASSIGNED:
			if (E_PA(e) || (!prot && (e & ~7ull)))
				fail(rf, "unassigned entry at %#llx holds %#llx",
				     (unsigned long long)ipa,
				     (unsigned long long)e);
			break;
		default:
			fail(rf, "entry state %llu at IPA %#llx",
			     E_STATE(e), (unsigned long long)ipa);
		}
	}
}

struct scan {
	struct refs *rf;
	uint64_t rd, rec;
};

static void scan_one(void *ctx, uint64_t pa, enum rmi_granule_state st)
{
	struct scan *sc = ctx;
	struct refs *rf = sc->rf;
	const uint8_t *c = rf->chunks[pa >> GT_CHUNK_SHIFT];
	unsigned int n = c ? c[(pa >> 12) & (GT_CHUNK_GRANULES - 1)] : 0;

	switch (st) {
	case RMI_GRANULE_DATA:
	case RMI_GRANULE_RTT:
		if (n != 1)
			fail(rf, "granule %#llx (state %llu) is not in exactly "
			     "one RTT tree", (unsigned long long)pa, st);
		break;
	case RMI_GRANULE_RD:
		sc->rd++;
		break;
	case RMI_GRANULE_REC:
		sc->rec++;
		break;
	case RMI_GRANULE_DELEGATED:
		break;
	default:
		fail(rf, "granule %#llx in state %llu", (unsigned long long)pa,
		     st);
	}
}

int rmm_check(struct rmm *m, char *why, size_t len)
{
	struct refs rf = { .m = m, .why = why, .len = len };
	struct scan sc = { .rf = &rf };
	uint64_t realms = 0, recs = 0;

	/* as the table's own: zero pages until touched */
	rf.chunks = mmap(NULL, m->gt.nchunks * sizeof(*rf.chunks),
			 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (rf.chunks == MAP_FAILED)
		abort();
	for (int i = 0; i < RMM_MAX_REALMS && !rf.bad; i++) {
		const struct realm *r = m->realms[i];

		if (!r || r->state == REALM_GONE)
			continue;
		realms++;
		if (gt_get(&m->gt, r->rd) != RMI_GRANULE_RD)
			fail(&rf, "realm RD %#llx in granule state %llu",
			     (unsigned long long)r->rd, gt_get(&m->gt, r->rd));
		for (unsigned int j = 0; j < r->nroot && !rf.bad; j++) {
			uint64_t span = RMI_LEVEL_SIZE(r->start_level) *
					RMI_RTT_ENTRIES;

			if (r->root[j]->level != r->start_level)
				fail(&rf, "root RTT %llu at level %llu", j,
				     (unsigned long long)r->root[j]->level);
			check_rtt(&rf, r, r->root[j], j * span);
		}
	}
	for (int i = 0; i < RMM_MAX_RECS; i++)
		if (m->recs[i])
			recs++;
	if (!rf.bad && rf.tables != m->rtts_live)
		fail(&rf, "%llu non-root RTTs in the trees, %llu counted",
		     rf.tables, m->rtts_live);
	if (!rf.bad)
		rmm_for_each_granule(m, scan_one, &sc);
	if (!rf.bad && (sc.rd != realms || sc.rec != recs))
		fail(&rf, "RD/REC granules (%llu) do not match realms/RECs (%llu)",
		     sc.rd + sc.rec, realms + recs);
	if (rf.nused <= 64)
		for (unsigned int i = 0; i < rf.nused; i++)
			free(rf.chunks[rf.used[i]]);
	else
		for (uint64_t c = 0; c < m->gt.nchunks; c++)
			free(rf.chunks[c]);
	munmap(rf.chunks, m->gt.nchunks * sizeof(*rf.chunks));
	return rf.bad ? -1 : 0;
}
