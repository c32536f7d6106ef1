/*
 * cmd_plan.c: 'ipctune plan -p NAME -n K', capacity what-if: per limit
 * the current value, what K more instances of the workload need and the
 * action, the limit that runs out first, how many instances fit now, and
 * the values for 'apply --from-plan' (with --for, the values K more need
 * in a container platform's form).  Option parsing and glue only: the
 * arithmetic is plan.c, the kernel's checks fit.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "idname.h"
#include "numparse.h"
#include "plan.h"
#include "profcmd.h"
#include "render.h"
#include "xmalloc.h"

enum { O_INSTANCES = 1 };

static const struct cli_opt cmd_plan_opts[] = {
	PROFCMD_OPT_PROFILE,
	{ "instances", 'n', required_argument, "K",
	    "plan K more instances of the workload", O_INSTANCES, NULL },
	PROFCMD_OPT_SET,
	PROFCMD_OPT_PROFILE_DIR,
	PROFCMD_OPT_FOR,
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

enum { C_LIMIT, C_SYSCTL, C_UNIT, C_CURRENT, C_USED, C_EACH, C_NEEDED,
    C_ACTION, C_FITS, C_NCOLS };

static const struct column plan_cols[C_NCOLS] = {
	[C_LIMIT] = { "LIMIT", "the limit (resource name)", 0, COL_DEFAULT },
	[C_SYSCTL] = { "SYSCTL", "the sysctl that sets it", 0, COL_DEFAULT },
	[C_UNIT] = { "UNIT", "unit of the numbers", 0, 0 },
	[C_CURRENT] = { "CURRENT", "the limit now", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_USED] = { "USED", "in use now", 0, COL_DEFAULT | COL_RIGHT },
	[C_EACH] = { "EACH", "what one instance needs", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_NEEDED] = { "NEEDED", "the smallest limit for K more", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_ACTION] = { "ACTION", "keep, raise or beyond_max", 0,
	    COL_DEFAULT },
	[C_FITS] = { "FITS", "instances this limit allows now", 0,
	    COL_DEFAULT | COL_RIGHT },
};

static const struct column_set cmd_plan_columns[] = {
	{ plan_cols, C_NCOLS },
	{ NULL, 0 },
};

/* The largest -n accepted. */
#define PLAN_MAX_K 1000000000ull

struct plan_args {
	struct profcmd pc;
	uint64_t k;
	bool k_set;
};

static int
opt_handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct plan_args *a = ctx;

	if (id == O_INSTANCES) {
		if (num_parse_u64(arg, 1, PLAN_MAX_K, &a->k) < 0)
			return cli_usage_error(self, "invalid "
			    "number of instances '%s' (use 1 to %llu)", arg,
			    (unsigned long long)PLAN_MAX_K);
		a->k_set = true;
		return 0;
	}
	return profcmd_opt_handler(self, id, arg, &a->pc);
}

/* V in the unit of limit L, for the table. */
static const char *
fmt(enum plan_limit l, uint64_t v, bool raw, char *buf, size_t len)
{
	if (!raw && v >= SYSCTL_UNLIMITED) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	if (strcmp(plan_limit_table[l].unit, "bytes") == 0)
		return render_bytes(v, raw, buf, len);
	if (raw)
		snprintf(buf, len, "%" PRIu64, v);
	else
		render_count(v, buf, len);
	return buf;
}

static const char *
sysctl_label(enum plan_limit l, char *buf, size_t len)
{
	const struct plan_limit_desc *ld = &plan_limit_table[l];

	if (ld->sysctl == SC_SEM)
		snprintf(buf, len, "kernel.sem %s", sem_field_names[ld->field]);
	else
		snprintf(buf, len, "%s", sysctl_table[ld->sysctl].name);
	return buf;
}

