/*
 * check_logind.c: the logind.conf RemoveIPC= parser, the systemd boolean
 * parser and SYS_UID_MAX from login.defs, and logind_load() over a small
 * tree in a temporary directory (main file, drop-ins, masking by name).
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logind.h"

START_TEST(parse_removeipc)
{
	bool v = true;

	ck_assert_int_eq(logind_parse_removeipc("[Login]\nRemoveIPC=no\n",
	    &v), 1);
	ck_assert(!v);
	ck_assert_int_eq(logind_parse_removeipc("[Login]\n RemoveIPC = Yes "
	    "\n", &v), 1);
	ck_assert(v);
	/* commented out, other section, invalid value: no change */
	v = true;
	ck_assert_int_eq(logind_parse_removeipc("[Login]\n#RemoveIPC=no\n"
	    "[Other]\nRemoveIPC=no\n", &v), 0);
	ck_assert(v);
	ck_assert_int_eq(logind_parse_removeipc("[Login]\nRemoveIPC=maybe\n",
	    &v), 0);
	ck_assert(v);
	/* the last assignment wins */
	ck_assert_int_eq(logind_parse_removeipc("[Login]\nRemoveIPC=no\n"
	    "RemoveIPC=on\n", &v), 1);
	ck_assert(v);
	ck_assert_int_eq(logind_parse_removeipc("", &v), 0);
}
END_TEST

START_TEST(parse_bool_and_uid)
{
	bool v;
	uid_t u = 0;

	ck_assert_int_eq(logind_parse_bool("off", &v), 0);
	ck_assert(!v);
	ck_assert_int_eq(logind_parse_bool("1", &v), 0);
	ck_assert(v);
	ck_assert_int_eq(logind_parse_bool("", &v), -1);
	ck_assert_int_eq(logind_parse_sys_uid_max("# SYS_UID_MAX 5\n"
	    "SYS_UID_MIN 100\nSYS_UID_MAX\t499\n", &u), 0);
	ck_assert_int_eq(u, 499);
	ck_assert_int_eq(logind_parse_sys_uid_max("SYS_UID_MAXX 5\n", &u),
	    -1);
	ck_assert_int_eq(logind_parse_sys_uid_max("SYS_UID_MAX 12x\n", &u),
	    -1);
}
END_TEST

static void
put(const char *root, const char *rel, const char *text)
{
	char path[1024], cmd[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(cmd, sizeof(cmd), "%s", path);
	*strrchr(cmd, '/') = '\0';
	for (char *p = cmd + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(cmd, 0700);
			*p = '/';
		}
	mkdir(cmd, 0700);
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

START_TEST(load_tree)
{
	char root[] = "/tmp/check_logind.XXXXXX";
	struct logind_conf c;

	ck_assert_ptr_nonnull(mkdtemp(root));
	logind_load(root, &c);
	ck_assert(!c.systemd);
	ck_assert(!c.removeipc);
	ck_assert_int_eq(c.sys_uid_max, 999);
	put(root, "/run/systemd/system/x", "");
	logind_load(root, &c);
	ck_assert(c.systemd);
	ck_assert(c.removeipc);
	ck_assert_str_eq(c.source, "default");
	put(root, "/usr/lib/systemd/logind.conf", "[Login]\nRemoveIPC=no\n");
	logind_load(root, &c);
	ck_assert(!c.removeipc);
	ck_assert_str_eq(c.source, "/usr/lib/systemd/logind.conf");
	/* /etc's main file replaces /usr/lib's */
	put(root, "/etc/systemd/logind.conf", "[Login]\n");
	logind_load(root, &c);
	ck_assert(c.removeipc);
	put(root, "/run/systemd/logind.conf.d/20-a.conf",
	    "[Login]\nRemoveIPC=no\n");
	put(root, "/usr/lib/systemd/logind.conf.d/10-b.conf",
	    "[Login]\nRemoveIPC=yes\n");
	logind_load(root, &c);
	ck_assert(!c.removeipc);
	ck_assert_str_eq(c.source, "/run/systemd/logind.conf.d/20-a.conf");
	/* same name in /etc masks the /run one */
	put(root, "/etc/systemd/logind.conf.d/20-a.conf", "[Login]\n");
	logind_load(root, &c);
	ck_assert(c.removeipc);
	ck_assert_str_eq(c.source,
	    "/usr/lib/systemd/logind.conf.d/10-b.conf");
	put(root, "/etc/login.defs", "SYS_UID_MAX 200\n");
	logind_load(root, &c);
	ck_assert_int_eq(c.sys_uid_max, 200);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
END_TEST

static Suite *
logind_suite(void)
{
	Suite *s = suite_create("logind");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, parse_removeipc);
	tcase_add_test(tc, parse_bool_and_uid);
	tcase_add_test(tc, load_tree);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(logind_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
