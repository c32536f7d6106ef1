/*
 * objfilter.c: which objects of a kstate pass the filters of 'list',
 * and the kstate cut down to them.  It only compares fields already
 * loaded: no clock, no user database, no output.
 */
#include "objfilter.h"

bool
objfilter_match_perm(const struct orphan_filter *f, enum ipc_type t,
    const struct obj_perm *p)
{
	unsigned types = f->types ? f->types : IPC_TYPES_ALL;

	if (!(types & IPC_TYPE_BIT(t)))
		return false;
	if (f->has_id && f->id != p->id)
		return false;
	/* a POSIX object has no key, not key 0 (IPC_PRIVATE) */
	if (f->has_key && (ipctype_table[t].posix || f->key != p->key))
		return false;
	if (f->has_owner && f->owner != p->uid)
		return false;
	if (f->has_creator && f->creator != p->cuid)
		return false;
	return true;
}

bool
objfilter_match(const struct orphan_filter *f, enum ipc_type t,
    const struct obj_perm *p, int64_t ctime, int64_t now)
{
	int64_t age = now - ctime;

	if (!objfilter_match_perm(f, t, p))
		return false;
	if (age < 0)
		age = 0;
	if (f->has_older_than && (uint64_t)age < f->older_than_s)
		return false;
	return true;
}

/* Compact ARR of N objects of type T to those passing F; the new count. */
#define OBJFILTER_KEEP(arr, n, t) do {					\
	size_t kept_ = 0;						\
									\
	for (size_t i_ = 0; i_ < (n); i_++)				\
		if (objfilter_match(f, (t), &(arr)[i_].perm,		\
		    (arr)[i_].ctime, now))				\
			(arr)[kept_++] = (arr)[i_];			\
	(n) = kept_;							\
} while (0)

/*
 * The same for POSIX objects, whose times are their file's: a file that
 * does not pass gives back its name and holders.
 */
#define OBJFILTER_KEEP_POSIX(arr, n, t) do {				\
	size_t kept_ = 0;						\
									\
	for (size_t i_ = 0; i_ < (n); i_++) {				\
		if (objfilter_match(f, (t), &(arr)[i_].perm,		\
		    (arr)[i_].f.ctime, now))				\
			(arr)[kept_++] = (arr)[i_];			\
		else							\
			posix_file_release(&(arr)[i_].f);		\
	}								\
	(n) = kept_;							\
} while (0)

size_t
objfilter_apply(const struct orphan_filter *f, int64_t now,
    struct kstate *ks)
{
	for (int ti = 0; ti < IPC_NTYPES; ti++) {
		switch ((enum ipc_type)ti) {
		case IPC_SHM:
			OBJFILTER_KEEP(ks->shm, ks->nshm, IPC_SHM);
			break;
		case IPC_SEM:
			OBJFILTER_KEEP(ks->sem, ks->nsem, IPC_SEM);
			break;
		case IPC_MSG:
			OBJFILTER_KEEP(ks->msg, ks->nmsg, IPC_MSG);
			break;
		case IPC_PSHM:
			OBJFILTER_KEEP_POSIX(ks->pshm, ks->npshm, IPC_PSHM);
			break;
		case IPC_PSEM:
			OBJFILTER_KEEP_POSIX(ks->psem, ks->npsem, IPC_PSEM);
			break;
		case IPC_PMQ:
			OBJFILTER_KEEP_POSIX(ks->pmq, ks->npmq, IPC_PMQ);
			break;
		case IPC_NTYPES:
			break;
		}
	}
	return ks->nshm + ks->nsem + ks->nmsg + ks->npshm + ks->npsem +
	    ks->npmq;
}
