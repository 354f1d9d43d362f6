// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzz target fuzz_diff: the same call sequence through both RMM
 * profiles, tf-rmm and spec, each checked by the laws of rmi_seq.c. While
 * the two models are in the same state (rmm_state_hash), every call must
 * answer alike and leave them alike, or differ in a way rmi-facts names:
 *
 *   f4-level     RTT_DATA_MAP / RTT_UNPROT_MAP where the first
 *                descriptor's level (tf-rmm) is not the level where the
 *                walk stops (spec) [f4]
 *   f4-align     the same, levels equal, base not aligned to the block:
 *                tf-rmm checks it against the descriptor first
 *                (ERROR_INPUT), spec against the entry (ERROR_RTT) [f4,
 *                f11.6]
 *   f4-pa-set    a list of descriptors of more than one size: tf-rmm ends
 *                the PA set at the first of another size, spec reads them
 *                as one PA set [f4]
 *   f4-remap     tf-rmm went on past where spec stopped, and there both
 *                have the mapping the call asks for: the same IPA mapped
 *                to the same PA again, SUCCESS in tf-rmm only [f4, f9.4]
 *   f11.4-ns     RTT_DESTROY in the unprotected half: tf-rmm does not
 *                count NS mappings as live, spec does [f11.4]
 *   destroy-x2   RTT_DESTROY answering alike but for x2, the top of the
 *                non-live region: the next live entry (tf-rmm [f9.9]) or
 *                the end of the entry (spec, sim/rmm/README.md)
 *
 * A difference no class explains aborts: a finding. The models go on
 * after a difference; calls are compared again once their states meet.
 * At exit the counts per class are printed ("fuzz_diff: classes: ...").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmi_seq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum cls {
	C_LEVEL, C_ALIGN, C_PA_SET, C_REMAP, C_NS_LIVE, C_DESTROY_X2,
	C_COUNT
};

static const char *const cls_name[C_COUNT] = {
	"f4-level", "f4-align", "f4-pa-set", "f4-remap", "f11.4-ns",
	"destroy-x2",
};

static struct {
	unsigned long long compared, same, out_of_step, cls[C_COUNT];
} stats;

static void print_stats(void)
{
	fprintf(stderr, "fuzz_diff: classes: calls compared %llu, alike %llu",
		stats.compared, stats.same);
	for (int i = 0; i < C_COUNT; i++)
		fprintf(stderr, ", %s %llu", cls_name[i], stats.cls[i]);
	fprintf(stderr, "; out of step (not compared) %llu\n",
		stats.out_of_step);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(print_stats);
	return 0;
}

/* RTT_READ_ENTRY at level 3: x0, and x1..x4 in e[1..4] */
static uint64_t read_entry(struct rmm *m, uint64_t rd, uint64_t ipa,
			   uint64_t e[5])
{
	return rmm_call(m, RMI_RTT_READ_ENTRY, rd, ipa & ~0xfffull, 3, 0, 0, e);
}

/* The descriptors of a map call: SINGLE x5, or the list it wrote. */
static unsigned int descs(const struct seq_op *op, uint64_t *d)
{
	unsigned int n = 0;

	if (RMI_FLAGS_ADDR_TYPE(op->in.x[4]) == RMI_ADDR_TYPE_SINGLE) {
		d[0] = op->in.x[5];
		return 1;
	}
	for (; n < op->ns_len / 8; n++)
		memcpy(&d[n], op->ns + 8 * n, 8);
	return n;
}

/* The PA at byte @off of the PA set the descriptors @d describe; ~0 past it. */
static uint64_t pa_at(const uint64_t *d, unsigned int n, uint64_t off)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t bytes = rmi_desc_bytes(d[i]);

		if (off < bytes)
			return RMI_DESC_ADDR(d[i]) + off;
		off -= bytes;
	}
	return ~0ull;
}

/*
 * Which class explains the difference of @op between A (tf-rmm) and B
 * (spec), both in one state before it: -1 if none.
 */
