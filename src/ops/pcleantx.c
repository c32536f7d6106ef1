/*
 * pcleantx.c: the unlinking of judged POSIX orphans.  Each name is
 * stat'ed again under a descriptor of the directory judged, never
 * following a symlink, must still be the inode judged, and no process
 * may map or hold it open; a /dev/shm file is then renamed aside to a
 * private name, so that no new opener finds it by name, checked once
 * more (and saved when asked), and only then unlinked, or renamed back.
 * The transaction reaches the system only through struct
 * pcleantx_effects; the real effects, at the end of the file, go
 * through posixipc.c, procscan.c and ipcrm.c.  It prints nothing and
 * never touches a System V object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ipcrm.h"
#include "ipctune.h"
#include "pcleantx.h"
#include "procscan.h"
#include "textesc.h"

/* Where the re-checks of one object run, and what became of it. */
struct pctx {
	const struct pcleantx_effects *fx;
	int dirfd;
	const struct orphan_item *it;
	const struct posix_file *f;
	struct cleantx_outcome *out;
};

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

static const char *
errname(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "EUNKNOWN";
}

static void
failed(struct cleantx_outcome *out, int e, const char *what)
{
	out->action = CLEANTX_FAILED;
	out->err = e;
	out->code = errname(e);
	snprintf(out->detail, sizeof(out->detail), "%s: %s", what,
	    strerror(e));
}

/* Add the printf(3) FMT to the detail of OUT. */
static void __attribute__((format(printf, 2, 3)))
append(struct cleantx_outcome *out, const char *fmt, ...)
{
	size_t n = strlen(out->detail);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->detail + n, sizeof(out->detail) - n, fmt, ap);
	va_end(ap);
}

/*
 * Is NAME under the directory still the file judged?  A symlink or any
 * other non-regular file planted under the name is refused, never
 * followed.  CTIME: compare the ctime too; a queue's moves with
 * ipctune's own read of its text (mqueue_read_file(), ipc/mqueue.c), a
 * renamed file's with ipctune's own rename (shmem_rename2(),
 * mm/shmem.c); a send, receive or write moves the mtime.  0, or -1 with
 * OUT filled.
 */
static int
same_file(const struct pctx *x, const char *name, bool ctime)
{
	const struct posix_file *f = x->f;
	struct posix_file now;
	int r = -1;

	memset(&now, 0, sizeof(now));
	if (x->fx->stat_at(x->fx->ctx, x->dirfd, name, &now) < 0) {
		if (errno == ENOENT)
			cleantx_skip(x->out, "gone", "no longer exists");
		else if (errno == EINVAL)
			cleantx_skip(x->out, "replaced", "the name is no "
			    "longer a regular file (a symlink or another file "
			    "took its place; not followed)");
		else
			failed(x->out, errno, "cannot stat it again");
		return -1;
	}
	if (now.dev != f->dev || now.ino != f->ino)
		cleantx_skip(x->out, "replaced", "the name now refers to "
		    "another file (inode %" PRIu64 ", judged %" PRIu64 ")",
		    now.ino, f->ino);
	else if (now.size_bytes != f->size_bytes || now.mtime != f->mtime ||
	    (ctime && now.ctime != f->ctime))
		cleantx_skip(x->out, "changed", "changed since it was judged "
		    "(size, mtime or ctime differs)");
	else
		r = 0;
	posix_file_release(&now);
	return r;
}

/*
 * Does any process other than ipctune map the file or hold it open now,
 * or a loop device read and write it?  0 if none, and every process
 * could be read; -1 with OUT filled.
 */
static int
no_holders(const struct pctx *x)
{
	struct pcleantx_holder h;
	size_t partial = 0;
	long n;

	memset(&h, 0, sizeof(h));
	n = x->fx->holders(x->fx->ctx, x->f->dev, x->f->ino, &h, &partial);
	if (n < 0) {
		cleantx_skip(x->out, "no_evidence", "cannot scan '/proc' for "
		    "processes that map or open it: %s", strerror(errno));
		return -1;
	}
	if (n > 0 && (h.how & POSIX_HOLD_LOOP)) {
		cleantx_skip(x->out, "in_use", "backs /dev/%s since it was "
		    "judged", h.comm);
		return -1;
	}
	if (n > 0) {
		cleantx_skip(x->out, "in_use", "%s by process %d (%s) since it "
		    "was judged", h.how & POSIX_HOLD_MAP ? "mapped" :
		    "held open", (int)h.pid, h.comm);
		return -1;
	}
	if (partial > 0) {
		cleantx_skip(x->out, "no_evidence", "the maps or descriptors "
		    "of %zu process%s could not be read", partial,
		    partial == 1 ? "" : "es");
		return -1;
	}
	return 0;
}

