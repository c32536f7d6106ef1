/*
 * ipcwatch.bpf.c: the BPF program behind 'ipctune watch'.  It runs at
 * the exit of each watched IPC system call (System V, and POSIX mq_open
 * and mq_timedsend), and only a failing call costs more than one
 * comparison: it is counted exactly per namespace, call and errno, and
 * sent to user space with the caller and its namespace's limits and
 * usage as they were at that moment.  One object holds three ways to
 * attach (enum ipcwatch_mode); the loader autoloads one.  It explains
 * nothing; built with clang -target bpf, never linked.
 */
#include <linux/bpf.h>
#include <asm/unistd.h>
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
/* calls tp_btf/sys_exit reports (bit N = enum ipcwatch_call N) */
const volatile __u32 cfg_calls = ~0u;
/* the rate limit per (tgid, call, errno): one event per cfg_rate_ns,
   cfg_burst_ns ahead at most; 0 sends every event */
const volatile __u64 cfg_rate_ns = 0;
const volatile __u64 cfg_burst_ns = 0;

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

/* per rate key, the time its next event is due (GCRA) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, IPCWATCH_RATE_KEYS);
	__type(key, struct ipcwatch_rate_key);
	__type(value, __u64);
} rate SEC(".maps");

/* enter+exit: each watched call's arguments, by pid_tgid, from its entry
   to its exit; LRU, so a task that dies inside the call leaks nothing */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, IPCWATCH_INFLIGHT);
	__type(key, __u64);
	__type(value, struct ipcwatch_args);
} inflight SEC(".maps");

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
 * Whether this failure may be sent: a generic cell rate algorithm per
 * (tgid, call, errno), CFG_BURST_NS / CFG_RATE_NS + 1 at once and one
 * per CFG_RATE_NS after.  Two CPUs updating one key at once may each
 * let one through; the key's process would have to fail on both.
 */
static __always_inline int
rate_ok(__u32 call, __s32 err)
{
	struct ipcwatch_rate_key k = { .tgid = bpf_get_current_pid_tgid() >>
	    32, .call = (__u16)call, .err = (__u16)err };
	__u64 now, tat, *v;

	if (cfg_rate_ns == 0)
		return 1;
	now = bpf_ktime_get_ns();
	v = bpf_map_lookup_elem(&rate, &k);
	if (v == NULL) {
		tat = now + cfg_rate_ns;
		bpf_map_update_elem(&rate, &k, &tat, BPF_ANY);
		return 1;
	}
	tat = *v > now ? *v : now;
	if (tat - now > cfg_burst_ns)
		return 0;
	*v = tat + cfg_rate_ns;
	return 1;
}

/* The errno of a system call's return value, or 0 if it succeeded. */
static __always_inline __s32
ret_errno(long ret)
{
	/* shmat returns an address: only -4095..-1 are errors */
	if (ret >= 0 || ret < -4095)
		return 0;
	/* ERESTARTSYS and friends (>= 512) never reach the caller */
	if (ret <= -512)
		return 0;
	return (__s32)-ret;
}

/*
 * The caller's IPC namespace and its inode in *NSP, or NULL when --pid
 * or --ns leaves the caller out.
 */
static __always_inline struct ipc_namespace *
wanted(struct task_struct *t, __u32 *nsp)
{
	struct ipc_namespace *ipc;

	if (cfg_tgid != 0 && (bpf_get_current_pid_tgid() >> 32) != cfg_tgid)
		return NULL;
	ipc = BPF_CORE_READ(t, nsproxy, ipc_ns);
	*nsp = BPF_CORE_READ(ipc, ns.inum);
	if (cfg_ipc_ns != 0 && *nsp != cfg_ipc_ns)
		return NULL;
	return ipc;
}

/*
 * A failure that passed the filters, whatever the attach mode: count it
 * exactly, then send it unless its errno was not asked for, its key is
 * over the rate, or the ring buffer is full, each counted.
 */
