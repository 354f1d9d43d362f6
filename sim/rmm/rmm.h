/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench RMM model: the public interface.
 *
 * Everything talks to the model through rmm_smc(), shaped like an SMC:
 * function id and x1..x7 in, x0..x4 out. The other functions here are the
 * model's "hardware" side: creating it, the NS memory the RMM reads
 * parameter blocks from, and the introspection that tests
 * and the leak audit use. None of them changes RMM state.
 */
#ifndef RMIBENCH_RMM_H
#define RMIBENCH_RMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmi_abi.h"
#include "rmib_config.h"

struct rmm;

/* How RTT_DATA_MAP / RTT_UNPROT_MAP pick the level (rmi-facts.md 4). */
enum rmm_map_level_rule {
	RMM_LEVEL_FROM_DESC,	/* "tf-rmm": the first descriptor's size */
	RMM_LEVEL_FROM_WALK,	/* "spec": where the walk stops */
};

/*
 * What RTT_DESTROY reports in x2 (rmi-facts.md 9.9), after a destroy or
 * from the unassigned entry where the walk stopped.
 */
enum rmm_destroy_top_rule {
	RMM_DESTROY_TOP_NEXT_LIVE,	/* next live entry in the table, or
					 * the end of the table's span */
	RMM_DESTROY_TOP_ENTRY,		/* end of the entry */
};

/* A profile is data: one struct per named RMM behaviour. */
struct rmm_profile {
	const char *name;
	enum rmm_map_level_rule map_level;
	bool remap_same_pa;		/* same IPA, same PA again: SUCCESS */
	enum rmm_destroy_top_rule destroy_top;
	bool ns_mappings_live;		/* an ASSIGNED_NS entry keeps its RTT
					 * live (the draft [f7]); tf-rmm: no,
					 * only a table does [f11.4] */
	unsigned int delegate_granules;	/* default granules per call */
};

const struct rmm_profile *rmm_profile_find(const char *name);
/* NULL-terminated list of the built-in profiles */
extern const struct rmm_profile *const rmm_profiles[];

const char *rmm_firmware_name(enum rmm_firmware f);
int rmm_firmware_from_name(const char *s);	/* -1 if unknown */

struct rmm_config {
	const struct rmm_profile *profile;
	unsigned int delegate_granules;	/* 0: the profile's default */
	unsigned int pa_bits;		/* physical address space; 0: 48 */
	bool lpa2;			/* FEATURES reports LPA2 / S2SZ 52 */
	enum rmm_firmware firmware;	/* what firmware prepared at boot */
	/*
	 * The caller promises that no two calls into this model ever
	 * overlap (one thread, or threads that take turns outside it: the
	 * det scheduler). Its RTT locks and granule state changes are then
	 * plain loads and stores instead of atomic read-modify-writes; what
	 * they decide is the same, since no lock is ever found taken and no
	 * compare-and-swap ever races.
	 */
	bool one_thread;
};

struct rmm_regs {
	uint64_t x[8];	/* in: x[0] fid, x[1..7] args; out: x[0..4] */
};

#define SMCCC_RET_NOT_SUPPORTED	0xffffffffffffffffull

struct rmm *rmm_create(const struct rmm_config *cfg);
void rmm_destroy(struct rmm *m);

/* The one way to issue an RMI command. @in and @out may alias. */
void rmm_smc(struct rmm *m, const struct rmm_regs *in, struct rmm_regs *out);

/* Convenience: rmm_smc() with arguments in registers; returns x0. */
uint64_t rmm_call(struct rmm *m, uint32_t fid, uint64_t x1, uint64_t x2,
		  uint64_t x3, uint64_t x4, uint64_t x5, uint64_t out[5]);

/*
 * NS memory the RMM reads: parameter blocks and descriptor lists live in
 * undelegated granules. The model keeps the bytes written here per granule.
 * Returns 0, or -1 if @pa is not granule aligned or @len > 4096.
 */
int rmm_ns_write(struct rmm *m, uint64_t pa, const void *buf, size_t len);

/*
 * Stand-in for a realm's RSI_IPA_STATE_SET: the REC at @rec asks for RIPAS
 * @ripas on [@base, @top); RTT_SET_RIPAS then serves it. -1 if no such REC
 * or @ripas is not a RIPAS value (EMPTY, RAM, DESTROYED, DEV).
 */
int rmm_rec_request_ripas(struct rmm *m, uint64_t rec, uint64_t base,
			  uint64_t top, unsigned int ripas);

