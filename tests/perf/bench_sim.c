// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-sim: simulated faults per second per core, one vCPU in the
 * deterministic scheduler (one thread), for 4 KiB and 2 MiB folios with
 * each RTT strategy, then the 64 GiB 4 KiB-folio workload (16.7 million
 * faults) end to end: realm set-up, faults, teardown and leak audit.
 * Figures are printed, not asserted.
 * usage: bench_sim [GIB_FOR_THE_BIG_RUN] (default 64)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "run.h"
#include "rmib_util.h"

static double cpu_s(void)
{
	return (double)rmib_clock_ns(CLOCK_PROCESS_CPUTIME_ID) * 1e-9;
}

static void one(const char *label, struct run_config *c)
{
	struct run_result *r = calloc(1, sizeof(*r));
	char err[256];
	double t0 = cpu_s(), t;

	if (!r || run_one(c, NULL, 0, r, err, sizeof(err))) {
		fprintf(stderr, "bench_sim: %s\n", r ? err : "no memory");
		exit(1);
	}
	t = cpu_s() - t0;
	printf("%-34s %9llu faults %11llu RMI calls  %6.2f s cpu  %6.2f M faults/s/core  %5.1f M calls/s  outcome %s\n",
	       label, (unsigned long long)r->counts.faults,
	       (unsigned long long)r->counts.rmi_calls, t,
	       (double)r->counts.faults / t / 1e6,
	       (double)r->counts.rmi_calls / t / 1e6, r->outcome);
	printf("%-34s   wall: set-up %.3f s, faults %.3f s, teardown %.3f s\n",
	       "", r->setup_seconds, r->fault_seconds, r->teardown_seconds);
	free(r);
}

int main(int argc, char **argv)
{
	static const char *const strat[] = { "full", "one-level", "block" };
	unsigned long gib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	struct run_config c;
	char label[64];

	if (!gib || gib > 200) {
		fprintf(stderr, "bench_sim: GiB must be 1..200\n");
		return 2;
	}
	printf("# rmibench bench-sim: one vCPU, det scheduler, tf-rmm, sequential,\n"
	       "# whole run (set-up + faults + teardown + audit) on one core\n");
	for (int f = 0; f < 2; f++)
		for (int s = 0; s < 3; s++) {
			run_config_default(&c);
			c.strategy = (enum rmi_rtt_strategy)s;
			c.folio = f ? FOLIO_2M : FOLIO_4K;
			c.size = f ? 8ull << 30 : 1ull << 30;
			snprintf(label, sizeof(label), "%s folios, %s, %lluG",
				 f ? "2M" : "4K", strat[s],
				 (unsigned long long)(c.size >> 30));
			one(label, &c);
		}
	run_config_default(&c);
	c.size = (uint64_t)gib << 30;
	snprintf(label, sizeof(label), "4K folios, one-level, %luG", gib);
	one(label, &c);
	return 0;
}
