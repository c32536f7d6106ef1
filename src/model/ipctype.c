/*
 * ipctype.c: the table of System V IPC object types and the accessors
 * that reach a type's objects in a struct kstate.  Lists of types and
 * per-type choices elsewhere derive from here; nothing here reads the
 * system or prints.
 */
#include <stdlib.h>
#include <string.h>

#include "ipctype.h"

/*
 * shmmni, semmni and msgmni bound the ids of each type (ipc_addid() in
 * ipc/util.c, against ids->in_use); newseg() also charges pages to
 * shmall (ipc/shm.c), newary() semaphores to semmns (ipc/sem.c).
 */
const struct ipc_type_desc ipctype_table[IPC_NTYPES] = {
	[IPC_SHM] = {
		.name = "shm", .json_key = "shm",
		.singular = "shared memory segment",
		.plural = "shared memory segments",
		.heading = "Shared memory segments",
		.short_singular = "segment", .short_plural = "segments",
		.limit_name = "SHMMNI", .ipcrm_opt = "-m",
		.limit = R_SHMMNI, .has_pool = true, .pool = R_SHMALL,
		.want = IPC_TYPE_WANT(IPC_SHM),
	},
	[IPC_SEM] = {
		.name = "sem", .json_key = "sem",
		.singular = "semaphore array",
		.plural = "semaphore arrays",
		.heading = "Semaphore arrays",
		.short_singular = "semaphore array",
		.short_plural = "semaphore arrays",
		.limit_name = "SEMMNI", .ipcrm_opt = "-s",
		.limit = R_SEMMNI, .has_pool = true, .pool = R_SEMMNS,
		.want = IPC_TYPE_WANT(IPC_SEM),
	},
	[IPC_MSG] = {
		.name = "msg", .json_key = "msg",
		.singular = "message queue",
		.plural = "message queues",
		.heading = "Message queues",
		.short_singular = "message queue",
		.short_plural = "message queues",
		.limit_name = "MSGMNI", .ipcrm_opt = "-q",
		.limit = R_MSGMNI, .has_pool = false, .pool = R_MSGMNI,
		.want = IPC_TYPE_WANT(IPC_MSG),
	},
};

int
ipctype_lookup(const char *name, enum ipc_type *tp)
{
	for (int t = 0; t < IPC_NTYPES; t++)
		if (strcmp(ipctype_table[t].name, name) == 0) {
			*tp = (enum ipc_type)t;
			return 0;
		}
	return -1;
}

size_t
ipctype_resources(enum ipc_type t, enum resource_id res[IPCTYPE_MAXRES])
{
	const struct ipc_type_desc *d = &ipctype_table[t];

	res[0] = d->limit;
	res[1] = d->pool;
	return d->has_pool ? 2 : 1;
}

bool
ipctype_has(const struct kstate *ks, enum ipc_type t)
{
	switch (t) {
	case IPC_SHM:
		return ks->has_shm;
	case IPC_SEM:
		return ks->has_sem;
	case IPC_MSG:
		return ks->has_msg;
	case IPC_NTYPES:
		break;
	}
	return false;
}

void
ipctype_set_has(struct kstate *ks, enum ipc_type t)
{
	switch (t) {
	case IPC_SHM:
		ks->has_shm = true;
		break;
	case IPC_SEM:
		ks->has_sem = true;
		break;
	case IPC_MSG:
		ks->has_msg = true;
		break;
	case IPC_NTYPES:
		break;
	}
}

size_t
ipctype_count(const struct kstate *ks, enum ipc_type t)
{
	switch (t) {
	case IPC_SHM:
		return ks->nshm;
	case IPC_SEM:
		return ks->nsem;
	case IPC_MSG:
		return ks->nmsg;
	case IPC_NTYPES:
		break;
	}
	return 0;
}

uint64_t
ipctype_in_use(const struct ipc_usage *u, enum ipc_type t)
{
	switch (t) {
	case IPC_SHM:
		return u->shm_segments;
	case IPC_SEM:
		return u->sem_arrays;
	case IPC_MSG:
		return u->msg_queues;
	case IPC_NTYPES:
		break;
	}
	return 0;
}

const void *
ipctype_obj(const struct kstate *ks, enum ipc_type t, size_t i)
{
	switch (t) {
	case IPC_SHM:
		return &ks->shm[i];
	case IPC_SEM:
		return &ks->sem[i];
	case IPC_MSG:
		return &ks->msg[i];
	case IPC_NTYPES:
		break;
	}
	return NULL;
}

const struct obj_perm *
ipctype_perm(const struct kstate *ks, enum ipc_type t, size_t i)
{
	switch (t) {
	case IPC_SHM:
		return &ks->shm[i].perm;
	case IPC_SEM:
		return &ks->sem[i].perm;
	case IPC_MSG:
		return &ks->msg[i].perm;
	case IPC_NTYPES:
		break;
	}
	return NULL;
}

void
ipctype_drop(struct kstate *ks, enum ipc_type t)
{
	switch (t) {
	case IPC_SHM:
		free(ks->shm);
		ks->shm = NULL;
		ks->nshm = 0;
		break;
	case IPC_SEM:
		free(ks->sem);
		ks->sem = NULL;
		ks->nsem = 0;
		break;
	case IPC_MSG:
		free(ks->msg);
		ks->msg = NULL;
		ks->nmsg = 0;
		break;
	case IPC_NTYPES:
		break;
	}
}
