// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: comparing result sets (compare.h): which way each count is
 * better, the values of a run, reading sets, pairing runs by
 * configuration, and the verdicts.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "counts.h"
#include "errmsg.h"
#include "json_read.h"
#include "rmib_util.h"

/* ---- which way is better ------------------------------------------------------- */

/*
 * One entry per count field of RUN_COUNTS_FIELDS (by its name in
 * counts.h), and per key where a key differs from its field. Breakdowns
 * of a total that has a direction (calls by command and status, faults
 * by kind, bytes by level) are neutral: their total or ratio says which
 * way is better, and a change in them is still reported.
 */
static const struct {
	const char *field, *key;
	enum cmp_dir dir;
} better[] = {
	{ "faults", NULL, CMP_LOWER },
	{ "faults_private", NULL, CMP_NEUTRAL },
	{ "faults_shared", NULL, CMP_NEUTRAL },
	{ "refaults", NULL, CMP_LOWER },
	{ "rmi_calls", NULL, CMP_LOWER },
	{ "rmi_calls_setup", NULL, CMP_LOWER },
	{ "rmi_calls_fault", NULL, CMP_LOWER },
	{ "rmi_calls_per_fault", NULL, CMP_LOWER },
	{ "rmi_calls_teardown", NULL, CMP_LOWER },
	{ "by_cmd", NULL, CMP_NEUTRAL },
	{ "rtts_created", NULL, CMP_LOWER },
	{ "rtts_created_teardown", NULL, CMP_LOWER },
	{ "rtts_destroyed", NULL, CMP_NEUTRAL },
	{ "rtt_pages_peak", NULL, CMP_LOWER },
	{ "rtt_pages_end", NULL, CMP_LOWER },
	{ "rtt_pages_per_gib_mapped", NULL, CMP_LOWER },
	{ "mapped_bytes", NULL, CMP_NEUTRAL },
	{ "mapped_bytes", "l0", CMP_LOWER },	/* L0 blocks do not exist */
	{ "block_coverage", NULL, CMP_HIGHER },
	{ "delegate_races", NULL, CMP_LOWER },
	{ "partial_delegations", NULL, CMP_NEUTRAL },
	{ "leaked_granules", NULL, CMP_LOWER },
	{ "leaked_by_state", NULL, CMP_LOWER },
	{ "warnings", NULL, CMP_LOWER },
	{ "warn", NULL, CMP_LOWER },
	{ "guest_errors", NULL, CMP_LOWER },
	{ "injected", NULL, CMP_NEUTRAL },
	{ "accesses", NULL, CMP_NEUTRAL },
	{ "ripas_changes", NULL, CMP_NEUTRAL },	/* the workload's choice */
	{ "mmu_lock_waits", NULL, CMP_LOWER },
	{ "mmu_lock_wait_ns", NULL, CMP_LOWER },
	{ "granules_delegated", NULL, CMP_NEUTRAL },
	{ "boot_rmi_calls", NULL, CMP_LOWER },
	{ "memory_prep_calls", NULL, CMP_LOWER },
	{ "memory_prep_faults", NULL, CMP_LOWER },
	{ "memory_prep_calls_per_gib", NULL, CMP_LOWER },
	{ "memory_prep_calls_per_fault", NULL, CMP_LOWER },
};

int cmp_better(const char *field, const char *key)
{
	int any = -1;

	for (size_t i = 0; i < sizeof(better) / sizeof(better[0]); i++) {
		if (strcmp(better[i].field, field))
			continue;
		if (key && better[i].key && !strcmp(better[i].key, key))
			return (int)better[i].dir;
		if (!better[i].key)
			any = (int)better[i].dir;
	}
	return any;
}

static enum cmp_dir dir_of(const char *field, const char *key)
{
	int d = cmp_better(field, key);

	return d < 0 ? CMP_NEUTRAL : (enum cmp_dir)d;
}

const char *cmp_verdict_name(enum cmp_verdict v)
{
	static const char *const names[] = {
		[CMP_SAME] = "same", [CMP_CHANGED] = "changed",
		[CMP_IMPROVED] = "improved", [CMP_REGRESSED] = "regressed",
		[CMP_INCOMPARABLE] = "incomparable",
		[CMP_FEW] = "too few samples", [CMP_IGNORED] = "ignored",
	};

	return v <= CMP_IGNORED ? names[v] : "?";
}

/* ---- the values of a run ------------------------------------------------------- */

const struct cmp_dist cmp_dists[CMP_NDISTS] = {
	{ "distributions.fault_latency_modelled_ns", "ns",
	  offsetof(struct run_result, lat_model), false },
	{ "distributions.fault_latency_wall_ns", "ns",
	  offsetof(struct run_result, lat_wall), true },
	{ "distributions.rmi_calls_per_fault", "calls",
	  offsetof(struct run_result, calls_per_fault), false },
};

