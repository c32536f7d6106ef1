/*
 * fitprop.c: property test of fit.c against the real kernel.  In a
 * private IPC namespace (it unshares one itself, and t_fit.sh runs it
 * under unshare --ipc too) it builds random states, random limits and
 * random existing objects, asks fit_predict() (and on a sample the
 * ipctune binary) what shmget, semget, semop, msgget and msgsnd would
 * answer, makes the real calls and compares the errno of every call.
 * When a call fails it raises only the limit fit blamed and retries, so
 * the limit named is checked too, not just the errno; and it sets the
 * limits to exactly the change fit advises (then each a unit lower) to
 * check that the advice makes the request fit and is the smallest.
 *
 * Usage: fitprop [-n CASES] [-s SEED] [-b IPCTUNE] [-e EVERY] [-v]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fit.h"
#include "ksource.h"

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#ifndef SHM_NORESERVE
#define SHM_NORESERVE 010000
#endif

#define ULONG_DEFAULT "18446744073692774399"
#define SEM_DEFAULT_FIELDS { 32000, 1024000000, 500, 32000 }

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static uint64_t rng;
static bool verbose;
static char *ipctune_bin;

static uint64_t
rnd64(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

/* Uniform in [0, n), n > 0. */
static uint64_t
rnd(uint64_t n)
{
	return rnd64() % n;
}

/* Uniform in [lo, hi]. */
static int64_t
rrange(int64_t lo, int64_t hi)
{
	return lo + (int64_t)rnd((uint64_t)(hi - lo) + 1);
}

static bool
chance(unsigned percent)
{
	return rnd(100) < percent;
}

static void
die(const char *what)
{
	fprintf(stderr, "fitprop: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void
write_sysctl(const char *name, const char *val)
{
	char path[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		die(path);
	n = write(fd, val, strlen(val));
	if (n != (ssize_t)strlen(val)) {
		fprintf(stderr, "fitprop: write '%s' to %s: %s\n", val, path,
		    n < 0 ? strerror(errno) : "short write");
		exit(2);
	}
	close(fd);
}

static void
write_u64(const char *name, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	write_sysctl(name, buf);
}

static void
read_sem(int64_t f[4])
{
	FILE *fp = fopen("/proc/sys/kernel/sem", "r");

	if (fp == NULL || fscanf(fp, "%" SCNd64 " %" SCNd64 " %" SCNd64 " %"
	    SCNd64, &f[0], &f[1], &f[2], &f[3]) != 4)
		die("read kernel.sem");
	fclose(fp);
}

static void
write_sem(const int64_t f[4])
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%" PRId64 " %" PRId64 " %" PRId64 " %"
	    PRId64, f[0], f[1], f[2], f[3]);
	write_sysctl("sem", buf);
}

/* Segments this process keeps attached (IPC_RMID'd, still counted). */
static void *attached[16];
static size_t nattached;

/* Remove every object of this private namespace. */
static void
remove_all(void)
{
	struct shm_info si;
	struct seminfo sem;
	struct msginfo mi;
	struct shmid_ds sds;
	struct semid_ds ds;
	struct msqid_ds mds;
	union semun arg;
	int max, id;

	for (size_t i = 0; i < nattached; i++)
		shmdt(attached[i]);
	nattached = 0;
	max = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si);
	for (int i = 0; i <= max; i++)
		if ((id = shmctl(i, SHM_STAT_ANY, &sds)) >= 0)
			shmctl(id, IPC_RMID, NULL);
	arg.__buf = &sem;
	max = semctl(0, 0, SEM_INFO, arg);
	arg.buf = &ds;
	for (int i = 0; i <= max; i++)
		if ((id = semctl(i, 0, SEM_STAT_ANY, arg)) >= 0)
			semctl(id, 0, IPC_RMID);
	max = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi);
	for (int i = 0; i <= max; i++)
		if ((id = msgctl(i, MSG_STAT_ANY, &mds)) >= 0)
			msgctl(id, IPC_RMID, NULL);
	shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si);
	arg.__buf = &sem;
	semctl(0, 0, SEM_INFO, arg);
	msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi);
	if (si.used_ids != 0 || sem.semusz != 0 || mi.msgpool != 0) {
		fprintf(stderr, "fitprop: objects left after cleanup\n");
		exit(2);
	}
}

