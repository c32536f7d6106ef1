/*
 * posixipc.h: reads the POSIX IPC objects of the namespaces being
 * reported: the files of the tmpfs at /dev/shm of the mount namespace
 * (shm_open, and sem_open's sem.NAME) and the mqueue fs of the IPC
 * namespace, with the processes that map or hold them open.  It never
 * creates, writes or removes an object, and prints nothing.
 */
#ifndef POSIXIPC_H
#define POSIXIPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctune.h"
#include "ipctype.h"

struct posixipc_opts {
	const char *root;	/* a fixture tree: POSIX objects not read */
	pid_t pid;		/* --pid: its /proc/PID/root/dev/shm */
	const char *ns_path;	/* --ns: /dev/shm known only for a PID */
	bool holders;		/* scan /proc for the holders */
};

/*
 * Read the POSIX objects WANT (KS_PSHM, KS_PSEM, KS_PMQ bits) names
 * into KS, sorted by name, with the filesystems they live in
 * (ks->dev_shm, ks->mqueue) and, if O->holders, their holders.  A
 * filesystem that cannot be read leaves its types unread (has_* false)
 * and says why in its posix_fs (what a command reports, never fatal).
 */
void posixipc_read(const struct posixipc_opts *o, struct kstate *ks,
    unsigned want);

/*
 * Open the directory holding the objects of POSIX type T for O: the
 * /dev/shm of the mount namespace asked for, or a private mount of the
 * current IPC namespace's mqueue fs.  Fills FS (path, source, limits);
 * a descriptor (O_DIRECTORY, close-on-exec), or -1 with FS->why.
 */
int posixipc_open_dir(const struct posixipc_opts *o, enum ipc_type t,
    struct posix_fs *fs);

/*
 * The process whose mount namespace's /dev/shm O names: --pid, or the
 * PID of --ns /proc/PID/ns/ipc; 0 for ipctune's own, -1 for none (any
 * other namespace file, a bind mount, says nothing of its users' mounts).
 */
pid_t posixipc_shm_pid(const struct posixipc_opts *o);

/*
 * Where paths the kernel prints for files of O's /dev/shm resolve (a
 * loop device's backing file): the fixture root, /proc/PID/root with
 * --pid, or "" for ipctune's own root, into BUF.
 */
void posixipc_fsroot(const struct posixipc_opts *o, char *buf, size_t len);

/*
 * fstatat(DIRFD, NAME, AT_SYMLINK_NOFOLLOW): a regular file into P and
 * F (F->name a copy of NAME, no holders); -1 with errno, EINVAL when
 * NAME is not a regular file.  For re-checking a name before acting.
 */
int posixipc_stat_at(int dirfd, const char *name, struct obj_perm *p,
    struct posix_file *f);

/*
 * Parse the text of an mqueue file, "QSIZE:%-10lu NOTIFY:%-5d
 * SIGNO:%-5d NOTIFY_PID:%-6d\n" (ipc/mqueue.c, mqueue_read_file()),
 * of LEN bytes, into Q; 0, or -1 if malformed.
 */
int posixipc_parse_mq(const char *buf, size_t len, struct pmq_obj *q);

/*
 * The value and waiters of the glibc sem_t in the first LEN bytes of a
 * sem.NAME file; 0, or -1 if LEN is too short for this ABI.
 */
int posixipc_sem_decode(const unsigned char *buf, size_t len,
    uint32_t *value, uint32_t *nwaiters);

/*
 * Find in the text of a mountinfo file the mount of device DEV (user
 * space encoding) at mount point MNT: its filesystem type and source
 * into FSTYPE and SOURCE (mountinfo's octal escapes kept); 0 or -1.
 */
int posixipc_mountinfo_find(const char *buf, uint64_t dev, const char *mnt,
    char *fstype, size_t ftlen, char *source, size_t srclen);

#endif
