/*
 * check_fit.c: unit tests of fit.c on hand-made kernel states: the order
 * of the kernel's checks, the page rounding of shmall, the counts that
 * succeed before the first failure, the fixes and the sentences.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "fit.h"

static struct kstate ks;
static struct fit_request req;
static struct fit_result res;

static void
set1(enum sysctl_id id, uint64_t v)
{
	ks.sysctl[id].present = true;
	ks.sysctl[id].v[0] = v;
	snprintf(ks.sysctl[id].raw, sizeof(ks.sysctl[id].raw), "%llu",
	    (unsigned long long)v);
}

static void
set_sem(const char *raw, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
    bool negative)
{
	struct sysctl_value *sv = &ks.sysctl[SC_SEM];

	sv->present = true;
	sv->v[0] = a;
	sv->v[1] = b;
	sv->v[2] = c;
	sv->v[3] = d;
	sv->negative = negative;
	snprintf(sv->raw, sizeof(sv->raw), "%s", raw);
}

/* Kernel defaults, empty namespace, 4 KiB pages. */
static void
setup(void)
{
	kstate_init(&ks);
	memset(&req, 0, sizeof(req));
	ks.host.page_size = 4096;
	set1(SC_SHMMAX, 18446744073692774399ull);
	set1(SC_SHMALL, 18446744073692774399ull);
	set1(SC_SHMMNI, 4096);
	set_sem("32000\t1024000000\t500\t32000", 32000, 1024000000, 500,
	    32000, false);
	set1(SC_MSGMAX, 8192);
	set1(SC_MSGMNB, 16384);
	set1(SC_MSGMNI, 32000);
	ks.has_usage = true;
}

static void
shm(uint64_t size, uint64_t count)
{
	req.has_shm = true;
	req.shm_size_bytes = size;
	req.shm_count = count;
}

static int
predict(void)
{
	char err[256];

	return fit_predict(&ks, &req, &res, err, sizeof(err));
}

START_TEST(test_defaults_fit)
{
	shm(8ull << 30, 4);
	req.has_sem = true;
	req.sem_arrays = 2;
	req.sems_per_array = 250;
	req.has_semop = true;
	req.semop_ops = 500;
	req.has_queues = true;
	req.queues = 10;
	req.has_msg = true;
	req.msg_size_bytes = 8192;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	ck_assert_uint_eq(res.shm_pages_each, 2097152);
	for (int i = 0; i < FIT_NCALLS; i++) {
		ck_assert(res.call[i].requested);
		ck_assert_int_eq(res.call[i].cause, FIT_OK);
		ck_assert_uint_eq(res.call[i].succeeded,
		    res.call[i].attempts);
		ck_assert_uint_eq(res.call[i].nfixes, 0);
	}
}
END_TEST

START_TEST(test_shm_size_zero)
{
	shm(0, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert(!res.fits);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHM_SIZE_ZERO);
	ck_assert_int_eq(fit_cause_table[FIT_SHM_SIZE_ZERO].err, 22);
}
END_TEST

START_TEST(test_shmmax_before_shmall)
{
	/* both shmmax and shmall are too small: EINVAL comes first */
	set1(SC_SHMMAX, 4096);
	set1(SC_SHMALL, 0);
	shm(8192, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMMAX);
	ck_assert_str_eq(fit_cause_table[FIT_SHMMAX].errname, "EINVAL");
	/* and the fixes name both, shmmax first */
	ck_assert_uint_eq(res.call[FIT_SHMGET].nfixes, 2);
	ck_assert_int_eq(res.call[FIT_SHMGET].fixes[0].cause, FIT_SHMMAX);
	ck_assert_uint_eq(res.call[FIT_SHMGET].fixes[0].needed, 8192);
	ck_assert_int_eq(res.call[FIT_SHMGET].fixes[1].cause, FIT_SHMALL);
	ck_assert_uint_eq(res.call[FIT_SHMGET].fixes[1].needed, 2);
}
END_TEST

