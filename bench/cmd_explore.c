// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench explore: a scenario's interleavings and failure points,
 * searched for failing runs (explore.h); each failing case printed as a
 * schedule that `rmibench run --schedule` replays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "cli.h"
#include "config.h"
#include "errmsg.h"
#include "explore.h"
#include "outfile.h"
#include "result.h"
#include "run_opts.h"

struct explore_args {
	struct explore_opts o;
	const char *scenario;
	const char *out;
	const char *results;	/* directory for the findings' result files */
	bool list, quiet;
};

enum { OPT_SCENARIO = 0x300, OPT_LIST, OPT_BOUND, OPT_RANDOM,
       OPT_SEARCH_SEED, OPT_MAX_RUNS, OPT_MAX_TIME, OPT_NO_FAILURES,
       OPT_NO_POR, OPT_NO_PRUNE, OPT_UNTIL, OPT_FINDINGS, OPT_SHRINK,
       OPT_OUT, OPT_RESULTS, OPT_QUIET, OPT_FAIL_CALLS };

static error_t explore_parse(int key, char *arg, struct argp_state *state)
{
	struct explore_args *a = state->input;
	uint64_t v;
	int k;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->o.run;
		return 0;
	case OPT_SCENARIO:
		if (!scenario_find(arg))
			return cli_bad_value(state, "scenario", arg,
					     "unknown (--list names them)");
		a->scenario = arg;
		return 0;
	case OPT_LIST:
		a->list = true;
		return 0;
	case OPT_BOUND:
		if (cli_parse_uint(arg, 0, EXPLORE_MAX_BOUND, &v))
			return cli_bad_value(state, "bound", arg, "want 0..8");
		a->o.bound = (unsigned int)v;
		return 0;
	case OPT_RANDOM:
		if (cli_parse_uint(arg, 0, UINT32_MAX, &a->o.random_runs))
			return cli_bad_value(state, "random", arg,
					     "want a number of runs");
		return 0;
	case OPT_SEARCH_SEED:
		if (cli_parse_uint(arg, 0, UINT64_MAX, &a->o.seed))
			return cli_bad_value(state, "search-seed", arg,
					     "want a number");
		return 0;
	case OPT_MAX_RUNS:
		if (cli_parse_uint(arg, 1, UINT64_MAX, &a->o.max_runs))
			return cli_bad_value(state, "max-runs", arg,
					     "want a number from 1");
		return 0;
	case OPT_MAX_TIME: {
		char *end;
		double t = strtod(arg, &end);

		if (end == arg || *end || !(t > 0) || t > 1e6)
			return cli_bad_value(state, "max-time", arg,
					     "want seconds, more than 0");
		a->o.max_seconds = t;
		return 0;
	}
	case OPT_NO_FAILURES:
		a->o.failures = false;
		return 0;
	case OPT_FAIL_CALLS:
		if (cli_parse_uint(arg, 1, UINT32_MAX, &a->o.fail_calls))
			return cli_bad_value(state, "fail-calls", arg,
					     "want a number from 1");
		return 0;
	case OPT_NO_POR:
		a->o.por = false;
		return 0;
	case OPT_NO_PRUNE:
		a->o.prune = false;
		return 0;
	case OPT_UNTIL:
		k = explore_class_from_name(arg);
		if (k <= 0)
			return cli_bad_value(state, "until", arg,
					     "want guest-error, warn, killed, leak, livelock, invariant or lost-access");
		a->o.until = k;
		return 0;
	case OPT_FINDINGS:
		if (cli_parse_uint(arg, 1, EXPLORE_MAX_FINDINGS, &v))
			return cli_bad_value(state, "findings", arg,
					     "want 1..64");
		a->o.max_findings = (unsigned int)v;
		return 0;
	case OPT_SHRINK:
		if (cli_parse_uint(arg, 0, UINT32_MAX, &a->o.shrink_runs))
			return cli_bad_value(state, "shrink-runs", arg,
					     "want a number of runs");
		return 0;
	case OPT_OUT:
		if (cli_check_out(state, "out", arg))
			return EINVAL;
		a->out = arg;
		return 0;
	case OPT_RESULTS: {
		struct stat st;

		if (stat(arg, &st) || !S_ISDIR(st.st_mode) ||
		    access(arg, W_OK))
			return cli_bad_value(state, "results", arg,
					     "want a writable directory");
		a->results = arg;
		return 0;
	}
	case OPT_QUIET:
		a->quiet = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp_option explore_options[] = {
	{ "scenario", OPT_SCENARIO, "NAME", 0,
	  "the scenario to explore (--list names them); the settings options "
	  "below override its settings", 0 },
	{ "list", OPT_LIST, NULL, 0, "list the scenarios and their settings",
	  0 },
	{ "bound", OPT_BOUND, "N", 0,
	  "runs of chosen vCPUs per schedule, explored exhaustively up to N "
	  "(0..8, default 1)", 0 },
	{ "random", OPT_RANDOM, "N", 0,
	  "random schedules after that, from --search-seed (default 1000)",
	  0 },
	{ "search-seed", OPT_SEARCH_SEED, "N", 0,
	  "seed of the random schedules (default 1)", 0 },
	{ "max-runs", OPT_MAX_RUNS, "N", 0,
	  "runs of the search at most (default 1000000)", 0 },
	{ "max-time", OPT_MAX_TIME, "SECONDS", 0,
	  "seconds of search at most (default 60); shrinking comes after",
	  0 },
	{ "until", OPT_UNTIL, "CLASS", 0,
	  "stop the search at the first failing run of this class", 0 },
	{ "no-failures", OPT_NO_FAILURES, NULL, 0,
	  "interleavings only: no failure points", 0 },
	{ "fail-calls", OPT_FAIL_CALLS, "N", 0,
	  "failure points at the first N calls of each command while the "
	  "vCPUs run, in the default run (default 2048)", 0 },
	{ "no-por", OPT_NO_POR, NULL, 0,
	  "every other vCPU at every decision, not only where runs race", 0 },
	{ "no-prune", OPT_NO_PRUNE, NULL, 0,
	  "no state hashing: every run to its end", 0 },
	{ "findings", OPT_FINDINGS, "N", 0,
	  "distinct failures kept and shrunk (1..64, default 16)", 0 },
	{ "shrink-runs", OPT_SHRINK, "N", 0,
	  "runs to shrink each failure (default 400)", 0 },
	{ "out", OPT_OUT, "FILE", 0,
	  "write the exploration as JSON (results/README.md): a regular file "
	  "or a new name, replaced atomically; - for stdout", 0 },
	{ "results", OPT_RESULTS, "DIR", 0,
	  "write each failure's result file, DIR/finding-N.json, as "
	  "`rmibench run --schedule` writes it", 0 },
	{ "quiet", OPT_QUIET, NULL, 0, "print the findings only", 0 },
	{ 0 }
};

static const char explore_doc[] =
"Explores a scenario's interleavings at RMI-call granularity (kvm->mmu_lock "
"respected: a vCPU waiting for it is not run), combined with failure "
"points (the Nth call of a command fails with a status it can return), "
"and checks each run: no leaked granule, no WARN, no livelock, the model's "
"invariants, every access mapped or refused (with a failure point a WARN "
"or a dead realm is the host's answer, not a failure). Prints each "
"distinct failure as the `rmibench run --schedule` command that replays "
"it, shrunk."
"\v"
"Exit status: 0 no failing run, 3 failing runs (listed), 1 an error, 2 a "
"bad command line.";

static void list_scenarios(void)
{
	for (unsigned int i = 0; scenarios[i]; i++) {
		const struct scenario *sc = scenarios[i];

		printf("%s: %s\n ", sc->name, sc->summary);
		for (const char *const *p = sc->settings; *p; p += 2)
			printf(" --%s%s%s", p[0], p[1] ? " " : "",
			       p[1] ? p[1] : "");
		printf("\n");
	}
}

static void print_result(const struct explore_args *a,
			 const struct explore_result *res)
{
	const struct explore_stats *st = &res->st;
	char cmd[SCHED_TEXT_MAX + 512];
	bool any = false;

	if (!a->quiet) {
		printf("explore %s %s: %llu failure points; levels 0..%u%s; %s\n",
		       kernel_name(res->cfg.kernel), a->scenario,
		       (unsigned long long)st->failure_points, a->o.bound,
		       st->exhausted ? " done" : " not done", st->stopped);
		printf("  %llu runs (%llu to the end, %llu pruned at a state seen before, %llu random) in %.2f s: %.0f runs/s\n",
		       (unsigned long long)st->runs,
		       (unsigned long long)st->complete,
		       (unsigned long long)st->pruned,
		       (unsigned long long)st->random, st->seconds,
		       st->seconds > 0 ? (double)st->runs / st->seconds : 0);
		printf("  %llu distinct states, %llu decisions, %llu schedules queued, %llu alternatives left out (no race)\n",
		       (unsigned long long)st->states,
		       (unsigned long long)st->decisions,
		       (unsigned long long)st->alternatives,
		       (unsigned long long)st->por_skipped);
		printf("  runs to the end by class:");
		for (unsigned int i = 0; i < EXPLORE_CLASSES; i++)
			if (st->by_class[i]) {
				printf("%s %s %llu", any ? "," : "",
				       explore_class_name(i),
				       (unsigned long long)st->by_class[i]);
				any = true;
			}
		printf("%s\n", any ? "" : " none");
		printf("  failing runs %llu, %u distinct%s\n",
		       (unsigned long long)st->failing, res->nfind,
		       res->nfind ? ":" : "");
	}
	for (unsigned int i = 0; i < res->nfind; i++) {
		const struct explore_finding *f = &res->find[i];
		char outcome[512];

		errmsg_escape(outcome, sizeof(outcome), f->outcome);
		printf("%s: %llu runs, first after %.2f s (run %llu)\n", f->key,
		       (unsigned long long)f->runs, f->found_s,
		       (unsigned long long)f->found_run);
		printf("  outcome: %s; leaked %llu, WARNs %llu, faults %llu, RMI calls %llu\n",
		       outcome, (unsigned long long)f->leaked,
		       (unsigned long long)f->warnings,
		       (unsigned long long)f->faults,
		       (unsigned long long)f->rmi_calls);
		printf("  shrunk in %llu runs to %u run(s) of choices, %u not the default (found as %s)\n",
		       (unsigned long long)f->shrink_runs, f->choices,
		       f->preemptions, f->found);
		explore_command(&a->o, f->schedule, cmd, sizeof(cmd));
		printf("  %s\n", cmd);
	}
}

int cmd_explore(int argc, char **argv)
{
	struct argp_child settings[] = {
		{ run_opts_argp(), 0,
		  "Run settings (over the scenario's; the replaying command "
		  "repeats them):", 2 },
		{ 0 }
	};
	const struct argp argp = {
		.options = explore_options,
		.parser = explore_parse,
		.doc = explore_doc,
		.children = settings,
	};
	struct explore_args *a = calloc(1, sizeof(*a));
	struct explore_result *res = calloc(1, sizeof(*res));
	char err[512];
	char *text = NULL;
	int rc;

	if (!a || !res) {
		free(a);
		free(res);
		fprintf(stderr, "rmibench explore: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	explore_opts_default(&a->o);
	rc = cli_parse(&argp, "rmibench explore", argc, argv, 0, a);
	if (rc >= 0)
		goto out;
	rc = CLI_EXIT_USAGE;
	if (a->list) {
		list_scenarios();
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (!a->scenario) {
		fprintf(stderr, "rmibench explore: --scenario NAME is needed (--list names them)\n");
		goto out;
	}
	if (a->o.run.nrules) {
		fprintf(stderr, "rmibench explore: --inject: the explorer makes its own failure points\n");
		goto out;
	}
	a->o.scen = scenario_find(a->scenario);
	if (scenario_apply(a->o.scen, &a->o.run, err, sizeof(err))) {
		errmsg_print("rmibench explore: %s", err);
		goto out;
	}
	if (strcmp(a->o.run.cfg.backend, "sim") ||
	    a->o.run.cfg.scheduler != SCHED_DET) {
		fprintf(stderr, "rmibench explore: explores the sim's det scheduler (--backend sim --scheduler det)\n");
		goto out;
	}
	if (backend_sim.prepare(&a->o.run.cfg, err, sizeof(err))) {
		errmsg_print("rmibench explore: %s", err);
		goto out;
	}
	a->o.progress = !a->quiet && isatty(STDERR_FILENO);
	rc = CLI_EXIT_FAIL;
	if (explore_run(&a->o, res, err, sizeof(err))) {
		errmsg_print("rmibench explore: %s", err);
		goto out;
	}
	if (!(a->out && !strcmp(a->out, OUT_STDOUT)))
		print_result(a, res);
	if (a->out) {
		text = explore_json(&a->o, res);
		if (!text) {
			fprintf(stderr, "rmibench explore: out of memory\n");
			goto out;
		}
		if (!strcmp(a->out, OUT_STDOUT)) {
			fputs(text, stdout);
			fputc('\n', stdout);
		} else if (result_write_file_atomic(a->out, text, strlen(text),
						    err, sizeof(err))) {
			errmsg_print("rmibench explore: %s", err);
			goto out;
		}
	}
	for (unsigned int i = 0; a->results && i < res->nfind; i++) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/finding-%u.json", a->results,
			 i + 1);
		if (result_write_json(res->find[i].result, path, err,
				      sizeof(err))) {
			errmsg_print("rmibench explore: %s", err);
			goto out;
		}
	}
	rc = res->nfind ? CLI_EXIT_OUTCOME : CLI_EXIT_OK;
out:
	free(text);
	explore_result_free(res);
	free(res);
	free(a);
	return rc;
}
