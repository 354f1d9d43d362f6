// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench inject-matrix (bench/inject_*.c): the classes and their order,
 * every class from a hand-built run (invariant, guest-error and
 * not-reached included, which no single injection into the sim's
 * workloads reaches), the statuses per command from rmi-facts, which
 * cells exist and their rules, the cell file's round trip and checks,
 * the fields' documentation, and --diff. The whole command, its workers,
 * resuming and signals: tests/inject/test-inject-matrix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kselftest_harness.h"

#include "inject.h"
#include "inject_matrix.h"
#include "rmm.h"

static struct run_result *result(enum run_outcome oc, uint64_t injected)
{
	static struct run_result r;

	memset(&r, 0, sizeof(r));
	r.outcome_class = oc;
	r.counts.injected = injected;
	snprintf(r.outcome, sizeof(r.outcome), "ok");
	return &r;
}

/* one hand-built run of each outcome, and ok with and without a failure */
TEST(every_class)
{
	static const struct {
		enum run_outcome oc;
		uint64_t injected;
		enum im_class want;
	} c[] = {
		{ OUTCOME_INVARIANT, 1, IM_INVARIANT },
		{ OUTCOME_LIVELOCK, 1, IM_LIVELOCK },
		{ OUTCOME_LEAK, 3, IM_LEAK },
		{ OUTCOME_KILLED, 1, IM_KILLED },
		{ OUTCOME_WARN, 1, IM_WARN },
		{ OUTCOME_GUEST_ERROR, 1, IM_GUEST_ERROR },
		{ OUTCOME_OK, 1, IM_RECOVERED },
		{ OUTCOME_OK, 0, IM_NOT_REACHED },
		/* the class says what the run came to, fired or not */
		{ OUTCOME_WARN, 0, IM_WARN },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ASSERT_EQ(c[i].want, im_class_of(result(c[i].oc,
							c[i].injected)))
			TH_LOG("case %zu", i);
	}
	/* most severe first, and the names read back */
	ASSERT_STREQ("crash", im_class_name(IM_CRASH));
	ASSERT_STREQ("not-reached", im_class_name(IM_NOT_REACHED));
	for (int k = 0; k < IM_CLASS_COUNT; k++)
		ASSERT_EQ(k, im_class_from_name(im_class_name(k)));
	ASSERT_EQ(-1, im_class_from_name("ok"));
	for (int t = 0; t < IM_TRIGGER_COUNT; t++)
		ASSERT_EQ(t, im_trigger_from_name(im_trigger_name(t)));
}

TEST(livelock_text)
{
	char fn[64];
	uint64_t ipa = 0;

	ASSERT_TRUE(im_parse_livelock("livelock in realm_unmap_private_range at 0x25600000: DATA_UNMAP fails there on every pass (ERROR_INPUT)",
				      fn, sizeof(fn), &ipa));
	ASSERT_STREQ("realm_unmap_private_range", fn);
	ASSERT_EQ(0x25600000ull, ipa);
	ASSERT_TRUE(im_parse_livelock("livelock: vcpu 0 faulted on IPA 0x40200000 1000 times with no progress anywhere",
				      fn, sizeof(fn), &ipa));
	ASSERT_STREQ("re-fault", fn);
	ASSERT_EQ(0x40200000ull, ipa);
	ASSERT_FALSE(im_parse_livelock("delegating the RD failed", fn,
				       sizeof(fn), &ipa));
}

static bool has(const struct im_status *s, unsigned int n, unsigned int st,
		unsigned int idx)
{
	for (unsigned int i = 0; i < n; i++)
		if (s[i].status == st && s[i].index == idx)
			return true;
	return false;
}

/* rmi-facts: ERROR_RTT from the realm's start level down to what the
 * command can name; the delegates' retried statuses */
