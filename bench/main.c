// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the command. Each subcommand lives in its own file; this one
 * only dispatches, with the same conventions (cli.h) as the subcommands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "errmsg.h"

static const struct subcmd subcmds[] = {
	{ "run", "run one workload on the sim and write a result file",
	  cmd_run },
	{ "matrix", "run a cross product of strategies, profiles, folios, vCPUs",
	  cmd_matrix },
	{ "report", "tables and plots from a directory of result files",
	  cmd_report },
	{ "rmi-script", "run RMI calls from a scenario file on the RMM model",
	  cmd_rmi_script },
	{ "compare", "verdict of two result files or sets, with exit status",
	  cmd_compare },
	{ "history", "change points over result sets ordered by version",
	  cmd_history },
	{ "inject-matrix", "each RMI call failed by each status", cmd_inject_matrix },
	{ "explore", "a scenario's interleavings and failure points, searched",
	  cmd_explore },
};

#define NSUBCMDS	(sizeof(subcmds) / sizeof(subcmds[0]))
#define COMMANDS	"run, matrix, report, rmi-script, compare, history, " \
			"inject-matrix, explore"

struct main_args {
	int cmd;		/* argv index of the command, 0 if none */
	bool version;
};

enum { OPT_VERSION = 'V' };

static const struct argp_option main_options[] = {
	{ "version", OPT_VERSION, NULL, 0, "Print the version", -1 },
	{ 0 }
};

static const struct subcmd *find(const char *name)
{
	for (size_t i = 0; i < NSUBCMDS; i++)
		if (!strcmp(name, subcmds[i].name))
			return &subcmds[i];
	return NULL;
}

static error_t main_parse(int key, char *arg, struct argp_state *state)
{
	struct main_args *a = state->input;

	switch (key) {
	case OPT_VERSION:
		a->version = true;
		return 0;
	case ARGP_KEY_ARG:
		/* the command: the rest of the line is its own */
		if (strcmp(arg, "help") && !find(arg))
			return cli_usage_error(state, "unknown command '%s' (%s)",
					       arg, COMMANDS);
		a->cmd = state->next - 1;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		if (!a->cmd && !a->version)
			return cli_usage_error(state, "no command given (%s)",
					       COMMANDS);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* the commands, after the options in --help */
static char *main_help_filter(int key, const char *text, void *input)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	f = open_memstream(&buf, &len);
	if (!f)
		return (char *)text;
	fprintf(f, "Commands:\n");
	for (size_t i = 0; i < NSUBCMDS; i++)
		fprintf(f, "  %-12s %s\n", subcmds[i].name, subcmds[i].help);
	fprintf(f, "\n'rmibench COMMAND --help' lists a command's options. "
		"Exit status: 0 ok, 1 bad input or a failed operation, 2 a "
		"bad command line, 3 done but what it found fails (run: the "
		"realm killed, a leak, a livelock; matrix: an outcome "
		"--fail-on names; rmi-script: a CHECK failed; explore: a "
		"failing run), 129/130/143 "
		"SIGHUP/SIGINT/SIGTERM (temporary files removed); compare: "
		"1 a regression.");
	if (fclose(f)) {
		free(buf);
		return (char *)text;
	}
	return buf;
}

static const struct argp main_argp = {
	.options = main_options,
	.parser = main_parse,
	.args_doc = "COMMAND [ARG...]",
	.doc = "A performance, stress and fault-injection harness for Arm CCA "
	       "realm support in Linux KVM.",
	.help_filter = main_help_filter,
};

int main(int argc, char **argv)
{
	struct main_args a = { 0 };
	const struct subcmd *c;
	char *help[] = { NULL, "--help", NULL };
	int rc;

	/* options before the command only: parse in order, stop there */
	rc = cli_parse(&main_argp, "rmibench", argc, argv, ARGP_IN_ORDER, &a);
	if (rc >= 0)
		return rc;
	if (a.version && !a.cmd) {
		printf("rmibench %s\n", rmibench_version);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[a.cmd], "help")) {
		/* rmibench help [COMMAND] */
		if (a.cmd + 1 >= argc)
			return cli_parse(&main_argp, "rmibench", 2, help,
					 0, &a);
		c = find(argv[a.cmd + 1]);
		if (!c) {
			errmsg_print("rmibench: unknown command '%s' (%s)",
				     argv[a.cmd + 1], COMMANDS);
			return CLI_EXIT_USAGE;
		}
		help[0] = (char *)c->name;
		return c->fn(2, help);
	}
	c = find(argv[a.cmd]);
	return c->fn(argc - a.cmd, argv + a.cmd);
}
