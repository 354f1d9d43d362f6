// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the RMI commands of the stage-2 path.
 *
 * Behaviour follows rmi-facts.md; comments cite its sections as [fN.M].
 * Locking follows an RMM: a granule's state changes by compare-and-swap,
 * RTTs are locked hand over hand from the root down, and nothing global is
 * taken on the map/unmap/create paths, so calls on different parts of the
 * tree run in parallel and racing calls on one granule or entry see one
 * winner and the error the state then implies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rmm_internal.h"

#define LSIZE(l)	RMI_LEVEL_SIZE(l)
#define LSHIFT(l)	RMI_LEVEL_SHIFT(l)

struct out {
	uint64_t x0, x1, x2, x3, x4;
};

static inline void ret_status(struct out *o, unsigned int st, unsigned int idx)
{
	o->x0 = RMI_RETURN(st, idx);
}

/* ---- profiles ------------------------------------------------------------ */

static const struct rmm_profile prof_tf_rmm = {
	.name = "tf-rmm",
	.map_level = RMM_LEVEL_FROM_DESC,
	.remap_same_pa = true,
	.destroy_top = RMM_DESTROY_TOP_PARENT_SPAN,
	.delegate_granules = 1,
};

static const struct rmm_profile prof_spec = {
	.name = "spec",
	.map_level = RMM_LEVEL_FROM_WALK,
	.remap_same_pa = false,
	.destroy_top = RMM_DESTROY_TOP_ENTRY,
	.delegate_granules = 1,
};

const struct rmm_profile *const rmm_profiles[] = {
	&prof_tf_rmm, &prof_spec, NULL,
};

const struct rmm_profile *rmm_profile_find(const char *name)
{
	for (int i = 0; rmm_profiles[i]; i++)
		if (!strcmp(rmm_profiles[i]->name, name))
			return rmm_profiles[i];
	return NULL;
}

/* ---- life of the model ---------------------------------------------------- */

struct rmm *rmm_create(const struct rmm_config *cfg)
{
	struct rmm *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->prof = cfg->profile ? *cfg->profile : prof_tf_rmm;
	m->delegate_granules = cfg->delegate_granules ?
			       cfg->delegate_granules :
			       m->prof.delegate_granules;
	m->lpa2 = cfg->lpa2;
	if (gt_init(&m->gt, cfg->pa_bits ? cfg->pa_bits : 48)) {
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->meta, NULL);
	return m;
}

static void rtt_free_tree(struct rtt *t)
{
	for (int i = 0; i < RMI_RTT_ENTRIES; i++)
		if (E_STATE(t->e[i]) == RMI_ENTRY_TABLE)
			rtt_free_tree(E_TABLE(t->e[i]));
	free(t);
}

void rmm_destroy(struct rmm *m)
{
	if (!m)
		return;
	for (int i = 0; i < RMM_MAX_REALMS; i++) {
		struct realm *r = m->realms[i];

		if (!r)
			continue;
		for (unsigned int j = 0; j < r->nroot; j++)
			if (r->root[j])
				rtt_free_tree(r->root[j]);
		free(r);
	}
	for (int i = 0; i < RMM_MAX_RECS; i++)
		free(m->recs[i]);
	for (size_t i = 0; i < m->nns; i++)
		free(m->ns[i]);
	free(m->ns);
	free(m->inject);
	gt_fini(&m->gt);
	pthread_mutex_destroy(&m->meta);
	free(m);
}

static struct rtt *rtt_new(int level, uint64_t pa)
{
	struct rtt *t = aligned_alloc(64, sizeof(*t));

	if (!t)
		abort();
	t->lock = 0;
	t->level = level;
	t->pa = pa;
	return t;
}

/* ---- NS memory -------------------------------------------------------------- */

static struct ns_block *ns_find(struct rmm *m, uint64_t pa)
{
	for (size_t i = 0; i < m->nns; i++)
		if (m->ns[i]->pa == pa)
			return m->ns[i];
	return NULL;
}

int rmm_ns_write(struct rmm *m, uint64_t pa, const void *buf, size_t len)
{
	struct ns_block *b;

	if ((pa & 0xfff) || len > RMI_GRANULE_SIZE)
		return -1;
	pthread_mutex_lock(&m->meta);
	b = ns_find(m, pa);
	if (!b) {
		if (m->nns == m->cap_ns) {
			size_t cap = m->cap_ns ? 2 * m->cap_ns : 8;
			struct ns_block **n = realloc(m->ns, cap * sizeof(*n));

			if (!n)
				abort();
			m->ns = n;
			m->cap_ns = cap;
		}
		b = calloc(1, sizeof(*b));
		if (!b)
			abort();
		b->pa = pa;
		m->ns[m->nns++] = b;
	}
	memset(b->bytes, 0, sizeof(b->bytes));
	memcpy(b->bytes, buf, len);
	b->len = len;
	pthread_mutex_unlock(&m->meta);
	return 0;
}

/*
 * Read @len bytes the host left in NS memory at @pa. The granule must be
 * NS (UNDELEGATED) and hold a block written by rmm_ns_write().
 */
