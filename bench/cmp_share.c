// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: what `compare` and `history` share (compare.h): the options
 * they both take, their output (stdout, or a file written atomically),
 * and their plot files (a table and a gnuplot script, then gnuplot).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "errmsg.h"

/* ---- options ------------------------------------------------------------------- */

int cmp_parse_double(const char *s, double lo, double hi, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return end == s || *end || !(*v >= lo && *v <= hi) ? -1 : 0;
}

int cmp_rule_add(struct cmp_rule *r, unsigned int *n, const char *pat,
		 double pct)
{
	/* "counts.X" is X */
	if (!strncmp(pat, "counts.", 7))
		pat += 7;
	if (*n == CMP_MAX_RULES || !*pat || strlen(pat) >= sizeof(r->pat))
		return -1;
	snprintf(r[*n].pat, sizeof(r[*n].pat), "%s", pat);
	r[(*n)++].pct = pct;
	return 0;
}

error_t cmp_opt_alpha(const struct argp_state *state, const char *arg,
		      double *out)
{
	if (cmp_parse_double(arg, 1e-12, 0.5, out))
		return cli_bad_value(state, "alpha", arg,
				     "want a probability above 0, at most 0.5");
	return 0;
}

error_t cmp_opt_seed(const struct argp_state *state, const char *arg,
		     uint64_t *out)
{
	if (cli_parse_uint(arg, 0, UINT64_MAX, out))
		return cli_bad_value(state, "seed", arg, "want a whole number");
	return 0;
}

error_t cmp_opt_ignore(const struct argp_state *state, const char *arg,
		       struct cmp_rule *rules, unsigned int *n)
{
	if (cmp_rule_add(rules, n, arg, 0))
		return cli_bad_value(state, "ignore", arg,
				     "a field name, at most 32 rules");
	return 0;
}

/* ---- output -------------------------------------------------------------------- */

int cmp_out_open(struct cmp_out *o, const char *path)
{
	*o = (struct cmp_out){ .path = path };
	o->f = path ? open_memstream(&o->buf, &o->len) : stdout;
	return o->f ? 0 : -1;
}

int cmp_out_close(struct cmp_out *o, char *err, size_t errlen)
{
	int ret = 0;

	if (!o->path) {
		if (fflush(stdout) || ferror(stdout))
			ret = errmsg(err, errlen, "stdout: write error");
		return ret;
	}
	if (fclose(o->f))
		ret = errmsg(err, errlen, "%s: out of memory", o->path);
	else
		ret = cmp_write_text(o->path, o->buf, o->len, err, errlen);
	free(o->buf);
	*o = (struct cmp_out){ 0 };
	return ret;
}

void cmp_out_discard(struct cmp_out *o)
{
	if (o->path && o->f)
		fclose(o->f);
	if (o->path)
		free(o->buf);
	*o = (struct cmp_out){ 0 };
}

/* ---- files, plot files and gnuplot ---------------------------------------------- */

int cmp_plot_begin(struct cmp_plot_files *p, const char *dir,
		   const char *what, const char *columns, unsigned int width,
		   unsigned int height, char *err, size_t errlen)
{
	struct stat st;

	*p = (struct cmp_plot_files){ 0 };
	if (stat(dir, &st) && mkdir(dir, 0755))
		return errmsg(err, errlen, "cannot create %s: %s", dir,
			      strerror(errno));
	p->t = open_memstream(&p->tb, &p->tl);
	p->g = open_memstream(&p->gb, &p->gl);
	if (!p->t || !p->g) {
		cmp_plot_abort(p);
		return errmsg(err, errlen, "out of memory");
	}
	fprintf(p->t, "%s\n", columns);
	fprintf(p->g, "# SPDX-License-Identifier: GPL-2.0-only\n"
		"# rmibench %s\n"
		"set datafile separator tab\n"
		"TERM = strstrt(GPVAL_TERMINALS, 'pngcairo') > 0 ? 'pngcairo' : 'png'\n"
		"set terminal TERM size %u,%u noenhanced\n", what, width,
		height);
	return 0;
}

void cmp_plot_abort(struct cmp_plot_files *p)
{
	if (p->t)
		fclose(p->t);
	if (p->g)
		fclose(p->g);
	free(p->tb);
	free(p->gb);
	*p = (struct cmp_plot_files){ 0 };
}

int cmp_plot_end(struct cmp_plot_files *p, const char *dir, const char *tsv,
		 const char *gp, bool run, char *err, size_t errlen)
{
	char path[4096];
	int ret;

	fclose(p->t);
	fclose(p->g);
	p->t = p->g = NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, tsv);
	ret = cmp_write_text(path, p->tb, p->tl, err, errlen);
	if (!ret) {
		snprintf(path, sizeof(path), "%s/%s", dir, gp);
		ret = cmp_write_text(path, p->gb, p->gl, err, errlen);
	}
	cmp_plot_abort(p);
	if (ret)
		return -1;
	return run ? cmp_gnuplot(dir, gp, err, errlen) : 0;
}

int cmp_write_text(const char *path, const char *text, size_t len,
		   char *err, size_t errlen)
{
	return result_write_file_atomic(path, text, len, err, errlen);
}

int cmp_gnuplot(const char *dir, const char *script, char *err,
		size_t errlen)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return errmsg(err, errlen, "fork: %s", strerror(errno));
	if (!pid) {
		int null = open("/dev/null", 0);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		if (chdir(dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errmsg(err, errlen, "waitpid: %s",
				      strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return errmsg(err, errlen, "gnuplot not found (Debian package "
			      "gnuplot-nox; make deps); the data and %s/%s "
			      "are written", dir, script);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return errmsg(err, errlen, "%s/%s: gnuplot failed", dir, script);
	return 0;
}

