// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench history SET...: result sets (a directory or a file each: one
 * point of the history) ordered by series version and commit, the runs
 * of each configuration followed from set to set, and the change points
 * of every count and distribution median (E-divisive means with a
 * permutation test, stats.h), with the commit range of each. Plots with
 * gnuplot: one per metric, the change points marked.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "cli.h"
#include "compare.h"
#include "errmsg.h"

#define EXIT_ERROR	2
#define MAX_SETS	4096
#define MAX_PLOTS	64

struct history_args {
	const char **sets;
	size_t nsets;
	const char *plots, *out;
	bool given_order, json;
	double alpha;
	unsigned int perms;
	uint64_t seed;
	size_t min_size;
	struct cmp_rule ignore[CMP_MAX_RULES];
	unsigned int nignore;
};

enum {
	OPT_ORDER = 0x400, OPT_PLOTS, OPT_FORMAT, OPT_ALPHA, OPT_PERMS,
	OPT_SEED, OPT_MIN_SIZE, OPT_IGNORE, OPT_OUT,
};

static const struct argp_option history_options[] = {
	{ "order", OPT_ORDER, "HOW", 0,
	  "version (default: by config.kernel, then git describe, then time "
	  "stamp) or given (as on the command line)", 0 },
	{ "format", OPT_FORMAT, "FMT", 0, "text (default) or json", 0 },
	{ "out", OPT_OUT, "FILE", 0, "write the output to FILE (atomically)",
	  0 },
	{ "plots", OPT_PLOTS, "DIR", 0,
	  "a gnuplot plot per metric that varies, change points marked, and "
	  "the data, into DIR", 0 },
	{ "alpha", OPT_ALPHA, "P", 0,
	  "significance of the permutation test (default 0.05)", 1 },
	{ "permutations", OPT_PERMS, "N", 0,
	  "shuffles per permutation test (default 199)", 1 },
	{ "seed", OPT_SEED, "N", 0, "seed of the shuffles (default 1)", 1 },
	{ "min-size", OPT_MIN_SIZE, "N", 0,
	  "fewest points between change points (default 2)", 1 },
	{ "ignore", OPT_IGNORE, "FIELD", 0,
	  "leave a metric out (may end in '*'; repeatable)", 1 },
	{ 0 }
};

static error_t history_parse(int key, char *arg, struct argp_state *state)
{
	struct history_args *a = state->input;
	uint64_t u;

	switch (key) {
	case OPT_ORDER:
		if (strcmp(arg, "version") && strcmp(arg, "given"))
			return cli_bad_value(state, "order", arg,
					     "want version or given");
		a->given_order = !strcmp(arg, "given");
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "json"))
			return cli_bad_value(state, "format", arg,
					     "want text or json");
		a->json = !strcmp(arg, "json");
		return 0;
	case OPT_OUT:
		a->out = arg;
		return cli_check_out(state, "out", arg);
	case OPT_PLOTS:
		a->plots = arg;
		return cli_check_out_dir(state, "plots", arg, false);
	case OPT_ALPHA:
		return cmp_opt_alpha(state, arg, &a->alpha);
	case OPT_PERMS:
		if (cli_parse_uint(arg, 19, 100000, &u))
			return cli_bad_value(state, "permutations", arg,
					     "want 19..100000");
		a->perms = (unsigned int)u;
		return 0;
	case OPT_SEED:
		return cmp_opt_seed(state, arg, &a->seed);
	case OPT_MIN_SIZE:
		if (cli_parse_uint(arg, 2, 1000, &u))
			return cli_bad_value(state, "min-size", arg,
					     "want 2..1000");
		a->min_size = (size_t)u;
		return 0;
	case OPT_IGNORE:
		return cmp_opt_ignore(state, arg, a->ignore, &a->nignore);
	case ARGP_KEY_ARG:
		if (a->nsets == MAX_SETS)
			return cli_usage_error(state, "at most %d sets",
					       MAX_SETS);
		a->sets[a->nsets++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->nsets < 2)
			return cli_usage_error(state, "want two result sets or "
					       "more (directories or files)");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp history_argp = {
	.options = history_options,
	.parser = history_parse,
	.args_doc = "SET...",
	.doc =
"Orders result sets (each a directory of result files, or one file) by "
"series version and commit, follows each configuration from set to set, "
"and finds the change points of every count, derived value and "
"distribution median: E-divisive means with a seeded permutation test. "
"Each change point is given with the commit range it lies in."
"\v"
"Runs are matched as `rmibench compare` pairs them; repeats in a set are "
"averaged. A series needs twice --min-size points for a change point; "
"with 8 points or fewer a permutation test at 0.05 can rarely be "
"significant. Exit status: 0 done (change points or not), 2 a bad file or "
"command line.",
};

