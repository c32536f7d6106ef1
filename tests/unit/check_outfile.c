/*
 * check_outfile.c: unit tests of outfile.c in a scratch directory: a
 * regular file is replaced by rename with the mode asked for, a new one
 * created; a FIFO is written through and stays a FIFO; a symbolic link,
 * a directory and a socket are refused and left as they were; "-" and
 * /dev/stdout go to the standard output ipctune was given (12.B8).
 * Character devices are tested in tests/sys/t_files.sh, on a tmpfs.
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
#include <sys/wait.h>
#include <unistd.h>

#include "outfile.h"

static char dir[] = "/tmp/check_outfile.XXXXXX";
static char p_reg[64], p_new[64], p_fifo[64], p_sock[64], p_link[64];
static char p_sub[64];

static void
setup(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p_reg, sizeof(p_reg), "%s/reg", dir);
	snprintf(p_new, sizeof(p_new), "%s/new", dir);
	snprintf(p_fifo, sizeof(p_fifo), "%s/fifo", dir);
	snprintf(p_sock, sizeof(p_sock), "%s/sock", dir);
	snprintf(p_link, sizeof(p_link), "%s/link", dir);
	snprintf(p_sub, sizeof(p_sub), "%s/sub", dir);
	fd = open(p_reg, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "old\n", 4), 4);
	close(fd);
	ck_assert_int_eq(mkfifo(p_fifo, 0600), 0);
	ck_assert_int_eq(symlink(p_reg, p_link), 0);
	ck_assert_int_eq(mkdir(p_sub, 0700), 0);
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
	unlink(p_new);
	unlink(p_fifo);
	unlink(p_sock);
	unlink(p_link);
	rmdir(p_sub);
	rmdir(dir);
	strcpy(dir, "/tmp/check_outfile.XXXXXX");
}

static void
read_back(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, len - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
}

START_TEST(t_regular)
{
	struct stat a, b;
	char err[512], got[64];

	ck_assert_int_eq(stat(p_reg, &a), 0);
	ck_assert_int_eq(outfile_write(p_reg, "new\n", 4, 0644, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(stat(p_reg, &b), 0);
	ck_assert_uint_ne(a.st_ino, b.st_ino);	/* replaced by rename */
	ck_assert_uint_eq(b.st_mode & 07777, 0644);
	read_back(p_reg, got, sizeof(got));
	ck_assert_str_eq(got, "new\n");
	ck_assert_int_eq(outfile_write(p_new, "x", 1, 0640, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(stat(p_new, &b), 0);
	ck_assert_uint_eq(b.st_mode & 07777, 0640);
}
END_TEST

START_TEST(t_fifo)
{
	char err[512], got[64];
	struct stat st;
	int status, fd[2];
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* the reader: what it gets goes back through the pipe */
		ssize_t n;

		read_back(p_fifo, got, sizeof(got));
		n = write(fd[1], got, strlen(got));
		_exit(n < 0);
	}
	close(fd[1]);
	alarm(10);
	ck_assert_int_eq(outfile_write(p_fifo, "stream\n", 7, 0644, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	alarm(0);
	memset(got, 0, sizeof(got));
	ck_assert_int_eq(read(fd[0], got, sizeof(got) - 1), 7);
	close(fd[0]);
	ck_assert_str_eq(got, "stream\n");
	ck_assert_int_eq(lstat(p_fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
}
END_TEST

START_TEST(t_refused)
{
	const char *paths[] = { p_link, p_sub, p_sock };
	const char *what[] = { "symbolic link", "a directory", "a socket" };
	const int errs[] = { ELOOP, EISDIR, EINVAL };
	char err[512], got[64];
	struct stat st;

	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(outfile_write(paths[i], "x", 1, 0644, err,
		    sizeof(err)), -1);
		ck_assert_int_eq(errno, errs[i]);
		ck_assert_ptr_nonnull(strstr(err, paths[i]));
		ck_assert_ptr_nonnull(strstr(err, what[i]));
	}
	/* each is left as it was; the link's target too */
	ck_assert_int_eq(lstat(p_link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(lstat(p_sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	read_back(p_reg, got, sizeof(got));
	ck_assert_str_eq(got, "old\n");
}
END_TEST

START_TEST(t_stdout)
{
	const char *names[] = { "-", "/dev/stdout", "/dev/fd/1",
	    "/proc/self/fd/1" };
	char err[512], got[64];
	int fd, saved = dup(STDOUT_FILENO);

	/* the shell's redirection: appended to, not replaced */
	ck_assert_int_ge(saved, 0);
	fd = open(p_reg, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(outfile_write(names[i], "s", 1, 0644, err,
		    sizeof(err)), 0);
	ck_assert_int_eq(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	read_back(p_reg, got, sizeof(got));
	ck_assert_str_eq(got, "old\nssss");
}
END_TEST

static Suite *
outfile_suite(void)
{
	Suite *s = suite_create("outfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_regular);
	tcase_add_test(tc, t_fifo);
	tcase_add_test(tc, t_refused);
	tcase_add_test(tc, t_stdout);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(outfile_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
