/*
 * ipcwatch.bpf.c: the BPF program behind 'ipctune watch'.  It runs at
 * the exit of each watched IPC system call (System V, and POSIX mq_open
 * and mq_timedsend), and only a failing call costs more than one
 * comparison: it is counted exactly per namespace, call and errno, and
 * sent to user space with the caller and its namespace's limits and
 * usage as they were at that moment.  It explains nothing; built with clang -target bpf, never linked.
 */
#include <linux/bpf.h>
/* first: it tells bpf_tracing.h to use the kernel's names of pt_regs */
#include "ipcwatch_kern.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "ipcwatch.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before the load: 0 means any. */
const volatile __u32 cfg_ipc_ns = 0;
const volatile __u32 cfg_tgid = 0;
/* errno values to send (bit N = errno N); all failures are counted */
const volatile __u64 cfg_errmask[IPCWATCH_ERRMASK_BITS / 64] = {
	~0ull, ~0ull };

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, IPCWATCH_RINGBUF_BYTES);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, IPCWATCH_MAX_COUNTERS);
	__type(key, struct ipcwatch_count_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IPCW_ST_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void
stat_add(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &i);

	if (v != NULL)
		*v += 1;
}

/* One more failure of CALL with ERR in namespace NS, on this CPU. */
static __always_inline void
count(__u32 ns, __u32 call, __s32 err)
{
	struct ipcwatch_count_key k = { .ipc_ns = ns, .call = (__u16)call,
	    .err = (__u16)err };
	__u64 one = 1, *v;

	v = bpf_map_lookup_elem(&counts, &k);
	if (v != NULL) {
		*v += 1;
		return;
	}
	if (bpf_map_update_elem(&counts, &k, &one, BPF_NOEXIST) == 0)
		return;
	/* another CPU made the key meanwhile: this CPU's slot is 0 */
	v = bpf_map_lookup_elem(&counts, &k);
	if (v != NULL)
		*v += 1;
	else
		stat_add(IPCW_ST_COUNT_FULL);
}

/* The namespace's limits and usage (ipc/util.h, ipc_namespace.h). */
static __always_inline void
read_ns(struct ipc_namespace *ipc, struct ipcwatch_ns_state *s)
{
	bpf_core_read(&s->sem_ctls, sizeof(s->sem_ctls), &ipc->sem_ctls);
	s->used_sems = BPF_CORE_READ(ipc, used_sems);
	s->sem_arrays = BPF_CORE_READ(ipc, ids[0].in_use);
	s->msg_queues = BPF_CORE_READ(ipc, ids[1].in_use);
	s->shm_segments = BPF_CORE_READ(ipc, ids[2].in_use);
	s->shm_ctlmax = BPF_CORE_READ(ipc, shm_ctlmax);
	s->shm_ctlall = BPF_CORE_READ(ipc, shm_ctlall);
	s->shm_tot = BPF_CORE_READ(ipc, shm_tot);
	s->shm_ctlmni = BPF_CORE_READ(ipc, shm_ctlmni);
	s->msg_ctlmax = BPF_CORE_READ(ipc, msg_ctlmax);
	s->msg_ctlmnb = BPF_CORE_READ(ipc, msg_ctlmnb);
	s->msg_ctlmni = BPF_CORE_READ(ipc, msg_ctlmni);
	s->mq_queues_count = BPF_CORE_READ(ipc, mq_queues_count);
	s->mq_queues_max = BPF_CORE_READ(ipc, mq_queues_max);
	s->mq_msg_max = BPF_CORE_READ(ipc, mq_msg_max);
	s->mq_msgsize_max = BPF_CORE_READ(ipc, mq_msgsize_max);
	s->mq_msg_default = BPF_CORE_READ(ipc, mq_msg_default);
	s->mq_msgsize_default = BPF_CORE_READ(ipc, mq_msgsize_default);
}

