/*
 * objdetail.h: one System V object in detail, as 'show' presents it: its
 * fields as the kernel keeps them, and what only the live system tells
 * about it (per-semaphore values, the processes that map a segment or
 * wait on an array or queue, whether the PIDs it records still run).
 * Data and lifecycle only; nothing here reads the system.
 */
#ifndef OBJDETAIL_H
#define OBJDETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctune.h"
#include "ipctype.h"
#include "orphanfx.h"

/* Whether a recorded PID runs. */
enum objdetail_run {
	ODR_NONE,		/* PID 0: none recorded, or not visible */
	ODR_RUNS,
	ODR_GONE,		/* no such process, or a zombie */
	ODR_UNKNOWN,		/* not inspected: no permission, no /proc */
	ODR_REUSED,		/* a process runs, started after the event */
	ODR_AMBIGUOUS,		/* started just after: may be reused */
};

/* The names of enum objdetail_run, as JSON and the table say them. */
extern const char *const objdetail_run_names[ODR_AMBIGUOUS + 1];

/* A process the object names or that uses it. */
struct objdetail_proc {
	pid_t pid;
	enum objdetail_run run;
	char comm[ORPHAN_COMM_LEN];	/* "" when unknown */
	bool has_uid;
	uid_t uid;		/* effective uid, from /proc/PID/status */
};

/* One semaphore of an array: semctl GETVAL, GETNCNT, GETZCNT, GETPID. */
struct objdetail_sem {
	unsigned value;
	unsigned ncnt;		/* tasks waiting for the value to grow */
	unsigned zcnt;		/* tasks waiting for it to be zero */
	struct objdetail_proc last;	/* sempid */
};

/* The IPC system calls a task can block in. */
enum objdetail_call {
	ODC_SEMOP,
	ODC_SEMTIMEDOP,
	ODC_MSGSND,
	ODC_MSGRCV,
	ODC_COUNT
};

/* The system call names, indexed by enum objdetail_call. */
extern const char *const objdetail_call_names[ODC_COUNT];

/* The most semaphore operations of one waiting call shown. */
#define OBJDETAIL_OPS_MAX 8

/* One operation of a semop call, as struct sembuf holds it. */
struct objdetail_semop {
	unsigned num;		/* sem_num */
	int op;			/* sem_op: > 0 add, < 0 take, 0 wait for 0 */
	int flg;		/* sem_flg: IPC_NOWAIT, SEM_UNDO */
};

/*
 * A process with a thread blocked in CALL on the object, and what the
 * call asks for when its registers show it: semop and semtimedop the
 * number of operations (nsops), msgsnd the message size in bytes
 * (msgsz), msgrcv the message type wanted (msgtyp).
 */
struct objdetail_waiter {
	struct objdetail_proc who;
	enum objdetail_call call;
	bool has_arg;
	int64_t arg;
	/* semop: the operations, read from the caller's memory */
	bool has_ops;
	size_t nops;		/* at most OBJDETAIL_OPS_MAX of ARG */
	struct objdetail_semop ops[OBJDETAIL_OPS_MAX];
};

/* The PIDs an object records, by role. */
enum objdetail_role {
	ODP_CPID,		/* shm: creator */
	ODP_LPID,		/* shm: last shmat/shmdt */
	ODP_LSPID,		/* msg: last msgsnd */
	ODP_LRPID,		/* msg: last msgrcv */
	ODP_COUNT
};

/* The role names, indexed by enum objdetail_role. */
extern const char *const objdetail_role_names[ODP_COUNT];

struct objdetail {
	enum ipc_type type;
	struct shm_obj shm;	/* the fields of the object of TYPE */
	struct sem_obj sem;
	struct msg_obj msg;
	uint64_t page_size;
	bool live;		/* the members below were read */
	bool has_role[ODP_COUNT];
	struct objdetail_proc role[ODP_COUNT];
	bool has_attachers;	/* shm: /proc/PID/maps was scanned */
	struct objdetail_proc *attachers;
	size_t nattachers;
	bool has_sems;		/* sem: semctl could be asked */
	struct objdetail_sem *sems;
	size_t nsems;
	bool has_waiters;	/* sem, msg: /proc/PID/task was scanned */
	struct objdetail_waiter *waiters;
	size_t nwaiters;
	bool waiters_partial;	/* a process could not be inspected */
};

/* Prepare an empty D (no allocation). */
void objdetail_init(struct objdetail *d);
/* Free what D holds. */
void objdetail_release(struct objdetail *d);

/*
 * Fill D with the fields of the object ID of TYPE in KS: 0, or -1 with
 * errno ENOENT if KS holds no such object.
 */
int objdetail_find(const struct kstate *ks, enum ipc_type type, int id,
    struct objdetail *d);

/* The PIDs D's object records, by role, into D->role (has_role set). */
void objdetail_roles(struct objdetail *d);

/*
 * When D's object recorded the PID of ROLE, or the latest time it can
 * have (0: unknown): the creator made it at or before its ctime, the
 * last attach or detach is the later of atime and dtime, the last send
 * stime, the last receive rtime.
 */
int64_t objdetail_role_time(const struct objdetail *d,
    enum objdetail_role role);

/* Append the waiter W to D. */
void objdetail_add_waiter(struct objdetail *d,
    const struct objdetail_waiter *w);
/* Append an attacher to D. */
void objdetail_add_attacher(struct objdetail *d,
    const struct objdetail_proc *p);

#endif
