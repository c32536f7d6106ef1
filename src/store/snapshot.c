/*
 * snapshot.c: loads a snapshot document (written by snapwrite.c) back
 * into a kstate.  The loader treats the document as hostile: every
 * member is type- and range-checked and errors name the JSON path.  It
 * reads the one file it is given and writes nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errstr.h"
#include "infile.h"
#include "numparse.h"
#include "procparse.h"
#include "snapjson.h"
#include "snapshot.h"
#include "xmalloc.h"

#define SNAPSHOT_MAXLEN (512u << 20)

/* ---- loading ---- */

struct ld {
	char *err;
	size_t errlen;
};

static int
ld_fail(struct ld *l, const char *path, const char *what)
{
	snprintf(l->err, l->errlen, "%s: %s", path, what);
	errno = EINVAL;
	return -1;
}

/* Fail about member KEY of CTX; the path is built only on failure. */
static int
ld_failk(struct ld *l, const char *ctx, const char *key, const char *what)
{
	snprintf(l->err, l->errlen, "%s.%s: %s", ctx, key, what);
	errno = EINVAL;
	return -1;
}

/* An integer member in [MIN, MAX]; null allowed if NULLOK (*isnull). */
static int
ld_int(struct ld *l, json_t *obj, const char *ctx, const char *key,
    int64_t min, int64_t max, int64_t *out, bool nullok, bool *isnull)
{
	json_t *v = json_object_get(obj, key);

	if (isnull != NULL)
		*isnull = false;
	if (v == NULL)
		return ld_failk(l, ctx, key, "missing");
	if (json_is_null(v) && nullok) {
		if (isnull != NULL)
			*isnull = true;
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v))
		return ld_failk(l, ctx, key, "not an integer");
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return ld_failk(l, ctx, key, "out of range");
	*out = json_integer_value(v);
	return 0;
}

/* A u64 member: an integer, or null with KEY_exact holding the digits. */
static int
ld_u64(struct ld *l, json_t *obj, const char *ctx, const char *key,
    uint64_t *out, bool nullok, bool *isnull)
{
	json_t *v = json_object_get(obj, key);
	char k[128];

	if (isnull != NULL)
		*isnull = false;
	if (v == NULL)
		return ld_failk(l, ctx, key, "missing");
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return ld_failk(l, ctx, key, "negative");
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_null(v))
		return ld_failk(l, ctx, key, "not an integer");
	snprintf(k, sizeof(k), "%s_exact", key);
	v = json_object_get(obj, k);
	if (v == NULL) {
		if (nullok) {
			if (isnull != NULL)
				*isnull = true;
			*out = 0;
			return 0;
		}
		return ld_failk(l, ctx, key, "null without an exact value");
	}
	if (!json_is_string(v) || num_parse_u64(json_string_value(v), 0,
	    UINT64_MAX, out) < 0)
		return ld_failk(l, ctx, k, "not a decimal string");
	return 0;
}

/* One user's queue charge of usage.posix_limits.mqueue_charges. */
static int
ld_mq_charge(struct ld *l, json_t *e, struct mq_charge *c)
{
	const char *ctx = "usage.posix_limits.mqueue_charges[]";
	int64_t uid;

	if (!json_is_object(e))
		return ld_fail(l, ctx, "not an object");
	if (ld_int(l, e, ctx, "uid", 0, UINT32_MAX, &uid, false, NULL) < 0 ||
	    ld_u64(l, e, ctx, "queues", &c->queues, false, NULL) < 0 ||
	    ld_u64(l, e, ctx, "bytes", &c->bytes, false, NULL) < 0 ||
	    ld_u64(l, e, ctx, "unreadable", &c->unreadable, false, NULL) < 0)
		return -1;
	c->uid = (uid_t)uid;
	return 0;
}

/* The queue charges of usage.posix_limits O, when they were read. */
static int
ld_mq_charges(struct ld *l, json_t *o, struct mq_charges *mq)
{
	const char *ctx = "usage.posix_limits";
	json_t *a = json_object_get(o, "mqueue_charges");
	size_t i;
	json_t *e;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > MQ_CHARGE_USERS)
		return ld_fail(l, "usage.posix_limits.mqueue_charges",
		    "not an array of at most 16");
	if (ld_u64(l, o, ctx, "mqueue_max_maxmsg", &mq->max_maxmsg, false,
	    NULL) < 0 || ld_u64(l, o, ctx, "mqueue_max_msgsize",
	    &mq->max_msgsize, false, NULL) < 0 || ld_u64(l, o, ctx,
	    "mqueue_unreadable", &mq->unreadable, false, NULL) < 0)
		return -1;
	json_array_foreach(a, i, e)
		if (ld_mq_charge(l, e, &mq->users[i]) < 0)
			return -1;
	mq->nusers = json_array_size(a);
	mq->has_attrs = true;
	return 0;
}

/*
 * usage.posix_limits, absent in snapshots of older versions: the /dev/shm
 * inodes and the POSIX queues' RLIMIT_MSGQUEUE charges.
 */
