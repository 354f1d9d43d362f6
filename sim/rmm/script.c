// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the scenario runner behind `rmibench rmi-script`.
 *
 * One RMI call per line; the format is documented in sim/rmm/README.md.
 * The whole file is parsed before the first call runs, so a malformed line
 * produces one error naming file and line and no partial output; it is
 * read twice, one line at a time, so memory does not grow with its length.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "inject.h"
#include "rmib_util.h"
#include "script.h"

enum out_kind { O_NUM, O_PA, O_LEVEL, O_STATE, O_RIPAS, O_DESC, O_CATEGORY,
		O_TRACKING };

#define MAXARGS	6
/* the longest line read, without its newline; INJECT rules in one file */
#define SCRIPT_LINE_MAX		4096
#define SCRIPT_RULES_MAX	32

/*
 * A DELEGATE or UNDELEGATE line makes at most this many calls: 1 GiB one
 * granule a call. Without a bound, one line over a 48-bit PA space made
 * 2^36 calls and a granule table of 64 GiB.
 */
#define SCRIPT_LOOP_CALLS	(1u << 18)

struct cmd_spec {
	const char *name;
	uint32_t fid;		/* 0: a pseudo command */
	const char *args[MAXARGS];
	unsigned int nreq;	/* leading args that must be given */
	enum out_kind out[4];
};

enum pseudo {
	P_NONE, P_GRANULE, P_CHECK, P_STATS, P_RSI_RIPAS, P_INJECT, P_RAW,
	P_DELEGATE, P_UNDELEGATE, P_MEMORY, P_HOTPLUG, P_REGION,
};

static const struct cmd_spec specs[] = {
	{ "VERSION", RMI_VERSION, { "version" }, 0, { O_NUM, O_NUM } },
	{ "FEATURES", RMI_FEATURES, { "index" }, 0, { O_NUM } },
	{ "RMM_ACTIVATE", RMI_RMM_ACTIVATE, { 0 }, 0, { 0 } },
	{ "GRANULE_RANGE_DELEGATE", RMI_GRANULE_RANGE_DELEGATE,
	  { "base", "top" }, 2, { O_PA } },
	{ "GRANULE_RANGE_UNDELEGATE", RMI_GRANULE_RANGE_UNDELEGATE,
	  { "base", "top" }, 2, { O_PA } },
	{ "GRANULE_TRACKING_GET", RMI_GRANULE_TRACKING_GET, { "base", "top" },
	  2, { O_CATEGORY, O_TRACKING, O_PA } },
	{ "GRANULE_TRACKING_SET", RMI_GRANULE_TRACKING_SET,
	  { "addr", "category", "state" }, 3, { 0 } },
	{ "GPT_L1_CREATE", RMI_GPT_L1_CREATE, { "addr" }, 1, { 0 } },
	{ "GPT_L1_DESTROY", RMI_GPT_L1_DESTROY, { "addr" }, 1, { 0 } },
	{ "REALM_CREATE", RMI_REALM_CREATE, { "rd", "params" }, 1, { 0 } },
	{ "REALM_ACTIVATE", RMI_REALM_ACTIVATE, { "rd" }, 1, { 0 } },
	{ "REALM_TERMINATE", RMI_REALM_TERMINATE, { "rd" }, 1, { 0 } },
	{ "REALM_DESTROY", RMI_REALM_DESTROY, { "rd" }, 1, { 0 } },
	{ "REC_CREATE", RMI_REC_CREATE, { "rd", "rec", "params" }, 2, { 0 } },
	{ "REC_DESTROY", RMI_REC_DESTROY, { "rec" }, 1, { 0 } },
	{ "RTT_CREATE", RMI_RTT_CREATE, { "rd", "rtt", "ipa", "level" }, 4,
	  { 0 } },
	{ "RTT_DESTROY", RMI_RTT_DESTROY, { "rd", "ipa", "level" }, 3,
	  { O_PA, O_NUM } },
	{ "RTT_FOLD", RMI_RTT_FOLD, { "rd", "ipa", "level" }, 3, { O_PA } },
	{ "RTT_READ_ENTRY", RMI_RTT_READ_ENTRY, { "rd", "ipa", "level" }, 3,
	  { O_LEVEL, O_STATE, O_PA, O_RIPAS } },
	{ "RTT_INIT_RIPAS", RMI_RTT_INIT_RIPAS, { "rd", "base", "top" }, 3,
	  { O_NUM } },
	{ "RTT_SET_RIPAS", RMI_RTT_SET_RIPAS, { "rd", "rec", "base", "top" },
	  4, { O_NUM } },
	{ "DATA_MAP_INIT", RMI_DATA_MAP_INIT,
	  { "rd", "data", "ipa", "src", "flags" }, 4, { 0 } },
	{ "RTT_DATA_MAP", RMI_RTT_DATA_MAP,
	  { "rd", "base", "top", "flags", "oaddr" }, 5, { O_NUM } },
	{ "RTT_DATA_UNMAP", RMI_RTT_DATA_UNMAP,
	  { "rd", "base", "top", "flags", "oaddr" }, 3,
	  { O_NUM, O_DESC, O_NUM } },
	{ "RTT_UNPROT_MAP", RMI_RTT_UNPROT_MAP,
	  { "rd", "base", "top", "flags", "oaddr" }, 5, { O_NUM } },
	{ "RTT_UNPROT_UNMAP", RMI_RTT_UNPROT_UNMAP,
	  { "rd", "base", "top", "flags", "oaddr" }, 3,
	  { O_NUM, O_DESC, O_NUM } },
	/* pseudo commands: not RMI calls */
	{ "GRANULE", P_GRANULE, { "pa" }, 1, { 0 } },
	{ "CHECK", P_CHECK, { 0 }, 0, { 0 } },
	{ "STATS", P_STATS, { 0 }, 0, { 0 } },
	{ "RSI_IPA_STATE_SET", P_RSI_RIPAS, { "rec", "base", "top", "ripas" },
	  4, { 0 } },
	{ "INJECT", P_INJECT, { 0 }, 0, { 0 } },
	{ "DELEGATE", P_DELEGATE, { "base", "top" }, 2, { O_PA, O_LEVEL } },
	{ "UNDELEGATE", P_UNDELEGATE, { "base", "top" }, 2,
	  { O_PA, O_LEVEL } },
	{ "RAW", P_RAW, { "fid", "x1", "x2", "x3", "x4", "x5" }, 1,
	  { O_NUM, O_NUM, O_NUM, O_NUM } },
	{ "MEMORY", P_MEMORY, { "base", "size", "category", "tracking", "gpt" },
	  2, { 0 } },
	{ "HOTPLUG", P_HOTPLUG, { "base", "size" }, 2, { 0 } },
	{ "REGION", P_REGION, { "pa" }, 1, { 0 } },
};

