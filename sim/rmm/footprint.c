// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: what a call touched, and hashes of the model's
 * state, for the interleaving explorer (bench/explore.c). Neither changes
 * RMM state; noting costs a thread-local load when no footprint is
 * installed.
 */
#include <string.h>

#include "rmm_internal.h"

_Thread_local struct rmm_footprint *rmm_fp_cur;

void rmm_footprint_set(struct rmm_footprint *fp)
{
	rmm_fp_cur = fp;
}

void rmm_footprint_reset(struct rmm_footprint *fp)
{
	fp->n = 0;
	fp->all = false;
}

void rmm_fp_add(struct rmm_footprint *fp, unsigned int kind, uint64_t lo,
		uint64_t hi, bool write)
{
	if (fp->all || hi <= lo)
		return;
	for (unsigned int i = 0; i < fp->n; i++) {
		struct rmm_fp_item *it = &fp->it[i];

		if (it->kind != kind)
			continue;
		/* inside one already noted at least as strongly */
		if (lo >= it->lo && hi <= it->hi && (it->write || !write))
			return;
		/* the same access, touching or overlapping: one range */
		if (it->write == write && lo <= it->hi && hi >= it->lo) {
			if (lo < it->lo)
				it->lo = lo;
			if (hi > it->hi)
				it->hi = hi;
			return;
		}
	}
	if (fp->n == RMM_FP_MAX) {
		fp->all = true;
		return;
	}
	fp->it[fp->n++] = (struct rmm_fp_item){ lo, hi, (unsigned char)kind,
						write };
}

bool rmm_fp_conflict(const struct rmm_footprint *a,
		     const struct rmm_footprint *b)
{
	if ((a->all && b->n) || (b->all && a->n) || (a->all && b->all))
		return true;
	for (unsigned int i = 0; i < a->n; i++)
		for (unsigned int j = 0; j < b->n; j++) {
			const struct rmm_fp_item *x = &a->it[i], *y = &b->it[j];

			if (x->kind == y->kind && (x->write || y->write) &&
			    x->lo < y->hi && y->lo < x->hi)
				return true;
		}
	return false;
}

/* ---- state hashes -------------------------------------------------------- */

uint64_t rmm_hash_granules(struct rmm *m, uint64_t lo, uint64_t hi,
			   uint64_t h)
{
	lo &= ~(uint64_t)(RMI_GRANULE_SIZE - 1);
	if (hi > m->gt.pa_limit)
		hi = m->gt.pa_limit;
	while (lo < hi) {
		/* up to the end of the chunk: its bytes are contiguous */
		uint64_t end = (lo | ((1ull << GT_CHUNK_SHIFT) - 1)) + 1;
		const uint8_t *s = gt_slot_peek(&m->gt, lo);
		uint64_t n;

		if (end > hi)
			end = hi;
		n = (end - lo) >> RMI_GRANULE_SHIFT;
		if (!s) {
			/* never touched: all UNDELEGATED */
			h = rmm_hash_word(h, n);
		} else {
			uint64_t i = 0, w;

			for (; i + 8 <= n; i += 8) {
				memcpy(&w, s + i, 8);
				h = rmm_hash_word(h, w);
			}
			for (w = 0; i < n; i++)
				w = w << 8 | s[i];
			h = rmm_hash_word(h, w);
		}
		lo = end;
	}
	return h;
}

static uint64_t hash_rtt(const struct rtt *t, uint64_t ipa0, uint64_t lo,
			 uint64_t hi, uint64_t h)
{
	uint64_t size = RMI_LEVEL_SIZE(t->level);
	unsigned int first = 0, last = RMI_RTT_ENTRIES - 1;

	if (lo > ipa0)
		first = (unsigned int)((lo - ipa0) / size);
	if (hi - 1 < ipa0 + size * RMI_RTT_ENTRIES - 1)
		last = (unsigned int)((hi - 1 - ipa0) / size);
	h = rmm_hash_word(h, t->pa | (uint64_t)t->level);
	for (unsigned int i = first; i <= last; i++) {
		uint64_t e = t->e[i];

		if (E_STATE(e) == RMI_ENTRY_TABLE) {
			const struct rtt *c = E_TABLE(e);

			h = rmm_hash_word(h, RMI_ENTRY_TABLE | (uint64_t)i << 3);
			h = hash_rtt(c, ipa0 + i * size, lo, hi, h);
		} else {
			h = rmm_hash_word(h, e ^ (uint64_t)i << 52);
		}
	}
	return h;
}

uint64_t rmm_hash_realm(struct rmm *m, uint64_t rd, uint64_t lo, uint64_t hi,
			uint64_t h)
{
	struct realm *r = realm_get(m, rd);
	uint64_t span;

	if (!r || hi <= lo)
		return rmm_hash_word(h, 0);
	span = RMI_LEVEL_SIZE(r->start_level) * RMI_RTT_ENTRIES;
	for (unsigned int j = 0; j < r->nroot; j++) {
		uint64_t a = j * span, b = a + span;

		if (b <= lo || a >= hi)
			continue;
		h = hash_rtt(r->root[j], a, lo > a ? lo : a, hi < b ? hi : b,
			     h);
	}
	return rmm_hash_word(h, (uint64_t)realm_state(r));
}
