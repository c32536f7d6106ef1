/*
 * owners.h: IPC usage summed per owning user, for each resource, with
 * the share of each namespace-wide limit.  Pure.
 */
#ifndef OWNERS_H
#define OWNERS_H

#include "ipctune.h"

struct owner_usage {
	uid_t uid;
	uint64_t shm_segments, shm_pages, shm_bytes;
	uint64_t sem_arrays, sem_sems;
	uint64_t msg_queues, msg_bytes, msg_messages;
	/* POSIX: /dev/shm files (shm and sem.*), and mqueue files */
	uint64_t pshm_objects, pshm_bytes, pshm_alloc_bytes;
	uint64_t psem_objects, psem_alloc_bytes;
	uint64_t pmq_queues, pmq_bytes;	/* pmq_bytes: QSIZE summed */
};

struct owners {
	struct owner_usage *v;
	size_t n;
};

/* Sum the objects of KS per owner (uid), sorted by uid. */
void owners_build(const struct kstate *ks, struct owners *o);
/* Free an owners table. */
void owners_release(struct owners *o);

#endif
