// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the settings of a run as a table generated from
 * RUN_CONFIG_FIELDS (schema.h), and what every setting can do through it:
 * defaults, value text, parsing an option value, comparing, checking.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "cli.h"
#include "config.h"
#include "errmsg.h"
#include "rmm.h"
#include "run.h"
#include "workload.h"

/* the checks of the STR settings */
static bool profile_known(const char *s)
{
	return rmm_profile_find(s) != NULL;
}

static bool workload_known(const char *s)
{
	return wl_pattern_from_name(s) >= 0;
}

static bool backend_known(const char *s)
{
	return backend_find(s) != NULL;
}

/* ---- accessors: one pair per number, one namer per enum --------------------- */

#define CFG_NUM_ACCESS_(f, type)					\
static uint64_t cfg_get_##f(const struct run_config *c)			\
{									\
	return (uint64_t)c->f;						\
}									\
static void cfg_set_##f(struct run_config *c, uint64_t v)		\
{									\
	c->f = (type)v;							\
}

#define CFG_ACCESS_(kind, ...)	CFG_ACCESS_##kind(__VA_ARGS__)
#define CFG_ACCESS_NAME(f, type, count, to_name, ...)			\
	CFG_NUM_ACCESS_(f, type)					\
static const char *cfg_name_##f(unsigned int v)				\
{									\
	return to_name((type)v);					\
}
#define CFG_ACCESS_UINT(f, type, ...)	CFG_NUM_ACCESS_(f, type)
#define CFG_ACCESS_SIZE(f, ...)		CFG_NUM_ACCESS_(f, uint64_t)
#define CFG_ACCESS_BOOL(f, ...)		CFG_NUM_ACCESS_(f, bool)
#define CFG_ACCESS_STR(...)
#define CFG_ACCESS_PATH(...)
#define CFG_ACCESS_RULES(...)

RUN_CONFIG_FIELDS(CFG_ACCESS_)

/* ---- the table ------------------------------------------------------------------ */

#define CFG_NUM_(f)	.get = cfg_get_##f, .set = cfg_set_##f
#define CFG_STRING_(f)							\
	.off = offsetof(struct run_config, f),				\
	.size = sizeof(((struct run_config *)0)->f)

#define CFG_ENTRY_(kind, ...)	CFG_ENTRY_##kind(__VA_ARGS__)
#define CFG_ENTRY_NAME(f, type, count, to_name_, from_name_, opt_, def_, \
		       label_, tsv_, help_)				\
	[CFG_FIELD_##f] = {						\
		.name = #f, .opt = opt_, .arg = "NAME", .unit = "",	\
		.help = help_, .kind = CFG_KIND_NAME, CFG_NUM_(f),	\
		.fmax = (count) - 1, .def = def_,			\
		.to_name = cfg_name_##f, .from_name = from_name_,	\
		.label = label_, .tsv = tsv_,				\
	},
#define CFG_ENTRY_UINT(f, type, opt_, arg_, unit_, lo_, hi_, fmax_, def_, \
		       label_, tsv_, help_)				\
	[CFG_FIELD_##f] = {						\
		.name = #f, .opt = opt_, .arg = arg_, .unit = unit_,	\
		.help = help_, .kind = CFG_KIND_UINT, CFG_NUM_(f),	\
		.lo = lo_, .hi = hi_, .fmax = fmax_, .def = def_,	\
		.label = label_, .tsv = tsv_,				\
	},
#define CFG_ENTRY_SIZE(f, opt_, arg_, min_, align_, hex_, def_, label_,	\
		       tsv_, help_)					\
	[CFG_FIELD_##f] = {						\
		.name = #f, .opt = opt_, .arg = arg_, .unit = "bytes",	\
		.help = help_, .kind = CFG_KIND_SIZE, CFG_NUM_(f),	\
		.lo = min_, .hi = UINT64_MAX, .fmax = UINT64_MAX,	\
		.align = align_, .hex = hex_, .def = def_,		\
		.label = label_, .tsv = tsv_,				\
	},
