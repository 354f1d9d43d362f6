// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: granule delegation [f5, f9.2]:
 * GRANULE_RANGE_DELEGATE and GRANULE_RANGE_UNDELEGATE. Undelegating
 * checks no tracking or GPT state: a granule outside FINE memory with a
 * level-1 GPT was never delegated, so it answers ERROR_INPUT as any
 * UNDELEGATED granule does.
 */
#include "rmm_internal.h"

/*
 * Up to m->delegate_granules granules of [x1, x2) from @from to @to. A
 * delegate (@from UNDELEGATED) also needs the granule's memory to be
 * FINE-tracked with a level-1 GPT (mem.c): else ERROR_TRACKING or
 * ERROR_GPT, x1 = the granule, as for the other errors [f9.2].
 */
static inline void range_delegate(struct rmm *m, const uint64_t *x,
				  struct rmm_out *o, unsigned int from,
				  unsigned int to)
{
	uint64_t base = x[1], top = x[2], pa;
	unsigned int n = 0, st = RMI_ERROR_INPUT;

	o->x1 = base;
	if ((base & 0xfff) || (top & 0xfff) || top <= base ||
	    !gt_valid(&m->gt, base) || top > m->gt.pa_limit) {
		ret_status(o, RMI_ERROR_INPUT, 0);
		return;
	}
	for (pa = base; pa < top && n < m->delegate_granules;
	     pa += RMI_GRANULE_SIZE, n++) {
		/* once per 1 GiB: the first granule, and each boundary */
		if (from == RMI_GRANULE_UNDELEGATED &&
		    (pa == base || !(pa & (RMI_TRACKING_REGION_SIZE - 1)))) {
			unsigned int why = mem_delegable(m, pa);

			if (why != RMI_SUCCESS) {
				st = why;
				break;
			}
		}
		if (!gt_cas(&m->gt, pa, from, to)) {
			st = RMI_ERROR_INPUT;
			break;
		}
	}
	o->x1 = pa;
	/* progress is SUCCESS; the failure shows on the next call from x1 */
	ret_status(o, n ? RMI_SUCCESS : st, 0);
}

void cmd_granule_range_delegate(struct rmm *m, const uint64_t *x,
				struct rmm_out *o)
{
	range_delegate(m, x, o, RMI_GRANULE_UNDELEGATED, RMI_GRANULE_DELEGATED);
}

void cmd_granule_range_undelegate(struct rmm *m, const uint64_t *x,
				  struct rmm_out *o)
{
	range_delegate(m, x, o, RMI_GRANULE_DELEGATED, RMI_GRANULE_UNDELEGATED);
}
