/*
 * expr.h: the expression language of profile values.  Unsigned 64-bit
 * integers with checked arithmetic (+ - * / %, parentheses, min, max,
 * binary suffixes K M G T) over names resolved by an injected lookup.
 * Pure: no I/O, and an overflow is an error, never a wrapped number.
 */
#ifndef EXPR_H
#define EXPR_H

#include <stddef.h>
#include <stdint.h>

/* Deepest nesting of parentheses and calls an expression may use. */
#define EXPR_MAX_DEPTH 64

/* Resolve NAME (LEN bytes, not NUL-terminated); 0, or -1 if unknown. */
typedef int (*expr_lookup_fn)(void *ctx, const char *name, size_t len,
    uint64_t *out);

/*
 * Evaluate TEXT into *OUT.  If SUBST is not NULL it receives TEXT with
 * every name replaced by its value ("256 * ram_gib" -> "256 * 16").  0, or
 * -1 with the 1-based column of the error in *COLP and a message in ERR.
 */
int expr_eval(const char *text, expr_lookup_fn lookup, void *ctx,
    uint64_t *out, char *subst, size_t substlen, int *colp, char *err,
    size_t errlen);

/*
 * Split TEXT into up to MAX whitespace-separated expressions (kernel.sem
 * takes four: "250  max(256000, 256 * ram_gib)  32  128").  An expression
 * ends where an operand is followed by the start of another operand.
 * Stores offsets and lengths; returns the count, or -1 with a column in
 * *COLP and a message in ERR when there are more than MAX.
 */
int expr_split(const char *text, size_t *offs, size_t *lens, int max,
    int *colp, char *err, size_t errlen);

#endif
