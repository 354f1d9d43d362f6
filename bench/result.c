// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: names of the run settings, histograms, the cost model, and the
 * result file (JSON via json-c; the schema is results/README.md).
 *
 * Everything read from a file is checked before it is used: a bad file
 * gives one line naming the file and the field, and nothing the caller
 * holds is changed by a failed load.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "cli.h"
#include "result.h"
#include "rmm.h"

#define COST_DEFAULT_SOURCE	"default (assumed, not measured)"
#define COST_DEFAULT_NOTE	"assumed costs; counts never depend on them"
#define COST_SCHEMA		"rmibench-costs-1"
#define COST_MAX_NS		1000000000ull	/* 1 s: anything more is absurd */
#define JSON_FILE_MAX		(16u << 20)

/* ---- counts ----------------------------------------------------------------- */

void run_counts_add_warn(struct run_counts *c, const char *reason,
			 uint64_t count)
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

void run_counts_merge(struct run_counts *d, const struct run_counts *s)
{
	const uint64_t *src = (const uint64_t *)s;
	uint64_t *dst = (uint64_t *)d;
	size_t n = offsetof(struct run_counts, warn) / sizeof(uint64_t);

	for (size_t i = 0; i < n; i++)
		dst[i] += src[i];
	for (unsigned int i = 0; i < s->nwarn; i++)
		run_counts_add_warn(d, s->warn[i].reason, s->warn[i].count);
}

/* ---- names ---------------------------------------------------------------- */

static const char *const deleg_names[DELEG_COUNT] = { "v14", "v15" };
static const char *const folio_names[FOLIO_COUNT] = {
	"4k", "2m", "1g", "mixed",
};
static const char *const sched_names[SCHED_COUNT] = { "det", "threads" };

const char *deleg_name(enum deleg_variant d)
{
	return (unsigned int)d < DELEG_COUNT ? deleg_names[d] : "?";
}

const char *folio_name(enum folio_mode f)
{
	return (unsigned int)f < FOLIO_COUNT ? folio_names[f] : "?";
}

const char *sched_name(enum sched_kind s)
{
	return (unsigned int)s < SCHED_COUNT ? sched_names[s] : "?";
}

int deleg_from_name(const char *s)
{
	for (int i = 0; s && i < DELEG_COUNT; i++)
		if (!strcmp(s, deleg_names[i]))
			return i;
	return -1;
}

/* "2M" as well as "2m": the same spelling as a --size value. */
int folio_from_name(const char *s)
{
	for (int i = 0; s && i < FOLIO_COUNT; i++)
		if (!strcasecmp(s, folio_names[i]))
			return i;
	return -1;
}

int sched_from_name(const char *s)
{
	for (int i = 0; s && i < SCHED_COUNT; i++)
		if (!strcmp(s, sched_names[i]))
			return i;
	return -1;
}

int strategy_from_name(const char *s)
{
	for (int i = 0; s && i < RMI_RTT_STRATEGY_COUNT; i++)
		if (!strcmp(s, rmi_rtt_strategy_name(i)))
			return i;
	return -1;
}

const char *folio_case(enum folio_mode f)
{
	switch (f) {
	case FOLIO_4K:
		return "4 KiB folios: today's hosts (the series maps 4 KiB)";
	case FOLIO_2M:
	case FOLIO_1G:
		return "huge folios: future guest_memfd";
	case FOLIO_MIXED:
		return "mixed folios (1 GiB, 2 MiB, 4 KiB): future guest_memfd";
	default:
		return "?";
	}
}

static const char *cmd_name(unsigned int i)
{
	const char *n = rmi_cmd_name_at(i);

	return n ? n : "?";
}

static int cmd_index(const char *name)
{
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++)
		if (!strcmp(cmd_name(i), name))
			return (int)i;
	return -1;
}

/* by_cmd's status buckets: the statuses, then "OTHER" */
static const char *status_bucket_name(unsigned int s)
{
	const char *n = s < STATUS_OTHER ? rmi_status_name(s) : NULL;

	return n ? n : "OTHER";
}

static int status_bucket(const char *name)
{
	for (unsigned int s = 0; s < STATUS_BUCKETS; s++)
		if (!strcmp(status_bucket_name(s), name))
			return (int)s;
	return -1;
}

#define GRANULE_STATES	7

static const char *granule_state_name(unsigned int st)
{
	const char *n = rmi_granule_state_name(st);

	return n ? n : "?";
}

/* ---- histograms ------------------------------------------------------------ */

static unsigned int hist_bucket(uint64_t ns)
{
	unsigned int b;

	if (ns < 2)
		return 0;
	b = 63 - (unsigned int)__builtin_clzll(ns);
	return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

void hist_add(struct hist *h, uint64_t ns)
{
	h->bucket[hist_bucket(ns)]++;
	if (!h->count || ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->count++;
	h->sum = sat_add(h->sum, ns);
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum = sat_add(dst->sum, src->sum);
}

/*
 * The rank of the sample at @pct is ceil(pct/100 * count); the answer is
 * the largest value its bucket can hold, 2^(i+1) - 1, never above max.
 * pct <= 0 gives min, pct >= 100 gives max.
 */
uint64_t hist_percentile(const struct hist *h, double pct)
{
	uint64_t rank, cum = 0;
	double x;

	if (!h->count)
		return 0;
	if (!(pct > 0))
		return h->min;
	if (pct >= 100)
		return h->max;
	x = pct * (double)h->count / 100.0;
	/* 99.9% of 1000 is 999, not 999.0000000000001 rounded up */
	x = ceil(x - x * 1e-12);
	rank = x < 1 ? 1 : (uint64_t)x;
	if (rank > h->count)
		rank = h->count;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		cum += h->bucket[i];
		if (cum >= rank) {
			/* the last bucket has no top */
			uint64_t ub = i == HIST_BUCKETS - 1 ? UINT64_MAX :
				      (2ull << i) - 1;

			return ub < h->max ? ub : h->max;
		}
	}
	return h->max;
}

static double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

/* ---- derived values --------------------------------------------------------- */

uint64_t result_mapped_total(const struct run_result *r)
{
	const uint64_t *b = r->counts.mapped_bytes;

	return sat_add(sat_add(sat_add(b[0], b[1]), b[2]), b[3]);
}

/* the calls made while the workload ran, not realm set-up or teardown */
double result_calls_per_fault(const struct run_result *r)
{
	if (!r->counts.faults)
		return 0.0;
	return (double)r->counts.rmi_calls_fault / (double)r->counts.faults;
}

double result_rtt_pages_per_gib(const struct run_result *r)
{
	uint64_t total = result_mapped_total(r);

	if (!total)
		return 0.0;
	return (double)r->counts.rtt_pages_end /
	       ((double)total / (double)(1ull << 30));
}

double result_block_coverage(const struct run_result *r)
{
	const uint64_t *b = r->counts.mapped_bytes;
	uint64_t total = result_mapped_total(r);

	if (!total)
		return 0.0;
	return (double)sat_add(sat_add(b[0], b[1]), b[2]) / (double)total;
}

/* ---- cost model ------------------------------------------------------------- */

/*
 * ASSUMED costs, in ns: an order of magnitude from the shape of each
 * command (a walk, a GPT update with TLB maintenance, a memory scrub), not
 * a measurement. Counts never depend on them; latencies computed with them
 * are illustrative only, and every report says so.
 */
static const struct cost_entry default_costs[RMI_CMD_COUNT] = {
	[RMI_CMD_VERSION]			= {   200,    0 },
	[RMI_CMD_FEATURES]			= {   200,    0 },
	[RMI_CMD_RMM_ACTIVATE]			= {  5000,    0 },
	[RMI_CMD_REALM_CREATE]			= { 20000,    0 },
	[RMI_CMD_REALM_ACTIVATE]		= {  1000,    0 },
	[RMI_CMD_REALM_TERMINATE]		= {  2000,    0 },
	[RMI_CMD_REALM_DESTROY]			= { 10000,    0 },
	[RMI_CMD_REC_CREATE]			= { 10000,    0 },
	[RMI_CMD_REC_DESTROY]			= {  3000,    0 },
	/* the walk, zeroing a table granule, the parent entry */
	[RMI_CMD_RTT_CREATE]			= {  2000,    0 },
	[RMI_CMD_RTT_DESTROY]			= {  1500,    0 },
	[RMI_CMD_RTT_FOLD]			= {  2500,    0 },
	[RMI_CMD_RTT_READ_ENTRY]		= {   400,    0 },
	[RMI_CMD_RTT_INIT_RIPAS]		= {   800,   10 },
	[RMI_CMD_RTT_SET_RIPAS]			= {  1000,   10 },
	/* GPT update and TLBI per granule */
	[RMI_CMD_GRANULE_RANGE_DELEGATE]	= {  1500,  500 },
	/* GPT update, TLBI and a scrub per granule */
	[RMI_CMD_GRANULE_RANGE_UNDELEGATE]	= {  1500,  600 },
	/* a walk, then a state check and a descriptor write per granule */
	[RMI_CMD_RTT_DATA_MAP]			= {  1200,   30 },
	/* copy and measure per granule */
	[RMI_CMD_DATA_MAP_INIT]			= {  2500, 1500 },
	[RMI_CMD_RTT_DATA_UNMAP]		= {  1200,   40 },
	[RMI_CMD_RTT_UNPROT_MAP]		= {  1000,   20 },
	[RMI_CMD_RTT_UNPROT_UNMAP]		= {  1000,   30 },
};

void cost_model_default(struct cost_model *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->cmd, default_costs, sizeof(c->cmd));
	c->fault_overhead_ns = 3000;
	c->access_ns = 20;
	c->is_default = true;
	snprintf(c->source, sizeof(c->source), "%s", COST_DEFAULT_SOURCE);
}

