/*
 * nsreport.c: judges the IPC namespaces nsscan.c found: which container
 * or unit each belongs to (cgpattern.c's table over its cgroup paths),
 * its tightest resource (model.c's rows), and which of its limits differ
 * from the host's.  It reads nothing and prints nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsreport.h"
#include "xmalloc.h"

/* The first container among NS's cgroup paths, else the first unit. */
static size_t
name_row(const struct nsinfo *ns, struct cgpattern_match *who)
{
	struct cgpattern_match m;
	size_t nctr = 0;
	bool have = false;

	memset(who, 0, sizeof(*who));
	for (size_t i = 0; i < ns->ncgroups; i++) {
		if (!cgpattern_match(ns->cgroups[i], &m))
			continue;
		if (m.pat->container)
			nctr++;
		if (!have || (m.pat->container && !who->pat->container)) {
			*who = m;
			have = true;
		}
	}
	return nctr;
}

/* The sysctls of A that differ from B's, into ROW. */
static void
compare_limits(const struct kstate *a, const struct kstate *b,
    struct nsreport_row *row)
{
	size_t len = 0, n;

	row->differs = 0;
	row->differing[0] = '\0';
	for (int i = 0; i < SC_COUNT; i++) {
		const struct sysctl_value *x = &a->sysctl[i], *y = &b->sysctl[i];

		if (x->present == y->present && (!x->present ||
		    strcmp(x->raw, y->raw) == 0))
			continue;
		row->differs = 1;
		n = strlen(sysctl_table[i].name);
		if (len + n + 2 < sizeof(row->differing)) {
			if (len > 0)
				row->differing[len++] = ',';
			memcpy(row->differing + len, sysctl_table[i].name,
			    n + 1);
			len += n;
		}
	}
}

/* The tightest resource of ROW's model, and whether nothing is used. */
static void
tightest(struct nsreport_row *row)
{
	row->tightest = -1;
	row->ratio = 0;
	row->idle = true;
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &row->m.res[i];

		if (!MODEL_FILLS(i))
			continue;
		/* an empty tmpfs holds one inode: its root directory */
		if (r->has_used && r->used > (i == R_DEV_SHM_INODES ? 1u : 0u))
			row->idle = false;
		if (r->has_ratio && (row->tightest < 0 || r->ratio >
		    row->ratio)) {
			row->tightest = i;
			row->ratio = r->ratio;
		}
	}
}

static int
row_cmp(const void *a, const void *b)
{
	const struct nsreport_row *x = a, *y = b;
	double rx = x->ns->state == NSI_READ ? x->ratio : -1;
	double ry = y->ns->state == NSI_READ ? y->ratio : -1;

	if (rx != ry)
		return rx > ry ? -1 : 1;
	if (x->host != y->host)
		return x->host ? -1 : 1;
	return (x->ns->ino > y->ns->ino) - (x->ns->ino < y->ns->ino);
}

void
nsreport_build(const struct nsinfo *ns, size_t n, uint64_t host_ino,
    const struct nsinfo_name *names, size_t nnames, struct nsreport *r)
{
	const struct kstate *host = NULL;

	r->rows = xcalloc(n ? n : 1, sizeof(*r->rows));
	r->nrows = n;
	for (size_t i = 0; i < n; i++)
		if (ns[i].ino == host_ino && ns[i].state == NSI_READ)
			host = &ns[i].ks;
	for (size_t i = 0; i < n; i++) {
		struct nsreport_row *row = &r->rows[i];

		row->ns = &ns[i];
		row->host = ns[i].ino == host_ino;
		row->ncontainers = name_row(&ns[i], &row->who);
		for (size_t k = 0; k < nnames && row->who.pat != NULL; k++)
			if (strcmp(names[k].id, row->who.id) == 0)
				row->name = names[k].name;
		row->differs = -1;
		row->tightest = -1;
		if (ns[i].state != NSI_READ)
			continue;
		model_build(&ns[i].ks, &row->m);
		/* the rows read with the objects, inside the namespace */
		if (ns[i].has_res)
			memcpy(row->m.res, ns[i].res, sizeof(row->m.res));
		tightest(row);
		if (host != NULL)
			compare_limits(&ns[i].ks, host, row);
	}
	if (n > 1)
		qsort(r->rows, n, sizeof(*r->rows), row_cmp);
}

void
nsreport_release(struct nsreport *r)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].ns->state == NSI_READ)
			model_release(&r->rows[i].m);
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
}

/* Does container QUERY (of length QL) name match M (or NAME)? */
static bool
query_hits(const char *query, size_t ql, const struct cgpattern_match *m,
    const char *name)
{
	if (m->pat == NULL || !m->pat->container)
		return false;
	if (name != NULL && strcmp(name, query) == 0)
		return true;
	if (strcmp(m->id, query) == 0)
		return true;
	return ql >= 3 && strncmp(m->id, query, ql) == 0;
}

size_t
nsreport_find(const struct nsreport *r, const char *query, size_t *out,
    size_t max)
{
	size_t ql = strlen(query), hits = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		const struct nsinfo *ns = r->rows[i].ns;
		bool hit = query_hits(query, ql, &r->rows[i].who,
		    r->rows[i].name);

		/* any member of a pod or a shared namespace selects it */
		for (size_t k = 0; !hit && k < ns->ncgroups; k++) {
			struct cgpattern_match m;

			hit = cgpattern_match(ns->cgroups[k], &m) &&
			    query_hits(query, ql, &m, NULL);
		}
		if (!hit)
			continue;
		if (hits < max)
			out[hits] = i;
		hits++;
	}
	return hits;
}

const char *
nsreport_who(const struct nsreport_row *row, char *buf, size_t len)
{
	const struct cgpattern_match *w = &row->who;

	if (row->host)
		snprintf(buf, len, "host");
	else if (w->pat != NULL && !w->pat->container)
		/* a unit by its whole name: web.service, session-4.scope */
		snprintf(buf, len, "%s:%s%s%s", w->pat->runtime,
		    w->pat->prefix, w->id, w->pat->suffix);
	else if (w->pat != NULL && row->name != NULL)
		snprintf(buf, len, "%s:%s", w->pat->runtime, row->name);
	else if (w->pat != NULL)
		snprintf(buf, len, "%s:%.12s", w->pat->runtime, w->id);
	else if (row->ns->ncgroups > 0)
		snprintf(buf, len, "%s", row->ns->cgroups[0]);
	else
		snprintf(buf, len, "-");
	return buf;
}
