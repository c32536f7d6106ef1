/*
 * check_cleantx.c: the clean transaction against a fake kernel: removal
 * only after the seal, the wait for calls in flight and a re-check show
 * no use; a use in between aborts that object and gives its permissions
 * back; a failed backup leaves the object; ipctune's own access is
 * recorded only when nothing else touched the object.
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleantx.h"

#define NOW 1000000
#define HOUR 3600
#define ME 4242		/* ipctune's PID in the fake */
#define OTHER 777	/* another process */

struct fobj {
	enum ipc_type type;
	int id;
	bool exists;
	union ipc_obj l;
};

struct fk {
	struct fobj o[4];
	size_t n;
	char log[4096];		/* "stat shm 1;set shm 1 0000;..." */
	int64_t now;
	uid_t euid;
	int fail_set_errno;	/* the N-th set_perm (fail_set_at) fails */
	int fail_set_at;
	int nset;
	int fail_save_errno;
	int fail_manifest_errno;
	int fail_remove_errno;
	int fail_sync;
	int fail_stat_sealed;	/* errno of the re-read right after a seal */
	int nmanifest;
	int ntouch;
	struct orphan_touch touch;
	int held;		/* hold depth */
	bool span;
	bool removed_unheld;	/* an IPC_RMID outside held signals */
	int nwarn;
	/* a race: called after each effect EV on object ID */
	void (*race)(struct fk *k, const char *ev, int id);
	char seg[64];		/* the contents of every segment */
};

static struct fk K;

