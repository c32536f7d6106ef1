/*
 * nsinfo.h: what is known of one IPC namespace on the host: its inode,
 * its processes, the cgroup paths they run in, the /dev/shm mounts they
 * see and the state read inside it.  Plain data, filled by nsscan.c and
 * judged by nsreport.c; nothing here reads the system.
 */
#ifndef NSINFO_H
#define NSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipctune.h"
#include "model.h"

/* The distinct cgroup paths kept per namespace. */
#define NSINFO_MAX_CGROUPS 32

/* One /dev/shm (a tmpfs of some mount namespace), by device. */
struct nsinfo_shm {
	uint64_t dev;		/* st_dev of the mount */
	pid_t pid;		/* a process that sees it */
	bool has_size;
	uint64_t size_bytes, used_bytes;
};

enum nsinfo_state {
	NSI_READ,		/* KS holds the namespace's limits and usage */
	NSI_NOT_READ,		/* not asked for */
	NSI_GONE,		/* every process exited before it was read */
	NSI_DENIED,		/* it could not be entered (WHY says so) */
};

struct nsinfo {
	uint64_t ino;		/* of /proc/PID/ns/ipc */
	pid_t pid;		/* the lowest PID in it */
	pid_t *pids;		/* every PID seen, ascending */
	size_t npids;
	char *cgroups[NSINFO_MAX_CGROUPS];	/* distinct paths */
	size_t ncgroups;
	struct nsinfo_shm *shms;	/* distinct /dev/shm, by device */
	size_t nshms;
	enum nsinfo_state state;
	char why[160];
	struct kstate ks;	/* sysctls and usage when NSI_READ */
	struct resource res[R_COUNT];	/* the rows, built with the objects */
	bool has_res;
};

/* A container's name as its runtime keeps it on disk. */
struct nsinfo_name {
	char *id;		/* the full id */
	char *name;
};

/* Free what NS holds (not NS). */
void nsinfo_release(struct nsinfo *ns);

#endif
