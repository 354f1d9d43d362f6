/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the RMI ABI as rmibench models it (RMM v2.0 numbering).
 *
 * One header for the sim, the BPF tools and the guest programs. It has no
 * includes and uses only plain C types and macros, so that it compiles as
 * user-space C11, as BPF C (clang -target bpf) and inside kernel code.
 */
#ifndef RMIBENCH_RMI_ABI_H
#define RMIBENCH_RMI_ABI_H

/* ---- function ids ------------------------------------------------------ */

#define RMI_FID_BASE		0xC4000000u
#define RMI_FID(short_id)	(RMI_FID_BASE | (short_id))

/*
 * X(NAME, short id): every command the model answers. REC_CREATE and
 * REC_DESTROY are here because RTT_SET_RIPAS names a REC; the granule
 * tracking and L1 GPT commands because memory added after boot needs
 * them before it can be delegated.
 */
#define RMI_COMMANDS(X)				\
	X(VERSION,			0x150)	\
	X(DATA_MAP_INIT,		0x153)	\
	X(REALM_ACTIVATE,		0x157)	\
	X(REALM_CREATE,			0x158)	\
	X(REALM_DESTROY,		0x159)	\
	X(REC_CREATE,			0x15A)	\
	X(REC_DESTROY,			0x15B)	\
	X(RTT_CREATE,			0x15D)	\
	X(RTT_DESTROY,			0x15E)	\
	X(RTT_READ_ENTRY,		0x161)	\
	X(FEATURES,			0x165)	\
	X(RTT_FOLD,			0x166)	\
	X(RTT_INIT_RIPAS,		0x168)	\
	X(RTT_SET_RIPAS,		0x169)	\
	X(GRANULE_TRACKING_GET,		0x1E1)	\
	X(GRANULE_TRACKING_SET,		0x1E3)	\
	X(GRANULE_RANGE_DELEGATE,	0x1F1)	\
	X(GRANULE_RANGE_UNDELEGATE,	0x1F2)	\
	X(GPT_L1_CREATE,		0x1F3)	\
	X(GPT_L1_DESTROY,		0x1F4)	\
	X(RTT_DATA_MAP,			0x1F5)	\
	X(RTT_DATA_UNMAP,		0x1F6)	\
	X(RTT_UNPROT_MAP,		0x1FB)	\
	X(RTT_UNPROT_UNMAP,		0x1FC)	\
	X(REALM_TERMINATE,		0x201)	\
	X(RMM_ACTIVATE,			0x202)

#define RMI_CMD_ENUM_(name, id)	RMI_CMD_##name,
enum rmi_cmd { RMI_COMMANDS(RMI_CMD_ENUM_) RMI_CMD_COUNT };
#undef RMI_CMD_ENUM_

#define RMI_FID_ENUM_(name, id)	RMI_##name = RMI_FID(id),
enum rmi_fid { RMI_COMMANDS(RMI_FID_ENUM_) };
#undef RMI_FID_ENUM_

/* Short ids span 0x150..0x203; index a table with (fid & 0x1ff) - 0x150. */
#define RMI_SHORT_MIN		0x150u
#define RMI_SHORT_MAX		0x203u
#define RMI_FID_IS_RMI(fid)	(((fid) & ~0x3ffu) == RMI_FID_BASE && \
				 ((fid) & 0x3ffu) >= RMI_SHORT_MIN && \
				 ((fid) & 0x3ffu) <= RMI_SHORT_MAX)

/* ---- status codes and x0 packing ---------------------------------------- */

#define RMI_STATUSES(X)			\
	X(SUCCESS,		0)	\
	X(ERROR_INPUT,		1)	\
	X(ERROR_REALM,		2)	\
	X(ERROR_REC,		3)	\
	X(ERROR_RTT,		4)	\
	X(ERROR_NOT_SUPPORTED,	5)	\
	X(ERROR_DEVICE,		6)	\
	X(ERROR_RTT_AUX,	7)	\
	X(ERROR_PSMMU_ST,	8)	\
	X(ERROR_DPT,		9)	\
	X(BUSY,			10)	\
	X(ERROR_GLOBAL,		11)	\
	X(ERROR_TRACKING,	12)	\
	X(INCOMPLETE,		13)	\
	X(BLOCKED,		14)	\
	X(ERROR_GPT,		15)	\
	X(ERROR_GRANULE,	16)

