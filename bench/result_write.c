// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: writing a result file (JSON via json-c; the schema is
 * results/README.md). What is written is checked first with the reader's
 * own rules, so that every file written reads back.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "cli.h"
#include "config.h"
#include "counts.h"
#include "errmsg.h"
#include "hostinfo.h"
#include "result.h"

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

/*
 * A double as the shortest text that reads back to the same value (at
 * most @prec significant digits, 17 reads back exactly), always with a
 * '.' or an exponent so that it stays a JSON double.
 */
static json_object *jdouble_prec(double d, int prec)
{
	char buf[48];

	if (!isfinite(d))
		d = 0.0;
	for (int p = 1; p <= prec; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, d);
		if (p == prec || strtod(buf, NULL) == d)
			break;
	}
	if (!strpbrk(buf, ".eE"))
		strcat(buf, ".0");
	return json_object_new_double_s(d, buf);
}

static json_object *jdouble(double d)
{
	return jdouble_prec(d, 17);
}

/*
 * Derived values and means: fixed point, six decimals below 1000 and
 * three above, trailing zeros dropped ("513.014", "0.998047", "1.0").
 */
static json_object *jderived(double d)
{
	char buf[64];
	size_t n;

	if (!isfinite(d))
		d = 0.0;
	if (fabs(d) >= 1e15)
		return jdouble_prec(d, 17);
	snprintf(buf, sizeof(buf), "%.*f", fabs(d) < 1000 ? 6 : 3, d);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = 0;
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

/* log2_buckets on one line: "[0, 0, 474, 38]" */
static int inline_array(struct json_object *jso, struct printbuf *pb,
			int level, int flags)
{
	size_t n = json_object_array_length(jso);

	(void)level;
	(void)flags;
	printbuf_strappend(pb, "[");
	for (size_t i = 0; i < n; i++)
		sprintbuf(pb, "%s%llu", i ? ", " : "", (unsigned long long)
			  json_object_get_uint64(json_object_array_get_idx(jso, i)));
	printbuf_strappend(pb, "]");
	return 0;
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/* loglin buckets on one line: "[[1040384, 12], [1044480, 500]]" */
static int inline_pairs(struct json_object *jso, struct printbuf *pb,
			int level, int flags)
{
	size_t n = json_object_array_length(jso);

	(void)level;
	(void)flags;
	printbuf_strappend(pb, "[");
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(jso, i);

		sprintbuf(pb, "%s[%llu, %llu]", i ? ", " : "",
			  (unsigned long long)json_object_get_uint64(
				  json_object_array_get_idx(p, 0)),
			  (unsigned long long)json_object_get_uint64(
				  json_object_array_get_idx(p, 1)));
	}
	printbuf_strappend(pb, "]");
	return 0;
}

/*
 * The log-linear buckets and the percentiles from them, or null when some
 * samples came without them (results/README.md).
 */
static json_object *loglin_json(const struct hist *h)
{
	json_object *o, *b;

	if (!hist_ll_ok(h))
		return NULL;
	o = json_object_new_object();
	b = json_object_new_array();
	add(o, "sub_buckets", ju64(HIST_LL_SUB));
	add(o, "p50", ju64(hist_exact_percentile(h, 50)));
	add(o, "p90", ju64(hist_exact_percentile(h, 90)));
	add(o, "p99", ju64(hist_exact_percentile(h, 99)));
	add(o, "p999", ju64(hist_exact_percentile(h, 99.9)));
	for (unsigned int i = 0; i < HIST_LL_BUCKETS; i++) {
		json_object *p;

		if (!h->ll[i])
			continue;
		p = json_object_new_array();
		json_object_array_add(p, ju64(hist_ll_lo(i)));
		json_object_array_add(p, ju64(h->ll[i]));
		json_object_array_add(b, p);
	}
	json_object_set_serializer(b, inline_pairs, NULL, NULL);
	add(o, "buckets", b);
	return o;
}

static json_object *hist_json(const struct hist *h)
{
	json_object *o = json_object_new_object();
	json_object *b = json_object_new_array();
	int last = -1;

	add(o, "count", ju64(h->count));
	add(o, "sum", ju64(h->sum));
	add(o, "min", ju64(h->min));
	add(o, "max", ju64(h->max));
	add(o, "mean", jderived(hist_mean(h)));
	add(o, "p50", ju64(hist_percentile(h, 50)));
	add(o, "p90", ju64(hist_percentile(h, 90)));
	add(o, "p99", ju64(hist_percentile(h, 99)));
	add(o, "p999", ju64(hist_percentile(h, 99.9)));
	for (int i = 0; i < HIST_BUCKETS; i++)
		if (h->bucket[i])
			last = i;
	for (int i = 0; i <= last; i++)
		json_object_array_add(b, ju64(h->bucket[i]));
	json_object_set_serializer(b, inline_array, NULL, NULL);
	add(o, "log2_buckets", b);
	add(o, "loglin", loglin_json(h));
	return o;
}
static json_object *host_json(void)
{
	json_object *o = json_object_new_object();
	struct result_meta m;

	host_info_get(&m);
	add(o, "hostname", jstr(m.hostname));
	add(o, "kernel", jstr(m.kernel));
	add(o, "cpu", jstr(m.cpu));
	add(o, "nproc", ju64(m.nproc));
	return o;
}

/* rmibench_version is `git describe` unless the build had no git */
static json_object *git_json(void)
{
	const char *v = rmibench_version;

	if (!strcmp(v, "0.1") || !*v)
		return NULL;	/* JSON null */
	return jstr(v);
}

static json_object *metadata_json(const struct run_result *r)
{
	json_object *o = json_object_new_object();
	json_object *cm = json_object_new_object();
	struct tm tm;
	time_t now = time(NULL);
	char ts[32];

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);

	add(cm, "default", json_object_new_boolean(r->cost_model_default));
	if (r->cost_model_default) {
		add(cm, "source", jstr(COST_DEFAULT_SOURCE));
		add(cm, "note", jstr(COST_DEFAULT_NOTE));
	} else {
		add(cm, "source", jstr(r->cfg.calibration[0] ?
				       r->cfg.calibration : "calibrated"));
	}

	add(o, "version", jstr(rmibench_version));
	add(o, "git", git_json());
	add(o, "backend", jstr(r->backend[0] ? r->backend : "sim"));
	add(o, "profile", jstr(r->cfg.profile));
	add(o, "host", host_json());
	add(o, "timestamp", jstr(ts));
	add(o, "cost_model", cm);
	add(o, "case", jstr(folio_case(r->cfg.folio)));
	/* only a scheduled run has one: other files stay as they were */
	if (r->schedule[0])
		add(o, "schedule", jstr(r->schedule));
	/* only a matrix's runs have one: `report` repeats it */
	if (r->command[0])
		add(o, "command", jstr(r->command));
	return o;
}

