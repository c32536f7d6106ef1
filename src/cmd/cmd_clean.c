/*
 * cmd_clean.c: 'ipctune clean', removes the objects 'orphans' reports.
 * A dry run unless --yes; refuses without a filter or --all-orphans.
 * Option parsing, the checks before any change, and the report: each
 * System V removal is the transaction of cleantx.c (re-judge, take the
 * permissions away, re-judge, save, IPC_RMID, or give them back), each
 * POSIX one that of pcleantx.c (same inode, no holder, renamed aside,
 * checked again, saved, unlinkat, or renamed back).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleantx.h"
#include "commands.h"
#include "idname.h"
#include "orphanopts.h"
#include "orphanrun.h"
#include "pcleantx.h"
#include "render.h"
#include "view_orphans.h"
#include "xmalloc.h"

static const struct cli_opt cmd_clean_opts[] = {
	ORPHANS_FILTER_OPTS,
	{ "all-orphans", 0, no_argument, NULL,
	    "take every orphan (needed when no filter is given)",
	    OO_ALL_ORPHANS, NULL },
	{ "yes", 'y', no_argument, NULL,
	    "remove for real (without it, only say what would be removed)",
	    OO_YES, NULL },
	{ "include-nonempty", 0, no_argument, NULL,
	    "also remove message queues that hold messages (they are lost)",
	    OO_INCLUDE_NONEMPTY, NULL },
	{ "include-locked", 0, no_argument, NULL,
	    "also remove semaphore arrays that may be locks held with "
	    "SEM_UNDO", OO_INCLUDE_LOCKED, NULL },
	{ "backup-dir", 0, required_argument, "DIR",
	    "save each segment's and POSIX file's contents (a POSIX "
	    "queue's attributes) and a manifest in DIR first",
	    OO_BACKUP_DIR, "dirs" },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

static const char *const action_names[CLEANTX_NACTIONS] = {
	[CLEANTX_WOULD_REMOVE] = "would_remove",
	[CLEANTX_REMOVED] = "removed", [CLEANTX_SKIPPED] = "skipped",
	[CLEANTX_FAILED] = "failed",
};

/* One run of clean: its options, the judgement, the outcomes. */
struct clean_ctx {
	struct globals *g;
	struct orphans_args *a;
	struct orphanrun *run;
	bool backup;		/* segments are saved in --backup-dir */
};

static int
handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct orphans_args *a = ctx;

	(void)self;
	switch (id) {
	case OO_ALL_ORPHANS:
		a->all_orphans = true;
		return 0;
	case OO_YES:
		a->yes = true;
		return 0;
	case OO_INCLUDE_NONEMPTY:
		a->include_nonempty = true;
		return 0;
	case OO_INCLUDE_LOCKED:
		a->include_locked = true;
		return 0;
	case OO_BACKUP_DIR:
		a->backup_dir = arg;
		return 0;
	default:
		return orphanopts_filter(a, id, arg);
	}
}

/* Does --backup-dir save IT (a segment, a POSIX object)? */
static bool
saved(const struct orphan_item *it)
{
	return it->type == IPC_SHM || pcleantx_file(it) != NULL;
}

/* The bytes of messages POSIX queue IT holds (QSIZE), 0 if unknown. */
static uint64_t
pmq_messages(const struct orphan_item *it)
{
	return it->obj.pmq.has_text ? it->obj.pmq.qsize_bytes : 0;
}

/* The checks before any change: OUT filled unless it is to be removed. */
static enum cleantx_prep
clean_prepare(const struct clean_ctx *c, const struct orphan_item *it,
    struct cleantx_outcome *out)
{
	char b[64], b2[64];

