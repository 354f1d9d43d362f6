// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the names of run settings, RMI commands, statuses and granule
 * states as result files and command lines spell them.
 */
#include <string.h>
#include <strings.h>

#include "result.h"
#include "rmm.h"

static const char *const kernel_names[HOST_VERSION_COUNT] = { "v14", "v15" };
static const char *const outcome_names[OUTCOME_COUNT] = {
	"ok", "guest-error", "warn", "killed", "leak", "livelock", "invariant",
};

const char *outcome_name(enum run_outcome o)
{
	return (unsigned int)o < OUTCOME_COUNT ? outcome_names[o] : "?";
}

int outcome_from_name(const char *s)
{
	for (int i = 0; s && i < OUTCOME_COUNT; i++)
		if (!strcmp(s, outcome_names[i]))
			return i;
	return -1;
}
static const char *const deleg_names[DELEG_COUNT] = { "v14", "v15" };

const char *kernel_name(enum host_version k)
{
	return (unsigned int)k < HOST_VERSION_COUNT ? kernel_names[k] : "?";
}

int kernel_from_name(const char *s)
{
	for (int i = 0; s && i < HOST_VERSION_COUNT; i++)
		if (!strcmp(s, kernel_names[i]))
			return i;
	return -1;
}

/* What a host series version does where no override is given. */
enum rmi_rtt_strategy kernel_strategy(enum host_version k)
{
	return k == HOST_V14 ? RMI_RTT_STRATEGY_FULL :
			       RMI_RTT_STRATEGY_ONE_LEVEL;
}

enum deleg_variant kernel_delegation(enum host_version k)
{
	return k == HOST_V14 ? DELEG_V14 : DELEG_V15;
}

void run_config_resolve(struct run_config *c, bool strategy_given,
			bool delegation_given)
{
	if (!strategy_given)
		c->strategy = kernel_strategy(c->kernel);
	if (!delegation_given)
		c->delegation = kernel_delegation(c->kernel);
}
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

static const char *const gpt_names[GPT_MODE_COUNT] = { "boot", "on-demand" };

const char *gpt_mode_name(enum gpt_mode g)
{
	return (unsigned int)g < GPT_MODE_COUNT ? gpt_names[g] : "?";
}

int gpt_mode_from_name(const char *s)
{
	for (int i = 0; s && i < GPT_MODE_COUNT; i++)
		if (!strcmp(s, gpt_names[i]))
			return i;
	return -1;
}

static const char *const vm_names[VM_COUNT] = { "realm", "normal" };

const char *vm_name(enum vm_kind v)
{
	return (unsigned int)v < VM_COUNT ? vm_names[v] : "?";
}

int vm_from_name(const char *s)
{
	for (int i = 0; s && i < VM_COUNT; i++)
		if (!strcmp(s, vm_names[i]))
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

const char *result_cmd_name(unsigned int i)
{
	const char *n = rmi_cmd_name_at(i);

	return n ? n : "?";
}

int result_cmd_index(const char *name)
{
	for (unsigned int i = 0; i < RMI_CMD_COUNT; i++)
		if (!strcmp(result_cmd_name(i), name))
			return (int)i;
	return -1;
}

const char *result_status_name(unsigned int s)
{
	const char *n = s < STATUS_OTHER ? rmi_status_name(s) : NULL;

	return n ? n : "OTHER";
}

int result_status_index(const char *name)
{
	for (unsigned int s = 0; s < STATUS_BUCKETS; s++)
		if (!strcmp(result_status_name(s), name))
			return (int)s;
	return -1;
}

const char *result_granule_state_name(unsigned int st)
{
	const char *n = rmi_granule_state_name(st);

	return n ? n : "?";
}

const char *result_level_name(unsigned int level)
{
	static const char *const names[] = { "l0", "l1", "l2", "l3" };

	return level < 4 ? names[level] : "?";
}
