/*
 * check_pcleantx.c: the POSIX clean transaction against a fake
 * directory and /proc: a file is unlinked only after the name, the
 * inode and the holders were checked, it was renamed aside and checked
 * again (and saved, when asked); any doubt renames it back; a failed
 * backup or unlink leaves it under its name; a queue is never renamed.
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcleantx.h"

#define ME 4242		/* ipctune's PID in the fake */
#define DEV 7
#define DIRFD 33
#define PRIV(ino) ".ipctune-clean.4242." #ino

struct fent {
	char name[64];
	uint64_t ino, size;
	int64_t mtime, ctime;
	bool link;		/* a symlink planted under the name */
	bool exists;
};

struct fk {
	struct fent e[8];
	size_t n;
	char log[4096];		/* "stat a;holders 10;rename a PRIV;..." */
	long holders_at[8];	/* holders the k-th scan finds */
	int nholders;
	bool loop;		/* the holder found is loop3, not a process */
	int fail_rename_at, fail_rename_errno, nrename;
	char fail_unlink[64];
	int fail_unlink_errno;
	int fail_save_errno, fail_manifest_errno;
	bool take_name;		/* a new file takes the name on the rename */
	bool replace_first;	/* another file took the name just before */
	int held;		/* hold(true) minus hold(false) */
	int spans;
};

static struct fk fk;

static void __attribute__((format(printf, 1, 2)))
logf_(const char *fmt, ...)
{
	size_t n = strlen(fk.log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fk.log + n, sizeof(fk.log) - n, fmt, ap);
	va_end(ap);
	strncat(fk.log, ";", sizeof(fk.log) - strlen(fk.log) - 1);
}

static struct fent *
find(const char *name)
{
	for (size_t i = 0; i < fk.n; i++)
		if (fk.e[i].exists && strcmp(fk.e[i].name, name) == 0)
			return &fk.e[i];
	return NULL;
}

static struct fent *
add(const char *name, uint64_t ino)
{
	struct fent *e = &fk.e[fk.n++];

	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->ino = ino;
	e->size = 4096;
	e->mtime = 100;
	e->ctime = 200;
	e->exists = true;
	return e;
}

static int
f_open_dir(void *ctx, enum ipc_type t, uint64_t *dev, char *text,
    size_t len)
{
	(void)ctx;
	logf_("open %s", ipctype_table[t].name);
	*dev = DEV;
	snprintf(text, len, "/dev/shm");
	return DIRFD;
}

static void
f_close_dir(void *ctx, int fd)
{
	(void)ctx;
	ck_assert_int_eq(fd, DIRFD);
	logf_("close");
}