START_TEST(test_shmall_rounds_pages)
{
	/* 4097 bytes are 2 pages; shmall 2 fits exactly (strict '>') */
	set1(SC_SHMALL, 2);
	shm(4097, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	ck_assert_uint_eq(res.shm_pages_each, 2);
	set1(SC_SHMALL, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMALL);
	ck_assert_uint_eq(res.call[FIT_SHMGET].need, 2);
	ck_assert_uint_eq(res.call[FIT_SHMGET].limit, 1);
}
END_TEST

START_TEST(test_shm_sequence)
{
	/* 10 pages in use, shmall 40: three 10-page segments, not four */
	ks.usage.shm_pages = 10;
	ks.usage.shm_segments = 1;
	set1(SC_SHMALL, 40);
	shm(40960, 4);
	ck_assert_int_eq(predict(), 0);
	ck_assert_uint_eq(res.call[FIT_SHMGET].succeeded, 3);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMALL);
	ck_assert_uint_eq(res.call[FIT_SHMGET].have, 40);
	ck_assert_uint_eq(res.call[FIT_SHMGET].fixes[0].needed, 50);
	ck_assert(res.call[FIT_SHMGET].fixes[0].can_free);
	ck_assert_uint_eq(res.call[FIT_SHMGET].fixes[0].free_amount, 10);
	/* five would need 50 pages of 40: freeing cannot help */
	shm(40960, 5);
	ck_assert_int_eq(predict(), 0);
	ck_assert(!res.call[FIT_SHMGET].fixes[0].can_free);
}
END_TEST

START_TEST(test_shmall_checked_before_shmmni)
{
	/* the second segment exceeds both: newseg() reports shmall */
	set1(SC_SHMALL, 10);
	set1(SC_SHMMNI, 1);
	shm(40960, 2);
	ck_assert_int_eq(predict(), 0);
	ck_assert_uint_eq(res.call[FIT_SHMGET].succeeded, 1);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMALL);
	/* shmmni alone */
	set1(SC_SHMALL, 100);
	ck_assert_int_eq(predict(), 0);
	ck_assert_uint_eq(res.call[FIT_SHMGET].succeeded, 1);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMMNI);
	ck_assert_uint_eq(res.call[FIT_SHMGET].fixes[0].needed, 2);
}
END_TEST

START_TEST(test_shmmni_over_ipcmni)
{
	ks.usage.shm_segments = 32768;
	set1(SC_SHMMNI, 32768);
	shm(4096, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMMNI);
	ck_assert(!res.call[FIT_SHMGET].fixes[0].raisable);
	ck_assert(res.call[FIT_SHMGET].fixes[0].can_free);
	ck_assert_uint_eq(res.call[FIT_SHMGET].fixes[0].free_amount, 1);
	ks.host.ipcmni_extend = true;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.call[FIT_SHMGET].fixes[0].raisable);
}
END_TEST

START_TEST(test_shm_overflow)
{
	set1(SC_SHMMAX, UINT64_MAX);
	shm(UINT64_MAX - 10, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHM_OVERFLOW);
	ck_assert_str_eq(fit_cause_table[FIT_SHM_OVERFLOW].errname, "ENOSPC");
	/* rounds up without overflow, but is above MAX_LFS_FILESIZE */
	shm(UINT64_MAX - 4095, 1);
	set1(SC_SHMALL, UINT64_MAX);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHM_FILE_SIZE);
}
END_TEST

START_TEST(test_shm_file_size)
{
	set1(SC_SHMMAX, UINT64_MAX);
	set1(SC_SHMALL, UINT64_MAX);
	/* 2^63 - 1 bytes is the largest shm file: it fits */
	shm(9223372036854775807ull, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_OK);
	/* one byte more: EINVAL, with no limit to raise */
	shm(9223372036854775808ull, 2);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHM_FILE_SIZE);
	ck_assert_uint_eq(res.call[FIT_SHMGET].succeeded, 0);
	ck_assert_str_eq(fit_cause_table[FIT_SHM_FILE_SIZE].errname, "EINVAL");
	ck_assert_uint_eq(res.call[FIT_SHMGET].nfixes, 1);
	ck_assert(!res.call[FIT_SHMGET].fixes[0].raisable);
	/* the shmall check comes first */
	set1(SC_SHMALL, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMALL);
	/* and shmmni comes after it */
	set1(SC_SHMALL, UINT64_MAX);
	set1(SC_SHMMNI, 0);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHM_FILE_SIZE);
}
END_TEST