#define NSPECS	(sizeof(specs) / sizeof(specs[0]))

struct call {
	const struct cmd_spec *spec;
	unsigned int line;
	uint64_t a[MAXARGS];
	bool have[MAXARGS];
	/* REALM_CREATE's parameter block */
	struct rmi_realm_params params;
	/* a descriptor list for DATA_MAP / UNPROT_MAP */
	uint64_t list[64];
	unsigned int nlist;
	struct inj_rule rule;
};

struct parser {
	const char *file;
	unsigned int line;
	char err[256];
};

static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, sizeof(p->err), "%s:%u: ", p->file, p->line);
	va_start(ap, fmt);
	vsnprintf(p->err + n, sizeof(p->err) - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- values -------------------------------------------------------------------- */

/*
 * One term: "g" and a granule number (the scenarios' own form), or a
 * number in the tree's size grammar (include/rmib_util.h: 4k, 2M, 1G,
 * 0x1000).
 */
static int parse_term(const char *s, const char **end, uint64_t *v)
{
	unsigned long long n;
	char *e;

	if (*s != 'g' && *s != 'G')
		return rmib_size_term(s, end, v);
	s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, &e, 0);
	if (errno || n >> 40)
		return -1;
	*v = n << 12;
	*end = e;
	return 0;
}

/* NUM := TERM { ('+'|'-') TERM }; TERM := [g]number[K|M|G|T] */
static int parse_num(const char *s, uint64_t *v)
{
	uint64_t sum = 0, t;
	const char *e;
	bool minus = false;

	for (;;) {
		if (parse_term(s, &e, &t))
			return -1;
		if (minus ? t > sum : sum + t < sum)
			return -1;
		sum = minus ? sum - t : sum + t;
		if (*e == '\0')
			break;
		if (*e != '+' && *e != '-')
			return -1;
		minus = *e == '-';
		s = e + 1;
	}
	*v = sum;
	return 0;
}

