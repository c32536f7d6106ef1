/*
 * rootfile.c: the files root writes where another user must not steer
 * it: sysctl.d drop-ins and the rollback record.  A file is replaced by
 * writing a temporary file in the same directory (O_EXCL, O_NOFOLLOW,
 * locked until renamed), fsync, rename over the target, then fsync of the
 * directory, so a crash leaves the old or the new file, never half of
 * one; the directory must be safe (dirsafe.h) and symlinks are refused.
 * The temporary files a killed writer left are removed here too.  What a
 * file holds is its caller's business.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirsafe.h"
#include "infile.h"
#include "numparse.h"
#include "rootfile.h"
#include "xmalloc.h"

#define ROOTFILE_TMP ".tmp."

int
rootfile_read(const char *path, char **text, char *err, size_t errlen)
{
	struct stat st;
	size_t len;

	*text = NULL;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot stat '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "refusing '%s': it is a symbolic link",
		    path);
		errno = ELOOP;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "refusing '%s': not a regular file",
		    path);
		errno = EINVAL;
		return -1;
	}
	if (infile_read(path, 0, ROOTFILE_MAX_BYTES, text, &len, NULL, 0) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
fsync_dir(const char *path, char *err, size_t errlen)
{
	char *copy = xstrdup(path);
	int fd, r = 0;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0) {
		snprintf(err, errlen, "cannot sync the directory of '%s': %s",
		    path, strerror(errno));
		r = -1;
	}
	if (fd >= 0)
		close(fd);
	free(copy);
	return r;
}

int
rootfile_write(const char *path, const char *text, unsigned mode, char *err,
    size_t errlen)
{
	char tmp[PATH_MAX];
	struct stat st;
	size_t len = strlen(text), off = 0;
	int fd, e;

	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "refusing '%s': %s", path,
		    S_ISLNK(st.st_mode) ? "it is a symbolic link" :
		    "not a regular file");
		errno = ELOOP;
		return -1;
	}
	/* a sysctl.d file runs as root at boot: its directory must be safe */
	{
		char *copy = xstrdup(path), msg[1024];
		int r = dirsafe_check(dirname(copy), geteuid(), msg,
		    sizeof(msg));

		free(copy);
		if (r < 0) {
			e = errno;
			snprintf(err, errlen, "refusing to write '%s': %s",
			    path, msg);
			errno = e;
			return -1;
		}
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
	    (long)getpid()) >= sizeof(tmp)) {
		snprintf(err, errlen, "path too long: '%s'", path);
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot create '%s': %s%s", tmp,
		    strerror(e), e == EACCES ? " (run as root)" : "");
		errno = e;
		return -1;
	}
	/*
	 * held until close or death: rootfile_clean_stale leaves a locked
	 * temporary file alone, even one whose PID it cannot see
	 */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	/* the umask must not change the mode of a sysctl.d file */
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	return fsync_dir(path, err, errlen);
fail:
	e = errno;
	snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

int
rootfile_remove(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "refusing to remove '%s': not a regular "
		    "file", path);
		return -1;
	}
	if (unlink(path) < 0) {
		snprintf(err, errlen, "cannot remove '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return fsync_dir(path, err, errlen);
}

/* The PID of a temporary file name BASE.tmp.PID, or 0 if it is not one. */
static pid_t
stale_pid(const char *name, const char *base)
{
	size_t bn = strlen(base), tn = strlen(ROOTFILE_TMP);
	char again[32];
	uint64_t pid;

	if (strncmp(name, base, bn) != 0 || strncmp(name + bn, ROOTFILE_TMP,
	    tn) != 0 || num_parse_u64(name + bn + tn, 1, INT32_MAX,
	    &pid) < 0)
		return 0;
	/* exactly the name rootfile_write makes: no "007", no "+7" */
	snprintf(again, sizeof(again), "%" PRIu64, pid);
	return strcmp(again, name + bn + tn) == 0 ? (pid_t)pid : 0;
}

/* Remove NAME in DFD if it is a stale temporary file of ours: 1, 0, -1. */
static int
clean_one(int dfd, const char *name, pid_t pid)
{
	struct stat st, fst;
	int fd, r = 0, e;

	if (pid == getpid() || fstatat(dfd, name, &st,
	    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()))
		return 0;
	/* a live PID keeps its file, even if the PID was reused */
	if (kill(pid, 0) == 0 || errno != ESRCH)
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	/* the writer's lock: held by a writer this PID namespace cannot see */
	if (fstat(fd, &fst) == 0 && fst.st_dev == st.st_dev &&
	    fst.st_ino == st.st_ino && S_ISREG(fst.st_mode)) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			r = unlinkat(dfd, name, 0) == 0 ? 1 : -1;
		else if (errno != EWOULDBLOCK)
			r = -1;
	}
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int
rootfile_clean_stale(const char *path, int *nremoved, char *err,
    size_t errlen)
{
	char *copy = xstrdup(path), *base = strrchr(copy, '/');
	const char *dir;
	struct dirent *de;
	DIR *d;
	int dfd, r = 0, e;

	*nremoved = 0;
	if (base == NULL) {
		free(copy);
		return 0;
	}
	*base++ = '\0';
	dir = copy[0] != '\0' ? copy : "/";
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		e = errno;
		if (e != ENOENT)
			snprintf(err, errlen, "cannot look for stale temporary "
			    "files of '%s': %s", path, strerror(e));
		free(copy);
		errno = e;
		return e == ENOENT ? 0 : -1;
	}
	d = fdopendir(dup(dfd));
	if (d == NULL) {
		e = errno;
		snprintf(err, errlen, "cannot look for stale temporary files "
		    "of '%s': %s", path, strerror(e));
		close(dfd);
		free(copy);
		errno = e;
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t pid = stale_pid(de->d_name, base);
		int one;

		if (pid == 0)
			continue;
		one = clean_one(dfd, de->d_name, pid);
		if (one > 0) {
			(*nremoved)++;
		} else if (one < 0 && r == 0) {
			e = errno;
			snprintf(err, errlen, "cannot remove the stale "
			    "temporary file '%s/%s': %s", dir, de->d_name,
			    strerror(e));
			r = -1;
		}
	}
	closedir(d);
	if (*nremoved > 0 && fsync(dfd) < 0 && r == 0) {
		snprintf(err, errlen, "cannot sync '%s': %s", dir,
		    strerror(errno));
		r = -1;
	}
	close(dfd);
	free(copy);
	return r;
}
