/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench RMM model: internal structures shared by the model's files.
 */
#ifndef RMIBENCH_RMM_INTERNAL_H
#define RMIBENCH_RMM_INTERNAL_H

#include <pthread.h>
#include <sched.h>

#include "granule.h"
#include "pool.h"
#include "rmib_util.h"
#include "rmm.h"

/*
 * An RTT entry is one 64-bit word:
 *   [2:0]   state (enum rmi_entry_state)
 *   [4:3]   RIPAS (protected half)
 *   [7:5]   memory attribute (unprotected half)
 *   [11:8]  S2AP (unprotected half)
 *   [51:12] output address (ASSIGNED)
 * A TABLE entry holds the child's struct rtt pointer (64-byte aligned) in
 * place of bits [63:6]; the child keeps its own PA.
 */
#define E_STATE(e)	((unsigned int)((e) & 7))
#define E_RIPAS(e)	((unsigned int)(((e) >> 3) & 3))
#define E_ATTR(e)	((unsigned int)(((e) >> 5) & 7))
#define E_S2AP(e)	((unsigned int)(((e) >> 8) & 0xf))
#define E_PA(e)		((e) & 0x000ffffffffff000ull)
#define E_TABLE(e)	((struct rtt *)(uintptr_t)((e) & ~63ull))
#define E_LEAF_ATTRS(e)	((e) & 0xff8ull)	/* RIPAS, attr, S2AP */

static inline uint64_t e_unassigned(unsigned int ripas)
{
	return (uint64_t)RMI_ENTRY_UNASSIGNED | ((uint64_t)ripas << 3);
}

static inline uint64_t e_assigned(uint64_t pa, unsigned int ripas)
{
	return pa | ((uint64_t)ripas << 3) | RMI_ENTRY_ASSIGNED;
}

static inline uint64_t e_assigned_ns(uint64_t pa, unsigned int attr,
				     unsigned int s2ap)
{
	return pa | ((uint64_t)attr << 5) | ((uint64_t)s2ap << 8) |
	       RMI_ENTRY_ASSIGNED;
}

/*
 * An RTT: a header of one cache line, a slot of the pool, and its entries,
 * the pool page that slot belongs to (pool.h). e is that page, set when the
 * table is made; the walk works it out from the header's address instead
 * of loading it (rtt_entries()).
 *
 * Where the table is: its realm's uid and the first IPA it covers, set
 * while it is locked before it is linked into its parent, and cleared
 * (uid 0) while it is locked as it is unlinked. So a thread that holds an
 * RTT's lock and reads its own realm's uid and an IPA base there knows
 * the table is in that realm's tree at that place: what the walk's cache
 * (walk.c) checks.
 */
struct rtt {
	unsigned int lock;
	int level;
	uint64_t *e;		/* RMI_RTT_ENTRIES entries, a 4 KiB page */
	uint64_t pa;
	uint64_t uid;		/* its realm's uid; 0 once unlinked */
	uint64_t base;		/* first IPA it covers */
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct rtt) == POOL_SLOT_SIZE,
	       "an RTT header is a slot");
_Static_assert(RMI_RTT_ENTRIES * sizeof(uint64_t) == POOL_PAGE_SIZE,
	       "an RTT's entries are a page");

/* t->e, without a load */
static inline uint64_t *rtt_entries(const struct rtt *t)
{
	return pool_page_of(t);
}

static inline void rtt_lock(struct rtt *t)
{
	unsigned int spins = 0;

	/* one thread (rmm_plain): free, as it always is there; taken
	 * otherwise, the atomic path spins as it would */
	if (rmm_plain && !__atomic_load_n(&t->lock, __ATOMIC_RELAXED)) {
		__atomic_store_n(&t->lock, 1, __ATOMIC_RELAXED);
		return;
	}
	while (__atomic_exchange_n(&t->lock, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&t->lock, __ATOMIC_RELAXED)) {
			if (++spins > 128)
				sched_yield();
			else
				rmib_cpu_relax();
		}
	}
}

static inline void rtt_unlock(struct rtt *t)
{
	__atomic_store_n(&t->lock, 0, __ATOMIC_RELEASE);
}

/* Note RTT @t in the thread's footprint (rmm.h), if any. */
static inline void rtt_note(const struct rtt *t, bool write)
{
	rmm_fp_note(RMM_FP_RTT, t->pa, t->pa + RMI_GRANULE_SIZE, write);
}

enum realm_state {
	REALM_NEW,
	REALM_ACTIVE,
	REALM_TERMINATED,
	REALM_GONE,
};

struct realm {
	uint64_t rd;
	int state;		/* enum realm_state, atomic */
	unsigned int lock;	/* life cycle; RTT paths only read state */
	unsigned int s2sz;
	int start_level;
	unsigned int nroot;
	uint32_t uid;		/* never 0; unique for 2^32 - 1 REALM_CREATEs
				 * in a process (in what was padding) */
	uint64_t rtt_base;
	int recs;		/* live RECs, atomic */
	struct rtt *root[RMI_MAX_ROOT_RTTS];
};

