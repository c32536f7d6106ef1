/*
 * semprobe.c: reads semctl GETPID, GETNCNT and GETZCNT of every array
 * ahead of the orphan judge (semprobe.h).  With 32,000 arrays these are
 * hundreds of thousands of syscalls, each taking the array's lock only
 * (ipc/sem.c), so threads over disjoint ranges of arrays run side by
 * side.  It reads through procscan.c's calls and writes nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "procscan.h"
#include "semprobe.h"
#include "xmalloc.h"

#define SEMPROBE_MAX_THREADS 8

struct semprobe_job {
	struct semprobe *sp;
	size_t lo, hi;
	bool skip;		/* semprobe_run() was given a skip */
};

static bool
all_zero(const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] != 0)
			return false;
	return true;
}

/*
 * Does a process of PIDS (as GETPID gives them, in ipctune's PID
 * namespace) exist?  Signal 0 is sent to nobody (kill(2)); EPERM is a
 * process of another user.  The judge then most likely finds it
 * running, and reads the waiters itself when it does not.
 */
static bool
some_exists(const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (pids[i] <= 0 || (i > 0 && pids[i] == pids[i - 1]))
			continue;
		if (kill(pids[i], 0) == 0 || errno == EPERM)
			return true;
	}
	return false;
}

/* Did SEM change less than SKIP's age before its now? */
static bool
young(const struct sem_obj *sem, const struct semprobe_skip *skip)
{
	int64_t last = sem->otime > sem->ctime ? sem->otime : sem->ctime;
	int64_t age = skip->now - last;

	return age < 0 || (uint64_t)age < skip->min_age_s;
}

static void *
probe_range(void *arg)
{
	const struct semprobe_job *j = arg;

	for (size_t i = j->lo; i < j->hi; i++) {
		struct semprobe_entry *e = &j->sp->e[i];

		e->pids_rc = procscan_sem_pids(e->id, e->nsems,
		    j->sp->pids + e->off);
		e->pids_errno = e->pids_rc < 0 ? errno : 0;
		if (e->pids_rc == 0 && j->skip && ((e->wait_young &&
		    all_zero(j->sp->pids + e->off, e->nsems)) ||
		    some_exists(j->sp->pids + e->off, e->nsems)))
			continue;
		e->wait_read = true;
		e->wait_rc = procscan_sem_waiting(e->id, e->nsems,
		    &e->waiting);
		e->wait_errno = e->wait_rc < 0 ? errno : 0;
	}
	return NULL;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct semprobe_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void
semprobe_run(struct semprobe *sp, const struct sem_obj *sems, size_t n,
    unsigned nthreads, const struct semprobe_skip *skip)
{
	struct semprobe_job job[SEMPROBE_MAX_THREADS] = {
	    { NULL, 0, 0, false } };
	pthread_t tid[SEMPROBE_MAX_THREADS];
	bool started[SEMPROBE_MAX_THREADS] = { false };
	size_t npids = 0;

	memset(sp, 0, sizeof(*sp));
	sp->e = xcalloc(n ? n : 1, sizeof(*sp->e));
	sp->n = n;
	for (size_t i = 0; i < n; i++) {
		sp->e[i].id = sems[i].perm.id;
		sp->e[i].nsems = (size_t)sems[i].nsems;
		sp->e[i].off = npids;
		sp->e[i].wait_young = skip != NULL && young(&sems[i], skip);
		npids += (size_t)sems[i].nsems;
	}
	sp->pids = xcalloc(npids ? npids : 1, sizeof(*sp->pids));
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > SEMPROBE_MAX_THREADS)
		nthreads = SEMPROBE_MAX_THREADS;
	/* thread 0 is the calling one */
	for (unsigned k = 0; k < nthreads; k++) {
		job[k] = (struct semprobe_job){ sp, n * k / nthreads,
		    n * (k + 1) / nthreads, skip != NULL };
		if (k > 0 && pthread_create(&tid[k], NULL, probe_range,
		    &job[k]) == 0)
			started[k] = true;
	}
	probe_range(&job[0]);
	for (unsigned k = 1; k < nthreads; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
		else
			probe_range(&job[k]);
	}
	qsort(sp->e, n, sizeof(*sp->e), cmp_entry);
}

void
semprobe_release(struct semprobe *sp)
{
	free(sp->e);
	free(sp->pids);
	memset(sp, 0, sizeof(*sp));
}

static const struct semprobe_entry *
find(const struct semprobe *sp, int semid, size_t nsems)
{
	struct semprobe_entry key = { .id = semid };
	const struct semprobe_entry *e;

	if (sp == NULL || sp->n == 0)
		return NULL;
	e = bsearch(&key, sp->e, sp->n, sizeof(*sp->e), cmp_entry);
	return e != NULL && e->nsems == nsems ? e : NULL;
}

bool
semprobe_pids(const struct semprobe *sp, int semid, size_t nsems,
    pid_t *pids, int *rc)
{
	const struct semprobe_entry *e = find(sp, semid, nsems);

	if (e == NULL)
		return false;
	*rc = e->pids_rc;
	if (*rc < 0)
		errno = e->pids_errno;
	else
		memcpy(pids, sp->pids + e->off, nsems * sizeof(*pids));
	return true;
}

bool
semprobe_waiting(const struct semprobe *sp, int semid, size_t nsems,
    uint64_t *n, int *rc)
{
	const struct semprobe_entry *e = find(sp, semid, nsems);

	if (e == NULL || !e->wait_read)
		return false;
	*rc = e->wait_rc;
	if (*rc < 0)
		errno = e->wait_errno;
	else
		*n = e->waiting;
	return true;
}

unsigned
semprobe_threads(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > SEMPROBE_MAX_THREADS ? SEMPROBE_MAX_THREADS :
	    (unsigned)n;
}
