// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench run / matrix: one workload on the sim with one host strategy,
 * or the cross product of strategies, profiles, folios and vCPU counts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "host.h"
#include "result.h"
#include "run.h"
#include "workload.h"

#define MAX_RULES	16

struct run_opts {
	struct run_config cfg;
	struct rmi_inject_rule rules[MAX_RULES];
	unsigned int nrules;
	const char *out;
	bool quiet;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * An injection rule: comma-separated key=value with the keys of
 * include/rmi_inject.h. command and status take names.
 */
int parse_inject_rule(const char *s, struct rmi_inject_rule *r, char *err,
		      size_t errlen)
{
	char buf[512], *tok, *save = NULL;

	*r = (struct rmi_inject_rule){ .status = RMI_ERROR_INPUT,
				       .probability = 100, .interval = 1,
				       .times = -1 };
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "--inject: rule too long");
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		uint64_t v;

		if (!eq) {
			snprintf(err, errlen, "--inject: '%s' is not key=value", tok);
			return -1;
		}
		*eq++ = '\0';
		if (!strcmp(tok, "command")) {
			int64_t fid = rmi_cmd_fid(eq);

			if (fid < 0 && strcmp(eq, "any")) {
				snprintf(err, errlen, "--inject: unknown command '%s'", eq);
				return -1;
			}
			r->command = fid < 0 ? 0 : (unsigned int)fid;
		} else if (!strcmp(tok, "status")) {
			int st = rmi_status_from_name(eq);

			if (st < 0) {
				snprintf(err, errlen, "--inject: unknown status '%s'", eq);
				return -1;
			}
			r->status = (unsigned int)st;
		} else if (!strcmp(tok, "index")) {
			if (cli_parse_uint(eq, 0, 255, &v))
				goto bad;
			r->index = (unsigned int)v;
		} else if (!strcmp(tok, "probability")) {
			if (cli_parse_uint(eq, 0, 100, &v))
				goto bad;
			r->probability = (unsigned int)v;
		} else if (!strcmp(tok, "interval")) {
			if (cli_parse_uint(eq, 1, UINT32_MAX, &v))
				goto bad;
			r->interval = (unsigned long)v;
		} else if (!strcmp(tok, "times")) {
			if (!strcmp(eq, "-1")) {
				r->times = -1;
			} else if (cli_parse_uint(eq, 0, INT32_MAX, &v)) {
				goto bad;
			} else {
				r->times = (long)v;
			}
		} else if (!strcmp(tok, "space")) {
			if (cli_parse_uint(eq, 0, INT32_MAX, &v))
				goto bad;
			r->space = (long)v;
		} else {
			snprintf(err, errlen, "--inject: unknown key '%s' (command, status, index, probability, interval, times, space)",
				 tok);
			return -1;
		}
		continue;
bad:
		snprintf(err, errlen, "--inject: bad value '%s' for %s", eq, tok);
		return -1;
	}
	return 0;
}

/* Run one configuration end to end into @r. 0, or -1 with @err. */
int run_one(const struct run_config *cfg, const struct rmi_inject_rule *rules,
	    unsigned int nrules, struct run_result *r, char *err,
	    size_t errlen)
{
	struct cost_model cost;
	struct host h;
	struct rmm_stats st;
	uint64_t bytes[4], setup_calls, rtts_end;
	double t0 = now_s();
	int rc;

	memset(r, 0, sizeof(*r));
	r->cfg = *cfg;
	cost_model_default(&cost);
	if (cfg->calibration[0] &&
	    cost_model_load(&cost, cfg->calibration, err, errlen))
		return -1;
	if (host_init(&h, cfg, &cost, err, errlen))
		return -1;
	if (nrules && host_set_inject(&h, rules, nrules)) {
		snprintf(err, errlen, "the model refused the injection rules");
		host_fini(&h);
		return -1;
	}
	rc = kvm_activate_realm(&h);
	setup_calls = h.setup.c.rmi_calls;
	if (!rc && sched_run(&h, err, errlen)) {
		host_fini(&h);
		return -1;
	}
	/* what the workload left, before teardown (0s if no realm) */
	rmm_get_stats(h.m, &st);
	rmm_realm_mapped_bytes(h.m, h.rd, cfg->ipa, cfg->ipa + cfg->size,
			       bytes);
	rtts_end = (uint64_t)h.rtts_live;
	kvm_destroy_realm(&h);
	host_collect(&h, r);
	r->model_bytes = st.model_bytes;
	memcpy(r->counts.mapped_bytes, bytes, sizeof(bytes));
	r->counts.rtt_pages_end = rtts_end;
	r->counts.rmi_calls_setup = setup_calls;
	r->counts.rmi_calls_teardown = h.setup.c.rmi_calls - setup_calls;
	r->counts.rmi_calls_fault = r->counts.rmi_calls - h.setup.c.rmi_calls;
	r->cost_model_default = cost.is_default;
	r->wall_seconds = now_s() - t0;
	host_fini(&h);
	return 0;
}

