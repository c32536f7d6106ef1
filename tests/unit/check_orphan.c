/*
 * check_orphan.c: the orphan judge with fake effects: which PIDs run and
 * since when, per-semaphore last-op PIDs, segment attachers and processes
 * waiting on an object.  Also the /proc/PID/stat and /proc/PID/syscall
 * parsers of procscan, its pure pieces.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "orphan.h"
#include "procparse.h"
#include "procscan.h"

#define NOW 1000000
#define HOUR 3600

struct fake_proc {
	pid_t pid;
	int64_t start;
	const char *comm;
};

struct fake_sem {
	int semid;
	pid_t pids[4];
};

struct fake {
	struct fake_proc procs[8];
	size_t nprocs;
	struct fake_sem sems[4];
	size_t nsems;
	bool sem_fail;
	int att_shmid;
	struct orphan_attacher att[2];
	size_t natt;
	enum ipc_type wait_type;
	int wait_id;
	struct orphan_attacher waiter;
	int proc_calls;
	pid_t unreadable;	/* f_proc: exists but cannot be read */
	unsigned limits;	/* what f_limits reports */
	bool has_semwait;	/* f_sem_waiting answers */
	uint64_t semwait;
	int semwait_calls[4];	/* f_sem_waiting calls per semid 0-3 */
	long owner_n;		/* f_owner_procs: processes of the owner */
	int64_t owner_before;	/* what f_owner_procs was asked */
};

static int
f_proc(void *ctx, pid_t pid, struct orphan_proc *p)
{
	struct fake *f = ctx;

	f->proc_calls++;
	if (f->unreadable != 0 && pid == f->unreadable)
		return ORPHAN_PROC_UNREADABLE;
	for (size_t i = 0; i < f->nprocs; i++)
		if (f->procs[i].pid == pid) {
			p->start_time = f->procs[i].start;
			strcpy(p->comm, f->procs[i].comm);
			return 0;
		}
	return -1;
}

static int
f_sem_pids(void *ctx, int semid, size_t nsems, pid_t *pids)
{
	struct fake *f = ctx;

	if (f->sem_fail)
		return -1;
	for (size_t i = 0; i < f->nsems; i++)
		if (f->sems[i].semid == semid) {
			memcpy(pids, f->sems[i].pids, nsems * sizeof(*pids));
			return 0;
		}
	memset(pids, 0, nsems * sizeof(*pids));
	return 0;
}

static size_t
f_att(void *ctx, int shmid, const struct orphan_attacher **out)
{
	struct fake *f = ctx;

	if (shmid != f->att_shmid || f->natt == 0)
		return 0;
	*out = f->att;
	return f->natt;
}

static size_t
f_waiters(void *ctx, enum ipc_type type, int id,
    const struct orphan_attacher **out)
{
	struct fake *f = ctx;

	if (f->waiter.pid == 0 || type != f->wait_type || id != f->wait_id)
		return 0;
	*out = &f->waiter;
	return 1;
}

static unsigned
f_limits(void *ctx)
{
	return ((struct fake *)ctx)->limits;
}

static int
f_sem_waiting(void *ctx, int semid, size_t nsems, uint64_t *n)
{
	struct fake *f = ctx;

	(void)nsems;
	if (semid >= 0 && semid < 4)
		f->semwait_calls[semid]++;
	if (!f->has_semwait)
		return -1;
	*n = f->semwait;
	return 0;
}

/* OWNER_N processes of the owner (-1: unreadable), the first PID 400. */
static long
f_owner_procs(void *ctx, uid_t uid, int64_t before,
    struct orphan_attacher *first)
{
	struct fake *f = ctx;

	(void)uid;
	f->owner_before = before;
	if (f->owner_n > 0) {
		first->pid = 400;
		strcpy(first->comm, "postgres");
	}
	return f->owner_n;
}

static struct fake F;
static struct orphan_effects FX;

static void
setup(void)
{
	memset(&F, 0, sizeof(F));
	F.att_shmid = -1;
	FX.proc = f_proc;
	FX.sem_pids = f_sem_pids;
	FX.shm_attachers = f_att;
	FX.waiters = f_waiters;
	FX.sem_waiting = f_sem_waiting;
	FX.limits = f_limits;
	FX.owner_procs = f_owner_procs;
	FX.holders_partial = false;
	FX.ctx = &F;
}

static void
add_proc(pid_t pid, int64_t start, const char *comm)
{
	F.procs[F.nprocs].pid = pid;
	F.procs[F.nprocs].start = start;
	F.procs[F.nprocs].comm = comm;
	F.nprocs++;
}

static struct shm_obj
shm(int id, pid_t cpid, pid_t lpid, uint64_t nattch)
{
	struct shm_obj o;

	memset(&o, 0, sizeof(o));
	o.perm.id = id;
	o.perm.key = 0x1000u + (uint32_t)id;
	o.perm.mode = 0600;
	o.size_bytes = 8192;
	o.cpid = cpid;
	o.lpid = lpid;
	o.nattch = nattch;
	o.ctime = NOW - 2 * HOUR;
	o.atime = NOW - 2 * HOUR + 1;
	o.dtime = NOW - 2 * HOUR + 2;
	return o;
}

static struct sem_obj
sem(int id, uint64_t nsems, int64_t otime)
{
	struct sem_obj o;

	memset(&o, 0, sizeof(o));
	o.perm.id = id;
	o.perm.key = 0x2000u + (uint32_t)id;
	o.perm.mode = 0600;
	o.perm.uid = 48;
	o.nsems = nsems;
	o.ctime = NOW - 3 * HOUR;
	o.otime = otime;
	return o;
}

static struct msg_obj
msg(int id, pid_t lspid, pid_t lrpid, uint64_t qnum)
{
	struct msg_obj o;

	memset(&o, 0, sizeof(o));
	o.perm.id = id;
	o.perm.key = 0x3000u + (uint32_t)id;
	o.perm.mode = 0600;
	o.lspid = lspid;
	o.lrpid = lrpid;
	o.qnum = qnum;
	o.cbytes = qnum * 10;
	o.ctime = NOW - 3 * HOUR;
	o.stime = lspid ? NOW - 2 * HOUR : 0;
	o.rtime = lrpid ? NOW - 2 * HOUR : 0;
	return o;
}

#define HAS(it, r) (((it).reasons & (1u << (r))) != 0)

/* Every semaphore at 0: may be a lock held with SEM_UNDO. */
static int
f_sem_vals_early(void *ctx, int semid, size_t nsems, unsigned short *vals)
{
	(void)ctx;
	(void)semid;
	memset(vals, 0, nsems * sizeof(*vals));
	return 0;
}

START_TEST(shm_creator_and_last_dead)
{
	struct shm_obj o = shm(1, 100, 101, 0);
	struct orphan_item it;

	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_NO_ATTACH));
	ck_assert(HAS(it, ORS_CREATOR_DEAD));
	ck_assert(HAS(it, ORS_LAST_PID_DEAD));
	ck_assert(!HAS(it, ORS_PID_REUSED));
	ck_assert_uint_eq(it.npids, 2);
	ck_assert_int_eq(it.pids[0].role, ROLE_CREATOR);
	ck_assert_int_eq(it.pids[0].state, PS_DEAD);
	ck_assert_int_eq(it.pids[1].role, ROLE_LAST_ATTACH);
	ck_assert_int_eq(it.pids[1].event_time, o.dtime);
	ck_assert_int_eq(it.age_seconds, NOW - o.dtime);
	orphan_item_release(&it);
}
END_TEST

START_TEST(shm_creator_alive)
{
	struct shm_obj o = shm(1, 100, 101, 0);
	struct orphan_item it;

	add_proc(100, o.ctime - 5, "postgres");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_CREATOR_ALIVE));
	ck_assert_str_eq(it.pids[0].comm, "postgres");
	orphan_item_release(&it);
}
END_TEST

START_TEST(shm_started_same_second_counts_as_creator)
{
	struct shm_obj o = shm(1, 100, 0, 0);
	struct orphan_item it;

	add_proc(100, o.ctime, "x");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	orphan_item_release(&it);
}
END_TEST

START_TEST(shm_pid_reused)
{
	struct shm_obj o = shm(1, 100, 100, 0);
	struct orphan_item it;

	/* PID 100 now belongs to a process started well after the detach */
	add_proc(100, o.dtime + ORPHAN_START_SLACK_S + 1, "sleep");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_PID_REUSED));
	ck_assert(HAS(it, ORS_CREATOR_DEAD));
	ck_assert(HAS(it, ORS_LAST_PID_DEAD));
	ck_assert_int_eq(it.pids[0].state, PS_REUSED);
	ck_assert_int_eq(it.pids[0].start_time, o.dtime +
	    ORPHAN_START_SLACK_S + 1);
	ck_assert_int_eq(it.pids[1].state, PS_REUSED);
	orphan_item_release(&it);
}
END_TEST

START_TEST(shm_reused_only_for_creator)
{
	struct shm_obj o = shm(1, 100, 100, 0);
	struct orphan_item it;

	/* started after creation but before the last detach: the last user */
	o.atime = o.dtime = o.ctime + 2 * ORPHAN_START_SLACK_S;
	add_proc(100, o.ctime + ORPHAN_START_SLACK_S + 1, "worker");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_LAST_PID_ALIVE));
	ck_assert_int_eq(it.pids[0].state, PS_REUSED);
	ck_assert_int_eq(it.pids[1].state, PS_ALIVE);
	orphan_item_release(&it);
}
END_TEST

