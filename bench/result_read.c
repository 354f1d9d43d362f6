// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: reading a result file back, checking every field's presence,
 * type and range (the schema is results/README.md). A bad file gives one
 * line naming the file and the field.
 */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "counts.h"
#include "errmsg.h"
#include "json_read.h"
#include "result.h"

/*
 * "loglin": null (the samples came without it), or {sub_buckets: 128,
 * p50, p90, p99, p999, buckets: [[lo, count], ...]}: each lo the bottom of
 * a bucket, ascending, each count > 0, adding up to count, the first
 * bucket holding min and the last max. A file from before it has no
 * "loglin" and is refused: regenerate it.
 */
static int rd_loglin(struct rd *c, json_object *o, const char *p,
		     struct hist *h)
{
	static const char *const pk[] = { "p50", "p90", "p99", "p999" };
	char lp[FIELD_MAX], f[FIELD_MAX], fi[FIELD_MAX + 24];
	json_object *ll, *b;
	uint64_t sub, total = 0, pv;
	long last = -1;
	size_t n;

	field_name(lp, p, "loglin");
	if (!json_object_object_get_ex(o, "loglin", &ll))
		return rd_fail(c, lp, "missing (a file from before rmibench "
			       "kept exact percentiles: make it again)");
	if (!ll)
		return 0;	/* null: log2 buckets only */
	if (rd_type(c, lp, ll, json_type_object, "an object or null") ||
	    rd_u64(c, ll, lp, "sub_buckets", UINT64_MAX, &sub))
		return -1;
	if (sub != HIST_LL_SUB) {
		field_name(f, lp, "sub_buckets");
		return rd_fail(c, f, "%llu, this rmibench reads %d",
			       (unsigned long long)sub, HIST_LL_SUB);
	}
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		if (rd_u64(c, ll, lp, pk[i], UINT64_MAX, &pv))
			return -1;
		if (h->count && (pv < h->min || pv > h->max)) {
			field_name(f, lp, pk[i]);
			return rd_fail(c, f, "%llu is outside [min, max]",
				       (unsigned long long)pv);
		}
	}
	if (rd_get(c, ll, lp, "buckets", json_type_array, "an array", &b))
		return -1;
	field_name(f, lp, "buckets");
	n = json_object_array_length(b);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(b, i);
		uint64_t lo, cnt;
		unsigned int k;

		snprintf(fi, sizeof(fi), "%s[%zu]", f, i);
		if (rd_type(c, fi, e, json_type_array, "[lo, count]"))
			return -1;
		if (json_object_array_length(e) != 2)
			return rd_fail(c, fi, "expected [lo, count]");
		if (rd_u64_val(c, fi, json_object_array_get_idx(e, 0),
			       UINT64_MAX, &lo) ||
		    rd_u64_val(c, fi, json_object_array_get_idx(e, 1),
			       UINT64_MAX, &cnt))
			return -1;
		k = hist_ll_index(lo);
		if (hist_ll_lo(k) != lo)
			return rd_fail(c, fi, "%llu is not the bottom of a "
				       "bucket", (unsigned long long)lo);
		if ((long)k <= last)
			return rd_fail(c, fi, "not above the bucket before it");
		if (!cnt)
			return rd_fail(c, fi, "an empty bucket");
		if (total + cnt < total)
			return rd_fail(c, f, "the buckets overflow");
		if ((i == 0 && h->min < lo) ||
		    (i == n - 1 && h->max > hist_ll_hi(k)))
			return rd_fail(c, fi, "does not hold %s",
				       i == 0 ? "min" : "max");
		if ((i == 0 && h->min > hist_ll_hi(k)) ||
		    (i == n - 1 && h->max < lo))
			return rd_fail(c, fi, "%s is outside it",
				       i == 0 ? "min" : "max");
		total += cnt;
		h->ll[k] = cnt;
		last = (long)k;
	}
	if (total != h->count)
		return rd_fail(c, f, "the buckets add up to %llu, count is %llu",
			       (unsigned long long)total,
			       (unsigned long long)h->count);
	h->ll_count = total;
	return 0;
}

