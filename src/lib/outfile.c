/*
 * outfile.c: where an --output-style document goes.  The path is
 * examined with lstat(2) and never followed: a regular file (or none) is
 * replaced atomically through atomicfile.c; a character device, a FIFO
 * or a standard-output name is written through without O_CREAT or
 * O_TRUNC; everything else is refused.  A writer module: it touches
 * only the file it is given, and never prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "errstr.h"
#include "infile.h"
#include "outfile.h"

/*
 * The names of the standard streams.  They are symbolic links into
 * /proc/self/fd, which would open the stream's file anew (at offset 0,
 * or not at all for a socket); the descriptor ipctune was given is
 * written instead, as the shell set it up.
 */
static const struct {
	const char *name;
	int fd;
} std_names[] = {
	{ "-", STDOUT_FILENO },
	{ "/dev/stdout", STDOUT_FILENO },
	{ "/dev/fd/1", STDOUT_FILENO },
	{ "/proc/self/fd/1", STDOUT_FILENO },
	{ "/dev/stderr", STDERR_FILENO },
	{ "/dev/fd/2", STDERR_FILENO },
	{ "/proc/self/fd/2", STDERR_FILENO },
};

static int
fail(const char *path, int e, char *err, size_t errlen)
{
	snprintf(err, errlen, "cannot write '%s': %s%s", path, errstr(e),
	    e == EACCES || e == EPERM ? " (run as root or choose a "
	    "writable directory)" : "");
	errno = e;
	return -1;
}

static int
refuse(const char *path, unsigned mode, int e, char *err, size_t errlen)
{
	if (S_ISLNK(mode))
		snprintf(err, errlen, "refusing to write '%s': it is a "
		    "symbolic link, which is neither followed nor replaced "
		    "(give the path it points to)", path);
	else
		snprintf(err, errlen, "refusing to write '%s': it is %s "
		    "(output goes to a regular file, a character device, a "
		    "FIFO or standard output)", path, infile_kind(mode));
	errno = e;
	return -1;
}

/* Write through the device or FIFO PATH that lstat() described as ST. */
static int
write_node(const char *path, const struct stat *st, const void *buf,
    size_t len, char *err, size_t errlen)
{
	struct stat now;
	int fd, e;

	/* no O_CREAT, no O_TRUNC: the node stays what it is */
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return fail(path, errno, err, errlen);
	if (fstat(fd, &now) < 0) {
		e = errno;
		close(fd);
		return fail(path, e, err, errlen);
	}
	if ((now.st_mode & S_IFMT) != (st->st_mode & S_IFMT) ||
	    now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
		close(fd);
		snprintf(err, errlen, "refusing to write '%s': it was "
		    "replaced while being opened", path);
		errno = EAGAIN;
		return -1;
	}
	if (atomicfile_write_all(fd, buf, len) < 0) {
		e = errno;
		close(fd);
		return fail(path, e, err, errlen);
	}
	if (close(fd) < 0)
		return fail(path, errno, err, errlen);
	return 0;
}

int
outfile_write(const char *path, const void *buf, size_t len, mode_t mode,
    char *err, size_t errlen)
{
	struct stat st;

	for (size_t i = 0; i < sizeof(std_names) / sizeof(std_names[0]);
	    i++) {
		if (strcmp(path, std_names[i].name) != 0)
			continue;
		/* what the program printed before comes first */
		if (fflush(std_names[i].fd == STDOUT_FILENO ? stdout :
		    stderr) != 0 || atomicfile_write_all(std_names[i].fd, buf, len) < 0)
			return fail(path, errno, err, errlen);
		return 0;
	}
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return fail(path, errno, err, errlen);
		/* nothing there yet: created, atomically as a replacement */
		return atomicfile_write(path, buf, len, mode, err, errlen);
	}
	if (S_ISREG(st.st_mode))
		return atomicfile_write(path, buf, len, mode, err, errlen);
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return write_node(path, &st, buf, len, err, errlen);
	return refuse(path, st.st_mode, S_ISLNK(st.st_mode) ? ELOOP :
	    S_ISDIR(st.st_mode) ? EISDIR : EINVAL, err, errlen);
}
