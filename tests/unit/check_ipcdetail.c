/*
 * check_ipcdetail.c: the parsers of /proc/PID/task/TID/syscall (in
 * procparse, which ipcdetail reads waiters with) and of the Uid line of
 * /proc/PID/status, with hostile input, and the detail of a segment and
 * a queue read from a fixture tree: attachers with their users, rss and
 * swap, waiters with their calls, and the state of the recorded PIDs.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ipcdetail.h"
#include "procparse.h"

static char root[64];

/* The text of /proc/PID/syscall for call NR with arguments A0, A1. */
static const char *
sc(long nr, unsigned long long a0, unsigned long long a1)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%ld 0x%llx 0x%llx 0x0 0x0 0x0 0x0 "
	    "0x7ffc12345678 0x7f0012345678\n", nr, a0, a1);
	return buf;
}

START_TEST(syscall_calls)
{
	struct procparse_call c;

#ifdef SYS_semtimedop
	ck_assert_int_eq(procparse_syscall(sc(SYS_semtimedop, 7, 0),
	    &c), 0);
	ck_assert_int_eq(c.call, ODC_SEMTIMEDOP);
	ck_assert_int_eq(c.type, IPC_SEM);
	ck_assert_int_eq(c.id, 7);
	/* nsops is the third argument */
	ck_assert_int_eq(procparse_syscall("220 0x7 0x7ffc 0x3 0x0 "
	    "0x0 0x0 0x1 0x2\n", &c), SYS_semtimedop == 220 ? 0 : -1);
	if (SYS_semtimedop == 220) {
		ck_assert(c.has_arg);
		ck_assert_int_eq(c.arg, 3);
	}
#endif
#ifdef SYS_semop
	ck_assert_int_eq(procparse_syscall(sc(SYS_semop, 0, 0), &c), 0);
	ck_assert_int_eq(c.call, ODC_SEMOP);
	ck_assert_int_eq(c.id, 0);
#endif
#ifdef SYS_msgsnd
	ck_assert_int_eq(procparse_syscall(sc(SYS_msgsnd, 32769, 0),
	    &c), 0);
	ck_assert_int_eq(c.call, ODC_MSGSND);
	ck_assert_int_eq(c.type, IPC_MSG);
	ck_assert_int_eq(c.id, 32769);
	/* no newline at the end */
	ck_assert_int_eq(procparse_syscall("69 0x5 0x0 0x0 0x0 0x0 "
	    "0x0 0x1 0x2", &c), SYS_msgsnd == 69 ? 0 : -1);
	/* an int argument: the register's high half is not the id's */
	ck_assert_int_eq(procparse_syscall(sc(SYS_msgsnd,
	    0xdeadbeef00000005ull, 0), &c), 0);
	ck_assert_int_eq(c.id, 5);
	/* a negative id is no object */
	ck_assert_int_eq(procparse_syscall(sc(SYS_msgsnd,
	    0xffffffffull, 0), &c), -1);
	ck_assert_int_eq(procparse_syscall(sc(SYS_msgsnd,
	    0x80000000ull, 0), &c), -1);
#endif
#ifdef SYS_msgrcv
	ck_assert_int_eq(procparse_syscall(sc(SYS_msgrcv, 2, 0), &c), 0);
	ck_assert_int_eq(c.call, ODC_MSGRCV);
	if (SYS_msgrcv == 70) {
		/* msgtyp, the fourth argument, is a long: -5 */
		ck_assert_int_eq(procparse_syscall("70 0x2 0x7ffc 0x10 "
		    "0xfffffffffffffffb 0x0 0x0 0x1 0x2\n", &c), 0);
		ck_assert(c.has_arg);
		ck_assert_int_eq(c.arg, -5);
		/* beyond 2^53: not carried */
		ck_assert_int_eq(procparse_syscall("70 0x2 0x7ffc 0x10 "
		    "0x7fffffffffffffff 0x0 0x0 0x1 0x2\n", &c), 0);
		ck_assert(!c.has_arg);
	}
#endif
#ifdef SYS_msgsnd
	if (SYS_msgsnd == 69) {
		ck_assert_int_eq(procparse_syscall("69 0x2 0x7ffc "
		    "0x2000 0x0 0x0 0x0 0x1 0x2\n", &c), 0);
		ck_assert(c.has_arg);
		ck_assert_int_eq(c.arg, 8192);
		/* a size_t above 2^53 is not carried either */
		ck_assert_int_eq(procparse_syscall("69 0x2 0x7ffc "
		    "0xffffffffffffffff 0x0 0x0 0x0 0x1 0x2\n", &c), 0);
		ck_assert(!c.has_arg);
	}
#endif
#ifdef SYS_read
	ck_assert_int_eq(procparse_syscall(sc(SYS_read, 3, 0), &c), -1);
#endif
}
END_TEST