/* ---- errors ----------------------------------------------------------------- */

/* One line, always: file contents may carry newlines into messages. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		one_line(err);
	}
	return -1;
}

/* ---- atomic file write ------------------------------------------------------- */

int result_write_file_atomic(const char *path, const void *data, size_t len,
			     char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	char tmp[PATH_MAX], dir[PATH_MAX];
	FILE *f;
	int fd, n, e;

	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return fail(err, errlen, "%s: not a file name", path);
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", dirlen, path, base);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return fail(err, errlen, "%s: path too long", path);
	snprintf(dir, sizeof(dir), "%.*s", dirlen ? dirlen : 1,
		 dirlen ? path : ".");

	fd = mkstemp(tmp);
	if (fd < 0)
		return fail(err, errlen,
			    "%s: cannot create a temporary file in %s: %s",
			    path, dir, strerror(errno));
	if (fchmod(fd, 0644)) {
		e = errno;
		close(fd);
		unlink(tmp);
		return fail(err, errlen, "%s: chmod %s: %s", path, tmp,
			    strerror(e));
	}
	f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		unlink(tmp);
		return fail(err, errlen, "%s: fdopen %s: %s", path, tmp,
			    strerror(e));
	}
	if (len && fwrite(data, 1, len, f) != len) {
		e = errno;
		fclose(f);
		unlink(tmp);
		return fail(err, errlen, "%s: write %s: %s", path, tmp,
			    strerror(e));
	}
	if (fflush(f) || fsync(fd)) {
		e = errno;
		fclose(f);
		unlink(tmp);
		return fail(err, errlen, "%s: flush %s: %s", path, tmp,
			    strerror(e));
	}
	if (fclose(f)) {
		e = errno;
		unlink(tmp);
		return fail(err, errlen, "%s: close %s: %s", path, tmp,
			    strerror(e));
	}
	if (rename(tmp, path)) {
		e = errno;
		unlink(tmp);
		return fail(err, errlen, "%s: cannot replace it with %s: %s",
			    path, tmp, strerror(e));
	}
	/* make the rename itself durable; not all file systems can */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* ---- JSON writing -------------------------------------------------------------- */

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

/*
 * A double as the shortest text that reads back to the same value (at
 * most @prec significant digits, 17 reads back exactly), always with a
 * '.' or an exponent so that it stays a JSON double.
 */
static json_object *jdouble_prec(double d, int prec)
{
	char buf[48];

	if (!isfinite(d))
		d = 0.0;
	for (int p = 1; p <= prec; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, d);
		if (p == prec || strtod(buf, NULL) == d)
			break;
	}
	if (!strpbrk(buf, ".eE"))
		strcat(buf, ".0");
	return json_object_new_double_s(d, buf);
}

static json_object *jdouble(double d)
{
	return jdouble_prec(d, 17);
}

/*
 * Derived values and means: fixed point, six decimals below 1000 and
 * three above, trailing zeros dropped ("513.014", "0.998047", "1.0").
 */
static json_object *jderived(double d)
{
	char buf[64];
	size_t n;

	if (!isfinite(d))
		d = 0.0;
	if (fabs(d) >= 1e15)
		return jdouble_prec(d, 17);
	snprintf(buf, sizeof(buf), "%.*f", fabs(d) < 1000 ? 6 : 3, d);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = 0;
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

/* log2_buckets on one line: "[0, 0, 474, 38]" */
static int inline_array(struct json_object *jso, struct printbuf *pb,
			int level, int flags)
{
	size_t n = json_object_array_length(jso);

	(void)level;
	(void)flags;
	printbuf_strappend(pb, "[");
	for (size_t i = 0; i < n; i++)
		sprintbuf(pb, "%s%llu", i ? ", " : "", (unsigned long long)
			  json_object_get_uint64(json_object_array_get_idx(jso, i)));
	printbuf_strappend(pb, "]");
	return 0;
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *hist_json(const struct hist *h)
{
	json_object *o = json_object_new_object();
	json_object *b = json_object_new_array();
	int last = -1;

	add(o, "count", ju64(h->count));
	add(o, "sum", ju64(h->sum));
	add(o, "min", ju64(h->min));
	add(o, "max", ju64(h->max));
	add(o, "mean", jderived(hist_mean(h)));
	add(o, "p50", ju64(hist_percentile(h, 50)));
	add(o, "p90", ju64(hist_percentile(h, 90)));
	add(o, "p99", ju64(hist_percentile(h, 99)));
	add(o, "p999", ju64(hist_percentile(h, 99.9)));
	for (int i = 0; i < HIST_BUCKETS; i++)
		if (h->bucket[i])
			last = i;
	for (int i = 0; i <= last; i++)
		json_object_array_add(b, ju64(h->bucket[i]));
	json_object_set_serializer(b, inline_array, NULL, NULL);
	add(o, "log2_buckets", b);
	return o;
}

static void read_cpu_model(char *buf, size_t len, const char *fallback)
{
	static const char *const keys[] = { "model name", "Model", "Hardware" };
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	snprintf(buf, len, "%s", fallback);
	if (!f)
		return;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t kl = strlen(keys[k]);

		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			char *v = strchr(line, ':');

			if (strncmp(line, keys[k], kl) || !v ||
			    strspn(line + kl, " \t") != (size_t)(v - line - kl))
				continue;
			v++;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			if (*v) {
				snprintf(buf, len, "%s", v);
				fclose(f);
				return;
			}
		}
	}
	fclose(f);
}

