// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench sim: the injection rule grammar and its trigger, with the
 * semantics of the kernel's should_fail() (sim/inject/inject.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inject.h"
#include "rmi_abi.h"
#include "rmib_util.h"
#include "rmm.h"

struct inj_state {
	struct inj_rule rule;
	long times, space;
	unsigned long seen;
};

static int perr(char *err, size_t len, const char *fmt, const char *a,
		const char *b)
{
	snprintf(err, len, fmt, a, b);
	return -1;
}

/* "LO-HI" in the size grammar, LO < HI */
static int parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	const char *e;

	if (rmib_parse_size_prefix(s, &e, lo) || *e != '-' ||
	    rmib_parse_size(e + 1, hi) || *hi <= *lo)
		return -1;
	return 0;
}

int inj_rule_parse(const char *s, struct inj_rule *r, char *err,
		   size_t errlen)
{
	static const char *const keys[] = {
		"command", "status", "index", "probability", "interval",
		"times", "space", "ipa", "pa", "vcpu",
	};
	char buf[512], *tok, *save = NULL;
	unsigned int seen = 0;

	memset(r, 0, sizeof(*r));
	r->r = (struct rmi_inject_rule){ .status = RMI_ERROR_INPUT,
					 .probability = 100, .interval = 1,
					 .times = -1 };
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "rule too long");
		return -1;
	}
	/* every message quotes the rule: it must not carry a line break */
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(err, errlen, "control character %#x in the rule",
				 (unsigned char)*c);
			return -1;
		}
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		unsigned int k;
		uint64_t v;

		if (!eq)
			return perr(err, errlen, "'%s' is not key=value%s",
				    tok, "");
		*eq++ = '\0';
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strcmp(tok, keys[k]))
				break;
		if (k == sizeof(keys) / sizeof(keys[0]))
			return perr(err, errlen, "unknown key '%s' (command, status, index, probability, interval, times, space, ipa, pa, vcpu)%s",
				    tok, "");
		if (seen & (1u << k))
			return perr(err, errlen, "'%s' given twice%s", tok, "");
		seen |= 1u << k;
		switch (k) {
		case 0: {
			int64_t fid = rmi_cmd_fid(eq);

			if (fid < 0 && strcmp(eq, "any"))
				return perr(err, errlen,
					    "unknown command '%s'%s", eq, "");
			r->r.command = fid < 0 ? 0 : (unsigned int)fid;
			break;
		}
		case 1: {
			int st = rmi_status_from_name(eq);

			if (st < 0)
				return perr(err, errlen, "unknown status '%s'%s",
					    eq, "");
			if (st == RMI_SUCCESS)
				return perr(err, errlen, "status=%s injects nothing: name an error%s",
					    eq, "");
			r->r.status = (unsigned int)st;
			break;
		}
		case 2:
			if (rmib_parse_uint(eq, 0, 255, &v))
				goto bad;
			r->r.index = (unsigned int)v;
			break;
		case 3:
			if (rmib_parse_uint(eq, 0, 100, &v))
				goto bad;
			r->r.probability = (unsigned int)v;
			break;
		case 4:
			if (rmib_parse_uint(eq, 1, UINT32_MAX, &v))
				goto bad;
			r->r.interval = (unsigned long)v;
			break;
		case 5:
			if (!strcmp(eq, "-1")) {
				r->r.times = -1;
				break;
			}
			if (rmib_parse_uint(eq, 0, INT32_MAX, &v))
				goto bad;
			r->r.times = (long)v;
			break;
		case 6:
			if (rmib_parse_uint(eq, 0, INT32_MAX, &v))
				goto bad;
			r->r.space = (long)v;
			break;
		case 7:
			if (parse_range(eq, &r->ipa_lo, &r->ipa_hi))
				goto bad;
			r->filters |= INJ_F_IPA;
			break;
		case 8:
			if (parse_range(eq, &r->pa_lo, &r->pa_hi))
				goto bad;
			r->filters |= INJ_F_PA;
			break;
		case 9:
			if (rmib_parse_uint(eq, 0, 4095, &v))
				goto bad;
			r->vcpu = (unsigned int)v;
			r->filters |= INJ_F_VCPU;
			break;
		}
		continue;
bad:
		return perr(err, errlen, "bad value '%s' for %s", eq, tok);
	}
	if (!(seen & 1u)) {
		snprintf(err, errlen, "a rule needs command=NAME (or command=any)");
		return -1;
	}
	return 0;
}

int inj_rule_format(const struct inj_rule *r, char *buf, size_t len)
{
	const char *cmd = r->r.command ? rmi_cmd_name(r->r.command) : "any";
	const char *st = rmi_status_name(r->r.status);
	int n;

	n = snprintf(buf, len, "command=%s,status=%s,index=%u,probability=%u,interval=%lu,times=%ld,space=%ld",
		     cmd ? cmd : "?", st ? st : "?", r->r.index,
		     r->r.probability, r->r.interval, r->r.times, r->r.space);
	if (n < 0 || (size_t)n >= len)
		return n;
	if (r->filters & INJ_F_IPA)
		n += snprintf(buf + n, len - (size_t)n, ",ipa=%#llx-%#llx",
			      (unsigned long long)r->ipa_lo,
			      (unsigned long long)r->ipa_hi);
	if ((size_t)n < len && (r->filters & INJ_F_PA))
		n += snprintf(buf + n, len - (size_t)n, ",pa=%#llx-%#llx",
			      (unsigned long long)r->pa_lo,
			      (unsigned long long)r->pa_hi);
	if ((size_t)n < len && (r->filters & INJ_F_VCPU))
		n += snprintf(buf + n, len - (size_t)n, ",vcpu=%u", r->vcpu);
	return n;
}

