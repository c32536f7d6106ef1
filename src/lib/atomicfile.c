/*
 * atomicfile.c: replaces a file atomically: a new temporary file in the
 * same directory (O_EXCL|O_NOFOLLOW, so nothing is followed or reused),
 * the data, the mode, fsync, rename over the target, fsync of the
 * directory.  A writer module: it touches only the file it is given.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"

/* Tries at a free temporary name before giving up. */
#define TMP_TRIES 100

static uint32_t
tmp_suffix(unsigned attempt)
{
	uint32_t r;
	struct timespec ts;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
		return r;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 8) ^ attempt;
}

static int
fail(const char *path, const char *what, char *err, size_t errlen)
{
	int e = errno;

	snprintf(err, errlen, "cannot %s '%s': %s%s", what, path,
	    strerror(e), e == EACCES || e == EPERM ? " (run as root or "
	    "choose a writable directory)" : "");
	errno = e;
	return -1;
}

int
atomicfile_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
atomicfile_write(const char *path, const void *buf, size_t len, mode_t mode,
    char *err, size_t errlen)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base;
	int fd = -1, dfd, e;

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
		base = path;
	} else {
		size_t n = slash == path ? 1 : (size_t)(slash - path);

		if (n >= sizeof(dir)) {
			errno = ENAMETOOLONG;
			return fail(path, "write", err, errlen);
		}
		memcpy(dir, path, n);
		dir[n] = '\0';
		base = slash + 1;
	}
	if (*base == '\0') {
		errno = EISDIR;
		return fail(path, "write", err, errlen);
	}
	/* ".NAME.tmp.XXXXXXXX": hidden, and never matches "*.prom" */
	for (unsigned i = 0; i < TMP_TRIES && fd < 0; i++) {
		if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.%08x", dir, base,
		    (unsigned)tmp_suffix(i)) >= (int)sizeof(tmp)) {
			errno = ENAMETOOLONG;
			return fail(path, "write", err, errlen);
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return fail(path, "write", err, errlen);
	}
	if (fd < 0)
		return fail(path, "write", err, errlen);
	/* mkstemp-like files are 0600; readers such as node_exporter
	 * run as another user, so set the mode the caller asked for */
	if (atomicfile_write_all(fd, buf, len) < 0 || fchmod(fd, mode) < 0 ||
	    fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return fail(path, "write", err, errlen);
	}
	if (close(fd) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return fail(path, "write", err, errlen);
	}
	if (rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return fail(path, "replace", err, errlen);
	}
	/* make the rename itself durable */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) < 0 && errno != EINVAL && errno != EROFS) {
			e = errno;
			close(dfd);
			errno = e;
			return fail(dir, "sync directory", err, errlen);
		}
		close(dfd);
	}
	return 0;
}
