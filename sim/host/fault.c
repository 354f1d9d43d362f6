// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench sim: the host's realm stage-2 fault path.
 *
 * Names and shapes follow arch/arm64/kvm/rmi.c of the CCA host series
 * (v14, May 2026; v15, July 2026). What differs between the versions under
 * review is isolated in small named functions:
 *
 *  - the RTT strategy on ERROR_RTT: rmi_rtt_create_last_level() from
 *    include/rtt_strategy.h (the same header the kernel patch uses), and
 *    whether the map retries once after creating (v14's "full") or loops
 *    back to DATA_MAP (v15's "one level", and "block");
 *  - delegation handling: rmi_delegate_range() reports how far it got;
 *    delegate_failed_v14() / delegate_failed_v15() decide what a failure
 *    means to realm_map_protected().
 */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "host.h"
#include "probes.h"

#define PAGE_SIZE	RMI_GRANULE_SIZE
#define LAST_LEVEL	RMI_RTT_LAST_LEVEL

static inline uint64_t level_mapsize(int level)
{
	return RMI_LEVEL_SIZE(level);
}

static inline bool is_aligned(uint64_t v, uint64_t a)
{
	return !(v & (a - 1));
}

/* find_map_level(): the shallowest level a [start, end) mapping fits. */
static int find_map_level(struct host *h, uint64_t start, uint64_t end)
{
	return rmi_rtt_map_level(start, end - start, h->start_level);
}

/*
 * A loop the kernel would spin in for as long as the RMM keeps answering
 * the same: bounded here. @spins counts rounds without progress; at
 * HOST_SPIN_BOUND the realm's run ends with "livelock in FN at ADDR".
 * Returns true when the caller must give up.
 */
bool host_spin(struct host_vcpu *v, unsigned int *spins, const char *fn,
	       uint64_t addr)
{
	if (++*spins < HOST_SPIN_BOUND)
		return false;
	host_livelock(v->h, "livelock in %s at %#llx: %u rounds without progress (the kernel would spin on)",
		      fn, (unsigned long long)addr, *spins);
	return true;
}

/* ---- delegation ---------------------------------------------------------- */

/* BUSY and BLOCKED are retried by both trees' range loops, without bound */
static bool rmi_retry_status(uint64_t ret)
{
	unsigned int st = RMI_RETURN_STATUS(ret);

	return st == RMI_BUSY || st == RMI_BLOCKED;
}

/*
 * --gpt on-demand, the review's sketch for memory added after boot
 * ("deferred to the actual use, handling RMI_ERROR_TRACKING /
 * RMI_ERROR_GPT"); no tree has it. A delegate refused with @status at
 * @pa:
 *  - ERROR_TRACKING: GRANULE_TRACKING_GET of its tracking region; if it
 *    is CONVENTIONAL memory, GRANULE_TRACKING_SET it FINE (already FINE:
 *    another vCPU did it). Other memory the host leaves alone.
 *  - ERROR_GPT: GPT_L1_CREATE of its L0GPT region (ERROR_GPT back:
 *    another vCPU made it).
 * Returns true to delegate again.
 */
static bool rmi_prepare_on_demand(struct host_vcpu *v, uint64_t pa,
				  unsigned int status)
{
	struct host *h = v->h;
	uint64_t base, out[5], ret;

	if (status == RMI_ERROR_TRACKING) {
		base = align_down(pa, RMI_TRACKING_REGION_SIZE);
		v->no_progress = true;	/* a query changes nothing */
		ret = host_rmi_call(v, RMI_GRANULE_TRACKING_GET, base,
				    base + RMI_TRACKING_REGION_SIZE, 0, 0, 0,
				    out);
		v->no_progress = false;
		if (ret || out[1] != RMI_MEM_CATEGORY_CONVENTIONAL)
			return false;
		if (out[2] == RMI_TRACKING_FINE)
			return true;
		ret = host_rmi_call(v, RMI_GRANULE_TRACKING_SET, base,
				    RMI_MEM_CATEGORY_CONVENTIONAL,
				    RMI_TRACKING_FINE, 0, 0, NULL);
		return ret == RMI_SUCCESS;
	}
	ret = host_rmi_call(v, RMI_GPT_L1_CREATE, align_down(pa, h->l0gpt_size),
			    0, 0, 0, 0, NULL);
	return ret == RMI_SUCCESS || ret == RMI_RETURN(RMI_ERROR_GPT, 0);
}

static bool unprepared_status(unsigned int st)
{
	return st == RMI_ERROR_TRACKING || st == RMI_ERROR_GPT;
}

/*
 * Delegate [phys, phys + size), one RMI call per step of the RMM's
 * granules-per-call, retrying BUSY and BLOCKED (and, --gpt on-demand,
 * after preparing memory the RMM could not use yet). Returns 0 or
 * -ENXIO; *delegated_phys (if given) is how far it got: v15's interface.
 * v14's callers ignore it. A refusal is noted for the livelock watch.
 */
int rmi_delegate_range(struct host_vcpu *v, uint64_t phys, uint64_t size,
		       uint64_t *delegated_phys)
{
	uint64_t top = phys + size, addr = phys, out[5], ret = 0;
	unsigned int spins = 0, st;

	while (addr < top) {
		ret = host_rmi_call(v, RMI_GRANULE_RANGE_DELEGATE, addr, top,
				    0, 0, 0, out);
		st = RMI_RETURN_STATUS(ret);
		if (rmi_retry_status(ret) ||
		    (unprepared_status(st) && v->h->cfg.gpt == GPT_ON_DEMAND &&
		     rmi_prepare_on_demand(v, addr, st))) {
			if (host_spin(v, &spins, "rmi_delegate_range", addr))
				break;
			continue;
		}
		if (st != RMI_SUCCESS) {
			v->deleg_fail = st;
			v->deleg_fail_pa = addr;
			break;
		}
		spins = 0;
		addr = out[1];
	}
	host_ev_delegate(v, phys, size, addr - phys, RMI_RETURN_STATUS(ret));
	if (delegated_phys)
		*delegated_phys = addr;
	return addr < top ? -ENXIO : 0;
}

int rmi_undelegate_range(struct host_vcpu *v, uint64_t phys, uint64_t size)
{
	uint64_t top = phys + size, addr = phys, out[5], ret;
	unsigned int spins = 0;

	while (addr < top) {
		ret = host_rmi_call(v, RMI_GRANULE_RANGE_UNDELEGATE, addr, top,
				    0, 0, 0, out);
		if (rmi_retry_status(ret)) {
			if (host_spin(v, &spins, "rmi_undelegate_range", addr))
				return -ENXIO;
			continue;
		}
		if (RMI_RETURN_STATUS(ret) != RMI_SUCCESS)
			return -ENXIO;
		spins = 0;
		addr = out[1];
	}
	return 0;
}

/*
 * An RTT page: a host page, delegated (alloc_delegated_granule). Its
 * delegation, and its undelegation below, are not progress for the
 * livelock watch: a page delegated and given back changes nothing, and a
 * page kept is counted by the call that consumes it (RTT_CREATE ...).
 * Counting them and taking them back later would let two vCPUs that
 * churn pages in turn each see the other's half-finished churn as
 * progress for ever.
 */
uint64_t alloc_delegated_granule(struct host_vcpu *v)
{
	uint64_t pa = host_alloc_page(v->h);
	int ret;

	if (!pa)
		return 0;
	v->no_progress = true;
	ret = rmi_delegate_range(v, pa, PAGE_SIZE, NULL);
	v->no_progress = false;
	if (ret) {
		host_free_page(v->h, pa);
		return 0;
	}
	return pa;
}

/* free_delegated_page(): undelegate; a page that cannot be is leaked.
 * True if it was given back. */
bool free_delegated_granule(struct host_vcpu *v, uint64_t pa)
{
	int ret;

	v->no_progress = true;
	ret = rmi_undelegate_range(v, pa, PAGE_SIZE);
	v->no_progress = false;
	if (ret) {
		host_warn(v, "undelegate of a freed page failed: page leaked");
		return false;
	}
	host_free_page(v->h, pa);
	return true;
}

/* ---- RTTs -------------------------------------------------------------- */

/* RTT_CREATE of the table of @level covering @ipa, traced as rtt_create
 * with the table-aligned IPA the call carries (as the kernel patch) */
static uint64_t realm_rtt_create(struct host_vcpu *v, uint64_t ipa, int level,
				 uint64_t rtt)
{
	uint64_t ret;

	ipa = align_down(ipa, level_mapsize(level - 1));
	ret = host_rmi_call(v, RMI_RTT_CREATE, v->h->rd, rtt, ipa,
			    (uint64_t)level, 0, NULL);
	host_ev_rtt_create(v, ipa, (uint64_t)level, RMI_RETURN_STATUS(ret));
	return ret;
}

/*
 * Create the RTTs of levels @level + 1 .. @max_level covering @ipa. A
 * table another vCPU created first (ERROR_RTT at level - 1) is fine: its
 * page is given back. Returns 0, -ENOMEM or -ENXIO (with a WARN).
 */
int realm_create_rtt_levels(struct host_vcpu *v, uint64_t ipa, int level,
			    int max_level)
{
	while (level++ < max_level) {
		uint64_t rtt = alloc_delegated_granule(v), ret;

		if (!rtt)
			return -ENOMEM;
		ret = realm_rtt_create(v, ipa, level, rtt);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT &&
		    (int)RMI_RETURN_INDEX(ret) == level - 1) {
			/* the table exists already: the page goes back */
			free_delegated_granule(v, rtt);
			continue;
		}
		if (ret) {
			host_warn(v, "failed to create RTT at level %d: %s %u",
				  level,
				  status_str(ret),
				  RMI_RETURN_INDEX(ret));
			free_delegated_granule(v, rtt);
			return -ENXIO;
		}
		v->fault_rtts++;
	}
	return 0;
}

/* ---- the RTT strategies (the comparison under review) ---------------------- */

/*
 * After ERROR_RTT(@err_level) for a mapping that fits @map_level: create
 * the levels the strategy asks for. Returns what realm_create_rtt_levels()
 * returns. The decision itself is the shared pure function.
 */
static int realm_create_missing_rtts(struct host_vcpu *v, uint64_t ipa,
				     int err_level, int map_level)
{
	int last = rmi_rtt_create_last_level(v->h->strategy, err_level,
					     map_level);

	return realm_create_rtt_levels(v, ipa, err_level, last);
}

/*
 * v14 creates every level and retries the map once; a second ERROR_RTT is
 * a WARN and the fault fails. The one-level and block strategies loop
 * back to the map, as v15 does.
 */
static bool strategy_retries_once(enum rmi_rtt_strategy s)
{
	return s == RMI_RTT_STRATEGY_FULL;
}

/* ---- unmapping ------------------------------------------------------------ */

/* undelegate_range_desc(): give back what one DATA_UNMAP unmapped */
static int undelegate_range_desc(struct host_vcpu *v, uint64_t desc)
{
	uint64_t bytes = rmi_desc_bytes(desc);

	if (RMI_DESC_STATE(desc) == RMI_DESC_STATE_UNDELEGATED || !bytes)
		return 0;
	return rmi_undelegate_range(v, RMI_DESC_ADDR(desc), bytes);
}

/*
 * Where realm_unmap_private_range() goes on after a DATA_UNMAP answered
 * @ret: the next address its wrapper left in next_addr. v14's wrapper
 * writes the RMM's x1 whatever the status, so after a failure (x1 = 0,
 * rmi-facts 11.1) the loop starts again at IPA 0. v15's writes it only on
 * SUCCESS, so after a failure it still holds the address this call
 * started from (the previous call's x1; the first call's is
 * uninitialised in the tree, modelled as the start).
 */
static uint64_t unmap_next_v14(uint64_t addr, uint64_t ret, uint64_t x1)
{
	(void)addr;
	(void)ret;
	return x1;
}

static uint64_t unmap_next_v15(uint64_t addr, uint64_t ret, uint64_t x1)
{
	return ret == RMI_SUCCESS ? x1 : addr;
}

void realm_unmap_private_range(struct host_vcpu *v, uint64_t start,
			       uint64_t end)
{
	struct host *h = v->h;
	bool v14 = h->cfg.version == HOST_V14;
	uint64_t addr, next, out[5], ret, fail_addr = ~0ull;
	unsigned int fails = 0;

	for (addr = start; addr < end; addr = next) {
		ret = host_rmi_call(v, RMI_RTT_DATA_UNMAP, h->rd, addr, end,
				    RMI_ADDR_TYPE_SINGLE, 0, out);
		next = v14 ? unmap_next_v14(addr, ret, out[1]) :
			     unmap_next_v15(addr, ret, out[1]);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			uint64_t rtt;

			if (next > addr)
				continue;	/* nothing mapped up to next */
			/*
			 * A block to split (or, as the RMM answers x1 = 0
			 * on every ERROR_RTT, an unassigned entry): create
			 * the table one level down and unmap again. Any
			 * failure ends the unmap, as in the trees.
			 */
			rtt = alloc_delegated_granule(v);
			if (!rtt) {
				host_warn(v, "no page to unfold a block");
				return;
			}
			ret = realm_rtt_create(v, addr,
					       (int)RMI_RETURN_INDEX(ret) + 1,
					       rtt);
			if (ret) {
				host_warn(v, "unfold for unmap failed: %s",
					  status_str(ret));
				free_delegated_granule(v, rtt);
				return;
			}
			next = addr;
			continue;
		}
		if (ret) {
			/*
			 * WARN and go on from next_addr (see above). The same
			 * address failing again, after v14's pass from IPA 0
			 * or v15's retry in place, would go on for ever.
			 */
			host_warn(v, "DATA_UNMAP failed: %s",
				  status_str(ret));
			if (addr == fail_addr) {
				if (++fails >= HOST_RESTART_BOUND) {
					host_livelock(h, "livelock in realm_unmap_private_range at %#llx: DATA_UNMAP fails there on every pass (%s)",
						      (unsigned long long)addr,
						      status_str(ret));
					return;
				}
			} else {
				fail_addr = addr;
				fails = 1;
			}
			continue;
		}
		if (undelegate_range_desc(v, out[2])) {
			host_warn(v, "undelegate after DATA_UNMAP failed");
			break;
		}
	}
	realm_fold_rtt_level(v, h->start_level + 1, start, end);
}

