/*
 * posixipc.c: reads POSIX IPC objects: the regular files of /dev/shm of
 * the mount namespace being reported (sem.NAME is a named semaphore,
 * any other file shared memory) and of the IPC namespace's mqueue fs,
 * each through openat/fstatat without following links, and their
 * holders through procscan.  It never writes to an object.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errstr.h"
#include "infile.h"
#include "mqmount.h"
#include "numparse.h"
#include "posixipc.h"
#include "procscan.h"
#include "xmalloc.h"

#define POSIXIPC_TMPFS_MAGIC 0x01021994

int
posixipc_parse_mq(const char *buf, size_t len, struct pmq_obj *q)
{
	static const char *const keys[4] = { "QSIZE:", "NOTIFY:", "SIGNO:",
	    "NOTIFY_PID:" };
	char text[160], *save = NULL, *tok;
	int64_t v[4];
	int n = 0;

	/* FILENT_SIZE is 80 (ipc/mqueue.c): longer text is not the kernel's */
	if (len == 0 || len >= sizeof(text) || memchr(buf, '\0', len) != NULL)
		return -1;
	memcpy(text, buf, len);
	text[len] = '\0';
	for (tok = strtok_r(text, " \n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \n", &save), n++) {
		size_t kl;
		uint64_t u;

		if (n == 4)
			return -1;
		kl = strlen(keys[n]);
		if (strncmp(tok, keys[n], kl) != 0)
			return -1;
		/* QSIZE an unsigned long, the others ints, NOTIFY_PID a PID */
		if (n == 0) {
			if (num_parse_u64(tok + kl, 0, UINT64_MAX, &u) < 0)
				return -1;
			v[0] = 0;
			q->qsize_bytes = u;
		} else if (num_parse_i64(tok + kl, n == 3 ? 0 : INT32_MIN,
		    n == 3 ? IPC_PID_MAX : INT32_MAX, &v[n]) < 0) {
			return -1;
		}
	}
	if (n != 4)
		return -1;
	q->notify = (int)v[1];
	q->signo = (int)v[2];
	q->notify_pid = (pid_t)v[3];
	q->has_text = true;
	return 0;
}

int
posixipc_sem_decode(const unsigned char *buf, size_t len, uint32_t *value,
    uint32_t *nwaiters)
{
#if defined(__LP64__)
	uint64_t data;

	/*
	 * glibc 2.21+ (nptl/sem_open.c writes a struct new_sem into the
	 * file; sysdeps/nptl/internaltypes.h): with 64-bit atomics its
	 * first member is uint64_t data, the value in the low 32 bits
	 * (SEM_VALUE_MASK, at most SEM_VALUE_MAX 2^31-1) and the number
	 * of waiters above SEM_NWAITERS_SHIFT 32, in host byte order.
	 * sizeof(sem_t) is 32.
	 */
	if (len < 32)
		return -1;
	memcpy(&data, buf, sizeof(data));
	*value = (uint32_t)(data & 0xffffffffu);
	*nwaiters = (uint32_t)(data >> 32);
#else
	uint32_t v, nw;

	/*
	 * Without 64-bit atomics: unsigned int value holds the value
	 * shifted left by SEM_VALUE_SHIFT 1, bit 0 saying that waiters
	 * exist; nwaiters is the fourth int.  sizeof(sem_t) is 16.
	 */
	if (len < 16)
		return -1;
	memcpy(&v, buf, sizeof(v));
	memcpy(&nw, buf + 12, sizeof(nw));
	*value = v >> 1;
	*nwaiters = nw;
#endif
	return 0;
}

/* Field N (0-based) of a space-separated LINE into OUT; 0 or -1. */
static int
field(const char *line, int n, char *out, size_t len)
{
	const char *p = line;
	size_t l;

	for (int i = 0; i < n; i++) {
		p += strcspn(p, " \n");
		if (*p != ' ')
			return -1;
		p++;
	}
	l = strcspn(p, " \n");
	if (l == 0 || l >= len)
		return -1;
	memcpy(out, p, l);
	out[l] = '\0';
	return 0;
}

