/*
 * cgpattern.h: the container runtimes and systemd units as data, and
 * the matcher that names the container or unit a cgroup path belongs to.
 * Pure: it takes the text of a path and reads nothing; a path no row
 * matches is left for the caller to show raw.
 */
#ifndef CGPATTERN_H
#define CGPATTERN_H

#include <stdbool.h>
#include <stddef.h>

/* What the part of a component between prefix and suffix must be. */
enum cgpattern_id {
	CGP_HEX64,		/* a 64-digit lower-case hex container id */
	CGP_NAME,		/* any non-empty name (units, LXC, nspawn) */
};

/* One known layout: a path component PREFIX<id>SUFFIX. */
struct cgpattern {
	const char *runtime;	/* podman, docker, containerd, ... */
	const char *prefix;	/* text before the id in the component */
	const char *suffix;	/* text after it ("" for none) */
	enum cgpattern_id id;
	const char *parent;	/* the component before must be this, or NULL */
	bool container;		/* a container (--container selects it) */
};

/* The table, most specific rows first. */
extern const struct cgpattern cgpattern_table[];
extern const size_t cgpattern_count;

/* What a cgroup path names. */
struct cgpattern_match {
	const struct cgpattern *pat;	/* NULL: no row matched */
	char id[256];		/* the container id or unit name */
	char pod[128];		/* the pod (podman pod or Kubernetes), or "" */
};

/*
 * Match the cgroup PATH (as /proc/PID/cgroup gives it, from the first
 * '/') against the table, deepest component first.  True with M filled
 * when a row matches; false (M->pat NULL) otherwise.
 */
bool cgpattern_match(const char *path, struct cgpattern_match *m);

/*
 * The cgroup path of the unified or named hierarchy in the text of a
 * /proc/PID/cgroup file BUF (LEN bytes), copied into OUT: the "0::" line
 * when it names more than "/", else the first v1 line's path.  0, or -1
 * when no line has a path.
 */
int cgpattern_pick_path(const char *buf, size_t len, char *out,
    size_t outlen);

/* Is TEXT a 64-digit lower-case hex container id? */
bool cgpattern_is_hex64(const char *text, size_t len);

#endif
