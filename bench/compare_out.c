// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: what `rmibench compare` writes (compare.h): the terminal
 * table, markdown, JSON, a mailing-list reply, github-action-benchmark
 * JSON, JUnit XML, KCIDB JSON, LAVA test-case lines, and the gnuplot
 * before/after plots.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "compare.h"
#include "errmsg.h"

static const char *const fmt_names[CMP_FMT_COUNT] = {
	[CMP_FMT_TABLE] = "table", [CMP_FMT_MARKDOWN] = "markdown",
	[CMP_FMT_JSON] = "json", [CMP_FMT_EMAIL] = "email",
	[CMP_FMT_GITHUB] = "github", [CMP_FMT_JUNIT] = "junit",
	[CMP_FMT_KCIDB] = "kcidb", [CMP_FMT_LAVA] = "lava",
};

const char *cmp_format_name(enum cmp_format f)
{
	return f < CMP_FMT_COUNT ? fmt_names[f] : "?";
}

int cmp_format_from_name(const char *s)
{
	for (int i = 0; i < CMP_FMT_COUNT; i++)
		if (!strcmp(s, fmt_names[i]))
			return i;
	return -1;
}

/* ---- shared pieces ---------------------------------------------------------------- */

static const char *dir_name(enum cmp_dir d)
{
	return d == CMP_LOWER ? "lower" : d == CMP_HIGHER ? "higher" :
	       "neither";
}

/* whole numbers as such, others with 4 significant digits */
static void num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.6g", v);
}

static void change(char *buf, size_t len, const struct cmp_metric *m)
{
	if (m->kind == CMP_KIND_DIST && !isnan(m->ratio))
		snprintf(buf, len, "%+.1f%%", 100 * (m->ratio - 1));
	else if (m->base == m->new_)
		snprintf(buf, len, "0");
	else if (m->base == 0)
		snprintf(buf, len, "new");
	else if (fabs(m->new_ - m->base) < 10 * fabs(m->base))
		snprintf(buf, len, "%+.1f%%",
			 100 * (m->new_ - m->base) / fabs(m->base));
	else
		snprintf(buf, len, "x%.0f", m->new_ / m->base);
}

/* a metric is listed when it differs, is a distribution, or with --all */
static bool shown(const struct cmp_report *rep, const struct cmp_metric *m)
{
	if (m->verdict == CMP_IGNORED)
		return rep->o.all;
	return rep->o.all || m->kind == CMP_KIND_DIST ||
	       m->verdict != CMP_SAME || m->note[0];
}

/* a distribution's extra line: interval, p, repeats */
static void dist_detail(char *buf, size_t len, const struct cmp_metric *m)
{
	size_t used = 0;

	if (m->verdict == CMP_IGNORED) {
		snprintf(buf, len, "ignored");
		return;
	}
	used = (size_t)snprintf(buf, len, "medians of %llu and %llu samples",
				(unsigned long long)m->samples_b,
				(unsigned long long)m->samples_n);
	if (!isnan(m->ci_lo) && used < len)
		used += (size_t)snprintf(buf + used, len - used,
					 "; ratio %.3f, %g%% CI %.3f..%.3f",
					 m->ratio, 95.0, m->ci_lo, m->ci_hi);
	if (m->note[0] && used < len)
		snprintf(buf + used, len - used, "; %s", m->note);
}

static bool pair_fails(const struct cmp_report *rep, const struct cmp_pair *p)
{
	return p->verdict == CMP_REGRESSED || p->verdict == CMP_INCOMPARABLE ||
	       (rep->o.fail_on_change && p->verdict != CMP_SAME);
}

/* "[A-Za-z0-9_.-]" only: names for LAVA, KCIDB paths, JUnit */
static void ident(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++) {
		char c = s[i];

		buf[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '-' ||
			 c == '_' ? c : '_';
	}
	buf[i] = 0;
}

/* ---- the terminal table and markdown ---------------------------------------------- */