START_TEST(test_sem_order)
{
	req.has_sem = true;
	req.sem_arrays = 3;
	req.sems_per_array = 11;
	set_sem("10 15 5 3", 10, 15, 5, 3, false);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMGET].cause, FIT_SEMMSL);
	ck_assert_uint_eq(res.call[FIT_SEMGET].succeeded, 0);
	req.sems_per_array = 0;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMGET].cause, FIT_SEM_ZERO);
	/* SEMMNS before SEMMNI: 10 used, 15 allowed, arrays full too */
	req.sems_per_array = 5;
	ks.usage.sem_sems = 10;
	ks.usage.sem_arrays = 3;
	ck_assert_int_eq(predict(), 0);
	ck_assert_uint_eq(res.call[FIT_SEMGET].succeeded, 0);
	ck_assert_int_eq(res.call[FIT_SEMGET].cause, FIT_SEMMNI);
	ks.usage.sem_arrays = 1;
	ck_assert_int_eq(predict(), 0);
	ck_assert_uint_eq(res.call[FIT_SEMGET].succeeded, 1);
	ck_assert_int_eq(res.call[FIT_SEMGET].cause, FIT_SEMMNS);
	ck_assert_uint_eq(res.call[FIT_SEMGET].have, 15);
	ck_assert_uint_eq(res.call[FIT_SEMGET].fixes[0].needed, 25);
	ck_assert_int_eq(res.call[FIT_SEMGET].fixes[1].cause, FIT_SEMMNI);
	ck_assert_uint_eq(res.call[FIT_SEMGET].fixes[1].needed, 4);
}
END_TEST

START_TEST(test_sem_negative_fields)
{
	/* the parsed fields clamp negatives; fit reads the raw text */
	set_sem("250 -1 -1 128", 250, 0, 0, 128, true);
	req.has_sem = true;
	req.sem_arrays = 1;
	req.sems_per_array = 1;
	req.has_semop = true;
	req.semop_ops = 600;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMGET].cause, FIT_SEMMNS);
	ck_assert(res.call[FIT_SEMGET].limit_negative);
	/* judged as 0, kept as held for the JSON and the message */
	ck_assert_uint_eq(res.call[FIT_SEMGET].limit, 0);
	ck_assert_int_eq(res.call[FIT_SEMGET].limit_held, -1);
	ck_assert_int_eq(res.call[FIT_SEMGET].fixes[0].cause, FIT_SEMMNS);
	ck_assert(res.call[FIT_SEMGET].fixes[0].current_negative);
	ck_assert_int_eq(res.call[FIT_SEMGET].fixes[0].current_held, -1);
	/* nsops > sc_semopm compares unsigned: -1 means no limit */
	ck_assert_int_eq(res.call[FIT_SEMOP].cause, FIT_OK);
	set_sem("250 32000 0 128", 250, 32000, 0, 128, false);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMOP].cause, FIT_SEMOPM);
	ck_assert_str_eq(fit_cause_table[FIT_SEMOPM].errname, "E2BIG");
}
END_TEST

START_TEST(test_semop)
{
	req.has_semop = true;
	req.semop_ops = 501;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMOP].cause, FIT_SEMOPM);
	ck_assert_uint_eq(res.call[FIT_SEMOP].fixes[0].needed, 501);
	req.semop_ops = 500;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMOP].cause, FIT_OK);
	req.semop_ops = 0;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMOP].cause, FIT_SEMOP_ZERO);
}
END_TEST