START_TEST(shm_attached)
{
	struct shm_obj o = shm(7, 100, 101, 2);
	struct orphan_item it;

	F.att_shmid = 7;
	F.att[0].pid = 555;
	strcpy(F.att[0].comm, "httpd");
	F.natt = 1;
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_ATTACHED));
	ck_assert_uint_eq(it.natt, 1);
	ck_assert_int_eq(it.att[0].pid, 555);
	ck_assert_str_eq(it.att[0].comm, "httpd");
	ck_assert_uint_eq(it.hidden_attachers, 1);
	orphan_item_release(&it);
}
END_TEST

/*
 * 13.2: IPC_RMID on an attached segment (the X11 MIT-SHM idiom) only
 * marks it; the kernel frees it at the last detach.  It is in use, and
 * no orphan, whoever created it.
 */
START_TEST(shm_dest_attached_is_in_use)
{
	struct shm_obj o = shm(7, 100, 101, 1);
	struct orphan_item it;

	o.perm.mode |= IPC_SHM_DEST;
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_MARKED_DEST));
	ck_assert(HAS(it, ORS_ATTACHED));
	ck_assert(!HAS(it, ORS_NO_ATTACH));
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);
	/* an attacher that /proc shows, nattch not yet read as 1 */
	o.nattch = 0;
	F.att_shmid = 7;
	F.att[0].pid = 555;
	strcpy(F.att[0].comm, "Xorg");
	F.natt = 1;
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_MARKED_DEST));
	orphan_item_release(&it);
}
END_TEST

/*
 * 13.2: a marked segment with nothing attached is freed by the kernel
 * in the same step (shm_may_destroy()): seen so, the reading raced the
 * free or does not hold together.  No orphan, nothing to remove.
 */
START_TEST(shm_dest_unattached_is_unknown)
{
	struct shm_obj o = shm(7, 100, 101, 0);
	struct orphan_item it;

	o.perm.mode |= IPC_SHM_DEST;
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_MARKED_DEST));
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);
}
END_TEST

/* 13.2: an attached dest segment counts as no orphan, frees nothing. */
START_TEST(judge_dest_attached_not_counted)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_result r;
	struct shm_obj seg = shm(9, 100, 101, 2);

	kstate_init(&ks);
	ks.read_at = NOW;
	seg.perm.mode |= IPC_SHM_DEST;
	ks.shm = &seg;
	ks.nshm = 1;
	ks.has_shm = true;
	orphan_filter_init(&f);
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.norphans[IPC_SHM], 0);
	ck_assert_uint_eq(r.nitems, 0);
	orphan_result_release(&r);
	ks.shm = NULL;
	ks.nshm = 0;
	kstate_release(&ks);
}
END_TEST

/*
 * Scenario 11: dest segments whose creator exited and that nobody
 * attached or detached for --min-age are counted (still in use); with a
 * live creator, or younger, they are not.
 */
START_TEST(judge_dest_outlived_creator)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_result r;
	struct shm_obj seg[3] = { shm(9, 100, 101, 1), shm(10, 102, 101, 2),
	    shm(11, 103, 101, 1) };
	char text[320];

	add_proc(102, NOW - 3 * HOUR, "xclient");
	kstate_init(&ks);
	ks.read_at = NOW;
	for (int i = 0; i < 3; i++)
		seg[i].perm.mode |= IPC_SHM_DEST;
	/* detached from 10 minutes ago: too recent for --min-age 1h */
	seg[2].dtime = NOW - 600;
	ks.shm = seg;
	ks.nshm = 3;
	ks.has_shm = true;
	orphan_filter_init(&f);
	f.min_age_s = HOUR;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.norphans[IPC_SHM], 0);
	ck_assert_uint_eq(r.ndest_stale, 1);
	ck_assert_uint_eq(r.dest_stale_nattch, 1);
	ck_assert_int_eq(r.dest_stale_ids[0], 9);
	ck_assert_uint_eq(orphan_dest_stale_text(&r, text, sizeof(text)), 1);
	ck_assert_str_eq(text, "1 segment marked for removal still attached "
	    "after its creator exited (9), with no attach or detach since: "
	    "1 attach holds it, and the kernel frees it only at the last "
	    "detach; the holders (orphans -a, ATTACHED-BY) keep what their "
	    "clients left");
	ck_assert_uint_eq(r.nnotes, 1);
	ck_assert_str_eq(r.notes[0].code, "dest_outlived_creator");
	orphan_result_release(&r);
	f.min_age_s = 0;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.ndest_stale, 2);
	ck_assert_uint_eq(r.dest_stale_nattch, 2);
	orphan_result_release(&r);
	ks.shm = NULL;
	ks.nshm = 0;
	kstate_release(&ks);
}
END_TEST

START_TEST(shm_creator_not_visible)
{
	struct shm_obj o = shm(7, 0, 0, 0);
	struct orphan_item it;

	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_NOT_VISIBLE));
	orphan_item_release(&it);
}
END_TEST

START_TEST(sem_all_dead)
{
	struct sem_obj o = sem(3, 4, NOW - 2 * HOUR);
	struct orphan_item it;

	F.sems[0] = (struct fake_sem){ 3, { 200, 0, 201, 200 } };
	F.nsems = 1;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_LAST_OP_PID_DEAD));
	ck_assert_uint_eq(it.npids, 2);
	ck_assert_int_eq(it.pids[0].pid, 200);
	ck_assert_uint_eq(it.pids[0].nsems, 2);
	ck_assert_int_eq(it.pids[1].pid, 201);
	ck_assert_uint_eq(it.pids[1].nsems, 1);
	ck_assert(it.has_sempids);
	ck_assert_int_eq(it.sempids[2], 201);
	ck_assert_int_eq(it.age_seconds, 2 * HOUR);
	orphan_item_release(&it);
}
END_TEST

START_TEST(sem_one_alive)
{
	struct sem_obj o = sem(3, 4, NOW - 2 * HOUR);
	struct orphan_item it;

	F.sems[0] = (struct fake_sem){ 3, { 200, 0, 201, 200 } };
	F.nsems = 1;
	add_proc(201, NOW - 10 * HOUR, "httpd");
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_LAST_OP_PID_ALIVE));
	orphan_item_release(&it);
}
END_TEST

START_TEST(sem_reused_pid)
{
	struct sem_obj o = sem(3, 2, NOW - 2 * HOUR);
	struct orphan_item it;

	F.sems[0] = (struct fake_sem){ 3, { 200, 200 } };
	F.nsems = 1;
	add_proc(200, NOW - HOUR, "bash");
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_PID_REUSED));
	ck_assert(HAS(it, ORS_LAST_OP_PID_DEAD));
	orphan_item_release(&it);
}
END_TEST

/*
 * 13.1: an array whose every last-operation process is gone, younger
 * than --min-age, is a fresh leak: suspect, with the time it becomes
 * orphaned, and never removable until then.
 */
START_TEST(sem_fresh_leak_is_suspect)
{
	struct sem_obj o = sem(3, 1, NOW - 60);
	struct orphan_item it;

	F.sems[0] = (struct fake_sem){ 3, { 200 } };
	F.nsems = 1;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_SUSPECT);
	ck_assert(HAS(it, ORS_TOO_YOUNG));
	ck_assert(HAS(it, ORS_LAST_OP_PID_DEAD));
	ck_assert_int_eq(it.orphan_at, NOW - 60 + HOUR);
	ck_assert(!orphan_removable(&it, false));
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);
	orphan_judge_one(IPC_SEM, &o, NOW, 0, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert_int_eq(it.orphan_at, 0);
	orphan_item_release(&it);
}
END_TEST

/* 13.1: what is not a fresh leak stays in use while young. */
START_TEST(sem_young_not_suspect)
{
	struct sem_obj o = sem(3, 1, NOW - 60);
	struct orphan_item it;

	/* created and never operated on: its user may come yet */
	o.otime = 0;
	o.ctime = NOW - 60;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_TOO_YOUNG));
	orphan_item_release(&it);
	/* the last-op process runs */
	o = sem(3, 1, NOW - 60);
	F.sems[0] = (struct fake_sem){ 3, { 200 } };
	F.nsems = 1;
	add_proc(200, NOW - HOUR, "httpd");
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	orphan_item_release(&it);
	/* its process is unreadable: not every PID is known gone */
	F.nprocs = 0;
	F.unreadable = 200;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_ne(it.verdict, OV_SUSPECT);
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);
	F.unreadable = 0;
	/* users outside the PID namespace may be unseen: unknown */
	F.limits = ORPHAN_LIM_PIDS;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PIDS_INCOMPLETE));
	ck_assert(HAS(it, ORS_TOO_YOUNG));
	ck_assert_int_eq(it.orphan_at, 0);
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);
	F.limits = 0;
}
END_TEST

/*
 * 13.1: a young suspect with a semaphore at 0 is never removable, not
 * even with --include-locked.
 */
START_TEST(sem_suspect_locked_not_removable)
{
	struct sem_obj o = sem(3, 2, NOW - 60);
	struct orphan_item it;

	FX.sem_vals = f_sem_vals_early;
	F.sems[0] = (struct fake_sem){ 3, { 200, 200 } };
	F.nsems = 1;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_SUSPECT);
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);
	FX.sem_vals = NULL;
}
END_TEST

