// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzz target fuzz_matrix: the injection matrix's readers, which
 * `rmibench inject-matrix` runs on files it finds when it resumes (cell
 * files) and `--diff` on two matrix.json files, on arbitrary bytes given
 * as a file. What must hold: no crash or hang; refusals are one line; an
 * accepted cell is written again (im_cell_write) and reads back the same;
 * an accepted matrix is written again (im_write_outputs: its JSON, table
 * and heat-map data) and reads back with the same cells, and its --diff
 * against itself finds no cell changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "inject_matrix.h"
#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz_matrix: %s%s%s\n", what, err ? ": " : "",
		err ? err : "");
	abort();
}

static void one_line(const char *err)
{
	if (!err[0] || strchr(err, '\n') || strncmp(err, "/proc/", 6))
		fail("refused without a one-line reason naming the file", err);
}

static void cell(const char *path)
{
	static struct im_cell c, c2;
	char err[512], out[128], buf[1024], fn[64];
	uint64_t ipa;

	if (im_cell_read(path, &c, err, sizeof(err))) {
		one_line(err);
		return;
	}
	im_cell_short(&c, buf, sizeof(buf));
	im_cell_detail(&c, buf, sizeof(buf));
	im_parse_livelock(c.outcome, fn, sizeof(fn), &ipa);
	snprintf(out, sizeof(out), "%s/cell.json", fuzz_dir());
	if (im_cell_write(&c, out, err, sizeof(err)))
		fail("a cell the reader took cannot be written", err);
	if (im_cell_read(out, &c2, err, sizeof(err)))
		fail("a cell written again is refused", err);
	if (memcmp(&c, &c2, sizeof(c)))
		fail("a cell written again reads back otherwise", NULL);
}

static void matrix(const char *path)
{
	struct im_matrix m, m2;
	char err[512], out[128];
	FILE *devnull;

	if (im_matrix_read(path, &m, err, sizeof(err))) {
		one_line(err);
		return;
	}
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	if (im_diff(devnull, &m, "a", &m, "a"))
		fail("a matrix differs from itself", NULL);
	fclose(devnull);
	if (im_write_outputs(&m, fuzz_dir(), err, sizeof(err)))
		fail("a matrix the reader took cannot be written", err);
	snprintf(out, sizeof(out), "%s/matrix.json", fuzz_dir());
	if (im_matrix_read(out, &m2, err, sizeof(err)))
		fail("a matrix written again is refused", err);
	if (m.ncells != m2.ncells || m.nrows != m2.nrows ||
	    m.ncols != m2.ncols ||
	    memcmp(m.cells, m2.cells, m.ncells * sizeof(*m.cells)))
		fail("a matrix written again reads back otherwise", NULL);
	im_matrix_free(&m2);
	im_matrix_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);

	cell(path);
	matrix(path);
	return 0;
}
