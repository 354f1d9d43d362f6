// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench BPF tools: command line, target, backend, attach, the run loop,
 * output helpers and the feed of ring-buffer records into bench/metrics.c
 * (tool.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "cli.h"
#include "config.h"
#include "rmm.h"
#include "run.h"
#include "tool.h"
#include "rmib_util.h"

#define VMLINUX_BTF	"/sys/kernel/btf/vmlinux"

static const char *const ev_names[] = {
#define EV_NAME_(name, fields)	#name,
	RMI_EVENTS(EV_NAME_)
#undef EV_NAME_
};

double tool_now(void)
{
	return rmib_now_s();
}

uint64_t tool_now_ns(void)
{
	return rmib_now_ns();
}

const char *tool_backend_name(enum tool_backend b)
{
	return b == TOOL_KERNEL ? "kernel" : "sim-usdt";
}

int tool_err(const struct tool *t, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", t->name ? t->name : "rmi-tool");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* ---- the command line ---------------------------------------------------- */

enum { OPT_RESULT = 0x1000 };

static const struct argp_option common_options[] = {
	{ "pid", 'p', "PID", 0, "trace this process only", 0 },
	{ "json", 'j', NULL, 0, "one JSON object per report, on one line", 0 },
	{ "result", OPT_RESULT, "FILE",
	  0, "also write a result file (results/README.md)", 0 },
	{ "verbose", 'v', NULL, 0, "libbpf's messages (verifier log)", 0 },
	{ 0 }
};

static struct tool *parsing;

const char *tool_check_out(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!*path)
		return "want a file name";
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path + 1),
			 path);
	if (access(dir, W_OK))
		return strerror(errno);
	/* written by renaming a new file over it: regular files only */
	if (!stat(path, &st) && !S_ISREG(st.st_mode))
		return "not a regular file";
	return NULL;
}

static int parse_common(int key, char *arg, struct argp_state *state)
{
	struct tool_opts *o = &parsing->o;
	const char *why;
	char *end;
	long v;

	switch (key) {
	case 'p':
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || *end || v <= 0 || v > INT_MAX)
			return cli_usage_error(state, "-p '%s': want a process id",
					       arg);
		o->pid = (pid_t)v;
		break;
	case 'j':
		o->json = true;
		break;
	case OPT_RESULT:
		why = tool_check_out(arg);
		if (why)
			return cli_bad_value(state, "result", arg, why);
		o->result = arg;
		break;
	case 'v':
		o->verbose = true;
		break;
	case ARGP_KEY_ARG:
		errno = 0;
		if (state->arg_num == 0) {
			o->interval = strtod(arg, &end);
			if (errno || *end || !(o->interval > 0) ||
			    o->interval > 86400)
				return cli_usage_error(state, "interval '%s': want seconds, more than 0, at most 86400",
						       arg);
		} else if (state->arg_num == 1) {
			o->count = strtoul(arg, &end, 10);
			if (errno || *end || !o->count || arg[0] == '-')
				return cli_usage_error(state, "count '%s': want a whole number, at least 1",
						       arg);
		} else {
			return cli_usage_error(state, "unexpected argument '%s' (a command goes after --)",
				   arg);
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp tool_argp = {
	.options = common_options,
	.parser = parse_common,
	.args_doc = "[interval [count]] [-- COMMAND [ARG...]]",
};

const struct argp_child tool_children[] = {
	{ &tool_argp, 0, NULL, 0 },
	{ 0 }
};

void tool_parse(struct tool *t, const struct argp *argp, int argc,
		char **argv, void *input)
{
	int n = argc, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			n = i;
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: -- needs a command\n",
					t->name);
				exit(2);
			}
			t->o.cmd = &argv[i + 1];
			break;
		}
	}
	parsing = t;
	rc = cli_parse(argp, t->name, n, argv, 0, input);
	if (rc >= 0)
		exit(rc);
	if (t->o.count && !t->o.interval) {
		fprintf(stderr, "%s: a count needs an interval\n", t->name);
		exit(2);
	}
	if (t->o.pid && t->o.cmd) {
		fprintf(stderr, "%s: -p and -- COMMAND exclude each other\n",
			t->name);
		exit(2);
	}
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int libbpf_verbose(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

/* ---- target and backend ------------------------------------------------- */

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

static bool privileged(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &h, d))
		return geteuid() == 0;
	return has_cap(d, CAP_SYS_ADMIN) ||
	       (has_cap(d, CAP_BPF) && has_cap(d, CAP_PERFMON));
}

/*
 * Whether the ELF file at @path has a USDT note of provider "rmibench":
 * 1, 0, or -1 if it cannot be read as ELF.
 */
