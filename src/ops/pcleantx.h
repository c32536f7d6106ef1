/*
 * pcleantx.h: the removal of judged POSIX orphans (/dev/shm files,
 * sem.NAME files, mqueue files): each name is re-checked under the
 * directory of the filesystem judged (same inode, never following a
 * symlink, nobody mapping or holding it), a file is renamed aside to a
 * private name and checked again before it is saved and unlinked.  Every
 * effect comes through struct pcleantx_effects, so the promises are
 * unit-tested with fakes; pcleantx_sys gives the real ones.  It prints
 * nothing and never touches a System V object.
 */
#ifndef PCLEANTX_H
#define PCLEANTX_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cleantx.h"
#include "orphan.h"
#include "posixipc.h"

/* One process found mapping or holding a file. */
struct pcleantx_holder {
	pid_t pid;
	unsigned how;		/* POSIX_HOLD_MAP, _FD, _LOOP (pid 0) */
	char comm[ORPHAN_COMM_LEN];
};

/* The effects of the transaction; CTX is passed to each. */
struct pcleantx_effects {
	void *ctx;
	/*
	 * Open the directory of POSIX type T; its device into DEV, its path
	 * into TEXT.  A descriptor, or -1 with the reason in TEXT.
	 */
	int (*open_dir)(void *ctx, enum ipc_type t, uint64_t *dev,
	    char *text, size_t textlen);
	void (*close_dir)(void *ctx, int dirfd);
	/* posixipc_stat_at(): EINVAL when NAME is no regular file. */
	int (*stat_at)(void *ctx, int dirfd, const char *name,
	    struct posix_file *now);
	/*
	 * The processes but ipctune that map or hold inode INO of DEV open,
	 * and the loop devices it backs: how many (the first into H), those
	 * unreadable into PARTIAL; -1 with errno.
	 */
	long (*holders)(void *ctx, uint64_t dev, uint64_t ino,
	    struct pcleantx_holder *h, size_t *partial);
	/* renameat2(RENAME_NOREPLACE) FROM to TO in DIRFD; 0 or -1. */
	int (*rename)(void *ctx, int dirfd, const char *from, const char *to);
	/* unlinkat(2) NAME in DIRFD; 0 or -1. */
	int (*unlink)(void *ctx, int dirfd, const char *name);
	/*
	 * Copy NAME under DIRFD, which must still be F's inode and size,
	 * as backup file FILE, synced; its SHA-256 into HEX.  0 or -1.
	 */
	int (*save)(void *ctx, int dirfd, const char *name,
	    const struct posix_file *f, const char *file, char hex[65]);
	/* Add IT, saved as FILE (NULL: attributes only), to the manifest. */
	int (*save_manifest)(void *ctx, const struct orphan_item *it,
	    const char *file, const char *hex);
	/* Hold (ON) or release asynchronous signals around one object. */
	void (*hold)(void *ctx, bool on);
	/* Set up (ON) or undo the process state of the whole run. */
	void (*span)(void *ctx, bool on);
	pid_t (*pid)(void *ctx);
};

/*
 * Is NAME one entry of a directory: not empty, no '/', not "." or
 * ".."?  Only such names are ever unlinked.
 */
bool pcleantx_name_ok(const char *name);

/* The file of POSIX object IT, or NULL for a System V one. */
const struct posix_file *pcleantx_file(const struct orphan_item *it);

/*
 * Remove the POSIX objects among the N ITEMS whose PREP is
 * CLEANTX_REMOVE, or CLEANTX_BACKUP (saved first), filling their OUTS;
 * the others are left as they are.
 */
void pcleantx_run(const struct pcleantx_effects *fx,
    const struct orphan_item *items, size_t n,
    const enum cleantx_prep *prep, struct cleantx_outcome *outs);

/* The real effects: the filesystems judged, /proc, the backup. */
struct pcleantx_sys {
	struct posixipc_opts po;
	struct cleantx_sys *backup;	/* its directory and manifest */
	/* the manifest entry of IT saved as FILE (or NULL) at AT */
	json_t *(*manifest_entry)(const struct orphan_item *it,
	    const char *file, const char *hex, int64_t at);
	sigset_t old;			/* the mask while signals are held */
	struct sigaction oldxfsz;	/* SIGXFSZ before the run */
};

/* The real effects of SYS into FX. */
void pcleantx_sys_effects(struct pcleantx_sys *sys,
    struct pcleantx_effects *fx);

#endif
