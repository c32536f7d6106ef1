/*
 * cmd_recommend.c: 'ipctune recommend -p NAME...', per sysctl the current
 * value, the recommended one, the action (raise, keep, lower) and why,
 * then the clamping and coherence warnings, or with --for the values in
 * a container platform's form (platform.c).  Option parsing and glue
 * only; the rules are recommend.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "devshm.h"
#include "devshmfs.h"
#include "numparse.h"
#include "profcmd.h"
#include "render.h"

static const struct cli_opt cmd_recommend_opts[] = {
	PROFCMD_OPT_PROFILE,
	PROFCMD_OPT_SET,
	PROFCMD_OPT_EXACT,
	PROFCMD_OPT_PROFILE_DIR,
	PROFCMD_OPT_FOR,
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

enum { R_SYSCTL, R_CURRENT, R_PROFILE, R_RECOMMENDED, R_ACTION, R_WHY,
    R_NCOLS };

static const struct column rec_cols[R_NCOLS] = {
	[R_SYSCTL] = { "SYSCTL", "the sysctl", 0, COL_DEFAULT },
	[R_CURRENT] = { "CURRENT", "the running value", 0, COL_DEFAULT },
	[R_PROFILE] = { "PROFILE", "the profiles' value, clamped", 0, 0 },
	[R_RECOMMENDED] = { "RECOMMENDED", "the value to set", 0,
	    COL_DEFAULT },
	[R_ACTION] = { "ACTION", "raise, keep or lower", 0, COL_DEFAULT },
	[R_WHY] = { "WHY", "the reason, field by field", 0,
	    COL_DEFAULT | COL_WRAP },
};

static const struct column_set cmd_recommend_columns[] = {
	{ rec_cols, R_NCOLS },
	{ NULL, 0 },
};

static int
print_table(const struct command *self, const struct recommendation *r, const struct kstate *ks,
    struct globals *g)
{
	struct table *t;
	char err[512], b[128];

	t = table_new(rec_cols, R_NCOLS, g->columns, &g->view,
	    err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	for (int i = 0; i < SC_COUNT; i++) {
		const struct rec_item *it = &r->item[i];
		uint64_t v[SEM_NFIELDS];

		if (!it->present)
			continue;
		table_row(t);
		table_cell(t, R_SYSCTL, sysctl_table[i].name);
		for (int k = 0; k < SEM_NFIELDS; k++)
			v[k] = it->f[k].current;
		sysctl_format((enum sysctl_id)i, v, b, sizeof(b));
		table_cell(t, R_CURRENT, ks->sysctl[i].present ? b : "-");
		for (int k = 0; k < SEM_NFIELDS; k++)
			v[k] = it->f[k].target;
		sysctl_format((enum sysctl_id)i, v, b, sizeof(b));
		table_cell(t, R_PROFILE, b);
		for (int k = 0; k < SEM_NFIELDS; k++)
			v[k] = it->f[k].recommended;
		sysctl_format((enum sysctl_id)i, v, b, sizeof(b));
		table_cell(t, R_RECOMMENDED, b);
		table_cell(t, R_ACTION, rec_action_names[it->action]);
		table_cell(t, R_WHY, it->why);
		table_row_color(t, it->below_usage ? 2 : it->clamped ? 1 : 0);
	}
	return table_print_free(t) < 0 ? EXIT_FAIL : EXIT_OK;
}

static const char *const devshm_methods[] = {
	[DEVSHM_FSTAB_EDIT] = "fstab_edit",
	[DEVSHM_MOUNT_DROPIN] = "mount_dropin",
	[DEVSHM_FSTAB_ADD] = "fstab_add",
};

/* The /dev/shm size the profiles ask for: JSON, or null. */
static json_t *
dev_shm_json(const struct recommendation *r, const struct devshm_host *h)
{
	const struct rec_dev_shm *d = &r->dev_shm;
	json_t *o, *ps;
	char file[128], text[1200], b[96];
	enum devshm_persist how;

	if (!d->present)
		return json_null();
	o = json_object();
	json_set_u64(o, "wanted_bytes", d->wanted);
	json_object_set_new(o, "from", json_string(d->from));
	if (d->has_current)
		json_set_u64(o, "current_bytes", d->current);
	else
		json_object_set_new(o, "current_bytes", json_null());
	json_object_set_new(o, "action",
	    json_string(rec_action_names[d->action]));
	how = devshm_persist_text(h, d->wanted, file, sizeof(file), text,
	    sizeof(text));
	ps = json_object();
	json_object_set_new(ps, "method", json_string(devshm_methods[how]));
	json_object_set_new(ps, "file", json_string(file));
	json_object_set_new(ps, "text", json_string(text));
	json_object_set_new(o, "persist", ps);
	snprintf(b, sizeof(b), "mount -o remount,size=%" PRIu64 "k /dev/shm",
	    num_div_ceil_u64(d->wanted, 1024));
	json_object_set_new(o, "runtime", json_string(b));
	return o;
}

