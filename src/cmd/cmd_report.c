/*
 * cmd_report.c: 'ipctune report FILE...|DIR...', the fleet view over
 * many snapshot documents.  fleet.c finds and loads one snapshot at a
 * time, report.c summarises it and drift.c judges it before the next is
 * loaded.  Options, the flow, and the views: the summary, and the
 * per-host view whose one column table drives the table, CSV and JSON.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "drift.h"
#include "fleet.h"
#include "model.h"
#include "numparse.h"
#include "profcmd.h"
#include "render.h"
#include "report.h"
#include "snapshot.h"
#include "textesc.h"
#include "xmalloc.h"

enum { O_TOP = 1, O_HOSTS };

static const struct cli_opt cmd_report_opts[] = {
	{ "top", 0, required_argument, "N",
	    "hosts listed per resource and for leaks (default 3)", O_TOP,
	    NULL },
	{ "hosts", 0, no_argument, NULL,
	    "one row per snapshot instead of the summary", O_HOSTS, NULL },
	PROFCMD_OPT_PROFILE,
	PROFCMD_OPT_SET,
	PROFCMD_OPT_EXACT,
	PROFCMD_OPT_PROFILE_DIR,
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/* The per-host view (--hosts, and every --format csv row). */
enum {
	C_FILE, C_HOST, C_STATUS, C_KERNEL, C_READ_AT, C_WORST,
	C_WORST_USE, C_WARNINGS, C_CRITICAL, C_LEAKED, C_ORPHAN_SHM,
	C_ORPHAN_SEM, C_ORPHAN_MSG, C_ORPHAN_PSHM, C_ORPHAN_PSEM,
	C_ORPHAN_PMQ, C_SUSPECT_PSHM, C_SUSPECT_PSEM, C_SUSPECT_PMQ,
	C_ORPHAN_PSHM_BYTES, C_UNATTACHED, C_UNATTACHED_BYTES, C_PSHM,
	C_PSEM, C_PMQ, C_PSHM_BYTES, C_DRIFT, C_REASON, C_RES,
	C_SC = C_RES + R_COUNT,
	C_COUNT = C_SC + SC_COUNT
};

#define RES_COL(r, n) [C_RES + (r)] = { n, "used ratio of " n, 0, COL_RIGHT }
#define SC_COL(s, n) [C_SC + (s)] = { n, "value of " n, 0, 0 }

static const struct column host_cols[C_COUNT] = {
	[C_FILE] = { "FILE", "the snapshot file", 0, COL_DEFAULT },
	[C_HOST] = { "HOST", "host name in the snapshot", 0, COL_DEFAULT },
	[C_STATUS] = { "STATUS", "ok, or skipped", 0, COL_DEFAULT },
	[C_KERNEL] = { "KERNEL", "kernel release", 0, 0 },
	[C_READ_AT] = { "READ-AT", "when the snapshot was taken", 0, 0 },
	[C_WORST] = { "WORST", "resource with the least headroom", 0,
	    COL_DEFAULT },
	[C_WORST_USE] = { "WORST-USE%", "its used ratio", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_WARNINGS] = { "WARNINGS", "findings at warning level", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_CRITICAL] = { "CRITICAL", "findings at critical level", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_LEAKED] = { "LEAKED", "orphans judged on the host, or else "
	    "unattached segments", 0, COL_DEFAULT | COL_RIGHT },
	[C_ORPHAN_SHM] = { "ORPHAN-SHM", "orphaned segments (host verdict)",
	    0, COL_RIGHT },
	[C_ORPHAN_SEM] = { "ORPHAN-SEM", "orphaned semaphore arrays", 0,
	    COL_RIGHT },
	[C_ORPHAN_MSG] = { "ORPHAN-MSG", "orphaned message queues", 0,
	    COL_RIGHT },
	[C_ORPHAN_PSHM] = { "ORPHAN-PSHM", "orphaned POSIX shm files "
	    "(host verdict)", 0, COL_RIGHT },
	[C_ORPHAN_PSEM] = { "ORPHAN-PSEM", "orphaned POSIX named semaphores",
	    0, COL_RIGHT },
	[C_ORPHAN_PMQ] = { "ORPHAN-PMQ", "orphaned POSIX message queues", 0,
	    COL_RIGHT },
	[C_SUSPECT_PSHM] = { "SUSPECT-PSHM", "POSIX shm files whose users "
	    "are gone, younger than the grace age", 0, COL_RIGHT },
	[C_SUSPECT_PSEM] = { "SUSPECT-PSEM", "such POSIX named semaphores", 0,
	    COL_RIGHT },
	[C_SUSPECT_PMQ] = { "SUSPECT-PMQ", "such POSIX message queues", 0,
	    COL_RIGHT },
	[C_ORPHAN_PSHM_BYTES] = { "ORPHAN-PSHM-BYTES", "bytes of /dev/shm "
	    "the orphaned POSIX shm files hold", 0, COL_RIGHT },
	[C_UNATTACHED] = { "UNATTACHED", "segments nobody has attached", 0,
	    COL_RIGHT },
	[C_UNATTACHED_BYTES] = { "UNATTACHED-BYTES",
	    "bytes in unattached segments", 0, COL_RIGHT },
	[C_PSHM] = { "PSHM", "POSIX shm files in the snapshot", 0, COL_RIGHT },
	[C_PSEM] = { "PSEM", "POSIX named semaphores", 0, COL_RIGHT },
	[C_PMQ] = { "PMQ", "POSIX message queues", 0, COL_RIGHT },
	[C_PSHM_BYTES] = { "PSHM-BYTES", "bytes of /dev/shm the POSIX shm "
	    "files hold", 0, COL_RIGHT },
	[C_DRIFT] = { "DRIFT", "against the -p profiles: ok, or what differs",
	    0, COL_DEFAULT },
	[C_REASON] = { "REASON", "why a snapshot was skipped", 0,
	    COL_DEFAULT },
	RES_COL(R_SHMMNI, "SHMMNI%"),
	RES_COL(R_SHMALL, "SHMALL%"),
	RES_COL(R_SHMMAX, "SHMMAX%"),
	RES_COL(R_SEMMNI, "SEMMNI%"),
	RES_COL(R_SEMMNS, "SEMMNS%"),
	RES_COL(R_SEMMSL, "SEMMSL%"),
	RES_COL(R_SEMOPM, "SEMOPM%"),
	RES_COL(R_MSGMNI, "MSGMNI%"),
	RES_COL(R_MSGMNB, "MSGMNB%"),
	RES_COL(R_MSGMAX, "MSGMAX%"),
	RES_COL(R_MQUEUE_QUEUES, "MQUEUE_QUEUES%"),
	RES_COL(R_DEV_SHM, "DEV_SHM%"),
	RES_COL(R_DEV_SHM_INODES, "DEV_SHM_INODES%"),
	RES_COL(R_MQUEUE_MSG_MAX, "MQUEUE_MSG_MAX%"),
	RES_COL(R_MQUEUE_MSGSIZE_MAX, "MQUEUE_MSGSIZE_MAX%"),
	RES_COL(R_MQUEUE_BYTES, "MQUEUE_BYTES%"),
	SC_COL(SC_SHMMAX, "kernel.shmmax"),
	SC_COL(SC_SHMALL, "kernel.shmall"),
	SC_COL(SC_SHMMNI, "kernel.shmmni"),
	SC_COL(SC_SHM_RMID_FORCED, "kernel.shm_rmid_forced"),
	SC_COL(SC_SEM, "kernel.sem"),
	SC_COL(SC_MSGMAX, "kernel.msgmax"),
	SC_COL(SC_MSGMNB, "kernel.msgmnb"),
	SC_COL(SC_MSGMNI, "kernel.msgmni"),
	SC_COL(SC_MQ_QUEUES_MAX, "fs.mqueue.queues_max"),
	SC_COL(SC_MQ_MSG_MAX, "fs.mqueue.msg_max"),
	SC_COL(SC_MQ_MSGSIZE_MAX, "fs.mqueue.msgsize_max"),
	SC_COL(SC_MQ_MSG_DEFAULT, "fs.mqueue.msg_default"),
	SC_COL(SC_MQ_MSGSIZE_DEFAULT, "fs.mqueue.msgsize_default"),
};

