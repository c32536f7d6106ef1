/*
 * cmd_check.h: the judgement of 'check' (thresholds, orphaned objects,
 * the forecast), which 'facts' shares so both give the same verdict.
 * Glue only.
 */
#ifndef CMD_CHECK_H
#define CMD_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "cmd_orphans.h"
#include "model.h"
#include "monplugin.h"

/* What check judges, as its options set it. */
struct check_args {
	struct mp_opts o;
	uint64_t forecast_days;
	bool forecast_set;
	bool no_orphans;
	uint64_t orphan_min_age_s;
	unsigned timeout_s;		/* -t: 0 for none */
	char err[512];
};

/* The defaults of 'check' without options. */
void cmd_check_defaults(struct check_args *a);

/* Are orphaned objects judged with G and A (then every object is read)? */
bool cmd_check_wants_orphans(const struct globals *g,
    const struct check_args *a);

/*
 * Does 'check' with G and A read every object table?  For orphans, and
 * on the live kernel for logind's RemoveIPC=, whose settings it loads
 * into RUN->host.
 */
bool cmd_check_wants_objects(struct globals *g, const struct check_args *a,
    struct orphans_run *run);

/*
 * Judge M, built from RUN->ks (read with every object table when
 * cmd_check_wants_orphans), into RES as 'check' does.  0, with a note
 * line (or "") in NOTE; or -1 when the verdict is UNKNOWN, the reason in
 * NOTE.  *ORPHANS tells whether RUN holds judged orphans.
 */
int cmd_check_judge(struct globals *g, const struct check_args *a,
    struct orphans_run *run, const struct model *m, struct mp_result *res,
    bool *orphans, char *note, size_t notelen);

#endif
