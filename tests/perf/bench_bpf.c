// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-bpf: what tracing costs.
 *
 * On the sim: a fixed workload (one vCPU, det scheduler) is run untraced
 * and traced by each tool (and by delegrace with --result, every event
 * through the ring buffer into the metrics); the difference of the run's
 * own wall time (its result file's timing.wall_seconds, best of
 * REPEATS) divided by the probe hits the tool counted is the cost of one
 * traced event: uprobe trap, BPF program, return.
 *
 * On the kernel side: each tool's kvm_rmi raw tracepoint programs run
 * through BPF_PROG_TEST_RUN in the order a fault would fire them, with
 * the kernel's BPF run-time statistics on (BPF_ENABLE_STATS): run_time_ns
 * / run_cnt is the program's own time per event. The kernel refuses a
 * repeat count for raw tracepoint test runs (EINVAL), so the repeats are
 * a loop of single runs.
 *
 * Figures are printed, not asserted. Needs root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>

#include "delegrace.h"
#include "delegrace.skel.h"
#include "rmistat.h"
#include "rmistat.skel.h"
#include "rttcreate.h"
#include "rttcreate.skel.h"
#include "s2fault.h"
#include "s2fault.skel.h"
#include "tool.h"

#define REPEATS		3
#define TEST_RUNS	200000
#define WORKLOAD	"--s2sz 32 --size 256M --folio 4k"

static const char *build, *rmibench;
static char dir[64] = "/tmp/rmib-bench.XXXXXX";
static const char *result_opts;	/* -j --result DIR/res.json */

static int quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l;
	(void)f;
	(void)ap;
	return 0;
}

static double json_num(json_object *o, const char *a, const char *b)
{
	json_object *v;

	if (!json_object_object_get_ex(o, a, &v) ||
	    (b && !json_object_object_get_ex(v, b, &v)))
		return -1;
	return json_object_get_double(v);
}

/* the run's own wall time from its result file, -1 on failure */
static double run_once(const char *tool, const char *opts, uint64_t *events)
{
	char cmd[1024], path[128];
	json_object *r;
	double s;

	snprintf(cmd, sizeof(cmd),
		 "%s%s%s %s %s %s run %s --quiet --out %s/r.json >%s/t.out",
		 tool ? build : "", tool ? "/bpf/" : "", tool ? tool : "",
		 tool ? opts : "", tool ? "--" : "", rmibench, WORKLOAD, dir,
		 dir);
	if (system(cmd))
		return -1;
	snprintf(path, sizeof(path), "%s/r.json", dir);
	r = json_object_from_file(path);
	if (!r)
		return -1;
	s = json_num(r, "timing", "wall_seconds");
	json_object_put(r);
	if (tool && events) {
		char line[1 << 16] = "";
		json_object *o, *ev;
		FILE *f;

		snprintf(path, sizeof(path), "%s/t.out", dir);
		f = fopen(path, "r");
		if (!f || !fgets(line, sizeof(line), f)) {
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		o = json_tokener_parse(line);
		*events = 0;
		if (o && json_object_object_get_ex(o, "events", &ev)) {
			json_object_object_foreach(ev, k, n)
				if (strcmp(k, "dropped"))
					*events += json_object_get_uint64(n);
		}
		json_object_put(o);
	}
	return s;
}

static double best(const char *tool, const char *opts, uint64_t *events)
{
	double b = -1;

	for (int i = 0; i < REPEATS; i++) {
		double s = run_once(tool, opts, events);

		if (s < 0)
			return -1;
		if (b < 0 || s < b)
			b = s;
	}
	return b;
}

static void sim_costs(void)
{
	static const struct { const char *tool, *opts, *label; } t[] = {
		{ "rmistat", "-j", "rmistat" },
		{ "s2fault", "-j", "s2fault" },
		{ "rttcreate", "-j", "rttcreate" },
		{ "delegrace", "-j", "delegrace" },
		{ "delegrace", NULL, "delegrace --result" },
	};
	double plain = best(NULL, NULL, NULL);

	printf("# sim: rmibench run %s (one vCPU, det), the run's own wall time, best of %d\n",
	       WORKLOAD, REPEATS);
	if (plain < 0) {
		printf("#   the untraced run failed\n");
		return;
	}
	printf("%-20s %12s %10s %12s\n", "tool", "events", "wall s",
	       "ns/event");
	printf("%-20s %12s %10.3f %12s\n", "(untraced)", "0", plain, "-");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t ev = 0;
		double s = best(t[i].tool, t[i].opts ? t[i].opts :
						       result_opts, &ev);

		if (s < 0 || !ev) {
			printf("%-20s failed\n", t[i].label);
			continue;
		}
		printf("%-20s %12llu %10.3f %12.0f\n", t[i].label,
		       (unsigned long long)ev, s, (s - plain) * 1e9 / (double)ev);
	}
}