static void print_summary(FILE *f, const struct run_result *r)
{
	const struct run_counts *c = &r->counts;
	uint64_t mapped = c->mapped_bytes[1] + c->mapped_bytes[2] +
			  c->mapped_bytes[3];

	fprintf(f, "%s/%s/%s folio %s, %u vCPU(s), %s: faults %llu (re-faults %llu), RMI calls %llu (%.2f per fault), RTTs created %llu (peak %llu), mapped L1 %llu MiB L2 %llu MiB L3 %llu MiB (%.1f%% blocks), races %llu, leaks %llu, warnings %llu, outcome: %s\n",
		rmi_rtt_strategy_name(r->cfg.strategy),
		deleg_name(r->cfg.delegation), r->cfg.profile,
		folio_name(r->cfg.folio), r->cfg.vcpus, r->cfg.workload,
		(unsigned long long)c->faults, (unsigned long long)c->refaults,
		(unsigned long long)c->rmi_calls,
		c->faults ? (double)c->rmi_calls_fault / (double)c->faults : 0.0,
		(unsigned long long)c->rtts_created,
		(unsigned long long)c->rtt_pages_peak,
		(unsigned long long)(c->mapped_bytes[1] >> 20),
		(unsigned long long)(c->mapped_bytes[2] >> 20),
		(unsigned long long)(c->mapped_bytes[3] >> 20),
		mapped ? 100.0 * (double)(c->mapped_bytes[1] +
					  c->mapped_bytes[2]) /
			 (double)mapped : 0.0,
		(unsigned long long)c->delegate_races,
		(unsigned long long)c->leaked_granules,
		(unsigned long long)c->warnings, r->outcome);
	for (unsigned int i = 0; i < c->nwarn; i++)
		fprintf(f, "  WARN x%llu: %s\n",
			(unsigned long long)c->warn[i].count, c->warn[i].reason);
	if (c->leaked_granules) {
		fprintf(f, "  leaked granules by state:");
		for (unsigned int i = 1; i < 7; i++)
			if (c->leaked_by_state[i])
				fprintf(f, " %s %llu", rmi_granule_state_name(i),
					(unsigned long long)c->leaked_by_state[i]);
		fputc('\n', f);
	}
}

/* ---- options --------------------------------------------------------------- */

enum {
	O_STRATEGY = 256, O_DELEGATION, O_PROFILE, O_DGRAN, O_FOLIO, O_IPA,
	O_SIZE, O_VCPUS, O_WORKLOAD, O_SCHED, O_SEED, O_S2SZ, O_OUT,
	O_SHARED_REGION, O_WRITE_PCT, O_SHARED_PCT, O_PASSES, O_STRIDE,
	O_CALIB, O_INJECT, O_LIVELOCK, O_QUIET, O_HELP,
	/* matrix only */
	O_OUTDIR, O_STRATEGIES, O_PROFILES, O_FOLIOS, O_VCPUS_LIST,
	O_DELEGATIONS,
};