void cmp_dist_bins(const struct run_result *r, const struct cmp_dist *d,
		   struct stat_bins *b)
{
	stat_bins_from_hist(b, (const struct hist *)((const char *)r +
						     d->off));
}

static void emit(void (*fn)(void *, const struct cmp_value *), void *ctx,
		 const char *name, const char *unit, enum cmp_dir dir,
		 enum cmp_kind kind, bool sparse, double v)
{
	fn(ctx, &(struct cmp_value){ .name = name, .unit = unit, .dir = dir,
				     .kind = kind, .sparse = sparse, .v = v });
}

void cmp_each_value(const struct run_result *r,
		    void (*fn)(void *ctx, const struct cmp_value *v),
		    void *ctx)
{
	const struct run_counts *k = &r->counts;
	char name[160];

	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *f = &run_counts_fields[i];
		const uint64_t *v = f->kind == COUNT_KIND_DERIVED ||
				    f->kind == COUNT_KIND_WARNS ? NULL :
				    count_at(k, f);
		enum cmp_dir d = dir_of(f->name, NULL);

		switch (f->kind) {
		case COUNT_KIND_U64:
			emit(fn, ctx, f->path, f->unit, d, CMP_KIND_COUNT,
			     false, (double)*v);
			break;
		case COUNT_KIND_ARRAY:
			for (unsigned int j = 0; j < f->n; j++) {
				const char *key = f->key_name(j);

				snprintf(name, sizeof(name), "%s.%s", f->path,
					 key);
				emit(fn, ctx, name, f->unit,
				     dir_of(f->name, key), CMP_KIND_COUNT,
				     f->sparse & (1u << j), (double)v[j]);
			}
			break;
		case COUNT_KIND_BY_CMD:
			for (unsigned int c = 0; c < RMI_CMD_COUNT; c++) {
				uint64_t t = 0;

				for (unsigned int s = 0; s < STATUS_BUCKETS; s++)
					t += v[c * STATUS_BUCKETS + s];
				snprintf(name, sizeof(name), "%s.%s", f->path,
					 result_cmd_name(c));
				emit(fn, ctx, name, f->unit, d, CMP_KIND_COUNT,
				     true, (double)t);
			}
			for (unsigned int c = 0; c < RMI_CMD_COUNT; c++)
				for (unsigned int s = 0; s < STATUS_BUCKETS; s++) {
					snprintf(name, sizeof(name), "%s.%s.%s",
						 f->status_path,
						 result_cmd_name(c),
						 result_status_name(s));
					emit(fn, ctx, name, f->unit, d,
					     CMP_KIND_COUNT, true,
					     (double)v[c * STATUS_BUCKETS + s]);
				}
			break;
		case COUNT_KIND_WARNS:
			for (unsigned int j = 0; j < k->nwarn; j++) {
				snprintf(name, sizeof(name), "%s:%s", f->path,
					 k->warn[j].reason);
				emit(fn, ctx, name, f->unit, d, CMP_KIND_COUNT,
				     true, (double)k->warn[j].count);
			}
			break;
		case COUNT_KIND_DERIVED:
			snprintf(name, sizeof(name), "derived.%s", f->name);
			emit(fn, ctx, name, f->unit, d, CMP_KIND_DERIVED,
			     false, f->derive(r));
			break;
		}
	}
	emit(fn, ctx, "outcome_class", "severity", CMP_LOWER,
	     CMP_KIND_OUTCOME, false, (double)r->outcome_class);
	for (unsigned int i = 0; i < CMP_NDISTS; i++) {
		struct stat_bins b;

		cmp_dist_bins(r, &cmp_dists[i], &b);
		emit(fn, ctx, cmp_dists[i].name, cmp_dists[i].unit, CMP_LOWER,
		     CMP_KIND_DIST, false, stat_bins_median(&b));
	}
}

void cmp_cfg_text(const struct run_config *c, const struct cfg_field *f,
		  char *buf, size_t len)
{
	if (f->kind == CFG_KIND_BOOL)
		snprintf(buf, len, "%s", f->get(c) ? "true" : "false");
	else if ((f->kind == CFG_KIND_PATH || f->kind == CFG_KIND_RULES) &&
		 !cfg_str(c, f)[0])
		snprintf(buf, len, "none");
	else
		cfg_value_text(c, f, buf, len);
}

/* ---- reading sets --------------------------------------------------------------- */

/* the file's schema_version, 0 if it has none readable (the reader says) */
static uint64_t peek_version(const char *path)
{
	char err[64];
	json_object *root = load_json_file(path, err, sizeof(err)), *v;
	uint64_t ver = 0;

	if (!root)
		return 0;
	if (json_object_object_get_ex(root, "schema_version", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) > 0)
		ver = (uint64_t)json_object_get_int64(v);
	json_object_put(root);
	return ver;
}