/* ---- ordering ---------------------------------------------------------------------- */

struct hset {
	struct cmp_set s;
	size_t given;
	char tag[64];		/* git describe: the tag, "" if none */
	long ahead;		/* commits after the tag, -1 if unknown */
};

/* "v1.2-14-gabcdef-dirty": tag v1.2, 14 ahead; "abcdef": none */
static void describe(struct hset *h)
{
	const char *g = h->s.runs[0].m.git[0] ? h->s.runs[0].m.git :
			h->s.runs[0].m.version;
	const char *p = strstr(g, "-g");

	h->tag[0] = 0;
	h->ahead = -1;
	if (p && p > g) {
		const char *q = p;

		while (q > g && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (q > g && q[-1] == '-' && q < p) {
			snprintf(h->tag, sizeof(h->tag), "%.*s",
				 (int)(q - 1 - g), g);
			h->ahead = strtol(q, NULL, 10);
		}
	} else if (!strchr(g, '-') && (g[0] == 'v' || g[0] == 'V')) {
		snprintf(h->tag, sizeof(h->tag), "%s", g);
		h->ahead = 0;
	}
}

static int cmp_hset(const void *x, const void *y)
{
	const struct hset *a = x, *b = y;
	const struct cmp_run *ra = &a->s.runs[0], *rb = &b->s.runs[0];
	int c;

	if (ra->r.cfg.kernel != rb->r.cfg.kernel)
		return ra->r.cfg.kernel < rb->r.cfg.kernel ? -1 : 1;
	if (a->tag[0] && b->tag[0]) {
		c = strverscmp(a->tag, b->tag);
		if (c)
			return c;
		if (a->ahead != b->ahead)
			return a->ahead < b->ahead ? -1 : 1;
	}
	c = strcmp(ra->m.timestamp, rb->m.timestamp);
	if (c)
		return c;
	return a->given < b->given ? -1 : a->given > b->given;
}

static const char *git_of(const struct hset *h)
{
	const struct cmp_run *r = &h->s.runs[0];

	return r->m.git[0] ? r->m.git : r->m.version;
}

/* ---- series ------------------------------------------------------------------------ */

struct series {
	char name[128];
	const char *unit;
	size_t group;
	double *v;		/* per set: the mean of its repeats */
	unsigned int *n;	/* per set: repeats; 0 is a gap */
	bool sparse;
	struct stat_cp cp[STAT_MAX_CP];
	size_t ncp;
};

struct hist_ctx {
	struct series *s;
	size_t n, cap, nsets, set, group, hint;
	bool oom;
	const struct cmp_rule *ignore;
	unsigned int nignore;
};

static void add_value(void *ctx, const struct cmp_value *v)
{
	struct hist_ctx *c = ctx;
	size_t i;

	if (c->oom || cmp_rule_for(c->ignore, c->nignore, v->name))
		return;
	for (i = 0; i < c->n; i++) {
		size_t k = (c->hint + i) % c->n;

		if (c->s[k].group == c->group && !strcmp(c->s[k].name, v->name)) {
			i = k;
			break;
		}
	}
	if (i == c->n) {
		if (c->n == c->cap) {
			struct series *ns;

			c->cap = c->cap ? 2 * c->cap : 256;
			ns = realloc(c->s, c->cap * sizeof(*ns));
			if (!ns) {
				c->oom = true;
				return;
			}
			c->s = ns;
		}
		memset(&c->s[i], 0, sizeof(c->s[i]));
		snprintf(c->s[i].name, sizeof(c->s[i].name), "%s", v->name);
		c->s[i].unit = v->unit;
		c->s[i].group = c->group;
		c->s[i].sparse = v->sparse;
		c->s[i].v = calloc(c->nsets, sizeof(double));
		c->s[i].n = calloc(c->nsets, sizeof(unsigned int));
		if (!c->s[i].v || !c->s[i].n) {
			free(c->s[i].v);
			free(c->s[i].n);
			c->oom = true;
			return;
		}
		c->n++;
	}
	/* a running mean over the set's repeats */
	c->s[i].n[c->set]++;
	c->s[i].v[c->set] += (v->v - c->s[i].v[c->set]) / c->s[i].n[c->set];
	c->hint = i + 1;
}

/* the points of @s that exist: their values and set indices */
static size_t points(const struct series *s, size_t nsets, double *x,
		     size_t *at)
{
	size_t n = 0;

	for (size_t i = 0; i < nsets; i++)
		if (s->n[i]) {
			x[n] = s->v[i];
			at[n++] = i;
		}
	return n;
}

static bool varies(const struct series *s, size_t nsets)
{
	bool first = true;
	double v0 = 0;

	for (size_t i = 0; i < nsets; i++) {
		if (!s->n[i])
			continue;
		if (first) {
			v0 = s->v[i];
			first = false;
		} else if (s->v[i] != v0) {
			return true;
		}
	}
	return false;
}

/* mean of x[lo..hi) */
static double mean_of(const double *x, size_t lo, size_t hi)
{
	double s = 0;

	for (size_t i = lo; i < hi; i++)
		s += x[i];
	return hi > lo ? s / (double)(hi - lo) : 0;
}

/* ---- output ------------------------------------------------------------------------ */

struct cp_row {
	const struct series *s;
	size_t k;		/* which change point of s */
	size_t from, to;	/* set indices either side */
	double before, after;
};

static void write_text(FILE *f, const struct history_args *a,
		       struct hset *hs, size_t nsets, char (*label)[128],
		       const struct cp_row *rows, size_t nrows,
		       size_t nseries, size_t nvary)
{
	fprintf(f, "rmibench history: %zu result sets, ordered %s\n", nsets,
		a->given_order ? "as given" :
		"by series version, then git describe, then time stamp");
	for (size_t i = 0; i < nsets; i++) {
		const struct cmp_run *r = &hs[i].s.runs[0];

		fprintf(f, "  %3zu  %-32s %-4s %-24s %s (%zu run%s)\n", i + 1,
			hs[i].s.arg, kernel_name(r->r.cfg.kernel), git_of(&hs[i]),
			r->m.timestamp, hs[i].s.n, hs[i].s.n == 1 ? "" : "s");
	}
	fprintf(f, "\n%zu series (configuration x metric), %zu of them vary; "
		"E-divisive means, %u shuffles per test, alpha %g, seed %llu, "
		"at least %zu points a segment\n", nseries, nvary, a->perms,
		a->alpha, (unsigned long long)a->seed, a->min_size);
	if (!nrows) {
		fprintf(f, "no change points\n");
		return;
	}
	fprintf(f, "%zu change point%s:\n", nrows, nrows == 1 ? "" : "s");
	for (size_t i = 0; i < nrows; i++) {
		const struct cp_row *c = &rows[i];
		const struct stat_cp *p = &c->s->cp[c->k];

		fprintf(f, "  [%s] %s: at set %zu (%s), commits %s..%s: "
			"%.6g -> %.6g", label[c->s->group], c->s->name,
			c->to + 1, hs[c->to].s.arg, git_of(&hs[c->from]),
			git_of(&hs[c->to]), c->before, c->after);
		if (c->before != 0)
			fprintf(f, " (%+.1f%%)",
				100 * (c->after - c->before) / fabs(c->before));
		fprintf(f, ", p=%.3g\n", p->p);
	}
}

static int write_jsonf(FILE *f, const struct history_args *a,
		       struct hset *hs, size_t nsets, char (*label)[128],
		       const struct cp_row *rows, size_t nrows)
{
	json_object *o = json_object_new_object(), *sets, *cps, *opt;
	int ret;

	json_object_object_add(o, "schema",
			       json_object_new_string("rmibench-history-1"));
	opt = json_object_new_object();
	json_object_object_add(opt, "order", json_object_new_string(
				       a->given_order ? "given" : "version"));
	json_object_object_add(opt, "alpha", json_object_new_double(a->alpha));
	json_object_object_add(opt, "permutations",
			       json_object_new_int((int)a->perms));
	json_object_object_add(opt, "seed", json_object_new_uint64(a->seed));
	json_object_object_add(opt, "min_size",
			       json_object_new_int((int)a->min_size));
	json_object_object_add(o, "options", opt);
	sets = json_object_new_array();
	for (size_t i = 0; i < nsets; i++) {
		const struct cmp_run *r = &hs[i].s.runs[0];
		json_object *s = json_object_new_object();

		json_object_object_add(s, "set", json_object_new_string(hs[i].s.arg));
		json_object_object_add(s, "kernel", json_object_new_string(
					       kernel_name(r->r.cfg.kernel)));
		json_object_object_add(s, "git", json_object_new_string(git_of(&hs[i])));
		json_object_object_add(s, "timestamp",
				       json_object_new_string(r->m.timestamp));
		json_object_object_add(s, "runs",
				       json_object_new_int((int)hs[i].s.n));
		json_object_array_add(sets, s);
	}
	json_object_object_add(o, "sets", sets);
	cps = json_object_new_array();
	for (size_t i = 0; i < nrows; i++) {
		const struct cp_row *c = &rows[i];
		json_object *p = json_object_new_object();
		char range[300];

		json_object_object_add(p, "configuration",
				       json_object_new_string(label[c->s->group]));
		json_object_object_add(p, "metric",
				       json_object_new_string(c->s->name));
		json_object_object_add(p, "set_index",
				       json_object_new_int((int)c->to + 1));
		json_object_object_add(p, "set",
				       json_object_new_string(hs[c->to].s.arg));
		snprintf(range, sizeof(range), "%s..%s", git_of(&hs[c->from]),
			 git_of(&hs[c->to]));
		json_object_object_add(p, "commits", json_object_new_string(range));
		json_object_object_add(p, "before", json_object_new_double(c->before));
		json_object_object_add(p, "after", json_object_new_double(c->after));
		json_object_object_add(p, "p",
				       json_object_new_double(c->s->cp[c->k].p));
		json_object_array_add(cps, p);
	}
	json_object_object_add(o, "change_points", cps);
	ret = fprintf(f, "%s\n", json_object_to_json_string_ext(o,
		      JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		      JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 ? -1 : 0;
	json_object_put(o);
	return ret;
}

static void file_name(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 5 < len; i++)
		buf[i] = (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= 'A' && s[i] <= 'Z') ||
			 (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
			 s[i] == '-' ? s[i] : '_';
	buf[i] = 0;
}

/*
 * DIR/history.tsv (set, configuration, metric, value, change point) and
 * DIR/history.gp: one plot per metric that varies, a line per
 * configuration, the change points as large points.
 */
static int write_plots(const char *dir, struct hset *hs, size_t nsets,
		       char (*label)[128], struct series *s, size_t ns,
		       char *err, size_t errlen)
{
	struct cmp_plot_files p;
	size_t nplots = 0;
	FILE *t, *g;

	if (cmp_plot_begin(&p, dir, "history: a plot per metric (gnuplot "
			   "history.gp)", "set\tgit\tconfiguration\tmetric\t"
			   "value\tchange_point", 1000, 560, err, errlen))
		return -1;
	t = p.t;
	g = p.g;
	fprintf(g, "set key outside bottom center horizontal\nset grid\n"
		"set xlabel 'result set (ordered by version)'\n"
		"set xtics 1\nset offsets 0.3, 0.3, 0, 0\n");
	/* one plot per metric name: the series of each configuration */
	for (size_t i = 0; i < ns && nplots < MAX_PLOTS; i++) {
		bool first = true, any = false;
		char fname[140];

		for (size_t k = 0; k < i; k++)
			if (!strcmp(s[k].name, s[i].name))
				first = false;
		if (!first)
			continue;
		for (size_t k = i; k < ns; k++)
			any |= !strcmp(s[k].name, s[i].name) &&
			       varies(&s[k], nsets);
		if (!any)
			continue;
		file_name(fname, sizeof(fname), s[i].name);
		fprintf(g, "set output '%s.png'\nset title '%s (%s)'\n"
			"set ylabel '%s'\nplot ", fname, s[i].name, s[i].unit,
			s[i].unit);
		first = true;
		for (size_t k = i; k < ns; k++) {
			if (strcmp(s[k].name, s[i].name) || !varies(&s[k], nsets))
				continue;
			for (size_t j = 0; j < nsets; j++) {
				bool cp = false;

				if (!s[k].n[j])
					continue;
				for (size_t c = 0; c < s[k].ncp; c++)
					cp |= s[k].cp[c].index == j;
				fprintf(t, "%zu\t%s\t%s\t%s\t%.17g\t%d\n", j + 1,
					git_of(&hs[j]), label[s[k].group],
					s[k].name, s[k].v[j], cp);
			}
			fprintf(g, "%s'< awk -F\"\\t\" \"NR > 1 && \\$3 == \\\"%s\\\" && "
				"\\$4 == \\\"%s\\\"\" history.tsv' using 1:5 with "
				"linespoints title '%s', "
				"'' using 1:($6 > 0 ? $5 : 1/0) with points pt 7 "
				"ps 2.5 lc rgb 'red' notitle",
				first ? "" : ", ", label[s[k].group], s[k].name,
				label[s[k].group]);
			first = false;
		}
		fprintf(g, "\n");
		nplots++;
	}
	return cmp_plot_end(&p, dir, "history.tsv", "history.gp", nplots > 0,
			    err, errlen);
}

/* ---- the command ----------------------------------------------------------------- */

int cmd_history(int argc, char **argv)
{
	struct history_args a = {
		.alpha = 0.05, .perms = 199, .seed = 1, .min_size = 2,
	};
	struct hset *hs = NULL;
	struct cmp_set *sets = NULL;
	struct hist_ctx c = { 0 };
	struct cp_row *rows = NULL;
	size_t nrows = 0, nvary = 0, *group = NULL, *at = NULL;
	char (*label)[128] = NULL, err[1024];
	bool question[CFG_NFIELDS];
	struct cmp_out o;
	double *x = NULL;
	long ng;
	int ret = EXIT_ERROR;

	a.sets = calloc((size_t)argc + 1, sizeof(*a.sets));
	if (!a.sets) {
		fprintf(stderr, "rmibench history: out of memory\n");
		return EXIT_ERROR;
	}
	ret = cli_parse(&history_argp, "rmibench history", argc, argv, 0, &a);
	if (ret >= 0) {
		free(a.sets);
		return ret;
	}
	ret = EXIT_ERROR;
	hs = calloc(a.nsets, sizeof(*hs));
	sets = calloc(a.nsets, sizeof(*sets));
	x = calloc(a.nsets, sizeof(*x));
	at = calloc(a.nsets, sizeof(*at));
	if (!hs || !sets || !x || !at)
		goto oom;
	for (size_t i = 0; i < a.nsets; i++) {
		uint64_t ver;
		char *vp;

		if (cmp_set_load(&hs[i].s, a.sets[i], &ver, &vp, err,
				 sizeof(err))) {
			fprintf(stderr, "rmibench history: %s\n", err);
			goto out;
		}
		if (ver) {
			fprintf(stderr, "rmibench history: %s: schema_version "
				"%llu, this rmibench reads %d\n", vp,
				(unsigned long long)ver, RESULT_SCHEMA_VERSION);
			goto out;
		}
		hs[i].given = i;
		describe(&hs[i]);
	}
	if (!a.given_order)
		qsort(hs, a.nsets, sizeof(*hs), cmp_hset);
	for (size_t i = 0; i < a.nsets; i++)
		sets[i] = hs[i].s;
	ng = cmp_group(sets, a.nsets, question, &group, &label);
	if (ng < 0)
		goto oom;
	/* every run's values into the series of its configuration */
	c.nsets = a.nsets;
	c.ignore = a.ignore;
	c.nignore = a.nignore;
	{
		size_t r = 0;

		for (size_t i = 0; i < a.nsets; i++)
			for (size_t j = 0; j < hs[i].s.n; j++, r++) {
				c.set = i;
				c.group = group[r];
				cmp_each_value(&hs[i].s.runs[j].r, add_value, &c);
			}
	}
	if (c.oom)
		goto oom;
	for (size_t i = 0; i < c.n; i++) {
		struct series *s = &c.s[i];
		size_t n = points(s, a.nsets, x, at);

		if (!varies(s, a.nsets))
			continue;
		nvary++;
		s->ncp = stat_edivisive(x, n, a.min_size, a.perms, a.alpha,
					a.seed ^ (i * 0x9e3779b97f4a7c15ull),
					s->cp, STAT_MAX_CP);
		for (size_t k = 0; k < s->ncp; k++) {
			size_t lo = k ? s->cp[k - 1].index : 0;
			size_t hi = k + 1 < s->ncp ? s->cp[k + 1].index : n;
			struct cp_row *nr = realloc(rows, (nrows + 1) *
						    sizeof(*rows));

			if (!nr)
				goto oom;
			rows = nr;
			rows[nrows++] = (struct cp_row){
				.s = s, .k = k,
				.from = at[s->cp[k].index - 1],
				.to = at[s->cp[k].index],
				.before = mean_of(x, lo, s->cp[k].index),
				.after = mean_of(x, s->cp[k].index, hi),
			};
			/* the plot marks the set, not the point index */
		}
		for (size_t k = 0; k < s->ncp; k++)
			s->cp[k].index = at[s->cp[k].index];
	}
	if (cmp_out_open(&o, a.out))
		goto oom;
	if (a.json)
		write_jsonf(o.f, &a, hs, a.nsets, label, rows, nrows);
	else
		write_text(o.f, &a, hs, a.nsets, label, rows, nrows, c.n,
			   nvary);
	if (cmp_out_close(&o, err, sizeof(err))) {
		fprintf(stderr, "rmibench history: %s\n", err);
		goto out;
	}
	if (a.plots && write_plots(a.plots, hs, a.nsets, label, c.s, c.n, err,
				   sizeof(err))) {
		fprintf(stderr, "rmibench history: %s\n", err);
		goto out;
	}
	ret = CLI_EXIT_OK;
	goto out;
oom:
	fprintf(stderr, "rmibench history: out of memory\n");
out:
	for (size_t i = 0; i < c.n; i++) {
		free(c.s[i].v);
		free(c.s[i].n);
	}
	free(c.s);
	if (hs)
		for (size_t i = 0; i < a.nsets; i++)
			cmp_set_free(&hs[i].s);
	free(hs);
	free(sets);
	free(rows);
	free(group);
	free(label);
	free(x);
	free(at);
	free(a.sets);
	return ret;
}
