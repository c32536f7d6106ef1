/*
 * view_namespaces.h: the views of 'namespaces': one row per IPC
 * namespace (table or JSON) and the distinct /dev/shm mounts.  They take
 * the judged rows and struct render_opts, and read nothing themselves.
 */
#ifndef VIEW_NAMESPACES_H
#define VIEW_NAMESPACES_H

#include <stdbool.h>
#include <stddef.h>

#include "nsreport.h"
#include "render.h"

/* What the views show besides the rows. */
struct view_ns_opts {
	bool all;		/* idle and gone namespaces too */
	size_t nprocs;		/* processes found */
	size_t nvanished;	/* processes that exited during the scan */
	size_t nunreadable;	/* processes whose namespace is hidden */
	uint64_t host_ino;
};

/* The columns of the namespaces table (for -o and the help). */
#define VIEW_NS_NCOLS 14
extern const struct column view_ns_cols[VIEW_NS_NCOLS];
extern const size_t view_ns_ncols;

/* Is ROW shown under O (idle and gone ones only with --all)? */
bool view_ns_shown(const struct nsreport_row *row,
    const struct view_ns_opts *o);

/*
 * Print R as RO says: the table (COLUMNS selects, NULL the defaults)
 * and the /dev/shm mounts, or the JSON document.  0, or -1 with a
 * message in ERR (an unknown column).
 */
int view_namespaces(const struct nsreport *r, const struct view_ns_opts *o,
    const struct render_opts *ro, char *err, size_t errlen);

#endif
