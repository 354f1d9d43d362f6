// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench compare BASE NEW: the verdict of two result files or two
 * directories of runs (compare.h), in one of the output formats, with
 * an exit status for CI: 0 same or improved, 1 regressed, 2 an error or
 * nothing comparable.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"

#define EXIT_ERROR	2

struct compare_args {
	const char *base, *new_;
	const char *out, *plots;
	enum cmp_format fmt;
	struct cmp_opts o;
};

enum {
	OPT_FORMAT = 0x300, OPT_OUT, OPT_THRESHOLD, OPT_ALPHA, OPT_TOL,
	OPT_IGNORE, OPT_VARY, OPT_FAIL_ON_CHANGE, OPT_ALL, OPT_SEED,
	OPT_BOOT, OPT_MIN, OPT_PLOTS, OPT_WALL,
};

static const struct argp_option compare_options[] = {
	{ "format", OPT_FORMAT, "FMT", 0,
	  "table (default), markdown, json, email, github, junit, kcidb or "
	  "lava", 0 },
	{ "out", OPT_OUT, "FILE", 0,
	  "write the output to FILE (atomically) instead of stdout", 0 },
	{ "plots", OPT_PLOTS, "DIR", 0,
	  "before/after plots (gnuplot) and their data into DIR", 0 },
	{ "threshold", OPT_THRESHOLD, "PCT", 0,
	  "smallest change of a distribution's median that counts "
	  "(default 5)", 1 },
	{ "alpha", OPT_ALPHA, "P", 0,
	  "significance of the Mann-Whitney U test (default 0.05)", 1 },
	{ "tolerance", OPT_TOL, "FIELD=PCT", 0,
	  "a difference of at most PCT percent in FIELD is the same "
	  "(a distribution: its threshold); FIELD may end in '*'; "
	  "repeatable", 1 },
	{ "ignore", OPT_IGNORE, "FIELD", 0,
	  "leave FIELD out of the verdict (may end in '*'; repeatable), "
	  "e.g. distributions.fault_latency_wall_ns", 1 },
	{ "vary", OPT_VARY, "SETTING", 0,
	  "let SETTING differ though it is not one under test "
	  "(e.g. vcpus; repeatable)", 1 },
	{ "fail-on-change", OPT_FAIL_ON_CHANGE, NULL, 0,
	  "exit 1 on any difference, changed or improved too (an exact "
	  "baseline)", 1 },
	{ "all", OPT_ALL, NULL, 0, "list every metric, not only those that "
	  "differ", 1 },
	{ "wall", OPT_WALL, NULL, 0, "the sim's wall-clock fault latency in "
	  "the verdict too (it times the simulator: left out by default)", 1 },
	{ "seed", OPT_SEED, "N", 0, "seed of the bootstrap (default 1)", 2 },
	{ "bootstrap", OPT_BOOT, "N", 0,
	  "bootstrap resamples (default 2000)", 2 },
	{ "min-samples", OPT_MIN, "N", 0,
	  "fewest samples a side for a distribution verdict (default 8)", 2 },
	{ 0 }
};

