/*
 * ipchelper.c: creates System V IPC objects for the integration tests
 * and the benchmark, from a small strict command line, then exits, holds
 * them until killed, or dies by SIGKILL while holding them.  It prints
 * each created id, then "ready", so a test can wait for it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

static const char usage[] =
    "usage: ipchelper [-q] ACTION... [exit|hold|die]\n"
    "  shm size=BYTES [key=K] [mode=OCTAL] [count=N] [attach] [lock] "
    "[fill=BYTE]\n"
    "  sem nsems=N [key=K] [mode=OCTAL] [count=N] [semop=V]\n"
    "  msg [key=K] [mode=OCTAL] [count=N] [send=N] [bytes=B]\n"
    "A key other than 0 (IPC_PRIVATE) is incremented for each of COUNT\n"
    "objects.  Each id is printed as 'TYPE ID' (not with -q), then\n"
    "'ready'.  The end word: exit (default), hold (pause until killed)\n"
    "or die (SIGKILL itself while holding the attachments).\n";

static int quiet;

/* A usage error: "ipchelper: WHAT 'WORD'HINT", exit 2. */
static void die(const char *what, const char *word, const char *hint)
    __attribute__((noreturn));

static void
die(const char *what, const char *word, const char *hint)
{
	fprintf(stderr, "ipchelper: %s '%s'%s\n", what, word, hint);
	exit(2);
}

static void
fail(const char *what, long n)
{
	fprintf(stderr, "ipchelper: %s (object %ld): %s\n", what, n,
	    strerror(errno));
	exit(1);
}

/* A number with no sign, no garbage, no overflow, at most MAX. */
static uint64_t
num(const char *word, const char *s, int base, uint64_t max)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		die("bad number in", word, "");
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || v > max)
		die("bad number in", word, "");
	return (uint64_t)v;
}

struct spec {
	uint64_t size, nsems, count, key, mode, send, bytes, fill;
	int64_t semop;
	int attach, lock, has_size, has_nsems, has_fill, has_semop;
	char type;		/* 'h' shm, 'e' sem, 's' msg */
};

/* Parse NAME=VALUE words from ARGV[*I] until the next action word. */
static void
parse_words(char **argv, int argc, int *i, struct spec *s, const char *type)
{
	for (; *i < argc; (*i)++) {
		const char *w = argv[*i], *v = strchr(w, '=');
		size_t n = v ? (size_t)(v - w) : strlen(w);

		if (v != NULL)
			v++;
#define IS(name) (n == strlen(name) && strncmp(w, name, n) == 0)
		if (v == NULL && IS("attach") && strcmp(type, "shm") == 0)
			s->attach = 1;
		else if (v == NULL && IS("lock") && strcmp(type, "shm") == 0)
			s->lock = 1;
		else if (v == NULL)
			return;
		else if (IS("key"))
			s->key = num(w, v, 0, UINT32_MAX);
		else if (IS("mode"))
			s->mode = num(w, v, 8, 0777);
		else if (IS("count"))
			s->count = num(w, v, 10, 1000000);
		else if (IS("size") && strcmp(type, "shm") == 0) {
			s->size = num(w, v, 0, UINT64_MAX);
			s->has_size = 1;
		} else if (IS("fill") && strcmp(type, "shm") == 0) {
			s->fill = num(w, v, 0, 255);
			s->has_fill = 1;
		} else if (IS("nsems") && strcmp(type, "sem") == 0) {
			s->nsems = num(w, v, 10, INT32_MAX);
			s->has_nsems = 1;
		} else if (IS("semop") && strcmp(type, "sem") == 0) {
			s->semop = (int64_t)num(w, v, 10, 32767);
			s->has_semop = 1;
		} else if (IS("send") && strcmp(type, "msg") == 0)
			s->send = num(w, v, 10, 1000000);
		else if (IS("bytes") && strcmp(type, "msg") == 0)
			s->bytes = num(w, v, 10, 1 << 24);
		else
			die("unknown or misplaced word", w, "");
#undef IS
	}
}

static void
print_id(const char *type, int id)
{
	if (!quiet)
		printf("%s %d\n", type, id);
}