/* include/uapi/linux/magic.h, include/uapi/asm-generic/fcntl.h */
#define IPCW_MQUEUE_MAGIC 0x19800202
#define IPCW_O_CREAT 0100
/* include/uapi/asm-generic/resource.h */
#define IPCW_RLIMIT_MSGQUEUE 12

/*
 * The attributes of the queue open on descriptor FD, when it is one
 * (struct mq_attr inside struct mqueue_inode_info, ipc/mqueue.c).
 */
static __always_inline void
read_queue(struct task_struct *t, __u64 fd, struct ipcwatch_mq *m)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	struct inode *ino;
	long a[4];
	char *info;

	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return;
	bpf_core_read(&f, sizeof(f), &fds[fd]);
	ino = BPF_CORE_READ(f, f_inode);
	if (ino == NULL ||
	    BPF_CORE_READ(ino, i_sb, s_magic) != IPCW_MQUEUE_MAGIC)
		return;
	info = (char *)ino - bpf_core_field_offset(struct mqueue_inode_info,
	    vfs_inode);
	if (bpf_probe_read_kernel(a, sizeof(a), info +
	    bpf_core_field_offset(struct mqueue_inode_info, attr)) != 0)
		return;
	m->queue[0] = a[1];	/* mq_maxmsg */
	m->queue[1] = a[2];	/* mq_msgsize */
	m->queue[2] = a[3];	/* mq_curmsgs */
	m->has_queue = 1;
}

/*
 * What a POSIX queue call named: mq_open's name and attributes, read
 * from the caller's memory, which still holds them at the call's exit;
 * mq_timedsend's queue.  Reads that fault leave "" or has_* 0.
 */
static __always_inline void
read_mq(struct task_struct *t, __u32 call, const __u64 args[4],
    struct ipcwatch_mq *m)
{
	long a[4];

	m->has_attr = m->has_queue = 0;
	m->attr[0] = m->attr[1] = 0;
	m->queue[0] = m->queue[1] = m->queue[2] = 0;
	m->name[0] = '\0';
	m->rlim_msgqueue = 0;
	if (call != IPCW_MQ_OPEN && call != IPCW_MQ_TIMEDSEND)
		return;
	m->rlim_msgqueue = BPF_CORE_READ(t, signal,
	    rlim[IPCW_RLIMIT_MSGQUEUE].rlim_cur);
	if (call == IPCW_MQ_TIMEDSEND) {
		read_queue(t, args[0], m);
		return;
	}
	if (bpf_probe_read_user_str(m->name, sizeof(m->name),
	    (const void *)args[0]) < 0)
		m->name[0] = '\0';
	/* do_mq_open() reads attr only with O_CREAT */
	if (!(args[1] & IPCW_O_CREAT) || args[3] == 0 ||
	    bpf_probe_read_user(a, sizeof(a), (const void *)args[3]) != 0)
		return;
	m->attr[0] = a[1];
	m->attr[1] = a[2];
	m->has_attr = 1;
}

/* The caller: ids in the initial namespaces and in its own PID one. */
static __always_inline void
read_task(struct task_struct *t, struct ipcwatch_event *e)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);
	struct pid_namespace *pns = NULL;
	__u64 ug = bpf_get_current_uid_gid();
	__u64 pt = bpf_get_current_pid_tgid();

	e->tgid = pt >> 32;
	e->tid = (__u32)pt;
	e->uid = (__u32)ug;
	e->gid = ug >> 32;
	e->ppid = BPF_CORE_READ(t, real_parent, tgid);
	/* the thread's pid at its own level: the group leader's when
	   single-threaded, as /proc/PID/status NSpid shows */
	e->nspid = 0;
	bpf_core_read(&e->nspid, sizeof(e->nspid), &p->numbers[level].nr);
	bpf_core_read(&pns, sizeof(pns), &p->numbers[level].ns);
	e->pid_ns = BPF_CORE_READ(pns, ns.inum);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/*
 * The arguments saved at syscall entry; reading past a call's arity is
 * refused, so NARGS is a constant at each use.
 */
