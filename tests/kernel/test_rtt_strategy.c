// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RTT strategy decision of the kernel patch series against the sim's.
 *
 * Built and run by kernel/scripts/run-checks (make -C kernel check, which
 * make check and make check-kernel run): asm/rmi_rtt_strategy.h is the
 * header as the patch series adds it, taken out of the patches at build
 * time, and rtt_strategy.h is include/rtt_strategy.h, which the sim's fault
 * path uses. Both go into this one unit, the kernel's under other names,
 * and every decision is asked of both. A header that gains a name this
 * file does not rename fails to compile here, which fails the check.
 */
#include "kselftest_harness.h"

/* ---- the kernel's header, renamed ---------------------------------------- */

#define rmi_rtt_strategy		kern_rmi_rtt_strategy
#define RMI_RTT_STRATEGY_FULL		KERN_RMI_RTT_STRATEGY_FULL
#define RMI_RTT_STRATEGY_ONE_LEVEL	KERN_RMI_RTT_STRATEGY_ONE_LEVEL
#define RMI_RTT_STRATEGY_BLOCK		KERN_RMI_RTT_STRATEGY_BLOCK
#define RMI_RTT_STRATEGY_COUNT		KERN_RMI_RTT_STRATEGY_COUNT
#define rmi_rtt_strategy_name		kern_rmi_rtt_strategy_name
#define rmi_rtt_create_last_level	kern_rmi_rtt_create_last_level
#define rmi_rtt_map_level		kern_rmi_rtt_map_level

#include <asm/rmi_rtt_strategy.h>

enum { KERN_RMI_RTT_STRATEGY_LAST_LEVEL = RMI_RTT_STRATEGY_LAST_LEVEL };

#undef rmi_rtt_strategy
#undef RMI_RTT_STRATEGY_FULL
#undef RMI_RTT_STRATEGY_ONE_LEVEL
#undef RMI_RTT_STRATEGY_BLOCK
#undef RMI_RTT_STRATEGY_COUNT
#undef rmi_rtt_strategy_name
#undef rmi_rtt_create_last_level
#undef rmi_rtt_map_level
#undef RMI_RTT_STRATEGY_LAST_LEVEL
#undef __RMI_RTT_STRATEGY_H

/* ---- the sim's header ------------------------------------------------------ */

#include "rtt_strategy.h"

/*
 * Levels to ask about: every RTT level an RMI_ERROR_RTT can name (-1 with
 * LPA2 to 3) and one beyond on each side, for the error level and for the
 * level that fits the mapping alike.
 */
#define LEVEL_MIN	-2
#define LEVEL_MAX	4

TEST(same_strategies)
{
	ASSERT_EQ((int)KERN_RMI_RTT_STRATEGY_COUNT, (int)RMI_RTT_STRATEGY_COUNT);
	ASSERT_EQ((int)KERN_RMI_RTT_STRATEGY_FULL, (int)RMI_RTT_STRATEGY_FULL);
	ASSERT_EQ((int)KERN_RMI_RTT_STRATEGY_ONE_LEVEL,
		  (int)RMI_RTT_STRATEGY_ONE_LEVEL);
	ASSERT_EQ((int)KERN_RMI_RTT_STRATEGY_BLOCK,
		  (int)RMI_RTT_STRATEGY_BLOCK);
	ASSERT_EQ((int)KERN_RMI_RTT_STRATEGY_LAST_LEVEL,
		  (int)RMI_RTT_STRATEGY_LAST_LEVEL);
	for (int s = 0; s <= RMI_RTT_STRATEGY_COUNT; s++)
		ASSERT_STREQ(kern_rmi_rtt_strategy_name(s),
			     rmi_rtt_strategy_name(s));
}

/* Every strategy, every (error level, map level) pair: the same last level */
TEST(same_last_level_every_pair)
{
	int pairs = 0;

	for (int s = 0; s < RMI_RTT_STRATEGY_COUNT; s++) {
		for (int err = LEVEL_MIN; err <= LEVEL_MAX; err++) {
			for (int map = LEVEL_MIN; map <= LEVEL_MAX; map++) {
				int kern = kern_rmi_rtt_create_last_level(s, err,
									  map);
				int sim = rmi_rtt_create_last_level(s, err, map);

				EXPECT_EQ(kern, sim) {
					TH_LOG("%s: error level %d, map level %d",
					       rmi_rtt_strategy_name(s), err, map);
				}
				pairs++;
			}
		}
	}
	ASSERT_EQ(RMI_RTT_STRATEGY_COUNT * (LEVEL_MAX - LEVEL_MIN + 1) *
		  (LEVEL_MAX - LEVEL_MIN + 1), pairs);
}

/*
 * full is v14's: on RMI_ERROR_RTT at level 0, 1 or 2 every level down to 3,
 * whatever the mapping; at level 3 nothing (the realm code then warns and
 * retries the map once).
 */
TEST(full_is_v14)
{
	for (int map = LEVEL_MIN; map <= LEVEL_MAX; map++) {
		for (int err = 0; err <= 3; err++) {
			EXPECT_EQ(3, kern_rmi_rtt_create_last_level(
					KERN_RMI_RTT_STRATEGY_FULL, err, map)) {
				TH_LOG("kernel: error level %d, map level %d",
				       err, map);
			}
			EXPECT_EQ(3, rmi_rtt_create_last_level(
					RMI_RTT_STRATEGY_FULL, err, map)) {
				TH_LOG("sim: error level %d, map level %d",
				       err, map);
			}
		}
	}
}

/* The level that fits a mapping, for aligned and unaligned ranges */
TEST(same_map_level)
{
	static const unsigned long long sizes[] = {
		1ull << 12, 2ull << 12, 511ull << 12, 1ull << 21,
		(1ull << 21) + (1ull << 12), 3ull << 21, 1ull << 30,
		(1ull << 30) + (1ull << 21), 1ull << 39,
	};
	static const unsigned long long bases[] = {
		0, 1ull << 12, 1ull << 21, 3ull << 21, 1ull << 30,
		(1ull << 30) + (1ull << 12), 1ull << 39, 1ull << 47,
	};
	unsigned int i, j;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			for (int start = LEVEL_MIN; start <= LEVEL_MAX; start++) {
				int kern = kern_rmi_rtt_map_level(bases[i],
								  sizes[j],
								  start);
				int sim = rmi_rtt_map_level(bases[i], sizes[j],
							    start);

				EXPECT_EQ(kern, sim) {
					TH_LOG("ipa %#llx size %#llx start %d",
					       bases[i], sizes[j], start);
				}
			}
		}
	}
}

TEST_HARNESS_MAIN
