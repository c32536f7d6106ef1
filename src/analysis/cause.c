/*
 * cause.c: one failing IPC call explained.  The call is replayed through
 * fit (posixfit for mq_open, the queue's attributes for mq_timedsend) on
 * the namespace's limits and usage; a limit is named only when it fails
 * the call with the errno the kernel returned.  Every other errno has a
 * row in a table saying what it means (ipc/util.c ipcperms(), ipc/sem.c,
 * ipc/msg.c, ipc/shm.c, ipc/mqueue.c).  Pure: no system access, no
 * printing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "posixfit.h"
#include "xmalloc.h"

/* The fit call that replays each IPC call, -1 when fit has none. */
static const int fit_of_call[IPCCALL_COUNT] = {
	[IPCCALL_SHMGET] = FIT_SHMGET,
	[IPCCALL_SHMAT] = -1,
	[IPCCALL_SEMGET] = FIT_SEMGET,
	[IPCCALL_SEMOP] = FIT_SEMOP,
	[IPCCALL_SEMTIMEDOP] = FIT_SEMOP,
	[IPCCALL_MSGGET] = FIT_MSGGET,
	[IPCCALL_MSGSND] = FIT_MSGSND,
	[IPCCALL_MQ_OPEN] = -1,		/* posixfit's, see cause_mq() */
	[IPCCALL_MQ_TIMEDSEND] = -1,
};

#define CALL(c) (1u << IPCCALL_##c)
#define GETS (CALL(SHMGET) | CALL(SEMGET) | CALL(MSGGET))
#define ANY 0u
#define MQOPEN CALL(MQ_OPEN)
#define MQSEND CALL(MQ_TIMEDSEND)

