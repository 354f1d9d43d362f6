/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: one-line error messages into a caller's buffer.
 */
#ifndef RMIBENCH_ERRMSG_H
#define RMIBENCH_ERRMSG_H

#include <stddef.h>

/*
 * Format into @err (@errlen bytes; either may be 0), turning line breaks
 * and tabs into spaces: file contents may carry them into messages.
 * Returns -1, so that callers can `return errmsg(...)`.
 */
int errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* RMIBENCH_ERRMSG_H */