int
posixipc_mountinfo_find(const char *buf, uint64_t dev, const char *mnt,
    char *fstype, size_t ftlen, char *source, size_t srclen)
{
	/*
	 * proc_pid_mountinfo(5): "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS
	 * [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS"; the last mount of a
	 * point is the one on top
	 */
	int found = -1;

	for (const char *line = buf; line != NULL && *line != '\0';
	    line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char mm[32], point[4096], ft[64], src[4096];
		unsigned maj, min;
		const char *sep;
		int n = 0;

		if (field(line, 2, mm, sizeof(mm)) < 0 ||
		    sscanf(mm, "%u:%u%n", &maj, &min, &n) != 2 ||
		    mm[n] != '\0' || makedev(maj, min) != dev ||
		    field(line, 4, point, sizeof(point)) < 0 ||
		    strcmp(point, mnt) != 0)
			continue;
		sep = strstr(line, " - ");
		if (sep == NULL || (strchr(line, '\n') != NULL &&
		    sep > strchr(line, '\n')) ||
		    field(sep + 3, 0, ft, sizeof(ft)) < 0 ||
		    field(sep + 3, 1, src, sizeof(src)) < 0)
			continue;
		snprintf(fstype, ftlen, "%s", ft);
		snprintf(source, srclen, "%s", src);
		found = 0;
	}
	return found;
}

int
posixipc_stat_at(int dirfd, const char *name, struct obj_perm *p,
    struct posix_file *f)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	memset(p, 0, sizeof(*p));
	memset(f, 0, sizeof(*f));
	p->id = -1;
	p->uid = p->cuid = st.st_uid;
	p->gid = p->cgid = st.st_gid;
	p->mode = (uint32_t)st.st_mode & 07777;
	f->name = xstrdup(name);
	f->dev = (uint64_t)st.st_dev;
	f->ino = (uint64_t)st.st_ino;
	f->size_bytes = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	f->alloc_bytes = (uint64_t)st.st_blocks * 512;
	f->atime = st.st_atim.tv_sec;
	f->mtime = st.st_mtim.tv_sec;
	f->ctime = st.st_ctim.tv_sec;
	return 0;
}

/* Fill FS from the directory DFD at PATH: device, type, source, limits. */
static void
describe_fs(int dfd, const char *path, const char *mountinfo,
    const char *mnt, struct posix_fs *fs)
{
	struct statvfs sv;
	struct statfs sf;
	struct stat st;
	char *buf = NULL;
	size_t len;

	snprintf(fs->path, sizeof(fs->path), "%s", path);
	if (fstat(dfd, &st) == 0)
		fs->dev = (uint64_t)st.st_dev;
	if (fstatfs(dfd, &sf) == 0)
		snprintf(fs->fstype, sizeof(fs->fstype), "%s",
		    (unsigned long)sf.f_type == POSIXIPC_TMPFS_MAGIC ? "tmpfs" :
		    (unsigned long)sf.f_type == MQMOUNT_MAGIC ?
		    "mqueue" : "other");
	if (fstatvfs(dfd, &sv) == 0) {
		uint64_t bs = sv.f_frsize ? sv.f_frsize : sv.f_bsize;

		fs->size_bytes = (uint64_t)sv.f_blocks * bs;
		fs->free_bytes = (uint64_t)sv.f_bavail * bs;
		fs->inodes = (uint64_t)sv.f_files;
		fs->free_inodes = (uint64_t)sv.f_favail;
	}
	if (mountinfo != NULL && infile_read(mountinfo, 0, 1 << 24, &buf,
	    &len, NULL, 0) == 0) {
		char ft[64];

		posixipc_mountinfo_find(buf, fs->dev, mnt, ft, sizeof(ft),
		    fs->source, sizeof(fs->source));
		free(buf);
	}
}

/* Pass descriptor FD over socket S; 0 or -1. */
static int
send_fd(int s, int fd)
{
	char c = 'f', ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof(mh));
	memset(ctl, 0, sizeof(ctl));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl;
	mh.msg_controllen = sizeof(ctl);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(s, &mh, 0) == 1 ? 0 : -1;
}