static void
permissive_limits(void)
{
	static const int64_t sem[4] = SEM_DEFAULT_FIELDS;

	write_sysctl("shmmax", ULONG_DEFAULT);
	write_sysctl("shmall", ULONG_DEFAULT);
	write_u64("shmmni", 4096);
	write_sem(sem);
	write_u64("msgmax", 65536);
	write_u64("msgmnb", 65536);
	write_u64("msgmni", 32000);
}

/* The kernel's own counters, as the checks below need them. */
struct usage {
	uint64_t shm_tot, shm_segs, sem_arrays, sem_sems, msg_queues;
};

static void
read_usage(struct usage *u)
{
	struct shm_info si;
	struct seminfo sem;
	struct msginfo mi;
	union semun arg;

	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si) < 0)
		die("SHM_INFO");
	arg.__buf = &sem;
	if (semctl(0, 0, SEM_INFO, arg) < 0)
		die("SEM_INFO");
	if (msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi) < 0)
		die("MSG_INFO");
	u->shm_tot = si.shm_tot;
	u->shm_segs = (uint64_t)si.used_ids;
	u->sem_arrays = (uint64_t)sem.semusz;
	u->sem_sems = (uint64_t)sem.semaem;
	u->msg_queues = (uint64_t)mi.msgpool;
}

struct msgbuf_big {
	long mtype;
	char mtext[];
};

/* Random existing objects, made under permissive limits. */
static int
make_objects(int *probe_sem)
{
	uint64_t nshm = rnd(7), nsem = rnd(7), nq = rnd(5);
	struct msgbuf_big *m = malloc(sizeof(*m) + 512);

	if (m == NULL)
		die("malloc");
	for (uint64_t i = 0; i < nshm; i++) {
		size_t size = chance(30) ? (size_t)rrange(1, 16) * 4096 :
		    (size_t)rrange(1, 16 << 20);
		int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600 |
		    SHM_NORESERVE);

		if (id < 0)
			die("shmget (setup)");
		/* attached and removed: still counts (shm_destroy()) */
		if (nattached < 16 && chance(15)) {
			void *p = shmat(id, NULL, SHM_RDONLY);

			if (p == (void *)-1)
				die("shmat");
			attached[nattached++] = p;
			shmctl(id, IPC_RMID, NULL);
		}
	}
	for (uint64_t i = 0; i < nsem; i++)
		if (semget(IPC_PRIVATE, (int)rrange(1, 40), IPC_CREAT |
		    0600) < 0)
			die("semget (setup)");
	*probe_sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (*probe_sem < 0)
		die("semget (probe)");
	for (uint64_t i = 0; i < nq; i++) {
		int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		uint64_t k = rnd(4);

		if (q < 0)
			die("msgget (setup)");
		for (uint64_t j = 0; j < k; j++) {
			m->mtype = 1;
			if (msgsnd(q, m, (size_t)rnd(500), IPC_NOWAIT) < 0)
				die("msgsnd (setup)");
		}
	}
	free(m);
	return 0;
}

/* A limit near a boundary: BASE + STEP * k + small, or anything. */
static int64_t
near(int64_t base, int64_t step, int64_t kmax, int64_t any_max)
{
	int64_t v;

	if (chance(20))
		return rrange(0, any_max);
	v = base + step * rrange(0, kmax) + rrange(-1, 1);
	return v < 0 ? 0 : v;
}

struct limits {
	uint64_t shmmax, shmall, shmmni, msgmax, msgmnb, msgmni;
	bool shmmax_default, shmall_default;
	int64_t sem[4];
};

