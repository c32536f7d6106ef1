/*
 * model.h: one row per IPC resource (limit, used, free, ratio, unit and
 * the sysctl that sets it) and the findings about them, derived from a
 * struct kstate.  Pure: const input, result struct out.
 */
#ifndef MODEL_H
#define MODEL_H

#include "ipctune.h"

enum resource_id {
	R_SHMMNI,
	R_SHMALL,
	R_SHMMAX,
	R_SEMMNI,
	R_SEMMNS,
	R_SEMMSL,
	R_SEMOPM,
	R_MSGMNI,
	R_MSGMNB,
	R_MSGMAX,
	R_MQUEUE_QUEUES,
	R_DEV_SHM,
	R_DEV_SHM_INODES,
	R_MQUEUE_MSG_MAX,
	R_MQUEUE_MSGSIZE_MAX,
	R_MQUEUE_BYTES,
	R_COUNT
};

struct resource_desc {
	const char *name;	/* shmmni */
	const char *sysctl;	/* kernel.shmmni, or "" */
	const char *unit;	/* segments, pages, bytes, ... */
	const char *description;
};

/* The table of resources, indexed by enum resource_id. */
extern const struct resource_desc resource_table[R_COUNT];

/*
 * Limits the kernel fixes when it is built, with no sysctl and no usage
 * (lsipc -g shows them beside the resources): status prints them as
 * limit rows.  Indexed by enum kconst_id.
 */
enum kconst_id { K_SEMVMX, K_SHMMIN, K_COUNT };

struct kconst_desc {
	const char *name;	/* semvmx */
	uint64_t value;
	const char *unit;
	const char *description;
};

extern const struct kconst_desc kconst_table[K_COUNT];

struct resource {
	enum resource_id id;
	bool has_limit;
	uint64_t limit;		/* as the kernel applies it */
	bool limit_signed;	/* the sysctl holds a negative int: */
	int64_t limit_held;	/* that int, shown as the limit */
	bool has_used;		/* false: no usage applies or unknown */
	uint64_t used;
	bool has_free;
	uint64_t free;
	bool has_ratio;
	double ratio;		/* used / limit, 0..1 (more if over) */
	int object_id;		/* the object behind a "largest" row, or -1 */
	bool has_largest_new;	/* shmmax: largest segment that fits now */
	uint64_t largest_new;
	bool has_object_limit;	/* msgmnb: the fullest queue's own qbytes */
	uint64_t object_limit;
	bool scan_skipped;	/* usage needs the objects, not read */
};

enum finding_level { FINDING_INFO, FINDING_WARNING, FINDING_CRITICAL };

struct finding {
	enum finding_level level;
	const char *code;	/* machine-readable, e.g. shmall_below_shmmax */
	const char *resource;	/* resource name, or NULL */
	char text[512];
};

/* Segments marked for removal but still attached (status dest). */
struct model_dest {
	uint64_t segments, pages, nattch;
	bool warn;		/* MODEL_DEST_SHARE of shmmni or shmall */
};

struct model {
	struct resource res[R_COUNT];
	struct model_dest dest;
	struct finding *findings;
	size_t nfindings;
};

/* Does resource ID count toward exhaustion (not a per-object cap)? */
#define MODEL_FILLS(id) ((id) != R_SHMMAX && (id) != R_SEMMSL && \
    (id) != R_MQUEUE_MSG_MAX && (id) != R_MQUEUE_MSGSIZE_MAX)

/* The ratio at or above which a resource is reported as nearly full. */
#define MODEL_WARN_RATIO 0.9

/* The share of shmmni or shmall at which dest segments are a warning. */
#define MODEL_DEST_SHARE 0.5

/* Build the resource rows and findings from KS. */
void model_build(const struct kstate *ks, struct model *m);
/*
 * The limit of R as messages show it, into BUF (24 bytes): the negative
 * int its sysctl holds (limit_signed), else the number.
 */
const char *model_limit_text(const struct resource *r, char *buf,
    size_t len);
/* Append a finding that needs more than KS (CODE and RESOURCE static). */
void model_add_finding(struct model *m, enum finding_level level,
    const char *code, const char *resource, const char *text);
/* Free the findings of a model. */
void model_release(struct model *m);
/* The resource whose name is NAME, or -1. */
int model_resource_lookup(const char *name);

#endif
