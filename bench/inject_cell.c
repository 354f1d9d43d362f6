// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench inject-matrix: one cell. Its identity (row, column, rule), its
 * class from the run it made, and its file (results/README.md, "The
 * injection matrix"), written atomically and read back with every field
 * checked.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "errmsg.h"
#include "inject_matrix.h"
#include "json_read.h"
#include "rmm.h"

void im_cell_init(struct im_cell *c, const struct im_row *row,
		  const struct im_col *col, uint64_t space)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->row, sizeof(c->row), "%s", row->name);
	snprintf(c->col, sizeof(c->col), "%s", col->name);
	c->cmd = row->cmd;
	c->status = row->status;
	c->index = row->index;
	c->trig = row->trig;
	c->space = space;
	c->baseline_calls = col->calls[row->cmd];
	im_rule_text(row, space, c->rule, sizeof(c->rule));
	c->outcome_class = -1;
}

bool im_parse_livelock(const char *outcome, char *fn, size_t fnlen,
		       uint64_t *ipa)
{
	unsigned long long a;
	unsigned int vcpu;
	char name[64];

	if (sscanf(outcome, "livelock in %63s at %llx", name, &a) == 2) {
		snprintf(fn, fnlen, "%s", name);
		*ipa = a;
		return true;
	}
	if (sscanf(outcome, "livelock: vcpu %u faulted on IPA %llx", &vcpu,
		   &a) == 2) {
		snprintf(fn, fnlen, "re-fault");
		*ipa = a;
		return true;
	}
	return false;
}

void im_cell_from_run(struct im_cell *c, const struct run_result *r)
{
	const struct run_counts *k = &r->counts;

	c->cls = im_class_of(r);
	c->outcome_class = (int)r->outcome_class;
	snprintf(c->outcome, sizeof(c->outcome), "%s", r->outcome);
	c->injected = k->injected;
	c->faults = k->faults;
	c->rmi_calls = k->rmi_calls;
	c->warnings = k->warnings;
	c->guest_errors = k->guest_errors;
	c->leaked = k->leaked_granules;
	memcpy(c->leaked_by_state, k->leaked_by_state,
	       sizeof(c->leaked_by_state));
	c->nwarn = k->nwarn < IM_WARN_KEEP ? k->nwarn : IM_WARN_KEEP;
	memcpy(c->warn, k->warn, c->nwarn * sizeof(c->warn[0]));
	c->livelock = c->cls == IM_LIVELOCK &&
		      im_parse_livelock(r->outcome, c->ll_function,
					sizeof(c->ll_function), &c->ll_ipa);
	c->wall_seconds = r->wall_seconds;
	result_repro_line(r, c->command_line,
			    sizeof(c->command_line));
}

/* ---- the file ------------------------------------------------------------ */

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

/* @c's members into @o */
static json_object *cell_fill(json_object *o, const struct im_cell *c)
{
	json_object *st, *w, *ll;
	char wall[32];

	add(o, "row", jstr(c->row));
	add(o, "column", jstr(c->col));
	add(o, "command", jstr(result_cmd_name(c->cmd)));
	add(o, "status", jstr(rmi_status_name(c->status)));
	add(o, "index", ju64(c->index));
	add(o, "trigger", jstr(im_trigger_name(c->trig)));
	add(o, "space", ju64(c->space));
	add(o, "baseline_calls", ju64(c->baseline_calls));
	add(o, "rule", jstr(c->rule));
	add(o, "class", jstr(im_class_name(c->cls)));
	add(o, "outcome", jstr(c->outcome));
	add(o, "outcome_class", c->outcome_class < 0 ? NULL :
	    jstr(outcome_name((enum run_outcome)c->outcome_class)));
	add(o, "signal", ju64((uint64_t)c->signal));
	add(o, "timed_out", json_object_new_boolean(c->timed_out));
	add(o, "injected", ju64(c->injected));
	add(o, "faults", ju64(c->faults));
	add(o, "rmi_calls", ju64(c->rmi_calls));
	add(o, "warnings", ju64(c->warnings));
	w = json_object_new_array();
	for (unsigned int i = 0; i < c->nwarn; i++) {
		json_object *e = json_object_new_object();

		add(e, "reason", jstr(c->warn[i].reason));
		add(e, "count", ju64(c->warn[i].count));
		json_object_array_add(w, e);
	}
	add(o, "warning_reasons", w);
	add(o, "guest_errors", ju64(c->guest_errors));
	add(o, "leaked_granules", ju64(c->leaked));
	st = json_object_new_object();
	for (unsigned int i = 0; i < GRANULE_STATES; i++)
		add(st, result_granule_state_name(i),
		    ju64(c->leaked_by_state[i]));
	add(o, "leaked_by_state", st);
	ll = NULL;
	if (c->livelock) {
		ll = json_object_new_object();
		add(ll, "function", jstr(c->ll_function));
		add(ll, "ipa", ju64(c->ll_ipa));
	}
	add(o, "livelock", ll);
	snprintf(wall, sizeof(wall), "%.6f", c->wall_seconds);
	add(o, "wall_seconds",
	    json_object_new_double_s(c->wall_seconds, wall));
	add(o, "command_line", jstr(c->command_line));
	return o;
}