static void
random_request(struct fit_request *r)
{
	memset(r, 0, sizeof(*r));
	do {
		r->has_shm = chance(60);
		r->has_sem = chance(60);
		r->has_semop = chance(45);
		r->has_queues = chance(45);
		r->has_msg = chance(45);
	} while (!r->has_shm && !r->has_sem && !r->has_semop &&
	    !r->has_queues && !r->has_msg);
	if (chance(3))
		r->shm_size_bytes = 0;
	else if (chance(3))
		r->shm_size_bytes = UINT64_MAX - rnd(4096);
	else if (chance(8))
		/* around MAX_LFS_FILESIZE (2^63 - 1): EINVAL above it */
		r->shm_size_bytes = chance(40) ? INT64_MAX - rnd(4096) :
		    (uint64_t)INT64_MAX + 1 + rnd(UINT64_MAX / 2 - 4096);
	else if (chance(40))
		r->shm_size_bytes = (uint64_t)rrange(1, 4096) * 4096;
	else
		r->shm_size_bytes = (uint64_t)rrange(1, 32 << 20);
	r->shm_count = (uint64_t)rrange(1, 4);
	r->sem_arrays = (uint64_t)rrange(1, 4);
	r->sems_per_array = chance(4) ? 0 : (uint64_t)rrange(1, 120);
	r->semop_ops = chance(4) ? 0 : (uint64_t)rrange(1, 700);
	r->queues = (uint64_t)rrange(1, 4);
	r->msg_size_bytes = chance(5) ? 0 : (uint64_t)rrange(1, 20000);
}

/* Limits around what the request and the usage need, or anything. */
static void
random_limits(const struct fit_request *r, const struct usage *u,
    struct limits *l)
{
	static const int64_t semdef[4] = SEM_DEFAULT_FIELDS;
	uint64_t pages = (r->shm_size_bytes + 4095) / 4096;

	if (r->shm_size_bytes > UINT64_MAX - 4095)
		pages = 1;
	l->shmmax_default = chance(35);
	l->shmmax = l->shmmax_default ? 0 : chance(5) ? UINT64_MAX :
	    chance(50) ? r->shm_size_bytes + (uint64_t)rrange(-1, 1) :
	    (uint64_t)rrange(0, 40 << 20);
	if (r->shm_size_bytes > INT64_MAX - 4096 && chance(70)) {
		l->shmmax_default = false;
		l->shmmax = UINT64_MAX;
	}
	l->shmall_default = chance(30);
	l->shmall = (uint64_t)near((int64_t)u->shm_tot, (int64_t)pages,
	    (int64_t)r->shm_count + 1, 100000);
	l->shmmni = chance(30) ? 4096 : (uint64_t)near((int64_t)u->shm_segs,
	    1, (int64_t)r->shm_count + 1, 20);
	for (int i = 0; i < 4; i++)
		l->sem[i] = semdef[i];
	if (chance(70))
		l->sem[0] = chance(5) ? -1 : near((int64_t)r->sems_per_array,
		    1, 0, 300);
	if (chance(70))
		l->sem[1] = chance(5) ? -rrange(1, 9) :
		    near((int64_t)u->sem_sems, (int64_t)r->sems_per_array,
		    (int64_t)r->sem_arrays + 1, 800);
	if (chance(70))
		l->sem[2] = chance(5) ? -1 : near((int64_t)r->semop_ops, 1,
		    0, 1000);
	if (chance(70))
		l->sem[3] = near((int64_t)u->sem_arrays, 1,
		    (int64_t)r->sem_arrays + 1, 20);
	l->msgmax = chance(30) ? 65536 : (uint64_t)near(
	    (int64_t)r->msg_size_bytes, 1, 0, 30000);
	l->msgmni = chance(30) ? 32000 : (uint64_t)near(
	    (int64_t)u->msg_queues, 1, (int64_t)r->queues + 1, 12);
}

static void
write_limits(const struct limits *l)
{
	if (l->shmmax_default)
		write_sysctl("shmmax", ULONG_DEFAULT);
	else
		write_u64("shmmax", l->shmmax);
	if (l->shmall_default)
		write_sysctl("shmall", ULONG_DEFAULT);
	else
		write_u64("shmall", l->shmall);
	write_u64("shmmni", l->shmmni);
	write_sem(l->sem);
	write_u64("msgmax", l->msgmax);
	write_u64("msgmni", l->msgmni);
}

/* What the kernel answered to one kind of call. */
struct real {
	uint64_t succeeded;
	int err;
};