int cmp_set_load(struct cmp_set *s, const char *arg, uint64_t *foreign,
		 char **foreign_path, char *err, size_t errlen)
{
	char **names = NULL;
	size_t n = 0;
	struct stat st;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	*foreign = 0;
	*foreign_path = NULL;
	s->arg = strdup(arg);
	if (!s->arg)
		return errmsg(err, errlen, "%s: out of memory", arg);
	if (stat(arg, &st))
		return errmsg(err, errlen, "%s: %s", arg, strerror(errno));
	s->dir = S_ISDIR(st.st_mode);
	if (s->dir) {
		if (result_list_dir(arg, &names, &n, err, errlen))
			return -1;
		if (!n)
			return errmsg(err, errlen,
				      "%s: no result files (*.json)", arg);
	} else {
		names = malloc(sizeof(*names));
		if (!names || !(names[0] = strdup(arg))) {
			free(names);
			return errmsg(err, errlen, "%s: out of memory", arg);
		}
		n = 1;
	}
	s->runs = calloc(n, sizeof(*s->runs));
	if (!s->runs) {
		errmsg(err, errlen, "%s: out of memory", arg);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct cmp_run *r = &s->runs[s->n];
		uint64_t ver;

		if (s->dir) {
			if (asprintf(&r->path, "%s/%s", arg, names[i]) < 0) {
				r->path = NULL;
				errmsg(err, errlen, "%s: out of memory", arg);
				goto out;
			}
		} else {
			r->path = names[i];
			names[i] = NULL;
		}
		s->n++;
		ver = peek_version(r->path);
		if (ver && ver != RESULT_SCHEMA_VERSION) {
			/* the caller decides: incomparable, or an error */
			if (!*foreign) {
				*foreign = ver;
				*foreign_path = r->path;
			}
			continue;
		}
		if (result_read_json_meta(r->path, &r->r, &r->m, err, errlen))
			goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

void cmp_set_free(struct cmp_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->runs[i].path);
	free(s->runs);
	free(s->arg);
	memset(s, 0, sizeof(*s));
}

/* ---- pairing runs by configuration ------------------------------------------------ */

/* "a,b,c": the values of setting @f over @s's runs, in order, each once */
static void value_set(const struct cmp_set *s, const struct cfg_field *f,
		      char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < s->n; i++) {
		char v[300], pat[304];

		cmp_cfg_text(&s->runs[i].r.cfg, f, v, sizeof(v));
		snprintf(pat, sizeof(pat), ",%s,", v);
		/* look for ",v," in ",buf," */
		{
			char hay[1200];

			snprintf(hay, sizeof(hay), ",%s,", buf);
			if (strstr(hay, pat))
				continue;
		}
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s", used ? "," : "", v);
		if (used >= len) {
			buf[len - 1] = 0;
			return;
		}
	}
}

/* a setting's label in a group name, as the report writes it */
static void label_of(const struct run_config *c, const struct cfg_field *f,
		     char *buf, size_t len)
{
	char v[300];

	if (f->kind == CFG_KIND_BOOL) {
		snprintf(buf, len, "%s", f->get(c) ?
			 (f->label ? f->label : f->name) :
			 (f->label_off ? f->label_off : "no"));
		return;
	}
	cmp_cfg_text(c, f, v, sizeof(v));
	if ((f->kind == CFG_KIND_PATH || f->kind == CFG_KIND_RULES) &&
	    !cfg_str(c, f)[0] && f->label_off) {
		snprintf(buf, len, "%s", f->label_off);
		return;
	}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, len, f->label ? f->label : "%s", v);
#pragma GCC diagnostic pop
}

static const struct cmp_run *nth_run(struct cmp_set *sets, size_t nsets,
				     size_t i)
{
	for (size_t s = 0; s < nsets; s++) {
		if (i < sets[s].n)
			return &sets[s].runs[i];
		i -= sets[s].n;
	}
	return NULL;
}

/* the settings that pair runs: all but the question and the seed */
static bool pairs_by(const bool *question, unsigned int f)
{
	return !question[f] && f != CFG_FIELD_seed;
}

