/*
 * pcleantx.c: the unlinking of judged POSIX orphans.  Each name is
 * stat'ed again under a descriptor of the directory judged, never
 * following a symlink, must still be the inode judged (device, inode,
 * size, mtime, ctime), and no process may map or hold it open now
 * (one scan of /proc for that inode alone); only then unlinkat(2).  It
 * reaches the system through posixipc.c and procscan.c, prints nothing
 * and never touches a System V object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipctune.h"
#include "pcleantx.h"
#include "procscan.h"

bool
pcleantx_name_ok(const char *name)
{
	return name != NULL && name[0] != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

const struct posix_file *
pcleantx_file(const struct orphan_item *it)
{
	switch (it->type) {
	case IPC_PSHM:
		return &it->obj.pshm.f;
	case IPC_PSEM:
		return &it->obj.psem.f;
	case IPC_PMQ:
		return &it->obj.pmq.f;
	case IPC_SHM:
	case IPC_SEM:
	case IPC_MSG:
	case IPC_NTYPES:
		break;
	}
	return NULL;
}

static void
failed(struct cleantx_outcome *out, int e, const char *what)
{
	const char *n = strerrorname_np(e);

	out->action = CLEANTX_FAILED;
	out->err = e;
	out->code = n != NULL ? n : "EUNKNOWN";
	snprintf(out->detail, sizeof(out->detail), "%s: %s", what,
	    strerror(e));
}

/*
 * Is NAME under DIRFD still the file F judged?  fstatat(2) with
 * AT_SYMLINK_NOFOLLOW (posixipc_stat_at): a symlink or any other
 * non-regular file planted under the name is refused, never followed.
 * MQ: a queue, whose ctime ipctune's own read of its text moves
 * (mqueue_read_file(), ipc/mqueue.c); a send or receive moves its
 * mtime.  0, or -1 with OUT filled.
 */
static int
same_file(int dirfd, const struct posix_file *f, bool mq,
    struct cleantx_outcome *out)
{
	struct obj_perm p;
	struct posix_file now;
	int r = 0;

	memset(&now, 0, sizeof(now));
	if (posixipc_stat_at(dirfd, f->name, &p, &now) < 0) {
		if (errno == ENOENT)
			cleantx_skip(out, "gone", "no longer exists");
		else if (errno == EINVAL)
			cleantx_skip(out, "replaced", "the name is no longer "
			    "a regular file (a symlink or another file "
			    "took its place; not followed)");
		else
			failed(out, errno, "cannot stat it again");
		posix_file_release(&now);
		return -1;
	}
	if (now.dev != f->dev || now.ino != f->ino) {
		cleantx_skip(out, "replaced", "the name now refers to another "
		    "file (inode %llu, judged %llu)",
		    (unsigned long long)now.ino, (unsigned long long)f->ino);
		r = -1;
	} else if (now.size_bytes != f->size_bytes ||
	    now.mtime != f->mtime || (!mq && now.ctime != f->ctime)) {
		cleantx_skip(out, "changed", "changed since it was judged "
		    "(size, mtime or ctime differs)");
		r = -1;
	}
	posix_file_release(&now);
	return r;
}

/*
 * Does any process other than SELF map F or hold it open now?  0 if
 * none, and every process could be read; -1 with OUT filled.
 */
static int
no_holders(pid_t self, const struct posix_file *f,
    struct cleantx_outcome *out)
{
	struct procscan_file pf = { f->dev, f->ino, 0 };
	struct procscan_holds h;
	int r = -1;

	if (procscan_file_holders("", self, &pf, 1, &h) < 0) {
		cleantx_skip(out, "no_evidence", "cannot scan '/proc' for "
		    "processes that map or open it: %s", strerror(errno));
		return -1;
	}
	if (h.n > 0)
		cleantx_skip(out, "in_use", "%s by process %d (%s) since it "
		    "was judged", h.v[0].how & POSIX_HOLD_MAP ? "mapped" :
		    "held open", (int)h.v[0].pid, h.v[0].comm);
	else if (h.partial > 0)
		cleantx_skip(out, "no_evidence", "the maps or descriptors of "
		    "%zu process%s could not be read", h.partial,
		    h.partial == 1 ? "" : "es");
	else
		r = 0;
	procscan_holds_release(&h);
	return r;
}

