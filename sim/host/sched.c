// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench sim: the two vCPU schedulers.
 *
 * det: a discrete-event scheduler in virtual time. Each vCPU is a
 *   coroutine; its clock advances by the cost model at every RMI call and
 *   guest access. The vCPU with the earliest clock runs until its clock
 *   passes the next one's (ties: a seeded choice), so vCPUs interleave at
 *   RMI-call granularity, races happen, and the same seed gives the same
 *   run. One vCPU runs straight through, with no switching at all.
 * threads: one pthread per vCPU against the thread-safe model: real
 *   contention, wall-clock latencies, no reproducibility.
 *
 * With a chooser (host_set_chooser(): the explorer, or a schedule being
 * replayed) the det scheduler's coroutines run, but every switch is a
 * decision: after each RMI call where another vCPU may run, the chooser
 * picks who runs next. A vCPU waiting for kvm->mmu_lock cannot run (it
 * waits, not spins), so no interleaving the lock forbids is made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <setjmp.h>
#include <ucontext.h>
#include <unistd.h>

#include "host.h"
#include "workload.h"

#if defined(__SANITIZE_ADDRESS__)
#define RMIB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RMIB_ASAN 1
#endif
#endif

/*
 * Switching coroutines: swapcontext() saves and restores the signal mask,
 * two system calls per switch, which dominated det runs with many vCPUs.
 * After a coroutine's first entry (makecontext + swapcontext) the switches
 * are _setjmp/_longjmp between live frames, which touch no signal mask.
 * Under the sanitizers, which must be told of every stack switch, every
 * switch stays a swapcontext with the fiber annotations.
 */
#if defined(RMIB_ASAN) || defined(__SANITIZE_THREAD__)
#define RMIB_SLOW_SWITCH 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RMIB_SLOW_SWITCH 1
#endif
#endif

#ifdef RMIB_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
				    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
				     const void **bottom_old, size_t *size_old);
#define STACK_SIZE	(1u << 20)
#else
#define STACK_SIZE	(256u << 10)
#endif

/*
 * Stack colours. A switch resumes a vCPU on the top few hundred bytes of
 * its stack. Stacks of equal size laid out one after another put those
 * tops at the same offset modulo the cache's set period (128 KiB for a
 * 1 MiB 8-way L2), so with hundreds of vCPUs the tops fight over a few
 * sets and are evicted although the cache has room. Each stack's top is
 * moved down by a colour, 33 cache lines times its index modulo
 * STACK_COLOURS lines (33 is odd: the colours of 2048 stacks are all
 * different), out of spare room: every stack keeps STACK_SIZE.
 */
#define STACK_COLOURS	2048u			/* lines: 128 KiB */
#define STACK_SLOT	(STACK_SIZE + STACK_COLOURS * 64u)

/* What a switch touches first, in the first two lines; the ucontext
 * (about 1 KiB) only at a coroutine's first entry and under sanitizers. */
struct coro {
	bool started, done;
	jmp_buf jb;		/* where it waits, once started */
	void *stack;		/* its lowest address */
	size_t stack_size;
	ucontext_t ctx;
} __attribute__((aligned(64)));

struct heap_key;

struct sched {
	struct host *h;
	enum sched_kind kind;
	struct wl_config wl;
	ucontext_t main;
	jmp_buf main_jb;	/* where the scheduler waits */
	struct coro *co;
	char *stacks;		/* every coroutine's, STACK_SLOT apart */
	struct heap_key *heap;	/* det: runnable vCPUs by (clock, id) */
	unsigned int nheap;
	bool at_root;		/* the running vCPU's old key is heap[0] */
	unsigned int cur;
	uint64_t horizon;	/* earliest clock among the others */
	uint64_t tie;		/* seeded tie-breaks */
	uint64_t total;		/* accesses of all vCPUs, for progress */
	bool progress;		/* a progress line on stderr */
	double t0, last;
	/* with a chooser */
	const struct sched_chooser *ch;
	struct rmm_footprint fp;	/* the running step's */
	unsigned int decisions;
	unsigned int next;		/* who runs next, SCHED_NONE: decide */
	bool stop;
};