/* The /dev/shm lines under the table. */
static void
print_dev_shm(const struct recommendation *r, const struct devshm_host *h,
    bool raw)
{
	const struct rec_dev_shm *d = &r->dev_shm;
	char file[128], text[1200], b[64], c[64];
	enum devshm_persist how;

	if (!d->present)
		return;
	render_printf("\n/dev/shm: %s now, %s asks for %s: %s\n",
	    d->has_current ? render_bytes(d->current, raw, c, sizeof(c)) :
	    "size unknown", d->from, render_bytes(d->wanted, raw, b,
	    sizeof(b)), rec_action_names[d->action]);
	if (d->action == REC_KEEP)
		return;
	render_printf("  now: mount -o remount,size=%" PRIu64 "k /dev/shm "
	    "(ipctune apply --dev-shm-remount does it)\n",
	    num_div_ceil_u64(d->wanted, 1024));
	how = devshm_persist_text(h, d->wanted, file, sizeof(file), text,
	    sizeof(text));
	render_printf("  at boot: %s %s:\n    %s\n", how == DEVSHM_FSTAB_EDIT ?
	    "change the /dev/shm line of" : how == DEVSHM_FSTAB_ADD ?
	    "add to" : "write", file, text);
}

/* The values in the form of the --for platform, then the warnings. */
static int
print_platform(const struct profcmd *pc, const struct recommendation *r,
    const struct kstate *ks, struct globals *g)
{
	char *text = profcmd_platform(pc, r, ks);

	fputs(text, stdout);
	free(text);
	for (size_t i = 0; i < r->nwarnings; i++)
		cli_warn(g, "%s", r->warnings[i]);
	return EXIT_OK;
}

static int
cmd_recommend(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct recommendation r;
	struct devshm_host dsh;
	struct profcmd pc;
	struct kstate ks;
	char err[1024], names[512];
	bool done;
	int idx, status;

	profcmd_init(&pc);
	memset(&dsh, 0, sizeof(dsh));
	status = cli_parse(self, argc, argv, g, profcmd_opt_handler, &pc, &idx, &done);
	if (status != 0 || done)
		goto out;
	if (pc.nnames == 0) {
		status = cli_usage_error(self, "which workload? give -p NAME "
		    "(see 'ipctune profiles')");
		goto out;
	}
	if (pc.for_set && g->format == FMT_JSON) {
		status = cli_usage_error(self, "--for prints the platform's "
		    "own form, not JSON");
		goto out;
	}
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
	if (status != 0)
		goto out;
	if (profcmd_load(&pc, &ks, err, sizeof(err)) < 0) {
		cli_fail(g, err);
		status = EXIT_FAIL;
		goto out_ks;
	}
	recommend_build((const struct profile *const *)pc.profiles,
	    pc.nprofiles, &ks, pc.exact, &r);
	if (r.dev_shm.present && devshmfs_inspect(g->ks.root, &dsh, err,
	    sizeof(err)) < 0)
		cli_warn(g, "%s", err);
	if (pc.for_set) {
		status = print_platform(&pc, &r, &ks, g);
	} else if (g->format == FMT_JSON) {
		json_t *root = render_envelope("recommendation", &ks,
		    g->view.now), *w = json_array(), *p = json_array();

		for (size_t i = 0; i < pc.nnames; i++)
			json_array_append_new(p, json_string(pc.names[i]));
		json_object_set_new(root, "profiles", p);
		json_object_set_new(root, "exact", json_boolean(pc.exact));
		json_object_set_new(root, "ipc_mni",
		    json_integer((json_int_t)r.ipc_mni));
		json_object_set_new(root, "changes", json_boolean(r.changes));
		json_object_set_new(root, "sysctls", profcmd_rec_json(&r,
		    &ks));
		json_object_set_new(root, "dev_shm", dev_shm_json(&r, &dsh));
		for (size_t i = 0; i < r.nwarnings; i++)
			json_array_append_new(w, json_string(r.warnings[i]));
		json_object_set_new(root, "warnings", w);
		status = render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
	} else {
		if (!g->noheadings) {
			render_namespace_line(&ks);
			render_printf("profiles: %s%s\n", profcmd_names(&pc,
			    names, sizeof(names)), pc.exact ? " (exact)" :
			    " (raise only)");
		}
		status = print_table(self, &r, &ks, g);
		print_dev_shm(&r, &dsh, g->bytes);
		for (size_t i = 0; i < r.nwarnings; i++)
			cli_warn(g, "%s", r.warnings[i]);
	}
	recommend_release(&r);
out_ks:
	kstate_release(&ks);
out:
	profcmd_release(&pc);
	return status;
}

const struct command cmd_recommend_entry = {
	.name = "recommend", .fn = cmd_recommend,
	.args = "-p NAME [-p NAME...]",
	.summary = "recommended values next to the current ones",
	.opts = cmd_recommend_opts, .flags = READS,
	.colsets = cmd_recommend_columns
};
