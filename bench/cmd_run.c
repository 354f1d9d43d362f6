// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench run / matrix: one workload on the sim with one host strategy,
 * or the cross product of strategies, profiles, folios and vCPU counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "cli.h"
#include "errmsg.h"
#include "outfile.h"
#include "rmm.h"
#include "result.h"
#include "run.h"
#include "run_opts.h"
#include "schedule.h"
#include "workload.h"

/*
 * One line per run: what ran (kernel, strategy, delegation, profile, folio,
 * vCPUs, workload: each named, so that the two versions cannot be taken
 * one for the other), what it cost (the fault path's RMI calls per
 * fault, as the report's column), sizes in the unit that fits, and what
 * the run came to; then its WARNs and leaks.
 */
static void print_summary(FILE *f, const struct run_result *r)
{
	const struct run_counts *c = &r->counts;
	uint64_t mapped = c->mapped_bytes[1] + c->mapped_bytes[2] +
			  c->mapped_bytes[3];
	char size[32], l1[32], l2[32], l3[32], outcome[512];

	result_fmt_bytes(size, sizeof(size), r->cfg.size);
	result_fmt_bytes(l1, sizeof(l1), c->mapped_bytes[1]);
	result_fmt_bytes(l2, sizeof(l2), c->mapped_bytes[2]);
	result_fmt_bytes(l3, sizeof(l3), c->mapped_bytes[3]);
	errmsg_escape(outcome, sizeof(outcome), r->outcome);
	fprintf(f, "kernel %s, %s, deleg-%s, %s, folio %s, %u vCPU(s), %s: faults %llu (re-faults %llu) in %s, RMI calls %llu (fault path %llu: %.2f per fault), RTTs created %llu (peak %llu), mapped L1 %s, L2 %s, L3 %s (%.1f%% blocks), races %llu, leaks %llu, warnings %llu, outcome",
		kernel_name(r->cfg.kernel),
		rmi_rtt_strategy_name(r->cfg.strategy),
		deleg_name(r->cfg.delegation), r->cfg.profile,
		folio_name(r->cfg.folio), r->cfg.vcpus, r->cfg.workload,
		(unsigned long long)c->faults, (unsigned long long)c->refaults,
		size,
		(unsigned long long)c->rmi_calls,
		(unsigned long long)c->rmi_calls_fault,
		result_calls_per_fault(r),
		(unsigned long long)c->rtts_created,
		(unsigned long long)c->rtt_pages_peak, l1, l2, l3,
		mapped ? 100.0 * (double)(c->mapped_bytes[1] +
					  c->mapped_bytes[2]) /
			 (double)mapped : 0.0,
		(unsigned long long)c->delegate_races,
		(unsigned long long)c->leaked_granules,
		(unsigned long long)c->warnings);
	if (r->outcome_class == OUTCOME_OK)
		fprintf(f, ": %s\n", outcome);
	else
		fprintf(f, " %s: %s\n", outcome_name(r->outcome_class),
			outcome);
	for (unsigned int i = 0; i < c->nwarn; i++)
		fprintf(f, "  WARN x%llu: %s\n",
			(unsigned long long)c->warn[i].count, c->warn[i].reason);
	if (c->leaked_granules) {
		fprintf(f, "  leaked granules by state:");
		for (unsigned int i = 1; i < 7; i++)
			if (c->leaked_by_state[i])
				fprintf(f, " %s %llu", rmi_granule_state_name(i),
					(unsigned long long)c->leaked_by_state[i]);
		fputc('\n', f);
	}
}

/* ---- run ----------------------------------------------------------------------- */

struct run_args {
	struct run_opts o;
	const char *out;
	bool quiet;
	const char *schedule;	/* --schedule, as given */
	struct schedule sched;
	struct kernel_opts k;	/* --backend kernel only */
	bool kernel_opt;	/* one of them was given */
};

enum { OPT_OUT = 0x200, OPT_OUT_DIR, OPT_QUIET, OPT_DRY_RUN, OPT_ROOT,
       OPT_VMM, OPT_GUEST, OPT_VMM_REPORT, OPT_FAIL_ON, OPT_FRESH,
       OPT_LIST, OPT_SCHEDULE };


