/*
 * model.c: turns the kernel state into one row per resource and into
 * findings in plain words.  Usage is counted the way the kernel charges
 * it (ipc/shm.c, ipc/sem.c, ipc/msg.c); nothing is read or printed here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "mqacct.h"
#include "numparse.h"
#include "xmalloc.h"

const struct resource_desc resource_table[R_COUNT] = {
	[R_SHMMNI] = { "shmmni", "kernel.shmmni", "segments",
	    "shared memory segments" },
	[R_SHMALL] = { "shmall", "kernel.shmall", "pages",
	    "shared memory pages (each segment rounded up)" },
	[R_SHMMAX] = { "shmmax", "kernel.shmmax", "bytes",
	    "largest shared memory segment" },
	[R_SEMMNI] = { "semmni", "kernel.sem", "arrays",
	    "semaphore arrays" },
	[R_SEMMNS] = { "semmns", "kernel.sem", "semaphores",
	    "semaphores in all arrays" },
	[R_SEMMSL] = { "semmsl", "kernel.sem", "semaphores",
	    "largest semaphore array" },
	[R_SEMOPM] = { "semopm", "kernel.sem", "operations",
	    "operations per semop call" },
	[R_MSGMNI] = { "msgmni", "kernel.msgmni", "queues",
	    "message queues" },
	[R_MSGMNB] = { "msgmnb", "kernel.msgmnb", "bytes",
	    "fullest queue against its own qbytes" },
	[R_MSGMAX] = { "msgmax", "kernel.msgmax", "bytes",
	    "largest message" },
	[R_MQUEUE_QUEUES] = { "mqueue_queues", "fs.mqueue.queues_max",
	    "queues", "POSIX message queues" },
	[R_DEV_SHM] = { "dev_shm", "", "bytes",
	    "POSIX shared memory (/dev/shm tmpfs)" },
	[R_DEV_SHM_INODES] = { "dev_shm_inodes", "", "inodes",
	    "files in the /dev/shm tmpfs" },
	[R_MQUEUE_MSG_MAX] = { "mqueue_msg_max", "fs.mqueue.msg_max",
	    "messages", "largest mq_maxmsg of a POSIX queue" },
	[R_MQUEUE_MSGSIZE_MAX] = { "mqueue_msgsize_max",
	    "fs.mqueue.msgsize_max", "bytes",
	    "largest mq_msgsize of a POSIX queue" },
	[R_MQUEUE_BYTES] = { "mqueue_bytes", "", "bytes",
	    "caller's POSIX queues against its RLIMIT_MSGQUEUE" },
};

const struct kconst_desc kconst_table[K_COUNT] = {
	/* include/uapi/linux/sem.h: #define SEMVMX 32767 */
	[K_SEMVMX] = { "semvmx", 32767, "value",
	    "largest semaphore value" },
	/* include/uapi/linux/shm.h: #define SHMMIN 1 */
	[K_SHMMIN] = { "shmmin", 1, "bytes",
	    "smallest shared memory segment" },
};

int
model_resource_lookup(const char *name)
{
	for (int i = 0; i < R_COUNT; i++)
		if (strcmp(resource_table[i].name, name) == 0)
			return i;
	return -1;
}