static int rd_hist(struct rd *c, json_object *dist, const char *key,
		   struct hist *h)
{
	static const char *const pk[] = { "p50", "p90", "p99", "p999" };
	char p[FIELD_MAX], f[FIELD_MAX];
	json_object *o, *b;
	uint64_t total = 0, pv;
	double mean;
	size_t n;

	memset(h, 0, sizeof(*h));
	if (rd_obj(c, dist, "distributions", key, &o))
		return -1;
	field_name(p, "distributions", key);
	if (rd_u64(c, o, p, "count", UINT64_MAX, &h->count) ||
	    rd_u64(c, o, p, "sum", UINT64_MAX, &h->sum) ||
	    rd_u64(c, o, p, "min", UINT64_MAX, &h->min) ||
	    rd_u64(c, o, p, "max", UINT64_MAX, &h->max) ||
	    rd_num(c, o, p, "mean", &mean))
		return -1;
	if (h->min > h->max) {
		field_name(f, p, "min");
		return rd_fail(c, f, "above max");
	}
	if (!h->count && (h->min || h->max || h->sum)) {
		field_name(f, p, "count");
		return rd_fail(c, f, "0 but min, max or sum is not");
	}
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		if (rd_u64(c, o, p, pk[i], UINT64_MAX, &pv))
			return -1;
		if (h->count && (pv < h->min || pv > h->max)) {
			field_name(f, p, pk[i]);
			return rd_fail(c, f, "%llu is outside [min, max]",
				       (unsigned long long)pv);
		}
	}
	if (rd_get(c, o, p, "log2_buckets", json_type_array, "an array", &b))
		return -1;
	field_name(f, p, "log2_buckets");
	n = json_object_array_length(b);
	if (n > HIST_BUCKETS)
		return rd_fail(c, f, "%zu buckets, at most %d", n, HIST_BUCKETS);
	for (size_t i = 0; i < n; i++) {
		char fi[FIELD_MAX + 16];

		snprintf(fi, sizeof(fi), "%s[%zu]", f, i);
		if (rd_u64_val(c, fi, json_object_array_get_idx(b, i),
			       UINT64_MAX, &h->bucket[i]))
			return -1;
		if (total + h->bucket[i] < total)
			return rd_fail(c, f, "the buckets overflow");
		total += h->bucket[i];
	}
	if (total != h->count)
		return rd_fail(c, f, "the buckets add up to %llu, count is %llu",
			       (unsigned long long)total,
			       (unsigned long long)h->count);
	return rd_loglin(c, o, p, h);
}

static int rd_config(struct rd *c, json_object *root, struct run_config *cfg)
{
	json_object *o;

	if (rd_obj(c, root, NULL, "config", &o))
		return -1;
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];
		char choices[160];
		uint64_t u;
		bool b;
		int v;

		switch (f->kind) {
		case CFG_KIND_NAME:
			cfg_choices(f, NULL, choices, sizeof(choices));
			if (rd_name(c, o, "config", f->name, f->from_name,
				    choices, &v))
				return -1;
			f->set(cfg, (uint64_t)v);
			break;
		case CFG_KIND_UINT:
		case CFG_KIND_SIZE:
			if (rd_u64(c, o, "config", f->name, f->fmax, &u))
				return -1;
			f->set(cfg, u);
			break;
		case CFG_KIND_BOOL:
			if (rd_bool(c, o, "config", f->name, &b))
				return -1;
			f->set(cfg, b);
			break;
		default:
			if (rd_str(c, o, "config", f->name, cfg_str_mut(cfg, f),
				   f->size, false))
				return -1;
			break;
		}
	}
	return 0;
}

/*
 * By command and status: @cf->path's {COMMAND: calls} and status_path's
 * {COMMAND: {STATUS: calls}} in "counts"; each command's calls add up.
 */
