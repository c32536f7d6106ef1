/*
 * ctrprog.c: the program of the test containers (t_namespaces.sh),
 * linked statically into a busybox image: one object of each System V
 * type and 1 MiB of POSIX shared memory in /dev/shm, then "ready"; it
 * removes them and exits on SIGTERM.  With the argument "fill" it first
 * sends to its queue until msgsnd fails, as a full queue makes it fail.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>
static volatile sig_atomic_t stop;
static void
on_term(int s)
{
	(void)s;
	stop = 1;
}

/* Send 1 KiB messages to queue Q until msgsnd fails (EAGAIN). */
static void
fill(int q)
{
	struct {
		long mtype;
		char mtext[1024];
	} m;

	memset(&m, 'x', sizeof(m));
	m.mtype = 1;
	while (msgsnd(q, &m, sizeof(m.mtext), IPC_NOWAIT) == 0)
		;
	perror("msgsnd");
}

int
main(int argc, char **argv)
{
	int shm = shmget(IPC_PRIVATE, 1 << 20, 0600 | IPC_CREAT);
	int sem = semget(IPC_PRIVATE, 4, 0600 | IPC_CREAT);
	int msg = msgget(IPC_PRIVATE, 0600 | IPC_CREAT);
	int fd = open("/dev/shm/prog", O_RDWR | O_CREAT | O_NOFOLLOW, 0600);

	signal(SIGTERM, on_term);
	if (fd >= 0 && ftruncate(fd, 1 << 20) == 0) {
		char *p = mmap(NULL, 1 << 20, PROT_WRITE, MAP_SHARED, fd,
		    0);

		if (p != MAP_FAILED)
			memset(p, 1, 1 << 20);
	}
	if (argc > 1 && strcmp(argv[1], "fill") == 0 && msg >= 0)
		fill(msg);
	printf("shm %d sem %d msg %d\nready\n", shm, sem, msg);
	fflush(stdout);
	while (!stop)
		pause();
	if (shm >= 0)
		shmctl(shm, IPC_RMID, NULL);
	if (sem >= 0)
		semctl(sem, 0, IPC_RMID);
	if (msg >= 0)
		msgctl(msg, IPC_RMID, NULL);
	unlink("/dev/shm/prog");
	return 0;
}
