/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the sim's USDT probes, provider "rmibench", one per event of
 * include/rmi_events.h with the same names and argument order. Each is
 * guarded by its semaphore, so an unattached probe costs one predictable
 * load and branch; libbpf's USDT attach raises the semaphore.
 */
#ifndef RMIBENCH_PROBES_H
#define RMIBENCH_PROBES_H

#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

#include "rmi_events.h"

#define RMIB_SEM(name)	rmibench_##name##_semaphore

#define RMIB_SEM_DECLARE_(name, fields) \
	extern volatile unsigned short RMIB_SEM(name);
RMI_EVENTS(RMIB_SEM_DECLARE_)

#define RMIB_ON(name)	__builtin_expect(RMIB_SEM(name) != 0, 0)

#define RMIB_PROBE3(name, a, b, c) do { \
	if (RMIB_ON(name)) \
		DTRACE_PROBE3(rmibench, name, a, b, c); \
} while (0)
#define RMIB_PROBE4(name, a, b, c, d) do { \
	if (RMIB_ON(name)) \
		DTRACE_PROBE4(rmibench, name, a, b, c, d); \
} while (0)
#define RMIB_PROBE6(name, a, b, c, d, e, f) do { \
	if (RMIB_ON(name)) \
		DTRACE_PROBE6(rmibench, name, a, b, c, d, e, f); \
} while (0)

#endif /* RMIBENCH_PROBES_H */
