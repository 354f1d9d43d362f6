// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench fuzzing: fuzz input -> a bounded sequence of RMI calls over a
 * small universe of addresses; its inverse, which turns the scenario
 * tests' calls into seeds; the executor; and the laws every call keeps
 * (tests/fuzz/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inject.h"
#include "rmi_seq.h"

#define K	(1ull << 10)
#define M	(1ull << 20)
#define G	(1ull << 30)
#define T	(1ull << 40)
#define PA_TOP	(1ull << SEQ_PA_BITS)

/* ---- the universe -------------------------------------------------------- */

/*
 * A PA byte below 0xf0: one of 15 bases plus 0..15 granules. g0..g63 for
 * RDs, roots, RTTs and RECs; two 2 MiB blocks at 2M and 4M (with the last
 * granule before each); a 1 GiB block at 1G; the end of the PA space
 * (where the scratch granules are) and one past it. 0xf0 and up: the PA
 * in the next five bytes.
 */
static const uint64_t pa_base[15] = {
	0, 64 * K, 128 * K, 192 * K,
	2 * M - 64 * K, 2 * M, 4 * M - 64 * K, 4 * M,
	6 * M - 64 * K, 1 * G, 1 * G + 2 * M, 2 * G - 64 * K,
	PA_TOP - 2 * M, PA_TOP - 64 * K, PA_TOP,
};
#define PA_RAW		0xf0

/* Sizes for the top of a range: blocks, a granule either side, nonsense. */
static const uint64_t range_size[16] = {
	4 * K, 8 * K, 16 * K, 64 * K,
	2 * M - 4 * K, 2 * M, 2 * M + 4 * K, 4 * M,
	1 * G - 4 * K, 1 * G, 2 * G, 0,
	(uint64_t)-4096, 512 * G, 1ull << 47, 0x800,
};

/*
 * An IPA byte: bits [3:0] a base, [6:4] granules on top, bit 7 the shared
 * half of the realm the op names. Base 13: the IPA in the next 8 bytes.
 */
static const uint64_t ipa_base[16] = {
	0, 2 * M - 32 * K, 2 * M, 4 * M,
	1 * G - 32 * K, 1 * G, 1 * G + 2 * M, 2 * G,
	3 * G, 512 * G - 32 * K, 512 * G, 1 * T - 32 * K,
	1ull << 47, 0 /* raw */, ~0xfffull, (256 * T) - 32 * K,
};
#define IPA_RAW		13

/* bits [2:0]; bit 3: the level in the next 8 bytes */
static const uint64_t level_val[8] = { 1, 2, 3, 3, 2, 0, 4, ~0ull };
#define LEVEL_RAW	8

/* REALM_CREATE's S2SZ, bits [2:0]; 0: the parameters in the next bytes */
static const unsigned int s2sz_val[8] = { 0, 40, 39, 48, 32, 36, 52, 31 };

/* a descriptor's count, bits [4:2]; 0: in the next 2 bytes */
static const unsigned int desc_count[8] = { 0, 1, 2, 3, 16, 512, 511, 1023 };
#define DESC_RAW	0x60	/* bits [6:5] both set: 8 raw bytes */

/* a map's address type, flags bits [1:0] */
static const unsigned int addr_type[4] = {
	RMI_ADDR_TYPE_SINGLE, RMI_ADDR_TYPE_LIST, RMI_ADDR_TYPE_NONE, 3,
};

static const unsigned int delegate_granules[4] = { 1, 4, 512, 1u << 18 };

static const uint64_t version_val[4] = { 0x20000, 0x10000, 0x20001, 0 };

/* the scratch NS granules, at the end of the PA space */
#define SCRATCH(i)	(PA_TOP - (1 + ((i) & 15)) * 4 * K)

uint64_t seq_scratch(unsigned int i)
{
	return SCRATCH(i);
}

enum {
	K_VERSION, K_FEATURES, K_RMM_ACTIVATE, K_DELEGATE, K_UNDELEGATE,
	K_REALM_CREATE, K_REALM_ACTIVATE, K_REALM_TERMINATE, K_REALM_DESTROY,
	K_REC_CREATE, K_REC_DESTROY, K_RTT_CREATE, K_RTT_DESTROY, K_RTT_FOLD,
	K_RTT_READ_ENTRY, K_INIT_RIPAS, K_SET_RIPAS, K_DATA_MAP_INIT,
	K_DATA_MAP, K_DATA_UNMAP, K_UNPROT_MAP, K_UNPROT_UNMAP,
	K_DELEGATE_LOOP, K_UNDELEGATE_LOOP, K_RIPAS_REQUEST, K_RAW,
	K_COUNT
};

/* ---- reading the input ------------------------------------------------------ */

static uint8_t byte(struct seq_dec *d)
{
	if (!d->n)
		return 0;
	d->n--;
	return *d->p++;
}

static uint64_t raw(struct seq_dec *d, unsigned int nbytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nbytes; i++)
		v |= (uint64_t)byte(d) << (8 * i);
	return v;
}

static uint64_t pa_of(uint8_t b)
{
	return pa_base[b >> 4] + (b & 15) * 4 * K;
}

static uint64_t pa(struct seq_dec *d)
{
	uint8_t b = byte(d);

	return b >= PA_RAW ? raw(d, 5) : pa_of(b);
}

/* RDs are mostly g1..g4; 0xf0 and up: a PA byte follows */
static uint64_t rd(struct seq_dec *d)
{
	uint8_t b = byte(d);

	return b < 0xf0 ? (1 + (b & 3)) * 4 * K : pa(d);
}

static unsigned int s2sz_of(const struct seq_dec *d, uint64_t r)
{
	for (unsigned int i = 0; i < d->nrd; i++)
		if (d->rd[i] == r)
			return d->s2sz[i];
	return 40;
}

static void note_realm(struct seq_dec *d, uint64_t r, unsigned int s2sz)
{
	unsigned int i;

	for (i = 0; i < d->nrd; i++)
		if (d->rd[i] == r)
			break;
	if (i == d->nrd) {
		if (d->nrd < 8)
			d->nrd++;
		else
			i = d->next_rd++ % 8;
	}
	d->rd[i] = r;
	d->s2sz[i] = s2sz;
}

static uint64_t ipa_of(uint8_t b, unsigned int s2sz)
{
	uint64_t a = ipa_base[b & 15] + ((b >> 4) & 7) * 4 * K;

	if ((b & 0x80) && s2sz >= 1 && s2sz <= 64)
		a += 1ull << (s2sz - 1);
	return a;
}

static uint64_t ipa(struct seq_dec *d, uint64_t r)
{
	uint8_t b = byte(d);

	return (b & 15) == IPA_RAW ? raw(d, 8) : ipa_of(b, s2sz_of(d, r));
}

/* the top of a range from @base: a size, or (bit 7) an address */
static uint64_t top(struct seq_dec *d, uint64_t base, bool is_pa,
		    uint64_t r)
{
	uint8_t b = byte(d);

	if (b & 0x80)
		return is_pa ? pa(d) : ipa(d, r);
	return base + range_size[b & 15] + ((b >> 4) & 7) * 4 * K;
}