static bool ns_read(struct rmm *m, uint64_t pa, void *buf, size_t len)
{
	struct ns_block *b;
	bool ok = false;

	if (!gt_valid(&m->gt, pa) ||
	    gt_get(&m->gt, pa) != RMI_GRANULE_UNDELEGATED)
		return false;
	pthread_mutex_lock(&m->meta);
	b = ns_find(m, pa);
	if (b && len <= RMI_GRANULE_SIZE) {
		memcpy(buf, b->bytes, len);
		ok = true;
	}
	pthread_mutex_unlock(&m->meta);
	return ok;
}

/* ---- realms, RECs -------------------------------------------------------- */

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

static inline int realm_state(struct realm *r)
{
	return __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
}

static inline uint64_t ipa_space(const struct realm *r)
{
	return 1ull << r->s2sz;
}

static inline uint64_t prot_top(const struct realm *r)
{
	return 1ull << (r->s2sz - 1);
}

static inline unsigned int idx_of(uint64_t ipa, int level)
{
	return (unsigned int)(ipa >> LSHIFT(level)) & (RMI_RTT_ENTRIES - 1);
}

static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Walk from the root towards @target for @ipa (which must lie in the IPA
 * space), locking hand over hand. Stops early at the first entry that is
 * not a TABLE. Returns the locked table; *@level is the level of the entry
 * for @ipa inside it.
 */
struct rtt *walk(struct realm *r, uint64_t ipa, int target, int *level)
{
	int l = r->start_level;
	struct rtt *t = r->root[ipa >> (LSHIFT(l) + 9)];

	rtt_lock(t);
	while (l < target) {
		uint64_t e = t->e[idx_of(ipa, l)];
		struct rtt *c;

		if (E_STATE(e) != RMI_ENTRY_TABLE)
			break;
		c = E_TABLE(e);
		rtt_lock(c);
		rtt_unlock(t);
		t = c;
		l++;
	}
	*level = l;
	return t;
}

/* ---- commands: version, features, activation ------------------------------- */

static void cmd_version(struct rmm *m, const uint64_t *x, struct out *o)
{
	uint64_t req = x[1];

	(void)m;
	o->x1 = RMI_VERSION_2_0;
	o->x2 = RMI_VERSION_2_0;
	/* 2.0 only; a request for another major or a later minor fails */
	ret_status(o, (req >> 16) == 2 && (req & 0xffff) == 0 ?
		   RMI_SUCCESS : RMI_ERROR_INPUT, 0);
}

static void cmd_features(struct rmm *m, const uint64_t *x, struct out *o)
{
	if (x[1] == 0)
		o->x1 = m->lpa2 ? (RMI_S2SZ_MAX_LPA2 | RMI_FEAT0_LPA2) :
				  RMI_S2SZ_MAX;
	ret_status(o, RMI_SUCCESS, 0);
}

/* ---- commands: granule delegation [f5, f9.2] -------------------------------- */

static void cmd_range_delegate(struct rmm *m, const uint64_t *x, struct out *o,
			       unsigned int from, unsigned int to)
{
	uint64_t base = x[1], top = x[2], pa;
	unsigned int n = 0;

	o->x1 = base;
	if ((base & 0xfff) || (top & 0xfff) || top <= base ||
	    !gt_valid(&m->gt, base) || top > m->gt.pa_limit) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	for (pa = base; pa < top && n < m->delegate_granules;
	     pa += RMI_GRANULE_SIZE, n++) {
		if (!gt_cas(&m->gt, pa, from, to))
			break;
	}
	o->x1 = pa;
	/* progress is SUCCESS; the failure shows on the next call from x1 */
	ret_status(o, n ? RMI_SUCCESS : RMI_ERROR_INPUT, 0);
}

/* ---- commands: realm life cycle [f9.1] -------------------------------------- */

static void cmd_realm_create(struct rmm *m, const uint64_t *x, struct out *o)
{
	uint64_t rd = x[1];
	struct rmi_realm_params p;
	struct realm *r;
	unsigned int maxsz;
	int slot = -1;

	if (!gt_valid(&m->gt, rd) || !ns_read(m, x[2], &p, sizeof(p)))
		goto input;
	maxsz = (p.flags & RMI_REALM_FLAG_LPA2) ? RMI_S2SZ_MAX_LPA2 :
						  RMI_S2SZ_MAX;
	if (((p.flags & RMI_REALM_FLAG_LPA2) && !m->lpa2) ||
	    (p.flags & ~RMI_REALM_FLAG_LPA2) ||
	    p.s2sz < 32 || p.s2sz > maxsz ||
	    p.rtt_level_start != rmi_start_level(p.s2sz) ||
	    p.rtt_num_start != rmi_root_rtts(p.s2sz) ||
	    !gt_valid(&m->gt, p.rtt_base) ||
	    p.rtt_base + p.rtt_num_start * RMI_GRANULE_SIZE > m->gt.pa_limit)
		goto input;

	if (!gt_cas(&m->gt, rd, RMI_GRANULE_DELEGATED, RMI_GRANULE_RD))
		goto input;
	if (!gt_cas_run(&m->gt, p.rtt_base, p.rtt_num_start,
			RMI_GRANULE_DELEGATED, RMI_GRANULE_RTT)) {
		gt_cas(&m->gt, rd, RMI_GRANULE_RD, RMI_GRANULE_DELEGATED);
		goto input;
	}

	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->rd = rd;
	r->state = REALM_NEW;
	r->s2sz = p.s2sz;
	r->start_level = p.rtt_level_start;
	r->nroot = p.rtt_num_start;
	r->rtt_base = p.rtt_base;
	for (unsigned int i = 0; i < r->nroot; i++) {
		r->root[i] = rtt_new(r->start_level,
				     p.rtt_base + i * RMI_GRANULE_SIZE);
		memset(r->root[i]->e, 0, sizeof(r->root[i]->e));
	}

	pthread_mutex_lock(&m->meta);
	for (int i = 0; i < RMM_MAX_REALMS && slot < 0; i++) {
		struct realm *old = m->realms[i];

		if (!old) {
			slot = i;
		} else if (old->state == REALM_GONE) {
			free(old);
			slot = i;
		}
	}
	if (slot >= 0)
		__atomic_store_n(&m->realms[slot], r, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->meta);
	if (slot < 0) {
		/* out of RMM memory for realms */
		for (unsigned int i = 0; i < r->nroot; i++)
			free(r->root[i]);
		free(r);
		gt_cas_run(&m->gt, p.rtt_base, p.rtt_num_start,
			   RMI_GRANULE_RTT, RMI_GRANULE_DELEGATED);
		gt_cas(&m->gt, rd, RMI_GRANULE_RD, RMI_GRANULE_DELEGATED);
		goto input;
	}
	ret_status(o, RMI_SUCCESS, 0);
	return;
input:
	ret_status(o, RMI_ERROR_INPUT, 0);
}