_Static_assert(C_ORPHAN_PMQ - C_ORPHAN_SHM + 1 == IPC_NTYPES,
    "one ORPHAN- column per IPC type");
_Static_assert(C_SUSPECT_PMQ - C_SUSPECT_PSHM + 1 == IPC_NTYPES - IPC_NSYSV &&
    C_PMQ - C_PSHM + 1 == IPC_NTYPES - IPC_NSYSV,
    "one SUSPECT- and one object column per POSIX type");

static const struct column_set cmd_report_columns[] = {
	{ host_cols, C_COUNT },
	{ NULL, 0 },
};

/* The summary tables have fixed columns. */
enum { H_RESOURCE, H_HOST, H_USED, H_LIMIT, H_FREE, H_USE, H_FILE };
static const struct column headroom_cols[] = {
	[H_RESOURCE] = { "RESOURCE", "", 0, COL_DEFAULT },
	[H_HOST] = { "HOST", "", 0, COL_DEFAULT },
	[H_USED] = { "USED", "", 0, COL_DEFAULT | COL_RIGHT },
	[H_LIMIT] = { "LIMIT", "", 0, COL_DEFAULT | COL_RIGHT },
	[H_FREE] = { "FREE", "", 0, COL_DEFAULT | COL_RIGHT },
	[H_USE] = { "USE%", "", 0, COL_DEFAULT | COL_RIGHT },
	[H_FILE] = { "FILE", "", 0, COL_DEFAULT },
};
enum { L_HOST, L_LEAKED, L_SHM, L_SEM, L_MSG, L_POSIX, L_EVIDENCE, L_FILE };
static const struct column leak_cols[] = {
	[L_HOST] = { "HOST", "", 0, COL_DEFAULT },
	[L_LEAKED] = { "LEAKED", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_SHM] = { "SHM", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_SEM] = { "SEM", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_MSG] = { "MSG", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_POSIX] = { "POSIX", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_EVIDENCE] = { "EVIDENCE", "", 0, COL_DEFAULT },
	[L_FILE] = { "FILE", "", 0, COL_DEFAULT },
};
enum { S_SYSCTL, S_VALUE, S_HOSTS, S_SHARE };
static const struct column sysctl_cols[] = {
	[S_SYSCTL] = { "SYSCTL", "", 0, COL_DEFAULT },
	[S_VALUE] = { "VALUE", "", 0, COL_DEFAULT },
	[S_HOSTS] = { "HOSTS", "", 0, COL_DEFAULT | COL_RIGHT },
	[S_SHARE] = { "SHARE", "", 0, COL_DEFAULT | COL_RIGHT },
};
enum { D_HOST, D_DRIFT, D_FILE };
static const struct column drift_cols[] = {
	[D_HOST] = { "HOST", "", 0, COL_DEFAULT },
	[D_DRIFT] = { "DRIFT", "", 0, COL_DEFAULT | COL_WRAP },
	[D_FILE] = { "FILE", "", 0, COL_DEFAULT },
};
enum { K_FILE, K_REASON };
static const struct column skip_cols[] = {
	[K_FILE] = { "FILE", "", 0, COL_DEFAULT },
	[K_REASON] = { "REASON", "", 0, COL_DEFAULT | COL_WRAP },
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

struct report_opts {
	uint64_t top;
	bool hosts;
	struct profcmd pc;	/* -p, --set, --exact, --profile-dir */
};

static int
handle(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct report_opts *o = ctx;
	char err[512];

	switch (id) {
	case PO_PROFILE:
	case PO_SET:
	case PO_EXACT:
	case PO_PROFILE_DIR:
		if (profcmd_option(&o->pc, id, arg, err, sizeof(err)) < 0)
			return cli_usage_error(self, "%s", err);
		break;
	case O_TOP:
		if (num_parse_u64(arg, 1, REPORT_TOP_MAX, &o->top) < 0)
			return cli_usage_error(self,
			    "invalid --top '%s' (use 1 to %d)", arg,
			    REPORT_TOP_MAX);
		break;
	case O_HOSTS:
		o->hosts = true;
		break;
	}
	return 0;
}

/* Load the -p profiles once; each host evaluates them with its facts. */
static int
load_profiles(struct profcmd *pc, char *err, size_t errlen)
{
	profcmd_search(pc);
	for (size_t i = 0; i < pc->nnames; i++) {
		struct profile *p = xmalloc(sizeof(*p));

		profile_init(p);
		pc->profiles[pc->nprofiles++] = p;
		if (profstore_load(pc->names[i], &pc->search, p, err,
		    errlen) < 0)
			return -1;
	}
	return 0;
}

/*
 * Judge one host against the profiles as 'verify' judges the running
 * values (drift.h), into D: the host drifts when a value is below the
 * profiles' (with --exact, when it differs).
 */
static void
judge(struct report *r, struct profcmd *pc, const struct kstate *ks,
    struct drift_result *d)
{
	struct profile_facts f;
	struct recommendation rec;
	char err[512], detail[1024];

	profcmd_facts(ks, &f);
	for (size_t i = 0; i < pc->nprofiles; i++)
		if (profile_evaluate(pc->profiles[i], &f, pc->sets, pc->nsets,
		    err, sizeof(err)) < 0) {
			report_set_drift(r, DRIFT_ERROR, err);
			return;
		}
	recommend_init(&rec);
	recommend_build((const struct profile *const *)pc->profiles,
	    pc->nprofiles, ks, pc->exact, &rec);
	drift_judge(&rec, ks, NULL, pc->exact, d);
	report_set_drift(r, drift_verdict_of(d), drift_detail(d, detail,
	    sizeof(detail)));
	recommend_release(&rec);
}

/*
 * The reason a snapshot is listed as skipped: what was wrong with it (the
 * file is listed next to it), or why it could not be read.
 */
static const char *
skip_reason(const char *path, const struct snapshot_error *e, char *buf,
    size_t len)
{
	if (e->kind == SNAPSHOT_EMALFORMED)
		return e->detail;
	snprintf(buf, len, "cannot read snapshot '%s': %s", path, e->detail);
	return buf;
}

struct add_ctx {
	struct report *r;
	const struct fleet *f;
	struct profcmd *pc;
	struct drift_result *d;
};

/* Summarise and free snapshot I, in the order of the fleet. */
static void
add_one(void *ctx, size_t i, int rc, struct kstate *ks,
    const struct snapshot_extra *x, const struct snapshot_error *e)
{
	struct add_ctx *c = ctx;
	struct model m;
	char buf[1024];

	if (rc < 0) {
		report_add_skip(c->r, c->f->paths[i], skip_reason(
		    c->f->paths[i], e, buf, sizeof(buf)));
		return;
	}
	model_build(ks, &m);
	report_add(c->r, c->f->paths[i], ks, &m);
	if (x->has_orphans)
		report_set_orphans(c->r, x->orphans);
	if (x->has_posix_orphans)
		report_set_posix_orphans(c->r, x->orphans, x->suspect,
		    x->orphan_pshm_bytes);
	if (c->pc->nprofiles > 0)
		judge(c->r, c->pc, ks, c->d);
	model_release(&m);
	kstate_release(ks);
}

/*
 * Load, summarise and free each snapshot in turn; the parsing, most of
 * the work, runs ahead on every CPU this process may use.
 */
static void
add_all(struct report *r, const struct fleet *f, struct profcmd *pc)
{
	struct add_ctx c = { r, f, pc, xmalloc(sizeof(*c.d)) };

	fleet_each(f, fleet_threads(), add_one, &c);
	free(c.d);
}

/* ---- output ---- */

/* How the forms print: the options they read. */
struct view {
	const struct globals *g;
	bool raw;	/* sizes as plain numbers: --bytes, and CSV */
	bool csv;	/* ratios as 0-1 numbers, no colour */
};

/*
 * One cell of the per-host view, typed, so that each form (table, CSV,
 * JSON) formats it its own way from the one column table.
 */
enum cell_kind {
	CELL_NONE,	/* no cell; the JSON object it opens is null */
	CELL_EMPTY,	/* an empty cell; null in JSON */
	CELL_TEXT,	/* text; a JSON string */
	CELL_U64,	/* digits; a JSON integer, KEY_exact when too big */
	CELL_COUNT,	/* digits; a JSON integer, null when too big */
	CELL_BYTES,	/* a human size, digits when raw; JSON as CELL_U64 */
	CELL_RATIO,	/* percent, a 0-1 number in CSV; a JSON number */
	CELL_TIME,	/* RFC 3339 UTC, "-" for none; JSON string or null */
};

struct cell {
	enum cell_kind kind;
	const char *text;
	uint64_t u;
	int64_t t;
	double ratio;
	char buf[1200];		/* room for a text the cell makes */
};

/* Percent with a dot decimal in every locale, or a 0-1 ratio for CSV. */
static const char *
fmt_ratio(double ratio, bool csv, char *buf, size_t len)
{
	if (csv)
		snprintf(buf, len, "%.6f", ratio);
	else
		render_percent(ratio, buf, len);
	return buf;
}

/* The table and CSV text of C, or NULL for no cell. */
static const char *
cell_text(const struct cell *c, const struct view *v, char *buf,
    size_t len)
{
	switch (c->kind) {
	case CELL_NONE:
		return NULL;
	case CELL_EMPTY:
		return "";
	case CELL_TEXT:
		return c->text;
	case CELL_U64:
	case CELL_COUNT:
		snprintf(buf, len, "%" PRIu64, c->u);
		return buf;
	case CELL_BYTES:
		return render_bytes(c->u, v->raw, buf, len);
	case CELL_RATIO:
		return fmt_ratio(c->ratio, v->csv, buf, len);
	case CELL_TIME:
		/* --time-format is for tables; CSV keeps ISO 8601 */
		return v->csv ? render_time(c->t, buf, len) :
		    render_time_as(&v->g->view, c->t, buf, len);
	}
	return NULL;
}

/* Member KEY of O for C. */
static void
cell_json(json_t *o, const char *key, const struct cell *c)
{
	switch (c->kind) {
	case CELL_NONE:
	case CELL_EMPTY:
		json_object_set_new(o, key, json_null());
		break;
	case CELL_TEXT:
		json_object_set_new(o, key, json_string(c->text));
		break;
	case CELL_U64:
	case CELL_BYTES:
		json_set_u64(o, key, c->u);
		break;
	case CELL_COUNT:
		json_object_set_new(o, key, json_u64(c->u));
		break;
	case CELL_RATIO:
		json_object_set_new(o, key, json_real(c->ratio));
		break;
	case CELL_TIME:
		json_set_time(o, key, c->t);
		break;
	}
}

static void
cell_set(struct cell *c, enum cell_kind kind, const char *text, uint64_t u)
{
	c->kind = kind;
	c->text = text;
	c->u = u;
}

/* The verdict prefixes of drift_text(); no profile gives "". */
static const char *const drift_prefix[DRIFT_NVERDICTS] = {
	[DRIFT_COMPLIANT] = "ok",
	[DRIFT_DRIFT] = "drift: ",
	[DRIFT_ERROR] = "error: ",
};

/* "ok", "drift: WHAT", "error: WHY", or "" when no profile was given. */
static const char *
drift_text(const struct report_host *h, char *buf, size_t len)
{
	if (h->drift == DRIFT_UNCHECKED || h->drift == DRIFT_COMPLIANT)
		return drift_prefix[h->drift] ? drift_prefix[h->drift] : "";
	snprintf(buf, len, "%s%s", drift_prefix[h->drift], h->drift_detail ?
	    h->drift_detail : "");
	return buf;
}

/* The cells of the per-host view, each read from a host once. */
static void
f_file(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_TEXT, h->file, 0);
}