/*
 * --root, --vmm, --guest: where the kernel backend finds the host's files,
 * the VMM and the guest; options of `run` and `matrix` alike. Returns
 * ARGP_ERR_UNKNOWN for any other key.
 */
#define KERNEL_PATH_OPTIONS						\
	{ "root", OPT_ROOT, "DIR", 0,					\
	  "prefix every /sys and /dev path with DIR (a fake tree for "	\
	  "tests; default /)", 1 },					\
	{ "vmm", OPT_VMM, "PATH", 0,					\
	  "the VMM (default: guests/vmm next to rmibench)", 1 },	\
	{ "guest", OPT_GUEST, "IMAGE", 0,				\
	  "the bare-metal guest (default: aarch64/guests/guest-bare.bin " \
	  "next to rmibench)", 1 }

static error_t kernel_path_parse(int key, char *arg,
				 struct argp_state *state,
				 struct kernel_opts *k, bool *given)
{
	switch (key) {
	case OPT_ROOT:
		if (arg[0] != '/' || strlen(arg) > 256)
			return cli_bad_value(state, "root", arg,
					     "want an absolute path");
		/* "/" is the real root: no prefix */
		k->root = strcmp(arg, "/") ? arg : "";
		break;
	case OPT_VMM:
		k->vmm = arg;
		break;
	case OPT_GUEST:
		k->guest = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	*given = true;
	return 0;
}

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->o;
		return 0;
	case OPT_OUT:
		a->out = arg;
		return cli_check_out(state, "out", arg);
	case OPT_QUIET:
		a->quiet = true;
		return 0;
	case OPT_SCHEDULE: {
		char why[256];

		if (schedule_parse(arg, &a->sched, why, sizeof(why)))
			return cli_usage_error(state, "--schedule '%s': %s",
					       arg, why);
		a->schedule = arg;
		return 0;
	}
	case OPT_DRY_RUN:
		a->k.dry_run = a->kernel_opt = true;
		return 0;
	case OPT_ROOT:
	case OPT_VMM:
	case OPT_GUEST:
		return kernel_path_parse(key, arg, state, &a->k,
					 &a->kernel_opt);
	case OPT_VMM_REPORT:
		if (access(arg, R_OK))
			return cli_bad_value(state, "vmm-report", arg,
					     "want a readable file");
		a->k.report = arg;
		a->kernel_opt = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp_option run_options[] = {
	{ "out", OPT_OUT, "FILE", 0,
	  "write the result file (results/README.md): a regular file or a new "
	  "name, replaced atomically; - writes it to stdout (the summary line "
	  "then goes to stderr); without it, only the summary line", 0 },
	{ "quiet", OPT_QUIET, NULL, 0, "no summary line on stdout", 0 },
	{ "schedule", OPT_SCHEDULE, "STRING", 0,
	  "replay a schedule that `rmibench explore` printed: its scenario's "
	  "settings (options given override them), its vCPU choices and its "
	  "failure point; the result file names it (metadata.schedule)", 0 },
	{ NULL, 0, NULL, 0, "The kernel backend (--backend kernel, guests/README.md):", 1 },
	{ "dry-run", OPT_DRY_RUN, NULL, 0,
	  "print every check, knob write, command and restore; do none and "
	  "write no result", 1 },
	KERNEL_PATH_OPTIONS,
	{ "vmm-report", OPT_VMM_REPORT, "FILE", 0,
	  "make the result from a VMM report collected elsewhere (a console "
	  "log of a nested run): run nothing, touch no knob", 1 },
	{ 0 }
};

static const char run_doc[] =
"Runs one workload on the sim (the RMM model and the host's fault path), "
"prints a summary line and, with --out, writes the result file."
"\v"
"BYTES and BASE take K/M/G/T suffixes: 1G, 512M, 0x40000000, 1G+2M. Exit "
"status: 0 the run was made and its outcome is ok, a WARN or an error "
"the guest saw; 3 it was made but the realm was killed, granules leaked, "
"a livelock was declared or the model's invariants broke (the last line "
"on stderr names the outcome); 1 it could not be made or its file not "
"written; 2 a bad command line.";

int cmd_run(int argc, char **argv)
{
	struct argp_child settings[] = {
		{ run_opts_argp(), 0, "Run settings (the result file's config):",
		  2 },
		{ 0 }
	};
	const struct argp argp = {
		.options = run_options,
		.parser = run_parse,
		.doc = run_doc,
		.children = settings,
	};
	struct run_args a = { .out = NULL };
	struct sched_chooser chooser;
	struct replay rep = { 0 };
	struct run_result *r;
	char err[256];
	int rc;

	rc = cli_parse(&argp, "rmibench run", argc, argv, 0, &a);
	if (rc >= 0)
		return rc;
	if (a.kernel_opt && strcmp(a.o.cfg.backend, "kernel")) {
		fprintf(stderr, "rmibench run: --dry-run, --root, --vmm, --guest and --vmm-report are options of --backend kernel\n");
		return CLI_EXIT_USAGE;
	}
	if (a.schedule && schedule_apply(&a.sched, &a.o, err, sizeof(err))) {
		errmsg_print("rmibench run: --schedule: %s", err);
		return CLI_EXIT_USAGE;
	}
	/* settings that do not go together: before anything runs */
	if (!strcmp(a.o.cfg.backend, backend_sim.name) &&
	    backend_sim.prepare(&a.o.cfg, err, sizeof(err))) {
		errmsg_print("rmibench run: %s", err);
		return CLI_EXIT_USAGE;
	}
	backend_kernel_set_opts(&a.k);
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "rmibench run: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	rc = CLI_EXIT_FAIL;
	if (a.schedule) {
		rep = (struct replay){ .s = &a.sched };
		chooser = (struct sched_chooser){ replay_choose, &rep, false };
		backend_sim_set_chooser(&chooser);
	}
	if (run_one(&a.o.cfg, a.o.rules, a.o.nrules, r, err, sizeof(err))) {
		backend_sim_set_chooser(NULL);
		errmsg_print("rmibench run: %s", err);
		goto out;
	}
	backend_sim_set_chooser(NULL);
	if (a.schedule)
		schedule_format(&a.sched, r->schedule, sizeof(r->schedule));
	if (a.k.dry_run) {
		rc = CLI_EXIT_OK;
		goto out;
	}
	/* with --out -, stdout is the JSON alone: the summary goes to stderr */
	if (!a.quiet) {
		FILE *f = a.out && !strcmp(a.out, OUT_STDOUT) ? stderr : stdout;

		print_summary(f, r);
		if (a.schedule)
			fprintf(f, "  schedule %s: %u decisions, %u not the default pick%s\n",
				r->schedule, rep.decisions, rep.preemptions,
				rep.ignored ? " (some choices named a vCPU that could not run: the default took them)" : "");
	}
	if (a.out && result_write_json(r, a.out, err, sizeof(err))) {
		errmsg_print("rmibench run: %s", err);
		goto out;
	}
	rc = CLI_EXIT_OK;
	if (outcome_fails(r->outcome_class)) {
		errmsg_print("rmibench run: outcome %s: %s",
			     outcome_name(r->outcome_class), r->outcome);
		rc = CLI_EXIT_OUTCOME;
	}
out:
	free(r);
	return rc;
}

/* ---- matrix -------------------------------------------------------------------- */

/*
 * The lists of `rmibench matrix`, each the values of one setting, in the
 * order the runs go through them (the last one fastest). A list not given
 * is its setting's value when that option was given (--delegation for
 * --delegations), else its default (NULL: the setting's default).
 */
static const struct axis {
	const char *opt;
	enum cfg_field_id field;
	const char *def;
	const char *suffix;	/* after the value in file names */
} axes[] = {
	{ "kernels", CFG_FIELD_kernel, NULL, "" },
	{ "strategies", CFG_FIELD_strategy, "full,one-level,block", "" },
	{ "delegations", CFG_FIELD_delegation, "kernel", "" },
	{ "profiles", CFG_FIELD_profile, "tf-rmm,spec", "" },
	{ "folios", CFG_FIELD_folio, "4k,2m", "" },
	{ "vcpus-list", CFG_FIELD_vcpus, "1,4", "vcpu" },
};

#define NAXES		(sizeof(axes) / sizeof(axes[0]))
#define MAX_LIST	8

struct matrix_args {
	struct run_opts o;
	struct kernel_opts k;		/* --backend kernel only */
	bool kernel_opt;		/* one of them was given */
	const char *dir;
	bool quiet;
	bool fresh;			/* drop DIR's old result files */
	bool fail_on[OUTCOME_COUNT];	/* exit 3 if a run comes to one */
	bool listed[NAXES];		/* the list was given */
	unsigned int n[NAXES];
	char value[NAXES][MAX_LIST][64];	/* as the command line writes it */
};

/* "kernel" in --strategies or --delegations: what the run's kernel does */
static bool is_kernel_default(unsigned int x, const char *v)
{
	return (axes[x].field == CFG_FIELD_strategy ||
		axes[x].field == CFG_FIELD_delegation) && !strcmp(v, "kernel");
}

/*
 * Set list @x to the comma-separated values of @s. 0, or -1 with the bad
 * value in @bad (@s or one value of it; 256 bytes) and what the list wants
 * in @why.
 */
static int set_list(struct matrix_args *a, unsigned int x, const char *s,
		    char *bad, char *why, size_t whylen)
{
	const struct cfg_field *f = &run_config_fields[axes[x].field];
	struct run_config scratch = a->o.cfg;
	char buf[256], *tok, *save = NULL;

	snprintf(bad, sizeof(buf), "%s", s);
	if (strlen(s) >= sizeof(buf)) {
		snprintf(why, whylen, "list too long");
		return -1;
	}
	strcpy(buf, s);
	a->n[x] = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (a->n[x] == MAX_LIST) {
			snprintf(why, whylen, "at most %d values", MAX_LIST);
			return -1;
		}
		if (is_kernel_default(x, tok)) {
			/* the run's --kernel decides, as for `run` */
			snprintf(a->value[x][a->n[x]++],
				 sizeof(a->value[x][0]), "%s", tok);
			continue;
		}
		if (cfg_parse(&scratch, f, tok, why, whylen)) {
			snprintf(bad, sizeof(buf), "%s", tok);
			return -1;
		}
		cfg_value_text(&scratch, f, a->value[x][a->n[x]++],
			       sizeof(a->value[x][0]));
	}
	if (!a->n[x]) {
		snprintf(why, whylen, "empty list");
		return -1;
	}
	return 0;
}

