/*
 * procscan.c: reads process facts for the orphan judge: whether a PID
 * runs and when it started (/proc/PID/stat field 22 plus btime from
 * /proc/stat), which processes map which SysV segment (/proc/PID/maps,
 * where the inode of a /SYSV mapping is the shmid), which threads wait in
 * semop, msgsnd or msgrcv (/proc/PID/task/TID/syscall) and
 * semctl(GETPID); and what holds a POSIX object's file (any thread's
 * descriptor table, the maps, a loop device of /sys/block).  It judges
 * nothing and writes nothing.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "infile.h"
#include "numparse.h"
#include "procparse.h"
#include "procscan.h"
#include "semprobe.h"
#include "xmalloc.h"

void
procscan_init(struct procscan *ps, const char *root, bool live,
    uint64_t ns_inode)
{
	long hz = sysconf(_SC_CLK_TCK);

	memset(ps, 0, sizeof(*ps));
	snprintf(ps->root, sizeof(ps->root), "%s", root ? root : "");
	ps->live = live;
	ps->ns_inode = ns_inode;
	ps->hz = hz > 0 ? hz : 100;
}

void
procscan_release(struct procscan *ps)
{
	free(ps->maps);
	free(ps->out);
	free(ps->waits);
	ps->waits = NULL;
	ps->nwaits = ps->capwaits = 0;
	ps->waits_scanned = false;
	free(ps->owners);
	ps->owners = NULL;
	ps->nowners = 0;
	ps->owners_scanned = ps->owners_partial = false;
	free(ps->pids);
	ps->pids = NULL;
	ps->npids = ps->pidcap = 0;
	free(ps->unreadable);
	ps->unreadable = NULL;
	ps->nunreadable = ps->unreadcap = 0;
	ps->out = NULL;
	ps->outcap = 0;
	ps->maps = NULL;
	ps->nmaps = 0;
	ps->scanned = false;
	if (ps->sems != NULL)
		semprobe_release(ps->sems);
	free(ps->sems);
	ps->sems = NULL;
}

void
procscan_read_sems(struct procscan *ps, const struct sem_obj *sems,
    size_t n, const struct semprobe_skip *skip)
{
	if (!ps->live)
		return;
	if (ps->sems == NULL)
		ps->sems = xmalloc(sizeof(*ps->sems));
	else
		semprobe_release(ps->sems);
	semprobe_run(ps->sems, sems, n, semprobe_threads(), skip);
}

void
procscan_forget(struct procscan *ps)
{
	if (ps->sems != NULL)
		semprobe_release(ps->sems);
	free(ps->sems);
	ps->sems = NULL;
	ps->cache = false;
	free(ps->pids);
	ps->pids = NULL;
	ps->npids = ps->pidcap = 0;
}

int
procscan_stat_field(const char *buf, int n, char *out, size_t len)
{
	const char *p = strrchr(buf, ')');
	int i = 2;

	/* comm may hold spaces and ')': fields restart after the last ')' */
	if (p == NULL || n < 3)
		return -1;
	p++;
	while (*p != '\0') {
		size_t l;

		while (*p == ' ')
			p++;
		if (*p == '\0' || *p == '\n')
			break;
		l = strcspn(p, " \n");
		if (++i == n) {
			if (l >= len)
				return -1;
			memcpy(out, p, l);
			out[l] = '\0';
			return 0;
		}
		p += l;
	}
	return -1;
}

int
procscan_parse_stat(const char *buf, char *state, uint64_t *starttime)
{
	char field[32];

	if (procscan_stat_field(buf, 3, field, sizeof(field)) < 0 ||
	    strlen(field) != 1)
		return -1;
	*state = field[0];
	if (procscan_stat_field(buf, 22, field, sizeof(field)) < 0)
		return -1;
	return num_parse_u64(field, 0, UINT64_MAX, starttime);
}

/* Remember that PID could not be inspected (once per process). */
static void
note_unreadable(struct procscan *ps, pid_t pid)
{
	size_t lo = 0, hi = ps->nunreadable;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->unreadable[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ps->nunreadable && ps->unreadable[lo] == pid)
		return;
	xgrow(&ps->unreadable, ps->nunreadable, &ps->unreadcap,
	    sizeof(*ps->unreadable));
	memmove(&ps->unreadable[lo + 1], &ps->unreadable[lo],
	    (ps->nunreadable - lo) * sizeof(*ps->unreadable));
	ps->unreadable[lo] = pid;
	ps->nunreadable++;
}

/* Is errno the answer of a /proc entry that exists but is not ours? */
static bool
denied(int e)
{
	return e == EACCES || e == EPERM;
}

/*
 * Does PID exist although its /proc entry does not show?  hidepid=
 * invisible (or /proc of another PID namespace) hides it, while
 * kill(2) with signal 0 still finds it: 0, or EPERM for another user's.
 */
static bool
exists_hidden(const struct procscan *ps, pid_t pid)
{
	if (!ps->live || ps->proc_foreign || pid <= 0)
		return false;
	return kill(pid, 0) == 0 || errno == EPERM;
}

static int
read_btime(struct procscan *ps)
{
	char path[600], *buf, *p;
	size_t len;
	int64_t v;

	if (ps->have_btime)
		return 0;
	snprintf(path, sizeof(path), "%s/proc/stat", ps->root);
	if (infile_read(path, 0, 1 << 22, &buf, &len, NULL, 0) < 0)
		return -1;
	for (p = buf; p != NULL; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, "btime ", 6) == 0) {
			char num[32];
			size_t l = strcspn(p + 6, "\n");

			if (l >= sizeof(num))
				break;
			memcpy(num, p + 6, l);
			num[l] = '\0';
			if (num_parse_i64(num, 0, INT64_MAX, &v) == 0) {
				ps->btime = v;
				ps->have_btime = true;
			}
			break;
		}
	}
	free(buf);
	if (!ps->have_btime) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static void
read_comm(const struct procscan *ps, pid_t pid, char *comm, size_t len)
{
	char path[600], *buf;
	size_t n;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%s/proc/%d/comm", ps->root, (int)pid);
	if (infile_read(path, 0, 4096, &buf, &n, NULL, 0) < 0)
		return;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(comm, len, "%s", buf);
	free(buf);
}

