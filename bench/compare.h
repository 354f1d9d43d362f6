/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: comparing result sets (`rmibench compare`) and the values of
 * a run that compare and history look at.
 *
 * A set is one result file or a directory of them. Runs are paired by
 * configuration: the settings whose values are the same in both sets
 * pair them, the settings whose values differ are the question (kernel
 * v14 -> v15); runs that differ only in the seed are repeats. Each pair
 * gets a verdict per metric and one for the pair; the report one overall.
 */
#ifndef RMIBENCH_COMPARE_H
#define RMIBENCH_COMPARE_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "result.h"
#include "stats.h"

/* Which way a value is better. */
enum cmp_dir {
	CMP_LOWER,		/* fewer is better */
	CMP_HIGHER,		/* more is better */
	CMP_NEUTRAL,		/* a difference is a change, neither way */
};

/*
 * Verdicts, of a metric, a pair and the report. A pair's is the worst of
 * its metrics' in the order regressed, improved, changed, same (ignored
 * and too-few-samples do not count); the report's the worst of its
 * pairs', any incomparable pair making it incomparable.
 */
enum cmp_verdict {
	CMP_SAME,
	CMP_CHANGED,		/* differs, no better or worse direction */
	CMP_IMPROVED,
	CMP_REGRESSED,
	CMP_INCOMPARABLE,	/* schema, backend, cost model or settings */
	CMP_FEW,		/* too few samples to say */
	CMP_IGNORED,		/* --ignore */
};

const char *cmp_verdict_name(enum cmp_verdict v);

/*
 * The direction of count field @field (its name in RUN_COUNTS_FIELDS, as
 * bench/counts.h has it: "rmi_calls", "by_cmd", "warn", "block_coverage")
 * or of one key of it (@key, e.g. "l0" of mapped_bytes; NULL for the
 * field). -1 if the table has no entry: every count field has one (a
 * unit test checks).
 */
int cmp_better(const char *field, const char *key);

/* ---- the values of one run ------------------------------------------------- */

enum cmp_kind {
	CMP_KIND_COUNT,		/* exact counter */
	CMP_KIND_DERIVED,	/* a ratio of counters */
	CMP_KIND_OUTCOME,	/* outcome class: severity index */
	CMP_KIND_DIST,		/* a distribution: its median */
};

struct cmp_value {
	const char *name;	/* "rmi_calls.total", "derived.block_coverage" */
	const char *unit;
	enum cmp_dir dir;
	enum cmp_kind kind;
	bool sparse;		/* left out when 0 in every run compared */
	double v;
};

/*
 * Call @fn for every value of @r: the counts by their result file path
 * (every field of RUN_COUNTS_FIELDS, arrays and calls by command and
 * status one value per key, WARN reasons as "warning_reasons:REASON"),
 * the derived values ("derived.KEY"), the outcome class and the median
 * of each distribution ("distributions.KEY"), in that order.
 */
void cmp_each_value(const struct run_result *r,
		    void (*fn)(void *ctx, const struct cmp_value *v),
		    void *ctx);

/* The distributions of a result file, in its order. */
#define CMP_NDISTS	3
struct cmp_dist {
	const char *name;		/* "distributions.KEY" */
	const char *unit;
	size_t off;			/* of its struct hist in run_result */
	bool wall;			/* wall clock: machine dependent */
};
extern const struct cmp_dist cmp_dists[CMP_NDISTS];

/*
 * The samples of distribution @d of @r as bins. The log2 histogram is
 * what result files hold today; a finer histogram, where a file has one,
 * is to be preferred here, in this one place.
 */
void cmp_dist_bins(const struct run_result *r, const struct cmp_dist *d,
		   struct stat_bins *b);

/* A setting's value as text: "one-level", "16M", "shared"/"private". */
void cmp_cfg_text(const struct run_config *c, const struct cfg_field *f,
		  char *buf, size_t len);

/* ---- result sets -------------------------------------------------------------- */

struct cmp_run {
	char *path;
	struct run_result r;
	struct result_meta m;
};

struct cmp_set {
	char *arg;		/* as given: a file or a directory */
	bool dir;
	struct cmp_run *runs;
	size_t n;
};