static uint64_t level(struct seq_dec *d)
{
	uint8_t b = byte(d);

	return (b & LEVEL_RAW) ? raw(d, 8) : level_val[b & 7];
}

static uint64_t desc(struct seq_dec *d)
{
	uint8_t b = byte(d);
	unsigned int count = desc_count[(b >> 2) & 7];

	if ((b & DESC_RAW) == DESC_RAW)
		return raw(d, 8);
	if (!count)
		count = (unsigned int)raw(d, 2);
	return rmi_desc_encode(b & 3, count, pa(d), b >> 7);
}

/*
 * flags and oaddr of a map or unmap: SINGLE (a descriptor), LIST (a map:
 * 1..8 descriptors written to a scratch granule, the count one past them
 * if asked; an unmap: a count 0..7; oaddr the scratch granule or another
 * PA), NONE, or type 3; memattr and S2AP (which UNPROT_MAP reads).
 */
static void map_args(struct seq_dec *d, struct seq_op *op, bool unmap)
{
	uint8_t f = byte(d);
	unsigned int t = addr_type[f & 3], n = 0;

	if (t == RMI_ADDR_TYPE_LIST) {
		uint8_t l = byte(d);

		n = unmap ? (l & 7) : 1 + (l & 7);
		op->ns_pa = SCRATCH((l >> 3) & 7);
		if (!unmap) {
			for (unsigned int i = 0; i < n; i++) {
				uint64_t v = desc(d);

				memcpy(op->ns + 8 * i, &v, 8);
			}
			op->ns_len = 8 * n;
		}
		if (l & 0x40)
			n++;
		op->in.x[5] = (l & 0x80) ? pa(d) : op->ns_pa;
	} else if (t == RMI_ADDR_TYPE_SINGLE && !unmap) {
		op->in.x[5] = desc(d);
	}
	op->in.x[4] = rmi_flags_encode(t, n, (f >> 2) & 7, (f >> 5) & 7);
}

/* the number of root RTTs @s2sz needs from @level [f11.7], capped */
static unsigned int roots_for(unsigned int s2sz, int level)
{
	int x = (int)s2sz - (12 + 9 * (3 - level)) - 9;

	return x <= 0 ? 1 : x < 8 ? 1u << x : 256;
}

/*
 * REALM_CREATE: the parameter block (S2SZ from a table with the default
 * geometry or another, or every field from the input; rtt_base from the
 * universe) in a scratch granule.
 */
static void realm_create(struct seq_dec *d, struct seq_op *op)
{
	struct rmi_realm_params p = { 0 };
	uint64_t r = rd(d);
	uint8_t b = byte(d);

	p.s2sz = s2sz_val[b & 7];
	if (!p.s2sz) {
		p.s2sz = byte(d);
		p.rtt_level_start = (int8_t)byte(d);
		p.rtt_num_start = byte(d);
		p.flags = byte(d);
	} else {
		uint8_t g = byte(d);

		if (b & 8)
			p.flags |= RMI_REALM_FLAG_LPA2;
		if (b & 0x10)
			p.flags |= 2;		/* no such flag */
		p.rtt_level_start = rmi_start_level(p.s2sz);
		p.rtt_num_start = rmi_root_rtts(p.s2sz);
		if ((g & 3) == 2) {
			/* another geometry, its roots */
			p.rtt_level_start = (g >> 2) & 3;
			p.rtt_num_start = roots_for(p.s2sz,
						    p.rtt_level_start);
		} else if ((g & 3) == 3) {
			p.rtt_level_start = (int)((g >> 2) & 7) - 2;
			p.rtt_num_start = g >> 5;
		}
	}
	p.rtt_base = pa(d);
	op->in.x[1] = r;
	op->in.x[2] = SCRATCH(b >> 5);
	op->ns_pa = op->in.x[2];
	op->ns_len = sizeof(p);
	memcpy(op->ns, &p, sizeof(p));
	note_realm(d, r, p.s2sz);
}

void seq_begin(struct seq_dec *d, const uint8_t *data, size_t size,
	       struct seq_config *cfg)
{
	uint8_t c;

	memset(d, 0, sizeof(*d));
	d->p = data;
	d->n = size;
	c = byte(d);
	cfg->delegate_granules = delegate_granules[c & 3];
	cfg->lpa2 = c & 4;
	cfg->spec = c & 32;
	/*
	 * bit 3 clear: RMM_ACTIVATE first; bit 4 too: then a realm at g1
	 * (S2SZ 40, roots g2 and g3). Ordinary ops, ahead of the input's own.
	 */
	d->pro_len = (c & 8) ? 0 : (c & 16) ? 3 : 1;
	if (d->pro_len == 3)
		note_realm(d, 1 * 4 * K, 40);
}

/* step @i of the prologue */
static void prologue(struct seq_op *op, unsigned int i)
{
	struct rmi_realm_params p = {
		.s2sz = 40, .rtt_level_start = 1, .rtt_num_start = 2,
		.rtt_base = 2 * 4 * K,
	};

	switch (i) {
	case 0:
		op->in.x[0] = RMI_RMM_ACTIVATE;
		break;
	case 1:
		op->kind = SEQ_DELEGATE;
		op->in.x[1] = 1 * 4 * K;
		op->in.x[2] = 4 * 4 * K;
		break;
	default:
		op->in.x[0] = RMI_REALM_CREATE;
		op->in.x[1] = 1 * 4 * K;
		op->in.x[2] = SCRATCH(0);
		op->ns_pa = SCRATCH(0);
		op->ns_len = sizeof(p);
		memcpy(op->ns, &p, sizeof(p));
	}
}

