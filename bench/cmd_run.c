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
#include "rmm.h"
#include "result.h"
#include "run.h"
#include "run_opts.h"
#include "workload.h"

static void print_summary(FILE *f, const struct run_result *r)
{
	const struct run_counts *c = &r->counts;
	uint64_t mapped = c->mapped_bytes[1] + c->mapped_bytes[2] +
			  c->mapped_bytes[3];

	fprintf(f, "%s/%s/%s folio %s, %u vCPU(s), %s: faults %llu (re-faults %llu), RMI calls %llu (%.2f per fault), RTTs created %llu (peak %llu), mapped L1 %llu MiB L2 %llu MiB L3 %llu MiB (%.1f%% blocks), races %llu, leaks %llu, warnings %llu, outcome: %s\n",
		rmi_rtt_strategy_name(r->cfg.strategy),
		deleg_name(r->cfg.delegation), r->cfg.profile,
		folio_name(r->cfg.folio), r->cfg.vcpus, r->cfg.workload,
		(unsigned long long)c->faults, (unsigned long long)c->refaults,
		(unsigned long long)c->rmi_calls,
		c->faults ? (double)c->rmi_calls_fault / (double)c->faults : 0.0,
		(unsigned long long)c->rtts_created,
		(unsigned long long)c->rtt_pages_peak,
		(unsigned long long)(c->mapped_bytes[1] >> 20),
		(unsigned long long)(c->mapped_bytes[2] >> 20),
		(unsigned long long)(c->mapped_bytes[3] >> 20),
		mapped ? 100.0 * (double)(c->mapped_bytes[1] +
					  c->mapped_bytes[2]) /
			 (double)mapped : 0.0,
		(unsigned long long)c->delegate_races,
		(unsigned long long)c->leaked_granules,
		(unsigned long long)c->warnings, r->outcome);
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
	struct kernel_opts k;	/* --backend kernel only */
	bool kernel_opt;	/* one of them was given */
};

enum { OPT_OUT = 0x200, OPT_OUT_DIR, OPT_QUIET, OPT_DRY_RUN, OPT_ROOT,
       OPT_VMM, OPT_GUEST, OPT_VMM_REPORT, OPT_LIST };

