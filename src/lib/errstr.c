/*
 * errstr.c: strerror(3) text adjusted to the message style of ipctune
 * ("permission denied", not "Permission denied").  Pure.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "errstr.h"

const char *
errstr(int e)
{
	/* one buffer per thread: report's parsing threads read files too */
	static _Thread_local char buf[128];
	char tmp[128];

	/* strerror(3) is not thread-safe for unknown values; the XSI form is */
	if (strerror_r(e, tmp, sizeof(tmp)) != 0)
		snprintf(tmp, sizeof(tmp), "error %d", e);
	snprintf(buf, sizeof(buf), "%s", tmp);
	/* keep acronyms such as "I/O" as they are */
	if (buf[0] != '\0' && !isupper((unsigned char)buf[1]))
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}
