/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: running one configuration (bench/run.c).
 */
#ifndef RMIBENCH_RUN_H
#define RMIBENCH_RUN_H

#include <stddef.h>

#include "result.h"
#include "inject.h"

/* The defaults of `rmibench run`. */
void run_config_default(struct run_config *c);

/*
 * Parse an --inject rule in the grammar of sim/inject/inject.h. 0, or -1
 * with "--inject: REASON" in @err.
 */
int parse_inject_rule(const char *s, struct inj_rule *r, char *err,
		      size_t errlen);

/*
 * Create the realm, run the workload, tear down and audit: one result.
 * Returns 0 (the realm may still have died: see r->outcome), or -1 with
 * a one-line reason in @err when the run could not be made.
 */
int run_one(const struct run_config *cfg, const struct inj_rule *rules,
	    unsigned int nrules, struct run_result *r, char *err,
	    size_t errlen);

#endif /* RMIBENCH_RUN_H */
