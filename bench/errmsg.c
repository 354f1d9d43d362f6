// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: one-line error messages.
 */
#include <stdarg.h>
#include <stdio.h>

#include "errmsg.h"

static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

int errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		one_line(err);
	}
	return -1;
}
