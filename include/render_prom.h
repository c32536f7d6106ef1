/*
 * render_prom.h: the Prometheus text format (node_exporter textfile
 * collector) of the resource rows: limits, usage and ratios with a
 * 'resource' label, base units, HELP and TYPE for every metric.
 */
#ifndef RENDER_PROM_H
#define RENDER_PROM_H

#include <stddef.h>

#include "ipctune.h"
#include "model.h"

/* Orphaned (leaked) objects per object type, when they were counted. */
struct prom_orphans {
	uint64_t shm, sem, msg;
};

/*
 * Render KS and M (and ORPHANS unless NULL) as Prometheus text into a
 * new buffer, NUL-terminated, its length in *LENP.  Never fails.
 */
char *render_prom(const struct kstate *ks, const struct model *m,
    const struct prom_orphans *orphans, size_t *lenp);

#endif
