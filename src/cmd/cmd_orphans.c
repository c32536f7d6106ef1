/*
 * cmd_orphans.c: 'ipctune orphans', the IPC objects that look leaked,
 * each with its reason codes and evidence (recorded PIDs and what became
 * of them, attachers), a summary per owner and the headroom a clean-up
 * gives back.  Option parsing, the flow and the table and summary:
 * orphanrun.c runs the judge, view_orphans.c gives each object its forms.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "idname.h"
#include "orphanopts.h"
#include "orphanrun.h"
#include "render.h"
#include "view_orphans.h"

static const struct cli_opt cmd_orphans_opts[] = {
	ORPHANS_FILTER_OPTS,
	{ "all", 'a', no_argument, NULL,
	    "list every object judged, in use or not, with its verdict",
	    OO_ALL, NULL },
	{ "exit-status", 0, no_argument, NULL,
	    "exit with status 4 when orphans are found", OO_EXIT_STATUS,
	    NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

static int
handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct orphans_args *a = ctx;

	(void)self;
	switch (id) {
	case OO_ALL:
		a->f.keep_in_use = true;
		return 0;
	case OO_EXIT_STATUS:
		a->exit_status = true;
		return 0;
	default:
		return orphanopts_filter(a, id, arg);
	}
}

/* Advice for a /proc entry that could not be read: root reads more. */
static const char *
root_advice(void)
{
	return geteuid() == 0 ? "" : "; run as root";
}

/* The sum of counts N, one per object type. */
static size_t
per_type_sum(const size_t n[IPC_NTYPES])
{
	size_t sum = 0;

	for (int t = 0; t < IPC_NTYPES; t++)
		sum += n[t];
	return sum;
}

static json_t *
result_json(const struct orphanrun *run, const struct orphans_args *a,
    int64_t now)
{
	const struct orphan_result *r = &run->r;
	json_t *root = render_envelope("orphans", &run->ks, now), *o;

	json_object_set_new(root, "filter", view_orphans_filter_json(&a->f));
	json_object_set_new(root, "judged", json_integer(
	    (json_int_t)r->njudged));
	o = json_object();
	for (int i = 0; i < IPC_NTYPES; i++)
		json_object_set_new(o, ipctype_table[i].json_key,
		    json_integer((json_int_t)r->norphans[i]));
	json_object_set_new(root, "orphans", o);
	o = json_object();
	for (int i = 0; i < IPC_NTYPES; i++)
		json_object_set_new(o, ipctype_table[i].json_key,
		    json_integer((json_int_t)r->nsuspect[i]));
	json_object_set_new(root, "suspect", o);
	json_object_set_new(root, "unknown", json_integer(
	    (json_int_t)r->nunknown));
	json_object_set_new(root, "inspection",
	    view_orphans_inspection_json(run->ps.nunreadable, geteuid() == 0,
	    run->ps.hidden, procscan_hidepid_name(run->ps.hidepid),
	    run->pidns_cause));
	return root;
}

