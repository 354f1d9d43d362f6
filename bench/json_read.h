/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rmibench: strict reading of JSON files (json-c). Every failure is one
 * line, "PATH: FIELD: problem", in the reader's error buffer.
 */
#ifndef RMIBENCH_JSON_READ_H
#define RMIBENCH_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define JSON_FILE_MAX	(16u << 20)	/* larger files are refused */
#define FIELD_MAX	192		/* "a.b.c" field names, cut */

/*
 * @path read whole: a regular file (a FIFO or a device is refused, not
 * waited on) of at most @max bytes, NUL-terminated, its length in *@len.
 * NULL with "PATH: why" in @err.
 */
char *read_regular_file(const char *path, size_t max, size_t *len,
			char *err, size_t errlen);

/*
 * Parse @path (strict JSON, a single object, at most JSON_FILE_MAX bytes)
 * into a JSON object. Returns NULL with "PATH: why" in @err.
 */
json_object *load_json_file(const char *path, char *err, size_t errlen);

/*
 * The same rules for @len bytes of @text (need not end in a NUL), named
 * @path in messages: one JSON object and nothing after it but white
 * space, no NUL byte, json-c's strict mode (no comments, trailing commas
 * or single quotes), no key given twice, no whole number above 2^64-1.
 * Returns NULL with "PATH: why" in @err.
 */
json_object *json_parse_strict(const char *text, size_t len,
			       const char *path, char *err, size_t errlen);

/*
 * What json-c lets pass in valid JSON @text (@len bytes), named @path in
 * messages: a key given twice in one object ("PATH: FIELD: given twice";
 * json-c keeps the last value) and a whole number above 2^64-1 (json-c
 * reads it as 2^64-1). 0, or -1 with one line in @err. load_json_file()
 * makes this check; other readers of JSON text may call it.
 */
int json_check_text(const char *text, size_t len, const char *path,
		    char *err, size_t errlen);

/* What a reader needs for its messages: "PATH: FIELD: problem". */
struct rd {
	const char *path;
	char *err;
	size_t errlen;
};

/* "PATH: FIELD: problem"; returns -1 */
int rd_fail(struct rd *c, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "opath.key" into @buf (FIELD_MAX bytes); keys from a file are cut to 64 */
void field_name(char *buf, const char *opath, const char *key);

/*
 * The readers of one value: @o's member @key, named "opath.key" in
 * messages (@opath may be NULL or "" at the top level), or, for the _val
 * forms, the value @v named @f. Each returns 0, or -1 after rd_fail().
 */
int rd_type(struct rd *c, const char *f, json_object *v, json_type t,
	    const char *what);
int rd_get(struct rd *c, json_object *o, const char *opath, const char *key,
	   json_type t, const char *what, json_object **v);
int rd_obj(struct rd *c, json_object *o, const char *opath, const char *key,
	   json_object **v);
/* a whole number from 0 to @max */
int rd_u64_val(struct rd *c, const char *f, json_object *v, uint64_t max,
	       uint64_t *out);
int rd_u64(struct rd *c, json_object *o, const char *opath, const char *key,
	   uint64_t max, uint64_t *out);
/* a whole number from @lo to @hi (at most UINT_MAX) */
int rd_uint(struct rd *c, json_object *o, const char *opath, const char *key,
	    uint64_t lo, uint64_t hi, unsigned int *out);
/* any number, finite and not negative */
int rd_num(struct rd *c, json_object *o, const char *opath, const char *key,
	   double *out);
int rd_bool(struct rd *c, json_object *o, const char *opath, const char *key,
	    bool *out);
/* a string that fits @size bytes with its NUL; null reads as "" if @null_ok */
int rd_str_val(struct rd *c, const char *f, json_object *v, char *buf,
	       size_t size, bool null_ok);
int rd_str(struct rd *c, json_object *o, const char *opath, const char *key,
	   char *buf, size_t size, bool null_ok);
/* a name that @from_name knows (>= 0); @choices lists them for messages */
int rd_name(struct rd *c, json_object *o, const char *opath, const char *key,
	    int (*from_name)(const char *), const char *choices, int *out);

#endif /* RMIBENCH_JSON_READ_H */