/* A descriptor passed over socket S, or -1. */
static int
recv_fd(int s)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t r;
	int fd;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl;
	mh.msg_controllen = sizeof(ctl);
	do {
		r = recvmsg(s, &mh, MSG_CMSG_CLOEXEC);
	} while (r < 0 && errno == EINTR);
	cm = CMSG_FIRSTHDR(&mh);
	if (r != 1 || cm == NULL || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * The mqueue fs of the current IPC namespace, opened: a child mounts it
 * in a private mount namespace (mqmount_private()) and passes the
 * directory back; the mount lives on, detached, as long as the
 * descriptor.  The host's mounts are untouched.  -1 if it cannot.
 */
static int
mqueue_private_dir(void)
{
	int sv[2], status, fd = -1;
	pid_t pid, w;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		const char *dir;
		int d;

		close(sv[0]);
		if (mqmount_private(&dir) < 0)
			_exit(1);
		d = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (d < 0 || send_fd(sv[1], d) < 0)
			_exit(1);
		_exit(0);
	}
	close(sv[1]);
	if (pid > 0) {
		fd = recv_fd(sv[0]);
		do {
			w = waitpid(pid, &status, 0);
		} while (w < 0 && errno == EINTR);
	}
	close(sv[0]);
	return fd;
}

/* Open the mqueue fs of the IPC namespace being reported into FS. */
static int
open_mqueue(const struct posixipc_opts *o, struct posix_fs *fs)
{
	struct statfs sf;
	int fd;

	fd = mqueue_private_dir();
	if (fd >= 0) {
		describe_fs(fd, "(private mount of the IPC namespace's "
		    "mqueue fs)", NULL, NULL, fs);
		snprintf(fs->source, sizeof(fs->source), "mqueue");
		return fd;
	}
	/* without the privilege, a mount at /dev/mqueue is ours alone */
	if (o->pid != 0 || o->ns_path != NULL) {
		snprintf(fs->why, sizeof(fs->why), "cannot mount the mqueue "
		    "fs of that IPC namespace (needs CAP_SYS_ADMIN)");
		return -1;
	}
	fd = open("/dev/mqueue", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0 || fstatfs(fd, &sf) < 0 ||
	    (unsigned long)sf.f_type != MQMOUNT_MAGIC) {
		if (fd >= 0)
			close(fd);
		snprintf(fs->why, sizeof(fs->why), "no mqueue fs at "
		    "/dev/mqueue and none can be mounted");
		return -1;
	}
	describe_fs(fd, "/dev/mqueue", "/proc/self/mountinfo", "/dev/mqueue",
	    fs);
	return fd;
}

pid_t
posixipc_shm_pid(const struct posixipc_opts *o)
{
	pid_t pid = o->pid;
	int n = 0;

	if (pid == 0 && o->ns_path != NULL &&
	    strcmp(o->ns_path, "/proc/self/ns/ipc") != 0 &&
	    (sscanf(o->ns_path, "/proc/%d/ns/ipc%n", &pid, &n) != 1 ||
	    n == 0 || o->ns_path[n] != '\0' || pid <= 0))
		return -1;
	return pid;
}

void
posixipc_fsroot(const struct posixipc_opts *o, char *buf, size_t len)
{
	pid_t pid = o->root != NULL ? 0 : posixipc_shm_pid(o);

	if (o->root != NULL)
		snprintf(buf, len, "%s", o->root);
	else if (pid > 0)
		snprintf(buf, len, "/proc/%d/root", (int)pid);
	else
		snprintf(buf, len, "%s", "");
}

/*
 * Open the /dev/shm of the mount namespace being reported into FS: with
 * --pid (or --ns /proc/PID/ns/ipc) the target's own, through
 * /proc/PID/root; a bare namespace file says nothing of the mount
 * namespace its users see, so nothing is read then.
 */
