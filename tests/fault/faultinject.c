/*
 * faultinject.c: an LD_PRELOAD shim for fault-injection sweeps.  It counts
 * the file-system calls of a process (open, write, fsync, rename, flock
 * and friends) and makes the N-th counted call fail with a chosen errno,
 * so a sweep can prove that a writer survives a failure at every step.
 * Test-only: never linked into ipctune.
 *
 * Environment:
 *   IPCTUNE_FAULT_CALLS  classes to count, comma-separated (default
 *                        open,write,fsync,rename,lock); also close,
 *                        unlink, mkdir, or "all"
 *   IPCTUNE_FAULT_N      fail the N-th counted call (0 or unset: count)
 *   IPCTUNE_FAULT_ERRNO  EIO, ENOSPC, EACCES, EINTR, EROFS, EDQUOT, a
 *                        number, SHORT (a write writes half and
 *                        returns the short count), KILL (the process
 *                        gets SIGKILL instead of making the call: a
 *                        kill -9 at exactly that step), or OUTOFRANGE (a
 *                        write reaches the kernel with its last number
 *                        replaced by 2147483647, beyond every IPC limit,
 *                        so that the kernel itself refuses it)
 *   IPCTUNE_FAULT_STICKY 1: every counted call from the N-th on fails
 *   IPCTUNE_FAULT_PATHS  colon-separated path prefixes; only calls on
 *                        paths under one of them are counted (fd calls
 *                        are resolved through /proc/self/fd)
 *   IPCTUNE_FAULT_LOG    append "pid seq class call path result" per
 *                        counted call to this file
 * Standard input, output and error are never counted.
 *
 * The same shim stops 'clean --yes' at the moments its races are tested
 * (tests/sys/t_clean.sh), by watching the system calls that mark them:
 *   IPCTUNE_TEST_CLEAN_HOOK   a FIFO: "judged" is written to it when the
 *                             removals start (SIGXFSZ is set to SIG_IGN),
 *                             then the program blocks until the test has
 *                             written to the FIFO and closed it
 *   IPCTUNE_TEST_CLEAN_STAGE  also stop at "sealed TYPE ID" (the first
 *                             re-read of an object after its IPC_SET and
 *                             the membarrier that follows), "attached shm
 *                             ID" (the first re-read after the backup's
 *                             shmat, which shows that attach alone) or
 *                             "saved shm ID" (the first re-read after the
 *                             rename of manifest.json), or "aside
 *                             NAME" (right after the first POSIX file
 *                             was renamed aside to its private NAME)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum fclass {
	FC_OPEN = 1 << 0,
	FC_WRITE = 1 << 1,
	FC_FSYNC = 1 << 2,
	FC_RENAME = 1 << 3,
	FC_LOCK = 1 << 4,
	FC_CLOSE = 1 << 5,
	FC_UNLINK = 1 << 6,
	FC_MKDIR = 1 << 7,
};

static const struct {
	const char *name;
	unsigned bits;
} class_names[] = {
	{ "open", FC_OPEN }, { "write", FC_WRITE }, { "fsync", FC_FSYNC },
	{ "rename", FC_RENAME }, { "lock", FC_LOCK }, { "flock", FC_LOCK },
	{ "close", FC_CLOSE }, { "unlink", FC_UNLINK }, { "mkdir", FC_MKDIR },
	{ "all", 0xff },
};

static const struct {
	const char *name;
	int value;
} errno_names[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EACCES", EACCES },
	{ "EINTR", EINTR }, { "EROFS", EROFS }, { "EDQUOT", EDQUOT },
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EAGAIN", EAGAIN },
	{ "EMFILE", EMFILE }, { "ENOMEM", ENOMEM },
};

static struct {
	int ready;
	unsigned classes;
	unsigned long n;	/* fail this call; 0 = count only */
	int err;		/* errno; -1 short, -2 kill, -3 out of range */
	int sticky;
	char paths[4096];
	char log[4096];
	unsigned long seq;
	int busy;		/* re-entry guard for our own calls */
} fi;

