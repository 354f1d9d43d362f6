/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: what one run measured, and the result file it becomes.
 *
 * struct run_result is filled by the sim (sim/host, bench/cmd_run.c) or,
 * on a real host, from the BPF tools' records; result_write_json() turns
 * it into the versioned JSON file documented in results/README.md. The
 * settings and the counts are defined once, in schema.h.
 */
#ifndef RMIBENCH_RESULT_H
#define RMIBENCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmi_abi.h"
#include "rmi_cost.h"
#include "rmib_config.h"
#include "rtt_strategy.h"
#include "schema.h"

#define RESULT_SCHEMA_VERSION	1

const char *kernel_name(enum host_version k);
int kernel_from_name(const char *s);		/* -1 if unknown */
/* The strategy and delegation handling of a series version. */
enum rmi_rtt_strategy kernel_strategy(enum host_version k);
enum deleg_variant kernel_delegation(enum host_version k);
struct run_config;
/* Strategy and delegation as c->kernel has them, unless given (overrides). */
void run_config_resolve(struct run_config *c, bool strategy_given,
			bool delegation_given);
const char *deleg_name(enum deleg_variant d);
const char *folio_name(enum folio_mode f);
const char *sched_name(enum sched_kind s);
int deleg_from_name(const char *s);	/* -1 if unknown */
int folio_from_name(const char *s);
int sched_from_name(const char *s);
int strategy_from_name(const char *s);
const char *gpt_mode_name(enum gpt_mode g);
int gpt_mode_from_name(const char *s);	/* -1 if unknown */

/* The VM a workload runs in: a realm, or (kernel backend) a normal VM. */
enum vm_kind {
	VM_REALM,
	VM_NORMAL,
	VM_COUNT,
};

const char *vm_name(enum vm_kind v);
int vm_from_name(const char *s);	/* -1 if unknown */

/*
 * The settings of one run: the result file's "config" and the options of
 * `rmibench run`, one member per row of RUN_CONFIG_FIELDS (schema.h).
 */
struct run_config {
	RUN_CONFIG_FIELDS(RUN_CONFIG_MEMBER_)
};

/*
 * A histogram of nanoseconds (or counts) with a percentile summary: log2
 * buckets for the shape, and log-linear buckets for percentiles to about
 * 1% (HdrHistogram-style: values below 256 exactly, then each power of
 * two [2^e, 2^(e+1)) in 128 linear sub-buckets of 2^(e-7)).
 */
#define HIST_BUCKETS	48
#define HIST_LL_SUB	128
#define HIST_LL_BUCKETS	(2 * HIST_LL_SUB + (64 - 8) * HIST_LL_SUB)
struct hist {
	uint64_t bucket[HIST_BUCKETS];	/* [i]: values in [2^i, 2^(i+1)) ns;
					 * [0] also holds 0 */
	uint64_t count, sum, min, max;
	uint64_t ll[HIST_LL_BUCKETS];	/* log-linear: hist_ll_index() */
	uint64_t ll_count;		/* samples in ll[]: count, unless some
					 * came as log2 buckets alone (a
					 * VMM's report) */
};

void hist_add(struct hist *h, uint64_t ns);
void hist_merge(struct hist *dst, const struct hist *src);
/* The value under which @pct percent of samples fall (bucket upper
 * bound, clamped to max); 0 if empty. */
uint64_t hist_percentile(const struct hist *h, double pct);
/* The log-linear bucket of a value, and the values bucket @i holds. */
static inline unsigned int hist_ll_index(uint64_t v)
{
	unsigned int e;

	if (v < 2 * HIST_LL_SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);	/* 8..63 */
	return 2 * HIST_LL_SUB + (e - 8) * HIST_LL_SUB +
	       (unsigned int)((v >> (e - 7)) - HIST_LL_SUB);
}
uint64_t hist_ll_lo(unsigned int i);
uint64_t hist_ll_hi(unsigned int i);
/* Whether every sample is in the log-linear buckets (exact percentiles). */
bool hist_ll_ok(const struct hist *h);
/*
 * The percentile @pct from the log-linear buckets: the middle of the
 * bucket holding the sample of rank ceil(pct/100 * count), clamped to
 * [min, max] (exact below 256 and when all samples share a bucket; else
 * within 0.4%). Without them (!hist_ll_ok()) hist_percentile()'s bound.
 */
uint64_t hist_exact_percentile(const struct hist *h, double pct);
/* sum / count; 0 if empty */
double hist_mean(const struct hist *h);

/* a + b, or UINT64_MAX if that overflows */
static inline uint64_t u64_sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/*
 * hist_add() but for the log2 buckets, for a path that adds a sample per
 * event (the metrics sink): hist_fill_log2() then makes the log2 buckets
 * from the log-linear ones, each of which lies inside one of them, before
 * the histogram is merged or read. Only for a histogram whose every
 * sample came this way.
 */
static inline void hist_add_ll(struct hist *h, uint64_t v)
{
	h->ll[hist_ll_index(v)]++;
	h->ll_count++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum = u64_sat_add(h->sum, v);
}
void hist_fill_log2(struct hist *h);

