/*
 * render_prom.h: the Prometheus text format (node_exporter textfile
 * collector) of the resource rows: limits, usage and ratios with a
 * 'resource' label and the IPC namespace's labels, base units, HELP and
 * TYPE for every metric.
 */
#ifndef RENDER_PROM_H
#define RENDER_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "ipctype.h"
#include "model.h"

/*
 * Orphaned (leaked) objects and what they hold, when they were counted,
 * per type: each counts against its type's limit and gives back to its
 * pool (ipctype_table[]).
 */
struct prom_orphans {
	uint64_t orphaned[IPC_NTYPES];	/* objects */
	uint64_t freed[IPC_NTYPES];	/* of the pool, in its unit */
	uint64_t suspect[IPC_NTYPES];	/* suspect objects */
	uint64_t unknown;	/* objects whose evidence could not be read */
};

/*
 * Render KS and M (and ORPHANS unless NULL) as Prometheus text into a
 * new buffer, NUL-terminated, its length in *LENP.  Every sample is
 * labelled with KS's IPC namespace (ipc_ns) and CONTAINER, the id of the
 * container that namespace belongs to (no label when NULL or "").
 * Never fails.
 */
char *render_prom(const struct kstate *ks, const struct model *m,
    const struct prom_orphans *orphans, const char *container,
    size_t *lenp);

/* One namespace of a file of several: its state, rows and container. */
struct prom_ns {
	const struct kstate *ks;
	const struct model *m;
	const char *container;	/* its container's id, or NULL or "" */
};

/*
 * Render the N namespaces V in one file: each metric's HELP and TYPE
 * once, then the samples of every namespace, each labelled with its
 * ipc_ns and container as render_prom() labels them.  Orphans are not
 * counted.  A new buffer, NUL-terminated, its length in *LENP.
 */
char *render_prom_all(const struct prom_ns *v, size_t n, size_t *lenp);

#endif
