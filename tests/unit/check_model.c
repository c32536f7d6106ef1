/* Unit tests for model.c and owners.c: resource rows and findings. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "owners.h"
#include "procparse.h"

static void
set(struct kstate *ks, enum sysctl_id id, const char *text)
{
	char err[256];

	ck_assert_int_eq(procparse_sysctl(id, text, &ks->sysctl[id], err,
	    sizeof(err)), 0);
}

static void
defaults(struct kstate *ks)
{
	kstate_init(ks);
	ks->host.page_size = 4096;
	set(ks, SC_SHMMAX, "18446744073692774399");
	set(ks, SC_SHMALL, "18446744073692774399");
	set(ks, SC_SHMMNI, "4096");
	set(ks, SC_SEM, "32000\t1024000000\t500\t32000");
	set(ks, SC_MSGMAX, "8192");
	set(ks, SC_MSGMNB, "16384");
	set(ks, SC_MSGMNI, "32000");
	set(ks, SC_MQ_QUEUES_MAX, "256");
	ks->has_usage = true;
}

static const struct finding *
find(const struct model *m, const char *code, const char *res)
{
	for (size_t i = 0; i < m->nfindings; i++)
		if (strcmp(m->findings[i].code, code) == 0 &&
		    (res == NULL || (m->findings[i].resource &&
		    strcmp(m->findings[i].resource, res) == 0)))
			return &m->findings[i];
	return NULL;
}

START_TEST(test_defaults_no_findings)
{
	struct kstate ks;
	struct model m;

	defaults(&ks);
	model_build(&ks, &m);
	ck_assert_uint_eq(m.nfindings, 0);
	ck_assert(m.res[R_SHMMNI].has_ratio);
	ck_assert_uint_eq(m.res[R_SHMMNI].free, 4096);
	ck_assert(!m.res[R_SEMOPM].has_used);
	ck_assert(m.res[R_SEMOPM].has_limit);
	ck_assert_uint_eq(m.res[R_SEMOPM].limit, 500);
	/* no objects exist: the "largest" rows are 0 without a scan */
	ck_assert(m.res[R_SHMMAX].has_used);
	ck_assert_uint_eq(m.res[R_SHMMAX].used, 0);
	ck_assert(!m.res[R_SHMMAX].scan_skipped);
	ck_assert(!m.res[R_DEV_SHM].has_limit);
	model_release(&m);
}
END_TEST

START_TEST(test_scan_skipped)
{
	struct kstate ks;
	struct model m;

	defaults(&ks);
	ks.usage.shm_segments = 5000;
	ks.usage.sem_arrays = 5000;
	ks.usage.msg_queues = 5000;
	ks.usage.msg_bytes = 0;
	model_build(&ks, &m);
	/* objects exist but were not read: unknown, not zero */
	ck_assert(!m.res[R_SHMMAX].has_used);
	ck_assert(m.res[R_SHMMAX].scan_skipped);
	ck_assert(!m.res[R_SEMMSL].has_used);
	ck_assert(m.res[R_SEMMSL].scan_skipped);
	/* no byte queued anywhere: the fullest queue is empty */
	ck_assert(m.res[R_MSGMNB].has_used);
	ck_assert_uint_eq(m.res[R_MSGMNB].used, 0);
	model_release(&m);
	ks.usage.msg_bytes = 10;
	model_build(&ks, &m);
	ck_assert(!m.res[R_MSGMNB].has_used);
	ck_assert(m.res[R_MSGMNB].scan_skipped);
	model_release(&m);
}
END_TEST

START_TEST(test_shm_pages_and_largest_new)
{
	struct kstate ks;
	struct model m;

	defaults(&ks);
	set(&ks, SC_SHMMAX, "1048576");
	set(&ks, SC_SHMALL, "10");
	ks.usage.shm_segments = 8;
	ks.usage.shm_pages = 8;
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SHMALL].used, 8);
	ck_assert_uint_eq(m.res[R_SHMALL].free, 2);
	ck_assert(m.res[R_SHMMAX].has_largest_new);
	ck_assert_uint_eq(m.res[R_SHMMAX].largest_new, 2 * 4096);
	/* 10 pages < 256 pages of shmmax */
	ck_assert_ptr_nonnull(find(&m, "shmall_below_shmmax", "shmall"));
	ck_assert_ptr_null(find(&m, "limit_near", "shmall"));
	model_release(&m);
	/* shmmni full: nothing new fits, whatever shmall says */
	set(&ks, SC_SHMMNI, "8");
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SHMMAX].largest_new, 0);
	ck_assert_ptr_nonnull(find(&m, "limit_reached", "shmmni"));
	model_release(&m);
	/*
	 * shmmax and shmall at ULONG_MAX: a size above 2^64 - PAGE_SIZE
	 * wraps when newseg() rounds it up to pages, and fails
	 */
	set(&ks, SC_SHMMNI, "4096");
	set(&ks, SC_SHMMAX, "18446744073709551615");
	set(&ks, SC_SHMALL, "18446744073709551615");
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SHMMAX].largest_new,
	    18446744073709551615ULL - 4095);
	model_release(&m);
	ks.host.page_size = 65536;
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SHMMAX].largest_new,
	    18446744073709551615ULL - 65535);
	model_release(&m);
}
END_TEST

