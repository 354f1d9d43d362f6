// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench inject-matrix: the outputs made from the cells. matrix.json
 * (every cell, read back by --diff), matrix.md (the table for people),
 * heatmap.tsv and heatmap.png (gnuplot, scripts/inject-heatmap.gp), and
 * the side-by-side diff of two matrix files.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "errmsg.h"
#include "inject_matrix.h"
#include "json_read.h"
#include "rmm.h"

const struct im_cell *im_matrix_cell(const struct im_matrix *m,
				     unsigned int r, unsigned int c)
{
	for (unsigned int i = 0; i < m->ncells; i++)
		if (!strcmp(m->cells[i].row, m->rows[r].name) &&
		    !strcmp(m->cells[i].col, m->cols[c].name))
			return &m->cells[i];
	return NULL;
}

void im_matrix_free(struct im_matrix *m)
{
	free(m->cols);
	free(m->rows);
	free(m->cells);
	memset(m, 0, sizeof(*m));
}

/* "ERROR_RTT(2)" for ERROR_RTT and any nonzero index, else the name */
static void status_label(unsigned int st, unsigned int index, char *buf,
			 size_t len)
{
	const char *n = rmi_status_name(st);

	if (st == RMI_ERROR_RTT || index)
		snprintf(buf, len, "%s(%u)", n ? n : "?", index);
	else
		snprintf(buf, len, "%s", n ? n : "?");
}

/* ---- matrix.json --------------------------------------------------------- */

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static char *matrix_json(const struct im_matrix *m)
{
	json_object *o = json_object_new_object(), *md, *cols, *rows, *cells;
	json_object *sum;
	char el[32];
	char *s;

	add(o, "schema", jstr(IM_MATRIX_SCHEMA));
	md = json_object_new_object();
	add(md, "version", jstr(m->version));
	add(md, "timestamp", jstr(m->timestamp));
	snprintf(el, sizeof(el), "%.3f", m->elapsed_seconds);
	add(md, "elapsed_seconds", json_object_new_double_s(m->elapsed_seconds,
							    el));
	add(md, "cells_run", ju64(m->cells_run));
	add(md, "cells_reused", ju64(m->cells_reused));
	add(o, "metadata", md);
	add(o, "settings", jstr(m->settings));

	cols = json_object_new_array();
	for (unsigned int i = 0; i < m->ncols; i++) {
		const struct im_col *c = &m->cols[i];
		json_object *co = json_object_new_object(), *b, *calls;

		add(co, "name", jstr(c->name));
		add(co, "kernel", jstr(kernel_name(c->kernel)));
		add(co, "strategy", jstr(rmi_rtt_strategy_name(c->strategy)));
		add(co, "delegation", jstr(deleg_name(c->deleg)));
		add(co, "delegate_only", json_object_new_boolean(c->deleg_only));
		b = json_object_new_object();
		add(b, "outcome_class", jstr(outcome_name(c->base_class)));
		add(b, "outcome", jstr(c->base_outcome));
		calls = json_object_new_object();
		for (unsigned int k = 0; k < RMI_CMD_COUNT; k++)
			if (c->calls[k])
				add(calls, result_cmd_name(k),
				    ju64(c->calls[k]));
		add(b, "calls", calls);
		add(co, "baseline", b);
		json_object_array_add(cols, co);
	}
	add(o, "columns", cols);

	rows = json_object_new_array();
	for (unsigned int i = 0; i < m->nrows; i++) {
		const struct im_row *r = &m->rows[i];
		json_object *ro = json_object_new_object();

		add(ro, "name", jstr(r->name));
		add(ro, "command", jstr(result_cmd_name(r->cmd)));
		add(ro, "status", jstr(rmi_status_name(r->status)));
		add(ro, "index", ju64(r->index));
		add(ro, "trigger", jstr(im_trigger_name(r->trig)));
		json_object_array_add(rows, ro);
	}
	add(o, "rows", rows);

	cells = json_object_new_array();
	for (unsigned int i = 0; i < m->ncells; i++)
		json_object_array_add(cells, im_cell_object(&m->cells[i]));
	add(o, "cells", cells);

	sum = json_object_new_object();
	for (unsigned int c = 0; c < m->ncols; c++) {
		uint64_t n[IM_CLASS_COUNT] = { 0 };
		json_object *so = json_object_new_object();

		for (unsigned int i = 0; i < m->ncells; i++)
			if (!strcmp(m->cells[i].col, m->cols[c].name))
				n[m->cells[i].cls]++;
		for (unsigned int k = 0; k < IM_CLASS_COUNT; k++)
			add(so, im_class_name(k), ju64(n[k]));
		add(sum, m->cols[c].name, so);
	}
	add(o, "summary", sum);

	s = strdup(json_object_to_json_string_ext(o, JSON_FLAGS));
	json_object_put(o);
	return s;
}

