/*
 * cmd_clean.c: 'ipctune clean', removes the objects 'orphans' reports.
 * A dry run unless --yes; refuses without a filter or --all-orphans.
 * Each removal is a small transaction: re-judge, take the permissions
 * away, re-judge, IPC_RMID, or put the permissions back; segments with
 * --backup-dir are saved in between.  Removal goes through ipcrm.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_orphans.h"
#include "commands.h"
#include "idname.h"
#include "ipcrm.h"
#include "ksource.h"
#include "render.h"
#include "statedir.h"
#include "touchrec.h"
#include "xmalloc.h"

static const struct cli_opt cmd_clean_opts[] = {
	ORPHANS_FILTER_OPTS,
	{ "all-orphans", 0, no_argument, NULL,
	    "take every orphan (needed when no filter is given)",
	    OO_ALL_ORPHANS, NULL },
	{ "yes", 'y', no_argument, NULL,
	    "remove for real (without it, only say what would be removed)",
	    OO_YES, NULL },
	{ "include-nonempty", 0, no_argument, NULL,
	    "also remove message queues that hold messages (they are lost)",
	    OO_INCLUDE_NONEMPTY, NULL },
	{ "include-locked", 0, no_argument, NULL,
	    "also remove semaphore arrays that may be locks held with "
	    "SEM_UNDO", OO_INCLUDE_LOCKED, NULL },
	{ "backup-dir", 0, required_argument, "DIR",
	    "save each segment's contents and a manifest in DIR first",
	    OO_BACKUP_DIR, "dirs" },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

#define MANIFEST "manifest.json"

enum clean_action { CA_WOULD_REMOVE, CA_REMOVED, CA_SKIPPED, CA_FAILED,
    CA_COUNT };

static const char *const action_names[CA_COUNT] = {
	[CA_WOULD_REMOVE] = "would_remove", [CA_REMOVED] = "removed",
	[CA_SKIPPED] = "skipped", [CA_FAILED] = "failed",
};

struct outcome {
	enum clean_action action;
	const char *code;	/* skip reason, or errno name when failed */
	int err;		/* errno when failed */
	char detail[512];
	char backup_file[128];
};

struct clean_ctx {
	struct globals *g;
	struct orphans_args *a;
	struct orphans_run *run;
	struct orphan_effects fx;	/* without the maps scan */
	int dirfd;			/* --backup-dir, or -1 */
	json_t *manifest;
	bool sync_warned;		/* membarrier failed, said so */
};

static int
handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct orphans_args *a = ctx;

	(void)self;
	switch (id) {
	case OO_ALL_ORPHANS:
		a->all_orphans = true;
		return 0;
	case OO_YES:
		a->yes = true;
		return 0;
	case OO_INCLUDE_NONEMPTY:
		a->include_nonempty = true;
		return 0;
	case OO_INCLUDE_LOCKED:
		a->include_locked = true;
		return 0;
	case OO_BACKUP_DIR:
		a->backup_dir = arg;
		return 0;
	default:
		return cmd_orphans_filter_opt(a, id, arg);
	}
}

static const char *
errname(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "EUNKNOWN";
}

static void
failed(struct outcome *out, int e, const char *what,
    const struct orphan_item *it)
{
	const char *owner = idname_user(orphan_item_uid(it));

	out->action = CA_FAILED;
	out->err = e;
	out->code = errname(e);
	if (e == EPERM)
		snprintf(out->detail, sizeof(out->detail), "%s: operation not "
		    "permitted: only the owner ('%s'), the creator or root "
		    "may remove it (run as root or as '%s')", what, owner,
		    owner);
	else if (e == EACCES)
		snprintf(out->detail, sizeof(out->detail), "%s: permission "
		    "denied (run as root or as '%s')", what, owner);
	else
		snprintf(out->detail, sizeof(out->detail), "%s: %s", what,
		    strerror(e));
}

