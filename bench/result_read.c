// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: reading a result file back, checking every field's presence,
 * type and range (the schema is results/README.md). A bad file gives one
 * line naming the file and the field.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "json_read.h"
#include "result.h"

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
	return 0;
}

static int rd_config(struct rd *c, json_object *root, struct run_config *cfg)
{
	const char *p = "config";
	json_object *o;
	int v;

	if (rd_obj(c, root, NULL, "config", &o))
		return -1;
	if (rd_name(c, o, p, "strategy", strategy_from_name,
		    "full, one-level, block", &v))
		return -1;
	cfg->strategy = v;
	if (rd_name(c, o, p, "delegation", deleg_from_name, "v14, v15", &v))
		return -1;
	cfg->delegation = v;
	if (rd_name(c, o, p, "folio", folio_from_name,
		    "4k, 2m, 1g, mixed", &v))
		return -1;
	cfg->folio = v;
	if (rd_name(c, o, p, "scheduler", sched_from_name, "det, threads", &v))
		return -1;
	cfg->scheduler = v;
	if (rd_str(c, o, p, "profile", cfg->profile, sizeof(cfg->profile),
		   false) ||
	    rd_uint(c, o, p, "delegate_granules", 0, UINT_MAX,
		    &cfg->delegate_granules) ||
	    rd_u64(c, o, p, "ipa", UINT64_MAX, &cfg->ipa) ||
	    rd_u64(c, o, p, "size", UINT64_MAX, &cfg->size) ||
	    rd_uint(c, o, p, "vcpus", 0, UINT_MAX, &cfg->vcpus) ||
	    rd_str(c, o, p, "workload", cfg->workload, sizeof(cfg->workload),
		   false) ||
	    rd_bool(c, o, p, "shared_region", &cfg->shared_region) ||
	    rd_uint(c, o, p, "write_pct", 0, 100, &cfg->write_pct) ||
	    rd_uint(c, o, p, "shared_pct", 0, 100, &cfg->shared_pct) ||
	    rd_uint(c, o, p, "passes", 0, UINT_MAX, &cfg->passes) ||
	    rd_u64(c, o, p, "stride", UINT64_MAX, &cfg->stride) ||
	    rd_u64(c, o, p, "seed", UINT64_MAX, &cfg->seed) ||
	    rd_uint(c, o, p, "s2sz", 0, RMI_S2SZ_MAX_LPA2, &cfg->s2sz) ||
	    rd_str(c, o, p, "calibration", cfg->calibration,
		   sizeof(cfg->calibration), false) ||
	    rd_str(c, o, p, "inject", cfg->inject, sizeof(cfg->inject),
		   false) ||
	    rd_u64(c, o, p, "livelock_faults", UINT64_MAX,
		   &cfg->livelock_faults))
		return -1;
	return 0;
}

static int rd_rmi_calls(struct rd *c, json_object *counts,
			struct run_counts *k)
{
	const char *p = "counts.rmi_calls";
	json_object *o, *bc, *bs;
	struct json_object_iterator it, end;
	uint64_t total[RMI_CMD_COUNT] = { 0 };
	char f[FIELD_MAX], g[FIELD_MAX];

	if (rd_obj(c, counts, "counts", "rmi_calls", &o) ||
	    rd_u64(c, o, p, "total", UINT64_MAX, &k->rmi_calls) ||
	    rd_u64(c, o, p, "setup", UINT64_MAX, &k->rmi_calls_setup) ||
	    rd_u64(c, o, p, "fault", UINT64_MAX, &k->rmi_calls_fault) ||
	    rd_u64(c, o, p, "teardown", UINT64_MAX, &k->rmi_calls_teardown) ||
	    rd_obj(c, o, p, "by_command", &bc) ||
	    rd_obj(c, o, p, "by_status", &bs))
		return -1;

	it = json_object_iter_begin(bs);
	end = json_object_iter_end(bs);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *cmd = json_object_iter_peek_name(&it);
		json_object *st = json_object_iter_peek_value(&it);
		struct json_object_iterator si, se;
		int ci = result_cmd_index(cmd);

		field_name(f, "counts.rmi_calls.by_status", cmd);
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
			k->by_cmd[ci][sb] = n;
			total[ci] = u64_sat_add(total[ci], n);
		}
	}

	it = json_object_iter_begin(bc);
	end = json_object_iter_end(bc);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *cmd = json_object_iter_peek_name(&it);
		int ci = result_cmd_index(cmd);
		uint64_t n;

		field_name(f, "counts.rmi_calls.by_command", cmd);
		if (ci < 0)
			return rd_fail(c, f, "unknown RMI command");
		if (rd_u64_val(c, f, json_object_iter_peek_value(&it),
			       UINT64_MAX, &n))
			return -1;
		if (n != total[ci])
			return rd_fail(c, f, "%llu, but by_status adds up to %llu",
				       (unsigned long long)n,
				       (unsigned long long)total[ci]);
	}
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++) {
		if (total[i] && !json_object_object_get_ex(bc, result_cmd_name(i), NULL)) {
			field_name(f, "counts.rmi_calls.by_command", result_cmd_name(i));
			return rd_fail(c, f, "missing (by_status has %llu calls)",
				       (unsigned long long)total[i]);
		}
	}
	return 0;
}

