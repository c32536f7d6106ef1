/*
 * snapjson.c: a strict recursive-descent JSON parser that builds jansson
 * values directly, without jansson's character-by-character lexer, which
 * was most of the time 'report' spent on thousands of snapshots.  It is
 * conservative: anything outside the JSON ipctune writes (\u escapes,
 * numbers out of range, deep nesting) or anything invalid makes it give
 * up, and the caller parses with json_loadb() instead, so what is
 * accepted, and every error message, stays jansson's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "snapjson.h"

/* Nesting beyond this is left to jansson (JSON_PARSER_MAX_DEPTH). */
#define SNAPJSON_MAX_DEPTH 64
/* The longest string decoded on the stack when it has escapes. */
#define SNAPJSON_ESC_MAX 1024

struct sj {
	const unsigned char *p, *end;
	int depth;
};

static json_t *sj_value(struct sj *s);

static void
sj_ws(struct sj *s)
{
	/* jansson's lexer skips exactly these four */
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' ||
	    *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

/*
 * The length of the UTF-8 sequence at P (before END) that jansson
 * accepts (src/utf.c: no overlong form, no surrogate, at most
 * U+10FFFF), or 0.
 */
static size_t
sj_utf8(const unsigned char *p, const unsigned char *end)
{
	size_t n;
	uint32_t v;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, v = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, v = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, v = p[0] & 0x07u;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
		v = (v << 6) | (p[i] & 0x3fu);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
	    (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
		return 0;
	return n;
}

/* Decode the escapes of the LEN bytes at IN into BUF; its length. */
static size_t
sj_unescape(const unsigned char *in, size_t len, char *buf)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\\') {
			i++;
			buf[o++] = to[strchr(from, in[i]) - from];
		} else {
			buf[o++] = (char)in[i];
		}
	}
	return o;
}

/*
 * The string after the opening quote: its text at *TEXT (the input
 * itself, or BUF when it had escapes), its length in *LEN; -1 to give
 * up.
 */
static int
sj_string(struct sj *s, char *buf, const char **text, size_t *len)
{
	const unsigned char *start = s->p;
	bool esc = false;

	while (s->p < s->end) {
		unsigned char c = *s->p;

		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c >= 0x80) {
			size_t n = sj_utf8(s->p, s->end);

			if (n == 0)
				return -1;
			s->p += n;
			continue;
		}
		if (c == '\\') {
			/* \u and invalid escapes are left to jansson */
			if (s->p + 1 >= s->end || s->p[1] == '\0' ||
			    strchr("\"\\/bfnrt", s->p[1]) == NULL)
				return -1;
			esc = true;
			s->p++;
		}
		s->p++;
	}
	if (s->p >= s->end)
		return -1;
	*len = (size_t)(s->p - start);
	s->p++;
	if (!esc) {
		*text = (const char *)start;
		return 0;
	}
	if (*len > SNAPJSON_ESC_MAX)
		return -1;
	*len = sj_unescape(start, *len, buf);
	*text = buf;
	return 0;
}

/*
 * A real: the rest of the number from START, with jansson's grammar
 * (digits after '.', after 'e' an optional sign and digits) and its
 * strtod(); NULL on overflow or anything else (jansson decides).
 */
static json_t *
sj_real(struct sj *s, const unsigned char *start)
{
	char tok[64], *e;
	size_t n;
	double d;

	if (*s->p == '.') {
		s->p++;
		if (s->p >= s->end || *s->p < '0' || *s->p > '9')
			return NULL;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (s->p >= s->end || *s->p < '0' || *s->p > '9')
			return NULL;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	n = (size_t)(s->p - start);
	if (n >= sizeof(tok))
		return NULL;
	memcpy(tok, start, n);
	tok[n] = '\0';
	errno = 0;
	d = strtod(tok, &e);
	/* ERANGE (jansson rejects overflow) or another locale: decline */
	if (errno != 0 || e != tok + n)
		return NULL;
	return json_real(d);
}

/* An integer in range, or a real (sj_real()); NULL to give up. */
static json_t *
sj_number(struct sj *s)
{
	const unsigned char *start = s->p;
	bool neg = false, big = false;
	uint64_t v = 0, lim;

	if (*s->p == '-') {
		neg = true;
		s->p++;
	}
	if (s->p >= s->end || *s->p < '0' || *s->p > '9')
		return NULL;
	if (*s->p == '0' && s->p + 1 < s->end && s->p[1] >= '0' &&
	    s->p[1] <= '9')
		return NULL;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		unsigned d = (unsigned)(*s->p - '0');

		if (big || v > (lim - d) / 10)
			big = true;
		else
			v = v * 10 + d;
		s->p++;
	}
	if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
		return sj_real(s, start);
	/* out of range, or a token jansson would reject: jansson's turn */
	if (big || (s->p < s->end && ((*s->p >= 'a' && *s->p <= 'z') ||
	    (*s->p >= 'A' && *s->p <= 'Z') || *s->p == '_' ||
	    *s->p == '-' || *s->p == '+')))
		return NULL;
	if (neg)
		return json_integer(v == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(json_int_t)v);
	return json_integer((json_int_t)v);
}

