// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench rmi-script: run a scenario file against the RMM model.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rmm.h"
#include "script.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: rmibench rmi-script [--profile tf-rmm|spec] [--delegate-granules N]\n"
"                           [--pa-bits N] [--lpa2] FILE|-\n"
"Runs one RMI call per line of FILE (- for stdin) on a new RMM model and\n"
"prints one normalised line per call. The format: sim/rmm/README.md.\n");
}

int cmd_rmi_script(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, 0, 'p' },
		{ "delegate-granules", required_argument, 0, 'd' },
		{ "pa-bits", required_argument, 0, 'b' },
		{ "lpa2", no_argument, 0, 'l' },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	struct rmm_config cfg = { .profile = rmm_profile_find("tf-rmm") };
	uint64_t v;
	FILE *in;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			cfg.profile = rmm_profile_find(optarg);
			if (!cfg.profile) {
				fprintf(stderr, "rmibench rmi-script: unknown profile '%s' (tf-rmm, spec)\n",
					optarg);
				return 2;
			}
			break;
		case 'd':
			if (cli_parse_uint(optarg, 1, 1u << 20, &v)) {
				fprintf(stderr, "rmibench rmi-script: --delegate-granules wants 1..1048576, not '%s'\n",
					optarg);
				return 2;
			}
			cfg.delegate_granules = (unsigned int)v;
			break;
		case 'b':
			if (cli_parse_uint(optarg, 32, 52, &v)) {
				fprintf(stderr, "rmibench rmi-script: --pa-bits wants 32..52, not '%s'\n",
					optarg);
				return 2;
			}
			cfg.pa_bits = (unsigned int)v;
			break;
		case 'l':
			cfg.lpa2 = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "rmibench rmi-script: one scenario file expected (or - for stdin)\n");
		return 2;
	}
	if (!strcmp(argv[optind], "-")) {
		in = stdin;
	} else {
		in = fopen(argv[optind], "r");
		if (!in) {
			fprintf(stderr, "rmibench rmi-script: %s: %s\n",
				argv[optind], strerror(errno));
			return 2;
		}
	}
	ret = rmm_script_run(in, in == stdin ? "<stdin>" : argv[optind], &cfg,
			     stdout, stderr);
	if (in != stdin)
		fclose(in);
	return ret;
}