/* copy, cutting what does not fit */
static void copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

static json_object *host_json(void)
{
	json_object *o = json_object_new_object();
	struct result_meta m;	/* for the field sizes the reader accepts */
	struct utsname u;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	char host[256];

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = 0;
	copy_cut(m.hostname, sizeof(m.hostname), host);
	if (uname(&u)) {
		snprintf(u.release, sizeof(u.release), "unknown");
		snprintf(u.machine, sizeof(u.machine), "unknown");
	}
	copy_cut(m.kernel, sizeof(m.kernel), u.release);
	read_cpu_model(m.cpu, sizeof(m.cpu), u.machine);

	add(o, "hostname", jstr(m.hostname));
	add(o, "kernel", jstr(m.kernel));
	add(o, "cpu", jstr(m.cpu));
	add(o, "nproc", ju64(n > 0 ? (uint64_t)n : 0));
	return o;
}

/* rmibench_version is `git describe` unless the build had no git */
static json_object *git_json(void)
{
	const char *v = rmibench_version;

	if (!strcmp(v, "0.1") || !*v)
		return NULL;	/* JSON null */
	return jstr(v);
}

static json_object *metadata_json(const struct run_result *r)
{
	json_object *o = json_object_new_object();
	json_object *cm = json_object_new_object();
	struct tm tm;
	time_t now = time(NULL);
	char ts[32];

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);

	add(cm, "default", json_object_new_boolean(r->cost_model_default));
	if (r->cost_model_default) {
		add(cm, "source", jstr(COST_DEFAULT_SOURCE));
		add(cm, "note", jstr(COST_DEFAULT_NOTE));
	} else {
		add(cm, "source", jstr(r->cfg.calibration[0] ?
				       r->cfg.calibration : "calibrated"));
	}

	add(o, "version", jstr(rmibench_version));
	add(o, "git", git_json());
	add(o, "backend", jstr(r->backend[0] ? r->backend : "sim"));
	add(o, "profile", jstr(r->cfg.profile));
	add(o, "host", host_json());
	add(o, "timestamp", jstr(ts));
	add(o, "cost_model", cm);
	add(o, "case", jstr(folio_case(r->cfg.folio)));
	return o;
}

static json_object *config_json(const struct run_config *c)
{
	json_object *o = json_object_new_object();

	add(o, "strategy", jstr(rmi_rtt_strategy_name(c->strategy)));
	add(o, "delegation", jstr(deleg_name(c->delegation)));
	add(o, "profile", jstr(c->profile));
	add(o, "delegate_granules", ju64(c->delegate_granules));
	add(o, "folio", jstr(folio_name(c->folio)));
	add(o, "ipa", ju64(c->ipa));
	add(o, "size", ju64(c->size));
	add(o, "vcpus", ju64(c->vcpus));
	add(o, "workload", jstr(c->workload));
	add(o, "shared_region", json_object_new_boolean(c->shared_region));
	add(o, "write_pct", ju64(c->write_pct));
	add(o, "shared_pct", ju64(c->shared_pct));
	add(o, "passes", ju64(c->passes));
	add(o, "stride", ju64(c->stride));
	add(o, "scheduler", jstr(sched_name(c->scheduler)));
	add(o, "seed", ju64(c->seed));
	add(o, "s2sz", ju64(c->s2sz));
	add(o, "calibration", jstr(c->calibration));
	add(o, "inject", jstr(c->inject));
	add(o, "livelock_faults", ju64(c->livelock_faults));
	return o;
}

static json_object *rmi_calls_json(const struct run_counts *k)
{
	json_object *o = json_object_new_object();
	json_object *bc = json_object_new_object();
	json_object *bs = json_object_new_object();

	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++) {
		json_object *st = NULL;
		uint64_t total = 0;

		for (unsigned int s = 0; s < STATUS_BUCKETS; s++) {
			if (!k->by_cmd[i][s])
				continue;
			if (!st)
				st = json_object_new_object();
			add(st, status_bucket_name(s), ju64(k->by_cmd[i][s]));
			total = sat_add(total, k->by_cmd[i][s]);
		}
		if (!st)
			continue;
		add(bc, cmd_name(i), ju64(total));
		add(bs, cmd_name(i), st);
	}
	add(o, "total", ju64(k->rmi_calls));
	add(o, "setup", ju64(k->rmi_calls_setup));
	add(o, "fault", ju64(k->rmi_calls_fault));
	add(o, "teardown", ju64(k->rmi_calls_teardown));
	add(o, "by_command", bc);
	add(o, "by_status", bs);
	return o;
}

static json_object *counts_json(const struct run_counts *k)
{
	json_object *o = json_object_new_object();
	json_object *mb = json_object_new_object();
	json_object *lk = json_object_new_object();
	json_object *wr = json_object_new_array();

	if (k->mapped_bytes[0])
		add(mb, "l0", ju64(k->mapped_bytes[0]));
	add(mb, "l1", ju64(k->mapped_bytes[1]));
	add(mb, "l2", ju64(k->mapped_bytes[2]));
	add(mb, "l3", ju64(k->mapped_bytes[3]));
	for (unsigned int s = 0; s < GRANULE_STATES; s++)
		add(lk, granule_state_name(s), ju64(k->leaked_by_state[s]));
	for (unsigned int i = 0; i < k->nwarn; i++) {
		json_object *w = json_object_new_object();

		add(w, "reason", jstr(k->warn[i].reason));
		add(w, "count", ju64(k->warn[i].count));
		json_object_array_add(wr, w);
	}

	add(o, "faults", ju64(k->faults));
	add(o, "faults_private", ju64(k->faults_private));
	add(o, "faults_shared", ju64(k->faults_shared));
	add(o, "refaults", ju64(k->refaults));
	add(o, "rmi_calls", rmi_calls_json(k));
	add(o, "rtts_created", ju64(k->rtts_created));
	add(o, "rtts_destroyed", ju64(k->rtts_destroyed));
	add(o, "rtt_pages_peak", ju64(k->rtt_pages_peak));
	add(o, "rtt_pages_end", ju64(k->rtt_pages_end));
	add(o, "mapped_bytes", mb);
	add(o, "delegate_races", ju64(k->delegate_races));
	add(o, "partial_delegations", ju64(k->partial_delegations));
	add(o, "leaked_granules", ju64(k->leaked_granules));
	add(o, "leaked_by_state", lk);
	add(o, "warnings", ju64(k->warnings));
	add(o, "warning_reasons", wr);
	add(o, "guest_errors", ju64(k->guest_errors));
	add(o, "injected", ju64(k->injected));
	add(o, "accesses", ju64(k->accesses));
	add(o, "granules_delegated", ju64(k->granules_delegated));
	return o;
}