static const struct option run_options[] = {
	{ "strategy", required_argument, 0, O_STRATEGY },
	{ "delegation", required_argument, 0, O_DELEGATION },
	{ "profile", required_argument, 0, O_PROFILE },
	{ "delegate-granules", required_argument, 0, O_DGRAN },
	{ "folio", required_argument, 0, O_FOLIO },
	{ "ipa", required_argument, 0, O_IPA },
	{ "size", required_argument, 0, O_SIZE },
	{ "vcpus", required_argument, 0, O_VCPUS },
	{ "workload", required_argument, 0, O_WORKLOAD },
	{ "scheduler", required_argument, 0, O_SCHED },
	{ "seed", required_argument, 0, O_SEED },
	{ "s2sz", required_argument, 0, O_S2SZ },
	{ "out", required_argument, 0, O_OUT },
	{ "shared-region", no_argument, 0, O_SHARED_REGION },
	{ "write-pct", required_argument, 0, O_WRITE_PCT },
	{ "shared-pct", required_argument, 0, O_SHARED_PCT },
	{ "passes", required_argument, 0, O_PASSES },
	{ "stride", required_argument, 0, O_STRIDE },
	{ "calibration", required_argument, 0, O_CALIB },
	{ "inject", required_argument, 0, O_INJECT },
	{ "livelock-faults", required_argument, 0, O_LIVELOCK },
	{ "quiet", no_argument, 0, O_QUIET },
	{ "help", no_argument, 0, O_HELP },
	{ "out-dir", required_argument, 0, O_OUTDIR },
	{ "strategies", required_argument, 0, O_STRATEGIES },
	{ "profiles", required_argument, 0, O_PROFILES },
	{ "folios", required_argument, 0, O_FOLIOS },
	{ "vcpus-list", required_argument, 0, O_VCPUS_LIST },
	{ "delegations", required_argument, 0, O_DELEGATIONS },
	{ 0 }
};

static const char run_help[] =
"usage: rmibench run [OPTIONS]\n"
"Runs one workload on the sim (RMM model + host fault path) and writes a\n"
"result file (results/README.md).\n"
"  --strategy full|one-level|block   RTT creation on ERROR_RTT (one-level)\n"
"  --delegation v14|v15              delegate failure handling (v15)\n"
"  --profile tf-rmm|spec             RMM behaviour (tf-rmm)\n"
"  --delegate-granules N             granules per delegate call (1)\n"
"  --folio 4k|2m|1g|mixed            guest_memfd folio size (4k)\n"
"  --ipa BASE --size BYTES           the memslot (1G, 1G); K/M/G suffixes\n"
"  --vcpus N                         vCPUs (1)\n"
"  --workload sequential|random|strided|storm (sequential)\n"
"  --shared-region                   every vCPU over the whole memslot\n"
"  --write-pct P --passes N --stride BYTES   workload mix (50, 1, 2M)\n"
"  --shared-pct P                    accesses through the shared alias (0)\n"
"  --scheduler det|threads           (det) --seed N (1) --s2sz BITS (40)\n"
"  --calibration FILE                measured RMI costs (default: assumed)\n"
"  --inject RULE                     command=NAME,status=NAME,index=N,\n"
"                                    probability=P,interval=N,times=N,space=N\n"
"                                    (repeatable)\n"
"  --livelock-faults N               declare a livelock after N no-progress\n"
"                                    re-faults of one IPA (1000; 0: never)\n"
"  --out FILE                        the result file (none: summary only)\n"
"  --quiet                           no summary line on stdout\n";

static const char matrix_help[] =
"usage: rmibench matrix --out-dir DIR [RUN OPTIONS] [LISTS]\n"
"Runs the cross product of the lists with the other options of 'run',\n"
"writes DIR/<strategy>-<delegation>-<profile>-<folio>-<N>vcpu.json, and a\n"
"report (summary.md, tsv, plots) into DIR.\n"
"  --strategies LIST    (full,one-level,block)\n"
"  --delegations LIST   (the --delegation value)\n"
"  --profiles LIST      (tf-rmm,spec)\n"
"  --folios LIST        (4k,2m)\n"
"  --vcpus-list LIST    (1,4)\n";

static int bad(const char *cmd, const char *opt, const char *val,
	       const char *want)
{
	fprintf(stderr, "rmibench %s: %s '%s': %s\n", cmd, opt, val, want);
	return 2;
}

