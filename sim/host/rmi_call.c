// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench sim: the one call site of RMI commands, as kernel/ patch 1 adds
 * to the host. Every call is traced (rmi_call_enter/exit, to the USDT
 * probes and the vCPU's event sink), may fail by an injection rule before
 * it reaches the RMM (rmi_inject, as the kernel's fail_rmi), is costed by
 * the cost model into the vCPU's virtual clock, and is a point where the
 * deterministic scheduler may switch vCPUs.
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

/*
 * Progress for the livelock watch. det runs one vCPU at a time: one
 * counter. threads: each vCPU counts its own, on its own cache line,
 * written by its thread alone (relaxed atomics: others read it), so a
 * successful call writes nothing another vCPU writes.
 */
static inline void progress_add(struct host_vcpu *v, uint64_t n)
{
	if (v->h->cfg.scheduler != SCHED_THREADS)
		v->h->global_progress += n;
	else
		__atomic_store_n(&v->progress, v->progress + n,
				 __ATOMIC_RELAXED);
}

uint64_t host_progress(struct host *h)
{
	uint64_t sum;

	if (h->cfg.scheduler != SCHED_THREADS)
		return h->global_progress;
	sum = __atomic_load_n(&h->setup.progress, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < h->nvcpus; i++)
		sum += __atomic_load_n(&h->vcpus[i].progress, __ATOMIC_RELAXED);
	return sum;
}

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

uint64_t host_rmi_call(struct host_vcpu *v, uint32_t fid, uint64_t x1,
		       uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5,
		       uint64_t out[5])
{
	struct host *h = v->h;
	struct rmm_regs in = { .x = { fid, x1, x2, x3, x4, x5, 0, 0 } }, r;
	unsigned int ci = rmi_cmd_index(fid), st;
	uint64_t cost = 0;
	bool ok;

	host_ev_rmi_call_enter(v, fid, x1, x2, x3);
	if (injector_check(&h->inj, fid, in.x,
			   v == &h->setup ? INJ_NO_VCPU : v->id, &r.x[0])) {
		/* as fail_rmi: the status, every other output zero */
		memset(&r.x[1], 0, sizeof(r.x) - sizeof(r.x[0]));
		host_ev_rmi_inject(v, fid, RMI_RETURN_STATUS(r.x[0]),
				   RMI_RETURN_INDEX(r.x[0]));
	} else {
		rmm_smc(h->m, &in, &r);
	}
	st = RMI_RETURN_STATUS(r.x[0]);
	ok = st == RMI_SUCCESS && !(r.x[0] >> 16);

	v->fault_calls++;
	if (ci < RMI_CMD_COUNT) {
		const struct cost_entry *ce = &h->cost->cmd[ci];

		cost = ce->fixed_ns;
		if (ok)
			cost += ce->per_granule_ns * granules_done(fid, in.x, r.x);
	}
	/* several vCPUs: +-12.5% seeded jitter varies the interleavings */
	if (h->nvcpus > 1 && cost)
		cost += (rmib_xorshift(&v->rng) % (cost / 4 + 1)) - cost / 8;
	v->clock_ns += cost;
	if (ok && !v->no_progress)
		progress_add(v, 1);
	host_ev_rmi_call_exit(v, fid, st, RMI_RETURN_INDEX(r.x[0]), r.x[1]);
	if (h->chooser) {
		/* where the vCPU is, for the state hash */
		v->last_call[0] = fid;
		v->last_call[1] = x1;
		v->last_call[2] = x2;
		v->last_call[3] = x3;
		v->last_call[4] = r.x[0];
		v->last_call[5] = r.x[1];
		if (ci < RMI_CMD_COUNT)
			v->calls_by_cmd[ci]++;
	}
	if (out)
		memcpy(out, r.x, 5 * sizeof(uint64_t));
	/* one vCPU: sched_point() would return at once */
	if (h->nvcpus > 1)
		sched_point(v);
	return r.x[0];
}

void host_warns_add(struct host_warns *w, const char *reason, uint64_t count)
{
	unsigned int i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->kind[i].reason, reason))
			break;
	if (i == w->n) {
		if (w->n == HOST_WARN_KINDS)
			i = HOST_WARN_KINDS - 1;	/* the last one collects */
		else
			snprintf(w->kind[w->n++].reason, HOST_WARN_LEN, "%s",
				 reason);
	}
	w->kind[i].count += count;
	w->total += count;
}

void host_warn(struct host_vcpu *v, const char *fmt, ...)
{
	char reason[HOST_WARN_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	host_warns_add(&v->warns, reason, 1);
}

static void host_die(struct host *h, enum host_death kind, const char *fmt,
		     va_list ap)
{
	int expect = HOST_ALIVE;

	rmm_fp_note(RMM_FP_HOST, HOST_RES_DEAD, HOST_RES_DEAD + 1, true);
	if (!__atomic_compare_exchange_n(&h->dead, &expect, (int)kind, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;	/* the first reason stands */
	vsnprintf(h->why, sizeof(h->why), fmt, ap);
}

void host_kill(struct host *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_die(h, HOST_KILLED, fmt, ap);
	va_end(ap);
}

void host_livelock(struct host *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_die(h, HOST_LIVELOCK, fmt, ap);
	va_end(ap);
}
