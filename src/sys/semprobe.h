/*
 * semprobe.h: the per-semaphore facts the orphan judge asks of every
 * array (semctl GETPID, GETNCNT, GETZCNT), read ahead for all arrays at
 * once on as many threads as there are CPUs to use.  The answers are
 * the kernel's, errors included; it judges nothing.
 */
#ifndef SEMPROBE_H
#define SEMPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctune.h"

struct semprobe_entry {
	int id;
	size_t nsems;
	size_t off;		/* first of its PIDs in semprobe.pids */
	int pids_rc, pids_errno;	/* of procscan_sem_pids() */
	int wait_rc, wait_errno;	/* of procscan_sem_waiting() */
	uint64_t waiting;
	bool wait_young;	/* changed within semprobe_skip's age */
	bool wait_read;		/* waiting and wait_rc were read */
};

/*
 * Arrays whose waiters are not read ahead: those that changed (otime or
 * ctime) less than MIN_AGE_S before NOW and whose every PID reads 0, and
 * the others when one of their PIDs names a process that exists.  The
 * orphan judge, keeping no array in use, finds such an array in use
 * without its waiters; if it asks all the same, they are read then.
 */
struct semprobe_skip {
	int64_t now;
	uint64_t min_age_s;
};

struct semprobe {
	struct semprobe_entry *e;	/* sorted by id */
	size_t n;
	pid_t *pids;
};

/*
 * Read the facts of the N arrays SEMS on up to NTHREADS threads (and
 * the calling one) into SP, which semprobe_release() frees; the waiters
 * of the arrays SKIP names (NULL: none) are left unread.
 */
void semprobe_run(struct semprobe *sp, const struct sem_obj *sems, size_t n,
    unsigned nthreads, const struct semprobe_skip *skip);
void semprobe_release(struct semprobe *sp);
/*
 * The answers read for SEMID of NSEMS semaphores, as procscan_sem_pids()
 * and procscan_sem_waiting() would give them: true with *RC (and errno
 * when -1) set, or false when that array (or its waiters) was not read.
 */
bool semprobe_pids(const struct semprobe *sp, int semid, size_t nsems,
    pid_t *pids, int *rc);
bool semprobe_waiting(const struct semprobe *sp, int semid, size_t nsems,
    uint64_t *n, int *rc);
/* The threads worth using: the CPUs this process may run on, up to 8. */
unsigned semprobe_threads(void);

#endif