/* Parse one option shared by run and matrix; 0 ok, 2 bad, 1 not ours. */
static int run_option(const char *cmd, int c, const char *arg,
		      struct run_opts *o)
{
	struct run_config *cfg = &o->cfg;
	char err[256];
	uint64_t v;
	int e;

	switch (c) {
	case O_STRATEGY:
		e = strategy_from_name(arg);
		if (e < 0)
			return bad(cmd, "--strategy", arg, "want full, one-level or block");
		cfg->strategy = (enum rmi_rtt_strategy)e;
		return 0;
	case O_DELEGATION:
		e = deleg_from_name(arg);
		if (e < 0)
			return bad(cmd, "--delegation", arg, "want v14 or v15");
		cfg->delegation = (enum deleg_variant)e;
		return 0;
	case O_PROFILE:
		if (!rmm_profile_find(arg))
			return bad(cmd, "--profile", arg, "want tf-rmm or spec");
		snprintf(cfg->profile, sizeof(cfg->profile), "%s", arg);
		return 0;
	case O_DGRAN:
		if (cli_parse_uint(arg, 1, 1u << 20, &v))
			return bad(cmd, "--delegate-granules", arg, "want 1..1048576");
		cfg->delegate_granules = (unsigned int)v;
		return 0;
	case O_FOLIO:
		e = folio_from_name(arg);
		if (e < 0)
			return bad(cmd, "--folio", arg, "want 4k, 2m, 1g or mixed");
		cfg->folio = (enum folio_mode)e;
		return 0;
	case O_IPA:
		if (cli_parse_size(arg, &cfg->ipa))
			return bad(cmd, "--ipa", arg, "want an address, e.g. 1G or 0x40000000");
		return 0;
	case O_SIZE:
		if (cli_parse_size(arg, &cfg->size) || !cfg->size)
			return bad(cmd, "--size", arg, "want a size, e.g. 1G or 512M");
		return 0;
	case O_VCPUS:
		if (cli_parse_uint(arg, 1, 512, &v))
			return bad(cmd, "--vcpus", arg, "want 1..512");
		cfg->vcpus = (unsigned int)v;
		return 0;
	case O_WORKLOAD:
		if (wl_pattern_from_name(arg) < 0)
			return bad(cmd, "--workload", arg, "want sequential, random, strided or storm");
		snprintf(cfg->workload, sizeof(cfg->workload), "%s", arg);
		return 0;
	case O_SCHED:
		e = sched_from_name(arg);
		if (e < 0)
			return bad(cmd, "--scheduler", arg, "want det or threads");
		cfg->scheduler = (enum sched_kind)e;
		return 0;
	case O_SEED:
		if (cli_parse_uint(arg, 0, UINT64_MAX, &cfg->seed))
			return bad(cmd, "--seed", arg, "want a whole number");
		return 0;
	case O_S2SZ:
		if (cli_parse_uint(arg, 32, 48, &v))
			return bad(cmd, "--s2sz", arg, "want 32..48");
		cfg->s2sz = (unsigned int)v;
		return 0;
	case O_OUT:
		o->out = arg;
		return 0;
	case O_SHARED_REGION:
		cfg->shared_region = true;
		return 0;
	case O_WRITE_PCT:
		if (cli_parse_uint(arg, 0, 100, &v))
			return bad(cmd, "--write-pct", arg, "want 0..100");
		cfg->write_pct = (unsigned int)v;
		return 0;
	case O_SHARED_PCT:
		if (cli_parse_uint(arg, 0, 100, &v))
			return bad(cmd, "--shared-pct", arg, "want 0..100");
		cfg->shared_pct = (unsigned int)v;
		return 0;
	case O_PASSES:
		if (cli_parse_uint(arg, 1, 1000000, &v))
			return bad(cmd, "--passes", arg, "want 1..1000000");
		cfg->passes = (unsigned int)v;
		return 0;
	case O_STRIDE:
		if (cli_parse_size(arg, &cfg->stride) || !cfg->stride ||
		    cfg->stride % 4096)
			return bad(cmd, "--stride", arg, "want a multiple of 4K");
		return 0;
	case O_CALIB:
		if (strlen(arg) >= sizeof(cfg->calibration))
			return bad(cmd, "--calibration", arg, "path too long");
		snprintf(cfg->calibration, sizeof(cfg->calibration), "%s", arg);
		return 0;
	case O_INJECT:
		if (o->nrules == MAX_RULES)
			return bad(cmd, "--inject", arg, "at most 16 rules");
		if (parse_inject_rule(arg, &o->rules[o->nrules], err,
				      sizeof(err))) {
			fprintf(stderr, "rmibench %s: %s\n", cmd, err);
			return 2;
		}
		o->nrules++;
		if (strlen(cfg->inject) + strlen(arg) + 2 >= sizeof(cfg->inject))
			return bad(cmd, "--inject", arg, "rules too long");
		if (cfg->inject[0])
			strcat(cfg->inject, ";");
		strcat(cfg->inject, arg);
		return 0;
	case O_LIVELOCK:
		if (cli_parse_uint(arg, 0, UINT32_MAX, &cfg->livelock_faults))
			return bad(cmd, "--livelock-faults", arg, "want a whole number");
		return 0;
	case O_QUIET:
		o->quiet = true;
		return 0;
	default:
		return 1;
	}
}

