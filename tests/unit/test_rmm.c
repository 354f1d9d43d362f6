// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RMM model's invariants: granule conservation and tree consistency
 * after seeded random call sequences, state after each call, races
 * between threads resolving as an RMM would (one winner), the RTT
 * pool: tables of zero entries cost no page, recycled pages read right,
 * and the walk's remembered table following the tree.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "rmm.h"

#define G(n)		((uint64_t)(n) << 12)
#define GIB		(1ull << 30)
#define MIB2		(2ull << 20)
#define RD		G(1)
#define ROOT		G(2)		/* two roots for S2SZ 40: g2, g3 */

static struct rmm *model_made(const char *profile, unsigned int dg,
			      bool one_thread)
{
	struct rmm_config cfg = {
		.profile = rmm_profile_find(profile),
		.delegate_granules = dg,
		.one_thread = one_thread,
	};
	struct rmm *m = rmm_create(&cfg);

	if (m)
		rmm_call(m, RMI_RMM_ACTIVATE, 0, 0, 0, 0, 0, NULL);
	return m;
}

static struct rmm *model(const char *profile, unsigned int dg)
{
	return model_made(profile, dg, false);
}

static uint64_t delegate(struct rmm *m, uint64_t base, uint64_t top)
{
	uint64_t out[5], x0;

	do {
		x0 = rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, base, top, 0, 0, 0,
			      out);
		base = out[1];
	} while (RMI_RETURN_STATUS(x0) == RMI_SUCCESS && base < top);
	return x0;
}

static uint64_t realm(struct rmm *m, unsigned int s2sz)
{
	struct rmi_realm_params p = {
		.s2sz = s2sz,
		.rtt_level_start = rmi_start_level(s2sz),
		.rtt_num_start = rmi_root_rtts(s2sz),
		.rtt_base = ROOT,
	};
	uint64_t params = G(0xfffff);

	delegate(m, RD, ROOT + p.rtt_num_start * 4096);
	rmm_ns_write(m, params, &p, sizeof(p));
	return rmm_call(m, RMI_REALM_CREATE, RD, params, 0, 0, 0, NULL);
}

static void check_ok(struct __test_metadata *_metadata, struct rmm *m)
{
	char why[256] = "";

	if (rmm_check(m, why, sizeof(why)))
		TH_LOG("invariant: %s", why);
	ASSERT_EQ(0, rmm_check(m, why, sizeof(why)));
}

TEST(error_global_until_activate)
{
	struct rmm_config cfg = { .profile = rmm_profile_find("tf-rmm") };
	struct rmm *m = rmm_create(&cfg);

	ASSERT_NE(NULL, m);
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_GLOBAL, 0),
		  rmm_call(m, RMI_VERSION, 0x20000, 0, 0, 0, 0, NULL));
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_GLOBAL, 0),
		  rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(1), G(2), 0, 0, 0,
			   NULL));
	ASSERT_EQ(RMI_GRANULE_UNDELEGATED, rmm_granule_state(m, G(1)));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RMM_ACTIVATE, 0, 0, 0, 0, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_VERSION, 0x20000, 0, 0, 0, 0, NULL));
	ASSERT_EQ(SMCCC_RET_NOT_SUPPORTED,
		  rmm_call(m, 0x84000000, 0, 0, 0, 0, 0, NULL));
	rmm_destroy(m);
}

TEST(sparse_pa_space)
{
	/* 64 GiB and more of PA space cost only the chunks touched */
	struct rmm *m = model("tf-rmm", 1);
	struct rmm_stats st;

	rmm_get_stats(m, &st);
	uint64_t before = st.model_bytes;

	ASSERT_EQ(0ull, delegate(m, 200 * GIB, 200 * GIB + 4096));
	ASSERT_EQ(0ull, delegate(m, (1ull << 47), (1ull << 47) + 4096));
	rmm_get_stats(m, &st);
	/* two 1 GiB chunks of one byte per granule: 2 * 256 KiB */
	ASSERT_EQ(before + 2 * 262144, st.model_bytes);
	ASSERT_EQ(2ull, st.granules[RMI_GRANULE_DELEGATED]);
	ASSERT_EQ(RMI_GRANULE_UNDELEGATED, rmm_granule_state(m, 100 * GIB));
	rmm_destroy(m);
}

/*
 * rmm_state_hash: what later calls can observe, not how it came about.
 * Two models made by the same calls in another order hash alike; each
 * change a call makes (a granule, an entry's RIPAS, a realm's state)
 * changes the hash; a failing call, a read and the statistics do not.
 */