	memset(out, 0, sizeof(*out));
	if (it->verdict == OV_SUSPECT) {
		cleantx_skip(out, "too_young", "every process recorded on it "
		    "is gone, but it was used less than --min-age %s ago "
		    "(orphaned in %s); --min-age 0 removes it",
		    view_orphans_age((int64_t)(c->a->f.min_age_s > INT64_MAX ?
		    INT64_MAX : c->a->f.min_age_s), b, sizeof(b)),
		    view_orphans_age(it->orphan_at - (int64_t)time(NULL), b2,
		    sizeof(b2)));
		return CLEANTX_DONE;
	}
	if (!orphan_removable(it, true) || (pcleantx_file(it) != NULL &&
	    it->verdict != OV_ORPHANED)) {
		cleantx_skip(out, "not_orphaned", "not orphaned");
		return CLEANTX_DONE;
	}
	if (it->type == IPC_SHM && (it->obj.shm.perm.mode & IPC_SHM_DEST)) {
		cleantx_skip(out, "marked_dest", "already removed; the kernel "
		    "frees it at the last detach");
		return CLEANTX_DONE;
	}
	if (it->verdict != OV_ORPHANED && !c->a->include_locked) {
		cleantx_skip(out, "may_be_locked", "a semaphore is 0 and was "
		    "operated on: it may be a lock that a live process holds "
		    "with SEM_UNDO (the kernel does not show who); "
		    "--include-locked removes it");
		return CLEANTX_DONE;
	}
	if (it->type == IPC_MSG && it->obj.msg.qnum > 0) {
		if (!c->a->include_nonempty) {
			cleantx_skip(out, "holds_messages", "holds %" PRIu64
			    " message%s (%s); --include-nonempty removes it "
			    "and loses them", it->obj.msg.qnum,
			    it->obj.msg.qnum == 1 ? "" : "s",
			    render_bytes(it->obj.msg.cbytes, c->g->bytes, b,
			    sizeof(b)));
			return CLEANTX_DONE;
		}
		cli_warn(c->g, "removing message queue %d %s %" PRIu64
		    " message%s (%s)", it->obj.msg.perm.id,
		    c->a->yes ? "loses" : "would lose",
		    it->obj.msg.qnum, it->obj.msg.qnum == 1 ? "" : "s",
		    render_bytes(it->obj.msg.cbytes, c->g->bytes, b,
		    sizeof(b)));
	}
	if (it->type == IPC_PMQ && pmq_messages(it) > 0 &&
	    !c->a->include_nonempty) {
		cleantx_skip(out, "holds_messages", "holds %s of messages; "
		    "--include-nonempty removes it and loses them",
		    render_bytes(pmq_messages(it), c->g->bytes, b, sizeof(b)));
		return CLEANTX_DONE;
	}
	if (!c->a->yes) {
		out->action = CLEANTX_WOULD_REMOVE;
		if (saved(it) && c->a->backup_dir != NULL)
			snprintf(out->detail, sizeof(out->detail), "%s would "
			    "be saved in '%s' first", it->type == IPC_PMQ ?
			    "its attributes (not its messages)" : "it",
			    c->a->backup_dir);
		return CLEANTX_DONE;
	}
	return saved(it) && c->backup ? CLEANTX_BACKUP : CLEANTX_REMOVE;
}

enum { K_ACTION, K_TYPE, K_ID, K_KEY, K_OWNER, K_SIZE, K_AGE, K_REASONS,
    K_DETAIL, K_NCOLS };

static const struct column clean_cols[K_NCOLS] = {
	[K_ACTION] = { "ACTION", "would_remove, removed, skipped or failed",
	    0, COL_DEFAULT },
	[K_TYPE] = { "TYPE", IPCTYPE_NAMES(", ", " or "), 0,
	    COL_DEFAULT },
	[K_ID] = { "ID", "identifier (POSIX: the name)", 0,
	    COL_DEFAULT | COL_RIGHT },
	[K_KEY] = { "KEY", "key (POSIX: -)", 0, COL_DEFAULT },
	[K_OWNER] = { "OWNER", "owner", 0, COL_DEFAULT },
	[K_SIZE] = { "SIZE", "bytes, semaphores or messages", 0,
	    COL_DEFAULT | COL_RIGHT },
	[K_AGE] = { "AGE", "time since last use", 0, COL_RIGHT },
	[K_REASONS] = { "REASONS", "why it looks orphaned", 0,
	    COL_DEFAULT },
	[K_DETAIL] = { "DETAIL", "why skipped or failed, backup file", 0,
	    COL_DEFAULT },
};