static int has_rmibench_usdt(const char *path)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int fd, found = 0;
	Elf *e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx)) {
		if (e)
			elf_end(e);
		close(fd);
		return -1;
	}
	while (!found && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		const char *sname;
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		sname = elf_strptr(e, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, ".note.stapsdt"))
			continue;
		d = elf_getdata(scn, NULL);
		while (d && (off = gelf_getnote(d, off, &nh, &name_off,
						&desc_off)) > 0) {
			const char *desc = (const char *)d->d_buf + desc_off;
			size_t addr = gelf_getclass(e) == ELFCLASS64 ? 8 : 4;

			if (nh.n_type != 3 || nh.n_namesz != 8 ||
			    memcmp((const char *)d->d_buf + name_off,
				   "stapsdt", 8) ||
			    nh.n_descsz < 3 * addr + 9)
				continue;
			if (!strncmp(desc + 3 * addr, "rmibench",
				     nh.n_descsz - 3 * addr)) {
				found = 1;
				break;
			}
		}
	}
	elf_end(e);
	close(fd);
	return found;
}

/* @cmd's executable, as execvp would find it */
static int find_executable(const char *cmd, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(cmd, '/')) {
		snprintf(out, len, "%s", cmd);
		return access(out, X_OK);
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n,
			 n ? path : ".", cmd);
		if (!access(buf, X_OK)) {
			snprintf(out, len, "%s", buf);
			return 0;
		}
		path += n + (path[n] == ':');
	}
	errno = ENOENT;
	return -1;
}

/* the kernel's BTF; RMIBENCH_BTF replaces it (tests) */
static const char *btf_path(void)
{
	const char *p = getenv("RMIBENCH_BTF");

	return p && *p ? p : VMLINUX_BTF;
}

/* Whether this kernel has the raw tracepoint of every event in @mask;
 * -1 without BTF, else the first event missing + 1, 0 if none is.
 */
static int kernel_missing_event(unsigned int mask, bool *any)
{
	struct btf *btf;
	int missing = 0;

	*any = false;
	if (access(btf_path(), R_OK))
		return -1;
	btf = btf__parse(btf_path(), NULL);
	if (!btf)
		return -1;
	for (int ev = 0; ev < RMI_EV_COUNT; ev++) {
		char name[64];

		if (!(mask & RMI_BPF_EV_BIT(ev)))
			continue;
		snprintf(name, sizeof(name), "btf_trace_%s", ev_names[ev]);
		if (btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0)
			*any = true;
		else if (!missing)
			missing = ev + 1;
	}
	btf__free(btf);
	return missing;
}

static void kill_child(struct tool *t)
{
	if (!t->launched || t->child_done)
		return;
	kill(t->o.pid, SIGKILL);
	waitpid(t->o.pid, &t->child_status, 0);
	t->child_done = true;
}

static int launch(struct tool *t)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return tool_err(t, "fork: %s", strerror(errno));
	if (!pid) {
		/* stopped until the probes are attached */
		raise(SIGSTOP);
		execvp(t->o.cmd[0], t->o.cmd);
		fprintf(stderr, "%s: cannot run %s: %s\n", t->name,
			t->o.cmd[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return tool_err(t, "%s did not stop before exec", t->o.cmd[0]);
	}
	t->o.pid = pid;
	t->launched = true;
	return 0;
}

int tool_prepare(struct tool *t, const char *name, unsigned int events,
		 unsigned int record)
{
	const char *what = NULL;
	char desc[4200];
	int usdt = 0, miss;
	bool any;

	t->name = name;
	libbpf_set_print(t->o.verbose ? libbpf_verbose : libbpf_quiet);
	t->events = events;
	t->record = record;
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0)
		return tool_err(t, "cannot count the possible CPUs");
	if (!privileged())
		return tool_err(t, "needs root (CAP_BPF and CAP_PERFMON) to load BPF programs and attach probes");

	if (t->o.pid) {
		char link[64];
		ssize_t n;

		if (kill(t->o.pid, 0) && errno == ESRCH)
			return tool_err(t, "no process %d", (int)t->o.pid);
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)t->o.pid);
		n = readlink(link, t->binary, sizeof(t->binary) - 1);
		if (n <= 0)
			return tool_err(t, "process %d: cannot read %s: %s",
					(int)t->o.pid, link, strerror(errno));
		t->binary[n] = 0;
		/* a binary replaced since: the magic link still opens it */
		if (access(t->binary, R_OK) ||
		    strstr(t->binary, " (deleted)"))
			snprintf(t->binary, sizeof(t->binary), "%s", link);
		usdt = has_rmibench_usdt(t->binary) > 0;
		snprintf(desc, sizeof(desc), "process %d (%s)", (int)t->o.pid,
			 t->binary);
		what = desc;
	} else if (t->o.cmd) {
		if (find_executable(t->o.cmd[0], t->binary,
				    sizeof(t->binary)))
			return tool_err(t, "cannot run %s: %s", t->o.cmd[0],
					strerror(errno));
		usdt = has_rmibench_usdt(t->binary) > 0;
		snprintf(desc, sizeof(desc), "%s", t->binary);
		what = desc;
	}

	if (usdt) {
		t->backend = TOOL_SIM_USDT;
	} else {
		unsigned int need = events | record |
				    (t->o.result ? RMI_BPF_METRICS_EVENTS : 0);

		miss = kernel_missing_event(need, &any);
		if (miss < 0)
			return what ?
			       tool_err(t, "%s has no rmibench USDT probes, and without kernel BTF (%s) the kvm_rmi trace events cannot be found",
					what, btf_path()) :
			       tool_err(t, "no kernel BTF (%s): cannot find the kvm_rmi trace events",
					btf_path());
		if (!any)
			return what ?
			       tool_err(t, "neither rmibench USDT probes in %s nor kvm_rmi trace events in this kernel",
					what) :
			       tool_err(t, "no kvm_rmi trace events in this kernel (trace the sim with -p PID or -- COMMAND)");
		if (miss)
			return tool_err(t, "this kernel lacks the trace event kvm_rmi:%s",
					ev_names[miss - 1]);
		t->backend = TOOL_KERNEL;
	}
	if (t->o.cmd && launch(t))
		return -1;
	return 0;
}

