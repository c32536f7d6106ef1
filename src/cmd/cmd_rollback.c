/*
 * cmd_rollback.c: 'ipctune rollback', the runtime values and the drop-in
 * put back as they were before the last apply.  It parses the options,
 * shows what each guard refuses and the outcome; the transaction (the
 * lock, the guards, the writes and their undo) is applytx.c's.  With no
 * record it says so and changes nothing.  With --pid or --ns it rolls
 * back the apply made in that IPC namespace, and only there.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applytx.h"
#include "commands.h"
#include "nstarget.h"
#include "profcmd.h"
#include "render.h"
#include "state.h"

enum { O_ANY_NS = 200 };

static const struct cli_opt cmd_rollback_opts[] = {
	{ "dry-run", 0, no_argument, NULL,
	    "change nothing; show what would be restored", PO_DRY_RUN, NULL },
	{ "force", 0, no_argument, NULL,
	    "go below current usage; overwrite values and a drop-in "
	    "changed since the apply",
	    PO_FORCE, NULL },
	{ "any-namespace", 0, no_argument, NULL,
	    "write the old values here even if the apply changed another "
	    "IPC namespace", O_ANY_NS, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

struct rollback_args {
	struct profcmd pc;
	bool any_ns;
};

/* Output is "name: old -> new" lines, not a table: no -o columns. */
static const struct column_set cmd_rollback_columns[] = {
	{ NULL, 0 },
};

static int
opt_handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct rollback_args *ra = ctx;

	if (id == O_ANY_NS) {
		ra->any_ns = true;
		return 0;
	}
	return profcmd_opt_handler(self, id, arg, &ra->pc);
}

/* What rollback found and did, for the output. */
struct rollback_view {
	const char *dir;
	bool ok;
	bool ns_refused;	/* the record is another namespace's */
	bool have_ks;
	bool no_view;		/* the kernel could not be read: said */
};

/*
 * Plan the way back under the lock: the guards of each value (said
 * unless a dry run shows them) and the drop-in, checked before touching
 * anything.  The verdict in RV->ok and the exit status.
 */
static int
plan_rollback(struct globals *g, const struct profcmd *pc,
    struct applytx_rollback *rb, struct rollback_view *rv)
{
	struct applytx_warnings w;
	char err[2048];
	int status = EXIT_OK;

	for (size_t i = 0; rb->refused && !pc->dry_run && i < rb->n; i++)
		if (rb->why[i][0] != '\0')
			cli_err("%s: %s%s", sysctl_table[rb->ch[i].id].name,
			    rb->why[i], pc->force ? " (--force: writing "
			    "anyway)" : "");
	if (rb->refused && !pc->dry_run && rb->shm_why[0] != '\0')
		cli_err("%s%s", rb->shm_why, pc->force ? " (--force: "
		    "remounting anyway)" : "");
	if (rb->refused && !pc->force) {
		cli_err("%s: nothing changed (--force overrides)",
		    pc->dry_run ? "the rollback would be refused" :
		    "refusing to roll back");
		status = EXIT_FAIL;
		rv->ok = false;
	}
	if (applytx_rollback_check(&applytx_real, rb, pc->force, err,
	    sizeof(err)) < 0) {
		cli_err("%s: nothing changed", err);
		status = EXIT_FAIL;
		rv->ok = false;
	} else if (!pc->dry_run) {
		if (rb->rec.persist) {
			applytx_clean_stale(&applytx_real, rb->rec.dropin_path,
			    &w);
			profcmd_warnings(g, &w);
		}
		if (rb->rec.shm_persist) {
			applytx_clean_stale(&applytx_real, rb->rec.shm_path,
			    &w);
			profcmd_warnings(g, &w);
		}
	}
	return status;
}

/* Roll back for real and say what failed. */
static int
run_rollback(struct applytx_rollback *rb, const struct profcmd *pc,
    struct rollback_view *rv)
{
	struct applytx_undo u;
	char err[2048];

	if (applytx_rollback_run(&applytx_real, rv->dir, rb, pc->force, &u,
	    err, sizeof(err)) == 0)
		return EXIT_OK;
	cli_err("%s", err);
	if (u.dropin == APPLYTX_UNDO_FAILED)
		cli_err("cannot put the applied drop-in back: %s",
		    u.dropin_err);
	if (u.runtime == APPLYTX_UNDO_FAILED)
		cli_err("cannot put the running values back: %s",
		    u.runtime_err);
	if (u.shm == APPLYTX_UNDO_FAILED)
		cli_err("cannot put /dev/shm as the apply left it: %s",
		    u.shm_err);
	if (u.dropin != APPLYTX_UNDO_FAILED &&
	    u.runtime != APPLYTX_UNDO_FAILED && u.shm != APPLYTX_UNDO_FAILED)
		cli_err("nothing was rolled back: the record is kept, run "
		    "rollback again once the cause is fixed");
	rv->ok = rb->restored;
	return EXIT_FAIL;
}

