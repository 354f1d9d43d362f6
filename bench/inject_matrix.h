/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench inject-matrix: every RMI command the host issues, failed with
 * every status the command can return, by each trigger shape, under each
 * host version and strategy; one cell per combination, classified.
 *
 *   inject_plan.c   the statuses per command (rmi-facts), rows, columns
 *   inject_cell.c   running a cell, its class, the cell file
 *   inject_out.c    matrix.json, matrix.md, the heat map, --diff
 *   cmd_inject.c    the command: options, workers, resuming, signals
 *
 * The file formats are in results/README.md ("The injection matrix").
 */
#ifndef RMIBENCH_INJECT_MATRIX_H
#define RMIBENCH_INJECT_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "result.h"

#define IM_CELL_SCHEMA		"rmibench-inject-cell-1"
#define IM_MATRIX_SCHEMA	"rmibench-inject-matrix-1"

/* how the files are written: pretty, and '/' as it is */
#define JSON_FLAGS	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
			 JSON_C_TO_STRING_NOSLASHESCAPE)

/* How a rule meets the command's calls. */
enum im_trigger {
	IM_FIRST,		/* the first call: times=1 */
	IM_NTH,			/* the Nth: space=N,times=1 */
	IM_PERSISTENT,		/* the Nth and every one after: space=N */
	IM_TRIGGER_COUNT,
};

/* What a cell came to: one class, the most severe first. */
enum im_class {
	IM_CRASH,		/* the sim died of a signal (or hung) */
	IM_INVARIANT,		/* the model's invariants broke */
	IM_LIVELOCK,		/* the kernel would spin or re-fault for ever */
	IM_LEAK,		/* granules left delegated after teardown */
	IM_KILLED,		/* KVM_RUN failed or set-up failed */
	IM_WARN,		/* WARNs, nothing worse */
	IM_GUEST_ERROR,		/* errors the guest saw, nothing worse */
	IM_RECOVERED,		/* ok, and the injection fired */
	IM_NOT_REACHED,		/* ok, and the rule never fired */
	IM_CLASS_COUNT,
};

const char *im_trigger_name(enum im_trigger t);
int im_trigger_from_name(const char *s);		/* -1 if unknown */
const char *im_class_name(enum im_class c);
int im_class_from_name(const char *s);			/* -1 if unknown */
/* The class of a run that ended (not a crash). */
enum im_class im_class_of(const struct run_result *r);

/* A host version and strategy, and the delegation handling it runs. */
struct im_col {
	char name[48];			/* "v14/full/v14" */
	enum host_version kernel;
	enum rmi_rtt_strategy strategy;
	enum deleg_variant deleg;
	bool deleg_only;		/* the other delegation variant: only
					 * for the delegate's rows */
	/* from the baseline run of this column */
	bool have_baseline;
	uint64_t calls[RMI_CMD_COUNT];	/* calls per command */
	enum run_outcome base_class;
	char base_outcome[256];
	double base_wall;		/* its wall-clock seconds */
};

/* A command, a status and its index, a trigger. */
struct im_row {
	char name[64];			/* "RTT_CREATE.ERROR_RTT.2.nth" */
	unsigned int cmd;		/* enum rmi_cmd */
	unsigned int status, index;
	enum im_trigger trig;
};

#define IM_WARN_KEEP	4		/* WARN reasons a cell keeps */

/* One row in one column: what the run with that rule came to. */
struct im_cell {
	char row[64], col[48];
	unsigned int cmd, status, index;
	enum im_trigger trig;
	uint64_t space;			/* N of nth and persistent, else 0 */
	uint64_t baseline_calls;	/* the command's calls, baseline */
	char rule[192];
	enum im_class cls;
	char outcome[256];		/* the run's, or how the worker died */
	int outcome_class;		/* enum run_outcome, -1 for a crash */
	int signal;			/* crash: the signal, 0 if none */
	bool timed_out;			/* crash: killed after --cell-timeout */
	uint64_t injected, faults, rmi_calls, warnings, guest_errors;
	uint64_t leaked, leaked_by_state[GRANULE_STATES];
	struct warn_kind warn[IM_WARN_KEEP];
	unsigned int nwarn;
	bool livelock;			/* the function and IPA it names */
	char ll_function[64];
	uint64_t ll_ipa;
	double wall_seconds;
	char command_line[1024];	/* the `rmibench run` that repeats it */
};

/* ---- the plan (inject_plan.c) -------------------------------------------- */

/* A status to inject into a command, with its index. */
struct im_status {
	unsigned int status, index;
};

/*
 * The statuses @cmd can return after activation per rmi-facts sections
 * 1-5, 9 and 11, with ERROR_RTT once per level it can name, from the
 * realm's start level @start_level down to 3. Returns how many (at most
 * @max) are in @out.
 */
unsigned int im_cmd_statuses(unsigned int cmd, int start_level,
			     struct im_status *out, unsigned int max);
