// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF tools on the sim: each tool launches a deterministic
 * `rmibench run` (4 KiB and 2 MiB folios, storms on the det scheduler
 * with the v14 host and on the threads scheduler, injections in set-up
 * and in a fault, a partial delegation that ends in a livelock, memory
 * hotplugged after boot, prepared on demand or ending in a livelock) and
 * must report exactly the counts
 * of the sim's own result file (--out), field by field for every count
 * both can know: in its own JSON report and in the result file it writes
 * from the ring buffer through bench/metrics.c (--result; delegrace's,
 * the same code in every tool).
 *
 * Also: the calibration round trip (rmistat --calibration-out, then a
 * run with that file), a process traced by -p, reports at intervals, and
 * the one-line refusals (no process, no probes and no kernel events, no
 * BTF, no privileges).
 *
 * Needs root; every test skips with the reason otherwise.
 */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kselftest_harness.h"

#include "bpf_test.h"
#include "../test_util.h"

static const char *build_dir(void)
{
	const char *b = getenv("BUILD");

	return b && *b ? b : "build";
}

static const char *rmibench(void)
{
	const char *r = getenv("RMIBENCH");

	return r && *r ? r : "build/rmibench";
}

/* run @cmd with sh; its exit status, -1 if it did not exit */
static int sh(const char *cmd)
{
	int st = system(cmd);

	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* the last non-empty line of @path as JSON */
static json_object *last_json_line(const char *path)
{
	char line[1 << 16], last[1 << 16] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (line[0] && line[0] != '\n')
			snprintf(last, sizeof(last), "%s", line);
	fclose(f);
	return json_tokener_parse(last);
}

/* counts the sim reports from its own state, not from events */
static bool backend_only(const char *path)
{
	static const char *const own[] = {
		"accesses", "mapped_bytes", "leaked_granules",
		"leaked_by_state", "warnings", "warning_reasons",
		"boot_rmi_calls",
	};

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strncmp(path, own[i], strlen(own[i])))
			return true;
	return false;
}

/*
 * Every leaf of @a under @prefix that events can tell must be in @b with
 * the same value; the number of differences, each logged.
 */
static int compare_counts(struct __test_metadata *_metadata, json_object *a,
			  json_object *b, const char *prefix,
			  const char *what)
{
	int diff = 0;

	json_object_object_foreach(a, key, va) {
		char path[256];
		json_object *vb = NULL;

		snprintf(path, sizeof(path), "%s%s%s", prefix,
			 *prefix ? "." : "", key);
		if (backend_only(path))
			continue;
		json_object_object_get_ex(b, key, &vb);
		if (json_object_is_type(va, json_type_object)) {
			if (!vb) {
				TH_LOG("%s: counts.%s missing", what, path);
				diff++;
				continue;
			}
			diff += compare_counts(_metadata, va, vb, path, what);
			continue;
		}
		if (!vb || json_object_get_uint64(va) !=
			   json_object_get_uint64(vb)) {
			TH_LOG("%s: counts.%s: sim %s, tool %s", what, path,
			       json_object_to_json_string(va),
			       vb ? json_object_to_json_string(vb) : "none");
			diff++;
		}
	}
	return diff;
}

/* ---- one traced run per tool and run ------------------------------------ */

/*
 * Each pair of @pairs: the sim's count at pairs[i][0] in @sim equals the
 * tool's at pairs[i][1] in @out (both there).
 */
static void same_counts(struct __test_metadata *_metadata, json_object *sim,
			json_object *out, const char *const (*pairs)[2],
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		EXPECT_NE(UINT64_MAX, json_u64_at(sim, pairs[i][0]))
			TH_LOG("%s: not in the sim's file", pairs[i][0]);
		EXPECT_EQ(json_u64_at(sim, pairs[i][0]),
			  json_u64_at(out, pairs[i][1]))
			TH_LOG("sim %s, tool %s", pairs[i][0], pairs[i][1]);
	}
}

#define SAME_COUNTS(sim, out, pairs)					\
	same_counts(_metadata, (sim), (out), (pairs),			\
		    sizeof(pairs) / sizeof((pairs)[0]))