/*
 * The shared alias of [start, end). v14 ORs the shared bit in, so for
 * the whole protected half ([0, shared)) start == end and nothing is
 * unmapped; v15 adds it to ranges below the shared bit.
 */
static void shared_range_v14(uint64_t shared, uint64_t *start, uint64_t *end)
{
	*start |= shared;
	*end |= shared;
}

static void shared_range_v15(uint64_t shared, uint64_t *start, uint64_t *end)
{
	if (*start < shared) {
		*start += shared;
		*end += shared;
	}
}

void realm_unmap_shared_range(struct host_vcpu *v, uint64_t start,
			      uint64_t end)
{
	struct host *h = v->h;
	uint64_t shared = 1ull << (h->ia_bits - 1), addr, next, out[5], ret;
	unsigned int spins = 0;

	if (start >= end)
		return;
	if (h->cfg.version == HOST_V14)
		shared_range_v14(shared, &start, &end);
	else
		shared_range_v15(shared, &start, &end);
	for (addr = start; addr < end; addr = next) {
		ret = host_rmi_call(v, RMI_RTT_UNPROT_UNMAP, h->rd, addr, end,
				    RMI_ADDR_TYPE_NONE, 0, out);
		next = out[1];
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			int err_level = (int)RMI_RETURN_INDEX(ret);
			int level = find_map_level(h, addr, end);

			if (err_level >= level) {
				/* nothing mapped that deep: skip the entry
				 * (not aligned down, as in both trees) */
				next = addr + level_mapsize(err_level);
				spins = 0;
				continue;
			}
			/* split down to the level the range needs, retry */
			if (realm_create_rtt_levels(v, addr, err_level, level)) {
				host_warn(v, "RTT creation for shared unmap failed");
				return;
			}
			if (host_spin(v, &spins, "realm_unmap_shared_range",
				      addr))
				return;
			next = addr;
			continue;
		}
		if (ret) {
			host_warn(v, "UNPROT_UNMAP failed: %s",
				  status_str(ret));
			return;
		}
		spins = 0;
	}
	realm_fold_rtt_level(v, h->start_level + 1, start, end);
}

