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
	add(o, "backend", jstr("sim"));
	add(o, "profile", jstr(r->cfg.profile));
	add(o, "host", host_json());
	add(o, "timestamp", jstr(ts));
	add(o, "cost_model", cm);
	add(o, "case", jstr(folio_case(r->cfg.folio)));
	return o;
}

static json_object *config_json(const struct run_config *c)
{
	json_object *o = json_object_new_object();

	add(o, "strategy", jstr(rmi_rtt_strategy_name(c->strategy)));
	add(o, "delegation", jstr(deleg_name(c->delegation)));
	add(o, "profile", jstr(c->profile));
	add(o, "delegate_granules", ju64(c->delegate_granules));
	add(o, "folio", jstr(folio_name(c->folio)));
	add(o, "ipa", ju64(c->ipa));
	add(o, "size", ju64(c->size));
	add(o, "vcpus", ju64(c->vcpus));
	add(o, "workload", jstr(c->workload));
	add(o, "shared_region", json_object_new_boolean(c->shared_region));
	add(o, "write_pct", ju64(c->write_pct));
	add(o, "shared_pct", ju64(c->shared_pct));
	add(o, "passes", ju64(c->passes));
	add(o, "stride", ju64(c->stride));
	add(o, "scheduler", jstr(sched_name(c->scheduler)));
	add(o, "seed", ju64(c->seed));
	add(o, "s2sz", ju64(c->s2sz));
	add(o, "calibration", jstr(c->calibration));
	add(o, "inject", jstr(c->inject));
	add(o, "livelock_faults", ju64(c->livelock_faults));
	return o;
}

static json_object *rmi_calls_json(const struct run_counts *k)
{
	json_object *o = json_object_new_object();
	json_object *bc = json_object_new_object();
	json_object *bs = json_object_new_object();

	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++) {
		json_object *st = NULL;
		uint64_t total = 0;

		for (unsigned int s = 0; s < STATUS_BUCKETS; s++) {
			if (!k->by_cmd[i][s])
				continue;
			if (!st)
				st = json_object_new_object();
			add(st, result_status_name(s), ju64(k->by_cmd[i][s]));
			total = u64_sat_add(total, k->by_cmd[i][s]);
		}
		if (!st)
			continue;
		add(bc, result_cmd_name(i), ju64(total));
		add(bs, result_cmd_name(i), st);
	}
	add(o, "total", ju64(k->rmi_calls));
	add(o, "setup", ju64(k->rmi_calls_setup));
	add(o, "fault", ju64(k->rmi_calls_fault));
	add(o, "teardown", ju64(k->rmi_calls_teardown));
	add(o, "by_command", bc);
	add(o, "by_status", bs);
	return o;
}

static json_object *counts_json(const struct run_counts *k)
{
	json_object *o = json_object_new_object();
	json_object *mb = json_object_new_object();
	json_object *lk = json_object_new_object();
	json_object *wr = json_object_new_array();

	if (k->mapped_bytes[0])
		add(mb, "l0", ju64(k->mapped_bytes[0]));
	add(mb, "l1", ju64(k->mapped_bytes[1]));
	add(mb, "l2", ju64(k->mapped_bytes[2]));
	add(mb, "l3", ju64(k->mapped_bytes[3]));
	for (unsigned int s = 0; s < GRANULE_STATES; s++)
		add(lk, result_granule_state_name(s), ju64(k->leaked_by_state[s]));
	for (unsigned int i = 0; i < k->nwarn; i++) {
		json_object *w = json_object_new_object();

		add(w, "reason", jstr(k->warn[i].reason));
		add(w, "count", ju64(k->warn[i].count));
		json_object_array_add(wr, w);
	}

	add(o, "faults", ju64(k->faults));
	add(o, "faults_private", ju64(k->faults_private));
	add(o, "faults_shared", ju64(k->faults_shared));
	add(o, "refaults", ju64(k->refaults));
	add(o, "rmi_calls", rmi_calls_json(k));
	add(o, "rtts_created", ju64(k->rtts_created));
	add(o, "rtts_destroyed", ju64(k->rtts_destroyed));
	add(o, "rtt_pages_peak", ju64(k->rtt_pages_peak));
	add(o, "rtt_pages_end", ju64(k->rtt_pages_end));
	add(o, "mapped_bytes", mb);
	add(o, "delegate_races", ju64(k->delegate_races));
	add(o, "partial_delegations", ju64(k->partial_delegations));
	add(o, "leaked_granules", ju64(k->leaked_granules));
	add(o, "leaked_by_state", lk);
	add(o, "warnings", ju64(k->warnings));
	add(o, "warning_reasons", wr);
	add(o, "guest_errors", ju64(k->guest_errors));
	add(o, "injected", ju64(k->injected));
	add(o, "accesses", ju64(k->accesses));
	add(o, "granules_delegated", ju64(k->granules_delegated));
	return o;
}

