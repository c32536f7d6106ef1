/*
 * ipccall.h: the System V IPC system calls, and POSIX mq_open and
 * mq_timedsend, as data: their names and
 * arguments, the errno names they return, one call as it was made, and
 * the limits and usage of a namespace at the instant it failed.  The
 * watcher fills these from the kernel and the strace-line reader from
 * text; neither explains anything here.
 */
#ifndef IPCCALL_H
#define IPCCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctype.h"

/* The calls, in the order of output. */
enum ipc_call {
	IPCCALL_SHMGET,
	IPCCALL_SHMAT,
	IPCCALL_SEMGET,
	IPCCALL_SEMOP,
	IPCCALL_SEMTIMEDOP,
	IPCCALL_MSGGET,
	IPCCALL_MSGSND,
	IPCCALL_MQ_OPEN,	/* POSIX message queues */
	IPCCALL_MQ_TIMEDSEND,
	IPCCALL_COUNT
};

/* What an argument of a call is. */
enum ipccall_arg {
	IPCARG_NONE,
	IPCARG_KEY,		/* key_t, IPC_PRIVATE is 0 */
	IPCARG_ID,		/* an object's id */
	IPCARG_SIZE,		/* bytes */
	IPCARG_NSEMS,
	IPCARG_NSOPS,
	IPCARG_FLAGS,		/* IPC_CREAT, IPC_EXCL, IPC_NOWAIT, mode */
	IPCARG_ADDR,		/* a pointer, shown in hex */
	IPCARG_NAME,		/* mq_open's name: ipccall_mq.name */
	IPCARG_MODE,		/* a mode, in octal */
	IPCARG_ATTR,		/* mq_open's attr: ipccall_mq.maxmsg, ... */
	IPCARG_NUM,		/* a plain number */
};

/* One row per call: name, type, and what each argument is. */
struct ipccall_desc {
	const char *name;
	enum ipc_type type;
	int nargs;
	enum ipccall_arg arg[4];
	const char *arg_name[4];	/* JSON keys: "key", "size", ... */
};

/* The table of calls, indexed by enum ipc_call. */
extern const struct ipccall_desc ipccall_table[IPCCALL_COUNT];

/* The call named NAME, or -1. */
int ipccall_lookup(const char *name);

/* "ENOSPC" for an errno value, or NULL when the table lacks it. */
const char *ipccall_errno_name(int err);
/* The errno value of a name such as "ENOSPC", or -1. */
int ipccall_errno_lookup(const char *name);

/* What a POSIX queue call's pointers and descriptor named. */
struct ipccall_mq {
	char name[256];		/* mq_open's name, "" when unread */
	bool has_attr;		/* mq_open's attr was read */
	int64_t maxmsg, msgsize;
	bool has_queue;		/* mq_timedsend's queue was read */
	int64_t q_maxmsg, q_msgsize, q_curmsgs;
};

/* One call as it was made. */
struct ipccall_args {
	enum ipc_call call;
	uint64_t a[4];		/* as passed, by position */
	struct ipccall_mq mq;	/* the POSIX queue calls only */
};

/* The argument of kind K in A (its first one), or false if it has none. */
bool ipccall_arg_get(const struct ipccall_args *a, enum ipccall_arg k,
    uint64_t *v);

/*
 * A namespace's limits and usage as the kernel held them at one instant
 * (struct ipc_namespace, include/linux/ipc_namespace.h).
 */
struct ipccall_ns_state {
	uint64_t shmmax_bytes;
	uint64_t shmall_pages;
	uint64_t shm_pages;		/* shm_tot */
	uint64_t shmmni;
	int64_t sem[4];			/* kernel.sem, as the kernel's ints */
	uint64_t sem_sems;		/* used_sems */
	uint64_t sem_arrays, msg_queues, shm_segments;	/* in_use */
	uint64_t msgmax_bytes, msgmnb_bytes, msgmni;
	uint64_t mq_queues, mq_queues_max;
	uint64_t mq_msg_max, mq_msgsize_max;	/* fs.mqueue.* */
	uint64_t mq_msg_default, mq_msgsize_default;
};

/* The process that made a call, as seen when it failed. */
struct ipccall_caller {
	pid_t pid, tid, ppid;	/* in the initial PID namespace */
	pid_t nspid;		/* in its own PID namespace, 0 if unknown */
	uid_t uid;
	gid_t gid;
	char comm[17];
	char cgroup[256];	/* its cgroup path, or "" */
	uint64_t ipc_ns, pid_ns;	/* namespace inodes */
	bool has_rlimit_msgqueue;	/* read for the POSIX queue calls */
	uint64_t rlimit_msgqueue;	/* soft; UINT64_MAX: unlimited */
};

/* One exact counter: failures of CALL with ERR in namespace IPC_NS. */
struct ipccall_count {
	uint64_t ipc_ns;
	enum ipc_call call;
	int err;
	uint64_t count;
};

/* What the kernel side of the watcher did, summed over the CPUs. */
struct ipccall_watch_stats {
	uint64_t failed;	/* failures that passed the filters */
	uint64_t sent;		/* events put in the ring buffer */
	uint64_t dropped;	/* events lost to a full ring buffer */
	uint64_t masked;	/* counted, errno not asked for */
	uint64_t counter_full;	/* failures the counter map had no room for */
	uint64_t suppressed;	/* counted, over the --rate of their key */
	int attach;		/* enum ipccall_attach the watch runs in */
};

/* How 'watch' attaches to the kernel (bpf-watch design, three modes). */
enum ipccall_attach {
	IPCCALL_ATTACH_AUTO,		/* the best the kernel offers */
	IPCCALL_ATTACH_EXIT,		/* syscall exits only (5.15+) */
	IPCCALL_ATTACH_ENTER_EXIT,	/* entries and exits (5.8+) */
	IPCCALL_ATTACH_BTF,		/* tp_btf/sys_exit, no tracefs */
	IPCCALL_ATTACH_COUNT
};

/* "auto", "exit", "enter-exit", "btf", by enum ipccall_attach. */
extern const char *const ipccall_attach_names[IPCCALL_ATTACH_COUNT];

/* The mode called NAME, or -1. */
int ipccall_attach_lookup(const char *name);

/* One flag bit of a call's flags argument (<sys/ipc.h>, <sys/shm.h>). */
struct ipccall_flag {
	const char *name;	/* "IPC_CREAT" */
	unsigned value;
	unsigned calls;		/* bits of enum ipc_call it belongs to */
};

/* The flag names, terminated by a NULL name. */
extern const struct ipccall_flag ipccall_flags[];
/* The bits of FLAGS that are mode bits for call C (the gets: 0777). */
unsigned ipccall_mode_bits(enum ipc_call c);

/* One failing call, as the watcher saw it. */
struct ipccall_event {
	int64_t time_ns;	/* since the epoch */
	struct ipccall_args args;
	int err;
	struct ipccall_caller who;
	struct ipccall_ns_state ns;
};

#endif
