/*
 * textesc.h: text from outside (host names and paths from snapshots,
 * process names from /proc, file names from /dev/shm, profile fields)
 * made safe to print.  Every control character (C0, DEL, C1 as U+0080 to
 * U+009F) and every byte that is not valid UTF-8 becomes a visible
 * escape such as \x1b, so it cannot drive the operator's terminal.
 */
#ifndef TEXTESC_H
#define TEXTESC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * The length (1 to 4) of the character that starts at S (not at its
 * end), and in *UNSAFE whether it must be escaped: a control character,
 * or a byte that does not start valid UTF-8 (then the length is 1).
 */
size_t textesc_char(const char *s, bool *unsafe);

/* Whether S holds nothing textesc_char() calls unsafe. */
bool textesc_is_safe(const char *s);

/*
 * S with every unsafe byte as \xHH, and a backslash before an 'x' as
 * \x5c so that the result reads back unambiguously (the convention of
 * util-linux, whose tables print the same escapes).  Allocated.
 */
char *textesc_dup(const char *s);

/* Write S escaped as textesc_dup() does to FP. */
void textesc_fputs(const char *s, FILE *fp);

/*
 * vfprintf(3) to FP, with every %s and %c argument escaped as
 * textesc_dup() does.  The format itself (a literal of this program) is
 * written as it is, so its newlines and tabs lay the text out; nothing
 * an argument holds can.  0, or -1 if FP has an error.
 */
int textesc_vfprintf(FILE *fp, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
int textesc_fprintf(FILE *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * vsnprintf(3) into BUF of LEN bytes with the arguments escaped the same
 * way; the length the whole text needs, as vsnprintf returns it.
 */
int textesc_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
