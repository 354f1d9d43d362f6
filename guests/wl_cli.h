/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: what the workload programs with a C library share (the
 * Linux guest, the VMM): the workload's command-line options, the
 * histograms of their JSON reports, and the end of the program. The bare-metal guest gets its workload from the
 * VMM.
 */
#ifndef RMIBENCH_WL_CLI_H
#define RMIBENCH_WL_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "workload.h"

/* the workload's long options and their getopt codes, in every program */
#define WL_CLI_OPTIONS							\
	{ "workload", required_argument, 0, 'w' },			\
	{ "size", required_argument, 0, 's' },				\
	{ "vcpus", required_argument, 0, 'v' },				\
	{ "shared-region", no_argument, 0, 'r' },			\
	{ "stride", required_argument, 0, 't' },			\
	{ "write-pct", required_argument, 0, 'p' },			\
	{ "passes", required_argument, 0, 'n' },			\
	{ "seed", required_argument, 0, 'e' },				\
	{ "backing", required_argument, 0, 'b' }

/* A whole number (decimal, or 0x hex), then K, M or G if a size. 0, or -1. */
int wl_cli_u64(const char *s, uint64_t *v);

/* "PROG: OPT 'VAL': WANT" on stderr; returns -1. */
int wl_cli_bad(const char *prog, const char *opt, const char *val,
	       const char *want);

/*
 * getopt's code @c with its argument @arg, if it is one of
 * WL_CLI_OPTIONS, into @cfg (or @backing: "4k" or "thp"), with at most
 * @max_vcpus vCPUs: 1 taken, 0 not a workload option, -1 a bad value
 * (said on stderr, as @prog).
 */
int wl_cli_option(const char *prog, int c, const char *arg,
		  struct wl_config *cfg, const char **backing,
		  unsigned int max_vcpus);

/*
 * Any other getopt code: 'h' (--help) prints @usage on stdout and exits
 * 0; anything else prints it on stderr and returns -1.
 */
int wl_cli_other(int c, const char *usage);

/* After getopt: 0, or -1 for an argument left over (said as @prog). */
int wl_cli_end(const char *prog, int argc, char **argv);

/* @n buckets of a histogram as a JSON array on stdout, to the last one
 * that is not 0 ("[]" if none)
 */
void wl_cli_print_buckets(const uint64_t *b, unsigned int n);

/* Flush, and as PID 1 (an initramfs's program) power the machine off;
 * else exit with @rc.
 */
void wl_cli_exit(int rc) __attribute__((noreturn));

#endif /* RMIBENCH_WL_CLI_H */
