// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: a report directory from a set of runs: summary.md for people,
 * runs.tsv and latency.tsv for scripts/plots.gp. The files are described
 * in results/README.md; every one is written atomically.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "counts.h"
#include "result.h"
#include "run.h"

/* ---- formatting helpers ------------------------------------------------------- */

/* "0", "4 KiB", "1.5 GiB" */
void result_fmt_bytes(char *buf, size_t len, uint64_t v)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
					    "PiB", "EiB" };
	unsigned int u = 0;

	if (!v) {
		snprintf(buf, len, "0");
		return;
	}
	while (u < 6 && v >= (1ull << (10 * (u + 1))))
		u++;
	if (!(v & ((1ull << (10 * u)) - 1)))
		snprintf(buf, len, "%llu %s",
			 (unsigned long long)(v >> (10 * u)), unit[u]);
	else
		snprintf(buf, len, "%.1f %s",
			 (double)v / (double)(1ull << (10 * u)), unit[u]);
}

/* A string as one table cell: no line breaks, no column separators. */
static void put_cell(FILE *f, const char *s, bool markdown)
{
	if (!*s) {
		fputs("-", f);
		return;
	}
	for (; *s; s++) {
		if (iscntrl((unsigned char)*s))
			fputc(' ', f);
		else if (markdown && (*s == '|' || *s == '\\'))
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
}

/*
 * Text as a Markdown code span: line breaks and tabs as spaces, other
 * control characters dropped, and fences longer than any run of
 * backticks in it.
 */
static void put_code(FILE *f, const char *s)
{
	size_t run = 0, longest = 0;

	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i <= longest; i++)
		fputc('`', f);
	if (longest || *s == '`')
		fputc(' ', f);
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			fputc(' ', f);
		else if (!iscntrl((unsigned char)*s))
			fputc(*s, f);
	if (longest)
		fputc(' ', f);
	for (size_t i = 0; i <= longest; i++)
		fputc('`', f);
}

/* A label for plots: no quotes or backslashes to escape in gnuplot */
static void put_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (iscntrl((unsigned char)*s) || *s == '"' ||
		    *s == '\\' || *s == '\'')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

static double us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

/*
 * A run whose realm was killed or livelocked before its workload was done
 * (its result's workload_done false), or whose model broke, describes a
 * part: its ratios (calls per fault, RTT pages per GiB, block coverage,
 * latencies) are left out of the tables and plots, which mark it. A run
 * whose workload ran to its end and whose failure came at teardown (a
 * livelock unmapping, granules leaked, the realm killed there) keeps its
 * fault-path figures, all taken before teardown, and is marked with its
 * outcome "at teardown".
 */
bool result_excluded(const struct run_result *r)
{
	return outcome_fails(r->outcome_class) &&
	       (!r->workload_done || r->outcome_class == OUTCOME_INVARIANT);
}

static bool excluded(const struct run_result *r)
{
	return result_excluded(r);
}

static bool teardown_failure(const struct run_result *r)
{
	return outcome_fails(r->outcome_class) && !excluded(r);
}

/* "leak at teardown", for a run teardown_failure() holds for; else "" */
static void teardown_mark(const struct run_result *r, char *buf, size_t len)
{
	if (teardown_failure(r))
		snprintf(buf, len, "%s at teardown",
			 outcome_name(r->outcome_class));
	else
		snprintf(buf, len, "%s", "");
}

/* a latency percentile in us: exact, or "<=" the log2 bound */
static void put_pct(FILE *f, const struct hist *h, double pct)
{
	fprintf(f, "%s%.1f", hist_ll_ok(h) ? "" : "<=",
		us(hist_exact_percentile(h, pct)));
}

/* ---- the settings: those the runs differ in, those they share ------------------ */

