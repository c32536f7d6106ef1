/*
 * profile.h: workload profiles.  A profile is a small INI file ([main],
 * [variables], [sysctl], [demand], [posix]) found on a search path, with
 * includes;
 * its values are expressions over host facts, current sysctl values and
 * the profile's variables.  Parsing and evaluation are pure; profstore.h
 * finds and reads the files.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"

/* Largest profile file accepted, in bytes. */
#define PROFILE_MAX_BYTES (256 * 1024)
/* Deepest chain of includes accepted. */
#define PROFILE_MAX_INCLUDE_DEPTH 16

/* What one instance of a workload consumes ([demand]), for the planner. */
enum demand_id {
	D_SHM_SEGMENTS,		/* System V segments */
	D_SHM_BYTES,		/* bytes of shared memory */
	D_SEM_ARRAYS,		/* semaphore sets */
	D_SEMS_PER_ARRAY,	/* semaphores in each set */
	D_SEMOP_OPS,		/* operations per semop() call */
	D_MSG_QUEUES,		/* message queues */
	D_MSG_BYTES,		/* bytes queued per queue */
	D_MQ_QUEUES,		/* POSIX message queues */
	D_COUNT
};

/* Names of the [demand] keys, indexed by enum demand_id. */
extern const char *const profile_demand_names[D_COUNT];

/* The facts an expression may name besides variables and sysctls. */
enum fact_id { F_RAM_BYTES, F_RAM_GIB, F_PAGE_SIZE, F_NCPU, F_SWAP_BYTES,
    F_COUNT };

struct fact_desc {
	const char *name;
	const char *help;
};

/* The facts table, indexed by enum fact_id. */
extern const struct fact_desc profile_fact_table[F_COUNT];

/* Where a value was written. */
struct profile_loc {
	const char *file;	/* points into struct profile files[] */
	int line;
	int col;		/* column where the value starts */
};

struct profile_var {
	char *name;
	char *expr;
	struct profile_loc loc;
	bool from_set;		/* overridden by --set */
	bool evaluated;
	uint64_t value;
	char subst[256];
};

struct profile_sysctl {
	bool present;
	int nfields;		/* 4 for kernel.sem, else 1 */
	char *text;		/* the value as written */
	char *expr[SEM_NFIELDS];
	int expr_col[SEM_NFIELDS];	/* column of each field in the line */
	struct profile_loc loc;
	uint64_t value[SEM_NFIELDS];
	char subst[SEM_NFIELDS][256];
};

struct profile_demand {
	bool present;
	char *expr;
	struct profile_loc loc;
	uint64_t value;
	char subst[256];
};

struct profile_include {
	char *name;
	struct profile_loc loc;
};

struct profile {
	char *name;
	char *path;
	char *summary, *description, *source;
	char **files;		/* every file read, includes first */
	size_t nfiles, capfiles;
	struct profile_include *includes;	/* of the file being parsed */
	size_t nincludes, capincludes;
	struct profile_var *vars;
	size_t nvars, capvars;
	struct profile_sysctl sysctl[SC_COUNT];
	struct profile_demand demand[D_COUNT];
	struct profile_demand dev_shm;	/* [posix] dev_shm_size, bytes */
	bool evaluated;
};

/* Values of the facts and the current sysctls, for the evaluation. */
struct profile_facts {
	uint64_t ram_bytes;
	uint64_t page_size;
	uint64_t ncpu;
	bool has_swap;		/* 0 bytes of swap is a value */
	uint64_t swap_bytes;
	const struct sysctl_value *sysctl;	/* SC_COUNT entries, or NULL */
};

/* One --set NAME=EXPR. */
struct profile_set {
	const char *name;
	const char *expr;
	bool used;		/* set when a profile defines NAME */
};

/* Prepare an empty profile (no allocation). */
void profile_init(struct profile *p);
/* Free what a profile holds. */
void profile_release(struct profile *p);
/* Free a profile and its contents. */
void profile_free(struct profile *p);

/*
 * Parse the text of one profile file named FILE into P, over what P holds
 * already; includes are collected in P->includes, not followed.  0, or -1
 * with "FILE:LINE: ..." in ERR.
 */
int profile_parse_string(struct profile *p, const char *text, size_t len,
    const char *file, char *err, size_t errlen);

/*
 * Evaluate the variables (with SETS applied), the sysctls and the demand
 * of P against FACTS.  0, or -1 with "FILE:LINE:COL: ..." in ERR.
 */
int profile_evaluate(struct profile *p, const struct profile_facts *f,
    struct profile_set *sets, size_t nsets, char *err, size_t errlen);

/*
 * Is NAME a key a profile may set?  0 with *IDP, or -1 with the reason in
 * ERR (not an IPC sysctl, not writable, a malformed name).
 */
int profile_check_key(const char *name, enum sysctl_id *idp, char *err,
    size_t errlen);

/*
 * Merge SRC, read after DST (an include before its includer), into DST:
 * later values win; SRC's contents move to DST.
 */
void profile_merge(struct profile *dst, struct profile *src);
/* Is S a profile name (letters, digits, '-', '_', '.'; no "..")? */
bool profile_valid_name(const char *s);
/* RAM in GiB as the facts round it: nearest, at least 1. */
uint64_t profile_ram_gib(uint64_t ram_bytes);

#endif
