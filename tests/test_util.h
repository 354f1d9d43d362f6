/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the C tests share (tests/unit, tests/bpf): removing a directory
 * tree, and the value of a JSON object at a path of keys.
 */
#ifndef RMIBENCH_TESTS_TEST_UTIL_H
#define RMIBENCH_TESTS_TEST_UTIL_H

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

static inline int rm_rf_one(const char *p, const struct stat *sb, int flag,
			    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

/* @dir and everything under it, links not followed */
static inline void rm_rf(const char *dir)
{
	nftw(dir, rm_rf_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* the value at "a.b.c" in @o, NULL if it is not there */
static __attribute__((unused)) json_object *json_at(json_object *o,
						  const char *path)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	     tok = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, tok, &o))
			return NULL;
	return o;
}

/* the whole number at "a.b.c" in @o, UINT64_MAX if it is not there */
static __attribute__((unused)) uint64_t json_u64_at(json_object *o,
						 const char *path)
{
	json_object *v = json_at(o, path);

	return v ? json_object_get_uint64(v) : UINT64_MAX;
}

#endif /* RMIBENCH_TESTS_TEST_UTIL_H */