static void write_table(const struct cmp_report *rep, FILE *f, bool md)
{
	fprintf(f, md ? "## rmibench compare: %s -> %s\n\n" :
		"rmibench compare: %s -> %s\n", rep->base.arg, rep->new_.arg);
	fprintf(f, md ? "What differs: %s\n\n" : "what differs: %s\n",
		rep->question_text[0] ? rep->question_text :
		"nothing in the settings");
	if (rep->why[0])
		fprintf(f, md ? "**Incomparable**: %s\n\n" :
			"incomparable: %s\n", rep->why);
	for (size_t j = 0; j < rep->npairs; j++) {
		const struct cmp_pair *p = &rep->pairs[j];

		if (md)
			fprintf(f, "### %zu. %s: %s\n\n", j + 1, p->label,
				cmp_verdict_name(p->verdict));
		else
			fprintf(f, "\n[%zu] %s: %s", j + 1, p->label,
				cmp_verdict_name(p->verdict));
		if (p->verdict == CMP_INCOMPARABLE) {
			fprintf(f, md ? "%s\n\n" : " (%s)\n", p->why);
			continue;
		}
		if (!md)
			fprintf(f, " (%u regressed, %u improved, %u changed, "
				"%u same; %zu+%zu runs)\n", p->nv[CMP_REGRESSED],
				p->nv[CMP_IMPROVED], p->nv[CMP_CHANGED],
				p->nv[CMP_SAME], p->nb, p->nn);
		if (md)
			fprintf(f, "| metric | base | new | change | better | "
				"verdict | note |\n|---|---:|---:|---:|---|---|---|\n");
		else
			fprintf(f, "  %-48s %12s %12s %8s  %s\n", "metric",
				"base", "new", "change", "verdict");
		for (size_t k = 0; k < p->nm; k++) {
			const struct cmp_metric *m = &p->m[k];
			char b[32], n[32], c[32], d[512];

			if (!shown(rep, m))
				continue;
			num(b, sizeof(b), m->base);
			num(n, sizeof(n), m->new_);
			change(c, sizeof(c), m);
			if (m->kind == CMP_KIND_DIST)
				dist_detail(d, sizeof(d), m);
			else
				snprintf(d, sizeof(d), "%s", m->note);
			if (md) {
				fprintf(f, "| `%s`%s | %s | %s | %s | %s | %s | %s |\n",
					m->name,
					m->kind == CMP_KIND_DIST ? " (median)" : "",
					b, n, c, dir_name(m->dir),
					cmp_verdict_name(m->verdict), d);
				continue;
			}
			fprintf(f, "  %-48s %12s %12s %8s  %s\n", m->name, b, n,
				c, cmp_verdict_name(m->verdict));
			if (d[0])
				fprintf(f, "  %-48s %s\n", "", d);
		}
		if (md)
			fputc('\n', f);
	}
	fprintf(f, md ? "\n**Overall: %s**\n\nReproduce: `%s`\n" :
		"\noverall: %s\nreproduce: %s\n", cmp_verdict_name(rep->verdict),
		rep->command);
}

/* ---- JSON -------------------------------------------------------------------------- */

static json_object *jnum(double v)
{
	if (isnan(v) || isinf(v))
		return NULL;
	if (v == floor(v) && fabs(v) < 9e15)
		return json_object_new_int64((int64_t)v);
	return json_object_new_double(v);
}

static json_object *jpair_of(double a, double b)
{
	json_object *o = json_object_new_array();

	json_object_array_add(o, jnum(a));
	json_object_array_add(o, jnum(b));
	return o;
}

static json_object *jfiles(const struct cmp_set *s, const size_t *idx,
			   size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a,
			json_object_new_string(s->runs[idx[i]].path));
	return a;
}

static json_object *jmetric(const struct cmp_metric *m)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(m->name));
	json_object_object_add(o, "unit", json_object_new_string(m->unit));
	json_object_object_add(o, "better",
			       json_object_new_string(dir_name(m->dir)));
	json_object_object_add(o, "verdict",
			       json_object_new_string(cmp_verdict_name(m->verdict)));
	json_object_object_add(o, "base", jnum(m->base));
	json_object_object_add(o, "new", jnum(m->new_));
	json_object_object_add(o, "base_range",
			       jpair_of(m->base_lo, m->base_hi));
	json_object_object_add(o, "new_range", jpair_of(m->new_lo, m->new_hi));
	json_object_object_add(o, "ratio", jnum(m->ratio));
	json_object_object_add(o, "tolerance", jnum(m->tol));
	if (m->kind == CMP_KIND_DIST) {
		json_object_object_add(o, "statistic",
				       json_object_new_string("median"));
		json_object_object_add(o, "samples",
				       jpair_of((double)m->samples_b,
						(double)m->samples_n));
		json_object_object_add(o, "p", jnum(m->p));
		json_object_object_add(o, "ratio_ci",
				       jpair_of(m->ci_lo, m->ci_hi));
	}
	json_object_object_add(o, "note", json_object_new_string(m->note));
	return o;
}

static json_object *jconfig(const struct run_config *c)
{
	json_object *o = json_object_new_object();

	for (unsigned int f = 0; f < CFG_NFIELDS; f++) {
		char v[600];

		cmp_cfg_text(c, &run_config_fields[f], v, sizeof(v));
		json_object_object_add(o, run_config_fields[f].name,
				       json_object_new_string(v));
	}
	return o;
}