/*
 * The platform's physical memory as the firmware describes it to the RMM,
 * per 1 GiB (the tracking region and the L0GPT region, 4 KiB granules):
 * its category, its tracking state and who made its level-1 GPT. Every
 * 1 GiB that no call here describes is boot memory: CONVENTIONAL, FINE,
 * with a level-1 GPT firmware made (RMI_GPT_PAR_PLAT), so a model nobody
 * describes memory to behaves as if all of it were ready.
 *
 * rmm_mem_describe() sets [@base, @base + @size) (1 GiB aligned) to the
 * given states; a category NONE (no memory) takes tracking and GPT state
 * RESERVED and no other. rmm_mem_hotplug() is memory that appears after
 * boot: CONVENTIONAL, COARSE and no level-1 GPT (RMI_GPT_PAR_HOST_NOT_
 * CREATED) with RMM_FW_BOOT, FINE with a firmware-made GPT with
 * RMM_FW_ALL. Both return 0, or -1 for a range or state they refuse.
 */
int rmm_mem_describe(struct rmm *m, uint64_t base, uint64_t size,
		     unsigned int category, unsigned int tracking,
		     unsigned int gpt);
int rmm_mem_hotplug(struct rmm *m, uint64_t base, uint64_t size);

struct rmm_mem_state {
	unsigned int category;		/* enum rmi_mem_category */
	unsigned int tracking;		/* enum rmi_tracking_state */
	unsigned int gpt;		/* enum rmi_gpt_state */
};
/* The states of the 1 GiB holding @pa (a PA inside the space). */
void rmm_mem_state(struct rmm *m, uint64_t pa, struct rmm_mem_state *st);

/* ---- introspection (tests, audit, benchmarks) ---------------------------- */

enum rmi_granule_state rmm_granule_state(struct rmm *m, uint64_t pa);

struct rmm_stats {
	uint64_t granules[RMI_GRANULE_STATE_COUNT];
					/* count by enum rmi_granule_state,
					 * UNDELEGATED excepted (always 0) */
	uint64_t rtts_live;		/* non-root RTTs */
	uint64_t rtts_created;		/* RTT_CREATE successes */
	uint64_t rtts_freed;		/* RTT_DESTROY + RTT_FOLD successes */
	uint64_t realms;		/* live realms */
	uint64_t model_bytes;		/* memory the model's live state
					 * holds; an RTT whose entries are
					 * all 0 counts its header only */
	uint64_t calls;			/* rmm_smc() calls */
	/* the RTT page pool: pages free for reuse (not in model_bytes) */
	uint64_t rtt_pages_clean;	/* all 0 */
	uint64_t rtt_pages_dirty;	/* written: resident */
	uint64_t rtt_pages_fresh;	/* never handed out, not resident */
};
void rmm_get_stats(struct rmm *m, struct rmm_stats *st);

/*
 * Check the model's invariants over the whole state: every DATA granule is
 * the output of exactly the ASSIGNED entries that cover it, once; every
 * RTT granule is a live table reachable from its realm; every RD is a
 * realm; table levels and parent links agree; counters agree with the
 * granule table. Returns 0, or -1 with a one-line reason in @why.
 */
int rmm_check(struct rmm *m, char *why, size_t len);

/*
 * A 64-bit hash of the state a later call can observe: granule states,
 * realms, their RTTs entry by entry, RECs with their RIPAS requests, the
 * NS memory written; not the statistics, not the profile. Models in the
 * same state hash alike however they got there (it is keyed by address,
 * not by the order things were made); different states hash differently
 * but for collisions.
 */
uint64_t rmm_state_hash(struct rmm *m);

/* Calls @fn for each granule not UNDELEGATED (state, base PA). */
void rmm_for_each_granule(struct rmm *m,
			  void (*fn)(void *ctx, uint64_t pa,
				     enum rmi_granule_state st),
			  void *ctx);

/*
 * What a realm's access to @ipa does with the tables as they are (no RMI
 * call): completes, exits to the host with a stage-2 fault, or aborts in
 * the realm (RIPAS EMPTY, or an unknown realm or IPA).
 */
enum rmm_access {
	RMM_ACCESS_OK,
	RMM_ACCESS_FAULT,
	RMM_ACCESS_ABORT,
};
enum rmm_access rmm_guest_access(struct rmm *m, uint64_t rd, uint64_t ipa);

/*
 * Bytes mapped (ASSIGNED entries) in [@lo, @hi) of the realm at @rd, by
 * the level of the entry: bytes[1] 1 GiB blocks, [2] 2 MiB blocks, [3]
 * pages. -1 if there is no such realm.
 */
int rmm_realm_mapped_bytes(struct rmm *m, uint64_t rd, uint64_t lo,
			   uint64_t hi, uint64_t bytes[4]);

/* ---- footprints and state hashes (the interleaving explorer) ------------- */

