/*
 * fit.h: would an allocation succeed now, and if not, why?  The kernel's
 * own checks for shmget, semget, semop, msgget and msgsnd, replayed in the
 * kernel's order against a struct kstate.  Pure: const input, result out.
 */
#ifndef FIT_H
#define FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "ipctype.h"

/* What the caller wants to allocate; a part is asked for when has_* is set. */
struct fit_request {
	bool has_shm;
	uint64_t shm_size_bytes;	/* each segment */
	uint64_t shm_count;		/* segments, created one after another */
	bool has_sem;
	uint64_t sem_arrays;
	uint64_t sems_per_array;
	bool has_semop;
	uint64_t semop_ops;		/* operations in one semop call */
	bool has_queues;
	uint64_t queues;
	bool has_msg;
	uint64_t msg_size_bytes;	/* one message into a queue made now,
					   or the queue holding the key */
	/*
	 * With a key other than IPC_PRIVATE, shmget, semget and msgget look
	 * the key up first (ipcget_public()); the counts must then be 1.
	 */
	bool has_key;
	uint32_t key;
	unsigned flags;		/* FIT_IPC_CREAT, FIT_IPC_EXCL, mode 0777 */
	uid_t caller_uid;	/* the effective uid of the caller */
	const gid_t *caller_gids;	/* its effective and other groups */
	size_t caller_ngids;
	bool caller_ipc_owner;	/* the caller holds CAP_IPC_OWNER */
};

/* The get flags of <sys/ipc.h>, as the kernel reads them. */
#define FIT_IPC_CREAT 01000u
#define FIT_IPC_EXCL 02000u

/* The system calls a request turns into, in the order they are checked. */
enum fit_call { FIT_SHMGET, FIT_SEMGET, FIT_SEMOP, FIT_MSGGET, FIT_MSGSND,
    FIT_NCALLS };

/* Why a call fails (or FIT_OK): one row per kernel check. */
enum fit_cause {
	FIT_OK,
	FIT_SHM_SIZE_ZERO,	/* size < SHMMIN: EINVAL */
	FIT_SHMMAX,		/* size > shmmax: EINVAL */
	FIT_SHM_OVERFLOW,	/* size rounds past ULONG_MAX: ENOSPC */
	FIT_SHMALL,		/* shm_tot + pages > shmall: ENOSPC */
	FIT_SHM_FILE_SIZE,	/* size > MAX_LFS_FILESIZE: EINVAL */
	FIT_SHMMNI,		/* segments >= shmmni: ENOSPC */
	FIT_SEMMSL,		/* nsems > SEMMSL: EINVAL */
	FIT_SEM_ZERO,		/* nsems == 0 on creation: EINVAL */
	FIT_SEMMNS,		/* used_sems + nsems > SEMMNS: ENOSPC */
	FIT_SEMMNI,		/* arrays >= SEMMNI: ENOSPC */
	FIT_SEMOPM,		/* nsops > SEMOPM: E2BIG */
	FIT_SEMOP_ZERO,		/* nsops < 1: EINVAL */
	FIT_MSGMNI,		/* queues >= msgmni: ENOSPC */
	FIT_MSGMAX,		/* msgsz > msgmax: EINVAL */
	FIT_MSGMNB,		/* never fits an empty new queue: EAGAIN */
	FIT_MSG_QUEUE_FULL,	/* the keyed queue lacks room: EAGAIN */
	FIT_KEY_ENOENT,		/* no object has the key, no IPC_CREAT */
	FIT_KEY_EEXIST,		/* the key exists, IPC_CREAT|IPC_EXCL */
	FIT_KEY_SHM_SIZE,	/* size > the segment's size: EINVAL */
	FIT_KEY_SEM_NSEMS,	/* nsems > the array's nsems: EINVAL */
	FIT_KEY_EACCES,		/* ipcperms() refuses the mode asked for */
	FIT_NCAUSES
};

/* How the kernel reports one cause, and which limit is behind it. */
struct fit_cause_desc {
	const char *code;	/* machine-readable: "shmall" */
	int err;		/* errno value, 0 for FIT_OK */
	const char *errname;	/* "ENOSPC" */
	const char *sysctl;	/* "kernel.shmall", or NULL */
	const char *limit;	/* "shmall", "SEMMNS", or NULL */
	const char *unit;	/* unit of have/need/limit */
};

