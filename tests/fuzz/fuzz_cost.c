// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzz target fuzz_cost: the calibration-file reader
 * (cost_model_load, bench/cost.c) on arbitrary bytes given as a file.
 * What must hold: no crash or hang; a refusal is one line naming the file
 * and leaves the cost model as it was; an accepted file gives costs of at
 * most 1 s each and a source that names the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "result.h"
#include "rmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz_cost: %s: %s\n", what, err);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cost_model cm, before;
	const char *path = fuzz_file(data, size);
	char err[512];

	cost_model_default(&cm);
	before = cm;
	if (cost_model_load(&cm, path, err, sizeof(err))) {
		if (!err[0] || strchr(err, '\n') || strncmp(err, path, strlen(path)))
			fail("refused without a one-line reason naming the file",
			     err);
		if (memcmp(&cm, &before, sizeof(cm)))
			fail("refused, but the cost model changed", err);
		return 0;
	}
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++)
		if (cm.cmd[i].fixed_ns > 1000000000ull ||
		    cm.cmd[i].per_granule_ns > 1000000000ull)
			fail("a cost above 1 s", rmi_cmd_name_at(i));
	if (cm.fault_overhead_ns > 1000000000ull || cm.access_ns > 1000000000ull)
		fail("an overhead above 1 s", path);
	if (cm.is_default || !memchr(cm.source, 0, sizeof(cm.source)) ||
	    strncmp(cm.source, path, strlen(path)))
		fail("the source does not name the file", cm.source);
	return 0;
}