unsigned int tool_record_mask(const struct tool *t)
{
	return t->record | (t->o.result ? RMI_BPF_METRICS_EVENTS : 0);
}

uint32_t tool_targ_tgid(const struct tool *t)
{
	return t->o.pid > 0 ? (uint32_t)t->o.pid : 0;
}

/* ---- load and attach ----------------------------------------------------- */

/* "kt_NAME" or "us_NAME" -> the event, or -1 */
static int prog_event(const char *name, enum tool_backend *b)
{
	if (!strncmp(name, "kt_", 3))
		*b = TOOL_KERNEL;
	else if (!strncmp(name, "us_", 3))
		*b = TOOL_SIM_USDT;
	else
		return -1;
	for (int ev = 0; ev < RMI_EV_COUNT; ev++)
		if (!strcmp(name + 3, ev_names[ev]))
			return ev;
	return -1;
}

static int feed_sample(void *ctx, void *data, size_t size);

int tool_load_attach(struct tool *t, struct bpf_object *obj,
		     int (*load)(void *skel), void *skel)
{
	unsigned int need = t->events | tool_record_mask(t);
	struct bpf_program *p;
	unsigned int n = 0;
	int err;

	t->obj = obj;
	bpf_object__for_each_program(p, obj) {
		enum tool_backend b;
		int ev = prog_event(bpf_program__name(p), &b);

		bpf_program__set_autoload(p, ev >= 0 && b == t->backend &&
					  (need & RMI_BPF_EV_BIT(ev)));
		n++;
	}
	err = load(skel);
	if (err) {
		if (err == -EPERM)
			return tool_err(t, "loading BPF programs was refused: %s (needs root; kernel lockdown?)",
					strerror(-err));
		return tool_err(t, "loading BPF programs failed: %s (-v shows the verifier's log)",
				strerror(-err));
	}
	t->links = calloc(n, sizeof(*t->links));
	if (!t->links)
		return tool_err(t, "out of memory");
	bpf_object__for_each_program(p, obj) {
		enum tool_backend b;
		int ev = prog_event(bpf_program__name(p), &b);
		struct bpf_link *l;

		if (!bpf_program__autoload(p))
			continue;
		if (b == TOOL_KERNEL)
			l = bpf_program__attach(p);
		else
			l = bpf_program__attach_usdt(p, t->o.pid, t->binary,
						     "rmibench", ev_names[ev],
						     NULL);
		if (!l) {
			err = -errno;
			if (b == TOOL_KERNEL)
				return tool_err(t, "cannot attach to kvm_rmi:%s: %s",
						ev_names[ev], strerror(-err));
			return tool_err(t, "cannot attach to USDT rmibench:%s in %s: %s",
					ev_names[ev], t->binary,
					strerror(-err));
		}
		t->links[t->nlinks++] = l;
	}
	if (tool_record_mask(t)) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, "events");

		t->feed = tool_feed_new();
		if (!t->feed || !m)
			return tool_err(t, "out of memory");
		t->rb = ring_buffer__new(bpf_map__fd(m), feed_sample, t, NULL);
		if (!t->rb)
			return tool_err(t, "ring buffer: %s", strerror(errno));
	}
	return 0;
}

/* ---- the run ------------------------------------------------------------- */

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* whether the traced process has ended */
static bool target_gone(struct tool *t)
{
	if (t->launched) {
		if (!t->child_done &&
		    waitpid(t->o.pid, &t->child_status, WNOHANG) == t->o.pid)
			t->child_done = true;
		return t->child_done;
	}
	return t->o.pid && kill(t->o.pid, 0) && errno == ESRCH;
}

static int write_result(struct tool *t);

/* Detach every probe (a uprobe takes about 0.1 s to remove). */
static void detach_all(struct tool *t)
{
	for (unsigned int i = 0; i < t->nlinks; i++)
		bpf_link__destroy(t->links[i]);
	t->nlinks = 0;
}