START_TEST(sem_never_operated_and_unreadable)
{
	struct sem_obj o = sem(3, 2, 0);
	struct orphan_item it;

	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_NEVER_OPERATED));
	orphan_item_release(&it);
	F.sem_fail = true;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_NO_EVIDENCE));
	orphan_item_release(&it);
}
END_TEST

START_TEST(msg_cases)
{
	struct msg_obj o = msg(4, 300, 301, 5);
	struct orphan_item it;

	orphan_judge_one(IPC_MSG, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_SENDER_DEAD));
	ck_assert(HAS(it, ORS_RECEIVER_DEAD));
	ck_assert(HAS(it, ORS_HOLDS_MESSAGES));
	orphan_item_release(&it);

	add_proc(301, NOW - 5 * HOUR, "consumer");
	orphan_judge_one(IPC_MSG, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_RECEIVER_ALIVE));
	orphan_item_release(&it);

	/* 13.1: the sender is gone, nothing ever received: suspect */
	o = msg(6, 300, 0, 1);
	o.stime = NOW - 10;
	orphan_judge_one(IPC_MSG, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_SUSPECT);
	ck_assert(HAS(it, ORS_SENDER_DEAD));
	ck_assert(HAS(it, ORS_TOO_YOUNG));
	ck_assert_int_eq(it.orphan_at, NOW - 10 + HOUR);
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);

	/* never used and young: a reader may still come */
	o = msg(5, 0, 0, 0);
	o.ctime = NOW - 10;
	orphan_judge_one(IPC_MSG, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_TOO_YOUNG));
	ck_assert(HAS(it, ORS_NEVER_USED));
	orphan_item_release(&it);
}
END_TEST

static void
fill_ks(struct kstate *ks)
{
	static struct shm_obj shms[2];
	static struct sem_obj sems[4];
	static struct msg_obj msgs[1];

	kstate_init(ks);
	ks->read_at = NOW;
	ks->host.page_size = 4096;
	ks->sysctl[SC_SEM].present = true;
	ks->sysctl[SC_SEM].v[SEM_SEMMNI] = 4;
	ks->sysctl[SC_SEM].v[SEM_SEMMNS] = 100;
	ks->sysctl[SC_SHMMNI].present = true;
	ks->sysctl[SC_SHMMNI].v[0] = 10;
	ks->sysctl[SC_SHMALL].present = true;
	ks->sysctl[SC_SHMALL].v[0] = 1000;
	ks->sysctl[SC_MSGMNI].present = true;
	ks->sysctl[SC_MSGMNI].v[0] = 10;
	ks->sysctl[SC_SHM_RMID_FORCED].present = true;
	ks->sysctl[SC_SHM_RMID_FORCED].v[0] = 0;
	shms[0] = shm(0, 100, 100, 0);
	shms[0].size_bytes = 4097;
	shms[1] = shm(1, 110, 110, 0);
	shms[1].perm.uid = 1000;
	for (int i = 0; i < 3; i++)
		sems[i] = sem(i, 3, NOW - 2 * HOUR);
	sems[3] = sem(3, 3, NOW - 2 * HOUR);
	sems[3].perm.uid = 0;
	msgs[0] = msg(0, 300, 0, 1);
	ks->shm = shms;
	ks->nshm = 2;
	ks->sem = sems;
	ks->nsem = 4;
	ks->msg = msgs;
	ks->nmsg = 1;
	ks->has_shm = ks->has_sem = ks->has_msg = true;
	ks->has_usage = true;
	ks->usage.shm_segments = 2;
	ks->usage.shm_pages = 3;
	ks->usage.sem_arrays = 4;
	ks->usage.sem_sems = 12;
	ks->usage.msg_queues = 1;
}

/*
 * 13.1: suspects are counted apart from orphans and kept in the result
 * by default, so 'orphans' shows them; counting keeps none.
 */
START_TEST(judge_counts_suspects)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_result r;

	fill_ks(&ks);
	ks.sem[1].otime = NOW - 60;
	ks.sem[2].otime = NOW - 120;
	F.sems[0] = (struct fake_sem){ 1, { 500, 500, 0 } };
	F.sems[1] = (struct fake_sem){ 2, { 501, 0, 0 } };
	F.nsems = 2;
	orphan_filter_init(&f);
	f.types = IPC_TYPE_BIT(IPC_SEM);
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nsuspect[IPC_SEM], 2);
	ck_assert_uint_eq(r.norphans[IPC_SEM], 2);
	ck_assert_uint_eq(r.nitems, 4);
	ck_assert_uint_eq(r.head[2].freed, 2);	/* only orphans free */
	ck_assert_int_eq(r.items[1].verdict, OV_SUSPECT);
	ck_assert_int_eq(r.items[1].orphan_at, NOW - 60 + HOUR);
	orphan_result_release(&r);
	f.count_only = true;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nsuspect[IPC_SEM], 2);
	ck_assert_uint_eq(r.nitems, 0);
	orphan_result_release(&r);
}
END_TEST

/*
 * issue 18: an array in use already (a live last-op PID; younger than
 * --min-age and never operated) is not asked its waiters when no object
 * in use is kept; the others (old and dead, or young with every PID
 * gone: suspect) are, and every count is that of a judgement
 * that asks them all (--all), with or without a waiter.
 */
START_TEST(judge_settles_without_waiters)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_result r, all;

	fill_ks(&ks);
	add_proc(500, NOW - 5 * HOUR, "server");
	ks.sem[1].otime = 0;
	ks.sem[1].ctime = NOW - 60;
	ks.sem[3].otime = NOW - 60;
	F.sems[0] = (struct fake_sem){ 0, { 500, 0, 0 } };
	F.sems[1] = (struct fake_sem){ 2, { 501, 0, 0 } };
	F.sems[2] = (struct fake_sem){ 3, { 502, 502, 502 } };
	F.nsems = 3;
	F.has_semwait = true;
	for (uint64_t w = 0; w < 2; w++) {
		F.semwait = w;
		orphan_filter_init(&f);
		f.types = IPC_TYPE_BIT(IPC_SEM);
		ck_assert(orphan_filter_settles(&f));
		memset(F.semwait_calls, 0, sizeof(F.semwait_calls));
		orphan_judge(&ks, &f, NULL, &FX, &r);
		ck_assert_int_eq(F.semwait_calls[0], 0);
		ck_assert_int_eq(F.semwait_calls[1], 0);
		ck_assert_int_eq(F.semwait_calls[2], 1);
		ck_assert_int_eq(F.semwait_calls[3], 1);
		f.keep_in_use = true;
		ck_assert(!orphan_filter_settles(&f));
		memset(F.semwait_calls, 0, sizeof(F.semwait_calls));
		orphan_judge(&ks, &f, NULL, &FX, &all);
		for (int i = 0; i < 4; i++)
			ck_assert_int_eq(F.semwait_calls[i], 1);
		ck_assert_uint_eq(all.nitems, 4);
		ck_assert(HAS(all.items[0], ORS_LAST_OP_PID_ALIVE));
		ck_assert_int_eq(HAS(all.items[1], ORS_WAITING), w == 1);
		ck_assert_uint_eq(r.norphans[IPC_SEM], w == 0 ? 1 : 0);
		ck_assert_uint_eq(r.nsuspect[IPC_SEM], w == 0 ? 1 : 0);
		ck_assert_uint_eq(r.norphans[IPC_SEM], all.norphans[IPC_SEM]);
		ck_assert_uint_eq(r.nsuspect[IPC_SEM], all.nsuspect[IPC_SEM]);
		ck_assert_uint_eq(r.nunknown, all.nunknown);
		ck_assert_uint_eq(r.nitems, w == 0 ? 2 : 0);
		f.count_only = true;
		ck_assert(orphan_filter_settles(&f));
		orphan_result_release(&r);
		orphan_result_release(&all);
	}
}
END_TEST

/*
 * issue 18: 'snapshot' keeps only the orphaned items, without their
 * evidence; the counts are those of a full judgement.
 */
START_TEST(judge_orphaned_only)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_result full, lean;
	size_t j = 0;

	fill_ks(&ks);
	ks.sem[1].otime = NOW - 60;
	ks.sem[2].otime = NOW - 120;
	F.sems[0] = (struct fake_sem){ 1, { 500, 500, 0 } };
	F.sems[1] = (struct fake_sem){ 2, { 501, 0, 0 } };
	F.nsems = 2;
	orphan_filter_init(&f);
	orphan_judge(&ks, &f, NULL, &FX, &full);
	f.orphaned_only = true;
	orphan_judge(&ks, &f, NULL, &FX, &lean);
	ck_assert_uint_gt(full.nitems, lean.nitems);
	ck_assert_uint_gt(lean.nitems, 0);
	ck_assert_uint_eq(lean.nunknown, full.nunknown);
	ck_assert_uint_eq(lean.njudged, full.njudged);
	for (int t = 0; t < IPC_NTYPES; t++) {
		ck_assert_uint_eq(lean.norphans[t], full.norphans[t]);
		ck_assert_uint_eq(lean.nsuspect[t], full.nsuspect[t]);
	}
	for (size_t i = 0; i < full.nitems; i++) {
		if (full.items[i].verdict != OV_ORPHANED)
			continue;
		ck_assert_uint_lt(j, lean.nitems);
		ck_assert_int_eq(lean.items[j].verdict, OV_ORPHANED);
		ck_assert_int_eq(lean.items[j].type, full.items[i].type);
		ck_assert_int_eq(orphan_item_id(&lean.items[j]),
		    orphan_item_id(&full.items[i]));
		ck_assert_uint_eq(lean.items[j].reasons,
		    full.items[i].reasons);
		ck_assert_ptr_null(lean.items[j].pids);
		ck_assert_ptr_null(lean.items[j].sempids);
		j++;
	}
	ck_assert_uint_eq(j, lean.nitems);
	orphan_result_release(&full);
	orphan_result_release(&lean);
}
END_TEST