FIXTURE(sim) {
	char dir[64];
	json_object *sim;	/* the sim's --out */
	json_object *res;	/* the tool's --result */
	json_object *out;	/* the tool's -j report */
};

FIXTURE_VARIANT(sim) {
	const char *args;
	bool died;		/* the realm dies in a fault */
	bool threads;		/* real threads: re-faults while a winner
				 * is off-CPU may pass a livelock bound
				 */
	bool livelock;		/* the sim ends it as a livelock */
	bool partial;		/* after one partial delegation */
	int rc;			/* rmibench run's exit status (3: the realm
				 * was killed or livelocked), the tool's */
};

/*
 * The sim tears a 40-bit IPA space down with about 1.6 million RMI calls
 * whatever the memslot (0.9 s untraced, seconds traced): the default run
 * keeps it, the others use a 32-bit IPA space and take milliseconds.
 */
FIXTURE_VARIANT_ADD(sim, folio_4k) {
	.args = "--size 64M --folio 4k",
};

FIXTURE_VARIANT_ADD(sim, folio_2m) {
	.args = "--s2sz 32 --size 256M --folio 2m",
};

FIXTURE_VARIANT_ADD(sim, det_storm_v14) {
	.args = "--s2sz 32 --kernel v14 --size 64M --folio 2m --workload storm "
		"--vcpus 4",
};

FIXTURE_VARIANT_ADD(sim, threads_storm) {
	.args = "--s2sz 32 --size 64M --folio 2m --workload storm --vcpus 4 "
		"--scheduler threads",
	.threads = true,
};

FIXTURE_VARIANT_ADD(sim, inject_setup) {
	.args = "--s2sz 32 --size 64M --inject "
		"command=RTT_INIT_RIPAS,status=ERROR_INPUT,times=1",
	.rc = 3,
};

FIXTURE_VARIANT_ADD(sim, inject_fault) {
	.args = "--s2sz 32 --size 64M --inject "
		"command=RTT_CREATE,status=ERROR_RTT_AUX,index=0,times=1",
	.died = true,
	.rc = 3,
};

FIXTURE_VARIANT_ADD(sim, partial_livelock) {
	.args = "--s2sz 32 --size 16M --folio 2m --livelock-faults 200 "
		"--inject command=GRANULE_RANGE_DELEGATE,status=ERROR_INPUT,"
		"space=701,times=1",
	.livelock = true,
	.partial = true,
	.rc = 3,
};

/* memory hotplugged after boot, made usable on demand: the tracking and
 * L1 GPT commands and the statuses that ask for them */
FIXTURE_VARIANT_ADD(sim, hotplug_on_demand) {
	.args = "--s2sz 32 --size 1G --hotplug 1G --gpt on-demand --folio 2m",
};

/* the same without: every re-fault a delegate refused (ERROR_TRACKING) */
FIXTURE_VARIANT_ADD(sim, hotplug_livelock) {
	.args = "--s2sz 32 --size 1G --hotplug 1G --folio 2m "
		"--livelock-faults 200",
	.livelock = true,
	.rc = 3,
};

FIXTURE_SETUP(sim)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/rmib-bpf.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(sim)
{
	json_object_put(self->sim);
	json_object_put(self->res);
	json_object_put(self->out);
	rm_rf(self->dir);
}

/*
 * Trace the variant's run with @tool and @opts; read the sim's result
 * file and the tool's last report, and with @result the tool's result
 * file. Every probe costs about 0.1 s to remove (a grace period), so one
 * tool per run writes the result file: the feed is the same in all.
 */
