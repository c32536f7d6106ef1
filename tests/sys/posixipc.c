/*
 * posixipc.c: test helper making POSIX IPC calls and reporting the
 * kernel's answer, so the tests can compare it with 'ipctune fit'.
 *   posixipc mq NAME MAXMSG MSGSIZE COUNT
 *	mq_open(O_CREAT|O_EXCL) of NAME.0 .. NAME.COUNT-1 with the given
 *	attributes (MAXMSG 0: attr NULL; a negative one is passed as it
 *	is); prints "ok N" or
 *	"fail K ERRNAME" (K: queues made before the failure).  Queues stay.
 *   posixipc grow PATH SIZE
 *	creates PATH, ftruncate()s it to SIZE, maps it and touches each
 *	page; prints "ok" (a fault the tmpfs cannot back kills it: SIGBUS).
 *   posixipc fallocate PATH SIZE
 *	posix_fallocate() of a new file; prints "ok" or "fail ERRNAME".
 *   posixipc send NAME MAXMSG MSGSIZE MSGLEN COUNT
 *	creates queue NAME with the attributes, opened O_NONBLOCK, and
 *	sends COUNT messages of MSGLEN bytes; prints "ok N" or
 *	"fail K ERRNAME" (K: messages sent before).  The queue stays.
 *   posixipc tsend NAME MAXMSG MSGSIZE MSGLEN COUNT
 *	the same, opened blocking, each mq_timedsend() with a timeout
 *	already past: a full queue gives ETIMEDOUT at once.
 *   posixipc open NAME
 *	mq_open(O_RDWR) of an existing queue; prints "ok" or
 *	"fail ERRNAME".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static const char *
errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case EMFILE: return "EMFILE";
	case EOVERFLOW: return "EOVERFLOW";
	case EEXIST: return "EEXIST";
	case EACCES: return "EACCES";
	case EAGAIN: return "EAGAIN";
	case EMSGSIZE: return "EMSGSIZE";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENOENT: return "ENOENT";
	default: return strerror(e);
	}
}

static int
do_mq(const char *name, long maxmsg, long msgsize, long count)
{
	struct mq_attr a;
	char q[256];

	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = maxmsg;
	a.mq_msgsize = msgsize;
	for (long i = 0; i < count; i++) {
		mqd_t m;

		snprintf(q, sizeof(q), "/%s.%ld", name, i);
		m = mq_open(q, O_CREAT | O_EXCL | O_RDWR, 0600,
		    maxmsg != 0 ? &a : NULL);
		if (m == (mqd_t)-1) {
			printf("fail %ld %s\n", i, errname(errno));
			return 1;
		}
		mq_close(m);
	}
	printf("ok %ld\n", count);
	return 0;
}

static int
do_grow(const char *path, long long size)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		printf("fail %s\n", errname(errno));
		return 1;
	}
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (p == MAP_FAILED) {
		printf("fail %s\n", errname(errno));
		return 1;
	}
	for (long long off = 0; off < size; off += pg)
		p[off] = 1;
	printf("ok\n");
	return 0;
}

static int
do_fallocate(const char *path, long long size)
{
	int fd, e;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0) {
		printf("fail %s\n", errname(errno));
		return 1;
	}
	e = posix_fallocate(fd, 0, size);
	if (e != 0) {
		printf("fail %s\n", errname(e));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int
do_send(const char *name, long maxmsg, long msgsize, long msglen,
    long count, int timed)
{
	struct timespec past;
	struct mq_attr a;
	static char msg[65536];
	mqd_t m;

	memset(&a, 0, sizeof(a));
	a.mq_maxmsg = maxmsg;
	a.mq_msgsize = msgsize;
	m = mq_open(name, O_CREAT | O_RDWR | (timed ? 0 : O_NONBLOCK), 0600,
	    &a);
	if (m == (mqd_t)-1 || msglen < 0 || msglen > (long)sizeof(msg)) {
		printf("fail open %s\n", errname(errno));
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &past);
	past.tv_sec--;
	for (long i = 0; i < count; i++)
		if ((timed ? mq_timedsend(m, msg, (size_t)msglen, 0, &past) :
		    mq_send(m, msg, (size_t)msglen, 0)) < 0) {
			printf("fail %ld %s\n", i, errname(errno));
			return 1;
		}
	printf("ok %ld\n", count);
	return 0;
}

static int
do_open(const char *name)
{
	mqd_t m = mq_open(name, O_RDWR);

	if (m == (mqd_t)-1) {
		printf("fail %s\n", errname(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 6 && strcmp(argv[1], "mq") == 0)
		return do_mq(argv[2], atol(argv[3]), atol(argv[4]),
		    atol(argv[5]));
	if (argc == 4 && strcmp(argv[1], "grow") == 0)
		return do_grow(argv[2], atoll(argv[3]));
	if (argc == 4 && strcmp(argv[1], "fallocate") == 0)
		return do_fallocate(argv[2], atoll(argv[3]));
	if (argc == 7 && (strcmp(argv[1], "send") == 0 ||
	    strcmp(argv[1], "tsend") == 0))
		return do_send(argv[2], atol(argv[3]), atol(argv[4]),
		    atol(argv[5]), atol(argv[6]), argv[1][0] == 't');
	if (argc == 3 && strcmp(argv[1], "open") == 0)
		return do_open(argv[2]);
	fprintf(stderr, "usage: posixipc mq NAME MAXMSG MSGSIZE COUNT | "
	    "grow PATH SIZE | fallocate PATH SIZE | "
	    "send|tsend NAME MAXMSG MSGSIZE MSGLEN COUNT | open NAME\n");
	return 2;
}
