// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the scenarios, schedules as text, and their replay (schedule.h).
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "result.h"
#include "rmm.h"
#include "run.h"
#include "schedule.h"

/* ---- the scenarios ------------------------------------------------------- */

/*
 * Each is small: a memslot of one or two folios at 1 GiB in a 32-bit IPA
 * space (teardown then splits 2 GiB, not 512: some 4000 RMI calls), every
 * vCPU over the whole memslot, a livelock declared after 100 re-faults
 * without progress anywhere (a few vCPUs need no more to show one).
 */
static const char *const partial_delegation[] = {
	"vcpus", "2", "folio", "2m", "size", "2M", "shared-region", NULL,
	"workload", "sequential", "livelock-faults", "100", "s2sz", "32",
	NULL,
};

static const char *const shared_folios[] = {
	"vcpus", "3", "folio", "2m", "size", "4M", "shared-region", NULL,
	"workload", "strided", "stride", "1M", "delegate-granules", "16",
	"livelock-faults", "100", "s2sz", "32", NULL,
};

static const char *const ripas_empty[] = {
	"vcpus", "2", "folio", "4k", "size", "16K", "shared-region", NULL,
	"workload", "sequential", "ripas-pct", "100", "livelock-faults", "100",
	"s2sz", "32", NULL,
};

static const char *const unmap[] = {
	"vcpus", "2", "folio", "4k", "size", "32K", "shared-region", NULL,
	"workload", "random", "ripas-pct", "50", "livelock-faults", "100",
	"s2sz", "32", NULL,
};

static const struct scenario sc_partial_delegation = {
	"partial-delegation",
	"two vCPUs fault on the one 2 MiB folio of the memslot: 512 "
	"delegate calls, one granule each, while the other re-faults",
	partial_delegation,
};

static const struct scenario sc_shared_folios = {
	"shared-folios",
	"three vCPUs over two 2 MiB folios, 16 granules per delegate call",
	shared_folios,
};

static const struct scenario sc_ripas_empty = {
	"ripas-empty",
	"two vCPUs over four 4 KiB pages; every access first sets its "
	"page's RIPAS to EMPTY (the host unmaps it under kvm->mmu_lock held "
	"for write) and back to RAM, then faults it in",
	ripas_empty,
};

static const struct scenario sc_unmap = {
	"unmap",
	"two vCPUs over eight 4 KiB pages in a seeded order; half the "
	"accesses (seeded) first give their page back: the host unmaps a page "
	"the other vCPU may have mapped (DATA_UNMAP, undelegate, fold) under "
	"kvm->mmu_lock held for write while the other maps its neighbours",
	unmap,
};

const struct scenario *const scenarios[] = {
	&sc_partial_delegation,
	&sc_shared_folios,
	&sc_ripas_empty,
	&sc_unmap,
	NULL,
};