/* the table's setting columns that are always there, as its header names them */
static const struct {
	enum cfg_field_id id;
	const char *head;
} fixed_cols[] = {
	{ CFG_FIELD_kernel, "kernel" },
	{ CFG_FIELD_strategy, "strategy" },
	{ CFG_FIELD_delegation, "delegation" },
	{ CFG_FIELD_profile, "profile" },
	{ CFG_FIELD_folio, "folio" },
	{ CFG_FIELD_vcpus, "vCPUs" },
	{ CFG_FIELD_size, "size" },
	{ CFG_FIELD_workload, "workload" },
};
#define NFIXED	(sizeof(fixed_cols) / sizeof(fixed_cols[0]))

static bool fixed_col(int d)
{
	for (size_t i = 0; i < NFIXED; i++)
		if ((int)fixed_cols[i].id == d)
			return true;
	return false;
}

/*
 * A setting's value as the tables give it: sizes in the unit that fits
 * (an address in hex), a flag and an empty file or rule list by their
 * labels in the schema, the rest as the command line writes it.
 */
static void setting_text(const struct run_config *c, const struct cfg_field *f,
			 char *buf, size_t len)
{
	switch (f->kind) {
	case CFG_KIND_SIZE:
		if (!f->hex) {
			result_fmt_bytes(buf, len, f->get(c));
			return;
		}
		break;
	case CFG_KIND_BOOL:
		snprintf(buf, len, "%s", f->get(c) ? f->label : f->label_off);
		return;
	case CFG_KIND_PATH:
	case CFG_KIND_RULES:
		if (!*cfg_str(c, f)) {
			snprintf(buf, len, "%s", f->label_off);
			return;
		}
		break;
	default:
		break;
	}
	cfg_value_text(c, f, buf, len);
}

/* @varies[d]: whether setting d differs between the runs */
static void settings_vary(const struct run_result *rs, size_t n, bool *varies)
{
	for (int d = 0; d < CFG_NFIELDS; d++) {
		varies[d] = false;
		for (size_t i = 1; i < n && !varies[d]; i++)
			varies[d] = !cfg_equal(&rs[0].cfg, &rs[i].cfg,
					       &run_config_fields[d]);
	}
}

/*
 * What every run had, as "kernel v14, size 1 GiB, hotplug 1 GiB": the
 * table's fixed settings that are the same in all runs, then every other
 * setting that is the same in all and not its default. Whether there
 * was one.
 */
static bool put_all_runs(FILE *f, const struct run_result *rs, size_t n,
			 bool markdown)
{
	bool varies[CFG_NFIELDS], any = false;
	struct run_config def;

	if (!n)
		return false;
	settings_vary(rs, n, varies);
	run_config_default(&def);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < (pass ? (size_t)CFG_NFIELDS : NFIXED); k++) {
			int d = pass ? (int)k : (int)fixed_cols[k].id;
			const struct cfg_field *cf = &run_config_fields[d];
			char v[600];

			if (varies[d] || (pass && (fixed_col(d) ||
			    cfg_equal(&rs[0].cfg, &def, cf))))
				continue;
			fprintf(f, "%s%s", any ? ", " : "", cf->opt);
			any = true;
			/* a flag: its name says it */
			if (cf->kind == CFG_KIND_BOOL && cf->get(&rs[0].cfg))
				continue;
			setting_text(&rs[0].cfg, cf, v, sizeof(v));
			fputc(' ', f);
			put_cell(f, v, markdown);
		}
	}
	return any;
}

/* The settings the group labels name, as "size, hotplug, gpt". */
static void put_group_settings(FILE *f, const struct run_result *rs, size_t n)
{
	bool varies[CFG_NFIELDS], any = false;

	settings_vary(rs, n, varies);
	for (int d = 0; d < CFG_NFIELDS; d++) {
		if (!varies[d] || !run_config_fields[d].label)
			continue;
		fprintf(f, "%s%s", any ? ", " : "", run_config_fields[d].opt);
		any = true;
	}
}

/* ---- groups: the runs a strategy is compared within --------------------------- */

/*
 * Runs that differ only in strategy form one group; a group's label names
 * the settings that vary across the whole set of runs, each as its label
 * in the schema says (schema.h), so a set that only varies folio and
 * strategy gets labels like "2m".
 */
