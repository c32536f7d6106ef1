/*
 * check_calltext.c: unit tests of calltext.c on lines captured from
 * strace 6.1 (with -f, -Y, -y, -X raw/verbose, -xx, -t, -tt, -ttt, -r,
 * -T, -o) and perf trace 6.1
 * on this kernel, and on hostile lines: every one is an error with a
 * column, never a guess.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calltext.h"

static struct calltext ct;
static char err[256];

static int
parse(const char *line)
{
	return calltext_parse(line, &ct, err, sizeof(err));
}

/* Whether the parsed call has an argument of kind K. */
static bool
has(enum ipccall_arg k)
{
	uint64_t v;

	return ipccall_arg_get(&ct.args, k, &v);
}

/* The parsed call's argument of kind K, which it must have. */
static uint64_t
arg(enum ipccall_arg k)
{
	uint64_t v = 0;

	ck_assert(ipccall_arg_get(&ct.args, k, &v));
	return v;
}

START_TEST(test_strace_get_calls)
{
	ck_assert_int_eq(parse("semget(IPC_PRIVATE, 100000, "
	    "IPC_CREAT|IPC_EXCL|0640) = -1 EINVAL (Invalid argument)"), 0);
	ck_assert_int_eq(ct.source, CT_STRACE);
	ck_assert_int_eq(ct.args.call, IPCCALL_SEMGET);
	ck_assert(has(IPCARG_KEY) && arg(IPCARG_KEY) == 0);
	ck_assert_uint_eq(arg(IPCARG_NSEMS), 100000);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 01000 | 02000 | 0640);
	ck_assert(ct.failed);
	ck_assert_int_eq(ct.err, EINVAL);
	ck_assert_str_eq(ct.errname, "EINVAL");
	ck_assert_int_eq(ct.pid, -1);

	ck_assert_int_eq(parse("shmget(0x1234, 4096, 000)               = "
	    "-1 ENOENT (No such file or directory)"), 0);
	ck_assert_int_eq(ct.args.call, IPCCALL_SHMGET);
	ck_assert_uint_eq(arg(IPCARG_KEY), 0x1234);
	ck_assert_uint_eq(arg(IPCARG_SIZE), 4096);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 0);
	ck_assert_int_eq(ct.err, ENOENT);

	ck_assert_int_eq(parse("shmget(0x1234, 4096, IPC_CREAT|IPC_EXCL|"
	    "SHM_HUGETLB|0600) = -1 ENOMEM (Cannot allocate memory)"), 0);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 01000 | 02000 | 04000 | 0600);
	ck_assert_int_eq(ct.err, ENOMEM);

	ck_assert_int_eq(parse("msgget(0x42, 0666)                      = "
	    "-1 ENOENT (No such file or directory)"), 0);
	ck_assert_int_eq(ct.args.call, IPCCALL_MSGGET);
	ck_assert_uint_eq(arg(IPCARG_KEY), 0x42);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 0666);

	ck_assert_int_eq(parse("msgget(IPC_PRIVATE, IPC_CREAT|0600)     = 0"),
	    0);
	ck_assert(!ct.failed);
	ck_assert_int_eq(ct.ret, 0);
}
END_TEST