TEST(state_hash)
{
	struct rmm *a = model("tf-rmm", 1), *b = model("spec", 1);
	uint64_t h0, h1;

	ASSERT_EQ(0ull, realm(a, 40));
	/* b: the data granule delegated before the realm, not after */
	ASSERT_EQ(0ull, delegate(b, G(100), G(101)));
	ASSERT_EQ(0ull, realm(b, 40));
	ASSERT_EQ(0ull, delegate(a, G(100), G(101)));
	ASSERT_EQ(rmm_state_hash(a), rmm_state_hash(b));

	h0 = rmm_state_hash(a);
	/* a read, a failing call: nothing changes */
	ASSERT_EQ(0ull, rmm_call(a, RMI_RTT_READ_ENTRY, RD, 0, 1, 0, 0, NULL));
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_INPUT, 0),
		  rmm_call(a, RMI_RTT_CREATE, RD, G(500), 0, 2, 0, NULL));
	ASSERT_EQ(h0, rmm_state_hash(a));
	/* an L2 table, then RIPAS RAM on one of its entries */
	ASSERT_EQ(0ull, rmm_call(a, RMI_RTT_CREATE, RD, G(100), 0, 2, 0, NULL));
	h1 = rmm_state_hash(a);
	ASSERT_NE(h0, h1);
	ASSERT_EQ(0ull, rmm_call(a, RMI_RTT_INIT_RIPAS, RD, 0, MIB2, 0, 0,
				 NULL));
	ASSERT_NE(h1, rmm_state_hash(a));
	ASSERT_NE(rmm_state_hash(a), rmm_state_hash(b));
	/* the same calls on b: alike again */
	ASSERT_EQ(0ull, rmm_call(b, RMI_RTT_CREATE, RD, G(100), 0, 2, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(b, RMI_RTT_INIT_RIPAS, RD, 0, MIB2, 0, 0,
				 NULL));
	ASSERT_EQ(rmm_state_hash(a), rmm_state_hash(b));
	/* the realm's life cycle is state too */
	ASSERT_EQ(0ull, rmm_call(a, RMI_REALM_ACTIVATE, RD, 0, 0, 0, 0, NULL));
	ASSERT_NE(rmm_state_hash(a), rmm_state_hash(b));
	rmm_destroy(a);
	rmm_destroy(b);
}

/*
 * A REC's RIPAS request takes only RIPAS values: RTT_SET_RIPAS stores the
 * value in the entry's two RIPAS bits, and 0x200 there changed a mapped
 * page's output address from g1100 to g1101 (found while writing the
 * fuzz_rmm target's RIPAS law). The request is refused and the page
 * keeps its address.
 */
TEST(ripas_request_takes_ripas_values)
{
	struct rmm *m = model("tf-rmm", 1);
	uint64_t out[5];

	ASSERT_EQ(0ull, realm(m, 40));
	ASSERT_EQ(0ull, delegate(m, G(100), G(102)));
	ASSERT_EQ(0ull, delegate(m, G(5), G(6)));
	ASSERT_EQ(0ull, delegate(m, G(1100), G(1101)));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_CREATE, RD, G(100), 0, 2, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_CREATE, RD, G(101), 0, 3, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_REC_CREATE, RD, G(5), 0, 0, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_REALM_ACTIVATE, RD, 0, 0, 0, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_DATA_MAP, RD, G(4), G(5),
				 RMI_ADDR_TYPE_SINGLE,
				 rmi_desc_encode(RMI_DESC_SIZE_4K, 1, G(1100), 0),
				 NULL));
	ASSERT_EQ(-1, rmm_rec_request_ripas(m, G(5), G(4), G(5), 0x200));
	ASSERT_EQ(-1, rmm_rec_request_ripas(m, G(5), G(4), G(5),
					    RMI_RIPAS_DEV + 1));
	/* no request: SET_RIPAS has nothing to serve */
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_INPUT, 0),
		  rmm_call(m, RMI_RTT_SET_RIPAS, RD, G(5), G(4), G(5), 0, NULL));
	ASSERT_EQ(0, rmm_rec_request_ripas(m, G(5), G(4), G(5), RMI_RIPAS_DEV));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_SET_RIPAS, RD, G(5), G(4), G(5), 0,
				 NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_READ_ENTRY, RD, G(4), 3, 0, 0, out));
	ASSERT_EQ((uint64_t)RMI_ENTRY_ASSIGNED, out[2]);
	ASSERT_EQ(G(1100), out[3]);
	ASSERT_EQ((uint64_t)RMI_RIPAS_DEV, out[4]);
	check_ok(_metadata, m);
	rmm_destroy(m);
}

TEST(delegate_progress_and_errors)
{
	struct rmm *m = model("tf-rmm", 4);
	uint64_t out[5];

	/* [5] four granules per call: 10 granules need 3 calls */
	ASSERT_EQ(0ull, rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(16), G(26),
				 0, 0, 0, out));
	ASSERT_EQ(G(20), out[1]);
	ASSERT_EQ(0ull, rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(20), G(26),
				 0, 0, 0, out));
	ASSERT_EQ(G(24), out[1]);
	/* g25 delegated behind its back: progress to g25, then the error */
	ASSERT_EQ(0ull, rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(25), G(26),
				 0, 0, 0, out));
	ASSERT_EQ(0ull, rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(24), G(26),
				 0, 0, 0, out));
	ASSERT_EQ(G(25), out[1]);
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_INPUT, 0),
		  rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(25), G(26), 0, 0, 0,
			   out));
	ASSERT_EQ(G(25), out[1]);
	/* unaligned and empty ranges */
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_INPUT, 0),
		  rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(30) + 1, G(31), 0,
			   0, 0, out));
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_INPUT, 0),
		  rmm_call(m, RMI_GRANULE_RANGE_DELEGATE, G(31), G(31), 0, 0,
			   0, out));
	ASSERT_EQ(G(31), out[1]);
	for (int i = 16; i < 26; i++)
		ASSERT_EQ(RMI_GRANULE_DELEGATED, rmm_granule_state(m, G(i)));
	ASSERT_EQ(RMI_GRANULE_UNDELEGATED, rmm_granule_state(m, G(26)));
	check_ok(_metadata, m);
	rmm_destroy(m);
}

/*
 * Random calls on one realm, with arguments drawn near valid values so
 * most reach the deep paths. After every call the invariants hold, and
 * granules are conserved: every granule is in exactly one state and the
 * counts per state match the trees.
 */