/* A string field must end inside its array. */
static bool str_ok(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

/* The checks the reader makes too, so that every file written reads back. */
static int check_result(const struct run_result *r, char *err, size_t errlen)
{
	const struct run_config *c = &r->cfg;

	if ((unsigned int)c->strategy >= RMI_RTT_STRATEGY_COUNT)
		return fail(err, errlen, "config.strategy: invalid value %d",
			    (int)c->strategy);
	if ((unsigned int)c->delegation >= DELEG_COUNT)
		return fail(err, errlen, "config.delegation: invalid value %d",
			    (int)c->delegation);
	if ((unsigned int)c->folio >= FOLIO_COUNT)
		return fail(err, errlen, "config.folio: invalid value %d",
			    (int)c->folio);
	if ((unsigned int)c->scheduler >= SCHED_COUNT)
		return fail(err, errlen, "config.scheduler: invalid value %d",
			    (int)c->scheduler);
	if (c->write_pct > 100)
		return fail(err, errlen, "config.write_pct: %u is above 100",
			    c->write_pct);
	if (c->shared_pct > 100)
		return fail(err, errlen, "config.shared_pct: %u is above 100",
			    c->shared_pct);
	if (c->s2sz > RMI_S2SZ_MAX_LPA2)
		return fail(err, errlen, "config.s2sz: %u is above %u",
			    c->s2sz, RMI_S2SZ_MAX_LPA2);
	if (!str_ok(c->profile, sizeof(c->profile)) ||
	    !str_ok(c->workload, sizeof(c->workload)) ||
	    !str_ok(c->calibration, sizeof(c->calibration)) ||
	    !str_ok(c->inject, sizeof(c->inject)) ||
	    !str_ok(r->outcome, sizeof(r->outcome)))
		return fail(err, errlen, "a string field is not terminated");
	if (r->counts.nwarn > MAX_WARN_KINDS)
		return fail(err, errlen, "counts.warning_reasons: %u kinds, at most %d",
			    r->counts.nwarn, MAX_WARN_KINDS);
	for (unsigned int i = 0; i < r->counts.nwarn; i++)
		if (!str_ok(r->counts.warn[i].reason,
			    sizeof(r->counts.warn[i].reason)))
			return fail(err, errlen,
				    "counts.warning_reasons[%u].reason: not terminated", i);
	if (!isfinite(r->wall_seconds) || r->wall_seconds < 0)
		return fail(err, errlen, "timing.wall_seconds: %g is not a time",
			    r->wall_seconds);
	if (!isfinite(r->virtual_seconds) || r->virtual_seconds < 0)
		return fail(err, errlen, "timing.virtual_seconds: %g is not a time",
			    r->virtual_seconds);
	return 0;
}

int result_write_json(const struct run_result *r, const char *path,
		      char *err, size_t errlen)
{
	json_object *o, *d, *dist, *t;
	const char *text;
	char *buf;
	size_t len;
	int ret;

	if (check_result(r, err, errlen)) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err ? err : "");
		return fail(err, errlen, "%s: not written: %s", path, why);
	}

	o = json_object_new_object();
	add(o, "schema_version", ju64(RESULT_SCHEMA_VERSION));
	add(o, "metadata", metadata_json(r));
	add(o, "config", config_json(&r->cfg));
	add(o, "counts", counts_json(&r->counts));

	d = json_object_new_object();
	add(d, "rmi_calls_per_fault", jderived(result_calls_per_fault(r)));
	add(d, "rtt_pages_per_gib_mapped", jderived(result_rtt_pages_per_gib(r)));
	add(d, "block_coverage", jderived(result_block_coverage(r)));
	add(o, "derived", d);

	dist = json_object_new_object();
	add(dist, "fault_latency_modelled_ns", hist_json(&r->lat_model));
	add(dist, "fault_latency_wall_ns", hist_json(&r->lat_wall));
	add(dist, "rmi_calls_per_fault", hist_json(&r->calls_per_fault));
	add(o, "distributions", dist);

	add(o, "outcome", jstr(r->outcome));

	t = json_object_new_object();
	add(t, "wall_seconds", jdouble(r->wall_seconds));
	add(t, "virtual_seconds", jdouble(r->virtual_seconds));
	add(o, "timing", t);
	add(o, "model_bytes", ju64(r->model_bytes));

	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		json_object_put(o);
		return fail(err, errlen, "%s: cannot format the JSON (out of memory)",
			    path);
	}
	len = strlen(text);
	buf = malloc(len + 2);
	if (!buf) {
		json_object_put(o);
		return fail(err, errlen, "%s: out of memory", path);
	}
	memcpy(buf, text, len);
	buf[len++] = '\n';
	json_object_put(o);
	ret = result_write_file_atomic(path, buf, len, err, errlen);
	free(buf);
	return ret;
}

/* ---- JSON reading ------------------------------------------------------------ */

/*
 * Parse @path into a JSON object. Returns NULL with "PATH: why" in @err.
 */