static int
read_proc(struct procscan *ps, pid_t pid, struct orphan_proc *p)
{
	char path[600], *buf, state = '?';
	uint64_t ticks;
	size_t len;
	int r;

	if (pid <= 0 || read_btime(ps) < 0)
		return ORPHAN_PROC_GONE;
	snprintf(path, sizeof(path), "%s/proc/%d/stat", ps->root, (int)pid);
	if (infile_read(path, 0, 4096, &buf, &len, NULL, 0) < 0) {
		/* a process that exists but cannot be read is not gone */
		if (denied(errno) || exists_hidden(ps, pid)) {
			note_unreadable(ps, pid);
			return ORPHAN_PROC_UNREADABLE;
		}
		return ORPHAN_PROC_GONE;
	}
	r = procscan_parse_stat(buf, &state, &ticks);
	free(buf);
	/* a zombie has already given up its IPC (exit_shm, exit_sem) */
	if (r < 0 || state == 'Z' || state == 'X')
		return ORPHAN_PROC_GONE;
	/*
	 * btime is the boot time rounded down and starttime is rounded
	 * down too, so this is never later than the real start.
	 */
	p->start_time = ps->btime + (int64_t)(ticks / (uint64_t)ps->hz);
	read_comm(ps, pid, p->comm, sizeof(p->comm));
	return 0;
}

int
procscan_proc(struct procscan *ps, pid_t pid, struct orphan_proc *p)
{
	size_t lo = 0, hi = ps->npids;
	struct procscan_pid *e;

	if (!ps->cache)
		return read_proc(ps, pid, p);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->pids[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ps->npids && ps->pids[lo].pid == pid) {
		*p = ps->pids[lo].p;
		return ps->pids[lo].found;
	}
	xgrow(&ps->pids, ps->npids, &ps->pidcap, sizeof(*ps->pids));
	memmove(&ps->pids[lo + 1], &ps->pids[lo], (ps->npids - lo) *
	    sizeof(*ps->pids));
	ps->npids++;
	e = &ps->pids[lo];
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->found = read_proc(ps, pid, &e->p);
	*p = e->p;
	return e->found;
}

static int
cmp_map(const void *a, const void *b)
{
	const struct procscan_map *x = a, *y = b;

	if (x->shmid != y->shmid)
		return x->shmid < y->shmid ? -1 : 1;
	return x->att.pid < y->att.pid ? -1 : x->att.pid > y->att.pid;
}

/* Is the process PID a kernel thread (PF_KTHREAD in field 9)? */
static bool
kthread(const struct procscan *ps, pid_t pid)
{
	char path[600], *buf, field[32];
	uint64_t flags;
	size_t len;
	bool k = false;

	snprintf(path, sizeof(path), "%s/proc/%d/stat", ps->root, (int)pid);
	if (infile_read(path, 0, 4096, &buf, &len, NULL, 0) < 0)
		return false;
	/* include/linux/sched.h: PF_KTHREAD 0x00200000 */
	if (procscan_stat_field(buf, 9, field, sizeof(field)) == 0 &&
	    num_parse_u64(field, 0, UINT64_MAX, &flags) == 0)
		k = (flags & 0x00200000u) != 0;
	free(buf);
	return k;
}

enum ns_answer { NS_NO, NS_YES, NS_UNREADABLE };

/*
 * Is PID in the IPC namespace asked for?  The link needs ptrace read
 * access (proc_ns_get_link()): another user's process answers EACCES
 * to a user who is not root, and may be in the namespace.
 */
static enum ns_answer
same_ns(const struct procscan *ps, pid_t pid)
{
	char path[600];
	struct stat st;

	if (ps->ns_inode == 0)
		return NS_YES;
	snprintf(path, sizeof(path), "%s/proc/%d/ns/ipc", ps->root, (int)pid);
	if (stat(path, &st) == 0)
		return (uint64_t)st.st_ino == ps->ns_inode ? NS_YES : NS_NO;
	/* a kernel thread never waits on an IPC object */
	if (denied(errno) && !kthread(ps, pid))
		return NS_UNREADABLE;
	return NS_NO;
}

/*
 * Call FN(PS, PID, ARG) for each process under ROOT/proc in the IPC
 * namespace asked for; a process whose namespace cannot be read is
 * noted as not inspected.  -1 if /proc cannot be read.
 */
static int
each_pid(struct procscan *ps, void (*fn)(struct procscan *, pid_t, void *),
    void *arg)
{
	char path[600];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/proc", ps->root);
	d = opendir(path);
	if (d == NULL)
		return -1;
	ps->pass_unreadable = 0;
	while ((de = readdir(d)) != NULL) {
		uint64_t v;

		if (!isdigit((unsigned char)de->d_name[0]) ||
		    num_parse_u64(de->d_name, 1, 0x7fffffff, &v) < 0)
			continue;
		/* map inodes and wait ids name its own namespace's objects */
		switch (same_ns(ps, (pid_t)v)) {
		case NS_YES:
			fn(ps, (pid_t)v, arg);
			break;
		case NS_UNREADABLE:
			ps->pass_unreadable++;
			note_unreadable(ps, (pid_t)v);
			ps->waits_partial = true;
			break;
		default:
			break;
		}
	}
	closedir(d);
	return 0;
}

/* Add the SYSV segments PID maps; ARG is the capacity of ps->maps. */
static void
scan_one(struct procscan *ps, pid_t pid, void *arg)
{
	size_t *cap = arg;
	char path[600], *buf, *line, *next, comm[ORPHAN_COMM_LEN] = "";
	size_t len, first = ps->nmaps;
	bool have_comm = false;

	snprintf(path, sizeof(path), "%s/proc/%d/maps", ps->root, (int)pid);
	if (infile_read(path, 0, 1u << 28, &buf, &len, NULL, 0) < 0)
		return;
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		unsigned long long ino;
		int off = 0;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		/* "addr perms offset dev inode   /SYSVkkkkkkkk (deleted)" */
		if (strstr(line, " /SYSV") == NULL)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %llu %n", &ino, &off) < 1 ||
		    off == 0 || strncmp(line + off, "/SYSV", 5) != 0 ||
		    ino > 0x7fffffffull)
			continue;
		/* one process may map a segment many times: count it once */
		bool dup = false;

		for (size_t i = first; i < ps->nmaps; i++)
			if (ps->maps[i].shmid == (int)ino)
				dup = true;
		if (dup)
			continue;
		if (!have_comm) {
			read_comm(ps, pid, comm, sizeof(comm));
			have_comm = true;
		}
		xgrow(&ps->maps, ps->nmaps, cap, sizeof(*ps->maps));
		ps->maps[ps->nmaps].shmid = (int)ino;
		ps->maps[ps->nmaps].att.pid = pid;
		snprintf(ps->maps[ps->nmaps].att.comm, ORPHAN_COMM_LEN, "%s",
		    comm);
		ps->nmaps++;
	}
	free(buf);
}