static void switch_to(ucontext_t *from, ucontext_t *to, const void *stack,
		      size_t size)
{
#ifdef RMIB_ASAN
	void *fake = NULL;

	__sanitizer_start_switch_fiber(&fake, stack, size);
	swapcontext(from, to);
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#else
	(void)stack;
	(void)size;
	swapcontext(from, to);
#endif
}

/* the scheduler runs coroutine @id until it yields */
static void resume(struct sched *s, unsigned int id)
{
	struct coro *co = &s->co[id];

#ifdef RMIB_SLOW_SWITCH
	switch_to(&s->main, &co->ctx, co->stack, co->stack_size);
#else
	if (!_setjmp(s->main_jb)) {
		if (co->started)
			_longjmp(co->jb, 1);
		co->started = true;
		switch_to(&s->main, &co->ctx, co->stack, co->stack_size);
	}
#endif
}

/* coroutine @id gives the CPU back to the scheduler */
static void yield(struct sched *s, unsigned int id)
{
#ifdef RMIB_SLOW_SWITCH
	switch_to(&s->co[id].ctx, &s->main, NULL, 0);
#else
	if (!_setjmp(s->co[id].jb))
		_longjmp(s->main_jb, 1);
#endif
}

/* ---- with a chooser: every switch is a decision ---------------------------- */

/* The vCPUs that may run: not done, not waiting for the lock. */
static uint64_t runnable_mask(const struct sched *s)
{
	const struct host *h = s->h;
	uint64_t mask = 0;

	for (unsigned int i = 0; i < h->nvcpus; i++) {
		const struct host_vcpu *v = &h->vcpus[i];

		if (!s->co[i].done &&
		    (!v->lock_wait || host_lock_free_for(h, v)))
			mask |= 1ull << i;
	}
	return mask;
}

/*
 * Round robin: the next vCPU after @cur, in id order, that may run (the
 * lowest that may when none ran). It depends on nothing but @cur and
 * @mask, so two runs in the same state go on alike by default.
 */
static unsigned int default_pick(const struct sched *s, uint64_t mask,
				 unsigned int cur)
{
	unsigned int n = s->h->nvcpus;

	if (cur >= n)
		return (unsigned int)__builtin_ctzll(mask);
	for (unsigned int k = 1; k <= n; k++) {
		unsigned int i = (cur + k) % n;

		if (mask >> i & 1)
			return i;
	}
	return SCHED_NONE;
}

/* A new step: its footprint starts with reading whether the realm died. */
static void step_begin(struct sched *s)
{
	if (!s->ch->footprints)
		return;
	rmm_footprint_reset(&s->fp);
	rmm_fp_add(&s->fp, RMM_FP_HOST, HOST_RES_DEAD, HOST_RES_DEAD + 1,
		   false);
	rmm_footprint_set(&s->fp);
}

/* Ask the chooser; its answer is a runnable vCPU or SCHED_STOP. */
static unsigned int decide(struct sched *s, unsigned int prev, uint64_t mask)
{
	struct sched_decision d = {
		.index = s->decisions++,
		.runnable = mask,
		.prev = prev,
		.dflt = default_pick(s, mask, prev),
		.fp = s->ch->footprints ? &s->fp : NULL,
	};
	unsigned int c;

	/* what the chooser reads is no part of the step */
	rmm_footprint_set(NULL);
	c = s->ch->choose(s->ch->ctx, s->h, &d);
	if (c != SCHED_STOP && (c >= s->h->nvcpus || !(mask >> c & 1)))
		c = d.dflt;
	step_begin(s);
	return c;
}