#define REAL(ret, name, args) \
	static ret (*real_##name) args; \
	if (real_##name == NULL) \
		real_##name = (ret (*) args)dlsym(RTLD_NEXT, #name)

static void ch_renamed(const char *newp);

/*
 * Calls made before our constructor ran (ASan's own start-up makes some)
 * go straight through: the C library may not be usable yet.
 */
static int fi_started;

static void __attribute__((constructor))
fi_start(void)
{
	fi_started = 1;
}

static int (*raw_open)(const char *, int, ...);
static ssize_t (*raw_write)(int, const void *, size_t);
static int (*raw_close)(int);

static void
fi_init(void)
{
	const char *s;

	if (fi.ready)
		return;
	fi.ready = 1;
	raw_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	raw_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT,
	    "write");
	raw_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	fi.classes = FC_OPEN | FC_WRITE | FC_FSYNC | FC_RENAME | FC_LOCK;
	s = getenv("IPCTUNE_FAULT_CALLS");
	if (s != NULL && *s != '\0') {
		char buf[256], *tok, *save = NULL;

		fi.classes = 0;
		snprintf(buf, sizeof(buf), "%s", s);
		for (tok = strtok_r(buf, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			for (size_t i = 0; i < sizeof(class_names) /
			    sizeof(class_names[0]); i++)
				if (strcmp(tok, class_names[i].name) == 0)
					fi.classes |= class_names[i].bits;
	}
	s = getenv("IPCTUNE_FAULT_N");
	fi.n = s != NULL ? strtoul(s, NULL, 10) : 0;
	fi.err = EIO;
	s = getenv("IPCTUNE_FAULT_ERRNO");
	if (s != NULL && *s != '\0') {
		if (strcmp(s, "SHORT") == 0)
			fi.err = -1;
		else if (strcmp(s, "KILL") == 0)
			fi.err = -2;
		else if (strcmp(s, "OUTOFRANGE") == 0)
			fi.err = -3;
		else if (*s >= '0' && *s <= '9')
			fi.err = atoi(s);
		for (size_t i = 0; i < sizeof(errno_names) /
		    sizeof(errno_names[0]); i++)
			if (strcmp(s, errno_names[i].name) == 0)
				fi.err = errno_names[i].value;
	}
	s = getenv("IPCTUNE_FAULT_STICKY");
	fi.sticky = s != NULL && strcmp(s, "1") == 0;
	s = getenv("IPCTUNE_FAULT_PATHS");
	snprintf(fi.paths, sizeof(fi.paths), "%s", s ? s : "");
	s = getenv("IPCTUNE_FAULT_LOG");
	snprintf(fi.log, sizeof(fi.log), "%s", s ? s : "");
}

static void
fd_path(int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t r;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	r = readlink(link, buf, len - 1);
	if (r < 0)
		r = 0;
	buf[r] = '\0';
}

static void
at_path(int dirfd, const char *path, char *buf, size_t len)
{
	char dir[2048];

	if (path == NULL) {
		buf[0] = '\0';
		return;
	}
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		if (path[0] != '/' && getcwd(dir, sizeof(dir)) != NULL)
			snprintf(buf, len, "%s/%s", dir, path);
		else
			snprintf(buf, len, "%s", path);
		return;
	}
	fd_path(dirfd, dir, sizeof(dir));
	snprintf(buf, len, "%s/%s", dir, path);
}

static int
path_selected(const char *path)
{
	const char *p = fi.paths;

	if (*p == '\0')
		return 1;
	while (*p != '\0') {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n > 0 && strncmp(path, p, n) == 0)
			return 1;
		p += n;
		if (*p == ':')
			p++;
	}
	return 0;
}

static void
log_call(unsigned long seq, const char *cls, const char *call,
    const char *path, int failing)
{
	char line[4300];
	int fd, n;

	if (fi.log[0] == '\0')
		return;
	n = snprintf(line, sizeof(line), "%ld %lu %s %s %s %s\n",
	    (long)getpid(), seq, cls, call, path[0] ? path : "-",
	    failing ? (fi.err == -3 ? "OUTOFRANGE" : fi.err < 0 ? "SHORT" :
	    strerrorname_np(fi.err)) : "ok");
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	fd = raw_open(fi.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return;
	if (raw_write(fd, line, (size_t)n) < 0) {
		/* nothing to do: the log is best effort */
	}
	raw_close(fd);
}

/*
 * Decide for one call: 0 go ahead, 1 fail it (errno already in fi.err).
 * PATH is the file the call works on ("" if unknown).
 */
static int
fi_step(unsigned cls, const char *clsname, const char *call,
    const char *path)
{
	unsigned long seq;
	int failing;

	if (!fi_started)
		return 0;
	fi_init();
	if (fi.busy || !(fi.classes & cls) || !path_selected(path))
		return 0;
	fi.busy = 1;
	seq = ++fi.seq;
	failing = fi.n != 0 && (seq == fi.n || (fi.sticky && seq > fi.n));
	log_call(seq, clsname, call, path, failing);
	fi.busy = 0;
	if (failing && fi.err == -2)
		raise(SIGKILL);
	return failing;
}

static int
fd_step(unsigned cls, const char *clsname, const char *call, int fd)
{
	char path[4096];

	if (!fi_started || (fd >= 0 && fd <= 2))
		return 0;
	fi_init();
	if (fi.busy || !(fi.classes & cls))
		return 0;
	fd_path(fd, path, sizeof(path));
	return fi_step(cls, clsname, call, path);
}

static int
path_step(unsigned cls, const char *clsname, const char *call, int dirfd,
    const char *p)
{
	char path[4096];

	if (!fi_started)
		return 0;
	fi_init();
	if (fi.busy || !(fi.classes & cls))
		return 0;
	at_path(dirfd, p, path, sizeof(path));
	return fi_step(cls, clsname, call, path);
}

static int
fail_int(void)
{
	errno = fi.err < 0 ? EIO : fi.err;
	return -1;
}

/* ---- open ---- */

static mode_t
mode_arg(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
	return 0;
}

#define OPEN_WRAP(name) \
int \
name(const char *path, int flags, ...) \
{ \
	va_list ap; \
	mode_t mode; \
	REAL(int, name, (const char *, int, ...)); \
	va_start(ap, flags); \
	mode = mode_arg(flags, ap); \
	va_end(ap); \
	if (path_step(FC_OPEN, "open", #name, AT_FDCWD, path)) \
		return fail_int(); \
	return real_##name(path, flags, mode); \
}

#define OPENAT_WRAP(name) \
int \
name(int dirfd, const char *path, int flags, ...) \
{ \
	va_list ap; \
	mode_t mode; \
	REAL(int, name, (int, const char *, int, ...)); \
	va_start(ap, flags); \
	mode = mode_arg(flags, ap); \
	va_end(ap); \
	if (path_step(FC_OPEN, "open", #name, dirfd, path)) \
		return fail_int(); \
	return real_##name(dirfd, path, flags, mode); \
}

OPEN_WRAP(open)
OPEN_WRAP(open64)
OPENAT_WRAP(openat)
OPENAT_WRAP(openat64)

/* _FORTIFY_SOURCE turns some open calls into these */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

int
__open_2(const char *path, int flags)
{
	REAL(int, __open_2, (const char *, int));
	if (path_step(FC_OPEN, "open", "__open_2", AT_FDCWD, path))
		return fail_int();
	return real___open_2(path, flags);
}

int
__open64_2(const char *path, int flags)
{
	REAL(int, __open64_2, (const char *, int));
	if (path_step(FC_OPEN, "open", "__open64_2", AT_FDCWD, path))
		return fail_int();
	return real___open64_2(path, flags);
}

int
__openat_2(int dirfd, const char *path, int flags)
{
	REAL(int, __openat_2, (int, const char *, int));
	if (path_step(FC_OPEN, "open", "__openat_2", dirfd, path))
		return fail_int();
	return real___openat_2(dirfd, path, flags);
}

int
__openat64_2(int dirfd, const char *path, int flags)
{
	REAL(int, __openat64_2, (int, const char *, int));
	if (path_step(FC_OPEN, "open", "__openat64_2", dirfd, path))
		return fail_int();
	return real___openat64_2(dirfd, path, flags);
}

int
creat(const char *path, mode_t mode)
{
	REAL(int, creat, (const char *, mode_t));
	if (path_step(FC_OPEN, "open", "creat", AT_FDCWD, path))
		return fail_int();
	return real_creat(path, mode);
}

/* glibc opens these files with internal calls a shim cannot see */
int
mkstemp(char *tmpl)
{
	REAL(int, mkstemp, (char *));
	if (path_step(FC_OPEN, "open", "mkstemp", AT_FDCWD, tmpl))
		return fail_int();
	return real_mkstemp(tmpl);
}

int
mkostemp(char *tmpl, int flags)
{
	REAL(int, mkostemp, (char *, int));
	if (path_step(FC_OPEN, "open", "mkostemp", AT_FDCWD, tmpl))
		return fail_int();
	return real_mkostemp(tmpl, flags);
}

FILE *
fopen(const char *path, const char *mode)
{
	REAL(FILE *, fopen, (const char *, const char *));
	if (path_step(FC_OPEN, "open", "fopen", AT_FDCWD, path)) {
		fail_int();
		return NULL;
	}
	return real_fopen(path, mode);
}

FILE *
fopen64(const char *path, const char *mode)
{
	REAL(FILE *, fopen64, (const char *, const char *));
	if (path_step(FC_OPEN, "open", "fopen64", AT_FDCWD, path)) {
		fail_int();
		return NULL;
	}
	return real_fopen64(path, mode);
}

/* ---- write ---- */

/*
 * OUTOFRANGE: write BUF with its last number replaced by 2147483647 (an
 * int the kernel parses, above every IPC limit: for kernel.sem the
 * kernel stores SEMMSL, SEMMNS and SEMOPM, then refuses SEMMNI with
 * ERANGE and puts it back alone, ipc/ipc_sysctl.c).  The kernel's answer
 * is returned as it is, the full length on success.
 */
static ssize_t
write_out_of_range(ssize_t (*real)(int, const void *, size_t), int fd,
    const char *buf, size_t len)
{
	char text[512];
	size_t end = len, start;
	ssize_t r;
	int n;

	while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == ' ' ||
	    buf[end - 1] == '\t'))
		end--;
	start = end;
	while (start > 0 && buf[start - 1] >= '0' && buf[start - 1] <= '9')
		start--;
	if (start > 0 && buf[start - 1] == '-')
		start--;
	if (start == end || start >= sizeof(text) - 16)
		return fail_int();
	n = snprintf(text, sizeof(text), "%.*s2147483647%.*s", (int)start, buf,
	    (int)(len - end), buf + end);
	if (n < 0 || (size_t)n >= sizeof(text))
		return fail_int();
	r = real(fd, text, (size_t)n);
	return r == n ? (ssize_t)len : r;
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	REAL(ssize_t, write, (int, const void *, size_t));
	if (fd_step(FC_WRITE, "write", "write", fd)) {
		if (fi.err == -3)
			return write_out_of_range(real_write, fd, buf, len);
		if (fi.err < 0 && len > 1)
			return real_write(fd, buf, len / 2);
		return fail_int();
	}
	return real_write(fd, buf, len);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
	if (fd_step(FC_WRITE, "write", "pwrite", fd)) {
		if (fi.err < 0 && len > 1)
			return real_pwrite(fd, buf, len / 2, off);
		return fail_int();
	}
	return real_pwrite(fd, buf, len, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	REAL(ssize_t, pwrite64, (int, const void *, size_t, off_t));
	if (fd_step(FC_WRITE, "write", "pwrite64", fd)) {
		if (fi.err < 0 && len > 1)
			return real_pwrite64(fd, buf, len / 2, off);
		return fail_int();
	}
	return real_pwrite64(fd, buf, len, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	REAL(ssize_t, writev, (int, const struct iovec *, int));
	if (fd_step(FC_WRITE, "write", "writev", fd)) {
		if (fi.err < 0 && n > 0 && iov[0].iov_len > 1) {
			REAL(ssize_t, write, (int, const void *, size_t));
			return real_write(fd, iov[0].iov_base,
			    iov[0].iov_len / 2);
		}
		return fail_int();
	}
	return real_writev(fd, iov, n);
}

/*
 * stdio writes its buffer with internal calls, so a buffered write is
 * seen at fflush/fclose.  A failing flush discards the buffered bytes:
 * they never reach the file, as after a real EIO or ENOSPC.
 */
int
fflush(FILE *fp)
{
	REAL(int, fflush, (FILE *));
	if (fp != NULL && __fpending(fp) > 0 &&
	    fd_step(FC_WRITE, "write", "fflush", fileno(fp))) {
		__fpurge(fp);
		fail_int();
		return EOF;
	}
	return real_fflush(fp);
}

int
fclose(FILE *fp)
{
	REAL(int, fclose, (FILE *));
	if (fp != NULL && __fpending(fp) > 0 &&
	    fd_step(FC_WRITE, "write", "fclose", fileno(fp))) {
		int saved;

		__fpurge(fp);
		fail_int();
		saved = errno;
		real_fclose(fp);
		errno = saved;
		return EOF;
	}
	if (fp != NULL && fd_step(FC_CLOSE, "close", "fclose", fileno(fp))) {
		int saved;

		fail_int();
		saved = errno;
		real_fclose(fp);
		errno = saved;
		return EOF;
	}
	return real_fclose(fp);
}

/* ---- fsync ---- */

int
fsync(int fd)
{
	REAL(int, fsync, (int));
	if (fd_step(FC_FSYNC, "fsync", "fsync", fd))
		return fail_int();
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(int, fdatasync, (int));
	if (fd_step(FC_FSYNC, "fsync", "fdatasync", fd))
		return fail_int();
	return real_fdatasync(fd);
}

/* ---- rename ---- */

static int
rename_step(const char *call, int olddirfd, const char *oldp, int newdirfd,
    const char *newp)
{
	char a[4096], b[4096];

	if (!fi_started)
		return 0;
	fi_init();
	if (fi.busy || !(fi.classes & FC_RENAME))
		return 0;
	at_path(olddirfd, oldp, a, sizeof(a));
	at_path(newdirfd, newp, b, sizeof(b));
	/* counted when either end is selected; logged by its target */
	if (!path_selected(a) && !path_selected(b))
		return 0;
	return fi_step(FC_RENAME, "rename", call, path_selected(b) ? b : a);
}

int
rename(const char *oldp, const char *newp)
{
	REAL(int, rename, (const char *, const char *));
	if (rename_step("rename", AT_FDCWD, oldp, AT_FDCWD, newp))
		return fail_int();
	return real_rename(oldp, newp);
}

int
renameat(int od, const char *oldp, int nd, const char *newp)
{
	int r;

	REAL(int, renameat, (int, const char *, int, const char *));
	if (rename_step("renameat", od, oldp, nd, newp))
		return fail_int();
	r = real_renameat(od, oldp, nd, newp);
	if (r == 0)
		ch_renamed(newp);
	return r;
}

static void ch_aside(const char *newp);

int
renameat2(int od, const char *oldp, int nd, const char *newp,
    unsigned flags)
{
	REAL(int, renameat2, (int, const char *, int, const char *,
	    unsigned));
	int r;

	if (rename_step("renameat2", od, oldp, nd, newp))
		return fail_int();
	r = real_renameat2(od, oldp, nd, newp, flags);
	if (r == 0)
		ch_aside(newp);
	return r;
}

/* ---- locks ---- */

int
flock(int fd, int op)
{
	REAL(int, flock, (int, int));
	if (!(op & LOCK_UN) && fd_step(FC_LOCK, "lock", "flock", fd))
		return fail_int();
	return real_flock(fd, op);
}

int
lockf(int fd, int cmd, off_t len)
{
	REAL(int, lockf, (int, int, off_t));
	if (cmd != F_ULOCK && fd_step(FC_LOCK, "lock", "lockf", fd))
		return fail_int();
	return real_lockf(fd, cmd, len);
}

int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	REAL(int, fcntl, (int, int, ...));

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_SETLK ||
	    cmd == F_OFD_SETLKW) {
		const struct flock *fl = arg;

		if (fl != NULL && fl->l_type != F_UNLCK &&
		    fd_step(FC_LOCK, "lock", "fcntl", fd))
			return fail_int();
	}
	return real_fcntl(fd, cmd, arg);
}

int
fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	REAL(int, fcntl64, (int, int, ...));

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_SETLK ||
	    cmd == F_OFD_SETLKW) {
		const struct flock *fl = arg;

		if (fl != NULL && fl->l_type != F_UNLCK &&
		    fd_step(FC_LOCK, "lock", "fcntl64", fd))
			return fail_int();
	}
	return real_fcntl64(fd, cmd, arg);
}

/* ---- close, unlink, mkdir (counted only when asked for) ---- */

int
close(int fd)
{
	REAL(int, close, (int));
	if (fd_step(FC_CLOSE, "close", "close", fd)) {
		int saved;

		/* POSIX leaves the fd state unspecified; Linux closes it */
		fail_int();
		saved = errno;
		real_close(fd);
		errno = saved;
		return -1;
	}
	return real_close(fd);
}

int
unlink(const char *path)
{
	REAL(int, unlink, (const char *));
	if (path_step(FC_UNLINK, "unlink", "unlink", AT_FDCWD, path))
		return fail_int();
	return real_unlink(path);
}

int
unlinkat(int dirfd, const char *path, int flags)
{
	REAL(int, unlinkat, (int, const char *, int));
	if (path_step(FC_UNLINK, "unlink", "unlinkat", dirfd, path))
		return fail_int();
	return real_unlinkat(dirfd, path, flags);
}

int
mkdir(const char *path, mode_t mode)
{
	REAL(int, mkdir, (const char *, mode_t));
	if (path_step(FC_MKDIR, "mkdir", "mkdir", AT_FDCWD, path))
		return fail_int();
	return real_mkdir(path, mode);
}

int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	REAL(int, mkdirat, (int, const char *, mode_t));
	if (path_step(FC_MKDIR, "mkdir", "mkdirat", dirfd, path))
		return fail_int();
	return real_mkdirat(dirfd, path, mode);
}

/* ---- the clean hook ---- */

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif

enum { CH_SHM, CH_SEM, CH_MSG };
static const char *const ch_types[] = { "shm", "sem", "msg" };

/* An object whose permissions clean took away. */
enum { CH_SEALED = 1, CH_SYNCED, CH_DONE };
static struct {
	int type, id, state;
} ch_seals[1024];
static size_t ch_nseals;
static int ch_judged;		/* "judged" was announced */
static int ch_att_id = -1;	/* the segment attached read-only */
static int ch_att_seen;		/* its first re-read was seen */
static int ch_saved;		/* manifest.json renamed since */

/* The FIFO, and whether STAGE is the one to stop at (NULL: always). */
static const char *
ch_path(const char *stage)
{
	const char *path = getenv("IPCTUNE_TEST_CLEAN_HOOK");
	const char *want = getenv("IPCTUNE_TEST_CLEAN_STAGE");

	if (path == NULL || *path == '\0')
		return NULL;
	if (stage != NULL && (want == NULL || strcmp(want, stage) != 0))
		return NULL;
	return path;
}

/* Write LINE to the FIFO, then wait until the test closes it. */
static void
ch_stop(const char *path, const char *line)
{
	REAL(int, open, (const char *, int, ...));
	REAL(ssize_t, read, (int, void *, size_t));
	REAL(ssize_t, write, (int, const void *, size_t));
	REAL(int, close, (int));
	char buf[64];
	int fd, e = errno;

	fd = real_open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (real_write(fd, line, strlen(line)) < 0)
			(void)0;
		real_close(fd);
	}
	fd = real_open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (real_read(fd, buf, sizeof(buf)) > 0)
			;
		real_close(fd);
	}
	errno = e;
}