/*
 * Read @arg, a result file or a directory of them (every *.json but
 * hidden ones, in name order). A file whose schema_version is not this
 * rmibench's is kept unread with its version in @foreign (0 if none):
 * the caller decides whether that is incomparable or an error. Returns
 * 0, or -1 with one line naming the file and the problem in @err.
 */
int cmp_set_load(struct cmp_set *s, const char *arg, uint64_t *foreign,
		 char **foreign_path, char *err, size_t errlen);
void cmp_set_free(struct cmp_set *s);

/*
 * Pair the runs of sets @a, @b (nsets 2) or group the runs of several
 * sets (history): @question[f] is set for each setting whose values are
 * not the same in every set; the seed never pairs. For each run, @group
 * gets its group index (runs with the same other settings); returns the
 * number of groups, or -1 when out of memory. @label (ngroups entries of
 * 128 bytes, malloc'ed) names each group by the settings that vary
 * between groups.
 */
long cmp_group(struct cmp_set *sets, size_t nsets, bool *question,
	       size_t **group, char (**label)[128]);

/* ---- compare ------------------------------------------------------------------- */

#define CMP_MAX_RULES	32

struct cmp_rule {
	char pat[96];		/* a metric name; "PREFIX*" for a prefix */
	double pct;
};

struct cmp_opts {
	double threshold;	/* effect size, fraction (0.05) */
	double alpha;		/* U test significance (0.05) */
	double conf;		/* bootstrap interval (0.95) */
	unsigned int reps;	/* bootstrap resamples (2000) */
	uint64_t seed;
	unsigned int min_samples;	/* per side (8) */
	struct cmp_rule tol[CMP_MAX_RULES];
	unsigned int ntol;
	struct cmp_rule ignore[CMP_MAX_RULES];
	unsigned int nignore;
	bool vary[CFG_NFIELDS];	/* --vary: may differ though not under test */
	bool fail_on_change;
	bool all;		/* list every metric, not only differences */
	bool wall;		/* the sim's wall clock in the verdict too */
};

void cmp_opts_default(struct cmp_opts *o);
/* The first of @n rules whose pattern matches metric @name, or NULL. */
const struct cmp_rule *cmp_rule_for(const struct cmp_rule *rules,
				    unsigned int n, const char *name);

struct cmp_metric {
	char name[128];
	const char *unit;
	enum cmp_dir dir;
	enum cmp_kind kind;
	enum cmp_verdict verdict;
	unsigned int nb, nn;		/* runs (repeats) each side */
	double base, new_;		/* mean over repeats; dist: median */
	double base_lo, base_hi, new_lo, new_hi;	/* over repeats */
	double tol;			/* tolerance applied, fraction */
	/* distributions */
	uint64_t samples_b, samples_n;
	double p, u, ratio, ci_lo, ci_hi;
	int ranges;			/* repeats: -1 new below, 1 above,
					 * 0 overlap, 2 not enough repeats */
	char note[320];
};

struct cmp_pair {
	char label[128];
	size_t *ib, *in;		/* runs of base and new */
	size_t nb, nn;
	struct cmp_metric *m;
	size_t nm;
	enum cmp_verdict verdict;
	char why[512];			/* incomparable: which difference */
	unsigned int nv[CMP_IGNORED + 1];	/* metrics per verdict */
};

struct cmp_report {
	struct cmp_set base, new_;
	struct cmp_opts o;
	bool question[CFG_NFIELDS];
	char question_text[512];	/* "kernel v14 -> v15, ..." or "" */
	struct cmp_pair *pairs;
	size_t npairs;
	enum cmp_verdict verdict;
	char why[512];			/* incomparable as a whole */
	char command[1024];		/* the command that reproduces it */
};

/*
 * Compare sets @base and @new (read already) into @rep with @o. Returns
 * 0, or -1 with one line in @err (out of memory).
 */
int cmp_compare(struct cmp_report *rep, char *err, size_t errlen);
void cmp_report_free(struct cmp_report *rep);

/*
 * The verdict of one distribution, @ha (base) against @hb (new), into
 * @m: its name, dir, and (repeats) base_lo..new_hi, nb, nn and ranges
 * set by the caller (ranges 2: no repeats). The U test, the bootstrap
 * interval of the median ratio (@seed), the threshold (or the
 * tolerance of m->name), the repeats' second opinion.
 */
void cmp_dist_verdict(struct cmp_metric *m, const struct hist *ha,
		      const struct hist *hb, const struct cmp_opts *o,
		      uint64_t seed);
