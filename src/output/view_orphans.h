/*
 * view_orphans.h: the text and JSON forms of one judged object (as
 * 'orphans', 'clean' and 'fit' show it), of an orphan filter, and the
 * streamed JSON document of a list of judged objects.  A view: it reads
 * neither the system nor the command line.
 */
#ifndef VIEW_ORPHANS_H
#define VIEW_ORPHANS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "jsonc.h"
#include "orphan.h"

/* The name of each verdict, as the VERDICT column and JSON say it. */
extern const char *const view_orphans_verdict_names[OV_COUNT];

/* The object of IT as JSON: identity, verdict, reasons and evidence. */
json_t *view_orphans_item_json(const struct orphan_item *it);
/*
 * The same object appended to C as compact text, byte for byte what
 * json_dumpb(JSON_COMPACT | JSON_PRESERVE_ORDER) makes of
 * view_orphans_item_json(IT), without building it.
 */
void view_orphans_item_text(struct jsonc *c, const struct orphan_item *it);
/* The reason codes of IT, comma-separated, into BUF. */
const char *view_orphans_reasons(const struct orphan_item *it, char *buf,
    size_t len);
/* The size of IT in its own unit (bytes, semaphores, messages). */
const char *view_orphans_size(const struct orphan_item *it, bool raw,
    char *buf, size_t len);
/* An age in seconds as "3d4h", "5m" ... into BUF. */
const char *view_orphans_age(int64_t s, char *buf, size_t len);
/*
 * The recorded PIDs of IT and what became of them, at time NOW: "creator
 * 123 gone; last_attach 456 reused by sleep (started 4s after)".
 */
const char *view_orphans_evidence(const struct orphan_item *it, int64_t now,
    char *buf, size_t len);
/* The visible attachers of segment IT, or "-". */
const char *view_orphans_attachers(const struct orphan_item *it, char *buf,
    size_t len);
/* Set KEY of O to the time T in seconds since the epoch, null for 0. */
void view_orphans_set_time(json_t *o, const char *key, int64_t t);
/* Set the identity and permission members the way 'list' names them. */
void view_orphans_set_perm(json_t *o, const struct obj_perm *p);
/* The backup manifest entry of segment S saved as FILE at time AT. */
json_t *view_orphans_manifest_entry(const struct shm_obj *s,
    const char *file, int64_t at);
/*
 * The backup manifest entry of POSIX object IT saved as FILE (NULL: a
 * queue, attributes only) with SHA-256 HEX (or NULL) at time AT.
 */
json_t *view_orphans_posix_manifest_entry(const struct orphan_item *it,
    const char *file, const char *hex, int64_t at);
/* The filter F as JSON. */
json_t *view_orphans_filter_json(const struct orphan_filter *f);
/*
 * What the process facts could not see, as JSON: NUNREADABLE processes
 * that could not be read (AS_ROOT: no advice to run as root), /proc
 * mounted with HIDDEN (hidepid=HIDEPID), and PIDNS_CAUSE (or NULL).
 */
json_t *view_orphans_inspection_json(size_t nunreadable, bool as_root,
    bool hidden, const char *hidepid, const char *pidns_cause);
/*
 * Print ROOT with the array KEY of the N ITEMS streamed after it (each
 * made by ITEM_FN, or view_orphans_item_json), then the members of TAIL.
 * Frees TAIL (render_json_print_streamed() frees ROOT); 0 or -1.
 */
int view_orphans_print_json(json_t *root, const struct orphan_item *items,
    size_t n, const char *key, json_t *(*item_fn)(const struct orphan_item *,
    size_t, const void *), const void *item_ctx, json_t *tail);

#endif
