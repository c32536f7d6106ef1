/*
 * cmd_report.c: 'ipctune report FILE...|DIR...', the fleet view over
 * many snapshot documents.  It loads one snapshot at a time, hands it to
 * report.c and frees it before the next, so memory follows the number of
 * hosts, not their size.  Option parsing, file walking and output only.
 */
#define _GNU_SOURCE	/* qsort_r */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
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
	C_ORPHAN_SEM, C_ORPHAN_MSG, C_UNATTACHED, C_UNATTACHED_BYTES,
	C_DRIFT, C_REASON, C_RES,
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
	[C_UNATTACHED] = { "UNATTACHED", "segments nobody has attached", 0,
	    COL_RIGHT },
	[C_UNATTACHED_BYTES] = { "UNATTACHED-BYTES",
	    "bytes in unattached segments", 0, COL_RIGHT },
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
enum { L_HOST, L_LEAKED, L_SHM, L_SEM, L_MSG, L_EVIDENCE, L_FILE };
static const struct column leak_cols[] = {
	[L_HOST] = { "HOST", "", 0, COL_DEFAULT },
	[L_LEAKED] = { "LEAKED", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_SHM] = { "SHM", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_SEM] = { "SEM", "", 0, COL_DEFAULT | COL_RIGHT },
	[L_MSG] = { "MSG", "", 0, COL_DEFAULT | COL_RIGHT },
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

/* ---- finding the snapshots ---- */

/* A file already listed: the same file under two names counts once. */
struct file_id {
	dev_t dev;
	ino_t ino;
};

struct paths {
	char **v;
	size_t n, cap;
	struct file_id *ids;
	size_t nids, idcap;
};

static void
paths_add(struct paths *p, char *path)
{
	xgrow(&p->v, p->n, &p->cap, sizeof(*p->v));
	p->v[p->n++] = path;
}

/*
 * Add PATH, a file whose stat(2) is ST, unless the same file (device and
 * inode) is listed already: a hard link, a symbolic link to a file, or
 * a file named twice.  Takes PATH over.
 */
static void
paths_add_file(struct paths *p, char *path, const struct stat *st)
{
	for (size_t i = 0; i < p->nids; i++)
		if (p->ids[i].dev == st->st_dev &&
		    p->ids[i].ino == st->st_ino) {
			free(path);
			return;
		}
	xgrow(&p->ids, p->nids, &p->idcap, sizeof(*p->ids));
	p->ids[p->nids].dev = st->st_dev;
	p->ids[p->nids++].ino = st->st_ino;
	paths_add(p, path);
}

static void
paths_release(struct paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p->ids);
}

/* One entry of a directory being walked. */
struct walk_entry {
	char *path;
	bool dir;
	struct stat st;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct walk_entry *)a)->path,
	    ((const struct walk_entry *)b)->path);
}

static bool
is_json_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/*
 * Every *.json file under DIR, depth first in name order (Ansible's
 * fetch puts each host's file under a directory named after the host).
 * Symbolic links to directories are not followed: a "latest" link to one
 * of the dated directories would count every host twice, and a link to
 * an ancestor would loop.  A link to a file is read as the file, once.
 * Unreadable directories are skipped with the reason.
 */
static void
walk_dir(const char *dir, struct paths *p, struct report *r, int depth)
{
	struct walk_entry *sub = NULL;
	size_t nsub = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if (depth > 16) {
		report_add_skip(r, dir, "directories nested too deep");
		return;
	}
	d = opendir(dir);
	if (d == NULL) {
		report_add_skip(r, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *path;
		bool isdir;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) < 0) {
			free(path);
			continue;
		}
		isdir = S_ISDIR(st.st_mode);
		/* a link counts as what it names, unless that is a directory */
		if (S_ISLNK(st.st_mode) && (stat(path, &st) < 0 ||
		    !S_ISREG(st.st_mode))) {
			free(path);
			continue;
		}
		if (!isdir && !(S_ISREG(st.st_mode) &&
		    is_json_name(de->d_name))) {
			free(path);
			continue;
		}
		xgrow(&sub, nsub, &cap, sizeof(*sub));
		sub[nsub].path = path;
		sub[nsub].dir = isdir;
		sub[nsub++].st = st;
	}
	closedir(d);
	if (nsub > 1)
		qsort(sub, nsub, sizeof(*sub), entry_cmp);
	for (size_t i = 0; i < nsub; i++) {
		if (sub[i].dir) {
			walk_dir(sub[i].path, p, r, depth + 1);
			free(sub[i].path);
		} else {
			paths_add_file(p, sub[i].path, &sub[i].st);
		}
	}
	free(sub);
}

