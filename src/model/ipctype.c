/*
 * ipctype.c: the table of IPC object types (System V and POSIX) and the accessors
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
	/*
	 * POSIX objects are files: shm_open(3) and sem_open(3) (glibc) make
	 * them in the tmpfs at /dev/shm, whose size and inode count bound
	 * them (mm/shmem.c); mq_open(2) makes a file of the mqueue fs, which
	 * fs.mqueue.queues_max bounds (ipc/mqueue.c, mqueue_get_inode()).
	 * The ipcrm option is util-linux 2.41's, which takes the name.
	 */
	[IPC_PSHM] = {
		.name = "pshm", .json_key = "pshm",
		.singular = "POSIX shared memory object",
		.plural = "POSIX shared memory objects",
		.heading = "POSIX shared memory objects",
		.short_singular = "object", .short_plural = "objects",
		.limit_name = "/dev/shm", .ipcrm_opt = "--posix-shmem",
		.posix = true,
		.limit = R_DEV_SHM, .has_pool = false, .pool = R_DEV_SHM,
		.want = IPC_TYPE_WANT(IPC_PSHM),
		.has_inodes = true, .inodes = R_DEV_SHM_INODES,
	},
	[IPC_PSEM] = {
		.name = "psem", .json_key = "psem",
		.singular = "POSIX named semaphore",
		.plural = "POSIX named semaphores",
		.heading = "POSIX named semaphores",
		.short_singular = "semaphore", .short_plural = "semaphores",
		.limit_name = "/dev/shm", .ipcrm_opt = "--posix-semaphore",
		.posix = true,
		.limit = R_DEV_SHM, .has_pool = false, .pool = R_DEV_SHM,
		.want = IPC_TYPE_WANT(IPC_PSEM),
		.has_inodes = true, .inodes = R_DEV_SHM_INODES,
	},
	[IPC_PMQ] = {
		.name = "pmq", .json_key = "pmq",
		.singular = "POSIX message queue",
		.plural = "POSIX message queues",
		.heading = "POSIX message queues",
		.short_singular = "queue", .short_plural = "queues",
		.limit_name = "queues_max", .ipcrm_opt = "--posix-mqueue",
		.posix = true,
		.limit = R_MQUEUE_QUEUES, .has_pool = false,
		.pool = R_MQUEUE_QUEUES,
		.want = IPC_TYPE_WANT(IPC_PMQ),
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

	size_t n = 1;

	res[0] = d->limit;
	if (d->has_pool)
		res[n++] = d->pool;
	/* mm/shmem.c shmem_reserve_inode(): ENOSPC once nr_inodes are used */
	if (d->has_inodes)
		res[n++] = d->inodes;
	return n;
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
	case IPC_PSHM:
		return ks->has_pshm;
	case IPC_PSEM:
		return ks->has_psem;
	case IPC_PMQ:
		return ks->has_pmq;
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
	case IPC_PSHM:
		ks->has_pshm = true;
		break;
	case IPC_PSEM:
		ks->has_psem = true;
		break;
	case IPC_PMQ:
		ks->has_pmq = true;
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
	case IPC_PSHM:
		return ks->npshm;
	case IPC_PSEM:
		return ks->npsem;
	case IPC_PMQ:
		return ks->npmq;
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
	case IPC_PSHM:
	case IPC_PSEM:
		/* no counter: a tmpfs counts inodes, not objects */
		return 0;
	case IPC_PMQ:
		return u->has_mq_queues ? u->mq_queues : 0;
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
	case IPC_PSHM:
		return &ks->pshm[i];
	case IPC_PSEM:
		return &ks->psem[i];
	case IPC_PMQ:
		return &ks->pmq[i];
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
	case IPC_PSHM:
		return &ks->pshm[i].perm;
	case IPC_PSEM:
		return &ks->psem[i].perm;
	case IPC_PMQ:
		return &ks->pmq[i].perm;
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
	case IPC_PSHM:
		for (size_t i = 0; i < ks->npshm; i++)
			posix_file_release(&ks->pshm[i].f);
		free(ks->pshm);
		ks->pshm = NULL;
		ks->npshm = 0;
		break;
	case IPC_PSEM:
		for (size_t i = 0; i < ks->npsem; i++)
			posix_file_release(&ks->psem[i].f);
		free(ks->psem);
		ks->psem = NULL;
		ks->npsem = 0;
		break;
	case IPC_PMQ:
		for (size_t i = 0; i < ks->npmq; i++)
			posix_file_release(&ks->pmq[i].f);
		free(ks->pmq);
		ks->pmq = NULL;
		ks->npmq = 0;
		break;
	case IPC_NTYPES:
		break;
	}
}

const struct posix_file *
ipctype_posix_file(const struct kstate *ks, enum ipc_type t, size_t i)
{
	switch (t) {
	case IPC_SHM:
	case IPC_SEM:
	case IPC_MSG:
		return NULL;
	case IPC_PSHM:
		return &ks->pshm[i].f;
	case IPC_PSEM:
		return &ks->psem[i].f;
	case IPC_PMQ:
		return &ks->pmq[i].f;
	case IPC_NTYPES:
		break;
	}
	return NULL;
}
