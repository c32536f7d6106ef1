/*
 * ipcwatch.h: the records the BPF program ipcwatch.bpf.c hands to user
 * space, shared by that program and its loader (src/sys/bpfwatch.c).
 * Plain fixed-size types only: it is compiled for the BPF target and for
 * the host alike.  It knows nothing of how an event is explained.
 */
#ifndef IPCWATCH_H
#define IPCWATCH_H

#include <linux/types.h>

/* The system calls watched; the index of the call in every record. */
enum ipcwatch_call {
	IPCW_SHMGET,
	IPCW_SHMAT,
	IPCW_SEMGET,
	IPCW_SEMOP,		/* also semtimedop with a NULL timeout */
	IPCW_SEMTIMEDOP,
	IPCW_MSGGET,
	IPCW_MSGSND,
	IPCW_MQ_OPEN,
	IPCW_MQ_TIMEDSEND,
	IPCW_NCALLS
};

/* NAME_MAX + 1: the longest name mq_open accepts (ipc/mqueue.c) */
#define IPCWATCH_MQ_NAME 256

/* The namespace's limits and usage, read when the call failed. */
struct ipcwatch_ns_state {
	__u64 shm_ctlmax;	/* bytes */
	__u64 shm_ctlall;	/* pages */
	__u64 shm_tot;		/* pages charged */
	__s32 sem_ctls[4];	/* SEMMSL, SEMMNS, SEMOPM, SEMMNI */
	__s32 used_sems;
	__s32 sem_arrays;	/* ids[0].in_use */
	__s32 msg_queues;	/* ids[1].in_use */
	__s32 shm_segments;	/* ids[2].in_use */
	__s32 shm_ctlmni;
	__u32 msg_ctlmax;
	__u32 msg_ctlmnb;
	__u32 msg_ctlmni;
	__u32 mq_queues_count;
	__u32 mq_queues_max;
	__u32 mq_msg_max;	/* fs.mqueue.msg_max */
	__u32 mq_msgsize_max;
	__u32 mq_msg_default;
	__u32 mq_msgsize_default;
};

/* What a POSIX queue call's pointers and descriptor named. */
struct ipcwatch_mq {
	__s64 attr[2];		/* mq_open: mq_maxmsg, mq_msgsize */
	__s64 queue[3];		/* mq_timedsend: the queue's mq_maxmsg,
				   mq_msgsize, mq_curmsgs */
	__u64 rlim_msgqueue;	/* the caller's soft RLIMIT_MSGQUEUE */
	__u32 has_attr;		/* attr[] was read */
	__u32 has_queue;	/* queue[] was read */
	char name[IPCWATCH_MQ_NAME];	/* mq_open's name, "" unread */
};

/* One failing call. */
struct ipcwatch_event {
	__u64 ts_ns;		/* CLOCK_MONOTONIC */
	__u64 args[4];		/* the call's arguments, as passed */
	struct ipcwatch_ns_state ns;
	__u32 ipc_ns;		/* inode of the caller's IPC namespace */
	__u32 pid_ns;		/* inode of its PID namespace */
	__u32 tgid, tid, ppid;	/* in the initial PID namespace */
	__u32 nspid;		/* the tgid in its own PID namespace */
	__u32 uid, gid;		/* in the initial user namespace */
	__s32 err;		/* the errno, positive */
	__u32 call;		/* enum ipcwatch_call */
	char comm[16];
	struct ipcwatch_mq mq;	/* zero for the System V calls */
};

/* The key of the exact failure counters (a per-CPU hash). */
struct ipcwatch_count_key {
	__u32 ipc_ns;
	__u16 call;
	__u16 err;
};

/* Slots of the per-CPU statistics array. */
enum ipcwatch_stat {
	IPCW_ST_FAILED,		/* failures that passed the filters */
	IPCW_ST_SENT,		/* records put in the ring buffer */
	IPCW_ST_DROPPED,	/* records the full ring buffer refused */
	IPCW_ST_MASKED,		/* counted, errno not asked for */
	IPCW_ST_COUNT_FULL,	/* the counter map had no room */
	IPCW_ST_SUPPRESSED,	/* counted, over the --rate of its key */
	IPCW_ST_NSTATS
};

/* The key of the rate limit: one process's failures of one kind. */
struct ipcwatch_rate_key {
	__u32 tgid;
	__u16 call;
	__u16 err;
};

/* A call's arguments, kept from its entry to its exit (enter+exit). */
struct ipcwatch_args {
	__u64 a[4];
};

/* How the program attaches: the loader autoloads one set. */
enum ipcwatch_mode {
	IPCW_MODE_EXIT,		/* sys_exit_<call>, bpf_task_pt_regs */
	IPCW_MODE_ENTER_EXIT,	/* sys_enter_<call> and sys_exit_<call> */
	IPCW_MODE_BTF,		/* tp_btf/sys_exit, every system call */
	IPCW_NMODES
};

#define IPCWATCH_MAX_COUNTERS 4096
/* keys of the rate limit, and calls in flight (enter+exit), kept */
#define IPCWATCH_RATE_KEYS 8192
#define IPCWATCH_INFLIGHT 16384
#define IPCWATCH_RINGBUF_BYTES (256 * 1024)
/* errno values the kernel's errno mask covers; above, always sent */
#define IPCWATCH_ERRMASK_BITS 128

#endif