/* true, false or null, followed by a character no word goes on with. */
static json_t *
sj_word(struct sj *s)
{
	static const struct { const char *w; size_t n; } words[] = {
		{ "true", 4 }, { "false", 5 }, { "null", 4 },
	};

	for (int i = 0; i < 3; i++) {
		const unsigned char *q = s->p + words[i].n;

		if ((size_t)(s->end - s->p) < words[i].n ||
		    memcmp(s->p, words[i].w, words[i].n) != 0)
			continue;
		if (q < s->end && ((*q >= 'a' && *q <= 'z') ||
		    (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
		    *q == '_'))
			return NULL;
		s->p = q;
		return i == 0 ? json_true() : i == 1 ? json_false() :
		    json_null();
	}
	return NULL;
}

/* The members after '{' up to the closing '}'; NULL to give up. */
static json_t *
sj_object(struct sj *s)
{
	json_t *o = json_object(), *v;
	char buf[SNAPJSON_ESC_MAX];
	const char *key;
	size_t klen;

	sj_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return o;
	}
	for (;;) {
		if (s->p >= s->end || *s->p != '"')
			break;
		s->p++;
		if (sj_string(s, buf, &key, &klen) < 0)
			break;
		sj_ws(s);
		if (s->p >= s->end || *s->p != ':')
			break;
		s->p++;
		/* JSON_REJECT_DUPLICATES: jansson names the error */
		if (json_object_getn(o, key, klen) != NULL)
			break;
		/* KEY stays in BUF or the input while its value is read */
		v = sj_value(s);
		if (v == NULL || json_object_setn_new_nocheck(o, key, klen,
		    v) < 0)
			break;
		sj_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			sj_ws(s);
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return o;
		}
		break;
	}
	json_decref(o);
	return NULL;
}

/* The items after '[' up to the closing ']'; NULL to give up. */
static json_t *
sj_array(struct sj *s)
{
	json_t *a = json_array(), *v;

	sj_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return a;
	}
	for (;;) {
		v = sj_value(s);
		if (v == NULL || json_array_append_new(a, v) < 0)
			break;
		sj_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return a;
		}
		break;
	}
	json_decref(a);
	return NULL;
}

static json_t *
sj_value(struct sj *s)
{
	char buf[SNAPJSON_ESC_MAX];
	const char *text;
	size_t len;
	json_t *v = NULL;

	sj_ws(s);
	if (s->p >= s->end)
		return NULL;
	switch (*s->p) {
	case '{':
	case '[':
		if (++s->depth > SNAPJSON_MAX_DEPTH)
			return NULL;
		s->p++;
		v = s->p[-1] == '{' ? sj_object(s) : sj_array(s);
		s->depth--;
		return v;
	case '"':
		s->p++;
		if (sj_string(s, buf, &text, &len) < 0)
			return NULL;
		return json_stringn_nocheck(text, len);
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return sj_number(s);
		return sj_word(s);
	}
}

json_t *
snapjson_parse(const char *buf, size_t len)
{
	struct sj s = { (const unsigned char *)buf,
	    (const unsigned char *)buf + len, 0 };
	json_t *doc;

	sj_ws(&s);
	/* jansson without JSON_DECODE_ANY: an object or an array */
	if (s.p >= s.end || (*s.p != '{' && *s.p != '['))
		return NULL;
	doc = sj_value(&s);
	if (doc == NULL)
		return NULL;
	sj_ws(&s);
	if (s.p != s.end) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
