// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench explore: the search (explore.h).
 *
 * One run: a schedule (a failure point and runs of chosen vCPUs), made by
 * run_one() with the explorer as the sim's chooser. The chooser takes the
 * schedule's picks (replay_pick(), as `rmibench run --schedule` does),
 * records each decision (who could run, the default, who ran) and each
 * step's footprint, and past the schedule's choices hashes the state at
 * every decision: a state another run reached with no more choices ends
 * this one (pruned). A run that ends is classified; one that fails is a
 * finding (by class, failure point and, for a livelock, where).
 *
 * After a run, its races give the next level's schedules: for each step j
 * past the run's last choice, the latest earlier step i of another vCPU
 * whose footprint conflicts with j's; if j's vCPU could run at i, the
 * schedule that keeps the choices before i and runs j's vCPU at i for as
 * many decisions as it made from i to j (its steps in between and the
 * racing one) is queued, once.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "cli.h"
#include "config.h"
#include "explore.h"
#include "inject_matrix.h"
#include "rmm.h"
#include "run.h"
#include "workload.h"

static const char *const class_names[EXPLORE_CLASSES] = {
	"ok", "guest-error", "warn", "killed", "leak", "livelock",
	"invariant", "lost-access",
};

const char *explore_class_name(unsigned int cls)
{
	return cls < EXPLORE_CLASSES ? class_names[cls] : "?";
}

int explore_class_from_name(const char *s)
{
	for (int i = 0; i < EXPLORE_CLASSES; i++)
		if (!strcmp(s, class_names[i]))
			return i;
	return -1;
}

void explore_opts_default(struct explore_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bound = 1;
	o->random_runs = 1000;
	o->seed = 1;
	o->max_runs = 1000000;
	o->max_seconds = 60;
	o->failures = true;
	o->por = true;
	o->prune = true;
	o->until = -1;
	o->max_findings = 16;
	o->shrink_runs = 400;
	o->fail_calls = 2048;
}

/* ---- a hash set of 64-bit keys with a small value ------------------------- */

struct hset {
	uint64_t *key;		/* 0: empty */
	uint32_t *val;
	size_t cap, n;
	size_t max;		/* no more keys past this */
};

static uint64_t hkey(uint64_t k)
{
	return k ? k : 1;
}

static int hset_grow(struct hset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1u << 12;
	uint64_t *key = calloc(cap, sizeof(*key));
	uint32_t *val = calloc(cap, sizeof(*val));

	if (!key || !val) {
		free(key);
		free(val);
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;

		if (!s->key[i])
			continue;
		for (j = rmib_mix64(s->key[i]) & (cap - 1); key[j];
		     j = (j + 1) & (cap - 1))
			;
		key[j] = s->key[i];
		val[j] = s->val[i];
	}
	free(s->key);
	free(s->val);
	s->key = key;
	s->val = val;
	s->cap = cap;
	return 0;
}

/* The slot of @k: its own, or the empty one it would take (NULL: full). */
static size_t hset_slot(const struct hset *s, uint64_t k)
{
	size_t j = rmib_mix64(k) & (s->cap - 1);

	while (s->key[j] && s->key[j] != k)
		j = (j + 1) & (s->cap - 1);
	return j;
}

/* The value of @k, or false if it is not there. */
static bool hset_get(const struct hset *s, uint64_t k, uint32_t *v)
{
	size_t j;

	if (!s->cap)
		return false;
	k = hkey(k);
	j = hset_slot(s, k);
	if (!s->key[j])
		return false;
	*v = s->val[j];
	return true;
}

/* Set @k to @v (adding it if there is room). */
static void hset_put(struct hset *s, uint64_t k, uint32_t v)
{
	size_t j;

	k = hkey(k);
	if (s->cap && (j = hset_slot(s, k), s->key[j])) {
		s->val[j] = v;
		return;
	}
	if (s->n >= s->max)
		return;
	if ((s->n + 1) * 2 > s->cap && hset_grow(s))
		return;
	j = hset_slot(s, k);
	s->key[j] = k;
	s->val[j] = v;
	s->n++;
}

static void hset_free(struct hset *s)
{
	free(s->key);
	free(s->val);
	memset(s, 0, sizeof(*s));
}

/* ---- failure points and schedules to run --------------------------------------- */

struct xfp {
	bool fail;
	unsigned int cmd;		/* enum rmi_cmd */
	uint64_t n;			/* the Nth call of the run */
	unsigned int status, index;
	uint32_t decisions;		/* of its level-0 run */
};

struct xitem {
	uint32_t fp;
	unsigned int ndev;
	struct sched_dev dev[EXPLORE_MAX_BOUND];
};

struct xqueue {
	struct xitem *it;
	size_t n, cap;
};

static int xq_push(struct xqueue *q, const struct xitem *it)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 256;
		struct xitem *n = realloc(q->it, cap * sizeof(*n));

		if (!n)
			return -1;
		q->it = n;
		q->cap = cap;
	}
	q->it[q->n++] = *it;
	return 0;
}

/* ---- one run's record ------------------------------------------------------------ */

struct xstep {
	uint64_t runnable;
	unsigned char chosen, dflt;
	bool all, have_fp;
	uint32_t first, n;		/* footprint items in the pool */
	uint64_t key;			/* the state's hash, 0 if not made */
};

struct xrec {
	struct xstep *s;
	size_t n, cap;
	struct rmm_fp_item *item;
	size_t nitem, capitem;
	bool pruned, ended;
};

struct xplore {
	const struct explore_opts *o;
	struct explore_result *res;
	struct run_config cfg;		/* the scenario's run, no failure */
	struct xfp *fp;
	size_t nfp;
	struct hset states, queued;
	struct xrec rec;
	struct xpor *porp;
	struct replay rep;
	struct schedule sched;		/* of the run being made */
	struct sched_chooser chooser;
	uint32_t run_id;
	unsigned int devs;		/* the run's runs of choices */
	uint32_t free_from;		/* decisions past its choices */
	uint32_t fired_at;		/* the step its failure point fired
					 * in (UINT32_MAX: not yet) */
	bool prune_now, record_now;
	bool oom;
	uint32_t setup_calls[RMI_CMD_COUNT], work_calls[RMI_CMD_COUNT];
	uint64_t expected_accesses;
	double t0, last_progress;
	uint64_t rng;
	struct run_result *r;		/* scratch */
};