/* ---- kernel side -------------------------------------------------------- */

struct step {
	const char *prog;
	__u64 args[6];
	unsigned int n;
};

static int test_run(struct bpf_object *obj, const struct step *s)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, s->prog);

	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = s->args,
		    .ctx_size_in = s->n * (__u32)sizeof(__u64));
	return p ? bpf_prog_test_run_opts(bpf_program__fd(p), &o) : -1;
}

static void kernel_only(struct bpf_object *obj)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, !strncmp(bpf_program__name(p),
						      "kt_", 3));
}

static int drain(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* the steps of one fault, TEST_RUNS / n times; per program ns/run */
static void run_steps(const char *tool, struct bpf_object *obj,
		      const struct step *steps, unsigned int n)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "events");
	struct ring_buffer *rb = m ? ring_buffer__new(bpf_map__fd(m), drain,
						      NULL, NULL) : NULL;
	struct timespec a, b;
	double wall;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (unsigned int i = 0; i < TEST_RUNS / n; i++) {
		for (unsigned int j = 0; j < n; j++)
			if (test_run(obj, &steps[j])) {
				printf("%-20s %s: test run failed: %s\n", tool,
				       steps[j].prog, strerror(errno));
				ring_buffer__free(rb);
				return;
			}
		if (rb && !(i & 1023))
			ring_buffer__consume(rb);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	wall = (double)(b.tv_sec - a.tv_sec) * 1e9 +
	       (double)(b.tv_nsec - a.tv_nsec);
	for (unsigned int j = 0; j < n; j++) {
		struct bpf_program *p = bpf_object__find_program_by_name(
			obj, steps[j].prog);
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		bool seen = false;

		for (unsigned int k = 0; k < j; k++)
			seen |= !strcmp(steps[k].prog, steps[j].prog);
		if (seen || bpf_obj_get_info_by_fd(bpf_program__fd(p), &info,
						   &len))
			continue;
		printf("%-20s %-22s %10llu %10.1f\n", tool, steps[j].prog,
		       (unsigned long long)info.run_cnt,
		       info.run_cnt ? (double)info.run_time_ns /
				      (double)info.run_cnt : 0.0);
	}
	printf("%-20s %-22s %10u %10.1f  (test-run syscall, wall)\n", tool,
	       "(each run)", TEST_RUNS / n * n, wall / (TEST_RUNS / n * n));
	ring_buffer__free(rb);
}

#define STEP(p, ...)							\
	{ p, { __VA_ARGS__ },						\
	  sizeof((__u64[]){ __VA_ARGS__ }) / sizeof(__u64) }

