/*
 * profcmd.h: the glue the profile commands share (profiles, recommend,
 * apply, verify): their common options, the profile search path built
 * from the environment and the build tree, and loading plus evaluating
 * the -p profiles against the kernel state.  Prints nothing.
 */
#ifndef PROFCMD_H
#define PROFCMD_H

#include <stdbool.h>
#include <stddef.h>

#include <getopt.h>
#include <jansson.h>

#include "applytx.h"
#include "cli.h"
#include "platform.h"
#include "profile.h"
#include "profstore.h"
#include "recommend.h"

/* Option ids shared by the profile commands. */
enum profcmd_opt {
	PO_PROFILE = 100, PO_SET, PO_PROFILE_DIR, PO_EXACT, PO_FORCE,
	PO_DRY_RUN, PO_RUNTIME, PO_PERSIST, PO_DROPIN, PO_SYSCTL_ROOT,
	PO_FOR,
};

#define PROFCMD_OPT_PROFILE \
	{ "profile", 'p', required_argument, "NAME", \
	    "a workload profile (repeatable: the larger value wins)", \
	    PO_PROFILE, "profiles" }
#define PROFCMD_OPT_SET \
	{ "set", 0, required_argument, "NAME=EXPR", \
	    "override a profile variable (repeatable)", PO_SET, NULL }
#define PROFCMD_OPT_PROFILE_DIR \
	{ "profile-dir", 0, required_argument, "DIR", \
	    "also look for profiles in DIR (searched last, wins)", \
	    PO_PROFILE_DIR, "dirs" }
#define PROFCMD_OPT_EXACT \
	{ "exact", 0, no_argument, NULL, \
	    "use the profile values even where they are lower", PO_EXACT, \
	    NULL }
#define PROFCMD_OPT_SYSCTL_ROOT \
	{ "sysctl-root", 0, required_argument, "DIR", \
	    "resolve sysctl.d files under DIR instead of /", \
	    PO_SYSCTL_ROOT, "dirs" }
#define PROFCMD_OPT_DROPIN \
	{ "dropin", 0, required_argument, "PATH", \
	    "the drop-in file (default " \
	    "/etc/sysctl.d/zz-ipctune.conf)", PO_DROPIN, "files" }

#define PROFCMD_OPT_FOR \
	{ "for", 0, required_argument, "PLATFORM", \
	    "the change for docker, compose, kubernetes or podman", \
	    PO_FOR, "platforms" }

#define PROFCMD_MAX_PROFILES 16
#define PROFCMD_MAX_SETS 64
#define PROFCMD_MAX_DIRS 16

struct profcmd {
	const char *names[PROFCMD_MAX_PROFILES];
	size_t nnames;
	struct profile_set sets[PROFCMD_MAX_SETS];
	char *set_buf[PROFCMD_MAX_SETS];
	size_t nsets;
	const char *extra_dirs[PROFCMD_MAX_DIRS];
	size_t nextra;
	bool exact, force, dry_run, runtime, persist;
	const char *dropin;
	const char *sysctl_root;
	bool for_set;		/* --for PLATFORM */
	enum platform_form platform;
	/* filled by profcmd_search */
	const char *dirs[PROFCMD_MAX_DIRS + 8];
	char *dir_buf[PROFCMD_MAX_DIRS + 8];
	size_t ndirs;
	struct profile_search search;
	/* filled by profcmd_load */
	struct profile *profiles[PROFCMD_MAX_PROFILES];
	size_t nprofiles;
};

/*
 * The change R makes, in the form of PC's --for platform: every sysctl R
 * sets and a /dev/shm size from what KS's namespace uses (never less than
 * it has when that is another namespace, a container's).  A new buffer.
 */
char *profcmd_platform(const struct profcmd *pc,
    const struct recommendation *r, const struct kstate *ks);

/* Prepare an empty profcmd (no allocation). */
void profcmd_init(struct profcmd *pc);
/* Free what a profcmd holds. */
void profcmd_release(struct profcmd *pc);

/* Handle a shared option; 0, or -1 with the usage error in ERR. */
int profcmd_option(struct profcmd *pc, int id, const char *arg, char *err,
    size_t errlen);
/*
 * Handle a shared option for cli_parse() (CTX is the struct profcmd);
 * 0, or the status of the usage error it printed.
 */
int profcmd_opt_handler(const struct command *self, int id,
    const char *arg, void *ctx);

/*
 * Build the search path: $IPCTUNE_PROFILE_PATH, else the build tree's
 * profiles/ when run from it, else the installed data directory; then
 * the system configuration directory; then --profile-dir.
 */
void profcmd_search(struct profcmd *pc);

/* Load and evaluate the -p profiles against KS; 0 or -1 with ERR. */
int profcmd_load(struct profcmd *pc, const struct kstate *ks, char *err,
    size_t errlen);

/* Fill the expression facts from KS. */
void profcmd_facts(const struct kstate *ks, struct profile_facts *f);

/* "a, b" of the loaded profiles' names into BUF. */
const char *profcmd_names(const struct profcmd *pc, char *buf, size_t len);
/* "x=1 (--set), y=2" of the variables of the loaded profiles. */
const char *profcmd_vars(const struct profcmd *pc, char *buf, size_t len);

/*
 * The state directory from the environment (IPCTUNE_STATE_DIR,
 * STATE_DIRECTORY, XDG_STATE_HOME, HOME) and the effective uid.
 */
int profcmd_state_dir(char *buf, size_t len, char *err, size_t errlen);

/* Set KEY of OBJ to the value V of sysctl ID (an object for kernel.sem). */
void profcmd_json_value(json_t *obj, const char *key, enum sysctl_id id,
    const uint64_t *v);

/* Each warning of an apply or rollback W, on stderr unless quiet. */
void profcmd_warnings(const struct globals *g,
    const struct applytx_warnings *w);

/* The recommendation R as a JSON array, one object per sysctl. */
json_t *profcmd_rec_json(const struct recommendation *r,
    const struct kstate *ks);

#endif