/*
 * The loader's message without the "malformed snapshot 'FILE': " that
 * repeats the file the report lists next to it.
 */
static const char *
short_reason(const char *err, const char *file)
{
	const char *q = strchr(err, '\'');
	size_t n = strlen(file);

	if (q != NULL && strncmp(q + 1, file, n) == 0 &&
	    strncmp(q + 1 + n, "': ", 3) == 0) {
		if (strncmp(err, "malformed snapshot ", 19) == 0)
			return q + 1 + n + 3;
		return err;
	}
	return err;
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
 * Judge one host against the profiles the way 'verify' judges the running
 * values: the host drifts when the recommendation for it would change a
 * value (raise it, or with --exact also lower it).
 */
static void
judge(struct report *r, struct profcmd *pc, const struct kstate *ks)
{
	struct profile_facts f;
	struct recommendation rec;
	char err[512], detail[1024] = "";
	size_t used = 0;

	profcmd_facts(ks, &f);
	for (size_t i = 0; i < pc->nprofiles; i++)
		if (profile_evaluate(pc->profiles[i], &f, pc->sets, pc->nsets,
		    err, sizeof(err)) < 0) {
			report_set_drift(r, RD_ERROR, err);
			return;
		}
	recommend_init(&rec);
	recommend_build((const struct profile *const *)pc->profiles,
	    pc->nprofiles, ks, pc->exact, &rec);
	for (int i = 0; i < SC_COUNT && used < sizeof(detail); i++) {
		const struct rec_item *it = &rec.item[i];

		if (!it->present || it->action == REC_KEEP)
			continue;
		for (int k = 0; k < it->nfields && used < sizeof(detail); k++) {
			const struct rec_field *fl = &it->f[k];

			if (fl->action == REC_KEEP)
				continue;
			used += (size_t)snprintf(detail + used,
			    sizeof(detail) - used, "%s%s%s%s %s%" PRIu64
			    " -> %" PRIu64, used ? ", " : "",
			    sysctl_table[i].name, it->nfields > 1 ? "." : "",
			    it->nfields > 1 ? sem_field_names[k] : "",
			    fl->has_current ? "" : "unset ",
			    fl->has_current ? fl->current : 0,
			    fl->recommended);
		}
	}
	report_set_drift(r, rec.changes ? RD_DRIFT : RD_COMPLIANT, detail);
	recommend_release(&rec);
}

/* The orphan counts a snapshot carries, read while it is loaded. */
struct orphan_counts {
	bool has;
	uint64_t n[IPC_NTYPES];
};

/*
 * "orphans": {"shm": N, "sem": N, "msg": N, ...}, written by 'snapshot'
 * where the processes could be seen.  Older snapshots lack it; a member
 * of the wrong shape is ignored like a missing one.
 */
static void
read_orphans(json_t *doc, void *ctx)
{
	struct orphan_counts *c = ctx;
	json_t *o = json_object_get(doc, "orphans");

	c->has = false;
	if (!json_is_object(o))
		return;
	for (int k = 0; k < IPC_NTYPES; k++) {
		json_t *v = json_object_get(o, ipctype_table[k].json_key);

		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return;
		c->n[k] = (uint64_t)json_integer_value(v);
	}
	c->has = true;
}

/* Load, summarise and free each snapshot in turn. */
static void
add_all(struct report *r, const struct paths *p, struct profcmd *pc)
{
	struct orphan_counts oc;
	char err[1024];

	for (size_t i = 0; i < p->n; i++) {
		struct kstate ks;
		struct model m;

		kstate_init(&ks);
		oc.has = false;
		if (snapshot_load_ex(p->v[i], &ks, read_orphans, &oc, err,
		    sizeof(err)) < 0) {
			report_add_skip(r, p->v[i], short_reason(err,
			    p->v[i]));
			continue;
		}
		model_build(&ks, &m);
		report_add(r, p->v[i], &ks, &m);
		if (oc.has)
			report_set_orphans(r, oc.n);
		if (pc->nprofiles > 0)
			judge(r, pc, &ks);
		model_release(&m);
		kstate_release(&ks);
	}
}

/* ---- output ---- */

static const char *
fmt_num(const struct resource_desc *d, uint64_t v, bool raw, char *buf,
    size_t len)
{
	if (raw)
		snprintf(buf, len, "%" PRIu64, v);
	else if (v >= SYSCTL_UNLIMITED)
		snprintf(buf, len, "unlimited");
	else if (strcmp(d->unit, "bytes") == 0)
		render_bytes(v, false, buf, len);
	else
		render_count(v, buf, len);
	return buf;
}

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

static int
leak_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct report *r = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct report_host *x = &r->hosts[a], *y = &r->hosts[b];

	if (report_leaked(x) != report_leaked(y))
		return report_leaked(x) > report_leaked(y) ? -1 : 1;
	if (x->unattached_shm_bytes != y->unattached_shm_bytes)
		return x->unattached_shm_bytes > y->unattached_shm_bytes ?
		    -1 : 1;
	return a < b ? -1 : a > b;
}