static void
f_host(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_TEXT, h->hostname, 0);
}

static void
f_status(const struct report_host *h, int arg, struct cell *c)
{
	(void)h;
	(void)arg;
	cell_set(c, CELL_TEXT, "ok", 0);
}

static void
f_kernel(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_TEXT, h->kernel_release, 0);
}

static void
f_read_at(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_TIME, NULL, 0);
	c->t = h->read_at;
}

static void
f_worst(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	if (h->worst < 0)
		cell_set(c, CELL_EMPTY, NULL, 0);
	else
		cell_set(c, CELL_TEXT, resource_table[h->worst].name, 0);
}

static void
f_worst_use(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, h->worst < 0 ? CELL_EMPTY : CELL_RATIO, NULL, 0);
	if (h->worst >= 0)
		c->ratio = h->res[h->worst].ratio;
}

static void
f_warnings(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_COUNT, NULL, h->nwarnings);
}

static void
f_critical(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_COUNT, NULL, h->ncritical);
}

static void
f_leaked(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_U64, NULL, report_leaked(h));
}

/* The host's own orphan verdicts of type ARG, if it has them. */
static void
f_orphans(const struct report_host *h, int arg, struct cell *c)
{
	bool has = IPC_TYPE_IS_POSIX(arg) ? h->has_posix_orphans :
	    h->has_orphans;

	cell_set(c, has ? CELL_U64 : CELL_NONE, NULL, h->orphans[arg]);
}

