/*
 * render_prom.c: the resource rows in the Prometheus text exposition
 * format for the node_exporter textfile collector: an ipctune_ prefix,
 * base units (shmall pages become bytes), HELP and TYPE before the
 * samples, one sample per name and label set, no timestamps.  Every
 * sample carries the IPC namespace (ipc_ns) and, when known, the
 * container, so files of several namespaces can share one textfile
 * directory.  It only formats into memory; writing the file is the
 * caller's (outfile.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "render_prom.h"
#include "strbuf.h"
#include "textesc.h"
#include "xmalloc.h"

/*
 * A label value as the exposition format wants it: \\, \" and \n
 * escaped.  Any other control character, and any byte that is not valid
 * UTF-8 (the format requires UTF-8), becomes the visible text \xHH
 * (written \\xHH), as everywhere else (textesc.h).
 */
static void
sb_label(struct strbuf *b, const char *s)
{
	while (*s != '\0') {
		bool unsafe;
		size_t n = textesc_char(s, &unsafe);

		if (*s == '\\')
			strbuf_printf(b, "\\\\");
		else if (*s == '"')
			strbuf_printf(b, "\\\"");
		else if (*s == '\n')
			strbuf_printf(b, "\\n");
		else if (!unsafe)
			strbuf_printf(b, "%.*s", (int)n, s);
		else
			for (size_t i = 0; i < n; i++)
				strbuf_printf(b, "\\\\x%02x",
				    (unsigned char)s[i]);
		s += n;
	}
}

/*
 * The labels every sample carries, rendered once: ipc_ns (the
 * namespace's inode, "" if unknown) and container (when known).
 */
struct prom_ctx {
	struct strbuf b;
	char *labels;		/* allocated */
	bool no_help;		/* HELP and TYPE written already (all_ns) */
};

/*
 * Start sample NAME: "NAME{" then RESOURCE's label if not NULL, then
 * the labels of every sample, then "} ".
 */
static void
sb_sample(struct prom_ctx *c, const char *name, const char *resource)
{
	strbuf_printf(&c->b, "%s{", name);
	if (resource != NULL) {
		strbuf_printf(&c->b, "resource=\"");
		sb_label(&c->b, resource);
		strbuf_printf(&c->b, "\",");
	}
	strbuf_printf(&c->b, "%s} ", c->labels);
}

/* The labels of every sample of KS into C, escaped once. */
static void
prom_labels(struct prom_ctx *c, const struct kstate *ks,
    const char *container)
{
	struct strbuf l = { NULL, 0, 0 };
	char ns[32] = "";

	if (ks->host.ipc_ns_inode != 0)
		snprintf(ns, sizeof(ns), "%" PRIu64, ks->host.ipc_ns_inode);
	l.cap = 128;
	l.p = xmalloc(l.cap);
	strbuf_printf(&l, "ipc_ns=\"%s\"", ns);
	if (container != NULL && container[0] != '\0') {
		strbuf_printf(&l, ",container=\"");
		sb_label(&l, container);
		strbuf_printf(&l, "\"");
	}
	c->labels = l.p;
}

enum prom_what { PW_LIMIT, PW_USED, PW_RATIO };

struct prom_metric {
	const char *name;
	const char *help;
	enum prom_what what;
	bool bytes;		/* the resources measured in bytes (or pages) */
};

static const struct prom_metric prom_metrics[] = {
	{ "ipctune_limit", "Limit of an IPC resource counted in segments, "
	    "arrays, semaphores, queues or operations per call; the resource "
	    "label names the sysctl field.", PW_LIMIT, false },
	{ "ipctune_limit_bytes", "Limit of an IPC resource in bytes; "
	    "kernel.shmall (pages) is multiplied by the page size.",
	    PW_LIMIT, true },
	{ "ipctune_used", "Usage of an IPC resource counted in segments, "
	    "arrays, semaphores or queues; for semmsl the largest array.",
	    PW_USED, false },
	{ "ipctune_used_bytes", "Usage of an IPC resource in bytes; for "
	    "shmmax the largest segment, for msgmnb the fullest queue.",
	    PW_USED, true },
	{ "ipctune_used_ratio", "Usage of an IPC resource divided by its "
	    "limit (0 to 1; above 1 when over the limit).", PW_RATIO,
	    false },
};

static bool
in_bytes(const struct resource_desc *d)
{
	return strcmp(d->unit, "bytes") == 0 || strcmp(d->unit, "pages") == 0;
}

/* V in the resource's unit as a sample value in base units. */
static void
sb_value(struct strbuf *b, const struct resource_desc *d, uint64_t v,
    uint64_t page_size)
{
	uint64_t bytes;

	if (strcmp(d->unit, "pages") != 0) {
		strbuf_printf(b, "%" PRIu64, v);
		return;
	}
	if (num_mul_u64(v, page_size, &bytes))
		strbuf_printf(b, "%" PRIu64, bytes);
	else	/* beyond 2^64 bytes: samples are float64 anyway */
		strbuf_printf(b, "%.17g", (double)v * (double)page_size);
}

