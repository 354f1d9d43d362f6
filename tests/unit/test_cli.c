// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rmibench command lines, run as a user runs them: the binary named by
 * $RMIBENCH (make check sets it; else build/rmibench) with small
 * configurations, checking exit statuses, stdout and stderr, and the files
 * the commands write: the result files' config and their exact counts,
 * matrix's file names and lists, the report tables.
 *
 * Counts are derived as in test_host.c (rmi-facts.md). The memslot is at
 * 1 GiB. A 1 GiB memslot is one whole L1 entry: set-up makes 11 RMI calls
 * and no RTT. A smaller one is not, so RTT_INIT_RIPAS at set-up answers
 * ERROR_RTT(1) first and the host creates the L2 (delegate, RTT_CREATE):
 * 14 calls, one RTT. With that L2 in place a 2 MiB folio's fault is 512
 * delegates and one DATA_MAP (513 calls); a 4 KiB fault is 2, and the
 * first in each 2 MiB also creates its L3 after ERROR_RTT(2): 5.
 */
#include <ctype.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kselftest_harness.h"

/* each run tears down a whole IPA space (1.5 M RMI calls at S2SZ 40):
 * seconds under the sanitizers; still bounded */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	300

#include "config.h"
#include "run.h"
#include "../test_util.h"

/*
 * Teardown creates an L2 and 512 L3 RTTs under every other unassigned GiB
 * of the 512 GiB protected half, and an L3 under every empty entry of an
 * L2 it unmaps page by page (test_host.c, TEARDOWN_RTTS, derives it).
 */
#define TEARDOWN_RTTS	(511 * 513)
#define MIB	(1ull << 20)
#define GIB	(1ull << 30)

/* ---- running rmibench ------------------------------------------------------------ */

struct out {
	int status;		/* exit status, -1 if it did not exit */
	char *out, *err;	/* what it wrote */
};

static const char *rmibench(void)
{
	const char *p = getenv("RMIBENCH");

	return p && *p ? p : "build/rmibench";
}

static char *slurp_fd(int fd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fdopen(fd, "r");

	if (!f)
		return strdup("");
	rewind(f);
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY);

	return fd < 0 ? NULL : slurp_fd(fd);
}

/*
 * Under ASan (make check-sanitize) the det scheduler's coroutines get a
 * note on stderr ("==PID==WARNING: ASan doesn't fully support
 * makecontext/swapcontext ..."): not rmibench's output, so left out.
 */
static void drop_asan_notes(char *s)
{
	static const char note[] = "==WARNING: ASan doesn't fully support";
	char *line = s, *w = s;

	while (*line) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		char *hit = strstr(line, note);

		if (!(line[0] == '=' && line[1] == '=' && hit &&
		      hit < line + len)) {
			memmove(w, line, len);
			w += len;
		}
		line += len;
	}
	*w = 0;
}

/* Run rmibench with @args (NULL-terminated, without argv[0]). */
static struct out run(const char *const *args)
{
	char to[] = "/tmp/rmibench-test-cli-out.XXXXXX";
	char te[] = "/tmp/rmibench-test-cli-err.XXXXXX";
	struct out r = { .status = -1 };
	const char *argv[64] = { rmibench() };
	int fo = mkstemp(to), fe = mkstemp(te), st;
	size_t n = 1;
	pid_t pid;