long cmp_group(struct cmp_set *sets, size_t nsets, bool *question,
	       size_t **group, char (**label)[128])
{
	size_t total = 0, ngroups = 0, *first = NULL, *g = NULL;
	char (*lab)[128] = NULL;
	bool varies[CFG_NFIELDS] = { false };

	for (size_t s = 0; s < nsets; s++)
		total += sets[s].n;
	/* the question: one value in each set, not the same in all */
	for (unsigned int f = 0; f < CFG_NFIELDS; f++) {
		const struct cfg_field *cf = &run_config_fields[f];
		bool single = true, differ = false;

		for (size_t s = 0; s < nsets && single; s++)
			for (size_t i = 1; i < sets[s].n && single; i++)
				single = cfg_equal(&sets[s].runs[0].r.cfg,
						   &sets[s].runs[i].r.cfg, cf);
		for (size_t s = 1; s < nsets && single; s++)
			differ |= !cfg_equal(&sets[0].runs[0].r.cfg,
					     &sets[s].runs[0].r.cfg, cf);
		question[f] = single && differ;
	}
	g = calloc(total ? total : 1, sizeof(*g));
	first = calloc(total ? total : 1, sizeof(*first));
	lab = calloc(total ? total : 1, sizeof(*lab));
	if (!g || !first || !lab)
		goto oom;
	for (size_t i = 0; i < total; i++) {
		const struct cmp_run *ri = nth_run(sets, nsets, i);
		size_t j;

		for (j = 0; j < ngroups; j++) {
			const struct cmp_run *rj = nth_run(sets, nsets,
							   first[j]);
			unsigned int f;

			for (f = 0; f < CFG_NFIELDS; f++)
				if (pairs_by(question, f) &&
				    !cfg_equal(&ri->r.cfg, &rj->r.cfg,
					       &run_config_fields[f]))
					break;
			if (f == CFG_NFIELDS)
				break;
		}
		if (j == ngroups)
			first[ngroups++] = i;
		g[i] = j;
	}
	/* a group's label: the pairing settings that vary between groups */
	for (unsigned int f = 0; f < CFG_NFIELDS; f++) {
		const struct cmp_run *r0 = nth_run(sets, nsets, first[0]);

		if (!pairs_by(question, f))
			continue;
		for (size_t j = 1; j < ngroups && !varies[f]; j++)
			varies[f] = !cfg_equal(&r0->r.cfg,
					       &nth_run(sets, nsets,
							first[j])->r.cfg,
					       &run_config_fields[f]);
	}
	for (size_t j = 0; j < ngroups; j++) {
		const struct cmp_run *r = nth_run(sets, nsets, first[j]);
		static const unsigned int dflt[] = {
			CFG_FIELD_profile, CFG_FIELD_folio, CFG_FIELD_vcpus,
			CFG_FIELD_workload,
		};
		size_t used = 0;
		bool any = false;

		for (unsigned int f = 0; f < CFG_NFIELDS; f++)
			any |= varies[f];
		for (unsigned int f = 0; f < CFG_NFIELDS; f++) {
			char v[128];
			bool use = varies[f];

			if (!any)
				for (size_t d = 0; d < 4; d++)
					use |= dflt[d] == f &&
					       pairs_by(question, f);
			if (!use)
				continue;
			label_of(&r->r.cfg, &run_config_fields[f], v,
				 sizeof(v));
			used += (size_t)snprintf(lab[j] + used,
						 used < sizeof(lab[j]) ?
						 sizeof(lab[j]) - used : 0,
						 "%s%s", used ? " " : "", v);
		}
		if (!lab[j][0])
			snprintf(lab[j], sizeof(lab[j]), "run");
	}
	free(first);
	*group = g;
	*label = lab;
	return (long)ngroups;
oom:
	free(g);
	free(first);
	free(lab);
	return -1;
}

/* ---- compare ---------------------------------------------------------------------- */

void cmp_opts_default(struct cmp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 0.05;
	o->alpha = 0.05;
	o->conf = 0.95;
	o->reps = 2000;
	o->seed = 1;
	o->min_samples = 8;
}

const struct cmp_rule *cmp_rule_for(const struct cmp_rule *rules,
				     unsigned int n, const char *name)
{
	for (unsigned int i = 0; i < n; i++) {
		size_t len = strlen(rules[i].pat);

		if (len && rules[i].pat[len - 1] == '*' ?
		    !strncmp(rules[i].pat, name, len - 1) :
		    !strcmp(rules[i].pat, name))
			return &rules[i];
	}
	return NULL;
}

/* settings that a comparison is about; others must match (or --vary) */
static const bool under_test[CFG_NFIELDS] = {
	[CFG_FIELD_kernel] = true,
	[CFG_FIELD_strategy] = true,
	[CFG_FIELD_delegation] = true,
	[CFG_FIELD_profile] = true,
	[CFG_FIELD_delegate_granules] = true,
	[CFG_FIELD_folio] = true,
	[CFG_FIELD_calibration] = true,
};

/* the values of one pair, collected by name over its runs */
struct vtab {
	struct vrow {
		char name[128];
		const char *unit;
		enum cmp_dir dir;
		enum cmp_kind kind;
		bool sparse;
		double *v;		/* nb + nn values, 0 if absent */
	} *row;
	size_t n, cap, hint, nruns, run;
	bool oom;
};

