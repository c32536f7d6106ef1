/*
 * cmd_verify.c: 'ipctune verify [-p NAME...]', per sysctl the profile's
 * value, the running value and the value the next boot sets (with the
 * file, under systemd-sysctl and under procps 'sysctl --system' rules),
 * and whether each complies.  Exit 4 on drift.  Without -p it verifies
 * the profiles, or the plan, of the last apply.  With --pid or --ns it
 * judges that IPC namespace's running values only: no sysctl.d reaches
 * it.  Glue only.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "devshm.h"
#include "drift.h"
#include "dropin.h"
#include "nstarget.h"
#include "plan.h"
#include "profcmd.h"
#include "rootfile.h"
#include "render.h"
#include "state.h"
#include "sysctld.h"
#include "sysctld_load.h"
#include "xmalloc.h"

enum { O_ANY_NS = 200 };

static const struct cli_opt cmd_verify_opts[] = {
	PROFCMD_OPT_PROFILE,
	PROFCMD_OPT_SET,
	PROFCMD_OPT_EXACT,
	PROFCMD_OPT_PROFILE_DIR,
	PROFCMD_OPT_SYSCTL_ROOT,
	{ "any-namespace", 0, no_argument, NULL,
	    "compare with the last apply even if it changed another IPC "
	    "namespace", O_ANY_NS, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

struct verify_args {
	struct profcmd pc;
	bool any_ns;
	struct nstarget ns;	/* --pid/--ns */
};

/* ipctune's own drop-in and the lines in it that ipctune did not write. */
struct own_dropin {
	char path[PATH_MAX];
	struct dropin_foreign *foreign;
	size_t nforeign;
};

/*
 * /dev/shm against the profiles, when the last apply changed it (apply
 * --dev-shm-remount or --dev-shm-persist): its size now, and the size
 * the file that apply wrote gives it at the next boot.
 */
struct shm_drift {
	bool judged;
	uint64_t wanted;
	bool has_running;
	uint64_t running;
	bool running_ok;
	bool boot_judged;	/* apply --dev-shm-persist wrote the file */
	char path[PATH_MAX];
	bool has_boot;
	uint64_t boot;
	bool boot_ok;
};

/* What verify found: the values judged, the drop-in, the verdict. */
struct verify_run {
	struct drift_result d;
	struct own_dropin od;
	struct shm_drift shm;
	bool from_state;	/* the profiles of the last apply */
	bool all_ok;
	bool runtime_only;	/* another namespace: no next boot */
};

enum { Y_SYSCTL, Y_PROFILE, Y_RUNNING, Y_BOOT, Y_FILE, Y_PROCPS,
    Y_STATUS, Y_NCOLS };

static const struct column verify_cols[Y_NCOLS] = {
	[Y_SYSCTL] = { "SYSCTL", "the sysctl", 0, COL_DEFAULT },
	[Y_PROFILE] = { "PROFILE", "the profiles' value, clamped", 0,
	    COL_DEFAULT },
	[Y_RUNNING] = { "RUNNING", "the running value", 0, COL_DEFAULT },
	[Y_BOOT] = { "NEXT-BOOT", "the value systemd-sysctl sets at boot",
	    0, COL_DEFAULT },
	[Y_FILE] = { "FILE", "the file that sets it (systemd-sysctl)", 0,
	    COL_DEFAULT },
	[Y_PROCPS] = { "PROCPS", "value and file under 'sysctl --system'",
	    0, 0 },
	[Y_STATUS] = { "STATUS", "ok, or where it drifted", 0, COL_DEFAULT },
};

static const struct column_set cmd_verify_columns[] = {
	{ verify_cols, Y_NCOLS },
	{ NULL, 0 },
};

static int
opt_handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct verify_args *va = ctx;

	if (id == O_ANY_NS) {
		va->any_ns = true;
		return 0;
	}
	return profcmd_opt_handler(self, id, arg, &va->pc);
}

/*
 * Judge the sysctls R sets: the running values of KS and what the next
 * boot leaves under each rule set, read under --sysctl-root.
 */
