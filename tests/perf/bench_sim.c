// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-sim: the sim's speed. Figures are printed, not asserted.
 *
 *  1. Faults per second per core, one vCPU in the deterministic scheduler
 *     (one thread), for 4 KiB and 2 MiB folios with each RTT strategy:
 *     the whole run (set-up, faults, teardown, audit) and the fault phase.
 *  2. The big run: GIB GiB of 4 KiB folios (default 64: 16.7 million
 *     faults), one vCPU, det, one-level: set-up, fault phase and teardown
 *     timed apart (the result file's timing section).
 *  3. The wall-clock stamps of a fault: the clock, one read's cost, and
 *     what the stamps cost a fault (two reads, 1 fault in `every`).
 *  4. The threads scheduler: the fault phase of GIB/4 GiB of 4 KiB folios
 *     (default 16), one-level, sequential, with 1 and with 2 vCPUs, each
 *     vCPU on its own slice (disjoint) and every vCPU over the whole
 *     region (shared: they race for the same folios): wall clock, CPU,
 *     and the ratio 1 vCPU / 2 vCPUs; before and after them, the same
 *     ratio for a loop that shares nothing: what two threads can get on
 *     the machine as it is while the figures are taken.
 *
 * Each timed figure is the best of REPEAT runs (default 5) and the worst
 * is printed beside it: the machine is shared, the spread is the noise.
 * usage: bench_sim [GIB] [REPEAT] [threads]  (threads: section 4 alone)
 */
#include <pthread.h>
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

static struct run_result *run(struct run_config *c)
{
	struct run_result *r = calloc(1, sizeof(*r));
	char err[256];

	if (!r || run_one(c, NULL, 0, r, err, sizeof(err))) {
		fprintf(stderr, "bench_sim: %s\n", r ? err : "no memory");
		exit(1);
	}
	if (!r->phases_timed) {
		fprintf(stderr, "bench_sim: the run's phases are not timed\n");
		exit(1);
	}
	return r;
}

static void one(const char *label, struct run_config *c)
{
	double t0 = cpu_s(), t;
	struct run_result *r = run(c);

	t = cpu_s() - t0;
	printf("%-26s %9llu faults %10llu RMI calls  whole run %5.2f s cpu"
	       " %5.2f M faults/s  fault phase %5.3f s cpu %5.2f M faults/s"
	       "  outcome %s\n",
	       label, (unsigned long long)r->counts.faults,
	       (unsigned long long)r->counts.rmi_calls, t,
	       (double)r->counts.faults / t / 1e6, r->fault_cpu_seconds,
	       (double)r->counts.faults / r->fault_cpu_seconds / 1e6,
	       r->outcome);
	free(r);
}

/* the best and the worst of @n runs of @c, by fault phase wall clock */
struct span {
	struct run_result best;
	double worst_fault, worst_setup, worst_teardown, worst_cpu;
	double best_setup, best_teardown, best_cpu;
};

static void repeat(struct run_config *c, unsigned int n, struct span *sp)
{
	memset(sp, 0, sizeof(*sp));
	for (unsigned int i = 0; i < n; i++) {
		struct run_result *r = run(c);

		if (!i || r->fault_seconds < sp->best.fault_seconds)
			sp->best = *r;
#define MINMAX_(f, lo, hi)					\
		do {						\
			if (!i || r->f < sp->lo)		\
				sp->lo = r->f;			\
			if (!i || r->f > sp->hi)		\
				sp->hi = r->f;			\
		} while (0)
		MINMAX_(setup_seconds, best_setup, worst_setup);
		MINMAX_(teardown_seconds, best_teardown, worst_teardown);
		MINMAX_(fault_cpu_seconds, best_cpu, worst_cpu);
#undef MINMAX_
		if (r->fault_seconds > sp->worst_fault)
			sp->worst_fault = r->fault_seconds;
		free(r);
	}
}

static void big_run(unsigned long gib, unsigned int n)
{
	struct run_config c;
	struct span sp;
	const struct run_result *r = &sp.best;

	run_config_default(&c);
	c.size = (uint64_t)gib << 30;
	repeat(&c, n, &sp);
	printf("\n## %lu GiB of 4 KiB folios, one vCPU, det, one-level (%llu faults, %llu RMI calls: set-up %llu, faults %llu, teardown %llu), best / worst of %u\n",
	       gib, (unsigned long long)r->counts.faults,
	       (unsigned long long)r->counts.rmi_calls,
	       (unsigned long long)r->counts.rmi_calls_setup,
	       (unsigned long long)r->counts.rmi_calls_fault,
	       (unsigned long long)r->counts.rmi_calls_teardown, n);
	printf("set-up       %6.3f / %6.3f s wall\n", sp.best_setup,
	       sp.worst_setup);
	printf("fault phase  %6.3f / %6.3f s wall (%.3f / %.3f s cpu): %.1f ns a fault, %.2f M faults/s, %.1f M RMI calls/s\n",
	       r->fault_seconds, sp.worst_fault, sp.best_cpu, sp.worst_cpu,
	       r->fault_seconds / (double)r->counts.faults * 1e9,
	       (double)r->counts.faults / r->fault_seconds / 1e6,
	       (double)r->counts.rmi_calls_fault / r->fault_seconds / 1e6);
	printf("teardown     %6.3f / %6.3f s wall: %.1f M RMI calls/s, %llu RTTs created to split the unmapped IPA space\n",
	       sp.best_teardown, sp.worst_teardown,
	       (double)r->counts.rmi_calls_teardown / sp.best_teardown / 1e6,
	       (unsigned long long)r->counts.rtts_created_teardown);
	printf("stamps       1 fault in %u (%s)\n", r->fault_clock_every,
	       r->fault_clock);
}

/* ns per call of @fn, over @n calls */
static double per_read(uint64_t (*fn)(void), uint64_t n)
{
	volatile uint64_t sink = 0;
	uint64_t t0 = rmib_now_ns();

	for (uint64_t i = 0; i < n; i++)
		sink += fn();
	(void)sink;
	return (double)(rmib_now_ns() - t0) / (double)n;
}

static void clock_cost(unsigned long gib)
{
	double fast, mono;
	uint64_t faults = (uint64_t)gib << 18, every = 1;

	rmib_fast_clock_init();
	/* the sim's choice for the big run (sim/host/sched.c) */
	while (faults / every > (1ull << 20))
		every <<= 1;
	fast = per_read(rmib_fast_ns, 20000000);
	mono = per_read(rmib_now_ns, 20000000);
	printf("\n## the wall-clock stamps of a fault\n");
	printf("clock %s, tick %.4f ns; one read %.1f ns (clock_gettime(CLOCK_MONOTONIC) %.1f ns)\n",
	       rmib_fast_clock_source(), rmib_fast_clock_resolution_ns(),
	       fast, mono);
	printf("per fault: %.1f ns stamping every fault (%.1f ns with clock_gettime), %.2f ns stamping 1 in %llu (the %lu GiB run)\n",
	       2 * fast, 2 * mono, 2 * fast / (double)every,
	       (unsigned long long)every, gib);
}

static void threads(unsigned long gib, unsigned int n, bool shared)
{
	struct run_config c;
	struct span one, two;

	run_config_default(&c);
	c.size = (uint64_t)gib << 30;
	c.scheduler = SCHED_THREADS;
	c.shared_region = shared;
	c.vcpus = 1;
	repeat(&c, n, &one);
	c.vcpus = 2;
	repeat(&c, n, &two);
	printf("%-8s 1 vCPU  %6.3f / %6.3f s wall, %6.3f s cpu; %llu faults\n",
	       shared ? "shared" : "disjoint", one.best.fault_seconds,
	       one.worst_fault, one.best_cpu,
	       (unsigned long long)one.best.counts.faults);
	printf("%-8s 2 vCPUs %6.3f / %6.3f s wall, %6.3f s cpu; %llu faults (%llu re-faults, %llu delegate races)\n",
	       "", two.best.fault_seconds, two.worst_fault, two.best_cpu,
	       (unsigned long long)two.best.counts.faults,
	       (unsigned long long)two.best.counts.refaults,
	       (unsigned long long)two.best.counts.delegate_races);
	printf("%-8s scaling 1 vCPU / 2 vCPUs: %.2fx (best of each; worst of each %.2fx)\n",
	       "", one.best.fault_seconds / two.best.fault_seconds,
	       one.worst_fault / two.worst_fault);
}

/*
 * What two threads can get on this machine now: a loop that shares
 * nothing, 1 thread doing one unit and 2 threads doing one unit each;
 * scaling = 2 * t(1) / t(2), the best of @n each. On a machine whose
 * other work leaves one core (or whose scheduler groups a session's
 * threads, as Linux's autogroup does, against busy other sessions) it
 * is 1.0x whatever the program.
 */
static void *spin_unit(void *arg)
{
	volatile uint64_t x = 0;

	(void)arg;
	for (uint64_t i = 0; i < 200000000ull; i++)
		x += i;
	return NULL;
}

static double spin(unsigned int threads)
{
	pthread_t t[2];
	double t0 = rmib_now_s();

	for (unsigned int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, spin_unit, NULL))
			exit(1);
	for (unsigned int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return rmib_now_s() - t0;
}

static void machine_scaling(unsigned int n)
{
	double one = 0, two = 0;

	for (unsigned int i = 0; i < n; i++) {
		double a = spin(1), b = spin(2);

		if (!i || a < one)
			one = a;
		if (!i || b < two)
			two = b;
	}
	printf("machine  a loop that shares nothing: 1 thread %.3f s, 2 threads (twice the work) %.3f s: %.2fx\n",
	       one, two, 2 * one / two);
}

int main(int argc, char **argv)
{
	static const char *const strat[] = { "full", "one-level", "block" };
	unsigned long gib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 5;
	struct run_config c;
	char label[64];

	if (!gib || gib > 200 || !n || n > 100 ||
	    (argc > 3 && strcmp(argv[3], "threads"))) {
		fprintf(stderr, "bench_sim: GiB must be 1..200, REPEAT 1..100, the third argument 'threads' or nothing\n");
		return 2;
	}
	if (argc > 3) {
		/* the threads figures alone */
		machine_scaling((unsigned int)n);
		threads(gib / 4 ? gib / 4 : 1, (unsigned int)n, false);
		threads(gib / 4 ? gib / 4 : 1, (unsigned int)n, true);
		machine_scaling((unsigned int)n);
		return 0;
	}
	printf("# rmibench bench-sim: tf-rmm, sequential, 4 KiB folios unless said\n");
	printf("\n## faults per second per core: one vCPU, det\n");
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
	big_run(gib, (unsigned int)n);
	clock_cost(gib);
	printf("\n## threads scheduler, fault phase only: %lu GiB, one-level, best / worst of %lu\n",
	       gib / 4 ? gib / 4 : 1, n);
	machine_scaling((unsigned int)n);
	threads(gib / 4 ? gib / 4 : 1, (unsigned int)n, false);
	threads(gib / 4 ? gib / 4 : 1, (unsigned int)n, true);
	machine_scaling((unsigned int)n);
	return 0;
}
