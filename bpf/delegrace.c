// SPDX-License-Identifier: GPL-2.0-only
/*
 * delegrace: delegate races, re-faults per IPA with the top offenders, a
 * livelock warning past a bound, partial delegations, on a CCA host
 * (kvm_rmi trace events) or on the sim (its USDT probes).
 *
 * Races, folios and the livelock watch are kept in maps; partial
 * delegations depend on the order of events within each fault (a delegate
 * with 0 < done < size that no race follows), so those events also go
 * through the ring buffer to bench/metrics.c, which counts them as it
 * does for a result file.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "delegrace.h"
#include "delegrace.skel.h"
#include "cli.h"
#include "rmm.h"
#include "tool.h"

struct delegrace {
	struct tool t;
	struct delegrace_bpf *skel;
	unsigned long long bound;
	unsigned int top;
};

static struct delegrace dr = { .bound = 1000, .top = 10 };

enum { OPT_LIVELOCK = 0x2000, OPT_TOP };

static const struct argp_option options[] = {
	{ "livelock", OPT_LIVELOCK, "N", 0,
	  "warn when a vCPU faults N times more on one IPA while no RMI "
	  "call anywhere succeeds (1000, as rmibench run's "
	  "--livelock-faults)", 0 },
	{ "top", OPT_TOP, "N", 0, "the N most re-faulted folios (10)", 0 },
	{ 0 }
};

static int parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;

	switch (key) {
	case OPT_LIVELOCK:
		if (cli_parse_uint(arg, 1, UINT64_MAX, &v))
			return cli_bad_value(state, "livelock", arg,
					     "want a whole number, at least 1");
		dr.bound = v;
		return 0;
	case OPT_TOP:
		if (cli_parse_uint(arg, 0, 100000, &v))
			return cli_bad_value(state, "top", arg,
					     "want a whole number, at most 100000");
		dr.top = (unsigned int)v;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = TOOL_ARGP(options, parse,
	"Delegate races, re-faults per IPA, livelocks, partial delegations.");

struct folio_row {
	uint64_t ipa;
	struct dr_folio f;
};

struct stuck_row {
	uint64_t key;		/* tgid << 32 | vcpu */
	struct dr_vcpu v;
};

struct totals {
	struct dr_total t;
	uint64_t folios, refaults;
	struct folio_row *top;
	size_t ntop;
	struct stuck_row *stuck;
	size_t nstuck;
	struct run_result *m;	/* the metrics: partial delegations */
};

static int cmp_folio(const void *a, const void *b)
{
	const struct folio_row *x = a, *y = b;

	if (x->f.faults != y->f.faults)
		return x->f.faults > y->f.faults ? -1 : 1;
	if (x->f.races != y->f.races)
		return x->f.races > y->f.races ? -1 : 1;
	return x->ipa < y->ipa ? -1 : x->ipa > y->ipa;
}

