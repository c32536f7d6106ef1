/*
 * plan.h: capacity what-if for K more instances of a workload.  The
 * profile's per-instance [demand] on top of today's usage gives, per
 * limit, the value K instances need and how many instances the limit
 * allows; fit.c, the kernel's own checks, says how many fit now.  Pure:
 * const input, result out; it reads and writes nothing.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fit.h"
#include "ipctune.h"
#include "profile.h"

/* What one instance consumes, from a profile's [demand]. */
struct plan_demand {
	bool has[D_COUNT];
	uint64_t v[D_COUNT];
};

/* The limits a demand can run into, in the order the kernel checks. */
enum plan_limit {
	PL_SHMMAX, PL_SHMALL, PL_SHMMNI,
	PL_SEMMSL, PL_SEMMNS, PL_SEMMNI, PL_SEMOPM,
	PL_MSGMNI, PL_MSGMNB,
	PL_MQ_QUEUES,
	PL_COUNT
};

struct plan_limit_desc {
	const char *name;	/* the resource name: shmall, semmns */
	enum sysctl_id sysctl;
	int field;		/* kernel.sem field, else 0 */
	const char *unit;	/* of current, used, per instance, needed */
	bool per_object;	/* caps each object: K does not matter */
	const char *call;	/* the call that fails: shmget, mq_open */
	const char *errname;	/* and its errno: ENOSPC, EINVAL */
};

/* The limit table, indexed by enum plan_limit. */
extern const struct plan_limit_desc plan_limit_table[PL_COUNT];

enum plan_action { PA_KEEP, PA_RAISE, PA_BEYOND, PA_NACTIONS };

/* Names of the actions: keep, raise, beyond_max. */
extern const char *const plan_action_names[PA_NACTIONS];

/* One limit against the demand. */
struct plan_row {
	bool applies;		/* the demand uses this limit */
	bool has_current;
	uint64_t current;	/* the sysctl now, as sysctl_held_value */
	uint64_t effective;	/* sysctl_effective, capped to IPCMNI */
	bool has_used;
	uint64_t used;		/* usage now (count limits) */
	bool used_unknown;	/* POSIX queues not countable: taken as 0 */
	uint64_t per_instance;	/* demand of one instance, in unit */
	bool needed_overflow;	/* beyond 2^64 */
	uint64_t needed;	/* the smallest value K more instances need */
	uint64_t max;		/* the largest value the kernel accepts */
	enum plan_action action;
	bool unlimited;		/* allows any number of instances */
	uint64_t instances;	/* instances this limit alone allows now */
};

struct plan_result {
	uint64_t k;		/* instances asked for */
	uint64_t page_size;
	uint64_t ipc_mni;
	bool has_shm;
	uint64_t shm_segments;	/* per instance (at least 1 with bytes) */
	uint64_t shm_segment_bytes;	/* each: shm_bytes / segments, up */
	uint64_t shm_segment_pages;	/* each, rounded up (newseg()) */
	struct plan_row rows[PL_COUNT];
	/* the limits that apply, fewest instances first (kernel order) */
	enum plan_limit order[PL_COUNT];
	size_t norder;
	bool fits_unlimited;	/* no limit bounds the number */
	uint64_t fits;		/* instances that fit now */
	uint64_t fits_sysv;	/* of which fit.c's System V calls allow */
	/* what the first instance beyond FITS runs into */
	bool has_next;
	const char *next_call;	/* shmget, semget, semop, msgget, ... */
	const char *next_errname;
	int next_errno;
	const char *next_limit;	/* resource name, as in rows */
	char next_text[320];	/* fit_explain() of that call, or empty */
};

/* Largest number of instances plan looks at before saying "unlimited". */
#define PLAN_MAX_INSTANCES (1ull << 40)

/*
 * The fit.c request for N instances of D, with pages of PAGE_SIZE bytes.
 * 0, or -1 when the counts overflow (such a request never fits).
 */
int plan_request(const struct plan_demand *d, uint64_t n,
    uint64_t page_size, struct fit_request *req);

/*
 * Plan K more instances of D in the state KS (sysctls and usage): fills
 * R.  0, or -1 with a message in ERR when KS lacks what is needed or D
 * demands nothing.
 */
int plan_build(const struct kstate *ks, const struct plan_demand *d,
    uint64_t k, struct plan_result *r, char *err, size_t errlen);

/*
 * Does one instance of profile P's [demand] fit on top of what KS has in
 * use, under the values REC leaves (its recommended values; NULL: the
 * current ones)?  true when it fits or P demands nothing; false with the
 * limit it runs into, its usage and the instance's need in TEXT.
 */
struct recommendation;
bool plan_room(const struct kstate *ks, const struct profile *p,
    const struct recommendation *rec, char *text, size_t len);
/*
 * Fill the sysctls of profile P (initialised, named by the caller) with
 * what R needs: for every sysctl a row applies to, the needed value, and
 * for kernel.sem the current value of the fields no row needs.  Fed to
 * recommend_build(), it gives the raise-only values apply writes.
 */
void plan_profile(const struct plan_result *r, const struct kstate *ks,
    struct profile *p);

/*
 * Read the "sysctls" of a 'plan --format json' document TEXT into the
 * sysctls of profile P (initialised by the caller), the recommended
 * value of each; only IPC keys are accepted.  The profile the plan was
 * made from goes into FROM.  0, or -1 with a message in ERR.
 */
int plan_read(const char *text, size_t len, struct profile *p, char *from,
    size_t fromlen, char *err, size_t errlen);

#endif
