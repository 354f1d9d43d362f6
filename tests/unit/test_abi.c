// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RMI ABI encoders and decoders of include/rmi_abi.h, against values
 * worked out by hand from rmi-facts.md sections 1, 3 and 8.
 */
#include "kselftest_harness.h"

#include "rmi_abi.h"
#include "rmi_events.h"
#include "rmm.h"
#include "rtt_strategy.h"

TEST(function_ids)
{
	/* [1] 0xC4000000 | short id; RMM_ACTIVATE is 0xC4000202 */
	ASSERT_EQ(0xC4000202u, (unsigned int)RMI_RMM_ACTIVATE);
	ASSERT_EQ(0xC40001F5u, (unsigned int)RMI_RTT_DATA_MAP);
	ASSERT_EQ(0xC4000150u, (unsigned int)RMI_VERSION);
	ASSERT_EQ(0xC400015Du, (unsigned int)RMI_RTT_CREATE);
	ASSERT_TRUE(RMI_FID_IS_RMI(0xC4000150u));
	ASSERT_TRUE(RMI_FID_IS_RMI(0xC4000203u));
	ASSERT_FALSE(RMI_FID_IS_RMI(0xC400014Fu));
	ASSERT_FALSE(RMI_FID_IS_RMI(0xC4000204u));
	ASSERT_FALSE(RMI_FID_IS_RMI(0x84000150u));
	ASSERT_STREQ("RTT_DATA_MAP", rmi_cmd_name(0xC40001F5u));
	ASSERT_EQ((int64_t)0xC40001F6u, rmi_cmd_fid("RTT_DATA_UNMAP"));
	ASSERT_EQ((int64_t)-1, rmi_cmd_fid("RTT_DATA_MAPX"));
	ASSERT_EQ(NULL, rmi_cmd_name(0xC4000151u));
	/* fid <-> enum index: every command, and nothing else */
	ASSERT_EQ((unsigned int)RMI_CMD_RTT_DATA_MAP, rmi_cmd_index(0xC40001F5u));
	ASSERT_STREQ("RTT_DATA_MAP", rmi_cmd_name_at(RMI_CMD_RTT_DATA_MAP));
	ASSERT_EQ((unsigned int)RMI_CMD_COUNT, rmi_cmd_index(0xC4000151u));
	ASSERT_EQ((unsigned int)RMI_CMD_COUNT, rmi_cmd_index(0x840001F5u));
	ASSERT_EQ(NULL, rmi_cmd_name_at(RMI_CMD_COUNT));
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++)
		ASSERT_EQ(i, rmi_cmd_index((uint32_t)rmi_cmd_fid(rmi_cmd_name_at(i))));
}

TEST(status_packing)
{
	/* [1] status in [7:0], index in [15:8] */
	ASSERT_EQ(0x104ull, RMI_RETURN(RMI_ERROR_RTT, 1));
	ASSERT_EQ(0x304ull, RMI_RETURN(RMI_ERROR_RTT, 3));
	ASSERT_EQ(4u, RMI_RETURN_STATUS(0x204ull));
	ASSERT_EQ(2u, RMI_RETURN_INDEX(0x204ull));
	ASSERT_EQ(0u, RMI_RETURN_INDEX(0x10ull));
	ASSERT_EQ(16, RMI_ERROR_GRANULE);
	ASSERT_EQ(13, RMI_INCOMPLETE);
	ASSERT_STREQ("BUSY", rmi_status_name(10));
	ASSERT_EQ(11, rmi_status_from_name("ERROR_GLOBAL"));
	ASSERT_EQ(NULL, rmi_status_name(17));
}

TEST(range_descriptor)
{
	/* [3] 2 MiB block, count 1, PA 0x200000, delegated:
	 * size 1 | count 1 << 2 | PA = 0x200005 */
	unsigned long long d = rmi_desc_encode(RMI_DESC_SIZE_2M, 1, 0x200000,
					       RMI_DESC_STATE_DELEGATED);

	ASSERT_EQ(0x200005ull, d);
	ASSERT_EQ(1u, RMI_DESC_SIZE(d));
	ASSERT_EQ(1u, RMI_DESC_COUNT(d));
	ASSERT_EQ(0x200000ull, RMI_DESC_ADDR(d));
	ASSERT_EQ(0u, RMI_DESC_STATE(d));
	ASSERT_EQ(2ull << 20, rmi_desc_bytes(d));
	/* 1023 pages, undelegated, at the top of a 52-bit PA space */
	d = rmi_desc_encode(RMI_DESC_SIZE_4K, 1023, 0xffffffffff000ull,
			    RMI_DESC_STATE_UNDELEGATED);
	ASSERT_EQ(0x8000000000000000ull | 0xffffffffff000ull | (1023ull << 2),
		  d);
	ASSERT_EQ(1023u, RMI_DESC_COUNT(d));
	ASSERT_EQ(1u, RMI_DESC_STATE(d));
	ASSERT_EQ(1023ull * 4096, rmi_desc_bytes(d));
	/* address bits below 12 and above 51 never leak into the fields */
	d = rmi_desc_encode(RMI_DESC_SIZE_1G, 1, 0xfff0000000000fffull, 0);
	ASSERT_EQ(0x000ffffffffff000ull & 0xfff0000000000fffull,
		  RMI_DESC_ADDR(d));
	ASSERT_EQ(2u, RMI_DESC_SIZE(d));
	ASSERT_EQ(1, RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE_1G));
	ASSERT_EQ(3, RMI_DESC_SIZE_TO_LEVEL(RMI_DESC_SIZE_4K));
	ASSERT_EQ(0u, RMI_LEVEL_TO_DESC_SIZE(3));
}