static void trace(struct __test_metadata *_metadata,
		  FIXTURE_DATA(sim) *self, const FIXTURE_VARIANT(sim) *variant,
		  const char *tool, const char *opts, bool result)
{
	char cmd[2048], path[128], res[128] = "";
	int rc;

	if (result)
		snprintf(res, sizeof(res), "--result %s/tool.json", self->dir);
	snprintf(cmd, sizeof(cmd),
		 "%s/bpf/%s -j %s %s -- %s run %s --quiet --out %s/sim.json >%s/tool.out 2>%s/tool.err",
		 build_dir(), tool, opts, res, rmibench(), variant->args,
		 self->dir, self->dir, self->dir);
	rc = sh(cmd);
	if (rc != variant->rc) {
		snprintf(cmd, sizeof(cmd), "cat %s/tool.err >&2", self->dir);
		sh(cmd);
	}
	ASSERT_EQ(variant->rc, rc);
	snprintf(path, sizeof(path), "%s/sim.json", self->dir);
	self->sim = json_object_from_file(path);
	snprintf(path, sizeof(path), "%s/tool.out", self->dir);
	self->out = last_json_line(path);
	ASSERT_NE(NULL, self->sim);
	ASSERT_NE(NULL, self->out);
	EXPECT_EQ(0, json_u64_at(self->out, "events.dropped"));
	EXPECT_EQ(1, json_object_get_boolean(json_at(self->out, "final")));
	if (!result)
		return;
	snprintf(path, sizeof(path), "%s/tool.json", self->dir);
	self->res = json_object_from_file(path);
	ASSERT_NE(NULL, self->res);

	/* the result file: every count events can tell, the same */
	EXPECT_EQ(0, compare_counts(_metadata, json_at(self->sim, "counts"),
				    json_at(self->res, "counts"), "", "--result"));
	EXPECT_EQ(0, compare_counts(_metadata, json_at(self->res, "counts"),
				    json_at(self->sim, "counts"), "", "--result (back)"));
	EXPECT_TRUE(json_object_equal(
		json_at(self->sim, "distributions.rmi_calls_per_fault"),
		json_at(self->res, "distributions.rmi_calls_per_fault")));
	EXPECT_EQ(json_u64_at(self->sim, "distributions.fault_latency_wall_ns.count"),
		  json_u64_at(self->res, "distributions.fault_latency_wall_ns.count"));
	EXPECT_STREQ("sim-usdt", json_object_get_string(
		json_at(self->res, "metadata.backend")));
	/* the settings, read from the command line the tool launched */
	EXPECT_TRUE(json_object_equal(json_at(self->sim, "config"),
				      json_at(self->res, "config")));
	if (variant->died) {
		EXPECT_NE(NULL, strstr(json_object_get_string(
			json_at(self->res, "outcome")), "realm_map returned -6"));
	} else if (variant->livelock) {
		EXPECT_NE(NULL, strstr(json_object_get_string(
			json_at(self->res, "outcome")), "possible livelock"));
	} else if (variant->rc) {
		/* set-up failed: no fault told, the command's status did */
		EXPECT_NE(NULL, strstr(json_object_get_string(
			json_at(self->res, "outcome")), "exited with status 3"));
	} else if (!variant->threads) {
		EXPECT_STREQ("ok", json_object_get_string(
			json_at(self->res, "outcome")));
	}
	if (!variant->threads)
		EXPECT_STREQ(json_object_get_string(
				json_at(self->sim, "outcome_class")),
			     json_object_get_string(
				json_at(self->res, "outcome_class")));
}

/* the tool's counts that are the sim's, by name */
static const char *const rmistat_same[][2] = {
	{ "counts.rmi_calls.total", "rmi_calls" },
	{ "counts.rmi_calls.fault", "rmi_calls_in_fault" },
	{ "counts.faults", "realm_mappings" },
};

TEST_F(sim, rmistat)
{
	const char *why = bpf_skip_reason();
	json_object *bs, *cmds;
	int n = 0;

	if (why)
		SKIP(return, "%s", why);
	trace(_metadata, self, variant, "rmistat", "", false);
	SAME_COUNTS(self->sim, self->out, rmistat_same);
	bs = json_at(self->sim, "counts.rmi_calls.by_status");
	cmds = json_at(self->out, "commands");
	ASSERT_NE(NULL, bs);
	ASSERT_NE(NULL, cmds);
	json_object_object_foreach(bs, cmd, st) {
		json_object *c = NULL;
		char path[128];

		json_object_object_get_ex(cmds, cmd, &c);
		ASSERT_NE(NULL, c) TH_LOG("rmistat saw no %s", cmd);
		EXPECT_TRUE(json_object_equal(st, json_at(c, "by_status")))
			TH_LOG("%s: sim %s, rmistat %s", cmd,
			       json_object_to_json_string(st),
			       json_object_to_json_string(json_at(c, "by_status")));
		snprintf(path, sizeof(path), "counts.rmi_calls.by_command.%s",
			 cmd);
		EXPECT_EQ(json_u64_at(self->sim, path), json_u64_at(c, "calls"));
		EXPECT_EQ(0, json_u64_at(c, "unpaired"));
		n++;
	}
	EXPECT_EQ(n, json_object_object_length(cmds));
}