#define RMI_STATUS_ENUM_(name, v)	RMI_##name = (v),
enum rmi_status { RMI_STATUSES(RMI_STATUS_ENUM_) RMI_STATUS_COUNT };
#undef RMI_STATUS_ENUM_

/* x0: status in bits [7:0], index in bits [15:8]. */
#define RMI_RETURN(status, index) \
	((unsigned long long)((status) & 0xff) | \
	 ((unsigned long long)((index) & 0xff) << 8))
#define RMI_RETURN_STATUS(x0)	((unsigned int)((x0) & 0xff))
#define RMI_RETURN_INDEX(x0)	((unsigned int)(((x0) >> 8) & 0xff))

/* ---- geometry (4 KiB granules) ------------------------------------------ */

#define RMI_GRANULE_SHIFT	12
#define RMI_GRANULE_SIZE	(1ull << RMI_GRANULE_SHIFT)
#define RMI_RTT_ENTRIES		512
#define RMI_RTT_LAST_LEVEL	3
#define RMI_RTT_MIN_BLOCK_LEVEL	1	/* L0 blocks are not allowed */
#define RMI_MAX_ROOT_RTTS	16
#define RMI_S2SZ_MAX		48
#define RMI_S2SZ_MAX_LPA2	52

/* Bytes one entry at @level maps: 512 GiB at L0 ... 4 KiB at L3. */
#define RMI_LEVEL_SHIFT(level)	(RMI_GRANULE_SHIFT + 9 * (3 - (level)))
#define RMI_LEVEL_SIZE(level)	(1ull << RMI_LEVEL_SHIFT(level))

/* Number of translation levels for an IPA width, and the start level. */
static inline int rmi_s2_levels(unsigned int s2sz)
{
	/*
	 * As KVM sizes stage 2: concatenating up to 16 root tables saves a
	 * level wherever it can, so 4 bits come free from the root.
	 */
	return (int)((s2sz - 4 - 4) / (RMI_GRANULE_SHIFT - 3));
}

static inline int rmi_start_level(unsigned int s2sz)
{
	return 4 - rmi_s2_levels(s2sz);
}

/*
 * Root RTTs needed for @s2sz: the bits the start level resolves beyond a
 * single table are served by concatenated tables.
 */
static inline unsigned int rmi_root_rtts(unsigned int s2sz)
{
	int sl = rmi_start_level(s2sz);
	unsigned int top = RMI_LEVEL_SHIFT(sl) + 9;

	return s2sz > top ? 1u << (s2sz - top) : 1u;
}

/* ---- range descriptor (section 3) ---------------------------------------- */

#define RMI_DESC_SIZE_4K	0
#define RMI_DESC_SIZE_2M	1
#define RMI_DESC_SIZE_1G	2
#define RMI_DESC_SIZE_L0	3	/* rejected */

#define RMI_DESC_STATE_DELEGATED	0
#define RMI_DESC_STATE_UNDELEGATED	1

#define RMI_DESC_COUNT_MAX	1023u

/* size code <-> level: 0 -> L3, 1 -> L2, 2 -> L1, 3 -> L0 */
#define RMI_DESC_SIZE_TO_LEVEL(sz)	(3 - (int)(sz))
#define RMI_LEVEL_TO_DESC_SIZE(lvl)	((unsigned int)(3 - (lvl)))

#define RMI_DESC_SIZE(d)	((unsigned int)((d) & 0x3))
#define RMI_DESC_COUNT(d)	((unsigned int)(((d) >> 2) & 0x3ff))
#define RMI_DESC_ADDR(d)	((d) & 0x000ffffffffff000ull)
#define RMI_DESC_STATE(d)	((unsigned int)(((d) >> 63) & 1))

