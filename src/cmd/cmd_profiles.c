/*
 * cmd_profiles.c: 'ipctune profiles' lists the workload profiles on the
 * search path with their summaries; 'ipctune profiles show NAME' prints
 * one resolved: every variable, sysctl and demand value with its formula
 * and the numbers put into it.  Option parsing and glue only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "profcmd.h"
#include "render.h"

static const struct cli_opt cmd_profiles_opts[] = {
	PROFCMD_OPT_SET,
	PROFCMD_OPT_PROFILE_DIR,
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

enum { L_NAME, L_SUMMARY, L_SOURCE, L_PATH, L_NCOLS };

static const struct column list_cols[L_NCOLS] = {
	[L_NAME] = { "NAME", "profile name", 0, COL_DEFAULT },
	[L_SUMMARY] = { "SUMMARY", "what it is for", 0, COL_DEFAULT },
	[L_SOURCE] = { "SOURCE", "where the values come from", 0, COL_WRAP },
	[L_PATH] = { "PATH", "the file", 0, 0 },
};

enum { V_KIND, V_NAME, V_VALUE, V_FORMULA, V_NUMBERS, V_WHERE, V_NCOLS };

static const struct column show_cols[V_NCOLS] = {
	[V_KIND] = { "KIND", "variable, sysctl or demand", 0, COL_DEFAULT },
	[V_NAME] = { "NAME", "variable, sysctl (field) or demand key", 0,
	    COL_DEFAULT },
	[V_VALUE] = { "VALUE", "the resolved value", 0,
	    COL_DEFAULT | COL_RIGHT },
	[V_FORMULA] = { "FORMULA", "the expression as written", 0,
	    COL_DEFAULT },
	[V_NUMBERS] = { "NUMBERS", "the expression with the numbers put in",
	    0, COL_DEFAULT },
	[V_WHERE] = { "WHERE", "file and line", 0, 0 },
};

static const struct column_set cmd_profiles_columns[] = {
	{ list_cols, L_NCOLS },
	{ show_cols, V_NCOLS },
	{ NULL, 0 },
};

static int
list_profiles(const struct command *self, struct profcmd *pc, struct globals *g)
{
	struct profile_entry *e;
	struct table *t;
	char err[512];
	size_t n;
	int status = EXIT_OK;

	profcmd_search(pc);
	profstore_list(&pc->search, &e, &n, err, sizeof(err));
	if (g->format == FMT_JSON) {
		json_t *root = render_envelope("profiles", NULL, g->view.now);
		json_t *a = json_array(), *dirs = json_array();

		for (size_t i = 0; i < pc->ndirs; i++)
			json_array_append_new(dirs, json_string(pc->dirs[i]));
		json_object_set_new(root, "search_path", dirs);
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "name", json_string(e[i].name));
			json_object_set_new(o, "summary", e[i].summary ?
			    json_string(e[i].summary) : json_null());
			json_object_set_new(o, "source", e[i].source ?
			    json_string(e[i].source) : json_null());
			json_object_set_new(o, "path", e[i].path ?
			    json_string(e[i].path) : json_null());
			json_object_set_new(o, "error", e[i].error ?
			    json_string(e[i].error) : json_null());
			json_array_append_new(a, o);
		}
		json_object_set_new(root, "profiles", a);
		status = render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
	} else {
		t = table_new(list_cols, L_NCOLS, g->columns, &g->view, err,
		    sizeof(err));
		if (t == NULL) {
			profstore_list_free(e, n);
			return cli_usage_error(self, "%s",
			    err);
		}
		for (size_t i = 0; i < n; i++) {
			table_row(t);
			table_cell(t, L_NAME, e[i].name);
			table_cell(t, L_SUMMARY, e[i].error ? "(does not "
			    "load: see below)" : e[i].summary);
			table_cell(t, L_SOURCE, e[i].source ? e[i].source :
			    "");
			table_cell(t, L_PATH, e[i].path ? e[i].path : "");
		}
		if (table_print_free(t) < 0)
			status = EXIT_FAIL;
		if (n == 0)
			cli_warn(g, "no profiles found (search path: %s%s%s)",
			    pc->dirs[0], pc->ndirs > 1 ? ", " : "",
			    pc->ndirs > 1 ? pc->dirs[1] : "");
	}
	for (size_t i = 0; i < n; i++)
		if (e[i].error != NULL) {
			cli_err("profile '%s': %s", e[i].name, e[i].error);
			status = EXIT_FAIL;
		}
	profstore_list_free(e, n);
	return status;
}

static void
where(const struct profile_loc *loc, char *buf, size_t len)
{
	if (loc->file != NULL)
		snprintf(buf, len, "%s:%d", loc->file, loc->line);
	else
		snprintf(buf, len, "--set");
}

/* The string as JSON, or null when there is none. */
static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* The host facts a profile's expressions read, as a JSON object. */
static json_t *
show_facts_json(const struct kstate *ks)
{
	json_t *facts = json_object();

	json_set_u64(facts, "ram_bytes", ks->host.ram_bytes);
	json_set_u64(facts, "ram_gib", profile_ram_gib(ks->host.ram_bytes));
	json_set_u64(facts, "page_size", ks->host.page_size);
	json_set_u64(facts, "ncpu", ks->host.ncpu);
	if (ks->host.has_swap)
		json_set_u64(facts, "swap_bytes", ks->host.swap_bytes);
	else
		json_object_set_new(facts, "swap_bytes", json_null());
	return facts;
}

