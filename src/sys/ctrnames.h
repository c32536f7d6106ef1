/*
 * ctrnames.h: the names container runtimes give their containers, read
 * from the state they keep on disk (podman's containers.json, docker's
 * config.v2.json), read-only.  A cgroup path holds only the id.
 */
#ifndef CTRNAMES_H
#define CTRNAMES_H

#include <stddef.h>

#include "nsinfo.h"

struct ctrnames {
	struct nsinfo_name *v;
	size_t n, cap;
};

/*
 * Read the names under the podman storage roots ROOTS (a ':'-separated
 * list, NULL for /var/lib/containers/storage) and docker's
 * /var/lib/docker.  Missing or unreadable state is skipped: names are
 * a convenience, ids always work.
 */
void ctrnames_read(struct ctrnames *c, const char *roots);
/* Free what C holds. */
void ctrnames_release(struct ctrnames *c);

#endif