/* A string field must end inside its array. */
static bool str_ok(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

/* The checks the reader makes too, so that every file written reads back. */
static int check_result(const struct run_result *r, char *err, size_t errlen)
{
	const struct run_config *c = &r->cfg;

	if ((unsigned int)c->strategy >= RMI_RTT_STRATEGY_COUNT)
		return errmsg(err, errlen, "config.strategy: invalid value %d",
			      (int)c->strategy);
	if ((unsigned int)c->delegation >= DELEG_COUNT)
		return errmsg(err, errlen, "config.delegation: invalid value %d",
			      (int)c->delegation);
	if ((unsigned int)c->folio >= FOLIO_COUNT)
		return errmsg(err, errlen, "config.folio: invalid value %d",
			      (int)c->folio);
	if ((unsigned int)c->scheduler >= SCHED_COUNT)
		return errmsg(err, errlen, "config.scheduler: invalid value %d",
			      (int)c->scheduler);
	if (c->write_pct > 100)
		return errmsg(err, errlen, "config.write_pct: %u is above 100",
			      c->write_pct);
	if (c->shared_pct > 100)
		return errmsg(err, errlen, "config.shared_pct: %u is above 100",
			      c->shared_pct);
	if (c->s2sz > RMI_S2SZ_MAX_LPA2)
		return errmsg(err, errlen, "config.s2sz: %u is above %u",
			      c->s2sz, RMI_S2SZ_MAX_LPA2);
	if (!str_ok(c->profile, sizeof(c->profile)) ||
	    !str_ok(c->workload, sizeof(c->workload)) ||
	    !str_ok(c->calibration, sizeof(c->calibration)) ||
	    !str_ok(c->inject, sizeof(c->inject)) ||
	    !str_ok(r->outcome, sizeof(r->outcome)))
		return errmsg(err, errlen, "a string field is not terminated");
	if (r->counts.nwarn > MAX_WARN_KINDS)
		return errmsg(err, errlen, "counts.warning_reasons: %u kinds, at most %d",
			      r->counts.nwarn, MAX_WARN_KINDS);
	for (unsigned int i = 0; i < r->counts.nwarn; i++)
		if (!str_ok(r->counts.warn[i].reason,
			    sizeof(r->counts.warn[i].reason)))
			return errmsg(err, errlen,
				      "counts.warning_reasons[%u].reason: not terminated", i);
	if (!isfinite(r->wall_seconds) || r->wall_seconds < 0)
		return errmsg(err, errlen, "timing.wall_seconds: %g is not a time",
			      r->wall_seconds);
	if (!isfinite(r->virtual_seconds) || r->virtual_seconds < 0)
		return errmsg(err, errlen, "timing.virtual_seconds: %g is not a time",
			      r->virtual_seconds);
	return 0;
}

int result_write_json(const struct run_result *r, const char *path,
		      char *err, size_t errlen)
{
	json_object *o, *d, *dist, *t;
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

	d = json_object_new_object();
	add(d, "rmi_calls_per_fault", jderived(result_calls_per_fault(r)));
	add(d, "rtt_pages_per_gib_mapped", jderived(result_rtt_pages_per_gib(r)));
	add(d, "block_coverage", jderived(result_block_coverage(r)));
	add(o, "derived", d);

	dist = json_object_new_object();
	add(dist, "fault_latency_modelled_ns", hist_json(&r->lat_model));
	add(dist, "fault_latency_wall_ns", hist_json(&r->lat_wall));
	add(dist, "rmi_calls_per_fault", hist_json(&r->calls_per_fault));
	add(o, "distributions", dist);

	add(o, "outcome", jstr(r->outcome));

	t = json_object_new_object();
	add(t, "wall_seconds", jdouble(r->wall_seconds));
	add(t, "virtual_seconds", jdouble(r->virtual_seconds));
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