/*
 * What calls touch, for telling which steps of two vCPUs commute. While a
 * footprint is installed for the calling thread (rmm_footprint_set), the
 * model notes the granules whose state a call read or changed (a failed
 * compare-and-swap reads, a successful one writes), and the RTTs a walk
 * went through (read) and the one it stopped in, or any it locked to
 * change (written), by the table's PA. The caller notes its own resources
 * (RMM_FP_HOST: ids it chooses). Ranges of one kind and access merge; past
 * RMM_FP_MAX items the footprint stands for everything.
 */
enum rmm_fp_kind {
	RMM_FP_GRANULE,		/* [lo, hi): granules' states, by PA */
	RMM_FP_RTT,		/* [lo, hi): the RTTs at those PAs */
	RMM_FP_HOST,		/* [lo, hi): the caller's own ids */
};

#define RMM_FP_MAX	24

struct rmm_fp_item {
	uint64_t lo, hi;
	unsigned char kind;	/* enum rmm_fp_kind */
	bool write;
};

struct rmm_footprint {
	unsigned int n;
	bool all;		/* too many items: touches everything */
	struct rmm_fp_item it[RMM_FP_MAX];
};

/* The footprint this thread's calls note into; NULL when none. */
extern _Thread_local struct rmm_footprint *rmm_fp_cur;

/* Install @fp for this thread's calls (NULL: stop noting). */
void rmm_footprint_set(struct rmm_footprint *fp);
void rmm_footprint_reset(struct rmm_footprint *fp);
/* Note [@lo, @hi) of @kind in @fp. */
void rmm_fp_add(struct rmm_footprint *fp, unsigned int kind, uint64_t lo,
		uint64_t hi, bool write);

/* Note into this thread's footprint, if one is installed. */
static inline void rmm_fp_note(unsigned int kind, uint64_t lo, uint64_t hi,
			       bool write)
{
	if (__builtin_expect(rmm_fp_cur != NULL, 0))
		rmm_fp_add(rmm_fp_cur, kind, lo, hi, write);
}

/* Whether two footprints conflict: one writes what the other touches. */
bool rmm_fp_conflict(const struct rmm_footprint *a,
		     const struct rmm_footprint *b);

/*
 * Hashes of the model's state for the explorer's pruning: the states of
 * the granules in [@lo, @hi), and the RTT entries of the realm at @rd
 * whose IPA ranges meet [@lo, @hi) (tables by their PA and level), each
 * folded into @h. Read without locks: for a single-threaded caller.
 */
uint64_t rmm_hash_granules(struct rmm *m, uint64_t lo, uint64_t hi,
			   uint64_t h);
uint64_t rmm_hash_realm(struct rmm *m, uint64_t rd, uint64_t lo, uint64_t hi,
			uint64_t h);

/* Fold the word @w into the hash @h (the explorer's hashes use it too). */
static inline uint64_t rmm_hash_word(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 31);
}

const char *rmi_cmd_name(uint32_t fid);
/* short id - RMI_SHORT_MIN -> enum rmi_cmd + 1, 0 where no command */
extern const unsigned char
	rmi_cmd_of_short[RMI_SHORT_MAX - RMI_SHORT_MIN + 1];

_Static_assert(!(RMI_FID_BASE & 0x3ffu) && RMI_SHORT_MIN <= RMI_SHORT_MAX &&
	       RMI_SHORT_MAX <= 0x3ffu, "the RMI ids lie in one 0x400 block");

/* fid -> enum rmi_cmd (RMI_CMD_COUNT if not a command): on every call's
 * path, so inline */
static inline unsigned int rmi_cmd_index(uint32_t fid)
{
	/* one compare: the RMI range is inside one 0x400-aligned block */
	uint32_t k = fid - RMI_FID(RMI_SHORT_MIN);
	unsigned int c;

	if (k > RMI_SHORT_MAX - RMI_SHORT_MIN)
		return RMI_CMD_COUNT;
	c = rmi_cmd_of_short[k];
	return c ? c - 1u : RMI_CMD_COUNT;
}

/* enum rmi_cmd -> name */
const char *rmi_cmd_name_at(unsigned int index);
int64_t rmi_cmd_fid(const char *name);	/* the fid, or -1 if unknown */
const char *rmi_status_name(unsigned int status);
int rmi_status_from_name(const char *name);	/* -1 if unknown */
const char *rmi_entry_state_name(unsigned int st);
const char *rmi_ripas_name(unsigned int ripas);
const char *rmi_granule_state_name(unsigned int st);
const char *rmi_mem_category_name(unsigned int c);
int rmi_mem_category_from_name(const char *s);	/* -1 if unknown */
const char *rmi_tracking_name(unsigned int st);
int rmi_tracking_from_name(const char *s);	/* -1 if unknown */
const char *rmi_gpt_state_name(unsigned int st);
int rmi_gpt_state_from_name(const char *s);	/* -1 if unknown */

#endif /* RMIBENCH_RMM_H */
