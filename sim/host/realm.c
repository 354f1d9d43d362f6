// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench sim: the realm's life cycle on the host side, and the leak
 * audit. Mirrors realm_create_rd(), kvm_activate_realm() and
 * kvm_destroy_realm() of the CCA host series.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define PAGE_SIZE	RMI_GRANULE_SIZE
#define GIB		(1ull << 30)
#define MIB2		(2ull << 20)

/* PA layout of the sim host: host pages, guest memory, shared memory */
#define HOST_PAGES_BASE	(16ull << 20)
#define HOST_PAGES_END	(64ull << 30)
#define GMEM_PA_BASE	(1ull << 40)
#define SHARED_PA_BASE	(1ull << 47)

extern void host_inject_cb(void *ctx, uint32_t fid, unsigned int status,
			   unsigned int index);

/* ---- backing memory ---------------------------------------------------------- */

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t gmem_folio_size(const struct gmem *g, uint64_t ipa)
{
	static const uint64_t mixed[3] = { GIB, MIB2, PAGE_SIZE };

	switch (g->mode) {
	case FOLIO_2M:
		return MIB2;
	case FOLIO_1G:
		return GIB;
	case FOLIO_MIXED:
		/* each 1 GiB of the slot gets one folio size, seeded */
		return mixed[mix64(g->seed ^ ((ipa - g->ipa_base) >> 30)) % 3];
	default:
		return PAGE_SIZE;
	}
}

uint64_t gmem_pa(const struct gmem *g, uint64_t ipa)
{
	return g->pa_base + (ipa - g->ipa_base);
}

/* ---- host pages ------------------------------------------------------------- */

uint64_t host_alloc_page(struct host *h)
{
	uint64_t pa = 0;

	pthread_mutex_lock(&h->page_lock);
	if (h->nfree) {
		pa = h->free_pages[--h->nfree];
	} else if (h->page_next < h->page_end) {
		pa = h->page_next;
		h->page_next += PAGE_SIZE;
	}
	pthread_mutex_unlock(&h->page_lock);
	return pa;
}

void host_free_page(struct host *h, uint64_t pa)
{
	pthread_mutex_lock(&h->page_lock);
	if (h->nfree == h->capfree) {
		size_t cap = h->capfree ? 2 * h->capfree : 1024;
		uint64_t *n = realloc(h->free_pages, cap * sizeof(*n));

		if (!n)
			abort();
		h->free_pages = n;
		h->capfree = cap;
	}
	h->free_pages[h->nfree++] = pa;
	pthread_mutex_unlock(&h->page_lock);
}

/* contiguous pages from the bump allocator (root RTTs) */
static uint64_t host_alloc_pages(struct host *h, unsigned int n)
{
	uint64_t pa;

	pthread_mutex_lock(&h->page_lock);
	pa = h->page_next;
	h->page_next += n * PAGE_SIZE;
	pthread_mutex_unlock(&h->page_lock);
	return pa;
}

/* ---- set-up -------------------------------------------------------------------- */

static int fail(char *err, size_t len, const char *msg)
{
	snprintf(err, len, "%s", msg);
	return -1;
}

