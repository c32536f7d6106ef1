/*
 * check_applytx.c: unit tests of the apply and rollback transaction with
 * fake effects: /proc/sys as an array, files as a small table, a fixed
 * clock.  A write failing midway is undone newest first, an undo that
 * fails is reported, a failed apply leaves nothing half-written, and
 * rollback restores the recorded values behind apply's guards.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applytx.h"
#include "dropin.h"
#include "sha256.h"
#include "xmalloc.h"

#define STATEDIR "/state"
#define STATEFILE "/state/last-apply.json"
#define DROPIN "/etc/sysctl.d/zz-ipctune.conf"

/* ---- the fake system ---- */

static uint64_t kval[SC_COUNT][SEM_NFIELDS];
static int nwrites;
static bool fail_write[32];	/* by write number, from 1 */
static enum sysctl_id wlog[32];

struct ffile {
	char path[256];
	char *text;
};
static struct ffile files[8];
static char fail_file[256];	/* file_write and file_remove fail here */
static bool fail_after_write;	/* ... after the file is in place */
static bool fail_once;		/* ... and then no more */
static struct state_record recorded;	/* what state_load finds */
static int access_errno;	/* access() of the drop-in's directory */
static bool fail_state_save;
static bool clamp_msgmax;	/* the kernel keeps 12345 for msgmax */
static int nretired;

static int
fake_sysctl_read(enum sysctl_id id, uint64_t *v, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	memcpy(v, kval[id], sizeof(kval[id]));
	return 0;
}

static int
fake_sysctl_write(enum sysctl_id id, const char *text)
{
	const char *p = text;
	int n = ++nwrites;

	wlog[n] = id;
	if (n < 32 && fail_write[n]) {
		errno = EIO;
		return -1;
	}
	for (int k = 0; k < SEM_NFIELDS && *p != '\0'; k++) {
		char *end;

		kval[id][k] = (uint64_t)strtoll(p, &end, 10);
		p = end;
	}
	if (clamp_msgmax && id == SC_MSGMAX && kval[id][0] != 8192)
		kval[id][0] = 12345;
	return 0;
}

static struct ffile *
ffind(const char *path)
{
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i].text != NULL && strcmp(files[i].path, path) == 0)
			return &files[i];
	return NULL;
}

static void
fset(const char *path, const char *text)
{
	struct ffile *f = ffind(path);

	for (size_t i = 0; f == NULL && i < sizeof(files) / sizeof(files[0]);
	    i++)
		if (files[i].text == NULL)
			f = &files[i];
	ck_assert_ptr_nonnull(f);
	free(f->text);
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->text = xstrdup(text);
}

static const char *
fget(const char *path)
{
	struct ffile *f = ffind(path);

	return f ? f->text : NULL;
}

static int
fake_file_read(const char *path, char **text, char *err, size_t errlen)
{
	const char *t = fget(path);

	(void)err;
	(void)errlen;
	*text = t ? xstrdup(t) : NULL;
	return 0;
}

static int
fake_file_write(const char *path, const char *text, unsigned mode,
    char *err, size_t errlen)
{
	(void)mode;
	if (strcmp(path, fail_file) == 0) {
		if (fail_after_write)
			fset(path, text);
		if (fail_once)
			fail_file[0] = '\0';
		snprintf(err, errlen, "cannot write '%s': Input/output error",
		    path);
		errno = EIO;
		return -1;
	}
	fset(path, text);
	return 0;
}

static int
fake_file_remove(const char *path, char *err, size_t errlen)
{
	struct ffile *f = ffind(path);

	if (strcmp(path, fail_file) == 0) {
		snprintf(err, errlen, "cannot remove '%s': Input/output error",
		    path);
		errno = EIO;
		return -1;
	}
	if (f != NULL) {
		free(f->text);
		f->text = NULL;
	}
	return 0;
}

static int
fake_clean_stale(const char *path, int *nremoved, char *err, size_t errlen)
{
	*nremoved = 2;
	snprintf(err, errlen, "cannot remove '%s.tmp.9': Input/output error",
	    path);
	return -1;
}