static json_object *load_json_file(const char *path, char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *o;
	struct stat st;
	size_t len = 0, end;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		fail(err, errlen, "%s: not a regular file", path);
		return NULL;
	}
	if (st.st_size > JSON_FILE_MAX) {
		close(fd);
		fail(err, errlen, "%s: larger than %u MiB", path,
		     JSON_FILE_MAX >> 20);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		fail(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return NULL;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	if (strspn(buf, " \t\r\n") == len) {
		free(buf);
		fail(err, errlen, "%s: empty file", path);
		return NULL;
	}
	if (strlen(buf) != len) {
		free(buf);
		fail(err, errlen, "%s: contains a NUL byte", path);
		return NULL;
	}

	tok = json_tokener_new();
	if (!tok) {
		free(buf);
		fail(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	/* no trailing commas, comments or other leniencies */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		fail(err, errlen, "%s: truncated JSON (the file ends inside a value)",
		     path);
		o = NULL;
	} else if (jerr != json_tokener_success) {
		fail(err, errlen, "%s: invalid JSON at byte %zu: %s", path, end,
		     json_tokener_error_desc(jerr));
		o = NULL;
	} else if (strspn(buf + end, " \t\r\n") != len - end) {
		fail(err, errlen, "%s: data after the JSON value at byte %zu",
		     path, end);
		json_object_put(o);
		o = NULL;
	} else if (!json_object_is_type(o, json_type_object)) {
		fail(err, errlen, "%s: expected a JSON object, found %s", path,
		     json_type_to_name(json_object_get_type(o)));
		json_object_put(o);
		o = NULL;
	}
	free(buf);
	return o;
}

/* What a reader needs for its messages: "PATH: FIELD: problem". */
struct rd {
	const char *path;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int rd_fail(struct rd *c, const char *field, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail(c->err, c->errlen, "%s: %s: %s", c->path, field, msg);
}

#define FIELD_MAX	192

/* "opath.key", cut to FIELD_MAX - 1 bytes; keys from a file are cut to 64 */
static void field_name(char *buf, const char *opath, const char *key)
{
	size_t n = 0, kl = strnlen(key, 64);

	if (opath && *opath) {
		n = strnlen(opath, FIELD_MAX - 2);
		memcpy(buf, opath, n);
		buf[n++] = '.';
	}
	if (kl > FIELD_MAX - 1 - n)
		kl = FIELD_MAX - 1 - n;
	memcpy(buf + n, key, kl);
	buf[n + kl] = 0;
}

static const char *type_name(json_object *v)
{
	return json_type_to_name(json_object_get_type(v));
}

static int rd_type(struct rd *c, const char *f, json_object *v, json_type t,
		   const char *what)
{
	if (!json_object_is_type(v, t))
		return rd_fail(c, f, "expected %s, found %s", what, type_name(v));
	return 0;
}

static int rd_get(struct rd *c, json_object *o, const char *opath,
		  const char *key, json_type t, const char *what,
		  json_object **v)
{
	char f[FIELD_MAX];

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, v))
		return rd_fail(c, f, "missing");
	return rd_type(c, f, *v, t, what);
}

static int rd_obj(struct rd *c, json_object *o, const char *opath,
		  const char *key, json_object **v)
{
	return rd_get(c, o, opath, key, json_type_object, "an object", v);
}

static int rd_u64_val(struct rd *c, const char *f, json_object *v,
		      uint64_t max, uint64_t *out)
{
	uint64_t u;

	if (rd_type(c, f, v, json_type_int, "a whole number"))
		return -1;
	if (json_object_get_int64(v) < 0)
		return rd_fail(c, f, "negative value %lld",
			       (long long)json_object_get_int64(v));
	u = json_object_get_uint64(v);
	if (u > max)
		return rd_fail(c, f, "%llu is above %llu",
			       (unsigned long long)u, (unsigned long long)max);
	*out = u;
	return 0;
}

static int rd_u64(struct rd *c, json_object *o, const char *opath,
		  const char *key, uint64_t max, uint64_t *out)
{
	char f[FIELD_MAX];
	json_object *v;

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, &v))
		return rd_fail(c, f, "missing");
	return rd_u64_val(c, f, v, max, out);
}

static int rd_uint(struct rd *c, json_object *o, const char *opath,
		   const char *key, uint64_t lo, uint64_t hi, unsigned int *out)
{
	char f[FIELD_MAX];
	uint64_t v;

	if (rd_u64(c, o, opath, key, hi, &v))
		return -1;
	if (v < lo) {
		field_name(f, opath, key);
		return rd_fail(c, f, "%llu is below %llu",
			       (unsigned long long)v, (unsigned long long)lo);
	}
	*out = (unsigned int)v;
	return 0;
}

/* Any number (whole or not), finite and not negative. */
static int rd_num(struct rd *c, json_object *o, const char *opath,
		  const char *key, double *out)
{
	char f[FIELD_MAX];
	json_object *v;
	double d;

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, &v))
		return rd_fail(c, f, "missing");
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return rd_fail(c, f, "expected a number, found %s", type_name(v));
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) < 0)
		return rd_fail(c, f, "negative value");
	d = json_object_get_double(v);
	if (!isfinite(d) || d < 0)
		return rd_fail(c, f, "%g is not a finite non-negative number", d);
	*out = d;
	return 0;
}

static int rd_bool(struct rd *c, json_object *o, const char *opath,
		   const char *key, bool *out)
{
	json_object *v;

	if (rd_get(c, o, opath, key, json_type_boolean, "true or false", &v))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

/* A string that fits @size bytes with its NUL; null reads as "" if @null_ok. */
static int rd_str_val(struct rd *c, const char *f, json_object *v, char *buf,
		      size_t size, bool null_ok)
{
	const char *s;
	int len;

	if (!v && null_ok) {
		buf[0] = 0;
		return 0;
	}
	if (rd_type(c, f, v, json_type_string, null_ok ?
		    "a string or null" : "a string"))
		return -1;
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if ((size_t)len != strlen(s))
		return rd_fail(c, f, "contains a NUL character");
	if ((size_t)len >= size)
		return rd_fail(c, f, "longer than %zu bytes", size - 1);
	memcpy(buf, s, (size_t)len + 1);
	return 0;
}

static int rd_str(struct rd *c, json_object *o, const char *opath,
		  const char *key, char *buf, size_t size, bool null_ok)
{
	char f[FIELD_MAX];
	json_object *v;

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, &v))
		return rd_fail(c, f, "missing");
	return rd_str_val(c, f, v, buf, size, null_ok);
}

static int rd_name(struct rd *c, json_object *o, const char *opath,
		   const char *key, int (*from_name)(const char *),
		   const char *choices, int *out)
{
	char f[FIELD_MAX], s[64];
	int v;

	if (rd_str(c, o, opath, key, s, sizeof(s), false))
		return -1;
	v = from_name(s);
	if (v < 0) {
		field_name(f, opath, key);
		return rd_fail(c, f, "unknown value '%s' (one of: %s)", s,
			       choices);
	}
	*out = v;
	return 0;
}

static int rd_hist(struct rd *c, json_object *dist, const char *key,
		   struct hist *h)
{
	static const char *const pk[] = { "p50", "p90", "p99", "p999" };
	char p[FIELD_MAX], f[FIELD_MAX];
	json_object *o, *b;
	uint64_t total = 0, pv;
	double mean;
	size_t n;

	memset(h, 0, sizeof(*h));
	if (rd_obj(c, dist, "distributions", key, &o))
		return -1;
	field_name(p, "distributions", key);
	if (rd_u64(c, o, p, "count", UINT64_MAX, &h->count) ||
	    rd_u64(c, o, p, "sum", UINT64_MAX, &h->sum) ||
	    rd_u64(c, o, p, "min", UINT64_MAX, &h->min) ||
	    rd_u64(c, o, p, "max", UINT64_MAX, &h->max) ||
	    rd_num(c, o, p, "mean", &mean))
		return -1;
	if (h->min > h->max) {
		field_name(f, p, "min");
		return rd_fail(c, f, "above max");
	}
	if (!h->count && (h->min || h->max || h->sum)) {
		field_name(f, p, "count");
		return rd_fail(c, f, "0 but min, max or sum is not");
	}
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		if (rd_u64(c, o, p, pk[i], UINT64_MAX, &pv))
			return -1;
		if (h->count && (pv < h->min || pv > h->max)) {
			field_name(f, p, pk[i]);
			return rd_fail(c, f, "%llu is outside [min, max]",
				       (unsigned long long)pv);
		}
	}
	if (rd_get(c, o, p, "log2_buckets", json_type_array, "an array", &b))
		return -1;
	field_name(f, p, "log2_buckets");
	n = json_object_array_length(b);
	if (n > HIST_BUCKETS)
		return rd_fail(c, f, "%zu buckets, at most %d", n, HIST_BUCKETS);
	for (size_t i = 0; i < n; i++) {
		char fi[FIELD_MAX + 16];

		snprintf(fi, sizeof(fi), "%s[%zu]", f, i);
		if (rd_u64_val(c, fi, json_object_array_get_idx(b, i),
			       UINT64_MAX, &h->bucket[i]))
			return -1;
		if (total + h->bucket[i] < total)
			return rd_fail(c, f, "the buckets overflow");
		total += h->bucket[i];
	}
	if (total != h->count)
		return rd_fail(c, f, "the buckets add up to %llu, count is %llu",
			       (unsigned long long)total,
			       (unsigned long long)h->count);
	return 0;
}

