// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the `rmibench run` command line that repeats a run.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* a shell word: quoted unless it is plainly safe */
static void sb_word(struct sbuf *b, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._/:=,+-@%") == strlen(s)) {
		sb_printf(b, "%s", s);
		return;
	}
	sb_printf(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_printf(b, "'\\''");
		else
			sb_printf(b, "%c", *s);
	}
	sb_printf(b, "'");
}

static void sb_size(struct sbuf *b, uint64_t v)
{
	if (v && !(v & ((1ull << 30) - 1)))
		sb_printf(b, "%lluG", (unsigned long long)(v >> 30));
	else if (v && !(v & ((1ull << 20) - 1)))
		sb_printf(b, "%lluM", (unsigned long long)(v >> 20));
	else if (v && !(v & ((1ull << 10) - 1)))
		sb_printf(b, "%lluk", (unsigned long long)(v >> 10));
	else
		sb_printf(b, "%llu", (unsigned long long)v);
}

int result_command_line(const struct run_config *c, char *buf, size_t len)
{
	struct sbuf b = { .buf = buf, .len = len };

	if (len)
		buf[0] = 0;
	sb_printf(&b, "rmibench run --strategy %s --delegation %s --profile ",
		  rmi_rtt_strategy_name(c->strategy), deleg_name(c->delegation));
	sb_word(&b, c->profile);
	sb_printf(&b, " --delegate-granules %u --folio %s --ipa 0x%llx --size ",
		  c->delegate_granules, folio_name(c->folio),
		  (unsigned long long)c->ipa);
	sb_size(&b, c->size);
	sb_printf(&b, " --vcpus %u --workload ", c->vcpus);
	sb_word(&b, c->workload);
	if (c->shared_region)
		sb_printf(&b, " --shared-region");
	sb_printf(&b, " --write-pct %u --shared-pct %u --passes %u --stride ",
		  c->write_pct, c->shared_pct, c->passes);
	sb_size(&b, c->stride);
	sb_printf(&b, " --scheduler %s --seed %llu --s2sz %u",
		  sched_name(c->scheduler), (unsigned long long)c->seed,
		  c->s2sz);
	if (c->calibration[0]) {
		sb_printf(&b, " --calibration ");
		sb_word(&b, c->calibration);
	}
	/* one --inject per rule; the config joins them with ';' */
	for (const char *r = c->inject; *r;) {
		size_t n = strcspn(r, ";");
		char rule[sizeof(c->inject)];

		memcpy(rule, r, n);
		rule[n] = 0;
		if (n) {
			sb_printf(&b, " --inject ");
			sb_word(&b, rule);
		}
		r += n + (r[n] == ';');
	}
	sb_printf(&b, " --livelock-faults %llu",
		  (unsigned long long)c->livelock_faults);
	return (int)b.used;
}