START_TEST(test_strace_object_calls)
{
	ck_assert_int_eq(parse("semtimedop(5, [{sem_num=0, sem_op=-1, "
	    "sem_flg=IPC_NOWAIT}], 1, NULL) = -1 EINVAL (Invalid argument)"),
	    0);
	ck_assert_int_eq(ct.args.call, IPCCALL_SEMTIMEDOP);
	ck_assert(has(IPCARG_ID) && (int32_t)arg(IPCARG_ID) == 5);
	ck_assert_uint_eq(arg(IPCARG_NSOPS), 1);
	ck_assert(!has(IPCARG_KEY));

	ck_assert_int_eq(parse("semtimedop(0, [{sem_num=0, sem_op=0, "
	    "sem_flg=0}, {sem_num=0, sem_op=0, sem_flg=0}, ...], 600, "
	    "{tv_sec=0, tv_nsec=1000}) = -1 E2BIG (Argument list too long)"),
	    0);
	ck_assert_uint_eq(arg(IPCARG_NSOPS), 600);
	ck_assert_int_eq(ct.err, E2BIG);

	ck_assert_int_eq(parse("semop(3, 0x7ffc1234, 2) = -1 EIDRM "
	    "(Identifier removed)"), 0);
	ck_assert_int_eq(ct.args.call, IPCCALL_SEMOP);
	ck_assert_int_eq((int32_t)arg(IPCARG_ID), 3);
	ck_assert_uint_eq(arg(IPCARG_NSOPS), 2);
	ck_assert_int_eq(ct.err, EIDRM);

	ck_assert_int_eq(parse("msgsnd(0, {mtype=1, mtext=\"\\0\\\"),(\\0\"...}"
	    ", 90000, IPC_NOWAIT) = -1 EINVAL (Invalid argument)"), 0);
	ck_assert_int_eq(ct.args.call, IPCCALL_MSGSND);
	ck_assert_uint_eq(arg(IPCARG_SIZE), 90000);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 04000);

	ck_assert_int_eq(parse("shmat(12345, NULL, SHM_RDONLY)          = "
	    "-1 EINVAL (Invalid argument)"), 0);
	ck_assert_int_eq(ct.args.call, IPCCALL_SHMAT);
	ck_assert_int_eq((int32_t)arg(IPCARG_ID), 12345);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 010000);

	ck_assert_int_eq(parse("shmat(7, NULL, 0) = 0x7f3a1c000000"), 0);
	ck_assert(!ct.failed);
	ck_assert_int_eq(ct.ret, 0x7f3a1c000000);
}
END_TEST

START_TEST(test_strace_prefixes)
{
	static const char *const lines[] = {
		"[pid 23404] semget(IPC_PRIVATE, 100000, IPC_CREAT|0600) = "
		    "-1 EINVAL (Invalid argument)",
		"[pid 23404<ipcf2>] semget(IPC_PRIVATE, 100000, "
		    "IPC_CREAT|0600) = -1 EINVAL (Invalid argument)",
		"[pid 23404] 08:58:27.443267 semget(IPC_PRIVATE, 100000, "
		    "IPC_CREAT|0600) = -1 EINVAL (Invalid argument)",
		"[pid 23404] 1796633907.451587 semget(IPC_PRIVATE, 100000, "
		    "IPC_CREAT|0600) = -1 EINVAL (Invalid argument) <0.000014>",
		"23404 semget(IPC_PRIVATE, 100000, IPC_CREAT|0600) = -1 "
		    "EINVAL (Invalid argument)",
		"23404 08:58:27 semget(IPC_PRIVATE, 100000, IPC_CREAT|0600) = "
		    "-1 EINVAL (Invalid argument)\n",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_msg(parse(lines[i]) == 0, "%s: %s", lines[i], err);
		ck_assert_int_eq(ct.pid, 23404);
		ck_assert_uint_eq(arg(IPCARG_NSEMS), 100000);
		ck_assert_int_eq(ct.err, EINVAL);
	}
	ck_assert_int_eq(parse("     0.000084 shmget(0x1234, 4096, "
	    "IPC_CREAT|IPC_EXCL|SHM_HUGETLB|0600) = -1 ENOMEM (Cannot "
	    "allocate memory)"), 0);
	ck_assert_int_eq(ct.pid, -1);
	ck_assert_int_eq(parse("08:58:27 semtimedop(5, [{sem_num=0, "
	    "sem_op=-1, sem_flg=IPC_NOWAIT}], 1, NULL) = -1 EINVAL "
	    "(Invalid argument) <0.000012>"), 0);
	ck_assert_int_eq((int32_t)arg(IPCARG_ID), 5);
}
END_TEST