/* The commands in the order the matrix lists them; -1 past the end. */
int im_cmd_order(unsigned int i);
/* Whether the delegation variant decides what a failure of @cmd means. */
bool im_cmd_is_delegate(unsigned int cmd);

/* "CMD.STATUS.INDEX.TRIGGER" */
void im_row_name(struct im_row *r);
/* "v14/full/v14" */
void im_col_name(struct im_col *c);
/* @s with every '/' turned into '-': a file name */
void im_file_name(char *buf, size_t len, const char *s);

/* N of the nth and persistent triggers: the middle call of @calls. */
static inline uint64_t im_nth(uint64_t calls)
{
	return calls / 2 + 1;
}

/*
 * Whether @row has a cell in @col, and its rule's space (0 for first).
 * No cell: the column's baseline does not call the command, the column
 * is the other delegation variant of a command that is no delegate, or
 * the nth call is the first (the baseline makes one).
 */
bool im_cell_applies(const struct im_row *row, const struct im_col *col,
		     uint64_t *space);
/* The rule of @row with @space, in the grammar of sim/inject. */
void im_rule_text(const struct im_row *row, uint64_t space, char *buf,
		  size_t len);

/* ---- cells (inject_cell.c) ----------------------------------------------- */

/* Fill @c's identity (row, column, rule) for @row in @col. */
void im_cell_init(struct im_cell *c, const struct im_row *row,
		  const struct im_col *col, uint64_t space);
/* The rest of @c from the run @r made with its rule. */
void im_cell_from_run(struct im_cell *c, const struct run_result *r);
/*
 * A livelock outcome's function and IPA: "livelock in FN at 0xIPA: ..."
 * or "livelock: vcpu N faulted on IPA 0xIPA ..." (the guest's re-fault,
 * named "re-fault"). False if @outcome is neither.
 */
bool im_parse_livelock(const char *outcome, char *fn, size_t fnlen,
		       uint64_t *ipa);

/* The cell as JSON text (malloc'ed), NULL if out of memory. */
char *im_cell_json(const struct im_cell *c);
/* Write DIR/cells/NAME.json atomically. 0, or -1 with @err. */
int im_cell_write(const struct im_cell *c, const char *path, char *err,
		  size_t errlen);
/* Read a cell file back, every field checked. 0, or -1 with @err. */
int im_cell_read(const char *path, struct im_cell *c, char *err,
		 size_t errlen);
struct json_object;
struct rd;
/* The cell as a JSON object, as the matrix file holds it (no schema). */
struct json_object *im_cell_object(const struct im_cell *c);
/* The cell from such an object, every field checked. 0, or -1. */
int im_cell_parse(struct rd *c, struct json_object *o, struct im_cell *cell);
/* A short text for the table: "leak 770", "warn 3", "recovered". */
void im_cell_short(const struct im_cell *c, char *buf, size_t len);
/* The detail a footnote gives: the killed outcome, the WARN, the
 * livelock's function and IPA, the leak by state; "" if none. */
void im_cell_detail(const struct im_cell *c, char *buf, size_t len);

/* ---- the matrix and its outputs (inject_out.c) --------------------------- */

struct im_matrix {
	struct im_col *cols;
	unsigned int ncols;
	struct im_row *rows;
	unsigned int nrows;
	struct im_cell *cells;		/* ncells, by row then column */
	unsigned int ncells;
	char settings[1024];		/* the base run's command line */
	char version[64];
	char timestamp[32];
	double elapsed_seconds;
	unsigned int cells_run, cells_reused;
};

/* The cell of row @r in column @c, NULL if there is none. */
const struct im_cell *im_matrix_cell(const struct im_matrix *m,
				     unsigned int r, unsigned int c);
void im_matrix_free(struct im_matrix *m);

/* DIR/matrix.json, DIR/matrix.md, DIR/heatmap.tsv. 0, or -1 with @err. */
int im_write_outputs(const struct im_matrix *m, const char *dir, char *err,
		     size_t errlen);
/*
 * DIR/heatmap.png from DIR/heatmap.tsv with the template
 * inject-heatmap.gp ($RMIBENCH_SCRIPTS, ../scripts next to the binary,
 * ./scripts). 0, or -1 with @err.
 */
int im_plot(const char *dir, unsigned int nrows, unsigned int ncols,
	    char *err, size_t errlen);
/* Read DIR/matrix.json (or any matrix file) back. 0, or -1 with @err. */
int im_matrix_read(const char *path, struct im_matrix *m, char *err,
		   size_t errlen);
/*
 * The two matrices side by side on @f (markdown): the rows with a
 * changed cell, every cell of those rows, the changed ones marked.
 * Returns the number of cells that changed (added or gone included).
 */
unsigned int im_diff(FILE *f, const struct im_matrix *a, const char *aname,
		     const struct im_matrix *b, const char *bname);

#endif /* RMIBENCH_INJECT_MATRIX_H */
