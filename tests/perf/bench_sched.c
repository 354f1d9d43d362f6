// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-sched: the det scheduler with many vCPUs. The 1 GiB storm
 * (4 KiB folios, tf-rmm, v15, seed 1) with 1, 64, 128, 256 and 512 vCPUs,
 * each run whole on one core: set-up, accesses, teardown, audit.
 *
 * What the figure means. In a storm every vCPU walks the whole 1 GiB in
 * the same order, so the work grows with the vCPUs: 512 vCPUs make 512
 * times the 1-vCPU run's 262144 accesses (134 M) and about as many
 * faults, re-faults included. Their total time can never be a few times
 * the 1-vCPU run's. What the scheduler must keep is the cost per access:
 * every access is a scheduling point (the vCPU with the earliest virtual
 * clock runs, a heap keyed by clock: O(log n) a switch), so the fault
 * phase's CPU time per access (timing.fault_cpu_seconds over the accesses
 * of all vCPUs; set-up and the teardown of the 40-bit IPA space left out)
 * is printed for each run with its ratio to the 1-vCPU run's: it should
 * stay within a few times the 1-vCPU figure and about flat from 64 to 512
 * vCPUs. Figures are printed, not asserted.
 *
 * usage: bench_sched [-r ROUNDS] [VCPUS...]  (default 1 64 128 256 512;
 * put 1 first for the ratio; with ROUNDS > 1 each configuration runs that
 * many times, one after another, and the per-access figure is the
 * minimum, with the spread (max - min) / min)
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

static int usage(void)
{
	fprintf(stderr, "usage: bench_sched [-r ROUNDS (1..100)] [VCPUS (1..512)...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const char *const dflt[] = { "1", "64", "128", "256", "512" };
	const char *const *list = dflt;
	int nlist = 5, rounds = 1, a = 1;
	double per1 = 0;

	if (a < argc && !strcmp(argv[a], "-r")) {
		char *end;
		long n = a + 1 < argc ? strtol(argv[a + 1], &end, 10) : 0;

		if (a + 1 >= argc || *end || n < 1 || n > 100)
			return usage();
		rounds = (int)n;
		a += 2;
	}
	if (a < argc) {
		list = (const char *const *)argv + a;
		nlist = argc - a;
	}
	for (int i = 0; i < nlist; i++) {
		char *end;
		unsigned long n = strtoul(list[i], &end, 10);

		if (*end || !n || n > 512) {
			fprintf(stderr, "bench_sched: vCPUs must be 1..512, "
				"not '%s'\n", list[i]);
			return 2;
		}
	}
	printf("# rmibench bench-sched: det scheduler, 1 GiB storm, 4K folios, "
	       "tf-rmm, v15, seed 1, one core\n"
	       "# per access: fault-phase CPU time over all vCPUs' accesses "
	       "(min of %d round%s); x: over the 1-vCPU run's\n",
	       rounds, rounds > 1 ? "s" : "");
	for (int i = 0; i < nlist; i++) {
		struct run_result *r = calloc(1, sizeof(*r));
		char err[256];
		unsigned long n = strtoul(list[i], NULL, 10);
		double tmin = 0, pmin = 0, pmax = 0;

		if (!r) {
			fprintf(stderr, "bench_sched: out of memory\n");
			return 1;
		}
		for (int k = 0; k < rounds; k++) {
			struct run_config c;
			double t0 = cpu_s(), t, per;

			run_config_default(&c);
			c.vcpus = (unsigned int)n;
			c.scheduler = SCHED_DET;
			c.size = 1ull << 30;
			snprintf(c.workload, sizeof(c.workload), "storm");
			if (run_one(&c, NULL, 0, r, err, sizeof(err))) {
				fprintf(stderr, "bench_sched: %s\n", err);
				free(r);
				return 1;
			}
			t = cpu_s() - t0;
			per = r->counts.accesses ?
			      r->fault_cpu_seconds * 1e9 /
			      (double)r->counts.accesses : 0;
			if (!k || t < tmin)
				tmin = t;
			if (!k || per < pmin)
				pmin = per;
			if (!k || per > pmax)
				pmax = per;
		}
		printf("%3lu vCPUs: %7.2f s cpu, %10llu accesses, %10llu faults "
		       "(%llu re-faults), outcome %s: %5.0f ns per access",
		       n, tmin, (unsigned long long)r->counts.accesses,
		       (unsigned long long)r->counts.faults,
		       (unsigned long long)r->counts.refaults, r->outcome,
		       pmin);
		if (rounds > 1)
			printf(" (spread %.0f%%)",
			       pmin > 0 ? 100 * (pmax - pmin) / pmin : 0);
		if (n == 1)
			per1 = pmin;
		if (per1 > 0)
			printf(", %.2fx", pmin / per1);
		putchar('\n');
		fflush(stdout);
		free(r);
	}
	return 0;
}