/* the op whose kind byte was @kind; its arguments follow */
static void decode_op(struct seq_dec *d, unsigned int kind, struct seq_op *op)
{
	uint64_t r;

	memset(op, 0, sizeof(*op));
	op->kind = SEQ_SMC;
	switch (kind) {
	case K_VERSION: {
		uint8_t b = byte(d);

		op->in.x[0] = RMI_VERSION;
		op->in.x[1] = version_val[b & 3] ? version_val[b & 3] :
			      (uint64_t)b << 16;
		break;
	}
	case K_FEATURES:
		op->in.x[0] = RMI_FEATURES;
		op->in.x[1] = byte(d);
		break;
	case K_RMM_ACTIVATE:
		op->in.x[0] = RMI_RMM_ACTIVATE;
		break;
	case K_DELEGATE:
	case K_UNDELEGATE:
	case K_DELEGATE_LOOP:
	case K_UNDELEGATE_LOOP:
		op->in.x[1] = pa(d);
		op->in.x[2] = top(d, op->in.x[1], true, 0);
		if (kind == K_DELEGATE || kind == K_UNDELEGATE)
			op->in.x[0] = kind == K_DELEGATE ?
				      RMI_GRANULE_RANGE_DELEGATE :
				      RMI_GRANULE_RANGE_UNDELEGATE;
		else
			op->kind = kind == K_DELEGATE_LOOP ? SEQ_DELEGATE :
				   SEQ_UNDELEGATE;
		break;
	case K_REALM_CREATE:
		op->in.x[0] = RMI_REALM_CREATE;
		realm_create(d, op);
		break;
	case K_REALM_ACTIVATE:
	case K_REALM_TERMINATE:
	case K_REALM_DESTROY:
		op->in.x[0] = kind == K_REALM_ACTIVATE ? RMI_REALM_ACTIVATE :
			      kind == K_REALM_TERMINATE ? RMI_REALM_TERMINATE :
			      RMI_REALM_DESTROY;
		op->in.x[1] = rd(d);
		break;
	case K_REC_CREATE:
		op->in.x[0] = RMI_REC_CREATE;
		op->in.x[1] = rd(d);
		op->in.x[2] = pa(d);
		break;
	case K_REC_DESTROY:
		op->in.x[0] = RMI_REC_DESTROY;
		op->in.x[1] = pa(d);
		break;
	case K_RTT_CREATE:
		op->in.x[0] = RMI_RTT_CREATE;
		r = op->in.x[1] = rd(d);
		op->in.x[2] = pa(d);
		op->in.x[3] = ipa(d, r);
		op->in.x[4] = level(d);
		break;
	case K_RTT_DESTROY:
	case K_RTT_FOLD:
	case K_RTT_READ_ENTRY:
		op->in.x[0] = kind == K_RTT_DESTROY ? RMI_RTT_DESTROY :
			      kind == K_RTT_FOLD ? RMI_RTT_FOLD :
			      RMI_RTT_READ_ENTRY;
		r = op->in.x[1] = rd(d);
		op->in.x[2] = ipa(d, r);
		op->in.x[3] = level(d);
		break;
	case K_INIT_RIPAS:
		op->in.x[0] = RMI_RTT_INIT_RIPAS;
		r = op->in.x[1] = rd(d);
		op->in.x[2] = ipa(d, r);
		op->in.x[3] = top(d, op->in.x[2], false, r);
		break;
	case K_SET_RIPAS:
		op->in.x[0] = RMI_RTT_SET_RIPAS;
		r = op->in.x[1] = rd(d);
		op->in.x[2] = pa(d);
		op->in.x[3] = ipa(d, r);
		op->in.x[4] = top(d, op->in.x[3], false, r);
		break;
	case K_DATA_MAP_INIT:
		op->in.x[0] = RMI_DATA_MAP_INIT;
		r = op->in.x[1] = rd(d);
		op->in.x[2] = pa(d);
		op->in.x[3] = ipa(d, r);
		op->in.x[4] = pa(d);
		op->in.x[5] = byte(d);
		break;
	case K_DATA_MAP:
	case K_DATA_UNMAP:
	case K_UNPROT_MAP:
	case K_UNPROT_UNMAP:
		op->in.x[0] = kind == K_DATA_MAP ? RMI_RTT_DATA_MAP :
			      kind == K_DATA_UNMAP ? RMI_RTT_DATA_UNMAP :
			      kind == K_UNPROT_MAP ? RMI_RTT_UNPROT_MAP :
			      RMI_RTT_UNPROT_UNMAP;
		r = op->in.x[1] = rd(d);
		op->in.x[2] = ipa(d, r);
		op->in.x[3] = top(d, op->in.x[2], false, r);
		map_args(d, op, kind == K_DATA_UNMAP ||
				kind == K_UNPROT_UNMAP);
		break;
	case K_RIPAS_REQUEST: {
		uint8_t b;

		op->kind = SEQ_RIPAS_REQUEST;
		op->in.x[1] = pa(d);
		r = rd(d);
		op->in.x[2] = ipa(d, r);
		op->in.x[3] = top(d, op->in.x[2], false, r);
		b = byte(d);
		/* mostly EMPTY or RAM; any value below 0x10; 0xf0 and up:
		 * the value in the next 4 bytes */
		op->in.x[4] = b >= 0xf0 ? raw(d, 4) : b >= 0x10 ? (b & 1) : b;
		break;
	}
	case K_RAW: {
		/* any id in and past the RMI range, arguments from the PAs */
		uint8_t b = byte(d);

		op->in.x[0] = b == 0xff ? 0x84000000u :
			      RMI_FID_BASE | (RMI_SHORT_MIN + b);
		for (int i = 1; i <= 5; i++)
			op->in.x[i] = pa(d);
		break;
	}
	}
}

bool seq_next(struct seq_dec *d, struct seq_op *op)
{
	if (d->pro_step < d->pro_len) {
		memset(op, 0, sizeof(*op));
		op->kind = SEQ_SMC;
		prologue(op, d->pro_step++);
		return true;
	}
	if (d->ops >= SEQ_MAX_OPS || !d->n)
		return false;
	d->ops++;
	decode_op(d, byte(d) % K_COUNT, op);
	return true;
}

/* ---- the inverse: a call as input bytes (seeds) ------------------------------- */

static void put(struct seq_enc *e, uint8_t b)
{
	if (e->n < sizeof(e->buf))
		e->buf[e->n++] = b;
	else
		e->full = true;
}

static void put_raw(struct seq_enc *e, uint64_t v, unsigned int nbytes)
{
	for (unsigned int i = 0; i < nbytes; i++)
		put(e, (uint8_t)(v >> (8 * i)));
}

static void put_pa(struct seq_enc *e, uint64_t v)
{
	for (unsigned int b = 0; b < PA_RAW; b++) {
		if (pa_of((uint8_t)b) == v) {
			put(e, (uint8_t)b);
			return;
		}
	}
	put(e, PA_RAW);
	put_raw(e, v, 5);
}

static void put_rd(struct seq_enc *e, uint64_t v)
{
	if (v >= 4 * K && v <= 16 * K && !(v & 0xfff)) {
		put(e, (uint8_t)(v / (4 * K) - 1));
		return;
	}
	put(e, 0xf0);
	put_pa(e, v);
}

static void put_ipa(struct seq_enc *e, uint64_t v, uint64_t r)
{
	unsigned int s2sz = s2sz_of(&e->sh, r);

	for (unsigned int b = 0; b < 256; b++) {
		if ((b & 15) != IPA_RAW && ipa_of((uint8_t)b, s2sz) == v) {
			put(e, (uint8_t)b);
			return;
		}
	}
	put(e, IPA_RAW);
	put_raw(e, v, 8);
}

static void put_top(struct seq_enc *e, uint64_t base, uint64_t v, bool is_pa,
		    uint64_t r)
{
	for (unsigned int b = 0; b < 0x80; b++) {
		if (base + range_size[b & 15] + ((b >> 4) & 7) * 4 * K == v) {
			put(e, (uint8_t)b);
			return;
		}
	}
	put(e, 0x80);
	if (is_pa)
		put_pa(e, v);
	else
		put_ipa(e, v, r);
}

static void put_level(struct seq_enc *e, uint64_t v)
{
	for (unsigned int b = 0; b < 8; b++) {
		if (level_val[b] == v) {
			put(e, (uint8_t)b);
			return;
		}
	}
	put(e, LEVEL_RAW);
	put_raw(e, v, 8);
}

