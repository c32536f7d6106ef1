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
 *   tshmopen NAME        shm_open NAME, start a thread that calls
 *                        unshare(CLONE_FILES) and shm_opens NAME again,
 *                        then close the first descriptor: only the
 *                        thread's own descriptor table holds NAME
 *   tmqopen NAME         the same with mq_open
 *   threads N            start N threads sharing the descriptor table
 *   uring NAME           shm_open NAME, register the descriptor in the
 *                        fixed file table of a new io_uring instance
 *                        (kept), close it; exits 3 without io_uring
 *   nullfds N            open /dev/null N times and keep the descriptors
 *   hold                 print "ready", wait for a signal
 *   leaderexit           start a thread that waits for a signal, print
 *                        "ready", and end the main thread alone
 *                        (pthread_exit): a zombie leader, threads alive
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <sched.h>
#include <linux/io_uring.h>
#include <sys/syscall.h>
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

/* What a thread of tshmopen or tmqopen opens, and when it has. */
struct topen {
	const char *name;
	int mq;
	int fd;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;		/* 1: opened, -1: failed */
};

static int
open_one(const char *name, int mq)
{
	return mq ? (int)mq_open(name, O_RDONLY | O_NONBLOCK) :
	    shm_open(name, O_RDONLY, 0);
}

static void *
topen_thread(void *arg)
{
	struct topen *t = arg;
	int r;

	/* a private copy of the table, then a descriptor of its own */
	r = unshare(CLONE_FILES) == 0 && open_one(t->name, t->mq) >= 0 ?
	    1 : -1;
	pthread_mutex_lock(&t->mu);
	t->done = r;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	for (;;)
		pause();
	return NULL;
}

static void
do_topen(const char *name, int mq)
{
	static struct topen t;
	pthread_t th;

	memset(&t, 0, sizeof(t));
	t.name = name;
	t.mq = mq;
	pthread_mutex_init(&t.mu, NULL);
	pthread_cond_init(&t.cv, NULL);
	t.fd = open_one(name, mq);
	if (t.fd < 0)
		die(mq ? "mq_open" : "shm_open", name);
	errno = pthread_create(&th, NULL, topen_thread, &t);
	if (errno != 0)
		die("pthread_create for", name);
	pthread_mutex_lock(&t.mu);
	while (t.done == 0)
		pthread_cond_wait(&t.cv, &t.mu);
	pthread_mutex_unlock(&t.mu);
	if (t.done < 0)
		die("unshare(CLONE_FILES) and open", name);
	/* the thread group leader's table no longer holds it */
	close(t.fd);
}

static void *
sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void
do_threads(const char *count)
{
	pthread_attr_t at;
	pthread_t th;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 65536);
	for (long n = atol(count); n > 0; n--) {
		errno = pthread_create(&th, &at, sleeper, NULL);
		if (errno != 0)
			die("pthread_create", count);
	}
	pthread_attr_destroy(&at);
}

static void
do_uring(const char *name)
{
	struct io_uring_params p;
	int ring, fds[2];

	memset(&p, 0, sizeof(p));
	ring = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0) {
		fprintf(stderr, "posixhelper: io_uring_setup: %s\n",
		    strerror(errno));
		exit(3);
	}
	fds[0] = shm_open(name, O_RDONLY, 0);
	fds[1] = -1;
	if (fds[0] < 0)
		die("shm_open", name);
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_FILES, fds,
	    2) < 0)
		die("io_uring_register of", name);
	/* only the ring's fixed table holds it now */
	close(fds[0]);
}

static int
action(char **av, int ac, int i)
{
	const char *a = av[i];
	int need = strcmp(a, "shm") == 0 || strcmp(a, "sem") == 0 ||
	    strcmp(a, "mqsend") == 0 ? 2 : strcmp(a, "mq") == 0 ? 3 :
	    strcmp(a, "shmmap") == 0 || strcmp(a, "shmopen") == 0 ||
	    strcmp(a, "mqnotify") == 0 || strcmp(a, "tshmopen") == 0 ||
	    strcmp(a, "tmqopen") == 0 || strcmp(a, "threads") == 0 ||
	    strcmp(a, "nullfds") == 0 || strcmp(a, "uring") == 0 ? 1 : 0;
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
	} else if (strcmp(a, "tshmopen") == 0) {
		do_topen(av[i + 1], 0);
	} else if (strcmp(a, "tmqopen") == 0) {
		do_topen(av[i + 1], 1);
	} else if (strcmp(a, "uring") == 0) {
		do_uring(av[i + 1]);
	} else if (strcmp(a, "threads") == 0) {
		do_threads(av[i + 1]);
	} else if (strcmp(a, "nullfds") == 0) {
		for (long n = atol(av[i + 1]); n > 0; n--)
			if (open("/dev/null", O_RDONLY) < 0)
				die("open", "/dev/null");
	} else if (strcmp(a, "mqclose") == 0) {
		while (nmqs > 0)
			mq_close(mqs[--nmqs]);
	} else if (strcmp(a, "leaderexit") == 0) {
		do_threads("1");
		printf("ready\n");
		fflush(stdout);
		pthread_exit(NULL);
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
