/*
 * check_cause.c: unit tests of cause.c (and the call table of
 * ipccall.c it reads) on hand-made namespace states: a limit is named
 * only when fit fails the call with the errno the kernel gave; every
 * other errno says what it is; the state built from the kernel's
 * numbers; hostile arguments.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cause.h"

static struct ipccall_ns_state st;
static struct ipccall_caller who;
static struct kstate ks;
static struct cause_result res;
static char err[256];

/* Kernel defaults, an empty namespace, 4 KiB pages, caller PID 42. */
static void
setup(void)
{
	memset(&st, 0, sizeof(st));
	st.shmmax_bytes = 18446744073692774399ull;
	st.shmall_pages = 18446744073692774399ull;
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
	who.pid = 42;
	who.uid = 1000;
	who.gid = 100;
}

/* Explain CALL(A0, A1, A2, A3) failing with E on the state ST. */
static int
explain(enum ipc_call call, uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, int e)
{
	struct ipccall_args a = { .call = call, .a = { a0, a1, a2, a3 } };

	cause_kstate(&st, 4096, &ks);
	return cause_explain(&a, e, &who, &ks, &res, err, sizeof(err));
}

START_TEST(test_kstate)
{
	st.sem[2] = -1;
	st.sem_arrays = 3;
	st.shm_pages = 9;
	cause_kstate(&st, 4096, &ks);
	ck_assert(ks.sysctl[SC_SHMMAX].present);
	ck_assert_uint_eq(ks.sysctl[SC_SHMMNI].v[0], 4096);
	ck_assert_uint_eq(ks.sysctl[SC_MSGMNB].v[0], 16384);
	ck_assert(ks.sysctl[SC_SEM].negative);
	ck_assert_str_eq(ks.sysctl[SC_SEM].raw, "32000 1024000000 -1 32000");
	ck_assert(ks.has_usage);
	ck_assert_uint_eq(ks.usage.sem_arrays, 3);
	ck_assert_uint_eq(ks.usage.shm_pages, 9);
	ck_assert_uint_eq(ks.host.page_size, 4096);
}
END_TEST

START_TEST(test_semmni)
{
	st.sem[3] = 4;
	st.sem_arrays = 4;
	ck_assert_int_eq(explain(IPCCALL_SEMGET, 0, 1, 01600, 0, ENOSPC), 0);
	ck_assert_str_eq(res.code, "semmni");
	ck_assert(res.limit);
	ck_assert_int_eq(res.fit, FIT_SEMMNI);
	ck_assert_msg(strncmp(res.text, "semget ENOSPC: SEMMNI", 21) == 0,
	    "%s", res.text);
	ck_assert_ptr_nonnull(strstr(res.text, "4 of 4"));
	ck_assert_ptr_nonnull(strstr(res.fix, "to 5"));
	ck_assert_ptr_nonnull(strstr(res.fix, "ipctune orphans --pid 42"));
	/* the same state, another errno: not the limit */
	ck_assert_int_eq(explain(IPCCALL_SEMGET, 0, 1, 01600, 0, EACCES), 0);
	ck_assert_str_eq(res.code, "permission");
	ck_assert(!res.limit);
	ck_assert_int_eq(res.fit, FIT_OK);
}
END_TEST

START_TEST(test_no_pid_no_orphans_hint)
{
	st.sem[3] = 1;
	st.sem_arrays = 1;
	who.pid = 0;
	explain(IPCCALL_SEMGET, 0, 1, 01600, 0, ENOSPC);
	ck_assert_ptr_null(strstr(res.fix, "orphans"));
}
END_TEST