static int
build(const struct profcmd *pc, const struct recommendation *r,
    const struct kstate *ks, struct drift_result *d, bool runtime_only,
    char *err, size_t errlen)
{
	struct sysctld_plan plans[SYSCTLD_NRULES];
	const char *root = pc->sysctl_root ? pc->sysctl_root : "";

	/* a container starts from the kernel's defaults, not sysctl.d */
	if (runtime_only) {
		drift_judge(r, ks, NULL, pc->exact, d);
		return 0;
	}

	for (int rules = 0; rules < SYSCTLD_NRULES; rules++)
		if (sysctld_load(root, (enum sysctld_rules)rules, NULL, NULL,
		    &plans[rules], err, errlen) < 0) {
			if (rules > 0)
				sysctld_plan_release(&plans[0]);
			return -1;
		}
	drift_judge(r, ks, plans, pc->exact, d);
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++)
		sysctld_plan_release(&plans[rules]);
	return 0;
}

static const char *
boot_file(const struct drift_boot *b, char *buf, size_t len)
{
	if (b->set)
		snprintf(buf, len, "%s:%d", b->file, b->line);
	else
		snprintf(buf, len, "(kernel default)");
	return buf;
}

static int
print_table(const struct command *self, const struct drift_result *d,
    struct globals *g)
{
	struct table *t;
	char err[512], b[128], f[PATH_MAX + 32], p[PATH_MAX + 200];