int tool_run(struct tool *t, int (*report)(struct tool *t, bool final,
					   void *ctx), void *ctx)
{
	struct sigaction sa = { .sa_handler = on_signal };
	double next;
	bool printed_last = false;
	int rc = 0;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	t->t0 = tool_now();
	next = t->t0 + t->o.interval;
	if (t->launched)
		kill(t->o.pid, SIGCONT);
	while (!stopping) {
		double now = tool_now();
		int ms = 10;

		if (t->o.interval && next - now < 0.01)
			ms = next > now ? (int)((next - now) * 1000) : 0;
		if (t->rb) {
			/* woken for a batch (rmi_common.bpf.h), else look */
			int e = ring_buffer__poll(t->rb, ms);

			if (e >= 0)
				e = ring_buffer__consume(t->rb);
			if (e < 0 && e != -EINTR) {
				rc = tool_err(t, "ring buffer: %s",
					      strerror(-e));
				break;
			}
		} else if (ms) {
			struct timespec ts = { 0, ms * 1000000L };

			nanosleep(&ts, NULL);
		}
		if (target_gone(t))
			break;
		printed_last = false;
		if (t->o.interval && tool_now() >= next) {
			t->t_end = tool_now();
			if (t->rb)
				ring_buffer__consume(t->rb);
			if (report(t, false, ctx))
				rc = -1;
			printed_last = true;
			t->reports++;
			if (t->o.count && t->reports >= t->o.count)
				break;
			next += t->o.interval;
		}
	}
	if (t->rb)
		ring_buffer__consume(t->rb);
	t->t_end = tool_now();
	if (!printed_last && report(t, true, ctx))
		rc = -1;
	if (t->o.result && write_result(t))
		rc = -1;
	/* a launched command runs on untraced if we stopped first */
	detach_all(t);
	if (t->launched && !t->child_done) {
		while (waitpid(t->o.pid, &t->child_status, 0) < 0 &&
		       errno == EINTR)
			;
		t->child_done = true;
	}
	if (rc)
		return 1;
	if (t->launched) {
		if (WIFEXITED(t->child_status))
			return WEXITSTATUS(t->child_status);
		if (WIFSIGNALED(t->child_status))
			return 128 + WTERMSIG(t->child_status);
	}
	return 0;
}

void tool_cleanup(struct tool *t)
{
	detach_all(t);
	free(t->links);
	t->links = NULL;
	t->nlinks = 0;
	ring_buffer__free(t->rb);
	t->rb = NULL;
	tool_feed_free(t->feed);
	t->feed = NULL;
	kill_child(t);
}

/* ---- per-CPU maps ------------------------------------------------------- */

static void *percpu_buf(const struct tool *t, size_t size)
{
	static void *buf;
	static size_t cap;
	size_t need = ((size + 7) & ~(size_t)7) * (size_t)t->ncpus;

	if (need > cap) {
		free(buf);
		buf = malloc(need);
		cap = buf ? need : 0;
	}
	return buf;
}

uint64_t tool_percpu_u64(const struct tool *t, struct bpf_map *map,
			 const void *key)
{
	const uint64_t *v = tool_percpu_lookup(t, map, key, sizeof(*v));
	uint64_t sum = 0;

	for (int i = 0; v && i < t->ncpus; i++)
		sum += v[i];
	return sum;
}

const void *tool_percpu_lookup(const struct tool *t, struct bpf_map *map,
			       const void *key, size_t size)
{
	void *v = percpu_buf(t, size);

	if (!v || bpf_map_lookup_elem(bpf_map__fd(map), key, v))
		return NULL;
	return v;
}

void tool_percpu_sum(const struct tool *t, const void *percpu, size_t size,
		     void *out)
{
	size_t stride = (size + 7) & ~(size_t)7;
	uint64_t *o = out;

	memset(out, 0, size);
	for (int c = 0; c < t->ncpus; c++) {
		const uint64_t *w = (const uint64_t *)
				    ((const unsigned char *)percpu + stride * c);

		for (size_t i = 0; i < size / 8; i++)
			o[i] += w[i];
	}
}

static void hist_from_bpf(struct hist *h, const struct rmi_bpf_hist *b)
{
	struct hist one = { 0 };

	if (!b->count)
		return;
	for (int i = 0; i < RMI_BPF_HIST_SLOTS && i < HIST_BUCKETS; i++)
		one.bucket[i] = b->slot[i];
	one.count = b->count;
	one.sum = b->sum;
	one.min = b->min;
	one.max = b->max;
	hist_merge(h, &one);
}

void tool_percpu_hist(const struct tool *t, const void *percpu, size_t size,
		      size_t off, struct hist *h)
{
	size_t stride = (size + 7) & ~(size_t)7;

	for (int c = 0; c < t->ncpus; c++)
		hist_from_bpf(h, (const struct rmi_bpf_hist *)
				   ((const unsigned char *)percpu +
				    stride * c + off));
}