/* From the scheduler: the next vCPU, SCHED_NONE if none may run. */
static unsigned int main_decide(struct sched *s, unsigned int prev)
{
	uint64_t mask = runnable_mask(s);

	if (!mask)
		return SCHED_NONE;
	if (!(mask & (mask - 1)))
		return (unsigned int)__builtin_ctzll(mask);
	return decide(s, prev, mask);
}

/* After an RMI call of @v: a decision if another vCPU may run. */
static void choose_point(struct sched *s, struct host_vcpu *v)
{
	uint64_t mask = runnable_mask(s);
	unsigned int c;

	if (!(mask & ~(1ull << v->id)))
		return;
	c = decide(s, v->id, mask);
	if (c == v->id)
		return;
	if (c == SCHED_STOP)
		s->stop = s->h->stopped = true;
	else
		s->next = c;
	yield(s, v->id);
}

void sched_wait_lock(struct host_vcpu *v)
{
	struct sched *s = v->sched;

	/* the scheduler runs another; @v again once it may take the lock */
	s->next = SCHED_NONE;
	yield(s, v->id);
}

void sched_point(struct host_vcpu *v)
{
	struct sched *s = v->sched;

	if (!s || s->kind != SCHED_DET || s->h->nvcpus == 1)
		return;
	if (s->ch) {
		choose_point(s, v);
		return;
	}
	if (v->clock_ns <= s->horizon)
		return;
	/* another vCPU's next event comes first: let it run */
	yield(s, v->id);
}

/* ---- a vCPU: the guest's accesses and the faults they take ------------------ */

/*
 * The guest gives its page back and takes it again: RSI_IPA_STATE_SET
 * EMPTY (the host unmaps it), then RAM; its next access faults it in.
 */
static void guest_ripas_cycle(struct host_vcpu *v, uint64_t ipa)
{
	struct host *h = v->h;
	uint64_t base = ipa & ~(RMI_GRANULE_SIZE - 1);
	uint64_t top = base + RMI_GRANULE_SIZE;

	rmm_rec_request_ripas(h->m, v->rec, base, top, RMI_RIPAS_EMPTY);
	realm_set_ipa_state(v, base, top, RMI_RIPAS_EMPTY);
	rmm_rec_request_ripas(h->m, v->rec, base, top, RMI_RIPAS_RAM);
	realm_set_ipa_state(v, base, top, RMI_RIPAS_RAM);
}

static void vcpu_body(struct host_vcpu *v)
{
	struct host *h = v->h;
	struct sched *s = v->sched;
	uint64_t shared = 1ull << (h->ia_bits - 1), ipa;
	unsigned int shared_pct = h->cfg.shared_pct;
	struct wl_iter it;
	bool write;

	wl_iter_init(&it, &s->wl, v->id);
	while (!__atomic_load_n(&h->dead, __ATOMIC_RELAXED) &&
	       wl_next(&it, &ipa, &write)) {
		v->accesses++;
		v->clock_ns += h->cost->access_ns;
		if (shared_pct && rmib_xorshift(&v->rng) % 100 < shared_pct)
			ipa |= shared;	/* the same page, through its alias */
		else if (h->cfg.ripas_pct &&
			 rmib_xorshift(&v->rng) % 100 < h->cfg.ripas_pct)
			guest_ripas_cycle(v, ipa);
		for (;;) {
			enum rmm_access a = rmm_guest_access(h->m, h->rd, ipa);

			if (a == RMM_ACCESS_OK)
				break;
			if (a == RMM_ACCESS_ABORT) {
				v->guest_errors++;
				host_kill(h, "vcpu %u: external abort at IPA %#llx: RIPAS is not RAM",
					  v->id, (unsigned long long)ipa);
				return;
			}
			if (host_handle_fault(v, ipa) ||
			    __atomic_load_n(&h->dead, __ATOMIC_RELAXED))
				return;
		}
		if (!(v->accesses & 4095))
			__atomic_fetch_add(&s->total, 4096, __ATOMIC_RELAXED);
		/* with a chooser, decisions are at RMI calls only */
		if (!s->ch)
			sched_point(v);
	}
}

