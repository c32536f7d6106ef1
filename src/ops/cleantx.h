/*
 * cleantx.h: the transaction 'clean' runs on each object it removes:
 * re-judge it, take its permissions away (IPC_SET), wait for calls in
 * flight, re-judge it again, save a segment's contents when asked, and
 * IPC_RMID it; or give the permissions back and record ipctune's own
 * access.  Every effect comes through struct cleantx_effects, so the
 * promises are unit-tested with fakes; cleantx_sys gives the real ones.
 */
#ifndef CLEANTX_H
#define CLEANTX_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipcrm.h"
#include "orphan.h"
#include "procscan.h"

/* What became of one object. */
enum cleantx_action {
	CLEANTX_WOULD_REMOVE, CLEANTX_REMOVED, CLEANTX_SKIPPED,
	CLEANTX_FAILED, CLEANTX_NACTIONS
};

/* The outcome of one object, as 'clean' reports it. */
struct cleantx_outcome {
	enum cleantx_action action;
	const char *code;	/* skip reason, or errno name when failed */
	int err;		/* errno when failed */
	char detail[512];
	char backup_file[128];
};

/* What the checks before any change decided for one object. */
enum cleantx_prep { CLEANTX_DONE, CLEANTX_REMOVE, CLEANTX_BACKUP };

/* The effects of the transaction; CTX is passed to each. */
struct cleantx_effects {
	void *ctx;
	/* Read object ID of TYPE by id now; 0, or -1 with errno. */
	int (*stat)(void *ctx, enum ipc_type type, int id,
	    union ipc_obj *l);
	/* Look again for processes blocked on queue ID; 0 or -1. */
	int (*scan_waits)(void *ctx, enum ipc_type type, int id);
	/* IPC_SET owner, group and mode of object ID; 0 or -1. */
	int (*set_perm)(void *ctx, enum ipc_type type, int id,
	    const struct ipcrm_perm *p);
	/* Wait until IPC calls that passed their checks landed; 0 or -1. */
	int (*sync)(void *ctx);
	/* Attach segment ID read-only; its address, or NULL with errno. */
	const void *(*attach)(void *ctx, int id);
	/* Detach what attach() returned; 0 or -1. */
	int (*detach)(void *ctx, const void *addr);
	/* IPC_RMID object ID of TYPE; 0 or -1. */
	int (*remove)(void *ctx, enum ipc_type type, int id);
	/* Write LEN bytes of BUF as backup file NAME atomically; 0 or -1. */
	int (*save)(void *ctx, const char *name, const void *buf,
	    size_t len);
	/* Add segment S saved as FILE to the manifest and write it; 0/-1. */
	int (*save_manifest)(void *ctx, const struct shm_obj *s,
	    const char *file);
	/* Record ipctune's own access T; 0, or -1 with the reason in ERR. */
	int (*touch)(void *ctx, const struct orphan_touch *t, char *err,
	    size_t errlen);
	/* Hold (ON) or release asynchronous signals around a change. */
	void (*hold)(void *ctx, bool on);
	/* Set up (ON) or undo the process state of the whole run. */
	void (*span)(void *ctx, bool on);
	int64_t (*now)(void *ctx);
	pid_t (*pid)(void *ctx);
	uid_t (*euid)(void *ctx);
	/* The name of user UID, for messages. */
	const char *(*user)(void *ctx, uid_t uid);
	/* A warning, as one line of text. */
	void (*warn)(void *ctx, const char *msg);
};

/* One run of the transaction over the objects of one judgement. */
struct cleantx {
	const struct cleantx_effects *fx;
	const struct orphan_effects *judge;	/* without the maps scan */
	uint64_t min_age_s;			/* of the judgement */
	bool sync_warned;			/* said once that sync failed */
};

/*
 * Remove the N ITEMS whose PREP is CLEANTX_REMOVE or CLEANTX_BACKUP,
 * filling their OUTS: first every array, queue and segment without a
 * backup, in batches (re-check, take the permissions away, wait for
 * calls in flight, re-check, IPC_RMID), then the segments to save, one
 * by one, so that nothing waits behind a long backup.
 */
void cleantx_run(struct cleantx *tx, const struct orphan_item *items,
    size_t n, const enum cleantx_prep *prep, struct cleantx_outcome *outs);

/* Mark OUT skipped for reason CODE, the detail as printf(3) FMT. */
void cleantx_skip(struct cleantx_outcome *out, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The real effects: the kernel, /proc, the backup directory. */
struct cleantx_sys {
	bool ipcmni_extend;		/* of the namespace judged */
	uint64_t ns_inode;		/* its IPC namespace, for touches */
	struct procscan *ps;		/* the run's process facts */
	int dirfd;			/* the backup directory, or -1 */
	const char *backup_dir;		/* its name, for messages */
	json_t *manifest;		/* the backup manifest, or NULL */
	/* the manifest entry of segment S saved as FILE at AT */
	json_t *(*manifest_entry)(const struct shm_obj *s, const char *file,
	    int64_t at);
	const char *(*user_name)(uid_t uid);
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	sigset_t old;			/* the mask while signals are held */
	struct sigaction oldxfsz;	/* SIGXFSZ before the run */
};

/* SYS with no backup directory; the caller sets the fields it needs. */
void cleantx_sys_init(struct cleantx_sys *sys);
/*
 * Open the backup directory DIR (created with mode 0700) and its
 * manifest, or a new one.  0, or -1 with the reason in ERR.
 */
int cleantx_sys_backup_open(struct cleantx_sys *sys, const char *dir,
    char *err, size_t errlen);
/*
 * Append ENTRY to the array LIST ("segments", "posix_objects") of the
 * manifest and write it atomically; on failure ENTRY is taken out
 * again.  0, or -1 with errno.
 */
int cleantx_sys_manifest_add(struct cleantx_sys *sys, const char *list,
    json_t *entry);
/*
 * Hold every asynchronous signal (ON, the mask before into OLD), or put
 * OLD back; the synchronous ones (SIGSEGV, SIGBUS, ...) stay deliverable.
 */
void cleantx_sys_hold_signals(sigset_t *old, bool on);
/* Ignore SIGXFSZ (ON, the action before into OLD), or put OLD back. */
void cleantx_sys_ignore_xfsz(struct sigaction *old, bool on);
/* Close what cleantx_sys_backup_open() opened. */
void cleantx_sys_release(struct cleantx_sys *sys);
/* The real effects of SYS into FX. */
void cleantx_sys_effects(struct cleantx_sys *sys, struct cleantx_effects *fx);

#endif
