// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the model's life, its profiles, the NS memory the RMM
 * reads, and the entry point, rmm_smc(), which dispatches to the commands'
 * handlers (cmd_*.c) by a table indexed by enum rmi_cmd.
 *
 * Behaviour follows rmi-facts.md; comments cite its sections as [fN.M].
 * Locking follows an RMM: a granule's state changes by compare-and-swap,
 * RTTs are locked hand over hand from the root down, and nothing global is
 * taken on the map/unmap/create paths but the RTT pool's mutex, for a few
 * loads and stores when a table is made or freed, so calls on different
 * parts of the tree run in parallel and racing calls on one granule or
 * entry see one winner and the error the state then implies.
 */
#include <stdlib.h>
#include <string.h>

#include "rmm_internal.h"

/* ---- profiles ------------------------------------------------------------ */

static const struct rmm_profile prof_tf_rmm = {
	.name = "tf-rmm",
	.map_level = RMM_LEVEL_FROM_DESC,
	.remap_same_pa = true,
	.destroy_top = RMM_DESTROY_TOP_NEXT_LIVE,
	.delegate_granules = 1,
};

static const struct rmm_profile prof_spec = {
	.name = "spec",
	.map_level = RMM_LEVEL_FROM_WALK,
	.remap_same_pa = false,
	.destroy_top = RMM_DESTROY_TOP_ENTRY,
	.ns_mappings_live = true,
	.delegate_granules = 1,
};

const struct rmm_profile *const rmm_profiles[] = {
	&prof_tf_rmm, &prof_spec, NULL,
};

const struct rmm_profile *rmm_profile_find(const char *name)
{
	for (int i = 0; rmm_profiles[i]; i++)
		if (!strcmp(rmm_profiles[i]->name, name))
			return rmm_profiles[i];
	return NULL;
}

static const char *const firmware_names[RMM_FW_COUNT] = { "boot", "all" };

const char *rmm_firmware_name(enum rmm_firmware f)
{
	return (unsigned int)f < RMM_FW_COUNT ? firmware_names[f] : "?";
}

int rmm_firmware_from_name(const char *s)
{
	for (int i = 0; s && i < RMM_FW_COUNT; i++)
		if (!strcmp(s, firmware_names[i]))
			return i;
	return -1;
}

/* ---- life of the model ---------------------------------------------------- */

struct rmm *rmm_create(const struct rmm_config *cfg)
{
	struct rmm *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->prof = cfg->profile ? *cfg->profile : prof_tf_rmm;
	m->delegate_granules = cfg->delegate_granules ?
			       cfg->delegate_granules :
			       m->prof.delegate_granules;
	m->lpa2 = cfg->lpa2;
	m->one_thread = cfg->one_thread;
	m->firmware = cfg->firmware;
	if (gt_init(&m->gt, cfg->pa_bits ? cfg->pa_bits : 48)) {
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->meta, NULL);
	pool_init(&m->pool);
	return m;
}

void rmm_destroy(struct rmm *m)
{
	if (!m)
		return;
	/* the RTTs go with the pool */
	for (int i = 0; i < RMM_MAX_REALMS; i++)
		free(m->realms[i]);
	for (int i = 0; i < RMM_MAX_RECS; i++)
		free(m->recs[i]);
	for (size_t i = 0; i < m->nns; i++)
		free(m->ns[i]);
	free(m->ns);
	free(m->mem);
	gt_fini(&m->gt);
	pool_fini(&m->pool);
	pthread_mutex_destroy(&m->meta);
	free(m);
}

/* ---- NS memory -------------------------------------------------------------- */

static struct ns_block *ns_find(struct rmm *m, uint64_t pa)
{
	for (size_t i = 0; i < m->nns; i++)
		if (m->ns[i]->pa == pa)
			return m->ns[i];
	return NULL;
}

int rmm_ns_write(struct rmm *m, uint64_t pa, const void *buf, size_t len)
{
	struct ns_block *b;

	if ((pa & 0xfff) || len > RMI_GRANULE_SIZE)
		return -1;
	pthread_mutex_lock(&m->meta);
	b = ns_find(m, pa);
	if (!b) {
		if (m->nns == m->cap_ns) {
			size_t cap = m->cap_ns ? 2 * m->cap_ns : 8;
			struct ns_block **n = realloc(m->ns, cap * sizeof(*n));

			if (!n)
				abort();
			m->ns = n;
			m->cap_ns = cap;
		}
		b = calloc(1, sizeof(*b));
		if (!b)
			abort();
		b->pa = pa;
		m->ns[m->nns++] = b;
	}
	memset(b->bytes, 0, sizeof(b->bytes));
	memcpy(b->bytes, buf, len);
	b->len = len;
	pthread_mutex_unlock(&m->meta);
	return 0;
}

