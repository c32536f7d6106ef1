/*
 * xmalloc.h: allocation wrappers that never return NULL.  They end the
 * program on out-of-memory and on size overflow, so callers never check.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

/* Allocate SIZE bytes or die. */
void *xmalloc(size_t size);
/* Allocate NMEMB zeroed elements of SIZE bytes or die. */
void *xcalloc(size_t nmemb, size_t size);
/* Resize PTR to NMEMB * SIZE bytes, checking the product, or die. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
/* Duplicate a string or die. */
char *xstrdup(const char *s);
/* Format into a new string or die. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Make room for one more element in *PTR (count *NP, capacity *CAPP),
 * doubling the capacity with overflow checks.
 */
void xgrow(void *ptrp, size_t n, size_t *capp, size_t size);

#endif