static int
f_stat_at(void *ctx, int dirfd, const char *name, struct posix_file *now)
{
	struct fent *e = find(name);

	(void)ctx;
	ck_assert_int_eq(dirfd, DIRFD);
	logf_("stat %s", name);
	if (e == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (e->link) {
		errno = EINVAL;
		return -1;
	}
	memset(now, 0, sizeof(*now));
	now->name = strdup(name);
	now->dev = DEV;
	now->ino = e->ino;
	now->size_bytes = e->size;
	now->mtime = e->mtime;
	now->ctime = e->ctime;
	return 0;
}

static long
f_holders(void *ctx, uint64_t dev, uint64_t ino, struct pcleantx_holder *h,
    size_t *partial)
{
	long n = fk.holders_at[fk.nholders < 8 ? fk.nholders : 7];

	(void)ctx;
	ck_assert_uint_eq(dev, DEV);
	logf_("holders %llu", (unsigned long long)ino);
	fk.nholders++;
	*partial = 0;
	if (n > 0) {
		h->pid = fk.loop ? 0 : 999;
		h->how = fk.loop ? POSIX_HOLD_LOOP : POSIX_HOLD_FD;
		snprintf(h->comm, sizeof(h->comm), "%s", fk.loop ? "loop3" :
		    "intruder");
	}
	return n;
}

static int
f_rename(void *ctx, int dirfd, const char *from, const char *to)
{
	struct fent *e = find(from);

	(void)ctx;
	ck_assert_int_eq(dirfd, DIRFD);
	logf_("rename %s %s", from, to);
	if (++fk.nrename == fk.fail_rename_at) {
		errno = fk.fail_rename_errno;
		return -1;
	}
	if (e == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (fk.replace_first && fk.nrename == 1)
		e->ino = 55;
	if (find(to) != NULL) {
		errno = EEXIST;
		return -1;
	}
	snprintf(e->name, sizeof(e->name), "%s", to);
	e->ctime++;		/* a rename moves the ctime (shmem_rename2) */
	if (fk.take_name && fk.nrename == 1)
		add(from, 99);
	return 0;
}

static int
f_unlink(void *ctx, int dirfd, const char *name)
{
	struct fent *e = find(name);

	(void)ctx;
	ck_assert_int_eq(dirfd, DIRFD);
	logf_("unlink %s", name);
	if (strcmp(name, fk.fail_unlink) == 0) {
		errno = fk.fail_unlink_errno;
		return -1;
	}
	if (e == NULL) {
		errno = ENOENT;
		return -1;
	}
	e->exists = false;
	return 0;
}

static int
f_save(void *ctx, int dirfd, const char *name, const struct posix_file *f,
    const char *file, char hex[65])
{
	(void)ctx;
	(void)f;
	ck_assert_int_eq(dirfd, DIRFD);
	logf_("save %s %s", name, file);
	if (fk.fail_save_errno) {
		errno = fk.fail_save_errno;
		return -1;
	}
	snprintf(hex, 65, "%064d", 0);
	return 0;
}

static int
f_save_manifest(void *ctx, const struct orphan_item *it, const char *file,
    const char *hex)
{
	(void)ctx;
	logf_("manifest %s %s %s", ipctype_table[it->type].name,
	    file ? file : "-", hex ? "hex" : "-");
	if (fk.fail_manifest_errno) {
		errno = fk.fail_manifest_errno;
		return -1;
	}
	return 0;
}

static void
f_hold(void *ctx, bool on)
{
	(void)ctx;
	fk.held += on ? 1 : -1;
}

static void
f_span(void *ctx, bool on)
{
	(void)ctx;
	fk.spans += on ? 1 : -1;
	logf_("span %d", on);
}

static pid_t
f_pid(void *ctx)
{
	(void)ctx;
	return ME;
}

static const struct pcleantx_effects fx = {
	.ctx = &fk, .open_dir = f_open_dir, .close_dir = f_close_dir,
	.stat_at = f_stat_at, .holders = f_holders, .rename = f_rename,
	.unlink = f_unlink, .save = f_save, .save_manifest = f_save_manifest,
	.hold = f_hold, .span = f_span, .pid = f_pid,
};

/* A judged item of type T named NAME, inode INO, as add() makes it. */
static struct orphan_item
item(enum ipc_type t, const char *name, uint64_t ino)
{
	static char names[8][64];
	static size_t k;
	struct orphan_item it;
	struct posix_file *f;

	memset(&it, 0, sizeof(it));
	it.type = t;
	it.verdict = OV_ORPHANED;
	f = t == IPC_PSHM ? &it.obj.pshm.f : t == IPC_PSEM ?
	    &it.obj.psem.f : &it.obj.pmq.f;
	snprintf(names[k % 8], sizeof(names[0]), "%s", name);
	f->name = names[k++ % 8];
	f->dev = DEV;
	f->ino = ino;
	f->size_bytes = 4096;
	f->mtime = 100;
	f->ctime = 200;
	return it;
}

static struct cleantx_outcome out[4];

static void
run1(struct orphan_item *it, enum cleantx_prep prep)
{
	pcleantx_run(&fx, it, 1, &prep, out);
	ck_assert_int_eq(fk.held, 0);
	ck_assert_int_eq(fk.spans, 0);
}

static void
setup(void)
{
	memset(&fk, 0, sizeof(fk));
	memset(out, 0, sizeof(out));
}

START_TEST(renamed_aside_checked_then_unlinked)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	run1(&it, CLEANTX_REMOVE);
	ck_assert_int_eq(out[0].action, CLEANTX_REMOVED);
	ck_assert_str_eq(fk.log, "span 1;open pshm;stat a;holders 10;"
	    "rename a " PRIV(10) ";stat " PRIV(10) ";holders 10;"
	    "unlink " PRIV(10) ";close;span 0;");
	ck_assert_ptr_null(find("a"));
}
END_TEST

START_TEST(inode_changed_under_name_untouched)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 11);
	run1(&it, CLEANTX_REMOVE);
	ck_assert_int_eq(out[0].action, CLEANTX_SKIPPED);
	ck_assert_str_eq(out[0].code, "replaced");
	ck_assert_ptr_null(strstr(fk.log, "rename"));
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_uint_eq(find("a")->ino, 11);
}
END_TEST

