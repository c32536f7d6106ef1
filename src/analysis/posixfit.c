/*
 * posixfit.c: predicts shm_open plus sizing a file in the /dev/shm tmpfs,
 * and mq_open of queues with given attributes, by replaying the kernel's
 * checks in its order: mqueue_create_attr() (queues_max) and then
 * mqueue_get_inode() (attributes, overflow, RLIMIT_MSGQUEUE), ipc/mqueue.c;
 * shmem_get_inode() and shmem_alloc_folio() for tmpfs (mm/shmem.c).
 * Pure: it reads a const kstate and fills a result; it prints nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "numparse.h"
#include "posixfit.h"

const struct posixfit_cause_desc posixfit_cause_table[PFIT_NCAUSES] = {
	[PFIT_OK] = { "ok", 0, "", NULL, NULL, "" },
	[PFIT_SHM_INODES] = { "dev_shm_inodes", 28, "ENOSPC", NULL,
	    "nr_inodes", "inodes" },
	[PFIT_SHM_SPACE] = { "dev_shm_size", 28, "ENOSPC", NULL, "size",
	    "bytes" },
	[PFIT_MQ_QUEUES_MAX] = { "mqueue_queues_max", 28, "ENOSPC",
	    "fs.mqueue.queues_max", "queues_max", "queues" },
	[PFIT_MQ_ATTR_ZERO] = { "mqueue_attr_zero", 22, "EINVAL", NULL, NULL,
	    "" },
	[PFIT_MQ_MSG_MAX] = { "mqueue_msg_max", 22, "EINVAL",
	    "fs.mqueue.msg_max", "msg_max", "messages" },
	[PFIT_MQ_MSGSIZE_MAX] = { "mqueue_msgsize_max", 22, "EINVAL",
	    "fs.mqueue.msgsize_max", "msgsize_max", "bytes" },
	[PFIT_MQ_HARD_MSGMAX] = { "mqueue_hard_msgmax", 22, "EINVAL", NULL,
	    "HARD_MSGMAX", "messages" },
	[PFIT_MQ_HARD_MSGSIZEMAX] = { "mqueue_hard_msgsizemax", 22, "EINVAL",
	    NULL, "HARD_MSGSIZEMAX", "bytes" },
	[PFIT_MQ_OVERFLOW] = { "mqueue_overflow", 75, "EOVERFLOW", NULL,
	    "ULONG_MAX", "bytes" },
	[PFIT_MQ_RLIMIT] = { "mqueue_rlimit", 24, "EMFILE", NULL,
	    "RLIMIT_MSGQUEUE", "bytes" },
};

const char *const posixfit_call_names[PFIT_NCALLS] = {
	[PFIT_SHM_OPEN] = "shm_open", [PFIT_MQ_OPEN] = "mq_open",
};

static void
fail_at(struct posixfit_call_result *c, uint64_t k, enum posixfit_cause why,
    uint64_t have, uint64_t need, uint64_t limit)
{
	c->succeeded = k;
	c->cause = why;
	c->have = have;
	c->need = need;
	c->limit = limit;
}

/*
 * A file of N bytes: shm_open() takes an inode (shmem_reserve_inode():
 * ENOSPC when none is free), and each page it is given takes a block of
 * the tmpfs (shmem_inode_acct_blocks(): ENOSPC for fallocate and write,
 * VM_FAULT_SIGBUS for a fault on a mapped page).
 */
static int
predict_shm(const struct kstate *ks, const struct posixfit_request *req,
    struct posixfit_result *res, char *err, size_t errlen)
{
	const struct ipc_usage *u = &ks->usage;
	struct posixfit_call_result *c = &res->call[PFIT_SHM_OPEN];
	uint64_t pg = res->page_size;