static void progress_line(struct sched *s, bool last)
{
	uint64_t all = 0;

	if (!s->progress)
		return;
	for (unsigned int i = 0; i < s->h->nvcpus; i++)
		all += wl_total_accesses(&s->wl, i);
	fprintf(stderr, "\rrmibench: %5.1f%% of %llu accesses, %.1f s%s",
		all ? 100.0 * (double)__atomic_load_n(&s->total,
						      __ATOMIC_RELAXED) /
			      (double)all : 0.0,
		(unsigned long long)all, rmib_now_s() - s->t0, last ? "\n" : "");
}

/* ---- det ------------------------------------------------------------------ */

static struct sched *entry_sched;

static void coro_entry(void)
{
	struct sched *s = entry_sched;
	unsigned int id = s->cur;

#ifdef RMIB_ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	vcpu_body(&s->h->vcpus[id]);
	s->co[id].done = true;
	s->next = SCHED_NONE;
	yield(s, id);
}

static void coro_free(struct sched *s)
{
	free(s->co);
	free(s->stacks);
	s->co = NULL;
	s->stacks = NULL;
}

static int coro_setup(struct sched *s)
{
	unsigned int n = s->h->nvcpus;

	/* pages of a large block are the kernel's until touched: only
	 * the part of each stack that is used costs memory */
	s->co = aligned_alloc(_Alignof(struct coro), n * sizeof(*s->co));
	s->stacks = malloc((size_t)n * STACK_SLOT);
	if (!s->co || !s->stacks)
		return -1;
	memset(s->co, 0, n * sizeof(*s->co));
	entry_sched = s;
	for (unsigned int i = 0; i < n; i++) {
		struct coro *co = &s->co[i];

		co->stack = s->stacks + (size_t)i * STACK_SLOT;
		co->stack_size = STACK_SLOT -
				 (size_t)(i * 33u % STACK_COLOURS) * 64u;
		getcontext(&co->ctx);
		co->ctx.uc_stack.ss_sp = co->stack;
		co->ctx.uc_stack.ss_size = co->stack_size;
		co->ctx.uc_link = NULL;
		makecontext(&co->ctx, coro_entry, 0);
	}
	return 0;
}

/* ---- det: a 4-ary heap of the runnable vCPUs, by (clock, id) ----------- */

/*
 * The heap holds each runnable vCPU's key by value: its clock as it was
 * pushed (a vCPU's clock changes only while it runs, and a running vCPU
 * is out of the heap or, det_pick(), at its root) and its id, 16 bytes an
 * entry. Comparing keys reads no vCPU: with 512 vCPUs a step touches the
 * lines of one 8 KiB array instead of a line in each of log2(n) vCPUs'
 * big structs. Four children a node: half the levels of a binary heap
 * (4.5 at 512 vCPUs), each a branch-free minimum of four neighbours.
 */
#define HEAP_D	4

/*
 * A key: the clock in the high 64 bits, the id in the low ones, so that
 * one unsigned comparison orders by (clock, id), without branches (a
 * heap's comparisons are a coin toss to predict).
 */
struct heap_key {
	unsigned __int128 k;
};

static inline struct heap_key key_of(uint64_t clock, unsigned int id)
{
	return (struct heap_key){ (unsigned __int128)clock << 64 | id };
}

static inline uint64_t key_clock(struct heap_key a)
{
	return (uint64_t)(a.k >> 64);
}

static inline unsigned int key_id(struct heap_key a)
{
	return (unsigned int)a.k;
}

static inline bool key_less(struct heap_key a, struct heap_key b)
{
	return a.k < b.k;
}

