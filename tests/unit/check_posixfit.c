/*
 * check_posixfit.c: unit tests of posixfit.c and mqacct.c on hand-made
 * kernel states: the charge of a queue as mqueue_get_inode() computes it,
 * the order of mq_open's checks (queues_max, the attributes, overflow,
 * RLIMIT_MSGQUEUE), CAP_SYS_RESOURCE, the default attributes, the tmpfs
 * checks for a file in /dev/shm, and the sentences with the arithmetic.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "posixfit.h"

static struct kstate ks;
static struct posixfit_request req;
static struct posixfit_result res;
static char err[256], text[1024];

static void
set1(enum sysctl_id id, uint64_t v)
{
	ks.sysctl[id].present = true;
	ks.sysctl[id].v[0] = v;
}

/* Kernel defaults, an empty namespace, uid 1000 with 819200 bytes. */
static void
setup(void)
{
	kstate_init(&ks);
	memset(&req, 0, sizeof(req));
	ks.source = KSRC_LIVE;
	ks.host.page_size = 4096;
	set1(SC_MQ_QUEUES_MAX, 256);
	set1(SC_MQ_MSG_MAX, 10);
	set1(SC_MQ_MSGSIZE_MAX, 8192);
	set1(SC_MQ_MSG_DEFAULT, 10);
	set1(SC_MQ_MSGSIZE_DEFAULT, 8192);
	ks.has_usage = true;
	ks.usage.has_mq_queues = true;
	ks.usage.mq.has_attrs = true;
	ks.usage.mq.has_rlimit = true;
	ks.usage.mq.caller_uid = 1000;
	ks.usage.mq.rlimit = 819200;
	ks.usage.has_dev_shm = true;
	ks.usage.dev_shm_size_bytes = 64 << 20;
	snprintf(ks.usage.dev_shm_path, sizeof(ks.usage.dev_shm_path),
	    "/dev/shm");
}

static void
mq(uint64_t maxmsg, uint64_t msgsize, uint64_t count)
{
	req.has_mq = true;
	req.mq_default_attr = maxmsg == 0 && msgsize == 0;
	req.mq_maxmsg = maxmsg;
	req.mq_msgsize = msgsize;
	req.mq_count = count;
	ck_assert_int_eq(posixfit_predict(&ks, &req, &res, err, sizeof(err)),
	    0);
}

static void
charged(uid_t uid, uint64_t queues, uint64_t bytes)
{
	struct mq_charge *c = &ks.usage.mq.users[ks.usage.mq.nusers++];

	c->uid = uid;
	c->queues = queues;
	c->bytes = bytes;
	ks.usage.mq_queues += queues;
}

START_TEST(test_cost)
{
	struct mq_cost c;

	/* 10 x 8192: 81920 of data, 10 * 48 + 10 * 48 of overhead */
	ck_assert(mqacct_cost(10, 8192, &c));
	ck_assert_uint_eq(c.data, 81920);
	ck_assert_uint_eq(c.tree, 960);
	ck_assert_uint_eq(c.total, 82880);
	/* the tree nodes stop at MQ_PRIO_MAX */
	ck_assert(mqacct_cost(65536, 1, &c));
	ck_assert_uint_eq(c.tree, 65536ull * 48 + 32768ull * 48);
	/* mq_msgsize > ULONG_MAX / mq_maxmsg: EOVERFLOW */
	ck_assert(!mqacct_cost(UINT64_MAX / 2, 3, &c));
}
END_TEST

/* The 10th default queue of a user with the default limit: EMFILE. */
START_TEST(test_rlimit_tenth_default_queue)
{
	mq(0, 0, 10);
	ck_assert(!res.fits);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_RLIMIT);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].succeeded, 9);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].have, 9 * 82880);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].fix_needed, 828800);
	posixfit_explain(&res, PFIT_MQ_OPEN, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "10 * 8192 + (10 * 48 + "
	    "min(10, 32768) * 48) = 82880 bytes"));
	ck_assert_ptr_nonnull(strstr(text, "745920 + 82880 > "
	    "RLIMIT_MSGQUEUE 819200"));
	posixfit_advise(&res, PFIT_MQ_OPEN, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "ulimit -q 828800"));
	ck_assert_ptr_nonnull(strstr(text, "LimitMSGQUEUE=828800"));
	mq(0, 0, 9);
	ck_assert(res.fits);
}
END_TEST

