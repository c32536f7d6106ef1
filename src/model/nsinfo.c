/*
 * nsinfo.c: the lifecycle of struct nsinfo.  It frees what the scanner
 * allocated and nothing else.
 */
#include <stdlib.h>

#include "nsinfo.h"

void
nsinfo_release(struct nsinfo *ns)
{
	free(ns->pids);
	for (size_t i = 0; i < ns->ncgroups; i++)
		free(ns->cgroups[i]);
	free(ns->shms);
	kstate_release(&ns->ks);
	ns->pids = NULL;
	ns->npids = ns->ncgroups = ns->nshms = 0;
	ns->shms = NULL;
}