static inline unsigned long long
rmi_desc_encode(unsigned int size, unsigned int count,
		unsigned long long pa, unsigned int state)
{
	return (unsigned long long)(size & 0x3) |
	       ((unsigned long long)(count & 0x3ff) << 2) |
	       (pa & 0x000ffffffffff000ull) |
	       ((unsigned long long)(state & 1) << 63);
}

/* Bytes a descriptor covers: count blocks of its size. */
static inline unsigned long long rmi_desc_bytes(unsigned long long d)
{
	return (unsigned long long)RMI_DESC_COUNT(d) <<
	       RMI_LEVEL_SHIFT(RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE(d)));
}

/* ---- flags -------------------------------------------------------------- */

#define RMI_ADDR_TYPE_NONE	0
#define RMI_ADDR_TYPE_SINGLE	1
#define RMI_ADDR_TYPE_LIST	2

#define RMI_FLAGS_ADDR_TYPE(f)	((unsigned int)((f) & 0x3))
#define RMI_FLAGS_LIST_COUNT(f)	((unsigned int)(((f) >> 2) & 0x3fff))
#define RMI_FLAGS_MEMATTR(f)	((unsigned int)(((f) >> 16) & 0x7))
#define RMI_FLAGS_S2AP(f)	((unsigned int)(((f) >> 19) & 0xf))

#define RMI_S2AP_WRITE		0x1u
#define RMI_S2AP_READ		0x2u
#define RMI_S2AP_VALID_MASK	(RMI_S2AP_WRITE | RMI_S2AP_READ)

static inline unsigned long long
rmi_flags_encode(unsigned int addr_type, unsigned int list_count,
		 unsigned int memattr, unsigned int s2ap)
{
	return (unsigned long long)(addr_type & 0x3) |
	       ((unsigned long long)(list_count & 0x3fff) << 2) |
	       ((unsigned long long)(memattr & 0x7) << 16) |
	       ((unsigned long long)(s2ap & 0xf) << 19);
}

/* DATA_MAP_INIT flags */
#define RMI_MEASURE_CONTENT	0x1u

/* ---- RTT entry states, RIPAS, granule states ------------------------------ */

#define RMI_ENTRY_STATES(X)		\
	X(UNASSIGNED,		0)	\
	X(ASSIGNED,		1)	\
	X(TABLE,		2)	\
	X(ASSIGNED_DEV,		3)	\
	X(AUX_DESTROYED,	5)

#define RMI_ENTRY_ENUM_(name, v)	RMI_ENTRY_##name = (v),
enum rmi_entry_state { RMI_ENTRY_STATES(RMI_ENTRY_ENUM_) };
#undef RMI_ENTRY_ENUM_
/* In the unprotected half, 0/1 read back as UNASSIGNED_NS / ASSIGNED_NS. */
#define RMI_ENTRY_UNASSIGNED_NS	RMI_ENTRY_UNASSIGNED
#define RMI_ENTRY_ASSIGNED_NS	RMI_ENTRY_ASSIGNED

#define RMI_RIPAS_VALUES(X)	\
	X(EMPTY,	0)	\
	X(RAM,		1)	\
	X(DESTROYED,	2)	\
	X(DEV,		3)

#define RMI_RIPAS_ENUM_(name, v)	RMI_RIPAS_##name = (v),
enum rmi_ripas { RMI_RIPAS_VALUES(RMI_RIPAS_ENUM_) };
#undef RMI_RIPAS_ENUM_

#define RMI_GRANULE_STATES(X)	\
	X(UNDELEGATED,	0)	\
	X(DELEGATED,	1)	\
	X(RD,		2)	\
	X(REC,		3)	\
	X(REC_AUX,	4)	\
	X(RTT,		5)	\
	X(DATA,		6)

#define RMI_GRANULE_ENUM_(name, v)	RMI_GRANULE_##name = (v),
enum rmi_granule_state { RMI_GRANULE_STATES(RMI_GRANULE_ENUM_) };
#undef RMI_GRANULE_ENUM_
/*
 * Granule states are numbered from 0 without gaps: arrays indexed by
 * enum rmi_granule_state have RMI_GRANULE_STATE_COUNT entries.
 */