static const char *
u64_text(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

const char *
model_limit_text(const struct resource *r, char *buf, size_t len)
{
	if (r->limit_signed)
		snprintf(buf, len, "%" PRId64, r->limit_held);
	else
		snprintf(buf, len, "%" PRIu64, r->limit);
	return buf;
}

/*
 * Field FIELD of sysctl ID as the limit of R: what the kernel makes of
 * it (sysctl_effective), and the negative int it holds, to be shown.
 */
static void
set_limit(struct resource *r, const struct kstate *ks, enum sysctl_id id,
    int field)
{
	uint64_t held[SEM_NFIELDS];

	if (!ks->sysctl[id].present)
		return;
	sysctl_held_value(id, &ks->sysctl[id], held);
	r->has_limit = true;
	r->limit = sysctl_effective(id, field, held[field]);
	r->limit_signed = sysctl_field_signed(id, held[field],
	    &r->limit_held);
}

static void
set_used(struct resource *r, uint64_t used)
{
	r->has_used = true;
	r->used = used;
}

/* Derive free and ratio from limit and used. */
static void
finish(struct resource *r)
{
	if (!r->has_limit || !r->has_used)
		return;
	r->has_free = true;
	r->free = r->used >= r->limit ? 0 : r->limit - r->used;
	r->has_ratio = true;
	if (r->limit == 0)
		r->ratio = r->used > 0 ? 1.0 + (double)r->used : 1.0;
	else
		r->ratio = (double)r->used / (double)r->limit;
}

static void
add_finding(struct model *m, size_t *cap, enum finding_level level,
    const char *code, const char *resource, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#include <stdarg.h>

static void
add_finding(struct model *m, size_t *cap, enum finding_level level,
    const char *code, const char *resource, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	xgrow(&m->findings, m->nfindings, cap, sizeof(*m->findings));
	f = &m->findings[m->nfindings++];
	f->level = level;
	f->code = code;
	f->resource = resource;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

static void
build_shm(const struct kstate *ks, struct model *m)
{
	const struct sysctl_value *shmmax = &ks->sysctl[SC_SHMMAX];
	const struct sysctl_value *shmall = &ks->sysctl[SC_SHMALL];
	struct resource *r;
	uint64_t pg = ks->host.page_size ? ks->host.page_size : 4096;

	r = &m->res[R_SHMMNI];
	set_limit(r, ks, SC_SHMMNI, 0);
	if (ks->has_usage)
		set_used(r, ks->usage.shm_segments);
	finish(r);

	r = &m->res[R_SHMALL];
	set_limit(r, ks, SC_SHMALL, 0);
	if (ks->has_usage)
		set_used(r, ks->usage.shm_pages);
	finish(r);

	r = &m->res[R_SHMMAX];
	set_limit(r, ks, SC_SHMMAX, 0);
	if (ks->has_shm) {
		uint64_t max = 0;

		for (size_t i = 0; i < ks->nshm; i++) {
			if (ks->shm[i].size_bytes > max ||
			    r->object_id < 0) {
				max = ks->shm[i].size_bytes;
				r->object_id = ks->shm[i].perm.id;
			}
		}
		set_used(r, max);
	} else if (ks->has_usage && ks->usage.shm_segments == 0) {
		set_used(r, 0);
	} else {
		r->scan_skipped = true;
	}
	finish(r);
	/*
	 * The largest new segment: size <= shmmax (newseg() EINVAL), the
	 * rounded-up pages must fit under shmall (ENOSPC), and a free slot
	 * must exist under shmmni (ipc_addid() ENOSPC).
	 */
	if (shmmax->present && shmall->present && ks->has_usage &&
	    m->res[R_SHMMNI].has_limit) {
		uint64_t left_pages, by_pages;

		left_pages = ks->usage.shm_pages >= shmall->v[0] ? 0 :
		    shmall->v[0] - ks->usage.shm_pages;
		if (!num_mul_u64(left_pages, pg, &by_pages))
			by_pages = UINT64_MAX;
		/*
		 * newseg() also fails with ENOSPC when rounding the size
		 * up to pages wraps (numpages << PAGE_SHIFT < size): no
		 * segment above the last whole page below 2^64 exists.
		 */
		if (by_pages > UINT64_MAX / pg * pg)
			by_pages = UINT64_MAX / pg * pg;
		r->has_largest_new = true;
		r->largest_new = shmmax->v[0] < by_pages ? shmmax->v[0] :
		    by_pages;
		if (ks->usage.shm_segments >= m->res[R_SHMMNI].limit)
			r->largest_new = 0;
	}
}

static void
build_sem(const struct kstate *ks, struct model *m)
{
	struct resource *r;

	r = &m->res[R_SEMMNI];
	set_limit(r, ks, SC_SEM, SEM_SEMMNI);
	if (ks->has_usage)
		set_used(r, ks->usage.sem_arrays);
	finish(r);

	r = &m->res[R_SEMMNS];
	set_limit(r, ks, SC_SEM, SEM_SEMMNS);
	if (ks->has_usage)
		set_used(r, ks->usage.sem_sems);
	finish(r);

	r = &m->res[R_SEMMSL];
	set_limit(r, ks, SC_SEM, SEM_SEMMSL);
	if (ks->has_sem) {
		uint64_t max = 0;

		for (size_t i = 0; i < ks->nsem; i++) {
			if (ks->sem[i].nsems > max || r->object_id < 0) {
				max = ks->sem[i].nsems;
				r->object_id = ks->sem[i].perm.id;
			}
		}
		set_used(r, max);
	} else if (ks->has_usage && ks->usage.sem_arrays == 0) {
		set_used(r, 0);
	} else {
		r->scan_skipped = true;
	}
	finish(r);

	r = &m->res[R_SEMOPM];
	/* a negative SEMOPM limits nothing: sysctl_effective() */
	set_limit(r, ks, SC_SEM, SEM_SEMOPM);
}

static void
build_msg(const struct kstate *ks, struct model *m)
{
	struct resource *r;

	r = &m->res[R_MSGMNI];
	set_limit(r, ks, SC_MSGMNI, 0);
	if (ks->has_usage)
		set_used(r, ks->usage.msg_queues);
	finish(r);

	/*
	 * msgmnb is copied into each queue's msg_qbytes at creation
	 * (newque()), so a queue is full against its own qbytes, not
	 * against today's kernel.msgmnb.
	 */
	r = &m->res[R_MSGMNB];
	set_limit(r, ks, SC_MSGMNB, 0);
	if (ks->has_msg) {
		double best = -1;

		for (size_t i = 0; i < ks->nmsg; i++) {
			const struct msg_obj *q = &ks->msg[i];
			uint64_t lim = q->has_qbytes ? q->qbytes :
			    r->limit;
			double ratio = lim ? (double)q->cbytes / (double)lim :
			    (q->cbytes ? 2.0 : 1.0);

			if (ratio > best) {
				best = ratio;
				r->object_id = q->perm.id;
				r->used = q->cbytes;
				/*
				 * /proc/sysvipc/msg has no qbytes: the queue is
				 * measured against kernel.msgmnb, and its own
				 * limit is left unknown, not guessed
				 */
				r->has_object_limit = q->has_qbytes;
				r->object_limit = q->has_qbytes ? lim : 0;
			}
		}
		r->has_used = true;
		if (r->has_object_limit) {
			r->has_free = true;
			r->free = r->used >= r->object_limit ? 0 :
			    r->object_limit - r->used;
			r->has_ratio = true;
			r->ratio = best;
		} else {
			finish(r);
		}
	} else if (ks->has_usage && ks->usage.msg_queues == 0) {
		set_used(r, 0);
		finish(r);
	} else if (ks->has_usage && ks->usage.msg_bytes == 0) {
		/* every queue is empty: the fullest holds 0 bytes */
		set_used(r, 0);
		r->has_ratio = true;
		r->ratio = 0;
	} else {
		r->scan_skipped = true;
	}

	r = &m->res[R_MSGMAX];
	set_limit(r, ks, SC_MSGMAX, 0);
}

/*
 * The POSIX queue attributes and charges, when the queues could be
 * opened (posixlim.c): the largest mq_maxmsg and mq_msgsize against
 * fs.mqueue.msg_max and msgsize_max, and the caller's charge against its
 * RLIMIT_MSGQUEUE (mqueue_get_inode(), ipc/mqueue.c).
 */
static void
build_mq_attrs(const struct kstate *ks, struct model *m)
{
	const struct mq_charges *mq = &ks->usage.mq;
	bool known = ks->has_usage && mq->has_attrs;
	struct resource *r;

	r = &m->res[R_MQUEUE_MSG_MAX];
	set_limit(r, ks, SC_MQ_MSG_MAX, 0);
	if (known)
		set_used(r, mq->max_maxmsg);
	finish(r);

	r = &m->res[R_MQUEUE_MSGSIZE_MAX];
	set_limit(r, ks, SC_MQ_MSGSIZE_MAX, 0);
	if (known)
		set_used(r, mq->max_msgsize);
	finish(r);

	r = &m->res[R_MQUEUE_BYTES];
	if (ks->has_usage && mq->has_rlimit) {
		r->has_limit = true;
		r->limit = mq->rlimit;
	}
	if (known) {
		uint64_t used = 0;

		for (size_t i = 0; i < mq->nusers; i++)
			if (mq->users[i].uid == mq->caller_uid)
				used = mq->users[i].bytes;
		set_used(r, used);
	}
	finish(r);
}

static void
build_posix(const struct kstate *ks, struct model *m)
{
	struct resource *r;

	r = &m->res[R_MQUEUE_QUEUES];
	set_limit(r, ks, SC_MQ_QUEUES_MAX, 0);
	if (ks->has_usage && ks->usage.has_mq_queues)
		set_used(r, ks->usage.mq_queues);
	finish(r);

	r = &m->res[R_DEV_SHM];
	if (ks->has_usage && ks->usage.has_dev_shm) {
		r->has_limit = true;
		r->limit = ks->usage.dev_shm_size_bytes;
		set_used(r, ks->usage.dev_shm_used_bytes);
	}
	finish(r);

	r = &m->res[R_DEV_SHM_INODES];
	if (ks->has_usage && ks->usage.has_dev_shm_inodes) {
		r->has_limit = true;
		r->limit = ks->usage.dev_shm_inodes;
		set_used(r, ks->usage.dev_shm_inodes_used);
	}
	finish(r);
	build_mq_attrs(ks, m);
}

/*
 * The fullest queue against its own qbytes, named: msg_fits_inqueue()
 * (ipc/msg.c) refuses any message once q_cbytes reaches q_qbytes, and
 * do_msgsnd() then sleeps, or returns EAGAIN with IPC_NOWAIT.
 */
static void
msgmnb_finding(const struct kstate *ks, struct model *m, size_t *cap,
    const struct resource *r)
{
	uint32_t key = 0;

	for (size_t i = 0; i < ks->nmsg; i++)
		if (ks->msg[i].perm.id == r->object_id)
			key = ks->msg[i].perm.key;
	if (r->ratio >= 1.0)
		add_finding(m, cap, FINDING_CRITICAL, "limit_reached",
		    "msgmnb", "msgmnb is exhausted: queue %d (key 0x%08"
		    PRIx32 ") holds %" PRIu64 " of its %" PRIu64 " bytes "
		    "(%.1f%%); msgsnd blocks, or fails with EAGAIN under "
		    "IPC_NOWAIT", r->object_id, key, r->used,
		    r->object_limit, r->ratio * 100);
	else if (r->ratio >= MODEL_WARN_RATIO)
		add_finding(m, cap, FINDING_WARNING, "limit_near", "msgmnb",
		    "msgmnb is %.1f%% used: queue %d (key 0x%08" PRIx32
		    ") holds %" PRIu64 " of its %" PRIu64 " bytes",
		    r->ratio * 100, r->object_id, key, r->used,
		    r->object_limit);
}

/*
 * Segments marked for removal but still attached (SHM_DEST, the X11
 * MIT-SHM idiom) are in use, and shm_may_destroy() (ipc/shm.c) frees
 * each at its last detach; until then each counts in shmmni and its
 * pages in shmall.  A few of them are normal on every desktop; a warning
 * once they hold MODEL_DEST_SHARE of either limit, as when a server keeps
 * its clients' segments attached after they went.
 */
static void
dest_finding(const struct kstate *ks, struct model *m, size_t *cap)
{
	const struct resource *mni = &m->res[R_SHMMNI];
	const struct resource *all = &m->res[R_SHMALL];
	struct model_dest *d = &m->dest;
	uint64_t pg = ks->host.page_size ? ks->host.page_size : 4096;
	bool by_mni, by_all;
	char ids[64];
	size_t off = 0;

	ids[0] = '\0';
	for (size_t i = 0; ks->has_shm && i < ks->nshm; i++) {
		const struct shm_obj *o = &ks->shm[i];

		if (!(o->perm.mode & IPC_SHM_DEST) || o->nattch == 0)
			continue;
		/* the first few ids name them; the count says the rest */
		if (d->segments < 4 && off < sizeof(ids))
			off += (size_t)snprintf(ids + off, sizeof(ids) - off,
			    "%s%d", d->segments ? ", " : "", o->perm.id);
		d->segments++;
		d->pages += num_div_ceil_u64(o->size_bytes, pg);
		d->nattch += o->nattch;
	}
	by_mni = d->segments > 0 && mni->has_limit &&
	    (double)d->segments >= MODEL_DEST_SHARE * (double)mni->limit;
	by_all = d->segments > 0 && all->has_limit &&
	    (double)d->pages >= MODEL_DEST_SHARE * (double)all->limit;
	d->warn = by_mni || by_all;
	if (!d->warn)
		return;
	add_finding(m, cap, FINDING_WARNING, "dest_segments",
	    by_mni ? "shmmni" : "shmall", "%" PRIu64 " segments marked for "
	    "removal but still attached (dest: %s%s) hold %" PRIu64 " of %"
	    PRIu64 " shmmni segments and %" PRIu64 " of %" PRIu64 " shmall "
	    "pages; the kernel frees each only at its last detach, and %"
	    PRIu64 " attaches hold them: ipctune orphans -a names the holders",
	    d->segments, ids, d->segments > 4 ? ", ..." : "", d->segments,
	    mni->limit, d->pages, all->limit, d->nattch);
}

#define MIB(b) ((double)(b) / 1048576.0)

/*
 * /dev/shm full, in bytes or in files.  A tmpfs that cannot supply a page
 * fails posix_fallocate() and write() with ENOSPC, and kills a process
 * that touches a mapped page past what it could allocate with SIGBUS
 * (shmem_fault(), mm/shmem.c: VM_FAULT_SIGBUS on -ENOSPC).
 */
static void
devshm_finding(const struct kstate *ks, struct model *m, size_t *cap, int i)
{
	const struct resource *r = &m->res[i];
	const char *fs = ks->usage.dev_shm_path[0] ? ks->usage.dev_shm_path :
	    "/dev/shm";
	enum finding_level lvl = r->ratio >= 1.0 ? FINDING_CRITICAL :
	    FINDING_WARNING;

	if (r->ratio < MODEL_WARN_RATIO)
		return;
	if (i == R_DEV_SHM)
		add_finding(m, cap, lvl, r->ratio >= 1.0 ? "limit_reached" :
		    "limit_near", "dev_shm", "%s is %.0f%% full: %.1f of "
		    "%.1f MiB used; files there cannot grow (ENOSPC), and "
		    "a process that grows a mapped file past the free space "
		    "dies of SIGBUS; fix: remove leaked files, or raise the "
		    "size (mount -o remount,size=, docker --shm-size)", fs,
		    r->ratio * 100, MIB(r->used), MIB(r->limit));
	else
		add_finding(m, cap, lvl, r->ratio >= 1.0 ? "limit_reached" :
		    "limit_near", "dev_shm_inodes", "%s has %.0f%% of its "
		    "inodes in use: %" PRIu64 " of %" PRIu64 " files; "
		    "shm_open and sem_open of a new name fail with ENOSPC "
		    "once none is left; fix: remove leaked files, or raise "
		    "nr_inodes (mount -o remount,nr_inodes=)", fs,
		    r->ratio * 100, r->used, r->limit);
}

/* The charge of one queue made with default attributes (attr NULL). */
static bool
default_queue_cost(const struct kstate *ks, struct mq_cost *c)
{
	const struct sysctl_value *sv = ks->sysctl;
	uint64_t n, sz;

	if (!sv[SC_MQ_MSG_MAX].present || !sv[SC_MQ_MSG_DEFAULT].present ||
	    !sv[SC_MQ_MSGSIZE_MAX].present ||
	    !sv[SC_MQ_MSGSIZE_DEFAULT].present)
		return false;
	/* mqueue_get_inode(): min(msg_max, msg_default), the same for size */
	n = sv[SC_MQ_MSG_MAX].v[0] < sv[SC_MQ_MSG_DEFAULT].v[0] ?
	    sv[SC_MQ_MSG_MAX].v[0] : sv[SC_MQ_MSG_DEFAULT].v[0];
	sz = sv[SC_MQ_MSGSIZE_MAX].v[0] < sv[SC_MQ_MSGSIZE_DEFAULT].v[0] ?
	    sv[SC_MQ_MSGSIZE_MAX].v[0] : sv[SC_MQ_MSGSIZE_DEFAULT].v[0];
	return mqacct_cost(n, sz, c);
}

/*
 * The caller's queues against its RLIMIT_MSGQUEUE: mqueue_get_inode()
 * refuses a queue whose charge would take the user past it with EMFILE.
 */
static void
mqbytes_finding(const struct kstate *ks, struct model *m, size_t *cap)
{
	const struct resource *r = &m->res[R_MQUEUE_BYTES];
	const struct mq_charges *mq = &ks->usage.mq;
	struct mq_cost c;
	uint64_t room;

	if (!default_queue_cost(ks, &c) || c.total == 0 ||
	    r->limit == UINT64_MAX)
		return;
	room = r->free / c.total;
	if (room > 1 && r->ratio < MODEL_WARN_RATIO)
		return;
	add_finding(m, cap, room == 0 ? FINDING_CRITICAL : FINDING_WARNING,
	    room == 0 ? "limit_reached" : "limit_near", "mqueue_bytes",
	    "uid %u (the caller) has queues in this IPC namespace charging "
	    "%" PRIu64 " of its RLIMIT_MSGQUEUE of %" PRIu64 " bytes; a "
	    "queue with the default attributes charges %" PRIu64 " bytes "
	    "(%" PRIu64 " of data + %" PRIu64 " of overhead), so %s; fix: "
	    "ulimit -q, LimitMSGQUEUE= in the unit, or smaller mq_maxmsg "
	    "and mq_msgsize%s", (unsigned)mq->caller_uid, r->used, r->limit,
	    c.total, c.data, c.tree, room == 0 ? "the next mq_open of such "
	    "a queue fails with EMFILE (Too many open files)" : room == 1 ?
	    "only one more fits" : "few more fit", mq->unreadable ?
	    " (some queues could not be opened and are not counted)" : "");
}

/*
 * Other users' charges: their limit is their own processes'
 * RLIMIT_MSGQUEUE, not ours, so only the default (MQ_BYTES_MAX) is a
 * yardstick, and the words say so.
 */
static void
mqusers_finding(const struct kstate *ks, struct model *m, size_t *cap)
{
	const struct mq_charges *mq = &ks->usage.mq;

	if (!ks->has_usage || !mq->has_attrs)
		return;
	for (size_t i = 0; i < mq->nusers; i++) {
		const struct mq_charge *u = &mq->users[i];

		if (u->uid == mq->caller_uid || (double)u->bytes <
		    MODEL_WARN_RATIO * MQ_BYTES_MAX_DEFAULT)
			continue;
		add_finding(m, cap, FINDING_INFO, "mqueue_user_charge",
		    "mqueue_bytes", "uid %u has %" PRIu64 " POSIX queues in "
		    "this IPC namespace charging %" PRIu64 " bytes, %.0f%% "
		    "of the default RLIMIT_MSGQUEUE (%u); its processes' own "
		    "limit decides when mq_open fails with EMFILE",
		    (unsigned)u->uid, u->queues, u->bytes,
		    (double)u->bytes * 100 / MQ_BYTES_MAX_DEFAULT,
		    MQ_BYTES_MAX_DEFAULT);
	}
}

/* The findings of the POSIX rows; false when I is not one of them. */
static bool
posix_row_finding(const struct kstate *ks, struct model *m, size_t *cap,
    int i)
{
	const struct resource *r = &m->res[i];

	if (i == R_MQUEUE_MSG_MAX || i == R_MQUEUE_MSGSIZE_MAX) {
		if (r->used > r->limit)
			add_finding(m, cap, FINDING_INFO, "object_above_limit",
			    resource_table[i].name, "a POSIX queue has %s %"
			    PRIu64 ", above %s (%" PRIu64 "): it was made "
			    "with CAP_SYS_RESOURCE or before the limit was "
			    "lowered; a new one like it fails with EINVAL",
			    i == R_MQUEUE_MSG_MAX ? "mq_maxmsg" :
			    "mq_msgsize", r->used, resource_table[i].sysctl,
			    r->limit);
		return true;
	}
	if (i == R_DEV_SHM || i == R_DEV_SHM_INODES) {
		devshm_finding(ks, m, cap, i);
		return true;
	}
	if (i == R_MQUEUE_BYTES) {
		mqbytes_finding(ks, m, cap);
		return true;
	}
	return false;
}

/* What kernel.sem itself says: negative fields, SEMOPM, SEMMNS. */
static void
sem_findings(const struct kstate *ks, struct model *m, size_t *cap)
{
	const struct sysctl_value *sv = ks->sysctl;
	char a[24], b[24];

	if (sv[SC_SEM].present && sv[SC_SEM].negative) {
		int64_t f[SEM_NFIELDS];

		sysctl_sem_fields(&sv[SC_SEM], f);
		/* semget compares nsems and used_sems with them signed */
		char held[96];
		uint64_t v[SEM_NFIELDS];

		sysctl_held_value(SC_SEM, &sv[SC_SEM], v);
		sysctl_format(SC_SEM, v, held, sizeof(held));
		if (f[SEM_SEMMSL] < 0 || f[SEM_SEMMNS] < 0)
			add_finding(m, cap, FINDING_WARNING,
			    "sem_negative_field", f[SEM_SEMMSL] < 0 ?
			    "semmsl" : "semmns", "kernel.sem holds a "
			    "negative %s ('%s'); the kernel accepts it, and "
			    "every semget that creates an array fails",
			    f[SEM_SEMMSL] < 0 ? "SEMMSL" : "SEMMNS", held);
		if (f[SEM_SEMOPM] < 0)
			add_finding(m, cap, FINDING_INFO,
			    "sem_negative_field", "semopm", "SEMOPM is "
			    "negative (%" PRId64 "); semop compares it as "
			    "unsigned, so it limits nothing", f[SEM_SEMOPM]);
	}
	if (sv[SC_SEM].present && sv[SC_SEM].v[SEM_SEMOPM] > 1000)
		add_finding(m, cap, FINDING_INFO, "semopm_above_1000",
		    "semopm", "SEMOPM is %" PRIu64 "; semop(2) advises "
		    "against values above 1000", sv[SC_SEM].v[SEM_SEMOPM]);
	/* judged by what the kernel makes of them, shown as held */
	if (sv[SC_SEM].present &&
	    m->res[R_SEMMNS].limit < m->res[R_SEMMSL].limit)
		add_finding(m, cap, FINDING_INFO, "semmns_below_semmsl",
		    "semmns", "SEMMNS (%s) is below SEMMSL (%s): an array of "
		    "SEMMSL semaphores can never be created",
		    model_limit_text(&m->res[R_SEMMNS], a, sizeof(a)),
		    model_limit_text(&m->res[R_SEMMSL], b, sizeof(b)));
}

/*
 * The caps on one object or call, and what every call fails with when a
 * cap admits nothing: newseg() (ipc/shm.c) refuses a size above shmmax,
 * newary() and do_semtimedop() (ipc/sem.c) nsems above semmsl and nsops
 * above semopm, do_msgsnd() (ipc/msg.c) msgsz above msgmax, and msg_fits()
 * no message into a queue whose qbytes (msgmnb when it was made) is 0.
 */
static const struct {
	enum resource_id res;
	const char *fails;
} zero_caps[] = {
	{ R_SHMMAX, "every shmget that creates a segment fails with EINVAL" },
	{ R_SEMMSL, "every semget that creates an array fails with EINVAL" },
	{ R_SEMOPM, "every semop fails with E2BIG" },
	{ R_MSGMAX, "every msgsnd of a message of 1 byte or more fails "
	    "with EINVAL" },
	{ R_MSGMNB, "no message fits a queue made now: msgsnd blocks, or "
	    "fails with EAGAIN" },
};

/* A cap of zero_caps that admits nothing (the pools say limit_reached). */
static void
zero_cap_findings(struct model *m, size_t *cap)
{
	char held[32];

	for (size_t i = 0; i < sizeof(zero_caps) / sizeof(zero_caps[0]);
	    i++) {
		const struct resource *r = &m->res[zero_caps[i].res];
		const struct resource_desc *d = &resource_table[r->id];

		if (!r->has_limit || r->limit != 0)
			continue;
		add_finding(m, cap, FINDING_CRITICAL, "limit_admits_nothing",
		    d->name, "%s (%s) is %s%s: %s", d->name, d->sysctl,
		    model_limit_text(r, held, sizeof(held)), r->limit_signed ?
		    ", which admits nothing" : "", zero_caps[i].fails);
	}
}

/* Two limits at odds: shmall below shmmax, msgmax above msgmnb. */
static void
pair_findings(const struct kstate *ks, struct model *m, size_t *cap)
{
	const struct sysctl_value *sv = ks->sysctl;
	uint64_t pg = ks->host.page_size ? ks->host.page_size : 4096;

	if (sv[SC_SHMMAX].present && sv[SC_SHMALL].present) {
		uint64_t need = num_div_ceil_u64(sv[SC_SHMMAX].v[0], pg);

		/* kernel.rst: shmall should be >= ceil(shmmax / PAGE_SIZE) */
		if (sv[SC_SHMALL].v[0] < need)
			add_finding(m, cap, FINDING_WARNING,
			    "shmall_below_shmmax", "shmall",
			    "kernel.shmall (%" PRIu64 " pages) is smaller "
			    "than kernel.shmmax in pages (%" PRIu64 " pages "
			    "of %" PRIu64 " bytes): a segment of shmmax "
			    "bytes can never be created; shmall is counted "
			    "in pages, not bytes", sv[SC_SHMALL].v[0], need,
			    pg);
	}
	if (sv[SC_MSGMAX].present && sv[SC_MSGMNB].present &&
	    sv[SC_MSGMAX].v[0] > sv[SC_MSGMNB].v[0])
		add_finding(m, cap, FINDING_WARNING, "msgmax_above_msgmnb",
		    "msgmax",
		    "kernel.msgmax (%" PRIu64 ") is above kernel.msgmnb "
		    "(%" PRIu64 "): a message larger than msgmnb passes "
		    "msgsnd's size check but never fits a new queue, so "
		    "msgsnd blocks forever or fails with EAGAIN",
		    sv[SC_MSGMAX].v[0], sv[SC_MSGMNB].v[0]);
}

/* A segment or array (resource I) larger than shmmax or semmsl now. */
static void
object_cap_finding(struct model *m, size_t *cap, int i)
{
	const struct resource *r = &m->res[i];
	char a[24];

	if (r->used > r->limit)
		add_finding(m, cap, FINDING_INFO, "object_above_limit",
		    resource_table[i].name, "%s %d (%" PRIu64 " %s) is "
		    "larger than %s allows now (%s): the limit was lowered "
		    "after it was created", i == R_SHMMAX ? "segment" :
		    "array", r->object_id, r->used, resource_table[i].unit,
		    resource_table[i].sysctl,
		    model_limit_text(r, a, sizeof(a)));
}

/* Resource I exhausted, or used above MODEL_WARN_RATIO. */
static void
usage_finding(struct model *m, size_t *cap, int i)
{
	const struct resource *r = &m->res[i];
	char b[24];

	if (r->ratio >= 1.0)
		add_finding(m, cap, FINDING_CRITICAL, "limit_reached",
		    resource_table[i].name, "%s is exhausted: %"
		    PRIu64 " of %s %s used (%.1f%%)%s",
		    resource_table[i].name, r->used,
		    r->has_object_limit ? u64_text(
		    r->object_limit, b, sizeof(b)) :
		    model_limit_text(r, b, sizeof(b)),
		    resource_table[i].unit, r->ratio * 100,
		    i == R_MSGMNB ?
		    "; measured against kernel.msgmnb, as that queue's "
		    "own qbytes is not in /proc/sysvipc" :
		    (i == R_SHMMNI || i == R_SHMALL ||
		    i == R_SEMMNI || i == R_SEMMNS ||
		    i == R_MSGMNI || i == R_MQUEUE_QUEUES) ?
		    "; new objects fail with ENOSPC" : "");
	else if (r->ratio >= MODEL_WARN_RATIO)
		add_finding(m, cap, FINDING_WARNING, "limit_near",
		    resource_table[i].name, "%s is %.1f%% used: %"
		    PRIu64 " of %s %s",
		    resource_table[i].name, r->ratio * 100, r->used,
		    r->has_object_limit ? u64_text(
		    r->object_limit, b, sizeof(b)) :
		    model_limit_text(r, b, sizeof(b)),
		    resource_table[i].unit);
}

static void
build_findings(const struct kstate *ks, struct model *m)
{
	size_t cap = 0;

	pair_findings(ks, m, &cap);
	sem_findings(ks, m, &cap);
	zero_cap_findings(m, &cap);
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &m->res[i];

		if (!r->has_ratio)
			continue;
		/*
		 * shmmax and semmsl cap one object: a segment of exactly
		 * shmmax bytes exhausts nothing.  Only a cap lowered below
		 * an existing object is worth saying.
		 */
		if (posix_row_finding(ks, m, &cap, i))
			continue;
		if (i == R_SHMMAX || i == R_SEMMSL) {
			object_cap_finding(m, &cap, i);
			continue;
		}
		/* zero_cap_findings() said it */
		if (i == R_MSGMNB && r->limit == 0 && !r->has_object_limit)
			continue;
		if (i == R_MSGMNB && r->has_object_limit) {
			msgmnb_finding(ks, m, &cap, r);
			continue;
		}
		usage_finding(m, &cap, i);
	}
	dest_finding(ks, m, &cap);
	mqusers_finding(ks, m, &cap);
}

void
model_build(const struct kstate *ks, struct model *m)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < R_COUNT; i++) {
		m->res[i].id = (enum resource_id)i;
		m->res[i].object_id = -1;
	}
	build_shm(ks, m);
	build_sem(ks, m);
	build_msg(ks, m);
	build_posix(ks, m);
	build_findings(ks, m);
}

void
model_add_finding(struct model *m, enum finding_level level,
    const char *code, const char *resource, const char *text)
{
	size_t cap = m->nfindings;

	add_finding(m, &cap, level, code, resource, "%s", text);
}

void
model_release(struct model *m)
{
	free(m->findings);
	m->findings = NULL;
	m->nfindings = 0;
}
