// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: names of commands, statuses and states, from the
 * X-macro lists in include/rmi_abi.h.
 */
#include <string.h>

#include "rmm_internal.h"

#define NAME_CASE_(name, v)	case (v): return #name;

const char *rmi_cmd_name(uint32_t fid)
{
	switch (fid) {
#define CMD_CASE_(name, id)	case RMI_FID(id): return #name;
	RMI_COMMANDS(CMD_CASE_)
#undef CMD_CASE_
	default:
		return NULL;
	}
}

/* short id (0x150..0x203) -> enum rmi_cmd + 1; 0 where none */
const unsigned char rmi_cmd_of_short[RMI_SHORT_MAX - RMI_SHORT_MIN + 1] = {
#define IDX_(name, id)	[(id) - RMI_SHORT_MIN] = RMI_CMD_##name + 1,
	RMI_COMMANDS(IDX_)
#undef IDX_
};

const char *rmi_cmd_name_at(unsigned int index)
{
	static const char *const names[RMI_CMD_COUNT] = {
#define NAME_(name, id)	[RMI_CMD_##name] = #name,
		RMI_COMMANDS(NAME_)
#undef NAME_
	};

	return index < RMI_CMD_COUNT ? names[index] : NULL;
}

int64_t rmi_cmd_fid(const char *name)
{
#define CMD_CMP_(n, id)	if (!strcmp(name, #n)) return (int64_t)RMI_FID(id);
	RMI_COMMANDS(CMD_CMP_)
#undef CMD_CMP_
	return -1;
}

const char *rmi_status_name(unsigned int status)
{
	switch (status) {
	RMI_STATUSES(NAME_CASE_)
	default:
		return NULL;
	}
}

int rmi_status_from_name(const char *name)
{
#define ST_CMP_(n, v)	if (!strcmp(name, #n)) return (v);
	RMI_STATUSES(ST_CMP_)
#undef ST_CMP_
	return -1;
}

const char *rmi_entry_state_name(unsigned int st)
{
	switch (st) {
	RMI_ENTRY_STATES(NAME_CASE_)
	default:
		return NULL;
	}
}

const char *rmi_ripas_name(unsigned int ripas)
{
	switch (ripas) {
	RMI_RIPAS_VALUES(NAME_CASE_)
	default:
		return NULL;
	}
}

const char *rmi_granule_state_name(unsigned int st)
{
	switch (st) {
	RMI_GRANULE_STATES(NAME_CASE_)
	default:
		return NULL;
	}
}

#define NAME_FROM_(n, v)	if (!strcmp(s, #n)) return (v);

const char *rmi_mem_category_name(unsigned int c)
{
	switch (c) {
	RMI_MEM_CATEGORIES(NAME_CASE_)
	default:
		return NULL;
	}
}

int rmi_mem_category_from_name(const char *s)
{
	RMI_MEM_CATEGORIES(NAME_FROM_)
	return -1;
}

const char *rmi_tracking_name(unsigned int st)
{
	switch (st) {
	RMI_TRACKING_STATES(NAME_CASE_)
	default:
		return NULL;
	}
}

int rmi_tracking_from_name(const char *s)
{
	RMI_TRACKING_STATES(NAME_FROM_)
	return -1;
}

const char *rmi_gpt_state_name(unsigned int st)
{
	switch (st) {
	RMI_GPT_STATES(NAME_CASE_)
	default:
		return NULL;
	}
}

int rmi_gpt_state_from_name(const char *s)
{
	RMI_GPT_STATES(NAME_FROM_)
	return -1;
}
