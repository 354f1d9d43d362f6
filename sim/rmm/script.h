/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench RMM model: the scenario runner (`rmibench rmi-script`).
 */
#ifndef RMIBENCH_SCRIPT_H
#define RMIBENCH_SCRIPT_H

#include <stdio.h>

#include "rmm.h"

/*
 * Parse all of @in (named @fname in errors), then run its calls on a new
 * model made from @cfg, one normalised line per call on @out.
 * Returns 0; 1 for a malformed file or line (one line on @errf, nothing on
 * @out); 3 if a CHECK line found a broken invariant.
 */
int rmm_script_run(FILE *in, const char *fname, const struct rmm_config *cfg,
		   FILE *out, FILE *errf);

#endif /* RMIBENCH_SCRIPT_H */