#define CFG_ENTRY_STR(f, size_, valid_, want_, opt_, def_, label_, tsv_, \
		      help_)						\
	[CFG_FIELD_##f] = {						\
		.name = #f, .opt = opt_, .arg = "NAME", .unit = "",	\
		.help = help_, .kind = CFG_KIND_STR, CFG_STRING_(f),	\
		.valid = valid_, .want = want_, .def_str = def_,	\
		.label = label_, .tsv = tsv_,				\
	},
#define CFG_ENTRY_PATH(f, size_, opt_, arg_, label_, label_empty_, help_) \
	[CFG_FIELD_##f] = {						\
		.name = #f, .opt = opt_, .arg = arg_, .unit = "",	\
		.help = help_, .kind = CFG_KIND_PATH, CFG_STRING_(f),	\
		.def_str = "", .label = label_, .label_off = label_empty_, \
	},
#define CFG_ENTRY_BOOL(f, opt_, label_, label_off_, help_)		\
	[CFG_FIELD_##f] = {						\
		.name = #f, .opt = opt_, .unit = "", .help = help_,	\
		.kind = CFG_KIND_BOOL, CFG_NUM_(f), .fmax = 1,		\
		.label = label_, .label_off = label_off_,		\
	},
#define CFG_ENTRY_RULES(f, size_, opt_, arg_, label_, label_empty_, help_) \
	[CFG_FIELD_##f] = {						\
		.name = #f, .opt = opt_, .arg = arg_, .unit = "",	\
		.help = help_, .kind = CFG_KIND_RULES, CFG_STRING_(f),	\
		.def_str = "", .label = label_, .label_off = label_empty_, \
	},

const struct cfg_field run_config_fields[CFG_NFIELDS] = {
	RUN_CONFIG_FIELDS(CFG_ENTRY_)
};

/* ---- what every setting can do ---------------------------------------------------- */

static bool is_number(const struct cfg_field *f)
{
	return f->kind == CFG_KIND_NAME || f->kind == CFG_KIND_UINT ||
	       f->kind == CFG_KIND_SIZE || f->kind == CFG_KIND_BOOL;
}

void run_config_default(struct run_config *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];

		if (is_number(f))
			f->set(c, f->def);
		else
			snprintf(cfg_str_mut(c, f), f->size, "%s", f->def_str);
	}
}

