// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the physical memory the RMM may use. Per 1 GiB of
 * PA space (with 4 KiB granules both the tracking region and the L0GPT
 * region): the memory category, the granule tracking state and who made
 * the level-1 GPT. GRANULE_TRACKING_GET / GRANULE_TRACKING_SET and
 * GPT_L1_CREATE / GPT_L1_DESTROY read and change them; a delegate needs
 * memory, FINE tracking and a level-1 GPT (mem_delegable()).
 *
 * Sources: the facts (the v14 headers and patch "arm64: RMI:
 * Ensure that the RMM has GPT entries for memory") and the RMM 2.0
 * draft's conditions for these commands; where the model chooses, the
 * comment says so (sim/rmm/README.md, "Memory the RMM may use").
 */
#include <stdlib.h>
#include <string.h>

#include "rmm_internal.h"

#define MEM_SIZE	(1ull << MEM_SHIFT)

/*
 * A byte per 1 GiB, 0 for boot memory (CONVENTIONAL, FINE, PLAT):
 *   [1:0] category
 *   [4:2] tracking state XOR FINE
 *   [6:5] GPT state XOR PLAT
 */
static inline unsigned int b_cat(uint8_t b)
{
	return b & 3;
}

static inline unsigned int b_trk(uint8_t b)
{
	return ((b >> 2) & 7) ^ RMI_TRACKING_FINE;
}

static inline unsigned int b_gpt(uint8_t b)
{
	return ((b >> 5) & 3) ^ RMI_GPT_PAR_PLAT;
}

static inline uint8_t mem_byte(unsigned int cat, unsigned int trk,
			       unsigned int gpt)
{
	return (uint8_t)(cat | ((trk ^ RMI_TRACKING_FINE) << 2) |
			 ((gpt ^ RMI_GPT_PAR_PLAT) << 5));
}

/* the map, allocated on first use (one byte per 1 GiB of the space) */
static uint8_t *mem_get(struct rmm *m)
{
	uint8_t *mem = __atomic_load_n(&m->mem, __ATOMIC_ACQUIRE), *fresh;
	uint8_t *expect = NULL;

	if (mem)
		return mem;
	fresh = calloc(m->gt.pa_limit >> MEM_SHIFT, 1);
	if (!fresh)
		abort();
	if (__atomic_compare_exchange_n(&m->mem, &expect, fresh, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return fresh;
	free(fresh);
	return expect;
}

static uint8_t mem_peek(struct rmm *m, uint64_t pa)
{
	const uint8_t *mem = __atomic_load_n(&m->mem, __ATOMIC_ACQUIRE);

	return mem ? __atomic_load_n(&mem[pa >> MEM_SHIFT], __ATOMIC_ACQUIRE) :
		     0;
}

uint64_t mem_bytes(const struct rmm *m)
{
	return m->mem ? m->gt.pa_limit >> MEM_SHIFT : 0;
}

unsigned int mem_delegable_slow(struct rmm *m, uint64_t pa)
{
	uint8_t b = mem_peek(m, pa);

	if (b_cat(b) == RMI_MEM_CATEGORY_NONE)
		return RMI_ERROR_INPUT;		/* no memory there */
	if (b_trk(b) != RMI_TRACKING_FINE)
		return RMI_ERROR_TRACKING;
	if (b_gpt(b) != RMI_GPT_PAR_PLAT && b_gpt(b) != RMI_GPT_PAR_HOST_CREATED)
		return RMI_ERROR_GPT;
	return RMI_SUCCESS;
}

/* No granule of the 1 GiB at @base has left UNDELEGATED. */
static bool all_undelegated(struct rmm *m, uint64_t base)
{
	const uint8_t *c = __atomic_load_n(&m->gt.chunks[base >> GT_CHUNK_SHIFT],
					   __ATOMIC_ACQUIRE);

	_Static_assert(GT_CHUNK_SHIFT == MEM_SHIFT,
		       "a granule chunk is a tracking region");
	if (!c)
		return true;
	for (uint64_t i = 0; i < GT_CHUNK_GRANULES; i += 8) {
		uint64_t w;

		memcpy(&w, c + i, sizeof(w));
		if (w)
			return false;
	}
	return true;
}

/* ---- the platform's side ---------------------------------------------------- */

static bool states_ok(unsigned int cat, unsigned int trk, unsigned int gpt)
{
	bool none = cat == RMI_MEM_CATEGORY_NONE;

	if (cat > RMI_MEM_CATEGORY_NONE || trk > RMI_TRACKING_INTERMEDIATE ||
	    gpt > RMI_GPT_PAR_HOST_CREATED)
		return false;
	/* no memory: nothing to track, no GPT to make; memory: both */
	return none == (trk == RMI_TRACKING_RESERVED) &&
	       none == (gpt == RMI_GPT_PAR_RESERVED);
}

int rmm_mem_describe(struct rmm *m, uint64_t base, uint64_t size,
		     unsigned int category, unsigned int tracking,
		     unsigned int gpt)
{
	uint8_t *mem, b;

	if ((base | size) & (MEM_SIZE - 1) || !size ||
	    base >= m->gt.pa_limit || size > m->gt.pa_limit - base ||
	    !states_ok(category, tracking, gpt))
		return -1;
	mem = mem_get(m);
	b = mem_byte(category, tracking, gpt);
	for (uint64_t pa = base; pa < base + size; pa += MEM_SIZE)
		__atomic_store_n(&mem[pa >> MEM_SHIFT], b, __ATOMIC_RELEASE);
	return 0;
}

int rmm_mem_hotplug(struct rmm *m, uint64_t base, uint64_t size)
{
	if (m->firmware == RMM_FW_ALL)
		return rmm_mem_describe(m, base, size,
					RMI_MEM_CATEGORY_CONVENTIONAL,
					RMI_TRACKING_FINE, RMI_GPT_PAR_PLAT);
	return rmm_mem_describe(m, base, size, RMI_MEM_CATEGORY_CONVENTIONAL,
				RMI_TRACKING_COARSE,
				RMI_GPT_PAR_HOST_NOT_CREATED);
}

void rmm_mem_state(struct rmm *m, uint64_t pa, struct rmm_mem_state *st)
{
	uint8_t b = pa < m->gt.pa_limit ? mem_peek(m, pa) : 0;

	st->category = b_cat(b);
	st->tracking = b_trk(b);
	st->gpt = b_gpt(b);
}

/* ---- commands ------------------------------------------------------------------ */

/*
 * GRANULE_TRACKING_GET(base, top): x1 the category, x2 the tracking state
 * of the granule at base, x3 the end of the run of 1 GiB regions with the
 * same two answers, at most top. Granule-aligned base < top inside the
 * PA space, else ERROR_INPUT.
 */
void cmd_granule_tracking_get(struct rmm *m, const uint64_t *x,
			      struct rmm_out *o)
{
	uint64_t base = x[1], top = x[2], end;
	uint8_t b, want;

	if ((base | top) & (RMI_GRANULE_SIZE - 1) || base >= top ||
	    top > m->gt.pa_limit) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	b = mem_peek(m, base);
	want = b & 0x1f;	/* category and tracking */
	end = (base | (MEM_SIZE - 1)) + 1;
	while (end < top && (mem_peek(m, end) & 0x1f) == want)
		end += MEM_SIZE;
	o->x1 = b_cat(b);
	o->x2 = b_trk(b);
	o->x3 = end < top ? end : top;
	ret_status(o, RMI_SUCCESS, 0);
}

/*
 * GRANULE_TRACKING_SET(addr, category, state): the tracking region at
 * addr (aligned to it) to state, NONE, FINE, COARSE or INTERMEDIATE.
 * ERROR_INPUT for another state, an address not aligned or outside the
 * space, a category that is not the region's, a RESERVED region (no
 * memory) [the draft's conditions], and, the model's choice where the
 * draft is silent, for leaving FINE while any of the region's granules
 * is not UNDELEGATED (a region not FINE keeps one state for all its
 * granules). The same state again is SUCCESS. One call: the memory an
 * RMM wants donated for FINE tracking (an SRO) is not modelled.
 */
void cmd_granule_tracking_set(struct rmm *m, const uint64_t *x,
			      struct rmm_out *o)
{
	uint64_t addr = x[1], cat = x[2], st = x[3];
	uint8_t *mem, b;

	if ((st != RMI_TRACKING_NONE && st != RMI_TRACKING_FINE &&
	     st != RMI_TRACKING_COARSE && st != RMI_TRACKING_INTERMEDIATE) ||
	    (addr & (MEM_SIZE - 1)) || addr >= m->gt.pa_limit)
		goto input;
	b = mem_peek(m, addr);
	if (cat != b_cat(b) || b_trk(b) == RMI_TRACKING_RESERVED)
		goto input;
	if (b_trk(b) == st) {
		ret_status(o, RMI_SUCCESS, 0);
		return;
	}
	if (b_trk(b) == RMI_TRACKING_FINE && !all_undelegated(m, addr))
		goto input;
	mem = mem_get(m);
	while (!__atomic_compare_exchange_n(&mem[addr >> MEM_SHIFT], &b,
					    mem_byte(b_cat(b), (unsigned int)st,
						     b_gpt(b)),
					    false, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE))
		;	/* the GPT bits changed under us: keep them */
	ret_status(o, RMI_SUCCESS, 0);
	return;
input:
	ret_status(o, RMI_ERROR_INPUT, 0);
}

/*
 * The GPT state of the L0GPT region at @addr, or ~0u after answering
 * ERROR_INPUT for an address not aligned to it (FEATURES register 1
 * L0GPTSZ is 0: 1 GiB) or outside the space.
 */
static unsigned int gpt_region(struct rmm *m, uint64_t addr,
			       struct rmm_out *o)
{
	if ((addr & (MEM_SIZE - 1)) || addr >= m->gt.pa_limit) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return ~0u;
	}
	return b_gpt(mem_peek(m, addr));
}

/* state @from -> @to of the GPT bits of @addr's byte; false if another
 * call changed them first */
static bool gpt_swap(struct rmm *m, uint64_t addr, unsigned int from,
		     unsigned int to)
{
	uint8_t *mem = mem_get(m);
	uint8_t b = __atomic_load_n(&mem[addr >> MEM_SHIFT], __ATOMIC_ACQUIRE);

	do {
		if (b_gpt(b) != from)
			return false;
	} while (!__atomic_compare_exchange_n(&mem[addr >> MEM_SHIFT], &b,
					      mem_byte(b_cat(b), b_trk(b), to),
					      false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return true;
}

/*
 * GPT_L1_CREATE(addr): the level-1 GPT of the L0GPT region at addr.
 * ERROR_GPT if it exists already, whoever made it (the v14 patch's
 * reading: "RMI_ERROR_GPT indicates the L1 table already exists"; the
 * draft answers ERROR_GLOBAL for one firmware made, which would fail
 * v14's boot on every firmware-prepared region: not modelled);
 * ERROR_GLOBAL where there is no memory (RESERVED). One call: the
 * memory the RMM wants donated for the table (an SRO) is not modelled.
 */
void cmd_gpt_l1_create(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	unsigned int g = gpt_region(m, x[1], o);

	if (g == ~0u)
		return;
	if (g == RMI_GPT_PAR_RESERVED) {
		ret_status(o, RMI_ERROR_GLOBAL, 0);
		return;
	}
	if (g != RMI_GPT_PAR_HOST_NOT_CREATED ||
	    !gpt_swap(m, x[1], RMI_GPT_PAR_HOST_NOT_CREATED,
		      RMI_GPT_PAR_HOST_CREATED)) {
		ret_status(o, RMI_ERROR_GPT, 0);
		return;
	}
	ret_status(o, RMI_SUCCESS, 0);
}

/*
 * GPT_L1_DESTROY(addr), as the draft has it: ERROR_GLOBAL for a region
 * firmware manages (PLAT) or no memory (RESERVED); ERROR_GPT(0) if
 * there is no level-1 GPT, ERROR_GPT(1) if the table is not homogeneous
 * (a granule of the region is not UNDELEGATED).
 */
void cmd_gpt_l1_destroy(struct rmm *m, const uint64_t *x, struct rmm_out *o)
{
	unsigned int g = gpt_region(m, x[1], o);

	if (g == ~0u)
		return;
	if (g == RMI_GPT_PAR_RESERVED || g == RMI_GPT_PAR_PLAT) {
		ret_status(o, RMI_ERROR_GLOBAL, 0);
		return;
	}
	if (g == RMI_GPT_PAR_HOST_NOT_CREATED) {
		ret_status(o, RMI_ERROR_GPT, 0);
		return;
	}
	if (!all_undelegated(m, x[1])) {
		ret_status(o, RMI_ERROR_GPT, 1);
		return;
	}
	if (!gpt_swap(m, x[1], RMI_GPT_PAR_HOST_CREATED,
		      RMI_GPT_PAR_HOST_NOT_CREATED)) {
		ret_status(o, RMI_ERROR_GPT, 0);	/* destroyed meanwhile */
		return;
	}
	ret_status(o, RMI_SUCCESS, 0);
}
