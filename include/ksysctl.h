/*
 * ksysctl.h: the runtime writer.  Writes IPC sysctls under /proc/sys as
 * one transaction: only allowlisted keys, every value validated before
 * the first write, every write read back, and on any failure the values
 * already changed are put back.  The only module that writes /proc/sys.
 */
#ifndef KSYSCTL_H
#define KSYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"

/* One sysctl to set, and what happened to it. */
struct ksysctl_change {
	enum sysctl_id id;
	uint64_t new_value[SEM_NFIELDS];
	uint64_t old_value[SEM_NFIELDS];	/* read just before writing */
	bool had_old;
	bool written;		/* a write was attempted */
	bool changed;		/* the new value is in place */
	bool restored;		/* put back after a failure */
	bool restore_failed;
};

struct ksysctl_opts {
	const char *root;	/* prefix of /proc, "" for the live kernel */
	uint64_t ipc_mni;	/* bound of shmmni, msgmni and SEMMNI */
	/*
	 * the values are ones the kernel held, to be put back as they were:
	 * negative kernel.sem fields, queues_max above INT_MAX
	 */
	bool restore;
	/* test hooks (IPCTUNE_TEST_FAULT): */
	int fail_write;		/* the N-th write fails with EIO, 0 never */
	bool bad_semmni;	/* kernel.sem is sent with SEMMNI out of range */
};

/*
 * Format the value V of sysctl ID as the kernel takes it (one line; a
 * negative kernel.sem field, sign-extended in V, and an unsigned int
 * above INT_MAX as negative numbers).
 */
void ksysctl_format(enum sysctl_id id, const uint64_t *v, char *buf,
    size_t len);

/*
 * Apply the N changes in C in order.  0 when all are in place; -1 with
 * the failure and the outcome of the restore in ERR, after every value
 * already changed was put back.
 */
int ksysctl_apply(const struct ksysctl_opts *o, struct ksysctl_change *c,
    size_t n, char *err, size_t errlen);

/*
 * Read the current value of sysctl ID into V (kernel.sem fields
 * sign-extended, sysctl_held_value()); 0 or -1 with ERR.
 */
int ksysctl_read(const struct ksysctl_opts *o, enum sysctl_id id,
    uint64_t *v, char *err, size_t errlen);

#endif
