/*
 * strbuf.h: a growing text buffer written with printf formats, for views
 * that build a whole document before printing it.  Allocation failure
 * ends the program, as every x* wrapper does.
 */
#ifndef STRBUF_H
#define STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p;		/* NUL-terminated once anything is written */
	size_t len, cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

/* Append the formatted text to B. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
