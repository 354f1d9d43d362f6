// SPDX-License-Identifier: GPL-2.0-only
/*
 * rttcreate: RTT creations by level and outcome, and RTTs live over time
 * (created minus destroyed and folded), on a CCA host (kvm_rmi trace
 * events) or on the sim (its USDT probes).
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "cli.h"
#include "rmm.h"
#include "rttcreate.h"
#include "rttcreate.skel.h"
#include "tool.h"

struct rttcreate {
	struct tool t;
	struct rttcreate_bpf *skel;
	unsigned long slot_ms;
};

static struct rttcreate rc_ = { .slot_ms = 10 };

enum { OPT_SLOT = 0x2000 };

static const struct argp_option options[] = {
	{ "slot", OPT_SLOT, "MS", 0,
	  "time slot of the timeline, milliseconds (10; 1024 slots, the "
	  "last one takes the rest)", 0 },
	{ 0 }
};

static int parse(int key, char *arg, struct argp_state *state)
{
	uint64_t v;

	switch (key) {
	case OPT_SLOT:
		if (cli_parse_uint(arg, 1, 3600000, &v))
			return cli_bad_value(state, "slot", arg,
					     "want milliseconds, 1 to 3600000");
		rc_.slot_ms = (unsigned long)v;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = TOOL_ARGP(options, parse,
	"RTT creations by level and outcome; RTTs live over time.");

struct totals {
	struct rttc_level lv[RTTC_LEVELS];
	struct rttc_slot slot[RTTC_SLOTS];
	uint64_t created, destroyed;
	int64_t live;
	uint64_t peak;
	int last;		/* last slot with activity, -1: none */
};

static const char *status_name(int b)
{
	return b < RMI_BPF_STATUS_OTHER ? rmi_status_name(b) : "OTHER";
}

static const char *level_name(int l)
{
	static const char *const n[RTTC_LEVELS] = {
		"L0", "L1", "L2", "L3", "other"
	};

	return n[l];
}

static void read_totals(struct rttcreate *s, struct totals *k)
{
	struct tool *t = &s->t;
	const void *pc;

	memset(k, 0, sizeof(*k));
	k->last = -1;
	for (uint32_t i = 0; i < RTTC_LEVELS; i++) {
		pc = tool_percpu_lookup(t, s->skel->maps.levels, &i,
					sizeof(k->lv[i]));
		if (pc)
			tool_percpu_sum(t, pc, sizeof(k->lv[i]), &k->lv[i]);
		k->created += k->lv[i].status[RMI_SUCCESS];
	}
	for (uint32_t i = 0; i < RTTC_SLOTS; i++) {
		pc = tool_percpu_lookup(t, s->skel->maps.slots, &i,
					sizeof(k->slot[i]));
		if (pc)
			tool_percpu_sum(t, pc, sizeof(k->slot[i]),
					&k->slot[i]);
		k->destroyed += k->slot[i].destroyed;
		if (k->slot[i].created || k->slot[i].destroyed)
			k->last = (int)i;
	}
	k->live = s->skel->bss->live;
	k->peak = s->skel->bss->peak;
}

static void print_text(struct rttcreate *s, const struct totals *k)
{
	struct tool *t = &s->t;
	int group, rows = 0;
	int64_t live = 0;

	if (t->o.pid)
		printf("rttcreate: %s, pid %d (%s), %.3f s\n",
		       tool_backend_name(t->backend), (int)t->o.pid, t->binary,
		       t->t_end - t->t0);
	else
		printf("rttcreate: %s, all processes, %.3f s\n",
		       tool_backend_name(t->backend), t->t_end - t->t0);
	printf("RTTs created %llu, destroyed or folded %llu, live %lld, peak %llu\n",
	       (unsigned long long)k->created,
	       (unsigned long long)k->destroyed, (long long)k->live,
	       (unsigned long long)k->peak);
	printf("%-6s %10s  %s\n", "LEVEL", "CALLS", "BY STATUS");
	for (int l = 0; l < RTTC_LEVELS; l++) {
		uint64_t n = 0;

		for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++)
			n += k->lv[l].status[b];
		if (!n)
			continue;
		printf("%-6s %10llu ", level_name(l), (unsigned long long)n);
		for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++)
			if (k->lv[l].status[b])
				printf(" %s %llu", status_name(b),
				       (unsigned long long)k->lv[l].status[b]);
		putchar('\n');
	}
	if (k->last >= 0) {
		/* at most 40 rows: slots grouped */
		group = k->last / 40 + 1;
		printf("\ntimeline (%lu ms per row%s)\n%10s %10s %10s %10s\n",
		       s->slot_ms * (unsigned long)group,
		       k->last == RTTC_SLOTS - 1 ? ", the last row takes the rest" : "",
		       "T-MS", "CREATED", "DESTROYED", "LIVE");
		for (int i = 0; i <= k->last && rows < 41; i += group, rows++) {
			uint64_t c = 0, d = 0;

			for (int j = i; j < i + group && j <= k->last; j++) {
				c += k->slot[j].created;
				d += k->slot[j].destroyed;
			}
			live += (int64_t)c - (int64_t)d;
			printf("%10lu %10llu %10llu %10lld\n",
			       (unsigned long)i * s->slot_ms,
			       (unsigned long long)c, (unsigned long long)d,
			       (long long)live);
		}
	}
	tool_print_events(t, stdout);
}