static const struct column_set cmd_clean_columns[] = {
	{ clean_cols, K_NCOLS },
	{ NULL, 0 },
};

/* The ID and KEY cells of IT: a POSIX object's name and "-". */
static void
id_cells(struct table *t, const struct orphan_item *it)
{
	const struct posix_file *f = pcleantx_file(it);
	char b[64];

	if (f != NULL) {
		/* raw: the table escapes its cells (table_cell in render.c) */
		table_cell(t, K_ID, f->name);
		table_cell(t, K_KEY, "-");
		return;
	}
	snprintf(b, sizeof(b), "%d", orphan_item_id(it));
	table_cell(t, K_ID, b);
	snprintf(b, sizeof(b), "0x%08" PRIx32, orphan_item_key(it));
	table_cell(t, K_KEY, b);
}

static int
print_table(const struct clean_ctx *c, const struct cleantx_outcome *outs,
    const size_t *count)
{
	const struct orphan_result *r = &c->run->r;
	char err[512], b[64], big[1024];
	struct table *t;

	if (!c->g->noheadings)
		render_namespace_line(&c->run->ks);
	if (r->nitems > 0) {
		t = table_new(clean_cols, K_NCOLS, c->g->columns, &c->g->view,
		    err, sizeof(err));
		if (t == NULL)
			return cli_usage_error(c->a->cmd, "%s", err);
		for (size_t i = 0; i < r->nitems; i++) {
			const struct orphan_item *it = &r->items[i];
			const struct cleantx_outcome *o = &outs[i];

			table_row(t);
			table_cell(t, K_ACTION, action_names[o->action]);
			table_cell(t, K_TYPE, ipctype_table[it->type].name);
			id_cells(t, it);
			table_cell(t, K_OWNER, idname_user(
			    orphan_item_uid(it)));
			table_cell(t, K_SIZE, view_orphans_size(it,
			    c->g->bytes, b, sizeof(b)));
			table_cell(t, K_AGE, view_orphans_age(it->age_seconds,
			    b, sizeof(b)));
			table_cell(t, K_REASONS, view_orphans_reasons(it, big,
			    sizeof(big)));
			if (o->action == CLEANTX_SKIPPED ||
			    o->action == CLEANTX_FAILED)
				snprintf(big, sizeof(big), "%s: %s", o->code,
				    o->detail);
			else
				snprintf(big, sizeof(big), "%s", o->detail);
			table_cell(t, K_DETAIL, big[0] ? big : "-");
			table_row_color(t, o->action == CLEANTX_FAILED ? 2 :
			    o->action == CLEANTX_SKIPPED ? 1 : 0);
		}
		if (table_print_free(t) < 0)
			return EXIT_FAIL;
		if (!c->g->noheadings)
			printf("\n");
	}
	if (c->g->noheadings)
		return EXIT_OK;
	if (r->nitems == 0)
		printf("nothing to remove: no orphaned objects among %zu "
		    "judged\n", r->njudged);
	else if (!c->a->yes)
		printf("dry run: would remove %zu object%s, skip %zu; run "
		    "again with --yes to remove them\n",
		    count[CLEANTX_WOULD_REMOVE],
		    count[CLEANTX_WOULD_REMOVE] == 1 ? "" : "s",
		    count[CLEANTX_SKIPPED]);
	else
		printf("removed %zu, skipped %zu, failed %zu\n",
		    count[CLEANTX_REMOVED], count[CLEANTX_SKIPPED],
		    count[CLEANTX_FAILED]);
	return EXIT_OK;
}