static void
skipped(struct outcome *out, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
skipped(struct outcome *out, const char *code, const char *fmt, ...)
{
	va_list ap;

	out->action = CA_SKIPPED;
	out->code = code;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
}

/* An object as the kernel holds it now, whatever its type. */
/*
 * The permissions clean took away from an object before removing it,
 * and what its IPC_SET left: the re-judge must not count that ctime
 * as a change, and a failed removal puts BEFORE back exactly.
 */
struct seal {
	bool on;
	struct ipcrm_perm before;	/* uid, gid, mode, qbytes before */
	uint32_t mode;			/* the mode clean set */
	int64_t pre_ctime;		/* ctime before the IPC_SET */
	int64_t ctime;			/* ctime after it */
};

static int64_t *
live_ctime(enum ipc_type type, union ipc_obj *l)
{
	switch (type) {
	case IPC_SHM:
		return &l->shm.ctime;
	case IPC_SEM:
		return &l->sem.ctime;
	case IPC_MSG:
		return &l->msg.ctime;
	case IPC_NTYPES:
		break;
	}
	return NULL;
}

static uint32_t *
live_mode(enum ipc_type type, union ipc_obj *l)
{
	switch (type) {
	case IPC_SHM:
		return &l->shm.perm.mode;
	case IPC_SEM:
		return &l->sem.perm.mode;
	case IPC_MSG:
		return &l->msg.perm.mode;
	case IPC_NTYPES:
		break;
	}
	return NULL;
}

/* Read IT's object by id into L; 0, or -1 with OUT filled. */
static int
stat_live(const struct clean_ctx *c, const struct orphan_item *it,
    union ipc_obj *l, struct outcome *out)
{
	bool ext = c->run->ks.host.ipcmni_extend;
	int id = orphan_item_id(it), r = -1;

	errno = EINVAL;
	switch (it->type) {
	case IPC_SHM:
		r = ksource_stat_shm(id, ext, &l->shm);
		break;
	case IPC_SEM:
		r = ksource_stat_sem(id, ext, &l->sem);
		break;
	case IPC_MSG:
		r = ksource_stat_msg(id, ext, &l->msg);
		break;
	case IPC_NTYPES:
		break;
	}
	if (r < 0) {
		if (errno == EINVAL || errno == EIDRM)
			skipped(out, "gone", "no longer exists");
		else
			failed(out, errno, "cannot read it again", it);
		return -1;
	}
	return 0;
}

/*
 * Read IT's object again by id and judge it again, looking for waiters
 * on just this object now.  With SEAL, the ctime and mode its IPC_SET
 * left count as the ones before it.  0, or -1 with OUT filled.
 */
static int
restat(const struct clean_ctx *c, const struct orphan_item *it,
    const struct seal *seal, union ipc_obj *l, struct orphan_item *fresh,
    struct outcome *out)
{
	int64_t *ct;
	uint32_t *mode;

	if (stat_live(c, it, l, out) < 0)
		return -1;
	/*
	 * An array's waiters are counted by the kernel (semncnt, semzcnt:
	 * the sem_waiting effect), a queue's only show in /proc: scan it
	 * for this queue alone.
	 */
	if (it->type == IPC_MSG && procscan_scan_waits_for(&c->run->ps,
	    it->type, orphan_item_id(it)) < 0) {
		skipped(out, "no_evidence", "cannot scan '/proc' for processes "
		    "waiting on it: %s", strerror(errno));
		return -1;
	}
	if (seal != NULL && seal->on && (ct = live_ctime(it->type, l)) !=
	    NULL && (mode = live_mode(it->type, l)) != NULL) {
		if (*ct == seal->ctime)
			*ct = seal->pre_ctime;
		if ((*mode & 0777) == seal->mode)
			*mode = (*mode & ~0777u) | (seal->before.mode & 0777);
	}
	orphan_judge_one(it->type, l, (int64_t)time(NULL),
	    c->a->f.min_age_s, &c->fx, fresh);
	return 0;
}

/* Is the object still the one judged, and still orphaned? */
static int
recheck(const struct clean_ctx *c, const struct orphan_item *it,
    const struct seal *seal, union ipc_obj *l, struct outcome *out)
{
	struct orphan_item fresh;
	enum orphan_change ch;
	char b[256];

	if (restat(c, it, seal, l, &fresh, out) < 0)
		return -1;
	ch = orphan_compare(it, &fresh);
	if (ch != OC_SAME) {
		if (ch == OC_NOT_ORPHANED)
			skipped(out, orphan_change_table[ch].code, "%s (%s)",
			    orphan_change_table[ch].text,
			    cmd_orphans_reasons(&fresh, b, sizeof(b)));
		else
			skipped(out, orphan_change_table[ch].code, "%s",
			    orphan_change_table[ch].text);
	}
	orphan_item_release(&fresh);
	return ch == OC_SAME ? 0 : -1;
}

/*
 * Take the permissions of IT's object away (IPC_SET), so that from now
 * on only processes with CAP_IPC_OWNER can attach or operate; L is the
 * object as just re-checked; BACKUP: the segment is to be read for its
 * backup.  0, or -1 with OUT filled.
 */
static int
seal_obj(const struct clean_ctx *c, const struct orphan_item *it,
    const union ipc_obj *l, bool backup, struct seal *s, struct outcome *out)
{
	const struct obj_perm *lp = &l->any.perm;
	uid_t me = geteuid(), uid = lp->uid, cuid = lp->cuid;
	struct ipcrm_perm p;
	union ipc_obj now;
	int e;

	memset(s, 0, sizeof(*s));
	s->before = (struct ipcrm_perm){ lp->uid, lp->gid, lp->mode & 0777,
	    0 };
	switch (it->type) {
	case IPC_SHM:
		s->pre_ctime = l->shm.ctime;
		break;
	case IPC_SEM:
		s->pre_ctime = l->sem.ctime;
		break;
	case IPC_MSG:
		if (!l->msg.has_qbytes) {
			failed(out, ENOTSUP, "cannot read its msg_qbytes (not "
			    "removed)", it);
			return -1;
		}
		s->before.qbytes = l->msg.qbytes;
		s->pre_ctime = l->msg.ctime;
		break;
	case IPC_NTYPES:
		failed(out, EINVAL, "not an object type (not removed)", it);
		return -1;
	}
	/*
	 * ipcperms() (ipc/util.c) grants the owner's bits to the uid and
	 * the creator's uid alike, so what ipctune keeps for itself as the
	 * owner (without CAP_IPC_OWNER) its uid's other processes keep too:
	 * only the read bit, and only where ipctune must read.  The re-read
	 * of the object falls back to *_STAT_ANY, which needs no
	 * permission, and IPC_SET and IPC_RMID need ownership, not mode
	 * bits; semctl GETPID, GETNCNT, GETZCNT and GETVAL of the re-check
	 * (semctl_main(), ipc/sem.c) and the backup's shmat(SHM_RDONLY)
	 * need read permission.  Queues and segments without a backup get
	 * mode 0.
	 */
	s->mode = (me == uid || me == cuid) && (it->type == IPC_SEM ||
	    backup) ? (s->before.mode & 0400) : 0;
	p = s->before;
	p.mode = s->mode;
	if (ipcrm_set_perm(it->type, orphan_item_id(it), &p) < 0) {
		if (errno == EINVAL || errno == EIDRM)
			skipped(out, "gone", "no longer exists");
		else
			failed(out, errno, "cannot remove it", it);
		return -1;
	}
	s->on = true;
	if (stat_live(c, it, &now, out) < 0) {
		e = errno;
		ipcrm_set_perm(it->type, orphan_item_id(it), &s->before);
		s->on = false;
		errno = e;
		return -1;
	}
	s->ctime = *live_ctime(it->type, &now);
	return 0;
}

/* Put the permissions back as they were; 0, or -1 with OUT's detail. */
static int
unseal(const struct orphan_item *it, struct seal *s, struct outcome *out)
{
	size_t n;

	if (!s->on)
		return 0;
	if (ipcrm_set_perm(it->type, orphan_item_id(it), &s->before) == 0) {
		s->on = false;
		return 0;
	}
	if (errno == EINVAL || errno == EIDRM)
		return 0;
	n = strlen(out->detail);
	snprintf(out->detail + n, sizeof(out->detail) - n, "; its "
	    "permissions could not be restored (uid %u, gid %u, mode %04o): "
	    "%s", (unsigned)s->before.uid, (unsigned)s->before.gid,
	    (unsigned)s->before.mode, strerror(errno));
	if (out->action != CA_FAILED) {
		out->action = CA_FAILED;
		out->err = errno;
		out->code = errname(errno);
	}
	return -1;
}

/*
 * Test hook, for tests/sys/t_clean.sh only: when IPCTUNE_TEST_CLEAN_HOOK
 * names a FIFO, 'clean --yes' writes "judged" to it after judging and
 * then blocks until the test has written to it and closed it, so the
 * test can change an object between the judgement and the removal.
 * With IPCTUNE_TEST_CLEAN_STAGE set to "sealed", "attached" or "saved"
 * it also stops there for each object ("sealed shm 3"): after the
 * permissions were taken away, after ipctune attached a segment for its
 * backup, or after the backup was written.
 */
static void
test_hook(const char *stage, const struct orphan_item *it)
{
	const char *path = getenv("IPCTUNE_TEST_CLEAN_HOOK");
	const char *want = getenv("IPCTUNE_TEST_CLEAN_STAGE");
	char buf[64];
	int fd, n;

	if (path == NULL || *path == '\0')
		return;
	if (it != NULL && (want == NULL || strcmp(want, stage) != 0))
		return;
	if (it != NULL)
		n = snprintf(buf, sizeof(buf), "%s %s %d\n", stage,
		    ipctype_table[it->type].name, orphan_item_id(it));
	else
		n = snprintf(buf, sizeof(buf), "%s\n", stage);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, buf, (size_t)n) < 0)
			(void)0;
		close(fd);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

