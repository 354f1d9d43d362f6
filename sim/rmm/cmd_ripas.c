// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: RTT_INIT_RIPAS and RTT_SET_RIPAS.
 */
#include "rmm_internal.h"

/* ---- commands: RIPAS [f7, f9.13] ------------------------------------------- */

/*
 * Set RIPAS @ripas on whole leaf entries of one RTT from @base towards
 * @top. Shared by INIT_RIPAS and SET_RIPAS.
 */
static void ripas_walk(struct realm *r, uint64_t base, uint64_t top,
		       unsigned int ripas, bool init, struct rmm_out *o)
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

void cmd_rtt_init_ripas(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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

void cmd_rtt_set_ripas(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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
