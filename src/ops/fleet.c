/*
 * fleet.c: the snapshots of a fleet.  It walks the operands (Ansible's
 * fetch puts each host's file under a directory named after the host),
 * counts each file once however it is named, and loads the snapshots
 * through snapshot.c, parsing a bounded number ahead on other threads,
 * so memory does not follow the number of hosts.  It keeps what failed
 * as data and never prints or judges.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fleet.h"
#include "xmalloc.h"

/* Directories deeper than this below an operand are not walked. */
#define FLEET_MAX_DEPTH 16
/* Snapshots parsed ahead of the one being summarised, at most. */
#define FLEET_AHEAD 32
/* Parsing threads, at most. */
#define FLEET_MAX_THREADS 8

void
fleet_init(struct fleet *f)
{
	memset(f, 0, sizeof(*f));
}

void
fleet_release(struct fleet *f)
{
	for (size_t i = 0; i < f->npaths; i++)
		free(f->paths[i]);
	free(f->paths);
	for (size_t i = 0; i < f->nskips; i++) {
		free(f->skips[i].path);
		free(f->skips[i].reason);
	}
	free(f->skips);
	free(f->ids);
	fleet_init(f);
}

static void
add_path(struct fleet *f, char *path)
{
	xgrow(&f->paths, f->npaths, &f->cappaths, sizeof(*f->paths));
	f->paths[f->npaths++] = path;
}

static void
add_skip(struct fleet *f, const char *path, const char *reason)
{
	xgrow(&f->skips, f->nskips, &f->capskips, sizeof(*f->skips));
	f->skips[f->nskips].path = xstrdup(path);
	f->skips[f->nskips++].reason = xstrdup(reason);
}

/*
 * Add PATH, a file whose stat(2) is ST, unless the same file (device and
 * inode) is listed already: a hard link, a symbolic link to a file, or
 * a file named twice.  Takes PATH over.
 */
static void
add_file(struct fleet *f, char *path, const struct stat *st)
{
	for (size_t i = 0; i < f->nids; i++)
		if (f->ids[i].dev == st->st_dev &&
		    f->ids[i].ino == st->st_ino) {
			free(path);
			return;
		}
	xgrow(&f->ids, f->nids, &f->capids, sizeof(*f->ids));
	f->ids[f->nids].dev = st->st_dev;
	f->ids[f->nids++].ino = st->st_ino;
	add_path(f, path);
}

/* One entry of a directory being walked. */
struct walk_entry {
	char *path;
	bool dir;
	struct stat st;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct walk_entry *)a)->path,
	    ((const struct walk_entry *)b)->path);
}

static bool
is_json_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/*
 * The entry NAME of DIR into E if it is a *.json file or a directory.
 * A link counts as what it names, unless that is a directory.
 */
static bool
walk_entry(const char *dir, const char *name, struct walk_entry *e)
{
	char *path = xasprintf("%s/%s", dir, name);

	if (lstat(path, &e->st) < 0)
		goto skip;
	e->dir = S_ISDIR(e->st.st_mode);
	if (S_ISLNK(e->st.st_mode) && (stat(path, &e->st) < 0 ||
	    !S_ISREG(e->st.st_mode)))
		goto skip;
	if (!e->dir && !(S_ISREG(e->st.st_mode) && is_json_name(name)))
		goto skip;
	e->path = path;
	return true;
skip:
	free(path);
	return false;
}

/*
 * Every *.json file under DIR, depth first in name order.  Symbolic
 * links to directories are not followed: a "latest" link to one of the
 * dated directories would count every host twice, and a link to an
 * ancestor would loop.  Unreadable directories are skipped with the
 * reason.
 */