/* "16 segments of 1.0G, 16 arrays of 250 semaphores, ..." */
static const char *
describe(const struct plan_demand *d, const struct plan_result *r,
    bool raw, char *buf, size_t len)
{
	char b[64];
	size_t o = 0;

#define ADD(...) do { \
	if (o < len) \
		o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__); \
} while (0)
	buf[0] = '\0';
	if (r->has_shm)
		ADD("%" PRIu64 " segment%s of %s (%" PRIu64 " pages)",
		    r->shm_segments, r->shm_segments == 1 ? "" : "s",
		    render_bytes(r->shm_segment_bytes, raw, b, sizeof(b)),
		    r->shm_segment_pages);
	if (d->v[D_SEM_ARRAYS] > 0)
		ADD("%s%" PRIu64 " semaphore array%s of %" PRIu64, o ? ", " :
		    "", d->v[D_SEM_ARRAYS], d->v[D_SEM_ARRAYS] == 1 ? "" :
		    "s", r->rows[PL_SEMMSL].per_instance);
	if (d->v[D_SEMOP_OPS] > 0)
		ADD("%s%" PRIu64 " operation%s per semop", o ? ", " : "",
		    d->v[D_SEMOP_OPS], d->v[D_SEMOP_OPS] == 1 ? "" : "s");
	if (d->v[D_MSG_QUEUES] > 0)
		ADD("%s%" PRIu64 " message queue%s", o ? ", " : "",
		    d->v[D_MSG_QUEUES], d->v[D_MSG_QUEUES] == 1 ? "" : "s");
	if (d->v[D_MSG_BYTES] > 0)
		ADD("%s%s queued per queue", o ? ", " : "",
		    render_bytes(d->v[D_MSG_BYTES], raw, b, sizeof(b)));
	if (d->v[D_MQ_QUEUES] > 0)
		ADD("%s%" PRIu64 " POSIX queue%s", o ? ", " : "",
		    d->v[D_MQ_QUEUES], d->v[D_MQ_QUEUES] == 1 ? "" : "s");
#undef ADD
	return buf;
}

/* Limit I of the plan as a table row. */
static void
plan_row(struct table *t, const struct plan_result *r, int i, bool raw)
{
	const struct plan_row *w = &r->rows[i];
	enum plan_limit l = (enum plan_limit)i;
	char b[512], c[128];
	int64_t neg;

	table_row(t);
	table_cell(t, C_LIMIT, plan_limit_table[i].name);
	table_cell(t, C_SYSCTL, sysctl_label(l, c, sizeof(c)));
	table_cell(t, C_UNIT, plan_limit_table[i].unit);
	table_cell(t, C_CURRENT, !w->has_current ? "-" :
	    sysctl_field_signed(plan_limit_table[i].sysctl, w->current, &neg) ?
	    sysctl_field_text(plan_limit_table[i].sysctl, w->current, b,
	    sizeof(b)) : fmt(l, w->current, raw, b, sizeof(b)));
	table_cell(t, C_USED, !w->has_used ? "-" : w->used_unknown ? "?" :
	    fmt(l, w->used, raw, b, sizeof(b)));
	table_cell(t, C_EACH, fmt(l, w->per_instance, raw, b, sizeof(b)));
	table_cell(t, C_NEEDED, w->needed_overflow ? "overflow" :
	    fmt(l, w->needed, raw, b, sizeof(b)));
	table_cell(t, C_ACTION, plan_action_names[w->action]);
	if (w->unlimited)
		snprintf(b, sizeof(b), "any");
	else
		snprintf(b, sizeof(b), "%" PRIu64, w->instances);
	table_cell(t, C_FITS, b);
	table_row_color(t, w->action == PA_BEYOND ? 2 :
	    w->action == PA_RAISE ? 1 : 0);
}

/* "fits now", the call that fails next and the limits in running order. */
static void
print_fits(const struct plan_result *r)
{
	if (r->fits_unlimited)
		printf("fits now: any number of instances\n");
	else
		printf("fits now: %" PRIu64 " instance%s%s\n", r->fits,
		    r->fits == 1 ? "" : "s", r->k <= r->fits ? "" :
		    ", fewer than asked");
	if (r->has_next)
		render_printf("the next one fails: %s gives %s (%s)%s%s\n",
		    r->next_call, r->next_errname, r->next_limit,
		    r->next_text[0] ? ": " : "", r->next_text);
	printf("runs out first:");
	for (size_t i = 0; i < r->norder; i++) {
		const struct plan_row *w = &r->rows[r->order[i]];

		if (w->unlimited)
			continue;
		printf("%s %s after %" PRIu64, i ? "," : "",
		    plan_limit_table[r->order[i]].name, w->instances);
	}
	printf("%s\n", r->norder > 0 && !r->rows[r->order[0]].unlimited ?
	    "" : " none");
}

/* The sysctl values to raise for K more, and how to apply them. */
static void
print_raises(const struct plan_result *r, const struct recommendation *rec)
{
	char b[512];

	if (!rec->changes)
		return;
	printf("to raise for %" PRIu64 " more:", r->k);
	for (int i = 0; i < SC_COUNT; i++) {
		const struct rec_item *it = &rec->item[i];
		uint64_t v[SEM_NFIELDS];

		if (!it->present || it->action == REC_KEEP)
			continue;
		for (int f = 0; f < SEM_NFIELDS; f++)
			v[f] = it->f[f].recommended;
		sysctl_format((enum sysctl_id)i, v, b, sizeof(b));
		printf(" %s = %s;", sysctl_table[i].name, b);
	}
	printf(" apply with 'ipctune plan ... --format json >FILE' "
	    "and 'ipctune apply --from-plan FILE'\n");
}