static json_object *jreport(const struct cmp_report *rep)
{
	json_object *o = json_object_new_object(), *opt, *pairs, *a;

	json_object_object_add(o, "schema",
			       json_object_new_string("rmibench-compare-1"));
	json_object_object_add(o, "base", json_object_new_string(rep->base.arg));
	json_object_object_add(o, "new", json_object_new_string(rep->new_.arg));
	json_object_object_add(o, "question",
			       json_object_new_string(rep->question_text));
	json_object_object_add(o, "verdict",
			       json_object_new_string(cmp_verdict_name(rep->verdict)));
	json_object_object_add(o, "exit_status",
			       json_object_new_int(cmp_exit_status(rep)));
	json_object_object_add(o, "incomparable",
			       json_object_new_string(rep->why));
	json_object_object_add(o, "command",
			       json_object_new_string(rep->command));
	opt = json_object_new_object();
	json_object_object_add(opt, "threshold", jnum(rep->o.threshold));
	json_object_object_add(opt, "alpha", jnum(rep->o.alpha));
	json_object_object_add(opt, "confidence", jnum(rep->o.conf));
	json_object_object_add(opt, "bootstrap", jnum(rep->o.reps));
	json_object_object_add(opt, "seed", json_object_new_uint64(rep->o.seed));
	json_object_object_add(opt, "min_samples", jnum(rep->o.min_samples));
	a = json_object_new_object();
	for (unsigned int i = 0; i < rep->o.ntol; i++)
		json_object_object_add(a, rep->o.tol[i].pat,
				       jnum(rep->o.tol[i].pct));
	json_object_object_add(opt, "tolerance_pct", a);
	a = json_object_new_array();
	for (unsigned int i = 0; i < rep->o.nignore; i++)
		json_object_array_add(a,
			json_object_new_string(rep->o.ignore[i].pat));
	json_object_object_add(opt, "ignore", a);
	json_object_object_add(opt, "fail_on_change",
			       json_object_new_boolean(rep->o.fail_on_change));
	json_object_object_add(o, "options", opt);
	pairs = json_object_new_array();
	for (size_t j = 0; j < rep->npairs; j++) {
		const struct cmp_pair *p = &rep->pairs[j];
		json_object *po = json_object_new_object(), *ms;

		json_object_object_add(po, "label",
				       json_object_new_string(p->label));
		json_object_object_add(po, "verdict",
				       json_object_new_string(cmp_verdict_name(p->verdict)));
		json_object_object_add(po, "incomparable",
				       json_object_new_string(p->why));
		json_object_object_add(po, "base_files",
				       jfiles(&rep->base, p->ib, p->nb));
		json_object_object_add(po, "new_files",
				       jfiles(&rep->new_, p->in, p->nn));
		if (p->nb)
			json_object_object_add(po, "base_config",
				jconfig(&rep->base.runs[p->ib[0]].r.cfg));
		if (p->nn)
			json_object_object_add(po, "new_config",
				jconfig(&rep->new_.runs[p->in[0]].r.cfg));
		ms = json_object_new_array();
		for (size_t k = 0; k < p->nm; k++)
			json_object_array_add(ms, jmetric(&p->m[k]));
		json_object_object_add(po, "metrics", ms);
		json_object_array_add(pairs, po);
	}
	json_object_object_add(o, "pairs", pairs);
	return o;
}

static int write_json(FILE *f, json_object *o)
{
	const char *s = json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	int ret = fprintf(f, "%s\n", s) < 0 ? -1 : 0;

	json_object_put(o);
	return ret;
}

/* ---- e-mail: plain text within 72 columns ---------------------------------------- */

#define EMAIL_COLS	72