static void heap_push(struct sched *s, unsigned int id)
{
	struct heap_key k = key_of(s->h->vcpus[id].clock_ns, id);
	unsigned int i = s->nheap++;

	while (i && key_less(k, s->heap[(i - 1) / HEAP_D])) {
		s->heap[i] = s->heap[(i - 1) / HEAP_D];
		i = (i - 1) / HEAP_D;
	}
	s->heap[i] = k;
}

/* The least of the children of a node, [c, c + HEAP_D) ∩ the heap. */
static inline unsigned int heap_min_child(const struct sched *s,
					  unsigned int c)
{
	const struct heap_key *h = s->heap;

	if (c + HEAP_D <= s->nheap) {
		unsigned int a = c + key_less(h[c + 1], h[c]);
		unsigned int b = c + 2 + key_less(h[c + 3], h[c + 2]);

		return key_less(h[b], h[a]) ? b : a;
	}
	for (unsigned int j = c + 1, m = c;; j++) {
		if (j >= s->nheap)
			return m;
		if (key_less(h[j], h[m]))
			m = j;
	}
}

/* Put @k at @i and move it down to its place. */
static void heap_sift_down(struct sched *s, unsigned int i, struct heap_key k)
{
	for (;;) {
		unsigned int c = HEAP_D * i + 1;

		if (c >= s->nheap)
			break;
		c = heap_min_child(s, c);
		if (!key_less(s->heap[c], k))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	s->heap[i] = k;
}

static struct heap_key heap_pop(struct sched *s)
{
	struct heap_key top = s->heap[0];

	if (--s->nheap)
		heap_sift_down(s, 0, s->heap[s->nheap]);
	return top;
}

/* The earliest clock in the heap but the root's: one of its children. */
static uint64_t heap_second(const struct sched *s)
{
	return s->nheap > 1 ? key_clock(s->heap[heap_min_child(s, 1)]) :
			      UINT64_MAX;
}

/*
 * The next vCPU to run: the earliest clock; among equal clocks (taken in
 * id order) a seeded pick. Sets s->cur and s->horizon (the earliest clock
 * of the others); false when every vCPU is done. Without a tie (the
 * usual case) the vCPU stays at the root while it runs (s->at_root) and
 * det_put() moves its new key down: one pass of log2(n) steps a switch.
 * With k equal clocks, O(k log n): they are popped in id order and all
 * but the pick pushed back, as the seeded pick needs.
 */
static bool det_pick(struct sched *s)
{
	unsigned int tied[64], k = 0, best;
	uint64_t min;

	if (!s->nheap)
		return false;
	min = key_clock(s->heap[0]);
	s->horizon = heap_second(s);
	if (s->horizon != min) {
		/* every other clock is later: no tie, no draw */
		s->cur = key_id(s->heap[0]);
		s->at_root = true;
		return true;
	}
	best = key_id(heap_pop(s));
	tied[k++] = best;
	while (s->nheap && k < 64 && key_clock(s->heap[0]) == min) {
		unsigned int id = key_id(heap_pop(s));

		tied[k++] = id;
		if (rmib_xorshift(&s->tie) % k == 0)
			best = id;
	}
	for (unsigned int i = 0; i < k; i++)
		if (tied[i] != best)
			heap_push(s, tied[i]);
	s->horizon = s->nheap ? key_clock(s->heap[0]) : UINT64_MAX;
	s->cur = best;
	s->at_root = false;
	return true;
}

/* After s->cur ran: back into the heap with its new clock, unless done. */
static void det_put(struct sched *s)
{
	bool done = s->co[s->cur].done;

	if (!s->at_root) {
		if (!done)
			heap_push(s, s->cur);
	} else if (done) {
		heap_pop(s);
	} else {
		heap_sift_down(s, 0, key_of(s->h->vcpus[s->cur].clock_ns,
					     s->cur));
	}
}

static int run_det(struct sched *s, char *err, size_t errlen)
{
	if (s->h->nvcpus == 1) {
		vcpu_body(&s->h->vcpus[0]);
		return 0;
	}
	s->heap = malloc(s->h->nvcpus * sizeof(*s->heap));
	if (!s->heap || coro_setup(s)) {
		coro_free(s);
		free(s->heap);
		snprintf(err, errlen, "out of memory for vCPU stacks");
		return -1;
	}
	for (unsigned int i = 0; i < s->h->nvcpus; i++)
		heap_push(s, i);
	while (det_pick(s)) {
		resume(s, s->cur);
		det_put(s);
		if (s->progress && rmib_now_s() - s->last > 1.0) {
			progress_line(s, false);
			s->last = rmib_now_s();
		}
	}
	coro_free(s);
	free(s->heap);
	return 0;
}

/*
 * Every switch a decision of the chooser. The run ends when every vCPU is
 * done, or where the chooser stops it (the coroutines are left as they
 * are: the caller tears nothing down).
 */
static int run_chosen(struct sched *s, char *err, size_t errlen)
{
	struct host *h = s->h;
	unsigned int next;
	int rc = 0;

	if (coro_setup(s)) {
		coro_free(s);
		snprintf(err, errlen, "out of memory for vCPU stacks");
		return -1;
	}
	s->cur = SCHED_NONE;
	step_begin(s);
	next = main_decide(s, SCHED_NONE);
	while (next < h->nvcpus) {
		s->cur = next;
		s->next = SCHED_NONE;
		resume(s, next);
		if (s->stop)
			break;
		next = s->next;
		if (next == SCHED_NONE)
			next = main_decide(s, s->cur);
	}
	if (next == SCHED_STOP)
		s->stop = h->stopped = true;
	rmm_footprint_set(NULL);
	if (!s->stop) {
		for (unsigned int i = 0; i < h->nvcpus; i++)
			if (!s->co[i].done) {
				snprintf(err, errlen, "vcpu %u waits for kvm->mmu_lock and nobody holds it",
					 i);
				rc = -1;
				break;
			}
		if (!rc && s->ch->footprints) {
			/* the last step's footprint, and the end */
			struct sched_decision d = {
				.index = s->decisions,
				.prev = s->cur,
				.dflt = SCHED_NONE,
				.fp = &s->fp,
			};

			s->ch->choose(s->ch->ctx, h, &d);
		}
	}
	coro_free(s);
	return rc;
}

/* ---- threads ----------------------------------------------------------------- */

struct thread_arg {
	struct host_vcpu *v;
	int *gate;
};

static void *thread_main(void *arg)
{
	struct thread_arg *a = arg;

	/* every vCPU starts at once, as a realm's vCPUs do */
	while (!__atomic_load_n(a->gate, __ATOMIC_ACQUIRE))
		sched_yield();
	vcpu_body(a->v);
	return NULL;
}

static int run_threads(struct sched *s, char *err, size_t errlen)
{
	struct host *h = s->h;
	pthread_t *t = calloc(h->nvcpus, sizeof(*t));
	struct thread_arg *args = calloc(h->nvcpus, sizeof(*args));
	int gate = 0;
	unsigned int started = 0;
	int rc = 0;

	if (!t || !args) {
		free(t);
		free(args);
		snprintf(err, errlen, "out of memory for vCPU threads");
		return -1;
	}
	for (; started < h->nvcpus; started++) {
		int e;

		args[started] = (struct thread_arg){ &h->vcpus[started], &gate };
		e = pthread_create(&t[started], NULL, thread_main,
				   &args[started]);
		if (e) {
			snprintf(err, errlen, "cannot start vCPU thread: %s",
				 strerror(e));
			/* the started ones see the realm dead and stop */
			host_kill(h, "vCPU threads could not start");
			rc = -1;
			break;
		}
	}
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < started; i++) {
		if (s->progress) {
			struct timespec ts;

			while (pthread_tryjoin_np(t[i], NULL) == EBUSY) {
				progress_line(s, false);
				ts = (struct timespec){ 0, 200000000 };
				nanosleep(&ts, NULL);
			}
		} else {
			pthread_join(t[i], NULL);
		}
	}
	free(t);
	free(args);
	return rc;
}