TEST(statuses_from_facts)
{
	struct im_status s[32];
	unsigned int n;
	bool seen[RMI_CMD_COUNT] = { false };
	int cmd;

	n = im_cmd_statuses(RMI_CMD_RTT_CREATE, 2, s, 32);
	ASSERT_EQ(2u, n);
	ASSERT_TRUE(has(s, n, RMI_ERROR_INPUT, 0));
	ASSERT_TRUE(has(s, n, RMI_ERROR_RTT, 2));
	n = im_cmd_statuses(RMI_CMD_RTT_CREATE, 0, s, 32);
	ASSERT_EQ(4u, n);
	ASSERT_TRUE(has(s, n, RMI_ERROR_RTT, 0));
	ASSERT_FALSE(has(s, n, RMI_ERROR_RTT, 3));
	n = im_cmd_statuses(RMI_CMD_RTT_DATA_MAP, 1, s, 32);
	ASSERT_EQ(5u, n);
	ASSERT_TRUE(has(s, n, RMI_ERROR_REALM, 0));
	ASSERT_TRUE(has(s, n, RMI_ERROR_RTT, 3));
	ASSERT_FALSE(has(s, n, RMI_ERROR_RTT, 0));
	n = im_cmd_statuses(RMI_CMD_GRANULE_RANGE_DELEGATE, 2, s, 32);
	ASSERT_EQ(6u, n);
	ASSERT_TRUE(has(s, n, RMI_ERROR_TRACKING, 0));
	ASSERT_TRUE(has(s, n, RMI_ERROR_GPT, 0));
	ASSERT_TRUE(has(s, n, RMI_BUSY, 0));
	ASSERT_TRUE(has(s, n, RMI_BLOCKED, 0));
	ASSERT_TRUE(has(s, n, RMI_INCOMPLETE, 0));
	ASSERT_EQ(0u, im_cmd_statuses(RMI_CMD_RMM_ACTIVATE, 2, s, 32));
	n = im_cmd_statuses(RMI_CMD_GPT_L1_CREATE, 2, s, 32);
	ASSERT_EQ(2u, n);
	ASSERT_TRUE(has(s, n, RMI_ERROR_GPT, 0));
	n = im_cmd_statuses(RMI_CMD_GRANULE_TRACKING_SET, 2, s, 32);
	ASSERT_EQ(1u, n);
	ASSERT_TRUE(has(s, n, RMI_ERROR_INPUT, 0));
	n = im_cmd_statuses(RMI_CMD_RTT_READ_ENTRY, 0, s, 32);
	ASSERT_FALSE(has(s, n, RMI_ERROR_RTT, 0));
	/* never ERROR_GLOBAL: the host activates the RMM first */
	for (unsigned int c = 0; c < RMI_CMD_COUNT; c++) {
		n = im_cmd_statuses(c, 0, s, 32);
		for (unsigned int i = 0; i < n; i++)
			ASSERT_NE(RMI_ERROR_GLOBAL, s[i].status);
	}
	/* the order lists every command once */
	for (unsigned int i = 0; (cmd = im_cmd_order(i)) >= 0; i++) {
		ASSERT_LT(cmd, RMI_CMD_COUNT);
		ASSERT_FALSE(seen[cmd]);
		seen[cmd] = true;
	}
	for (unsigned int c = 0; c < RMI_CMD_COUNT; c++)
		ASSERT_TRUE(seen[c]);
	ASSERT_TRUE(im_cmd_is_delegate(RMI_CMD_GRANULE_RANGE_DELEGATE));
	ASSERT_FALSE(im_cmd_is_delegate(RMI_CMD_GRANULE_RANGE_UNDELEGATE));
}

static struct im_row row(unsigned int cmd, unsigned int st, unsigned int idx,
			 enum im_trigger t)
{
	struct im_row r = { .cmd = cmd, .status = st, .index = idx,
			    .trig = t };

	im_row_name(&r);
	return r;
}

