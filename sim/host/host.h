/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench sim: the host's realm stage-2 path in user space.
 *
 * The functions mirror the CCA host series (arch/arm64/kvm/rmi.c) by name
 * and shape so that a reviewer can read both side by side; they talk to the
 * RMM model only through its SMC entry point, via one call site
 * (host_rmi_call), as kernel/ patch 1 gives the kernel.
 */
#ifndef RMIBENCH_HOST_H
#define RMIBENCH_HOST_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "inject.h"
#include "rmi_cost.h"
#include "rmi_sink.h"
#include "rmib_config.h"
#include "rmib_util.h"
#include "rmm.h"
#include "rtt_strategy.h"

struct host;
struct sched;

/* ---- scheduled runs (rmibench explore, rmibench run --schedule) ------------ */

/* The most vCPUs a run whose choices come from a chooser may have. */
#define SCHED_CHOOSE_MAX_VCPUS	64
#define SCHED_NONE		(~0u)	/* no vCPU */
#define SCHED_STOP		(~0u - 1)	/* choose(): end the run here */

/*
 * A decision point of a scheduled run: after an RMI call, where more than
 * one vCPU may run (a vCPU waiting for kvm->mmu_lock may not), or where
 * the running one ended or has to wait and several others may go on.
 */
struct sched_decision {
	unsigned int index;		/* 0, 1, ... in the run */
	uint64_t runnable;		/* bit i: vCPU i may run; 0 at the
					 * end of the run (only @fp to take) */
	unsigned int prev;		/* whose step just ended (SCHED_NONE
					 * at the first decision) */
	unsigned int dflt;		/* the default: round robin, the
					 * next vCPU after @prev in id order
					 * that may run */
	const struct rmm_footprint *fp;	/* what that step touched (rmm.h),
					 * NULL unless asked for */
};

/*
 * Who decides: choose() returns a runnable vCPU, or SCHED_STOP to end the
 * run where it is (the realm is then neither run on nor torn down). With
 * @footprints each step's footprint is noted (sim/rmm, plus the host's
 * own resources: enum host_res).
 */
struct sched_chooser {
	unsigned int (*choose)(void *ctx, struct host *h,
			       const struct sched_decision *d);
	void *ctx;
	bool footprints;
};

/* The host's resources in footprints (RMM_FP_HOST ids). */
enum host_res {
	HOST_RES_DEAD = 1,	/* the realm's death, which every step reads */
	HOST_RES_MMU_LOCK,	/* kvm->mmu_lock: read for read, write for write */
	HOST_RES_PAGES,		/* the host page allocator */
};

/* What a run of the sim is: the host's and the workload's settings. */
struct host_config {
	enum host_version version;	/* every path as that tree has it */
	enum rmi_rtt_strategy strategy;
	enum deleg_variant delegation;
	const char *profile;		/* RMM profile name */
	unsigned int delegate_granules;	/* granules per delegate call */
	enum folio_mode folio;
	uint64_t ipa, size;		/* the memslot */
	unsigned int vcpus;
	const char *workload;		/* pattern name (guests/) */
	bool shared_region;
	unsigned int write_pct;
	unsigned int shared_pct;	/* accesses through the shared alias */
	unsigned int ripas_pct;		/* private accesses that first set
					 * RIPAS EMPTY, then RAM again */
	unsigned int passes;
	uint64_t stride;
	enum sched_kind scheduler;
	uint64_t seed;
	unsigned int s2sz;
	uint64_t livelock_faults;	/* consecutive no-progress re-faults */
	uint64_t populate;		/* bytes of the memslot populated
					 * (DATA_MAP_INIT) before activation */
	uint64_t hotplug;		/* bytes of memory added after boot,
					 * the memslot's last ones (1 GiB
					 * multiple, at most size) */
	enum gpt_mode gpt;		/* memory the RMM cannot use yet */
	enum rmm_firmware firmware;	/* what firmware prepared at boot */
};