static void dim_label(const struct run_config *c, const struct cfg_field *f,
		      char *buf, size_t len)
{
	char v[96];

	if (f->kind == CFG_KIND_BOOL) {
		snprintf(buf, len, "%s", f->get(c) ? f->label : f->label_off);
		return;
	}
	if ((f->kind == CFG_KIND_PATH || f->kind == CFG_KIND_RULES) &&
	    !*cfg_str(c, f)) {
		snprintf(buf, len, "%s", f->label_off);
		return;
	}
	cfg_value_text(c, f, v, sizeof(v));
	snprintf(buf, len, f->label, v);
}

struct groups {
	size_t *idx;		/* per run: its group */
	char (*label)[160];	/* per run: its group's label */
	size_t n;		/* number of groups */
};

static int make_groups(const struct run_result *rs, size_t n,
		       struct groups *g)
{
	bool varies[CFG_NFIELDS];
	size_t *first;

	g->idx = calloc(n ? n : 1, sizeof(*g->idx));
	g->label = calloc(n ? n : 1, sizeof(*g->label));
	first = calloc(n ? n : 1, sizeof(*first));
	if (!g->idx || !g->label || !first) {
		free(g->idx);
		free(g->label);
		free(first);
		return -1;
	}
	settings_vary(rs, n, varies);
	for (int d = 0; d < CFG_NFIELDS; d++)
		varies[d] &= run_config_fields[d].label != NULL;

	g->n = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j, used = 0;

		for (j = 0; j < g->n; j++) {
			const struct run_config *a = &rs[i].cfg;
			const struct run_config *b = &rs[first[j]].cfg;
			int d;

			for (d = 0; d < CFG_NFIELDS; d++)
				if (varies[d] &&
				    !cfg_equal(a, b, &run_config_fields[d]))
					break;
			if (d == CFG_NFIELDS)
				break;
		}
		g->idx[i] = j;
		if (j < g->n) {
			memcpy(g->label[i], g->label[first[j]], sizeof(g->label[i]));
			continue;
		}
		first[g->n++] = i;
		g->label[i][0] = 0;
		for (int d = 0; d < CFG_NFIELDS; d++) {
			char v[96];
			size_t room = sizeof(g->label[i]) - used;
			int w;

			if (!varies[d])
				continue;
			dim_label(&rs[i].cfg, &run_config_fields[d], v,
				  sizeof(v));
			w = snprintf(g->label[i] + used, room, "%s%s",
				     used ? " " : "", v);
			if (w < 0 || (size_t)w >= room)
				break;
			used += (size_t)w;
		}
		if (!used)
			snprintf(g->label[i], sizeof(g->label[i]), "all");
	}
	free(first);
	return 0;
}

static void free_groups(struct groups *g)
{
	free(g->idx);
	free(g->label);
}

/* ---- the three files ------------------------------------------------------------ */

static const char *run_backend(const struct report_opts *o, size_t i)
{
	if (o && o->meta && o->meta[i].backend[0])
		return o->meta[i].backend;
	return "sim";
}

static const char *run_cost_source(const struct run_result *r,
				   const struct report_opts *o, size_t i)
{
	if (o && o->meta && o->meta[i].cost_source[0])
		return o->meta[i].cost_source;
	if (r->cost_model_default)
		return "default (assumed, not measured)";
	return r->cfg.calibration[0] ? r->cfg.calibration : "calibrated";
}

/* "1-3, 5" for the runs (1-based) where pick(i) holds */
static void put_run_list(FILE *f, size_t n, const bool *pick)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		if (!pick[i])
			continue;
		while (j + 1 < n && pick[j + 1])
			j++;
		fprintf(f, "%s%zu", any ? ", " : "", i + 1);
		if (j > i)
			fprintf(f, "-%zu", j + 1);
		any = true;
		i = j;
	}
}

/*
 * The commands the runs' files say made them (a matrix's, metadata.command),
 * each with its runs when they are not all one: "`CMD`", or "runs 1-4:
 * `CMD`; run 5: not recorded".
 */
