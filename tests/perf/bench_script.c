// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-script: `rmibench rmi-script` on generated scenarios of 1, 7
 * and 28 MiB (delegate, read-entry and undelegate rounds on one granule, so
 * the model's state stays the same size): peak RSS of the rmibench process
 * (wait4's ru_maxrss) and calls per second, from a file and from a pipe.
 * The runner reads its input twice, a line at a time (sim/rmm/README.md),
 * so the peak should not grow with the file. Figures are printed, not
 * asserted (tests/bench/test-rmi-script bounds the memory).
 * usage: bench_script (RMIBENCH and BUILD from the environment)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rmib_util.h"

static const char round_lines[] =
	"GRANULE_RANGE_DELEGATE g1000 g1001\n"
	"RTT_READ_ENTRY g1 1G 2   # the walk stops at level 1\n"
	"GRANULE_RANGE_UNDELEGATE g1000 g1001\n";

/* a scenario of about @mb MB; returns the number of calls, 0 on error */
static unsigned long gen(const char *path, unsigned int mb)
{
	unsigned long rounds = ((unsigned long)mb << 20) /
			       (sizeof(round_lines) - 1);
	FILE *f = fopen(path, "w");

	if (!f)
		return 0;
	fputs("RMM_ACTIVATE\nDELEGATE g1 g4\n"
	      "REALM_CREATE g1 s2sz=40 rtt_base=g2\n", f);
	for (unsigned long i = 0; i < rounds; i++)
		fputs(round_lines, f);
	fputs("CHECK\n", f);
	if (fclose(f))
		return 0;
	return 3 * rounds + 4;
}

/*
 * rmibench rmi-script on @path, as a file argument or (@pipe) fed through a
 * pipe on stdin by a second child; stdout to /dev/null
 */
static int measure(const char *rmibench, const char *path, int pipe_in,
		   long *maxrss_kb, double *wall_s)
{
	int fds[2] = { -1, -1 }, status;
	struct rusage ru;
	pid_t pid, feeder = -1;
	uint64_t t0;

	if (pipe_in && pipe(fds))
		return -1;
	t0 = rmib_clock_ns(CLOCK_MONOTONIC);
	if (pipe_in) {
		feeder = fork();
		if (feeder == 0) {
			int in = open(path, O_RDONLY);

			close(fds[0]);
			if (in < 0 || dup2(in, 0) < 0 || dup2(fds[1], 1) < 0)
				_exit(127);
			execlp("cat", "cat", (char *)NULL);
			_exit(127);
		}
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 1) < 0)
			_exit(127);
		if (pipe_in) {
			if (dup2(fds[0], 0) < 0)
				_exit(127);
			close(fds[0]);
			close(fds[1]);
			execl(rmibench, rmibench, "rmi-script", "-",
			      (char *)NULL);
		} else {
			execl(rmibench, rmibench, "rmi-script", path,
			      (char *)NULL);
		}
		_exit(127);
	}
	if (pipe_in) {
		close(fds[0]);
		close(fds[1]);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		return -1;
	*wall_s = (double)(rmib_clock_ns(CLOCK_MONOTONIC) - t0) * 1e-9;
	if (feeder > 0)
		waitpid(feeder, NULL, 0);
	*maxrss_kb = ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(void)
{
	static const unsigned int sizes[] = { 1, 7, 28 };
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	const char *rmibench = getenv("RMIBENCH") ? getenv("RMIBENCH") :
			       "build/rmibench";
	char path[4096];

	snprintf(path, sizeof(path), "%s/perf/bench-script.rmi", build);
	printf("# rmibench bench-script: rmi-script on generated scenarios, "
	       "peak RSS of the rmibench process\n");
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned long calls = gen(path, sizes[i]);
		struct stat st;

		if (!calls || stat(path, &st)) {
			fprintf(stderr, "bench_script: cannot write %s\n",
				path);
			return 1;
		}
		for (int p = 0; p < 2; p++) {
			long kb;
			double s;

			if (measure(rmibench, path, p, &kb, &s)) {
				fprintf(stderr, "bench_script: %s rmi-script "
					"failed on %s\n", rmibench, path);
				return 1;
			}
			printf("%5.1f MiB scenario, %8lu calls, %-5s peak RSS "
			       "%6.1f MiB  %5.2f s  %5.2f M calls/s\n",
			       (double)st.st_size / 1048576, calls,
			       p ? "pipe:" : "file:", (double)kb / 1024, s,
			       (double)calls / s / 1e6);
		}
	}
	unlink(path);
	return 0;
}