static void realm_lock(struct realm *r)
{
	while (__atomic_exchange_n(&r->lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void realm_unlock(struct realm *r)
{
	__atomic_store_n(&r->lock, 0, __ATOMIC_RELEASE);
}

static void cmd_realm_activate(struct rmm *m, const uint64_t *x, struct out *o)
{
	struct realm *r = realm_get(m, x[1]);

	if (!r) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	realm_lock(r);
	if (r->state == REALM_NEW) {
		__atomic_store_n(&r->state, REALM_ACTIVE, __ATOMIC_RELEASE);
		ret_status(o, RMI_SUCCESS, 0);
	} else {
		ret_status(o, RMI_ERROR_REALM, 0);
	}
	realm_unlock(r);
}

static void cmd_realm_terminate(struct rmm *m, const uint64_t *x, struct out *o)
{
	struct realm *r = realm_get(m, x[1]);

	if (!r) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	realm_lock(r);
	__atomic_store_n(&r->state, REALM_TERMINATED, __ATOMIC_RELEASE);
	realm_unlock(r);
	ret_status(o, RMI_SUCCESS, 0);
}

static bool roots_empty(struct realm *r)
{
	for (unsigned int i = 0; i < r->nroot; i++) {
		struct rtt *t = r->root[i];
		bool empty = true;

		rtt_lock(t);
		for (int j = 0; j < RMI_RTT_ENTRIES && empty; j++)
			if (E_STATE(t->e[j]) != RMI_ENTRY_UNASSIGNED)
				empty = false;
		rtt_unlock(t);
		if (!empty)
			return false;
	}
	return true;
}

static void cmd_realm_destroy(struct rmm *m, const uint64_t *x, struct out *o)
{
	struct realm *r = realm_get(m, x[1]);

	if (!r) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	realm_lock(r);
	if (r->state != REALM_TERMINATED ||
	    __atomic_load_n(&r->recs, __ATOMIC_ACQUIRE) || !roots_empty(r)) {
		realm_unlock(r);
		ret_status(o, RMI_ERROR_REALM, 0);
		return;
	}
	for (unsigned int i = 0; i < r->nroot; i++) {
		gt_cas(&m->gt, r->root[i]->pa, RMI_GRANULE_RTT,
		       RMI_GRANULE_DELEGATED);
		free(r->root[i]);
		r->root[i] = NULL;
	}
	gt_cas(&m->gt, r->rd, RMI_GRANULE_RD, RMI_GRANULE_DELEGATED);
	/* the slot is reused (and freed) by a later REALM_CREATE */
	__atomic_store_n(&r->state, REALM_GONE, __ATOMIC_RELEASE);
	realm_unlock(r);
	ret_status(o, RMI_SUCCESS, 0);
}

static struct rec *rec_get(struct rmm *m, uint64_t pa)
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

static void cmd_rec_create(struct rmm *m, const uint64_t *x, struct out *o)
{
	struct realm *r = realm_get(m, x[1]);
	uint64_t pa = x[2];
	struct rec *c;
	int slot = -1;

	if (!r || !gt_valid(&m->gt, pa)) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	if (realm_state(r) != REALM_NEW) {
		ret_status(o, RMI_ERROR_REALM, 0);
		return;
	}
	if (!gt_cas(&m->gt, pa, RMI_GRANULE_DELEGATED, RMI_GRANULE_REC)) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->pa = pa;
	c->realm = r;
	pthread_mutex_lock(&m->meta);
	for (int i = 0; i < RMM_MAX_RECS && slot < 0; i++)
		if (!m->recs[i])
			slot = i;
	if (slot >= 0)
		__atomic_store_n(&m->recs[slot], c, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->meta);
	if (slot < 0) {
		free(c);
		gt_cas(&m->gt, pa, RMI_GRANULE_REC, RMI_GRANULE_DELEGATED);
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	__atomic_fetch_add(&r->recs, 1, __ATOMIC_ACQ_REL);
	ret_status(o, RMI_SUCCESS, 0);
}

static void cmd_rec_destroy(struct rmm *m, const uint64_t *x, struct out *o)
{
	struct rec *c;

	pthread_mutex_lock(&m->meta);
	c = rec_get(m, x[1]);
	if (c) {
		for (int i = 0; i < RMM_MAX_RECS; i++)
			if (m->recs[i] == c)
				m->recs[i] = NULL;
		__atomic_fetch_sub(&c->realm->recs, 1, __ATOMIC_ACQ_REL);
		gt_cas(&m->gt, c->pa, RMI_GRANULE_REC, RMI_GRANULE_DELEGATED);
	}
	pthread_mutex_unlock(&m->meta);
	free(c);
	ret_status(o, c ? RMI_SUCCESS : RMI_ERROR_INPUT, 0);
}

int rmm_rec_request_ripas(struct rmm *m, uint64_t rec, uint64_t base,
			  uint64_t top, unsigned int ripas)
{
	struct rec *c = rec_get(m, rec);

	if (!c)
		return -1;
	c->ripas_base = base;
	c->ripas_top = top;
	c->ripas_value = ripas;
	return 0;
}

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

static void cmd_rtt_create(struct rmm *m, const uint64_t *x, struct out *o)
{
	uint64_t rtt = x[2], ipa = x[3];
	int level = (int)x[4], wl;
	struct realm *r = rtt_args(m, x[1], ipa, x[4]);
	struct rtt *t, *nt;
	uint64_t e, step;
	unsigned int i;

	if (!r || !gt_valid(&m->gt, rtt) ||
	    gt_get(&m->gt, rtt) != RMI_GRANULE_DELEGATED) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	nt = rtt_new(level, rtt);
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
	if (E_STATE(e) == RMI_ENTRY_ASSIGNED) {
		/* unfold [f2, f9.11]: the block's pages, with its attributes */
		step = LSIZE(level);
		for (int j = 0; j < RMI_RTT_ENTRIES; j++)
			nt->e[j] = (E_PA(e) + j * step) | E_LEAF_ATTRS(e) |
				   RMI_ENTRY_ASSIGNED;
	} else {
		for (int j = 0; j < RMI_RTT_ENTRIES; j++)
			nt->e[j] = e;
	}
	t->e[i] = (uint64_t)(uintptr_t)nt | RMI_ENTRY_TABLE;
	nt = NULL;
	__atomic_fetch_add(&m->rtts_live, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->rtts_created, 1, __ATOMIC_RELAXED);
	ret_status(o, RMI_SUCCESS, 0);
out:
	rtt_unlock(t);
	free(nt);
}

static bool rtt_is_live(const struct rtt *c)
{
	for (int j = 0; j < RMI_RTT_ENTRIES; j++) {
		unsigned int st = E_STATE(c->e[j]);

		if (st == RMI_ENTRY_ASSIGNED || st == RMI_ENTRY_TABLE ||
		    st == RMI_ENTRY_ASSIGNED_DEV)
			return true;
	}
	return false;
}

/* Free child @c of @t's entry @i, which now reads @parent_e. Both locked. */
static void rtt_remove(struct rmm *m, struct rtt *t, unsigned int i,
		       struct rtt *c, uint64_t parent_e)
{
	t->e[i] = parent_e;
	rtt_unlock(c);
	gt_cas(&m->gt, c->pa, RMI_GRANULE_RTT, RMI_GRANULE_DELEGATED);
	free(c);
	__atomic_fetch_sub(&m->rtts_live, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->rtts_freed, 1, __ATOMIC_RELAXED);
}

/*
 * Walk to the RTT of @level that covers @ipa and lock it and its parent
 * *@t (entry *@i). Returns the child; or NULL, nothing locked, with the
 * level where the walk stopped in *@wl and the entry it found in *@e.
 */
static struct rtt *lock_rtt_and_parent(struct realm *r, uint64_t ipa,
				       int level, struct rtt **t,
				       unsigned int *i, int *wl, uint64_t *e)
{
	struct rtt *c;

	*t = walk(r, ipa, level - 1, wl);
	*i = idx_of(ipa, *wl);
	*e = (*t)->e[*i];
	if (*wl < level - 1 || E_STATE(*e) != RMI_ENTRY_TABLE) {
		rtt_unlock(*t);
		return NULL;
	}
	c = E_TABLE(*e);
	rtt_lock(c);
	return c;
}

static void cmd_rtt_destroy(struct rmm *m, const uint64_t *x, struct out *o)
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
		 * Nothing to destroy: a non-live entry is non-live up to its
		 * end; a block is live, so the non-live region is empty.
		 */
		o->x2 = E_STATE(e) == RMI_ENTRY_UNASSIGNED ?
			align_up(ipa + 1, LSIZE(wl)) : ipa;
		ret_status(o, RMI_ERROR_RTT, (unsigned int)wl);
		return;
	}
	if (rtt_is_live(c)) {
		rtt_unlock(c);
		rtt_unlock(t);
		o->x2 = ipa;
		ret_status(o, RMI_ERROR_RTT, (unsigned int)level);
		return;
	}
	o->x1 = c->pa;
	if (m->prof.destroy_top == RMM_DESTROY_TOP_PARENT_SPAN)
		/* [f9.9] the end of the parent table's span; L1: 2^48 */
		o->x2 = align_up(ipa + 1, 1ull << (LSHIFT(level - 1) + 9));
	else
		o->x2 = ipa + LSIZE(level - 1);
	rtt_remove(m, t, i, c, ipa < prot_top(r) ?
		   e_unassigned(RMI_RIPAS_DESTROYED) : e_unassigned(0));
	rtt_unlock(t);
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

static void cmd_rtt_fold(struct rmm *m, const uint64_t *x, struct out *o)
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
	ret_status(o, RMI_SUCCESS, 0);
}

static void cmd_rtt_read_entry(struct rmm *m, const uint64_t *x, struct out *o)
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
	t = walk(r, ipa, level, &wl);
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
			/* MemAttr in [5:2], S2AP in [7:6], as in a descriptor */
			o->x3 |= (E_ATTR(e) << 2) | ((E_S2AP(e) & 3) << 6);
		break;
	default:
		o->x3 = 0;
	}
	o->x4 = ipa < prot_top(r) ? E_RIPAS(e) : 0;
	ret_status(o, RMI_SUCCESS, 0);
}

