/*
 * ipcfail.c: makes System V IPC calls fail on purpose, for the watch
 * tests and benchmark, and prints what the kernel answered.
 *
 * Usage: ipcfail semget NSEMS | shmget SIZE | msgget | semop NSOPS |
 *        msgsnd SIZE | semmk KEY | semkey KEY | semexcl KEY | eidrm |
 *        eintr | flood N | good N
 * Each prints "CALL ERRNO" (or "CALL ok") per call; flood makes N failing
 * semop calls (E2BIG, 4096 operations), good N successful ones; semmk
 * creates an array with KEY, mode 0600; semexcl asks for a new one with
 * KEY (IPC_CREAT|IPC_EXCL); eidrm removes an array under a waiter, eintr
 * kills that waiter inside its semop first.  With IPCFAIL_LINGER_UNTIL=FILE
 * it stays alive afterwards until FILE exists (so its /proc entry can be
 * read);
 * with IPCFAIL_AGAIN_AFTER=FILE it makes the call again once FILE exists.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *
ename(int r)
{
	if (r >= 0)
		return "ok";
	switch (errno) {
	case ENOSPC: return "ENOSPC";
	case EINVAL: return "EINVAL";
	case E2BIG: return "E2BIG";
	case EACCES: return "EACCES";
	case EIDRM: return "EIDRM";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	default: return strerror(errno);
	}
}

static unsigned long
num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0') {
		fprintf(stderr, "ipcfail: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static int
semops(int id, size_t n, int count)
{
	struct sembuf *ops = calloc(n, sizeof(*ops));
	int r = 0;

	for (int i = 0; i < count; i++)
		r = semop(id, ops, n);
	free(ops);
	return r;
}

/*
 * Whether process P sleeps inside its semop: state S in /proc/P/stat and,
 * where /proc/P/syscall can be read, a System V semaphore call in it.
 */
static int
in_semop(pid_t p)
{
	char path[64], buf[512], *s;
	FILE *f;
	long nr;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((s = strrchr(buf, ')')) == NULL || strncmp(s, ") S ", 4) != 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)p);
	if ((f = fopen(path, "r")) == NULL)
		return 1;
	if (fscanf(f, "%ld", &nr) != 1)
		nr = -1;
	fclose(f);
#ifdef SYS_semop
	if (nr == SYS_semop)
		return 1;
#endif
#ifdef SYS_ipc
	if (nr == SYS_ipc)
		return 1;
#endif
#ifdef SYS_semtimedop
	if (nr == SYS_semtimedop)
		return 1;
#endif
	return 0;
}

/*
 * A waiter on a semaphore whose array is removed under it: EIDRM.  The
 * array goes once the waiter sleeps in semop (60 s at most), however
 * slowly it was scheduled; with KILL the waiter is first killed there
 * (the call ends with EINTR, seen only at its exit tracepoint).
 */
static int
eidrm(int kill_it)
{
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600), st;
	struct sembuf op = { 0, -1, 0 };
	pid_t p;

	if (id < 0)
		return 1;
	p = fork();
	if (p == 0) {
		int r = semop(id, &op, 1);

		printf("semop %s\n", ename(r));
		fflush(stdout);
		_exit(0);
	}
	for (int i = 0; p > 0 && i < 6000 && !in_semop(p); i++)
		usleep(10000);
	if (kill_it && p > 0) {
		kill(p, SIGKILL);
		waitpid(p, &st, 0);
	}
	semctl(id, 0, IPC_RMID);
	if (!kill_it && p > 0)
		waitpid(p, &st, 0);
	return 0;
}

static int
run(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	int id, r;

	if (strcmp(m, "semget") == 0 && argc == 3) {
		r = semget(IPC_PRIVATE, (int)num(argv[2]), IPC_CREAT | 0600);
		printf("semget %s\n", ename(r));
	} else if (strcmp(m, "shmget") == 0 && argc == 3) {
		r = shmget(IPC_PRIVATE, num(argv[2]), IPC_CREAT | 0600);
		printf("shmget %s\n", ename(r));
	} else if (strcmp(m, "msgget") == 0 && argc == 2) {
		r = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		printf("msgget %s\n", ename(r));
	} else if (strcmp(m, "semmk") == 0 && argc == 3) {
		r = semget((key_t)num(argv[2]), 1, IPC_CREAT | 0600);
		printf("semget %s\n", ename(r));
	} else if (strcmp(m, "semexcl") == 0 && argc == 3) {
		r = semget((key_t)num(argv[2]), 1, IPC_CREAT | IPC_EXCL |
		    0600);
		printf("semget %s\n", ename(r));
	} else if (strcmp(m, "semkey") == 0 && argc == 3) {
		r = semget((key_t)num(argv[2]), 1, 0600);
		printf("semget %s\n", ename(r));
	} else if (strcmp(m, "semop") == 0 && argc == 3) {
		id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
		r = semops(id, num(argv[2]), 1);
		printf("semop %s\n", ename(r));
		semctl(id, 0, IPC_RMID);
	} else if (strcmp(m, "msgsnd") == 0 && argc == 3) {
		size_t n = num(argv[2]);
		char *buf = calloc(1, sizeof(long) + n);

		*(long *)buf = 1;
		id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		r = msgsnd(id, buf, n, IPC_NOWAIT);
		printf("msgsnd %s\n", ename(r));
		msgctl(id, IPC_RMID, NULL);
		free(buf);
	} else if (strcmp(m, "eidrm") == 0 && argc == 2) {
		return eidrm(0);
	} else if (strcmp(m, "eintr") == 0 && argc == 2) {
		return eidrm(1);
	} else if ((strcmp(m, "flood") == 0 || strcmp(m, "good") == 0) &&
	    argc == 3) {
		id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
		r = semops(id, m[0] == 'f' ? 4096 : 1, (int)num(argv[2]));
		printf("semop %s\n", ename(r));
		semctl(id, 0, IPC_RMID);
	} else {
		fputs("usage: ipcfail semget NSEMS | shmget SIZE | msgget | "
		    "semop NSOPS | msgsnd SIZE | semmk KEY | semkey KEY | "
		    "semexcl KEY | "
		    "eidrm | eintr | flood N | good N\n", stderr);
		return 2;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *again = getenv("IPCFAIL_AGAIN_AFTER");
	const char *until = getenv("IPCFAIL_LINGER_UNTIL");
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	r = run(argc, argv);
	/* the same call once more when the file AGAIN exists (30 s at most) */
	for (int i = 0; r == 0 && again != NULL && i < 3000; i++) {
		if (access(again, F_OK) == 0) {
			r = run(argc, argv);
			break;
		}
		usleep(10000);
	}
	/* alive until the file UNTIL exists (60 s at most) */
	for (int i = 0; r == 0 && until != NULL && i < 6000 &&
	    access(until, F_OK) != 0; i++)
		usleep(10000);
	return r;
}