/*
 * Re-check IT's file F under DIRFD and unlink it.  The name is checked,
 * then the inode, then the holders, then the inode once more right
 * before unlinkat(2), which for an mqueue file is mq_unlink(3)
 * (mqueue_unlink(), ipc/mqueue.c).
 */
static void
remove_one(int dirfd, pid_t self, const struct posix_file *f, bool mq,
    struct cleantx_outcome *out)
{
	if (!pcleantx_name_ok(f->name)) {
		cleantx_skip(out, "bad_name", "the name is not one directory "
		    "entry (empty, '.', '..' or holds '/')");
		return;
	}
	if (same_file(dirfd, f, mq, out) < 0 ||
	    no_holders(self, f, out) < 0 || same_file(dirfd, f, mq, out) < 0)
		return;
	if (unlinkat(dirfd, f->name, 0) < 0) {
		if (errno == ENOENT)
			cleantx_skip(out, "gone", "no longer exists");
		else
			failed(out, errno, "cannot unlink it");
		return;
	}
	out->action = CLEANTX_REMOVED;
}

/* Open the directory of type T; its device into DEV.  -1: FS->why. */
static int
open_dir(const struct posixipc_opts *po, enum ipc_type t,
    struct posix_fs *fs, uint64_t *dev)
{
	struct stat st;
	int fd = posixipc_open_dir(po, t, fs);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		snprintf(fs->why, sizeof(fs->why), "cannot stat it: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	*dev = (uint64_t)st.st_dev;
	return fd;
}

/* Unlink the objects of type T to remove among ITEMS. */
static void
run_type(const struct posixipc_opts *po, pid_t self, enum ipc_type t,
    const struct orphan_item *items, size_t n,
    const enum cleantx_prep *prep, struct cleantx_outcome *outs)
{
	struct posix_fs fs;
	uint64_t dev = 0;
	int fd = -2;

	for (size_t i = 0; i < n; i++) {
		const struct posix_file *f = pcleantx_file(&items[i]);

		if (items[i].type != t || prep[i] != CLEANTX_REMOVE)
			continue;
		if (fd == -2)
			fd = open_dir(po, t, &fs, &dev);
		if (fd < 0)
			cleantx_skip(&outs[i], "no_filesystem", "cannot open "
			    "its filesystem again: %s", fs.why);
		else if (f->dev != dev)
			cleantx_skip(&outs[i], "other_filesystem", "it was "
			    "judged in another filesystem than '%s' now is",
			    fs.path);
		else
			remove_one(fd, self, f, t == IPC_PMQ, &outs[i]);
	}
	if (fd >= 0)
		close(fd);
}

void
pcleantx_run(const struct posixipc_opts *po, pid_t self,
    const struct orphan_item *items, size_t n,
    const enum cleantx_prep *prep, struct cleantx_outcome *outs)
{
	static const enum ipc_type types[] = { IPC_PSHM, IPC_PSEM, IPC_PMQ };
	struct sigaction ign, old;
	bool any = false;

	for (size_t i = 0; i < n && !any; i++)
		any = pcleantx_file(&items[i]) != NULL &&
		    prep[i] == CLEANTX_REMOVE;
	if (!any)
		return;
	/*
	 * The removals start as System V's do (cleantx.c, sys_span()):
	 * SIGXFSZ ignored for the run, the moment the race tests of
	 * tests/fault/faultinject.c stop at.
	 */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGXFSZ, &ign, &old);
	for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
		run_type(po, self, types[k], items, n, prep, outs);
	sigaction(SIGXFSZ, &old, NULL);
}
