// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench inject-matrix: what to inject. The statuses each RMI command
 * can return once the RMM is active, from rmi-facts (cited as [fN.M]),
 * and the rows, columns and rules made from them.
 */
#include <stdio.h>
#include <string.h>

#include "inject_matrix.h"
#include "rmm.h"

#define S(st)	(1u << RMI_##st)

/*
 * Per command, in the order the matrix lists them (set-up, the fault
 * path, teardown, the rest): the statuses besides SUCCESS and the highest
 * level ERROR_RTT can name (-1: none). ERROR_GLOBAL is left out: only an
 * RMM that is not active answers it [f1], and the host's first call
 * activates it. RMM_ACTIVATE and FEATURES name no error once active.
 */
static const struct cmd_facts {
	unsigned int cmd;
	unsigned int statuses;
	int rtt_max;
} facts[] = {
	{ RMI_CMD_RMM_ACTIVATE, 0, -1 },
	/* a requested version the RMM does not implement [f2] */
	{ RMI_CMD_VERSION, S(ERROR_INPUT), -1 },
	{ RMI_CMD_FEATURES, 0, -1 },
	/* geometry, alignment, granule states [f7, f11.7, f11.8] */
	{ RMI_CMD_REALM_CREATE, S(ERROR_INPUT), -1 },
	/* a REC only in a NEW realm [f7, f9.1] */
	{ RMI_CMD_REC_CREATE, S(ERROR_INPUT) | S(ERROR_REALM), -1 },
	/* only while NEW; whole entries at the leaf level [f7, f9.13] */
	{ RMI_CMD_RTT_INIT_RIPAS, S(ERROR_INPUT) | S(ERROR_REALM) |
	  S(ERROR_RTT), 3 },
	/* src, rd, NEW, IPA, the walk, the entry, data [f9.14] */
	{ RMI_CMD_DATA_MAP_INIT, S(ERROR_INPUT) | S(ERROR_REALM) |
	  S(ERROR_RTT), 3 },
	{ RMI_CMD_REALM_ACTIVATE, S(ERROR_INPUT) | S(ERROR_REALM), -1 },
	/*
	 * one granule per call in the implementation, more and INCOMPLETE
	 * in the specification [f5]; BUSY and BLOCKED, which the hosts'
	 * range loops retry [f12.4]; memory not FINE-tracked or without a
	 * level-1 GPT (sim/rmm/mem.c)
	 */
	{ RMI_CMD_GRANULE_RANGE_DELEGATE, S(ERROR_INPUT) | S(BUSY) |
	  S(BLOCKED) | S(INCOMPLETE) | S(ERROR_TRACKING) | S(ERROR_GPT), -1 },
	/*
	 * what --gpt on-demand calls after a delegate's ERROR_TRACKING or
	 * ERROR_GPT (and v14 at boot, which no run counts): a range, an
	 * address or a category the RMM refuses; an L1 GPT that exists.
	 * ERROR_GLOBAL, for memory firmware manages or none, is left out
	 * with the rest.
	 */
	{ RMI_CMD_GRANULE_TRACKING_GET, S(ERROR_INPUT), -1 },
	{ RMI_CMD_GRANULE_TRACKING_SET, S(ERROR_INPUT), -1 },
	{ RMI_CMD_GPT_L1_CREATE, S(ERROR_INPUT) | S(ERROR_GPT), -1 },
	/* the walk stops short (walk level), the table exists (level - 1):
	 * below the level created, so at most 2 [f2] */
	{ RMI_CMD_RTT_CREATE, S(ERROR_INPUT) | S(ERROR_RTT), 2 },
	/* descriptor, realm state, walk and entry [f4, f9.3-5, f11.6] */
	{ RMI_CMD_RTT_DATA_MAP, S(ERROR_INPUT) | S(ERROR_REALM) |
	  S(ERROR_RTT), 3 },
	/* S2AP, realm state, another PA at level 3 [f9.4, f9.12] */
	{ RMI_CMD_RTT_UNPROT_MAP, S(ERROR_INPUT) | S(ERROR_REALM) |
	  S(ERROR_RTT), 3 },
	/* the walk stops above level 3, part of a block [f9.8, f11.5] */
	{ RMI_CMD_RTT_DATA_UNMAP, S(ERROR_INPUT) | S(ERROR_RTT), 3 },
	{ RMI_CMD_RTT_UNPROT_UNMAP, S(ERROR_INPUT) | S(ERROR_RTT), 3 },
	{ RMI_CMD_GRANULE_RANGE_UNDELEGATE, S(ERROR_INPUT) | S(BUSY) |
	  S(BLOCKED) | S(INCOMPLETE), -1 },
	/* not homogeneous, no table, into L0 [f7, f9.10] */
	{ RMI_CMD_RTT_FOLD, S(ERROR_INPUT) | S(ERROR_RTT), 3 },
	{ RMI_CMD_REC_DESTROY, S(ERROR_INPUT), -1 },
	{ RMI_CMD_REALM_TERMINATE, S(ERROR_INPUT), -1 },
	/* live, or no table at the level [f7, f9.9] */
	{ RMI_CMD_RTT_DESTROY, S(ERROR_INPUT) | S(ERROR_RTT), 3 },
	/* terminate first; nothing live left [f9.1] */
	{ RMI_CMD_REALM_DESTROY, S(ERROR_INPUT) | S(ERROR_REALM), -1 },
	/* never ERROR_RTT [f9.6] */
	{ RMI_CMD_RTT_READ_ENTRY, S(ERROR_INPUT), -1 },
	{ RMI_CMD_RTT_SET_RIPAS, S(ERROR_INPUT) | S(ERROR_REALM) |
	  S(ERROR_REC) | S(ERROR_RTT), 3 },
	/* no table (index 0), not homogeneous (index 1) */
	{ RMI_CMD_GPT_L1_DESTROY, S(ERROR_INPUT) | S(ERROR_GPT), -1 },
};

