/*
 * showload.h: the state 'show' works on: one object found in the state
 * loaded from the kernel (or a --root tree, another IPC namespace, or a
 * snapshot), with the live facts ipcdetail.c reads about it when the
 * source is live.  It prints nothing and takes no CLI globals.
 */
#ifndef SHOWLOAD_H
#define SHOWLOAD_H

#include <stddef.h>

#include "loadstate.h"
#include "objdetail.h"

/*
 * Load the objects of TYPE as O says into KS (initialised here) and
 * fill D with object ID: its fields, and the live facts unless the
 * state is a snapshot.  0, or -1 with the reason in ERR (errno ENOENT:
 * there is no such object); what could not be read about a found
 * object is left in WARN ("" if nothing).
 */
int showload_read(const struct loadstate_opts *o, enum ipc_type type,
    int id, struct kstate *ks, struct objdetail *d, char *err,
    size_t errlen, char *warn, size_t warnlen);

#endif
