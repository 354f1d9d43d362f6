// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench inject-matrix: fail every RMI command the host issues with
 * every status it can return, by each trigger shape, under each host
 * version and strategy, and classify what each run came to.
 *
 * A baseline run per column counts each command's calls; a cell is one
 * run with one rule, made in a forked worker (so that a crash of the sim
 * is a cell's class, not the end of the matrix) and written atomically
 * to DIR/cells/NAME.json. A rerun skips the cells already there. SIGINT,
 * SIGTERM and SIGHUP stop the workers; what is on disk then is complete,
 * temporary files are removed, and the exit status is 128 + the signal.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "cli.h"
#include "config.h"
#include "errmsg.h"
#include "inject_matrix.h"
#include "rmib_util.h"
#include "rmm.h"
#include "run.h"
#include "run_opts.h"

#define MAX_COLS	16
#define MAX_FILTER	32
#define TEST_CRASH_ENV	"RMIBENCH_TEST_CRASH_CELL"

/* the defaults of the matrix's short workload, where they differ from run's */
static const struct {
	enum cfg_field_id field;
	const char *value;
} matrix_defaults[] = {
	{ CFG_FIELD_s2sz, "32" },
	{ CFG_FIELD_ipa, "1G" },
	{ CFG_FIELD_size, "4M" },
	{ CFG_FIELD_shared_pct, "25" },
	/* a fault delegates 512 granules: a delegate can fail mid-folio */
	{ CFG_FIELD_folio, "2m" },
};

struct im_args {
	struct run_opts o;
	const char *dir;
	bool diff, quiet, no_plot;
	const char *files[2];
	unsigned int nfiles;
	unsigned int jobs;
	double timeout;
	/* columns: --columns, or --kernels x --strategies */
	const char *columns, *kernels, *strategies;
	/* filters; none given: all */
	bool cmd_on[RMI_CMD_COUNT], cmd_filter;
	struct im_status st[MAX_FILTER];
	bool st_any_index[MAX_FILTER];	/* ERROR_RTT without an index */
	unsigned int nst;
	bool trig_on[IM_TRIGGER_COUNT], trig_filter;
};

enum {
	OPT_OUT_DIR = 0x300, OPT_DIFF, OPT_QUIET, OPT_NO_PLOT, OPT_JOBS,
	OPT_TIMEOUT, OPT_COLUMNS, OPT_KERNELS, OPT_STRATEGIES, OPT_COMMANDS,
	OPT_STATUSES, OPT_TRIGGERS,
};

static const struct argp_option im_options[] = {
	{ "out-dir", OPT_OUT_DIR, "DIR", 0,
	  "where the cells and the matrix go (made if need be; required); a "
	  "rerun skips the cells already there", 0 },
	{ "diff", OPT_DIFF, NULL, 0,
	  "compare two matrix files (A.json B.json): the cells that changed",
	  0 },
	{ "jobs", OPT_JOBS, "N", 0, "workers (default: the CPUs online)", 0 },
	{ "cell-timeout", OPT_TIMEOUT, "SECONDS", 0,
	  "a cell still running after this long is killed and counts as a "
	  "crash (default: 20 times the slowest baseline, at least 30)", 0 },
	{ "no-plot", OPT_NO_PLOT, NULL, 0, "no heat map (heatmap.png)", 0 },
	{ "quiet", OPT_QUIET, NULL, 0,
	  "no progress line and no summary on stdout", 0 },
	{ NULL, 0, NULL, 0, "Columns (comma-separated lists):", 1 },
	{ "columns", OPT_COLUMNS, "LIST", 0,
	  "KERNEL/STRATEGY[/DELEGATION] each, \"kernel\" for the kernel's own "
	  "(default v14/full,v15/one-level,v15/block)", 1 },
	{ "kernels", OPT_KERNELS, "LIST", 0,
	  "only the default columns of these kernels; with --strategies, "
	  "every kernel with every strategy (default v14,v15)", 1 },
	{ "strategies", OPT_STRATEGIES, "LIST", 0,
	  "full, one-level, block or kernel: each kernel with each", 1 },
	{ NULL, 0, NULL, 0, "Rows (comma-separated filters):", 2 },
	{ "commands", OPT_COMMANDS, "LIST", 0,
	  "only these RMI commands (default: every command the baselines "
	  "call)", 2 },
	{ "statuses", OPT_STATUSES, "LIST", 0,
	  "inject these statuses, NAME or NAME:INDEX, into every command "
	  "(default: each command's own, from rmi-facts)", 2 },
	{ "triggers", OPT_TRIGGERS, "LIST", 0,
	  "first, nth, persistent (default all)", 2 },
	{ 0 }
};

/* ---- option parsing ------------------------------------------------------ */

static int parse_list(char *s, int (*one)(struct im_args *, const char *),
		      struct im_args *a, const char **bad)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(s, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (one(a, tok)) {
			*bad = tok;
			return -1;
		}
	return 0;
}

static int one_command(struct im_args *a, const char *s)
{
	int c = result_cmd_index(s);

	if (c < 0)
		return -1;
	a->cmd_on[c] = a->cmd_filter = true;
	return 0;
}

static int one_status(struct im_args *a, const char *s)
{
	char name[32];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	uint64_t idx = 0;
	int st;

	if (a->nst == MAX_FILTER || n >= sizeof(name))
		return -1;
	memcpy(name, s, n);
	name[n] = 0;
	st = rmi_status_from_name(name);
	if (st <= 0 || (colon && cli_parse_uint(colon + 1, 0, 255, &idx)))
		return -1;
	a->st[a->nst] = (struct im_status){ (unsigned int)st,
					    (unsigned int)idx };
	a->st_any_index[a->nst++] = st == RMI_ERROR_RTT && !colon;
	return 0;
}

static int one_trigger(struct im_args *a, const char *s)
{
	int t = im_trigger_from_name(s);

	if (t < 0)
		return -1;
	a->trig_on[t] = a->trig_filter = true;
	return 0;
}

static error_t im_parse(int key, char *arg, struct argp_state *state)
{
	struct im_args *a = state->input;
	const char *bad = NULL;
	uint64_t v;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->o;
		return 0;
	case OPT_OUT_DIR:
		a->dir = arg;
		return cli_check_out_dir(state, "out-dir", arg, true);
	case OPT_DIFF:
		a->diff = true;
		return 0;
	case OPT_QUIET:
		a->quiet = true;
		return 0;
	case OPT_NO_PLOT:
		a->no_plot = true;
		return 0;
	case OPT_JOBS:
		if (cli_parse_uint(arg, 1, 256, &v))
			return cli_bad_value(state, "jobs", arg,
					     "want 1 to 256");
		a->jobs = (unsigned int)v;
		return 0;
	case OPT_TIMEOUT:
		if (cli_parse_uint(arg, 1, 86400, &v))
			return cli_bad_value(state, "cell-timeout", arg,
					     "want 1 to 86400 seconds");
		a->timeout = (double)v;
		return 0;
	case OPT_COLUMNS:
		a->columns = arg;
		return 0;
	case OPT_KERNELS:
		a->kernels = arg;
		return 0;
	case OPT_STRATEGIES:
		a->strategies = arg;
		return 0;
	case OPT_COMMANDS:
		if (parse_list(arg, one_command, a, &bad))
			return cli_bad_value(state, "commands", bad,
					     "want RMI command names");
		return 0;
	case OPT_STATUSES:
		if (parse_list(arg, one_status, a, &bad))
			return cli_bad_value(state, "statuses", bad,
					     "want error status names, "
					     "NAME or NAME:INDEX (at most 32)");
		return 0;
	case OPT_TRIGGERS:
		if (parse_list(arg, one_trigger, a, &bad))
			return cli_bad_value(state, "triggers", bad,
					     "want first, nth or persistent");
		return 0;
	case ARGP_KEY_ARG:
		if (!a->diff || a->nfiles == 2)
			return cli_usage_error(state, "unexpected argument '%s'",
					       arg);
		a->files[a->nfiles++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->diff) {
			if (a->nfiles != 2)
				return cli_usage_error(state, "--diff wants two matrix files, A.json B.json");
			return 0;
		}
		if (!a->dir)
			return cli_usage_error(state, "--out-dir DIR is required");
		if (strlen(a->dir) > PATH_MAX - 512)
			return cli_bad_value(state, "out-dir", a->dir,
					     "path too long");
		if (a->columns && (a->kernels || a->strategies))
			return cli_usage_error(state, "--columns, or --kernels and --strategies, not both");
		if (a->o.given[CFG_FIELD_kernel] ||
		    a->o.given[CFG_FIELD_strategy] ||
		    a->o.given[CFG_FIELD_delegation])
			return cli_usage_error(state, "the columns set --kernel, --strategy and --delegation: use --columns, --kernels or --strategies");
		if (a->o.nrules)
			return cli_usage_error(state, "--inject: every cell makes its own rule");
		if (strcmp(a->o.cfg.backend, "sim"))
			return cli_usage_error(state, "--backend %s: the matrix runs on the sim",
					       a->o.cfg.backend);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* ---- columns ------------------------------------------------------------- */

/* "KERNEL/STRATEGY[/DELEGATION]" */
static int parse_col(const char *s, struct im_col *c)
{
	char buf[64], *k, *st, *d, *save = NULL;
	int v;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	k = strtok_r(buf, "/", &save);
	st = strtok_r(NULL, "/", &save);
	d = strtok_r(NULL, "/", &save);
	if (!k || !st || strtok_r(NULL, "/", &save))
		return -1;
	memset(c, 0, sizeof(*c));
	v = kernel_from_name(k);
	if (v < 0)
		return -1;
	c->kernel = (enum host_version)v;
	v = strcmp(st, "kernel") ? strategy_from_name(st) :
				   (int)kernel_strategy(c->kernel);
	if (v < 0)
		return -1;
	c->strategy = (enum rmi_rtt_strategy)v;
	v = d && strcmp(d, "kernel") ? deleg_from_name(d) :
				       (int)kernel_delegation(c->kernel);
	if (v < 0)
		return -1;
	c->deleg = (enum deleg_variant)v;
	im_col_name(c);
	return 0;
}

static int add_col(struct im_col *cols, unsigned int *n, const struct im_col *c)
{
	for (unsigned int i = 0; i < *n; i++)
		if (!strcmp(cols[i].name, c->name))
			return 0;
	if (*n == MAX_COLS)
		return -1;
	cols[(*n)++] = *c;
	return 0;
}

static bool in_list(const char *list, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, v, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

/*
 * The columns, then for each the other delegation variant (the
 * delegate's rows only). 0, or -1 with the bad value in @bad.
 */
static int make_cols(const struct im_args *a, struct im_col *cols,
		     unsigned int *n, char *bad, size_t badlen)
{
	static const char def[] = "v14/full,v15/one-level,v15/block";
	const char *kl = a->kernels ? a->kernels : "v14,v15";
	char buf[512], *tok, *save = NULL;
	unsigned int base;

	*n = 0;
	if (a->strategies) {
		char kb[128], *k, *ks = NULL;

		if (strlen(kl) >= sizeof(kb) ||
		    strlen(a->strategies) >= sizeof(buf))
			return snprintf(bad, badlen, "list too long"), -1;
		strcpy(kb, kl);
		for (k = strtok_r(kb, ",", &ks); k; k = strtok_r(NULL, ",", &ks)) {
			strcpy(buf, a->strategies);
			save = NULL;
			for (tok = strtok_r(buf, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				char spec[96];
				struct im_col c;

				snprintf(spec, sizeof(spec), "%s/%s", k, tok);
				if (parse_col(spec, &c) || add_col(cols, n, &c))
					return snprintf(bad, badlen, "%s", spec), -1;
			}
		}
	} else {
		const char *list = a->columns ? a->columns : def;

		if (strlen(list) >= sizeof(buf))
			return snprintf(bad, badlen, "list too long"), -1;
		strcpy(buf, list);
		for (tok = strtok_r(buf, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			struct im_col c;

			if (parse_col(tok, &c))
				return snprintf(bad, badlen, "%s", tok), -1;
			if (!a->columns && a->kernels &&
			    !in_list(a->kernels, kernel_name(c.kernel)))
				continue;
			if (add_col(cols, n, &c))
				return snprintf(bad, badlen, "%s", tok), -1;
		}
		if (a->kernels)
			for (const char *p = a->kernels; *p;) {
				size_t len = strcspn(p, ",");
				char k[16];

				snprintf(k, sizeof(k), "%.*s", (int)len, p);
				if (kernel_from_name(k) < 0)
					return snprintf(bad, badlen, "%s", k), -1;
				p += len + (p[len] == ',');
			}
	}
	if (!*n)
		return snprintf(bad, badlen, "no column"), -1;
	/* the other delegation variant of each, for the delegate's rows */
	base = *n;
	for (unsigned int i = 0; i < base; i++) {
		struct im_col c = cols[i];

		c.deleg = c.deleg == DELEG_V14 ? DELEG_V15 : DELEG_V14;
		c.deleg_only = true;
		im_col_name(&c);
		if (add_col(cols, n, &c))
			return snprintf(bad, badlen, "too many columns"), -1;
	}
	return 0;
}

/* ---- the settings -------------------------------------------------------- */

/* Remove " --OPT VALUE" from the command line @s. */
static void drop_opt(char *s, const char *opt)
{
	char pat[48];
	char *p, *v, *end;

	snprintf(pat, sizeof(pat), " --%s ", opt);
	p = strstr(s, pat);
	if (!p)
		return;
	v = p + strlen(pat);
	end = v + strcspn(v, " ");
	memmove(p, end, strlen(end) + 1);
}

/* the base run's command line: every setting but what a column sets */
static void base_settings(const struct run_config *cfg, char *buf,
			  size_t len)
{
	result_command_line(cfg, buf, len);
	drop_opt(buf, "kernel");
	drop_opt(buf, "strategy");
	drop_opt(buf, "delegation");
}

static struct run_config col_config(const struct run_config *base,
				    const struct im_col *c)
{
	struct run_config cfg = *base;

	cfg.kernel = c->kernel;
	cfg.strategy = c->strategy;
	cfg.delegation = c->deleg;
	return cfg;
}

/* ---- workers ------------------------------------------------------------- */

enum job_kind { JOB_BASELINE, JOB_CELL };

struct job {
	enum job_kind kind;
	unsigned int idx;		/* column, or cell */
};

struct slot {
	pid_t pid;
	unsigned int job;
	double start;
	bool killed;			/* by the cell timeout */
};

struct ctx {
	const struct im_args *a;
	struct run_config base;
	struct im_col cols[2 * MAX_COLS];
	unsigned int ncols;
	struct im_row *rows;
	unsigned int nrows;
	struct im_cell *cells;		/* every cell of the plan */
	unsigned int ncells;
	char (*cell_path)[PATH_MAX];
	char basedir[PATH_MAX - 256], celldir[PATH_MAX - 256];
	sigset_t sigs, oldmask;
	int interrupted;		/* the signal */
	bool failed;
	unsigned int done, total;
	double t0, last_progress;
	bool progress;
	double timeout;			/* a worker's, seconds */
};

static void baseline_path(const struct ctx *x, unsigned int col, char *buf,
			  size_t len)
{
	char f[64];

	im_file_name(f, sizeof(f), x->cols[col].name);
	snprintf(buf, len, "%s/%s.json", x->basedir, f);
}

/* Write with SIGINT, SIGTERM and SIGHUP held off: the file is whole. */
static void block_signals(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGHUP);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* In the worker: make the run, write its file. The exit status. */
static int job_run(struct ctx *x, const struct job *j)
{
	struct run_result *r = calloc(1, sizeof(*r));
	char err[512], path[PATH_MAX];
	struct run_config cfg;

	if (!r) {
		fprintf(stderr, "rmibench inject-matrix: out of memory\n");
		return 1;
	}
	if (j->kind == JOB_BASELINE) {
		cfg = col_config(&x->base, &x->cols[j->idx]);
		if (run_one(&cfg, NULL, 0, r, err, sizeof(err))) {
			fprintf(stderr, "rmibench inject-matrix: baseline %s: %s\n",
				x->cols[j->idx].name, err);
			return 1;
		}
		baseline_path(x, j->idx, path, sizeof(path));
		block_signals();
		if (result_write_json(r, path, err, sizeof(err))) {
			fprintf(stderr, "rmibench inject-matrix: %s\n", err);
			return 1;
		}
	} else {
		struct im_cell *c = &x->cells[j->idx];
		const char *crash = getenv(TEST_CRASH_ENV);
		struct inj_rule rule;
		int ci;

		ci = -1;
		for (unsigned int i = 0; i < x->ncols; i++)
			if (!strcmp(x->cols[i].name, c->col))
				ci = (int)i;
		cfg = col_config(&x->base, &x->cols[ci]);
		snprintf(cfg.inject, sizeof(cfg.inject), "%s", c->rule);
		if (inj_rule_parse(c->rule, &rule, err, sizeof(err))) {
			fprintf(stderr, "rmibench inject-matrix: %s: %s\n",
				c->rule, err);
			return 1;
		}
		if (crash && strstr(x->cell_path[j->idx], crash))
			abort();	/* the tests' crashing cell */
		if (run_one(&cfg, &rule, 1, r, err, sizeof(err))) {
			fprintf(stderr, "rmibench inject-matrix: %s in %s: %s\n",
				c->row, c->col, err);
			return 1;
		}
		im_cell_from_run(c, r);
		block_signals();
		if (im_cell_write(c, x->cell_path[j->idx], err, sizeof(err))) {
			fprintf(stderr, "rmibench inject-matrix: %s\n", err);
			return 1;
		}
	}
	free(r);
	return 0;
}

static void progress(struct ctx *x, const char *what, bool force)
{
	double now = rmib_now_s();

	if (!x->progress || (!force && now - x->last_progress < 0.1))
		return;
	x->last_progress = now;
	fprintf(stderr, "\rinject-matrix: %s %u/%u, %.1f s ", what, x->done,
		x->total, now - x->t0);
	if (force)
		fputc('\n', stderr);
}

/* A worker died of @sig (or was killed at the timeout): a crash cell. */
static void crash_cell(struct ctx *x, unsigned int ci, int sig, bool timeout)
{
	struct im_cell *c = &x->cells[ci];
	char err[512];

	c->cls = IM_CRASH;
	c->outcome_class = -1;
	c->signal = sig;
	c->timed_out = timeout;
	if (timeout)
		snprintf(c->outcome, sizeof(c->outcome),
			 "no result after %.0f s: the worker was killed (the sim hangs)",
			 x->timeout);
	else
		snprintf(c->outcome, sizeof(c->outcome),
			 "the worker died of signal %d (%s)", sig,
			 strsignal(sig));
	if (im_cell_write(c, x->cell_path[ci], err, sizeof(err))) {
		fprintf(stderr, "rmibench inject-matrix: %s\n", err);
		x->failed = true;
	}
}

static void reap(struct ctx *x, const struct job *jobs, struct slot *slots,
		 unsigned int *running)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		const struct job *j;
		unsigned int s;

		for (s = 0; s < *running; s++)
			if (slots[s].pid == pid)
				break;
		if (s == *running)
			continue;	/* not a worker */
		j = &jobs[slots[s].job];
		if (!x->interrupted) {
			if (WIFEXITED(st) && WEXITSTATUS(st)) {
				x->failed = true;
			} else if (WIFSIGNALED(st)) {
				if (j->kind == JOB_CELL) {
					crash_cell(x, j->idx, WTERMSIG(st),
						   slots[s].killed);
				} else {
					fprintf(stderr, "rmibench inject-matrix: baseline %s: the worker died of signal %d\n",
						x->cols[j->idx].name,
						WTERMSIG(st));
					x->failed = true;
				}
			}
			x->done++;
		}
		slots[s] = slots[--*running];
	}
}

/*
 * Run @jobs on up to a->jobs workers. x->failed is set if one could not
 * be made (the rest are not started), x->interrupted if a signal came
 * (the workers are then stopped and waited for).
 */
static void run_jobs(struct ctx *x, const struct job *jobs, unsigned int n,
		     const char *what)
{
	struct slot *slots = calloc(x->a->jobs, sizeof(*slots));
	unsigned int next = 0, running = 0;

	if (!slots) {
		fprintf(stderr, "rmibench inject-matrix: out of memory\n");
		x->failed = true;
		return;
	}
	x->done = 0;
	x->total = n;
	while (next < n || running) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		siginfo_t si;
		int sig;

		while (!x->interrupted && !x->failed && running < x->a->jobs &&
		       next < n) {
			pid_t pid;

			fflush(NULL);
			pid = fork();
			if (pid < 0) {
				fprintf(stderr, "rmibench inject-matrix: fork: %s\n",
					strerror(errno));
				x->failed = true;
				break;
			}
			if (!pid) {
				signal(SIGINT, SIG_DFL);
				signal(SIGTERM, SIG_DFL);
				signal(SIGHUP, SIG_DFL);
				sigprocmask(SIG_SETMASK, &x->oldmask, NULL);
				sigprocmask(SIG_UNBLOCK, &x->sigs, NULL);
				_exit(job_run(x, &jobs[next]));
			}
			slots[running++] = (struct slot){
				.pid = pid, .job = next++,
				.start = rmib_now_s(),
			};
		}
		if (!running)
			break;
		sig = sigtimedwait(&x->sigs, &si, &ts);
		if ((sig == SIGINT || sig == SIGTERM || sig == SIGHUP) &&
		    !x->interrupted) {
			x->interrupted = sig;
			for (unsigned int s = 0; s < running; s++)
				kill(slots[s].pid, SIGTERM);
		}
		reap(x, jobs, slots, &running);
		for (unsigned int s = 0; s < running; s++)
			if (!slots[s].killed &&
			    rmib_now_s() - slots[s].start > x->timeout) {
				slots[s].killed = true;
				kill(slots[s].pid, SIGKILL);
			}
		progress(x, what, false);
	}
	if (n && !x->interrupted)
		progress(x, what, true);
	free(slots);
}

/* A signal that came while the parent was not waiting for one. */
static void check_signal(struct ctx *x)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int sig;

	while ((sig = sigtimedwait(&x->sigs, &si, &zero)) > 0)
		if (sig != SIGCHLD && !x->interrupted)
			x->interrupted = sig;
}

/* Remove what an interrupted write may have left: ".NAME.XXXXXX". */
static void remove_temps(const char *dir)
{
	static const char *const kinds[] = { ".json.", ".md.", ".tsv.",
					     ".png." };
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[PATH_MAX];

		if (e->d_name[0] != '.' || !strcmp(e->d_name, ".") ||
		    !strcmp(e->d_name, ".."))
			continue;
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strstr(e->d_name, kinds[k]) &&
			    (size_t)snprintf(p, sizeof(p), "%s/%s", dir,
					     e->d_name) < sizeof(p)) {
				unlink(p);
				break;
			}
	}
	closedir(d);
}