static int size_code(const char *s, size_t n)
{
	static const char *const names[] = { "4k", "2m", "1g", "l0" };

	for (int i = 0; i < 4; i++)
		if (strlen(names[i]) == n && !strncasecmp(s, names[i], n))
			return i;
	return -1;
}

/* DESC := SIZE ':' COUNT '@' NUM [':undelegated'] | NUM */
static int parse_desc(const char *s, uint64_t *v)
{
	const char *colon = strchr(s, ':'), *at = strchr(s, '@');
	char buf[96], *st;
	uint64_t count, pa;
	unsigned int state = 0;
	int sz;

	if (!colon || !at || at < colon)
		return parse_num(s, v);
	sz = size_code(s, (size_t)(colon - s));
	if (sz < 0 || (size_t)(at - colon - 1) >= sizeof(buf))
		return -1;
	memcpy(buf, colon + 1, (size_t)(at - colon - 1));
	buf[at - colon - 1] = '\0';
	if (parse_num(buf, &count) || count > RMI_DESC_COUNT_MAX)
		return -1;
	if (strlen(at + 1) >= sizeof(buf))
		return -1;
	strcpy(buf, at + 1);
	st = strchr(buf, ':');
	if (st) {
		*st++ = '\0';
		if (!strcmp(st, "undelegated"))
			state = RMI_DESC_STATE_UNDELEGATED;
		else if (strcmp(st, "delegated"))
			return -1;
	}
	if (parse_num(buf, &pa) || (pa & 0xfff))
		return -1;
	*v = rmi_desc_encode((unsigned int)sz, (unsigned int)count, pa, state);
	return 0;
}

/* FLAGS := ITEM { ',' ITEM }; ITEM := none|single|list|memattr:N|s2ap:r|w|rw|N */
static int parse_flags(const char *s, uint64_t *v)
{
	unsigned int type = 0, memattr = 0, s2ap = 0;
	char buf[128], *tok, *save = NULL;
	uint64_t n;

	if (!parse_num(s, v))
		return 0;
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "none")) {
			type = RMI_ADDR_TYPE_NONE;
		} else if (!strcmp(tok, "single")) {
			type = RMI_ADDR_TYPE_SINGLE;
		} else if (!strcmp(tok, "list")) {
			type = RMI_ADDR_TYPE_LIST;
		} else if (!strncmp(tok, "memattr:", 8)) {
			if (parse_num(tok + 8, &n) || n > 7)
				return -1;
			memattr = (unsigned int)n;
		} else if (!strncmp(tok, "s2ap:", 5)) {
			const char *a = tok + 5;

			if (!strcmp(a, "r"))
				s2ap = RMI_S2AP_READ;
			else if (!strcmp(a, "w"))
				s2ap = RMI_S2AP_WRITE;
			else if (!strcmp(a, "rw"))
				s2ap = RMI_S2AP_READ | RMI_S2AP_WRITE;
			else if (!parse_num(a, &n) && n <= 15)
				s2ap = (unsigned int)n;
			else
				return -1;
		} else {
			return -1;
		}
	}
	*v = rmi_flags_encode(type, 0, memattr, s2ap);
	return 0;
}

static int parse_list(struct parser *p, struct call *c, const char *s)
{
	char buf[1024], *tok, *save = NULL;
	size_t n = strlen(s);

	if (n < 6 || s[n - 1] != ')' || n - 6 >= sizeof(buf))
		return perr(p, "bad descriptor list '%s'", s);
	memcpy(buf, s + 5, n - 6);
	buf[n - 6] = '\0';
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (c->nlist == sizeof(c->list) / sizeof(c->list[0]))
			return perr(p, "more than 64 descriptors in a list");
		if (parse_desc(tok, &c->list[c->nlist]))
			return perr(p, "bad descriptor '%s'", tok);
		c->nlist++;
	}
	if (!c->nlist)
		return perr(p, "empty descriptor list");
	return 0;
}

static int parse_name_val(struct parser *p, const char *tok, int (*fn)(const char *),
			  uint64_t *v, const char *what)
{
	uint64_t n;
	int r = fn(tok);

	if (r >= 0) {
		*v = (uint64_t)r;
		return 0;
	}
	if (!parse_num(tok, &n)) {
		*v = n;
		return 0;
	}
	return perr(p, "unknown %s '%s'", what, tok);
}