static void put_desc(struct seq_enc *e, uint64_t v)
{
	unsigned int c = RMI_DESC_COUNT(v), ci = 0;

	if (v != rmi_desc_encode(RMI_DESC_SIZE(v), c, RMI_DESC_ADDR(v),
				 RMI_DESC_STATE(v))) {
		put(e, DESC_RAW);
		put_raw(e, v, 8);
		return;
	}
	for (unsigned int i = 1; i < 8; i++)
		if (desc_count[i] == c)
			ci = i;
	put(e, (uint8_t)(RMI_DESC_SIZE(v) | ci << 2 | RMI_DESC_STATE(v) << 7));
	if (!ci)
		put_raw(e, c, 2);
	put_pa(e, RMI_DESC_ADDR(v));
}

/* flags and oaddr as map_args() reads them back */
static void put_map_args(struct seq_enc *e, const struct seq_op *op,
			 bool unmap)
{
	uint64_t f = op->in.x[4];
	unsigned int t = RMI_FLAGS_ADDR_TYPE(f), ti = 0;

	for (unsigned int i = 0; i < 4; i++)
		if (addr_type[i] == t)
			ti = i;
	put(e, (uint8_t)(ti | (RMI_FLAGS_MEMATTR(f) & 7) << 2 |
			 (RMI_FLAGS_S2AP(f) & 7) << 5));
	if (t == RMI_ADDR_TYPE_LIST) {
		unsigned int n = (unsigned int)(op->ns_len / 8), c;
		bool past = !unmap && RMI_FLAGS_LIST_COUNT(f) == n + 1;

		if (unmap)
			c = RMI_FLAGS_LIST_COUNT(f) & 7;
		else
			c = n >= 1 && n <= 8 ? n - 1 : 0;
		put(e, (uint8_t)(c | (past ? 0x40 : 0) |
				 (op->in.x[5] == SCRATCH(0) ? 0 : 0x80)));
		if (!unmap) {
			for (unsigned int i = 0; i <= c; i++) {
				uint64_t v = 0;

				memcpy(&v, op->ns + 8 * i, 8);
				put_desc(e, v);
			}
		}
		if (op->in.x[5] != SCRATCH(0))
			put_pa(e, op->in.x[5]);
	} else if (t == RMI_ADDR_TYPE_SINGLE && !unmap) {
		put_desc(e, op->in.x[5]);
	}
}

static void put_realm_create(struct seq_enc *e, const struct seq_op *op)
{
	struct rmi_realm_params p;

	memcpy(&p, op->ns, sizeof(p));
	put_rd(e, op->in.x[1]);
	/* every field as it is: the raw form */
	put(e, 0);
	put(e, (uint8_t)p.s2sz);
	put(e, (uint8_t)p.rtt_level_start);
	put(e, (uint8_t)p.rtt_num_start);
	put(e, (uint8_t)p.flags);
	put_pa(e, p.rtt_base);
}

void seq_enc_begin(struct seq_enc *e, const struct seq_config *cfg)
{
	uint8_t c = 8;	/* no prologue: a seed says everything */

	memset(e, 0, sizeof(*e));
	for (unsigned int i = 0; i < 4; i++)
		if (delegate_granules[i] == cfg->delegate_granules)
			c |= (uint8_t)i;
	if (cfg->lpa2)
		c |= 4;
	if (cfg->spec)
		c |= 32;
	put(e, c);
	seq_begin(&e->sh, e->buf, 1, &(struct seq_config){ 0 });
}

static bool same_op(const struct seq_op *a, const struct seq_op *b)
{
	return a->kind == b->kind &&
	       !memcmp(a->in.x, b->in.x, 6 * sizeof(a->in.x[0])) &&
	       a->ns_len == b->ns_len && !memcmp(a->ns, b->ns, a->ns_len);
}

int seq_enc_op(struct seq_enc *e, const struct seq_op *op)
{
	static const struct { uint32_t fid; unsigned int kind; } kinds[] = {
		{ RMI_VERSION, K_VERSION }, { RMI_FEATURES, K_FEATURES },
		{ RMI_RMM_ACTIVATE, K_RMM_ACTIVATE },
		{ RMI_GRANULE_RANGE_DELEGATE, K_DELEGATE },
		{ RMI_GRANULE_RANGE_UNDELEGATE, K_UNDELEGATE },
		{ RMI_REALM_CREATE, K_REALM_CREATE },
		{ RMI_REALM_ACTIVATE, K_REALM_ACTIVATE },
		{ RMI_REALM_TERMINATE, K_REALM_TERMINATE },
		{ RMI_REALM_DESTROY, K_REALM_DESTROY },
		{ RMI_REC_CREATE, K_REC_CREATE },
		{ RMI_REC_DESTROY, K_REC_DESTROY },
		{ RMI_RTT_CREATE, K_RTT_CREATE },
		{ RMI_RTT_DESTROY, K_RTT_DESTROY },
		{ RMI_RTT_FOLD, K_RTT_FOLD },
		{ RMI_RTT_READ_ENTRY, K_RTT_READ_ENTRY },
		{ RMI_RTT_INIT_RIPAS, K_INIT_RIPAS },
		{ RMI_RTT_SET_RIPAS, K_SET_RIPAS },
		{ RMI_DATA_MAP_INIT, K_DATA_MAP_INIT },
		{ RMI_RTT_DATA_MAP, K_DATA_MAP },
		{ RMI_RTT_DATA_UNMAP, K_DATA_UNMAP },
		{ RMI_RTT_UNPROT_MAP, K_UNPROT_MAP },
		{ RMI_RTT_UNPROT_UNMAP, K_UNPROT_UNMAP },
	};
	const uint64_t *x = op->in.x;
	unsigned int kind = K_RAW;
	struct seq_dec d;
	struct seq_op got;
	size_t start = e->n;

	if (e->sh.ops >= SEQ_MAX_OPS)
		return -1;
	if (op->kind == SEQ_DELEGATE || op->kind == SEQ_UNDELEGATE)
		kind = op->kind == SEQ_DELEGATE ? K_DELEGATE_LOOP :
		       K_UNDELEGATE_LOOP;
	else if (op->kind == SEQ_RIPAS_REQUEST)
		kind = K_RIPAS_REQUEST;
	else
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (kinds[i].fid == x[0])
				kind = kinds[i].kind;
	put(e, (uint8_t)kind);
	switch (kind) {
	case K_VERSION: {
		unsigned int b = 3;

		for (unsigned int i = 0; i < 3; i++)
			if (version_val[i] == x[1])
				b = i;
		if (b == 3 && !(x[1] & 0xffff) && (x[1] >> 16) < 256 &&
		    ((x[1] >> 16) & 3) == 3)
			b = (unsigned int)(x[1] >> 16);
		put(e, (uint8_t)b);
		break;
	}
	case K_FEATURES:
		put(e, (uint8_t)x[1]);
		break;
	case K_RMM_ACTIVATE:
		break;
	case K_DELEGATE:
	case K_UNDELEGATE:
	case K_DELEGATE_LOOP:
	case K_UNDELEGATE_LOOP:
		put_pa(e, x[1]);
		put_top(e, x[1], x[2], true, 0);
		break;
	case K_REALM_CREATE:
		put_realm_create(e, op);
		break;
	case K_REALM_ACTIVATE:
	case K_REALM_TERMINATE:
	case K_REALM_DESTROY:
		put_rd(e, x[1]);
		break;
	case K_REC_CREATE:
		put_rd(e, x[1]);
		put_pa(e, x[2]);
		break;
	case K_REC_DESTROY:
		put_pa(e, x[1]);
		break;
	case K_RTT_CREATE:
		put_rd(e, x[1]);
		put_pa(e, x[2]);
		put_ipa(e, x[3], x[1]);
		put_level(e, x[4]);
		break;
	case K_RTT_DESTROY:
	case K_RTT_FOLD:
	case K_RTT_READ_ENTRY:
		put_rd(e, x[1]);
		put_ipa(e, x[2], x[1]);
		put_level(e, x[3]);
		break;
	case K_INIT_RIPAS:
		put_rd(e, x[1]);
		put_ipa(e, x[2], x[1]);
		put_top(e, x[2], x[3], false, x[1]);
		break;
	case K_SET_RIPAS:
		put_rd(e, x[1]);
		put_pa(e, x[2]);
		put_ipa(e, x[3], x[1]);
		put_top(e, x[3], x[4], false, x[1]);
		break;
	case K_DATA_MAP_INIT:
		put_rd(e, x[1]);
		put_pa(e, x[2]);
		put_ipa(e, x[3], x[1]);
		put_pa(e, x[4]);
		put(e, (uint8_t)x[5]);
		break;
	case K_DATA_MAP:
	case K_DATA_UNMAP:
	case K_UNPROT_MAP:
	case K_UNPROT_UNMAP:
		put_rd(e, x[1]);
		put_ipa(e, x[2], x[1]);
		put_top(e, x[2], x[3], false, x[1]);
		put_map_args(e, op, kind == K_DATA_UNMAP ||
				    kind == K_UNPROT_UNMAP);
		break;
	case K_RIPAS_REQUEST:
		put_pa(e, x[1]);
		put_rd(e, 4 * K);
		put_ipa(e, x[2], 4 * K);
		put_top(e, x[2], x[3], false, 4 * K);
		if (x[4] < 0x10) {
			put(e, (uint8_t)x[4]);
		} else {
			put(e, 0xf0);
			put_raw(e, x[4], 4);
		}
		break;
	default:
		put(e, (x[0] & ~0x3ffull) == RMI_FID_BASE &&
		       (x[0] & 0x3ff) >= RMI_SHORT_MIN &&
		       (x[0] & 0x3ff) - RMI_SHORT_MIN < 0xff ?
		       (uint8_t)((x[0] & 0x3ff) - RMI_SHORT_MIN) : 0xff);
		for (int i = 1; i <= 5; i++)
			put_pa(e, x[i]);
	}
	if (e->full)
		return -1;
	/* read it back as the fuzz target will */
	d = e->sh;
	d.p = e->buf + start + 1;
	d.n = e->n - start - 1;
	decode_op(&d, kind, &got);
	if (d.n) {
		/* bytes the decoder would take for the next op: a bug here */
		fprintf(stderr, "seq_enc_op: %zu bytes too many for kind %u\n",
			d.n, kind);
		abort();
	}
	d.ops++;
	e->sh = d;
	return same_op(&got, op) ? 0 : 1;
}
/* ---- running it ------------------------------------------------------------- */

