/*
 * orphan.c: decides which IPC objects look leaked and keeps the evidence
 * (recorded PIDs, what became of them, start times, ages).  It reads
 * nothing: liveness, per-semaphore PIDs and attachers come through the
 * injected effects.  It never prints, exits or removes anything.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orphan.h"
#include "objfilter.h"
#include "numparse.h"
#include "xmalloc.h"

const struct orphan_reason_desc orphan_reason_table[ORS_COUNT] = {
	[ORS_NO_ATTACH] = { "no_attach", "nothing attached" },
	[ORS_CREATOR_DEAD] = { "creator_dead", "creator gone" },
	[ORS_LAST_PID_DEAD] = { "last_pid_dead",
	    "last attach/detach process gone" },
	[ORS_PID_REUSED] = { "pid_reused",
	    "a recorded PID now belongs to a newer process" },
	[ORS_MARKED_DEST] = { "marked_dest",
	    "removed, freed at last detach" },
	[ORS_LAST_OP_PID_DEAD] = { "last_op_pid_dead",
	    "every last-operation process gone" },
	[ORS_NEVER_OPERATED] = { "never_operated", "never operated on" },
	[ORS_SENDER_DEAD] = { "sender_dead", "last sender gone" },
	[ORS_RECEIVER_DEAD] = { "receiver_dead", "last receiver gone" },
	[ORS_NEVER_USED] = { "never_used", "never sent to or received from" },
	[ORS_HOLDS_MESSAGES] = { "holds_messages",
	    "holds messages: removal loses them" },
	[ORS_ATTACHED] = { "attached", "attached" },
	[ORS_CREATOR_ALIVE] = { "creator_alive", "creator runs" },
	[ORS_LAST_PID_ALIVE] = { "last_pid_alive",
	    "last attach/detach process runs" },
	[ORS_LAST_OP_PID_ALIVE] = { "last_op_pid_alive",
	    "a last-operation process runs" },
	[ORS_SENDER_ALIVE] = { "sender_alive", "last sender runs" },
	[ORS_RECEIVER_ALIVE] = { "receiver_alive", "last receiver runs" },
	[ORS_TOO_YOUNG] = { "too_young", "younger than --min-age" },
	[ORS_PID_NOT_VISIBLE] = { "pid_not_visible",
	    "a recorded PID is not visible in this PID namespace" },
	[ORS_NO_EVIDENCE] = { "no_evidence",
	    "last-operation PIDs unreadable" },
	[ORS_WAITING] = { "waiting",
	    "a process waits on it in semop, msgsnd or msgrcv" },
	[ORS_PID_UNREADABLE] = { "pid_unreadable",
	    "a recorded process exists but cannot be inspected" },
	[ORS_START_AMBIGUOUS] = { "start_ambiguous",
	    "a recorded PID's process started too close to the event to "
	    "tell (clock step or reuse)" },
	[ORS_PIDS_INCOMPLETE] = { "pids_incomplete",
	    "processes outside this PID namespace use the IPC namespace" },
	[ORS_WAITS_UNREADABLE] = { "waits_unreadable",
	    "not every process could be checked for waits" },
	[ORS_MAY_BE_LOCKED] = { "may_be_locked",
	    "a semaphore at 0 may be a lock held with SEM_UNDO" },
	[ORS_NOT_HELD] = { "not_held",
	    "no process maps it or holds it open" },
	[ORS_OWNER_GONE] = { "owner_gone",
	    "no process of its owner that could have made it runs" },
	[ORS_HELD] = { "held", "a process maps it or holds it open" },
	[ORS_OWNER_RUNS] = { "owner_runs",
	    "a process of its owner that started before it runs" },
	[ORS_HOLDERS_INCOMPLETE] = { "holders_incomplete",
	    "not every process could be checked for mappings and open "
	    "descriptors" },
	[ORS_BACKS_LOOP] = { "backs_loop_device",
	    "it backs a loop device" },
};

const struct orphan_reason_desc orphan_change_table[OC_COUNT] = {
	[OC_SAME] = { "same", "unchanged" },
	[OC_KEY_CHANGED] = { "key_changed", "the key changed" },
	[OC_RECREATED] = { "changed",
	    "changed or re-created since it was judged (ctime differs)" },
	[OC_ATTACHED] = { "attached", "attached since it was judged" },
	[OC_NEW_OPERATION] = { "new_operation",
	    "used since it was judged" },
	[OC_SEMPIDS_CHANGED] = { "semaphore_pids_changed",
	    "a semaphore was operated on since it was judged" },
	[OC_NOT_ORPHANED] = { "not_orphaned",
	    "no longer looks orphaned" },
};

const char *const orphan_role_names[ROLE_COUNT] = {
	[ROLE_CREATOR] = "creator",
	[ROLE_LAST_ATTACH] = "last_attach",
	[ROLE_LAST_OP] = "last_op",
	[ROLE_SENDER] = "sender",
	[ROLE_RECEIVER] = "receiver",
	[ROLE_WAITER] = "waiter",
	[ROLE_NAME] = "name_pid",
	[ROLE_HOLDER] = "holder",
	[ROLE_OWNER] = "owner_process",
	[ROLE_NOTIFY] = "notify",
	[ROLE_LOOP] = "loop_device",
};

const char *const orphan_pid_state_names[PS_COUNT] = {
	[PS_ALIVE] = "alive", [PS_DEAD] = "dead", [PS_REUSED] = "reused",
	[PS_UNREADABLE] = "unreadable", [PS_AMBIGUOUS] = "ambiguous",
};

#define BIT(r) (1u << (r))

void
orphan_filter_init(struct orphan_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->types = IPC_TYPES_ALL;
	f->min_age_s = 3600;
}

bool
orphan_filter_settles(const struct orphan_filter *f)
{
	return f->count_only || !f->keep_in_use;
}

void
orphan_result_init(struct orphan_result *r)
{
	memset(r, 0, sizeof(*r));
}

void
orphan_item_release(struct orphan_item *it)
{
	free(it->pids);
	free(it->att);
	free(it->sempids);
	it->pids = NULL;
	it->att = NULL;
	it->sempids = NULL;
	it->npids = it->natt = it->nsempids = 0;
}

void
orphan_result_release(struct orphan_result *r)
{
	for (size_t i = 0; i < r->nitems; i++)
		orphan_item_release(&r->items[i]);
	free(r->items);
	free(r->sums);
	free(r->notes);
	orphan_result_init(r);
}

const struct obj_perm *
orphan_item_perm(const struct orphan_item *it)
{
	return &it->obj.any.perm;
}

int
orphan_item_id(const struct orphan_item *it)
{
	return it->obj.any.perm.id;
}

uint32_t
orphan_item_key(const struct orphan_item *it)
{
	return it->obj.any.perm.key;
}

/* Count UID once more among OUT's owners; keep the largest first. */
static void
leak_owner(struct orphan_leak *out, uid_t uid, uint64_t *counts,
    uid_t *uids, size_t *n)
{
	size_t i;

	for (i = 0; i < *n && uids[i] != uid; i++)
		;
	if (i == *n) {
		uids[i] = uid;
		counts[i] = 0;
		(*n)++;
	}
	counts[i]++;
	out->nowners = *n;
}