static int
ld_posix_limits(struct ld *l, json_t *usage, struct ipc_usage *u)
{
	const char *ctx = "usage.posix_limits";
	json_t *o = json_object_get(usage, "posix_limits"), *v;
	int64_t uid;
	bool nl, unl;

	if (o == NULL)
		return 0;
	if (!json_is_object(o))
		return ld_fail(l, ctx, "not an object");
	v = json_object_get(o, "dev_shm_path");
	if (json_is_string(v))
		snprintf(u->dev_shm_path, sizeof(u->dev_shm_path), "%s",
		    json_string_value(v));
	else if (v != NULL && !json_is_null(v))
		return ld_failk(l, ctx, "dev_shm_path", "not a string");
	if (ld_u64(l, o, ctx, "dev_shm_inodes", &u->dev_shm_inodes, true,
	    &nl) < 0 || ld_u64(l, o, ctx, "dev_shm_inodes_used",
	    &u->dev_shm_inodes_used, true, NULL) < 0 || ld_int(l, o, ctx,
	    "mqueue_caller_uid", 0, UINT32_MAX, &uid, false, NULL) < 0 ||
	    ld_u64(l, o, ctx, "mqueue_rlimit_bytes", &u->mq.rlimit, true,
	    &unl) < 0)
		return -1;
	u->has_dev_shm_inodes = !nl;
	u->mq.caller_uid = (uid_t)uid;
	v = json_object_get(o, "mqueue_rlimit_unlimited");
	if (!json_is_boolean(v))
		return ld_failk(l, ctx, "mqueue_rlimit_unlimited",
		    "not a boolean");
	u->mq.has_rlimit = !unl || json_is_true(v);
	if (json_is_true(v))
		u->mq.rlimit = UINT64_MAX;
	return ld_mq_charges(l, o, &u->mq);
}

/*
 * The kernel.sem members of E (at CTX) against the fields of SV parsed
 * from raw: each an int, equal to the field; a negative field may also
 * be 0, as snapshots written before negatives were kept have it.
 */
static int
ld_sem_fields(struct ld *l, json_t *e, const char *ctx,
    const struct sysctl_value *sv)
{
	int64_t f[SEM_NFIELDS];

	sysctl_sem_fields(sv, f);
	for (int k = 0; k < SEM_NFIELDS; k++) {
		char msg[256];
		int64_t iv;

		if (ld_int(l, e, ctx, sem_field_names[k], INT32_MIN,
		    INT32_MAX, &iv, false, NULL) < 0)
			return -1;
		if (iv != f[k] && !(f[k] < 0 && iv == 0)) {
			snprintf(msg, sizeof(msg), "%s.%s", ctx,
			    sem_field_names[k]);
			return ld_fail(l, msg, "disagrees with raw");
		}
	}
	return 0;
}

/*
 * The ipc_perm members of O; a mode is at most MODE_MAX: the 9
 * permission bits (ipc_update_perm()), and for a segment SHM_DEST and
 * SHM_LOCKED as well.
 */
static int
ld_perm(struct ld *l, json_t *o, const char *ctx, uint32_t mode_max,
    struct obj_perm *p)
{
	int64_t v[7];

	if (!json_is_object(o))
		return ld_fail(l, ctx, "not an object");
	if (ld_int(l, o, ctx, "id", 0, INT32_MAX, &v[0], false, NULL) ||
	    ld_int(l, o, ctx, "key", 0, UINT32_MAX, &v[1], false, NULL) ||
	    ld_int(l, o, ctx, "mode", 0, mode_max, &v[2], false, NULL) ||
	    ld_int(l, o, ctx, "uid", 0, UINT32_MAX, &v[3], false, NULL) ||
	    ld_int(l, o, ctx, "gid", 0, UINT32_MAX, &v[4], false, NULL) ||
	    ld_int(l, o, ctx, "cuid", 0, UINT32_MAX, &v[5], false, NULL) ||
	    ld_int(l, o, ctx, "cgid", 0, UINT32_MAX, &v[6], false, NULL))
		return -1;
	p->id = (int)v[0];
	p->key = (uint32_t)v[1];
	p->mode = (uint32_t)v[2];
	p->uid = (uid_t)v[3];
	p->gid = (gid_t)v[4];
	p->cuid = (uid_t)v[5];
	p->cgid = (gid_t)v[6];
	return 0;
}

#define T_MAX INT64_MAX
#define P_MAX IPC_PID_MAX
#define SHM_MODE_MAX (0777 | IPC_SHM_DEST | IPC_SHM_LOCKED)

/* Segment S from O (CTX names it in messages). */
static int
ld_shm(struct ld *l, json_t *o, const char *ctx, struct shm_obj *s)
{
	int64_t t[2];
	bool nl;

	if (ld_perm(l, o, ctx, SHM_MODE_MAX, &s->perm) ||
	    ld_u64(l, o, ctx, "size_bytes", &s->size_bytes, false, NULL) ||
	    ld_u64(l, o, ctx, "nattch", &s->nattch, false, NULL) ||
	    ld_int(l, o, ctx, "cpid", 0, P_MAX, &t[0], false, NULL) ||
	    ld_int(l, o, ctx, "lpid", 0, P_MAX, &t[1], false, NULL) ||
	    ld_int(l, o, ctx, "atime_unix", 0, T_MAX, &s->atime, true,
	    NULL) ||
	    ld_int(l, o, ctx, "dtime_unix", 0, T_MAX, &s->dtime, true,
	    NULL) ||
	    ld_int(l, o, ctx, "ctime_unix", 0, T_MAX, &s->ctime, true,
	    NULL) ||
	    ld_u64(l, o, ctx, "rss_bytes", &s->rss_bytes, true, &nl) ||
	    ld_u64(l, o, ctx, "swap_bytes", &s->swap_bytes, true, NULL))
		return -1;
	s->cpid = (pid_t)t[0];
	s->lpid = (pid_t)t[1];
	s->has_rss = !nl;
	return 0;
}

