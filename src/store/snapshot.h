/*
 * snapshot.h: a snapshot document back into a kstate, so every reading
 * command can analyse another host.  snapwrite.h writes the document.
 */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <jansson.h>
#include <stdio.h>

#include "ipctune.h"
#include "ipctype.h"
#include "model.h"


/* Load a snapshot document from PATH ("-" for stdin) into KS. */
int snapshot_load(const char *path, struct kstate *ks, char *err,
    size_t errlen);
/* Why a snapshot could not be loaded. */
enum snapshot_errkind {
	SNAPSHOT_EREAD,		/* the file could not be read (errno kept) */
	SNAPSHOT_EMALFORMED,	/* not a snapshot this ipctune reads */
};
struct snapshot_error {
	enum snapshot_errkind kind;
	char detail[640];	/* what went wrong, without the file name */
};

/* What a snapshot document carries beyond the kstate. */
struct snapshot_extra {
	bool has_orphans;	/* the verdicts 'snapshot' judged on the host */
	uint64_t orphans[IPC_NTYPES];	/* per type */
	/* the POSIX verdicts, absent from snapshots of older versions */
	bool has_posix_orphans;
	uint64_t suspect[IPC_NTYPES];	/* POSIX types: under the grace age */
	uint64_t orphan_pshm_bytes;	/* held by the orphaned shm files */
};

/*
 * Load a snapshot document from PATH ("-" for stdin) into KS and, if X
 * is not NULL, what else it carries into X.  0, or -1 with E filled.
 * Threads may read side by side; each keeps a parsing arena.
 */
int snapshot_read(const char *path, struct kstate *ks,
    struct snapshot_extra *x, struct snapshot_error *e);
/* Set up what the readers share: before starting threads that read. */
void snapshot_read_prepare(void);
/* Free the calling thread's parsing arena (before a thread ends). */
void snapshot_read_release(void);
/* Load a snapshot from an already parsed document. */
int snapshot_from_json(json_t *doc, struct kstate *ks, char *err,
    size_t errlen);

#endif
