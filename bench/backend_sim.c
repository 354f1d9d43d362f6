// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the sim backend. The host path (sim/host) on the RMM model
 * (sim/rmm), its events into the metrics sink, its own report (leak
 * audit, mapped bytes, model memory, WARNs, outcome) into the result.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "config.h"
#include "host.h"

/* CPU time of the whole process (every vCPU thread), seconds */
static double cpu_s(void)
{
	return (double)rmib_clock_ns(CLOCK_PROCESS_CPUTIME_ID) * 1e-9;
}

static const struct sched_chooser *sim_chooser;

void backend_sim_set_chooser(const struct sched_chooser *c)
{
	sim_chooser = c;
}

static void host_config_of(const struct run_config *c, struct host_config *h)
{
	*h = (struct host_config){
		.version = c->kernel,
		.strategy = c->strategy,
		.delegation = c->delegation,
		.profile = c->profile,
		.delegate_granules = c->delegate_granules,
		.folio = c->folio,
		.ipa = c->ipa,
		.size = c->size,
		.vcpus = c->vcpus,
		.workload = c->workload,
		.shared_region = c->shared_region,
		.write_pct = c->write_pct,
		.shared_pct = c->shared_pct,
		.ripas_pct = c->ripas_pct,
		.passes = c->passes,
		.stride = c->stride,
		.scheduler = c->scheduler,
		.seed = c->seed,
		.s2sz = c->s2sz,
		.livelock_faults = c->livelock_faults,
		.hotplug = c->hotplug,
		.gpt = c->gpt,
		.firmware = c->firmware,
	};
}

static int sim_prepare(const struct run_config *cfg, char *err,
		       size_t errlen)
{
	struct host_config hc;

	if (cfg->vm != VM_REALM) {
		snprintf(err, errlen, "the sim models realms: --vm %s needs --backend kernel",
			 vm_name(cfg->vm));
		return -1;
	}
	if (!rmm_profile_find(cfg->profile)) {
		snprintf(err, errlen, "unknown RMM profile '%s'", cfg->profile);
		return -1;
	}
	host_config_of(cfg, &hc);
	return host_config_check(&hc, err, errlen);
}

static unsigned int sim_streams(const struct run_config *cfg)
{
	return cfg->vcpus + 1;	/* the vCPUs and the VMM's thread */
}


static int sim_run(const struct run_config *cfg, const struct inj_rule *rules,
		   unsigned int nrules, struct metrics *m,
		   struct run_result *r, char *err, size_t errlen)
{
	struct host_report rep = { 0 };
	struct host_config hc;
	struct cost_model cost;
	struct run_counts *k = &r->counts;
	struct host h;
	double t0 = rmib_now_s(), t1, t2, t3, c1, c2;
	uint64_t h_every;
	bool alive;
	int rc;

	cost_model_default(&cost);
	if (cfg->calibration[0] &&
	    cost_model_load(&cost, cfg->calibration, err, errlen))
		return -1;
	host_config_of(cfg, &hc);
	/* det runs every vCPU and the VMM's thread on this one thread */
	if (cfg->scheduler == SCHED_DET && metrics_one_shard(m)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (host_init(&h, &hc, &cost, metrics_sink_for, m, err, errlen))
		return -1;
	if (nrules && host_set_inject(&h, rules, nrules)) {
		snprintf(err, errlen, "the injection rules were refused");
		host_fini(&h);
		return -1;
	}
	if (sim_chooser && host_set_chooser(&h, sim_chooser, err, errlen)) {
		host_fini(&h);
		return -1;
	}
	metrics_phase(m, METRICS_SETUP);
	rc = kvm_activate_realm(&h);
	metrics_phase(m, METRICS_FAULT);
	t1 = rmib_now_s();
	c1 = cpu_s();
	if (!rc && sched_run(&h, err, errlen)) {
		host_fini(&h);
		return -1;
	}
	t2 = rmib_now_s();
	c2 = cpu_s();
	h_every = h.stamp_every;
	/* the realm alive when the workload ended: what fails from here
	 * on fails at teardown (every access made: checked below) */
	alive = !rc && !h.dead;
	if (h.stopped) {
		/* the chooser ended it: nothing to tear down or audit */
		host_fini(&h);
		snprintf(r->outcome, sizeof(r->outcome), "stopped");
		r->outcome_class = OUTCOME_OK;
		r->cost_model_default = cost.is_default;
		return 0;
	}
	host_report_before_teardown(&h, &rep);
	metrics_phase(m, METRICS_TEARDOWN);
	t3 = rmib_now_s();
	kvm_destroy_realm(&h);
	host_report(&h, &rep);
	host_fini(&h);
	/* set-up: the model and the realm; faults: the workload alone;
	 * teardown: destruction, the leak audit and the model's check */
	r->phases_timed = true;
	r->setup_seconds = t1 - t0;
	r->fault_seconds = t2 - t1;
	r->fault_cpu_seconds = c2 - c1;
	r->teardown_seconds = rmib_now_s() - t3;
	snprintf(r->fault_clock, sizeof(r->fault_clock), "%s",
		 rmib_fast_clock_source());
	r->fault_clock_resolution_ns = rmib_fast_clock_resolution_ns();
	r->fault_clock_every = (unsigned int)h_every;

	k->boot_rmi_calls += rep.boot_calls;
	k->accesses += rep.accesses;
	k->ripas_changes += rep.ripas_changes;
	k->mmu_lock_waits += rep.lock_waits;
	k->mmu_lock_wait_ns += rep.lock_wait_ns;
	k->guest_errors += rep.guest_errors;
	k->leaked_granules += rep.leaked_granules;
	for (unsigned int i = 0; i < RMI_GRANULE_STATE_COUNT; i++)
		k->leaked_by_state[i] += rep.leaked_by_state[i];
	memcpy(k->mapped_bytes, rep.mapped_bytes, sizeof(k->mapped_bytes));
	k->warnings += rep.warns.total;
	for (unsigned int i = 0; i < rep.warns.n; i++)
		run_counts_add_warn(k, rep.warns.kind[i].reason,
				    rep.warns.kind[i].count);
	r->model_bytes = rep.model_bytes;
	r->virtual_seconds = rep.virtual_seconds;
	r->workload_done = alive && rep.accesses == run_config_accesses(cfg);
	if (!rep.invariants_ok)
		snprintf(r->outcome, sizeof(r->outcome),
			 "model invariant broken: %s", rep.invariant);
	else if (rep.death == HOST_ALIVE && rep.leaked_granules)
		snprintf(r->outcome, sizeof(r->outcome),
			 "%llu granules left delegated after teardown",
			 (unsigned long long)rep.leaked_granules);
	else
		snprintf(r->outcome, sizeof(r->outcome), "%s", rep.outcome);
	r->outcome_class = !rep.invariants_ok ? OUTCOME_INVARIANT :
			   rep.death == HOST_LIVELOCK ? OUTCOME_LIVELOCK :
			   rep.leaked_granules ? OUTCOME_LEAK :
			   rep.death == HOST_KILLED ? OUTCOME_KILLED :
			   OUTCOME_OK;
	r->cost_model_default = cost.is_default;
	return 0;
}

const struct backend backend_sim = {
	.name = "sim",
	.prepare = sim_prepare,
	.run = sim_run,
	.streams = sim_streams,
};
