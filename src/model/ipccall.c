/*
 * ipccall.c: the table of IPC calls and the errno names they return.
 * Argument orders are the system calls' (ipc/shm.c, ipc/sem.c,
 * ipc/msg.c, ipc/mqueue.c); nothing here reads the system.
 */
#include <errno.h>
#include <string.h>

#include "ipccall.h"

#define A(k) IPCARG_##k

const struct ipccall_desc ipccall_table[IPCCALL_COUNT] = {
	[IPCCALL_SHMGET] = { "shmget", IPC_SHM, 3,
	    { A(KEY), A(SIZE), A(FLAGS) }, { "key", "size", "flags" } },
	[IPCCALL_SHMAT] = { "shmat", IPC_SHM, 3,
	    { A(ID), A(ADDR), A(FLAGS) }, { "shmid", "addr", "flags" } },
	[IPCCALL_SEMGET] = { "semget", IPC_SEM, 3,
	    { A(KEY), A(NSEMS), A(FLAGS) }, { "key", "nsems", "flags" } },
	[IPCCALL_SEMOP] = { "semop", IPC_SEM, 3,
	    { A(ID), A(ADDR), A(NSOPS) }, { "semid", "sops", "nsops" } },
	[IPCCALL_SEMTIMEDOP] = { "semtimedop", IPC_SEM, 4,
	    { A(ID), A(ADDR), A(NSOPS), A(ADDR) },
	    { "semid", "sops", "nsops", "timeout" } },
	[IPCCALL_MSGGET] = { "msgget", IPC_MSG, 2,
	    { A(KEY), A(FLAGS) }, { "key", "flags" } },
	[IPCCALL_MSGSND] = { "msgsnd", IPC_MSG, 4,
	    { A(ID), A(ADDR), A(SIZE), A(FLAGS) },
	    { "msqid", "msgp", "msgsz", "flags" } },
	/* ipc/mqueue.c: the fifth argument, the timeout, is not kept */
	[IPCCALL_MQ_OPEN] = { "mq_open", IPC_PMQ, 4,
	    { A(NAME), A(FLAGS), A(MODE), A(ATTR) },
	    { "name", "oflag", "mode", "attr" } },
	[IPCCALL_MQ_TIMEDSEND] = { "mq_timedsend", IPC_PMQ, 4,
	    { A(ID), A(ADDR), A(SIZE), A(NUM) },
	    { "mqdes", "msg_ptr", "msg_len", "msg_prio" } },
};

int
ipccall_lookup(const char *name)
{
	for (int i = 0; i < IPCCALL_COUNT; i++)
		if (strcmp(ipccall_table[i].name, name) == 0)
			return i;
	return -1;
}

/* The errno values IPC calls return (their man pages), and a few more. */
static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ E2BIG, "E2BIG" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EEXIST, "EEXIST" },
	{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" }, { EMFILE, "EMFILE" },
	{ EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
	{ ENOSYS, "ENOSYS" }, { EIDRM, "EIDRM" }, { ENAMETOOLONG,
	"ENAMETOOLONG" }, { ETIMEDOUT, "ETIMEDOUT" }, { EBADF, "EBADF" },
	{ EMSGSIZE, "EMSGSIZE" }, { ENOMSG, "ENOMSG" },
	{ EOVERFLOW, "EOVERFLOW" },
};

const char *
ipccall_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]);
	    i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
}

int
ipccall_errno_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]);
	    i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].err;
	return -1;
}

bool
ipccall_arg_get(const struct ipccall_args *a, enum ipccall_arg k,
    uint64_t *v)
{
	const struct ipccall_desc *d;

	if ((int)a->call < 0 || a->call >= IPCCALL_COUNT)
		return false;
	d = &ipccall_table[a->call];
	for (int i = 0; i < d->nargs; i++)
		if (d->arg[i] == k) {
			*v = a->a[i];
			return true;
		}
	return false;
}

#define C(c) (1u << IPCCALL_##c)
#define GETS (C(SHMGET) | C(SEMGET) | C(MSGGET))

const struct ipccall_flag ipccall_flags[] = {
	{ "IPC_CREAT", 01000, GETS },
	{ "IPC_EXCL", 02000, GETS },
	{ "SHM_HUGETLB", 04000, C(SHMGET) },
	{ "SHM_NORESERVE", 010000, C(SHMGET) },
	{ "IPC_NOWAIT", 04000, C(MSGSND) },
	{ "SHM_RDONLY", 010000, C(SHMAT) },
	{ "SHM_RND", 020000, C(SHMAT) },
	{ "SHM_REMAP", 040000, C(SHMAT) },
	{ "SHM_EXEC", 0100000, C(SHMAT) },
	/* include/uapi/asm-generic/fcntl.h; O_RDONLY is 0, unnamed */
	{ "O_WRONLY", 01, C(MQ_OPEN) },
	{ "O_RDWR", 02, C(MQ_OPEN) },
	{ "O_CREAT", 0100, C(MQ_OPEN) },
	{ "O_EXCL", 0200, C(MQ_OPEN) },
	{ "O_NONBLOCK", 04000, C(MQ_OPEN) },
	{ "O_CLOEXEC", 02000000, C(MQ_OPEN) },
	{ NULL, 0, 0 },
};

unsigned
ipccall_mode_bits(enum ipc_call c)
{
	return (GETS & (1u << c)) ? 0777u : 0u;
}

const char *const ipccall_attach_names[IPCCALL_ATTACH_COUNT] = {
	[IPCCALL_ATTACH_AUTO] = "auto",
	[IPCCALL_ATTACH_EXIT] = "exit",
	[IPCCALL_ATTACH_ENTER_EXIT] = "enter-exit",
	[IPCCALL_ATTACH_BTF] = "btf",
};

int
ipccall_attach_lookup(const char *name)
{
	for (int i = 0; i < IPCCALL_ATTACH_COUNT; i++)
		if (strcmp(ipccall_attach_names[i], name) == 0)
			return i;
	return -1;
}
