/*
 * nsscan.c: every IPC namespace on the host, found by the inode of
 * /proc/PID/ns/ipc, with its processes, their cgroup paths and the
 * /dev/shm each mount namespace among them sees.  The limits and usage
 * of a namespace are read by ksource.c inside it, in one child process
 * that enters the namespaces in turn: ipctune itself never leaves its
 * own.  Nothing is written, and a process that exits meanwhile is
 * counted, not an error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgpattern.h"
#include "errstr.h"
#include "infile.h"
#include "ksource.h"
#include "nsscan.h"
#include "xmalloc.h"

/* One process: its IPC and mount namespaces. */
struct nsproc {
	uint64_t ino, mnt;
	pid_t pid;
};

void
nsscan_init(struct nsscan *s)
{
	memset(s, 0, sizeof(*s));
}

void
nsscan_release(struct nsscan *s)
{
	for (size_t i = 0; i < s->nns; i++)
		nsinfo_release(&s->ns[i]);
	free(s->ns);
	nsscan_init(s);
}

/* The inode of /proc/PID/ns/NAME (PID 0: self), or 0 with errno. */
static uint64_t
ns_ino(pid_t pid, const char *name)
{
	char path[64];
	struct stat st;

	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	if (stat(path, &st) < 0)
		return 0;
	return (uint64_t)st.st_ino;
}