int host_init(struct host *h, const struct run_config *cfg,
	      const struct cost_model *cost, char *err, size_t errlen)
{
	struct rmm_config mc = {
		.profile = rmm_profile_find(cfg->profile),
		.delegate_granules = cfg->delegate_granules,
		.pa_bits = 48,
	};
	uint64_t align = cfg->folio == FOLIO_4K ? PAGE_SIZE :
			 cfg->folio == FOLIO_2M ? MIB2 : GIB;

	memset(h, 0, sizeof(*h));
	if (!mc.profile)
		return fail(err, errlen, "unknown RMM profile");
	if (cfg->s2sz < 32 || cfg->s2sz > 48)
		return fail(err, errlen, "--s2sz must be 32..48");
	if (!cfg->size || cfg->ipa % align || cfg->size % align)
		return fail(err, errlen, cfg->folio == FOLIO_4K ?
			    "--ipa and --size must be multiples of 4 KiB and --size non-zero" :
			    cfg->folio == FOLIO_2M ?
			    "--ipa and --size must be multiples of 2 MiB with --folio 2m" :
			    "--ipa and --size must be multiples of 1 GiB with --folio 1g or mixed");
	if (cfg->ipa + cfg->size < cfg->ipa ||
	    cfg->ipa + cfg->size > 1ull << (cfg->s2sz - 1))
		return fail(err, errlen, "the memory (--ipa, --size) must lie in the protected half of the IPA space (below 2^(s2sz-1))");
	if (cfg->size > (256ull << 30))
		return fail(err, errlen, "--size larger than 256 GiB is not supported");
	if (!cfg->vcpus || cfg->vcpus > 512)
		return fail(err, errlen, "--vcpus must be 1..512");

	h->cfg = *cfg;
	h->cost = cost;
	h->strategy = cfg->strategy;
	h->v15_delegate = cfg->delegation == DELEG_V15;
	h->ia_bits = cfg->s2sz;
	h->start_level = rmi_start_level(cfg->s2sz);
	h->pgd_pages = rmi_root_rtts(cfg->s2sz);
	h->gmem = (struct gmem){ .mode = cfg->folio, .ipa_base = cfg->ipa,
				 .size = cfg->size, .pa_base = GMEM_PA_BASE,
				 .seed = cfg->seed };
	h->shared_pa_base = SHARED_PA_BASE;
	h->page_next = HOST_PAGES_BASE;
	h->page_end = HOST_PAGES_END;
	pthread_mutex_init(&h->page_lock, NULL);
	h->faulted = calloc((cfg->size / PAGE_SIZE + 63) / 64, 8);
	h->nvcpus = cfg->vcpus;
	h->vcpus = calloc(cfg->vcpus, sizeof(*h->vcpus));
	h->m = rmm_create(&mc);
	if (!h->faulted || !h->vcpus || !h->m)
		return fail(err, errlen, "out of memory");
	for (unsigned int i = 0; i < cfg->vcpus; i++) {
		struct host_vcpu *v = &h->vcpus[i];

		v->h = h;
		v->id = i;
		v->rng = mix64(cfg->seed * 0x100000001b3ull + i) | 1;
		v->last_fault_ipa = ~0ull;
	}
	h->setup.h = h;
	h->setup.id = cfg->vcpus;	/* the VMM thread */
	h->setup.rng = 1;
	return 0;
}

int host_set_inject(struct host *h, const struct rmi_inject_rule *rules,
		    unsigned int n)
{
	return rmm_set_inject(h->m, rules, n, h->cfg.seed, host_inject_cb, h);
}

void host_fini(struct host *h)
{
	rmm_destroy(h->m);
	free(h->faulted);
	free(h->vcpus);
	free(h->free_pages);
	pthread_mutex_destroy(&h->page_lock);
	memset(h, 0, sizeof(*h));
}

/* ripas_change(RIPAS_INIT) over the memslot */
static int realm_init_ipa_state(struct host_vcpu *v, uint64_t ipa,
				uint64_t end)
{
	struct host *h = v->h;
	uint64_t out[5], ret;

	while (ipa < end) {
		ret = host_rmi_call(v, RMI_RTT_INIT_RIPAS, h->rd, ipa, end, 0,
				    0, out);
		if (RMI_RETURN_STATUS(ret) == RMI_SUCCESS) {
			ipa = out[1];
		} else if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			int err_level = (int)RMI_RETURN_INDEX(ret);
			int level = rmi_rtt_map_level(ipa, end - ipa,
						      h->start_level);

			if (err_level >= level) {
				host_warn(v, "INIT_RIPAS: ERROR_RTT(%d) at the level the range needs",
					  err_level);
				return -ENXIO;
			}
			if (realm_create_rtt_levels(v, ipa, err_level, level))
				return -ENXIO;
		} else {
			host_warn(v, "INIT_RIPAS failed: %s",
				  status_str(ret));
			return -ENXIO;
		}
	}
	return 0;
}