#define NFACTS	(sizeof(facts) / sizeof(facts[0]))

_Static_assert(NFACTS == RMI_CMD_COUNT, "every command has its facts");

static const struct cmd_facts *facts_of(unsigned int cmd)
{
	for (size_t i = 0; i < NFACTS; i++)
		if (facts[i].cmd == cmd)
			return &facts[i];
	return NULL;
}

int im_cmd_order(unsigned int i)
{
	return i < NFACTS ? (int)facts[i].cmd : -1;
}

bool im_cmd_is_delegate(unsigned int cmd)
{
	return cmd == RMI_CMD_GRANULE_RANGE_DELEGATE;
}

unsigned int im_cmd_statuses(unsigned int cmd, int start_level,
			     struct im_status *out, unsigned int max)
{
	const struct cmd_facts *f = facts_of(cmd);
	unsigned int n = 0;

	if (!f)
		return 0;
	for (unsigned int st = 1; st < 32; st++) {
		if (!(f->statuses & (1u << st)))
			continue;
		if (st != RMI_ERROR_RTT) {
			if (n < max)
				out[n++] = (struct im_status){ st, 0 };
			continue;
		}
		/* the walk starts at the root: no level above it */
		for (int l = start_level; l <= f->rtt_max; l++)
			if (n < max)
				out[n++] = (struct im_status){
					st, (unsigned int)l };
	}
	return n;
}

static const char *const trigger_names[IM_TRIGGER_COUNT] = {
	"first", "nth", "persistent",
};

static const char *const class_names[IM_CLASS_COUNT] = {
	"crash", "invariant", "livelock", "leak", "killed", "warn",
	"guest-error", "recovered", "not-reached",
};

const char *im_trigger_name(enum im_trigger t)
{
	return (unsigned int)t < IM_TRIGGER_COUNT ? trigger_names[t] : "?";
}

int im_trigger_from_name(const char *s)
{
	for (int i = 0; i < IM_TRIGGER_COUNT; i++)
		if (!strcmp(s, trigger_names[i]))
			return i;
	return -1;
}

const char *im_class_name(enum im_class c)
{
	return (unsigned int)c < IM_CLASS_COUNT ? class_names[c] : "?";
}

int im_class_from_name(const char *s)
{
	for (int i = 0; i < IM_CLASS_COUNT; i++)
		if (!strcmp(s, class_names[i]))
			return i;
	return -1;
}

enum im_class im_class_of(const struct run_result *r)
{
	switch (r->outcome_class) {
	case OUTCOME_INVARIANT:
		return IM_INVARIANT;
	case OUTCOME_LIVELOCK:
		return IM_LIVELOCK;
	case OUTCOME_LEAK:
		return IM_LEAK;
	case OUTCOME_KILLED:
		return IM_KILLED;
	case OUTCOME_WARN:
		return IM_WARN;
	case OUTCOME_GUEST_ERROR:
		return IM_GUEST_ERROR;
	default:
		return r->counts.injected ? IM_RECOVERED : IM_NOT_REACHED;
	}
}

void im_row_name(struct im_row *r)
{
	const char *st = rmi_status_name(r->status);

	snprintf(r->name, sizeof(r->name), "%s.%s.%u.%s",
		 result_cmd_name(r->cmd), st ? st : "?", r->index,
		 im_trigger_name(r->trig));
}

void im_col_name(struct im_col *c)
{
	snprintf(c->name, sizeof(c->name), "%s/%s/%s", kernel_name(c->kernel),
		 rmi_rtt_strategy_name(c->strategy), deleg_name(c->deleg));
}

void im_file_name(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = s[i] == '/' ? '-' : s[i];
	if (len)
		buf[i] = '\0';
}

bool im_cell_applies(const struct im_row *row, const struct im_col *col,
		     uint64_t *space)
{
	uint64_t calls = col->calls[row->cmd];

	*space = 0;
	if (!calls || (col->deleg_only && !im_cmd_is_delegate(row->cmd)))
		return false;
	if (row->trig == IM_FIRST)
		return true;
	*space = im_nth(calls);
	/* the nth of a single call is the first */
	return row->trig == IM_PERSISTENT || *space > 1;
}

void im_rule_text(const struct im_row *row, uint64_t space, char *buf,
		  size_t len)
{
	const char *st = rmi_status_name(row->status);
	int n;

	n = snprintf(buf, len, "command=%s,status=%s,index=%u",
		     result_cmd_name(row->cmd), st ? st : "?", row->index);
	if (n < 0 || (size_t)n >= len)
		return;
	if (row->trig != IM_FIRST)
		n += snprintf(buf + n, len - (size_t)n, ",space=%llu",
			      (unsigned long long)space);
	if ((size_t)n < len && row->trig != IM_PERSISTENT)
		snprintf(buf + n, len - (size_t)n, ",times=1");
}