static int
open_dev_shm(const struct posixipc_opts *o, struct posix_fs *fs)
{
	char path[64], info[64];
	pid_t pid = posixipc_shm_pid(o);
	int fd;

	if (pid < 0) {
		snprintf(fs->why, sizeof(fs->why), "--ns names no process "
		    "whose /dev/shm could be read (use --pid)");
		return -1;
	}
	if (pid != 0) {
		snprintf(path, sizeof(path), "/proc/%d/root/dev/shm",
		    (int)pid);
		snprintf(info, sizeof(info), "/proc/%d/mountinfo", (int)pid);
	} else {
		snprintf(path, sizeof(path), "/dev/shm");
		snprintf(info, sizeof(info), "/proc/self/mountinfo");
	}
	/* a symbolic link would be followed in ipctune's root, not theirs */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(fs->why, sizeof(fs->why), "cannot open '%s': %s",
		    path, errstr(errno));
		return -1;
	}
	describe_fs(fd, path, info, "/dev/shm", fs);
	return fd;
}

int
posixipc_open_dir(const struct posixipc_opts *o, enum ipc_type t,
    struct posix_fs *fs)
{
	memset(fs, 0, sizeof(*fs));
	if (o->root != NULL) {
		snprintf(fs->why, sizeof(fs->why), "POSIX objects are not "
		    "read from fixture trees");
		return -1;
	}
	return t == IPC_PMQ ? open_mqueue(o, fs) : open_dev_shm(o, fs);
}

/*
 * Open NAME in DIRFD to read it, and make sure it is still the file F
 * describes; -1 otherwise.  O_NOATIME (for the owner or CAP_FOWNER)
 * keeps the read from touching the access time where the kernel lets it.
 */
static int
open_same(int dirfd, const struct posix_file *f, int flags)
{
	struct stat st;
	int fd;

	flags |= O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	fd = openat(dirfd, f->name, flags | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, f->name, flags);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_dev != f->dev || (uint64_t)st.st_ino != f->ino) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The value of named semaphore S: the sem_t at the start of its file,
 * read with pread(2), which changes nothing but, at most, the access
 * time (relatime rules; O_NOATIME where allowed).
 */
static void
read_sem_value(int dirfd, struct psem_obj *s)
{
	unsigned char buf[32];
	ssize_t r;
	int fd = open_same(dirfd, &s->f, 0);

	if (fd < 0)
		return;
	do {
		r = pread(fd, buf, sizeof(buf), 0);
	} while (r < 0 && errno == EINTR);
	if (r > 0 && posixipc_sem_decode(buf, (size_t)r, &s->value,
	    &s->nwaiters) == 0)
		s->has_value = true;
	close(fd);
}

/*
 * The attributes and the text of queue Q.  open() of an mqueue file
 * gives a queue descriptor (mqueue_file_operations), so mq_getattr(3)
 * answers without mq_open(3) and without receiving; it changes nothing.
 * Reading the text (mqueue_read_file()) sets the queue's atime and
 * ctime to now: Q keeps the times fstatat() saw before, and mtime, the
 * last send, is never touched.
 */
static void
read_mq(int dirfd, struct pmq_obj *q)
{
	struct mq_attr a;
	char buf[160];
	ssize_t r;
	int fd = open_same(dirfd, &q->f, 0);

	if (fd < 0)
		return;
	if (mq_getattr((mqd_t)fd, &a) == 0) {
		q->has_attr = true;
		q->maxmsg = a.mq_maxmsg;
		q->msgsize = a.mq_msgsize;
		q->curmsgs = a.mq_curmsgs;
	}
	do {
		r = read(fd, buf, sizeof(buf) - 1);
	} while (r < 0 && errno == EINTR);
	if (r > 0)
		posixipc_parse_mq(buf, (size_t)r, q);
	close(fd);
}