static void print_json(struct rttcreate *s, const struct totals *k,
		       bool final)
{
	json_object *o = tool_json_report(&s->t, final), *j, *tl;
	int64_t live = 0;

	json_object_object_add(o, "created", json_object_new_uint64(k->created));
	json_object_object_add(o, "destroyed",
			       json_object_new_uint64(k->destroyed));
	json_object_object_add(o, "live", json_object_new_int64(k->live));
	json_object_object_add(o, "peak", json_object_new_uint64(k->peak));
	j = json_object_new_object();
	for (int l = 0; l < RTTC_LEVELS; l++) {
		json_object *bs = NULL;

		for (int b = 0; b < RMI_BPF_STATUS_BUCKETS; b++) {
			if (!k->lv[l].status[b])
				continue;
			if (!bs)
				bs = json_object_new_object();
			json_object_object_add(bs, status_name(b),
				json_object_new_uint64(k->lv[l].status[b]));
		}
		if (bs)
			json_object_object_add(j, level_name(l), bs);
	}
	json_object_object_add(o, "by_level", j);
	json_object_object_add(o, "slot_ms",
			       json_object_new_uint64(s->slot_ms));
	tl = json_object_new_array();
	for (int i = 0; i <= k->last; i++) {
		json_object *r;

		live += (int64_t)k->slot[i].created -
			(int64_t)k->slot[i].destroyed;
		if (!k->slot[i].created && !k->slot[i].destroyed)
			continue;
		r = json_object_new_object();
		json_object_object_add(r, "slot", json_object_new_int(i));
		json_object_object_add(r, "created",
				json_object_new_uint64(k->slot[i].created));
		json_object_object_add(r, "destroyed",
				json_object_new_uint64(k->slot[i].destroyed));
		json_object_object_add(r, "live", json_object_new_int64(live));
		json_object_array_add(tl, r);
	}
	json_object_object_add(o, "timeline", tl);
	tool_json_print(o);
}

static int report(struct tool *t, bool final, void *ctx)
{
	struct rttcreate *s = ctx;
	struct totals *k = malloc(sizeof(*k));

	(void)t;
	if (!k)
		return tool_err(&s->t, "out of memory");
	read_totals(s, k);
	if (s->t.o.json)
		print_json(s, k, final);
	else
		print_text(s, k);
	free(k);
	return 0;
}

TOOL_SKEL(rttcreate);

static void opened(void *ctx, void *skel)
{
	struct rttcreate *s = ctx;

	s->skel = skel;
	s->skel->rodata->slot_ns = (uint64_t)s->slot_ms * 1000000ull;
}

static void started(void *ctx)
{
	struct rttcreate *s = ctx;

	s->skel->bss->t0 = tool_now_ns();
}

int main(int argc, char **argv)
{
	static const struct tool_def def = {
		.name = "rttcreate",
		.argp = &argp,
		.events = RTTCREATE_EVENTS,
		.record = 0,
		.skel = &rttcreate_skel,
		.opened = opened,
		.started = started,
		.report = report,
	};

	return tool_main(&rc_.t, &def, &rc_, argc, argv);
}
