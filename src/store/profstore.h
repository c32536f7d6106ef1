/*
 * profstore.h: the workload profiles on disk: the search path, loading a
 * profile with its includes, and the list of the profiles found.  The
 * files are parsed by profile.h.
 */
#ifndef PROFSTORE_H
#define PROFSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"

/* Where profiles are looked up: later directories override earlier. */
struct profile_search {
	const char *const *dirs;
	size_t ndirs;
	bool strict_modes;	/* as root: refuse files others may write */
};

/* One row of the profile list. */
struct profile_entry {
	char *name;
	char *path;
	char *summary;
	char *source;
	char *error;		/* why it does not load, or NULL */
};

/*
 * Find NAME on the search path, read it and its includes into P.  0, or
 * -1 with a message naming the file and line in ERR.
 */
int profstore_load(const char *name, const struct profile_search *s,
    struct profile *p, char *err, size_t errlen);

/* List the profiles on the search path, sorted by name. */
int profstore_list(const struct profile_search *s,
    struct profile_entry **entries, size_t *n, char *err, size_t errlen);
/* Free a list from profstore_list. */
void profstore_list_free(struct profile_entry *entries, size_t n);

#endif
