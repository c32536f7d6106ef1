/*
 * cleantx.c: the removal of judged orphans, one small transaction per
 * object: re-judge, take the permissions away, wait for calls in flight,
 * re-judge, save (segments with a backup directory), IPC_RMID; on any
 * doubt give the permissions back and record ipctune's own access.  The
 * transaction reaches the system only through struct cleantx_effects;
 * the real effects, at the end of the file, go through ksource.c,
 * procscan.c, ipcrm.c and touchrec.c.  It prints nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleantx.h"
#include "ipctune.h"
#include "ksource.h"
#include "statedir.h"
#include "touchrec.h"

#define MANIFEST "manifest.json"

/* Objects sealed together, so that one RCU grace period serves them. */
#define CLEANTX_BATCH 64

static const char *
errname(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "EUNKNOWN";
}

static void
failed(const struct cleantx *tx, struct cleantx_outcome *out, int e,
    const char *what, const struct orphan_item *it)
{
	const char *owner = tx->fx->user(tx->fx->ctx, orphan_item_uid(it));

	out->action = CLEANTX_FAILED;
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

void
cleantx_skip(struct cleantx_outcome *out, const char *code,
    const char *fmt, ...)
{
	va_list ap;

	out->action = CLEANTX_SKIPPED;
	out->code = code;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
}

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

/* The ctime of L, an object of TYPE. */
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
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	abort();
}

