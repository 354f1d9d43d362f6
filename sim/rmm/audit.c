// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: introspection for tests, the leak audit and the
 * benchmarks. These read the model's state; call them while no RMI call is
 * in flight.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmib_util.h"
#include "rmm_internal.h"

/*
 * The granule table is mostly 0 (UNDELEGATED): the scans below skip each
 * 4 KiB block of it that is all 0 with one memcmp.
 */
#define GT_BLOCK	4096u
static const uint8_t zero_block[GT_BLOCK];

static inline bool gt_block_zero(const uint8_t *b)
{
	return !memcmp(b, zero_block, GT_BLOCK);
}

enum rmi_granule_state rmm_granule_state(struct rmm *m, uint64_t pa)
{
	if (!gt_valid(&m->gt, pa))
		return RMI_GRANULE_UNDELEGATED;
	return (enum rmi_granule_state)gt_get(&m->gt, pa);
}

#define WORD_OF(v)	(0x0101010101010101ull * (uint8_t)(v))

/*
 * The granules not UNDELEGATED, in order: @fn for each, except that with
 * @delegated an aligned run of eight DELEGATED granules only adds 8 to
 * it (most of a table a host filled by delegating is such runs).
 */
static void gt_scan(struct rmm *m,
		    void (*fn)(void *ctx, uint64_t pa,
			       enum rmi_granule_state st),
		    void *ctx, uint64_t *delegated)
{
	for (uint64_t c = 0; c < m->gt.nchunks; c++) {
		const uint8_t *b = m->gt.chunks[c];

		if (!b)
			continue;
		for (uint64_t g0 = 0; g0 < GT_CHUNK_GRANULES; g0 += GT_BLOCK) {
			if (gt_block_zero(b + g0))
				continue;
			for (uint64_t g = g0; g < g0 + GT_BLOCK; g += 8) {
				uint64_t w;

				memcpy(&w, b + g, sizeof(w));
				if (!w)
					continue;
				if (delegated &&
				    w == WORD_OF(RMI_GRANULE_DELEGATED)) {
					*delegated += 8;
					continue;
				}
				for (uint64_t k = g; k < g + 8; k++)
					if (b[k])
						fn(ctx, (c << GT_CHUNK_SHIFT) |
						   (k << 12),
						   (enum rmi_granule_state)b[k]);
			}
		}
	}
}