/*
 * Fold RTTs of @level over [start, end) into their parents where they are
 * homogeneous. As in both trees, each fold targets ALIGN(addr) (rounded
 * up), so an unaligned start folds the next table, not the one it is in.
 * Returns 0, a negative errno, or the number of tables that could not be
 * folded.
 */
int realm_fold_rtt_level(struct host_vcpu *v, int level, uint64_t start,
			 uint64_t end)
{
	struct host *h = v->h;
	uint64_t map_size, addr, next, out[5], ret;
	int not_folded = 0, r;
	unsigned int spins = 0;

	if (level > LAST_LEVEL)
		return -EINVAL;
	map_size = level_mapsize(level - 1);
	for (addr = start; addr < end; addr = next) {
		next = align_up(addr + 1, map_size);
		ret = host_rmi_call(v, RMI_RTT_FOLD, h->rd,
				    align_up(addr, map_size), (uint64_t)level,
				    0, 0, out);
		switch (RMI_RETURN_STATUS(ret)) {
		case RMI_SUCCESS:
			free_delegated_granule(v, out[1]);
			break;
		case RMI_ERROR_RTT:
			if (level == LAST_LEVEL ||
			    (int)RMI_RETURN_INDEX(ret) < level) {
				not_folded++;
				break;
			}
			r = realm_fold_rtt_level(v, level + 1, addr, next);
			if (r < 0)
				return r;
			if (r == 0) {
				/* children gone: try again */
				if (host_spin(v, &spins, "realm_fold_rtt_level",
					      addr))
					return -ENXIO;
				next = addr;
			}
			break;
		default:
			host_warn(v, "RTT_FOLD failed: %s",
				  status_str(ret));
			return -ENXIO;
		}
	}
	return not_folded;
}