static void
walk_dir(struct fleet *f, const char *dir, int depth)
{
	struct walk_entry *sub = NULL;
	size_t nsub = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if (depth > FLEET_MAX_DEPTH) {
		add_skip(f, dir, "directories nested too deep");
		return;
	}
	d = opendir(dir);
	if (d == NULL) {
		add_skip(f, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xgrow(&sub, nsub, &cap, sizeof(*sub));
		if (walk_entry(dir, de->d_name, &sub[nsub]))
			nsub++;
	}
	closedir(d);
	if (nsub > 1)
		qsort(sub, nsub, sizeof(*sub), entry_cmp);
	for (size_t i = 0; i < nsub; i++) {
		if (sub[i].dir) {
			walk_dir(f, sub[i].path, depth + 1);
			free(sub[i].path);
		} else {
			add_file(f, sub[i].path, &sub[i].st);
		}
	}
	free(sub);
}

void
fleet_add(struct fleet *f, const char *arg)
{
	struct stat st;

	/* an operand is followed: the user named it */
	if (strcmp(arg, "-") == 0 || stat(arg, &st) < 0)
		add_path(f, xstrdup(arg));
	else if (S_ISDIR(st.st_mode))
		walk_dir(f, arg, 0);
	else
		add_file(f, xstrdup(arg), &st);
}

int
fleet_load(const struct fleet *f, size_t i, struct kstate *ks,
    struct snapshot_extra *x, struct snapshot_error *e)
{
	kstate_init(ks);
	return snapshot_read(f->paths[i], ks, x, e);
}

/* A snapshot parsed ahead, waiting for its turn. */
struct fleet_slot {
	bool ready;
	int rc;
	struct kstate ks;
	struct snapshot_extra x;
	struct snapshot_error e;
};

struct fleet_pool {
	const struct fleet *f;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;		/* the next snapshot to claim */
	size_t done;		/* snapshots handed to the callback */
	struct fleet_slot slot[FLEET_AHEAD];
};

/*
 * A parsing thread: claim the next snapshot, wait until its slot is
 * free (the one FLEET_AHEAD before it handed over), parse into it.
 */
static void *
fleet_worker(void *arg)
{
	struct fleet_pool *p = arg;

	for (;;) {
		struct fleet_slot *sl;
		size_t i;

		pthread_mutex_lock(&p->mu);
		i = p->next;
		if (i >= p->f->npaths) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		p->next++;
		while (i >= p->done + FLEET_AHEAD)
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		sl = &p->slot[i % FLEET_AHEAD];
		sl->rc = fleet_load(p->f, i, &sl->ks, &sl->x, &sl->e);
		pthread_mutex_lock(&p->mu);
		sl->ready = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	snapshot_read_release();
	return NULL;
}

static void
fleet_each_serial(const struct fleet *f, fleet_each_fn *fn, void *ctx)
{
	struct fleet_slot sl;

	for (size_t i = 0; i < f->npaths; i++) {
		sl.rc = fleet_load(f, i, &sl.ks, &sl.x, &sl.e);
		fn(ctx, i, sl.rc, &sl.ks, &sl.x, &sl.e);
	}
}

void
fleet_each(const struct fleet *f, unsigned nthreads, fleet_each_fn *fn,
    void *ctx)
{
	pthread_t tid[FLEET_MAX_THREADS];
	struct fleet_pool *p;
	unsigned n = 0;

	if (nthreads > FLEET_MAX_THREADS)
		nthreads = FLEET_MAX_THREADS;
	if (nthreads <= 1 || f->npaths < 2) {
		fleet_each_serial(f, fn, ctx);
		return;
	}
	snapshot_read_prepare();
	p = xcalloc(1, sizeof(*p));
	p->f = f;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	while (n < nthreads && pthread_create(&tid[n], NULL, fleet_worker,
	    p) == 0)
		n++;
	if (n == 0) {
		free(p);
		fleet_each_serial(f, fn, ctx);
		return;
	}
	for (size_t i = 0; i < f->npaths; i++) {
		struct fleet_slot *sl = &p->slot[i % FLEET_AHEAD];

		pthread_mutex_lock(&p->mu);
		while (!sl->ready)
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		fn(ctx, i, sl->rc, &sl->ks, &sl->x, &sl->e);
		pthread_mutex_lock(&p->mu);
		sl->ready = false;
		p->done++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	for (unsigned k = 0; k < n; k++)
		pthread_join(tid[k], NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

unsigned
fleet_threads(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > FLEET_MAX_THREADS ? FLEET_MAX_THREADS :
	    (unsigned)n;
}