/* The members after "objects", which is streamed: summary, headroom. */
static json_t *
result_tail_json(const struct orphanrun *run)
{
	const struct orphan_result *r = &run->r;
	json_t *root = json_object(), *arr, *o;

	arr = json_array();
	for (size_t i = 0; i < r->nsums; i++) {
		const struct orphan_owner_sum *s = &r->sums[i];

		o = json_object();
		json_object_set_new(o, "uid", json_integer(s->uid));
		json_object_set_new(o, "user", json_text(
		    idname_user(s->uid)));
		json_object_set_new(o, "type", json_string(
		    ipctype_table[s->type].name));
		json_set_u64(o, "objects", s->objects);
		json_object_set_new(o, "limit_name", json_string(
		    ipctype_table[s->type].limit_name));
		if (s->has_limit) {
			json_set_u64(o, "limit", s->limit);
			json_object_set_new(o, "ratio", json_real(s->ratio));
		} else {
			json_object_set_new(o, "limit", json_null());
			json_object_set_new(o, "ratio", json_null());
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "summary", arr);
	arr = json_array();
	for (size_t i = 0; i < r->nhead; i++) {
		const struct orphan_headroom *h = &r->head[i];

		o = json_object();
		json_object_set_new(o, "resource", json_string(
		    resource_table[h->res].name));
		json_object_set_new(o, "unit", json_string(
		    resource_table[h->res].unit));
		json_set_u64(o, "freed", h->freed);
		if (h->has_limit)
			json_set_u64(o, "limit", h->limit);
		else
			json_object_set_new(o, "limit", json_null());
		if (h->has_used) {
			json_set_u64(o, "used", h->used);
			json_set_u64(o, "used_after", h->used > h->freed ?
			    h->used - h->freed : 0);
		} else {
			json_object_set_new(o, "used", json_null());
			json_object_set_new(o, "used_after", json_null());
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "headroom", arr);
	arr = json_array();
	for (size_t i = 0; i < r->nnotes; i++) {
		o = json_object();
		json_object_set_new(o, "code", json_string(r->notes[i].code));
		json_object_set_new(o, "text", json_string(r->notes[i].text));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "notes", arr);
	return root;
}

enum { C_TYPE, C_ID, C_KEY, C_OWNER, C_SIZE, C_AGE, C_VERDICT, C_REASONS,
    C_EVIDENCE, C_ATTACHERS, C_NCOLS };

static const struct column orphan_cols[C_NCOLS] = {
	[C_TYPE] = { "TYPE", IPCTYPE_SYSV_NAMES(", ", " or "), 0,
	    COL_DEFAULT },
	[C_ID] = { "ID", "identifier", 0, COL_DEFAULT | COL_RIGHT },
	[C_KEY] = { "KEY", "key", 0, COL_DEFAULT },
	[C_OWNER] = { "OWNER", "owner", 0, COL_DEFAULT },
	[C_SIZE] = { "SIZE", "bytes, semaphores or messages", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_AGE] = { "AGE", "time since last use", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_VERDICT] = { "VERDICT", "orphaned, suspect, in_use or unknown", 0,
	    0 },
	[C_REASONS] = { "REASONS", "reason codes", 0, COL_DEFAULT },
	[C_EVIDENCE] = { "EVIDENCE", "recorded PIDs and what became of them",
	    0, COL_DEFAULT },
	[C_ATTACHERS] = { "ATTACHED-BY", "processes with the segment mapped",
	    0, COL_DEFAULT },
};

/*
 * The ID and KEY cells of IT: a POSIX object has neither, and its
 * name, escaped, stands in the ID column.
 */
static void
posix_cells(struct table *t, const struct orphan_item *it, char *b,
    size_t len)
{
	const struct posix_file *f = NULL;

	if (it->type == IPC_PSHM)
		f = &it->obj.pshm.f;
	else if (it->type == IPC_PSEM)
		f = &it->obj.psem.f;
	else if (it->type == IPC_PMQ)
		f = &it->obj.pmq.f;
	if (f == NULL) {
		snprintf(b, len, "%d", orphan_item_id(it));
		table_cell(t, C_ID, b);
		snprintf(b, len, "0x%08" PRIx32, orphan_item_key(it));
		table_cell(t, C_KEY, b);
		return;
	}
	/* raw: the table escapes its cells (table_cell in render.c) */
	table_cell(t, C_ID, f->name);
	table_cell(t, C_KEY, "-");
}

static const struct column_set cmd_orphans_columns[] = {
	{ orphan_cols, C_NCOLS },
	{ NULL, 0 },
};

/*
 * "3 semaphore arrays are suspect: ...": objects whose every recorded
 * process is gone, too young to be called orphaned yet.
 */
static void
print_suspects(const struct orphan_result *r, uint64_t min_age_s)
{
	char b1[32], b2[32];

	for (int t = 0; t < IPC_NTYPES; t++) {
		size_t n = r->nsuspect[t];
		int64_t first = INT64_MAX;

		if (n == 0)
			continue;
		for (size_t i = 0; i < r->nitems; i++)
			if (r->items[i].type == (enum ipc_type)t &&
			    r->items[i].verdict == OV_SUSPECT &&
			    r->items[i].orphan_at < first)
				first = r->items[i].orphan_at;
		printf("%zu %s %s suspect: every process recorded on %s is "
		    "gone, but %s used less than --min-age %s ago", n,
		    n == 1 ? ipctype_table[t].singular :
		    ipctype_table[t].plural,
		    n == 1 ? "is" : "are", n == 1 ? "it" : "them",
		    n == 1 ? "it was" : "they were",
		    view_orphans_age((int64_t)(min_age_s > INT64_MAX ?
		    INT64_MAX : min_age_s), b1, sizeof(b1)));
		/* count_only keeps no item, and then no time is known */
		if (first != INT64_MAX)
			printf(" (%s orphaned in %s)", n == 1 ? "it becomes" :
			    "the first becomes", view_orphans_age(first -
			    (int64_t)time(NULL), b2, sizeof(b2)));
		printf("; clean removes %s only with --min-age 0\n",
		    n == 1 ? "it" : "them");
	}
}

static void
print_summary(const struct orphanrun *run, uint64_t min_age_s)
{
	const struct orphan_result *r = &run->r;
	size_t total = per_type_sum(r->norphans);
	char b1[32], b2[32], b3[32], b4[32];
	bool any = false;

	if (total == 0) {
		printf("no orphaned objects among %zu judged\n", r->njudged);
	}
	print_suspects(r, min_age_s);
	for (size_t i = 0; i < r->nsums; i++) {
		const struct orphan_owner_sum *s = &r->sums[i];

		render_printf("%s: %s %s look%s leaked", idname_user(s->uid),
		    render_count(s->objects, b1, sizeof(b1)),
		    s->objects == 1 ? ipctype_table[s->type].singular :
		    ipctype_table[s->type].plural, s->objects == 1 ? "s" : "");
		if (s->has_limit && s->limit > 0)
			printf(", %s of %s", render_percent(s->ratio, b2,
			    sizeof(b2)), ipctype_table[s->type].limit_name);
		printf("\n");
	}
	for (size_t i = 0; i < r->nhead; i++) {
		const struct orphan_headroom *h = &r->head[i];
		const struct resource_desc *d = &resource_table[h->res];

		if (h->freed == 0 || !h->has_used)
			continue;
		if (!any)
			printf("a clean-up would give back:\n");
		any = true;
		printf("  %-7s %s %s: used %s -> %s", d->name,
		    render_count(h->freed, b1, sizeof(b1)), d->unit,
		    render_count(h->used, b2, sizeof(b2)),
		    render_count(h->used > h->freed ? h->used - h->freed : 0,
		    b3, sizeof(b3)));
		/* ULONG_MAX - 2^24 and above is the kernel's "no limit" */
		if (h->has_limit && h->limit < SYSCTL_UNLIMITED)
			printf(" of %s", render_count(h->limit, b4,
			    sizeof(b4)));
		printf("\n");
	}
	if (r->nunknown > r->nlocked)
		printf("%zu object%s could not be judged (the evidence "
		    "could not be read or seen: --all shows the reasons)\n",
		    r->nunknown - r->nlocked,
		    r->nunknown - r->nlocked == 1 ? "" : "s");
	/* how to lift the limit orphanrun_judge() sets without --pid */
	if (run->ps.waits_outside && r->nunknown > r->nlocked)
		printf("ipctune runs in a child PID namespace (as in a "
		    "container) and no --pid says which PID namespace this "
		    "IPC namespace's users are in: a process of another one "
		    "(a Kubernetes sidecar) would not be seen; name one of "
		    "the users with --pid PID to judge these objects\n");
	if (run->ps.nunreadable > 0)
		printf("%zu process%s could not be inspected (permission "
		    "denied%s)\n", run->ps.nunreadable,
		    run->ps.nunreadable == 1 ? "" : "es", root_advice());
	if (run->ps.hidden)
		printf("processes of other users could not be inspected "
		    "(/proc is mounted with hidepid=%s)\n",
		    procscan_hidepid_name(run->ps.hidepid));
	if (run->pidns_cause != NULL)
		printf("processes outside this PID namespace could not be "
		    "inspected (%s)\n", run->pidns_cause);
	if (r->nlocked > 0)
		printf("%zu semaphore array%s may be %s held with SEM_UNDO, "
		    "which the kernel does not show (may_be_locked)\n",
		    r->nlocked, r->nlocked == 1 ? "" : "s",
		    r->nlocked == 1 ? "a lock" : "locks");
}

static int
print_table(const struct orphanrun *run, const struct orphans_args *a,
    struct globals *g)
{
	const struct orphan_result *r = &run->r;
	char err[512], b[64], big[2048];
	const char *sel = g->columns;
	struct table *t;

	/* suspects are listed beside orphans: the verdict tells them apart */
	if (sel == NULL && (a->f.keep_in_use || per_type_sum(r->nsuspect) >
	    0))
		sel = "TYPE,ID,KEY,OWNER,SIZE,AGE,VERDICT,REASONS,EVIDENCE,"
		    "ATTACHED-BY";
	if (!g->noheadings)
		render_namespace_line(&run->ks);
	if (r->nitems > 0) {
		t = table_new(orphan_cols, C_NCOLS, sel, &g->view,
		    err, sizeof(err));
		if (t == NULL)
			return cli_usage_error(a->cmd, "%s", err);
		for (size_t i = 0; i < r->nitems; i++) {
			const struct orphan_item *it = &r->items[i];

			table_row(t);
			table_cell(t, C_TYPE, ipctype_table[it->type].name);
			posix_cells(t, it, b, sizeof(b));
			table_cell(t, C_OWNER, idname_user(
			    orphan_item_uid(it)));
			table_cell(t, C_SIZE, view_orphans_size(it, g->bytes,
			    b, sizeof(b)));
			table_cell(t, C_AGE, view_orphans_age(it->age_seconds,
			    b, sizeof(b)));
			table_cell(t, C_VERDICT,
			    view_orphans_verdict_names[it->verdict]);
			table_cell(t, C_REASONS, view_orphans_reasons(it, big,
			    sizeof(big)));
			table_cell(t, C_EVIDENCE, view_orphans_evidence(it,
			    (int64_t)time(NULL), big, sizeof(big)));
			table_cell(t, C_ATTACHERS, view_orphans_attachers(it,
			    big, sizeof(big)));
			if (it->verdict == OV_ORPHANED)
				table_row_color(t, 1);
		}
		if (table_print_free(t) < 0)
			return EXIT_FAIL;
		if (!g->noheadings)
			printf("\n");
	}
	if (!g->noheadings)
		print_summary(run, a->f.min_age_s);
	for (size_t i = 0; i < r->nnotes; i++) {
		if (strcmp(r->notes[i].code, "logind_removeipc") == 0)
			cli_warn(g, "%s", r->notes[i].text);
		else if (!g->noheadings)
			render_printf("note: %s\n", r->notes[i].text);
	}
	return EXIT_OK;
}

static int
cmd_orphans(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct orphans_args a;
	struct orphanrun_opts o;
	struct orphanrun run;
	bool done;
	int idx, status;

	memset(&a, 0, sizeof(a));
	a.cmd = self;
	orphan_filter_init(&a.f);
	status = cli_parse(a.cmd, argc, argv, g, handler, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	status = orphanopts_types_check(&a, a.f.types);
	if (status != 0)
		return status;
	status = orphanopts_load(g, &a.f, &o, &run);
	if (status != 0)
		return status;
	if (g->format == FMT_JSON) {
		json_t *tail = result_tail_json(&run);

		status = view_orphans_print_json(result_json(&run, &a,
		    g->view.now),
		    run.r.items, run.r.nitems, "objects", NULL, NULL,
		    tail) == 0 ? EXIT_OK : EXIT_FAIL;
	} else {
		status = print_table(&run, &a, g);
	}
	if (status == EXIT_OK && a.exit_status &&
	    per_type_sum(run.r.norphans) > 0)
		status = EXIT_NO;
	orphanrun_release(&run);
	return status;
}

const struct command cmd_orphans_entry = {
	.name = "orphans", .fn = cmd_orphans,
	.summary = "leaked IPC objects, each with its reasons and evidence",
	.opts = cmd_orphans_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	.colsets = cmd_orphans_columns
};