static void put_commands(FILE *f, const struct run_result *rs, size_t n)
{
	bool *pick = calloc(n ? n : 1, sizeof(*pick));
	bool first = true;
	size_t i, j;

	for (i = 1; i < n; i++)
		if (strcmp(rs[0].command, rs[i].command))
			break;
	if (!n || !pick || (i == n && !rs[0].command[0])) {
		fprintf(f, "not recorded");
		free(pick);
		return;
	}
	if (i == n) {
		put_code(f, rs[0].command);
		free(pick);
		return;
	}
	for (i = 0; i < n; i++) {
		size_t cnt = 0;

		for (j = 0; j < i; j++)
			if (!strcmp(rs[i].command, rs[j].command))
				break;
		if (j < i)
			continue;
		for (j = 0; j < n; j++)
			cnt += pick[j] = !strcmp(rs[i].command, rs[j].command);
		fprintf(f, "%s%s ", first ? "" : "; ", cnt > 1 ? "runs" : "run");
		put_run_list(f, n, pick);
		fprintf(f, ": ");
		if (rs[i].command[0])
			put_code(f, rs[i].command);
		else
			fprintf(f, "not recorded");
		first = false;
	}
	free(pick);
}

static void summary_header(FILE *f, const struct run_result *rs, size_t n,
			   const struct report_opts *o)
{
	bool *pick = calloc(n ? n : 1, sizeof(*pick));
	bool all_default = true, folio_seen[FOLIO_COUNT] = { false };

	fprintf(f, "# rmibench report\n\n");

	/* backends, in order of first appearance */
	fprintf(f, "- **Backend:** ");
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (!strcmp(run_backend(o, i), run_backend(o, j)))
				break;
		if (j == i)
			fprintf(f, "%s%s", i ? ", " : "", run_backend(o, i));
	}
	fprintf(f, "%s\n", n ? "" : "none (no runs)");

	/* cost models */
	for (size_t i = 0; i < n; i++)
		all_default &= rs[i].cost_model_default;
	if (n && all_default) {
		fprintf(f, "- **Cost model:** ASSUMED default costs: latencies are "
			"illustrative, counts are exact.\n");
	} else if (pick) {
		bool first = true;

		fprintf(f, "- **Cost model:**");
		for (size_t i = 0; i < n; i++) {
			const char *src = run_cost_source(&rs[i], o, i);
			size_t j, cnt = 0;

			for (j = 0; j < i; j++)
				if (!strcmp(src, run_cost_source(&rs[j], o, j)))
					break;
			if (j < i)
				continue;
			for (j = 0; j < n; j++) {
				pick[j] = !strcmp(src, run_cost_source(&rs[j], o, j));
				cnt += pick[j];
			}
			fprintf(f, "%s %s ", first ? "" : ";", cnt > 1 ? "runs" : "run");
			put_run_list(f, n, pick);
			if (rs[i].cost_model_default) {
				fprintf(f, ": ASSUMED default costs (latencies "
					"illustrative)");
			} else {
				fprintf(f, ": calibrated from ");
				put_cell(f, src, true);
			}
			first = false;
		}
		fprintf(f, ". Counts are exact whatever the costs.\n");
	}

	/* which case each folio mode describes */
	for (size_t i = 0; i < n; i++)
		if ((unsigned int)rs[i].cfg.folio < FOLIO_COUNT)
			folio_seen[rs[i].cfg.folio] = true;
	fprintf(f, "- **Cases:**\n");
	for (int fm = 0; fm < FOLIO_COUNT; fm++)
		if (folio_seen[fm])
			fprintf(f, "  - folio `%s`: %s\n", folio_name(fm),
				folio_case(fm));

	/* what every run had: the rest is in the table and the groups */
	if (n) {
		fprintf(f, "- **All runs:** ");
		if (!put_all_runs(f, rs, n, true))
			fprintf(f, "(settings differ: see the table)");
		fprintf(f, "\n");
	}
	if (pick) {
		size_t cnt = 0;

		for (size_t i = 0; i < n; i++)
			cnt += pick[i] = excluded(&rs[i]);
		if (cnt) {
			fprintf(f, "- **Excluded:** %s ", cnt > 1 ? "runs" : "run");
			put_run_list(f, n, pick);
			fprintf(f, " (the realm was killed or livelocked before "
				"the workload was done, or the model broke: see "
				"\"outcome\"): %s calls per fault, RTT pages "
				"per GiB, block coverage and latencies describe "
				"a part and are left out (\"excluded\"); the "
				"plots mark %s.\n", cnt > 1 ? "their" : "its",
				cnt > 1 ? "them" : "it");
		}
		cnt = 0;
		for (size_t i = 0; i < n; i++)
			cnt += pick[i] = teardown_failure(&rs[i]);
		if (cnt) {
			fprintf(f, "- **Failed at teardown:** %s ",
				cnt > 1 ? "runs" : "run");
			put_run_list(f, n, pick);
			fprintf(f, " (the workload ran to its end; the failure "
				"named under \"outcome\" came when the realm was "
				"torn down): %s figures, all taken before "
				"teardown, are shown, and the table and the plots "
				"mark %s \"at teardown\".\n",
				cnt > 1 ? "their" : "its", cnt > 1 ? "them" : "it");
		}
	}

	fprintf(f, "- **Reproduce:** ");
	if (o && o->command && o->command[0])
		put_code(f, o->command);
	else
		put_commands(f, rs, n);
	fprintf(f, "; each run alone: the commands under \"Runs\" below.\n\n");
	free(pick);
}

