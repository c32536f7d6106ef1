/*
 * devshmfs.h: reads how the host mounts /dev/shm (its /etc/fstab line,
 * an explicit dev-shm.mount unit) and grows the tmpfs at runtime with
 * mount(2) MS_REMOUNT.  It decides nothing; the callers ask.
 */
#ifndef DEVSHMFS_H
#define DEVSHMFS_H

#include <stddef.h>
#include <stdint.h>

#include "devshmfacts.h"

/*
 * Fill H from ROOT (a fixture tree, or NULL for /): the /dev/shm line of
 * ROOT/etc/fstab and whether ROOT/etc/systemd/system/dev-shm.mount exists.
 * 0, or -1 with a message in ERR when fstab exists but cannot be read.
 */
int devshmfs_inspect(const char *root, struct devshm_host *h, char *err,
    size_t errlen);

/*
 * Grow the tmpfs mounted at PATH to SIZE bytes (rounded up to KiB) with
 * mount(2) MS_REMOUNT and "size=", keeping its mount flags.  Only
 * upward: a SIZE not above the current size is refused (ERANGE).  0 with
 * the old size in *OLD, or -1 with errno and a message in ERR.
 */
int devshmfs_grow(const char *path, uint64_t size, uint64_t *old, char *err,
    size_t errlen);

/*
 * Undo a devshmfs_grow(): the tmpfs at PATH back to OLD bytes, which it
 * had; the kernel refuses (EINVAL) if its pages no longer fit.  0, or -1
 * with errno and a message in ERR.
 */
int devshmfs_restore(const char *path, uint64_t old, char *err,
    size_t errlen);

#endif