/* the directory of --out FILE must be there before the run is made */
static error_t check_out_path(const struct argp_state *state, const char *opt,
			      const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;

	if (!slash || slash == path)
		return 0;
	if ((size_t)(slash - path) >= sizeof(dir))
		return cli_bad_value(state, opt, path, "path too long");
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return cli_usage_error(state, "--%s '%s': directory '%s' does not exist",
				       opt, path, dir);
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
		return check_out_path(state, "out", arg);
	case OPT_QUIET:
		a->quiet = true;
		return 0;
	case OPT_DRY_RUN:
		a->k.dry_run = a->kernel_opt = true;
		return 0;
	case OPT_ROOT:
		if (arg[0] != '/' || strlen(arg) > 256)
			return cli_bad_value(state, "root", arg,
					     "want an absolute path");
		/* "/" is the real root: no prefix */
		a->k.root = strcmp(arg, "/") ? arg : "";
		a->kernel_opt = true;
		return 0;
	case OPT_VMM:
		a->k.vmm = arg;
		a->kernel_opt = true;
		return 0;
	case OPT_GUEST:
		a->k.guest = arg;
		a->kernel_opt = true;
		return 0;
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
	  "write the result file (results/README.md); without it, only the "
	  "summary line", 0 },
	{ "quiet", OPT_QUIET, NULL, 0, "no summary line on stdout", 0 },
	{ NULL, 0, NULL, 0, "The kernel backend (--backend kernel, guests/README.md):", 1 },
	{ "dry-run", OPT_DRY_RUN, NULL, 0,
	  "print every check, knob write, command and restore; do none and "
	  "write no result", 1 },
	{ "root", OPT_ROOT, "DIR", 0,
	  "prefix every /sys and /dev path with DIR (a fake tree for tests; "
	  "default /)", 1 },
	{ "vmm", OPT_VMM, "PATH", 0,
	  "the VMM (default: guests/vmm next to rmibench)", 1 },
	{ "guest", OPT_GUEST, "IMAGE", 0,
	  "the bare-metal guest (default: aarch64/guests/guest-bare.bin next "
	  "to rmibench)", 1 },
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
	backend_kernel_set_opts(&a.k);
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "rmibench run: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	rc = CLI_EXIT_FAIL;
	if (run_one(&a.o.cfg, a.o.rules, a.o.nrules, r, err, sizeof(err))) {
		fprintf(stderr, "rmibench run: %s\n", err);
		goto out;
	}
	if (a.k.dry_run) {
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (!a.quiet)
		print_summary(stdout, r);
	if (a.out && result_write_json(r, a.out, err, sizeof(err))) {
		fprintf(stderr, "rmibench run: %s\n", err);
		goto out;
	}
	rc = CLI_EXIT_OK;
	if (outcome_fails(r->outcome_class)) {
		fprintf(stderr, "rmibench run: outcome %s: %s\n",
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
	const char *dir;
	bool quiet;
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
		return 0;
	case OPT_QUIET:
		a->quiet = true;
		return 0;
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
"--delegations, \"kernel\" stands for what the run's --kernel does. Exit status: 0 the "
"runs were made, 1 one could not be made or a file not written, 2 a bad "
"command line.";

/* the matrix's options: --out-dir, --quiet and the lists, docs from axes[] */
static const struct argp_option *matrix_options(void)
{
	static struct argp_option o[NAXES + 4];
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
		.doc = "no summary line per run on stdout",
	};
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
	size_t n = 0, total = 1;
	char err[256], cmdline[1024] = "rmibench matrix";
	struct stat st;
	int rc;

	if (!a) {
		fprintf(stderr, "rmibench matrix: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	rc = cli_parse(&argp, "rmibench matrix", argc, argv, 0, a);
	if (rc >= 0)
		goto out;
	rc = CLI_EXIT_FAIL;
	for (int i = 1; i < argc; i++) {
		size_t len = strlen(cmdline);

		snprintf(cmdline + len, sizeof(cmdline) - len, " %s", argv[i]);
	}
	if (stat(a->dir, &st) && mkdir(a->dir, 0755)) {
		fprintf(stderr, "rmibench matrix: cannot create %s: %s\n",
			a->dir, strerror(errno));
		goto out;
	}
	for (unsigned int x = 0; x < NAXES; x++)
		total *= a->n[x];
	rs = calloc(total, sizeof(*rs));
	if (!rs) {
		fprintf(stderr, "rmibench matrix: out of memory\n");
		goto out;
	}
	for (n = 0; n < total; n++) {
		struct run_config cfg = a->o.cfg;
		char name[512] = "", path[4096], why[128];
		size_t used = 0, rest = n, idx[NAXES];

		for (unsigned int x = NAXES; x-- > 0;) {
			idx[x] = rest % a->n[x];
			rest /= a->n[x];
		}
		bool own[2] = { false, false };	/* strategy, delegation */

		for (unsigned int x = 0; x < NAXES; x++) {
			const struct cfg_field *f =
				&run_config_fields[axes[x].field];

			if (is_kernel_default(x, a->value[x][idx[x]])) {
				own[axes[x].field == CFG_FIELD_delegation] = true;
				continue;
			}
			cfg_parse(&cfg, f, a->value[x][idx[x]], why,
				  sizeof(why));
		}
		run_config_resolve(&cfg, !own[0], !own[1]);
		/* the file is named after what ran */
		for (unsigned int x = 0; x < NAXES; x++) {
			char v[64];

			cfg_value_text(&cfg, &run_config_fields[axes[x].field],
				       v, sizeof(v));
			used += (size_t)snprintf(name + used, sizeof(name) - used,
						 "%s%s%s", x ? "-" : "", v,
						 axes[x].suffix);
		}
		if (run_one(&cfg, a->o.rules, a->o.nrules, &rs[n], err,
			    sizeof(err))) {
			fprintf(stderr, "rmibench matrix: %s: %s\n", name, err);
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s.json", a->dir, name);
		if (result_write_json(&rs[n], path, err, sizeof(err))) {
			fprintf(stderr, "rmibench matrix: %s\n", err);
			goto out;
		}
		if (!a->quiet)
			print_summary(stdout, &rs[n]);
	}
	if (report_write_dir(a->dir, rs, n,
			     &(struct report_opts){ .command = cmdline },
			     err, sizeof(err))) {
		fprintf(stderr, "rmibench matrix: %s\n", err);
		goto out;
	}
	rc = CLI_EXIT_OK;
out:
	free(rs);
	free(a);
	return rc;
}