START_TEST(test_perf)
{
	ck_assert_int_eq(parse("     0.000 ( 0.044 ms): ipcfail/7242 "
	    "shmget(size: 1125899906842624, shmflg: 896)                   "
	    "        = -1 ENOMEM (Cannot allocate memory)"), 0);
	ck_assert_int_eq(ct.source, CT_PERF);
	ck_assert_int_eq(ct.args.call, IPCCALL_SHMGET);
	ck_assert_int_eq(ct.pid, 7242);
	ck_assert_str_eq(ct.comm, "ipcfail");
	ck_assert(has(IPCARG_KEY) && arg(IPCARG_KEY) == 0);
	ck_assert_uint_eq(arg(IPCARG_SIZE), 1125899906842624ULL);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 896);
	ck_assert_int_eq(ct.err, ENOMEM);

	ck_assert_int_eq(parse("     0.086 ( 0.014 ms): ipcfail/7242 "
	    "shmget(key: 4660, size: 4096) = -1 ENOENT (No such file or "
	    "directory)"), 0);
	ck_assert_uint_eq(arg(IPCARG_KEY), 0x1234);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 0);

	ck_assert_int_eq(parse("     0.168 ( 0.013 ms): ipcfail/7242 "
	    "semtimedop(tsops: 0x7fff46249aa0, nsops: 600)   = -1 E2BIG "
	    "(Argument list too long)"), 0);
	ck_assert(has(IPCARG_ID) && (int32_t)arg(IPCARG_ID) == 0);
	ck_assert_uint_eq(arg(IPCARG_NSOPS), 600);

	ck_assert_int_eq(parse("     0.273 ( 0.014 ms): a/b c/99 msgsnd("
	    "msgp: 0x7fff462313f0, msgsz: 90000, msgflg: 2048)  = -1 EINVAL "
	    "(Invalid argument)"), 0);
	ck_assert_str_eq(ct.comm, "a/b c");
	ck_assert_int_eq(ct.pid, 99);
	ck_assert_uint_eq(arg(IPCARG_SIZE), 90000);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 04000);

	ck_assert_int_eq(parse("     0.300 ( 0.013 ms): ipcfail/7242 "
	    "shmat(shmid: 12345, shmflg: 4096) = -1 EINVAL (Invalid "
	    "argument)"), 0);
	ck_assert_int_eq((int32_t)arg(IPCARG_ID), 12345);
	ck_assert_int_eq(parse("     0.300 ( 0.013 ms): x/1 semget() = -1 "
	    "EINVAL (Invalid argument)"), 0);
	ck_assert_uint_eq(arg(IPCARG_NSEMS), 0);
}
END_TEST

START_TEST(test_flags)
{
	unsigned f;

	ck_assert_int_eq(calltext_flags("IPC_CREAT|0600", &f), 0);
	ck_assert_uint_eq(f, 01600);
	ck_assert_int_eq(calltext_flags("000", &f), 0);
	ck_assert_uint_eq(f, 0);
	ck_assert_int_eq(calltext_flags("0x200", &f), 0);
	ck_assert_uint_eq(f, 0x200);
	ck_assert_int_eq(calltext_flags("1952", &f), 0);
	ck_assert_uint_eq(f, 1952);
	ck_assert_int_eq(calltext_flags("SHM_HUGETLB|SHM_HUGE_2MB", &f), 0);
	ck_assert_uint_eq(f, 04000 | (21u << 26));
	ck_assert_int_eq(calltext_flags("IPC_CREAT||0600", &f), -1);
	ck_assert_int_eq(calltext_flags("IPC_CREATE", &f), -1);
	ck_assert_int_eq(calltext_flags("0800", &f), -1);
	ck_assert_int_eq(calltext_flags("077777777777", &f), -1);
	ck_assert_int_eq(calltext_flags("", &f), -1);
	ck_assert_int_eq(calltext_flags("|", &f), -1);
}
END_TEST

START_TEST(test_errnos)
{
	ck_assert_int_eq(ipccall_errno_lookup("ENOSPC"), ENOSPC);
	ck_assert_int_eq(ipccall_errno_lookup("ENOSP"), -1);
	ck_assert_str_eq(ipccall_errno_name(E2BIG), "E2BIG");
	ck_assert_ptr_null(ipccall_errno_name(0));
	/* an errno name ipctune does not know is kept, with no value */
	ck_assert_int_eq(parse("semop(1, 0x1, 1) = -1 ERESTARTNOHAND "
	    "(To be restarted if no handler)"), 0);
	ck_assert_int_eq(ct.err, 0);
	ck_assert_str_eq(ct.errname, "ERESTARTNOHAND");
}
END_TEST

