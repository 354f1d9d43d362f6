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

/* ---- backing memory ---------------------------------------------------------- */

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
		return mixed[rmib_mix64(g->seed ^ ((ipa - g->ipa_base) >> 30)) % 3];
	default:
		return PAGE_SIZE;
	}
}

uint64_t gmem_pa(const struct gmem *g, uint64_t ipa)
{
	uint64_t off = ipa - g->ipa_base;

	return off < g->hp_off ? g->pa_base + off :
				 g->hp_pa + (off - g->hp_off);
}

/* ---- host pages ------------------------------------------------------------- */

uint64_t host_alloc_page(struct host *h)
{
	uint64_t pa = 0;

	rmm_fp_note(RMM_FP_HOST, HOST_RES_PAGES, HOST_RES_PAGES + 1, true);
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
	rmm_fp_note(RMM_FP_HOST, HOST_RES_PAGES, HOST_RES_PAGES + 1, true);
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

/*
 * @n contiguous pages from the bump allocator, naturally aligned to @n
 * pages rounded up to a power of two (the concatenated root RTTs are one
 * aligned block, rmi-facts 11.8; the pages skipped stay unused)
 */
static uint64_t host_alloc_pages(struct host *h, unsigned int n)
{
	uint64_t pa, align = PAGE_SIZE;

	while (align < n * PAGE_SIZE)
		align <<= 1;
	pthread_mutex_lock(&h->page_lock);
	pa = align_up(h->page_next, align);
	h->page_next = pa + n * PAGE_SIZE;
	pthread_mutex_unlock(&h->page_lock);
	return pa;
}

/* ---- set-up -------------------------------------------------------------------- */

static int fail(char *err, size_t len, const char *msg)
{
	snprintf(err, len, "%s", msg);
	return -1;
}

static const struct rmi_sink_ops no_events;

static struct rmi_sink sink_of(struct rmi_sink (*sink_for)(void *, unsigned int),
			       void *ctx, unsigned int stream)
{
	struct rmi_sink s = { &no_events, NULL };

	if (sink_for) {
		s = sink_for(ctx, stream);
		if (!s.ops)
			s.ops = &no_events;
	}
	return s;
}

struct rmib_fast_clock rmib_fast_clock;

int host_config_check(const struct host_config *cfg, char *err,
		      size_t errlen)
{
	uint64_t align = cfg->folio == FOLIO_4K ? PAGE_SIZE :
			 cfg->folio == FOLIO_2M ? MIB2 : GIB;
	const char *unit = cfg->folio == FOLIO_4K ? "4 KiB" :
			   cfg->folio == FOLIO_2M ? "2 MiB (--folio 2m)" :
			   "1 GiB (--folio 1g or mixed)";

	if (cfg->s2sz < 32 || cfg->s2sz > 48) {
		snprintf(err, errlen, "--s2sz %u: want 32..48", cfg->s2sz);
		return -1;
	}
	if (!cfg->size) {
		snprintf(err, errlen, "--size 0: want a size, e.g. 1G or 512M");
		return -1;
	}
	if (cfg->ipa % align || cfg->size % align) {
		snprintf(err, errlen, "--ipa %#llx, --size %#llx: both must "
			 "be multiples of %s", (unsigned long long)cfg->ipa,
			 (unsigned long long)cfg->size, unit);
		return -1;
	}
	if (cfg->ipa + cfg->size < cfg->ipa ||
	    cfg->ipa + cfg->size > 1ull << (cfg->s2sz - 1)) {
		snprintf(err, errlen, "--ipa %#llx, --size %#llx: the memslot "
			 "ends at %#llx, past the protected half of a %u-bit "
			 "IPA space (%#llx; a larger --s2sz?)",
			 (unsigned long long)cfg->ipa,
			 (unsigned long long)cfg->size,
			 (unsigned long long)(cfg->ipa + cfg->size),
			 cfg->s2sz, 1ull << (cfg->s2sz - 1));
		return -1;
	}
	if (cfg->size > HOST_MAX_SIZE) {
		snprintf(err, errlen, "--size %#llx: the sim runs memslots of "
			 "at most 256 GiB", (unsigned long long)cfg->size);
		return -1;
	}
	if (!cfg->vcpus || cfg->vcpus > RMIB_MAX_VCPUS) {
		snprintf(err, errlen, "--vcpus %u: want 1..%u", cfg->vcpus,
			 RMIB_MAX_VCPUS);
		return -1;
	}
	if (cfg->hotplug % GIB) {
		snprintf(err, errlen, "--hotplug %#llx: want a multiple of "
			 "1 GiB (the RMM's tracking region and L0GPT region)",
			 (unsigned long long)cfg->hotplug);
		return -1;
	}
	if (cfg->hotplug > cfg->size) {
		snprintf(err, errlen, "--hotplug %#llx is larger than --size "
			 "%#llx: the memslot's last --hotplug bytes come from "
			 "the hotplugged memory",
			 (unsigned long long)cfg->hotplug,
			 (unsigned long long)cfg->size);
		return -1;
	}
	return 0;
}

int host_init(struct host *h, const struct host_config *cfg,
	      const struct cost_model *cost,
	      struct rmi_sink (*sink_for)(void *ctx, unsigned int stream),
	      void *sink_ctx, char *err, size_t errlen)
{
	struct rmm_config mc = {
		.profile = rmm_profile_find(cfg->profile),
		.delegate_granules = cfg->delegate_granules,
		.pa_bits = 48,
		.firmware = cfg->firmware,
		/* det: one vCPU at a time, switching between RMI calls */
		.one_thread = cfg->scheduler != SCHED_THREADS,
	};

	memset(h, 0, sizeof(*h));
	rmib_fast_clock_init();	/* once per process: ~20 ms */
	if (host_config_check(cfg, err, errlen))
		return -1;
	if (!mc.profile)
		return fail(err, errlen, "unknown RMM profile");
	h->cfg = *cfg;
	h->cost = cost;
	h->strategy = cfg->strategy;
	h->v15_delegate = cfg->delegation == DELEG_V15;
	h->ia_bits = cfg->s2sz;
	h->start_level = rmi_start_level(cfg->s2sz);
	h->pgd_pages = rmi_root_rtts(cfg->s2sz);
	h->gmem = (struct gmem){ .mode = cfg->folio, .ipa_base = cfg->ipa,
				 .size = cfg->size, .pa_base = GMEM_PA_BASE,
				 .hp_off = cfg->size - cfg->hotplug,
				 .hp_pa = HOTPLUG_PA_BASE, .seed = cfg->seed };
	h->shared_pa_base = SHARED_PA_BASE;
	h->page_next = HOST_PAGES_BASE;
	h->page_end = HOST_PAGES_END;
	pthread_mutex_init(&h->page_lock, NULL);
	pthread_mutex_init(&h->mmu_wlock, NULL);
	h->stamp_every = 1;
	h->nvcpus = cfg->vcpus;
	h->vcpus = aligned_alloc(_Alignof(struct host_vcpu),
				 cfg->vcpus * sizeof(*h->vcpus));
	if (h->vcpus)
		memset(h->vcpus, 0, cfg->vcpus * sizeof(*h->vcpus));
	h->m = rmm_create(&mc);
	if (!h->vcpus || !h->m)
		return fail(err, errlen, "out of memory");
	for (unsigned int i = 0; i < cfg->vcpus; i++) {
		struct host_vcpu *v = &h->vcpus[i];

		v->h = h;
		v->id = i;
		v->rng = rmib_mix64(cfg->seed * 0x100000001b3ull + i) | 1;
		v->stamp_rng = rmib_mix64(~cfg->seed * 0x100000001b3ull + i) | 1;
		v->last_fault_ipa = ~0ull;
		v->fault_base = ~0ull;
		v->sink = sink_of(sink_for, sink_ctx, i);
		v->hdr.stream = i;
	}
	h->setup.h = h;
	h->setup.id = cfg->vcpus;	/* the VMM thread */
	h->setup.rng = 1;
	h->setup.sink = sink_of(sink_for, sink_ctx, cfg->vcpus);
	h->setup.hdr.stream = cfg->vcpus;
	/* the host boots, then memory may come (boot.c) */
	arm64_init_rmi(h);
	host_memory_hotplug(h);
	return 0;
}

int host_set_inject(struct host *h, const struct inj_rule *rules,
		    unsigned int n)
{
	injector_fini(&h->inj);
	return injector_init(&h->inj, rules, n, h->cfg.seed);
}

void host_fini(struct host *h)
{
	injector_fini(&h->inj);
	rmm_destroy(h->m);
	free(h->vcpus);
	free(h->free_pages);
	pthread_mutex_destroy(&h->page_lock);
	pthread_mutex_destroy(&h->mmu_wlock);
	memset(h, 0, sizeof(*h));
}

/*
 * ripas_change(RIPAS_INIT) over the memslot. ERROR_RTT: create the levels
 * the range needs and go again. If the RMM answers ERROR_RTT at (or
 * below) that level, creating finds nothing to do: v14 goes round for
 * ever (bounded here), v15 WARNs and fails.
 */
static int realm_init_ipa_state(struct host_vcpu *v, uint64_t ipa,
				uint64_t end)
{
	struct host *h = v->h;
	uint64_t out[5], ret;
	unsigned int spins = 0;

	while (ipa < end) {
		ret = host_rmi_call(v, RMI_RTT_INIT_RIPAS, h->rd, ipa, end, 0,
				    0, out);
		if (RMI_RETURN_STATUS(ret) == RMI_SUCCESS) {
			ipa = out[1];
			spins = 0;
		} else if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			int err_level = (int)RMI_RETURN_INDEX(ret);
			int level = rmi_rtt_map_level(ipa, end - ipa,
						      h->start_level);

			if (err_level >= level && h->cfg.version == HOST_V15) {
				host_warn(v, "INIT_RIPAS: ERROR_RTT(%d) at the level the range needs",
					  err_level);
				return -ENXIO;
			}
			if (realm_create_rtt_levels(v, ipa, err_level, level))
				return -ENXIO;
			/* every round without a SUCCESS counts: an ERROR_RTT
			 * above the needed level that creation cannot cure
			 * goes round as surely as one at it */
			if (host_spin(v, &spins, "ripas_change", ipa))
				return -ENXIO;
		} else {
			host_warn(v, "INIT_RIPAS failed: %s",
				  status_str(ret));
			return -ENXIO;
		}
	}
	return 0;
}