static json_object *config_json(const struct run_config *c)
{
	json_object *o = json_object_new_object();

	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];
		json_object *v;

		switch (f->kind) {
		case CFG_KIND_NAME:
			v = jstr(f->to_name((unsigned int)f->get(c)));
			break;
		case CFG_KIND_UINT:
		case CFG_KIND_SIZE:
			v = ju64(f->get(c));
			break;
		case CFG_KIND_BOOL:
			v = json_object_new_boolean(f->get(c) != 0);
			break;
		default:
			v = jstr(cfg_str(c, f));
			break;
		}
		add(o, f->name, v);
	}
	return o;
}

/* The object @name of @o, made (as its last member) if it is not there. */
static json_object *member_object(json_object *o, const char *name)
{
	json_object *v;

	if (!*name)
		return o;
	if (json_object_object_get_ex(o, name, &v))
		return v;
	v = json_object_new_object();
	add(o, name, v);
	return v;
}

/* {COMMAND: calls} into @bc, {COMMAND: {STATUS: calls}} into @bs */
static void by_cmd_json(const struct run_counts *k, const struct count_field *f,
			json_object *bc, json_object *bs)
{
	const uint64_t (*by)[STATUS_BUCKETS] = (const void *)count_at(k, f);

	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++) {
		json_object *st = NULL;
		uint64_t total = 0;

		for (unsigned int s = 0; s < STATUS_BUCKETS; s++) {
			if (!by[i][s])
				continue;
			if (!st)
				st = json_object_new_object();
			add(st, result_status_name(s), ju64(by[i][s]));
			total = u64_sat_add(total, by[i][s]);
		}
		if (!st)
			continue;
		add(bc, result_cmd_name(i), ju64(total));
		add(bs, result_cmd_name(i), st);
	}
}