/* The charge of the caller's queues counts; other users' do not. */
START_TEST(test_rlimit_counts_the_callers_queues)
{
	charged(1000, 1, 800000);
	charged(1001, 5, 800000);
	mq(2, 128, 1);
	/* 2 * 128 + 2 * 96 = 448; 800000 + 448 <= 819200 */
	ck_assert(res.fits);
	ck_assert_uint_eq(res.charge_before, 800000);
	mq(10, 2000, 1);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_RLIMIT);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].succeeded, 0);
	/* exactly at the limit fits: the kernel refuses only "> rlimit" */
	ks.usage.mq.rlimit = 800000 + 20960;
	mq(10, 2000, 1);
	ck_assert(res.fits);
	ks.usage.mq.rlimit = 800000 + 20959;
	mq(10, 2000, 1);
	ck_assert(!res.fits);
	ks.usage.mq.rlimit = UINT64_MAX;
	mq(10, 2000, 1000);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_QUEUES_MAX);
}
END_TEST

/* mqueue_create_attr() checks queues_max before the attributes. */
START_TEST(test_order_queues_max_first)
{
	set1(SC_MQ_QUEUES_MAX, 2);
	charged(1001, 2, 0);
	mq(11, 128, 1);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_QUEUES_MAX);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].fix_needed, 3);
	/* with a free slot, the attribute is next */
	set1(SC_MQ_QUEUES_MAX, 3);
	mq(11, 128, 2);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_MSG_MAX);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].succeeded, 0);
	mq(10, 128, 2);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_QUEUES_MAX);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].succeeded, 1);
	/* at a tie with RLIMIT_MSGQUEUE, queues_max comes first */
	ks.usage.mq.rlimit = 10 * 128 + 10 * 96;
	mq(10, 128, 2);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_QUEUES_MAX);
	ks.usage.mq.rlimit = 10 * 128 + 10 * 96 - 1;
	mq(10, 128, 2);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_RLIMIT);
}
END_TEST

START_TEST(test_attributes)
{
	mq(10, 8193, 1);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_MSGSIZE_MAX);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].need, 8193);
	ck_assert_uint_eq(res.call[PFIT_MQ_OPEN].limit, 8192);
	ck_assert(res.call[PFIT_MQ_OPEN].fix_raisable);
	posixfit_explain(&res, PFIT_MQ_OPEN, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "mq_msgsize 8193 is above "
	    "fs.mqueue.msgsize_max 8192"));
	/* above the hard cap, raising the sysctl cannot help */
	mq(65537, 128, 1);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_MSG_MAX);
	ck_assert(!res.call[PFIT_MQ_OPEN].fix_raisable);
	/* CAP_SYS_RESOURCE: the hard caps, and no queues_max */
	req.caller_sys_resource = true;
	set1(SC_MQ_QUEUES_MAX, 0);
	req.has_mq = true;
	req.mq_maxmsg = 65536;
	req.mq_msgsize = 128;
	req.mq_count = 1;
	ks.usage.mq.rlimit = UINT64_MAX;
	ck_assert_int_eq(posixfit_predict(&ks, &req, &res, err, sizeof(err)),
	    0);
	ck_assert(res.fits);
	req.mq_maxmsg = 65537;
	posixfit_predict(&ks, &req, &res, err, sizeof(err));
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_HARD_MSGMAX);
	req.caller_sys_resource = false;
	set1(SC_MQ_QUEUES_MAX, 256);
	mq(0, 128, 1);
	ck_assert_int_eq(res.call[PFIT_MQ_OPEN].cause, PFIT_MQ_ATTR_ZERO);
}
END_TEST