static void
logf_(const char *fmt, ...)
{
	size_t n = strlen(K.log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(K.log + n, sizeof(K.log) - n, fmt, ap);
	va_end(ap);
	strncat(K.log, ";", sizeof(K.log) - strlen(K.log) - 1);
}

static struct fobj *
find(enum ipc_type type, int id)
{
	for (size_t i = 0; i < K.n; i++)
		if (K.o[i].type == type && K.o[i].id == id && K.o[i].exists)
			return &K.o[i];
	return NULL;
}

static void
race(const char *ev, int id)
{
	if (K.race != NULL)
		K.race(&K, ev, id);
}

static const char *const tn[] = { "shm", "sem", "msg" };

static int
f_stat(void *ctx, enum ipc_type type, int id, union ipc_obj *l)
{
	struct fobj *o = find(type, id);

	(void)ctx;
	logf_("stat %s %d", tn[type], id);
	if (K.fail_stat_sealed != 0 && K.nset == 1) {
		errno = K.fail_stat_sealed;
		K.fail_stat_sealed = 0;
		return -1;
	}
	if (o == NULL) {
		errno = EINVAL;
		return -1;
	}
	*l = o->l;
	return 0;
}

static int
f_scan_waits(void *ctx, enum ipc_type type, int id)
{
	(void)ctx;
	logf_("waits %s %d", tn[type], id);
	return 0;
}

static uint32_t *
mode_of(struct fobj *o)
{
	return o->type == IPC_SHM ? &o->l.shm.perm.mode : o->type == IPC_SEM ?
	    &o->l.sem.perm.mode : &o->l.msg.perm.mode;
}

static int64_t *
ctime_of(struct fobj *o)
{
	return o->type == IPC_SHM ? &o->l.shm.ctime : o->type == IPC_SEM ?
	    &o->l.sem.ctime : &o->l.msg.ctime;
}

static int
f_set_perm(void *ctx, enum ipc_type type, int id,
    const struct ipcrm_perm *p)
{
	struct fobj *o = find(type, id);

	(void)ctx;
	K.nset++;
	logf_("set %s %d %04o", tn[type], id, (unsigned)p->mode);
	if (K.fail_set_errno != 0 && K.nset == K.fail_set_at) {
		errno = K.fail_set_errno;
		return -1;
	}
	if (o == NULL) {
		errno = EIDRM;
		return -1;
	}
	/* IPC_SET stamps ctime (ipc/util.c ipc_update_perm callers) */
	*mode_of(o) = (*mode_of(o) & ~0777u) | (p->mode & 0777);
	*ctime_of(o) = ++K.now;
	return 0;
}

static int
f_sync(void *ctx)
{
	(void)ctx;
	logf_("sync");
	race("sync", 0);
	if (K.fail_sync) {
		errno = ENOSYS;
		return -1;
	}
	return 0;
}

static const void *
f_attach(void *ctx, int id)
{
	struct fobj *o = find(IPC_SHM, id);

	(void)ctx;
	logf_("attach %d", id);
	if (o == NULL) {
		errno = EINVAL;
		return NULL;
	}
	o->l.shm.nattch++;
	o->l.shm.lpid = ME;
	o->l.shm.atime = ++K.now;
	race("attach", id);
	return K.seg;
}

static int
f_detach(void *ctx, const void *addr)
{
	(void)ctx;
	(void)addr;
	logf_("detach");
	for (size_t i = 0; i < K.n; i++)
		if (K.o[i].type == IPC_SHM && K.o[i].l.shm.nattch > 0 &&
		    K.o[i].l.shm.lpid == ME) {
			K.o[i].l.shm.nattch--;
			K.o[i].l.shm.dtime = ++K.now;
		}
	return 0;
}

/* Another process attaches and detaches segment ID. */
static void
touch_by_other(int id)
{
	struct fobj *o = find(IPC_SHM, id);

	o->l.shm.lpid = OTHER;
	o->l.shm.atime = ++K.now;
	o->l.shm.dtime = ++K.now;
}

static int
f_remove(void *ctx, enum ipc_type type, int id)
{
	struct fobj *o = find(type, id);

	(void)ctx;
	logf_("rmid %s %d", tn[type], id);
	if (K.held == 0)
		K.removed_unheld = true;
	if (K.fail_remove_errno != 0) {
		errno = K.fail_remove_errno;
		return -1;
	}
	if (o == NULL) {
		errno = EIDRM;
		return -1;
	}
	o->exists = false;
	return 0;
}

static int
f_save(void *ctx, const char *name, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	logf_("save %s", name);
	if (K.fail_save_errno != 0) {
		errno = K.fail_save_errno;
		return -1;
	}
	return 0;
}

static int
f_save_manifest(void *ctx, const struct shm_obj *s, const char *file)
{
	(void)ctx;
	(void)file;
	logf_("manifest %d", s->perm.id);
	if (K.fail_manifest_errno != 0) {
		errno = K.fail_manifest_errno;
		return -1;
	}
	K.nmanifest++;
	race("manifest", s->perm.id);
	return 0;
}

static int
f_touch(void *ctx, const struct orphan_touch *t, char *err, size_t errlen)
{
	(void)ctx;
	(void)err;
	(void)errlen;
	logf_("touch %s %d", tn[t->type], t->id);
	K.ntouch++;
	K.touch = *t;
	return 0;
}

static void
f_hold(void *ctx, bool on)
{
	(void)ctx;
	K.held += on ? 1 : -1;
}

static void
f_span(void *ctx, bool on)
{
	(void)ctx;
	K.span = on;
}

static int64_t
f_now(void *ctx)
{
	(void)ctx;
	return K.now;
}

static pid_t
f_pid(void *ctx)
{
	(void)ctx;
	return ME;
}

static uid_t
f_euid(void *ctx)
{
	(void)ctx;
	return K.euid;
}

static const char *
f_user(void *ctx, uid_t uid)
{
	(void)ctx;
	return uid == 1000 ? "alice" : "root";
}

static void
f_warn(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
	K.nwarn++;
}

static const struct cleantx_effects FX = {
	.stat = f_stat, .scan_waits = f_scan_waits, .set_perm = f_set_perm,
	.sync = f_sync, .attach = f_attach, .detach = f_detach,
	.remove = f_remove, .save = f_save, .save_manifest = f_save_manifest,
	.touch = f_touch, .hold = f_hold, .span = f_span, .now = f_now,
	.pid = f_pid, .euid = f_euid, .user = f_user, .warn = f_warn,
};

/* The judge's effects: every recorded process is gone. */
static int
j_proc(void *ctx, pid_t pid, struct orphan_proc *p)
{
	(void)ctx;
	(void)pid;
	(void)p;
	return ORPHAN_PROC_GONE;
}

static int
j_sem_pids(void *ctx, int semid, size_t nsems, pid_t *pids)
{
	(void)ctx;
	(void)semid;
	memset(pids, 0, nsems * sizeof(*pids));
	return 0;
}

static const struct orphan_effects JFX = {
	.proc = j_proc, .sem_pids = j_sem_pids,
};

static void
setup(void)
{
	memset(&K, 0, sizeof(K));
	K.now = NOW;
}

static struct fobj *
add_shm(int id)
{
	struct fobj *o = &K.o[K.n++];

	o->type = IPC_SHM;
	o->id = id;
	o->exists = true;
	o->l.shm.perm.id = id;
	o->l.shm.perm.key = 0x1000u + (uint32_t)id;
	o->l.shm.perm.mode = 0640;
	o->l.shm.perm.uid = o->l.shm.perm.cuid = 1000;
	o->l.shm.size_bytes = sizeof(K.seg);
	o->l.shm.cpid = 100;
	o->l.shm.lpid = 101;
	o->l.shm.ctime = NOW - 2 * HOUR;
	o->l.shm.atime = NOW - 2 * HOUR + 1;
	o->l.shm.dtime = NOW - 2 * HOUR + 2;
	return o;
}

static struct fobj *
add_msg(int id)
{
	struct fobj *o = &K.o[K.n++];

	o->type = IPC_MSG;
	o->id = id;
	o->exists = true;
	o->l.msg.perm.id = id;
	o->l.msg.perm.key = 0x3000u + (uint32_t)id;
	o->l.msg.perm.mode = 0600;
	o->l.msg.perm.uid = o->l.msg.perm.cuid = 1000;
	o->l.msg.has_qbytes = true;
	o->l.msg.qbytes = 16384;
	o->l.msg.lspid = 200;
	o->l.msg.lrpid = 201;
	o->l.msg.ctime = NOW - 3 * HOUR;
	o->l.msg.stime = o->l.msg.rtime = NOW - 2 * HOUR;
	return o;
}

/* Judge object O as 'orphans' did: it must be orphaned. */
static void
judge(const struct fobj *o, struct orphan_item *it)
{
	orphan_judge_one(o->type, &o->l, K.now, HOUR, &JFX, it);
	ck_assert_int_eq(it->verdict, OV_ORPHANED);
}

/* Run the transaction over the N objects of the fake with PREP. */
static void
run(size_t n, enum cleantx_prep prep, struct cleantx_outcome *outs)
{
	struct orphan_item items[4];
	enum cleantx_prep p[4];
	struct cleantx tx = { .fx = &FX, .judge = &JFX, .min_age_s = HOUR };

	for (size_t i = 0; i < n; i++) {
		judge(&K.o[i], &items[i]);
		p[i] = prep;
	}
	memset(outs, 0, n * sizeof(*outs));
	cleantx_run(&tx, items, n, p, outs);
	for (size_t i = 0; i < n; i++)
		orphan_item_release(&items[i]);
	ck_assert_int_eq(K.held, 0);
	ck_assert(!K.span);
}

/* Is A logged before B (both logged)? */
static bool
before(const char *a, const char *b)
{
	const char *pa = strstr(K.log, a), *pb = strstr(K.log, b);

	return pa != NULL && pb != NULL && pa < pb;
}

START_TEST(queue_removed_after_seal_sync_recheck)
{
	struct cleantx_outcome out;

	add_msg(5);
	run(1, CLEANTX_REMOVE, &out);
	ck_assert_int_eq(out.action, CLEANTX_REMOVED);
	ck_assert(!K.o[0].exists);
	/* root, not the owner: mode 0, then the wait, then the re-check */
	ck_assert_str_eq(K.log, "stat msg 5;waits msg 5;set msg 5 0000;"
	    "stat msg 5;sync;stat msg 5;waits msg 5;rmid msg 5;");
	ck_assert(!K.removed_unheld);
	ck_assert_int_eq(K.ntouch, 0);
}
END_TEST

START_TEST(owner_keeps_read_bit_only_for_backup)
{
	struct cleantx_outcome out;

	K.euid = 1000;
	add_shm(1);
	run(1, CLEANTX_BACKUP, &out);
	ck_assert_int_eq(out.action, CLEANTX_REMOVED);
	ck_assert(strstr(K.log, "set shm 1 0400;") != NULL);
	setup();
	K.euid = 1000;
	add_shm(2);
	run(1, CLEANTX_REMOVE, &out);
	ck_assert(strstr(K.log, "set shm 2 0000;") != NULL);
}
END_TEST

/* Another process (root, CAP_IPC_OWNER) attaches after the seal. */
static void
attach_after_sync(struct fk *k, const char *ev, int id)
{
	(void)id;
	if (strcmp(ev, "sync") == 0) {
		k->o[0].l.shm.nattch = 1;
		k->o[0].l.shm.lpid = OTHER;
		k->o[0].l.shm.atime = ++k->now;
	}
}

START_TEST(attach_after_seal_aborts)
{
	struct cleantx_outcome out;

	add_shm(3);
	K.race = attach_after_sync;
	run(1, CLEANTX_REMOVE, &out);
	ck_assert_int_eq(out.action, CLEANTX_SKIPPED);
	ck_assert_str_eq(out.code, "attached");
	ck_assert(K.o[0].exists);
	ck_assert(strstr(K.log, "rmid") == NULL);
	/* the permissions are back, and a real use is no own access */
	ck_assert_uint_eq(K.o[0].l.shm.perm.mode & 0777, 0640);
	ck_assert(before("sync", "set shm 3 0640"));
	ck_assert_int_eq(K.ntouch, 0);
}
END_TEST

/* Another process attaches once the backup is written. */
static void
attach_after_manifest(struct fk *k, const char *ev, int id)
{
	(void)id;
	if (strcmp(ev, "manifest") == 0) {
		k->o[0].l.shm.nattch++;
		k->o[0].l.shm.lpid = OTHER;
		k->o[0].l.shm.atime = ++k->now;
	}
}

START_TEST(attach_between_backup_and_removal_aborts)
{
	struct cleantx_outcome out;

	add_shm(4);
	K.race = attach_after_manifest;
	run(1, CLEANTX_BACKUP, &out);
	ck_assert_int_eq(out.action, CLEANTX_SKIPPED);
	ck_assert_str_eq(out.code, "attached");
	ck_assert(strstr(out.detail, "the backup 'shm-4-0x00001004-") !=
	    NULL);
	ck_assert(K.o[0].exists);
	ck_assert(strstr(K.log, "rmid") == NULL);
	ck_assert_uint_eq(K.o[0].l.shm.perm.mode & 0777, 0640);
	ck_assert_int_eq(K.ntouch, 0);
}
END_TEST

START_TEST(failed_backup_leaves_object)
{
	struct cleantx_outcome out;

	add_shm(5);
	K.fail_save_errno = ENOSPC;
	run(1, CLEANTX_BACKUP, &out);
	ck_assert_int_eq(out.action, CLEANTX_FAILED);
	ck_assert_str_eq(out.code, "ENOSPC");
	ck_assert_str_eq(out.backup_file, "");
	ck_assert(strstr(out.detail, "cannot write the backup (not removed)")
	    != NULL);
	ck_assert(K.o[0].exists);
	ck_assert(strstr(K.log, "rmid") == NULL);
	ck_assert(strstr(K.log, "manifest") == NULL);
	ck_assert_uint_eq(K.o[0].l.shm.perm.mode & 0777, 0640);
	ck_assert_uint_eq(K.o[0].l.shm.nattch, 0);
	/* only ipctune attached: its access is recorded, set aside later */
	ck_assert_int_eq(K.ntouch, 1);
	ck_assert_int_eq(K.touch.lpid, 101);
	ck_assert_int_eq(K.touch.left_lpid, ME);
}
END_TEST

START_TEST(failed_manifest_leaves_object)
{
	struct cleantx_outcome out;

	add_shm(6);
	K.fail_manifest_errno = EIO;
	run(1, CLEANTX_BACKUP, &out);
	ck_assert_int_eq(out.action, CLEANTX_FAILED);
	ck_assert_str_eq(out.code, "EIO");
	ck_assert(K.o[0].exists);
	ck_assert(strstr(K.log, "rmid") == NULL);
	ck_assert_uint_eq(K.o[0].l.shm.perm.mode & 0777, 0640);
}
END_TEST

/* Another process attaches and detaches while the backup is written. */
static void
touch_while_attached(struct fk *k, const char *ev, int id)
{
	(void)k;
	if (strcmp(ev, "attach") == 0)
		touch_by_other(id);
}

START_TEST(use_during_failed_backup_is_not_own)
{
	struct cleantx_outcome out;

	add_shm(7);
	K.fail_save_errno = ENOSPC;
	K.race = touch_while_attached;
	run(1, CLEANTX_BACKUP, &out);
	ck_assert(out.action == CLEANTX_SKIPPED ||
	    out.action == CLEANTX_FAILED);
	ck_assert(K.o[0].exists);
	ck_assert_int_eq(K.ntouch, 0);
}
END_TEST

START_TEST(backup_then_removal)
{
	struct cleantx_outcome out;

	add_shm(8);
	run(1, CLEANTX_BACKUP, &out);
	ck_assert_int_eq(out.action, CLEANTX_REMOVED);
	ck_assert_int_eq(K.nmanifest, 1);
	ck_assert(strncmp(out.detail, "saved as 'shm-8-0x00001008-", 27) ==
	    0);
	ck_assert(!K.o[0].exists);
	/* sealed and re-checked before the attach; IPC_RMID, then detach */
	ck_assert(before("sync", "attach 8"));
	ck_assert(before("manifest 8", "rmid shm 8"));
	ck_assert(before("rmid shm 8", "detach"));
	ck_assert(!K.removed_unheld);
}
END_TEST

START_TEST(failed_removal_gives_back_and_records)
{
	struct cleantx_outcome out;

	add_msg(9);
	K.fail_remove_errno = EPERM;
	run(1, CLEANTX_REMOVE, &out);
	ck_assert_int_eq(out.action, CLEANTX_FAILED);
	ck_assert_str_eq(out.code, "EPERM");
	ck_assert(strstr(out.detail, "only the owner ('alice')") != NULL);
	ck_assert_uint_eq(K.o[0].l.msg.perm.mode & 0777, 0600);
	ck_assert_int_eq(K.ntouch, 1);
}
END_TEST

START_TEST(changed_before_seal_untouched)
{
	struct cleantx_outcome out;
	struct orphan_item it;
	enum cleantx_prep p = CLEANTX_REMOVE;
	struct cleantx tx = { .fx = &FX, .judge = &JFX, .min_age_s = HOUR };

	add_msg(10);
	judge(&K.o[0], &it);
	/* a message arrives between the judgement and the removal */
	K.o[0].l.msg.qnum = 1;
	K.o[0].l.msg.stime = K.now;
	memset(&out, 0, sizeof(out));
	cleantx_run(&tx, &it, 1, &p, &out);
	orphan_item_release(&it);
	ck_assert_int_eq(out.action, CLEANTX_SKIPPED);
	ck_assert_int_eq(K.nset, 0);
	ck_assert(K.o[0].exists);
}
END_TEST

START_TEST(gone_is_skipped)
{
	struct cleantx_outcome out;
	struct orphan_item it;
	enum cleantx_prep p = CLEANTX_REMOVE;
	struct cleantx tx = { .fx = &FX, .judge = &JFX, .min_age_s = HOUR };

	add_msg(11);
	judge(&K.o[0], &it);
	K.o[0].exists = false;
	memset(&out, 0, sizeof(out));
	cleantx_run(&tx, &it, 1, &p, &out);
	orphan_item_release(&it);
	ck_assert_int_eq(out.action, CLEANTX_SKIPPED);
	ck_assert_str_eq(out.code, "gone");
}
END_TEST

START_TEST(sync_failure_warned_once)
{
	struct cleantx_outcome outs[2];

	add_msg(12);
	add_msg(13);
	K.fail_sync = 1;
	run(2, CLEANTX_REMOVE, outs);
	ck_assert_int_eq(K.nwarn, 1);
	/* one wait serves the batch */
	ck_assert(strstr(strstr(K.log, "sync") + 1, "sync") == NULL);
	ck_assert_int_eq(outs[0].action, CLEANTX_REMOVED);
	ck_assert_int_eq(outs[1].action, CLEANTX_REMOVED);
}
END_TEST

START_TEST(unseal_failure_reported)
{
	struct cleantx_outcome out;

	add_shm(14);
	K.race = attach_after_sync;
	/* the seal is set 1, the give-back 2 */
	K.fail_set_errno = EPERM;
	K.fail_set_at = 2;
	run(1, CLEANTX_REMOVE, &out);
	ck_assert_int_eq(out.action, CLEANTX_FAILED);
	ck_assert(strstr(out.detail, "its permissions could not be restored "
	    "(uid 1000, gid 0, mode 0640)") != NULL);
}
END_TEST

START_TEST(dry_preps_untouched)
{
	struct cleantx_outcome out;

	add_msg(15);
	run(1, CLEANTX_DONE, &out);
	ck_assert_str_eq(K.log, "");
}
END_TEST

/*
 * 14.R2: IPC_SET sets msg_qbytes as well (msgctl_down(), ipc/msg.c), so
 * a queue whose msg_qbytes could not be read is neither sealed nor
 * removed: the seal could not be given back as it was.
 */
START_TEST(r14_2_queue_without_qbytes_never_sealed)
{
	struct cleantx_outcome out;

	add_msg(16)->l.msg.has_qbytes = false;
	K.o[0].l.msg.qbytes = 0;
	run(1, CLEANTX_REMOVE, &out);
	ck_assert_int_eq(out.action, CLEANTX_FAILED);
	/* ENOTSUP is EOPNOTSUPP on Linux: strerrorname_np() says the latter */
	ck_assert_str_eq(out.code, "EOPNOTSUPP");
	ck_assert(strstr(out.detail, "cannot read its msg_qbytes (not "
	    "removed)") != NULL);
	ck_assert(strstr(K.log, "set ") == NULL);
	ck_assert(strstr(K.log, "rmid") == NULL);
	ck_assert(K.o[0].exists);
}
END_TEST

/*
 * 14.R3: when the object cannot be read right after its seal (for a
 * reason other than being gone), the permissions go back at once and
 * nothing is removed.
 */
START_TEST(r14_3_unreadable_after_seal_gives_back)
{
	struct cleantx_outcome out;

	add_msg(17);
	K.fail_stat_sealed = EACCES;
	run(1, CLEANTX_REMOVE, &out);
	ck_assert_int_eq(out.action, CLEANTX_FAILED);
	ck_assert_str_eq(out.code, "EACCES");
	ck_assert(strstr(out.detail, "cannot read it again") != NULL);
	ck_assert_str_eq(K.log, "stat msg 17;waits msg 17;set msg 17 0000;"
	    "stat msg 17;set msg 17 0600;");
	ck_assert_uint_eq(K.o[0].l.msg.perm.mode & 0777, 0600);
	ck_assert(K.o[0].exists);
	ck_assert_int_eq(K.ntouch, 0);
}
END_TEST

static Suite *
cleantx_suite(void)
{
	Suite *s = suite_create("cleantx");
	TCase *tc = tcase_create("transaction");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, queue_removed_after_seal_sync_recheck);
	tcase_add_test(tc, owner_keeps_read_bit_only_for_backup);
	tcase_add_test(tc, attach_after_seal_aborts);
	tcase_add_test(tc, attach_between_backup_and_removal_aborts);
	tcase_add_test(tc, failed_backup_leaves_object);
	tcase_add_test(tc, failed_manifest_leaves_object);
	tcase_add_test(tc, use_during_failed_backup_is_not_own);
	tcase_add_test(tc, backup_then_removal);
	tcase_add_test(tc, failed_removal_gives_back_and_records);
	tcase_add_test(tc, changed_before_seal_untouched);
	tcase_add_test(tc, gone_is_skipped);
	tcase_add_test(tc, sync_failure_warned_once);
	tcase_add_test(tc, unseal_failure_reported);
	tcase_add_test(tc, dry_preps_untouched);
	tcase_add_test(tc, r14_2_queue_without_qbytes_never_sealed);
	tcase_add_test(tc, r14_3_unreadable_after_seal_gives_back);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cleantx_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
