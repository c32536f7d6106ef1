/*
 * check_dirsafe.c: unit tests for the directory safety check, on a real
 * scratch tree under /tmp: modes, sticky parents, symbolic links owned by
 * root or by another user, foreign owners, files on the way, "." and "..".
 * The ownership cases need root (CI runs as root).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirsafe.h"

static char top[64];
static char err[512];

static void
setup(void)
{
	strcpy(top, "/tmp/check_dirsafe.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	ck_assert_int_eq(chmod(top, 0755), 0);
}

static void
teardown(void)
{
	char cmd[128];

	/* test cleanup only; the program itself never runs a shell */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", top);
}

static const char *
at(const char *rel)
{
	static char buf[8][256];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", top, rel);
	return buf[i];
}

static int
check(const char *rel)
{
	err[0] = '\0';
	return dirsafe_check(at(rel), geteuid(), err, sizeof(err));
}

START_TEST(test_plain)
{
	ck_assert_int_eq(mkdir(at("a"), 0700), 0);
	ck_assert_int_eq(check("a"), 0);
	ck_assert_int_eq(mkdir(at("a/b"), 0755), 0);
	ck_assert_int_eq(check("a/b"), 0);
	ck_assert_int_eq(check("a/./b/"), 0);
	ck_assert_int_eq(check("a/b/.."), 0);
}
END_TEST

START_TEST(test_writable)
{
	ck_assert_int_eq(mkdir(at("ww"), 0700), 0);
	ck_assert_int_eq(chmod(at("ww"), 0777), 0);
	ck_assert_int_eq(check("ww"), -1);
	ck_assert(strstr(err, "writable by group or others") != NULL);
	ck_assert_int_eq(chmod(at("ww"), 0770), 0);
	ck_assert_int_eq(check("ww"), -1);
	/* a sticky world-writable parent (like /tmp) is fine, not as last */
	ck_assert_int_eq(chmod(at("ww"), 01777), 0);
	ck_assert_int_eq(check("ww"), -1);
	ck_assert_int_eq(mkdir(at("ww/mine"), 0700), 0);
	ck_assert_int_eq(check("ww/mine"), 0);
	/* not sticky: anyone could swap 'mine' */
	ck_assert_int_eq(chmod(at("ww"), 0777), 0);
	ck_assert_int_eq(check("ww/mine"), -1);
	ck_assert(strstr(err, "/ww'") != NULL);
}
END_TEST

START_TEST(test_symlinks)
{
	ck_assert_int_eq(mkdir(at("real"), 0700), 0);
	ck_assert_int_eq(symlink(at("real"), at("abs")), 0);
	ck_assert_int_eq(symlink("real", at("rel")), 0);
	ck_assert_int_eq(check("abs"), 0);
	ck_assert_int_eq(check("rel"), 0);
	ck_assert_int_eq(symlink("loop", at("loop")), 0);
	ck_assert_int_eq(check("loop"), -1);
	ck_assert_int_eq(errno, ELOOP);
	if (geteuid() != 0)
		return;
	/* a link another user owns can point anywhere: refused */
	ck_assert_int_eq(lchown(at("abs"), 65534, 65534), 0);
	ck_assert_int_eq(check("abs"), -1);
	ck_assert(strstr(err, "owned by another user (uid 65534)") != NULL);
	/* a link to a world-writable place is judged by its target */
	ck_assert_int_eq(mkdir(at("pub"), 0700), 0);
	ck_assert_int_eq(chmod(at("pub"), 0777), 0);
	ck_assert_int_eq(symlink(at("pub"), at("topub")), 0);
	ck_assert_int_eq(check("topub"), -1);
}
END_TEST

START_TEST(test_owner)
{
	if (geteuid() != 0)
		return;
	ck_assert_int_eq(mkdir(at("theirs"), 0700), 0);
	ck_assert_int_eq(chown(at("theirs"), 65534, 65534), 0);
	ck_assert_int_eq(check("theirs"), -1);
	ck_assert_int_eq(errno, EPERM);
	/* the owner may use it */
	ck_assert_int_eq(dirsafe_check(at("theirs"), 65534, err,
	    sizeof(err)), 0);
}
END_TEST

START_TEST(test_errors)
{
	FILE *fp = fopen(at("file"), "w");

	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	ck_assert_int_eq(check("file"), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(check("file/x"), -1);
	ck_assert_int_eq(check("missing"), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert(strstr(err, "missing") != NULL);
	ck_assert_int_eq(dirsafe_check("", 0, err, sizeof(err)), -1);
}
END_TEST

START_TEST(test_prefix)
{
	ck_assert_int_eq(mkdir(at("p"), 0755), 0);
	err[0] = '\0';
	/* what does not exist yet is ours to create */
	ck_assert_int_eq(dirsafe_check_prefix(at("p/new/deeper"), geteuid(),
	    err, sizeof(err)), 0);
	ck_assert_int_eq(dirsafe_check(at("p/new"), geteuid(), err,
	    sizeof(err)), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(chmod(at("p"), 0777), 0);
	ck_assert_int_eq(dirsafe_check_prefix(at("p/new"), geteuid(), err,
	    sizeof(err)), -1);
	ck_assert_int_eq(chmod(at("p"), 01777), 0);
	ck_assert_int_eq(dirsafe_check_prefix(at("p/new"), geteuid(), err,
	    sizeof(err)), 0);
	if (geteuid() != 0)
		return;
	ck_assert_int_eq(symlink("/tmp", at("p/link")), 0);
	ck_assert_int_eq(lchown(at("p/link"), 65534, 65534), 0);
	ck_assert_int_eq(dirsafe_check_prefix(at("p/link/new"), geteuid(),
	    err, sizeof(err)), -1);
}
END_TEST

static Suite *
dirsafe_suite(void)
{
	Suite *s = suite_create("dirsafe");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_writable);
	tcase_add_test(tc, test_symlinks);
	tcase_add_test(tc, test_owner);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_prefix);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dirsafe_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
