/*
 * check_loadstate.c: the scan policy 'status' and 'check' share: which
 * object tables are read after the counters, the cap of
 * LOADSTATE_SCAN_MAX objects of a type, and every table when the judge
 * needs them; and which object types a nearly full resource names.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "loadstate.h"

static struct kstate
counters(uint64_t segs, uint64_t arrays, uint64_t queues, uint64_t bytes)
{
	struct kstate ks;

	memset(&ks, 0, sizeof(ks));
	ks.usage.shm_segments = segs;
	ks.usage.sem_arrays = arrays;
	ks.usage.msg_queues = queues;
	ks.usage.msg_bytes = bytes;
	return ks;
}

START_TEST(rows_under_the_cap)
{
	struct kstate ks = counters(3, 2, 5, 100);
	struct loadstate_scan p = { .rows = KS_OBJECTS };

	ck_assert_uint_eq(loadstate_want(&ks, &p), KS_SYSV_OBJECTS);
	p.rows = KS_SEM;
	ck_assert_uint_eq(loadstate_want(&ks, &p), KS_SEM);
	p.rows = 0;
	ck_assert_uint_eq(loadstate_want(&ks, &p), 0);
}
END_TEST

START_TEST(empty_types_not_read)
{
	/* no message queued anywhere: every queue is empty */
	struct kstate ks = counters(0, 0, 7, 0);
	struct loadstate_scan p = { .rows = KS_OBJECTS };

	ck_assert_uint_eq(loadstate_want(&ks, &p), 0);
}
END_TEST

START_TEST(cap_and_scan)
{
	struct kstate ks = counters(LOADSTATE_SCAN_MAX + 1,
	    LOADSTATE_SCAN_MAX, LOADSTATE_SCAN_MAX + 1, 1);
	struct loadstate_scan p = { .rows = KS_OBJECTS };

	ck_assert_uint_eq(loadstate_want(&ks, &p), KS_SEM);
	p.scan = true;
	ck_assert_uint_eq(loadstate_want(&ks, &p), KS_SYSV_OBJECTS);
}
END_TEST

START_TEST(every_table_for_the_judge)
{
	/*
	 * counted empty or over the cap: the judge needs each table, the
	 * POSIX ones (with their holders) too
	 */
	struct kstate ks = counters(0, LOADSTATE_SCAN_MAX + 1, 0, 0);
	struct loadstate_scan p = { .every = IPC_TYPES_ALL };

	ck_assert_uint_eq(loadstate_want(&ks, &p),
	    KS_SYSV_OBJECTS | KS_POSIX_OBJECTS);
}
END_TEST

START_TEST(every_table_of_the_judged_types)
{
	/* the judged types whole, the others as the rows ask */
	struct kstate ks = counters(0, LOADSTATE_SCAN_MAX + 1, 3, 0);
	struct loadstate_scan p = { .every = IPC_TYPE_BIT(IPC_SEM) |
	    IPC_TYPE_BIT(IPC_PMQ), .rows = KS_OBJECTS };

	ck_assert_uint_eq(loadstate_want(&ks, &p), KS_SEM | KS_PMQ);
}
END_TEST

START_TEST(over_the_cap_by_counters)
{
	struct kstate ks = counters(LOADSTATE_SCAN_MAX + 1,
	    LOADSTATE_SCAN_MAX, LOADSTATE_SCAN_MAX + 1, 0);

	ck_assert_uint_eq(loadstate_over_cap(&ks), IPC_TYPE_BIT(IPC_SHM) |
	    IPC_TYPE_BIT(IPC_MSG));
	/* a POSIX count only where a counter exists */
	ks.usage.mq_queues = LOADSTATE_SCAN_MAX + 1;
	ck_assert_uint_eq(loadstate_over_cap(&ks) & IPC_TYPE_BIT(IPC_PMQ), 0);
	ks.usage.has_mq_queues = true;
	ck_assert_uint_eq(loadstate_over_cap(&ks) & IPC_TYPE_BIT(IPC_PMQ),
	    IPC_TYPE_BIT(IPC_PMQ));
	/* the files of /dev/shm share its inodes: both POSIX file types */
	ks.usage.dev_shm_inodes_used = LOADSTATE_SCAN_MAX + 1;
	ck_assert_uint_eq(loadstate_over_cap(&ks) & IPC_TYPE_BIT(IPC_PSHM), 0);
	ks.usage.has_dev_shm_inodes = true;
	ck_assert_uint_eq(loadstate_over_cap(&ks) & (IPC_TYPE_BIT(IPC_PSHM) |
	    IPC_TYPE_BIT(IPC_PSEM)), IPC_TYPE_BIT(IPC_PSHM) |
	    IPC_TYPE_BIT(IPC_PSEM));
	ks.usage.dev_shm_inodes_used = LOADSTATE_SCAN_MAX;
	ck_assert_uint_eq(loadstate_over_cap(&ks) & IPC_TYPE_BIT(IPC_PSHM), 0);
}
END_TEST

START_TEST(leak_types_of_full_resources)
{
	struct model m;

	memset(&m, 0, sizeof(m));
	ck_assert_uint_eq(loadstate_leak_types(&m), 0);
	m.res[R_SEMMNS].has_ratio = true;
	m.res[R_SEMMNS].ratio = MODEL_WARN_RATIO;
	m.res[R_MSGMNI].has_ratio = true;
	m.res[R_MSGMNI].ratio = MODEL_WARN_RATIO - 0.01;
	ck_assert_uint_eq(loadstate_leak_types(&m), IPC_TYPE_BIT(IPC_SEM));
	m.res[R_SHMALL].has_ratio = true;
	m.res[R_SHMALL].ratio = 1.0;
	ck_assert_uint_eq(loadstate_leak_types(&m), IPC_TYPE_BIT(IPC_SEM) |
	    IPC_TYPE_BIT(IPC_SHM));
}
END_TEST

static Suite *
loadstate_suite(void)
{
	Suite *s = suite_create("loadstate");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, rows_under_the_cap);
	tcase_add_test(tc, empty_types_not_read);
	tcase_add_test(tc, cap_and_scan);
	tcase_add_test(tc, every_table_for_the_judge);
	tcase_add_test(tc, every_table_of_the_judged_types);
	tcase_add_test(tc, over_the_cap_by_counters);
	tcase_add_test(tc, leak_types_of_full_resources);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(loadstate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