int
procscan_scan_maps(struct procscan *ps)
{
	size_t cap = 0;

	if (ps->scanned)
		return 0;
	ps->scanned = true;
	if (each_pid(ps, scan_one, &cap) < 0)
		return -1;
	if (ps->nmaps > 1)
		qsort(ps->maps, ps->nmaps, sizeof(*ps->maps), cmp_map);
	return 0;
}

size_t
procscan_attachers(struct procscan *ps, int shmid,
    const struct orphan_attacher **out)
{
	size_t lo = 0, hi = ps->nmaps, n = 0;

	*out = NULL;
	if (ps->nmaps == 0)
		return 0;
	/* the first entry of SHMID, then the run of it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->maps[mid].shmid < shmid)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < ps->nmaps && ps->maps[lo + n].shmid == shmid) {
		xgrow(&ps->out, n, &ps->outcap, sizeof(*ps->out));
		ps->out[n] = ps->maps[lo + n].att;
		n++;
	}
	*out = n > 0 ? ps->out : NULL;
	return n;
}

/* Add the IPC waits of the threads of PID. */
static void
scan_tasks(struct procscan *ps, pid_t pid, void *unused)
{
	char path[600], *buf, comm[ORPHAN_COMM_LEN] = "";
	struct dirent *de;
	bool have_comm = false;
	size_t len;
	DIR *d;

	(void)unused;
	snprintf(path, sizeof(path), "%s/proc/%d/task", ps->root, (int)pid);
	d = opendir(path);
	if (d == NULL) {
		if (denied(errno)) {
			note_unreadable(ps, pid);
			ps->waits_partial = true;
		}
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct procscan_wait *w;
		struct procparse_call c;
		enum ipc_type type;
		bool dup = false;
		int id;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		/* needs ptrace access (proc_pid_syscall()): root, or owner */
		snprintf(path, sizeof(path), "%s/proc/%d/task/%.20s/syscall",
		    ps->root, (int)pid, de->d_name);
		if (infile_read(path, 0, 1024, &buf, &len, NULL, 0) < 0) {
			if (denied(errno)) {
				note_unreadable(ps, pid);
				ps->waits_partial = true;
			}
			continue;
		}
		if (procparse_syscall(buf, &c) < 0) {
			free(buf);
			continue;
		}
		free(buf);
		type = c.type;
		id = c.id;
		if (ps->waits_only && (type != ps->only_type ||
		    id != ps->only_id))
			continue;
		for (size_t i = 0; i < ps->nwaits; i++)
			if (ps->waits[i].who.pid == pid &&
			    ps->waits[i].type == type && ps->waits[i].id == id)
				dup = true;
		if (dup)
			continue;
		if (!have_comm) {
			read_comm(ps, pid, comm, sizeof(comm));
			have_comm = true;
		}
		xgrow(&ps->waits, ps->nwaits, &ps->capwaits,
		    sizeof(*ps->waits));
		w = &ps->waits[ps->nwaits++];
		w->type = type;
		w->id = id;
		w->who.pid = pid;
		snprintf(w->who.comm, sizeof(w->who.comm), "%s", comm);
	}
	closedir(d);
}

int
procscan_scan_waits(struct procscan *ps, bool fresh)
{
	if (ps->waits_scanned && !fresh)
		return 0;
	ps->waits_scanned = true;
	ps->waits_only = false;
	ps->nwaits = 0;
	/*
	 * Processes that hidepid keeps out of /proc may wait too, and so
	 * may those of PID namespaces /proc does not show.
	 */
	ps->waits_partial = ps->hidden || ps->proc_foreign ||
	    ps->waits_outside;
	return each_pid(ps, scan_tasks, NULL);
}

int
procscan_scan_waits_for(struct procscan *ps, enum ipc_type type, int id)
{
	int r;

	ps->waits_scanned = true;
	ps->waits_only = true;
	ps->only_type = type;
	ps->only_id = id;
	ps->nwaits = 0;
	r = each_pid(ps, scan_tasks, NULL);
	ps->waits_only = false;
	return r;
}

size_t
procscan_waiters(struct procscan *ps, enum ipc_type type, int id,
    const struct orphan_attacher **out)
{
	size_t n = 0;

	for (size_t i = 0; i < ps->nwaits; i++) {
		if (ps->waits[i].type != type || ps->waits[i].id != id)
			continue;
		xgrow(&ps->out, n, &ps->outcap, sizeof(*ps->out));
		ps->out[n++] = ps->waits[i].who;
	}
	*out = n > 0 ? ps->out : NULL;
	return n;
}

int
procscan_sem_pids(int semid, size_t nsems, pid_t *pids)
{
	for (size_t i = 0; i < nsems; i++) {
		/* pid_vnr(sempid): 0 if never operated or not visible */
		int r = semctl(semid, (int)i, GETPID);

		if (r < 0)
			return -1;
		pids[i] = (pid_t)r;
	}
	return 0;
}

int
procscan_parse_hidepid(const char *opts)
{
	static const struct { const char *name; int v; } vals[] = {
		{ "off", 0 }, { "0", 0 }, { "noaccess", 1 }, { "1", 1 },
		{ "invisible", 2 }, { "2", 2 }, { "ptraceable", 4 }, { "4", 4 },
	};
	const char *p = opts;

	while ((p = strstr(p, "hidepid=")) != NULL) {
		size_t l;

		/* an option starts the string or follows a comma */
		if (p != opts && p[-1] != ',') {
			p++;
			continue;
		}
		p += 8;
		l = strcspn(p, ",\n ");
		for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
			if (strlen(vals[i].name) == l &&
			    strncmp(p, vals[i].name, l) == 0)
				return vals[i].v;
		/* an unknown value: assume the strictest */
		return 2;
	}
	return 0;
}

/* The gid= option of the super options OPTS of a proc mount, or -1. */
static long
parse_gid_opt(const char *opts)
{
	const char *g = opts;
	char num[16];
	uint64_t v;
	size_t l;

	while ((g = strstr(g, "gid=")) != NULL) {
		if (g != opts && g[-1] != ',') {
			g++;
			continue;
		}
		l = strcspn(g + 4, ",\n ");
		if (l >= sizeof(num))
			return -1;
		memcpy(num, g + 4, l);
		num[l] = '\0';
		return num_parse_u64(num, 0, 0xfffffffeu, &v) == 0 ?
		    (long)v : -1;
	}
	return -1;
}

const char *
procscan_hidepid_name(int hidepid)
{
	switch (hidepid) {
	case 0:
		return "off";
	case 1:
		return "noaccess";
	case 2:
		return "invisible";
	case 4:
		return "ptraceable";
	default:
		return "unknown";
	}
}

/*
 * The hidepid and gid options of the proc mount on /proc; hidepid -1
 * if the mount table cannot be read.
 */
static void
probe_hidepid(struct procscan *ps, long *gid)
{
	char *buf, *line, *next;
	size_t len;

	*gid = -1;
	if (infile_read("/proc/self/mountinfo", 0, 1u << 24, &buf, &len, NULL,
	    0) < 0) {
		ps->hidepid = -1;
		return;
	}
	/* "id parent dev root mountpoint opts [tags] - fstype src super" */
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		char mnt[64], fstype[32];
		const char *sep, *super;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		sep = strstr(line, " - ");
		if (sep == NULL ||
		    sscanf(line, "%*s %*s %*s %*s %63s", mnt) != 1 ||
		    strcmp(mnt, "/proc") != 0 ||
		    sscanf(sep + 3, "%31s", fstype) != 1 ||
		    strcmp(fstype, "proc") != 0)
			continue;
		super = strrchr(sep + 3, ' ');
		if (super == NULL)
			continue;
		/* the last mount on /proc is the one on top */
		ps->hidepid = procscan_parse_hidepid(super + 1);
		*gid = parse_gid_opt(super + 1);
	}
	free(buf);
}

