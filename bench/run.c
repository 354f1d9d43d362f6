// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: one run of one configuration on a backend, measured by the
 * metrics sink: the path every producer of a result file takes.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "rmib_util.h"
#include "run.h"

static const struct backend *const backends[] = {
	&backend_sim,
	&backend_kernel,
};

const struct backend *backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

int parse_inject_rule(const char *s, struct inj_rule *r, char *err,
		      size_t errlen)
{
	char why[256];

	if (inj_rule_parse(s, r, why, sizeof(why))) {
		snprintf(err, errlen, "--inject: %s", why);
		return -1;
	}
	return 0;
}

int run_one(const struct run_config *cfg, const struct inj_rule *rules,
	    unsigned int nrules, struct run_result *r, char *err,
	    size_t errlen)
{
	const struct backend *b = backend_find(cfg->backend);
	double t0 = rmib_now_s();
	struct metrics *m;
	int rc;

	memset(r, 0, sizeof(*r));
	r->cfg = *cfg;
	if (!b) {
		snprintf(err, errlen, "unknown backend '%s'", cfg->backend);
		return -1;
	}
	snprintf(r->backend, sizeof(r->backend), "%s", b->name);
	if (b->prepare(cfg, err, errlen))
		return -1;
	m = metrics_create(b->streams(cfg));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = b->run(cfg, rules, nrules, m, r, err, errlen);
	if (!rc) {
		metrics_collect(m, r);
		/* the milder classes come from the counts */
		if (r->outcome_class == OUTCOME_OK && r->counts.warnings)
			r->outcome_class = OUTCOME_WARN;
		if (r->outcome_class == OUTCOME_OK && r->counts.guest_errors)
			r->outcome_class = OUTCOME_GUEST_ERROR;
	}
	metrics_destroy(m);
	r->wall_seconds = rmib_now_s() - t0;
	return rc;
}