START_TEST(judge_summary_headroom_notes)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_host h = { true, "/etc/systemd/logind.conf", 999 };
	struct orphan_result r;

	fill_ks(&ks);
	/* shm 1's creator runs: in use; sem 3 (root) has a live user */
	add_proc(110, NOW - 10 * HOUR, "app");
	F.sems[0] = (struct fake_sem){ 3, { 400, 0, 0 } };
	F.nsems = 1;
	add_proc(400, NOW - 10 * HOUR, "root-daemon");
	orphan_filter_init(&f);
	orphan_judge(&ks, &f, &h, &FX, &r);
	ck_assert_uint_eq(r.norphans[IPC_SHM], 1);
	ck_assert_uint_eq(r.norphans[IPC_SEM], 3);
	ck_assert_uint_eq(r.norphans[IPC_MSG], 1);
	ck_assert_uint_eq(r.nitems, 5);
	ck_assert_uint_eq(r.njudged, 7);
	/* apache (uid 48): 3 of SEMMNI 4 first */
	ck_assert_uint_ge(r.nsums, 1);
	ck_assert_int_eq(r.sums[0].uid, 48);
	ck_assert_int_eq(r.sums[0].type, IPC_SEM);
	ck_assert_uint_eq(r.sums[0].objects, 3);
	ck_assert(r.sums[0].ratio > 0.74 && r.sums[0].ratio < 0.76);
	/* headroom: 1 segment of 2 pages, 3 arrays of 9 sems, 1 queue */
	ck_assert_int_eq(r.head[0].res, R_SHMMNI);
	ck_assert_uint_eq(r.head[0].freed, 1);
	ck_assert_uint_eq(r.head[1].freed, 2);
	ck_assert_uint_eq(r.head[2].freed, 3);
	ck_assert_uint_eq(r.head[3].freed, 9);
	ck_assert_uint_eq(r.head[4].freed, 1);
	ck_assert_uint_eq(r.head[2].used, 4);
	ck_assert_uint_eq(r.head[2].limit, 4);
	ck_assert_uint_eq(r.nnotes, 2);
	ck_assert_str_eq(r.notes[0].code, "shm_rmid_forced_off");
	ck_assert_str_eq(r.notes[1].code, "logind_removeipc");
	ck_assert_ptr_nonnull(strstr(r.notes[1].text, "uid 1000"));
	orphan_result_release(&r);

	/* keep_in_use keeps all 7, the counts stay */
	f.keep_in_use = true;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nitems, 7);
	ck_assert_uint_eq(r.norphans[IPC_SEM], 3);
	ck_assert_uint_eq(r.nnotes, 1);
	orphan_result_release(&r);

	/* count_only: the same counts, sums, headroom and notes, no item */
	f.keep_in_use = false;
	f.count_only = true;
	orphan_judge(&ks, &f, &h, &FX, &r);
	ck_assert_uint_eq(r.nitems, 0);
	ck_assert_ptr_null(r.items);
	ck_assert_uint_eq(r.njudged, 7);
	ck_assert_uint_eq(r.norphans[IPC_SHM], 1);
	ck_assert_uint_eq(r.norphans[IPC_SEM], 3);
	ck_assert_uint_eq(r.norphans[IPC_MSG], 1);
	ck_assert_int_eq(r.sums[0].uid, 48);
	ck_assert_uint_eq(r.sums[0].objects, 3);
	ck_assert_uint_eq(r.head[1].freed, 2);
	ck_assert_uint_eq(r.head[3].freed, 9);
	ck_assert_uint_eq(r.nnotes, 2);
	ck_assert_str_eq(r.notes[0].code, "shm_rmid_forced_off");
	orphan_result_release(&r);
}
END_TEST

START_TEST(judge_filters)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_result r;

	fill_ks(&ks);
	orphan_filter_init(&f);
	f.types = IPC_TYPE_BIT(IPC_SEM);
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nitems, 4);
	ck_assert_uint_eq(r.njudged, 4);
	orphan_result_release(&r);

	orphan_filter_init(&f);
	f.has_owner = true;
	f.owner = 1000;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nitems, 1);
	ck_assert_int_eq(orphan_item_uid(&r.items[0]), 1000);
	orphan_result_release(&r);

	orphan_filter_init(&f);
	f.has_key = true;
	f.key = 0x2002;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nitems, 1);
	ck_assert_int_eq(r.items[0].type, IPC_SEM);
	ck_assert_int_eq(orphan_item_id(&r.items[0]), 2);
	orphan_result_release(&r);

	orphan_filter_init(&f);
	f.has_id = true;
	f.id = 0;
	f.types = IPC_TYPE_BIT(IPC_MSG);
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nitems, 1);
	ck_assert_int_eq(r.items[0].type, IPC_MSG);
	orphan_result_release(&r);

	/* everything is about 2 hours old: 3 hours filters all out */
	orphan_filter_init(&f);
	f.has_older_than = true;
	f.older_than_s = 3 * HOUR;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nitems, 0);
	orphan_result_release(&r);
	f.older_than_s = HOUR;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.nitems, 7);
	orphan_result_release(&r);
}
END_TEST

START_TEST(compare_changes)
{
	struct sem_obj s = sem(3, 2, NOW - 2 * HOUR);
	struct shm_obj m = shm(1, 100, 100, 0);
	struct orphan_item a, b;

	F.sems[0] = (struct fake_sem){ 3, { 200, 201 } };
	F.nsems = 1;
	orphan_judge_one(IPC_SEM, &s, NOW, HOUR, &FX, &a);
	orphan_judge_one(IPC_SEM, &s, NOW + 5, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_SAME);
	orphan_item_release(&b);
	/* SETVAL by a process that then exited: only a sempid moved */
	F.sems[0].pids[1] = 202;
	orphan_judge_one(IPC_SEM, &s, NOW + 5, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_SEMPIDS_CHANGED);
	orphan_item_release(&b);
	s.otime++;
	orphan_judge_one(IPC_SEM, &s, NOW + 5, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_NEW_OPERATION);
	orphan_item_release(&b);
	s.ctime++;
	orphan_judge_one(IPC_SEM, &s, NOW + 5, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_RECREATED);
	orphan_item_release(&b);
	orphan_item_release(&a);

	orphan_judge_one(IPC_SHM, &m, NOW, HOUR, &FX, &a);
	m.nattch = 1;
	orphan_judge_one(IPC_SHM, &m, NOW, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_ATTACHED);
	orphan_item_release(&b);
	m.nattch = 0;
	m.perm.key++;
	orphan_judge_one(IPC_SHM, &m, NOW, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_KEY_CHANGED);
	orphan_item_release(&b);
	m.perm.key--;
	add_proc(100, m.ctime - 1, "back");
	orphan_judge_one(IPC_SHM, &m, NOW, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_NOT_ORPHANED);
	orphan_item_release(&b);
	orphan_item_release(&a);
}
END_TEST

/* A blocked semop or msgrcv leaves no PID, but the object is in use. */
START_TEST(waiters)
{
	struct sem_obj so = sem(3, 4, NOW - 2 * HOUR);
	struct msg_obj mo = msg(4, 300, 0, 0);
	struct orphan_item it;

	F.sems[0] = (struct fake_sem){ 3, { 200, 0, 201, 200 } };
	F.nsems = 1;
	F.wait_type = IPC_SEM;
	F.wait_id = 3;
	F.waiter = (struct orphan_attacher){ .pid = 77, .comm = "httpd" };
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_WAITING));
	ck_assert(!HAS(it, ORS_LAST_OP_PID_ALIVE));
	ck_assert_int_eq(it.pids[it.npids - 1].role, ROLE_WAITER);
	ck_assert_int_eq(it.pids[it.npids - 1].pid, 77);
	ck_assert_str_eq(it.pids[it.npids - 1].comm, "httpd");
	orphan_item_release(&it);
	/* a wait on another object does not count */
	F.wait_id = 9;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	F.wait_type = IPC_MSG;
	F.wait_id = 4;
	orphan_judge_one(IPC_MSG, &mo, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_WAITING));
	orphan_item_release(&it);
}
END_TEST

/* The values of array 3's semaphores, for the may_be_locked tests. */
static unsigned short fake_vals[4];
static bool fake_vals_fail;

static int
f_sem_vals(void *ctx, int semid, size_t nsems, unsigned short *vals)
{
	(void)ctx;
	(void)semid;
	if (fake_vals_fail)
		return -1;
	memcpy(vals, fake_vals, nsems * sizeof(*vals));
	return 0;
}

/*
 * 12.A5: a holder locked semaphore 0 with SEM_UNDO (value 0) and a
 * short-lived process did a wait-for-zero after it (sempid is its PID)
 * and exited.  The judge cannot tell that from a leak: unknown, with
 * may_be_locked, removable only when asked.  A leaked mutex of a killed
 * holder is back at 1 (exit-time undo): orphaned as before.
 */