/* The directory entries of DFD that are regular files, as KS objects. */
static int
walk(int dfd, enum ipc_type t, unsigned want, struct kstate *ks,
    struct posix_fs *fs)
{
	size_t cap[3] = { 0, 0, 0 };
	struct dirent *de;
	DIR *d;
	int fd = dup(dfd);

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		snprintf(fs->why, sizeof(fs->why), "cannot read the "
		    "directory: %s", errstr(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct obj_perm p;
		struct posix_file f;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN) {
			fs->skipped++;
			continue;
		}
		if (posixipc_stat_at(dfd, de->d_name, &p, &f) < 0) {
			if (errno == EINVAL)
				fs->skipped++;
			else if (errno != ENOENT)
				fs->unreadable++;
			continue;
		}
		/* glibc's sem_open() names its file "sem." NAME */
		if (t == IPC_PMQ) {
			xgrow(&ks->pmq, ks->npmq, &cap[2], sizeof(*ks->pmq));
			memset(&ks->pmq[ks->npmq], 0, sizeof(*ks->pmq));
			ks->pmq[ks->npmq].perm = p;
			ks->pmq[ks->npmq++].f = f;
		} else if (strncmp(f.name, "sem.", 4) == 0 && f.name[4] &&
		    (want & IPC_TYPE_WANT(IPC_PSEM))) {
			xgrow(&ks->psem, ks->npsem, &cap[1], sizeof(*ks->psem));
			memset(&ks->psem[ks->npsem], 0, sizeof(*ks->psem));
			ks->psem[ks->npsem].perm = p;
			ks->psem[ks->npsem++].f = f;
		} else if (strncmp(f.name, "sem.", 4) != 0 &&
		    (want & IPC_TYPE_WANT(IPC_PSHM))) {
			xgrow(&ks->pshm, ks->npshm, &cap[0], sizeof(*ks->pshm));
			ks->pshm[ks->npshm].perm = p;
			ks->pshm[ks->npshm++].f = f;
		} else {
			posix_file_release(&f);
		}
	}
	closedir(d);
	fs->read = true;
	return 0;
}

static int
cmp_pshm(const void *a, const void *b)
{
	return strcmp(((const struct pshm_obj *)a)->f.name,
	    ((const struct pshm_obj *)b)->f.name);
}

static int
cmp_psem(const void *a, const void *b)
{
	return strcmp(((const struct psem_obj *)a)->f.name,
	    ((const struct psem_obj *)b)->f.name);
}

static int
cmp_pmq(const void *a, const void *b)
{
	return strcmp(((const struct pmq_obj *)a)->f.name,
	    ((const struct pmq_obj *)b)->f.name);
}

