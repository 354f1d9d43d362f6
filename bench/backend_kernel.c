// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the kernel backend. A KVM host (with the rmibench kernel
 * series for realms: kernel/README.md) runs the workload through the VMM
 * of guests/vmm; this file checks what the host has, validates and writes
 * the knobs a run needs, runs the VMM, turns its report into the result,
 * and puts every knob back as it found it, also when the run is
 * interrupted (SIGINT, SIGTERM, SIGHUP: the handler writes the saved
 * values back with open/write/close, stops the VMM, removes what outfile.h
 * would (a matrix's staging directory), and lets the signal end the
 * process).
 *
 * Knobs: /sys/module/kvm/parameters/rtt_strategy (realm runs), and for an
 * --inject rule the files of /sys/kernel/debug/fail_rmi/ (command, status,
 * index, interval, times, space, then probability, which arms it; it is
 * the first put back). fail_rmi is one fault attribute: one rule, without
 * the sim's ipa, pa and vcpu filters. Every path is under --root DIR (for
 * tests, a fake tree); --dry-run prints every check, write, command and
 * restore instead of doing them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "json_read.h"
#include "outfile.h"
#include "rmi_abi.h"
#include "workload.h"

#define KNOB_MAX	12
#define KNOB_VAL	64
#define PATH_LEN	512
#define REPORT_MAX	(16u << 20)

static struct kernel_opts kopts;

void backend_kernel_set_opts(const struct kernel_opts *o)
{
	if (o)
		kopts = *o;
	else
		kopts = (struct kernel_opts){ 0 };
	if (!kopts.root)
		kopts.root = "";
}

/* ---- paths ------------------------------------------------------------------ */

static const char P_KVM[] = "/dev/kvm";
static const char P_STRATEGY[] = "/sys/module/kvm/parameters/rtt_strategy";
static const char P_FAIL_RMI[] = "/sys/kernel/debug/fail_rmi";
static const char *const P_EVENTS[] = {
	"/sys/kernel/tracing/events/kvm_rmi",
	"/sys/kernel/debug/tracing/events/kvm_rmi",
};