/* The profile's variables, each with its formula and value. */
static json_t *
show_vars_json(const struct profile *p)
{
	json_t *vars = json_array();

	for (size_t i = 0; i < p->nvars; i++) {
		const struct profile_var *v = &p->vars[i];
		json_t *x = json_object();

		json_object_set_new(x, "name", json_string(v->name));
		json_object_set_new(x, "expression", json_string(v->expr));
		json_object_set_new(x, "arithmetic", json_string(v->subst));
		json_set_u64(x, "value", v->value);
		json_object_set_new(x, "from_set", json_boolean(v->from_set));
		json_array_append_new(vars, x);
	}
	return vars;
}

/* The fields of a multi-field sysctl (kernel.sem), each with its formula. */
static json_t *
show_fields_json(const struct profile_sysctl *s)
{
	json_t *fields = json_array();

	for (int k = 0; k < s->nfields; k++) {
		json_t *f = json_object();

		json_object_set_new(f, "field",
		    json_string(sem_field_names[k]));
		json_object_set_new(f, "expression", json_string(s->expr[k]));
		json_object_set_new(f, "arithmetic", json_string(s->subst[k]));
		json_set_u64(f, "value", s->value[k]);
		json_array_append_new(fields, f);
	}
	return fields;
}

/* The sysctls the profile sets, with where each is written. */
static json_t *
show_sysctls_json(const struct profile *p)
{
	json_t *sc = json_array();

	for (int i = 0; i < SC_COUNT; i++) {
		const struct profile_sysctl *s = &p->sysctl[i];
		json_t *x;

		if (!s->present)
			continue;
		x = json_object();
		json_object_set_new(x, "sysctl",
		    json_string(sysctl_table[i].name));
		json_object_set_new(x, "file", json_string(s->loc.file));
		json_object_set_new(x, "line", json_integer(s->loc.line));
		if (s->nfields == 1) {
			json_object_set_new(x, "expression",
			    json_string(s->expr[0]));
			json_object_set_new(x, "arithmetic",
			    json_string(s->subst[0]));
			json_set_u64(x, "value", s->value[0]);
		} else
			json_object_set_new(x, "fields", show_fields_json(s));
		json_array_append_new(sc, x);
	}
	return sc;
}

/* The demand values the profile declares, by key. */
static json_t *
show_demand_json(const struct profile *p)
{
	json_t *dem = json_object();

	for (int i = 0; i < D_COUNT; i++)
		if (p->demand[i].present)
			json_set_u64(dem, profile_demand_names[i],
			    p->demand[i].value);
	return dem;
}

/* The profile's /dev/shm size, with its formula and where it is written. */
static json_t *
show_dev_shm_json(const struct profile *p)
{
	json_t *x = json_object();

	json_object_set_new(x, "file", json_string(p->dev_shm.loc.file));
	json_object_set_new(x, "line", json_integer(p->dev_shm.loc.line));
	json_object_set_new(x, "expression", json_string(p->dev_shm.expr));
	json_object_set_new(x, "arithmetic", json_string(p->dev_shm.subst));
	json_set_u64(x, "value", p->dev_shm.value);
	return x;
}

/* The document of 'profiles show --format json': one profile resolved. */
static json_t *
show_json(const struct profile *p, const struct kstate *ks, int64_t now)
{
	json_t *root = render_envelope("profile", ks, now), *o = json_object();
	json_t *files = json_array();

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "summary", str_or_null(p->summary));
	json_object_set_new(o, "description", str_or_null(p->description));
	json_object_set_new(o, "source", str_or_null(p->source));
	json_object_set_new(o, "path", json_string(p->path));
	for (size_t i = 0; i < p->nfiles; i++)
		json_array_append_new(files, json_string(p->files[i]));
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "facts", show_facts_json(ks));
	json_object_set_new(o, "variables", show_vars_json(p));
	json_object_set_new(o, "sysctls", show_sysctls_json(p));
	json_object_set_new(o, "demand", show_demand_json(p));
	if (p->dev_shm.present)
		json_object_set_new(o, "dev_shm_size", show_dev_shm_json(p));
	json_object_set_new(root, "profile", o);
	return root;
}

static void
show_row(struct table *t, const char *kind, const char *name, uint64_t v,
    const char *formula, const char *numbers, const char *wh)
{
	char b[32];

	snprintf(b, sizeof(b), "%" PRIu64, v);
	table_row(t);
	table_cell(t, V_KIND, kind);
	table_cell(t, V_NAME, name);
	table_cell(t, V_VALUE, b);
	table_cell(t, V_FORMULA, formula);
	table_cell(t, V_NUMBERS, numbers);
	table_cell(t, V_WHERE, wh);
}