/* ---- mapping ---------------------------------------------------------------- */

/*
 * addr_range_desc(): one block when the size is a block size, else pages
 * (at most 511 per call, as the series does).
 */
static uint64_t addr_range_desc(uint64_t phys, uint64_t size)
{
	for (int level = LAST_LEVEL; level >= 1; level--)
		if (size == level_mapsize(level))
			return rmi_desc_encode(RMI_LEVEL_TO_DESC_SIZE(level), 1,
					       phys, RMI_DESC_STATE_DELEGATED);
	size >>= RMI_GRANULE_SHIFT;
	return rmi_desc_encode(RMI_DESC_SIZE_4K,
			       (unsigned int)(size < 511 ? size : 511), phys,
			       RMI_DESC_STATE_DELEGATED);
}

/* realm_map_protected() gives up: "probably raced with another vCPU" */
static bool delegate_race(struct host_vcpu *v, uint64_t ipa, uint64_t phys,
			  uint64_t size)
{
	host_ev_delegate_race(v, ipa, phys, size);
	return true;
}

/*
 * What a failed delegation means to the fault. Returns true if the fault
 * is over (back to the guest), else updates *map_size to what may be
 * mapped.
 */
static bool delegate_failed_v14(struct host_vcpu *v, uint64_t ipa,
				uint64_t phys, uint64_t delegated,
				uint64_t *map_size)
{
	/* any failure is a race; what was delegated stays delegated */
	(void)delegated;
	return delegate_race(v, ipa, phys, *map_size);
}

static bool delegate_failed_v15(struct host_vcpu *v, uint64_t ipa,
				uint64_t phys, uint64_t delegated,
				uint64_t *map_size)
{
	if (delegated == phys)
		return delegate_race(v, ipa, phys, *map_size);
	/* partly delegated: map as much as was */
	*map_size = delegated - phys;
	return false;
}

