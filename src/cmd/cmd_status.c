/*
 * cmd_status.c: 'ipctune status', one row per IPC resource with limit,
 * used, free, used ratio, unit and sysctl, and the findings below.
 * Option parsing and glue only; the numbers come from model.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "nsfind.h"
#include "loadstate.h"
#include "model.h"
#include "numparse.h"
#include "orphanopts.h"
#include "orphanrun.h"
#include "outfile.h"
#include "platform.h"
#include "render.h"
#include "render_prom.h"
#include "snapshot.h"
#include "snapwrite.h"
#include "sysctld.h"
#include "sysctld_load.h"
#include "xmalloc.h"

enum { OPT_SCAN = 1, OPT_NO_ORPHANS, OPT_ORPHAN_MIN_AGE, OPT_ALL_NS };

static const struct cli_opt cmd_status_opts[] = {
	{ "scan", 0, no_argument, NULL, "read every object, however many: "
	    "for the largest rows, the leak count and RemoveIPC= owners",
	    OPT_SCAN, NULL },
	{ "no-orphans", 0, no_argument, NULL, "do not count orphaned "
	    "objects", OPT_NO_ORPHANS, NULL },
	{ "orphan-min-age", 0, required_argument, "AGE", "semaphore "
	    "arrays and unused queues count as orphaned only "
	    "after AGE (default 1h)", OPT_ORPHAN_MIN_AGE, NULL },
	{ "all-namespaces", 0, no_argument, NULL, "prometheus: every IPC "
	    "namespace of the host in one file", OPT_ALL_NS, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

struct status_args {
	bool scan;
	bool all_ns;
	bool no_orphans;
	uint64_t orphan_min_age_s;
};

static int
status_opt(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct status_args *a = ctx;

	switch (id) {
	case OPT_SCAN:
		a->scan = true;
		break;
	case OPT_NO_ORPHANS:
		a->no_orphans = true;
		break;
	case OPT_ALL_NS:
		a->all_ns = true;
		break;
	case OPT_ORPHAN_MIN_AGE:
		if (num_parse_duration(arg, &a->orphan_min_age_s) < 0)
			return cli_usage_error(self, "invalid "
			    "age '%s' (use a number with s, m, h, d or w)",
			    arg);
		break;
	}
	return 0;
}

enum { C_RESOURCE, C_DESCRIPTION, C_LIMIT, C_USED, C_FREE, C_USE, C_UNIT,
    C_SYSCTL, C_NOTE };

static const struct column status_cols[] = {
	[C_RESOURCE] = { "RESOURCE", "resource name", 0, COL_DEFAULT },
	[C_DESCRIPTION] = { "DESCRIPTION", "what is counted", 0, 0 },
	[C_LIMIT] = { "LIMIT", "the limit", 0, COL_DEFAULT | COL_RIGHT },
	[C_USED] = { "USED", "current usage", 0, COL_DEFAULT | COL_RIGHT },
	[C_FREE] = { "FREE", "headroom", 0, COL_DEFAULT | COL_RIGHT },
	[C_USE] = { "USE%", "used ratio", 0, COL_DEFAULT | COL_RIGHT },
	[C_UNIT] = { "UNIT", "unit of limit and usage", 0, COL_DEFAULT },
	[C_SYSCTL] = { "SYSCTL", "the sysctl that sets the limit", 0,
	    COL_DEFAULT },
	[C_NOTE] = { "NOTE", "detail", 0, COL_DEFAULT },
};

static const struct column_set cmd_status_columns[] = {
	{ status_cols, sizeof(status_cols) / sizeof(status_cols[0]) },
	{ NULL, 0 },
};

/* The NOTE cell of the POSIX queue rows: whose charge, what is unknown. */
static void
posix_note(const struct kstate *ks, const struct model *m, int i,
    char *note, size_t len)
{
	const struct mq_charges *mq = &ks->usage.mq;

	if (i != R_MQUEUE_MSG_MAX && i != R_MQUEUE_MSGSIZE_MAX &&
	    i != R_MQUEUE_BYTES)
		return;
	if (!m->res[i].has_used)
		snprintf(note, len, "%s", ks->source == KSRC_LIVE ?
		    "queues not readable" : "not in this source");
	else if (i == R_MQUEUE_BYTES)
		snprintf(note, len, "uid %u, this namespace's queues%s",
		    (unsigned)mq->caller_uid, mq->unreadable ?
		    "; some unreadable" : "");
	else if (mq->unreadable)
		snprintf(note, len, "%llu queues unreadable",
		    (unsigned long long)mq->unreadable);
	else
		snprintf(note, len, "largest queue");
}