/* What an errno means when no limit explains it; first match wins. */
static const struct cause_row {
	int err;
	unsigned calls;		/* bits of enum ipc_call, ANY for all */
	const char *code;
	bool limit;
	bool caller;		/* name the caller's ids */
	const char *text;
	const char *fix;
} cause_rows[] = {
	/* ipc/mqueue.c do_mq_open(), do_mq_timedsend() */
	{ EMFILE, MQOPEN, "mq_rlimit", true, false,
	    "the queue's charge does not fit in the caller's "
	    "RLIMIT_MSGQUEUE on top of its user's other queues (or the "
	    "process has RLIMIT_NOFILE descriptors open)",
	    "check the user's queues ('ipctune list pmq') and the limit "
	    "('ulimit -q'); raise it: ulimit -q, LimitMSGQUEUE= in the "
	    "unit, or msgqueue in limits.conf" },
	{ EINVAL, MQOPEN, "invalid", false, false,
	    "the name is not \"/name\" with no other slash, or O_CREAT's "
	    "mq_maxmsg or mq_msgsize is out of range",
	    "fix the name or the attributes" },
	{ ENOENT, MQOPEN, "not_found", false, false,
	    "no queue has the name, and O_CREAT was not given",
	    "add O_CREAT, or start what creates the queue first" },
	{ EEXIST, MQOPEN, "exists", false, false,
	    "a queue has the name, and O_CREAT|O_EXCL asks for a new one",
	    "drop O_EXCL, or mq_unlink the stale queue once unused" },
	{ EAGAIN, MQSEND, "queue_full", true, false,
	    "the queue is full (mq_curmsgs reached its mq_maxmsg) and it was "
	    "opened with O_NONBLOCK",
	    "have a reader drain the queue, or recreate it with a larger "
	    "mq_maxmsg (up to fs.mqueue.msg_max)" },
	{ EMSGSIZE, MQSEND, "msg_size", true, false,
	    "msg_len is above the queue's mq_msgsize",
	    "send at most mq_msgsize bytes, or recreate the queue with a "
	    "larger mq_msgsize (up to fs.mqueue.msgsize_max)" },
	{ EBADF, MQSEND, "bad_descriptor", false, false,
	    "mqdes is not a queue descriptor open for writing", "" },
	{ ETIMEDOUT, MQSEND, "timed_out", false, false,
	    "the queue stayed full until the call's timeout", "" },
	{ EACCES, ANY, "permission", false, true,
	    "permission: the object's mode does not grant the caller the "
	    "access asked for",
	    "run as the object's owner or in its group, ask for less access, "
	    "or have its owner widen the mode (IPC_SET)" },
	{ EPERM, ANY, "permission", false, true,
	    "not permitted: the call needs a capability the caller lacks "
	    "(SHM_HUGETLB: CAP_IPC_LOCK or vm.hugetlb_shm_group)",
	    "grant the capability, or drop the flag that needs it" },
	{ EIDRM, ANY, "removed", false, false,
	    "the object was removed while the call waited on it or used it",
	    "find what removes it (IPC_RMID, ipcrm, logind's RemoveIPC=yes) "
	    "and keep it while it is in use" },
	{ ENOMEM, CALL(SHMGET), "memory", false, false,
	    "memory: the segment could not be allocated or charged (memory "
	    "cgroup limit, RLIMIT_MEMLOCK with SHM_HUGETLB, or too few free "
	    "huge pages); not an IPC limit",
	    "raise the memory limit of the caller's cgroup, ulimit -l, or "
	    "vm.nr_hugepages" },
	{ ENOMEM, CALL(SHMAT), "memory", false, false,
	    "memory: no room in the caller's address space for the mapping; "
	    "not an IPC limit",
	    "attach at another address, or free address space" },
	{ ENOMEM, ANY, "memory", false, false,
	    "memory: the kernel could not allocate for the call (memory "
	    "cgroup limit); not an IPC limit",
	    "raise the memory limit of the caller's cgroup" },
	{ EINVAL, GETS, "mismatch", false, false,
	    "the key names an existing object smaller than asked for (size "
	    "or nsems), or one being removed; the limits allow the call",
	    "ask for at most the existing object's size, or remove it once "
	    "unused so that the call creates it anew" },
	{ EINVAL, ANY, "invalid", false, false,
	    "invalid argument: the id names no object in this namespace, or "
	    "an argument is out of range",
	    "check the id ('ipctune list') and the arguments" },
	{ ENOENT, ANY, "not_found", false, false,
	    "no object has the key, and IPC_CREAT was not given",
	    "add IPC_CREAT, or start what creates the key first" },
	{ EEXIST, ANY, "exists", false, false,
	    "the key already names an object, and IPC_CREAT|IPC_EXCL asks "
	    "for a new one",
	    "drop IPC_EXCL, or remove the stale object once nothing uses it" },
	{ EAGAIN, CALL(MSGSND), "queue_full", true, false,
	    "the queue is full (its msg_qbytes, kernel.msgmnb when it was "
	    "made) and IPC_NOWAIT was given",
	    "have a reader drain the queue, or raise its msg_qbytes "
	    "(msgctl IPC_SET); kernel.msgmnb sizes only queues made later" },
	{ EAGAIN, ANY, "would_block", false, false,
	    "the operation would block and IPC_NOWAIT was given; not a limit",
	    "" },
	{ EFBIG, ANY, "invalid", false, false,
	    "a sem_num is at or above the array's number of semaphores",
	    "fix the semaphore numbers" },
	{ ERANGE, ANY, "range", false, false,
	    "a semaphore value would pass SEMVMX (32767)", "" },
	{ EINTR, ANY, "interrupted", false, false,
	    "a signal interrupted the wait", "" },
	{ EFAULT, ANY, "fault", false, false,
	    "an argument points outside the caller's memory", "" },
	{ ENOSPC, ANY, "unexplained", false, false,
	    "no limit explains it on the limits and usage read at that "
	    "instant", "run 'ipctune status' on the namespace" },
	{ 0, ANY, "other", false, false, "not a limit ipctune knows", "" },
};

