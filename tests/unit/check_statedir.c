/*
 * check_statedir.c: unit tests of statedir.c with a fake environment:
 * the order IPCTUNE_STATE_DIR, STATE_DIRECTORY, root, XDG_STATE_HOME,
 * HOME; relative values ignored; and mkdir -p of the directory.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "statedir.h"

static const char *const *fake_env;

static const char *
fake_getenv(const char *name)
{
	size_t n = strlen(name);

	for (const char *const *e = fake_env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int
resolve(const char *const *env, uid_t uid, char *buf, size_t len)
{
	char err[256];

	fake_env = env;
	return statedir_resolve(fake_getenv, uid, buf, len, err, sizeof(err));
}

START_TEST(t_order)
{
	char b[4096];
	const char *const e1[] = { "IPCTUNE_STATE_DIR=/t/x/",
	    "STATE_DIRECTORY=/var/lib/ipctune", "HOME=/home/u", NULL };
	const char *const e2[] = { "STATE_DIRECTORY=/var/lib/a:/var/lib/b",
	    "HOME=/home/u", NULL };
	const char *const e3[] = { "HOME=/home/u",
	    "XDG_STATE_HOME=/home/u/st", NULL };
	const char *const e4[] = { "HOME=/home/u",
	    "XDG_STATE_HOME=rel/st", NULL };
	const char *const e5[] = { "HOME=/home/u", "STATE_DIRECTORY=rel",
	    NULL };

	ck_assert_int_eq(resolve(e1, 1000, b, sizeof(b)), 0);
	ck_assert_str_eq(b, "/t/x");
	ck_assert_int_eq(resolve(e2, 1000, b, sizeof(b)), 0);
	ck_assert_str_eq(b, "/var/lib/a");
	ck_assert_int_eq(resolve(e3, 0, b, sizeof(b)), 0);
	ck_assert_str_eq(b, "/var/lib/ipctune");
	ck_assert_int_eq(resolve(e3, 1000, b, sizeof(b)), 0);
	ck_assert_str_eq(b, "/home/u/st/ipctune");
	/* XDG: a relative value must be ignored */
	ck_assert_int_eq(resolve(e4, 1000, b, sizeof(b)), 0);
	ck_assert_str_eq(b, "/home/u/.local/state/ipctune");
	ck_assert_int_eq(resolve(e5, 1000, b, sizeof(b)), 0);
	ck_assert_str_eq(b, "/home/u/.local/state/ipctune");
}
END_TEST

START_TEST(t_errors)
{
	char b[4096], small[8];
	const char *const rel[] = { "IPCTUNE_STATE_DIR=x", NULL };
	const char *const none[] = { NULL };
	const char *const home[] = { "HOME=/home/u", NULL };

	ck_assert_int_eq(resolve(rel, 1000, b, sizeof(b)), -1);
	ck_assert_int_eq(resolve(none, 1000, b, sizeof(b)), -1);
	/* root needs no HOME */
	ck_assert_int_eq(resolve(none, 0, b, sizeof(b)), 0);
	ck_assert_int_eq(resolve(home, 1000, small, sizeof(small)), -1);
}
END_TEST

START_TEST(t_file_and_create)
{
	char tmpl[] = "/tmp/check-statedir.XXXXXX", b[4096], dir[4200];
	char env[4300], err[256];
	const char *e[2] = { env, NULL };
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/a/b/c", tmpl);
	snprintf(env, sizeof(env), "IPCTUNE_STATE_DIR=%s", dir);
	fake_env = e;
	ck_assert_int_eq(statedir_file(fake_getenv, 1000, "h.jsonl", false,
	    b, sizeof(b), err, sizeof(err)), 0);
	ck_assert_int_eq(stat(dir, &st), -1);
	ck_assert_int_eq(statedir_file(fake_getenv, 1000, "h.jsonl", true,
	    b, sizeof(b), err, sizeof(err)), 0);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(strncmp(b, dir, strlen(dir)), 0);
	ck_assert_str_eq(b + strlen(dir), "/h.jsonl");
	/* again: existing directories are fine */
	ck_assert_int_eq(statedir_create(dir, 0755, err, sizeof(err)), 0);
	/* a file in the way is an error */
	snprintf(b, sizeof(b), "%s/file", tmpl);
	fclose(fopen(b, "w"));
	ck_assert_int_eq(statedir_create(b, 0755, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a directory"));
	unlink(b);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/a/b", tmpl);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/a", tmpl);
	rmdir(dir);
	rmdir(tmpl);
}
END_TEST

START_TEST(t_read_fallback)
{
	char tmpl[] = "/tmp/check-statedir.XXXXXX", b[4600], sys[256];
	char home[300], own[400], err[256];
	const char *e[2] = { home, NULL };
	const char *ex[3] = { home, "IPCTUNE_STATE_DIR=/nonexistent", NULL };
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(sys, sizeof(sys), "%s/sys", tmpl);
	snprintf(home, sizeof(home), "HOME=%s", tmpl);
	ck_assert_int_eq(mkdir(sys, 0755), 0);
	fake_env = e;
	/* neither exists: the user's own path, for the error message */
	ck_assert_int_eq(statedir_file_read(fake_getenv, 1000, "h", sys, b,
	    sizeof(b), err, sizeof(err)), 0);
	snprintf(own, sizeof(own), "%s/.local/state/ipctune/h", tmpl);
	ck_assert_str_eq(b, own);
	/* only the system one exists: read that */
	snprintf(b, sizeof(b), "%s/h", sys);
	fp = fopen(b, "w");
	fclose(fp);
	ck_assert_int_eq(statedir_file_read(fake_getenv, 1000, "h", sys, b,
	    sizeof(b), err, sizeof(err)), 0);
	ck_assert_int_eq(strncmp(b, sys, strlen(sys)), 0);
	/* an explicit directory is never second-guessed */
	fake_env = ex;
	ck_assert_int_eq(statedir_file_read(fake_getenv, 1000, "h", sys, b,
	    sizeof(b), err, sizeof(err)), 0);
	ck_assert_str_eq(b, "/nonexistent/h");
	/* the user's own file wins once it exists */
	fake_env = e;
	snprintf(b, sizeof(b), "%s/.local", tmpl);
	mkdir(b, 0755);
	snprintf(b, sizeof(b), "%s/.local/state", tmpl);
	mkdir(b, 0755);
	snprintf(b, sizeof(b), "%s/.local/state/ipctune", tmpl);
	mkdir(b, 0755);
	fp = fopen(own, "w");
	fclose(fp);
	ck_assert_int_eq(statedir_file_read(fake_getenv, 1000, "h", sys, b,
	    sizeof(b), err, sizeof(err)), 0);
	ck_assert_str_eq(b, own);
	unlink(own);
	snprintf(b, sizeof(b), "%s/h", sys);
	unlink(b);
	rmdir(sys);
	snprintf(b, sizeof(b), "%s/.local/state/ipctune", tmpl);
	rmdir(b);
	snprintf(b, sizeof(b), "%s/.local/state", tmpl);
	rmdir(b);
	snprintf(b, sizeof(b), "%s/.local", tmpl);
	rmdir(b);
	rmdir(tmpl);
}
END_TEST

static Suite *
statedir_suite(void)
{
	Suite *s = suite_create("statedir");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_order);
	tcase_add_test(tc, t_errors);
	tcase_add_test(tc, t_file_and_create);
	tcase_add_test(tc, t_read_fallback);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(statedir_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
