// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: what the hardware and the RMM decide outside any RMI
 * call. A realm's memory access is resolved by the stage-2 tables the RMM
 * built: valid only for ASSIGNED + RAM; otherwise the REC exits to the host
 * with a stage-2 fault, or the realm takes an external abort
 * (rmi-facts.md 7). The sim's vCPUs ask here instead of issuing
 * RTT_READ_ENTRY, so that probing costs no RMI call.
 */
#include "rmm_internal.h"

enum rmm_access rmm_guest_access(struct rmm *m, uint64_t rd, uint64_t ipa)
{
	struct realm *r = realm_get(m, rd);
	bool was = rmm_plain;
	struct rtt *t;
	uint64_t e;
	int l;

	if (!r || ipa >= (1ull << r->s2sz))
		return RMM_ACCESS_ABORT;
	rmm_plain = was || m->one_thread;	/* as rmm_smc() */
	t = walk_read(r, ipa, RMI_RTT_LAST_LEVEL, &l);
	e = t->e[(ipa >> RMI_LEVEL_SHIFT(l)) & (RMI_RTT_ENTRIES - 1)];
	rtt_unlock(t);
	rmm_plain = was;
	if (ipa >= (1ull << (r->s2sz - 1)))
		/* unprotected: mapped or the host must map it */
		return E_STATE(e) == RMI_ENTRY_ASSIGNED ? RMM_ACCESS_OK :
							  RMM_ACCESS_FAULT;
	switch (E_RIPAS(e)) {
	case RMI_RIPAS_EMPTY:
		return RMM_ACCESS_ABORT;
	case RMI_RIPAS_RAM:
		return E_STATE(e) == RMI_ENTRY_ASSIGNED ? RMM_ACCESS_OK :
							  RMM_ACCESS_FAULT;
	default:
		/* DESTROYED: the host is told; the access cannot complete */
		return E_STATE(e) == RMI_ENTRY_ASSIGNED ? RMM_ACCESS_ABORT :
							  RMM_ACCESS_FAULT;
	}
}

static void sum_rtt(const struct rtt *t, uint64_t bytes[4], uint64_t ipa0,
		    uint64_t lo, uint64_t hi)
{
	uint64_t size = RMI_LEVEL_SIZE(t->level);

	for (int i = 0; i < RMI_RTT_ENTRIES; i++) {
		uint64_t e = t->e[i], ipa = ipa0 + i * size;

		if (ipa + size <= lo || ipa >= hi)
			continue;
		if (E_STATE(e) == RMI_ENTRY_TABLE)
			sum_rtt(E_TABLE(e), bytes, ipa, lo, hi);
		else if (E_STATE(e) == RMI_ENTRY_ASSIGNED)
			bytes[t->level] += size;
	}
}

int rmm_realm_mapped_bytes(struct rmm *m, uint64_t rd, uint64_t lo,
			   uint64_t hi, uint64_t bytes[4])
{
	struct realm *r = realm_get(m, rd);
	uint64_t span;

	for (int i = 0; i < 4; i++)
		bytes[i] = 0;
	if (!r)
		return -1;
	span = RMI_LEVEL_SIZE(r->start_level) * RMI_RTT_ENTRIES;
	for (unsigned int j = 0; j < r->nroot; j++)
		sum_rtt(r->root[j], bytes, j * span, lo, hi);
	return 0;
}
