/*
 * ctrprog.c: the program of the test containers (t_namespaces.sh),
 * linked statically into a busybox image: one object of each System V
 * type and 1 MiB of POSIX shared memory in /dev/shm, then "ready"; it
 * removes them and exits on SIGTERM.
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

int
main(void)
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