/* Statuses get their own bucket up to ERROR_GRANULE; the rest share one. */
#define STATUS_BUCKETS	(RMI_ERROR_GRANULE + 2)
#define STATUS_OTHER	(RMI_ERROR_GRANULE + 1)

/* The names result files give RMI commands (by enum rmi_cmd index),
 * status buckets ("OTHER" for STATUS_OTHER) and granule states. */
#define GRANULE_STATES	RMI_GRANULE_STATE_COUNT
const char *result_cmd_name(unsigned int i);		/* "?" if unknown */
int result_cmd_index(const char *name);			/* -1 if unknown */
const char *result_status_name(unsigned int bucket);
int result_status_index(const char *name);		/* -1 if unknown */
const char *result_granule_state_name(unsigned int st);	/* "?" if unknown */
const char *result_level_name(unsigned int level);	/* "l0".."l3" */

#define MAX_WARN_KINDS	16

struct warn_kind {
	char reason[96];	/* as the kernel's WARN would say it */
	uint64_t count;
};

/*
 * What a run counted: the result file's "counts", one member per row of
 * RUN_COUNTS_FIELDS (schema.h), then the WARN reasons. Every member
 * before warn[] is a uint64_t or an array of them.
 */
struct run_counts {
	RUN_COUNTS_FIELDS(RUN_COUNTS_MEMBER_)
	struct warn_kind warn[MAX_WARN_KINDS];	/* by reason */
	unsigned int nwarn;
};

/* Add @src's counts to @dst's, the WARN reasons by reason. */
void run_counts_merge(struct run_counts *dst, const struct run_counts *src);
/*
 * Count @n more of the WARN @reason in @c: its entry, or a new one; when
 * all MAX_WARN_KINDS are taken the last one collects the rest.
 */
void run_counts_add_warn(struct run_counts *c, const char *reason,
			 uint64_t n);

/*
 * What a run came to, one class, least severe first (a run is given the
 * most severe that applies): ok, errors returned to the guest, WARNs,
 * the realm killed (KVM_RUN failed, set-up failed), leaked granules, a
 * livelock (the kernel would spin or re-fault for ever), the model's
 * invariants broken.
 */
enum run_outcome {
	OUTCOME_OK,
	OUTCOME_GUEST_ERROR,
	OUTCOME_WARN,
	OUTCOME_KILLED,
	OUTCOME_LEAK,
	OUTCOME_LIVELOCK,
	OUTCOME_INVARIANT,
	OUTCOME_COUNT,
};

const char *outcome_name(enum run_outcome o);
int outcome_from_name(const char *s);		/* -1 if unknown */
/* Whether a run of this class answers "the host coped" (ok, WARN or an
 * error the guest sees) rather than a failure (the rest). */
static inline bool outcome_fails(enum run_outcome o)
{
	return o >= OUTCOME_KILLED;
}

struct run_result {
	struct run_config cfg;
	struct run_counts counts;
	struct hist lat_model;		/* fault latency, modelled ns */
	struct hist lat_wall;		/* fault latency, wall clock ns */
	struct hist calls_per_fault;	/* RMI calls per fault (as "ns") */
	char outcome[256];		/* "ok", or why the realm died */
	enum run_outcome outcome_class;
	/*
	 * The workload ran to its end with the realm alive: whatever went
	 * wrong (outcome_class) went wrong at teardown, and the fault-path
	 * figures describe the whole workload. The file's "workload_done";
	 * files from before it was written: taken as true unless the
	 * outcome is a failure (outcome_fails()).
	 */
	bool workload_done;
	bool cost_model_default;	/* the assumed table, not calibrated */
	double wall_seconds;		/* whole run */
	double virtual_seconds;		/* det: virtual time at the end */
	/* wall-clock seconds of the run's phases, where the backend times
	 * them (phases_timed: the sim): the realm's set-up, the workload's
	 * faults, teardown and the leak audit */
	bool phases_timed;
	double setup_seconds, fault_seconds, teardown_seconds;
	double fault_cpu_seconds;	/* CPU time of all threads in it */
	/* the clock of the per-fault wall-clock stamps: "tsc", "cntvct" or
	 * "clock_monotonic" ("" where the backend does not say), the length
	 * of one of its ticks in ns, and 1 fault in how many is stamped */
	char fault_clock[16];
	double fault_clock_resolution_ns;
	unsigned int fault_clock_every;
	uint64_t model_bytes;		/* RMM model memory before teardown */
	char backend[16];		/* which backend made it: "sim" */
	char schedule[2048];		/* the schedule it replayed
					 * (bench/schedule.h), "" if none:
					 * metadata.schedule */
	char command[2048];		/* the command that made it when
					 * that was not `rmibench run` (a
					 * matrix), "" if none:
					 * metadata.command */
};

/*
 * Write @r as JSON to @path atomically (temporary file in the same
 * directory, fsync, rename): a reader sees the old file or the new one.
 * Returns 0, or -1 with a one-line reason in @err.
 */