/* the tool's counts that are the sim's, by name */
static const char *const s2fault_same[][2] = {
	{ "counts.faults", "faults" },
	{ "counts.faults_private", "faults_private" },
	{ "counts.faults_shared", "faults_shared" },
	{ "counts.guest_errors", "guest_errors" },
};

TEST_F(sim, s2fault)
{
	const char *why = bpf_skip_reason();
	const char *const keys[] = { "count", "sum", "min", "max",
				     "log2_buckets" };
	uint64_t by_class = 0, by_vcpu = 0;

	if (why)
		SKIP(return, "%s", why);
	trace(_metadata, self, variant, "s2fault", "", false);
	SAME_COUNTS(self->sim, self->out, s2fault_same);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path),
			 "distributions.rmi_calls_per_fault.%s", keys[i]);
		EXPECT_TRUE(json_object_equal(json_at(self->sim, path),
			json_at(self->out, path + strlen("distributions."))))
			TH_LOG("rmi_calls_per_fault.%s differs", keys[i]);
	}
	json_object_object_foreach(json_at(self->out, "classes"), cls, c) {
		(void)cls;
		by_class += json_u64_at(c, "faults");
	}
	json_object_object_foreach(json_at(self->out, "vcpus"), vc, v) {
		(void)vc;
		by_vcpu += json_u64_at(v, "faults");
	}
	EXPECT_EQ(json_u64_at(self->sim, "counts.faults"), by_class);
	EXPECT_EQ(json_u64_at(self->sim, "counts.faults"), by_vcpu);
	EXPECT_EQ(0, json_u64_at(self->out, "unpaired"));
}

/* the tool's counts that are the sim's, by name */
static const char *const rttcreate_same[][2] = {
	{ "counts.rtts_created", "created" },
	{ "counts.rtts_destroyed", "destroyed" },
	{ "counts.rtt_pages_peak", "peak" },
};

TEST_F(sim, rttcreate)
{
	const char *why = bpf_skip_reason();
	json_object *sim_st;

	if (why)
		SKIP(return, "%s", why);
	trace(_metadata, self, variant, "rttcreate", "", false);
	SAME_COUNTS(self->sim, self->out, rttcreate_same);
	EXPECT_EQ(json_u64_at(self->out, "created") - json_u64_at(self->out, "destroyed"),
		  json_u64_at(self->out, "live"));
	/* by level, the statuses add up to RTT_CREATE's */
	sim_st = json_at(self->sim, "counts.rmi_calls.by_status.RTT_CREATE");
	json_object_object_foreach(json_at(self->out, "by_level"), lv, s) {
		(void)lv;
		json_object_object_foreach(s, name, n) {
			(void)n;
			EXPECT_NE(NULL, json_at(sim_st, name))
				TH_LOG("RTT_CREATE %s: not in the sim's", name);
		}
	}
	if (sim_st) {
		json_object_object_foreach(sim_st, name, n) {
			uint64_t sum = 0;

			json_object_object_foreach(json_at(self->out, "by_level"),
						   lv2, s2) {
				json_object *v = NULL;

				(void)lv2;
				if (json_object_object_get_ex(s2, name, &v))
					sum += json_object_get_uint64(v);
			}
			EXPECT_EQ(json_object_get_uint64(n), sum)
				TH_LOG("RTT_CREATE %s", name);
		}
	}
}