/* The info metric: the version and the IPC namespace, always 1. */
static void
prom_info(struct prom_ctx *c, const struct kstate *ks)
{
	struct strbuf *b = &c->b;
	char ns[32] = "";

	if (ks->host.ipc_ns_inode != 0)
		snprintf(ns, sizeof(ns), "%" PRIu64, ks->host.ipc_ns_inode);
	if (!c->no_help)
		strbuf_printf(b, "# HELP ipctune_info The ipctune version and the "
		    "IPC namespace described; always 1.\n"
		    "# TYPE ipctune_info gauge\n");
	strbuf_printf(b, "ipctune_info{version=\"");
	sb_label(b, IPCTUNE_VERSION);
	strbuf_printf(b, "\",ipc_namespace=\"");
	sb_label(b, ns);
	strbuf_printf(b, "\",%s} 1\n", c->labels);
}

/* Does metric PM have a sample for resource R of description D? */
static bool
prom_has_sample(const struct prom_metric *pm, const struct resource *r,
    const struct resource_desc *d)
{
	if (pm->what != PW_RATIO && in_bytes(d) != pm->bytes)
		return false;
	switch (pm->what) {
	case PW_LIMIT:
		return r->has_limit;
	case PW_USED:
		return r->has_used;
	case PW_RATIO:
		return r->has_ratio;
	}
	return false;
}

/* Metric PM with one sample per resource that has it. */
static void
prom_metric(struct prom_ctx *c, const struct prom_metric *pm,
    const struct model *m, uint64_t pg)
{
	struct strbuf *b = &c->b;

	if (!c->no_help)
		strbuf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", pm->name,
		    pm->help, pm->name);
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &m->res[i];
		const struct resource_desc *d = &resource_table[i];

		if (!prom_has_sample(pm, r, d))
			continue;
		sb_sample(c, pm->name, d->name);
		if (pm->what == PW_RATIO)
			strbuf_printf(b, "%.9g", r->ratio);
		else if (pm->what == PW_LIMIT && r->limit_signed)
			strbuf_printf(b, "%" PRId64, r->limit_held);
		else
			sb_value(b, d, pm->what == PW_LIMIT ? r->limit :
			    r->used, pg);
		strbuf_printf(b, "\n");
	}
}

/*
 * One sample of NAME per limit of the types, labelled with it: the
 * types that count against one limit (POSIX shared memory and named
 * semaphores against dev_shm) are summed into one sample.
 */
static void
sb_per_type(struct prom_ctx *c, const char *name,
    const uint64_t v[IPC_NTYPES])
{
	for (int t = 0; t < IPC_NTYPES; t++) {
		enum resource_id lim = ipctype_table[t].limit;
		uint64_t sum = 0;
		bool seen = false;

		for (int u = 0; u < t; u++)
			seen = seen || ipctype_table[u].limit == lim;
		if (seen)
			continue;
		for (int u = t; u < IPC_NTYPES; u++)
			if (ipctype_table[u].limit == lim)
				sum += v[u];
		sb_sample(c, name, resource_table[lim].name);
		strbuf_printf(&c->b, "%" PRIu64 "\n", sum);
	}
}

/*
 * One sample of NAME per type whose pool is measured in bytes (or
 * pages) as BYTES says, labelled with the pool: what a clean-up gives
 * back to it.
 */
static void
sb_freed(struct prom_ctx *c, const char *name, bool bytes,
    const uint64_t v[IPC_NTYPES], uint64_t page_size)
{
	struct strbuf *b = &c->b;

	for (int t = 0; t < IPC_NSYSV; t++) {
		const struct resource_desc *d;

		if (!ipctype_table[t].has_pool)
			continue;
		d = &resource_table[ipctype_table[t].pool];
		if (in_bytes(d) != bytes)
			continue;
		sb_sample(c, name, d->name);
		sb_value(b, d, v[t], page_size);
		strbuf_printf(b, "\n");
	}
}

/* The orphaned, unknown and suspect object counts and what they hold. */
static void
prom_orphan_metrics(struct prom_ctx *c, const struct prom_orphans *orphans,
    uint64_t pg)
{
	struct strbuf *b = &c->b;

	strbuf_printf(b, "# HELP ipctune_orphaned_objects IPC objects "
	    "judged orphaned (leaked) as 'ipctune orphans' judges "
	    "them, per limit they count against.\n"
	    "# TYPE ipctune_orphaned_objects gauge\n");
	sb_per_type(c, "ipctune_orphaned_objects", orphans->orphaned);
	strbuf_printf(b, "# HELP ipctune_orphaned_used Usage held by "
	    "orphaned objects that a clean-up would give back, "
	    "counted like ipctune_used.\n"
	    "# TYPE ipctune_orphaned_used gauge\n");
	sb_freed(c, "ipctune_orphaned_used", false, orphans->freed, pg);
	strbuf_printf(b, "# HELP ipctune_orphaned_used_bytes Usage held "
	    "by orphaned objects that a clean-up would give back, in "
	    "bytes like ipctune_used_bytes.\n"
	    "# TYPE ipctune_orphaned_used_bytes gauge\n");
	sb_freed(c, "ipctune_orphaned_used_bytes", true, orphans->freed, pg);
	strbuf_printf(b, "# HELP ipctune_orphans_unknown_objects IPC "
	    "objects whose evidence could not be read (for example "
	    "semaphore PIDs without read permission), not counted as "
	    "orphaned.\n"
	    "# TYPE ipctune_orphans_unknown_objects gauge\n");
	sb_sample(c, "ipctune_orphans_unknown_objects", NULL);
	strbuf_printf(b, "%" PRIu64 "\n", orphans->unknown);
	strbuf_printf(b, "# HELP ipctune_suspect_objects IPC objects "
	    "whose every recorded process is gone but that are "
	    "younger than the orphan minimum age (fresh leaks), not "
	    "counted as orphaned.\n"
	    "# TYPE ipctune_suspect_objects gauge\n");
	sb_per_type(c, "ipctune_suspect_objects", orphans->suspect);
}