/* What the rollback does to /dev/shm, or null if the apply did nothing. */
static json_t *
shm_json(const struct applytx_rollback *rb)
{
	const struct state_record *rec = &rb->rec;
	json_t *o;

	if (!rb->found || !(rec->shm_persist || rec->shm_remounted))
		return json_null();
	o = json_object();
	json_object_set_new(o, "path", rec->shm_persist ?
	    json_string(rec->shm_path) : json_null());
	json_object_set_new(o, "action", json_string(rb->shm_action));
	json_object_set_new(o, "remount", json_boolean(rb->shm_shrink));
	json_object_set_new(o, "from_bytes", rec->shm_remounted ?
	    json_integer((json_int_t)rec->shm_new_bytes) : json_null());
	json_object_set_new(o, "to_bytes", rec->shm_remounted ?
	    json_integer((json_int_t)rec->shm_old_bytes) : json_null());
	json_object_set_new(o, "refused", rb->shm_why[0] != '\0' ?
	    json_string(rb->shm_why) : json_null());
	return o;
}

/* The rollback as JSON; EXIT_FAIL if it cannot be printed. */
static int
print_json(const struct applytx_rollback *rb, const struct profcmd *pc,
    const struct rollback_view *rv, const struct kstate *ks, int64_t now)
{
	json_t *root = render_envelope("rollback", rv->have_ks ? ks : NULL,
	    now);
	json_t *arr = json_array(), *d = json_object();
	bool changed = strcmp(rb->action, "unchanged") != 0 ||
	    strcmp(rb->shm_action, "unchanged") != 0 || rb->shm_shrink;

	json_object_set_new(root, "dry_run", json_boolean(pc->dry_run));
	json_object_set_new(root, "found", json_boolean(rb->found));
	json_object_set_new(root, "ok", json_boolean(rv->ok));
	/* a value already back at its old one is not written */
	for (size_t i = 0; i < rb->n; i++)
		for (int k = 0; k < (sysctl_table[rb->ch[i].id].kind ==
		    SCK_SEM ? SEM_NFIELDS : 1); k++)
			if (rb->ch[i].old_value[k] != rb->ch[i].new_value[k])
				changed = true;
	json_object_set_new(root, "changed", json_boolean(rb->found &&
	    rv->ok && !pc->dry_run && changed));
	for (size_t i = 0; rb->found && i < rb->n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "sysctl",
		    json_string(sysctl_table[rb->ch[i].id].name));
		profcmd_json_value(o, "old", rb->ch[i].id,
		    rb->ch[i].old_value);
		profcmd_json_value(o, "new", rb->ch[i].id,
		    rb->ch[i].new_value);
		json_object_set_new(o, "refused", rb->why[i][0] != '\0' ?
		    json_string(rb->why[i]) : json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "runtime", arr);
	json_object_set_new(d, "path", rb->rec.dropin_path ?
	    json_string(rb->rec.dropin_path) : json_null());
	json_object_set_new(d, "action", json_string(rb->action));
	json_object_set_new(root, "dropin", d);
	json_object_set_new(root, "dev_shm", shm_json(rb));
	return render_json_print(root) != 0 ? EXIT_FAIL : EXIT_OK;
}

/* The rollback as "name: old -> new" lines and the drop-in's fate. */
static void
print_text(const struct applytx_rollback *rb, const struct profcmd *pc,
    const struct rollback_view *rv)
{
	char a[128], b[128];

	if (!rb->found) {
		render_printf("nothing to roll back: no apply recorded in "
		    "'%s'\n",
		    rv->dir);
		return;
	}
	/* a dry run says what each guard would stop */
	if (!rv->ok && !(pc->dry_run && rb->refused && !rv->ns_refused))
		return;
	for (size_t i = 0; i < rb->n; i++) {
		const struct ksysctl_change *c = &rb->ch[i];

		sysctl_format(c->id, c->old_value, a, sizeof(a));
		sysctl_format(c->id, c->new_value, b, sizeof(b));
		printf("%s: %s -> %s%s%s%s%s\n", sysctl_table[c->id].name, a,
		    b, pc->dry_run ? " (dry run" : "",
		    pc->dry_run && rb->why[i][0] != '\0' ? (pc->force ?
		    "; --force overrides: " : "; refused: ") : "",
		    pc->dry_run ? rb->why[i] : "",
		    pc->dry_run ? ")" : "");
	}
	if (rb->rec.persist)
		render_printf("%s %s%s\n", rb->action, rb->rec.dropin_path,
		    pc->dry_run ? " (dry run)" : "");
	if (rb->rec.shm_persist)
		render_printf("%s %s%s\n", rb->shm_action, rb->rec.shm_path,
		    pc->dry_run ? " (dry run)" : "");
	if (rb->shm_shrink)
		printf("/dev/shm: %llu -> %llu bytes (%s%s%s)\n",
		    (unsigned long long)rb->rec.shm_new_bytes,
		    (unsigned long long)rb->rec.shm_old_bytes,
		    pc->dry_run ? "would remount" : "remounted",
		    pc->dry_run && rb->shm_why[0] != '\0' ? "; refused: " : "",
		    pc->dry_run ? rb->shm_why : "");
}