/* Semaphore array S from O; *SEMS sums the semaphores of all arrays. */
static int
ld_sem(struct ld *l, json_t *o, const char *ctx, struct sem_obj *s,
    uint64_t *sems)
{
	if (ld_perm(l, o, ctx, 0777, &s->perm) ||
	    ld_u64(l, o, ctx, "nsems", &s->nsems, false, NULL) ||
	    ld_int(l, o, ctx, "otime_unix", 0, T_MAX, &s->otime, true,
	    NULL) ||
	    ld_int(l, o, ctx, "ctime_unix", 0, T_MAX, &s->ctime, true,
	    NULL))
		return -1;
	/*
	 * ksys_semget(): 0 < nsems <= SEMMSL, an int; and newary() keeps
	 * used_sems, their sum, an int too
	 */
	if (s->nsems == 0 || s->nsems > INT32_MAX)
		return ld_failk(l, ctx, "nsems", "out of range");
	*sems += s->nsems;
	if (*sems > INT32_MAX)
		return ld_failk(l, ctx, "nsems", "out of range (the arrays "
		    "hold more than 2147483647 semaphores in all)");
	return 0;
}

/* Message queue S from O. */
static int
ld_msg(struct ld *l, json_t *o, const char *ctx, struct msg_obj *s)
{
	int64_t t[2];
	bool nl;

	if (ld_perm(l, o, ctx, 0777, &s->perm) ||
	    ld_u64(l, o, ctx, "used_bytes", &s->cbytes, false, NULL) ||
	    ld_u64(l, o, ctx, "messages", &s->qnum, false, NULL) ||
	    ld_u64(l, o, ctx, "qbytes", &s->qbytes, true, &nl) ||
	    ld_int(l, o, ctx, "lspid", 0, P_MAX, &t[0], false, NULL) ||
	    ld_int(l, o, ctx, "lrpid", 0, P_MAX, &t[1], false, NULL) ||
	    ld_int(l, o, ctx, "stime_unix", 0, T_MAX, &s->stime, true,
	    NULL) ||
	    ld_int(l, o, ctx, "rtime_unix", 0, T_MAX, &s->rtime, true,
	    NULL) ||
	    ld_int(l, o, ctx, "ctime_unix", 0, T_MAX, &s->ctime, true,
	    NULL))
		return -1;
	s->has_qbytes = !nl;
	s->lspid = (pid_t)t[0];
	s->lrpid = (pid_t)t[1];
	return 0;
}