START_TEST(test_msg)
{
	req.has_queues = true;
	req.queues = 3;
	ks.usage.msg_queues = 30;
	set1(SC_MSGMNI, 32);
	ck_assert_int_eq(predict(), 0);
	ck_assert_uint_eq(res.call[FIT_MSGGET].succeeded, 2);
	ck_assert_int_eq(res.call[FIT_MSGGET].cause, FIT_MSGMNI);
	ck_assert_uint_eq(res.call[FIT_MSGGET].fixes[0].needed, 33);

	req.has_msg = true;
	req.msg_size_bytes = 8193;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_MSGSND].cause, FIT_MSGMAX);
	/* above msgmnb but within msgmax: EAGAIN, never fits */
	set1(SC_MSGMAX, 65536);
	req.msg_size_bytes = 16385;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_MSGSND].cause, FIT_MSGMNB);
	ck_assert_str_eq(fit_cause_table[FIT_MSGMNB].errname, "EAGAIN");
	/* msgmnb 0: not even an empty message fits (1 + qnum <= qbytes) */
	set1(SC_MSGMNB, 0);
	req.msg_size_bytes = 0;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_MSGSND].cause, FIT_MSGMNB);
	ck_assert_uint_eq(res.call[FIT_MSGSND].fixes[0].needed, 1);
}
END_TEST

START_TEST(test_sentences)
{
	char buf[1024];

	set1(SC_SHMALL, 10);
	set1(SC_SHMMNI, 1);
	shm(40960, 2);
	ck_assert_int_eq(predict(), 0);
	fit_explain(&res, FIT_SHMGET, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "shmget #2 of 2 would fail with ENOSPC "
	    "(No space left on device): kernel.shmall is exhausted") != NULL,
	    "%s", buf);
	fit_advise(&res, FIT_SHMGET, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "raise kernel.shmall to 20 pages") != NULL,
	    "%s", buf);
	ck_assert_msg(strstr(buf, "raise kernel.shmmni to 2") != NULL, "%s",
	    buf);
	/* nothing to say about a call that fits or was not asked for */
	fit_explain(&res, FIT_SEMGET, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

/* One object or unit to free is singular: "remove 1 segment". */
START_TEST(test_advice_singular)
{
	char buf[1024];

	ks.usage.shm_segments = 3;
	ks.usage.shm_pages = 3;
	set1(SC_SHMMNI, 3);
	set1(SC_SHMALL, 3);
	shm(4096, 1);
	ck_assert_int_eq(predict(), 0);
	fit_advise(&res, FIT_SHMGET, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "or remove segments holding 1 page") !=
	    NULL && strstr(buf, "1 pages") == NULL, "%s", buf);
	ck_assert_msg(strstr(buf, ", or remove 1 segment") != NULL &&
	    strstr(buf, "1 segments") == NULL, "%s", buf);
	ks.usage.shm_segments = 4;
	set1(SC_SHMMNI, 3);
	ck_assert_int_eq(predict(), 0);
	fit_advise(&res, FIT_SHMGET, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "or remove 2 segments") != NULL, "%s", buf);
}
END_TEST

START_TEST(test_needs_state)
{
	char err[256];

	ks.sysctl[SC_SHMALL].present = false;
	shm(1, 1);
	ck_assert_int_eq(fit_predict(&ks, &req, &res, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "kernel.shmall") != NULL, "%s", err);
	setup();
	ks.has_usage = false;
	shm(1, 1);
	ck_assert_int_eq(fit_predict(&ks, &req, &res, err, sizeof(err)), -1);
}
END_TEST

/* 13.14: keyed gets.  One segment, array and queue hold key 0x1234. */
static struct shm_obj kshm[2];
static struct sem_obj ksem[1];
static struct msg_obj kmsg[1];
static gid_t kgids[2];

