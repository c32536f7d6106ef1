/*
 * expr.c: a recursive-descent evaluator for profile expressions.  Every
 * operation is checked: overflow, a negative result, division by zero, an
 * unknown name and garbage are errors with a column, never a value.  The
 * module reads nothing; names are resolved through the caller's lookup.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "expr.h"

struct parser {
	const char *text;
	const char *p;
	expr_lookup_fn lookup;
	void *ctx;
	int depth;
	char *subst;
	size_t substlen, substpos;
	bool subst_overflow;
	int col;
	char *err;
	size_t errlen;
};

static int parse_sum(struct parser *ps, uint64_t *out);

static int
fail_at(struct parser *ps, const char *where, const char *fmt, ...)
{
	va_list ap;

	ps->col = (int)(where - ps->text) + 1;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Append LEN bytes of S to the substituted text. */
static void
emit(struct parser *ps, const char *s, size_t len)
{
	if (ps->subst == NULL)
		return;
	if (ps->substpos + len + 1 > ps->substlen) {
		ps->subst_overflow = true;
		return;
	}
	memcpy(ps->subst + ps->substpos, s, len);
	ps->substpos += len;
	ps->subst[ps->substpos] = '\0';
}

/* Copy whitespace and move past it. */
static void
skip_space(struct parser *ps)
{
	const char *start = ps->p;

	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
	if (ps->p > start)
		emit(ps, " ", 1);
}

static bool
is_name_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool
is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

static int
parse_number(struct parser *ps, uint64_t *out)
{
	const char *start = ps->p;
	uint64_t v = 0, mul = 1;

	while (isdigit((unsigned char)*ps->p)) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*ps->p - '0'), &v))
			return fail_at(ps, start, "number too large (the limit "
			    "is 18446744073709551615)");
		ps->p++;
	}
	switch (*ps->p) {
	case 'K':
		mul = 1ull << 10;
		break;
	case 'M':
		mul = 1ull << 20;
		break;
	case 'G':
		mul = 1ull << 30;
		break;
	case 'T':
		mul = 1ull << 40;
		break;
	}
	if (mul != 1)
		ps->p++;
	if (is_name_char((unsigned char)*ps->p))
		return fail_at(ps, ps->p, "unexpected '%c' after a number (the "
		    "unit suffixes are K, M, G and T)", *ps->p);
	if (__builtin_mul_overflow(v, mul, &v))
		return fail_at(ps, start, "'%.*s' overflows 64 bits",
		    (int)(ps->p - start), start);
	emit(ps, start, (size_t)(ps->p - start));
	*out = v;
	return 0;
}

static int
parse_call(struct parser *ps, const char *name, size_t len, uint64_t *out)
{
	bool is_max = len == 3 && memcmp(name, "max", 3) == 0;
	uint64_t v, acc = 0;
	int n = 0;

	ps->p++;	/* '(' */
	emit(ps, "(", 1);
	for (;;) {
		skip_space(ps);
		if (parse_sum(ps, &v) < 0)
			return -1;
		acc = n == 0 ? v : is_max ? (v > acc ? v : acc) :
		    (v < acc ? v : acc);
		n++;
		skip_space(ps);
		if (*ps->p == ',') {
			ps->p++;
			emit(ps, ",", 1);
			continue;
		}
		if (*ps->p == ')') {
			ps->p++;
			emit(ps, ")", 1);
			break;
		}
		return fail_at(ps, ps->p, *ps->p ? "expected ',' or ')' in "
		    "'%.*s()', found '%c'" : "expected ',' or ')' in "
		    "'%.*s()' before the end", (int)len, name, *ps->p);
	}
	*out = acc;
	return 0;
}

static int
parse_primary(struct parser *ps, uint64_t *out)
{
	const char *start;
	char buf[32];

	skip_space(ps);
	start = ps->p;
	if (++ps->depth > EXPR_MAX_DEPTH)
		return fail_at(ps, start, "expression nested too deeply (the "
		    "limit is %d)", EXPR_MAX_DEPTH);
	if (isdigit((unsigned char)*ps->p)) {
		if (parse_number(ps, out) < 0)
			return -1;
	} else if (*ps->p == '(') {
		ps->p++;
		emit(ps, "(", 1);
		if (parse_sum(ps, out) < 0)
			return -1;
		skip_space(ps);
		if (*ps->p != ')')
			return fail_at(ps, ps->p, *ps->p ? "expected ')', "
			    "found '%c'" : "expected ')' before the end",
			    *ps->p);
		ps->p++;
		emit(ps, ")", 1);
	} else if (is_name_start((unsigned char)*ps->p)) {
		size_t len;

		while (is_name_char((unsigned char)*ps->p))
			ps->p++;
		len = (size_t)(ps->p - start);
		if (*ps->p == '(') {
			if (!((len == 3 && memcmp(start, "min", 3) == 0) ||
			    (len == 3 && memcmp(start, "max", 3) == 0)))
				return fail_at(ps, start, "unknown function "
				    "'%.*s' (use min or max)", (int)len, start);
			emit(ps, start, len);
			if (parse_call(ps, start, len, out) < 0)
				return -1;
		} else {
			if (ps->lookup == NULL ||
			    ps->lookup(ps->ctx, start, len, out) < 0)
				return fail_at(ps, start, "unknown name "
				    "'%.*s'", (int)len, start);
			snprintf(buf, sizeof(buf), "%" PRIu64, *out);
			emit(ps, buf, strlen(buf));
		}
	} else if (*ps->p == '\0') {
		return fail_at(ps, ps->p, "expected a number or a name before "
		    "the end");
	} else if (isprint((unsigned char)*ps->p)) {
		return fail_at(ps, ps->p, "unexpected '%c'", *ps->p);
	} else {
		return fail_at(ps, ps->p, "unexpected byte 0x%02x",
		    (unsigned char)*ps->p);
	}
	ps->depth--;
	return 0;
}

