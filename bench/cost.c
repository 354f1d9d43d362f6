// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the cost model (fixed + per-granule nanoseconds per RMI
 * command) and the calibration files that replace the assumed defaults
 * (format in results/README.md).
 */
#include <stdio.h>
#include <string.h>

#include "json_read.h"
#include "result.h"

#define COST_SCHEMA		"rmibench-costs-1"
#define COST_MAX_NS		1000000000ull	/* 1 s: anything more is absurd */

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
	/* a lookup in the tracking structures */
	[RMI_CMD_GRANULE_TRACKING_GET]		= {   400,    0 },
	/* 1 GiB to FINE: the RMM sets up a descriptor per granule */
	[RMI_CMD_GRANULE_TRACKING_SET]		= { 50000,    0 },
	/* zeroing the level-1 table of 1 GiB (128 KiB), the L0 entry, TLBI */
	[RMI_CMD_GPT_L1_CREATE]			= { 30000,    0 },
	[RMI_CMD_GPT_L1_DESTROY]		= { 20000,    0 },
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
		int ci = result_cmd_index(k);

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
