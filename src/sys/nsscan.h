/*
 * nsscan.h: finds every IPC namespace on the host through
 * /proc/PID/ns/ipc, with its processes, their cgroup paths and the
 * /dev/shm mounts they see, and reads each namespace's limits and usage
 * from inside it (setns(2) in a child process).  It names no container
 * and judges nothing; it writes nothing.
 */
#ifndef NSSCAN_H
#define NSSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsinfo.h"

enum nsscan_flags {
	NSSCAN_STATE = 1 << 0,	/* read each namespace's limits and usage */
	NSSCAN_SHM = 1 << 1,	/* find the /dev/shm mounts */
};

struct nsscan {
	struct nsinfo *ns;	/* ascending by inode */
	size_t nns;
	uint64_t self_ino;	/* ipctune's IPC namespace */
	uint64_t init_ino;	/* PID 1's: the host's, as /proc shows it */
	size_t nprocs;		/* processes found */
	size_t nvanished;	/* processes that exited during the scan */
	size_t nunreadable;	/* processes whose namespace link is hidden */
};

/* Prepare an empty S (no allocation). */
void nsscan_init(struct nsscan *s);
/* Free what S holds. */
void nsscan_release(struct nsscan *s);

/*
 * Scan /proc into S as FLAGS asks.  A process or a namespace that goes
 * away during the scan is counted or marked NSI_GONE, never an error.
 * 0, or -1 with a message in ERR (/proc unreadable, no child process).
 */
int nsscan_run(struct nsscan *s, unsigned flags, char *err, size_t errlen);

#endif
