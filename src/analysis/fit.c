/*
 * fit.c: predicts the kernel's answer to shmget, semget, semop, msgget and
 * msgsnd by replaying the kernel's checks in the kernel's order (ipc/shm.c
 * newseg(), ipc/sem.c ksys_semget()/newary()/do_semtimedop(), ipc/msg.c
 * newque()/do_msgsnd(), ipc/util.c ipc_addid(), and for a key
 * ipcget_public() with shm_more_checks(), sem_more_checks() and
 * ipcperms()).  Pure: it reads a const
 * kstate and fills a result; it never touches the system or prints.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fit.h"
#include "numparse.h"

#define INT_LIMIT 2147483647ull
/*
 * MAX_LFS_FILESIZE on 64-bit kernels: newseg() hands the size to
 * shmem_kernel_file_setup() as a loff_t, and __shmem_file_setup() refuses
 * a size above it (negative as a loff_t) with EINVAL.  That comes after
 * the shmall check and before ipc_addid().
 */
#define SHM_FILE_MAX 9223372036854775807ull

const struct fit_cause_desc fit_cause_table[FIT_NCAUSES] = {
	[FIT_OK] = { "ok", 0, "", NULL, NULL, "" },
	[FIT_SHM_SIZE_ZERO] = { "shm_size_zero", 22, "EINVAL", NULL,
	    "SHMMIN", "bytes" },
	[FIT_SHMMAX] = { "shmmax", 22, "EINVAL", "kernel.shmmax", "shmmax",
	    "bytes" },
	[FIT_SHM_OVERFLOW] = { "shm_size_overflow", 28, "ENOSPC", NULL,
	    "ULONG_MAX", "bytes" },
	[FIT_SHMALL] = { "shmall", 28, "ENOSPC", "kernel.shmall", "shmall",
	    "pages" },
	[FIT_SHM_FILE_SIZE] = { "shm_size_file_max", 22, "EINVAL", NULL,
	    "MAX_LFS_FILESIZE", "bytes" },
	[FIT_SHMMNI] = { "shmmni", 28, "ENOSPC", "kernel.shmmni", "shmmni",
	    "segments" },
	[FIT_SEMMSL] = { "semmsl", 22, "EINVAL", "kernel.sem", "SEMMSL",
	    "semaphores" },
	[FIT_SEM_ZERO] = { "sem_nsems_zero", 22, "EINVAL", NULL, NULL,
	    "semaphores" },
	[FIT_SEMMNS] = { "semmns", 28, "ENOSPC", "kernel.sem", "SEMMNS",
	    "semaphores" },
	[FIT_SEMMNI] = { "semmni", 28, "ENOSPC", "kernel.sem", "SEMMNI",
	    "arrays" },
	[FIT_SEMOPM] = { "semopm", 7, "E2BIG", "kernel.sem", "SEMOPM",
	    "operations" },
	[FIT_SEMOP_ZERO] = { "semop_nsops_zero", 22, "EINVAL", NULL, NULL,
	    "operations" },
	[FIT_MSGMNI] = { "msgmni", 28, "ENOSPC", "kernel.msgmni", "msgmni",
	    "queues" },
	[FIT_MSGMAX] = { "msgmax", 22, "EINVAL", "kernel.msgmax", "msgmax",
	    "bytes" },
	[FIT_MSGMNB] = { "msgmnb", 11, "EAGAIN", "kernel.msgmnb", "msgmnb",
	    "bytes" },
	[FIT_MSG_QUEUE_FULL] = { "queue_full", 11, "EAGAIN", NULL,
	    "msg_qbytes", "bytes" },
	[FIT_KEY_ENOENT] = { "key_missing", 2, "ENOENT", NULL, "IPC_CREAT",
	    "objects" },
	[FIT_KEY_EEXIST] = { "key_exists", 17, "EEXIST", NULL, "IPC_EXCL",
	    "objects" },
	[FIT_KEY_SHM_SIZE] = { "key_segment_smaller", 22, "EINVAL", NULL,
	    "segment size", "bytes" },
	[FIT_KEY_SEM_NSEMS] = { "key_array_smaller", 22, "EINVAL", NULL,
	    "array nsems", "semaphores" },
	[FIT_KEY_EACCES] = { "key_permission", 13, "EACCES", NULL, "mode",
	    "mode bits" },
};

const char *const fit_call_names[FIT_NCALLS] = {
	[FIT_SHMGET] = "shmget",
	[FIT_SEMGET] = "semget",
	[FIT_SEMOP] = "semop",
	[FIT_MSGGET] = "msgget",
	[FIT_MSGSND] = "msgsnd",
};

const struct fit_call_type fit_call_types[FIT_NCALLS] = {
	[FIT_SHMGET] = { IPC_SHM, true },
	[FIT_SEMGET] = { IPC_SEM, true },
	[FIT_SEMOP] = { IPC_SEM, false },
	[FIT_MSGGET] = { IPC_MSG, true },
	[FIT_MSGSND] = { IPC_MSG, false },
};