static int rd_config(struct rd *c, json_object *root, struct run_config *cfg)
{
	const char *p = "config";
	json_object *o;
	int v;

	if (rd_obj(c, root, NULL, "config", &o))
		return -1;
	if (rd_name(c, o, p, "strategy", strategy_from_name,
		    "full, one-level, block", &v))
		return -1;
	cfg->strategy = v;
	if (rd_name(c, o, p, "delegation", deleg_from_name, "v14, v15", &v))
		return -1;
	cfg->delegation = v;
	if (rd_name(c, o, p, "folio", folio_from_name,
		    "4k, 2m, 1g, mixed", &v))
		return -1;
	cfg->folio = v;
	if (rd_name(c, o, p, "scheduler", sched_from_name, "det, threads", &v))
		return -1;
	cfg->scheduler = v;
	if (rd_str(c, o, p, "profile", cfg->profile, sizeof(cfg->profile),
		   false) ||
	    rd_uint(c, o, p, "delegate_granules", 0, UINT_MAX,
		    &cfg->delegate_granules) ||
	    rd_u64(c, o, p, "ipa", UINT64_MAX, &cfg->ipa) ||
	    rd_u64(c, o, p, "size", UINT64_MAX, &cfg->size) ||
	    rd_uint(c, o, p, "vcpus", 0, UINT_MAX, &cfg->vcpus) ||
	    rd_str(c, o, p, "workload", cfg->workload, sizeof(cfg->workload),
		   false) ||
	    rd_bool(c, o, p, "shared_region", &cfg->shared_region) ||
	    rd_uint(c, o, p, "write_pct", 0, 100, &cfg->write_pct) ||
	    rd_uint(c, o, p, "shared_pct", 0, 100, &cfg->shared_pct) ||
	    rd_uint(c, o, p, "passes", 0, UINT_MAX, &cfg->passes) ||
	    rd_u64(c, o, p, "stride", UINT64_MAX, &cfg->stride) ||
	    rd_u64(c, o, p, "seed", UINT64_MAX, &cfg->seed) ||
	    rd_uint(c, o, p, "s2sz", 0, RMI_S2SZ_MAX_LPA2, &cfg->s2sz) ||
	    rd_str(c, o, p, "calibration", cfg->calibration,
		   sizeof(cfg->calibration), false) ||
	    rd_str(c, o, p, "inject", cfg->inject, sizeof(cfg->inject),
		   false) ||
	    rd_u64(c, o, p, "livelock_faults", UINT64_MAX,
		   &cfg->livelock_faults))
		return -1;
	return 0;
}

static int rd_rmi_calls(struct rd *c, json_object *counts,
			struct run_counts *k)
{
	const char *p = "counts.rmi_calls";
	json_object *o, *bc, *bs;
	struct json_object_iterator it, end;
	uint64_t total[RMI_CMD_COUNT] = { 0 };
	char f[FIELD_MAX], g[FIELD_MAX];

	if (rd_obj(c, counts, "counts", "rmi_calls", &o) ||
	    rd_u64(c, o, p, "total", UINT64_MAX, &k->rmi_calls) ||
	    rd_u64(c, o, p, "setup", UINT64_MAX, &k->rmi_calls_setup) ||
	    rd_u64(c, o, p, "fault", UINT64_MAX, &k->rmi_calls_fault) ||
	    rd_u64(c, o, p, "teardown", UINT64_MAX, &k->rmi_calls_teardown) ||
	    rd_obj(c, o, p, "by_command", &bc) ||
	    rd_obj(c, o, p, "by_status", &bs))
		return -1;

	it = json_object_iter_begin(bs);
	end = json_object_iter_end(bs);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *cmd = json_object_iter_peek_name(&it);
		json_object *st = json_object_iter_peek_value(&it);
		struct json_object_iterator si, se;
		int ci = cmd_index(cmd);

		field_name(f, "counts.rmi_calls.by_status", cmd);
		if (ci < 0)
			return rd_fail(c, f, "unknown RMI command");
		if (rd_type(c, f, st, json_type_object, "an object"))
			return -1;
		si = json_object_iter_begin(st);
		se = json_object_iter_end(st);
		for (; !json_object_iter_equal(&si, &se);
		     json_object_iter_next(&si)) {
			const char *sn = json_object_iter_peek_name(&si);
			int sb = status_bucket(sn);
			uint64_t n;

			field_name(g, f, sn);
			if (sb < 0)
				return rd_fail(c, g, "unknown RMI status");
			if (rd_u64_val(c, g, json_object_iter_peek_value(&si),
				       UINT64_MAX, &n))
				return -1;
			k->by_cmd[ci][sb] = n;
			total[ci] = sat_add(total[ci], n);
		}
	}

	it = json_object_iter_begin(bc);
	end = json_object_iter_end(bc);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *cmd = json_object_iter_peek_name(&it);
		int ci = cmd_index(cmd);
		uint64_t n;

		field_name(f, "counts.rmi_calls.by_command", cmd);
		if (ci < 0)
			return rd_fail(c, f, "unknown RMI command");
		if (rd_u64_val(c, f, json_object_iter_peek_value(&it),
			       UINT64_MAX, &n))
			return -1;
		if (n != total[ci])
			return rd_fail(c, f, "%llu, but by_status adds up to %llu",
				       (unsigned long long)n,
				       (unsigned long long)total[ci]);
	}
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++) {
		if (total[i] && !json_object_object_get_ex(bc, cmd_name(i), NULL)) {
			field_name(f, "counts.rmi_calls.by_command", cmd_name(i));
			return rd_fail(c, f, "missing (by_status has %llu calls)",
				       (unsigned long long)total[i]);
		}
	}
	return 0;
}