struct rmm *seq_model(const struct seq_config *cfg,
		      const struct rmm_profile *prof)
{
	struct rmm_config mc = {
		.profile = prof,
		.delegate_granules = cfg->delegate_granules,
		.pa_bits = SEQ_PA_BITS,
		.lpa2 = cfg->lpa2,
	};

	return rmm_create(&mc);
}

void seq_prepare(struct rmm *m, const struct seq_op *op)
{
	/* scratch granules are aligned and the bytes fit: it cannot fail */
	if (op->ns_len)
		rmm_ns_write(m, op->ns_pa, op->ns, op->ns_len);
}

void seq_exec(struct rmm *m, const struct seq_op *op, struct seq_result *res)
{
	memset(res, 0, sizeof(*res));
	switch (op->kind) {
	case SEQ_SMC:
		rmm_smc(m, &op->in, &res->out);
		res->calls = 1;
		break;
	case SEQ_DELEGATE:
	case SEQ_UNDELEGATE: {
		/* the host's loop, bounded; it stops on the first error */
		uint64_t base = op->in.x[1];
		struct rmm_regs in = { .x = {
			op->kind == SEQ_DELEGATE ? RMI_GRANULE_RANGE_DELEGATE :
			RMI_GRANULE_RANGE_UNDELEGATE, base, op->in.x[2] } };

		do {
			in.x[1] = base;
			rmm_smc(m, &in, &res->out);
			res->calls++;
			if (RMI_RETURN_STATUS(res->out.x[0]) != RMI_SUCCESS)
				break;
			res->progress += res->out.x[1] - base;
			base = res->out.x[1];
		} while (base < op->in.x[2] && res->calls < SEQ_LOOP_MAX);
		break;
	}
	case SEQ_RIPAS_REQUEST:
		res->out.x[0] = (uint64_t)(int64_t)rmm_rec_request_ripas(
			m, op->in.x[1], op->in.x[2], op->in.x[3],
			(unsigned int)op->in.x[4]);
		break;
	}
}

uint64_t seq_moved(const struct seq_op *op, const struct seq_result *res)
{
	if (op->kind == SEQ_DELEGATE || op->kind == SEQ_UNDELEGATE)
		return res->progress >> 12;
	if (op->kind == SEQ_SMC && res->out.x[0] == RMI_SUCCESS &&
	    (op->in.x[0] == RMI_GRANULE_RANGE_DELEGATE ||
	     op->in.x[0] == RMI_GRANULE_RANGE_UNDELEGATE))
		return (res->out.x[1] - op->in.x[1]) >> 12;
	return 0;
}

void seq_describe(const struct seq_op *op, char *buf, size_t len)
{
	const char *name = op->kind == SEQ_DELEGATE ? "DELEGATE loop" :
			   op->kind == SEQ_UNDELEGATE ? "UNDELEGATE loop" :
			   op->kind == SEQ_RIPAS_REQUEST ? "RIPAS request" :
			   rmi_cmd_name((uint32_t)op->in.x[0]);

	snprintf(buf, len, "%s (fid %#llx) x1=%#llx x2=%#llx x3=%#llx "
		 "x4=%#llx x5=%#llx", name ? name : "?",
		 (unsigned long long)op->in.x[0],
		 (unsigned long long)op->in.x[1],
		 (unsigned long long)op->in.x[2],
		 (unsigned long long)op->in.x[3],
		 (unsigned long long)op->in.x[4],
		 (unsigned long long)op->in.x[5]);
}

void seq_trace(const char *who, unsigned int n, const struct seq_op *op,
	       const struct seq_result *res)
{
	static int on = -1;
	char what[256];

	if (on < 0)
		on = getenv("FUZZ_TRACE") != NULL;
	if (!on)
		return;
	seq_describe(op, what, sizeof(what));
	fprintf(stderr, "%s %u: %s -> %#llx %#llx %#llx %#llx %#llx (%u calls)\n",
		who, n, what, (unsigned long long)res->out.x[0],
		(unsigned long long)res->out.x[1],
		(unsigned long long)res->out.x[2],
		(unsigned long long)res->out.x[3],
		(unsigned long long)res->out.x[4], res->calls);
}

