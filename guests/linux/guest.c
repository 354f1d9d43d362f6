// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench Linux guest program: walks a workload (guests/workload.c) over
 * anonymous memory with one thread per vCPU, times the first touch of
 * every page (the virtual counter on arm64, CLOCK_MONOTONIC elsewhere),
 * and prints one JSON line per vCPU and a summary line on stdout. As PID
 * 1 (the program of an initramfs) it powers the machine off when done.
 *
 * Static aarch64 binary for guests; builds natively too, where the same
 * configuration gives the same access counts.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "wl_cli.h"
#include "workload.h"

#define HIST_BUCKETS	48
#define MAX_VCPUS	256

struct vcpu {
	pthread_t thread;
	unsigned int idx;
	const struct wl_config *cfg;
	uint64_t pages, accesses, writes;
	uint64_t first_sum, first_min, first_max;
	uint64_t hist[HIST_BUCKETS];
	uint64_t minflt, majflt;	/* the guest kernel's faults, walk */
	uint64_t walk_ns;
};

struct opts {
	struct wl_config cfg;
	const char *backing;		/* "4k" or "thp" */
};

#if defined(__aarch64__)
static inline uint64_t tick(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static uint64_t tick_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v ? v : 1;
}
static const char clock_name[] = "cntvct_el0";
#else
static inline uint64_t tick(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t tick_hz(void)
{
	return 1000000000ull;
}
static const char clock_name[] = "CLOCK_MONOTONIC";
#endif

static uint64_t hz;

static uint64_t ticks_ns(uint64_t t)
{
	return t / hz * 1000000000ull + t % hz * 1000000000ull / hz;
}

static unsigned int log2_bucket(uint64_t ns)
{
	unsigned int b = ns ? 63u - (unsigned int)__builtin_clzll(ns) : 0;

	return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

static void *vcpu_main(void *arg)
{
	struct vcpu *v = arg;
	struct rusage r0, r1;
	struct wl_iter it;
	uint64_t ipa, t0;
	bool write;

	wl_iter_init(&it, v->cfg, v->idx);
	v->pages = it.pages;
	v->first_min = UINT64_MAX;
	getrusage(RUSAGE_THREAD, &r0);
	t0 = tick();
	while (wl_next(&it, &ipa, &write)) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)ipa;
		uint64_t a, b, ns;

		a = tick();
		if (write)
			*p = ipa;
		else
			(void)*p;
		b = tick();
		v->accesses++;
		v->writes += write;
		if (v->accesses > it.pages)
			continue;	/* a later pass: not a first touch */
		ns = ticks_ns(b - a);
		v->hist[log2_bucket(ns)]++;
		v->first_sum += ns;
		if (ns < v->first_min)
			v->first_min = ns;
		if (ns > v->first_max)
			v->first_max = ns;
	}
	v->walk_ns = ticks_ns(tick() - t0);
	getrusage(RUSAGE_THREAD, &r1);
	v->minflt = (uint64_t)(r1.ru_minflt - r0.ru_minflt);
	v->majflt = (uint64_t)(r1.ru_majflt - r0.ru_majflt);
	if (!v->accesses)
		v->first_min = 0;
	return NULL;
}

static void print_vcpu(const struct vcpu *v)
{
	printf("{\"guest\":\"linux\",\"vcpu\":%u,\"pages\":%" PRIu64
	       ",\"accesses\":%" PRIu64 ",\"writes\":%" PRIu64
	       ",\"minor_faults\":%" PRIu64 ",\"major_faults\":%" PRIu64
	       ",\"walk_ns\":%" PRIu64 ",\"first_touch_ns\":{\"count\":%" PRIu64
	       ",\"sum\":%" PRIu64 ",\"min\":%" PRIu64 ",\"max\":%" PRIu64
	       ",\"log2_buckets\":",
	       v->idx, v->pages, v->accesses, v->writes, v->minflt,
	       v->majflt, v->walk_ns,
	       v->accesses < v->pages ? v->accesses : v->pages,
	       v->first_sum, v->first_min, v->first_max);
	wl_cli_print_buckets(v->hist, HIST_BUCKETS);
	printf("}}\n");
}

