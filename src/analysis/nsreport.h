/*
 * nsreport.h: the judgement of 'namespaces': for each IPC namespace the
 * container or unit its cgroup paths name, its tightest resource, and
 * whether its limits differ from the host's; and the lookup of
 * --container among them.  Pure: const input, result out.
 */
#ifndef NSREPORT_H
#define NSREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgpattern.h"
#include "model.h"
#include "nsinfo.h"

struct nsreport_row {
	const struct nsinfo *ns;
	bool host;		/* the host's namespace (PID 1's) */
	bool idle;		/* nothing of any resource in use */
	struct cgpattern_match who;	/* the first container, or unit */
	const char *name;	/* its runtime's name for it, or NULL */
	size_t ncontainers;	/* containers among its cgroup paths */
	int tightest;		/* enum resource_id, or -1 */
	double ratio;		/* of the tightest */
	int differs;		/* limits differ from the host's: 1, 0, -1 */
	char differing[160];	/* the sysctls that differ, "a,b" */
	struct model m;		/* when the namespace was read */
};

struct nsreport {
	struct nsreport_row *rows;	/* tightest first */
	size_t nrows;
};

/*
 * Judge the N namespaces NS; HOST_INO names the host's; NAMES (NNAMES)
 * give containers their names.  Rows are sorted by the ratio of their
 * tightest resource, highest first; the host comes first among equals.
 */
void nsreport_build(const struct nsinfo *ns, size_t n, uint64_t host_ino,
    const struct nsinfo_name *names, size_t nnames, struct nsreport *r);
/* Free the rows of R. */
void nsreport_release(struct nsreport *r);

/*
 * The rows of R whose container QUERY names: the full id, an id prefix
 * of at least 3 characters, or the runtime's name (exactly).  Their
 * indexes go to OUT (room for MAX); the number of matches, which may
 * exceed MAX.
 */
size_t nsreport_find(const struct nsreport *r, const char *query,
    size_t *out, size_t max);

/*
 * ROW's container or unit as the tables show it, into BUF: "host",
 * RUNTIME:NAME, RUNTIME:<12 hex digits>, or the raw cgroup path.
 */
const char *nsreport_who(const struct nsreport_row *row, char *buf,
    size_t len);

#endif
