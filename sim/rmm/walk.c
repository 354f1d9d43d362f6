// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: what the commands look up. New RTTs, the walk that
 * locks RTTs hand over hand from the root, and realms and RECs by their
 * granules.
 */
#include "rmm_internal.h"

struct rtt *rtt_new(struct rmm *m, const struct realm *r, int level,
		    uint64_t base, uint64_t pa, bool zero)
{
	uint64_t *e = pool_get(&m->pool, zero);
	struct rtt *t = pool_slot_of(e);

	/*
	 * Taken, not set: a walk's cache may still hold this slot from the
	 * table it was before and lock it to check it (it then finds uid 0,
	 * or this table's place once it is linked and unlocked).
	 */
	rtt_lock(t);
	t->level = level;
	t->e = e;
	t->pa = pa;
	t->base = base;
	t->uid = r->uid;
	return t;
}

void rtt_free(struct rmm *m, struct rtt *t)
{
	rtt_lock(t);
	rtt_unlinked(t);
	rtt_unlock(t);
	pool_put(&m->pool, t->e);
}

uint32_t realm_new_uid(void)
{
	static uint32_t last;
	uint32_t uid;

	do
		uid = __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
	while (!uid);
	return uid;
}

/*
 * Each thread (a CPU the RMM runs on) remembers the table its last walk
 * ended at. The next walk for an IPA that table covers, towards its level
 * or deeper, locks it alone and checks that it is still that realm's
 * table at that place (uid and base, see struct rtt): if so the walk from
 * the root would have come to it, with the same locks on the way taken and
 * let go, and the walk goes on from there. A table unlinked since fails
 * the check under its lock, and the walk starts from the root. The
 * result is the same table either way; only the locks taken differ.
 */
__thread struct walk_cache rmm_wcache;

static struct rtt *walk_down(struct rtt *t, int l, uint64_t ipa, int target,
			     int *level)
{
	const uint64_t *te = rtt_entries(t);

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
	*level = l;
	return t;
}

/*
 * Walk from the root towards @target for @ipa (which must lie in the IPA
 * space), locking hand over hand. Stops early at the first entry that is
 * not a TABLE. Returns the locked table; *@level is the level of the entry
 * for @ipa inside it. The tables passed through are read; the one
 * returned is noted as written if @write (the footprint, rmm.h). A walk
 * that starts at the remembered table notes no table above it: whatever
 * changes the path to it writes that table too (unlinks, folds). walk_()
 * (rmm_internal.h) has taken the remembered table at @target itself when
 * it could; this is every other walk.
 */
struct rtt *walk_slow(struct realm *r, uint64_t ipa, int target, int *level,
		      bool write)
{
	struct walk_cache *c = &rmm_wcache;
	int l = r->start_level;
	struct rtt *t, *from = NULL;

	if (c->uid == r->uid && ipa - c->base < c->span && c->level <= target) {
		from = c->t;
		rtt_lock(from);
		if (from->uid == r->uid && from->base == c->base &&
		    from->level == c->level) {
			l = c->level;
		} else {
			rtt_unlock(from);
			from = NULL;
		}
	}
	if (!from) {
		from = r->root[ipa >> (LSHIFT(l) + 9)];
		rtt_lock(from);
	}
	t = walk_down(from, l, ipa, target, level);
	rtt_note(t, write);
	if (t == from && l == c->level && t == c->t && c->uid == r->uid)
		return t;	/* remembered already */
	c->uid = r->uid;
	c->t = t;
	c->level = *level;
	c->span = LSIZE(*level) * RMI_RTT_ENTRIES;
	c->base = ipa & ~(c->span - 1);
	return t;
}

/* realm_get() past its first slot: from slot @from on */
struct realm *realm_get_from(struct rmm *m, uint64_t rd, int from)
{
	for (int i = from; i < RMM_MAX_REALMS; i++) {
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