static int rd_counts(struct rd *c, json_object *root, struct run_counts *k)
{
	static const char *const lv[] = { "l0", "l1", "l2", "l3" };
	const char *p = "counts";
	json_object *o, *mb, *lk, *wr;
	char f[FIELD_MAX];
	size_t n;

	if (rd_obj(c, root, NULL, "counts", &o))
		return -1;
	if (rd_u64(c, o, p, "faults", UINT64_MAX, &k->faults) ||
	    rd_u64(c, o, p, "faults_private", UINT64_MAX, &k->faults_private) ||
	    rd_u64(c, o, p, "faults_shared", UINT64_MAX, &k->faults_shared) ||
	    rd_u64(c, o, p, "refaults", UINT64_MAX, &k->refaults) ||
	    rd_rmi_calls(c, o, k) ||
	    rd_u64(c, o, p, "rtts_created", UINT64_MAX, &k->rtts_created) ||
	    rd_u64(c, o, p, "rtts_destroyed", UINT64_MAX, &k->rtts_destroyed) ||
	    rd_u64(c, o, p, "rtt_pages_peak", UINT64_MAX, &k->rtt_pages_peak) ||
	    rd_u64(c, o, p, "rtt_pages_end", UINT64_MAX, &k->rtt_pages_end))
		return -1;

	if (rd_obj(c, o, p, "mapped_bytes", &mb))
		return -1;
	for (int l = 0; l < 4; l++) {
		/* l0 only appears when something was (wrongly) mapped there */
		if (!l && !json_object_object_get_ex(mb, "l0", NULL))
			continue;
		if (rd_u64(c, mb, "counts.mapped_bytes", lv[l], UINT64_MAX,
			   &k->mapped_bytes[l]))
			return -1;
	}

	if (rd_u64(c, o, p, "delegate_races", UINT64_MAX, &k->delegate_races) ||
	    rd_u64(c, o, p, "partial_delegations", UINT64_MAX,
		   &k->partial_delegations) ||
	    rd_u64(c, o, p, "leaked_granules", UINT64_MAX, &k->leaked_granules) ||
	    rd_obj(c, o, p, "leaked_by_state", &lk))
		return -1;
	for (unsigned int s = 0; s < GRANULE_STATES; s++)
		if (rd_u64(c, lk, "counts.leaked_by_state", result_granule_state_name(s),
			   UINT64_MAX, &k->leaked_by_state[s]))
			return -1;

	if (rd_u64(c, o, p, "warnings", UINT64_MAX, &k->warnings) ||
	    rd_get(c, o, p, "warning_reasons", json_type_array, "an array", &wr))
		return -1;
	n = json_object_array_length(wr);
	if (n > MAX_WARN_KINDS)
		return rd_fail(c, "counts.warning_reasons", "%zu entries, at most %d",
			       n, MAX_WARN_KINDS);
	for (size_t i = 0; i < n; i++) {
		json_object *w = json_object_array_get_idx(wr, i);

		snprintf(f, sizeof(f), "counts.warning_reasons[%zu]", i);
		if (rd_type(c, f, w, json_type_object, "an object") ||
		    rd_str(c, w, f, "reason", k->warn[i].reason,
			   sizeof(k->warn[i].reason), false) ||
		    rd_u64(c, w, f, "count", UINT64_MAX, &k->warn[i].count))
			return -1;
	}
	k->nwarn = (unsigned int)n;

	if (rd_u64(c, o, p, "guest_errors", UINT64_MAX, &k->guest_errors) ||
	    rd_u64(c, o, p, "injected", UINT64_MAX, &k->injected) ||
	    rd_u64(c, o, p, "accesses", UINT64_MAX, &k->accesses) ||
	    rd_u64(c, o, p, "granules_delegated", UINT64_MAX,
		   &k->granules_delegated))
		return -1;
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
	if (strcmp(m->backend, "sim") && strcmp(m->backend, "kernel"))
		return rd_fail(c, "metadata.backend", "unknown backend '%s'",
			       m->backend);
	/* the note is optional: only the default table has one */
	if (json_object_object_get_ex(cm, "note", &v) &&
	    rd_str_val(c, "metadata.cost_model.note", v, note, sizeof(note),
		       false))
		return -1;
	return 0;
}

int result_read_json_meta(const char *path, struct run_result *r,
			  struct result_meta *meta, char *err, size_t errlen)
{
	struct rd c = { .path = path, .err = err, .errlen = errlen };
	struct result_meta mbuf;
	json_object *root, *dist, *t, *d;
	uint64_t ver;
	double x;
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
	if (rd_obj(&c, root, NULL, "derived", &d) ||
	    rd_num(&c, d, "derived", "rmi_calls_per_fault", &x) ||
	    rd_num(&c, d, "derived", "rtt_pages_per_gib_mapped", &x) ||
	    rd_num(&c, d, "derived", "block_coverage", &x))
		goto out;
	if (x > 1.0) {
		rd_fail(&c, "derived.block_coverage", "%g is above 1", x);
		goto out;
	}
	if (rd_obj(&c, root, NULL, "distributions", &dist) ||
	    rd_hist(&c, dist, "fault_latency_modelled_ns", &r->lat_model) ||
	    rd_hist(&c, dist, "fault_latency_wall_ns", &r->lat_wall) ||
	    rd_hist(&c, dist, "rmi_calls_per_fault", &r->calls_per_fault) ||
	    rd_str(&c, root, NULL, "outcome", r->outcome, sizeof(r->outcome),
		   false) ||
	    rd_obj(&c, root, NULL, "timing", &t) ||
	    rd_num(&c, t, "timing", "wall_seconds", &r->wall_seconds) ||
	    rd_num(&c, t, "timing", "virtual_seconds", &r->virtual_seconds) ||
	    rd_u64(&c, root, NULL, "model_bytes", UINT64_MAX, &r->model_bytes))
		goto out;
	if (!r->outcome[0]) {
		rd_fail(&c, "outcome", "empty");
		goto out;
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