/* The value of hex digit C, or -1. */
static int
ld_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode the hex digits of S into a name: no NUL, no '/', not . or .. */
static char *
ld_name_hex(const char *s)
{
	size_t n = strlen(s);
	char *out;

	/* NAME_MAX (255): the longest name a directory entry can have */
	if (n == 0 || n % 2 != 0 || n / 2 > 255)
		return NULL;
	out = xmalloc(n / 2 + 1);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = ld_hex_digit(s[2 * i]), lo = ld_hex_digit(s[2 * i +
		    1]);

		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0) || (hi == 2 &&
		    lo == 15)) {
			free(out);
			return NULL;
		}
		out[i] = (char)(hi << 4 | lo);
	}
	out[n / 2] = '\0';
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* The holders of F from O ("holders": null, or an array). */
static int
ld_holders(struct ld *l, json_t *o, const char *ctx, struct posix_file *f)
{
	json_t *a = json_object_get(o, "holders"), *h;
	size_t i;

	if (a == NULL)
		return ld_failk(l, ctx, "holders", "missing");
	if (json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return ld_failk(l, ctx, "holders", "not an array");
	f->has_holders = true;
	f->holders = xcalloc(json_array_size(a) + 1, sizeof(*f->holders));
	json_array_foreach(a, i, h) {
		struct posix_holder *x = &f->holders[i];
		json_t *m, *fd, *c, *pid;

		if (!json_is_object(h))
			return ld_failk(l, ctx, "holders", "not an object");
		pid = json_object_get(h, "pid");
		m = json_object_get(h, "mapped");
		fd = json_object_get(h, "open");
		c = json_object_get(h, "comm");
		if (!json_is_integer(pid) || json_integer_value(pid) < 0 ||
		    json_integer_value(pid) > P_MAX || !json_is_boolean(m) ||
		    !json_is_boolean(fd) || !json_is_string(c))
			return ld_failk(l, ctx, "holders", "malformed holder");
		x->pid = (pid_t)json_integer_value(pid);
		x->how = (json_is_true(m) ? POSIX_HOLD_MAP : 0) |
		    (json_is_true(fd) ? POSIX_HOLD_FD : 0);
		/* pid 0: a loop device it backs, mapping and opening nothing */
		if (x->pid == 0 && x->how != 0)
			return ld_failk(l, ctx, "holders", "malformed holder");
		if (x->pid == 0)
			x->how = POSIX_HOLD_LOOP;
		snprintf(x->comm, sizeof(x->comm), "%s", json_string_value(c));
		f->nholders++;
	}
	return 0;
}

/*
 * The members every POSIX object has, into P and F: the file's name
 * (file_hex, exact), owner, mode, sizes, times, identity and holders.
 */
static int
ld_posix(struct ld *l, json_t *o, const char *ctx, struct obj_perm *p,
    struct posix_file *f)
{
	json_t *hx;
	int64_t v[3];

	if (!json_is_object(o))
		return ld_fail(l, ctx, "not an object");
	hx = json_object_get(o, "file_hex");
	if (!json_is_string(hx))
		return ld_failk(l, ctx, "file_hex", "not a string");
	f->name = ld_name_hex(json_string_value(hx));
	if (f->name == NULL)
		return ld_failk(l, ctx, "file_hex", "not a file name in hex");
	if (ld_int(l, o, ctx, "uid", 0, UINT32_MAX, &v[0], false, NULL) ||
	    ld_int(l, o, ctx, "gid", 0, UINT32_MAX, &v[1], false, NULL) ||
	    ld_int(l, o, ctx, "mode", 0, 07777, &v[2], false, NULL) ||
	    ld_u64(l, o, ctx, "size_bytes", &f->size_bytes, false, NULL) ||
	    ld_u64(l, o, ctx, "allocated_bytes", &f->alloc_bytes, false,
	    NULL) ||
	    ld_int(l, o, ctx, "atime_unix", 0, T_MAX, &f->atime, true,
	    NULL) ||
	    ld_int(l, o, ctx, "mtime_unix", 0, T_MAX, &f->mtime, true,
	    NULL) ||
	    ld_int(l, o, ctx, "ctime_unix", 0, T_MAX, &f->ctime, true,
	    NULL) ||
	    ld_u64(l, o, ctx, "dev", &f->dev, false, NULL) ||
	    ld_u64(l, o, ctx, "inode", &f->ino, false, NULL) ||
	    ld_holders(l, o, ctx, f) < 0)
		return -1;
	p->id = -1;
	p->key = 0;
	p->uid = p->cuid = (uid_t)v[0];
	p->gid = p->cgid = (gid_t)v[1];
	p->mode = (uint32_t)v[2];
	return 0;
}

/* Named semaphore S from O. */
static int
ld_psem(struct ld *l, json_t *o, const char *ctx, struct psem_obj *s)
{
	uint64_t v, n;
	bool nl;

	if (ld_posix(l, o, ctx, &s->perm, &s->f) < 0 ||
	    ld_u64(l, o, ctx, "value", &v, true, &nl) ||
	    ld_u64(l, o, ctx, "waiters", &n, true, NULL))
		return -1;
	if (v > UINT32_MAX || n > UINT32_MAX)
		return ld_failk(l, ctx, "value", "out of range");
	s->has_value = !nl;
	s->value = (uint32_t)v;
	s->nwaiters = (uint32_t)n;
	return 0;
}

/* POSIX message queue S from O. */
static int
ld_pmq(struct ld *l, json_t *o, const char *ctx, struct pmq_obj *s)
{
	int64_t v[3];
	bool nt, na;

	if (ld_posix(l, o, ctx, &s->perm, &s->f) < 0 ||
	    ld_u64(l, o, ctx, "qsize_bytes", &s->qsize_bytes, true, &nt) ||
	    ld_int(l, o, ctx, "notify", INT32_MIN, INT32_MAX, &v[0], true,
	    NULL) ||
	    ld_int(l, o, ctx, "signo", INT32_MIN, INT32_MAX, &v[1], true,
	    NULL) ||
	    ld_int(l, o, ctx, "notify_pid", 0, P_MAX, &v[2], true, NULL) ||
	    ld_int(l, o, ctx, "maxmsg", 0, INT64_MAX, &s->maxmsg, true,
	    &na) ||
	    ld_int(l, o, ctx, "msgsize", 0, INT64_MAX, &s->msgsize, true,
	    NULL) ||
	    ld_int(l, o, ctx, "messages", 0, INT64_MAX, &s->curmsgs, true,
	    NULL))
		return -1;
	s->has_text = !nt;
	s->notify = (int)v[0];
	s->signo = (int)v[1];
	s->notify_pid = (pid_t)v[2];
	s->has_attr = !na;
	return 0;
}

/* A string member KEY of O into BUF of LEN bytes. */
static int
ld_str(struct ld *l, json_t *o, const char *ctx, const char *key, char *buf,
    size_t len)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return ld_failk(l, ctx, key, "not a string");
	if (strlen(json_string_value(v)) >= len)
		return ld_failk(l, ctx, key, "too long");
	snprintf(buf, len, "%s", json_string_value(v));
	return 0;
}

