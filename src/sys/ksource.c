/*
 * ksource.c: reads the kernel's IPC state into a kstate.  Totals come from
 * the kernel's own counters (SHM_INFO, SEM_INFO, MSG_INFO); objects from
 * *_STAT_ANY loops (Linux 4.17+), falling back to /proc/sysvipc text.  A
 * fixture tree (--root) is read as text only.  Namespaces are entered
 * with setns(2); credentials are never changed.  Processes are
 * procscan.c's and other files infile.c's to read; nothing is written.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgpattern.h"
#include "errstr.h"
#include "infile.h"
#include "ksource.h"
#include "numparse.h"
#include "posixipc.h"
#include "posixlim.h"
#include "procparse.h"
#include "xmalloc.h"

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#define MQUEUE_MAGIC 0x19800202

#define SYSCTL_MAXLEN 4096
#define SYSVIPC_MAXLEN (1u << 30)

/*
 * The "KEY   N kB" line of /proc/meminfo in bytes.  Strict: a wrapped
 * kB * 1024 would invent memory.  0, or -1.
 */
static int
meminfo_bytes(const char *buf, const char *key, uint64_t *out)
{
	const char *p = strstr(buf, key);
	char num[32];
	uint64_t kb;
	size_t n;

	if (p == NULL)
		return -1;
	p += strlen(key);
	p += strspn(p, " \t");
	n = strspn(p, "0123456789");
	if (n == 0 || n >= sizeof(num) || strncmp(p + n, " kB\n", 4) != 0)
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	if (num_parse_u64(num, 0, UINT64_MAX, &kb) < 0 ||
	    !num_mul_u64(kb, 1024, out))
		return -1;
	return 0;
}

static const char *
prefix(const struct ksource_opts *o)
{
	return o->root != NULL ? o->root : "";
}

static const char *
errno_advice(int e)
{
	switch (e) {
	case EACCES:
	case EPERM:
		return " (run as root)";
	default:
		return "";
	}
}

int
ksource_enter_ns(const struct ksource_opts *opts, char *err, size_t errlen)
{
	char path[64];
	const char *p = opts->ns_path;
	struct stat nst, sst;
	int fd;

	if (opts->pid == 0 && opts->ns_path == NULL)
		return 0;
	if (opts->root != NULL) {
		snprintf(err, errlen, "--pid and --ns cannot be used with "
		    "--root");
		errno = EINVAL;
		return -1;
	}
	if (opts->pid != 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)opts->pid);
		p = path;
	}
	/* O_NONBLOCK: a FIFO given as --ns must not block the open */
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		int e = errno;

		if (opts->pid != 0 && e == ENOENT)
			snprintf(err, errlen, "cannot open the IPC namespace "
			    "of process %d: no such process", (int)opts->pid);
		else
			snprintf(err, errlen, "cannot open namespace '%s': "
			    "%s%s", p, errstr(e), errno_advice(e));
		errno = e;
		return -1;
	}
	/*
	 * Already there: no setns(), which needs CAP_SYS_ADMIN, so that a
	 * user may name a process of their own IPC namespace with --pid.
	 */
	if (fstat(fd, &nst) == 0 && stat("/proc/self/ns/ipc", &sst) == 0 &&
	    nst.st_dev == sst.st_dev && nst.st_ino == sst.st_ino) {
		close(fd);
		return 0;
	}
	if (setns(fd, CLONE_NEWIPC) < 0) {
		int e = errno;

		if (e == EINVAL)
			snprintf(err, errlen, "cannot enter '%s': not an IPC "
			    "namespace", p);
		else
			snprintf(err, errlen, "cannot enter the IPC namespace "
			    "'%s': %s%s", p, errstr(e),
			    e == EPERM ? " (needs CAP_SYS_ADMIN: run as root)"
			    : "");
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

static int
read_sysctls(const struct ksource_opts *o, struct kstate *ks, char *err,
    size_t errlen)
{
	char path[4096], *buf, why[128];
	size_t len;

	for (int i = 0; i < SC_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/proc/%s", prefix(o),
		    sysctl_table[i].path);
		if (infile_read(path, 0, SYSCTL_MAXLEN, &buf, &len, why,
		    sizeof(why)) < 0) {
			int e = errno;

			/* fs.mqueue is absent without CONFIG_POSIX_MQUEUE */
			if (e == ENOENT && i >= SC_MQ_QUEUES_MAX)
				continue;
			if (e == ENOENT && i == SC_SHM_RMID_FORCED)
				continue;
			snprintf(err, errlen, "cannot read '%s': %s%s", path,
			    why, errno_advice(e));
			errno = e;
			return -1;
		}
		if (memchr(buf, '\0', len) != NULL) {
			/* the parser sees a C string: "12\0junk" reads as 12 */
			snprintf(err, errlen, "%s: '%s': holds a NUL byte",
			    path, sysctl_table[i].name);
			free(buf);
			errno = EINVAL;
			return -1;
		}
		if (procparse_sysctl((enum sysctl_id)i, buf, &ks->sysctl[i],
		    err, errlen) < 0) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", err);
			snprintf(err, errlen, "%s: %s", path, msg);
			free(buf);
			errno = EINVAL;
			return -1;
		}
		free(buf);
	}
	return 0;
}

