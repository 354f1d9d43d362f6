// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench rmi-script: run a scenario file against the RMM model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "errmsg.h"
#include "rmm.h"
#include "script.h"

struct script_args {
	struct rmm_config cfg;
	const char *file;
};

enum { OPT_PROFILE = 0x200, OPT_DGRAN, OPT_PA_BITS, OPT_LPA2, OPT_FIRMWARE };

static const struct argp_option script_options[] = {
	{ "profile", OPT_PROFILE, "NAME", 0,
	  "RMM behaviour: tf-rmm or spec (default tf-rmm)", 0 },
	{ "delegate-granules", OPT_DGRAN, "N", 0,
	  "granules per GRANULE_RANGE_DELEGATE call (1..1048576, default: "
	  "the profile's)", 0 },
	{ "pa-bits", OPT_PA_BITS, "N", 0,
	  "physical address width (32..52, default 48)", 0 },
	{ "lpa2", OPT_LPA2, NULL, 0,
	  "FEATURES reports LPA2 (an S2SZ up to 52)", 0 },
	{ "firmware", OPT_FIRMWARE, "WHAT", 0,
	  "what firmware prepared at boot: boot (the boot memory; HOTPLUG "
	  "lines add memory not FINE-tracked, without level-1 GPTs) or all "
	  "(default boot)", 0 },
	{ 0 }
};

static error_t script_parse(int key, char *arg, struct argp_state *state)
{
	struct script_args *a = state->input;
	uint64_t v;

	switch (key) {
	case OPT_PROFILE:
		a->cfg.profile = rmm_profile_find(arg);
		if (!a->cfg.profile)
			return cli_bad_value(state, "profile", arg,
					     "want tf-rmm or spec");
		return 0;
	case OPT_DGRAN:
		if (cli_parse_uint(arg, 1, 1u << 20, &v))
			return cli_bad_value(state, "delegate-granules", arg,
					     "want 1..1048576");
		a->cfg.delegate_granules = (unsigned int)v;
		return 0;
	case OPT_PA_BITS:
		if (cli_parse_uint(arg, 32, 52, &v))
			return cli_bad_value(state, "pa-bits", arg,
					     "want 32..52");
		a->cfg.pa_bits = (unsigned int)v;
		return 0;
	case OPT_LPA2:
		a->cfg.lpa2 = true;
		return 0;
	case OPT_FIRMWARE: {
		int f = rmm_firmware_from_name(arg);

		if (f < 0)
			return cli_bad_value(state, "firmware", arg,
					     "want boot or all");
		a->cfg.firmware = (enum rmm_firmware)f;
		return 0;
	}
	case ARGP_KEY_ARG:
		if (a->file)
			return cli_usage_error(state, "one scenario file only ('%s' and '%s')",
					       a->file, arg);
		a->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->file)
			return cli_usage_error(state, "no scenario file given (FILE, or - for stdin)");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp script_argp = {
	.options = script_options,
	.parser = script_parse,
	.args_doc = "FILE|-",
	.doc =
"Runs one RMI call per line of FILE (- for stdin) on a new RMM model and "
"prints one normalised line per call. The format: sim/rmm/README.md."
"\v"
"Exit status: 0 the calls ran, 1 the file could not be read or is "
"malformed (FILE:LINE: why), 2 a bad command line, 3 a CHECK line found "
"a broken invariant.",
};

int cmd_rmi_script(int argc, char **argv)
{
	struct script_args a = {
		.cfg = { .profile = rmm_profile_find("tf-rmm") },
	};
	FILE *in, *errs;
	char *ebuf = NULL;
	size_t elen = 0;
	int ret;

	ret = cli_parse(&script_argp, "rmibench rmi-script", argc, argv, 0, &a);
	if (ret >= 0)
		return ret;
	if (!strcmp(a.file, "-")) {
		in = stdin;
	} else {
		in = fopen(a.file, "r");
		if (!in) {
			errmsg_print("rmibench rmi-script: %s: %s", a.file,
				     strerror(errno));
			return CLI_EXIT_FAIL;
		}
	}
	/* the runner's error lines, then each as rmibench's own: named,
	 * with what does not print escaped */
	errs = open_memstream(&ebuf, &elen);
	ret = rmm_script_run(in, in == stdin ? "<stdin>" : a.file, &a.cfg,
			     stdout, errs ? errs : stderr);
	if (in != stdin)
		fclose(in);
	if (errs && !fclose(errs)) {
		for (char *line = ebuf, *nl; line && *line; line = nl) {
			nl = strchr(line, '\n');
			if (nl)
				*nl++ = 0;
			errmsg_print("rmibench rmi-script: %s", line);
		}
	}
	free(ebuf);
	return ret;
}
