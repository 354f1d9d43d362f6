/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: one-line error messages. Whatever a user or a file gave us
 * (a path, an option's value, a key) is echoed with the bytes that do not
 * print escaped, so that a message is one line and shows what was there.
 */
#ifndef RMIBENCH_ERRMSG_H
#define RMIBENCH_ERRMSG_H

#include <stddef.h>

/*
 * Format into @err (@errlen bytes; either may be 0), with every byte that
 * does not print escaped (errmsg_escape()): file contents and paths may
 * carry line breaks or terminal controls into messages. Returns -1, so
 * that callers can `return errmsg(...)`.
 */
int errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * @s into @buf (@len bytes, cut with "..." if it does not fit) with the
 * bytes that do not print escaped: \n, \r, \t as such, other control
 * bytes, DEL and bytes that are not valid UTF-8 as \xHH. Printable ASCII
 * and valid UTF-8 are kept; nothing already escaped changes (escaping is
 * idempotent). Returns @buf.
 */
char *errmsg_escape(char *buf, size_t len, const char *s);

/*
 * Print one line to stderr: the message formatted, escaped as above, and
 * a line break.
 */
void errmsg_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* RMIBENCH_ERRMSG_H */