static void record_fp(struct xplore *x, size_t i,
		      const struct rmm_footprint *fp)
{
	struct xrec *rec = &x->rec;
	struct xstep *st = &rec->s[i];

	st->have_fp = true;
	st->all = fp->all;
	st->first = (uint32_t)rec->nitem;
	st->n = 0;
	if (fp->all)
		return;
	if (rec->nitem + fp->n > rec->capitem) {
		size_t cap = rec->capitem ? rec->capitem * 2 : 4096;
		struct rmm_fp_item *n;

		while (cap < rec->nitem + fp->n)
			cap *= 2;
		n = realloc(rec->item, cap * sizeof(*n));
		if (!n) {
			st->all = true;
			return;
		}
		rec->item = n;
		rec->capitem = cap;
	}
	memcpy(rec->item + rec->nitem, fp->it, fp->n * sizeof(*fp->it));
	rec->nitem += fp->n;
	st->n = fp->n;
}

/* ---- the chooser ------------------------------------------------------------------- */

static unsigned int x_choose(void *ctx, struct host *h,
			     const struct sched_decision *d)
{
	struct xplore *x = ctx;
	struct xrec *rec = &x->rec;
	uint64_t key = 0;
	unsigned int pick;

	if (x->record_now && d->fp && d->index && d->index - 1 < rec->n)
		record_fp(x, d->index - 1, d->fp);
	if (d->index == 0)
		for (unsigned int c = 0; c < RMI_CMD_COUNT; c++)
			x->setup_calls[c] = h->setup.calls_by_cmd[c];
	if (!d->runnable) {
		rec->ended = true;
		for (unsigned int c = 0; c < RMI_CMD_COUNT; c++) {
			x->work_calls[c] = 0;
			for (unsigned int i = 0; i < h->nvcpus; i++)
				x->work_calls[c] += h->vcpus[i].calls_by_cmd[c];
		}
		return SCHED_NONE;
	}
	if (x->fired_at == UINT32_MAX && d->index && h->inj.fired)
		x->fired_at = d->index - 1;
	pick = replay_pick(&x->rep, d);
	/* before a failure point fires, the run is its prefix's: nothing
	 * to meet another run in */
	if (x->prune_now && d->index >= x->free_from &&
	    !injector_armed(&h->inj)) {
		/* the default from here depends on who ran and who may */
		uint64_t k = host_state_hash(h) ^
			     rmib_mix64(d->runnable * 131 + d->prev + 7);
		uint32_t v;

		key = hkey(k);
		if (hset_get(&x->states, k, &v)) {
			unsigned int devs = v & 0xff;
			uint32_t run = v >> 8;

			if (run != (x->run_id & 0xffffff) && devs <= x->devs) {
				rec->pruned = true;
				return SCHED_STOP;
			}
			if (devs > x->devs)
				hset_put(&x->states, k,
					 (x->run_id & 0xffffff) << 8 | x->devs);
		} else {
			hset_put(&x->states, k,
				 (x->run_id & 0xffffff) << 8 | x->devs);
		}
	}
	if (x->record_now) {
		if (rec->n == rec->cap) {
			size_t cap = rec->cap ? rec->cap * 2 : 1024;
			struct xstep *n = realloc(rec->s, cap * sizeof(*n));

			if (!n) {
				x->oom = true;
				return pick;
			}
			rec->s = n;
			rec->cap = cap;
		}
		if (rec->n == d->index)
			rec->s[rec->n++] = (struct xstep){
				.runnable = d->runnable,
				.chosen = (unsigned char)pick,
				.dflt = (unsigned char)d->dflt,
				.key = key,
			};
	}
	return pick;
}

/* ---- making a run ------------------------------------------------------------------ */

/* The schedule of @fp and @dev in @s (kernel and scenario from @x). */
static void make_schedule(const struct xplore *x, uint32_t fpi,
			  const struct sched_dev *dev, unsigned int ndev,
			  struct schedule *s)
{
	const struct xfp *f = &x->fp[fpi];

	memset(s, 0, sizeof(*s));
	s->kernel = x->cfg.kernel;
	s->scen = x->o->scen;
	for (unsigned int i = 0; i < ndev; i++)
		schedule_add(s, dev[i].at, dev[i].count, dev[i].vcpu);
	if (f->fail) {
		s->fail = true;
		s->fail_cmd = f->cmd;
		s->fail_n = f->n;
		s->fail_status = f->status;
		s->fail_index = f->index;
	}
}

/*
 * Make the run of @s into x->r: with @search, recorded and pruned as the
 * options say. 0, or -1 with @err.
 */
