/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: what a run counts as a table, one entry per row of
 * RUN_COUNTS_FIELDS (schema.h), for the result file's writer and reader
 * and the report's runs.tsv.
 */
#ifndef RMIBENCH_COUNTS_H
#define RMIBENCH_COUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

enum count_kind {
	COUNT_KIND_U64,		/* a counter */
	COUNT_KIND_ARRAY,	/* counters keyed by name */
	COUNT_KIND_BY_CMD,	/* calls by command and status */
	COUNT_KIND_WARNS,	/* the WARN reasons */
	COUNT_KIND_DERIVED,	/* a value derived from the counts */
};

struct count_field {
	const char *name;	/* the member (DERIVED: the key in "derived") */
	const char *path;	/* where in "counts": "key" or "object.key" */
	const char *status_path;	/* BY_CMD: the statuses' object */
	const char *tsv;	/* the runs.tsv column (ARRAY: its prefix),
				 * NULL if none */
	const char *unit;
	const char *help;
	enum count_kind kind;
	size_t off;		/* U64, ARRAY, BY_CMD: of the first uint64_t */
	unsigned int n;		/* ARRAY: entries */
	const char *(*key_name)(unsigned int i);	/* ARRAY */
	unsigned int sparse;	/* ARRAY: bit i set: entry i is written only
				 * when nonzero, and may be absent */
	double (*derive)(const struct run_result *r);	/* DERIVED */
	double max;		/* DERIVED: the largest valid value */
};

extern const struct count_field run_counts_fields[];
extern const unsigned int run_counts_nfields;

/* The first counter of a U64, ARRAY or BY_CMD entry. */
static inline const uint64_t *count_at(const struct run_counts *k,
				       const struct count_field *f)
{
	return (const uint64_t *)((const char *)k + f->off);
}

static inline uint64_t *count_at_mut(struct run_counts *k,
				     const struct count_field *f)
{
	return (uint64_t *)((char *)k + f->off);
}

/*
 * Split "object.key" into the object (into @obj, "" if none; @objlen
 * bytes) and the key it returns.
 */
const char *count_path_split(const char *path, char *obj, size_t objlen);

#endif /* RMIBENCH_COUNTS_H */