static int
fake_access(const char *path, int mode)
{
	(void)path;
	(void)mode;
	if (access_errno != 0) {
		errno = access_errno;
		return -1;
	}
	return 0;
}

static int
fake_lock(const char *dir, int *fdp, char *err, size_t errlen)
{
	(void)dir;
	(void)err;
	(void)errlen;
	*fdp = 42;
	return 0;
}

static void
fake_unlock(int fd)
{
	(void)fd;
}

static int
fake_state_save(const char *dir, const struct state_record *r, char *err,
    size_t errlen)
{
	char text[128];

	(void)dir;
	if (fail_state_save) {
		snprintf(err, errlen, "cannot write '%s': No space left on "
		    "device", STATEFILE);
		errno = ENOSPC;
		return -1;
	}
	snprintf(text, sizeof(text), "record of %" PRId64 ", %zu values",
	    r->applied_at, r->nruntime);
	fset(STATEFILE, text);
	return 0;
}

static int
fake_state_load(const char *dir, struct state_record *r, bool *found,
    char *err, size_t errlen)
{
	(void)dir;
	(void)err;
	(void)errlen;
	*found = fget(STATEFILE) != NULL;
	if (!*found)
		return 0;
	*r = recorded;
	r->dropin_path = recorded.dropin_path ?
	    xstrdup(recorded.dropin_path) : NULL;
	r->dropin_old = recorded.dropin_old ? xstrdup(recorded.dropin_old) :
	    NULL;
	r->dropin_new = recorded.dropin_new ? xstrdup(recorded.dropin_new) :
	    NULL;
	return 0;
}

static int
fake_state_retire(const char *dir, char *err, size_t errlen)
{
	(void)dir;
	nretired++;
	return fake_file_remove(STATEFILE, err, errlen);
}

static int
fake_current_ns(uint64_t *inode, int *host)
{
	*inode = 7;
	*host = 1;
	return 0;
}

static int64_t
fake_now(void)
{
	return 1700000000;
}

static const struct applytx_effects fake = {
	.sysctl_read = fake_sysctl_read,
	.sysctl_write = fake_sysctl_write,
	.file_read = fake_file_read,
	.file_write = fake_file_write,
	.file_remove = fake_file_remove,
	.clean_stale = fake_clean_stale,
	.access = fake_access,
	.lock = fake_lock,
	.unlock = fake_unlock,
	.state_save = fake_state_save,
	.state_load = fake_state_load,
	.state_retire = fake_state_retire,
	.current_ns = fake_current_ns,
	.now = fake_now,
};

static void
setup(void)
{
	memset(kval, 0, sizeof(kval));
	kval[SC_SHMMNI][0] = 4096;
	kval[SC_MSGMAX][0] = 8192;
	kval[SC_MSGMNB][0] = 16384;
	kval[SC_MSGMNI][0] = 16;
	nwrites = 0;
	nretired = 0;
	memset(fail_write, 0, sizeof(fail_write));
	memset(wlog, 0, sizeof(wlog));
	fail_file[0] = '\0';
	fail_after_write = false;
	fail_once = false;
	state_record_init(&recorded);
	access_errno = 0;
	fail_state_save = false;
	clamp_msgmax = false;
}

static void
teardown(void)
{
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		free(files[i].text);
		files[i].text = NULL;
	}
}

static void
change(struct ksysctl_change *c, enum sysctl_id id, uint64_t old,
    uint64_t new)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->old_value[0] = old;
	c->new_value[0] = new;
}

/* Three raises: shmmni, msgmax, msgmnb. */
static size_t
three_changes(struct ksysctl_change *c)
{
	change(&c[0], SC_SHMMNI, 4096, 5000);
	change(&c[1], SC_MSGMAX, 8192, 65536);
	change(&c[2], SC_MSGMNB, 16384, 65536);
	return 3;
}