/* Is ipctune in GID (effective or supplementary)? */
static bool
in_group(long gid)
{
	gid_t groups[256];
	int n;

	if (gid < 0)
		return false;
	if (getegid() == (gid_t)gid)
		return true;
	n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == (gid_t)gid)
			return true;
	return false;
}

void
procscan_probe(struct procscan *ps)
{
	char buf[32];
	struct stat st;
	ssize_t n;
	long gid;

	if (ps->probed || !ps->live)
		return;
	ps->probed = true;
	/* include/linux/proc_ns.h: PROC_PID_INIT_INO 0xEFFFFFFC */
	ps->pidns_child = stat("/proc/self/ns/pid", &st) != 0 ||
	    (uint64_t)st.st_ino != 0xEFFFFFFCu;
	/* /proc/self names ipctune in the PID namespace of the mount */
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		ps->proc_foreign = strtol(buf, NULL, 10) != (long)getpid();
	} else {
		ps->proc_foreign = true;
	}
	probe_hidepid(ps, &gid);
	/*
	 * has_pid_permissions() (fs/proc/base.c): hidepid=invisible and
	 * ptraceable drop from /proc what the reader may not ptrace;
	 * root and members of the gid= group see everything.
	 */
	ps->hidden = (ps->hidepid == 2 || ps->hidepid == 4 ||
	    ps->hidepid < 0) && geteuid() != 0 && !in_group(gid);
}

int
procscan_start_exact(struct procscan *ps, pid_t pid, int64_t *start)
{
	struct timespec real, boot;
	char path[600], *buf, state;
	uint64_t ticks;
	size_t len;
	int r;
	double t;

	snprintf(path, sizeof(path), "%s/proc/%d/stat", ps->root, (int)pid);
	if (infile_read(path, 0, 4096, &buf, &len, NULL, 0) < 0)
		return -1;
	r = procscan_parse_stat(buf, &state, &ticks);
	free(buf);
	if (r < 0 || clock_gettime(CLOCK_REALTIME, &real) < 0 ||
	    clock_gettime(CLOCK_BOOTTIME, &boot) < 0)
		return -1;
	/* getboottime64() is the same difference, rounded down for btime */
	t = (double)(real.tv_sec - boot.tv_sec) +
	    (double)(real.tv_nsec - boot.tv_nsec) / 1e9 +
	    (double)ticks / (double)ps->hz;
	*start = (int64_t)t;
	return 0;
}

static void
count_user(struct procscan *ps, pid_t pid, void *arg)
{
	long *n = arg;

	(void)ps;
	if (pid != getpid())
		(*n)++;
}

long
procscan_ns_users(struct procscan *ps)
{
	long n = 0;

	if (each_pid(ps, count_user, &n) < 0)
		return -1;
	/* a process whose namespace cannot be read may be one */
	return n + (long)ps->pass_unreadable;
}

int
procscan_sem_vals(int semid, size_t nsems, unsigned short *vals)
{
	/*
	 * GETVAL one by one, not GETALL: GETALL copies as many values as
	 * the array has now, and an array re-created under the same id
	 * may have more than VALS holds.
	 */
	for (size_t i = 0; i < nsems; i++) {
		int r = semctl(semid, (int)i, GETVAL);

		if (r < 0)
			return -1;
		vals[i] = (unsigned short)r;
	}
	return 0;
}

int
procscan_sem_waiting(int semid, size_t nsems, uint64_t *n)
{
	*n = 0;
	for (size_t i = 0; i < nsems; i++) {
		/* count_semcnt(): tasks waiting for increase or for zero */
		int nc = semctl(semid, (int)i, GETNCNT);
		int zc = semctl(semid, (int)i, GETZCNT);

		if (nc < 0 || zc < 0)
			return -1;
		*n += (uint64_t)nc + (uint64_t)zc;
	}
	return 0;
}

static int
fx_sem_vals(void *ctx, int semid, size_t nsems, unsigned short *vals)
{
	struct procscan *ps = ctx;

	if (!ps->live) {
		errno = ENOTSUP;
		return -1;
	}
	return procscan_sem_vals(semid, nsems, vals);
}

static int
fx_sem_waiting(void *ctx, int semid, size_t nsems, uint64_t *n)
{
	struct procscan *ps = ctx;

	int rc;

	if (!ps->live) {
		errno = ENOTSUP;
		return -1;
	}
	if (semprobe_waiting(ps->sems, semid, nsems, n, &rc))
		return rc;
	return procscan_sem_waiting(semid, nsems, n);
}

static int
fx_proc(void *ctx, pid_t pid, struct orphan_proc *p)
{
	return procscan_proc(ctx, pid, p);
}

static int
fx_sem_pids(void *ctx, int semid, size_t nsems, pid_t *pids)
{
	struct procscan *ps = ctx;

	int rc;

	if (!ps->live) {
		errno = ENOTSUP;
		return -1;
	}
	if (semprobe_pids(ps->sems, semid, nsems, pids, &rc))
		return rc;
	return procscan_sem_pids(semid, nsems, pids);
}