/* fs.mqueue.* as the namespace held them (ipc_namespace mq_*). */
static void
cause_kstate_mq(const struct ipccall_ns_state *s, struct kstate *ks)
{
	const struct {
		enum sysctl_id id;
		uint64_t v;
	} one[] = {
		{ SC_MQ_QUEUES_MAX, s->mq_queues_max },
		{ SC_MQ_MSG_MAX, s->mq_msg_max },
		{ SC_MQ_MSGSIZE_MAX, s->mq_msgsize_max },
		{ SC_MQ_MSG_DEFAULT, s->mq_msg_default },
		{ SC_MQ_MSGSIZE_DEFAULT, s->mq_msgsize_default },
	};
	struct sysctl_value *sv;

	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		sv = &ks->sysctl[one[i].id];
		sv->v[0] = one[i].v;
		sv->present = true;
		sysctl_format(one[i].id, sv->v, sv->raw, sizeof(sv->raw));
	}
}

void
cause_kstate(const struct ipccall_ns_state *s, uint64_t page_size,
    struct kstate *ks)
{
	static const struct {
		enum sysctl_id id;
		size_t off;
	} one[] = {
		{ SC_SHMMAX, offsetof(struct ipccall_ns_state, shmmax_bytes) },
		{ SC_SHMALL, offsetof(struct ipccall_ns_state, shmall_pages) },
		{ SC_SHMMNI, offsetof(struct ipccall_ns_state, shmmni) },
		{ SC_MSGMAX, offsetof(struct ipccall_ns_state, msgmax_bytes) },
		{ SC_MSGMNB, offsetof(struct ipccall_ns_state, msgmnb_bytes) },
		{ SC_MSGMNI, offsetof(struct ipccall_ns_state, msgmni) },
	};
	struct sysctl_value *sv;

	kstate_init(ks);
	ks->host.page_size = page_size;
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		sv = &ks->sysctl[one[i].id];
		memcpy(&sv->v[0], (const char *)s + one[i].off,
		    sizeof(uint64_t));
		sv->present = true;
		sysctl_format(one[i].id, sv->v, sv->raw, sizeof(sv->raw));
	}
	sv = &ks->sysctl[SC_SEM];
	sv->present = true;
	for (int i = 0; i < SEM_NFIELDS; i++) {
		sv->v[i] = (uint64_t)s->sem[i];
		if (s->sem[i] < 0)
			sv->negative = true;
	}
	sysctl_format(SC_SEM, sv->v, sv->raw, sizeof(sv->raw));
	ks->has_usage = true;
	ks->usage.shm_segments = s->shm_segments;
	ks->usage.shm_pages = s->shm_pages;
	ks->usage.sem_arrays = s->sem_arrays;
	ks->usage.sem_sems = s->sem_sems;
	ks->usage.msg_queues = s->msg_queues;
	ks->usage.has_mq_queues = true;
	ks->usage.mq_queues = s->mq_queues;
	cause_kstate_mq(s, ks);
}