/* ---- matrix.md ----------------------------------------------------------- */

/* The footnotes of the table: each distinct detail once. */
struct notes {
	char (*text)[320];
	unsigned int n, cap;
};

static unsigned int note_of(struct notes *nt, const char *text)
{
	for (unsigned int i = 0; i < nt->n; i++)
		if (!strcmp(nt->text[i], text))
			return i + 1;
	if (nt->n == nt->cap) {
		unsigned int cap = nt->cap ? 2 * nt->cap : 32;
		char (*t)[320] = realloc(nt->text, cap * sizeof(*t));

		if (!t)
			return 0;
		nt->text = t;
		nt->cap = cap;
	}
	snprintf(nt->text[nt->n++], sizeof(nt->text[0]), "%s", text);
	return nt->n;
}

/* markdown table cells: no '|' or line breaks */
static void md_clean(char *s)
{
	for (; *s; s++)
		if (*s == '|')
			*s = '/';
		else if (*s == '\n' || *s == '\t')
			*s = ' ';
}

static void md_cell(FILE *f, const struct im_cell *c, struct notes *nt)
{
	char s[64], d[320];
	unsigned int k;

	if (!c) {
		fprintf(f, " · |");
		return;
	}
	im_cell_short(c, s, sizeof(s));
	im_cell_detail(c, d, sizeof(d));
	md_clean(d);
	k = *d ? note_of(nt, d) : 0;
	if (k)
		fprintf(f, " %s [%u] |", s, k);
	else
		fprintf(f, " %s |", s);
}

static void md_table(FILE *f, const struct im_matrix *m, bool delegates,
		     struct notes *nt)
{
	fprintf(f, "| command | status | trigger |");
	for (unsigned int c = 0; c < m->ncols; c++)
		if (delegates || !m->cols[c].deleg_only)
			fprintf(f, " %s |", m->cols[c].name);
	fprintf(f, "\n|---|---|---|");
	for (unsigned int c = 0; c < m->ncols; c++)
		if (delegates || !m->cols[c].deleg_only)
			fprintf(f, "---|");
	fputc('\n', f);
	for (unsigned int r = 0; r < m->nrows; r++) {
		const struct im_row *row = &m->rows[r];
		char st[48];

		if (delegates && !im_cmd_is_delegate(row->cmd))
			continue;
		status_label(row->status, row->index, st, sizeof(st));
		fprintf(f, "| %s | %s | %s |", result_cmd_name(row->cmd), st,
			im_trigger_name(row->trig));
		for (unsigned int c = 0; c < m->ncols; c++)
			if (delegates || !m->cols[c].deleg_only)
				md_cell(f, im_matrix_cell(m, r, c), nt);
		fputc('\n', f);
	}
}

static bool have_deleg_only(const struct im_matrix *m)
{
	for (unsigned int c = 0; c < m->ncols; c++)
		if (m->cols[c].deleg_only)
			return true;
	return false;
}