START_TEST(sem_may_be_locked)
{
	struct sem_obj o = sem(3, 2, NOW - 2 * HOUR);
	struct orphan_item it;

	FX.sem_vals = f_sem_vals;
	fake_vals_fail = false;
	F.sems[0] = (struct fake_sem){ 3, { 200, 0 } };
	F.nsems = 1;
	fake_vals[0] = 0;
	fake_vals[1] = 0;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_MAY_BE_LOCKED));
	ck_assert(HAS(it, ORS_LAST_OP_PID_DEAD));
	ck_assert(!orphan_removable(&it, false));
	ck_assert(orphan_removable(&it, true));
	orphan_item_release(&it);
	/* the undo gave the value back: a leak */
	fake_vals[0] = 1;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(!HAS(it, ORS_MAY_BE_LOCKED));
	orphan_item_release(&it);
	/* a 0 nobody ever operated on is no lock */
	fake_vals[0] = 1;
	fake_vals[1] = 0;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	/* values unreadable: a lock cannot be ruled out */
	fake_vals_fail = true;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_MAY_BE_LOCKED));
	orphan_item_release(&it);
	fake_vals_fail = false;
	/* a live last-op process or youth decide before the values */
	fake_vals[0] = 0;
	add_proc(200, NOW - 10 * HOUR, "httpd");
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(!HAS(it, ORS_MAY_BE_LOCKED));
	orphan_item_release(&it);
	FX.sem_vals = NULL;
}
END_TEST

/* 12.A5: the judged and the fresh verdict must agree for clean. */
START_TEST(compare_may_be_locked)
{
	struct sem_obj o = sem(3, 1, NOW - 2 * HOUR);
	struct orphan_item a, b;

	FX.sem_vals = f_sem_vals;
	fake_vals_fail = false;
	F.sems[0] = (struct fake_sem){ 3, { 200 } };
	F.nsems = 1;
	fake_vals[0] = 1;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &a);
	fake_vals[0] = 0;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &b);
	ck_assert_int_eq(orphan_compare(&a, &b), OC_NOT_ORPHANED);
	ck_assert_int_eq(orphan_compare(&b, &b), OC_SAME);
	orphan_item_release(&a);
	orphan_item_release(&b);
	FX.sem_vals = NULL;
}
END_TEST

/*
 * 12.A3: semncnt/semzcnt count waiters of every PID namespace; a waiter
 * that /proc does not show keeps the array.
 */
START_TEST(sem_waiting_count)
{
	struct sem_obj o = sem(3, 2, NOW - 2 * HOUR);
	struct orphan_item it;

	F.sems[0] = (struct fake_sem){ 3, { 200, 0 } };
	F.nsems = 1;
	F.has_semwait = true;
	F.semwait = 1;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_WAITING));
	ck_assert_uint_eq(it.sem_waiting, 1);
	orphan_item_release(&it);
	F.semwait = 0;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
}
END_TEST

/*
 * 12.A6: a backup that failed left ipctune's attach and detach (lpid,
 * atime, dtime) and its IPC_SET (ctime) on the segment.  While the
 * segment holds exactly what ipctune left, the evidence from before
 * counts; any other access changes it, and then the live values count.
 */
START_TEST(own_access_set_aside)
{
	struct shm_obj o = shm(1, 100, 101, 0), left = o;
	struct orphan_touch t;
	struct orphan_item it;

	left.lpid = 555;
	left.atime = left.dtime = left.ctime = NOW - 5;
	memset(&t, 0, sizeof(t));
	t.type = IPC_SHM;
	t.id = 1;
	t.key = o.perm.key;
	t.at = NOW - 5;
	t.left_ctime = t.left_atime = t.left_dtime = NOW - 5;
	t.left_lpid = 555;
	t.ctime = o.ctime;
	t.atime = o.atime;
	t.dtime = o.dtime;
	t.lpid = o.lpid;
	FX.touches = &t;
	FX.ntouches = 1;
	orphan_judge_one(IPC_SHM, &left, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert_int_eq(it.obj.shm.lpid, 101);
	ck_assert_int_eq(it.obj.shm.atime, o.atime);
	ck_assert_int_eq(it.age_seconds, NOW - o.dtime);
	ck_assert_int_eq(it.own_access, NOW - 5);
	ck_assert_int_eq(it.pids[1].pid, 101);
	orphan_item_release(&it);
	/* someone attached and detached since: the live values count */
	left.lpid = 777;
	left.dtime = NOW - 1;
	orphan_judge_one(IPC_SHM, &left, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.obj.shm.lpid, 777);
	ck_assert_int_eq(it.own_access, 0);
	ck_assert_int_eq(it.age_seconds, 1);
	orphan_item_release(&it);
	/* another object with the same id (key differs) is not matched */
	left = o;
	left.perm.key++;
	left.lpid = 555;
	left.atime = left.dtime = left.ctime = NOW - 5;
	orphan_judge_one(IPC_SHM, &left, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.own_access, 0);
	orphan_item_release(&it);
	FX.touches = NULL;
	FX.ntouches = 0;
}
END_TEST

/* 12.A6: an array whose IPC_SET by ipctune is all that changed. */
START_TEST(own_access_sem_ctime)
{
	struct sem_obj o = sem(3, 1, NOW - 2 * HOUR);
	struct orphan_touch t;
	struct orphan_item it;
	int64_t before = o.ctime;

	memset(&t, 0, sizeof(t));
	t.type = IPC_SEM;
	t.id = 3;
	t.key = o.perm.key;
	t.at = NOW - 5;
	t.left_ctime = NOW - 5;
	t.ctime = before;
	FX.touches = &t;
	FX.ntouches = 1;
	F.sems[0] = (struct fake_sem){ 3, { 200 } };
	F.nsems = 1;
	o.ctime = NOW - 5;
	orphan_judge_one(IPC_SEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(!HAS(it, ORS_TOO_YOUNG));
	ck_assert_int_eq(it.obj.sem.ctime, before);
	orphan_item_release(&it);
	FX.touches = NULL;
	FX.ntouches = 0;
}
END_TEST

START_TEST(parse_syscall)
{
	struct procparse_call c;
	char buf[256];

#ifdef SYS_semtimedop
	snprintf(buf, sizeof(buf), "%d 0x7 0x7ffd5087f60 0x1 0x0 0x0 0x0 "
	    "0x7ffd5087f58 0x7f3407df05da\n", SYS_semtimedop);
	ck_assert_int_eq(procparse_syscall(buf, &c), 0);
	ck_assert_int_eq(c.type, IPC_SEM);
	ck_assert_int_eq(c.id, 7);
#endif
#ifdef SYS_msgrcv
	snprintf(buf, sizeof(buf), "%d 0x8000 0x7ffd 0x40 0x0 0x0 0x0 0x1 "
	    "0x2\n", SYS_msgrcv);
	ck_assert_int_eq(procparse_syscall(buf, &c), 0);
	ck_assert_int_eq(c.type, IPC_MSG);
	ck_assert_int_eq(c.id, 32768);
#endif
	snprintf(buf, sizeof(buf), "%d 0x7 0x0 0x0 0x0 0x0 0x0 0x1 0x2\n",
	    SYS_read);
	ck_assert_int_eq(procparse_syscall(buf, &c), -1);
	ck_assert_int_eq(procparse_syscall("running\n", &c), -1);
	ck_assert_int_eq(procparse_syscall("-1 0x7ffd 0x7f34\n", &c), -1);
}
END_TEST

START_TEST(parse_stat)
{
	char state = 0;
	uint64_t st = 0;
	const char *line = "4242 (a) b) (c) S 1 4242 4242 0 -1 4194560 100 0 "
	    "0 0 0 0 0 0 20 0 1 0 123456 1000 10 18446744073709551615\n";

	ck_assert_int_eq(procscan_parse_stat(line, &state, &st), 0);
	ck_assert_int_eq(state, 'S');
	ck_assert_uint_eq(st, 123456);
	ck_assert_int_eq(procscan_parse_stat("1 (x) Z 1 2", &state, &st),
	    -1);
	ck_assert_int_eq(procscan_parse_stat("no paren", &state, &st), -1);
}
END_TEST

/* 12.A1: a PID of 0 beside a time that says it was recorded */
START_TEST(a1_zero_pid_with_time_is_not_visible)
{
	struct shm_obj o = shm(1, 100, 0, 0);
	struct msg_obj m = msg(4, 0, 0, 0);
	struct sem_obj so = sem(3, 2, NOW - 2 * HOUR);
	struct orphan_item it;

	/* created here (creator gone), attached from elsewhere */
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_NOT_VISIBLE));
	ck_assert(HAS(it, ORS_CREATOR_DEAD));
	orphan_item_release(&it);
	/* never attached: lpid 0 and no times is what shmget leaves */
	o.atime = o.dtime = 0;
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	/* sent to and received from, by processes not visible here */
	m.stime = m.rtime = NOW - 2 * HOUR;
	orphan_judge_one(IPC_MSG, &m, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_NOT_VISIBLE));
	ck_assert(!HAS(it, ORS_NEVER_USED));
	orphan_item_release(&it);
	m.rtime = 0;
	m.lrpid = 301;
	m.rtime = NOW - 2 * HOUR;
	orphan_judge_one(IPC_MSG, &m, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_RECEIVER_DEAD));
	ck_assert(HAS(it, ORS_PID_NOT_VISIBLE));
	orphan_item_release(&it);
	/* semaphores operated on (otime) with no PID: only a child PID ns */
	F.sems[0] = (struct fake_sem){ 3, { 0, 0 } };
	F.nsems = 1;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	F.limits = ORPHAN_LIM_CHILD_PIDNS;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_NOT_VISIBLE));
	ck_assert(!HAS(it, ORS_NEVER_OPERATED));
	orphan_item_release(&it);
	/*
	 * 12.A5: one semaphore's PID of 0 beside a visible one, gone: the
	 * 0 may be a holder outside (SEM_UNDO lock) as well as a semaphore
	 * never used
	 */
	F.sems[0] = (struct fake_sem){ 3, { 0, 300 } };
	F.limits = ORPHAN_LIM_CHILD_PIDNS | ORPHAN_LIM_UNSTATED;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_NOT_VISIBLE));
	ck_assert(HAS(it, ORS_LAST_OP_PID_DEAD) == false);
	orphan_item_release(&it);
	/* --pid states the users are visible: the 0 is a semaphore unused */
	F.limits = ORPHAN_LIM_CHILD_PIDNS;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	/* in the initial PID namespace a 0 is a semaphore never used */
	F.limits = 0;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(!HAS(it, ORS_PID_NOT_VISIBLE));
	orphan_item_release(&it);
	F.limits = ORPHAN_LIM_CHILD_PIDNS;
	F.sems[0] = (struct fake_sem){ 3, { 0, 0 } };
	/* never operated: nothing was recorded, nothing is hidden */
	so.otime = 0;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_NEVER_OPERATED));
	orphan_item_release(&it);
}
END_TEST

