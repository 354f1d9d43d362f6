/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: subcommands, the one command-line convention they share
 * (argp), and option value parsing.
 */
#ifndef RMIBENCH_CLI_H
#define RMIBENCH_CLI_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>

#ifndef RMIBENCH_VERSION
#define RMIBENCH_VERSION "0.1"
#endif

/* `git describe` of the build (bench/version.c) */
extern const char rmibench_version[];

/* Exit statuses of every subcommand (bench/README.md). */
#define CLI_EXIT_OK	0
#define CLI_EXIT_FAIL	1	/* bad input, or an operation failed */
#define CLI_EXIT_USAGE	2	/* the command line is wrong */
#define CLI_EXIT_OUTCOME 3	/* run: made, but the realm was killed,
				 * leaked, livelocked or broke the model */

struct subcmd {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

/* argv[0] is the subcommand's name; each returns an exit status. */
int cmd_rmi_script(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_inject_matrix(int argc, char **argv);
int cmd_explore(int argc, char **argv);

/*
 * Parse @argv (argv[0] is replaced by @name, e.g. "rmibench run") with
 * @argp and @input, adding -h/--help and --usage, made from the option
 * table. Nothing exits. Returns -1 to go on, or the exit status to return:
 * 0 after --help or --usage (on stdout), CLI_EXIT_USAGE after a usage
 * error, reported on stderr in one line "NAME: ..."; an unknown option or
 * a missing value (getopt's line) is followed by "Try 'NAME --help' for
 * more information.". Arguments no parser takes are usage errors.
 */
int cli_parse(const struct argp *argp, const char *name, int argc,
	      char **argv, unsigned int flags, void *input);

/*
 * For parsers: report a usage error as one line, "NAME: ...", and return
 * the error for the parser to return.
 */
error_t cli_usage_error(const struct argp_state *state, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "NAME: --OPT 'VALUE': WANT" */
error_t cli_bad_value(const struct argp_state *state, const char *opt,
		      const char *value, const char *want);

/*
 * --OPT FILE and --OPT DIR for output, checked before any work is done
 * (out_check_new_file(), out_check_dir()): a usage error naming the
 * option, or 0.
 */
error_t cli_check_out(const struct argp_state *state, const char *opt,
		      const char *path);
error_t cli_check_out_dir(const struct argp_state *state, const char *opt,
			  const char *dir, bool parents);

/*
 * rmibench as it was invoked ("build/rmibench"), for command lines that
 * run as written; "rmibench" when the program is not called that (a test
 * calling a command's function).
 */
const char *cli_program(void);

/* "4k", "2M", "1G", "0x1000", "1G+2M": bytes. -1 on a malformed value. */
int cli_parse_size(const char *s, uint64_t *v);
/* A whole number in [lo, hi]; -1 if not. */
int cli_parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *v);

#endif /* RMIBENCH_CLI_H */
