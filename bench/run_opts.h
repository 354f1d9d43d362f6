/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the options that set a run's settings, shared by `rmibench
 * run` and `rmibench matrix`: one per row of RUN_CONFIG_FIELDS (schema.h).
 */
#ifndef RMIBENCH_RUN_OPTS_H
#define RMIBENCH_RUN_OPTS_H

#include <argp.h>
#include <stdbool.h>

#include "config.h"
#include "rmi_inject.h"

#define MAX_RULES	16

/* What the options give. */
struct run_opts {
	struct run_config cfg;
	struct inj_rule rules[MAX_RULES];	/* from --inject */
	unsigned int nrules;
	bool given[CFG_NFIELDS];	/* the option was on the command line */
};

/*
 * The options as an argp child whose input is a struct run_opts: set to
 * run_config_default() first, then to what the options say. --help shows
 * each with its values and default.
 */
const struct argp *run_opts_argp(void);

#endif /* RMIBENCH_RUN_OPTS_H */