/* 12.A1: users outside the PID namespace: every PID verdict unknown */
START_TEST(a1_pids_incomplete)
{
	struct shm_obj o = shm(1, 100, 101, 0);
	struct shm_obj d = shm(2, 100, 101, 1);
	struct msg_obj m = msg(4, 0, 0, 0);
	struct orphan_item it;

	F.limits = ORPHAN_LIM_PIDS | ORPHAN_LIM_CHILD_PIDNS;
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PIDS_INCOMPLETE));
	ck_assert(HAS(it, ORS_CREATOR_DEAD));
	orphan_item_release(&it);
	orphan_judge_one(IPC_MSG, &m, NOW, 0, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PIDS_INCOMPLETE));
	orphan_item_release(&it);
	/* a live process is still proof of use */
	add_proc(100, o.ctime - 5, "postgres");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(!HAS(it, ORS_PIDS_INCOMPLETE));
	orphan_item_release(&it);
	/* removed already, attached: in use, whatever is unseen (13.2) */
	d.perm.mode |= IPC_SHM_DEST;
	orphan_judge_one(IPC_SHM, &d, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(!HAS(it, ORS_PIDS_INCOMPLETE));
	orphan_item_release(&it);
}
END_TEST

/* 12.A1: the namespace-wide signs of users outside the PID namespace */
START_TEST(a1_foreign_evidence)
{
	struct kstate ks;
	struct shm_obj shms[1];
	struct msg_obj msgs[1];
	struct sem_obj sems[1];

	kstate_init(&ks);
	shms[0] = shm(0, 100, 101, 0);
	msgs[0] = msg(0, 300, 301, 0);
	sems[0] = sem(0, 1, NOW - HOUR);
	ks.shm = shms;
	ks.nshm = 1;
	ks.msg = msgs;
	ks.nmsg = 1;
	ks.sem = sems;
	ks.nsem = 1;
	ck_assert(!orphan_foreign_evidence(&ks, 0));
	ck_assert(!orphan_foreign_evidence(&ks, NOW - 3 * HOUR));
	/* an object older than the first process of the PID namespace */
	ck_assert(orphan_foreign_evidence(&ks, NOW - 3 * HOUR + 1));
	shms[0].lpid = 0;
	ck_assert(orphan_foreign_evidence(&ks, 0));
	shms[0].lpid = 101;
	msgs[0].lrpid = 0;
	ck_assert(orphan_foreign_evidence(&ks, 0));
	msgs[0].lrpid = 301;
	shms[0].cpid = 0;
	ck_assert(orphan_foreign_evidence(&ks, 0));
}
END_TEST

/* 12.A2: a process that exists but cannot be read is not gone */
START_TEST(a2_unreadable_process)
{
	struct shm_obj o = shm(1, 100, 100, 0);
	struct sem_obj so = sem(3, 2, NOW - 2 * HOUR);
	struct msg_obj m = msg(4, 300, 301, 0);
	struct orphan_item it;

	F.unreadable = 100;
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_UNREADABLE));
	ck_assert(!HAS(it, ORS_CREATOR_DEAD));
	ck_assert_int_eq(it.pids[0].state, PS_UNREADABLE);
	orphan_item_release(&it);
	F.sems[0] = (struct fake_sem){ 3, { 200, 100 } };
	F.nsems = 1;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_UNREADABLE));
	ck_assert(!HAS(it, ORS_LAST_OP_PID_DEAD));
	orphan_item_release(&it);
	/* another readable process that runs still decides */
	add_proc(200, NOW - 10 * HOUR, "httpd");
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	orphan_item_release(&it);
	F.unreadable = 301;
	orphan_judge_one(IPC_MSG, &m, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_SENDER_DEAD));
	ck_assert(HAS(it, ORS_PID_UNREADABLE));
	orphan_item_release(&it);
}
END_TEST

/* 12.A2: waits that could not be read; semop waits the kernel counts */
START_TEST(a2_waits_unreadable)
{
	struct shm_obj o = shm(1, 100, 100, 0);
	struct sem_obj so = sem(3, 2, NOW - 2 * HOUR);
	struct msg_obj m = msg(4, 300, 301, 0);
	struct orphan_item it;

	F.limits = ORPHAN_LIM_WAITS;
	/* a wait is in a system call on a semaphore array or a queue only */
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	orphan_judge_one(IPC_MSG, &m, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_WAITS_UNREADABLE));
	orphan_item_release(&it);
	F.sems[0] = (struct fake_sem){ 3, { 200, 201 } };
	F.nsems = 1;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_WAITS_UNREADABLE));
	orphan_item_release(&it);
	/* GETNCNT/GETZCNT say nobody waits: /proc is not needed */
	F.has_semwait = true;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(it.has_sem_waiting);
	orphan_item_release(&it);
	/* ... or that a task waits, one /proc does not show */
	F.semwait = 1;
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_WAITING));
	ck_assert_uint_eq(it.sem_waiting, 1);
	orphan_item_release(&it);
}
END_TEST

/* 12.A4: a start a clock step could have moved past the event */
START_TEST(a4_clock_step_is_ambiguous)
{
	struct shm_obj o = shm(1, 100, 100, 0);
	struct sem_obj so = sem(3, 1, NOW - 2 * HOUR);
	struct msg_obj m = msg(4, 300, 300, 0);
	struct orphan_item it;

	/* a daemon made its segment in its first second; btime moved 2 s */
	o.atime = o.dtime = o.ctime;
	add_proc(100, o.ctime + 2, "daemon");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_START_AMBIGUOUS));
	ck_assert(!HAS(it, ORS_PID_REUSED));
	ck_assert(!HAS(it, ORS_CREATOR_DEAD));
	ck_assert_int_eq(it.pids[0].state, PS_AMBIGUOUS);
	ck_assert_int_eq(it.pids[1].state, PS_AMBIGUOUS);
	orphan_item_release(&it);
	/* the edge: SLACK after is ambiguous, one more is reused */
	F.nprocs = 0;
	add_proc(100, o.ctime + ORPHAN_START_SLACK_S, "x");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	orphan_item_release(&it);
	F.nprocs = 0;
	add_proc(100, o.ctime + ORPHAN_START_SLACK_S + 1, "x");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_PID_REUSED));
	orphan_item_release(&it);
	/* a backward step makes it look older: in use, the safe side */
	F.nprocs = 0;
	add_proc(100, o.ctime - 30, "daemon");
	orphan_judge_one(IPC_SHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	orphan_item_release(&it);
	/* the same rule for the last operation, send and receive */
	F.sems[0] = (struct fake_sem){ 3, { 200 } };
	F.nsems = 1;
	add_proc(200, so.otime + 1, "worker");
	orphan_judge_one(IPC_SEM, &so, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_START_AMBIGUOUS));
	orphan_item_release(&it);
	add_proc(300, m.stime + 1, "producer");
	orphan_judge_one(IPC_MSG, &m, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_START_AMBIGUOUS));
	orphan_item_release(&it);
}
END_TEST

START_TEST(parse_hidepid)
{
	ck_assert_int_eq(procscan_parse_hidepid("rw"), 0);
	ck_assert_int_eq(procscan_parse_hidepid("rw,hidepid=invisible"), 2);
	ck_assert_int_eq(procscan_parse_hidepid("rw,hidepid=2,gid=4"), 2);
	ck_assert_int_eq(procscan_parse_hidepid("hidepid=noaccess"), 1);
	ck_assert_int_eq(procscan_parse_hidepid("rw,hidepid=ptraceable"), 4);
	ck_assert_int_eq(procscan_parse_hidepid("rw,hidepid=off"), 0);
	ck_assert_int_eq(procscan_parse_hidepid("rw,xhidepid=2"), 0);
	/* a value of a newer kernel: the strictest */
	ck_assert_int_eq(procscan_parse_hidepid("rw,hidepid=new"), 2);
	ck_assert_str_eq(procscan_hidepid_name(2), "invisible");
	ck_assert_str_eq(procscan_hidepid_name(4), "ptraceable");
	ck_assert_str_eq(procscan_hidepid_name(-1), "unknown");
}
END_TEST