	t = table_new(verify_cols, Y_NCOLS, g->columns, &g->view,
	    err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	for (int i = 0; i < SC_COUNT; i++) {
		const struct drift_item *it = &d->item[i];
		const struct drift_boot *sd = &it->boot[SYSCTLD_SYSTEMD];
		const struct drift_boot *ps = &it->boot[SYSCTLD_PROCPS];

		if (!it->present)
			continue;
		table_row(t);
		table_cell(t, Y_SYSCTL, sysctl_table[i].name);
		sysctl_format((enum sysctl_id)i, it->target, b, sizeof(b));
		table_cell(t, Y_PROFILE, b);
		sysctl_format((enum sysctl_id)i, it->running, b, sizeof(b));
		table_cell(t, Y_RUNNING, b);
		if (d->boot_judged) {
			sysctl_format((enum sysctl_id)i, sd->v, b, sizeof(b));
			table_cell(t, Y_BOOT, b);
			table_cell(t, Y_FILE, boot_file(sd, f, sizeof(f)));
			sysctl_format((enum sysctl_id)i, ps->v, b, sizeof(b));
			snprintf(p, sizeof(p), "%s %s", b, boot_file(ps, f,
			    sizeof(f)));
			table_cell(t, Y_PROCPS, p);
		} else {
			table_cell(t, Y_BOOT, "-");
			table_cell(t, Y_FILE, "-");
			table_cell(t, Y_PROCPS, "-");
		}
		table_cell(t, Y_STATUS, drift_item_status(it, b, sizeof(b)));
		table_row_color(t, it->ok ? 0 : 2);
	}
	return table_print_free(t) < 0 ? EXIT_FAIL : EXIT_OK;
}

/* "this line will be rejected at boot; the kernel keeps X" */
static void
print_rejected(const struct drift_item *it, enum sysctl_id id)
{
	const struct drift_boot *sd = &it->boot[SYSCTLD_SYSTEMD];
	const struct drift_boot *ps = &it->boot[SYSCTLD_PROCPS];
	bool same = sd->rejected && ps->rejected &&
	    strcmp(sd->file, ps->file) == 0 && sd->line == ps->line &&
	    strcmp(sd->why, ps->why) == 0;

	for (int rules = 0; it->present && rules < SYSCTLD_NRULES; rules++) {
		const struct drift_boot *v = &it->boot[rules];

		if (!v->rejected || (same && rules > 0))
			continue;
		render_printf("drift: '%s' line %d: %s: %s (%s)\n", v->file,
		    v->line, sysctl_table[id].name, v->why, same ?
		    "systemd-sysctl and sysctl --system" :
		    sysctld_rules_names[rules]);
	}
}

static json_t *
boot_json(const struct drift_boot *b, enum sysctl_id id)
{
	json_t *o = json_object();

	profcmd_json_value(o, "value", id, b->v);
	json_object_set_new(o, "file", b->set ? json_string(b->file) :
	    json_null());
	json_object_set_new(o, "line", b->set ? json_integer(b->line) :
	    json_null());
	json_object_set_new(o, "kernel_default", json_boolean(!b->set));
	json_object_set_new(o, "rejected", json_boolean(b->rejected));
	json_object_set_new(o, "rejected_reason", b->rejected ?
	    json_string(b->reason) : json_null());
	json_object_set_new(o, "compliant", json_boolean(b->ok));
	return o;
}

/* The /dev/shm lines: running and next boot, each ok or drift. */
static void
print_shm(const struct globals *g, const struct shm_drift *sd)
{
	char a[64], b[64];

	if (!sd->judged)
		return;
	render_bytes(sd->wanted, g->bytes, a, sizeof(a));
	if (sd->has_running)
		render_bytes(sd->running, g->bytes, b, sizeof(b));
	render_printf("/dev/shm: profile %s, running %s: %s\n", a,
	    sd->has_running ? b : "unknown", sd->running_ok ? "ok" : "drift");
	if (!sd->boot_judged)
		return;
	if (sd->has_boot)
		render_bytes(sd->boot, g->bytes, b, sizeof(b));
	render_printf("/dev/shm: profile %s, next boot %s (%s): %s\n", a,
	    sd->has_boot ? b : "no size", sd->path, sd->boot_ok ? "ok" :
	    "drift");
}

/* /dev/shm in the verify document, or null when not judged. */
static json_t *
shm_json(const struct shm_drift *sd)
{
	json_t *o, *nb;

	if (!sd->judged)
		return json_null();
	o = json_object();
	json_set_u64(o, "wanted_bytes", sd->wanted);
	if (sd->has_running)
		json_set_u64(o, "running_bytes", sd->running);
	else
		json_object_set_new(o, "running_bytes", json_null());
	json_object_set_new(o, "running_compliant",
	    json_boolean(sd->running_ok));
	nb = json_null();
	if (sd->boot_judged) {
		nb = json_object();
		json_object_set_new(nb, "path", json_string(sd->path));
		if (sd->has_boot)
			json_set_u64(nb, "bytes", sd->boot);
		else
			json_object_set_new(nb, "bytes", json_null());
		json_object_set_new(nb, "compliant",
		    json_boolean(sd->boot_ok));
	}
	json_object_set_new(o, "next_boot", nb);
	return o;
}

static int
print_json(const struct verify_run *v, const struct profcmd *pc,
    const struct kstate *ks, int64_t now)
{
	const struct own_dropin *od = &v->od;

	json_t *root = render_envelope("verify", ks, now), *a = json_array();
	json_t *p = json_array(), *d = json_object(), *fl = json_array();

	json_object_set_new(d, "path", od->path[0] ? json_string(od->path) :
	    json_null());
	for (size_t i = 0; i < od->nforeign; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "line",
		    json_integer(od->foreign[i].line));
		json_object_set_new(o, "text",
		    json_string(od->foreign[i].text));
		json_array_append_new(fl, o);
	}
	json_object_set_new(d, "foreign_lines", fl);

	for (size_t i = 0; i < pc->nnames; i++)
		json_array_append_new(p, json_string(pc->names[i]));
	json_object_set_new(root, "profiles", p);
	json_object_set_new(root, "from_last_apply",
	    json_boolean(v->from_state));
	json_object_set_new(root, "exact", json_boolean(pc->exact));
	json_object_set_new(root, "compliant", json_boolean(v->all_ok));
	for (int i = 0; i < SC_COUNT; i++) {
		const struct drift_item *it = &v->d.item[i];
		enum sysctl_id id = (enum sysctl_id)i;
		json_t *o, *nb;

		if (!it->present)
			continue;
		o = json_object();
		json_object_set_new(o, "sysctl",
		    json_string(sysctl_table[i].name));
		profcmd_json_value(o, "profile", id, it->target);
		profcmd_json_value(o, "running", id, it->running);
		json_object_set_new(o, "running_compliant",
		    json_boolean(it->running_ok));
		nb = json_null();
		if (v->d.boot_judged) {
			nb = json_object();
			json_object_set_new(nb, "systemd_sysctl",
			    boot_json(&it->boot[SYSCTLD_SYSTEMD], id));
			json_object_set_new(nb, "sysctl_system",
			    boot_json(&it->boot[SYSCTLD_PROCPS], id));
		}
		json_object_set_new(o, "next_boot", nb);
		json_object_set_new(o, "compliant", json_boolean(it->ok));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "sysctls", a);
	json_object_set_new(root, "dropin", d);
	json_object_set_new(root, "dev_shm", shm_json(&v->shm));
	return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
}