static int rd_by_cmd(struct rd *c, json_object *counts,
		     const struct count_field *cf, struct run_counts *k)
{
	uint64_t (*by)[STATUS_BUCKETS] = (void *)count_at_mut(k, cf);
	uint64_t total[RMI_CMD_COUNT] = { 0 };
	struct json_object_iterator it, end;
	char obj[64], sobj[64], p[FIELD_MAX], sp[FIELD_MAX];
	char bcp[FIELD_MAX], bsp[FIELD_MAX], f[FIELD_MAX], g[FIELD_MAX];
	const char *key, *skey;
	json_object *in, *sin, *bc, *bs;

	key = count_path_split(cf->path, obj, sizeof(obj));
	skey = count_path_split(cf->status_path, sobj, sizeof(sobj));
	field_name(p, "counts", obj);
	field_name(sp, "counts", sobj);
	if (rd_obj(c, counts, "counts", obj, &in) ||
	    rd_obj(c, in, p, key, &bc) ||
	    rd_obj(c, counts, "counts", sobj, &sin) ||
	    rd_obj(c, sin, sp, skey, &bs))
		return -1;
	field_name(bcp, p, key);
	field_name(bsp, sp, skey);

	it = json_object_iter_begin(bs);
	end = json_object_iter_end(bs);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *cmd = json_object_iter_peek_name(&it);
		json_object *st = json_object_iter_peek_value(&it);
		struct json_object_iterator si, se;
		int ci = result_cmd_index(cmd);

		field_name(f, bsp, cmd);
		if (ci < 0)
			return rd_fail(c, f, "unknown RMI command");
		if (rd_type(c, f, st, json_type_object, "an object"))
			return -1;
		si = json_object_iter_begin(st);
		se = json_object_iter_end(st);
		for (; !json_object_iter_equal(&si, &se);
		     json_object_iter_next(&si)) {
			const char *sn = json_object_iter_peek_name(&si);
			int sb = result_status_index(sn);
			uint64_t n;

			field_name(g, f, sn);
			if (sb < 0)
				return rd_fail(c, g, "unknown RMI status");
			if (rd_u64_val(c, g, json_object_iter_peek_value(&si),
				       UINT64_MAX, &n))
				return -1;
			by[ci][sb] = n;
			total[ci] = u64_sat_add(total[ci], n);
		}
	}

	it = json_object_iter_begin(bc);
	end = json_object_iter_end(bc);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *cmd = json_object_iter_peek_name(&it);
		int ci = result_cmd_index(cmd);
		uint64_t n;

		field_name(f, bcp, cmd);
		if (ci < 0)
			return rd_fail(c, f, "unknown RMI command");
		if (rd_u64_val(c, f, json_object_iter_peek_value(&it),
			       UINT64_MAX, &n))
			return -1;
		if (n != total[ci])
			return rd_fail(c, f, "%llu, but %s adds up to %llu",
				       (unsigned long long)n, skey,
				       (unsigned long long)total[ci]);
	}
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++) {
		if (total[i] &&
		    !json_object_object_get_ex(bc, result_cmd_name(i), NULL)) {
			field_name(f, bcp, result_cmd_name(i));
			return rd_fail(c, f, "missing (%s has %llu calls)", skey,
				       (unsigned long long)total[i]);
		}
	}
	return 0;
}

static int rd_warns(struct rd *c, json_object *o, const char *opath,
		    const char *key, struct run_counts *k)
{
	char f[FIELD_MAX], fi[FIELD_MAX + 24];
	json_object *wr;
	size_t n;

	if (rd_get(c, o, opath, key, json_type_array, "an array", &wr))
		return -1;
	field_name(f, opath, key);
	n = json_object_array_length(wr);
	if (n > MAX_WARN_KINDS)
		return rd_fail(c, f, "%zu entries, at most %d", n,
			       MAX_WARN_KINDS);
	for (size_t i = 0; i < n; i++) {
		json_object *w = json_object_array_get_idx(wr, i);

		snprintf(fi, sizeof(fi), "%s[%zu]", f, i);
		if (rd_type(c, fi, w, json_type_object, "an object") ||
		    rd_str(c, w, fi, "reason", k->warn[i].reason,
			   sizeof(k->warn[i].reason), false) ||
		    rd_u64(c, w, fi, "count", UINT64_MAX, &k->warn[i].count))
			return -1;
	}
	k->nwarn = (unsigned int)n;
	return 0;
}

