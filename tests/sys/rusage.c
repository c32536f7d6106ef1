/*
 * rusage.c: the benchmark's stopwatch.  Runs a command RUNS times with
 * its output sent to /dev/null and prints, per run, the wall time and
 * the CPU time (user + system, from wait4(), so a shell's waited-for
 * children count) in microseconds and the peak RSS in KiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
us(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

int
main(int argc, char **argv)
{
	char *end;
	long runs;

	if (argc < 3) {
		fprintf(stderr, "usage: rusage RUNS COMMAND [ARG...]\n"
		    "prints 'wall_us cpu_us maxrss_kib' for each run\n");
		return 2;
	}
	errno = 0;
	runs = strtol(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || runs < 1 || runs > 1000) {
		fprintf(stderr, "rusage: bad RUNS '%s'\n", argv[1]);
		return 2;
	}
	for (long i = 0; i < runs; i++) {
		struct timespec t0, t1;
		struct rusage ru;
		int status;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid < 0) {
			perror("rusage: fork");
			return 1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				_exit(127);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("rusage: wait4");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "rusage: '%s' failed\n", argv[2]);
			return 1;
		}
		printf("%lld %lld %ld\n",
		    (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000,
		    us(&ru.ru_utime) + us(&ru.ru_stime), ru.ru_maxrss);
	}
	return 0;
}
