/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench explore: the interleavings of a scenario's vCPUs at RMI-call
 * granularity, combined with failure points, searched for runs that leak,
 * WARN, livelock, break the model or lose an access (bench/README.md,
 * "Exploring interleavings").
 *
 * Every run is a schedule (schedule.h) made from scratch in-process. The
 * search: first each failure point's default run ("level 0"), then,
 * level by level up to a bound, schedules with one more run of chosen
 * vCPUs. The choices tried are the races a run shows (partial-order
 * reduction): two steps of different vCPUs whose footprints conflict
 * (one writes a granule, RTT or host resource the other touches), the
 * later vCPU then run first, for as many steps as it took to get to its
 * racing one. A run that reaches a state (host_state_hash) another run
 * reached with no more choices stops there (state hashing). Past the
 * bound, random schedules from a seed. Failing cases are shrunk.
 */
#ifndef RMIBENCH_EXPLORE_H
#define RMIBENCH_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "inject.h"
#include "result.h"
#include "run_opts.h"
#include "schedule.h"

#define EXPLORE_SCHEMA		"rmibench-explore-1"
#define EXPLORE_MAX_BOUND	8	/* runs of choices per schedule */
#define EXPLORE_MAX_FINDINGS	64

/* A failing run's class: the run's outcome class, or an access lost. */
#define EXPLORE_LOST_ACCESS	OUTCOME_COUNT	/* no class of its own in
						 * result files */
#define EXPLORE_CLASSES		(OUTCOME_COUNT + 1)

const char *explore_class_name(unsigned int cls);
int explore_class_from_name(const char *s);	/* -1 if unknown */

struct explore_opts {
	struct run_opts run;		/* the scenario's settings, kernel set */
	const struct scenario *scen;
	unsigned int bound;		/* runs of choices, exhaustive up to */
	uint64_t random_runs;		/* random schedules past the bound */
	uint64_t seed;			/* of the random schedules */
	uint64_t max_runs;		/* runs in all (search; shrinking has
					 * its own budget) */
	double max_seconds;		/* search time */
	bool failures;			/* failure points (else interleavings
					 * only) */
	uint64_t fail_calls;		/* of the first calls of each command
					 * in the default run */
	bool por;			/* race-directed choices; else every
					 * alternative at every decision */
	bool prune;			/* state hashing */
	int until;			/* stop at the first failing run of
					 * this class (-1: go on) */
	unsigned int max_findings;	/* distinct failures kept and shrunk */
	uint64_t shrink_runs;		/* runs to shrink one finding */
	bool progress;			/* a progress line on stderr */
};

void explore_opts_default(struct explore_opts *o);

/* A distinct failure: its class, failure point and (livelock) place. */
struct explore_finding {
	unsigned int cls;
	char key[192];			/* "leak, fail RTT_DATA_MAP ERROR_INPUT" */
	char found[SCHED_TEXT_MAX];	/* the schedule that first showed it */
	char schedule[SCHED_TEXT_MAX];	/* shrunk */
	uint64_t runs;			/* failing runs with this key */
	double found_s;			/* seconds into the search */
	uint64_t found_run;		/* the run that found it, from 1 */
	uint64_t shrink_runs;
	unsigned int preemptions;	/* choices not the default, shrunk */
	unsigned int choices;		/* runs of chosen vCPUs, shrunk */
	/* the shrunk schedule's run */
	char outcome[256];
	uint64_t leaked, warnings, rmi_calls, faults;
	struct run_result *result;	/* malloc'ed */
};

struct explore_stats {
	uint64_t runs;			/* every run of the search */
	uint64_t complete;		/* ran to the end */
	uint64_t pruned;		/* stopped at a state seen before */
	uint64_t states;		/* distinct states hashed */
	uint64_t decisions;		/* decision points, all runs */
	uint64_t alternatives;		/* schedules queued */
	uint64_t por_skipped;		/* alternatives no race asked for */
	uint64_t failure_points;	/* enumerated from the baseline */
	uint64_t random;		/* random schedules run */
	uint64_t failing;		/* runs that failed */
	uint64_t by_class[EXPLORE_CLASSES];	/* complete runs by class */
	unsigned int level;		/* the last level begun */
	bool exhausted;			/* every schedule up to the bound ran */
	char stopped[64];		/* why the search ended */
	double seconds;			/* the search */
	double shrink_seconds;
	uint64_t shrink_runs;
	uint32_t baseline_decisions;	/* of the default run */
	uint64_t baseline_calls;	/* its RMI calls while vCPUs ran */
};

struct explore_result {
	struct explore_stats st;
	struct explore_finding find[EXPLORE_MAX_FINDINGS];
	unsigned int nfind;
	struct run_config cfg;		/* the scenario's run */
};

/*
 * Explore @o. 0 (findings or none), or -1 with one line in @err when a
 * run could not be made. Free @res with explore_result_free().
 */
int explore_run(const struct explore_opts *o, struct explore_result *res,
		char *err, size_t errlen);
void explore_result_free(struct explore_result *res);

/* The replaying command line of @schedule with the options @o->run was
 * given beyond the scenario's ("rmibench run --schedule ..."). */
void explore_command(const struct explore_opts *o, const char *schedule,
		     char *buf, size_t len);

/* The result as JSON text (malloc'ed; NULL if out of memory). */
char *explore_json(const struct explore_opts *o,
		   const struct explore_result *res);

#endif /* RMIBENCH_EXPLORE_H */
