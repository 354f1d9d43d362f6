// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the command. Each subcommand lives in its own file; this one
 * only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct subcmd subcmds[] = {
	{ "run", "run one workload on the sim and write a result file",
	  cmd_run },
	{ "matrix", "run a cross product of strategies, profiles, folios, vCPUs",
	  cmd_matrix },
	{ "report", "tables and plots from a directory of result files",
	  cmd_report },
	{ "rmi-script", "run RMI calls from a scenario file on the RMM model",
	  cmd_rmi_script },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: rmibench COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		fprintf(f, "  %-12s %s\n", subcmds[i].name, subcmds[i].help);
	fprintf(f, "\n'rmibench COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("rmibench %s\n", rmibench_version);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		if (!strcmp(argv[1], subcmds[i].name))
			return subcmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "rmibench: unknown command '%s' (see rmibench --help)\n",
		argv[1]);
	return 2;
}