static size_t
fx_attachers(void *ctx, int shmid, const struct orphan_attacher **out)
{
	return procscan_attachers(ctx, shmid, out);
}

static size_t
fx_waiters(void *ctx, enum ipc_type type, int id,
    const struct orphan_attacher **out)
{
	return procscan_waiters(ctx, type, id, out);
}

static unsigned
fx_limits(void *ctx)
{
	const struct procscan *ps = ctx;
	unsigned l = 0;

	if (ps->live && (ps->pidns_child || ps->proc_foreign))
		l |= ORPHAN_LIM_CHILD_PIDNS;
	if (ps->pids_partial)
		l |= ORPHAN_LIM_PIDS;
	if (ps->waits_partial)
		l |= ORPHAN_LIM_WAITS;
	if (ps->waits_outside)
		l |= ORPHAN_LIM_UNSTATED;
	return l;
}

int
procscan_parse_status_uids(const char *buf, uid_t uid[4])
{
	const char *l = strstr(buf, "\nUid:");

	if (l == NULL)
		return -1;
	l += 5;
	for (int i = 0; i < 4; i++) {
		char tok[16];
		uint64_t v;
		size_t n;

		while (*l == '\t' || *l == ' ')
			l++;
		n = strspn(l, "0123456789");
		if (n == 0 || n >= sizeof(tok))
			return -1;
		memcpy(tok, l, n);
		tok[n] = '\0';
		if (num_parse_u64(tok, 0, 0xfffffffe, &v) < 0)
			return -1;
		uid[i] = (uid_t)v;
		l += n;
	}
	return *l == '\n' || *l == '\0' ? 0 : -1;
}

/*
 * Note every process of ROOT/proc with its owner and start, once.  A
 * POSIX file belongs to a mount namespace, not an IPC namespace: every
 * process counts.
 */
static void
scan_owners(struct procscan *ps)
{
	char path[800];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	ps->owners_scanned = true;
	snprintf(path, sizeof(path), "%s/proc", ps->root);
	if ((d = opendir(path)) == NULL) {
		ps->owners_partial = true;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct procscan_owner *o;
		struct orphan_proc p;
		uid_t uid[4];
		char *buf;
		size_t len;
		uint64_t v;
		int r;

		if (num_parse_u64(de->d_name, 1, 0x7fffffff, &v) < 0 ||
		    (pid_t)v == getpid())
			continue;
		snprintf(path, sizeof(path), "%s/proc/%s/status", ps->root,
		    de->d_name);
		/* the file's owner is the creator's fsuid (shmem_get_inode) */
		if (infile_read(path, 0, 65536, &buf, &len, NULL, 0) < 0) {
			if (errno != ENOENT && errno != ESRCH)
				ps->owners_partial = true;
			continue;
		}
		r = procscan_parse_status_uids(buf, uid);
		free(buf);
		if (r < 0) {
			ps->owners_partial = true;
			continue;
		}
		r = procscan_proc(ps, (pid_t)v, &p);
		if (r == ORPHAN_PROC_UNREADABLE)
			ps->owners_partial = true;
		if (r != 0)
			continue;
		xgrow(&ps->owners, ps->nowners, &cap, sizeof(*ps->owners));
		o = &ps->owners[ps->nowners++];
		o->pid = (pid_t)v;
		memcpy(o->uid, uid, sizeof(o->uid));
		o->start_time = p.start_time;
		snprintf(o->comm, sizeof(o->comm), "%s", p.comm);
	}
	closedir(d);
}

long
procscan_owner_procs(struct procscan *ps, uid_t uid, int64_t before,
    struct orphan_attacher *first)
{
	long n = 0;

	if (!ps->owners_scanned)
		scan_owners(ps);
	for (size_t i = 0; i < ps->nowners; i++) {
		const struct procscan_owner *o = &ps->owners[i];

		if ((o->uid[0] != uid && o->uid[1] != uid && o->uid[2] != uid &&
		    o->uid[3] != uid) || o->start_time > before)
			continue;
		if (n++ == 0) {
			first->pid = o->pid;
			snprintf(first->comm, sizeof(first->comm), "%s",
			    o->comm);
		}
	}
	/* a process not read may be the owner's: only a match answers */
	if (n == 0 && ps->owners_partial)
		return -1;
	return n;
}

static long
fx_owner_procs(void *ctx, uid_t uid, int64_t before,
    struct orphan_attacher *first)
{
	return procscan_owner_procs(ctx, uid, before, first);
}

void
procscan_effects(struct procscan *ps, bool attachers,
    struct orphan_effects *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->proc = fx_proc;
	fx->sem_pids = fx_sem_pids;
	fx->shm_attachers = attachers ? fx_attachers : NULL;
	fx->waiters = fx_waiters;
	fx->sem_waiting = fx_sem_waiting;
	fx->limits = fx_limits;
	fx->sem_vals = fx_sem_vals;
	fx->owner_procs = fx_owner_procs;
	fx->ctx = ps;
}

/* ---- holders of files: POSIX shared memory, semaphores, queues ---- */

int
procscan_parse_maps_line(const char *line, uint64_t *dev, uint64_t *ino)
{
	unsigned long long maj, min, in;
	const char *p = line;

	/*
	 * show_map_vma() (fs/proc/task_mmu.c) prints the device as
	 * MAJOR:MINOR in hex, at least two digits each, and the inode in
	 * decimal; skip the three fields before them
	 */
	for (int f = 0; f < 3; f++) {
		p += strcspn(p, " \n");
		if (*p != ' ')
			return -1;
		p += strspn(p, " ");
	}
	if (sscanf(p, "%llx:%llx %llu", &maj, &min, &in) != 3 ||
	    !isxdigit((unsigned char)p[0]) || maj > 0xfffff ||
	    min > 0xfffffff || in == 0)
		return -1;
	*dev = (uint64_t)makedev((unsigned)maj, (unsigned)min);
	*ino = (uint64_t)in;
	return 0;
}