static const struct ksysctl_opts ko = { .root = "", .ipc_mni = 32768 };

/* ---- the runtime writer ---- */

START_TEST(test_runtime_all_written)
{
	struct ksysctl_change c[3];
	char err[1024];

	ck_assert_int_eq(applytx_runtime(&fake, &ko, c, three_changes(c), err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 5000);
	ck_assert_uint_eq(kval[SC_MSGMAX][0], 65536);
	ck_assert_uint_eq(kval[SC_MSGMNB][0], 65536);
	ck_assert(c[0].changed && c[1].changed && c[2].changed);
	ck_assert_int_eq(nwrites, 3);
}
END_TEST

START_TEST(test_runtime_midway_undone_in_reverse)
{
	struct ksysctl_change c[3];
	char err[1024];

	fail_write[3] = true;
	ck_assert_int_eq(applytx_runtime(&fake, &ko, c, three_changes(c), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot write 'kernel.msgmnb': Input/output "
	    "error; restored 'kernel.msgmax', restored 'kernel.shmmni'");
	/* the writes, then the undo newest first */
	ck_assert_int_eq(nwrites, 5);
	ck_assert_int_eq(wlog[1], SC_SHMMNI);
	ck_assert_int_eq(wlog[2], SC_MSGMAX);
	ck_assert_int_eq(wlog[3], SC_MSGMNB);
	ck_assert_int_eq(wlog[4], SC_MSGMAX);
	ck_assert_int_eq(wlog[5], SC_SHMMNI);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
	ck_assert_uint_eq(kval[SC_MSGMAX][0], 8192);
	ck_assert_uint_eq(kval[SC_MSGMNB][0], 16384);
	ck_assert(c[0].restored && c[1].restored && !c[2].changed);
}
END_TEST

START_TEST(test_runtime_failed_undo_reported)
{
	struct ksysctl_change c[3];
	char err[1024];

	fail_write[3] = true;	/* msgmnb */
	fail_write[4] = true;	/* msgmax going back */
	ck_assert_int_eq(applytx_runtime(&fake, &ko, c, three_changes(c), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot write 'kernel.msgmnb': Input/output "
	    "error; COULD NOT RESTORE 'kernel.msgmax', restored "
	    "'kernel.shmmni'");
	ck_assert(c[1].restore_failed && !c[1].restored);
	ck_assert(c[0].restored);
	ck_assert_uint_eq(kval[SC_MSGMAX][0], 65536);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
}
END_TEST

START_TEST(test_runtime_invalid_writes_nothing)
{
	struct ksysctl_change c[3];
	char err[1024];

	three_changes(c);
	change(&c[2], SC_SHMMNI, 4096, 40000);	/* above IPCMNI */
	ck_assert_int_eq(applytx_runtime(&fake, &ko, c, 3, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(nwrites, 0);
	ck_assert_ptr_nonnull(strstr(err, "refusing 'kernel.shmmni'"));
}
END_TEST

/*
 * kernel.sem is written whole: a raise planned while SEMOPM was -1 keeps
 * -1 there.  SEMOPM set to 100 since, the planned write would put -1
 * back (lifting the limit); a kept field of any value likewise.
 * Nothing is written, and an unchanged kernel gets the raise.
 */
START_TEST(test_runtime_kept_field_changed_since_plan)
{
	const uint64_t neg = (uint64_t)-1;
	const uint64_t old[SEM_NFIELDS] = { 250, 32000, neg, 128 };
	const uint64_t now[SEM_NFIELDS] = { 250, 32000, 100, 128 };
	struct ksysctl_change c;
	char err[1024];

	memset(&c, 0, sizeof(c));
	c.id = SC_SEM;
	memcpy(c.old_value, old, sizeof(old));
	memcpy(c.new_value, old, sizeof(old));
	c.new_value[SEM_SEMMSL] = 500;
	memcpy(kval[SC_SEM], now, sizeof(now));
	ck_assert_int_eq(applytx_runtime(&fake, &ko, &c, 1, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(nwrites, 0);
	ck_assert_uint_eq(kval[SC_SEM][SEM_SEMOPM], 100);
	ck_assert_ptr_nonnull(strstr(err, "semopm changed since the plan"));
	/* a positive kept field changed since: the same */
	c.old_value[SEM_SEMOPM] = c.new_value[SEM_SEMOPM] = 200;
	ck_assert_int_eq(applytx_runtime(&fake, &ko, &c, 1, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(nwrites, 0);
	/* unchanged since the plan: the raise is written, -1 kept */
	memcpy(kval[SC_SEM], old, sizeof(old));
	memcpy(c.old_value, old, sizeof(old));
	c.new_value[SEM_SEMOPM] = neg;
	ck_assert_int_eq(applytx_runtime(&fake, &ko, &c, 1, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(kval[SC_SEM][SEM_SEMMSL], 500);
	ck_assert_uint_eq(kval[SC_SEM][SEM_SEMOPM], neg);
}
END_TEST

START_TEST(test_clean_stale_says_both)
{
	struct applytx_warnings w;

	applytx_clean_stale(&fake, DROPIN, &w);
	ck_assert_int_eq(w.n, 2);
	ck_assert_str_eq(w.text[0], "cannot remove '" DROPIN ".tmp.9': "
	    "Input/output error");
	ck_assert_str_eq(w.text[1], "removed 2 stale temporary files of '"
	    DROPIN "' left by a killed run");
}
END_TEST

/* ---- apply ---- */

static const struct applytx_opts aopts = {
	.statedir = STATEDIR, .runtime = true, .persist = true,
};

/* A plan of the three raises and a new drop-in. */
static void
make_plan(struct applytx_plan *ap, const char *old_text)
{
	struct dropin_line line = { .key = "kernel.shmmni", .value = "5000" };

	applytx_plan_init(ap);
	ap->nchanges = three_changes(ap->changes);
	snprintf(ap->path, sizeof(ap->path), "%s", DROPIN);
	ap->new_text = dropin_render("t", "", 1700000000, &line, 1);
	ap->old_text = old_text ? xstrdup(old_text) : NULL;
	ap->dropin_changed = true;
	if (old_text != NULL)
		fset(DROPIN, old_text);
}

START_TEST(test_apply_writes_and_records)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	make_plan(&ap, NULL);
	state_record_init(&rec);
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), 0);
	ck_assert(ap.runtime_done && ap.dropin_done);
	ck_assert_str_eq(fget(DROPIN), ap.new_text);
	ck_assert_str_eq(fget(STATEFILE), "record of 1700000000, 3 values");
	ck_assert_uint_eq(kval[SC_MSGMNB][0], 65536);
	ck_assert(rec.persist && !rec.dropin_existed);
	ck_assert_uint_eq(rec.ns_inode, 7);
	ck_assert_uint_eq(rec.runtime[1].old_value[0], 8192);
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

START_TEST(test_apply_runtime_failure_withdraws_record)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	fset(STATEFILE, "the previous record");
	make_plan(&ap, NULL);
	state_record_init(&rec);
	fail_write[2] = true;
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot write 'kernel.msgmax': Input/output "
	    "error; restored 'kernel.shmmni'");
	/* nothing half-written: values, drop-in and record as before */
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
	ck_assert_uint_eq(kval[SC_MSGMAX][0], 8192);
	ck_assert_ptr_null(fget(DROPIN));
	ck_assert_str_eq(fget(STATEFILE), "the previous record");
	ck_assert_int_eq(u.state, APPLYTX_UNDO_DONE);
	ck_assert_int_eq(u.runtime, APPLYTX_UNDO_NONE);
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

START_TEST(test_apply_dropin_failure_undoes_runtime)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	make_plan(&ap, NULL);
	state_record_init(&rec);
	snprintf(fail_file, sizeof(fail_file), "%s", DROPIN);
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot write '" DROPIN "': Input/output error");
	ck_assert_int_eq(u.dropin, APPLYTX_UNDO_NONE);
	ck_assert_int_eq(u.runtime, APPLYTX_UNDO_DONE);
	ck_assert(!ap.runtime_done && !ap.dropin_done);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
	ck_assert_uint_eq(kval[SC_MSGMNB][0], 16384);
	/* the undo went newest first too */
	ck_assert_int_eq(wlog[4], SC_MSGMNB);
	ck_assert_int_eq(wlog[6], SC_SHMMNI);
	ck_assert_ptr_null(fget(DROPIN));
	/* no record of an apply that did not happen */
	ck_assert_ptr_null(fget(STATEFILE));
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

START_TEST(test_apply_dropin_in_place_put_back)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	/* the rename happened, then syncing the directory failed */
	make_plan(&ap, "kernel.msgmni = 31000\n");
	state_record_init(&rec);
	snprintf(fail_file, sizeof(fail_file), "%s", DROPIN);
	fail_after_write = fail_once = true;
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(u.dropin, APPLYTX_UNDO_DONE);
	ck_assert_str_eq(fget(DROPIN), "kernel.msgmni = 31000\n");
	ck_assert_int_eq(u.runtime, APPLYTX_UNDO_DONE);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

START_TEST(test_apply_dropin_undo_failure_reported)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	/* in place after a failure, and the old content cannot go back */
	make_plan(&ap, "kernel.msgmni = 31000\n");
	state_record_init(&rec);
	snprintf(fail_file, sizeof(fail_file), "%s", DROPIN);
	fail_after_write = true;
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(u.dropin, APPLYTX_UNDO_FAILED);
	ck_assert_str_eq(u.dropin_err, "cannot write '" DROPIN "': "
	    "Input/output error");
	ck_assert_int_eq(u.runtime, APPLYTX_UNDO_DONE);
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

START_TEST(test_apply_failed_undo_reported)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	make_plan(&ap, NULL);
	state_record_init(&rec);
	snprintf(fail_file, sizeof(fail_file), "%s", DROPIN);
	fail_write[5] = true;	/* msgmax going back after the drop-in */
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(u.runtime, APPLYTX_UNDO_FAILED);
	ck_assert_str_eq(u.runtime_err, "cannot write 'kernel.msgmax': "
	    "Input/output error; restored 'kernel.msgmnb'");
	/* all or nothing: the values stay as applied, and that is said */
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 5000);
	ck_assert_uint_eq(kval[SC_MSGMAX][0], 65536);
	ck_assert_uint_eq(kval[SC_MSGMNB][0], 65536);
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

START_TEST(test_apply_failed_state_undo_reported)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	make_plan(&ap, NULL);
	state_record_init(&rec);
	fail_write[1] = true;
	/* the new record cannot be withdrawn: said, not hidden */
	snprintf(fail_file, sizeof(fail_file), "%s", STATEFILE);
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(u.state, APPLYTX_UNDO_FAILED);
	ck_assert_str_eq(u.state_err, "cannot remove '" STATEFILE "': "
	    "Input/output error");
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

/* ---- rollback ---- */

/* The record of an apply of shmmni 4096 -> 5000 and a new drop-in. */
static void
record_apply(char *dropin_new)
{
	recorded.nruntime = 1;
	recorded.runtime[0].id = SC_SHMMNI;
	recorded.runtime[0].old_value[0] = 4096;
	recorded.runtime[0].new_value[0] = 5000;
	recorded.persist = true;
	recorded.dropin_path = (char *)DROPIN;
	recorded.dropin_existed = false;
	recorded.dropin_new = dropin_new;
	sha256_hex(dropin_new, strlen(dropin_new),
	    recorded.dropin_new_sha256);
	recorded.ns_inode = 7;
	fset(STATEFILE, "record");
	fset(DROPIN, dropin_new);
	kval[SC_SHMMNI][0] = 5000;
}

static void
kstate_now(struct kstate *ks)
{
	kstate_init(ks);
	for (int i = 0; i < SC_COUNT; i++) {
		ks->sysctl[i].present = true;
		memcpy(ks->sysctl[i].v, kval[i], sizeof(kval[i]));
	}
	ks->has_usage = true;
}

START_TEST(test_rollback_refuses_changed_dropin)
{
	struct applytx_rollback rb;
	struct applytx_warnings w;
	struct kstate ks;
	char err[4096], *dnew;
	int fd;

	dnew = xstrdup("kernel.shmmni = 5000\n");
	record_apply(dnew);
	fset(DROPIN, "kernel.shmmni = 6000\n");
	applytx_rollback_init(&rb);
	ck_assert_int_eq(applytx_rollback_open(&fake, STATEDIR, &rb, &fd,
	    false, &w, err, sizeof(err)), 0);
	ck_assert(rb.found);
	ck_assert_int_eq(w.n, 0);
	kstate_now(&ks);
	applytx_rollback_plan(&ks, &rb);
	ck_assert(!rb.refused);
	ck_assert_int_eq(applytx_rollback_check(&fake, &rb, false, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "'" DROPIN "' was changed since the apply: "
	    "refusing to replace it (--force restores it anyway)");
	/* not even --force replaces a file without ipctune's header */
	ck_assert_int_eq(applytx_rollback_check(&fake, &rb, true, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "holds neither what the apply "
	    "wrote nor ipctune's header"));
	ck_assert_str_eq(rb.action, "unchanged");
	ck_assert_int_eq(nwrites, 0);
	applytx_rollback_release(&rb);
	free(dnew);
}
END_TEST

START_TEST(test_rollback_values_and_dropin_back)
{
	struct dropin_line line = { .key = "kernel.shmmni", .value = "5000" };
	struct applytx_rollback rb;
	struct applytx_warnings w;
	struct applytx_undo u;
	struct kstate ks;
	char err[4096], *dnew;
	int fd;

	dnew = dropin_render("t", "", 1700000000, &line, 1);
	record_apply(dnew);
	applytx_rollback_init(&rb);
	ck_assert_int_eq(applytx_rollback_open(&fake, STATEDIR, &rb, &fd,
	    true, &w, err, sizeof(err)), 0);
	ck_assert_int_eq(w.n, 2);	/* the fake stale files, said */
	kstate_now(&ks);
	applytx_rollback_plan(&ks, &rb);
	ck_assert_int_eq(applytx_rollback_check(&fake, &rb, false, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(rb.action, "removed");
	ck_assert_int_eq(nwrites, 0);
	ck_assert_int_eq(applytx_rollback_run(&fake, STATEDIR, &rb, false, &u,
	    err, sizeof(err)), 0);
	ck_assert(rb.restored);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
	ck_assert_ptr_null(fget(DROPIN));
	ck_assert_int_eq(nretired, 1);
	applytx_rollback_release(&rb);
	free(dnew);
}
END_TEST

START_TEST(test_rollback_dropin_failure_puts_values_back)
{
	struct dropin_line line = { .key = "kernel.shmmni", .value = "5000" };
	struct applytx_rollback rb;
	struct applytx_warnings w;
	struct applytx_undo u;
	struct kstate ks;
	char err[4096], *dnew;
	int fd;

	dnew = dropin_render("t", "", 1700000000, &line, 1);
	record_apply(dnew);
	applytx_rollback_init(&rb);
	ck_assert_int_eq(applytx_rollback_open(&fake, STATEDIR, &rb, &fd,
	    false, &w, err, sizeof(err)), 0);
	kstate_now(&ks);
	applytx_rollback_plan(&ks, &rb);
	snprintf(fail_file, sizeof(fail_file), "%s", DROPIN);
	ck_assert_int_eq(applytx_rollback_run(&fake, STATEDIR, &rb, false, &u,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot remove '" DROPIN "': Input/output "
	    "error");
	ck_assert(!rb.restored);
	ck_assert_int_eq(u.runtime, APPLYTX_UNDO_DONE);
	/* the apply's value again, its drop-in and its record kept */
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 5000);
	ck_assert_str_eq(fget(DROPIN), dnew);
	ck_assert_int_eq(nretired, 0);
	ck_assert_ptr_nonnull(fget(STATEFILE));
	applytx_rollback_release(&rb);
	free(dnew);
}
END_TEST

/* A record that cannot be retired: the apply's drop-in and value again. */
START_TEST(test_rollback_retire_failure_puts_apply_back)
{
	struct dropin_line line = { .key = "kernel.shmmni", .value = "5000" };
	struct applytx_rollback rb;
	struct applytx_warnings w;
	struct applytx_undo u;
	struct kstate ks;
	char err[4096], *dnew;
	int fd;

	dnew = dropin_render("t", "", 1700000000, &line, 1);
	record_apply(dnew);
	applytx_rollback_init(&rb);
	ck_assert_int_eq(applytx_rollback_open(&fake, STATEDIR, &rb, &fd,
	    false, &w, err, sizeof(err)), 0);
	kstate_now(&ks);
	applytx_rollback_plan(&ks, &rb);
	snprintf(fail_file, sizeof(fail_file), "%s", STATEFILE);
	ck_assert_int_eq(applytx_rollback_run(&fake, STATEDIR, &rb, false, &u,
	    err, sizeof(err)), -1);
	ck_assert(!rb.restored);
	ck_assert_int_eq(u.runtime, APPLYTX_UNDO_DONE);
	ck_assert_int_eq(u.dropin, APPLYTX_UNDO_DONE);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 5000);
	ck_assert_str_eq(fget(DROPIN), dnew);
	ck_assert_ptr_nonnull(fget(STATEFILE));
	applytx_rollback_release(&rb);
	free(dnew);
}
END_TEST

START_TEST(test_rollback_guards)
{
	struct applytx_rollback rb;
	struct kstate ks;

	/* apply raised msgmni 16 -> 64; 40 queues exist now */
	applytx_rollback_init(&rb);
	rb.found = true;
	rb.rec.nruntime = 1;
	rb.rec.runtime[0].id = SC_MSGMNI;
	rb.rec.runtime[0].old_value[0] = 16;
	rb.rec.runtime[0].new_value[0] = 64;
	kval[SC_MSGMNI][0] = 64;
	kstate_now(&ks);
	ks.usage.msg_queues = 40;
	applytx_rollback_plan(&ks, &rb);
	ck_assert(rb.refused);
	ck_assert_str_eq(rb.why[0], "16 is below the 40 in use now");
	ck_assert_uint_eq(rb.ch[0].old_value[0], 64);
	ck_assert_uint_eq(rb.ch[0].new_value[0], 16);
	/* set by hand since the apply */
	kval[SC_MSGMNI][0] = 100;
	kstate_now(&ks);
	applytx_rollback_plan(&ks, &rb);
	ck_assert(rb.refused);
	ck_assert_str_eq(rb.why[0], "changed by hand since the apply (64 "
	    "written, 100 now)");
	/* already back: nothing to guard */
	kval[SC_MSGMNI][0] = 16;
	kstate_now(&ks);
	ks.usage.msg_queues = 40;
	applytx_rollback_plan(&ks, &rb);
	ck_assert(!rb.refused);
	ck_assert_str_eq(rb.why[0], "");
	applytx_rollback_release(&rb);
}
END_TEST

START_TEST(test_rollback_nothing_recorded)
{
	struct applytx_rollback rb;
	struct applytx_warnings w;
	char err[256];
	int fd;

	applytx_rollback_init(&rb);
	ck_assert_int_eq(applytx_rollback_open(&fake, STATEDIR, &rb, &fd,
	    true, &w, err, sizeof(err)), 0);
	ck_assert(!rb.found);
	ck_assert_str_eq(rb.action, "unchanged");
	applytx_rollback_release(&rb);
}
END_TEST

/*
 * 14.R4: a drop-in directory apply cannot write in is found before any
 * change: no record, no runtime write, no drop-in.
 */
START_TEST(r14_4_unwritable_dropin_dir_changes_nothing)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	make_plan(&ap, NULL);
	state_record_init(&rec);
	access_errno = EACCES;
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot write in '/etc/sysctl.d': Permission "
	    "denied (run as root): nothing changed");
	ck_assert_int_eq(nwrites, 0);
	ck_assert_ptr_null(fget(STATEFILE));
	ck_assert_ptr_null(fget(DROPIN));
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

/*
 * 14.R5: the record is written before anything changes; when it cannot
 * be, no value is written and the error says that nothing changed.
 */
START_TEST(r14_5_record_first_or_nothing)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	make_plan(&ap, NULL);
	state_record_init(&rec);
	fail_state_save = true;
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot write '" STATEFILE "': No space left "
	    "on device (nothing changed)");
	ck_assert_int_eq(nwrites, 0);
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
	ck_assert_ptr_null(fget(DROPIN));
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

/*
 * 14.R6: a write the kernel accepts but reads back otherwise is a
 * failure: it and the earlier writes go back, the record is withdrawn.
 */
START_TEST(r14_6_read_back_mismatch_undone)
{
	struct applytx_plan ap;
	struct applytx_undo u;
	struct state_record rec;
	char err[4096];

	make_plan(&ap, NULL);
	state_record_init(&rec);
	clamp_msgmax = true;
	ck_assert_int_eq(applytx_apply(&fake, &aopts, 32768, &ap, &rec, &u,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "'kernel.msgmax' reads back '12345' after the "
	    "write; restored 'kernel.msgmax', restored 'kernel.shmmni'");
	ck_assert_uint_eq(kval[SC_SHMMNI][0], 4096);
	ck_assert_uint_eq(kval[SC_MSGMAX][0], 8192);
	ck_assert_uint_eq(kval[SC_MSGMNB][0], 16384);
	ck_assert_ptr_null(fget(STATEFILE));
	ck_assert_ptr_null(fget(DROPIN));
	ck_assert_int_eq(u.state, APPLYTX_UNDO_DONE);
	state_record_release(&rec);
	applytx_plan_release(&ap);
}
END_TEST

static Suite *
applytx_suite(void)
{
	Suite *s = suite_create("applytx");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_runtime_all_written);
	tcase_add_test(tc, test_runtime_midway_undone_in_reverse);
	tcase_add_test(tc, test_runtime_failed_undo_reported);
	tcase_add_test(tc, test_runtime_invalid_writes_nothing);
	tcase_add_test(tc, test_runtime_kept_field_changed_since_plan);
	tcase_add_test(tc, test_clean_stale_says_both);
	tcase_add_test(tc, test_apply_writes_and_records);
	tcase_add_test(tc, test_apply_runtime_failure_withdraws_record);
	tcase_add_test(tc, test_apply_dropin_failure_undoes_runtime);
	tcase_add_test(tc, test_apply_dropin_in_place_put_back);
	tcase_add_test(tc, test_apply_dropin_undo_failure_reported);
	tcase_add_test(tc, test_apply_failed_undo_reported);
	tcase_add_test(tc, test_apply_failed_state_undo_reported);
	tcase_add_test(tc, test_rollback_refuses_changed_dropin);
	tcase_add_test(tc, test_rollback_values_and_dropin_back);
	tcase_add_test(tc, test_rollback_dropin_failure_puts_values_back);
	tcase_add_test(tc, test_rollback_retire_failure_puts_apply_back);
	tcase_add_test(tc, test_rollback_guards);
	tcase_add_test(tc, test_rollback_nothing_recorded);
	tcase_add_test(tc, r14_4_unwritable_dropin_dir_changes_nothing);
	tcase_add_test(tc, r14_5_record_first_or_nothing);
	tcase_add_test(tc, r14_6_read_back_mismatch_undone);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(applytx_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