static void
keyed(unsigned flags, uid_t uid, gid_t gid)
{
	memset(kshm, 0, sizeof(kshm));
	kshm[0] = (struct shm_obj){ .perm = { .id = 7, .key = 0x1234,
	    .mode = 0640, .uid = 1000, .cuid = 1000, .gid = 100,
	    .cgid = 100 }, .size_bytes = 4096 };
	ksem[0] = (struct sem_obj){ .perm = { .id = 3, .key = 0x1234,
	    .mode = 0600, .uid = 1000, .cuid = 1000, .gid = 100,
	    .cgid = 100 }, .nsems = 4 };
	kmsg[0] = (struct msg_obj){ .perm = { .id = 5, .key = 0x1234,
	    .mode = 0600, .uid = 1000, .cuid = 1000, .gid = 100,
	    .cgid = 100 } };
	ks.shm = kshm;
	ks.nshm = 1;
	ks.sem = ksem;
	ks.nsem = 1;
	ks.msg = kmsg;
	ks.nmsg = 1;
	ks.has_shm = ks.has_sem = ks.has_msg = true;
	ks.usage.shm_segments = 1;
	ks.usage.shm_pages = 1;
	ks.usage.sem_arrays = 1;
	ks.usage.sem_sems = 4;
	ks.usage.msg_queues = 1;
	req.has_key = true;
	req.key = 0x1234;
	req.flags = flags;
	req.caller_uid = uid;
	kgids[0] = gid;
	req.caller_gids = kgids;
	req.caller_ngids = 1;
	req.caller_ipc_owner = uid == 0;
}

#define CREAT FIT_IPC_CREAT
#define EXCL FIT_IPC_EXCL

START_TEST(test_13_14_key_segment_smaller_is_einval)
{
	keyed(CREAT | 0600, 1000, 100);
	shm(8192, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert(!res.fits);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_SHM_SIZE);
	ck_assert_int_eq(fit_cause_table[FIT_KEY_SHM_SIZE].err, 22);
	ck_assert_uint_eq(res.call[FIT_SHMGET].limit, 4096);
	ck_assert(res.key_obj[FIT_SHMGET].exists);
	ck_assert_int_eq(res.key_obj[FIT_SHMGET].perm.id, 7);
	/* the same size or smaller opens it, whatever the limits say */
	set1(SC_SHMMNI, 1);
	set1(SC_SHMMAX, 100);
	shm(4096, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	shm(0, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
}
END_TEST

/* ipcget_public(): EEXIST, then more_checks (EINVAL), then ipcperms() */
START_TEST(test_13_14_key_check_order)
{
	keyed(CREAT | EXCL | 0600, 2000, 200);
	shm(8192, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_EEXIST);
	ck_assert_int_eq(fit_cause_table[FIT_KEY_EEXIST].err, 17);
	req.flags = CREAT | 0600;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_SHM_SIZE);
	shm(4096, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_EACCES);
	ck_assert_int_eq(fit_cause_table[FIT_KEY_EACCES].err, 13);
	/* IPC_EXCL alone is ignored by the kernel */
	req.flags = EXCL | 0600;
	req.caller_uid = 1000;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
}
END_TEST

START_TEST(test_13_14_key_permissions)
{
	/* mode 0640: the owner rw, the group r, others nothing */
	keyed(0600, 2000, 100);
	shm(1, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_EACCES);
	ck_assert_str_eq(res.key_obj[FIT_SHMGET].granted_as, "group");
	req.flags = 0400;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	/* the creator counts as the owner, cgid as the group */
	kshm[0].perm.uid = 3000;
	req.caller_uid = 1000;
	req.flags = 0600;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	/* others: no bits; asking for none passes */
	keyed(0, 2000, 200);
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	req.flags = 0004;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_EACCES);
	ck_assert_str_eq(res.key_obj[FIT_SHMGET].granted_as, "other");
	/* CAP_IPC_OWNER passes */
	req.caller_ipc_owner = true;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
}
END_TEST

START_TEST(test_13_14_key_missing)
{
	keyed(0600, 1000, 100);
	req.key = 0x9999;
	shm(4096, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_ENOENT);
	ck_assert_int_eq(fit_cause_table[FIT_KEY_ENOENT].err, 2);
	ck_assert(!res.key_obj[FIT_SHMGET].exists);
	/* with IPC_CREAT the limits of a new segment apply */
	req.flags = CREAT | 0600;
	set1(SC_SHMMNI, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMMNI);
	set1(SC_SHMMNI, 2);
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
}
END_TEST

/* IPC_PRIVATE always creates: an object with key 0 is never opened. */
START_TEST(test_13_14_key_private_creates)
{
	keyed(0600, 1000, 100);
	kshm[0].perm.key = 0;
	req.key = 0;
	set1(SC_SHMMNI, 1);
	shm(4096, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_SHMMNI);
	ck_assert(!res.keyed);
}
END_TEST

