/*
 * proccaller.c: reads who a running process is for 'explain --caller':
 * the effective ids of /proc/PID/status (ipcperms() checks the euid,
 * ipc/util.c; mq_open the fsuid, which follows it), the soft "Max
 * msgqueue size" of /proc/PID/limits (mqueue_get_inode(), ipc/mqueue.c)
 * and /proc/PID/comm.  It reads and decides nothing else.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errstr.h"
#include "infile.h"
#include "proccaller.h"
#include "procparse.h"

/* /proc/PID/status and limits are a few KiB */
#define PROCCALLER_MAX (64 * 1024)

/* Read ROOT/proc/PID/NAME into *BUF; 0, or -1 with the reason in ERR. */
static int
read_proc(const char *root, pid_t pid, const char *name, char **buf,
    char *err, size_t errlen)
{
	char path[512], why[256] = "";
	size_t len;

	snprintf(path, sizeof(path), "%s/proc/%d/%s", root, (int)pid, name);
	if (infile_read(path, INFILE_NOFOLLOW, PROCCALLER_MAX, buf, &len,
	    why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "cannot read '%s': %s", path, why[0] ? why :
	    errstr(errno));
	return -1;
}

int
proccaller_read(const char *root, pid_t pid, struct ipccall_caller *c,
    char *err, size_t errlen)
{
	const char *r = root != NULL ? root : "";
	uint32_t uids[4], gids[4];
	char *buf;
	int n;

	memset(c, 0, sizeof(*c));
	c->pid = pid;
	if (read_proc(r, pid, "status", &buf, err, errlen) < 0)
		return -1;
	n = procparse_status_ids(buf, "Uid:", uids, 4);
	if (n >= 2 && procparse_status_ids(buf, "Gid:", gids, 4) >= 2) {
		c->uid = (uid_t)uids[1];
		c->gid = (gid_t)gids[1];
	} else {
		n = -1;
	}
	free(buf);
	if (n < 0) {
		snprintf(err, errlen, "%s/proc/%d/status: no effective uid "
		    "and gid", r, (int)pid);
		errno = EINVAL;
		return -1;
	}
	if (read_proc(r, pid, "comm", &buf, err, errlen) == 0) {
		snprintf(c->comm, sizeof(c->comm), "%.*s",
		    (int)strcspn(buf, "\n"), buf);
		free(buf);
	}
	/* limits that cannot be read leave the limit unknown */
	if (read_proc(r, pid, "limits", &buf, err, errlen) == 0) {
		c->has_rlimit_msgqueue = procparse_limit(buf,
		    "Max msgqueue size", &c->rlimit_msgqueue) == 0;
		free(buf);
	}
	err[0] = '\0';
	return 0;
}
