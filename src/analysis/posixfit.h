/*
 * posixfit.h: would a POSIX IPC allocation succeed now?  A file of a size
 * in the /dev/shm tmpfs, and mq_open of queues with given attributes,
 * replayed against the kernel's checks in the kernel's order.  Pure:
 * const kstate in, result out; it never reads the system or prints.
 */
#ifndef POSIXFIT_H
#define POSIXFIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "mqacct.h"

struct posixfit_request {
	bool has_shm;
	uint64_t shm_bytes;	/* one file of that size in /dev/shm */
	bool has_mq;
	bool mq_default_attr;	/* attr NULL: msg_default, msgsize_default */
	uint64_t mq_maxmsg, mq_msgsize;
	uint64_t mq_count;	/* queues, created one after another */
	bool caller_sys_resource;	/* CAP_SYS_RESOURCE */
};

enum posixfit_call { PFIT_SHM_OPEN, PFIT_MQ_OPEN, PFIT_NCALLS };

enum posixfit_cause {
	PFIT_OK,
	PFIT_SHM_INODES,	/* no free inode: shm_open ENOSPC */
	PFIT_SHM_SPACE,		/* no room for the pages: ENOSPC / SIGBUS */
	PFIT_MQ_QUEUES_MAX,	/* queues >= queues_max: ENOSPC */
	PFIT_MQ_ATTR_ZERO,	/* mq_maxmsg or mq_msgsize <= 0: EINVAL */
	PFIT_MQ_MSG_MAX,	/* mq_maxmsg > msg_max: EINVAL */
	PFIT_MQ_MSGSIZE_MAX,	/* mq_msgsize > msgsize_max: EINVAL */
	PFIT_MQ_HARD_MSGMAX,	/* > HARD_MSGMAX even privileged: EINVAL */
	PFIT_MQ_HARD_MSGSIZEMAX,	/* > HARD_MSGSIZEMAX: EINVAL */
	PFIT_MQ_OVERFLOW,	/* the charge overflows: EOVERFLOW */
	PFIT_MQ_RLIMIT,		/* charge > RLIMIT_MSGQUEUE: EMFILE */
	PFIT_NCAUSES
};

struct posixfit_cause_desc {
	const char *code;	/* machine-readable: "mq_rlimit" */
	int err;		/* errno value, 0 for PFIT_OK */
	const char *errname;	/* "EMFILE" */
	const char *sysctl;	/* "fs.mqueue.queues_max", or NULL */
	const char *limit;	/* "queues_max", "RLIMIT_MSGQUEUE" */
	const char *unit;
};

extern const struct posixfit_cause_desc posixfit_cause_table[PFIT_NCAUSES];
extern const char *const posixfit_call_names[PFIT_NCALLS];

struct posixfit_call_result {
	bool requested;
	uint64_t attempts, succeeded;
	enum posixfit_cause cause;
	uint64_t have;		/* usage when the first failure happens */
	uint64_t need;		/* what the failing call asks for */
	uint64_t limit;		/* the limit it is checked against */
	bool has_fix;
	uint64_t fix_needed;	/* the smallest limit that lets all pass */
	bool fix_raisable;	/* within what the kernel accepts */
};

struct posixfit_result {
	bool fits;
	struct posixfit_call_result call[PFIT_NCALLS];
	/* shm_open: the tmpfs read, and the file's pages */
	char fs_path[64];
	uint64_t page_size;
	uint64_t shm_bytes;		/* the size asked for */
	uint64_t shm_need_bytes;	/* the size rounded up to pages */
	uint64_t fs_size, fs_used;	/* bytes */
	bool fs_has_inodes;
	uint64_t fs_inodes, fs_inodes_used;
	/* mq_open: the attributes, each queue's charge, the caller's */
	uint64_t mq_maxmsg, mq_msgsize;
	struct mq_cost cost;
	uid_t caller_uid;
	uint64_t charge_before;		/* the caller's queues here */
	bool charge_partial;		/* some of them unreadable */
	uint64_t rlimit;		/* UINT64_MAX: unlimited */
	uint64_t queues_used, queues_max;
};

/*
 * Predict REQ in KS (KS_SYSCTL and KS_USAGE, read live).  0, or -1 with
 * a message in ERR when KS lacks what the prediction needs.
 */
int posixfit_predict(const struct kstate *ks,
    const struct posixfit_request *req, struct posixfit_result *res,
    char *err, size_t errlen);

/* One sentence on why call C fails, with the arithmetic; "" if it fits. */
void posixfit_explain(const struct posixfit_result *res,
    enum posixfit_call c, char *buf, size_t len);

/* The smallest change that makes call C fit, and how to make it. */
void posixfit_advise(const struct posixfit_result *res,
    enum posixfit_call c, char *buf, size_t len);

#endif
