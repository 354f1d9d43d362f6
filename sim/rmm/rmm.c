// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the model's life, its profiles, the NS memory the RMM
 * reads, and the entry point, rmm_smc(), which calls the commands' handlers
 * (cmd_*.c).
 *
 * Behaviour follows rmi-facts.md; comments cite its sections as [fN.M].
 * Locking follows an RMM: a granule's state changes by compare-and-swap,
 * RTTs are locked hand over hand from the root down, and nothing global is
 * taken on the map/unmap/create paths, so calls on different parts of the
 * tree run in parallel and racing calls on one granule or entry see one
 * winner and the error the state then implies.
 */
#include <stdlib.h>
#include <string.h>

#include "rmm_internal.h"

/* ---- profiles ------------------------------------------------------------ */

static const struct rmm_profile prof_tf_rmm = {
	.name = "tf-rmm",
	.map_level = RMM_LEVEL_FROM_DESC,
	.remap_same_pa = true,
	.destroy_top = RMM_DESTROY_TOP_PARENT_SPAN,
	.delegate_granules = 1,
};

static const struct rmm_profile prof_spec = {
	.name = "spec",
	.map_level = RMM_LEVEL_FROM_WALK,
	.remap_same_pa = false,
	.destroy_top = RMM_DESTROY_TOP_ENTRY,
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
	if (gt_init(&m->gt, cfg->pa_bits ? cfg->pa_bits : 48)) {
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->meta, NULL);
	return m;
}

static void rtt_free_tree(struct rtt *t)
{
	for (int i = 0; i < RMI_RTT_ENTRIES; i++)
		if (E_STATE(t->e[i]) == RMI_ENTRY_TABLE)
			rtt_free_tree(E_TABLE(t->e[i]));
	free(t);
}

void rmm_destroy(struct rmm *m)
{
	if (!m)
		return;
	for (int i = 0; i < RMM_MAX_REALMS; i++) {
		struct realm *r = m->realms[i];

		if (!r)
			continue;
		for (unsigned int j = 0; j < r->nroot; j++)
			if (r->root[j])
				rtt_free_tree(r->root[j]);
		free(r);
	}
	for (int i = 0; i < RMM_MAX_RECS; i++)
		free(m->recs[i]);
	for (size_t i = 0; i < m->nns; i++)
		free(m->ns[i]);
	free(m->ns);
	free(m->inject);
	gt_fini(&m->gt);
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

void rmm_smc(struct rmm *m, const struct rmm_regs *in, struct rmm_regs *out)
{
	const uint64_t *x = in->x;
	uint32_t fid = (uint32_t)x[0];
	struct rmm_out o = { 0 };

	if (__builtin_expect(m->ninject != 0, 0) && inject_check(m, fid, &o))
		goto done;

	if (fid == RMI_RMM_ACTIVATE) {
		cmd_rmm_activate(m, x, &o);
		goto done;
	}
	if (!RMI_FID_IS_RMI(fid)) {
		o.x0 = SMCCC_RET_NOT_SUPPORTED;
		goto done;
	}
	if (__builtin_expect(!__atomic_load_n(&m->activated,
					      __ATOMIC_ACQUIRE), 0)) {
		ret_status(&o, RMI_ERROR_GLOBAL, 0);
		goto done;
	}

	switch (fid) {
	case RMI_GRANULE_RANGE_DELEGATE:
		cmd_granule_range_delegate(m, x, &o);
		break;
	case RMI_GRANULE_RANGE_UNDELEGATE:
		cmd_granule_range_undelegate(m, x, &o);
		break;
	case RMI_RTT_DATA_MAP:
		cmd_rtt_data_map(m, x, &o);
		break;
	case RMI_RTT_UNPROT_MAP:
		cmd_rtt_unprot_map(m, x, &o);
		break;
	case RMI_RTT_DATA_UNMAP:
		cmd_rtt_data_unmap(m, x, &o);
		break;
	case RMI_RTT_UNPROT_UNMAP:
		cmd_rtt_unprot_unmap(m, x, &o);
		break;
	case RMI_RTT_CREATE:
		cmd_rtt_create(m, x, &o);
		break;
	case RMI_RTT_DESTROY:
		cmd_rtt_destroy(m, x, &o);
		break;
	case RMI_RTT_FOLD:
		cmd_rtt_fold(m, x, &o);
		break;
	case RMI_RTT_READ_ENTRY:
		cmd_rtt_read_entry(m, x, &o);
		break;
	case RMI_RTT_INIT_RIPAS:
		cmd_rtt_init_ripas(m, x, &o);
		break;
	case RMI_RTT_SET_RIPAS:
		cmd_rtt_set_ripas(m, x, &o);
		break;
	case RMI_DATA_MAP_INIT:
		cmd_data_map_init(m, x, &o);
		break;
	case RMI_REALM_CREATE:
		cmd_realm_create(m, x, &o);
		break;
	case RMI_REALM_ACTIVATE:
		cmd_realm_activate(m, x, &o);
		break;
	case RMI_REALM_TERMINATE:
		cmd_realm_terminate(m, x, &o);
		break;
	case RMI_REALM_DESTROY:
		cmd_realm_destroy(m, x, &o);
		break;
	case RMI_REC_CREATE:
		cmd_rec_create(m, x, &o);
		break;
	case RMI_REC_DESTROY:
		cmd_rec_destroy(m, x, &o);
		break;
	case RMI_VERSION:
		cmd_version(m, x, &o);
		break;
	case RMI_FEATURES:
		cmd_features(m, x, &o);
		break;
	default:
		o.x0 = SMCCC_RET_NOT_SUPPORTED;
		break;
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