/*
 * DATA_MAP answered ERROR_RTT at level 3, where no table can be missing.
 * v14 WARNs and goes on (creating nothing, its one retry fails again and
 * ends the fault); v15 WARNs and fails the fault. True: fail now.
 */
static bool map_err_last_level_v14(struct host_vcpu *v)
{
	host_warn(v, "DATA_MAP: ERROR_RTT at level 3");
	return false;
}

static bool map_err_last_level_v15(struct host_vcpu *v)
{
	host_warn(v, "DATA_MAP: ERROR_RTT at level 3");
	return true;
}

int realm_map_protected(struct host_vcpu *v, uint64_t ipa, uint64_t phys,
			uint64_t map_size)
{
	struct host *h = v->h;
	uint64_t base_phys = phys, base_ipa = ipa, delegated, ipa_top, out[5];
	uint64_t ret;
	int map_level;
	unsigned int spins = 0;

	if (!is_aligned(map_size, PAGE_SIZE) || !is_aligned(ipa, map_size)) {
		host_warn(v, "realm_map_protected: unaligned %#llx size %#llx",
			  (unsigned long long)ipa,
			  (unsigned long long)map_size);
		return -EINVAL;
	}

	if (rmi_delegate_range(v, phys, map_size, &delegated)) {
		bool over = h->v15_delegate ?
			    delegate_failed_v15(v, ipa, phys, delegated,
						&map_size) :
			    delegate_failed_v14(v, ipa, phys, delegated,
						&map_size);

		if (over || h->dead)
			return 0;
	}

	ipa_top = ipa + map_size;
	map_level = find_map_level(h, ipa, ipa_top);
	while (ipa < ipa_top) {
		uint64_t desc = addr_range_desc(phys, ipa_top - ipa);
		int err_level;

		ret = host_rmi_call(v, RMI_RTT_DATA_MAP, h->rd, ipa, ipa_top,
				    RMI_ADDR_TYPE_SINGLE, desc, out);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			err_level = (int)RMI_RETURN_INDEX(ret);
			if (err_level >= LAST_LEVEL &&
			    (h->cfg.version == HOST_V14 ?
			     map_err_last_level_v14(v) :
			     map_err_last_level_v15(v)))
				goto err_undelegate;
			if (realm_create_missing_rtts(v, ipa, err_level,
						      map_level))
				goto err_undelegate;
			if (!strategy_retries_once(h->strategy)) {
				/*
				 * Loop back to the map, without bound in
				 * the trees: the same ERROR_RTT after a
				 * creation that found the table there
				 * would go round for ever.
				 */
				if (host_spin(v, &spins, "realm_map_protected",
					      ipa))
					goto err_undelegate;
				continue;
			}
			ret = host_rmi_call(v, RMI_RTT_DATA_MAP, h->rd, ipa,
					    ipa_top, RMI_ADDR_TYPE_SINGLE, desc,
					    out);
		}
		if (ret) {
			host_warn(v, "DATA_MAP failed: %s %u",
				  status_str(ret),
				  RMI_RETURN_INDEX(ret));
			goto err_undelegate;
		}
		spins = 0;
		phys += out[1] - ipa;
		ipa = out[1];
	}
	return 0;

err_undelegate:
	realm_unmap_private_range(v, base_ipa, ipa);
	if (rmi_undelegate_range(v, base_phys, map_size))
		/* what cannot be undelegated stays with the RMM */
		host_warn(v, "undelegate after a failed map failed");
	return -ENXIO;
}

/*
 * realm_map_non_secure() met ERROR_RTT(@level) mapping [ipa, ipa_top) that
 * fits @map_level. Returns 0 to map again, or the status to give up with.
 *
 * v14: create every level down to 3 (find_map_level is not used) and
 * retry once; what still fails is returned.
 * v15: a mapping already there (level >= map_level, e.g. a permission
 * change) is unmapped and the map loops; otherwise create down to the
 * level the range needs and retry once.
 */
static uint64_t unprot_err_rtt_v14(struct host_vcpu *v, uint64_t ipa,
				   uint64_t ipa_top, uint64_t flags,
				   uint64_t desc, int level, int map_level,
				   uint64_t *out)
{
	(void)map_level;
	if (level >= LAST_LEVEL)
		host_warn(v, "UNPROT_MAP: ERROR_RTT at level 3");
	if (realm_create_rtt_levels(v, ipa, level, LAST_LEVEL))
		return RMI_RETURN(RMI_ERROR_RTT, level);
	return host_rmi_call(v, RMI_RTT_UNPROT_MAP, v->h->rd, ipa, ipa_top,
			     flags, desc, out);
}

static uint64_t unprot_err_rtt_v15(struct host_vcpu *v, uint64_t ipa,
				   uint64_t ipa_top, uint64_t flags,
				   uint64_t desc, int level, int map_level,
				   uint64_t *out)
{
	uint64_t ret;

	if (level >= map_level) {
		realm_unmap_shared_range(v, ipa, ipa_top);
		return RMI_RETURN(RMI_ERROR_RTT, level);	/* loop */
	}
	if (realm_create_rtt_levels(v, ipa, level, map_level))
		return RMI_RETURN(RMI_ERROR_RTT, level);
	ret = host_rmi_call(v, RMI_RTT_UNPROT_MAP, v->h->rd, ipa, ipa_top,
			    flags, desc, out);
	/*
	 * ERROR_RTT on this retry goes on in the tree with an output the
	 * wrapper never wrote; the sim maps again from the same IPA.
	 */
	return ret;
}