/* ---- the laws ---------------------------------------------------------------- */

void seq_snapshot(struct rmm *m, struct seq_snapshot *s)
{
	s->hash = rmm_state_hash(m);
	rmm_get_stats(m, &s->st);
}

#define FAIL(...)	do { snprintf(why, len, __VA_ARGS__); return -1; } while (0)

static int track_find(const struct seq_track *t, uint64_t rd)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (t->rd[i] == rd)
			return (int)i;
	return -1;
}

/*
 * The granule counts moved as the command may move them: @d is the change
 * per state, @dl the change of live non-root RTTs.
 */
static int check_counts(const struct seq_op *op, const struct seq_result *res,
			uint32_t fid, bool ok, const int64_t *d, int64_t dl,
			char *why, size_t len)
{
	int64_t want[RMI_GRANULE_STATE_COUNT] = { 0 }, want_live = 0;
	const uint64_t *x = op->in.x, *o = res->out.x;
	struct rmi_realm_params p;

	if (ok) {
		switch (fid) {
		case RMI_GRANULE_RANGE_DELEGATE:
		case RMI_GRANULE_RANGE_UNDELEGATE:
			want[RMI_GRANULE_DELEGATED] =
				(int64_t)(res->progress >> 12) *
				(fid == RMI_GRANULE_RANGE_DELEGATE ? 1 : -1);
			break;
		case RMI_REALM_CREATE:
			/* an RD and its roots (a raw call's parameters are
			 * whatever the NS granule held: count the roots) */
			if (d[RMI_GRANULE_RTT] < 1 || d[RMI_GRANULE_RTT] > 16 ||
			    (op->ns_len && (memcpy(&p, op->ns, sizeof(p)),
					    d[RMI_GRANULE_RTT] != p.rtt_num_start)))
				FAIL("REALM_CREATE made %lld root RTTs",
				     (long long)d[RMI_GRANULE_RTT]);
			want[RMI_GRANULE_RD] = 1;
			want[RMI_GRANULE_RTT] = d[RMI_GRANULE_RTT];
			want[RMI_GRANULE_DELEGATED] = -1 - d[RMI_GRANULE_RTT];
			break;
		case RMI_REALM_DESTROY:
			/* its roots, however many */
			if (d[RMI_GRANULE_RTT] > -1 || d[RMI_GRANULE_RTT] < -16)
				FAIL("REALM_DESTROY freed %lld root RTTs",
				     (long long)-d[RMI_GRANULE_RTT]);
			want[RMI_GRANULE_RD] = -1;
			want[RMI_GRANULE_RTT] = d[RMI_GRANULE_RTT];
			want[RMI_GRANULE_DELEGATED] = 1 - d[RMI_GRANULE_RTT];
			break;
		case RMI_REC_CREATE:
		case RMI_REC_DESTROY:
			want[RMI_GRANULE_REC] = fid == RMI_REC_CREATE ? 1 : -1;
			want[RMI_GRANULE_DELEGATED] = -want[RMI_GRANULE_REC];
			break;
		case RMI_RTT_CREATE:
		case RMI_RTT_DESTROY:
		case RMI_RTT_FOLD:
			want_live = fid == RMI_RTT_CREATE ? 1 : -1;
			want[RMI_GRANULE_RTT] = want_live;
			want[RMI_GRANULE_DELEGATED] = -want_live;
			break;
		case RMI_DATA_MAP_INIT:
			want[RMI_GRANULE_DATA] = 1;
			want[RMI_GRANULE_DELEGATED] = -1;
			break;
		case RMI_RTT_DATA_MAP:
			/* k pages mapped, at most the range reported; none
			 * only where the same mapping was there already */
			if (d[RMI_GRANULE_DATA] < 0 ||
			    (uint64_t)d[RMI_GRANULE_DATA] << 12 > o[1] - x[2])
				FAIL("RTT_DATA_MAP to %#llx made %lld DATA granules",
				     (unsigned long long)o[1],
				     (long long)d[RMI_GRANULE_DATA]);
			want[RMI_GRANULE_DATA] = d[RMI_GRANULE_DATA];
			want[RMI_GRANULE_DELEGATED] = -d[RMI_GRANULE_DATA];
			break;
		case RMI_RTT_DATA_UNMAP:
			/* exactly what the descriptor in x2 says */
			want[RMI_GRANULE_DATA] =
				o[2] ? -(int64_t)(rmi_desc_bytes(o[2]) >> 12) : 0;
			want[RMI_GRANULE_DELEGATED] = -want[RMI_GRANULE_DATA];
			break;
		default:
			break;
		}
	}
	for (int s = 1; s < RMI_GRANULE_STATE_COUNT; s++)
		if (d[s] != want[s])
			FAIL("%s granules changed by %lld, expected %lld",
			     rmi_granule_state_name((unsigned int)s),
			     (long long)d[s], (long long)want[s]);
	if (dl != want_live)
		FAIL("live RTTs changed by %lld, expected %lld", (long long)dl,
		     (long long)want_live);
	return 0;
}

/* A range command's x1 on SUCCESS: past base, at most top. */
static bool range_fid(uint32_t fid)
{
	switch (fid) {
	case RMI_GRANULE_RANGE_DELEGATE:
	case RMI_GRANULE_RANGE_UNDELEGATE:
	case RMI_RTT_DATA_MAP:
	case RMI_RTT_DATA_UNMAP:
	case RMI_RTT_UNPROT_MAP:
	case RMI_RTT_UNPROT_UNMAP:
	case RMI_RTT_INIT_RIPAS:
		return true;
	default:
		return false;
	}
}

/*
 * The realm's access to the op's IPA (rmm_guest_access) agrees with what
 * RTT_READ_ENTRY reads there [f7].
 */
static int check_access(struct rmm *m, uint32_t fid, const uint64_t *x,
			const struct seq_track *t, char *why, size_t len)
{
	uint64_t ipa, out[5], prot;
	enum rmm_access a, want;
	int i = track_find(t, x[1]);

	if (i < 0 || !inj_call_ipa(fid, x, &ipa))
		return 0;
	ipa &= ~0xfffull;
	if (ipa >> t->s2sz[i])
		return 0;
	prot = 1ull << (t->s2sz[i] - 1);
	if (rmm_call(m, RMI_RTT_READ_ENTRY, x[1], ipa, 3, 0, 0, out) !=
	    RMI_SUCCESS)
		FAIL("RTT_READ_ENTRY of a live realm at %#llx failed: %#llx",
		     (unsigned long long)ipa, (unsigned long long)out[0]);
	a = rmm_guest_access(m, x[1], ipa);
	if (ipa >= prot)
		want = out[2] == RMI_ENTRY_ASSIGNED ? RMM_ACCESS_OK :
						      RMM_ACCESS_FAULT;
	else if (out[4] == RMI_RIPAS_EMPTY)
		want = RMM_ACCESS_ABORT;
	else if (out[4] == RMI_RIPAS_RAM)
		want = out[2] == RMI_ENTRY_ASSIGNED ? RMM_ACCESS_OK :
						      RMM_ACCESS_FAULT;
	else
		want = out[2] == RMI_ENTRY_ASSIGNED ? RMM_ACCESS_ABORT :
						      RMM_ACCESS_FAULT;
	if (a != want)
		FAIL("access to %#llx is %d, RTT_READ_ENTRY reads state %llu "
		     "RIPAS %llu", (unsigned long long)ipa, a,
		     (unsigned long long)out[2], (unsigned long long)out[4]);
	return 0;
}