/* the lists not given: the setting's value if given, else the default */
static void default_lists(struct matrix_args *a)
{
	for (unsigned int x = 0; x < NAXES; x++) {
		const struct cfg_field *f = &run_config_fields[axes[x].field];
		char bad[256], why[128];

		if (a->listed[x])
			continue;
		if (axes[x].def && !a->o.given[axes[x].field] &&
		    !set_list(a, x, axes[x].def, bad, why, sizeof(why)))
			continue;
		a->n[x] = 1;
		cfg_value_text(&a->o.cfg, f, a->value[x][0],
			       sizeof(a->value[x][0]));
	}
}


/* --fail-on OUTCOMES: outcome classes, comma-separated */
static error_t parse_fail_on(const struct argp_state *state,
			     struct matrix_args *a, const char *arg)
{
	char buf[256], *tok, *save = NULL;
	unsigned int n = 0;

	if (strlen(arg) >= sizeof(buf))
		return cli_bad_value(state, "fail-on", arg, "list too long");
	strcpy(buf, arg);
	memset(a->fail_on, 0, sizeof(a->fail_on));
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), n++) {
		int k = outcome_from_name(tok);

		if (k < 0)
			return cli_bad_value(state, "fail-on", tok,
					     "want outcome classes: ok, "
					     "guest-error, warn, killed, leak, "
					     "livelock, invariant");
		a->fail_on[k] = true;
	}
	if (!n)
		return cli_bad_value(state, "fail-on", arg, "empty list");
	return 0;
}