	if (!ks->has_usage || !u->has_dev_shm) {
		snprintf(err, errlen, "cannot predict: the /dev/shm tmpfs "
		    "was not read (with --ns, use --pid)");
		return -1;
	}
	snprintf(res->fs_path, sizeof(res->fs_path), "%s",
	    u->dev_shm_path[0] ? u->dev_shm_path : "/dev/shm");
	c->requested = true;
	c->attempts = 1;
	res->fs_size = u->dev_shm_size_bytes;
	res->fs_used = u->dev_shm_used_bytes;
	res->fs_has_inodes = u->has_dev_shm_inodes;
	res->fs_inodes = u->dev_shm_inodes;
	res->fs_inodes_used = u->dev_shm_inodes_used;
	res->shm_bytes = req->shm_bytes;
	res->shm_need_bytes = num_div_ceil_u64(req->shm_bytes, pg) * pg;
	if (res->shm_need_bytes < req->shm_bytes)
		res->shm_need_bytes = UINT64_MAX;
	c->succeeded = 1;
	if (u->has_dev_shm_inodes && u->dev_shm_inodes_used >=
	    u->dev_shm_inodes) {
		fail_at(c, 0, PFIT_SHM_INODES, u->dev_shm_inodes_used, 1,
		    u->dev_shm_inodes);
		c->has_fix = true;
		c->fix_needed = u->dev_shm_inodes_used + 1;
		c->fix_raisable = true;
	} else if (res->shm_need_bytes > res->fs_size ||
	    res->fs_used > res->fs_size - res->shm_need_bytes) {
		fail_at(c, 0, PFIT_SHM_SPACE, res->fs_used,
		    res->shm_need_bytes, res->fs_size);
		c->has_fix = true;
		c->fix_raisable = res->fs_used <= UINT64_MAX -
		    res->shm_need_bytes;
		c->fix_needed = c->fix_raisable ? res->fs_used +
		    res->shm_need_bytes : UINT64_MAX;
	}
	return 0;
}

/* The attribute checks of mqueue_get_inode(), for every queue alike. */
static enum posixfit_cause
mq_attr_cause(const struct kstate *ks, const struct posixfit_request *req,
    uint64_t *limit)
{
	const struct sysctl_value *sv = ks->sysctl;
	uint64_t n = req->mq_maxmsg, sz = req->mq_msgsize;

	if (req->mq_default_attr)
		return PFIT_OK;
	if (n == 0 || sz == 0)
		return PFIT_MQ_ATTR_ZERO;
	if (req->caller_sys_resource) {
		*limit = n > MQ_HARD_MSGMAX ? MQ_HARD_MSGMAX :
		    MQ_HARD_MSGSIZEMAX;
		return n > MQ_HARD_MSGMAX ? PFIT_MQ_HARD_MSGMAX :
		    sz > MQ_HARD_MSGSIZEMAX ? PFIT_MQ_HARD_MSGSIZEMAX :
		    PFIT_OK;
	}
	if (n > sv[SC_MQ_MSG_MAX].v[0]) {
		*limit = sv[SC_MQ_MSG_MAX].v[0];
		return PFIT_MQ_MSG_MAX;
	}
	if (sz > sv[SC_MQ_MSGSIZE_MAX].v[0]) {
		*limit = sv[SC_MQ_MSGSIZE_MAX].v[0];
		return PFIT_MQ_MSGSIZE_MAX;
	}
	return PFIT_OK;
}

/* The attributes a queue gets: given, or min(*_max, *_default). */
static void
mq_attrs(const struct kstate *ks, const struct posixfit_request *req,
    struct posixfit_result *res)
{
	const struct sysctl_value *sv = ks->sysctl;

	res->mq_maxmsg = req->mq_maxmsg;
	res->mq_msgsize = req->mq_msgsize;
	if (!req->mq_default_attr)
		return;
	res->mq_maxmsg = sv[SC_MQ_MSG_MAX].v[0] < sv[SC_MQ_MSG_DEFAULT].v[0] ?
	    sv[SC_MQ_MSG_MAX].v[0] : sv[SC_MQ_MSG_DEFAULT].v[0];
	res->mq_msgsize = sv[SC_MQ_MSGSIZE_MAX].v[0] <
	    sv[SC_MQ_MSGSIZE_DEFAULT].v[0] ? sv[SC_MQ_MSGSIZE_MAX].v[0] :
	    sv[SC_MQ_MSGSIZE_DEFAULT].v[0];
}