/*
 * Returns 0, or a positive RMI status: the fault handler then re-enters
 * the guest, which faults again (both trees).
 */
int realm_map_non_secure(struct host_vcpu *v, uint64_t ipa, uint64_t phys,
			 uint64_t size)
{
	struct host *h = v->h;
	uint64_t ipa_top = ipa + size, out[5], ret;
	uint64_t flags = rmi_flags_encode(RMI_ADDR_TYPE_SINGLE, 0, 0,
					  RMI_S2AP_READ | RMI_S2AP_WRITE);
	int map_level = find_map_level(h, ipa, ipa_top);
	unsigned int spins = 0;

	while (ipa < ipa_top) {
		uint64_t desc = addr_range_desc(phys, ipa_top - ipa);

		ret = host_rmi_call(v, RMI_RTT_UNPROT_MAP, h->rd, ipa, ipa_top,
				    flags, desc, out);
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			int level = (int)RMI_RETURN_INDEX(ret);

			ret = h->cfg.version == HOST_V14 ?
			      unprot_err_rtt_v14(v, ipa, ipa_top, flags, desc,
						 level, map_level, out) :
			      unprot_err_rtt_v15(v, ipa, ipa_top, flags, desc,
						 level, map_level, out);
			if (h->cfg.version == HOST_V15 &&
			    RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
				if (host_spin(v, &spins, "realm_map_non_secure",
					      ipa))
					return (int)RMI_RETURN_STATUS(ret);
				continue;
			}
		}
		if (ret) {
			host_warn(v, "UNPROT_MAP failed: %s",
				  status_str(ret));
			return (int)RMI_RETURN_STATUS(ret);
		}
		spins = 0;
		phys += out[1] - ipa;
		ipa = out[1];
	}
	return 0;
}

/* ---- kvm->mmu_lock and the guest's RIPAS changes ---------------------------- */

#define LOCK_WAIT_NS	100	/* det: a waiter's clock steps by this */

static bool lock_busy(const struct host *h, bool write)
{
	return h->lock_writer || (write && h->lock_readers);
}

/*
 * threads: kvm->mmu_lock as a reader-writer lock whose readers write only
 * their own vCPU's flag. A reader raises its flag and then looks for a
 * writer; a writer (one at a time, mmu_wlock) raises mmu_writer and then
 * waits until no reader's flag is up. Each side stores before it loads,
 * sequentially consistent, so at least one of the two sees the other: a
 * reader that sees the writer lowers its flag and waits for it to go. The
 * exclusion is the kernel's rwlock's; the cache traffic of its shared
 * lock word is not modelled.
 */
static void lock_spin(unsigned int *spins)
{
	if (++*spins > 64)
		sched_yield();
	else
		rmib_cpu_relax();
}

static bool readers_gone(struct host *h)
{
	if (__atomic_load_n(&h->setup.mmu_reader, __ATOMIC_SEQ_CST))
		return false;
	for (unsigned int i = 0; i < h->nvcpus; i++)
		if (__atomic_load_n(&h->vcpus[i].mmu_reader, __ATOMIC_SEQ_CST))
			return false;
	return true;
}

static void mmu_lock_threads(struct host_vcpu *v, bool write)
{
	struct host *h = v->h;
	unsigned int spins = 0;
	uint64_t t0 = 0;

	if (!write) {
		for (;;) {
			__atomic_store_n(&v->mmu_reader, 1, __ATOMIC_SEQ_CST);
			if (!__atomic_load_n(&h->mmu_writer, __ATOMIC_SEQ_CST))
				break;
			__atomic_store_n(&v->mmu_reader, 0, __ATOMIC_RELEASE);
			if (!t0) {
				v->lock_waits++;
				t0 = rmib_fast_ns();
			}
			while (__atomic_load_n(&h->mmu_writer, __ATOMIC_ACQUIRE))
				lock_spin(&spins);
		}
	} else {
		if (pthread_mutex_trylock(&h->mmu_wlock)) {
			v->lock_waits++;
			t0 = rmib_fast_ns();
			pthread_mutex_lock(&h->mmu_wlock);
		}
		__atomic_store_n(&h->mmu_writer, 1, __ATOMIC_SEQ_CST);
		if (!readers_gone(h)) {
			if (!t0) {
				v->lock_waits++;
				t0 = rmib_fast_ns();
			}
			while (!readers_gone(h))
				lock_spin(&spins);
		}
	}
	if (t0)
		v->lock_wait_ns += rmib_fast_ns() - t0;
}

/* the lock in the step's footprint: taking or giving it back for read
 * commutes with the same for read */
static void lock_note(bool write)
{
	rmm_fp_note(RMM_FP_HOST, HOST_RES_MMU_LOCK, HOST_RES_MMU_LOCK + 1,
		    write);
}