/*
 * The sim host's physical memory. memblock at boot: DRAM with the host's
 * own pages [0, HOST_PAGES_END), the guest memory bank from GMEM_PA_BASE
 * (what the memslot does not take from hotplugged memory), and the NS
 * pages behind shared IPAs from SHARED_PA_BASE. Memory hotplugged after
 * boot starts at HOTPLUG_PA_BASE.
 */
#define HOST_PAGES_BASE	(16ull << 20)
#define HOST_PAGES_END	(64ull << 30)
#define GMEM_PA_BASE	(1ull << 40)
#define HOTPLUG_PA_BASE	(2ull << 40)
#define SHARED_PA_BASE	(1ull << 47)

/* WARN()s by reason, as the kernel's splats would show them. */
#define HOST_WARN_KINDS	16
#define HOST_WARN_LEN	96
struct host_warns {
	struct {
		char reason[HOST_WARN_LEN];
		uint64_t count;
	} kind[HOST_WARN_KINDS];
	unsigned int n;
	uint64_t total;
};

/* Add @count of the WARN @reason (the last kind collects the overflow). */
void host_warns_add(struct host_warns *w, const char *reason,
		    uint64_t count);

/* How a run ended early: the realm killed, or a livelock declared. */
enum host_death {
	HOST_ALIVE,
	HOST_KILLED,		/* KVM_RUN failed, set-up failed: the VMM
				 * gives up on the realm */
	HOST_LIVELOCK,		/* no progress where the kernel would spin
				 * or the guest would re-fault for ever */
};

/* Rounds without progress of a loop the kernel would spin in. */
#define HOST_SPIN_BOUND	10000
/* Passes of an unmap that fail at the same address again. */
#define HOST_RESTART_BOUND	8

/*
 * What the sim knows that its events do not tell: the backend's own
 * report, next to what the metrics sink makes of the events.
 */
struct host_report {
	uint64_t accesses;		/* guest accesses made */
	uint64_t ripas_changes;		/* realm_set_ipa_state() calls */
	uint64_t lock_waits, lock_wait_ns;	/* kvm->mmu_lock */
	uint64_t guest_errors;		/* errors to the guest with no event:
					 * no memslot, external abort */
	uint64_t boot_calls;		/* RMI calls at host boot, before the
					 * realm's (arm64_init_rmi) */
	uint64_t leaked_granules;	/* not undelegated after teardown */
	uint64_t leaked_by_state[RMI_GRANULE_STATE_COUNT];
	uint64_t mapped_bytes[4];	/* by level, before teardown */
	uint64_t model_bytes;		/* model memory before teardown */
	double virtual_seconds;		/* det: the latest vCPU clock */
	struct host_warns warns;
	enum host_death death;
	bool invariants_ok;		/* the model's check after teardown */
	char invariant[160];		/* else the first it found broken */
	char outcome[256];		/* "ok", or why the realm died */
};

/*
 * A vCPU: its counters are its own, merged when the run ends. Each one
 * starts on a cache line of its own: with the threads scheduler nothing
 * here is written by another vCPU's thread. What every access and fault
 * touches comes first, in the first lines; what only scheduled runs
 * (chooser) or WARNs touch comes last, so that with hundreds of vCPUs
 * under det the hot part of each stays a few lines.
 */