TEST(flags)
{
	/* [3] SINGLE = 1; LIST = 2 with count in [15:2]; memattr [18:16];
	 * S2AP [22:19] (bit 0 write, bit 1 read) */
	unsigned long long f = rmi_flags_encode(RMI_ADDR_TYPE_LIST, 5, 0, 0);

	ASSERT_EQ(2ull | (5ull << 2), f);
	ASSERT_EQ(5u, RMI_FLAGS_LIST_COUNT(f));
	f = rmi_flags_encode(RMI_ADDR_TYPE_SINGLE, 0, 5,
			     RMI_S2AP_READ | RMI_S2AP_WRITE);
	ASSERT_EQ(1ull | (5ull << 16) | (3ull << 19), f);
	ASSERT_EQ(5u, RMI_FLAGS_MEMATTR(f));
	ASSERT_EQ(3u, RMI_FLAGS_S2AP(f));
	ASSERT_EQ(1u, RMI_FLAGS_ADDR_TYPE(f));
}

TEST(geometry)
{
	/* [8] 40-bit IPA: start level 1 with 2 root tables */
	ASSERT_EQ(1, rmi_start_level(40));
	ASSERT_EQ(2u, rmi_root_rtts(40));
	/* 48 bits: start level 0, one root; 52 (LPA2): 16 roots */
	ASSERT_EQ(0, rmi_start_level(48));
	ASSERT_EQ(1u, rmi_root_rtts(48));
	ASSERT_EQ(16u, rmi_root_rtts(52));
	/* 39 bits: one L1 table; 32 bits: start level 2 with 4 tables */
	ASSERT_EQ(1, rmi_start_level(39));
	ASSERT_EQ(1u, rmi_root_rtts(39));
	ASSERT_EQ(2, rmi_start_level(32));
	ASSERT_EQ(4u, rmi_root_rtts(32));
	ASSERT_EQ(1ull << 30, RMI_LEVEL_SIZE(1));
	ASSERT_EQ(1ull << 21, RMI_LEVEL_SIZE(2));
	ASSERT_EQ(1ull << 12, RMI_LEVEL_SIZE(3));
	ASSERT_EQ(1ull << 39, RMI_LEVEL_SIZE(0));
}

TEST(rtt_strategy_decision)
{
	/* [6] full: every level down to 3 */
	ASSERT_EQ(3, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_FULL, 1, 2));
	ASSERT_EQ(3, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_FULL, 0, 3));
	/* one-level: only the next */
	ASSERT_EQ(2, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_ONE_LEVEL,
					       1, 3));
	ASSERT_EQ(1, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_ONE_LEVEL,
					       0, 3));
	/* block: down to the mapping's level, at least one */
	ASSERT_EQ(2, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_BLOCK, 0, 2));
	ASSERT_EQ(3, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_BLOCK, 1, 3));
	ASSERT_EQ(3, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_BLOCK, 2, 2));
	ASSERT_EQ(1, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_BLOCK, 0, 1));
	/* nothing below level 3 */
	ASSERT_EQ(3, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_ONE_LEVEL,
					       3, 3));
	ASSERT_EQ(3, rmi_rtt_create_last_level(RMI_RTT_STRATEGY_BLOCK, 3, 2));
	ASSERT_STREQ("one-level", rmi_rtt_strategy_name(RMI_RTT_STRATEGY_ONE_LEVEL));
}

TEST(rtt_map_level)
{
	/* 2 MiB aligned and long enough: level 2; 1 GiB: level 1 */
	ASSERT_EQ(2, rmi_rtt_map_level(1ull << 30, 2ull << 20, 1));
	ASSERT_EQ(1, rmi_rtt_map_level(1ull << 30, 1ull << 30, 1));
	ASSERT_EQ(3, rmi_rtt_map_level((1ull << 30) + 4096, 2ull << 20, 1));
	ASSERT_EQ(3, rmi_rtt_map_level(0, 4096, 1));
	/* never above the start level, never level 0 */
	ASSERT_EQ(2, rmi_rtt_map_level(0, 1ull << 30, 2));
	ASSERT_EQ(1, rmi_rtt_map_level(0, 1ull << 40, 0));
}

#define COUNT_EV_(name, fields) + 1
#define COUNT_FIELD_(type, name) + 1
TEST(event_schema)
{
	/* DESIGN.md: eight events; realm_map_exit has six arguments */
	ASSERT_EQ(8, 0 RMI_EVENTS(COUNT_EV_));
	ASSERT_EQ(8, RMI_EV_COUNT);
	ASSERT_EQ(6, 0 RMI_EV_FIELDS_realm_map_exit(COUNT_FIELD_));
	ASSERT_EQ(4, 0 RMI_EV_FIELDS_rmi_call_enter(COUNT_FIELD_));
}

TEST_HARNESS_MAIN
