/*
 * orphanrun.h: the orphan judge run with its real effects composed: the
 * state loaded, the process facts of procscan.c, logind's RemoveIPC=,
 * ipctune's own touch records, and the one orphan-count step 'status',
 * 'check' and 'facts' share.  It takes narrow options, never the CLI's
 * globals, prints nothing (warnings go to the caller's sink) and returns
 * errors as text.
 */
#ifndef ORPHANRUN_H
#define ORPHANRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loadstate.h"
#include "logind.h"
#include "orphan.h"
#include "procscan.h"

/* What a run needs to know of the command line. */
struct orphanrun_opts {
	struct loadstate_opts src;	/* where the state comes from */
	/* each warning, as one line of text; may be NULL */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

/* The parsed state of one run: kernel state, process facts, verdicts. */
struct orphanrun {
	struct kstate ks;
	struct procscan ps;
	struct orphan_effects fx;
	struct logind_conf logind;
	struct orphan_host host;
	bool host_loaded;	/* orphanrun_host() filled host */
	struct orphan_result r;
	/* why PIDs of the namespace may be out of sight, or NULL */
	const char *pidns_cause;
	struct orphan_touch *touches;	/* ipctune's own accesses */
	size_t ntouches;
};

/* Make RUN empty (no allocation). */
void orphanrun_init(struct orphanrun *run);
/* Free what the functions below filled in RUN. */
void orphanrun_release(struct orphanrun *run);

/*
 * Load the state with every object table (entering the namespace O
 * names), read the process facts and judge with filter F, naming the
 * attachers.  0, or -1 with the reason in ERR.
 */
int orphanrun_load(const struct orphanrun_opts *o,
    const struct orphan_filter *f, struct orphanrun *run, char *err,
    size_t errlen);

/*
 * systemd-logind's RemoveIPC= and SYS_UID_MAX of the system the
 * namespace belongs to (O's --root or --pid) into RUN->logind and
 * RUN->host.
 */
void orphanrun_host(const struct orphanrun_opts *o, struct orphanrun *run);

/*
 * Judge RUN->ks, which the caller loaded with the object tables of the
 * types F judges (the System V tables missing are read when the signs of
 * users outside the PID namespace are looked for): the real process
 * facts (procscan), logind, filter F.  ATTACHERS scans
 * every /proc/PID/maps to name the attachers; without it the verdicts
 * are the same and PID facts are cached (for counting).
 */
void orphanrun_judge(const struct orphanrun_opts *o,
    const struct orphan_filter *f, bool attachers, struct orphanrun *run);

/* The orphan counts of one judgement. */
struct orphanrun_count {
	size_t orphaned[IPC_NTYPES];
	size_t suspect[IPC_NTYPES];
	size_t unknown;
	/* what the orphans hold of their type's pool, in its unit */
	uint64_t freed[IPC_NTYPES];
};

/*
 * Count the orphans of TYPES (ORPHAN_T_* bits) in RUN->ks, judged as
 * 'orphans' judges them but without the maps scan (the verdicts do not
 * depend on it) and without keeping the items, into C.  Objects count
 * only after MIN_AGE_S.
 */
void orphanrun_count(const struct orphanrun_opts *o, unsigned types,
    uint64_t min_age_s, struct orphanrun *run, struct orphanrun_count *c);

#endif