/*
 * Did only ipctune attach and detach its segment for the backup?  SEEN:
 * read right after its attach, PRE: right before its detach, LEFT: right
 * after.  Another attach or detach in between stamps its own PID as
 * lpid (do_shmat() and shm_close(), ipc/shm.c), which ipctune's detach
 * would overwrite, and times have a resolution of one second: PRE must
 * still show ipctune's attach alone.
 */
static bool
shm_detach_own(const struct shm_obj *seen, const struct shm_obj *pre,
    const struct shm_obj *left)
{
	pid_t me = getpid();

	return seen->lpid == me && seen->nattch == 1 && pre->lpid == me &&
	    pre->nattch == 1 && pre->atime == seen->atime &&
	    pre->dtime == seen->dtime && left->lpid == me &&
	    left->nattch == 0 && left->atime == seen->atime;
}

/*
 * Does segment L hold exactly what ipctune's own access left on it:
 * LEFT, read right after its own detach, or (NULL) what was judged, as
 * it did not attach?  Anything since changes atime, dtime, lpid or
 * nattch.
 */
static bool
shm_only_own(const struct orphan_item *it, const struct shm_obj *left,
    const struct shm_obj *l)
{
	const struct shm_obj *want = left != NULL ? left : &it->obj.shm;

	return l->nattch == 0 && l->atime == want->atime &&
	    l->dtime == want->dtime && l->lpid == want->lpid;
}