/* The filesystem FS from O ("posix.dev_shm" or "posix.mqueue"). */
static int
ld_posix_fs(struct ld *l, json_t *o, const char *ctx, struct posix_fs *fs)
{
	json_t *r = json_object_get(o, "read"), *w;
	uint64_t n[2];

	if (json_is_null(o))
		return 0;
	if (!json_is_object(o) || !json_is_boolean(r))
		return ld_fail(l, ctx, "not a filesystem");
	w = json_object_get(o, "why_not");
	fs->read = json_is_true(r);
	if (!fs->read && (ld_str(l, o, ctx, "why_not", fs->why,
	    sizeof(fs->why)) < 0 || fs->why[0] == '\0'))
		return -1;
	if (fs->read && !json_is_null(w))
		return ld_failk(l, ctx, "why_not", "not null");
	if (ld_str(l, o, ctx, "path", fs->path, sizeof(fs->path)) ||
	    ld_str(l, o, ctx, "source", fs->source, sizeof(fs->source)) ||
	    ld_str(l, o, ctx, "fstype", fs->fstype, sizeof(fs->fstype)) ||
	    ld_u64(l, o, ctx, "dev", &fs->dev, false, NULL) ||
	    ld_u64(l, o, ctx, "size_bytes", &fs->size_bytes, false, NULL) ||
	    ld_u64(l, o, ctx, "free_bytes", &fs->free_bytes, false, NULL) ||
	    ld_u64(l, o, ctx, "inodes", &fs->inodes, false, NULL) ||
	    ld_u64(l, o, ctx, "free_inodes", &fs->free_inodes, false,
	    NULL) ||
	    ld_u64(l, o, ctx, "skipped", &n[0], false, NULL) ||
	    ld_u64(l, o, ctx, "unreadable", &n[1], false, NULL))
		return -1;
	fs->skipped = (size_t)n[0];
	fs->unreadable = (size_t)n[1];
	return 0;
}

/* The "posix" member: the filesystems read and the holder scan. */
static int
ld_posix_fss(struct ld *l, json_t *o, struct kstate *ks)
{
	json_t *h = json_object_get(o, "holder_scan");
	uint64_t n[2];

	if (!json_is_object(o))
		return ld_fail(l, "posix", "not an object");
	if (ld_posix_fs(l, json_object_get(o, "dev_shm"), "posix.dev_shm",
	    &ks->dev_shm) < 0 ||
	    ld_posix_fs(l, json_object_get(o, "mqueue"), "posix.mqueue",
	    &ks->mqueue) < 0)
		return -1;
	if (!json_is_object(h) ||
	    !json_is_boolean(json_object_get(h, "done")))
		return ld_fail(l, "posix.holder_scan", "not an object");
	if (ld_u64(l, h, "posix.holder_scan", "processes", &n[0], false,
	    NULL) || ld_u64(l, h, "posix.holder_scan", "processes_partial",
	    &n[1], false, NULL))
		return -1;
	ks->holders.done = json_is_true(json_object_get(h, "done"));
	ks->holders.procs = (size_t)n[0];
	ks->holders.procs_partial = (size_t)n[1];
	return 0;
}

/*
 * The objects of type T in array A into KS, counted as each is read
 * (so that KS frees what was read when one fails).
 */
static int
ld_type(struct ld *l, json_t *a, enum ipc_type t, struct kstate *ks)
{
	const char *key = ipctype_table[t].json_key;
	size_t n = json_array_size(a), i;
	uint64_t sems = 0;
	char ctx[64];
	json_t *o;
	int r = -1;

	switch (t) {
	case IPC_SHM:
		ks->shm = xcalloc(n, sizeof(*ks->shm));
		break;
	case IPC_SEM:
		ks->sem = xcalloc(n, sizeof(*ks->sem));
		break;
	case IPC_MSG:
		ks->msg = xcalloc(n, sizeof(*ks->msg));
		break;
	case IPC_PSHM:
		ks->pshm = xcalloc(n, sizeof(*ks->pshm));
		break;
	case IPC_PSEM:
		ks->psem = xcalloc(n, sizeof(*ks->psem));
		break;
	case IPC_PMQ:
		ks->pmq = xcalloc(n, sizeof(*ks->pmq));
		break;
	case IPC_NTYPES:
		break;
	}
	json_array_foreach(a, i, o) {
		snprintf(ctx, sizeof(ctx), "objects.%s[%zu]", key, i);
		switch (t) {
		case IPC_SHM:
			if ((r = ld_shm(l, o, ctx, &ks->shm[i])) == 0)
				ks->nshm++;
			break;
		case IPC_SEM:
			if ((r = ld_sem(l, o, ctx, &ks->sem[i], &sems)) == 0)
				ks->nsem++;
			break;
		case IPC_MSG:
			if ((r = ld_msg(l, o, ctx, &ks->msg[i])) == 0)
				ks->nmsg++;
			break;
		/* counted even when it fails, so that its name is freed */
		case IPC_PSHM:
			ks->npshm++;
			r = ld_posix(l, o, ctx, &ks->pshm[i].perm,
			    &ks->pshm[i].f);
			break;
		case IPC_PSEM:
			ks->npsem++;
			r = ld_psem(l, o, ctx, &ks->psem[i]);
			break;
		case IPC_PMQ:
			ks->npmq++;
			r = ld_pmq(l, o, ctx, &ks->pmq[i]);
			break;
		case IPC_NTYPES:
			r = ld_fail(l, ctx, "not an object type");
			break;
		}
		if (r < 0)
			return -1;
	}
	ipctype_set_has(ks, t);
	return 0;
}

