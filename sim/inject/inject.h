/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench sim: RMI error injection at the caller's call site, as the
 * kernel's fail_rmi does it (kernel/ patch 4): the RMM never knows.
 *
 * One rule grammar for every place a rule is written (`--inject`, rules
 * files, scenario INJECT lines): comma-separated key=value,
 *
 *   command=NAME|any   (required) the RMI command, e.g. RTT_CREATE
 *   status=NAME        (ERROR_INPUT) any status but SUCCESS
 *   index=N            (0) 0..255, x0 bits [15:8]
 *   probability=P      (100) 0..100, seeded: reproducible
 *   interval=N         (1) every Nth eligible call may fail
 *   times=N            (-1: no limit) failures left
 *   space=N            (0) N - 1 eligible calls pass first
 *   ipa=LO-HI          only calls naming an IPA in [LO, HI)
 *   pa=LO-HI           only calls naming a PA in [LO, HI)
 *   vcpu=N             only calls made for vCPU N
 *
 * Numbers and addresses use the size grammar (include/rmib_util.h):
 * 0x40000000, 1G, 1G+2M. Each key at most once.
 */
#ifndef RMIBENCH_INJECT_H
#define RMIBENCH_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmi_inject.h"

#define INJ_F_IPA	(1u << 0)
#define INJ_F_PA	(1u << 1)
#define INJ_F_VCPU	(1u << 2)

/* The vCPU id of calls no vCPU makes (the VMM's set-up and teardown). */
#define INJ_NO_VCPU	(~0u)

/* A rule: the kernel's fields plus the sim's filters. */
struct inj_rule {
	struct rmi_inject_rule r;
	unsigned int filters;		/* INJ_F_* given */
	unsigned int vcpu;
	uint64_t ipa_lo, ipa_hi;
	uint64_t pa_lo, pa_hi;
};

/* Parse one rule. 0, or -1 with one line naming the bad field in @err. */
int inj_rule_parse(const char *s, struct inj_rule *r, char *err,
		   size_t errlen);
/* The rule in the grammar, every field given; snprintf's return. */
int inj_rule_format(const struct inj_rule *r, char *buf, size_t len);

struct inj_state;

/* The rules of a run and their trigger state. */
struct injector {
	struct inj_state *s;
	unsigned int n;
	uint64_t seed;
	uint64_t draws;			/* probability draws so far */
	uint64_t fired;			/* failures injected */
};

/* 0, or -1 (no memory, or a rule no call can meet: probability > 100,
 * interval 0). @j is empty on error. */
int injector_init(struct injector *j, const struct inj_rule *rules,
		  unsigned int n, uint64_t seed);
void injector_fini(struct injector *j);

/* The IPA and PA a call names, if any (false: none). */
bool inj_call_ipa(uint32_t fid, const uint64_t x[8], uint64_t *ipa);
bool inj_call_pa(uint32_t fid, const uint64_t x[8], uint64_t *pa);

bool injector_check_slow(struct injector *j, uint32_t fid,
			 const uint64_t x[8], unsigned int vcpu,
			 uint64_t *x0);

/* Whether a rule may still fire. */
bool injector_armed(const struct injector *j);
/* A hash of the trigger state of the rules that may still fire (the
 * rule, failures left, calls to let through, calls seen) and of the
 * draws: two runs with the same one fail the same calls from here on. */
uint64_t injector_state_hash(const struct injector *j);

/*
 * Whether the call (fid, x[1..7]) by @vcpu fails now. If it does, *x0 is
 * the status word to return (every other output is zero). Thread-safe.
 */
static inline bool injector_check(struct injector *j, uint32_t fid,
				  const uint64_t x[8], unsigned int vcpu,
				  uint64_t *x0)
{
	if (__builtin_expect(!j || !j->n, 1))
		return false;
	return injector_check_slow(j, fid, x, vcpu, x0);
}

#endif /* RMIBENCH_INJECT_H */
