/*
 * cmd_apply.c: 'ipctune apply -p NAME...', the recommendation written now
 * (/proc/sys) and for the next boot (a sysctl.d drop-in).  Under the
 * state lock it records what it replaces, refuses values below current
 * usage and drop-ins another file would override (unless --force), and
 * undoes the runtime half if the drop-in cannot be written.  Glue only:
 * the writers are ksysctl.c, dropin.c and state.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "dropin.h"
#include "errstr.h"
#include "infile.h"
#include "ksource.h"
#include "ksysctl.h"
#include "numparse.h"
#include "plan.h"
#include "profcmd.h"
#include "render.h"
#include "state.h"
#include "sysctld.h"
#include "textcheck.h"
#include "xmalloc.h"

/* Not a profcmd option: only apply reads a plan. */
enum { O_FROM_PLAN = 200 };

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
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/* Output is "name: old -> new" lines, not a table: no -o columns. */
static const struct column_set cmd_apply_columns[] = {
	{ NULL, 0 },
};

/* Everything apply decided, for the output. */
struct apply_plan {
	struct ksysctl_change changes[SC_COUNT];
	size_t nchanges;
	char path[PATH_MAX];
	char *old_text;		/* the drop-in now, or NULL */
	char *new_text;
	bool dropin_changed;
	bool dropin_read_at_boot;	/* under every rule set */
	bool read_by[SYSCTLD_NRULES];
	char **problems;	/* overrides found in sysctl.d */
	size_t nproblems, capproblems;
	bool runtime_done, dropin_done;
	char *plan_text;	/* apply --from-plan: the plan, for verify */
};

struct apply_args {
	struct profcmd pc;
	const char *from_plan;
	char plan_label[300];	/* the name a plan goes by, as a profile */
};

static int
opt_handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct apply_args *aa = ctx;
	char err[256];

	if (id == O_FROM_PLAN) {
		aa->from_plan = arg;
		return 0;
	}
	if (profcmd_option(&aa->pc, id, arg, err, sizeof(err)) < 0)
		return cli_usage_error(self, "%s", err);
	return 0;
}

static void
plan_release(struct apply_plan *ap)
{
	free(ap->old_text);
	free(ap->new_text);
	free(ap->plan_text);
	for (size_t i = 0; i < ap->nproblems; i++)
		free(ap->problems[i]);
	free(ap->problems);
}

static void
problem(struct apply_plan *ap, char *text)
{
	xgrow(&ap->problems, ap->nproblems, &ap->capproblems,
	    sizeof(*ap->problems));
	ap->problems[ap->nproblems++] = text;
}

/* The test hook IPCTUNE_TEST_FAULT: "write:N" or "semmni". */
static void
test_faults(struct ksysctl_opts *o)
{
	const char *f = getenv("IPCTUNE_TEST_FAULT");
	uint64_t n;

	if (f == NULL)
		return;
	if (strncmp(f, "write:", 6) == 0 &&
	    num_parse_u64(f + 6, 1, 64, &n) == 0)
		o->fail_write = (int)n;
	else if (strcmp(f, "semmni") == 0)
		o->bad_semmni = true;
}

/* The drop-in of R, through the checked generator (dropin.c). */
static int
render_dropin(const struct profcmd *pc, const struct recommendation *r,
    char **text, char *err, size_t errlen)
{
	struct dropin_line lines[SC_COUNT];
	char names[512], vars[1024];
	size_t n = 0;

	for (int i = 0; i < SC_COUNT; i++) {
		uint64_t v[SEM_NFIELDS];

		if (!r->item[i].present)
			continue;
		for (int k = 0; k < SEM_NFIELDS; k++)
			v[k] = r->item[i].f[k].recommended;
		lines[n].key = sysctl_table[i].name;
		ksysctl_format((enum sysctl_id)i, v, lines[n].value,
		    sizeof(lines[n].value));
		n++;
	}
	profcmd_names(pc, names, sizeof(names));
	profcmd_vars(pc, vars, sizeof(vars));
	return dropin_generate(names, vars, (int64_t)time(NULL), lines, n,
	    text, err, errlen);
}