/* Indexes of the hosts with unattached segments, most first. */
static size_t *
leaky_hosts(const struct report *r)
{
	size_t *v = xcalloc(r->leaky_hosts + 1, sizeof(*v)), n = 0;

	for (size_t i = 0; i < r->nhosts; i++)
		if (report_leaked(&r->hosts[i]) > 0)
			v[n++] = i;
	qsort_r(v, n, sizeof(*v), leak_cmp, (void *)(uintptr_t)r);
	return v;
}

static void
title(const struct globals *g, bool *first, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#include <stdarg.h>

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

/* "ok", "drift: WHAT", "error: WHY", or "" when no profile was given. */
static const char *
drift_text(const struct report_host *h, char *buf, size_t len)
{
	switch (h->drift) {
	case RD_COMPLIANT:
		return "ok";
	case RD_DRIFT:
		snprintf(buf, len, "drift: %s", h->drift_detail ?
		    h->drift_detail : "");
		return buf;
	case RD_ERROR:
		snprintf(buf, len, "error: %s", h->drift_detail ?
		    h->drift_detail : "");
		return buf;
	case RD_UNCHECKED:
		break;
	}
	return "";
}

static int
print_summary(const struct report *r, const struct globals *g,
    size_t nfiles, const char *profiles)
{
	bool first = true;
	char b1[64], b2[64], b3[64], b4[64];
	struct table *t;
	size_t *leaky;
	int rc = 0;

	if (!g->noheadings)
		printf("%zu snapshots: %zu read, %zu skipped\n", nfiles,
		    r->nhosts, r->nskips);
	first = false;
	title(g, &first, "Least headroom (up to %zu hosts per resource):",
	    r->top_n);
	t = new_table(headroom_cols, NCOLS(headroom_cols), g);
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource_desc *d = &resource_table[i];

		for (size_t k = 0; k < r->ntop[i]; k++) {
			const struct report_host *h =
			    &r->hosts[r->top[i][k].host];
			const struct resource *x = &h->res[i];

			table_row(t);
			table_cell(t, H_RESOURCE, d->name);
			table_cell(t, H_HOST, h->hostname);
			table_cell(t, H_USED, fmt_num(d, x->used, g->bytes, b1,
			    sizeof(b1)));
			table_cell(t, H_LIMIT, fmt_num(d, x->limit, g->bytes,
			    b2, sizeof(b2)));
			/* the headroom under no limit is no limit too */
			table_cell(t, H_FREE, fmt_num(d, !g->bytes &&
			    x->limit >= SYSCTL_UNLIMITED ? x->limit : x->free,
			    g->bytes, b3, sizeof(b3)));
			table_cell(t, H_USE, render_percent(x->ratio, b4,
			    sizeof(b4)));
			table_cell(t, H_FILE, h->file);
			table_row_color(t, x->ratio >= 1.0 ? 2 :
			    x->ratio >= MODEL_WARN_RATIO ? 1 : 0);
		}
	}
	rc |= table_print_free(t);

	title(g, &first, "Hosts with leaked objects: %zu", r->leaky_hosts);
	if (r->leaky_hosts > 0) {
		size_t shown = r->leaky_hosts < r->top_n ? r->leaky_hosts :
		    r->top_n;

		leaky = leaky_hosts(r);
		t = new_table(leak_cols, NCOLS(leak_cols), g);
		for (size_t k = 0; k < shown; k++) {
			const struct report_host *h = &r->hosts[leaky[k]];

			table_row(t);
			table_cell(t, L_HOST, h->hostname);
			table_cell(t, L_LEAKED, render_count(report_leaked(h),
			    b1, sizeof(b1)));
			if (h->has_orphans) {
				table_cell(t, L_SHM, render_count(
				    h->orphans[0], b2, sizeof(b2)));
				table_cell(t, L_SEM, render_count(
				    h->orphans[1], b3, sizeof(b3)));
				table_cell(t, L_MSG, render_count(
				    h->orphans[2], b4, sizeof(b4)));
				table_cell(t, L_EVIDENCE, "orphans");
			} else {
				table_cell(t, L_SHM, render_count(
				    h->unattached_shm, b2, sizeof(b2)));
				table_cell(t, L_SEM, "-");
				table_cell(t, L_MSG, "-");
				table_cell(t, L_EVIDENCE, "unattached");
			}
			table_cell(t, L_FILE, h->file);
		}
		rc |= table_print_free(t);
		if (shown < r->leaky_hosts && !g->noheadings)
			printf("... and %zu more (--top, --hosts or --format "
			    "json list them all)\n", r->leaky_hosts - shown);
		free(leaky);
	}

	if (profiles != NULL) {
		size_t bad = r->drift_count[RD_DRIFT] +
		    r->drift_count[RD_ERROR];
		size_t shown = 0;

		title(g, &first, "Hosts that drift from %s: %zu of %zu%s",
		    profiles, r->drift_count[RD_DRIFT], r->nhosts,
		    r->drift_count[RD_ERROR] ? " (some could not be judged)" :
		    "");
		if (bad > 0) {
			t = new_table(drift_cols, NCOLS(drift_cols), g);
			for (size_t i = 0; i < r->nhosts && shown < r->top_n;
			    i++) {
				const struct report_host *h = &r->hosts[i];
				char b[1200];

				if (h->drift != RD_DRIFT &&
				    h->drift != RD_ERROR)
					continue;
				shown++;
				table_row(t);
				table_cell(t, D_HOST, h->hostname);
				table_cell(t, D_DRIFT, drift_text(h, b,
				    sizeof(b)));
				table_cell(t, D_FILE, h->file);
			}
			rc |= table_print_free(t);
			if (shown < bad && !g->noheadings)
				printf("... and %zu more (--top, --hosts or "
				    "--format json list them all)\n",
				    bad - shown);
		}
	}

	title(g, &first, "Sysctl values across the fleet:");
	t = new_table(sysctl_cols, NCOLS(sysctl_cols), g);
	for (int s = 0; s < SC_COUNT; s++) {
		const struct report_dist *d = &r->dist[s];

		for (size_t k = 0; k < d->nvalues; k++) {
			table_row(t);
			table_cell(t, S_SYSCTL, sysctl_table[s].name);
			table_cell(t, S_VALUE, d->values[k].text);
			table_cell(t, S_HOSTS, render_count(d->values[k].hosts,
			    b1, sizeof(b1)));
			table_cell(t, S_SHARE, render_percent((double)
			    d->values[k].hosts / (double)r->nhosts, b2,
			    sizeof(b2)));
		}
		if (d->other > 0) {
			table_row(t);
			table_cell(t, S_SYSCTL, sysctl_table[s].name);
			table_cell(t, S_VALUE, "(other values)");
			table_cell(t, S_HOSTS, render_count(d->other, b1,
			    sizeof(b1)));
			table_cell(t, S_SHARE, render_percent((double)d->other /
			    (double)r->nhosts, b2, sizeof(b2)));
		}
	}
	rc |= table_print_free(t);

	if (r->nskips > 0) {
		title(g, &first, "Skipped snapshots: %zu", r->nskips);
		t = new_table(skip_cols, NCOLS(skip_cols), g);
		for (size_t k = 0; k < r->nskips; k++) {
			table_row(t);
			table_cell(t, K_FILE, r->skips[k].file);
			table_cell(t, K_REASON, r->skips[k].reason);
		}
		rc |= table_print_free(t);
	}
	return rc;
}