/*
 * The call on @m and, if there is one, the same call on @twin: both must
 * answer the same, register for register.
 */
static void call2(struct __test_metadata *_metadata, struct rmm *m,
		  struct rmm *twin, uint32_t fid, uint64_t x1, uint64_t x2,
		  uint64_t x3, uint64_t x4, uint64_t x5, uint64_t out[5])
{
	uint64_t o2[5];

	rmm_call(m, fid, x1, x2, x3, x4, x5, out);
	if (!twin)
		return;
	rmm_call(twin, fid, x1, x2, x3, x4, x5, o2);
	for (int r = 0; r < 5; r++)
		ASSERT_EQ(out[r], o2[r]);
}

/*
 * 20000 random calls on a model, its invariants checked as it goes. With
 * @twin (a model of the same profile made otherwise), each call is made
 * on both, which must answer alike and end in the same state.
 */
static void random_walk_twin(struct __test_metadata *_metadata,
			     const char *prof, unsigned int seed,
			     struct rmm *twin)
{
	struct rmm *m = model(prof, 8);
	uint64_t s = seed, out[5];
	static const uint32_t fids[] = {
		RMI_GRANULE_RANGE_DELEGATE, RMI_GRANULE_RANGE_UNDELEGATE,
		RMI_RTT_CREATE, RMI_RTT_DESTROY, RMI_RTT_FOLD,
		RMI_RTT_DATA_MAP, RMI_RTT_DATA_UNMAP, RMI_RTT_READ_ENTRY,
		RMI_RTT_INIT_RIPAS, RMI_RTT_UNPROT_MAP, RMI_RTT_UNPROT_UNMAP,
		RMI_DATA_MAP_INIT,
	};

	unsigned int nf = sizeof(fids) / sizeof(fids[0]), oks[16] = { 0 };

	ASSERT_EQ(0ull, realm(m, 40));
	if (twin)
		ASSERT_EQ(0ull, realm(twin, 40));
	for (int i = 0; i < 20000; i++) {
		/* xorshift64 */
		s ^= s << 13; s ^= s >> 7; s ^= s << 17;
		unsigned int k = (unsigned int)(s % nf);
		uint32_t fid = fids[k];
		uint64_t g = G(64 + (s >> 8) % 2048);	/* PA pool: 8 MiB */
		int level = 2 + (int)((s >> 20) & 1);
		uint64_t ipa = GIB + ((s >> 24) % 4) * MIB2 +
			       (((s >> 30) & 1) ? ((s >> 32) % 512) * 4096 : 0);
		unsigned int sz = (s >> 44) & 1;
		uint64_t blk = sz ? MIB2 : 4096;
		uint64_t pa = sz ? (g & ~(MIB2 - 1)) : g;
		uint64_t desc = rmi_desc_encode(sz, 1, pa, 0);

		if ((s >> 50) & 1 && fid != RMI_RTT_UNPROT_MAP &&
		    fid != RMI_RTT_UNPROT_UNMAP)
			ipa &= ~(blk - 1);
		if (fid == RMI_RTT_UNPROT_MAP || fid == RMI_RTT_UNPROT_UNMAP)
			ipa = (ipa & ~(blk - 1)) | (1ull << 39);
		/* RTT operations: in either half */
		if ((fid == RMI_RTT_CREATE || fid == RMI_RTT_DESTROY ||
		     fid == RMI_RTT_FOLD || fid == RMI_RTT_READ_ENTRY) &&
		    ((s >> 52) & 1))
			ipa |= 1ull << 39;
		out[0] = ~0ull;
		switch (fid) {
		case RMI_GRANULE_RANGE_DELEGATE:
		case RMI_GRANULE_RANGE_UNDELEGATE: {
			/* as a host does: call until done or an error */
			uint64_t b = pa;

			do {
				call2(_metadata, m, twin, fid, b, pa + blk, 0, 0, 0, out);
				b = out[1];
			} while (!out[0] && b < pa + blk);
			break;
		}
		case RMI_RTT_CREATE:
			call2(_metadata, m, twin, fid, RD, g, ipa & ~(RMI_LEVEL_SIZE(level - 1) - 1),
				 level, 0, out);
			break;
		case RMI_RTT_DESTROY:
		case RMI_RTT_FOLD:
		case RMI_RTT_READ_ENTRY:
			call2(_metadata, m, twin, fid, RD, ipa & ~(RMI_LEVEL_SIZE(level - 1) - 1),
				 level, 0, 0, out);
			break;
		case RMI_RTT_DATA_MAP:
		case RMI_RTT_UNPROT_MAP:
			call2(_metadata, m, twin, fid, RD, ipa, ipa + blk,
				 rmi_flags_encode(1, 0, 0, 3), desc, out);
			break;
		case RMI_RTT_DATA_UNMAP:
		case RMI_RTT_UNPROT_UNMAP:
			call2(_metadata, m, twin, fid, RD, ipa, ipa + blk * 3, 1, 0, out);
			break;
		case RMI_RTT_INIT_RIPAS:
			call2(_metadata, m, twin, fid, RD, ipa, ipa + blk, 0, 0, out);
			break;
		case RMI_DATA_MAP_INIT:
			call2(_metadata, m, twin, fid, RD, g, ipa, G(0x10000), 0, out);
			break;
		}
		oks[k] += out[0] == 0;
		if (i % 500 == 0 || i == 19999) {
			check_ok(_metadata, m);
			if (twin)
				check_ok(_metadata, twin);
		}
	}
	if (twin) {
		/* the same granule states and RTTs: the same hashes */
		ASSERT_EQ(rmm_hash_granules(m, 0, G(0x100000), 1),
			  rmm_hash_granules(twin, 0, G(0x100000), 1));
		ASSERT_EQ(rmm_hash_realm(m, RD, 0, 1ull << 40, 1),
			  rmm_hash_realm(twin, RD, 0, 1ull << 40, 1));
	}
	/* the walk reached every command's success path */
	for (unsigned int k = 0; k < nf; k++) {
		if (!oks[k])
			TH_LOG("%s never succeeded", rmi_cmd_name(fids[k]));
		ASSERT_LT(0u, oks[k]);
	}
	rmm_destroy(m);
}