/*
 * The table: a row per run. Its settings are the fixed columns, then a
 * column for every other setting that differs between the runs (in the
 * schema's order, named by its option), so that two rows never look alike
 * when their runs were not.
 */
static void summary_table(FILE *f, const struct run_result *rs, size_t n)
{
	bool varies[CFG_NFIELDS];

	settings_vary(rs, n, varies);
	fprintf(f, "| # |");
	for (size_t k = 0; k < NFIXED; k++)
		fprintf(f, " %s |", fixed_cols[k].head);
	for (int d = 0; d < CFG_NFIELDS; d++)
		if (varies[d] && !fixed_col(d))
			fprintf(f, " %s |", run_config_fields[d].opt);
	fprintf(f, " faults | refaults | RMI calls/fault | "
		"RTTs created | RTT pages peak | RTT pages/GiB mapped | "
		"mapped L1 | mapped L2 | mapped L3 | block coverage | "
		"delegate races | leaks | warnings | p50 fault (us, modelled) | "
		"p99 fault (us, modelled) | outcome |\n");
	fprintf(f, "|--:|");
	for (size_t k = 0; k < NFIXED; k++)
		fprintf(f, "%s|", fixed_cols[k].id == CFG_FIELD_vcpus ||
			fixed_cols[k].id == CFG_FIELD_size ? "--:" : "---");
	for (int d = 0; d < CFG_NFIELDS; d++)
		if (varies[d] && !fixed_col(d))
			fprintf(f, "%s|", run_config_fields[d].kind ==
				CFG_KIND_UINT || run_config_fields[d].kind ==
				CFG_KIND_SIZE ? "--:" : "---");
	fprintf(f, "--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
		"--:|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct run_result *r = &rs[i];
		const struct run_counts *k = &r->counts;
		char l1[32], l2[32], l3[32], v[600];
		bool x = excluded(r);

		result_fmt_bytes(l1, sizeof(l1), k->mapped_bytes[1]);
		result_fmt_bytes(l2, sizeof(l2), k->mapped_bytes[2]);
		result_fmt_bytes(l3, sizeof(l3), k->mapped_bytes[3]);
		fprintf(f, "| %zu |", i + 1);
		for (size_t c = 0; c < NFIXED; c++) {
			setting_text(&r->cfg, &run_config_fields[fixed_cols[c].id],
				     v, sizeof(v));
			fputc(' ', f);
			put_cell(f, v, true);
			fprintf(f, " |");
		}
		for (int d = 0; d < CFG_NFIELDS; d++) {
			if (!varies[d] || fixed_col(d))
				continue;
			setting_text(&r->cfg, &run_config_fields[d], v,
				     sizeof(v));
			fputc(' ', f);
			put_cell(f, v, true);
			fprintf(f, " |");
		}
		fprintf(f, " %llu | %llu | ", (unsigned long long)k->faults,
			(unsigned long long)k->refaults);
		if (x)
			fprintf(f, "excluded");
		else
			fprintf(f, "%.2f", result_calls_per_fault(r));
		fprintf(f, " | %llu | %llu | ",
			(unsigned long long)k->rtts_created,
			(unsigned long long)k->rtt_pages_peak);
		if (x)
			fprintf(f, "excluded");
		else
			fprintf(f, "%.1f", result_rtt_pages_per_gib(r));
		fprintf(f, " | %s | %s | %s | ", l1, l2, l3);
		if (x)
			fprintf(f, "excluded");
		else
			fprintf(f, "%.1f%%", 100.0 * result_block_coverage(r));
		fprintf(f, " | %llu | %llu | %llu | ",
			(unsigned long long)k->delegate_races,
			(unsigned long long)k->leaked_granules,
			(unsigned long long)k->warnings);
		if (x) {
			fprintf(f, "excluded | excluded | ");
		} else {
			put_pct(f, &r->lat_model, 50);
			fprintf(f, " | ");
			put_pct(f, &r->lat_model, 99);
			fprintf(f, " | ");
		}
		teardown_mark(r, v, sizeof(v));
		if (v[0])
			fprintf(f, "**%s**: ", v);
		else if (r->outcome_class != OUTCOME_OK)
			fprintf(f, "**%s**: ", outcome_name(r->outcome_class));
		put_cell(f, r->outcome, true);
		fprintf(f, " |\n");
	}
}

