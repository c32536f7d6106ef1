/*
 * nstarget.h: the IPC namespace apply, verify and rollback act on when
 * --pid or --ns names another one.  It enters that namespace for the
 * whole process (ksource.c's setns), so /proc/sys writes land there, and
 * names the state directory and the identity the record keeps.  It
 * prints nothing and never writes.
 */
#ifndef NSTARGET_H
#define NSTARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ksource.h"
#include "state.h"

/* The namespace the writes go to. */
struct nstarget {
	bool other;		/* not this process's own namespace */
	uint64_t inode;		/* of the namespace now entered */
	pid_t pid;		/* --pid, or 0 */
	uint64_t pid_start;	/* its start, clock ticks after boot; 0 */
	const char *path;	/* --ns, or NULL */
};

/*
 * Enter the IPC namespace OPTS names (none: T->other false) and fill T.
 * A process that is gone is said so, for apply, verify and rollback
 * alike.  0, or -1 with ERR.
 */
int nstarget_enter(const struct ksource_opts *opts, struct nstarget *t,
    char *err, size_t errlen);

/*
 * The state directory of T under BASE: BASE itself for this process's
 * own namespace, BASE/ns-INODE for another, so that an apply in a
 * container never replaces the host's record.  0, or -1 (ENAMETOOLONG).
 */
int nstarget_state_dir(const char *base, const struct nstarget *t,
    char *buf, size_t len);

/* Put T's identity (the process used and its start) into R. */
void nstarget_record(const struct nstarget *t, struct state_record *r);

/*
 * Refuse R when it was written in another namespace than this one, or when the
 * process its apply used is gone and the namespace may be a new one
 * reusing the inode, unless ANY; ANYWAY ends the advice.  0, or -1 with
 * ERR.
 */
int nstarget_check(const struct state_record *r, bool any,
    const char *anyway, char *err, size_t errlen);

#endif
