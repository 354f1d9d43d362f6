// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: strict reading of JSON files: the parse, and typed access to
 * fields with one-line errors naming the file and the field.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "json_read.h"

/* ---- what json-c accepts silently ----------------------------------------------
 *
 * json-c keeps the last of two values of one key, and reads an integer
 * above 2^64-1 as 2^64-1. A second pass over the text (valid JSON by
 * then) finds both, naming the field as the readers do.
 */

struct scan {
	const char *p, *end;
	char *arena;		/* decoded keys */
	size_t used;
	const char *path;
	char *err;
	size_t errlen;
};

struct key {
	const char *s;
	size_t len;
};

static void skip_ws(struct scan *sc)
{
	while (sc->p < sc->end && strchr(" \t\r\n", *sc->p) && *sc->p)
		sc->p++;
}

static unsigned int hex4(const char *p)
{
	unsigned int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v = v << 4 | (unsigned int)(c <= '9' ? c - '0' :
					    (c | 0x20) - 'a' + 10);
	}
	return v;
}

static size_t put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The string at sc->p ('"'), decoded into the arena: its key. */
static struct key scan_string(struct scan *sc)
{
	struct key k = { .s = sc->arena + sc->used };
	char *o = sc->arena + sc->used;

	sc->p++;
	while (sc->p < sc->end && *sc->p != '"') {
		if (*sc->p != '\\') {
			*o++ = *sc->p++;
			continue;
		}
		sc->p++;
		switch (*sc->p) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned int cp = hex4(sc->p + 1);

			sc->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && sc->p + 6 < sc->end &&
			    sc->p[1] == '\\' && sc->p[2] == 'u') {
				unsigned int lo = hex4(sc->p + 3);

				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
					sc->p += 6;
				}
			}
			o += put_utf8(o, cp);
			break;
		}
		default: *o++ = *sc->p; break;	/* " \\ / */
		}
		sc->p++;
	}
	sc->p++;
	k.len = (size_t)(o - k.s);
	*o++ = 0;
	sc->used = (size_t)(o - sc->arena);
	return k;
}

static int cmp_keys(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int scan_value(struct scan *sc, const char *field, int depth);

static int scan_object(struct scan *sc, const char *field, int depth)
{
	struct key *keys = NULL, *nk;
	size_t n = 0, cap = 0;
	int ret = -1;

	sc->p++;
	skip_ws(sc);
	while (sc->p < sc->end && *sc->p != '}') {
		char f[FIELD_MAX];
		struct key k;

		k = scan_string(sc);
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			nk = realloc(keys, cap * sizeof(*keys));
			if (!nk) {
				errmsg(sc->err, sc->errlen, "%s: out of memory",
				       sc->path);
				goto out;
			}
			keys = nk;
		}
		keys[n++] = k;
		field_name(f, field, k.s);
		skip_ws(sc);
		sc->p++;	/* ':' */
		skip_ws(sc);
		if (scan_value(sc, f, depth + 1))
			goto out;
		skip_ws(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skip_ws(sc);
		}
	}
	sc->p++;
	if (n > 1) {
		qsort(keys, n, sizeof(*keys), cmp_keys);
		for (size_t i = 1; i < n; i++) {
			char f[FIELD_MAX];

			if (cmp_keys(&keys[i - 1], &keys[i]))
				continue;
			field_name(f, field, keys[i].s);
			errmsg(sc->err, sc->errlen,
			       "%s: %s: given twice", sc->path,
			       f);
			goto out;
		}
	}
	ret = 0;
out:
	free(keys);
	return ret;
}

static int scan_array(struct scan *sc, const char *field, int depth)
{
	size_t i = 0;

	sc->p++;
	skip_ws(sc);
	while (sc->p < sc->end && *sc->p != ']') {
		char f[FIELD_MAX + 24];

		snprintf(f, sizeof(f), "%s[%zu]", field, i++);
		f[FIELD_MAX - 1] = 0;
		if (scan_value(sc, f, depth + 1))
			return -1;
		skip_ws(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skip_ws(sc);
		}
	}
	sc->p++;
	return 0;
}

/*
 * A number: an integer above 2^64-1 is an error. json-c also takes NaN,
 * Infinity and -Infinity: their letters are part of the token (and make
 * it no integer), so the scan always moves past it.
 */