/* The fit request that replays A; false when fit has no such call. */
static bool
cause_request(const struct ipccall_args *a, const struct ipccall_caller *who,
    const struct kstate *ks, struct fit_request *req)
{
	uint64_t key = 0, flags = 0;

	memset(req, 0, sizeof(*req));
	switch (a->call) {
	case IPCCALL_SHMGET:
		req->has_shm = true;
		req->shm_size_bytes = a->a[1];
		req->shm_count = 1;
		break;
	case IPCCALL_SEMGET:
		req->has_sem = true;
		req->sem_arrays = 1;
		/* semget's nsems is an int: a negative one is huge here */
		req->sems_per_array = (uint64_t)(int64_t)(int32_t)a->a[1];
		break;
	case IPCCALL_SEMOP:
	case IPCCALL_SEMTIMEDOP:
		req->has_semop = true;
		req->semop_ops = a->a[2];
		break;
	case IPCCALL_MSGGET:
		req->has_queues = true;
		req->queues = 1;
		break;
	case IPCCALL_MSGSND:
		req->has_msg = true;
		req->msg_size_bytes = a->a[2];
		break;
	case IPCCALL_SHMAT:
	case IPCCALL_MQ_OPEN:
	case IPCCALL_MQ_TIMEDSEND:
	case IPCCALL_COUNT:
		return false;
	}
	(void)ipccall_arg_get(a, IPCARG_FLAGS, &flags);
	req->flags = (unsigned)flags;
	/* a keyed get is judged against its key only when the objects
	   were read; the watcher has the limits and usage alone */
	if (ipccall_arg_get(a, IPCARG_KEY, &key) && (uint32_t)key != 0 &&
	    ipctype_has(ks, ipccall_table[a->call].type)) {
		req->has_key = true;
		req->key = (uint32_t)key;
	}
	req->caller_uid = who->uid;
	req->caller_gids = &who->gid;
	req->caller_ngids = 1;
	return true;
}

/* The object a call names: "key 0x0000002a", "id 32769", or "". */
static void
cause_object(const struct ipccall_args *a, char *buf, size_t len)
{
	uint64_t v;

	buf[0] = '\0';
	if (a->call == IPCCALL_MQ_OPEN)
		snprintf(buf, len, "queue %.48s", a->mq.name[0] ? a->mq.name :
		    "(name unread)");
	else if (a->call == IPCCALL_MQ_TIMEDSEND && a->mq.name[0] != '\0')
		snprintf(buf, len, "mqdes %d (queue %.40s)",
		    (int)(int32_t)a->a[0], a->mq.name);
	else if (a->call == IPCCALL_MQ_TIMEDSEND)
		snprintf(buf, len, "mqdes %d", (int)(int32_t)a->a[0]);
	else if (ipccall_arg_get(a, IPCARG_KEY, &v))
		snprintf(buf, len, (uint32_t)v == 0 ? "key IPC_PRIVATE" :
		    "key 0x%08" PRIx32, (uint32_t)v);
	else if (ipccall_arg_get(a, IPCARG_ID, &v))
		snprintf(buf, len, "%s id %d", ipctype_table[ipccall_table[
		    a->call].type].short_singular, (int)(int32_t)v);
}

/* The row of the table for ERR from call C. */
static const struct cause_row *
cause_row_find(enum ipc_call c, int err)
{
	size_t i;

	for (i = 0; cause_rows[i].err != 0; i++)
		if (cause_rows[i].err == err && (cause_rows[i].calls == ANY ||
		    (cause_rows[i].calls & (1u << c))))
			break;
	return &cause_rows[i];
}

/*
 * fit's sentence speaks of a call to come ("semget would fail with
 * ENOSPC (...): "); this one happened: "semget ENOSPC: ".
 */
static void
cause_past(enum ipc_call call, int err, const char *fit_text, char *buf,
    size_t len)
{
	const char *p = strstr(fit_text, " would fail with "), *rest;
	const char *en = ipccall_errno_name(err);

	rest = p != NULL ? strstr(p, "): ") : NULL;
	if (rest == NULL) {
		snprintf(buf, len, "%s", fit_text);
		return;
	}
	snprintf(buf, len, "%s %s: %s", ipccall_table[call].name,
	    en ? en : "", rest + 3);
}

/* A limit that fit agrees on: its sentence and its fix. */
static void
cause_from_fit(const struct ipccall_args *a, const struct fit_result *res,
    enum fit_call fc, const struct ipccall_caller *who,
    struct cause_result *out)
{
	const struct fit_call_result *c = &res->call[fc];
	char text[sizeof(out->text)];
	size_t n;

