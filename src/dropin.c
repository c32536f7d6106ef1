/*
 * dropin.c: atomic file writes for sysctl.d drop-ins and state files.
 * A file is replaced by writing a temporary file in the same directory
 * (O_EXCL, O_NOFOLLOW), fsync, rename over the target, then fsync of the
 * directory, so a crash leaves the old or the new file, never half of
 * one.  Symlinks are refused: root must not be steered into another file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dirsafe.h"
#include "dropin.h"
#include "ipctune.h"
#include "ksource.h"
#include "xmalloc.h"

char *
dropin_render(const char *profiles, const char *variables, int64_t when,
    const struct dropin_line *lines, size_t n)
{
	char ts[32], *out, *p;
	time_t t = (time_t)when;
	struct tm tm;
	size_t cap = 1024;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < n; i++)
		cap += strlen(lines[i].key) + strlen(lines[i].value) + 8;
	cap += strlen(profiles) + strlen(variables);
	out = p = xmalloc(cap);
	p += snprintf(p, cap - (size_t)(p - out),
	    "# Written by ipctune %s ('ipctune apply') at %s.\n"
	    "# Profiles: %s\n"
	    "# Variables: %s\n"
	    "# 'ipctune verify' reports drift; 'ipctune rollback' restores "
	    "the previous\n# content of this file.\n",
	    IPCTUNE_VERSION, ts, profiles, *variables ? variables : "(none)");
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - out), "%s = %s\n",
		    lines[i].key, lines[i].value);
	return out;
}

char *
dropin_body(const char *text)
{
	size_t len = strlen(text);
	char *out = xmalloc(len + 1), *o = out;
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *s = line;

		while (s < line + n && (*s == ' ' || *s == '\t'))
			s++;
		if (s < line + n && *s != '#' && *s != ';') {
			memcpy(o, line, n);
			o += n;
			*o++ = '\n';
		}
		line += n + (nl != NULL);
	}
	*o = '\0';
	return out;
}

int
dropin_read(const char *path, char **text, char *err, size_t errlen)
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
	if (ksource_slurp(path, text, &len, DROPIN_MAX_BYTES) < 0) {
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
dropin_write(const char *path, const char *text, unsigned mode, char *err,
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
dropin_remove(const char *path, char *err, size_t errlen)
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