/* The caller's charge now, from the queues that could be opened. */
static void
mq_charge_before(const struct kstate *ks, struct posixfit_result *res)
{
	const struct mq_charges *mq = &ks->usage.mq;

	res->caller_uid = mq->caller_uid;
	res->rlimit = mq->rlimit;
	for (size_t i = 0; i < mq->nusers; i++)
		if (mq->users[i].uid == mq->caller_uid) {
			res->charge_before = mq->users[i].bytes;
			res->charge_partial = mq->users[i].unreadable > 0;
		}
	if (mq->users_truncated)
		res->charge_partial = true;
}

/* The first of the queues that RLIMIT_MSGQUEUE refuses (0-based). */
static uint64_t
mq_rlimit_index(const struct posixfit_result *res)
{
	if (res->rlimit == UINT64_MAX)
		return UINT64_MAX;
	if (res->charge_before > res->rlimit)
		return 0;
	return (res->rlimit - res->charge_before) / res->cost.total;
}

static int
mq_check_input(const struct kstate *ks, char *err, size_t errlen)
{
	const struct sysctl_value *sv = ks->sysctl;
	const struct mq_charges *mq = &ks->usage.mq;

	if (ks->source != KSRC_LIVE) {
		snprintf(err, errlen, "cannot predict mq_open: the caller's "
		    "RLIMIT_MSGQUEUE and queues are read from the live "
		    "system only");
		return -1;
	}
	if (!sv[SC_MQ_QUEUES_MAX].present || !sv[SC_MQ_MSG_MAX].present ||
	    !sv[SC_MQ_MSGSIZE_MAX].present || !sv[SC_MQ_MSG_DEFAULT].present ||
	    !sv[SC_MQ_MSGSIZE_DEFAULT].present) {
		snprintf(err, errlen, "cannot predict mq_open: fs.mqueue.* "
		    "was not read (a kernel without CONFIG_POSIX_MQUEUE?)");
		return -1;
	}
	if (!ks->has_usage || !ks->usage.has_mq_queues || !mq->has_attrs ||
	    !mq->has_rlimit) {
		snprintf(err, errlen, "cannot predict mq_open: the queues "
		    "in use could not be read (run as root, or mount the "
		    "mqueue fs at /dev/mqueue)");
		return -1;
	}
	return 0;
}

static int
predict_mq(const struct kstate *ks, const struct posixfit_request *req,
    struct posixfit_result *res, char *err, size_t errlen)
{
	struct posixfit_call_result *c = &res->call[PFIT_MQ_OPEN];
	uint64_t kq, kr, lim = 0, n = req->mq_count;
	enum posixfit_cause attr;