START_TEST(syscall_hostile)
{
	static const char *const bad[] = {
		"", "\n", "running", "running\n", "-1 0x7ffc 0x7f00\n",
		"-2 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n",
		/* too few and too many fields */
		"69 0x5 0x0 0x0 0x0 0x0 0x0 0x1\n",
		"69 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2 0x3\n",
		/* not as the kernel prints: case, prefix, spaces, signs */
		"69 0X5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"69 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0xA\n",
		"69 5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"69 0x 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"69  0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		" 69 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"69\t0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"+69 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"69 -0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"69 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2 \n",
		"69 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\nx",
		"69 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n\n",
		/* overflow: 17 hex digits, a number past INT32_MAX */
		"69 0x10000000000000005 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"4294967365 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"99999999999999999999999 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"69x 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
		"0x45 0x5 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
	};
	struct procparse_call c;
	char big[8192];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(procparse_syscall(bad[i], &c) == -1,
		    "accepted '%s'", bad[i]);
	memset(big, 'f', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = '6';
	big[1] = '9';
	big[2] = ' ';
	ck_assert_int_eq(procparse_syscall(big, &c), -1);
}
END_TEST

START_TEST(status_uid)
{
	uid_t u = 42;

	ck_assert_int_eq(ipcdetail_parse_status_uid("Name:\tx\nUid:\t1000\t"
	    "0\t0\t0\nGid:\t5\t5\t5\t5\n", &u), 0);
	ck_assert_int_eq(u, 0);		/* the effective uid */
	ck_assert_int_eq(ipcdetail_parse_status_uid("Uid:\t7\t65534\t7\t7",
	    &u), 0);
	ck_assert_int_eq(u, 65534);
	ck_assert_int_eq(ipcdetail_parse_status_uid("Uid: 3 4\n", &u), 0);
	ck_assert_int_eq(u, 4);
}
END_TEST

START_TEST(status_uid_hostile)
{
	static const char *const bad[] = {
		"", "Name:\tx\n", "Uid:\n", "Uid:\t5\n", "Uid:\t5\t\n",
		"XUid:\t1\t2\n", "Uid:\t1\t-2\t3\t4\n", "Uid:\t1\t2x\t3\n",
		"Uid:\t1\t4294967295\t1\t1\n", "Uid:\t1\t4294967296\t1\t1\n",
		"Uid:\t1\t99999999999999999999999\n", "Uid:\tx\t1\n",
	};
	uid_t u;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ipcdetail_parse_status_uid(bad[i], &u) == -1,
		    "accepted '%s'", bad[i]);
}
END_TEST