/* which cells exist, N, and the rule each makes */
TEST(cells_and_rules)
{
	struct im_col col = { .kernel = HOST_V14, .deleg = DELEG_V14 };
	struct im_row r = row(RMI_CMD_RTT_CREATE, RMI_ERROR_RTT, 2, IM_NTH);
	struct inj_rule rule;
	char text[192], err[128];
	uint64_t space;

	im_col_name(&col);
	ASSERT_STREQ("v14/full/v14", col.name);
	ASSERT_STREQ("RTT_CREATE.ERROR_RTT.2.nth", r.name);
	im_file_name(text, sizeof(text), col.name);
	ASSERT_STREQ("v14-full-v14", text);
	/* not in the baseline: no cell */
	ASSERT_FALSE(im_cell_applies(&r, &col, &space));
	/* the nth of a single call is the first: no cell; of two, the 2nd */
	col.calls[RMI_CMD_RTT_CREATE] = 1;
	ASSERT_FALSE(im_cell_applies(&r, &col, &space));
	col.calls[RMI_CMD_RTT_CREATE] = 2;
	ASSERT_TRUE(im_cell_applies(&r, &col, &space));
	ASSERT_EQ(2ull, space);
	col.calls[RMI_CMD_RTT_CREATE] = 514;
	ASSERT_TRUE(im_cell_applies(&r, &col, &space));
	ASSERT_EQ(258ull, space);
	im_rule_text(&r, space, text, sizeof(text));
	ASSERT_STREQ("command=RTT_CREATE,status=ERROR_RTT,index=2,space=258,times=1",
		     text);
	ASSERT_EQ(0, inj_rule_parse(text, &rule, err, sizeof(err)));
	ASSERT_EQ(258, rule.r.space);
	ASSERT_EQ(1, rule.r.times);
	ASSERT_EQ(2u, rule.r.index);

	r = row(RMI_CMD_RTT_CREATE, RMI_ERROR_INPUT, 0, IM_FIRST);
	ASSERT_TRUE(im_cell_applies(&r, &col, &space));
	ASSERT_EQ(0ull, space);
	im_rule_text(&r, space, text, sizeof(text));
	ASSERT_STREQ("command=RTT_CREATE,status=ERROR_INPUT,index=0,times=1",
		     text);

	r = row(RMI_CMD_RTT_CREATE, RMI_ERROR_INPUT, 0, IM_PERSISTENT);
	col.calls[RMI_CMD_RTT_CREATE] = 1;
	ASSERT_TRUE(im_cell_applies(&r, &col, &space));
	ASSERT_EQ(1ull, space);
	im_rule_text(&r, space, text, sizeof(text));
	ASSERT_STREQ("command=RTT_CREATE,status=ERROR_INPUT,index=0,space=1",
		     text);
	ASSERT_EQ(0, inj_rule_parse(text, &rule, err, sizeof(err)));
	ASSERT_EQ(-1, rule.r.times);

	/* the other delegation variant: the delegate's rows only */
	col.deleg_only = true;
	ASSERT_FALSE(im_cell_applies(&r, &col, &space));
	r = row(RMI_CMD_GRANULE_RANGE_DELEGATE, RMI_BUSY, 0, IM_FIRST);
	col.calls[RMI_CMD_GRANULE_RANGE_DELEGATE] = 9;
	ASSERT_TRUE(im_cell_applies(&r, &col, &space));
}

static void full_cell(struct im_cell *c)
{
	struct im_col col = { .kernel = HOST_V15,
			      .strategy = RMI_RTT_STRATEGY_ONE_LEVEL,
			      .deleg = DELEG_V15 };
	struct im_row r = row(RMI_CMD_GRANULE_RANGE_DELEGATE, RMI_ERROR_INPUT,
			      0, IM_PERSISTENT);

	im_col_name(&col);
	col.calls[RMI_CMD_GRANULE_RANGE_DELEGATE] = 1544;
	im_cell_init(c, &r, &col, im_nth(1544));
	c->cls = IM_LEAK;
	c->outcome_class = OUTCOME_LEAK;
	snprintf(c->outcome, sizeof(c->outcome), "ok");
	c->injected = 2345;
	c->faults = 265;
	c->rmi_calls = 99999;
	c->warnings = 3;
	c->nwarn = 2;
	snprintf(c->warn[0].reason, sizeof(c->warn[0].reason),
		 "RTT_DESTROY: live table at level 3 cannot be torn down");
	c->warn[0].count = 2;
	snprintf(c->warn[1].reason, sizeof(c->warn[1].reason), "x \"y\"");
	c->warn[1].count = 1;
	c->leaked = 517;
	c->leaked_by_state[RMI_GRANULE_DELEGATED] = 512;
	c->leaked_by_state[RMI_GRANULE_RTT] = 4;
	c->leaked_by_state[RMI_GRANULE_RD] = 1;
	c->wall_seconds = 0.004;
	snprintf(c->command_line, sizeof(c->command_line),
		 "rmibench run --inject %s", c->rule);
}

static char *tmpdir(void)
{
	static char d[64];

	snprintf(d, sizeof(d), "/tmp/rmibench-im.XXXXXX");
	return mkdtemp(d);
}