long tool_map_dump(struct bpf_map *map, size_t ksize, size_t vsize,
		   void **keys, void **vals)
{
	int fd = bpf_map__fd(map);
	size_t cap = 4096, n = 0;
	unsigned char *k = malloc(cap * ksize), *v = malloc(cap * vsize);
	uint64_t in[8], out[8];
	bool first = true;

	*keys = *vals = NULL;
	if (!k || !v || ksize > sizeof(in))
		goto fail;
	for (;;) {
		__u32 count = 1024;
		unsigned char *nk, *nv;
		int err;

		if (n + count > cap) {
			cap *= 2;
			nk = realloc(k, cap * ksize);
			if (nk)
				k = nk;
			nv = realloc(v, cap * vsize);
			if (nv)
				v = nv;
			if (!nk || !nv)
				goto fail;
		}
		err = bpf_map_lookup_batch(fd, first ? NULL : in, out,
					   k + n * ksize, v + n * vsize,
					   &count, NULL);
		n += count;
		if (err && errno == ENOENT)
			break;
		if (err)
			goto slow;
		memcpy(in, out, sizeof(in));
		first = false;
	}
	*keys = k;
	*vals = v;
	return (long)n;
slow:
	/* no batch operations: one key at a time */
	n = 0;
	for (bool have = false;
	     !bpf_map_get_next_key(fd, have ? (void *)in : NULL, out);
	     have = true) {
		memcpy(in, out, ksize);
		if (n == cap) {
			unsigned char *nk, *nv;

			cap *= 2;
			nk = realloc(k, cap * ksize);
			if (nk)
				k = nk;
			nv = realloc(v, cap * vsize);
			if (nv)
				v = nv;
			if (!nk || !nv)
				goto fail;
		}
		if (!bpf_map_lookup_elem(fd, out, v + n * vsize))
			memcpy(k + n++ * ksize, out, ksize);
	}
	*keys = k;
	*vals = v;
	return (long)n;
fail:
	free(k);
	free(v);
	return -1;
}

/* ---- output ------------------------------------------------------------- */

void tool_print_hist(FILE *f, const struct hist *h, const char *unit)
{
	int first = -1, last = -1;
	uint64_t top = 0;

	for (int i = 0; i < HIST_BUCKETS; i++) {
		if (!h->bucket[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (h->bucket[i] > top)
			top = h->bucket[i];
	}
	if (first < 0) {
		fprintf(f, "     (no samples)\n");
		return;
	}
	fprintf(f, "%24s : count      distribution\n", unit);
	for (int i = first; i <= last; i++) {
		uint64_t lo = i ? 1ull << i : 0, hi = (2ull << i) - 1;
		int stars = (int)((h->bucket[i] * 40 + top - 1) / top);

		fprintf(f, "%10llu -> %-10llu : %-10llu |%-40.*s|\n",
			(unsigned long long)lo, (unsigned long long)hi,
			(unsigned long long)h->bucket[i], stars,
			"****************************************");
	}
}

json_object *tool_hist_json(const struct hist *h)
{
	json_object *o = json_object_new_object(), *b;
	int last = -1;

	json_object_object_add(o, "count", json_object_new_uint64(h->count));
	json_object_object_add(o, "sum", json_object_new_uint64(h->sum));
	json_object_object_add(o, "min", json_object_new_uint64(h->min));
	json_object_object_add(o, "max", json_object_new_uint64(h->max));
	json_object_object_add(o, "mean", json_object_new_double(
		h->count ? (double)h->sum / (double)h->count : 0.0));
	json_object_object_add(o, "p50", json_object_new_uint64(
		hist_percentile(h, 50)));
	json_object_object_add(o, "p90", json_object_new_uint64(
		hist_percentile(h, 90)));
	json_object_object_add(o, "p99", json_object_new_uint64(
		hist_percentile(h, 99)));
	for (int i = 0; i < HIST_BUCKETS; i++)
		if (h->bucket[i])
			last = i;
	b = json_object_new_array();
	for (int i = 0; i <= last; i++)
		json_object_array_add(b, json_object_new_uint64(h->bucket[i]));
	json_object_object_add(o, "log2_buckets", b);
	return o;
}

static uint64_t evstat(const struct tool *t, uint32_t i)
{
	struct bpf_map *m = bpf_object__find_map_by_name(t->obj, "evstats");

	return m ? tool_percpu_u64(t, m, &i) : 0;
}

static json_object *events_json(const struct tool *t)
{
	json_object *o = json_object_new_object();

	for (uint32_t ev = 0; ev < RMI_EV_COUNT; ev++) {
		uint64_t n = evstat(t, ev);

		if (n)
			json_object_object_add(o, ev_names[ev],
					       json_object_new_uint64(n));
	}
	json_object_object_add(o, "dropped", json_object_new_uint64(
		evstat(t, RMI_BPF_STAT_DROPPED)));
	return o;
}

json_object *tool_json_report(const struct tool *t, bool final)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "tool", json_object_new_string(t->name));
	json_object_object_add(o, "backend", json_object_new_string(
		tool_backend_name(t->backend)));
	json_object_object_add(o, "pid", json_object_new_int(
		t->o.pid > 0 ? t->o.pid : -1));
	json_object_object_add(o, "seconds", json_object_new_double(
		t->t_end - t->t0));
	json_object_object_add(o, "final", json_object_new_boolean(final));
	json_object_object_add(o, "events", events_json(t));
	return o;
}

void tool_json_print(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
}

void tool_print_events(const struct tool *t, FILE *f)
{
	uint64_t dropped = evstat(t, RMI_BPF_STAT_DROPPED);

	fprintf(f, "events:");
	for (uint32_t ev = 0; ev < RMI_EV_COUNT; ev++) {
		uint64_t n = evstat(t, ev);

		if (n)
			fprintf(f, " %s %llu", ev_names[ev],
				(unsigned long long)n);
	}
	fprintf(f, "%s\n", dropped ? "" : ", none dropped");
	if (dropped)
		fprintf(f, "WARNING: %llu ring-buffer records dropped: counts from them are short\n",
			(unsigned long long)dropped);
}

