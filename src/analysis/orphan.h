/*
 * orphan.h: judges which IPC objects look leaked, and why.  Pure: it
 * takes a const struct kstate plus injected effects (is a PID alive and
 * when did it start, per-semaphore last-op PIDs, attachers of a segment)
 * and fills a result with verdicts, reason codes and the evidence.
 */
#ifndef ORPHAN_H
#define ORPHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctune.h"
#include "ipctype.h"
#include "model.h"
#include "orphanfx.h"
#include "posixname.h"

enum orphan_verdict {
	OV_ORPHANED,		/* likely leaked */
	OV_IN_USE,		/* something still uses it, or too young */
	OV_UNKNOWN,		/* the evidence could not be read */
	OV_SUSPECT,		/* every recorded PID gone, but too young */
	OV_COUNT
};

/* Reason codes; the first group argues for a leak, the second against. */
enum orphan_reason {
	ORS_NO_ATTACH,
	ORS_CREATOR_DEAD,
	ORS_LAST_PID_DEAD,
	ORS_PID_REUSED,
	ORS_MARKED_DEST,
	ORS_LAST_OP_PID_DEAD,
	ORS_NEVER_OPERATED,
	ORS_SENDER_DEAD,
	ORS_RECEIVER_DEAD,
	ORS_NEVER_USED,
	ORS_HOLDS_MESSAGES,
	ORS_ATTACHED,
	ORS_CREATOR_ALIVE,
	ORS_LAST_PID_ALIVE,
	ORS_LAST_OP_PID_ALIVE,
	ORS_SENDER_ALIVE,
	ORS_RECEIVER_ALIVE,
	ORS_TOO_YOUNG,
	ORS_PID_NOT_VISIBLE,
	ORS_NO_EVIDENCE,
	ORS_WAITING,
	ORS_PID_UNREADABLE,
	ORS_START_AMBIGUOUS,
	ORS_PIDS_INCOMPLETE,
	ORS_WAITS_UNREADABLE,
	ORS_MAY_BE_LOCKED,
	ORS_NOT_HELD,		/* POSIX: no mapping, no open descriptor */
	ORS_OWNER_GONE,		/* POSIX: no process of the owner could */
	ORS_HELD,		/* POSIX: mapped or open */
	ORS_OWNER_RUNS,		/* POSIX: an owner's process old enough */
	ORS_HOLDERS_INCOMPLETE,	/* POSIX: holder scan missed processes */
	ORS_BACKS_LOOP,		/* POSIX: a loop device's backing file */
	ORS_COUNT
};

struct orphan_reason_desc {
	const char *code;	/* machine-readable, e.g. creator_dead */
	const char *text;	/* a few words for the table */
};

/* The reason table, indexed by enum orphan_reason. */
extern const struct orphan_reason_desc orphan_reason_table[ORS_COUNT];

/* Which recorded PID a piece of evidence is about. */
enum orphan_role {
	ROLE_CREATOR,		/* shm cpid */
	ROLE_LAST_ATTACH,	/* shm lpid: last shmat/shmdt */
	ROLE_LAST_OP,		/* sem: last semop/SETVAL per semaphore */
	ROLE_SENDER,		/* msg lspid */
	ROLE_RECEIVER,		/* msg lrpid */
	ROLE_WAITER,		/* blocked in semop, msgsnd or msgrcv on it */
	ROLE_NAME,		/* POSIX: the creator's PID in the name */
	ROLE_HOLDER,		/* POSIX: maps it or holds it open */
	ROLE_OWNER,		/* POSIX: a process of the owner, old enough */
	ROLE_NOTIFY,		/* pmq: registered for mq_notify */
	ROLE_LOOP,		/* POSIX: a loop device it backs (pid 0) */
	ROLE_COUNT
};

/* Names of the roles: creator, last_attach, ... */
extern const char *const orphan_role_names[ROLE_COUNT];

enum orphan_pid_state {
	PS_ALIVE,		/* runs, and started before the event */
	PS_DEAD,		/* no such process (or a zombie) */
	PS_REUSED,		/* runs, started clearly after the event */
	PS_UNREADABLE,		/* exists, but cannot be inspected */
	PS_AMBIGUOUS,		/* started too soon after it to tell */
	PS_COUNT
};

/* Names of the PID states: alive, dead, reused, unreadable, ambiguous. */
extern const char *const orphan_pid_state_names[PS_COUNT];