/*
 * realm_data_map_init(): one page of the initial image. Delegate it,
 * DATA_MAP_INIT, and on ERROR_RTT create the missing levels: v14 every
 * level down to 3 and one retry, v15 one level and go again. On failure
 * the page is undelegated (left to the RMM if that fails). Returns 0, a
 * negative errno, or (v14) the RMI status as the tree passes it up.
 */
static int realm_data_map_init(struct host_vcpu *v, uint64_t ipa,
			       uint64_t dst, uint64_t src)
{
	struct host *h = v->h;
	bool v14 = h->cfg.version == HOST_V14;
	unsigned int spins = 0;
	uint64_t ret;

	if (rmi_delegate_range(v, dst, PAGE_SIZE, NULL))
		return -ENXIO;
	for (;;) {
		int level;

		ret = host_rmi_call(v, RMI_DATA_MAP_INIT, h->rd, dst, ipa, src,
				    0, NULL);
		if (RMI_RETURN_STATUS(ret) != RMI_ERROR_RTT)
			break;
		level = (int)RMI_RETURN_INDEX(ret);
		if (level >= RMI_RTT_LAST_LEVEL) {
			host_warn(v, "DATA_MAP_INIT: ERROR_RTT at level 3");
			break;
		}
		if (realm_create_rtt_levels(v, ipa, level,
					    v14 ? RMI_RTT_LAST_LEVEL :
						  level + 1))
			break;
		if (v14) {
			ret = host_rmi_call(v, RMI_DATA_MAP_INIT, h->rd, dst,
					    ipa, src, 0, NULL);
			break;
		}
		if (host_spin(v, &spins, "realm_data_map_init", ipa))
			break;
	}
	if (!ret)
		return 0;
	if (rmi_undelegate_range(v, dst, PAGE_SIZE))
		host_warn(v, "undelegate after a failed DATA_MAP_INIT failed: page leaked");
	if (v14)
		return (int)RMI_RETURN_STATUS(ret);
	return -ENXIO;
}

