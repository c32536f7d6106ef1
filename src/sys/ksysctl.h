/*
 * ksysctl.h: the runtime writer.  Reads and writes the IPC sysctls under
 * /proc/sys one key at a time, and says whether a value is one the kernel
 * takes.  The only module that writes /proc/sys; the transaction over
 * several keys (order, read back, undo) is applytx.h's.
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
};

/*
 * Is the new value of C one the kernel takes (an allowlisted key, each
 * field within the kernel's bounds under O)?  0, or -1 with ERR.
 */
int ksysctl_check(const struct ksysctl_opts *o, const struct ksysctl_change *c,
    char *err, size_t errlen);

/*
 * One write of TEXT (sysctl_format()) to sysctl ID.  0, or -1 with
 * errno; a write the kernel stopped parsing early fails with EINVAL.
 */
int ksysctl_write(const struct ksysctl_opts *o, enum sysctl_id id,
    const char *text);

/*
 * Read the current value of sysctl ID into V (kernel.sem fields
 * sign-extended, sysctl_held_value()); 0 or -1 with ERR.
 */
int ksysctl_read(const struct ksysctl_opts *o, enum sysctl_id id,
    uint64_t *v, char *err, size_t errlen);

#endif