char *
render_prom(const struct kstate *ks, const struct model *m,
    const struct prom_orphans *orphans, const char *container, size_t *lenp)
{
	struct prom_ctx c = { { NULL, 0, 0 }, NULL, false };
	struct strbuf *b = &c.b;
	uint64_t pg = ks->host.page_size ? ks->host.page_size : 4096;

	b->cap = 8192;
	b->p = xmalloc(b->cap);
	b->p[0] = '\0';
	prom_labels(&c, ks, container);
	prom_info(&c, ks);
	for (size_t k = 0; k < sizeof(prom_metrics) / sizeof(prom_metrics[0]);
	    k++)
		prom_metric(&c, &prom_metrics[k], m, pg);
	if (orphans != NULL)
		prom_orphan_metrics(&c, orphans, pg);
	strbuf_printf(b, "# HELP ipctune_page_size_bytes The page size "
	    "kernel.shmall is counted in.\n"
	    "# TYPE ipctune_page_size_bytes gauge\n");
	sb_sample(&c, "ipctune_page_size_bytes", NULL);
	strbuf_printf(b, "%" PRIu64 "\n", pg);
	strbuf_printf(b, "# HELP ipctune_read_timestamp_seconds When the state "
	    "was read, seconds since the epoch (for staleness alerts).\n"
	    "# TYPE ipctune_read_timestamp_seconds gauge\n");
	sb_sample(&c, "ipctune_read_timestamp_seconds", NULL);
	strbuf_printf(b, "%" PRId64 "\n", ks->read_at);
	free(c.labels);
	*lenp = b->len;
	return b->p;
}

/*
 * The samples of the N namespaces V for one metric, STEP 0 the info
 * metric, 1 to the number of metrics each of prom_metrics[], then the
 * page size and the read time: HELP and TYPE once, then each
 * namespace's samples with its own labels.
 */
static void
prom_all_step(struct prom_ctx *c, char **labels, const struct prom_ns *v,
    size_t n, size_t step)
{
	static const size_t nm = sizeof(prom_metrics) / sizeof(prom_metrics[0]);

	if (step == nm + 1)
		strbuf_printf(&c->b, "# HELP ipctune_page_size_bytes The page size "
		    "kernel.shmall is counted in.\n"
		    "# TYPE ipctune_page_size_bytes gauge\n");
	else if (step == nm + 2)
		strbuf_printf(&c->b, "# HELP ipctune_read_timestamp_seconds When "
		    "the state was read, seconds since the epoch (for "
		    "staleness alerts).\n"
		    "# TYPE ipctune_read_timestamp_seconds gauge\n");
	for (size_t k = 0; k < n; k++) {
		uint64_t pg = v[k].ks->host.page_size ?
		    v[k].ks->host.page_size : 4096;

		c->labels = labels[k];
		c->no_help = k > 0;
		if (step == 0) {
			prom_info(c, v[k].ks);
		} else if (step <= nm) {
			prom_metric(c, &prom_metrics[step - 1], v[k].m, pg);
		} else if (step == nm + 1) {
			sb_sample(c, "ipctune_page_size_bytes", NULL);
			strbuf_printf(&c->b, "%" PRIu64 "\n", pg);
		} else {
			sb_sample(c, "ipctune_read_timestamp_seconds", NULL);
			strbuf_printf(&c->b, "%" PRId64 "\n", v[k].ks->read_at);
		}
	}
}

char *
render_prom_all(const struct prom_ns *v, size_t n, size_t *lenp)
{
	static const size_t nm = sizeof(prom_metrics) / sizeof(prom_metrics[0]);
	struct prom_ctx c = { { NULL, 0, 0 }, NULL, false };
	char **labels = xcalloc(n ? n : 1, sizeof(*labels));

	c.b.cap = 8192;
	c.b.p = xmalloc(c.b.cap);
	c.b.p[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		prom_labels(&c, v[k].ks, v[k].container);
		labels[k] = c.labels;
	}
	for (size_t step = 0; step <= nm + 2; step++)
		prom_all_step(&c, labels, v, n, step);
	for (size_t k = 0; k < n; k++)
		free(labels[k]);
	free(labels);
	*lenp = c.b.len;
	return c.b.p;
}
