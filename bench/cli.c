// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: option value parsing shared by the subcommands.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "cli.h"

static int parse_term(const char *s, const char **end, uint64_t *v)
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

int cli_parse_size(const char *s, uint64_t *v)
{
	uint64_t sum = 0, t;
	const char *e;

	for (;;) {
		if (parse_term(s, &e, &t) || sum + t < sum)
			return -1;
		sum += t;
		if (!*e)
			break;
		if (*e != '+')
			return -1;
		s = e + 1;
	}
	*v = sum;
	return 0;
}

int cli_parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
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
