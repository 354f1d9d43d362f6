// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmistat: RMI calls per command, by status, with log2 latency
 * histograms (enter and exit paired per thread), on a CCA host (kvm_rmi
 * trace events) or on the sim (its USDT probes). --calibration-out writes
 * the calibration file `rmibench run --calibration` reads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "cli.h"
#include "rmistat.h"
#include "rmistat.skel.h"
#include "rmm.h"
#include "tool.h"

struct rmistat {
	struct tool t;
	struct rmistat_bpf *skel;
	const char *calibration_out;
};

static struct rmistat st;

enum { OPT_CALIBRATION_OUT = 0x2000 };

static const struct argp_option options[] = {
	{ "calibration-out", OPT_CALIBRATION_OUT, "FILE", 0,
	  "write the measured costs as a calibration file "
	  "(rmibench run --calibration FILE)", 0 },
	{ 0 }
};

static int parse(int key, char *arg, struct argp_state *state)
{
	const char *why;

	switch (key) {
	case OPT_CALIBRATION_OUT:
		why = tool_check_out(arg);
		if (why)
			return cli_bad_value(state, "calibration-out", arg,
					     why);
		st.calibration_out = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = TOOL_ARGP(options, parse,
	"RMI calls per command by status, with latency histograms.");

/* one command's numbers, summed over CPUs */
struct cmd_total {
	struct rmistat_cmd c;
	struct hist lat;
	uint64_t calls;
};

static void read_cmds(struct rmistat *s, struct cmd_total *tot)
{
	struct tool *t = &s->t;

	for (uint32_t i = 0; i < RMISTAT_NCMD; i++) {
		const void *pc = tool_percpu_lookup(t, s->skel->maps.cmds, &i,
						    sizeof(struct rmistat_cmd));

		memset(&tot[i], 0, sizeof(tot[i]));
		if (!pc)
			continue;
		tool_percpu_sum(t, pc, sizeof(struct rmistat_cmd), &tot[i].c);
		tool_percpu_hist(t, pc, sizeof(struct rmistat_cmd),
				 offsetof(struct rmistat_cmd, lat),
				 &tot[i].lat);
		for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++)
			tot[i].calls += tot[i].c.status[b];
	}
}

static void read_faults(struct rmistat *s, struct rmistat_fault *f)
{
	uint32_t zero = 0;
	const void *pc = tool_percpu_lookup(&s->t, s->skel->maps.faults, &zero,
					    sizeof(*f));

	memset(f, 0, sizeof(*f));
	if (pc)
		tool_percpu_sum(&s->t, pc, sizeof(*f), f);
}

static const char *cmd_name(uint32_t i)
{
	return i < RMI_CMD_COUNT ? rmi_cmd_name_at(i) : "(not RMI)";
}

static const char *status_name(int b)
{
	return b < RMI_BPF_STATUS_OTHER ? rmi_status_name(b) : "OTHER";
}

/*
 * The cost of one call as the sim's cost model has it, fixed + per granule
 * * granules, fitted by least squares to the paired calls (failed calls
 * count no granules). Either part that would be negative is 0 and the
 * other takes the whole mean.
 */
static void fit(const struct cmd_total *c, uint64_t *fixed, uint64_t *per)
{
	double n = (double)c->lat.count, sl = (double)c->lat.sum;
	double sg = (double)c->c.sum_g, sgg = (double)c->c.sum_gg;
	double sgl = (double)c->c.sum_gl, den = n * sgg - sg * sg;
	double a, b = 0;

	if (n <= 0) {
		*fixed = *per = 0;
		return;
	}
	if (den > 0.5)
		b = (n * sgl - sg * sl) / den;
	if (b < 0)
		b = 0;
	a = (sl - b * sg) / n;
	if (a < 0) {
		a = 0;
		b = sg > 0 ? sl / sg : 0;
	}
	*fixed = (uint64_t)llround(fmin(a, 1e9));
	*per = (uint64_t)llround(fmin(b, 1e9));
}

/* realm mapping time outside its RMI calls, per mapping */
static uint64_t fault_overhead(const struct cmd_total *tot,
			       const struct rmistat_fault *f)
{
	uint64_t in_calls = 0;

	if (!f->faults)
		return 0;
	for (uint32_t i = 0; i < RMISTAT_NCMD; i++)
		in_calls += tot[i].c.in_fault_lat;
	if (in_calls >= f->lat)
		return 0;
	return (f->lat - in_calls) / f->faults;
}

static int write_calibration(struct rmistat *s, const struct cmd_total *tot,
			     const struct rmistat_fault *f)
{
	json_object *o = json_object_new_object(), *costs;
	char source[192], err[512];
	uint64_t calls = 0;
	const char *text;
	int rc;

	for (uint32_t i = 0; i < RMI_CMD_COUNT; i++)
		calls += tot[i].lat.count;
	snprintf(source, sizeof(source), "rmistat, %s, %.120s, %llu calls",
		 tool_backend_name(s->t.backend),
		 s->t.backend == TOOL_KERNEL ? "kvm_rmi trace events" :
					       s->t.binary,
		 (unsigned long long)calls);
	json_object_object_add(o, "schema",
			       json_object_new_string("rmibench-costs-1"));
	json_object_object_add(o, "source", json_object_new_string(source));
	costs = json_object_new_object();
	for (uint32_t i = 0; i < RMI_CMD_COUNT; i++) {
		json_object *c;
		uint64_t fixed, per;

		if (!tot[i].lat.count)
			continue;
		fit(&tot[i], &fixed, &per);
		c = json_object_new_object();
		json_object_object_add(c, "fixed_ns",
				       json_object_new_uint64(fixed));
		json_object_object_add(c, "per_granule_ns",
				       json_object_new_uint64(per));
		json_object_object_add(costs, cmd_name(i), c);
	}
	json_object_object_add(o, "costs", costs);
	if (f->faults)
		json_object_object_add(o, "fault_overhead_ns",
				       json_object_new_uint64(
					       fault_overhead(tot, f)));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = result_write_file_atomic(s->calibration_out, text, strlen(text),
				      err, sizeof(err));
	json_object_put(o);
	if (rc)
		return tool_err(&s->t, "%s", err);
	return 0;
}

static void print_text(struct rmistat *s, const struct cmd_total *tot,
		       const struct rmistat_fault *f)
{
	struct tool *t = &s->t;
	uint64_t in_calls = 0;

	if (t->o.pid)
		printf("rmistat: %s, pid %d (%s), %.3f s\n",
		       tool_backend_name(t->backend), (int)t->o.pid, t->binary,
		       t->t_end - t->t0);
	else
		printf("rmistat: %s, all processes, %.3f s\n",
		       tool_backend_name(t->backend), t->t_end - t->t0);
	printf("%-26s %10s %10s %10s  %s\n", "COMMAND", "CALLS", "IN-FAULT",
	       "MEAN-NS", "BY STATUS");
	for (uint32_t i = 0; i < RMISTAT_NCMD; i++) {
		const struct cmd_total *c = &tot[i];

		if (!c->calls)
			continue;
		in_calls += c->c.in_fault_lat;
		printf("%-26s %10llu %10llu %10.0f ", cmd_name(i),
		       (unsigned long long)c->calls,
		       (unsigned long long)c->c.in_fault,
		       c->lat.count ? (double)c->lat.sum /
				      (double)c->lat.count : 0.0);
		for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++)
			if (c->c.status[b])
				printf(" %s %llu", status_name(b),
				       (unsigned long long)c->c.status[b]);
		if (c->c.unpaired)
			printf(" (%llu unpaired)",
			       (unsigned long long)c->c.unpaired);
		putchar('\n');
	}
	if (f->faults)
		printf("realm mappings %llu, mean %.0f ns, of which RMI calls %.0f ns\n",
		       (unsigned long long)f->faults,
		       (double)f->lat / (double)f->faults,
		       (double)in_calls / (double)f->faults);
	for (uint32_t i = 0; i < RMISTAT_NCMD; i++) {
		if (!tot[i].lat.count)
			continue;
		printf("\n%s latency\n", cmd_name(i));
		tool_print_hist(stdout, &tot[i].lat, "ns");
	}
	tool_print_events(t, stdout);
}