struct host_vcpu {
	struct host *h;
	unsigned int id;
	uint64_t rec;			/* its REC granule */
	uint64_t clock_ns;		/* virtual time (modelled costs) */
	uint64_t rng;			/* seeded, for cost jitter */
	/* the fault being handled */
	uint64_t fault_calls, fault_rtts;
	/* livelock watch: consecutive no-progress faults on one IPA */
	uint64_t last_fault_ipa, same_faults, progress_seen;
	/* set around calls that are not progress for the livelock watch
	 * even when they succeed: the (un)delegation of a host page for the
	 * RMM's own use (what consumes the page is progress), queries */
	bool no_progress;
	/* the fault's last refused delegate: status (0: none) and PA */
	unsigned int deleg_fail;
	uint64_t deleg_fail_pa;
	bool progress_known;		/* progress_seen is from the last fault */
	/* threads: successful RMI calls it made, for the livelock watch
	 * (written by its thread only, read by others on a re-fault) */
	uint64_t progress;
	/* threads: it holds kvm->mmu_lock for read (host_mmu_lock) */
	int mmu_reader;
	/* which faults get wall-clock stamps (host_handle_fault) */
	uint64_t stamp_rng;
	uint64_t accesses, guest_errors, ripas_changes;
	uint64_t lock_waits, lock_wait_ns;	/* kvm->mmu_lock */
	uint64_t fault_base;		/* the folio being faulted, or ~0 */
	unsigned char lock_held;	/* 0, 1 read, 2 write */
	unsigned char lock_wait;	/* waiting for it: 1 read, 2 write */
	struct rmi_sink sink;		/* where its events go */
	struct rmi_ev_hdr hdr;		/* their stream and stamps */
	struct sched *sched;		/* while the workload runs */
	/* cold: what the state hash of a scheduled run sees of it (with
	 * fault_base, lock_held and lock_wait above) */
	uint64_t last_call[6];		/* fid, x1..x3 in; x0, x1 out */
	uint32_t calls_by_cmd[RMI_CMD_COUNT];	/* with a chooser: its calls */
	struct host_warns warns;	/* cold: its WARNs by reason */
} __attribute__((aligned(64)));

/*
 * guest_memfd-like backing: a folio per aligned block, PA = base + off;
 * from hp_off on (the memslot's last --hotplug bytes) the folios come
 * from hotplugged memory, PA = hp_pa + (off - hp_off).
 */
struct gmem {
	enum folio_mode mode;
	uint64_t ipa_base, size;	/* the memslot */
	uint64_t pa_base;		/* 1 GiB aligned */
	uint64_t hp_off, hp_pa;		/* hp_off == size: none */
	uint64_t seed;
};

uint64_t gmem_folio_size(const struct gmem *g, uint64_t ipa);
uint64_t gmem_pa(const struct gmem *g, uint64_t ipa);

struct host {
	struct rmm *m;
	struct host_config cfg;
	const struct cost_model *cost;
	struct injector inj;		/* fail_rmi at the call site */
	enum rmi_rtt_strategy strategy;
	bool v15_delegate;		/* delegation handling */

	/* the host's boot (boot.c) */
	uint64_t boot_calls;		/* RMI calls it made */
	uint64_t l0gpt_size;		/* from FEATURES register 1 */
	bool rmi_unavailable;		/* arm64_init_rmi() gave up */
	char rmi_why[160];		/* why */

	uint64_t rd;
	bool realm_created;		/* REALM_CREATE succeeded */
	unsigned int ia_bits;		/* S2SZ */
	int start_level;
	uint64_t pgd_phys;		/* root RTTs */
	unsigned int pgd_pages;

	struct gmem gmem;
	uint64_t shared_pa_base;	/* NS memory behind shared IPAs */

	/*
	 * kvm->mmu_lock: faults hold it for read, a RIPAS change (and its
	 * unmap) for write. threads: a reader sets its vCPU's mmu_reader
	 * and checks mmu_writer; a writer takes mmu_wlock, sets mmu_writer
	 * and waits for every reader to leave (host_mmu_lock): a fault
	 * writes no cache line another vCPU's fault writes. det: the counts
	 * below, a vCPU that cannot take it waits in virtual time.
	 */
	int mmu_writer __attribute__((aligned(64)));	/* a line that only
							 * RIPAS changes write */
	pthread_mutex_t mmu_wlock __attribute__((aligned(64)));
	int lock_readers;
	bool lock_writer;
	uint64_t lock_free_ns;		/* chooser: the clock it was last
					 * given back at */

	/* scheduled runs: who decides, and whether it ended the run */
	const struct sched_chooser *chooser;
	bool stopped;

	/* host pages for RD, RECs and RTTs: a bump allocator + free list */
	pthread_mutex_t page_lock;
	uint64_t page_next, page_end;
	uint64_t *free_pages;
	size_t nfree, capfree;