/* mq_open as strace prints it: with and without O_CREAT, -X, -y. */
START_TEST(test_mq_open)
{
	ck_assert_msg(parse("7     mq_open(\"q.2\", O_RDWR|O_CREAT|O_EXCL, "
	    "0600, {mq_flags=0, mq_maxmsg=4, mq_msgsize=64, mq_curmsgs=0}) = "
	    "-1 ENOSPC (No space left on device)") == 0, "%s", err);
	ck_assert_int_eq(ct.args.call, IPCCALL_MQ_OPEN);
	ck_assert_int_eq(ct.pid, 7);
	ck_assert_str_eq(ct.args.mq.name, "q.2");
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 0302);
	ck_assert_uint_eq(arg(IPCARG_MODE), 0600);
	ck_assert(ct.args.mq.has_attr);
	ck_assert_int_eq(ct.args.mq.maxmsg, 4);
	ck_assert_int_eq(ct.args.mq.msgsize, 64);
	ck_assert_int_eq(ct.err, ENOSPC);
	/* -X verbose, -X raw, a negative attribute, attr NULL */
	ck_assert_msg(parse("mq_open(\"q.0\", 0xc2 /* O_RDWR|O_CREAT|O_EXCL "
	    "*/, 0600, {mq_flags=0, mq_maxmsg=-1, mq_msgsize=64, "
	    "mq_curmsgs=0}) = -1 EINVAL (Invalid argument)") == 0, "%s", err);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 0302);
	ck_assert_int_eq(ct.args.mq.maxmsg, -1);
	ck_assert_msg(parse("mq_open(\"n\", 0x842, 0600, NULL) = 3") == 0,
	    "%s", err);
	ck_assert(!ct.args.mq.has_attr && arg(IPCARG_ATTR) == 0);
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 04102);
	ck_assert_int_eq(ct.ret, 3);
	/* without O_CREAT strace prints two arguments; -y the result's path */
	ck_assert_msg(parse("mq_open(\"nosuch\", O_RDWR)               = -1 "
	    "ENOENT (No such file or directory)") == 0, "%s", err);
	ck_assert_str_eq(ct.args.mq.name, "nosuch");
	ck_assert_msg(parse("mq_open(\"fy\", O_RDWR|O_CREAT|O_NONBLOCK, 0600, "
	    "{mq_flags=0, mq_maxmsg=2, mq_msgsize=64, mq_curmsgs=0}) = "
	    "3</fy>") == 0, "%s", err);
	/* -xx: every byte as \xHH */
	ck_assert_msg(parse("mq_open(\"\\x61\\x22\\x62\\x5c\\x2e\\x30\", "
	    "O_RDWR) = 3") == 0, "%s", err);
	ck_assert_str_eq(ct.args.mq.name, "a\"b\\.0");
	ck_assert_msg(parse("mq_open(\"\\1\\tb\", O_RDWR) = 3") == 0, "%s",
	    err);
	ck_assert_str_eq(ct.args.mq.name, "\001\tb");
}
END_TEST

/* mq_timedsend: the descriptor (with -y its queue), message, timeout. */
START_TEST(test_mq_timedsend)
{
	ck_assert_msg(parse("mq_timedsend(3</fy>, \"\\0\\0\\0\\0\", 16, 0, "
	    "NULL) = -1 EAGAIN (Resource temporarily unavailable)") == 0,
	    "%s", err);
	ck_assert_int_eq(ct.args.call, IPCCALL_MQ_TIMEDSEND);
	ck_assert_uint_eq(arg(IPCARG_ID), 3);
	ck_assert_str_eq(ct.args.mq.name, "fy");
	ck_assert_uint_eq(arg(IPCARG_SIZE), 16);
	ck_assert(!ct.args.mq.has_queue);
	ck_assert_msg(parse("12:37:26.175998 mq_timedsend(3, \"\\0\"..., 100, "
	    "7, {tv_sec=1796647045, tv_nsec=151750636}) = -1 ETIMEDOUT "
	    "(Connection timed out) <0.000010>") == 0, "%s", err);
	ck_assert_str_eq(ct.args.mq.name, "");
	ck_assert_uint_eq(arg(IPCARG_SIZE), 100);
	ck_assert_uint_eq(arg(IPCARG_NUM), 7);
	/* a queue's path is "/name"; another path names no queue */
	ck_assert_msg(parse("mq_timedsend(3</a/b>, 0x1000, 1, 0, NULL) = 0")
	    == 0, "%s", err);
	ck_assert_str_eq(ct.args.mq.name, "");
}
END_TEST

