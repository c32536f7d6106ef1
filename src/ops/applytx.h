/*
 * applytx.h: the apply and rollback transaction.  It plans the writes
 * (the runtime changes of a recommendation, the drop-in and whether
 * another sysctl.d file would override it), then under the state lock
 * records the apply, writes the runtime values in order and the drop-in,
 * and on any failure undoes what it did, newest first; rollback runs the
 * same machinery towards the recorded values.  Every effect goes through
 * struct applytx_effects; it prints nothing and never sees the command
 * line: failures come back in ERR and in the structs it fills.
 */
#ifndef APPLYTX_H
#define APPLYTX_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "ksysctl.h"
#include "recommend.h"
#include "state.h"
#include "sysctld.h"

/*
 * What a transaction does to the system.  applytx_real holds the real
 * ones (ksysctl.c, dropin.c, state.c, the clock); unit tests pass fakes.
 */
struct applytx_effects {
	/* /proc/sys: the value as the kernel holds it; one write, errno */
	int (*sysctl_read)(enum sysctl_id id, uint64_t *v, char *err,
	    size_t errlen);
	int (*sysctl_write)(enum sysctl_id id, const char *text);
	/* drop-in and state files: rootfile_read, _write, _remove semantics */
	int (*file_read)(const char *path, char **text, char *err,
	    size_t errlen);
	int (*file_write)(const char *path, const char *text, unsigned mode,
	    char *err, size_t errlen);
	int (*file_remove)(const char *path, char *err, size_t errlen);
	int (*clean_stale)(const char *path, int *nremoved, char *err,
	    size_t errlen);
	int (*access)(const char *path, int mode);
	/* the state directory: its lock and the record of the last apply */
	int (*lock)(const char *dir, int *fdp, char *err, size_t errlen);
	void (*unlock)(int fd);
	int (*state_save)(const char *dir, const struct state_record *r,
	    char *err, size_t errlen);
	int (*state_load)(const char *dir, struct state_record *r,
	    bool *found, char *err, size_t errlen);
	int (*state_retire)(const char *dir, char *err, size_t errlen);
	/* the IPC namespace written, and the clock */
	int (*current_ns)(uint64_t *inode, int *host);
	int64_t (*now)(void);
	/*
	 * /dev/shm: create the drop-in directory (mkdir 0755, an existing
	 * one is fine) and set the tmpfs size (devshmfs_restore semantics).
	 * NULL in a fake that never touches /dev/shm.
	 */
	int (*make_dir)(const char *path, char *err, size_t errlen);
	int (*shm_resize)(const char *path, uint64_t bytes, char *err,
	    size_t errlen);
};

/* The real effects, composed in one place. */
extern const struct applytx_effects applytx_real;

/* The warnings of a step that goes on anyway (at most two). */
struct applytx_warnings {
	char text[2][PATH_MAX + 256];
	int n;
};

/* How one undo went. */
enum applytx_undone {
	APPLYTX_UNDO_NONE,	/* nothing to undo */
	APPLYTX_UNDO_DONE,
	APPLYTX_UNDO_FAILED,	/* the reason in the matching *_err */
};

/* The undo steps a failed transaction took, in the order taken. */
struct applytx_undo {
	enum applytx_undone dropin, runtime, state, shm;
	char dropin_err[PATH_MAX + 2048];
	char shm_err[PATH_MAX + 2048];	/* /dev/shm's boot file or size */
	char runtime_err[PATH_MAX + 2048];
	char state_err[PATH_MAX + 2048];
};

/*
 * Write the N changes in C in order under O (ksysctl_check() first for
 * every one, then the old values read, then each write read back).  0
 * when all are in place; -1 with the failure and the outcome of the undo
 * in ERR, after every value already changed was put back newest first
 * (each C[i] says whether it was written, restored or could not be).
 */
int applytx_runtime(const struct applytx_effects *fx,
    const struct ksysctl_opts *o, struct ksysctl_change *c, size_t n,
    char *err, size_t errlen);

/*
 * Remove what a killed apply or rollback left next to PATH, and say so
 * in W (also when the directory cannot be cleaned).
 */
void applytx_clean_stale(const struct applytx_effects *fx, const char *path,
    struct applytx_warnings *w);

/*
 * Take the lock of the state directory DIR (waiting for a concurrent
 * apply or rollback), then remove the stale temporary files of its
 * record, saying so in W.  The descriptor in *FDP holds the lock.  0, or
 * -1 with ERR.
 */
int applytx_lock(const struct applytx_effects *fx, const char *dir, int *fdp,
    struct applytx_warnings *w, char *err, size_t errlen);
/* Release the lock FD (-1: none taken). */
void applytx_unlock(const struct applytx_effects *fx, int fd);

/* What apply is asked to do, beyond the recommendation. */
struct applytx_opts {
	const char *statedir;
	bool runtime;		/* write /proc/sys */
	bool persist;		/* write the drop-in */
	bool force;		/* a path or a file that is not ipctune's */
	bool exact;
	const char *sysctl_root;	/* --sysctl-root, or NULL */
	const char *names;	/* the drop-in header: profiles ... */
	const char *vars;	/* ... and their variables */
};