/* attr NULL: min(msg_max, msg_default) and the same for the size. */
START_TEST(test_default_attributes)
{
	set1(SC_MQ_MSG_MAX, 5);
	set1(SC_MQ_MSGSIZE_DEFAULT, 1024);
	mq(0, 0, 1);
	ck_assert(res.fits);
	ck_assert_uint_eq(res.mq_maxmsg, 5);
	ck_assert_uint_eq(res.mq_msgsize, 1024);
	ck_assert_uint_eq(res.cost.total, 5 * 1024 + 5 * 96);
}
END_TEST

START_TEST(test_needs_state)
{
	ks.usage.mq.has_attrs = false;
	req.has_mq = true;
	req.mq_count = 1;
	req.mq_default_attr = true;
	ck_assert_int_eq(posixfit_predict(&ks, &req, &res, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "could not be read"));
	ks.usage.mq.has_attrs = true;
	ks.source = KSRC_SNAPSHOT;
	ck_assert_int_eq(posixfit_predict(&ks, &req, &res, err, sizeof(err)),
	    -1);
	ks.usage.has_dev_shm = false;
	memset(&req, 0, sizeof(req));
	req.has_shm = true;
	ck_assert_int_eq(posixfit_predict(&ks, &req, &res, err, sizeof(err)),
	    -1);
}
END_TEST

/* A file in a 64 MiB tmpfs with 62 MiB used: pages, arithmetic, fix. */
START_TEST(test_shm_space)
{
	ks.usage.dev_shm_used_bytes = 62 << 20;
	req.has_shm = true;
	req.shm_bytes = 2 << 20;
	posixfit_predict(&ks, &req, &res, err, sizeof(err));
	ck_assert(res.fits);
	req.shm_bytes = (2 << 20) + 1;
	posixfit_predict(&ks, &req, &res, err, sizeof(err));
	ck_assert(!res.fits);
	ck_assert_int_eq(res.call[PFIT_SHM_OPEN].cause, PFIT_SHM_SPACE);
	ck_assert_uint_eq(res.shm_need_bytes, (2 << 20) + 4096);
	posixfit_explain(&res, PFIT_SHM_OPEN, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "65011712 + 2101248 = 67112960 > "
	    "67108864"));
	ck_assert_ptr_nonnull(strstr(text, "SIGBUS"));
	posixfit_advise(&res, PFIT_SHM_OPEN, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "free 4096 bytes"));
	ck_assert_ptr_nonnull(strstr(text, "remount,size=65540k /dev/shm"));
	ck_assert_ptr_nonnull(strstr(text, "--shm-size=65m"));
	/* a size that cannot be rounded up to pages fits nowhere */
	req.shm_bytes = UINT64_MAX;
	posixfit_predict(&ks, &req, &res, err, sizeof(err));
	ck_assert(!res.call[PFIT_SHM_OPEN].fix_raisable);
}
END_TEST

START_TEST(test_shm_inodes)
{
	ks.usage.has_dev_shm_inodes = true;
	ks.usage.dev_shm_inodes = 100;
	ks.usage.dev_shm_inodes_used = 100;
	req.has_shm = true;
	req.shm_bytes = 4096;
	posixfit_predict(&ks, &req, &res, err, sizeof(err));
	ck_assert_int_eq(res.call[PFIT_SHM_OPEN].cause, PFIT_SHM_INODES);
	posixfit_advise(&res, PFIT_SHM_OPEN, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "nr_inodes=101"));
	ks.usage.dev_shm_inodes_used = 99;
	posixfit_predict(&ks, &req, &res, err, sizeof(err));
	ck_assert(res.fits);
}
END_TEST

static Suite *
posixfit_suite(void)
{
	Suite *s = suite_create("posixfit");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_cost);
	tcase_add_test(tc, test_rlimit_tenth_default_queue);
	tcase_add_test(tc, test_rlimit_counts_the_callers_queues);
	tcase_add_test(tc, test_order_queues_max_first);
	tcase_add_test(tc, test_attributes);
	tcase_add_test(tc, test_default_attributes);
	tcase_add_test(tc, test_needs_state);
	tcase_add_test(tc, test_shm_space);
	tcase_add_test(tc, test_shm_inodes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(posixfit_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