static int
flags(const struct spec *s)
{
	return IPC_CREAT | IPC_EXCL | (int)s->mode;
}

static key_t
nth_key(const struct spec *s, uint64_t n)
{
	return s->key == 0 ? IPC_PRIVATE : (key_t)(uint32_t)(s->key + n);
}

static void
make_shm(const struct spec *s)
{
	for (uint64_t n = 0; n < s->count; n++) {
		int id = shmget(nth_key(s, n), (size_t)s->size, flags(s));
		void *p;

		if (id < 0)
			fail("shmget", (long)n);
		if (s->lock && shmctl(id, SHM_LOCK, NULL) < 0)
			fail("shmctl(SHM_LOCK)", (long)n);
		if (s->attach || s->has_fill) {
			p = shmat(id, NULL, 0);
			if (p == (void *)-1)
				fail("shmat", (long)n);
			if (s->has_fill)
				memset(p, (int)s->fill, (size_t)s->size);
			if (!s->attach && shmdt(p) < 0)
				fail("shmdt", (long)n);
		}
		print_id("shm", id);
	}
}

static void
make_sem(const struct spec *s)
{
	for (uint64_t n = 0; n < s->count; n++) {
		int id = semget(nth_key(s, n), (int)s->nsems, flags(s));

		if (id < 0)
			fail("semget", (long)n);
		if (s->has_semop) {
			struct sembuf op = { 0, (short)s->semop, 0 };

			if (semop(id, &op, 1) < 0)
				fail("semop", (long)n);
		}
		print_id("sem", id);
	}
}

static void
make_msg(const struct spec *s)
{
	struct {
		long mtype;
		char mtext[1];
	} *m = calloc(1, sizeof(long) + (size_t)s->bytes + 1);

	if (m == NULL)
		fail("calloc", 0);
	m->mtype = 1;
	memset(m->mtext, 'm', (size_t)s->bytes);
	for (uint64_t n = 0; n < s->count; n++) {
		int id = msgget(nth_key(s, n), flags(s));

		if (id < 0)
			fail("msgget", (long)n);
		for (uint64_t k = 0; k < s->send; k++)
			if (msgsnd(id, m, (size_t)s->bytes, IPC_NOWAIT) < 0)
				fail("msgsnd", (long)n);
		print_id("msg", id);
	}
	free(m);
}

int
main(int argc, char **argv)
{
	struct spec *specs;
	const char *end = "exit";
	int i = 1, n = 0;

	if (argc < 2 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "-q") == 0) {
		quiet = 1;
		i++;
	}
	specs = calloc((size_t)argc, sizeof(*specs));
	if (specs == NULL)
		fail("calloc", 0);
	/* the whole command line is checked before anything is created */
	while (i < argc) {
		struct spec *s = &specs[n];
		const char *type = argv[i++];

		if (strcmp(type, "exit") == 0 || strcmp(type, "hold") == 0 ||
		    strcmp(type, "die") == 0) {
			if (i != argc)
				die("the end word must be last:", type, "");
			end = type;
			break;
		}
		if (strcmp(type, "shm") != 0 && strcmp(type, "sem") != 0 &&
		    strcmp(type, "msg") != 0)
			die("unknown action", type,
			    " (use shm, sem or msg)");
		s->count = 1;
		s->mode = 0600;
		s->type = type[1];
		parse_words(argv, argc, &i, s, type);
		if (s->type == 'h' && !s->has_size)
			die("missing size=BYTES after", type, "");
		if (s->type == 'e' && !s->has_nsems)
			die("missing nsems=N after", type, "");
		n++;
	}
	for (int k = 0; k < n; k++) {
		if (specs[k].type == 'h')
			make_shm(&specs[k]);
		else if (specs[k].type == 'e')
			make_sem(&specs[k]);
		else
			make_msg(&specs[k]);
	}
	free(specs);
	printf("ready\n");
	if (fflush(stdout) != 0)
		return 1;
	if (strcmp(end, "hold") == 0)
		for (;;)
			pause();
	if (strcmp(end, "die") == 0)
		kill(getpid(), SIGKILL);
	return 0;
}