START_TEST(test_largest_objects)
{
	struct kstate ks;
	struct model m;
	struct shm_obj shm[2] = { { .perm.id = 5, .size_bytes = 100 },
	    { .perm.id = 9, .size_bytes = 5000 } };
	struct sem_obj sem[2] = { { .perm.id = 3, .nsems = 250 },
	    { .perm.id = 4, .nsems = 10 } };
	struct msg_obj msg[2] = {
		{ .perm.id = 1, .cbytes = 1000, .has_qbytes = true,
		    .qbytes = 16384 },
		/* fuller against its own qbytes, though fewer bytes */
		{ .perm.id = 2, .perm.key = 0x4d51, .cbytes = 140,
		    .has_qbytes = true, .qbytes = 150 },
	};

	defaults(&ks);
	ks.shm = shm;
	ks.nshm = 2;
	ks.has_shm = true;
	ks.sem = sem;
	ks.nsem = 2;
	ks.has_sem = true;
	ks.msg = msg;
	ks.nmsg = 2;
	ks.has_msg = true;
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SHMMAX].used, 5000);
	ck_assert_int_eq(m.res[R_SHMMAX].object_id, 9);
	ck_assert_uint_eq(m.res[R_SEMMSL].used, 250);
	ck_assert_int_eq(m.res[R_SEMMSL].object_id, 3);
	ck_assert_int_eq(m.res[R_MSGMNB].object_id, 2);
	ck_assert_uint_eq(m.res[R_MSGMNB].used, 140);
	ck_assert_uint_eq(m.res[R_MSGMNB].object_limit, 150);
	ck_assert_uint_eq(m.res[R_MSGMNB].free, 10);
	ck_assert_ptr_nonnull(find(&m, "limit_near", "msgmnb"));
	ck_assert_str_eq(find(&m, "limit_near", "msgmnb")->text,
	    "msgmnb is 93.3% used: queue 2 (key 0x00004d51) holds 140 of "
	    "its 150 bytes");
	model_release(&m);
	/* full: the queue is named, and what its senders meet */
	msg[1].cbytes = 150;
	model_build(&ks, &m);
	ck_assert_str_eq(find(&m, "limit_reached", "msgmnb")->text,
	    "msgmnb is exhausted: queue 2 (key 0x00004d51) holds 150 of its "
	    "150 bytes (100.0%); msgsnd blocks, or fails with EAGAIN under "
	    "IPC_NOWAIT");
	model_release(&m);
	msg[1].cbytes = 140;
	/* read from /proc/sysvipc: no qbytes, so none is claimed */
	msg[0].has_qbytes = msg[1].has_qbytes = false;
	model_build(&ks, &m);
	ck_assert_int_eq(m.res[R_MSGMNB].object_id, 1);
	ck_assert_uint_eq(m.res[R_MSGMNB].used, 1000);
	ck_assert(!m.res[R_MSGMNB].has_object_limit);
	ck_assert_uint_eq(m.res[R_MSGMNB].free, 16384 - 1000);
	model_release(&m);
}
END_TEST

START_TEST(test_findings)
{
	struct kstate ks;
	struct model m;

	defaults(&ks);
	set(&ks, SC_MSGMAX, "65536");
	set(&ks, SC_SEM, "250 32000 32 128");
	ks.usage.sem_arrays = 116;	/* 90.6% */
	ks.usage.sem_sems = 32000;	/* 100% */
	model_build(&ks, &m);
	ck_assert_ptr_nonnull(find(&m, "msgmax_above_msgmnb", "msgmax"));
	ck_assert_ptr_nonnull(find(&m, "limit_near", "semmni"));
	ck_assert_ptr_nonnull(find(&m, "limit_reached", "semmns"));
	ck_assert_ptr_null(find(&m, "limit_near", "semmns"));
	ck_assert_ptr_null(find(&m, "limit_near", "shmmni"));
	model_release(&m);
	/* just below 90% is not reported */
	ks.usage.sem_arrays = 115;	/* 89.8% */
	model_build(&ks, &m);
	ck_assert_ptr_null(find(&m, "limit_near", "semmni"));
	model_release(&m);
}
END_TEST