/* The host's POSIX objects of type ARG judged suspect, if judged. */
static void
f_suspect(const struct report_host *h, int arg, struct cell *c)
{
	cell_set(c, h->has_posix_orphans ? CELL_U64 : CELL_NONE, NULL,
	    h->suspect[arg]);
}

static void
f_orphan_pshm_bytes(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, h->has_posix_orphans ? CELL_BYTES : CELL_NONE, NULL,
	    h->orphan_pshm_bytes);
}

/* The POSIX objects of type ARG in the snapshot, if it lists them. */
static void
f_posix(const struct report_host *h, int arg, struct cell *c)
{
	cell_set(c, h->has_posix[arg] ? CELL_U64 : CELL_NONE, NULL,
	    h->posix_objects[arg]);
}

static void
f_pshm_bytes(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, h->has_posix[IPC_PSHM] ? CELL_BYTES : CELL_NONE, NULL,
	    h->pshm_bytes);
}

static void
f_unattached(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_U64, NULL, h->unattached_shm);
}

static void
f_unattached_bytes(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	cell_set(c, CELL_BYTES, NULL, h->unattached_shm_bytes);
}

static void
f_drift(const struct report_host *h, int arg, struct cell *c)
{
	(void)arg;
	if (h->drift == DRIFT_UNCHECKED)
		cell_set(c, CELL_EMPTY, NULL, 0);
	else
		cell_set(c, CELL_TEXT, drift_text(h, c->buf, sizeof(c->buf)),
		    0);
}

static void
f_reason(const struct report_host *h, int arg, struct cell *c)
{
	(void)h;
	(void)arg;
	cell_set(c, CELL_EMPTY, NULL, 0);
}

/* The used ratio of resource ARG. */
static void
f_ratio(const struct report_host *h, int arg, struct cell *c)
{
	cell_set(c, h->res[arg].has_ratio ? CELL_RATIO : CELL_EMPTY, NULL, 0);
	c->ratio = h->res[arg].ratio;
}

/* The value of sysctl ARG. */
static void
f_sysctl(const struct report_host *h, int arg, struct cell *c)
{
	cell_set(c, h->sysctl_text[arg] ? CELL_TEXT : CELL_EMPTY,
	    h->sysctl_text[arg], 0);
}

static const char *
type_key(int t)
{
	return ipctype_table[t].json_key;
}

static const char *
resource_key(int i)
{
	return resource_table[i].name;
}

static const char *
sysctl_key(int i)
{
	return sysctl_table[i].name;
}

/*
 * How each column of host_cols reads its cell, and its member in the
 * JSON "hosts" list: the three forms are this table, in its order.  A
 * column without a key is the table's own (FILE and HOST open every
 * JSON host as "hostname" and "file", host_ref()); a group gathers the
 * members of one JSON object.
 */
struct host_field {
	void (*get)(const struct report_host *h, int arg, struct cell *c);
	int arg;
	const char *key;	/* JSON member, or NULL */
	const char *(*keyof)(int arg);	/* or the member named by ARG */
	const char *group;	/* the JSON object it sits in, or NULL */
};

#define RES_FIELD(r) [C_RES + (r)] = { f_ratio, r, NULL, resource_key, \
	"used_ratio" }
#define SC_FIELD(s) [C_SC + (s)] = { f_sysctl, s, NULL, sysctl_key, \
	"sysctls" }