void host_mmu_lock(struct host_vcpu *v, bool write)
{
	struct host *h = v->h;

	if (h->cfg.scheduler == SCHED_THREADS) {
		mmu_lock_threads(v, write);
		return;
	}
	lock_note(write);
	if (h->chooser && h->nvcpus > 1 && lock_busy(h, write)) {
		/* a chooser's run: wait, not runnable, until it is free;
		 * the clock then starts where the holder gave it back */
		v->lock_waits++;
		v->lock_wait = write ? 2 : 1;
		sched_wait_lock(v);
		v->lock_wait = 0;
		if (v->clock_ns < h->lock_free_ns) {
			v->lock_wait_ns += h->lock_free_ns - v->clock_ns;
			v->clock_ns = h->lock_free_ns;
		}
	}
	/* det: one coroutine runs at a time; the holder runs when the
	 * waiter's clock passes it */
	if (lock_busy(h, write)) {
		v->lock_waits++;
		while (lock_busy(h, write)) {
			v->clock_ns += LOCK_WAIT_NS;
			v->lock_wait_ns += LOCK_WAIT_NS;
			sched_point(v);
		}
	}
	if (write)
		h->lock_writer = true;
	else
		h->lock_readers++;
	v->lock_held = write ? 2 : 1;
}

void host_mmu_unlock(struct host_vcpu *v, bool write)
{
	struct host *h = v->h;

	if (h->cfg.scheduler == SCHED_THREADS) {
		if (write) {
			__atomic_store_n(&h->mmu_writer, 0, __ATOMIC_RELEASE);
			pthread_mutex_unlock(&h->mmu_wlock);
		} else {
			__atomic_store_n(&v->mmu_reader, 0, __ATOMIC_RELEASE);
		}
		return;
	}
	lock_note(write);
	if (write)
		h->lock_writer = false;
	else
		h->lock_readers--;
	v->lock_held = 0;
	if (h->lock_free_ns < v->clock_ns)
		h->lock_free_ns = v->clock_ns;
}

int realm_set_ipa_state(struct host_vcpu *v, uint64_t base, uint64_t top,
			unsigned int ripas)
{
	struct host *h = v->h;
	uint64_t ipa = base, out[5], ret;
	unsigned int spins = 0;
	int r = 0;

	host_mmu_lock(v, true);
	v->ripas_changes++;
	while (ipa < top) {
		ret = host_rmi_call(v, RMI_RTT_SET_RIPAS, h->rd, v->rec, ipa,
				    top, 0, out);
		if (RMI_RETURN_STATUS(ret) == RMI_SUCCESS) {
			ipa = out[1];
			spins = 0;
			continue;
		}
		if (RMI_RETURN_STATUS(ret) == RMI_ERROR_RTT) {
			/* ripas_change(): create what the range needs, again */
			int err_level = (int)RMI_RETURN_INDEX(ret);
			int level = find_map_level(h, ipa, top);

			if (realm_create_rtt_levels(v, ipa, err_level, level) ||
			    (err_level >= level &&
			     host_spin(v, &spins, "ripas_change", ipa))) {
				r = -ENXIO;
				break;
			}
			continue;
		}
		host_warn(v, "SET_RIPAS failed: %s", status_str(ret));
		r = -ENXIO;
		break;
	}
	/* EMPTY: unmap what changed (v15 only when all went well) */
	if (ripas == RMI_RIPAS_EMPTY && ipa != base &&
	    (h->cfg.version == HOST_V14 || !r))
		realm_unmap_private_range(v, base, ipa);
	host_mmu_unlock(v, true);
	return r;
}
/*
 * Threads: the vCPU that would make progress may be off the CPU while
 * this one re-faults, so N re-faults alone prove nothing. Having reached
 * the bound, the vCPU stops faulting and waits (1 ms steps, @ns at most,
 * or until the realm dies) for any progress since @seen: true if some
 * came. The bound then means the same as under det: N re-faults with no
 * progress anywhere, and none for a while after.
 */
#define LIVELOCK_WAIT_NS	2000000000ull

static bool progress_within(struct host *h, uint64_t seen, uint64_t ns)
{
	const struct timespec step = { 0, 1000000 };
	uint64_t t0 = rmib_fast_ns();

	while (!__atomic_load_n(&h->dead, __ATOMIC_RELAXED)) {
		if (host_progress(h) != seen)
			return true;
		if (rmib_fast_ns() - t0 >= ns)
			return false;
		nanosleep(&step, NULL);
	}
	return false;
}


/* ---- the fault ----------------------------------------------------------------- */

/*
 * kvm_fault_lock() for read, and its release: host_mmu_lock() and
 * host_mmu_unlock() as they go under det without a chooser and with no
 * writer in, inline; every other case through them.
 */
static inline bool fault_lock_plain(const struct host *h)
{
	return h->cfg.scheduler != SCHED_THREADS && !h->chooser &&
	       !h->lock_writer;
}