static int matrix_md(const struct im_matrix *m, char **buf, size_t *len)
{
	struct notes nt = { 0 };
	FILE *f = open_memstream(buf, len);

	if (!f)
		return -1;
	fprintf(f, "# RMI error injection matrix\n\n");
	fprintf(f, "Made by rmibench %s at %s: %u cells (%u run now, %u from "
		"an earlier run), %.1f s.\n\n", m->version, m->timestamp,
		m->ncells, m->cells_run, m->cells_reused, m->elapsed_seconds);
	fprintf(f, "Each cell is one run of\n\n    %s\n\nwith the column's "
		"`--kernel`, `--strategy` and `--delegation` and one "
		"`--inject` rule: the row's command failing with the row's "
		"status, at its first call (`first`: times=1), at the call in "
		"the middle of the baseline's calls of it (`nth`: "
		"space=N,times=1) or from that call on (`persistent`: "
		"space=N). A cell gives what the run came to, the most severe "
		"class that applies: crash, invariant, livelock, leak (with "
		"the granules leaked), killed, warn (with the WARNs), "
		"guest-error (with the errors), recovered (with the failures "
		"injected), not-reached. `·`: no cell (the column's baseline "
		"makes no such call, or its nth call is the first). [n]: the "
		"notes under the table.\n\n", m->settings);

	fprintf(f, "| class |");
	for (unsigned int c = 0; c < m->ncols; c++)
		fprintf(f, " %s |", m->cols[c].name);
	fprintf(f, "\n|---|");
	for (unsigned int c = 0; c < m->ncols; c++)
		fprintf(f, "---:|");
	fputc('\n', f);
	for (unsigned int k = 0; k < IM_CLASS_COUNT; k++) {
		fprintf(f, "| %s |", im_class_name(k));
		for (unsigned int c = 0; c < m->ncols; c++) {
			unsigned int n = 0;

			for (unsigned int i = 0; i < m->ncells; i++)
				n += m->cells[i].cls == k &&
				     !strcmp(m->cells[i].col, m->cols[c].name);
			fprintf(f, " %u |", n);
		}
		fputc('\n', f);
	}
	fprintf(f, "| baseline |");
	for (unsigned int c = 0; c < m->ncols; c++)
		fprintf(f, " %s |", outcome_name(m->cols[c].base_class));
	fprintf(f, "\n\n## The matrix\n\n");
	md_table(f, m, false, &nt);
	if (have_deleg_only(m)) {
		fprintf(f, "\n## Delegation: both variants\n\nThe delegate's "
			"rows again, with each host's other delegation "
			"handling next to its own.\n\n");
		md_table(f, m, true, &nt);
	}
	if (nt.n) {
		fprintf(f, "\n## Notes\n\n");
		for (unsigned int i = 0; i < nt.n; i++)
			fprintf(f, "%u. %s\n", i + 1, nt.text[i]);
	}
	free(nt.text);
	return fclose(f) ? -1 : 0;
}

/* ---- heatmap.tsv --------------------------------------------------------- */

static int heatmap_tsv(const struct im_matrix *m, char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f)
		return -1;
	fprintf(f, "x\ty\tclass_idx\tclass\trow\tcolumn\n");
	for (unsigned int r = 0; r < m->nrows; r++) {
		const struct im_row *row = &m->rows[r];
		char st[48];

		status_label(row->status, row->index, st, sizeof(st));
		for (unsigned int c = 0; c < m->ncols; c++) {
			const struct im_cell *cell = im_matrix_cell(m, r, c);

			if (!cell)
				continue;
			fprintf(f, "%u\t%u\t%d\t%s\t%s %s %s\t%s\n", c, r,
				(int)cell->cls, im_class_name(cell->cls),
				result_cmd_name(row->cmd), st,
				im_trigger_name(row->trig), m->cols[c].name);
		}
	}
	return fclose(f) ? -1 : 0;
}

static int write_buf(const char *dir, const char *name, char *buf,
		     size_t len, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		rc = errmsg(err, errlen, "%s/%s: path too long", dir, name);
	else
		rc = result_write_file_atomic(path, buf, len, err, errlen);
	free(buf);
	return rc;
}

int im_write_outputs(const struct im_matrix *m, const char *dir, char *err,
		     size_t errlen)
{
	char *buf = matrix_json(m);
	size_t len;

	if (!buf)
		return errmsg(err, errlen, "%s/matrix.json: out of memory", dir);
	len = strlen(buf);
	buf[len] = '\n';
	if (write_buf(dir, "matrix.json", buf, len + 1, err, errlen))
		return -1;
	if (matrix_md(m, &buf, &len))
		return errmsg(err, errlen, "%s/matrix.md: out of memory", dir);
	if (write_buf(dir, "matrix.md", buf, len, err, errlen))
		return -1;
	if (heatmap_tsv(m, &buf, &len))
		return errmsg(err, errlen, "%s/heatmap.tsv: out of memory", dir);
	return write_buf(dir, "heatmap.tsv", buf, len, err, errlen);
}

/* ---- the heat map -------------------------------------------------------- */