static int exec_schedule(struct xplore *x, const struct schedule *s,
			 bool search, char *err, size_t errlen)
{
	struct run_config cfg = x->cfg;
	struct inj_rule rule;
	char text[192], why[256];
	unsigned int nrules = 0;
	int rc;

	if (s->fail) {
		schedule_fail_rule(s, text, sizeof(text));
		if (parse_inject_rule(text, &rule, why, sizeof(why)) ||
		    cfg_parse(&cfg, &run_config_fields[CFG_FIELD_inject], text,
			      why, sizeof(why))) {
			snprintf(err, errlen, "failure point %s: %s", text,
				 why);
			return -1;
		}
		nrules = 1;
	}
	x->sched = *s;
	x->rep = (struct replay){ .s = &x->sched };
	x->rec.n = x->rec.nitem = 0;
	x->rec.pruned = x->rec.ended = false;
	x->run_id++;
	x->devs = s->ndev;
	x->free_from = schedule_end(s);
	x->fired_at = s->fail ? UINT32_MAX : 0;
	x->prune_now = search && x->o->prune;
	x->record_now = search;
	x->chooser = (struct sched_chooser){ x_choose, x, search };
	backend_sim_set_chooser(&x->chooser);
	rc = run_one(&cfg, nrules ? &rule : NULL, nrules, x->r, why,
		     sizeof(why));
	backend_sim_set_chooser(NULL);
	if (rc) {
		char t[SCHED_TEXT_MAX];

		schedule_format(s, t, sizeof(t));
		snprintf(err, errlen, "schedule %s: %s", t, why);
		return -1;
	}
	if (x->oom) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* The class of a finished run, and whether it fails. */
static unsigned int run_class(const struct xplore *x,
			      const struct run_result *r, bool fail_point,
			      bool *fails)
{
	unsigned int cls = (unsigned int)r->outcome_class;

	/* every access mapped, or refused: the realm died, or the guest
	 * was told (no memslot, an external abort) */
	if (cls < OUTCOME_KILLED && !r->counts.guest_errors &&
	    r->counts.accesses < x->expected_accesses)
		cls = EXPLORE_LOST_ACCESS;
	if (cls == EXPLORE_LOST_ACCESS || cls == OUTCOME_LEAK ||
	    cls == OUTCOME_LIVELOCK || cls == OUTCOME_INVARIANT)
		*fails = true;
	else
		/* a WARN, a dead realm or an error to the guest answer an
		 * injected failure; without one they are failures */
		*fails = !fail_point && cls != OUTCOME_OK;
	return cls;
}

/* "leak", "livelock in rmi_delegate_range" */
static void class_place(unsigned int cls, const struct run_result *r,
			char *buf, size_t len)
{
	char fn[64];
	uint64_t ipa;

	if (cls == OUTCOME_LIVELOCK &&
	    im_parse_livelock(r->outcome, fn, sizeof(fn), &ipa))
		snprintf(buf, len, "livelock in %s", fn);
	else
		snprintf(buf, len, "%s", explore_class_name(cls));
}

static void fp_label(const struct schedule *s, char *buf, size_t len)
{
	const char *st = rmi_status_name(s->fail_status);

	if (!s->fail)
		snprintf(buf, len, "no failure point");
	else if (s->fail_index)
		snprintf(buf, len, "%s failing with %s.%u",
			 result_cmd_name(s->fail_cmd), st ? st : "?",
			 s->fail_index);
	else
		snprintf(buf, len, "%s failing with %s",
			 result_cmd_name(s->fail_cmd), st ? st : "?");
}

static double elapsed(const struct xplore *x)
{
	return rmib_now_s() - x->t0;
}

/* Count the run made; a failing one is a finding. True: stop (until). */
static bool note_run(struct xplore *x, const struct schedule *s)
{
	struct explore_stats *st = &x->res->st;
	const struct run_result *r = x->r;
	struct explore_finding *f = NULL;
	char place[80], label[96], key[192];
	unsigned int cls;
	bool fails;

	st->runs++;
	st->decisions += x->rep.decisions;
	if (x->rec.pruned) {
		st->pruned++;
		return false;
	}
	st->complete++;
	cls = run_class(x, r, s->fail, &fails);
	st->by_class[cls]++;
	if (!fails)
		return false;
	st->failing++;
	class_place(cls, r, place, sizeof(place));
	fp_label(s, label, sizeof(label));
	/* a failure some run shows with no failure point is that one */
	snprintf(key, sizeof(key), "%s, no failure point", place);
	for (unsigned int i = 0; i < x->res->nfind; i++)
		if (!strcmp(x->res->find[i].key, key))
			f = &x->res->find[i];
	snprintf(key, sizeof(key), "%s, %s", place, label);
	for (unsigned int i = 0; !f && i < x->res->nfind; i++)
		if (!strcmp(x->res->find[i].key, key))
			f = &x->res->find[i];
	if (!f && x->res->nfind < x->o->max_findings &&
	    x->res->nfind < EXPLORE_MAX_FINDINGS) {
		f = &x->res->find[x->res->nfind++];
		memset(f, 0, sizeof(*f));
		f->cls = cls;
		snprintf(f->key, sizeof(f->key), "%s", key);
		schedule_format(s, f->found, sizeof(f->found));
		f->found_s = elapsed(x);
		f->found_run = st->runs;
	}
	if (f)
		f->runs++;
	return x->o->until >= 0 && (unsigned int)x->o->until == cls;
}

/* ---- races: the next level's schedules ---------------------------------------- */

static int queue_alt(struct xplore *x, struct xqueue *q, uint32_t fpi,
		     const struct schedule *s, uint32_t at, unsigned int vcpu,
		     uint32_t count)
{
	struct xitem it = { .fp = fpi };
	struct schedule t = { .kernel = s->kernel, .scen = s->scen };
	uint64_t h = rmib_mix64(fpi + 1);
	uint32_t v;

	/* the choices before @at, then @vcpu */
	for (unsigned int i = 0; i < s->ndev && s->dev[i].at < at; i++) {
		uint32_t c = s->dev[i].count;

		if (s->dev[i].at + c > at)
			c = at - s->dev[i].at;
		schedule_add(&t, s->dev[i].at, c, s->dev[i].vcpu);
	}
	if (schedule_add(&t, at, count, vcpu) || t.ndev > x->o->bound)
		return 0;
	for (unsigned int i = 0; i < t.ndev; i++) {
		it.dev[i] = t.dev[i];
		h = rmib_mix64(h ^ ((uint64_t)t.dev[i].at << 24 ^
				    (uint64_t)t.dev[i].count << 6 ^
				    t.dev[i].vcpu));
	}
	it.ndev = t.ndev;
	/*
	 * A state the run hashed at @at decides its future: the same choice
	 * from the same state (a loop's next round, another prefix) with no
	 * fewer choices is the same schedule.
	 */
	if (at < x->rec.n && x->rec.s[at].key)
		h = rmib_mix64(x->rec.s[at].key ^ (uint64_t)vcpu << 40 ^
			       (uint64_t)count << 8 ^ 0x5a);
	if (hset_get(&x->queued, h, &v) && v <= t.ndev)
		return 0;
	hset_put(&x->queued, h, t.ndev);
	x->res->st.alternatives++;
	return xq_push(q, &it);
}

/* ---- happens-before: each step's vector clock, from a resource index ---------- */

#define POR_MAX_VCPUS	8	/* past it, every alternative is queued */
#define POR_RANGE_MAX	4096	/* a wider range is "everything" */

struct xres {
	uint64_t key;		/* kind << 56 | unit, + 1 */
	uint32_t gen;		/* the analysis it belongs to */
	int32_t last_w;
	int32_t last_r[POR_MAX_VCPUS];
};

struct xpor {
	struct xres *slot;
	size_t cap, n;
	uint32_t gen;
	int32_t *vc;		/* per step, one entry per vCPU */
	size_t vccap;
	int32_t *dep;		/* the steps the one at hand depends on */
	size_t ndep, depcap;
};

static struct xres *res_find(struct xpor *p, uint64_t key)
{
	size_t j;

	if ((p->n + 1) * 2 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4096;
		struct xres *n = calloc(cap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < p->cap; i++) {
			if (p->slot[i].gen != p->gen)
				continue;
			for (j = rmib_mix64(p->slot[i].key) & (cap - 1);
			     n[j].gen == p->gen; j = (j + 1) & (cap - 1))
				;
			n[j] = p->slot[i];
		}
		free(p->slot);
		p->slot = n;
		p->cap = cap;
	}
	for (j = rmib_mix64(key) & (p->cap - 1);
	     p->slot[j].gen == p->gen && p->slot[j].key != key;
	     j = (j + 1) & (p->cap - 1))
		;
	if (p->slot[j].gen != p->gen) {
		p->slot[j].key = key;
		p->slot[j].gen = p->gen;
		p->slot[j].last_w = -1;
		for (unsigned int v = 0; v < POR_MAX_VCPUS; v++)
			p->slot[j].last_r[v] = -1;
		p->n++;
	}
	return &p->slot[j];
}

static int dep_add(struct xpor *p, int32_t k)
{
	if (k < 0)
		return 0;
	if (p->ndep == p->depcap) {
		size_t cap = p->depcap ? p->depcap * 2 : 256;
		int32_t *n = realloc(p->dep, cap * sizeof(*n));

		if (!n)
			return -1;
		p->dep = n;
		p->depcap = cap;
	}
	p->dep[p->ndep++] = k;
	return 0;
}

/* The units an item names: granules and RTTs by page, host ids. */
static bool item_units(const struct rmm_fp_item *it, uint64_t *lo,
		       uint64_t *hi)
{
	unsigned int shift = it->kind == RMM_FP_HOST ? 0 : 12;

	*lo = it->lo >> shift;
	*hi = (it->hi + (1ull << shift) - 1) >> shift;
	return *hi - *lo <= POR_RANGE_MAX;
}

/* Whether step @st touches "everything" (no units to index). */
static bool step_all(const struct xrec *rec, const struct xstep *st)
{
	uint64_t lo, hi;

	if (st->all)
		return true;
	for (uint32_t i = 0; i < st->n; i++)
		if (!item_units(&rec->item[st->first + i], &lo, &hi))
			return true;
	return false;
}

/* The race (i, j): run j's vCPU at i, for its steps up to j. */
static int race(struct xplore *x, uint32_t fpi, const struct schedule *s,
		struct xqueue *next, size_t i, size_t j)
{
	const struct xrec *rec = &x->rec;
	unsigned int q = rec->s[j].chosen;
	uint32_t burst = 0;

	if (rec->s[i].runnable >> q & 1) {
		for (size_t k = i + 1; k <= j; k++)
			burst += rec->s[k].chosen == q;
		return queue_alt(x, next, fpi, s, (uint32_t)i, q, burst);
	}
	/* q could not run there: any other that could */
	for (unsigned int v = 0; v < 64; v++)
		if ((rec->s[i].runnable >> v & 1) && v != rec->s[i].chosen &&
		    queue_alt(x, next, fpi, s, (uint32_t)i, v, 1))
			return -1;
	return 0;
}

/*
 * The races of the run just made, from its first step past the last
 * choice but one: each step j and, per other vCPU p, the latest step i of
 * p that j depends on, unless i happened before j another way (through
 * j's vCPU's earlier steps or the other steps j depends on).
 */
static int analyze(struct xplore *x, uint32_t fpi, const struct schedule *s,
		   struct xqueue *next)
{
	const struct xrec *rec = &x->rec;
	struct xpor *p = x->porp;
	uint32_t from = s->ndev ? s->dev[s->ndev - 1].at : 0;
	uint64_t naive = 0, queued = x->res->st.alternatives;
	unsigned int nv = x->cfg.vcpus;
	int32_t last_of[POR_MAX_VCPUS], last_all = -1;
	size_t n = rec->n;

	/* steps whose footprint came: all but a pruned run's last */
	while (n && !rec->s[n - 1].have_fp)
		n--;
	if (from < x->fired_at)
		from = x->fired_at < n ? x->fired_at : (uint32_t)n;
	for (size_t j = from; j < n; j++)
		naive += (uint64_t)__builtin_popcountll(rec->s[j].runnable) - 1;
	if (!x->o->por || nv > POR_MAX_VCPUS) {
		for (size_t j = from; j < n; j++)
			for (unsigned int v = 0; v < 64; v++)
				if ((rec->s[j].runnable >> v & 1) &&
				    v != rec->s[j].chosen &&
				    queue_alt(x, next, fpi, s, (uint32_t)j, v,
					      1))
					return -1;
		return 0;
	}
	if (n * nv > p->vccap) {
		int32_t *vc = realloc(p->vc, n * nv * sizeof(*vc));

		if (!vc)
			return -1;
		p->vc = vc;
		p->vccap = n * nv;
	}
	p->gen++;
	p->n = 0;
	for (unsigned int v = 0; v < POR_MAX_VCPUS; v++)
		last_of[v] = -1;
	for (size_t j = 0; j < n; j++) {
		const struct xstep *st = &rec->s[j];
		unsigned int q = st->chosen;
		int32_t *vcj = p->vc + j * nv, prevq = last_of[q];
		bool all = step_all(rec, st);

		for (unsigned int v = 0; v < nv; v++)
			vcj[v] = prevq >= 0 ? p->vc[prevq * nv + v] : -1;
		p->ndep = 0;
		if (dep_add(p, last_all))
			return -1;
		if (all) {
			for (unsigned int v = 0; v < nv; v++)
				if (dep_add(p, last_of[v]))
					return -1;
		} else {
			for (uint32_t i = 0; i < st->n; i++) {
				const struct rmm_fp_item *it =
					&rec->item[st->first + i];
				uint64_t lo, hi;

				item_units(it, &lo, &hi);
				for (uint64_t u = lo; u < hi; u++) {
					struct xres *r = res_find(p,
						((uint64_t)it->kind << 56 | u) + 1);

					if (!r || dep_add(p, r->last_w))
						return -1;
					if (it->write)
						for (unsigned int v = 0; v < nv; v++)
							if (dep_add(p, r->last_r[v]))
								return -1;
				}
			}
		}
		for (size_t d = 0; d < p->ndep; d++)
			for (unsigned int v = 0; v < nv; v++)
				if (p->vc[p->dep[d] * nv + v] > vcj[v])
					vcj[v] = p->vc[p->dep[d] * nv + v];
		for (unsigned int v = 0; j >= from && v < nv; v++) {
			int32_t i = -1, known;

			if (v == q)
				continue;
			known = prevq >= 0 ? p->vc[prevq * nv + v] : -1;
			for (size_t d = 0; d < p->ndep; d++) {
				int32_t k = p->dep[d];

				if (rec->s[k].chosen == v) {
					if (k > i)
						i = k;
				} else if (p->vc[k * nv + v] > known) {
					known = p->vc[k * nv + v];
				}
			}
			/* with a failure point, the races from where it
			 * fired: before, the run is a run without it */
			if (i > known && (uint32_t)i >= x->fired_at &&
			    race(x, fpi, s, next, (size_t)i, j))
				return -1;
		}
		vcj[q] = (int32_t)j;
		last_of[q] = (int32_t)j;
		if (all) {
			last_all = (int32_t)j;
			continue;
		}
		for (uint32_t i = 0; i < st->n; i++) {
			const struct rmm_fp_item *it = &rec->item[st->first + i];
			uint64_t lo, hi;

			item_units(it, &lo, &hi);
			for (uint64_t u = lo; u < hi; u++) {
				struct xres *r = res_find(p,
					((uint64_t)it->kind << 56 | u) + 1);

				if (!r)
					return -1;
				if (it->write)
					r->last_w = (int32_t)j;
				else
					r->last_r[q] = (int32_t)j;
			}
		}
	}
	x->res->st.por_skipped += naive > x->res->st.alternatives - queued ?
				  naive - (x->res->st.alternatives - queued) : 0;
	return 0;
}

/* ---- failure points from the baseline ------------------------------------------- */

static int enumerate_fps(struct xplore *x)
{
	struct im_status sts[32];
	uint64_t rank_max = 0;
	size_t cap = 1;

	for (unsigned int c = 0; c < RMI_CMD_COUNT; c++) {
		unsigned int n = im_cmd_statuses(c, rmi_start_level(x->cfg.s2sz),
						  sts, 32);

		if (x->work_calls[c] > x->o->fail_calls)
			x->work_calls[c] = (uint32_t)x->o->fail_calls;
		cap += (size_t)x->work_calls[c] * n;
		if (x->work_calls[c] > rank_max)
			rank_max = x->work_calls[c];
	}
	x->fp = realloc(x->fp, cap * sizeof(*x->fp));
	if (!x->fp)
		return -1;
	x->nfp = 1;
	if (!x->o->failures)
		return 0;
	/* the first call of every command, then the second, ... */
	for (uint64_t r = 1; r <= rank_max; r++)
		for (int oi = 0, c; (c = im_cmd_order((unsigned int)oi)) >= 0;
		     oi++) {
			unsigned int n;

			if (x->work_calls[c] < r)
				continue;
			n = im_cmd_statuses((unsigned int)c,
					    rmi_start_level(x->cfg.s2sz), sts,
					    32);
			for (unsigned int k = 0; k < n; k++)
				x->fp[x->nfp++] = (struct xfp){
					.fail = true,
					.cmd = (unsigned int)c,
					.n = x->setup_calls[c] + r,
					.status = sts[k].status,
					.index = sts[k].index,
				};
		}
	x->res->st.failure_points = x->nfp - 1;
	return 0;
}

/* ---- the search ------------------------------------------------------------------- */

static void progress(struct xplore *x, bool last)
{
	const struct explore_stats *st = &x->res->st;
	double t = elapsed(x);

	if (!x->o->progress || (!last && t - x->last_progress < 0.5))
		return;
	x->last_progress = t;
	fprintf(stderr, "\rexplore: level %u, %llu runs (%llu pruned), %llu states, %llu failing, %.1f s%s",
		st->level, (unsigned long long)st->runs,
		(unsigned long long)st->pruned,
		(unsigned long long)st->states,
		(unsigned long long)st->failing, t, last ? "\n" : "  ");
}

/* Whether the budget is spent; says why in the stats. */
static bool budget_out(struct xplore *x)
{
	struct explore_stats *st = &x->res->st;

	if (st->runs >= x->o->max_runs) {
		snprintf(st->stopped, sizeof(st->stopped), "run limit");
		return true;
	}
	if (elapsed(x) >= x->o->max_seconds) {
		snprintf(st->stopped, sizeof(st->stopped), "time limit");
		return true;
	}
	return false;
}

/*
 * Run @it; queue its races into @next (NULL: none). 1 when the search
 * must stop (until), 0 to go on, -1 on error.
 */
static int search_one(struct xplore *x, const struct xitem *it,
		      struct xqueue *next, char *err, size_t errlen)
{
	struct schedule s;
	bool stop;

	make_schedule(x, it->fp, it->dev, it->ndev, &s);
	if (exec_schedule(x, &s, true, err, errlen))
		return -1;
	x->res->st.states = x->states.n;
	if (!it->ndev)
		x->fp[it->fp].decisions = (uint32_t)x->rep.decisions;
	stop = note_run(x, &s);
	progress(x, false);
	if (stop) {
		snprintf(x->res->st.stopped, sizeof(x->res->st.stopped),
			 "found %s", explore_class_name((unsigned int)x->o->until));
		return 1;
	}
	if (next && analyze(x, it->fp, &s, next)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void random_schedule(struct xplore *x, struct xitem *it)
{
	uint64_t *r = &x->rng;
	uint32_t len, at[EXPLORE_MAX_BOUND];
	unsigned int n;
	struct schedule s = { 0 };

	memset(it, 0, sizeof(*it));
	it->fp = x->nfp > 1 && rmib_xorshift(r) % 2 ?
		 (uint32_t)(1 + rmib_xorshift(r) % (x->nfp - 1)) : 0;
	len = x->fp[it->fp].decisions ? x->fp[it->fp].decisions :
	      x->res->st.baseline_decisions;
	if (!len)
		len = 1;
	n = 1 + (unsigned int)(rmib_xorshift(r) %
			       (x->o->bound < EXPLORE_MAX_BOUND ?
				x->o->bound + 1 : EXPLORE_MAX_BOUND));
	for (unsigned int i = 0; i < n; i++)
		at[i] = (uint32_t)(rmib_xorshift(r) % len);
	/* in order; overlapping ones fall away */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j && at[j - 1] > at[j]; j--) {
			uint32_t t = at[j];

			at[j] = at[j - 1];
			at[j - 1] = t;
		}
	for (unsigned int i = 0; i < n; i++)
		schedule_add(&s, at[i], 1 + (uint32_t)(rmib_xorshift(r) % 8),
			     (unsigned int)(rmib_xorshift(r) % x->cfg.vcpus));
	it->ndev = s.ndev;
	memcpy(it->dev, s.dev, s.ndev * sizeof(s.dev[0]));
}

static int search(struct xplore *x, char *err, size_t errlen)
{
	struct explore_stats *st = &x->res->st;
	struct xqueue q[EXPLORE_MAX_BOUND + 2] = { 0 };
	size_t next[EXPLORE_MAX_BOUND + 2] = { 0 };
	struct xitem base = { 0 };
	int rc = 0;

	/* the baseline: no failure point, no choice */
	rc = search_one(x, &base, x->o->bound ? &q[1] : NULL, err, errlen);
	if (rc)
		goto out;
	st->baseline_decisions = x->fp[0].decisions;
	for (unsigned int c = 0; c < RMI_CMD_COUNT; c++)
		st->baseline_calls += x->work_calls[c];
	if (enumerate_fps(x)) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	for (size_t i = 1; i < x->nfp; i++) {
		struct xitem it = { .fp = (uint32_t)i };

		if (xq_push(&q[0], &it)) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			goto out;
		}
	}
	/*
	 * One schedule from each level in turn: the early failure points'
	 * races come before the last failure point's default run.
	 */
	for (;;) {
		bool any = false;

		for (unsigned int level = 0; level <= x->o->bound; level++) {
			if (next[level] == q[level].n)
				continue;
			any = true;
			if (budget_out(x))
				goto out;
			if (level > st->level)
				st->level = level;
			rc = search_one(x, &q[level].it[next[level]++],
					level < x->o->bound ? &q[level + 1] :
							      NULL,
					err, errlen);
			if (rc)
				goto out;
		}
		if (!any)
			break;
	}
	st->exhausted = true;
	x->rng = rmib_mix64(x->o->seed) | 1;
	for (uint64_t i = 0; i < x->o->random_runs; i++) {
		struct xitem it;

		if (budget_out(x))
			goto out;
		random_schedule(x, &it);
		st->random++;
		rc = search_one(x, &it, NULL, err, errlen);
		if (rc)
			goto out;
	}
	snprintf(st->stopped, sizeof(st->stopped), "done");
out:
	for (unsigned int i = 0; i < EXPLORE_MAX_BOUND + 2; i++)
		free(q[i].it);
	progress(x, true);
	return rc < 0 ? -1 : 0;
}

/* ---- shrinking ------------------------------------------------------------------- */

/* Whether @s fails as @f does: the same class, and livelock place. */
static int same_failure(struct xplore *x, const struct explore_finding *f,
			const struct schedule *s, uint64_t *budget,
			char *err, size_t errlen)
{
	char place[96], want[96];
	unsigned int cls;
	bool fails;

	if (!*budget)
		return 0;
	(*budget)--;
	x->res->st.shrink_runs++;
	if (exec_schedule(x, s, false, err, errlen))
		return -1;
	cls = run_class(x, x->r, s->fail, &fails);
	if (!fails || cls != f->cls)
		return 0;
	class_place(cls, x->r, place, sizeof(place));
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(f->key, ","),
		 f->key);
	return !strcmp(place, want);
}