START_TEST(symlink_planted_not_followed)
{
	struct orphan_item it = item(IPC_PSEM, "sem.a", 10);

	add("sem.a", 10)->link = true;
	run1(&it, CLEANTX_BACKUP);
	ck_assert_int_eq(out[0].action, CLEANTX_SKIPPED);
	ck_assert_str_eq(out[0].code, "replaced");
	ck_assert_str_eq(fk.log, "span 1;open psem;stat sem.a;close;span 0;");
}
END_TEST

START_TEST(holder_at_recheck_renamed_back)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.holders_at[1] = 1;
	run1(&it, CLEANTX_REMOVE);
	ck_assert_int_eq(out[0].action, CLEANTX_SKIPPED);
	ck_assert_str_eq(out[0].code, "in_use");
	ck_assert_ptr_nonnull(strstr(out[0].detail, "999 (intruder)"));
	ck_assert_ptr_nonnull(strstr(fk.log, "holders 10;rename " PRIV(10)
	    " a;"));
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_uint_eq(find("a")->ino, 10);
}
END_TEST

START_TEST(holder_before_rename_untouched)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.holders_at[0] = 2;
	run1(&it, CLEANTX_BACKUP);
	ck_assert_str_eq(out[0].code, "in_use");
	ck_assert_ptr_null(strstr(fk.log, "rename"));
	ck_assert_ptr_null(strstr(fk.log, "save"));
}
END_TEST

/* A loop device set up on the file since the judgement: kept, named. */
START_TEST(loop_device_before_rename_untouched)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.holders_at[0] = 1;
	fk.loop = true;
	run1(&it, CLEANTX_REMOVE);
	ck_assert_str_eq(out[0].code, "in_use");
	ck_assert_str_eq(out[0].detail, "backs /dev/loop3 since it was judged");
	ck_assert_ptr_null(strstr(fk.log, "rename"));
}
END_TEST

START_TEST(name_taken_meanwhile_stays_aside_loudly)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.take_name = true;
	fk.holders_at[1] = 1;
	run1(&it, CLEANTX_REMOVE);
	ck_assert_int_eq(out[0].action, CLEANTX_FAILED);
	ck_assert_str_eq(out[0].code, "EEXIST");
	ck_assert_ptr_nonnull(strstr(out[0].detail, "NOT PUT BACK"));
	ck_assert_ptr_nonnull(strstr(out[0].detail, PRIV(10)));
	ck_assert_uint_eq(find(PRIV(10))->ino, 10);
	ck_assert_uint_eq(find("a")->ino, 99);
}
END_TEST

START_TEST(other_file_renamed_aside_is_put_back)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.replace_first = true;
	run1(&it, CLEANTX_REMOVE);
	ck_assert_int_eq(out[0].action, CLEANTX_SKIPPED);
	ck_assert_str_eq(out[0].code, "replaced");
	ck_assert_ptr_nonnull(strstr(fk.log, "stat " PRIV(10) ";rename "
	    PRIV(10) " a;"));
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_uint_eq(find("a")->ino, 55);
}
END_TEST

