/*
 * ipchelper_show.c: uses existing System V objects the ways
 * tests/sys/t_show.sh needs to see them used: attached and held, a
 * semaphore set, a process blocked in semop or in msgsnd on a full
 * queue.  Run it only inside a private IPC namespace.  A blocking
 * subcommand creates READYFILE just before it blocks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: ipchelper_show CMD ...\n"
	    "  shmat ID READYFILE          attach segment ID and hold\n"
	    "  setval ID NUM VAL           SETVAL semaphore NUM of ID\n"
	    "  semop ID NUM OP             one semop (IPC_NOWAIT), exit\n"
	    "  semwait ID NUM OP READYFILE semop that blocks (OP 0: zero)\n"
	    "  msgsnd ID BYTES READYFILE   msgsnd that may block\n"
	    "  msgrcv ID READYFILE         msgrcv of type 999 (blocks)\n");
	exit(2);
}

static long
num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*s == '\0' || *end != '\0')
		usage();
	return v;
}

static void
ready(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static int
semcall(char **argv, int flags)
{
	struct sembuf op = { (unsigned short)num(argv[3]),
	    (short)num(argv[4]), (short)flags };

	return semop((int)num(argv[2]), &op, 1);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "shmat") == 0) {
		if (shmat((int)num(argv[2]), NULL, SHM_RDONLY) == (void *)-1) {
			perror("shmat");
			return 1;
		}
		ready(argv[3]);
		for (;;)
			pause();
	}
	if (argc == 5 && strcmp(argv[1], "setval") == 0) {
		if (semctl((int)num(argv[2]), (int)num(argv[3]), SETVAL,
		    (int)num(argv[4])) < 0) {
			perror("semctl");
			return 1;
		}
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "semop") == 0) {
		if (semcall(argv, IPC_NOWAIT) < 0) {
			perror("semop");
			return 1;
		}
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "semwait") == 0) {
		ready(argv[5]);
		if (semcall(argv, 0) < 0) {
			perror("semop");
			return 1;
		}
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "msgsnd") == 0) {
		size_t n = (size_t)num(argv[3]);
		struct { long mtype; char mtext[65536]; } *m = calloc(1,
		    sizeof(*m));

		if (m == NULL || n > sizeof(m->mtext))
			return 1;
		m->mtype = 1;
		ready(argv[4]);
		if (msgsnd((int)num(argv[2]), m, n, 0) < 0) {
			perror("msgsnd");
			return 1;
		}
		free(m);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "msgrcv") == 0) {
		struct { long mtype; char mtext[16]; } m;

		ready(argv[3]);
		if (msgrcv((int)num(argv[2]), &m, sizeof(m.mtext), 999,
		    MSG_NOERROR) < 0) {
			perror("msgrcv");
			return 1;
		}
		return 0;
	}
	usage();
	return 2;
}