/* perf trace: pointers for the name, attr and message. */
START_TEST(test_mq_perf)
{
	ck_assert_msg(parse("     0.000 (11.529 ms): posixipc/47 mq_open("
	    "u_name: 0x29a10f51, oflag: 194, mode: IRUSR|IWUSR, u_attr: "
	    "0x7ffc29a10f10) = -1 ENOSPC (No space left on device)") == 0,
	    "%s", err);
	ck_assert_int_eq(ct.source, CT_PERF);
	ck_assert_str_eq(ct.args.mq.name, "");
	ck_assert_uint_eq(arg(IPCARG_FLAGS), 0302);
	ck_assert_uint_eq(arg(IPCARG_MODE), 0600);
	ck_assert(!ct.args.mq.has_attr && arg(IPCARG_ATTR) != 0);
	ck_assert_msg(parse("     0.122 ( 0.032 ms): posixipc/6 mq_timedsend("
	    "mqdes: 4, u_msg_ptr: 0x556c32736060, msg_len: 16, u_abs_timeout: "
	    "0x7fff8994d580) = -1 ETIMEDOUT (Connection timed out)") == 0,
	    "%s", err);
	ck_assert_uint_eq(arg(IPCARG_ID), 4);
	ck_assert_uint_eq(arg(IPCARG_SIZE), 16);
}
END_TEST

