/*
 * posixlim.c: reads the POSIX message queues' charge against
 * RLIMIT_MSGQUEUE.  Each queue is opened O_RDONLY|O_NONBLOCK by a forked
 * child, its attributes read with mq_getattr() and the charge computed as
 * the kernel does (mqacct.c); the child never receives a message and
 * never touches the host's mounts.  It decides nothing and prints nothing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "mqacct.h"
#include "mqmount.h"
#include "posixlim.h"

/* The row of UID in MQ, added when there is room. */
static struct mq_charge *
user_row(struct mq_charges *mq, uid_t uid)
{
	for (size_t i = 0; i < mq->nusers; i++)
		if (mq->users[i].uid == uid)
			return &mq->users[i];
	if (mq->nusers == MQ_CHARGE_USERS) {
		mq->users_truncated = true;
		return NULL;
	}
	mq->users[mq->nusers].uid = uid;
	return &mq->users[mq->nusers++];
}

/* Open queue NAME read-only and add its charge to MQ. */
static void
add_queue(struct mq_charges *mq, const char *name, uid_t uid)
{
	struct mq_charge *u = user_row(mq, uid);
	struct mq_attr a;
	struct mq_cost c;
	char qname[NAME_MAX + 2];
	mqd_t q;

	snprintf(qname, sizeof(qname), "/%s", name);
	q = mq_open(qname, O_RDONLY | O_NONBLOCK);
	if (q == (mqd_t)-1 || mq_getattr(q, &a) < 0 || a.mq_maxmsg <= 0 ||
	    a.mq_msgsize <= 0 || !mqacct_cost((uint64_t)a.mq_maxmsg,
	    (uint64_t)a.mq_msgsize, &c)) {
		if (q != (mqd_t)-1)
			mq_close(q);
		mq->unreadable++;
		if (u != NULL)
			u->unreadable++;
		return;
	}
	mq_close(q);
	if ((uint64_t)a.mq_maxmsg > mq->max_maxmsg)
		mq->max_maxmsg = (uint64_t)a.mq_maxmsg;
	if ((uint64_t)a.mq_msgsize > mq->max_msgsize)
		mq->max_msgsize = (uint64_t)a.mq_msgsize;
	if (u != NULL) {
		u->queues++;
		u->bytes += c.total;
	}
}

static int
scan_dir(const char *path, struct mq_charges *mq)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
			mq->unreadable++;
			continue;
		}
		add_queue(mq, de->d_name, st.st_uid);
	}
	closedir(d);
	return 0;
}

/* In the child: find or mount this namespace's mqueue fs, scan it. */
static int
child_scan(bool own_ns, struct mq_charges *mq)
{
	const char *dir;
	struct statfs sfs;

	if (mqmount_private(&dir) == 0)
		return scan_dir(dir, mq);
	/* a mounted /dev/mqueue shows the namespace it was mounted in */
	if (own_ns && statfs("/dev/mqueue", &sfs) == 0 &&
	    (unsigned long)sfs.f_type == MQMOUNT_MAGIC)
		return scan_dir("/dev/mqueue", mq);
	return -1;
}

static void
sort_users(struct mq_charges *mq)
{
	for (size_t i = 1; i < mq->nusers; i++)
		for (size_t j = i; j > 0 &&
		    mq->users[j].bytes > mq->users[j - 1].bytes; j--) {
			struct mq_charge t = mq->users[j];

			mq->users[j] = mq->users[j - 1];
			mq->users[j - 1] = t;
		}
}

static int
read_child(pid_t pid, int fd, struct mq_charges *mq)
{
	struct mq_charges got;
	size_t off = 0;
	int status = 0;
	pid_t w;

	while (off < sizeof(got)) {
		ssize_t r = read(fd, (char *)&got + off, sizeof(got) - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	do {
		w = waitpid(pid, &status, 0);
	} while (w < 0 && errno == EINTR);
	/* with SIGCHLD ignored the child is reaped for us: ECHILD */
	if (off != sizeof(got) || (w >= 0 && (!WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0))) {
		errno = EIO;
		return -1;
	}
	got.has_rlimit = mq->has_rlimit;
	got.caller_uid = mq->caller_uid;
	got.rlimit = mq->rlimit;
	*mq = got;
	mq->has_attrs = true;
	sort_users(mq);
	return 0;
}

int
posixlim_read_mq(const struct ksource_opts *o, struct kstate *ks)
{
	struct mq_charges *mq = &ks->usage.mq;
	struct rlimit rl;
	int fds[2];
	pid_t pid;

	mq->caller_uid = getuid();
	if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0) {
		mq->has_rlimit = true;
		mq->rlimit = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX :
		    (uint64_t)rl.rlim_cur;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		struct mq_charges got;

		close(fds[0]);
		memset(&got, 0, sizeof(got));
		if (child_scan(o->pid == 0 && o->ns_path == NULL, &got) < 0)
			_exit(1);
		if (write(fds[1], &got, sizeof(got)) != (ssize_t)sizeof(got))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	return read_child(pid, fds[0], mq);
}

bool
posixlim_cap_sys_resource(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return (d[CAP_SYS_RESOURCE / 32].effective &
	    (1u << (CAP_SYS_RESOURCE % 32))) != 0;
}
