/*
 * infile.c: opens and reads the files ipctune is given or finds
 * (snapshots, profiles, plans, histories, manifests, configuration,
 * fixture trees, and the /proc files the system readers parse).  The open is non-blocking, so a FIFO cannot hang it,
 * and whatever is not a regular file is refused by its type before a
 * byte is read.  Reads only; never prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errstr.h"
#include "infile.h"
#include "xmalloc.h"

#define INFILE_CHUNK 65536

const char *
infile_kind(unsigned mode)
{
	static const struct {
		unsigned type;
		const char *name;
	} kinds[] = {
		{ S_IFREG, "a regular file" },
		{ S_IFDIR, "a directory" },
		{ S_IFIFO, "a FIFO" },
		{ S_IFSOCK, "a socket" },
		{ S_IFCHR, "a character device" },
		{ S_IFBLK, "a block device" },
		{ S_IFLNK, "a symbolic link" },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((mode & S_IFMT) == kinds[i].type)
			return kinds[i].name;
	return "a special file";
}

static int __attribute__((format(printf, 4, 5)))
failf(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = e;
	return -1;
}

int
infile_openat(int dirfd, const char *path, unsigned flags, char *err,
    size_t errlen)
{
	int oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct stat st;
	int fd, e;

	if ((flags & INFILE_STDIN) && strcmp(path, "-") == 0) {
		fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return failf(err, errlen, errno, "%s", errstr(errno));
		return fd;
	}
	if (flags & INFILE_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	/* O_NONBLOCK: opening a FIFO for reading waits for a writer */
	fd = openat(dirfd, path, oflags);
	if (fd < 0) {
		e = errno;
		if (e == ELOOP && (flags & INFILE_NOFOLLOW))
			return failf(err, errlen, e, "a symbolic link (not "
			    "followed here)");
		/* open(2) of a socket fails with ENXIO: say what it is */
		if (e == ENXIO && fstatat(dirfd, path, &st, (flags &
		    INFILE_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0) == 0 &&
		    !S_ISREG(st.st_mode))
			return failf(err, errlen, EINVAL, "not a regular file "
			    "(%s)", infile_kind(st.st_mode));
		return failf(err, errlen, e, "%s", errstr(e));
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return failf(err, errlen, e, "%s", errstr(e));
	}
	if (S_ISCHR(st.st_mode) && (flags & INFILE_DEVMASK)) {
		close(fd);
		return -2;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return failf(err, errlen, S_ISDIR(st.st_mode) ? EISDIR :
		    EINVAL, "not a regular file (%s)",
		    infile_kind(st.st_mode));
	}
	/* a regular file: reads block as usual (NFS, FUSE honour the flag) */
	if (fcntl(fd, F_SETFL, O_RDONLY) < 0) {
		e = errno;
		close(fd);
		return failf(err, errlen, e, "%s", errstr(e));
	}
	return fd;
}

/* Read FD to its end, at most MAXLEN bytes; -1 with errno. */
static int
read_fd(int fd, size_t maxlen, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	struct stat st;
	ssize_t r;

	/* a regular file says its size: refuse it before allocating */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > maxlen) {
		errno = EFBIG;
		return -1;
	}
	for (;;) {
		if (cap - len < INFILE_CHUNK + 1) {
			if (cap >= maxlen + 1) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			/* grow to at most maxlen + 1 plus one read */
			cap = cap ? cap * 2 : INFILE_CHUNK * 2;
			if (cap > maxlen + INFILE_CHUNK + 2)
				cap = maxlen + INFILE_CHUNK + 2;
			buf = xreallocarray(buf, cap, 1);
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > maxlen) {
		free(buf);
		errno = EFBIG;
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
infile_readat(int dirfd, const char *name, unsigned flags, size_t maxlen,
    char **bufp, size_t *lenp, char *err, size_t errlen)
{
	int fd, e;

	fd = infile_openat(dirfd, name, flags, err, errlen);
	if (fd == -2) {
		*bufp = xstrdup("");
		*lenp = 0;
		return 1;
	}
	if (fd < 0)
		return -1;
	if (read_fd(fd, maxlen, bufp, lenp) < 0) {
		e = errno;
		close(fd);
		return failf(err, errlen, e, "%s", errstr(e));
	}
	close(fd);
	return 0;
}

int
infile_read(const char *path, unsigned flags, size_t maxlen, char **bufp,
    size_t *lenp, char *err, size_t errlen)
{
	return infile_readat(AT_FDCWD, path, flags, maxlen, bufp, lenp, err,
	    errlen);
}