static int rooted(char *buf, size_t len, const char *path)
{
	int n = snprintf(buf, len, "%s%s", kopts.root ? kopts.root : "", path);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static bool exists(const char *path)
{
	char p[PATH_LEN];
	struct stat st;

	return !rooted(p, sizeof(p), path) && !stat(p, &st);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (!kopts.dry_run)
		return;
	fputs("dry-run: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* ---- the knobs -------------------------------------------------------------- */

enum knob_kind { K_STRATEGY, K_HEX, K_UINT, K_INT };

struct knob {
	const char *path;		/* without the root */
	enum knob_kind kind;
	char full[PATH_LEN];		/* with the root */
	char old[KNOB_VAL], val[KNOB_VAL];
	char raw[KNOB_VAL];		/* as read, written back as it was */
	size_t raw_len;
	bool written;
};

/* read and written by the signal handler: set up before it is armed */
static struct knob knobs[KNOB_MAX];
static volatile sig_atomic_t nknobs;
static volatile pid_t vmm_pid;

static bool knob_value_ok(enum knob_kind k, const char *s)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	switch (k) {
	case K_STRATEGY:
		return strategy_from_name(s) >= 0;
	case K_HEX:
	case K_UINT:
		if (*s == '-')
			return false;
		(void)strtoull(s, &end, 0);
		break;
	case K_INT:
		(void)strtoll(s, &end, 0);
		break;
	}
	return !errno && !*end;
}

/* Read a knob's value: a regular file, one line, a value of its kind. */
static int knob_read(struct knob *k, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	int fd;

	if (rooted(k->full, sizeof(k->full), k->path)) {
		snprintf(err, errlen, "--root: path too long");
		return -1;
	}
	if (stat(k->full, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", k->path,
			 errno == ENOENT ? "not there" : "not a regular file");
		return -1;
	}
	fd = open(k->full, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", k->path, strerror(errno));
		return -1;
	}
	n = read(fd, k->old, sizeof(k->old) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", k->path, strerror(errno));
		return -1;
	}
	k->old[n] = '\0';
	memcpy(k->raw, k->old, (size_t)n + 1);
	k->raw_len = (size_t)n;
	while (n && (k->old[n - 1] == '\n' || k->old[n - 1] == ' '))
		k->old[--n] = '\0';
	if ((size_t)n >= sizeof(k->old) - 2 || !knob_value_ok(k->kind, k->old)) {
		snprintf(err, errlen, "%s reads '%.32s', not a value it takes: leaving every knob alone",
			 k->path, k->old);
		return -1;
	}
	return 0;
}

/* async-signal-safe: open, write, close */
static int knob_write_raw(const char *path, const char *v, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, v, len);
	if (close(fd) || n != (ssize_t)len)
		return -1;
	return 0;
}

static int knob_write(struct knob *k, char *err, size_t errlen)
{
	if (!knob_value_ok(k->kind, k->val)) {
		snprintf(err, errlen, "%s: refusing to write '%s'", k->path,
			 k->val);
		return -1;
	}
	if (kopts.dry_run) {
		say("write %s '%s' (now '%s')", k->path, k->val, k->old);
		return 0;
	}
	k->written = true;	/* put back even if the write half-failed */
	if (knob_write_raw(k->full, k->val, strlen(k->val))) {
		snprintf(err, errlen, "writing '%s' to %s: %s", k->val, k->path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* Put back every knob written, the last first; 0 or the first error. */
static int knobs_restore(char *err, size_t errlen)
{
	int rc = 0;

	for (int i = nknobs - 1; i >= 0; i--) {
		struct knob *k = &knobs[i];

		if (kopts.dry_run) {
			say("restore %s '%s'", k->path, k->old);
			continue;
		}
		if (!k->written)
			continue;
		if (knob_write_raw(k->full, k->raw, k->raw_len) && !rc) {
			snprintf(err, errlen, "could not restore %s to '%s': %s",
				 k->path, k->old, strerror(errno));
			rc = -1;
		}
		k->written = false;
	}
	return rc;
}

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NCAUGHT	(sizeof(caught) / sizeof(caught[0]))

/* what each signal did before the run's handler: set before it is armed */
static struct sigaction old_sa[NCAUGHT];

/*
 * async-signal-safe: kill, open, write, close, and outfile.h's cleanup.
 * The VMM and the knobs first; then what the output files' handler does
 * (a matrix's staging directory, temporary files), also when the command
 * was started with the signal ignored and that handler was never armed;
 * then the signal ends the command.
 */
static void on_signal(int sig)
{
	int saved = errno;

	if (vmm_pid > 0)
		kill(vmm_pid, SIGKILL);
	for (int i = nknobs - 1; i >= 0; i--)
		if (knobs[i].written)
			knob_write_raw(knobs[i].full, knobs[i].raw,
				       knobs[i].raw_len);
	out_signal_cleanup();
	signal(sig, SIG_DFL);
	errno = saved;
	raise(sig);
}

/*
 * On: the run's handler for every caught signal, even one the command was
 * started with ignored (the knobs must come back); off: as they were.
 */
static void handlers(bool on)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < NCAUGHT; i++) {
		if (on)
			sigaction(caught[i], &sa, &old_sa[i]);
		else
			sigaction(caught[i], &old_sa[i], NULL);
	}
}

static struct knob *knob_add(const char *path, enum knob_kind kind,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static struct knob *knob_add(const char *path, enum knob_kind kind,
			     const char *fmt, ...)
{
	struct knob *k = &knobs[nknobs];
	va_list ap;

	memset(k, 0, sizeof(*k));
	k->path = path;
	k->kind = kind;
	va_start(ap, fmt);
	vsnprintf(k->val, sizeof(k->val), fmt, ap);
	va_end(ap);
	nknobs = nknobs + 1;
	return k;
}

/* the knobs of @cfg and @rule (NULL: none), values validated */
static int knobs_plan(const struct run_config *cfg,
		      const struct inj_rule *rule, char *err, size_t errlen)
{
	static char fr[7][64];
	static const char *const file[7] = {
		"command", "status", "index", "interval", "times", "space",
		"probability",
	};

	nknobs = 0;
	if (cfg->vm == VM_REALM)
		knob_add(P_STRATEGY, K_STRATEGY, "%s",
			 rmi_rtt_strategy_name(cfg->strategy));
	if (!rule)
		return 0;
	for (int i = 0; i < 7; i++)
		snprintf(fr[i], sizeof(fr[i]), "%s/%s", P_FAIL_RMI, file[i]);
	knob_add(fr[0], K_HEX, "%#x", rule->r.command);
	knob_add(fr[1], K_UINT, "%u", rule->r.status);
	knob_add(fr[2], K_UINT, "%u", rule->r.index);
	knob_add(fr[3], K_UINT, "%lu", rule->r.interval);
	knob_add(fr[4], K_INT, "%ld", rule->r.times);
	knob_add(fr[5], K_INT, "%ld", rule->r.space);
	knob_add(fr[6], K_UINT, "%u", rule->r.probability);
	(void)err;
	(void)errlen;
	return 0;
}

/* What fail_rmi can do of a rule of the sim's grammar. */
static int rule_check(const struct inj_rule *q, char *err, size_t errlen)
{
	const struct rmi_inject_rule *r = &q->r;

	if (q->filters) {
		snprintf(err, errlen, "--inject: fail_rmi has no %s filter (the sim's only)",
			 q->filters & INJ_F_IPA ? "ipa" :
			 q->filters & INJ_F_PA ? "pa" : "vcpu");
		return -1;
	}
	if (r->command && (r->command < 0xc4000150u || r->command > 0xc400024fu)) {
		snprintf(err, errlen, "--inject: command 0x%x is outside 0xc4000150..0xc400024f",
			 r->command);
		return -1;
	}
	if (r->status < 1 || r->status > 255 || r->index > 255 ||
	    r->probability > 100 || r->interval < 1 || r->times < -1 ||
	    r->space < 0) {
		snprintf(err, errlen, "--inject: a value fail_rmi does not take (status 1..255, index 0..255, probability 0..100, interval >= 1, times >= -1, space >= 0)");
		return -1;
	}
	return 0;
}

/* ---- prepare ---------------------------------------------------------------- */

static bool report_mode(void)
{
	return kopts.report && kopts.report[0];
}

static int kernel_prepare(const struct run_config *cfg, char *err,
			  size_t errlen)
{
	bool events = false;

	if (report_mode())
		return 0;
	if (kopts.root[0] && kopts.root[0] != '/') {
		snprintf(err, errlen, "--root %s: want an absolute path", kopts.root);
		return -1;
	}
	say("root %s", kopts.root[0] ? kopts.root : "/");
	if (!exists(P_KVM)) {
		snprintf(err, errlen, "%s: not there (no KVM on this host)", P_KVM);
		return -1;
	}
	say("check %s: there", P_KVM);
	for (size_t i = 0; i < sizeof(P_EVENTS) / sizeof(P_EVENTS[0]); i++)
		if (exists(P_EVENTS[i])) {
			say("check %s: there", P_EVENTS[i]);
			events = true;
			break;
		}
	if (!events)
		say("check kvm_rmi events: none (tracefs or the series' events missing)");
	if (cfg->vm == VM_NORMAL) {
		if (cfg->inject[0]) {
			snprintf(err, errlen, "--inject: a normal VM makes no RMI calls");
			return -1;
		}
		return 0;
	}
	if (!exists(P_STRATEGY)) {
		snprintf(err, errlen, "%s: not there (a kernel without the rmibench series' strategy knob)",
			 P_STRATEGY);
		return -1;
	}
	say("check %s: there", P_STRATEGY);
	if (cfg->inject[0]) {
		if (!exists(P_FAIL_RMI)) {
			snprintf(err, errlen, "%s: not there (CONFIG_FAIL_RMI, debugfs mounted?)",
				 P_FAIL_RMI);
			return -1;
		}
		say("check %s: there", P_FAIL_RMI);
	}
	return 0;
}

static unsigned int kernel_streams(const struct run_config *cfg)
{
	return cfg->vcpus + 1;
}

/* ---- the VMM's report -------------------------------------------------------- */

/*
 * Each line of the report is read by the rules of bench/json_read.c: one
 * JSON object (strict, no key twice, no number above 2^64-1), every field
 * present with its type; a failure names the line and the field.
 */

/* the guest's first-touch histogram into @h */
static int add_hist(struct rd *c, json_object *o, struct hist *h)
{
	static const char f[] = "first_touch_ns.log2_buckets";
	uint64_t count, sum, min, max, b[HIST_BUCKETS] = { 0 };
	json_object *t, *a;
	size_t n;

	if (rd_obj(c, o, NULL, "first_touch_ns", &t) ||
	    rd_u64(c, t, "first_touch_ns", "count", UINT64_MAX, &count) ||
	    rd_u64(c, t, "first_touch_ns", "sum", UINT64_MAX, &sum) ||
	    rd_u64(c, t, "first_touch_ns", "min", UINT64_MAX, &min) ||
	    rd_u64(c, t, "first_touch_ns", "max", UINT64_MAX, &max) ||
	    rd_get(c, t, "first_touch_ns", "log2_buckets", json_type_array,
		   "an array", &a))
		return -1;
	n = json_object_array_length(a);
	if (n > HIST_BUCKETS)
		return rd_fail(c, f, "%zu buckets, at most %u", n,
			       HIST_BUCKETS);
	for (size_t i = 0; i < n; i++) {
		char fi[FIELD_MAX + 24];

		snprintf(fi, sizeof(fi), "%s[%zu]", f, i);
		if (rd_u64_val(c, fi, json_object_array_get_idx(a, i),
			       UINT64_MAX, &b[i]))
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		h->bucket[i] += b[i];
	if (!count)
		return 0;
	if (!h->count || min < h->min)
		h->min = min;
	if (max > h->max)
		h->max = max;
	h->count += count;
	h->sum += sum;
	return 0;
}

/* a whole number, or null (@is_null) where the VMM could not count */
static int rd_u64_or_null(struct rd *c, json_object *o, const char *key,
			  uint64_t *v, bool *is_null)
{
	json_object *x;

	*is_null = false;
	*v = 0;
	if (!json_object_object_get_ex(o, key, &x))
		return rd_fail(c, key, "missing");
	if (!x) {
		*is_null = true;
		return 0;
	}
	return rd_u64_val(c, key, x, UINT64_MAX, v);
}

/* the settings the report says it ran with must be the run's */
static int check_same(struct rd *c, const struct run_config *cfg,
		      json_object *d)
{
	struct { const char *key; uint64_t want; } nums[] = {
		{ "ipa", cfg->ipa }, { "size", cfg->size },
		{ "vcpus", cfg->vcpus }, { "stride", cfg->stride },
		{ "write_pct", cfg->write_pct }, { "passes", cfg->passes },
		{ "seed", cfg->seed },
	};
	char s[64];
	uint64_t v;
	bool b;

	if (rd_str(c, d, NULL, "vm", s, sizeof(s), false))
		return -1;
	if (strcmp(s, vm_name(cfg->vm)))
		return rd_fail(c, "vm", "the VMM ran vm %s, the run is --vm %s",
			       s, vm_name(cfg->vm));
	if (rd_str(c, d, NULL, "workload", s, sizeof(s), false))
		return -1;
	if (strcmp(s, cfg->workload))
		return rd_fail(c, "workload", "the VMM ran workload %s, the "
			       "run is --workload %s", s, cfg->workload);
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (rd_u64(c, d, NULL, nums[i].key, UINT64_MAX, &v))
			return -1;
		if (v != nums[i].want)
			return rd_fail(c, nums[i].key, "the VMM ran %s %" PRIu64
				       ", the run has %" PRIu64, nums[i].key,
				       v, nums[i].want);
	}
	if (rd_bool(c, d, NULL, "shared_region", &b))
		return -1;
	if (b != cfg->shared_region)
		return rd_fail(c, "shared_region", "differs from the run's");
	return 0;
}

/*
 * The VMM's JSON lines in @text (@len bytes; a line holds one if
 * {"vmm" is in it, from there to its end; other lines, a console's, are
 * skipped) into @r: a line per vCPU in order, then the done line. 0, or
 * -1 with one line in @err.
 */
static int take_report(const struct run_config *cfg, const char *text,
		       size_t len, const char *what, struct run_result *r,
		       char *err, size_t errlen)
{
	static const char mark[] = "{\"vmm\"";
	struct run_counts *k = &r->counts;
	const char *p, *nl, *end = text + len;
	unsigned int nvcpu = 0, lineno = 0;
	bool done = false, ok = false, faults_null = false;
	char first_err[240] = "";

	for (p = text; p < end && !done; p = nl + 1) {
		char where[PATH_LEN], kind[16], why[192];
		struct rd c = { .path = where, .err = err, .errlen = errlen };
		const char *j;
		json_object *o;
		size_t n;
		int bad = 0;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		lineno++;
		j = memmem(p, (size_t)(nl - p), mark, sizeof(mark) - 1);
		if (!j)
			continue;
		n = (size_t)(nl - j);
		while (n && strchr(" \t\r", j[n - 1]))
			n--;
		snprintf(where, sizeof(where), "%s, line %u", what, lineno);
		o = json_parse_strict(j, n, where, err, errlen);
		if (!o)
			return -1;
		if (rd_str(&c, o, NULL, "vmm", kind, sizeof(kind), false)) {
			bad = -1;
		} else if (!strcmp(kind, "vcpu")) {
			uint64_t idx, acc, faults;
			bool isnull;

			if (rd_u64(&c, o, NULL, "vcpu", UINT64_MAX, &idx) ||
			    rd_u64(&c, o, NULL, "accesses", UINT64_MAX, &acc) ||
			    rd_u64_or_null(&c, o, "s2_faults", &faults,
					   &isnull) ||
			    add_hist(&c, o, &r->lat_wall) ||
			    rd_str(&c, o, NULL, "error", why, sizeof(why),
				   true)) {
				bad = -1;
			} else if (idx != nvcpu || nvcpu >= cfg->vcpus) {
				bad = rd_fail(&c, "vcpu", "%" PRIu64 " where "
					      "vCPU %u of %u was due", idx,
					      nvcpu, cfg->vcpus);
			} else {
				faults_null |= isnull;
				k->accesses += acc;
				k->faults += faults;
				if (cfg->vm == VM_REALM)
					k->faults_private += faults;
				if (why[0] && !first_err[0])
					snprintf(first_err, sizeof(first_err),
						 "vCPU %u: %s", nvcpu, why);
				nvcpu++;
			}
		} else if (!strcmp(kind, "done")) {
			char src[128];

			if (check_same(&c, cfg, o) ||
			    rd_bool(&c, o, NULL, "ok", &ok) ||
			    rd_str(&c, o, NULL, "fault_source", src,
				   sizeof(src), false)) {
				bad = -1;
			} else {
				if (faults_null)
					snprintf(first_err, sizeof(first_err),
						 "stage-2 faults not counted: %s",
						 src);
				done = true;
			}
		} else {
			bad = rd_fail(&c, "vmm", "'%s' is neither vcpu nor done",
				      kind);
		}
		json_object_put(o);
		if (bad)
			return -1;
	}
	if (!done) {
		snprintf(err, errlen, "%s: no VMM report (no {\"vmm\":\"done\"...} line)",
			 what);
		return -1;
	}
	if (nvcpu != cfg->vcpus) {
		snprintf(err, errlen, "%s: %u vCPU lines for %u vCPUs", what,
			 nvcpu, cfg->vcpus);
		return -1;
	}
	/* the VMM says whether every vCPU ran its workload to its end */
	r->workload_done = ok;
	if (ok && !faults_null)
		snprintf(r->outcome, sizeof(r->outcome), "ok");
	else
		snprintf(r->outcome, sizeof(r->outcome), "VMM: %s",
			 first_err[0] ? first_err : "the run did not finish");
	r->cost_model_default = true;	/* nothing modelled */
	return 0;
}

/* ---- running the VMM ---------------------------------------------------------- */

static const char *self_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0) {
		snprintf(dir, sizeof(dir), ".");
		return dir;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

#define VMM_ARGS	40

static void vmm_argv(const struct run_config *cfg, char **argv,
		     char store[][48], const char **vmm, const char **guest)
{
	static char dvmm[PATH_MAX], dguest[PATH_MAX];
	int n = 0, s = 0;

#define ARG(x)	(argv[n++] = (char *)(x))
#define NUM(fmt, v) (snprintf(store[s], 48, fmt, v), ARG(store[s++]))
	snprintf(dvmm, sizeof(dvmm), "%s/guests/vmm", self_dir());
	snprintf(dguest, sizeof(dguest), "%s/aarch64/guests/guest-bare.bin",
		 self_dir());
	*vmm = kopts.vmm && kopts.vmm[0] ? kopts.vmm : dvmm;
	*guest = kopts.guest && kopts.guest[0] ? kopts.guest : dguest;
	ARG(*vmm);
	ARG("--vm"); ARG(vm_name(cfg->vm));
	ARG("--guest"); ARG(*guest);
	ARG("--workload"); ARG(cfg->workload);
	ARG("--ipa"); NUM("%#" PRIx64, cfg->ipa);
	ARG("--size"); NUM("%" PRIu64, cfg->size);
	ARG("--vcpus"); NUM("%u", cfg->vcpus);
	if (cfg->shared_region)
		ARG("--shared-region");
	ARG("--stride"); NUM("%" PRIu64, cfg->stride);
	ARG("--write-pct"); NUM("%u", cfg->write_pct);
	ARG("--passes"); NUM("%u", cfg->passes);
	ARG("--seed"); NUM("%" PRIu64, cfg->seed);
	ARG("--ipa-bits"); NUM("%u", cfg->s2sz);
	ARG("--timeout"); NUM("%u", kopts.timeout_s ? kopts.timeout_s : 600);
	argv[n] = NULL;
#undef ARG
#undef NUM
}

/*
 * Run the VMM, its stdout into a buffer (*@len bytes; output past
 * REPORT_MAX is an error). 0, or -1 with one line.
 */
static int run_vmm(char **argv, char **out, size_t *len, char *err,
		   size_t errlen)
{
	size_t used = 0;
	int p[2], st;
	pid_t pid;
	char *buf;

	buf = malloc(REPORT_MAX + 1);
	if (!buf || pipe(p)) {
		free(buf);
		snprintf(err, errlen, "cannot start the VMM: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		free(buf);
		close(p[0]);
		close(p[1]);
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		/* the child takes the default dispositions back */
		for (size_t i = 0; i < NCAUGHT; i++)
			signal(caught[i], SIG_DFL);
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		fprintf(stderr, "rmibench: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	vmm_pid = pid;
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], buf + used, REPORT_MAX - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == REPORT_MAX)
			break;
	}
	/* past REPORT_MAX: the VMM's next write fails (SIGPIPE) */
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	vmm_pid = 0;
	buf[used] = '\0';
	*out = buf;
	*len = used;
	if (used == REPORT_MAX) {
		snprintf(err, errlen, "the VMM wrote more than %u MiB",
			 REPORT_MAX >> 20);
		return -1;
	}
	if (WIFSIGNALED(st)) {
		snprintf(err, errlen, "the VMM was killed by signal %d",
			 WTERMSIG(st));
		return -1;
	}
	if (WEXITSTATUS(st) == 127) {
		snprintf(err, errlen, "cannot run the VMM %s", argv[0]);
		return -1;
	}
	/* exit 1 with a report is a run that was made (outcome says how) */
	return 0;
}

static int kernel_run(const struct run_config *cfg,
		      const struct inj_rule *rules, unsigned int nrules,
		      struct metrics *m, struct run_result *r, char *err,
		      size_t errlen)
{
	char store[VMM_ARGS][48], *argv[VMM_ARGS], *out = NULL;
	size_t outlen = 0;
	const char *vmm, *guest;
	int rc = -1;

	(void)m;
	if (report_mode()) {
		size_t len;
		/* a report collected elsewhere: a regular file, 16 MiB at most */
		char *text = read_regular_file(kopts.report, REPORT_MAX, &len,
					       err, errlen);

		if (!text)
			return -1;
		rc = take_report(cfg, text, len, kopts.report, r, err, errlen);
		free(text);
		return rc;
	}
	if (nrules > 1) {
		snprintf(err, errlen, "--inject: fail_rmi is one fault attribute: one rule at most");
		return -1;
	}
	if (nrules && rule_check(&rules[0], err, errlen))
		return -1;
	knobs_plan(cfg, nrules ? &rules[0] : NULL, err, errlen);
	for (int i = 0; i < nknobs; i++)
		if (knob_read(&knobs[i], err, errlen)) {
			nknobs = 0;
			return -1;
		}
	vmm_argv(cfg, argv, store, &vmm, &guest);
	if (!kopts.dry_run)
		handlers(true);
	for (int i = 0; i < nknobs; i++)
		if (knob_write(&knobs[i], err, errlen))
			goto restore;
	if (kopts.dry_run) {
		char line[2048] = "run";

		for (int i = 0; argv[i]; i++) {
			size_t len = strlen(line);

			snprintf(line + len, sizeof(line) - len, " %s", argv[i]);
		}
		say("%s", line);
		rc = 0;
		snprintf(r->outcome, sizeof(r->outcome), "dry run: nothing was run");
		goto restore;
	}
	if (run_vmm(argv, &out, &outlen, err, errlen))
		goto restore;
	rc = take_report(cfg, out, outlen, "the VMM's report", r, err, errlen);
restore:
	if (knobs_restore(rc ? err + strlen(err) : err,
			  rc ? errlen - strlen(err) : errlen) && !rc)
		rc = -1;
	if (!kopts.dry_run)
		handlers(false);
	nknobs = 0;
	free(out);
	return rc;
}

const struct backend backend_kernel = {
	.name = "kernel",
	.prepare = kernel_prepare,
	.run = kernel_run,
	.streams = kernel_streams,
};