/* Scenario 11: dest segments warn at half of shmmni or of shmall. */
START_TEST(test_dest_segments)
{
	struct kstate ks;
	struct model m;
	struct shm_obj shm[3] = {
		{ .perm.id = 3, .perm.mode = IPC_SHM_DEST | 0600,
		    .size_bytes = 4194304, .nattch = 1 },
		{ .perm.id = 4, .perm.mode = IPC_SHM_DEST | 0600,
		    .size_bytes = 4194304, .nattch = 2 },
		/* not marked: counts for neither */
		{ .perm.id = 5, .perm.mode = 0600, .size_bytes = 4194304,
		    .nattch = 1 },
	};

	defaults(&ks);
	ks.shm = shm;
	ks.nshm = 3;
	ks.has_shm = true;
	ks.usage.shm_segments = 3;
	ks.usage.shm_pages = 3072;
	/* two of 4096 segments, a desktop: nothing said */
	model_build(&ks, &m);
	ck_assert_uint_eq(m.dest.segments, 2);
	ck_assert_uint_eq(m.dest.pages, 2048);
	ck_assert_uint_eq(m.dest.nattch, 3);
	ck_assert(!m.dest.warn);
	ck_assert_ptr_null(find(&m, "dest_segments", NULL));
	model_release(&m);
	set(&ks, SC_SHMMNI, "4");
	model_build(&ks, &m);
	ck_assert(m.dest.warn);
	ck_assert_str_eq(find(&m, "dest_segments", "shmmni")->text,
	    "2 segments marked for removal but still attached (dest: 3, 4) "
	    "hold 2 of 4 shmmni segments and 2048 of 18446744073692774399 "
	    "shmall pages; the kernel frees each only at its last detach, "
	    "and 3 attaches hold them: ipctune orphans -a names the holders");
	model_release(&m);
	set(&ks, SC_SHMMNI, "5");
	set(&ks, SC_SHMALL, "4097");
	model_build(&ks, &m);
	ck_assert(!m.dest.warn);
	model_release(&m);
	set(&ks, SC_SHMALL, "4096");
	model_build(&ks, &m);
	ck_assert_ptr_nonnull(find(&m, "dest_segments", "shmall"));
	model_release(&m);
}
END_TEST

START_TEST(test_zero_limit)
{
	struct kstate ks;
	struct model m;

	defaults(&ks);
	set(&ks, SC_SHMMNI, "0");
	model_build(&ks, &m);
	ck_assert(m.res[R_SHMMNI].has_ratio);
	ck_assert(m.res[R_SHMMNI].ratio >= 1.0);
	ck_assert_ptr_nonnull(find(&m, "limit_reached", "shmmni"));
	model_release(&m);
}
END_TEST

/* A cap on one object or call at 0: every call it bounds fails. */
START_TEST(test_zero_caps)
{
	static const char *const res[] = { "shmmax", "semmsl", "semopm",
	    "msgmax", "msgmnb" };
	struct kstate ks;
	struct model m;
	const struct finding *f;

	defaults(&ks);
	model_build(&ks, &m);
	ck_assert_ptr_null(find(&m, "limit_admits_nothing", NULL));
	model_release(&m);
	set(&ks, SC_SHMMAX, "0");
	set(&ks, SC_SEM, "0\t32000\t0\t128");
	set(&ks, SC_MSGMAX, "0");
	set(&ks, SC_MSGMNB, "0");
	model_build(&ks, &m);
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		f = find(&m, "limit_admits_nothing", res[i]);
		ck_assert_msg(f != NULL, "%s", res[i]);
		ck_assert_int_eq(f->level, FINDING_CRITICAL);
	}
	f = find(&m, "limit_admits_nothing", "semopm");
	ck_assert_str_eq(f->text, "semopm (kernel.sem) is 0: every semop "
	    "fails with E2BIG");
	/* msgmnb 0 with no queue: said once, not as 0 of 0 bytes */
	ck_assert_ptr_null(find(&m, "limit_reached", "msgmnb"));
	model_release(&m);
	/* a negative SEMMSL is taken as 0, shown as held */
	set(&ks, SC_SEM, "-5\t32000\t32\t128");
	model_build(&ks, &m);
	f = find(&m, "limit_admits_nothing", "semmsl");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->text, "semmsl (kernel.sem) is -5, which admits "
	    "nothing: every semget that creates an array fails with EINVAL");
	f = find(&m, "sem_negative_field", "semmsl");
	ck_assert_ptr_nonnull(strstr(f->text, "('-5 32000 32 128')"));
	model_release(&m);
}
END_TEST