/* What IT holds of its type's pool: pages of shmall, semaphores. */
static uint64_t
pool_charge(const struct orphan_item *it, uint64_t pg)
{
	switch (it->type) {
	case IPC_SHM:
		/* newseg() charges ceil(size / PAGE_SIZE) pages */
		return pg > 0 ? num_div_ceil_u64(it->obj.shm.size_bytes,
		    pg) : 0;
	case IPC_SEM:
		return it->obj.sem.nsems;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_MSG:
	case IPC_NTYPES:
		break;
	}
	return 0;
}

void
orphan_leak_sum(const struct orphan_result *r, enum ipc_type t,
    uint64_t page_size, struct orphan_leak *out)
{
	uint64_t *counts = xcalloc(r->nitems + 1, sizeof(*counts));
	uid_t *uids = xcalloc(r->nitems + 1, sizeof(*uids));
	size_t n = 0, k;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < r->nitems; i++) {
		const struct orphan_item *it = &r->items[i];
		uint64_t v;

		if (it->type != t || (it->verdict != OV_ORPHANED &&
		    it->verdict != OV_SUSPECT))
			continue;
		out->objects++;
		if (it->verdict == OV_ORPHANED)
			out->orphaned++;
		else
			out->suspect++;
		v = pool_charge(it, page_size);
		if (!num_add_u64(out->amount, v, &out->amount))
			out->amount = UINT64_MAX;
		leak_owner(out, orphan_item_uid(it), counts, uids, &n);
	}
	/* the largest owners, fewest uid first among equals */
	for (k = 0; k < ORPHAN_LEAK_OWNERS && k < n; k++) {
		size_t best = k;

		for (size_t j = k + 1; j < n; j++)
			if (counts[j] > counts[best] || (counts[j] ==
			    counts[best] && uids[j] < uids[best]))
				best = j;
		out->owners[k].uid = uids[best];
		out->owners[k].objects = counts[best];
		uids[best] = uids[k];
		counts[best] = counts[k];
	}
	free(counts);
	free(uids);
}