static int
predict_now(const struct fit_request *r, struct fit_result *res)
{
	struct ksource_opts o;
	struct kstate ks;
	char err[512];
	int rc;

	memset(&o, 0, sizeof(o));
	o.want = KS_SYSCTL | KS_USAGE;
	kstate_init(&ks);
	if (ksource_read(&o, &ks, err, sizeof(err)) < 0) {
		fprintf(stderr, "fitprop: ksource_read: %s\n", err);
		exit(2);
	}
	rc = fit_predict(&ks, r, res, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "fitprop: fit_predict: %s\n", err);
	kstate_release(&ks);
	return rc;
}

/* The objects the real calls made, so a trial can take them back. */
static struct {
	enum fit_call call;
	int id;
} made[16];
static size_t nmade;

/* Remove what the real calls made since nmade was last 0. */
static void
remove_made(void)
{
	for (size_t i = 0; i < nmade; i++) {
		if (made[i].call == FIT_SHMGET)
			shmctl(made[i].id, IPC_RMID, NULL);
		else if (made[i].call == FIT_SEMGET)
			semctl(made[i].id, 0, IPC_RMID);
		else
			msgctl(made[i].id, IPC_RMID, NULL);
	}
	nmade = 0;
}

/* One real call of kind C; the errno, or 0 on success. */
static int
real_call(enum fit_call c, const struct fit_request *r, int probe_sem,
    int probe_q)
{
	int rc = 0;

	errno = 0;
	switch (c) {
	case FIT_SHMGET:
		rc = shmget(IPC_PRIVATE, (size_t)r->shm_size_bytes,
		    IPC_CREAT | 0600 | SHM_NORESERVE);
		break;
	case FIT_SEMGET:
		rc = semget(IPC_PRIVATE, (int)r->sems_per_array,
		    IPC_CREAT | 0600);
		break;
	case FIT_SEMOP: {
		size_t k = (size_t)r->semop_ops;
		struct sembuf *ops = calloc(k ? k : 1, sizeof(*ops));

		if (ops == NULL)
			die("calloc");
		for (size_t i = 0; i < k; i++) {
			ops[i].sem_num = 0;
			ops[i].sem_op = 0;	/* wait for zero: it is 0 */
			ops[i].sem_flg = IPC_NOWAIT;
		}
		rc = semop(probe_sem, ops, k);
		free(ops);
		break;
	}
	case FIT_MSGGET:
		rc = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		break;
	case FIT_MSGSND: {
		size_t b = (size_t)r->msg_size_bytes;
		struct msgbuf_big *m = calloc(1, sizeof(*m) + b + 1);

		if (m == NULL)
			die("calloc");
		m->mtype = 1;
		rc = msgsnd(probe_q, m, b, IPC_NOWAIT);
		free(m);
		break;
	}
	default:
		break;
	}
	if (rc < 0)
		return errno;
	if ((c == FIT_SHMGET || c == FIT_SEMGET || c == FIT_MSGGET) &&
	    nmade < sizeof(made) / sizeof(made[0])) {
		made[nmade].call = c;
		made[nmade++].id = rc;
	}
	return 0;
}

static void
real_calls(enum fit_call c, const struct fit_request *r, int probe_sem,
    int probe_q, struct real *out)
{
	uint64_t n = c == FIT_SHMGET ? r->shm_count : c == FIT_SEMGET ?
	    r->sem_arrays : c == FIT_MSGGET ? r->queues : 1;

	out->succeeded = 0;
	out->err = 0;
	for (uint64_t i = 0; i < n; i++) {
		int e = real_call(c, r, probe_sem, probe_q);

		if (e != 0) {
			out->err = e;
			return;
		}
		out->succeeded++;
	}
}

static const char *
ename(int e)
{
	switch (e) {
	case 0:
		return "ok";
	case EINVAL:
		return "EINVAL";
	case ENOSPC:
		return "ENOSPC";
	case E2BIG:
		return "E2BIG";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	default:
		return strerror(e);
	}
}

/*
 * Raise only the limit fit blamed for CAUSE; false when no sysctl is
 * behind it (or it cannot be raised for the probe objects).
 */
