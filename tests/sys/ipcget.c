/*
 * ipcget.c: makes one real shmget, semget or msgget call, as a given
 * uid and gid, and prints what the kernel answered: "ok ID" or the errno
 * name.  The tests compare it with what 'ipctune fit --key' predicts.
 *
 * Usage: ipcget [-u UID] [-g GID] shm|sem|msg|msgsnd KEY SIZE FLAGS
 * KEY is 0x hex or decimal; SIZE is bytes (shm) or semaphores (sem);
 * FLAGS is IPC_CREAT, IPC_EXCL and octal mode bits joined by '|'.
 * msgsnd gets the queue as msg does, then sends one message of SIZE
 * bytes into it with IPC_NOWAIT (EAGAIN when it does not fit).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

static const struct {
	int err;
	const char *name;
} names[] = {
	{ ENOENT, "ENOENT" }, { EEXIST, "EEXIST" }, { EINVAL, "EINVAL" },
	{ EACCES, "EACCES" }, { ENOSPC, "ENOSPC" }, { ENOMEM, "ENOMEM" },
	{ EPERM, "EPERM" }, { EAGAIN, "EAGAIN" },
};

static void
usage(void)
{
	fputs("usage: ipcget [-u UID] [-g GID] shm|sem|msg|msgsnd KEY SIZE "
	    "FLAGS\n", stderr);
	exit(2);
}

static unsigned long
num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0')
		usage();
	return v;
}

static int
flags(const char *arg)
{
	char buf[128], *tok, *save = NULL;
	int f = 0;

	if (strlen(arg) >= sizeof(buf))
		usage();
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, "|", &save); tok != NULL;
	    tok = strtok_r(NULL, "|", &save)) {
		if (strcmp(tok, "IPC_CREAT") == 0)
			f |= IPC_CREAT;
		else if (strcmp(tok, "IPC_EXCL") == 0)
			f |= IPC_EXCL;
		else
			f |= (int)(strtoul(tok, NULL, 8) & 0777);
	}
	return f;
}

/* msgget KEY, then one message of SIZE bytes with IPC_NOWAIT: the id. */
static int
msgsnd_one(key_t key, unsigned long size, int fl)
{
	struct {
		long mtype;
		char mtext[1];
	} *m;
	int id = msgget(key, fl), e;

	if (id < 0)
		return -1;
	m = calloc(1, sizeof(long) + size + 1);
	if (m == NULL)
		return -1;
	m->mtype = 1;
	if (msgsnd(id, m, size, IPC_NOWAIT) < 0)
		id = -1;
	e = errno;
	free(m);
	errno = e;
	return id;
}

int
main(int argc, char **argv)
{
	long uid = -1, gid = -1;
	int c, id;
	key_t key;
	unsigned long size;

	while ((c = getopt(argc, argv, "u:g:")) != -1) {
		if (c == 'u')
			uid = (long)num(optarg);
		else if (c == 'g')
			gid = (long)num(optarg);
		else
			usage();
	}
	if (argc - optind != 4)
		usage();
	key = (key_t)num(argv[optind + 1]);
	size = num(argv[optind + 2]);
	if (gid >= 0) {
		gid_t g = (gid_t)gid;

		if (setgroups(1, &g) < 0 || setgid(g) < 0) {
			perror("ipcget: setgid");
			return 1;
		}
	}
	if (uid >= 0 && setuid((uid_t)uid) < 0) {
		perror("ipcget: setuid");
		return 1;
	}
	if (strcmp(argv[optind], "shm") == 0)
		id = shmget(key, size, flags(argv[optind + 3]));
	else if (strcmp(argv[optind], "sem") == 0)
		id = semget(key, (int)size, flags(argv[optind + 3]));
	else if (strcmp(argv[optind], "msg") == 0)
		id = msgget(key, flags(argv[optind + 3]));
	else if (strcmp(argv[optind], "msgsnd") == 0)
		id = msgsnd_one(key, size, flags(argv[optind + 3]));
	else
		usage();
	if (id >= 0) {
		printf("ok %d\n", id);
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == errno) {
			printf("%s\n", names[i].name);
			return 0;
		}
	}
	printf("errno %d\n", errno);
	return 0;
}
