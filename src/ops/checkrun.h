/*
 * checkrun.h: the judgement of 'check' (thresholds, orphaned objects,
 * logind's RemoveIPC=, the forecast), which 'facts' shares so that both
 * give the same verdict, and the state it reads under the scan policy
 * of loadstate.h.  Ops: narrow options, no printing, errors as text.
 */
#ifndef CHECKRUN_H
#define CHECKRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "monplugin.h"
#include "orphanrun.h"

/* What check judges, as its options set it. */
struct checkrun_args {
	struct mp_opts o;
	uint64_t forecast_days;
	bool forecast_set;
	bool no_orphans;
	uint64_t orphan_min_age_s;
	unsigned timeout_s;		/* -t: 0 for none */
	bool all_ns;			/* --all-namespaces */
	char err[512];
};

/* The defaults of 'check' without options. */
void checkrun_defaults(struct checkrun_args *a);

/* Are orphaned objects judged under O and A (then every object is read)? */
bool checkrun_wants_orphans(const struct orphanrun_opts *o,
    const struct checkrun_args *a);

/*
 * Does 'check' under O and A read every object table?  For orphans, and
 * on the live kernel for logind's RemoveIPC=, whose settings it loads
 * into RUN->host.
 */
bool checkrun_wants_objects(const struct orphanrun_opts *o,
    const struct checkrun_args *a, struct orphanrun *run);

/*
 * Read the state 'check' judges into RUN->ks: the counters, the objects
 * of the rows A selects (up to LOADSTATE_SCAN_MAX of a type), or every
 * object when EVERY.  0, or -1 with the reason in ERR (RUN->ks released).
 */
int checkrun_load(const struct orphanrun_opts *o,
    const struct checkrun_args *a, bool every, struct orphanrun *run,
    char *err, size_t errlen);

/*
 * Judge M, built from RUN->ks (read with every object table when
 * checkrun_wants_orphans), into RES as 'check' does.  0, with a note
 * line (or "") in NOTE; or -1 when the verdict is UNKNOWN, the reason in
 * NOTE.  *ORPHANS tells whether RUN holds judged orphans.
 */
int checkrun_judge(const struct orphanrun_opts *o,
    const struct checkrun_args *a, struct orphanrun *run,
    const struct model *m, struct mp_result *res, bool *orphans,
    char *note, size_t notelen);

#endif
