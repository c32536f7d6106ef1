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

/* The first line of the dev-shm.mount drop-in: rollback --force needs it. */
#define DEVSHM_MARKER "# ipctune: the /dev/shm size (ipctune rollback " \
	"restores the previous one)\n"

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

/*
 * The whole fstab TEXT with /dev/shm at SIZEK KiB, into *OUT (malloc'd):
 * the options field of its one /dev/shm line set by
 * devshm_fstab_options(), every other byte kept, or a new tmpfs line
 * appended when there is none.  -1 with ERR (and *OUT NULL) when the
 * line is not tmpfs, has no options field, or appears more than once.
 */
int devshm_fstab_set(const char *text, uint64_t sizek, char **out,
    char *err, size_t errlen);

/*
 * Is LINE (LEN bytes, no newline) an fstab entry for /dev/shm?  Comments
 * and blank lines are not.
 */
bool devshm_fstab_is_shm(const char *line, size_t len);

/*
 * The size in bytes the next boot gives /dev/shm from TEXT: the one
 * /dev/shm line of an fstab, or with DROPIN the Options= of a
 * dev-shm.mount drop-in (the last size= wins, as in shmem_parse_one(),
 * mm/shmem.c).  0, or -1 when there is none, or it is not a plain
 * number with an optional k, m or g (a size=N% depends on RAM).
 */
int devshm_boot_size(const char *text, bool dropin, uint64_t *bytes);

#endif
