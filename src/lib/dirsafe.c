/*
 * dirsafe.c: the check that a directory ipctune writes into (state
 * directory, drop-in directory, backup directory) cannot be redirected or
 * tampered with by another user.  The path is walked one component at a
 * time with lstat(2), following symbolic links by hand so that each one
 * is checked too.  Reads metadata only; never creates or writes.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirsafe.h"

#define DIRSAFE_MAX_LINKS 40	/* as the kernel's MAXSYMLINKS */

/* Append "/NAME" (LEN bytes) to PATH; -1 if it does not fit. */
static int
append(char *path, size_t size, const char *name, size_t len)
{
	size_t n = strlen(path);

	if (n > 0 && path[n - 1] == '/')
		n--;
	if (n + 1 + len + 1 > size)
		return -1;
	path[n] = '/';
	memcpy(path + n + 1, name, len);
	path[n + 1 + len] = '\0';
	return 0;
}

static int __attribute__((format(printf, 4, 5)))
refuse(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

/* DIR as an absolute path into REST (PATH_MAX bytes). */
static int
absolute(const char *dir, char *rest, char *err, size_t errlen)
{
	if (dir[0] == '/') {
		if (strlen(dir) >= PATH_MAX)
			return refuse(err, errlen, ENAMETOOLONG,
			    "'%s': path too long", dir);
		memcpy(rest, dir, strlen(dir) + 1);
	} else {
		if (getcwd(rest, PATH_MAX) == NULL ||
		    append(rest, PATH_MAX, dir, strlen(dir)) < 0)
			return refuse(err, errlen, ENAMETOOLONG,
			    "'%s': path too long", dir);
	}
	return 0;
}

/* CUR becomes its parent ("/" stays "/"). */
static void
parent(char *cur)
{
	char *s = strrchr(cur, '/');

	if (s != NULL && s != cur)
		*s = '\0';
	else
		cur[1] = '\0';
}

/*
 * The symbolic link TMP (PATH_MAX bytes), met walking DIR: REST becomes
 * its target followed by P, what was left to walk, and CUR goes back to
 * "/" for an absolute target.  At most DIRSAFE_MAX_LINKS (*LINKS) in all.
 */
static int
follow_link(const char *dir, char *tmp, const char *p, char *rest, char *cur,
    int *links, char *err, size_t errlen)
{
	char link[PATH_MAX];
	ssize_t n;

	if (++*links > DIRSAFE_MAX_LINKS)
		return refuse(err, errlen, ELOOP, "'%s': too many symbolic "
		    "links", dir);
	n = readlink(tmp, link, sizeof(link) - 1);
	if (n < 0)
		return refuse(err, errlen, errno, "cannot read the symbolic "
		    "link '%s'", tmp);
	link[n] = '\0';
	/* continue with the target, then what was left */
	if ((size_t)n + 1 + strlen(p) + 1 > PATH_MAX)
		return refuse(err, errlen, ENAMETOOLONG, "'%s': path too long",
		    dir);
	/* TMP is free again: build the new rest there */
	memcpy(tmp, link, (size_t)n);
	tmp[n] = '/';
	memcpy(tmp + n + 1, p, strlen(p) + 1);
	memcpy(rest, tmp, strlen(tmp) + 1);
	if (link[0] == '/')
		cur[1] = '\0';
	return 0;
}

/*
 * TMP (with ST, not a link) must be a directory that neither group nor
 * others may write, unless sticky on the way (not LAST) as /tmp is.
 */
static int
check_dir(const char *tmp, const struct stat *st, bool last, char *err,
    size_t errlen)
{
	if (!S_ISDIR(st->st_mode))
		return refuse(err, errlen, ENOTDIR, "'%s' is not a directory",
		    tmp);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    (last || !(st->st_mode & S_ISVTX)))
		return refuse(err, errlen, EPERM, "'%s' is writable by group "
		    "or others (mode %04lo)", tmp,
		    (unsigned long)(st->st_mode & 07777));
	return 0;
}

static int
walk(const char *dir, uid_t euid, bool missing_ok, char *err, size_t errlen)
{
	char cur[PATH_MAX], rest[PATH_MAX], tmp[PATH_MAX];
	const char *r = rest;	/* what is left to walk, inside REST */
	struct stat st;
	int links = 0;

	if (dir == NULL || dir[0] == '\0')
		return refuse(err, errlen, EINVAL, "empty directory name");
	if (absolute(dir, rest, err, errlen) < 0)
		return -1;
	cur[0] = '/';
	cur[1] = '\0';
	if (lstat(cur, &st) < 0)
		return refuse(err, errlen, errno, "cannot examine '/'");
	for (;;) {
		const char *p = r, *name;
		size_t len;
		bool last;

		while (*p == '/')
			p++;
		name = p;
		len = strcspn(p, "/");
		p += len;
		while (*p == '/')
			p++;
		last = *p == '\0';
		if (len == 0)
			break;
		if (len == 1 && name[0] == '.') {
			r = p;
			continue;
		}
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			/* the parent of a directory already checked */
			parent(cur);
			r = p;
			continue;
		}
		memcpy(tmp, cur, strlen(cur) + 1);
		if (append(tmp, sizeof(tmp), name, len) < 0)
			return refuse(err, errlen, ENAMETOOLONG,
			    "'%s': path too long", dir);
		if (lstat(tmp, &st) < 0) {
			int e = errno;

			/* what is missing will be created by us, 0700 */
			if (e == ENOENT && missing_ok)
				return 0;
			snprintf(err, errlen, "cannot examine '%s': %s", tmp,
			    strerror(e));
			errno = e;
			return -1;
		}
		if (st.st_uid != 0 && st.st_uid != euid)
			return refuse(err, errlen, EPERM, "'%s' is owned by "
			    "another user (uid %lu)", tmp,
			    (unsigned long)st.st_uid);
		if (S_ISLNK(st.st_mode)) {
			if (follow_link(dir, tmp, p, rest, cur, &links, err,
			    errlen) < 0)
				return -1;
			r = rest;
			continue;
		}
		if (check_dir(tmp, &st, last, err, errlen) < 0)
			return -1;
		memcpy(cur, tmp, strlen(tmp) + 1);
		r = p;
	}
	/* CUR is the directory itself; "/" was never examined as last */
	if (strcmp(cur, "/") == 0 && lstat(cur, &st) == 0 &&
	    (st.st_mode & (S_IWGRP | S_IWOTH)))
		return refuse(err, errlen, EPERM, "'/' is writable by group "
		    "or others");
	return 0;
}

int
dirsafe_check(const char *dir, uid_t euid, char *err, size_t errlen)
{
	return walk(dir, euid, false, err, errlen);
}

int
dirsafe_check_prefix(const char *dir, uid_t euid, char *err, size_t errlen)
{
	return walk(dir, euid, true, err, errlen);
}
