/*
 * objdetail.c: the lifecycle of one object's detail, finding the object
 * in a kstate, and the names of the PID roles, run states and system
 * calls.  It reads nothing: the live members are filled by ipcdetail.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "objdetail.h"
#include "xmalloc.h"

const char *const objdetail_run_names[ODR_AMBIGUOUS + 1] = {
	[ODR_NONE] = "none",
	[ODR_RUNS] = "runs",
	[ODR_GONE] = "gone",
	[ODR_UNKNOWN] = "unknown",
	[ODR_REUSED] = "reused",
	[ODR_AMBIGUOUS] = "ambiguous",
};

const char *const objdetail_call_names[ODC_COUNT] = {
	[ODC_SEMOP] = "semop",
	[ODC_SEMTIMEDOP] = "semtimedop",
	[ODC_MSGSND] = "msgsnd",
	[ODC_MSGRCV] = "msgrcv",
};

const char *const objdetail_role_names[ODP_COUNT] = {
	[ODP_CPID] = "cpid",
	[ODP_LPID] = "lpid",
	[ODP_LSPID] = "lspid",
	[ODP_LRPID] = "lrpid",
};

void
objdetail_init(struct objdetail *d)
{
	memset(d, 0, sizeof(*d));
}

void
objdetail_release(struct objdetail *d)
{
	free(d->attachers);
	free(d->sems);
	free(d->waiters);
	objdetail_init(d);
}

int
objdetail_find(const struct kstate *ks, enum ipc_type type, int id,
    struct objdetail *d)
{
	size_t i;

	d->type = type;
	d->page_size = ks->host.page_size ? ks->host.page_size : 4096;
	switch (type) {
	case IPC_SHM:
		for (i = 0; i < ks->nshm && ks->shm[i].perm.id != id; i++)
			;
		if (i == ks->nshm)
			break;
		d->shm = ks->shm[i];
		return 0;
	case IPC_SEM:
		for (i = 0; i < ks->nsem && ks->sem[i].perm.id != id; i++)
			;
		if (i == ks->nsem)
			break;
		d->sem = ks->sem[i];
		return 0;
	case IPC_MSG:
		for (i = 0; i < ks->nmsg && ks->msg[i].perm.id != id; i++)
			;
		if (i == ks->nmsg)
			break;
		d->msg = ks->msg[i];
		return 0;
	/* show covers the System V types; POSIX objects have no id */
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	errno = ENOENT;
	return -1;
}

void
objdetail_roles(struct objdetail *d)
{
	pid_t pids[ODP_COUNT] = { 0 };

	memset(d->has_role, 0, sizeof(d->has_role));
	switch (d->type) {
	case IPC_SHM:
		d->has_role[ODP_CPID] = d->has_role[ODP_LPID] = true;
		pids[ODP_CPID] = d->shm.cpid;
		pids[ODP_LPID] = d->shm.lpid;
		break;
	case IPC_MSG:
		d->has_role[ODP_LSPID] = d->has_role[ODP_LRPID] = true;
		pids[ODP_LSPID] = d->msg.lspid;
		pids[ODP_LRPID] = d->msg.lrpid;
		break;
	case IPC_SEM:		/* each semaphore has its own sempid */
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	for (int r = 0; r < ODP_COUNT; r++) {
		memset(&d->role[r], 0, sizeof(d->role[r]));
		d->role[r].pid = pids[r];
		d->role[r].run = pids[r] > 0 ? ODR_UNKNOWN : ODR_NONE;
	}
}

int64_t
objdetail_role_time(const struct objdetail *d, enum objdetail_role role)
{
	switch (role) {
	case ODP_CPID:
		return d->shm.ctime;
	case ODP_LPID:
		return d->shm.atime > d->shm.dtime ? d->shm.atime :
		    d->shm.dtime;
	case ODP_LSPID:
		return d->msg.stime;
	case ODP_LRPID:
		return d->msg.rtime;
	case ODP_COUNT:
		break;
	}
	return 0;
}

void
objdetail_add_waiter(struct objdetail *d, const struct objdetail_waiter *w)
{
	d->waiters = xreallocarray(d->waiters, d->nwaiters + 1,
	    sizeof(*d->waiters));
	d->waiters[d->nwaiters++] = *w;
}

void
objdetail_add_attacher(struct objdetail *d, const struct objdetail_proc *p)
{
	d->attachers = xreallocarray(d->attachers, d->nattachers + 1,
	    sizeof(*d->attachers));
	d->attachers[d->nattachers++] = *p;
}
