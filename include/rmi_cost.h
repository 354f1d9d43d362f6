/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the cost model. Each RMI command costs a fixed time plus a time
 * per granule it worked on; a fault adds its exit and re-entry, a guest
 * access that does not fault its own. The sim charges these to each
 * vCPU's virtual clock; a calibration file (results/README.md) measured on
 * a real host replaces the assumed default table. Counts never depend on
 * it.
 */
#ifndef RMIBENCH_RMI_COST_H
#define RMIBENCH_RMI_COST_H

#include <stdbool.h>
#include <stdint.h>

#include "rmi_abi.h"

struct cost_entry {
	uint64_t fixed_ns;
	uint64_t per_granule_ns;
};

struct cost_model {
	struct cost_entry cmd[RMI_CMD_COUNT];
	uint64_t fault_overhead_ns;	/* exit, KVM fault handling, re-entry */
	uint64_t access_ns;		/* a guest access that does not fault */
	bool is_default;
	char source[256];
};

#endif /* RMIBENCH_RMI_COST_H */