/*
 * Read ipctune's own drop-in (the last apply's, else the default path
 * under --sysctl-root) and find the lines ipctune did not write: not an
 * allowlisted IPC key, or a key the apply did not write.
 */
static int
check_own_dropin(const struct profcmd *pc, const struct state_record *rec,
    struct own_dropin *od, char *err, size_t errlen)
{
	const char *wrote = NULL;
	char *text;
	size_t n;

	memset(od, 0, sizeof(*od));
	if (rec->persist && rec->dropin_path != NULL) {
		snprintf(od->path, sizeof(od->path), "%s", rec->dropin_path);
		wrote = rec->dropin_new;
	} else {
		n = pc->sysctl_root ? strlen(pc->sysctl_root) : 0;
		while (n > 0 && pc->sysctl_root[n - 1] == '/')
			n--;
		snprintf(od->path, sizeof(od->path), "%.*s%s", (int)n,
		    n > 0 ? pc->sysctl_root : "", DROPIN_DEFAULT_PATH);
	}
	if (rootfile_read(od->path, &text, err, errlen) < 0)
		return -1;
	if (text == NULL)
		return 0;
	od->nforeign = dropin_foreign_lines(text, wrote, &od->foreign);
	free(text);
	return 0;
}

/*
 * The plan the last 'apply --from-plan' wrote, as the one profile of PC,
 * the way apply read it.
 */
static int
load_plan(struct profcmd *pc, const struct state_record *rec, char *err,
    size_t errlen)
{
	struct profile *p = xmalloc(sizeof(*p));
	char from[128], perr[512];

	profile_init(p);
	pc->profiles[pc->nprofiles++] = p;
	if (plan_read(rec->plan, strlen(rec->plan), p, from, sizeof(from),
	    perr, sizeof(perr)) < 0) {
		snprintf(err, errlen, "the plan of the last apply: %s", perr);
		return -1;
	}
	p->name = xstrdup(pc->nnames > 0 ? pc->names[0] : "plan");
	return 0;
}

/* Take the profiles, --set values and --exact of the last apply. */
static int
from_last_apply(const struct globals *g, const struct nstarget *t,
    struct profcmd *pc, struct state_record *rec)
{
	char base[PATH_MAX], dir[PATH_MAX], err[PATH_MAX + 1024];
	bool found;