/* ---- the plan ------------------------------------------------------------ */

/* mkdir -p */
static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	struct stat st;

	if (!stat(path, &st))
		return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return errno = ENAMETOOLONG, -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* DIR/settings.txt: the base settings; a rerun must have the same */
static int check_settings(struct ctx *x, const char *settings)
{
	char path[PATH_MAX], old[2048], err[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/settings.txt", x->a->dir);
	f = fopen(path, "r");
	if (f) {
		size_t n = fread(old, 1, sizeof(old) - 1, f);

		fclose(f);
		old[n] = 0;
		old[strcspn(old, "\n")] = 0;
		if (strcmp(old, settings)) {
			fprintf(stderr, "rmibench inject-matrix: %s holds cells of other settings (%s): use another --out-dir\n",
				x->a->dir, path);
			return -1;
		}
		return 0;
	}
	snprintf(old, sizeof(old), "%s\n", settings);
	if (result_write_file_atomic(path, old, strlen(old), err,
				     sizeof(err))) {
		fprintf(stderr, "rmibench inject-matrix: %s\n", err);
		return -1;
	}
	return 0;
}

/* the baseline's calls per command and outcome */
static int load_baseline(struct ctx *x, unsigned int ci)
{
	struct run_result *r = calloc(1, sizeof(*r));
	struct im_col *c = &x->cols[ci];
	char path[PATH_MAX], err[512];

	if (!r)
		return -1;
	baseline_path(x, ci, path, sizeof(path));
	if (result_read_json(path, r, err, sizeof(err))) {
		fprintf(stderr, "rmibench inject-matrix: %s\n", err);
		free(r);
		return -1;
	}
	for (unsigned int k = 0; k < RMI_CMD_COUNT; k++) {
		c->calls[k] = 0;
		for (unsigned int s = 0; s < STATUS_BUCKETS; s++)
			c->calls[k] += r->counts.by_cmd[k][s];
	}
	c->base_class = r->outcome_class;
	c->base_wall = r->wall_seconds;
	snprintf(c->base_outcome, sizeof(c->base_outcome), "%s", r->outcome);
	c->have_baseline = true;
	free(r);
	return 0;
}

static bool called_anywhere(const struct ctx *x, unsigned int cmd)
{
	for (unsigned int c = 0; c < x->ncols; c++)
		if (x->cols[c].calls[cmd])
			return true;
	return false;
}

/* the statuses of @cmd: the facts', or --statuses */
static unsigned int row_statuses(const struct ctx *x, unsigned int cmd,
				 struct im_status *out, unsigned int max)
{
	int sl = rmi_start_level(x->base.s2sz);
	unsigned int n = 0;

	if (!x->a->nst)
		return im_cmd_statuses(cmd, sl, out, max);
	for (unsigned int i = 0; i < x->a->nst; i++) {
		struct im_status own[32];
		unsigned int k, no;

		if (!x->a->st_any_index[i]) {
			if (n < max)
				out[n++] = x->a->st[i];
			continue;
		}
		/* ERROR_RTT: the command's levels, else every level */
		no = im_cmd_statuses(cmd, sl, own, 32);
		for (k = 0; k < no; k++)
			if (own[k].status == RMI_ERROR_RTT && n < max)
				out[n++] = own[k];
		if (n && out[n - 1].status == RMI_ERROR_RTT)
			continue;
		for (int l = sl; l <= RMI_RTT_LAST_LEVEL && n < max; l++)
			out[n++] = (struct im_status){ RMI_ERROR_RTT,
						       (unsigned int)l };
	}
	return n;
}

static int make_rows(struct ctx *x)
{
	unsigned int cap = 64;

	x->rows = malloc(cap * sizeof(*x->rows));
	if (!x->rows)
		return -1;
	for (int i = 0, cmd; (cmd = im_cmd_order((unsigned int)i)) >= 0; i++) {
		struct im_status st[64];
		unsigned int nst;

		if ((x->a->cmd_filter && !x->a->cmd_on[cmd]) ||
		    !called_anywhere(x, (unsigned int)cmd))
			continue;
		nst = row_statuses(x, (unsigned int)cmd, st, 64);
		for (unsigned int s = 0; s < nst; s++)
			for (int t = 0; t < IM_TRIGGER_COUNT; t++) {
				struct im_row *r;

				if (x->a->trig_filter && !x->a->trig_on[t])
					continue;
				if (x->nrows == cap) {
					struct im_row *n;

					cap *= 2;
					n = realloc(x->rows, cap * sizeof(*n));
					if (!n)
						return -1;
					x->rows = n;
				}
				r = &x->rows[x->nrows++];
				*r = (struct im_row){
					.cmd = (unsigned int)cmd,
					.status = st[s].status,
					.index = st[s].index,
					.trig = (enum im_trigger)t,
				};
				im_row_name(r);
			}
	}
	return 0;
}

static int make_cells(struct ctx *x)
{
	unsigned int n = 0, kept = 0;

	x->cells = calloc((size_t)x->nrows * x->ncols + 1, sizeof(*x->cells));
	x->cell_path = calloc((size_t)x->nrows * x->ncols + 1,
			      sizeof(*x->cell_path));
	if (!x->cells || !x->cell_path)
		return -1;
	for (unsigned int r = 0; r < x->nrows; r++) {
		unsigned int n0 = n;

		for (unsigned int c = 0; c < x->ncols; c++) {
			struct run_config cfg;
			char f[64];
			uint64_t space;

			if (!im_cell_applies(&x->rows[r], &x->cols[c], &space))
				continue;
			im_cell_init(&x->cells[n], &x->rows[r], &x->cols[c],
				     space);
			cfg = col_config(&x->base, &x->cols[c]);
			snprintf(cfg.inject, sizeof(cfg.inject), "%s",
				 x->cells[n].rule);
			result_command_line(&cfg, x->cells[n].command_line,
					    sizeof(x->cells[n].command_line));
			im_file_name(f, sizeof(f), x->cols[c].name);
			snprintf(x->cell_path[n], sizeof(x->cell_path[n]),
				 "%s/%s@%s.json", x->celldir, x->rows[r].name,
				 f);
			n++;
		}
		/* a row without a cell (the nth of a single call) goes */
		if (n > n0)
			x->rows[kept++] = x->rows[r];
	}
	x->nrows = kept;
	x->ncells = n;
	return 0;
}

/* A cell already on disk that names the planned rule: read it. */
static bool cell_done(struct ctx *x, unsigned int i)
{
	struct im_cell c;
	char err[512];

	if (access(x->cell_path[i], F_OK))
		return false;
	if (im_cell_read(x->cell_path[i], &c, err, sizeof(err)) ||
	    strcmp(c.rule, x->cells[i].rule) ||
	    strcmp(c.col, x->cells[i].col)) {
		/* from another plan, or unreadable: made again */
		return false;
	}
	x->cells[i] = c;
	return true;
}

static void summary(FILE *f, const struct im_matrix *m)
{
	unsigned int n[IM_CLASS_COUNT] = { 0 };
	bool first = true;

	for (unsigned int i = 0; i < m->ncells; i++)
		n[m->cells[i].cls]++;
	fprintf(f, "inject-matrix:");
	for (unsigned int k = 0; k < IM_CLASS_COUNT; k++)
		if (n[k]) {
			fprintf(f, "%s %s %u", first ? "" : ",",
				im_class_name(k), n[k]);
			first = false;
		}
	fputc('\n', f);
}

static int do_diff(const struct im_args *a)
{
	struct im_matrix m[2];
	char err[512];
	unsigned int changed;

	for (int i = 0; i < 2; i++)
		if (im_matrix_read(a->files[i], &m[i], err, sizeof(err))) {
			fprintf(stderr, "rmibench inject-matrix: %s\n", err);
			if (i)
				im_matrix_free(&m[0]);
			return CLI_EXIT_FAIL;
		}
	changed = im_diff(stdout, &m[0], a->files[0], &m[1], a->files[1]);
	im_matrix_free(&m[0]);
	im_matrix_free(&m[1]);
	return changed ? CLI_EXIT_OUTCOME : CLI_EXIT_OK;
}

static const char im_doc[] =
"Fails every RMI command the host issues (set-up, faults, teardown) with "
"every status the command can return (rmi-facts), at its first call, at "
"the call in the middle of a baseline run's calls of it, and from that "
"call on, under each host version and strategy, and classifies each run: "
"crash, invariant, livelock, leak, killed, warn, guest-error, recovered, "
"not-reached. Writes DIR/cells/*.json (one per cell), DIR/matrix.json, "
"DIR/matrix.md, DIR/heatmap.tsv and DIR/heatmap.png."
"\v"
"The default workload is short: --s2sz 32 --ipa 1G --size 4M "
"--shared-pct 25 --folio 2m, one vCPU; any run setting changes it. A "
"rerun with the same settings and DIR makes only the cells missing. "
"Exit status: 0 done; 1 a run or file failed; 2 a bad command line; "
"130, 143, 129 stopped by SIGINT, SIGTERM, SIGHUP (the cells on disk are "
"complete). With --diff: 0 the same classes, 3 cells changed, 1 a file "
"does not read back.";

static int make_matrix(struct ctx *x)
{
	const struct im_args *a = x->a;
	struct im_matrix m = { 0 };
	struct job *jobs = NULL;
	unsigned int njobs = 0, reused = 0;
	char settings[1024], err[512];
	int rc = CLI_EXIT_FAIL;
	time_t now;

	base_settings(&x->base, settings, sizeof(settings));
	snprintf(x->basedir, sizeof(x->basedir), "%s/baseline", a->dir);
	snprintf(x->celldir, sizeof(x->celldir), "%s/cells", a->dir);
	if (mkdir_p(a->dir) || mkdir_p(x->basedir) || mkdir_p(x->celldir)) {
		fprintf(stderr, "rmibench inject-matrix: cannot create %s: %s\n",
			a->dir, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	if (check_settings(x, settings))
		return CLI_EXIT_FAIL;

	/* baselines */
	jobs = calloc(x->ncols + 1, sizeof(*jobs));
	if (!jobs)
		goto oom;
	for (unsigned int c = 0; c < x->ncols; c++) {
		char p[PATH_MAX];

		baseline_path(x, c, p, sizeof(p));
		if (access(p, F_OK))
			jobs[njobs++] = (struct job){ JOB_BASELINE, c };
	}
	x->timeout = a->timeout ? a->timeout : 600;
	run_jobs(x, jobs, njobs, "baselines");
	if (!a->timeout)
		x->timeout = 0;
	if (x->interrupted || x->failed)
		goto out;
	for (unsigned int c = 0; c < x->ncols; c++) {
		if (load_baseline(x, c))
			goto out;
		if (!a->timeout && 20 * x->cols[c].base_wall > x->timeout)
			x->timeout = 20 * x->cols[c].base_wall;
	}
	if (!a->timeout)
		x->timeout = x->timeout > 30 ? x->timeout : 30;

	/* cells */
	if (make_rows(x) || make_cells(x))
		goto oom;
	free(jobs);
	jobs = calloc(x->ncells + 1, sizeof(*jobs));
	if (!jobs)
		goto oom;
	njobs = 0;
	for (unsigned int i = 0; i < x->ncells; i++) {
		if (cell_done(x, i))
			reused++;
		else
			jobs[njobs++] = (struct job){ JOB_CELL, i };
	}
	if (njobs) {
		/* the outputs describe every cell or none */
		static const char *const outs[] = { "matrix.json", "matrix.md",
						    "heatmap.tsv",
						    "heatmap.png" };

		for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
			char p[PATH_MAX];

			snprintf(p, sizeof(p), "%s/%s", a->dir, outs[i]);
			unlink(p);
		}
	}
	run_jobs(x, jobs, njobs, "cells");
	check_signal(x);
	if (x->interrupted || x->failed)
		goto out;
	for (unsigned int i = 0; i < njobs; i++) {
		unsigned int ci = jobs[i].idx;

		if (im_cell_read(x->cell_path[ci], &x->cells[ci], err,
				 sizeof(err))) {
			fprintf(stderr, "rmibench inject-matrix: %s\n", err);
			goto out;
		}
	}

	/* outputs */
	m.cols = x->cols;
	m.ncols = x->ncols;
	m.rows = x->rows;
	m.nrows = x->nrows;
	m.cells = x->cells;
	m.ncells = x->ncells;
	snprintf(m.settings, sizeof(m.settings), "%s", settings);
	snprintf(m.version, sizeof(m.version), "%s", rmibench_version);
	now = time(NULL);
	strftime(m.timestamp, sizeof(m.timestamp), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime(&now));
	m.cells_run = njobs;
	m.cells_reused = reused;
	m.elapsed_seconds = rmib_now_s() - x->t0;
	if (im_write_outputs(&m, a->dir, err, sizeof(err))) {
		fprintf(stderr, "rmibench inject-matrix: %s\n", err);
		goto out;
	}
	if (!a->no_plot && im_plot(a->dir, m.nrows, m.ncols, err,
				   sizeof(err))) {
		fprintf(stderr, "rmibench inject-matrix: %s\n", err);
		check_signal(x);
		goto out;
	}
	check_signal(x);
	if (x->interrupted)
		goto out;
	if (!a->quiet) {
		summary(stdout, &m);
		printf("inject-matrix: %u cells (%u run, %u from an earlier run) in %.1f s with %u workers: %s/matrix.md\n",
		       m.ncells, njobs, reused, rmib_now_s() - x->t0, a->jobs,
		       a->dir);
	}
	rc = CLI_EXIT_OK;
	goto out;
oom:
	fprintf(stderr, "rmibench inject-matrix: out of memory\n");
out:
	free(jobs);
	if (x->interrupted) {
		remove_temps(a->dir);
		remove_temps(x->basedir);
		remove_temps(x->celldir);
		fprintf(stderr, "rmibench inject-matrix: stopped by %s; the cells written are complete: a rerun makes the rest\n",
			strsignal(x->interrupted));
		rc = 128 + x->interrupted;
	}
	return rc;
}

int cmd_inject_matrix(int argc, char **argv)
{
	struct argp_child settings[] = {
		{ run_opts_argp(), 0,
		  "Run settings (every cell; the columns set --kernel, "
		  "--strategy, --delegation):", 3 },
		{ 0 }
	};
	const struct argp argp = {
		.options = im_options,
		.parser = im_parse,
		.args_doc = "",
		.doc = im_doc,
		.children = settings,
	};
	struct im_args *a = calloc(1, sizeof(*a));
	struct ctx *x = calloc(1, sizeof(*x));
	char bad[256];
	int rc;

	if (!a || !x) {
		fprintf(stderr, "rmibench inject-matrix: out of memory\n");
		free(a);
		free(x);
		return CLI_EXIT_FAIL;
	}
	rc = cli_parse(&argp, "rmibench inject-matrix", argc, argv, 0, a);
	if (rc >= 0)
		goto out;
	if (a->diff) {
		rc = do_diff(a);
		goto out;
	}
	rc = CLI_EXIT_USAGE;
	if (make_cols(a, x->cols, &x->ncols, bad, sizeof(bad))) {
		fprintf(stderr, "rmibench inject-matrix: bad column '%s': want KERNEL/STRATEGY[/DELEGATION] with v14 or v15, full, one-level, block or kernel, v14 or v15\n",
			bad);
		goto out;
	}
	if (!a->jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		a->jobs = n > 0 ? (unsigned int)n : 1;
	}
	x->a = a;
	x->base = a->o.cfg;
	for (size_t i = 0; i < sizeof(matrix_defaults) /
			       sizeof(matrix_defaults[0]); i++) {
		enum cfg_field_id f = matrix_defaults[i].field;
		char why[128];

		if (!a->o.given[f])
			cfg_parse(&x->base, &run_config_fields[f],
				  matrix_defaults[i].value, why, sizeof(why));
	}
	/* each column's settings go together: before anything runs */
	for (unsigned int c = 0; c < x->ncols; c++) {
		struct run_config cfg = col_config(&x->base, &x->cols[c]);
		char err[512];

		if (!strcmp(cfg.backend, backend_sim.name) &&
		    backend_sim.prepare(&cfg, err, sizeof(err))) {
			errmsg_print("rmibench inject-matrix: %s: %s",
				     x->cols[c].name, err);
			goto out;	/* rc is CLI_EXIT_USAGE */
		}
	}
	x->t0 = rmib_now_s();
	x->progress = !a->quiet && isatty(STDERR_FILENO);
	sigemptyset(&x->sigs);
	sigaddset(&x->sigs, SIGCHLD);
	sigaddset(&x->sigs, SIGINT);
	sigaddset(&x->sigs, SIGTERM);
	sigaddset(&x->sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &x->sigs, &x->oldmask);
	rc = make_matrix(x);
	sigprocmask(SIG_SETMASK, &x->oldmask, NULL);
out:
	if (x) {
		free(x->rows);
		free(x->cells);
		free(x->cell_path);
	}
	free(x);
	free(a);
	return rc;
}