static void drop_dev(struct schedule *s, unsigned int k)
{
	memmove(&s->dev[k], &s->dev[k + 1],
		(s->ndev - k - 1) * sizeof(s->dev[0]));
	s->ndev--;
}

/*
 * Fewer choices, shorter runs of them, the earliest failure point (or
 * none), choices moved earlier: while the run still fails the same way.
 */
static int shrink(struct xplore *x, struct explore_finding *f, char *err,
		  size_t errlen)
{
	uint64_t budget = x->o->shrink_runs, before = x->res->st.shrink_runs;
	struct schedule s, t;
	bool changed = true;
	int k;

	if (schedule_parse(f->found, &s, err, errlen))
		return -1;
	while (changed && budget) {
		changed = false;
		if (s.fail) {
			t = s;
			t.fail = false;
			if ((k = same_failure(x, f, &t, &budget, err, errlen)) < 0)
				return -1;
			if (k) {
				s = t;
				changed = true;
			}
		}
		for (unsigned int i = 0; i < s.ndev; i++) {
			t = s;
			drop_dev(&t, i);
			if ((k = same_failure(x, f, &t, &budget, err, errlen)) < 0)
				return -1;
			if (k) {
				s = t;
				changed = true;
				i--;
			}
		}
		for (unsigned int i = 0; i < s.ndev; i++)
			while (s.dev[i].count > 1) {
				t = s;
				t.dev[i].count /= 2;
				if ((k = same_failure(x, f, &t, &budget, err,
						      errlen)) < 0)
					return -1;
				if (!k)
					break;
				s = t;
				changed = true;
			}
		for (unsigned int i = 0; i < s.ndev; i++) {
			uint32_t floor = i ? s.dev[i - 1].at +
					     s.dev[i - 1].count : 0;
			uint32_t step = s.dev[i].at - floor;

			/* the farthest move that still fails, halving */
			while (step && budget) {
				t = s;
				t.dev[i].at -= step;
				if ((k = same_failure(x, f, &t, &budget, err,
						      errlen)) < 0)
					return -1;
				if (k) {
					s = t;
					changed = true;
					step = s.dev[i].at - floor;
				} else {
					step /= 2;
				}
			}
		}
		if (s.fail && !changed) {
			/*
			 * The earliest failure point that still fails so: the
			 * command's first calls of the run, then halfway
			 * back from N, a quarter, ... (each a run)
			 */
			uint64_t first = x->setup_calls[s.fail_cmd] + 1;
			uint64_t cand[48];
			unsigned int nc = 0;

			for (uint64_t n = first; n < first + 16 && n < s.fail_n;
			     n++)
				cand[nc++] = n;
			for (uint64_t d = (s.fail_n - first) / 2; d >= 1 &&
			     nc < 48; d /= 2)
				if (s.fail_n - d >= first + 16)
					cand[nc++] = s.fail_n - d;
			for (unsigned int c = 0; c < nc && budget; c++) {
				t = s;
				t.fail_n = cand[c];
				if ((k = same_failure(x, f, &t, &budget, err,
						      errlen)) < 0)
					return -1;
				if (k) {
					s = t;
					changed = true;
					break;
				}
			}
		}
	}
	/* two runs of one vCPU that now touch are one */
	t = s;
	t.ndev = 0;
	for (unsigned int i = 0; i < s.ndev; i++)
		schedule_add(&t, s.dev[i].at, s.dev[i].count, s.dev[i].vcpu);
	s = t;
	schedule_format(&s, f->schedule, sizeof(f->schedule));
	f->shrink_runs = x->res->st.shrink_runs - before;
	f->choices = s.ndev;
	return 0;
}