bool ns_read(struct rmm *m, uint64_t pa, void *buf, size_t len)
{
	struct ns_block *b;
	bool ok = false;

	if (!gt_valid(&m->gt, pa) ||
	    gt_get(&m->gt, pa) != RMI_GRANULE_UNDELEGATED)
		return false;
	pthread_mutex_lock(&m->meta);
	b = ns_find(m, pa);
	if (b && len <= RMI_GRANULE_SIZE) {
		memcpy(buf, b->bytes, len);
		ok = true;
	}
	pthread_mutex_unlock(&m->meta);
	return ok;
}

/* ---- the entry point ------------------------------------------------------- */

/*
 * The commands by enum rmi_cmd: each one's handler and how many argument
 * registers it defines. Registers past x[nargs] are ignored, as the SMC
 * calling convention allows; a handler reads none of them.
 */
#define CMD_(name, fn, nargs)	[RMI_CMD_##name] = { fn, nargs }

static const struct rmm_cmd cmd_table[RMI_CMD_COUNT] = {
	CMD_(VERSION, cmd_version, 1),
	CMD_(DATA_MAP_INIT, cmd_data_map_init, 5),
	CMD_(REALM_ACTIVATE, cmd_realm_activate, 1),
	CMD_(REALM_CREATE, cmd_realm_create, 2),
	CMD_(REALM_DESTROY, cmd_realm_destroy, 1),
	CMD_(REC_CREATE, cmd_rec_create, 3),
	CMD_(REC_DESTROY, cmd_rec_destroy, 1),
	CMD_(RTT_CREATE, cmd_rtt_create, 4),
	CMD_(RTT_DESTROY, cmd_rtt_destroy, 3),
	CMD_(RTT_READ_ENTRY, cmd_rtt_read_entry, 3),
	CMD_(FEATURES, cmd_features, 1),
	CMD_(RTT_FOLD, cmd_rtt_fold, 3),
	CMD_(RTT_INIT_RIPAS, cmd_rtt_init_ripas, 3),
	CMD_(RTT_SET_RIPAS, cmd_rtt_set_ripas, 4),
	CMD_(GRANULE_TRACKING_GET, cmd_granule_tracking_get, 2),
	CMD_(GRANULE_TRACKING_SET, cmd_granule_tracking_set, 3),
	CMD_(GRANULE_RANGE_DELEGATE, cmd_granule_range_delegate, 2),
	CMD_(GRANULE_RANGE_UNDELEGATE, cmd_granule_range_undelegate, 2),
	CMD_(GPT_L1_CREATE, cmd_gpt_l1_create, 1),
	CMD_(GPT_L1_DESTROY, cmd_gpt_l1_destroy, 1),
	CMD_(RTT_DATA_MAP, cmd_rtt_data_map, 5),
	CMD_(RTT_DATA_UNMAP, cmd_rtt_data_unmap, 5),
	CMD_(RTT_UNPROT_MAP, cmd_rtt_unprot_map, 5),
	CMD_(RTT_UNPROT_UNMAP, cmd_rtt_unprot_unmap, 5),
	CMD_(REALM_TERMINATE, cmd_realm_terminate, 1),
	CMD_(RMM_ACTIVATE, cmd_rmm_activate, 0),
};

#undef CMD_

void rmm_smc(struct rmm *m, const struct rmm_regs *in, struct rmm_regs *out)
{
	const uint64_t *x = in->x;
	uint32_t fid = (uint32_t)x[0];
	struct rmm_out o = { 0 };
	unsigned int c;

	if (!RMI_FID_IS_RMI(fid)) {
		o.x0 = SMCCC_RET_NOT_SUPPORTED;
		goto done;
	}
	/* until RMM_ACTIVATE, every other RMI id answers ERROR_GLOBAL */
	if (__builtin_expect(!__atomic_load_n(&m->activated,
					      __ATOMIC_ACQUIRE), 0) &&
	    fid != RMI_RMM_ACTIVATE) {
		ret_status(&o, RMI_ERROR_GLOBAL, 0);
		goto done;
	}
	c = rmi_cmd_of_short[(fid & 0x3ff) - RMI_SHORT_MIN];
	if (!c) {
		/* an id in the RMI range that is no command */
		o.x0 = SMCCC_RET_NOT_SUPPORTED;
		goto done;
	}
	if (m->one_thread) {
		bool was = rmm_plain;

		rmm_plain = true;
		cmd_table[c - 1].fn(m, x, &o);
		rmm_plain = was;
	} else {
		cmd_table[c - 1].fn(m, x, &o);
	}
done:
	out->x[0] = o.x0;
	out->x[1] = o.x1;
	out->x[2] = o.x2;
	out->x[3] = o.x3;
	out->x[4] = o.x4;
}

uint64_t rmm_call(struct rmm *m, uint32_t fid, uint64_t x1, uint64_t x2,
		  uint64_t x3, uint64_t x4, uint64_t x5, uint64_t out[5])
{
	struct rmm_regs r = { .x = { fid, x1, x2, x3, x4, x5, 0, 0 } };

	rmm_smc(m, &r, &r);
	if (out)
		memcpy(out, r.x, 5 * sizeof(uint64_t));
	return r.x[0];
}
