/*
 * Unit tests for semprobe.c (issue 18, speed): the answers read ahead
 * are found by id and size, errors come back with their errno, and any
 * number of threads reads the same.  Only ids no array has are asked
 * (semctl answers EINVAL); no IPC object is made.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "semprobe.h"

#define N 300

static struct sem_obj sems[N];

static void
fill(void)
{
	memset(sems, 0, sizeof(sems));
	for (size_t i = 0; i < N; i++) {
		/* the highest ids: index bits no array of a test host has */
		sems[i].perm.id = INT_MAX - (int)(i * 7);
		sems[i].nsems = 1 + i % 5;
	}
}

START_TEST(test_18_lookup_and_errors)
{
	static const unsigned threads[] = { 1, 2, 3, 64 };
	struct semprobe sp;
	struct semprobe_skip skip;
	pid_t pids[8];
	uint64_t w;
	int rc;

	fill();
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		semprobe_run(&sp, sems, N, threads[t], NULL);
		ck_assert_uint_eq(sp.n, N);
		for (size_t i = 0; i < N; i++) {
			errno = 0;
			ck_assert(semprobe_pids(&sp, sems[i].perm.id,
			    sems[i].nsems, pids, &rc));
			ck_assert_int_eq(rc, -1);
			ck_assert_int_eq(errno, EINVAL);
			errno = 0;
			ck_assert(semprobe_waiting(&sp, sems[i].perm.id,
			    sems[i].nsems, &w, &rc));
			ck_assert_int_eq(rc, -1);
			ck_assert_int_eq(errno, EINVAL);
			/* another size: not this array, ask the kernel */
			ck_assert(!semprobe_pids(&sp, sems[i].perm.id,
			    sems[i].nsems + 1, pids, &rc));
		}
		ck_assert(!semprobe_pids(&sp, 12345, 1, pids, &rc));
		ck_assert(!semprobe_waiting(&sp, 12345, 1, &w, &rc));
		semprobe_release(&sp);
	}
	/*
	 * Skipped waiters are only those of arrays whose PIDs all read 0:
	 * a failed GETPID keeps them; an entry not read is not answered.
	 */
	skip.now = 1000;
	skip.min_age_s = UINT64_MAX;
	semprobe_run(&sp, sems, N, 2, &skip);
	for (size_t i = 0; i < N; i++)
		ck_assert(semprobe_waiting(&sp, sems[i].perm.id,
		    sems[i].nsems, &w, &rc));
	sp.e[0].wait_read = false;
	ck_assert(!semprobe_waiting(&sp, sp.e[0].id, sp.e[0].nsems, &w,
	    &rc));
	ck_assert(semprobe_pids(&sp, sp.e[0].id, sp.e[0].nsems, pids, &rc));
	semprobe_release(&sp);
	ck_assert(!semprobe_pids(NULL, 1, 1, pids, &rc));
	semprobe_run(&sp, sems, 0, 2, NULL);
	ck_assert(!semprobe_pids(&sp, sems[0].perm.id, 1, pids, &rc));
	semprobe_release(&sp);
	ck_assert_uint_ge(semprobe_threads(), 1);
}
END_TEST

static Suite *
semprobe_suite(void)
{
	Suite *s = suite_create("semprobe");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_18_lookup_and_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(semprobe_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