/* counters keyed by name; sparse keys may be absent (0) */
static int rd_array(struct rd *c, json_object *o, const char *opath,
		    const char *key, const struct count_field *cf,
		    struct run_counts *k)
{
	uint64_t *v = count_at_mut(k, cf);
	char f[FIELD_MAX];
	json_object *a;

	if (rd_obj(c, o, opath, key, &a))
		return -1;
	field_name(f, opath, key);
	for (unsigned int j = 0; j < cf->n; j++) {
		const char *name = cf->key_name(j);

		if ((cf->sparse & (1u << j)) &&
		    !json_object_object_get_ex(a, name, NULL))
			continue;
		if (rd_u64(c, a, f, name, UINT64_MAX, &v[j]))
			return -1;
	}
	return 0;
}

static int rd_counts(struct rd *c, json_object *root, struct run_counts *k)
{
	json_object *o;

	if (rd_obj(c, root, NULL, "counts", &o))
		return -1;
	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *f = &run_counts_fields[i];
		char obj[64], op[FIELD_MAX];
		const char *key;
		json_object *in = o;
		int ret = 0;

		if (f->kind == COUNT_KIND_DERIVED)
			continue;	/* rd_derived() */
		if (f->kind == COUNT_KIND_BY_CMD) {
			if (rd_by_cmd(c, o, f, k))
				return -1;
			continue;
		}
		key = count_path_split(f->path, obj, sizeof(obj));
		if (obj[0]) {
			field_name(op, "counts", obj);
			if (rd_obj(c, o, "counts", obj, &in))
				return -1;
		} else {
			snprintf(op, sizeof(op), "counts");
		}
		switch (f->kind) {
		case COUNT_KIND_U64:
			ret = rd_u64(c, in, op, key, UINT64_MAX,
				     count_at_mut(k, f));
			break;
		case COUNT_KIND_ARRAY:
			ret = rd_array(c, in, op, key, f, k);
			break;
		case COUNT_KIND_WARNS:
			ret = rd_warns(c, in, op, key, k);
			break;
		default:
			break;
		}
		if (ret)
			return -1;
	}
	return 0;
}

/* the values derived from the counts: numbers, none above its maximum */
static int rd_derived(struct rd *c, json_object *root)
{
	json_object *d;

	if (rd_obj(c, root, NULL, "derived", &d))
		return -1;
	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *f = &run_counts_fields[i];
		char fn[FIELD_MAX];
		double x;

		if (f->kind != COUNT_KIND_DERIVED)
			continue;
		if (rd_num(c, d, "derived", f->name, &x))
			return -1;
		if (x > f->max) {
			field_name(fn, "derived", f->name);
			return rd_fail(c, fn, "%g is above %g", x, f->max);
		}
	}
	return 0;
}

static int rd_metadata(struct rd *c, json_object *root, struct run_result *r,
		       struct result_meta *m)
{
	const char *p = "metadata";
	json_object *o, *h, *cm;
	unsigned int nproc;
	char note[128];
	json_object *v;

