// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-sched: the det scheduler with many vCPUs. The 1 GiB storm
 * (4 KiB folios, tf-rmm, v15, seed 1: every vCPU walks the whole 1 GiB in
 * the same order, so the storm's work grows with the vCPUs) with 1, 64 and
 * 512 vCPUs, each run whole on one core: set-up, accesses, teardown, audit.
 * Every access is a scheduling point. Printed per run: CPU seconds,
 * accesses, and the CPU time per access over what the 1-vCPU run took
 * ((T(n) - T(1)) / (A(n) - A(1))), which leaves out the fixed set-up and
 * teardown: with a scheduler whose switch is O(log n) it stays nearly flat
 * from 64 to 512 vCPUs. Figures are printed, not asserted.
 * usage: bench_sched [VCPUS...] (default 1 64 512; 1 first for the ratio)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run.h"
#include "rmib_util.h"

static double cpu_s(void)
{
	return (double)rmib_clock_ns(CLOCK_PROCESS_CPUTIME_ID) * 1e-9;
}

int main(int argc, char **argv)
{
	static const char *const dflt[] = { "1", "64", "512" };
	const char *const *list = argc > 1 ? (const char *const *)argv + 1 :
				  dflt;
	int nlist = argc > 1 ? argc - 1 : 3;
	double t1 = 0, a1 = 0;
	bool have1 = false;

	printf("# rmibench bench-sched: det scheduler, 1 GiB storm, 4K folios, "
	       "tf-rmm, v15, seed 1, one core\n");
	for (int i = 0; i < nlist; i++) {
		struct run_result *r = calloc(1, sizeof(*r));
		struct run_config c;
		char err[256], *end;
		unsigned long n = strtoul(list[i], &end, 10);
		double t0, t, acc;

		if (*end || !n || n > 512 || !r) {
			fprintf(stderr, "bench_sched: vCPUs must be 1..512, "
				"not '%s'\n", list[i]);
			return 2;
		}
		run_config_default(&c);
		c.vcpus = (unsigned int)n;
		c.scheduler = SCHED_DET;
		c.size = 1ull << 30;
		snprintf(c.workload, sizeof(c.workload), "storm");
		t0 = cpu_s();
		if (run_one(&c, NULL, 0, r, err, sizeof(err))) {
			fprintf(stderr, "bench_sched: %s\n", err);
			return 1;
		}
		t = cpu_s() - t0;
		acc = (double)r->counts.accesses;
		printf("%3lu vCPUs: %7.2f s cpu, %10.0f accesses, %10llu faults "
		       "(%llu re-faults), outcome %s",
		       n, t, acc, (unsigned long long)r->counts.faults,
		       (unsigned long long)r->counts.refaults, r->outcome);
		if (n == 1) {
			t1 = t;
			a1 = acc;
			have1 = true;
		} else if (have1 && acc > a1) {
			printf(", %.0f ns cpu per access over 1 vCPU's",
			       (t - t1) / (acc - a1) * 1e9);
		}
		putchar('\n');
		fflush(stdout);
		free(r);
	}
	return 0;
}
