/*
 * touchrec.h: the record of ipctune's own accesses to IPC objects that
 * 'clean' touched (read-only attach for a backup, IPC_SET) and then did
 * not remove, kept as JSON in the state directory, so the orphan judge
 * can set those accesses aside.  Reading and writing that file only.
 */
#ifndef TOUCHREC_H
#define TOUCHREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orphanfx.h"

/* The file name in the state directory. */
#define TOUCHREC_NAME "clean-touched.json"
/* At most this many records are kept, the newest. */
#define TOUCHREC_MAX 1024

/*
 * Read the records of PATH for the IPC namespace NS_INODE into *TP
 * (allocated) and *NP; a missing file is no records.  0, or -1 with
 * errno and a message in ERR.
 */
int touchrec_load(const char *path, uint64_t ns_inode,
    struct orphan_touch **tp, size_t *np, char *err, size_t errlen);

/*
 * Add T, of the IPC namespace NS_INODE, to the records of PATH,
 * replacing one of the same object (namespace, type, id, key), and
 * write the file again atomically (mode 0600).  0, or -1 with errno and
 * a message in ERR.
 */
int touchrec_add(const char *path, uint64_t ns_inode,
    const struct orphan_touch *t, char *err, size_t errlen);

#endif