static bool
raise_blamed(enum fit_cause cause)
{
	int64_t f[4];

	switch (cause) {
	case FIT_SHMMAX:
		write_sysctl("shmmax", "18446744073709551615");
		return true;
	case FIT_SHMALL:
		write_sysctl("shmall", "18446744073709551615");
		return true;
	case FIT_SHMMNI:
		write_u64("shmmni", 32768);
		return true;
	case FIT_MSGMNI:
		write_u64("msgmni", 32768);
		return true;
	case FIT_MSGMAX:
		write_u64("msgmax", 2147483647);
		return true;
	case FIT_SEMMSL:
	case FIT_SEMMNS:
	case FIT_SEMOPM:
	case FIT_SEMMNI:
		read_sem(f);
		if (cause == FIT_SEMMSL)
			f[0] = 32000;
		else if (cause == FIT_SEMMNS)
			f[1] = 2147483647;
		else if (cause == FIT_SEMOPM)
			f[2] = 32000;
		else
			f[3] = 32768;
		write_sem(f);
		return true;
	default:
		return false;
	}
}

/* Run ipctune fit --format json on R; 0 and the document, or -1. */
static json_t *
run_binary(const struct fit_request *r, int *statusp)
{
	char *argv[32], num[16][32];
	int argc = 0, nn = 0, pfd[2], status;
	json_error_t je;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t k;
	pid_t pid;
	json_t *doc;

#define NUM(v) (snprintf(num[nn], sizeof(num[nn]), "%" PRIu64, \
	(uint64_t)(v)), num[nn++])
	argv[argc++] = ipctune_bin;
	argv[argc++] = (char *)"fit";
	argv[argc++] = (char *)"--format";
	argv[argc++] = (char *)"json";
	if (r->has_shm) {
		argv[argc++] = (char *)"--shm-size";
		argv[argc++] = NUM(r->shm_size_bytes);
		argv[argc++] = (char *)"--shm-count";
		argv[argc++] = NUM(r->shm_count);
	}
	if (r->has_sem) {
		argv[argc++] = (char *)"--sem-arrays";
		argv[argc++] = NUM(r->sem_arrays);
		argv[argc++] = (char *)"--sems-per-array";
		argv[argc++] = NUM(r->sems_per_array);
	}
	if (r->has_semop) {
		argv[argc++] = (char *)"--semop-ops";
		argv[argc++] = NUM(r->semop_ops);
	}
	if (r->has_queues) {
		argv[argc++] = (char *)"--queues";
		argv[argc++] = NUM(r->queues);
	}
	if (r->has_msg) {
		argv[argc++] = (char *)"--msg-size";
		argv[argc++] = NUM(r->msg_size_bytes);
	}
	argv[argc] = NULL;