static __always_inline int
report(struct task_struct *t, struct ipc_namespace *ipc, __u32 ns,
    __u32 call, __s32 err, const __u64 args[4])
{
	struct ipcwatch_event *e;

	/* glibc's semop() is semtimedop with a NULL timeout */
	if (call == IPCW_SEMTIMEDOP && args[3] == 0)
		call = IPCW_SEMOP;
	stat_add(IPCW_ST_FAILED);
	count(ns, call, err);
	/* two constant reads: a computed index loses its bounds to the
	   compiler's register choice before the verifier sees it */
	if (err < IPCWATCH_ERRMASK_BITS &&
	    !((err < 64 ? cfg_errmask[0] : cfg_errmask[1]) &
	    (1ull << (err & 63)))) {
		stat_add(IPCW_ST_MASKED);
		return 0;
	}
	if (!rate_ok(call, err)) {
		stat_add(IPCW_ST_SUPPRESSED);
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

/*
 * Exit only (5.15+): the arguments saved at syscall entry, read from the
 * task's registers; reading past a call's arity is refused, so NARGS is
 * a constant at each use.
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
	__u64 args[4] = { 0, 0, 0, 0 };
	__s32 err = ret_errno(ctx->ret);
	__u32 ns = 0;

	if (err == 0)
		return 0;
	t = (struct task_struct *)bpf_get_current_task();
	ipc = wanted(t, &ns);
	if (ipc == NULL)
		return 0;
	read_args(args, nargs);
	return report(t, ipc, ns, call, err, args);
}

/*
 * Enter + exit (5.8+): the entry keeps the arguments of a caller the
 * filters let through; the exit takes them out, failed or not.
 */
static __always_inline int
on_enter(struct ipcwatch_sys_enter *ctx, int nargs)
{
	struct ipcwatch_args a = { { 0, 0, 0, 0 } };
	__u64 id = bpf_get_current_pid_tgid();
	__u32 ns = 0;

	if (wanted((struct task_struct *)bpf_get_current_task(), &ns) == NULL)
		return 0;
	a.a[0] = ctx->args[0];
	if (nargs > 1)
		a.a[1] = ctx->args[1];
	if (nargs > 2)
		a.a[2] = ctx->args[2];
	if (nargs > 3)
		a.a[3] = ctx->args[3];
	bpf_map_update_elem(&inflight, &id, &a, BPF_ANY);
	return 0;
}

static __always_inline int
on_leave(struct ipcwatch_sys_exit *ctx, __u32 call)
{
	__u64 id = bpf_get_current_pid_tgid(), args[4] = { 0, 0, 0, 0 };
	struct ipcwatch_args *a = bpf_map_lookup_elem(&inflight, &id);
	__s32 err = ret_errno(ctx->ret);
	struct task_struct *t;
	struct ipc_namespace *ipc;
	__u32 ns = 0;

	if (a != NULL) {
		if (err != 0) {
			args[0] = a->a[0];
			args[1] = a->a[1];
			args[2] = a->a[2];
			args[3] = a->a[3];
		}
		bpf_map_delete_elem(&inflight, &id);
	}
	if (err == 0)
		return 0;
	/* no entry: filtered out, or the call began before the attach (or
	   was evicted); still counted, with its arguments unknown (0) */
	t = (struct task_struct *)bpf_get_current_task();
	ipc = wanted(t, &ns);
	if (ipc == NULL)
		return 0;
	return report(t, ipc, ns, call, err, args);
}

/* One program per call and mode; the loader attaches those asked for. */
#define IPCWATCH_CALL(name, call, nargs)				\
SEC("tracepoint/syscalls/sys_exit_" #name)				\
int exit_##name(struct ipcwatch_sys_exit *ctx)				\
{									\
	return on_exit(ctx, call, nargs);				\
}									\
SEC("tracepoint/syscalls/sys_enter_" #name)				\
int enter_##name(struct ipcwatch_sys_enter *ctx)			\
{									\
	return on_enter(ctx, nargs);					\
}									\
SEC("tracepoint/syscalls/sys_exit_" #name)				\
int leave_##name(struct ipcwatch_sys_exit *ctx)				\
{									\
	return on_leave(ctx, call);					\
}

IPCWATCH_CALL(shmget, IPCW_SHMGET, 3)
IPCWATCH_CALL(shmat, IPCW_SHMAT, 3)
IPCWATCH_CALL(semget, IPCW_SEMGET, 3)
IPCWATCH_CALL(semop, IPCW_SEMOP, 3)
IPCWATCH_CALL(semtimedop, IPCW_SEMTIMEDOP, 4)
IPCWATCH_CALL(msgget, IPCW_MSGGET, 2)
IPCWATCH_CALL(msgsnd, IPCW_MSGSND, 4)
/* the fifth argument of mq_timedsend, the timeout, is not shown */
IPCWATCH_CALL(mq_open, IPCW_MQ_OPEN, 4)
IPCWATCH_CALL(mq_timedsend, IPCW_MQ_TIMEDSEND, 4)

/* The watched call of system call number NR (asm/unistd.h), or -1. */
static __always_inline int
btf_call(unsigned long nr)
{
	switch (nr) {
	case __NR_shmget:	return IPCW_SHMGET;
	case __NR_shmat:	return IPCW_SHMAT;
	case __NR_semget:	return IPCW_SEMGET;
	case __NR_semop:	return IPCW_SEMOP;
	case __NR_semtimedop:	return IPCW_SEMTIMEDOP;
	case __NR_msgget:	return IPCW_MSGGET;
	case __NR_msgsnd:	return IPCW_MSGSND;
	case __NR_mq_open:	return IPCW_MQ_OPEN;
	case __NR_mq_timedsend:	return IPCW_MQ_TIMEDSEND;
	}
	return -1;
}

/* How many arguments CALL takes: the others stay 0, as in the modes
   that read only these. */
static __always_inline int
btf_nargs(int call)
{
	if (call == IPCW_MSGGET)
		return 2;
	if (call == IPCW_SEMTIMEDOP || call == IPCW_MSGSND ||
	    call == IPCW_MQ_OPEN || call == IPCW_MQ_TIMEDSEND)
		return 4;
	return 3;
}

/* arch/x86/include/asm/segment.h: a 64-bit caller's code segment */
#define IPCW_USER_CS 0x33

/*
 * tp_btf (no tracefs): the raw sys_exit tracepoint, run at the exit of
 * every system call (include/trace/events/syscalls.h); REGS are the
 * caller's.  32-bit callers number their calls otherwise: skipped, as
 * the syscalls/ tracepoints skip them.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(btf_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 args[4];
	struct task_struct *t;
	struct ipc_namespace *ipc;
	__s32 err = ret_errno(ret);
	__u32 ns = 0;
	int call;

	if (err == 0)
		return 0;
	call = btf_call(BPF_CORE_READ(regs, orig_ax));
	if (call < 0 || !(cfg_calls & (1u << call)) ||
	    BPF_CORE_READ(regs, cs) != IPCW_USER_CS)
		return 0;
	t = (struct task_struct *)bpf_get_current_task();
	ipc = wanted(t, &ns);
	if (ipc == NULL)
		return 0;
	args[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	args[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	args[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	args[3] = PT_REGS_PARM4_CORE_SYSCALL(regs);
	if (btf_nargs(call) < 4)
		args[3] = 0;
	if (btf_nargs(call) < 3)
		args[2] = 0;
	return report(t, ipc, ns, (__u32)call, err, args);
}
