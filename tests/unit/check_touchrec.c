/*
 * check_touchrec.c: unit tests of touchrec.c in a scratch directory:
 * records round-trip, are kept per IPC namespace, replace the record of
 * the same object, are capped at TOUCHREC_MAX, and a damaged file is an
 * error that leaves the file alone (12.A6).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "touchrec.h"

static char dir[] = "/tmp/check_touchrec.XXXXXX";
static char path[4200];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, TOUCHREC_NAME);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(dir);
	strcpy(dir, "/tmp/check_touchrec.XXXXXX");
}

static struct orphan_touch
touch(enum ipc_type type, int id, uint32_t key, pid_t lpid)
{
	struct orphan_touch t;

	memset(&t, 0, sizeof(t));
	t.type = type;
	t.id = id;
	t.key = key;
	t.at = 1800000000;
	t.left_ctime = t.left_atime = t.left_dtime = 1800000000;
	t.left_lpid = 4242;
	t.ctime = 1700000000;
	t.atime = 1700000001;
	t.dtime = 1700000002;
	t.lpid = lpid;
	return t;
}

START_TEST(test_missing_file_is_no_records)
{
	struct orphan_touch *t = NULL;
	size_t n = 7;
	char err[512];

	ck_assert_int_eq(touchrec_load(path, 1, &t, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(t);
}
END_TEST

START_TEST(test_round_trip_per_namespace)
{
	struct orphan_touch a = touch(IPC_SHM, 3, 0x4141, 77);
	struct orphan_touch b = touch(IPC_SEM, 3, 0x4141, 0);
	struct orphan_touch *t = NULL;
	size_t n = 0;
	char err[512];

	ck_assert_int_eq(touchrec_add(path, 11, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(touchrec_add(path, 11, &b, err, sizeof(err)), 0);
	ck_assert_int_eq(touchrec_add(path, 12, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(touchrec_load(path, 11, &t, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(t[0].type, IPC_SHM);
	ck_assert_int_eq(t[0].id, 3);
	ck_assert_uint_eq(t[0].key, 0x4141);
	ck_assert_int_eq(t[0].lpid, 77);
	ck_assert_int_eq(t[0].left_lpid, 4242);
	ck_assert_int_eq(t[0].atime, 1700000001);
	ck_assert_int_eq(t[0].dtime, 1700000002);
	ck_assert_int_eq(t[0].left_ctime, 1800000000);
	ck_assert_int_eq(t[1].type, IPC_SEM);
	free(t);
	ck_assert_int_eq(touchrec_load(path, 13, &t, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 0);
	free(t);
	/* the same object again: its record is replaced, not added */
	a.lpid = 78;
	ck_assert_int_eq(touchrec_add(path, 11, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(touchrec_load(path, 11, &t, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(t[1].type, IPC_SHM);
	ck_assert_int_eq(t[1].lpid, 78);
	free(t);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_capped_to_the_newest)
{
	struct orphan_touch a, *t = NULL;
	size_t n = 0;
	char err[512];
	FILE *fp;

	/* a full file written directly (an add per record would be slow) */
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("{\"schema_version\": 1, \"document\": \"clean_touched\", "
	    "\"objects\": [", fp);
	for (int i = 0; i < TOUCHREC_MAX; i++)
		fprintf(fp, "%s{\"type\": \"msg\", \"ipc_ns_inode\": 1, "
		    "\"id\": %d, \"key\": %d, \"at_unix\": 1, "
		    "\"left_ctime_unix\": 2, \"left_atime_unix\": 0, "
		    "\"left_dtime_unix\": 0, \"left_lpid\": 0, "
		    "\"ctime_unix\": 1, \"atime_unix\": 0, \"dtime_unix\": 0, "
		    "\"lpid\": 0}", i ? ", " : "", i, 0x100 + i);
	fputs("]}", fp);
	fclose(fp);
	ck_assert_int_eq(touchrec_load(path, 1, &t, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, TOUCHREC_MAX);
	free(t);
	a = touch(IPC_SHM, 9999, 0x9999, 0);
	ck_assert_int_eq(touchrec_add(path, 1, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(touchrec_load(path, 1, &t, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, TOUCHREC_MAX);
	ck_assert_int_eq(t[0].id, 1);
	ck_assert_int_eq(t[n - 1].id, 9999);
	free(t);
}
END_TEST

START_TEST(test_damaged_file_is_an_error)
{
	static const char *const bad[] = {
		"junk",
		"{\"document\": \"history\", \"objects\": []}",
		"{\"document\": \"clean_touched\", \"objects\": "
		    "[{\"type\": \"shm\", \"id\": -1}]}",
		"{\"document\": \"clean_touched\", \"objects\": "
		    "[{\"type\": \"xyz\"}]}",
	};
	struct orphan_touch a = touch(IPC_SHM, 1, 1, 1), *t = NULL;
	size_t n = 0;
	char err[512], buf[256];
	FILE *fp;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fp = fopen(path, "w");
		ck_assert_ptr_nonnull(fp);
		fputs(bad[i], fp);
		fclose(fp);
		ck_assert_int_eq(touchrec_load(path, 1, &t, &n, err,
		    sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "is not a record"));
		/* adding refuses too: the file is not silently emptied */
		ck_assert_int_eq(touchrec_add(path, 1, &a, err, sizeof(err)),
		    -1);
		fp = fopen(path, "r");
		ck_assert_ptr_nonnull(fp);
		ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), fp));
		fclose(fp);
		ck_assert_str_eq(buf, bad[i]);
	}
}
END_TEST

static Suite *
touchrec_suite(void)
{
	Suite *s = suite_create("touchrec");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_missing_file_is_no_records);
	tcase_add_test(tc, test_round_trip_per_namespace);
	tcase_add_test(tc, test_capped_to_the_newest);
	tcase_add_test(tc, test_damaged_file_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(touchrec_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
