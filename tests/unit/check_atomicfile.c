/*
 * check_atomicfile.c: unit tests of atomicfile.c in a scratch directory:
 * the mode whatever the umask, the content, no temporary left behind, a
 * symlink at the target replaced rather than followed, and a failure
 * that leaves the old file alone.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"

static char dir[] = "/tmp/check_atomicfile.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4200];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
	strcpy(dir, "/tmp/check_atomicfile.XXXXXX");
}

static size_t
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

static char *
slurp(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

START_TEST(test_mode_and_content)
{
	char path[4200], err[512];
	struct stat st;
	mode_t old = umask(077);

	snprintf(path, sizeof(path), "%s/ipctune.prom", dir);
	ck_assert_int_eq(atomicfile_write(path, "a 1\n", 4, 0644, err,
	    sizeof(err)), 0);
	umask(old);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_str_eq(slurp(path), "a 1\n");
	/* replaced, not appended; and nothing else left in the directory */
	ck_assert_int_eq(atomicfile_write(path, "b 2\n", 4, 0600, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(slurp(path), "b 2\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_uint_eq(entries(), 1);
}
END_TEST

START_TEST(test_symlink_replaced_not_followed)
{
	char path[4200], victim[4200], err[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/link.prom", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	ck_assert_int_eq(atomicfile_write(victim, "keep\n", 5, 0644, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(symlink(victim, path), 0);
	ck_assert_int_eq(atomicfile_write(path, "new\n", 4, 0644, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_str_eq(slurp(victim), "keep\n");
	ck_assert_str_eq(slurp(path), "new\n");
}
END_TEST

START_TEST(test_failure_keeps_old_file)
{
	char path[4200], err[512];

	snprintf(path, sizeof(path), "%s/sub", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	/* renaming a file over a directory fails; the directory stays */
	ck_assert_int_eq(atomicfile_write(path, "x\n", 2, 0644, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot replace") != NULL, "%s", err);
	ck_assert_uint_eq(entries(), 1);
	rmdir(path);
	ck_assert_int_eq(atomicfile_write("/nonexistent-dir/x.prom", "x", 1,
	    0644, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'/nonexistent-dir/x.prom'") != NULL, "%s",
	    err);
	ck_assert_int_eq(atomicfile_write("/tmp/", "x", 1, 0644, err,
	    sizeof(err)), -1);
}
END_TEST

static Suite *
atomicfile_suite(void)
{
	Suite *s = suite_create("atomicfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mode_and_content);
	tcase_add_test(tc, test_symlink_replaced_not_followed);
	tcase_add_test(tc, test_failure_keeps_old_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(atomicfile_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
