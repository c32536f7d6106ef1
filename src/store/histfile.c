/*
 * histfile.c: reads and writes the history file.  Appends take an
 * exclusive flock on a separate lock file (never renamed, mode 0600, so
 * no other user can hold it), write one complete line with one write()
 * through O_APPEND|O_NOFOLLOW, and rewrite the file atomically (through
 * atomicfile.c) for retention and compaction.  A file that is not a
 * history is neither appended to nor rewritten.  Parsing and policy live
 * in history.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "histfile.h"
#include "infile.h"
#include "xmalloc.h"

#define READ_CHUNK (1u << 20)

static int
failf(char *err, size_t errlen, const char *what, const char *path)
{
	int e = errno;

	snprintf(err, errlen, "%s '%s': %s", what, path, strerror(e));
	errno = e;
	return -1;
}

/* Read the open history FD from the start into H. */
static int
load_fd(int fd, const char *path, struct history *h, char *err,
    size_t errlen)
{
	char *buf = xmalloc(READ_CHUNK);
	off_t off = 0;

	for (;;) {
		ssize_t n = pread(fd, buf, READ_CHUNK, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			failf(err, errlen, "cannot read", path);
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		history_feed(h, buf, (size_t)n);
		off += n;
	}
	history_finish(h);
	free(buf);
	return 0;
}

int
histfile_load(const char *path, struct history *h, char *err,
    size_t errlen)
{
	char why[128];
	int fd, r;

	fd = infile_openat(AT_FDCWD, path, 0, why, sizeof(why));
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			snprintf(err, errlen, "no history '%s' (run 'ipctune "
			    "record', or enable ipctune-record.timer)", path);
		else
			snprintf(err, errlen, "cannot read '%s': %s", path,
			    why);
		errno = e;
		return -1;
	}
	r = load_fd(fd, path, h, err, errlen);
	close(fd);
	return r;
}

/* Take the lock on LOCKPATH, waiting up to HISTFILE_LOCK_TIMEOUT. */
static int
lock_open(const char *lockpath, char *err, size_t errlen)
{
	struct timespec nap = { 0, 2000000 };
	time_t deadline = time(NULL) + HISTFILE_LOCK_TIMEOUT;
	struct stat st;
	int fd;

	fd = open(lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK, 0600);
	if (fd < 0)
		return failf(err, errlen, "cannot open lock file",
		    lockpath);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "lock file '%s' is not a regular file",
		    lockpath);
		close(fd);
		errno = EINVAL;
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			failf(err, errlen, "cannot lock", lockpath);
			close(fd);
			return -1;
		}
		if (time(NULL) > deadline) {
			snprintf(err, errlen, "history lock '%s' is held by "
			    "another process for more than %d s", lockpath,
			    HISTFILE_LOCK_TIMEOUT);
			close(fd);
			errno = EWOULDBLOCK;
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	return fd;
}