/* The NOTE cell of resource I of M, built from KS (RAW: --bytes). */
static const char *
row_note(const struct kstate *ks, const struct model *m, int i, bool raw,
    char *note, size_t len)
{
	const struct resource *r = &m->res[i];
	const struct resource_desc *d = &resource_table[i];
	char b[64], cnt[32];

	note[0] = '\0';
	if (r->has_largest_new && r->scan_skipped)
		/* an unscanned shmmax row says so first */
		snprintf(note, len, "not scanned: %s objects "
		    "(--scan); largest new segment %s",
		    render_count(ks->usage.shm_segments, cnt,
		    sizeof(cnt)), render_resource_value(d, r->largest_new,
		    raw, b, sizeof(b)));
	else if (r->has_largest_new)
		snprintf(note, len, "largest new segment %s",
		    render_resource_value(d, r->largest_new, raw, b,
		    sizeof(b)));
	else if (i == R_MSGMNB && r->has_object_limit)
		snprintf(note, len, "queue %d of qbytes %s",
		    r->object_id, render_resource_value(d, r->object_limit,
		    raw, b, sizeof(b)));
	else if (i == R_MSGMNB && r->object_id >= 0)
		snprintf(note, len, "queue %d (qbytes not in "
		    "/proc/sysvipc: kernel.msgmnb)", r->object_id);
	else if (r->object_id >= 0)
		snprintf(note, len, "id %d", r->object_id);
	else if (r->scan_skipped)
		snprintf(note, len, "not scanned: %s objects "
		    "(--scan)", render_count(i == R_SHMMAX ?
		    ks->usage.shm_segments : i == R_SEMMSL ?
		    ks->usage.sem_arrays : ks->usage.msg_queues, b,
		    sizeof(b)));
	else if (i == R_MQUEUE_QUEUES && !r->has_used)
		snprintf(note, len, "%s",
		    ks->source == KSRC_ROOT ? "no dev/mqueue in the "
		    "tree" : ks->source == KSRC_SNAPSHOT ? "not in "
		    "the snapshot" : "usage needs root or a mounted "
		    "/dev/mqueue");
	else if (i == R_DEV_SHM && !r->has_used &&
	    ks->host.ns_path[0] != '\0')
		snprintf(note, len, "not known for --ns: "
		    "use --pid");
	else if ((i == R_DEV_SHM || i == R_DEV_SHM_INODES) && r->has_used)
		snprintf(note, len, "%s", ks->usage.dev_shm_path);
	else
		posix_note(ks, m, i, note, len);
	return note;
}

/* The rows of the kernel's build-time limits (kconst_table) in T. */
static void
const_rows(struct table *t, bool raw)
{
	char b[64];

	for (int i = 0; i < K_COUNT; i++) {
		const struct kconst_desc *k = &kconst_table[i];
		const struct resource_desc d = { k->name, "", k->unit,
		    k->description };

		table_row(t);
		table_cell(t, C_RESOURCE, k->name);
		table_cell(t, C_DESCRIPTION, k->description);
		table_cell(t, C_LIMIT, render_resource_value(&d, k->value, raw,
		    b, sizeof(b)));
		table_cell(t, C_USED, "-");
		table_cell(t, C_FREE, "-");
		table_cell(t, C_USE, "-");
		table_cell(t, C_UNIT, k->unit);
		table_cell(t, C_SYSCTL, "-");
		table_cell(t, C_NOTE, "kernel constant");
	}
}

