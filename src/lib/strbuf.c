/*
 * strbuf.c: the growing text buffer of strbuf.h.  It only allocates and
 * formats; what the text means is the caller's.
 */
#include <stdarg.h>
#include <stdio.h>

#include "strbuf.h"
#include "xmalloc.h"

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (size_t)(n > 0 ? n : 0) + 256;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
}