void rmm_for_each_granule(struct rmm *m,
			  void (*fn)(void *ctx, uint64_t pa,
				     enum rmi_granule_state st),
			  void *ctx)
{
	gt_scan(m, fn, ctx, NULL);
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

static void count_one(void *ctx, uint64_t pa, enum rmi_granule_state st)
{
	uint64_t *granules = ctx;

	(void)pa;
	if (st < RMI_GRANULE_STATE_COUNT)
		granules[st]++;
}

void rmm_get_stats(struct rmm *m, struct rmm_stats *st)
{
	struct pool_stats ps;
	uint64_t rtt_bytes_live = 0;

	memset(st, 0, sizeof(*st));
	gt_scan(m, count_one, st->granules,
		&st->granules[RMI_GRANULE_DELEGATED]);
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
			  m->nns * sizeof(struct ns_block) + mem_bytes(m);
}

/* ---- invariants ------------------------------------------------------------ */

struct refs {
	struct rmm *m;
	uint8_t **chunks;	/* references per granule, like the table */
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
	unsigned int why = mem_delegable(rf->m, pa);

	/* out of the normal world only where memory may change PAS */
	if (why != RMI_SUCCESS)
		fail(rf, "granule %#llx is not UNDELEGATED where a "
		     "delegate answers status %llu (no FINE tracking or "
		     "level-1 GPT)", (unsigned long long)pa, why);
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

	rf.chunks = calloc(m->gt.nchunks, sizeof(*rf.chunks));
	if (!rf.chunks)
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
	/* DELEGATED granules need no check: skip them by the eight */
	if (!rf.bad)
		gt_scan(m, scan_one, &sc, &(uint64_t){ 0 });
	if (!rf.bad && (sc.rd != realms || sc.rec != recs))
		fail(&rf, "RD/REC granules (%llu) do not match realms/RECs (%llu)",
		     sc.rd + sc.rec, realms + recs);
	for (uint64_t c = 0; c < m->gt.nchunks; c++)
		free(rf.chunks[c]);
	free(rf.chunks);
	return rf.bad ? -1 : 0;
}

/* ---- a hash of the state ------------------------------------------------------ */

static uint64_t hkey(uint64_t a, uint64_t b)
{
	return rmib_mix64(rmib_mix64(a) ^ b);
}

/* The entries of @t and the tables under it, each keyed by IPA and level. */
static uint64_t rtt_hash(const struct rtt *t, uint64_t ipa0)
{
	uint64_t size = RMI_LEVEL_SIZE(t->level);
	uint64_t h = hkey(t->pa, (uint64_t)t->level);

	for (int i = 0; i < RMI_RTT_ENTRIES; i++) {
		uint64_t e = t->e[i], key = (ipa0 + i * size) | (uint64_t)t->level;

		if (!e)
			continue;
		if (E_STATE(e) == RMI_ENTRY_TABLE)
			h += hkey(key, rtt_hash(E_TABLE(e), ipa0 + i * size));
		else
			h += hkey(key, e);
	}
	return h;
}

uint64_t rmm_state_hash(struct rmm *m)
{
	uint64_t h = hkey(__atomic_load_n(&m->activated, __ATOMIC_ACQUIRE), 1);

	/* granules: a block of 4096 folded eight at a time, keyed by its
	 * position */
	for (uint64_t c = 0; c < m->gt.nchunks; c++) {
		const uint8_t *b = m->gt.chunks[c];

		if (!b)
			continue;
		for (uint64_t g0 = 0; g0 < GT_CHUNK_GRANULES; g0 += GT_BLOCK) {
			uint64_t acc = 0;

			if (gt_block_zero(b + g0))
				continue;
			for (uint64_t g = g0; g < g0 + GT_BLOCK; g += 8) {
				uint64_t w;

				memcpy(&w, b + g, sizeof(w));
				acc = (acc ^ w) * 0x100000001b3ull + g;
			}
			h += hkey((c << GT_CHUNK_SHIFT) | (g0 << 12), acc);
		}
	}
	/* realms and RECs in whatever slots they sit */
	for (int i = 0; i < RMM_MAX_REALMS; i++) {
		const struct realm *r = m->realms[i];
		uint64_t rh;

		if (!r || r->state == REALM_GONE)
			continue;
		rh = hkey(r->rd, (uint64_t)r->state | (uint64_t)r->s2sz << 8 |
			  (uint64_t)(r->start_level & 0xff) << 16 |
			  (uint64_t)r->nroot << 24 | (uint64_t)r->recs << 32);
		rh = hkey(rh, r->rtt_base);
		for (unsigned int j = 0; j < r->nroot; j++)
			rh += rtt_hash(r->root[j], j * RMI_LEVEL_SIZE(r->start_level) *
					       RMI_RTT_ENTRIES);
		h += hkey(rh, 2);
	}
	for (int i = 0; i < RMM_MAX_RECS; i++) {
		const struct rec *c = m->recs[i];

		if (c)
			h += hkey(hkey(c->pa, c->realm->rd),
				  hkey(c->ripas_base, hkey(c->ripas_top,
							   c->ripas_value)));
	}
	/* the NS memory the RMM reads and writes */
	for (size_t i = 0; i < m->nns; i++) {
		const struct ns_block *b = m->ns[i];
		uint64_t bh = hkey(b->pa, b->len);

		for (size_t k = 0; k < b->len; k += 8) {
			uint64_t w = 0;

			memcpy(&w, b->bytes + k, b->len - k < 8 ? b->len - k : 8);
			bh = hkey(bh, w);
		}
		h += hkey(bh, 3);
	}
	return h;
}