/*
 * What a successful call leaves behind, read back with RTT_READ_ENTRY
 * (x1 walk level, x2 state, x3 address, x4 RIPAS) [f2, f7, f9.7].
 */
static int check_post(struct rmm *m, uint32_t fid, const uint64_t *x,
		      const uint64_t *o, const struct seq_track *t, char *why,
		      size_t len)
{
	uint64_t e[5], ipa = 0, lvl = 3, prot;
	int i = track_find(t, x[1]);

	if (i < 0)
		return 0;
	prot = 1ull << (t->s2sz[i] - 1);
	switch (fid) {
	case RMI_RTT_CREATE:
		ipa = x[3];
		lvl = x[4] - 1;
		break;
	case RMI_RTT_DESTROY:
	case RMI_RTT_FOLD:
		ipa = x[2];
		lvl = x[3] - 1;
		break;
	case RMI_DATA_MAP_INIT:
		ipa = x[3];
		break;
	case RMI_RTT_INIT_RIPAS:
	case RMI_RTT_DATA_MAP:
	case RMI_RTT_DATA_UNMAP:
	case RMI_RTT_UNPROT_MAP:
	case RMI_RTT_UNPROT_UNMAP:
		ipa = x[2];
		break;
	case RMI_RTT_SET_RIPAS:
		ipa = x[3];
		break;
	default:
		return 0;
	}
	if (rmm_call(m, RMI_RTT_READ_ENTRY, x[1], ipa, lvl, 0, 0, e) !=
	    RMI_SUCCESS)
		FAIL("RTT_READ_ENTRY %#llx level %llu after it failed: %#llx",
		     (unsigned long long)ipa, (unsigned long long)lvl,
		     (unsigned long long)e[0]);
	switch (fid) {
	case RMI_RTT_CREATE:
		/* the parent entry is the new table */
		if (e[1] != lvl || e[2] != RMI_ENTRY_TABLE || e[3] != x[2])
			FAIL("after RTT_CREATE the entry reads level %llu "
			     "state %llu at %#llx", (unsigned long long)e[1],
			     (unsigned long long)e[2], (unsigned long long)e[3]);
		break;
	case RMI_RTT_DESTROY:
		/* [f7] VOID, and DESTROYED in the protected half */
		if (e[2] != RMI_ENTRY_UNASSIGNED ||
		    (ipa < prot && e[4] != RMI_RIPAS_DESTROYED))
			FAIL("after RTT_DESTROY the entry reads state %llu "
			     "RIPAS %llu", (unsigned long long)e[2],
			     (unsigned long long)e[4]);
		break;
	case RMI_RTT_FOLD:
		if (e[2] == RMI_ENTRY_TABLE)
			FAIL("after RTT_FOLD the entry is still a table");
		break;
	case RMI_DATA_MAP_INIT:
		/* [f9.7] DATA_MAP_INIT sets RAM */
		if (e[2] != RMI_ENTRY_ASSIGNED || e[3] != x[2] ||
		    e[4] != RMI_RIPAS_RAM)
			FAIL("after DATA_MAP_INIT the page reads state %llu "
			     "%#llx RIPAS %llu", (unsigned long long)e[2],
			     (unsigned long long)e[3], (unsigned long long)e[4]);
		break;
	case RMI_RTT_INIT_RIPAS:
		if (e[4] != RMI_RIPAS_RAM)
			FAIL("after RTT_INIT_RIPAS the base reads RIPAS %llu",
			     (unsigned long long)e[4]);
		break;
	case RMI_RTT_SET_RIPAS: {
		unsigned int want = ~0u;

		for (unsigned int k = 0; k < t->nrec; k++)
			if (t->rec[k] == x[2])
				want = t->ripas[k];
		if (want != ~0u && e[4] != want)
			FAIL("after RTT_SET_RIPAS the base reads RIPAS %llu, "
			     "the request was %u", (unsigned long long)e[4],
			     want);
		break;
	}
	case RMI_RTT_DATA_MAP:
	case RMI_RTT_UNPROT_MAP:
		if (e[2] != RMI_ENTRY_ASSIGNED)
			FAIL("after a map the base reads state %llu",
			     (unsigned long long)e[2]);
		break;
	case RMI_RTT_DATA_UNMAP:
	case RMI_RTT_UNPROT_UNMAP:
		/* [f9.7] nothing mapped at base now, and no RAM */
		if (o[2] && (e[2] == RMI_ENTRY_ASSIGNED ||
			     (ipa < prot && e[4] == RMI_RIPAS_RAM)))
			FAIL("after an unmap the base reads state %llu "
			     "RIPAS %llu", (unsigned long long)e[2],
			     (unsigned long long)e[4]);
		break;
	}
	return 0;
}