static const char usage[] =
"usage: guest [--workload sequential|random|strided|storm] [--size BYTES]\n"
"             [--vcpus N] [--shared-region] [--stride BYTES] [--write-pct P]\n"
"             [--passes N] [--seed N] [--backing 4k|thp]\n"
"Walks the workload over anonymous memory, one thread per vCPU; prints one\n"
"JSON line per vCPU and a summary line. Sizes take K, M, G suffixes.\n";

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		WL_CLI_OPTIONS,
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	int c, r;

	o->cfg = (struct wl_config){
		.pattern = WL_SEQUENTIAL, .size = 16ull << 20, .nvcpus = 1,
		.stride = 2ull << 20, .write_pct = 100, .passes = 1, .seed = 1,
	};
	o->backing = "4k";
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		r = wl_cli_option("guest", c, optarg, &o->cfg, &o->backing,
				  MAX_VCPUS);
		if (r < 0)
			return -1;
		if (!r && wl_cli_other(c, usage))
			return -1;
	}
	return wl_cli_end("guest", argc, argv);
}

int main(int argc, char **argv)
{
	struct vcpu *vs;
	struct opts o;
	uint64_t align = 2ull << 20, accesses = 0, writes = 0, minflt = 0;
	uint64_t t0, wall;
	const char *why;
	char *raw;

	if (parse_opts(argc, argv, &o))
		wl_cli_exit(2);
	hz = tick_hz();
	/* 2 MiB aligned, so that thp can back it with huge pages */
	raw = mmap(NULL, o.cfg.size + align, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED) {
		fprintf(stderr, "guest: mmap %" PRIu64 " bytes: %s\n",
			o.cfg.size, strerror(errno));
		wl_cli_exit(1);
	}
	o.cfg.base = ((uintptr_t)raw + align - 1) & ~(align - 1);
	if (madvise((void *)(uintptr_t)o.cfg.base, o.cfg.size,
		    strcmp(o.backing, "thp") ? MADV_NOHUGEPAGE :
		    MADV_HUGEPAGE))
		fprintf(stderr, "guest: madvise: %s (backing as the kernel's default)\n",
			strerror(errno));
	why = wl_config_check(&o.cfg);
	if (why) {
		fprintf(stderr, "guest: %s\n", why);
		wl_cli_exit(2);
	}
	vs = calloc(o.cfg.nvcpus, sizeof(*vs));
	if (!vs) {
		fprintf(stderr, "guest: out of memory\n");
		wl_cli_exit(1);
	}
	t0 = tick();
	for (unsigned int i = 0; i < o.cfg.nvcpus; i++) {
		vs[i].idx = i;
		vs[i].cfg = &o.cfg;
		if (pthread_create(&vs[i].thread, NULL, vcpu_main, &vs[i])) {
			fprintf(stderr, "guest: cannot start thread %u\n", i);
			wl_cli_exit(1);
		}
	}
	for (unsigned int i = 0; i < o.cfg.nvcpus; i++)
		pthread_join(vs[i].thread, NULL);
	wall = ticks_ns(tick() - t0);
	for (unsigned int i = 0; i < o.cfg.nvcpus; i++) {
		print_vcpu(&vs[i]);
		accesses += vs[i].accesses;
		writes += vs[i].writes;
		minflt += vs[i].minflt;
	}
	printf("{\"guest\":\"linux\",\"done\":true,\"workload\":\"%s\",\"size\":%"
	       PRIu64 ",\"vcpus\":%u,\"shared_region\":%s,\"write_pct\":%u,"
	       "\"passes\":%u,\"seed\":%" PRIu64 ",\"backing\":\"%s\","
	       "\"clock\":\"%s\",\"clock_hz\":%" PRIu64 ",\"accesses\":%" PRIu64
	       ",\"writes\":%" PRIu64 ",\"minor_faults\":%" PRIu64
	       ",\"wall_ns\":%" PRIu64 ",\"pid1\":%s}\n",
	       wl_pattern_name(o.cfg.pattern), o.cfg.size, o.cfg.nvcpus,
	       o.cfg.shared_region ? "true" : "false", o.cfg.write_pct,
	       o.cfg.passes, o.cfg.seed, o.backing, clock_name, hz, accesses,
	       writes, minflt, wall, getpid() == 1 ? "true" : "false");
	free(vs);
	munmap(raw, o.cfg.size + align);
	wl_cli_exit(0);
	return 0;
}
