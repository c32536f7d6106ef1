/*
 * textcheck.h: the one check for outside text (profile names, --set
 * variables, paths, plan fields, hostnames) before it reaches a file
 * ipctune writes.  A control character there could end a comment line
 * of a sysctl.d drop-in and start a real assignment applied at boot.
 */
#ifndef TEXTCHECK_H
#define TEXTCHECK_H

#include <stdbool.h>
#include <stddef.h>

/* True if S holds no control character (C0, DEL, or C1 in UTF-8). */
bool textcheck_clean(const char *s);

/*
 * Refuse S if it holds a control character: -1 with errno EINVAL and
 * "WHAT 'S' holds a control character (...)" in ERR, S shown escaped.
 */
int textcheck_field(const char *what, const char *s, char *err,
    size_t errlen);

#endif