/* 0 same or improved, 1 regressed (or any difference with
 * fail_on_change), 2 incomparable */
int cmp_exit_status(const struct cmp_report *rep);

/* ---- outputs (compare_out.c) ----------------------------------------------------- */

enum cmp_format {
	CMP_FMT_TABLE,
	CMP_FMT_MARKDOWN,
	CMP_FMT_JSON,
	CMP_FMT_EMAIL,
	CMP_FMT_GITHUB,
	CMP_FMT_JUNIT,
	CMP_FMT_KCIDB,
	CMP_FMT_LAVA,
	CMP_FMT_COUNT,
};

const char *cmp_format_name(enum cmp_format f);
int cmp_format_from_name(const char *s);	/* -1 if unknown */

/* Write @rep in @fmt to @f. Returns 0, or -1 on a write error. */
int cmp_write(const struct cmp_report *rep, enum cmp_format fmt, FILE *f);

/*
 * Before/after plots into @dir: DIR/compare.tsv (the metrics that
 * differ, and the distributions), DIR/dist-N.tsv (each pair's bins),
 * DIR/compare.gp, and with gnuplot DIR/counts.png and DIR/dist-N.png.
 * Returns 0, or -1 with one line in @err.
 */
int cmp_plots(const struct cmp_report *rep, const char *dir, char *err,
	      size_t errlen);

/* ---- what compare and history share (cmp_share.c) ------------------------------ */

/* A number from @lo to @hi; 0, or -1. */
int cmp_parse_double(const char *s, double lo, double hi, double *v);
/*
 * Add a --tolerance or --ignore rule: @pat ("counts.X" is X, may end in
 * '*') and @pct. 0, or -1 for an empty or too long pattern or more than
 * CMP_MAX_RULES rules.
 */
int cmp_rule_add(struct cmp_rule *r, unsigned int *n, const char *pat,
		 double pct);
/* --alpha P, --seed N, --ignore FIELD: parsed, or the one-line error */
error_t cmp_opt_alpha(const struct argp_state *state, const char *arg,
		      double *out);
error_t cmp_opt_seed(const struct argp_state *state, const char *arg,
		     uint64_t *out);
error_t cmp_opt_ignore(const struct argp_state *state, const char *arg,
		       struct cmp_rule *rules, unsigned int *n);

/*
 * A command's output: @f is stdout, or with --out PATH a buffer that
 * cmp_out_close() writes to PATH atomically. open: 0, or -1 (out of
 * memory); close: 0, or -1 with one line in @err (stdout: a write error);
 * discard: nothing written.
 */
struct cmp_out {
	const char *path;
	FILE *f;
	char *buf;
	size_t len;
};

int cmp_out_open(struct cmp_out *o, const char *path);
int cmp_out_close(struct cmp_out *o, char *err, size_t errlen);
void cmp_out_discard(struct cmp_out *o);

/*
 * Plot files: cmp_plot_begin() makes @dir if need be and starts a table
 * (@t, its header line @columns) and a gnuplot script (@g, its first
 * lines: what made it, tab-separated data, TERM pngcairo or png, a
 * terminal of @width x @height pixels);
 * cmp_plot_end() writes them to DIR/TSV and DIR/GP atomically and, if
 * @run, runs gnuplot on the script in @dir; cmp_plot_abort() drops them.
 * 0, or -1 with one line in @err.
 */
struct cmp_plot_files {
	FILE *t, *g;
	char *tb, *gb;
	size_t tl, gl;
};

int cmp_plot_begin(struct cmp_plot_files *p, const char *dir,
		   const char *what, const char *columns, unsigned int width,
		   unsigned int height, char *err, size_t errlen);
int cmp_plot_end(struct cmp_plot_files *p, const char *dir, const char *tsv,
		 const char *gp, bool run, char *err, size_t errlen);
void cmp_plot_abort(struct cmp_plot_files *p);


/* Write @text (@len bytes) to @path atomically; 0 or -1 with @err. */
int cmp_write_text(const char *path, const char *text, size_t len,
		   char *err, size_t errlen);
/* Run gnuplot on @script in @dir; 0, or -1 with one line in @err. */
int cmp_gnuplot(const char *dir, const char *script, char *err,
		size_t errlen);

#endif /* RMIBENCH_COMPARE_H */