static int
cmp_file(const void *a, const void *b)
{
	const struct procscan_file *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* The entry of FILES for DEV and INO, or NULL. */
static const struct procscan_file *
find_file(const struct procscan_file *files, size_t n, uint64_t dev,
    uint64_t ino)
{
	struct procscan_file k = { dev, ino, 0 };

	return bsearch(&k, files, n, sizeof(*files), cmp_file);
}

/* Note that PID holds the file tagged TAG as HOW (once per file). */
static void
add_hold(struct procscan_holds *out, size_t first, pid_t pid, size_t tag,
    unsigned how)
{
	for (size_t i = first; i < out->n; i++)
		if (out->v[i].tag == tag) {
			out->v[i].how |= how;
			return;
		}
	xgrow(&out->v, out->n, &out->cap, sizeof(*out->v));
	memset(&out->v[out->n], 0, sizeof(out->v[out->n]));
	out->v[out->n].tag = tag;
	out->v[out->n].pid = pid;
	out->v[out->n].how = how;
	out->n++;
}

/* One holder scan: what it looks for, where, and how. */
struct hscan {
	const char *root;
	const struct procscan_file *files;	/* sorted by dev, inode */
	size_t n;
	uint64_t devs[8];	/* the devices of FILES; ndevs 9: more */
	size_t ndevs;
	struct procscan_holds *out;
	size_t first;		/* out->v of the process being read */
	bool kcmp;		/* kcmp(2) answers for /proc's PIDs */
	const char *fsroot;	/* the root of the files' mount namespace */
};

/*
 * Is the file at PATH, as the kernel printed it (d_path(): relative to
 * ipctune's root, or to the root of the file's mount namespace when that
 * is out of reach), among the files under the root or the fsroot?  Its
 * entry, or NULL; *SEEN whether PATH names a file under either.
 */
static const struct procscan_file *
path_file(const struct hscan *hs, const char *path, bool *seen)
{
	const char *roots[2] = { hs->root, hs->fsroot };
	const struct procscan_file *f = NULL;
	char full[4600];
	struct stat st;

	*seen = false;
	for (int i = 0; i < 2 && f == NULL; i++) {
		if (i == 1 && strcmp(hs->fsroot, hs->root) == 0)
			break;
		if ((size_t)snprintf(full, sizeof(full), "%s%s", roots[i],
		    path) >= sizeof(full) || stat(full, &st) < 0)
			continue;
		*seen = true;
		if (S_ISREG(st.st_mode))
			f = find_file(hs->files, hs->n, (uint64_t)st.st_dev,
			    (uint64_t)st.st_ino);
	}
	return f;
}

/*
 * The mappings in the maps file PATH of process PID among the files, and
 * how many lines it has into *LINES; -1 if it cannot be read.
 */
static int
holds_maps(struct hscan *hs, const char *path, pid_t pid, size_t *lines)
{
	char *buf, *line, *next;
	size_t len;

	*lines = 0;
	if (infile_read(path, 0, 1u << 28, &buf, &len, NULL, 0) < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		const struct procscan_file *f;
		uint64_t dev, ino;
		size_t d;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		(*lines)++;
		if (procscan_parse_maps_line(line, &dev, &ino) < 0)
			continue;
		for (d = 0; hs->ndevs <= 8 && d < hs->ndevs &&
		    hs->devs[d] != dev; d++)
			;
		if (hs->ndevs <= 8 && d == hs->ndevs)
			continue;
		f = find_file(hs->files, hs->n, dev, ino);
		if (f != NULL)
			add_hold(hs->out, hs->first, pid, f->tag,
			    POSIX_HOLD_MAP);
	}
	free(buf);
	return 0;
}

long
procscan_parse_uring(char *text, uint64_t *nfiles, char ***paths)
{
	char *p = strstr(text, "\nUserFiles:\t"), *line, *next;
	size_t n = 0, cap = 0;

	*paths = NULL;
	*nfiles = 0;
	if (p == NULL)
		return -1;
	p += strlen("\nUserFiles:\t");
	next = strchr(p, '\n');
	if (next == NULL)
		return -1;
	*next++ = '\0';
	if (num_parse_u64(p, 0, UINT32_MAX, nfiles) < 0)
		return -1;
	/* "%5u: " and the path, one per line, until the next field */
	for (line = next; line != NULL && *line != '\0'; line = next) {
		char *q = line + strspn(line, " "), *w, *r;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (!isdigit((unsigned char)*q))
			break;
		q += strspn(q, "0123456789");
		if (q[0] != ':' || q[1] != ' ')
			break;
		/* mangle_path() (fs/seq_file.c) wrote \ooo for the escaped */
		for (r = w = q + 2; *r != '\0'; w++) {
			if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
			    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
			    r[3] <= '7') {
				*w = (char)((r[1] - '0') * 64 +
				    (r[2] - '0') * 8 + (r[3] - '0'));
				r += 4;
			} else
				*w = *r++;
		}
		*w = '\0';
		xgrow(paths, n, &cap, sizeof(**paths));
		(*paths)[n++] = q + 2;
	}
	return (long)n;
}

/*
 * The files of the fixed table of the io_uring instance whose fdinfo is
 * PATH, held by process PID; -1 if they cannot all be known.
 * __io_uring_show_fdinfo() (io_uring/fdinfo.c) lists the table only if
 * mutex_trylock() of the ring's uring_lock succeeds, so a ring with files
 * and none listed is read again; an older kernel lists the names alone
 * (d_iname), which cannot be resolved.
 */
static int
holds_uring(struct hscan *hs, const char *path, pid_t pid)
{
	uint64_t nfiles = 0;
	char *buf, **paths;
	long got = -1;
	size_t len;
	bool seen;
	int r = 0;

	for (int tries = 0; tries < 3 && got <= 0; tries++) {
		if (tries > 0)
			free(buf);
		if (infile_read(path, 0, 1u << 26, &buf, &len, NULL, 0) < 0)
			return errno == ENOENT || errno == ESRCH ? 0 : -1;
		got = procscan_parse_uring(buf, &nfiles, &paths);
		if (got == 0)
			free(paths);
		if (got < 0 || nfiles == 0)
			break;
	}
	for (long i = 0; i < got; i++) {
		const struct procscan_file *f;

		if (strcmp(paths[i], "<none>") == 0)
			continue;
		if (paths[i][0] != '/') {
			r = -1;
			continue;
		}
		f = path_file(hs, paths[i], &seen);
		if (f != NULL)
			add_hold(hs->out, hs->first, pid, f->tag,
			    POSIX_HOLD_FD);
	}
	if (got > 0)
		free(paths);
	free(buf);
	return got < 0 ? -1 : r;
}

/*
 * The open descriptors in BASE/fd (BASE: /proc/PID or one of its
 * threads, /proc/PID/task/TID) among the files, and the fixed files of
 * the io_uring instances among them; -1 if fd cannot be read.
 */