static error_t matrix_parse(int key, char *arg, struct argp_state *state)
{
	struct matrix_args *a = state->input;
	char bad[256], why[256];

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->o;
		return 0;
	case OPT_OUT_DIR:
		a->dir = arg;
		return cli_check_out_dir(state, "out-dir", arg, false);
	case OPT_QUIET:
		a->quiet = true;
		return 0;
	case OPT_FRESH:
		a->fresh = true;
		return 0;
	case OPT_FAIL_ON:
		return parse_fail_on(state, a, arg);
	case OPT_ROOT:
	case OPT_VMM:
	case OPT_GUEST:
		return kernel_path_parse(key, arg, state, &a->k,
					 &a->kernel_opt);
	case ARGP_KEY_END:
		if (!a->dir)
			return cli_usage_error(state, "--out-dir DIR is required");
		default_lists(a);
		return 0;
	default:
		if (key < OPT_LIST || key >= OPT_LIST + (int)NAXES)
			return ARGP_ERR_UNKNOWN;
		key -= OPT_LIST;
		if (set_list(a, (unsigned int)key, arg, bad, why, sizeof(why)))
			return cli_bad_value(state, axes[key].opt, bad, why);
		a->listed[key] = true;
		return 0;
	}
}

static const char matrix_doc[] =
"Runs the cross product of the lists, each run with the other settings, "
"writes DIR/KERNEL-STRATEGY-DELEGATION-PROFILE-FOLIO-NvCPU.json for each and the "
"report tables (summary.md, runs.tsv, latency.tsv) into DIR."
"\v"
"A list not given is the value of its setting's option when that is given "
"(--delegation for --delegations), else its default. In --strategies and "
"--delegations, \"kernel\" stands for what the run's --kernel does. Every "
"run is made whatever the others came to; what each came to (its outcome "
"class) is in its file and the tables, and a list of the runs that did "
"not come out ok ends the output. DIR is written as a whole: the new "
"files appear together, or (interrupted, failed) DIR stays as it was. "
"Exit status: 0 the runs were made, 3 a run came to an outcome class "
"--fail-on names, 1 a run could not be made or a file not written, 2 a "
"bad command line.";