static const struct host_field host_fields[C_COUNT] = {
	[C_FILE] = { f_file, 0, NULL, NULL, NULL },
	[C_HOST] = { f_host, 0, NULL, NULL, NULL },
	[C_STATUS] = { f_status, 0, NULL, NULL, NULL },
	[C_KERNEL] = { f_kernel, 0, "kernel_release", NULL, NULL },
	[C_READ_AT] = { f_read_at, 0, "read_at", NULL, NULL },
	[C_WORST] = { f_worst, 0, "worst_resource", NULL, NULL },
	[C_WORST_USE] = { f_worst_use, 0, NULL, NULL, NULL },
	[C_WARNINGS] = { f_warnings, 0, "findings_warning", NULL, NULL },
	[C_CRITICAL] = { f_critical, 0, "findings_critical", NULL, NULL },
	[C_LEAKED] = { f_leaked, 0, "leaked", NULL, NULL },
	[C_ORPHAN_SHM] = { f_orphans, IPC_SHM, NULL, type_key, "orphans" },
	[C_ORPHAN_SEM] = { f_orphans, IPC_SEM, NULL, type_key, "orphans" },
	[C_ORPHAN_MSG] = { f_orphans, IPC_MSG, NULL, type_key, "orphans" },
	[C_ORPHAN_PSHM] = { f_orphans, IPC_PSHM, NULL, type_key, "orphans" },
	[C_ORPHAN_PSEM] = { f_orphans, IPC_PSEM, NULL, type_key, "orphans" },
	[C_ORPHAN_PMQ] = { f_orphans, IPC_PMQ, NULL, type_key, "orphans" },
	[C_SUSPECT_PSHM] = { f_suspect, IPC_PSHM, NULL, type_key, "suspect" },
	[C_SUSPECT_PSEM] = { f_suspect, IPC_PSEM, NULL, type_key, "suspect" },
	[C_SUSPECT_PMQ] = { f_suspect, IPC_PMQ, NULL, type_key, "suspect" },
	[C_ORPHAN_PSHM_BYTES] = { f_orphan_pshm_bytes, 0,
	    "orphan_pshm_bytes", NULL, NULL },
	[C_UNATTACHED] = { f_unattached, 0, "unattached_shm_segments", NULL,
	    NULL },
	[C_UNATTACHED_BYTES] = { f_unattached_bytes, 0,
	    "unattached_shm_bytes", NULL, NULL },
	[C_PSHM] = { f_posix, IPC_PSHM, NULL, type_key, "posix_objects" },
	[C_PSEM] = { f_posix, IPC_PSEM, NULL, type_key, "posix_objects" },
	[C_PMQ] = { f_posix, IPC_PMQ, NULL, type_key, "posix_objects" },
	[C_PSHM_BYTES] = { f_pshm_bytes, 0, "pshm_bytes", NULL, NULL },
	[C_DRIFT] = { f_drift, 0, "drift", NULL, NULL },
	[C_REASON] = { f_reason, 0, NULL, NULL, NULL },
	RES_FIELD(R_SHMMNI), RES_FIELD(R_SHMALL), RES_FIELD(R_SHMMAX),
	RES_FIELD(R_SEMMNI), RES_FIELD(R_SEMMNS), RES_FIELD(R_SEMMSL),
	RES_FIELD(R_SEMOPM), RES_FIELD(R_MSGMNI), RES_FIELD(R_MSGMNB),
	RES_FIELD(R_MSGMAX), RES_FIELD(R_MQUEUE_QUEUES), RES_FIELD(R_DEV_SHM),
	RES_FIELD(R_DEV_SHM_INODES), RES_FIELD(R_MQUEUE_MSG_MAX),
	RES_FIELD(R_MQUEUE_MSGSIZE_MAX), RES_FIELD(R_MQUEUE_BYTES),
	SC_FIELD(SC_SHMMAX), SC_FIELD(SC_SHMALL), SC_FIELD(SC_SHMMNI),
	SC_FIELD(SC_SHM_RMID_FORCED), SC_FIELD(SC_SEM), SC_FIELD(SC_MSGMAX),
	SC_FIELD(SC_MSGMNB), SC_FIELD(SC_MSGMNI), SC_FIELD(SC_MQ_QUEUES_MAX),
	SC_FIELD(SC_MQ_MSG_MAX), SC_FIELD(SC_MQ_MSGSIZE_MAX),
	SC_FIELD(SC_MQ_MSG_DEFAULT), SC_FIELD(SC_MQ_MSGSIZE_DEFAULT),
};

/* One host as a row of the per-host table (or CSV). */
static void
host_row(struct table *t, const struct report_host *h, const struct view *v)
{
	struct cell c;
	char b[64];

	table_row(t);
	for (size_t i = 0; i < C_COUNT; i++) {
		host_fields[i].get(h, host_fields[i].arg, &c);
		table_cell(t, i, cell_text(&c, v, b, sizeof(b)));
	}
	if (h->worst >= 0 && !v->csv)
		table_row_color(t, h->res[h->worst].ratio >= 1.0 ? 2 :
		    h->res[h->worst].ratio >= MODEL_WARN_RATIO ? 1 : 0);
}

/* Is every cell of the group that column I opens CELL_NONE for H? */
static bool
group_none(const struct report_host *h, size_t i, size_t to)
{
	const char *g = host_fields[i].group;
	struct cell c;

	for (; i < to && host_fields[i].group != NULL &&
	    strcmp(host_fields[i].group, g) == 0; i++) {
		host_fields[i].get(h, host_fields[i].arg, &c);
		if (c.kind != CELL_NONE)
			return false;
	}
	return true;
}

/*
 * The members of columns FROM to TO (excluded) of H into the JSON host
 * X; a group is null when every cell of it is CELL_NONE.
 */
static void
host_members(json_t *x, const struct report_host *h, size_t from,
    size_t to)
{
	const char *gname = NULL;
	json_t *grp = NULL;
	struct cell c;

	for (size_t i = from; i < to; i++) {
		const struct host_field *f = &host_fields[i];
		const char *key = f->keyof ? f->keyof(f->arg) : f->key;

		if (key == NULL)
			continue;
		f->get(h, f->arg, &c);
		if (f->group == NULL) {
			cell_json(x, key, &c);
			continue;
		}
		if (gname == NULL || strcmp(gname, f->group) != 0) {
			gname = f->group;
			grp = group_none(h, i, to) ? NULL : json_object();
			json_object_set_new(x, gname, grp ? grp : json_null());
		}
		if (grp != NULL)
			cell_json(grp, key, &c);
	}
}

