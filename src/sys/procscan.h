/*
 * procscan.h: facts about processes, read from /proc (under --root for
 * tests) and the kernel: start times, the SysV segments each process has
 * mapped, the last-op PID of each semaphore, and the holders of POSIX
 * objects' files (with the loop devices of /sys/block).  The orphan
 * judge gets these only through struct orphan_effects.
 */
#ifndef PROCSCAN_H
#define PROCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctune.h"
#include "orphanfx.h"
#include "semprobe.h"

struct procscan_map {
	int shmid;
	struct orphan_attacher att;
};

/* A thread blocked in a system call on a semaphore array or queue. */
struct procscan_wait {
	enum ipc_type type;	/* IPC_SEM or IPC_MSG */
	int id;
	struct orphan_attacher who;	/* the process (thread group) */
};

/* A remembered answer of procscan_proc(). */
struct procscan_pid {
	pid_t pid;
	int found;		/* 0: runs, -1: not (the return value) */
	struct orphan_proc p;
};

/* A process, its uids (real, effective, saved, fs) and its start. */
struct procscan_owner {
	pid_t pid;
	uid_t uid[4];
	int64_t start_time;
	char comm[ORPHAN_COMM_LEN];
};

struct procscan {
	char root[512];		/* path prefix, "" for the live system */
	bool live;		/* semctl(GETPID) may be asked */
	uint64_t ns_inode;	/* count only processes of this IPC ns */
	bool have_btime;
	int64_t btime;		/* boot time, seconds since the epoch */
	long hz;		/* clock ticks per second */
	bool scanned;
	struct procscan_map *maps;	/* sorted by shmid */
	size_t nmaps;
	struct orphan_attacher *out;	/* what procscan_attachers returns */
	size_t outcap;
	bool waits_scanned;
	bool waits_only;	/* scan for one object: only_type, only_id */
	enum ipc_type only_type;
	int only_id;
	struct procscan_wait *waits;
	size_t nwaits, capwaits;
	bool cache;		/* remember procscan_proc() answers per PID */
	struct procscan_pid *pids;	/* sorted by pid */
	size_t npids, pidcap;
	/* What /proc does not show (procscan_probe, the scans) */
	bool probed;
	bool pidns_child;	/* ipctune is not in the initial PID ns */
	bool proc_foreign;	/* /proc is not of ipctune's PID namespace */
	int hidepid;		/* of the /proc mount: 0, 1, 2, 4; -1 unknown */
	bool hidden;		/* hidepid hides processes from ipctune */
	bool waits_partial;	/* a thread's wait could not be read */
	bool waits_outside;	/* set by the caller: waits of other PID
				   namespaces may exist (ORPHAN_LIM_WAITS) */
	bool pids_partial;	/* set by the caller: ORPHAN_LIM_PIDS */
	size_t pass_unreadable;	/* ns links unreadable, last pass */
	pid_t *unreadable;	/* processes not inspected, sorted */
	size_t nunreadable, unreadcap;
	/* every process's owner and start (procscan_owner_procs) */
	bool owners_scanned;
	bool owners_partial;	/* an owner or start could not be read */
	struct procscan_owner *owners;
	size_t nowners;
	struct semprobe *sems;	/* the facts read ahead, or NULL */
};

/*
 * Prepare PS for the tree ROOT (NULL: the live system); LIVE allows
 * semctl; NS_INODE (0: any) limits attachers to one IPC namespace.
 */
void procscan_init(struct procscan *ps, const char *root, bool live,
    uint64_t ns_inode);
/* Free what PS collected. */
void procscan_release(struct procscan *ps);

/*
 * Parse the text of /proc/PID/stat: the state letter and field 22
 * (starttime, clock ticks after boot).  0, or -1 if malformed.
 */
int procscan_parse_stat(const char *buf, char *state, uint64_t *starttime);

/*
 * Start time and command of PID if it runs (not a zombie); 0 or -1.
 * With PS->cache set, each PID is read once per procscan.
 */
int procscan_proc(struct procscan *ps, pid_t pid, struct orphan_proc *p);

/* Scan every /proc/PID/maps for SysV segments (once); 0 or -1. */
int procscan_scan_maps(struct procscan *ps);

/* The attachers of SHMID found by the scan; *OUT points into PS. */
size_t procscan_attachers(struct procscan *ps, int shmid,
    const struct orphan_attacher **out);

/* Find the threads blocked on IPC objects (again if FRESH); 0 or -1. */
int procscan_scan_waits(struct procscan *ps, bool fresh);
/* Find the threads blocked on object ID of TYPE only, now; 0 or -1. */
int procscan_scan_waits_for(struct procscan *ps, enum ipc_type type,
    int id);
/* The processes the last scan found blocked on object ID of TYPE. */
size_t procscan_waiters(struct procscan *ps, enum ipc_type type, int id,
    const struct orphan_attacher **out);
/*
 * The tasks blocked in semop on SEMID, the sum of semctl(GETNCNT) and
 * semctl(GETZCNT) over its NSEMS semaphores, into *N; 0, or -1.
 */
int procscan_sem_waiting(int semid, size_t nsems, uint64_t *n);
/*
 * Read semctl GETPID, GETNCNT and GETZCNT of the N arrays SEMS ahead, on
 * every CPU, for the effects to answer from (live systems only); the
 * waiters of the arrays SKIP names (NULL: none) are read when asked.
 */
void procscan_read_sems(struct procscan *ps, const struct sem_obj *sems,
    size_t n, const struct semprobe_skip *skip);