static void
put(const char *rel, const char *text)
{
	char path[256], dir[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	for (char *p = dir + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* A running process PID named COMM with effective uid UID. */
static void
proc(int pid, const char *comm, int uid)
{
	char rel[64], text[256];

	snprintf(rel, sizeof(rel), "/proc/%d/stat", pid);
	/* started 1 s after boot */
	snprintf(text, sizeof(text), "%d (%s) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 "
	    "0 20 0 1 0 %ld 1000 10\n", pid, comm, sysconf(_SC_CLK_TCK));
	put(rel, text);
	snprintf(rel, sizeof(rel), "/proc/%d/comm", pid);
	snprintf(text, sizeof(text), "%s\n", comm);
	put(rel, text);
	snprintf(rel, sizeof(rel), "/proc/%d/status", pid);
	snprintf(text, sizeof(text), "Name:\t%s\nUid:\t%d\t%d\t%d\t%d\n",
	    comm, uid, uid, uid, uid);
	put(rel, text);
}

static void
setup(void)
{
	snprintf(root, sizeof(root), "/tmp/check_ipcdetail.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	put("/proc/stat", "cpu  1 2 3\nbtime 1700000000\n");
	proc(100, "db", 1000);
	put("/proc/100/maps", "7f00-7f10 rw-s 00000000 00:01 9  "
	    "/SYSV00001234 (deleted)\n");
	proc(101, "tool", 0);
	put("/proc/101/maps", "7f00-7f10 r--s 00000000 00:01 9  "
	    "/SYSV00001234 (deleted)\n");
	put("/proc/sysvipc/shm", "       key      shmid perms       size  "
	    "cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime "
	    "     ctime        rss       swap\n"
	    "      4660          9   600      8192   100   101      2  1000  "
	    "1000  1000  1000 1700000100 0 1700000000 4096 0\n");
	/* a thread of 102 sends to queue 3, another receives from 4 */
	proc(102, "mq", 0);
	put("/proc/102/task/102/syscall", sc(SYS_msgsnd, 3, 0));
	put("/proc/102/task/103/syscall", sc(SYS_msgrcv, 4, 0));
	put("/proc/102/task/104/syscall", "running\n");
	proc(105, "rcv", 0);
	put("/proc/105/task/105/syscall", sc(SYS_msgrcv, 3, 0));
}

static void
teardown(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

START_TEST(segment_from_tree)
{
	struct objdetail d;
	struct procscan ps;
	char warn[256];

	objdetail_init(&d);
	d.type = IPC_SHM;
	d.shm.perm.id = 9;
	d.shm.cpid = 100;
	d.shm.lpid = 777;	/* gone */
	procscan_init(&ps, root, false, 0);
	ipcdetail_read(&ps, &d, warn, sizeof(warn));
	ck_assert_str_eq(warn, "");
	ck_assert(d.live && d.has_attachers);
	ck_assert_uint_eq(d.nattachers, 2);
	ck_assert_int_eq(d.attachers[0].pid, 100);
	ck_assert_str_eq(d.attachers[0].comm, "db");
	ck_assert(d.attachers[0].has_uid);
	ck_assert_int_eq(d.attachers[0].uid, 1000);
	ck_assert_int_eq(d.attachers[1].pid, 101);
	ck_assert(d.shm.has_rss);
	ck_assert_uint_eq(d.shm.rss_bytes, 4096);
	ck_assert_int_eq(d.role[ODP_CPID].run, ODR_RUNS);
	ck_assert_str_eq(d.role[ODP_CPID].comm, "db");
	ck_assert_int_eq(d.role[ODP_LPID].run, ODR_GONE);
	ck_assert(!d.has_waiters && !d.has_sems);
	objdetail_release(&d);

	/* 100 started at 1700000001: long after a ctime, or just after */
	d.type = IPC_SHM;
	d.shm.perm.id = 9;
	d.shm.cpid = 100;
	d.shm.lpid = 100;
	d.shm.ctime = 1600000000;
	d.shm.atime = 1700000000;
	ipcdetail_read(&ps, &d, warn, sizeof(warn));
	ck_assert_int_eq(d.role[ODP_CPID].run, ODR_REUSED);
	ck_assert_int_eq(d.role[ODP_LPID].run, ODR_AMBIGUOUS);
	ck_assert_str_eq(d.role[ODP_CPID].comm, "db");
	objdetail_release(&d);
	d.type = IPC_SHM;
	d.shm.perm.id = 9;
	d.shm.cpid = 100;
	d.shm.ctime = 1700000001;
	ipcdetail_read(&ps, &d, warn, sizeof(warn));
	ck_assert_int_eq(d.role[ODP_CPID].run, ODR_RUNS);
	procscan_release(&ps);
	objdetail_release(&d);
}
END_TEST

START_TEST(queue_from_tree)
{
	struct objdetail d;
	struct procscan ps;
	char warn[256];

	objdetail_init(&d);
	d.type = IPC_MSG;
	d.msg.perm.id = 3;
	d.msg.lrpid = 105;
	procscan_init(&ps, root, false, 0);
	ipcdetail_read(&ps, &d, warn, sizeof(warn));
	ck_assert_str_eq(warn, "");
	ck_assert(d.has_waiters);
	ck_assert_uint_eq(d.nwaiters, 2);
	/* 102 sends to 3 (its receive on 4 is another queue's) */
	ck_assert_int_eq(d.waiters[0].who.pid, 102);
	ck_assert_int_eq(d.waiters[0].call, ODC_MSGSND);
	ck_assert(d.waiters[0].has_arg);
	ck_assert_int_eq(d.waiters[0].arg, 0);
	ck_assert_str_eq(d.waiters[0].who.comm, "mq");
	ck_assert_int_eq(d.waiters[1].who.pid, 105);
	ck_assert_int_eq(d.waiters[1].call, ODC_MSGRCV);
	ck_assert_int_eq(d.role[ODP_LSPID].run, ODR_NONE);
	ck_assert_int_eq(d.role[ODP_LRPID].run, ODR_RUNS);
	/* a tree has no semctl: semaphore values stay unread */
	ck_assert(!d.has_sems && !d.has_attachers);
	procscan_release(&ps);
	objdetail_release(&d);
}
END_TEST

static Suite *
ipcdetail_suite(void)
{
	Suite *s = suite_create("ipcdetail");
	TCase *tc = tcase_create("parse");
	TCase *tt = tcase_create("tree");

	tcase_add_test(tc, syscall_calls);
	tcase_add_test(tc, syscall_hostile);
	tcase_add_test(tc, status_uid);
	tcase_add_test(tc, status_uid_hostile);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tt, setup, teardown);
	tcase_add_test(tt, segment_from_tree);
	tcase_add_test(tt, queue_from_tree);
	suite_add_tcase(s, tt);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ipcdetail_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