/* The table of causes, indexed by enum fit_cause. */
extern const struct fit_cause_desc fit_cause_table[FIT_NCAUSES];
/* Names of the calls, indexed by enum fit_call. */
extern const char *const fit_call_names[FIT_NCALLS];

/* The object type each call works on, and whether it is that type's get. */
struct fit_call_type {
	enum ipc_type type;
	bool get;		/* shmget, semget, msgget: a key finds one */
};

/* The type of each call, indexed by enum fit_call. */
extern const struct fit_call_type fit_call_types[FIT_NCALLS];

/* One limit that must change (or usage that must go) for a call to fit. */
struct fit_fix {
	enum fit_cause cause;	/* the limit, as the cause it produces */
	uint64_t current;	/* the limit now */
	bool current_negative;	/* the kernel.sem field held is negative: */
	int64_t current_held;	/* that int (current is what it means) */
	uint64_t needed;	/* the smallest value that lets every call pass */
	bool raisable;		/* needed is within what the kernel accepts */
	bool can_free;		/* removing usage would do instead */
	uint64_t free_amount;	/* that much usage (in the limit's unit) */
};

#define FIT_MAX_FIXES 4

/* The prediction for one kind of call. */
struct fit_call_result {
	bool requested;
	uint64_t attempts;	/* calls made, one after another */
	uint64_t succeeded;	/* calls that would succeed before the first
				 * failure (all later ones fail the same way) */
	enum fit_cause cause;	/* of the first failure, FIT_OK if none */
	uint64_t have;		/* usage when the first failure happens */
	uint64_t need;		/* what the failing call asks for */
	uint64_t limit;		/* the limit it is checked against */
	bool limit_negative;	/* a kernel.sem field below zero: */
	int64_t limit_held;	/* that int, as the kernel holds it */
	struct fit_fix fixes[FIT_MAX_FIXES];	/* in the kernel's order */
	size_t nfixes;
};

/* The object that already holds the key of a keyed get. */
struct fit_key_obj {
	bool exists;		/* false: the call would create one */
	struct obj_perm perm;
	uint64_t size;		/* shm: bytes; sem: semaphores; msg: 0 */
	uint64_t cbytes, qnum;	/* msg: bytes and messages queued */
	uint64_t qbytes;	/* msg: its msg_qbytes (or kernel.msgmnb
				   when /proc/sysvipc/msg lacks it) */
	unsigned requested;	/* the access asked for, folded to rwx */
	unsigned granted;	/* what the mode grants this caller (rwx) */
	const char *granted_as;	/* "owner", "group" or "other" */
};

struct fit_result {
	bool fits;		/* every requested call succeeds */
	uint64_t page_size;
	uint64_t ipc_mni;	/* the kernel's cap on *mni limits */
	uint64_t shm_pages_each;	/* ceil(size / page_size) */
	struct fit_call_result call[FIT_NCALLS];
	bool keyed;		/* a key other than IPC_PRIVATE was given */
	uint32_t key;
	uid_t caller_uid;
	struct fit_key_obj key_obj[FIT_NCALLS];	/* shmget, semget, msgget */
};

/*
 * Predict what the kernel would answer to REQ in the state KS (which
 * needs KS_SYSCTL and KS_USAGE, and with a key the object table of each
 * get call asked for).  0, or -1 with a message in ERR when KS
 * lacks what the prediction needs.
 */
int fit_predict(const struct kstate *ks, const struct fit_request *req,
    struct fit_result *res, char *err, size_t errlen);

/*
 * One plain sentence on why call C fails: the errno, its text, and the
 * limit named with the numbers.  Empty when the call fits.
 */
void fit_explain(const struct fit_result *res, enum fit_call c, char *buf,
    size_t len);

/*
 * The object that holds the key of call C ("segment 32769 (owner uid
 * ...)"), or an empty string when the key is free.
 */
void fit_key_object_text(const struct fit_result *res, enum fit_call c,
    char *buf, size_t len);

/* One sentence with the smallest change that makes call C fit. */
void fit_advise(const struct fit_result *res, enum fit_call c, char *buf,
    size_t len);

#endif