/* The identity and permissions of L, an object of TYPE. */
static struct obj_perm *
live_perm(enum ipc_type type, union ipc_obj *l)
{
	switch (type) {
	case IPC_SHM:
		return &l->shm.perm;
	case IPC_SEM:
		return &l->sem.perm;
	case IPC_MSG:
		return &l->msg.perm;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	abort();
}

/* Read IT's object by id into L; 0, or -1 with OUT filled. */
static int
stat_live(const struct cleantx *tx, const struct orphan_item *it,
    union ipc_obj *l, struct cleantx_outcome *out)
{
	if (tx->fx->stat(tx->fx->ctx, it->type, orphan_item_id(it), l) < 0) {
		if (errno == EINVAL || errno == EIDRM)
			cleantx_skip(out, "gone", "no longer exists");
		else
			failed(tx, out, errno, "cannot read it again", it);
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
restat(const struct cleantx *tx, const struct orphan_item *it,
    const struct seal *seal, union ipc_obj *l,
    struct orphan_item *fresh, struct cleantx_outcome *out)
{
	int64_t *ct;
	uint32_t *mode;

	if (stat_live(tx, it, l, out) < 0)
		return -1;
	/*
	 * An array's waiters are counted by the kernel (semncnt, semzcnt:
	 * the sem_waiting effect), a queue's only show in /proc: scan it
	 * for this queue alone.
	 */
	if (it->type == IPC_MSG && tx->fx->scan_waits(tx->fx->ctx, it->type,
	    orphan_item_id(it)) < 0) {
		cleantx_skip(out, "no_evidence", "cannot scan '/proc' for "
		    "processes waiting on it: %s", strerror(errno));
		return -1;
	}
	if (seal != NULL && seal->on) {
		ct = live_ctime(it->type, l);
		mode = &live_perm(it->type, l)->mode;
		if (*ct == seal->ctime)
			*ct = seal->pre_ctime;
		if ((*mode & 0777) == seal->mode)
			*mode = (*mode & ~0777u) | (seal->before.mode & 0777);
	}
	orphan_judge_one(it->type, l, tx->fx->now(tx->fx->ctx),
	    tx->min_age_s, tx->judge, fresh);
	return 0;
}

/* The reason codes of IT, comma-separated, into BUF. */
static const char *
reasons(const struct orphan_item *it, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int r = 0; r < ORS_COUNT; r++)
		if (it->reasons & (1u << r))
			o += (size_t)snprintf(buf + (o < len ? o : len),
			    o < len ? len - o : 0, "%s%s", o ? "," : "",
			    orphan_reason_table[r].code);
	return buf;
}

/* Is the object still the one judged, and still orphaned? */
static int
recheck(const struct cleantx *tx, const struct orphan_item *it,
    const struct seal *seal, union ipc_obj *l,
    struct cleantx_outcome *out)
{
	struct orphan_item fresh;
	enum orphan_change ch;
	char b[256];

	if (restat(tx, it, seal, l, &fresh, out) < 0)
		return -1;
	ch = orphan_compare(it, &fresh);
	if (ch != OC_SAME) {
		if (ch == OC_NOT_ORPHANED)
			cleantx_skip(out, orphan_change_table[ch].code,
			    "%s (%s)", orphan_change_table[ch].text,
			    reasons(&fresh, b, sizeof(b)));
		else
			cleantx_skip(out, orphan_change_table[ch].code, "%s",
			    orphan_change_table[ch].text);
	}
	orphan_item_release(&fresh);
	return ch == OC_SAME ? 0 : -1;
}

/* The owner, creator and permissions of L before the seal, into S. */
static int
seal_before(const struct cleantx *tx, const struct orphan_item *it,
    const union ipc_obj *l, struct seal *s, uid_t *uid, uid_t *cuid,
    struct cleantx_outcome *out)
{
	union ipc_obj c = *l;
	const struct obj_perm *p = live_perm(it->type, &c);
	uint64_t qbytes = 0;

	switch (it->type) {
	case IPC_SHM:
	case IPC_SEM:
		break;
	case IPC_MSG:
		/* IPC_SET sets msg_qbytes too: it must be put back as it was */
		if (!l->msg.has_qbytes) {
			failed(tx, out, ENOTSUP, "cannot read its msg_qbytes "
			    "(not removed)", it);
			return -1;
		}
		qbytes = l->msg.qbytes;
		break;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		abort();
	}
	*uid = p->uid;
	*cuid = p->cuid;
	s->before = (struct ipcrm_perm){ p->uid, p->gid, p->mode & 0777,
	    qbytes };
	s->pre_ctime = *live_ctime(it->type, &c);
	return 0;
}

/*
 * Take the permissions of IT's object away (IPC_SET), so that from now
 * on only processes with CAP_IPC_OWNER can attach or operate; L is the
 * object as just re-checked; BACKUP: the segment is to be read for its
 * backup.  0, or -1 with OUT filled.
 */
static int
seal_obj(const struct cleantx *tx, const struct orphan_item *it,
    const union ipc_obj *l, bool backup, struct seal *s,
    struct cleantx_outcome *out)
{
	const struct cleantx_effects *fx = tx->fx;
	uid_t me = fx->euid(fx->ctx), uid, cuid;
	struct ipcrm_perm p;
	union ipc_obj now;
	int e;

	memset(s, 0, sizeof(*s));
	if (seal_before(tx, it, l, s, &uid, &cuid, out) < 0)
		return -1;
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
	if (fx->set_perm(fx->ctx, it->type, orphan_item_id(it), &p) < 0) {
		if (errno == EINVAL || errno == EIDRM)
			cleantx_skip(out, "gone", "no longer exists");
		else
			failed(tx, out, errno, "cannot remove it", it);
		return -1;
	}
	s->on = true;
	if (stat_live(tx, it, &now, out) < 0) {
		e = errno;
		fx->set_perm(fx->ctx, it->type, orphan_item_id(it),
		    &s->before);
		s->on = false;
		errno = e;
		return -1;
	}
	s->ctime = *live_ctime(it->type, &now);
	return 0;
}

/* Put the permissions back as they were; 0, or -1 with OUT's detail. */
static int
unseal(const struct cleantx *tx, const struct orphan_item *it,
    struct seal *s, struct cleantx_outcome *out)
{
	size_t n;

	if (!s->on)
		return 0;
	if (tx->fx->set_perm(tx->fx->ctx, it->type, orphan_item_id(it),
	    &s->before) == 0) {
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
	if (out->action != CLEANTX_FAILED) {
		out->action = CLEANTX_FAILED;
		out->err = errno;
		out->code = errname(errno);
	}
	return -1;
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
shm_detach_own(pid_t me, const struct shm_obj *seen,
    const struct shm_obj *pre, const struct shm_obj *left)
{
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
record_touch(const struct cleantx *tx, const struct orphan_item *it,
    const struct shm_obj *left, struct cleantx_outcome *out)
{
	struct orphan_touch t;
	struct cleantx_outcome dummy;
	union ipc_obj l;
	char err[1024] = "";
	size_t n;

	memset(&dummy, 0, sizeof(dummy));
	if (stat_live(tx, it, &l, &dummy) < 0)
		return;
	if (it->type == IPC_SHM && !shm_only_own(it, left, &l.shm))
		return;
	memset(&t, 0, sizeof(t));
	t.type = it->type;
	t.id = orphan_item_id(it);
	t.key = orphan_item_key(it);
	t.at = tx->fx->now(tx->fx->ctx);
	t.left_ctime = *live_ctime(it->type, &l);
	switch (it->type) {
	case IPC_SHM:
		/* the judged copy holds the evidence before any own access */
		t.left_atime = l.shm.atime;
		t.left_dtime = l.shm.dtime;
		t.left_lpid = l.shm.lpid;
		t.ctime = it->obj.shm.ctime;
		t.atime = it->obj.shm.atime;
		t.dtime = it->obj.shm.dtime;
		t.lpid = it->obj.shm.lpid;
		break;
	case IPC_SEM:
		t.ctime = it->obj.sem.ctime;
		break;
	case IPC_MSG:
		t.ctime = it->obj.msg.ctime;
		break;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	if (tx->fx->touch(tx->fx->ctx, &t, err, sizeof(err)) == 0)
		return;
	n = strlen(out->detail);
	snprintf(out->detail + n, sizeof(out->detail) - n, "; ipctune's own "
	    "access could not be recorded (%s), so it counts as use", err);
}

/*
 * Is segment S (as read now) still attached by ipctune alone, with
 * nothing else changed since SEEN (our attach, or NULL)?
 */
static bool
only_ours(const struct cleantx *tx, const struct orphan_item *it,
    const struct seal *seal, const struct shm_obj *s,
    const struct shm_obj *seen)
{
	return s->perm.key == it->obj.shm.perm.key &&
	    s->cpid == it->obj.shm.cpid &&
	    s->ctime == seal->ctime && s->nattch == 1 &&
	    s->lpid == tx->fx->pid(tx->fx->ctx) &&
	    (seen == NULL || (s->atime == seen->atime &&
	    s->dtime == seen->dtime && s->perm.mode == seen->perm.mode));
}

/* Wait for calls in flight; say once if the kernel cannot. */
static void
sync_calls(struct cleantx *tx)
{
	char msg[512];

	if (tx->fx->sync(tx->fx->ctx) == 0 || tx->sync_warned)
		return;
	tx->sync_warned = true;
	snprintf(msg, sizeof(msg), "cannot wait for IPC calls in flight "
	    "(membarrier: %s); a call that just passed its permission check "
	    "may land after the last re-check", strerror(errno));
	tx->fx->warn(tx->fx->ctx, msg);
}

/* The state of one segment's backup, for backup_undo(). */
struct backup {
	struct seal seal;
	const void *addr;	/* ipctune's attach, or NULL */
	struct shm_obj seen;	/* right after it */
	bool have_seen;
	bool touched;		/* ipctune's access alone changed it */
};

/*
 * Save the attached segment IT as a backup file and add it to the
 * manifest; 0, or -1 with OUT filled.
 */
static int
backup_write(const struct cleantx *tx, const struct orphan_item *it,
    const struct backup *b, struct cleantx_outcome *out)
{
	const struct cleantx_effects *fx = tx->fx;
	const struct shm_obj *s = &it->obj.shm;

	snprintf(out->backup_file, sizeof(out->backup_file),
	    "shm-%d-0x%08" PRIx32 "-%" PRId64 ".bin", s->perm.id, s->perm.key,
	    s->ctime);
	if (fx->save(fx->ctx, out->backup_file, b->addr,
	    (size_t)s->size_bytes) < 0) {
		failed(tx, out, errno, "cannot write the backup (not "
		    "removed)", it);
		out->backup_file[0] = '\0';
		return -1;
	}
	if (fx->save_manifest(fx->ctx, s, out->backup_file) < 0) {
		failed(tx, out, errno, "cannot write the manifest (not "
		    "removed)", it);
		return -1;
	}
	return 0;
}

/*
 * Give segment IT back after a failed or refused backup: detach, put
 * the permissions back, and record ipctune's own access if nothing
 * else touched it meanwhile.
 */
static void
backup_undo(const struct cleantx *tx, const struct orphan_item *it,
    struct backup *b, struct cleantx_outcome *out)
{
	const struct cleantx_effects *fx = tx->fx;
	union ipc_obj pre, left;
	bool have_left = false;

	if (b->addr != NULL) {
		/* what ipctune's own detach left, and only it (sealed) */
		have_left = b->have_seen && fx->stat(fx->ctx, IPC_SHM,
		    it->obj.shm.perm.id, &pre) == 0;
		fx->detach(fx->ctx, b->addr);
		have_left = have_left && fx->stat(fx->ctx, IPC_SHM,
		    it->obj.shm.perm.id, &left) == 0 &&
		    shm_detach_own(fx->pid(fx->ctx), &b->seen, &pre.shm,
		    &left.shm);
		if (!have_left)
			b->touched = false;
	}
	unseal(tx, it, &b->seal, out);
	/* a use found meanwhile is real: only a failure is set aside */
	if (b->touched)
		record_touch(tx, it, have_left ? &left.shm : NULL, out);
}

/*
 * Save segment IT and remove it.  Its permissions are taken away
 * first, then it is re-checked and attached read-only (root has
 * CAP_IPC_OWNER, the owner kept its read bit); the attach keeps the
 * contents until our detach, and nattch must be exactly our one attach
 * after the backup, right before IPC_RMID.
 */
static void
backup_and_remove(struct cleantx *tx, const struct orphan_item *it,
    struct cleantx_outcome *out)
{
	const struct cleantx_effects *fx = tx->fx;
	int id = it->obj.shm.perm.id;
	struct backup b = { .touched = true };
	union ipc_obj l, now;

	memset(&now, 0, sizeof(now));
	if (recheck(tx, it, NULL, &l, out) < 0 ||
	    seal_obj(tx, it, &l, true, &b.seal, out) < 0)
		return;
	sync_calls(tx);
	if (recheck(tx, it, &b.seal, &l, out) < 0) {
		b.touched = false;
		goto undo;
	}
	b.addr = fx->attach(fx->ctx, id);
	if (b.addr == NULL) {
		failed(tx, out, errno, "cannot attach it for the backup (not "
		    "removed)", it);
		goto undo;
	}
	/* a detach since the re-check (root only) shows in dtime */
	b.have_seen = fx->stat(fx->ctx, IPC_SHM, id, &now) == 0;
	b.seen = now.shm;
	if (!b.have_seen || !only_ours(tx, it, &b.seal, &b.seen, NULL) ||
	    b.seen.dtime != l.shm.dtime) {
		cleantx_skip(out, "attached", "attached by another process "
		    "while being saved");
		b.touched = false;
		goto undo;
	}
	if (backup_write(tx, it, &b, out) < 0)
		goto undo;
	/* the backup took time: nattch again, right before IPC_RMID */
	if (fx->stat(fx->ctx, IPC_SHM, id, &now) < 0 ||
	    !only_ours(tx, it, &b.seal, &now.shm, &b.seen)) {
		cleantx_skip(out, "attached", "attached by another process "
		    "while being saved (the backup '%s' stays)",
		    out->backup_file);
		b.touched = false;
		goto undo;
	}
	if (fx->remove(fx->ctx, IPC_SHM, id) < 0) {
		failed(tx, out, errno, "cannot remove it", it);
		goto undo;
	}
	/* the last detach frees the segment (shm_may_destroy) */
	fx->detach(fx->ctx, b.addr);
	out->action = CLEANTX_REMOVED;
	snprintf(out->detail, sizeof(out->detail), "saved as '%s'",
	    out->backup_file);
	return;
undo:
	backup_undo(tx, it, &b, out);
}

/* Re-check IT and take its permissions away; 0 if sealed. */
static int
seal_one(const struct cleantx *tx, const struct orphan_item *it,
    struct seal *s, struct cleantx_outcome *out)
{
	union ipc_obj l;

	if (recheck(tx, it, NULL, &l, out) < 0)
		return -1;
	return seal_obj(tx, it, &l, false, s, out);
}

/* Re-check sealed IT once more, then IPC_RMID it, or give it back. */
static void
remove_sealed(const struct cleantx *tx, const struct orphan_item *it,
    struct seal *s, struct cleantx_outcome *out)
{
	union ipc_obj l;

	if (recheck(tx, it, s, &l, out) < 0) {
		unseal(tx, it, s, out);
		return;
	}
	if (tx->fx->remove(tx->fx->ctx, it->type, orphan_item_id(it)) < 0) {
		if (errno == EINVAL || errno == EIDRM) {
			cleantx_skip(out, "gone", "no longer exists");
			return;
		}
		failed(tx, out, errno, "cannot remove it", it);
		unseal(tx, it, s, out);
		record_touch(tx, it, NULL, out);
		return;
	}
	out->action = CLEANTX_REMOVED;
}

void
cleantx_run(struct cleantx *tx, const struct orphan_item *items, size_t n,
    const enum cleantx_prep *prep, struct cleantx_outcome *outs)
{
	const struct cleantx_effects *fx = tx->fx;
	struct seal seals[CLEANTX_BATCH];
	size_t batch[CLEANTX_BATCH], nb, i = 0;

	fx->span(fx->ctx, true);
	while (i < n) {
		/* no signal may leave an object without its permissions */
		fx->hold(fx->ctx, true);
		for (nb = 0; i < n && nb < CLEANTX_BATCH; i++) {
			if (prep[i] != CLEANTX_REMOVE)
				continue;
			if (seal_one(tx, &items[i], &seals[nb], &outs[i]) == 0)
				batch[nb++] = i;
		}
		if (nb > 0)
			sync_calls(tx);
		for (size_t k = 0; k < nb; k++)
			remove_sealed(tx, &items[batch[k]], &seals[k],
			    &outs[batch[k]]);
		fx->hold(fx->ctx, false);
	}
	for (i = 0; i < n; i++) {
		if (prep[i] != CLEANTX_BACKUP)
			continue;
		fx->hold(fx->ctx, true);
		backup_and_remove(tx, &items[i], &outs[i]);
		fx->hold(fx->ctx, false);
	}
	fx->span(fx->ctx, false);
}

/*
 * The real effects.  Signals a fault of the program itself raises:
 * blocking them would not stop them (force_sig_fault(), kernel/signal.c)
 * and would hide a bug.
 */
static const int sys_sync_signals[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS,
};

static int
sys_stat(void *ctx, enum ipc_type type, int id, union ipc_obj *l)
{
	const struct cleantx_sys *sys = ctx;

	switch (type) {
	case IPC_SHM:
		return ksource_stat_shm(id, sys->ipcmni_extend, &l->shm);
	case IPC_SEM:
		return ksource_stat_sem(id, sys->ipcmni_extend, &l->sem);
	case IPC_MSG:
		return ksource_stat_msg(id, sys->ipcmni_extend, &l->msg);
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	errno = EINVAL;
	return -1;
}

static int
sys_scan_waits(void *ctx, enum ipc_type type, int id)
{
	const struct cleantx_sys *sys = ctx;

	return procscan_scan_waits_for(sys->ps, type, id);
}

static int
sys_set_perm(void *ctx, enum ipc_type type, int id,
    const struct ipcrm_perm *p)
{
	(void)ctx;
	return ipcrm_set_perm(type, id, p);
}

static int
sys_sync(void *ctx)
{
	(void)ctx;
	return ipcrm_sync();
}

static const void *
sys_attach(void *ctx, int id)
{
	(void)ctx;
	return ipcrm_attach_ro(id);
}

static int
sys_detach(void *ctx, const void *addr)
{
	(void)ctx;
	return ipcrm_detach(addr);
}

static int
sys_remove(void *ctx, enum ipc_type type, int id)
{
	(void)ctx;
	return ipcrm_remove(type, id);
}

static int
sys_save(void *ctx, const char *name, const void *buf, size_t len)
{
	const struct cleantx_sys *sys = ctx;

	return ipcrm_write_atomic(sys->dirfd, name, buf, len);
}

int
cleantx_sys_manifest_add(struct cleantx_sys *sys, const char *list,
    json_t *entry)
{
	json_t *a = json_object_get(sys->manifest, list);
	char *text;
	int r;

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(sys->manifest, list, a);
	}
	json_array_append_new(a, entry);
	text = json_dumps(sys->manifest, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER);
	if (text == NULL) {
		errno = ENOMEM;
		r = -1;
	} else {
		r = ipcrm_write_atomic(sys->dirfd, MANIFEST, text,
		    strlen(text));
		free(text);
	}
	if (r < 0) {
		/* a later write must not name an object that stayed */
		int e = errno;

		json_array_remove(a, json_array_size(a) - 1);
		errno = e;
	}
	return r;
}

static int
sys_save_manifest(void *ctx, const struct shm_obj *s, const char *file)
{
	struct cleantx_sys *sys = ctx;

	return cleantx_sys_manifest_add(sys, "segments",
	    sys->manifest_entry(s, file, (int64_t)time(NULL)));
}

static int
sys_touch(void *ctx, const struct orphan_touch *t, char *err,
    size_t errlen)
{
	const struct cleantx_sys *sys = ctx;
	char path[4096];

	if (statedir_file(statedir_getenv, geteuid(), TOUCHREC_NAME, true,
	    path, sizeof(path), err, errlen) < 0)
		return -1;
	return touchrec_add(path, sys->ns_inode, t, err, errlen);
}

void
cleantx_sys_hold_signals(sigset_t *old, bool on)
{
	sigset_t block;

	if (!on) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigfillset(&block);
	for (size_t k = 0; k < sizeof(sys_sync_signals) /
	    sizeof(sys_sync_signals[0]); k++)
		sigdelset(&block, sys_sync_signals[k]);
	sigprocmask(SIG_BLOCK, &block, old);
}

/*
 * Every asynchronous signal is held during each change, so that none
 * leaves an object without its permissions.
 */
static void
sys_hold(void *ctx, bool on)
{
	struct cleantx_sys *sys = ctx;

	cleantx_sys_hold_signals(&sys->old, on);
}

void
cleantx_sys_ignore_xfsz(struct sigaction *old, bool on)
{
	struct sigaction ign;

	if (!on) {
		sigaction(SIGXFSZ, old, NULL);
		return;
	}
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGXFSZ, &ign, old);
}

/*
 * SIGXFSZ, which a backup beyond the file size limit raises
 * (generic_write_check_limits(), mm/filemap.c), is ignored during the
 * run, so that the write fails with EFBIG and the error path gives the
 * mode back.
 */
static void
sys_span(void *ctx, bool on)
{
	struct cleantx_sys *sys = ctx;

	cleantx_sys_ignore_xfsz(&sys->oldxfsz, on);
}

static int64_t
sys_now(void *ctx)
{
	(void)ctx;
	return (int64_t)time(NULL);
}

static pid_t
sys_pid(void *ctx)
{
	(void)ctx;
	return getpid();
}

static uid_t
sys_euid(void *ctx)
{
	(void)ctx;
	return geteuid();
}

static const char *
sys_user(void *ctx, uid_t uid)
{
	const struct cleantx_sys *sys = ctx;

	return sys->user_name(uid);
}

static void
sys_warn(void *ctx, const char *msg)
{
	const struct cleantx_sys *sys = ctx;

	if (sys->warn != NULL)
		sys->warn(sys->warn_ctx, msg);
}

void
cleantx_sys_init(struct cleantx_sys *sys)
{
	memset(sys, 0, sizeof(*sys));
	sys->dirfd = -1;
}

int
cleantx_sys_backup_open(struct cleantx_sys *sys, const char *dir,
    char *err, size_t errlen)
{
	json_error_t jerr;
	char *buf, why[128];
	size_t len;

	sys->backup_dir = dir;
	sys->dirfd = ipcrm_backup_open(dir, err, errlen);
	if (sys->dirfd < 0)
		return -1;
	if (ipcrm_read_small(sys->dirfd, MANIFEST, &buf, &len, why,
	    sizeof(why)) < 0) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "cannot read '%s/%s': %s", dir,
			    MANIFEST, why);
			return -1;
		}
		sys->manifest = json_object();
		json_object_set_new(sys->manifest, "schema_version",
		    json_integer(IPCTUNE_SCHEMA_VERSION));
		json_object_set_new(sys->manifest, "document",
		    json_string("clean_backup"));
		json_object_set_new(sys->manifest, "segments", json_array());
		json_object_set_new(sys->manifest, "posix_objects",
		    json_array());
		return 0;
	}
	sys->manifest = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (sys->manifest == NULL || !json_is_array(json_object_get(
	    sys->manifest, "segments")) || (json_object_get(sys->manifest,
	    "posix_objects") != NULL && !json_is_array(json_object_get(
	    sys->manifest, "posix_objects")))) {
		snprintf(err, errlen, "'%s/%s' is not a backup manifest; "
		    "refusing to overwrite it (use another --backup-dir)", dir,
		    MANIFEST);
		json_decref(sys->manifest);
		sys->manifest = NULL;
		return -1;
	}
	return 0;
}

void
cleantx_sys_release(struct cleantx_sys *sys)
{
	if (sys->manifest != NULL)
		json_decref(sys->manifest);
	sys->manifest = NULL;
	if (sys->dirfd >= 0)
		close(sys->dirfd);
	sys->dirfd = -1;
}

void
cleantx_sys_effects(struct cleantx_sys *sys, struct cleantx_effects *fx)
{
	*fx = (struct cleantx_effects){
		.ctx = sys, .stat = sys_stat, .scan_waits = sys_scan_waits,
		.set_perm = sys_set_perm, .sync = sys_sync,
		.attach = sys_attach, .detach = sys_detach,
		.remove = sys_remove, .save = sys_save,
		.save_manifest = sys_save_manifest, .touch = sys_touch,
		.hold = sys_hold, .span = sys_span, .now = sys_now,
		.pid = sys_pid, .euid = sys_euid, .user = sys_user,
		.warn = sys_warn,
	};
}
