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
	st.mq_queues_max = 256;
	st.mq_msg_max = 10;
	st.mq_msgsize_max = 8192;
	st.mq_msg_default = 10;
	st.mq_msgsize_default = 8192;
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

/* mq_open(NAME, O_RDWR|O_CREAT, 0600, {MAXMSG, MSGSIZE}) failed with E. */
static int
judge_mq_open(int64_t maxmsg, int64_t msgsize, int e)
{
	struct ipccall_args a = { .call = IPCCALL_MQ_OPEN,
	    .a = { 0, 0102, 0600, 0 } };

	strcpy(a.mq.name, "q.2");
	a.mq.has_attr = true;
	a.mq.maxmsg = maxmsg;
	a.mq.msgsize = msgsize;
	cause_kstate(&st, 4096, &ks);
	return explain_call(&a, e != 0, e, &who, &ks, &res, err,
	    sizeof(err));
}

START_TEST(test_mq_open)
{
	st.mq_queues = 2;
	st.mq_queues_max = 2;
	ck_assert_int_eq(judge_mq_open(4, 64, ENOSPC), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_str_eq(res.cause.code, "mqueue_queues_max");
	ck_assert(PREFIX(res.cause.text, "mq_open ENOSPC: this IPC namespace "
	    "holds 2 queues and fs.mqueue.queues_max is 2"));
	ck_assert_int_eq(res.now_err, ENOSPC);
	st.mq_queues_max = 256;
	ck_assert_int_eq(judge_mq_open(4, 64, ENOSPC), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_SUCCEEDS_NOW);
	/* zero or negative attributes: mq_attr_ok() refuses them first */
	ck_assert_int_eq(judge_mq_open(-1, 64, EINVAL), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_str_eq(res.cause.code, "mqueue_attr_zero");
	ck_assert_int_eq(judge_mq_open(4, 0, EINVAL), 0);
	ck_assert_str_eq(res.cause.code, "mqueue_attr_zero");
	ck_assert_int_eq(judge_mq_open(11, 64, EINVAL), 0);
	ck_assert_str_eq(res.cause.code, "mqueue_msg_max");
	ck_assert_int_eq(judge_mq_open(4, 9000, EINVAL), 0);
	ck_assert_str_eq(res.cause.code, "mqueue_msgsize_max");
	/* EMFILE: this queue alone above the caller's RLIMIT_MSGQUEUE */
	who.has_rlimit_msgqueue = true;
	who.rlimit_msgqueue = 1000;
	ck_assert_int_eq(judge_mq_open(10, 8192, EMFILE), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_str_eq(res.cause.code, "mqueue_rlimit");
	ck_assert_ptr_nonnull(strstr(res.cause.fix, "LimitMSGQUEUE="));
	who.rlimit_msgqueue = UINT64_MAX;
	ck_assert_int_eq(judge_mq_open(10, 8192, EMFILE), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_SUCCEEDS_NOW);
	/* a success that the state would refuse now */
	st.mq_msg_max = 3;
	ck_assert_int_eq(judge_mq_open(4, 64, 0), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_FAILS_NOW);
	ck_assert_int_eq(res.now_err, EINVAL);
}
END_TEST

START_TEST(test_mq_open_not_limits)
{
	struct ipccall_args a = { .call = IPCCALL_MQ_OPEN, .a = { 0, 02 } };

	cause_kstate(&st, 4096, &ks);
	strcpy(a.mq.name, "nosuch");
	ck_assert_int_eq(explain_call(&a, true, ENOENT, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_EXPLAINED);
	ck_assert_str_eq(res.cause.code, "not_found");
	ck_assert(!res.cause.limit);
	ck_assert_int_eq(explain_call(&a, true, EACCES, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(res.cause.code, "permission");
	ck_assert_ptr_nonnull(strstr(res.cause.text, "queue nosuch"));
	/* O_CREAT with an attr that was not read: only ENOSPC is judged */
	a.a[1] = 0102;
	a.a[3] = 0x7ffe0000;
	st.mq_queues = st.mq_queues_max = 2;
	cause_kstate(&st, 4096, &ks);
	ck_assert_int_eq(explain_call(&a, true, ENOSPC, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	st.mq_msg_max = 1;
	cause_kstate(&st, 4096, &ks);
	ck_assert_int_eq(explain_call(&a, true, EINVAL, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_EXPLAINED);
	ck_assert_str_eq(res.cause.code, "invalid");
}
END_TEST

/* mq_timedsend(3, MSG_LEN) failed with E; the queue's attributes if Q. */
static int
judge_send(uint64_t len, bool q, int64_t cur, int e)
{
	struct ipccall_args a = { .call = IPCCALL_MQ_TIMEDSEND,
	    .a = { 3, 0, len, 0 } };

	a.mq.has_queue = q;
	a.mq.q_maxmsg = 2;
	a.mq.q_msgsize = 64;
	a.mq.q_curmsgs = cur;
	cause_kstate(&st, 4096, &ks);
	return explain_call(&a, e != 0, e, &who, &ks, &res, err,
	    sizeof(err));
}

START_TEST(test_mq_timedsend)
{
	ck_assert_int_eq(judge_send(16, true, 2, EAGAIN), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_str_eq(res.cause.code, "queue_full");
	ck_assert_ptr_nonnull(strstr(res.cause.text, "it holds 2 of 2"));
	ck_assert_int_eq(judge_send(16, true, 2, ETIMEDOUT), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_str_eq(res.cause.code, "timed_out");
	ck_assert_int_eq(judge_send(100, true, 0, EMSGSIZE), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_REPRODUCED);
	ck_assert_ptr_nonnull(strstr(res.cause.text,
	    "msg_len 100 > mq_msgsize 64"));
	/* drained since: it would succeed; too long now: another errno */
	ck_assert_int_eq(judge_send(16, true, 0, EAGAIN), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_SUCCEEDS_NOW);
	ck_assert_int_eq(judge_send(100, true, 2, EAGAIN), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_FAILS_OTHER);
	ck_assert_int_eq(res.now_err, EMSGSIZE);
	/* the queue unknown: the errno's meaning, and that it is unknown */
	ck_assert_int_eq(judge_send(100, false, 0, EMSGSIZE), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_EXPLAINED);
	ck_assert_ptr_nonnull(strstr(res.cause.text,
	    "the queue's attributes are unknown"));
	/* a success on a full queue would block now */
	ck_assert_int_eq(judge_send(16, true, 2, 0), 0);
	ck_assert_int_eq(res.verdict, EXPLAIN_FAILS_NOW);
	ck_assert_int_eq(res.now_err, EAGAIN);
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
	tcase_add_test(tc, test_mq_open);
	tcase_add_test(tc, test_mq_open_not_limits);
	tcase_add_test(tc, test_mq_timedsend);
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
