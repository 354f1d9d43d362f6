// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stand-in for the user of asm/rmi_rtt_strategy.h in arch/arm64/kvm/rmi.c:
 * the header, which has no includes of its own, compiles in kernel context
 * next to the usual kernel headers, and its functions take the argument
 * types the series passes.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include <asm/rmi_rtt_strategy.h>

int standin_rtt_last_level(const char *name, int level, unsigned long ipa,
			   unsigned long top, int start_level);

int standin_rtt_last_level(const char *name, int level, unsigned long ipa,
			   unsigned long top, int start_level)
{
	int map_level = rmi_rtt_map_level(ipa, top - ipa, start_level);
	int i;

	for (i = 0; i < RMI_RTT_STRATEGY_COUNT; i++) {
		if (sysfs_streq(name, rmi_rtt_strategy_name(i)))
			return rmi_rtt_create_last_level(i, level, map_level);
	}

	return -EINVAL;
}