/*
 * Record that ipctune's own access changed the evidence of IT's object,
 * which stays: what the object holds now and what it held before, so
 * the next judgement sets the access aside.  For a segment LEFT is as
 * for shm_only_own(); if anything else touched it, nothing is recorded
 * and the access counts as use.  A failure is added to OUT's detail.
 */
static void
record_touch(const struct clean_ctx *c, const struct orphan_item *it,
    const struct shm_obj *left, struct outcome *out)
{
	struct orphan_touch t;
	struct outcome dummy;
	union ipc_obj l;
	char path[4096], err[1024];
	size_t n;

	memset(&dummy, 0, sizeof(dummy));
	if (stat_live(c, it, &l, &dummy) < 0)
		return;
	if (it->type == IPC_SHM && !shm_only_own(it, left, &l.shm))
		return;
	memset(&t, 0, sizeof(t));
	t.type = it->type;
	t.id = orphan_item_id(it);
	t.key = orphan_item_key(it);
	t.at = (int64_t)time(NULL);
	switch (it->type) {
	case IPC_SHM:
		/* the judged copy holds the evidence before any own access */
		t.left_ctime = l.shm.ctime;
		t.left_atime = l.shm.atime;
		t.left_dtime = l.shm.dtime;
		t.left_lpid = l.shm.lpid;
		t.ctime = it->obj.shm.ctime;
		t.atime = it->obj.shm.atime;
		t.dtime = it->obj.shm.dtime;
		t.lpid = it->obj.shm.lpid;
		break;
	case IPC_SEM:
		t.left_ctime = l.sem.ctime;
		t.ctime = it->obj.sem.ctime;
		break;
	case IPC_MSG:
		t.left_ctime = l.msg.ctime;
		t.ctime = it->obj.msg.ctime;
		break;
	case IPC_NTYPES:
		return;
	}
	if (statedir_file(statedir_getenv, geteuid(), TOUCHREC_NAME, true,
	    path, sizeof(path), err, sizeof(err)) == 0 &&
	    touchrec_add(path, c->run->ks.host.ipc_ns_inode, &t, err,
	    sizeof(err)) == 0)
		return;
	n = strlen(out->detail);
	snprintf(out->detail + n, sizeof(out->detail) - n, "; ipctune's own "
	    "access could not be recorded (%s), so it counts as use", err);
}

static json_t *
manifest_entry(const struct shm_obj *s, const char *file)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(s->perm.id));
	cmd_orphans_set_perm(o, &s->perm);
	json_set_u64(o, "size_bytes", s->size_bytes);
	json_object_set_new(o, "cpid", json_integer(s->cpid));
	json_object_set_new(o, "lpid", json_integer(s->lpid));
	cmd_orphans_set_time(o, "atime_unix", s->atime);
	cmd_orphans_set_time(o, "dtime_unix", s->dtime);
	cmd_orphans_set_time(o, "ctime_unix", s->ctime);
	cmd_orphans_set_time(o, "saved_at_unix", (int64_t)time(NULL));
	json_object_set_new(o, "file", json_string(file));
	return o;
}

/*
 * Is segment S (as read now) still attached by ipctune alone, with
 * nothing else changed since SEEN (our attach, or NULL)?
 */
static bool
only_ours(const struct orphan_item *it, const struct seal *seal,
    const struct shm_obj *s, const struct shm_obj *seen)
{
	return s->perm.key == it->obj.shm.perm.key &&
	    s->cpid == it->obj.shm.cpid && s->ctime == seal->ctime &&
	    s->nattch == 1 && s->lpid == getpid() &&
	    (seen == NULL || (s->atime == seen->atime &&
	    s->dtime == seen->dtime && s->perm.mode == seen->perm.mode));
}

/* Wait for calls in flight; say once if the kernel cannot. */
static void
sync_calls(struct clean_ctx *c)
{
	if (ipcrm_sync() == 0 || c->sync_warned)
		return;
	c->sync_warned = true;
	cli_warn(c->g, "cannot wait for IPC calls in flight (membarrier: %s); "
	    "a call that just passed its permission check may land after "
	    "the last re-check", strerror(errno));
}

/*
 * Save segment IT and remove it.  Its permissions are taken away
 * first, then it is re-checked and attached read-only (root has
 * CAP_IPC_OWNER, the owner kept its read bit); the attach keeps the
 * contents until our detach, and nattch must be exactly our one attach
 * after the backup, right before IPC_RMID.
 */
static void
backup_and_remove(struct clean_ctx *c, const struct orphan_item *it,
    struct outcome *out)
{
	const struct shm_obj *s = &it->obj.shm;
	struct shm_obj seen, now, pre, left;
	struct seal seal;
	union ipc_obj l;
	const void *addr = NULL;
	bool touched = true, have_seen = false, have_left = false;
	char *text;
	int e;

