/*
 * ipcwatch_kern.h: the few kernel types the BPF program reads, declared
 * by hand with only the fields it uses.  Every struct carries
 * preserve_access_index, so libbpf relocates each field against the
 * running kernel's BTF (CO-RE) and the order and sizes here need not
 * match it; only names and types must.  Kept in the tree so a build
 * needs no /sys/kernel/btf/vmlinux.
 */
#ifndef IPCWATCH_KERN_H
#define IPCWATCH_KERN_H

/* bpf_tracing.h picks the kernel's pt_regs names (di, si, ...) with this */
#define __VMLINUX_H__

#pragma clang attribute push(__attribute__((preserve_access_index)), \
    apply_to = record)

/* arch/x86/include/asm/ptrace.h: the registers saved at syscall entry */
struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long r10;
	unsigned long r8;
	unsigned long r9;
	unsigned long orig_ax;
	unsigned long cs;
};

/* include/linux/ns_common.h */
struct ns_common {
	unsigned int inum;
};

/* ipc/util.h: one per object type, ids[0..2] = sem, msg, shm */
struct ipc_ids {
	int in_use;
};

/* include/linux/ipc_namespace.h */
struct ipc_namespace {
	struct ipc_ids ids[3];
	int sem_ctls[4];
	int used_sems;
	unsigned int msg_ctlmax;
	unsigned int msg_ctlmnb;
	unsigned int msg_ctlmni;
	unsigned long shm_ctlmax;	/* size_t */
	unsigned long shm_ctlall;	/* size_t */
	unsigned long shm_tot;
	int shm_ctlmni;
	unsigned int mq_queues_count;
	unsigned int mq_queues_max;
	unsigned int mq_msg_max;
	unsigned int mq_msgsize_max;
	unsigned int mq_msg_default;
	unsigned int mq_msgsize_default;
	struct ns_common ns;
};

/* include/uapi/linux/resource.h, include/linux/sched/signal.h */
struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

struct signal_struct {
	struct rlimit rlim[16];
};

/* include/linux/fs.h, include/linux/fdtable.h: fd to its inode */
struct super_block {
	unsigned long s_magic;
};

struct inode {
	struct super_block *i_sb;
};

struct file {
	struct inode *f_inode;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

/* include/uapi/linux/mqueue.h: a fixed layout, read whole */
struct mq_attr {
	long mq_flags;
	long mq_maxmsg;
	long mq_msgsize;
	long mq_curmsgs;
};

/* ipc/mqueue.c: a queue's inode sits inside its mqueue_inode_info */
struct mqueue_inode_info {
	struct inode vfs_inode;
	struct mq_attr attr;
};

/* include/linux/pid_namespace.h */
struct pid_namespace {
	unsigned int level;
	struct ns_common ns;
};

/* include/linux/pid.h */
struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
};

/* include/linux/nsproxy.h */
struct nsproxy {
	struct ipc_namespace *ipc_ns;
};

/* include/linux/sched.h */
struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
	struct pid *thread_pid;
	struct nsproxy *nsproxy;
	struct signal_struct *signal;
	struct files_struct *files;
};

#pragma clang attribute pop

/*
 * The context of a syscalls/sys_exit_* tracepoint: a fixed layout, see
 * its format file and include/trace/events/syscalls.h.
 */
struct ipcwatch_sys_exit {
	unsigned long long common;
	int syscall_nr;
	long ret;
};

/* The context of a syscalls/sys_enter_* tracepoint: the arguments are
   8-byte fields from offset 16, as many as the call takes. */
struct ipcwatch_sys_enter {
	unsigned long long common;
	int syscall_nr;
	unsigned long args[6];
};

#endif