/* One recorded PID and what became of it. */
struct orphan_pid {
	enum orphan_role role;
	pid_t pid;
	enum orphan_pid_state state;
	int64_t event_time;	/* when the PID was recorded (upper bound) */
	int64_t start_time;	/* of the process now holding PID, or 0 */
	uint64_t nsems;		/* ROLE_LAST_OP: semaphores it touched last */
	char comm[ORPHAN_COMM_LEN];	/* of the process now holding PID */
};

/* One judged object with its verdict and evidence. */
struct orphan_item {
	enum ipc_type type;
	enum orphan_verdict verdict;
	uint32_t reasons;	/* 1u << enum orphan_reason */
	union ipc_obj obj;	/* a copy, compared again before removal */
	int64_t last_activity;	/* the latest time recorded on the object */
	int64_t age_seconds;	/* now - last_activity */
	struct orphan_pid *pids;
	size_t npids;
	struct orphan_attacher *att;	/* shm: visible attachers */
	size_t natt;
	uint64_t hidden_attachers;	/* nattch not found in /proc */
	pid_t *sempids;		/* sem: last-op PID per semaphore */
	size_t nsempids;
	bool has_sempids;
	bool has_sem_waiting;	/* sem: the kernel's count was read */
	uint64_t sem_waiting;	/* sem: tasks blocked in semop on it */
	int64_t own_access;	/* time of ipctune's own access set aside */
	int64_t orphan_at;	/* OV_SUSPECT: when it becomes orphaned */
	const char *convention;	/* POSIX: the naming row's program */
};

/* Which objects to judge. */
struct orphan_filter {
	unsigned types;		/* ORPHAN_T_*; 0 means all */
	bool has_owner;
	uid_t owner;
	bool has_creator;
	uid_t creator;		/* the creating uid, cuid */
	bool has_older_than;
	uint64_t older_than_s;	/* age at least this */
	bool has_id;
	int id;
	bool has_key;
	uint32_t key;
	uint64_t min_age_s;	/* sem arrays, queues never used both ways */
	bool keep_in_use;	/* keep objects judged in use in the result */
	bool keep_locked;	/* keep unknown objects only may_be_locked */
	bool count_only;	/* keep no item: counts, sums, headroom */
	bool orphaned_only;	/* keep only orphaned items, each without
				   its evidence (pids, attachers, sempids) */
};

/* Facts about the host that turn into notes. */
struct orphan_host {
	bool removeipc;		/* systemd-logind RemoveIPC=yes in effect */
	char removeipc_source[256];	/* file that set it, or "default" */
	uid_t sys_uid_max;	/* highest system uid (login.defs) */
};

/* Leaked objects of one owner and type. */
struct orphan_owner_sum {
	uid_t uid;
	enum ipc_type type;
	uint64_t objects;
	bool has_limit;
	uint64_t limit;		/* SHMMNI, SEMMNI or MSGMNI */
	double ratio;		/* objects / limit */
};

/* What a clean-up of every orphan would give back on one resource. */
struct orphan_headroom {
	enum resource_id res;
	bool has_limit, has_used;
	uint64_t limit, used;
	uint64_t freed;
};

struct orphan_note {
	const char *code;	/* shm_rmid_forced_off, logind_removeipc */
	char text[768];
};

/* The resources that bound each type (ipctype_resources()). */
#define ORPHAN_NHEAD (IPCTYPE_MAXRES * IPC_NTYPES)

struct orphan_result {
	struct orphan_item *items;
	size_t nitems;
	size_t norphans[IPC_NTYPES];
	size_t njudged;
	size_t nunknown;	/* judged OV_UNKNOWN */
	size_t nlocked;		/* of them, only for may_be_locked */
	size_t nsuspect[IPC_NTYPES];	/* judged OV_SUSPECT */
	struct orphan_owner_sum *sums;	/* most objects first */
	size_t nsums;
	struct orphan_headroom head[ORPHAN_NHEAD];
	size_t nhead;		/* each type's limit, then its pool */
	struct orphan_note *notes;
	size_t nnotes;
	/*
	 * Segments marked for removal, still attached, whose creator has
	 * exited and that nobody attached or detached for --min-age: in use,
	 * but kept by a holder after its client went (judged in use).
	 */
	size_t ndest_stale;
	uint64_t dest_stale_nattch;
	int dest_stale_ids[4];	/* the first ones */
};

/*
 * May IT be removed: judged orphaned, or (with INCLUDE_LOCKED) unknown
 * only because a semaphore may be a lock held with SEM_UNDO.  Never an
 * object younger than --min-age, suspect or not.
 */
