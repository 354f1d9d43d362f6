// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench report DIR: read every result file DIR/NAME.json, write
 * DIR/summary.md, DIR/runs.tsv and DIR/latency.tsv, then the plots
 * (scripts/plot, gnuplot).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "result.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rmibench report [--no-plots] [--command CMD] DIR\n"
		"\n"
		"Reads every DIR/*.json result file (in file name order) and writes\n"
		"DIR/summary.md, DIR/runs.tsv, DIR/latency.tsv and, with gnuplot,\n"
		"DIR/*.png. A bad result file is an error naming it.\n"
		"\n"
		"  --no-plots     write the tables only\n"
		"  --command CMD  the command that made the runs, for summary.md\n"
		"\n"
		"The plot templates are found in $RMIBENCH_SCRIPTS, else in\n"
		"../scripts next to the rmibench binary, else in ./scripts.\n");
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the .json files in @dir (not hidden), sorted bytewise. */
static int list_results(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cnt = 0, cap = 0;

	if (!d) {
		fprintf(stderr, "rmibench report: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".json"))
			continue;
		if (cnt == cap) {
			char **nv;

			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		v[cnt] = strdup(e->d_name);
		if (!v[cnt])
			goto oom;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_names);
	*out = v;
	*n = cnt;
	return 0;
oom:
	closedir(d);
	for (size_t i = 0; i < cnt; i++)
		free(v[i]);
	free(v);
	fprintf(stderr, "rmibench report: out of memory\n");
	return -1;
}

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

static int run_plots(const char *dir)
{
	char sdir[PATH_MAX], plot[PATH_MAX + 8];
	int status;
	pid_t pid;

	scripts_dir(sdir, sizeof(sdir));
	if ((size_t)snprintf(plot, sizeof(plot), "%s/plot", sdir) >= sizeof(plot) ||
	    access(plot, X_OK)) {
		fprintf(stderr, "rmibench report: %s: no plot script (set "
			"RMIBENCH_SCRIPTS to the scripts folder)\n", plot);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rmibench report: fork: %s\n", strerror(errno));
		return -1;
	}
	if (!pid) {
		execl(plot, plot, dir, (char *)NULL);
		fprintf(stderr, "rmibench report: %s: %s\n", plot, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rmibench report: waitpid: %s\n",
				strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	/* the script said why on stderr */
	return -1;
}

int cmd_report(int argc, char **argv)
{
	const char *dir = NULL, *command = NULL;
	struct run_result *rs = NULL;
	struct result_meta *meta = NULL;
	char **names = NULL, **paths = NULL;
	char err[1024];
	bool plots = true;
	size_t n = 0;
	int ret = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--no-plots")) {
			plots = false;
		} else if (!strcmp(argv[i], "--command")) {
			if (++i == argc) {
				fprintf(stderr, "rmibench report: --command needs a value\n");
				return 2;
			}
			command = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "rmibench report: unknown option '%s' "
				"(see rmibench report --help)\n", argv[i]);
			return 2;
		} else if (dir) {
			fprintf(stderr, "rmibench report: one directory only "
				"('%s' and '%s')\n", dir, argv[i]);
			return 2;
		} else {
			dir = argv[i];
		}
	}
	if (!dir) {
		usage(stderr);
		return 2;
	}

	if (list_results(dir, &names, &n))
		return 1;
	if (!n) {
		fprintf(stderr, "rmibench report: %s: no result files (*.json)\n",
			dir);
		free(names);
		return 1;
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
			fprintf(stderr, "rmibench report: %s\n", err);
			goto out;
		}
	}
	if (report_write_dir(dir, rs, n, &(struct report_opts){
				.command = command,
				.names = (const char *const *)names,
				.meta = meta,
			     }, err, sizeof(err))) {
		fprintf(stderr, "rmibench report: %s\n", err);
		goto out;
	}
	printf("rmibench report: %zu runs: %s/summary.md, %s/runs.tsv, "
	       "%s/latency.tsv\n", n, dir, dir, dir);
	if (plots && run_plots(dir))
		goto out;
	ret = 0;
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
