/*
 * check_explain.c: unit tests of explain.c on hand-made namespace
 * states: a failure the state still gives is reproduced with cause.c's
 * words; one it no longer gives would succeed now, or fail another way;
 * an errno fit does not replay keeps its meaning; a success is judged
 * now too.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "explain.h"

/* Whether S begins with P. */
#define PREFIX(s, p) (strncmp((s), (p), strlen(p)) == 0)

static struct ipccall_ns_state st;
static struct ipccall_caller who;
static struct kstate ks;
static struct explain_result res;
static char err[256];

/* Kernel defaults, an empty namespace, 4 KiB pages. */
static void
setup(void)
{
	memset(&st, 0, sizeof(st));
	st.shmmax_bytes = 1ull << 40;
	st.shmall_pages = 1ull << 30;
	st.shmmni = 4096;
	st.sem[0] = 32000;
	st.sem[1] = 1024000000;
	st.sem[2] = 500;
	st.sem[3] = 32000;
	st.msgmax_bytes = 8192;
	st.msgmnb_bytes = 16384;
	st.msgmni = 32000;
	memset(&who, 0, sizeof(who));
	who.uid = 1000;
	who.gid = 100;
}

/* Judge CALL(A0, A1, A2) which failed with E (0: succeeded). */
static int
judge(enum ipc_call call, uint64_t a0, uint64_t a1, uint64_t a2, int e)
{
	struct ipccall_args a = { .call = call, .a = { a0, a1, a2, 0 } };

	cause_kstate(&st, 4096, &ks);
	return explain_call(&a, e != 0, e, &who, &ks, &res, err,
	    sizeof(err));
}

START_TEST(test_reproduced)
{
	st.sem[3] = 4;
	st.sem_arrays = 4;
	ck_assert_int_eq(judge(IPCCALL_SEMGET, 0, 17, 01600, ENOSPC), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_str_eq(res.cause.code, "semmni");
	ck_assert_int_eq(res.now_err, ENOSPC);
	ck_assert_ptr_nonnull(strstr(res.cause.text, "4 of 4"));
	ck_assert_ptr_nonnull(strstr(res.cause.fix, "to 5"));
}
END_TEST

START_TEST(test_succeeds_now)
{
	st.sem[3] = 4;
	st.sem_arrays = 3;	/* one was removed since */
	ck_assert_int_eq(judge(IPCCALL_SEMGET, 0, 17, 01600, ENOSPC), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_SUCCEEDS_NOW);
	ck_assert_str_eq(res.cause.code, "not_reproduced");
	ck_assert(!res.cause.limit);
	ck_assert(PREFIX(res.cause.text, "this call would succeed "
	    "now: "));
	ck_assert_str_eq(res.cause.fix, "");
	ck_assert_int_eq(res.now_err, 0);
}
END_TEST

START_TEST(test_fails_other)
{
	st.sem[0] = 10;		/* SEMMSL lowered since the ENOSPC */
	ck_assert_int_eq(judge(IPCCALL_SEMGET, 0, 17, 01600, ENOSPC), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_FAILS_OTHER);
	ck_assert_int_eq(res.now_err, EINVAL);
	ck_assert_str_eq(res.cause.code, "semmsl");
	ck_assert(PREFIX(res.cause.text, "now it would fail with "
	    "EINVAL instead: semget EINVAL: "));
}
END_TEST

START_TEST(test_not_replayed)
{
	/* EIDRM, and EINVAL from semop (an id ipctune cannot judge) */
	ck_assert_int_eq(judge(IPCCALL_SEMOP, 3, 0, 1, EIDRM), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_EXPLAINED);
	ck_assert_str_eq(res.cause.code, "removed");
	ck_assert_int_eq(judge(IPCCALL_SEMOP, 3, 0, 1, EINVAL), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_EXPLAINED);
	ck_assert_str_eq(res.cause.code, "invalid");
	/* a keyed errno on IPC_PRIVATE: no key to look up */
	ck_assert_int_eq(judge(IPCCALL_SEMGET, 0, 1, 0600, ENOENT), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_EXPLAINED);
	/* shmat: fit has no such call */
	ck_assert_int_eq(judge(IPCCALL_SHMAT, 3, 0, 0, ENOMEM), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_EXPLAINED);
}
END_TEST

START_TEST(test_success)
{
	ck_assert_int_eq(judge(IPCCALL_SEMOP, 3, 0, 5, 0), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_SUCCEEDED);
	ck_assert_str_eq(res.cause.code, "ok");
	ck_assert_str_eq(res.cause.text, "this call succeeded, and would "
	    "succeed now");
	st.sem[2] = 4;
	ck_assert_int_eq(judge(IPCCALL_SEMOP, 3, 0, 5, 0), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_FAILS_NOW);
	ck_assert_str_eq(res.cause.code, "semopm");
	ck_assert_int_eq(res.now_err, E2BIG);
	ck_assert(PREFIX(res.cause.text, "this call succeeded, but "
	    "would fail now: semop E2BIG: "));
	ck_assert_int_eq(judge(IPCCALL_SHMAT, 3, 0, 0, 0), 0);
	ck_assert_str_eq(res.cause.text, "this call succeeded");
}
END_TEST

START_TEST(test_hostile)
{
	struct ipccall_args a = { .call = IPCCALL_COUNT };

	cause_kstate(&st, 4096, &ks);
	ck_assert_int_eq(explain_call(&a, true, ENOSPC, &who, &ks, &res, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(strncmp(err, "unknown IPC call", 16), 0);
	/* a negative nsems (an int in the kernel) and a huge nsops */
	ck_assert_int_eq(judge(IPCCALL_SEMGET, 0, 0xffffffffu, 01600,
	    EINVAL), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_int_eq(judge(IPCCALL_SEMOP, 1, 0, UINT64_MAX, E2BIG), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
}
END_TEST

static Suite *
explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_reproduced);
	tcase_add_test(tc, test_succeeds_now);
	tcase_add_test(tc, test_fails_other);
	tcase_add_test(tc, test_not_replayed);
	tcase_add_test(tc, test_success);
	tcase_add_test(tc, test_hostile);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(explain_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
