// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzzing: seeds for fuzz_rmm and fuzz_diff from the scenario
 * tests. Each scenario runs through the scenario runner as
 * `rmibench rmi-script` runs it; the calls it makes reach the model through
 * rmm_smc(), rmm_ns_write() and rmm_rec_request_ripas(), which this
 * program wraps (ld --wrap) to record them. The script's DELEGATE loops
 * become the input format's loop ops; the rest is one op per call.
 *
 *   mkseed OUTDIR FILE.rmi...
 *
 * writes OUTDIR/NAME.PROFILE (one per profile on the file's "# profiles:"
 * line) and prints, per file, the ops and how many only approximate the
 * call (an address the format cannot reach, a list longer than 8). Each
 * seed is then replayed through the laws of rmi_seq.c, as the fuzz
 * target will: a seed that breaks one is reported and fails the run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmi_seq.h"
#include "script.h"

void __real_rmm_smc(struct rmm *m, const struct rmm_regs *in,
		    struct rmm_regs *out);
int __real_rmm_ns_write(struct rmm *m, uint64_t pa, const void *buf,
			size_t len);
int __real_rmm_rec_request_ripas(struct rmm *m, uint64_t rec, uint64_t base,
				 uint64_t top, unsigned int ripas);
void __wrap_rmm_smc(struct rmm *m, const struct rmm_regs *in,
		    struct rmm_regs *out);
int __wrap_rmm_ns_write(struct rmm *m, uint64_t pa, const void *buf,
			size_t len);
int __wrap_rmm_rec_request_ripas(struct rmm *m, uint64_t rec, uint64_t base,
				 uint64_t top, unsigned int ripas);

#define MAX_REC		4096

struct rec {
	struct seq_op op;
	struct rmm_regs out;
};

static struct rec recs[MAX_REC];
static unsigned int nrec;
static bool recording;
/* the last NS write: a parameter block or a list for the next call */
static uint64_t ns_pa;
static unsigned char ns_buf[4096];
static size_t ns_len;

int __wrap_rmm_ns_write(struct rmm *m, uint64_t pa, const void *buf,
			size_t len)
{
	if (recording && len <= sizeof(ns_buf)) {
		ns_pa = pa;
		memcpy(ns_buf, buf, len);
		ns_len = len;
	}
	return __real_rmm_ns_write(m, pa, buf, len);
}

int __wrap_rmm_rec_request_ripas(struct rmm *m, uint64_t rec, uint64_t base,
				 uint64_t top, unsigned int ripas)
{
	if (recording && nrec < MAX_REC) {
		struct rec *r = &recs[nrec++];

		memset(r, 0, sizeof(*r));
		r->op.kind = SEQ_RIPAS_REQUEST;
		r->op.in.x[1] = rec;
		r->op.in.x[2] = base;
		r->op.in.x[3] = top;
		r->op.in.x[4] = ripas;
	}
	return __real_rmm_rec_request_ripas(m, rec, base, top, ripas);
}

/* the call with its NS bytes moved to the format's scratch granule */
static void normalise(struct seq_op *op)
{
	uint64_t *x = op->in.x;
	uint32_t fid = (uint32_t)x[0];

	if (fid == RMI_REALM_CREATE && ns_len && ns_pa == x[2]) {
		x[2] = seq_scratch(0);
		op->ns_len = sizeof(struct rmi_realm_params);
		memcpy(op->ns, ns_buf, op->ns_len);
	}
	if ((fid == RMI_RTT_DATA_MAP || fid == RMI_RTT_UNPROT_MAP) &&
	    RMI_FLAGS_ADDR_TYPE(x[4]) == RMI_ADDR_TYPE_LIST && ns_len &&
	    ns_pa == x[5]) {
		size_t n = ns_len / 8 > 8 ? 8 : ns_len / 8;

		x[5] = seq_scratch(0);
		op->ns_len = 8 * n;
		memcpy(op->ns, ns_buf, op->ns_len);
		/* the count as the format can say it: the list, or one more */
		if (RMI_FLAGS_LIST_COUNT(x[4]) != n + 1)
			x[4] = (x[4] & ~(0x3fffull << 2)) | (uint64_t)n << 2;
	}
	if ((fid == RMI_RTT_DATA_UNMAP || fid == RMI_RTT_UNPROT_UNMAP) &&
	    RMI_FLAGS_ADDR_TYPE(x[4]) == RMI_ADDR_TYPE_LIST &&
	    x[5] >> SEQ_PA_BITS)
		x[5] = seq_scratch(0);	/* the runner's scratch granule */
}