START_TEST(test_owners)
{
	struct kstate ks;
	struct owners ow;
	struct shm_obj shm[3] = { { .perm.uid = 48, .size_bytes = 1 },
	    { .perm.uid = 48, .size_bytes = 4097 }, { .perm.uid = 0,
	    .size_bytes = 4096 } };
	struct sem_obj sem[2] = { { .perm.uid = 48, .nsems = 1 },
	    { .perm.uid = 1000, .nsems = 7 } };

	defaults(&ks);
	ks.shm = shm;
	ks.nshm = 3;
	ks.sem = sem;
	ks.nsem = 2;
	owners_build(&ks, &ow);
	ck_assert_uint_eq(ow.n, 3);
	ck_assert_uint_eq(ow.v[0].uid, 0);
	ck_assert_uint_eq(ow.v[1].uid, 48);
	ck_assert_uint_eq(ow.v[1].shm_segments, 2);
	/* 1 byte is one page, 4097 bytes are two */
	ck_assert_uint_eq(ow.v[1].shm_pages, 3);
	ck_assert_uint_eq(ow.v[1].shm_bytes, 4098);
	ck_assert_uint_eq(ow.v[1].sem_arrays, 1);
	ck_assert_uint_eq(ow.v[2].sem_sems, 7);
	owners_release(&ow);
	/*
	 * SHM_NORESERVE segments of 2^63 bytes each exist without memory:
	 * their byte total saturates instead of wrapping to 0
	 */
	shm[0].size_bytes = shm[1].size_bytes = 1ULL << 63;
	owners_build(&ks, &ow);
	ck_assert_uint_eq(ow.v[1].shm_bytes, UINT64_MAX);
	ck_assert_uint_eq(ow.v[1].shm_pages, 1ULL << 52);
	owners_release(&ow);
}
END_TEST

START_TEST(test_sem_negative)
{
	struct kstate ks;
	struct model m;
	const struct finding *f;

	/* SEMOPM -5: semop compares it unsigned, so nothing is limited */
	defaults(&ks);
	set(&ks, SC_SEM, "250\t32000\t-5\t128");
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SEMOPM].limit, 4294967291u);
	/* shown as held, not as the unsigned it means */
	ck_assert(m.res[R_SEMOPM].limit_signed);
	ck_assert_int_eq(m.res[R_SEMOPM].limit_held, -5);
	ck_assert(!m.res[R_SEMMSL].limit_signed);
	f = find(&m, "sem_negative_field", "semopm");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->level, FINDING_INFO);
	ck_assert_ptr_null(find(&m, "sem_negative_field", "semmsl"));
	model_release(&m);
	/* SEMMSL -1: every semget that creates an array fails (EINVAL) */
	set(&ks, SC_SEM, "-1\t32000\t32\t128");
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SEMOPM].limit, 32);
	ck_assert_uint_eq(m.res[R_SEMMSL].limit, 0);
	ck_assert(m.res[R_SEMMSL].limit_signed);
	ck_assert_int_eq(m.res[R_SEMMSL].limit_held, -1);
	f = find(&m, "sem_negative_field", "semmsl");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->level, FINDING_WARNING);
	ck_assert_ptr_null(find(&m, "sem_negative_field", "semopm"));
	model_release(&m);
	/* SEMMNS -7 admits nothing: below SEMMSL and exhausted, as held */
	set(&ks, SC_SEM, "250\t-7\t32\t128");
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_SEMMNS].limit, 0);
	ck_assert_int_eq(m.res[R_SEMMNS].limit_held, -7);
	f = find(&m, "semmns_below_semmsl", "semmns");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, "SEMMNS (-7) is below SEMMSL "
	    "(250)"));
	f = find(&m, "limit_reached", "semmns");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, " of -7 semaphores"));
	model_release(&m);
}
END_TEST