static void vtab_add(void *ctx, const struct cmp_value *v)
{
	struct vtab *t = ctx;
	size_t i;

	if (v->kind == CMP_KIND_DIST || t->oom)
		return;
	/* runs list the values in the same order: look at the hint first */
	for (i = 0; i < t->n; i++) {
		size_t k = (t->hint + i) % t->n;

		if (!strcmp(t->row[k].name, v->name)) {
			i = k;
			break;
		}
	}
	if (i == t->n) {
		if (t->n == t->cap) {
			struct vrow *nr;

			t->cap = t->cap ? 2 * t->cap : 512;
			nr = realloc(t->row, t->cap * sizeof(*nr));
			if (!nr) {
				t->oom = true;
				return;
			}
			t->row = nr;
		}
		memset(&t->row[i], 0, sizeof(t->row[i]));
		snprintf(t->row[i].name, sizeof(t->row[i].name), "%s", v->name);
		t->row[i].unit = v->unit;
		t->row[i].dir = v->dir;
		t->row[i].kind = v->kind;
		t->row[i].sparse = v->sparse;
		t->row[i].v = calloc(t->nruns, sizeof(double));
		if (!t->row[i].v) {
			t->oom = true;
			return;
		}
		t->n++;
	}
	t->row[i].v[t->run] = v->v;
	t->hint = i + 1;
}

static void vtab_free(struct vtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->row[i].v);
	free(t->row);
}