static void random_walk(struct __test_metadata *_metadata, const char *prof,
			unsigned int seed)
{
	random_walk_twin(_metadata, prof, seed, NULL);
}

/*
 * A model made one_thread (plain loads and stores for its RTT locks and
 * granule compare-and-swaps, the det scheduler's) answers every call of
 * the random walk as the atomic one does, failures included (a DATA_MAP
 * of a 2 MiB block whose granules are not all DELEGATED, ...).
 */
static void one_thread_twin(struct __test_metadata *_metadata,
			    const char *prof, unsigned int seed)
{
	struct rmm *twin = model_made(prof, 8, true);

	ASSERT_NE(NULL, twin);
	random_walk_twin(_metadata, prof, seed, twin);
	rmm_destroy(twin);
}

TEST(one_thread_answers_as_atomic_tf_rmm) { one_thread_twin(_metadata, "tf-rmm", 7); }
TEST(one_thread_answers_as_atomic_spec) { one_thread_twin(_metadata, "spec", 13); }
TEST(random_calls_keep_invariants_tf_rmm) { random_walk(_metadata, "tf-rmm", 7); }
TEST(random_calls_keep_invariants_spec) { random_walk(_metadata, "spec", 11); }

/* ---- races -------------------------------------------------------------------- */

struct racer {
	struct rmm *m;
	pthread_barrier_t *bar;
	uint32_t fid;
	uint64_t x[5];
	uint64_t ret;
};

static void *race_one(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->bar);
	r->ret = rmm_call(r->m, r->fid, r->x[0], r->x[1], r->x[2], r->x[3],
			  r->x[4], NULL);
	return NULL;
}