/* ---- the feed ------------------------------------------------------------ */

#define FEED_STREAMS	(RMIB_MAX_VCPUS + 1)

/* a fault open on a thread: the stream of its vCPU, the stack pointer at
 * realm_map_enter
 */
struct open_fault {
	uint64_t sp;
	unsigned int stream;
};

struct fthread {
	uint32_t tid;			/* 0: a free slot */
	unsigned int n, cap;
	struct open_fault *open;
};

struct fstream {
	uint64_t key;			/* tgid << 32 | vcpu, + 1; 0: free */
	unsigned int stream;
};

enum feed_state { FEED_SETUP, FEED_AFTER_SETUP };

struct tool_feed {
	struct metrics *m;
	struct fthread *thr;
	size_t thr_cap, thr_n;
	struct fstream *str;
	size_t str_cap, str_n;
	unsigned int next_stream, vcpus;
	enum feed_state state;
	enum metrics_phase phase;
	uint64_t records;
	/* the first fault that returned an error to the guest */
	bool died;
	uint32_t dead_vcpu;
	int64_t dead_ret;
	uint64_t dead_ipa;
};

struct tool_feed *tool_feed_new(void)
{
	struct tool_feed *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->m = metrics_create(FEED_STREAMS);
	if (!f->m) {
		free(f);
		return NULL;
	}
	f->phase = METRICS_SETUP;
	return f;
}

void tool_feed_free(struct tool_feed *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->thr_cap; i++)
		free(f->thr[i].open);
	free(f->thr);
	free(f->str);
	metrics_destroy(f->m);
	free(f);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static struct fthread *feed_thread(struct tool_feed *f, uint32_t tid)
{
	size_t i;

	if (2 * (f->thr_n + 1) > f->thr_cap) {
		size_t cap = f->thr_cap ? 2 * f->thr_cap : 64;
		struct fthread *t = calloc(cap, sizeof(*t));

		if (!t)
			abort();
		for (size_t j = 0; j < f->thr_cap; j++) {
			if (!f->thr[j].tid)
				continue;
			for (i = mix(f->thr[j].tid) & (cap - 1); t[i].tid;
			     i = (i + 1) & (cap - 1))
				;
			t[i] = f->thr[j];
		}
		free(f->thr);
		f->thr = t;
		f->thr_cap = cap;
	}
	tid = tid ? tid : 0xffffffffu;
	for (i = mix(tid) & (f->thr_cap - 1); f->thr[i].tid;
	     i = (i + 1) & (f->thr_cap - 1))
		if (f->thr[i].tid == tid)
			return &f->thr[i];
	f->thr[i].tid = tid;
	f->thr_n++;
	return &f->thr[i];
}

/* the stream of (tgid, vcpu), numbered in order of first appearance */
static unsigned int feed_stream(struct tool_feed *f, uint32_t tgid,
				uint32_t vcpu)
{
	uint64_t key = ((uint64_t)tgid << 32 | vcpu) + 1;
	size_t i;

	if (2 * (f->str_n + 1) > f->str_cap) {
		size_t cap = f->str_cap ? 2 * f->str_cap : 64;
		struct fstream *s = calloc(cap, sizeof(*s));

		if (!s)
			abort();
		for (size_t j = 0; j < f->str_cap; j++) {
			if (!f->str[j].key)
				continue;
			for (i = mix(f->str[j].key) & (cap - 1); s[i].key;
			     i = (i + 1) & (cap - 1))
				;
			s[i] = f->str[j];
		}
		free(f->str);
		f->str = s;
		f->str_cap = cap;
	}
	for (i = mix(key) & (f->str_cap - 1); f->str[i].key;
	     i = (i + 1) & (f->str_cap - 1))
		if (f->str[i].key == key)
			return f->str[i].stream;
	f->str[i].key = key;
	f->str[i].stream = f->next_stream < FEED_STREAMS ?
			   f->next_stream++ : FEED_STREAMS - 1;
	f->str_n++;
	if (vcpu != RMI_BPF_NO_VCPU)
		f->vcpus++;
	return f->str[i].stream;
}

/*
 * The fault an event without a vCPU argument belongs to: the one open on
 * its thread, or, where several vCPUs share a thread (the sim's det
 * scheduler runs each on its own stack), the one whose stack pointer at
 * realm_map_enter is nearest the event's.
 */
static int feed_owner(const struct fthread *th, uint64_t sp)
{
	uint64_t best = UINT64_MAX;
	int o = -1;

	if (!th->n)
		return -1;
	if (th->n == 1 || !sp)
		return (int)th->n - 1;
	for (unsigned int i = 0; i < th->n; i++) {
		uint64_t d = th->open[i].sp > sp ? th->open[i].sp - sp :
						   sp - th->open[i].sp;

		if (d < best) {
			best = d;
			o = (int)i;
		}
	}
	return o;
}