/* A segment marked for removal lost its key (do_shm_rmid()). */
START_TEST(test_13_14_key_dest_segment_not_found)
{
	keyed(0600, 1000, 100);
	kshm[0].perm.mode |= IPC_SHM_DEST;
	shm(4096, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SHMGET].cause, FIT_KEY_ENOENT);
}
END_TEST

START_TEST(test_13_14_key_sem)
{
	keyed(CREAT | 0600, 1000, 100);
	req.has_sem = true;
	req.sem_arrays = 1;
	req.sems_per_array = 8;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMGET].cause, FIT_KEY_SEM_NSEMS);
	ck_assert_uint_eq(res.call[FIT_SEMGET].limit, 4);
	req.sems_per_array = 0;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	/* ksys_semget(): SEMMSL before the key is looked up */
	set_sem("2\t32000\t32\t128", 2, 32000, 32, 128, false);
	req.sems_per_array = 3;
	req.flags = CREAT | EXCL | 0600;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_SEMGET].cause, FIT_SEMMSL);
}
END_TEST

/* msgget has no more_checks: only EEXIST and the permissions. */
START_TEST(test_13_14_key_msg)
{
	keyed(CREAT | 0600, 2000, 200);
	req.has_queues = true;
	req.queues = 1;
	set1(SC_MSGMNI, 1);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_MSGGET].cause, FIT_KEY_EACCES);
	req.caller_uid = 1000;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
}
END_TEST

/*
 * With a key, msgsnd goes into the queue that holds it: msg_fits_inqueue()
 * against that queue's own qbytes, bytes and message count.
 */
START_TEST(test_13_s_key_msgsnd_full_queue)
{
	char buf[1024];

	keyed(CREAT | 0600, 1000, 100);
	kmsg[0].cbytes = 16384;
	kmsg[0].qnum = 16;
	kmsg[0].has_qbytes = true;
	kmsg[0].qbytes = 16384;
	req.has_queues = true;
	req.queues = 1;
	req.has_msg = true;
	req.msg_size_bytes = 1024;
	ck_assert_int_eq(predict(), 0);
	ck_assert(!res.fits);
	ck_assert_int_eq(res.call[FIT_MSGGET].cause, FIT_OK);
	ck_assert_int_eq(res.call[FIT_MSGSND].cause, FIT_MSG_QUEUE_FULL);
	ck_assert_uint_eq(res.call[FIT_MSGSND].fixes[0].needed, 17408);
	ck_assert_uint_eq(res.call[FIT_MSGSND].fixes[0].free_amount, 1024);
	fit_explain(&res, FIT_MSGSND, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "EAGAIN (Resource temporarily unavailable) "
	    "with IPC_NOWAIT, or blocks without it: queue 5 (key 0x00001234) "
	    "holds 16384 of its 16384 bytes (16 messages)") != NULL, "%s",
	    buf);
	fit_advise(&res, FIT_MSGSND, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "receive at least 1024 bytes from queue 5, "
	    "or raise its msg_qbytes to 17408") != NULL, "%s", buf);
	/* msgmax is checked first, as in do_msgsnd() */
	set1(SC_MSGMAX, 512);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_MSGSND].cause, FIT_MSGMAX);
	set1(SC_MSGMAX, 8192);
	/* room for the bytes, but as many messages as qbytes: one must go */
	kmsg[0].cbytes = 0;
	kmsg[0].qnum = 16;
	kmsg[0].qbytes = 16;
	req.msg_size_bytes = 0;
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_MSGSND].cause, FIT_MSG_QUEUE_FULL);
	fit_advise(&res, FIT_MSGSND, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "receive a message from queue 5") != NULL,
	    "%s", buf);
	/* a queue with room takes it; a message above qbytes never fits */
	kmsg[0].qnum = 0;
	kmsg[0].qbytes = 16384;
	req.msg_size_bytes = 1024;
	ck_assert_int_eq(predict(), 0);
	ck_assert(res.fits);
	req.msg_size_bytes = 20000;
	set1(SC_MSGMAX, 65536);
	ck_assert_int_eq(predict(), 0);
	ck_assert_int_eq(res.call[FIT_MSGSND].cause, FIT_MSG_QUEUE_FULL);
	ck_assert(!res.call[FIT_MSGSND].fixes[0].can_free);
}
END_TEST