/* Announce STAGE for object ID of TYPE if the test stops there. */
static void
ch_announce(const char *stage, int type, int id)
{
	const char *path = ch_path(stage);
	char line[64];

	if (path == NULL)
		return;
	snprintf(line, sizeof(line), "%s %s %d\n", stage, ch_types[type],
	    id);
	ch_stop(path, line);
}

/* An IPC_SET on object ID: a seal, or the seal given back. */
static void
ch_set(int type, int id)
{
	for (size_t i = 0; i < ch_nseals; i++)
		if (ch_seals[i].type == type && ch_seals[i].id == id) {
			ch_seals[i].state = CH_DONE;
			return;
		}
	if (ch_nseals < sizeof(ch_seals) / sizeof(ch_seals[0]))
		ch_seals[ch_nseals++] = (typeof(ch_seals[0])){ type, id,
		    CH_SEALED };
}

/* Before a re-read of object ID: the stops that come before it. */
static void
ch_before_stat(int type, int id)
{
	for (size_t i = 0; i < ch_nseals; i++)
		if (ch_seals[i].type == type && ch_seals[i].id == id &&
		    ch_seals[i].state == CH_SYNCED) {
			ch_seals[i].state = CH_DONE;
			ch_announce("sealed", type, id);
		}
	if (type == CH_SHM && id == ch_att_id && ch_saved) {
		ch_saved = 0;
		ch_announce("saved", type, id);
	}
}