static void
host_row(struct table *t, const struct report_host *h, bool raw, bool csv)
{
	char b[64], b2[1200];

	table_row(t);
	table_cell(t, C_FILE, h->file);
	table_cell(t, C_STATUS, "ok");
	table_cell(t, C_REASON, "");
	table_cell(t, C_HOST, h->hostname);
	table_cell(t, C_KERNEL, h->kernel_release);
	table_cell(t, C_READ_AT, render_time(h->read_at, b, sizeof(b)));
	table_cell(t, C_WORST, h->worst >= 0 ?
	    resource_table[h->worst].name : "");
	table_cell(t, C_WORST_USE, h->worst >= 0 ?
	    fmt_ratio(h->res[h->worst].ratio, csv, b, sizeof(b)) : "");
	snprintf(b, sizeof(b), "%zu", h->nwarnings);
	table_cell(t, C_WARNINGS, b);
	snprintf(b, sizeof(b), "%zu", h->ncritical);
	table_cell(t, C_CRITICAL, b);
	snprintf(b, sizeof(b), "%" PRIu64, report_leaked(h));
	table_cell(t, C_LEAKED, b);
	for (int k = 0; k < IPC_NTYPES && h->has_orphans; k++) {
		snprintf(b, sizeof(b), "%" PRIu64, h->orphans[k]);
		table_cell(t, C_ORPHAN_SHM + (size_t)k, b);
	}
	snprintf(b, sizeof(b), "%" PRIu64, h->unattached_shm);
	table_cell(t, C_UNATTACHED, b);
	table_cell(t, C_UNATTACHED_BYTES, render_bytes(h->unattached_shm_bytes,
	    raw, b, sizeof(b)));
	table_cell(t, C_DRIFT, drift_text(h, b2, sizeof(b2)));
	for (int i = 0; i < R_COUNT; i++)
		table_cell(t, C_RES + (size_t)i, h->res[i].has_ratio ?
		    fmt_ratio(h->res[i].ratio, csv, b, sizeof(b)) : "");
	for (int s = 0; s < SC_COUNT; s++)
		table_cell(t, C_SC + (size_t)s, h->sysctl_text[s] ?
		    h->sysctl_text[s] : "");
	if (h->worst >= 0 && !csv)
		table_row_color(t, h->res[h->worst].ratio >= 1.0 ? 2 :
		    h->res[h->worst].ratio >= MODEL_WARN_RATIO ? 1 : 0);
}