/* ---- commands: RIPAS [f7, f9.13] ------------------------------------------- */

/*
 * Set RIPAS @ripas on whole leaf entries of one RTT from @base towards
 * @top. Shared by INIT_RIPAS and SET_RIPAS.
 */
static void ripas_walk(struct realm *r, uint64_t base, uint64_t top,
		       unsigned int ripas, bool init, struct out *o)
{
	int l;
	struct rtt *t = walk(r, base, RMI_RTT_LAST_LEVEL, &l);
	uint64_t size = LSIZE(l), addr = base;
	unsigned int i = idx_of(base, l), n = 0;

	if (base & (size - 1)) {
		ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
		goto out;
	}
	for (; addr < top && i < RMI_RTT_ENTRIES; i++, addr += size, n++) {
		uint64_t e = t->e[i];

		if (addr + size > top)
			break;
		/* a TABLE entry is no leaf: the next call walks into it */
		if (E_STATE(e) == RMI_ENTRY_TABLE)
			break;
		if (init && E_RIPAS(e) == RMI_RIPAS_DESTROYED)
			break;
		t->e[i] = (e & ~(3ull << 3)) | ((uint64_t)ripas << 3);
	}
	if (!n) {
		ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
		goto out;
	}
	o->x1 = addr;
	ret_status(o, RMI_SUCCESS, 0);
out:
	rtt_unlock(t);
}