static int no_names(const char *s)
{
	(void)s;
	return -1;
}

static int ripas_from_name(const char *s)
{
#define RIPAS_CMP_(n, v)	if (!strcmp(s, #n)) return (v);
	RMI_RIPAS_VALUES(RIPAS_CMP_)
#undef RIPAS_CMP_
	return -1;
}

/* ---- lines ------------------------------------------------------------------------ */

static int set_arg(struct parser *p, struct call *c, int i, const char *val)
{
	const char *name = c->spec->args[i];
	uint64_t v = 0;

	if (c->have[i])
		return perr(p, "argument '%s' given twice", name);
	c->have[i] = true;
	if (!strcmp(name, "flags")) {
		if (parse_flags(val, &v))
			return perr(p, "bad flags '%s'", val);
	} else if (!strcmp(name, "oaddr") && !strncmp(val, "list(", 5)) {
		v = 0;
		if (parse_list(p, c, val))
			return -1;
	} else if (!strcmp(name, "oaddr")) {
		if (parse_desc(val, &v))
			return perr(p, "bad descriptor '%s'", val);
	} else if (!strcmp(name, "command") || !strcmp(name, "fid")) {
		int64_t fid = rmi_cmd_fid(val);

		if (fid >= 0)
			v = (uint64_t)fid;
		else if (parse_name_val(p, val, no_names, &v, "command"))
			return -1;
		if (v && v < 0x1000)
			v |= RMI_FID_BASE;	/* a short id */
	} else if (!strcmp(name, "status")) {
		if (parse_name_val(p, val, rmi_status_from_name, &v, "status"))
			return -1;
	} else if (!strcmp(name, "ripas")) {
		if (parse_name_val(p, val, ripas_from_name, &v, "RIPAS"))
			return -1;
		if (v > RMI_RIPAS_DEV)
			return perr(p, "RIPAS %s is none of EMPTY RAM DESTROYED "
				    "DEV", val);
	} else if (!strcmp(name, "category")) {
		if (parse_name_val(p, val, rmi_mem_category_from_name, &v,
				   "memory category"))
			return -1;
	} else if (!strcmp(name, "state") || !strcmp(name, "tracking")) {
		if (parse_name_val(p, val, rmi_tracking_from_name, &v,
				   "tracking state"))
			return -1;
	} else if (!strcmp(name, "gpt")) {
		if (parse_name_val(p, val, rmi_gpt_state_from_name, &v,
				   "GPT state"))
			return -1;
	} else if (parse_num(val, &v)) {
		return perr(p, "bad value '%s' for '%s'", val, name);
	}
	c->a[i] = v;
	return 0;
}

static int set_param(struct parser *p, struct call *c, const char *key,
		     const char *val, bool *given)
{
	uint64_t v = 0;

	if (!strcmp(key, "lpa2")) {
		if (parse_num(val, &v) || v > 1)
			return perr(p, "lpa2 takes 0 or 1");
		c->params.flags = v ? RMI_REALM_FLAG_LPA2 : 0;
		return 0;
	}
	if (parse_num(val, &v))
		return perr(p, "bad value '%s' for '%s'", val, key);
	if (!strcmp(key, "s2sz")) {
		if (v > 64)
			return perr(p, "s2sz %" PRIu64 " is out of range", v);
		c->params.s2sz = (unsigned int)v;
		given[0] = true;
	} else if (!strcmp(key, "level_start")) {
		c->params.rtt_level_start = (int)v;
		given[1] = true;
	} else if (!strcmp(key, "num_start")) {
		c->params.rtt_num_start = (unsigned int)v;
		given[2] = true;
	} else if (!strcmp(key, "rtt_base")) {
		c->params.rtt_base = v;
		given[3] = true;
	} else {
		return -1;
	}
	return 0;
}