static bool teardown_cmd(uint32_t fid)
{
	switch (fid) {
	case RMI_REALM_TERMINATE:
	case RMI_REALM_DESTROY:
	case RMI_REC_DESTROY:
	case RMI_RTT_DESTROY:
	case RMI_RTT_FOLD:
	case RMI_RTT_DATA_UNMAP:
	case RMI_RTT_UNPROT_UNMAP:
		return true;
	default:
		return false;
	}
}

/*
 * The phase of an RMI call: inside a fault, the fault phase; outside,
 * set-up until REALM_ACTIVATE returns (or a call only teardown makes
 * comes first), teardown after.
 */
static enum metrics_phase feed_phase(struct tool_feed *f,
				     const struct fthread *th, uint32_t fid)
{
	if (th->n)
		return METRICS_FAULT;
	if (f->state == FEED_SETUP) {
		if (teardown_cmd(fid)) {
			f->state = FEED_AFTER_SETUP;
			return METRICS_TEARDOWN;
		}
		if (fid == RMI_REALM_ACTIVATE)
			f->state = FEED_AFTER_SETUP;
		return METRICS_SETUP;
	}
	return METRICS_TEARDOWN;
}

static void open_push(struct fthread *th, uint64_t sp, unsigned int stream)
{
	if (th->n == th->cap) {
		unsigned int cap = th->cap ? 2 * th->cap : 4;
		struct open_fault *o = realloc(th->open, cap * sizeof(*o));

		if (!o)
			abort();
		th->open = o;
		th->cap = cap;
	}
	th->open[th->n++] = (struct open_fault){ sp, stream };
}

static void open_pop(struct fthread *th, unsigned int stream)
{
	for (unsigned int i = th->n; i-- > 0;) {
		if (th->open[i].stream != stream)
			continue;
		memmove(&th->open[i], &th->open[i + 1],
			(th->n - i - 1) * sizeof(th->open[0]));
		th->n--;
		return;
	}
}

#define FEED_LOCAL_(type, name)	uint64_t name = r->arg[i++];
#define FEED_PASS_(type, name)	, name
#define FEED_CASE_(ev, fields)						\
	case RMI_EV_##ev: {						\
		unsigned int i = 0;					\
									\
		fields(FEED_LOCAL_)					\
		if (s.ops && s.ops->ev)					\
			s.ops->ev(s.ctx, &h fields(FEED_PASS_));	\
		(void)i;						\
		break;							\
	}

void tool_feed_record(struct tool_feed *f, const struct rmi_rec *r)
{
	struct fthread *th = feed_thread(f, r->tid);
	struct rmi_ev_hdr h = { .wall_ns = r->ts };
	unsigned int stream;
	struct rmi_sink s;
	int o;

	f->records++;
	switch (r->ev) {
	case RMI_EV_realm_map_enter:
		stream = feed_stream(f, r->tgid, (uint32_t)r->arg[0]);
		open_push(th, r->sp, stream);
		break;
	case RMI_EV_realm_map_exit:
		stream = feed_stream(f, r->tgid, (uint32_t)r->arg[0]);
		open_pop(th, stream);
		/* a negative errno fails KVM_RUN: the realm dies */
		if ((int64_t)r->arg[3] < 0 && !f->died) {
			f->died = true;
			f->dead_vcpu = (uint32_t)r->arg[0];
			f->dead_ret = (int64_t)r->arg[3];
			f->dead_ipa = r->arg[1];
		}
		break;
	default:
		o = feed_owner(th, r->sp);
		stream = o >= 0 ? th->open[o].stream :
				  feed_stream(f, r->tgid, RMI_BPF_NO_VCPU);
		break;
	}
	if (r->ev == RMI_EV_rmi_call_exit) {
		enum metrics_phase p = feed_phase(f, th, (uint32_t)r->arg[0]);

		if (p != f->phase) {
			metrics_phase(f->m, p);
			f->phase = p;
		}
	}
	h.stream = stream;
	s = metrics_sink(f->m, stream);
	switch (r->ev) {
	RMI_EVENTS(FEED_CASE_)
	default:
		break;
	}
}

void tool_feed_result(struct tool_feed *f, struct run_result *r)
{
	metrics_collect(f->m, r);
}

static int feed_sample(void *ctx, void *data, size_t size)
{
	struct tool *t = ctx;

	if (size < sizeof(struct rmi_rec))
		return 0;
	tool_feed_record(t->feed, data);
	return 0;
}

int tool_feed_collect(const struct tool *t, struct run_result *r)
{
	memset(r, 0, sizeof(*r));
	if (!t->feed)
		return -1;
	tool_feed_result(t->feed, r);
	return 0;
}


/* ---- the result file ---------------------------------------------------- */

/*
 * The settings of a launched `rmibench run ...`, read from its command
 * line with the schema's table: 0, or -1 (then rmibench's defaults
 * stand) if the command is something else or has an option this does not
 * know (it reads exact names only, --out and --quiet besides the
 * settings).
 */