static bool range_ok(uint64_t base, uint64_t top, uint64_t lo, uint64_t hi)
{
	return !(base & 0xfff) && !(top & 0xfff) && base < top &&
	       base >= lo && top <= hi;
}

static void cmd_init_ripas(struct rmm *m, const uint64_t *x, struct out *o)
{
	struct realm *r = realm_get(m, x[1]);

	if (!r || !range_ok(x[2], x[3], 0, prot_top(r))) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	if (realm_state(r) != REALM_NEW) {
		ret_status(o, RMI_ERROR_REALM, 0);
		return;
	}
	ripas_walk(r, x[2], x[3], RMI_RIPAS_RAM, true, o);
}

static void cmd_set_ripas(struct rmm *m, const uint64_t *x, struct out *o)
{
	struct realm *r = realm_get(m, x[1]);
	struct rec *c = rec_get(m, x[2]);
	uint64_t base = x[3], top = x[4];

	if (!r || !c || c->realm != r || !range_ok(base, top, 0, prot_top(r)) ||
	    base != c->ripas_base || top > c->ripas_top) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	if (realm_state(r) != REALM_ACTIVE) {
		ret_status(o, RMI_ERROR_REALM, 0);
		return;
	}
	ripas_walk(r, base, top, c->ripas_value, false, o);
	if (RMI_RETURN_STATUS(o->x0) == RMI_SUCCESS)
		c->ripas_base = o->x1;
}

/* ---- commands: DATA_MAP_INIT [f9.14] ---------------------------------------- */

static void cmd_data_map_init(struct rmm *m, const uint64_t *x, struct out *o)
{
	uint64_t data = x[2], ipa = x[3], src = x[4];
	struct realm *r;
	struct rtt *t;
	unsigned int i;
	int l;

	if (!gt_valid(&m->gt, src) ||
	    gt_get(&m->gt, src) != RMI_GRANULE_UNDELEGATED) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	r = realm_get(m, x[1]);
	if (!r) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	if (realm_state(r) != REALM_NEW) {
		ret_status(o, RMI_ERROR_REALM, 0);
		return;
	}
	if ((ipa & 0xfff) || ipa >= prot_top(r)) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	t = walk(r, ipa, RMI_RTT_LAST_LEVEL, &l);
	i = idx_of(ipa, l);
	if (l < RMI_RTT_LAST_LEVEL) {
		ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
	} else if (E_STATE(t->e[i]) != RMI_ENTRY_UNASSIGNED) {
		ret_status(o, RMI_ERROR_RTT, RMI_RTT_LAST_LEVEL);
	} else if (!gt_valid(&m->gt, data) ||
		   !gt_cas(&m->gt, data, RMI_GRANULE_DELEGATED,
			   RMI_GRANULE_DATA)) {
		ret_status(o, RMI_ERROR_INPUT, 0);
	} else {
		t->e[i] = e_assigned(data, RMI_RIPAS_RAM);
		ret_status(o, RMI_SUCCESS, 0);
	}
	rtt_unlock(t);
}

/* ---- commands: DATA_MAP / UNPROT_MAP [f4, f9.3-5, f9.12] -------------------- */

