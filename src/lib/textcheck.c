/*
 * textcheck.c: refuses control characters in text that reaches a written
 * file.  It does not escape: a name that needs escaping in a sysctl.d
 * comment is refused with a clear error instead, so what is written is
 * exactly what the operator gave.  Pure: no I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "textcheck.h"

/* The first control character of S, or NULL. */
static const char *
first_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return (const char *)p;
		/* U+0080..U+009F (C1, e.g. CSI) are 0xc2 0x80..0x9f */
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return (const char *)p;
	}
	return NULL;
}

bool
textcheck_clean(const char *s)
{
	return first_control(s) == NULL;
}

int
textcheck_field(const char *what, const char *s, char *err, size_t errlen)
{
	const char *bad = first_control(s);
	char shown[160];
	size_t o = 0;

	if (bad == NULL)
		return 0;
	/* show the text with the control characters as \xNN */
	for (const unsigned char *p = (const unsigned char *)s;
	    *p != '\0' && o + 5 < sizeof(shown); p++) {
		if (*p < 0x20 || *p == 0x7f || *p >= 0x80)
			o += (size_t)snprintf(shown + o, sizeof(shown) - o,
			    "\\x%02x", *p);
		else
			shown[o++] = (char)*p;
	}
	shown[o] = '\0';
	snprintf(err, errlen, "%s '%s' holds a control character (\\x%02x "
	    "at offset %zu): refusing to write it into a file", what, shown,
	    (unsigned char)*bad, (size_t)(bad - s));
	errno = EINVAL;
	return -1;
}