	out->fit = c->cause;
	out->err = fit_cause_table[c->cause].err;
	out->code = fit_cause_table[c->cause].code;
	out->limit = c->cause < FIT_KEY_ENOENT;
	fit_explain(res, fc, text, sizeof(text));
	cause_past(a->call, fit_cause_table[c->cause].err, text, out->text,
	    sizeof(out->text));
	fit_advise(res, fc, out->fix, sizeof(out->fix));
	for (size_t i = 0; i < c->nfixes; i++) {
		if (!c->fixes[i].can_free || who->pid <= 0)
			continue;
		n = strlen(out->fix);
		snprintf(out->fix + n, sizeof(out->fix) - n, "%sleaked ones: "
		    "ipctune orphans --pid %d", n ? "; " : "", (int)who->pid);
		break;
	}
}

/*
 * posixfit's sentence speaks of the call in the present ("mq_open of the
 * queue fails with ENOSPC (...): "); this one happened: "mq_open ENOSPC: ".
 */
static void
cause_posix_past(enum ipc_call call, int err, const char *text, char *buf,
    size_t len)
{
	const char *p = strstr(text, " fails with "), *rest;
	const char *en = ipccall_errno_name(err);

	rest = p != NULL ? strstr(p, ": ") : NULL;
	if (rest == NULL) {
		snprintf(buf, len, "%s", text);
		return;
	}
	snprintf(buf, len, "%s %s: %s", ipccall_table[call].name,
	    en ? en : "", rest + 2);
}

/*
 * mq_open(O_CREAT) replayed through posixfit on the namespace's
 * fs.mqueue.* and queue count, into RES: false when it cannot be (no
 * O_CREAT, no fs.mqueue values, an attr that was not read).  The
 * caller's other queues are not known here, so RLIMIT_MSGQUEUE is named
 * only when this queue alone is above it.  An attr not read still lets
 * ENOSPC be judged: the queue count does not depend on it.
 */
static bool
cause_mq_predict(const struct ipccall_args *a, int err,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct posixfit_result *res)
{
	struct posixfit_request req = { .has_mq = true, .mq_count = 1 };
	struct kstate *k;
	char e[128];
	int r;

	/* O_CREAT (include/uapi/asm-generic/fcntl.h): else no check */
	if (a->call != IPCCALL_MQ_OPEN || !(a->a[1] & 0100) ||
	    !ks->sysctl[SC_MQ_QUEUES_MAX].present ||
	    (!a->mq.has_attr && a->a[3] != 0 && err != ENOSPC))
		return false;
	req.mq_default_attr = !a->mq.has_attr;
	/* ipc/mqueue.c mq_attr_ok(): zero or negative is refused first */
	req.mq_maxmsg = a->mq.maxmsg > 0 ? (uint64_t)a->mq.maxmsg : 0;
	req.mq_msgsize = a->mq.msgsize > 0 ? (uint64_t)a->mq.msgsize : 0;
	k = xmalloc(sizeof(*k));
	*k = *ks;
	k->source = KSRC_LIVE;
	memset(&k->usage.mq, 0, sizeof(k->usage.mq));
	k->usage.mq.has_attrs = true;
	k->usage.mq.users_truncated = true;	/* its queues are unknown */
	/* an unknown rlimit is not checked: only EMFILE's row names it */
	k->usage.mq.has_rlimit = true;
	k->usage.mq.rlimit = who->has_rlimit_msgqueue ?
	    who->rlimit_msgqueue : UINT64_MAX;
	k->usage.mq.caller_uid = who->uid;
	r = posixfit_predict(k, &req, res, e, sizeof(e));
	free(k);
	return r == 0;
}

