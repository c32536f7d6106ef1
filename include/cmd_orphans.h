/*
 * cmd_orphans.h: what 'orphans' shares with 'clean': the filter options
 * (one set of rows for both option tables), loading and judging the
 * state, and the text and JSON of one judged object.  Glue only.
 */
#ifndef CMD_ORPHANS_H
#define CMD_ORPHANS_H

#include <jansson.h>

#include "cli.h"
#include "logind.h"
#include "orphan.h"
#include "procscan.h"

/* Option ids shared by orphans and clean. */
enum {
	OO_TYPE = 1, OO_OWNER, OO_OLDER_THAN, OO_ID, OO_KEY, OO_MIN_AGE,
	OO_EXIT_STATUS, OO_ALL,
	OO_ALL_ORPHANS, OO_YES, OO_INCLUDE_NONEMPTY, OO_BACKUP_DIR,
	OO_INCLUDE_LOCKED,
};

/* The filter rows of both option tables. */
#define ORPHANS_FILTER_OPTS \
	{ "type", 0, required_argument, "TYPE", \
	    "only objects of TYPE: " IPCTYPE_NAMES(", ", " or ") \
	    " (repeatable)", OO_TYPE, "types" }, \
	{ "owner", 0, required_argument, "USER", \
	    "only objects owned by USER (name or uid)", OO_OWNER, "users" }, \
	{ "older-than", 0, required_argument, "AGE", \
	    "only objects unused for at least AGE (e.g. 2h, 3d)", \
	    OO_OLDER_THAN, NULL }, \
	{ "id", 0, required_argument, "ID", "only the object with id ID", \
	    OO_ID, NULL }, \
	{ "key", 0, required_argument, "KEY", \
	    "only objects with key KEY (0x hex or decimal)", OO_KEY, NULL }, \
	{ "min-age", 0, required_argument, "AGE", \
	    "semaphore arrays and unused queues count only after AGE " \
	    "(default 1h)", OO_MIN_AGE, NULL }

struct orphans_args {
	const struct command *cmd;
	struct orphan_filter f;
	bool filtered;		/* --type, --owner, --older-than, --id, --key */
	bool types_set;
	bool exit_status;
	bool all_orphans, yes, include_nonempty, include_locked;
	const char *backup_dir;
};

/* The parsed state of one run: kernel state, process facts, verdicts. */
struct orphans_run {
	struct kstate ks;
	struct procscan ps;
	struct orphan_effects fx;
	struct logind_conf logind;
	struct orphan_host host;
	bool host_loaded;	/* cmd_orphans_host() filled host */
	struct orphan_result r;
	/* why PIDs of the namespace may be out of sight, or NULL */
	const char *pidns_cause;
	struct orphan_touch *touches;	/* ipctune's own accesses */
	size_t ntouches;
};

/* Handle a shared filter option; 0 or an exit status. */
int cmd_orphans_filter_opt(struct orphans_args *a, int id, const char *arg);

/*
 * Load the state (entering --pid/--ns), read the process facts and
 * judge.  0, or an exit status after printing the error.
 */
int cmd_orphans_run(struct globals *g, const struct orphans_args *a,
    struct orphans_run *run);
/*
 * systemd-logind's RemoveIPC= and SYS_UID_MAX of the system G's namespace
 * belongs to (G's --root or --pid) into RUN->logind and RUN->host.
 */
void cmd_orphans_host(struct globals *g, struct orphans_run *run);
/*
 * Judge RUN->ks, which the caller loaded with every object table, the way
 * 'orphans' does: the real process facts (procscan), logind, filter F.
 * ATTACHERS scans every /proc/PID/maps to name the attachers; without it
 * the verdicts are the same and PID facts are cached (for counting).
 */
void cmd_orphans_judge(struct globals *g, const struct orphan_filter *f,
    bool attachers, struct orphans_run *run);
/* What the process facts of RUN could not see, as JSON. */
json_t *cmd_orphans_inspection_json(const struct orphans_run *run);
/* Free what cmd_orphans_run() or cmd_orphans_judge() filled. */
void cmd_orphans_run_release(struct orphans_run *run);

/* The object of IT as JSON: identity, verdict, reasons and evidence. */
json_t *cmd_orphans_item_json(const struct orphan_item *it);
/* The reason codes of IT, comma-separated, into BUF. */
const char *cmd_orphans_reasons(const struct orphan_item *it, char *buf,
    size_t len);
/* The size of IT in its own unit (bytes, semaphores, messages). */
const char *cmd_orphans_size(const struct orphan_item *it, bool raw,
    char *buf, size_t len);
/* An age in seconds as "3d4h", "5m" ... into BUF. */
const char *cmd_orphans_age(int64_t s, char *buf, size_t len);
/* Set KEY of O to the time T in seconds since the epoch, null for 0. */
void cmd_orphans_set_time(json_t *o, const char *key, int64_t t);
/* Set the identity and permission members the way 'list' names them. */
void cmd_orphans_set_perm(json_t *o, const struct obj_perm *p);
/*
 * Print ROOT with the array KEY of the N ITEMS streamed after it (each
 * made by ITEM_FN, or cmd_orphans_item_json), then the members of TAIL.
 * Frees ROOT and TAIL; returns an exit status.
 */
int cmd_orphans_print_json(json_t *root, const struct orphan_item *items,
    size_t n, const char *key, json_t *(*item_fn)(const struct orphan_item *,
    size_t, const void *), const void *item_ctx, json_t *tail);
/* The filter of A as JSON. */
json_t *cmd_orphans_filter_json(const struct orphans_args *a);

#endif