/* the plots a report draws (scripts/plot), in the order it names them */
static const char *const report_plots[] = {
	"calls-per-fault.png", "rtt-pages-per-gib.png", "mapped-bytes.png",
	"latency.png",
};

/*
 * "Plots: a.png, b.png." for those of them that are regular files in
 * @dir now, or that there are none.
 */
static void put_plots(FILE *f, const char *dir)
{
	bool any = false;

	for (size_t i = 0; i < sizeof(report_plots) / sizeof(report_plots[0]);
	     i++) {
		char *p = NULL;
		struct stat st;

		if (asprintf(&p, "%s/%s", dir, report_plots[i]) < 0)
			continue;
		if (!lstat(p, &st) && S_ISREG(st.st_mode) && st.st_size) {
			fprintf(f, "%s%s", any ? ", " : "Plots: ",
				report_plots[i]);
			any = true;
		}
		free(p);
	}
	fprintf(f, "%s\n", any ? "." : "No plots were drawn "
		"(`rmibench report DIR` draws them, with gnuplot).");
}

static void summary_runs(FILE *f, const char *dir, const struct run_result *rs,
			 size_t n, const struct report_opts *o)
{
	fprintf(f, "\n## Runs\n\n");
	for (size_t i = 0; i < n; i++) {
		int len = result_repro_line(&rs[i], NULL, 0);
		char *cmd = malloc((size_t)len + 1);

		fprintf(f, "%zu. ", i + 1);
		if (o && o->names && o->names[i]) {
			fputc('`', f);
			put_cell(f, o->names[i], false);
			fputs("`: ", f);
		}
		if (cmd) {
			char *full = NULL;

			result_repro_line(&rs[i], cmd, (size_t)len + 1);
			/* "rmibench run ...": as rmibench was invoked */
			if (o && o->program && *o->program &&
			    !strncmp(cmd, "rmibench ", 9) &&
			    asprintf(&full, "%s %s", o->program, cmd + 9) > 0) {
				put_code(f, full);
				free(full);
			} else {
				put_code(f, cmd);
			}
			free(cmd);
		}
		fputc('\n', f);
	}
	fprintf(f, "\nThe counts come from the model and are exact for a "
		"deterministic (det) run; latencies are modelled from the cost "
		"table and, for wall-clock figures, depend on the machine. ");
	put_plots(f, dir);
}