/* posixfit's cause of RES for mq_open: its words, fix and errno. */
static void
cause_mq_words(const struct ipccall_args *a,
    const struct posixfit_result *res, struct cause_result *out)
{
	enum posixfit_cause c = res->call[PFIT_MQ_OPEN].cause;
	char text[sizeof(out->text)];

	out->code = posixfit_cause_table[c].code;
	out->limit = true;
	out->err = posixfit_cause_table[c].err;
	posixfit_explain(res, PFIT_MQ_OPEN, text, sizeof(text));
	cause_posix_past(a->call, out->err, text, out->text,
	    sizeof(out->text));
	posixfit_advise(res, PFIT_MQ_OPEN, out->fix, sizeof(out->fix));
}

/* mq_open replayed: true, with the words, when posixfit fails it with
   ERR too. */
static bool
cause_mq(const struct ipccall_args *a, int err,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct cause_result *out)
{
	struct posixfit_result *res = xmalloc(sizeof(*res));
	enum posixfit_cause c;
	bool agreed = false;

	if (cause_mq_predict(a, err, who, ks, res)) {
		c = res->call[PFIT_MQ_OPEN].cause;
		if (c != PFIT_OK && posixfit_cause_table[c].err == err) {
			cause_mq_words(a, res, out);
			agreed = true;
		}
	}
	free(res);
	return agreed;
}

/*
 * mq_timedsend judged on its queue's attributes (ipc/mqueue.c
 * do_mq_timedsend(): msg_len first, then a full queue): EMSGSIZE,
 * EAGAIN for a full one (ETIMEDOUT when it waited), or 0; -1 when the
 * attributes are unknown.
 */
static int
cause_send_err(const struct ipccall_args *a)
{
	const struct ipccall_mq *m = &a->mq;

	if (a->call != IPCCALL_MQ_TIMEDSEND || !m->has_queue)
		return -1;
	if (m->q_msgsize >= 0 && a->a[2] > (uint64_t)m->q_msgsize)
		return EMSGSIZE;
	return m->q_curmsgs >= m->q_maxmsg ? EAGAIN : 0;
}

/* The figures a POSIX queue row can add: the queue's, the rlimit. */
static void
cause_mq_figures(const struct ipccall_args *a, int err,
    const struct ipccall_caller *who, char *buf, size_t len)
{
	const struct ipccall_mq *m = &a->mq;

	buf[0] = '\0';
	if (a->call == IPCCALL_MQ_TIMEDSEND && m->has_queue && err == EAGAIN)
		snprintf(buf, len, "; it holds %" PRId64 " of %" PRId64
		    " messages", m->q_curmsgs, m->q_maxmsg);
	else if (a->call == IPCCALL_MQ_TIMEDSEND && m->has_queue &&
	    err == EMSGSIZE)
		snprintf(buf, len, "; msg_len %" PRIu64 " > mq_msgsize %"
		    PRId64, a->a[2], m->q_msgsize);
	else if (a->call == IPCCALL_MQ_TIMEDSEND && !m->has_queue &&
	    (err == EAGAIN || err == EMSGSIZE || err == ETIMEDOUT))
		snprintf(buf, len, "; the queue's attributes are unknown");
	else if (a->call == IPCCALL_MQ_OPEN && err == EMFILE &&
	    who->has_rlimit_msgqueue)
		snprintf(buf, len, who->rlimit_msgqueue == UINT64_MAX ?
		    "; RLIMIT_MSGQUEUE is unlimited" : "; RLIMIT_MSGQUEUE is %"
		    PRIu64 " bytes", who->rlimit_msgqueue);
}