/* Run @n calls at once; returns how many answered SUCCESS. */
static int race(struct racer *rs, int n)
{
	pthread_barrier_t bar;
	pthread_t t[8];
	int ok = 0;

	pthread_barrier_init(&bar, NULL, (unsigned int)n);
	for (int i = 0; i < n; i++) {
		rs[i].bar = &bar;
		pthread_create(&t[i], NULL, race_one, &rs[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		ok += rs[i].ret == 0;
	}
	pthread_barrier_destroy(&bar);
	return ok;
}

TEST(race_delegate_one_granule)
{
	for (int round = 0; round < 200; round++) {
		struct rmm *m = model("tf-rmm", 1);
		struct racer rs[4];

		for (int i = 0; i < 4; i++)
			rs[i] = (struct racer){ .m = m,
				.fid = RMI_GRANULE_RANGE_DELEGATE,
				.x = { G(100), G(101) } };
		ASSERT_EQ(1, race(rs, 4));
		for (int i = 0; i < 4; i++)
			if (rs[i].ret)
				ASSERT_EQ(RMI_RETURN(RMI_ERROR_INPUT, 0), rs[i].ret);
		rmm_destroy(m);
	}
}

/*
 * Hotplugged memory prepared by four vCPUs at once, as --gpt on-demand
 * does: GPT_L1_CREATE has one winner, the others see ERROR_GPT (the table
 * exists); TRACKING_SET to FINE succeeds for all (the same state again);
 * the delegates after both find the memory ready.
 */
TEST(race_prepare_hotplugged_memory)
{
	for (int round = 0; round < 100; round++) {
		struct rmm *m = model("tf-rmm", 1);
		struct racer rs[4];

		ASSERT_EQ(0, rmm_mem_hotplug(m, 4 * GIB, GIB));
		for (int i = 0; i < 4; i++)
			rs[i] = (struct racer){ .m = m,
				.fid = RMI_GRANULE_TRACKING_SET,
				.x = { 4 * GIB, RMI_MEM_CATEGORY_CONVENTIONAL,
				       RMI_TRACKING_FINE } };
		ASSERT_EQ(4, race(rs, 4));
		for (int i = 0; i < 4; i++)
			rs[i] = (struct racer){ .m = m,
				.fid = RMI_GPT_L1_CREATE, .x = { 4 * GIB } };
		ASSERT_EQ(1, race(rs, 4));
		for (int i = 0; i < 4; i++)
			if (rs[i].ret)
				ASSERT_EQ(RMI_RETURN(RMI_ERROR_GPT, 0), rs[i].ret);
		for (int i = 0; i < 4; i++)
			rs[i] = (struct racer){ .m = m,
				.fid = RMI_GRANULE_RANGE_DELEGATE,
				.x = { 4 * GIB + G(i), 4 * GIB + G(i + 1) } };
		ASSERT_EQ(4, race(rs, 4));
		check_ok(_metadata, m);
		rmm_destroy(m);
	}
}

/*
 * The memory map costs its byte per 1 GiB once something is described
 * (2^48 / 2^30 = 262144 bytes), and the invariant check finds a granule
 * out of the normal world in memory that is no longer FINE: the platform
 * side (rmm_mem_describe) may do what no RMI call can.
 */
TEST(memory_map_bytes_and_invariant)
{
	struct rmm *m = model("tf-rmm", 1);
	struct rmm_stats st0, st;
	struct rmm_mem_state ms;
	char why[256] = "";

	rmm_get_stats(m, &st0);
	ASSERT_EQ(0ull, delegate(m, 3 * GIB, 3 * GIB + 4096));
	rmm_get_stats(m, &st);
	/* the granule chunk of 3G: 256 KiB; no map yet */
	ASSERT_EQ(st0.model_bytes + 262144, st.model_bytes);
	ASSERT_EQ(0, rmm_mem_describe(m, 3 * GIB, GIB,
				      RMI_MEM_CATEGORY_CONVENTIONAL,
				      RMI_TRACKING_COARSE, RMI_GPT_PAR_PLAT));
	rmm_get_stats(m, &st0);
	ASSERT_EQ(st.model_bytes + 262144, st0.model_bytes);
	rmm_mem_state(m, 3 * GIB + G(5), &ms);
	ASSERT_EQ((unsigned int)RMI_TRACKING_COARSE, ms.tracking);
	ASSERT_EQ((unsigned int)RMI_GPT_PAR_PLAT, ms.gpt);
	ASSERT_EQ(-1, rmm_check(m, why, sizeof(why)));
	ASSERT_STREQ("granule 0xc0000000 is not UNDELEGATED where a delegate answers status 12 (no FINE tracking or level-1 GPT)",
		     why);
	/* back to FINE: consistent again */
	ASSERT_EQ(0, rmm_mem_describe(m, 3 * GIB, GIB,
				      RMI_MEM_CATEGORY_CONVENTIONAL,
				      RMI_TRACKING_FINE, RMI_GPT_PAR_PLAT));
	check_ok(_metadata, m);
	rmm_destroy(m);
}

TEST(race_rtt_create_same_entry)
{
	/* [2] the loser sees ERROR_RTT(level - 1): the table exists */
	for (int round = 0; round < 200; round++) {
		struct rmm *m = model("tf-rmm", 1);
		struct racer rs[4];

		ASSERT_EQ(0ull, realm(m, 40));
		ASSERT_EQ(0ull, delegate(m, G(200), G(204)));
		for (int i = 0; i < 4; i++)
			rs[i] = (struct racer){ .m = m, .fid = RMI_RTT_CREATE,
				.x = { RD, G(200 + i), GIB, 2 } };
		ASSERT_EQ(1, race(rs, 4));
		for (int i = 0; i < 4; i++) {
			if (rs[i].ret) {
				ASSERT_EQ(RMI_RETURN(RMI_ERROR_RTT, 1), rs[i].ret);
				ASSERT_EQ(RMI_GRANULE_DELEGATED,
					  rmm_granule_state(m, G(200 + i)));
			} else {
				ASSERT_EQ(RMI_GRANULE_RTT,
					  rmm_granule_state(m, G(200 + i)));
			}
		}
		check_ok(_metadata, m);
		rmm_destroy(m);
	}
}

TEST(race_data_map_same_ipa)
{
	/* two PAs for one IPA: one maps, the other sees ERROR_RTT(3) and
	 * its granule stays DELEGATED */
	for (int round = 0; round < 200; round++) {
		struct rmm *m = model("tf-rmm", 1);
		struct racer rs[2];

		ASSERT_EQ(0ull, realm(m, 40));
		ASSERT_EQ(0ull, delegate(m, G(200), G(202)));
		ASSERT_EQ(0ull, delegate(m, G(300), G(302)));
		ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_CREATE, RD, G(200), GIB, 2,
					 0, NULL));
		ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_CREATE, RD, G(201), GIB, 3,
					 0, NULL));
		for (int i = 0; i < 2; i++)
			rs[i] = (struct racer){ .m = m, .fid = RMI_RTT_DATA_MAP,
				.x = { RD, GIB, GIB + 4096, 1,
				       rmi_desc_encode(0, 1, G(300 + i), 0) } };
		ASSERT_EQ(1, race(rs, 2));
		for (int i = 0; i < 2; i++)
			ASSERT_EQ(rs[i].ret ? RMI_GRANULE_DELEGATED :
					      RMI_GRANULE_DATA,
				  rmm_granule_state(m, G(300 + i)));
		for (int i = 0; i < 2; i++)
			if (rs[i].ret)
				ASSERT_EQ(RMI_RETURN(RMI_ERROR_RTT, 3), rs[i].ret);
		check_ok(_metadata, m);
		rmm_destroy(m);
	}
}

struct worker {
	struct rmm *m;
	int id;
	int failures;
};

/* Each thread maps and unmaps its own 2 MiB regions, page by page. */
static void *disjoint(void *arg)
{
	struct worker *w = arg;
	uint64_t out[5];

	for (int r = 0; r < 8; r++) {
		uint64_t ipa = GIB + (uint64_t)(w->id * 8 + r) * MIB2;
		uint64_t pa = 64 * GIB + (uint64_t)(w->id * 8 + r) * MIB2;
		uint64_t rtt = G(0x1000 + w->id * 16 + r);

		if (delegate(w->m, rtt, rtt + 4096) ||
		    delegate(w->m, pa, pa + MIB2))
			w->failures++;
		/* the L2 table is shared: whoever creates it first wins */
		rmm_call(w->m, RMI_RTT_CREATE, RD, G(0x2000 + w->id), GIB, 2, 0,
			 NULL);
		if (rmm_call(w->m, RMI_RTT_CREATE, RD, rtt, ipa, 3, 0, NULL))
			w->failures++;
		for (int p = 0; p < 512; p++)
			if (rmm_call(w->m, RMI_RTT_DATA_MAP, RD, ipa + p * 4096,
				     ipa + (p + 1) * 4096, 1,
				     rmi_desc_encode(0, 1, pa + p * 4096, 0),
				     out))
				w->failures++;
		/* unmap half again */
		if (rmm_call(w->m, RMI_RTT_DATA_UNMAP, RD, ipa, ipa + MIB2 / 2,
			     1, 0, out) || out[1] != ipa + MIB2 / 2)
			w->failures++;
	}
	return NULL;
}

