/*
 * drift.h: whether sysctl values comply with the profiles' targets, the
 * one judgement 'verify' makes of the running and next-boot values and
 * 'report' makes of each host's snapshot.  Pure: const inputs, a result
 * filled in; no I/O, no printing, no globals.
 */
#ifndef DRIFT_H
#define DRIFT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "recommend.h"
#include "sysctld.h"

/* How one host compares with the profiles, as a whole. */
enum drift_verdict {
	DRIFT_UNCHECKED,	/* no profile given */
	DRIFT_COMPLIANT,	/* every value at least the profile's */
	DRIFT_DRIFT,		/* some value would have to change */
	DRIFT_ERROR,		/* the profile could not be evaluated there */
	DRIFT_NVERDICTS
};

/* The boot-time view of one key under one rule set. */
struct drift_boot {
	bool set;		/* a line sets it (else the kernel default) */
	char file[PATH_MAX];	/* that line's file and line number */
	int line;
	uint64_t v[SEM_NFIELDS];	/* what the kernel holds after boot */
	bool rejected;		/* the kernel refuses the line at boot */
	char reason[160];	/* why */
	char why[400];		/* ...; the kernel keeps X */
	bool ok;
};

/* One sysctl some profile sets. */
struct drift_item {
	bool present;		/* some profile sets this sysctl */
	int nfields;
	uint64_t target[SEM_NFIELDS];	/* the profiles' value, clamped */
	bool has_running;	/* the host has the sysctl at all */
	uint64_t running[SEM_NFIELDS];
	bool field_ok[SEM_NFIELDS];	/* the running value, per field */
	bool running_ok;
	struct drift_boot boot[SYSCTLD_NRULES];	/* when boot_judged */
	bool ok;		/* running and, if judged, both boots */
};

struct drift_result {
	bool boot_judged;	/* next-boot plans were given */
	bool exact;
	struct drift_item item[SC_COUNT];
	bool compliant;		/* every present item ok */
};

/*
 * The one rule: the value HAVE of sysctl ID complies with TARGET (the
 * profiles' value, clamped) when every field is at least TARGET's, or
 * equal with EXACT.  A file read after the drop-in that sets a key above
 * the profile's value complies; one that sets it below, cancels it to a
 * lower default, or is rejected by the kernel (the value then kept
 * decides) does not.
 */
bool drift_complies(enum sysctl_id id, const uint64_t *have,
    const uint64_t *target, bool exact);

/*
 * Judge the sysctls R sets: the values of KS and, when PLANS is not NULL
 * (SYSCTLD_NRULES of them), what the next boot under each rule set
 * leaves.  EXACT as in drift_complies().
 */
void drift_judge(const struct recommendation *r, const struct kstate *ks,
    const struct sysctld_plan *plans, bool exact, struct drift_result *d);

/* DRIFT_COMPLIANT or DRIFT_DRIFT for the running values of D. */
enum drift_verdict drift_verdict_of(const struct drift_result *d);

/*
 * What would have to change in the running values of D, e.g.
 * "kernel.sem.semopm 32 -> 100, fs.mqueue.queues_max unset 0 -> 256",
 * into BUF ("" when nothing).
 */
const char *drift_detail(const struct drift_result *d, char *buf,
    size_t len);

/*
 * The status of IT, judged with next-boot plans: "ok", or "drift:" and
 * where: " running", " boot(systemd-sysctl)", " boot(sysctl --system)",
 * " rejected".
 */
const char *drift_item_status(const struct drift_item *it, char *buf,
    size_t len);

#endif
