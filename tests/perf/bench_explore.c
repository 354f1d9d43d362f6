// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-explore: `rmibench explore` on the partial-delegation
 * scenario. The time to find v14's leak from scratch (no hint of the
 * failing call), and interleavings (runs) per second: v14 and v15 up to
 * the default bound, and v15 without failure points with each reduction
 * off in turn, to show what partial-order reduction and state hashing
 * save. Wall and CPU seconds (the machine may be shared); figures are
 * printed, not asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore.h"
#include "rmib_util.h"
#include "run.h"

static double cpu_s(void)
{
	return (double)rmib_clock_ns(CLOCK_PROCESS_CPUTIME_ID) * 1e-9;
}

static void opts(struct explore_opts *o, enum host_version k)
{
	char err[256];

	explore_opts_default(o);
	run_config_default(&o->run.cfg);
	o->run.cfg.kernel = k;
	run_config_resolve(&o->run.cfg, false, false);
	o->scen = scenario_find("partial-delegation");
	if (scenario_apply(o->scen, &o->run, err, sizeof(err))) {
		fprintf(stderr, "bench_explore: %s\n", err);
		exit(1);
	}
}

static void one(const char *label, const struct explore_opts *o)
{
	struct explore_result *res = calloc(1, sizeof(*res));
	const struct explore_stats *st;
	double c0 = cpu_s(), c;
	char err[256];

	if (!res || explore_run(o, res, err, sizeof(err))) {
		fprintf(stderr, "bench_explore: %s\n", res ? err : "no memory");
		exit(1);
	}
	c = cpu_s() - c0;
	st = &res->st;
	printf("%-44s %7llu runs (%6llu to the end) %7.2f s wall %7.2f s cpu: %6.0f runs/s wall, %6.0f runs/s cpu; %8llu states, %6llu queued, %8llu left out; %u findings; %s\n",
	       label, (unsigned long long)st->runs,
	       (unsigned long long)st->complete, st->seconds, c,
	       (double)st->runs / st->seconds, (double)st->runs / c,
	       (unsigned long long)st->states,
	       (unsigned long long)st->alternatives,
	       (unsigned long long)st->por_skipped, res->nfind, st->stopped);
	for (unsigned int i = 0; i < res->nfind; i++)
		if (res->find[i].cls == OUTCOME_LEAK && o->until == OUTCOME_LEAK)
			printf("  time to find v14's partial-delegation leak: %.3f s wall, run %llu; shrunk to %s\n",
			       res->find[i].found_s,
			       (unsigned long long)res->find[i].found_run,
			       res->find[i].schedule);
	explore_result_free(res);
	free(res);
}

int main(void)
{
	struct explore_opts o;

	printf("# rmibench bench-explore: scenario partial-delegation (2 vCPUs, one 2 MiB folio, tf-rmm), in-process runs\n");
	opts(&o, HOST_V14);
	o.until = OUTCOME_LEAK;
	one("v14, until the first leak", &o);

	opts(&o, HOST_V14);
	o.random_runs = 0;
	one("v14, bound 1, every failure point", &o);
	opts(&o, HOST_V15);
	o.random_runs = 0;
	one("v15, bound 1, every failure point", &o);

	opts(&o, HOST_V15);
	o.failures = false;
	o.bound = 2;
	o.random_runs = 0;
	one("v15, bound 2, no failure point", &o);
	o.prune = false;
	one("  ... no state hashing", &o);
	o.prune = true;
	o.por = false;
	o.max_runs = 20000;
	one("  ... no partial-order reduction (20000 runs)", &o);
	return 0;
}