TEST(parallel_disjoint_regions)
{
	struct rmm *m = model("tf-rmm", 512);
	struct worker w[4];
	pthread_t t[4];
	struct rmm_stats st;

	ASSERT_EQ(0ull, realm(m, 40));
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0ull, delegate(m, G(0x2000 + i), G(0x2001 + i)));
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .m = m, .id = i };
		pthread_create(&t[i], NULL, disjoint, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ASSERT_EQ(0, w[i].failures);
	}
	rmm_get_stats(m, &st);
	/* 32 regions of 512 pages, half unmapped: 32 * 256 DATA; 32 L3 RTTs,
	 * one L2 RTT, two roots; 3 of the 4 spare L2 granules lost the race */
	ASSERT_EQ(32ull * 256, st.granules[RMI_GRANULE_DATA]);
	ASSERT_EQ(32ull + 1 + 2, st.granules[RMI_GRANULE_RTT]);
	ASSERT_EQ(33ull, st.rtts_live);
	check_ok(_metadata, m);
	rmm_destroy(m);
}

/* ---- the RTT pool ------------------------------------------------------------ */

#ifdef __SANITIZE_THREAD__
#define RSS_PER_TABLE	1024	/* the thread sanitizer shadows the headers */
#else
#define RSS_PER_TABLE	256
#endif

static long rss_bytes(void)
{
	long pages = 0, rss = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * sysconf(_SC_PAGESIZE);
}

static uint64_t rtt_create(struct rmm *m, uint64_t rtt, uint64_t ipa,
			   int level)
{
	return rmm_call(m, RMI_RTT_CREATE, RD, rtt, ipa, level, 0, NULL);
}

/* All 512 entries of the RTT of @level at @ipa: UNASSIGNED, @ripas. */
static void expect_rtt(struct __test_metadata *_metadata, struct rmm *m,
		       uint64_t ipa, int level, unsigned int ripas)
{
	uint64_t out[5];

	for (uint64_t j = 0; j < 512; j++) {
		ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_READ_ENTRY, RD,
					 ipa + j * RMI_LEVEL_SIZE(level),
					 level, 0, 0, out));
		ASSERT_EQ((uint64_t)level, out[1]);
		ASSERT_EQ((uint64_t)RMI_ENTRY_UNASSIGNED, out[2]);
		ASSERT_EQ((uint64_t)ripas, out[4]);
	}
}

TEST(zero_rtts_cost_no_page)
{
	/*
	 * A host's teardown creates an L3 RTT under every unassigned 2 MiB
	 * before it folds them back: their entries are all UNASSIGNED,
	 * RIPAS EMPTY (0), and such a table costs its 64-byte header
	 */
	enum { NL2 = 8, NL3 = NL2 * 512 };
	struct rmm *m = model("tf-rmm", 512);
	uint64_t rtt = G(0x10000);
	struct rmm_stats st0, st;
	long rss0, rss1;

	ASSERT_EQ(0ull, realm(m, 40));
	ASSERT_EQ(0ull, delegate(m, rtt, rtt + (NL2 + NL3) * 4096ull));
	for (uint64_t i = 0; i < NL2; i++)
		ASSERT_EQ(0ull, rtt_create(m, rtt + i * 4096, (1 + i) * GIB, 2));
	rmm_get_stats(m, &st0);
	rss0 = rss_bytes();
	ASSERT_LT(0, rss0);
	for (uint64_t i = 0; i < NL3; i++)
		ASSERT_EQ(0ull, rtt_create(m, rtt + (NL2 + i) * 4096,
					   GIB + i * MIB2, 3));
	rss1 = rss_bytes();
	ASSERT_LT(rss1 - rss0, (long)NL3 * RSS_PER_TABLE);
	rmm_get_stats(m, &st);
	ASSERT_EQ(st0.rtts_live + NL3, st.rtts_live);
	/* the headers; and the L2 tables' entries are no longer all 0 */
	ASSERT_EQ(st0.model_bytes + NL3 * 64ull + NL2 * 4096ull,
		  st.model_bytes);
	check_ok(_metadata, m);

	/* folded back: the stats as before, the pages clean */
	for (uint64_t i = 0; i < NL3; i++)
		ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_FOLD, RD, GIB + i * MIB2, 3,
					 0, 0, NULL));
	rmm_get_stats(m, &st);
	ASSERT_EQ(st0.rtts_live, st.rtts_live);
	ASSERT_EQ(st0.rtts_freed + NL3, st.rtts_freed);
	ASSERT_EQ(st0.model_bytes, st.model_bytes);
	for (int i = 0; i < RMI_GRANULE_STATE_COUNT; i++)
		ASSERT_EQ(st0.granules[i], st.granules[i]);
	ASSERT_EQ(st0.rtt_pages_clean + NL3, st.rtt_pages_clean);
	ASSERT_EQ(st0.rtt_pages_dirty, st.rtt_pages_dirty);
	check_ok(_metadata, m);
	rmm_destroy(m);
}

