// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: one-line error messages, with what users and files gave us
 * escaped.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"

/* the length of the valid UTF-8 sequence at @s (2-4), or 0 */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* C1 controls (U+0080..U+009F) move terminals too */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return n;
}

char *errmsg_escape(char *buf, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!len)
		return buf;
	while (*p) {
		char tmp[8];
		size_t n = 1;
		const char *out = tmp;

		if (*p == '\n') {
			out = "\\n";
		} else if (*p == '\r') {
			out = "\\r";
		} else if (*p == '\t') {
			out = "\\t";
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
		} else if (*p < 0x80) {
			tmp[0] = (char)*p;
			tmp[1] = 0;
		} else if ((n = utf8_len(p))) {
			memcpy(tmp, p, n);
			tmp[n] = 0;
		} else {
			n = 1;
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
		}
		if (o + strlen(out) + 4 > len) {
			/* cut: room for "..." and the NUL */
			if (len >= 4) {
				o = o + 4 <= len ? o : len - 4;
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(buf + o, out, strlen(out));
		o += strlen(out);
		p += n;
	}
	buf[o < len ? o : len - 1] = 0;
	return buf;
}

int errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	char raw[2048];
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(raw, sizeof(raw), fmt, ap);
		va_end(ap);
		errmsg_escape(err, errlen, raw);
	}
	return -1;
}

void errmsg_print(const char *fmt, ...)
{
	char raw[4096], line[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", errmsg_escape(line, sizeof(line), raw));
}