static int
parse_product(struct parser *ps, uint64_t *out)
{
	uint64_t a, b;
	const char *op;

	if (parse_primary(ps, &a) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		op = ps->p;
		if (*op != '*' && *op != '/' && *op != '%')
			break;
		ps->p++;
		emit(ps, op, 1);
		if (parse_primary(ps, &b) < 0)
			return -1;
		if (*op == '*') {
			if (__builtin_mul_overflow(a, b, &a))
				return fail_at(ps, op, "multiplication "
				    "overflows 64 bits");
		} else if (b == 0) {
			return fail_at(ps, op, "division by zero");
		} else {
			a = *op == '/' ? a / b : a % b;
		}
	}
	*out = a;
	return 0;
}

static int
parse_sum(struct parser *ps, uint64_t *out)
{
	uint64_t a, b;
	const char *op;

	if (parse_product(ps, &a) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		op = ps->p;
		if (*op != '+' && *op != '-')
			break;
		ps->p++;
		emit(ps, op, 1);
		if (parse_product(ps, &b) < 0)
			return -1;
		if (*op == '+') {
			if (__builtin_add_overflow(a, b, &a))
				return fail_at(ps, op, "addition overflows "
				    "64 bits");
		} else if (b > a) {
			return fail_at(ps, op, "subtraction goes below zero");
		} else {
			a -= b;
		}
	}
	*out = a;
	return 0;
}

int
expr_eval(const char *text, expr_lookup_fn lookup, void *ctx,
    uint64_t *out, char *subst, size_t substlen, int *colp, char *err,
    size_t errlen)
{
	struct parser ps = {
		.text = text, .p = text, .lookup = lookup, .ctx = ctx,
		.subst = substlen > 0 ? subst : NULL, .substlen = substlen,
		.err = err, .errlen = errlen,
	};
	uint64_t v;

	if (ps.subst != NULL)
		ps.subst[0] = '\0';
	*colp = 0;
	while (*ps.p == ' ' || *ps.p == '\t')
		ps.p++;
	if (parse_sum(&ps, &v) < 0) {
		*colp = ps.col;
		return -1;
	}
	while (*ps.p == ' ' || *ps.p == '\t')
		ps.p++;
	if (*ps.p != '\0') {
		fail_at(&ps, ps.p, isprint((unsigned char)*ps.p) ?
		    "unexpected '%c' after the expression" :
		    "unexpected byte 0x%02x after the expression",
		    (unsigned char)*ps.p);
		*colp = ps.col;
		return -1;
	}
	if (ps.subst != NULL) {
		/* trim the trailing blank copied from the input */
		while (ps.substpos > 0 && ps.subst[ps.substpos - 1] == ' ')
			ps.subst[--ps.substpos] = '\0';
		if (ps.subst_overflow)
			snprintf(ps.subst, ps.substlen, "%s", "...");
	}
	*out = v;
	return 0;
}

int
expr_split(const char *text, size_t *offs, size_t *lens, int max,
    int *colp, char *err, size_t errlen)
{
	const char *p = text, *start = NULL, *last_end = NULL;
	bool after_operand = false;
	int depth = 0, n = 0;

	*colp = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || (depth == 0 && after_operand &&
		    (isalnum((unsigned char)*p) || *p == '_' || *p == '('))) {
			/* the previous expression is complete */
			if (start != NULL) {
				if (n >= max) {
					*colp = (int)(start - text) + 1;
					snprintf(err, errlen, "too many values "
					    "(expected %d)", max);
					return -1;
				}
				offs[n] = (size_t)(start - text);
				lens[n] = (size_t)(last_end - start);
				n++;
			}
			if (*p == '\0')
				return n;
			start = NULL;
		}
		if (start == NULL)
			start = p;
		if (isalnum((unsigned char)*p) || *p == '_' || *p == '.') {
			while (isalnum((unsigned char)*p) || *p == '_' ||
			    *p == '.')
				p++;
			/* a function name is not yet an operand */
			after_operand = *p != '(';
		} else {
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth > 0)
				depth--;
			after_operand = *p == ')';
			p++;
		}
		last_end = p;
	}
}