/*
 * Give the file under the private name PRIV its name back, never over
 * a file that took the name meanwhile (RENAME_NOREPLACE).  If that
 * fails, the object stays under PRIV and OUT says so as a failure.
 */
static void
put_back(const struct pctx *x, const char *priv)
{
	char *name, *p;
	int e;

	if (x->fx->rename(x->fx->ctx, x->dirfd, priv, x->f->name) == 0 ||
	    errno == ENOENT)
		return;
	e = errno;
	name = textesc_dup(x->f->name);
	p = textesc_dup(priv);
	if (x->out->action != CLEANTX_FAILED)
		failed(x->out, e, "not removed");
	x->out->err = e;
	x->out->code = errname(e);
	append(x->out, "; IT WAS NOT PUT BACK: it stays as '%s' in the same "
	    "directory, because its name '%s' %s (%s); rename it back by "
	    "hand", p, name, e == EEXIST ? "was taken meanwhile" :
	    "could not be given back", strerror(e));
	free(name);
	free(p);
}

/* The backup file name of the object of X, into OUT->backup_file. */
static void
backup_name(const struct pctx *x)
{
	snprintf(x->out->backup_file, sizeof(x->out->backup_file),
	    "%s-%" PRIu64 "-%" PRId64 ".bin", ipctype_table[x->it->type].name,
	    x->f->ino, x->f->ctime);
}

/*
 * Save the object of X, found as NAME: its contents as a backup file
 * (a queue: none, its messages cannot be read without taking them) and
 * its manifest entry.  0, or -1 with OUT filled.
 */
static int
save(const struct pctx *x, const char *name)
{
	const struct pcleantx_effects *fx = x->fx;
	char hex[65] = "";
	bool file = x->it->type != IPC_PMQ;

	if (file) {
		backup_name(x);
		if (fx->save(fx->ctx, x->dirfd, name, x->f,
		    x->out->backup_file, hex) < 0) {
			failed(x->out, errno, "cannot write the backup (not "
			    "removed)");
			x->out->backup_file[0] = '\0';
			return -1;
		}
	}
	if (fx->save_manifest(fx->ctx, x->it, file ? x->out->backup_file :
	    NULL, file ? hex : NULL) < 0) {
		failed(x->out, errno, "cannot write the manifest (not "
		    "removed)");
		return -1;
	}
	return 0;
}

/* What a removal with a backup says. */
static void
saved_detail(const struct pctx *x)
{
	if (x->it->type == IPC_PMQ)
		snprintf(x->out->detail, sizeof(x->out->detail), "its "
		    "attributes saved in the manifest; its messages are not "
		    "saved");
	else
		snprintf(x->out->detail, sizeof(x->out->detail), "saved as "
		    "'%s'", x->out->backup_file);
}

/*
 * A /dev/shm file: checked, renamed aside to PRIV, checked again under
 * PRIV (the inode, and the holders: anyone who opened it by name before
 * the rename shows there), saved, checked once more after the backup,
 * then unlinked; on any doubt renamed back.
 */
static void
remove_aside(const struct pctx *x, bool backup)
{
	char priv[96];

	if (same_file(x, x->f->name, true) < 0 || no_holders(x) < 0)
		return;
	snprintf(priv, sizeof(priv), ".ipctune-clean.%ld.%" PRIu64,
	    (long)x->fx->pid(x->fx->ctx), x->f->ino);
	if (x->fx->rename(x->fx->ctx, x->dirfd, x->f->name, priv) < 0) {
		if (errno == ENOENT)
			cleantx_skip(x->out, "gone", "no longer exists");
		else
			failed(x->out, errno, "cannot rename it aside (not "
			    "removed)");
		return;
	}
	if (same_file(x, priv, false) < 0 || no_holders(x) < 0)
		goto back;
	if (backup && save(x, priv) < 0)
		goto back;
	if (backup && (same_file(x, priv, false) < 0 || no_holders(x) < 0)) {
		append(x->out, " (the backup '%s' stays)",
		    x->out->backup_file);
		goto back;
	}
	if (x->fx->unlink(x->fx->ctx, x->dirfd, priv) < 0) {
		failed(x->out, errno, "cannot unlink it");
		goto back;
	}
	x->out->action = CLEANTX_REMOVED;
	if (backup)
		saved_detail(x);
	return;
back:
	put_back(x, priv);
}