static json_object *warns_json(const struct run_counts *k)
{
	json_object *a = json_object_new_array();

	for (unsigned int i = 0; i < k->nwarn; i++) {
		json_object *w = json_object_new_object();

		add(w, "reason", jstr(k->warn[i].reason));
		add(w, "count", ju64(k->warn[i].count));
		json_object_array_add(a, w);
	}
	return a;
}

static json_object *counts_json(const struct run_counts *k)
{
	json_object *o = json_object_new_object();

	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *f = &run_counts_fields[i];
		json_object *in, *a, *bc, *bs;
		const char *key, *skey;
		const uint64_t *v;
		char obj[64], sobj[64];

		if (f->kind == COUNT_KIND_DERIVED)
			continue;
		key = count_path_split(f->path, obj, sizeof(obj));
		in = member_object(o, obj);
		switch (f->kind) {
		case COUNT_KIND_U64:
			add(in, key, ju64(*count_at(k, f)));
			break;
		case COUNT_KIND_ARRAY:
			a = json_object_new_object();
			v = count_at(k, f);
			for (unsigned int j = 0; j < f->n; j++)
				if (v[j] || !(f->sparse & (1u << j)))
					add(a, f->key_name(j), ju64(v[j]));
			add(in, key, a);
			break;
		case COUNT_KIND_BY_CMD:
			skey = count_path_split(f->status_path, sobj,
						sizeof(sobj));
			bc = json_object_new_object();
			bs = json_object_new_object();
			by_cmd_json(k, f, bc, bs);
			add(in, key, bc);
			add(member_object(o, sobj), skey, bs);
			break;
		case COUNT_KIND_WARNS:
			add(in, key, warns_json(k));
			break;
		default:
			break;
		}
	}
	return o;
}

static json_object *derived_json(const struct run_result *r)
{
	json_object *o = json_object_new_object();

	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *f = &run_counts_fields[i];

		if (f->kind == COUNT_KIND_DERIVED)
			add(o, f->name, jderived(f->derive(r)));
	}
	return o;
}