	if (recheck(c, it, NULL, &l, out) < 0)
		return;
	if (seal_obj(c, it, &l, true, &seal, out) < 0)
		return;
	sync_calls(c);
	test_hook("sealed", it);
	if (recheck(c, it, &seal, &l, out) < 0) {
		touched = false;
		goto undo;
	}
	addr = ipcrm_attach_ro(s->perm.id);
	if (addr == NULL) {
		failed(out, errno, "cannot attach it for the backup (not "
		    "removed)", it);
		goto undo;
	}
	/* a detach since the re-check (root only) shows in dtime */
	have_seen = ksource_stat_shm(s->perm.id, c->run->ks.host.ipcmni_extend,
	    &seen) == 0;
	if (!have_seen || !only_ours(it, &seal, &seen, NULL) ||
	    seen.dtime != l.shm.dtime) {
		skipped(out, "attached", "attached by another process while "
		    "being saved");
		touched = false;
		goto undo;
	}
	test_hook("attached", it);
	snprintf(out->backup_file, sizeof(out->backup_file),
	    "shm-%d-0x%08" PRIx32 "-%" PRId64 ".bin", s->perm.id, s->perm.key,
	    s->ctime);
	if (ipcrm_write_atomic(c->dirfd, out->backup_file, addr,
	    (size_t)s->size_bytes) < 0) {
		failed(out, errno, "cannot write the backup (not removed)",
		    it);
		out->backup_file[0] = '\0';
		goto undo;
	}
	json_array_append_new(json_object_get(c->manifest, "segments"),
	    manifest_entry(s, out->backup_file));
	text = json_dumps(c->manifest, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text == NULL || ipcrm_write_atomic(c->dirfd, MANIFEST, text,
	    strlen(text)) < 0) {
		e = text == NULL ? ENOMEM : errno;
		free(text);
		failed(out, e, "cannot write the manifest (not removed)", it);
		goto undo;
	}
	free(text);
	test_hook("saved", it);
	/* the backup took time: nattch again, right before IPC_RMID */
	if (ksource_stat_shm(s->perm.id, c->run->ks.host.ipcmni_extend,
	    &now) < 0 || !only_ours(it, &seal, &now, &seen)) {
		skipped(out, "attached", "attached by another process while "
		    "being saved (the backup '%s' stays)", out->backup_file);
		touched = false;
		goto undo;
	}
	if (ipcrm_remove(IPC_SHM, s->perm.id) < 0) {
		failed(out, errno, "cannot remove it", it);
		goto undo;
	}
	/* the last detach frees the segment (shm_may_destroy) */
	ipcrm_detach(addr);
	out->action = CA_REMOVED;
	snprintf(out->detail, sizeof(out->detail), "saved as '%s'",
	    out->backup_file);
	return;
undo:
	if (addr != NULL) {
		/* what ipctune's own detach left, and only it (sealed) */
		have_left = have_seen && ksource_stat_shm(s->perm.id,
		    c->run->ks.host.ipcmni_extend, &pre) == 0;
		ipcrm_detach(addr);
		have_left = have_left && ksource_stat_shm(s->perm.id,
		    c->run->ks.host.ipcmni_extend, &left) == 0 &&
		    shm_detach_own(&seen, &pre, &left);
		if (!have_left)
			touched = false;
	}
	unseal(it, &seal, out);
	/* a use found meanwhile is real: only a failure is set aside */
	if (touched)
		record_touch(c, it, have_left ? &left : NULL, out);
}

/* What clean_prepare() decided for one object. */
enum prep { PREP_DONE, PREP_REMOVE, PREP_BACKUP };

/* The checks before any change: OUT filled unless it is to be removed. */
static enum prep
clean_prepare(struct clean_ctx *c, const struct orphan_item *it,
    struct outcome *out)
{
	char b[64], b2[64];

	memset(out, 0, sizeof(*out));
	if (it->verdict == OV_SUSPECT) {
		skipped(out, "too_young", "every process recorded on it is "
		    "gone, but it was used less than --min-age %s ago "
		    "(orphaned in %s); --min-age 0 removes it",
		    cmd_orphans_age((int64_t)(c->a->f.min_age_s > INT64_MAX ?
		    INT64_MAX : c->a->f.min_age_s), b, sizeof(b)),
		    cmd_orphans_age(it->orphan_at - (int64_t)time(NULL), b2,
		    sizeof(b2)));
		return PREP_DONE;
	}
	if (!orphan_removable(it, true)) {
		skipped(out, "not_orphaned", "not orphaned");
		return PREP_DONE;
	}
	if (it->type == IPC_SHM && (it->obj.shm.perm.mode & IPC_SHM_DEST)) {
		skipped(out, "marked_dest", "already removed; the kernel frees "
		    "it at the last detach");
		return PREP_DONE;
	}
	if (it->verdict != OV_ORPHANED && !c->a->include_locked) {
		skipped(out, "may_be_locked", "a semaphore is 0 and was "
		    "operated on: it may be a lock that a live process holds "
		    "with SEM_UNDO (the kernel does not show who); "
		    "--include-locked removes it");
		return PREP_DONE;
	}
	if (it->type == IPC_MSG && it->obj.msg.qnum > 0) {
		if (!c->a->include_nonempty) {
			skipped(out, "holds_messages", "holds %" PRIu64
			    " message%s (%s); --include-nonempty removes it "
			    "and loses them", it->obj.msg.qnum,
			    it->obj.msg.qnum == 1 ? "" : "s",
			    render_bytes(it->obj.msg.cbytes, c->g->bytes, b,
			    sizeof(b)));
			return PREP_DONE;
		}
		cli_warn(c->g, "removing message queue %d %s %" PRIu64
		    " message%s (%s)", it->obj.msg.perm.id,
		    c->a->yes ? "loses" : "would lose",
		    it->obj.msg.qnum, it->obj.msg.qnum == 1 ? "" : "s",
		    render_bytes(it->obj.msg.cbytes, c->g->bytes, b,
		    sizeof(b)));
	}
	if (!c->a->yes) {
		out->action = CA_WOULD_REMOVE;
		if (it->type == IPC_SHM && c->a->backup_dir != NULL)
			snprintf(out->detail, sizeof(out->detail), "would be "
			    "saved in '%s' first", c->a->backup_dir);
		return PREP_DONE;
	}
	return it->type == IPC_SHM && c->dirfd >= 0 ? PREP_BACKUP :
	    PREP_REMOVE;
}