	if (rd_obj(c, root, NULL, "metadata", &o) ||
	    rd_str(c, o, p, "version", m->version, sizeof(m->version), false) ||
	    rd_str(c, o, p, "git", m->git, sizeof(m->git), true) ||
	    rd_str(c, o, p, "backend", m->backend, sizeof(m->backend), false) ||
	    rd_str(c, o, p, "profile", note, sizeof(note), false) ||
	    rd_obj(c, o, p, "host", &h) ||
	    rd_str(c, h, "metadata.host", "hostname", m->hostname,
		   sizeof(m->hostname), false) ||
	    rd_str(c, h, "metadata.host", "kernel", m->kernel,
		   sizeof(m->kernel), false) ||
	    rd_str(c, h, "metadata.host", "cpu", m->cpu, sizeof(m->cpu),
		   false) ||
	    rd_uint(c, h, "metadata.host", "nproc", 0, UINT_MAX, &nproc) ||
	    rd_str(c, o, p, "timestamp", m->timestamp, sizeof(m->timestamp),
		   false) ||
	    rd_obj(c, o, p, "cost_model", &cm) ||
	    rd_bool(c, cm, "metadata.cost_model", "default",
		    &r->cost_model_default) ||
	    rd_str(c, cm, "metadata.cost_model", "source", m->cost_source,
		   sizeof(m->cost_source), false) ||
	    rd_str(c, o, p, "case", m->folio_case, sizeof(m->folio_case),
		   false))
		return -1;
	m->nproc = nproc;
	if (strcmp(m->backend, "sim") && strcmp(m->backend, "kernel") &&
	    strcmp(m->backend, "sim-usdt"))
		return rd_fail(c, "metadata.backend", "unknown backend '%s'",
			       m->backend);
	/* the note is optional: only the default table has one */
	if (json_object_object_get_ex(cm, "note", &v) &&
	    rd_str_val(c, "metadata.cost_model.note", v, note, sizeof(note),
		       false))
		return -1;
	/* so is the schedule: only a scheduled run has one */
	r->schedule[0] = 0;
	if (json_object_object_get_ex(o, "schedule", &v) &&
	    rd_str_val(c, "metadata.schedule", v, r->schedule,
		       sizeof(r->schedule), false))
		return -1;
	/* and the command of a matrix's run */
	r->command[0] = 0;
	if (json_object_object_get_ex(o, "command", &v) &&
	    rd_str_val(c, "metadata.command", v, r->command,
		       sizeof(r->command), false))
		return -1;
	return 0;
}

/*
 * The phases' seconds and the per-fault clock: null where the backend
 * does not time them, absent in files from before they were written
 * (both read as not timed).
 */
static int rd_timing(struct rd *c, json_object *t, struct run_result *r)
{
	static const char *const phase[] = {
		"setup_seconds", "fault_seconds", "teardown_seconds",
		"fault_cpu_seconds",
	};
	double *val[] = {
		&r->setup_seconds, &r->fault_seconds, &r->teardown_seconds,
		&r->fault_cpu_seconds,
	};
	json_object *v, *fc;
	unsigned int timed = 0, present = 0;
	uint64_t every;

	for (unsigned int i = 0; i < 4; i++) {
		if (!json_object_object_get_ex(t, phase[i], &v))
			continue;
		present++;
		if (!v)
			continue;
		if (rd_num(c, t, "timing", phase[i], val[i]))
			return -1;
		timed++;
	}
	if (present && present != 4)
		return rd_fail(c, "timing", "some phases' seconds are missing");
	if (timed && timed != 4)
		return rd_fail(c, "timing", "some phases' seconds are null, some not");
	r->phases_timed = timed == 4;
	if (!json_object_object_get_ex(t, "fault_clock", &fc) || !fc)
		return 0;
	if (rd_obj(c, t, "timing", "fault_clock", &fc) ||
	    rd_str(c, fc, "timing.fault_clock", "source", r->fault_clock,
		   sizeof(r->fault_clock), false) ||
	    rd_num(c, fc, "timing.fault_clock", "resolution_ns",
		   &r->fault_clock_resolution_ns) ||
	    rd_u64(c, fc, "timing.fault_clock", "every", UINT_MAX, &every))
		return -1;
	if (!r->fault_clock[0])
		return rd_fail(c, "timing.fault_clock.source", "empty");
	if (r->fault_clock_resolution_ns <= 0)
		return rd_fail(c, "timing.fault_clock.resolution_ns",
			       "not a tick length");
	if (!every)
		return rd_fail(c, "timing.fault_clock.every", "0");
	r->fault_clock_every = (unsigned int)every;
	return 0;
}

int result_read_json_meta(const char *path, struct run_result *r,
			  struct result_meta *meta, char *err, size_t errlen)
{
	struct rd c = { .path = path, .err = err, .errlen = errlen };
	struct result_meta mbuf;
	json_object *root, *dist, *t;
	uint64_t ver;
	int ret = -1;

	root = load_json_file(path, err, errlen);
	if (!root)
		return -1;
	memset(r, 0, sizeof(*r));
	memset(&mbuf, 0, sizeof(mbuf));

