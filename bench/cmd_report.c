// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench report DIR: read every result file DIR/NAME.json, write
 * DIR/summary.md, DIR/runs.tsv and DIR/latency.tsv, then the plots
 * (scripts/plot, gnuplot).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "errmsg.h"
#include "outfile.h"
#include "result.h"

struct report_args {
	const char *dir;
	const char *command;
	bool plots;
};

enum { OPT_NO_PLOTS = 0x200, OPT_COMMAND };

static const struct argp_option report_options[] = {
	{ "no-plots", OPT_NO_PLOTS, NULL, 0, "write the tables only", 0 },
	{ "command", OPT_COMMAND, "CMD", 0,
	  "the command that made the runs, for summary.md (default: the "
	  "one their files record: a matrix's)", 0 },
	{ 0 }
};

static error_t report_parse(int key, char *arg, struct argp_state *state)
{
	struct report_args *a = state->input;

	switch (key) {
	case OPT_NO_PLOTS:
		a->plots = false;
		return 0;
	case OPT_COMMAND:
		a->command = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (a->dir)
			return cli_usage_error(state, "one directory only ('%s' and '%s')",
					       a->dir, arg);
		a->dir = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->dir)
			return cli_usage_error(state, "no directory given (DIR)");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp report_argp = {
	.options = report_options,
	.parser = report_parse,
	.args_doc = "DIR",
	.doc =
"Reads every DIR/*.json result file (in file name order) and writes "
"DIR/summary.md, DIR/runs.tsv, DIR/latency.tsv and, with gnuplot, DIR/*.png. "
"A bad result file is an error naming it."
"\v"
"The plot templates are found in $RMIBENCH_SCRIPTS, else in ../scripts next "
"to the rmibench binary, else in ./scripts. Exit status: 0 the tables (and "
"plots) were written, 1 a result file is bad or a file could not be "
"written or plotted, 2 a bad command line.",
};

/* $RMIBENCH_SCRIPTS, else <dir of the binary>/../scripts, else scripts */
static void scripts_dir(char *buf, size_t len)
{
	const char *env = getenv("RMIBENCH_SCRIPTS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		static const char rel[] = "/../scripts";
		char *slash;
		struct stat st;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash && (size_t)(slash - exe) + sizeof(rel) + 5 <= len) {
			memcpy(buf, exe, (size_t)(slash - exe));
			memcpy(buf + (slash - exe), rel, sizeof(rel));
			strcat(buf, "/plot");
			if (!stat(buf, &st)) {
				buf[strlen(buf) - 5] = 0;
				return;
			}
		}
	}
	snprintf(buf, len, "scripts");
}

/*
 * scripts/plot DIR, in a process group of its own: a signal that ends
 * rmibench is passed on to it and waited for before the staging
 * directory goes (outfile.h). Its stdout (the files it wrote, under the
 * staging directory's name) is dropped; rmibench names them.
 */
static int run_plots(const char *dir)
{
	char sdir[PATH_MAX], plot[PATH_MAX + 8];
	int status, fd;
	pid_t pid;

	scripts_dir(sdir, sizeof(sdir));
	if ((size_t)snprintf(plot, sizeof(plot), "%s/plot", sdir) >= sizeof(plot) ||
	    access(plot, X_OK)) {
		errmsg_print("rmibench report: %s: no plot script (set "
			     "RMIBENCH_SCRIPTS to the scripts folder)", plot);
		return -1;
	}
	fflush(NULL);
	out_signals_block(true);
	pid = fork();
	if (!pid) {
		out_signals_block(false);
		setpgid(0, 0);
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd >= 0)
			dup2(fd, 1);
		execl(plot, plot, dir, (char *)NULL);
		errmsg_print("rmibench report: %s: %s", plot, strerror(errno));
		_exit(127);
	}
	if (pid > 0) {
		setpgid(pid, pid);
		out_tmp_child(pid);
	}
	out_signals_block(false);
	if (pid < 0) {
		errmsg_print("rmibench report: fork: %s", strerror(errno));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			errmsg_print("rmibench report: waitpid: %s",
				     strerror(errno));
			out_tmp_child(0);
			return -1;
		}
	}
	out_tmp_child(0);
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	/* the script said why on stderr */
	return -1;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = { .plots = true };
	const char *dir;
	struct run_result *rs = NULL;
	struct result_meta *meta = NULL;
	char **names = NULL, **paths = NULL;
	char err[1024];
	struct out_dir od;
	struct report_opts ro;
	size_t n = 0;
	int ret, plotted = -1;

	ret = cli_parse(&report_argp, "rmibench report", argc, argv, 0, &a);
	if (ret >= 0)
		return ret;
	ret = CLI_EXIT_FAIL;
	dir = a.dir;
	if (result_list_dir(dir, &names, &n, err, sizeof(err))) {
		errmsg_print("rmibench report: %s", err);
		return CLI_EXIT_FAIL;
	}
	if (!n) {
		errmsg_print("rmibench report: %s: no result files (*.json)",
			     dir);
		free(names);
		return CLI_EXIT_FAIL;
	}
	rs = calloc(n, sizeof(*rs));
	meta = calloc(n, sizeof(*meta));
	paths = calloc(n, sizeof(*paths));
	if (!rs || !meta || !paths) {
		fprintf(stderr, "rmibench report: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (asprintf(&paths[i], "%s/%s", dir, names[i]) < 0) {
			paths[i] = NULL;
			fprintf(stderr, "rmibench report: out of memory\n");
			goto out;
		}
		if (result_read_json_meta(paths[i], &rs[i], &meta[i], err,
					  sizeof(err))) {
			errmsg_print("rmibench report: %s", err);
			goto out;
		}
	}
	ro = (struct report_opts){
		.command = a.command,
		.names = (const char *const *)names,
		.meta = meta,
		.program = cli_program(),
	};
	/* the new report beside the result files, then in DIR's place */
	if (out_dir_begin(&od, dir, report_file_name, err, sizeof(err))) {
		errmsg_print("rmibench report: %s", err);
		goto out;
	}
	if (report_write_dir(od.stage, rs, n, &ro, err, sizeof(err))) {
		out_dir_abort(&od);
		errmsg_print("rmibench report: %s", err);
		goto out;
	}
	if (a.plots)
		plotted = run_plots(od.stage);
	/* summary.md again, naming the plots that are there now */
	if (!plotted &&
	    report_write_dir(od.stage, rs, n, &ro, err, sizeof(err))) {
		out_dir_abort(&od);
		errmsg_print("rmibench report: %s", err);
		goto out;
	}
	if (out_dir_commit(&od, err, sizeof(err))) {
		errmsg_print("rmibench report: %s", err);
		goto out;
	}
	printf("rmibench report: %zu runs: %s/summary.md, %s/runs.tsv, "
	       "%s/latency.tsv\n", n, od.dir, od.dir, od.dir);
	if (!plotted)
		printf("rmibench report: plots: %s/calls-per-fault.png, "
		       "%s/rtt-pages-per-gib.png, %s/mapped-bytes.png, "
		       "%s/latency.png\n", od.dir, od.dir, od.dir, od.dir);
	if (a.plots && plotted)
		goto out;
	ret = CLI_EXIT_OK;
out:
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		if (paths)
			free(paths[i]);
	}
	free(names);
	free(paths);
	free(rs);
	free(meta);
	return ret;
}