START_TEST(changed_since_judged_untouched)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10)->size = 8192;	/* grown after the judgement */
	run1(&it, CLEANTX_REMOVE);
	ck_assert_str_eq(out[0].code, "changed");
	ck_assert_ptr_null(strstr(fk.log, "rename"));
}
END_TEST

START_TEST(backup_then_unlink)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	run1(&it, CLEANTX_BACKUP);
	ck_assert_int_eq(out[0].action, CLEANTX_REMOVED);
	ck_assert_str_eq(out[0].backup_file, "pshm-10-200.bin");
	ck_assert_str_eq(out[0].detail, "saved as 'pshm-10-200.bin'");
	ck_assert_str_eq(fk.log, "span 1;open pshm;stat a;holders 10;"
	    "rename a " PRIV(10) ";stat " PRIV(10) ";holders 10;"
	    "save " PRIV(10) " pshm-10-200.bin;"
	    "manifest pshm pshm-10-200.bin hex;stat " PRIV(10) ";"
	    "holders 10;unlink " PRIV(10) ";close;span 0;");
}
END_TEST

START_TEST(backup_failure_leaves_object)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.fail_save_errno = ENOSPC;
	run1(&it, CLEANTX_BACKUP);
	ck_assert_int_eq(out[0].action, CLEANTX_FAILED);
	ck_assert_str_eq(out[0].code, "ENOSPC");
	ck_assert_str_eq(out[0].backup_file, "");
	ck_assert_ptr_nonnull(strstr(out[0].detail, "not removed"));
	ck_assert_ptr_null(strstr(fk.log, "manifest"));
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_uint_eq(find("a")->ino, 10);
}
END_TEST

START_TEST(manifest_failure_leaves_object)
{
	struct orphan_item it = item(IPC_PSEM, "sem.a", 10);

	add("sem.a", 10);
	fk.fail_manifest_errno = EIO;
	run1(&it, CLEANTX_BACKUP);
	ck_assert_int_eq(out[0].action, CLEANTX_FAILED);
	ck_assert_str_eq(out[0].code, "EIO");
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_uint_eq(find("sem.a")->ino, 10);
}
END_TEST

START_TEST(holder_during_backup_keeps_object_and_backup)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.holders_at[2] = 1;
	run1(&it, CLEANTX_BACKUP);
	ck_assert_str_eq(out[0].code, "in_use");
	ck_assert_ptr_nonnull(strstr(out[0].detail, "the backup "
	    "'pshm-10-200.bin' stays"));
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_uint_eq(find("a")->ino, 10);
}
END_TEST

START_TEST(unlink_failure_per_object)
{
	struct orphan_item it[2] = { item(IPC_PSHM, "a", 10),
	    item(IPC_PSHM, "b", 11) };
	enum cleantx_prep prep[2] = { CLEANTX_REMOVE, CLEANTX_REMOVE };

	add("a", 10);
	add("b", 11);
	snprintf(fk.fail_unlink, sizeof(fk.fail_unlink), PRIV(10));
	fk.fail_unlink_errno = EIO;
	pcleantx_run(&fx, it, 2, prep, out);
	ck_assert_int_eq(out[0].action, CLEANTX_FAILED);
	ck_assert_str_eq(out[0].code, "EIO");
	ck_assert_ptr_nonnull(strstr(out[0].detail, "cannot unlink it"));
	ck_assert_uint_eq(find("a")->ino, 10);
	ck_assert_int_eq(out[1].action, CLEANTX_REMOVED);
	ck_assert_ptr_null(find("b"));
	/* one directory for both */
	ck_assert_ptr_null(strstr(strstr(fk.log, "open") + 1, "open"));
}
END_TEST

START_TEST(rename_aside_failure_untouched)
{
	struct orphan_item it = item(IPC_PSHM, "a", 10);

	add("a", 10);
	fk.fail_rename_at = 1;
	fk.fail_rename_errno = EIO;
	run1(&it, CLEANTX_REMOVE);
	ck_assert_int_eq(out[0].action, CLEANTX_FAILED);
	ck_assert_str_eq(out[0].code, "EIO");
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_uint_eq(find("a")->ino, 10);
}
END_TEST

