// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: what the commands look up. New RTTs, the walk that
 * locks RTTs hand over hand from the root, and realms and RECs by their
 * granules.
 */
#include "rmm_internal.h"

struct rtt *rtt_new(struct rmm *m, int level, uint64_t pa, bool zero)
{
	uint64_t *e = pool_get(&m->pool, zero);
	struct rtt *t = pool_slot_of(e);

	t->lock = 0;
	t->level = level;
	t->e = e;
	t->pa = pa;
	return t;
}

void rtt_free(struct rmm *m, struct rtt *t)
{
	pool_put(&m->pool, t->e);
}

/*
 * Walk from the root towards @target for @ipa (which must lie in the IPA
 * space), locking hand over hand. Stops early at the first entry that is
 * not a TABLE. Returns the locked table; *@level is the level of the entry
 * for @ipa inside it. The tables passed through are read; the one
 * returned is noted as written if @write (the footprint, rmm.h).
 */
static struct rtt *walk_(struct realm *r, uint64_t ipa, int target,
			 int *level, bool write)
{
	int l = r->start_level;
	struct rtt *t = r->root[ipa >> (LSHIFT(l) + 9)];
	const uint64_t *te = rtt_entries(t);

	rtt_lock(t);
	while (l < target) {
		uint64_t e = te[idx_of(ipa, l)];
		const uint64_t *ce;
		struct rtt *c;

		if (E_STATE(e) != RMI_ENTRY_TABLE)
			break;
		c = E_TABLE(e);
		/* by arithmetic, not a load: off the lock's path */
		ce = rtt_entries(c);
		rtt_lock(c);
		rtt_unlock(t);
		rtt_note(t, false);
		t = c;
		te = ce;
		l++;
	}
	rtt_note(t, write);
	*level = l;
	return t;
}

struct rtt *walk(struct realm *r, uint64_t ipa, int target, int *level)
{
	return walk_(r, ipa, target, level, true);
}

struct rtt *walk_read(struct realm *r, uint64_t ipa, int target, int *level)
{
	return walk_(r, ipa, target, level, false);
}

struct realm *realm_get(struct rmm *m, uint64_t rd)
{
	if (!gt_valid(&m->gt, rd) || gt_get(&m->gt, rd) != RMI_GRANULE_RD)
		return NULL;
	for (int i = 0; i < RMM_MAX_REALMS; i++) {
		struct realm *r = __atomic_load_n(&m->realms[i],
						  __ATOMIC_ACQUIRE);

		if (r && r->rd == rd &&
		    __atomic_load_n(&r->state, __ATOMIC_ACQUIRE) != REALM_GONE)
			return r;
	}
	return NULL;
}

struct rec *rec_get(struct rmm *m, uint64_t pa)
{
	if (!gt_valid(&m->gt, pa) || gt_get(&m->gt, pa) != RMI_GRANULE_REC)
		return NULL;
	for (int i = 0; i < RMM_MAX_RECS; i++) {
		struct rec *c = __atomic_load_n(&m->recs[i], __ATOMIC_ACQUIRE);

		if (c && c->pa == pa)
			return c;
	}
	return NULL;
}