START_TEST(test_hostile)
{
	static const char *const bad[] = {
		"",
		"   ",
		"semget",
		"semget(",
		"semget(IPC_PRIVATE, 1, 0600",
		"semget(IPC_PRIVATE, 1, 0600) =",
		"semget(IPC_PRIVATE, 1, 0600) = -1",
		"semget(IPC_PRIVATE, 1, 0600) = -1 (Invalid argument)",
		"semget(IPC_PRIVATE, 1, 0600) = -1 EINVAL (Invalid argument",
		"semget(IPC_PRIVATE, 1, 0600) = -1 EINVAL (x) trailing",
		"semget(IPC_PRIVATE, 1, 0600) = ?",
		"semget(IPC_PRIVATE, 1) = -1 EINVAL (Invalid argument)",
		"semget(IPC_PRIVATE, 1, 0600, 4) = -1 EINVAL (x)",
		"semget(IPC_PRIVATE, -1, 0600) = -1 EINVAL (x)",
		"semget(IPC_PRIVATE, 18446744073709551616, 0600) = -1 E (x)",
		"semget(0x123456789, 1, 0600) = -1 EINVAL (x)",
		"semget(IPC_PRIVATE, 1, IPC_BOGUS) = -1 EINVAL (x)",
		"semget(IPC_PRIVATE, 1, 0600) = -1 Enospc (x)",
		"semget(IPC_PRIVATE, 1, 0600) = -1 EINVAL (x) <0.1",
		"semop(1, [{sem_num=0}}, 1) = -1 EINVAL (x)",
		"semop(1, [{sem_num=0}], 1 <unfinished ...>",
		"<... semop resumed>) = -1 EIDRM (Identifier removed)",
		"[pid 12] <... semop resumed>) = -1 EIDRM (x)",
		"open(\"/dev/shm/x\", O_RDONLY) = -1 ENOENT (x)",
		"SEMGET(IPC_PRIVATE, 1, 0600) = -1 EINVAL (x)",
		"[pid x] semget(IPC_PRIVATE, 1, 0600) = -1 EINVAL (x)",
		"[pid 12 semget(IPC_PRIVATE, 1, 0600) = -1 EINVAL (x)",
		"msgsnd(1, {mtype=1, mtext=\"abc}, 3, 0) = -1 EINVAL (x)",
		"semget(IPC_PRIVATE, 1, 0600) = -1 EINVAL (x)\nsemget(1, 1, 1)"
		    " = 0",
		"semget(, 1, 0600) = -1 EINVAL (x)",
		"semget(IPC_PRIVATE, 1, O_CREAT|0600) = 3",
		"mq_open(\"q\", O_RDWR|O_CREAT, 0600) = 3",
		"mq_open(\"q\", O_RDWR, 0600, NULL) = 3",
		"mq_open(\"q\", IPC_CREAT, 0600, NULL) = 3",
		"mq_open(\"q\", 0xc2 /* O_RDWR|O_CREAT */, 0600, NULL) = 3",
		"mq_open(q, O_RDWR) = 3",
		"mq_open(\"q\\z\", O_RDWR) = 3",
		"mq_open(\"q\\0r\", O_RDWR) = 3",
		"mq_open(\"q\"..., O_RDWR) = 3",
		"mq_open(\"q\x01\", O_RDWR) = 3",
		"mq_open(\"q\", O_RDWR|O_CREAT, 0999, NULL) = 3",
		"mq_open(\"q\", O_RDWR|O_CREAT, 0600, {mq_flags=0, "
		    "mq_maxmsg=10}) = 3",
		"mq_open(\"q\", O_RDWR|O_CREAT, 0600, {mq_flags=0, "
		    "mq_maxmsg=1, mq_msgsize=1, mq_curmsgs=0, x=1}) = 3",
		"mq_open(\"q\", O_RDWR|O_CREAT, 0600, {mq_flags=0, "
		    "mq_maxmsg=99999999999999999999, mq_msgsize=1, "
		    "mq_curmsgs=0}) = 3",
		"mq_open(\"q\", O_RDWR) = 3</q",
		"mq_open(\"q\", O_RDWR) = 3 <q>",
		"mq_timedsend(3, \"x\", 1, 0) = 0",
		"mq_timedsend(3, \"x\", 1, 0, NULL, 5) = 0",
		"mq_timedsend(3</q, \"x\", 1, 0, NULL) = 0",
		"mq_timedsend(3, x, 1, 0, NULL) = 0",
		"mq_timedsend(3, \"x\", -1, 0, NULL) = 0",
		"mq_timedsend(3, \"x\", 1, 0, {tv_sec=1}) = -1 ETIMEDOUT (x)",
		"   0.1 ( 0.1 ms): c/1 mq_open(u_name: \"q\", oflag: 2) = 3",
		"   0.1 ( 0.1 ms): c/1 mq_open(u_name: 0x1, mode: IBOGUS) = 3",
		"shmat(99999999999, NULL, 0) = -1 EINVAL (x)",
		"   0.1 ( 0.1 ms): nopid shmget(size: 1) = -1 EINVAL (x)",
		"   0.1 ( 0.1 ms): c/1 shmget(size 1) = -1 EINVAL (x)",
		"   0.1 ( 0.1 ms): c/1 shmget(bogus: 1) = -1 EINVAL (x)",
		"   0.1 ( 0.1 ms): c/1 shmget(size: 1, size: 2) = -1 E2BIG (x)",
		"   0.1 ( 0.1 ms: c/1 shmget(size: 1) = -1 EINVAL (x)",
		"   0.1 ( 0.1 ms) c/1 shmget(size: 1) = -1 EINVAL (x)",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(parse(bad[i]) == -1, "accepted: %s", bad[i]);
		ck_assert_msg(strncmp(err, "column ", 7) == 0,
		    "%s: no column in '%s'", bad[i], err);
	}
	ck_assert_int_eq(parse("semop(1, [{sem_num=0}], 1 <unfinished ...>"),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "unfinished"));
	ck_assert_int_eq(parse("<... semop resumed>) = -1 EIDRM (x)"), -1);
	ck_assert_ptr_nonnull(strstr(err, "resumed"));
}
END_TEST