/* Everything apply decided, for the transaction and the output. */
struct applytx_plan {
	struct ksysctl_change changes[SC_COUNT];
	size_t nchanges;
	char path[PATH_MAX];
	bool location_ok;	/* a place for a drop-in (dropin.h) */
	char *old_text;		/* the drop-in now, or NULL */
	char *new_text;
	bool dropin_changed;
	bool dropin_read_at_boot;	/* under every rule set */
	bool read_by[SYSCTLD_NRULES];
	char **problems;	/* overrides found in sysctl.d */
	size_t nproblems, capproblems;
	bool runtime_done, dropin_done;
	/* apply --dev-shm-persist: /dev/shm's size for the next boot */
	char shm_path[PATH_MAX];	/* /etc/fstab or the unit's drop-in */
	char *shm_old, *shm_new;	/* its content now (NULL: none), new */
	bool shm_changed, shm_done;
	/* apply --dev-shm-remount did grow it: recorded for rollback */
	bool shm_remounted;
	uint64_t shm_old_bytes, shm_new_bytes;
	char *plan_text;	/* apply --from-plan: the plan, for verify */
};

/* Prepare an empty plan (no allocation). */
void applytx_plan_init(struct applytx_plan *ap);
/* Free what a plan holds. */
void applytx_plan_release(struct applytx_plan *ap);

/*
 * The runtime changes of R (with O->runtime): each key R changes, its
 * old value as KS holds it.
 */
void applytx_plan_runtime(const struct applytx_opts *o,
    const struct recommendation *r, const struct kstate *ks,
    struct applytx_plan *ap);

/* Read the drop-in at AP->path now into AP->old_text.  0, or -1 with ERR. */
int applytx_dropin_load(const struct applytx_effects *fx,
    struct applytx_plan *ap, char *err, size_t errlen);

/*
 * May AP->path be written (a sysctl.d "*.conf" holding nothing but
 * ipctune's lines, unless O->force)?  Then render the drop-in of R and
 * say whether it changes.  0, or -1 with ERR.
 */
int applytx_dropin_plan(const struct applytx_effects *fx,
    const struct applytx_opts *o, const struct recommendation *r,
    struct applytx_plan *ap, char *err, size_t errlen);

/*
 * Would another sysctl.d file override the drop-in at boot (reads the
 * sysctl.d tree under O->sysctl_root through sysctld.c)?  Fills
 * AP->problems and AP->read_by.  0, or -1 with ERR.
 */
int applytx_precedence(const struct applytx_opts *o,
    const struct recommendation *r, struct applytx_plan *ap, char *err,
    size_t errlen);

/*
 * Apply AP under the lock the caller holds: record it in REC (the caller
 * filled who asked: profiles, sets, directories, plan, --sysctl-root),
 * then write the runtime values, then the drop-in, read back.  On any
 * failure undo what was done, newest first, and put the previous record
 * back: -1 with ERR and the undo steps in U.
 */
int applytx_apply(const struct applytx_effects *fx,
    const struct applytx_opts *o, uint64_t ipc_mni, struct applytx_plan *ap,
    struct state_record *rec, struct applytx_undo *u, char *err,
    size_t errlen);

/* A rollback: the record of the last apply and the way back. */
struct applytx_rollback {
	struct state_record rec;
	bool found;
	struct ksysctl_change ch[SC_COUNT];	/* old: now, new: recorded */
	size_t n;
	char why[SC_COUNT][320];	/* the guard that refuses, or "" */
	bool refused;
	uint64_t ipc_mni;
	const char *action;	/* drop-in: unchanged, restored, removed */
	const char *shm_action;	/* /dev/shm's boot file: the same */
	bool shm_shrink;	/* /dev/shm back to rec.shm_old_bytes */
	char shm_why[400];	/* the guard that refuses it, or "" */
	bool restored;		/* the values and the drop-in are back */
};

/* Prepare an empty rollback (no allocation). */
void applytx_rollback_init(struct applytx_rollback *rb);
/* Free what a rollback holds. */
void applytx_rollback_release(struct applytx_rollback *rb);

/*
 * Lock DIR and load its record into RB, then (with CLEAN) remove the
 * stale temporary files of the record, saying so in W.  A DIR that does
 * not exist means no apply: RB->found false, no lock taken (*FDP -1),
 * nothing created.  0, or -1 with ERR.
 */
int applytx_rollback_open(const struct applytx_effects *fx, const char *dir,
    struct applytx_rollback *rb, int *fdp, bool clean,
    struct applytx_warnings *w, char *err, size_t errlen);

/*
 * The recorded values as changes from what KS holds, each with apply's
 * guards: not below what is in use now (recommend_below_usage()), not
 * over a value changed by hand since the apply.  Sets RB->why, refused.
 */
void applytx_rollback_plan(const struct kstate *ks,
    struct applytx_rollback *rb);

/*
 * Check the drop-in the record names (a place for a drop-in, the record's
 * SHA-256, unchanged since the apply unless FORCE) and set RB->action;
 * writes nothing.  0, or -1 with ERR.
 */
int applytx_rollback_check(const struct applytx_effects *fx,
    struct applytx_rollback *rb, bool force, char *err, size_t errlen);

/*
 * Roll back under the lock: the runtime values, then the drop-in, then
 * retire DIR's record.  All or nothing: when the drop-in or the retiring
 * fails, what was changed is put back (the outcome in U), so the record
 * still describes the system.  0, or -1 with ERR; RB->restored is true
 * only on success.
 */
int applytx_rollback_run(const struct applytx_effects *fx, const char *dir,
    struct applytx_rollback *rb, bool force, struct applytx_undo *u,
    char *err, size_t errlen);

/*
 * Is PATH a place for /dev/shm's boot file (ROOT/etc/fstab or
 * ROOT/etc/systemd/system/dev-shm.mount.d/ipctune.conf, ROOT the
 * --sysctl-root or "")?
 */
bool applytx_shm_location_ok(const char *path, const char *root);

#endif