static json_t *
host_ref(const struct report_host *h)
{
	json_t *o = json_object();

	json_object_set_new(o, "hostname", json_string(h->hostname));
	json_object_set_new(o, "file", json_string(h->file));
	return o;
}

/* Every column's name, for CSV without -o. */
static char *
all_columns(void)
{
	char *all = xstrdup(host_cols[0].name);

	for (size_t i = 1; i < C_COUNT; i++) {
		char *n = xasprintf("%s,%s", all, host_cols[i].name);

		free(all);
		all = n;
	}
	return all;
}

/* The per-host view as a table (--hosts) or CSV: hosts, then skips. */
static int
print_hosts(const struct command *self, const struct report *r,
    struct globals *g)
{
	struct view v = { g, g->bytes || g->format == FMT_CSV,
	    g->format == FMT_CSV };
	char err[1024], *all = NULL;
	struct table *t;

	/* a spreadsheet gets every column unless -o says otherwise */
	if (v.csv && g->columns == NULL)
		all = all_columns();
	t = table_new(host_cols, C_COUNT, all ? all : g->columns, &g->view,
	    err, sizeof(err));
	free(all);
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	for (size_t i = 0; i < r->nhosts; i++)
		host_row(t, &r->hosts[i], &v);
	for (size_t i = 0; i < r->nskips; i++) {
		table_row(t);
		table_cell(t, C_FILE, r->skips[i].file);
		table_cell(t, C_STATUS, "skipped");
		table_cell(t, C_REASON, r->skips[i].reason);
	}
	return table_print_free(t) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* ---- the summary (table) ---- */

static void
title(const struct globals *g, bool *first, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
title(const struct globals *g, bool *first, const char *fmt, ...)
{
	va_list ap;

	if (g->noheadings)
		return;
	if (!*first)
		printf("\n");
	*first = false;
	va_start(ap, fmt);
	textesc_vfprintf(stdout, fmt, ap);
	va_end(ap);
	printf("\n");
}

static struct table *
new_table(const struct column *cols, size_t n, const struct globals *g)
{
	char err[256];
	struct render_opts plain = g->view;

	plain.format = FMT_TABLE;
	return table_new(cols, n, NULL, &plain, err, sizeof(err));
}

/* "... and N more" under a list cut at --top. */
static void
more(const struct globals *g, size_t shown, size_t all)
{
	if (shown < all && !g->noheadings)
		printf("... and %zu more (--top, --hosts or --format json "
		    "list them all)\n", all - shown);
}

static int
headroom_table(const struct report *r, const struct globals *g)
{
	char b1[64], b2[64], b3[64], b4[64];
	struct table *t = new_table(headroom_cols, NCOLS(headroom_cols), g);

	for (int i = 0; i < R_COUNT; i++) {
		const struct resource_desc *d = &resource_table[i];

		for (size_t k = 0; k < r->ntop[i]; k++) {
			const struct report_host *h =
			    &r->hosts[r->top[i][k].host];
			const struct resource *x = &h->res[i];

			table_row(t);
			table_cell(t, H_RESOURCE, d->name);
			table_cell(t, H_HOST, h->hostname);
			table_cell(t, H_USED, render_resource_value(d, x->used, g->bytes, b1,
			    sizeof(b1)));
			table_cell(t, H_LIMIT, render_resource_limit(d, x,
			    g->bytes, b2, sizeof(b2)));
			/* the headroom under no limit is no limit too */
			table_cell(t, H_FREE, render_resource_value(d, !g->bytes &&
			    x->limit >= SYSCTL_UNLIMITED ? x->limit : x->free,
			    g->bytes, b3, sizeof(b3)));
			table_cell(t, H_USE, render_percent(x->ratio, b4,
			    sizeof(b4)));
			table_cell(t, H_FILE, h->file);
			table_row_color(t, x->ratio >= 1.0 ? 2 :
			    x->ratio >= MODEL_WARN_RATIO ? 1 : 0);
		}
	}
	return table_print_free(t);
}

/* The evidence columns of a leaky host: its verdicts, or what it shows. */
static void
leak_cells(struct table *t, const struct report_host *h)
{
	static const int col[] = { [IPC_SHM] = L_SHM, [IPC_SEM] = L_SEM,
	    [IPC_MSG] = L_MSG };
	char b[64];

	uint64_t posix = 0;

	_Static_assert(sizeof(col) / sizeof(col[0]) == IPC_NSYSV,
	    "col needs one row per System V type");
	for (int k = 0; k < IPC_NSYSV; k++) {
		const char *v = "-";

		/* without verdicts, the unattached segments are the evidence */
		if (h->has_orphans)
			v = render_count(h->orphans[k], b, sizeof(b));
		else if (k == IPC_SHM)
			v = render_count(h->unattached_shm, b, sizeof(b));
		table_cell(t, (size_t)col[k], v);
	}
	for (int k = IPC_NSYSV; k < IPC_NTYPES; k++)
		posix += h->orphans[k];
	table_cell(t, L_POSIX, h->has_posix_orphans ? render_count(posix, b,
	    sizeof(b)) : "-");
	table_cell(t, L_EVIDENCE, h->has_orphans ? "orphans" : "unattached");
}

static int
leaks_table(const struct report *r, const struct globals *g)
{
	size_t shown = r->leaky_hosts < r->top_n ? r->leaky_hosts : r->top_n;
	size_t *leaky = report_leaky_hosts(r);
	struct table *t = new_table(leak_cols, NCOLS(leak_cols), g);
	char b[64];
	int rc;

	for (size_t k = 0; k < shown; k++) {
		const struct report_host *h = &r->hosts[leaky[k]];

		table_row(t);
		table_cell(t, L_HOST, h->hostname);
		table_cell(t, L_LEAKED, render_count(report_leaked(h), b,
		    sizeof(b)));
		leak_cells(t, h);
		table_cell(t, L_FILE, h->file);
	}
	rc = table_print_free(t);
	more(g, shown, r->leaky_hosts);
	free(leaky);
	return rc;
}

static int
drift_table(const struct report *r, const struct globals *g)
{
	size_t bad = r->drift_count[DRIFT_DRIFT] + r->drift_count[DRIFT_ERROR];
	size_t shown = 0;
	struct table *t = new_table(drift_cols, NCOLS(drift_cols), g);
	char b[1200];
	int rc;

	for (size_t i = 0; i < r->nhosts && shown < r->top_n; i++) {
		const struct report_host *h = &r->hosts[i];

		if (h->drift != DRIFT_DRIFT && h->drift != DRIFT_ERROR)
			continue;
		shown++;
		table_row(t);
		table_cell(t, D_HOST, h->hostname);
		table_cell(t, D_DRIFT, drift_text(h, b, sizeof(b)));
		table_cell(t, D_FILE, h->file);
	}
	rc = table_print_free(t);
	more(g, shown, bad);
	return rc;
}

static void
value_row(struct table *t, int s, const char *value, size_t hosts,
    size_t nhosts)
{
	char b1[64], b2[64];

	table_row(t);
	table_cell(t, S_SYSCTL, sysctl_table[s].name);
	table_cell(t, S_VALUE, value);
	table_cell(t, S_HOSTS, render_count(hosts, b1, sizeof(b1)));
	table_cell(t, S_SHARE, render_percent((double)hosts /
	    (double)nhosts, b2, sizeof(b2)));
}

static int
sysctl_table_print(const struct report *r, const struct globals *g)
{
	struct table *t = new_table(sysctl_cols, NCOLS(sysctl_cols), g);

	for (int s = 0; s < SC_COUNT; s++) {
		const struct report_dist *d = &r->dist[s];

		for (size_t k = 0; k < d->nvalues; k++)
			value_row(t, s, d->values[k].text, d->values[k].hosts,
			    r->nhosts);
		if (d->other > 0)
			value_row(t, s, "(other values)", d->other,
			    r->nhosts);
	}
	return table_print_free(t);
}

static int
skip_table(const struct report *r, const struct globals *g)
{
	struct table *t = new_table(skip_cols, NCOLS(skip_cols), g);

	for (size_t k = 0; k < r->nskips; k++) {
		table_row(t);
		table_cell(t, K_FILE, r->skips[k].file);
		table_cell(t, K_REASON, r->skips[k].reason);
	}
	return table_print_free(t);
}

static int
print_summary(const struct report *r, const struct globals *g,
    size_t nfiles, const char *profiles)
{
	bool first = false;
	int rc = 0;

	if (!g->noheadings)
		printf("%zu snapshots: %zu read, %zu skipped\n", nfiles,
		    r->nhosts, r->nskips);
	title(g, &first, "Least headroom (up to %zu hosts per resource):",
	    r->top_n);
	rc |= headroom_table(r, g);
	title(g, &first, "Hosts with leaked objects: %zu", r->leaky_hosts);
	if (r->leaky_hosts > 0)
		rc |= leaks_table(r, g);
	if (profiles != NULL) {
		title(g, &first, "Hosts that drift from %s: %zu of %zu%s",
		    profiles, r->drift_count[DRIFT_DRIFT], r->nhosts,
		    r->drift_count[DRIFT_ERROR] ?
		    " (some could not be judged)" : "");
		if (r->drift_count[DRIFT_DRIFT] + r->drift_count[DRIFT_ERROR])
			rc |= drift_table(r, g);
	}
	title(g, &first, "Sysctl values across the fleet:");
	rc |= sysctl_table_print(r, g);
	if (r->nskips > 0) {
		title(g, &first, "Skipped snapshots: %zu", r->nskips);
		rc |= skip_table(r, g);
	}
	return rc;
}

/* ---- the summary (JSON) ---- */

static json_t *
headroom_json(const struct report *r)
{
	json_t *a = json_array();

	for (int i = 0; i < R_COUNT; i++) {
		json_t *e = json_object(), *list = json_array();

		json_object_set_new(e, "resource",
		    json_string(resource_table[i].name));
		json_object_set_new(e, "unit",
		    json_string(resource_table[i].unit));
		for (size_t k = 0; k < r->ntop[i]; k++) {
			const struct report_host *h =
			    &r->hosts[r->top[i][k].host];
			json_t *x = host_ref(h);

			json_set_limit(x, "limit", &h->res[i]);
			json_set_u64(x, "used", h->res[i].used);
			json_set_u64(x, "free", h->res[i].free);
			json_object_set_new(x, "used_ratio",
			    json_real(h->res[i].ratio));
			json_array_append_new(list, x);
		}
		json_object_set_new(e, "hosts", list);
		json_array_append_new(a, e);
	}
	return a;
}

/* The host's own orphan verdicts, else what the snapshot shows. */
static json_t *
leaks_json(const struct report *r)
{
	json_t *o = json_object(), *a = json_array();
	size_t *leaky = report_leaky_hosts(r);

	for (size_t k = 0; k < r->leaky_hosts; k++) {
		const struct report_host *h = &r->hosts[leaky[k]];
		json_t *x = host_ref(h);

		json_object_set_new(x, "evidence", json_string(
		    h->has_orphans ? "orphans" : "unattached_shm"));
		host_members(x, h, C_LEAKED, C_UNATTACHED_BYTES + 1);
		json_array_append_new(a, x);
	}
	free(leaky);
	json_object_set_new(o, "hosts", a);
	return o;
}

static json_t *
drift_json(const struct report *r, const struct profcmd *pc)
{
	static const char *const state[DRIFT_NVERDICTS] = {
		[DRIFT_UNCHECKED] = "unchecked",
		[DRIFT_COMPLIANT] = "compliant",
		[DRIFT_DRIFT] = "drift",
		[DRIFT_ERROR] = "error",
	};
	json_t *o = json_object(), *names = json_array(), *a = json_array();

	for (size_t i = 0; i < pc->nnames; i++)
		json_array_append_new(names, json_string(pc->names[i]));
	json_object_set_new(o, "profiles", names);
	json_object_set_new(o, "exact", json_boolean(pc->exact));
	json_object_set_new(o, "compliant",
	    json_u64(r->drift_count[DRIFT_COMPLIANT]));
	json_object_set_new(o, "drifting",
	    json_u64(r->drift_count[DRIFT_DRIFT]));
	json_object_set_new(o, "errors", json_u64(r->drift_count[DRIFT_ERROR]));
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct report_host *h = &r->hosts[i];
		json_t *x;

		if (h->drift != DRIFT_DRIFT && h->drift != DRIFT_ERROR)
			continue;
		x = host_ref(h);
		json_object_set_new(x, "state", json_string(state[h->drift]));
		json_object_set_new(x, "detail", json_string(
		    h->drift_detail ? h->drift_detail : ""));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "hosts", a);
	return o;
}

static json_t *
sysctls_json(const struct report *r)
{
	json_t *a = json_array();

	for (int s = 0; s < SC_COUNT; s++) {
		const struct report_dist *d = &r->dist[s];
		json_t *e = json_object(), *vals = json_array();

		json_object_set_new(e, "sysctl",
		    json_string(sysctl_table[s].name));
		for (size_t k = 0; k < d->nvalues; k++) {
			json_t *x = json_object();

			json_object_set_new(x, "value",
			    json_string(d->values[k].text));
			json_object_set_new(x, "hosts",
			    json_u64(d->values[k].hosts));
			json_array_append_new(vals, x);
		}
		json_object_set_new(e, "values", vals);
		json_object_set_new(e, "other_hosts", json_u64(d->other));
		json_object_set_new(e, "missing_hosts", json_u64(d->missing));
		json_array_append_new(a, e);
	}
	return a;
}

static json_t *
skipped_json(const struct report *r)
{
	json_t *a = json_array();

	for (size_t k = 0; k < r->nskips; k++) {
		json_t *x = json_object();

		json_object_set_new(x, "file", json_string(r->skips[k].file));
		json_object_set_new(x, "reason",
		    json_string(r->skips[k].reason));
		json_array_append_new(a, x);
	}
	return a;
}

/* The per-host view in JSON: the columns of host_fields that have keys. */
static json_t *
hosts_json(const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nhosts; i++) {
		json_t *x = host_ref(&r->hosts[i]);

		host_members(x, &r->hosts[i], 0, C_COUNT);
		json_array_append_new(a, x);
	}
	return a;
}

