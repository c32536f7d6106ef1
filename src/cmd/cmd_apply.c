/*
 * cmd_apply.c: 'ipctune apply -p NAME...', the recommendation written now
 * (/proc/sys) and for the next boot (a sysctl.d drop-in).  It parses the
 * options, refuses values below current usage and drop-ins another file
 * would override (unless --force), and shows the outcome; the transaction
 * itself (lock, record, writes, undo) is applytx.c's.  With --pid or --ns
 * it writes the running values of that IPC namespace (nstarget.c), never
 * a drop-in.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applytx.h"
#include "commands.h"
#include "devshm.h"
#include "devshmfs.h"
#include "dropin.h"
#include "infile.h"
#include "nstarget.h"
#include "numparse.h"
#include "plan.h"
#include "profcmd.h"
#include "render.h"
#include "state.h"
#include "sysctld.h"
#include "sysctld_load.h"
#include "textcheck.h"
#include "xmalloc.h"

/* Not a profcmd option: only apply reads a plan. */
enum { O_FROM_PLAN = 200, O_DEV_SHM_REMOUNT, O_DEV_SHM_PERSIST };

static const struct cli_opt cmd_apply_opts[] = {
	PROFCMD_OPT_PROFILE,
	PROFCMD_OPT_SET,
	{ "from-plan", 0, required_argument, "FILE",
	    "the values of 'plan --format json' saved in FILE, not -p",
	    O_FROM_PLAN, "files" },
	{ "runtime", 0, no_argument, NULL,
	    "write the running values only (/proc/sys)", PO_RUNTIME, NULL },
	{ "persist", 0, no_argument, NULL,
	    "write the sysctl.d drop-in only (next boot)", PO_PERSIST, NULL },
	PROFCMD_OPT_DROPIN,
	{ "dry-run", 0, no_argument, NULL,
	    "change nothing; show the exact plan", PO_DRY_RUN, NULL },
	PROFCMD_OPT_EXACT,
	{ "force", 0, no_argument, NULL,
	    "go below current usage; write a drop-in that is overridden",
	    PO_FORCE, NULL },
	PROFCMD_OPT_PROFILE_DIR,
	PROFCMD_OPT_SYSCTL_ROOT,
	{ "dev-shm-remount", 0, no_argument, NULL,
	    "grow /dev/shm now to the profiles' dev_shm_size (upward only)",
	    O_DEV_SHM_REMOUNT, NULL },
	{ "dev-shm-persist", 0, no_argument, NULL,
	    "also set dev_shm_size for the next boot: /etc/fstab or the "
	    "dev-shm.mount drop-in", O_DEV_SHM_PERSIST, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/* Output is "name: old -> new" lines, not a table: no -o columns. */
static const struct column_set cmd_apply_columns[] = {
	{ NULL, 0 },
};

struct apply_args {
	struct profcmd pc;
	const char *from_plan;
	char plan_label[300];	/* the name a plan goes by, as a profile */
	char statedir[PATH_MAX];
	char names[512], vars[1024];	/* the drop-in's header */
	struct applytx_opts o;
	struct nstarget ns;	/* --pid/--ns: the namespace written */
	bool dev_shm_remount;	/* --dev-shm-remount */
	bool dev_shm_persist;	/* --dev-shm-persist */
	bool persist_default;	/* neither --runtime nor --persist given */
	bool dev_shm_grown;	/* done: undo it if the rest fails */
	uint64_t dev_shm_old, dev_shm_new;
};

static int
opt_handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct apply_args *aa = ctx;

	if (id == O_FROM_PLAN) {
		aa->from_plan = arg;
		return 0;
	}
	if (id == O_DEV_SHM_REMOUNT) {
		aa->dev_shm_remount = true;
		return 0;
	}
	if (id == O_DEV_SHM_PERSIST) {
		aa->dev_shm_persist = true;
		return 0;
	}
	return profcmd_opt_handler(self, id, arg, &aa->pc);
}

static void
print_plan(const struct applytx_plan *ap, const struct profcmd *pc,
    struct globals *g, bool dry)
{
	char a[128], b[128];

	for (size_t i = 0; i < ap->nchanges; i++) {
		const struct ksysctl_change *c = &ap->changes[i];

		sysctl_format(c->id, c->old_value, a, sizeof(a));
		sysctl_format(c->id, c->new_value, b, sizeof(b));
		printf("%s: %s -> %s%s\n", sysctl_table[c->id].name, a, b,
		    dry ? " (dry run)" : "");
	}
	if (pc->persist && ap->dropin_changed) {
		render_printf("%s %s%s\n", dry ? "would write" : "wrote",
		    ap->path,
		    ap->old_text ? " (replacing its content)" : "");
		if (dry && !g->quiet)
			printf("%s", ap->new_text);
	}
	if (ap->shm_changed) {
		render_printf("%s %s (/dev/shm at the next boot%s)\n",
		    dry ? "would write" : "wrote", ap->shm_path,
		    ap->shm_old ? ", replacing its content" : "");
		if (dry && !g->quiet)
			printf("%s", ap->shm_new);
	}
	if (ap->nchanges == 0 && !(pc->persist && ap->dropin_changed) &&
	    !ap->shm_changed)
		printf("nothing changed: %s\n", pc->runtime && pc->persist ?
		    "the running values and the drop-in already match" :
		    pc->runtime ? "the running values already match" :
		    "the drop-in already matches");
}

/* Where the values went when that is not this process's namespace. */
static void
print_ns_note(const struct nstarget *t)
{
	if (!t->other)
		return;
	printf("IPC namespace %" PRIu64, t->inode);
	if (t->pid != 0)
		printf(" (process %d)", (int)t->pid);
	printf(": running values only; they last as long as that namespace "
	    "(a container's ends with it): set them in the container "
	    "platform's form too (ipctune recommend --for)\n");
}


/* --dev-shm-persist in the apply document, or null without it. */
static json_t *
boot_file_json(const struct apply_args *aa, const struct applytx_plan *ap,
    bool ok)
{
	json_t *o;

	if (!aa->dev_shm_persist)
		return json_null();
	o = json_object();
	json_object_set_new(o, "path", json_string(ap->shm_path));
	json_object_set_new(o, "existed", json_boolean(ap->shm_old != NULL));
	json_object_set_new(o, "changed", json_boolean(ok &&
	    ap->shm_changed && !aa->pc.dry_run));
	json_object_set_new(o, "content", ap->shm_new ?
	    json_string(ap->shm_new) : json_null());
	return o;
}

/* --dev-shm-remount/-persist in the apply document, or null without. */
static json_t *
dev_shm_json(const struct apply_args *aa, const struct applytx_plan *ap,
    const struct recommendation *r, bool ok)
{
	const struct rec_dev_shm *d = &r->dev_shm;
	json_t *o;

	if (!(aa->dev_shm_remount || aa->dev_shm_persist) || !d->present)
		return json_null();
	o = json_object();
	if (d->has_current)
		json_set_u64(o, "current_bytes", d->current);
	else
		json_object_set_new(o, "current_bytes", json_null());
	json_set_u64(o, "wanted_bytes", d->wanted);
	json_object_set_new(o, "action",
	    json_string(rec_action_names[d->action]));
	json_object_set_new(o, "changed", json_boolean(ok &&
	    aa->dev_shm_grown));
	json_object_set_new(o, "remount", json_boolean(aa->dev_shm_remount));
	json_object_set_new(o, "boot_file", boot_file_json(aa, ap, ok));
	return o;
}

static int
print_json(const struct applytx_plan *ap, const struct profcmd *pc,
    const struct recommendation *r, const struct kstate *ks, bool ok,
    json_t *devshm, int64_t now)
{
	json_t *root = render_envelope("apply", ks, now), *rt = json_object();
	json_t *d = json_object(), *arr, *w = json_array(), *p = json_array();
	size_t i;
	json_t *o;

	for (i = 0; i < pc->nnames; i++)
		json_array_append_new(p, json_string(pc->names[i]));
	json_object_set_new(root, "profiles", p);
	json_object_set_new(root, "dry_run", json_boolean(pc->dry_run));
	json_object_set_new(root, "ok", json_boolean(ok));
	json_object_set_new(root, "changed", json_boolean(ok &&
	    (ap->nchanges > 0 || (pc->persist && ap->dropin_changed) ||
	    ap->shm_changed || ap->shm_remounted)));
	arr = profcmd_rec_json(r, ks);
	json_array_foreach(arr, i, o) {
		const char *name = json_string_value(json_object_get(o,
		    "sysctl"));
		bool changed = false;

		for (size_t k = 0; k < ap->nchanges; k++)
			if (strcmp(sysctl_table[ap->changes[k].id].name,
			    name) == 0)
				changed = ok;
		json_object_set_new(o, "changed", json_boolean(changed));
	}
	json_object_set_new(root, "sysctls", arr);
	json_object_set_new(rt, "requested", json_boolean(pc->runtime));
	json_object_set_new(rt, "changed", json_boolean(ok &&
	    ap->nchanges > 0));
	json_object_set_new(root, "runtime", rt);
	json_object_set_new(d, "requested", json_boolean(pc->persist));
	json_object_set_new(d, "path", pc->persist ? json_string(ap->path) :
	    json_null());
	json_object_set_new(d, "changed", json_boolean(ok && pc->persist &&
	    ap->dropin_changed));
	json_object_set_new(d, "existed", json_boolean(ap->old_text != NULL));
	json_object_set_new(d, "read_at_boot",
	    json_boolean(ap->dropin_read_at_boot));
	json_object_set_new(d, "content", pc->persist && ap->new_text ?
	    json_string(ap->new_text) : json_null());
	arr = json_array();
	for (i = 0; i < ap->nproblems; i++)
		json_array_append_new(arr, json_string(ap->problems[i]));
	json_object_set_new(d, "overrides", arr);
	json_object_set_new(root, "dropin", d);
	json_object_set_new(root, "dev_shm", devshm);
	for (i = 0; i < r->nwarnings; i++)
		json_array_append_new(w, json_string(r->warnings[i]));
	json_object_set_new(root, "warnings", w);
	return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
}


/*
 * The plan FILE as the one profile of PC: its recommended values, which
 * recommend_build() then treats like a profile's (raise only, clamped).
 */
static int
load_plan(struct apply_args *aa, struct applytx_plan *ap, char *err,
    size_t errlen)
{
	struct profcmd *pc = &aa->pc;
	struct profile *p;
	char *text, from[128], perr[512];
	size_t len;

	if (infile_read(aa->from_plan, 0, 1 << 20, &text, &len, perr,
	    sizeof(perr)) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", aa->from_plan,
		    perr);
		return -1;
	}
	p = xmalloc(sizeof(*p));
	profile_init(p);
	pc->profiles[pc->nprofiles++] = p;
	if (plan_read(text, len, p, from, sizeof(from), perr,
	    sizeof(perr)) < 0) {
		snprintf(err, errlen, "'%s': %s", aa->from_plan, perr);
		free(text);
		return -1;
	}
	/* kept in the state record, so that 'verify' can read it again */
	ap->plan_text = text;
	if (textcheck_field("the plan's profile", from, err, errlen) < 0 ||
	    textcheck_field("the plan file name", aa->from_plan, err,
	    errlen) < 0)
		return -1;
	snprintf(aa->plan_label, sizeof(aa->plan_label), "plan of %s (%s)",
	    from[0] ? from : "?", aa->from_plan);
	p->name = xstrdup(aa->plan_label);
	pc->names[pc->nnames++] = aa->plan_label;
	return 0;
}

