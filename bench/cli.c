// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the command-line convention of every subcommand (argp with
 * generated help, one-line errors, exit statuses 0, 1, 2) and option
 * value parsing.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "errmsg.h"
#include "outfile.h"
#include "rmib_util.h"

/* ---- parsing a command line -------------------------------------------------- */

#define CLI_KEY_USAGE	0x7f00	/* no option table uses it */
#define CLI_DONE	ECANCELED	/* --help or --usage answered */

/* a parser printed the error: no "Try ..." line after it */
static bool reported;

struct cli_top {
	void *input;		/* the subcommand's */
	bool done;
};

static const struct argp_option help_options[] = {
	{ "help", 'h', NULL, 0, "Give this help list", -1 },
	{ "usage", CLI_KEY_USAGE, NULL, 0, "Give a short usage message", -1 },
	{ 0 }
};

static error_t help_parse(int key, char *arg, struct argp_state *state)
{
	struct cli_top *t = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = t->input;
		/* argp's own messages off: cli_parse() says it once */
		state->err_stream = NULL;
		return 0;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_SHORT_USAGE |
				ARGP_HELP_LONG | ARGP_HELP_DOC);
		t->done = true;
		return CLI_DONE;
	case CLI_KEY_USAGE:
		argp_state_help(state, stdout, ARGP_HELP_USAGE);
		t->done = true;
		return CLI_DONE;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/*
 * What getopt printed: one message, as argp stops at the first error; a
 * value's line breaks escaped, so that it stays one line.
 */
static void print_caught(char *said)
{
	size_t n;

	if (!said || !*said)
		return;
	n = strlen(said);
	if (said[n - 1] == '\n')
		said[n - 1] = 0;
	errmsg_print("%s", said);
}

int cli_parse(const struct argp *argp, const char *name, int argc,
	      char **argv, unsigned int flags, void *input)
{
	struct argp_child child[] = { { .argp = argp }, { 0 } };
	const struct argp top = {
		.options = help_options,
		.parser = help_parse,
		.children = child,
	};
	struct cli_top t = { .input = input };
	int end = argc, ret = -1;
	FILE *real_stderr, *caught;
	char **args, *said = NULL;
	size_t said_len = 0;
	error_t err;

	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		fprintf(stderr, "%s: out of memory\n", name);
		return CLI_EXIT_FAIL;
	}
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	/* getopt's messages and argp's help name the command by argv[0] */
	args[0] = (char *)name;
	reported = false;
	/*
	 * getopt prints its own messages ("unrecognized option '--x'") to
	 * stderr, with the option as given: catch them, to print them
	 * escaped, one line each.
	 */
	fflush(stderr);
	real_stderr = stderr;
	caught = open_memstream(&said, &said_len);
	if (caught)
		stderr = caught;
	err = argp_parse(&top, argc, args, flags | ARGP_NO_HELP | ARGP_NO_EXIT,
			 &end, &t);
	if (caught) {
		stderr = real_stderr;
		fclose(caught);
		print_caught(said);
		free(said);
	}
	if (t.done) {
		ret = CLI_EXIT_OK;
	} else if (err) {
		/* getopt said what; argp printed nothing (err_stream) */
		if (!reported)
			fprintf(stderr, "Try '%s --help' for more information.\n",
				name);
		ret = CLI_EXIT_USAGE;
	} else if (end < argc) {
		errmsg_print("%s: unexpected argument '%s'", name, args[end]);
		ret = CLI_EXIT_USAGE;
	}
	free(args);
	return ret;
}

error_t cli_usage_error(const struct argp_state *state, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* values as given, escaped: one line whatever they hold */
	errmsg_print("%s: %s", state->name, msg);
	reported = true;
	return EINVAL;
}

error_t cli_bad_value(const struct argp_state *state, const char *opt,
		      const char *value, const char *want)
{
	return cli_usage_error(state, "--%s '%s': %s", opt, value, want);
}

const char *cli_program(void)
{
	const char *p = program_invocation_name;
	const char *base = p ? strrchr(p, '/') : NULL;

	base = base ? base + 1 : p;
	return base && !strcmp(base, "rmibench") ? p : "rmibench";
}

/* ---- option values ------------------------------------------------------------- */

/* the one size and number grammar of the tree (include/rmib_util.h) */
int cli_parse_size(const char *s, uint64_t *v)
{
	return rmib_parse_size(s, v);
}

int cli_parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
	return rmib_parse_uint(s, lo, hi, v);
}

error_t cli_check_out(const struct argp_state *state, const char *opt,
		      const char *path)
{
	char why[PATH_MAX + 128];

	if (out_check_new_file(path, why, sizeof(why)))
		return cli_usage_error(state, "--%s '%s': %s", opt, path, why);
	return 0;
}

error_t cli_check_out_dir(const struct argp_state *state, const char *opt,
			  const char *dir, bool parents)
{
	char why[PATH_MAX + 128];

	if (out_check_dir(dir, parents, why, sizeof(why)))
		return cli_usage_error(state, "--%s '%s': %s", opt, dir, why);
	return 0;
}