/* @text wrapped at spaces to EMAIL_COLS, each line after @indent */
static void wrap(FILE *f, const char *indent, const char *text, bool shell)
{
	size_t col = 0, ind = strlen(indent);
	const char *s = text;

	while (*s) {
		const char *e = strchr(s, ' ');
		size_t w = e ? (size_t)(e - s) : strlen(s);
		size_t room = EMAIL_COLS - (shell ? 2 : 0);

		if (col && col + 1 + w > room) {
			fprintf(f, "%s\n", shell ? " \\" : "");
			col = 0;
		}
		if (!col) {
			fprintf(f, "%s%s", indent, shell && s != text ? "    " : "");
			col = ind + (shell && s != text ? 4 : 0);
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(s, 1, w, f);
		col += w;
		s += w;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
}

static void email_set(FILE *f, const char *what, const struct cmp_set *s)
{
	const struct cmp_run *r = &s->runs[0];
	char line[512];

	snprintf(line, sizeof(line), "%s %s: %zu run%s, rmibench %s, "
		 "backend %s, %s costs", what, s->arg, s->n,
		 s->n == 1 ? "" : "s", r->m.version, r->m.backend,
		 r->r.cost_model_default ? "assumed (default)" : "calibrated");
	wrap(f, "", line, false);
}

static void write_email(const struct cmp_report *rep, FILE *f)
{
	unsigned int nbreak;
	char line[1024], last[320] = "";

	snprintf(line, sizeof(line), "What changes: %s.",
		 rep->question_text[0] ? rep->question_text :
		 "nothing in the settings (same configuration)");
	wrap(f, "", line, false);
	email_set(f, "Base", &rep->base);
	email_set(f, "New", &rep->new_);
	if (rep->why[0]) {
		snprintf(line, sizeof(line), "Incomparable: %s", rep->why);
		wrap(f, "", line, false);
	}
	for (size_t j = 0; j < rep->npairs; j++) {
		const struct cmp_pair *p = &rep->pairs[j];

		fputc('\n', f);
		snprintf(line, sizeof(line), "%s: %s", p->label,
			 cmp_verdict_name(p->verdict));
		wrap(f, "", line, false);
		if (p->verdict == CMP_INCOMPARABLE) {
			wrap(f, "  ", p->why, false);
			continue;
		}
		if (rep->npairs == 1) {
			result_repro_line(&rep->base.runs[p->ib[0]].r,
					    line, sizeof(line));
			fprintf(f, "Base run:\n");
			wrap(f, "  ", line, true);
			result_repro_line(&rep->new_.runs[p->in[0]].r,
					    line, sizeof(line));
			fprintf(f, "New run:\n");
			wrap(f, "  ", line, true);
			fputc('\n', f);
		}
		fprintf(f, "  %-28s %11s %11s %8s\n", "", "base", "new",
			"change");
		nbreak = 0;
		for (size_t k = 0; k < p->nm; k++) {
			const struct cmp_metric *m = &p->m[k];
			char b[32], n[32], c[32], d[400];
			const char *v = m->verdict == CMP_IMPROVED ? "better" :
					m->verdict == CMP_REGRESSED ? "WORSE" :
					m->verdict == CMP_CHANGED ? "changed" :
					m->verdict == CMP_FEW ? "n/a" : "";

			if (!shown(rep, m) || m->verdict == CMP_IGNORED)
				continue;
			/* breakdowns with no direction: counted, not listed */
			if (m->dir == CMP_NEUTRAL && !rep->o.all) {
				nbreak++;
				continue;
			}
			num(b, sizeof(b), m->base);
			num(n, sizeof(n), m->new_);
			change(c, sizeof(c), m);
			if (strlen(m->name) > 28)
				fprintf(f, "  %s%s\n  %-28s", m->name,
					m->kind == CMP_KIND_DIST ? " (median)" : "",
					"");
			else
				fprintf(f, "  %-28s", m->name);
			fprintf(f, " %11s %11s %8s", b, n, c);
			fprintf(f, *v ? " %7s\n" : "\n", v);
			if (m->kind == CMP_KIND_DIST) {
				dist_detail(d, sizeof(d), m);
				wrap(f, "      ", d, false);
			} else if (m->note[0] && strcmp(m->note, last)) {
				wrap(f, "      ", m->note, false);
				snprintf(last, sizeof(last), "%s", m->note);
			}
		}
		if (nbreak) {
			snprintf(line, sizeof(line), "and %u breakdown counts "
				 "(calls by command and status, faults by kind, "
				 "bytes by level...) changed, neither better nor "
				 "worse: --all lists them.", nbreak);
			wrap(f, "  ", line, false);
		}
	}
	fputc('\n', f);
	snprintf(line, sizeof(line), "Verdict: %s (%s exits %d). Counts are "
		 "exact in the sim; a distribution differs when the Mann-Whitney "
		 "U test gives p < %g, the %g%% bootstrap interval of the median "
		 "ratio excludes 1 and the change is at least %g%%.",
		 cmp_verdict_name(rep->verdict), "rmibench compare",
		 cmp_exit_status(rep), rep->o.alpha, 100 * rep->o.conf,
		 100 * rep->o.threshold);
	wrap(f, "", line, false);
	if (rep->base.runs[0].r.cost_model_default)
		wrap(f, "", "Modelled latencies use the assumed default cost "
		     "table: illustrative, not measured.", false);
	fprintf(f, "Reproduce:\n");
	wrap(f, "  ", rep->command, true);
}

/* ---- github-action-benchmark: customSmallerIsBetter ----------------------------- */

static int write_github(const struct cmp_report *rep, FILE *f)
{
	json_object *a = json_object_new_array();

	for (size_t j = 0; j < rep->npairs; j++) {
		const struct cmp_pair *p = &rep->pairs[j];

		for (size_t k = 0; k < p->nm; k++) {
			const struct cmp_metric *m = &p->m[k];
			json_object *o;
			char name[300], extra[400], b[32];

			/* smaller is better only; neutral and higher-is-better
			 * values would raise false alerts */
			if (m->dir != CMP_LOWER || m->verdict == CMP_IGNORED ||
			    isnan(m->new_) || m->kind == CMP_KIND_OUTCOME)
				continue;
			snprintf(name, sizeof(name), "%s: %s%s", p->label,
				 m->name,
				 m->kind == CMP_KIND_DIST ? " (median)" : "");
			num(b, sizeof(b), m->base);
			snprintf(extra, sizeof(extra), "base %s; %s%s%s", b,
				 cmp_verdict_name(m->verdict),
				 m->note[0] ? "; " : "", m->note);
			o = json_object_new_object();
			json_object_object_add(o, "name",
					       json_object_new_string(name));
			json_object_object_add(o, "unit",
					       json_object_new_string(m->unit));
			json_object_object_add(o, "value", json_object_new_double(m->new_));
			if (m->nn > 1) {
				snprintf(b, sizeof(b), "%.6g..%.6g", m->new_lo,
					 m->new_hi);
				json_object_object_add(o, "range",
						       json_object_new_string(b));
			}
			json_object_object_add(o, "extra",
					       json_object_new_string(extra));
			json_object_array_add(a, o);
		}
	}
	return write_json(f, a);
}

/* ---- JUnit XML ------------------------------------------------------------------------- */

static void xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c < 0x20 && c != '\n' && c != '\t')
			fputc(' ', f);
		else
			fputc(c, f);
	}
}