static int parse_line(struct parser *p, char *line, struct call *c)
{
	char *tok, *save = NULL;
	unsigned int pos = 0;
	bool pgiven[4] = { false };

	tok = strtok_r(line, " \t\r\n", &save);
	memset(c, 0, sizeof(*c));
	c->line = p->line;
	for (size_t i = 0; i < NSPECS; i++)
		if (!strcmp(tok, specs[i].name))
			c->spec = &specs[i];
	if (!c->spec)
		return perr(p, "unknown command '%s'", tok);
	if (c->spec->fid == P_INJECT) {
		/* the rule grammar of sim/inject; spaces may part the keys */
		char rule[512] = "", why[256];
		size_t len = 0;

		while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
			int n = snprintf(rule + len, sizeof(rule) - len, "%s%s",
					 len ? "," : "", tok);

			if (n < 0 || (size_t)n >= sizeof(rule) - len)
				return perr(p, "INJECT: rule too long");
			len += (size_t)n;
		}
		if (inj_rule_parse(rule, &c->rule, why, sizeof(why)))
			return perr(p, "INJECT: %s", why);
		return 0;
	}

	while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
		char *eq = strchr(tok, '=');
		int i;

		if (eq && strncmp(tok, "list(", 5)) {
			*eq = '\0';
			for (i = 0; i < MAXARGS && c->spec->args[i]; i++)
				if (!strcmp(tok, c->spec->args[i]))
					break;
			if (i < MAXARGS && c->spec->args[i]) {
				if (set_arg(p, c, i, eq + 1))
					return -1;
				continue;
			}
			if (c->spec->fid == RMI_REALM_CREATE) {
				int r = set_param(p, c, tok, eq + 1, pgiven);

				if (r == 0)
					continue;
				if (p->err[0])
					return -1;
			}
			return perr(p, "%s has no argument '%s'",
				    c->spec->name, tok);
		}
		while (pos < MAXARGS && c->spec->args[pos] && c->have[pos])
			pos++;
		if (pos >= MAXARGS || !c->spec->args[pos])
			return perr(p, "too many arguments for %s",
				    c->spec->name);
		if (set_arg(p, c, (int)pos, tok))
			return -1;
	}
	for (unsigned int i = 0; i < c->spec->nreq; i++)
		if (!c->have[i])
			return perr(p, "%s needs '%s'", c->spec->name,
				    c->spec->args[i]);

	if (c->spec->fid == RMI_REALM_CREATE) {
		if (!pgiven[0] || !pgiven[3])
			return perr(p, "REALM_CREATE needs s2sz= and rtt_base=");
		if (c->params.s2sz < 12 + 4 + 4 || c->params.s2sz > 64)
			return perr(p, "s2sz %u is out of range",
				    c->params.s2sz);
		if (!pgiven[1])
			c->params.rtt_level_start =
				rmi_start_level(c->params.s2sz);
		if (!pgiven[2])
			c->params.rtt_num_start =
				rmi_root_rtts(c->params.s2sz);
	}
	if (c->nlist) {
		/* a list as oaddr: LIST type with its count in the flags */
		c->a[3] = (c->a[3] & ~0xffffull) |
			  rmi_flags_encode(RMI_ADDR_TYPE_LIST, c->nlist, 0, 0);
	}
	return 0;
}

/* ---- output ----------------------------------------------------------------------- */

static void put_num(FILE *out, uint64_t v)
{
	if (v)
		fprintf(out, "%#" PRIx64, v);
	else
		fputc('0', out);
}

static void put_pa(FILE *out, uint64_t v)
{
	if (!v)
		fputc('0', out);
	else if (v & 0xfff)
		fprintf(out, "g%" PRIu64 "+%#" PRIx64, v >> 12, v & 0xfff);
	else
		fprintf(out, "g%" PRIu64, v >> 12);
}

static void put_named(FILE *out, const char *name, uint64_t v)
{
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%" PRIu64, v);
}

static void put_out(FILE *out, enum out_kind k, uint64_t v)
{
	static const char *const sizes[] = { "4k", "2m", "1g", "l0" };

	switch (k) {
	case O_PA:
		put_pa(out, v);
		break;
	case O_LEVEL:
		fprintf(out, "%" PRIu64, v);
		break;
	case O_STATE:
		put_named(out, v < 8 ? rmi_entry_state_name((unsigned int)v) :
				     NULL, v);
		break;
	case O_RIPAS:
		put_named(out, v < 4 ? rmi_ripas_name((unsigned int)v) : NULL,
			  v);
		break;
	case O_CATEGORY:
		put_named(out, v < 8 ? rmi_mem_category_name((unsigned int)v) :
				     NULL, v);
		break;
	case O_TRACKING:
		put_named(out, v < 8 ? rmi_tracking_name((unsigned int)v) :
				     NULL, v);
		break;
	case O_DESC:
		if (!v) {
			fputc('0', out);
			break;
		}
		fprintf(out, "%s:%u@", sizes[RMI_DESC_SIZE(v)],
			RMI_DESC_COUNT(v));
		put_pa(out, RMI_DESC_ADDR(v));
		if (RMI_DESC_STATE(v))
			fputs(":undelegated", out);
		break;
	default:
		put_num(out, v);
	}
}