#define MAX_DESCS	(RMI_GRANULE_SIZE / 8)

/* The PA set of a map call: its descriptors, consumed in order. */
struct pa_stream {
	const uint64_t *d;
	unsigned int n, i;
	uint64_t off;		/* bytes of d[i] consumed */
};

/*
 * Take one block of @level's size from the PA set. Returns 1 with *@pa,
 * 0 if the set ends first, -1 if what is there is not contiguous or not
 * aligned to the block. With @from_desc ("tf-rmm") each block is one of a
 * descriptor's own blocks, and a descriptor of another size ends the set.
 */
static int stream_take(struct pa_stream *s, int level, bool from_desc,
		       uint64_t *pa)
{
	uint64_t size = LSIZE(level), need = size, start = 0;
	struct pa_stream save = *s;

	while (need) {
		uint64_t d, left, take;

		if (s->i >= s->n)
			goto end;
		d = s->d[s->i];
		if (from_desc &&
		    RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(d)) != level)
			goto end;
		if (need == size)
			start = RMI_DESC_ADDR(d) + s->off;
		else if (RMI_DESC_ADDR(d) + s->off != start + size - need)
			goto bad;
		left = rmi_desc_bytes(d) - s->off;
		take = left < need ? left : need;
		need -= take;
		s->off += take;
		if (s->off == rmi_desc_bytes(d)) {
			s->i++;
			s->off = 0;
		}
	}
	if (start & (size - 1))
		goto bad;
	*pa = start;
	return 1;
end:
	if (need != size)
		goto bad;	/* the set ends inside a block */
	*s = save;
	return 0;
bad:
	*s = save;
	return -1;
}

static void cmd_map(struct rmm *m, const uint64_t *x, struct out *o, bool ns)
{
	uint64_t base = x[2], top = x[3], flags = x[4], oaddr = x[5];
	uint64_t descs[MAX_DESCS], addr, size;
	unsigned int nd, i, done = 0, attr = 0, s2ap = 0;
	struct realm *r = realm_get(m, x[1]);
	struct pa_stream ps;
	bool from_desc = m->prof.map_level == RMM_LEVEL_FROM_DESC;
	struct rtt *t;
	int l, want;

	o->x1 = base;
	if (!r) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	if (realm_state(r) != REALM_NEW && realm_state(r) != REALM_ACTIVE) {
		ret_status(o, RMI_ERROR_REALM, 0);
		return;
	}
	if (!range_ok(base, top, ns ? prot_top(r) : 0,
		      ns ? ipa_space(r) : prot_top(r)))
		goto input;
	if (ns) {
		attr = RMI_FLAGS_MEMATTR(flags);
		s2ap = RMI_FLAGS_S2AP(flags);
		if (s2ap & ~RMI_S2AP_VALID_MASK)
			goto input;
	}
	switch (RMI_FLAGS_ADDR_TYPE(flags)) {
	case RMI_ADDR_TYPE_SINGLE:
		descs[0] = oaddr;
		nd = 1;
		break;
	case RMI_ADDR_TYPE_LIST:
		nd = RMI_FLAGS_LIST_COUNT(flags);
		if (!nd || nd > MAX_DESCS ||
		    !ns_read(m, oaddr, descs, nd * sizeof(descs[0])))
			goto input;
		break;
	default:
		goto input;
	}
	for (i = 0; i < nd; i++) {
		uint64_t d = descs[i];
		int dl = RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(d));

		if (RMI_DESC_SIZE(d) == RMI_DESC_SIZE_L0 || !RMI_DESC_COUNT(d) ||
		    (RMI_DESC_ADDR(d) & (LSIZE(dl) - 1)) ||
		    RMI_DESC_ADDR(d) + rmi_desc_bytes(d) > m->gt.pa_limit ||
		    (!ns && RMI_DESC_STATE(d) != RMI_DESC_STATE_DELEGATED))
			goto input;
	}

	want = from_desc ? RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(descs[0])) :
			   RMI_RTT_LAST_LEVEL;
	t = walk(r, base, want, &l);
	i = idx_of(base, l);
	size = LSIZE(l);
	if ((from_desc && l < want) || l < RMI_RTT_MIN_BLOCK_LEVEL ||
	    E_STATE(t->e[i]) == RMI_ENTRY_TABLE ||
	    (base & (size - 1)) || top - base < size) {
		ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
		goto unlock;
	}
	ps = (struct pa_stream){ .d = descs, .n = nd };
	for (addr = base; addr < top && i < RMI_RTT_ENTRIES;
	     addr += size, i++, done++) {
		uint64_t e = t->e[i], pa;
		int got;

		if (addr + size > top)
			break;
		got = stream_take(&ps, l, from_desc, &pa);
		if (got <= 0) {
			if (!done && got < 0)
				ret_status(o, RMI_ERROR_INPUT, 0);
			break;
		}
		if (E_STATE(e) == RMI_ENTRY_ASSIGNED && E_PA(e) == pa &&
		    m->prof.remap_same_pa) {
			continue;	/* [f9.4] the same mapping again */
		}
		if (E_STATE(e) != RMI_ENTRY_UNASSIGNED) {
			if (!done)
				ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
			break;
		}
		if (ns) {
			t->e[i] = e_assigned_ns(pa, attr, s2ap);
			continue;
		}
		if (!gt_cas_run(&m->gt, pa, size >> RMI_GRANULE_SHIFT,
				RMI_GRANULE_DELEGATED, RMI_GRANULE_DATA)) {
			if (!done)
				ret_status(o, RMI_ERROR_INPUT, 0);
			break;
		}
		/* [f4, f9.7] RIPAS is kept */
		t->e[i] = e_assigned(pa, E_RIPAS(e));
	}
	if (done) {
		o->x1 = addr;
		ret_status(o, RMI_SUCCESS, 0);
	} else if (!o->x0) {
		/* the descriptors ran out before one block */
		ret_status(o, RMI_ERROR_INPUT, 0);
	}
