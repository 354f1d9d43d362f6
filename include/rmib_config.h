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

enum sched_kind {
	SCHED_DET,	/* discrete-event, seeded, virtual time */
	SCHED_THREADS,	/* one pthread per vCPU */
	SCHED_COUNT,
};

/* The most vCPUs a run may have (the model's REC limit is higher). */
#define RMIB_MAX_VCPUS	512

#endif /* RMIBENCH_RMIB_CONFIG_H */