static int rd_counts(struct rd *c, json_object *root, struct run_counts *k)
{
	static const char *const lv[] = { "l0", "l1", "l2", "l3" };
	const char *p = "counts";
	json_object *o, *mb, *lk, *wr;
	char f[FIELD_MAX];
	size_t n;

	if (rd_obj(c, root, NULL, "counts", &o))
		return -1;
	if (rd_u64(c, o, p, "faults", UINT64_MAX, &k->faults) ||
	    rd_u64(c, o, p, "faults_private", UINT64_MAX, &k->faults_private) ||
	    rd_u64(c, o, p, "faults_shared", UINT64_MAX, &k->faults_shared) ||
	    rd_u64(c, o, p, "refaults", UINT64_MAX, &k->refaults) ||
	    rd_rmi_calls(c, o, k) ||
	    rd_u64(c, o, p, "rtts_created", UINT64_MAX, &k->rtts_created) ||
	    rd_u64(c, o, p, "rtts_destroyed", UINT64_MAX, &k->rtts_destroyed) ||
	    rd_u64(c, o, p, "rtt_pages_peak", UINT64_MAX, &k->rtt_pages_peak) ||
	    rd_u64(c, o, p, "rtt_pages_end", UINT64_MAX, &k->rtt_pages_end))
		return -1;

	if (rd_obj(c, o, p, "mapped_bytes", &mb))
		return -1;
	for (int l = 0; l < 4; l++) {
		/* l0 only appears when something was (wrongly) mapped there */
		if (!l && !json_object_object_get_ex(mb, "l0", NULL))
			continue;
		if (rd_u64(c, mb, "counts.mapped_bytes", lv[l], UINT64_MAX,
			   &k->mapped_bytes[l]))
			return -1;
	}

	if (rd_u64(c, o, p, "delegate_races", UINT64_MAX, &k->delegate_races) ||
	    rd_u64(c, o, p, "partial_delegations", UINT64_MAX,
		   &k->partial_delegations) ||
	    rd_u64(c, o, p, "leaked_granules", UINT64_MAX, &k->leaked_granules) ||
	    rd_obj(c, o, p, "leaked_by_state", &lk))
		return -1;
	for (unsigned int s = 0; s < GRANULE_STATES; s++)
		if (rd_u64(c, lk, "counts.leaked_by_state", granule_state_name(s),
			   UINT64_MAX, &k->leaked_by_state[s]))
			return -1;

	if (rd_u64(c, o, p, "warnings", UINT64_MAX, &k->warnings) ||
	    rd_get(c, o, p, "warning_reasons", json_type_array, "an array", &wr))
		return -1;
	n = json_object_array_length(wr);
	if (n > MAX_WARN_KINDS)
		return rd_fail(c, "counts.warning_reasons", "%zu entries, at most %d",
			       n, MAX_WARN_KINDS);
	for (size_t i = 0; i < n; i++) {
		json_object *w = json_object_array_get_idx(wr, i);

		snprintf(f, sizeof(f), "counts.warning_reasons[%zu]", i);
		if (rd_type(c, f, w, json_type_object, "an object") ||
		    rd_str(c, w, f, "reason", k->warn[i].reason,
			   sizeof(k->warn[i].reason), false) ||
		    rd_u64(c, w, f, "count", UINT64_MAX, &k->warn[i].count))
			return -1;
	}
	k->nwarn = (unsigned int)n;

	if (rd_u64(c, o, p, "guest_errors", UINT64_MAX, &k->guest_errors) ||
	    rd_u64(c, o, p, "injected", UINT64_MAX, &k->injected) ||
	    rd_u64(c, o, p, "accesses", UINT64_MAX, &k->accesses) ||
	    rd_u64(c, o, p, "granules_delegated", UINT64_MAX,
		   &k->granules_delegated))
		return -1;
	return 0;
}

static int rd_metadata(struct rd *c, json_object *root, struct run_result *r,
		       struct result_meta *m)
{
	const char *p = "metadata";
	json_object *o, *h, *cm;
	unsigned int nproc;
	char note[128];
	json_object *v;

	if (rd_obj(c, root, NULL, "metadata", &o) ||
	    rd_str(c, o, p, "version", m->version, sizeof(m->version), false) ||
	    rd_str(c, o, p, "git", m->git, sizeof(m->git), true) ||
	    rd_str(c, o, p, "backend", m->backend, sizeof(m->backend), false) ||
	    rd_str(c, o, p, "profile", note, sizeof(note), false) ||
	    rd_obj(c, o, p, "host", &h) ||
	    rd_str(c, h, "metadata.host", "hostname", m->hostname,
		   sizeof(m->hostname), false) ||
	    rd_str(c, h, "metadata.host", "kernel", m->kernel,
		   sizeof(m->kernel), false) ||
	    rd_str(c, h, "metadata.host", "cpu", m->cpu, sizeof(m->cpu),
		   false) ||
	    rd_uint(c, h, "metadata.host", "nproc", 0, UINT_MAX, &nproc) ||
	    rd_str(c, o, p, "timestamp", m->timestamp, sizeof(m->timestamp),
		   false) ||
	    rd_obj(c, o, p, "cost_model", &cm) ||
	    rd_bool(c, cm, "metadata.cost_model", "default",
		    &r->cost_model_default) ||
	    rd_str(c, cm, "metadata.cost_model", "source", m->cost_source,
		   sizeof(m->cost_source), false) ||
	    rd_str(c, o, p, "case", m->folio_case, sizeof(m->folio_case),
		   false))
		return -1;
	m->nproc = nproc;
	if (strcmp(m->backend, "sim") && strcmp(m->backend, "kernel"))
		return rd_fail(c, "metadata.backend", "unknown backend '%s'",
			       m->backend);
	/* the note is optional: only the default table has one */
	if (json_object_object_get_ex(cm, "note", &v) &&
	    rd_str_val(c, "metadata.cost_model.note", v, note, sizeof(note),
		       false))
		return -1;
	return 0;
}

int result_read_json_meta(const char *path, struct run_result *r,
			  struct result_meta *meta, char *err, size_t errlen)
{
	struct rd c = { .path = path, .err = err, .errlen = errlen };
	struct result_meta mbuf;
	json_object *root, *dist, *t, *d;
	uint64_t ver;
	double x;
	int ret = -1;

	root = load_json_file(path, err, errlen);
	if (!root)
		return -1;
	memset(r, 0, sizeof(*r));
	memset(&mbuf, 0, sizeof(mbuf));

	if (rd_u64(&c, root, NULL, "schema_version", UINT64_MAX, &ver))
		goto out;
	if (ver != RESULT_SCHEMA_VERSION) {
		rd_fail(&c, "schema_version", "%llu, this rmibench reads %d",
			(unsigned long long)ver, RESULT_SCHEMA_VERSION);
		goto out;
	}
	if (rd_metadata(&c, root, r, &mbuf) ||
	    rd_config(&c, root, &r->cfg) ||
	    rd_counts(&c, root, &r->counts))
		goto out;
	if (rd_obj(&c, root, NULL, "derived", &d) ||
	    rd_num(&c, d, "derived", "rmi_calls_per_fault", &x) ||
	    rd_num(&c, d, "derived", "rtt_pages_per_gib_mapped", &x) ||
	    rd_num(&c, d, "derived", "block_coverage", &x))
		goto out;
	if (x > 1.0) {
		rd_fail(&c, "derived.block_coverage", "%g is above 1", x);
		goto out;
	}
	if (rd_obj(&c, root, NULL, "distributions", &dist) ||
	    rd_hist(&c, dist, "fault_latency_modelled_ns", &r->lat_model) ||
	    rd_hist(&c, dist, "fault_latency_wall_ns", &r->lat_wall) ||
	    rd_hist(&c, dist, "rmi_calls_per_fault", &r->calls_per_fault) ||
	    rd_str(&c, root, NULL, "outcome", r->outcome, sizeof(r->outcome),
		   false) ||
	    rd_obj(&c, root, NULL, "timing", &t) ||
	    rd_num(&c, t, "timing", "wall_seconds", &r->wall_seconds) ||
	    rd_num(&c, t, "timing", "virtual_seconds", &r->virtual_seconds) ||
	    rd_u64(&c, root, NULL, "model_bytes", UINT64_MAX, &r->model_bytes))
		goto out;
	if (!r->outcome[0]) {
		rd_fail(&c, "outcome", "empty");
		goto out;
	}
	if (meta)
		*meta = mbuf;
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

int result_read_json(const char *path, struct run_result *r, char *err,
		     size_t errlen)
{
	return result_read_json_meta(path, r, NULL, err, errlen);
}

/* ---- calibration file ---------------------------------------------------------- */

/*
 * {"schema": "rmibench-costs-1",
 *  "source": "optional text: where and how it was measured",
 *  "costs": {"RTT_DATA_MAP": {"fixed_ns": 1100, "per_granule_ns": 25}, ...},
 *  "fault_overhead_ns": 2800, "access_ns": 15}
 * Commands not listed keep the default cost; so do the two overheads.
 */
static int rd_cost_ns(struct rd *c, json_object *o, const char *opath,
		      const char *key, uint64_t *out)
{
	char f[FIELD_MAX];
	json_object *v;

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, &v))
		return rd_fail(c, f, "missing");
	if (json_object_is_type(v, json_type_double))
		return rd_fail(c, f, "expected whole nanoseconds, found %g",
			       json_object_get_double(v));
	return rd_u64_val(c, f, v, COST_MAX_NS, out);
}