/*
 * runs.tsv: the run, its strategy and group, then the settings and the
 * counts the schema marks for it, in the schema's order, then latencies,
 * cost model, backend and outcome. Header and rows from the same loops.
 */
static void runs_tsv_columns(FILE *f, const struct run_result *r)
{
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *c = &run_config_fields[i];
		char v[160];

		if (!c->tsv)
			continue;
		if (r) {
			cfg_value_text(&r->cfg, c, v, sizeof(v));
			put_cell(f, v, false);
		} else {
			fputs(c->name, f);
		}
		fputc('\t', f);
	}
	for (unsigned int i = 0; i < run_counts_nfields; i++) {
		const struct count_field *c = &run_counts_fields[i];

		if (!c->tsv)
			continue;
		switch (c->kind) {
		case COUNT_KIND_U64:
			if (r)
				fprintf(f, "%llu\t", (unsigned long long)
					*count_at(&r->counts, c));
			else
				fprintf(f, "%s\t", c->tsv);
			break;
		case COUNT_KIND_ARRAY:
			for (unsigned int j = 0; j < c->n; j++) {
				if (c->sparse & (1u << j))
					continue;
				if (r)
					fprintf(f, "%llu\t", (unsigned long long)
						count_at(&r->counts, c)[j]);
				else
					fprintf(f, "%s%s\t", c->tsv,
						c->key_name(j));
			}
			break;
		case COUNT_KIND_DERIVED:
			if (r)
				fprintf(f, "%.6g\t", c->derive(r));
			else
				fprintf(f, "%s\t", c->tsv);
			break;
		default:
			break;
		}
	}
}

static void runs_tsv(FILE *f, const struct run_result *rs, size_t n,
		     const struct groups *g, const struct report_opts *o)
{
	fprintf(f, "run\tstrategy\tstrategy_idx\tgroup\tgroup_idx\tlabel\t");
	runs_tsv_columns(f, NULL);
	fprintf(f, "lat_model_p50_ns\tlat_model_p99_ns\tlat_wall_p50_ns\t"
		"lat_wall_p99_ns\tcost_default\tbackend\toutcome\tsize\t"
		"outcome_class\texcluded\tlat_exact\tworkload_done\tmark\t"
		"group_settings\tall_runs\n");
	for (size_t i = 0; i < n; i++) {
		const struct run_result *r = &rs[i];
		const char *sn = rmi_rtt_strategy_name(r->cfg.strategy);
		char mark[48];

		fprintf(f, "%zu\t%s\t%d\t", i + 1, sn, (int)r->cfg.strategy);
		put_label(f, g->label[i]);
		fprintf(f, "\t%zu\t%s ", g->idx[i], sn);
		put_label(f, g->label[i]);
		fputc('\t', f);
		runs_tsv_columns(f, r);
		fprintf(f, "%llu\t%llu\t%llu\t%llu\t%d\t",
			(unsigned long long)hist_exact_percentile(&r->lat_model, 50),
			(unsigned long long)hist_exact_percentile(&r->lat_model, 99),
			(unsigned long long)hist_exact_percentile(&r->lat_wall, 50),
			(unsigned long long)hist_exact_percentile(&r->lat_wall, 99),
			r->cost_model_default ? 1 : 0);
		put_cell(f, run_backend(o, i), false);
		fputc('\t', f);
		put_cell(f, r->outcome, false);
		teardown_mark(r, mark, sizeof(mark));
		fprintf(f, "\t%llu\t%s\t%d\t%d\t%d\t%s\t",
			(unsigned long long)r->cfg.size,
			outcome_name(r->outcome_class), excluded(r) ? 1 : 0,
			hist_ll_ok(&r->lat_model) && hist_ll_ok(&r->lat_wall) ?
			1 : 0, r->workload_done ? 1 : 0, mark);
		put_group_settings(f, rs, n);
		fputc('\t', f);
		put_all_runs(f, rs, n, false);
		fputc('\n', f);
	}
}

static double frac(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / (double)whole : 0.0;
}

