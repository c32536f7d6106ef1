/*
 * snapwrite.h: the kstate and the model as the snapshot document, and the
 * object arrays 'list' shares with it.  snapshot.h reads it back.
 */
#ifndef SNAPWRITE_H
#define SNAPWRITE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "ipctune.h"
#include "ipctype.h"
#include "model.h"
#include "render.h"

/* The sysctl values as a JSON object, kernel.sem with named fields. */
json_t *snapshot_sysctls_json(const struct kstate *ks);
/* The host facts as a JSON object. */
json_t *snapshot_host_json(const struct kstate *ks);
/* The usage counters as a JSON object. */
json_t *snapshot_usage_json(const struct kstate *ks);
/*
 * The filesystems KS's POSIX objects were read from (dev_shm, mqueue:
 * null where not tried) and the holder scan's coverage.
 */
json_t *snapshot_posix_json(const struct kstate *ks);
/* Does KS say anything of POSIX objects (read, or tried live)? */
bool snapshot_has_posix(const struct kstate *ks);
/* The resource rows of M as a JSON array. */
json_t *snapshot_resources_json(const struct model *m);
/* The findings of M as a JSON array. */
json_t *snapshot_findings_json(const struct model *m);

/*
 * Stream the objects of the TYPES (IPC_TYPE_BIT() bits) asked for, each
 * type an array named by its json_key ("shm"), as members of the object
 * being written to FP, after a comma if LEADING_COMMA; owners are named
 * through RO's resolvers.
 */
void snapshot_stream_objects(FILE *fp, const struct kstate *ks,
    unsigned types, bool leading_comma, const struct render_opts *ro);

/*
 * Write the whole snapshot document of KS and M to FP, made at RO's
 * now, owners named through RO's resolvers; 0 or -1.
 */
int snapshot_write(FILE *fp, const struct kstate *ks, const struct model *m,
    const struct render_opts *ro);
/*
 * The same with members written by EXTRA(FP, CTX) (or none if NULL)
 * before the objects, e.g. the orphan verdicts: streamed, each member
 * opened with ",\n  " and indented as the rest of the document.
 */
int snapshot_write_with(FILE *fp, const struct kstate *ks,
    const struct model *m, void (*extra)(FILE *fp, const void *ctx),
    const void *extra_ctx, const struct render_opts *ro);

#endif
