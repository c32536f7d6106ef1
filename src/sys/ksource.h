/*
 * ksource.h: reads the kernel's IPC state (sysctls, usage counters,
 * objects, host facts) into a struct kstate, from the live kernel
 * (syscalls first) or from a fixture tree of /proc text (--root), and
 * enters another IPC namespace (--pid/--ns).  It writes nothing.
 */
#ifndef KSOURCE_H
#define KSOURCE_H

#include <stddef.h>

#include "ipctune.h"
#include "ipctype.h"

/*
 * What a command needs; a command reads only that.  The objects of each
 * type have the bit the type table gives them (ipctype.h).
 */
enum ksource_want {
	KS_SYSCTL = 1 << 0,	/* every IPC sysctl */
	KS_USAGE = 1 << 1,	/* *_INFO counters, /dev/shm, mqueue */
	KS_SHM = IPC_TYPE_WANT(IPC_SHM),	/* every segment */
	KS_SEM = IPC_TYPE_WANT(IPC_SEM),	/* every semaphore array */
	KS_MSG = IPC_TYPE_WANT(IPC_MSG),	/* every message queue */
	KS_PSHM = IPC_TYPE_WANT(IPC_PSHM),	/* every /dev/shm file */
	KS_PSEM = IPC_TYPE_WANT(IPC_PSEM),	/* every /dev/shm/sem.* */
	KS_PMQ = IPC_TYPE_WANT(IPC_PMQ),	/* every POSIX queue */
	KS_OBJECTS = IPC_TYPES_WANT,	/* the objects of every type */
	KS_SYSV_OBJECTS = IPC_SYSV_WANT,	/* shm, sem and msg */
	KS_POSIX_OBJECTS = IPC_POSIX_WANT,	/* pshm, psem and pmq */
	KS_ALL = KS_SYSCTL | KS_USAGE | KS_OBJECTS,
};

enum ksource_reader {
	KSR_AUTO,		/* *_STAT_ANY, /proc/sysvipc if unsupported */
	KSR_SYSCALL,		/* *_STAT_ANY only */
	KSR_PROCFS,		/* /proc/sysvipc text only */
};

struct ksource_opts {
	const char *root;	/* fixture tree instead of /, or NULL */
	pid_t pid;		/* enter this process's IPC namespace */
	const char *ns_path;	/* or this namespace file */
	enum ksource_reader reader;
	unsigned want;
};

/*
 * Enter the IPC namespace named by OPTS (if any).  Only the namespace
 * changes, never the credentials.  0, or -1 with a message in ERR.
 */
int ksource_enter_ns(const struct ksource_opts *opts, char *err,
    size_t errlen);

/*
 * Read the object tables WANT names (KS_OBJECTS bits) into a KS
 * that ksource_read() filled before.  0, or -1 with a message in ERR.
 */
int ksource_read_objects(const struct ksource_opts *opts, struct kstate *ks,
    unsigned want, char *err, size_t errlen);

/* Fill KS as OPTS asks.  0, or -1 with a message in ERR. */
int ksource_read(const struct ksource_opts *opts, struct kstate *ks,
    char *err, size_t errlen);

/*
 * Read the segment with id ID again, just before acting on it: IPC_STAT,
 * or SHM_STAT_ANY by index without read permission.  0, or -1 with
 * errno (EINVAL or EIDRM: it is gone).
 */
/*
 * Fill the resident and swapped bytes of the segments of KS that lack
 * them from /proc/sysvipc/shm (the *_STAT_ANY reader has no per-segment
 * RSS); a segment re-created between the two reads keeps none.  0 or -1.
 */
int ksource_read_shm_rss(const struct ksource_opts *opts, struct kstate *ks,
    char *err, size_t errlen);

int ksource_stat_shm(int id, bool ipcmni_extend, struct shm_obj *o);
/* The same for the semaphore array with id ID. */
int ksource_stat_sem(int id, bool ipcmni_extend, struct sem_obj *o);
/* The same for the message queue with id ID. */
int ksource_stat_msg(int id, bool ipcmni_extend, struct msg_obj *o);

#endif