/* The finding's run as `rmibench run --schedule` makes it. */
static int final_run(struct xplore *x, struct explore_finding *f, char *err,
		     size_t errlen)
{
	struct schedule s;

	if (schedule_parse(f->schedule, &s, err, errlen) ||
	    exec_schedule(x, &s, false, err, errlen))
		return -1;
	f->result = malloc(sizeof(*f->result));
	if (!f->result) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*f->result = *x->r;
	schedule_format(&s, f->result->schedule, sizeof(f->result->schedule));
	f->preemptions = x->rep.preemptions;
	snprintf(f->outcome, sizeof(f->outcome), "%s", x->r->outcome);
	f->leaked = x->r->counts.leaked_granules;
	f->warnings = x->r->counts.warnings;
	f->rmi_calls = x->r->counts.rmi_calls;
	f->faults = x->r->counts.faults;
	return 0;
}

/* ---- the whole ------------------------------------------------------------------- */

int explore_run(const struct explore_opts *o, struct explore_result *res,
		char *err, size_t errlen)
{
	struct xplore x = { .o = o, .res = res };
	int rc = -1;

	memset(res, 0, sizeof(*res));
	res->cfg = o->run.cfg;
	x.cfg = o->run.cfg;
	if (x.cfg.vcpus < 2 || x.cfg.vcpus > SCHED_CHOOSE_MAX_VCPUS) {
		snprintf(err, errlen, "explore takes 2 to %u vCPUs",
			 SCHED_CHOOSE_MAX_VCPUS);
		return -1;
	}
	if (o->bound > EXPLORE_MAX_BOUND) {
		snprintf(err, errlen, "the bound is at most %d",
			 EXPLORE_MAX_BOUND);
		return -1;
	}
	x.expected_accesses = run_config_accesses(&x.cfg);
	x.states.max = 1u << 22;
	x.queued.max = 1u << 22;
	x.fp = calloc(1, sizeof(*x.fp));
	x.r = malloc(sizeof(*x.r));
	x.porp = calloc(1, sizeof(*x.porp));
	if (!x.fp || !x.r || !x.porp) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	x.nfp = 1;
	x.t0 = rmib_now_s();
	if (search(&x, err, errlen))
		goto out;
	res->st.seconds = elapsed(&x);
	for (unsigned int i = 0; i < res->nfind; i++) {
		double t = rmib_now_s();

		if (shrink(&x, &res->find[i], err, errlen) ||
		    final_run(&x, &res->find[i], err, errlen))
			goto out;
		res->st.shrink_seconds += rmib_now_s() - t;
	}
	rc = 0;
out:
	hset_free(&x.states);
	hset_free(&x.queued);
	free(x.rec.s);
	free(x.rec.item);
	if (x.porp) {
		free(x.porp->slot);
		free(x.porp->vc);
		free(x.porp->dep);
		free(x.porp);
	}
	free(x.fp);
	free(x.r);
	return rc;
}