int cost_model_load(struct cost_model *cm, const char *path, char *err,
		    size_t errlen)
{
	struct rd c = { .path = path, .err = err, .errlen = errlen };
	struct json_object_iterator it, end;
	struct cost_model n;
	json_object *root, *costs;
	char schema[64], source[192] = "";
	int ret = -1;

	root = load_json_file(path, err, errlen);
	if (!root)
		return -1;
	cost_model_default(&n);

	it = json_object_iter_begin(root);
	end = json_object_iter_end(root);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);

		if (strcmp(k, "schema") && strcmp(k, "source") &&
		    strcmp(k, "costs") && strcmp(k, "fault_overhead_ns") &&
		    strcmp(k, "access_ns")) {
			rd_fail(&c, k, "unknown field");
			goto out;
		}
	}
	if (rd_str(&c, root, NULL, "schema", schema, sizeof(schema), false))
		goto out;
	if (strcmp(schema, COST_SCHEMA)) {
		rd_fail(&c, "schema", "'%s', expected '%s'", schema, COST_SCHEMA);
		goto out;
	}
	if (json_object_object_get_ex(root, "source", NULL) &&
	    rd_str(&c, root, NULL, "source", source, sizeof(source), false))
		goto out;
	if (rd_obj(&c, root, NULL, "costs", &costs))
		goto out;

	it = json_object_iter_begin(costs);
	end = json_object_iter_end(costs);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);
		json_object *e = json_object_iter_peek_value(&it);
		struct json_object_iterator ei, ee;
		char f[FIELD_MAX];
		int ci = cmd_index(k);

		field_name(f, "costs", k);
		if (ci < 0) {
			rd_fail(&c, f, "unknown RMI command");
			goto out;
		}
		if (rd_type(&c, f, e, json_type_object, "an object"))
			goto out;
		ei = json_object_iter_begin(e);
		ee = json_object_iter_end(e);
		for (; !json_object_iter_equal(&ei, &ee);
		     json_object_iter_next(&ei)) {
			const char *ek = json_object_iter_peek_name(&ei);
			char g[FIELD_MAX];

			if (strcmp(ek, "fixed_ns") && strcmp(ek, "per_granule_ns")) {
				field_name(g, f, ek);
				rd_fail(&c, g, "unknown field");
				goto out;
			}
		}
		if (rd_cost_ns(&c, e, f, "fixed_ns", &n.cmd[ci].fixed_ns) ||
		    rd_cost_ns(&c, e, f, "per_granule_ns",
			       &n.cmd[ci].per_granule_ns))
			goto out;
	}
	if (json_object_object_get_ex(root, "fault_overhead_ns", NULL) &&
	    rd_cost_ns(&c, root, NULL, "fault_overhead_ns",
		       &n.fault_overhead_ns))
		goto out;
	if (json_object_object_get_ex(root, "access_ns", NULL) &&
	    rd_cost_ns(&c, root, NULL, "access_ns", &n.access_ns))
		goto out;

	n.is_default = false;
	if (source[0])
		snprintf(n.source, sizeof(n.source), "%.60s (%s)", path, source);
	else
		snprintf(n.source, sizeof(n.source), "%s", path);
	*cm = n;
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

/* ---- the command line that repeats a run ---------------------------------------- */

struct sbuf {
	char *buf;
	size_t len, used;
};

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	size_t room = b->used < b->len ? b->len - b->used : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->used += (size_t)n;
}

/* a shell word: quoted unless it is plainly safe */
static void sb_word(struct sbuf *b, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._/:=,+-@%") == strlen(s)) {
		sb_printf(b, "%s", s);
		return;
	}
	sb_printf(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_printf(b, "'\\''");
		else
			sb_printf(b, "%c", *s);
	}
	sb_printf(b, "'");
}

static void sb_size(struct sbuf *b, uint64_t v)
{
	if (v && !(v & ((1ull << 30) - 1)))
		sb_printf(b, "%lluG", (unsigned long long)(v >> 30));
	else if (v && !(v & ((1ull << 20) - 1)))
		sb_printf(b, "%lluM", (unsigned long long)(v >> 20));
	else if (v && !(v & ((1ull << 10) - 1)))
		sb_printf(b, "%lluk", (unsigned long long)(v >> 10));
	else
		sb_printf(b, "%llu", (unsigned long long)v);
}

int result_command_line(const struct run_config *c, char *buf, size_t len)
{
	struct sbuf b = { .buf = buf, .len = len };

	if (len)
		buf[0] = 0;
	sb_printf(&b, "rmibench run --strategy %s --delegation %s --profile ",
		  rmi_rtt_strategy_name(c->strategy), deleg_name(c->delegation));
	sb_word(&b, c->profile);
	sb_printf(&b, " --delegate-granules %u --folio %s --ipa 0x%llx --size ",
		  c->delegate_granules, folio_name(c->folio),
		  (unsigned long long)c->ipa);
	sb_size(&b, c->size);
	sb_printf(&b, " --vcpus %u --workload ", c->vcpus);
	sb_word(&b, c->workload);
	if (c->shared_region)
		sb_printf(&b, " --shared-region");
	sb_printf(&b, " --write-pct %u --shared-pct %u --passes %u --stride ",
		  c->write_pct, c->shared_pct, c->passes);
	sb_size(&b, c->stride);
	sb_printf(&b, " --scheduler %s --seed %llu --s2sz %u",
		  sched_name(c->scheduler), (unsigned long long)c->seed,
		  c->s2sz);
	if (c->calibration[0]) {
		sb_printf(&b, " --calibration ");
		sb_word(&b, c->calibration);
	}
	/* one --inject per rule; the config joins them with ';' */
	for (const char *r = c->inject; *r;) {
		size_t n = strcspn(r, ";");
		char rule[sizeof(c->inject)];

		memcpy(rule, r, n);
		rule[n] = 0;
		if (n) {
			sb_printf(&b, " --inject ");
			sb_word(&b, rule);
		}
		r += n + (r[n] == ';');
	}
	sb_printf(&b, " --livelock-faults %llu",
		  (unsigned long long)c->livelock_faults);
	return (int)b.used;
}