/* the tool's counts that are the sim's, by name */
static const char *const delegrace_same[][2] = {
	{ "counts.delegate_races", "delegate_races" },
	{ "counts.partial_delegations", "partial_delegations" },
	{ "counts.refaults", "refaults" },
	{ "counts.faults_private", "faults_private" },
	{ "counts.granules_delegated", "granules_delegated" },
};

TEST_F(sim, delegrace)
{
	const char *why = bpf_skip_reason();

	if (why)
		SKIP(return, "%s", why);
	trace(_metadata, self, variant, "delegrace", "--livelock 100", true);
	SAME_COUNTS(self->sim, self->out, delegrace_same);
	EXPECT_EQ(0, json_u64_at(self->out, "untracked"));
	/* the sim ends a livelock after 200 re-faults: warned at 100 */
	if (variant->livelock) {
		EXPECT_NE(NULL, strstr(json_object_get_string(
			json_at(self->sim, "outcome")), "livelock"));
		EXPECT_EQ(1, json_u64_at(self->out, "livelocks"));
		EXPECT_EQ(variant->partial ? 1 : 0,
			  json_u64_at(self->sim, "counts.partial_delegations"));
	} else if (!variant->threads) {
		EXPECT_EQ(0, json_u64_at(self->out, "livelocks"));
	}
}

/* ---- calibration round trip --------------------------------------------- */

/*
 * rmistat measures a sim run and writes a calibration file; a run with
 * that file models each fault as the fault overhead plus its calls'
 * fixed and per-granule costs: exactly what the file and rmistat's counts
 * of calls and granules inside faults predict, and, in the mean, the
 * measured fault latency within a log2 bucket.
 */
TEST(calibration_round_trip)
{
	const char *why = bpf_skip_reason();
	const char *args = "--s2sz 32 --size 16M --folio 4k";
	char dir[64] = "/tmp/rmib-cal.XXXXXX", cmd[2048], path[128];
	json_object *out, *cal, *b;
	uint64_t faults, overhead, expect, sum;
	double measured, modelled;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "%s/bpf/rmistat -j --calibration-out %s/cal.json -- %s run %s --quiet >%s/a.out",
		 build_dir(), dir, rmibench(), args, dir);
	ASSERT_EQ(0, sh(cmd));
	snprintf(cmd, sizeof(cmd),
		 "%s run %s --calibration %s/cal.json --quiet --out %s/b.json",
		 rmibench(), args, dir, dir);
	ASSERT_EQ(0, sh(cmd));
	snprintf(path, sizeof(path), "%s/a.out", dir);
	out = last_json_line(path);
	snprintf(path, sizeof(path), "%s/cal.json", dir);
	cal = json_object_from_file(path);
	snprintf(path, sizeof(path), "%s/b.json", dir);
	b = json_object_from_file(path);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, cal);
	ASSERT_NE(NULL, b);

	EXPECT_STREQ("rmibench-costs-1",
		     json_object_get_string(json_at(cal, "schema")));
	EXPECT_FALSE(json_object_get_boolean(
		json_at(b, "metadata.cost_model.default")));
	faults = json_u64_at(out, "realm_mappings");
	ASSERT_EQ(json_u64_at(b, "counts.faults"), faults);
	ASSERT_LT(0, faults);
	overhead = json_u64_at(cal, "fault_overhead_ns");
	expect = faults * overhead;
	json_object_object_foreach(json_at(out, "commands"), name, c) {
		json_object *cost = json_at(json_at(cal, "costs"), name);

		if (!json_u64_at(c, "in_fault"))
			continue;
		ASSERT_NE(NULL, cost) TH_LOG("no cost for %s", name);
		expect += json_u64_at(c, "in_fault") * json_u64_at(cost, "fixed_ns") +
			  json_u64_at(c, "in_fault_granules") *
			  json_u64_at(cost, "per_granule_ns");
	}
	sum = json_u64_at(b, "distributions.fault_latency_modelled_ns.sum");
	EXPECT_EQ(expect, sum);
	measured = (double)json_u64_at(out, "realm_mapping_ns") / (double)faults;
	modelled = (double)sum / (double)faults;
	TH_LOG("fault latency: measured %.0f ns, modelled with the file %.0f ns",
	       measured, modelled);
	EXPECT_LE(measured / 2, modelled);
	EXPECT_GE(measured * 2, modelled);

	json_object_put(out);
	json_object_put(cal);
	json_object_put(b);
	rm_rf(dir);
}