int kvm_activate_realm(struct host *h)
{
	struct host_vcpu *v = &h->setup;
	struct rmi_realm_params p = { 0 };
	uint64_t out[5], params, ret;

	if (host_rmi_call(v, RMI_RMM_ACTIVATE, 0, 0, 0, 0, 0, NULL) ||
	    host_rmi_call(v, RMI_VERSION, RMI_VERSION_2_0, 0, 0, 0, 0, NULL)) {
		host_kill(h, "RMM activation or version check failed");
		return -ENXIO;
	}
	host_rmi_call(v, RMI_FEATURES, 0, 0, 0, 0, 0, out);
	if (RMI_FEAT0_S2SZ(out[1]) < h->ia_bits) {
		host_kill(h, "RMM supports S2SZ %u, the realm wants %u",
			  RMI_FEAT0_S2SZ(out[1]), h->ia_bits);
		return -ENXIO;
	}

	/* realm_create_rd() */
	h->rd = alloc_delegated_granule(v);
	h->pgd_phys = host_alloc_pages(h, h->pgd_pages);
	if (!h->rd || rmi_delegate_range(v, h->pgd_phys,
					 h->pgd_pages * PAGE_SIZE, NULL)) {
		host_kill(h, "delegating the RD or the root RTTs failed");
		return -ENXIO;
	}
	p.s2sz = h->ia_bits;
	p.rtt_level_start = h->start_level;
	p.rtt_num_start = h->pgd_pages;
	p.rtt_base = h->pgd_phys;
	params = host_alloc_page(h);
	rmm_ns_write(h->m, params, &p, sizeof(p));
	ret = host_rmi_call(v, RMI_REALM_CREATE, h->rd, params, 0, 0, 0, NULL);
	host_free_page(h, params);
	if (ret) {
		host_kill(h, "REALM_CREATE failed: %s",
			  status_str(ret));
		return -ENXIO;
	}

	/* kvm_create_rec() for each vCPU */
	for (unsigned int i = 0; i < h->nvcpus; i++) {
		struct host_vcpu *c = &h->vcpus[i];

		c->rec = alloc_delegated_granule(v);
		params = host_alloc_page(h);
		if (!c->rec ||
		    host_rmi_call(v, RMI_REC_CREATE, h->rd, c->rec, params, 0,
				  0, NULL)) {
			host_free_page(h, params);
			host_kill(h, "REC_CREATE for vcpu %u failed", i);
			return -ENXIO;
		}
		host_free_page(h, params);
	}

	if (realm_init_ipa_state(v, h->gmem.ipa_base,
				 h->gmem.ipa_base + h->gmem.size)) {
		host_kill(h, "INIT_RIPAS of the memslot failed");
		return -ENXIO;
	}
	ret = host_rmi_call(v, RMI_REALM_ACTIVATE, h->rd, 0, 0, 0, 0, NULL);
	if (ret) {
		host_kill(h, "REALM_ACTIVATE failed: %s",
			  status_str(ret));
		return -ENXIO;
	}
	return 0;
}

/* ---- teardown -------------------------------------------------------------------- */

static int realm_tear_down_rtt_level(struct host_vcpu *v, int level,
				     uint64_t start, uint64_t end)
{
	struct host *h = v->h;
	uint64_t map_size, addr, next, out[5], ret;
	int r;

	if (level > RMI_RTT_LAST_LEVEL)
		return -EINVAL;
	map_size = RMI_LEVEL_SIZE(level - 1);
	for (addr = start; addr < end; addr = next) {
		next = align_up(addr + 1, map_size);
		if (next > end || align_up(addr, map_size) != addr) {
			/* smaller than this level's span: one deeper */
			r = realm_tear_down_rtt_level(v, level + 1, addr,
						      next < end ? next : end);
			if (r)
				return r;
			continue;
		}
		ret = host_rmi_call(v, RMI_RTT_DESTROY, h->rd, addr,
				    (uint64_t)level, 0, 0, out);
		next = out[2];
		switch (RMI_RETURN_STATUS(ret)) {
		case RMI_SUCCESS:
			free_delegated_granule(v, out[1]);
			v->c.rtts_destroyed++;
			rtt_live_add(h, -1);
			break;
		case RMI_ERROR_RTT:
			if (next > addr)
				break;	/* no table here: skip */
			if ((int)RMI_RETURN_INDEX(ret) != level ||
			    level == RMI_RTT_LAST_LEVEL) {
				host_warn(v, "RTT_DESTROY: live table at level %d cannot be torn down",
					  level);
				return -EBUSY;
			}
			/* live: tear down its children, then retry */
			next = align_up(addr + 1, map_size);
			r = realm_tear_down_rtt_level(v, level + 1, addr, next);
			if (r)
				return r;
			next = addr;
			break;
		default:
			host_warn(v, "RTT_DESTROY failed: %s",
				  status_str(ret));
			return -ENXIO;
		}
	}
	return 0;
}