/* Re-check IT and take its permissions away; 0 if sealed. */
static int
seal_one(struct clean_ctx *c, const struct orphan_item *it,
    struct seal *s, struct outcome *out)
{
	union ipc_obj l;

	if (recheck(c, it, NULL, &l, out) < 0)
		return -1;
	return seal_obj(c, it, &l, false, s, out);
}

/* Re-check sealed IT once more, then IPC_RMID it, or give it back. */
static void
remove_sealed(struct clean_ctx *c, const struct orphan_item *it,
    struct seal *s, struct outcome *out)
{
	union ipc_obj l;

	test_hook("sealed", it);
	if (recheck(c, it, s, &l, out) < 0) {
		unseal(it, s, out);
		return;
	}
	if (ipcrm_remove(it->type, orphan_item_id(it)) < 0) {
		if (errno == EINVAL || errno == EIDRM) {
			skipped(out, "gone", "no longer exists");
			return;
		}
		failed(out, errno, "cannot remove it", it);
		unseal(it, s, out);
		record_touch(c, it, NULL, out);
		return;
	}
	out->action = CA_REMOVED;
}

/* Objects sealed together, so that one RCU grace period serves them. */
#define CLEAN_BATCH 64

/*
 * Signals a fault of the program itself raises: blocking them would not
 * stop them (force_sig_fault(), kernel/signal.c) and would hide a bug.
 */
static const int clean_sync_signals[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS,
};

/*
 * Remove the objects of RUN: first every array, queue and segment
 * without a backup, in batches (re-check, take the permissions away,
 * wait for calls in flight, re-check, IPC_RMID), then the segments to
 * save, one by one, so that nothing waits behind a long backup.  Every
 * asynchronous signal is held during each batch, so that none leaves an
 * object without its permissions; SIGXFSZ, which a backup beyond the
 * file size limit raises (generic_write_check_limits(), mm/filemap.c),
 * is ignored, so that the write fails with EFBIG and the error path
 * gives the mode back.
 */
static void
clean_all(struct clean_ctx *c, struct outcome *outs, enum prep *prep)
{
	const struct orphan_result *r = &c->run->r;
	struct seal seals[CLEAN_BATCH];
	size_t batch[CLEAN_BATCH], nb, i = 0;
	sigset_t block, old;
	struct sigaction ign, oldxfsz;

	sigfillset(&block);
	for (size_t k = 0; k < sizeof(clean_sync_signals) /
	    sizeof(clean_sync_signals[0]); k++)
		sigdelset(&block, clean_sync_signals[k]);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGXFSZ, &ign, &oldxfsz);
	while (i < r->nitems) {
		sigprocmask(SIG_BLOCK, &block, &old);
		for (nb = 0; i < r->nitems && nb < CLEAN_BATCH; i++) {
			if (prep[i] != PREP_REMOVE)
				continue;
			if (seal_one(c, &r->items[i], &seals[nb],
			    &outs[i]) == 0)
				batch[nb++] = i;
		}
		if (nb > 0)
			sync_calls(c);
		for (size_t k = 0; k < nb; k++)
			remove_sealed(c, &r->items[batch[k]], &seals[k],
			    &outs[batch[k]]);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	for (i = 0; i < r->nitems; i++) {
		if (prep[i] != PREP_BACKUP)
			continue;
		sigprocmask(SIG_BLOCK, &block, &old);
		backup_and_remove(c, &r->items[i], &outs[i]);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	sigaction(SIGXFSZ, &oldxfsz, NULL);
}

static int
load_manifest(struct clean_ctx *c)
{
	json_error_t jerr;
	char *buf, why[128];
	size_t len;

	if (ipcrm_read_small(c->dirfd, MANIFEST, &buf, &len, why,
	    sizeof(why)) < 0) {
		if (errno != ENOENT) {
			char msg[1024];

			snprintf(msg, sizeof(msg), "cannot read '%s/%s': %s",
			    c->a->backup_dir, MANIFEST, why);
			cli_fail(c->g, msg);
			return -1;
		}
		c->manifest = json_object();
		json_object_set_new(c->manifest, "schema_version",
		    json_integer(IPCTUNE_SCHEMA_VERSION));
		json_object_set_new(c->manifest, "document",
		    json_string("clean_backup"));
		json_object_set_new(c->manifest, "segments", json_array());
		return 0;
	}
	c->manifest = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (c->manifest == NULL || !json_is_array(json_object_get(
	    c->manifest, "segments"))) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "'%s/%s' is not a backup "
		    "manifest; refusing to overwrite it (use another "
		    "--backup-dir)", c->a->backup_dir, MANIFEST);
		cli_fail(c->g, msg);
		json_decref(c->manifest);
		c->manifest = NULL;
		return -1;
	}
	return 0;
}