/*
 * The next zero table in a row: an L3 RTT for the next 2 MiB from *@ipa,
 * after the L2 RTT for its GiB when *@l2 is false. Delegates its granule,
 * the one after *@g. Sets *@at and *@level to the table made.
 */
static uint64_t zero_rtt_next(struct rmm *m, uint64_t *g, uint64_t *ipa,
			      bool *l2, uint64_t *at, int *level)
{
	*g += 4096;
	delegate(m, *g, *g + 4096);
	*at = *l2 ? *ipa : *ipa & ~(GIB - 1);
	*level = *l2 ? 3 : 2;
	if (*l2) {
		*ipa += MIB2;
		*l2 = *ipa & (GIB - 1);
	} else {
		*l2 = true;
	}
	return rtt_create(m, *g, *at, *level);
}

TEST(rtt_pages_recycled_read_back)
{
	/*
	 * Pages freed all 0 are handed out again to tables filled with RIPAS
	 * RAM and DESTROYED, which read back whole; those, freed written,
	 * are handed out to a zero fill once nothing else is left, and read
	 * all 0
	 */
	struct rmm *m = model("tf-rmm", 1);
	uint64_t g = G(0x10000), a = GIB, b = GIB + MIB2, ipa, at, left;
	struct rmm_stats st0, st;
	bool l2 = true;
	int level;

	ASSERT_EQ(0ull, realm(m, 40));
	ASSERT_EQ(0ull, delegate(m, g, g + 4096));
	ASSERT_EQ(0ull, rtt_create(m, g, GIB, 2));
	/* two zero tables folded: two clean pages */
	ASSERT_EQ(0ull, delegate(m, g + 4096, g + 3 * 4096));
	ASSERT_EQ(0ull, rtt_create(m, g + 4096, a, 3));
	ASSERT_EQ(0ull, rtt_create(m, g + 2 * 4096, b, 3));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_FOLD, RD, a, 3, 0, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_FOLD, RD, b, 3, 0, 0, NULL));
	g += 2 * 4096;
	rmm_get_stats(m, &st0);
	ASSERT_EQ(2ull, st0.rtt_pages_clean);
	ASSERT_EQ(0ull, st0.rtt_pages_dirty);

	/* RIPAS RAM at a; DESTROYED at b, where an RTT was destroyed */
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_INIT_RIPAS, RD, a, a + MIB2, 0, 0,
				 NULL));
	ASSERT_EQ(0ull, rtt_create(m, g, b, 3));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_DESTROY, RD, b, 3, 0, 0, NULL));
	ASSERT_EQ(0ull, rtt_create(m, g - 4096, a, 3));
	ASSERT_EQ(0ull, rtt_create(m, g, b, 3));
	rmm_get_stats(m, &st);
	ASSERT_EQ(0ull, st.rtt_pages_clean);
	ASSERT_EQ(st0.rtt_pages_fresh, st.rtt_pages_fresh);
	expect_rtt(_metadata, m, a, 3, RMI_RIPAS_RAM);
	expect_rtt(_metadata, m, b, 3, RMI_RIPAS_DESTROYED);
	check_ok(_metadata, m);

	/* destroyed written: two dirty pages */
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_DESTROY, RD, a, 3, 0, 0, NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_DESTROY, RD, b, 3, 0, 0, NULL));
	rmm_get_stats(m, &st);
	ASSERT_EQ(2ull, st.rtt_pages_dirty);
	ASSERT_EQ(0ull, st.rtt_pages_clean);

	/* zero fills take the pages never handed out first: use them up */
	ipa = b + MIB2;
	for (left = st.rtt_pages_fresh; left; left--)
		ASSERT_EQ(0ull, zero_rtt_next(m, &g, &ipa, &l2, &at, &level));
	rmm_get_stats(m, &st);
	ASSERT_EQ(0ull, st.rtt_pages_fresh);
	ASSERT_EQ(0ull, st.rtt_pages_clean);
	ASSERT_EQ(2ull, st.rtt_pages_dirty);

	/* then a dirty one, zeroed, before the pool grows */
	ASSERT_EQ(0ull, zero_rtt_next(m, &g, &ipa, &l2, &at, &level));
	rmm_get_stats(m, &st);
	ASSERT_EQ(1ull, st.rtt_pages_dirty);
	ASSERT_EQ(0ull, st.rtt_pages_fresh);
	expect_rtt(_metadata, m, at, level, RMI_RIPAS_EMPTY);
	check_ok(_metadata, m);
	rmm_destroy(m);
}

/*
 * Calls made by another thread (another CPU the RMM runs on): each call's
 * x0 must be @want; returns the index of the first that is not, or -1.
 */
struct call {
	uint32_t fid;
	uint64_t x[5];
	uint64_t want;
};

struct calls {
	struct rmm *m;
	const struct call *c;
	int n, bad;
	uint64_t got;
};

static void *calls_run(void *arg)
{
	struct calls *cs = arg;

	cs->bad = -1;
	for (int i = 0; i < cs->n && cs->bad < 0; i++) {
		const struct call *c = &cs->c[i];

		cs->got = rmm_call(cs->m, c->fid, c->x[0], c->x[1], c->x[2],
				   c->x[3], c->x[4], NULL);
		if (cs->got != c->want)
			cs->bad = i;
	}
	return NULL;
}