/* Say which boot-time rule sets will not read the drop-in. */
static void
warn_unread(struct globals *g, const struct applytx_plan *ap)
{
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++)
		if (ap->read_by[rules])
			break;
		else if (rules == SYSCTLD_NRULES - 1) {
			cli_warn(g, "'%s' is not read at boot by "
			    "systemd-sysctl nor by 'sysctl --system' (not a "
			    "'*.conf' file in a sysctl.d directory)", ap->path);
			return;
		}
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++)
		if (!ap->read_by[rules])
			cli_warn(g, "'%s' is not read at boot by %s", ap->path,
			    sysctld_rules_names[rules]);
}

/* The options that exclude each other, the defaults, the drop-in path. */
static int
check_args(const struct command *self, struct apply_args *aa,
    struct applytx_plan *ap)
{
	struct profcmd *pc = &aa->pc;
	size_t n;

	if (aa->from_plan != NULL && (pc->nnames > 0 || pc->nsets > 0))
		return cli_usage_error(self, "--from-plan excludes -p and "
		    "--set (the plan has its values)");
	if (pc->nnames == 0 && aa->from_plan == NULL)
		return cli_usage_error(self, "which workload? give -p NAME "
		    "(see 'ipctune profiles')");
	if (aa->dev_shm_persist && pc->runtime && !pc->persist)
		return cli_usage_error(self, "--dev-shm-persist writes for "
		    "the next boot: it goes with --persist (or neither "
		    "--runtime nor --persist), not --runtime alone");
	if (!pc->runtime && !pc->persist) {
		pc->runtime = pc->persist = true;
		aa->persist_default = true;
	}
	if (pc->dropin != NULL) {
		snprintf(ap->path, sizeof(ap->path), "%s", pc->dropin);
		return 0;
	}
	n = pc->sysctl_root ? strlen(pc->sysctl_root) : 0;
	/* no "//etc/..." from --sysctl-root / or DIR/ */
	while (n > 0 && pc->sysctl_root[n - 1] == '/')
		n--;
	snprintf(ap->path, sizeof(ap->path), "%.*s%s", (int)n,
	    n > 0 ? pc->sysctl_root : "", DROPIN_DEFAULT_PATH);
	return 0;
}