static void put_result(FILE *out, const char *name, uint64_t x0,
		       const uint64_t *x, const enum out_kind *kinds)
{
	const char *st = rmi_status_name(RMI_RETURN_STATUS(x0));

	if (x0 == SMCCC_RET_NOT_SUPPORTED || (x0 >> 16) || !st) {
		fprintf(out, "%s NOT_SUPPORTED 0", name);
	} else {
		fprintf(out, "%s %s %u", name, st, RMI_RETURN_INDEX(x0));
	}
	for (int i = 0; i < 4; i++) {
		fprintf(out, " x%d=", i + 1);
		put_out(out, kinds[i], x[i + 1]);
	}
	fputc('\n', out);
}

struct run_ctx {
	struct rmm *m;
	uint64_t scratch;	/* next NS granule for parameter blocks */
	struct inj_rule rules[SCRIPT_RULES_MAX];
	unsigned int nrules;
	struct injector inj;	/* the runner is the call site */
	FILE *out;
};

static uint64_t scratch_granule(struct run_ctx *rc)
{
	uint64_t pa = rc->scratch;

	rc->scratch -= RMI_GRANULE_SIZE;
	return pa;
}

/* One RMI call: an injection rule may fail it before the RMM sees it. */
static void sc_call(struct run_ctx *rc, const struct rmm_regs *in,
		    struct rmm_regs *out)
{
	uint32_t fid = (uint32_t)in->x[0];
	uint64_t x0;

	if (injector_check(&rc->inj, fid, in->x, INJ_NO_VCPU, &x0)) {
		memset(out, 0, sizeof(*out));
		out->x[0] = x0;
		fprintf(rc->out, "# injected %s %s %u\n", rmi_cmd_name(fid) ?
			rmi_cmd_name(fid) : "?",
			rmi_status_name(RMI_RETURN_STATUS(x0)) ?
			rmi_status_name(RMI_RETURN_STATUS(x0)) : "?",
			RMI_RETURN_INDEX(x0));
		return;
	}
	rmm_smc(rc->m, in, out);
}

