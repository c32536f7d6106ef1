/*
 * ipctype.h: the IPC object types, System V and POSIX, one row each: the
 * names and words the outputs use, the resources that bound the type,
 * the bit that asks the kernel source for its objects, and how its
 * objects are named in JSON.  Model data: it reads and prints nothing.
 */
#ifndef IPCTYPE_H
#define IPCTYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "ipctune.h"
#include "model.h"

/*
 * The object types; the order is the order of every output.  A switch
 * on a type names every type and no default, so that -Wswitch finds
 * the switches a new type must extend.
 */
enum ipc_type {
	IPC_SHM, IPC_SEM, IPC_MSG,	/* System V */
	IPC_PSHM, IPC_PSEM, IPC_PMQ,	/* POSIX: /dev/shm files, mqueue */
	IPC_NTYPES
};

/* The System V types come first: types below IPC_NSYSV. */
#define IPC_NSYSV 3

/* A set of types: bit (1u << T) for type T. */
#define IPC_TYPE_BIT(t) (1u << (t))
#define IPC_TYPES_ALL ((1u << IPC_NTYPES) - 1)
#define IPC_TYPES_SYSV ((1u << IPC_NSYSV) - 1)
#define IPC_TYPES_POSIX (IPC_TYPES_ALL & ~IPC_TYPES_SYSV)

/* Is T a POSIX type (a file, without id or key)? */
#define IPC_TYPE_IS_POSIX(t) ((int)(t) >= IPC_NSYSV)

/*
 * The bit that asks the kernel source for the objects of type T (enum
 * ksource_want in ksource.h): they follow KS_SYSCTL and KS_USAGE.
 */
#define IPC_TYPE_WANT(t) (1u << (2 + (t)))
#define IPC_TYPES_WANT (IPC_TYPES_ALL << 2)
#define IPC_SYSV_WANT (IPC_TYPES_SYSV << 2)
#define IPC_POSIX_WANT (IPC_TYPES_POSIX << 2)

/*
 * The type names in table order, joined by SEP and, before the last,
 * by LAST: for texts fixed at compile time, such as a synopsis
 * ("[" IPCTYPE_NAMES("|", "|") "]").  check_ipctype holds it to the table.
 */
#define IPCTYPE_NAMES(sep, last) "shm" sep "sem" sep "msg" sep "pshm" \
	sep "psem" last "pmq"
/* The same for the System V types, below IPC_NSYSV. */
#define IPCTYPE_SYSV_NAMES(sep, last) "shm" sep "sem" last "msg"

/*
 * Fails the build unless TABLE, an array indexed by enum ipc_type and
 * declared without a size, has a row for every type.
 */
#define IPCTYPE_TABLE_CHECK(table) \
	_Static_assert(sizeof(table) / sizeof((table)[0]) == IPC_NTYPES, \
	    #table " needs one row per IPC type")

struct ipc_type_desc {
	const char *name;	/* shm: the operand and the "type" value */
	const char *json_key;	/* shm: the member that holds its objects */
	const char *singular;	/* shared memory segment */
	const char *plural;	/* shared memory segments */
	const char *heading;	/* Shared memory segments: list's heading */
	const char *short_singular;	/* segment: where the type is clear */
	const char *short_plural;	/* segments */
	const char *limit_name;	/* SHMMNI: the limit as the kernel spells it */
	const char *ipcrm_opt;	/* -m: ipcrm(1)'s option for an id or name */
	bool posix;		/* a file: no id, key or creator */
	enum resource_id limit;	/* bounds the number of objects */
	bool has_pool;
	enum resource_id pool;	/* what the objects are charged in, if any */
	unsigned want;		/* IPC_TYPE_WANT(type) */
	/* a file of /dev/shm: each takes an inode of the tmpfs */
	bool has_inodes;
	enum resource_id inodes;
};

/*
 * One object of any type.  perm opens every object struct: a common
 * initial sequence, so any.perm reads it whatever the type (C11
 * 6.5.2.3); a write goes through the type's own member.
 */
union ipc_obj {
	struct shm_obj shm;
	struct sem_obj sem;
	struct msg_obj msg;
	struct pshm_obj pshm;
	struct psem_obj psem;
	struct pmq_obj pmq;
	struct {
		struct obj_perm perm;
	} any;
};

/* The table of types, indexed by enum ipc_type. */
extern const struct ipc_type_desc ipctype_table[IPC_NTYPES];

/* The most resources that bound one type. */
#define IPCTYPE_MAXRES 3

/*
 * The resources that bound type T into RES, its limit first, then its
 * pool and its inodes, if any; how many.
 */
size_t ipctype_resources(enum ipc_type t,
    enum resource_id res[IPCTYPE_MAXRES]);

/* The type named NAME (shm, sem, msg) into *TP: 0, or -1 if none is. */
int ipctype_lookup(const char *name, enum ipc_type *tp);

/* Did KS read the objects of type T (false: unknown, not empty)? */
bool ipctype_has(const struct kstate *ks, enum ipc_type t);
/* Mark the objects of type T read into KS. */
void ipctype_set_has(struct kstate *ks, enum ipc_type t);
/* The number of objects of type T in KS. */
size_t ipctype_count(const struct kstate *ks, enum ipc_type t);
/* The objects of type T in use, as the kernel's *_INFO counters say. */
uint64_t ipctype_in_use(const struct ipc_usage *u, enum ipc_type t);
/* Object I of type T in KS: a struct shm_obj, sem_obj, msg_obj, ... */
const void *ipctype_obj(const struct kstate *ks, enum ipc_type t, size_t i);
/* The identity and permissions of object I of type T in KS. */
const struct obj_perm *ipctype_perm(const struct kstate *ks,
    enum ipc_type t, size_t i);
/* Free the objects of type T in KS (a partial read), none left. */
void ipctype_drop(struct kstate *ks, enum ipc_type t);
/* The file behind POSIX object I of type T in KS; NULL for System V. */
const struct posix_file *ipctype_posix_file(const struct kstate *ks,
    enum ipc_type t, size_t i);

#endif
