// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the RTT structure commands: RTT_CREATE, RTT_DESTROY,
 * RTT_FOLD and RTT_READ_ENTRY.
 */
#include "rmm_internal.h"

/* ---- commands: RTT create / destroy / fold / read [f2, f7, f9] -------------- */

/* Common argument checks of RTT_CREATE, RTT_DESTROY and RTT_FOLD. */
static struct realm *rtt_args(struct rmm *m, uint64_t rd, uint64_t ipa,
			      uint64_t level)
{
	struct realm *r = realm_get(m, rd);

	if (!r || (int64_t)level <= r->start_level ||
	    level > RMI_RTT_LAST_LEVEL || ipa >= ipa_space(r) ||
	    (ipa & (LSIZE((int)level - 1) - 1)))
		return NULL;
	return r;
}

void cmd_rtt_create(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	uint64_t rtt = x[2], ipa = x[3];
	int level = (int)x[4], wl;
	struct realm *r = rtt_args(m, x[1], ipa, x[4]);
	struct rtt *t, *nt;
	uint64_t e, step, base;
	unsigned int i;

	if (!r || !gt_valid(&m->gt, rtt) ||
	    gt_get(&m->gt, rtt) != RMI_GRANULE_DELEGATED) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	t = walk(r, ipa, level - 1, &wl);
	if (wl < level - 1) {
		ret_status(o, RMI_ERROR_RTT, (unsigned int)wl);
		goto out;
	}
	i = idx_of(ipa, level - 1);
	e = t->e[i];
	if (E_STATE(e) == RMI_ENTRY_TABLE) {
		ret_status(o, RMI_ERROR_RTT, (unsigned int)(level - 1));
		goto out;
	}
	if (!gt_cas(&m->gt, rtt, RMI_GRANULE_DELEGATED, RMI_GRANULE_RTT)) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		goto out;
	}
	base = ipa & ~(LSIZE(level - 1) - 1);
	if (E_STATE(e) == RMI_ENTRY_ASSIGNED) {
		/* unfold [f2, f9.11]: the block's pages, with its attributes */
		nt = rtt_new(m, r, level, base, rtt, false);
		step = LSIZE(level);
		for (int j = 0; j < RMI_RTT_ENTRIES; j++)
			nt->e[j] = (E_PA(e) + j * step) | E_LEAF_ATTRS(e) |
				   RMI_ENTRY_ASSIGNED;
	} else if (!e) {
		/* UNASSIGNED, RIPAS EMPTY (or NS): a zero page, no writes */
		nt = rtt_new(m, r, level, base, rtt, true);
	} else {
		nt = rtt_new(m, r, level, base, rtt, false);
		for (int j = 0; j < RMI_RTT_ENTRIES; j++)
			nt->e[j] = e;
	}
	t->e[i] = (uint64_t)(uintptr_t)nt | RMI_ENTRY_TABLE;
	rtt_unlock(nt);
	__atomic_fetch_add(&m->rtts_live, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->rtts_created, 1, __ATOMIC_RELAXED);
	ret_status(o, RMI_SUCCESS, 0);
out:
	rtt_unlock(t);
}

/* A live entry [f7, f9.9]: a table, or a mapping. */
static inline bool entry_live(uint64_t e)
{
	unsigned int st = E_STATE(e);

	return st == RMI_ENTRY_ASSIGNED || st == RMI_ENTRY_TABLE ||
	       st == RMI_ENTRY_ASSIGNED_DEV;
}

/*
 * A live RTT holds a live entry [f7]. In the unprotected half the
 * implementation does not count NS mappings, they go with the RTT
 * [f11.4]: only a table does; the draft counts them (profile spec).
 */
static bool rtt_is_live(const struct rmm *m, const struct rtt *c, bool ns)
{
	bool tables_only = ns && !m->prof.ns_mappings_live;

	for (int j = 0; j < RMI_RTT_ENTRIES; j++) {
		uint64_t e = c->e[j];

		if (tables_only ? E_STATE(e) == RMI_ENTRY_TABLE :
				  entry_live(e))
			return true;
	}
	return false;
}