static int
print_table(const struct command *self, const struct plan_args *a,
    const struct plan_demand *d, const struct plan_result *r,
    const struct recommendation *rec, const struct kstate *ks,
    struct globals *g)
{
	struct table *t;
	char err[512], b[512];

	t = table_new(plan_cols, C_NCOLS, g->columns, &g->view,
	    err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	if (!g->noheadings) {
		render_namespace_line(ks);
		render_printf("profile %s, %" PRIu64 " more instance%s; one "
		    "instance: %s\n", a->pc.names[0], a->k, a->k == 1 ? "" :
		    "s", describe(d, r, g->bytes, b, sizeof(b)));
	}
	for (int i = 0; i < PL_COUNT; i++)
		if (r->rows[i].applies)
			plan_row(t, r, i, g->bytes);
	if (table_print_free(t) < 0)
		return EXIT_FAIL;
	if (g->noheadings)
		return EXIT_OK;
	printf("\n");
	print_fits(r);
	print_raises(r, rec);
	return EXIT_OK;
}

static json_t *
demand_json(const struct profile *p)
{
	json_t *o = json_object();

	for (int i = 0; i < D_COUNT; i++) {
		if (p->demand[i].present)
			json_set_u64(o, profile_demand_names[i],
			    p->demand[i].value);
		else
			json_object_set_new(o, profile_demand_names[i],
			    json_null());
	}
	return o;
}

static json_t *
rows_json(const struct plan_result *r)
{
	json_t *a = json_array();

	for (int i = 0; i < PL_COUNT; i++) {
		const struct plan_limit_desc *ld = &plan_limit_table[i];
		const struct plan_row *w = &r->rows[i];
		json_t *o;

		if (!w->applies)
			continue;
		o = json_object();
		json_object_set_new(o, "limit", json_string(ld->name));
		json_object_set_new(o, "sysctl", json_string(
		    sysctl_table[ld->sysctl].name));
		json_object_set_new(o, "field", ld->sysctl == SC_SEM ?
		    json_string(sem_field_names[ld->field]) : json_null());
		json_object_set_new(o, "unit", json_string(ld->unit));
		json_object_set_new(o, "per_object",
		    json_boolean(ld->per_object));
		if (w->has_current)
			json_set_held(o, "current", ld->sysctl, w->current);
		else
			json_object_set_new(o, "current", json_null());
		if (w->has_used && !w->used_unknown)
			json_set_u64(o, "used", w->used);
		else
			json_object_set_new(o, "used", json_null());
		json_set_u64(o, "per_instance", w->per_instance);
		if (w->needed_overflow)
			json_object_set_new(o, "needed", json_null());
		else
			json_set_u64(o, "needed", w->needed);
		json_set_u64(o, "max", w->max);
		json_object_set_new(o, "action", json_string(
		    plan_action_names[w->action]));
		if (w->unlimited)
			json_object_set_new(o, "instances_fit", json_null());
		else
			json_set_u64(o, "instances_fit", w->instances);
		json_array_append_new(a, o);
	}
	return a;
}

static int
print_json(const struct plan_args *a, const struct plan_result *r,
    const struct recommendation *rec, const struct kstate *ks, int64_t now)
{
	json_t *root = render_envelope("plan", ks, now), *o, *arr;
	const struct profile *p = a->pc.profiles[0];

	json_object_set_new(root, "profile", json_string(a->pc.names[0]));
	arr = json_array();
	for (size_t i = 0; i < a->pc.nsets; i++) {
		char *s = xasprintf("%s=%s", a->pc.sets[i].name,
		    a->pc.sets[i].expr);

		json_array_append_new(arr, json_string(s));
		free(s);
	}
	json_object_set_new(root, "sets", arr);
	json_set_u64(root, "instances", r->k);
	json_object_set_new(root, "demand", demand_json(p));
	if (r->has_shm) {
		o = json_object();
		json_set_u64(o, "count", r->shm_segments);
		json_set_u64(o, "bytes", r->shm_segment_bytes);
		json_set_u64(o, "pages", r->shm_segment_pages);
		json_object_set_new(root, "shm_segments", o);
	} else {
		json_object_set_new(root, "shm_segments", json_null());
	}
	json_set_u64(root, "page_size_bytes", r->page_size);
	json_object_set_new(root, "limits", rows_json(r));
	json_object_set_new(root, "runs_out_first", r->norder > 0 &&
	    !r->rows[r->order[0]].unlimited ? json_string(
	    plan_limit_table[r->order[0]].name) : json_null());
	o = json_object();
	if (r->fits_unlimited)
		json_object_set_new(o, "instances", json_null());
	else
		json_set_u64(o, "instances", r->fits);
	json_object_set_new(o, "enough", json_boolean(r->fits_unlimited ||
	    r->k <= r->fits));
	if (r->has_next) {
		json_t *n = json_object();

		json_object_set_new(n, "call", json_string(r->next_call));
		json_object_set_new(n, "errno", json_string(r->next_errname));
		json_object_set_new(n, "limit", json_string(r->next_limit));
		json_object_set_new(n, "text", r->next_text[0] ?
		    json_string(r->next_text) : json_null());
		json_object_set_new(o, "next_fails", n);
	} else {
		json_object_set_new(o, "next_fails", json_null());
	}
	json_object_set_new(root, "fits_now", o);
	json_object_set_new(root, "changes", json_boolean(rec->changes));
	json_object_set_new(root, "sysctls", profcmd_rec_json(rec, ks));
	arr = json_array();
	for (size_t i = 0; i < rec->nwarnings; i++)
		json_array_append_new(arr, json_string(rec->warnings[i]));
	json_object_set_new(root, "warnings", arr);
	return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The plan as --for, --format or the table ask, then the warnings. */
static int
print_plan(const struct command *self, const struct plan_args *a,
    const struct plan_demand *d, const struct plan_result *r,
    const struct recommendation *rec, const struct kstate *ks,
    struct globals *g)
{
	int status = EXIT_OK;

	if (g->format == FMT_JSON && !a->pc.for_set)
		return print_json(a, r, rec, ks, g->view.now);
	if (a->pc.for_set) {
		char *text = profcmd_platform(&a->pc, rec, ks);

		fputs(text, stdout);
		free(text);
	} else {
		status = print_table(self, a, d, r, rec, ks, g);
	}
	for (size_t i = 0; i < rec->nwarnings; i++)
		cli_warn(g, "%s", rec->warnings[i]);
	return status;
}

static int
cmd_plan(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct plan_args a;
	struct plan_demand d;
	struct plan_result r;
	struct recommendation rec;
	struct profile sp;
	const struct profile *spp = &sp;
	struct kstate ks;
	char err[1024];
	bool done, have_ks = false;
	int idx, status;

	memset(&a, 0, sizeof(a));
	profcmd_init(&a.pc);
	profile_init(&sp);
	recommend_init(&rec);
	status = cli_parse(self, argc, argv, g, opt_handler, &a, &idx, &done);
	if (status != 0 || done)
		goto out;
	if (a.pc.nnames != 1) {
		status = cli_usage_error(self, a.pc.nnames == 0 ? "which "
		    "workload? give -p NAME (see 'ipctune profiles')" :
		    "plan takes one profile");
		goto out;
	}
	if (!a.k_set) {
		status = cli_usage_error(self, "how many more instances? give "
		    "-n K");
		goto out;
	}
	if (a.pc.for_set && g->format == FMT_JSON) {
		status = cli_usage_error(self, "--for prints the platform's "
		    "own form, not JSON");
		goto out;
	}
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
	if (status != 0)
		goto out;
	have_ks = true;
	if (profcmd_load(&a.pc, &ks, err, sizeof(err)) < 0) {
		status = cli_fail(g, err);
		goto out;
	}
	memset(&d, 0, sizeof(d));
	for (int i = 0; i < D_COUNT; i++) {
		d.has[i] = a.pc.profiles[0]->demand[i].present;
		d.v[i] = a.pc.profiles[0]->demand[i].value;
	}
	if (plan_build(&ks, &d, a.k, &r, err, sizeof(err)) < 0) {
		char msg[1200];

		snprintf(msg, sizeof(msg), "profile '%s': %s",
		    a.pc.names[0], err);
		status = cli_fail(g, msg);
		goto out;
	}
	if (d.v[D_MQ_QUEUES] > 0 && !r.rows[PL_MQ_QUEUES].applies)
		cli_warn(g, "'fs.mqueue.queues_max' was not read: POSIX queues "
		    "are not planned");
	else if (r.rows[PL_MQ_QUEUES].used_unknown)
		cli_warn(g, "POSIX queues in use are unknown (needs root or a "
		    "mounted /dev/mqueue): counted as 0");
	/* the needed values as a profile: raise-only, clamped, as apply */
	sp.name = xasprintf("plan %s +%" PRIu64, a.pc.names[0], a.k);
	plan_profile(&r, &ks, &sp);
	recommend_build(&spp, 1, &ks, false, &rec);
	status = print_plan(self, &a, &d, &r, &rec, &ks, g);
out:
	recommend_release(&rec);
	profile_release(&sp);
	if (have_ks)
		kstate_release(&ks);
	profcmd_release(&a.pc);
	return status;
}

const struct command cmd_plan_entry = {
	.name = "plan", .fn = cmd_plan, .args = "-p NAME -n K",
	.summary = "capacity what-if: K more instances of a workload",
	.opts = cmd_plan_opts, .flags = READS,
	.colsets = cmd_plan_columns
};