static void
read_text_fact(const struct ksource_opts *o, const char *rel, char *dst,
    size_t dstlen)
{
	char path[4096], *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/proc/%s", prefix(o), rel);
	if (infile_read(path, 0, 4096, &buf, &len, NULL, 0) < 0)
		return;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(dst, dstlen, "%s", buf);
	free(buf);
}

/*
 * The container PID runs in, named by its cgroup path as the runtimes
 * lay it out (cgpattern's table); nothing when it runs in none.
 */
static void
read_container(pid_t pid, struct host_facts *h)
{
	struct cgpattern_match m;
	char path[64], cg[4096], *buf;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (infile_read(path, 0, 1 << 16, &buf, &len, NULL, 0) < 0)
		return;
	if (cgpattern_pick_path(buf, len, cg, sizeof(cg)) == 0 &&
	    cgpattern_match(cg, &m) && m.pat->container) {
		snprintf(h->container_runtime, sizeof(h->container_runtime),
		    "%s", m.pat->runtime);
		snprintf(h->container_id, sizeof(h->container_id), "%s",
		    m.id);
	}
	free(buf);
}

static void
read_host(const struct ksource_opts *o, struct kstate *ks)
{
	struct host_facts *h = &ks->host;
	char path[4096], *buf, *p;
	struct utsname u;
	struct stat st;
	size_t len;
	long v;

	v = sysconf(_SC_PAGESIZE);
	h->page_size = v > 0 ? (uint64_t)v : 4096;
	v = sysconf(_SC_NPROCESSORS_ONLN);
	h->ncpu = v > 0 ? (uint64_t)v : 1;
	if (uname(&u) == 0) {
		snprintf(h->hostname, sizeof(h->hostname), "%s", u.nodename);
		snprintf(h->kernel_release, sizeof(h->kernel_release), "%s",
		    u.release);
	}
	if (o->root != NULL) {
		read_text_fact(o, "sys/kernel/hostname", h->hostname,
		    sizeof(h->hostname));
		read_text_fact(o, "sys/kernel/osrelease", h->kernel_release,
		    sizeof(h->kernel_release));
	}
	snprintf(path, sizeof(path), "%s/proc/meminfo", prefix(o));
	if (infile_read(path, 0, 1 << 20, &buf, &len, NULL, 0) == 0) {
		if (meminfo_bytes(buf, "MemTotal:", &h->ram_bytes) < 0)
			h->ram_bytes = 0;
		h->has_swap = meminfo_bytes(buf, "SwapTotal:",
		    &h->swap_bytes) == 0;
		free(buf);
	}
	snprintf(path, sizeof(path), "%s/proc/cmdline", prefix(o));
	if (infile_read(path, 0, 1 << 16, &buf, &len, NULL, 0) == 0) {
		char *save = NULL;

		for (p = strtok_r(buf, " \t\n", &save); p != NULL;
		    p = strtok_r(NULL, " \t\n", &save))
			if (strcmp(p, "ipcmni_extend") == 0)
				h->ipcmni_extend = true;
		free(buf);
	}
	if (o->root == NULL && stat("/proc/self/ns/ipc", &st) == 0)
		h->ipc_ns_inode = (uint64_t)st.st_ino;
	h->target_pid = o->pid;
	if (o->pid > 0 && o->root == NULL)
		read_container(o->pid, h);
	if (o->ns_path != NULL)
		snprintf(h->ns_path, sizeof(h->ns_path), "%s", o->ns_path);
}

