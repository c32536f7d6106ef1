/*
 * check_procscan.c: procscan over a fixture tree: start times from
 * /proc/PID/stat and btime, zombies, and the SysV attachers found in
 * /proc/PID/maps (inode = shmid, one entry per process and segment).
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procscan.h"

static char root[64];

static void
put(const char *rel, const char *text)
{
	char path[256], dir[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	for (char *p = dir + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
setup(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	char stat[512];

	snprintf(root, sizeof(root), "/tmp/check_procscan.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	put("/proc/stat", "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n");
	/* starttime 50 s after boot, comm with a space and a parenthesis */
	snprintf(stat, sizeof(stat), "100 (my (app)) S 1 100 100 0 -1 0 0 0 "
	    "0 0 0 0 0 0 20 0 1 0 %ld 1000 10\n", 50 * hz);
	put("/proc/100/stat", stat);
	put("/proc/100/comm", "my (app)\n");
	put("/proc/100/maps",
	    "7f00-7f10 rw-s 00000000 00:01 5                          "
	    "/SYSV00001234 (deleted)\n"
	    "7f10-7f20 r--s 00000000 00:01 5                          "
	    "/SYSV00001234 (deleted)\n"
	    "7f20-7f30 rw-s 00000000 00:01 32768                      "
	    "/SYSV00000000 (deleted)\n"
	    "7f30-7f40 r-xp 00000000 08:01 5                          "
	    "/usr/lib/libSYSV.so\n");
	put("/proc/200/stat", "200 (zomb) Z 1 200 200 0 -1 0 0 0 0 0 0 0 "
	    "0 0 20 0 1 0 10 0 0\n");
	put("/proc/300/comm", "other\n");
	put("/proc/300/maps", "7f00-7f10 rw-s 00000000 00:01 5  "
	    "/SYSV00001234 (deleted)\n");
}

static void
teardown(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

START_TEST(start_times)
{
	struct procscan ps;
	struct orphan_proc p;

	procscan_init(&ps, root, false, 0);
	ck_assert_int_eq(procscan_proc(&ps, 100, &p), 0);
	ck_assert_int_eq(p.start_time, 1700000050);
	ck_assert_str_eq(p.comm, "my (app)");
	/* a zombie has released its IPC: not alive */
	ck_assert_int_eq(procscan_proc(&ps, 200, &p), -1);
	ck_assert_int_eq(procscan_proc(&ps, 999, &p), -1);
	procscan_release(&ps);
}
END_TEST

START_TEST(attachers)
{
	const struct orphan_attacher *a;
	struct procscan ps;

	procscan_init(&ps, root, false, 0);
	ck_assert_int_eq(procscan_scan_maps(&ps), 0);
	ck_assert_uint_eq(procscan_attachers(&ps, 5, &a), 2);
	ck_assert_int_eq(a[0].pid, 100);
	ck_assert_str_eq(a[0].comm, "my (app)");
	ck_assert_int_eq(a[1].pid, 300);
	ck_assert_str_eq(a[1].comm, "other");
	ck_assert_uint_eq(procscan_attachers(&ps, 32768, &a), 1);
	ck_assert_int_eq(a[0].pid, 100);
	ck_assert_uint_eq(procscan_attachers(&ps, 6, &a), 0);
	ck_assert_ptr_null(a);
	procscan_release(&ps);
}
END_TEST

START_TEST(effects_without_live_kernel)
{
	struct orphan_effects fx;
	struct procscan ps;
	pid_t pids[2];

	procscan_init(&ps, root, false, 0);
	procscan_effects(&ps, false, &fx);
	ck_assert_ptr_null(fx.shm_attachers);
	/* a fixture tree has no semaphores to ask */
	ck_assert_int_eq(fx.sem_pids(fx.ctx, 0, 2, pids), -1);
	procscan_release(&ps);
}
END_TEST

static Suite *
procscan_suite(void)
{
	Suite *s = suite_create("procscan");
	TCase *tc = tcase_create("tree");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, start_times);
	tcase_add_test(tc, attachers);
	tcase_add_test(tc, effects_without_live_kernel);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(procscan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
