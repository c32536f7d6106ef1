/*
 * snapshot.h: the kstate as JSON and back.  The object serialisers are
 * shared by 'list' and 'snapshot'; the loader turns a snapshot document
 * into a kstate so every reading command can analyse another host.
 */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <jansson.h>
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
 * The same with the members of the object EXTRA (or none if NULL) added
 * before the objects, e.g. the orphan verdicts; EXTRA is not freed.
 */
int snapshot_write_with(FILE *fp, const struct kstate *ks,
    const struct model *m, json_t *extra, const struct render_opts *ro);

/* Load a snapshot document from PATH ("-" for stdin) into KS. */
int snapshot_load(const char *path, struct kstate *ks, char *err,
    size_t errlen);
/* Why a snapshot could not be loaded. */
enum snapshot_errkind {
	SNAPSHOT_EREAD,		/* the file could not be read (errno kept) */
	SNAPSHOT_EMALFORMED,	/* not a snapshot this ipctune reads */
};
struct snapshot_error {
	enum snapshot_errkind kind;
	char detail[640];	/* what went wrong, without the file name */
};

/* What a snapshot document carries beyond the kstate. */
struct snapshot_extra {
	bool has_orphans;	/* the verdicts 'snapshot' judged on the host */
	uint64_t orphans[IPC_NTYPES];	/* per type */
};

/*
 * Load a snapshot document from PATH ("-" for stdin) into KS and, if X
 * is not NULL, what else it carries into X.  0, or -1 with E filled.
 */
int snapshot_read(const char *path, struct kstate *ks,
    struct snapshot_extra *x, struct snapshot_error *e);
/* Load a snapshot from an already parsed document. */
int snapshot_from_json(json_t *doc, struct kstate *ks, char *err,
    size_t errlen);

#endif