bool orphan_removable(const struct orphan_item *it, bool include_locked);

/* What changed about an object since it was judged. */
enum orphan_change {
	OC_SAME,
	OC_KEY_CHANGED,
	OC_RECREATED,		/* ctime differs: changed or a new object */
	OC_ATTACHED,
	OC_NEW_OPERATION,
	OC_SEMPIDS_CHANGED,
	OC_NOT_ORPHANED,
	OC_COUNT
};

/* Codes and texts of enum orphan_change. */
extern const struct orphan_reason_desc orphan_change_table[OC_COUNT];

/* Prepare an empty filter: every type, --min-age default 1 hour. */
void orphan_filter_init(struct orphan_filter *f);
/*
 * Does F keep no object judged in use?  Then the judge stops reading an
 * object's evidence once its verdict is in use whatever the rest says
 * (a semaphore array's waiters); every verdict and count is the same.
 */
bool orphan_filter_settles(const struct orphan_filter *f);
/* Prepare an empty result (no allocation). */
void orphan_result_init(struct orphan_result *r);
/* Free the contents of a result. */
void orphan_result_release(struct orphan_result *r);
/* Free the contents of one item. */
void orphan_item_release(struct orphan_item *it);

/*
 * Judge the objects of KS that pass F, at time KS->read_at, with the
 * effects FX; HOST may be NULL.  Fills R (orphans, and with
 * F->keep_in_use every judged object), summaries, headroom and notes.
 */
void orphan_judge(const struct kstate *ks, const struct orphan_filter *f,
    const struct orphan_host *host, const struct orphan_effects *fx,
    struct orphan_result *r);

/*
 * The objects in KS that systemd-logind removes at their owner's last
 * logout (RemoveIPC=yes in HOST, owner above SYS_UID_MAX); the owner of
 * the first in *FIRST.  0 when HOST is NULL or RemoveIPC is off.
 */
size_t orphan_removeipc_count(const struct kstate *ks,
    const struct orphan_host *h, uid_t *first);
/* The same count, and the warning with its fix in TEXT when not 0. */
size_t orphan_removeipc_text(const struct kstate *ks,
    const struct orphan_host *h, char *text, size_t len);

/*
 * The dest segments of R that outlived their creator, and when not 0 a
 * warning naming them in TEXT.
 */
size_t orphan_dest_stale_text(const struct orphan_result *r, char *text,
    size_t len);

/*
 * Judge one object OBJ (a struct shm_obj, sem_obj or msg_obj by TYPE) at
 * time NOW into IT, which the caller releases.
 */
void orphan_judge_one(enum ipc_type type, const void *obj, int64_t now,
    uint64_t min_age_s, const struct orphan_effects *fx,
    struct orphan_item *it);

/*
 * Does KS hold an object that a process outside this PID namespace has
 * used: a PID of 0 where the kernel records one (a creator, or the last
 * attacher, sender or receiver while the matching time is set), or an
 * object changed last before BIRTH (0: unknown), the start of this PID
 * namespace's first process?
 */
bool orphan_foreign_evidence(const struct kstate *ks, int64_t birth);

/* Compare a fresh judgement with the earlier one of the same object. */
enum orphan_change orphan_compare(const struct orphan_item *judged,
    const struct orphan_item *fresh);

/* The objects of one type that have no live user, summed for advice. */
#define ORPHAN_LEAK_OWNERS 3
struct orphan_leak {
	uint64_t objects;	/* orphaned plus suspect */
	uint64_t orphaned, suspect;
	uint64_t amount;	/* shm: pages charged; sem: semaphores */
	struct {
		uid_t uid;
		uint64_t objects;
	} owners[ORPHAN_LEAK_OWNERS];	/* most objects first */
	size_t nowners;		/* owners in all (more than kept?) */
};

/*
 * Sum the orphaned and suspect items of type T in R (judged without
 * count_only) into OUT, pages counted with PAGE_SIZE.
 */
void orphan_leak_sum(const struct orphan_result *r, enum ipc_type t,
    uint64_t page_size, struct orphan_leak *out);

/* The id, key and owner of an item, whatever its type. */
const struct obj_perm *orphan_item_perm(const struct orphan_item *it);
int orphan_item_id(const struct orphan_item *it);
uint32_t orphan_item_key(const struct orphan_item *it);
uid_t orphan_item_uid(const struct orphan_item *it);

#endif
