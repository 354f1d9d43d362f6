// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: values derived from a run's counts, as the result file and
 * the report give them.
 */
#include "result.h"

uint64_t result_mapped_total(const struct run_result *r)
{
	const uint64_t *b = r->counts.mapped_bytes;

	return u64_sat_add(u64_sat_add(u64_sat_add(b[0], b[1]), b[2]), b[3]);
}

/* the calls made while the workload ran, not realm set-up or teardown */
double result_calls_per_fault(const struct run_result *r)
{
	if (!r->counts.faults)
		return 0.0;
	return (double)r->counts.rmi_calls_fault / (double)r->counts.faults;
}

double result_rtt_pages_per_gib(const struct run_result *r)
{
	uint64_t total = result_mapped_total(r);

	if (!total)
		return 0.0;
	return (double)r->counts.rtt_pages_end /
	       ((double)total / (double)(1ull << 30));
}

double result_block_coverage(const struct run_result *r)
{
	const uint64_t *b = r->counts.mapped_bytes;
	uint64_t total = result_mapped_total(r);

	if (!total)
		return 0.0;
	return (double)u64_sat_add(u64_sat_add(b[0], b[1]), b[2]) / (double)total;
}

/* per GiB of memory added after boot (--hotplug), 0 without any */
double result_prep_calls_per_gib(const struct run_result *r)
{
	if (!r->cfg.hotplug)
		return 0.0;
	return (double)r->counts.memory_prep_calls /
	       ((double)r->cfg.hotplug / (double)(1ull << 30));
}

/* per fault that met memory the RMM could not use yet */
double result_prep_calls_per_fault(const struct run_result *r)
{
	if (!r->counts.memory_prep_faults)
		return 0.0;
	return (double)r->counts.memory_prep_calls /
	       (double)r->counts.memory_prep_faults;
}