static void audit_one(void *ctx, uint64_t pa, enum rmi_granule_state st)
{
	struct run_counts *c = ctx;

	(void)pa;
	c->leaked_granules++;
	if ((unsigned int)st < RMI_GRANULE_STATE_COUNT)
		c->leaked_by_state[st]++;
}

void kvm_destroy_realm(struct host *h)
{
	struct host_vcpu *v = &h->setup;
	uint64_t prot = 1ull << (h->ia_bits - 1), ret;

	if (!h->rd)
		goto audit;
	/*
	 * kvm_stage2_unmap_range() over the protected half, in the 1 GiB
	 * chunks stage2_apply_range() cuts it into: shared, then private.
	 * As in the series, the last chunk's shared alias ends where it
	 * starts (end | shared bit == end) and is not unmapped.
	 */
	for (uint64_t a = 0; a < prot; a += GIB) {
		uint64_t e = a + GIB < prot ? a + GIB : prot;

		realm_unmap_shared_range(v, a, e);
		realm_unmap_private_range(v, a, e);
	}
	if (host_rmi_call(v, RMI_REALM_TERMINATE, h->rd, 0, 0, 0, 0, NULL)) {
		host_warn(v, "REALM_TERMINATE failed");
		goto audit;
	}
	/* root RTTs go with the RD: everything below them */
	realm_tear_down_rtt_level(v, h->start_level + 1, 0, 1ull << h->ia_bits);
	for (unsigned int i = 0; i < h->nvcpus; i++) {
		uint64_t rec = h->vcpus[i].rec;

		if (!rec)
			continue;
		if (host_rmi_call(v, RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL))
			host_warn(v, "REC_DESTROY failed");
		else
			free_delegated_granule(v, rec);
	}
	ret = host_rmi_call(v, RMI_REALM_DESTROY, h->rd, 0, 0, 0, 0, NULL);
	if (ret) {
		host_warn(v, "REALM_DESTROY failed: %s",
			  status_str(ret));
		goto audit;
	}
	free_delegated_granule(v, h->rd);
	if (rmi_undelegate_range(v, h->pgd_phys, h->pgd_pages * PAGE_SIZE))
		host_warn(v, "undelegate of the root RTTs failed");
audit:
	/* everything the host delegated must be back in the normal world */
	rmm_for_each_granule(h->m, audit_one, &v->c);
}

/* ---- results ------------------------------------------------------------------------ */

static void merge_counts(struct run_counts *d, const struct run_counts *s)
{
	const uint64_t *src = (const uint64_t *)s;
	uint64_t *dst = (uint64_t *)d;
	size_t n = offsetof(struct run_counts, warn) / sizeof(uint64_t);

	/* every counter before the warning list is a uint64_t to add */
	for (size_t i = 0; i < n; i++)
		dst[i] += src[i];
	for (unsigned int i = 0; i < s->nwarn; i++)
		warn_kind_add(d, s->warn[i].reason, s->warn[i].count);
}

void host_collect(struct host *h, struct run_result *r)
{
	memset(&r->counts, 0, sizeof(r->counts));
	for (unsigned int i = 0; i < h->nvcpus; i++) {
		struct host_vcpu *v = &h->vcpus[i];

		merge_counts(&r->counts, &v->c);
		hist_merge(&r->lat_model, &v->lat_model);
		hist_merge(&r->lat_wall, &v->lat_wall);
		hist_merge(&r->calls_per_fault, &v->calls_per_fault);
		if (v->clock_ns / 1e9 > r->virtual_seconds)
			r->virtual_seconds = (double)v->clock_ns / 1e9;
	}
	merge_counts(&r->counts, &h->setup.c);
	r->counts.rtt_pages_peak = h->rtts_peak;
	snprintf(r->outcome, sizeof(r->outcome), "%s",
		 h->dead ? h->why : "ok");
}
