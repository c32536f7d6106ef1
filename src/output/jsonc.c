/*
 * jsonc.c: compact JSON text with the bytes jansson's dumper writes for
 * the same values (its escapes, its UTF-8 rule, no spaces), formatted
 * into one growing buffer so a long list costs no tree per item.  It
 * knows nothing of what the members mean and does not write to files.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonc.h"
#include "render.h"
#include "xmalloc.h"

void
jsonc_init(struct jsonc *c)
{
	c->buf = NULL;
	c->len = 0;
	c->cap = 0;
	c->first = true;
}

void
jsonc_free(struct jsonc *c)
{
	free(c->buf);
	jsonc_init(c);
}

void
jsonc_reset(struct jsonc *c)
{
	c->len = 0;
	c->first = true;
}

/* Room for N more bytes; the write point. */
static char *
jsonc_room(struct jsonc *c, size_t n)
{
	if (c->len + n > c->cap) {
		c->cap = c->len + n + (c->cap > 4096 ? c->cap : 4096);
		c->buf = xreallocarray(c->buf, c->cap, 1);
	}
	return c->buf + c->len;
}

static void
jsonc_put(struct jsonc *c, const char *s, size_t n)
{
	memcpy(jsonc_room(c, n), s, n);
	c->len += n;
}

/*
 * The length of the UTF-8 sequence at S, or 0 if it is not one jansson
 * accepts: no overlong forms, no surrogates, nothing above U+10FFFF
 * (jansson src/utf.c, utf8_check_first and utf8_check_full).
 */
static size_t
jsonc_utf8_seq(const unsigned char *s)
{
	size_t n;
	uint32_t v;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, v = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, v = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, v = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
	    (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
		return 0;
	return n;
}

bool
jsonc_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = jsonc_utf8_seq(p);

		if (n == 0)
			return false;
		p += n;
	}
	return true;
}

/* S quoted, escaped as jansson's dump_string() does without flags. */
static void
jsonc_string(struct jsonc *c, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	jsonc_put(c, "\"", 1);
	while (*p) {
		const unsigned char *run = p;
		char e[6];

		/* the bytes written as they are, copied in one go */
		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		jsonc_put(c, (const char *)run, (size_t)(p - run));
		if (*p == '\0')
			break;
		e[0] = '\\';
		e[1] = 'u';
		e[2] = '0';
		e[3] = '0';
		e[4] = hex[*p >> 4];
		e[5] = hex[*p & 15];
		switch (*p++) {
		case '"': case '\\':
			e[1] = (char)p[-1];
			jsonc_put(c, e, 2);
			break;
		case '\b': e[1] = 'b'; jsonc_put(c, e, 2); break;
		case '\f': e[1] = 'f'; jsonc_put(c, e, 2); break;
		case '\n': e[1] = 'n'; jsonc_put(c, e, 2); break;
		case '\r': e[1] = 'r'; jsonc_put(c, e, 2); break;
		case '\t': e[1] = 't'; jsonc_put(c, e, 2); break;
		default: jsonc_put(c, e, 6); break;
		}
	}
	jsonc_put(c, "\"", 1);
}

static void
jsonc_dec(struct jsonc *c, uint64_t v, bool neg)
{
	char *p = jsonc_room(c, 21);
	size_t n = 1;

	if (neg) {
		*p++ = '-';
		c->len++;
	}
	for (uint64_t t = v; t >= 10; t /= 10)
		n++;
	c->len += n;
	p += n;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
}

void
jsonc_begin_object(struct jsonc *c)
{
	jsonc_put(c, "{", 1);
	c->first = true;
}

void
jsonc_begin_array(struct jsonc *c)
{
	jsonc_put(c, "[", 1);
	c->first = true;
}

void
jsonc_end_object(struct jsonc *c)
{
	jsonc_put(c, "}", 1);
	c->first = false;
}

void
jsonc_end_array(struct jsonc *c)
{
	jsonc_put(c, "]", 1);
	c->first = false;
}

void
jsonc_item(struct jsonc *c)
{
	if (!c->first)
		jsonc_put(c, ",", 1);
	c->first = false;
}

void
jsonc_key(struct jsonc *c, const char *key)
{
	jsonc_item(c);
	jsonc_string(c, key);
	jsonc_put(c, ":", 1);
}

void
jsonc_int(struct jsonc *c, const char *key, int64_t v)
{
	jsonc_key(c, key);
	jsonc_dec(c, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void
jsonc_u64(struct jsonc *c, const char *key, uint64_t v)
{
	if (v <= JSON_SAFE_MAX) {
		jsonc_key(c, key);
		jsonc_dec(c, v, false);
		return;
	}
	jsonc_null(c, key);
	jsonc_item(c);
	jsonc_put(c, "\"", 1);
	jsonc_put(c, key, strlen(key));
	jsonc_put(c, "_exact\":\"", 9);
	jsonc_dec(c, v, false);
	jsonc_put(c, "\"", 1);
}

void
jsonc_time(struct jsonc *c, const char *key, int64_t t)
{
	if (t == 0)
		jsonc_null(c, key);
	else
		jsonc_int(c, key, t);
}

void
jsonc_bool(struct jsonc *c, const char *key, bool v)
{
	jsonc_key(c, key);
	if (v)
		jsonc_put(c, "true", 4);
	else
		jsonc_put(c, "false", 5);
}

void
jsonc_null(struct jsonc *c, const char *key)
{
	jsonc_key(c, key);
	jsonc_put(c, "null", 4);
}

void
jsonc_str(struct jsonc *c, const char *key, const char *s)
{
	jsonc_key(c, key);
	jsonc_string(c, s);
}

void
jsonc_str_item(struct jsonc *c, const char *s)
{
	jsonc_item(c);
	jsonc_string(c, s);
}