static void print_json(struct rmistat *s, const struct cmd_total *tot,
		       const struct rmistat_fault *f, bool final)
{
	json_object *o = tool_json_report(&s->t, final), *cmds;
	uint64_t calls = 0, in_fault = 0;

	cmds = json_object_new_object();
	for (uint32_t i = 0; i < RMISTAT_NCMD; i++) {
		const struct cmd_total *c = &tot[i];
		json_object *j, *bs;

		if (!c->calls)
			continue;
		calls += c->calls;
		in_fault += c->c.in_fault;
		j = json_object_new_object();
		json_object_object_add(j, "calls",
				       json_object_new_uint64(c->calls));
		json_object_object_add(j, "in_fault",
				       json_object_new_uint64(c->c.in_fault));
		json_object_object_add(j, "in_fault_granules",
				       json_object_new_uint64(
					       c->c.in_fault_gran));
		json_object_object_add(j, "unpaired",
				       json_object_new_uint64(c->c.unpaired));
		bs = json_object_new_object();
		for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++)
			if (c->c.status[b])
				json_object_object_add(bs, status_name(b),
					json_object_new_uint64(c->c.status[b]));
		json_object_object_add(j, "by_status", bs);
		json_object_object_add(j, "latency_ns",
				       tool_hist_json(&c->lat));
		json_object_object_add(cmds, cmd_name(i), j);
	}
	json_object_object_add(o, "rmi_calls", json_object_new_uint64(calls));
	json_object_object_add(o, "rmi_calls_in_fault",
			       json_object_new_uint64(in_fault));
	json_object_object_add(o, "commands", cmds);
	json_object_object_add(o, "realm_mappings",
			       json_object_new_uint64(f->faults));
	json_object_object_add(o, "realm_mapping_ns",
			       json_object_new_uint64(f->lat));
	json_object_object_add(o, "fault_overhead_ns",
			       json_object_new_uint64(fault_overhead(tot, f)));
	tool_json_print(o);
}

static int report(struct tool *t, bool final, void *ctx)
{
	struct rmistat *s = ctx;
	struct cmd_total *tot = calloc(RMISTAT_NCMD, sizeof(*tot));
	struct rmistat_fault f;
	int rc = 0;

	(void)t;
	if (!tot)
		return tool_err(&s->t, "out of memory");
	read_cmds(s, tot);
	read_faults(s, &f);
	if (s->t.o.json)
		print_json(s, tot, &f, final);
	else
		print_text(s, tot, &f);
	if (final && s->calibration_out)
		rc = write_calibration(s, tot, &f);
	free(tot);
	return rc;
}

TOOL_SKEL(rmistat);

static void opened(void *ctx, void *skel)
{
	struct rmistat *s = ctx;

	s->skel = skel;
}

int main(int argc, char **argv)
{
	static const struct tool_def def = {
		.name = "rmistat",
		.argp = &argp,
		.events = RMISTAT_EVENTS,
		.record = 0,
		.skel = &rmistat_skel,
		.opened = opened,
		.report = report,
	};

	return tool_main(&st.t, &def, &st, argc, argv);
}
