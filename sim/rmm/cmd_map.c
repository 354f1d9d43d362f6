// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the commands that map and unmap: DATA_MAP_INIT,
 * RTT_DATA_MAP, RTT_DATA_UNMAP, RTT_UNPROT_MAP and RTT_UNPROT_UNMAP.
 */
#include <stdlib.h>

#include "rmm_internal.h"

/* ---- commands: DATA_MAP_INIT [f9.14] ---------------------------------------- */

void cmd_data_map_init(struct rmm *m, const uint64_t *x, struct rmm_out *o)
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

/* ---- commands: DATA_MAP / UNPROT_MAP [f4, f9.3-5, f9.12, f11.6] -------------- */

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

static void map(struct rmm *m, const uint64_t *x, struct rmm_out *o, bool ns)
{
	uint64_t base = x[2], top = x[3], flags = x[4], oaddr = x[5];
	uint64_t descs[MAX_DESCS], addr, size, pa, left;
	unsigned int nd, i, done = 0, attr = 0, s2ap = 0;
	bool one;
	struct realm *r = realm_get(m, x[1]);
	struct pa_stream ps;
	bool from_desc = m->prof.map_level == RMM_LEVEL_FROM_DESC;
	struct rtt *t;
	int l, want;

	/* [f11.1] any status but SUCCESS leaves x1..x4 at 0 */
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
	/*
	 * [f11.6] The checks in the implementation's order: the
	 * descriptors' fields (and, where they set the level, base aligned
	 * to it), then the walk, and only then the PAs' alignment.
	 */
	for (i = 0; i < nd; i++) {
		uint64_t d = descs[i];

		if (RMI_DESC_SIZE(d) == RMI_DESC_SIZE_L0 || !RMI_DESC_COUNT(d) ||
		    RMI_DESC_ADDR(d) + rmi_desc_bytes(d) > m->gt.pa_limit ||
		    (!ns && RMI_DESC_STATE(d) != RMI_DESC_STATE_DELEGATED))
			goto input;
	}
	want = from_desc ? RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(descs[0])) :
			   RMI_RTT_LAST_LEVEL;
	if (from_desc && (base & (LSIZE(want) - 1)))
		goto input;

	t = walk(r, base, want, &l);
	i = idx_of(base, l);
	size = LSIZE(l);
	if ((from_desc && l < want) || l < RMI_RTT_MIN_BLOCK_LEVEL ||
	    E_STATE(t->e[i]) == RMI_ENTRY_TABLE ||
	    (base & (size - 1)) || top - base < size) {
		ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
		goto unlock;
	}
	for (unsigned int k = 0; k < nd; k++) {
		uint64_t d = descs[k];
		int dl = RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(d));

		if (RMI_DESC_ADDR(d) & (LSIZE(dl) - 1)) {
			ret_status(o, RMI_ERROR_INPUT, 0);
			goto unlock;
		}
	}
	ps = (struct pa_stream){ .d = descs, .n = nd };
	/*
	 * One descriptor of blocks of the walk's level (a fault's map):
	 * block k of the range is the descriptor's block k, which is what
	 * the stream gives, without it.
	 */
	one = nd == 1 &&
	      RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(descs[0])) == l;
	pa = RMI_DESC_ADDR(descs[0]);
	left = RMI_DESC_COUNT(descs[0]);
	for (addr = base; addr < top && i < RMI_RTT_ENTRIES;
	     addr += size, i++, done++) {
		uint64_t e = t->e[i];
		int got;

		if (addr + size > top)
			break;
		if (one) {
			if (!left--)
				break;
			if (done)
				pa += size;
		} else {
			got = stream_take(&ps, l, from_desc, &pa);
			if (got <= 0) {
				if (!done && got < 0)
					ret_status(o, RMI_ERROR_INPUT, 0);
				break;
			}
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

void cmd_rtt_data_map(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	map(m, x, o, false);
}

void cmd_rtt_unprot_map(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	map(m, x, o, true);
}

/* ---- commands: DATA_UNMAP / UNPROT_UNMAP [f9.8, f11.2-5] --------------------- */

static void unmap(struct rmm *m, const uint64_t *x, struct rmm_out *o,
		  bool ns)
{
	uint64_t base = x[2], top = x[3], addr = base, size;
	uint64_t oaddr = x[5], dpa = 0, dcount = 0;
	bool list = RMI_FLAGS_ADDR_TYPE(x[4]) == RMI_ADDR_TYPE_LIST;
	struct realm *r = realm_get(m, x[1]);
	struct rtt *t;
	unsigned int i;
	int l;

	/* [f11.1] any status but SUCCESS leaves x1..x4 at 0 */
	if (!r || !range_ok(base, top, ns ? prot_top(r) : 0,
			    ns ? ipa_space(r) : prot_top(r)) ||
	    (list && !ns_writable(m, oaddr))) {
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
	if (!dcount && l < RMI_RTT_LAST_LEVEL) {
		/* nothing mapped where the walk stopped short */
		ret_status(o, RMI_ERROR_RTT, (unsigned int)l);
		goto unlock;
	}
	o->x1 = addr < top ? addr : top;
	if (!dcount) {
		/* [f11.5] an L3 with nothing mapped up to x1: no descriptor */
		ret_status(o, RMI_SUCCESS, 0);
	} else {
		/* [f11.3] the state bit is clear for NS memory too */
		o->x2 = rmi_desc_encode(RMI_LEVEL_TO_DESC_SIZE(l),
					(unsigned int)dcount, dpa,
					RMI_DESC_STATE_DELEGATED);
		/* [f11.2] x3 counts the list entries written: with LIST
		 * the descriptor goes to oaddr too, else none is written */
		if (list) {
			rmm_ns_write(m, oaddr, &o->x2, sizeof(o->x2));
			o->x3 = 1;
		}
		ret_status(o, RMI_SUCCESS, 0);
	}
unlock:
	rtt_unlock(t);
}

void cmd_rtt_data_unmap(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	unmap(m, x, o, false);
}

void cmd_rtt_unprot_unmap(struct rmm *m, const uint64_t *x,
			  struct rmm_out *o)
{
	unmap(m, x, o, true);
}