void __wrap_rmm_smc(struct rmm *m, const struct rmm_regs *in,
		    struct rmm_regs *out)
{
	struct rmm_regs copy = *in;

	__real_rmm_smc(m, in, out);
	if (!recording || nrec >= MAX_REC)
		return;
	memset(&recs[nrec], 0, sizeof(recs[nrec]));
	recs[nrec].op.kind = SEQ_SMC;
	memcpy(recs[nrec].op.in.x, copy.x, 6 * sizeof(copy.x[0]));
	normalise(&recs[nrec].op);
	recs[nrec].out = *out;
	nrec++;
	ns_len = 0;
}

static bool is_range_delegate(const struct rec *r)
{
	return r->op.kind == SEQ_SMC &&
	       (r->op.in.x[0] == RMI_GRANULE_RANGE_DELEGATE ||
		r->op.in.x[0] == RMI_GRANULE_RANGE_UNDELEGATE);
}

/* Runs of (un)delegate calls, each going on from the last one's x1: a loop. */
static unsigned int to_ops(struct seq_op *ops, uint64_t *loop_granules)
{
	unsigned int n = 0;

	*loop_granules = 0;
	for (unsigned int i = 0; i < nrec; i++) {
		const struct rec *r = &recs[i];
		unsigned int j = i;

		while (is_range_delegate(r) && j + 1 < nrec &&
		       recs[j + 1].op.in.x[0] == r->op.in.x[0] &&
		       recs[j + 1].op.in.x[2] == r->op.in.x[2] &&
		       RMI_RETURN_STATUS(recs[j].out.x[0]) == RMI_SUCCESS &&
		       recs[j + 1].op.in.x[1] == recs[j].out.x[1])
			j++;
		ops[n] = r->op;
		if (j > i) {
			uint64_t g = (recs[j].op.in.x[2] - r->op.in.x[1]) >> 12;

			ops[n].kind = r->op.in.x[0] == RMI_GRANULE_RANGE_DELEGATE ?
				      SEQ_DELEGATE : SEQ_UNDELEGATE;
			ops[n].in.x[0] = 0;
			if (g > *loop_granules)
				*loop_granules = g;
		}
		n++;
		i = j;
	}
	return n;
}

/* "# options:" as rmi-script takes them: --delegate-granules, --lpa2 */
static void options(FILE *f, struct seq_config *cfg, char *profiles,
		    size_t plen)
{
	char line[512];

	snprintf(profiles, plen, "tf-rmm spec");
	while (fgets(line, sizeof(line), f)) {
		char *o;

		if (!strncmp(line, "# profiles:", 11)) {
			snprintf(profiles, plen, "%.100s", line + 11);
			continue;
		}
		if (strncmp(line, "# options:", 10))
			continue;
		if ((o = strstr(line, "--delegate-granules")))
			cfg->delegate_granules = (unsigned int)atoi(o + 19);
		if (strstr(line, "--lpa2"))
			cfg->lpa2 = true;
	}
	rewind(f);
}

