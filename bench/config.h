/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the settings of a run as a table, one entry per row of
 * RUN_CONFIG_FIELDS (schema.h), for the code that treats every setting
 * alike: the result file's writer, reader and validator, the options of
 * `rmibench run` and `rmibench matrix`, the command line that repeats a
 * run, and the report.
 */
#ifndef RMIBENCH_CONFIG_H
#define RMIBENCH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"

enum cfg_kind {
	CFG_KIND_NAME,		/* an enum, by name */
	CFG_KIND_UINT,		/* a whole number */
	CFG_KIND_SIZE,		/* bytes, with K/M/G/T suffixes */
	CFG_KIND_STR,		/* a name, checked */
	CFG_KIND_PATH,		/* a file name, "" if none */
	CFG_KIND_BOOL,		/* a flag */
	CFG_KIND_RULES,		/* repeatable rules, joined by ';' */
};

/* CFG_FIELD_strategy, ...: the index of each setting in the table */
#define CFG_FIELD_ID_(kind, f, ...)	CFG_FIELD_##f,
enum cfg_field_id { RUN_CONFIG_FIELDS(CFG_FIELD_ID_) CFG_NFIELDS };
#undef CFG_FIELD_ID_

struct cfg_field {
	const char *name;	/* the key in the result file's "config" */
	const char *opt;	/* the option, without "--" */
	const char *arg;	/* its value in --help; NULL for a flag */
	const char *unit;	/* what it counts, "" if nothing */
	const char *help;
	enum cfg_kind kind;
	/* NAME, UINT, SIZE, BOOL: the value as a uint64_t */
	uint64_t (*get)(const struct run_config *c);
	void (*set)(struct run_config *c, uint64_t v);
	uint64_t lo, hi;	/* UINT, SIZE (lo): on the command line */
	uint64_t fmax;		/* UINT, SIZE, NAME (count - 1): in a file */
	uint64_t align;		/* SIZE */
	bool hex;		/* SIZE: the command line writes it in hex */
	uint64_t def;
	/* NAME */
	const char *(*to_name)(unsigned int v);
	int (*from_name)(const char *s);
	/* STR, PATH, RULES: char[size] at offset off */
	size_t off, size;
	bool (*valid)(const char *s);	/* STR */
	const char *want;		/* STR: what valid() accepts */
	const char *def_str;
	/* the report */
	const char *label;	/* group label format of the value text
				 * ("%s"), NULL if not a group setting */
	const char *label_off;	/* BOOL false, PATH and RULES "" */
	bool tsv;		/* a runs.tsv column */
};

extern const struct cfg_field run_config_fields[CFG_NFIELDS];

/* The string of a STR, PATH or RULES setting. */
static inline const char *cfg_str(const struct run_config *c,
				  const struct cfg_field *f)
{
	return (const char *)c + f->off;
}

static inline char *cfg_str_mut(struct run_config *c,
				const struct cfg_field *f)
{
	return (char *)c + f->off;
}

/* The names of a NAME setting: "a, b, c", or "a, b or c" with @last " or " */
void cfg_choices(const struct cfg_field *f, const char *last, char *buf,
		 size_t len);

/*
 * The value as `rmibench run` takes it ("one-level", "1G", "0x40000000",
 * "50"; a flag "", rules joined by ';'). Returns the length it needed, as
 * snprintf does.
 */
int cfg_value_text(const struct run_config *c, const struct cfg_field *f,
		   char *buf, size_t len);

/*
 * Set @f (not RULES) from the option value @arg. Returns 0, or -1 with
 * what the option wants in @want ("want full, one-level or block").
 */
int cfg_parse(struct run_config *c, const struct cfg_field *f,
	      const char *arg, char *want, size_t wantlen);

bool cfg_equal(const struct run_config *a, const struct run_config *b,
	       const struct cfg_field *f);

/*
 * The checks the result file's reader makes, on @c: 0, or -1 with
 * "config.FIELD: why" in @err.
 */
int run_config_check(const struct run_config *c, char *err, size_t errlen);

/* The guest accesses the workload of @c makes in all, when it runs to its end. */
uint64_t run_config_accesses(const struct run_config *c);

#endif /* RMIBENCH_CONFIG_H */