/* After the first re-read of the segment clean attached. */
static void
ch_after_shm_stat(int id, const struct shmid_ds *ds)
{
	if (id != ch_att_id || ch_att_seen)
		return;
	ch_att_seen = 1;
	if (ds->shm_nattch == 1 && ds->shm_lpid == getpid())
		ch_announce("attached", CH_SHM, id);
}

static void
ch_renamed(const char *newp)
{
	const char *base = strrchr(newp, '/');

	base = base != NULL ? base + 1 : newp;
	if (strcmp(base, "manifest.json") == 0 && ch_att_id >= 0)
		ch_saved = 1;
}

/* The first POSIX file clean renamed aside to its private name. */
static void
ch_aside(const char *newp)
{
	static int done;
	const char *base = strrchr(newp, '/'), *path;
	char line[300];

	base = base != NULL ? base + 1 : newp;
	if (done || strncmp(base, ".ipctune-clean.", 15) != 0 ||
	    (path = ch_path("aside")) == NULL)
		return;
	done = 1;
	snprintf(line, sizeof(line), "aside %s\n", base);
	ch_stop(path, line);
}

int
sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	const char *path;

	REAL(int, sigaction, (int, const struct sigaction *,
	    struct sigaction *));
	/* clean ignores SIGXFSZ for its removals: they start now */
	if (sig == SIGXFSZ && act != NULL && act->sa_handler == SIG_IGN &&
	    !ch_judged && (path = ch_path(NULL)) != NULL) {
		ch_judged = 1;
		ch_stop(path, "judged\n");
	}
	return real_sigaction(sig, act, old);
}

