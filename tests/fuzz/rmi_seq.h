/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench fuzzing: a fuzz input read as a bounded sequence of RMI calls
 * into the RMM model, with every address drawn from a small universe so
 * that calls meet live state (tests/fuzz/README.md, "The call-sequence
 * format"). Shared by fuzz_rmm (one model, invariants after each call)
 * and fuzz_diff (the same sequence through both profiles).
 *
 * Decoding depends on the input bytes alone, never on what the model
 * answered: the same input is the same sequence for every model.
 */
#ifndef RMIBENCH_FUZZ_RMI_SEQ_H
#define RMIBENCH_FUZZ_RMI_SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmm.h"

#define SEQ_PA_BITS	33		/* the model's PA space: 8 GiB */
#define SEQ_MAX_OPS	256		/* operations per input */
#define SEQ_LOOP_MAX	1024		/* RMI calls in one DELEGATE loop */
#define SEQ_NS_MAX	(8 * 8)		/* bytes of NS memory an op writes */
#define SEQ_MOVE_MAX	(1ull << 22)	/* granules (un)delegated in all:
					 * past that the sequence ends */

enum seq_kind {
	SEQ_SMC,		/* one RMI call (or any function id) */
	SEQ_DELEGATE,		/* the host's loop: range calls until done */
	SEQ_UNDELEGATE,
	SEQ_RIPAS_REQUEST,	/* a REC's RSI_IPA_STATE_SET */
};

struct seq_op {
	enum seq_kind kind;
	struct rmm_regs in;		/* SMC: x0 fid, x1..x5 arguments;
					 * loops: x1 base, x2 top; RIPAS
					 * request: x1 rec, x2 base, x3 top,
					 * x4 RIPAS */
	uint64_t ns_pa;			/* NS memory written before the call */
	size_t ns_len;			/* 0: none */
	unsigned char ns[SEQ_NS_MAX];
};

struct seq_config {
	unsigned int delegate_granules;
	bool lpa2;
	bool spec;			/* fuzz_rmm's profile: spec, not tf-rmm */
};

struct seq_dec {
	const uint8_t *p;
	size_t n;
	unsigned int ops;
	unsigned int pro_step, pro_len;	/* the prologue's ops */
	/* the S2SZ each RD was last created with (IPAs of the shared half) */
	uint64_t rd[8];
	unsigned int s2sz[8];
	unsigned int nrd, next_rd;
};

/*
 * Start decoding @data: its first byte is the configuration, and may ask
 * for a prologue (RMM_ACTIVATE; a realm at g1). @cfg is filled in.
 */
void seq_begin(struct seq_dec *d, const uint8_t *data, size_t size,
	       struct seq_config *cfg);

/* The next operation; false when the input or SEQ_MAX_OPS runs out. */
bool seq_next(struct seq_dec *d, struct seq_op *op);

/* Scratch NS granule @i (0..15): parameter blocks and lists go there. */
uint64_t seq_scratch(unsigned int i);

/*
 * The inverse, for seeds made from the scenario tests (mkseed.c): ops
 * written as input bytes, the universe's forms where they reach the value
 * and the raw forms where they do not.
 */
struct seq_enc {
	uint8_t buf[8192];
	size_t n;
	bool full;
	struct seq_dec sh;		/* the decoder's view, in step */
};

/* The first byte: @cfg, no prologue. */
void seq_enc_begin(struct seq_enc *e, const struct seq_config *cfg);

/*
 * Append @op (its REALM_CREATE parameters and lists in op->ns, at
 * seq_scratch(0)). 0 when the bytes decode to exactly @op, 1 when to an
 * approximation, -1 when the buffer or SEQ_MAX_OPS is full (nothing
 * appended that counts).
 */
int seq_enc_op(struct seq_enc *e, const struct seq_op *op);

/* What one operation did: the last call's outputs, and calls made. */
struct seq_result {
	struct rmm_regs out;
	unsigned int calls;
	uint64_t progress;		/* loops: bytes (un)delegated */
};

/* What the host writes to NS memory before @op (a parameter block, a list). */
void seq_prepare(struct rmm *m, const struct seq_op *op);

/* Run @op on @m, after seq_prepare(). At most SEQ_LOOP_MAX calls. */
void seq_exec(struct rmm *m, const struct seq_op *op, struct seq_result *res);

/* Granules @op (un)delegated: what SEQ_MOVE_MAX counts. */
uint64_t seq_moved(const struct seq_op *op, const struct seq_result *res);

/* One line naming @op, for findings ("RTT_CREATE (fid ...) x1=..."). */
void seq_describe(const struct seq_op *op, char *buf, size_t len);

/*
 * With FUZZ_TRACE set in the environment, each op and its outputs on
 * stderr (replaying a finding: `FUZZ_TRACE=1 build/fuzz/fuzz_rmm FILE`).
 */
void seq_trace(const char *who, unsigned int n, const struct seq_op *op,
	       const struct seq_result *res);

/* The model every target makes from @cfg and a profile. */
struct rmm *seq_model(const struct seq_config *cfg,
		      const struct rmm_profile *prof);

/*
 * The laws every operation keeps, whatever the profile (README.md, "The
 * laws"), checked after @op ran on @m. @before is the snapshot taken
 * after seq_prepare(), @after is filled in for the next call; @t the
 * realms live so far, kept up to date. 0, or -1 with one line in @why.
 */
struct seq_snapshot {
	uint64_t hash;
	struct rmm_stats st;
};

struct seq_track {
	bool activated;
	uint64_t rd[64];		/* live realms, their S2SZ */
	unsigned int s2sz[64];
	unsigned int n;
	uint64_t rec[16];		/* RECs' last accepted RIPAS request */
	unsigned int ripas[16];
	unsigned int nrec;
};

void seq_snapshot(struct rmm *m, struct seq_snapshot *s);
int seq_check(struct rmm *m, const struct seq_op *op,
	      const struct seq_result *res, const struct seq_snapshot *before,
	      struct seq_snapshot *after, struct seq_track *t, char *why,
	      size_t len);

#endif /* RMIBENCH_FUZZ_RMI_SEQ_H */