/* The member of each type in DOC ("objects"): absent means not read. */
static int
ld_objects(struct ld *l, json_t *doc, struct kstate *ks)
{
	char ctx[64];

	for (int ti = 0; ti < IPC_NTYPES; ti++) {
		enum ipc_type t = (enum ipc_type)ti;
		json_t *a = json_object_get(doc, ipctype_table[t].json_key);

		if (a == NULL)
			continue;
		if (!json_is_array(a)) {
			snprintf(ctx, sizeof(ctx), "objects.%s",
			    ipctype_table[t].json_key);
			return ld_fail(l, ctx, "not an array");
		}
		if (ld_type(l, a, t, ks) < 0)
			return -1;
	}
	return 0;
}

static int
ld_string(struct ld *l, json_t *obj, const char *ctx, const char *key,
    char *dst, size_t dstlen)
{
	json_t *v = json_object_get(obj, key);
	char path[256];

	snprintf(path, sizeof(path), "%s.%s", ctx, key);
	if (v == NULL)
		return ld_fail(l, path, "missing");
	if (!json_is_string(v))
		return ld_fail(l, path, "not a string");
	if (json_string_length(v) >= dstlen)
		return ld_fail(l, path, "too long");
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* ipc_namespace.container, when present: the runtime and the id. */
static int
ld_container(struct ld *l, json_t *c, struct host_facts *h)
{
	static const char ctx[] = "ipc_namespace.container";

	if (c == NULL)
		return 0;
	if (!json_is_object(c))
		return ld_fail(l, ctx, "not an object");
	if (ld_string(l, c, ctx, "runtime", h->container_runtime,
	    sizeof(h->container_runtime)) < 0 ||
	    ld_string(l, c, ctx, "id", h->container_id,
	    sizeof(h->container_id)) < 0)
		return -1;
	if (h->container_id[0] == '\0' || h->container_runtime[0] == '\0')
		return ld_fail(l, ctx, "an empty runtime or id");
	return 0;
}

/* The document's schema_version and kind: an ipctune snapshot this reads. */
static int
ld_schema(struct ld *l, json_t *doc)
{
	json_t *v;
	int64_t iv;

	if (!json_is_object(doc))
		return ld_fail(l, "document", "not a JSON object");
	if (ld_int(l, doc, "document", "schema_version", 0, INT32_MAX, &iv,
	    false, NULL) < 0)
		return -1;
	if (iv != IPCTUNE_SCHEMA_VERSION) {
		snprintf(l->err, l->errlen, "unsupported schema_version %"
		    PRId64 " (this ipctune reads version %d)", iv,
		    IPCTUNE_SCHEMA_VERSION);
		errno = EINVAL;
		return -1;
	}
	v = json_object_get(doc, "document");
	if (!json_is_string(v) || strcmp(json_string_value(v), "snapshot"))
		return ld_fail(l, "document", "not an ipctune snapshot "
		    "(\"document\": \"snapshot\" expected)");
	return 0;
}

/* The host facts and the IPC namespace of DOC into KS. */
static int
ld_host(struct ld *l, json_t *doc, struct kstate *ks)
{
	json_t *v, *host = json_object_get(doc, "host");
	int64_t iv;

	if (!json_is_object(host))
		return ld_fail(l, "host", "missing or not an object");
	if (ld_string(l, host, "host", "hostname", ks->host.hostname,
	    sizeof(ks->host.hostname)) ||
	    ld_string(l, host, "host", "kernel_release",
	    ks->host.kernel_release, sizeof(ks->host.kernel_release)) ||
	    ld_u64(l, host, "host", "page_size_bytes", &ks->host.page_size,
	    false, NULL) ||
	    ld_u64(l, host, "host", "ram_bytes", &ks->host.ram_bytes, false,
	    NULL) ||
	    ld_int(l, host, "host", "ncpu", 1, 1 << 20, &iv, false, NULL) ||
	    ld_int(l, host, "host", "read_at_unix", 0, INT64_MAX,
	    &ks->read_at, false, NULL))
		return -1;
	/* written back through json_integer(): keep it in range */
	ks->host.ncpu = (uint64_t)iv;
	if (ks->host.page_size == 0 || ks->host.page_size > (1u << 30) ||
	    (ks->host.page_size & (ks->host.page_size - 1)))
		return ld_fail(l, "host.page_size_bytes", "not a power of "
		    "two page size");
	v = json_object_get(host, "ipcmni_extend");
	if (!json_is_boolean(v))
		return ld_fail(l, "host.ipcmni_extend", "not a boolean");
	ks->host.ipcmni_extend = json_is_true(v);
	v = json_object_get(doc, "ipc_namespace");
	if (json_is_object(v)) {
		json_t *ino = json_object_get(v, "inode");

		if (json_is_integer(ino) && json_integer_value(ino) > 0)
			ks->host.ipc_ns_inode =
			    (uint64_t)json_integer_value(ino);
		if (ld_container(l, json_object_get(v, "container"),
		    &ks->host) < 0)
			return -1;
	}
	return 0;
}

/* Each sysctl of DOC from its raw text, which its parsed members match. */
static int
ld_sysctls(struct ld *l, json_t *doc, struct kstate *ks)
{
	json_t *sys = json_object_get(doc, "sysctls");

	if (!json_is_object(sys))
		return ld_fail(l, "sysctls", "missing or not an object");
	for (int i = 0; i < SC_COUNT; i++) {
		json_t *e = json_object_get(sys, sysctl_table[i].name), *raw;
		char path[128], msg[256];
		uint64_t uv;

		if (e == NULL)
			continue;
		snprintf(path, sizeof(path), "sysctls.%s.raw",
		    sysctl_table[i].name);
		raw = json_object_get(e, "raw");
		if (!json_is_string(raw))
			return ld_fail(l, path, "missing or not a string");
		if (procparse_sysctl((enum sysctl_id)i, json_string_value(raw),
		    &ks->sysctl[i], msg, sizeof(msg)) < 0)
			return ld_fail(l, path, msg);
		/* raw is what is used: the parsed members must agree */
		snprintf(path, sizeof(path), "sysctls.%s",
		    sysctl_table[i].name);
		if (sysctl_table[i].kind == SCK_SEM) {
			if (ld_sem_fields(l, e, path, &ks->sysctl[i]) < 0)
				return -1;
			continue;
		}
		if (ld_u64(l, e, path, "value", &uv, false, NULL) < 0)
			return -1;
		if (uv != ks->sysctl[i].v[0]) {
			snprintf(msg, sizeof(msg), "%s.value", path);
			return ld_fail(l, msg, "disagrees with raw");
		}
	}
	return 0;
}

/* The object "usage" of a snapshot into KS. */
static int
ld_usage(struct ld *l, json_t *usage, struct kstate *ks)
{
	struct ipc_usage *u = &ks->usage;
	/* the System V counts, in the order they are checked */
	const struct {
		const char *key;
		uint64_t *out;
	} counts[] = {
		{ "shm_segments", &u->shm_segments },
		{ "shm_pages", &u->shm_pages },
		{ "shm_rss_pages", &u->shm_rss_pages },
		{ "shm_swap_pages", &u->shm_swap_pages },
		{ "sem_arrays", &u->sem_arrays },
		{ "sem_semaphores", &u->sem_sems },
		{ "msg_queues", &u->msg_queues },
		{ "msg_messages", &u->msg_messages },
		{ "msg_bytes", &u->msg_bytes },
	};
	bool nl;

	if (!json_is_object(usage))
		return ld_fail(l, "usage", "not an object");
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (ld_u64(l, usage, "usage", counts[i].key, counts[i].out,
		    false, NULL))
			return -1;
	if (ld_u64(l, usage, "usage", "mqueue_queues", &u->mq_queues, true,
	    &nl))
		return -1;
	u->has_mq_queues = !nl;
	/* the kernel's counts: used_ids and used_sems are ints */
	if (u->sem_arrays > INT32_MAX)
		return ld_fail(l, "usage.sem_arrays", "out of range");
	if (u->sem_sems > INT32_MAX)
		return ld_fail(l, "usage.sem_semaphores", "out of range");
	if (ld_u64(l, usage, "usage", "dev_shm_size_bytes",
	    &u->dev_shm_size_bytes, true, &nl) ||
	    ld_u64(l, usage, "usage", "dev_shm_used_bytes",
	    &u->dev_shm_used_bytes, true, NULL))
		return -1;
	u->has_dev_shm = !nl;
	if (ld_posix_limits(l, usage, u) < 0)
		return -1;
	ks->has_usage = true;
	return 0;
}

int
snapshot_from_json(json_t *doc, struct kstate *ks, char *err,
    size_t errlen)
{
	struct ld l = { err, errlen };
	json_t *v;

	if (ld_schema(&l, doc) < 0 || ld_host(&l, doc, ks) < 0 ||
	    ld_sysctls(&l, doc, ks) < 0)
		return -1;
	v = json_object_get(doc, "usage");
	if (v != NULL && ld_usage(&l, v, ks) < 0)
		return -1;
	v = json_object_get(doc, "objects");
	if (v != NULL) {
		if (!json_is_object(v))
			return ld_fail(&l, "objects", "not an object");
		if (ld_objects(&l, v, ks) < 0)
			return -1;
	}
	v = json_object_get(doc, "posix");
	if (v != NULL && ld_posix_fss(&l, v, ks) < 0)
		return -1;
	ks->source = KSRC_SNAPSHOT;
	return 0;
}

/*
 * While one document is parsed, jansson allocates from a scratch arena
 * that is reset afterwards: its many small allocations and frees cost
 * more than the parsing itself when 'report' reads thousands of
 * snapshots.  Allocations that do not fit go to malloc.  Each thread
 * has its own arena, active only between json_loadb() and the
 * json_decref() of that same document in that thread, so no jansson
 * value ever outlives it or crosses to another thread; the allocation
 * functions are installed once, for the whole process, and fall back
 * to malloc and free wherever no arena is active, so that threads
 * parsing side by side never swap them under one another.
 */
#define ARENA_BYTES (8u << 20)

static __thread char *arena;
static __thread size_t arena_used;
static __thread bool arena_active;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void *
arena_malloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!arena_active || n == 0 || n > ARENA_BYTES - arena_used)
		return malloc(n);
	p = arena + arena_used;
	arena_used += n;
	return p;
}

