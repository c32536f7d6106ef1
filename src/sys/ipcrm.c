/*
 * ipcrm.c: the changes 'clean' makes to objects and backups: IPC_SET of
 * the permissions, IPC_RMID, and segment backups (its record of its own
 * accesses is touchrec.c's).  Files are written atomically (temporary
 * file, fsync, rename) and never through a symlink; a backup is complete
 * on disk before the caller removes the segment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dirsafe.h"
#include "infile.h"
#include "ipcrm.h"
#include "sha256.h"
#include "xmalloc.h"

int
ipcrm_remove(enum ipc_type type, int id)
{
	switch (type) {
	case IPC_SHM:
		/* an attached segment is only marked dest (ipc/shm.c) */
		return shmctl(id, IPC_RMID, NULL);
	case IPC_SEM:
		return semctl(id, 0, IPC_RMID);
	case IPC_MSG:
		return msgctl(id, IPC_RMID, NULL);
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	errno = EINVAL;
	return -1;
}

int
ipcrm_set_perm(enum ipc_type type, int id, const struct ipcrm_perm *p)
{
	struct shmid_ds shm;
	struct semid_ds sem;
	struct msqid_ds msg;
	union semun {
		int val;
		struct semid_ds *buf;
		unsigned short *array;
	} arg;

	/*
	 * IPC_SET takes uid, gid and the low nine mode bits (and for a
	 * queue msg_qbytes); ipc_update_perm() keeps the other mode bits
	 * (SHM_DEST, SHM_LOCKED).  The structure is filled from P, not
	 * from IPC_STAT, which needs read permission that mode 0 takes.
	 */
	switch (type) {
	case IPC_SHM:
		memset(&shm, 0, sizeof(shm));
		shm.shm_perm.uid = p->uid;
		shm.shm_perm.gid = p->gid;
		shm.shm_perm.mode = (unsigned short)(p->mode & 0777);
		return shmctl(id, IPC_SET, &shm);
	case IPC_SEM:
		memset(&sem, 0, sizeof(sem));
		sem.sem_perm.uid = p->uid;
		sem.sem_perm.gid = p->gid;
		sem.sem_perm.mode = (unsigned short)(p->mode & 0777);
		arg.buf = &sem;
		return semctl(id, 0, IPC_SET, arg);
	case IPC_MSG:
		memset(&msg, 0, sizeof(msg));
		msg.msg_perm.uid = p->uid;
		msg.msg_perm.gid = p->gid;
		msg.msg_perm.mode = (unsigned short)(p->mode & 0777);
		msg.msg_qbytes = (msglen_t)p->qbytes;
		return msgctl(id, IPC_SET, &msg);
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	errno = EINVAL;
	return -1;
}

int
ipcrm_sync(void)
{
	/*
	 * shmat, semop, msgsnd and msgrcv check the permissions under
	 * rcu_read_lock() and hold it until they have attached, queued or
	 * done the operation (ipc/shm.c do_shmat, ipc/sem.c
	 * do_semtimedop, ipc/msg.c do_msgsnd/do_msgrcv); MEMBARRIER_CMD_GLOBAL
	 * waits for an RCU grace period (kernel/sched/membarrier.c), so a
	 * call that passed the check before IPC_SET shows in nattch, the
	 * semaphore counts or the times after it.
	 */
	return (int)syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
}

const void *
ipcrm_attach_ro(int id)
{
	void *p = shmat(id, NULL, SHM_RDONLY);

	return p == (void *)-1 ? NULL : p;
}

int
ipcrm_detach(const void *addr)
{
	return shmdt(addr);
}

int
ipcrm_backup_open(const char *dir, char *err, size_t errlen)
{
	char msg[1024];
	int fd;

	if (dirsafe_check_prefix(dir, geteuid(), msg, sizeof(msg)) < 0) {
		int e = errno;

		snprintf(err, errlen, "refusing backup directory '%s': %s",
		    dir, msg);
		errno = e;
		return -1;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create backup directory '%s': "
		    "%s", dir, strerror(errno));
		return -1;
	}
	if (dirsafe_check(dir, geteuid(), msg, sizeof(msg)) < 0) {
		int e = errno;

		snprintf(err, errlen, "refusing backup directory '%s': %s",
		    dir, msg);
		errno = e;
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot open backup directory '%s': %s",
		    dir, e == ELOOP || e == ENOTDIR ? "not a directory (a "
		    "symlink is refused)" : strerror(e));
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * NAME in DIRFD replaced atomically by what FILL writes into a new
 * temporary beside it (synced, renamed over NAME, the directory synced);
 * on failure the temporary is removed and NAME is as it was.
 */
static int
atomic_at(int dirfd, const char *name, int (*fill)(int, void *), void *arg)
{
	static unsigned seq;
	char tmp[512];
	int fd, e;

	snprintf(tmp, sizeof(tmp), ".%s.tmp.%ld.%u", name, (long)getpid(),
	    seq++);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (fill(fd, arg) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	/* rename replaces NAME itself, never what a symlink points to */
	if (renameat(dirfd, tmp, dirfd, name) < 0)
		goto fail;
	return fsync(dirfd);
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	errno = e;
	return -1;
}

struct membuf {
	const char *p;
	size_t len;
};

static int
fill_buf(int fd, void *arg)
{
	struct membuf *m = arg;

	while (m->len > 0) {
		ssize_t w = write(fd, m->p, m->len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		m->p += w;
		m->len -= (size_t)w;
	}
	return 0;
}

int
ipcrm_write_atomic(int dirfd, const char *name, const void *buf,
    size_t len)
{
	struct membuf m = { buf, len };

	return atomic_at(dirfd, name, fill_buf, &m);
}

int
ipcrm_read_small(int dirfd, const char *name, char **bufp, size_t *lenp,
    char *why, size_t whylen)
{
	return infile_readat(dirfd, name, INFILE_NOFOLLOW, 64u << 20, bufp,
	    lenp, why, whylen);
}

/* Copy the data of SRC from OFF to END at the same offsets of DST. */
static int
copy_range(int src, int dst, uint64_t off, uint64_t end,
    struct sha256_ctx *c, char *buf, size_t len)
{
	while (off < end) {
		size_t want = end - off < len ? (size_t)(end - off) : len;
		ssize_t r = pread(src, buf, want, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;	/* the file shrank */
			return -1;
		}
		for (ssize_t o = 0; o < r; ) {
			ssize_t w = pwrite(dst, buf + o, (size_t)(r - o),
			    (off_t)(off + (uint64_t)o));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			o += w;
		}
		sha256_update(c, buf, (size_t)r);
		off += (uint64_t)r;
	}
	return 0;
}

/* Feed LEN zero bytes (a hole) to C. */
static void
hash_zeros(struct sha256_ctx *c, uint64_t len, char *buf, size_t blen)
{
	memset(buf, 0, blen);
	while (len > 0) {
		size_t k = len < blen ? (size_t)len : blen;

		sha256_update(c, buf, k);
		len -= k;
	}
}

/* Copy SRC's SIZE bytes into DST, the holes skipped; the digest in C. */
static int
copy_sparse(int src, int dst, uint64_t size, struct sha256_ctx *c)
{
	size_t blen = 1u << 16;
	char *buf = xmalloc(blen);
	uint64_t off = 0, data, hole;
	off_t r;
	int e = 0;

	while (off < size && e == 0) {
		r = lseek(src, (off_t)off, SEEK_DATA);
		data = r < 0 ? size : (uint64_t)r;
		if (r < 0 && errno != ENXIO) {
			e = errno;
			break;
		}
		if (data > size)
			data = size;
		hash_zeros(c, data - off, buf, blen);
		if (data == size)
			break;
		r = lseek(src, (off_t)data, SEEK_HOLE);
		hole = r < 0 || (uint64_t)r > size ? size : (uint64_t)r;
		if (copy_range(src, dst, data, hole, c, buf, blen) < 0)
			e = errno;
		off = hole;
	}
	free(buf);
	if (e == 0 && ftruncate(dst, (off_t)size) < 0)
		e = errno;
	errno = e;
	return e == 0 ? 0 : -1;
}

struct copyjob {
	int src;
	uint64_t size;
	struct sha256_ctx c;
};

static int
fill_copy(int fd, void *arg)
{
	struct copyjob *j = arg;

	sha256_init(&j->c);
	return copy_sparse(j->src, fd, j->size, &j->c);
}

int
ipcrm_copy_atomic(int dirfd, const char *name, int src, uint64_t size,
    char hex[65])
{
	struct copyjob j = { .src = src, .size = size };

	if (atomic_at(dirfd, name, fill_copy, &j) < 0)
		return -1;
	sha256_final_hex(&j.c, hex);
	return 0;
}