static int
cmp_key(const void *a, const void *b)
{
	const struct procscan_file *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* The files of the POSIX types KS holds, tagged type * 2^56 + index. */
#define POSIXIPC_TAG(t, i) (((size_t)(t) << 56) | (i))

/* The file of POSIX object I of type T in KS, to fill. */
static struct posix_file *
file_of(struct kstate *ks, enum ipc_type t, size_t i)
{
	switch (t) {
	case IPC_PSHM:
		return &ks->pshm[i].f;
	case IPC_PSEM:
		return &ks->psem[i].f;
	case IPC_PMQ:
		return &ks->pmq[i].f;
	case IPC_SHM:
	case IPC_SEM:
	case IPC_MSG:
	case IPC_NTYPES:
		break;
	}
	abort();
}

static int
cmp_holder(const void *a, const void *b)
{
	const struct posix_holder *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Give each file of KS its holders from H, sorted by PID. */
static void
attach_holders(struct kstate *ks, const struct procscan_holds *h)
{
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		for (size_t i = 0; ipctype_has(ks, (enum ipc_type)t) &&
		    i < ipctype_count(ks, (enum ipc_type)t); i++)
			file_of(ks, (enum ipc_type)t, i)->has_holders = true;
	for (size_t k = 0; k < h->n; k++) {
		const struct procscan_hold *x = &h->v[k];
		enum ipc_type t = (enum ipc_type)(x->tag >> 56);
		struct posix_file *f = file_of(ks, t, x->tag &
		    (((size_t)1 << 56) - 1));
		struct posix_holder *ph;

		f->holders = xreallocarray(f->holders, f->nholders + 1,
		    sizeof(*f->holders));
		ph = &f->holders[f->nholders++];
		ph->pid = x->pid;
		ph->how = x->how;
		snprintf(ph->comm, sizeof(ph->comm), "%s", x->comm);
	}
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		for (size_t i = 0; ipctype_has(ks, (enum ipc_type)t) &&
		    i < ipctype_count(ks, (enum ipc_type)t); i++) {
			struct posix_file *f = file_of(ks, (enum ipc_type)t,
			    i);

			if (f->nholders > 1)
				qsort(f->holders, f->nholders,
				    sizeof(*f->holders), cmp_holder);
		}
}

static void
scan_holders(const struct posixipc_opts *o, struct kstate *ks)
{
	struct procscan_file *keys;
	struct procscan_holds h;
	size_t n = 0, total = 0;
	char fsroot[600];

	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		if (ipctype_has(ks, (enum ipc_type)t))
			total += ipctype_count(ks, (enum ipc_type)t);
	keys = xcalloc(total + 1, sizeof(*keys));
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		for (size_t i = 0; ipctype_has(ks, (enum ipc_type)t) &&
		    i < ipctype_count(ks, (enum ipc_type)t); i++) {
			const struct posix_file *f = ipctype_posix_file(ks,
			    (enum ipc_type)t, i);

			keys[n++] = (struct procscan_file){ f->dev, f->ino,
			    POSIXIPC_TAG(t, i) };
		}
	qsort(keys, n, sizeof(*keys), cmp_key);
	posixipc_fsroot(o, fsroot, sizeof(fsroot));
	if (procscan_file_holders(o->root ? o->root : "", fsroot, getpid(),
	    keys, n, &h) == 0) {
		ks->holders.done = true;
		ks->holders.procs = h.procs;
		ks->holders.procs_partial = h.partial;
		attach_holders(ks, &h);
	}
	procscan_holds_release(&h);
	free(keys);
}

/* Read the files of /dev/shm WANT names (pshm, psem) into KS. */
static void
read_dev_shm(const struct posixipc_opts *o, struct kstate *ks,
    unsigned want)
{
	int dfd = posixipc_open_dir(o, IPC_PSHM, &ks->dev_shm);

	if (dfd < 0)
		return;
	if (walk(dfd, IPC_PSHM, want, ks, &ks->dev_shm) == 0) {
		if (want & IPC_TYPE_WANT(IPC_PSHM))
			ipctype_set_has(ks, IPC_PSHM);
		if (want & IPC_TYPE_WANT(IPC_PSEM))
			ipctype_set_has(ks, IPC_PSEM);
		for (size_t i = 0; i < ks->npsem; i++)
			read_sem_value(dfd, &ks->psem[i]);
		if (ks->npshm > 1)
			qsort(ks->pshm, ks->npshm, sizeof(*ks->pshm),
			    cmp_pshm);
		if (ks->npsem > 1)
			qsort(ks->psem, ks->npsem, sizeof(*ks->psem),
			    cmp_psem);
	}
	close(dfd);
}

/* Read the queues of the mqueue fs into KS. */
static void
read_mqueue(const struct posixipc_opts *o, struct kstate *ks)
{
	int dfd = posixipc_open_dir(o, IPC_PMQ, &ks->mqueue);

	if (dfd < 0)
		return;
	if (walk(dfd, IPC_PMQ, IPC_TYPE_WANT(IPC_PMQ), ks, &ks->mqueue) == 0) {
		ipctype_set_has(ks, IPC_PMQ);
		for (size_t i = 0; i < ks->npmq; i++)
			read_mq(dfd, &ks->pmq[i]);
		if (ks->npmq > 1)
			qsort(ks->pmq, ks->npmq, sizeof(*ks->pmq), cmp_pmq);
	}
	close(dfd);
}

void
posixipc_read(const struct posixipc_opts *o, struct kstate *ks,
    unsigned want)
{
	if (want & (IPC_TYPE_WANT(IPC_PSHM) | IPC_TYPE_WANT(IPC_PSEM)))
		read_dev_shm(o, ks, want);
	if (want & IPC_TYPE_WANT(IPC_PMQ))
		read_mqueue(o, ks);
	if (o->holders && o->root == NULL && (ks->has_pshm || ks->has_psem ||
	    ks->has_pmq))
		scan_holders(o, ks);
}