static int
print_table(const struct command *self, const struct kstate *ks,
    const struct model *m, struct globals *g)
{
	static const char *const lvl[] = { "info", "warning", "critical" };
	struct table *t;
	char err[512], b[64], note[160];

	t = table_new(status_cols, sizeof(status_cols) /
	    sizeof(status_cols[0]), g->columns, &g->view, err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	if (!g->noheadings)
		render_namespace_line(ks);
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &m->res[i];
		const struct resource_desc *d = &resource_table[i];

		table_row(t);
		table_cell(t, C_RESOURCE, d->name);
		table_cell(t, C_DESCRIPTION, d->description);
		table_cell(t, C_LIMIT, r->has_limit ?
		    render_resource_limit(d, r, g->bytes, b, sizeof(b)) : "-");
		table_cell(t, C_USED, r->has_used ?
		    render_resource_value(d, r->used, g->bytes, b, sizeof(b)) : "-");
		/* the headroom under an unlimited limit is unlimited too */
		table_cell(t, C_FREE, !r->has_free ? "-" :
		    render_resource_value(d, !g->bytes && r->limit >= SYSCTL_UNLIMITED ?
		    r->limit : r->free, g->bytes, b, sizeof(b)));
		table_cell(t, C_USE, r->has_ratio ?
		    render_percent(r->ratio, b, sizeof(b)) : "-");
		table_cell(t, C_UNIT, d->unit);
		table_cell(t, C_SYSCTL, d->sysctl[0] ? d->sysctl : "-");
		table_cell(t, C_NOTE, row_note(ks, m, i, g->bytes, note,
		    sizeof(note)));
		if (r->has_ratio && MODEL_FILLS(i))
			table_row_color(t, r->ratio >= 1.0 ? 2 :
			    r->ratio >= MODEL_WARN_RATIO ? 1 : 0);
	}
	const_rows(t, g->bytes);
	if (table_print_free(t) < 0)
		return EXIT_FAIL;
	/* --export: only NAME="value" lines, for a shell's eval */
	if (g->view.mode == TMODE_EXPORT)
		return EXIT_OK;
	if (m->nfindings > 0 && !g->noheadings)
		printf("\n");
	for (size_t i = 0; i < m->nfindings; i++)
		render_printf("%s: %s\n", lvl[m->findings[i].level],
		    m->findings[i].text);
	return EXIT_OK;
}