/* /dev/shm full: said in words, with the filesystem, SIGBUS and the fix */
START_TEST(test_dev_shm_findings)
{
	struct kstate ks;
	struct model m;
	const struct finding *f;

	defaults(&ks);
	ks.usage.has_dev_shm = true;
	ks.usage.dev_shm_size_bytes = 64 << 20;
	ks.usage.dev_shm_used_bytes = 62 << 20;
	ks.usage.has_dev_shm_inodes = true;
	ks.usage.dev_shm_inodes = 100;
	ks.usage.dev_shm_inodes_used = 100;
	snprintf(ks.usage.dev_shm_path, sizeof(ks.usage.dev_shm_path),
	    "/proc/42/root/dev/shm");
	model_build(&ks, &m);
	f = find(&m, "limit_near", "dev_shm");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, "/proc/42/root/dev/shm is 97% "
	    "full: 62.0 of 64.0 MiB used"));
	ck_assert_ptr_nonnull(strstr(f->text, "SIGBUS"));
	ck_assert_ptr_nonnull(strstr(f->text, "--shm-size"));
	f = find(&m, "limit_reached", "dev_shm_inodes");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->level, FINDING_CRITICAL);
	ck_assert_uint_eq(m.res[R_DEV_SHM_INODES].used, 100);
	model_release(&m);
	ks.usage.dev_shm_used_bytes = 32 << 20;
	ks.usage.dev_shm_inodes_used = 1;
	model_build(&ks, &m);
	ck_assert_ptr_null(find(&m, "limit_near", "dev_shm"));
	ck_assert_ptr_null(find(&m, "limit_reached", "dev_shm_inodes"));
	model_release(&m);
}
END_TEST

/* The caller's RLIMIT_MSGQUEUE against its queues' charge */
START_TEST(test_mqueue_rows)
{
	struct kstate ks;
	struct model m;
	const struct finding *f;
	struct mq_charges *mq = &ks.usage.mq;

	defaults(&ks);
	set(&ks, SC_MQ_MSG_MAX, "10");
	set(&ks, SC_MQ_MSGSIZE_MAX, "8192");
	set(&ks, SC_MQ_MSG_DEFAULT, "10");
	set(&ks, SC_MQ_MSGSIZE_DEFAULT, "8192");
	mq->has_attrs = mq->has_rlimit = true;
	mq->caller_uid = 1000;
	mq->rlimit = 819200;
	mq->max_maxmsg = 20;
	mq->max_msgsize = 8192;
	mq->nusers = 2;
	mq->users[0] = (struct mq_charge){ 1001, 10, 800000, 0 };
	/* 9 default queues: 745920 bytes, the 10th does not fit */
	mq->users[1] = (struct mq_charge){ 1000, 9, 9 * 82880, 0 };
	model_build(&ks, &m);
	ck_assert_uint_eq(m.res[R_MQUEUE_BYTES].used, 745920);
	ck_assert_uint_eq(m.res[R_MQUEUE_BYTES].limit, 819200);
	f = find(&m, "limit_reached", "mqueue_bytes");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, "uid 1000 (the caller)"));
	ck_assert_ptr_nonnull(strstr(f->text, "82880 bytes (81920 of data "
	    "+ 960 of overhead)"));
	ck_assert_ptr_nonnull(strstr(f->text, "EMFILE"));
	ck_assert_ptr_nonnull(strstr(f->text, "ulimit -q, LimitMSGQUEUE="));
	f = find(&m, "mqueue_user_charge", "mqueue_bytes");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, "uid 1001 has 10"));
	/* a queue above msg_max: made privileged, or the limit lowered */
	f = find(&m, "object_above_limit", "mqueue_msg_max");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, "mq_maxmsg 20"));
	ck_assert_ptr_null(find(&m, "limit_reached", "mqueue_msg_max"));
	model_release(&m);
	/* 8 queues: one more fits, a warning */
	mq->users[1].bytes = 8 * 82880;
	model_build(&ks, &m);
	ck_assert_ptr_nonnull(find(&m, "limit_near", "mqueue_bytes"));
	model_release(&m);
	mq->users[1].bytes = 0;
	model_build(&ks, &m);
	ck_assert_ptr_null(find(&m, "limit_near", "mqueue_bytes"));
	model_release(&m);
}
END_TEST

static Suite *
model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults_no_findings);
	tcase_add_test(tc, test_sem_negative);
	tcase_add_test(tc, test_scan_skipped);
	tcase_add_test(tc, test_shm_pages_and_largest_new);
	tcase_add_test(tc, test_largest_objects);
	tcase_add_test(tc, test_findings);
	tcase_add_test(tc, test_zero_limit);
	tcase_add_test(tc, test_zero_caps);
	tcase_add_test(tc, test_dest_segments);
	tcase_add_test(tc, test_dev_shm_findings);
	tcase_add_test(tc, test_mqueue_rows);
	tcase_add_test(tc, test_owners);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(model_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