unlock:
	rtt_unlock(t);
	return;
input:
	ret_status(o, RMI_ERROR_INPUT, 0);
}

/* ---- commands: DATA_UNMAP / UNPROT_UNMAP [f9.8] ------------------------------ */

static void cmd_unmap(struct rmm *m, const uint64_t *x, struct out *o, bool ns)
{
	uint64_t base = x[2], top = x[3], addr = base, size;
	uint64_t dpa = 0, dcount = 0;
	struct realm *r = realm_get(m, x[1]);
	struct rtt *t;
	unsigned int i;
	int l;

	o->x1 = base;
	if (!r || !range_ok(base, top, ns ? prot_top(r) : 0,
			    ns ? ipa_space(r) : prot_top(r))) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	t = walk(r, base, RMI_RTT_LAST_LEVEL, &l);
	size = LSIZE(l);
	i = idx_of(base, l);
	for (; addr < top && i < RMI_RTT_ENTRIES; i++) {
		uint64_t e = t->e[i], ebase = addr & ~(size - 1);
		unsigned int ripas;

		if (E_STATE(e) == RMI_ENTRY_TABLE)
			break;	/* deeper tables: the next call walks them */
		if (E_STATE(e) != RMI_ENTRY_ASSIGNED) {
			addr = ebase + size;	/* a hole: skip it */
			continue;
		}
		if (addr != ebase || addr + size > top) {
			/* part of a block: the host must unfold it first */
			if (!dcount) {
				o->x1 = addr;
				ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
				goto unlock;
			}
			break;
		}
		if (dcount && (dpa + dcount * size != E_PA(e) ||
			       dcount == RMI_DESC_COUNT_MAX))
			break;	/* the descriptor cannot grow */
		if (!dcount)
			dpa = E_PA(e);
		dcount++;
		if (ns) {
			t->e[i] = e_unassigned(0);
		} else {
			if (!gt_cas_run(&m->gt, E_PA(e),
					size >> RMI_GRANULE_SHIFT,
					RMI_GRANULE_DATA,
					RMI_GRANULE_DELEGATED))
				abort();	/* a DATA granule left DATA */
			ripas = E_RIPAS(e);
			if (ripas == RMI_RIPAS_RAM)
				ripas = RMI_RIPAS_DESTROYED;
			t->e[i] = e_unassigned(ripas);
		}
		addr += size;
	}
	o->x1 = addr < top ? addr : top;
	if (!dcount) {
		/* nothing mapped up to x1 */
		ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
	} else {
		o->x2 = rmi_desc_encode(RMI_LEVEL_TO_DESC_SIZE(l),
					(unsigned int)dcount, dpa,
					ns ? RMI_DESC_STATE_UNDELEGATED :
					     RMI_DESC_STATE_DELEGATED);
		o->x3 = 1;
		ret_status(o, RMI_SUCCESS, 0);
	}
unlock:
	rtt_unlock(t);
}

/* ---- injection ------------------------------------------------------------- */

int rmm_set_inject(struct rmm *m, const struct rmi_inject_rule *rules,
		   unsigned int n, uint64_t seed, rmm_inject_cb cb, void *ctx)
{
	struct inject_state *st = NULL;

	for (unsigned int i = 0; i < n; i++)
		if (rules[i].probability > 100 || !rules[i].interval ||
		    rules[i].times < -1 || rules[i].space < 0 ||
		    rules[i].status > 0xff || rules[i].index > 0xff)
			return -1;
	if (n) {
		st = calloc(n, sizeof(*st));
		if (!st)
			return -1;
		for (unsigned int i = 0; i < n; i++) {
			st[i].rule = rules[i];
			st[i].times = rules[i].times;
			st[i].space = rules[i].space;
		}
	}
	free(m->inject);
	m->inject = st;
	m->ninject = n;
	m->inject_seed = seed;
	m->inject_draws = 0;
	m->inject_cb = cb;
	m->inject_ctx = ctx;
	return 0;
}