static int read_totals(struct delegrace *s, struct totals *k)
{
	struct tool *t = &s->t;
	void *keys, *vals;
	uint32_t zero = 0;
	const void *pc;
	long n;

	/* the folios first: faults counted after them only add */
	n = tool_map_dump(s->skel->maps.folios, sizeof(uint64_t),
			  sizeof(struct dr_folio), &keys, &vals);
	if (n < 0)
		return tool_err(t, "cannot read the folio table");
	k->top = calloc((size_t)n + 1, sizeof(*k->top));
	if (!k->top) {
		free(keys);
		free(vals);
		return tool_err(t, "out of memory");
	}
	for (long i = 0; i < n; i++) {
		struct folio_row *r = &k->top[i];

		memcpy(&r->ipa, (char *)keys + i * sizeof(uint64_t),
		       sizeof(uint64_t));
		memcpy(&r->f, (char *)vals + i * sizeof(struct dr_folio),
		       sizeof(struct dr_folio));
		if (r->f.faults) {
			k->folios++;
			k->refaults += r->f.faults - 1;
		}
	}
	free(keys);
	free(vals);
	qsort(k->top, (size_t)n, sizeof(*k->top), cmp_folio);
	k->ntop = (size_t)n < s->top ? (size_t)n : s->top;
	pc = tool_percpu_lookup(t, s->skel->maps.total, &zero, sizeof(k->t));
	if (pc)
		tool_percpu_sum(t, pc, sizeof(k->t), &k->t);

	n = tool_map_dump(s->skel->maps.vcpus, sizeof(uint64_t),
			  sizeof(struct dr_vcpu), &keys, &vals);
	if (n < 0)
		return tool_err(t, "cannot read the vCPU table");
	k->stuck = calloc((size_t)n + 1, sizeof(*k->stuck));
	for (long i = 0; k->stuck && i < n; i++) {
		struct stuck_row r;

		memcpy(&r.key, (char *)keys + i * sizeof(uint64_t),
		       sizeof(uint64_t));
		memcpy(&r.v, (char *)vals + i * sizeof(struct dr_vcpu),
		       sizeof(struct dr_vcpu));
		if (r.v.warned)
			k->stuck[k->nstuck++] = r;
	}
	free(keys);
	free(vals);
	if (!k->stuck)
		return tool_err(t, "out of memory");
	k->m = calloc(1, sizeof(*k->m));
	if (!k->m || tool_feed_collect(t, k->m))
		return tool_err(t, "out of memory");
	return 0;
}

static const char *status_name(int b)
{
	return b < RMI_BPF_STATUS_OTHER ? rmi_status_name(b) : "OTHER";
}

static void print_text(struct delegrace *s, const struct totals *k)
{
	struct tool *t = &s->t;
	const struct dr_total *d = &k->t;

	if (t->o.pid)
		printf("delegrace: %s, pid %d (%s), %.3f s\n",
		       tool_backend_name(t->backend), (int)t->o.pid, t->binary,
		       t->t_end - t->t0);
	else
		printf("delegrace: %s, all processes, %.3f s\n",
		       tool_backend_name(t->backend), t->t_end - t->t0);
	printf("delegations %llu: all %llu, part %llu, nothing %llu; granules %llu; by status",
	       (unsigned long long)d->delegations,
	       (unsigned long long)d->full, (unsigned long long)d->partial,
	       (unsigned long long)d->none, (unsigned long long)d->granules);
	for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++)
		if (d->status[b])
			printf(" %s %llu", status_name(b),
			       (unsigned long long)d->status[b]);
	printf("\ndelegate races %llu\n", (unsigned long long)d->races);
	printf("partial delegations (faults that mapped only what was delegated) %llu\n",
	       (unsigned long long)k->m->counts.partial_delegations);
	printf("private faults %llu on %llu folios: re-faults %llu\n",
	       (unsigned long long)d->private_faults,
	       (unsigned long long)k->folios,
	       (unsigned long long)k->refaults);
	if (d->untracked)
		printf("WARNING: %llu faults found the folio table full: re-faults are short\n",
		       (unsigned long long)d->untracked);
	if (!k->nstuck)
		printf("livelock: no vCPU reached %llu no-progress re-faults of one IPA\n",
		       s->bound);
	for (size_t i = 0; i < k->nstuck; i++)
		printf("WARNING: possible livelock: pid %u vcpu %u faulted on IPA %#llx %llu times with no RMI call succeeding anywhere (bound %llu)\n",
		       (unsigned int)(k->stuck[i].key >> 32),
		       (unsigned int)k->stuck[i].key,
		       (unsigned long long)k->stuck[i].v.stuck_ipa,
		       (unsigned long long)k->stuck[i].v.max_same, s->bound);
	if (k->ntop && k->top[0].f.faults > 1) {
		printf("\nmost re-faulted folios\n%18s %10s %10s %10s\n", "IPA",
		       "FAULTS", "RE-FAULTS", "RACES");
		for (size_t i = 0; i < k->ntop && k->top[i].f.faults > 1;
		     i++)
			printf("%#18llx %10llu %10llu %10llu\n",
			       (unsigned long long)k->top[i].ipa,
			       (unsigned long long)k->top[i].f.faults,
			       (unsigned long long)k->top[i].f.faults - 1,
			       (unsigned long long)k->top[i].f.races);
	}
	tool_print_events(t, stdout);
}