static int
holds_fds(struct hscan *hs, const char *base, pid_t pid)
{
	static const char uring[] = "anon_inode:[io_uring]";
	char path[700], link[sizeof(uring)];
	struct dirent *de;
	int r = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/fd", base);
	d = opendir(path);
	if (d == NULL)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		const struct procscan_file *f;
		struct stat st;
		ssize_t l;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		/* the magic link leads to the open file itself */
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0)
			continue;
		/*
		 * an anonymous inode has no file type (alloc_anon_inode(),
		 * fs/libfs.c); the link names which one it is
		 */
		if ((st.st_mode & S_IFMT) == 0) {
			l = readlinkat(dirfd(d), de->d_name, link,
			    sizeof(link));
			if (l != (ssize_t)sizeof(uring) - 1 ||
			    memcmp(link, uring, sizeof(uring) - 1) != 0)
				continue;
			snprintf(path, sizeof(path), "%s/fdinfo/%s", base,
			    de->d_name);
			if (holds_uring(hs, path, pid) < 0)
				r = -1;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		f = find_file(hs->files, hs->n, (uint64_t)st.st_dev,
		    (uint64_t)st.st_ino);
		if (f != NULL)
			add_hold(hs->out, hs->first, pid, f->tag,
			    POSIX_HOLD_FD);
	}
	closedir(d);
	return r;
}

/*
 * kcmp(KCMP_FILES) (kernel/kcmp.c): 1 if tasks A and B share one
 * descriptor table, 0 if not, -1 with errno if the kernel cannot say.
 */
static int
same_files(pid_t a, pid_t b)
{
#ifdef SYS_kcmp
	long r = syscall(SYS_kcmp, a, b, KCMP_FILES, 0UL, 0UL);

	return r < 0 ? -1 : r == 0;
#else
	(void)a;
	(void)b;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * Must thread TID of PID have its descriptor table read: it is not the
 * leader's, nor one of the N read already (SEEN)?  Without kcmp, yes.
 */
static bool
table_unseen(struct hscan *hs, pid_t pid, pid_t tid, const pid_t *seen,
    size_t n)
{
	int s;

	if (!hs->kcmp)
		return true;
	s = same_files(pid, tid);
	/* ESRCH: the thread is gone, and what it held open is closed */
	if (s < 0)
		return errno != ESRCH;
	for (size_t i = 0; s == 0 && i < n; i++)
		s = same_files(seen[i], tid) == 1;
	return s == 0;
}

/*
 * The descriptors of the threads of PID whose table is not the leader's
 * (unshare(CLONE_FILES), or clone() without CLONE_FILES): /proc/PID/fd
 * is the leader's table only (proc_readfd_common(), fs/proc/fd.c), each
 * thread's is /proc/PID/task/TID/fd.  Up to 8 threads into TIDS (*NT).
 * -1 if a table that must be read cannot be.  Cost: reading a table is
 * a directory read and a stat per descriptor, so every thread's of a
 * JVM of 300 threads and 500 descriptors is 150,000 stats; one kcmp per
 * thread instead, about 2.5 us (200 processes of 50 threads: 84 ms of
 * CPU for the whole scan, 58 ms for the leaders' tables alone, 1.3 s
 * reading every thread's; tests/bench/bench_holders.sh).
 */
static int
holds_tasks(struct hscan *hs, pid_t pid, pid_t tids[8], size_t *nt)
{
	char path[600];
	pid_t seen[8];
	size_t nseen = 0;
	struct dirent *de;
	DIR *d;
	int r = 0;

	*nt = 0;
	snprintf(path, sizeof(path), "%s/proc/%d/task", hs->root, (int)pid);
	d = opendir(path);
	if (d == NULL)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		uint64_t v;
		pid_t tid;

		if (!isdigit((unsigned char)de->d_name[0]) ||
		    num_parse_u64(de->d_name, 1, 0x7fffffff, &v) < 0 ||
		    (pid_t)v == pid)
			continue;
		tid = (pid_t)v;
		if (*nt < 8)
			tids[(*nt)++] = tid;
		if (!table_unseen(hs, pid, tid, seen, nseen))
			continue;
		snprintf(path, sizeof(path), "%s/proc/%d/task/%d", hs->root,
		    (int)pid, (int)tid);
		if (holds_fds(hs, path, pid) < 0)
			r = -1;
		else if (nseen < 8)
			seen[nseen++] = tid;
	}
	closedir(d);
	return r;
}

/*
 * What process PID maps or holds open; -1 if something of it could not
 * be read.  Descriptors first: a process that maps the file through a
 * descriptor and closes it during the scan mapped it before the close,
 * so the maps read after show what the fd read missed; read the other
 * way round both may miss it.  Threads share the leader's memory map
 * (CLONE_THREAD needs CLONE_VM, copy_process(), kernel/fork.c) but not
 * always its descriptor table.
 */
static int
holds_proc(struct hscan *hs, pid_t pid)
{
	char path[600];
	pid_t tids[8];
	size_t nt, lines;
	int r = 0;

	snprintf(path, sizeof(path), "%s/proc/%d", hs->root, (int)pid);
	if (holds_fds(hs, path, pid) < 0)
		r = -1;
	if (holds_tasks(hs, pid, tids, &nt) < 0)
		r = -1;
	snprintf(path, sizeof(path), "%s/proc/%d/maps", hs->root, (int)pid);
	if (holds_maps(hs, path, pid, &lines) < 0)
		r = -1;
	/*
	 * a leader that called pthread_exit() is a zombie without a memory
	 * map, its maps empty while its threads run: read a thread's
	 */
	for (size_t i = 0; r == 0 && lines == 0 && i < nt; i++) {
		snprintf(path, sizeof(path), "%s/proc/%d/task/%d/maps",
		    hs->root, (int)pid, (int)tids[i]);
		if (holds_maps(hs, path, pid, &lines) < 0)
			r = -1;
	}
	return r;
}

int
procscan_parse_backing_file(char *text, size_t len)
{
	/*
	 * loop_attr_backing_file_show() (drivers/block/loop.c) prints
	 * file_path() of the backing file and a newline; d_path() puts
	 * " (deleted)" after an unlinked file's path (fs/d_path.c), which
	 * is kept: the path then names no file, or one whose device and
	 * inode are not the backing file's (a linked file whose name ends
	 * so is printed the same, and found)
	 */
	if (len == 0 || text[len - 1] != '\n' || text[0] != '/' ||
	    memchr(text, '\0', len) != NULL)
		return -1;
	text[len - 1] = '\0';
	return 0;
}

