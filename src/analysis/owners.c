/*
 * owners.c: sums IPC objects per owning uid (shm_perm.uid, the owner the
 * kernel checks, not the creator).  Pages are counted as the kernel
 * charges them: each segment rounded up to whole pages.  Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "ipctype.h"
#include "numparse.h"
#include "owners.h"
#include "xmalloc.h"

/* *ACC += V, saturating: a total that would wrap reads 2^64-1. */
static void
add_sat(uint64_t *acc, uint64_t v)
{
	if (!num_add_u64(*acc, v, acc))
		*acc = UINT64_MAX;
}

static int
cmp_uid(const void *a, const void *b)
{
	const struct owner_usage *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static struct owner_usage *
slot(struct owners *o, size_t *cap, uid_t uid)
{
	/* a linear scan: hosts have few distinct owners */
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].uid == uid)
			return &o->v[i];
	xgrow(&o->v, o->n, cap, sizeof(*o->v));
	memset(&o->v[o->n], 0, sizeof(*o->v));
	o->v[o->n].uid = uid;
	return &o->v[o->n++];
}

/* Add object I of type T in KS to its owner's usage U. */
static void
add_object(struct owner_usage *u, const struct kstate *ks,
    enum ipc_type t, size_t i, uint64_t pg)
{
	switch (t) {
	case IPC_SHM:
		u->shm_segments++;
		add_sat(&u->shm_pages,
		    num_div_ceil_u64(ks->shm[i].size_bytes, pg));
		add_sat(&u->shm_bytes, ks->shm[i].size_bytes);
		break;
	case IPC_SEM:
		u->sem_arrays++;
		add_sat(&u->sem_sems, ks->sem[i].nsems);
		break;
	case IPC_MSG:
		u->msg_queues++;
		add_sat(&u->msg_bytes, ks->msg[i].cbytes);
		add_sat(&u->msg_messages, ks->msg[i].qnum);
		break;
	case IPC_PSHM:
		u->pshm_objects++;
		add_sat(&u->pshm_bytes, ks->pshm[i].f.size_bytes);
		add_sat(&u->pshm_alloc_bytes, ks->pshm[i].f.alloc_bytes);
		break;
	case IPC_PSEM:
		u->psem_objects++;
		add_sat(&u->psem_alloc_bytes, ks->psem[i].f.alloc_bytes);
		break;
	case IPC_PMQ:
		u->pmq_queues++;
		add_sat(&u->pmq_bytes, ks->pmq[i].qsize_bytes);
		break;
	case IPC_NTYPES:
		break;
	}
}

void
owners_build(const struct kstate *ks, struct owners *o)
{
	uint64_t pg = ks->host.page_size ? ks->host.page_size : 4096;
	size_t cap = 0;

	memset(o, 0, sizeof(*o));
	for (int ti = 0; ti < IPC_NTYPES; ti++) {
		enum ipc_type t = (enum ipc_type)ti;
		struct owner_usage *u = NULL;
		uid_t last = 0;

		for (size_t i = 0; i < ipctype_count(ks, t); i++) {
			uid_t uid = ipctype_perm(ks, t, i)->uid;

			/* objects of one owner often follow each other */
			if (u == NULL || uid != last)
				u = slot(o, &cap, last = uid);
			add_object(u, ks, t, i, pg);
		}
	}
	if (o->n > 1)
		qsort(o->v, o->n, sizeof(*o->v), cmp_uid);
}

void
owners_release(struct owners *o)
{
	free(o->v);
	o->v = NULL;
	o->n = 0;
}
