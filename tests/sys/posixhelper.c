/*
 * posixhelper: makes POSIX IPC objects for the tests, in whatever
 * namespaces it runs in (the tests run it in private ones).  Actions run
 * in order; "hold" then prints "ready" and waits to be killed, keeping
 * what it mapped and opened.
 *
 *   shm NAME SIZE        shm_open(O_CREAT|O_EXCL), ftruncate, close
 *   shmmap NAME          shm_open, mmap the whole file, touch it, close
 *   shmopen NAME         shm_open and keep the descriptor (no mapping)
 *   sem NAME VALUE       sem_open(O_CREAT|O_EXCL) and keep it (mapped)
 *   semclose             sem_close every semaphore opened so far
 *   mq NAME MAXMSG SIZE  mq_open(O_CREAT|O_EXCL) and keep the descriptor
 *   mqsend NAME TEXT     mq_open, mq_send TEXT, mq_close
 *   mqnotify NAME        mq_notify(SIGEV_SIGNAL, SIGUSR1) on a kept mqd
 *   mqclose              mq_close every queue descriptor kept
 *   hold                 print "ready", wait for a signal
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXOBJ 64

static sem_t *sems[MAXOBJ];
static int nsems;
static mqd_t mqs[MAXOBJ];
static int nmqs;

static void
die(const char *what, const char *name)
{
	fprintf(stderr, "posixhelper: %s '%s': %s\n", what, name,
	    strerror(errno));
	exit(1);
}

static void
do_shmmap(const char *name)
{
	struct stat st;
	char *p;
	int fd = shm_open(name, O_RDWR, 0);

	if (fd < 0 || fstat(fd, &st) < 0)
		die("shm_open", name);
	p = mmap(NULL, st.st_size > 0 ? (size_t)st.st_size : 1,
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap", name);
	if (st.st_size > 0)
		p[0] = 1;
	close(fd);
}

static void
do_mq(const char *name, const char *maxmsg, const char *size)
{
	struct mq_attr a;
	mqd_t q;

	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = atol(maxmsg);
	a.mq_msgsize = atol(size);
	q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0640, &a);
	if (q == (mqd_t)-1)
		die("mq_open", name);
	if (nmqs < MAXOBJ)
		mqs[nmqs++] = q;
}

static void
do_mqsend(const char *name, const char *text)
{
	mqd_t q = mq_open(name, O_WRONLY | O_NONBLOCK);

	if (q == (mqd_t)-1 || mq_send(q, text, strlen(text), 0) < 0)
		die("mq_send", name);
	mq_close(q);
}

static void
do_mqnotify(const char *name)
{
	struct sigevent ev;
	mqd_t q = mq_open(name, O_RDONLY | O_NONBLOCK);

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	if (q == (mqd_t)-1 || mq_notify(q, &ev) < 0)
		die("mq_notify", name);
	if (nmqs < MAXOBJ)
		mqs[nmqs++] = q;
}

static int
action(char **av, int ac, int i)
{
	const char *a = av[i];
	int need = strcmp(a, "shm") == 0 || strcmp(a, "sem") == 0 ||
	    strcmp(a, "mqsend") == 0 ? 2 : strcmp(a, "mq") == 0 ? 3 :
	    strcmp(a, "shmmap") == 0 || strcmp(a, "shmopen") == 0 ||
	    strcmp(a, "mqnotify") == 0 ? 1 : 0;
	int fd;

	if (i + need >= ac)
		die("missing arguments for", a);
	if (strcmp(a, "shm") == 0) {
		fd = shm_open(av[i + 1], O_CREAT | O_EXCL | O_RDWR, 0640);
		if (fd < 0 || ftruncate(fd, atol(av[i + 2])) < 0)
			die("shm_open", av[i + 1]);
		close(fd);
	} else if (strcmp(a, "shmmap") == 0) {
		do_shmmap(av[i + 1]);
	} else if (strcmp(a, "shmopen") == 0) {
		if (shm_open(av[i + 1], O_RDONLY, 0) < 0)
			die("shm_open", av[i + 1]);
	} else if (strcmp(a, "sem") == 0) {
		sem_t *s = sem_open(av[i + 1], O_CREAT | O_EXCL, 0640,
		    (unsigned)atoi(av[i + 2]));

		if (s == SEM_FAILED)
			die("sem_open", av[i + 1]);
		if (nsems < MAXOBJ)
			sems[nsems++] = s;
	} else if (strcmp(a, "semclose") == 0) {
		while (nsems > 0)
			sem_close(sems[--nsems]);
	} else if (strcmp(a, "mq") == 0) {
		do_mq(av[i + 1], av[i + 2], av[i + 3]);
	} else if (strcmp(a, "mqsend") == 0) {
		do_mqsend(av[i + 1], av[i + 2]);
	} else if (strcmp(a, "mqnotify") == 0) {
		do_mqnotify(av[i + 1]);
	} else if (strcmp(a, "mqclose") == 0) {
		while (nmqs > 0)
			mq_close(mqs[--nmqs]);
	} else if (strcmp(a, "hold") == 0) {
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	} else {
		errno = EINVAL;
		die("unknown action", a);
	}
	return need;
}

int
main(int argc, char **argv)
{
	signal(SIGUSR1, SIG_IGN);
	for (int i = 1; i < argc; i++)
		i += action(argv, argc, i);
	return 0;
}