uid_t
orphan_item_uid(const struct orphan_item *it)
{
	return it->obj.any.perm.uid;
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/*
 * What became of PID, recorded at EVENT (0: unknown).  The process now
 * holding PID counts as the recorded one if it started no later than
 * the event, and as a newer one only if it started more than
 * ORPHAN_START_SLACK_S after it: a step of the wall clock moves every
 * start time (boot time plus ticks) but no recorded event, so a start
 * in between proves nothing.  Start times are rounded down and the
 * kernel stamps events with whole seconds, so a process started in the
 * same second counts as the original: the error is on the side of "in
 * use".
 */
static struct orphan_pid *
add_pid(struct orphan_item *it, size_t *cap, const struct orphan_effects *fx,
    enum orphan_role role, pid_t pid, int64_t event)
{
	struct orphan_proc p;
	struct orphan_pid *e;
	int r;

	xgrow(&it->pids, it->npids, cap, sizeof(*it->pids));
	e = &it->pids[it->npids++];
	memset(e, 0, sizeof(*e));
	e->role = role;
	e->pid = pid;
	e->event_time = event;
	memset(&p, 0, sizeof(p));
	r = fx->proc(fx->ctx, pid, &p);
	if (r == ORPHAN_PROC_UNREADABLE) {
		e->state = PS_UNREADABLE;
		return e;
	}
	if (r < 0) {
		e->state = PS_DEAD;
		return e;
	}
	e->start_time = p.start_time;
	snprintf(e->comm, sizeof(e->comm), "%s", p.comm);
	if (event == 0 || p.start_time <= event)
		e->state = PS_ALIVE;
	else if (p.start_time - event > ORPHAN_START_SLACK_S)
		e->state = PS_REUSED;
	else
		e->state = PS_AMBIGUOUS;
	return e;
}

/* What one recorded PID tells, and the reasons it gives. */
struct pid_tally {
	bool alive;		/* some recorded process runs */
	bool known;		/* no PID left the question open */
};

/*
 * Count E into T and IT's reasons: ALIVE_R when it runs, DEAD_R when it
 * is gone or reused (DEAD_R may be ORS_COUNT: none).
 */
static void
tally(struct orphan_item *it, struct pid_tally *t, const struct orphan_pid *e,
    enum orphan_reason alive_r, enum orphan_reason dead_r)
{
	switch (e->state) {
	case PS_ALIVE:
		t->alive = true;
		if (alive_r != ORS_COUNT)
			it->reasons |= BIT(alive_r);
		break;
	case PS_REUSED:
		it->reasons |= BIT(ORS_PID_REUSED);
		/* FALLTHROUGH */
	case PS_DEAD:
		if (dead_r != ORS_COUNT)
			it->reasons |= BIT(dead_r);
		break;
	case PS_UNREADABLE:
		t->known = false;
		it->reasons |= BIT(ORS_PID_UNREADABLE);
		break;
	default:
		t->known = false;
		it->reasons |= BIT(ORS_START_AMBIGUOUS);
		break;
	}
}

static unsigned
limits(const struct orphan_effects *fx)
{
	return fx->limits != NULL ? fx->limits(fx->ctx) : 0;
}

/*
 * A process blocked in semop or msgrcv leaves no PID on the object until
 * the call returns (ipc/sem.c, ipc/msg.c), yet removing the object
 * fails the call with EIDRM: it is in use.
 */
static bool
add_waiters(struct orphan_item *it, size_t *cap,
    const struct orphan_effects *fx, int id)
{
	const struct orphan_attacher *w = NULL;
	size_t n = fx->waiters != NULL ? fx->waiters(fx->ctx, it->type, id,
	    &w) : 0;

	for (size_t i = 0; i < n; i++) {
		struct orphan_pid *e;

		xgrow(&it->pids, it->npids, cap, sizeof(*it->pids));
		e = &it->pids[it->npids++];
		memset(e, 0, sizeof(*e));
		e->role = ROLE_WAITER;
		e->pid = w[i].pid;
		e->state = PS_ALIVE;
		snprintf(e->comm, sizeof(e->comm), "%s", w[i].comm);
	}
	if (n > 0)
		it->reasons |= BIT(ORS_WAITING);
	return n > 0;
}

static void
judge_shm(const struct shm_obj *o, const struct orphan_effects *fx,
    struct orphan_item *it)
{
	const struct orphan_attacher *att = NULL;
	struct orphan_pid *e;
	struct pid_tally t = { false, true };
	size_t cap = 0, n;

	it->last_activity = max64(o->ctime, max64(o->atime, o->dtime));
	n = fx->shm_attachers != NULL ? fx->shm_attachers(fx->ctx, o->perm.id,
	    &att) : 0;
	if (n > 0) {
		it->att = xcalloc(n, sizeof(*it->att));
		memcpy(it->att, att, n * sizeof(*it->att));
		it->natt = n;
	}
	it->hidden_attachers = o->nattch > n ? o->nattch - n : 0;
	/*
	 * shm_cpid and shm_lpid are reported with pid_vnr() (ipc/shm.c),
	 * which gives 0 for a process outside the reader's PID namespace.
	 */
	if (o->cpid == 0) {
		/* newseg() always records the creator: 0 means not visible */
		t.known = false;
		it->reasons |= BIT(ORS_PID_NOT_VISIBLE);
	} else {
		/* the segment was created no later than its ctime */
		e = add_pid(it, &cap, fx, ROLE_CREATOR, o->cpid, o->ctime);
		tally(it, &t, e, ORS_CREATOR_ALIVE, ORS_CREATOR_DEAD);
	}
	if (o->lpid != 0) {
		/* shm_lpid is set by shmat and shmdt (also at exit) */
		int64_t ev = max64(o->atime, o->dtime);

		e = add_pid(it, &cap, fx, ROLE_LAST_ATTACH, o->lpid, ev);
		tally(it, &t, e, ORS_LAST_PID_ALIVE, ORS_LAST_PID_DEAD);
	} else if (o->atime != 0 || o->dtime != 0) {
		/* do_shmat() and shm_close() stamp the time and the PID */
		t.known = false;
		it->reasons |= BIT(ORS_PID_NOT_VISIBLE);
	}
	/*
	 * IPC_RMID on an attached segment only sets SHM_DEST and frees it
	 * at the last detach (do_shm_rmid(), shm_close() in ipc/shm.c): the
	 * MIT-SHM idiom.  Such a segment is in use, and nothing is left to
	 * remove once its users detach.
	 */
	if (o->perm.mode & IPC_SHM_DEST)
		it->reasons |= BIT(ORS_MARKED_DEST);
	if (o->nattch > 0 || n > 0) {
		it->reasons |= BIT(ORS_ATTACHED);
		it->verdict = OV_IN_USE;
		return;
	}
	if (o->perm.mode & IPC_SHM_DEST) {
		/*
		 * shm_may_destroy() frees a SHM_DEST segment as soon as its
		 * nattch is 0, under the same lock that clears it: one seen
		 * so was read in the middle of being freed, or the reading
		 * (a snapshot, a tree) does not hold together.  Nothing can
		 * be removed and nothing proves a leak.
		 */
		it->verdict = OV_UNKNOWN;
		return;
	}
	it->reasons |= BIT(ORS_NO_ATTACH);
	if (t.alive)
		it->verdict = OV_IN_USE;
	else if (!t.known)
		it->verdict = OV_UNKNOWN;
	else
		it->verdict = OV_ORPHANED;
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Can a semaphore of the array be a lock that a live process holds with
 * SEM_UNDO?  The undo lists are not visible from user space, and sempid
 * names only the last process to operate (a wait-for-zero stamps it
 * too), so a holder that operated earlier is not recorded.  A semaphore
 * whose value is 0 and that was operated on may be such a lock; a
 * leaked mutex of a killed holder is not, as exit_sem() gives its value
 * back.  Counting semaphores partly held cannot be told at all.
 */
static bool
may_be_locked(const struct sem_obj *o, const struct orphan_effects *fx,
    struct orphan_item *it)
{
	size_t n = (size_t)o->nsems;
	unsigned short *vals;
	bool held = false;

	if (fx->sem_vals == NULL || n == 0)
		return false;
	vals = xcalloc(n, sizeof(*vals));
	if (fx->sem_vals(fx->ctx, o->perm.id, n, vals) < 0) {
		/* values unreadable: a lock cannot be ruled out */
		held = true;
	} else {
		for (size_t i = 0; i < n && !held; i++)
			held = vals[i] == 0 && it->sempids[i] != 0;
	}
	free(vals);
	if (held)
		it->reasons |= BIT(ORS_MAY_BE_LOCKED);
	return held;
}

/*
 * Is IT younger than MIN_AGE_S?  Then it is suspect when DEAD (some PID
 * was recorded on it and every one is known gone; nothing runs or waits
 * on it), with the time it becomes orphaned, and in use otherwise.  A
 * suspect is never removable: a process may have the id and not yet
 * have operated on it.
 */
static bool
too_young(struct orphan_item *it, uint64_t min_age_s, bool dead)
{
	if (it->age_seconds >= 0 && (uint64_t)it->age_seconds >= min_age_s)
		return false;
	it->reasons |= BIT(ORS_TOO_YOUNG);
	if (!dead) {
		it->verdict = OV_IN_USE;
		return true;
	}
	it->verdict = OV_SUSPECT;
	if (min_age_s > (uint64_t)INT64_MAX ||
	    __builtin_add_overflow(it->last_activity, (int64_t)min_age_s,
	    &it->orphan_at))
		it->orphan_at = INT64_MAX;
	return true;
}

/*
 * Each distinct last-op PID of IT's semaphores once, recorded at EV,
 * into IT and T (*CAP: IT's pids capacity); the semaphores whose PID
 * reads 0 into *NZERO.  Was any PID recorded?
 */
static bool
tally_sempids(struct orphan_item *it, size_t *cap,
    const struct orphan_effects *fx, int64_t ev, struct pid_tally *t,
    size_t *nzero)
{
	size_t n = it->nsempids;
	pid_t *sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	bool any = false;

	memcpy(sorted, it->sempids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_pid);
	for (size_t i = 0; i < n; i++) {
		struct orphan_pid *e;
		size_t j = i;

		if (sorted[i] == 0) {
			(*nzero)++;
			continue;
		}
		while (j + 1 < n && sorted[j + 1] == sorted[i])
			j++;
		any = true;
		e = add_pid(it, cap, fx, ROLE_LAST_OP, sorted[i], ev);
		e->nsems = j - i + 1;
		tally(it, t, e, ORS_LAST_OP_PID_ALIVE, ORS_COUNT);
		i = j;
	}
	free(sorted);
	return any;
}

/*
 * Is the verdict of a semaphore array in use already, whatever its
 * waiters: a recorded process runs or waits (T), or the array is
 * younger than MIN_AGE_S without the proof that every recorded process
 * is gone (too_young() then says in use).  Only the count of waiters
 * and the "waiting" reason would change, which an item not kept never
 * shows.
 */
static bool
sem_in_use_settled(const struct orphan_item *it, const struct pid_tally *t,
    bool any, uint64_t min_age_s)
{
	if (t->alive)
		return true;
	return !(any && t->known) && !(it->age_seconds >= 0 &&
	    (uint64_t)it->age_seconds >= min_age_s);
}

static void
judge_sem(const struct sem_obj *o, int64_t now, uint64_t min_age_s,
    const struct orphan_effects *fx, bool settle, struct orphan_item *it)
{
	struct pid_tally t = { false, true };
	size_t cap = 0, n = (size_t)o->nsems, nzero = 0;
	bool any;
	int64_t ev;

	it->last_activity = max64(o->otime, o->ctime);
	it->sempids = xcalloc(n ? n : 1, sizeof(*it->sempids));
	it->nsempids = n;
	if (fx->sem_pids == NULL ||
	    fx->sem_pids(fx->ctx, o->perm.id, n, it->sempids) < 0) {
		it->reasons |= BIT(ORS_NO_EVIDENCE);
		it->verdict = OV_UNKNOWN;
		return;
	}
	it->has_sempids = true;
	/*
	 * sempid is set by semop, SETVAL, SETALL and exit-time undo; semop
	 * stamps otime and SETVAL/SETALL stamp ctime, so the later of the
	 * two bounds the time of every recorded PID.
	 */
	ev = it->last_activity != 0 ? it->last_activity : now;
	any = tally_sempids(it, &cap, fx, ev, &t, &nzero);
	/*
	 * GETPID gives pid_vnr(sempid) (ipc/sem.c): seen from a child PID
	 * namespace, a semaphore of an array operated on (otime set) whose
	 * PID reads 0 was never operated on, or was by a process outside
	 * it, which may hold it with SEM_UNDO (value 0) or count on it.
	 * Nothing tells the two apart: the array is unknown, unless --pid
	 * stated that the users are of a PID namespace ipctune sees (then
	 * only an array with no PID at all is).  In the initial PID
	 * namespace every recorded PID has a number.
	 */
	if (nzero > 0 && o->otime != 0 &&
	    (limits(fx) & ORPHAN_LIM_CHILD_PIDNS) &&
	    (nzero == n || (limits(fx) & ORPHAN_LIM_UNSTATED))) {
		t.known = false;
		it->reasons |= BIT(ORS_PID_NOT_VISIBLE);
	}
	if (add_waiters(it, &cap, fx, o->perm.id))
		t.alive = true;
	/*
	 * GETNCNT and GETZCNT count the tasks sleeping in semop on each
	 * semaphore (count_semcnt(), ipc/sem.c), whatever their PID
	 * namespace and whether /proc shows them or not.  Two system calls
	 * per semaphore: skipped when SETTLE says an array in use is not
	 * shown and the verdict is in use already.
	 */
	if (settle && sem_in_use_settled(it, &t, any, min_age_s)) {
		it->verdict = OV_IN_USE;
		return;
	}
	if (fx->sem_waiting != NULL && fx->sem_waiting(fx->ctx, o->perm.id, n,
	    &it->sem_waiting) == 0) {
		it->has_sem_waiting = true;
		if (it->sem_waiting > 0) {
			it->reasons |= BIT(ORS_WAITING);
			t.alive = true;
		}
	}
	if (t.alive) {
		it->verdict = OV_IN_USE;
		return;
	}
	/* "every last-operation process gone" only when each one is */
	if (any && t.known)
		it->reasons |= BIT(ORS_LAST_OP_PID_DEAD);
	else if (!(it->reasons & BIT(ORS_PID_NOT_VISIBLE)))
		it->reasons |= BIT(ORS_NEVER_OPERATED);
	if (too_young(it, min_age_s, any && t.known))
		return;
	it->verdict = t.known ? OV_ORPHANED : OV_UNKNOWN;
	if (it->verdict == OV_ORPHANED && any && may_be_locked(o, fx, it))
		it->verdict = OV_UNKNOWN;
}

static void
judge_msg(const struct msg_obj *o, uint64_t min_age_s,
    const struct orphan_effects *fx, struct orphan_item *it)
{
	struct orphan_pid *e;
	struct pid_tally t = { false, true };
	size_t cap = 0;
	bool used;

	it->last_activity = max64(o->ctime, max64(o->stime, o->rtime));
	if (o->qnum > 0)
		it->reasons |= BIT(ORS_HOLDS_MESSAGES);
	/*
	 * msg_lspid and msg_lrpid are pid_vnr() of the PID stamped with
	 * msg_stime and msg_rtime (ipc/msg.c): a time without its PID is a
	 * process outside this PID namespace.
	 */
	if (o->lspid != 0) {
		e = add_pid(it, &cap, fx, ROLE_SENDER, o->lspid, o->stime);
		tally(it, &t, e, ORS_SENDER_ALIVE, ORS_SENDER_DEAD);
	} else if (o->stime != 0) {
		t.known = false;
		it->reasons |= BIT(ORS_PID_NOT_VISIBLE);
	}
	if (o->lrpid != 0) {
		e = add_pid(it, &cap, fx, ROLE_RECEIVER, o->lrpid, o->rtime);
		tally(it, &t, e, ORS_RECEIVER_ALIVE, ORS_RECEIVER_DEAD);
	} else if (o->rtime != 0) {
		t.known = false;
		it->reasons |= BIT(ORS_PID_NOT_VISIBLE);
	}
	if (add_waiters(it, &cap, fx, o->perm.id))
		t.alive = true;
	if (t.alive) {
		it->verdict = OV_IN_USE;
		return;
	}
	used = o->lspid != 0 || o->lrpid != 0 || o->stime != 0 ||
	    o->rtime != 0;
	if (!used)
		it->reasons |= BIT(ORS_NEVER_USED);
	/*
	 * A queue whose sender or receiver has never shown up may still be
	 * waiting for it (a reader blocked in msgrcv leaves no PID), so it
	 * gets the same grace period as a semaphore array.
	 */
	if ((o->lspid == 0 || o->lrpid == 0) && too_young(it, min_age_s,
	    (o->lspid != 0 || o->lrpid != 0) && t.known))
		return;
	it->verdict = t.known ? OV_ORPHANED : OV_UNKNOWN;
}

/* The file every POSIX object is, whatever its type. */
static const struct posix_file *
posix_file_of(enum ipc_type type, const union ipc_obj *o)
{
	switch (type) {
	case IPC_PSHM:
		return &o->pshm.f;
	case IPC_PSEM:
		return &o->psem.f;
	case IPC_PMQ:
		return &o->pmq.f;
	case IPC_SHM:
	case IPC_SEM:
	case IPC_MSG:
	case IPC_NTYPES:
		break;
	}
	return NULL;
}

/*
 * Add F's holders to IT as evidence; true if there is one.  A loop
 * device reads and writes its backing file until detached
 * (drivers/block/loop.c): pid 0, comm the device's name.
 */
static bool
posix_holders(struct orphan_item *it, size_t *cap,
    const struct posix_file *f)
{
	for (size_t i = 0; i < f->nholders; i++) {
		bool loop = (f->holders[i].how & POSIX_HOLD_LOOP) != 0;
		struct orphan_pid *e;

		xgrow(&it->pids, it->npids, cap, sizeof(*it->pids));
		e = &it->pids[it->npids++];
		memset(e, 0, sizeof(*e));
		e->role = loop ? ROLE_LOOP : ROLE_HOLDER;
		e->pid = loop ? 0 : f->holders[i].pid;
		e->state = PS_ALIVE;
		snprintf(e->comm, sizeof(e->comm), "%s", f->holders[i].comm);
		it->reasons |= BIT(loop ? ORS_BACKS_LOOP : ORS_HELD);
	}
	return f->nholders > 0;
}

/*
 * Whether a process of the owner that could have made the file runs: a
 * file is created no later than its ctime and mtime (a create stamps
 * both, fs/namei.c), so a process started after the earlier of them,
 * plus the clock-step slack, did not create it.
 */
static void
posix_owner(struct orphan_item *it, size_t *cap,
    const struct orphan_effects *fx, uid_t uid, int64_t made,
    struct pid_tally *t)
{
	struct orphan_attacher first;
	struct orphan_pid *e;
	long n;

	memset(&first, 0, sizeof(first));
	n = fx->owner_procs == NULL ? -1 : fx->owner_procs(fx->ctx, uid,
	    made + ORPHAN_START_SLACK_S, &first);
	if (n < 0) {
		t->known = false;
		it->reasons |= BIT(ORS_PID_UNREADABLE);
		return;
	}
	if (n == 0) {
		it->reasons |= BIT(ORS_OWNER_GONE);
		return;
	}
	t->alive = true;
	it->reasons |= BIT(ORS_OWNER_RUNS);
	xgrow(&it->pids, it->npids, cap, sizeof(*it->pids));
	e = &it->pids[it->npids++];
	memset(e, 0, sizeof(*e));
	e->role = ROLE_OWNER;
	e->pid = first.pid;
	e->state = PS_ALIVE;
	e->event_time = made;
	snprintf(e->comm, sizeof(e->comm), "%s", first.comm);
}

/*
 * A POSIX object lives until unlinked (mm/shmem.c, ipc/mqueue.c): it is
 * in use while a process maps it or holds it open, or while the process
 * that made it may still run.  The name's PID (posixname.c) names that
 * process when a convention fits; otherwise any process of the owner
 * old enough may be it.  Never orphaned when the holder scan missed a
 * process or did not run.
 */
static void
judge_posix(enum ipc_type type, int64_t now, uint64_t min_age_s,
    const struct orphan_effects *fx, struct orphan_item *it)
{
	const struct posix_file *f = posix_file_of(type, &it->obj);
	struct pid_tally t = { false, true };
	struct orphan_pid *e;
	size_t cap = 0;
	int64_t made = f->mtime < f->ctime ? f->mtime : f->ctime;
	pid_t pid;
	bool named_dead = false;

	it->last_activity = max64(f->mtime, f->ctime);
	it->age_seconds = now - it->last_activity;
	if (posix_holders(it, &cap, f)) {
		it->verdict = OV_IN_USE;
		return;
	}
	/*
	 * /proc shows no process of another PID namespace, whose mapping
	 * or descriptor leaves no trace on the file: seen from a child PID
	 * namespace without --pid (a pod's sidecar shares /dev/shm), the
	 * holder scan is incomplete.
	 */
	if (!f->has_holders || fx->holders_partial ||
	    (limits(fx) & ORPHAN_LIM_UNSTATED)) {
		t.known = false;
		it->reasons |= BIT(ORS_HOLDERS_INCOMPLETE);
	} else
		it->reasons |= BIT(ORS_NOT_HELD);
	if (type == IPC_PMQ && it->obj.pmq.notify_pid > 0) {
		/* the process registered by mq_notify() waits for it */
		e = add_pid(it, &cap, fx, ROLE_NOTIFY, it->obj.pmq.notify_pid,
		    0);
		tally(it, &t, e, ORS_WAITING, ORS_COUNT);
	}
	if (type == IPC_PMQ && it->obj.pmq.has_attr &&
	    it->obj.pmq.curmsgs > 0)
		it->reasons |= BIT(ORS_HOLDS_MESSAGES);
	it->convention = NULL;
	{
		const struct posixname_conv *c = posixname_pid(type, f->name,
		    &pid);

		if (c != NULL) {
			it->convention = c->program;
			e = add_pid(it, &cap, fx, ROLE_NAME, pid,
			    c->renamed ? f->ctime : made);
			tally(it, &t, e, ORS_CREATOR_ALIVE, ORS_CREATOR_DEAD);
			named_dead = e->state == PS_DEAD ||
			    e->state == PS_REUSED;
		}
	}
	/* a dead named creator answers who made it; else the owner's */
	if (!named_dead && !t.alive)
		posix_owner(it, &cap, fx, it->obj.any.perm.uid, made, &t);
	if (t.alive) {
		it->verdict = OV_IN_USE;
		return;
	}
	if (too_young(it, min_age_s, t.known))
		return;
	it->verdict = t.known ? OV_ORPHANED : OV_UNKNOWN;
}

/*
 * What the effects cannot see turns a verdict of orphaned or suspect,
 * which rest on processes being gone, into unknown.
 */
static void
apply_limits(const struct orphan_effects *fx, struct orphan_item *it)
{
	unsigned lim = limits(fx);

	/*
	 * An array that may be a held lock is removable when asked; a
	 * suspect rests on processes being gone as an orphan does.
	 */
	if (it->verdict != OV_ORPHANED && it->verdict != OV_SUSPECT &&
	    !(it->reasons & BIT(ORS_MAY_BE_LOCKED)))
		return;
	if (lim & ORPHAN_LIM_PIDS) {
		it->reasons |= BIT(ORS_PIDS_INCOMPLETE);
		it->verdict = OV_UNKNOWN;
		it->orphan_at = 0;
	}
	/*
	 * A wait in msgrcv or msgsnd shows nowhere but in the waiting
	 * thread's syscall file; a wait in semop is counted by the kernel.
	 */
	if ((lim & ORPHAN_LIM_WAITS) && it->type != IPC_SHM &&
	    !(it->type == IPC_SEM && it->has_sem_waiting)) {
		it->reasons |= BIT(ORS_WAITS_UNREADABLE);
		it->verdict = OV_UNKNOWN;
		it->orphan_at = 0;
	}
}

/*
 * If IT's object holds exactly what ipctune's own access left on it, put
 * the evidence from before that access back into IT's copy: ipctune's
 * attach, detach and IPC_SET are never use.  Anything else touching the
 * object since changes one of these values, and the live ones count.
 */
static void
set_aside_own(const struct orphan_effects *fx, struct orphan_item *it)
{
	for (size_t i = 0; i < fx->ntouches; i++) {
		const struct orphan_touch *t = &fx->touches[i];

		if (t->type != it->type || t->id != orphan_item_id(it) ||
		    t->key != orphan_item_key(it))
			continue;
		switch (it->type) {
		case IPC_SHM: {
			struct shm_obj *s = &it->obj.shm;

			if (s->ctime != t->left_ctime || s->atime !=
			    t->left_atime || s->dtime != t->left_dtime ||
			    s->lpid != t->left_lpid || s->nattch != 0)
				continue;
			s->ctime = t->ctime;
			s->atime = t->atime;
			s->dtime = t->dtime;
			s->lpid = t->lpid;
			break;
		}
		case IPC_SEM:
			if (it->obj.sem.ctime != t->left_ctime)
				continue;
			it->obj.sem.ctime = t->ctime;
			break;
		case IPC_MSG:
			if (it->obj.msg.ctime != t->left_ctime)
				continue;
			it->obj.msg.ctime = t->ctime;
			break;
		case IPC_PSHM:
		case IPC_PSEM:
		case IPC_PMQ:
		case IPC_NTYPES:
			continue;
		}
		it->own_access = t->at;
		return;
	}
}

/*
 * orphan_judge_one(); SETTLE: an object in use will not be shown, so
 * evidence that cannot change a verdict of in use is not read.
 */
static void
judge_one(enum ipc_type type, const void *obj, int64_t now,
    uint64_t min_age_s, const struct orphan_effects *fx, bool settle,
    struct orphan_item *it)
{
	memset(it, 0, sizeof(*it));
	it->type = type;
	switch (type) {
	case IPC_SHM:
		it->obj.shm = *(const struct shm_obj *)obj;
		set_aside_own(fx, it);
		judge_shm(&it->obj.shm, fx, it);
		break;
	case IPC_SEM:
		it->obj.sem = *(const struct sem_obj *)obj;
		set_aside_own(fx, it);
		it->last_activity = max64(it->obj.sem.otime,
		    it->obj.sem.ctime);
		it->age_seconds = now - it->last_activity;
		judge_sem(&it->obj.sem, now, min_age_s, fx, settle, it);
		break;
	case IPC_MSG:
		it->obj.msg = *(const struct msg_obj *)obj;
		set_aside_own(fx, it);
		it->last_activity = max64(it->obj.msg.ctime, max64(
		    it->obj.msg.stime, it->obj.msg.rtime));
		it->age_seconds = now - it->last_activity;
		judge_msg(&it->obj.msg, min_age_s, fx, it);
		break;
	case IPC_PSHM:
		it->obj.pshm = *(const struct pshm_obj *)obj;
		judge_posix(type, now, min_age_s, fx, it);
		break;
	case IPC_PSEM:
		it->obj.psem = *(const struct psem_obj *)obj;
		judge_posix(type, now, min_age_s, fx, it);
		break;
	case IPC_PMQ:
		it->obj.pmq = *(const struct pmq_obj *)obj;
		judge_posix(type, now, min_age_s, fx, it);
		break;
	case IPC_NTYPES:
		/* not a type: nothing is known about it */
		it->verdict = OV_UNKNOWN;
		it->reasons |= BIT(ORS_NO_EVIDENCE);
		break;
	}
	apply_limits(fx, it);
	it->age_seconds = now - it->last_activity;
	if (it->age_seconds < 0)
		it->age_seconds = 0;
}

void
orphan_judge_one(enum ipc_type type, const void *obj, int64_t now,
    uint64_t min_age_s, const struct orphan_effects *fx,
    struct orphan_item *it)
{
	judge_one(type, obj, now, min_age_s, fx, false, it);
}

static void
sum_owner(struct orphan_result *r, size_t *cap, const struct model *m,
    const struct orphan_item *it)
{
	struct orphan_owner_sum *s = NULL;
	uid_t uid = orphan_item_uid(it);
	const struct resource *res = &m->res[ipctype_table[it->type].limit];

	for (size_t i = 0; i < r->nsums; i++)
		if (r->sums[i].uid == uid && r->sums[i].type == it->type)
			s = &r->sums[i];
	if (s == NULL) {
		xgrow(&r->sums, r->nsums, cap, sizeof(*r->sums));
		s = &r->sums[r->nsums++];
		memset(s, 0, sizeof(*s));
		s->uid = uid;
		s->type = it->type;
		s->has_limit = res->has_limit;
		s->limit = res->limit;
	}
	s->objects++;
	if (s->has_limit && s->limit > 0)
		s->ratio = (double)s->objects / (double)s->limit;
}

static int
cmp_sum(const void *a, const void *b)
{
	const struct orphan_owner_sum *x = a, *y = b;

	if (x->objects != y->objects)
		return x->objects > y->objects ? -1 : 1;
	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return (int)x->type - (int)y->type;
}

static void
add_freed(struct orphan_headroom *h, uint64_t v)
{
	if (!num_add_u64(h->freed, v, &h->freed))
		h->freed = UINT64_MAX;
}

/* One headroom row for resource ID, from M. */
static void
head_push(struct orphan_result *r, const struct model *m,
    enum resource_id id)
{
	struct orphan_headroom *h = &r->head[r->nhead++];
	const struct resource *res = &m->res[id];

	h->res = id;
	h->has_limit = res->has_limit;
	h->limit = res->limit;
	h->has_used = res->has_used;
	h->used = res->used;
}

/* The resources a clean-up gives back: each type's limit, then its pool. */
static void
head_init(struct orphan_result *r, const struct model *m)
{
	r->nhead = 0;
	for (int t = 0; t < IPC_NSYSV; t++) {
		enum resource_id res[IPCTYPE_MAXRES];
		size_t n = ipctype_resources(t, res);

		for (size_t i = 0; i < n; i++)
			head_push(r, m, res[i]);
	}
}

/* The headroom row of resource ID (head_init() made one). */
static struct orphan_headroom *
head_find(struct orphan_result *r, enum resource_id id)
{
	for (size_t i = 0; i < r->nhead; i++)
		if (r->head[i].res == id)
			return &r->head[i];
	return NULL;
}

/* Add what removing the orphan IT would give back. */
static void
head_add(struct orphan_result *r, uint64_t pg, const struct orphan_item *it)
{
	const struct ipc_type_desc *d = &ipctype_table[it->type];
	struct orphan_headroom *h;

	/* a dest segment is freed by its last detach anyway */
	if (it->reasons & BIT(ORS_MARKED_DEST))
		return;
	if ((h = head_find(r, d->limit)) != NULL)
		add_freed(h, 1);
	if (d->has_pool && (h = head_find(r, d->pool)) != NULL)
		add_freed(h, pool_charge(it, pg));
}

/* What orphan_judge() carries from one judged item to the next. */
struct judge_acc {
	size_t cap, scap;
	const struct model *m;
	uint64_t pg;
};

/*
 * A dest segment that outlived its creator: still attached (so in use,
 * and shm_close() frees it at the last detach), but no attach or detach
 * for --min-age since the creator exited, as when a server keeps the
 * segments of clients that have gone.
 */
static void
dest_stale(struct orphan_result *r, const struct orphan_filter *f,
    const struct orphan_item *it)
{
	const uint32_t want = BIT(ORS_MARKED_DEST) | BIT(ORS_ATTACHED) |
	    BIT(ORS_CREATOR_DEAD);

	if (it->type != IPC_SHM || it->verdict != OV_IN_USE ||
	    (it->reasons & want) != want || it->age_seconds < 0 ||
	    (uint64_t)it->age_seconds < f->min_age_s)
		return;
	if (r->ndest_stale < sizeof(r->dest_stale_ids) /
	    sizeof(r->dest_stale_ids[0]))
		r->dest_stale_ids[r->ndest_stale] = it->obj.shm.perm.id;
	r->ndest_stale++;
	r->dest_stale_nattch += it->obj.shm.nattch;
}

/*
 * Count IT, then keep it in R or free it.  Counts, owner sums and
 * headroom are taken here, so a count_only judgement holds one item at
 * a time whatever the number of objects.
 */
static void
keep(struct orphan_result *r, struct judge_acc *acc,
    const struct orphan_filter *f, struct orphan_item *it)
{
	r->njudged++;
	if (f->has_older_than && (uint64_t)it->age_seconds < f->older_than_s) {
		orphan_item_release(it);
		return;
	}
	if (it->verdict == OV_UNKNOWN)
		r->nunknown++;
	if (it->verdict == OV_UNKNOWN && orphan_removable(it, true))
		r->nlocked++;
	if (it->verdict == OV_ORPHANED) {
		r->norphans[it->type]++;
		sum_owner(r, &acc->scap, acc->m, it);
		head_add(r, acc->pg, it);
	}
	if (it->verdict == OV_SUSPECT)
		r->nsuspect[it->type]++;
	dest_stale(r, f, it);
	/* suspects are shown by default: the moment to look is now */
	if (f->count_only || (it->verdict != OV_ORPHANED &&
	    it->verdict != OV_SUSPECT &&
	    !f->keep_in_use && !(f->keep_locked &&
	    orphan_removable(it, true)))) {
		orphan_item_release(it);
		return;
	}
	if (f->orphaned_only) {
		/* type, id, verdict and reasons stay; the evidence goes */
		enum orphan_verdict v = it->verdict;

		orphan_item_release(it);
		if (v != OV_ORPHANED)
			return;
	}
	/* the evidence grew 16 at a time: 96,000 items keep only theirs */
	if (it->npids > 0)
		it->pids = xreallocarray(it->pids, it->npids,
		    sizeof(*it->pids));
	xgrow(&r->items, r->nitems, &acc->cap, sizeof(*r->items));
	r->items[r->nitems++] = *it;
}

static void
add_note(struct orphan_result *r, size_t *cap, const char *code,
    const char *text)
{
	xgrow(&r->notes, r->nnotes, cap, sizeof(*r->notes));
	r->notes[r->nnotes].code = code;
	snprintf(r->notes[r->nnotes].text, sizeof(r->notes[0].text), "%.*s",
	    (int)sizeof(r->notes[0].text) - 1, text);
	r->nnotes++;
}

/* Is UID a login user whose IPC logind removes at logout? */
static bool
login_uid(uid_t uid, const struct orphan_host *h)
{
	/* 65534 is nobody/the overflow uid: it never has a session */
	return uid > h->sys_uid_max && uid != 65534 && uid != (uid_t)-1;
}

size_t
orphan_removeipc_count(const struct kstate *ks, const struct orphan_host *h,
    uid_t *first)
{
	size_t nlogin = 0;

	*first = 0;
	if (h == NULL || !h->removeipc)
		return 0;
	for (int t = 0; t < IPC_NTYPES; t++)
		for (size_t i = 0; i < ipctype_count(ks, t); i++) {
			uid_t uid = ipctype_perm(ks, t, i)->uid;

			if (login_uid(uid, h) && nlogin++ == 0)
				*first = uid;
		}
	return nlogin;
}

size_t
orphan_removeipc_text(const struct kstate *ks, const struct orphan_host *h,
    char *text, size_t len)
{
	size_t nlogin;
	uid_t first;

	size_t nposix = 0;
	char posix[96] = "";

	nlogin = orphan_removeipc_count(ks, h, &first);
	if (nlogin == 0)
		return 0;
	/* logind's clean_ipc_by_uid() unlinks their /dev/shm and mqueue files */
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		for (size_t i = 0; i < ipctype_count(ks, t); i++)
			if (login_uid(ipctype_perm(ks, t, i)->uid, h))
				nposix++;
	if (nposix > 0)
		snprintf(posix, sizeof(posix), " (%zu of them POSIX: files "
		    "in /dev/shm and message queues)", nposix);
	snprintf(text, len, "systemd-logind has RemoveIPC=yes (%s): "
	    "%zu IPC object%s%s belong%s to users above uid %u (the first is "
	    "uid %u); logind removes them when the user's last session "
	    "ends, under a running service too (how PostgreSQL loses its "
	    "shared memory and semaphores); set RemoveIPC=no in "
	    "/etc/systemd/logind.conf.d/*.conf, or make service accounts "
	    "system users (uid %u or below)", h->removeipc_source, nlogin,
	    nlogin == 1 ? "" : "s", posix, nlogin == 1 ? "s" : "",
	    (unsigned)h->sys_uid_max, (unsigned)first,
	    (unsigned)h->sys_uid_max);
	return nlogin;
}

size_t
orphan_dest_stale_text(const struct orphan_result *r, char *text,
    size_t len)
{
	size_t n = r->ndest_stale, shown = n < 4 ? n : 4, off;

	if (n == 0)
		return 0;
	off = (size_t)snprintf(text, len, "%zu segment%s marked for removal "
	    "still attached after %s creator exited (", n, n == 1 ? "" : "s",
	    n == 1 ? "its" : "their");
	for (size_t i = 0; i < shown && off < len; i++)
		off += (size_t)snprintf(text + off, len - off, "%s%d",
		    i ? ", " : "", r->dest_stale_ids[i]);
	if (off < len)
		snprintf(text + off, len - off, "%s), with no attach or detach "
		    "since: %" PRIu64 " attach%s hold%s %s, and the kernel "
		    "frees %s only at the last detach; the holders (orphans "
		    "-a, ATTACHED-BY) keep what their clients left", n > shown ?
		    ", ..." : "", r->dest_stale_nattch,
		    r->dest_stale_nattch == 1 ? "" : "es",
		    r->dest_stale_nattch == 1 ? "s" : "",
		    n == 1 ? "it" : "them", n == 1 ? "it" : "them");
	return n;
}

static void
notes(struct orphan_result *r, const struct kstate *ks,
    const struct orphan_host *h)
{
	const struct sysctl_value *rf = &ks->sysctl[SC_SHM_RMID_FORCED];
	size_t cap = 0;
	/* orphaned segments not marked for removal */
	const struct orphan_headroom *shmmni = head_find(r, R_SHMMNI);
	bool shm_orphans = shmmni != NULL && shmmni->freed > 0;
	char text[1024];

	if (shm_orphans && rf->present && rf->v[0] == 0)
		add_note(r, &cap, "shm_rmid_forced_off", "kernel.shm_rmid_"
		    "forced is 0, so a segment whose creator exits while "
		    "nothing is attached stays behind; with 1 the kernel "
		    "destroys every segment as soon as nothing is attached, "
		    "even while its creator runs (programs that detach and "
		    "attach again break), and setting it to 1 destroys the "
		    "unattached segments whose creator has exited");
	if (orphan_removeipc_text(ks, h, text, sizeof(text)) > 0)
		add_note(r, &cap, "logind_removeipc", text);
	if (orphan_dest_stale_text(r, text, sizeof(text)) > 0)
		add_note(r, &cap, "dest_outlived_creator", text);
}

void
orphan_judge(const struct kstate *ks, const struct orphan_filter *f,
    const struct orphan_host *host, const struct orphan_effects *fx,
    struct orphan_result *r)
{
	struct orphan_item it;
	struct model m;
	struct judge_acc acc;
	int64_t now = ks->read_at;

	orphan_result_init(r);
	model_build(ks, &m);
	memset(&acc, 0, sizeof(acc));
	acc.m = &m;
	acc.pg = ks->host.page_size ? ks->host.page_size : 4096;
	head_init(r, &m);
	for (int ti = 0; ti < IPC_NTYPES; ti++) {
		enum ipc_type t = (enum ipc_type)ti;

		for (size_t i = 0; i < ipctype_count(ks, t); i++) {
			const struct obj_perm *p = ipctype_perm(ks, t, i);

			if (!objfilter_match_perm(f, t, p))
				continue;
			judge_one(t, ipctype_obj(ks, t, i), now,
			    f->min_age_s, fx, orphan_filter_settles(f), &it);
			keep(r, &acc, f, &it);
		}
	}
	if (r->nsums > 1)
		qsort(r->sums, r->nsums, sizeof(*r->sums), cmp_sum);
	model_release(&m);
	notes(r, ks, host);
}

/* Has a process outside this PID namespace used OBJ, of type T? */
static bool
foreign_object(enum ipc_type t, const void *obj, int64_t birth)
{
	switch (t) {
	case IPC_SHM: {
		const struct shm_obj *o = obj;

		return o->cpid == 0 || (o->lpid == 0 && (o->atime != 0 ||
		    o->dtime != 0)) || (birth != 0 && o->ctime < birth);
	}
	case IPC_SEM: {
		const struct sem_obj *o = obj;

		return birth != 0 && o->ctime < birth;
	}
	case IPC_MSG: {
		const struct msg_obj *o = obj;

		return (o->lspid == 0 && o->stime != 0) || (o->lrpid == 0 &&
		    o->rtime != 0) || (birth != 0 && o->ctime < birth);
	}
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
		/* a file names no PID: no evidence either way */
		return false;
	case IPC_NTYPES:
		break;
	}
	/* not a type: assume the worst, that others use it */
	return true;
}

bool
orphan_foreign_evidence(const struct kstate *ks, int64_t birth)
{
	for (int t = 0; t < IPC_NTYPES; t++)
		for (size_t i = 0; i < ipctype_count(ks, t); i++)
			if (foreign_object(t, ipctype_obj(ks, t, i), birth))
				return true;
	return false;
}

bool
orphan_removable(const struct orphan_item *it, bool include_locked)
{
	/*
	 * judge_sem() makes it unknown for a lock only as the last step;
	 * what the effects could not see keeps it unknown in any case.
	 */
	if (it->reasons & BIT(ORS_TOO_YOUNG))
		return false;
	return it->verdict == OV_ORPHANED || (include_locked &&
	    it->verdict == OV_UNKNOWN && (it->reasons &
	    BIT(ORS_MAY_BE_LOCKED)) && !(it->reasons &
	    (BIT(ORS_PIDS_INCOMPLETE) | BIT(ORS_WAITS_UNREADABLE))));
}

enum orphan_change
orphan_compare(const struct orphan_item *a, const struct orphan_item *b)
{
	switch (a->type) {
	case IPC_SHM: {
		const struct shm_obj *x = &a->obj.shm, *y = &b->obj.shm;

		if (x->perm.key != y->perm.key)
			return OC_KEY_CHANGED;
		if (x->ctime != y->ctime || x->cpid != y->cpid ||
		    x->size_bytes != y->size_bytes)
			return OC_RECREATED;
		if (y->nattch != 0 || b->natt != 0)
			return OC_ATTACHED;
		if (x->atime != y->atime || x->dtime != y->dtime ||
		    x->lpid != y->lpid || x->perm.mode != y->perm.mode)
			return OC_NEW_OPERATION;
		break;
	}
	case IPC_SEM: {
		const struct sem_obj *x = &a->obj.sem, *y = &b->obj.sem;

		if (x->perm.key != y->perm.key)
			return OC_KEY_CHANGED;
		if (x->ctime != y->ctime || x->nsems != y->nsems)
			return OC_RECREATED;
		if (x->otime != y->otime)
			return OC_NEW_OPERATION;
		if (a->has_sempids != b->has_sempids ||
		    a->nsempids != b->nsempids || (a->has_sempids &&
		    memcmp(a->sempids, b->sempids, a->nsempids *
		    sizeof(*a->sempids)) != 0))
			return OC_SEMPIDS_CHANGED;
		break;
	}
	case IPC_MSG: {
		const struct msg_obj *x = &a->obj.msg, *y = &b->obj.msg;

		if (x->perm.key != y->perm.key)
			return OC_KEY_CHANGED;
		if (x->ctime != y->ctime)
			return OC_RECREATED;
		if (x->stime != y->stime || x->rtime != y->rtime ||
		    x->lspid != y->lspid || x->lrpid != y->lrpid ||
		    x->qnum != y->qnum || x->cbytes != y->cbytes)
			return OC_NEW_OPERATION;
		break;
	}
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		/* not a type: never the same object */
		return OC_RECREATED;
	}
	if (b->verdict != a->verdict || !orphan_removable(b, true))
		return OC_NOT_ORPHANED;
	return OC_SAME;
}
