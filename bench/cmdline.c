// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the `rmibench run` command line that repeats a run, made from
 * the settings table (config.h): one option per setting.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "result.h"
#include "schedule.h"

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

/*
 * The command line that repeats the run behind @r: result_command_line,
 * and for a run that replayed a schedule, --schedule with it. The
 * schedule's failure point is then an injection rule the schedule adds
 * itself (the last one), so it is left out of the --inject options.
 */
int result_repro_line(const struct run_result *r, char *buf, size_t len)
{
	const struct cfg_field *inj = &run_config_fields[CFG_FIELD_inject];
	struct run_config c = r->cfg;
	struct schedule *s;
	char rule[192], why[128], *rules, *last;
	struct sbuf b = { .buf = buf, .len = len };
	int n;

	if (!r->schedule[0])
		return result_command_line(&r->cfg, buf, len);
	s = calloc(1, sizeof(*s));
	if (s && !schedule_parse(r->schedule, s, why, sizeof(why))) {
		schedule_fail_rule(s, rule, sizeof(rule));
		rules = cfg_str_mut(&c, inj);
		last = strrchr(rules, ';');
		last = last ? last + 1 : rules;
		if (rule[0] && !strcmp(last, rule))
			last[last == rules ? 0 : -1] = 0;
	}
	free(s);
	n = result_command_line(&c, buf, len);
	b.used = (size_t)n;
	sb_printf(&b, " --schedule ");
	sb_word(&b, r->schedule);
	return (int)b.used;
}