/* The C library's text for each errno the kernel can give here. */
static const char *
errtext(int e)
{
	switch (e) {
	case 2:
		return "No such file or directory";
	case 13:
		return "Permission denied";
	case 17:
		return "File exists";
	case 7:
		return "Argument list too long";
	case 11:
		return "Resource temporarily unavailable";
	case 22:
		return "Invalid argument";
	case 28:
		return "No space left on device";
	default:
		return "";
	}
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void
add_fix(struct fit_call_result *c, enum fit_cause cause, uint64_t current,
    uint64_t needed, bool raisable, bool can_free, uint64_t free_amount)
{
	struct fit_fix *f;

	if (c->nfixes >= FIT_MAX_FIXES)
		return;
	f = &c->fixes[c->nfixes++];
	f->cause = cause;
	f->current = current;
	f->needed = needed;
	f->raisable = raisable;
	f->can_free = can_free;
	f->free_amount = free_amount;
}

/*
 * The kernel.sem field V behind C's limit and its last fix: when it is
 * negative, kept as held beside the value it means (sysctl_effective).
 */
static void
held_field(struct fit_call_result *c, int64_t v)
{
	if (v >= 0)
		return;
	c->limit_negative = true;
	c->limit_held = v;
	if (c->nfixes > 0) {
		c->fixes[c->nfixes - 1].current_negative = true;
		c->fixes[c->nfixes - 1].current_held = v;
	}
}

/* Record the first failure: after OK calls, CAUSE with HAVE/NEED/LIMIT. */
static void
fail_at(struct fit_call_result *c, uint64_t ok, enum fit_cause cause,
    uint64_t have, uint64_t need, uint64_t limit)
{
	c->succeeded = ok;
	c->cause = cause;
	c->have = have;
	c->need = need;
	c->limit = limit;
}

/*
 * A count limit checked by ipc_addid(): "in_use >= limit" gives ENOSPC,
 * the limit capped to IPCMNI.  The fix for COUNT more objects.
 */
static void
count_fix(struct fit_call_result *c, enum fit_cause cause, uint64_t used,
    uint64_t count, uint64_t limit, uint64_t cap)
{
	uint64_t need = UINT64_MAX, eff = min_u64(limit, cap);
	bool over = !num_add_u64(used, count, &need), alone;

	if (!over && need <= eff)
		return;
	/* removing objects alone helps when COUNT fits under the limit */
	alone = count <= eff;
	add_fix(c, cause, limit, need, !over && need <= cap, alone,
	    alone ? used - (eff - count) : 0);
}

/* The shmall fix for N more segments of PAGES each over TOT in use. */
static void
shmall_fix(struct fit_call_result *c, uint64_t pages, uint64_t n,
    uint64_t tot, uint64_t shmall)
{
	uint64_t want;
	bool alone;

	if (!num_mul_u64(pages, n, &want) || !num_add_u64(want, tot, &want)) {
		add_fix(c, FIT_SHMALL, shmall, UINT64_MAX, false, false, 0);
		return;
	}
	if (want <= shmall)
		return;
	alone = want - tot <= shmall;
	add_fix(c, FIT_SHMALL, shmall, want, true, alone,
	    alone ? want - shmall : 0);
}

static void
predict_shm(const struct kstate *ks, const struct fit_request *req,
    struct fit_result *res)
{
	struct fit_call_result *c = &res->call[FIT_SHMGET];
	uint64_t size = req->shm_size_bytes, pg = res->page_size;
	uint64_t shmmax = ks->sysctl[SC_SHMMAX].v[0];
	uint64_t shmall = ks->sysctl[SC_SHMALL].v[0];
	uint64_t shmmni = ks->sysctl[SC_SHMMNI].v[0];
	uint64_t mni = min_u64(shmmni, res->ipc_mni);
	uint64_t tot = ks->usage.shm_pages, segs = ks->usage.shm_segments;
	uint64_t n = req->shm_count, pages = 0, by_all, by_mni, ok;
	bool overflow;

	c->requested = true;
	c->attempts = n;
	c->succeeded = n;
	/* newseg(): numpages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT */
	overflow = size > UINT64_MAX - (pg - 1);
	if (!overflow)
		pages = num_div_ceil_u64(size, pg);
	res->shm_pages_each = pages;

	/* the fixes first: every limit the whole request runs into */
	if (size == 0)
		add_fix(c, FIT_SHM_SIZE_ZERO, 0, 1, false, false, 0);
	if (size > shmmax)
		add_fix(c, FIT_SHMMAX, shmmax, size, true, false, 0);
	if (overflow)
		add_fix(c, FIT_SHM_OVERFLOW, UINT64_MAX - (pg - 1), size,
		    false, false, 0);
	if (pages > 0)
		shmall_fix(c, pages, n, tot, shmall);
	if (!overflow && size > SHM_FILE_MAX)
		add_fix(c, FIT_SHM_FILE_SIZE, SHM_FILE_MAX, size, false,
		    false, 0);
	count_fix(c, FIT_SHMMNI, segs, n, shmmni, res->ipc_mni);

	/* then the checks, in newseg()'s order */
	if (n == 0)
		return;
	if (size == 0) {
		/* size < SHMMIN (1) */
		fail_at(c, 0, FIT_SHM_SIZE_ZERO, 0, 0, 1);
		return;
	}
	if (size > shmmax) {
		fail_at(c, 0, FIT_SHMMAX, 0, size, shmmax);
		return;
	}
	if (overflow) {
		/* "numpages << PAGE_SHIFT < size" after the wrap */
		fail_at(c, 0, FIT_SHM_OVERFLOW, 0, size,
		    UINT64_MAX - (pg - 1));
		return;
	}
	/* shm_tot + numpages > shmall: strictly greater, so "equal" fits */
	by_all = tot > shmall ? 0 : (shmall - tot) / pages;
	if (by_all > 0 && size > SHM_FILE_MAX) {
		/* the shm file comes before ipc_addid(): before shmmni */
		fail_at(c, 0, FIT_SHM_FILE_SIZE, 0, size, SHM_FILE_MAX);
		return;
	}
	/* ipc_addid() comes after the shmall check */
	by_mni = segs >= mni ? 0 : mni - segs;
	ok = min_u64(n, min_u64(by_all, by_mni));
	if (ok == n)
		return;
	if (ok == by_all)
		fail_at(c, ok, FIT_SHMALL, tot + ok * pages, pages, shmall);
	else
		fail_at(c, ok, FIT_SHMMNI, segs + ok, 1, mni);
}

static void
predict_sem(const int64_t sem[SEM_NFIELDS], const struct kstate *ks,
    const struct fit_request *req, struct fit_result *res)
{
	struct fit_call_result *c = &res->call[FIT_SEMGET];
	uint64_t n = req->sem_arrays, m = req->sems_per_array;
	uint64_t arrays = ks->usage.sem_arrays, used = ks->usage.sem_sems;
	int64_t semmsl = sem[SEM_SEMMSL], semmns = sem[SEM_SEMMNS];
	uint64_t semmni = sem[SEM_SEMMNI] < 0 ? 0 : (uint64_t)sem[SEM_SEMMNI];
	uint64_t mni = min_u64(semmni, res->ipc_mni), by_mns, by_mni, ok;
	uint64_t want, mns = semmns < 0 ? 0 : (uint64_t)semmns;

	c->requested = true;
	c->attempts = n;
	c->succeeded = n;
	if (m > INT_LIMIT || (int64_t)m > semmsl) {
		add_fix(c, FIT_SEMMSL, semmsl < 0 ? 0 : (uint64_t)semmsl, m,
		    m <= INT_LIMIT, false, 0);
		held_field(c, semmsl);
	}
	if (m == 0)
		add_fix(c, FIT_SEM_ZERO, 0, 1, false, false, 0);
	if (m > 0) {
		if (!num_mul_u64(m, n, &want) || !num_add_u64(want, used,
		    &want) || want > INT_LIMIT) {
			add_fix(c, FIT_SEMMNS, mns, want, false, false, 0);
			held_field(c, semmns);
		} else if (semmns < 0 || want > mns) {
			bool alone = semmns >= 0 && want - used <= mns;

			add_fix(c, FIT_SEMMNS, mns, want, true, alone,
			    alone ? want - mns : 0);
			held_field(c, semmns);
		}
	}
	count_fix(c, FIT_SEMMNI, arrays, n, semmni, res->ipc_mni);

	if (n == 0)
		return;
	/* ksys_semget(): nsems > SEMMSL, before the key is looked up */
	if (m > INT_LIMIT || (int64_t)m > semmsl) {
		fail_at(c, 0, FIT_SEMMSL, 0, m, semmsl < 0 ? 0 :
		    (uint64_t)semmsl);
		c->limit_negative = semmsl < 0;
		c->limit_held = semmsl;
		return;
	}
	/* newary(): nsems == 0, then SEMMNS, then ipc_addid() */
	if (m == 0) {
		fail_at(c, 0, FIT_SEM_ZERO, 0, 0, 1);
		return;
	}
	by_mns = semmns < 0 || used > mns ? 0 : (mns - used) / m;
	by_mni = arrays >= mni ? 0 : mni - arrays;
	ok = min_u64(n, min_u64(by_mns, by_mni));
	if (ok == n)
		return;
	if (ok == by_mns) {
		fail_at(c, ok, FIT_SEMMNS, used + ok * m, m, mns);
		c->limit_negative = semmns < 0;
		c->limit_held = semmns;
	} else {
		fail_at(c, ok, FIT_SEMMNI, arrays + ok, 1, mni);
	}
}

static void
predict_semop(const int64_t sem[SEM_NFIELDS], const struct fit_request *req,
    struct fit_result *res)
{
	struct fit_call_result *c = &res->call[FIT_SEMOP];
	uint64_t k = req->semop_ops;
	/*
	 * do_semtimedop(): "nsops > sc_semopm" compares an unsigned nsops
	 * with an int, so a negative SEMOPM turns into a huge one.
	 */
	uint64_t opm = (uint64_t)(uint32_t)(int32_t)sem[SEM_SEMOPM];

	c->requested = true;
	c->attempts = 1;
	c->succeeded = 1;
	c->limit_negative = sem[SEM_SEMOPM] < 0;
	c->limit_held = sem[SEM_SEMOPM];
	if (k > opm)
		add_fix(c, FIT_SEMOPM, opm, k, k <= INT_LIMIT, false, 0);
	else if (k == 0)
		add_fix(c, FIT_SEMOP_ZERO, 0, 1, false, false, 0);
	if (k > opm)
		fail_at(c, 0, FIT_SEMOPM, 0, k, opm);
	else if (k == 0)
		fail_at(c, 0, FIT_SEMOP_ZERO, 0, 0, 1);
}

static void
predict_msgget(const struct kstate *ks, const struct fit_request *req,
    struct fit_result *res)
{
	struct fit_call_result *c = &res->call[FIT_MSGGET];
	uint64_t n = req->queues, queues = ks->usage.msg_queues;
	uint64_t msgmni = ks->sysctl[SC_MSGMNI].v[0];
	uint64_t mni = min_u64(msgmni, res->ipc_mni), by;

	c->requested = true;
	c->attempts = n;
	c->succeeded = n;
	count_fix(c, FIT_MSGMNI, queues, n, msgmni, res->ipc_mni);
	/* newque() checks neither msgmax nor msgmnb; only ipc_addid() */
	by = queues >= mni ? 0 : mni - queues;
	if (by < n)
		fail_at(c, by, FIT_MSGMNI, queues + by, 1, mni);
}

/*
 * msgsnd into the queue that holds the key: msg_fits_inqueue() wants
 * msgsz + q_cbytes <= q_qbytes and 1 + q_qnum <= q_qbytes; otherwise
 * do_msgsnd() sleeps, or returns EAGAIN with IPC_NOWAIT.  Room comes
 * from a reader, or from a larger msg_qbytes (msgctl(IPC_SET)).
 */
static void
predict_msgsnd_queue(const struct fit_key_obj *q, uint64_t b,
    struct fit_call_result *c)
{
	uint64_t need = UINT64_MAX, bytes = UINT64_MAX;
	bool over = !num_add_u64(q->cbytes, b, &bytes), can_free;

	need = bytes;
	if (!over && q->qnum + 1 > need)
		need = q->qnum + 1;
	if (!over && need <= q->qbytes)
		return;
	/*
	 * A reader makes room when the message fits the empty queue: the
	 * bytes beyond qbytes, or (0) one message when the count is full.
	 */
	can_free = b <= q->qbytes && q->qbytes > 0;
	add_fix(c, FIT_MSG_QUEUE_FULL, q->qbytes, need, !over &&
	    need <= INT_LIMIT, can_free, can_free && bytes > q->qbytes ?
	    bytes - q->qbytes : 0);
	fail_at(c, 0, FIT_MSG_QUEUE_FULL, q->cbytes, b, q->qbytes);
}

static void
predict_msgsnd(const struct kstate *ks, const struct fit_request *req,
    struct fit_result *res)
{
	struct fit_call_result *c = &res->call[FIT_MSGSND];
	uint64_t b = req->msg_size_bytes;
	uint64_t msgmax = ks->sysctl[SC_MSGMAX].v[0];
	uint64_t msgmnb = ks->sysctl[SC_MSGMNB].v[0];

	c->requested = true;
	c->attempts = 1;
	c->succeeded = 1;
	if (b > msgmax)
		add_fix(c, FIT_MSGMAX, msgmax, b, b <= INT_LIMIT, false, 0);
	/* msgget opened the queue holding the key: the message goes there */
	if (res->keyed && res->key_obj[FIT_MSGGET].exists) {
		/* do_msgsnd(): msgsz > msg_ctlmax first */
		if (b > msgmax)
			fail_at(c, 0, FIT_MSGMAX, 0, b, msgmax);
		else
			predict_msgsnd_queue(&res->key_obj[FIT_MSGGET], b, c);
		return;
	}
	/*
	 * newque() copies msgmnb into q_qbytes; msg_fits_inqueue() wants
	 * msgsz + q_cbytes <= q_qbytes and 1 + q_qnum <= q_qbytes, so even
	 * an empty queue refuses a message above msgmnb (and any message
	 * when msgmnb is 0).
	 */
	if (b > msgmnb || msgmnb == 0)
		add_fix(c, FIT_MSGMNB, msgmnb, b > 0 ? b : 1,
		    b <= INT_LIMIT, false, 0);
	/* do_msgsnd(): msgsz > msg_ctlmax first */
	if (b > msgmax)
		fail_at(c, 0, FIT_MSGMAX, 0, b, msgmax);
	else if (b > msgmnb || msgmnb == 0)
		fail_at(c, 0, FIT_MSGMNB, 0, b, msgmnb);
}

/* What object I of type T in KS holds, into O. */
static void
key_obj_fill(const struct kstate *ks, enum ipc_type t, size_t i,
    struct fit_key_obj *o)
{
	switch (t) {
	case IPC_SHM:
		o->size = ks->shm[i].size_bytes;
		break;
	case IPC_SEM:
		o->size = ks->sem[i].nsems;
		break;
	case IPC_MSG: {
		const struct msg_obj *x = &ks->msg[i];

		o->cbytes = x->cbytes;
		o->qnum = x->qnum;
		o->qbytes = x->has_qbytes ? x->qbytes :
		    ks->sysctl[SC_MSGMNB].v[0];
		break;
	}
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
}

/* The object of call CI's type that holds KEY, into O; false if none. */
static bool
key_find(const struct kstate *ks, enum fit_call ci, uint32_t key,
    struct fit_key_obj *o)
{
	enum ipc_type t = fit_call_types[ci].type;

	for (size_t i = 0; i < ipctype_count(ks, t); i++) {
		const struct obj_perm *p = ipctype_perm(ks, t, i);

		/*
		 * do_shm_rmid() makes the key of a segment marked for
		 * removal private: shmget no longer finds it
		 */
		if (p->key != key || (t == IPC_SHM &&
		    (p->mode & IPC_SHM_DEST)))
			continue;
		*o = (struct fit_key_obj){ .exists = true, .perm = *p };
		key_obj_fill(ks, t, i, o);
		return true;
	}
	return false;
}

static bool
caller_in_group(const struct fit_request *req, gid_t g)
{
	for (size_t i = 0; i < req->caller_ngids; i++)
		if (req->caller_gids[i] == g)
			return true;
	return false;
}

/*
 * ipcperms() (ipc/util.c): the mode bits of the flags folded to one rwx
 * triple, "(flag >> 6) | (flag >> 3) | flag"; the object's owner triple
 * when the euid is its uid or cuid, else its group triple when the
 * caller is in its gid or cgid (in_group_p()), else the other triple.
 */
static void
key_perms(const struct fit_request *req, struct fit_key_obj *o)
{
	unsigned f = req->flags & 0777;

	o->requested = ((f >> 6) | (f >> 3) | f) & 07;
	if (req->caller_uid == o->perm.cuid || req->caller_uid == o->perm.uid) {
		o->granted = (o->perm.mode >> 6) & 07;
		o->granted_as = "owner";
	} else if (caller_in_group(req, o->perm.cgid) ||
	    caller_in_group(req, o->perm.gid)) {
		o->granted = (o->perm.mode >> 3) & 07;
		o->granted_as = "group";
	} else {
		o->granted = o->perm.mode & 07;
		o->granted_as = "other";
	}
}

/*
 * A get call with a key other than IPC_PRIVATE (ipcget(): IPC_PRIVATE
 * always goes to ipcget_new()).  ipcget_public() looks the key up: not
 * found, ENOENT without IPC_CREAT, else the new-object checks (false is
 * returned, the caller makes them); found, EEXIST with IPC_CREAT and
 * IPC_EXCL, then the type's more_checks (shm_more_checks(): "shm_segsz <
 * size"; sem_more_checks(): "nsems > sem_nsems"; msg has none), then
 * ipcperms(): EACCES unless CAP_IPC_OWNER.  A call that passes opens the
 * object and creates nothing.  True when the call is decided here.
 */
static bool
predict_key(const struct kstate *ks, const struct fit_request *req,
    enum fit_call ci, uint64_t want, struct fit_result *res)
{
	struct fit_call_result *c = &res->call[ci];
	struct fit_key_obj *o = &res->key_obj[ci];

	if (!req->has_key || req->key == 0)
		return false;
	if (ci == FIT_SHMGET && want <= UINT64_MAX - (res->page_size - 1))
		res->shm_pages_each = num_div_ceil_u64(want, res->page_size);
	if (!key_find(ks, ci, req->key, o)) {
		if (req->flags & FIT_IPC_CREAT)
			return false;
		c->requested = true;
		c->attempts = 1;
		fail_at(c, 0, FIT_KEY_ENOENT, 0, 1, 0);
		return true;
	}
	key_perms(req, o);
	c->requested = true;
	c->attempts = 1;
	c->succeeded = 1;
	if ((req->flags & (FIT_IPC_CREAT | FIT_IPC_EXCL)) ==
	    (FIT_IPC_CREAT | FIT_IPC_EXCL))
		fail_at(c, 0, FIT_KEY_EEXIST, 1, 1, 0);
	else if (ci == FIT_SHMGET && o->size < want)
		fail_at(c, 0, FIT_KEY_SHM_SIZE, 0, want, o->size);
	else if (ci == FIT_SEMGET && want > o->size)
		fail_at(c, 0, FIT_KEY_SEM_NSEMS, 0, want, o->size);
	else if ((o->requested & ~o->granted & 07) && !req->caller_ipc_owner)
		fail_at(c, 0, FIT_KEY_EACCES, o->granted, o->requested,
		    o->granted);
	return true;
}

/* Does REQ ask for call CI? */
static bool
call_requested(const struct fit_request *req, enum fit_call ci)
{
	switch (ci) {
	case FIT_SHMGET:
		return req->has_shm;
	case FIT_SEMGET:
		return req->has_sem;
	case FIT_SEMOP:
		return req->has_semop;
	case FIT_MSGGET:
		return req->has_queues;
	case FIT_MSGSND:
		return req->has_msg;
	case FIT_NCALLS:
		break;
	}
	return false;
}

int
fit_predict(const struct kstate *ks, const struct fit_request *req,
    struct fit_result *res, char *err, size_t errlen)
{
	static const enum sysctl_id needs[] = { SC_SHMMAX, SC_SHMALL,
	    SC_SHMMNI, SC_SEM, SC_MSGMAX, SC_MSGMNB, SC_MSGMNI };
	int64_t sem[SEM_NFIELDS];

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		if (!ks->sysctl[needs[i]].present) {
			snprintf(err, errlen, "cannot predict: '%s' was not "
			    "read", sysctl_table[needs[i]].name);
			return -1;
		}
	}
	if (!ks->has_usage) {
		snprintf(err, errlen, "cannot predict: the usage counters "
		    "were not read");
		return -1;
	}
	/* a keyed get needs every object of its type */
	for (int i = 0; req->has_key && req->key != 0 && i < FIT_NCALLS; i++) {
		const struct fit_call_type *c = &fit_call_types[i];

		if (c->get && call_requested(req, (enum fit_call)i) &&
		    !ipctype_has(ks, c->type)) {
			snprintf(err, errlen, "cannot predict: the objects "
			    "that may hold key 0x%08" PRIx32 " were not read",
			    req->key);
			return -1;
		}
	}
	res->page_size = ks->host.page_size ? ks->host.page_size : 4096;
	res->keyed = req->has_key && req->key != 0;
	res->key = req->key;
	res->caller_uid = req->caller_uid;
	res->ipc_mni = ks->host.ipcmni_extend ? IPC_MNI_EXTEND :
	    IPC_MNI_DEFAULT;
	sysctl_sem_fields(&ks->sysctl[SC_SEM], sem);
	for (int i = 0; i < FIT_NCALLS; i++)
		res->call[i].cause = FIT_OK;
	if (req->has_shm && !predict_key(ks, req, FIT_SHMGET,
	    req->shm_size_bytes, res))
		predict_shm(ks, req, res);
	/* ksys_semget(): nsems > SEMMSL comes before the key is looked up */
	if (req->has_sem && (req->sems_per_array > INT_LIMIT ||
	    (int64_t)req->sems_per_array > sem[SEM_SEMMSL] ||
	    !predict_key(ks, req, FIT_SEMGET, req->sems_per_array, res)))
		predict_sem(sem, ks, req, res);
	if (req->has_semop)
		predict_semop(sem, req, res);
	if (req->has_queues && !predict_key(ks, req, FIT_MSGGET, 0, res))
		predict_msgget(ks, req, res);
	if (req->has_msg)
		predict_msgsnd(ks, req, res);
	res->fits = true;
	for (int i = 0; i < FIT_NCALLS; i++)
		if (res->call[i].requested && res->call[i].cause != FIT_OK)
			res->fits = false;
	return 0;
}

/* A size for a sentence: exact bytes plus binary units when large. */
static const char *
human(uint64_t v, char *buf, size_t len)
{
	static const char *const u[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
	    "EiB" };
	double d = (double)v;
	int i = -1;

	while (d >= 1024 && i < 5) {
		d /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%" PRIu64 " byte%s", v, v == 1 ? "" : "s");
	else
		snprintf(buf, len, "%" PRIu64 " bytes (%.1f %s)", v, d, u[i]);
	return buf;
}

/* A size without the exact count: "8.0 GiB", or "N bytes" when small. */
static const char *
human_short(uint64_t v, char *buf, size_t len)
{
	char tmp[64], *p;

	human(v, tmp, sizeof(tmp));
	p = strchr(tmp, '(');
	if (p == NULL)
		snprintf(buf, len, "%s", tmp);
	else
		snprintf(buf, len, "%.*s", (int)strcspn(p + 1, ")"), p + 1);
	return buf;
}

/* The object a keyed get CI finds: "segment", or NULL for other calls. */
static const char *
key_type_name(enum fit_call ci)
{
	return fit_call_types[ci].get ?
	    ipctype_table[fit_call_types[ci].type].short_singular : NULL;
}

/* "rw-" for the IPC access bits R (4) and W (2); x has no meaning. */
static const char *
rw_text(unsigned v, char *buf)
{
	buf[0] = (v & 04) ? 'r' : '-';
	buf[1] = (v & 02) ? 'w' : '-';
	buf[2] = (v & 01) ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

void
fit_key_object_text(const struct fit_result *res, enum fit_call ci,
    char *buf, size_t len)
{
	const struct fit_key_obj *o = &res->key_obj[ci];
	char size[80], h[64];

	buf[0] = '\0';
	if (!o->exists || key_type_name(ci) == NULL)
		return;
	size[0] = '\0';
	if (ci == FIT_SHMGET)
		snprintf(size, sizeof(size), ", %s", human(o->size, h,
		    sizeof(h)));
	else if (ci == FIT_SEMGET)
		snprintf(size, sizeof(size), ", %" PRIu64 " semaphore%s",
		    o->size, o->size == 1 ? "" : "s");
	snprintf(buf, len, "%s %d (owner uid %u gid %u, creator uid %u gid "
	    "%u%s, mode %04o)", key_type_name(ci), o->perm.id,
	    (unsigned)o->perm.uid, (unsigned)o->perm.gid,
	    (unsigned)o->perm.cuid, (unsigned)o->perm.cgid, size,
	    o->perm.mode & 0777);
}

static void
explain_key(const struct fit_result *res, enum fit_call ci,
    const char *head, char *buf, size_t len)
{
	const struct fit_call_result *c = &res->call[ci];
	const struct fit_key_obj *o = &res->key_obj[ci];
	char obj[200], h1[64], r1[4], r2[4];

	fit_key_object_text(res, ci, obj, sizeof(obj));
	switch (c->cause) {
	case FIT_KEY_ENOENT:
		snprintf(buf, len, "%s: no %s has key 0x%08" PRIx32 " and the "
		    "flags lack IPC_CREAT", head, key_type_name(ci),
		    res->key);
		break;
	case FIT_KEY_EEXIST:
		snprintf(buf, len, "%s: key 0x%08" PRIx32 " already names %s, "
		    "and IPC_CREAT|IPC_EXCL asks for a new one", head,
		    res->key, obj);
		break;
	case FIT_KEY_SHM_SIZE:
		snprintf(buf, len, "%s: key 0x%08" PRIx32 " already names %s; "
		    "it is smaller than the %s asked for, and an existing "
		    "segment is never resized", head, res->key, obj,
		    human(c->need, h1, sizeof(h1)));
		break;
	case FIT_KEY_SEM_NSEMS:
		snprintf(buf, len, "%s: key 0x%08" PRIx32 " already names %s; "
		    "it has fewer than the %" PRIu64 " semaphores asked for",
		    head, res->key, obj, c->need);
		break;
	default:
		snprintf(buf, len, "%s: key 0x%08" PRIx32 " names %s; the "
		    "flags ask for %s, but its mode grants uid %u (as %s) only "
		    "%s", head, res->key, obj, rw_text(o->requested, r1),
		    (unsigned)res->caller_uid, o->granted_as,
		    rw_text(o->granted, r2));
		break;
	}
}

/* msgsnd into the full queue holding the key: which queue, how full. */
static void
explain_queue_full(const struct fit_result *res, const char *head,
    char *buf, size_t len)
{
	const struct fit_call_result *c = &res->call[FIT_MSGSND];
	const struct fit_key_obj *q = &res->key_obj[FIT_MSGGET];
	char h1[64];

	snprintf(buf, len, "%s with IPC_NOWAIT, or blocks without it: queue "
	    "%d (key 0x%08" PRIx32 ") holds %" PRIu64 " of its %" PRIu64
	    " bytes (%" PRIu64 " message%s%s), and a message of %s does not "
	    "fit; its msg_qbytes was kernel.msgmnb when it was created", head,
	    q->perm.id, res->key, q->cbytes, q->qbytes, q->qnum, q->qnum == 1 ?
	    "" : "s", q->qnum + 1 > q->qbytes ? ", no more than msg_qbytes "
	    "messages fit" : "", human(c->need, h1, sizeof(h1)));
}

/* Why a new segment does not fit: its size, or shmall or shmmni spent. */
static void
explain_shm(const struct fit_result *res, enum fit_call ci,
    const char *head, char *buf, size_t len)
{
	const struct fit_call_result *c = &res->call[ci];
	char h1[64], h2[64];

	switch (c->cause) {
	case FIT_SHM_SIZE_ZERO:
		snprintf(buf, len, "%s: a segment of 0 bytes is below SHMMIN "
		    "(1 byte)", head);
		break;
	case FIT_SHMMAX:
		snprintf(buf, len, "%s: the segment size %s is above "
		    "kernel.shmmax = %s", head, human(c->need, h1,
		    sizeof(h1)), human(c->limit, h2, sizeof(h2)));
		break;
	case FIT_SHM_OVERFLOW:
		snprintf(buf, len, "%s: the segment size %" PRIu64 " cannot "
		    "be rounded up to whole %" PRIu64 "-byte pages without "
		    "overflowing", head, c->need, res->page_size);
		break;
	case FIT_SHM_FILE_SIZE:
		snprintf(buf, len, "%s: the segment size %" PRIu64 " is above "
		    "%" PRIu64 " bytes (MAX_LFS_FILESIZE), the largest file "
		    "the kernel's shared memory filesystem holds", head,
		    c->need, c->limit);
		break;
	case FIT_SHMALL:
		snprintf(buf, len, "%s: kernel.shmall is exhausted: %" PRIu64
		    " of %" PRIu64 " pages are in use and the segment needs "
		    "%" PRIu64 " more (its size rounded up to %" PRIu64
		    "-byte pages); shmall counts pages, not bytes", head,
		    c->have, c->limit, c->need, res->page_size);
		break;
	case FIT_SHMMNI:
		snprintf(buf, len, "%s: kernel.shmmni is exhausted: %" PRIu64
		    " of %" PRIu64 " segments exist", head, c->have,
		    c->limit);
		break;
	default:
		snprintf(buf, len, "%s", head);
		break;
	}
}

/* Why semget or semop fails: a kernel.sem field exceeded or spent. */
static void
explain_sem(const struct fit_result *res, enum fit_call ci,
    const char *head, char *buf, size_t len)
{
	const struct fit_call_result *c = &res->call[ci];

	switch (c->cause) {
	case FIT_SEMMSL:
		if (c->limit_negative)
			snprintf(buf, len, "%s: SEMMSL, the first field of "
			    "kernel.sem, is negative (%" PRId64 "), so every "
			    "semget fails", head, c->limit_held);
		else
			snprintf(buf, len, "%s: %" PRIu64 " semaphores per "
			    "array is above SEMMSL (%" PRIu64 "), the first "
			    "field of kernel.sem", head, c->need, c->limit);
		break;
	case FIT_SEM_ZERO:
		snprintf(buf, len, "%s: a new semaphore array needs at least "
		    "1 semaphore", head);
		break;
	case FIT_SEMMNS:
		if (c->limit_negative) {
			snprintf(buf, len, "%s: SEMMNS, the second field of "
			    "kernel.sem, is negative (%" PRId64 "), so every "
			    "new semaphore array fails", head, c->limit_held);
			break;
		}
		snprintf(buf, len, "%s: SEMMNS, the second field of "
		    "kernel.sem, is exhausted: %" PRIu64 " of %" PRIu64
		    " semaphores are in use and the array needs %" PRIu64
		    " more", head, c->have, c->limit, c->need);
		break;
	case FIT_SEMMNI:
		snprintf(buf, len, "%s: SEMMNI, the fourth field of "
		    "kernel.sem, is exhausted: %" PRIu64 " of %" PRIu64
		    " semaphore arrays exist", head, c->have, c->limit);
		break;
	case FIT_SEMOPM:
		snprintf(buf, len, "%s: %" PRIu64 " operations in one semop "
		    "call are above SEMOPM (%" PRIu64 "), the third field of "
		    "kernel.sem", head, c->need, c->limit);
		break;
	case FIT_SEMOP_ZERO:
		snprintf(buf, len, "%s: a semop call needs at least 1 "
		    "operation", head);
		break;
	default:
		snprintf(buf, len, "%s", head);
		break;
	}
}

/* Why msgget or msgsnd fails: msgmni spent, or a message too large. */
static void
explain_msg(const struct fit_result *res, enum fit_call ci,
    const char *head, char *buf, size_t len)
{
	const struct fit_call_result *c = &res->call[ci];
	char h1[64], h2[64];

	switch (c->cause) {
	case FIT_MSGMNI:
		snprintf(buf, len, "%s: kernel.msgmni is exhausted: %" PRIu64
		    " of %" PRIu64 " message queues exist", head, c->have,
		    c->limit);
		break;
	case FIT_MSGMAX:
		snprintf(buf, len, "%s: a message of %s is above "
		    "kernel.msgmax = %s", head, human(c->need, h1,
		    sizeof(h1)), human(c->limit, h2, sizeof(h2)));
		break;
	case FIT_MSG_QUEUE_FULL:
		explain_queue_full(res, head, buf, len);
		break;
	case FIT_MSGMNB:
		snprintf(buf, len, "%s with IPC_NOWAIT, or blocks forever "
		    "without it: a message of %s never fits a new queue, "
		    "whose size is kernel.msgmnb = %s", head, human(c->need,
		    h1, sizeof(h1)), human(c->limit, h2, sizeof(h2)));
		break;
	default:
		snprintf(buf, len, "%s", head);
		break;
	}
}

/* The sentence for each cause after the head, by its family. */
static void (*const explainers[FIT_NCAUSES])(const struct fit_result *,
    enum fit_call, const char *, char *, size_t) = {
	[FIT_SHM_SIZE_ZERO] = explain_shm,
	[FIT_SHMMAX] = explain_shm,
	[FIT_SHM_OVERFLOW] = explain_shm,
	[FIT_SHM_FILE_SIZE] = explain_shm,
	[FIT_SHMALL] = explain_shm,
	[FIT_SHMMNI] = explain_shm,
	[FIT_SEMMSL] = explain_sem,
	[FIT_SEM_ZERO] = explain_sem,
	[FIT_SEMMNS] = explain_sem,
	[FIT_SEMMNI] = explain_sem,
	[FIT_SEMOPM] = explain_sem,
	[FIT_SEMOP_ZERO] = explain_sem,
	[FIT_MSGMNI] = explain_msg,
	[FIT_MSGMAX] = explain_msg,
	[FIT_MSG_QUEUE_FULL] = explain_msg,
	[FIT_MSGMNB] = explain_msg,
	[FIT_KEY_ENOENT] = explain_key,
	[FIT_KEY_EEXIST] = explain_key,
	[FIT_KEY_SHM_SIZE] = explain_key,
	[FIT_KEY_SEM_NSEMS] = explain_key,
	[FIT_KEY_EACCES] = explain_key,
};

void
fit_explain(const struct fit_result *res, enum fit_call ci, char *buf,
    size_t len)
{
	const struct fit_call_result *c = &res->call[ci];
	const struct fit_cause_desc *d = &fit_cause_table[c->cause];
	char head[96];

	buf[0] = '\0';
	if (!c->requested || c->cause == FIT_OK)
		return;
	if (c->attempts > 1)
		snprintf(head, sizeof(head), "%s #%" PRIu64 " of %" PRIu64
		    " would fail with %s (%s)", fit_call_names[ci],
		    c->succeeded + 1, c->attempts, d->errname,
		    errtext(d->err));
	else
		snprintf(head, sizeof(head), "%s would fail with %s (%s)",
		    fit_call_names[ci], d->errname, errtext(d->err));
	if (explainers[c->cause] != NULL)
		explainers[c->cause](res, ci, head, buf, len);
	else
		snprintf(buf, len, "%s", head);
}

/* Room in the full queue holding the key: a reader, or a larger qbytes. */
static void
advise_queue_full(const struct fit_result *res, const struct fit_fix *f,
    char *part, size_t len)
{
	int id = res->key_obj[FIT_MSGGET].perm.id;
	size_t off;

	part[0] = '\0';
	if (f->can_free && f->free_amount > 0)
		snprintf(part, len, "receive at least %" PRIu64 " byte%s from "
		    "queue %d, or ", f->free_amount, f->free_amount == 1 ?
		    "" : "s", id);
	else if (f->can_free)
		snprintf(part, len, "receive a message from queue %d, or ",
		    id);
	off = strlen(part);
	if (f->raisable)
		snprintf(part + off, len - off, "raise its msg_qbytes to %"
		    PRIu64 " with msgctl(IPC_SET) (above kernel.msgmnb only "
		    "with CAP_SYS_RESOURCE); kernel.msgmnb sizes only queues "
		    "made later", f->needed);
	else
		snprintf(part + off, len - off, "send a smaller message "
		    "(msg_qbytes cannot go above %llu)", INT_LIMIT);
}

/* The shmall fix: raise it (in pages and bytes), or free pages. */
static void
advise_shmall(const struct fit_result *res, const struct fit_fix *f,
    char *part, size_t len)
{
	char h[64];

	if (f->raisable)
		snprintf(part, len, "raise kernel.shmall to %" PRIu64
		    " pages (%s)", f->needed, res->page_size <= UINT64_MAX /
		    (f->needed ? f->needed : 1) ? human_short(f->needed *
		    res->page_size, h, sizeof(h)) : "more than 16 EiB");
	else
		snprintf(part, len, "ask for fewer or smaller segments (the "
		    "pages needed overflow)");
	if (f->can_free && f->raisable)
		snprintf(part + strlen(part), len - strlen(part), ", or remove "
		    "segments holding %" PRIu64 " page%s", f->free_amount,
		    f->free_amount == 1 ? "" : "s");
}

/* The SEMMNS fix: raise the field, or free semaphores. */
static void
advise_semmns(const struct fit_fix *f, char *part, size_t len)
{
	if (f->raisable)
		snprintf(part, len, "raise kernel.sem (field SEMMNS) to %"
		    PRIu64, f->needed);
	else
		snprintf(part, len, "ask for fewer semaphores (SEMMNS cannot "
		    "go above %llu)", INT_LIMIT);
	if (f->can_free && f->raisable)
		snprintf(part + strlen(part), len - strlen(part), ", or remove "
		    "arrays holding %" PRIu64 " semaphore%s", f->free_amount,
		    f->free_amount == 1 ? "" : "s");
}

/* A count limit's fix: raise it up to IPCMNI, or remove objects. */
static void
advise_count(const struct fit_result *res, const struct fit_fix *f,
    char *part, size_t len)
{
	const struct fit_cause_desc *d = &fit_cause_table[f->cause];
	uint64_t mni = res->ipc_mni;

	if (f->raisable)
		snprintf(part, len, "raise %s%s to %" PRIu64, d->sysctl,
		    f->cause == FIT_SEMMNI ? " (field SEMMNI)" : "",
		    f->needed);
	else
		snprintf(part, len, "%s cannot go above %" PRIu64 " (IPCMNI%s)",
		    d->limit, mni, mni == IPC_MNI_DEFAULT ? "; ipcmni_extend "
		    "on the kernel command line raises it" : "");
	if (f->can_free)
		snprintf(part + strlen(part), len - strlen(part),
		    "%sremove %" PRIu64 " %.*s", f->raisable ? ", or " : ": ",
		    f->free_amount,
		    /* "segments", "arrays", "queues": one without s */
		    (int)strlen(d->unit) - (f->free_amount == 1), d->unit);
}

/* Append the phrase for one fix to BUF (at *OFF). */
static void
advise_one(const struct fit_result *res, const struct fit_fix *f,
    char *buf, size_t len, size_t *off)
{
	const struct fit_cause_desc *d = &fit_cause_table[f->cause];
	char h[64], part[320];

	part[0] = '\0';
	switch (f->cause) {
	case FIT_SHM_SIZE_ZERO:
		snprintf(part, sizeof(part), "ask for at least 1 byte");
		break;
	case FIT_SEM_ZERO:
		snprintf(part, sizeof(part), "ask for at least 1 semaphore "
		    "per array");
		break;
	case FIT_SEMOP_ZERO:
		snprintf(part, sizeof(part), "pass at least 1 operation");
		break;
	case FIT_SHM_OVERFLOW:
		snprintf(part, sizeof(part), "ask for a size below %" PRIu64
		    " bytes", f->current + 1);
		break;
	case FIT_SHM_FILE_SIZE:
		snprintf(part, sizeof(part), "ask for at most %" PRIu64
		    " bytes (no sysctl raises MAX_LFS_FILESIZE)", f->current);
		break;
	case FIT_SHMMAX:
	case FIT_MSGMAX:
	case FIT_MSGMNB:
		if (f->raisable)
			snprintf(part, sizeof(part), "raise %s to %s%s",
			    d->sysctl, human(f->needed, h, sizeof(h)),
			    f->cause == FIT_MSGMNB ? " (queues that exist "
			    "keep the size they were created with)" : "");
		else
			snprintf(part, sizeof(part), "ask for at most %s "
			    "(%s cannot go higher)", human(INT_LIMIT, h,
			    sizeof(h)), d->sysctl);
		break;
	case FIT_SHMALL:
		advise_shmall(res, f, part, sizeof(part));
		break;
	case FIT_SEMMSL:
	case FIT_SEMOPM:
		if (f->raisable)
			snprintf(part, sizeof(part), "raise %s (field %s) to %"
			    PRIu64 "%s", d->sysctl, d->limit, f->needed,
			    f->cause == FIT_SEMOPM && f->needed > 1000 ?
			    " (semop(2) advises staying at or below 1000)" :
			    "");
		else
			snprintf(part, sizeof(part), "ask for at most %llu "
			    "(%s cannot go higher)", INT_LIMIT, d->limit);
		break;
	case FIT_SEMMNS:
		advise_semmns(f, part, sizeof(part));
		break;
	case FIT_MSG_QUEUE_FULL:
		advise_queue_full(res, f, part, sizeof(part));
		break;
	case FIT_SHMMNI:
	case FIT_SEMMNI:
	case FIT_MSGMNI:
		advise_count(res, f, part, sizeof(part));
		break;
	default:
		break;
	}
	snprintf(buf + *off, len - *off, "%s%s", *off ? "; " : "", part);
	*off += strlen(buf + *off);
}

static void
advise_key(const struct fit_result *res, enum fit_call ci, char *buf,
    size_t len)
{
	const struct fit_call_result *c = &res->call[ci];
	const struct fit_key_obj *o = &res->key_obj[ci];
	const char *t = key_type_name(ci), *rm = ipctype_table[
	    fit_call_types[ci].type].ipcrm_opt;
	char h[64];

	switch (c->cause) {
	case FIT_KEY_ENOENT:
		snprintf(buf, len, "add IPC_CREAT to create it, or start what "
		    "creates key 0x%08" PRIx32 " first", res->key);
		break;
	case FIT_KEY_EEXIST:
		snprintf(buf, len, "drop IPC_EXCL to open %s %d, or remove it "
		    "(ipcrm %s %d) once nothing uses it", t, o->perm.id, rm,
		    o->perm.id);
		break;
	case FIT_KEY_SHM_SIZE:
		snprintf(buf, len, "ask for at most %s, or remove segment %d "
		    "(ipcrm -m %d) once nothing uses it, so that shmget creates "
		    "it again at the new size", human(o->size, h, sizeof(h)),
		    o->perm.id, o->perm.id);
		break;
	case FIT_KEY_SEM_NSEMS:
		snprintf(buf, len, "ask for at most %" PRIu64 " semaphore%s, "
		    "or remove semaphore array %d (ipcrm -s %d) once nothing "
		    "uses it, so that semget creates it again with more",
		    o->size, o->size == 1 ? "" : "s", o->perm.id, o->perm.id);
		break;
	default:
		snprintf(buf, len, "run as its owner (uid %u) or in its group "
		    "(gid %u), ask for less access in the mode bits, or have "
		    "the owner widen its mode (IPC_SET)", (unsigned)o->perm.uid,
		    (unsigned)o->perm.gid);
		break;
	}
}

void
fit_advise(const struct fit_result *res, enum fit_call ci, char *buf,
    size_t len)
{
	const struct fit_call_result *c = &res->call[ci];
	size_t off = 0;

	buf[0] = '\0';
	if (!c->requested || c->cause == FIT_OK || len == 0)
		return;
	if (c->cause >= FIT_KEY_ENOENT) {
		advise_key(res, ci, buf, len);
		return;
	}
	for (size_t i = 0; i < c->nfixes && off + 1 < len; i++)
		advise_one(res, &c->fixes[i], buf, len, &off);
}
