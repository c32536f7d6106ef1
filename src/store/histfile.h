/*
 * histfile.h: the history file on disk.  The writer side of history.c:
 * appends serialised by a lock file, one write() per line, repair of a
 * torn last line, and retention and compaction by an atomic rewrite.
 * Nothing here prints.
 */
#ifndef HISTFILE_H
#define HISTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "history.h"

/* The history file name inside the state directory. */
#define HISTFILE_NAME "history.jsonl"
/* Run retention and compaction at most this often (seconds). */
#define HISTFILE_MAINT_INTERVAL 86400
/* Give up waiting for the lock after this many seconds. */
#define HISTFILE_LOCK_TIMEOUT 60

struct histfile_policy {
	int64_t now;		/* the reference time for retention */
	int64_t keep_s;		/* drop samples older than this */
	int64_t compact_s;	/* hourly beyond this age */
	bool force;		/* maintain now, whatever the last run */
};

/* What an append did besides appending. */
struct histfile_report {
	bool repaired;		/* last line was torn: new line begun */
	bool maintained;	/* retention and compaction ran */
	bool rewritten;		/* ... and the file was rewritten */
	size_t before, after;	/* samples before and after the rewrite */
	uint64_t dropped_bad;	/* garbage lines dropped by the rewrite */
};

/*
 * Append sample S to the history PATH (created 0644 if missing) under
 * the lock PATH.lock, then run retention and compaction if due.  0, or
 * -1 with a message in ERR.
 */
int histfile_append(const char *path, const struct hist_sample *s,
    const struct histfile_policy *p, struct histfile_report *rep, char *err,
    size_t errlen);

/* Read the history PATH into H (unsorted).  0, or -1 with a message. */
int histfile_load(const char *path, struct history *h, char *err,
    size_t errlen);

#endif