static int scan_number(struct scan *sc, const char *field)
{
	static const char max[] = "18446744073709551615";
	const char *s = sc->p;
	bool whole = true;
	size_t n;

	while (sc->p < sc->end && *sc->p &&
	       (strchr("+-0123456789.", *sc->p) ||
		((*sc->p | 0x20) >= 'a' && (*sc->p | 0x20) <= 'z'))) {
		if (*sc->p != '+' && *sc->p != '-' &&
		    !(*sc->p >= '0' && *sc->p <= '9'))
			whole = false;
		sc->p++;
	}
	if (sc->p == s)
		sc->p++;	/* not a number json-c knows: never stand still */
	n = (size_t)(sc->p - s);
	if (!whole || *s == '-')
		return 0;
	if (n < sizeof(max) - 1 ||
	    (n == sizeof(max) - 1 && memcmp(s, max, n) <= 0))
		return 0;
	return errmsg(sc->err, sc->errlen, "%s: %s: %.*s%s is above 2^64-1",
		      sc->path, *field ? field : "(top level)",
		      (int)(n > 40 ? 40 : n), s, n > 40 ? "..." : "");
}

static int scan_value(struct scan *sc, const char *field, int depth)
{
	if (depth > 64)
		return errmsg(sc->err, sc->errlen, "%s: %s: nested too deep",
			      sc->path, field);
	skip_ws(sc);
	if (sc->p >= sc->end)
		return 0;
	switch (*sc->p) {
	case '{':
		return scan_object(sc, field, depth);
	case '[':
		return scan_array(sc, field, depth);
	case '"':
		/* a value: decoded and dropped */
		{
			size_t used = sc->used;

			scan_string(sc);
			sc->used = used;
		}
		return 0;
	case 't': case 'n':
		sc->p += 4;
		return 0;
	case 'f':
		sc->p += 5;
		return 0;
	default:
		return scan_number(sc, field);
	}
}

int json_check_text(const char *buf, size_t len, const char *path,
		    char *err, size_t errlen)
{
	struct scan sc = { .p = buf, .end = buf + len, .path = path,
			   .err = err, .errlen = errlen };
	int ret;

	/* decoded keys are never longer than their text */
	sc.arena = malloc(len + 1);
	if (!sc.arena)
		return errmsg(err, errlen, "%s: out of memory", path);
	ret = scan_value(&sc, "", 0);
	free(sc.arena);
	return ret;
}

json_object *json_parse_strict(const char *text, size_t len,
			       const char *path, char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *o;
	size_t end, rest;

	if (memchr(text, 0, len)) {
		errmsg(err, errlen, "%s: contains a NUL byte", path);
		return NULL;
	}
	if (len > INT32_MAX) {
		errmsg(err, errlen, "%s: too long", path);
		return NULL;
	}
	tok = json_tokener_new();
	if (!tok) {
		errmsg(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	/* no trailing commas, comments or other leniencies */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (rest = end; rest < len && strchr(" \t\r\n", text[rest]); rest++)
		;
	if (jerr == json_tokener_continue) {
		errmsg(err, errlen, "%s: truncated JSON (it ends inside a value)",
		       path);
		o = NULL;
	} else if (jerr != json_tokener_success) {
		errmsg(err, errlen, "%s: invalid JSON at byte %zu: %s", path, end,
		       json_tokener_error_desc(jerr));
		o = NULL;
	} else if (rest != len) {
		errmsg(err, errlen, "%s: data after the JSON value at byte %zu",
		       path, end);
		json_object_put(o);
		o = NULL;
	} else if (!json_object_is_type(o, json_type_object)) {
		errmsg(err, errlen, "%s: expected a JSON object, found %s", path,
		       json_type_to_name(json_object_get_type(o)));
		json_object_put(o);
		o = NULL;
	} else if (json_check_text(text, len, path, err, errlen)) {
		/* what json-c lets pass: a key twice, a count above 2^64-1 */
		json_object_put(o);
		o = NULL;
	}
	return o;
}

char *read_regular_file(const char *path, size_t max, size_t *len,
			char *err, size_t errlen)
{
	struct stat st;
	size_t n = 0;
	char *buf;
	int fd;

	/*
	 * O_NONBLOCK: a FIFO (or a device) under a file's name must not
	 * block the open; it is refused right after.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		errmsg(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errmsg(err, errlen, "%s: not a regular file", path);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if ((uint64_t)st.st_size > max) {
		close(fd);
		errmsg(err, errlen, "%s: larger than %zu MiB", path, max >> 20);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		errmsg(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			errmsg(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return NULL;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = 0;
	*len = n;
	return buf;
}

json_object *load_json_file(const char *path, char *err, size_t errlen)
{
	json_object *o;
	size_t len;
	char *buf = read_regular_file(path, JSON_FILE_MAX, &len, err, errlen);

	if (!buf)
		return NULL;
	if (strspn(buf, " \t\r\n") == len) {
		free(buf);
		errmsg(err, errlen, "%s: empty file", path);
		return NULL;
	}
	o = json_parse_strict(buf, len, path, err, errlen);
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

