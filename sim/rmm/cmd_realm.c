// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the commands about the RMM and realms: VERSION,
 * FEATURES, RMM_ACTIVATE, REALM_CREATE / ACTIVATE / TERMINATE / DESTROY,
 * REC_CREATE / DESTROY, and the REC's RIPAS request that RTT_SET_RIPAS
 * serves.
 */
#include <stdlib.h>

#include "rmm_internal.h"

/* ---- version, features, activation ------------------------------------------ */

void cmd_version(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	uint64_t req = x[1];

	(void)m;
	o->x1 = RMI_VERSION_2_0;
	o->x2 = RMI_VERSION_2_0;
	/* 2.0 only; a request for another major or a later minor fails */
	ret_status(o, (req >> 16) == 2 && (req & 0xffff) == 0 ?
		   RMI_SUCCESS : RMI_ERROR_INPUT, 0);
}

void cmd_features(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	if (x[1] == 0)
		o->x1 = m->lpa2 ? (RMI_S2SZ_MAX_LPA2 | RMI_FEAT0_LPA2) :
				  RMI_S2SZ_MAX;
	ret_status(o, RMI_SUCCESS, 0);
}

void cmd_rmm_activate(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	(void)x;
	__atomic_store_n(&m->activated, true, __ATOMIC_RELEASE);
	ret_status(o, RMI_SUCCESS, 0);
}

/* ---- realm life cycle [f9.1, f11.7-8] ---------------------------------------- */

/*
 * The root RTTs a realm of @s2sz needs when its walk starts at @level
 * [f11.7]: 2^(s2sz - shift - 9) concatenated tables when that exponent is
 * positive, else 1. 0 when no geometry fits: a level outside 0..3, an
 * s2sz not above the level's shift, or more than RMI_MAX_ROOT_RTTS.
 */
static unsigned int roots_needed(unsigned int s2sz, int level)
{
	int x;

	if (level < 0 || level > RMI_RTT_LAST_LEVEL ||
	    s2sz <= (unsigned int)LSHIFT(level))
		return 0;
	x = (int)s2sz - LSHIFT(level) - 9;
	if (x <= 0)
		return 1;
	return x < 31 && (1u << x) <= RMI_MAX_ROOT_RTTS ? 1u << x : 0;
}

void cmd_realm_create(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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
	    !roots_needed(p.s2sz, p.rtt_level_start) ||
	    p.rtt_num_start != roots_needed(p.s2sz, p.rtt_level_start) ||
	    !gt_valid(&m->gt, p.rtt_base) ||
	    /* [f11.8] the roots are one naturally aligned block */
	    ((p.rtt_base >> RMI_GRANULE_SHIFT) & (p.rtt_num_start - 1)) ||
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
	r->uid = realm_new_uid();
	r->rd = rd;
	r->state = REALM_NEW;
	r->s2sz = p.s2sz;
	r->start_level = p.rtt_level_start;
	r->nroot = p.rtt_num_start;
	r->rtt_base = p.rtt_base;
	for (unsigned int i = 0; i < r->nroot; i++) {
		uint64_t span = LSIZE(r->start_level) * RMI_RTT_ENTRIES;

		r->root[i] = rtt_new(m, r, r->start_level, i * span,
				     p.rtt_base + i * RMI_GRANULE_SIZE, true);
		rtt_unlock(r->root[i]);
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
			rtt_free(m, r->root[i]);
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

void cmd_realm_activate(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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

void cmd_realm_terminate(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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

void cmd_realm_destroy(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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
		rtt_free(m, r->root[i]);
		r->root[i] = NULL;
	}
	gt_cas(&m->gt, r->rd, RMI_GRANULE_RD, RMI_GRANULE_DELEGATED);
	/* the slot is reused (and freed) by a later REALM_CREATE */
	__atomic_store_n(&r->state, REALM_GONE, __ATOMIC_RELEASE);
	realm_unlock(r);
	ret_status(o, RMI_SUCCESS, 0);
}

void cmd_rec_create(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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

void cmd_rec_destroy(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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

	/* a value the entry's two RIPAS bits cannot hold would spill into
	 * its other fields (the output address) when SET_RIPAS stores it */
	if (!c || ripas > RMI_RIPAS_DEV)
		return -1;
	c->ripas_base = base;
	c->ripas_top = top;
	c->ripas_value = ripas;
	return 0;
}
