/*
 * view_show.h: one System V object in detail, as 'show' prints it: a
 * field and value table, then one row per semaphore, per attacher and
 * per waiting process; and the same as the JSON document "show".  A
 * view: it reads neither the system nor the command line.
 */
#ifndef VIEW_SHOW_H
#define VIEW_SHOW_H

#include <jansson.h>

#include "objdetail.h"
#include "render.h"

/* The permission bits of MODE as ls(1) shows them: "rw-r-----". */
const char *view_show_rwx(uint32_t mode, char *buf, size_t len);

/* Print D as tables, drawn as RO says; 0, or -1 on a write error. */
int view_show_table(const struct objdetail *d, const struct render_opts *ro);

/* D as the JSON document "show" of the state KS, made at RO's now. */
json_t *view_show_json(const struct objdetail *d, const struct kstate *ks,
    const struct render_opts *ro);

#endif
