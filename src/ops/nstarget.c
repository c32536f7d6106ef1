/*
 * nstarget.c: entering the IPC namespace --pid or --ns names before apply,
 * verify or rollback touch /proc/sys, and telling later whether a record
 * was written in that same namespace.  The IPC sysctls act on the
 * writer's namespace at write time (ipc/ipc_sysctl.c takes
 * current->nsproxy->ipc_ns), so one setns(2) before any write is enough.
 * It writes nothing and prints nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "infile.h"
#include "nstarget.h"
#include "procscan.h"
#include "statedir.h"

/* When PID started (field 22 of /proc/PID/stat).  0, or -1 with errno. */
static int
pid_start(pid_t pid, uint64_t *start)
{
	char path[64], *buf, state;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (infile_read(path, 0, 4096, &buf, &len, NULL, 0) < 0)
		return -1;
	r = procscan_parse_stat(buf, &state, start);
	free(buf);
	/* a zombie has left its namespaces: /proc/PID/ns/ipc is gone */
	if (r < 0 || state == 'Z') {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

static int
gone(pid_t pid, char *err, size_t errlen)
{
	snprintf(err, errlen, "process %d is gone: there is no IPC namespace "
	    "to enter through it (a runtime value set in a container "
	    "ended with it)", (int)pid);
	errno = ESRCH;
	return -1;
}

int
nstarget_enter(const struct ksource_opts *opts, struct nstarget *t,
    char *err, size_t errlen)
{
	struct stat own;
	uint64_t again;
	int host;

	memset(t, 0, sizeof(*t));
	if (opts->pid == 0 && opts->ns_path == NULL)
		return 0;
	if (stat("/proc/self/ns/ipc", &own) < 0) {
		snprintf(err, errlen, "cannot read /proc/self/ns/ipc: %s",
		    strerror(errno));
		return -1;
	}
	t->pid = opts->pid;
	t->path = opts->ns_path;
	if (t->pid != 0 && pid_start(t->pid, &t->pid_start) < 0)
		return gone(t->pid, err, errlen);
	if (ksource_enter_ns(opts, err, errlen) < 0) {
		if (t->pid != 0 && errno == ENOENT)
			return gone(t->pid, err, errlen);
		return -1;
	}
	/* the PID was reused between the two reads: not the one named */
	if (t->pid != 0 && (pid_start(t->pid, &again) < 0 ||
	    again != t->pid_start))
		return gone(t->pid, err, errlen);
	if (state_current_ns(&t->inode, &host) < 0) {
		snprintf(err, errlen, "cannot read /proc/self/ns/ipc: %s",
		    strerror(errno));
		return -1;
	}
	t->other = t->inode != (uint64_t)own.st_ino;
	return 0;
}

int
nstarget_state_dir(const char *base, const struct nstarget *t, char *buf,
    size_t len)
{
	char name[32];

	if (!t->other) {
		if ((size_t)snprintf(buf, len, "%s", base) >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return 0;
	}
	snprintf(name, sizeof(name), "ns-%" PRIu64, t->inode);
	return statedir_path(base, name, buf, len);
}

void
nstarget_record(const struct nstarget *t, struct state_record *r)
{
	r->ns_pid = t->other ? t->pid : 0;
	r->ns_pid_start = t->other ? t->pid_start : 0;
}

/* Does the process R's apply went through still live in R's namespace? */
static bool
same_process(const struct state_record *r)
{
	char path[64];
	struct stat st;
	uint64_t start;

	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)r->ns_pid);
	return pid_start(r->ns_pid, &start) == 0 &&
	    start == r->ns_pid_start && stat(path, &st) == 0 &&
	    (uint64_t)st.st_ino == r->ns_inode;
}

int
nstarget_check(const struct state_record *r, bool any, const char *anyway,
    char *err, size_t errlen)
{
	if (any)
		return 0;
	if (state_check_ns(r, false, anyway, err, errlen) < 0)
		return -1;
	/*
	 * An inode is reused once its namespace dies (containers.md): the
	 * process the apply went through, alive and still there, proves
	 * the namespace is the same one.
	 */
	if (r->ns_pid != 0 && r->ns_pid_start != 0 && !same_process(r)) {
		snprintf(err, errlen, "process %d, through which the last "
		    "apply entered IPC namespace inode %" PRIu64 ", is gone: "
		    "that namespace may have ended and its inode been reused; "
		    "--any-namespace %s", (int)r->ns_pid, r->ns_inode,
		    anyway);
		errno = ESRCH;
		return -1;
	}
	return 0;
}
