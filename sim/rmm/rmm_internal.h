/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench RMM model: internal structures shared by the model's files.
 */
#ifndef RMIBENCH_RMM_INTERNAL_H
#define RMIBENCH_RMM_INTERNAL_H

#include <pthread.h>
#include <sched.h>

#include "granule.h"
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

struct rtt {
	unsigned int lock;
	int level;
	uint64_t pa;
	uint64_t e[RMI_RTT_ENTRIES] __attribute__((aligned(64)));
} __attribute__((aligned(64)));

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

static inline void rtt_lock(struct rtt *t)
{
	unsigned int spins = 0;

	while (__atomic_exchange_n(&t->lock, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&t->lock, __ATOMIC_RELAXED)) {
			if (++spins > 128)
				sched_yield();
			else
				cpu_relax();
		}
	}
}

static inline void rtt_unlock(struct rtt *t)
{
	__atomic_store_n(&t->lock, 0, __ATOMIC_RELEASE);
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

struct inject_state {
	struct rmi_inject_rule rule;
	long times;		/* atomic */
	long space;		/* atomic */
	unsigned long seen;	/* atomic: eligible calls after space */
};

struct rmm {
	struct rmm_profile prof;
	unsigned int delegate_granules;
	bool lpa2;
	bool activated;		/* atomic */
	struct granule_table gt;

	pthread_mutex_t meta;	/* realms[], recs[], ns[] membership */
	struct realm *realms[RMM_MAX_REALMS];
	struct rec *recs[RMM_MAX_RECS];
	struct ns_block **ns;
	size_t nns, cap_ns;

	unsigned int ninject;
	struct inject_state *inject;
	uint64_t inject_seed;
	uint64_t inject_draws;	/* atomic */
	rmm_inject_cb inject_cb;
	void *inject_ctx;

	/* statistics, atomic */
	uint64_t rtts_live, rtts_created, rtts_freed, injected;
};

/*
 * Walk from the root towards @target for @ipa (inside the IPA space),
 * locking hand over hand; stops at the first entry that is not a TABLE.
 * Returns the locked RTT holding the entry for @ipa at level *@level.
 */
struct rtt *walk(struct realm *r, uint64_t ipa, int target, int *level);

/* The live realm whose RD is @rd, or NULL. */
struct realm *realm_get(struct rmm *m, uint64_t rd);

#endif /* RMIBENCH_RMM_INTERNAL_H */