static int classify(struct rmm *a, struct rmm *b, const struct seq_op *op,
		    const struct rmm_regs *oa, const struct rmm_regs *ob,
		    const struct seq_track *t)
{
	uint32_t fid = (uint32_t)op->in.x[0];
	const uint64_t *x = op->in.x;

	if (op->kind != SEQ_SMC)
		return -1;
	if (fid == RMI_RTT_DATA_MAP || fid == RMI_RTT_UNPROT_MAP) {
		uint64_t d[8], ea[5], eb[5], s;
		unsigned int n = descs(op, d);
		int dl;

		if (!n)
			return -1;
		dl = RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(d[0]));
		/* the walk's level at base: maps make no tables */
		if (read_entry(b, x[1], x[2], eb) == RMI_SUCCESS &&
		    (int)eb[1] != dl)
			return C_LEVEL;
		/* levels alike: tf-rmm refuses the base first, spec at the
		 * entry of that level */
		if (dl >= 1 && (x[2] & (RMI_LEVEL_SIZE(dl) - 1)) &&
		    oa->x[0] == RMI_RETURN(RMI_ERROR_INPUT, 0) &&
		    ob->x[0] == RMI_RETURN(RMI_ERROR_RTT, dl))
			return C_ALIGN;
		/* tf-rmm stopped where the first descriptor of another size
		 * starts, spec did not */
		for (unsigned int i = 1; i < n; i++) {
			uint64_t lead = 0;

			if (RMI_DESC_SIZE(d[i]) == RMI_DESC_SIZE(d[0]))
				continue;
			for (unsigned int k = 0; k < i; k++)
				lead += rmi_desc_bytes(d[k]);
			if (oa->x[0] == RMI_SUCCESS && oa->x[1] - x[2] == lead &&
			    (ob->x[0] != RMI_SUCCESS || ob->x[1] != oa->x[1]))
				return C_PA_SET;
			break;
		}
		/*
		 * tf-rmm went on past where spec stopped, and there both
		 * have the mapping the call asks for: the PA of the call's
		 * PA set at that offset, mapped again
		 */
		s = RMI_RETURN_STATUS(ob->x[0]) == RMI_SUCCESS ? ob->x[1] : x[2];
		if (oa->x[0] == RMI_SUCCESS && oa->x[1] > s &&
		    read_entry(a, x[1], s, ea) == RMI_SUCCESS &&
		    read_entry(b, x[1], s, eb) == RMI_SUCCESS &&
		    ea[2] == RMI_ENTRY_ASSIGNED && eb[2] == RMI_ENTRY_ASSIGNED &&
		    ea[3] == eb[3] &&
		    /* (an NS entry's x3 has its attributes below the PA) */
		    (ea[3] & ~0xfffull) == pa_at(d, n, s - x[2]))
			return C_REMAP;
		return -1;
	}
	if (fid == RMI_RTT_DESTROY) {
		if (oa->x[0] == ob->x[0] && oa->x[1] == ob->x[1] &&
		    oa->x[3] == ob->x[3] && oa->x[4] == ob->x[4] &&
		    oa->x[2] != ob->x[2])
			return C_DESTROY_X2;
		/* tf-rmm destroyed it, spec found it live: in the
		 * unprotected half only NS mappings can make that so */
		for (unsigned int i = 0; i < t->n; i++)
			if (t->rd[i] == x[1] && (x[2] >> (t->s2sz[i] - 1)) &&
			    oa->x[0] == RMI_SUCCESS &&
			    ob->x[0] == RMI_RETURN(RMI_ERROR_RTT, x[3]))
				return C_NS_LIVE;
	}
	return -1;
}

#define MAX_OPS	(SEQ_MAX_OPS + 3)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seq_op ops[MAX_OPS];
	struct seq_snapshot ba, bb, aa, ab;
	struct seq_track ta = { 0 }, tb = { 0 };
	struct seq_result ra, rb;
	struct seq_config cfg;
	struct seq_dec d;
	struct rmm *a, *b;
	unsigned int n = 0;
	uint64_t moved = 0;
	char why[256], what[256];

	seq_begin(&d, data, size, &cfg);
	while (n < MAX_OPS && seq_next(&d, &ops[n]))
		n++;
	a = seq_model(&cfg, rmm_profile_find("tf-rmm"));
	b = seq_model(&cfg, rmm_profile_find("spec"));
	if (!a || !b)
		abort();
	for (unsigned int k = 0; k < n && moved <= SEQ_MOVE_MAX; k++) {
		const struct seq_op *op = &ops[k];
		bool in_step;

		seq_prepare(a, op);
		seq_prepare(b, op);
		seq_snapshot(a, &ba);
		seq_snapshot(b, &bb);
		in_step = ba.hash == bb.hash;
		seq_exec(a, op, &ra);
		seq_exec(b, op, &rb);
		seq_trace("fuzz_diff tf-rmm", k, op, &ra);
		seq_trace("fuzz_diff spec", k, op, &rb);
		if (seq_check(a, op, &ra, &ba, &aa, &ta, why, sizeof(why)) ||
		    seq_check(b, op, &rb, &bb, &ab, &tb, why, sizeof(why))) {
			seq_describe(op, what, sizeof(what));
			fprintf(stderr, "fuzz_diff: op %u: %s: %s\n", k, what,
				why);
			abort();
		}
		/* the work an input may ask for is bounded too */
		moved += seq_moved(op, &ra);
		if (!in_step) {
			stats.out_of_step++;
			continue;
		}
		stats.compared++;
		if (!memcmp(ra.out.x, rb.out.x, 5 * sizeof(ra.out.x[0])) &&
		    aa.hash == ab.hash) {
			stats.same++;
		} else {
			int c = classify(a, b, op, &ra.out, &rb.out, &ta);

			if (c < 0) {
				seq_describe(op, what, sizeof(what));
				fprintf(stderr, "fuzz_diff: op %u: %s: tf-rmm "
					"%#llx %#llx %#llx, spec %#llx %#llx "
					"%#llx, states %s: no class explains "
					"it\n", k, what,
					(unsigned long long)ra.out.x[0],
					(unsigned long long)ra.out.x[1],
					(unsigned long long)ra.out.x[2],
					(unsigned long long)rb.out.x[0],
					(unsigned long long)rb.out.x[1],
					(unsigned long long)rb.out.x[2],
					aa.hash == ab.hash ? "alike" : "differ");
				abort();
			}
			stats.cls[c]++;
		}
	}
	rmm_destroy(a);
	rmm_destroy(b);
	return 0;
}