/* a 4 KiB fault: map enter, delegate, map, map exit */
static const struct step fault_steps[] = {
	STEP("kt_realm_map_enter", 0, 0x40000000, 0x1000, 1),
	STEP("kt_rmi_call_enter", RMI_GRANULE_RANGE_DELEGATE, 0x100000000ull,
	     0x100001000ull, 0),
	STEP("kt_rmi_call_exit", RMI_GRANULE_RANGE_DELEGATE, RMI_SUCCESS, 0,
	     0x100001000ull),
	STEP("kt_delegate", 0x100000000ull, 0x1000, 0x1000, RMI_SUCCESS),
	STEP("kt_rmi_call_enter", RMI_RTT_DATA_MAP, 0x1000, 0x40000000,
	     0x40001000),
	STEP("kt_rmi_call_exit", RMI_RTT_DATA_MAP, RMI_SUCCESS, 0, 0x40001000),
	STEP("kt_rtt_create", 0x40000000, 3, RMI_SUCCESS),
	STEP("kt_realm_map_exit", 0, 0x40000000, 0x1000, 0, 2, 0),
};

/* only the steps of the events @events selects */
static unsigned int pick(unsigned int events, struct step *out)
{
	static const char *const names[] = {
#define N_(name, fields) "kt_" #name,
		RMI_EVENTS(N_)
#undef N_
	};
	unsigned int n = 0;

	for (size_t i = 0; i < sizeof(fault_steps) / sizeof(fault_steps[0]);
	     i++)
		for (int ev = 0; ev < RMI_EV_COUNT; ev++)
			if ((events & (1u << ev)) &&
			    !strcmp(names[ev], fault_steps[i].prog))
				out[n++] = fault_steps[i];
	return n;
}

#define KERNEL_BENCH(name, label, events, record)			\
	do {								\
		struct name##_bpf *s = name##_bpf__open();		\
		struct step st[16];					\
		unsigned int n = pick((events) | (record), st);		\
									\
		if (!s)							\
			break;						\
		s->rodata->record_mask = (record);			\
		kernel_only(s->obj);					\
		if (name##_bpf__load(s))				\
			printf("%-20s cannot load\n", label);		\
		else							\
			run_steps(label, s->obj, st, n);		\
		name##_bpf__destroy(s);					\
	} while (0)

static void kernel_costs(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0) {
		printf("# kernel side: BPF_ENABLE_STATS refused: %s\n",
		       strerror(errno));
		return;
	}
	printf("\n# kernel side: kt_* programs, BPF_PROG_TEST_RUN %d times a fault's events,\n"
	       "# the kernel's run-time statistics (ns per run of the program)\n",
	       TEST_RUNS);
	printf("%-20s %-22s %10s %10s\n", "tool", "program", "runs", "ns/run");
	KERNEL_BENCH(rmistat, "rmistat", RMISTAT_EVENTS, 0);
	KERNEL_BENCH(s2fault, "s2fault", S2FAULT_EVENTS, 0);
	KERNEL_BENCH(rttcreate, "rttcreate", RTTCREATE_EVENTS, 0);
	KERNEL_BENCH(delegrace, "delegrace", DELEGRACE_EVENTS,
		     DELEGRACE_RECORD);
	KERNEL_BENCH(delegrace, "delegrace --result", DELEGRACE_EVENTS,
		     DELEGRACE_RECORD | RMI_BPF_METRICS_EVENTS);
	close(fd);
}

int main(void)
{
	char res[128];

	build = getenv("BUILD") ? getenv("BUILD") : "build";
	rmibench = getenv("RMIBENCH") ? getenv("RMIBENCH") : "build/rmibench";
	if (geteuid() != 0) {
		fprintf(stderr, "bench_bpf: needs root (BPF programs and uprobes)\n");
		return 1;
	}
	libbpf_set_print(quiet);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_bpf: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	printf("# rmibench bench-bpf: the cost of a traced event\n");
	snprintf(res, sizeof(res), "-j --result %s/res.json", dir);
	result_opts = res;
	sim_costs();
	kernel_costs();
	snprintf(res, sizeof(res), "rm -rf %s", dir);
	return system(res) ? 1 : 0;
}
