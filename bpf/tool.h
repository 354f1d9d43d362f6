/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench BPF tools: the user-space half every tool shares (tool.c).
 *
 * Command line: [interval] [count], -p PID, -j/--json, --result FILE,
 * -v, and -- COMMAND ... (argp; a tool adds its own options). Target: a
 * process given by -p, a command launched stopped and attached to before
 * it runs, or (kernel only) every process. Backend, chosen at run time:
 * the sim's USDT probes when the target's binary has provider "rmibench",
 * else the kernel's kvm_rmi trace events when this kernel has them; one
 * line and a non-zero exit when neither, for a missing process, missing
 * BTF or missing privileges.
 *
 * Ring-buffer records (struct rmi_rec) go through one feed: each event is
 * given a stream (the vCPU of the fault open on its thread) and a phase
 * (set-up, fault, teardown) and sent to bench/metrics.c, whose counts make
 * the --result file and what a tool takes from them.
 */
#ifndef RMIBENCH_BPF_TOOL_H
#define RMIBENCH_BPF_TOOL_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "metrics.h"
#include "result.h"
#include "rmi_bpf.h"

struct bpf_object;
struct bpf_map;
struct ring_buffer;
struct bpf_link;

enum tool_backend {
	TOOL_KERNEL,		/* kvm_rmi raw tracepoints */
	TOOL_SIM_USDT,		/* the sim's rmibench USDT probes */
};

struct tool_opts {
	double interval;	/* seconds between reports, 0: one at the end */
	unsigned long count;	/* reports, 0: until the end */
	pid_t pid;		/* -p, or the launched command */
	bool json;
	bool verbose;
	const char *result;	/* --result FILE */
	char **cmd;		/* -- COMMAND ..., NULL-terminated */
};

struct tool_feed;

struct tool {
	const char *name;
	struct tool_opts o;
	enum tool_backend backend;
	char binary[4096];	/* the traced binary (sim) */
	bool launched;		/* o.pid is our child, stopped until run */
	int child_status;	/* its wait status, once it ended */
	bool child_done;
	unsigned int events;	/* events the tool's maps need */
	unsigned int record;	/* events the tool needs in order */
	struct bpf_object *obj;
	struct bpf_link **links;
	unsigned int nlinks;
	struct ring_buffer *rb;
	struct tool_feed *feed;
	double t0, t_end;	/* CLOCK_MONOTONIC seconds */
	int ncpus;
	unsigned int reports;
	/* what a tool saw that ends a run (a livelock), for --result */
	char outcome[256];
};

/* The options every tool has; a tool's argp names it as a child. */
extern const struct argp tool_argp;
/* tool_argp as a list of children, for a tool's argp */
extern const struct argp_child tool_children[];

/*
 * A tool's argp: its @options and @parser (NULL, NULL: none), tool_argp as
 * a child, and @doc (one line) followed by what every tool says.
 */
#define TOOL_ARGP(options_, parser_, doc_)				\
	{ .options = (options_), .parser = (parser_),			\
	  .children = tool_children, .doc = doc_ "\v" TOOL_DOC_TRACES }

/* What every tool's --help says after its own line, behind "\v". */
#define TOOL_DOC_TRACES							\
	"Traces the kvm_rmi trace events of this kernel, or the sim's "	\
	"USDT probes when the process (-p PID) or the command "		\
	"(-- COMMAND ...) is rmibench. Prints every INTERVAL seconds "	\
	"the totals so far, COUNT times, else once at the end."

/*
 * Parse the command line with bench's convention (cli_parse(): -h/--help,
 * --usage, one-line errors, exit status 2 for a bad command line): @argp
 * is the tool's, with tool_argp as a child. Splits off "-- COMMAND ...".
 * Exits after --help or a bad command line. A tool's parser reports a
 * bad value with cli_usage_error().
 */
void tool_parse(struct tool *t, const struct argp *argp, int argc,
		char **argv, void *input);

/*
 * Before the skeleton is opened: check privileges and the target, launch
 * the command stopped, choose the backend. @events: the events the tool's
 * maps need, @record: those it needs in order (the ring buffer), besides
 * what --result needs. 0, or -1 after one line on stderr.
 */
int tool_prepare(struct tool *t, const char *name, unsigned int events,
		 unsigned int record);

/* Whether a file can be written at @path (its directory is writable,
 * nothing but a regular file is there): NULL, or why not.
 */
const char *tool_check_out(const char *path);

/* The record mask and tgid the skeleton's rodata must be given. */
unsigned int tool_record_mask(const struct tool *t);
uint32_t tool_targ_tgid(const struct tool *t);

/*
 * After open, before load: autoload exactly the programs of the backend
 * for the events needed. Then load (one line on failure: privileges,
 * verifier) and attach; create the ring buffer and the feed.
 */
int tool_load_attach(struct tool *t, struct bpf_object *obj,
		     int (*load)(void *skel), void *skel);

/*
 * Run: let the command go, poll the ring buffer, call @report every
 * interval (final false) and once at the end (final true); end when the
 * command or process ends, on SIGINT/SIGTERM, or after count reports.
 * Then write --result. Returns the exit status for main().
 */
int tool_run(struct tool *t, int (*report)(struct tool *t, bool final,
					   void *ctx), void *ctx);

/* Clean up (links, ring buffer, feed; kills a launched child still
 * stopped). The skeleton is the tool's to destroy.
 */
void tool_cleanup(struct tool *t);