static int
read_info_counters(struct kstate *ks, char *err, size_t errlen)
{
	struct shm_info si;
	struct seminfo sem;
	struct msginfo mi;
	union semun {
		int val;
		struct semid_ds *buf;
		unsigned short *array;
		struct seminfo *__buf;
	} arg;

	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si) < 0) {
		snprintf(err, errlen, "shmctl(SHM_INFO) failed: %s",
		    errstr(errno));
		return -1;
	}
	ks->usage.shm_segments = (uint64_t)si.used_ids;
	ks->usage.shm_pages = si.shm_tot;
	ks->usage.shm_rss_pages = si.shm_rss;
	ks->usage.shm_swap_pages = si.shm_swp;
	arg.__buf = &sem;
	if (semctl(0, 0, SEM_INFO, arg) < 0) {
		snprintf(err, errlen, "semctl(SEM_INFO) failed: %s",
		    errstr(errno));
		return -1;
	}
	ks->usage.sem_arrays = (uint64_t)sem.semusz;
	ks->usage.sem_sems = (uint64_t)sem.semaem;
	if (msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi) < 0) {
		snprintf(err, errlen, "msgctl(MSG_INFO) failed: %s",
		    errstr(errno));
		return -1;
	}
	/* MSG_INFO reuses msginfo: msgpool = queues, msgmap = messages */
	ks->usage.msg_queues = (uint64_t)mi.msgpool;
	ks->usage.msg_messages = (uint64_t)mi.msgmap;
	ks->usage.msg_bytes = (uint64_t)mi.msgtql;
	return 0;
}

static void
fill_shm(struct shm_obj *o, int id, const struct shmid_ds *ds)
{
	memset(o, 0, sizeof(*o));
	o->perm.id = id;
	o->perm.key = (uint32_t)ds->shm_perm.__key;
	o->perm.mode = ds->shm_perm.mode;
	o->size_bytes = ds->shm_segsz;
	o->cpid = ds->shm_cpid;
	o->lpid = ds->shm_lpid;
	o->nattch = ds->shm_nattch;
	o->perm.uid = ds->shm_perm.uid;
	o->perm.gid = ds->shm_perm.gid;
	o->perm.cuid = ds->shm_perm.cuid;
	o->perm.cgid = ds->shm_perm.cgid;
	o->atime = ds->shm_atime;
	o->dtime = ds->shm_dtime;
	o->ctime = ds->shm_ctime;
}

static void
fill_sem(struct sem_obj *o, int id, const struct semid_ds *ds)
{
	memset(o, 0, sizeof(*o));
	o->perm.id = id;
	o->perm.key = (uint32_t)ds->sem_perm.__key;
	o->perm.mode = ds->sem_perm.mode;
	o->nsems = ds->sem_nsems;
	o->perm.uid = ds->sem_perm.uid;
	o->perm.gid = ds->sem_perm.gid;
	o->perm.cuid = ds->sem_perm.cuid;
	o->perm.cgid = ds->sem_perm.cgid;
	o->otime = ds->sem_otime;
	o->ctime = ds->sem_ctime;
}