static int
print_hosts(const struct command *self, const struct report *r, struct globals *g)
{
	bool csv = g->format == FMT_CSV;
	const char *sel = g->columns;
	char err[1024], *all = NULL;
	struct table *t;

	/* a spreadsheet gets every column unless -o says otherwise */
	if (csv && sel == NULL) {
		all = xstrdup(host_cols[0].name);
		for (size_t i = 1; i < C_COUNT; i++) {
			char *n = xasprintf("%s,%s", all, host_cols[i].name);

			free(all);
			all = n;
		}
		sel = all;
	}
	t = table_new(host_cols, C_COUNT, sel, &g->view, err, sizeof(err));
	free(all);
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	for (size_t i = 0; i < r->nhosts; i++)
		host_row(t, &r->hosts[i], g->bytes || csv, csv);
	for (size_t i = 0; i < r->nskips; i++) {
		table_row(t);
		table_cell(t, C_FILE, r->skips[i].file);
		table_cell(t, C_STATUS, "skipped");
		table_cell(t, C_REASON, r->skips[i].reason);
	}
	return table_print_free(t) == 0 ? EXIT_OK : EXIT_FAIL;
}

static json_t *
host_ref(const struct report_host *h)
{
	json_t *o = json_object();

	json_object_set_new(o, "hostname", json_string(h->hostname));
	json_object_set_new(o, "file", json_string(h->file));
	return o;
}