const struct scenario *scenario_find(const char *name)
{
	for (unsigned int i = 0; scenarios[i]; i++)
		if (!strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}

static int field_by_opt(const char *opt)
{
	for (unsigned int i = 0; i < CFG_NFIELDS; i++)
		if (!strcmp(run_config_fields[i].opt, opt))
			return (int)i;
	return -1;
}

int scenario_apply(const struct scenario *sc, struct run_opts *o, char *err,
		   size_t errlen)
{
	for (const char *const *p = sc->settings; *p; p += 2) {
		int i = field_by_opt(p[0]);
		const struct cfg_field *f;
		char why[128];

		if (i < 0) {
			snprintf(err, errlen, "scenario %s: no option --%s",
				 sc->name, p[0]);
			return -1;
		}
		if (o->given[i])
			continue;
		f = &run_config_fields[i];
		if (f->kind == CFG_KIND_BOOL) {
			f->set(&o->cfg, 1);
			continue;
		}
		if (cfg_parse(&o->cfg, f, p[1], why, sizeof(why))) {
			snprintf(err, errlen, "scenario %s: --%s %s: %s",
				 sc->name, p[0], p[1], why);
			return -1;
		}
	}
	return 0;
}

/* ---- schedules as text ------------------------------------------------------ */

static int bad(char *err, size_t errlen, const char *fmt, const char *a)
{
	snprintf(err, errlen, fmt, a);
	return -1;
}

/* Decimal digits at *@p (at least one), at most @max; moves *@p. */
static int parse_num(const char **p, uint64_t max, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*v = n;
	return 0;
}

int schedule_add(struct schedule *s, uint32_t at, uint32_t count,
		 unsigned int vcpu)
{
	struct sched_dev *last = s->ndev ? &s->dev[s->ndev - 1] : NULL;

	if (!count || (uint64_t)at + count > UINT32_MAX ||
	    (last && at < last->at + last->count))
		return -1;
	if (last && last->vcpu == vcpu && last->at + last->count == at) {
		last->count += count;
		return 0;
	}
	if (s->ndev == SCHED_MAX_DEVS)
		return -1;
	s->dev[s->ndev++] = (struct sched_dev){ at, count, vcpu };
	return 0;
}

uint32_t schedule_end(const struct schedule *s)
{
	return s->ndev ? s->dev[s->ndev - 1].at + s->dev[s->ndev - 1].count :
			 0;
}

static int parse_choices(const char *p, struct schedule *s, char *err,
			 size_t errlen)
{
	uint64_t pos = 0;

	for (;;) {
		const char *item = p;
		uint64_t v, n = 1;

		if (*p == 'd') {
			p++;
			if (parse_num(&p, UINT32_MAX, &n) || !n)
				return bad(err, errlen, "choice '%.24s': want dCOUNT, COUNT from 1", item);
			pos += n;
		} else {
			if (parse_num(&p, SCHED_CHOOSE_MAX_VCPUS - 1, &v))
				return bad(err, errlen, "choice '%.24s': want a vCPU (0..63), vCPUxCOUNT or dCOUNT", item);
			if (*p == 'x') {
				p++;
				if (parse_num(&p, UINT32_MAX, &n) || !n)
					return bad(err, errlen, "choice '%.24s': want vCPUxCOUNT, COUNT from 1", item);
			}
			if (pos + n > UINT32_MAX ||
			    schedule_add(s, (uint32_t)pos, (uint32_t)n,
					 (unsigned int)v))
				return bad(err, errlen, "choice '%.24s': too many choices",
					   item);
			pos += n;
		}
		if (pos > UINT32_MAX)
			return bad(err, errlen, "choice '%.24s': too many decisions", item);
		if (!*p)
			return 0;
		if (*p != '.')
			return bad(err, errlen, "choice '%.24s': items are separated by '.'",
				   item);
		p++;
	}
}

/* COMMAND#N:STATUS[.INDEX] */
static int parse_fail(const char *p, struct schedule *s, char *err,
		      size_t errlen)
{
	char name[48];
	size_t n = strcspn(p, "#");
	uint64_t v;
	int64_t fid;
	int st;

	if (!p[n] || n >= sizeof(name))
		return bad(err, errlen, "fail='%.40s': want COMMAND#N:STATUS[.INDEX]", p);
	memcpy(name, p, n);
	name[n] = 0;
	fid = rmi_cmd_fid(name);
	if (fid < 0 || rmi_cmd_index((uint32_t)fid) >= RMI_CMD_COUNT)
		return bad(err, errlen, "fail: unknown RMI command '%s'", name);
	s->fail_cmd = rmi_cmd_index((uint32_t)fid);
	p += n + 1;
	if (parse_num(&p, UINT32_MAX, &v) || !v || *p != ':')
		return bad(err, errlen, "fail=%s#...: want #N:STATUS, N from 1", name);
	s->fail_n = v;
	p++;
	n = strcspn(p, ".");
	if (n >= sizeof(name))
		return bad(err, errlen, "fail: status '%.40s' unknown", p);
	memcpy(name, p, n);
	name[n] = 0;
	st = rmi_status_from_name(name);
	if (st <= 0 || st > 255)
		return bad(err, errlen, "fail: status '%s' unknown or SUCCESS", name);
	s->fail_status = (unsigned int)st;
	p += n;
	if (*p == '.') {
		p++;
		if (parse_num(&p, 255, &v) || *p)
			return bad(err, errlen, "fail: index '%.40s': want 0..255", p);
		s->fail_index = (unsigned int)v;
	} else if (*p) {
		return bad(err, errlen, "fail: '%.40s' after the status", p);
	}
	s->fail = true;
	return 0;
}

int schedule_parse(const char *text, struct schedule *s, char *err,
		   size_t errlen)
{
	char head[SCHED_TEXT_MAX], *sc, *ch;
	const char *slash;
	int k;

	memset(s, 0, sizeof(*s));
	if (strlen(text) >= SCHED_TEXT_MAX)
		return bad(err, errlen, "%s", "longer than 2047 characters");
	slash = strchr(text, '/');
	snprintf(head, sizeof(head), "%.*s",
		 (int)(slash ? (size_t)(slash - text) : strlen(text)), text);
	sc = strchr(head, ':');
	if (!sc)
		return bad(err, errlen, "%s", "want KERNEL:SCENARIO[:CHOICES][/fail=COMMAND#N:STATUS[.INDEX]]");
	*sc++ = 0;
	k = kernel_from_name(head);
	if (k < 0)
		return bad(err, errlen, "kernel '%s' unknown: want v14 or v15",
			   head);
	s->kernel = (enum host_version)k;
	ch = strchr(sc, ':');
	if (ch)
		*ch++ = 0;
	s->scen = scenario_find(sc);
	if (!s->scen) {
		char names[256] = "";

		for (unsigned int i = 0; scenarios[i]; i++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", scenarios[i]->name);
		snprintf(err, errlen, "scenario '%.64s' unknown: want %s", sc,
			 names);
		return -1;
	}
	if (ch && *ch && parse_choices(ch, s, err, errlen))
		return -1;
	if (ch && !*ch)
		return bad(err, errlen, "%s", "empty choices after ':'");
	if (slash) {
		if (strncmp(slash + 1, "fail=", 5))
			return bad(err, errlen, "'/%.40s': want /fail=COMMAND#N:STATUS[.INDEX]",
				   slash + 1);
		if (parse_fail(slash + 6, s, err, errlen))
			return -1;
	}
	return 0;
}

int schedule_format(const struct schedule *s, char *buf, size_t len)
{
	size_t used = 0;
	uint32_t pos = 0;
	int n;

#define PUT(...) do {							\
		n = snprintf(buf ? buf + (used < len ? used : len) : NULL, \
			     used < len ? len - used : 0, __VA_ARGS__);	\
		if (n > 0)						\
			used += (size_t)n;				\
	} while (0)

	if (buf && len)
		buf[0] = 0;
	PUT("%s:%s", kernel_name(s->kernel), s->scen ? s->scen->name : "?");
	for (unsigned int i = 0; i < s->ndev; i++) {
		const struct sched_dev *d = &s->dev[i];

		PUT("%c", i ? '.' : ':');
		if (d->at > pos)
			PUT("d%u.", (unsigned int)(d->at - pos));
		PUT("%u", d->vcpu);
		if (d->count > 1)
			PUT("x%u", (unsigned int)d->count);
		pos = d->at + d->count;
	}
	if (s->fail) {
		const char *st = rmi_status_name(s->fail_status);

		PUT("/fail=%s#%llu:%s", result_cmd_name(s->fail_cmd),
		    (unsigned long long)s->fail_n, st ? st : "?");
		if (s->fail_index)
			PUT(".%u", s->fail_index);
	}
#undef PUT
	return (int)used;
}

void schedule_fail_rule(const struct schedule *s, char *buf, size_t len)
{
	const char *st = rmi_status_name(s->fail_status);

	if (!s->fail) {
		if (len)
			buf[0] = 0;
		return;
	}
	snprintf(buf, len, "command=%s,status=%s,index=%u,space=%llu,times=1",
		 result_cmd_name(s->fail_cmd), st ? st : "?", s->fail_index,
		 (unsigned long long)s->fail_n);
}

int schedule_apply(const struct schedule *s, struct run_opts *o, char *err,
		   size_t errlen)
{
	const struct cfg_field *inj = &run_config_fields[CFG_FIELD_inject];
	char rule[192], why[256];

	if (o->given[CFG_FIELD_kernel] && o->cfg.kernel != s->kernel) {
		snprintf(err, errlen, "--kernel %s, but the schedule is for %s",
			 kernel_name(o->cfg.kernel), kernel_name(s->kernel));
		return -1;
	}
	if (scenario_apply(s->scen, o, err, errlen))
		return -1;
	o->cfg.kernel = s->kernel;
	run_config_resolve(&o->cfg, o->given[CFG_FIELD_strategy],
			   o->given[CFG_FIELD_delegation]);
	if (strcmp(o->cfg.backend, "sim") || o->cfg.scheduler != SCHED_DET) {
		snprintf(err, errlen, "a schedule runs on the sim's det scheduler");
		return -1;
	}
	if (o->cfg.vcpus > SCHED_CHOOSE_MAX_VCPUS) {
		snprintf(err, errlen, "a schedule takes at most %u vCPUs",
			 SCHED_CHOOSE_MAX_VCPUS);
		return -1;
	}
	for (unsigned int i = 0; i < s->ndev; i++)
		if (s->dev[i].vcpu >= o->cfg.vcpus) {
			snprintf(err, errlen, "the schedule picks vCPU %u of %u",
				 s->dev[i].vcpu, o->cfg.vcpus);
			return -1;
		}
	if (!s->fail)
		return 0;
	if (o->nrules == MAX_RULES) {
		snprintf(err, errlen, "at most %d injection rules", MAX_RULES);
		return -1;
	}
	schedule_fail_rule(s, rule, sizeof(rule));
	if (parse_inject_rule(rule, &o->rules[o->nrules], why, sizeof(why)) ||
	    cfg_parse(&o->cfg, inj, rule, why, sizeof(why))) {
		snprintf(err, errlen, "the failure point: %s", why);
		return -1;
	}
	o->nrules++;
	return 0;
}

/* ---- replaying ------------------------------------------------------------- */

unsigned int replay_pick(struct replay *r, const struct sched_decision *d)
{
	const struct schedule *s = r->s;
	unsigned int c = d->dflt;

	if (!d->runnable)
		return SCHED_NONE;
	while (r->k < s->ndev &&
	       s->dev[r->k].at + s->dev[r->k].count <= d->index)
		r->k++;
	if (r->k < s->ndev && s->dev[r->k].at <= d->index) {
		unsigned int v = s->dev[r->k].vcpu;

		if (v < SCHED_CHOOSE_MAX_VCPUS && (d->runnable >> v & 1))
			c = v;
		else
			r->ignored++;
	}
	if (c != d->dflt)
		r->preemptions++;
	r->decisions++;
	return c;
}

unsigned int replay_choose(void *ctx, struct host *h,
			   const struct sched_decision *d)
{
	(void)h;
	return replay_pick(ctx, d);
}