START_TEST(parse_stat_field)
{
	char f[32];
	const char *line = "4242 (a) b) (c) S 1 4242 4242 0 -1 4194560 100 0 "
	    "0 0 0 0 0 0 20 0 1 0 123456 1000 10 18446744073709551615\n";

	ck_assert_int_eq(procscan_stat_field(line, 9, f, sizeof(f)), 0);
	ck_assert_str_eq(f, "4194560");
	ck_assert_int_eq(procscan_stat_field(line, 3, f, sizeof(f)), 0);
	ck_assert_str_eq(f, "S");
	ck_assert_int_eq(procscan_stat_field(line, 60, f, sizeof(f)), -1);
	ck_assert_int_eq(procscan_stat_field(line, 2, f, sizeof(f)), -1);
	ck_assert_int_eq(procscan_stat_field(line, 24, f, 2), -1);
}
END_TEST

/* fit's "no live user" sums: orphaned and suspect only, owners ranked */
START_TEST(leak_sum_counts_owners_and_pages)
{
	struct orphan_item items[6];
	struct orphan_result r;
	struct orphan_leak l;
	static const uid_t uids[6] = { 33, 101, 33, 7, 33, 8 };
	static const enum orphan_verdict v[6] = { OV_ORPHANED, OV_SUSPECT,
	    OV_SUSPECT, OV_IN_USE, OV_ORPHANED, OV_UNKNOWN };

	memset(items, 0, sizeof(items));
	for (int i = 0; i < 6; i++) {
		items[i].type = IPC_SEM;
		items[i].verdict = v[i];
		items[i].obj.sem.perm.uid = uids[i];
		items[i].obj.sem.nsems = (uint64_t)i + 1;
	}
	items[5].type = IPC_SHM;
	items[5].verdict = OV_ORPHANED;
	items[5].obj.shm.perm.uid = 8;
	items[5].obj.shm.size_bytes = 4097;
	memset(&r, 0, sizeof(r));
	r.items = items;
	r.nitems = 6;
	orphan_leak_sum(&r, IPC_SEM, 4096, &l);
	ck_assert_uint_eq(l.objects, 4);
	ck_assert_uint_eq(l.orphaned, 2);
	ck_assert_uint_eq(l.suspect, 2);
	ck_assert_uint_eq(l.amount, 1 + 2 + 3 + 5);
	ck_assert_uint_eq(l.nowners, 2);
	ck_assert_uint_eq(l.owners[0].uid, 33);
	ck_assert_uint_eq(l.owners[0].objects, 3);
	ck_assert_uint_eq(l.owners[1].uid, 101);
	orphan_leak_sum(&r, IPC_SHM, 4096, &l);
	ck_assert_uint_eq(l.objects, 1);
	ck_assert_uint_eq(l.amount, 2);	/* ceil(4097 / 4096) pages */
	orphan_leak_sum(&r, IPC_MSG, 4096, &l);
	ck_assert_uint_eq(l.objects, 0);
	ck_assert_uint_eq(l.nowners, 0);
}
END_TEST

/*
 * A POSIX file NAME made at MADE (mtime and ctime), the holder scan
 * done and nobody holding it.
 */
static struct posix_file
pfile(const char *name, int64_t made)
{
	static char names[4][64];
	static int next;
	struct posix_file f;

	memset(&f, 0, sizeof(f));
	/* the judge borrows the name; a few stay valid at once */
	next = (next + 1) % 4;
	snprintf(names[next], sizeof(names[next]), "%s", name);
	f.name = names[next];
	f.dev = 0x2a;
	f.ino = 77;
	f.size_bytes = f.alloc_bytes = 4096;
	f.atime = f.mtime = f.ctime = made;
	f.has_holders = true;
	return f;
}

static struct pshm_obj
pshm(const char *name, int64_t made)
{
	struct pshm_obj o;

	memset(&o, 0, sizeof(o));
	o.perm.id = -1;
	o.perm.mode = 0600;
	o.perm.uid = o.perm.cuid = 1001;
	o.f = pfile(name, made);
	return o;
}

/* A POSIX object has no key: --key 0 (IPC_PRIVATE) does not take it. */
START_TEST(posix_no_key_filter)
{
	struct kstate ks;
	struct orphan_filter f;
	struct orphan_result r;
	struct pshm_obj o = pshm("app.shm", NOW - 2 * HOUR);

	fill_ks(&ks);
	ks.pshm = &o;
	ks.npshm = 1;
	orphan_filter_init(&f);
	f.types = IPC_TYPE_BIT(IPC_PSHM);
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.njudged, 1);
	orphan_result_release(&r);
	f.has_key = true;
	f.key = 0;
	orphan_judge(&ks, &f, NULL, &FX, &r);
	ck_assert_uint_eq(r.njudged, 0);
	orphan_result_release(&r);
}
END_TEST

/* A process maps it: in use, the holder named, whatever else says. */
START_TEST(posix_held_in_use)
{
	struct posix_holder h = { 300, 0, "postgres" };
	struct pshm_obj o = pshm("PostgreSQL.1", NOW - 2 * HOUR);
	struct orphan_item it;

	o.f.holders = &h;
	o.f.nholders = 1;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_HELD));
	ck_assert(!HAS(it, ORS_NOT_HELD));
	ck_assert_uint_eq(it.npids, 1);
	ck_assert_int_eq(it.pids[0].role, ROLE_HOLDER);
	ck_assert_int_eq(it.pids[0].pid, 300);
	ck_assert_str_eq(it.pids[0].comm, "postgres");
	orphan_item_release(&it);
}
END_TEST

/*
 * It backs a loop device and no process holds it: in use, the device
 * named (pid 0), with its own reason and not "held".
 */
START_TEST(posix_loop_backing_in_use)
{
	struct posix_holder h = { 0, POSIX_HOLD_LOOP, "loop3" };
	struct pshm_obj o = pshm("disk.img", NOW - 2 * HOUR);
	struct orphan_item it;

	o.f.holders = &h;
	o.f.nholders = 1;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_BACKS_LOOP));
	ck_assert(!HAS(it, ORS_HELD));
	ck_assert_uint_eq(it.npids, 1);
	ck_assert_int_eq(it.pids[0].role, ROLE_LOOP);
	ck_assert_int_eq(it.pids[0].pid, 0);
	ck_assert_str_eq(it.pids[0].comm, "loop3");
	ck_assert_str_eq(orphan_role_names[ROLE_LOOP], "loop_device");
	ck_assert_str_eq(orphan_reason_table[ORS_BACKS_LOOP].code,
	    "backs_loop_device");
	orphan_item_release(&it);
}
END_TEST

/*
 * The holder scan did not run for it, or missed processes: unknown when
 * old, never orphaned nor suspect.
 */
START_TEST(posix_holders_incomplete_never_orphaned)
{
	struct pshm_obj o = pshm("psm_1", NOW - 2 * HOUR);
	struct orphan_item it;

	o.f.has_holders = false;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_HOLDERS_INCOMPLETE));
	ck_assert(HAS(it, ORS_OWNER_GONE));
	orphan_item_release(&it);
	o.f.has_holders = true;
	FX.holders_partial = true;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_HOLDERS_INCOMPLETE));
	ck_assert(!HAS(it, ORS_NOT_HELD));
	orphan_item_release(&it);
	/* young: not suspect either, which would rest on the scan */
	o = pshm("psm_2", NOW - 60);
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_ne(it.verdict, OV_SUSPECT);
	ck_assert_int_ne(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
}
END_TEST

/*
 * Seen from a child PID namespace without --pid, a process of another
 * PID namespace may map it (a sidecar sharing /dev/shm), which no /proc
 * ipctune reads shows: unknown, never orphaned; with --pid (the users
 * are of a PID namespace ipctune sees) the scan is complete.
 */
START_TEST(posix_other_pidns_never_orphaned)
{
	struct pshm_obj o = pshm("side", NOW - 2 * HOUR);
	struct orphan_item it;

	F.limits = ORPHAN_LIM_CHILD_PIDNS | ORPHAN_LIM_UNSTATED;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_HOLDERS_INCOMPLETE));
	ck_assert(!orphan_removable(&it, true));
	orphan_item_release(&it);
	F.limits = ORPHAN_LIM_CHILD_PIDNS;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	F.limits = 0;
}
END_TEST

/* Nobody holds it and no process of the owner could have made it. */
START_TEST(posix_owner_gone_orphaned)
{
	struct psem_obj o;
	struct orphan_item it;

	memset(&o, 0, sizeof(o));
	o.perm.id = -1;
	o.perm.uid = 1001;
	o.f = pfile("sem.mp-x1", NOW - 2 * HOUR);
	orphan_judge_one(IPC_PSEM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_NOT_HELD));
	ck_assert(HAS(it, ORS_OWNER_GONE));
	/* asked for the owner's processes old enough to have made it */
	ck_assert_int_eq(F.owner_before, NOW - 2 * HOUR +
	    ORPHAN_START_SLACK_S);
	orphan_item_release(&it);
}
END_TEST