/* the seed again, through the laws: 0, or -1 after a message */
static int replay(const char *name, const uint8_t *buf, size_t len)
{
	struct seq_snapshot before, after;
	struct seq_track t = { 0 };
	struct seq_config cfg;
	struct seq_result res;
	struct seq_dec d;
	struct seq_op op;
	struct rmm *m;
	unsigned int n = 0;
	char why[256], what[256];
	int rc = 0;

	seq_begin(&d, buf, len, &cfg);
	m = seq_model(&cfg, rmm_profile_find(cfg.spec ? "spec" : "tf-rmm"));
	if (!m)
		return -1;
	while (seq_next(&d, &op)) {
		seq_prepare(m, &op);
		seq_snapshot(m, &before);
		seq_exec(m, &op, &res);
		if (seq_check(m, &op, &res, &before, &after, &t, why,
			      sizeof(why))) {
			seq_describe(&op, what, sizeof(what));
			fprintf(stderr, "mkseed: %s: op %u: %s: %s\n", name, n,
				what, why);
			rc = -1;
			break;
		}
		n++;
	}
	rmm_destroy(m);
	return rc;
}

static int one(const char *outdir, const char *path)
{
	static struct seq_op ops[MAX_REC];
	static const unsigned int dg[] = { 1, 4, 512, 1u << 18 };
	struct seq_config cfg = { .delegate_granules = 1 };
	struct rmm_config mc = { 0 };
	char profiles[128], name[256], out[1024], *p, *save = NULL;
	unsigned int n, approx = 0, written = 0;
	uint64_t loop_granules;
	FILE *f, *devnull;
	int rc = 0;

	f = fopen(path, "r");
	devnull = fopen("/dev/null", "w");
	if (!f || !devnull) {
		fprintf(stderr, "mkseed: %s: %s\n", path, strerror(errno));
		return -1;
	}
	options(f, &cfg, profiles, sizeof(profiles));
	mc.profile = rmm_profile_find("tf-rmm");
	mc.delegate_granules = cfg.delegate_granules;
	mc.lpa2 = cfg.lpa2;
	nrec = 0;
	recording = true;
	if (rmm_script_run(f, path, &mc, devnull, devnull) == 1) {
		/* rejected: a seed of the scenario target only */
		recording = false;
		fclose(f);
		fclose(devnull);
		printf("%s: rejected by the runner, no seed\n", path);
		return 0;
	}
	recording = false;
	fclose(f);
	fclose(devnull);
	n = to_ops(ops, &loop_granules);
	/* granules per call so that every loop fits SEQ_LOOP_MAX calls */
	for (unsigned int i = 0; i < 4; i++) {
		if (dg[i] < cfg.delegate_granules)
			continue;
		if (loop_granules <= (uint64_t)dg[i] * SEQ_LOOP_MAX || i == 3) {
			cfg.delegate_granules = dg[i];
			break;
		}
	}
	/* NAME: the path under tests/rmm/scenarios, '/' as '-' */
	p = strstr(path, "scenarios/");
	snprintf(name, sizeof(name), "%s", p ? p + 10 : path);
	if ((p = strstr(name, ".rmi")))
		*p = 0;
	for (p = name; *p; p++)
		if (*p == '/')
			*p = '-';
	for (char *prof = strtok_r(profiles, " \t\n", &save); prof;
	     prof = strtok_r(NULL, " \t\n", &save)) {
		struct seq_enc e;
		FILE *o;

		cfg.spec = !strcmp(prof, "spec");
		seq_enc_begin(&e, &cfg);
		approx = written = 0;
		for (unsigned int i = 0; i < n; i++) {
			int r = seq_enc_op(&e, &ops[i]);

			if (r < 0)
				break;
			approx += (unsigned int)r;
			written++;
		}
		snprintf(out, sizeof(out), "%s/%s.%s", outdir, name, prof);
		o = fopen(out, "w");
		if (!o || fwrite(e.buf, 1, e.n, o) != e.n || fclose(o)) {
			fprintf(stderr, "mkseed: %s: %s\n", out, strerror(errno));
			return -1;
		}
		printf("%s: %u ops (%u approximate, %u left out), %zu bytes, "
		       "%u granules per delegate call\n", out, written, approx,
		       n - written, e.n, cfg.delegate_granules);
		if (replay(out, e.buf, e.n))
			rc = -1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: mkseed OUTDIR FILE.rmi...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if (one(argv[1], argv[i]))
			rc = 1;
	return rc;
}