/*
 * --pid/--ns: the running values of that IPC namespace only.  A drop-in
 * is the host's boot configuration and never reaches a container.
 */
static int
check_target(const struct command *self, const struct globals *g,
    struct apply_args *aa)
{
	if (g->ks.root != NULL)
		return cli_usage_error(self, "--root is a fixture tree: apply "
		    "writes the live kernel");
	if (g->ks.pid == 0 && g->ks.ns_path == NULL)
		return 0;
	if (aa->pc.persist || aa->pc.dropin != NULL || aa->dev_shm_persist)
		return cli_usage_error(self, "--persist does not reach "
		    "another IPC namespace: a runtime value in a container "
		    "lasts only as long as the container, and the fix belongs "
		    "in the platform's form (ipctune recommend --for "
		    "docker|compose|kubernetes|podman); use --runtime");
	aa->pc.runtime = true;
	return 0;
}

/* The narrow options of the transaction, from the command line. */
static void
fill_opts(struct apply_args *aa)
{
	const struct profcmd *pc = &aa->pc;

	aa->o.statedir = aa->statedir;
	aa->o.runtime = pc->runtime;
	aa->o.persist = pc->persist;
	aa->o.force = pc->force;
	aa->o.exact = pc->exact;
	aa->o.sysctl_root = pc->sysctl_root;
	aa->o.names = aa->names;
	aa->o.vars = aa->vars;
}