	/* only grows: successful RMI calls that change the realm's state
	 * (not the delegation of RTT, RD and REC pages); det only (the
	 * threads scheduler counts them per vCPU, host_vcpu.progress;
	 * host_progress() sums them) */
	uint64_t global_progress;
	/* 1 fault in how many gets wall-clock stamps (a power of two) */
	uint64_t stamp_every;
	uint64_t leaked, leaked_by_state[RMI_GRANULE_STATE_COUNT];
	int dead;			/* atomic: enum host_death */
	char why[256];			/* why it died (first reason) */

	unsigned int nvcpus;
	struct host_vcpu *vcpus;
	struct host_vcpu setup;		/* the VMM's own thread */
};

static inline uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The status of an RMI return value by name, for WARN reasons. */
static inline const char *status_str(uint64_t x0)
{
	const char *n = rmi_status_name(RMI_RETURN_STATUS(x0));

	return n ? n : "?";
}

/* One call site for every RMI command: counts, costs, probes, yields. */
uint64_t host_rmi_call(struct host_vcpu *v, uint32_t fid, uint64_t x1,
		       uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5,
		       uint64_t out[5]);

/* WARN(): counted with its reason, as the kernel's splat would show it. */
void host_warn(struct host_vcpu *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The realm dies where the kernel would kill the VM. */
void host_kill(struct host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The run ends where the kernel would spin or the guest re-fault for
 * ever. */
void host_livelock(struct host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Count a round of a loop without progress; true at HOST_SPIN_BOUND,
 * when the run ends with "livelock in @fn at @addr". */
bool host_spin(struct host_vcpu *v, unsigned int *spins, const char *fn,
	       uint64_t addr);
/* Successful RMI calls of every vCPU and the VMM so far that change the
 * realm's state: the livelock watch's view of progress anywhere. */
uint64_t host_progress(struct host *h);

/* ---- fault path (fault.c) ----------------------------------------------- */

int rmi_delegate_range(struct host_vcpu *v, uint64_t phys, uint64_t size,
		       uint64_t *delegated_phys);
int rmi_undelegate_range(struct host_vcpu *v, uint64_t phys, uint64_t size);
int realm_create_rtt_levels(struct host_vcpu *v, uint64_t ipa, int level,
			    int max_level);
int realm_map_protected(struct host_vcpu *v, uint64_t ipa, uint64_t phys,
			uint64_t map_size);
int realm_map_non_secure(struct host_vcpu *v, uint64_t ipa, uint64_t phys,
			 uint64_t size);
void realm_unmap_private_range(struct host_vcpu *v, uint64_t start,
			       uint64_t end);
void realm_unmap_shared_range(struct host_vcpu *v, uint64_t start,
			      uint64_t end);
int realm_fold_rtt_level(struct host_vcpu *v, int level, uint64_t start,
			 uint64_t end);

/*
 * A stage-2 fault at @ipa taken by vCPU @v (kvm_handle_guest_abort ->
 * realm_map_ipa): maps the folio around it. Returns 0 (back to the guest)
 * or a negative errno (KVM_RUN fails: the VMM gives up on the realm).
 */
int host_handle_fault(struct host_vcpu *v, uint64_t ipa);

/*
 * The guest's RSI_IPA_STATE_SET of [base, top) to @ripas and the host's
 * answer, kvm_complete_ripas_change() -> realm_set_ipa_state() under
 * kvm->mmu_lock held for write: RTT_SET_RIPAS (creating levels on
 * ERROR_RTT), and for EMPTY the unmap of what it covered. 0 or -ENXIO.
 */
int realm_set_ipa_state(struct host_vcpu *v, uint64_t base, uint64_t top,
			unsigned int ripas);

/* kvm->mmu_lock (read for faults, write for RIPAS changes) */
void host_mmu_lock(struct host_vcpu *v, bool write);
void host_mmu_unlock(struct host_vcpu *v, bool write);

/* ---- the host's boot (boot.c) ------------------------------------------------ */

/*
 * arm64_init_rmi() as the configured tree has it, at host boot: version,
 * features, RMM activation and (v14) rmi_init_metadata() over memblock.
 * Its calls reach the model directly (no events, no injection, no cost:
 * the realm's counters have not started, fail_rmi is not set up yet) and
 * are counted in h->boot_calls. On failure RMI is unavailable:
 * h->rmi_unavailable and the reason in h->rmi_why. Returns 0 or -1.
 */
int arm64_init_rmi(struct host *h);
/* Memory added after boot (--hotplug): the platform's doing; neither tree
 * makes an RMI call for it. */
void host_memory_hotplug(struct host *h);

/* ---- life cycle (realm.c) --------------------------------------------------- */

/* The largest memslot the sim runs. */
#define HOST_MAX_SIZE	(256ull << 30)

/*
 * Whether host_init() takes @cfg: 0, or -1 with one line in @err that
 * names the options and their values.
 */
int host_config_check(const struct host_config *cfg, char *err,
		      size_t errlen);

/*
 * Set up the host for @cfg. @sink_for gives the sink of each event stream
 * (0 .. vcpus - 1: the vCPUs; vcpus: the VMM's own thread). Returns 0, or
 * -1 with one line in @err.
 */
int host_init(struct host *h, const struct host_config *cfg,
	      const struct cost_model *cost,
	      struct rmi_sink (*sink_for)(void *ctx, unsigned int stream),
	      void *sink_ctx, char *err, size_t errlen);
/* RD, root RTTs, RECs, RIPAS of the memslot, activation. */
int kvm_activate_realm(struct host *h);
/* Unmap all, terminate, tear down RTTs, destroy, undelegate, audit. */
void kvm_destroy_realm(struct host *h);
void host_fini(struct host *h);
/* Install RMI error-injection rules at the call site (0, or -1 if
 * refused). */
int host_set_inject(struct host *h, const struct inj_rule *rules,
		    unsigned int n);
/* What the workload left mapped, and the model's memory: call after
 * sched_run(), before kvm_destroy_realm(). */
void host_report_before_teardown(struct host *h, struct host_report *r);
/* The rest of the report (after kvm_destroy_realm()). */
void host_report(struct host *h, struct host_report *r);

/* host pages (already delegated by the caller as needed) */
uint64_t host_alloc_page(struct host *h);
void host_free_page(struct host *h, uint64_t pa);
uint64_t alloc_delegated_granule(struct host_vcpu *v);
bool free_delegated_granule(struct host_vcpu *v, uint64_t pa);

/* ---- scheduling (sched.c) ----------------------------------------------------- */

/*
 * Run every vCPU's workload to its end or to the realm's death. Returns 0,
 * or -1 with a reason in @err if the scheduler could not run.
 */
int sched_run(struct host *h, char *err, size_t errlen);
/* Called by host_rmi_call after each RMI call: may switch vCPUs (det). */
void sched_point(struct host_vcpu *v);
/* With a chooser: @v waits for kvm->mmu_lock (v->lock_wait set) until the
 * scheduler runs it again, when it may take it. */
void sched_wait_lock(struct host_vcpu *v);

/*
 * Let @c decide every switch of the next sched_run() (det only, at most
 * SCHED_CHOOSE_MAX_VCPUS vCPUs; NULL: the det scheduler decides). 0, or -1
 * with one line in @err.
 */
int host_set_chooser(struct host *h, const struct sched_chooser *c,
		     char *err, size_t errlen);
/* A vCPU waiting for kvm->mmu_lock (@v->lock_wait) could take it now. */
static inline bool host_lock_free_for(const struct host *h,
				      const struct host_vcpu *v)
{
	return !h->lock_writer && (v->lock_wait != 2 || !h->lock_readers);
}
/*
 * A hash of everything a scheduled run's future depends on, as far as
 * the sim knows it: the granules of the host's pages and of the memslot,
 * the RTT entries over the memslot and its shared alias, the lock, the
 * page allocator, the injection trigger, the realm's death, and per vCPU
 * its place in the workload, the fault it is in, its last RMI call and
 * its WARNs. Virtual clocks and counters of progress are left out.
 */
uint64_t host_state_hash(struct host *h);

#endif /* RMIBENCH_HOST_H */