/*
 * 1 fault in how many gets wall-clock stamps: every fault while the run
 * makes at most STAMP_FAULTS faults (at most one per access and one per
 * folio of the memslot, re-faults aside), else the power of two that
 * keeps about that many stamped. Reading the counter twice per fault
 * costs about as much as a fault's two RMI calls in the model (make
 * bench-sim prints both); a million stamps give the percentiles to
 * better than a percent.
 */
#define STAMP_FAULTS	(1ull << 20)

static uint64_t stamp_every(const struct host *h, const struct wl_config *wl)
{
	uint64_t accesses = 0, folios, faults, every = 1;

	for (unsigned int i = 0; i < h->nvcpus; i++)
		accesses += wl_total_accesses(wl, i);
	folios = h->cfg.size / (h->cfg.folio == FOLIO_2M ? 2ull << 20 :
				h->cfg.folio == FOLIO_1G ? 1ull << 30 :
				RMI_GRANULE_SIZE);
	faults = accesses < folios ? accesses : folios;
	while (faults / every > STAMP_FAULTS)
		every <<= 1;
	return every;
}

int host_set_chooser(struct host *h, const struct sched_chooser *c,
		     char *err, size_t errlen)
{
	if (c && h->cfg.scheduler != SCHED_DET) {
		snprintf(err, errlen, "a schedule needs the det scheduler");
		return -1;
	}
	if (c && h->nvcpus > SCHED_CHOOSE_MAX_VCPUS) {
		snprintf(err, errlen, "a schedule takes at most %u vCPUs",
			 SCHED_CHOOSE_MAX_VCPUS);
		return -1;
	}
	h->chooser = c;
	return 0;
}