/* The drop-in: may it be written, what it holds, who overrides it. */
static int
plan_dropin(struct globals *g, struct apply_args *aa,
    const struct recommendation *r, struct applytx_plan *ap)
{
	struct applytx_warnings w;
	char err[PATH_MAX + 2048];

	if (applytx_dropin_load(&applytx_real, ap, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	profcmd_names(&aa->pc, aa->names, sizeof(aa->names));
	profcmd_vars(&aa->pc, aa->vars, sizeof(aa->vars));
	if (applytx_dropin_plan(&applytx_real, &aa->o, r, ap, err,
	    sizeof(err)) < 0) {
		cli_err("%s: nothing changed", err);
		return EXIT_FAIL;
	}
	/*
	 * "FILE.tmp.PID" is a common idiom: look for ours only beside a
	 * path accepted as a drop-in location (--force accepts any path),
	 * never beside one refused.
	 */
	if (!aa->pc.dry_run && ap->location_ok) {
		applytx_clean_stale(&applytx_real, ap->path, &w);
		profcmd_warnings(g, &w);
	}
	if (applytx_precedence(&aa->o, r, ap, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	if (!ap->dropin_read_at_boot && ap->nproblems == 0)
		warn_unread(g, ap);
	return EXIT_OK;
}

/* The guards: below usage, overridden at boot (unless --force). */
static int
refusals(const struct apply_args *aa, const struct recommendation *r,
    const struct applytx_plan *ap)
{
	int status = EXIT_OK;

	if (r->below_usage && !aa->pc.force) {
		cli_err("refusing to go below what is in use now (see the "
		    "warnings; --force overrides): nothing changed");
		status = EXIT_FAIL;
	}
	for (size_t i = 0; i < ap->nproblems; i++)
		cli_err("%s%s", ap->problems[i], aa->pc.force ? " (--force: "
		    "writing anyway)" : "");
	if (ap->nproblems > 0 && !aa->pc.force) {
		cli_err("refusing to write a drop-in that is overridden at "
		    "boot (fix the other file, choose --dropin, or --force): "
		    "nothing changed");
		status = EXIT_FAIL;
	}
	return status;
}

/* Who asked, for the record: profiles, --set values, --profile-dir. */
static void
record_base(const struct profcmd *pc, struct state_record *rec)
{
	state_record_init(rec);
	rec->profiles = xcalloc(pc->nnames + 1, sizeof(char *));
	for (size_t i = 0; i < pc->nnames; i++)
		rec->profiles[rec->nprofiles++] = xstrdup(pc->names[i]);
	rec->sets = xcalloc(pc->nsets + 1, sizeof(char *));
	for (size_t i = 0; i < pc->nsets; i++)
		rec->sets[rec->nsets++] = xasprintf("%s=%s", pc->sets[i].name,
		    pc->sets[i].expr);
	/* so that 'verify' without -p finds the same profiles */
	rec->profile_dirs = xcalloc(pc->nextra + 1, sizeof(char *));
	for (size_t i = 0; i < pc->nextra; i++) {
		char real[PATH_MAX];

		rec->profile_dirs[rec->nprofile_dirs++] = xstrdup(
		    realpath(pc->extra_dirs[i], real) ? real :
		    pc->extra_dirs[i]);
	}
}

/* Run the transaction and say how a failure was undone. */
static int
execute(struct apply_args *aa, struct applytx_plan *ap, uint64_t ipc_mni)
{
	struct state_record rec;
	struct applytx_undo u;
	char err[PATH_MAX + 2048];
	int r;

	record_base(&aa->pc, &rec);
	nstarget_record(&aa->ns, &rec);
	r = applytx_apply(&applytx_real, &aa->o, ipc_mni, ap, &rec, &u, err,
	    sizeof(err));
	state_record_release(&rec);
	if (r == 0)
		return EXIT_OK;
	cli_err("%s", err);
	if (u.dropin == APPLYTX_UNDO_FAILED)
		cli_err("cannot put the previous drop-in back: %s",
		    u.dropin_err);
	else if (u.dropin == APPLYTX_UNDO_DONE)
		cli_err("the previous drop-in was put back");
	if (u.shm == APPLYTX_UNDO_FAILED)
		cli_err("cannot put /dev/shm's boot file back: %s", u.shm_err);
	else if (u.shm == APPLYTX_UNDO_DONE)
		cli_err("/dev/shm's boot file was put back");
	if (u.runtime == APPLYTX_UNDO_FAILED)
		cli_err("cannot put the running values back: %s",
		    u.runtime_err);
	else if (u.runtime == APPLYTX_UNDO_DONE)
		cli_err("the running values were put back");
	if (u.state == APPLYTX_UNDO_FAILED)
		cli_err("cannot withdraw the record of this failed apply: %s",
		    u.state_err);
	return EXIT_FAIL;
}

/* The state directory and its lock; a dry run takes neither. */
static int
lock_state(struct globals *g, struct apply_args *aa, int *lockfd)
{
	struct applytx_warnings w;
	char err[PATH_MAX + 2048];

	char base[PATH_MAX];

	if (aa->pc.dry_run)
		return EXIT_OK;
	/*
	 * The drop-in's directory is cleaned only once its path is
	 * accepted, in plan_dropin().
	 */
	if (profcmd_state_dir(base, sizeof(base), err, sizeof(err)) < 0)
		return cli_fail(g, err);
	if (nstarget_state_dir(base, &aa->ns, aa->statedir,
	    sizeof(aa->statedir)) < 0) {
		snprintf(err, sizeof(err), "state directory '%s': %s", base,
		    strerror(errno));
		return cli_fail(g, err);
	}
	if (applytx_lock(&applytx_real, aa->statedir, lockfd, &w, err,
	    sizeof(err)) < 0)
		return cli_fail(g, err);
	profcmd_warnings(g, &w);
	return EXIT_OK;
}

/*
 * --dev-shm-remount: grow the /dev/shm tmpfs to the profiles' size before
 * the sysctl writes, so that a failure of those undoes it (dev_shm_undo).
 * Never smaller; a dry run only says it.
 */
static int
dev_shm_grow(struct globals *g, struct apply_args *aa,
    const struct recommendation *r, const struct kstate *ks)
{
	const struct rec_dev_shm *d = &r->dev_shm;
	char err[PATH_MAX + 256], b[64], c[64];

	if (!d->present)
		return cli_fail(g, "--dev-shm-remount: no profile gives "
		    "[posix] dev_shm_size");
	if (strcmp(ks->usage.dev_shm_path, "/dev/shm") != 0)
		return cli_fail(g, "--dev-shm-remount: only this mount "
		    "namespace's /dev/shm is remounted (not with --pid, --ns "
		    "or --root)");
	if (d->action == REC_KEEP) {
		if (g->format != FMT_JSON)
			render_printf("/dev/shm: %s already, %s asks for %s: kept\n",
		    render_bytes(d->current, g->bytes, c, sizeof(c)), d->from,
		    render_bytes(d->wanted, g->bytes, b, sizeof(b)));
		return EXIT_OK;
	}
	if (aa->pc.dry_run) {
		if (g->format != FMT_JSON)
			render_printf("/dev/shm: %s -> %s (would remount)\n",
		    render_bytes(d->current, g->bytes, c, sizeof(c)),
		    render_bytes(d->wanted, g->bytes, b, sizeof(b)));
		return EXIT_OK;
	}
	if (devshmfs_grow("/dev/shm", d->wanted, &aa->dev_shm_old, err,
	    sizeof(err)) < 0)
		return cli_fail(g, err);
	aa->dev_shm_grown = true;
	aa->dev_shm_new = d->wanted;
	return EXIT_OK;
}

/* The sysctl part failed: /dev/shm back to the size it had. */
static void
dev_shm_undo(struct apply_args *aa)
{
	char err[PATH_MAX + 256];

	if (!aa->dev_shm_grown)
		return;
	if (devshmfs_restore("/dev/shm", aa->dev_shm_old, err,
	    sizeof(err)) < 0)
		cli_err("cannot put /dev/shm back to %llu bytes: %s",
		    (unsigned long long)aa->dev_shm_old, err);
	else
		cli_err("/dev/shm was put back to %llu bytes",
		    (unsigned long long)aa->dev_shm_old);
	aa->dev_shm_grown = false;
}

/*
 * --dev-shm-persist: the file that sets /dev/shm's size at the next boot,
 * the way the host (or --sysctl-root) mounts it (devshm.c), read now and
 * its new content.  A non-tmpfs or doubled /dev/shm fstab line is
 * refused: nothing changed.
 */
static int
plan_shm(struct globals *g, struct apply_args *aa,
    const struct recommendation *r, struct applytx_plan *ap)
{
	const char *root = aa->pc.sysctl_root ? aa->pc.sysctl_root : "";
	char err[PATH_MAX + 2048], file[256], text[2048];
	struct applytx_warnings w;
	struct devshm_host h;
	size_t n = strlen(root);

	if (!r->dev_shm.present)
		return cli_fail(g, "--dev-shm-persist: no profile gives "
		    "[posix] dev_shm_size");
	while (n > 0 && root[n - 1] == '/')
		n--;
	if (devshmfs_inspect(n > 0 ? root : NULL, &h, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	if (devshm_persist_text(&h, r->dev_shm.wanted, file, sizeof(file),
	    text, sizeof(text)) == DEVSHM_MOUNT_DROPIN)
		ap->shm_new = xstrdup(text);
	snprintf(ap->shm_path, sizeof(ap->shm_path), "%.*s%s", (int)n, root,
	    file);
	/* what a killed apply or rollback left beside it ("FILE.tmp.PID") */
	if (!aa->pc.dry_run) {
		applytx_clean_stale(&applytx_real, ap->shm_path, &w);
		profcmd_warnings(g, &w);
	}
	if (applytx_real.file_read(ap->shm_path, &ap->shm_old, err,
	    sizeof(err)) < 0)
		return cli_fail(g, err);
	if (ap->shm_new == NULL && devshm_fstab_set(ap->shm_old ?
	    ap->shm_old : "", num_div_ceil_u64(r->dev_shm.wanted, 1024),
	    &ap->shm_new, err, sizeof(err)) < 0) {
		cli_err("%s: %s: nothing changed", ap->shm_path, err);
		return EXIT_FAIL;
	}
	ap->shm_changed = ap->shm_old == NULL ||
	    strcmp(ap->shm_old, ap->shm_new) != 0;
	return EXIT_OK;
}

/*
 * The sysctl.d files set at boot the IPC namespace of the system's
 * init: from another one (unshare --ipc, nsenter --ipc: PID 1 is in
 * another IPC namespace than ipctune) a drop-in would give that system
 * this namespace's values at its next boot.  There apply writes the
 * running values only: by default with a warning, and --persist is
 * refused; --sysctl-root or --dropin name another tree on purpose.  A
 * container, whose PID 1 shares its IPC namespace, is a system of its
 * own.
 */
static int
persist_scope(const struct command *self, struct globals *g,
    struct apply_args *aa)
{
	struct profcmd *pc = &aa->pc;
	uint64_t ino;
	int pid1;

	if (!pc->persist || pc->sysctl_root != NULL || pc->dropin != NULL ||
	    state_current_ns(&ino, &pid1) < 0)
		return EXIT_OK;
	/* PID 1 may be unreadable (EACCES): then the initial namespace */
	if (pid1 < 0)
		pid1 = ino == IPC_NS_INIT_INO;
	if (pid1 != 0)
		return EXIT_OK;
	if (!aa->persist_default || aa->dev_shm_persist)
		return cli_usage_error(self, "ipctune runs in IPC namespace "
		    "%llu, not that of PID 1, whose values the sysctl.d files "
		    "set at boot; use --runtime (or --sysctl-root DIR to write "
		    "a tree elsewhere)", (unsigned long long)ino);
	pc->persist = false;
	aa->o.persist = false;
	cli_warn(g, "IPC namespace %llu is not that of PID 1: only its "
	    "running values are written (the sysctl.d files set PID 1's "
	    "namespace at boot)", (unsigned long long)ino);
	return EXIT_OK;
}

/* Plan under the lock, refuse or run, and show the outcome. */
static int
apply_locked(struct globals *g, struct apply_args *aa,
    struct applytx_plan *ap, struct kstate *ks, struct recommendation *r)
{
	char err[PATH_MAX + 2048];
	int status;

	if (aa->from_plan != NULL ? load_plan(aa, ap, err, sizeof(err)) < 0 :
	    profcmd_load(&aa->pc, ks, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	recommend_build((const struct profile *const *)aa->pc.profiles,
	    aa->pc.nprofiles, ks, aa->pc.exact, r);
	for (size_t i = 0; i < r->nwarnings; i++)
		cli_warn(g, "%s", r->warnings[i]);
	applytx_plan_runtime(&aa->o, r, ks, ap);
	if (aa->pc.persist && (status = plan_dropin(g, aa, r, ap)) != EXIT_OK)
		return status;
	status = refusals(aa, r, ap);
	if (status == EXIT_OK && aa->dev_shm_persist)
		status = plan_shm(g, aa, r, ap);
	if (status == EXIT_OK && aa->dev_shm_remount)
		status = dev_shm_grow(g, aa, r, ks);
	ap->shm_remounted = aa->dev_shm_grown;
	ap->shm_old_bytes = aa->dev_shm_old;
	ap->shm_new_bytes = aa->dev_shm_new;
	if (status == EXIT_OK && !aa->pc.dry_run &&
	    (ap->nchanges > 0 || (aa->pc.persist && ap->dropin_changed) ||
	    ap->shm_changed || aa->dev_shm_grown))
		status = execute(aa, ap, r->ipc_mni);
	if (status != EXIT_OK)
		dev_shm_undo(aa);
	else if (aa->dev_shm_grown && g->format != FMT_JSON)
		render_printf("/dev/shm: %llu -> %llu bytes (remounted)\n",
		    (unsigned long long)aa->dev_shm_old,
		    (unsigned long long)aa->dev_shm_new);
	if (g->format == FMT_JSON) {
		int s = print_json(ap, &aa->pc, r, ks, status == EXIT_OK,
		    dev_shm_json(aa, ap, r, status == EXIT_OK), g->view.now);

		if (status == EXIT_OK)
			status = s;
	} else if (status == EXIT_OK) {
		print_plan(ap, &aa->pc, g, aa->pc.dry_run);
		print_ns_note(&aa->ns);
	}
	return status;
}

static int
cmd_apply(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct recommendation r;
	struct applytx_plan ap;
	struct apply_args aa;
	struct kstate ks;
	char err[PATH_MAX + 256];
	bool done, have_ks = false;
	int idx, status, lockfd = -1;

	memset(&aa, 0, sizeof(aa));
	profcmd_init(&aa.pc);
	applytx_plan_init(&ap);
	memset(&r, 0, sizeof(r));
	status = cli_parse(self, argc, argv, g, opt_handler, &aa, &idx, &done);
	if (status != 0 || done)
		goto out;
	status = check_target(self, g, &aa);
	if (status != 0)
		goto out;
	status = check_args(self, &aa, &ap);
	if (status != 0)
		goto out;
	fill_opts(&aa);
	if (nstarget_enter(&g->ks, &aa.ns, err, sizeof(err)) < 0) {
		status = cli_fail(g, err);
		goto out;
	}
	status = lock_state(g, &aa, &lockfd);
	if (status != 0)
		goto out;
	/* read the kernel only under the lock: a concurrent apply is done */
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
	if (status != 0)
		goto out;
	have_ks = true;
	status = persist_scope(self, g, &aa);
	if (status == EXIT_OK)
		status = apply_locked(g, &aa, &ap, &ks, &r);
out:
	applytx_unlock(&applytx_real, lockfd);
	recommend_release(&r);
	if (have_ks)
		kstate_release(&ks);
	applytx_plan_release(&ap);
	profcmd_release(&aa.pc);
	return status;
}

const struct command cmd_apply_entry = {
	.name = "apply", .fn = cmd_apply, .args = "-p NAME [-p NAME...] | --from-plan FILE",
	.summary = "write the values: runtime (/proc/sys), sysctl.d, and on "
	    "request the /dev/shm size",
	.opts = cmd_apply_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	.colsets = cmd_apply_columns
};
