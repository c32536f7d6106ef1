/*
 * procparse.h: pure parsers for the kernel's text interfaces: the value
 * of an IPC sysctl and the three /proc/sysvipc tables (every historical
 * column layout), the IPC call a thread is blocked in
 * (/proc/PID/task/TID/syscall), and who a process is (the ids of
 * /proc/PID/status, a row of /proc/PID/limits).  Input is a buffer;
 * nothing is read here.
 */
#ifndef PROCPARSE_H
#define PROCPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "objdetail.h"

/*
 * Parse the text of sysctl ID (as /proc/sys prints it) into VAL.
 * 0, or -1 with a message in ERR.
 */
int procparse_sysctl(enum sysctl_id id, const char *text,
    struct sysctl_value *val, char *err, size_t errlen);

/* Parse /proc/sysvipc/shm text; 0, or -1 with "line N: ..." in ERR. */
int procparse_shm(const char *buf, size_t len, struct shm_obj **objs,
    size_t *n, char *err, size_t errlen);
/* Parse /proc/sysvipc/sem text; 0, or -1 with "line N: ..." in ERR. */
int procparse_sem(const char *buf, size_t len, struct sem_obj **objs,
    size_t *n, char *err, size_t errlen);
/* Parse /proc/sysvipc/msg text; 0, or -1 with "line N: ..." in ERR. */
int procparse_msg(const char *buf, size_t len, struct msg_obj **objs,
    size_t *n, char *err, size_t errlen);

/* An IPC system call a thread is blocked in. */
struct procparse_call {
	enum objdetail_call call;
	enum ipc_type type;	/* IPC_SEM or IPC_MSG */
	int id;			/* semid or msqid */
	uint64_t args[6];	/* the registers of the call, as shown */
	bool has_arg;		/* ARG is known */
	int64_t arg;		/* nsops, msgsz or msgtyp (objdetail.h) */
	uint64_t sops;		/* semop: the address of its sembufs */
};

/*
 * Parse the text of /proc/PID/task/TID/syscall ("NR ARG1 .. ARG6 SP PC",
 * or "running", or "-1 SP PC"): 0 and C filled if the thread is in
 * semop, semtimedop, msgsnd or msgrcv (or ipc(2) for one of them) on a
 * valid id; -1 otherwise, malformed text included.
 */
int procparse_syscall(const char *buf, struct procparse_call *c);

/*
 * The ids of the line FIELD ("Uid:" or "Gid:": real, effective, saved,
 * filesystem) of /proc/PID/status text BUF, at most N into IDS: how
 * many were read (at least 1), or -1 when the line is missing or
 * malformed ((uid_t)-1 is no id).
 */
int procparse_status_ids(const char *buf, const char *field, uint32_t *ids,
    size_t n);

/*
 * The soft limit of the row NAME ("Max msgqueue size") of /proc/PID/limits
 * text BUF into *SOFT, UINT64_MAX for "unlimited": 0, or -1 when the row
 * is missing or malformed.
 */
int procparse_limit(const char *buf, const char *name, uint64_t *soft);

#endif
