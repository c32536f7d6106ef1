/*
 * sysctld_load.h: reads the sysctl.d(5) files the next boot applies,
 * under a root prefix so tests use fixture trees, and hands their
 * listings and text to the pure resolution in sysctld.h.  Reads
 * configuration files only; writes nothing.
 */
#ifndef SYSCTLD_LOAD_H
#define SYSCTLD_LOAD_H

#include <stddef.h>

#include "sysctld.h"

/*
 * Build the boot-time plan of RULES under ROOT ("" or NULL for /).  If
 * EXTRA_PATH is set (a full path, root included), EXTRA_TEXT stands for
 * its content, as if already written.  0, or -1 with a message in ERR.
 */
int sysctld_load(const char *root, enum sysctld_rules rules,
    const char *extra_path, const char *extra_text,
    struct sysctld_plan *plan, char *err, size_t errlen);

#endif