/*
 * May apply write PATH?  Only a "*.conf" file of a sysctl.d directory
 * (or /etc/sysctl.conf) under --sysctl-root, and only over a file that
 * holds nothing but what ipctune writes (its header, allowlisted IPC
 * lines), unless --force.  0, or -1 with ERR.
 */
static int
check_target(const struct profcmd *pc, const char *path,
    const char *old_text, char *err, size_t errlen)
{
	struct dropin_foreign *f;
	bool sysctld;
	size_t nf;

	if (pc->force)
		return 0;
	if (!dropin_location_ok(path, pc->sysctl_root, &sysctld) ||
	    !sysctld) {
		snprintf(err, errlen, "refusing to write '%s': not a '*.conf' "
		    "file in a sysctl.d directory (/etc/sysctl.d, "
		    "/run/sysctl.d, /usr/local/lib/sysctl.d, "
		    "/usr/lib/sysctl.d, /lib/sysctl.d%s); --force writes it "
		    "anyway", path,
		    pc->sysctl_root ? " under --sysctl-root" : "");
		return -1;
	}
	if (old_text == NULL)
		return 0;
	nf = dropin_foreign_lines(old_text, NULL, &f);
	if (nf > 0 || (!dropin_has_header(old_text) && *old_text != '\0')) {
		if (nf > 0)
			snprintf(err, errlen, "refusing to replace '%s': line "
			    "%d ('%.80s') was not written by ipctune; "
			    "--force replaces it anyway", path, f[0].line,
			    f[0].text);
		else
			snprintf(err, errlen, "refusing to replace '%s': it "
			    "was not written by ipctune (no ipctune header); "
			    "--force replaces it anyway", path);
		dropin_foreign_free(f, nf);
		return -1;
	}
	dropin_foreign_free(f, nf);
	return 0;
}

/* Would another sysctl.d file override the drop-in at boot? */
static int
check_precedence(const struct profcmd *pc, const struct recommendation *r,
    struct apply_plan *ap, char *err, size_t errlen)
{
	const char *root = pc->sysctl_root ? pc->sysctl_root : "";

	ap->dropin_read_at_boot = true;
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++) {
		struct sysctld_plan plan;

		if (sysctld_load(root, (enum sysctld_rules)rules, ap->path,
		    ap->new_text, &plan, err, errlen) < 0)
			return -1;
		ap->read_by[rules] = plan.extra_read;
		if (!plan.extra_read) {
			ap->dropin_read_at_boot = false;
			if (plan.extra_shadowed_by != NULL)
				problem(ap, xasprintf("'%s' is hidden at boot "
				    "by '%s' of the same name (%s)", ap->path,
				    plan.extra_shadowed_by,
				    sysctld_rules_names[rules]));
			sysctld_plan_release(&plan);
			continue;
		}
		for (int i = 0; i < SC_COUNT; i++) {
			enum sysctl_id id = (enum sysctl_id)i;
			struct sysctld_winner w;
			struct sysctld_kvalue kv;
			char mine[128], boot[128], why[400];
			uint64_t v[SEM_NFIELDS], target[SEM_NFIELDS];
			bool rejected;

			if (!r->item[i].present)
				continue;
			for (int k = 0; k < SEM_NFIELDS; k++) {
				v[k] = r->item[i].f[k].recommended;
				target[k] = r->item[i].f[k].target;
			}
			ksysctl_format(id, v, mine, sizeof(mine));
			/*
			 * verify's rule (sysctld_complies()): what the boot
			 * leaves must comply with the profile; a later file
			 * that sets more is no override to refuse
			 */
			rejected = sysctld_next_boot(&plan, id, r->ipc_mni, &w,
			    &kv, why, sizeof(why));
			if (!rejected && sysctld_complies(id, kv.v, target,
			    pc->exact))
				continue;
			ksysctl_format(id, kv.v, boot, sizeof(boot));
			if (w.cancelled)
				problem(ap, xasprintf("'%s' would not be set "
				    "at boot: '%s' line %d has '-%s' after "
				    "the drop-in (%s)", sysctl_table[i].name,
				    w.file, w.line, sysctl_table[i].name,
				    sysctld_rules_names[rules]));
			else if (rejected)
				problem(ap, xasprintf("'%s' line %d: %s: %s "
				    "(%s)", w.file, w.line,
				    sysctl_table[i].name, why,
				    sysctld_rules_names[rules]));
			else if (w.set && !w.is_extra)
				problem(ap, xasprintf("'%s' would be %s at "
				    "boot, not %s: '%s' line %d sets it after "
				    "the drop-in (%s)", sysctl_table[i].name,
				    boot, mine, w.file, w.line,
				    sysctld_rules_names[rules]));
		}
		sysctld_plan_release(&plan);
	}
	return 0;
}