char *im_cell_json(const struct im_cell *c)
{
	json_object *o = json_object_new_object();
	char *s;

	add(o, "schema", jstr(IM_CELL_SCHEMA));
	cell_fill(o, c);
	s = strdup(json_object_to_json_string_ext(o, JSON_FLAGS));
	json_object_put(o);
	return s;
}

json_object *im_cell_object(const struct im_cell *c)
{
	return cell_fill(json_object_new_object(), c);
}

int im_cell_write(const struct im_cell *c, const char *path, char *err,
		  size_t errlen)
{
	char *s = im_cell_json(c);
	size_t len;
	int rc;

	if (!s)
		return errmsg(err, errlen, "%s: out of memory", path);
	len = strlen(s);
	s[len] = '\n';		/* the NUL's place: one line more */
	rc = result_write_file_atomic(path, s, len + 1, err, errlen);
	free(s);
	return rc;
}

/* ---- reading it back ----------------------------------------------------- */

/* @key is there; *@v is NULL if it is null */
static int rd_present(struct rd *c, json_object *o, const char *key,
		      json_object **v)
{
	if (!json_object_object_get_ex(o, key, v))
		return rd_fail(c, key, "missing");
	return 0;
}

static int rd_enum(struct rd *c, json_object *o, const char *key,
		   int (*from_name)(const char *), const char *what, int *out)
{
	return rd_name(c, o, "", key, from_name, what, out);
}

static int status_index(const char *s)
{
	int st = rmi_status_from_name(s);

	return st > 0 ? st : -1;
}

static int trigger_index(const char *s)
{
	return im_trigger_from_name(s);
}

static int class_index(const char *s)
{
	return im_class_from_name(s);
}

int im_cell_parse(struct rd *c, json_object *o, struct im_cell *cell)
{
	json_object *v, *w, *st, *ll;
	int cmd, status, trig, cls;
	uint64_t u;

	memset(cell, 0, sizeof(*cell));
	if (rd_str(c, o, "", "row", cell->row, sizeof(cell->row), false) ||
	    rd_str(c, o, "", "column", cell->col, sizeof(cell->col), false) ||
	    rd_enum(c, o, "command", result_cmd_index, "an RMI command name",
		    &cmd) ||
	    rd_enum(c, o, "status", status_index, "an RMI error status name",
		    &status) ||
	    rd_uint(c, o, "", "index", 0, 255, &cell->index) ||
	    rd_enum(c, o, "trigger", trigger_index,
		    "first, nth or persistent", &trig) ||
	    rd_u64(c, o, "", "space", INT32_MAX, &cell->space) ||
	    rd_u64(c, o, "", "baseline_calls", UINT64_MAX,
		   &cell->baseline_calls) ||
	    rd_str(c, o, "", "rule", cell->rule, sizeof(cell->rule), false) ||
	    rd_enum(c, o, "class", class_index,
		    "crash, invariant, livelock, leak, killed, warn, "
		    "guest-error, recovered or not-reached", &cls) ||
	    rd_str(c, o, "", "outcome", cell->outcome, sizeof(cell->outcome),
		   false))
		return -1;
	cell->cmd = (unsigned int)cmd;
	cell->status = (unsigned int)status;
	cell->trig = (enum im_trigger)trig;
	cell->cls = (enum im_class)cls;
	if (rd_present(c, o, "outcome_class", &v))
		return -1;
	cell->outcome_class = -1;
	if (v) {
		int oc;

		if (rd_enum(c, o, "outcome_class", outcome_from_name,
			    "an outcome class or null", &oc))
			return -1;
		cell->outcome_class = oc;
	}
	if ((cell->cls == IM_CRASH) != (cell->outcome_class < 0))
		return rd_fail(c, "outcome_class",
			       "null exactly when the class is crash");
	if (rd_u64(c, o, "", "signal", 64, &u) ||
	    rd_bool(c, o, "", "timed_out", &cell->timed_out) ||
	    rd_u64(c, o, "", "injected", UINT64_MAX, &cell->injected) ||
	    rd_u64(c, o, "", "faults", UINT64_MAX, &cell->faults) ||
	    rd_u64(c, o, "", "rmi_calls", UINT64_MAX, &cell->rmi_calls) ||
	    rd_u64(c, o, "", "warnings", UINT64_MAX, &cell->warnings) ||
	    rd_get(c, o, "", "warning_reasons", json_type_array,
		   "an array", &w) ||
	    rd_u64(c, o, "", "guest_errors", UINT64_MAX,
		   &cell->guest_errors) ||
	    rd_u64(c, o, "", "leaked_granules", UINT64_MAX, &cell->leaked) ||
	    rd_obj(c, o, "", "leaked_by_state", &st))
		return -1;
	cell->signal = (int)u;
	if (json_object_array_length(w) > IM_WARN_KEEP)
		return rd_fail(c, "warning_reasons", "more than %d entries",
			       IM_WARN_KEEP);
	for (size_t i = 0; i < json_object_array_length(w); i++) {
		json_object *e = json_object_array_get_idx(w, i);
		char f[FIELD_MAX];

		snprintf(f, sizeof(f), "warning_reasons[%zu]", i);
		if (rd_type(c, f, e, json_type_object, "an object") ||
		    rd_str(c, e, f, "reason", cell->warn[i].reason,
			   sizeof(cell->warn[i].reason), false) ||
		    rd_u64(c, e, f, "count", UINT64_MAX,
			   &cell->warn[i].count))
			return -1;
		cell->nwarn++;
	}
	for (unsigned int i = 0; i < GRANULE_STATES; i++)
		if (rd_u64(c, st, "leaked_by_state",
			   result_granule_state_name(i), UINT64_MAX,
			   &cell->leaked_by_state[i]))
			return -1;
	if (rd_present(c, o, "livelock", &ll))
		return -1;
	if (ll) {
		if (rd_obj(c, o, "", "livelock", &ll) ||
		    rd_str(c, ll, "livelock", "function", cell->ll_function,
			   sizeof(cell->ll_function), false) ||
		    rd_u64(c, ll, "livelock", "ipa", UINT64_MAX,
			   &cell->ll_ipa))
			return -1;
		cell->livelock = true;
	}
	if (rd_num(c, o, "", "wall_seconds", &cell->wall_seconds) ||
	    rd_str(c, o, "", "command_line", cell->command_line,
		   sizeof(cell->command_line), false))
		return -1;
	return 0;
}