/* the matrix's options: --out-dir, --quiet and the lists, docs from axes[] */
static const struct argp_option *matrix_options(void)
{
	static const struct argp_option kernel[] = { KERNEL_PATH_OPTIONS };
	static struct argp_option o[NAXES + 10];
	static char docs[NAXES][160];
	unsigned int n = 0;

	if (o[0].doc)
		return o;
	o[n++] = (struct argp_option){
		.name = "out-dir", .key = OPT_OUT_DIR, .arg = "DIR",
		.doc = "the directory of the result files and tables (made "
		       "if need be; required)",
	};
	o[n++] = (struct argp_option){
		.name = "quiet", .key = OPT_QUIET,
		.doc = "no summary line per run on stdout (the list of runs "
		       "that did not come out ok is still printed)",
	};
	o[n++] = (struct argp_option){
		.name = "fail-on", .key = OPT_FAIL_ON, .arg = "OUTCOMES",
		.doc = "exit with status 3 if a run comes to one of these "
		       "outcome classes (comma-separated: ok, guest-error, "
		       "warn, killed, leak, livelock, invariant); by default "
		       "the status does not depend on outcomes",
	};
	o[n++] = (struct argp_option){
		.name = "fresh", .key = OPT_FRESH,
		.doc = "DIR holds this matrix's result files only: the *.json "
		       "it held before are dropped when the new set appears "
		       "(without it they are kept beside the new ones)",
	};
	o[n++] = (struct argp_option){
		.doc = "The kernel backend (--backend kernel, "
		       "guests/README.md):", .group = 1 };
	for (unsigned int i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++)
		o[n++] = kernel[i];
	o[n++] = (struct argp_option){ .doc = "Lists (comma-separated):",
				       .group = 2 };
	for (unsigned int x = 0; x < NAXES; x++) {
		const struct cfg_field *f = &run_config_fields[axes[x].field];

		if (axes[x].def)
			snprintf(docs[x], sizeof(docs[x]),
				 "values of --%s (default %s)", f->opt,
				 axes[x].def);
		else
			snprintf(docs[x], sizeof(docs[x]),
				 "values of --%s (default: its value)", f->opt);
		o[n++] = (struct argp_option){
			.name = axes[x].opt, .key = OPT_LIST + (int)x,
			.arg = "LIST", .doc = docs[x], .group = 2,
		};
	}
	return o;
}