	if (mq_check_input(ks, err, errlen) < 0)
		return -1;
	c->requested = true;
	c->attempts = c->succeeded = n;
	mq_attrs(ks, req, res);
	mq_charge_before(ks, res);
	res->queues_used = ks->usage.mq_queues;
	res->queues_max = ks->sysctl[SC_MQ_QUEUES_MAX].v[0];
	/* mqueue_create_attr(): skipped with CAP_SYS_RESOURCE */
	kq = req->caller_sys_resource ? UINT64_MAX :
	    res->queues_used >= res->queues_max ? 0 :
	    res->queues_max - res->queues_used;
	attr = mq_attr_cause(ks, req, &lim);
	if (attr == PFIT_OK && !mqacct_cost(res->mq_maxmsg, res->mq_msgsize,
	    &res->cost))
		attr = PFIT_MQ_OVERFLOW;
	if (kq == 0 || (kq < n && attr == PFIT_OK && kq <=
	    mq_rlimit_index(res))) {
		fail_at(c, kq, PFIT_MQ_QUEUES_MAX, res->queues_used + kq, 1,
		    res->queues_max);
		c->has_fix = c->fix_raisable = true;
		c->fix_needed = res->queues_used + n;
		return 0;
	}
	if (attr != PFIT_OK) {
		fail_at(c, 0, attr, 0, attr == PFIT_MQ_MSG_MAX ||
		    attr == PFIT_MQ_HARD_MSGMAX ? res->mq_maxmsg :
		    res->mq_msgsize, lim);
		c->has_fix = attr == PFIT_MQ_MSG_MAX ||
		    attr == PFIT_MQ_MSGSIZE_MAX;
		c->fix_needed = c->need;
		c->fix_raisable = c->need <= (attr == PFIT_MQ_MSG_MAX ?
		    MQ_HARD_MSGMAX : MQ_HARD_MSGSIZEMAX);
		return 0;
	}
	kr = mq_rlimit_index(res);
	if (kr < n) {
		fail_at(c, kr, PFIT_MQ_RLIMIT, res->charge_before +
		    kr * res->cost.total, res->cost.total, res->rlimit);
		c->has_fix = c->fix_raisable = true;
		if (!num_mul_u64(n, res->cost.total, &c->fix_needed) ||
		    c->fix_needed > UINT64_MAX - res->charge_before)
			c->fix_needed = UINT64_MAX;
		else
			c->fix_needed += res->charge_before;
	}
	return 0;
}

int
posixfit_predict(const struct kstate *ks,
    const struct posixfit_request *req, struct posixfit_result *res,
    char *err, size_t errlen)
{
	memset(res, 0, sizeof(*res));
	res->page_size = ks->host.page_size ? ks->host.page_size : 4096;
	if (req->has_shm && predict_shm(ks, req, res, err, errlen) < 0)
		return -1;
	if (req->has_mq && predict_mq(ks, req, res, err, errlen) < 0)
		return -1;
	res->fits = true;
	for (int i = 0; i < PFIT_NCALLS; i++)
		if (res->call[i].requested && res->call[i].cause != PFIT_OK)
			res->fits = false;
	return 0;
}

/* "the 3rd of 5 queues" or "the queue", for the texts. */
static void
which_call(const struct posixfit_call_result *c, const char *noun,
    char *buf, size_t len)
{
	if (c->attempts <= 1)
		snprintf(buf, len, "the %s", noun);
	else
		snprintf(buf, len, "%s %" PRIu64 " of %" PRIu64, noun,
		    c->succeeded + 1, c->attempts);
}

static void
explain_shm(const struct posixfit_result *res, char *buf, size_t len)
{
	const struct posixfit_call_result *c = &res->call[PFIT_SHM_OPEN];

	if (c->cause == PFIT_SHM_INODES)
		snprintf(buf, len, "shm_open fails with ENOSPC (No space left "
		    "on device): the tmpfs at %s has all its %" PRIu64
		    " inodes in use", res->fs_path, res->fs_inodes);
	else if (!c->fix_raisable)
		snprintf(buf, len, "a file of %" PRIu64 " bytes fits in no "
		    "tmpfs", res->shm_bytes);
	else
		snprintf(buf, len, "a file of %" PRIu64 " bytes (%" PRIu64
		    " bytes in %" PRIu64 "-byte pages) does not fit in the "
		    "tmpfs at %s: %" PRIu64 " of its %" PRIu64 " bytes are "
		    "used, and %" PRIu64 " + %" PRIu64 " = %" PRIu64 " > %"
		    PRIu64 "; posix_fallocate and write fail with ENOSPC, and "
		    "a process that touches its mapped pages past the free "
		    "space dies of SIGBUS", res->shm_bytes, res->shm_need_bytes,
		    res->page_size, res->fs_path, res->fs_used, res->fs_size,
		    res->fs_used, res->shm_need_bytes, c->fix_needed,
		    res->fs_size);
}