int im_cell_read(const char *path, struct im_cell *cell, char *err,
		 size_t errlen)
{
	struct rd c = { .path = path, .err = err, .errlen = errlen };
	char schema[64];
	json_object *o;
	int rc;

	o = load_json_file(path, err, errlen);
	if (!o)
		return -1;
	rc = rd_str(&c, o, "", "schema", schema, sizeof(schema), false);
	if (!rc && strcmp(schema, IM_CELL_SCHEMA))
		rc = rd_fail(&c, "schema", "'%s', not '%s'", schema,
			     IM_CELL_SCHEMA);
	if (!rc)
		rc = im_cell_parse(&c, o, cell);
	json_object_put(o);
	return rc;
}

/* ---- text for the table -------------------------------------------------- */

void im_cell_short(const struct im_cell *c, char *buf, size_t len)
{
	const char *name = im_class_name(c->cls);

	switch (c->cls) {
	case IM_LEAK:
		snprintf(buf, len, "%s %" PRIu64, name, c->leaked);
		break;
	case IM_WARN:
		snprintf(buf, len, "%s %" PRIu64, name, c->warnings);
		break;
	case IM_GUEST_ERROR:
		snprintf(buf, len, "%s %" PRIu64, name, c->guest_errors);
		break;
	case IM_RECOVERED:
		snprintf(buf, len, "%s %" PRIu64, name, c->injected);
		break;
	default:
		snprintf(buf, len, "%s", name);
	}
}

void im_cell_detail(const struct im_cell *c, char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	switch (c->cls) {
	case IM_CRASH:
	case IM_INVARIANT:
	case IM_KILLED:
		snprintf(buf, len, "%s", c->outcome);
		return;
	case IM_LIVELOCK:
		if (c->livelock && !strcmp(c->ll_function, "re-fault"))
			snprintf(buf, len, "the guest re-faults at IPA %#"
				 PRIx64 " for ever", c->ll_ipa);
		else if (c->livelock)
			snprintf(buf, len, "in %s at %#" PRIx64,
				 c->ll_function, c->ll_ipa);
		else
			snprintf(buf, len, "%s", c->outcome);
		return;
	case IM_LEAK:
		for (unsigned int i = 0; i < GRANULE_STATES && n < len; i++)
			if (c->leaked_by_state[i])
				n += (size_t)snprintf(
					buf + n, len - n, "%s%s %" PRIu64,
					n ? ", " : "",
					result_granule_state_name(i),
					c->leaked_by_state[i]);
		return;
	case IM_WARN:
		if (c->nwarn)
			snprintf(buf, len, "WARN: %s%s", c->warn[0].reason,
				 c->nwarn > 1 ? " (and more)" : "");
		return;
	default:
		return;
	}
}
