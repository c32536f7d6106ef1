/*
 * proccaller.h: who a running process is, as the kernel judges its IPC
 * calls: its effective uid and gid, its RLIMIT_MSGQUEUE and its command,
 * read from /proc/PID.  It reads only that process's files and decides
 * nothing.
 */
#ifndef PROCCALLER_H
#define PROCCALLER_H

#include <stddef.h>
#include <sys/types.h>

#include "ipccall.h"

/*
 * Read process PID (under ROOT, "" for /) into C: pid, uid, gid, comm
 * and RLIMIT_MSGQUEUE (has_rlimit_msgqueue false when its limits cannot
 * be read).  0, or -1 with errno and the reason in ERR.
 */
int proccaller_read(const char *root, pid_t pid, struct ipccall_caller *c,
    char *err, size_t errlen);

#endif
