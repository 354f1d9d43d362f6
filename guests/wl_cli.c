// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the workload's command-line options, report histograms and
 * the end of the program (wl_cli.h), for the Linux guest and the VMM.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "wl_cli.h"

int wl_cli_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'K': case 'k': x <<= 10; end++; break;
	case 'M': case 'm': x <<= 20; end++; break;
	case 'G': case 'g': x <<= 30; end++; break;
	}
	if (*end)
		return -1;
	*v = x;
	return 0;
}

int wl_cli_bad(const char *prog, const char *opt, const char *val,
	       const char *want)
{
	fprintf(stderr, "%s: %s '%s': %s\n", prog, opt, val, want);
	return -1;
}

int wl_cli_option(const char *prog, int c, const char *arg,
		  struct wl_config *cfg, const char **backing,
		  unsigned int max_vcpus)
{
	char want[32];
	uint64_t x;
	int p;

	switch (c) {
	case 'w':
		p = wl_pattern_from_name(arg);
		if (p < 0)
			return wl_cli_bad(prog, "--workload", arg,
					  "want sequential, random, strided or storm");
		cfg->pattern = (enum wl_pattern)p;
		return 1;
	case 's':
		if (wl_cli_u64(arg, &cfg->size) || !cfg->size)
			return wl_cli_bad(prog, "--size", arg,
					  "want a size, e.g. 16M");
		return 1;
	case 'v':
		if (wl_cli_u64(arg, &x) || !x || x > max_vcpus) {
			snprintf(want, sizeof(want), "want 1..%u", max_vcpus);
			return wl_cli_bad(prog, "--vcpus", arg, want);
		}
		cfg->nvcpus = (unsigned int)x;
		return 1;
	case 'r':
		cfg->shared_region = true;
		return 1;
	case 't':
		if (wl_cli_u64(arg, &cfg->stride))
			return wl_cli_bad(prog, "--stride", arg, "want a size");
		return 1;
	case 'p':
		if (wl_cli_u64(arg, &x) || x > 100)
			return wl_cli_bad(prog, "--write-pct", arg,
					  "want 0..100");
		cfg->write_pct = (unsigned int)x;
		return 1;
	case 'n':
		if (wl_cli_u64(arg, &x) || !x || x > 1000000)
			return wl_cli_bad(prog, "--passes", arg,
					  "want 1..1000000");
		cfg->passes = (unsigned int)x;
		return 1;
	case 'e':
		if (wl_cli_u64(arg, &cfg->seed))
			return wl_cli_bad(prog, "--seed", arg,
					  "want a whole number");
		return 1;
	case 'b':
		if (strcmp(arg, "4k") && strcmp(arg, "thp"))
			return wl_cli_bad(prog, "--backing", arg,
					  "want 4k or thp");
		*backing = arg;
		return 1;
	default:
		return 0;
	}
}

int wl_cli_other(int c, const char *usage)
{
	if (c == 'h') {
		fputs(usage, stdout);
		exit(0);
	}
	fputs(usage, stderr);
	return -1;
}

int wl_cli_end(const char *prog, int argc, char **argv)
{
	if (optind == argc)
		return 0;
	fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
	return -1;
}

void wl_cli_print_buckets(const uint64_t *b, unsigned int n)
{
	int last = -1;

	for (unsigned int i = 0; i < n; i++)
		if (b[i])
			last = (int)i;
	putchar('[');
	for (int i = 0; i <= last; i++)
		printf("%s%" PRIu64, i ? "," : "", b[i]);
	putchar(']');
}

void wl_cli_exit(int rc)
{
	fflush(stdout);
	fflush(stderr);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	exit(rc);
}
