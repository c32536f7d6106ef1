/*
 * orphanopts.h: the command-line half 'orphans' and 'clean' share: the
 * filter option rows (one set for both option tables), their parsing,
 * and the options of an orphan run taken from the global options.  CLI
 * layer: it parses and reports usage errors, it judges nothing.
 */
#ifndef ORPHANOPTS_H
#define ORPHANOPTS_H

#include <stdbool.h>

#include "cli.h"
#include "ipctype.h"
#include "orphan.h"
#include "orphanrun.h"

/* Option ids shared by orphans and clean. */
enum {
	OO_TYPE = 1, OO_OWNER, OO_OLDER_THAN, OO_ID, OO_KEY, OO_MIN_AGE,
	OO_EXIT_STATUS, OO_ALL,
	OO_ALL_ORPHANS, OO_YES, OO_INCLUDE_NONEMPTY, OO_BACKUP_DIR,
	OO_INCLUDE_LOCKED, OO_CREATOR,
};

/*
 * One row per filter option, so that 'list' takes the same options with
 * the same ids, value names and completion words.
 */
#define OO_ROW_TYPE \
	{ "type", 0, required_argument, "TYPE", \
	    "only objects of TYPE: " IPCTYPE_NAMES(", ", " or ") \
	    " (repeatable)", OO_TYPE, "types" }
#define OO_ROW_OWNER \
	{ "owner", 0, required_argument, "USER", \
	    "only objects owned by USER (name or uid)", OO_OWNER, "users" }
#define OO_ROW_CREATOR \
	{ "creator", 0, required_argument, "USER", \
	    "only objects created by USER (name or uid)", OO_CREATOR, \
	    "users" }
#define OO_ROW_ID \
	{ "id", 0, required_argument, "ID", "only the object with id ID", \
	    OO_ID, NULL }
#define OO_ROW_KEY \
	{ "key", 0, required_argument, "KEY", \
	    "only objects with key KEY (0x hex or decimal)", OO_KEY, NULL }

/* The filter rows of both option tables. */
#define ORPHANS_FILTER_OPTS \
	OO_ROW_TYPE, \
	OO_ROW_OWNER, \
	{ "older-than", 0, required_argument, "AGE", \
	    "only objects unused for at least AGE (e.g. 2h, 3d)", \
	    OO_OLDER_THAN, NULL }, \
	OO_ROW_ID, \
	OO_ROW_KEY, \
	{ "min-age", 0, required_argument, "AGE", \
	    "semaphore arrays and unused queues count only after AGE " \
	    "(default 1h)", OO_MIN_AGE, NULL }

/* What the options of 'orphans' and 'clean' set. */
struct orphans_args {
	const struct command *cmd;
	struct orphan_filter f;
	bool filtered;		/* a filter option other than --min-age */
	bool types_set;
	bool exit_status;
	bool all_orphans, yes, include_nonempty, include_locked;
	const char *backup_dir;
};

/* Handle a shared filter option; 0 or an exit status. */
int orphanopts_filter(struct orphans_args *a, int id, const char *arg);

/*
 * A usage error if A has --id or --key while TYPES (an IPC_TYPE_BIT
 * set, 0 for every type) holds POSIX types only; else 0.
 */
int orphanopts_types_check(const struct orphans_args *a, unsigned types);

/*
 * The options of an orphan run under G: where the state comes from
 * (--root, --pid, --ns, --from), and warnings to stderr unless -q.
 */
void orphanopts_run(struct globals *g, struct orphanrun_opts *o);

/*
 * Judge RUN->ks, loaded with every object table, with filter F under
 * G's options, as orphanrun_judge() does.
 */
void orphanopts_judge(struct globals *g, const struct orphan_filter *f,
    bool attachers, struct orphanrun *run);

/*
 * Fill O as orphanopts_run() does, then load the state and judge it
 * with filter F, naming the attachers, into RUN.  0, or an exit status
 * after reporting the error (RUN then holds nothing).
 */
int orphanopts_load(struct globals *g, const struct orphan_filter *f,
    struct orphanrun_opts *o, struct orphanrun *run);

#endif