/* $RMIBENCH_SCRIPTS, else <dir of the binary>/../scripts, else scripts */
static void template_path(char *buf, size_t len)
{
	static const char name[] = "inject-heatmap.gp";
	const char *env = getenv("RMIBENCH_SCRIPTS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s/%s", env, name);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			if ((size_t)snprintf(buf, len, "%s/../scripts/%s", exe,
					     name) < len && !access(buf, R_OK))
				return;
		}
	}
	snprintf(buf, len, "scripts/%s", name);
}

int im_plot(const char *dir, unsigned int nrows, unsigned int ncols,
	    char *err, size_t errlen)
{
	char tpl[PATH_MAX], tsv[PATH_MAX], tmp[PATH_MAX], png[PATH_MAX];
	char rows[16], cols[16];
	int status;
	pid_t pid;

	template_path(tpl, sizeof(tpl));
	if (access(tpl, R_OK))
		return errmsg(err, errlen, "%s: no heat map template (set "
			      "RMIBENCH_SCRIPTS to the scripts folder)", tpl);
	if ((size_t)snprintf(png, sizeof(png), "%s/heatmap.png", dir) >=
	    sizeof(png) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.heatmap.png.%ld", dir,
			     (long)getpid()) >= sizeof(tmp))
		return errmsg(err, errlen, "%s: path too long", dir);
	snprintf(tsv, sizeof(tsv), "%s/heatmap.tsv", dir);
	snprintf(rows, sizeof(rows), "%u", nrows);
	snprintf(cols, sizeof(cols), "%u", ncols);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return errmsg(err, errlen, "fork: %s", strerror(errno));
	if (!pid) {
		sigset_t none;

		/* the caller may hold SIGINT and SIGTERM off: gnuplot not */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execlp("gnuplot", "gnuplot", "-c", tpl, tsv, tmp, rows, cols,
		       (char *)NULL);
		fprintf(stderr, "gnuplot: %s (Debian package gnuplot-nox; "
			"make deps)\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			unlink(tmp);
			return errmsg(err, errlen, "waitpid: %s",
				      strerror(errno));
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		unlink(tmp);
		return errmsg(err, errlen, "%s: gnuplot failed", png);
	}
	if (rename(tmp, png)) {
		int e = errno;

		unlink(tmp);
		return errmsg(err, errlen, "%s: %s", png, strerror(e));
	}
	return 0;
}

/* ---- reading matrix.json back -------------------------------------------- */

static int rd_col(struct rd *c, json_object *o, const char *f,
		  struct im_col *col)
{
	json_object *b, *calls;
	int v, k;

	memset(col, 0, sizeof(*col));
	if (rd_type(c, f, o, json_type_object, "an object") ||
	    rd_str(c, o, f, "name", col->name, sizeof(col->name), false) ||
	    rd_name(c, o, f, "kernel", kernel_from_name, "v14 or v15", &k) ||
	    rd_name(c, o, f, "strategy", strategy_from_name,
		    "full, one-level or block", &v))
		return -1;
	col->kernel = (enum host_version)k;
	col->strategy = (enum rmi_rtt_strategy)v;
	if (rd_name(c, o, f, "delegation", deleg_from_name, "v14 or v15", &v) ||
	    rd_bool(c, o, f, "delegate_only", &col->deleg_only) ||
	    rd_obj(c, o, f, "baseline", &b))
		return -1;
	col->deleg = (enum deleg_variant)v;
	if (rd_name(c, b, "baseline", "outcome_class", outcome_from_name,
		    "an outcome class", &v) ||
	    rd_str(c, b, "baseline", "outcome", col->base_outcome,
		   sizeof(col->base_outcome), false) ||
	    rd_obj(c, b, "baseline", "calls", &calls))
		return -1;
	col->base_class = (enum run_outcome)v;
	json_object_object_foreach(calls, key, val) {
		int ci = result_cmd_index(key);
		char fn[FIELD_MAX];

		field_name(fn, "baseline.calls", key);
		if (ci < 0)
			return rd_fail(c, fn, "not an RMI command");
		if (rd_u64_val(c, fn, val, UINT64_MAX, &col->calls[ci]))
			return -1;
	}
	col->have_baseline = true;
	return 0;
}

static int status_index(const char *s)
{
	int st = rmi_status_from_name(s);

	return st > 0 ? st : -1;
}