/* what a matrix with --fresh drops from DIR: the old report and results */
static bool drop_fresh(const char *name)
{
	size_t n = strlen(name);

	return report_file_name(name) ||
	       (name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".json"));
}

/* @s as one shell word: plain, or in single quotes */
static void shell_word(char *buf, size_t len, const char *s)
{
	size_t o = 0;

	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_./:=,+@%-") == strlen(s)) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (len < 3)
		return;
	buf[o++] = '\'';
	for (; *s && o + 6 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o++] = '\'';
	buf[o] = 0;
}

/*
 * The runs that did not come out ok, by class, on stdout (--quiet too);
 * 3 if one of them is of a class --fail-on names, else 0.
 */
static int findings(const struct matrix_args *a, const struct run_result *rs,
		    char (*names)[512], size_t n)
{
	size_t cnt[OUTCOME_COUNT] = { 0 }, failed = 0;
	bool first = true;

	for (size_t i = 0; i < n; i++)
		cnt[rs[i].outcome_class]++;
	if (cnt[OUTCOME_OK] == n && a->quiet)
		return CLI_EXIT_OK;
	printf("rmibench matrix: %zu run%s:", n, n == 1 ? "" : "s");
	for (int k = 0; k < OUTCOME_COUNT; k++) {
		if (!cnt[k])
			continue;
		printf("%s %zu %s", first ? "" : ",", cnt[k], outcome_name(k));
		first = false;
		if (a->fail_on[k])
			failed += cnt[k];
	}
	printf("\n");
	for (int k = OUTCOME_COUNT; k-- > 1;) {
		for (size_t i = 0; i < n; i++) {
			char why[512];

			if ((int)rs[i].outcome_class != k)
				continue;
			errmsg_escape(why, sizeof(why), rs[i].outcome);
			/* by file: `report` numbers runs in name order */
			printf("  %s: %s%s: %s\n", names[i],
			       outcome_name(k), result_excluded(&rs[i]) ?
			       " (excluded from the ratios)" :
			       outcome_fails(k) ? " at teardown (its ratios "
			       "stand)" : "", why);
		}
	}
	fflush(stdout);
	if (!failed)
		return CLI_EXIT_OK;
	errmsg_print("rmibench matrix: %zu run%s came to an outcome --fail-on "
		     "names", failed, failed > 1 ? "s" : "");
	return CLI_EXIT_OUTCOME;
}

/*
 * Run @n of the matrix (the last axis varies fastest): its settings into
 * @cfg, its file name (500 bytes) into @name.
 */
static void matrix_config(const struct matrix_args *a, size_t n,
			  struct run_config *cfg, char *name)
{
	size_t used = 0, rest = n, idx[NAXES];
	bool own[2] = { false, false };	/* strategy, delegation */
	char why[128];

	*cfg = a->o.cfg;
	for (unsigned int x = NAXES; x-- > 0;) {
		idx[x] = rest % a->n[x];
		rest /= a->n[x];
	}
	for (unsigned int x = 0; x < NAXES; x++) {
		const struct cfg_field *f = &run_config_fields[axes[x].field];

		if (is_kernel_default(x, a->value[x][idx[x]])) {
			own[axes[x].field == CFG_FIELD_delegation] = true;
			continue;
		}
		cfg_parse(cfg, f, a->value[x][idx[x]], why, sizeof(why));
	}
	run_config_resolve(cfg, !own[0], !own[1]);
	/* the file is named after what ran */
	name[0] = 0;
	for (unsigned int x = 0; x < NAXES; x++) {
		char v[64];

		cfg_value_text(cfg, &run_config_fields[axes[x].field], v,
			       sizeof(v));
		used += (size_t)snprintf(name + used, 500 - used, "%s%s%s",
					 x ? "-" : "", v, axes[x].suffix);
	}
	strcat(name, ".json");
}