/*
 * A queue: the mqueue fs has no rename (mqueue_dir_inode_operations,
 * ipc/mqueue.c), so the name is checked, then the holders, then (after a
 * backup, the holders again and) the inode once more right before
 * unlinkat(2), which is mq_unlink(3) (mqueue_unlink()).
 */
static void
remove_in_place(const struct pctx *x, bool backup)
{
	if (same_file(x, x->f->name, false) < 0 || no_holders(x) < 0)
		return;
	if (backup && save(x, x->f->name) < 0)
		return;
	/* the backup took time: who opened it meanwhile shows now */
	if (same_file(x, x->f->name, false) < 0 ||
	    (backup && no_holders(x) < 0))
		return;
	if (x->fx->unlink(x->fx->ctx, x->dirfd, x->f->name) < 0) {
		if (errno == ENOENT)
			cleantx_skip(x->out, "gone", "no longer exists");
		else
			failed(x->out, errno, "cannot unlink it");
		return;
	}
	x->out->action = CLEANTX_REMOVED;
	if (backup)
		saved_detail(x);
}

/* Remove the objects of type T to remove among ITEMS. */
static void
run_type(const struct pcleantx_effects *fx, enum ipc_type t,
    const struct orphan_item *items, size_t n,
    const enum cleantx_prep *prep, struct cleantx_outcome *outs)
{
	char text[512] = "";
	uint64_t dev = 0;
	int fd = -2;

	for (size_t i = 0; i < n; i++) {
		struct pctx x = { fx, -1, &items[i], pcleantx_file(&items[i]),
		    &outs[i] };

		if (items[i].type != t || (prep[i] != CLEANTX_REMOVE &&
		    prep[i] != CLEANTX_BACKUP))
			continue;
		if (fd == -2)
			fd = fx->open_dir(fx->ctx, t, &dev, text, sizeof(text));
		x.dirfd = fd;
		if (fd < 0)
			cleantx_skip(&outs[i], "no_filesystem", "cannot open "
			    "its filesystem again: %s", text);
		else if (x.f->dev != dev)
			cleantx_skip(&outs[i], "other_filesystem", "it was "
			    "judged in another filesystem than '%s' now is",
			    text);
		else if (!pcleantx_name_ok(x.f->name))
			cleantx_skip(&outs[i], "bad_name", "the name is not "
			    "one directory entry (empty, '.', '..' or holds "
			    "'/')");
		else {
			fx->hold(fx->ctx, true);
			if (t == IPC_PMQ)
				remove_in_place(&x, prep[i] == CLEANTX_BACKUP);
			else
				remove_aside(&x, prep[i] == CLEANTX_BACKUP);
			fx->hold(fx->ctx, false);
		}
	}
	if (fd >= 0)
		fx->close_dir(fx->ctx, fd);
}

void
pcleantx_run(const struct pcleantx_effects *fx,
    const struct orphan_item *items, size_t n,
    const enum cleantx_prep *prep, struct cleantx_outcome *outs)
{
	static const enum ipc_type types[] = { IPC_PSHM, IPC_PSEM, IPC_PMQ };
	bool any = false;

	for (size_t i = 0; i < n && !any; i++)
		any = pcleantx_file(&items[i]) != NULL &&
		    (prep[i] == CLEANTX_REMOVE || prep[i] == CLEANTX_BACKUP);
	if (!any)
		return;
	fx->span(fx->ctx, true);
	for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
		run_type(fx, types[k], items, n, prep, outs);
	fx->span(fx->ctx, false);
}

/*
 * The real effects.  Signals a fault of the program itself raises are
 * never held (cleantx_sys_hold_signals()).
 */
