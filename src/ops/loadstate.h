/*
 * loadstate.h: loading the state a reading command works on, from the
 * live kernel (or a --root tree, or another IPC namespace) or from a
 * snapshot, and the scan policy 'status' and 'check' share: which object
 * tables to read, capped at LOADSTATE_SCAN_MAX objects of a type.  It
 * prints nothing and takes no CLI globals; errors come back as text.
 */
#ifndef LOADSTATE_H
#define LOADSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ipctype.h"
#include "ksource.h"
#include "model.h"
#include "orphan.h"

/* Where the state comes from. */
struct loadstate_opts {
	struct ksource_opts ks;	/* --root, --pid, --ns, --reader */
	const char *from;	/* a snapshot (--from) instead, or NULL */
};

/*
 * Read the state WANT names (KS_*) into KS, which this initialises:
 * enter the namespace and read the kernel, or load the snapshot, which
 * must then hold every object table WANT names.  0, or -1 with the
 * reason in ERR (KS released).
 */
int loadstate_read(const struct loadstate_opts *o, unsigned want,
    struct kstate *ks, char *err, size_t errlen);

/*
 * Add the object tables WANT names to a KS loadstate_read() filled (a
 * snapshot has them already).  0, or -1 with the reason in ERR.
 */
int loadstate_objects(const struct loadstate_opts *o, unsigned want,
    struct kstate *ks, char *err, size_t errlen);

/*
 * Beyond this many objects of a type the rows that need them (largest
 * segment, fullest queue, widest array) are left unmeasured unless the
 * caller asks for a full scan: a scan costs one syscall per object.
 */
#define LOADSTATE_SCAN_MAX 4096

/* What a command wants of the object tables. */
struct loadstate_scan {
	bool scan;		/* every object of ROWS, however many */
	unsigned rows;		/* KS_OBJECTS bits whose rows show */
	/*
	 * IPC_TYPE_BIT bits of the types read whole, however many objects
	 * (orphans or RemoveIPC= judged); IPC_TYPES_ALL for every table
	 */
	unsigned every;
};

/* The object tables (KS_*) to read after the counters of KS, under P. */
unsigned loadstate_want(const struct kstate *ks,
    const struct loadstate_scan *p);

/*
 * The object types (IPC_TYPE_BIT bits) with more than LOADSTATE_SCAN_MAX
 * objects by the counters of KS: the files of /dev/shm by its inodes
 * (both POSIX types, which share them).  A type without a counter is
 * not over.
 */
unsigned loadstate_over_cap(const struct kstate *ks);

/*
 * The object types (IPC_TYPE_BIT bits) of the resources in M at or near
 * their limit (as model.c's limit findings say): the judge then needs
 * every object of those types.
 */
unsigned loadstate_leak_types(const struct model *m);

#endif
