// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the `rmibench run` command line that repeats a run, made from
 * the settings table (config.h): one option per setting.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "result.h"

struct sbuf {
	char *buf;
	size_t len, used;
};

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	size_t room = b->used < b->len ? b->len - b->used : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->used += (size_t)n;
}

/* a shell word, the first @n bytes of @s: quoted unless plainly safe */
static void sb_word_n(struct sbuf *b, const char *s, size_t n)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "abcdefghijklmnopqrstuvwxyz"
				   "0123456789._/:=,+-@%";
	size_t ok = 0;

	while (ok < n && s[ok] && strchr(safe, s[ok]))
		ok++;
	if (n && ok == n) {
		sb_printf(b, "%.*s", (int)n, s);
		return;
	}
	sb_printf(b, "'");
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '\'')
			sb_printf(b, "'\\''");
		else
			sb_printf(b, "%c", s[i]);
	}
	sb_printf(b, "'");
}

static void sb_word(struct sbuf *b, const char *s)
{
	sb_word_n(b, s, strlen(s));
}

/* the options that set @c, in the order of the schema */
int result_command_line(const struct run_config *c, char *buf, size_t len)
{
	struct sbuf b = { .buf = buf, .len = len };

	if (len)
		buf[0] = 0;
	sb_printf(&b, "rmibench run");
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];
		const char *s = cfg_str(c, f);
		char v[64];

		switch (f->kind) {
		case CFG_KIND_BOOL:
			if (f->get(c))
				sb_printf(&b, " --%s", f->opt);
			break;
		case CFG_KIND_STR:
			sb_printf(&b, " --%s ", f->opt);
			sb_word(&b, s);
			break;
		case CFG_KIND_PATH:
			if (*s) {
				sb_printf(&b, " --%s ", f->opt);
				sb_word(&b, s);
			}
			break;
		case CFG_KIND_RULES:
			/* one option per rule; the setting joins them with ';' */
			while (*s) {
				size_t n = strcspn(s, ";");

				if (n) {
					sb_printf(&b, " --%s ", f->opt);
					sb_word_n(&b, s, n);
				}
				s += n + (s[n] == ';');
			}
			break;
		default:
			cfg_value_text(c, f, v, sizeof(v));
			sb_printf(&b, " --%s %s", f->opt, v);
			break;
		}
	}
	return (int)b.used;
}