static void
print_plan(const struct apply_plan *ap, const struct profcmd *pc,
    struct globals *g, bool dry)
{
	char a[128], b[128];

	for (size_t i = 0; i < ap->nchanges; i++) {
		const struct ksysctl_change *c = &ap->changes[i];

		ksysctl_format(c->id, c->old_value, a, sizeof(a));
		ksysctl_format(c->id, c->new_value, b, sizeof(b));
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
	if (ap->nchanges == 0 && !(pc->persist && ap->dropin_changed))
		printf("nothing changed: %s\n", pc->runtime && pc->persist ?
		    "the running values and the drop-in already match" :
		    pc->runtime ? "the running values already match" :
		    "the drop-in already matches");
}

static int
print_json(const struct apply_plan *ap, const struct profcmd *pc,
    const struct recommendation *r, const struct kstate *ks, bool ok,
    int64_t now)
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
	    (ap->nchanges > 0 || (pc->persist && ap->dropin_changed))));
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
	for (i = 0; i < r->nwarnings; i++)
		json_array_append_new(w, json_string(r->warnings[i]));
	json_object_set_new(root, "warnings", w);
	return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
fill_record(struct state_record *rec, const struct profcmd *pc,
    const struct apply_plan *ap)
{
	state_record_init(rec);
	rec->applied_at = (int64_t)time(NULL);
	rec->exact = pc->exact;
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
	for (size_t i = 0; i < ap->nchanges; i++) {
		struct state_value *v = &rec->runtime[rec->nruntime++];

		v->id = ap->changes[i].id;
		memcpy(v->old_value, ap->changes[i].old_value,
		    sizeof(v->old_value));
		memcpy(v->new_value, ap->changes[i].new_value,
		    sizeof(v->new_value));
	}
	if (pc->persist && ap->dropin_changed) {
		rec->persist = true;
		rec->dropin_path = xstrdup(ap->path);
		rec->dropin_existed = ap->old_text != NULL;
		rec->dropin_old = ap->old_text ? xstrdup(ap->old_text) : NULL;
		rec->dropin_new = xstrdup(ap->new_text);
	}
	if (ap->plan_text != NULL)
		rec->plan = xstrdup(ap->plan_text);
	if (pc->sysctl_root != NULL)
		rec->sysctl_root = xstrdup(pc->sysctl_root);
	/* which namespace /proc/sys was: rollback must write the same one */
	if (state_current_ns(&rec->ns_inode, &rec->ns_host) < 0) {
		rec->ns_inode = 0;
		rec->ns_host = -1;
	}
	return 0;
}

/*
 * Read the drop-in back after the rename: exactly the text generated,
 * and no line a boot would apply that ipctune did not write.
 */
static int
reread_dropin(const struct apply_plan *ap, char *err, size_t errlen)
{
	struct dropin_foreign *f;
	char *now = NULL;
	size_t nf;
	int r = 0;

	if (dropin_read(ap->path, &now, err, errlen) < 0)
		return -1;
	if (now == NULL) {
		snprintf(err, errlen, "'%s' is gone right after it was "
		    "written", ap->path);
		return -1;
	}
	nf = dropin_foreign_lines(now, ap->new_text, &f);
	if (nf > 0 || strcmp(now, ap->new_text) != 0) {
		snprintf(err, errlen, "'%s' read back does not hold what was "
		    "written%s%.80s%s", ap->path, nf > 0 ? " (line '" : "",
		    nf > 0 ? f[0].text : "", nf > 0 ? "')" : "");
		r = -1;
	}
	dropin_foreign_free(f, nf);
	free(now);
	return r;
}

