// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: granule delegation [f5, f9.2]:
 * GRANULE_RANGE_DELEGATE and GRANULE_RANGE_UNDELEGATE.
 */
#include "rmm_internal.h"

/* Up to m->delegate_granules granules of [x1, x2) from @from to @to. */
static inline void range_delegate(struct rmm *m, const uint64_t *x,
				  struct rmm_out *o, unsigned int from,
				  unsigned int to)
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