static int check_out_path(const char *cmd, const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!slash)
		return 0;
	if ((size_t)(slash - path) >= sizeof(dir)) {
		fprintf(stderr, "rmibench %s: --out path too long\n", cmd);
		return 2;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (dir[0] && (stat(dir, &st) || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "rmibench %s: --out %s: directory '%s' does not exist\n",
			cmd, path, dir);
		return 2;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct run_result *r;
	char err[256];
	int c, rc;

	run_config_default(&o.cfg);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", run_options, NULL)) != -1) {
		if (c == O_HELP) {
			fputs(run_help, stdout);
			return 0;
		}
		if (c >= O_OUTDIR || c == '?') {
			fputs(run_help, stderr);
			return 2;
		}
		rc = run_option("run", c, optarg, &o);
		if (rc)
			return 2;
	}
	if (optind != argc) {
		fprintf(stderr, "rmibench run: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (o.out && check_out_path("run", o.out))
		return 2;
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "rmibench run: out of memory\n");
		return 1;
	}
	if (run_one(&o.cfg, o.rules, o.nrules, r, err, sizeof(err))) {
		fprintf(stderr, "rmibench run: %s\n", err);
		free(r);
		return 2;
	}
	if (!o.quiet)
		print_summary(stdout, r);
	if (o.out && result_write_json(r, o.out, err, sizeof(err))) {
		fprintf(stderr, "rmibench run: %s\n", err);
		free(r);
		return 1;
	}
	free(r);
	return 0;
}

/* ---- matrix ---------------------------------------------------------------- */

static int parse_list(const char *cmd, const char *opt, const char *s,
		      int (*from)(const char *), int *out, int max, int *n)
{
	char buf[256], *tok, *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return bad(cmd, opt, s, "list too long");
	strcpy(buf, s);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int v = from(tok);

		if (v < 0 || *n == max)
			return bad(cmd, opt, tok, "not a valid list item");
		out[(*n)++] = v;
	}
	return *n ? 0 : bad(cmd, opt, s, "empty list");
}

static int profile_index(const char *s)
{
	for (int i = 0; rmm_profiles[i]; i++)
		if (!strcmp(rmm_profiles[i]->name, s))
			return i;
	return -1;
}

static int vcpus_value(const char *s)
{
	uint64_t v;

	return cli_parse_uint(s, 1, 512, &v) ? -1 : (int)v;
}