int injector_init(struct injector *j, const struct inj_rule *rules,
		  unsigned int n, uint64_t seed)
{
	memset(j, 0, sizeof(*j));
	for (unsigned int i = 0; i < n; i++)
		if (rules[i].r.probability > 100 || !rules[i].r.interval)
			return -1;
	if (!n)
		return 0;
	j->s = calloc(n, sizeof(*j->s));
	if (!j->s)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		j->s[i].rule = rules[i];
		j->s[i].times = rules[i].r.times;
		j->s[i].space = rules[i].r.space;
	}
	j->n = n;
	j->seed = seed;
	return 0;
}

void injector_fini(struct injector *j)
{
	free(j->s);
	memset(j, 0, sizeof(*j));
}

bool inj_call_ipa(uint32_t fid, const uint64_t x[8], uint64_t *ipa)
{
	switch (fid) {
	case RMI_RTT_DATA_MAP:
	case RMI_RTT_DATA_UNMAP:
	case RMI_RTT_UNPROT_MAP:
	case RMI_RTT_UNPROT_UNMAP:
	case RMI_RTT_DESTROY:
	case RMI_RTT_FOLD:
	case RMI_RTT_READ_ENTRY:
	case RMI_RTT_INIT_RIPAS:
		*ipa = x[2];
		return true;
	case RMI_RTT_CREATE:
	case RMI_RTT_SET_RIPAS:
	case RMI_DATA_MAP_INIT:
		*ipa = x[3];
		return true;
	default:
		return false;
	}
}

bool inj_call_pa(uint32_t fid, const uint64_t x[8], uint64_t *pa)
{
	switch (fid) {
	case RMI_GRANULE_RANGE_DELEGATE:
	case RMI_GRANULE_RANGE_UNDELEGATE:
	case RMI_REALM_CREATE:
		*pa = x[1];
		return true;
	case RMI_RTT_CREATE:
	case RMI_REC_CREATE:
	case RMI_DATA_MAP_INIT:
		*pa = x[2];
		return true;
	case RMI_RTT_DATA_MAP:
	case RMI_RTT_UNPROT_MAP:
		/* the first descriptor's PA (SINGLE: the descriptor itself) */
		if (RMI_FLAGS_ADDR_TYPE(x[4]) != RMI_ADDR_TYPE_SINGLE)
			return false;
		*pa = RMI_DESC_ADDR(x[5]);
		return true;
	default:
		return false;
	}
}

static bool filters_match(const struct inj_rule *r, uint32_t fid,
			  const uint64_t x[8], unsigned int vcpu)
{
	uint64_t a;

	if ((r->filters & INJ_F_VCPU) && vcpu != r->vcpu)
		return false;
	if ((r->filters & INJ_F_IPA) &&
	    (!inj_call_ipa(fid, x, &a) || a < r->ipa_lo || a >= r->ipa_hi))
		return false;
	if ((r->filters & INJ_F_PA) &&
	    (!inj_call_pa(fid, x, &a) || a < r->pa_lo || a >= r->pa_hi))
		return false;
	return true;
}

/* As should_fail(): times, then space, then interval, then probability. */
static bool trigger(struct injector *j, struct inj_state *s)
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
	if (s->rule.r.interval > 1 &&
	    __atomic_add_fetch(&s->seen, 1, __ATOMIC_RELAXED) %
	    s->rule.r.interval)
		return false;
	if (s->rule.r.probability < 100) {
		uint64_t n = __atomic_fetch_add(&j->draws, 1,
						__ATOMIC_RELAXED);

		if (rmib_mix64(j->seed ^ (n * RMIB_GOLDEN)) % 100 >=
		    s->rule.r.probability)
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

bool injector_check_slow(struct injector *j, uint32_t fid,
			 const uint64_t x[8], unsigned int vcpu,
			 uint64_t *x0)
{
	for (unsigned int i = 0; i < j->n; i++) {
		struct inj_state *s = &j->s[i];

		if (s->rule.r.command && s->rule.r.command != fid)
			continue;
		if (s->rule.filters && !filters_match(&s->rule, fid, x, vcpu))
			continue;
		if (!trigger(j, s))
			continue;
		__atomic_fetch_add(&j->fired, 1, __ATOMIC_RELAXED);
		*x0 = RMI_RETURN(s->rule.r.status, s->rule.r.index);
		return true;
	}
	return false;
}

bool injector_armed(const struct injector *j)
{
	for (unsigned int i = 0; i < j->n; i++)
		if (j->s[i].times)
			return true;
	return false;
}

uint64_t injector_state_hash(const struct injector *j)
{
	uint64_t h = rmib_mix64(j->draws);

	/* a rule that can fire no more no longer matters */
	for (unsigned int i = 0; i < j->n; i++) {
		const struct inj_state *s = &j->s[i];
		const struct inj_rule *r = &s->rule;

		if (!s->times)
			continue;
		h = rmib_mix64(h ^ r->r.command ^ (uint64_t)r->r.status << 32);
		h = rmib_mix64(h ^ r->r.index ^ (uint64_t)r->r.probability << 32);
		h = rmib_mix64(h ^ r->r.interval ^ (uint64_t)r->filters << 48);
		h = rmib_mix64(h ^ r->vcpu ^ r->ipa_lo ^ r->ipa_hi << 1 ^
			       r->pa_lo << 2 ^ r->pa_hi << 3);
		h = rmib_mix64(h ^ (uint64_t)s->times);
		h = rmib_mix64(h ^ (uint64_t)s->space);
		h = rmib_mix64(h ^ s->seen);
	}
	return h;
}
