/*
 * procparse.h: pure parsers for the kernel's text interfaces: the value
 * of an IPC sysctl and the three /proc/sysvipc tables (every historical
 * column layout), and the IPC call a thread is blocked in
 * (/proc/PID/task/TID/syscall).  Input is a buffer; nothing is read here.
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

#endif