static inline void fault_lock(struct host_vcpu *v)
{
	struct host *h = v->h;

	if (!fault_lock_plain(h)) {
		host_mmu_lock(v, false);
		return;
	}
	lock_note(false);
	h->lock_readers++;
	v->lock_held = 1;
}

static inline void fault_unlock(struct host_vcpu *v)
{
	struct host *h = v->h;

	if (h->cfg.scheduler == SCHED_THREADS) {
		host_mmu_unlock(v, false);
		return;
	}
	lock_note(false);
	h->lock_readers--;
	v->lock_held = 0;
	if (h->lock_free_ns < v->clock_ns)
		h->lock_free_ns = v->clock_ns;
}

int host_handle_fault(struct host_vcpu *v, uint64_t ipa)
{
	struct host *h = v->h;
	bool private = ipa < (1ull << (h->ia_bits - 1));
	uint64_t size, base, phys, now;
	bool stamp, look;
	int ret;

	if (private) {
		if (ipa < h->gmem.ipa_base ||
		    ipa >= h->gmem.ipa_base + h->gmem.size) {
			/* no memslot: KVM hands the access to the VMM */
			v->guest_errors++;
			return -EFAULT;
		}
		size = gmem_folio_size(&h->gmem, ipa);
		base = align_down(ipa, size);
		phys = gmem_pa(&h->gmem, base);
	} else {
		size = PAGE_SIZE;
		base = align_down(ipa, size);
		phys = h->shared_pa_base +
		       (base & ((1ull << (h->ia_bits - 1)) - 1));
	}

	v->fault_calls = 0;
	v->fault_rtts = 0;
	v->deleg_fail = 0;
	v->fault_base = base;
	/*
	 * Wall-clock stamps (fault_latency_wall_ns) for 1 fault in
	 * stamp_every, drawn from the vCPU's own generator so that no
	 * period of the workload lines up with them; 0: not stamped.
	 */
	stamp = !((rmib_xorshift(&v->stamp_rng) >> 32) & (h->stamp_every - 1));
	/* the fault's modelled latency starts with the exit, before the map */
	v->hdr.wall_ns = stamp ? rmib_fast_ns() : 0;
	host_ev_realm_map_enter(v, v->id, base, size, private);
	v->clock_ns += h->cost->fault_overhead_ns;

	fault_lock(v);			/* kvm_fault_lock(): read */
	ret = private ? realm_map_protected(v, base, phys, size) :
			realm_map_non_secure(v, base, phys, size);
	fault_unlock(v);
	v->fault_base = ~0ull;

	v->hdr.wall_ns = stamp ? rmib_fast_ns() : 0;
	host_ev_realm_map_exit(v, v->id, base, size, (uint64_t)(int64_t)ret,
			       v->fault_calls, v->fault_rtts);
	v->hdr.wall_ns = 0;

	/*
	 * Livelock watch: the same IPA again and no RMI call anywhere has
	 * changed state since this vCPU's last fault ended. det looks at
	 * every fault's end. threads looks only at the end of a fault on
	 * the IPA of the one before (summing every vCPU's count: a read of
	 * their cache lines), so its watch starts one fault later.
	 */
	look = h->cfg.scheduler != SCHED_THREADS || base == v->last_fault_ipa;
	now = look ? host_progress(h) : 0;
	if (base == v->last_fault_ipa && v->progress_known &&
	    now == v->progress_seen) {
		v->same_faults++;
		/* threads: the winner may be off-CPU; let it run */
		if (h->cfg.scheduler == SCHED_THREADS)
			sched_yield();
	} else {
		v->same_faults = 0;
		v->last_fault_ipa = base;
	}
	v->progress_seen = now;
	v->progress_known = look;
	if (ret > 0)
		ret = 0;	/* an RMI status: re-enter the guest */
	if (ret < 0) {
		host_kill(h, "vcpu %u: %s returned %d at IPA %#llx: KVM_RUN fails, the VMM kills the realm",
			  v->id, private ? "realm_map_protected" :
					   "realm_map_non_secure",
			  ret, (unsigned long long)base);
	} else if (h->cfg.livelock_faults &&
		   v->same_faults >= h->cfg.livelock_faults) {
		if (h->cfg.scheduler == SCHED_THREADS &&
		    progress_within(h, v->progress_seen, LIVELOCK_WAIT_NS)) {
			/* a vCPU off the CPU made progress: no livelock */
			v->same_faults = 0;
			v->progress_seen = host_progress(h);
		} else if (unprepared_status(v->deleg_fail)) {
			host_livelock(h, "livelock: vcpu %u faulted on IPA %#llx %llu times with no progress anywhere: GRANULE_RANGE_DELEGATE answers %s at PA %#llx (memory the RMM cannot use yet), taken for a race",
				      v->id, (unsigned long long)base,
				      (unsigned long long)v->same_faults,
				      rmi_status_name(v->deleg_fail),
				      (unsigned long long)v->deleg_fail_pa);
		} else {
			host_livelock(h, "livelock: vcpu %u faulted on IPA %#llx %llu times with no progress anywhere",
				      v->id, (unsigned long long)base,
				      (unsigned long long)v->same_faults);
		}
	}
	return ret;
}