static int run_call(struct run_ctx *rc, const struct call *c, char *err,
		    size_t errlen)
{
	struct rmm *m = rc->m;
	struct rmm_regs r = { { 0 } };
	enum out_kind kinds[4];
	const char *name = c->spec->name;

	memcpy(kinds, c->spec->out, sizeof(kinds));
	switch (c->spec->fid) {
	case P_GRANULE:
		fprintf(rc->out, "GRANULE ");
		put_pa(rc->out, c->a[0]);
		fprintf(rc->out, " %s\n",
			rmi_granule_state_name(rmm_granule_state(m, c->a[0])));
		return 0;
	case P_CHECK: {
		char why[256];

		if (rmm_check(m, why, sizeof(why))) {
			fprintf(rc->out, "CHECK FAILED %s\n", why);
			return 1;
		}
		fprintf(rc->out, "CHECK ok\n");
		return 0;
	}
	case P_STATS: {
		struct rmm_stats st;

		rmm_get_stats(m, &st);
		fprintf(rc->out, "STATS");
		for (int i = 1; i < RMI_GRANULE_STATE_COUNT; i++)
			fprintf(rc->out, " %s=%" PRIu64,
				rmi_granule_state_name(i), st.granules[i]);
		fprintf(rc->out, " rtts_live=%" PRIu64 " realms=%" PRIu64 "\n",
			st.rtts_live, st.realms);
		return 0;
	}
	case P_RSI_RIPAS:
		if (rmm_rec_request_ripas(m, c->a[0], c->a[1], c->a[2],
					  (unsigned int)c->a[3]))
			fprintf(rc->out, "RSI_IPA_STATE_SET no-such-rec\n");
		else
			fprintf(rc->out, "RSI_IPA_STATE_SET ok\n");
		return 0;
	case P_INJECT:
		if (rc->nrules == SCRIPT_RULES_MAX) {
			snprintf(err, errlen, "more than %d INJECT rules",
				 SCRIPT_RULES_MAX);
			return -1;
		}
		rc->rules[rc->nrules++] = c->rule;
		injector_fini(&rc->inj);
		if (injector_init(&rc->inj, rc->rules, rc->nrules, 1)) {
			snprintf(err, errlen, "INJECT: out of memory");
			return -1;
		}
		fprintf(rc->out, "INJECT ok\n");
		return 0;
	case P_DELEGATE:
	case P_UNDELEGATE: {
		/* the host's loop: range calls until done or an error */
		uint32_t fid = c->spec->fid == P_DELEGATE ?
			       RMI_GRANULE_RANGE_DELEGATE :
			       RMI_GRANULE_RANGE_UNDELEGATE;
		uint64_t base = c->a[0], x0, calls = 0;

		do {
			struct rmm_regs in = { .x = { fid, base, c->a[1] } };

			sc_call(rc, &in, &r);
			x0 = r.x[0];
			calls++;
			base = r.x[1];
		} while (RMI_RETURN_STATUS(x0) == RMI_SUCCESS &&
			 base < c->a[1] && calls < SCRIPT_LOOP_CALLS);
		r.x[2] = calls;
		put_result(rc->out, name, x0, r.x, kinds);
		return 0;
	}
	case P_MEMORY: {
		/* the platform's map; unnamed states: ready boot memory, or
		 * RESERVED for no memory (category NONE) */
		bool none = c->a[2] == RMI_MEM_CATEGORY_NONE;
		unsigned int trk = c->have[3] ? (unsigned int)c->a[3] :
				   none ? RMI_TRACKING_RESERVED :
					  RMI_TRACKING_FINE;
		unsigned int gpt = c->have[4] ? (unsigned int)c->a[4] :
				   none ? RMI_GPT_PAR_RESERVED :
					  RMI_GPT_PAR_PLAT;

		fprintf(rc->out, "MEMORY %s\n",
			c->a[2] > 255 ||
			rmm_mem_describe(m, c->a[0], c->a[1],
					 (unsigned int)c->a[2], trk, gpt) ?
			"refused" : "ok");
		return 0;
	}
	case P_HOTPLUG:
		fprintf(rc->out, "HOTPLUG %s\n",
			rmm_mem_hotplug(m, c->a[0], c->a[1]) ? "refused" :
			"ok");
		return 0;
	case P_REGION: {
		struct rmm_mem_state ms;

		rmm_mem_state(m, c->a[0], &ms);
		fprintf(rc->out, "REGION ");
		put_pa(rc->out, c->a[0]);
		fprintf(rc->out, " %s %s %s\n",
			rmi_mem_category_name(ms.category),
			rmi_tracking_name(ms.tracking),
			rmi_gpt_state_name(ms.gpt));
		return 0;
	}
	case P_RAW:
		for (int i = 0; i < 6; i++)
			r.x[i] = c->a[i];
		name = rmi_cmd_name((uint32_t)c->a[0]);
		if (!name)
			name = "RAW";
		break;
	default:
		r.x[0] = c->spec->fid;
		for (int i = 0; i < MAXARGS; i++)
			r.x[i + 1] = c->a[i];
	}

	if (c->spec->fid == RMI_REALM_CREATE) {
		if (!c->have[1])
			r.x[2] = scratch_granule(rc);
		rmm_ns_write(m, r.x[2], &c->params, sizeof(c->params));
	}
	if (c->nlist) {
		r.x[5] = scratch_granule(rc);
		rmm_ns_write(m, r.x[5], c->list, c->nlist * sizeof(c->list[0]));
	}
	sc_call(rc, &r, &r);
	put_result(rc->out, name, r.x[0], r.x, kinds);
	return 0;
}

/*
 * Reads the next line that holds a call into @buf (comments and blank
 * lines skipped, p->line counting every line) and copies each line read
 * to @spool if one is given. Returns 1 with *@s at the line's first
 * non-blank byte, 0 at the end of the file, -1 for a line too long, a
 * NUL byte or a read error (p->err says which).
 */
