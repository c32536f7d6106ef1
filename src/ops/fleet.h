/*
 * fleet.h: finding and loading the snapshots of a fleet, the operands of
 * 'report': files, standard input and directories walked for *.json,
 * each file counted once.  What could not be walked or loaded comes back
 * as data for the caller to list; nothing here prints.
 */
#ifndef FLEET_H
#define FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ipctune.h"
#include "snapshot.h"

/* A directory that could not be walked, and why. */
struct fleet_skip {
	char *path;
	char *reason;
};

/* A file already listed: the same file under two names counts once. */
struct fleet_id {
	dev_t dev;
	ino_t ino;
};

struct fleet {
	char **paths;		/* the snapshot files, in the order found */
	size_t npaths, cappaths;
	struct fleet_skip *skips;	/* in the order met */
	size_t nskips, capskips;
	struct fleet_id *ids;
	size_t nids, capids;
};

/* Prepare an empty fleet (no allocation). */
void fleet_init(struct fleet *f);
/* Free what a fleet holds. */
void fleet_release(struct fleet *f);

/*
 * Add the operand ARG: "-" (standard input), a file (followed, as the
 * user named it), or a directory whose *.json files are added depth
 * first in name order without following links to directories.
 */
void fleet_add(struct fleet *f, const char *arg);

/*
 * Load snapshot I of F into KS (released by the caller) and what else it
 * carries into X; 0, or -1 with E filled and KS left empty.
 */
int fleet_load(const struct fleet *f, size_t i, struct kstate *ks,
    struct snapshot_extra *x, struct snapshot_error *e);

/*
 * What fleet_each() hands over for snapshot I: RC and the rest as
 * fleet_load() left them; KS is the callee's to release.
 */
typedef void fleet_each_fn(void *ctx, size_t i, int rc, struct kstate *ks,
    const struct snapshot_extra *x, const struct snapshot_error *e);

/*
 * Load every snapshot of F and call FN with each, in order, on the
 * calling thread.  Up to NTHREADS threads (1: none) parse ahead, at
 * most a few dozen snapshots ahead of FN.
 */
void fleet_each(const struct fleet *f, unsigned nthreads, fleet_each_fn *fn,
    void *ctx);
/* The threads worth parsing with here: the CPUs this process may use. */
unsigned fleet_threads(void);

#endif
