/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: the choices a run is made of that both the sim and the result
 * files name (their names and the rest of the run's configuration are the
 * result schema's, bench/).
 */
#ifndef RMIBENCH_RMIB_CONFIG_H
#define RMIBENCH_RMIB_CONFIG_H

/* The host series version whose realm paths the sim runs (--kernel). */
enum host_version {
	HOST_V14,	/* cca-host/v14, May 2026 */
	HOST_V15,	/* v15, July 2026, and the review trees after it */
	HOST_VERSION_COUNT,
};

/* How realm_map_protected() reads a failed delegation. */
enum deleg_variant {
	DELEG_V14,	/* any delegate failure: "raced", back to the guest */
	DELEG_V15,	/* progress-reporting delegate, map what was done */
	DELEG_COUNT,
};

/* guest_memfd's folio size: a fault maps its whole folio. */
enum folio_mode {
	FOLIO_4K,
	FOLIO_2M,
	FOLIO_1G,
	FOLIO_MIXED,	/* per 1 GiB: 1G, 2M, 4K folios in turn, seeded */
	FOLIO_COUNT,
};

/*
 * Memory the RMM cannot use yet (not FINE-tracked, or without a level-1
 * GPT), such as memory hotplugged after boot (--gpt).
 */
enum gpt_mode {
	GPT_BOOT,	/* as the trees: set up at boot, nothing later; a
			 * delegate's ERROR_TRACKING / ERROR_GPT is a
			 * failure like any other */
	GPT_ON_DEMAND,	/* the review's sketch: on those statuses, make the
			 * memory FINE or create its L1 GPT, delegate again */
	GPT_MODE_COUNT,
};

/*
 * What the firmware prepared for the RMM at boot (the RMM model's
 * --firmware): the boot memory only (memory added later is COARSE-tracked
 * and has no level-1 GPT until the host asks for them), or all the memory
 * the platform can have, hotpluggable ranges included.
 */
enum rmm_firmware {
	RMM_FW_BOOT,
	RMM_FW_ALL,
	RMM_FW_COUNT,
};

enum sched_kind {
	SCHED_DET,	/* discrete-event, seeded, virtual time */
	SCHED_THREADS,	/* one pthread per vCPU */
	SCHED_COUNT,
};

/* The most vCPUs a run may have (the model's REC limit is higher). */
#define RMIB_MAX_VCPUS	512

#endif /* RMIBENCH_RMIB_CONFIG_H */