static void latency_tsv(FILE *f, const struct run_result *rs, size_t n,
			const struct groups *g)
{
	fprintf(f, "run\tstrategy\tstrategy_idx\tgroup_idx\tlabel\tfolio\tbucket\t"
		"lo_ns\thi_ns\tmodel_count\tmodel_frac\twall_count\twall_frac\t"
		"excluded\n");
	for (size_t i = 0; i < n; i++) {
		const struct hist *m = &rs[i].lat_model, *w = &rs[i].lat_wall;
		const char *sn = rmi_rtt_strategy_name(rs[i].cfg.strategy);
		int lo = -1, hi = -1;

		for (int b = 0; b < HIST_BUCKETS; b++) {
			if (!m->bucket[b] && !w->bucket[b])
				continue;
			if (lo < 0)
				lo = b;
			hi = b;
		}
		/* an empty bucket either side, so that a line starts and ends at 0 */
		if (lo > 0)
			lo--;
		if (hi >= 0 && hi < HIST_BUCKETS - 1)
			hi++;
		for (int b = lo; lo >= 0 && b <= hi; b++) {
			fprintf(f, "%zu\t%s\t%d\t%zu\t%s ", i + 1, sn,
				(int)rs[i].cfg.strategy, g->idx[i], sn);
			put_label(f, g->label[i]);
			fprintf(f, "\t%s\t%d\t%llu\t%llu\t%llu\t%.6g\t%llu\t%.6g\t%d\n",
				folio_name(rs[i].cfg.folio), b,
				b ? 1ull << b : 0ull, (2ull << b) - 1,
				(unsigned long long)m->bucket[b],
				frac(m->bucket[b], m->count),
				(unsigned long long)w->bucket[b],
				frac(w->bucket[b], w->count),
				excluded(&rs[i]) ? 1 : 0);
		}
	}
}

/* ---- writing ---------------------------------------------------------------- */

/* what report_write_dir() and scripts/plot write */
static const char *const report_files[] = {
	"summary.md", "runs.tsv", "latency.tsv", "calls-per-fault.png",
	"rtt-pages-per-gib.png", "mapped-bytes.png", "latency.png",
};

bool report_file_name(const char *name)
{
	for (size_t i = 0; i < sizeof(report_files) / sizeof(report_files[0]);
	     i++)
		if (!strcmp(name, report_files[i]))
			return true;
	return false;
}

static int write_one(const char *dir, const char *name, char *text,
		     size_t len, char *err, size_t errlen)
{
	size_t plen = strlen(dir) + strlen(name) + 2;
	char *path = malloc(plen);
	int ret;

	if (!path) {
		snprintf(err, errlen, "%s/%s: out of memory", dir, name);
		return -1;
	}
	snprintf(path, plen, "%s/%s", dir, name);
	ret = result_write_file_atomic(path, text, len, err, errlen);
	free(path);
	return ret;
}

int report_write_dir(const char *dir, const struct run_result *rs, size_t n,
		     const struct report_opts *o, char *err, size_t errlen)
{
	static const char *const names[] = { "summary.md", "runs.tsv",
					     "latency.tsv" };
	struct groups g;
	int ret = 0;

	if (make_groups(rs, n, &g)) {
		snprintf(err, errlen, "%s: out of memory", dir);
		return -1;
	}
	for (size_t fi = 0; fi < 3 && !ret; fi++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		if (!f) {
			snprintf(err, errlen, "%s/%s: out of memory", dir,
				 names[fi]);
			ret = -1;
			break;
		}
		switch (fi) {
		case 0:
			summary_header(f, rs, n, o);
			summary_table(f, rs, n);
			summary_runs(f, dir, rs, n, o);
			break;
		case 1:
			runs_tsv(f, rs, n, &g, o);
			break;
		default:
			latency_tsv(f, rs, n, &g);
			break;
		}
		if (ferror(f) | fclose(f)) {
			snprintf(err, errlen, "%s/%s: out of memory", dir,
				 names[fi]);
			ret = -1;
		} else {
			ret = write_one(dir, names[fi], text, len, err, errlen);
		}
		free(text);
	}
	free_groups(&g);
	return ret;
}
