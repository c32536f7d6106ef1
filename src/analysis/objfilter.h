/*
 * objfilter.h: the filters of 'list' (--type, --id, --key, --owner,
 * --creator, --older-than) applied to the objects of a kstate.  Pure:
 * the time arrives as an argument; it reads nothing and prints nothing.
 */
#ifndef OBJFILTER_H
#define OBJFILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "ipctune.h"
#include "orphan.h"

/*
 * Does the object of type T with permissions P pass F's --type, --id,
 * --key, --owner and --creator?  Its age is not judged (orphans judges
 * it by its own times).
 */
bool objfilter_match_perm(const struct orphan_filter *f, enum ipc_type t,
    const struct obj_perm *p);

/*
 * Does the object of type T with permissions P, last changed at CTIME,
 * pass F at NOW?  --older-than counts from CTIME, which the kernel sets
 * at creation (ipc/shm.c newseg, ipc/sem.c newary, ipc/msg.c newque) and
 * on IPC_SET (the *ctl_down functions), and for a semaphore array on
 * SETVAL and SETALL (ipc/sem.c semctl_setval, semctl_main); a CTIME
 * after NOW is age 0.  F's min_age_s and keep_* members are not used.
 */
bool objfilter_match(const struct orphan_filter *f, enum ipc_type t,
    const struct obj_perm *p, int64_t ctime, int64_t now);

/*
 * Keep in KS only the objects that pass F at NOW, in their order; the
 * arrays are compacted in place.  Returns the number of objects kept.
 */
size_t objfilter_apply(const struct orphan_filter *f, int64_t now,
    struct kstate *ks);

#endif