uint64_t
procscan_loop_dev(uint64_t lo_device)
{
	/* new_encode_dev(), include/linux/kdev_t.h: mmmM MMmm in hex */
	return (uint64_t)makedev((unsigned)((lo_device & 0xfff00) >> 8),
	    (unsigned)((lo_device & 0xff) | ((lo_device >> 12) & 0xfff00)));
}

/*
 * The device and inode of the file loop device NAME is bound to, from
 * LOOP_GET_STATUS64 on its node (loop_get_status(), drivers/block/loop.c:
 * lo_device is huge_encode_dev() of st_dev), on the live system only:
 * /dev/NAME must be the block device /sys/block/NAME/dev names, checked
 * before it is opened (read-only, as blkid does) and after.  0, or -1.
 */
static int
loop_status(const struct hscan *hs, const char *name, uint64_t *dev,
    uint64_t *ino)
{
	struct loop_info64 li;
	char path[600], *buf;
	unsigned maj, min;
	struct stat st, fst;
	size_t len;
	int fd, ok;

	if (hs->root[0] != '\0')
		return -1;
	snprintf(path, sizeof(path), "/sys/block/%s/dev", name);
	if (infile_read(path, 0, 64, &buf, &len, NULL, 0) < 0)
		return -1;
	ok = sscanf(buf, "%u:%u", &maj, &min) == 2;
	free(buf);
	snprintf(path, sizeof(path), "/dev/%s", name);
	if (!ok || lstat(path, &st) < 0 || !S_ISBLK(st.st_mode) ||
	    st.st_rdev != makedev(maj, min))
		return -1;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY);
	if (fd < 0)
		return -1;
	memset(&li, 0, sizeof(li));
	ok = fstat(fd, &fst) == 0 && fst.st_rdev == st.st_rdev &&
	    ioctl(fd, LOOP_GET_STATUS64, &li) == 0;
	close(fd);
	if (!ok)
		return -1;
	*dev = procscan_loop_dev(li.lo_device);
	*ino = li.lo_inode;
	return 0;
}

/*
 * The loop devices backed by one of the files: the holder is no
 * process (pid 0, comm the device's name).  sysfs gives the backing
 * file as a path, relative to ipctune's root or, for a file of another
 * mount namespace, to that namespace's root: resolved under ROOT and
 * under FSROOT and matched by device and inode; a path that names no
 * file there is asked of the device node (loop_status()).  The loop
 * directory exists while a file is bound (loop_sysfs_init()).  -1 if
 * ROOT/sys/block cannot be read.
 */
static int
holds_loops(struct hscan *hs)
{
	char path[600];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/block", hs->root);
	d = opendir(path);
	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		const struct procscan_file *f;
		uint64_t dev, ino;
		char *buf;
		size_t len;
		bool seen;

		if (strncmp(de->d_name, "loop", 4) != 0 ||
		    !isdigit((unsigned char)de->d_name[4]))
			continue;
		snprintf(path, sizeof(path), "%s/sys/block/%s/loop/"
		    "backing_file", hs->root, de->d_name);
		if (infile_read(path, 0, 8192, &buf, &len, NULL, 0) < 0)
			continue;
		f = NULL;
		if (procscan_parse_backing_file(buf, len) == 0) {
			f = path_file(hs, buf, &seen);
			/*
			 * a path that names no file here (a bind mount of
			 * another mount namespace): ask the device itself
			 */
			if (f == NULL && !seen && loop_status(hs, de->d_name,
			    &dev, &ino) == 0)
				f = find_file(hs->files, hs->n, dev, ino);
		}
		free(buf);
		if (f == NULL)
			continue;
		hs->first = hs->out->n;
		add_hold(hs->out, hs->first, 0, f->tag, POSIX_HOLD_LOOP);
		snprintf(hs->out->v[hs->out->n - 1].comm,
		    sizeof(hs->out->v[0].comm), "%.31s", de->d_name);
	}
	closedir(d);
	return 0;
}

/*
 * May kcmp(2) compare the descriptor tables of the PIDs ROOT/proc
 * shows?  Only on the live system, with /proc of ipctune's own PID
 * namespace: kcmp() finds its PIDs there (find_task_by_vpid()).
 */
static bool
kcmp_usable(const char *root)
{
	char buf[32];
	ssize_t n;

	if (root[0] != '\0')
		return false;
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strtol(buf, NULL, 10) == (long)getpid() &&
	    same_files(getpid(), getpid()) == 1;
}

int
procscan_file_holders(const char *root, const char *fsroot, pid_t self,
    const struct procscan_file *files, size_t n, struct procscan_holds *out)
{
	struct procscan ps;
	struct hscan hs;
	char path[600];
	struct dirent *de;
	DIR *d;

	memset(out, 0, sizeof(*out));
	memset(&hs, 0, sizeof(hs));
	hs.root = root;
	hs.fsroot = fsroot;
	hs.files = files;
	hs.n = n;
	hs.out = out;
	/*
	 * the files live on one or two filesystems: a maps line is tested
	 * against their devices first (FILES is sorted by device); with
	 * more than eight, every line is looked up
	 */
	for (size_t i = 0; i < n && hs.ndevs <= 8; i++)
		if (hs.ndevs == 0 || hs.devs[hs.ndevs - 1] != files[i].dev) {
			if (hs.ndevs == 8) {
				hs.ndevs = 9;
				break;
			}
			hs.devs[hs.ndevs++] = files[i].dev;
		}
	snprintf(path, sizeof(path), "%s/proc", root);
	d = opendir(path);
	if (d == NULL)
		return -1;
	hs.kcmp = n > 0 && kcmp_usable(root);
	procscan_init(&ps, root, false, 0);
	while (n > 0 && (de = readdir(d)) != NULL) {
		uint64_t v;

		if (!isdigit((unsigned char)de->d_name[0]) ||
		    num_parse_u64(de->d_name, 1, 0x7fffffff, &v) < 0 ||
		    (pid_t)v == self)
			continue;
		out->procs++;
		hs.first = out->n;
		/* a kernel thread has no maps and no descriptors */
		if (holds_proc(&hs, (pid_t)v) < 0 && !kthread(&ps, (pid_t)v))
			out->partial++;
		if (out->n > hs.first) {
			char comm[ORPHAN_COMM_LEN];

			read_comm(&ps, (pid_t)v, comm, sizeof(comm));
			for (size_t i = hs.first; i < out->n; i++)
				memcpy(out->v[i].comm, comm, sizeof(comm));
		}
	}
	closedir(d);
	procscan_release(&ps);
	if (n > 0 && holds_loops(&hs) < 0)
		out->partial++;
	return 0;
}

void
procscan_holds_release(struct procscan_holds *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}