void explore_result_free(struct explore_result *res)
{
	for (unsigned int i = 0; i < res->nfind; i++)
		free(res->find[i].result);
	res->nfind = 0;
}

/* ---- output ------------------------------------------------------------------- */

/* @v as a shell word */
static size_t put_word(char *buf, size_t len, size_t used, const char *v)
{
	bool plain = *v != 0;
	int n;

	for (const char *p = v; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,+-#",
			    *p))
			plain = false;
	if (plain) {
		n = snprintf(buf + (used < len ? used : len),
			     used < len ? len - used : 0, " %s", v);
		return used + (n > 0 ? (size_t)n : 0);
	}
	n = snprintf(buf + (used < len ? used : len),
		     used < len ? len - used : 0, " '");
	used += n > 0 ? (size_t)n : 0;
	for (const char *p = v; *p; p++) {
		n = snprintf(buf + (used < len ? used : len),
			     used < len ? len - used : 0, *p == '\'' ?
			     "'\\''" : "%c", *p);
		used += n > 0 ? (size_t)n : 0;
	}
	n = snprintf(buf + (used < len ? used : len),
		     used < len ? len - used : 0, "'");
	return used + (n > 0 ? (size_t)n : 0);
}

void explore_command(const struct explore_opts *o, const char *schedule,
		     char *buf, size_t len)
{
	size_t used;
	int n;

	n = snprintf(buf, len, "%s run", cli_program());
	used = n > 0 ? (size_t)n : 0;
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];
		char v[512];

		if (!o->run.given[i] || i == CFG_FIELD_kernel)
			continue;
		n = snprintf(buf + (used < len ? used : len),
			     used < len ? len - used : 0, " --%s", f->opt);
		used += n > 0 ? (size_t)n : 0;
		if (f->kind == CFG_KIND_BOOL)
			continue;
		cfg_value_text(&o->run.cfg, f, v, sizeof(v));
		used = put_word(buf, len, used, v);
	}
	n = snprintf(buf + (used < len ? used : len),
		     used < len ? len - used : 0, " --schedule");
	used += n > 0 ? (size_t)n : 0;
	put_word(buf, len, used, schedule);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static json_object *jdbl(double v)
{
	return json_object_new_double(isfinite(v) ? v : 0);
}

