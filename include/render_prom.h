/*
 * render_prom.h: the Prometheus text format (node_exporter textfile
 * collector) of the resource rows: limits, usage and ratios with a
 * 'resource' label, base units, HELP and TYPE for every metric.
 */
#ifndef RENDER_PROM_H
#define RENDER_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "model.h"

/* Orphaned (leaked) objects and what they hold, when they were counted. */
struct prom_orphans {
	uint64_t shm, sem, msg;	/* objects: against shmmni, semmni, msgmni */
	uint64_t shm_pages;	/* pages a clean-up gives back to shmall */
	uint64_t sems;		/* semaphores it gives back to semmns */
	uint64_t unknown;	/* objects whose evidence could not be read */
	uint64_t sus_shm, sus_sem, sus_msg;	/* suspect, by limit */
};

/*
 * Render KS and M (and ORPHANS unless NULL) as Prometheus text into a
 * new buffer, NUL-terminated, its length in *LENP.  Never fails.
 */
char *render_prom(const struct kstate *ks, const struct model *m,
    const struct prom_orphans *orphans, size_t *lenp);

#endif
