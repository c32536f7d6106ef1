/*
 * Unit tests for kstate.c: the kernel bounds and the "no limit" value
 * that sit beside the sysctl table.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>

#include "ipctune.h"

START_TEST(test_unlimited)
{
	/* SHMMAX and SHMALL in include/uapi/linux/shm.h */
	ck_assert_uint_eq(SYSCTL_UNLIMITED, (uint64_t)ULONG_MAX -
	    (1ull << 24));
	ck_assert_uint_eq(sysctl_table[SC_SHMMAX].kernel_default,
	    SYSCTL_UNLIMITED);
	ck_assert_uint_eq(sysctl_table[SC_SHMALL].kernel_default,
	    SYSCTL_UNLIMITED);
}
END_TEST

START_TEST(test_max)
{
	/* size_t sysctls take any unsigned long */
	ck_assert_uint_eq(sysctl_max(SC_SHMMAX, 0, IPC_MNI_DEFAULT),
	    UINT64_MAX);
	ck_assert_uint_eq(sysctl_max(SC_SHMALL, 0, IPC_MNI_DEFAULT),
	    UINT64_MAX);
	/* IPCMNI bounds shmmni, msgmni and SEMMNI, and only them */
	ck_assert_uint_eq(sysctl_max(SC_SHMMNI, 0, IPC_MNI_DEFAULT),
	    IPC_MNI_DEFAULT);
	ck_assert_uint_eq(sysctl_max(SC_MSGMNI, 0, IPC_MNI_EXTEND),
	    IPC_MNI_EXTEND);
	ck_assert_uint_eq(sysctl_max(SC_SEM, SEM_SEMMNI, IPC_MNI_DEFAULT),
	    IPC_MNI_DEFAULT);
	for (int k = 0; k < SEM_SEMMNI; k++)
		ck_assert_uint_eq(sysctl_max(SC_SEM, k, IPC_MNI_DEFAULT),
		    INT32_MAX);
	/* proc_dointvec refuses an unsigned int above INT_MAX */
	ck_assert_uint_eq(sysctl_max(SC_MQ_QUEUES_MAX, 0, IPC_MNI_DEFAULT),
	    INT32_MAX);
	/* the table's own range otherwise (ipc/mq_sysctl.c) */
	ck_assert_uint_eq(sysctl_max(SC_MQ_MSG_MAX, 0, IPC_MNI_DEFAULT),
	    65536);
	ck_assert_uint_eq(sysctl_max(SC_SHM_RMID_FORCED, 0,
	    IPC_MNI_DEFAULT), 1);
}
END_TEST

START_TEST(test_kernel_default)
{
	uint64_t v[SEM_NFIELDS] = { 0 };

	/* include/uapi/linux/sem.h */
	sysctl_kernel_default(SC_SEM, v);
	ck_assert_uint_eq(v[SEM_SEMMSL], 32000);
	ck_assert_uint_eq(v[SEM_SEMMNS], 1024000000);
	ck_assert_uint_eq(v[SEM_SEMOPM], 500);
	ck_assert_uint_eq(v[SEM_SEMMNI], 32000);
	sysctl_kernel_default(SC_SHMALL, v);
	ck_assert_uint_eq(v[0], SYSCTL_UNLIMITED);
	sysctl_kernel_default(SC_MSGMNB, v);
	ck_assert_uint_eq(v[0], 16384);
}
END_TEST

START_TEST(test_min)
{
	ck_assert_uint_eq(sysctl_min(SC_SHMMAX), 0);
	ck_assert_uint_eq(sysctl_min(SC_MQ_MSG_MAX), 1);
	ck_assert_uint_eq(sysctl_min(SC_MQ_MSGSIZE_MAX), 128);
	ck_assert_uint_eq(sysctl_min(SC_MQ_MSGSIZE_DEFAULT), 128);
}
END_TEST

static Suite *
kstate_suite(void)
{
	Suite *s = suite_create("kstate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_unlimited);
	tcase_add_test(tc, test_max);
	tcase_add_test(tc, test_kernel_default);
	tcase_add_test(tc, test_min);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(kstate_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
