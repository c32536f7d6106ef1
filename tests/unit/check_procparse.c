/* Unit tests for procparse.c: /proc/sys values and /proc/sysvipc tables. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "procparse.h"

/* Verbatim from a 6.18 kernel (64-bit layout, 16 columns). */
static const char shm64[] =
"       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
"1457061897          0  2640               1048576 14951 14964      1     0     0     0     0 1795926797          0 1795926797                 12288                     0\n"
"         0          1  1644                 65536 14952 14964      1     0     0     0     0 1795926797          0 1795926797                     0                     0\n"
"-559038737          2   600                  8192 14964 14964      1     0     0     0     0 1795926797          0 1795926797                  4096                     0\n";

/* The pre-2.6.37 layout: 14 columns, no rss/swap. */
static const char shm14[] =
"       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n"
"      4660      32768   666       4096   100   101      0  1000  1000  1000  1000          0          0 1700000000\n";

static const char sem[] =
"       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
"1079813027          0   644          5     0     0     0     0 1795926797 1795926797\n";

static const char msg[] =
"       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n"
"1619682894          0   644          43          2 14964     0     0     0     0     0 1795926797          0 1795926797\n";

START_TEST(test_shm64)
{
	struct shm_obj *o;
	size_t n;
	char err[256];

	ck_assert_int_eq(procparse_shm(shm64, strlen(shm64), &o, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(o[0].perm.key, 1457061897u);
	ck_assert_uint_eq(o[0].perm.mode, 02640);
	ck_assert(o[0].perm.mode & IPC_SHM_LOCKED);
	ck_assert(o[1].perm.mode & IPC_SHM_DEST);
	ck_assert_uint_eq(o[0].size_bytes, 1048576);
	ck_assert_int_eq(o[0].cpid, 14951);
	ck_assert_int_eq(o[0].lpid, 14964);
	ck_assert_uint_eq(o[0].nattch, 1);
	ck_assert(o[0].has_rss);
	ck_assert_uint_eq(o[0].rss_bytes, 12288);
	ck_assert_int_eq(o[0].atime, 1795926797);
	/* keys print as signed decimal: -559038737 is 0xdeadbeef */
	ck_assert_uint_eq(o[2].perm.key, 0xdeadbeefu);
	ck_assert_int_eq(o[2].perm.id, 2);
	free(o);
}
END_TEST

START_TEST(test_shm14)
{
	struct shm_obj *o;
	size_t n;
	char err[256];

	ck_assert_int_eq(procparse_shm(shm14, strlen(shm14), &o, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert(!o[0].has_rss);
	ck_assert_int_eq(o[0].perm.id, 32768);
	ck_assert_uint_eq(o[0].perm.key, 0x1234);
	ck_assert_uint_eq(o[0].perm.uid, 1000);
	free(o);
}
END_TEST

START_TEST(test_sem_msg)
{
	struct sem_obj *s;
	struct msg_obj *m;
	size_t n;
	char err[256];

	ck_assert_int_eq(procparse_sem(sem, strlen(sem), &s, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(s[0].nsems, 5);
	ck_assert_uint_eq(s[0].perm.mode, 0644);
	ck_assert_int_eq(s[0].otime, 1795926797);
	free(s);
	ck_assert_int_eq(procparse_msg(msg, strlen(msg), &m, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(m[0].cbytes, 43);
	ck_assert_uint_eq(m[0].qnum, 2);
	ck_assert_int_eq(m[0].lspid, 14964);
	ck_assert(!m[0].has_qbytes);
	ck_assert_int_eq(m[0].rtime, 0);
	free(m);
}
END_TEST

START_TEST(test_header_only)
{
	struct sem_obj *s;
	size_t n = 99;
	char err[256];
	const char *h = "       key      semid perms      nsems   uid   gid  "
	    "cuid  cgid      otime      ctime\n";

	ck_assert_int_eq(procparse_sem(h, strlen(h), &s, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	free(s);
}
END_TEST

static void
expect_bad_len(const char *text, size_t len, const char *needle)
{
	struct shm_obj *o = NULL;
	size_t n;
	char err[256] = "";

	ck_assert_int_eq(procparse_shm(text, len, &o, &n, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err,
	    needle);
	ck_assert_ptr_null(o);
}

static void
expect_bad(const char *text, const char *needle)
{
	expect_bad_len(text, strlen(text), needle);
}

START_TEST(test_hostile)
{
	char big[4096];

	expect_bad("", "empty");
	expect_bad("garbage\n", "not a /proc/sysvipc header");
	expect_bad("key semid perms\n", "not a /proc/sysvipc header");
	/* truncated row */
	expect_bad("key shmid perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime\n1 2 600 4096 1 1\n", "line 2");
	/* out of range numbers */
	expect_bad("key shmid perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime\n99999999999 2 600 4096 1 1 0 0 0 0 0 0 0 0\n",
	    "bad key");
	expect_bad("key shmid perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime\n1 -2 600 4096 1 1 0 0 0 0 0 0 0 0\n",
	    "bad shmid");
	expect_bad("key shmid perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime\n1 2 999 4096 1 1 0 0 0 0 0 0 0 0\n",
	    "bad perms");
	expect_bad("key shmid perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime\n1 2 600 18446744073709551616 1 1 0 0 0 0 0 "
	    "0 0 0\n", "out of range");
	expect_bad("key shmid perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime\n1 2 600 4x 1 1 0 0 0 0 0 0 0 0\n",
	    "not a number");
	/* NUL byte inside a line */
	{
		static const char nul[] = "key shmid perms size cpid lpid "
		    "nattch uid gid cuid cgid atime dtime ctime\n1 2 600 4\0 "
		    "1 1 0 0 0 0 0 0 0 0\n";

		expect_bad_len(nul, sizeof(nul) - 1, "line 2");
	}
	/* a line longer than any the kernel prints */
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_bad(big, "line 1");
	/* a 15-column header is no known layout */
	expect_bad("key shmid perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime rss\n", "columns");
}
END_TEST

START_TEST(test_sysctl)
{
	struct sysctl_value v;
	char err[256];

	ck_assert_int_eq(procparse_sysctl(SC_SHMMAX,
	    "18446744073692774399\n", &v, err, sizeof(err)), 0);
	ck_assert(v.present);
	ck_assert_uint_eq(v.v[0], 18446744073692774399ull);
	ck_assert_str_eq(v.raw, "18446744073692774399");
	ck_assert_int_eq(procparse_sysctl(SC_SEM,
	    "32000\t1024000000\t500\t32000\n", &v, err, sizeof(err)), 0);
	ck_assert_uint_eq(v.v[SEM_SEMMSL], 32000);
	ck_assert_uint_eq(v.v[SEM_SEMMNS], 1024000000);
	ck_assert_uint_eq(v.v[SEM_SEMOPM], 500);
	ck_assert_uint_eq(v.v[SEM_SEMMNI], 32000);
	ck_assert_str_eq(v.raw, "32000\t1024000000\t500\t32000");
	/* negative sem fields are accepted by the kernel */
	ck_assert_int_eq(procparse_sysctl(SC_SEM, "-5 10 10 10", &v, err,
	    sizeof(err)), 0);
	ck_assert(v.negative);
	ck_assert_uint_eq(v.v[SEM_SEMMSL], 0);
	/* queues_max is an unsigned int printed through proc_dointvec */
	ck_assert_int_eq(procparse_sysctl(SC_MQ_QUEUES_MAX, "-1\n", &v, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(v.v[0], 4294967295u);
	ck_assert_int_eq(procparse_sysctl(SC_SEM, "1 2 3", &v, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "expected 4 fields"));
	ck_assert_int_eq(procparse_sysctl(SC_SEM, "1 2 3 4 5", &v, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(procparse_sysctl(SC_SHMMNI, "abc", &v, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "kernel.shmmni"));
	ck_assert_int_eq(procparse_sysctl(SC_SHMMAX, "-1", &v, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(procparse_sysctl(SC_SHMMAX, "18446744073709551616",
	    &v, err, sizeof(err)), -1);
	ck_assert_int_eq(procparse_sysctl(SC_MSGMAX, "", &v, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(procparse_sysctl(SC_MSGMAX, "2147483648", &v, err,
	    sizeof(err)), -1);
}
END_TEST

#define SEMHDR "key semid perms nsems uid gid cuid cgid otime ctime\n"
#define SHMHDR "key shmid perms size cpid lpid nattch uid gid cuid cgid " \
    "atime dtime ctime\n"
#define MSGHDR "key msqid perms cbytes qnum lspid lrpid uid gid cuid " \
    "cgid stime rtime ctime\n"

static void
expect_bad_sem(const char *text, const char *needle)
{
	struct sem_obj *o = (struct sem_obj *)1;
	size_t n = 1;
	char err[256] = "";

	ck_assert_int_eq(procparse_sem(text, strlen(text), &o, &n, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(o);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err,
	    needle);
}

static void
expect_bad_msg(const char *text, const char *needle)
{
	struct msg_obj *o = NULL;
	size_t n;
	char err[256] = "";

	ck_assert_int_eq(procparse_msg(text, strlen(text), &o, &n, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err,
	    needle);
}

/* 13.5: values no kernel can hold are refused, the field named */
START_TEST(test_kernel_bounds)
{
	struct sem_obj *so;
	size_t n;
	char err[256];
	static const char ok[] = SEMHDR
	    "1 0 600 2147483647 0 0 0 0 0 1\n";

	/* sem_nsems is an int (ksys_semget: 0 < nsems <= SEMMSL) */
	expect_bad_sem(SEMHDR "1 0 600 18446744073709551615 0 0 0 0 0 1\n"
	    "2 1 600 18446744073709551615 0 0 0 0 0 1\n",
	    "line 2: bad nsems '18446744073709551615': out of range");
	expect_bad_sem(SEMHDR "1 0 600 2147483648 0 0 0 0 0 1\n",
	    "bad nsems '2147483648'");
	expect_bad_sem(SEMHDR "1 0 600 0 0 0 0 0 0 1\n", "bad nsems '0'");
	/* used_sems, the sum of nsems, is an int too */
	ck_assert_int_eq(procparse_sem(ok, strlen(ok), &so, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(so[0].nsems, 2147483647u);
	free(so);
	expect_bad_sem(SEMHDR "1 0 600 2147483647 0 0 0 0 0 1\n"
	    "2 1 600 1 0 0 0 0 0 1\n", "semid 1");
	/* semaphore and queue modes are the 9 permission bits */
	expect_bad_sem(SEMHDR "1 0 1600 5 0 0 0 0 0 1\n", "bad perms '1600'");
	expect_bad_msg(MSGHDR "1 0 2644 0 0 0 0 0 0 0 0 0 0 1\n",
	    "bad perms '2644'");
	/* a segment has SHM_DEST and SHM_LOCKED at most */
	expect_bad(SHMHDR "1 2 4600 4096 1 1 0 0 0 0 0 0 0 0\n",
	    "bad perms '4600'");
	/* PID_MAX_LIMIT is 4194304 (include/linux/threads.h) */
	expect_bad(SHMHDR "1 2 600 4096 4194305 1 0 0 0 0 0 0 0 0\n",
	    "bad cpid '4194305'");
	expect_bad_msg(MSGHDR "1 0 644 0 0 0 4194305 0 0 0 0 0 0 1\n",
	    "bad lrpid '4194305'");
}
END_TEST

START_TEST(test_sysctl_bounds)
{
	struct sysctl_value v;
	char err[256];

	/* proc_dointvec prints queues_max as an int */
	ck_assert_int_eq(procparse_sysctl(SC_MQ_QUEUES_MAX, "4294967295", &v,
	    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'fs.mqueue.queues_max': bad number "
	    "'4294967295': out of range") != NULL, "%s", err);
	/* each kernel.sem field is an int; the field is named */
	ck_assert_int_eq(procparse_sysctl(SC_SEM, "250 2147483648 32 128", &v,
	    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'kernel.sem': bad semmns '2147483648': "
	    "out of range") != NULL, "%s", err);
	ck_assert_int_eq(procparse_sysctl(SC_SEM, "-2147483648 -1 -1 0", &v,
	    err, sizeof(err)), 0);
}
END_TEST

/* /proc/PID/status and /proc/PID/limits as 6.x prints them, and worse. */
START_TEST(test_caller_ids_and_limits)
{
	static const char status[] = "Name:\tsleep\nUmask:\t0022\n"
	    "State:\tS (sleeping)\nUid:\t1000\t65534\t1000\t65534\n"
	    "Gid:\t100\t200\t100\t200\nGroups:\t\n";
	static const char limits[] =
	    "Limit                     Soft Limit           Hard Limit"
	    "           Units     \n"
	    "Max locked memory         8388608              8388608"
	    "              bytes     \n"
	    "Max msgqueue size         1000                 819200"
	    "               bytes     \n";
	static const char *const bad_status[] = { "", "Uid:", "Uid:\t\n",
	    "XUid:\t1\t2\n", "Uid:\t-1\t2\n", "Uid:\t1x\t2\n",
	    "Uid:\t4294967295\n", "Uid:\t99999999999999999999\n" };
	static const char *const bad_limits[] = { "",
	    "Max msgqueue size\n", "Max msgqueue sizes 5 5 bytes\n",
	    "Max msgqueue size         -1  5 bytes\n",
	    "Max msgqueue size         12x 5 bytes\n",
	    "Max msgqueue size         18446744073709551616 5 bytes\n",
	    "XMax msgqueue size        5 5 bytes\n" };
	uint32_t ids[4];
	uint64_t soft;

	ck_assert_int_eq(procparse_status_ids(status, "Uid:", ids, 4), 4);
	ck_assert_uint_eq(ids[1], 65534);
	ck_assert_int_eq(procparse_status_ids(status, "Gid:", ids, 4), 4);
	ck_assert_uint_eq(ids[1], 200);
	ck_assert_int_eq(procparse_status_ids(status, "Gid:", ids, 2), 2);
	ck_assert_int_eq(procparse_status_ids("Uid: 3\n", "Uid:", ids, 4),
	    1);
	for (size_t i = 0; i < sizeof(bad_status) / sizeof(bad_status[0]);
	    i++)
		ck_assert_msg(procparse_status_ids(bad_status[i], "Uid:", ids,
		    4) == -1, "accepted '%s'", bad_status[i]);
	ck_assert_int_eq(procparse_limit(limits, "Max msgqueue size", &soft),
	    0);
	ck_assert_uint_eq(soft, 1000);
	ck_assert_int_eq(procparse_limit(limits, "Max locked memory", &soft),
	    0);
	ck_assert_uint_eq(soft, 8388608);
	ck_assert_int_eq(procparse_limit("Max msgqueue size         "
	    "unlimited            unlimited            bytes\n",
	    "Max msgqueue size", &soft), 0);
	ck_assert_uint_eq(soft, UINT64_MAX);
	ck_assert_int_eq(procparse_limit(limits, "Max cpu time", &soft), -1);
	for (size_t i = 0; i < sizeof(bad_limits) / sizeof(bad_limits[0]);
	    i++)
		ck_assert_msg(procparse_limit(bad_limits[i],
		    "Max msgqueue size", &soft) == -1, "accepted '%s'",
		    bad_limits[i]);
}
END_TEST

static Suite *
procparse_suite(void)
{
	Suite *s = suite_create("procparse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_shm64);
	tcase_add_test(tc, test_shm14);
	tcase_add_test(tc, test_sem_msg);
	tcase_add_test(tc, test_header_only);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_sysctl);
	tcase_add_test(tc, test_kernel_bounds);
	tcase_add_test(tc, test_sysctl_bounds);
	tcase_add_test(tc, test_caller_ids_and_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(procparse_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