static int launched_config(const struct tool *t, struct run_config *c)
{
	char **a = t->o.cmd, why[256];
	bool given[CFG_NFIELDS] = { false };
	const char *base;

	run_config_default(c);
	if (!t->launched || !a[0] || !a[1] || strcmp(a[1], "run"))
		return -1;
	base = strrchr(a[0], '/');
	if (strcmp(base ? base + 1 : a[0], "rmibench"))
		return -1;
	for (a += 2; *a; a++) {
		const struct cfg_field *f = NULL;
		const char *opt = *a, *eq, *val;
		size_t n;

		if (strncmp(opt, "--", 2))
			return -1;
		opt += 2;
		eq = strchr(opt, '=');
		n = eq ? (size_t)(eq - opt) : strlen(opt);
		if (n == 5 && !strncmp(opt, "quiet", n) && !eq)
			continue;
		if (n == 3 && !strncmp(opt, "out", n)) {
			if (!eq && !*++a)
				return -1;
			continue;
		}
		for (unsigned int i = 0; i < CFG_NFIELDS; i++)
			if (strlen(run_config_fields[i].opt) == n &&
			    !strncmp(run_config_fields[i].opt, opt, n))
				f = &run_config_fields[i];
		if (!f)
			return -1;
		if (f->kind == CFG_KIND_BOOL) {
			if (eq)
				return -1;
			val = NULL;
		} else if (eq) {
			val = eq + 1;
		} else {
			val = *++a;
			if (!val)
				return -1;
		}
		if (cfg_parse(c, f, val, why, sizeof(why)))
			return -1;
		given[f - run_config_fields] = true;
	}
	/* as rmibench run: --kernel sets every path, these override */
	run_config_resolve(c, given[CFG_FIELD_strategy],
			   given[CFG_FIELD_delegation]);
	return 0;
}

static int write_result(struct tool *t)
{
	struct run_result *r = calloc(1, sizeof(*r));
	struct tool_feed *f = t->feed;
	char err[512];
	int rc;

	if (!r || !f) {
		free(r);
		return tool_err(t, "out of memory");
	}
	tool_feed_result(f, r);
	/* the traced run's settings, where the tool can know them; else
	 * rmibench's defaults with the vCPUs seen
	 */
	if (launched_config(t, &r->cfg)) {
		r->cfg.vcpus = f->vcpus ? f->vcpus : 1;
		if (t->backend == TOOL_KERNEL)
			snprintf(r->cfg.backend, sizeof(r->cfg.backend),
				 "kernel");
	}
	snprintf(r->backend, sizeof(r->backend), "%s",
		 tool_backend_name(t->backend));
	/* the most severe thing the events (or the command) told */
	r->outcome_class = OUTCOME_OK;
	snprintf(r->outcome, sizeof(r->outcome), "ok");
	if (t->outcome[0]) {
		r->outcome_class = OUTCOME_LIVELOCK;
		snprintf(r->outcome, sizeof(r->outcome), "%s", t->outcome);
	} else if (f->died) {
		r->outcome_class = OUTCOME_KILLED;
		snprintf(r->outcome, sizeof(r->outcome),
			 "vcpu %u: realm_map returned %lld at IPA %#llx",
			 f->dead_vcpu, (long long)f->dead_ret,
			 (unsigned long long)f->dead_ipa);
	} else if (t->launched && t->child_done &&
		   !(WIFEXITED(t->child_status) &&
		     !WEXITSTATUS(t->child_status))) {
		/* rmibench run: 3 for a realm killed, leaked or livelocked */
		r->outcome_class = OUTCOME_KILLED;
		if (WIFEXITED(t->child_status))
			snprintf(r->outcome, sizeof(r->outcome),
				 "the traced command exited with status %d",
				 WEXITSTATUS(t->child_status));
		else
			snprintf(r->outcome, sizeof(r->outcome),
				 "the traced command was killed by signal %d",
				 WTERMSIG(t->child_status));
	} else if (r->counts.guest_errors) {
		r->outcome_class = OUTCOME_GUEST_ERROR;
	}
	r->cost_model_default = true;
	r->wall_seconds = t->t_end - t->t0;
	rc = result_write_json(r, t->o.result, err, sizeof(err));
	free(r);
	if (rc)
		return tool_err(t, "%s", err);
	if (evstat(t, RMI_BPF_STAT_DROPPED))
		return tool_err(t, "%s: %llu events were dropped: the counts are short",
				t->o.result, (unsigned long long)
				evstat(t, RMI_BPF_STAT_DROPPED));
	return 0;
}

/* ---- a tool's main() ----------------------------------------------------- */

int tool_main(struct tool *t, const struct tool_def *d, void *ctx, int argc,
	      char **argv)
{
	void *skel = NULL;
	int rc = 1;

	t->name = d->name;
	tool_parse(t, d->argp, argc, argv, NULL);
	if (tool_prepare(t, d->name, d->events, d->record))
		goto out;
	skel = d->skel->open();
	if (!skel) {
		tool_err(t, "cannot open the BPF object");
		goto out;
	}
	d->skel->target(skel, tool_targ_tgid(t), tool_record_mask(t));
	d->opened(ctx, skel);
	if (tool_load_attach(t, d->skel->obj(skel), d->skel->load, skel))
		goto out;
	if (d->started)
		d->started(ctx);
	rc = tool_run(t, d->report, ctx);
out:
	tool_cleanup(t);
	if (skel)
		d->skel->destroy(skel);
	return rc;
}