enum { K_ACTION, K_TYPE, K_ID, K_KEY, K_OWNER, K_SIZE, K_AGE, K_REASONS,
    K_DETAIL, K_NCOLS };

static const struct column clean_cols[K_NCOLS] = {
	[K_ACTION] = { "ACTION", "would_remove, removed, skipped or failed",
	    0, COL_DEFAULT },
	[K_TYPE] = { "TYPE", IPCTYPE_NAMES(", ", " or "), 0, COL_DEFAULT },
	[K_ID] = { "ID", "identifier", 0, COL_DEFAULT | COL_RIGHT },
	[K_KEY] = { "KEY", "key", 0, COL_DEFAULT },
	[K_OWNER] = { "OWNER", "owner", 0, COL_DEFAULT },
	[K_SIZE] = { "SIZE", "bytes, semaphores or messages", 0,
	    COL_DEFAULT | COL_RIGHT },
	[K_AGE] = { "AGE", "time since last use", 0, COL_RIGHT },
	[K_REASONS] = { "REASONS", "why it looks orphaned", 0,
	    COL_DEFAULT },
	[K_DETAIL] = { "DETAIL", "why skipped or failed, backup file", 0,
	    COL_DEFAULT },
};

static const struct column_set cmd_clean_columns[] = {
	{ clean_cols, K_NCOLS },
	{ NULL, 0 },
};

static int
print_table(const struct clean_ctx *c, const struct outcome *outs,
    const size_t *count)
{
	const struct orphan_result *r = &c->run->r;
	char err[512], b[64], big[1024];
	struct table *t;

	if (!c->g->noheadings)
		render_namespace_line(&c->run->ks);
	if (r->nitems > 0) {
		t = table_new(clean_cols, K_NCOLS, c->g->columns, &c->g->view,
		    err, sizeof(err));
		if (t == NULL)
			return cli_usage_error(c->a->cmd, "%s", err);
		for (size_t i = 0; i < r->nitems; i++) {
			const struct orphan_item *it = &r->items[i];
			const struct outcome *o = &outs[i];

			table_row(t);
			table_cell(t, K_ACTION, action_names[o->action]);
			table_cell(t, K_TYPE, ipctype_table[it->type].name);
			snprintf(b, sizeof(b), "%d", orphan_item_id(it));
			table_cell(t, K_ID, b);
			snprintf(b, sizeof(b), "0x%08" PRIx32,
			    orphan_item_key(it));
			table_cell(t, K_KEY, b);
			table_cell(t, K_OWNER, idname_user(
			    orphan_item_uid(it)));
			table_cell(t, K_SIZE, cmd_orphans_size(it,
			    c->g->bytes, b, sizeof(b)));
			table_cell(t, K_AGE, cmd_orphans_age(it->age_seconds,
			    b, sizeof(b)));
			table_cell(t, K_REASONS, cmd_orphans_reasons(it, big,
			    sizeof(big)));
			if (o->action == CA_SKIPPED || o->action == CA_FAILED)
				snprintf(big, sizeof(big), "%s: %s", o->code,
				    o->detail);
			else
				snprintf(big, sizeof(big), "%s", o->detail);
			table_cell(t, K_DETAIL, big[0] ? big : "-");
			table_row_color(t, o->action == CA_FAILED ? 2 :
			    o->action == CA_SKIPPED ? 1 : 0);
		}
		if (table_print_free(t) < 0)
			return EXIT_FAIL;
		if (!c->g->noheadings)
			printf("\n");
	}
	if (c->g->noheadings)
		return EXIT_OK;
	if (r->nitems == 0)
		printf("nothing to remove: no orphaned objects among %zu "
		    "judged\n", r->njudged);
	else if (!c->a->yes)
		printf("dry run: would remove %zu object%s, skip %zu; run "
		    "again with --yes to remove them\n",
		    count[CA_WOULD_REMOVE], count[CA_WOULD_REMOVE] == 1 ?
		    "" : "s", count[CA_SKIPPED]);
	else
		printf("removed %zu, skipped %zu, failed %zu\n",
		    count[CA_REMOVED], count[CA_SKIPPED], count[CA_FAILED]);
	return EXIT_OK;
}