static int
sys_open_dir(void *ctx, enum ipc_type t, uint64_t *dev, char *text,
    size_t textlen)
{
	const struct pcleantx_sys *sys = ctx;
	struct posix_fs fs;
	struct stat st;
	int fd;

	memset(&fs, 0, sizeof(fs));
	fd = posixipc_open_dir(&sys->po, t, &fs);
	if (fd < 0) {
		snprintf(text, textlen, "%s", fs.why);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(text, textlen, "cannot stat it: %s", strerror(errno));
		close(fd);
		return -1;
	}
	*dev = (uint64_t)st.st_dev;
	snprintf(text, textlen, "%s", fs.path);
	return fd;
}

static void
sys_close_dir(void *ctx, int dirfd)
{
	(void)ctx;
	close(dirfd);
}

static int
sys_stat_at(void *ctx, int dirfd, const char *name, struct posix_file *now)
{
	struct obj_perm p;

	(void)ctx;
	return posixipc_stat_at(dirfd, name, &p, now);
}

static long
sys_holders(void *ctx, uint64_t dev, uint64_t ino, struct pcleantx_holder *h,
    size_t *partial)
{
	const struct pcleantx_sys *sys = ctx;
	struct procscan_file pf = { dev, ino, 0 };
	struct procscan_holds hs;
	char fsroot[600];
	long n;

	posixipc_fsroot(&sys->po, fsroot, sizeof(fsroot));
	if (procscan_file_holders("", fsroot, getpid(), &pf, 1, &hs) < 0)
		return -1;
	n = (long)hs.n;
	if (hs.n > 0) {
		h->pid = hs.v[0].pid;
		h->how = hs.v[0].how;
		snprintf(h->comm, sizeof(h->comm), "%s", hs.v[0].comm);
	}
	*partial = hs.partial;
	procscan_holds_release(&hs);
	return n;
}

static int
sys_rename(void *ctx, int dirfd, const char *from, const char *to)
{
	(void)ctx;
	return renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE);
}

static int
sys_unlink(void *ctx, int dirfd, const char *name)
{
	(void)ctx;
	return unlinkat(dirfd, name, 0);
}

/*
 * Open NAME read-only without following a link and without blocking,
 * and copy it if it is still F's inode with F's size: tmpfs reads holes
 * as zeros without allocating them (shmem_file_read_iter(), mm/shmem.c).
 */
static int
sys_save(void *ctx, int dirfd, const char *name, const struct posix_file *f,
    const char *file, char hex[65])
{
	const struct pcleantx_sys *sys = ctx;
	struct stat st;
	int fd, r = -1, e;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode) || (uint64_t)st.st_ino != f->ino ||
	    (uint64_t)st.st_dev != f->dev || st.st_size < 0 ||
	    (uint64_t)st.st_size != f->size_bytes)
		e = ESTALE;
	else if ((r = ipcrm_copy_atomic(sys->backup->dirfd, file, fd,
	    f->size_bytes, hex)) < 0)
		e = errno;
	else
		e = 0;
	close(fd);
	errno = e;
	return r;
}

static int
sys_save_manifest(void *ctx, const struct orphan_item *it, const char *file,
    const char *hex)
{
	const struct pcleantx_sys *sys = ctx;

	return cleantx_sys_manifest_add(sys->backup, "posix_objects",
	    sys->manifest_entry(it, file, hex, (int64_t)time(NULL)));
}

/* No signal may leave a file under its private name. */
static void
sys_hold(void *ctx, bool on)
{
	struct pcleantx_sys *sys = ctx;

	cleantx_sys_hold_signals(&sys->old, on);
}

/*
 * SIGXFSZ ignored for the run, as System V's (cleantx.c, sys_span()): a
 * backup beyond the file size limit fails with EFBIG and the object
 * stays.  The race tests of tests/fault/faultinject.c stop here.
 */
static void
sys_span(void *ctx, bool on)
{
	struct pcleantx_sys *sys = ctx;

	cleantx_sys_ignore_xfsz(&sys->oldxfsz, on);
}

static pid_t
sys_pid(void *ctx)
{
	(void)ctx;
	return getpid();
}

void
pcleantx_sys_effects(struct pcleantx_sys *sys, struct pcleantx_effects *fx)
{
	*fx = (struct pcleantx_effects){
		.ctx = sys, .open_dir = sys_open_dir,
		.close_dir = sys_close_dir, .stat_at = sys_stat_at,
		.holders = sys_holders, .rename = sys_rename,
		.unlink = sys_unlink, .save = sys_save,
		.save_manifest = sys_save_manifest, .hold = sys_hold,
		.span = sys_span, .pid = sys_pid,
	};
}