int cmd_matrix(int argc, char **argv)
{
	struct argp_child settings[] = {
		{ run_opts_argp(), 0,
		  "Run settings (all runs; a list overrides its setting):", 3 },
		{ 0 }
	};
	const struct argp argp = {
		.options = matrix_options(),
		.parser = matrix_parse,
		.doc = matrix_doc,
		.children = settings,
	};
	struct matrix_args *a = calloc(1, sizeof(*a));
	struct run_result *rs = NULL;
	char (*names)[512] = NULL;
	const char **list = NULL;
	size_t n = 0, total = 1;
	char err[1024], cmdline[2048];
	struct out_dir od = { .stage = "" };
	int rc;

	if (!a) {
		fprintf(stderr, "rmibench matrix: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	rc = cli_parse(&argp, "rmibench matrix", argc, argv, 0, a);
	if (rc >= 0)
		goto out;
	if (a->kernel_opt && strcmp(a->o.cfg.backend, "kernel")) {
		fprintf(stderr, "rmibench matrix: --root, --vmm and --guest are options of --backend kernel\n");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	backend_kernel_set_opts(&a->k);
	rc = CLI_EXIT_FAIL;
	/* the command as run, for summary.md: it runs as written */
	shell_word(cmdline, sizeof(cmdline), cli_program());
	strncat(cmdline, " matrix", sizeof(cmdline) - strlen(cmdline) - 1);
	for (int i = 1; i < argc; i++) {
		size_t len = strlen(cmdline);
		char w[512];

		shell_word(w, sizeof(w), argv[i]);
		snprintf(cmdline + len, sizeof(cmdline) - len, " %s", w);
	}
	for (unsigned int x = 0; x < NAXES; x++)
		total *= a->n[x];
	rs = calloc(total, sizeof(*rs));
	names = calloc(total, sizeof(*names));
	list = calloc(total, sizeof(*list));
	if (!rs || !names || !list) {
		fprintf(stderr, "rmibench matrix: out of memory\n");
		goto out;
	}
	/* every run's settings go together: before any runs */
	for (n = 0; n < total; n++) {
		struct run_config cfg;

		matrix_config(a, n, &cfg, names[n]);
		if (!strcmp(cfg.backend, backend_sim.name) &&
		    backend_sim.prepare(&cfg, err, sizeof(err))) {
			errmsg_print("rmibench matrix: %s: %s", names[n], err);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
	}
	/* the runs' files and tables go to a staging directory first */
	if (out_dir_begin(&od, a->dir, a->fresh ? drop_fresh :
			  report_file_name, err, sizeof(err))) {
		errmsg_print("rmibench matrix: %s", err);
		goto out;
	}
	for (n = 0; n < total; n++) {
		struct run_config cfg;
		char *name = names[n], path[4096 + 600];

		matrix_config(a, n, &cfg, name);
		list[n] = name;
		if (run_one(&cfg, a->o.rules, a->o.nrules, &rs[n], err,
			    sizeof(err))) {
			/* no run, no set: DIR stays as it was */
			errmsg_print("rmibench matrix: %s: %s", name, err);
			goto out;
		}
		/* the file says what made it: `report DIR` repeats it */
		snprintf(rs[n].command, sizeof(rs[n].command), "%s", cmdline);
		snprintf(path, sizeof(path), "%s/%s", od.stage, name);
		if (result_write_json(&rs[n], path, err, sizeof(err))) {
			errmsg_print("rmibench matrix: %s", err);
			goto out;
		}
		if (!a->quiet)
			print_summary(stdout, &rs[n]);
	}
	if (report_write_dir(od.stage, rs, n, &(struct report_opts){
				.command = cmdline,
				.names = list,
				.program = cli_program(),
			     }, err, sizeof(err))) {
		errmsg_print("rmibench matrix: %s", err);
		goto out;
	}
	if (out_dir_commit(&od, err, sizeof(err))) {
		errmsg_print("rmibench matrix: %s", err);
		goto out;
	}
	rc = findings(a, rs, names, n);
out:
	out_dir_abort(&od);
	free(list);
	free(names);
	free(rs);
	free(a);
	return rc;
}