/*
 * RTT_DESTROY's x2 from entry @i of @t, which covers @ipa and is not
 * live [f9.9]. tf-rmm: the IPA of the next live entry of @t after it, or
 * the end of @t's span (an L3's parent spans 1 GiB, an L1's level-0 root
 * 2^48). spec: the end of the entry.
 */
static uint64_t destroy_top(const struct rmm *m, const struct rtt *t,
			    unsigned int i, uint64_t ipa)
{
	uint64_t size = LSIZE(t->level), a = (ipa & ~(size - 1)) + size;

	if (m->prof.destroy_top == RMM_DESTROY_TOP_ENTRY)
		return a;
	while (++i < RMI_RTT_ENTRIES && !entry_live(t->e[i]))
		a += size;
	return a;
}

/*
 * Unlink child @c of @t's entry @i, which now reads @parent_e; both locked,
 * @c unlocked on return. Nobody can reach @c any more: the caller gives it
 * to rtt_free() once it has unlocked @t.
 */
static void rtt_remove(struct rmm *m, struct rtt *t, unsigned int i,
		       struct rtt *c, uint64_t parent_e)
{
	t->e[i] = parent_e;
	rtt_unlinked(c);
	rtt_unlock(c);
	gt_cas(&m->gt, c->pa, RMI_GRANULE_RTT, RMI_GRANULE_DELEGATED);
	__atomic_fetch_sub(&m->rtts_live, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->rtts_freed, 1, __ATOMIC_RELAXED);
}

/*
 * Walk to the RTT of @level that covers @ipa and lock it and its parent
 * *@t (entry *@i). Returns the child; or NULL with only *@t locked: the
 * table where the walk stopped, at level *@wl, and the entry *@i it
 * found there, *@e.
 */
static struct rtt *lock_rtt_and_parent(struct realm *r, uint64_t ipa,
				       int level, struct rtt **t,
				       unsigned int *i, int *wl, uint64_t *e)
{
	struct rtt *c;

	*t = walk(r, ipa, level - 1, wl);
	*i = idx_of(ipa, *wl);
	*e = (*t)->e[*i];
	if (*wl < level - 1 || E_STATE(*e) != RMI_ENTRY_TABLE)
		return NULL;
	c = E_TABLE(*e);
	rtt_lock(c);
	rtt_note(c, true);
	return c;
}

void cmd_rtt_destroy(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	uint64_t ipa = x[2], e;
	int level = (int)x[3], wl;
	struct realm *r = rtt_args(m, x[1], ipa, x[3]);
	struct rtt *t, *c;
	unsigned int i;

	if (!r) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	c = lock_rtt_and_parent(r, ipa, level, &t, &i, &wl, &e);
	if (!c) {
		/*
		 * Nothing to destroy: from an unassigned entry where the walk
		 * stopped, x2 as after a destroy; a block is live, so the
		 * non-live region is empty [f9.9].
		 */
		o->x2 = E_STATE(e) == RMI_ENTRY_UNASSIGNED ?
			destroy_top(m, t, i, ipa) : ipa;
		rtt_unlock(t);
		ret_status(o, RMI_ERROR_RTT, (unsigned int)wl);
		return;
	}
	if (rtt_is_live(m, c, ipa >= prot_top(r))) {
		rtt_unlock(c);
		rtt_unlock(t);
		o->x2 = ipa;
		ret_status(o, RMI_ERROR_RTT, (unsigned int)level);
		return;
	}
	o->x1 = c->pa;
	rtt_remove(m, t, i, c, ipa < prot_top(r) ?
		   e_unassigned(RMI_RIPAS_DESTROYED) : e_unassigned(0));
	o->x2 = destroy_top(m, t, i, ipa);
	rtt_unlock(t);
	rtt_free(m, c);
	ret_status(o, RMI_SUCCESS, 0);
}

