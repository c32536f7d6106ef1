/*
 * ipchelper_orphans.c: creates and uses SysV IPC objects the way the
 * leaking programs do, for tests/sys/t_orphans.sh and t_clean.sh.  Run
 * it only inside a private IPC namespace.  Each subcommand prints what
 * it made ("ID PID") and exits, or holds on until killed.
 */
#define _GNU_SOURCE
#include <errno.h>
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
	fprintf(stderr, "usage: ipchelper_orphans CMD ...\n"
	    "  sem-fill N READYFILE      N arrays of 3, semop each, hold\n"
	    "  sem-create KEY MODE       one array of 3, semop on sem 1\n"
	    "  semget                    try to create one array\n"
	    "  semop ID                  semop +1 on sem 0 of ID\n"
	    "  shm-write KEY SIZE SEED MODE  create, fill, detach, exit\n"
	    "  pattern SIZE SEED         the fill pattern on stdout\n"
	    "  shm-hold ID READYFILE     attach ID and hold\n"
	    "  shm-own KEY SIZE READYFILE  create, attach, detach, hold\n"
	    "  shm-rmid-hold KEY SIZE READYFILE  create, attach, IPC_RMID, "
	    "hold\n"
	    "  shm-touch ID              attach and detach ID, exit\n"
	    "  msg-send KEY N MODE       create a queue, send N messages\n"
	    "  sem-wait ID READYFILE     block in semop -1 on sem 2 of ID\n"
	    "  msg-wait ID READYFILE     block in msgrcv on queue ID\n"
	    "  sem-mutex KEY MODE        one array of 1, SETVAL 1\n"
	    "  sem-lock ID READYFILE     semop -1, SEM_UNDO on sem 0, hold\n"
	    "  sem-zero ID               wait-for-zero on sem 0 of ID, exit\n"
	    "  shm-try ID                attach ID read-only: OK or errno\n");
	exit(2);
}

static unsigned long
num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || end == s) {
		fprintf(stderr, "bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static void
ready(const char *path, const char *text)
{
	char tmp[4096];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "w");
	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0 ||
	    rename(tmp, path) != 0) {
		perror(path);
		exit(1);
	}
}

static void
hold(void)
{
	for (;;)
		pause();
}

static unsigned char
pattern_byte(unsigned long i, unsigned long seed)
{
	return (unsigned char)((i * 31u + seed * 7u + (i >> 8)) & 0xffu);
}

static int
do_semop(int id, unsigned short n)
{
	struct sembuf op = { n, 1, 0 };

	return semop(id, &op, 1);
}

