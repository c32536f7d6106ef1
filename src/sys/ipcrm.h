/*
 * ipcrm.h: the writer that takes an IPC object's permissions away and
 * back (IPC_SET), removes it (IPC_RMID) and saves a segment's contents
 * before removal (read-only attach, atomic files), and copies a POSIX
 * object's file.
 * It decides nothing: the caller has judged and re-checked the object.
 */
#ifndef IPCRM_H
#define IPCRM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctype.h"

/* IPC_RMID the object ID of TYPE; 0, or -1 with errno. */
int ipcrm_remove(enum ipc_type type, int id);

/* The owner and permissions IPC_SET sets (qbytes: queues only). */
struct ipcrm_perm {
	uid_t uid;
	gid_t gid;
	uint32_t mode;		/* the low nine bits are set */
	uint64_t qbytes;
};

/* IPC_SET owner, group and mode (and msg_qbytes) of object ID of TYPE. */
int ipcrm_set_perm(enum ipc_type type, int id,
    const struct ipcrm_perm *p);

/*
 * Wait until every shmat, semop, msgsnd and msgrcv that passed its
 * permission check before now has taken effect (an RCU grace period,
 * by membarrier(2)).  0, or -1 with errno when the kernel cannot.
 */
int ipcrm_sync(void);

/* Attach segment ID read-only; its address, or NULL with errno. */
const void *ipcrm_attach_ro(int id);
/* Detach a segment attached by ipcrm_attach_ro(); 0 or -1. */
int ipcrm_detach(const void *addr);

/*
 * Open the backup directory DIR, creating it with mode 0700 if missing;
 * a symlink is refused.  A directory fd, or -1 with a message in ERR.
 */
int ipcrm_backup_open(const char *dir, char *err, size_t errlen);

/*
 * Write LEN bytes of BUF as NAME in directory DIRFD atomically: a new
 * temporary file (O_EXCL, O_NOFOLLOW, mode 0600), fsync, rename, fsync
 * of the directory.  0, or -1 with errno.
 */
int ipcrm_write_atomic(int dirfd, const char *name, const void *buf,
    size_t len);

/*
 * Read the small regular file NAME of DIRFD (not through a symlink) into
 * a NUL-terminated buffer; 0, or -1 with errno (ENOENT if missing) and
 * the reason in WHY.
 */
int ipcrm_read_small(int dirfd, const char *name, char **bufp,
    size_t *lenp, char *why, size_t whylen);

/*
 * Copy the regular file open at SRC, of SIZE bytes, as NAME in directory
 * DIRFD atomically, as ipcrm_write_atomic() does: holes stay holes
 * (SEEK_DATA, SEEK_HOLE), HEX gets the SHA-256 of the SIZE bytes.  The
 * copy is synced, and so is DIRFD, before it returns 0; -1 with errno,
 * EIO if SRC does not hold SIZE bytes.
 */
int ipcrm_copy_atomic(int dirfd, const char *name, int src, uint64_t size,
    char hex[65]);

#endif
