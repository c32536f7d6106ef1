/*
 * report.h: the fleet view over many snapshots.  Each snapshot is added
 * in turn (its kstate and model), summarised into a few numbers and then
 * freed by the caller, so memory grows with the number of hosts, never
 * with the size of their snapshots.  Pure: no I/O, no printing.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drift.h"
#include "ipctune.h"
#include "ipctype.h"
#include "model.h"

/* Most hosts kept per resource in the least-headroom lists. */
#define REPORT_TOP_MAX 100
/* Distinct values kept per sysctl; further ones count as "other". */
#define REPORT_DIST_MAX 64

/* One host (one readable snapshot), summarised. */
struct report_host {
	char *file;
	char *hostname;
	char *kernel_release;
	int64_t read_at;
	struct resource res[R_COUNT];	/* limit, used, free, ratio */
	int worst;		/* resource with the highest ratio, or -1 */
	/* what a snapshot alone tells about leaks: unattached segments */
	uint64_t unattached_shm;
	uint64_t unattached_shm_bytes;
	/* the orphan verdicts judged on the host, when the snapshot has them */
	bool has_orphans;
	uint64_t orphans[IPC_NTYPES];	/* per type */
	/* the POSIX verdicts (orphans[] of the POSIX types), if it has them */
	bool has_posix_orphans;
	uint64_t suspect[IPC_NTYPES];	/* POSIX: every user gone, too young */
	uint64_t orphan_pshm_bytes;	/* held by the orphaned shm files */
	/* the POSIX objects the snapshot lists; a type it lacks is false */
	bool has_posix[IPC_NTYPES];
	uint64_t posix_objects[IPC_NTYPES];
	uint64_t pshm_bytes;		/* allocated by the POSIX shm files */
	size_t nwarnings, ncritical;	/* the model's findings */
	char *sysctl_text[SC_COUNT];	/* normalised; NULL if absent */
	enum drift_verdict drift;	/* against the -p profiles */
	char *drift_detail;		/* what differs, or the error */
};

/* A snapshot that could not be counted, and why. */
struct report_skip {
	char *file;
	char *reason;
};

/* One entry of a least-headroom list: a host index and its ratio. */
struct report_top {
	size_t host;
	double ratio;
	uint64_t free;
};

/* How many hosts have one value of a sysctl. */
struct report_value {
	char *text;
	size_t hosts;
};

struct report_dist {
	struct report_value *values;	/* most common first after finish */
	size_t nvalues;
	size_t other;		/* hosts whose value did not fit */
	size_t missing;		/* hosts whose snapshot lacks it */
};

struct report {
	size_t top_n;		/* hosts per resource, 1..REPORT_TOP_MAX */
	struct report_host *hosts;
	size_t nhosts, caphosts;
	struct report_skip *skips;
	size_t nskips, capskips;
	struct report_top top[R_COUNT][REPORT_TOP_MAX];
	size_t ntop[R_COUNT];
	struct report_dist dist[SC_COUNT];
	size_t leaky_hosts;	/* hosts with report_leaked() > 0 */
	size_t drift_count[DRIFT_NVERDICTS];	/* hosts per verdict */
};

/* Prepare an empty report keeping TOP_N hosts per resource. */
void report_init(struct report *r, size_t top_n);
/* Free everything a report holds. */
void report_release(struct report *r);

/* Count the snapshot FILE, already loaded into KS and modelled in M. */
void report_add(struct report *r, const char *file, const struct kstate *ks,
    const struct model *m);
/*
 * Record the orphan verdicts (a count per type) the snapshot of the host
 * added last carries; they replace the unattached-segment evidence.
 */
void report_set_orphans(struct report *r,
    const uint64_t counts[IPC_NTYPES]);
/*
 * Record the POSIX verdicts of the host added last: ORPHANS and SUSPECT
 * per type (the POSIX types are read) and the bytes of its orphaned
 * shm files.  Its POSIX orphans count as leaked objects.
 */
void report_set_posix_orphans(struct report *r,
    const uint64_t orphans[IPC_NTYPES], const uint64_t suspect[IPC_NTYPES],
    uint64_t pshm_bytes);
/*
 * The leaked objects of H: its orphans if judged (System V, and POSIX
 * when it has those verdicts), else unattached segments.
 */
uint64_t report_leaked(const struct report_host *h);
/* Record how the host added last compares with the profiles. */
void report_set_drift(struct report *r, enum drift_verdict d,
    const char *detail);
/* Record that FILE could not be counted, for REASON. */
void report_add_skip(struct report *r, const char *file, const char *reason);
/*
 * The indexes of the leaky_hosts hosts with leaked objects, most first
 * (then most unattached bytes, then in order); the caller frees it.
 */
size_t *report_leaky_hosts(const struct report *r);
/* Sort the distributions; call once after the last add. */
void report_finish(struct report *r);

/* The text a sysctl value is compared by (fields single-spaced). */
void report_sysctl_text(const struct sysctl_value *v, enum sysctl_id id,
    char *buf, size_t len);

#endif