int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "sem-fill") == 0 && argc == 4) {
		unsigned long n = num(argv[2]), i;
		char buf[64];

		for (i = 0; i < n; i++) {
			int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);

			if (id < 0) {
				fprintf(stderr, "semget: %s\n",
				    strerror(errno));
				break;
			}
			if (do_semop(id, 1) < 0) {
				perror("semop");
				return 1;
			}
		}
		snprintf(buf, sizeof(buf), "%lu %d\n", i, (int)getpid());
		ready(argv[3], buf);
		hold();
	} else if (strcmp(cmd, "sem-create") == 0 && argc == 4) {
		int id = semget((key_t)num(argv[2]), 3, IPC_CREAT | IPC_EXCL |
		    (int)num(argv[3]));

		if (id < 0 || do_semop(id, 1) < 0) {
			perror("sem-create");
			return 1;
		}
		printf("%d %d\n", id, (int)getpid());
	} else if (strcmp(cmd, "semget") == 0 && argc == 2) {
		int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);

		if (id < 0) {
			printf("%s\n", strerrorname_np(errno));
			return 1;
		}
		printf("%d\n", id);
	} else if (strcmp(cmd, "semop") == 0 && argc == 3) {
		if (do_semop((int)num(argv[2]), 0) < 0) {
			perror("semop");
			return 1;
		}
	} else if (strcmp(cmd, "shm-write") == 0 && argc == 6) {
		unsigned long size = num(argv[3]), seed = num(argv[4]);
		int id = shmget((key_t)num(argv[2]), size, IPC_CREAT |
		    IPC_EXCL | (int)num(argv[5]));
		unsigned char *p;

		if (id < 0) {
			perror("shmget");
			return 1;
		}
		p = shmat(id, NULL, 0);
		if (p == (void *)-1) {
			perror("shmat");
			return 1;
		}
		for (unsigned long i = 0; i < size; i++)
			p[i] = pattern_byte(i, seed);
		if (shmdt(p) < 0) {
			perror("shmdt");
			return 1;
		}
		printf("%d %d\n", id, (int)getpid());
	} else if (strcmp(cmd, "pattern") == 0 && argc == 4) {
		unsigned long size = num(argv[2]), seed = num(argv[3]);

		for (unsigned long i = 0; i < size; i++)
			putchar(pattern_byte(i, seed));
	} else if (strcmp(cmd, "shm-hold") == 0 && argc == 4) {
		char buf[64];

		if (shmat((int)num(argv[2]), NULL, SHM_RDONLY) == (void *)-1) {
			perror("shmat");
			return 1;
		}
		snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
		ready(argv[3], buf);
		hold();
	} else if (strcmp(cmd, "shm-own") == 0 && argc == 5) {
		/* a daemon: its segment stays while it runs, detached */
		int id = shmget((key_t)num(argv[2]), num(argv[3]), IPC_CREAT |
		    IPC_EXCL | 0600);
		void *p;
		char buf[64];

		if (id < 0 || (p = shmat(id, NULL, 0)) == (void *)-1 ||
		    shmdt(p) < 0) {
			perror("shm-own");
			return 1;
		}
		snprintf(buf, sizeof(buf), "%d %d\n", id, (int)getpid());
		ready(argv[4], buf);
		hold();
	} else if (strcmp(cmd, "shm-rmid-hold") == 0 && argc == 5) {
		/* X11 MIT-SHM: removed at once, freed at the last detach */
		int id = shmget((key_t)num(argv[2]), num(argv[3]), IPC_CREAT |
		    IPC_EXCL | 0600);
		char buf[64];

		if (id < 0 || shmat(id, NULL, 0) == (void *)-1 ||
		    shmctl(id, IPC_RMID, NULL) < 0) {
			perror("shm-rmid-hold");
			return 1;
		}
		snprintf(buf, sizeof(buf), "%d %d\n", id, (int)getpid());
		ready(argv[4], buf);
		hold();
	} else if (strcmp(cmd, "shm-touch") == 0 && argc == 3) {
		void *p = shmat((int)num(argv[2]), NULL, SHM_RDONLY);

		if (p == (void *)-1 || shmdt(p) < 0) {
			perror("shm-touch");
			return 1;
		}
	} else if (strcmp(cmd, "msg-send") == 0 && argc == 5) {
		unsigned long n = num(argv[3]);
		struct { long mtype; char text[16]; } m = { 1, "hello" };
		int id = msgget((key_t)num(argv[2]), IPC_CREAT | IPC_EXCL |
		    (int)num(argv[4]));

		if (id < 0) {
			perror("msgget");
			return 1;
		}
		for (unsigned long i = 0; i < n; i++)
			if (msgsnd(id, &m, 6, 0) < 0) {
				perror("msgsnd");
				return 1;
			}
		printf("%d %d\n", id, (int)getpid());
	} else if (strcmp(cmd, "sem-wait") == 0 && argc == 4) {
		/* sem 2 of a sem-create array is 0: this blocks */
		struct sembuf op = { 2, -1, 0 };
		char buf[64];

		snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
		ready(argv[3], buf);
		if (semop((int)num(argv[2]), &op, 1) < 0) {
			perror("semop");
			return 1;
		}
	} else if (strcmp(cmd, "msg-wait") == 0 && argc == 4) {
		struct { long mtype; char text[64]; } m;
		char buf[64];

		snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
		ready(argv[3], buf);
		if (msgrcv((int)num(argv[2]), &m, sizeof(m.text), 0, 0) < 0) {
			perror("msgrcv");
			return 1;
		}
	} else if (strcmp(cmd, "sem-mutex") == 0 && argc == 4) {
		int id = semget((key_t)num(argv[2]), 1, IPC_CREAT | IPC_EXCL |
		    (int)num(argv[3]));

		if (id < 0 || semctl(id, 0, SETVAL, 1) < 0) {
			perror("sem-mutex");
			return 1;
		}
		printf("%d %d\n", id, (int)getpid());
	} else if (strcmp(cmd, "sem-lock") == 0 && argc == 4) {
		/* the way httpd's accept mutex is taken */
		struct sembuf op = { 0, -1, SEM_UNDO };
		char buf[64];

		if (semop((int)num(argv[2]), &op, 1) < 0) {
			perror("semop");
			return 1;
		}
		snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
		ready(argv[3], buf);
		hold();
	} else if (strcmp(cmd, "sem-zero") == 0 && argc == 3) {
		struct sembuf op = { 0, 0, 0 };

		if (semop((int)num(argv[2]), &op, 1) < 0) {
			perror("semop");
			return 1;
		}
		printf("%d\n", (int)getpid());
	} else if (strcmp(cmd, "shm-try") == 0 && argc == 3) {
		void *p = shmat((int)num(argv[2]), NULL, SHM_RDONLY);

		if (p == (void *)-1) {
			printf("%s\n", strerrorname_np(errno));
			return 1;
		}
		shmdt(p);
		printf("OK\n");
	} else {
		usage();
	}
	return 0;
}