START_TEST(queue_never_renamed_attributes_saved)
{
	struct orphan_item it = item(IPC_PMQ, "q", 10);

	add("q", 10)->ctime = 300;	/* our read of its text moved it */
	run1(&it, CLEANTX_BACKUP);
	ck_assert_int_eq(out[0].action, CLEANTX_REMOVED);
	ck_assert_str_eq(fk.log, "span 1;open pmq;stat q;holders 10;"
	    "manifest pmq - -;stat q;holders 10;unlink q;close;span 0;");
	ck_assert_ptr_nonnull(strstr(out[0].detail, "messages are not"));
}
END_TEST

/* A queue opened while its attributes were being saved stays. */
START_TEST(queue_holder_during_backup_stays)
{
	struct orphan_item it = item(IPC_PMQ, "q", 10);

	add("q", 10);
	fk.holders_at[1] = 1;
	run1(&it, CLEANTX_BACKUP);
	ck_assert_str_eq(out[0].code, "in_use");
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_ptr_nonnull(find("q"));
}
END_TEST

START_TEST(queue_manifest_failure_leaves_queue)
{
	struct orphan_item it = item(IPC_PMQ, "q", 10);

	add("q", 10);
	fk.fail_manifest_errno = ENOSPC;
	run1(&it, CLEANTX_BACKUP);
	ck_assert_int_eq(out[0].action, CLEANTX_FAILED);
	ck_assert_ptr_null(strstr(fk.log, "unlink"));
	ck_assert_ptr_nonnull(find("q"));
}
END_TEST

START_TEST(dry_run_touches_nothing)
{
	struct orphan_item it[3] = { item(IPC_PSHM, "a", 10),
	    item(IPC_PSEM, "sem.b", 11), item(IPC_PMQ, "q", 12) };
	enum cleantx_prep prep[3] = { CLEANTX_DONE, CLEANTX_DONE,
	    CLEANTX_DONE };

	add("a", 10);
	pcleantx_run(&fx, it, 3, prep, out);
	ck_assert_str_eq(fk.log, "");
	ck_assert_int_eq(out[0].action, CLEANTX_WOULD_REMOVE);
}
END_TEST

START_TEST(bad_name_refused)
{
	struct orphan_item it = item(IPC_PSHM, "..", 10);

	run1(&it, CLEANTX_REMOVE);
	ck_assert_str_eq(out[0].code, "bad_name");
	ck_assert_ptr_null(strstr(fk.log, "stat"));
}
END_TEST

static Suite *
pcleantx_suite(void)
{
	Suite *s = suite_create("pcleantx");
	TCase *tc = tcase_create("transaction");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, renamed_aside_checked_then_unlinked);
	tcase_add_test(tc, inode_changed_under_name_untouched);
	tcase_add_test(tc, symlink_planted_not_followed);
	tcase_add_test(tc, holder_at_recheck_renamed_back);
	tcase_add_test(tc, holder_before_rename_untouched);
	tcase_add_test(tc, loop_device_before_rename_untouched);
	tcase_add_test(tc, name_taken_meanwhile_stays_aside_loudly);
	tcase_add_test(tc, other_file_renamed_aside_is_put_back);
	tcase_add_test(tc, changed_since_judged_untouched);
	tcase_add_test(tc, backup_then_unlink);
	tcase_add_test(tc, backup_failure_leaves_object);
	tcase_add_test(tc, manifest_failure_leaves_object);
	tcase_add_test(tc, holder_during_backup_keeps_object_and_backup);
	tcase_add_test(tc, unlink_failure_per_object);
	tcase_add_test(tc, rename_aside_failure_untouched);
	tcase_add_test(tc, queue_never_renamed_attributes_saved);
	tcase_add_test(tc, queue_holder_during_backup_stays);
	tcase_add_test(tc, queue_manifest_failure_leaves_queue);
	tcase_add_test(tc, dry_run_touches_nothing);
	tcase_add_test(tc, bad_name_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pcleantx_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