	if (rd_u64(&c, root, NULL, "schema_version", UINT64_MAX, &ver))
		goto out;
	if (ver != RESULT_SCHEMA_VERSION) {
		rd_fail(&c, "schema_version", "%llu, this rmibench reads %d",
			(unsigned long long)ver, RESULT_SCHEMA_VERSION);
		goto out;
	}
	if (rd_metadata(&c, root, r, &mbuf) ||
	    rd_config(&c, root, &r->cfg) ||
	    rd_counts(&c, root, &r->counts))
		goto out;
	if (rd_derived(&c, root))
		goto out;
	if (rd_obj(&c, root, NULL, "distributions", &dist) ||
	    rd_hist(&c, dist, "fault_latency_modelled_ns", &r->lat_model) ||
	    rd_hist(&c, dist, "fault_latency_wall_ns", &r->lat_wall) ||
	    rd_hist(&c, dist, "rmi_calls_per_fault", &r->calls_per_fault) ||
	    rd_str(&c, root, NULL, "outcome", r->outcome, sizeof(r->outcome),
		   false) ||
	    rd_obj(&c, root, NULL, "timing", &t) ||
	    rd_num(&c, t, "timing", "wall_seconds", &r->wall_seconds) ||
	    rd_num(&c, t, "timing", "virtual_seconds", &r->virtual_seconds) ||
	    rd_timing(&c, t, r) ||
	    rd_u64(&c, root, NULL, "model_bytes", UINT64_MAX, &r->model_bytes))
		goto out;
	if (!r->outcome[0]) {
		rd_fail(&c, "outcome", "empty");
		goto out;
	}
	{
		char cls[32];
		int k;

		if (rd_str(&c, root, NULL, "outcome_class", cls, sizeof(cls),
			   false))
			goto out;
		k = outcome_from_name(cls);
		if (k < 0) {
			rd_fail(&c, "outcome_class", "unknown class '%s'", cls);
			goto out;
		}
		r->outcome_class = (enum run_outcome)k;
	}
	/* absent in files from before it was written: done unless the
	 * outcome is a failure (what the report assumed of them) */
	if (json_object_object_get_ex(root, "workload_done", NULL)) {
		if (rd_bool(&c, root, NULL, "workload_done", &r->workload_done))
			goto out;
	} else {
		r->workload_done = !outcome_fails(r->outcome_class);
	}
	if (meta)
		*meta = mbuf;
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

int result_read_json(const char *path, struct run_result *r, char *err,
		     size_t errlen)
{
	return result_read_json_meta(path, r, NULL, err, errlen);
}

/* ---- the result files of a directory --------------------------------------- */

static bool is_json_name(const char *s)
{
	size_t n = strlen(s);

	return s[0] != '.' && n > 5 && !strcmp(s + n - 5, ".json");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int result_list_dir(const char *dir, char ***names, size_t *n, char *err,
		    size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cnt = 0, cap = 0;

	if (!d)
		return errmsg(err, errlen, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		struct stat st;

		if (!is_json_name(e->d_name))
			continue;
		/* a result file is a regular file: no link is followed */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
			errmsg(err, errlen, "%s/%s: %s", dir, e->d_name,
			       strerror(errno));
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			errmsg(err, errlen, "%s/%s: %s: result files are "
			       "regular files", dir, e->d_name,
			       S_ISLNK(st.st_mode) ? "a symbolic link" :
			       S_ISDIR(st.st_mode) ? "a directory" :
			       S_ISFIFO(st.st_mode) ? "a FIFO" :
			       S_ISSOCK(st.st_mode) ? "a socket" : "a device");
			goto fail;
		}
		if (cnt == cap) {
			char **nv;

			cap = cap ? 2 * cap : 32;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		v[cnt] = strdup(e->d_name);
		if (!v[cnt])
			goto oom;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_str);
	*names = v;
	*n = cnt;
	return 0;
oom:
	errmsg(err, errlen, "%s: out of memory", dir);
fail:
	closedir(d);
	while (cnt)
		free(v[--cnt]);
	free(v);
	return -1;
}