/* A process of the owner that started before the file runs: in use. */
START_TEST(posix_owner_runs_in_use)
{
	struct pshm_obj o = pshm("app.shm", NOW - 2 * HOUR);
	struct orphan_item it;

	/* made later than created: the earlier of mtime and ctime counts */
	o.f.mtime = NOW - HOUR;
	F.owner_n = 2;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_OWNER_RUNS));
	ck_assert_int_eq(F.owner_before, NOW - 2 * HOUR +
	    ORPHAN_START_SLACK_S);
	ck_assert_uint_eq(it.npids, 1);
	ck_assert_int_eq(it.pids[0].role, ROLE_OWNER);
	ck_assert_int_eq(it.pids[0].pid, 400);
	orphan_item_release(&it);
}
END_TEST

/* The owner's processes cannot all be read: unknown, never orphaned. */
START_TEST(posix_owner_unreadable_unknown)
{
	struct pshm_obj o = pshm("app.shm", NOW - 2 * HOUR);
	struct orphan_item it;

	F.owner_n = -1;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_PID_UNREADABLE));
	orphan_item_release(&it);
}
END_TEST

/*
 * torch_<pid>_: the named creator alive (in use), dead (orphaned even
 * while another process of the owner runs), its PID reused by a later
 * process (orphaned), or started too close to tell (unknown).
 */
START_TEST(posix_named_creator)
{
	int64_t made = NOW - 2 * HOUR;
	struct pshm_obj o = pshm("torch_500_8817", made);
	struct orphan_item it;

	add_proc(500, made - 10, "python3");
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_CREATOR_ALIVE));
	ck_assert_str_eq(it.convention, "PyTorch (libshm)");
	ck_assert_int_eq(it.pids[0].role, ROLE_NAME);
	ck_assert_int_eq(it.pids[0].pid, 500);
	orphan_item_release(&it);
	/* dead: the name answers who made it, the owner's others do not */
	F.nprocs = 0;
	F.owner_n = 3;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_CREATOR_DEAD));
	ck_assert(!HAS(it, ORS_OWNER_RUNS));
	orphan_item_release(&it);
	/* reused: a process with that PID started an hour after the file */
	add_proc(500, made + HOUR, "bash");
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_PID_REUSED));
	ck_assert_int_eq(it.pids[0].state, PS_REUSED);
	orphan_item_release(&it);
	/* within the clock-step slack: cannot tell */
	F.procs[0].start = made + ORPHAN_START_SLACK_S / 2;
	F.owner_n = 0;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	ck_assert(HAS(it, ORS_START_AMBIGUOUS));
	orphan_item_release(&it);
	/* a name that only looks like the convention names no PID */
	o = pshm("torch_x_1", made);
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_ptr_null(it.convention);
	ck_assert(HAS(it, ORS_OWNER_GONE));
	orphan_item_release(&it);
}
END_TEST

/*
 * A file under clean's private name (".ipctune-clean.PID.INODE"): in use
 * while that clean runs, although it started long after the file was
 * written (the name dates from the rename, the ctime); left by a clean
 * that was killed, orphaned.
 */
START_TEST(posix_clean_private_name)
{
	int64_t made = NOW - 2 * HOUR;
	struct pshm_obj o = pshm(".ipctune-clean.600.77", made);
	struct orphan_item it;

	o.f.ctime = NOW - 5;
	add_proc(600, NOW - 30, "ipctune");
	F.owner_n = 0;
	orphan_judge_one(IPC_PSHM, &o, NOW, 0, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_CREATOR_ALIVE));
	ck_assert_str_eq(it.convention, "ipctune clean");
	orphan_item_release(&it);
	F.nprocs = 0;
	orphan_judge_one(IPC_PSHM, &o, NOW, 0, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(HAS(it, ORS_CREATOR_DEAD));
	orphan_item_release(&it);
}
END_TEST

/* Younger than the grace age with everyone gone: suspect, then due. */
START_TEST(posix_young_is_suspect)
{
	struct pshm_obj o = pshm("psm_3", NOW - 60);
	struct orphan_item it;

	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_SUSPECT);
	ck_assert(HAS(it, ORS_TOO_YOUNG));
	ck_assert_int_eq(it.orphan_at, NOW - 60 + HOUR);
	orphan_item_release(&it);
	orphan_judge_one(IPC_PSHM, &o, NOW, 0, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	orphan_item_release(&it);
	/* young while the owner runs: in use, not suspect */
	F.owner_n = 1;
	orphan_judge_one(IPC_PSHM, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	orphan_item_release(&it);
}
END_TEST

/*
 * A queue with an mq_notify() registration: in use while the registered
 * process runs, orphaned once it and the owner are gone.
 */
START_TEST(posix_pmq_notify_pid)
{
	struct pmq_obj o;
	struct orphan_item it;

	memset(&o, 0, sizeof(o));
	o.perm.id = -1;
	o.perm.uid = 1001;
	o.f = pfile("jobs", NOW - 2 * HOUR);
	o.notify_pid = 600;
	o.has_attr = true;
	o.curmsgs = 2;
	add_proc(600, NOW - 3 * HOUR, "worker");
	orphan_judge_one(IPC_PMQ, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_IN_USE);
	ck_assert(HAS(it, ORS_WAITING));
	ck_assert(HAS(it, ORS_HOLDS_MESSAGES));
	ck_assert_int_eq(it.pids[0].role, ROLE_NOTIFY);
	ck_assert_int_eq(it.pids[0].pid, 600);
	orphan_item_release(&it);
	F.nprocs = 0;
	orphan_judge_one(IPC_PMQ, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_ORPHANED);
	ck_assert(!HAS(it, ORS_WAITING));
	ck_assert_int_eq(it.pids[0].state, PS_DEAD);
	orphan_item_release(&it);
	/* the registered PID unreadable: unknown */
	F.unreadable = 600;
	orphan_judge_one(IPC_PMQ, &o, NOW, HOUR, &FX, &it);
	ck_assert_int_eq(it.verdict, OV_UNKNOWN);
	orphan_item_release(&it);
}
END_TEST

static Suite *
orphan_suite(void)
{
	Suite *s = suite_create("orphan");
	TCase *tc = tcase_create("judge");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, shm_creator_and_last_dead);
	tcase_add_test(tc, shm_creator_alive);
	tcase_add_test(tc, shm_started_same_second_counts_as_creator);
	tcase_add_test(tc, shm_pid_reused);
	tcase_add_test(tc, shm_reused_only_for_creator);
	tcase_add_test(tc, shm_attached);
	tcase_add_test(tc, shm_dest_attached_is_in_use);
	tcase_add_test(tc, shm_dest_unattached_is_unknown);
	tcase_add_test(tc, judge_dest_attached_not_counted);
	tcase_add_test(tc, judge_dest_outlived_creator);
	tcase_add_test(tc, shm_creator_not_visible);
	tcase_add_test(tc, sem_all_dead);
	tcase_add_test(tc, sem_one_alive);
	tcase_add_test(tc, sem_reused_pid);
	tcase_add_test(tc, sem_fresh_leak_is_suspect);
	tcase_add_test(tc, sem_young_not_suspect);
	tcase_add_test(tc, sem_suspect_locked_not_removable);
	tcase_add_test(tc, judge_counts_suspects);
	tcase_add_test(tc, judge_settles_without_waiters);
	tcase_add_test(tc, judge_orphaned_only);
	tcase_add_test(tc, sem_never_operated_and_unreadable);
	tcase_add_test(tc, msg_cases);
	tcase_add_test(tc, judge_summary_headroom_notes);
	tcase_add_test(tc, judge_filters);
	tcase_add_test(tc, compare_changes);
	tcase_add_test(tc, waiters);
	tcase_add_test(tc, sem_may_be_locked);
	tcase_add_test(tc, compare_may_be_locked);
	tcase_add_test(tc, sem_waiting_count);
	tcase_add_test(tc, own_access_set_aside);
	tcase_add_test(tc, own_access_sem_ctime);
	tcase_add_test(tc, parse_syscall);
	tcase_add_test(tc, parse_stat);
	tcase_add_test(tc, a1_zero_pid_with_time_is_not_visible);
	tcase_add_test(tc, a1_pids_incomplete);
	tcase_add_test(tc, a1_foreign_evidence);
	tcase_add_test(tc, a2_unreadable_process);
	tcase_add_test(tc, posix_held_in_use);
	tcase_add_test(tc, posix_no_key_filter);
	tcase_add_test(tc, posix_holders_incomplete_never_orphaned);
	tcase_add_test(tc, posix_loop_backing_in_use);
	tcase_add_test(tc, posix_other_pidns_never_orphaned);
	tcase_add_test(tc, posix_owner_gone_orphaned);
	tcase_add_test(tc, posix_owner_runs_in_use);
	tcase_add_test(tc, posix_owner_unreadable_unknown);
	tcase_add_test(tc, posix_named_creator);
	tcase_add_test(tc, posix_clean_private_name);
	tcase_add_test(tc, posix_young_is_suspect);
	tcase_add_test(tc, posix_pmq_notify_pid);
	tcase_add_test(tc, a2_waits_unreadable);
	tcase_add_test(tc, a4_clock_step_is_ambiguous);
	tcase_add_test(tc, parse_hidepid);
	tcase_add_test(tc, parse_stat_field);
	tcase_add_test(tc, leak_sum_counts_owners_and_pages);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(orphan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAIL;
}
