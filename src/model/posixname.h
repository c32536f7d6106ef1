/*
 * posixname.h: the naming conventions of programs that put their own
 * PID into the names of the POSIX objects they create, as data.  It
 * parses names only; what a PID found this way proves is the orphan
 * judge's business, and it never looks at a process.
 */
#ifndef POSIXNAME_H
#define POSIXNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ipctype.h"

/*
 * One convention: a file name of type TYPE that starts with PREFIX,
 * then the creator's PID in decimal, then the character END.
 */
struct posixname_conv {
	enum ipc_type type;	/* IPC_PSHM, IPC_PSEM or IPC_PMQ */
	const char *prefix;	/* the directory entry's (sem.NAME) */
	char end;		/* the character after the digits */
	const char *program;	/* who names its objects so */
	const char *source;	/* where the convention is written */
	/*
	 * the name was given by a rename (its ctime), not at creation: the
	 * PID's process started before the rename, long after the file
	 */
	bool renamed;
};

/* The conventions, and how many there are. */
extern const struct posixname_conv posixname_table[];
extern const size_t posixname_count;

/*
 * The creator's PID that NAME, a file of type TYPE, carries by one of
 * the conventions: the row, and the PID in *PID; NULL when none fits.
 */
const struct posixname_conv *posixname_pid(enum ipc_type type,
    const char *name, pid_t *pid);

#endif