/*
 * After a failed drop-in write: if the failure came after the rename
 * (syncing the directory), the new file is in place although the apply
 * is reported as failed and its state record is withdrawn.  Put the old
 * content back, so the next boot and 'rollback' agree with what we said.
 */
static void
undo_dropin(const struct apply_plan *ap)
{
	char err[2048], *now = NULL;
	int r;

	if (dropin_read(ap->path, &now, err, sizeof(err)) < 0 ||
	    now == NULL || strcmp(now, ap->new_text) != 0) {
		free(now);
		return;
	}
	free(now);
	if (ap->old_text != NULL)
		r = dropin_write(ap->path, ap->old_text, 0644, err,
		    sizeof(err));
	else
		r = dropin_remove(ap->path, err, sizeof(err));
	if (r < 0)
		cli_err("cannot put the previous drop-in back: %s", err);
	else
		cli_err("the previous drop-in was put back");
}

/* Write the state record, then runtime, then the drop-in. */
static int
execute(const char *statedir, struct apply_plan *ap,
    const struct profcmd *pc, uint64_t ipc_mni)
{
	struct ksysctl_opts ko = { .root = "", .ipc_mni = ipc_mni };
	struct state_record rec;
	char err[PATH_MAX + 2048], spath[PATH_MAX], *prev_state = NULL;
	int status = EXIT_OK;

	test_faults(&ko);
	/* a drop-in that cannot be written is found before any change */
	if (pc->persist && ap->dropin_changed) {
		char dir[PATH_MAX], *slash;

		snprintf(dir, sizeof(dir), "%s", ap->path);
		slash = strrchr(dir, '/');
		if (slash != NULL)
			slash[slash == dir] = '\0';
		if (access(dir, W_OK) < 0) {
			int e = errno;

			cli_err("cannot write in '%s': %s%s: nothing changed",
			    dir, strerror(e), e == EACCES || e == EPERM ?
			    " (run as root)" : "");
			return EXIT_FAIL;
		}
	}
	state_path(statedir, spath, sizeof(spath));
	if (dropin_read(spath, &prev_state, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		return EXIT_FAIL;
	}
	fill_record(&rec, pc, ap);
	if (state_save(statedir, &rec, err, sizeof(err)) < 0) {
		cli_err("%s (nothing changed)", err);
		state_record_release(&rec);
		free(prev_state);
		return EXIT_FAIL;
	}
	if (ap->nchanges > 0) {
		if (ksysctl_apply(&ko, ap->changes, ap->nchanges, err,
		    sizeof(err)) < 0) {
			cli_err("%s", err);
			status = EXIT_FAIL;
			goto undo_state;
		}
		ap->runtime_done = true;
	}
	if (pc->persist && ap->dropin_changed) {
		if (dropin_write(ap->path, ap->new_text, 0644, err,
		    sizeof(err)) < 0 || reread_dropin(ap, err,
		    sizeof(err)) < 0) {
			cli_err("%s", err);
			status = EXIT_FAIL;
			undo_dropin(ap);
			if (ap->runtime_done) {
				struct ksysctl_change back[SC_COUNT];

				for (size_t i = 0; i < ap->nchanges; i++) {
					back[i] = ap->changes[i];
					memcpy(back[i].new_value,
					    ap->changes[i].old_value,
					    sizeof(back[i].new_value));
				}
				ko.restore = true;
				if (ksysctl_apply(&ko, back, ap->nchanges, err,
				    sizeof(err)) < 0)
					cli_err("cannot put the running values "
					    "back: %s", err);
				else
					cli_err("the running values were put "
					    "back");
				ap->runtime_done = false;
			}
			goto undo_state;
		}
		ap->dropin_done = true;
	}
	state_record_release(&rec);
	free(prev_state);
	return status;
undo_state:
	/* nothing changed after all: the previous record stays the last */
	if (prev_state != NULL)
		dropin_write(spath, prev_state, 0600, err, sizeof(err));
	else
		dropin_remove(spath, err, sizeof(err));
	state_record_release(&rec);
	free(prev_state);
	return status;
}

/*
 * The plan FILE as the one profile of PC: its recommended values, which
 * recommend_build() then treats like a profile's (raise only, clamped).
 */
static int
load_plan(struct apply_args *aa, struct apply_plan *ap, char *err,
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
warn_unread(struct globals *g, const struct apply_plan *ap)
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

/* Remove what a killed apply or rollback left next to PATH. */
static void
clean_stale(struct globals *g, const char *path)
{
	char err[PATH_MAX + 256];
	int n;

	if (dropin_clean_stale(path, &n, err, sizeof(err)) < 0)
		cli_warn(g, "%s", err);
	if (n > 0)
		cli_warn(g, "removed %d stale temporary file%s of '%s' left "
		    "by a killed run", n, n == 1 ? "" : "s", path);
}

static int
cmd_apply(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct recommendation r;
	struct apply_plan ap;
	struct apply_args aa;
	struct kstate ks;
	char err[PATH_MAX + 2048], statedir[PATH_MAX];
	char *body_old = NULL, *body_new;
	bool done, have_rec = false, have_ks = false, sysctld;
	int idx, status, lockfd = -1;

	memset(&aa, 0, sizeof(aa));
	profcmd_init(&aa.pc);
	memset(&ap, 0, sizeof(ap));
	status = cli_parse(self, argc, argv, g, opt_handler, &aa, &idx, &done);
	if (status != 0 || done)
		goto out;
	if (aa.from_plan != NULL && (aa.pc.nnames > 0 || aa.pc.nsets > 0)) {
		status = cli_usage_error(self, "--from-plan excludes -p and "
		    "--set (the plan has its values)");
		goto out;
	}
	if (aa.pc.nnames == 0 && aa.from_plan == NULL) {
		status = cli_usage_error(self, "which workload? give -p NAME "
		    "(see 'ipctune profiles')");
		goto out;
	}
	if (!aa.pc.runtime && !aa.pc.persist)
		aa.pc.runtime = aa.pc.persist = true;
	if (aa.pc.dropin != NULL) {
		snprintf(ap.path, sizeof(ap.path), "%s", aa.pc.dropin);
	} else {
		size_t n = aa.pc.sysctl_root ? strlen(aa.pc.sysctl_root) : 0;

		/* no "//etc/..." from --sysctl-root / or DIR/ */
		while (n > 0 && aa.pc.sysctl_root[n - 1] == '/')
			n--;
		snprintf(ap.path, sizeof(ap.path), "%.*s%s", (int)n,
		    n > 0 ? aa.pc.sysctl_root : "", DROPIN_DEFAULT_PATH);
	}
	if (!aa.pc.dry_run) {
		char spath[PATH_MAX];

		if (profcmd_state_dir(statedir, sizeof(statedir), err,
		    sizeof(err)) < 0 || state_lock(statedir, &lockfd, err,
		    sizeof(err)) < 0) {
			cli_fail(g, err);
			status = EXIT_FAIL;
			goto out;
		}
		/*
		 * Under the lock: no apply or rollback of ours is writing.
		 * The drop-in's directory is cleaned only once its path is
		 * accepted, below.
		 */
		state_path(statedir, spath, sizeof(spath));
		clean_stale(g, spath);
	}
	/* read the kernel only under the lock: a concurrent apply is done */
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
	if (status != 0)
		goto out;
	have_ks = true;
	if (aa.from_plan != NULL ? load_plan(&aa, &ap, err, sizeof(err)) < 0 :
	    profcmd_load(&aa.pc, &ks, err, sizeof(err)) < 0) {
		cli_fail(g, err);
		status = EXIT_FAIL;
		goto out;
	}
	recommend_build((const struct profile *const *)aa.pc.profiles,
	    aa.pc.nprofiles, &ks, aa.pc.exact, &r);
	have_rec = true;
	for (size_t i = 0; i < r.nwarnings; i++)
		cli_warn(g, "%s", r.warnings[i]);
	for (int i = 0; aa.pc.runtime && i < SC_COUNT; i++) {
		struct ksysctl_change *c;

		if (!r.item[i].present || r.item[i].action == REC_KEEP)
			continue;
		c = &ap.changes[ap.nchanges++];
		memset(c, 0, sizeof(*c));
		c->id = (enum sysctl_id)i;
		for (int k = 0; k < SEM_NFIELDS; k++)
			c->new_value[k] = r.item[i].f[k].recommended;
		/* as the kernel holds it, for rollback: SEMOPM -1 stays -1 */
		sysctl_held_value(c->id, &ks.sysctl[i], c->old_value);
	}
	if (aa.pc.persist) {
		if (dropin_read(ap.path, &ap.old_text, err, sizeof(err)) < 0) {
			cli_fail(g, err);
			status = EXIT_FAIL;
			goto out;
		}
		if (check_target(&aa.pc, ap.path, ap.old_text, err,
		    sizeof(err)) < 0 || render_dropin(&aa.pc, &r,
		    &ap.new_text, err, sizeof(err)) < 0) {
			cli_err("%s: nothing changed", err);
			status = EXIT_FAIL;
			goto out;
		}
		/*
		 * "FILE.tmp.PID" is a common idiom: look for ours only beside
		 * a path accepted as a drop-in location (--force accepts any
		 * path), never beside one refused.
		 */
		if (!aa.pc.dry_run && dropin_location_ok(ap.path,
		    aa.pc.sysctl_root, &sysctld))
			clean_stale(g, ap.path);
		body_new = dropin_body(ap.new_text);
		if (ap.old_text != NULL)
			body_old = dropin_body(ap.old_text);
		ap.dropin_changed = body_old == NULL ||
		    strcmp(body_old, body_new) != 0;
		free(body_old);
		free(body_new);
		if (check_precedence(&aa.pc, &r, &ap, err, sizeof(err)) < 0) {
			cli_fail(g, err);
			status = EXIT_FAIL;
			goto out;
		}
		if (!ap.dropin_read_at_boot && ap.nproblems == 0)
			warn_unread(g, &ap);
	}
	if (r.below_usage && !aa.pc.force) {
		cli_err("refusing to go below what is in use now (see the "
		    "warnings; --force overrides): nothing changed");
		status = EXIT_FAIL;
	}
	for (size_t i = 0; i < ap.nproblems; i++)
		cli_err("%s%s", ap.problems[i], aa.pc.force ? " (--force: "
		    "writing anyway)" : "");
	if (ap.nproblems > 0 && !aa.pc.force) {
		cli_err("refusing to write a drop-in that is overridden at "
		    "boot (fix the other file, choose --dropin, or --force): "
		    "nothing changed");
		status = EXIT_FAIL;
	}
	if (status == EXIT_OK && !aa.pc.dry_run &&
	    (ap.nchanges > 0 || (aa.pc.persist && ap.dropin_changed)))
		status = execute(statedir, &ap, &aa.pc, r.ipc_mni);
	if (g->format == FMT_JSON) {
		int s = print_json(&ap, &aa.pc, &r, &ks, status == EXIT_OK,
		    g->view.now);

		if (status == EXIT_OK)
			status = s;
	} else if (status == EXIT_OK) {
		print_plan(&ap, &aa.pc, g, aa.pc.dry_run);
	}
out:
	state_unlock(lockfd);
	if (have_rec)
		recommend_release(&r);
	if (have_ks)
		kstate_release(&ks);
	plan_release(&ap);
	profcmd_release(&aa.pc);
	return status;
}

const struct command cmd_apply_entry = {
	.name = "apply", .fn = cmd_apply, .args = "-p NAME [-p NAME...] | --from-plan FILE",
	.summary = "write the values: runtime (/proc/sys) and sysctl.d",
	.opts = cmd_apply_opts, .flags = CMD_FORMATS_JSON,
	.colsets = cmd_apply_columns
};
