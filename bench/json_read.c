// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: strict reading of JSON files: the parse, and typed access to
 * fields with one-line errors naming the file and the field.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "json_read.h"

json_object *load_json_file(const char *path, char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *o;
	struct stat st;
	size_t len = 0, end;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errmsg(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errmsg(err, errlen, "%s: not a regular file", path);
		return NULL;
	}
	if (st.st_size > JSON_FILE_MAX) {
		close(fd);
		errmsg(err, errlen, "%s: larger than %u MiB", path,
		       JSON_FILE_MAX >> 20);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		errmsg(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errmsg(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return NULL;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	if (strspn(buf, " \t\r\n") == len) {
		free(buf);
		errmsg(err, errlen, "%s: empty file", path);
		return NULL;
	}
	if (strlen(buf) != len) {
		free(buf);
		errmsg(err, errlen, "%s: contains a NUL byte", path);
		return NULL;
	}

	tok = json_tokener_new();
	if (!tok) {
		free(buf);
		errmsg(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	/* no trailing commas, comments or other leniencies */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		errmsg(err, errlen, "%s: truncated JSON (the file ends inside a value)",
		       path);
		o = NULL;
	} else if (jerr != json_tokener_success) {
		errmsg(err, errlen, "%s: invalid JSON at byte %zu: %s", path, end,
		       json_tokener_error_desc(jerr));
		o = NULL;
	} else if (strspn(buf + end, " \t\r\n") != len - end) {
		errmsg(err, errlen, "%s: data after the JSON value at byte %zu",
		       path, end);
		json_object_put(o);
		o = NULL;
	} else if (!json_object_is_type(o, json_type_object)) {
		errmsg(err, errlen, "%s: expected a JSON object, found %s", path,
		       json_type_to_name(json_object_get_type(o)));
		json_object_put(o);
		o = NULL;
	}
	free(buf);
	return o;
}

int rd_fail(struct rd *c, const char *field, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errmsg(c->err, c->errlen, "%s: %s: %s", c->path, field, msg);
}

/* "opath.key", cut to FIELD_MAX - 1 bytes; keys from a file are cut to 64 */
void field_name(char *buf, const char *opath, const char *key)
{
	size_t n = 0, kl = strnlen(key, 64);

	if (opath && *opath) {
		n = strnlen(opath, FIELD_MAX - 2);
		memcpy(buf, opath, n);
		buf[n++] = '.';
	}
	if (kl > FIELD_MAX - 1 - n)
		kl = FIELD_MAX - 1 - n;
	memcpy(buf + n, key, kl);
	buf[n + kl] = 0;
}

static const char *type_name(json_object *v)
{
	return json_type_to_name(json_object_get_type(v));
}

int rd_type(struct rd *c, const char *f, json_object *v, json_type t,
	    const char *what)
{
	if (!json_object_is_type(v, t))
		return rd_fail(c, f, "expected %s, found %s", what, type_name(v));
	return 0;
}

int rd_get(struct rd *c, json_object *o, const char *opath,
	   const char *key, json_type t, const char *what,
	   json_object **v)
{
	char f[FIELD_MAX];

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, v))
		return rd_fail(c, f, "missing");
	return rd_type(c, f, *v, t, what);
}

int rd_obj(struct rd *c, json_object *o, const char *opath,
	   const char *key, json_object **v)
{
	return rd_get(c, o, opath, key, json_type_object, "an object", v);
}

int rd_u64_val(struct rd *c, const char *f, json_object *v,
	       uint64_t max, uint64_t *out)
{
	uint64_t u;

	if (rd_type(c, f, v, json_type_int, "a whole number"))
		return -1;
	if (json_object_get_int64(v) < 0)
		return rd_fail(c, f, "negative value %lld",
			       (long long)json_object_get_int64(v));
	u = json_object_get_uint64(v);
	if (u > max)
		return rd_fail(c, f, "%llu is above %llu",
			       (unsigned long long)u, (unsigned long long)max);
	*out = u;
	return 0;
}

int rd_u64(struct rd *c, json_object *o, const char *opath,
	   const char *key, uint64_t max, uint64_t *out)
{
	char f[FIELD_MAX];
	json_object *v;

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, &v))
		return rd_fail(c, f, "missing");
	return rd_u64_val(c, f, v, max, out);
}

int rd_uint(struct rd *c, json_object *o, const char *opath,
	    const char *key, uint64_t lo, uint64_t hi, unsigned int *out)
{
	char f[FIELD_MAX];
	uint64_t v;

	if (rd_u64(c, o, opath, key, hi, &v))
		return -1;
	if (v < lo) {
		field_name(f, opath, key);
		return rd_fail(c, f, "%llu is below %llu",
			       (unsigned long long)v, (unsigned long long)lo);
	}
	*out = (unsigned int)v;
	return 0;
}

/* Any number (whole or not), finite and not negative. */
int rd_num(struct rd *c, json_object *o, const char *opath,
	   const char *key, double *out)
{
	char f[FIELD_MAX];
	json_object *v;
	double d;

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, &v))
		return rd_fail(c, f, "missing");
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return rd_fail(c, f, "expected a number, found %s", type_name(v));
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) < 0)
		return rd_fail(c, f, "negative value");
	d = json_object_get_double(v);
	if (!isfinite(d) || d < 0)
		return rd_fail(c, f, "%g is not a finite non-negative number", d);
	*out = d;
	return 0;
}

int rd_bool(struct rd *c, json_object *o, const char *opath,
	    const char *key, bool *out)
{
	json_object *v;

	if (rd_get(c, o, opath, key, json_type_boolean, "true or false", &v))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

/* A string that fits @size bytes with its NUL; null reads as "" if @null_ok. */
int rd_str_val(struct rd *c, const char *f, json_object *v, char *buf,
	       size_t size, bool null_ok)
{
	const char *s;
	int len;

	if (!v && null_ok) {
		buf[0] = 0;
		return 0;
	}
	if (rd_type(c, f, v, json_type_string, null_ok ?
		    "a string or null" : "a string"))
		return -1;
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if ((size_t)len != strlen(s))
		return rd_fail(c, f, "contains a NUL character");
	if ((size_t)len >= size)
		return rd_fail(c, f, "longer than %zu bytes", size - 1);
	memcpy(buf, s, (size_t)len + 1);
	return 0;
}

int rd_str(struct rd *c, json_object *o, const char *opath,
	   const char *key, char *buf, size_t size, bool null_ok)
{
	char f[FIELD_MAX];
	json_object *v;

	field_name(f, opath, key);
	if (!json_object_object_get_ex(o, key, &v))
		return rd_fail(c, f, "missing");
	return rd_str_val(c, f, v, buf, size, null_ok);
}

int rd_name(struct rd *c, json_object *o, const char *opath,
	    const char *key, int (*from_name)(const char *),
	    const char *choices, int *out)
{
	char f[FIELD_MAX], s[64];
	int v;

	if (rd_str(c, o, opath, key, s, sizeof(s), false))
		return -1;
	v = from_name(s);
	if (v < 0) {
		field_name(f, opath, key);
		return rd_fail(c, f, "unknown value '%s' (one of: %s)", s,
			       choices);
	}
	*out = v;
	return 0;
}

