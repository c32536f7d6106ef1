/*
 * sysctld.h: what the next boot will set.  Orders the sysctl.d(5) files,
 * parses their text and resolves, per key, which file wins under
 * systemd-sysctl's rules and under procps 'sysctl --system' rules (which
 * also read /etc/sysctl.conf, last), and what the kernel then holds.
 * Pure: the listings and texts come from sysctld_load.h.
 */
#ifndef SYSCTLD_H
#define SYSCTLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"

enum sysctld_rules { SYSCTLD_SYSTEMD, SYSCTLD_PROCPS, SYSCTLD_NRULES };

/* Names of the rule sets: "systemd-sysctl", "sysctl --system". */
extern const char *const sysctld_rules_names[SYSCTLD_NRULES];

/* The sysctl.d directories, strongest first: a name here hides below. */
#define SYSCTLD_NDIRS 5
extern const char *const sysctld_dirs[SYSCTLD_NDIRS];

struct sysctld_file {
	char *path;		/* as shown: without the root prefix */
	char *basename;
	bool is_extra;		/* the drop-in about to be written */
	bool masked;		/* a link to /dev/null */
};

struct sysctld_assign {
	char *key;		/* normalised to dots */
	char *value;		/* whitespace collapsed to single spaces */
	size_t file;		/* index into files */
	int line;
	bool glob;		/* the key has * ? or [ */
	bool exclude;		/* "-key" with no value: not for globs */
	bool ignore_failure;	/* "-key = value" */
};

/* The files one rule set applies at boot, in order, and what they set. */
struct sysctld_plan {
	enum sysctld_rules rules;
	struct sysctld_file *files;
	size_t nfiles, capfiles;
	struct sysctld_assign *assigns;
	size_t nassigns, capassigns;
	bool extra_read;	/* the extra file is read at boot */
	char *extra_shadowed_by;	/* same name in a stronger directory */
};

/* Who sets one key at boot. */
struct sysctld_winner {
	bool set;
	bool cancelled;		/* not set: a later "-key" (file, line) */
	const char *file;
	int line;
	const char *value;
	bool is_extra;
};

/* Prepare an empty plan (no allocation). */
void sysctld_plan_init(struct sysctld_plan *plan);
/* Free what a plan holds. */
void sysctld_plan_release(struct sysctld_plan *plan);

/* The entries found in one of sysctld_dirs, in any order. */
struct sysctld_dirlist {
	const char *const *names;	/* every entry: the plan picks *.conf */
	size_t nnames;
	bool holds_extra;	/* the file about to be written goes here */
};

/*
 * Start PLAN with the files RULES reads at boot, in order, from DIRS
 * (the listing of sysctld_dirs[d] in DIRS[d]): *.conf names not starting
 * with a dot, a name in a stronger directory hiding the same name in a
 * weaker one, sorted by name; procps then reads /etc/sysctl.conf.
 * EXTRA_BASE (or NULL) names the file about to be written, in the
 * directory that holds_extra, or /etc/sysctl.conf with EXTRA_IN_ETC: it
 * is a file of the plan (is_extra) or extra_shadowed_by names the file
 * hiding it.  The files have no assignments yet: see sysctld_parse().
 */
void sysctld_plan_files(struct sysctld_plan *plan, enum sysctld_rules rules,
    const struct sysctld_dirlist *dirs, const char *extra_base,
    bool extra_in_etc);

/*
 * Parse the sysctl.d text of file index FILE into PLAN's assignments
 * (sysctl.d(5): # and ; comments, optional leading '-', first '=').
 */
void sysctld_parse(struct sysctld_plan *plan, size_t file, const char *text);

/* Resolve which assignment of KEY takes effect last at boot. */
void sysctld_winner(const struct sysctld_plan *plan, const char *key,
    struct sysctld_winner *w);

/*
 * What the kernel holds after a loader writes the value TEXT of sysctl ID
 * (both loaders write the text as it stands, trailing "# note"
 * included, and the kernel parses it).  BEFORE is what it held; IPC_MNI
 * the bound of the *mni limits.
 */
struct sysctld_kvalue {
	uint64_t v[SEM_NFIELDS];	/* held after the write */
	int nset;		/* leading fields the write set */
	bool rejected;		/* the write fails: EINVAL */
	char why[160];		/* why it is rejected */
};
void sysctld_kernel_value(enum sysctl_id id, const char *text,
    uint64_t ipc_mni, const uint64_t *before, struct sysctld_kvalue *kv);

/*
 * What the kernel holds after boot for sysctl ID, whose winner in PLAN
 * is W (set), starting from BEFORE.  systemd-sysctl writes only the
 * winning line; procps writes every line of the key in order, so a
 * rejected last line leaves the value an earlier line wrote.
 */
void sysctld_boot_value(const struct sysctld_plan *plan, enum sysctl_id id,
    const struct sysctld_winner *w, uint64_t ipc_mni, const uint64_t *before,
    struct sysctld_kvalue *kv);

/*
 * What the next boot under PLAN leaves in sysctl ID: the winning line in
 * W (w->set false: no line, KV the kernel's default) and in KV what the
 * kernel holds after the loader wrote it.  True when the kernel rejects
 * that line; TEXT then gets "WHY: this line will be rejected at boot;
 * the kernel keeps X".
 */
bool sysctld_next_boot(const struct sysctld_plan *plan, enum sysctl_id id,
    uint64_t ipc_mni, struct sysctld_winner *w, struct sysctld_kvalue *kv,
    char *text, size_t textlen);

/* Collapse runs of blanks in S into single spaces (in place). */
void sysctld_normalize_value(char *s);

#endif