/* ---- -p PID and intervals ----------------------------------------------- */

TEST(trace_a_running_process_at_intervals)
{
	const char *why = bpf_skip_reason();
	char dir[64] = "/tmp/rmib-pid.XXXXXX", cmd[1024], path[128], line[8192];
	int lines = 0, st;
	pid_t pid;
	FILE *f;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_NE(NULL, mkdtemp(dir));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* long enough to be attached to: about a second or more */
		execl(rmibench(), rmibench(), "run", "--size", "64G",
		      "--folio", "4k", "--quiet", (char *)NULL);
		_exit(127);
	}
	usleep(100000);
	snprintf(cmd, sizeof(cmd), "%s/bpf/rmistat -j -p %d 0.1 2 >%s/p.out",
		 build_dir(), (int)pid, dir);
	EXPECT_EQ(0, sh(cmd));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	snprintf(path, sizeof(path), "%s/p.out", dir);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		json_object *o = json_tokener_parse(line);

		ASSERT_NE(NULL, o);
		EXPECT_STREQ("sim-usdt", json_object_get_string(
			json_at(o, "backend")));
		EXPECT_EQ(pid, (pid_t)json_object_get_int(json_at(o, "pid")));
		EXPECT_FALSE(json_object_get_boolean(json_at(o, "final")));
		EXPECT_LT(0, json_u64_at(o, "rmi_calls"));
		json_object_put(o);
		lines++;
	}
	fclose(f);
	EXPECT_EQ(2, lines);
	rm_rf(dir);
}

/* ---- refusals: one line, non-zero exit ---------------------------------- */

static void refused(struct __test_metadata *_metadata, const char *cmd,
		    const char *want)
{
	char full[1024], line[1024], path[] = "/tmp/rmib-err.XXXXXX";
	int fd = mkstemp(path), n = 0;
	FILE *f;

	ASSERT_LE(0, fd);
	close(fd);
	snprintf(full, sizeof(full), "%s >/dev/null 2>%s", cmd, path);
	EXPECT_NE(0, sh(full));
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (!n)
			EXPECT_NE(NULL, strstr(line, want))
				TH_LOG("stderr: %s", line);
		n++;
	}
	fclose(f);
	unlink(path);
	EXPECT_EQ(1, n);
}

TEST(refusals)
{
	const char *why = bpf_skip_reason();
	char cmd[1024];

	if (why)
		SKIP(return, "%s", why);
	snprintf(cmd, sizeof(cmd), "%s/bpf/rmistat -p 2147483646",
		 build_dir());
	refused(_metadata, cmd, "rmistat: no process 2147483646");
	snprintf(cmd, sizeof(cmd), "%s/bpf/s2fault -- /bin/true", build_dir());
	refused(_metadata, cmd,
		"s2fault: neither rmibench USDT probes in /bin/true nor kvm_rmi trace events in this kernel");
	snprintf(cmd, sizeof(cmd), "%s/bpf/rttcreate", build_dir());
	refused(_metadata, cmd,
		"rttcreate: no kvm_rmi trace events in this kernel");
	snprintf(cmd, sizeof(cmd), "RMIBENCH_BTF=/nonexistent %s/bpf/delegrace",
		 build_dir());
	refused(_metadata, cmd, "delegrace: no kernel BTF (/nonexistent)");
	snprintf(cmd, sizeof(cmd), "%s/bpf/rmistat 1 2 3", build_dir());
	refused(_metadata, cmd, "unexpected argument '3'");
	if (!sh("command -v setpriv >/dev/null")) {
		snprintf(cmd, sizeof(cmd),
			 "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all %s/bpf/rmistat -- %s run",
			 build_dir(), rmibench());
		refused(_metadata, cmd, "rmistat: needs root");
	}
}

TEST_HARNESS_MAIN
