// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzz target fuzz_script: the scenario runner behind
 * `rmibench rmi-script` (sim/rmm/script.c) on arbitrary text, at its own
 * PA size, under one profile or the other (by the input's length). What
 * must hold: no crash or hang; a file the runner rejects (exit 1) gets
 * one line "NAME:LINE: reason" on stderr and nothing on stdout; a CHECK
 * line never finds the model's invariants broken (exit 3 would be a
 * finding in the model, reached through the runner).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmi_seq.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const uint8_t *data, size_t size, const char *profile)
{
	struct rmm_config cfg = {
		.profile = rmm_profile_find(profile),
	};
	char *out = NULL, *err = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *in, *o, *e;
	int rc;

	in = fmemopen((void *)data, size, "r");
	o = open_memstream(&out, &outlen);
	e = open_memstream(&err, &errlen);
	if (!in || !o || !e)
		abort();
	rc = rmm_script_run(in, "fuzz.rmi", &cfg, o, e);
	fclose(in);
	fclose(o);
	fclose(e);
	if (rc == 3) {
		fprintf(stderr, "fuzz_script: %s: CHECK found the model broken:\n%s",
			profile, out);
		abort();
	}
	if (rc == 1 && (outlen || !errlen || strncmp(err, "fuzz.rmi:", 9) ||
			memchr(err, '\n', errlen) != err + errlen - 1)) {
		fprintf(stderr, "fuzz_script: %s: rejected with %zu bytes on "
			"stdout and stderr '%s'\n", profile, outlen, err);
		abort();
	}
	if (rc != 0 && rc != 1) {
		fprintf(stderr, "fuzz_script: %s: exit %d\n", profile, rc);
		abort();
	}
	free(out);
	free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an empty input is an empty (valid) file; fmemopen wants a byte */
	if (!size)
		return 0;
	/* one profile an input, by its length: half the cost of both, and
	 * mutations change the length often enough to try both */
	run(data, size, size & 1 ? "spec" : "tf-rmm");
	return 0;
}