int seq_check(struct rmm *m, const struct seq_op *op,
	      const struct seq_result *res, const struct seq_snapshot *before,
	      struct seq_snapshot *after, struct seq_track *t, char *why,
	      size_t len)
{
	const uint64_t *x = op->in.x, *o = res->out.x;
	uint64_t x0 = o[0], mapped = 0;
	unsigned int st = RMI_RETURN_STATUS(x0), idx = RMI_RETURN_INDEX(x0);
	int64_t d[RMI_GRANULE_STATE_COUNT] = { 0 };
	uint32_t fid;
	bool is_cmd, ok;
	char w[256];

	seq_snapshot(m, after);
	if (rmm_check(m, w, sizeof(w)))
		FAIL("invariant: %s", w);
	for (int s = 1; s < RMI_GRANULE_STATE_COUNT; s++)
		d[s] = (int64_t)(after->st.granules[s] - before->st.granules[s]);

	if (op->kind == SEQ_RIPAS_REQUEST) {
		/* 0 or -1; a refused request changes nothing */
		if (x0 && x0 != (uint64_t)-1)
			FAIL("rmm_rec_request_ripas returned %lld", (long long)x0);
		if (x0 && after->hash != before->hash)
			FAIL("a refused RIPAS request changed the state");
		if (!x0) {
			unsigned int k;

			for (k = 0; k < t->nrec; k++)
				if (t->rec[k] == x[1])
					break;
			if (k == t->nrec && k < 16)
				t->rec[t->nrec++] = x[1];
			if (k < 16)
				t->ripas[k] = (unsigned int)x[4];
		}
		return check_counts(op, res, 0, false, d,
				    (int64_t)(after->st.rtts_live -
					      before->st.rtts_live), why, len);
	}
	fid = op->kind == SEQ_DELEGATE ? RMI_GRANULE_RANGE_DELEGATE :
	      op->kind == SEQ_UNDELEGATE ? RMI_GRANULE_RANGE_UNDELEGATE :
	      (uint32_t)x[0];
	is_cmd = rmi_cmd_index(fid) < RMI_CMD_COUNT;

	/* x0: a status and an index only ERROR_RTT uses, a level */
	if (x0 == SMCCC_RET_NOT_SUPPORTED) {
		if (is_cmd)
			FAIL("an RMI command answered NOT_SUPPORTED");
	} else if (!is_cmd && !(st == RMI_ERROR_GLOBAL && !t->activated)) {
		FAIL("id %#x is no RMI command but answered %#llx", fid,
		     (unsigned long long)x0);
	} else if ((x0 >> 16) || st >= RMI_STATUS_COUNT ||
		   (st == RMI_ERROR_RTT ? idx > 3 : idx != 0)) {
		FAIL("malformed x0 %#llx", (unsigned long long)x0);
	}
	/* [f1] nothing but RMM_ACTIVATE before RMM_ACTIVATE */
	if (is_cmd && !t->activated && fid != RMI_RMM_ACTIVATE &&
	    x0 != RMI_RETURN(RMI_ERROR_GLOBAL, 0))
		FAIL("answered %#llx before RMM_ACTIVATE",
		     (unsigned long long)x0);
	ok = x0 == RMI_SUCCESS ||
	     (op->kind != SEQ_SMC && res->progress);

	if (op->kind == SEQ_SMC && x0 != RMI_SUCCESS && t->activated) {
		/* [f11.1] failing range commands report no progress */
		if ((fid == RMI_RTT_DATA_MAP || fid == RMI_RTT_UNPROT_MAP ||
		     fid == RMI_RTT_DATA_UNMAP || fid == RMI_RTT_UNPROT_UNMAP) &&
		    (o[1] || o[2] || o[3] || o[4]))
			FAIL("failed with x1..x4 = %#llx %#llx %#llx %#llx",
			     (unsigned long long)o[1], (unsigned long long)o[2],
			     (unsigned long long)o[3], (unsigned long long)o[4]);
		/* [f9.2] a failing range (un)delegate: x1 is the base */
		if ((fid == RMI_GRANULE_RANGE_DELEGATE ||
		     fid == RMI_GRANULE_RANGE_UNDELEGATE) && o[1] != x[1])
			FAIL("failed with x1 %#llx, not the base",
			     (unsigned long long)o[1]);
	}
	/* a call that fails changes nothing; so does a call that reads */
	if ((!ok || fid == RMI_RTT_READ_ENTRY || fid == RMI_VERSION ||
	     fid == RMI_FEATURES || (fid == RMI_RMM_ACTIVATE && t->activated)) &&
	    after->hash != before->hash)
		FAIL("answered %#llx and changed the state",
		     (unsigned long long)x0);

	if (op->kind == SEQ_SMC && x0 == RMI_SUCCESS) {
		/* a range command's progress lies inside the range */
		if (range_fid(fid) && (o[1] <= x[fid == RMI_GRANULE_RANGE_DELEGATE ||
					     fid == RMI_GRANULE_RANGE_UNDELEGATE ? 1 : 2] ||
				       o[1] > x[fid == RMI_GRANULE_RANGE_DELEGATE ||
						fid == RMI_GRANULE_RANGE_UNDELEGATE ? 2 : 3]))
			FAIL("x1 %#llx outside the range",
			     (unsigned long long)o[1]);
		if (fid == RMI_RTT_READ_ENTRY &&
		    (o[1] > x[3] || o[2] > RMI_ENTRY_TABLE || o[4] > 3 ||
		     (o[2] == RMI_ENTRY_TABLE && o[1] != x[3])))
			FAIL("RTT_READ_ENTRY read level %llu state %llu RIPAS %llu",
			     (unsigned long long)o[1], (unsigned long long)o[2],
			     (unsigned long long)o[4]);
		/* [f11.2] x3 counts list entries written */
		if ((fid == RMI_RTT_DATA_UNMAP || fid == RMI_RTT_UNPROT_UNMAP) &&
		    o[3] != (RMI_FLAGS_ADDR_TYPE(x[4]) == RMI_ADDR_TYPE_LIST &&
			     o[2] ? 1u : 0u))
			FAIL("unmap answered x3 = %llu", (unsigned long long)o[3]);
	}
	{
		struct seq_result r = *res;

		if (op->kind == SEQ_SMC && ok &&
		    (fid == RMI_GRANULE_RANGE_DELEGATE ||
		     fid == RMI_GRANULE_RANGE_UNDELEGATE))
			r.progress = o[1] - x[1];
		if (check_counts(op, &r, fid, ok, d,
				 (int64_t)(after->st.rtts_live -
					   before->st.rtts_live), why, len))
			return -1;
	}

	if (op->kind == SEQ_SMC && x0 == RMI_SUCCESS &&
	    check_post(m, fid, x, o, t, why, len))
		return -1;

	/* the realms live now */
	if (fid == RMI_RMM_ACTIVATE && ok)
		t->activated = true;
	if (fid == RMI_REALM_CREATE && ok && t->n < 64) {
		/* its S2SZ: the first IPA RTT_READ_ENTRY refuses */
		unsigned int s2sz = 32;

		while (s2sz < 64 && rmm_call(m, RMI_RTT_READ_ENTRY, x[1],
					     1ull << s2sz, 3, 0, 0, NULL) ==
				    RMI_SUCCESS)
			s2sz++;
		if (op->ns_len) {
			struct rmi_realm_params p;

			memcpy(&p, op->ns, sizeof(p));
			if (p.s2sz != s2sz)
				FAIL("a realm of S2SZ %u takes IPAs up to 2^%u",
				     p.s2sz, s2sz);
		}
		t->rd[t->n] = x[1];
		t->s2sz[t->n++] = s2sz;
	}
	if (fid == RMI_REC_DESTROY && ok) {
		for (unsigned int k = 0; k < t->nrec; k++) {
			if (t->rec[k] == x[1]) {
				t->rec[k] = t->rec[--t->nrec];
				t->ripas[k] = t->ripas[t->nrec];
				break;
			}
		}
	}
	if (fid == RMI_REALM_DESTROY && ok) {
		int i = track_find(t, x[1]);

		if (i < 0)
			FAIL("REALM_DESTROY of a realm never made");
		t->rd[i] = t->rd[--t->n];
		t->s2sz[i] = t->s2sz[t->n];
	}
	/* every DATA granule is mapped once, in a protected half */
	for (unsigned int i = 0; i < t->n; i++) {
		uint64_t b[4];

		if (rmm_realm_mapped_bytes(m, t->rd[i], 0,
					   1ull << (t->s2sz[i] - 1), b))
			FAIL("realm %#llx is gone", (unsigned long long)t->rd[i]);
		mapped += b[1] + b[2] + b[3];
	}
	if (mapped != after->st.granules[RMI_GRANULE_DATA] << 12)
		FAIL("%llu bytes mapped in protected halves, %llu DATA granules",
		     (unsigned long long)mapped,
		     (unsigned long long)after->st.granules[RMI_GRANULE_DATA]);
	return check_access(m, fid, x, t, why, len);
}