char *explore_json(const struct explore_opts *o,
		   const struct explore_result *res)
{
	const struct explore_stats *st = &res->st;
	json_object *root = json_object_new_object(), *s, *c, *fa;
	char cmd[SCHED_TEXT_MAX + 512];
	char *text = NULL;

	if (!root)
		return NULL;
	json_object_object_add(root, "schema", jstr(EXPLORE_SCHEMA));
	json_object_object_add(root, "version", jstr(rmibench_version));
	json_object_object_add(root, "scenario", jstr(o->scen->name));
	json_object_object_add(root, "kernel", jstr(kernel_name(res->cfg.kernel)));
	s = json_object_new_object();
	json_object_object_add(s, "bound", ju64(o->bound));
	json_object_object_add(s, "random_runs", ju64(o->random_runs));
	json_object_object_add(s, "seed", ju64(o->seed));
	json_object_object_add(s, "max_runs", ju64(o->max_runs));
	json_object_object_add(s, "max_seconds", jdbl(o->max_seconds));
	json_object_object_add(s, "failure_points", json_object_new_boolean(o->failures));
	json_object_object_add(s, "por", json_object_new_boolean(o->por));
	json_object_object_add(s, "prune", json_object_new_boolean(o->prune));
	json_object_object_add(s, "until", o->until >= 0 ?
			       jstr(explore_class_name((unsigned int)o->until)) :
			       NULL);
	json_object_object_add(root, "search", s);
	s = json_object_new_object();
	json_object_object_add(s, "runs", ju64(st->runs));
	json_object_object_add(s, "complete", ju64(st->complete));
	json_object_object_add(s, "pruned", ju64(st->pruned));
	json_object_object_add(s, "states", ju64(st->states));
	json_object_object_add(s, "decisions", ju64(st->decisions));
	json_object_object_add(s, "alternatives", ju64(st->alternatives));
	json_object_object_add(s, "por_skipped", ju64(st->por_skipped));
	json_object_object_add(s, "failure_points", ju64(st->failure_points));
	json_object_object_add(s, "random", ju64(st->random));
	json_object_object_add(s, "failing", ju64(st->failing));
	json_object_object_add(s, "level", ju64(st->level));
	json_object_object_add(s, "exhausted", json_object_new_boolean(st->exhausted));
	json_object_object_add(s, "stopped", jstr(st->stopped));
	json_object_object_add(s, "seconds", jdbl(st->seconds));
	json_object_object_add(s, "runs_per_second",
			       jdbl(st->seconds > 0 ? (double)st->runs / st->seconds : 0));
	json_object_object_add(s, "shrink_runs", ju64(st->shrink_runs));
	json_object_object_add(s, "shrink_seconds", jdbl(st->shrink_seconds));
	json_object_object_add(s, "baseline_decisions", ju64(st->baseline_decisions));
	json_object_object_add(s, "baseline_calls", ju64(st->baseline_calls));
	c = json_object_new_object();
	for (unsigned int i = 0; i < EXPLORE_CLASSES; i++)
		json_object_object_add(c, explore_class_name(i),
				       ju64(st->by_class[i]));
	json_object_object_add(s, "complete_by_class", c);
	json_object_object_add(root, "stats", s);
	fa = json_object_new_array();
	for (unsigned int i = 0; i < res->nfind; i++) {
		const struct explore_finding *f = &res->find[i];
		json_object *j = json_object_new_object();

		json_object_object_add(j, "class", jstr(explore_class_name(f->cls)));
		json_object_object_add(j, "key", jstr(f->key));
		json_object_object_add(j, "schedule", jstr(f->schedule));
		json_object_object_add(j, "found_as", jstr(f->found));
		explore_command(o, f->schedule, cmd, sizeof(cmd));
		json_object_object_add(j, "command", jstr(cmd));
		json_object_object_add(j, "runs", ju64(f->runs));
		json_object_object_add(j, "found_after_seconds", jdbl(f->found_s));
		json_object_object_add(j, "found_after_runs", ju64(f->found_run));
		json_object_object_add(j, "shrink_runs", ju64(f->shrink_runs));
		json_object_object_add(j, "choices", ju64(f->choices));
		json_object_object_add(j, "preemptions", ju64(f->preemptions));
		json_object_object_add(j, "outcome", jstr(f->outcome));
		json_object_object_add(j, "leaked_granules", ju64(f->leaked));
		json_object_object_add(j, "warnings", ju64(f->warnings));
		json_object_object_add(j, "rmi_calls", ju64(f->rmi_calls));
		json_object_object_add(j, "faults", ju64(f->faults));
		json_object_array_add(fa, j);
	}
	json_object_object_add(root, "findings", fa);
	text = strdup(json_object_to_json_string_ext(root,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return text;
}