struct rec {
	uint64_t pa;
	struct realm *realm;
	uint64_t ripas_base, ripas_top;
	unsigned int ripas_value;
};

struct ns_block {
	uint64_t pa;
	size_t len;
	unsigned char bytes[RMI_GRANULE_SIZE];
};

#define RMM_MAX_REALMS	64
#define RMM_MAX_RECS	1024

struct rmm {
	struct rmm_profile prof;
	unsigned int delegate_granules;
	bool lpa2;
	bool one_thread;	/* rmm_config.one_thread */
	bool activated;		/* atomic */
	enum rmm_firmware firmware;
	struct granule_table gt;
	/*
	 * The memory map: a byte per 1 GiB of PA space (mem.c), allocated
	 * when the first range is described; NULL: all boot memory.
	 */
	uint8_t *mem;

	pthread_mutex_t meta;	/* realms[], recs[], ns[] membership */
	struct realm *realms[RMM_MAX_REALMS];
	struct rec *recs[RMM_MAX_RECS];
	struct ns_block **ns;
	size_t nns, cap_ns;

	struct rtt_pool pool;	/* the RTTs */

	/* statistics, atomic */
	uint64_t rtts_live, rtts_created, rtts_freed;
};

/* ---- commands ------------------------------------------------------------ */

#define LSIZE(l)	RMI_LEVEL_SIZE(l)
#define LSHIFT(l)	RMI_LEVEL_SHIFT(l)

/* A command's outputs, x0..x4; rmm_smc() zeroes them before the call. */
struct rmm_out {
	uint64_t x0, x1, x2, x3, x4;
};

static inline void ret_status(struct rmm_out *o, unsigned int st,
			      unsigned int idx)
{
	o->x0 = RMI_RETURN(st, idx);
}

/*
 * A command's handler: @x is the caller's x[0..7], @o the outputs. One
 * per enum rmi_cmd, named after the command; rmm.c holds the table.
 */
typedef void rmm_cmd_fn(struct rmm *m, const uint64_t *x, struct rmm_out *o);

struct rmm_cmd {
	rmm_cmd_fn *fn;
	unsigned int nargs;	/* input registers it defines: x1..x[nargs] */
};

/* cmd_realm.c */
rmm_cmd_fn cmd_version, cmd_features, cmd_rmm_activate;
rmm_cmd_fn cmd_realm_create, cmd_realm_activate, cmd_realm_terminate;
rmm_cmd_fn cmd_realm_destroy, cmd_rec_create, cmd_rec_destroy;
/* cmd_granule.c */
rmm_cmd_fn cmd_granule_range_delegate, cmd_granule_range_undelegate;
/* mem.c */
rmm_cmd_fn cmd_granule_tracking_get, cmd_granule_tracking_set;
rmm_cmd_fn cmd_gpt_l1_create, cmd_gpt_l1_destroy;
/* cmd_rtt.c */
rmm_cmd_fn cmd_rtt_create, cmd_rtt_destroy, cmd_rtt_fold;
rmm_cmd_fn cmd_rtt_read_entry;
/* cmd_ripas.c */
rmm_cmd_fn cmd_rtt_init_ripas, cmd_rtt_set_ripas;
/* cmd_map.c */
rmm_cmd_fn cmd_data_map_init, cmd_rtt_data_map, cmd_rtt_data_unmap;
rmm_cmd_fn cmd_rtt_unprot_map, cmd_rtt_unprot_unmap;

/* ---- helpers the commands share ------------------------------------------ */

static inline int realm_state(struct realm *r)
{
	return __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
}

static inline uint64_t ipa_space(const struct realm *r)
{
	return 1ull << r->s2sz;
}

static inline uint64_t prot_top(const struct realm *r)
{
	return 1ull << (r->s2sz - 1);
}

static inline unsigned int idx_of(uint64_t ipa, int level)
{
	return (unsigned int)(ipa >> LSHIFT(level)) & (RMI_RTT_ENTRIES - 1);
}

/* [@base, @top) is granule aligned, not empty and inside [@lo, @hi). */
static inline bool range_ok(uint64_t base, uint64_t top, uint64_t lo,
			    uint64_t hi)
{
	return !(base & 0xfff) && !(top & 0xfff) && base < top &&
	       base >= lo && top <= hi;
}

/* walk.c */

/*
 * A new RTT of @r at @level covering IPAs from @base, at @pa, from the
 * pool, returned LOCKED: the caller links it into its parent (or makes it
 * a root) and then unlocks it. With @zero its entries are all 0 (a page
 * never written costs nothing); else they are not set and the caller
 * writes all of them.
 */
struct rtt *rtt_new(struct rmm *m, const struct realm *r, int level,
		    uint64_t base, uint64_t pa, bool zero);