/*
 * kvm_arm_rmi_populate() over the first @size bytes of the memslot, from
 * an NS source page. A failed page's return value: v15 fails the ioctl
 * (the VMM gives up); v14's positive RMI status reads as a count of pages
 * done, so the VMM goes on that many pages further.
 */
static int realm_populate(struct host_vcpu *v, uint64_t size)
{
	struct host *h = v->h;
	uint64_t src = host_alloc_page(h), ipa = h->gmem.ipa_base;
	uint64_t end = ipa + size;

	while (ipa < end && !h->dead) {
		int r = realm_data_map_init(v, ipa, gmem_pa(&h->gmem, ipa),
					    src);

		if (r < 0) {
			host_free_page(h, src);
			return r;
		}
		if (r > 0)
			host_warn(v, "populate: RMI status %d taken as %d pages done",
				  r, r);
		ipa += (uint64_t)(r > 0 ? r : 1) * PAGE_SIZE;
	}
	host_free_page(h, src);
	return h->dead ? -ENXIO : 0;
}

int kvm_activate_realm(struct host *h)
{
	struct host_vcpu *v = &h->setup;
	struct rmi_realm_params p = { 0 };
	uint64_t out[5], params, ret;

	if (h->rmi_unavailable) {
		/* kvm_init_rmi() found no RMI: no realm can be created */
		host_kill(h, "RMI is unavailable: %s", h->rmi_why);
		return -ENXIO;
	}
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

	/* realm_create_rd(): on failure it gives back what it delegated */
	h->rd = alloc_delegated_granule(v);
	if (!h->rd) {
		host_kill(h, "delegating the RD failed");
		return -ENXIO;
	}
	h->pgd_phys = host_alloc_pages(h, h->pgd_pages);
	if (rmi_delegate_range(v, h->pgd_phys, h->pgd_pages * PAGE_SIZE,
			       NULL)) {
		rmi_undelegate_range(v, h->pgd_phys, h->pgd_pages * PAGE_SIZE);
		free_delegated_granule(v, h->rd);
		h->rd = 0;
		host_kill(h, "delegating the root RTTs failed");
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
		if (rmi_undelegate_range(v, h->pgd_phys,
					 h->pgd_pages * PAGE_SIZE))
			host_warn(v, "undelegate of the root RTTs failed");
		free_delegated_granule(v, h->rd);
		h->rd = 0;
		host_kill(h, "REALM_CREATE failed: %s",
			  status_str(ret));
		return -ENXIO;
	}
	h->realm_created = true;

	/* kvm_create_rec() for each vCPU */
	for (unsigned int i = 0; i < h->nvcpus; i++) {
		struct host_vcpu *c = &h->vcpus[i];
		uint64_t rec = alloc_delegated_granule(v);

		params = host_alloc_page(h);
		if (!rec ||
		    host_rmi_call(v, RMI_REC_CREATE, h->rd, rec, params, 0,
				  0, NULL)) {
			host_free_page(h, params);
			if (rec)
				free_delegated_granule(v, rec);
			host_kill(h, "REC_CREATE for vcpu %u failed", i);
			return -ENXIO;
		}
		c->rec = rec;
		host_free_page(h, params);
	}

	if (realm_init_ipa_state(v, h->gmem.ipa_base,
				 h->gmem.ipa_base + h->gmem.size)) {
		host_kill(h, "INIT_RIPAS of the memslot failed");
		return -ENXIO;
	}
	if (h->cfg.populate && realm_populate(v, h->cfg.populate)) {
		host_kill(h, "populating the realm (DATA_MAP_INIT) failed");
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
	unsigned int spins = 0;
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
			if (host_spin(v, &spins, "realm_tear_down_rtt_level",
				      addr))
				return -EBUSY;
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
	struct host *h = ctx;

	(void)pa;
	h->leaked++;
	if ((unsigned int)st < RMI_GRANULE_STATE_COUNT)
		h->leaked_by_state[st]++;
}

/*
 * kvm_destroy_realm(), after the vCPUs' teardown. Both trees: the RECs go
 * first (kvm_destroy_vcpus), then the stage-2 unmap of the protected half
 * in one call (shared alias, then private), REALM_TERMINATE, the RTTs
 * below the roots, REALM_DESTROY, the RD, the root RTTs. Each failure
 * WARNs and stops: what is left stays delegated and the audit finds it.
 * v14 ignores the RTT teardown's result (REALM_DESTROY then fails if
 * anything is left); v15 WARNs and stops there.
 */
void kvm_destroy_realm(struct host *h)
{
	struct host_vcpu *v = &h->setup;
	uint64_t prot = 1ull << (h->ia_bits - 1), ret;
	int r;

	for (unsigned int i = 0; i < h->nvcpus; i++) {
		uint64_t rec = h->vcpus[i].rec;

		if (!rec)
			continue;
		if (host_rmi_call(v, RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL)) {
			host_warn(v, "REC_DESTROY failed");
			continue;
		}
		free_delegated_granule(v, rec);
		h->vcpus[i].rec = 0;
	}
	if (!h->realm_created)
		goto audit;	/* realm_create_rd() gave its pages back */
	realm_unmap_shared_range(v, 0, prot);
	realm_unmap_private_range(v, 0, prot);
	if (host_rmi_call(v, RMI_REALM_TERMINATE, h->rd, 0, 0, 0, 0, NULL)) {
		host_warn(v, "REALM_TERMINATE failed");
		goto audit;
	}
	/* root RTTs go with the RD: everything below them */
	r = realm_tear_down_rtt_level(v, h->start_level + 1, 0,
				      1ull << h->ia_bits);
	if (r && h->cfg.version == HOST_V15) {
		host_warn(v, "RTT teardown failed: %d", r);
		goto audit;
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
	rmm_for_each_granule(h->m, audit_one, h);
}

/* ---- the state a scheduled run's future depends on ----------------------- */

static uint64_t hash_warns(uint64_t x, const struct host_warns *w)
{
	x = rmm_hash_word(x, w->total);
	for (unsigned int i = 0; i < w->n; i++) {
		x = rmm_hash_word(x, w->kind[i].count);
		for (const char *p = w->kind[i].reason; *p; p++)
			x = rmm_hash_word(x, (unsigned char)*p);
	}
	return x;
}

uint64_t host_state_hash(struct host *h)
{
	uint64_t shared = 1ull << (h->ia_bits - 1);
	uint64_t lo = h->gmem.ipa_base, hi = lo + h->gmem.size;
	uint64_t x = 0x72756e73ull;	/* "runs" */

	x = rmm_hash_granules(h->m, HOST_PAGES_BASE, h->page_next, x);
	x = rmm_hash_granules(h->m, h->gmem.pa_base,
			      h->gmem.pa_base + h->gmem.size, x);
	x = rmm_hash_realm(h->m, h->rd, lo, hi, x);
	x = rmm_hash_realm(h->m, h->rd, lo | shared, hi | shared, x);
	x = rmm_hash_word(x, (uint64_t)h->dead);
	x = rmm_hash_word(x, (uint64_t)h->lock_readers << 1 | h->lock_writer);
	x = rmm_hash_word(x, h->page_next);
	x = rmm_hash_word(x, h->nfree);
	for (size_t i = 0; i < h->nfree; i++)
		x = rmm_hash_word(x, h->free_pages[i]);
	x = rmm_hash_word(x, injector_state_hash(&h->inj));
	for (unsigned int i = 0; i < h->nvcpus; i++) {
		const struct host_vcpu *v = &h->vcpus[i];

		x = rmm_hash_word(x, v->accesses);
		x = rmm_hash_word(x, v->fault_base);
		for (unsigned int j = 0; j < 6; j++)
			x = rmm_hash_word(x, v->last_call[j]);
		x = rmm_hash_word(x, (uint64_t)v->lock_held << 8 |
				     v->lock_wait);
		x = rmm_hash_word(x, v->guest_errors);
		x = hash_warns(x, &v->warns);
		/* the RNG decides only with a percentage strictly inside */
		if ((h->cfg.shared_pct && h->cfg.shared_pct < 100) ||
		    (h->cfg.ripas_pct && h->cfg.ripas_pct < 100))
			x = rmm_hash_word(x, v->rng);
	}
	return rmib_mix64(x);
}

/* ---- the backend's own report ----------------------------------------------- */

void host_report_before_teardown(struct host *h, struct host_report *r)
{
	struct rmm_stats st;

	rmm_get_stats(h->m, &st);
	r->model_bytes = st.model_bytes;
	rmm_realm_mapped_bytes(h->m, h->rd, h->gmem.ipa_base,
			       h->gmem.ipa_base + h->gmem.size,
			       r->mapped_bytes);
}

static void report_vcpu(struct host_report *r, const struct host_vcpu *v)
{
	r->accesses += v->accesses;
	r->ripas_changes += v->ripas_changes;
	r->lock_waits += v->lock_waits;
	r->lock_wait_ns += v->lock_wait_ns;
	r->guest_errors += v->guest_errors;
	for (unsigned int i = 0; i < v->warns.n; i++)
		host_warns_add(&r->warns, v->warns.kind[i].reason,
			       v->warns.kind[i].count);
	if ((double)v->clock_ns / 1e9 > r->virtual_seconds)
		r->virtual_seconds = (double)v->clock_ns / 1e9;
}

void host_report(struct host *h, struct host_report *r)
{
	for (unsigned int i = 0; i < h->nvcpus; i++)
		report_vcpu(r, &h->vcpus[i]);
	report_vcpu(r, &h->setup);
	r->boot_calls = h->boot_calls;
	r->leaked_granules = h->leaked;
	memcpy(r->leaked_by_state, h->leaked_by_state,
	       sizeof(r->leaked_by_state));
	r->death = (enum host_death)h->dead;
	r->invariants_ok = !rmm_check(h->m, r->invariant, sizeof(r->invariant));
	snprintf(r->outcome, sizeof(r->outcome), "%s",
		 h->dead ? h->why : "ok");
}