static void same_cell(struct __test_metadata *_metadata,
		      const struct im_cell *a, const struct im_cell *b)
{
	ASSERT_STREQ(a->row, b->row);
	ASSERT_STREQ(a->col, b->col);
	ASSERT_EQ(a->cmd, b->cmd);
	ASSERT_EQ(a->status, b->status);
	ASSERT_EQ(a->index, b->index);
	ASSERT_EQ(a->trig, b->trig);
	ASSERT_EQ(a->space, b->space);
	ASSERT_EQ(a->baseline_calls, b->baseline_calls);
	ASSERT_STREQ(a->rule, b->rule);
	ASSERT_EQ(a->cls, b->cls);
	ASSERT_STREQ(a->outcome, b->outcome);
	ASSERT_EQ(a->outcome_class, b->outcome_class);
	ASSERT_EQ(a->signal, b->signal);
	ASSERT_EQ(a->timed_out, b->timed_out);
	ASSERT_EQ(a->injected, b->injected);
	ASSERT_EQ(a->warnings, b->warnings);
	ASSERT_EQ(a->nwarn, b->nwarn);
	for (unsigned int i = 0; i < a->nwarn; i++) {
		ASSERT_STREQ(a->warn[i].reason, b->warn[i].reason);
		ASSERT_EQ(a->warn[i].count, b->warn[i].count);
	}
	ASSERT_EQ(a->leaked, b->leaked);
	ASSERT_EQ(0, memcmp(a->leaked_by_state, b->leaked_by_state,
			    sizeof(a->leaked_by_state)));
	ASSERT_EQ(a->livelock, b->livelock);
	ASSERT_STREQ(a->ll_function, b->ll_function);
	ASSERT_EQ(a->ll_ipa, b->ll_ipa);
	ASSERT_STREQ(a->command_line, b->command_line);
}