START_TEST(test_semopm)
{
	st.sem[2] = 32;
	explain(IPCCALL_SEMOP, 5, 0x1000, 33, 0, E2BIG);
	ck_assert_str_eq(res.code, "semopm");
	ck_assert_msg(strncmp(res.text, "semop E2BIG: ", 13) == 0, "%s",
	    res.text);
	ck_assert_ptr_nonnull(strstr(res.fix, "to 33"));
	explain(IPCCALL_SEMTIMEDOP, 5, 0x1000, 33, 0x2000, E2BIG);
	ck_assert_str_eq(res.code, "semopm");
	ck_assert_msg(strncmp(res.text, "semtimedop E2BIG: ", 18) == 0,
	    "%s", res.text);
	/* within SEMOPM, E2BIG has no explanation */
	explain(IPCCALL_SEMOP, 5, 0x1000, 3, 0, E2BIG);
	ck_assert_str_eq(res.code, "other");
}
END_TEST

START_TEST(test_shm)
{
	st.shmmax_bytes = 1048576;
	explain(IPCCALL_SHMGET, 0, 2097152, 01600, 0, EINVAL);
	ck_assert_str_eq(res.code, "shmmax");
	ck_assert_ptr_nonnull(strstr(res.fix, "kernel.shmmax"));
	/* within shmmax: a keyed get's mismatch, a private one's invalid */
	explain(IPCCALL_SHMGET, 0x1234, 4096, 0600, 0, EINVAL);
	ck_assert_str_eq(res.code, "mismatch");
	ck_assert_ptr_nonnull(strstr(res.text, "key 0x00001234"));
	explain(IPCCALL_SHMGET, 0, 4096, 0600, 0, ENOMEM);
	ck_assert_str_eq(res.code, "memory");
	ck_assert_ptr_nonnull(strstr(res.text, "huge pages"));
	st.shmall_pages = 16;
	explain(IPCCALL_SHMGET, 0, 524288, 01600, 0, ENOSPC);
	ck_assert_str_eq(res.code, "shmall");
	st.shmall_pages = 1000;
	st.shmmni = 2;
	st.shm_segments = 2;
	explain(IPCCALL_SHMGET, 0, 4096, 01600, 0, ENOSPC);
	ck_assert_str_eq(res.code, "shmmni");
	ck_assert_ptr_nonnull(strstr(res.fix, "kernel.shmmni to 3"));
}
END_TEST

START_TEST(test_msg)
{
	st.msgmax_bytes = 1024;
	explain(IPCCALL_MSGSND, 3, 0x1000, 2048, 04000, EINVAL);
	ck_assert_str_eq(res.code, "msgmax");
	explain(IPCCALL_MSGSND, 3, 0x1000, 100, 04000, EAGAIN);
	ck_assert_str_eq(res.code, "queue_full");
	ck_assert(res.limit);
	st.msgmni = 1;
	st.msg_queues = 1;
	explain(IPCCALL_MSGGET, 0, 01600, 0, 0, ENOSPC);
	ck_assert_str_eq(res.code, "msgmni");
	ck_assert_msg(strncmp(res.text, "msgget ENOSPC: ", 15) == 0, "%s",
	    res.text);
}
END_TEST

START_TEST(test_not_limits)
{
	explain(IPCCALL_SEMGET, 0x1234, 1, 0600, 0, EACCES);
	ck_assert_str_eq(res.code, "permission");
	ck_assert_ptr_nonnull(strstr(res.text, "key 0x00001234; caller uid "
	    "1000 gid 100"));
	explain(IPCCALL_SEMOP, 7, 0x1000, 1, 0, EIDRM);
	ck_assert_str_eq(res.code, "removed");
	ck_assert_ptr_nonnull(strstr(res.text, "semaphore array id 7"));
	explain(IPCCALL_SHMAT, 5, 0, 0, 0, EINVAL);
	ck_assert_str_eq(res.code, "invalid");
	ck_assert_ptr_nonnull(strstr(res.text, "segment id 5"));
	explain(IPCCALL_SEMGET, 0, 1, 0600, 0, ENOMEM);
	ck_assert_str_eq(res.code, "memory");
	ck_assert_ptr_null(strstr(res.text, "huge pages"));
	explain(IPCCALL_SEMOP, 7, 0x1000, 1, 0, EAGAIN);
	ck_assert_str_eq(res.code, "would_block");
	ck_assert(!res.limit);
	explain(IPCCALL_SEMGET, 0, 1, 01600, 0, ENOSPC);
	ck_assert_str_eq(res.code, "unexplained");
	explain(IPCCALL_MSGGET, 9, 0, 0, 0, ENOENT);
	ck_assert_str_eq(res.code, "not_found");
	explain(IPCCALL_MSGGET, 9, 03600, 0, 0, EEXIST);
	ck_assert_str_eq(res.code, "exists");
	explain(IPCCALL_SEMGET, 0, 1, 0600, 0, 200);
	ck_assert_str_eq(res.code, "other");
	ck_assert_ptr_nonnull(strstr(res.text, "semget errno: not a limit "
	    "ipctune knows (errno 200)"));
}
END_TEST