void cfg_choices(const struct cfg_field *f, const char *last, char *buf,
		 size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (uint64_t v = 0; v <= f->fmax && used < len; v++) {
		const char *sep = !v ? "" : v == f->fmax && last ? last : ", ";
		int n = snprintf(buf + used, len - used, "%s%s", sep,
				 f->to_name((unsigned int)v));

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* "1G", "2M", "12k", "12345": the largest suffix that is exact */
static int size_text(uint64_t v, char *buf, size_t len)
{
	if (v && !(v & ((1ull << 30) - 1)))
		return snprintf(buf, len, "%" PRIu64 "G", v >> 30);
	if (v && !(v & ((1ull << 20) - 1)))
		return snprintf(buf, len, "%" PRIu64 "M", v >> 20);
	if (v && !(v & ((1ull << 10) - 1)))
		return snprintf(buf, len, "%" PRIu64 "k", v >> 10);
	return snprintf(buf, len, "%" PRIu64, v);
}

int cfg_value_text(const struct run_config *c, const struct cfg_field *f,
		   char *buf, size_t len)
{
	switch (f->kind) {
	case CFG_KIND_NAME:
		return snprintf(buf, len, "%s",
				f->to_name((unsigned int)f->get(c)));
	case CFG_KIND_UINT:
		return snprintf(buf, len, "%" PRIu64, f->get(c));
	case CFG_KIND_SIZE:
		if (f->hex)
			return snprintf(buf, len, "0x%" PRIx64, f->get(c));
		return size_text(f->get(c), buf, len);
	case CFG_KIND_BOOL:
		return snprintf(buf, len, "%s", "");
	default:
		return snprintf(buf, len, "%s", cfg_str(c, f));
	}
}

int cfg_parse(struct run_config *c, const struct cfg_field *f,
	      const char *arg, char *want, size_t wantlen)
{
	char *s, b[32], names[160];
	size_t have;
	uint64_t v;
	int e;

	switch (f->kind) {
	case CFG_KIND_NAME:
		e = f->from_name(arg);
		if (e < 0 || (uint64_t)e > f->fmax) {
			cfg_choices(f, " or ", names, sizeof(names));
			return errmsg(want, wantlen, "want %s", names);
		}
		f->set(c, (uint64_t)e);
		return 0;
	case CFG_KIND_UINT:
		if (cli_parse_uint(arg, f->lo, f->hi, &v)) {
			if (!f->lo && f->hi == UINT64_MAX)
				return errmsg(want, wantlen,
					      "want a whole number");
			return errmsg(want, wantlen,
				      "want %" PRIu64 "..%" PRIu64, f->lo, f->hi);
		}
		f->set(c, v);
		return 0;
	case CFG_KIND_SIZE:
		if (cli_parse_size(arg, &v) || v < f->lo || v % f->align) {
			if (f->hex)
				return errmsg(want, wantlen,
					      "want an address, e.g. 1G or 0x40000000");
			if (f->align > 1) {
				size_text(f->align, b, sizeof(b));
				return errmsg(want, wantlen,
					      "want a multiple of %s", b);
			}
			return errmsg(want, wantlen,
				      "want a size, e.g. 1G or 512M");
		}
		f->set(c, v);
		return 0;
	case CFG_KIND_STR:
		if (strlen(arg) >= f->size || !f->valid(arg))
			return errmsg(want, wantlen, "want %s", f->want);
		snprintf(cfg_str_mut(c, f), f->size, "%s", arg);
		return 0;
	case CFG_KIND_PATH:
		if (strlen(arg) >= f->size)
			return errmsg(want, wantlen, "path too long");
		snprintf(cfg_str_mut(c, f), f->size, "%s", arg);
		return 0;
	case CFG_KIND_BOOL:
		f->set(c, 1);
		return 0;
	case CFG_KIND_RULES:
		/* one more rule; the caller checks what it says */
		s = cfg_str_mut(c, f);
		have = strlen(s);
		if (have + strlen(arg) + 2 >= f->size)
			return errmsg(want, wantlen, "rules too long");
		snprintf(s + have, f->size - have, "%s%s", have ? ";" : "",
			 arg);
		return 0;
	}
	return errmsg(want, wantlen, "not a setting");
}

bool cfg_equal(const struct run_config *a, const struct run_config *b,
	       const struct cfg_field *f)
{
	if (is_number(f))
		return f->get(a) == f->get(b);
	return !strcmp(cfg_str(a, f), cfg_str(b, f));
}

int run_config_check(const struct run_config *c, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];
		uint64_t v;

		switch (f->kind) {
		case CFG_KIND_NAME:
			v = f->get(c);
			if (v > f->fmax)
				return errmsg(err, errlen,
					      "config.%s: invalid value %" PRIu64,
					      f->name, v);
			break;
		case CFG_KIND_UINT:
		case CFG_KIND_SIZE:
			v = f->get(c);
			if (v > f->fmax)
				return errmsg(err, errlen,
					      "config.%s: %" PRIu64 " is above %" PRIu64,
					      f->name, v, f->fmax);
			break;
		case CFG_KIND_BOOL:
			break;
		default:
			if (!memchr(cfg_str(c, f), 0, f->size))
				return errmsg(err, errlen,
					      "config.%s: not terminated",
					      f->name);
			break;
		}
	}
	return 0;
}

uint64_t run_config_accesses(const struct run_config *c)
{
	struct wl_config wl = {
		.pattern = (enum wl_pattern)wl_pattern_from_name(c->workload),
		.base = c->ipa,
		.size = c->size,
		.nvcpus = c->vcpus,
		.shared_region = c->shared_region,
		.stride = c->stride,
		.write_pct = c->write_pct,
		.passes = c->passes,
		.seed = c->seed,
	};
	uint64_t n = 0;

	for (unsigned int i = 0; i < c->vcpus; i++)
		n += wl_total_accesses(&wl, i);
	return n;
}