static int rd_row(struct rd *c, json_object *o, const char *f,
		  struct im_row *row)
{
	int cmd, st, trig;

	memset(row, 0, sizeof(*row));
	if (rd_type(c, f, o, json_type_object, "an object") ||
	    rd_str(c, o, f, "name", row->name, sizeof(row->name), false) ||
	    rd_name(c, o, f, "command", result_cmd_index, "an RMI command",
		    &cmd) ||
	    rd_name(c, o, f, "status", status_index, "an RMI error status",
		    &st) ||
	    rd_uint(c, o, f, "index", 0, 255, &row->index) ||
	    rd_name(c, o, f, "trigger", im_trigger_from_name,
		    "first, nth or persistent", &trig))
		return -1;
	row->cmd = (unsigned int)cmd;
	row->status = (unsigned int)st;
	row->trig = (enum im_trigger)trig;
	return 0;
}

int im_matrix_read(const char *path, struct im_matrix *m, char *err,
		   size_t errlen)
{
	struct rd c = { .path = path, .err = err, .errlen = errlen };
	json_object *o, *md, *cols, *rows, *cells;
	char schema[64];
	int rc = -1;

	memset(m, 0, sizeof(*m));
	o = load_json_file(path, err, errlen);
	if (!o)
		return -1;
	if (rd_str(&c, o, "", "schema", schema, sizeof(schema), false))
		goto out;
	if (strcmp(schema, IM_MATRIX_SCHEMA)) {
		rd_fail(&c, "schema", "'%s', not '%s'", schema,
			IM_MATRIX_SCHEMA);
		goto out;
	}
	if (rd_obj(&c, o, "", "metadata", &md) ||
	    rd_str(&c, md, "metadata", "version", m->version,
		   sizeof(m->version), false) ||
	    rd_str(&c, md, "metadata", "timestamp", m->timestamp,
		   sizeof(m->timestamp), false) ||
	    rd_num(&c, md, "metadata", "elapsed_seconds",
		   &m->elapsed_seconds) ||
	    rd_uint(&c, md, "metadata", "cells_run", 0, UINT32_MAX,
		    &m->cells_run) ||
	    rd_uint(&c, md, "metadata", "cells_reused", 0, UINT32_MAX,
		    &m->cells_reused) ||
	    rd_str(&c, o, "", "settings", m->settings, sizeof(m->settings),
		   false) ||
	    rd_get(&c, o, "", "columns", json_type_array, "an array", &cols) ||
	    rd_get(&c, o, "", "rows", json_type_array, "an array", &rows) ||
	    rd_get(&c, o, "", "cells", json_type_array, "an array", &cells))
		goto out;
	m->ncols = (unsigned int)json_object_array_length(cols);
	m->nrows = (unsigned int)json_object_array_length(rows);
	m->ncells = (unsigned int)json_object_array_length(cells);
	m->cols = calloc(m->ncols + 1, sizeof(*m->cols));
	m->rows = calloc(m->nrows + 1, sizeof(*m->rows));
	m->cells = calloc(m->ncells + 1, sizeof(*m->cells));
	if (!m->cols || !m->rows || !m->cells) {
		errmsg(err, errlen, "%s: out of memory", path);
		goto out;
	}
	for (unsigned int i = 0; i < m->ncols; i++) {
		char f[32];

		snprintf(f, sizeof(f), "columns[%u]", i);
		if (rd_col(&c, json_object_array_get_idx(cols, i), f,
			   &m->cols[i]))
			goto out;
	}
	for (unsigned int i = 0; i < m->nrows; i++) {
		char f[32];

		snprintf(f, sizeof(f), "rows[%u]", i);
		if (rd_row(&c, json_object_array_get_idx(rows, i), f,
			   &m->rows[i]))
			goto out;
	}
	for (unsigned int i = 0; i < m->ncells; i++) {
		json_object *e = json_object_array_get_idx(cells, i);
		char f[32];

		snprintf(f, sizeof(f), "cells[%u]", i);
		if (rd_type(&c, f, e, json_type_object, "an object") ||
		    im_cell_parse(&c, e, &m->cells[i]))
			goto out;
	}
	rc = 0;
out:
	json_object_put(o);
	if (rc)
		im_matrix_free(m);
	return rc;
}

/* ---- --diff -------------------------------------------------------------- */

