// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzz target fuzz_result: the result-file reader
 * (bench/result_read.c, bench/json_read.c) on arbitrary bytes given as a
 * file. What must hold: no crash or hang; a refusal is one line naming the
 * file; a file it accepts is written again by result_write_json() and
 * reads back to the same result (a file the reader takes, the writer and
 * the reader agree on).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz_result: %s%s%s\n", what, err ? ": " : "",
		err ? err : "");
	abort();
}

#define SAME(field)	(!memcmp(&a->field, &b->field, sizeof(a->field)))

static const char *differ(const struct run_result *a,
			  const struct run_result *b)
{
	if (!SAME(cfg))
		return "config";
	if (!SAME(counts))
		return "counts";
	if (!SAME(lat_model) || !SAME(lat_wall) || !SAME(calls_per_fault))
		return "distributions";
	if (!SAME(outcome) || !SAME(outcome_class))
		return "outcome";
	if (a->cost_model_default != b->cost_model_default)
		return "metadata.cost_model.default";
	if (a->wall_seconds != b->wall_seconds ||
	    a->virtual_seconds != b->virtual_seconds)
		return "timing";
	if (a->model_bytes != b->model_bytes)
		return "model_bytes";
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run_result r, r2;
	struct result_meta meta;
	char err[512], path[128];
	const char *what;

	if (result_read_json_meta(fuzz_file(data, size), &r, &meta, err,
				  sizeof(err))) {
		if (!err[0] || strchr(err, '\n') || strncmp(err, "/proc/", 6))
			fail("refused without a one-line reason naming the file",
			     err);
		return 0;
	}
	/* what the reader took, written and read again */
	snprintf(r.backend, sizeof(r.backend), "%s", meta.backend);
	snprintf(path, sizeof(path), "%s/r.json", fuzz_dir());
	if (result_write_json(&r, path, err, sizeof(err)))
		fail("a result the reader took cannot be written", err);
	if (result_read_json(path, &r2, err, sizeof(err)))
		fail("written again, it is refused", err);
	what = differ(&r, &r2);
	if (what) {
		fprintf(stderr, "fuzz_result: written again, %s differs\n",
			what);
		abort();
	}
	return 0;
}
