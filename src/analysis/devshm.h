/*
 * devshm.h: how to make the /dev/shm tmpfs a given size for the next
 * boot, in the way the host mounts it: its /etc/fstab line rewritten with
 * the new size=, a drop-in for an explicit dev-shm.mount unit, or a new
 * fstab line.  Pure text from the facts devshm_read() gathered.
 */
#ifndef DEVSHM_H
#define DEVSHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devshmfacts.h"

enum devshm_persist {
	DEVSHM_FSTAB_EDIT,	/* the /dev/shm line of /etc/fstab, changed */
	DEVSHM_MOUNT_DROPIN,	/* dev-shm.mount.d/ drop-in for the unit */
	DEVSHM_FSTAB_ADD,	/* a new /etc/fstab line */
};

/*
 * The way to persist SIZE bytes (rounded up to KiB) on host H, the file
 * it goes to (relative to /) in FILE and the text to write in TEXT.
 */
enum devshm_persist devshm_persist_text(const struct devshm_host *h,
    uint64_t size, char *file, size_t filelen, char *text, size_t textlen);

/*
 * The mount options of fstab line LINE with size= set to SIZEK KiB
 * (an existing size= dropped) into OUT.  0, or -1 when LINE is not a
 * "spec file type options ..." line.
 */
int devshm_fstab_options(const char *line, uint64_t sizek, char *out,
    size_t outlen);

#endif