/* @t, locked, is being unlinked from its realm's tree: no walk may take
 * it for a table of the tree from now on. */
static inline void rtt_unlinked(struct rtt *t)
{
	__atomic_store_n(&t->uid, 0, __ATOMIC_RELAXED);
}

/* Gives an RTT no longer reachable back to the pool. */
void rtt_free(struct rmm *m, struct rtt *t);

/*
 * The table a thread's last walk ended at (walk.c): the realm's uid (0:
 * nothing remembered), the IPAs the table covers, its level.
 */
struct walk_cache {
	uint64_t uid;
	uint64_t base, span;
	int level;
	struct rtt *t;
};

extern __thread struct walk_cache rmm_wcache;

struct rtt *walk_slow(struct realm *r, uint64_t ipa, int target, int *level,
		      bool write);

/*
 * Walk from the root towards @target for @ipa (inside the IPA space),
 * locking hand over hand; stops at the first entry that is not a TABLE.
 * Returns the locked RTT holding the entry for @ipa at level *@level.
 * A thread's last table is remembered and taken again, checked, without
 * the walk from the root (walk.c). Inline: the remembered table at
 * @target itself, what most of a fault's walks come to; the rest in
 * walk_slow().
 */
static inline struct rtt *walk_(struct realm *r, uint64_t ipa, int target,
				int *level, bool write)
{
	const struct walk_cache *c = &rmm_wcache;

	if (c->uid == r->uid && ipa - c->base < c->span &&
	    c->level == target) {
		struct rtt *t = c->t;

		rtt_lock(t);
		if (t->uid == r->uid && t->base == c->base &&
		    t->level == target) {
			rtt_note(t, write);
			*level = target;
			return t;
		}
		rtt_unlock(t);
	}
	return walk_slow(r, ipa, target, level, write);
}

static inline struct rtt *walk(struct realm *r, uint64_t ipa, int target,
			       int *level)
{
	return walk_(r, ipa, target, level, true);
}

/* The same for a caller that only reads the table it returns. */
static inline struct rtt *walk_read(struct realm *r, uint64_t ipa,
				    int target, int *level)
{
	return walk_(r, ipa, target, level, false);
}

/* A new realm's uid (never 0). */
uint32_t realm_new_uid(void);

struct realm *realm_get_from(struct rmm *m, uint64_t rd, int from);

/* The live realm whose RD is @rd, or NULL. Inline: the first slot. */
static inline struct realm *realm_get(struct rmm *m, uint64_t rd)
{
	struct realm *r;

	if (!gt_valid(&m->gt, rd) || gt_get(&m->gt, rd) != RMI_GRANULE_RD)
		return NULL;
	r = __atomic_load_n(&m->realms[0], __ATOMIC_ACQUIRE);
	if (r && r->rd == rd &&
	    __atomic_load_n(&r->state, __ATOMIC_ACQUIRE) != REALM_GONE)
		return r;
	return realm_get_from(m, rd, 1);
}

/* The REC whose granule is @pa, or NULL. */
struct rec *rec_get(struct rmm *m, uint64_t pa);

/* mem.c */

#define MEM_SHIFT	RMI_TRACKING_REGION_SHIFT	/* a byte per 1 GiB */

/*
 * Whether the granule at @pa may change PAS (GRANULE_RANGE_DELEGATE): 0
 * (RMI_SUCCESS) if its 1 GiB is memory, FINE-tracked and has a level-1
 * GPT, else the status a delegate answers. On every delegate's path: one
 * load when no memory was described.
 */
unsigned int mem_delegable_slow(struct rmm *m, uint64_t pa);

static inline unsigned int mem_delegable(struct rmm *m, uint64_t pa)
{
	const uint8_t *mem = __atomic_load_n(&m->mem, __ATOMIC_ACQUIRE);

	if (__builtin_expect(!mem, 1) ||
	    !__atomic_load_n(&mem[pa >> MEM_SHIFT], __ATOMIC_ACQUIRE))
		return RMI_SUCCESS;
	return mem_delegable_slow(m, pa);
}

/* The memory map's bytes (0 if none is allocated), for model_bytes. */
uint64_t mem_bytes(const struct rmm *m);

/* rmm.c */

/*
 * Read @len bytes the host left in NS memory at @pa. The granule must be
 * NS (UNDELEGATED) and hold a block written by rmm_ns_write().
 */
bool ns_read(struct rmm *m, uint64_t pa, void *buf, size_t len);

/* The RMM may write to @pa: a granule-aligned NS (UNDELEGATED) granule. */
static inline bool ns_writable(struct rmm *m, uint64_t pa)
{
	return !(pa & (RMI_GRANULE_SIZE - 1)) && gt_valid(&m->gt, pa) &&
	       gt_get(&m->gt, pa) == RMI_GRANULE_UNDELEGATED;
}


#endif /* RMIBENCH_RMM_INTERNAL_H */
