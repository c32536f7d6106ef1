/*
 * check_infile.c: unit tests of infile.c in a scratch directory: a
 * regular file is read whole, a FIFO, a directory and a socket are
 * refused by their type without blocking (12.B14), a symbolic link is
 * followed unless INFILE_NOFOLLOW, the size limit, and "-" as standard
 * input only with INFILE_STDIN.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "infile.h"

static char dir[] = "/tmp/check_infile.XXXXXX";
static char p_reg[64], p_fifo[64], p_sock[64], p_link[64];

static void
setup(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	FILE *f;
	int s;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p_reg, sizeof(p_reg), "%s/reg", dir);
	snprintf(p_fifo, sizeof(p_fifo), "%s/fifo", dir);
	snprintf(p_sock, sizeof(p_sock), "%s/sock", dir);
	snprintf(p_link, sizeof(p_link), "%s/link", dir);
	f = fopen(p_reg, "we");
	ck_assert_ptr_nonnull(f);
	fputs("hello\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(mkfifo(p_fifo, 0600), 0);
	ck_assert_int_eq(symlink(p_reg, p_link), 0);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p_sock);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s);
}

static void
teardown(void)
{
	unlink(p_reg);
	unlink(p_fifo);
	unlink(p_sock);
	unlink(p_link);
	rmdir(dir);
	strcpy(dir, "/tmp/check_infile.XXXXXX");
}

START_TEST(t_regular)
{
	char *buf, why[128];
	size_t len;

	ck_assert_int_eq(infile_read(p_reg, 0, 100, &buf, &len, why,
	    sizeof(why)), 0);
	ck_assert_uint_eq(len, 6);
	ck_assert_str_eq(buf, "hello\n");
	free(buf);
	/* a link is followed unless told not to */
	ck_assert_int_eq(infile_read(p_link, 0, 100, &buf, &len, why,
	    sizeof(why)), 0);
	free(buf);
	ck_assert_int_eq(infile_read(p_link, INFILE_NOFOLLOW, 100, &buf,
	    &len, why, sizeof(why)), -1);
	ck_assert_int_eq(errno, ELOOP);
	ck_assert_ptr_nonnull(strstr(why, "symbolic link"));
	/* the limit */
	ck_assert_int_eq(infile_read(p_reg, 0, 5, &buf, &len, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_int_eq(infile_read(p_reg, 0, 6, &buf, &len, NULL, 0), 0);
	free(buf);
}
END_TEST

START_TEST(t_special_refused)
{
	const char *paths[] = { p_fifo, p_sock, dir };
	const char *kinds[] = { "a FIFO", "a socket", "a directory" };
	char *buf = NULL, why[128];
	size_t len;

	/* a FIFO without a writer would block a plain open for ever */
	alarm(10);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(infile_read(paths[i], 0, 100, &buf, &len,
		    why, sizeof(why)), -1);
		ck_assert_int_eq(errno, i == 2 ? EISDIR : EINVAL);
		ck_assert_ptr_nonnull(strstr(why, "not a regular file"));
		ck_assert_ptr_nonnull(strstr(why, kinds[i]));
	}
	alarm(0);
	ck_assert_ptr_null(buf);
	/* "-" is a file name unless standard input is asked for */
	ck_assert_int_eq(infile_read("-", 0, 100, &buf, &len, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(t_stdin)
{
	char *buf, why[128];
	size_t len;
	int fd[2];

	/* standard input may be a pipe */
	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(write(fd[1], "abc", 3), 3);
	close(fd[1]);
	ck_assert_int_eq(dup2(fd[0], STDIN_FILENO), STDIN_FILENO);
	close(fd[0]);
	ck_assert_int_eq(infile_read("-", INFILE_STDIN, 100, &buf, &len,
	    why, sizeof(why)), 0);
	ck_assert_str_eq(buf, "abc");
	free(buf);
}
END_TEST

START_TEST(t_devmask)
{
	char *buf, why[128];
	size_t len;

	/* a character device masks, read as empty and never read */
	ck_assert_int_eq(infile_read("/dev/zero", INFILE_DEVMASK, 100, &buf,
	    &len, why, sizeof(why)), 1);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(buf, "");
	free(buf);
	ck_assert_int_eq(infile_read("/dev/zero", 0, 100, &buf, &len, why,
	    sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "a character device"));
}
END_TEST

static Suite *
infile_suite(void)
{
	Suite *s = suite_create("infile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_regular);
	tcase_add_test(tc, t_special_refused);
	tcase_add_test(tc, t_stdin);
	tcase_add_test(tc, t_devmask);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(infile_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
