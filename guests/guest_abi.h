/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench guests: what the bare-metal guest (guests/bare) and the VMM
 * (guests/vmm) agree on. Plain C11 with <stdint.h> only, so that it builds
 * freestanding for the guest and for the host.
 *
 * The VMM loads the guest image at the start of the code memslot, writes a
 * struct bare_config at BARE_CONFIG_OFF in it, and starts every vCPU at the
 * image's first byte with x0 = the vCPU's index and x1 = the configuration's
 * IPA (the only registers a realm's REC takes besides the PC). The guest
 * sets up its own stack from the configuration, walks its workload and
 * reports through 64-bit MMIO writes to the registers below, which lie in
 * no memslot, so that each write is a KVM_EXIT_MMIO the VMM decodes.
 */
#ifndef RMIBENCH_GUEST_ABI_H
#define RMIBENCH_GUEST_ABI_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define BARE_MAGIC		0x31545347424d52ull	/* "RMBGST1" */

/* Offsets in the code memslot. */
#define BARE_IMAGE_MAX		0x8000ull	/* the image: at most 32 KiB */
#define BARE_CONFIG_OFF		0x8000ull	/* struct bare_config */
#define BARE_STACKS_OFF		0x10000ull	/* vCPU i: [i * S, (i + 1) * S) */
#define BARE_STACK_SIZE		0x4000ull	/* 16 KiB per vCPU */
#define BARE_MAX_VCPUS		64
#define BARE_SLOT_SIZE		(BARE_STACKS_OFF + \
				 BARE_MAX_VCPUS * BARE_STACK_SIZE)

/* flags */
#define BARE_F_EACH_TOUCH	(1ull << 0)	/* one MMIO write per access */

#ifndef __ASSEMBLER__
/* Every field 64 bits wide: the offsets are the same in C and assembly. */
struct bare_config {
	uint64_t magic;		/* BARE_MAGIC */
	uint64_t stack_base;	/* IPA of vCPU 0's stack (lowest byte) */
	uint64_t stack_size;	/* bytes per vCPU */
	uint64_t mmio_base;	/* IPA of the report registers */
	uint64_t flags;		/* BARE_F_* */
	/* the workload, as struct wl_config */
	uint64_t pattern;
	uint64_t base;
	uint64_t size;
	uint64_t nvcpus;
	uint64_t shared_region;
	uint64_t stride;
	uint64_t write_pct;
	uint64_t passes;
	uint64_t seed;
};
#endif

/* field offsets, for start.S */
#define BARE_CFG_STACK_BASE	8
#define BARE_CFG_STACK_SIZE	16

/*
 * Report registers: offsets from mmio_base, 64-bit writes. The VMM knows
 * the writing vCPU from the thread that took the exit.
 */
#define BARE_MMIO_SIZE		0x1000ull
#define BARE_REG_START		0x000	/* value: vCPU index; the walk begins */
#define BARE_REG_TOUCH		0x008	/* value: latency of one access, ns
					 * (BARE_F_EACH_TOUCH only) */
#define BARE_REG_DONE		0x010	/* value: accesses made; walk over */
#define BARE_REG_ERROR		0x018	/* value: BARE_ERR_* */
#define BARE_REG_EXIT		0x020	/* value: 0; the vCPU stops */
#define BARE_REG_STAT		0x100	/* + 8 * BARE_STAT_*: one figure */
#define BARE_REG_HIST		0x200	/* + 8 * i: first-touch latency
					 * log2 bucket i (ns), i < 48 */

#ifndef __ASSEMBLER__
enum bare_stat {
	BARE_STAT_ACCESSES,	/* accesses made */
	BARE_STAT_WRITES,	/* of which writes */
	BARE_STAT_PAGES,	/* pages of this vCPU's range */
	BARE_STAT_FIRST_NS,	/* sum of first-pass access latencies, ns */
	BARE_STAT_FIRST_MIN,	/* their minimum, ns */
	BARE_STAT_FIRST_MAX,	/* their maximum, ns */
	BARE_STAT_WALK_NS,	/* the whole walk, virtual counter, ns */
	BARE_STAT_CNTFRQ,	/* the virtual counter's frequency, Hz */
	BARE_STAT_COUNT,
};
#endif

#define BARE_HIST_BUCKETS	48

#ifndef __ASSEMBLER__
enum bare_err {
	BARE_ERR_MAGIC = 1,	/* no configuration at x1 */
	BARE_ERR_CONFIG,	/* wl_config_check() refused it */
	BARE_ERR_VCPU,		/* x0 >= nvcpus */
};
#endif

#endif /* RMIBENCH_GUEST_ABI_H */