static int
show_table(const struct command *self, const struct profile *p, const struct kstate *ks,
    struct globals *g)
{
	struct table *t;
	char err[512], wh[4200], name[64];

	t = table_new(show_cols, V_NCOLS, g->columns, &g->view,
	    err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	if (!g->noheadings) {
		render_printf("profile %s: %s\n", p->name, p->summary ?
		    p->summary :
		    "");
		if (p->source)
			render_printf("source: %s\n", p->source);
		render_printf("file: %s\n", p->path);
		printf("facts: ram_bytes=%" PRIu64 " ram_gib=%" PRIu64
		    " page_size=%" PRIu64 " ncpu=%" PRIu64 "\n\n",
		    ks->host.ram_bytes, profile_ram_gib(ks->host.ram_bytes),
		    ks->host.page_size, ks->host.ncpu);
	}
	for (size_t i = 0; i < p->nvars; i++) {
		const struct profile_var *v = &p->vars[i];

		if (v->from_set)
			snprintf(wh, sizeof(wh), "--set");
		else
			where(&v->loc, wh, sizeof(wh));
		show_row(t, "variable", v->name, v->value, v->expr, v->subst,
		    wh);
	}
	for (int i = 0; i < SC_COUNT; i++) {
		const struct profile_sysctl *s = &p->sysctl[i];

		if (!s->present)
			continue;
		where(&s->loc, wh, sizeof(wh));
		for (int k = 0; k < s->nfields; k++) {
			if (s->nfields > 1)
				snprintf(name, sizeof(name), "%s %s",
				    sysctl_table[i].name, sem_field_names[k]);
			else
				snprintf(name, sizeof(name), "%s",
				    sysctl_table[i].name);
			show_row(t, "sysctl", name, s->value[k], s->expr[k],
			    s->subst[k], wh);
		}
	}
	for (int i = 0; i < D_COUNT; i++) {
		const struct profile_demand *d = &p->demand[i];

		if (!d->present)
			continue;
		where(&d->loc, wh, sizeof(wh));
		show_row(t, "demand", profile_demand_names[i], d->value,
		    d->expr, d->subst, wh);
	}
	if (p->dev_shm.present) {
		where(&p->dev_shm.loc, wh, sizeof(wh));
		show_row(t, "posix", "dev_shm_size", p->dev_shm.value,
		    p->dev_shm.expr, p->dev_shm.subst, wh);
	}
	return table_print_free(t) < 0 ? EXIT_FAIL : EXIT_OK;
}

static int
show_profile(const struct command *self, struct profcmd *pc, const char *name,
    struct globals *g)
{
	struct kstate ks;
	char err[1024];
	int status;

	status = cli_load_state(g, KS_SYSCTL, &ks);
	if (status != 0)
		return status;
	pc->names[pc->nnames++] = name;
	profcmd_search(pc);
	if (profcmd_load(pc, &ks, err, sizeof(err)) < 0) {
		cli_fail(g, err);
		kstate_release(&ks);
		return EXIT_FAIL;
	}
	if (g->format == FMT_JSON)
		status = render_json_print(show_json(pc->profiles[0], &ks,
		    g->view.now)) == 0 ? EXIT_OK : EXIT_FAIL;
	else
		status = show_table(self, pc->profiles[0], &ks, g);
	kstate_release(&ks);
	return status;
}

static int
cmd_profiles(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct profcmd pc;
	bool done;
	int idx, status;

	profcmd_init(&pc);
	status = cli_parse(self, argc, argv, g, profcmd_opt_handler, &pc, &idx, &done);
	if (status != 0 || done)
		goto out;
	if (idx >= argc) {
		if (pc.nsets > 0) {
			status = cli_usage_error(self, "--set needs 'show "
			    "NAME'");
			goto out;
		}
		status = list_profiles(self, &pc, g);
	} else if (strcmp(argv[idx], "show") == 0) {
		int rest = argc - idx - 1, idx2;

		if (rest < 1) {
			status = cli_usage_error(self, "'show' needs a profile "
			    "name");
			goto out;
		}
		/* options may follow the name: parse them after it */
		status = cli_parse(self, rest, argv + idx + 1, g, profcmd_opt_handler,
		    &pc, &idx2, &done);
		if (status != 0 || done)
			goto out;
		if (idx2 < rest)
			status = cli_usage_error(self, "unexpected argument "
			    "'%s'", argv[idx + 1 + idx2]);
		else
			status = show_profile(self, &pc, argv[idx + 1], g);
	} else {
		status = cli_usage_error(self, "unknown argument '%s' (use "
		    "'show NAME')", argv[idx]);
	}
out:
	profcmd_release(&pc);
	return status;
}

const struct command cmd_profiles_entry = {
	.name = "profiles", .fn = cmd_profiles, .args = "[show NAME]",
	.summary = "the workload profiles, or one resolved with its "
	    "arithmetic", .opts = cmd_profiles_opts,
	.flags = READS | CMD_OPERANDS,
	.operands = "show", .colsets = cmd_profiles_columns
};