static int
nsproc_cmp(const void *a, const void *b)
{
	const struct nsproc *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Every process in /proc with its namespaces, sorted by (ino, pid). */
static int
list_procs(struct nsscan *s, struct nsproc **outp, size_t *np, char *err,
    size_t errlen)
{
	struct nsproc *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (d == NULL) {
		snprintf(err, errlen, "cannot read '/proc': %s",
		    errstr(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		uint64_t ino;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    *end != '\0' || pid <= 0 || pid > 4194304)
			continue;
		s->nprocs++;
		ino = ns_ino((pid_t)pid, "ipc");
		if (ino == 0) {
			/* gone since readdir, or hidden from us */
			if (errno == ENOENT || errno == ESRCH)
				s->nvanished++;
			else
				s->nunreadable++;
			continue;
		}
		xgrow(&v, n, &cap, sizeof(*v));
		v[n].ino = ino;
		v[n].pid = (pid_t)pid;
		v[n].mnt = ns_ino((pid_t)pid, "mnt");
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), nsproc_cmp);
	*outp = v;
	*np = n;
	return 0;
}

/* Add the cgroup path of PID to NS when it is new (and there is room). */
static void
add_cgroup(struct nsinfo *ns, pid_t pid)
{
	char path[64], pick[4096], *buf;
	size_t len;

	if (ns->ncgroups >= NSINFO_MAX_CGROUPS)
		return;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (infile_read(path, 0, 1 << 16, &buf, &len, NULL, 0) < 0)
		return;
	if (cgpattern_pick_path(buf, len, pick, sizeof(pick)) == 0) {
		size_t i;

		for (i = 0; i < ns->ncgroups; i++)
			if (strcmp(ns->cgroups[i], pick) == 0)
				break;
		if (i == ns->ncgroups)
			ns->cgroups[ns->ncgroups++] = xstrdup(pick);
	}
	free(buf);
}

/* Add the /dev/shm PID sees to NS when its device is new. */
static void
add_shm(struct nsinfo *ns, pid_t pid, size_t *capp)
{
	char path[64];
	struct statvfs sv;
	struct stat st;
	struct nsinfo_shm *m;

	snprintf(path, sizeof(path), "/proc/%d/root/dev/shm", (int)pid);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	for (size_t i = 0; i < ns->nshms; i++)
		if (ns->shms[i].dev == (uint64_t)st.st_dev)
			return;
	xgrow(&ns->shms, ns->nshms, capp, sizeof(*ns->shms));
	m = &ns->shms[ns->nshms++];
	memset(m, 0, sizeof(*m));
	m->dev = (uint64_t)st.st_dev;
	m->pid = pid;
	if (statvfs(path, &sv) == 0) {
		uint64_t bs = sv.f_frsize ? sv.f_frsize : sv.f_bsize;

		m->has_size = true;
		m->size_bytes = (uint64_t)sv.f_blocks * bs;
		m->used_bytes = (uint64_t)(sv.f_blocks - sv.f_bfree) * bs;
	}
}

/* Build the namespace of the N processes V (one inode). */
static void
build_ns(struct nsinfo *ns, const struct nsproc *v, size_t n,
    unsigned flags)
{
	uint64_t mnts[64];
	size_t nmnt = 0, shmcap = 0;

	memset(ns, 0, sizeof(*ns));
	kstate_init(&ns->ks);
	ns->ino = v[0].ino;
	ns->pid = v[0].pid;
	ns->state = NSI_NOT_READ;
	ns->pids = xcalloc(n, sizeof(*ns->pids));
	ns->npids = n;
	for (size_t i = 0; i < n; i++) {
		size_t k;

		ns->pids[i] = v[i].pid;
		add_cgroup(ns, v[i].pid);
		if (!(flags & NSSCAN_SHM))
			continue;
		/* one /dev/shm per mount namespace: look once at each */
		for (k = 0; k < nmnt; k++)
			if (mnts[k] == v[i].mnt)
				break;
		if (k < nmnt)
			continue;
		if (nmnt < sizeof(mnts) / sizeof(mnts[0]))
			mnts[nmnt++] = v[i].mnt;
		add_shm(ns, v[i].pid, &shmcap);
	}
}

/* What the reading child sends back for one namespace. */
struct nsrec {
	uint64_t ino;
	enum nsinfo_state state;
	char why[160];
	int64_t read_at;
	struct host_facts host;
	struct sysctl_value sysctl[SC_COUNT];
	struct ipc_usage usage;
	bool has_usage;
	struct resource res[R_COUNT];
};

/*
 * Enter NS through the first of its processes still there whose link
 * still names it (a PID may have been reused).  *CUR is the namespace
 * the child is in.  The PID entered, or 0 with REC's state set.
 */
static pid_t
enter_ns(const struct nsinfo *ns, uint64_t *cur, struct nsrec *rec)
{
	for (size_t i = 0; i < ns->npids; i++) {
		char path[64];
		struct stat st;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/ns/ipc",
		    (int)ns->pids[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != ns->ino) {
			close(fd);
			continue;
		}
		if (*cur != ns->ino && setns(fd, CLONE_NEWIPC) < 0) {
			int e = errno;

			close(fd);
			rec->state = NSI_DENIED;
			snprintf(rec->why, sizeof(rec->why), "cannot enter: "
			    "%s%s", errstr(e), e == EPERM ? " (needs "
			    "CAP_SYS_ADMIN: run as root)" : "");
			return 0;
		}
		close(fd);
		*cur = ns->ino;
		return ns->pids[i];
	}
	rec->state = NSI_GONE;
	snprintf(rec->why, sizeof(rec->why), "its processes exited");
	return 0;
}

/* Read NS from inside it into REC (in the child). */
static void
read_one(const struct nsinfo *ns, uint64_t *cur, struct nsrec *rec)
{
	struct ksource_opts o;
	struct kstate ks;
	struct model m;
	char err[512];

	memset(rec, 0, sizeof(*rec));
	rec->ino = ns->ino;
	memset(&o, 0, sizeof(o));
	o.pid = enter_ns(ns, cur, rec);
	if (o.pid == 0)
		return;
	/* the objects too: the largest and fullest rows need them */
	o.want = KS_ALL;
	kstate_init(&ks);
	if (ksource_read(&o, &ks, err, sizeof(err)) < 0) {
		rec->state = NSI_DENIED;
		snprintf(rec->why, sizeof(rec->why), "%.*s",
		    (int)sizeof(rec->why) - 1, err);
	} else {
		rec->state = NSI_READ;
		rec->read_at = ks.read_at;
		rec->host = ks.host;
		memcpy(rec->sysctl, ks.sysctl, sizeof(rec->sysctl));
		rec->usage = ks.usage;
		rec->has_usage = ks.has_usage;
		model_build(&ks, &m);
		memcpy(rec->res, m.res, sizeof(rec->res));
		model_release(&m);
	}
	kstate_release(&ks);
}

static int
write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len > 0) {
		ssize_t w = write(fd, c, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		len -= (size_t)w;
	}
	return 0;
}