static void range_of(const double *v, size_t n, double *mean, double *lo,
		     double *hi)
{
	double s = 0;

	*lo = *hi = n ? v[0] : 0;
	for (size_t i = 0; i < n; i++) {
		s += v[i];
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
	*mean = n ? s / (double)n : 0;
}

/* -1 new below base, 1 above, 0 overlap, 2 fewer than 2 repeats a side */
static int ranges_sep(const struct cmp_metric *m)
{
	if (m->nb < 2 || m->nn < 2)
		return 2;
	if (m->new_lo > m->base_hi)
		return 1;
	if (m->new_hi < m->base_lo)
		return -1;
	return 0;
}

static enum cmp_verdict by_direction(enum cmp_dir d, bool up)
{
	if (d == CMP_NEUTRAL)
		return CMP_CHANGED;
	return (d == CMP_LOWER) == up ? CMP_REGRESSED : CMP_IMPROVED;
}

static void count_verdict(struct cmp_metric *m, const struct cmp_opts *o)
{
	const struct cmp_rule *t = cmp_rule_for(o->tol, o->ntol, m->name);
	double diff = m->new_ - m->base, allow;

	m->tol = t ? t->pct / 100.0 : 0;
	m->ranges = ranges_sep(m);
	allow = m->tol * fabs(m->base);
	if (m->kind == CMP_KIND_DERIVED)	/* ratios of exact counts */
		allow += 1e-9 * fmax(fabs(m->base), fabs(m->new_));
	if (fabs(diff) <= allow) {
		m->verdict = CMP_SAME;
		if (diff != 0 && m->tol > 0)
			snprintf(m->note, sizeof(m->note),
				 "within the %g%% tolerance", 100 * m->tol);
		return;
	}
	if (m->ranges == 0) {
		m->verdict = CMP_SAME;
		snprintf(m->note, sizeof(m->note),
			 "the repeats' ranges overlap");
		return;
	}
	m->verdict = by_direction(m->dir, diff > 0);
}

static bool hist_same(const struct hist *a, const struct hist *b)
{
	return a->count == b->count && a->sum == b->sum && a->min == b->min &&
	       a->max == b->max &&
	       !memcmp(a->bucket, b->bucket, sizeof(a->bucket));
}

void cmp_dist_verdict(struct cmp_metric *m, const struct hist *ha,
		      const struct hist *hb, const struct cmp_opts *o,
		      uint64_t seed)
{
	const struct cmp_rule *t = cmp_rule_for(o->tol, o->ntol, m->name);
	struct stat_bins *a, *b;
	double thr;
	bool up, down;

	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	m->p = 1;
	m->ratio = m->ci_lo = m->ci_hi = NAN;
	if (!a || !b) {
		m->verdict = CMP_FEW;
		snprintf(m->note, sizeof(m->note), "out of memory");
		goto out;
	}
	stat_bins_from_hist(a, ha);
	stat_bins_from_hist(b, hb);
	m->samples_b = a->total;
	m->samples_n = b->total;
	m->base = stat_bins_median(a);
	m->new_ = stat_bins_median(b);
	if (m->base > 0)
		m->ratio = m->new_ / m->base;
	thr = t ? t->pct / 100.0 : o->threshold;
	m->tol = thr;
	if (a->total < o->min_samples || b->total < o->min_samples) {
		m->verdict = CMP_FEW;
		snprintf(m->note, sizeof(m->note),
			 "too few samples: %llu and %llu (need %u each)",
			 (unsigned long long)a->total,
			 (unsigned long long)b->total, o->min_samples);
		goto out;
	}
	if (hist_same(ha, hb)) {
		m->verdict = CMP_SAME;
		m->ci_lo = m->ci_hi = 1;
		goto out;
	}
	m->p = stat_mann_whitney(a, b, &m->u);
	stat_bootstrap_median_ratio(a, b, o->reps, o->conf, seed, &m->ci_lo,
				    &m->ci_hi);
	if (!(m->p < o->alpha)) {
		m->verdict = CMP_SAME;
		snprintf(m->note, sizeof(m->note), "U test p=%.3g", m->p);
		goto out;
	}
	if (isnan(m->ratio)) {
		/* no ratio to a zero median: which way the ranks lean */
		up = m->u < (double)a->total * (double)b->total / 2;
		down = !up;
	} else {
		if (!isnan(m->ci_lo) && m->ci_lo <= 1 && m->ci_hi >= 1) {
			m->verdict = CMP_SAME;
			snprintf(m->note, sizeof(m->note),
				 "U test p=%.3g, but the interval holds 1",
				 m->p);
			goto out;
		}
		up = m->ratio >= 1 + thr;
		down = m->ratio <= 1 - thr;
	}
	if (!up && !down) {
		m->verdict = CMP_SAME;
		snprintf(m->note, sizeof(m->note),
			 "U test p=%.3g, below the %g%% threshold", m->p,
			 100 * thr);
		goto out;
	}
	if (m->ranges == 0 || (m->ranges != 2 && (m->ranges > 0) != up)) {
		m->verdict = CMP_SAME;
		snprintf(m->note, sizeof(m->note),
			 "U test p=%.3g, but the repeats' medians overlap",
			 m->p);
		goto out;
	}
	m->verdict = by_direction(m->dir, up);
	snprintf(m->note, sizeof(m->note), "U test p=%.3g%s", m->p,
		 m->ranges == 2 ? "" : "; the repeats' medians separate");
out:
	free(a);
	free(b);
}

/* distribution @d of a pair: the repeats pooled, each repeat's median */
static void dist_verdict(struct cmp_metric *m, const struct cmp_dist *d,
			 const struct cmp_set *bs, const size_t *ib,
			 size_t nb, const struct cmp_set *ns,
			 const size_t *in, size_t nn, const struct cmp_opts *o,
			 uint64_t seed)
{
	struct hist ha = { 0 }, hb = { 0 };
	struct stat_bins *a = malloc(sizeof(*a));
	double *med = malloc((nb + nn) * sizeof(*med)), mean;

	m->nb = (unsigned int)nb;
	m->nn = (unsigned int)nn;
	if (!a || !med) {
		free(a);
		free(med);
		m->verdict = CMP_FEW;
		snprintf(m->note, sizeof(m->note), "out of memory");
		return;
	}
	for (size_t i = 0; i < nb + nn; i++) {
		const struct run_result *r = i < nb ? &bs->runs[ib[i]].r :
						      &ns->runs[in[i - nb]].r;

		hist_merge(i < nb ? &ha : &hb,
			   (const void *)((const char *)r + d->off));
		cmp_dist_bins(r, d, a);
		med[i] = stat_bins_median(a);
	}
	range_of(med, nb, &mean, &m->base_lo, &m->base_hi);
	range_of(med + nb, nn, &mean, &m->new_lo, &m->new_hi);
	m->ranges = ranges_sep(m);
	free(a);
	free(med);
	cmp_dist_verdict(m, &ha, &hb, o, seed);
}

static int add_metric(struct cmp_pair *p, const struct cmp_metric *m)
{
	struct cmp_metric *nm = realloc(p->m, (p->nm + 1) * sizeof(*nm));

	if (!nm)
		return -1;
	p->m = nm;
	p->m[p->nm++] = *m;
	return 0;
}

/* the metrics of pair @p */
static int compare_pair(struct cmp_report *rep, struct cmp_pair *p,
			size_t pi)
{
	struct vtab t = { .nruns = p->nb + p->nn };
	const struct cmp_opts *o = &rep->o;
	int ret = -1;

	for (size_t i = 0; i < p->nb + p->nn; i++) {
		const struct cmp_run *r = i < p->nb ?
			&rep->base.runs[p->ib[i]] :
			&rep->new_.runs[p->in[i - p->nb]];

		t.run = i;
		cmp_each_value(&r->r, vtab_add, &t);
	}
	if (t.oom)
		goto out;
	for (size_t i = 0; i < t.n; i++) {
		struct vrow *w = &t.row[i];
		struct cmp_metric m = {
			.unit = w->unit, .dir = w->dir, .kind = w->kind,
			.nb = (unsigned int)p->nb, .nn = (unsigned int)p->nn,
			.p = NAN, .ratio = NAN, .ci_lo = NAN, .ci_hi = NAN,
		};
		bool any = false;

		for (size_t j = 0; j < t.nruns; j++)
			any |= w->v[j] != 0;
		if (w->sparse && !any)
			continue;
		snprintf(m.name, sizeof(m.name), "%s", w->name);
		range_of(w->v, p->nb, &m.base, &m.base_lo, &m.base_hi);
		range_of(w->v + p->nb, p->nn, &m.new_, &m.new_lo, &m.new_hi);
		if (m.base != 0)
			m.ratio = m.new_ / m.base;
		if (cmp_rule_for(o->ignore, o->nignore, m.name))
			m.verdict = CMP_IGNORED;
		else
			count_verdict(&m, o);
		if (w->kind == CMP_KIND_OUTCOME) {
			const char *a = rep->base.runs[p->ib[0]].r.outcome;
			const char *b = rep->new_.runs[p->in[0]].r.outcome;

			if (m.verdict == CMP_SAME && strcmp(a, b))
				m.verdict = CMP_CHANGED;
			if (strcmp(a, b))
				snprintf(m.note, sizeof(m.note),
					 "'%.150s' -> '%.150s'", a, b);
		}
		if (add_metric(p, &m))
			goto out;
	}
	for (unsigned int d = 0; d < CMP_NDISTS; d++) {
		struct cmp_metric m = {
			.unit = cmp_dists[d].unit, .dir = CMP_LOWER,
			.kind = CMP_KIND_DIST, .ranges = 2,
		};

		snprintf(m.name, sizeof(m.name), "%s", cmp_dists[d].name);
		if (cmp_rule_for(o->ignore, o->nignore, m.name)) {
			m.verdict = CMP_IGNORED;
			m.nb = (unsigned int)p->nb;
			m.nn = (unsigned int)p->nn;
			m.p = m.ratio = m.ci_lo = m.ci_hi = NAN;
		} else {
			dist_verdict(&m, &cmp_dists[d], &rep->base, p->ib,
				     p->nb, &rep->new_, p->in, p->nn, o,
				     rmib_mix64(o->seed ^ (pi << 8) ^ d));
			/* the sim's wall clock times the simulator, on
			 * whatever else the machine was doing */
			if (cmp_dists[d].wall && !o->wall &&
			    !strcmp(rep->base.runs[p->ib[0]].m.backend, "sim")) {
				m.verdict = CMP_IGNORED;
				snprintf(m.note, sizeof(m.note),
					 "the sim's own wall clock: not in the "
					 "verdict (--wall)");
			}
		}
		if (add_metric(p, &m))
			goto out;
	}
	ret = 0;
out:
	vtab_free(&t);
	return ret;
}

/* why the runs of @p cannot be compared, "" if they can */
static void pair_incomparable(const struct cmp_report *rep,
			      struct cmp_pair *p)
{
	const struct cmp_run *b0 = &rep->base.runs[p->ib[0]];
	bool modelled = !cmp_rule_for(rep->o.ignore, rep->o.nignore,
				  cmp_dists[0].name);

	for (size_t i = 0; i < p->nb + p->nn; i++) {
		const struct cmp_run *r = i < p->nb ?
			&rep->base.runs[p->ib[i]] :
			&rep->new_.runs[p->in[i - p->nb]];

		if (strcmp(r->m.backend, b0->m.backend)) {
			snprintf(p->why, sizeof(p->why),
				 "backends differ: %s (%s) and %s (%s)",
				 b0->m.backend, b0->path, r->m.backend,
				 r->path);
			return;
		}
		if (modelled && (strcmp(r->m.cost_source, b0->m.cost_source) ||
				 r->r.cost_model_default !=
				 b0->r.cost_model_default)) {
			snprintf(p->why, sizeof(p->why),
				 "cost models differ: '%.60s' and '%.60s' "
				 "(--ignore %s compares the rest)",
				 b0->m.cost_source, r->m.cost_source,
				 cmp_dists[0].name);
			return;
		}
	}
}

/*
 * When one side's realm died and the other's did not, the runs did
 * different amounts of work: their counts differ, but not for better or
 * worse. The outcome class alone then says which way.
 */
static void outcome_decides(const struct cmp_report *rep, struct cmp_pair *p)
{
	enum run_outcome a = rep->base.runs[p->ib[0]].r.outcome_class;
	enum run_outcome b = rep->new_.runs[p->in[0]].r.outcome_class;

	if (outcome_fails(a) == outcome_fails(b))
		return;
	for (size_t k = 0; k < p->nm; k++) {
		struct cmp_metric *m = &p->m[k];

		if (m->kind == CMP_KIND_OUTCOME ||
		    (m->verdict != CMP_IMPROVED && m->verdict != CMP_REGRESSED))
			continue;
		m->verdict = CMP_CHANGED;
		snprintf(m->note, sizeof(m->note), "the %s run failed (%s): "
			 "the outcome decides", outcome_fails(a) ? "base" :
			 "new", outcome_name(outcome_fails(a) ? a : b));
	}
}

int cmp_compare(struct cmp_report *rep, char *err, size_t errlen)
{
	struct cmp_set sets[2] = { rep->base, rep->new_ };
	size_t *group = NULL, nb = rep->base.n;
	char (*label)[128] = NULL;
	long ng;
	size_t used = 0;
	int ret = -1;

	ng = cmp_group(sets, 2, rep->question, &group, &label);
	if (ng < 0)
		return errmsg(err, errlen, "out of memory");
	/* the question, and settings that differ but may not */
	for (unsigned int f = 0; f < CFG_NFIELDS; f++) {
		const struct cfg_field *cf = &run_config_fields[f];
		char a[200], b[200];

		if (!rep->question[f])
			continue;
		value_set(&rep->base, cf, a, sizeof(a));
		value_set(&rep->new_, cf, b, sizeof(b));
		if (f == CFG_FIELD_seed)
			continue;	/* repeats: never a question */
		if (!under_test[f] && !rep->o.vary[f] && !rep->why[0])
			snprintf(rep->why, sizeof(rep->why),
				 "config.%s differs: %s in %s, %s in %s "
				 "(--vary %s compares anyway)", cf->name, a,
				 rep->base.arg, b, rep->new_.arg, cf->opt);
		used += (size_t)snprintf(rep->question_text + used,
					 used < sizeof(rep->question_text) ?
					 sizeof(rep->question_text) - used : 0,
					 "%s%s %s -> %s", used ? ", " : "",
					 cf->name, a, b);
	}
	rep->pairs = calloc((size_t)ng, sizeof(*rep->pairs));
	if (!rep->pairs) {
		errmsg(err, errlen, "out of memory");
		goto out;
	}
	rep->npairs = (size_t)ng;
	for (size_t j = 0; j < (size_t)ng; j++) {
		struct cmp_pair *p = &rep->pairs[j];

		snprintf(p->label, sizeof(p->label), "%s", label[j]);
		p->ib = calloc(rep->base.n, sizeof(*p->ib));
		p->in = calloc(rep->new_.n, sizeof(*p->in));
		if (!p->ib || !p->in) {
			errmsg(err, errlen, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < rep->base.n + rep->new_.n; i++) {
			if (group[i] != j)
				continue;
			if (i < nb)
				p->ib[p->nb++] = i;
			else
				p->in[p->nn++] = i - nb;
		}
		if (rep->why[0]) {
			snprintf(p->why, sizeof(p->why), "%s", rep->why);
		} else if (!p->nb || !p->nn) {
			snprintf(p->why, sizeof(p->why),
				 "only in %s (%s): no run with these settings "
				 "in %s", p->nb ? "base" : "new",
				 p->nb ? rep->base.runs[p->ib[0]].path :
				 rep->new_.runs[p->in[0]].path,
				 p->nb ? rep->new_.arg : rep->base.arg);
		} else {
			pair_incomparable(rep, p);
		}
		if (p->why[0]) {
			p->verdict = CMP_INCOMPARABLE;
			continue;
		}
		if (compare_pair(rep, p, j)) {
			errmsg(err, errlen, "out of memory");
			goto out;
		}
		outcome_decides(rep, p);
		p->verdict = CMP_SAME;
		for (size_t k = 0; k < p->nm; k++) {
			enum cmp_verdict v = p->m[k].verdict;

			p->nv[v]++;
			if (v <= CMP_REGRESSED && v > p->verdict)
				p->verdict = v;
		}
	}
	rep->verdict = CMP_SAME;
	for (size_t j = 0; j < rep->npairs; j++) {
		enum cmp_verdict v = rep->pairs[j].verdict;

		if (v > rep->verdict)
			rep->verdict = v;
	}
	if (rep->why[0])
		rep->verdict = CMP_INCOMPARABLE;
	ret = 0;
out:
	free(group);
	free(label);
	return ret;
}

void cmp_report_free(struct cmp_report *rep)
{
	for (size_t j = 0; j < rep->npairs; j++) {
		free(rep->pairs[j].ib);
		free(rep->pairs[j].in);
		free(rep->pairs[j].m);
	}
	free(rep->pairs);
	cmp_set_free(&rep->base);
	cmp_set_free(&rep->new_);
}

int cmp_exit_status(const struct cmp_report *rep)
{
	if (rep->verdict == CMP_INCOMPARABLE)
		return 2;
	if (rep->verdict == CMP_REGRESSED)
		return 1;
	if (rep->o.fail_on_change && rep->verdict != CMP_SAME)
		return 1;
	return 0;
}
