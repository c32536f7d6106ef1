/*
 * orphanfx.h: the effects the orphan judge takes, as an interface: what
 * the process scanner (procscan), the touch records (touchrec) and the
 * tests' fakes provide about running processes, attachers, waiters and
 * ipctune's own earlier accesses.  Types only; the judge is orphan.h.
 */
#ifndef ORPHANFX_H
#define ORPHANFX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctype.h"

#define ORPHAN_COMM_LEN 32

/*
 * A process that started at most this many seconds after the event its
 * PID was recorded for may still be the recorded one: start times are
 * the boot time plus ticks, and the boot time moves with every step of
 * the wall clock (NTP makestep, VM resume), while the kernel stamped the
 * event with the clock of its time.  Such a PID is PS_AMBIGUOUS.
 */
#define ORPHAN_START_SLACK_S 60

/* Return values of orphan_effects.proc besides 0 (runs). */
#define ORPHAN_PROC_GONE (-1)		/* no such process, or a zombie */
#define ORPHAN_PROC_UNREADABLE (-2)	/* exists or may: cannot inspect */

/* Bits of orphan_effects.limits: what the effects cannot see. */
#define ORPHAN_LIM_CHILD_PIDNS 1u	/* a PID of 0 may be a process */
#define ORPHAN_LIM_PIDS 2u		/* users outside may be unseen */
#define ORPHAN_LIM_WAITS 4u		/* not every wait could be read */
#define ORPHAN_LIM_UNSTATED 8u	/* child PID ns, no --pid: a PID of 0
					   beside visible ones may be outside */

/* What the effects know about one running process. */
struct orphan_proc {
	int64_t start_time;	/* seconds since the epoch, rounded down */
	char comm[ORPHAN_COMM_LEN];
};

/* A process that has a segment attached. */
struct orphan_attacher {
	pid_t pid;
	char comm[ORPHAN_COMM_LEN];
};

/*
 * What ipctune's own access (clean's read-only attach for a backup, its
 * IPC_SET) left on an object it then did not remove, and the evidence
 * the object held before.  The kernel cannot put lpid and the times
 * back, so the judge uses the evidence before while the object still
 * holds exactly what ipctune left.  Only shm has atime, dtime and lpid.
 */
struct orphan_touch {
	enum ipc_type type;
	int id;
	uint32_t key;
	int64_t at;		/* when ipctune touched it */
	int64_t left_ctime, left_atime, left_dtime;
	pid_t left_lpid;
	int64_t ctime, atime, dtime;	/* before ipctune touched it */
	pid_t lpid;
};

/* The effects the judge needs, injected so tests can fake them. */
struct orphan_effects {
	/*
	 * 0 and *P filled if PID runs (zombies do not), ORPHAN_PROC_GONE
	 * if it does not, ORPHAN_PROC_UNREADABLE if it cannot be told.
	 */
	int (*proc)(void *ctx, pid_t pid, struct orphan_proc *p);
	/* The last-op PID of each semaphore of SEMID into PIDS; 0 or -1. */
	int (*sem_pids)(void *ctx, int semid, size_t nsems, pid_t *pids);
	/* Visible attachers of SHMID; *OUT stays owned by the effects. */
	size_t (*shm_attachers)(void *ctx, int shmid,
	    const struct orphan_attacher **out);
	/* Processes blocked in a system call on semaphore array or queue ID */
	size_t (*waiters)(void *ctx, enum ipc_type type, int id,
	    const struct orphan_attacher **out);
	/*
	 * Tasks blocked in semop on semaphore array SEMID, as the kernel
	 * counts them (every PID namespace): 0 and *N, or -1.  May be NULL.
	 */
	int (*sem_waiting)(void *ctx, int semid, size_t nsems, uint64_t *n);
	/* ORPHAN_LIM_* bits; NULL means the effects see everything. */
	unsigned (*limits)(void *ctx);
	/* The value of each semaphore of SEMID into VALS; 0 or -1. */
	int (*sem_vals)(void *ctx, int semid, size_t nsems,
	    unsigned short *vals);
	/*
	 * The processes running as UID that started no later than BEFORE
	 * (seconds since the epoch): how many, the first in *FIRST; -1 if
	 * some process's owner or start could not be read.  May be NULL:
	 * then nothing is known.
	 */
	long (*owner_procs)(void *ctx, uid_t uid, int64_t before,
	    struct orphan_attacher *first);
	/* The POSIX holder scan missed processes (maps or fd unreadable) */
	bool holders_partial;
	/* ipctune's own earlier accesses, set aside by the judge */
	const struct orphan_touch *touches;
	size_t ntouches;
	void *ctx;
};

#endif