/* "10 * 8192 + (10 * 48 + min(10, 32768) * 48) = 82880" */
static void
cost_text(const struct posixfit_result *res, char *buf, size_t len)
{
	snprintf(buf, len, "mq_maxmsg * mq_msgsize + overhead = %" PRIu64
	    " * %" PRIu64 " + (%" PRIu64 " * %u + min(%" PRIu64 ", %u) * %u)"
	    " = %" PRIu64 " bytes", res->mq_maxmsg, res->mq_msgsize,
	    res->mq_maxmsg, MQ_MSG_MSG_SIZE, res->mq_maxmsg,
	    MQ_PRIO_MAX_KERNEL, MQ_TREE_NODE_SIZE, res->cost.total);
}

static void
explain_mq(const struct posixfit_result *res, char *buf, size_t len)
{
	const struct posixfit_call_result *c = &res->call[PFIT_MQ_OPEN];
	const struct posixfit_cause_desc *d = &posixfit_cause_table[c->cause];
	char q[64], cost[256];

	which_call(c, "queue", q, sizeof(q));
	switch (c->cause) {
	case PFIT_MQ_QUEUES_MAX:
		snprintf(buf, len, "mq_open(O_CREAT) of %s fails with ENOSPC "
		    "(No space left on device): this IPC namespace holds %"
		    PRIu64 " queues and fs.mqueue.queues_max is %" PRIu64
		    " (only CAP_SYS_RESOURCE passes it)", q, c->have,
		    c->limit);
		break;
	case PFIT_MQ_ATTR_ZERO:
		snprintf(buf, len, "mq_open fails with EINVAL: mq_maxmsg and "
		    "mq_msgsize must both be above 0");
		break;
	case PFIT_MQ_MSG_MAX:
	case PFIT_MQ_MSGSIZE_MAX:
	case PFIT_MQ_HARD_MSGMAX:
	case PFIT_MQ_HARD_MSGSIZEMAX:
		snprintf(buf, len, "mq_open fails with EINVAL (Invalid "
		    "argument): %s %" PRIu64 " is above %s %" PRIu64 "%s",
		    c->cause == PFIT_MQ_MSG_MAX || c->cause ==
		    PFIT_MQ_HARD_MSGMAX ? "mq_maxmsg" : "mq_msgsize", c->need,
		    d->sysctl != NULL ? d->sysctl : d->limit, c->limit,
		    d->sysctl != NULL ? " (a caller with CAP_SYS_RESOURCE "
		    "may go up to HARD_MSGMAX 65536 and HARD_MSGSIZEMAX "
		    "16777216)" : ", the kernel's hard cap even with "
		    "CAP_SYS_RESOURCE");
		break;
	case PFIT_MQ_OVERFLOW:
		snprintf(buf, len, "mq_open fails with EOVERFLOW: mq_maxmsg * "
		    "mq_msgsize plus the overhead does not fit an unsigned "
		    "long");
		break;
	case PFIT_MQ_RLIMIT:
		cost_text(res, cost, sizeof(cost));
		snprintf(buf, len, "mq_open of %s fails with EMFILE (Too many "
		    "open files): each queue charges %s; uid %u is charged %"
		    PRIu64 " bytes by then, and %" PRIu64 " + %" PRIu64 " > "
		    "RLIMIT_MSGQUEUE %" PRIu64 "%s", q, cost,
		    (unsigned)res->caller_uid, c->have, c->have, c->need,
		    c->limit, res->charge_partial ? " (some of its queues "
		    "could not be opened and are not counted)" : "");
		break;
	case PFIT_OK:
	case PFIT_SHM_INODES:
	case PFIT_SHM_SPACE:
	case PFIT_NCAUSES:
		buf[0] = '\0';
		break;
	}
}

void
posixfit_explain(const struct posixfit_result *res, enum posixfit_call c,
    char *buf, size_t len)
{
	buf[0] = '\0';
	if (!res->call[c].requested || res->call[c].cause == PFIT_OK)
		return;
	if (c == PFIT_SHM_OPEN)
		explain_shm(res, buf, len);
	else
		explain_mq(res, buf, len);
}