/* Under the lock: the namespace, the kernel now, the plan, the run. */
static int
rollback_locked(struct globals *g, struct rollback_args *ra,
    struct applytx_rollback *rb, struct rollback_view *rv,
    struct kstate *ks)
{
	char err[2048];
	int status = EXIT_OK;

	if (rb->found && rb->rec.nruntime > 0 && nstarget_check(&rb->rec,
	    ra->any_ns, "rolls back here anyway", err, sizeof(err)) < 0) {
		cli_err("%s: nothing changed", err);
		rv->ok = false;
		rv->ns_refused = true;
		return EXIT_FAIL;
	}
	if (!rb->found)
		return EXIT_OK;
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, ks);
	if (status != 0) {
		rv->no_view = true;
		return status;
	}
	rv->have_ks = true;
	applytx_rollback_plan(ks, rb);
	status = plan_rollback(g, &ra->pc, rb, rv);
	if (rv->ok && !ra->pc.dry_run)
		status = run_rollback(rb, &ra->pc, rv);
	return status;
}

/*
 * Enter the namespace of --pid/--ns, if any, and name its state
 * directory into DIR.  0, or -1 with ERR.
 */
static int
target_dir(const struct ksource_opts *kso, char *dir, size_t len, char *err,
    size_t errlen)
{
	struct nstarget t;
	char base[PATH_MAX];

	if (nstarget_enter(kso, &t, err, errlen) < 0 ||
	    profcmd_state_dir(base, sizeof(base), err, errlen) < 0)
		return -1;
	if (nstarget_state_dir(base, &t, dir, len) < 0) {
		snprintf(err, errlen, "state directory '%s': %s", base,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
cmd_rollback(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct applytx_warnings w;
	struct applytx_rollback rb;
	struct rollback_view rv = { .ok = true };
	struct rollback_args ra;
	struct kstate ks;
	char err[PATH_MAX + 2048], dir[PATH_MAX];
	bool done;
	int idx, status, lockfd = -1;

	memset(&ra, 0, sizeof(ra));
	profcmd_init(&ra.pc);
	applytx_rollback_init(&rb);
	rv.dir = dir;
	status = cli_parse(self, argc, argv, g, opt_handler, &ra, &idx, &done);
	if (status != 0 || done)
		goto out;
	if (g->ks.root != NULL) {
		status = cli_usage_error(self, "--root is a fixture tree: "
		    "rollback writes the live kernel");
		goto out;
	}
	if (target_dir(&g->ks, dir, sizeof(dir), err, sizeof(err)) < 0 ||
	    applytx_rollback_open(&applytx_real, dir, &rb, &lockfd,
	    !ra.pc.dry_run, &w, err, sizeof(err)) < 0) {
		status = cli_fail(g, err);
		goto out;
	}
	profcmd_warnings(g, &w);
	status = rollback_locked(g, &ra, &rb, &rv, &ks);
	if (rv.no_view)
		goto out;
	if (g->format == FMT_JSON) {
		if (print_json(&rb, &ra.pc, &rv, &ks, g->view.now) != EXIT_OK)
			status = EXIT_FAIL;
	} else {
		print_text(&rb, &ra.pc, &rv);
	}
out:
	applytx_unlock(&applytx_real, lockfd);
	if (rv.have_ks)
		kstate_release(&ks);
	applytx_rollback_release(&rb);
	profcmd_release(&ra.pc);
	return status;
}

const struct command cmd_rollback_entry = {
	.name = "rollback", .fn = cmd_rollback,
	.summary = "undo the last apply (runtime values, drop-in, /dev/shm size)",
	.opts = cmd_rollback_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	.colsets = cmd_rollback_columns
};
