/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which RTT levels to create when RMI_RTT_DATA_MAP (or UNPROT_MAP) answers
 * RMI_ERROR_RTT.
 *
 * This one header is used verbatim by the sim's host fault path and by the
 * kernel patch series (kernel/ generates the patched header from it and its
 * check fails if the two differ), so the two can never disagree.
 *
 * It has no includes and only plain C, for both worlds.
 */
#ifndef __RMI_RTT_STRATEGY_H
#define __RMI_RTT_STRATEGY_H

#define RMI_RTT_STRATEGY_LAST_LEVEL	3

enum rmi_rtt_strategy {
	/* v14: every missing level down to level 3, then retry once */
	RMI_RTT_STRATEGY_FULL,
	/* v15: only the next level, then retry the map */
	RMI_RTT_STRATEGY_ONE_LEVEL,
	/* down to exactly the level that fits the mapping, then retry */
	RMI_RTT_STRATEGY_BLOCK,
	RMI_RTT_STRATEGY_COUNT,
};

static inline const char *rmi_rtt_strategy_name(enum rmi_rtt_strategy s)
{
	switch (s) {
	case RMI_RTT_STRATEGY_FULL:
		return "full";
	case RMI_RTT_STRATEGY_ONE_LEVEL:
		return "one-level";
	case RMI_RTT_STRATEGY_BLOCK:
		return "block";
	default:
		return "?";
	}
}

/*
 * rmi_rtt_create_last_level() - deepest RTT level to create
 * @s:		the strategy
 * @err_level:	the index of RMI_ERROR_RTT: the level where the walk stopped
 * @map_level:	the level whose block size fits the mapping (3 for 4 KiB,
 *		2 for 2 MiB, 1 for 1 GiB)
 *
 * The caller creates the RTTs of levels err_level + 1 up to and including
 * the returned level, then retries the map. Every strategy creates at least
 * one level, so a retry always sees a deeper walk. The result is never
 * deeper than level 3; a return of @err_level (only when @err_level is
 * already 3) means there is nothing left to create.
 */
static inline int rmi_rtt_create_last_level(enum rmi_rtt_strategy s,
					    int err_level, int map_level)
{
	int last;

	switch (s) {
	case RMI_RTT_STRATEGY_ONE_LEVEL:
		last = err_level + 1;
		break;
	case RMI_RTT_STRATEGY_BLOCK:
		last = map_level > err_level + 1 ? map_level : err_level + 1;
		break;
	case RMI_RTT_STRATEGY_FULL:
	default:
		last = RMI_RTT_STRATEGY_LAST_LEVEL;
		break;
	}

	if (last > RMI_RTT_STRATEGY_LAST_LEVEL)
		last = RMI_RTT_STRATEGY_LAST_LEVEL;
	if (last < err_level)
		last = err_level;
	return last;
}

/*
 * rmi_rtt_map_level() - the level whose block size a mapping of @size
 * bytes at @ipa can use: the shallowest level whose block @ipa is aligned
 * to and @size covers, never above @start_level and never level 0.
 */
static inline int rmi_rtt_map_level(unsigned long long ipa,
				    unsigned long long size, int start_level)
{
	int level = RMI_RTT_STRATEGY_LAST_LEVEL;

	while (level > start_level && level > 1) {
		unsigned long long block = 1ull << (12 + 9 * (4 - level));

		if ((ipa & (block - 1)) || size < block)
			break;
		level--;
	}
	return level;
}

#endif /* __RMI_RTT_STRATEGY_H */
