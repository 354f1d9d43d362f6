// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the injection point. rmm_set_inject() installs the
 * rules; rmm_smc() asks inject_check() before a command runs.
 */
#include <stdlib.h>

#include "rmm_internal.h"

int rmm_set_inject(struct rmm *m, const struct rmi_inject_rule *rules,
		   unsigned int n, uint64_t seed, rmm_inject_cb cb, void *ctx)
{
	struct inject_state *st = NULL;

	for (unsigned int i = 0; i < n; i++)
		if (rules[i].probability > 100 || !rules[i].interval ||
		    rules[i].times < -1 || rules[i].space < 0 ||
		    rules[i].status > 0xff || rules[i].index > 0xff)
			return -1;
	if (n) {
		st = calloc(n, sizeof(*st));
		if (!st)
			return -1;
		for (unsigned int i = 0; i < n; i++) {
			st[i].rule = rules[i];
			st[i].times = rules[i].times;
			st[i].space = rules[i].space;
		}
	}
	free(m->inject);
	m->inject = st;
	m->ninject = n;
	m->inject_seed = seed;
	m->inject_draws = 0;
	m->inject_cb = cb;
	m->inject_ctx = ctx;
	return 0;
}

static uint64_t splitmix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* As should_fail(): times, then space, then interval, then probability. */
static bool inject_one(struct rmm *m, struct inject_state *s)
{
	long left;

	if (__atomic_load_n(&s->times, __ATOMIC_RELAXED) == 0)
		return false;
	/* as the kernel's should_fail(attr, 1): space N lets N - 1 through */
	left = __atomic_load_n(&s->space, __ATOMIC_RELAXED);
	while (left > 1) {
		if (__atomic_compare_exchange_n(&s->space, &left, left - 1,
						false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return false;
	}
	if (s->rule.interval > 1 &&
	    __atomic_add_fetch(&s->seen, 1, __ATOMIC_RELAXED) %
	    s->rule.interval)
		return false;
	if (s->rule.probability < 100) {
		uint64_t n = __atomic_fetch_add(&m->inject_draws, 1,
						__ATOMIC_RELAXED);

		if (splitmix64(m->inject_seed ^ (n * 0x9e3779b97f4a7c15ull)) %
		    100 >= s->rule.probability)
			return false;
	}
	left = __atomic_load_n(&s->times, __ATOMIC_RELAXED);
	while (left != 0) {
		if (left < 0)
			return true;
		if (__atomic_compare_exchange_n(&s->times, &left, left - 1,
						false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return true;
	}
	return false;
}

bool __attribute__((noinline))
inject_check(struct rmm *m, uint32_t fid, struct rmm_out *o)
{
	for (unsigned int i = 0; i < m->ninject; i++) {
		struct inject_state *s = &m->inject[i];

		if (s->rule.command && s->rule.command != fid)
			continue;
		if (!inject_one(m, s))
			continue;
		/* as the kernel's fail_rmi: the status, all outputs zero */
		ret_status(o, s->rule.status, s->rule.index);
		__atomic_fetch_add(&m->injected, 1, __ATOMIC_RELAXED);
		if (m->inject_cb)
			m->inject_cb(m->inject_ctx, fid, s->rule.status,
				     s->rule.index);
		return true;
	}
	return false;
}