int cmd_matrix(int argc, char **argv)
{
	struct run_opts o = { 0 };
	int strat[8] = { 0, 1, 2 }, ns = 3, prof[8] = { 0, 1 }, np = 2;
	int fol[8] = { FOLIO_4K, FOLIO_2M }, nf = 2, vc[8] = { 1, 4 }, nv = 2;
	int del[8], nd = 1;
	const char *dir = NULL;
	struct run_result *rs;
	size_t n = 0, total;
	char err[256], cmdline[1024] = "rmibench matrix";
	struct stat st;
	int c, rc = 0;

	run_config_default(&o.cfg);
	for (int i = 1; i < argc; i++) {
		size_t len = strlen(cmdline);

		snprintf(cmdline + len, sizeof(cmdline) - len, " %s", argv[i]);
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", run_options, NULL)) != -1) {
		switch (c) {
		case O_HELP:
			fputs(matrix_help, stdout);
			return 0;
		case O_OUTDIR:
			dir = optarg;
			continue;
		case O_STRATEGIES:
			if (parse_list("matrix", "--strategies", optarg,
				       strategy_from_name, strat, 8, &ns))
				return 2;
			continue;
		case O_DELEGATIONS:
			if (parse_list("matrix", "--delegations", optarg,
				       deleg_from_name, del, 8, &nd))
				return 2;
			continue;
		case O_PROFILES:
			if (parse_list("matrix", "--profiles", optarg,
				       profile_index, prof, 8, &np))
				return 2;
			continue;
		case O_FOLIOS:
			if (parse_list("matrix", "--folios", optarg,
				       folio_from_name, fol, 8, &nf))
				return 2;
			continue;
		case O_VCPUS_LIST:
			if (parse_list("matrix", "--vcpus-list", optarg,
				       vcpus_value, vc, 8, &nv))
				return 2;
			continue;
		case O_OUT:
		case '?':
			fputs(matrix_help, stderr);
			return 2;
		}
		if (run_option("matrix", c, optarg, &o))
			return 2;
	}
	if (c != -1 || optind != argc || !dir) {
		fprintf(stderr, "rmibench matrix: --out-dir DIR is required (see --help)\n");
		return 2;
	}
	if (stat(dir, &st) && mkdir(dir, 0755)) {
		fprintf(stderr, "rmibench matrix: cannot create %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	if (nd == 1 && !strstr(cmdline, "--delegations"))
		del[0] = o.cfg.delegation;
	total = (size_t)ns * nd * np * nf * nv;
	rs = calloc(total, sizeof(*rs));
	if (!rs) {
		fprintf(stderr, "rmibench matrix: out of memory\n");
		return 1;
	}
	for (int a = 0; a < ns; a++)
	for (int d = 0; d < nd; d++)
	for (int p = 0; p < np; p++)
	for (int f = 0; f < nf; f++)
	for (int v = 0; v < nv; v++) {
		struct run_config cfg = o.cfg;
		char path[4096];

		cfg.strategy = (enum rmi_rtt_strategy)strat[a];
		cfg.delegation = (enum deleg_variant)del[d];
		snprintf(cfg.profile, sizeof(cfg.profile), "%s",
			 rmm_profiles[prof[p]]->name);
		cfg.folio = (enum folio_mode)fol[f];
		cfg.vcpus = (unsigned int)vc[v];
		if (run_one(&cfg, o.rules, o.nrules, &rs[n], err,
			    sizeof(err))) {
			fprintf(stderr, "rmibench matrix: %s/%s/%s/%s/%u: %s\n",
				rmi_rtt_strategy_name(cfg.strategy),
				deleg_name(cfg.delegation), cfg.profile,
				folio_name(cfg.folio), cfg.vcpus, err);
			rc = 2;
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s-%s-%s-%s-%uvcpu.json", dir,
			 rmi_rtt_strategy_name(cfg.strategy),
			 deleg_name(cfg.delegation), cfg.profile,
			 folio_name(cfg.folio), cfg.vcpus);
		if (result_write_json(&rs[n], path, err, sizeof(err))) {
			fprintf(stderr, "rmibench matrix: %s\n", err);
			rc = 1;
			goto out;
		}
		if (!o.quiet)
			print_summary(stdout, &rs[n]);
		n++;
	}
	if (report_write_dir(dir, rs, n,
			     &(struct report_opts){ .command = cmdline },
			     err, sizeof(err))) {
		fprintf(stderr, "rmibench matrix: %s\n", err);
		rc = 1;
	}
out:
	free(rs);
	return rc;
}