static json_t *
report_json(const struct report *r, size_t nfiles, bool hosts,
    const struct profcmd *pc, int64_t now)
{
	json_t *root = render_envelope("report", NULL, now), *o = json_object();

	json_object_set_new(o, "files", json_u64(nfiles));
	json_object_set_new(o, "read", json_u64(r->nhosts));
	json_object_set_new(o, "skipped", json_u64(r->nskips));
	json_object_set_new(root, "snapshots", o);
	json_object_set_new(root, "headroom", headroom_json(r));
	json_object_set_new(root, "leaks", leaks_json(r));
	json_object_set_new(root, "drift", pc->nnames > 0 ?
	    drift_json(r, pc) : json_null());
	json_object_set_new(root, "sysctls", sysctls_json(r));
	json_object_set_new(root, "skipped", skipped_json(r));
	if (hosts)
		json_object_set_new(root, "hosts", hosts_json(r));
	return root;
}

static int
cmd_report(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct report_opts o = { .top = 3, .hosts = false };
	struct fleet f;
	struct report r;
	char err[1024], names[512];
	bool done;
	int idx, status;
	size_t nfiles;

	profcmd_init(&o.pc);
	status = cli_parse(self, argc, argv, g, handle, &o, &idx, &done);
	if (status != 0 || done)
		goto out;
	status = EXIT_USAGE;
	if (idx >= argc) {
		cli_usage_error(self, "no snapshot files or directories given");
		goto out;
	}
	if (g->columns != NULL && !o.hosts && g->format != FMT_CSV) {
		cli_usage_error(self, "-o selects the columns of --hosts and "
		    "--format csv");
		goto out;
	}
	if (o.pc.nnames == 0 && (o.pc.nsets > 0 || o.pc.exact)) {
		cli_usage_error(self, "--set and --exact need -p");
		goto out;
	}
	if (o.pc.nnames > 0 && load_profiles(&o.pc, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		status = EXIT_FAIL;
		goto out;
	}
	report_init(&r, (size_t)o.top);
	fleet_init(&f);
	for (int i = idx; i < argc; i++)
		fleet_add(&f, argv[i]);
	for (size_t i = 0; i < f.nskips; i++)
		report_add_skip(&r, f.skips[i].path, f.skips[i].reason);
	nfiles = f.npaths + f.nskips;
	add_all(&r, &f, &o.pc);
	report_finish(&r);
	for (size_t i = 0; r.nhosts > 0 && i < o.pc.nsets; i++)
		if (!o.pc.sets[i].used) {
			cli_usage_error(self, "--set %s: no variable '%s' in "
			    "the chosen profiles", o.pc.sets[i].name,
			    o.pc.sets[i].name);
			goto release;
		}
	if (g->format == FMT_JSON)
		status = render_json_print(report_json(&r, nfiles, o.hosts,
		    &o.pc, g->view.now)) == 0 ? EXIT_OK : EXIT_FAIL;
	else if (o.hosts || g->format == FMT_CSV)
		status = print_hosts(self, &r, g);
	else
		status = print_summary(&r, g, nfiles, o.pc.nnames ?
		    profcmd_names(&o.pc, names, sizeof(names)) : NULL) == 0 ?
		    EXIT_OK : EXIT_FAIL;
	/*
	 * Every item was reported; the exit status still says what went
	 * wrong: unreadable snapshots or unjudged hosts first, then drift.
	 */
	if (status == EXIT_OK && (r.nskips > 0 || r.nhosts == 0 ||
	    r.drift_count[DRIFT_ERROR] > 0))
		status = EXIT_FAIL;
	else if (status == EXIT_OK && r.drift_count[DRIFT_DRIFT] > 0)
		status = EXIT_NO;
release:
	fleet_release(&f);
	report_release(&r);
out:
	profcmd_release(&o.pc);
	return status;
}

const struct command cmd_report_entry = {
	.name = "report", .fn = cmd_report, .args = "FILE...|DIR...",
	.summary = "fleet summary over many snapshots",
	.opts = cmd_report_opts,
	.flags = CMD_FORMATS_JSON | CMD_CSV | CMD_OPERANDS,
	.colsets = cmd_report_columns
};