/* One entry of "results": the judged object and what became of it. */
static json_t *
result_item(const struct orphan_item *it, size_t i, const void *ctx)
{
	const struct outcome *x = (const struct outcome *)ctx + i;
	json_t *o = cmd_orphans_item_json(it);

	json_object_set_new(o, "action", json_string(action_names[
	    x->action]));
	json_object_set_new(o, "reason", x->action == CA_SKIPPED ?
	    json_string(x->code) : json_null());
	json_object_set_new(o, "errno", x->action == CA_FAILED ?
	    json_string(x->code) : json_null());
	json_object_set_new(o, "detail", x->detail[0] ?
	    json_string(x->detail) : json_null());
	json_object_set_new(o, "backup_file", x->backup_file[0] ?
	    json_string(x->backup_file) : json_null());
	return o;
}

static int
print_json(const struct clean_ctx *c, const struct outcome *outs,
    const size_t *count)
{
	const struct orphan_result *r = &c->run->r;
	json_t *root = render_envelope("clean", &c->run->ks, c->g->view.now);
	json_t *tail, *o;

	json_object_set_new(root, "dry_run", json_boolean(!c->a->yes));
	json_object_set_new(root, "filter", cmd_orphans_filter_json(c->a));
	json_object_set_new(root, "include_nonempty",
	    json_boolean(c->a->include_nonempty));
	json_object_set_new(root, "include_locked",
	    json_boolean(c->a->include_locked));
	json_object_set_new(root, "backup_dir", c->a->backup_dir ?
	    json_string(c->a->backup_dir) : json_null());
	json_object_set_new(root, "judged", json_integer(
	    (json_int_t)r->njudged));
	o = json_object();
	for (int i = 0; i < CA_COUNT; i++)
		json_object_set_new(o, action_names[i], json_integer(
		    (json_int_t)count[i]));
	json_object_set_new(root, "counts", o);
	tail = json_object();
	return cmd_orphans_print_json(root, r->items, r->nitems, "results",
	    result_item, outs, tail);
}

static int
cmd_clean(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct orphans_args a;
	struct orphans_run run;
	struct clean_ctx c;
	struct outcome *outs;
	enum prep *prep;
	size_t count[CA_COUNT] = { 0 };
	char err[1024];
	bool done;
	int idx, status;

	memset(&a, 0, sizeof(a));
	a.cmd = self;
	orphan_filter_init(&a.f);
	/* arrays that may be locks are listed, and skipped without option */
	a.f.keep_locked = true;
	status = cli_parse(a.cmd, argc, argv, g, handler, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	if (!a.filtered && !a.all_orphans)
		return cli_usage_error(a.cmd, "refusing to clean without a "
		    "filter: give --type, --owner, --older-than, --id or "
		    "--key, or --all-orphans");
	/* shm 0, sem 0 and msg 0 may all exist: an id alone is ambiguous */
	if (a.f.has_id && (a.f.types == 0 || (a.f.types &
	    (a.f.types - 1)) != 0))
		return cli_usage_error(a.cmd, "--id needs one --type (shm, sem "
		    "or msg): ids of different types overlap");
	if (a.yes && g->ks.root != NULL)
		return cli_usage_error(a.cmd, "--yes cannot remove objects of "
		    "a --root tree");
	status = cmd_orphans_run(g, &a, &run);
	if (status != 0)
		return status;
	memset(&c, 0, sizeof(c));
	c.g = g;
	c.a = &a;
	c.run = &run;
	c.dirfd = -1;
	procscan_effects(&run.ps, false, &c.fx);
	c.fx.touches = run.touches;
	c.fx.ntouches = run.ntouches;
	if (a.yes && a.backup_dir != NULL && run.r.norphans[IPC_SHM] > 0) {
		c.dirfd = ipcrm_backup_open(a.backup_dir, err, sizeof(err));
		if (c.dirfd < 0) {
			cmd_orphans_run_release(&run);
			return cli_fail(g, err);
		}
		if (load_manifest(&c) < 0) {
			close(c.dirfd);
			cmd_orphans_run_release(&run);
			return EXIT_FAIL;
		}
	}
	outs = xcalloc(run.r.nitems ? run.r.nitems : 1, sizeof(*outs));
	prep = xcalloc(run.r.nitems ? run.r.nitems : 1, sizeof(*prep));
	for (size_t i = 0; i < run.r.nitems; i++)
		prep[i] = clean_prepare(&c, &run.r.items[i], &outs[i]);
	if (a.yes) {
		test_hook("judged", NULL);
		clean_all(&c, outs, prep);
	}
	for (size_t i = 0; i < run.r.nitems; i++)
		count[outs[i].action]++;
	free(prep);
	if (g->format == FMT_JSON)
		status = print_json(&c, outs, count);
	else
		status = print_table(&c, outs, count);
	if (status == EXIT_OK && count[CA_FAILED] > 0)
		status = EXIT_FAIL;
	free(outs);
	if (c.manifest != NULL)
		json_decref(c.manifest);
	if (c.dirfd >= 0)
		close(c.dirfd);
	cmd_orphans_run_release(&run);
	return status;
}

const struct command cmd_clean_entry = {
	.name = "clean", .fn = cmd_clean,
	.summary = "remove orphaned IPC objects (a dry run unless --yes)",
	.opts = cmd_clean_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	.colsets = cmd_clean_columns
};
