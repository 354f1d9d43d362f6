// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: what a run counts as a table generated from RUN_COUNTS_FIELDS
 * (schema.h); merging the counts of several vCPUs.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "counts.h"

#define COUNT_ENTRY_(kind, ...)	COUNT_ENTRY_##kind(__VA_ARGS__)
#define COUNT_ENTRY_U64(f, path_, tsv_, unit_, help_)			\
	{ .name = #f, .path = path_, .tsv = tsv_, .unit = unit_,	\
	  .help = help_, .kind = COUNT_KIND_U64,			\
	  .off = offsetof(struct run_counts, f) },
#define COUNT_ENTRY_ARRAY(f, n_, path_, key_name_, sparse_, tsv_, unit_, \
			  help_)					\
	{ .name = #f, .path = path_, .tsv = tsv_, .unit = unit_,	\
	  .help = help_, .kind = COUNT_KIND_ARRAY,			\
	  .off = offsetof(struct run_counts, f), .n = n_,		\
	  .key_name = key_name_, .sparse = sparse_ },
#define COUNT_ENTRY_BY_CMD(f, path_, status_path_, unit_, help_)	\
	{ .name = #f, .path = path_, .status_path = status_path_,	\
	  .unit = unit_, .help = help_, .kind = COUNT_KIND_BY_CMD,	\
	  .off = offsetof(struct run_counts, f) },
#define COUNT_ENTRY_WARNS(path_, help_)					\
	{ .name = "warn", .path = path_, .unit = "warnings",		\
	  .help = help_, .kind = COUNT_KIND_WARNS,			\
	  .off = offsetof(struct run_counts, warn) },
#define COUNT_ENTRY_DERIVED(f, derive_, max_, tsv_, unit_, help_)	\
	{ .name = #f, .path = #f, .tsv = tsv_, .unit = unit_,		\
	  .help = help_, .kind = COUNT_KIND_DERIVED,			\
	  .derive = derive_, .max = max_ },

const struct count_field run_counts_fields[] = {
	RUN_COUNTS_FIELDS(COUNT_ENTRY_)
};

const unsigned int run_counts_nfields =
	sizeof(run_counts_fields) / sizeof(run_counts_fields[0]);

const char *count_path_split(const char *path, char *obj, size_t objlen)
{
	const char *dot = strchr(path, '.');

	if (!dot) {
		obj[0] = 0;
		return path;
	}
	snprintf(obj, objlen, "%.*s", (int)(dot - path), path);
	return dot + 1;
}

void run_counts_add_warn(struct run_counts *c, const char *reason,
			 uint64_t n)
{
	unsigned int i;

	for (i = 0; i < c->nwarn; i++)
		if (!strcmp(c->warn[i].reason, reason))
			break;
	if (i == c->nwarn) {
		if (c->nwarn == MAX_WARN_KINDS)
			i = MAX_WARN_KINDS - 1;	/* the last one collects */
		else
			snprintf(c->warn[c->nwarn++].reason,
				 sizeof(c->warn[0].reason), "%s", reason);
	}
	c->warn[i].count += n;
}

/* Straight-line code from the schema: it runs once per vCPU. */
#define COUNT_MERGE_(kind, ...)	COUNT_MERGE_##kind(__VA_ARGS__)
#define COUNT_MERGE_U64(f, ...)	d->f += s->f;
#define COUNT_MERGE_ARRAY(f, n, ...)					\
	for (unsigned int i = 0; i < (n); i++)				\
		d->f[i] += s->f[i];
#define COUNT_MERGE_BY_CMD(f, ...)					\
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++)		\
		for (unsigned int j = 0; j < STATUS_BUCKETS; j++)	\
			d->f[i][j] += s->f[i][j];
#define COUNT_MERGE_WARNS(...)						\
	for (unsigned int i = 0; i < s->nwarn; i++)			\
		run_counts_add_warn(d, s->warn[i].reason, s->warn[i].count);
#define COUNT_MERGE_DERIVED(...)

void run_counts_merge(struct run_counts *d, const struct run_counts *s)
{
	RUN_COUNTS_FIELDS(COUNT_MERGE_)
}