int result_write_json(const struct run_result *r, const char *path,
		      char *err, size_t errlen);

#define COST_DEFAULT_SOURCE	"default (assumed, not measured)"
#define COST_DEFAULT_NOTE	"assumed costs; counts never depend on them"
void cost_model_default(struct cost_model *c);
/*
 * Load a calibration file (JSON, format in results/README.md) over the
 * default table. Returns 0, or -1 with a one-line reason in @err; @c is
 * unchanged on error.
 */
int cost_model_load(struct cost_model *c, const char *path, char *err,
		    size_t errlen);

/* ---- reading result files back, derived values, reports ------------------ */

/*
 * What a result file says beyond struct run_result: where and with what
 * it was made. Filled by result_read_json_meta(); strings are "" when the
 * file has null there.
 */
struct result_meta {
	char version[64];		/* rmibench version */
	char git[64];			/* git describe at build time */
	char backend[16];		/* "sim" or "kernel" */
	char hostname[64];
	char kernel[64];		/* uname release */
	char cpu[128];			/* CPU model */
	unsigned int nproc;
	char timestamp[32];		/* UTC, ISO-8601 */
	char cost_source[256];		/* the cost model's source */
	char folio_case[96];		/* which case the folio mode models */
};

/*
 * Read a result file written by result_write_json(), checking every
 * field's presence, type and range. Returns 0, or -1 with one line naming
 * the file and the field in @err; @r (and @m) are then undefined.
 * Unknown fields are ignored (a compatible addition does not bump the
 * schema version). @m may be NULL.
 */
int result_read_json(const char *path, struct run_result *r, char *err,
		     size_t errlen);
int result_read_json_meta(const char *path, struct run_result *r,
			  struct result_meta *m, char *err, size_t errlen);

/*
 * The names of the result files in @dir: *.json, not hidden, sorted
 * bytewise, each and the array malloc'd (the caller frees them). 0, or
 * -1 with "DIR: why" in @err; a *.json that is not a regular file (a
 * symbolic link, a FIFO, a directory) is such an error, found before any
 * file is opened.
 */
int result_list_dir(const char *dir, char ***names, size_t *n, char *err,
		    size_t errlen);

/*
 * Write @len bytes to @path atomically, as result_write_json() does.
 * Returns 0, or -1 with a one-line reason in @err.
 */
int result_write_file_atomic(const char *path, const void *data,
			     size_t len, char *err, size_t errlen);

/* Which case a folio mode describes: today's hosts or huge folios. */
const char *folio_case(enum folio_mode f);

/* Derived values, as the result file and the report give them. */
double result_calls_per_fault(const struct run_result *r);	/* rmi_calls_fault / faults */
double result_rtt_pages_per_gib(const struct run_result *r);	/* end RTTs per GiB mapped */
double result_block_coverage(const struct run_result *r);	/* (l1+l2)/(l1+l2+l3) */
double result_prep_calls_per_gib(const struct run_result *r);	/* per GiB hotplugged */
double result_prep_calls_per_fault(const struct run_result *r); /* per fault that met it */
uint64_t result_mapped_total(const struct run_result *r);
/* Bytes in the binary unit that fits: "0", "4 KiB", "1 GiB", "1.5 GiB". */
void result_fmt_bytes(char *buf, size_t len, uint64_t v);

/*
 * The `rmibench run` command line that repeats the run of @c (options
 * named after the config fields). Returns the length it needed, as
 * snprintf does.
 */
int result_command_line(const struct run_config *c, char *buf, size_t len);
/* The same for the run behind @r: with --schedule for a replayed schedule. */
int result_repro_line(const struct run_result *r, char *buf, size_t len);

/* Optional inputs of a report; any pointer may be NULL. */
struct report_opts {
	const char *command;		/* the command that made these runs */
	const char *const *names;	/* n file names, for the run list */
	const struct result_meta *meta;	/* n entries: backend, cost source */
	const char *program;		/* rmibench as invoked, for the
					 * command lines ("rmibench") */
};

/*
 * Whether the report leaves @r out of its ratios: its realm was killed or
 * livelocked before the workload was done (a failing outcome class and
 * !workload_done), or the model broke. A failing run whose workload was
 * done failed at teardown: its fault-path figures stand.
 */
bool result_excluded(const struct run_result *r);

/*
 * Whether @name is a file a report writes (summary.md, runs.tsv,
 * latency.tsv, the plots): a report directory's old ones are replaced by
 * the new set, never kept beside it.
 */
bool report_file_name(const char *name);

/*
 * Write DIR/summary.md, DIR/runs.tsv and DIR/latency.tsv for @n runs, each
 * atomically. @o may be NULL. Returns 0, or -1 with one line in @err.
 */
int report_write_dir(const char *dir, const struct run_result *rs, size_t n,
		     const struct report_opts *o, char *err, size_t errlen);

#endif /* RMIBENCH_RESULT_H */
