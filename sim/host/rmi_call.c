// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench sim: the one call site of RMI commands, as kernel/ patch 1 adds
 * to the host. Every call is counted (by command and status, per vCPU),
 * costed by the cost model into the vCPU's virtual clock, traced by the
 * rmi_call_enter/exit probes, and is a point where the deterministic
 * scheduler may switch vCPUs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "probes.h"

/* one semaphore per event of the schema */
#define RMIB_SEM_DEFINE_(name, fields) \
	volatile unsigned short RMIB_SEM(name) \
		__attribute__((section(".probes")));
RMI_EVENTS(RMIB_SEM_DEFINE_)

/* Granules a successful call worked on, for the per-granule cost. */
static uint64_t granules_done(uint32_t fid, const uint64_t *in,
			      const uint64_t *out)
{
	switch (fid) {
	case RMI_GRANULE_RANGE_DELEGATE:
	case RMI_GRANULE_RANGE_UNDELEGATE:
		return (out[1] - in[1]) >> RMI_GRANULE_SHIFT;
	case RMI_RTT_DATA_MAP:
	case RMI_RTT_DATA_UNMAP:
	case RMI_RTT_UNPROT_MAP:
	case RMI_RTT_UNPROT_UNMAP:
		return (out[1] - in[2]) >> RMI_GRANULE_SHIFT;
	default:
		return 0;
	}
}

static __thread struct host_vcpu *current_vcpu;

/* The model's injection point reports here (kvm_rmi:rmi_inject). */
void host_inject_cb(void *ctx, uint32_t fid, unsigned int status,
		    unsigned int index)
{
	(void)ctx;
	RMIB_PROBE3(rmi_inject, fid, status, index);
	if (current_vcpu)
		current_vcpu->c.injected++;
}

uint64_t host_rmi_call(struct host_vcpu *v, uint32_t fid, uint64_t x1,
		       uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5,
		       uint64_t out[5])
{
	struct host *h = v->h;
	struct rmm_regs in = { .x = { fid, x1, x2, x3, x4, x5, 0, 0 } }, r;
	unsigned int ci = rmi_cmd_index(fid), st;
	uint64_t cost;

	RMIB_PROBE4(rmi_call_enter, fid, x1, x2, x3);
	current_vcpu = v;
	rmm_smc(h->m, &in, &r);
	current_vcpu = NULL;
	st = RMI_RETURN_STATUS(r.x[0]);
	if ((r.x[0] >> 16) || st > RMI_ERROR_GRANULE)
		st = STATUS_OTHER;

	v->c.rmi_calls++;
	v->fault_calls++;
	if (ci < RMI_CMD_COUNT) {
		const struct cost_entry *ce = &h->cost->cmd[ci];

		v->c.by_cmd[ci][st]++;
		cost = ce->fixed_ns;
		if (st == RMI_SUCCESS)
			cost += ce->per_granule_ns * granules_done(fid, in.x, r.x);
	} else {
		cost = 0;
	}
	/* several vCPUs: +-12.5% seeded jitter varies the interleavings */
	if (h->nvcpus > 1 && cost)
		cost += (xorshift(&v->rng) % (cost / 4 + 1)) - cost / 8;
	v->clock_ns += cost;
	v->fault_cost_ns += cost;
	if (st == RMI_SUCCESS)
		__atomic_fetch_add(&h->global_progress, 1, __ATOMIC_RELAXED);
	RMIB_PROBE4(rmi_call_exit, fid, RMI_RETURN_STATUS(r.x[0]),
		    RMI_RETURN_INDEX(r.x[0]), r.x[1]);
	if (out)
		memcpy(out, r.x, 5 * sizeof(uint64_t));
	sched_point(v);
	return r.x[0];
}

void warn_kind_add(struct run_counts *c, const char *reason, uint64_t count)
{
	unsigned int i;

	for (i = 0; i < c->nwarn; i++)
		if (!strcmp(c->warn[i].reason, reason))
			break;
	if (i == c->nwarn) {
		if (c->nwarn == MAX_WARN_KINDS)
			i = MAX_WARN_KINDS - 1;	/* the last one collects */
		else
			snprintf(c->warn[c->nwarn++].reason,
				 sizeof(c->warn[0].reason), "%s", reason);
	}
	c->warn[i].count += count;
}

void host_warn(struct host_vcpu *v, const char *fmt, ...)
{
	char reason[sizeof(v->c.warn[0].reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	v->c.warnings++;
	warn_kind_add(&v->c, reason, 1);
}

void host_kill(struct host *h, const char *fmt, ...)
{
	va_list ap;
	int expect = 0;

	if (!__atomic_compare_exchange_n(&h->dead, &expect, 1, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;	/* the first reason stands */
	va_start(ap, fmt);
	vsnprintf(h->why, sizeof(h->why), fmt, ap);
	va_end(ap);
}
