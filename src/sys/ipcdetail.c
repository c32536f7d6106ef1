/*
 * ipcdetail.c: reads what 'show' tells about one object beyond its
 * fields: per-semaphore values by semctl, a segment's rss and swap from
 * /proc/sysvipc/shm, attachers and waiters through procscan, the call
 * each waiter is blocked in, and the user and state of each process
 * named.  It decides nothing and changes nothing.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/uio.h>
#include <unistd.h>

#include "errstr.h"
#include "infile.h"
#include "ipcdetail.h"
#include "numparse.h"
#include "procparse.h"
#include "xmalloc.h"

int
ipcdetail_parse_status_uid(const char *buf, uid_t *uid)
{
	uint32_t ids[2];

	/* "Uid:\tREAL\tEFFECTIVE\tSAVED\tFS": the effective one */
	if (procparse_status_ids(buf, "Uid:", ids, 2) != 2)
		return -1;
	*uid = (uid_t)ids[1];
	return 0;
}

static void
warn_once(char *warn, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keep the first reason something could not be read. */
static void
warn_once(char *warn, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (warn[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(warn, len, fmt, ap);
	va_end(ap);
}

/*
 * Whether PID runs, its command and its user, into P.  EVENT (0: none)
 * is when the object recorded PID: a process that started later is
 * another one that got the PID again, and one that started at most
 * ORPHAN_START_SLACK_S later may be (the clocks of the two can differ
 * by a step of the wall clock).
 */
static void
read_proc(struct procscan *ps, pid_t pid, int64_t event,
    struct objdetail_proc *p)
{
	struct orphan_proc op;
	char path[600], *buf;
	size_t len;
	int r;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->run = ODR_NONE;
	if (pid <= 0)
		return;
	memset(&op, 0, sizeof(op));
	r = procscan_proc(ps, pid, &op);
	p->run = r == 0 ? ODR_RUNS : r == ORPHAN_PROC_GONE ? ODR_GONE :
	    ODR_UNKNOWN;
	if (r != 0)
		return;
	if (event > 0 && op.start_time > event + ORPHAN_START_SLACK_S)
		p->run = ODR_REUSED;
	else if (event > 0 && op.start_time > event)
		p->run = ODR_AMBIGUOUS;
	snprintf(p->comm, sizeof(p->comm), "%s", op.comm);
	snprintf(path, sizeof(path), "%s/proc/%d/status", ps->root, (int)pid);
	if (infile_read(path, 0, 1u << 16, &buf, &len, NULL, 0) < 0)
		return;
	p->has_uid = ipcdetail_parse_status_uid(buf, &p->uid) == 0;
	free(buf);
}

/* semctl GETVAL, GETNCNT, GETZCNT and GETPID of each semaphore. */
static int
read_sems(struct procscan *ps, struct objdetail *d)
{
	/*
	 * ksys_semget() bounds nsems by semmsl, which may be set up to
	 * INT_MAX; beyond IPCDETAIL_SEMS_MAX the rows (four semctl calls
	 * each) are not read.
	 */
	size_t n = d->sem.nsems;

	if (n == 0 || n > IPCDETAIL_SEMS_MAX) {
		errno = EFBIG;
		return -1;
	}
	d->sems = xcalloc(n, sizeof(*d->sems));
	d->nsems = n;
	for (size_t i = 0; i < n; i++) {
		/*
		 * One call per value, not GETALL: GETALL copies as many
		 * values as the array has now, and an array made again
		 * under the same id may have more than D holds.
		 */
		int v = semctl(d->sem.perm.id, (int)i, GETVAL);
		int nc = semctl(d->sem.perm.id, (int)i, GETNCNT);
		int zc = semctl(d->sem.perm.id, (int)i, GETZCNT);
		int pid = semctl(d->sem.perm.id, (int)i, GETPID);

		if (v < 0 || nc < 0 || zc < 0 || pid < 0) {
			free(d->sems);
			d->sems = NULL;
			d->nsems = 0;
			return -1;
		}
		d->sems[i].value = (unsigned)v;
		d->sems[i].ncnt = (unsigned)nc;
		d->sems[i].zcnt = (unsigned)zc;
		/* semop sets sempid and otime, SETVAL and SETALL sempid and
		 * ctime (ipc/sem.c): the later is the latest it can be */
		read_proc(ps, (pid_t)pid, d->sem.otime > d->sem.ctime ?
		    d->sem.otime : d->sem.ctime, &d->sems[i].last);
	}
	d->has_sems = true;
	return 0;
}

/* The rss and swap of segment D from ROOT/proc/sysvipc/shm. */
static int
read_rss(const struct procscan *ps, struct objdetail *d)
{
	char path[600], err[256], *buf;
	struct shm_obj *objs = NULL;
	size_t len, n = 0;
	int r = -1;

	snprintf(path, sizeof(path), "%s/proc/sysvipc/shm", ps->root);
	if (infile_read(path, 0, 1u << 30, &buf, &len, NULL, 0) < 0)
		return -1;
	if (procparse_shm(buf, len, &objs, &n, err, sizeof(err)) < 0)
		errno = EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (objs[i].perm.id != d->shm.perm.id || !objs[i].has_rss)
			continue;
		d->shm.has_rss = true;
		d->shm.rss_bytes = objs[i].rss_bytes;
		d->shm.swap_bytes = objs[i].swap_bytes;
		r = 0;
	}
	if (r < 0 && n > 0)
		errno = ENOENT;
	free(objs);
	free(buf);
	return r;
}

/* The attachers of segment D, by the maps scan of PS. */
static int
read_attachers(struct procscan *ps, struct objdetail *d)
{
	const struct orphan_attacher *a;
	struct orphan_attacher *copy;
	size_t n;

	if (procscan_scan_maps(ps) < 0)
		return -1;
	n = procscan_attachers(ps, d->shm.perm.id, &a);
	/* procscan_proc() may reuse the memory A points into */
	copy = n ? xreallocarray(NULL, n, sizeof(*copy)) : NULL;
	if (n)
		memcpy(copy, a, n * sizeof(*copy));
	for (size_t i = 0; i < n; i++) {
		struct objdetail_proc p;

		read_proc(ps, copy[i].pid, 0, &p);
		if (p.comm[0] == '\0')
			snprintf(p.comm, sizeof(p.comm), "%s", copy[i].comm);
		objdetail_add_attacher(d, &p);
	}
	free(copy);
	d->has_attachers = true;
	return 0;
}

/*
 * The semaphore operations W's call asks for, read from the memory of
 * PID at SOPS (process_vm_readv(2): ptrace access, so root or the same
 * user; the live system only).  The thread may have woken and the
 * memory changed since: what is read is checked, and dropped if it
 * names a semaphore the array does not have.
 */
static void
read_sops(const struct procscan *ps, pid_t pid, uint64_t sops,
    uint64_t nsems, struct objdetail_waiter *w)
{
	struct sembuf buf[OBJDETAIL_OPS_MAX];
	struct iovec local, remote;
	size_t n;
	ssize_t got;

	if (!ps->live || sops == 0 || !w->has_arg || w->arg <= 0)
		return;
	n = (uint64_t)w->arg < OBJDETAIL_OPS_MAX ? (size_t)w->arg :
	    OBJDETAIL_OPS_MAX;
	local.iov_base = buf;
	local.iov_len = n * sizeof(buf[0]);
	remote.iov_base = (void *)(uintptr_t)sops;
	remote.iov_len = local.iov_len;
	got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (got != (ssize_t)local.iov_len)
		return;
	for (size_t i = 0; i < n; i++) {
		if (buf[i].sem_num >= nsems)
			return;
		w->ops[i].num = buf[i].sem_num;
		w->ops[i].op = buf[i].sem_op;
		w->ops[i].flg = buf[i].sem_flg;
	}
	w->nops = n;
	w->has_ops = true;
}

/* Add each distinct call a thread of PID is blocked in on D's object. */
static void
read_calls(struct procscan *ps, pid_t pid, enum ipc_type type, int id,
    struct objdetail *d)
{
	char path[600], *buf;
	bool seen[ODC_COUNT] = { false };
	struct objdetail_proc p;
	struct dirent *de;
	size_t len;
	DIR *dir;

	read_proc(ps, pid, 0, &p);
	snprintf(path, sizeof(path), "%s/proc/%d/task", ps->root, (int)pid);
	dir = opendir(path);
	if (dir == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		struct procparse_call c;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/proc/%d/task/%.20s/syscall",
		    ps->root, (int)pid, de->d_name);
		if (infile_read(path, 0, 1024, &buf, &len, NULL, 0) < 0)
			continue;
		if (procparse_syscall(buf, &c) == 0 && c.type == type &&
		    c.id == id && !seen[c.call]) {
			struct objdetail_waiter wt;

			memset(&wt, 0, sizeof(wt));
			wt.who = p;
			wt.call = c.call;
			wt.has_arg = c.has_arg;
			wt.arg = c.arg;
			if (type == IPC_SEM)
				read_sops(ps, pid, c.sops, d->sem.nsems, &wt);
			seen[c.call] = true;
			objdetail_add_waiter(d, &wt);
		}
		free(buf);
	}
	closedir(dir);
}

/* The processes blocked on D's array or queue, with their calls. */
static int
read_waiters(struct procscan *ps, struct objdetail *d)
{
	const struct orphan_attacher *w;
	enum ipc_type type = d->type;
	int id = type == IPC_SEM ? d->sem.perm.id : d->msg.perm.id;
	pid_t *pids;
	size_t n;

	if (procscan_scan_waits_for(ps, type, id) < 0)
		return -1;
	n = procscan_waiters(ps, type, id, &w);
	pids = n ? xreallocarray(NULL, n, sizeof(*pids)) : NULL;
	for (size_t i = 0; i < n; i++)
		pids[i] = w[i].pid;
	/* the thread may have woken since: then it is not listed */
	for (size_t i = 0; i < n; i++)
		read_calls(ps, pids[i], type, id, d);
	free(pids);
	d->has_waiters = true;
	d->waiters_partial = ps->waits_partial || ps->hidden ||
	    ps->proc_foreign;
	return 0;
}

void
ipcdetail_read(struct procscan *ps, struct objdetail *d, char *warn,
    size_t warnlen)
{
	const char *root = ps->root;

	warn[0] = '\0';
	d->live = true;
	objdetail_roles(d);
	for (int r = 0; r < ODP_COUNT; r++)
		if (d->has_role[r])
			read_proc(ps, d->role[r].pid, objdetail_role_time(d,
			    (enum objdetail_role)r), &d->role[r]);
	switch (d->type) {
	case IPC_SHM:
		if (!d->shm.has_rss && read_rss(ps, d) < 0)
			warn_once(warn, warnlen, "cannot read the rss and swap "
			    "of the segment from '%s/proc/sysvipc/shm': %s",
			    root, errstr(errno));
		if (read_attachers(ps, d) < 0)
			warn_once(warn, warnlen, "cannot scan '%s/proc' for "
			    "attachers: %s", root, errstr(errno));
		break;
	case IPC_SEM:
		/* a --root tree has no semctl to ask */
		if (ps->live && read_sems(ps, d) < 0 && errno == EFBIG)
			warn_once(warn, warnlen, "array '%d' has %" PRIu64
			    " semaphores: more than %d are not read one by "
			    "one", d->sem.perm.id, d->sem.nsems,
			    IPCDETAIL_SEMS_MAX);
		else if (ps->live && !d->has_sems)
			warn_once(warn, warnlen, "cannot read the semaphores "
			    "of array '%d': %s", d->sem.perm.id,
			    errstr(errno));
		/* FALLTHROUGH */
	case IPC_MSG:
		if (read_waiters(ps, d) < 0)
			warn_once(warn, warnlen, "cannot scan '%s/proc' for "
			    "waiting processes: %s", root, errstr(errno));
		break;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
}