/* Lines that are no call of the table say so in errno (--skip-other). */
START_TEST(test_other_lines)
{
	ck_assert_int_eq(parse("semctl(0, 0, IPC_RMID) = 0"), -1);
	ck_assert_int_eq(errno, ENOMSG);
	ck_assert_int_eq(parse("12    +++ exited with 0 +++"), -1);
	ck_assert_int_eq(errno, ENOMSG);
	ck_assert_int_eq(parse("semget(IPC_PRIVATE, 1, 0"), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* a carriage return ends a line, and only there */
	ck_assert_int_eq(parse("semget(IPC_PRIVATE, 1, 0) = 0\r\n"), 0);
	ck_assert_int_eq(parse("semget(IPC_PRIVATE, 1, 0) = 0\r"), 0);
	ck_assert_int_eq(parse("semget(IPC_PRIVATE, 1, 0) = 0\rjunk"), -1);
	ck_assert_str_eq(err, "column 30: a carriage return inside the line");
}
END_TEST

/* strace -f's two halves of a call, and where each is cut. */
START_TEST(test_parts)
{
	static const char u[] = "[pid  7] semop(3, [{sem_num=0, sem_op=-1, "
	    "sem_flg=0}], 1 <unfinished ...>";
	static const char r[] = "7     <... semop resumed>)  = -1 EIDRM "
	    "(Identifier removed)";
	char whole[256];
	int64_t pid;
	size_t cut, ucut;

	ck_assert_int_eq(calltext_part(u, &pid, &ucut), CALLTEXT_UNFINISHED);
	ck_assert_int_eq(pid, 7);
	ck_assert_int_eq(calltext_part(r, &pid, &cut), CALLTEXT_RESUMED);
	ck_assert_int_eq(pid, 7);
	snprintf(whole, sizeof(whole), "%.*s%s", (int)ucut, u, r + cut);
	ck_assert_int_eq(parse(whole), 0);
	ck_assert_int_eq(ct.args.call, IPCCALL_SEMOP);
	ck_assert_int_eq(ct.err, EIDRM);
	ck_assert_int_eq(ct.pid, 7);
	ck_assert_int_eq(calltext_part("semget(IPC_PRIVATE, 1, 0) = 0", &pid,
	    &cut), CALLTEXT_WHOLE);
	ck_assert_int_eq(pid, 0);
	ck_assert_int_eq(calltext_part("1700000000.5 semop(1, [], 1 "
	    "<unfinished ...>  \r\n", &pid, &cut), CALLTEXT_UNFINISHED);
	ck_assert_int_eq(pid, 0);
	ck_assert_int_eq(cut, 27);
}
END_TEST

START_TEST(test_long_lines)
{
	size_t n = CALLTEXT_MAX_LINE + 10;
	char *line = malloc(n);
	const char *head = "semop(1, [";
	const char *tail = "], 1) = -1 E2BIG (x)";
	size_t k;

	ck_assert_ptr_nonnull(line);
	/* just under the limit: a long array is skipped, not refused */
	k = CALLTEXT_MAX_LINE - 1 - strlen(head) - strlen(tail);
	strcpy(line, head);
	memset(line + strlen(head), '0', k);
	strcpy(line + strlen(head) + k, tail);
	ck_assert_msg(parse(line) == 0, "%s", err);
	ck_assert_uint_eq(arg(IPCARG_NSOPS), 1);
	/* deep nesting past the parser's stack */
	memset(line, '[', n - 1);
	line[n - 1] = '\0';
	memcpy(line, "semop(1, ", 9);
	ck_assert_int_eq(parse(line), -1);
	line[CALLTEXT_MAX_LINE - 1] = '\0';
	ck_assert_int_eq(parse(line), -1);
	free(line);
}
END_TEST

static Suite *
calltext_suite(void)
{
	Suite *s = suite_create("calltext");
	TCase *tc = tcase_create("lines");

	tcase_add_test(tc, test_strace_get_calls);
	tcase_add_test(tc, test_strace_object_calls);
	tcase_add_test(tc, test_strace_prefixes);
	tcase_add_test(tc, test_perf);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_errnos);
	tcase_add_test(tc, test_mq_open);
	tcase_add_test(tc, test_mq_timedsend);
	tcase_add_test(tc, test_mq_perf);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_other_lines);
	tcase_add_test(tc, test_parts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(calltext_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
