// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzz target fuzz_rmm: arbitrary RMI call sequences into the
 * RMM model's entry point, rmm_smc(), with the model's invariant check and
 * the laws of tests/fuzz/rmi_seq.c after every call. The input's first
 * byte picks the profile (tf-rmm or spec), the granules per delegate call
 * and a prologue; the rest is the sequence (README.md).
 */
#include <stdio.h>
#include <stdlib.h>

#include "rmi_seq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seq_snapshot before, after;
	struct seq_track t = { 0 };
	struct seq_config cfg;
	struct seq_result res;
	struct seq_dec d;
	struct seq_op op;
	struct rmm *m;
	unsigned int n = 0;
	uint64_t moved = 0;
	char why[256], what[256];

	seq_begin(&d, data, size, &cfg);
	m = seq_model(&cfg, rmm_profile_find(cfg.spec ? "spec" : "tf-rmm"));
	if (!m)
		abort();
	seq_snapshot(m, &before);
	while (seq_next(&d, &op)) {
		if (op.ns_len) {
			seq_prepare(m, &op);
			seq_snapshot(m, &before);
		}
		seq_exec(m, &op, &res);
		seq_trace("fuzz_rmm", n, &op, &res);
		if (seq_check(m, &op, &res, &before, &after, &t, why,
			      sizeof(why))) {
			seq_describe(&op, what, sizeof(what));
			fprintf(stderr, "fuzz_rmm: %s, op %u: %s: %s\n",
				cfg.spec ? "spec" : "tf-rmm", n, what, why);
			abort();
		}
		before = after;
		n++;
		/* the work an input may ask for is bounded too */
		moved += seq_moved(&op, &res);
		if (moved > SEQ_MOVE_MAX)
			break;
	}
	rmm_destroy(m);
	return 0;
}
