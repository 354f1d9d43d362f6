// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the metrics sink (bench/metrics.h).
 */
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "rmib_util.h"
#include "rmm.h"

/* ---- which folios were faulted on: sparse bitmaps of 4 KiB pages --------- */

#define CHUNK_SHIFT	30			/* a bitmap per 1 GiB */
#define CHUNK_BITS	(1u << (CHUNK_SHIFT - RMI_GRANULE_SHIFT))
#define CHUNK_WORDS	(CHUNK_BITS / 64)

struct chunk {
	uint64_t key;				/* ipa >> CHUNK_SHIFT */
	uint64_t *bits;
};

struct pageset {
	struct chunk *tab;			/* open addressing */
	size_t cap, n;
	struct chunk *last;			/* the chunk used last */
};

static struct chunk *pageset_find(struct pageset *s, uint64_t key,
				  bool create)
{
	size_t i;

	if (s->last && s->last->key == key)
		return s->last;
	if (s->cap) {
		for (i = rmib_mix64(key) & (s->cap - 1); s->tab[i].bits;
		     i = (i + 1) & (s->cap - 1))
			if (s->tab[i].key == key)
				return s->last = &s->tab[i];
	}
	if (!create)
		return NULL;
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct chunk *t = calloc(cap, sizeof(*t));

		if (!t)
			abort();
		for (size_t j = 0; j < s->cap; j++) {
			if (!s->tab[j].bits)
				continue;
			for (i = rmib_mix64(s->tab[j].key) & (cap - 1);
			     t[i].bits; i = (i + 1) & (cap - 1))
				;
			t[i] = s->tab[j];
		}
		free(s->tab);
		s->tab = t;
		s->cap = cap;
	}
	for (i = rmib_mix64(key) & (s->cap - 1); s->tab[i].bits;
	     i = (i + 1) & (s->cap - 1))
		;
	s->tab[i].key = key;
	s->tab[i].bits = calloc(CHUNK_WORDS, sizeof(uint64_t));
	if (!s->tab[i].bits)
		abort();
	s->n++;
	return s->last = &s->tab[i];
}

static inline void pageset_add(struct pageset *s, uint64_t ipa)
{
	uint64_t key = ipa >> CHUNK_SHIFT;
	/* the chunk used last, without a call: a fault's usual case */
	struct chunk *c = s->last && s->last->key == key ?
			  s->last : pageset_find(s, key, true);
	uint64_t page = (ipa >> RMI_GRANULE_SHIFT) & (CHUNK_BITS - 1);

	c->bits[page / 64] |= 1ull << (page % 64);
}

static void pageset_free(struct pageset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->tab[i].bits);
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

/* ---- streams -------------------------------------------------------------- */

/*
 * What streams count into: each stream its own shard (about 185 KB: the
 * histograms), so that concurrent streams share no line; or, where every
 * stream sends from one thread (metrics_one_shard()), one shard for all,
 * which keeps what each event writes in cache however many streams there
 * are. Counts and histograms are sums, so the merged result is the same.
 */
struct shard {
	struct run_counts c;
	struct hist lat_model, lat_wall, calls_per_fault;
	struct pageset faulted;			/* private folios, by base */
} __attribute__((aligned(64)));

/* A stream: where it counts, and the fault it has in progress. */
struct stream {
	struct metrics *m;
	struct shard *sh;
	enum metrics_phase phase;		/* a copy of m->phase */
	uint64_t *phase_calls;			/* its RMI call count in sh */
	uint64_t map_wall, map_model;		/* the fault in progress */
	bool partial;				/* it delegated only part */
	bool prep;				/* it met memory the RMM
						 * could not use yet */
} __attribute__((aligned(64)));

struct metrics {
	struct stream *s;
	unsigned int n;
	struct shard *sh;			/* nsh of them */
	void *sh_mem;				/* their allocation */
	unsigned int nsh;
	enum metrics_phase phase;
	int64_t live;				/* atomic: non-root RTTs */
	uint64_t peak;				/* atomic max of live */
	uint64_t live_at_teardown;
};

