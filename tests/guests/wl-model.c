// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench guests: the counts a workload must give, derived from the
 * pattern library alone (no VM): per vCPU the pages of its range, the
 * accesses and writes it makes, and the pages whose first access reads
 * and a later one writes (each costs a normal VM on anonymous memory two
 * more stage-2 faults: tests/guests/README.md). Takes the VMM's workload
 * options (--backing is taken and has no effect); prints "vcpu=I pages=P accesses=A writes=W read_then_write=R"
 * per vCPU. Slices only: with a shared region the faults per vCPU depend
 * on timing.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

static uint64_t num(const char *s)
{
	char *end;
	uint64_t x = strtoull(s, &end, 0);

	switch (*end) {
	case 'K': x <<= 10; break;
	case 'M': x <<= 20; break;
	case 'G': x <<= 30; break;
	}
	return x;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "workload", required_argument, 0, 'w' },
		{ "ipa", required_argument, 0, 'i' },
		{ "size", required_argument, 0, 's' },
		{ "vcpus", required_argument, 0, 'v' },
		{ "stride", required_argument, 0, 't' },
		{ "write-pct", required_argument, 0, 'p' },
		{ "passes", required_argument, 0, 'n' },
		{ "seed", required_argument, 0, 'e' },
		{ "backing", required_argument, 0, 'b' },	/* no effect */
		{ 0 }
	};
	struct wl_config c = {
		.pattern = WL_SEQUENTIAL, .base = 1ull << 30,
		.size = 16ull << 20, .nvcpus = 1, .stride = 2ull << 20,
		.write_pct = 100, .passes = 1, .seed = 1,
	};
	const char *why;
	int o;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'w': c.pattern = (enum wl_pattern)wl_pattern_from_name(optarg); break;
		case 'i': c.base = num(optarg); break;
		case 's': c.size = num(optarg); break;
		case 'v': c.nvcpus = (unsigned int)num(optarg); break;
		case 't': c.stride = num(optarg); break;
		case 'p': c.write_pct = (unsigned int)num(optarg); break;
		case 'n': c.passes = (unsigned int)num(optarg); break;
		case 'e': c.seed = num(optarg); break;
		case 'b': break;
		default: return 2;
		}
	}
	why = wl_config_check(&c);
	if (why) {
		fprintf(stderr, "wl-model: %s\n", why);
		return 2;
	}
	for (unsigned int v = 0; v < c.nvcpus; v++) {
		struct wl_iter it;
		uint64_t ipa, accesses = 0, writes = 0, rw = 0;
		unsigned char *st;
		bool w;

		wl_iter_init(&it, &c, v);
		st = calloc(it.pages ? it.pages : 1, 1);
		if (!st)
			return 1;
		/* 0 untouched, 1 read first, 2 written */
		while (wl_next(&it, &ipa, &w)) {
			uint64_t p = ipa / WL_PAGE_SIZE - it.base;

			accesses++;
			writes += w;
			if (!st[p])
				st[p] = w ? 2 : 1;
			else if (st[p] == 1 && w) {
				st[p] = 2;
				rw++;
			}
		}
		printf("vcpu=%u pages=%" PRIu64 " accesses=%" PRIu64
		       " writes=%" PRIu64 " read_then_write=%" PRIu64 "\n",
		       v, it.pages, accesses, writes, rw);
		free(st);
	}
	return 0;
}
