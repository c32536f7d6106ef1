/*
 * check_posixipc.c: the parsers of posixipc.c: the text of an mqueue
 * file (the kernel's format, and hostile variations of it), the glibc
 * sem_t in a sem.NAME file, and the mountinfo lookup of /dev/shm.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "posixipc.h"

static int
mq(const char *text, struct pmq_obj *q)
{
	memset(q, 0, sizeof(*q));
	return posixipc_parse_mq(text, strlen(text), q);
}

START_TEST(mq_kernel_text)
{
	struct pmq_obj q;

	/* "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n" */
	ck_assert_int_eq(mq("QSIZE:12         NOTIFY:0     SIGNO:0     "
	    "NOTIFY_PID:0     \n", &q), 0);
	ck_assert(q.has_text);
	ck_assert_uint_eq(q.qsize_bytes, 12);
	ck_assert_int_eq(q.notify, 0);
	ck_assert_int_eq(q.notify_pid, 0);
	ck_assert_int_eq(mq("QSIZE:18446744073709551615 NOTIFY:2     "
	    "SIGNO:10    NOTIFY_PID:4194304\n", &q), 0);
	ck_assert_uint_eq(q.qsize_bytes, UINT64_MAX);
	ck_assert_int_eq(q.notify, 2);
	ck_assert_int_eq(q.signo, 10);
	ck_assert_int_eq(q.notify_pid, 4194304);
}
END_TEST

START_TEST(mq_hostile)
{
	static const char *const bad[] = {
		"",
		"\n",
		"QSIZE:",
		"QSIZE:-1 NOTIFY:0 SIGNO:0 NOTIFY_PID:0\n",
		"QSIZE: 1 NOTIFY:0 SIGNO:0 NOTIFY_PID:0\n",
		"QSIZE:1 NOTIFY:0 SIGNO:0\n",
		"QSIZE:1 NOTIFY:0 SIGNO:0 NOTIFY_PID:-5\n",
		"QSIZE:1 NOTIFY:0 SIGNO:0 NOTIFY_PID:4194305\n",
		"QSIZE:1 NOTIFY:0 SIGNO:0 NOTIFY_PID:0 trailing\n",
		"QSIZE:1 NOTIFY:x SIGNO:0 NOTIFY_PID:0\n",
		"qsize:1 NOTIFY:0 SIGNO:0 NOTIFY_PID:0\n",
		"QSIZE:99999999999999999999999 NOTIFY:0 SIGNO:0 NOTIFY_PID:0\n",
	};
	struct pmq_obj q;
	char big[400];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(mq(bad[i], &q) == -1, "accepted '%s'", bad[i]);
		ck_assert(!q.has_text);
	}
	/* an embedded NUL, and text longer than the kernel writes */
	ck_assert_int_eq(posixipc_parse_mq("QSIZE:1\0 NOTIFY:0", 17, &q), -1);
	memset(big, ' ', sizeof(big));
	memcpy(big, "QSIZE:1", 7);
	ck_assert_int_eq(posixipc_parse_mq(big, sizeof(big), &q), -1);
}
END_TEST

START_TEST(sem_value)
{
	unsigned char buf[32];
	uint32_t v = 9, w = 9;

	memset(buf, 0, sizeof(buf));
#if defined(__LP64__)
	{
		/* struct new_sem: uint64_t data, value low, nwaiters high */
		uint64_t data = ((uint64_t)3 << 32) | 2147483647u;

		memcpy(buf, &data, sizeof(data));
	}
	ck_assert_int_eq(posixipc_sem_decode(buf, 32, &v, &w), 0);
	ck_assert_uint_eq(v, 2147483647u);
	ck_assert_uint_eq(w, 3);
	ck_assert_int_eq(posixipc_sem_decode(buf, 31, &v, &w), -1);
#else
	{
		uint32_t value = 5u << 1 | 1, nw = 2;

		memcpy(buf, &value, 4);
		memcpy(buf + 12, &nw, 4);
	}
	ck_assert_int_eq(posixipc_sem_decode(buf, 16, &v, &w), 0);
	ck_assert_uint_eq(v, 5);
	ck_assert_uint_eq(w, 2);
	ck_assert_int_eq(posixipc_sem_decode(buf, 15, &v, &w), -1);
#endif
	ck_assert_int_eq(posixipc_sem_decode(buf, 0, &v, &w), -1);
}
END_TEST

START_TEST(mountinfo)
{
	static const char text[] =
	    "22 1 0:21 / /proc rw - proc proc rw\n"
	    "25 22 0:23 / /dev/shm rw,nosuid shared:4 - tmpfs tmpfs rw\n"
	    "26 22 0:23 / /elsewhere rw - tmpfs other rw\n"
	    "40 25 0:44 / /dev/shm rw - tmpfs shm\\040x rw,size=65536k\n"
	    "41 25 0:45 / /dev/shm rw tmpfs nodash rw\n"
	    "garbage\n"
	    "42 25 0:zz / /dev/shm rw - tmpfs bad rw\n";
	char ft[16], src[64];

	/* mountinfo prints the device in decimal (show_mountinfo()) */
	ck_assert_int_eq(posixipc_mountinfo_find(text, makedev(0, 0x23),
	    "/dev/shm", ft, sizeof(ft), src, sizeof(src)), -1);
	ck_assert_int_eq(posixipc_mountinfo_find(text, makedev(0, 23),
	    "/dev/shm", ft, sizeof(ft), src, sizeof(src)), 0);
	ck_assert_str_eq(ft, "tmpfs");
	ck_assert_str_eq(src, "tmpfs");
	/* the escapes of mountinfo stay as they are */
	ck_assert_int_eq(posixipc_mountinfo_find(text, makedev(0, 44),
	    "/dev/shm", ft, sizeof(ft), src, sizeof(src)), 0);
	ck_assert_str_eq(src, "shm\\040x");
	/* no " - " separator: not a mount line */
	ck_assert_int_eq(posixipc_mountinfo_find(text, makedev(0, 45),
	    "/dev/shm", ft, sizeof(ft), src, sizeof(src)), -1);
	ck_assert_int_eq(posixipc_mountinfo_find("", makedev(0, 23),
	    "/dev/shm", ft, sizeof(ft), src, sizeof(src)), -1);
}
END_TEST

static Suite *
posixipc_suite(void)
{
	Suite *s = suite_create("posixipc");
	TCase *tc = tcase_create("parsers");

	tcase_add_test(tc, mq_kernel_text);
	tcase_add_test(tc, mq_hostile);
	tcase_add_test(tc, sem_value);
	tcase_add_test(tc, mountinfo);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(posixipc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