static void
fill_msg(struct msg_obj *o, int id, const struct msqid_ds *ds)
{
	memset(o, 0, sizeof(*o));
	o->perm.id = id;
	o->perm.key = (uint32_t)ds->msg_perm.__key;
	o->perm.mode = ds->msg_perm.mode;
	o->cbytes = ds->__msg_cbytes;
	o->qnum = ds->msg_qnum;
	o->has_qbytes = true;
	o->qbytes = ds->msg_qbytes;
	o->lspid = ds->msg_lspid;
	o->lrpid = ds->msg_lrpid;
	o->perm.uid = ds->msg_perm.uid;
	o->perm.gid = ds->msg_perm.gid;
	o->perm.cuid = ds->msg_perm.cuid;
	o->perm.cgid = ds->msg_perm.cgid;
	o->stime = ds->msg_stime;
	o->rtime = ds->msg_rtime;
	o->ctime = ds->msg_ctime;
}

/* Objects through the *_STAT_ANY loops; 1 if unsupported by the kernel. */
static int
stat_any_shm(struct kstate *ks)
{
	struct shminfo si;
	struct shmid_ds ds;
	size_t cap = 0;
	int maxidx, id;

	/* IPC_INFO returns the highest used index without SHM_INFO's walk */
	maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&si);
	if (maxidx < 0)
		return -1;
	for (int i = 0; i <= maxidx; i++) {
		/*
		 * The kernel fills DS, but valgrind (3.19) does not know the
		 * *_STAT_ANY commands and would report every field as
		 * uninitialised: zeroing keeps memcheck useful.
		 */
		memset(&ds, 0, sizeof(ds));
		id = shmctl(i, SHM_STAT_ANY, &ds);
		if (id < 0) {
			/* EINVAL: a free index; EIDRM: removed meanwhile */
			if (errno == EINVAL || errno == EIDRM)
				continue;
			return -1;
		}
		xgrow(&ks->shm, ks->nshm, &cap, sizeof(*ks->shm));
		fill_shm(&ks->shm[ks->nshm++], id, &ds);
	}
	return 0;
}

static int
stat_any_sem(struct kstate *ks)
{
	struct seminfo sem;
	struct semid_ds ds;
	union semun {
		int val;
		struct semid_ds *buf;
		unsigned short *array;
		struct seminfo *__buf;
	} arg;
	size_t cap = 0;
	int maxidx, id;

	arg.__buf = &sem;
	maxidx = semctl(0, 0, IPC_INFO, arg);
	if (maxidx < 0)
		return -1;
	arg.buf = &ds;
	for (int i = 0; i <= maxidx; i++) {
		memset(&ds, 0, sizeof(ds));	/* for valgrind, as above */
		id = semctl(i, 0, SEM_STAT_ANY, arg);
		if (id < 0) {
			/* EINVAL: a free index; EIDRM: removed meanwhile */
			if (errno == EINVAL || errno == EIDRM)
				continue;
			return -1;
		}
		xgrow(&ks->sem, ks->nsem, &cap, sizeof(*ks->sem));
		fill_sem(&ks->sem[ks->nsem++], id, &ds);
	}
	return 0;
}

static int
stat_any_msg(struct kstate *ks)
{
	struct msginfo mi;
	struct msqid_ds ds;
	size_t cap = 0;
	int maxidx, id;

	maxidx = msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&mi);
	if (maxidx < 0)
		return -1;
	for (int i = 0; i <= maxidx; i++) {
		memset(&ds, 0, sizeof(ds));	/* for valgrind, as above */
		id = msgctl(i, MSG_STAT_ANY, &ds);
		if (id < 0) {
			/* EINVAL: a free index; EIDRM: removed meanwhile */
			if (errno == EINVAL || errno == EIDRM)
				continue;
			return -1;
		}
		xgrow(&ks->msg, ks->nmsg, &cap, sizeof(*ks->msg));
		fill_msg(&ks->msg[ks->nmsg++], id, &ds);
	}
	return 0;
}

/* Does this kernel have *_STAT_ANY?  Probe with an index that is unused. */
static bool
have_stat_any(void)
{
	struct shmid_ds ds;

	/* an unsupported cmd is EINVAL too, so probe a real object if any */
	if (shmctl(0, SHM_STAT_ANY, &ds) >= 0)
		return true;
	/* on 4.17+, an out-of-range index gives EINVAL as well; assume yes
	 * on kernels that report a version of 4.17 or later */
	struct utsname u;
	int maj = 0, min = 0;

	if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &maj, &min) == 2)
		return maj > 4 || (maj == 4 && min >= 17);
	return false;
}

