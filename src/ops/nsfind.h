/*
 * nsfind.h: the IPC namespaces of the host, judged and named: the scan
 * (nsscan.c), the runtimes' names (ctrnames.c) and the judgement
 * (nsreport.c) composed once for 'namespaces', --container and
 * --all-namespaces.  Ops: no printing, errors as text.
 */
#ifndef NSFIND_H
#define NSFIND_H

#include <stddef.h>
#include <sys/types.h>

#include "ctrnames.h"
#include "nsreport.h"
#include "nsscan.h"

struct nsfind {
	struct nsscan scan;
	struct ctrnames names;
	struct nsreport report;
};

/*
 * Scan the host as FLAGS (nsscan.h) asks, read the names under the
 * podman storage ROOTS (NULL: the default) and judge.  0, or -1 with a
 * message in ERR.
 */
int nsfind_load(struct nsfind *f, unsigned flags, const char *roots,
    char *err, size_t errlen);
/* Free what F holds. */
void nsfind_release(struct nsfind *f);

/*
 * The namespace of the container QUERY (an id, an id prefix of 3 or
 * more characters, or a name): a process in it in *PIDP.  0, or -1 with
 * a message in ERR naming the candidates (unknown or ambiguous).
 */
int nsfind_container(const char *query, const char *roots, pid_t *pidp,
    char *err, size_t errlen);

#endif