static uint64_t splitmix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* As should_fail(): times, then space, then interval, then probability. */
static bool inject_one(struct rmm *m, struct inject_state *s)
{
	long left;

	if (__atomic_load_n(&s->times, __ATOMIC_RELAXED) == 0)
		return false;
	/* as the kernel's should_fail(attr, 1): space N lets N - 1 through */
	left = __atomic_load_n(&s->space, __ATOMIC_RELAXED);
	while (left > 1) {
		if (__atomic_compare_exchange_n(&s->space, &left, left - 1,
						false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return false;
	}
	if (s->rule.interval > 1 &&
	    __atomic_add_fetch(&s->seen, 1, __ATOMIC_RELAXED) %
	    s->rule.interval)
		return false;
	if (s->rule.probability < 100) {
		uint64_t n = __atomic_fetch_add(&m->inject_draws, 1,
						__ATOMIC_RELAXED);

		if (splitmix64(m->inject_seed ^ (n * 0x9e3779b97f4a7c15ull)) %
		    100 >= s->rule.probability)
			return false;
	}
	left = __atomic_load_n(&s->times, __ATOMIC_RELAXED);
	while (left != 0) {
		if (left < 0)
			return true;
		if (__atomic_compare_exchange_n(&s->times, &left, left - 1,
						false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return true;
	}
	return false;
}

static bool __attribute__((noinline))
inject_check(struct rmm *m, uint32_t fid, struct out *o)
{
	for (unsigned int i = 0; i < m->ninject; i++) {
		struct inject_state *s = &m->inject[i];

		if (s->rule.command && s->rule.command != fid)
			continue;
		if (!inject_one(m, s))
			continue;
		/* as the kernel's fail_rmi: the status, all outputs zero */
		ret_status(o, s->rule.status, s->rule.index);
		__atomic_fetch_add(&m->injected, 1, __ATOMIC_RELAXED);
		if (m->inject_cb)
			m->inject_cb(m->inject_ctx, fid, s->rule.status,
				     s->rule.index);
		return true;
	}
	return false;
}

/* ---- the entry point ------------------------------------------------------- */

void rmm_smc(struct rmm *m, const struct rmm_regs *in, struct rmm_regs *out)
{
	const uint64_t *x = in->x;
	uint32_t fid = (uint32_t)x[0];
	struct out o = { 0 };

	if (__builtin_expect(m->ninject != 0, 0) && inject_check(m, fid, &o))
		goto done;

	if (fid == RMI_RMM_ACTIVATE) {
		__atomic_store_n(&m->activated, true, __ATOMIC_RELEASE);
		ret_status(&o, RMI_SUCCESS, 0);
		goto done;
	}
	if (!RMI_FID_IS_RMI(fid)) {
		o.x0 = SMCCC_RET_NOT_SUPPORTED;
		goto done;
	}
	if (__builtin_expect(!__atomic_load_n(&m->activated,
					      __ATOMIC_ACQUIRE), 0)) {
		ret_status(&o, RMI_ERROR_GLOBAL, 0);
		goto done;
	}

	switch (fid) {
	case RMI_GRANULE_RANGE_DELEGATE:
		cmd_range_delegate(m, x, &o, RMI_GRANULE_UNDELEGATED,
				   RMI_GRANULE_DELEGATED);
		break;
	case RMI_GRANULE_RANGE_UNDELEGATE:
		cmd_range_delegate(m, x, &o, RMI_GRANULE_DELEGATED,
				   RMI_GRANULE_UNDELEGATED);
		break;
	case RMI_RTT_DATA_MAP:
		cmd_map(m, x, &o, false);
		break;
	case RMI_RTT_UNPROT_MAP:
		cmd_map(m, x, &o, true);
		break;
	case RMI_RTT_DATA_UNMAP:
		cmd_unmap(m, x, &o, false);
		break;
	case RMI_RTT_UNPROT_UNMAP:
		cmd_unmap(m, x, &o, true);
		break;
	case RMI_RTT_CREATE:
		cmd_rtt_create(m, x, &o);
		break;
	case RMI_RTT_DESTROY:
		cmd_rtt_destroy(m, x, &o);
		break;
	case RMI_RTT_FOLD:
		cmd_rtt_fold(m, x, &o);
		break;
	case RMI_RTT_READ_ENTRY:
		cmd_rtt_read_entry(m, x, &o);
		break;
	case RMI_RTT_INIT_RIPAS:
		cmd_init_ripas(m, x, &o);
		break;
	case RMI_RTT_SET_RIPAS:
		cmd_set_ripas(m, x, &o);
		break;
	case RMI_DATA_MAP_INIT:
		cmd_data_map_init(m, x, &o);
		break;
	case RMI_REALM_CREATE:
		cmd_realm_create(m, x, &o);
		break;
	case RMI_REALM_ACTIVATE:
		cmd_realm_activate(m, x, &o);
		break;
	case RMI_REALM_TERMINATE:
		cmd_realm_terminate(m, x, &o);
		break;
	case RMI_REALM_DESTROY:
		cmd_realm_destroy(m, x, &o);
		break;
	case RMI_REC_CREATE:
		cmd_rec_create(m, x, &o);
		break;
	case RMI_REC_DESTROY:
		cmd_rec_destroy(m, x, &o);
		break;
	case RMI_VERSION:
		cmd_version(m, x, &o);
		break;
	case RMI_FEATURES:
		cmd_features(m, x, &o);
		break;
	default:
		o.x0 = SMCCC_RET_NOT_SUPPORTED;
		break;
	}
done:
	out->x[0] = o.x0;
	out->x[1] = o.x1;
	out->x[2] = o.x2;
	out->x[3] = o.x3;
	out->x[4] = o.x4;
}

uint64_t rmm_call(struct rmm *m, uint32_t fid, uint64_t x1, uint64_t x2,
		  uint64_t x3, uint64_t x4, uint64_t x5, uint64_t out[5])
{
	struct rmm_regs r = { .x = { fid, x1, x2, x3, x4, x5, 0, 0 } };

	rmm_smc(m, &r, &r);
	if (out)
		memcpy(out, r.x, 5 * sizeof(uint64_t));
	return r.x[0];
}