#undef NUM
	if (pipe2(pfd, O_CLOEXEC) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		execv(ipctune_bin, argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (buf == NULL)
				die("realloc");
		}
		k = read(pfd[0], buf + len, cap - len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	close(pfd[0]);
	buf[len] = '\0';
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	*statusp = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	doc = json_loads(buf, 0, &je);
	if (doc == NULL)
		fprintf(stderr, "fitprop: binary output is not JSON: %s\n",
		    je.text);
	free(buf);
	return doc;
}

/* Compare the binary's answer with the in-process prediction. */
static bool
binary_agrees(const struct fit_request *r, const struct fit_result *res)
{
	int status;
	json_t *doc = run_binary(r, &status), *calls;
	bool ok = true;
	size_t idx = 0;

	if (doc == NULL)
		return false;
	if (status != (res->fits ? 0 : 4)) {
		fprintf(stderr, "fitprop: binary exit %d, expected %d\n",
		    status, res->fits ? 0 : 4);
		ok = false;
	}
	calls = json_object_get(doc, "calls");
	for (int c = 0; c < FIT_NCALLS && ok; c++) {
		const struct fit_call_result *p = &res->call[c];
		json_t *o = json_array_get(calls, idx);
		const char *en, *call;

		if (!p->requested)
			continue;
		idx++;
		call = json_string_value(json_object_get(o, "call"));
		en = json_string_value(json_object_get(o, "errno"));
		if (call == NULL || strcmp(call, fit_call_names[c]) != 0 ||
		    (uint64_t)json_integer_value(json_object_get(o,
		    "succeeded")) != p->succeeded ||
		    (p->cause == FIT_OK) != (en == NULL) ||
		    (en != NULL && strcmp(en,
		    fit_cause_table[p->cause].errname) != 0)) {
			fprintf(stderr, "fitprop: binary disagrees on %s\n",
			    fit_call_names[c]);
			ok = false;
		}
	}
	if (json_array_size(calls) != idx)
		ok = false;
	json_decref(doc);
	return ok;
}

/* Set the limit behind CAUSE to V; false when there is none to set. */
static bool
set_limit(enum fit_cause cause, uint64_t v)
{
	int64_t f[4];

	switch (cause) {
	case FIT_SHMMAX:
		write_u64("shmmax", v);
		return true;
	case FIT_SHMALL:
		write_u64("shmall", v);
		return true;
	case FIT_SHMMNI:
		write_u64("shmmni", v);
		return true;
	case FIT_MSGMNI:
		write_u64("msgmni", v);
		return true;
	case FIT_SEMMSL:
	case FIT_SEMMNS:
	case FIT_SEMOPM:
	case FIT_SEMMNI:
		read_sem(f);
		f[cause == FIT_SEMMSL ? 0 : cause == FIT_SEMMNS ? 1 :
		    cause == FIT_SEMOPM ? 2 : 3] = (int64_t)v;
		write_sem(f);
		return true;
	default:
		return false;
	}
}

/*
 * Where call C fails and every fix fit gives is a limit to raise: with
 * each limit at exactly its 'needed' value all attempts succeed, and
 * with any one of them a unit lower they do not, so the change fit
 * advises makes the request fit and none of it could be smaller.  The
 * limits L are restored and the objects made are removed.  msgsnd is
 * left out: its probe queue keeps the msgmnb it was made with.
 */
static bool
minimal_fix_holds(enum fit_call c, const struct fit_call_result *p,
    const struct fit_request *r, const struct limits *l, int probe_sem,
    int probe_q, unsigned long *trials)
{
	struct real got;
	bool ok = true;

	if (p->cause == FIT_OK || c == FIT_MSGSND || p->nfixes == 0)
		return true;
	for (size_t i = 0; i < p->nfixes; i++)
		switch (p->fixes[i].cause) {
		case FIT_SHMMAX:
		case FIT_SHMALL:
		case FIT_SHMMNI:
		case FIT_MSGMNI:
		case FIT_SEMMSL:
		case FIT_SEMMNS:
		case FIT_SEMOPM:
		case FIT_SEMMNI:
			if (p->fixes[i].raisable && p->fixes[i].needed > 0)
				break;
			return true;
		default:
			return true;
		}
	(*trials)++;
	for (int lower = -1; lower < (int)p->nfixes && ok; lower++) {
		write_limits(l);
		for (size_t i = 0; i < p->nfixes; i++)
			set_limit(p->fixes[i].cause, p->fixes[i].needed -
			    ((int)i == lower));
		nmade = 0;
		real_calls(c, r, probe_sem, probe_q, &got);
		remove_made();
		if (lower < 0 && got.succeeded != p->attempts) {
			fprintf(stderr, "MISMATCH %s: with the advised limits "
			    "only %" PRIu64 " of %" PRIu64 " succeed (%s)\n",
			    fit_call_names[c], got.succeeded, p->attempts,
			    ename(got.err));
			ok = false;
		} else if (lower >= 0 && got.succeeded == p->attempts) {
			fprintf(stderr, "MISMATCH %s: %s one below the advised "
			    "%" PRIu64 " still fits, so the advice is not the "
			    "smallest\n", fit_call_names[c],
			    fit_cause_table[p->fixes[lower].cause].code,
			    p->fixes[lower].needed);
			ok = false;
		}
	}
	write_limits(l);
	return ok;
}

static void
print_case(int n, const struct fit_request *r, const struct limits *l,
    const struct usage *u)
{
	fprintf(stderr, "  case %d: shm %" PRIu64 " x %" PRIu64 " B, sem %"
	    PRIu64 " x %" PRIu64 ", semop %" PRIu64 ", queues %" PRIu64
	    ", msg %" PRIu64 " B\n", n, r->shm_count, r->shm_size_bytes,
	    r->sem_arrays, r->sems_per_array, r->semop_ops, r->queues,
	    r->msg_size_bytes);
	fprintf(stderr, "    limits: shmmax %s%" PRIu64 " shmall %s%" PRIu64
	    " shmmni %" PRIu64 " sem %" PRId64 " %" PRId64 " %" PRId64 " %"
	    PRId64 " msgmax %" PRIu64 " msgmnb %" PRIu64 " msgmni %" PRIu64
	    "\n", l->shmmax_default ? "default " : "", l->shmmax,
	    l->shmall_default ? "default " : "", l->shmall, l->shmmni,
	    l->sem[0], l->sem[1], l->sem[2], l->sem[3], l->msgmax, l->msgmnb,
	    l->msgmni);
	fprintf(stderr, "    usage: shm_tot %" PRIu64 " segs %" PRIu64
	    " arrays %" PRIu64 " sems %" PRIu64 " queues %" PRIu64 "\n",
	    u->shm_tot, u->shm_segs, u->sem_arrays, u->sem_sems,
	    u->msg_queues);
}

/* What the cases found, over the whole run. */
struct tally {
	unsigned long cov[FIT_NCAUSES];
	unsigned long calls, retries, bin_checked, fixes_tried;
};

/*
 * Call c of one case: the kernel's answer against the prediction, then
 * the blamed limit raised and the call retried once.
 */
static bool
call_agrees(enum fit_call c, const struct fit_request *r,
    const struct fit_call_result *p, int probe_sem, int probe_q,
    struct tally *t)
{
	int want = fit_cause_table[p->cause].err;
	struct fit_request one = *r;
	struct fit_result again;
	struct real got;
	int e2, w2;

	t->calls++;
	real_calls(c, r, probe_sem, probe_q, &got);
	if (got.succeeded != p->succeeded || got.err != want) {
		fprintf(stderr, "MISMATCH %s: predicted %" PRIu64 " ok then "
		    "%s (%s), kernel %" PRIu64 " ok then %s\n",
		    fit_call_names[c], p->succeeded, ename(want),
		    fit_cause_table[p->cause].code, got.succeeded,
		    ename(got.err));
		return false;
	}
	t->cov[p->cause]++;
	/* The errno agrees; now the limit: raise only the one fit blamed. */
	if (p->cause == FIT_OK || !raise_blamed(p->cause))
		return true;
	one.shm_count = one.sem_arrays = one.queues = 1;
	if (predict_now(&one, &again) < 0)
		exit(2);
	e2 = real_call(c, &one, probe_sem, probe_q);
	w2 = fit_cause_table[again.call[c].cause].err;
	t->retries++;
	if (again.call[c].cause == p->cause || e2 != w2) {
		fprintf(stderr, "MISMATCH %s after raising %s: predicted %s "
		    "(%s), kernel %s\n", fit_call_names[c],
		    fit_cause_table[p->cause].code, ename(w2),
		    fit_cause_table[again.call[c].cause].code, ename(e2));
		return false;
	}
	return true;
}

/* One random case: state, limits, prediction, real calls. */
static bool
run_case(unsigned long n, bool with_bin, struct tally *t)
{
	struct fit_request r;
	struct fit_result res;
	struct limits l;
	struct usage u;
	int probe_sem, probe_q;
	bool case_ok = true;

	remove_all();
	permissive_limits();
	make_objects(&probe_sem);
	random_request(&r);
	/* msgmnb is copied into a queue when it is made: the probe */
	l.msgmnb = chance(5) ? 0 : chance(25) ? 65536 :
	    (uint64_t)near((int64_t)r.msg_size_bytes, 1, 0, 30000);
	write_u64("msgmnb", l.msgmnb);
	probe_q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (probe_q < 0)
		die("msgget (probe)");
	read_usage(&u);
	random_limits(&r, &u, &l);
	write_limits(&l);
	if (predict_now(&r, &res) < 0)
		exit(2);
	if (with_bin) {
		t->bin_checked++;
		if (!binary_agrees(&r, &res))
			case_ok = false;
	}
	/* the advised change, on the state fit saw */
	for (int c = 0; c < FIT_NCALLS; c++)
		if (res.call[c].requested && !minimal_fix_holds(
		    (enum fit_call)c, &res.call[c], &r, &l, probe_sem,
		    probe_q, &t->fixes_tried))
			case_ok = false;
	for (int c = 0; c < FIT_NCALLS; c++)
		if (res.call[c].requested && !call_agrees((enum fit_call)c,
		    &r, &res.call[c], probe_sem, probe_q, t))
			case_ok = false;
	if (!case_ok)
		print_case((int)n, &r, &l, &u);
	if (verbose)
		printf("case %lu %s\n", n, case_ok ? "ok" : "FAIL");
	return case_ok;
}

/*
 * The random cases hit every errno path with a probability of at least
 * about 1% each; a path a short run (-n 300 under valgrind) missed is
 * sought with more random cases, up to TOPUP_MAX per path, so that
 * coverage does not depend on the seed.  Returns the failed cases.
 */
#define TOPUP_MAX 5000

static unsigned long
top_up(const enum fit_cause *required, size_t nreq, unsigned long first,
    struct tally *t, unsigned long *ran)
{
	unsigned long failed = 0, n = first;

	for (size_t i = 0; i < nreq; i++)
		for (unsigned long k = 0; t->cov[required[i]] == 0 &&
		    k < TOPUP_MAX; k++, n++)
			if (!run_case(n, false, t))
				failed++;
	*ran = n - first;
	return failed;
}

int
main(int argc, char **argv)
{
	static const enum fit_cause required[] = { FIT_OK, FIT_SHMMAX,
	    FIT_SHM_SIZE_ZERO, FIT_SHMALL, FIT_SHMMNI, FIT_SEMMSL,
	    FIT_SEMMNS, FIT_SEMMNI, FIT_SEMOPM, FIT_MSGMNI, FIT_MSGMAX,
	    FIT_SHM_OVERFLOW, FIT_SHM_FILE_SIZE, FIT_SEM_ZERO, FIT_SEMOP_ZERO,
	    FIT_MSGMNB };
	const size_t nreq = sizeof(required) / sizeof(required[0]);
	struct tally t;
	unsigned long cases = 1000, every = 10, passed = 0, failed = 0;
	unsigned long missing = 0, extra = 0;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	int opt;

	while ((opt = getopt(argc, argv, "n:s:b:e:v")) != -1) {
		switch (opt) {
		case 'n':
			cases = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'b':
			ipctune_bin = optarg;
			break;
		case 'e':
			every = strtoul(optarg, NULL, 10);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: fitprop [-n CASES] [-s SEED] "
			    "[-b IPCTUNE] [-e EVERY] [-v]\n");
			return 2;
		}
	}
	/* never touch the caller's IPC world: always a fresh namespace */
	if (unshare(CLONE_NEWIPC) < 0)
		die("unshare(CLONE_NEWIPC) (run as root)");
	rng = seed ? seed : 1;
	memset(&t, 0, sizeof(t));
	printf("fitprop: %lu cases, seed %" PRIu64 "\n", cases, seed);
	for (unsigned long n = 0; n < cases; n++) {
		if (run_case(n, ipctune_bin != NULL && every > 0 &&
		    n % every == 0, &t))
			passed++;
		else
			failed++;
	}
	failed += top_up(required, nreq, cases, &t, &extra);
	remove_all();
	printf("fitprop: %lu calls compared, %lu blamed limits raised and "
	    "retried, %lu cases also run through '%s'\n", t.calls,
	    t.retries, t.bin_checked, ipctune_bin ? ipctune_bin : "(no binary)");
	printf("fitprop: %lu advised changes applied at exactly their value "
	    "(fit) and one below (no fit)\n", t.fixes_tried);
	if (extra > 0)
		printf("fitprop: %lu more cases run for errno paths the first "
		    "%lu missed\n", extra, cases);
	printf("fitprop: coverage:");
	for (size_t i = 0; i < nreq; i++) {
		printf(" %s=%lu", fit_cause_table[required[i]].code,
		    t.cov[required[i]]);
		if (t.cov[required[i]] == 0) {
			missing++;
			fprintf(stderr, "fitprop: errno path '%s' never "
			    "hit\n", fit_cause_table[required[i]].code);
		}
	}
	printf("\n");
	if (ipctune_bin != NULL && t.bin_checked == 0)
		missing++;
	printf("%lu passed, %lu failed\n", passed, failed + missing);
	return failed + missing == 0 ? 0 : 1;
}
