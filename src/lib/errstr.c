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
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s", strerror(e));
	/* keep acronyms such as "I/O" as they are */
	if (buf[0] != '\0' && !isupper((unsigned char)buf[1]))
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}