static error_t compare_parse(int key, char *arg, struct argp_state *state)
{
	struct compare_args *a = state->input;
	uint64_t u;
	double d;
	char *eq;
	int i;

	switch (key) {
	case OPT_FORMAT:
		i = cmp_format_from_name(arg);
		if (i < 0)
			return cli_bad_value(state, "format", arg,
					     "want table, markdown, json, email, "
					     "github, junit, kcidb or lava");
		a->fmt = (enum cmp_format)i;
		return 0;
	case OPT_OUT:
		a->out = arg;
		return cli_check_out(state, "out", arg);
	case OPT_PLOTS:
		a->plots = arg;
		return cli_check_out_dir(state, "plots", arg, false);
	case OPT_THRESHOLD:
		if (cmp_parse_double(arg, 0, 1000, &d))
			return cli_bad_value(state, "threshold", arg,
					     "want a percentage, 0 to 1000");
		a->o.threshold = d / 100;
		return 0;
	case OPT_ALPHA:
		return cmp_opt_alpha(state, arg, &a->o.alpha);
	case OPT_TOL:
		eq = strrchr(arg, '=');
		if (!eq || cmp_parse_double(eq + 1, 0, 1e6, &d))
			return cli_bad_value(state, "tolerance", arg,
					     "want FIELD=PCT, e.g. "
					     "rmi_calls.total=2");
		*eq = 0;
		i = cmp_rule_add(a->o.tol, &a->o.ntol, arg, d);
		*eq = '=';
		if (i)
			return cli_bad_value(state, "tolerance", arg,
					     "a field name, at most 32 rules");
		return 0;
	case OPT_IGNORE:
		return cmp_opt_ignore(state, arg, a->o.ignore, &a->o.nignore);
	case OPT_VARY:
		for (i = 0; i < CFG_NFIELDS; i++)
			if (!strcmp(arg, run_config_fields[i].opt) ||
			    !strcmp(arg, run_config_fields[i].name))
				break;
		if (i == CFG_NFIELDS || i == CFG_FIELD_backend)
			return cli_bad_value(state, "vary", arg,
					     "want a setting of rmibench run "
					     "(not backend)");
		a->o.vary[i] = true;
		return 0;
	case OPT_FAIL_ON_CHANGE:
		a->o.fail_on_change = true;
		return 0;
	case OPT_ALL:
		a->o.all = true;
		return 0;
	case OPT_WALL:
		a->o.wall = true;
		return 0;
	case OPT_SEED:
		return cmp_opt_seed(state, arg, &a->o.seed);
	case OPT_BOOT:
		if (cli_parse_uint(arg, 100, 1000000, &u))
			return cli_bad_value(state, "bootstrap", arg,
					     "want 100..1000000");
		a->o.reps = (unsigned int)u;
		return 0;
	case OPT_MIN:
		if (cli_parse_uint(arg, 2, 1000000, &u))
			return cli_bad_value(state, "min-samples", arg,
					     "want 2..1000000");
		a->o.min_samples = (unsigned int)u;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->base)
			a->base = arg;
		else if (!a->new_)
			a->new_ = arg;
		else
			return cli_usage_error(state, "two result sets only "
					       "(BASE NEW), not '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (!a->new_)
			return cli_usage_error(state, "want BASE and NEW (result "
					       "files or directories)");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp compare_argp = {
	.options = compare_options,
	.parser = compare_parse,
	.args_doc = "BASE NEW",
	.doc =
"Compares two result files, or two directories of result files whose runs "
"are paired by configuration, and gives a verdict per configuration and "
"overall: same, improved, regressed, changed (differs, neither better nor "
"worse) or incomparable."
"\v"
"Counts are compared exactly (--tolerance for noisy backends); the "
"distributions by the Mann-Whitney U test and a bootstrap interval of the "
"median ratio, with --threshold as the smallest change that counts. Runs "
"that differ only in the seed are repeats. Settings whose values differ "
"between BASE and NEW are what is compared (kernel, strategy, delegation, "
"profile, delegate-granules, folio, calibration; others with --vary). "
"Exit status: 0 same or improved, 1 regressed (with --fail-on-change: any "
"difference), 2 a bad file or command line, or nothing comparable.",
};

/* the command line, as it was given */
static void command_of(char *buf, size_t len, int argc, char **argv)
{
	size_t used = (size_t)snprintf(buf, len, "rmibench compare");

	for (int i = 1; i < argc && used < len; i++) {
		const char *s = argv[i];
		bool q = !*s || strpbrk(s, " \t'\"$`\\*?;&|<>()") != NULL;

		used += (size_t)snprintf(buf + used, len - used,
					 q ? " '%s'" : " %s", s);
	}
}

static int load(struct cmp_set *s, const char *arg, uint64_t *ver,
		char **vpath)
{
	char err[1024];

	if (cmp_set_load(s, arg, ver, vpath, err, sizeof(err))) {
		fprintf(stderr, "rmibench compare: %s\n", err);
		return -1;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = { .fmt = CMP_FMT_TABLE };
	struct cmp_report *rep;
	uint64_t vb = 0, vn = 0;
	char *pb, *pn, err[1024];
	struct cmp_out o;
	int ret;

	cmp_opts_default(&a.o);
	ret = cli_parse(&compare_argp, "rmibench compare", argc, argv, 0, &a);
	if (ret >= 0)
		return ret;
	rep = calloc(1, sizeof(*rep));
	if (!rep) {
		fprintf(stderr, "rmibench compare: out of memory\n");
		return EXIT_ERROR;
	}
	ret = EXIT_ERROR;
	rep->o = a.o;
	command_of(rep->command, sizeof(rep->command), argc, argv);
	if (load(&rep->base, a.base, &vb, &pb) ||
	    load(&rep->new_, a.new_, &vn, &pn))
		goto out;
	if (vb || vn) {
		/* a file this rmibench cannot read: say which, and whether
		 * the other side was readable (schema versions differ) */
		fprintf(stderr, "rmibench compare: %s: schema_version %llu, "
			"this rmibench reads %d%s\n", vb ? pb : pn,
			(unsigned long long)(vb ? vb : vn), RESULT_SCHEMA_VERSION,
			(vb ? vb : vn) != (vb ? vn : vb) ?
			": incomparable (the schema versions differ)" : "");
		goto out;
	}
	if (cmp_compare(rep, err, sizeof(err))) {
		fprintf(stderr, "rmibench compare: %s\n", err);
		goto out;
	}
	if (cmp_out_open(&o, a.out)) {
		fprintf(stderr, "rmibench compare: out of memory\n");
		goto out;
	}
	if (cmp_write(rep, a.fmt, o.f)) {
		cmp_out_discard(&o);
		fprintf(stderr, "rmibench compare: %s: write error\n",
			a.out ? a.out : "stdout");
		goto out;
	}
	if (cmp_out_close(&o, err, sizeof(err))) {
		fprintf(stderr, "rmibench compare: %s\n", err);
		goto out;
	}
	if (a.plots && cmp_plots(rep, a.plots, err, sizeof(err))) {
		fprintf(stderr, "rmibench compare: %s\n", err);
		goto out;
	}
	ret = cmp_exit_status(rep);
out:
	cmp_report_free(rep);
	free(rep);
	return ret;
}