static int find_row(const struct im_matrix *m, const char *name)
{
	for (unsigned int i = 0; i < m->nrows; i++)
		if (!strcmp(m->rows[i].name, name))
			return (int)i;
	return -1;
}

static int find_col(const struct im_matrix *m, const char *name)
{
	for (unsigned int i = 0; i < m->ncols; i++)
		if (!strcmp(m->cols[i].name, name))
			return (int)i;
	return -1;
}

static const struct im_cell *cell_at(const struct im_matrix *m,
				     const char *row, const char *col)
{
	int r = find_row(m, row), c = find_col(m, col);

	return r < 0 || c < 0 ? NULL : im_matrix_cell(m, (unsigned int)r,
						      (unsigned int)c);
}

static bool cells_differ(const struct im_cell *a, const struct im_cell *b)
{
	if (!a || !b)
		return a != b;
	return a->cls != b->cls;
}

static void diff_cell_text(const struct im_cell *c, char *buf, size_t len)
{
	if (c)
		im_cell_short(c, buf, len);
	else
		snprintf(buf, len, "·");
}

unsigned int im_diff(FILE *f, const struct im_matrix *a, const char *aname,
		     const struct im_matrix *b, const char *bname)
{
	/* the rows and columns of both: A's, then those only B has */
	const struct im_row **rows;
	const char **cols;
	unsigned int nr = 0, nc = 0, changed = 0, same = 0, rows_changed = 0;

	rows = calloc(a->nrows + b->nrows + 1, sizeof(*rows));
	cols = calloc(a->ncols + b->ncols + 1, sizeof(*cols));
	if (!rows || !cols) {
		free(rows);
		free(cols);
		fprintf(f, "out of memory\n");
		return 1;
	}
	for (unsigned int i = 0; i < a->nrows; i++)
		rows[nr++] = &a->rows[i];
	for (unsigned int i = 0; i < b->nrows; i++)
		if (find_row(a, b->rows[i].name) < 0)
			rows[nr++] = &b->rows[i];
	for (unsigned int i = 0; i < a->ncols; i++)
		cols[nc++] = a->cols[i].name;
	for (unsigned int i = 0; i < b->ncols; i++)
		if (find_col(a, b->cols[i].name) < 0)
			cols[nc++] = b->cols[i].name;

	fprintf(f, "# inject-matrix: %s -> %s\n\n", aname, bname);
	fprintf(f, "A: %s  \nB: %s\n\n", a->settings, b->settings);
	for (unsigned int r = 0; r < nr; r++) {
		bool any = false;

		for (unsigned int c = 0; c < nc; c++) {
			const struct im_cell *x = cell_at(a, rows[r]->name,
							  cols[c]);
			const struct im_cell *y = cell_at(b, rows[r]->name,
							  cols[c]);

			if (cells_differ(x, y)) {
				changed++;
				any = true;
			} else if (x) {
				same++;
			}
		}
		if (!any)
			continue;
		if (!rows_changed++) {
			fprintf(f, "| command | status | trigger |");
			for (unsigned int c = 0; c < nc; c++)
				fprintf(f, " %s |", cols[c]);
			fprintf(f, "\n|---|---|---|");
			for (unsigned int c = 0; c < nc; c++)
				fprintf(f, "---|");
			fputc('\n', f);
		}
		{
			char st[48];

			status_label(rows[r]->status, rows[r]->index, st,
				     sizeof(st));
			fprintf(f, "| %s | %s | %s |",
				result_cmd_name(rows[r]->cmd), st,
				im_trigger_name(rows[r]->trig));
		}
		for (unsigned int c = 0; c < nc; c++) {
			const struct im_cell *x = cell_at(a, rows[r]->name,
							  cols[c]);
			const struct im_cell *y = cell_at(b, rows[r]->name,
							  cols[c]);
			char xs[64], ys[64];

			diff_cell_text(x, xs, sizeof(xs));
			diff_cell_text(y, ys, sizeof(ys));
			if (cells_differ(x, y))
				fprintf(f, " **%s → %s** |", xs, ys);
			else
				fprintf(f, " %s |", xs);
		}
		fputc('\n', f);
	}
	if (rows_changed)
		fputc('\n', f);
	fprintf(f, "%u cells changed class (in %u rows), %u the same.\n",
		changed, rows_changed, same);
	free(rows);
	free(cols);
	return changed;
}