int sched_run(struct host *h, char *err, size_t errlen)
{
	struct sched s = {
		.h = h,
		.kind = h->cfg.scheduler,
		.tie = (h->cfg.seed * RMIB_GOLDEN) | 1,
		.progress = !h->chooser && isatty(STDERR_FILENO),
		.t0 = rmib_now_s(),
		.ch = h->nvcpus > 1 ? h->chooser : NULL,
	};
	const char *why;
	int wp, rc;

	wp = wl_pattern_from_name(h->cfg.workload);
	if (wp < 0) {
		snprintf(err, errlen, "unknown workload '%s'", h->cfg.workload);
		return -1;
	}
	s.wl = (struct wl_config){
		.pattern = (enum wl_pattern)wp,
		.base = h->cfg.ipa,
		.size = h->cfg.size,
		.nvcpus = h->nvcpus,
		.shared_region = h->cfg.shared_region,
		.stride = h->cfg.stride,
		.write_pct = h->cfg.write_pct,
		.passes = h->cfg.passes,
		.seed = h->cfg.seed,
	};
	why = wl_config_check(&s.wl);
	if (why) {
		snprintf(err, errlen, "workload: %s", why);
		return -1;
	}
	h->stamp_every = stamp_every(h, &s.wl);
	for (unsigned int i = 0; i < h->nvcpus; i++)
		h->vcpus[i].sched = &s;
	rc = s.kind == SCHED_THREADS ? run_threads(&s, err, errlen) :
	     s.ch ? run_chosen(&s, err, errlen) : run_det(&s, err, errlen);
	for (unsigned int i = 0; i < h->nvcpus; i++)
		h->vcpus[i].sched = NULL;
	if (s.progress) {
		s.total = 0;
		for (unsigned int i = 0; i < h->nvcpus; i++)
			s.total += h->vcpus[i].accesses;
		progress_line(&s, true);
	}
	return rc;
}