static int on_other_cpu(struct rmm *m, const struct call *c, int n,
			uint64_t *got)
{
	struct calls cs = { .m = m, .c = c, .n = n };
	pthread_t t;

	*got = 0;
	if (pthread_create(&t, NULL, calls_run, &cs))
		return -2;
	pthread_join(t, NULL);
	*got = cs.got;
	return cs.bad;
}

/*
 * The walk remembers, per thread, the table it ended at (sim/rmm/walk.c)
 * and takes it again without walking from the root: every answer must
 * still be the tree's as it is now, also after another thread changed the
 * tree under it. This thread maps a page into the L3 RTT at IPA 1 GiB
 * (and remembers that L3); another thread unmaps it and destroys the L3;
 * this thread's walk must stop at level 2. The other thread makes the L3
 * again (the pool hands the freed page, and its header, back first) and
 * maps another page; this thread must read that page. Each answer follows
 * from the facts alone.
 */
TEST(walk_cache_follows_the_tree)
{
	struct rmm *m = model("tf-rmm", 1);
	uint64_t page = rmi_desc_encode(RMI_DESC_SIZE_4K, 1, G(300), 0);
	uint64_t other = rmi_desc_encode(RMI_DESC_SIZE_4K, 1, G(301), 0);
	const struct call destroy[] = {
		/* [f9.8, f11.2] unmap; [f7] the L3 is not live any more */
		{ RMI_RTT_DATA_UNMAP, { RD, GIB, GIB + 4096, 1, 0 }, 0 },
		{ RMI_RTT_DESTROY, { RD, GIB, 3, 0, 0 }, 0 },
	};
	const struct call again[] = {
		{ RMI_RTT_CREATE, { RD, G(202), GIB, 3, 0 }, 0 },
		{ RMI_RTT_DATA_MAP, { RD, GIB, GIB + 4096, 1, other }, 0 },
	};
	const struct call fold[] = {
		{ RMI_RTT_DATA_UNMAP, { RD, GIB, GIB + 4096, 1, 0 }, 0 },
		/* [f9.10] 512 entries UNASSIGNED, DESTROYED alike (the new
		 * table took its parent's entry, f2) */
		{ RMI_RTT_FOLD, { RD, GIB, 3, 0, 0 }, 0 },
	};
	uint64_t out[5], got = 0;

	ASSERT_EQ(0ull, realm(m, 40));
	ASSERT_EQ(0ull, delegate(m, G(200), G(203)));
	ASSERT_EQ(0ull, delegate(m, G(300), G(302)));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_CREATE, RD, G(200), GIB, 2, 0,
				 NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_CREATE, RD, G(201), GIB, 3, 0,
				 NULL));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_DATA_MAP, RD, GIB, GIB + 4096, 1,
				 page, out));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_READ_ENTRY, RD, GIB, 3, 0, 0,
				 out));
	ASSERT_EQ(3ull, out[1]);
	ASSERT_EQ((uint64_t)RMI_ENTRY_ASSIGNED, out[2]);
	ASSERT_EQ(G(300), out[3]);

	ASSERT_EQ(-1, on_other_cpu(m, destroy, 2, &got)) TH_LOG("x0 %#llx",
		(unsigned long long)got);
	ASSERT_EQ(RMI_GRANULE_DELEGATED, rmm_granule_state(m, G(201)));
	/* the walk stops at level 2, at the entry [f9.9] left UNASSIGNED,
	 * DESTROYED, not in the L3 this thread remembered */
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_READ_ENTRY, RD, GIB, 3, 0, 0,
				 out));
	ASSERT_EQ(2ull, out[1]);
	ASSERT_EQ((uint64_t)RMI_ENTRY_UNASSIGNED, out[2]);
	ASSERT_EQ((uint64_t)RMI_RIPAS_DESTROYED, out[4]);
	/* [f4] a 4 KiB descriptor needs an L3: ERROR_RTT(2) */
	ASSERT_EQ(RMI_RETURN(RMI_ERROR_RTT, 2),
		  rmm_call(m, RMI_RTT_DATA_MAP, RD, GIB, GIB + 4096, 1, other,
			   out));

	/* remember the L2 (the walk above ended there), then the L3 again */
	ASSERT_EQ(-1, on_other_cpu(m, again, 2, &got)) TH_LOG("x0 %#llx",
		(unsigned long long)got);
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_READ_ENTRY, RD, GIB, 3, 0, 0,
				 out));
	ASSERT_EQ(3ull, out[1]);
	ASSERT_EQ((uint64_t)RMI_ENTRY_ASSIGNED, out[2]);
	ASSERT_EQ(G(301), out[3]);
	ASSERT_EQ(RMI_GRANULE_DATA, rmm_granule_state(m, G(301)));
	ASSERT_EQ(RMI_GRANULE_DELEGATED, rmm_granule_state(m, G(300)));

	/* this thread remembers the new L3; the other folds it */
	ASSERT_EQ(-1, on_other_cpu(m, fold, 2, &got)) TH_LOG("x0 %#llx",
		(unsigned long long)got);
	ASSERT_EQ(RMI_GRANULE_DELEGATED, rmm_granule_state(m, G(202)));
	ASSERT_EQ(0ull, rmm_call(m, RMI_RTT_READ_ENTRY, RD, GIB, 3, 0, 0,
				 out));
	ASSERT_EQ(2ull, out[1]);
	ASSERT_EQ((uint64_t)RMI_ENTRY_UNASSIGNED, out[2]);
	check_ok(_metadata, m);
	rmm_destroy(m);
}

TEST_HARNESS_MAIN
