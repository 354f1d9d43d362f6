// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench sim: the host's boot, arm64_init_rmi(), as each tree has it,
 * and memory added after boot.
 *
 * v14 (cca-host/v14, arch/arm64/kernel/rmi.c, patch 08 "arm64: RMI:
 * Ensure that the RMM has GPT entries for memory"): rmi_check_version(),
 * FEATURES 0 and 1, rmi_configure() (RMM_CONFIG_SET, which the model does
 * not have, then RMM_ACTIVATE), then rmi_init_metadata(): for each
 * memblock region, GRANULE_TRACKING_GET over it until it is all known to
 * be FINE and CONVENTIONAL (anything else: one pr_err, -ENODEV), then
 * GPT_L1_CREATE for every L0GPT-sized region it spans (ERROR_GPT: "the L1
 * table already exists", fine; anything else -ENOMEM). Any failure leaves
 * RMI unavailable: no realm can be made.
 *
 * v15 (gwshan/linux 0242b60a: its arch/arm64/kvm/rmi.c is in the index
 * at that commit; drivers/firmware/arm_rmm/rmi.c is not, the stored
 * version with the same interface, RMI_RESULT_* names and
 * rmi_free_delegated_page(), is read instead): rmi_check_version(),
 * rmi_read_features() (FEATURES 0..4), rmi_configure(), RMM_ACTIVATE, and
 * no metadata set-up at all: no GRANULE_TRACKING_GET, no GPT_L1_CREATE,
 * no memory notifier.
 *
 * Neither tree does anything when memory is hotplugged later.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "host.h"

/*
 * The boot's call site: straight to the model, counted apart from the
 * realm's calls. Nothing else sees it: no event (the realm's counters and
 * the tracers start later), no injection rule (fail_rmi is set up after
 * boot), no cost.
 */
static uint64_t boot_rmi_call(struct host *h, uint32_t fid, uint64_t x1,
			      uint64_t x2, uint64_t out[5])
{
	h->boot_calls++;
	return rmm_call(h->m, fid, x1, x2, 0, 0, 0, out);
}

static int unavailable(struct host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* pr_err() and "RMI unavailable": the first reason stands */
static int unavailable(struct host *h, const char *fmt, ...)
{
	va_list ap;

	if (h->rmi_unavailable)
		return -1;
	h->rmi_unavailable = true;
	va_start(ap, fmt);
	vsnprintf(h->rmi_why, sizeof(h->rmi_why), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *or_q(const char *name)
{
	return name ? name : "?";
}

/*
 * rmi_verify_memory_tracking() (v14): the region must be tracked FINE
 * and be conventional memory; "we do not support changing the tracking
 * yet". Each answer covers [start, x3): the loop goes on from there (an
 * answer that does not move on would hang the boot; bounded here).
 */
static int rmi_verify_memory_tracking(struct host *h, uint64_t start,
				      uint64_t end)
{
	uint64_t out[5], ret;

	while (start < end) {
		ret = boot_rmi_call(h, RMI_GRANULE_TRACKING_GET, start, end,
				    out);
		if (ret != RMI_SUCCESS || out[2] != RMI_TRACKING_FINE ||
		    out[1] != RMI_MEM_CATEGORY_CONVENTIONAL)
			return unavailable(h, "rmi_init_metadata: granule tracking for region isn't fine/conventional: %#llx (%s %s %s)",
					   (unsigned long long)start,
					   status_str(ret),
					   or_q(rmi_mem_category_name((unsigned int)out[1])),
					   or_q(rmi_tracking_name((unsigned int)out[2])));
		if (out[3] <= start)
			return unavailable(h, "rmi_init_metadata: GRANULE_TRACKING_GET makes no progress at %#llx (the boot would hang)",
					   (unsigned long long)start);
		start = out[3];
	}
	return 0;
}

/* rmi_create_gpts() (v14): an L1 GPT for every L0GPT region spanned */
static int rmi_create_gpts(struct host *h, uint64_t start, uint64_t end)
{
	uint64_t l0gpt_sz = h->l0gpt_size, ret;

	start = align_down(start, l0gpt_sz);
	end = align_up(end, l0gpt_sz);
	while (start < end) {
		ret = boot_rmi_call(h, RMI_GPT_L1_CREATE, start, 0, NULL);
		/* ERROR_GPT: the L1 table already exists */
		if (ret && ret != RMI_RETURN(RMI_ERROR_GPT, 0))
			return unavailable(h, "rmi_init_metadata: GPT Level1 table missing for %#llx (%s)",
					   (unsigned long long)start,
					   status_str(ret));
		start += l0gpt_sz;
	}
	return 0;
}

/* memblock's regions at boot (for_each_mem_region), in PA order */
static unsigned int boot_memblock(const struct host *h, uint64_t base[3],
				  uint64_t end[3])
{
	uint64_t shared = SHARED_PA_BASE + h->gmem.ipa_base;
	unsigned int n = 0;

	base[n] = 0;
	end[n++] = HOST_PAGES_END;
	if (h->gmem.hp_off) {
		base[n] = GMEM_PA_BASE;
		end[n++] = GMEM_PA_BASE + h->gmem.hp_off;
	}
	base[n] = shared;
	end[n++] = shared + h->gmem.size;
	return n;
}

/* rmi_init_metadata() (v14) */
static int rmi_init_metadata(struct host *h)
{
	uint64_t base[3], end[3];
	unsigned int n = boot_memblock(h, base, end);

	for (unsigned int i = 0; i < n; i++) {
		if (rmi_verify_memory_tracking(h, base[i], end[i]) ||
		    rmi_create_gpts(h, base[i], end[i]))
			return -1;
	}
	return 0;
}

int arm64_init_rmi(struct host *h)
{
	bool v14 = h->cfg.version == HOST_V14;
	uint64_t out[5], feat1 = 0;

	/*
	 * rmi_configure(): RMM_CONFIG_SET (not modelled), RMM_ACTIVATE. The
	 * trees ask VERSION and FEATURES first; the model answers every
	 * call but RMM_ACTIVATE with ERROR_GLOBAL until it is active
	 * (rmi-facts 1), so the sim activates first: the same calls.
	 */
	if (boot_rmi_call(h, RMI_RMM_ACTIVATE, 0, 0, NULL))
		return unavailable(h, "RMM activate failed");
	/* rmi_check_version() */
	if (boot_rmi_call(h, RMI_VERSION, RMI_VERSION_2_0, 0, NULL))
		return unavailable(h, "unsupported RMI ABI");
	/* v14: FEATURES 0 and 1; v15: rmi_read_features(), 0..4 */
	for (unsigned int i = 0; i < (v14 ? 2u : 5u); i++) {
		if (boot_rmi_call(h, RMI_FEATURES, i, 0, out))
			return unavailable(h, "RMI_FEATURES %u failed", i);
		if (i == 1)
			feat1 = out[1];
	}
	h->l0gpt_size = RMI_L0GPT_SIZE(feat1);
	return v14 ? rmi_init_metadata(h) : 0;
}

void host_memory_hotplug(struct host *h)
{
	if (h->cfg.hotplug)
		rmm_mem_hotplug(h->m, HOTPLUG_PA_BASE, h->cfg.hotplug);
}