static void metric_line(char *buf, size_t len, const struct cmp_metric *m)
{
	char b[32], n[32], c[32];

	num(b, sizeof(b), m->base);
	num(n, sizeof(n), m->new_);
	change(c, sizeof(c), m);
	snprintf(buf, len, "%s%s: %s -> %s (%s) %s%s%s", m->name,
		 m->kind == CMP_KIND_DIST ? " (median)" : "", b, n, c,
		 cmp_verdict_name(m->verdict), m->note[0] ? "; " : "",
		 m->note);
}

static void write_junit(const struct cmp_report *rep, FILE *f)
{
	unsigned int fails = 0, errors = 0;

	for (size_t j = 0; j < rep->npairs; j++) {
		if (rep->pairs[j].verdict == CMP_INCOMPARABLE)
			errors++;
		else if (pair_fails(rep, &rep->pairs[j]))
			fails++;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"rmibench compare\" tests=\"%zu\" "
		"failures=\"%u\" errors=\"%u\">\n", rep->npairs, fails, errors);
	fprintf(f, "  <testsuite name=\"rmibench.compare\" tests=\"%zu\" "
		"failures=\"%u\" errors=\"%u\" skipped=\"0\">\n", rep->npairs,
		fails, errors);
	fprintf(f, "    <properties>\n");
	fprintf(f, "      <property name=\"base\" value=\"");
	xml(f, rep->base.arg);
	fprintf(f, "\"/>\n      <property name=\"new\" value=\"");
	xml(f, rep->new_.arg);
	fprintf(f, "\"/>\n      <property name=\"question\" value=\"");
	xml(f, rep->question_text);
	fprintf(f, "\"/>\n      <property name=\"verdict\" value=\"%s\"/>\n",
		cmp_verdict_name(rep->verdict));
	fprintf(f, "    </properties>\n");
	for (size_t j = 0; j < rep->npairs; j++) {
		const struct cmp_pair *p = &rep->pairs[j];
		char line[600];

		fprintf(f, "    <testcase classname=\"rmibench.compare\" name=\"");
		xml(f, p->label);
		fprintf(f, "\" time=\"0\">\n");
		if (p->verdict == CMP_INCOMPARABLE) {
			fprintf(f, "      <error type=\"incomparable\" message=\"");
			xml(f, p->why);
			fprintf(f, "\"/>\n");
		} else if (pair_fails(rep, p)) {
			fprintf(f, "      <failure type=\"%s\" message=\"%s: "
				"%u regressed, %u improved, %u changed\">",
				cmp_verdict_name(p->verdict),
				cmp_verdict_name(p->verdict),
				p->nv[CMP_REGRESSED], p->nv[CMP_IMPROVED],
				p->nv[CMP_CHANGED]);
			for (size_t k = 0; k < p->nm; k++) {
				if (p->m[k].verdict == CMP_SAME ||
				    p->m[k].verdict >= CMP_INCOMPARABLE)
					continue;
				metric_line(line, sizeof(line), &p->m[k]);
				xml(f, line);
				fputc('\n', f);
			}
			fprintf(f, "</failure>\n");
		}
		fprintf(f, "      <system-out>verdict: %s\n",
			cmp_verdict_name(p->verdict));
		for (size_t k = 0; k < p->nm; k++) {
			if (!shown(rep, &p->m[k]))
				continue;
			metric_line(line, sizeof(line), &p->m[k]);
			xml(f, line);
			fputc('\n', f);
		}
		fprintf(f, "</system-out>\n    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}

/* ---- KCIDB (I/O schema v4) ------------------------------------------------------------ */

static const char *kcidb_status(const struct cmp_report *rep,
				const struct cmp_pair *p)
{
	if (p->verdict == CMP_INCOMPARABLE)
		return "ERROR";
	return pair_fails(rep, p) ? "FAIL" : "PASS";
}

static int write_kcidb(const struct cmp_report *rep, FILE *f)
{
	const struct cmp_run *n0 = &rep->new_.runs[0];
	json_object *o = json_object_new_object(), *v, *co, *bo, *tests, *misc;
	char id[600], cid[200], bid[240], git[80];

	v = json_object_new_object();
	json_object_object_add(v, "major", json_object_new_int(4));
	json_object_object_add(v, "minor", json_object_new_int(3));
	json_object_object_add(o, "version", v);

	/* the checkout: the tree under test, the new set's rmibench and
	 * series version; the build: rmibench on its backend */
	ident(git, sizeof(git), n0->m.git[0] ? n0->m.git : n0->m.version);
	snprintf(cid, sizeof(cid), "rmibench:%s-%s", git,
		 kernel_name(n0->r.cfg.kernel));
	snprintf(bid, sizeof(bid), "%s-%s", cid, n0->m.backend);
	co = json_object_new_object();
	json_object_object_add(co, "id", json_object_new_string(cid));
	json_object_object_add(co, "origin", json_object_new_string("rmibench"));
	json_object_object_add(co, "git_commit_name",
			       json_object_new_string(n0->m.git[0] ? n0->m.git :
						      n0->m.version));
	json_object_object_add(co, "comment",
			       json_object_new_string(rep->question_text[0] ?
						      rep->question_text :
						      "rmibench compare"));
	json_object_object_add(co, "valid", json_object_new_boolean(true));
	misc = json_object_new_object();
	json_object_object_add(misc, "series_version",
			       json_object_new_string(kernel_name(n0->r.cfg.kernel)));
	json_object_object_add(misc, "base", json_object_new_string(rep->base.arg));
	json_object_object_add(misc, "new", json_object_new_string(rep->new_.arg));
	json_object_object_add(co, "misc", misc);
	v = json_object_new_array();
	json_object_array_add(v, co);
	json_object_object_add(o, "checkouts", v);

	bo = json_object_new_object();
	json_object_object_add(bo, "id", json_object_new_string(bid));
	json_object_object_add(bo, "checkout_id", json_object_new_string(cid));
	json_object_object_add(bo, "origin", json_object_new_string("rmibench"));
	snprintf(id, sizeof(id), "rmibench %s, backend %s", n0->m.version,
		 n0->m.backend);
	json_object_object_add(bo, "comment", json_object_new_string(id));
	json_object_object_add(bo, "valid", json_object_new_boolean(true));
	misc = json_object_new_object();
	json_object_object_add(misc, "backend",
			       json_object_new_string(n0->m.backend));
	json_object_object_add(misc, "cost_model",
			       json_object_new_string(n0->m.cost_source));
	json_object_object_add(bo, "misc", misc);
	v = json_object_new_array();
	json_object_array_add(v, bo);
	json_object_object_add(o, "builds", v);

	tests = json_object_new_array();
	for (size_t j = 0; j < rep->npairs; j++) {
		const struct cmp_pair *p = &rep->pairs[j];
		json_object *t = json_object_new_object(), *ms;
		char path[200];

		ident(path, sizeof(path), p->label);
		snprintf(id, sizeof(id), "%s:compare-%zu-%s", bid, j + 1, path);
		json_object_object_add(t, "id", json_object_new_string(id));
		json_object_object_add(t, "build_id", json_object_new_string(bid));
		json_object_object_add(t, "origin",
				       json_object_new_string("rmibench"));
		snprintf(id, sizeof(id), "rmibench.compare.%s", path);
		json_object_object_add(t, "path", json_object_new_string(id));
		json_object_object_add(t, "status",
				       json_object_new_string(kcidb_status(rep, p)));
		snprintf(id, sizeof(id), "%s: %s", p->label,
			 cmp_verdict_name(p->verdict));
		json_object_object_add(t, "comment", json_object_new_string(id));
		misc = json_object_new_object();
		json_object_object_add(misc, "verdict",
				       json_object_new_string(cmp_verdict_name(p->verdict)));
		json_object_object_add(misc, "incomparable",
				       json_object_new_string(p->why));
		ms = json_object_new_array();
		for (size_t k = 0; k < p->nm; k++)
			if (shown(rep, &p->m[k]))
				json_object_array_add(ms, jmetric(&p->m[k]));
		json_object_object_add(misc, "metrics", ms);
		json_object_object_add(t, "misc", misc);
		json_object_array_add(tests, t);
	}
	json_object_object_add(o, "tests", tests);
	return write_json(f, o);
}

/* ---- LAVA: lava-test-case lines ------------------------------------------------------- */

static void write_lava(const struct cmp_report *rep, FILE *f)
{
	for (size_t j = 0; j < rep->npairs; j++) {
		const struct cmp_pair *p = &rep->pairs[j];
		char name[160], mname[300], unit[64];

		/* LAVA keeps test case names of up to 100 characters: the
		 * label's first 40, a value's last 46 (its most specific) */
		ident(name, 41, p->label);
		fprintf(f, "lava-test-case compare.%zu.%s --result %s\n", j + 1,
			name, pair_fails(rep, p) ? "fail" : "pass");
		for (size_t k = 0; k < p->nm; k++) {
			const struct cmp_metric *m = &p->m[k];
			char v[32];

			if (!shown(rep, m) || isnan(m->new_) ||
			    m->verdict >= CMP_INCOMPARABLE)
				continue;
			ident(mname, sizeof(mname), m->name);
			if (strlen(mname) > 46)
				memmove(mname, mname + strlen(mname) - 46, 47);
			ident(unit, sizeof(unit), m->unit);
			snprintf(v, sizeof(v), "%.17g", m->new_);
			fprintf(f, "lava-test-case compare.%zu.%s.%s --result %s "
				"--measurement %s --units %s\n", j + 1, name,
				mname, m->verdict == CMP_REGRESSED ? "fail" :
				"pass", v, unit[0] ? unit : "none");
		}
	}
}

int cmp_write(const struct cmp_report *rep, enum cmp_format fmt, FILE *f)
{
	int ret = 0;

	switch (fmt) {
	case CMP_FMT_TABLE:
	case CMP_FMT_MARKDOWN:
		write_table(rep, f, fmt == CMP_FMT_MARKDOWN);
		break;
	case CMP_FMT_JSON:
		ret = write_json(f, jreport(rep));
		break;
	case CMP_FMT_EMAIL:
		write_email(rep, f);
		break;
	case CMP_FMT_GITHUB:
		ret = write_github(rep, f);
		break;
	case CMP_FMT_JUNIT:
		write_junit(rep, f);
		break;
	case CMP_FMT_KCIDB:
		ret = write_kcidb(rep, f);
		break;
	case CMP_FMT_LAVA:
		write_lava(rep, f);
		break;
	default:
		return -1;
	}
	if (fflush(f) || ferror(f))
		ret = -1;
	return ret;
}

/* the text of an open_memstream into DIR/NAME, atomically */
static int put_file(const char *dir, const char *name, char *buf, size_t len,
		    char *err, size_t errlen)
{
	char path[4096];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = cmp_write_text(path, buf, len, err, errlen);
	free(buf);
	return ret;
}

#define MAX_PLOT_PAIRS	64
#define MAX_BARS	12

/* gnuplot's string: no quotes or backslashes */
static void gp_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20)
			fputc(*s, f);
	fputc('"', f);
}

int cmp_plots(const struct cmp_report *rep, const char *dir, char *err,
	      size_t errlen)
{
	size_t np = rep->npairs < MAX_PLOT_PAIRS ? rep->npairs : MAX_PLOT_PAIRS;
	struct cmp_plot_files pf;
	FILE *t, *g;

	if (cmp_plot_begin(&pf, dir, "compare: before/after plots (gnuplot "
			   "compare.gp)", "pair\tlabel\tmetric\tbase\tnew\t"
			   "ratio\tverdict", 1000, 600, err, errlen))
		return -1;
	t = pf.t;
	g = pf.g;
	fprintf(g, "set key outside top center horizontal\n"
		"set grid ytics\n");
	for (size_t j = 0; j < np; j++) {
		const struct cmp_pair *p = &rep->pairs[j];
		unsigned int nbars = 0;
		char *db = NULL, name[64];
		size_t dl = 0;
		FILE *d;

		if (p->verdict == CMP_INCOMPARABLE)
			continue;
		/* counts: new / base for the metrics that differ, those with
		 * a direction first */
		for (size_t k = 0; k < 2 * p->nm && nbars < MAX_BARS; k++) {
			const struct cmp_metric *m = &p->m[k % p->nm];

			if (m->kind == CMP_KIND_DIST ||
			    m->verdict == CMP_SAME || m->verdict >= CMP_INCOMPARABLE ||
			    m->base == 0 || (m->dir == CMP_NEUTRAL) != (k >= p->nm))
				continue;
			fprintf(t, "%zu\t%s\t%s\t%.17g\t%.17g\t%.17g\t%s\n",
				j + 1, p->label, m->name, m->base, m->new_,
				m->new_ / m->base, cmp_verdict_name(m->verdict));
			nbars++;
		}
		if (nbars) {
			fprintf(g, "set output 'counts-%zu.png'\n", j + 1);
			fprintf(g, "set title ");
			gp_str(g, p->label);
			fprintf(g, " . ': counts that differ, new / base (base = 1)'\n"
				"set style data histograms\n"
				"set style histogram clustered gap 1\n"
				"set style fill solid 0.8 border -1\n"
				"set xtics rotate by -35 left\nset logscale y\n"
				"set bmargin 14\nset rmargin 12\n"
				"set ylabel 'relative to base'\n"
				"plot '< awk -F\"\\t\" \"\\$1==%zu\" compare.tsv' "
				"using (1):xtic(3) title 'base' lc rgb '#999999', "
				"'' using 6 title 'new' lc rgb '#1b9e77'\n"
				"unset logscale y\nunset xtics\nset xtics\n"
				"unset bmargin\nunset rmargin\n"
				"set style data lines\n", j + 1);
		}
		/* distributions: each bin's fraction, base and new */
		d = open_memstream(&db, &dl);
		if (!d)
			goto oom;
		fprintf(d, "dist\tbin\tlo\thi\tbase_frac\tnew_frac\n");
		for (unsigned int k = 0; k < CMP_NDISTS; k++) {
			struct hist ha = { 0 }, hb = { 0 };
			struct stat_bins a, b;

			for (size_t i = 0; i < p->nb; i++)
				hist_merge(&ha, (const void *)((const char *)
					&rep->base.runs[p->ib[i]].r +
					cmp_dists[k].off));
			for (size_t i = 0; i < p->nn; i++)
				hist_merge(&hb, (const void *)((const char *)
					&rep->new_.runs[p->in[i]].r +
					cmp_dists[k].off));
			stat_bins_from_hist(&a, &ha);
			stat_bins_from_hist(&b, &hb);
			for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
				if (!ha.bucket[i] && !hb.bucket[i])
					continue;
				fprintf(d, "%u\t%u\t%.0f\t%.0f\t%.6g\t%.6g\n", k, i,
					i ? ldexp(1, (int)i) : 0.0,
					ldexp(1, (int)i + 1) - 1,
					ha.count ? (double)ha.bucket[i] / (double)ha.count : 0,
					hb.count ? (double)hb.bucket[i] / (double)hb.count : 0);
			}
			fprintf(d, "\n\n");
		}
		fclose(d);
		snprintf(name, sizeof(name), "dist-%zu.tsv", j + 1);
		if (put_file(dir, name, db, dl, err, errlen))
			goto fail;
		fprintf(g, "set output 'dist-%zu.png'\n"
			"set terminal TERM size 1200,450 noenhanced\n"
			"set multiplot layout 1,3 title ", j + 1);
		gp_str(g, p->label);
		fprintf(g, " . ': distributions, base and new '"
			" . '(each log2 bin at its low end)'\n"
			"set logscale x 2\nset yrange [0:1.05]\n"
			"set offsets graph 0.05, graph 0.05, 0, 0\n"
			"set format x '%%.0s%%c'\nset xtics rotate by -30\n"
			"set ylabel 'fraction of samples'\n");
		for (unsigned int k = 0; k < CMP_NDISTS; k++)
			fprintf(g, "set title '%s'\n"
				"set xlabel '%s'\n"
				"plot 'dist-%zu.tsv' index %u using ($3 > 0 ? $3 : 1):5 "
				"with linespoints pt 7 lw 2 dt 2 lc rgb '#777777' "
				"title 'base', '' index %u using ($3 > 0 ? $3 : 1):6 "
				"with linespoints pt 6 ps 1.5 lw 2 lc rgb '#1b9e77' "
				"title 'new'\n",
				cmp_dists[k].name + strlen("distributions."),
				cmp_dists[k].unit, j + 1, k, k);
		fprintf(g, "unset multiplot\nunset logscale x\nset offsets\n"
			"set format x '%%g'\nset xtics norotate\n"
			"set terminal TERM size 1000,600 noenhanced\n"
			"unset ylabel\nunset xlabel\nset yrange [*:*]\n");
	}
	return cmp_plot_end(&pf, dir, "compare.tsv", "compare.gp", true, err,
			    errlen);
oom:
	errmsg(err, errlen, "out of memory");
fail:
	cmp_plot_abort(&pf);
	return -1;
}