/* {"shm": N, "sem": N, "msg": N} of the host's verdicts, or null. */
static json_t *
orphans_json(const struct report_host *h)
{
	json_t *o;

	if (!h->has_orphans)
		return json_null();
	o = json_object();
	for (int k = 0; k < IPC_NTYPES; k++)
		json_set_u64(o, ipctype_table[k].json_key, h->orphans[k]);
	return o;
}

static json_t *
report_json(const struct report *r, size_t nfiles, bool hosts,
    const struct profcmd *pc, int64_t now)
{
	json_t *root = render_envelope("report", NULL, now), *o, *a;
	size_t *leaky;

	o = json_object();
	json_object_set_new(o, "files", json_u64(nfiles));
	json_object_set_new(o, "read", json_u64(r->nhosts));
	json_object_set_new(o, "skipped", json_u64(r->nskips));
	json_object_set_new(root, "snapshots", o);

	a = json_array();
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

			json_set_u64(x, "limit", h->res[i].limit);
			json_set_u64(x, "used", h->res[i].used);
			json_set_u64(x, "free", h->res[i].free);
			json_object_set_new(x, "used_ratio",
			    json_real(h->res[i].ratio));
			json_array_append_new(list, x);
		}
		json_object_set_new(e, "hosts", list);
		json_array_append_new(a, e);
	}
	json_object_set_new(root, "headroom", a);

	/* the host's own orphan verdicts, else what the snapshot shows */
	o = json_object();
	a = json_array();
	leaky = leaky_hosts(r);
	for (size_t k = 0; k < r->leaky_hosts; k++) {
		const struct report_host *h = &r->hosts[leaky[k]];
		json_t *x = host_ref(h);

		json_object_set_new(x, "evidence", json_string(
		    h->has_orphans ? "orphans" : "unattached_shm"));
		json_set_u64(x, "leaked", report_leaked(h));
		json_object_set_new(x, "orphans", orphans_json(h));
		json_set_u64(x, "unattached_shm_segments", h->unattached_shm);
		json_set_u64(x, "unattached_shm_bytes",
		    h->unattached_shm_bytes);
		json_array_append_new(a, x);
	}
	free(leaky);
	json_object_set_new(o, "hosts", a);
	json_object_set_new(root, "leaks", o);

	if (pc->nnames > 0) {
		static const char *const state[] = { "unchecked", "compliant",
		    "drift", "error" };
		json_t *names = json_array();

		o = json_object();
		for (size_t i = 0; i < pc->nnames; i++)
			json_array_append_new(names,
			    json_string(pc->names[i]));
		json_object_set_new(o, "profiles", names);
		json_object_set_new(o, "exact", json_boolean(pc->exact));
		json_object_set_new(o, "compliant",
		    json_u64(r->drift_count[RD_COMPLIANT]));
		json_object_set_new(o, "drifting",
		    json_u64(r->drift_count[RD_DRIFT]));
		json_object_set_new(o, "errors",
		    json_u64(r->drift_count[RD_ERROR]));
		a = json_array();
		for (size_t i = 0; i < r->nhosts; i++) {
			const struct report_host *h = &r->hosts[i];
			json_t *x;

			if (h->drift != RD_DRIFT && h->drift != RD_ERROR)
				continue;
			x = host_ref(h);
			json_object_set_new(x, "state",
			    json_string(state[h->drift]));
			json_object_set_new(x, "detail", json_string(
			    h->drift_detail ? h->drift_detail : ""));
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "hosts", a);
		json_object_set_new(root, "drift", o);
	} else {
		json_object_set_new(root, "drift", json_null());
	}

	a = json_array();
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
	json_object_set_new(root, "sysctls", a);

	a = json_array();
	for (size_t k = 0; k < r->nskips; k++) {
		json_t *x = json_object();

		json_object_set_new(x, "file", json_string(r->skips[k].file));
		json_object_set_new(x, "reason",
		    json_string(r->skips[k].reason));
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "skipped", a);

	if (hosts) {
		a = json_array();
		for (size_t i = 0; i < r->nhosts; i++) {
			const struct report_host *h = &r->hosts[i];
			json_t *x = host_ref(h), *res = json_object(),
			    *sc = json_object();

			json_object_set_new(x, "kernel_release",
			    json_string(h->kernel_release));
			json_set_time(x, "read_at", h->read_at);
			json_object_set_new(x, "worst_resource", h->worst >= 0 ?
			    json_string(resource_table[h->worst].name) :
			    json_null());
			json_object_set_new(x, "findings_warning",
			    json_u64(h->nwarnings));
			json_object_set_new(x, "findings_critical",
			    json_u64(h->ncritical));
			json_set_u64(x, "leaked", report_leaked(h));
			json_object_set_new(x, "orphans", orphans_json(h));
			json_set_u64(x, "unattached_shm_segments",
			    h->unattached_shm);
			json_set_u64(x, "unattached_shm_bytes",
			    h->unattached_shm_bytes);
			{
				char b[1200];

				json_object_set_new(x, "drift",
				    h->drift == RD_UNCHECKED ? json_null() :
				    json_string(drift_text(h, b, sizeof(b))));
			}
			for (int i2 = 0; i2 < R_COUNT; i2++)
				json_object_set_new(res,
				    resource_table[i2].name,
				    h->res[i2].has_ratio ?
				    json_real(h->res[i2].ratio) :
				    json_null());
			json_object_set_new(x, "used_ratio", res);
			for (int s = 0; s < SC_COUNT; s++)
				json_object_set_new(sc, sysctl_table[s].name,
				    h->sysctl_text[s] ?
				    json_string(h->sysctl_text[s]) :
				    json_null());
			json_object_set_new(x, "sysctls", sc);
			json_array_append_new(a, x);
		}
		json_object_set_new(root, "hosts", a);
	}
	return root;
}

static int
cmd_report(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct report_opts o = { .top = 3, .hosts = false };
	struct paths p = { NULL, 0, 0, NULL, 0, 0 };
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
	for (int i = idx; i < argc; i++) {
		struct stat st;

		/* an operand is followed: the user named it */
		if (strcmp(argv[i], "-") == 0 || stat(argv[i], &st) < 0)
			paths_add(&p, xstrdup(argv[i]));
		else if (S_ISDIR(st.st_mode))
			walk_dir(argv[i], &p, &r, 0);
		else
			paths_add_file(&p, xstrdup(argv[i]), &st);
	}
	nfiles = p.n + r.nskips;
	add_all(&r, &p, &o.pc);
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
	    r.drift_count[RD_ERROR] > 0))
		status = EXIT_FAIL;
	else if (status == EXIT_OK && r.drift_count[RD_DRIFT] > 0)
		status = EXIT_NO;
release:
	paths_release(&p);
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
