/*
 * recommend.h: from evaluated profiles and the current kernel values to
 * one recommended value per sysctl.  Raise-only unless exact, field by
 * field for kernel.sem, the larger value where profiles disagree, clamped
 * to what the kernel accepts.  Pure: no I/O, no printing.
 */
#ifndef RECOMMEND_H
#define RECOMMEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "profile.h"

enum rec_action { REC_KEEP, REC_RAISE, REC_LOWER };

/* Names of the actions: keep, raise, lower. */
extern const char *const rec_action_names[3];

struct rec_field {
	bool has_current;
	uint64_t current;	/* as held: a negative sem field sign-extended */
	uint64_t effective;	/* what the kernel makes of it (compared) */
	uint64_t wanted;	/* the profiles' value before clamping */
	uint64_t target;	/* after clamping */
	uint64_t recommended;
	enum rec_action action;
	bool clamped;
	const char *from;	/* name of the profile that set target */
	bool has_in_use;
	uint64_t in_use;	/* what exists now, for count limits */
	bool below_usage;	/* recommended < in_use */
};

struct rec_item {
	bool present;		/* some profile sets this sysctl */
	int nfields;
	struct rec_field f[SEM_NFIELDS];
	enum rec_action action;	/* raise or lower if any field does */
	bool clamped;
	bool below_usage;
	char why[512];
};

/*
 * The size the /dev/shm tmpfs should have ([posix] dev_shm_size): the
 * largest the profiles ask for, raised only.
 */
struct rec_dev_shm {
	bool present;
	uint64_t wanted;	/* bytes */
	const char *from;	/* the profile that asks for it */
	bool has_current;
	uint64_t current;	/* the tmpfs's size now */
	enum rec_action action;	/* raise, or keep */
};

struct recommendation {
	struct rec_item item[SC_COUNT];
	struct rec_dev_shm dev_shm;
	uint64_t ipc_mni;
	bool exact;
	bool changes;		/* some item raises or lowers */
	bool below_usage;	/* some item would go below usage */
	char **warnings;
	size_t nwarnings, capwarnings;
};

/* Prepare an empty recommendation (no allocation). */
void recommend_init(struct recommendation *r);
/* Free the warnings of a recommendation. */
void recommend_release(struct recommendation *r);

/*
 * Merge the NP evaluated profiles P against the current values and usage
 * in KS into R.  EXACT writes the profiles' values even when lower.
 */
void recommend_build(const struct profile *const *p, size_t np,
    const struct kstate *ks, bool exact, struct recommendation *r);

/* What exists now that field K of ID counts; false if not a count. */
bool recommend_in_use(const struct kstate *ks, enum sysctl_id id, int k,
    uint64_t *out);
/*
 * The guard of apply and rollback: does writing VALUE over CURRENT into
 * field K of ID lower it below what is in use now (then in *IN_USE)?
 */
bool recommend_below_usage(const struct kstate *ks, enum sysctl_id id, int k,
    uint64_t current, uint64_t value, uint64_t *in_use);

#endif