static void print_json(struct delegrace *s, const struct totals *k,
		       bool final)
{
	json_object *o = tool_json_report(&s->t, final), *j, *r;
	const struct dr_total *d = &k->t;

#define ADD_U64(name, v) \
	json_object_object_add(o, name, json_object_new_uint64(v))
	ADD_U64("delegations", d->delegations);
	ADD_U64("delegated_all", d->full);
	ADD_U64("delegated_part", d->partial);
	ADD_U64("delegated_nothing", d->none);
	ADD_U64("granules_delegated", d->granules);
	j = json_object_new_object();
	for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++)
		if (d->status[b])
			json_object_object_add(j, status_name(b),
				json_object_new_uint64(d->status[b]));
	json_object_object_add(o, "delegate_by_status", j);
	ADD_U64("delegate_races", d->races);
	ADD_U64("partial_delegations", k->m->counts.partial_delegations);
	ADD_U64("faults_private", d->private_faults);
	ADD_U64("folios", k->folios);
	ADD_U64("refaults", k->refaults);
	ADD_U64("untracked", d->untracked);
	ADD_U64("livelock_bound", s->bound);
	ADD_U64("livelocks", d->livelocks);
#undef ADD_U64
	j = json_object_new_array();
	for (size_t i = 0; i < k->nstuck; i++) {
		r = json_object_new_object();
		json_object_object_add(r, "pid", json_object_new_uint64(
			k->stuck[i].key >> 32));
		json_object_object_add(r, "vcpu", json_object_new_uint64(
			(uint32_t)k->stuck[i].key));
		json_object_object_add(r, "ipa", json_object_new_uint64(
			k->stuck[i].v.stuck_ipa));
		json_object_object_add(r, "faults", json_object_new_uint64(
			k->stuck[i].v.max_same));
		json_object_array_add(j, r);
	}
	json_object_object_add(o, "livelocked", j);
	j = json_object_new_array();
	for (size_t i = 0; i < k->ntop && k->top[i].f.faults > 1; i++) {
		r = json_object_new_object();
		json_object_object_add(r, "ipa", json_object_new_uint64(
			k->top[i].ipa));
		json_object_object_add(r, "faults", json_object_new_uint64(
			k->top[i].f.faults));
		json_object_object_add(r, "races", json_object_new_uint64(
			k->top[i].f.races));
		json_object_array_add(j, r);
	}
	json_object_object_add(o, "top", j);
	tool_json_print(o);
}

static int report(struct tool *t, bool final, void *ctx)
{
	struct delegrace *s = ctx;
	struct totals k = { 0 };
	int rc;

	(void)t;
	rc = read_totals(s, &k);
	if (!rc && k.nstuck)
		snprintf(s->t.outcome, sizeof(s->t.outcome),
			 "possible livelock: vcpu %u faulted on IPA %#llx %llu times with no RMI call succeeding anywhere",
			 (unsigned int)k.stuck[0].key,
			 (unsigned long long)k.stuck[0].v.stuck_ipa,
			 (unsigned long long)k.stuck[0].v.max_same);
	if (!rc && s->t.o.json)
		print_json(s, &k, final);
	else if (!rc)
		print_text(s, &k);
	free(k.top);
	free(k.stuck);
	free(k.m);
	return rc;
}

TOOL_SKEL(delegrace);

static void opened(void *ctx, void *skel)
{
	struct delegrace *s = ctx;

	s->skel = skel;
	s->skel->rodata->livelock_bound = s->bound;
}

int main(int argc, char **argv)
{
	static const struct tool_def def = {
		.name = "delegrace",
		.argp = &argp,
		.events = DELEGRACE_EVENTS,
		.record = DELEGRACE_RECORD,
		.skel = &delegrace_skel,
		.opened = opened,
		.report = report,
	};

	return tool_main(&dr.t, &def, &dr, argc, argv);
}
