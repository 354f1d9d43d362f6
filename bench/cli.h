/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: subcommands and shared option parsing.
 */
#ifndef RMIBENCH_CLI_H
#define RMIBENCH_CLI_H

#include <stdbool.h>
#include <stdint.h>

#ifndef RMIBENCH_VERSION
#define RMIBENCH_VERSION "0.1"
#endif

/* `git describe` of the build (bench/version.c) */
extern const char rmibench_version[];

struct subcmd {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

int cmd_rmi_script(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_matrix(int argc, char **argv);

/* "4k", "2M", "1G", "0x1000", "1G+2M": bytes. -1 on a malformed value. */
int cli_parse_size(const char *s, uint64_t *v);
/* A whole number in [lo, hi]; -1 if not. */
int cli_parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *v);

#endif /* RMIBENCH_CLI_H */
