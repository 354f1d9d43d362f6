/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: schedules and the scenarios they run (bench/README.md,
 * "Exploring interleavings").
 *
 * A scenario is a named small run: a few vCPUs, a memslot of one or two
 * folios, settings of `rmibench run`. A schedule is one run of a
 * scenario made exact: the host series, the vCPU picked at the decision
 * points of the det scheduler where it is not the default one, and at
 * most one failure point ("the Nth call of command C fails with status
 * S", an injection rule space=N,times=1). As text:
 *
 *   KERNEL:SCENARIO[:CHOICES][/fail=COMMAND#N:STATUS[.INDEX]]
 *   CHOICES = ITEM{.ITEM}
 *   ITEM    = dCOUNT        COUNT decisions with the default pick
 *           | V[xCOUNT]     vCPU V, at COUNT decisions in a row (1)
 *
 * e.g. "v14:partial-delegation:d812.1x3/fail=RTT_DATA_MAP#1:ERROR_INPUT".
 * Decisions past the choices take the default: round robin, the next
 * vCPU after the one that ran, in id order, that may run (one RMI call
 * each in turn).
 */
#ifndef RMIBENCH_SCHEDULE_H
#define RMIBENCH_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "inject.h"
#include "run_opts.h"

#define SCHED_TEXT_MAX	2048	/* characters of a schedule, with the 0 */
#define SCHED_MAX_DEVS	128	/* runs of chosen vCPUs in a schedule */

/* A scenario: its settings as `rmibench run` options. */
struct scenario {
	const char *name;
	const char *summary;
	const char *const *settings;	/* "opt", "value" (NULL for a flag),
					 * ..., NULL */
};

/* The scenarios, NULL-terminated; one by name (NULL if none). */
extern const struct scenario *const scenarios[];
const struct scenario *scenario_find(const char *name);

/* Decisions [at, at + count) pick vCPU @vcpu. */
struct sched_dev {
	uint32_t at, count;
	unsigned int vcpu;
};

struct schedule {
	enum host_version kernel;
	const struct scenario *scen;
	struct sched_dev dev[SCHED_MAX_DEVS];	/* by @at, apart */
	unsigned int ndev;
	bool fail;				/* a failure point */
	unsigned int fail_cmd;			/* enum rmi_cmd */
	uint64_t fail_n;			/* the Nth call, from 1 */
	unsigned int fail_status, fail_index;
};

/* Parse @text. 0, or -1 with one line saying what is wrong in @err. */
int schedule_parse(const char *text, struct schedule *s, char *err,
		   size_t errlen);
/* The text of @s; the length it needed, as snprintf. */
int schedule_format(const struct schedule *s, char *buf, size_t len);
/* The failure point as an injection rule's text ("" if none). */
void schedule_fail_rule(const struct schedule *s, char *buf, size_t len);
/* Decisions the choices cover: past them, the default. */
uint32_t schedule_end(const struct schedule *s);
/*
 * Add a run of @count choices of @vcpu at @at (past the last one).
 * 0, or -1 if @s is full or @at is not past it.
 */
int schedule_add(struct schedule *s, uint32_t at, uint32_t count,
		 unsigned int vcpu);

/*
 * Make @o the settings of @s's run: the scenario's settings where the
 * option was not given, the kernel (which must agree with --kernel if
 * given), and the failure point as one more injection rule. 0, or -1
 * with one line in @err.
 */
int schedule_apply(const struct schedule *s, struct run_opts *o, char *err,
		   size_t errlen);
/* Only the scenario's settings, where the option was not given. */
int scenario_apply(const struct scenario *sc, struct run_opts *o, char *err,
		   size_t errlen);

/*
 * Replaying a schedule: the chooser that takes its choices, then the
 * default. A choice of a vCPU that may not run there takes the default
 * and is counted in @ignored.
 */
struct replay {
	const struct schedule *s;
	unsigned int k;			/* the run of choices at hand */
	uint32_t decisions;		/* decisions made */
	uint32_t ignored;
	uint32_t preemptions;		/* choices that were not the default */
};

unsigned int replay_choose(void *ctx, struct host *h,
			   const struct sched_decision *d);
/* The pick of a replay at @d, as replay_choose (no state kept beyond @r). */
unsigned int replay_pick(struct replay *r, const struct sched_decision *d);

#endif /* RMIBENCH_SCHEDULE_H */