	for (; args[n - 1] && n < 63; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	unlink(to);
	unlink(te);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		dup2(fo, 1);
		dup2(fe, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		r.status = WEXITSTATUS(st);
	r.out = slurp_fd(fo);
	r.err = slurp_fd(fe);
	drop_asan_notes(r.err);
	return r;
}

static void out_free(struct out *o)
{
	free(o->out);
	free(o->err);
}

/* whitespace runs (help text wraps) as one space, in place */
static char *squash(char *s)
{
	char *d = s;

	for (const char *p = s; *p; p++) {
		if (isspace((unsigned char)*p)) {
			if (d == s || d[-1] != ' ')
				*d++ = ' ';
		} else {
			*d++ = *p;
		}
	}
	*d = 0;
	return s;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- files ------------------------------------------------------------------------- */

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/rmibench-test-cli.XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static char *path_in(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

static const char *str_at(json_object *o, const char *path)
{
	json_object *v = json_at(o, path);

	return v ? json_object_get_string(v) : "(missing)";
}

/* ---- the tests ------------------------------------------------------------------------ */

/*
 * CLI_TEST(name) { ... }: a test with @dir, a fresh directory for its files,
 * removed after it. Skipped when there is no rmibench to run (make check
 * always builds it and sets RMIBENCH).
 */
#define CLI_TEST(name)							\
static void t_##name(struct __test_metadata *_metadata, char *dir);	\
TEST(name)								\
{									\
	const char *bin = rmibench();					\
	char *dir;							\
									\
	if (!getenv("RMIBENCH") && access(bin, X_OK))			\
		SKIP(return, "%s not built (make sets RMIBENCH)", bin);	\
	ASSERT_EQ(0, access(bin, X_OK)) TH_LOG("RMIBENCH=%s", bin);	\
	dir = make_tmpdir();						\
	ASSERT_NE(NULL, dir);						\
	t_##name(_metadata, dir);					\
	rm_rf(dir);							\
	free(dir);							\
}									\
static void t_##name(struct __test_metadata *_metadata, char *dir)

/*
 * 2 MiB folios, one-level, tf-rmm, 1 GiB at 1 GiB (test_host.c,
 * one_level_tf_rmm_2m): 512 faults; the first is 512 delegates,
 * DATA_MAP -> ERROR_RTT(1), the L2 (2 calls), DATA_MAP: 516; the others
 * 513. One RTT; the whole GiB in 2 MiB blocks.
 */
CLI_TEST(run_2m_one_level)
{
	char *p = path_in(dir, "r.json");
	const char *args[] = { "run", "--folio", "2m", "--out", p, NULL };
	struct out o = run(args);
	json_object *j;

	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	ASSERT_STREQ("", o.err);
	/* one summary line */
	ASSERT_EQ(o.out, strstr(o.out, "kernel v15, one-level, deleg-v15, tf-rmm, "
				"folio 2m, 1 vCPU(s), sequential: faults 512 "
				"(re-faults 0)"));
	j = json_object_from_file(p);
	ASSERT_NE(NULL, j);
	ASSERT_STREQ("one-level", str_at(j, "config.strategy"));
	ASSERT_STREQ("v15", str_at(j, "config.delegation"));
	ASSERT_STREQ("tf-rmm", str_at(j, "config.profile"));
	ASSERT_STREQ("2m", str_at(j, "config.folio"));
	ASSERT_STREQ("det", str_at(j, "config.scheduler"));
	ASSERT_EQ(GIB, json_u64_at(j, "config.ipa"));
	ASSERT_EQ(GIB, json_u64_at(j, "config.size"));
	ASSERT_EQ(1, json_u64_at(j, "config.vcpus"));
	ASSERT_EQ(512, json_u64_at(j, "counts.faults"));
	ASSERT_EQ(0, json_u64_at(j, "counts.refaults"));
	ASSERT_EQ(11, json_u64_at(j, "counts.rmi_calls.setup"));
	ASSERT_EQ(516 + 511 * 513, json_u64_at(j, "counts.rmi_calls.fault"));
	ASSERT_EQ(json_u64_at(j, "counts.rmi_calls.total"),
		  json_u64_at(j, "counts.rmi_calls.setup") +
		  json_u64_at(j, "counts.rmi_calls.fault") +
		  json_u64_at(j, "counts.rmi_calls.teardown"));
	/* DATA_MAP: 512 successes and the one ERROR_RTT(1) */
	ASSERT_EQ(513, json_u64_at(j, "counts.rmi_calls.by_command.RTT_DATA_MAP"));
	ASSERT_EQ(1, json_u64_at(j, "counts.rmi_calls.by_status.RTT_DATA_MAP.ERROR_RTT"));
	ASSERT_EQ(1 + TEARDOWN_RTTS,
		  json_u64_at(j, "counts.rmi_calls.by_command.RTT_CREATE"));
	/* set-up's 4 (RD, 2 roots, REC), 512 per fault, the L2, one per
	 * RTT teardown creates */
	ASSERT_EQ(4 + 512 * 512 + 1 + TEARDOWN_RTTS,
		  json_u64_at(j, "counts.rmi_calls.by_command.GRANULE_RANGE_DELEGATE"));
	ASSERT_EQ(1 + TEARDOWN_RTTS, json_u64_at(j, "counts.rtts_created"));
	ASSERT_EQ(TEARDOWN_RTTS, json_u64_at(j, "counts.rtts_created_teardown"));
	ASSERT_EQ(1 + TEARDOWN_RTTS, json_u64_at(j, "counts.rtt_pages_peak"));
	ASSERT_EQ(0, json_u64_at(j, "counts.mapped_bytes.l1"));
	ASSERT_EQ(GIB, json_u64_at(j, "counts.mapped_bytes.l2"));
	ASSERT_EQ(0, json_u64_at(j, "counts.mapped_bytes.l3"));
	ASSERT_EQ(NULL, json_at(j, "counts.mapped_bytes.l0"));
	ASSERT_EQ(0, json_u64_at(j, "counts.warnings"));
	ASSERT_EQ(0, json_u64_at(j, "counts.leaked_granules"));
	ASSERT_EQ(512, json_u64_at(j, "distributions.rmi_calls_per_fault.count"));
	ASSERT_EQ(513, json_u64_at(j, "distributions.rmi_calls_per_fault.min"));
	ASSERT_EQ(516, json_u64_at(j, "distributions.rmi_calls_per_fault.max"));
	ASSERT_STREQ("1.0", json_object_get_string(json_at(j, "derived.block_coverage")));
	ASSERT_STREQ("ok", str_at(j, "outcome"));
	json_object_put(j);
	out_free(&o);
	free(p);
}

/*
 * 4 KiB folios, 16 MiB: set-up creates the L2 (14 calls); 4096 faults,
 * 8 of them first in their 2 MiB (5 calls), the rest 2: 8216. RTTs: the
 * L2 and 8 L3s.
 */
CLI_TEST(run_4k_16m)
{
	char *p = path_in(dir, "r.json");
	const char *args[] = { "run", "--size", "16M", "--folio", "4k",
			       "--quiet", "--out", p, NULL };
	struct out o = run(args);
	json_object *j;

	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	ASSERT_STREQ("", o.out);
	ASSERT_STREQ("", o.err);
	j = json_object_from_file(p);
	ASSERT_NE(NULL, j);
	ASSERT_EQ(16 * MIB, json_u64_at(j, "config.size"));
	ASSERT_STREQ("4k", str_at(j, "config.folio"));
	ASSERT_EQ(4096, json_u64_at(j, "counts.faults"));
	ASSERT_EQ(14, json_u64_at(j, "counts.rmi_calls.setup"));
	ASSERT_EQ(8 * 5 + (4096 - 8) * 2, json_u64_at(j, "counts.rmi_calls.fault"));
	ASSERT_EQ(2, json_u64_at(j, "counts.rmi_calls.by_command.RTT_INIT_RIPAS"));
	ASSERT_EQ(4096 + 8, json_u64_at(j, "counts.rmi_calls.by_command.RTT_DATA_MAP"));
	/* teardown: 504 empty entries of the memslot's L2 too */
	ASSERT_EQ(TEARDOWN_RTTS + 504,
		  json_u64_at(j, "counts.rtts_created_teardown"));
	ASSERT_EQ(9 + TEARDOWN_RTTS + 504, json_u64_at(j, "counts.rtts_created"));
	ASSERT_EQ(9 + TEARDOWN_RTTS + 504, json_u64_at(j, "counts.rtt_pages_peak"));
	ASSERT_EQ(16 * MIB, json_u64_at(j, "counts.mapped_bytes.l3"));
	ASSERT_EQ(2, json_u64_at(j, "distributions.rmi_calls_per_fault.min"));
	ASSERT_EQ(5, json_u64_at(j, "distributions.rmi_calls_per_fault.max"));
	json_object_put(j);
	out_free(&o);
	free(p);
}

/*
 * Memory hotplugged after boot (tests/unit/test_hotplug.c has the counts):
 * --gpt boot is a livelock, exit 3, the last line of stderr naming the
 * status the delegate answers; --gpt on-demand ends ok, exit 0, with
 * 5 memory_prep calls in one fault. 2 MiB folios, S2SZ 32: short.
 */
CLI_TEST(run_hotplug_boot_and_on_demand)
{
	char *p = path_in(dir, "h.json");
	const char *args[] = { "run", "--s2sz", "32", "--folio", "2m",
			       "--size", "1G", "--hotplug", "1G", "--gpt",
			       "boot", "--quiet", "--out", p, NULL };
	struct out o = run(args);
	json_object *j;

	ASSERT_EQ(3, o.status) TH_LOG("%s", o.err);
	ASSERT_STREQ("rmibench run: outcome livelock: livelock: vcpu 0 faulted on IPA 0x40000000 1000 times with no progress anywhere: GRANULE_RANGE_DELEGATE answers ERROR_TRACKING at PA 0x20000000000 (memory the RMM cannot use yet), taken for a race\n",
		     o.err);
	out_free(&o);
	args[10] = "on-demand";
	o = run(args);
	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	j = json_object_from_file(p);
	ASSERT_NE(NULL, j);
	ASSERT_STREQ("on-demand", str_at(j, "config.gpt"));
	ASSERT_EQ(1073741824, json_u64_at(j, "config.hotplug"));
	ASSERT_EQ(5, json_u64_at(j, "counts.memory_prep.calls"));
	ASSERT_EQ(1, json_u64_at(j, "counts.memory_prep.faults"));
	ASSERT_EQ(1, json_u64_at(j, "counts.rmi_calls.by_command.GPT_L1_CREATE"));
	ASSERT_STREQ("ok", str_at(j, "outcome_class"));
	json_object_put(j);
	out_free(&o);
	free(p);
}

/*
 * full, tf-rmm, 2 MiB folios (test_host.c, full_tf_rmm_2m_kills_the_realm):
 * the realm dies on its first fault, 1030 calls. The run was made, its
 * file written, and the exit status says the outcome is a failure: 3,
 * with the outcome on the last line of stderr.
 */
CLI_TEST(run_full_tf_rmm_2m_realm_dies)
{
	char *p = path_in(dir, "r.json");
	const char *args[] = { "run", "--strategy", "full", "--folio", "2m",
			       "--out", p, NULL };
	struct out o = run(args);
	json_object *j;

	ASSERT_EQ(3, o.status) TH_LOG("%s", o.err);
	ASSERT_STREQ("rmibench run: outcome killed: vcpu 0: realm_map_protected returned -6 at IPA 0x40000000: KVM_RUN fails, the VMM kills the realm\n",
		     o.err);
	ASSERT_NE(NULL, strstr(o.out, "\n  WARN x1: DATA_MAP failed: ERROR_RTT 2\n"));
	j = json_object_from_file(p);
	ASSERT_NE(NULL, j);
	ASSERT_EQ(1, json_u64_at(j, "counts.faults"));
	ASSERT_EQ(1030, json_u64_at(j, "counts.rmi_calls.fault"));
	/* teardown: 511 empty entries of the memslot's L2 too */
	ASSERT_EQ(2 + TEARDOWN_RTTS + 511, json_u64_at(j, "counts.rtts_created"));
	ASSERT_EQ(1, json_u64_at(j, "counts.warnings"));
	ASSERT_EQ(1, json_object_array_length(json_at(j, "counts.warning_reasons")));
	ASSERT_STREQ("DATA_MAP failed: ERROR_RTT 2",
		     json_object_get_string(json_at(json_object_array_get_idx(
			     json_at(j, "counts.warning_reasons"), 0), "reason")));
	ASSERT_EQ(1, json_u64_at(j, "counts.guest_errors"));
	ASSERT_EQ(0, strncmp(str_at(j, "outcome"),
			     "vcpu 0: realm_map_protected returned -6", 39));
	ASSERT_STREQ("killed", str_at(j, "outcome_class"));
	json_object_put(j);
	out_free(&o);
	free(p);
}

/* A run that cannot be made is exit status 1, one line. */
CLI_TEST(run_fails)
{
	char *cal = path_in(dir, "no-such-costs.json");
	const char *args[] = { "run", "--calibration", cal, "--size", "16M",
			       NULL };
	struct out o = run(args);

	ASSERT_EQ(1, o.status);
	ASSERT_EQ(1, count_lines(o.err)) TH_LOG("%s", o.err);
	ASSERT_NE(NULL, strstr(o.err, "rmibench run: "));
	ASSERT_NE(NULL, strstr(o.err, cal));
	ASSERT_STREQ("", o.out);
	out_free(&o);
	free(cal);
}

/* Check one file of a matrix over 16 MiB (see the top of this file). */
/*
 * @s2sz 40 or 32. A 32-bit realm starts at level 2 (four concatenated
 * root tables of 1 GiB each): its memslot needs no L2 RTT (4 KiB folios:
 * the 8 L3s; 2 MiB: none), and its protected half is 2 GiB, so teardown
 * splits only the 512 empty root entries of the GiB below the memslot.
 */
static void check_matrix_file_s2sz(struct __test_metadata *_metadata,
				   const char *dir, const char *strategy,
				   const char *deleg, const char *profile,
				   const char *folio, unsigned int vcpus,
				   unsigned int s2sz)
{
	const uint64_t other_gibs = s2sz == 32 ? 512 : TEARDOWN_RTTS;
	const uint64_t own = s2sz == 32 ? (strcmp(folio, "2m") ? 8 : 0) :
			     (strcmp(folio, "2m") ? 9 : 1);
	bool huge = !strcmp(folio, "2m");
	char name[128], *p;
	json_object *j;

	snprintf(name, sizeof(name), "v15-%s-%s-%s-%s-%uvcpu.json", strategy,
		 deleg, profile, folio, vcpus);
	p = path_in(dir, name);
	j = json_object_from_file(p);
	ASSERT_NE(NULL, j) TH_LOG("%s", name);
	ASSERT_STREQ("v15", str_at(j, "config.kernel"));
	ASSERT_STREQ(strategy, str_at(j, "config.strategy"));
	ASSERT_STREQ(deleg, str_at(j, "config.delegation"));
	ASSERT_STREQ(profile, str_at(j, "config.profile"));
	ASSERT_STREQ(folio, str_at(j, "config.folio"));
	ASSERT_EQ(vcpus, json_u64_at(j, "config.vcpus"));
	ASSERT_EQ(16 * MIB, json_u64_at(j, "config.size"));
	/* each vCPU its own slice: every folio faulted once */
	ASSERT_EQ(huge ? 8 : 4096, json_u64_at(j, "counts.faults")) TH_LOG("%s", name);
	ASSERT_EQ(0, json_u64_at(j, "counts.refaults"));
	ASSERT_EQ(huge ? 8 * 513 : 8 * 5 + (4096 - 8) * 2,
		  json_u64_at(j, "counts.rmi_calls.fault")) TH_LOG("%s", name);
	ASSERT_EQ(own, json_u64_at(j, "counts.rtts_created") -
		       json_u64_at(j, "counts.rtts_created_teardown"));
	/* teardown: an L2 of blocks is unmapped in one call to its end; an
	 * L2 of tables page by page, an L3 under each of its 504 empty
	 * entries */
	ASSERT_EQ(other_gibs + (huge ? 0 : 504),
		  json_u64_at(j, "counts.rtts_created_teardown"));
	ASSERT_EQ(16 * MIB, json_u64_at(j, huge ? "counts.mapped_bytes.l2" :
					    "counts.mapped_bytes.l3"));
	ASSERT_STREQ("ok", str_at(j, "outcome"));
	json_object_put(j);
	free(p);
}

static void check_matrix_file(struct __test_metadata *_metadata,
			      const char *dir, const char *strategy,
			      const char *deleg, const char *profile,
			      const char *folio, unsigned int vcpus)
{
	check_matrix_file_s2sz(_metadata, dir, strategy, deleg, profile,
			       folio, vcpus, 40);
}

static size_t json_files(const char *dir)
{
	char *cmd;
	size_t n = 0;
	FILE *p;

	if (asprintf(&cmd, "ls '%s' | grep -c '\\.json$'", dir) < 0)
		return 0;
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return 0;
	if (fscanf(p, "%zu", &n) != 1)
		n = 0;
	pclose(p);
	return n;
}

/* Every list: the cross product, named and configured as the lists say. */
CLI_TEST(matrix_lists)
{
	static const char *const strat[] = { "full", "block" };
	static const char *const deleg[] = { "v14", "v15" };
	static const char *const folio[] = { "4k", "2m" };
	/* a 32-bit realm: teardown splits 2 GiB, not 512 (sanitizer time) */
	const char *args[] = { "matrix", "--out-dir", dir, "--size", "16M",
			       "--s2sz", "32",
			       "--quiet", "--strategies", "full,block",
			       "--delegations", "v14,v15", "--profiles", "spec",
			       "--folios", "4k,2M", "--vcpus-list", "1,2", NULL };
	struct out o = run(args);
	char *p, *text, *want;

	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	ASSERT_STREQ("", o.out);
	ASSERT_STREQ("", o.err);
	ASSERT_EQ(16, json_files(dir));
	for (int s = 0; s < 2; s++)
		for (int d = 0; d < 2; d++)
			for (int f = 0; f < 2; f++)
				for (unsigned int v = 1; v <= 2; v++)
					check_matrix_file_s2sz(_metadata, dir,
							       strat[s], deleg[d],
							       "spec", folio[f], v,
							       32);
	/* and the report of them, in the order they ran */
	p = path_in(dir, "runs.tsv");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(17, count_lines(text));
	ASSERT_NE(NULL, strstr(text, "\n1\tfull\t0\tdeleg-v14 4k 1v\t0\tfull deleg-v14 4k 1v\tv15\tv14\tspec\t4k\t1\tsequential\t4096\t0\t"));
	ASSERT_NE(NULL, strstr(text, "\n16\tblock\t2\tdeleg-v15 2m 2v\t7\tblock deleg-v15 2m 2v\tv15\tv15\tspec\t2m\t2\tsequential\t8\t0\t"));
	free(text);
	free(p);
	p = path_in(dir, "summary.md");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	/* the command lines run as written: rmibench as it was invoked */
	ASSERT_EQ(0, asprintf(&want, "- **Reproduce:** `%s matrix --out-dir %s ",
			      rmibench(), dir) < 0);
	ASSERT_NE(NULL, strstr(text, want)) TH_LOG("%s", want);
	free(want);
	ASSERT_EQ(0, asprintf(&want, "\n16. `v15-block-v15-spec-2m-2vcpu.json`: `%s run --kernel v15 --strategy block --delegation v15 --profile spec",
			      rmibench()) < 0);
	ASSERT_NE(NULL, strstr(text, want)) TH_LOG("%s", want);
	free(want);
	free(text);
	free(p);
	out_free(&o);
}

/*
 * Without --delegations the runs take --delegation's value (default v15),
 * whatever else the command line says; --out-dir out--delegations used to
 * hide it and write v14 files.
 */
CLI_TEST(matrix_delegation_without_list)
{
	static const char *const cases[][2] = {
		{ "v15", "out--delegations" },	/* given */
		{ "v14", "v14" },		/* given */
		{ NULL, "default" },		/* not given: v15 */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = cases[i][0] ? cases[i][0] : "v15";
		char *d = path_in(dir, cases[i][1]);
		const char *args[] = { "matrix", "--out-dir", d, "--size", "16M",
				       "--quiet", "--strategies", "one-level",
				       "--profiles", "tf-rmm", "--folios", "2m",
				       "--vcpus-list", "1",
				       cases[i][0] ? "--delegation" : NULL,
				       cases[i][0], NULL };
		struct out o = run(args);

		ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
		ASSERT_EQ(1, json_files(d)) TH_LOG("%s", d);
		check_matrix_file(_metadata, d, "one-level", want, "tf-rmm",
				  "2m", 1);
		out_free(&o);
		free(d);
	}
}

/* A setting's option stands for its list when the list is not given. */
CLI_TEST(matrix_setting_for_list)
{
	const char *args[] = { "matrix", "--out-dir", dir, "--size", "16M",
			       "--quiet", "--strategy", "block", "--profile",
			       "spec", "--folio", "4k", "--vcpus", "2", NULL };
	struct out o = run(args);

	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	ASSERT_EQ(1, json_files(dir));
	check_matrix_file(_metadata, dir, "block", "v15", "spec", "4k", 2);
	out_free(&o);
}

/* rmibench report DIR: the three tables, from the files alone */
CLI_TEST(report)
{
	const char *margs[] = { "matrix", "--out-dir", dir, "--size",
				"16M", "--quiet", "--profiles", "tf-rmm",
				"--folios", "2m", "--vcpus-list", "1", NULL };
	const char *rargs[] = { "report", "--no-plots", "--command", "make it so",
				dir, NULL };
	static const char *const tables[] = { "summary.md", "runs.tsv",
					      "latency.tsv" };
	const char *again[] = { "report", "--no-plots", dir, NULL };
	struct out o = run(margs);
	char *p, *text, *bad, *want, *repro;
	json_object *j;

	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	/*
	 * The matrix's command, in each of its files and in its summary.md
	 * (which names no plots: it draws none); `report DIR` keeps it, run
	 * once and again.
	 */
	ASSERT_EQ(0, asprintf(&repro, "- **Reproduce:** `%s matrix --out-dir %s --size 16M --quiet --profiles tf-rmm --folios 2m --vcpus-list 1`; each run alone",
			      rmibench(), dir) < 0);
	p = path_in(dir, "v15-block-v15-tf-rmm-2m-1vcpu.json");
	j = json_object_from_file(p);
	ASSERT_NE(NULL, j);
	ASSERT_EQ(0, strncmp(repro + strlen("- **Reproduce:** `"),
			     str_at(j, "metadata.command"),
			     strlen(str_at(j, "metadata.command"))));
	ASSERT_EQ('`', repro[strlen("- **Reproduce:** `") +
			     strlen(str_at(j, "metadata.command"))]);
	json_object_put(j);
	free(p);
	for (int k = 0; k < 3; k++) {
		p = path_in(dir, "summary.md");
		text = slurp(p);
		ASSERT_NE(NULL, text);
		ASSERT_NE(NULL, strstr(text, repro)) TH_LOG("%d: %s", k, repro);
		ASSERT_NE(NULL, strstr(text, "depend on the machine. No plots were drawn (`rmibench report DIR` draws them, with gnuplot).\n"));
		ASSERT_EQ(NULL, strstr(text, ".png"));
		free(text);
		free(p);
		if (k == 2)
			break;
		o = run(again);
		ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
		out_free(&o);
	}
	free(repro);
	for (int i = 0; i < 3; i++) {
		p = path_in(dir, tables[i]);
		ASSERT_EQ(0, unlink(p));
		free(p);
	}
	o = run(rargs);
	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	ASSERT_STREQ("", o.err);
	ASSERT_NE(NULL, strstr(o.out, "rmibench report: 3 runs: "));
	p = path_in(dir, "summary.md");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, strstr(text, "- **Reproduce:** `make it so`"));
	ASSERT_NE(NULL, strstr(text, "| 1 | v15 | block | v15 | tf-rmm | 2m | 1 | 16 MiB | sequential | 8 | 0 | 513.00 |"));
	ASSERT_EQ(0, asprintf(&want, "\n3. `v15-one-level-v15-tf-rmm-2m-1vcpu.json`: `%s run --kernel v15 --strategy one-level",
			      rmibench()) < 0);
	ASSERT_NE(NULL, strstr(text, want)) TH_LOG("%s", want);
	free(want);
	free(text);
	free(p);
	p = path_in(dir, "runs.tsv");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(4, count_lines(text));
	ASSERT_EQ(text, strstr(text, "run\tstrategy\tstrategy_idx\tgroup\t"));
	free(text);
	free(p);
	p = path_in(dir, "latency.tsv");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(text, strstr(text, "run\tstrategy\tstrategy_idx\tgroup_idx\t"));
	ASSERT_LT(3, count_lines(text));
	free(text);
	free(p);
	out_free(&o);

	/* a bad result file: exit 1, one line naming it, no tables */
	bad = path_in(dir, "bad.json");
	ASSERT_EQ(0, json_object_to_file(bad, json_object_new_object()));
	p = path_in(dir, "runs.tsv");
	ASSERT_EQ(0, unlink(p));
	o = run(rargs);
	ASSERT_EQ(1, o.status);
	ASSERT_EQ(1, count_lines(o.err)) TH_LOG("%s", o.err);
	ASSERT_NE(NULL, strstr(o.err, bad));
	ASSERT_NE(NULL, strstr(o.err, "schema_version: missing"));
	ASSERT_NE(0, access(p, F_OK));
	out_free(&o);
	free(p);
	free(bad);
}

/*
 * A run whose workload was done and which failed at teardown keeps its
 * ratios, marked; one whose realm was killed at its first fault is
 * excluded. v14, 4 MiB from IPA 1 GiB, 4 KiB folios: 1024 faults of a
 * delegate and a map each, and the first fault of each 2 MiB (two) meets
 * ERROR_RTT and creates a table per missing level (L2 and L3 on the
 * first, L3 on the second): 2048 + 4 + 2 = 2054 calls, 2.01 per fault;
 * 3 RTT pages for 4 MiB, 768 per GiB. Every DATA_UNMAP failing at
 * teardown (ERROR_INPUT) livelocks realm_unmap_private_range. A failing
 * DATA_MAP kills the realm at its first fault instead.
 */
CLI_TEST(report_teardown_failure)
{
	char *a = path_in(dir, "a.json"), *b = path_in(dir, "b.json");
	const char *ra[] = { "run", "--quiet", "--out", a, "--kernel", "v14",
			     "--size", "4M", "--inject", "command=RTT_DATA_UNMAP",
			     NULL };
	const char *rb[] = { "run", "--quiet", "--out", b, "--kernel", "v14",
			     "--size", "4M", "--s2sz", "32", "--inject",
			     "command=RTT_DATA_MAP,status=ERROR_INPUT", NULL };
	const char *rargs[] = { "report", "--no-plots", dir, NULL };
	struct out o = run(ra);
	char *p, *text;
	json_object *j;

	ASSERT_EQ(3, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	o = run(rb);
	ASSERT_EQ(3, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	j = json_object_from_file(a);
	ASSERT_NE(NULL, j);
	ASSERT_STREQ("livelock", str_at(j, "outcome_class"));
	ASSERT_TRUE(json_object_get_boolean(json_at(j, "workload_done")));
	ASSERT_EQ(1024, json_u64_at(j, "counts.accesses"));
	json_object_put(j);
	j = json_object_from_file(b);
	ASSERT_NE(NULL, j);
	ASSERT_STREQ("killed", str_at(j, "outcome_class"));
	ASSERT_FALSE(json_object_get_boolean(json_at(j, "workload_done")));
	json_object_put(j);

	o = run(rargs);
	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	p = path_in(dir, "summary.md");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, strstr(text, "\n- **Excluded:** run 2 (the realm was killed or livelocked before the workload was done"));
	ASSERT_NE(NULL, strstr(text, "\n- **Failed at teardown:** run 1 (the workload ran to its end; the failure named under \"outcome\" came when the realm was torn down): its figures, all taken before teardown, are shown, and the table and the plots mark it \"at teardown\".\n"));
	ASSERT_NE(NULL, strstr(text, "\n| # | kernel | strategy | delegation | profile | folio | vCPUs | size | workload | s2sz | inject | faults | "));
	ASSERT_NE(NULL, strstr(text, "\n| 1 | v14 | full | v14 | tf-rmm | 4k | 1 | 4 MiB | sequential | 40 | command=RTT_DATA_UNMAP | 1024 | 0 | 2.01 | 3 | 3 | 768.0 | 0 | 0 | 4 MiB | 0.0% | "));
	ASSERT_NE(NULL, strstr(text, " | **livelock at teardown**: livelock in realm_unmap_private_range at 0"));
	ASSERT_NE(NULL, strstr(text, "\n| 2 | v14 | full | v14 | tf-rmm | 4k | 1 | 4 MiB | sequential | 32 | command=RTT_DATA_MAP,status=ERROR_INPUT | 1 | 0 | excluded | "));
	ASSERT_NE(NULL, strstr(text, " | excluded | excluded | **killed**: vcpu 0: realm_map_protected returned"));
	free(text);
	free(p);
	p = path_in(dir, "runs.tsv");
	text = slurp(p);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, strstr(text, "\tlivelock\t0\t1\t1\tlivelock at teardown\ts2sz, inject\t"));
	ASSERT_NE(NULL, strstr(text, "\tkilled\t1\t1\t0\t\ts2sz, inject\t"));
	free(text);
	free(p);
	free(a);
	free(b);
}

/*
 * The command line summary.md gives for a run repeats it: the same
 * settings, and (det) the same counts.
 */
CLI_TEST(command_line_repeats_the_run)
{
	char *a = path_in(dir, "a.json"), *b, *text, *cmd, *end, *want;
	const char *args[] = { "run", "--quiet", "--out", a, "--size", "32M",
			       "--folio", "2m", "--strategy", "block",
			       "--delegation", "v14", "--profile", "spec",
			       "--delegate-granules", "2", "--vcpus", "2",
			       "--workload", "random", "--shared-region",
			       "--write-pct", "30", "--shared-pct", "5",
			       "--passes", "2", "--stride", "64k", "--seed", "9",
			       "--s2sz", "42", "--livelock-faults", "77",
			       "--inject", "command=RTT_CREATE,times=0",
			       "--inject", "command=RTT_FOLD,status=ERROR_RTT,times=0",
			       NULL };
	const char *rargs[] = { "report", "--no-plots", dir, NULL };
	const char *again[64] = { NULL };
	struct out o = run(args);
	json_object *ja, *jb;
	size_t n = 0;

	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	o = run(rargs);
	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	b = path_in(dir, "summary.md");
	text = slurp(b);
	free(b);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, asprintf(&want, "`: `%s run ", rmibench()) < 0);
	cmd = strstr(text, want);
	ASSERT_NE(NULL, cmd) TH_LOG("%s", want);
	cmd += strlen(want) - strlen("run ");
	free(want);
	end = strchr(cmd, '`');
	ASSERT_NE(NULL, end);
	*end = 0;
	TH_LOG("rmibench %s", cmd);
	/* plain words: nothing here needs quoting */
	ASSERT_EQ(NULL, strchr(cmd, '\''));
	for (char *w = strtok(cmd, " "); w && n < 58; w = strtok(NULL, " "))
		again[n++] = w;
	b = path_in(dir, "b.json");
	again[n++] = "--quiet";
	again[n++] = "--out";
	again[n++] = b;
	again[n] = NULL;
	o = run(again);
	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	ja = json_object_from_file(a);
	jb = json_object_from_file(b);
	ASSERT_NE(NULL, ja);
	ASSERT_NE(NULL, jb);
	ASSERT_TRUE(json_object_equal(json_at(ja, "config"), json_at(jb, "config")));
	ASSERT_TRUE(json_object_equal(json_at(ja, "counts"), json_at(jb, "counts")));
	ASSERT_STREQ("command=RTT_CREATE,times=0;command=RTT_FOLD,status=ERROR_RTT,times=0",
		     str_at(jb, "config.inject"));
	ASSERT_EQ(64 * 1024, json_u64_at(jb, "config.stride"));
	ASSERT_EQ(42, json_u64_at(jb, "config.s2sz"));
	json_object_put(ja);
	json_object_put(jb);
	out_free(&o);
	free(text);
	free(a);
	free(b);
}

/*
 * --out replaces regular files only: /dev/null, a FIFO, a socket, a
 * directory and a symbolic link are refused before the run (status 2, one
 * line) and left as they were; --out - is the JSON on stdout.
 */
CLI_TEST(out_refuses_what_is_not_a_file)
{
	char *fifo = path_in(dir, "fifo.json"), *sock = path_in(dir, "sock.json");
	char *sub = path_in(dir, "sub.json"), *link = path_in(dir, "link.json");
	char *target = path_in(dir, "target.json"), *text;
	const struct {
		const char *path, *why;
	} cases[] = {
		{ "/dev/null", "Is a character device" },
		{ fifo, "Is a FIFO" },
		{ sock, "Is a socket" },
		{ sub, "Is a directory" },
		{ link, "Is a symbolic link" },
	};
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	json_object *j;
	int fd;

	ASSERT_EQ(0, mkfifo(fifo, 0644));
	ASSERT_EQ(0, mkdir(sub, 0755));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, json_object_to_file(target, json_object_new_object()));
	ASSERT_EQ(0, symlink(target, link));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *args[] = { "run", "--size", "16M", "--quiet",
				       "--out", cases[i].path, NULL };
		struct out o = run(args);
		char want[512];

		ASSERT_EQ(2, o.status) TH_LOG("%s: %s", cases[i].path, o.err);
		snprintf(want, sizeof(want), "rmibench run: --out '%s': %s: want a regular file, a new name, or - for stdout\n",
			 cases[i].path, cases[i].why);
		ASSERT_STREQ(want, o.err);
		ASSERT_STREQ("", o.out);
		out_free(&o);
	}
	/*
	 * checked before the run too: an empty name, a name that ends in
	 * '/', a directory that is not there, one that takes no file
	 */
	{
		char *nodir = path_in(dir, "nodir/x.json");
		char *nodir_d = path_in(dir, "nodir");
		const struct {
			const char *path;
			char why[512];
		} more[] = {
			{ "", "an empty name" },
			{ "x/", "not a file name" },
			{ nodir, "" },
			{ "/proc/x.json", "cannot create a file in '/proc': " },
		};

		for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
			const char *args[] = { "run", "--size", "16M",
					       "--quiet", "--out",
					       more[i].path, NULL };
			struct out o = run(args);
			char want[600];

			ASSERT_EQ(2, o.status) TH_LOG("'%s': %s", more[i].path, o.err);
			if (i == 2)
				snprintf(want, sizeof(want), "rmibench run: --out '%s': directory '%s' does not exist\n",
					 nodir, nodir_d);
			else
				snprintf(want, sizeof(want), "rmibench run: --out '%s': %s",
					 more[i].path, more[i].why);
			ASSERT_EQ(0, strncmp(want, o.err, strlen(want))) TH_LOG("%s", o.err);
			ASSERT_EQ(1, count_lines(o.err));
			ASSERT_STREQ("", o.out);
			out_free(&o);
		}
		free(nodir);
		free(nodir_d);
	}

	/* the nodes are what they were */
	ASSERT_EQ(0, stat("/dev/null", &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(0, lstat(fifo, &st));
	ASSERT_TRUE(S_ISFIFO(st.st_mode));
	ASSERT_EQ(0, lstat(sock, &st));
	ASSERT_TRUE(S_ISSOCK(st.st_mode));
	ASSERT_EQ(0, lstat(sub, &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, lstat(link, &st));
	ASSERT_TRUE(S_ISLNK(st.st_mode));
	text = slurp(target);
	ASSERT_STREQ("{}", text);
	free(text);
	close(fd);

	/* --out -: the JSON alone on stdout, the summary on stderr */
	{
		const char *args[] = { "run", "--size", "16M", "--folio", "2m",
				       "--out", "-", NULL };
		struct out o = run(args);

		ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
		j = json_tokener_parse(o.out);
		ASSERT_NE(NULL, j);
		ASSERT_EQ(8, json_u64_at(j, "counts.faults"));
		json_object_put(j);
		ASSERT_EQ(o.err, strstr(o.err, "kernel v15, one-level, deleg-v15, tf-rmm, folio 2m, 1 vCPU(s), sequential: faults 8 (re-faults 0) in 16 MiB, RMI calls "));
		ASSERT_NE(NULL, strstr(o.err, "(fault path 4104: 513.00 per fault)"));
		ASSERT_NE(NULL, strstr(o.err, "mapped L1 0, L2 16 MiB, L3 0 (100.0% blocks)"));
		out_free(&o);
	}

	/* a report or matrix directory that holds a FIFO: refused, no wait */
	{
		char *rdir = path_in(dir, "rep"), *rf = path_in(rdir, "x.json");
		char *mf = path_in(rdir, "pipe");
		const char *rargs[] = { "report", "--no-plots", rdir, NULL };
		const char *margs[] = { "matrix", "--out-dir", rdir, "--size",
					"16M", "--quiet", "--strategies", "block",
					"--profiles", "tf-rmm", "--folios", "2m",
					"--vcpus-list", "1", NULL };
		const char *largs[] = { "matrix", "--out-dir", link, NULL };
		struct out o;

		ASSERT_EQ(0, mkdir(rdir, 0755));
		ASSERT_EQ(0, mkfifo(rf, 0644));
		o = run(rargs);
		ASSERT_EQ(1, o.status);
		ASSERT_EQ(1, count_lines(o.err)) TH_LOG("%s", o.err);
		ASSERT_NE(NULL, strstr(o.err, "x.json: a FIFO: result files are regular files"));
		out_free(&o);
		ASSERT_EQ(0, rename(rf, mf));
		o = run(margs);
		ASSERT_EQ(1, o.status);
		ASSERT_EQ(1, count_lines(o.err)) TH_LOG("%s", o.err);
		ASSERT_NE(NULL, strstr(o.err, "pipe: Is a FIFO: a report directory is replaced as a whole and holds regular files only"));
		ASSERT_EQ(0, json_files(rdir));
		ASSERT_EQ(0, lstat(mf, &st));
		ASSERT_TRUE(S_ISFIFO(st.st_mode));
		out_free(&o);
		o = run(largs);
		ASSERT_EQ(2, o.status);
		ASSERT_NE(NULL, strstr(o.err, "Is a symbolic link")) TH_LOG("%s", o.err);
		out_free(&o);
		/* inject-matrix's directory likewise, before any cell */
		{
			const char *iargs[] = { "inject-matrix", "--out-dir",
						link, "--commands", "RTT_CREATE",
						"--no-plot", "--quiet", NULL };
			const char *nargs[] = { "inject-matrix", "--out-dir",
						"/dev/null", "--commands",
						"RTT_CREATE", "--no-plot",
						"--quiet", NULL };

			o = run(iargs);
			ASSERT_EQ(2, o.status);
			ASSERT_EQ(1, count_lines(o.err)) TH_LOG("%s", o.err);
			ASSERT_NE(NULL, strstr(o.err, "Is a symbolic link: want the directory itself"));
			out_free(&o);
			o = run(nargs);
			ASSERT_EQ(2, o.status);
			ASSERT_STREQ("rmibench inject-matrix: --out-dir '/dev/null': Is a character device, not a directory\n", o.err);
			out_free(&o);
			ASSERT_EQ(0, stat("/dev/null", &st));
			ASSERT_TRUE(S_ISCHR(st.st_mode));
		}
		/* a result file that is a link is refused, not read */
		ASSERT_EQ(0, unlink(mf));
		ASSERT_EQ(0, symlink("/etc/passwd", rf));
		o = run(rargs);
		ASSERT_EQ(1, o.status);
		ASSERT_EQ(1, count_lines(o.err)) TH_LOG("%s", o.err);
		ASSERT_NE(NULL, strstr(o.err, "x.json: a symbolic link: result files are regular files"));
		out_free(&o);
		free(rf);
		free(mf);
		free(rdir);
	}
	free(fifo);
	free(sock);
	free(sub);
	free(link);
	free(target);
}

/*
 * matrix makes every run whatever the others come to, lists the runs that
 * did not come out ok (with --quiet too), and exits 3 only for a class
 * --fail-on names. full on tf-rmm with 2 MiB folios kills the realm at
 * its first fault (run_full_tf_rmm_2m_realm_dies).
 */
CLI_TEST(matrix_fail_on)
{
	static const struct {
		const char *fail_on, *strategies;
		int status;
		const char *out, *err;
	} cases[] = {
		{ NULL, "full,one-level", 0, "rmibench matrix: 2 runs: 1 ok, 1 killed\n", "" },
		{ "killed", "full", 3, "rmibench matrix: 1 run: 1 killed\n",
		  "rmibench matrix: 1 run came to an outcome --fail-on names\n" },
		{ "leak,livelock,invariant", "full", 0, "rmibench matrix: 1 run: 1 killed\n", "" },
		{ "ok,killed", "full,one-level", 3, "rmibench matrix: 2 runs: 1 ok, 1 killed\n",
		  "rmibench matrix: 2 runs came to an outcome --fail-on names\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = path_in(dir, cases[i].fail_on ? cases[i].fail_on : "none");
		/* 512 granules a delegate call: the ok run stays cheap */
		const char *args[] = { "matrix", "--out-dir", d, "--quiet",
				       "--strategies", cases[i].strategies,
				       "--profiles", "tf-rmm", "--folios", "2m",
				       "--vcpus-list", "1", "--delegate-granules",
				       "512",
				       cases[i].fail_on ? "--fail-on" : NULL,
				       cases[i].fail_on, NULL };
		size_t nruns = strchr(cases[i].strategies, ',') ? 2 : 1;
		struct out o = run(args);
		char *p, *text, *want;

		ASSERT_EQ(cases[i].status, o.status) TH_LOG("%s", o.err);
		ASSERT_EQ(nruns, json_files(d));
		ASSERT_EQ(0, asprintf(&want, "%s  v15-full-v15-tf-rmm-2m-1vcpu.json: killed (excluded from the ratios): vcpu 0: realm_map_protected returned -6",
				      cases[i].out) < 0);
		ASSERT_EQ(o.out, strstr(o.out, want)) TH_LOG("%s", o.out);
		free(want);
		ASSERT_STREQ(cases[i].err, o.err);
		p = path_in(d, "runs.tsv");
		text = slurp(p);
		ASSERT_NE(NULL, text);
		ASSERT_EQ(nruns + 1, count_lines(text));
		free(text);
		free(p);
		out_free(&o);
		free(d);
	}
	{
		const char *args[] = { "matrix", "--out-dir", dir, "--fail-on",
				       "killed,gone", NULL };
		struct out o = run(args);

		ASSERT_EQ(2, o.status);
		ASSERT_STREQ("rmibench matrix: --fail-on 'gone': want outcome classes: ok, guest-error, warn, killed, leak, livelock, invariant\n",
			     o.err);
		out_free(&o);
	}
}

/*
 * What an error line echoes from the user is escaped (one line, what was
 * given); what goes into a report from the user loses its control
 * characters.
 */
CLI_TEST(errors_escape_what_they_echo)
{
	static const struct {
		const char *args[4];
		const char *err;
	} cases[] = {
		{ { "run", "--strategy", "two\nlevel\x1b[31m" },
		  "rmibench run: --strategy 'two\\nlevel\\x1b[31m': want full, one-level or block\n" },
		{ { "run", "--bo\ngus" },
		  "rmibench run: unrecognized option '--bo\\ngus'\n"
		  "Try 'rmibench run --help' for more information.\n" },
		{ { "run", "st\tray" },
		  "rmibench run: unexpected argument 'st\\tray'\n" },
		{ { "report", "a\rb", "c\xff" },
		  "rmibench report: one directory only ('a\\rb' and 'c\\xff')\n" },
	};
	const char *margs[] = { "matrix", "--out-dir", dir, "--size", "16M",
				"--quiet", "--strategies", "block", "--profiles",
				"tf-rmm", "--folios", "2m", "--vcpus-list", "1",
				NULL };
	const char *rargs[] = { "report", "--no-plots", "--command",
				"make\nbench `x`\x1b", dir, NULL };
	struct out o;
	char *p, *text;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = run(cases[i].args);
		ASSERT_EQ(2, o.status);
		ASSERT_STREQ(cases[i].err, o.err);
		out_free(&o);
	}
	o = run(margs);
	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	o = run(rargs);
	ASSERT_EQ(0, o.status) TH_LOG("%s", o.err);
	out_free(&o);
	p = path_in(dir, "summary.md");
	text = slurp(p);
	ASSERT_NE(NULL, strstr(text, "- **Reproduce:** `` make bench `x` ``; each run"));
	free(text);
	free(p);
}

/* --help from the option table: every setting, its default; --usage */
CLI_TEST(help_and_usage)
{
	static const char *const cmds[] = { "run", "matrix", "report",
					    "rmi-script" };
	struct run_config d;

	run_config_default(&d);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const char *h[] = { cmds[i], "--help", NULL };
		const char *u[] = { cmds[i], "--usage", NULL };
		const char *hh[] = { "help", cmds[i], NULL };
		struct out o = run(h), ou = run(u), oh = run(hh);
		char want[64], *flat;

		snprintf(want, sizeof(want), "Usage: rmibench %s ", cmds[i]);
		ASSERT_EQ(0, o.status);
		ASSERT_STREQ("", o.err);
		ASSERT_EQ(o.out, strstr(o.out, want)) TH_LOG("%s", o.out);
		ASSERT_NE(NULL, strstr(o.out, "--usage"));
		ASSERT_EQ(0, ou.status);
		ASSERT_EQ(ou.out, strstr(ou.out, want));
		ASSERT_EQ(0, oh.status);
		ASSERT_STREQ(o.out, oh.out);
		flat = squash(strdup(o.out));
		/* run and matrix: an option per setting, with its default */
		for (unsigned int k = 0; i < 2 && k < CFG_NFIELDS; k++) {
			const struct cfg_field *f = &run_config_fields[k];
			char opt[64], def[64], text[80];

			snprintf(opt, sizeof(opt), "--%s", f->opt);
			ASSERT_NE(NULL, strstr(o.out, opt)) TH_LOG("%s %s", cmds[i], opt);
			ASSERT_NE(NULL, strstr(ou.out, opt));
			if (f->kind == CFG_KIND_PATH || f->kind == CFG_KIND_BOOL ||
			    f->kind == CFG_KIND_RULES)
				continue;
			cfg_value_text(&d, f, def, sizeof(def));
			snprintf(text, sizeof(text), "default %s)", def);
			ASSERT_NE(NULL, strstr(flat, text)) TH_LOG("%s %s", opt, text);
		}
		free(flat);
		out_free(&o);
		out_free(&ou);
		out_free(&oh);
	}
}

/* Bad command lines: status 2, nothing on stdout, one line on stderr (two
 * when getopt names an unknown option or a missing value). */
CLI_TEST(bad_command_lines)
{
	static const struct {
		const char *args[8];
		const char *err;
		size_t lines;
	} cases[] = {
		{ { "run", "--strategy", "two-level" },
		  "rmibench run: --strategy 'two-level': want full, one-level or block\n", 1 },
		{ { "run", "--folio", "8k" },
		  "rmibench run: --folio '8k': want 4k, 2m, 1g or mixed\n", 1 },
		{ { "run", "--size", "0" },
		  "rmibench run: --size '0': want a size, e.g. 1G or 512M\n", 1 },
		{ { "run", "--vcpus", "513" },
		  "rmibench run: --vcpus '513': want 1..512\n", 1 },
		{ { "run", "--stride", "5000" },
		  "rmibench run: --stride '5000': want a multiple of 4k\n", 1 },
		{ { "run", "--workload", "zigzag" },
		  "rmibench run: --workload 'zigzag': want sequential, random, strided or storm\n", 1 },
		{ { "run", "--inject", "command=NOPE" },
		  "rmibench run: --inject: unknown command 'NOPE'\n", 1 },
		{ { "run", "--out", "/nonexistent/rmibench/r.json" },
		  "rmibench run: --out '/nonexistent/rmibench/r.json': directory '/nonexistent/rmibench' does not exist\n", 1 },
		/* settings that do not go together, before the run */
		{ { "run", "--size", "257G" },
		  "rmibench run: --size 0x4040000000: the sim runs memslots of at most 256 GiB\n", 1 },
		{ { "run", "--ipa", "0x40000001" },
		  "rmibench run: --ipa 0x40000001, --size 0x40000000: both must be multiples of 4 KiB\n", 1 },
		{ { "run", "--size", "2G", "--s2sz", "32" },
		  "rmibench run: --ipa 0x40000000, --size 0x80000000: the memslot ends at 0xc0000000, past the protected half of a 32-bit IPA space (0x80000000; a larger --s2sz?)\n", 1 },
		{ { "run", "--folio", "1g", "--size", "512M" },
		  "rmibench run: --ipa 0x40000000, --size 0x20000000: both must be multiples of 1 GiB (--folio 1g or mixed)\n", 1 },
		{ { "matrix", "--out-dir", "/tmp/rmibench-never-made", "--folios", "4k,1g", "--size", "512M" },
		  "rmibench matrix: v15-full-v15-tf-rmm-1g-1vcpu.json: --ipa 0x40000000, --size 0x20000000: both must be multiples of 1 GiB (--folio 1g or mixed)\n", 1 },
		{ { "inject-matrix", "--out-dir", "/tmp/rmibench-never-made", "--size", "4097" },
		  "rmibench inject-matrix: v14/full/v14: --ipa 0x40000000, --size 0x1001: both must be multiples of 2 MiB (--folio 2m)\n", 1 },
		{ { "explore", "--scenario", "partial-delegation", "--size", "4097" },
		  "rmibench explore: --ipa 0x40000000, --size 0x1001: both must be multiples of 2 MiB (--folio 2m)\n", 1 },
		{ { "run", "--out", "" },
		  "rmibench run: --out '': an empty name\n", 1 },
		{ { "compare", "--plots", "/dev/null", "a", "b" },
		  "rmibench compare: --plots '/dev/null': Is a character device, not a directory\n", 1 },
		{ { "run", "stray" },
		  "rmibench run: unexpected argument 'stray'\n", 1 },
		{ { "run", "--bogus" },
		  "rmibench run: unrecognized option '--bogus'\n"
		  "Try 'rmibench run --help' for more information.\n", 2 },
		{ { "run", "--size" },
		  "rmibench run: option '--size' requires an argument\n"
		  "Try 'rmibench run --help' for more information.\n", 2 },
		{ { "matrix", "--size", "16M" },
		  "rmibench matrix: --out-dir DIR is required\n", 1 },
		{ { "matrix", "--out-dir", "/tmp/rmibench-never-made", "--folios", "4k,8k" },
		  "rmibench matrix: --folios '8k': want 4k, 2m, 1g or mixed\n", 1 },
		{ { "matrix", "--out-dir", "/tmp/rmibench-never-made", "--vcpus-list", "1,2,3,4,5,6,7,8,9" },
		  "rmibench matrix: --vcpus-list '1,2,3,4,5,6,7,8,9': at most 8 values\n", 1 },
		{ { "report" },
		  "rmibench report: no directory given (DIR)\n", 1 },
		{ { "report", "a", "b" },
		  "rmibench report: one directory only ('a' and 'b')\n", 1 },
		{ { "report", "--plots", "a" },
		  "rmibench report: unrecognized option '--plots'\n"
		  "Try 'rmibench report --help' for more information.\n", 2 },
		{ { "rmi-script", "--pa-bits", "99", "x.rmi" },
		  "rmibench rmi-script: --pa-bits '99': want 32..52\n", 1 },
		{ { "rmi-script" },
		  "rmibench rmi-script: no scenario file given (FILE, or - for stdin)\n", 1 },
		{ { "teleport" },
		  "rmibench: unknown command 'teleport' (run, matrix, report, rmi-script, compare, history, inject-matrix, explore)\n", 1 },
		{ { NULL },
		  "rmibench: no command given (run, matrix, report, rmi-script, compare, history, inject-matrix, explore)\n", 1 },
		{ { "--bogus" },
		  "rmibench: unrecognized option '--bogus'\n"
		  "Try 'rmibench --help' for more information.\n", 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct out o = run(cases[i].args);

		ASSERT_EQ(2, o.status) TH_LOG("case %zu: %s", i, o.err);
		ASSERT_STREQ("", o.out);
		ASSERT_STREQ(cases[i].err, o.err);
		ASSERT_EQ(cases[i].lines, count_lines(o.err));
		out_free(&o);
	}
	/* and nothing was run or written */
	ASSERT_EQ(0, json_files(dir));
	ASSERT_NE(0, access("/tmp/rmibench-never-made", F_OK));
}

TEST_HARNESS_MAIN
