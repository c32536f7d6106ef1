/*
 * showload.c: composes loadstate.c, objdetail.c and ipcdetail.c for
 * 'show': the object's fields from any source, its live facts only
 * from the live kernel or a --root tree.  It prints nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipcdetail.h"
#include "showload.h"

int
showload_read(const struct loadstate_opts *o, enum ipc_type type, int id,
    struct kstate *ks, struct objdetail *d, char *err, size_t errlen,
    char *warn, size_t warnlen)
{
	const struct ipc_type_desc *td = &ipctype_table[type];
	struct procscan ps;

	warn[0] = '\0';
	objdetail_init(d);
	if (loadstate_read(o, KS_SYSCTL | td->want, ks, err, errlen) < 0)
		return -1;
	if (objdetail_find(ks, type, id, d) < 0) {
		if (o->from != NULL)
			snprintf(err, errlen, "no %s with id %d in snapshot "
			    "'%s'", td->singular, id, o->from);
		else
			snprintf(err, errlen, "no %s with id %d in this IPC "
			    "namespace (see 'ipctune list %s')",
			    td->singular, id, td->name);
		errno = ENOENT;
		return -1;
	}
	/* a snapshot holds the fields only (snapwrite.c) */
	if (ks->source == KSRC_SNAPSHOT) {
		objdetail_roles(d);
		return 0;
	}
	procscan_init(&ps, o->ks.root, o->ks.root == NULL,
	    ks->host.ipc_ns_inode);
	procscan_probe(&ps);
	ipcdetail_read(&ps, d, warn, warnlen);
	procscan_release(&ps);
	return 0;
}