/*
 * Forget what PS read ahead or remembered (procscan_read_sems(), the
 * answers per PID): the effects ask the kernel and /proc again, as a
 * re-judge right before an action must.
 */
void procscan_forget(struct procscan *ps);
/* semctl(GETPID) for each semaphore of SEMID; 0, or -1 with errno. */
int procscan_sem_pids(int semid, size_t nsems, pid_t *pids);
/* semctl(GETVAL) for each semaphore of SEMID into VALS; 0 or -1. */
int procscan_sem_vals(int semid, size_t nsems, unsigned short *vals);
/* The sum of GETNCNT and GETZCNT over SEMID into *N; 0 or -1. */
int procscan_sem_waiting(int semid, size_t nsems, uint64_t *n);

/*
 * Find what the live /proc cannot show: whether ipctune's PID namespace
 * is a child, whether /proc is of another PID namespace, and whether its
 * hidepid option hides processes from ipctune.  Nothing for a --root
 * tree.
 */
void procscan_probe(struct procscan *ps);
/*
 * The processes other than ipctune that /proc shows in the IPC namespace
 * asked for (PS->ns_inode), counting those whose namespace cannot be
 * read; -1 if /proc cannot be read.
 */
long procscan_ns_users(struct procscan *ps);
/*
 * Parse the four numbers of the Uid line of the text of /proc/PID/status
 * into UID; 0, or -1 if there is none or it is malformed.
 */
int procscan_parse_status_uids(const char *buf, uid_t uid[4]);
/*
 * Parse field N (1-based, N >= 3) of the text of /proc/PID/stat into
 * OUT; 0, or -1 if malformed.
 */
int procscan_stat_field(const char *buf, int n, char *out, size_t len);
/*
 * When process PID started, to the clock tick: the wall clock minus
 * CLOCK_BOOTTIME (the boot time of /proc/stat's btime, with its
 * fraction) plus its start ticks, rounded down to seconds; 0 or -1.
 */
int procscan_start_exact(struct procscan *ps, pid_t pid, int64_t *start);
/* The name of a hidepid value: off, noaccess, invisible, ptraceable. */
const char *procscan_hidepid_name(int hidepid);
/* Parse hidepid= of the super options of a proc mount: 0 if none. */
int procscan_parse_hidepid(const char *opts);

/* A file whose holders are looked for: st_dev and st_ino, and a tag. */
struct procscan_file {
	uint64_t dev, ino;
	size_t tag;		/* the caller's index */
};

/* One process (or loop device) holding one of the files. */
struct procscan_hold {
	size_t tag;		/* procscan_file.tag */
	pid_t pid;
	unsigned how;		/* POSIX_HOLD_MAP, _FD, _LOOP (pid 0) */
	char comm[ORPHAN_COMM_LEN];
};

/* What a holder scan found and how much of /proc it could see. */
struct procscan_holds {
	struct procscan_hold *v;	/* by process, then tag */
	size_t n, cap;
	size_t procs;		/* processes inspected */
	size_t partial;		/* maps or fd of a process unreadable */
};

/*
 * Parse one line of /proc/PID/maps, "start-end perms offset MAJ:MIN
 * inode [path]", into the device (user-space encoding, as st_dev) and
 * inode of the mapping; 0, or -1 if malformed or anonymous (inode 0).
 */
int procscan_parse_maps_line(const char *line, uint64_t *dev,
    uint64_t *ino);

/*
 * Check the text of /sys/block/loopN/loop/backing_file, LEN bytes: an
 * absolute path and a newline, which becomes its end; 0, or -1 if it
 * is no such text.
 */
int procscan_parse_backing_file(char *text, size_t len);

/*
 * The st_dev of LO_DEVICE, a device number of struct loop_info64 in the
 * kernel's 32-bit encoding (huge_encode_dev()).
 */
uint64_t procscan_loop_dev(uint64_t lo_device);

/*
 * Parse the text of /proc/PID/fdinfo/N of an io_uring instance: the
 * size of its fixed file table (UserFiles) into *NFILES, and the files
 * it lists ("%5u: " and a path, \ooo escapes undone in place) into
 * *PATHS, an array the caller frees (its strings point into TEXT).  How
 * many are listed, or -1 if there is no UserFiles line.
 */
long procscan_parse_uring(char *text, uint64_t *nfiles, char ***paths);

/*
 * One pass over ROOT/proc (ROOT "" for the live system): each process
 * other than SELF (0: none) that maps FILES (N of them, sorted by dev
 * then inode) or holds one open, in any thread's descriptor table or an
 * io_uring instance's fixed files, and each loop device of
 * ROOT/sys/block backed by one (pid 0, comm the device's name; its path
 * resolved under ROOT and under FSROOT, the root of the files' mount
 * namespace, else LOOP_GET_STATUS64 asked), into OUT, which the caller
 * frees (procscan_holds_release).  0, or -1 if /proc cannot be read.
 */
int procscan_file_holders(const char *root, const char *fsroot,
    pid_t self, const struct procscan_file *files, size_t n,
    struct procscan_holds *out);
/* Free what a holder scan found. */
void procscan_holds_release(struct procscan_holds *h);

/*
 * The processes other than ipctune with UID among their uids (the Uid
 * line of /proc/PID/status) that started no later than BEFORE: how many, the first
 * into *FIRST; -1 if a process could not be read.  One pass over /proc,
 * kept in PS.
 */
long procscan_owner_procs(struct procscan *ps, uid_t uid, int64_t before,
    struct orphan_attacher *first);

/* Effects for the orphan judge backed by PS; ATTACHERS scans maps. */
void procscan_effects(struct procscan *ps, bool attachers,
    struct orphan_effects *fx);

#endif
