/*
 * state.h: what rollback and verify need to remember between runs: the
 * values and drop-in content before the last apply, and which profiles
 * and --set values it used.  Kept as JSON in the state directory, with a
 * lock file that serialises concurrent applies and rollbacks.
 */
#ifndef STATE_H
#define STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"

/* One runtime value apply changed. */
struct state_value {
	enum sysctl_id id;
	uint64_t old_value[SEM_NFIELDS];
	uint64_t new_value[SEM_NFIELDS];
};

/* The record of the last apply. */
struct state_record {
	int64_t applied_at;
	char **profiles;
	size_t nprofiles;
	char **sets;		/* "name=expr" */
	size_t nsets;
	char **profile_dirs;	/* --profile-dir, absolute */
	size_t nprofile_dirs;
	bool exact;
	struct state_value runtime[SC_COUNT];
	size_t nruntime;
	bool persist;		/* the drop-in was written */
	char *dropin_path;
	bool dropin_existed;
	char *dropin_old;	/* its content before, if it existed */
	char *dropin_new;
	char dropin_new_sha256[65];	/* of dropin_new; "" if unrecorded */
	char *sysctl_root;	/* apply --sysctl-root, or NULL */
	char *plan;		/* apply --from-plan: the plan's text */
	/*
	 * The IPC namespace apply wrote (/proc/self/ns/ipc), and whether it
	 * was PID 1's: 1 yes, 0 no, -1 unknown.  ns_inode 0: not recorded
	 * (a record older than these fields).
	 */
	uint64_t ns_inode;
	int ns_host;
	/*
	 * The process apply entered another namespace through (--pid) and
	 * its start (clock ticks after boot); 0 for its own namespace.
	 */
	int ns_pid;
	uint64_t ns_pid_start;
	/*
	 * apply --dev-shm-persist: the file holding /dev/shm's size for the
	 * next boot (/etc/fstab or a dev-shm.mount drop-in) as for the
	 * sysctl drop-in; --dev-shm-remount: the tmpfs size before and after.
	 */
	bool shm_persist;
	char *shm_path;
	bool shm_existed;
	char *shm_old;
	char *shm_new;
	char shm_new_sha256[65];
	bool shm_remounted;
	uint64_t shm_old_bytes, shm_new_bytes;
};

/* The IPC namespace of this process: its inode and whether it is PID 1's
 * (1, 0, or -1 if /proc/1/ns/ipc cannot be read).  0, or -1 with errno. */
int state_current_ns(uint64_t *inode, int *host);

/*
 * Refuse to act on R from another IPC namespace than the one its apply
 * changed, or when R does not say (a record older than the field),
 * unless ANY (--any-namespace).  ANYWAY ends the advice.  0, or -1 with
 * ERR.
 */
int state_check_ns(const struct state_record *r, bool any,
    const char *anyway, char *err, size_t errlen);

/* Prepare an empty record (no allocation). */
void state_record_init(struct state_record *r);
/* Free what a record holds. */
void state_record_release(struct state_record *r);

/*
 * Create DIR if needed and take the exclusive lock on DIR/lock, waiting
 * for a concurrent holder.  The descriptor in *FDP holds the lock.
 */
int state_lock(const char *dir, int *fdp, char *err, size_t errlen);
/* Release the lock taken by state_lock. */
void state_unlock(int fd);

/* Save R as the last apply (atomically).  0, or -1 with ERR. */
int state_save(const char *dir, const struct state_record *r, char *err,
    size_t errlen);
/* Load the last apply into R; *FOUND false if there is none. */
int state_load(const char *dir, struct state_record *r, bool *found,
    char *err, size_t errlen);
/* The path of the record of the last apply in DIR, into BUF. */
void state_path(const char *dir, char *buf, size_t len);
/* Mark the last apply as rolled back: it can no longer be undone. */
int state_retire(const char *dir, char *err, size_t errlen);

#endif