static int next_line(struct parser *p, FILE *in, FILE *spool, char *buf,
		     size_t len, char **s)
{
	for (;;) {
		size_t n = 0;
		char *hash;
		int ch;

		while ((ch = getc_unlocked(in)) != EOF && ch != '\n') {
			if (n == len - 1) {
				p->line++;
				return perr(p, "line longer than %zu bytes",
					    len - 1);
			}
			if (!ch) {
				p->line++;
				return perr(p, "NUL byte in the line");
			}
			buf[n++] = (char)ch;
		}
		if (ch == EOF && ferror(in)) {
			snprintf(p->err, sizeof(p->err), "%s: read error: %s",
				 p->file, strerror(errno));
			return -1;
		}
		if (ch == EOF && !n)
			return 0;
		buf[n] = '\0';
		p->line++;
		if (spool && (fputs(buf, spool) == EOF ||
			      putc_unlocked('\n', spool) == EOF))
			return perr(p, "cannot keep the input in a temporary file: %s",
				    strerror(errno));
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		*s = buf;
		while (isspace((unsigned char)**s))
			(*s)++;
		if (**s)
			return 1;
	}
}

/*
 * Two passes over the file, each holding one line and one call: the first
 * parses every line (so a malformed file prints nothing on @out), the
 * second parses each line again and runs it. Memory does not depend on the
 * file's length. Input that cannot be read twice (a pipe, stdin) is kept
 * in an unlinked temporary file during the first pass.
 */
int rmm_script_run(FILE *in, const char *fname, const struct rmm_config *cfg,
		   FILE *out, FILE *errf)
{
	struct parser p = { .file = fname };
	struct call *c = malloc(sizeof(*c));
	char *line = malloc(SCRIPT_LINE_MAX + 1);
	struct run_ctx rc = { .out = out };
	FILE *spool = NULL, *src = in;
	unsigned int injects = 0;
	struct stat st;
	off_t start = -1;
	char *s;
	int ret = 0, r;

	if (!c || !line) {
		fprintf(errf, "%s: out of memory\n", fname);
		ret = 1;
		goto out;
	}
	if (!fstat(fileno(in), &st) && S_ISREG(st.st_mode))
		start = ftello(in);
	if (start < 0) {
		spool = tmpfile();
		if (!spool) {
			fprintf(errf, "%s: cannot keep the input in a temporary file: %s\n",
				fname, strerror(errno));
			ret = 1;
			goto out;
		}
	}

	/* pass 1: parse only */
	while ((r = next_line(&p, in, spool, line, SCRIPT_LINE_MAX + 1,
			      &s)) > 0) {
		if (parse_line(&p, s, c))
			break;
		if (c->spec->fid == P_INJECT && ++injects > SCRIPT_RULES_MAX) {
			perr(&p, "more than %d INJECT rules", SCRIPT_RULES_MAX);
			break;
		}
	}
	if (r) {
		fprintf(errf, "%s\n", p.err);
		ret = 1;
		goto out;
	}
	if (spool) {
		if (fflush(spool) || fseeko(spool, 0, SEEK_SET)) {
			fprintf(errf, "%s: cannot read back the temporary file: %s\n",
				fname, strerror(errno));
			ret = 1;
			goto out;
		}
		src = spool;
	} else if (fseeko(in, start, SEEK_SET)) {
		fprintf(errf, "%s: cannot read the file again: %s\n", fname,
			strerror(errno));
		ret = 1;
		goto out;
	}

	/* pass 2: parse again and run */
	rc.m = rmm_create(cfg);
	if (!rc.m) {
		fprintf(errf, "%s: cannot create the RMM model\n", fname);
		ret = 1;
		goto out;
	}
	rc.scratch = (1ull << (cfg->pa_bits ? cfg->pa_bits : 48)) -
		     RMI_GRANULE_SIZE;
	p.line = 0;
	while ((r = next_line(&p, src, NULL, line, SCRIPT_LINE_MAX + 1,
			      &s)) > 0) {
		char err[128];

		/* the file changed under us: stop where it no longer parses */
		if (parse_line(&p, s, c)) {
			r = -1;
			break;
		}
		r = run_call(&rc, c, err, sizeof(err));
		if (r < 0) {
			fprintf(errf, "%s:%u: %s\n", fname, c->line, err);
			ret = 1;
			break;
		}
		if (r > 0)
			ret = 3;	/* an invariant failed */
	}
	if (r < 0 && p.err[0]) {
		fprintf(errf, "%s\n", p.err);
		ret = 1;
	}
	rmm_destroy(rc.m);
	injector_fini(&rc.inj);
out:
	if (spool)
		fclose(spool);
	free(line);
	free(c);
	return ret;
}
