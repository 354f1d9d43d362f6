/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: small helpers every part of the tree shares, defined once:
 * the seeded generators, the clocks, and the one grammar for sizes and
 * whole numbers (command-line options, scenario files, rules, calibration
 * files).
 */
#ifndef RMIBENCH_UTIL_H
#define RMIBENCH_UTIL_H

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#define RMIB_GOLDEN	0x9e3779b97f4a7c15ull

/* splitmix64's output function of z + golden: a stateless 64-bit mixer. */
static inline uint64_t rmib_mix64(uint64_t z)
{
	z += RMIB_GOLDEN;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* splitmix64 as a stream: advances *state, returns the next value. */
static inline uint64_t rmib_splitmix(uint64_t *state)
{
	uint64_t z = *state;

	*state += RMIB_GOLDEN;
	return rmib_mix64(z);
}

/* xorshift64: the cheap generator of the hot paths (state never 0). */
static inline uint64_t rmib_xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* A clock in nanoseconds: CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID ... */
static inline uint64_t rmib_clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t rmib_now_ns(void)
{
	return rmib_clock_ns(CLOCK_MONOTONIC);
}

static inline double rmib_now_s(void)
{
	return (double)rmib_now_ns() * 1e-9;
}

/*
 * A cheap monotonic clock for per-fault stamps: the CPU's counter (TSC on
 * x86, CNTVCT on arm64), scaled to nanoseconds by rmib_fast_clock_init(),
 * which measures it against CLOCK_MONOTONIC over 20 ms. A clock_gettime()
 * through the vDSO costs ~20 ns; reading the counter a few. Elsewhere
 * (no counter known) it is CLOCK_MONOTONIC itself.
 */
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
static inline uint64_t rmib_cycles(void)
{
	return __rdtsc();
}
#define RMIB_HAVE_CYCLES 1
#define RMIB_CYCLES_NAME "tsc"
#elif defined(__aarch64__)
static inline uint64_t rmib_cycles(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}
#define RMIB_HAVE_CYCLES 1
#define RMIB_CYCLES_NAME "cntvct"

#endif

struct rmib_fast_clock {
	double ns_per_cycle;	/* 0: not calibrated, use clock_gettime */
	uint64_t c0, ns0;
};

extern struct rmib_fast_clock rmib_fast_clock;

/* Calibrate once (about 20 ms); returns the nanoseconds per cycle. */
static inline double rmib_fast_clock_init(void)
{
#ifdef RMIB_HAVE_CYCLES
	struct timespec d = { 0, 20000000 };
	uint64_t n0, c0, n1, c1;

	if (rmib_fast_clock.ns_per_cycle > 0)
		return rmib_fast_clock.ns_per_cycle;
	n0 = rmib_now_ns();
	c0 = rmib_cycles();
	nanosleep(&d, NULL);
	n1 = rmib_now_ns();
	c1 = rmib_cycles();
	if (c1 > c0 && n1 > n0) {
		rmib_fast_clock.c0 = c0;
		rmib_fast_clock.ns0 = n0;
		rmib_fast_clock.ns_per_cycle = (double)(n1 - n0) /
					       (double)(c1 - c0);
	}
#endif
	return rmib_fast_clock.ns_per_cycle;
}

static inline uint64_t rmib_fast_ns(void)
{
#ifdef RMIB_HAVE_CYCLES
	if (__builtin_expect(rmib_fast_clock.ns_per_cycle > 0, 1))
		return rmib_fast_clock.ns0 +
		       (uint64_t)((double)(rmib_cycles() - rmib_fast_clock.c0) *
				  rmib_fast_clock.ns_per_cycle);
#endif
	return rmib_now_ns();
}

/* In a spin-wait loop: let the other hardware thread run. */
static inline void rmib_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

/* What rmib_fast_ns() reads: "tsc", "cntvct" or "clock_monotonic". */
static inline const char *rmib_fast_clock_source(void)
{
#ifdef RMIB_HAVE_CYCLES
	if (rmib_fast_clock.ns_per_cycle > 0)
		return RMIB_CYCLES_NAME;
#endif
	return "clock_monotonic";
}

/* The length of one tick of that clock, ns. */
static inline double rmib_fast_clock_resolution_ns(void)
{
	struct timespec r;

	if (rmib_fast_clock.ns_per_cycle > 0)
		return rmib_fast_clock.ns_per_cycle;
	if (clock_getres(CLOCK_MONOTONIC, &r) || (!r.tv_sec && !r.tv_nsec))
		return 1.0;
	return (double)r.tv_sec * 1e9 + (double)r.tv_nsec;
}

/* One term of a size: a number (0x.. or decimal) and a K/M/G/T suffix,
 * optionally followed by "iB" or "B". */
static inline int rmib_size_term(const char *s, const char **end,
				 uint64_t *v)
{
	unsigned long long n;
	unsigned int sh = 0;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, &e, 0);
	if (errno)
		return -1;
	switch (*e) {
	case 'k': case 'K': sh = 10; break;
	case 'm': case 'M': sh = 20; break;
	case 'g': case 'G': sh = 30; break;
	case 't': case 'T': sh = 40; break;
	}
	if (sh) {
		if (n >> (64 - sh))
			return -1;
		n <<= sh;
		e++;
		if (*e == 'i' && e[1] == 'B')
			e += 2;
		else if (*e == 'B')
			e++;
	}
	*v = n;
	*end = e;
	return 0;
}

/*
 * The size grammar: "4k", "2M", "1GiB", "0x1000", "1G+2M". Stops at the
 * first character that cannot continue it (*end); 0, or -1 on a malformed
 * term or an overflow.
 */
static inline int rmib_parse_size_prefix(const char *s, const char **end,
					 uint64_t *v)
{
	uint64_t sum = 0, t;
	const char *e;

	for (;;) {
		if (rmib_size_term(s, &e, &t) || sum + t < sum)
			return -1;
		sum += t;
		if (*e != '+' || !isdigit((unsigned char)e[1]))
			break;
		s = e + 1;
	}
	*v = sum;
	*end = e;
	return 0;
}

/* A whole string in the size grammar; 0, or -1. */
static inline int rmib_parse_size(const char *s, uint64_t *v)
{
	const char *e;

	if (rmib_parse_size_prefix(s, &e, v) || *e)
		return -1;
	return 0;
}

/* A whole number (decimal or 0x) in [lo, hi]; 0, or -1. */
static inline int rmib_parse_uint(const char *s, uint64_t lo, uint64_t hi,
				  uint64_t *v)
{
	unsigned long long n;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, &e, 0);
	if (errno || *e || n < lo || n > hi)
		return -1;
	*v = n;
	return 0;
}

#endif /* RMIBENCH_UTIL_H */