static int
read_procfs_table(const struct ksource_opts *o, enum ipc_type t,
    struct kstate *ks, char *err, size_t errlen)
{
	char path[4096], *buf, msg[512];
	size_t len;
	int r = -1;

	snprintf(path, sizeof(path), "%s/proc/sysvipc/%s", prefix(o),
	    ipctype_table[t].name);
	if (infile_read(path, 0, SYSVIPC_MAXLEN, &buf, &len, msg,
	    sizeof(msg)) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot read '%s': %s%s", path,
		    msg, errno_advice(e));
		errno = e;
		return -1;
	}
	switch (t) {
	case IPC_SHM:
		r = procparse_shm(buf, len, &ks->shm, &ks->nshm, msg,
		    sizeof(msg));
		break;
	case IPC_SEM:
		r = procparse_sem(buf, len, &ks->sem, &ks->nsem, msg,
		    sizeof(msg));
		break;
	case IPC_MSG:
		r = procparse_msg(buf, len, &ks->msg, &ks->nmsg, msg,
		    sizeof(msg));
		break;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		snprintf(msg, sizeof(msg), "not a System V object type");
		break;
	}
	free(buf);
	if (r < 0) {
		snprintf(err, errlen, "malformed '%s': %s", path, msg);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Sum usage from objects, the way the kernel charges it (fixture trees). */
static void
sum_usage(struct kstate *ks)
{
	struct ipc_usage *u = &ks->usage;
	uint64_t pg = ks->host.page_size;

	u->shm_segments = ks->nshm;
	u->shm_pages = 0;
	for (size_t i = 0; i < ks->nshm; i++) {
		/* newseg() charges ceil(size / PAGE_SIZE) pages */
		uint64_t p = num_div_ceil_u64(ks->shm[i].size_bytes, pg);

		if (!num_add_u64(u->shm_pages, p, &u->shm_pages))
			u->shm_pages = UINT64_MAX;
		if (ks->shm[i].has_rss) {
			if (!num_add_u64(u->shm_rss_pages,
			    ks->shm[i].rss_bytes / pg, &u->shm_rss_pages))
				u->shm_rss_pages = UINT64_MAX;
			if (!num_add_u64(u->shm_swap_pages,
			    ks->shm[i].swap_bytes / pg, &u->shm_swap_pages))
				u->shm_swap_pages = UINT64_MAX;
		}
	}
	u->sem_arrays = ks->nsem;
	u->sem_sems = 0;
	for (size_t i = 0; i < ks->nsem; i++)
		if (!num_add_u64(u->sem_sems, ks->sem[i].nsems, &u->sem_sems))
			u->sem_sems = UINT64_MAX;
	u->msg_queues = ks->nmsg;
	u->msg_messages = u->msg_bytes = 0;
	for (size_t i = 0; i < ks->nmsg; i++) {
		/* a sum that would wrap saturates, as above */
		if (!num_add_u64(u->msg_messages, ks->msg[i].qnum,
		    &u->msg_messages))
			u->msg_messages = UINT64_MAX;
		if (!num_add_u64(u->msg_bytes, ks->msg[i].cbytes,
		    &u->msg_bytes))
			u->msg_bytes = UINT64_MAX;
	}
}

static int
count_dir_entries(const char *path, uint64_t *out)
{
	struct dirent *de;
	uint64_t n = 0;
	DIR *d;

	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	*out = n;
	return 0;
}

/*
 * Count POSIX message queues of the current IPC namespace: the files of
 * its mqueue fs, which posixipc mounts privately (or finds at
 * /dev/mqueue without the privilege).
 */
static int
count_mqueues(const struct ksource_opts *o, uint64_t *out)
{
	struct posixipc_opts po = { NULL, o->pid, o->ns_path, false };
	struct posix_fs fs;
	struct dirent *de;
	uint64_t n = 0;
	DIR *d;
	int fd = posixipc_open_dir(&po, IPC_PMQ, &fs);

	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	*out = n;
	return 0;
}

static void
read_posix(const struct ksource_opts *o, struct kstate *ks)
{
	char path[4096];
	struct statvfs sv;

	if (o->root != NULL) {
		snprintf(path, sizeof(path), "%s/dev/mqueue", o->root);
		if (count_dir_entries(path, &ks->usage.mq_queues) == 0)
			ks->usage.has_mq_queues = true;
		return;
	}
	if (count_mqueues(o, &ks->usage.mq_queues) == 0)
		ks->usage.has_mq_queues = true;
	struct posixipc_opts po = { NULL, o->pid, o->ns_path, false };
	/* with another namespace file our own /dev/shm is not its users' */
	pid_t pid = posixipc_shm_pid(&po);

	if (pid < 0)
		return;
	if (pid != 0)
		snprintf(path, sizeof(path), "/proc/%d/root/dev/shm",
		    (int)pid);
	else
		snprintf(path, sizeof(path), "/dev/shm");
	if (statvfs(path, &sv) == 0) {
		uint64_t bs = sv.f_frsize ? sv.f_frsize : sv.f_bsize;

		ks->usage.has_dev_shm = true;
		ks->usage.dev_shm_size_bytes = (uint64_t)sv.f_blocks * bs;
		ks->usage.dev_shm_used_bytes =
		    (uint64_t)(sv.f_blocks - sv.f_bfree) * bs;
		/* "/proc/<pid>/root/dev/shm" always fits */
		snprintf(ks->usage.dev_shm_path,
		    sizeof(ks->usage.dev_shm_path), "%.63s", path);
		/* shmem_statfs(): no f_files when nr_inodes=0 (unlimited) */
		ks->usage.has_dev_shm_inodes = sv.f_files > 0;
		ks->usage.dev_shm_inodes = (uint64_t)sv.f_files;
		ks->usage.dev_shm_inodes_used =
		    (uint64_t)(sv.f_files - sv.f_ffree);
	}
}

typedef int (*stat_any_fn)(struct kstate *);

struct loop_job {
	stat_any_fn fn;
	struct kstate *ks;
	int rc, err;
};

static void *
loop_thread(void *arg)
{
	struct loop_job *j = arg;

	j->rc = j->fn(j->ks);
	j->err = errno;
	return NULL;
}

/*
 * Run the *_STAT_ANY loops of the wanted types side by side: each is
 * tens of thousands of syscalls on a large host, each fills only its own
 * array, and the kernel serves the three types under separate locks.
 */
static void
run_loops(const stat_any_fn *fns, struct kstate *ks, unsigned mask,
    int *rc, int *err)
{
	struct loop_job jobs[IPC_NSYSV];
	pthread_t tid[IPC_NSYSV];
	bool started[IPC_NSYSV] = { false };

	for (int i = 0; i < IPC_NSYSV; i++) {
		jobs[i] = (struct loop_job){ fns[i], ks, 0, 0 };
		if (!(mask & (1u << i)))
			continue;
		if (i < IPC_NSYSV - 1 && (mask >> (i + 1)) != 0 &&
		    pthread_create(&tid[i], NULL, loop_thread, &jobs[i]) == 0)
			started[i] = true;
		else
			loop_thread(&jobs[i]);
	}
	for (int i = 0; i < IPC_NSYSV; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		rc[i] = jobs[i].rc;
		err[i] = jobs[i].err;
	}
}

/*
 * Read the object tables WANT asks for.  A *_STAT_ANY loop that fails
 * (an LSM refusing it, say) falls back to /proc/sysvipc under the auto
 * reader, so a partial enumeration is never reported as complete.
 */
static int
read_objects(const struct ksource_opts *o, struct kstate *ks, unsigned want,
    bool procfs, char *err, size_t errlen)
{
	/* the *_STAT_ANY loop of each System V type (enum ipc_type) */
	static const stat_any_fn fns[] = {
		[IPC_SHM] = stat_any_shm,
		[IPC_SEM] = stat_any_sem,
		[IPC_MSG] = stat_any_msg,
	};
	static const char *const calls[] = {
		[IPC_SHM] = "shmctl(SHM_STAT_ANY)",
		[IPC_SEM] = "semctl(SEM_STAT_ANY)",
		[IPC_MSG] = "msgctl(MSG_STAT_ANY)",
	};
	_Static_assert(sizeof(fns) / sizeof(fns[0]) == IPC_NSYSV &&
	    sizeof(calls) / sizeof(calls[0]) == IPC_NSYSV,
	    "fns and calls need one row per System V type");
	int rc[IPC_NSYSV] = { 0 }, errs[IPC_NSYSV] = { 0 };
	unsigned mask = 0;

	for (int i = 0; i < IPC_NSYSV; i++)
		if (want & ipctype_table[i].want)
			mask |= IPC_TYPE_BIT(i);
	if (!procfs)
		run_loops(fns, ks, mask, rc, errs);
	if (want & KS_POSIX_OBJECTS) {
		struct posixipc_opts po = { o->root, o->pid, o->ns_path, true };

		posixipc_read(&po, ks, want & KS_POSIX_OBJECTS);
	}
	for (int i = 0; i < IPC_NSYSV; i++) {
		enum ipc_type t = (enum ipc_type)i;

		if (!(mask & IPC_TYPE_BIT(t)))
			continue;
		if (!procfs && rc[t] < 0) {
			int e = errs[t];

			if (o->reader != KSR_AUTO) {
				snprintf(err, errlen, "%s failed: %s",
				    calls[t], errstr(e));
				errno = e;
				return -1;
			}
			/* drop the partial result, read the text instead */
			ipctype_drop(ks, t);
			if (read_procfs_table(o, t, ks, err, errlen) < 0)
				return -1;
		} else if (procfs && read_procfs_table(o, t, ks, err,
		    errlen) < 0) {
			return -1;
		}
		ipctype_set_has(ks, t);
	}
	return 0;
}

static bool
use_procfs(const struct ksource_opts *o, unsigned want)
{
	if (o->root != NULL || o->reader == KSR_PROCFS)
		return true;
	return o->reader == KSR_AUTO && (want & (KS_OBJECTS)) &&
	    !have_stat_any();
}

int
ksource_read_objects(const struct ksource_opts *o, struct kstate *ks,
    unsigned want, char *err, size_t errlen)
{
	want &= KS_OBJECTS;
	for (int t = 0; t < IPC_NTYPES; t++)
		if (ipctype_has(ks, (enum ipc_type)t))
			want &= ~ipctype_table[t].want;
	if (want == 0)
		return 0;
	return read_objects(o, ks, want, use_procfs(o, want), err, errlen);
}

int
ksource_read(const struct ksource_opts *o, struct kstate *ks, char *err,
    size_t errlen)
{
	unsigned want = o->want;
	bool procfs;

	ks->source = o->root != NULL ? KSRC_ROOT : KSRC_LIVE;
	if (o->root != NULL)
		snprintf(ks->source_detail, sizeof(ks->source_detail), "%s",
		    o->root);
	ks->read_at = (int64_t)time(NULL);
	read_host(o, ks);
	if ((want & KS_SYSCTL) && read_sysctls(o, ks, err, errlen) < 0)
		return -1;
	/* fixture trees have no counters: usage is summed from objects */
	if (o->root != NULL && (want & KS_USAGE))
		want |= KS_OBJECTS;
	procfs = use_procfs(o, want);
	/* the mqueue count forks: do it while the process is small */
	if ((want & KS_USAGE) && o->root == NULL) {
		read_posix(o, ks);
		(void)posixlim_read_mq(o, ks);
		if (read_info_counters(ks, err, errlen) < 0)
			return -1;
	}
	if (read_objects(o, ks, want, procfs, err, errlen) < 0)
		return -1;
	if (want & KS_USAGE) {
		if (o->root != NULL) {
			sum_usage(ks);
			read_posix(o, ks);
		}
		ks->has_usage = true;
	}
	return 0;
}

/* qsort/bsearch order of segments: by shmid. */
static int
shm_by_id(const void *a, const void *b)
{
	const struct shm_obj *x = a, *y = b;

	return (x->perm.id > y->perm.id) - (x->perm.id < y->perm.id);
}

int
ksource_read_shm_rss(const struct ksource_opts *o, struct kstate *ks,
    char *err, size_t errlen)
{
	struct kstate tmp;
	struct shm_obj *t;

	memset(&tmp, 0, sizeof(tmp));
	if (read_procfs_table(o, IPC_SHM, &tmp, err, errlen) < 0)
		return -1;
	qsort(tmp.shm, tmp.nshm, sizeof(*tmp.shm), shm_by_id);
	for (size_t i = 0; i < ks->nshm; i++) {
		struct shm_obj *s = &ks->shm[i];

		if (s->has_rss || tmp.nshm == 0)
			continue;
		t = bsearch(s, tmp.shm, tmp.nshm, sizeof(*tmp.shm),
		    shm_by_id);
		/* removed and re-created in between: not the same segment */
		if (t == NULL || t->perm.key != s->perm.key ||
		    t->ctime != s->ctime || !t->has_rss)
			continue;
		s->has_rss = true;
		s->rss_bytes = t->rss_bytes;
		s->swap_bytes = t->swap_bytes;
	}
	free(tmp.shm);
	return 0;
}

/*
 * The index of ID in the namespace's IDR: ipc_buildid() puts the
 * sequence number above IPCMNI_SHIFT (15, or 24 with ipcmni_extend).
 */
static int
id_index(int id, bool extend)
{
	return id & (int)((extend ? IPC_MNI_EXTEND : IPC_MNI_DEFAULT) - 1);
}

int
ksource_stat_shm(int id, bool ipcmni_extend, struct shm_obj *o)
{
	struct shmid_ds ds;
	int r;

	if (shmctl(id, IPC_STAT, &ds) == 0) {
		fill_shm(o, id, &ds);
		return 0;
	}
	if (errno != EACCES)
		return -1;
	/* no read permission: SHM_STAT_ANY by index names the id it found */
	/* valgrind does not know *_STAT_ANY fills the buffer */
	memset(&ds, 0, sizeof(ds));
	r = shmctl(id_index(id, ipcmni_extend), SHM_STAT_ANY, &ds);
	if (r < 0)
		return -1;
	if (r != id) {
		errno = EIDRM;
		return -1;
	}
	fill_shm(o, id, &ds);
	return 0;
}

int
ksource_stat_sem(int id, bool ipcmni_extend, struct sem_obj *o)
{
	struct semid_ds ds;
	union semun {
		int val;
		struct semid_ds *buf;
		unsigned short *array;
	} arg;
	int r;

	arg.buf = &ds;
	if (semctl(id, 0, IPC_STAT, arg) == 0) {
		fill_sem(o, id, &ds);
		return 0;
	}
	if (errno != EACCES)
		return -1;
	memset(&ds, 0, sizeof(ds));
	r = semctl(id_index(id, ipcmni_extend), 0, SEM_STAT_ANY, arg);
	if (r < 0)
		return -1;
	if (r != id) {
		errno = EIDRM;
		return -1;
	}
	fill_sem(o, id, &ds);
	return 0;
}

int
ksource_stat_msg(int id, bool ipcmni_extend, struct msg_obj *o)
{
	struct msqid_ds ds;
	int r;

	if (msgctl(id, IPC_STAT, &ds) == 0) {
		fill_msg(o, id, &ds);
		return 0;
	}
	if (errno != EACCES)
		return -1;
	memset(&ds, 0, sizeof(ds));
	r = msgctl(id_index(id, ipcmni_extend), MSG_STAT_ANY, &ds);
	if (r < 0)
		return -1;
	if (r != id) {
		errno = EIDRM;
		return -1;
	}
	fill_msg(o, id, &ds);
	return 0;
}
