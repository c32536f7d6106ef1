/*
 * killafter.c: test helper for the kill -9 trials.  'killafter USEC CMD
 * [ARG...]' runs CMD and sends it SIGKILL USEC microseconds after the
 * fork (unless it ended first); with USEC -1 it only runs CMD.  CMD's
 * output goes to /dev/null.  Prints "killed" or "exited N" and the
 * microseconds CMD ran, and exits 0 (or 2 on a usage error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
main(int argc, char **argv)
{
	long long start, usec;
	char *end;
	pid_t pid;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: killafter USEC CMD [ARG...]\n");
		return 2;
	}
	errno = 0;
	usec = strtoll(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || usec < -1) {
		fprintf(stderr, "killafter: bad USEC '%s'\n", argv[1]);
		return 2;
	}
	start = now_us();
	pid = fork();
	if (pid < 0) {
		perror("killafter: fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (usec >= 0) {
		struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000 };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		printf("killed %lld\n", now_us() - start);
	else
		printf("exited %d %lld\n", WEXITSTATUS(st), now_us() - start);
	return 0;
}