TEST(cell_file_round_trip)
{
	struct im_cell a, b;
	char *d = tmpdir(), path[128], err[256];

	ASSERT_NE(NULL, d);
	snprintf(path, sizeof(path), "%s/c.json", d);
	full_cell(&a);
	ASSERT_EQ(0, im_cell_write(&a, path, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, im_cell_read(path, &b, err, sizeof(err))) TH_LOG("%s", err);
	same_cell(_metadata, &a, &b);

	/* a crash: no outcome class; a livelock with its function */
	a.cls = IM_CRASH;
	a.outcome_class = -1;
	a.signal = 6;
	a.livelock = true;
	snprintf(a.ll_function, sizeof(a.ll_function), "rmi_delegate_range");
	a.ll_ipa = 0x1087000;
	ASSERT_EQ(0, im_cell_write(&a, path, err, sizeof(err)));
	ASSERT_EQ(0, im_cell_read(path, &b, err, sizeof(err))) TH_LOG("%s", err);
	same_cell(_metadata, &a, &b);
	unlink(path);
	rmdir(d);
}

static int read_text(const char *d, const char *text, char *err,
		     size_t errlen)
{
	char path[128];
	struct im_cell c;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/bad.json", d);
	f = fopen(path, "w");
	if (!f)
		return 0;
	fputs(text, f);
	fclose(f);
	rc = im_cell_read(path, &c, err, errlen);
	unlink(path);
	return rc;
}

/* a cell file is read with every field checked: a bad one is one line */
TEST(cell_file_checks)
{
	struct im_cell a;
	char *d = tmpdir(), *good, *bad, err[256];
	static const struct {
		const char *from, *to, *says;
	} edits[] = {
		{ "\"rmibench-inject-cell-1\"", "\"rmibench-inject-cell-9\"",
		  "schema" },
		{ "\"class\": \"leak\"", "\"class\": \"ok\"", "class" },
		{ "\"class\": \"leak\"", "\"class\": \"crash\"",
		  "outcome_class" },
		{ "\"index\": 0", "\"index\": 256", "index" },
		{ "\"injected\": 2345", "\"injected\": -1", "injected" },
		{ "\"status\": \"ERROR_INPUT\"", "\"status\": \"SUCCESS\"",
		  "status" },
		{ "\"livelock\": null", "\"livelock\": 3", "livelock" },
		{ "\"trigger\": \"persistent\"", "\"trigger\": \"always\"",
		  "trigger" },
	};

	ASSERT_NE(NULL, d);
	full_cell(&a);
	good = im_cell_json(&a);
	ASSERT_NE(NULL, good);
	ASSERT_EQ(0, read_text(d, good, err, sizeof(err))) TH_LOG("%s", err);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *at = strstr(good, edits[i].from);
		size_t pre;

		ASSERT_NE(NULL, at) TH_LOG("%s", edits[i].from);
		pre = (size_t)(at - good);
		bad = malloc(strlen(good) + 64);
		ASSERT_NE(NULL, bad);
		memcpy(bad, good, pre);
		strcpy(bad + pre, edits[i].to);
		strcat(bad, at + strlen(edits[i].from));
		ASSERT_EQ(-1, read_text(d, bad, err, sizeof(err)))
			TH_LOG("edit %zu read back", i);
		ASSERT_NE(NULL, strstr(err, edits[i].says)) TH_LOG("%s", err);
		ASSERT_EQ(NULL, strchr(err, '\n'));
		free(bad);
	}
	free(good);
	rmdir(d);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* every field of a cell and of the matrix file is in results/README.md */
TEST(fields_documented)
{
	char *text = slurp("results/README.md"), *sec, *js, want[96];
	struct im_cell c;
	json_object *o;

	if (!text)
		SKIP(return, "results/README.md not found (run from the top)");
	sec = strstr(text, "## The injection matrix");
	ASSERT_NE(NULL, sec);
	full_cell(&c);
	js = im_cell_json(&c);
	o = json_tokener_parse(js);
	ASSERT_NE(NULL, o);
	json_object_object_foreach(o, key, val) {
		(void)val;
		snprintf(want, sizeof(want), "`%s`", key);
		ASSERT_NE(NULL, strstr(sec, want)) TH_LOG("%s", key);
	}
	json_object_put(o);
	free(js);
	for (int k = 0; k < IM_CLASS_COUNT; k++) {
		snprintf(want, sizeof(want), "`%s`", im_class_name(k));
		ASSERT_NE(NULL, strstr(sec, want)) TH_LOG("%s", want);
	}
	free(text);
}

/* two matrices side by side: the changed cells, added and gone ones */
TEST(diff)
{
	struct im_col cols[2] = {
		{ .kernel = HOST_V14, .deleg = DELEG_V14 },
		{ .kernel = HOST_V15, .strategy = RMI_RTT_STRATEGY_ONE_LEVEL,
		  .deleg = DELEG_V15 },
	};
	struct im_row rows[2] = {
		row(RMI_CMD_RTT_CREATE, RMI_ERROR_INPUT, 0, IM_FIRST),
		row(RMI_CMD_RTT_FOLD, RMI_ERROR_RTT, 3, IM_NTH),
	};
	struct im_cell ca[4], cb[4];
	struct im_matrix a = { 0 }, b;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	for (int i = 0; i < 2; i++) {
		im_col_name(&cols[i]);
		cols[i].calls[RMI_CMD_RTT_CREATE] = 9;
		cols[i].calls[RMI_CMD_RTT_FOLD] = 9;
	}
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < 2; c++) {
			im_cell_init(&ca[2 * r + c], &rows[r], &cols[c], 0);
			ca[2 * r + c].cls = IM_RECOVERED;
			ca[2 * r + c].injected = 1;
		}
	memcpy(cb, ca, sizeof(cb));
	a = (struct im_matrix){ .cols = cols, .ncols = 2, .rows = rows,
				.nrows = 2, .cells = ca, .ncells = 4 };
	b = a;
	b.cells = cb;

	f = open_memstream(&out, &len);
	ASSERT_EQ(0u, im_diff(f, &a, "a.json", &b, "b.json"));
	fclose(f);
	ASSERT_NE(NULL, strstr(out, "0 cells changed class (in 0 rows), 4 the same."));
	free(out);

	cb[1].cls = IM_KILLED;		/* RTT_CREATE first, v15 */
	b.ncells = 3;			/* RTT_FOLD nth in v15 is gone */
	f = open_memstream(&out, &len);
	ASSERT_EQ(2u, im_diff(f, &a, "a.json", &b, "b.json"));
	fclose(f);
	ASSERT_NE(NULL, strstr(out, "| RTT_CREATE | ERROR_INPUT | first | recovered 1 | **recovered 1 → killed** |"))
		TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "| RTT_FOLD | ERROR_RTT(3) | nth | recovered 1 | **recovered 1 → ·** |"))
		TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "2 cells changed class (in 2 rows), 2 the same."));
	free(out);
}

TEST_HARNESS_MAIN