static void
advise_shm(const struct posixfit_result *res, char *buf, size_t len)
{
	const struct posixfit_call_result *c = &res->call[PFIT_SHM_OPEN];
	uint64_t kib = num_div_ceil_u64(c->fix_needed, 1024);
	uint64_t mib = num_div_ceil_u64(c->fix_needed, 1048576);

	if (c->cause == PFIT_SHM_INODES)
		snprintf(buf, len, "remove leaked files from %s, or raise its "
		    "inodes to at least %" PRIu64 ": mount -o remount,"
		    "nr_inodes=%" PRIu64 " %s", res->fs_path, c->fix_needed,
		    c->fix_needed, res->fs_path);
	else if (!c->fix_raisable)
		snprintf(buf, len, "no tmpfs holds a file of that size");
	else
		snprintf(buf, len, "free %" PRIu64 " bytes in %s (leaked "
		    "files), or make it at least %" PRIu64 " bytes: on a "
		    "host mount -o remount,size=%" PRIu64 "k %s; in a "
		    "container docker/podman run --shm-size=%" PRIu64 "m "
		    "(compose shm_size:)", res->fs_used + res->shm_need_bytes -
		    res->fs_size, res->fs_path, c->fix_needed, kib,
		    res->fs_path, mib);
}

static void
advise_mq(const struct posixfit_result *res, char *buf, size_t len)
{
	const struct posixfit_call_result *c = &res->call[PFIT_MQ_OPEN];

	switch (c->cause) {
	case PFIT_MQ_QUEUES_MAX:
		snprintf(buf, len, "raise fs.mqueue.queues_max to at least %"
		    PRIu64 " (sysctl -w fs.mqueue.queues_max=%" PRIu64
		    "), or remove unused queues", c->fix_needed,
		    c->fix_needed);
		break;
	case PFIT_MQ_MSG_MAX:
	case PFIT_MQ_MSGSIZE_MAX:
		snprintf(buf, len, "%s %s to at least %" PRIu64 " (sysctl -w "
		    "%s=%" PRIu64 "), or ask for smaller queues",
		    c->fix_raisable ? "raise" : "cannot raise",
		    posixfit_cause_table[c->cause].sysctl, c->fix_needed,
		    posixfit_cause_table[c->cause].sysctl, c->fix_needed);
		break;
	case PFIT_MQ_RLIMIT:
		snprintf(buf, len, "raise RLIMIT_MSGQUEUE of the process that "
		    "opens them to at least %" PRIu64 " bytes: ulimit -q %"
		    PRIu64 " in its shell (bash counts bytes), "
		    "LimitMSGQUEUE=%" PRIu64 " in its systemd unit, or a "
		    "msgqueue line in /etc/security/limits.conf; or make "
		    "the queues smaller", c->fix_needed, c->fix_needed,
		    c->fix_needed);
		break;
	case PFIT_MQ_ATTR_ZERO:
		snprintf(buf, len, "give mq_maxmsg and mq_msgsize of at least 1, "
		    "or pass attr NULL for fs.mqueue.msg_default and "
		    "msgsize_default");
		break;
	case PFIT_MQ_HARD_MSGMAX:
	case PFIT_MQ_HARD_MSGSIZEMAX:
	case PFIT_MQ_OVERFLOW:
		snprintf(buf, len, "ask for smaller mq_maxmsg and mq_msgsize");
		break;
	case PFIT_OK:
	case PFIT_SHM_INODES:
	case PFIT_SHM_SPACE:
	case PFIT_NCAUSES:
		buf[0] = '\0';
		break;
	}
}

void
posixfit_advise(const struct posixfit_result *res, enum posixfit_call c,
    char *buf, size_t len)
{
	buf[0] = '\0';
	if (!res->call[c].requested || res->call[c].cause == PFIT_OK)
		return;
	if (c == PFIT_SHM_OPEN)
		advise_shm(res, buf, len);
	else
		advise_mq(res, buf, len);
}