#define RMI_GRANULE_COUNT_(name, v)	+ 1
#define RMI_GRANULE_STATE_COUNT	(0 RMI_GRANULE_STATES(RMI_GRANULE_COUNT_))

/* ---- physical memory: categories, granule tracking, GPTs ------------------ */

/* GRANULE_TRACKING_GET's x1, GRANULE_TRACKING_SET's x2 */
#define RMI_MEM_CATEGORIES(X)		\
	X(CONVENTIONAL,		0)	\
	X(DEV_NCOH,		1)	\
	X(DEV_COH,		2)	\
	X(NONE,			3)

#define RMI_MEM_ENUM_(name, v)	RMI_MEM_CATEGORY_##name = (v),
enum rmi_mem_category { RMI_MEM_CATEGORIES(RMI_MEM_ENUM_) };
#undef RMI_MEM_ENUM_

/*
 * The tracking state of a tracking region (GRANULE_TRACKING_GET's x2,
 * GRANULE_TRACKING_SET's x3). Delegating a granule needs FINE: a COARSE
 * region keeps one state for all its granules.
 */
#define RMI_TRACKING_STATES(X)		\
	X(RESERVED,		0)	\
	X(NONE,			1)	\
	X(FINE,			2)	\
	X(COARSE,		3)	\
	X(INTERMEDIATE,		4)

#define RMI_TRACKING_ENUM_(name, v)	RMI_TRACKING_##name = (v),
enum rmi_tracking_state { RMI_TRACKING_STATES(RMI_TRACKING_ENUM_) };
#undef RMI_TRACKING_ENUM_

/*
 * Who made the level-1 GPT of an L0GPT-sized region (the draft's GPT
 * "PAR" states): firmware (PLAT), nobody yet, or the host by
 * GPT_L1_CREATE. Changing a granule's PAS (delegating it) needs one.
 */
#define RMI_GPT_STATES(X)			\
	X(RESERVED,		0)		\
	X(PLAT,			1)		\
	X(HOST_NOT_CREATED,	2)		\
	X(HOST_CREATED,		3)

#define RMI_GPT_ENUM_(name, v)	RMI_GPT_PAR_##name = (v),
enum rmi_gpt_state { RMI_GPT_STATES(RMI_GPT_ENUM_) };
#undef RMI_GPT_ENUM_

/*
 * With 4 KiB granules the tracking region is 1 GiB (the host configures
 * tracking_region_size 0). The L0GPT region is 1 << (30 + L0GPTSZ), the
 * field in FEATURES register 1 [13:10].
 */
#define RMI_TRACKING_REGION_SHIFT	30
#define RMI_TRACKING_REGION_SIZE	(1ull << RMI_TRACKING_REGION_SHIFT)
#define RMI_FEAT1_L0GPTSZ(v)		((unsigned int)(((v) >> 10) & 0xf))
#define RMI_L0GPT_SIZE(feat1)		(1ull << (30 + RMI_FEAT1_L0GPTSZ(feat1)))

/* ---- realm parameters ----------------------------------------------------- */

/* FEATURES register 0 */
#define RMI_FEAT0_S2SZ(v)	((unsigned int)((v) & 0xff))
#define RMI_FEAT0_LPA2		(1ull << 8)

#define RMI_VERSION_2_0		0x20000u

/* REALM_CREATE params flags */
#define RMI_REALM_FLAG_LPA2	(1ull << 0)

/*
 * The fields of the REALM_CREATE parameter block the model reads. On
 * hardware they sit in a granule of NS memory; the sim's callers pass a
 * pointer to this struct as the params address (see sim/rmm/README.md).
 */
struct rmi_realm_params {
	unsigned long long flags;
	unsigned int s2sz;
	int rtt_level_start;
	unsigned int rtt_num_start;
	unsigned long long rtt_base;
};

#endif /* RMIBENCH_RMI_ABI_H */