	if (profcmd_state_dir(base, sizeof(base), err, sizeof(err)) < 0)
		return cli_fail(g, err);
	if (nstarget_state_dir(base, t, dir, sizeof(dir)) < 0) {
		snprintf(err, sizeof(err), "state directory '%s': %s", base,
		    strerror(errno));
		return cli_fail(g, err);
	}
	if (state_load(dir, rec, &found, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	if (!found || rec->nprofiles == 0) {
		snprintf(err, sizeof(err), "nothing was applied (no record in "
		    "'%s'): give -p NAME", dir);
		return cli_fail(g, err);
	}
	for (size_t i = 0; i < rec->nprofiles && i < PROFCMD_MAX_PROFILES;
	    i++)
		pc->names[pc->nnames++] = rec->profiles[i];
	for (size_t i = 0; i < rec->nsets; i++)
		if (profcmd_option(pc, PO_SET, rec->sets[i], err,
		    sizeof(err)) < 0)
			return cli_fail(g, err);
	/* the profiles came from these directories, unless told otherwise */
	if (pc->nextra == 0)
		for (size_t i = 0; i < rec->nprofile_dirs; i++)
			if (profcmd_option(pc, PO_PROFILE_DIR,
			    rec->profile_dirs[i], err, sizeof(err)) < 0)
				return cli_fail(g, err);
	pc->exact = pc->exact || rec->exact;
	return 0;
}

/* tmpfs rounds a size up to whole pages (shmem_parse_one, mm/shmem.c) */
#define VERIFY_SHM_SLACK 65536

/* Does a size HAVE meet WANTED, page rounding aside? */
static bool
shm_size_ok(uint64_t have, uint64_t wanted, bool exact)
{
	if (have < wanted)
		return false;
	return !exact || have - wanted < VERIFY_SHM_SLACK;
}

/*
 * /dev/shm, if the last apply REC changed it and R still asks for a
 * size: the running size (this mount namespace's /dev/shm only) and the
 * size the file it wrote sets at the next boot.
 */
static void
judge_shm(const struct state_record *rec, const struct recommendation *r,
    const struct kstate *ks, bool exact, struct shm_drift *sd)
{
	const struct ipc_usage *u = &ks->usage;
	char *text = NULL, err[PATH_MAX + 256];

	memset(sd, 0, sizeof(*sd));
	if (!(rec->shm_remounted || rec->shm_persist) || !r->dev_shm.present)
		return;
	sd->judged = true;
	sd->wanted = r->dev_shm.wanted;
	sd->has_running = u->has_dev_shm &&
	    strcmp(u->dev_shm_path, "/dev/shm") == 0;
	sd->running = u->dev_shm_size_bytes;
	sd->running_ok = sd->has_running && shm_size_ok(sd->running,
	    sd->wanted, exact);
	if (!rec->shm_persist)
		return;
	sd->boot_judged = true;
	snprintf(sd->path, sizeof(sd->path), "%s", rec->shm_path);
	if (rootfile_read(rec->shm_path, &text, err, sizeof(err)) == 0 &&
	    text != NULL)
		sd->has_boot = devshm_boot_size(text, strstr(rec->shm_path,
		    "/dev-shm.mount.d/") != NULL, &sd->boot) == 0;
	free(text);
	sd->boot_ok = sd->has_boot && shm_size_ok(sd->boot, sd->wanted,
	    exact);
}

/*
 * Judge the values against the profiles of PC, then the foreign lines of
 * the drop-in and the room the workload is left; warnings go to stderr.
 * 0, or -1 with ERR.
 */
static int
judge(const struct globals *g, const struct profcmd *pc,
    const struct state_record *rec, const struct kstate *ks,
    struct verify_run *v, char *err, size_t errlen)
{
	struct recommendation r;
	int rc = 0;

	recommend_build((const struct profile *const *)pc->profiles,
	    pc->nprofiles, ks, pc->exact, &r);
	memset(&v->od, 0, sizeof(v->od));
	if (build(pc, &r, ks, &v->d, v->runtime_only, err, errlen) < 0 ||
	    (!v->runtime_only && check_own_dropin(pc, rec, &v->od, err,
	    errlen) < 0))
		rc = -1;
	if (!v->runtime_only)
		judge_shm(rec, &r, ks, pc->exact, &v->shm);
	recommend_release(&r);
	if (rc < 0)
		return -1;
	v->all_ok = v->d.compliant && v->od.nforeign == 0 &&
	    (!v->shm.judged || (v->shm.running_ok &&
	    (!v->shm.boot_judged || v->shm.boot_ok)));
	/* values that match but leave the workload no room do not comply */
	for (size_t i = 0; i < pc->nprofiles; i++) {
		char room[512];

		if (!plan_room(ks, pc->profiles[i], NULL, room,
		    sizeof(room))) {
			cli_warn(g, "%s", room);
			v->all_ok = false;
		}
	}
	return 0;
}

static int
print_text(const struct command *self, struct globals *g,
    const struct profcmd *pc, const struct kstate *ks,
    const struct verify_run *v)
{
	const struct own_dropin *od = &v->od;
	char names[512];
	int status;

	if (!g->noheadings) {
		render_namespace_line(ks);
		render_printf("profiles: %s%s%s\n", profcmd_names(pc, names,
		    sizeof(names)), pc->exact ? " (exact)" : " (at least)",
		    v->from_state ? ", from the last apply" : "");
	}
	status = print_table(self, &v->d, g);
	for (int i = 0; status == EXIT_OK && i < SC_COUNT; i++)
		print_rejected(&v->d.item[i], (enum sysctl_id)i);
	for (size_t i = 0; status == EXIT_OK && i < od->nforeign; i++)
		render_printf("drift: '%s' line %d: '%s' was not written by "
		    "ipctune (not an IPC limit it wrote there)\n", od->path,
		    od->foreign[i].line, od->foreign[i].text);
	if (status == EXIT_OK)
		print_shm(g, &v->shm);
	if (status == EXIT_OK && !g->noheadings && v->runtime_only)
		render_printf("next boot: not judged: no sysctl.d reaches "
		    "another IPC namespace; a container takes its values from "
		    "its platform (ipctune recommend --for)\n");
	if (status == EXIT_OK && !g->noheadings)
		printf("%s\n", v->all_ok ? "compliant" : "drift found");
	return status;
}

/*
 * Without -p: the profiles of the last apply, which must have changed
 * this IPC namespace unless --any-namespace.
 */
static int
profiles_of_last_apply(const struct command *self, struct globals *g,
    struct verify_args *va, struct state_record *rec)
{
	char err[PATH_MAX + 2048];
	int status;

	if (va->pc.nsets > 0)
		return cli_usage_error(self, "--set needs -p NAME");
	status = from_last_apply(g, &va->ns, &va->pc, rec);
	if (status != 0)
		return status;
	/* another namespace's running values are not the apply's */
	if (nstarget_check(rec, va->any_ns, "compares here anyway", err,
	    sizeof(err)) < 0)
		return cli_fail(g, err);
	return 0;
}

static int
cmd_verify(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct verify_run *v = xcalloc(1, sizeof(*v));
	struct state_record rec;
	struct verify_args va;
	struct profcmd *pcp = &va.pc;
	struct kstate ks;
	char err[PATH_MAX + 2048];
	bool done;
	int idx, status;

	memset(&va, 0, sizeof(va));
	profcmd_init(pcp);
	state_record_init(&rec);
	status = cli_parse(self, argc, argv, g, opt_handler, &va, &idx, &done);
	if (status != 0 || done)
		goto out;
	if (g->ks.root != NULL) {
		status = cli_usage_error(self, "--root is a fixture tree: "
		    "verify reads the live kernel");
		goto out;
	}
	if (nstarget_enter(&g->ks, &va.ns, err, sizeof(err)) < 0) {
		status = cli_fail(g, err);
		goto out;
	}
	v->runtime_only = va.ns.other;
	if (pcp->nnames == 0) {
		status = profiles_of_last_apply(self, g, &va, &rec);
		if (status != 0)
			goto out;
		v->from_state = true;
	}
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
	if (status != 0)
		goto out;
	if ((rec.plan != NULL ? load_plan(pcp, &rec, err, sizeof(err)) :
	    profcmd_load(pcp, &ks, err, sizeof(err))) < 0 ||
	    judge(g, pcp, &rec, &ks, v, err, sizeof(err)) < 0) {
		cli_fail(g, err);
		status = EXIT_FAIL;
		goto out_ks;
	}
	if (g->format == FMT_JSON)
		status = print_json(v, pcp, &ks, g->view.now);
	else
		status = print_text(self, g, pcp, &ks, v);
	if (status == EXIT_OK && !v->all_ok)
		status = EXIT_NO;
out_ks:
	kstate_release(&ks);
out:
	dropin_foreign_free(v->od.foreign, v->od.nforeign);
	free(v);
	profcmd_release(pcp);
	state_record_release(&rec);
	return status;
}

const struct command cmd_verify_entry = {
	.name = "verify", .fn = cmd_verify, .args = "[-p NAME...]",
	.summary = "drift between profile, running kernel and next boot",
	.opts = cmd_verify_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	.colsets = cmd_verify_columns
};
