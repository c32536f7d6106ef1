/*
 * xmalloc.c: allocation wrappers that die instead of returning NULL.
 * Out of memory is not an error a CLI can recover from; size overflow is
 * a bug.  Both end the program with a message and exit status 1.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void __attribute__((noreturn))
xdie(const char *what, size_t n)
{
	fprintf(stderr, "ipctune: %s of %zu bytes failed: out of memory\n",
	    what, n);
	exit(1);
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		xdie("allocation", size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		xdie("allocation", nmemb * size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size) {
		fprintf(stderr, "ipctune: allocation of %zu x %zu bytes "
		    "overflows\n", nmemb, size);
		exit(1);
	}
	p = realloc(ptr, (nmemb != 0 && size != 0) ? nmemb * size : 1);
	if (p == NULL)
		xdie("allocation", nmemb * size);
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		xdie("allocation", strlen(s) + 1);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		xdie("allocation", 0);
	return s;
}

void
xgrow(void *ptrp, size_t n, size_t *capp, size_t size)
{
	void **pp = ptrp;
	size_t cap = *capp;

	if (n < cap)
		return;
	if (cap == 0)
		cap = 16;
	else if (cap > SIZE_MAX / 2)
		cap = SIZE_MAX;
	else
		cap *= 2;
	*pp = xreallocarray(*pp, cap, size);
	*capp = cap;
}
