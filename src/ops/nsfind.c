/*
 * nsfind.c: composes the namespace scan, the runtimes' names and the
 * judgement, and resolves --container to a process of the container's
 * IPC namespace.  It prints nothing; a failed lookup says which
 * containers there are.
 */
#include <stdio.h>
#include <string.h>

#include "nsfind.h"

int
nsfind_load(struct nsfind *f, unsigned flags, const char *roots,
    char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	nsscan_init(&f->scan);
	if (nsscan_run(&f->scan, flags, err, errlen) < 0) {
		nsscan_release(&f->scan);
		return -1;
	}
	ctrnames_read(&f->names, roots);
	nsreport_build(f->scan.ns, f->scan.nns, f->scan.init_ino,
	    f->names.v, f->names.n, &f->report);
	return 0;
}

void
nsfind_release(struct nsfind *f)
{
	nsreport_release(&f->report);
	ctrnames_release(&f->names);
	nsscan_release(&f->scan);
}

/* Append ", WHO (IPC namespace INO)" of ROW to BUF. */
static void
append_row(char *buf, size_t len, const struct nsreport_row *row,
    bool first)
{
	char who[300];
	size_t used = strlen(buf);

	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s%s (IPC namespace %llu)",
	    first ? "" : ", ", nsreport_who(row, who, sizeof(who)),
	    (unsigned long long)row->ns->ino);
}

/* The containers of F, for an error message, into BUF. */
static void
list_candidates(const struct nsfind *f, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < f->report.nrows && n < 8; i++) {
		const struct nsreport_row *row = &f->report.rows[i];

		if (row->who.pat == NULL || !row->who.pat->container)
			continue;
		append_row(buf, len, row, n++ == 0);
	}
	if (n == 0)
		snprintf(buf, len, "none found");
}

int
nsfind_container(const char *query, const char *roots, pid_t *pidp,
    char *err, size_t errlen)
{
	struct nsfind f;
	size_t hit[8], n;
	char list[768];
	const char *q = query;

	if (nsfind_load(&f, 0, roots, err, errlen) < 0)
		return -1;
	/* a name the runtime keeps stands for its full id */
	for (size_t i = 0; i < f.names.n; i++)
		if (strcmp(f.names.v[i].name, query) == 0)
			q = f.names.v[i].id;
	n = nsreport_find(&f.report, q, hit, 8);
	if (n == 1) {
		*pidp = f.report.rows[hit[0]].ns->pid;
		nsfind_release(&f);
		return 0;
	}
	if (n == 0) {
		list_candidates(&f, list, sizeof(list));
		snprintf(err, errlen, "no container '%s' (containers: %s)",
		    query, list);
	} else {
		list[0] = '\0';
		for (size_t i = 0; i < n && i < 8; i++)
			append_row(list, sizeof(list), &f.report.rows[hit[i]],
			    i == 0);
		snprintf(err, errlen, "container '%s' is ambiguous: %s",
		    query, list);
	}
	nsfind_release(&f);
	return -1;
}