static void live_add(struct metrics *m, int64_t d)
{
	int64_t now = __atomic_add_fetch(&m->live, d, __ATOMIC_RELAXED);
	uint64_t peak = __atomic_load_n(&m->peak, __ATOMIC_RELAXED);

	while (now > 0 && (uint64_t)now > peak &&
	       !__atomic_compare_exchange_n(&m->peak, &peak, (uint64_t)now,
					    false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

/*
 * The commands whose calls count for more than their command and status:
 * a successful RTT_DESTROY or RTT_FOLD frees an RTT; a call on memory the
 * RMM could not use yet is a tracking or L1 GPT command, or a delegate it
 * refused for that (ERROR_TRACKING, ERROR_GPT).
 */
enum { CMD_FREES_RTT = 1, CMD_PREP = 2, CMD_PREP_IF_REFUSED = 4 };

static const unsigned char cmd_flags[RMI_CMD_COUNT] = {
	[RMI_CMD_RTT_DESTROY] = CMD_FREES_RTT,
	[RMI_CMD_RTT_FOLD] = CMD_FREES_RTT,
	[RMI_CMD_GRANULE_RANGE_DELEGATE] = CMD_PREP_IF_REFUSED,
	[RMI_CMD_GRANULE_TRACKING_GET] = CMD_PREP,
	[RMI_CMD_GRANULE_TRACKING_SET] = CMD_PREP,
	[RMI_CMD_GPT_L1_CREATE] = CMD_PREP,
	[RMI_CMD_GPT_L1_DESTROY] = CMD_PREP,
};

static void call_flagged(struct stream *s, unsigned int flags,
			 uint64_t status)
{
	if ((flags & CMD_FREES_RTT) && status == RMI_SUCCESS) {
		s->sh->c.rtts_destroyed++;
		live_add(s->m, -1);
	}
	if ((flags & CMD_PREP) ||
	    ((flags & CMD_PREP_IF_REFUSED) &&
	     (status == RMI_ERROR_TRACKING || status == RMI_ERROR_GPT))) {
		s->sh->c.memory_prep_calls++;
		s->prep = true;
	}
}

static void ev_rmi_call_exit(void *ctx, const struct rmi_ev_hdr *h,
			     uint64_t fid, uint64_t status, uint64_t index,
			     uint64_t x1)
{
	struct stream *s = ctx;
	unsigned int ci = rmi_cmd_index((uint32_t)fid);

	(void)h;
	(void)index;
	(void)x1;
	s->sh->c.rmi_calls++;
	(*s->phase_calls)++;	/* rmi_calls_setup, _fault or _teardown */
	if (ci >= RMI_CMD_COUNT)
		return;
	s->sh->c.by_cmd[ci][status > RMI_ERROR_GRANULE ? STATUS_OTHER : status]++;
	if (__builtin_expect(cmd_flags[ci] != 0, 0))
		call_flagged(s, cmd_flags[ci], status);
}

static void ev_realm_map_enter(void *ctx, const struct rmi_ev_hdr *h,
			       uint64_t vcpu, uint64_t ipa, uint64_t size,
			       uint64_t private)
{
	struct stream *s = ctx;

	(void)vcpu;
	(void)size;
	s->sh->c.faults++;
	if (private) {
		s->sh->c.faults_private++;
		pageset_add(&s->sh->faulted, ipa);
	} else {
		s->sh->c.faults_shared++;
	}
	s->map_wall = h->wall_ns;
	s->map_model = h->model_ns;
	s->partial = false;
	s->prep = false;
}

static void ev_realm_map_exit(void *ctx, const struct rmi_ev_hdr *h,
			      uint64_t vcpu, uint64_t ipa, uint64_t size,
			      uint64_t ret, uint64_t rmi_calls,
			      uint64_t rtts_created)
{
	struct stream *s = ctx;

	(void)vcpu;
	(void)ipa;
	(void)size;
	(void)rtts_created;
	/* a negative errno fails KVM_RUN; a positive RMI status re-enters
	 * the guest (it will fault again) */
	if ((int64_t)ret < 0)
		s->sh->c.guest_errors++;
	if (s->partial)
		s->sh->c.partial_delegations++;
	s->partial = false;
	if (s->prep)
		s->sh->c.memory_prep_faults++;
	s->prep = false;
	/* a fault the producer did not stamp (the sim stamps 1 in
	 * timing.fault_clock.every) has no wall-clock latency */
	if (h->wall_ns && s->map_wall)
		hist_add_ll(&s->sh->lat_wall, h->wall_ns - s->map_wall);
	hist_add_ll(&s->sh->lat_model, h->model_ns - s->map_model);
	hist_add_ll(&s->sh->calls_per_fault, rmi_calls);
}

static void ev_rtt_create(void *ctx, const struct rmi_ev_hdr *h, uint64_t ipa,
			  uint64_t level, uint64_t status)
{
	struct stream *s = ctx;

	(void)h;
	(void)ipa;
	(void)level;
	if (status == RMI_SUCCESS) {
		s->sh->c.rtts_created++;
		if (s->phase == METRICS_TEARDOWN)
			s->sh->c.rtts_created_teardown++;
		live_add(s->m, 1);
	}
}

static void ev_delegate(void *ctx, const struct rmi_ev_hdr *h, uint64_t phys,
			uint64_t size, uint64_t done, uint64_t status)
{
	struct stream *s = ctx;

	(void)h;
	(void)phys;
	(void)status;
	s->sh->c.granules_delegated += done >> RMI_GRANULE_SHIFT;
	/* a partial delegation the fault goes on with (no race follows) */
	if (done && done < size)
		s->partial = true;
}

static void ev_delegate_race(void *ctx, const struct rmi_ev_hdr *h,
			     uint64_t ipa, uint64_t phys, uint64_t size)
{
	struct stream *s = ctx;

	(void)h;
	(void)ipa;
	(void)phys;
	(void)size;
	s->sh->c.delegate_races++;
	s->partial = false;
}

static void ev_rmi_inject(void *ctx, const struct rmi_ev_hdr *h, uint64_t fid,
			  uint64_t status, uint64_t index)
{
	struct stream *s = ctx;

	(void)h;
	(void)fid;
	(void)status;
	(void)index;
	s->sh->c.injected++;
}

static const struct rmi_sink_ops metrics_ops = {
	.rmi_call_exit = ev_rmi_call_exit,
	.realm_map_enter = ev_realm_map_enter,
	.realm_map_exit = ev_realm_map_exit,
	.rtt_create = ev_rtt_create,
	.delegate = ev_delegate,
	.delegate_race = ev_delegate_race,
	.rmi_inject = ev_rmi_inject,
};

/*
 * @n zeroed shards, 64-byte aligned: calloc (which leaves the pages of a
 * large block to the kernel, zero until touched) and the alignment by
 * hand, so that shards no stream writes cost no memory.
 */
/* each stream's count of RMI calls of the phase, in its shard */
static void phase_calls_point(struct metrics *m)
{
	for (unsigned int i = 0; i < m->n; i++) {
		struct stream *s = &m->s[i];
		struct run_counts *c = &s->sh->c;

		s->phase_calls = m->phase == METRICS_SETUP ? &c->rmi_calls_setup :
				 m->phase == METRICS_FAULT ? &c->rmi_calls_fault :
							     &c->rmi_calls_teardown;
	}
}

static int shards_alloc(struct metrics *m, unsigned int n)
{
	uintptr_t p;

	m->sh_mem = n ? calloc(1, n * sizeof(struct shard) + 63) : NULL;
	if (n && !m->sh_mem)
		return -1;
	p = ((uintptr_t)m->sh_mem + 63) & ~(uintptr_t)63;
	m->sh = n ? (struct shard *)p : NULL;
	m->nsh = n;
	for (unsigned int i = 0; i < m->n; i++)
		m->s[i].sh = &m->sh[n == m->n ? i : 0];
	phase_calls_point(m);
	return 0;
}

static void shards_free(struct metrics *m)
{
	for (unsigned int i = 0; i < m->nsh; i++)
		pageset_free(&m->sh[i].faulted);
	free(m->sh_mem);
	m->sh = m->sh_mem = NULL;
	m->nsh = 0;
}

struct metrics *metrics_create(unsigned int nstreams)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (nstreams) {
		m->s = aligned_alloc(64, nstreams * sizeof(*m->s));
		if (!m->s) {
			free(m);
			return NULL;
		}
		memset(m->s, 0, nstreams * sizeof(*m->s));
	}
	m->n = nstreams;
	for (unsigned int i = 0; i < nstreams; i++)
		m->s[i].m = m;
	if (shards_alloc(m, nstreams)) {
		free(m->s);
		free(m);
		return NULL;
	}
	return m;
}

int metrics_one_shard(struct metrics *m)
{
	struct metrics old = *m;

	if (m->nsh <= 1)
		return 0;
	if (shards_alloc(m, 1)) {
		*m = old;	/* each stream keeps its own */
		return -1;
	}
	shards_free(&old);
	return 0;
}

void metrics_destroy(struct metrics *m)
{
	if (!m)
		return;
	shards_free(m);
	free(m->s);
	free(m);
}

struct rmi_sink metrics_sink(struct metrics *m, unsigned int stream)
{
	if (stream >= m->n)
		return (struct rmi_sink){ NULL, NULL };
	return (struct rmi_sink){ &metrics_ops, &m->s[stream] };
}

struct rmi_sink metrics_sink_for(void *m, unsigned int stream)
{
	return metrics_sink(m, stream);
}

void metrics_phase(struct metrics *m, enum metrics_phase p)
{
	if (p == METRICS_TEARDOWN && m->phase != METRICS_TEARDOWN)
		m->live_at_teardown = (uint64_t)(m->live > 0 ? m->live : 0);
	m->phase = p;
	/* each stream reads its own copy: no line shared with the live
	 * count, which every RTT made or freed writes */
	for (unsigned int i = 0; i < m->n; i++)
		m->s[i].phase = p;
	phase_calls_point(m);
}

/* Private folios faulted on by any stream: the union of the shards' sets. */
static uint64_t distinct_folios(struct metrics *m)
{
	struct pageset all = { 0 };
	uint64_t n = 0;

	for (unsigned int i = 0; i < m->nsh; i++) {
		struct pageset *s = &m->sh[i].faulted;

		for (size_t j = 0; j < s->cap; j++) {
			struct chunk *c;

			if (!s->tab[j].bits)
				continue;
			c = pageset_find(&all, s->tab[j].key, true);
			for (size_t w = 0; w < CHUNK_WORDS; w++)
				c->bits[w] |= s->tab[j].bits[w];
		}
	}
	for (size_t j = 0; j < all.cap; j++)
		for (size_t w = 0; all.tab[j].bits && w < CHUNK_WORDS; w++)
			n += (uint64_t)__builtin_popcountll(all.tab[j].bits[w]);
	pageset_free(&all);
	return n;
}

void metrics_collect(struct metrics *m, struct run_result *r)
{
	struct run_counts *k = &r->counts;

	for (unsigned int i = 0; i < m->nsh; i++) {
		struct shard *s = &m->sh[i];

		run_counts_merge(k, &s->c);
		/* the shards' histograms were filled by hist_add_ll() */
		hist_fill_log2(&s->lat_model);
		hist_fill_log2(&s->lat_wall);
		hist_fill_log2(&s->calls_per_fault);
		hist_merge(&r->lat_model, &s->lat_model);
		hist_merge(&r->lat_wall, &s->lat_wall);
		hist_merge(&r->calls_per_fault, &s->calls_per_fault);
	}
	/* a re-fault: a fault on a folio some stream had faulted on */
	k->refaults += k->faults_private - distinct_folios(m);
	k->rtt_pages_peak = m->peak;
	k->rtt_pages_end = m->phase == METRICS_TEARDOWN ?
			   m->live_at_teardown :
			   (uint64_t)(m->live > 0 ? m->live : 0);
}