/*
 * A tool's skeleton as tool_main() drives it. TOOL_SKEL(NAME) defines
 * NAME_skel for the skeleton struct NAME_bpf of NAME.skel.h (included
 * before it), whose rodata has the targ_tgid and record_mask every tool's
 * BPF half has (rmi_common.bpf.h).
 */
struct tool_skel {
	void *(*open)(void);
	struct bpf_object *(*obj)(void *skel);
	void (*target)(void *skel, uint32_t tgid, unsigned int record_mask);
	int (*load)(void *skel);
	void (*destroy)(void *skel);
};

#define TOOL_SKEL(NAME)							\
static void *NAME##_skel_open(void)					\
{									\
	return NAME##_bpf__open();					\
}									\
static struct bpf_object *NAME##_skel_obj(void *s)			\
{									\
	return ((struct NAME##_bpf *)s)->obj;				\
}									\
static void NAME##_skel_target(void *s, uint32_t tgid,			\
			       unsigned int record_mask)		\
{									\
	((struct NAME##_bpf *)s)->rodata->targ_tgid = tgid;		\
	((struct NAME##_bpf *)s)->rodata->record_mask = record_mask;	\
}									\
static int NAME##_skel_load(void *s)					\
{									\
	return NAME##_bpf__load(s);					\
}									\
static void NAME##_skel_destroy(void *s)				\
{									\
	NAME##_bpf__destroy(s);						\
}									\
static const struct tool_skel NAME##_skel = {				\
	NAME##_skel_open, NAME##_skel_obj, NAME##_skel_target,		\
	NAME##_skel_load, NAME##_skel_destroy,				\
}

/* What a tool is, for tool_main(). */
struct tool_def {
	const char *name;
	const struct argp *argp;	/* the tool's, tool_children among its */
	unsigned int events, record;	/* for tool_prepare() */
	const struct tool_skel *skel;
	/* the skeleton opened, the common rodata set: the tool keeps it and
	 * sets its own rodata */
	void (*opened)(void *ctx, void *skel);
	/* loaded and attached (NULL: nothing to do) */
	void (*started)(void *ctx);
	int (*report)(struct tool *t, bool final, void *ctx);
};

/*
 * A tool's main(): parse the command line, prepare, open the skeleton,
 * set its rodata, load and attach, run (@d->report every interval and at
 * the end), clean up and destroy the skeleton. @ctx goes to the hooks.
 * Returns the exit status.
 */
int tool_main(struct tool *t, const struct tool_def *d, void *ctx, int argc,
	      char **argv);

/* One line "NAME: what" on stderr; returns -1. */
int tool_err(const struct tool *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *tool_backend_name(enum tool_backend b);	/* "kernel", "sim-usdt" */
double tool_now(void);
uint64_t tool_now_ns(void);	/* CLOCK_MONOTONIC, as bpf_ktime_get_ns() */

/* ---- reading per-CPU maps ---------------------------------------------- */

/* Sum of @key's per-CPU values in a map of __u64. */
uint64_t tool_percpu_u64(const struct tool *t, struct bpf_map *map,
			 const void *key);
/* Every CPU's copy of @key's value of @size bytes, valid until the next
 * lookup; NULL if there is no entry.
 */
const void *tool_percpu_lookup(const struct tool *t, struct bpf_map *map,
			       const void *key, size_t size);
/* The copies of a value made of __u64 words only, summed into @out. */
void tool_percpu_sum(const struct tool *t, const void *percpu, size_t size,
		     void *out);
/* The copies of the struct rmi_bpf_hist at byte offset @off of the value,
 * merged into @h (min and max as such, not summed).
 */
void tool_percpu_hist(const struct tool *t, const void *percpu, size_t size,
		      size_t off, struct hist *h);
/*
 * Every entry of a hash map, keys of @ksize (at most 64) and values of
 * @vsize bytes (for a per-CPU map: every CPU's copies), into arrays the
 * caller frees. The number of entries, or -1.
 */
long tool_map_dump(struct bpf_map *map, size_t ksize, size_t vsize,
		   void **keys, void **vals);

/* ---- output ------------------------------------------------------------- */

/* A log2 histogram as libbpf-tools print them: "lo -> hi : count |***|". */
void tool_print_hist(FILE *f, const struct hist *h, const char *unit);
/* {count, sum, min, max, mean, p50, p90, p99, log2_buckets} */
json_object *tool_hist_json(const struct hist *h);
/*
 * The fields every JSON report starts with: tool, backend, pid, seconds,
 * final, events (seen by type, and records dropped).
 */
json_object *tool_json_report(const struct tool *t, bool final);
/* print one JSON report on one line of stdout and free it */
void tool_json_print(json_object *o);
/* events seen by type and records dropped, one text line */
void tool_print_events(const struct tool *t, FILE *f);

/* ---- the feed: ring-buffer records into the metrics ------------------ */

/* What the metrics say so far, into a zeroed @r: 0, or -1 if the tool
 * records nothing.
 */
int tool_feed_collect(const struct tool *t, struct run_result *r);

/* The feed alone, for tests and benchmarks: records in, metrics out. */
struct tool_feed *tool_feed_new(void);
void tool_feed_free(struct tool_feed *f);
void tool_feed_record(struct tool_feed *f, const struct rmi_rec *r);
void tool_feed_result(struct tool_feed *f, struct run_result *r);

#endif /* RMIBENCH_BPF_TOOL_H */