/* A string must end inside its array. */
static bool str_ok(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

/* The checks the reader makes too, so that every file written reads back. */
/* timing.fault_clock: the per-fault stamps' clock, or null */
static json_object *fault_clock_json(const struct run_result *r)
{
	json_object *c;

	if (!r->fault_clock[0])
		return NULL;
	c = json_object_new_object();
	add(c, "source", jstr(r->fault_clock));
	add(c, "resolution_ns", jdouble_prec(r->fault_clock_resolution_ns, 4));
	add(c, "every", ju64(r->fault_clock_every));
	return c;
}

static int check_result(const struct run_result *r, char *err, size_t errlen)
{
	if (run_config_check(&r->cfg, err, errlen))
		return -1;
	if (!str_ok(r->outcome, sizeof(r->outcome)))
		return errmsg(err, errlen, "outcome: not terminated");
	if (!str_ok(r->command, sizeof(r->command)))
		return errmsg(err, errlen, "metadata.command: not terminated");
	if (r->counts.nwarn > MAX_WARN_KINDS)
		return errmsg(err, errlen,
			      "counts.warning_reasons: %u kinds, at most %d",
			      r->counts.nwarn, MAX_WARN_KINDS);
	for (unsigned int i = 0; i < r->counts.nwarn; i++)
		if (!str_ok(r->counts.warn[i].reason,
			    sizeof(r->counts.warn[i].reason)))
			return errmsg(err, errlen,
				      "counts.warning_reasons[%u].reason: not terminated",
				      i);
	if (!isfinite(r->wall_seconds) || r->wall_seconds < 0)
		return errmsg(err, errlen,
			      "timing.wall_seconds: %g is not a time",
			      r->wall_seconds);
	if (!isfinite(r->virtual_seconds) || r->virtual_seconds < 0)
		return errmsg(err, errlen,
			      "timing.virtual_seconds: %g is not a time",
			      r->virtual_seconds);
	if (r->phases_timed &&
	    (!isfinite(r->setup_seconds) || r->setup_seconds < 0 ||
	     !isfinite(r->fault_seconds) || r->fault_seconds < 0 ||
	     !isfinite(r->teardown_seconds) || r->teardown_seconds < 0 ||
	     !isfinite(r->fault_cpu_seconds) || r->fault_cpu_seconds < 0))
		return errmsg(err, errlen,
			      "timing: a phase's seconds are not a time");
	if (r->fault_clock[0] &&
	    (!str_ok(r->fault_clock, sizeof(r->fault_clock)) ||
	     !isfinite(r->fault_clock_resolution_ns) ||
	     r->fault_clock_resolution_ns <= 0 || !r->fault_clock_every))
		return errmsg(err, errlen,
			      "timing.fault_clock: not a clock");
	return 0;
}

int result_write_json(const struct run_result *r, const char *path,
		      char *err, size_t errlen)
{
	json_object *o, *dist, *t;
	const char *text;
	char *buf;
	size_t len;
	int ret;

	if (check_result(r, err, errlen)) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err ? err : "");
		return errmsg(err, errlen, "%s: not written: %s", path, why);
	}

	o = json_object_new_object();
	add(o, "schema_version", ju64(RESULT_SCHEMA_VERSION));
	add(o, "metadata", metadata_json(r));
	add(o, "config", config_json(&r->cfg));
	add(o, "counts", counts_json(&r->counts));

	add(o, "derived", derived_json(r));

	dist = json_object_new_object();
	add(dist, "fault_latency_modelled_ns", hist_json(&r->lat_model));
	add(dist, "fault_latency_wall_ns", hist_json(&r->lat_wall));
	add(dist, "rmi_calls_per_fault", hist_json(&r->calls_per_fault));
	add(o, "distributions", dist);

	add(o, "outcome", jstr(r->outcome));
	add(o, "outcome_class", jstr(outcome_name(r->outcome_class)));
	add(o, "workload_done", json_object_new_boolean(r->workload_done));

	t = json_object_new_object();
	add(t, "wall_seconds", jdouble(r->wall_seconds));
	add(t, "virtual_seconds", jdouble(r->virtual_seconds));
	add(t, "setup_seconds",
	    r->phases_timed ? jdouble(r->setup_seconds) : NULL);
	add(t, "fault_seconds",
	    r->phases_timed ? jdouble(r->fault_seconds) : NULL);
	add(t, "teardown_seconds",
	    r->phases_timed ? jdouble(r->teardown_seconds) : NULL);
	add(t, "fault_cpu_seconds",
	    r->phases_timed ? jdouble(r->fault_cpu_seconds) : NULL);
	add(t, "fault_clock", fault_clock_json(r));
	add(o, "timing", t);
	add(o, "model_bytes", ju64(r->model_bytes));

	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		json_object_put(o);
		return errmsg(err, errlen, "%s: cannot format the JSON (out of memory)",
			      path);
	}
	len = strlen(text);
	buf = malloc(len + 2);
	if (!buf) {
		json_object_put(o);
		return errmsg(err, errlen, "%s: out of memory", path);
	}
	memcpy(buf, text, len);
	buf[len++] = '\n';
	json_object_put(o);
	ret = result_write_file_atomic(path, buf, len, err, errlen);
	free(buf);
	return ret;
}