START_TEST(test_keyed_with_objects)
{
	struct sem_obj o;

	memset(&o, 0, sizeof(o));
	o.perm.id = 3;
	o.perm.key = 0x1234;
	o.perm.mode = 0600;
	o.nsems = 1;
	cause_kstate(&st, 4096, &ks);
	ks.has_sem = true;
	ks.sem = &o;
	ks.nsem = 1;
	{
		struct ipccall_args a = { .call = IPCCALL_SEMGET, .a =
		    { 0x1234, 1, 0600, 0 } };

		ck_assert_int_eq(cause_explain(&a, EACCES, &who, &ks, &res,
		    err, sizeof(err)), 0);
	}
	ck_assert_str_eq(res.code, "key_permission");
	ck_assert(!res.limit);
	ck_assert_ptr_nonnull(strstr(res.text, "semaphore array 3"));
}
END_TEST

/* mq_open(O_CREAT) through posixfit; mq_timedsend's figures. */
START_TEST(test_mq)
{
	struct ipccall_args a = { .call = IPCCALL_MQ_OPEN,
	    .a = { 0x1000, 0102, 0600, 0x2000 } };

	snprintf(a.mq.name, sizeof(a.mq.name), "/q");
	a.mq.has_attr = true;
	a.mq.maxmsg = 4;
	a.mq.msgsize = 64;
	st.mq_queues = 2;
	st.mq_queues_max = 2;
	cause_kstate(&st, 4096, &ks);
	ck_assert_int_eq(cause_explain(&a, ENOSPC, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(res.code, "mqueue_queues_max");
	ck_assert_ptr_nonnull(strstr(res.text, "mq_open ENOSPC: this IPC "
	    "namespace holds 2 queues and fs.mqueue.queues_max is 2"));
	/* a default attr with no O_CREAT is not a limit */
	a.a[1] = 02;
	ck_assert_int_eq(cause_explain(&a, ENOSPC, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(res.code, "unexplained");
	a.a[1] = 0102;
	st.mq_queues = 0;
	a.mq.maxmsg = 11;
	cause_kstate(&st, 4096, &ks);
	ck_assert_int_eq(cause_explain(&a, EINVAL, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(res.code, "mqueue_msg_max");
	/* EMFILE: the rlimit is said even when posixfit cannot agree */
	a.mq.maxmsg = 1;
	who.has_rlimit_msgqueue = true;
	who.rlimit_msgqueue = 819200;
	ck_assert_int_eq(cause_explain(&a, EMFILE, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(res.code, "mq_rlimit");
	ck_assert_ptr_nonnull(strstr(res.text, "RLIMIT_MSGQUEUE is 819200"));
	a.call = IPCCALL_MQ_TIMEDSEND;
	a.a[2] = 100;
	a.mq.has_queue = true;
	a.mq.q_maxmsg = 2;
	a.mq.q_msgsize = 64;
	a.mq.q_curmsgs = 2;
	ck_assert_int_eq(cause_explain(&a, EMSGSIZE, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(res.text, "msg_len 100 > mq_msgsize 64"));
	ck_assert_int_eq(cause_explain(&a, EAGAIN, &who, &ks, &res, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(res.code, "queue_full");
	ck_assert_ptr_nonnull(strstr(res.text, "it holds 2 of 2 messages"));
}
END_TEST

START_TEST(test_hostile)
{
	struct ipccall_args a = { .call = IPCCALL_COUNT };

	cause_kstate(&st, 4096, &ks);
	ck_assert_int_eq(cause_explain(&a, EINVAL, &who, &ks, &res, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown IPC call"));
	a.call = (enum ipc_call)-1;
	ck_assert_int_eq(cause_explain(&a, EINVAL, &who, &ks, &res, err,
	    sizeof(err)), -1);
	/* a negative nsems is a huge one: above SEMMSL */
	explain(IPCCALL_SEMGET, 0, 0xffffffff, 01600, 0, EINVAL);
	ck_assert_str_eq(res.code, "semmsl");
	explain(IPCCALL_SHMGET, 0xffffffffffffffffull, UINT64_MAX, ~0ull,
	    ~0ull, EINVAL);
	ck_assert(res.text[0] != '\0');
	explain(IPCCALL_SEMGET, 0, 1, 0, 0, 0);
	ck_assert_str_eq(res.code, "other");
}
END_TEST

START_TEST(test_ipccall_table)
{
	uint64_t v = 0;
	struct ipccall_args a = { .call = IPCCALL_MSGSND,
	    .a = { 3, 0x1000, 64, 04000 } };

	ck_assert_int_eq(ipccall_lookup("semtimedop"), IPCCALL_SEMTIMEDOP);
	ck_assert_int_eq(ipccall_lookup("semtimedo"), -1);
	ck_assert_int_eq(ipccall_lookup(""), -1);
	for (int i = 0; i < IPCCALL_COUNT; i++) {
		ck_assert_ptr_nonnull(ipccall_table[i].name);
		ck_assert_int_le(ipccall_table[i].nargs, 4);
		ck_assert_int_eq(ipccall_lookup(ipccall_table[i].name), i);
	}
	for (int i = 0; i < IPCCALL_ATTACH_COUNT; i++)
		ck_assert_int_eq(ipccall_attach_lookup(
		    ipccall_attach_names[i]), i);
	ck_assert_int_eq(ipccall_attach_lookup("enter-exit"),
	    IPCCALL_ATTACH_ENTER_EXIT);
	ck_assert_int_eq(ipccall_attach_lookup("enter"), -1);
	ck_assert_int_eq(ipccall_attach_lookup(""), -1);
	ck_assert_str_eq(ipccall_errno_name(ENOSPC), "ENOSPC");
	ck_assert_ptr_null(ipccall_errno_name(0));
	ck_assert_int_eq(ipccall_errno_lookup("EIDRM"), EIDRM);
	ck_assert_int_eq(ipccall_errno_lookup("enospc"), -1);
	ck_assert(ipccall_arg_get(&a, IPCARG_SIZE, &v));
	ck_assert_uint_eq(v, 64);
	ck_assert(!ipccall_arg_get(&a, IPCARG_KEY, &v));
	ck_assert_uint_eq(ipccall_mode_bits(IPCCALL_SHMGET), 0777);
	ck_assert_uint_eq(ipccall_mode_bits(IPCCALL_MSGSND), 0);
	a.call = IPCCALL_COUNT;
	ck_assert(!ipccall_arg_get(&a, IPCARG_SIZE, &v));
}
END_TEST

static Suite *
cause_suite(void)
{
	Suite *s = suite_create("cause");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_kstate);
	tcase_add_test(tc, test_semmni);
	tcase_add_test(tc, test_no_pid_no_orphans_hint);
	tcase_add_test(tc, test_semopm);
	tcase_add_test(tc, test_shm);
	tcase_add_test(tc, test_msg);
	tcase_add_test(tc, test_not_limits);
	tcase_add_test(tc, test_keyed_with_objects);
	tcase_add_test(tc, test_mq);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_ipccall_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cause_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