/* The row of the table for ERR from A, with the object and figures. */
static void
cause_row_text(const struct ipccall_args *a, int err,
    const struct ipccall_caller *who, struct cause_result *out)
{
	const struct cause_row *row = cause_row_find(a->call, err);
	const char *en = ipccall_errno_name(err);
	char obj[64];
	size_t n;

	out->code = row->code;
	out->limit = row->limit;
	n = (size_t)snprintf(out->text, sizeof(out->text), "%s %s: %s",
	    ipccall_table[a->call].name, en ? en : "errno", row->text);
	if (en == NULL && n < sizeof(out->text))
		n += (size_t)snprintf(out->text + n, sizeof(out->text) - n,
		    " (errno %d)", err);
	cause_object(a, obj, sizeof(obj));
	if (obj[0] != '\0' && n < sizeof(out->text))
		n += (size_t)snprintf(out->text + n, sizeof(out->text) - n,
		    "; %s", obj);
	if (row->caller && n < sizeof(out->text))
		n += (size_t)snprintf(out->text + n, sizeof(out->text) - n,
		    "; caller uid %u gid %u", (unsigned)who->uid,
		    (unsigned)who->gid);
	if (n < sizeof(out->text))
		cause_mq_figures(a, err, who, out->text + n,
		    sizeof(out->text) - n);
	snprintf(out->fix, sizeof(out->fix), "%s", row->fix);
}

/* The POSIX queue calls replayed now: cause_replay()'s answer. */
static int
cause_replay_mq(const struct ipccall_args *a,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct cause_result *out)
{
	struct posixfit_result *res;
	int e;

	if (a->call == IPCCALL_MQ_TIMEDSEND) {
		if ((e = cause_send_err(a)) < 0)
			return 1;
		if (e != 0) {
			cause_row_text(a, e, who, out);
			out->err = e;
		}
		return 0;
	}
	res = xmalloc(sizeof(*res));
	e = cause_mq_predict(a, 0, who, ks, res) ? 0 : 1;
	if (e == 0 && res->call[PFIT_MQ_OPEN].cause != PFIT_OK)
		cause_mq_words(a, res, out);
	free(res);
	return e;
}

int
cause_replay(const struct ipccall_args *a, const struct ipccall_caller *who,
    const struct kstate *ks, struct cause_result *out, char *errbuf,
    size_t errlen)
{
	struct fit_request req;
	struct fit_result res;
	enum fit_call fc;

	memset(out, 0, sizeof(*out));
	out->fit = FIT_OK;
	out->code = "ok";
	if ((int)a->call < 0 || a->call >= IPCCALL_COUNT)
		return 1;
	if (ipccall_table[a->call].type == IPC_PMQ)
		return cause_replay_mq(a, who, ks, out);
	if (!cause_request(a, who, ks, &req))
		return 1;
	if (fit_predict(ks, &req, &res, errbuf, errlen) < 0)
		return -1;
	fc = (enum fit_call)fit_of_call[a->call];
	if (res.call[fc].cause != FIT_OK)
		cause_from_fit(a, &res, fc, who, out);
	return 0;
}

int
cause_explain(const struct ipccall_args *a, int err,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct cause_result *out, char *errbuf, size_t errlen)
{
	struct fit_request req;
	struct fit_result res;
	int e;

	memset(out, 0, sizeof(*out));
	out->fit = FIT_OK;
	if ((int)a->call < 0 || a->call >= IPCCALL_COUNT) {
		snprintf(errbuf, errlen, "unknown IPC call %d", (int)a->call);
		errno = EINVAL;
		return -1;
	}
	if (cause_mq(a, err, who, ks, out))
		return 0;
	if (cause_request(a, who, ks, &req) &&
	    fit_predict(ks, &req, &res, errbuf, errlen) == 0) {
		enum fit_call fc = (enum fit_call)fit_of_call[a->call];
		enum fit_cause c = res.call[fc].cause;

		/* fit's cause counts only with the errno the kernel gave */
		if (c != FIT_OK && fit_cause_table[c].err == err) {
			cause_from_fit(a, &res, fc, who, out);
			return 0;
		}
	}
	errbuf[0] = '\0';
	cause_row_text(a, err, who, out);
	/* the queue's attributes fail it the same way (a full queue gives
	   EAGAIN, or ETIMEDOUT once the wait ends) */
	e = cause_send_err(a);
	if (e > 0 && (e == err || (e == EAGAIN && err == ETIMEDOUT)))
		out->err = err;
	return 0;
}