long
syscall(long nr, ...)
{
	REAL(long, syscall, (long, ...));
	long a[6], r;
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	r = real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	/* the wait for calls in flight after a batch of seals */
	if (nr == SYS_membarrier)
		for (size_t i = 0; i < ch_nseals; i++)
			if (ch_seals[i].state == CH_SEALED)
				ch_seals[i].state = CH_SYNCED;
	return r;
}

int
shmctl(int id, int cmd, struct shmid_ds *buf)
{
	REAL(int, shmctl, (int, int, struct shmid_ds *));
	int r;

	if (cmd == IPC_SET)
		ch_set(CH_SHM, id);
	if (cmd == IPC_STAT)
		ch_before_stat(CH_SHM, id);
	if (cmd == SHM_STAT_ANY || cmd == SHM_STAT) {
		r = real_shmctl(id, cmd, buf);
		if (r < 0)
			return r;
		ch_before_stat(CH_SHM, r);
	}
	r = real_shmctl(id, cmd, buf);
	if (r >= 0 && (cmd == IPC_STAT || cmd == SHM_STAT_ANY ||
	    cmd == SHM_STAT))
		ch_after_shm_stat(cmd == IPC_STAT ? id : r, buf);
	return r;
}

void *
shmat(int id, const void *addr, int flags)
{
	REAL(void *, shmat, (int, const void *, int));
	void *p = real_shmat(id, addr, flags);

	if (p != (void *)-1 && (flags & SHM_RDONLY)) {
		ch_att_id = id;
		ch_att_seen = 0;
		ch_saved = 0;
	}
	return p;
}