static void
arena_free(void *p)
{
	if (arena != NULL && (char *)p >= arena &&
	    (char *)p < arena + ARENA_BYTES)
		return;		/* reclaimed all at once by the reset */
	free(p);
}

static void
arena_install(void)
{
	/* seeded before any thread creates objects (jansson's advice) */
	json_object_seed(0);
	json_set_alloc_funcs(arena_malloc, arena_free);
}

void
snapshot_read_prepare(void)
{
	pthread_once(&arena_once, arena_install);
}

void
snapshot_read_release(void)
{
	free(arena);
	arena = NULL;
	arena_used = 0;
}

int
snapshot_load(const char *path, struct kstate *ks, char *err,
    size_t errlen)
{
	struct snapshot_error e;

	if (snapshot_read(path, ks, NULL, &e) == 0)
		return 0;
	snprintf(err, errlen, "%s snapshot '%s': %s",
	    e.kind == SNAPSHOT_EREAD ? "cannot read" : "malformed", path,
	    e.detail);
	return -1;
}

/* The non-negative integer member KEY of O into *OUT; false if not one. */
static bool
read_count(json_t *o, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

/*
 * The POSIX part of "orphans": "pshm", "psem", "pmq", "suspect": {"pshm":
 * N, ...} and "pshm_bytes".  Snapshots of older versions lack it; then,
 * or when any member has the wrong shape, X has no POSIX verdicts.
 */
static void
read_posix_orphans(json_t *o, struct snapshot_extra *x)
{
	json_t *s = json_object_get(o, "suspect");

	x->has_posix_orphans = false;
	if (!json_is_object(s) ||
	    !read_count(o, "pshm_bytes", &x->orphan_pshm_bytes))
		return;
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		if (!read_count(o, ipctype_table[t].json_key,
		    &x->orphans[t]) || !read_count(s,
		    ipctype_table[t].json_key, &x->suspect[t]))
			return;
	x->has_posix_orphans = true;
}

/*
 * "orphans": {"shm": N, "sem": N, "msg": N, ...}, one count per type
 * (under its json_key), written by 'snapshot' where the processes could
 * be seen.  Older snapshots lack it; a member of the wrong shape is
 * ignored like a missing one.
 */
static void
read_orphans(json_t *doc, struct snapshot_extra *x)
{
	json_t *o = json_object_get(doc, "orphans");

	x->has_orphans = false;
	x->has_posix_orphans = false;
	if (!json_is_object(o))
		return;
	for (int t = 0; t < IPC_NSYSV; t++)
		if (!read_count(o, ipctype_table[t].json_key, &x->orphans[t]))
			return;
	x->has_orphans = true;
	read_posix_orphans(o, x);
}

/* Fail with kind KIND (errno EINVAL for a malformed document). */
static int
read_fail(struct snapshot_error *e, enum snapshot_errkind kind,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
read_fail(struct snapshot_error *e, enum snapshot_errkind kind,
    const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	errno = kind == SNAPSHOT_EMALFORMED ? EINVAL : saved;
	return -1;
}

int
snapshot_read(const char *path, struct kstate *ks, struct snapshot_extra *x,
    struct snapshot_error *e)
{
	json_error_t je;
	json_t *doc;
	char *buf, *nul, msg[512];
	size_t len;
	int r;

	if (x != NULL)
		x->has_orphans = x->has_posix_orphans = false;
	/* "-" is standard input; any other path must be a regular file */
	r = infile_read(path, INFILE_STDIN, SNAPSHOT_MAXLEN, &buf, &len, msg,
	    sizeof(msg));
	if (r < 0)
		return read_fail(e, SNAPSHOT_EREAD, "%s", errno == EFBIG ?
		    "larger than 512 MiB" : msg);
	/* jansson lets a NUL byte after a number pass; JSON has none */
	nul = memchr(buf, '\0', len);
	if (nul != NULL) {
		size_t off = (size_t)(nul - buf);

		free(buf);
		return read_fail(e, SNAPSHOT_EMALFORMED, "a NUL byte at "
		    "offset %zu", off);
	}
	snapshot_read_prepare();
	if (arena == NULL)
		arena = xmalloc(ARENA_BYTES);
	arena_active = true;
	/* jansson parses what the fast parser declines, and names errors */
	doc = snapjson_parse(buf, len);
	if (doc == NULL)
		doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	r = -1;
	if (doc != NULL) {
		r = snapshot_from_json(doc, ks, msg, sizeof(msg));
		if (r == 0 && x != NULL)
			read_orphans(doc, x);
		json_decref(doc);
	}
	arena_active = false;
	arena_used = 0;
	if (doc == NULL)
		return read_fail(e, SNAPSHOT_EMALFORMED, "line %d, column %d: "
		    "%s", je.line, je.column, je.text);
	if (r < 0) {
		kstate_release(ks);
		return read_fail(e, SNAPSHOT_EMALFORMED, "%s", msg);
	}
	snprintf(ks->source_detail, sizeof(ks->source_detail), "%s", path);
	return 0;
}