/* Open (or create with mode 0644) the history file for appending. */
static int
history_open(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fl = O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	int fd;

	fd = open(path, fl | O_CREAT | O_EXCL, 0644);
	if (fd >= 0) {
		/* created: the umask must not narrow the mode */
		if (fchmod(fd, 0644) < 0) {
			failf(err, errlen, "cannot set the mode of",
			    path);
			close(fd);
			return -1;
		}
	} else if (errno == EEXIST) {
		fd = open(path, fl);
	}
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(err, errlen, "history '%s' is a symbolic "
			    "link; refusing to write through it", path);
		else
			failf(err, errlen, "cannot open history",
			    path);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "history '%s' is not a regular file",
		    path);
		close(fd);
		errno = EINVAL;
		return -1;
	}
	/* O_NONBLOCK kept a FIFO from blocking the open; it is not one */
	if (fcntl(fd, F_SETFL, O_APPEND) < 0) {
		failf(err, errlen, "cannot open history", path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Refuse a non-empty PATH (open as FD, SIZE bytes) that does not begin as
 * a history: appending to it, and the rewrite that drops every line that
 * is not a sample, would destroy someone else's file.
 */
static int
check_head(int fd, const char *path, off_t size, char *err, size_t errlen)
{
	/* the first two lines at their longest, and some blank ones */
	char head[4 * (HISTORY_LINE_MAX + 1)], why[128];
	size_t got = 0;
	uint64_t line;

	while (got < sizeof(head) && (off_t)got < size) {
		ssize_t n = pread(fd, head + got, sizeof(head) - got,
		    (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return failf(err, errlen, "cannot read", path);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (history_check_head(head, got, (off_t)got >= size, &line, why,
	    sizeof(why)) < 0) {
		snprintf(err, errlen, "refusing to append to '%s': it is not "
		    "an ipctune history (line %" PRIu64 ": %s)", path, line,
		    why);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * The rewrite drops every line that is not a sample: right only for what
 * a write cut short leaves (see history_check_head), wrong for any other
 * text, however little of it there is.
 */
static int
check_body(const struct history *h, const char *path, char *err,
    size_t errlen)
{
	if (h->nforeign == 0)
		return 0;
	snprintf(err, errlen, "refusing to rewrite '%s': line %" PRIu64
	    " is neither a sample nor what a write cut short leaves (%s); "
	    "%" PRIu64 " such line%s: not an ipctune history, or edited",
	    path, h->foreign.line, h->foreign.why, h->nforeign,
	    h->nforeign == 1 ? "" : "s");
	errno = EINVAL;
	return -1;
}

/* Whether maintenance is due: forced, or not run for a day (LFD's mtime). */
static bool
maint_due(int lfd, const struct histfile_policy *p)
{
	struct stat st;

	return p->force || (fstat(lfd, &st) == 0 &&
	    st.st_mtime + HISTFILE_MAINT_INTERVAL <= time(NULL));
}

/* Retention and compaction: read all, rewrite if anything changes. */
static int
maintain(int fd, const char *path, const struct histfile_policy *p,
    struct histfile_report *rep, char *err, size_t errlen)
{
	struct history h;
	char *buf = NULL, line[HISTORY_LINE_MAX];
	size_t len = 0, cap = 0, removed;
	bool sorted = true;
	int r = -1;

	history_init(&h);
	if (load_fd(fd, path, &h, err, errlen) < 0)
		goto out;
	if (check_body(&h, path, err, errlen) < 0)
		goto out;
	rep->maintained = true;
	rep->before = h.n;
	for (size_t i = 1; i < h.n && sorted; i++)
		sorted = h.s[i - 1].t <= h.s[i].t;
	history_sort(&h);
	removed = history_compact(&h, p->now, p->keep_s, p->compact_s);
	rep->after = h.n;
	if (removed == 0 && h.nbad == 0 && sorted && !h.truncated) {
		r = 0;
		goto out;
	}
	for (size_t i = 0; i < h.n; i++) {
		int n = history_format(&h.s[i], line, sizeof(line));

		if (n < 0)
			continue;
		while (len + (size_t)n > cap) {
			cap = cap ? cap * 2 : 1u << 16;
			buf = xreallocarray(buf, cap, 1);
		}
		memcpy(buf + len, line, (size_t)n);
		len += (size_t)n;
	}
	if (atomicfile_write(path, buf ? buf : "", len, 0644, err,
	    errlen) < 0)
		goto out;
	rep->rewritten = true;
	rep->dropped_bad = h.nbad;
	r = 0;
out:
	free(buf);
	history_release(&h);
	return r;
}

/* Would maintain() refuse to rewrite the history open on FD? Then -1. */
static int
check_rewrite(int fd, const char *path, char *err, size_t errlen)
{
	struct history pre;
	int bad;

	history_init(&pre);
	bad = load_fd(fd, path, &pre, err, errlen) < 0 ||
	    check_body(&pre, path, err, errlen) < 0;
	history_release(&pre);
	return bad ? -1 : 0;
}

/*
 * Append the N characters at LINE + 1 to the history open on FD, SIZE
 * bytes long, after a newline (LINE[0]) if its last line lacks one; a
 * failed write is cut off again.
 */
static int
append_line(int fd, const char *path, off_t size, char *line, size_t n,
    struct histfile_report *rep, char *err, size_t errlen)
{
	size_t off = 1;
	char last;

	/* a crash may have left a line without its newline: never glue */
	if (size > 0) {
		if (pread(fd, &last, 1, size - 1) != 1)
			return failf(err, errlen, "cannot read", path);
		if (last != '\n') {
			line[0] = '\n';
			off = 0;
			rep->repaired = true;
		}
	}
	if (atomicfile_write_all(fd, line + off, n + 1 - off) < 0) {
		int e = errno;

		/* leave no torn line behind; we hold the lock */
		if (ftruncate(fd, size) < 0) {
			/* the reader skips a torn line anyway */
		}
		errno = e;
		return failf(err, errlen, "cannot append to", path);
	}
	return 0;
}

int
histfile_append(const char *path, const struct hist_sample *s,
    const struct histfile_policy *p, struct histfile_report *rep, char *err,
    size_t errlen)
{
	char lockpath[4096], line[HISTORY_LINE_MAX + 1];
	struct stat st;
	int lfd, fd = -1, n, r = -1;
	bool due;

	memset(rep, 0, sizeof(*rep));
	if ((size_t)snprintf(lockpath, sizeof(lockpath), "%s.lock", path) >=
	    sizeof(lockpath)) {
		snprintf(err, errlen, "history path '%s' is too long", path);
		errno = ENAMETOOLONG;
		return -1;
	}
	/* line[0] is reserved for a newline that ends a torn line */
	n = history_format(s, line + 1, sizeof(line) - 1);
	if (n < 0) {
		snprintf(err, errlen, "sample too long for one line");
		errno = EOVERFLOW;
		return -1;
	}
	lfd = lock_open(lockpath, err, errlen);
	if (lfd < 0)
		return -1;
	fd = history_open(path, err, errlen);
	if (fd < 0)
		goto out;
	if (fstat(fd, &st) < 0) {
		failf(err, errlen, "cannot stat", path);
		goto out;
	}
	if (st.st_size > 0 && check_head(fd, path, st.st_size, err,
	    errlen) < 0)
		goto out;
	due = maint_due(lfd, p);
	/* a rewrite that would be refused: refuse the append too */
	if (due && st.st_size > 0 && check_rewrite(fd, path, err,
	    errlen) < 0)
		goto out;
	if (append_line(fd, path, st.st_size, line, (size_t)n, rep, err,
	    errlen) < 0)
		goto out;
	if (due) {
		if (maintain(fd, path, p, rep, err, errlen) < 0)
			goto out;
		/* the lock file's mtime records the last maintenance */
		(void)futimens(lfd, NULL);
	}
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	close(lfd);	/* releases the lock */
	return r;
}