static __always_inline void
read_args(__u64 args[4], int nargs)
{
	struct pt_regs *r = (struct pt_regs *)bpf_task_pt_regs(
	    bpf_get_current_task_btf());

	args[0] = PT_REGS_PARM1_CORE_SYSCALL(r);
	if (nargs > 1)
		args[1] = PT_REGS_PARM2_CORE_SYSCALL(r);
	if (nargs > 2)
		args[2] = PT_REGS_PARM3_CORE_SYSCALL(r);
	if (nargs > 3)
		args[3] = PT_REGS_PARM4_CORE_SYSCALL(r);
}

static __always_inline int
on_exit(struct ipcwatch_sys_exit *ctx, __u32 call, int nargs)
{
	struct task_struct *t;
	struct ipc_namespace *ipc;
	struct ipcwatch_event *e;
	__u64 args[4] = { 0, 0, 0, 0 };
	long ret = ctx->ret;
	__u32 ns;
	__s32 err;

	/* shmat returns an address: only -4095..-1 are errors */
	if (ret >= 0 || ret < -4095)
		return 0;
	err = (__s32)-ret;
	/* ERESTARTSYS and friends (>= 512) never reach the caller */
	if (err >= 512)
		return 0;
	t = (struct task_struct *)bpf_get_current_task();
	ipc = BPF_CORE_READ(t, nsproxy, ipc_ns);
	ns = BPF_CORE_READ(ipc, ns.inum);
	if (cfg_ipc_ns != 0 && ns != cfg_ipc_ns)
		return 0;
	if (cfg_tgid != 0 && (bpf_get_current_pid_tgid() >> 32) != cfg_tgid)
		return 0;
	read_args(args, nargs);
	/* glibc's semop() is semtimedop with a NULL timeout */
	if (call == IPCW_SEMTIMEDOP && args[3] == 0)
		call = IPCW_SEMOP;
	stat_add(IPCW_ST_FAILED);
	count(ns, call, err);
	if (err < IPCWATCH_ERRMASK_BITS &&
	    !(cfg_errmask[err >> 6] & (1ull << (err & 63)))) {
		stat_add(IPCW_ST_MASKED);
		return 0;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e == NULL) {
		stat_add(IPCW_ST_DROPPED);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->args[0] = args[0];
	e->args[1] = args[1];
	e->args[2] = args[2];
	e->args[3] = args[3];
	e->ipc_ns = ns;
	e->err = err;
	e->call = call;
	read_task(t, e);
	read_ns(ipc, &e->ns);
	read_mq(t, call, args, &e->mq);
	bpf_ringbuf_submit(e, 0);
	stat_add(IPCW_ST_SENT);
	return 0;
}

/* One program per call; the loader attaches those asked for. */
#define IPCWATCH_EXIT(name, call, nargs)				\
SEC("tracepoint/syscalls/sys_exit_" #name)				\
int exit_##name(struct ipcwatch_sys_exit *ctx)				\
{									\
	return on_exit(ctx, call, nargs);				\
}

IPCWATCH_EXIT(shmget, IPCW_SHMGET, 3)
IPCWATCH_EXIT(shmat, IPCW_SHMAT, 3)
IPCWATCH_EXIT(semget, IPCW_SEMGET, 3)
IPCWATCH_EXIT(semop, IPCW_SEMOP, 3)
IPCWATCH_EXIT(semtimedop, IPCW_SEMTIMEDOP, 4)
IPCWATCH_EXIT(msgget, IPCW_MSGGET, 2)
IPCWATCH_EXIT(msgsnd, IPCW_MSGSND, 4)
/* the fifth argument of mq_timedsend, the timeout, is not shown */
IPCWATCH_EXIT(mq_open, IPCW_MQ_OPEN, 4)
IPCWATCH_EXIT(mq_timedsend, IPCW_MQ_TIMEDSEND, 4)