/* One entry of "results": the judged object and what became of it. */
static json_t *
result_item(const struct orphan_item *it, size_t i, const void *ctx)
{
	const struct cleantx_outcome *x =
	    (const struct cleantx_outcome *)ctx + i;
	json_t *o = view_orphans_item_json(it);

	json_object_set_new(o, "action", json_string(action_names[
	    x->action]));
	json_object_set_new(o, "reason", x->action == CLEANTX_SKIPPED ?
	    json_string(x->code) : json_null());
	json_object_set_new(o, "errno", x->action == CLEANTX_FAILED ?
	    json_string(x->code) : json_null());
	json_object_set_new(o, "detail", x->detail[0] ?
	    json_string(x->detail) : json_null());
	json_object_set_new(o, "backup_file", x->backup_file[0] ?
	    json_string(x->backup_file) : json_null());
	return o;
}

static int
print_json(const struct clean_ctx *c, const struct cleantx_outcome *outs,
    const size_t *count)
{
	const struct orphan_result *r = &c->run->r;
	json_t *root = render_envelope("clean", &c->run->ks, c->g->view.now);
	json_t *tail, *o;

	json_object_set_new(root, "dry_run", json_boolean(!c->a->yes));
	json_object_set_new(root, "filter", view_orphans_filter_json(&c->a->f));
	json_object_set_new(root, "include_nonempty",
	    json_boolean(c->a->include_nonempty));
	json_object_set_new(root, "include_locked",
	    json_boolean(c->a->include_locked));
	json_object_set_new(root, "backup_dir", c->a->backup_dir ?
	    json_string(c->a->backup_dir) : json_null());
	json_object_set_new(root, "judged", json_integer(
	    (json_int_t)r->njudged));
	o = json_object();
	for (int i = 0; i < CLEANTX_NACTIONS; i++)
		json_object_set_new(o, action_names[i], json_integer(
		    (json_int_t)count[i]));
	json_object_set_new(root, "counts", o);
	tail = json_object();
	return view_orphans_print_json(root, r->items, r->nitems, "results",
	    result_item, outs, tail) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* Usage errors of A before anything is read; 0 or an exit status. */
static int
clean_usage(const struct globals *g, const struct orphans_args *a)
{
	int status;

	if (!a->filtered && !a->all_orphans)
		return cli_usage_error(a->cmd, "refusing to clean without a "
		    "filter: give --type, --owner, --older-than, --id or "
		    "--key, or --all-orphans");
	status = orphanopts_types_check(a, a->f.types);
	if (status != 0)
		return status;
	/* shm 0, sem 0 and msg 0 may all exist: an id alone is ambiguous */
	if (a->f.has_id && (a->f.types == 0 || (a->f.types &
	    (a->f.types - 1)) != 0))
		return cli_usage_error(a->cmd, "--id needs one --type (shm, "
		    "sem or msg): ids of different types overlap");
	if (a->yes && g->ks.root != NULL)
		return cli_usage_error(a->cmd, "--yes cannot remove objects of "
		    "a --root tree");
	return 0;
}

/* A warning of the transaction, on stderr unless -q. */
static void
clean_warn(void *ctx, const char *msg)
{
	cli_warn(ctx, "%s", msg);
}

/*
 * Decide for each object of C, then, with --yes, remove them through
 * the transaction of cleantx.c, with SYS's real effects; OUTS gets what
 * became of each.
 */
static void
clean_objects(struct clean_ctx *c, struct cleantx_sys *sys,
    struct cleantx_outcome *outs)
{
	const struct orphan_result *r = &c->run->r;
	struct orphan_effects judge;
	struct cleantx_effects fx;
	struct cleantx tx;
	enum cleantx_prep *prep;

	prep = xcalloc(r->nitems ? r->nitems : 1, sizeof(*prep));
	for (size_t i = 0; i < r->nitems; i++)
		prep[i] = clean_prepare(c, &r->items[i], &outs[i]);
	if (c->a->yes) {
		struct pcleantx_sys psys = { .po = { c->g->ks.root,
		    c->g->ks.pid, c->g->ks.ns_path, false }, .backup = sys,
		    .manifest_entry = view_orphans_posix_manifest_entry };
		struct pcleantx_effects pfx;

		/* POSIX first: no System V object waits sealed behind them */
		pcleantx_sys_effects(&psys, &pfx);
		pcleantx_run(&pfx, r->items, r->nitems, prep, outs);
		for (size_t i = 0; i < r->nitems; i++)
			if (pcleantx_file(&r->items[i]) != NULL)
				prep[i] = CLEANTX_DONE;
		/*
		 * the re-judge needs no maps scan: nattch counts mappings;
		 * it asks the kernel again, not what was read ahead at
		 * judgement (a task may wait in semop since)
		 */
		procscan_forget(&c->run->ps);
		procscan_effects(&c->run->ps, false, &judge);
		judge.touches = c->run->touches;
		judge.ntouches = c->run->ntouches;
		sys->ipcmni_extend = c->run->ks.host.ipcmni_extend;
		sys->ns_inode = c->run->ks.host.ipc_ns_inode;
		sys->ps = &c->run->ps;
		sys->manifest_entry = view_orphans_manifest_entry;
		sys->user_name = idname_user;
		sys->warn = clean_warn;
		sys->warn_ctx = c->g;
		cleantx_sys_effects(sys, &fx);
		tx = (struct cleantx){ .fx = &fx, .judge = &judge,
		    .min_age_s = c->a->f.min_age_s };
		cleantx_run(&tx, r->items, r->nitems, prep, outs);
	}
	free(prep);
}

static int
cmd_clean(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct orphans_args a;
	struct orphanrun_opts o;
	struct orphanrun run;
	struct clean_ctx c = { .g = g, .a = &a, .run = &run };
	struct cleantx_sys sys;
	struct cleantx_outcome *outs;
	size_t count[CLEANTX_NACTIONS] = { 0 };
	char err[1024];
	bool done;
	int idx, status;

	memset(&a, 0, sizeof(a));
	a.cmd = self;
	orphan_filter_init(&a.f);
	/* arrays that may be locks are listed, and skipped without option */
	a.f.keep_locked = true;
	status = cli_parse(a.cmd, argc, argv, g, handler, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	if ((status = clean_usage(g, &a)) != 0)
		return status;
	status = orphanopts_load(g, &a.f, &o, &run);
	if (status != 0)
		return status;
	cleantx_sys_init(&sys);
	if (a.yes && a.backup_dir != NULL && (run.r.norphans[IPC_SHM] > 0 ||
	    run.r.norphans[IPC_PSHM] > 0 || run.r.norphans[IPC_PSEM] > 0 ||
	    run.r.norphans[IPC_PMQ] > 0)) {
		if (cleantx_sys_backup_open(&sys, a.backup_dir, err,
		    sizeof(err)) < 0) {
			cleantx_sys_release(&sys);
			orphanrun_release(&run);
			return cli_fail(g, err);
		}
		c.backup = true;
	}
	outs = xcalloc(run.r.nitems ? run.r.nitems : 1, sizeof(*outs));
	clean_objects(&c, &sys, outs);
	for (size_t i = 0; i < run.r.nitems; i++)
		count[outs[i].action]++;
	if (g->format == FMT_JSON)
		status = print_json(&c, outs, count);
	else
		status = print_table(&c, outs, count);
	if (status == EXIT_OK && count[CLEANTX_FAILED] > 0)
		status = EXIT_FAIL;
	free(outs);
	cleantx_sys_release(&sys);
	orphanrun_release(&run);
	return status;
}

const struct command cmd_clean_entry = {
	.name = "clean", .fn = cmd_clean,
	.summary = "remove orphaned IPC objects (a dry run unless --yes)",
	.opts = cmd_clean_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	.colsets = cmd_clean_columns
};