union ch_semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

int
semctl(int id, int num, int cmd, ...)
{
	REAL(int, semctl, (int, int, int, ...));
	union ch_semun arg;
	va_list ap;
	int r;

	/* only the commands that take one read it (semctl(2)) */
	va_start(ap, cmd);
	arg = va_arg(ap, union ch_semun);
	va_end(ap);
	if (cmd == IPC_SET)
		ch_set(CH_SEM, id);
	if (cmd == IPC_STAT)
		ch_before_stat(CH_SEM, id);
	if (cmd == SEM_STAT_ANY || cmd == SEM_STAT) {
		r = real_semctl(id, num, cmd, arg);
		if (r < 0)
			return r;
		ch_before_stat(CH_SEM, r);
	}
	return real_semctl(id, num, cmd, arg);
}

int
msgctl(int id, int cmd, struct msqid_ds *buf)
{
	REAL(int, msgctl, (int, int, struct msqid_ds *));
	int r;

	if (cmd == IPC_SET)
		ch_set(CH_MSG, id);
	if (cmd == IPC_STAT)
		ch_before_stat(CH_MSG, id);
	if (cmd == MSG_STAT_ANY || cmd == MSG_STAT) {
		r = real_msgctl(id, cmd, buf);
		if (r < 0)
			return r;
		ch_before_stat(CH_MSG, r);
	}
	return real_msgctl(id, cmd, buf);
}