static int
read_all(int fd, void *p, size_t len)
{
	char *c = p;

	while (len > 0) {
		ssize_t r = read(fd, c, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		len -= (size_t)r;
	}
	return 0;
}

/* Put REC into NS. */
static void
take_rec(struct nsinfo *ns, const struct nsrec *rec)
{
	ns->state = rec->state;
	snprintf(ns->why, sizeof(ns->why), "%s", rec->why);
	if (rec->state != NSI_READ)
		return;
	ns->ks.source = KSRC_LIVE;
	ns->ks.read_at = rec->read_at;
	ns->ks.host = rec->host;
	memcpy(ns->ks.sysctl, rec->sysctl, sizeof(rec->sysctl));
	ns->ks.usage = rec->usage;
	ns->ks.has_usage = rec->has_usage;
	memcpy(ns->res, rec->res, sizeof(ns->res));
	ns->has_res = true;
}

/*
 * Read every namespace of S in one child: setns(2) changes the IPC
 * namespace of the calling thread only, and the child's leave ours
 * untouched.  The child sends one record per namespace, in order.
 */
static int
read_states(struct nsscan *s, char *err, size_t errlen)
{
	int fds[2], status;
	struct nsrec rec;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		snprintf(err, errlen, "cannot start the namespace reader: "
		    "%s", errstr(errno));
		return -1;
	}
	if (pid == 0) {
		uint64_t cur = s->self_ino;

		close(fds[0]);
		signal(SIGPIPE, SIG_DFL);
		for (size_t i = 0; i < s->nns; i++) {
			read_one(&s->ns[i], &cur, &rec);
			if (write_all(fds[1], &rec, sizeof(rec)) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	for (size_t i = 0; i < s->nns; i++) {
		if (read_all(fds[0], &rec, sizeof(rec)) < 0 ||
		    rec.ino != s->ns[i].ino) {
			for (size_t k = i; k < s->nns; k++) {
				s->ns[k].state = NSI_DENIED;
				snprintf(s->ns[k].why, sizeof(s->ns[k].why),
				    "the namespace reader stopped");
			}
			break;
		}
		take_rec(&s->ns[i], &rec);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

int
nsscan_run(struct nsscan *s, unsigned flags, char *err, size_t errlen)
{
	struct nsproc *v;
	size_t n, cap = 0;

	s->self_ino = ns_ino(0, "ipc");
	s->init_ino = ns_ino(1, "ipc");
	if (list_procs(s, &v, &n, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && v[j].ino == v[i].ino)
			j++;
		xgrow(&s->ns, s->nns, &cap, sizeof(*s->ns));
		build_ns(&s->ns[s->nns++], v + i, j - i, flags);
		i = j;
	}
	free(v);
	/*
	 * PID 1's link may be hidden from us (an LSM, a foreign user
	 * namespace): the initial namespace has a fixed inode,
	 * PROC_IPC_INIT_INO (include/linux/proc_ns.h).
	 */
	for (size_t i = 0; s->init_ino == 0 && i < s->nns; i++)
		if (s->ns[i].ino == IPC_NS_INIT_INO)
			s->init_ino = IPC_NS_INIT_INO;
	if ((flags & NSSCAN_STATE) && s->nns > 0)
		return read_states(s, err, errlen);
	return 0;
}
