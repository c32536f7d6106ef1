/*
 * pcleantx.h: the removal of judged POSIX orphans (/dev/shm files,
 * sem.NAME files, mqueue files): right before each unlinkat(2) the name
 * is stat'ed again under the directory of the filesystem judged, without
 * following symlinks, and must be the same inode as judged, and /proc is
 * scanned again for a process mapping or holding that one inode.  It
 * prints nothing and never touches a System V object.
 */
#ifndef PCLEANTX_H
#define PCLEANTX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cleantx.h"
#include "orphan.h"
#include "posixipc.h"

/*
 * Is NAME one entry of a directory: not empty, no '/', not "." or
 * ".."?  Only such names are ever unlinked.
 */
bool pcleantx_name_ok(const char *name);

/* The file of POSIX object IT, or NULL for a System V one. */
const struct posix_file *pcleantx_file(const struct orphan_item *it);

/*
 * Unlink the POSIX objects among the N ITEMS whose PREP is
 * CLEANTX_REMOVE, in the filesystems PO names, filling their OUTS; the
 * others are left as they are.  SELF is ipctune's own PID, left out of
 * the holder scan.
 */
void pcleantx_run(const struct posixipc_opts *po, pid_t self,
    const struct orphan_item *items, size_t n,
    const enum cleantx_prep *prep, struct cleantx_outcome *outs);

#endif