/*
 * The entry a homogeneous @c folds into [f7, f9.10]: all UNASSIGNED alike,
 * or all ASSIGNED alike with PAs contiguous from one aligned to the parent
 * block. False when it cannot fold.
 */
static bool fold_entry(const struct rtt *c, uint64_t *out)
{
	uint64_t e0 = c->e[0];
	uint64_t step = LSIZE(c->level);

	switch (E_STATE(e0)) {
	case RMI_ENTRY_UNASSIGNED:
		for (int j = 1; j < RMI_RTT_ENTRIES; j++)
			if (c->e[j] != e0)
				return false;
		*out = e0;
		return true;
	case RMI_ENTRY_ASSIGNED:
		if (E_PA(e0) & (LSIZE(c->level - 1) - 1))
			return false;
		for (int j = 1; j < RMI_RTT_ENTRIES; j++)
			if (c->e[j] != e0 + j * step)
				return false;
		*out = e0;
		return true;
	default:
		return false;
	}
}

void cmd_rtt_fold(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	uint64_t ipa = x[2], fe, e;
	int level = (int)x[3], wl;
	struct realm *r = rtt_args(m, x[1], ipa, x[3]);
	struct rtt *t, *c;
	unsigned int i;

	if (!r) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	c = lock_rtt_and_parent(r, ipa, level, &t, &i, &wl, &e);
	if (!c) {
		rtt_unlock(t);
		ret_status(o, RMI_ERROR_RTT, (unsigned int)wl);
		return;
	}
	/* the block would be at level - 1, which must not be level 0 */
	if (level - 1 < RMI_RTT_MIN_BLOCK_LEVEL || !fold_entry(c, &fe)) {
		rtt_unlock(c);
		rtt_unlock(t);
		ret_status(o, RMI_ERROR_RTT, (unsigned int)level);
		return;
	}
	o->x1 = c->pa;
	rtt_remove(m, t, i, c, fe);
	rtt_unlock(t);
	rtt_free(m, c);
	ret_status(o, RMI_SUCCESS, 0);
}

/*
 * The attribute bits of an unprotected entry's stage-2 descriptor
 * [f11.9]: MemAttr in [5:2]; S2AP in the architecture's order, bit 6 read
 * and bit 7 write, where the map flags have write in bit 0, read in bit 1.
 */
static uint64_t ns_desc_attrs(uint64_t e)
{
	uint64_t a = (uint64_t)E_ATTR(e) << 2;

	if (E_S2AP(e) & RMI_S2AP_READ)
		a |= 1u << 6;
	if (E_S2AP(e) & RMI_S2AP_WRITE)
		a |= 1u << 7;
	return a;
}

void cmd_rtt_read_entry(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	struct realm *r = realm_get(m, x[1]);
	uint64_t ipa = x[2], e;
	int level = (int)x[3], wl;
	struct rtt *t;

	if (!r || (int64_t)x[3] < r->start_level || x[3] > RMI_RTT_LAST_LEVEL ||
	    ipa >= ipa_space(r) || (ipa & (LSIZE(level) - 1))) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	/* [f9.6] never ERROR_RTT: a short walk reports where it stopped */
	t = walk_read(r, ipa, level, &wl);
	e = t->e[idx_of(ipa, wl)];
	rtt_unlock(t);
	o->x1 = (uint64_t)wl;
	o->x2 = E_STATE(e);
	switch (E_STATE(e)) {
	case RMI_ENTRY_TABLE:
		o->x3 = E_TABLE(e)->pa;
		break;
	case RMI_ENTRY_ASSIGNED:
		o->x3 = E_PA(e);
		if (ipa >= prot_top(r))
			o->x3 |= ns_desc_attrs(e);
		break;
	default:
		o->x3 = 0;
	}
	o->x4 = ipa < prot_top(r) ? E_RIPAS(e) : 0;
	ret_status(o, RMI_SUCCESS, 0);
}