START_TEST(test_13_14_key_sentences)
{
	char buf[1024];

	keyed(CREAT | 0600, 1000, 100);
	shm(8192, 1);
	ck_assert_int_eq(predict(), 0);
	fit_explain(&res, FIT_SHMGET, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "shmget would fail with EINVAL (Invalid "
	    "argument): key 0x00001234 already names segment 7 (owner uid "
	    "1000 gid 100") != NULL, "%s", buf);
	fit_advise(&res, FIT_SHMGET, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "ipcrm -m 7") != NULL, "%s", buf);
	req.caller_uid = 2000;
	kgids[0] = 200;
	shm(1, 1);
	ck_assert_int_eq(predict(), 0);
	fit_explain(&res, FIT_SHMGET, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "the flags ask for rw-, but its mode grants "
	    "uid 2000 (as other) only ---") != NULL, "%s", buf);
}
END_TEST

START_TEST(test_13_14_key_needs_objects)
{
	char err[256];

	keyed(CREAT | 0600, 1000, 100);
	ks.has_shm = false;
	shm(1, 1);
	ck_assert_int_eq(fit_predict(&ks, &req, &res, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "0x00001234") != NULL, "%s", err);
}
END_TEST

/* Each call works on the type its name starts with; the gets end in get. */
START_TEST(test_call_types)
{
	size_t ngets = 0;

	for (int i = 0; i < FIT_NCALLS; i++) {
		const char *name = fit_call_names[i];
		const char *t = ipctype_table[fit_call_types[i].type].name;
		size_t n = strlen(name);

		ck_assert_msg(strncmp(name, t, strlen(t)) == 0, "%s", name);
		ck_assert_int_eq(fit_call_types[i].get, n > 3 &&
		    strcmp(name + n - 3, "get") == 0);
		ngets += fit_call_types[i].get;
	}
	/* one get per System V type */
	ck_assert_uint_eq(ngets, IPC_NSYSV);
}
END_TEST

static Suite *
fit_suite(void)
{
	Suite *s = suite_create("fit");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_defaults_fit);
	tcase_add_test(tc, test_call_types);
	tcase_add_test(tc, test_shm_size_zero);
	tcase_add_test(tc, test_shmmax_before_shmall);
	tcase_add_test(tc, test_shmall_rounds_pages);
	tcase_add_test(tc, test_shm_sequence);
	tcase_add_test(tc, test_shmall_checked_before_shmmni);
	tcase_add_test(tc, test_shmmni_over_ipcmni);
	tcase_add_test(tc, test_shm_overflow);
	tcase_add_test(tc, test_shm_file_size);
	tcase_add_test(tc, test_sem_order);
	tcase_add_test(tc, test_sem_negative_fields);
	tcase_add_test(tc, test_semop);
	tcase_add_test(tc, test_msg);
	tcase_add_test(tc, test_sentences);
	tcase_add_test(tc, test_advice_singular);
	tcase_add_test(tc, test_needs_state);
	tcase_add_test(tc, test_13_14_key_segment_smaller_is_einval);
	tcase_add_test(tc, test_13_14_key_check_order);
	tcase_add_test(tc, test_13_14_key_permissions);
	tcase_add_test(tc, test_13_14_key_missing);
	tcase_add_test(tc, test_13_14_key_private_creates);
	tcase_add_test(tc, test_13_14_key_dest_segment_not_found);
	tcase_add_test(tc, test_13_14_key_sem);
	tcase_add_test(tc, test_13_14_key_msg);
	tcase_add_test(tc, test_13_s_key_msgsnd_full_queue);
	tcase_add_test(tc, test_13_14_key_sentences);
	tcase_add_test(tc, test_13_14_key_needs_objects);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fit_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