/* TEXT to --output FILE (outfile_write(), mode 0644) or to stdout. */
static int
emit(const struct globals *g, const char *text, size_t len)
{
	char err[1024];

	if (g->output == NULL) {
		fwrite(text, 1, len, stdout);
		if (len > 0 && text[len - 1] != '\n')
			putchar('\n');
		return EXIT_OK;
	}
	if (outfile_write(g->output, text, len, 0644, err,
	    sizeof(err)) < 0) {
		cli_err("%s", err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * The orphan counts for Prometheus, judged as 'orphans' judges them but
 * without the maps scan (the verdicts do not depend on it).  Their cost
 * is one system call per object and per semaphore plus one /proc read
 * per distinct recorded PID.
 */
static void
prom_count(const struct orphanrun_opts *o, const struct status_args *a,
    struct orphanrun *run, struct prom_orphans *po)
{
	struct orphanrun_count c;

	orphanrun_count(o, IPC_TYPES_ALL, a->orphan_min_age_s, run, &c);
	memset(po, 0, sizeof(*po));
	for (int t = 0; t < IPC_NTYPES; t++) {
		po->orphaned[t] = c.orphaned[t];
		po->suspect[t] = c.suspect[t];
		po->freed[t] = c.freed[t];
	}
	po->unknown = c.unknown;
}

/* The resources of type T in M at or near their limit, into RES: how many. */
static size_t
near_full(const struct model *m, enum ipc_type t,
    enum resource_id res[IPCTYPE_MAXRES])
{
	enum resource_id all[IPCTYPE_MAXRES];
	size_t n = 0, nall = ipctype_resources(t, all);

	/* where model.c reports limit_reached or limit_near */
	for (size_t k = 0; k < nall; k++)
		if (m->res[all[k]].has_ratio &&
		    m->res[all[k]].ratio >= MODEL_WARN_RATIO)
			res[n++] = all[k];
	return n;
}

/*
 * After each finding of a full or nearly full resource (of TYPES), how
 * many of its objects have no live user (orphaned or suspect, judged as
 * 'orphans' judges them) and where to see them: the moment to look is
 * right after the crash that leaked them.  With dest segments, those
 * that outlived their creator.
 */
static void
leak_findings(const struct orphanrun_opts *o, const struct status_args *a,
    unsigned types, struct orphanrun *run, struct model *m, bool *shm_leaks)
{
	struct orphanrun_count c;
	enum resource_id res[IPCTYPE_MAXRES];
	char text[320];

	orphanrun_count(o, types, a->orphan_min_age_s, run, &c);
	*shm_leaks = false;
	for (int t = 0; t < IPC_NTYPES; t++) {
		const struct ipc_type_desc *d = &ipctype_table[t];
		size_t no = c.orphaned[t], ns = c.suspect[t];
		size_t nres = near_full(m, (enum ipc_type)t, res);
		/*
		 * the objects in the unit of the limit on their number; a
		 * POSIX type by its name (dev_shm is counted in bytes)
		 */
		const char *unit = d->posix ? d->plural :
		    resource_table[d->limit].unit;

		if (!(types & IPC_TYPE_BIT(t)) || no + ns == 0)
			continue;
		for (size_t k = 0; k < nres; k++) {
			const char *name = resource_table[res[k]].name;

			snprintf(text, sizeof(text), "%s: %zu of the %zu %s "
			    "have no live user (%zu orphaned, %zu suspect): "
			    "ipctune orphans", name, no + ns,
			    ipctype_count(&run->ks, t), unit, no, ns);
			model_add_finding(m, FINDING_INFO, "leaked_objects",
			    name, text);
			if (t == IPC_SHM)
				*shm_leaks = true;
		}
	}
}

/*
 * The objects of the types TYPES of KS by their counters, as "32000
 * semaphore arrays and files of /dev/shm (5000 inodes in use)" into TEXT.
 */
static void
unread_text(const struct kstate *ks, unsigned types, char *text, size_t len)
{
	const struct ipc_usage *u = &ks->usage;
	size_t off = 0, n = 0, total = 0;
	unsigned items = 0;
	bool files = false;

	/* the POSIX files share one inode count: one item */
	for (int t = 0; t < IPC_NTYPES; t++) {
		if (!(types & IPC_TYPE_BIT(t)) ||
		    (ipctype_table[t].has_inodes && files))
			continue;
		files = files || ipctype_table[t].has_inodes;
		items |= IPC_TYPE_BIT(t);
		total++;
	}
	text[0] = '\0';
	for (int t = 0; t < IPC_NTYPES && off < len; t++) {
		const struct ipc_type_desc *d = &ipctype_table[t];
		const char *sep = n == 0 ? "" : n + 1 == total ? " and " :
		    ", ";

		if (!(items & IPC_TYPE_BIT(t)))
			continue;
		n++;
		if (d->has_inodes)
			/* its used inodes count its directories too */
			off += (size_t)snprintf(text + off, len - off, "%sfiles "
			    "of %s (%llu inodes in use)", sep,
			    u->dev_shm_path,
			    (unsigned long long)u->dev_shm_inodes_used);
		else
			off += (size_t)snprintf(text + off, len - off, "%s%llu "
			    "%s", sep, (unsigned long long)ipctype_in_use(u,
			    (enum ipc_type)t), d->plural);
	}
}

/*
 * After each finding of a full or nearly full resource whose objects are
 * too many to read here (TYPES), that their leaks were not counted and
 * where to count them: once per resource, which the two types of files
 * in /dev/shm share.
 */
static void
unread_leak_findings(const struct kstate *ks, unsigned types,
    struct model *m)
{
	enum resource_id res[IPCTYPE_MAXRES];
	bool said[R_COUNT] = { false };
	char objs[160], text[400];

	for (int t = 0; t < IPC_NTYPES; t++) {
		size_t nres = near_full(m, (enum ipc_type)t, res);

		if (!(types & IPC_TYPE_BIT(t)))
			continue;
		unread_text(ks, IPC_TYPE_BIT(t), objs, sizeof(objs));
		for (size_t k = 0; k < nres; k++) {
			const char *name = resource_table[res[k]].name;

			if (said[res[k]])
				continue;
			said[res[k]] = true;
			snprintf(text, sizeof(text), "%s: the %s were not "
			    "read to count those with no live user (more than "
			    "%d of a type; status --scan reads them): ipctune "
			    "orphans", name, objs, LOADSTATE_SCAN_MAX);
			model_add_finding(m, FINDING_INFO, "leaks_not_counted",
			    name, text);
		}
	}
}

/*
 * The findings about segments a leak judgement (SHM_LEAKS: segments
 * leaked) of RUN shows: dest segments that outlived their creator, and
 * what kernel.shm_rmid_forced would do.
 */
static void
shm_findings(const struct orphanrun *run, bool shm_leaks, struct model *m)
{
	const struct sysctl_value *rf = &run->ks.sysctl[SC_SHM_RMID_FORCED];
	char dest[320];

	if (orphan_dest_stale_text(&run->r, dest, sizeof(dest)) > 0)
		model_add_finding(m, FINDING_WARNING, "dest_outlived_creator",
		    "shmmni", dest);
	/*
	 * shm_may_destroy() (ipc/shm.c) frees a segment at nattch 0 only
	 * when it is SHM_DEST or shm_rmid_forced is set; exit_shm() then
	 * destroys the creator's unattached ones, and writing 1 runs
	 * shm_destroy_orphaned() on those whose creator has gone.
	 */
	if (shm_leaks && rf->present && rf->v[0] == 0)
		model_add_finding(m, FINDING_INFO, "shm_rmid_forced_off",
		    NULL, "kernel.shm_rmid_forced is 0, so a segment its "
		    "creator leaves unattached stays; 1 makes the kernel "
		    "destroy each segment once nothing is attached (and, when "
		    "written, the leaked ones at once), so leaks cannot pile "
		    "up, but programs that detach and attach again later "
		    "(some databases) lose their segment");
}

/*
 * systemd-logind with RemoveIPC=yes removes the objects of a user above
 * SYS_UID_MAX at that user's last logout, under a running service too:
 * a warning whenever such objects exist.  The types of UNREAD were too
 * many to read for their owners: a finding says so.
 */
static void
removeipc_finding(struct orphanrun *run, unsigned unread, struct model *m)
{
	char objs[160], text[1024];

	if (orphan_removeipc_text(&run->ks, &run->host, text,
	    sizeof(text)) > 0)
		model_add_finding(m, FINDING_WARNING, "logind_removeipc", NULL,
		    text);
	if (unread == 0)
		return;
	unread_text(&run->ks, unread, objs, sizeof(objs));
	snprintf(text, sizeof(text), "systemd-logind has RemoveIPC=yes (%s), "
	    "which removes the IPC objects of users above uid %u at their "
	    "last logout: the owners of the %s were not read (more than %d "
	    "of a type; status --scan reads them): ipctune owners",
	    run->host.removeipc_source, (unsigned)run->host.sys_uid_max, objs,
	    LOADSTATE_SCAN_MAX);
	model_add_finding(m, FINDING_INFO, "logind_removeipc_unread", NULL,
	    text);
}

/*
 * In a container's namespace, how to raise the limits that are full or
 * nearly full: the platform's form, not sysctl.d.  One finding.
 */
static void
platform_finding(const struct kstate *ks, struct model *m)
{
	const char *names[R_COUNT];
	char text[320];
	size_t n = 0, nf = m->nfindings;

	if (!platform_in_container(ks))
		return;
	for (size_t i = 0; i < nf; i++) {
		const struct finding *f = &m->findings[i];
		const char *s = "";
		bool seen = false;

		if (f->resource == NULL || (strcmp(f->code, "limit_reached") &&
		    strcmp(f->code, "limit_near")))
			continue;
		for (int r = 0; r < R_COUNT; r++)
			if (strcmp(resource_table[r].name, f->resource) == 0)
				s = resource_table[r].sysctl;
		for (size_t k = 0; k < n; k++)
			seen = seen || strcmp(names[k], s) == 0;
		if (s[0] != '\0' && !seen && n < R_COUNT)
			names[n++] = s;
	}
	if (n == 0)
		return;
	platform_hint(names, n, text, sizeof(text));
	model_add_finding(m, FINDING_INFO, "container_platform_form", NULL,
	    text);
}

/*
 * Each next-boot line of an IPC sysctl (sysctl.d, under systemd-sysctl
 * and procps rules) that the kernel will reject: the boot keeps another
 * value than the file says.  Files that cannot be read are a finding too.
 */
static void
boot_findings(const struct kstate *ks, struct model *m)
{
	uint64_t mni = ks->host.ipcmni_extend ? IPC_MNI_EXTEND :
	    IPC_MNI_DEFAULT;
	struct sysctld_plan plan[SYSCTLD_NRULES];
	bool loaded[SYSCTLD_NRULES];
	char err[512], why[SYSCTLD_NRULES][400], text[320];

	for (int rules = 0; rules < SYSCTLD_NRULES; rules++) {
		loaded[rules] = sysctld_load("", (enum sysctld_rules)rules,
		    NULL, NULL, &plan[rules], err, sizeof(err)) == 0;
		if (loaded[rules])
			continue;
		snprintf(text, sizeof(text), "next boot (%s): %.260s",
		    sysctld_rules_names[rules], err);
		model_add_finding(m, FINDING_INFO, "boot_unreadable", NULL,
		    text);
	}
	for (int i = 0; i < SC_COUNT; i++) {
		struct sysctld_winner w[SYSCTLD_NRULES];
		struct sysctld_kvalue kv;
		bool bad[SYSCTLD_NRULES], same;

		for (int rules = 0; rules < SYSCTLD_NRULES; rules++)
			bad[rules] = loaded[rules] &&
			    sysctld_next_boot(&plan[rules], (enum sysctl_id)i,
			    mni, &w[rules], &kv, why[rules], sizeof(why[0]));
		/* one finding when both loaders fail on the same line alike */
		same = bad[0] && bad[1] && strcmp(w[0].file, w[1].file) ==
		    0 && w[0].line == w[1].line && strcmp(why[0], why[1]) == 0;
		for (int rules = 0; rules < SYSCTLD_NRULES; rules++) {
			if (!bad[rules] || (same && rules > 0))
				continue;
			snprintf(text, sizeof(text), "'%.80s' line %d: %s: "
			    "%.170s (%s)", w[rules].file, w[rules].line,
			    sysctl_table[i].name, why[rules], same ?
			    "systemd-sysctl and sysctl --system" :
			    sysctld_rules_names[rules]);
			model_add_finding(m, FINDING_WARNING,
			    "boot_value_rejected", NULL, text);
		}
	}
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++)
		if (loaded[rules])
			sysctld_plan_release(&plan[rules]);
}

/* The status document as JSON: host, sysctls, resources, findings. */
/* kconst_table as a JSON array. */
static json_t *
const_json(void)
{
	json_t *a = json_array();

	for (int i = 0; i < K_COUNT; i++) {
		const struct kconst_desc *k = &kconst_table[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(k->name));
		json_object_set_new(o, "description",
		    json_string(k->description));
		json_object_set_new(o, "unit", json_string(k->unit));
		json_set_u64(o, "value", k->value);
		json_array_append_new(a, o);
	}
	return a;
}

static int
print_json(struct globals *g, const struct kstate *ks, const struct model *m)
{
	json_t *root = render_envelope("status", ks, g->view.now);
	char *text;
	int status;

	json_object_set_new(root, "host", snapshot_host_json(ks));
	json_object_set_new(root, "sysctls", snapshot_sysctls_json(ks));
	json_object_set_new(root, "resources", snapshot_resources_json(m));
	json_object_set_new(root, "findings", snapshot_findings_json(m));
	json_object_set_new(root, "kernel_constants", const_json());
	if (g->output == NULL)
		return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL) {
		cli_err("cannot format the JSON document");
		return EXIT_FAIL;
	}
	status = emit(g, text, strlen(text));
	free(text);
	return status;
}

/*
 * What status judges beyond the counters.  A type with more than
 * LOADSTATE_SCAN_MAX objects is not read for it unless --scan: its
 * findings say so and where to look instead.
 */
struct status_judge {
	unsigned leaks;		/* types of full resources: leaks counted */
	unsigned leaks_unread;	/* types of full resources left unread */
	bool removeipc;		/* logind's RemoveIPC= in effect */
	unsigned owners_unread;	/* then: types whose owners were not read */
};

/*
 * Read the state status shows into RUN->ks: the counters, then the
 * objects the scan policy asks for.  Orphans for Prometheus (ORPHANS)
 * need every object; a resource at or near its limit on the live kernel
 * (J->leaks, its object types) and logind's RemoveIPC= (J->removeipc,
 * loaded into RUN->host) every object of the types under the cap.  0,
 * or an exit status after the error.
 */
static int
load(struct globals *g, const struct orphanrun_opts *o,
    const struct status_args *a, bool orphans, struct orphanrun *run,
    struct status_judge *j)
{
	struct loadstate_scan p = { .scan = a->scan,
	    .rows = KS_SYSV_OBJECTS };
	struct model m;
	char err[1024] = "";
	unsigned over;

	memset(j, 0, sizeof(*j));
	/* counters answer the totals; objects only for the "largest" rows */
	if (loadstate_read(&o->src, KS_SYSCTL | KS_USAGE, &run->ks, err,
	    sizeof(err)) < 0)
		return cli_fail(g, err);
	over = a->scan ? 0 : loadstate_over_cap(&run->ks);
	/* how many objects of a full resource have no live user */
	if (g->format != FMT_PROMETHEUS && !a->no_orphans && g->from ==
	    NULL && g->ks.root == NULL) {
		model_build(&run->ks, &m);
		j->leaks = loadstate_leak_types(&m);
		j->leaks_unread = j->leaks & over;
		j->leaks &= ~over;
		model_release(&m);
	}
	/* logind's RemoveIPC= needs every owner; a snapshot has no logind */
	if (g->format != FMT_PROMETHEUS && g->from == NULL) {
		orphanrun_host(o, run);
		j->removeipc = run->host.removeipc;
		j->owners_unread = j->removeipc ? over : 0;
	}
	p.every = orphans ? IPC_TYPES_ALL : j->leaks |
	    (j->removeipc ? IPC_TYPES_ALL & ~over : 0);
	if (loadstate_objects(&o->src, loadstate_want(&run->ks, &p),
	    &run->ks, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	return 0;
}

/*
 * --all-namespaces: every namespace read from inside it, in one
 * Prometheus file whose series carry ipc_ns and container (the full
 * container id, or "" for the host and for units).
 */
static int
status_all_ns(const struct command *self, struct globals *g)
{
	struct prom_ns *v;
	struct nsfind f;
	size_t n = 0, len;
	char err[1024], *text;
	int status;

	if (g->format != FMT_PROMETHEUS)
		return cli_usage_error(self, "--all-namespaces needs --format "
		    "prometheus (see 'ipctune namespaces')");
	if (g->ks.pid || g->ks.ns_path || g->ks.root || g->from)
		return cli_usage_error(self, "--all-namespaces excludes --pid, "
		    "--ns, --container, --root and --from");
	if (nsfind_load(&f, NSSCAN_STATE, getenv("IPCTUNE_CONTAINER_STORAGE"),
	    err, sizeof(err)) < 0)
		return cli_fail(g, err);
	v = xcalloc(f.report.nrows + 1, sizeof(*v));
	for (size_t i = 0; i < f.report.nrows; i++) {
		const struct nsreport_row *row = &f.report.rows[i];

		if (row->ns->state != NSI_READ)
			continue;
		v[n].ks = &row->ns->ks;
		v[n].m = &row->m;
		v[n++].container = row->who.pat != NULL &&
		    row->who.pat->container ? row->who.id : NULL;
	}
	text = render_prom_all(v, n, &len);
	status = emit(g, text, len);
	free(text);
	free(v);
	nsfind_release(&f);
	return status;
}

static int
cmd_status(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct status_args a = { .orphan_min_age_s = 3600 };
	struct orphanrun_opts o;
	struct orphanrun run;
	struct model m;
	struct status_judge j;
	bool done, orphans, shm_leaks;
	int idx, status;

	orphanrun_init(&run);
	status = cli_parse(self, argc, argv, g, status_opt, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	if (a.all_ns)
		return status_all_ns(self, g);
	if (g->output != NULL && g->format == FMT_TABLE)
		return cli_usage_error(self, "--output needs --format "
		    "prometheus or json");
	/*
	 * Orphans are judged against the processes running now, which a
	 * snapshot (--from) does not describe.
	 */
	orphans = g->format == FMT_PROMETHEUS && !a.no_orphans &&
	    g->from == NULL;
	orphanopts_run(g, &o);
	status = load(g, &o, &a, orphans, &run, &j);
	if (status != 0) {
		orphanrun_release(&run);
		return status;
	}
	model_build(&run.ks, &m);
	if (j.removeipc)
		removeipc_finding(&run, j.owners_unread, &m);
	/* dest segments are judged too: one may have outlived its creator */
	if (m.dest.segments > 0 && g->format != FMT_PROMETHEUS &&
	    !a.no_orphans && g->from == NULL && g->ks.root == NULL)
		j.leaks |= IPC_TYPE_BIT(IPC_SHM);
	if (j.leaks != 0) {
		leak_findings(&o, &a, j.leaks, &run, &m, &shm_leaks);
		shm_findings(&run, shm_leaks, &m);
	}
	unread_leak_findings(&run.ks, j.leaks_unread, &m);
	platform_finding(&run.ks, &m);
	/* the sysctl.d files are this host's: not for --root or --from */
	if (g->format != FMT_PROMETHEUS && g->from == NULL &&
	    g->ks.root == NULL)
		boot_findings(&run.ks, &m);
	if (g->format == FMT_PROMETHEUS) {
		struct prom_orphans po;
		size_t len;
		char *text;

		memset(&po, 0, sizeof(po));
		if (orphans)
			prom_count(&o, &a, &run, &po);
		text = render_prom(&run.ks, &m, orphans ? &po : NULL,
		    run.ks.host.container_id[0] != '\0' ?
		    run.ks.host.container_id : NULL, &len);
		status = emit(g, text, len);
		free(text);
	} else if (g->format == FMT_JSON) {
		status = print_json(g, &run.ks, &m);
	} else {
		status = print_table(self, &run.ks, &m, g);
	}
	model_release(&m);
	orphanrun_release(&run);
	return status;
}

const struct command cmd_status_entry = {
	.name = "status", .fn = cmd_status,
	.summary = "limits, usage and headroom of every IPC resource",
	.opts = cmd_status_opts,
	.flags = READS | CMD_PROMETHEUS | CMD_OUTPUT,
	.colsets = cmd_status_columns
};
