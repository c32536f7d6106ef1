/*
 * cmd_complete.c: the hidden 'ipctune __complete WHAT [CMD]' that the
 * bash, zsh and fish completions call, so candidates come from the command
 * and option tables themselves, never from lists copied into the scripts.
 * The -help variants add a tab and the help line, for shells that show
 * descriptions.
 */
#include <dirent.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "ipccall.h"
#include "nsfind.h"
#include "ipctype.h"
#include "model.h"
#include "profcmd.h"
#include "render.h"
#include "textesc.h"

static const struct cli_opt cmd_complete_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/*
 * Each option, long then short; with HELP, a tab and its help line.  Of
 * the global options only those CMD accepts.
 */
static void
print_opts(const struct command *cmd, const struct cli_opt *opts, bool help)
{
	for (const struct cli_opt *o = opts; o != NULL && o->name; o++) {
		if (opts == global_opts && !cli_global_accepted(cmd, o))
			continue;
		printf("--%s", o->name);
		if (help)
			printf("\t%s", o->help);
		printf("\n");
		if (o->short_name) {
			printf("-%c", o->short_name);
			if (help)
				printf("\t%s", o->help);
			printf("\n");
		}
	}
}

/* The option NAME (without dashes) of CMD or a global one, or NULL. */
static const struct cli_opt *
find_opt(const struct command *cmd, const char *name)
{
	const struct cli_opt *sets[2] = { global_opts, cmd ? cmd->opts : NULL };

	for (int s = 0; s < 2; s++)
		for (const struct cli_opt *o = sets[s]; o && o->name; o++)
			if (strcmp(o->name, name) == 0 ||
			    (o->short_name && name[0] == o->short_name &&
			    name[1] == '\0'))
				return o;
	return NULL;
}

/* The completer name of option NAME (without dashes) of CMD, or NULL. */
static const char *
opt_completer(const struct command *cmd, const char *name)
{
	/* the command's own options first: they win a short name */
	const struct cli_opt *sets[2] = { cmd ? cmd->opts : NULL, global_opts };

	for (int s = 0; s < 2; s++)
		for (const struct cli_opt *o = sets[s]; o && o->name; o++)
			if (strcmp(o->name, name) == 0 ||
			    (o->short_name && name[0] == o->short_name &&
			    name[1] == '\0'))
				return o->has_arg ? (o->complete ?
				    o->complete : "none") : "";
	return NULL;
}

/* One request: the command named after WHAT, the word after that. */
struct complete_req {
	const struct command *cmd;	/* NULL: none named, or unknown */
	const char *word;		/* NULL: none given */
	bool help;			/* -help variant: add descriptions */
};

/* The visible commands; with HELP, NAME<tab>SUMMARY for zsh and fish. */
static int
complete_commands(const struct complete_req *rq)
{
	for (size_t i = 0; i < ncommands; i++) {
		const struct command *c = commands[i];

		if (!(c->flags & CMD_HIDDEN))
			printf("%s%s%s\n", c->name, rq->help ? "\t" : "",
			    rq->help ? c->summary : "");
	}
	return EXIT_OK;
}

/* The global options the command accepts, then its own. */
static int
complete_options(const struct complete_req *rq)
{
	print_opts(rq->cmd, global_opts, rq->help);
	if (rq->cmd != NULL)
		print_opts(rq->cmd, rq->cmd->opts, rq->help);
	return EXIT_OK;
}

/* What value the option WORD of the command takes. */
static int
complete_takes(const struct complete_req *rq)
{
	const char *c;
	const struct cli_opt *o;

	if (rq->word == NULL)
		return EXIT_USAGE;
	c = opt_completer(rq->cmd, rq->word);
	o = find_opt(rq->cmd, rq->word);
	/* "=colors": the value follows "--color=", never a space */
	if (c != NULL)
		printf("%s%s\n", o != NULL && o->has_arg ==
		    optional_argument ? "=" : "", c);
	return EXIT_OK;
}

/* The command's operand words, one a line. */
static int
complete_operands(const struct complete_req *rq)
{
	if (rq->cmd == NULL || rq->cmd->operands == NULL)
		return EXIT_OK;
	for (const char *p = rq->cmd->operands; *p;) {
		size_t n = strcspn(p, " ");

		printf("%.*s\n", (int)n, p);
		p += n;
		p += *p == ' ';
	}
	return EXIT_OK;
}

/* Does column I of set CS repeat a name of an earlier set or column? */
static bool
column_seen(const struct column_set *first, const struct column_set *cs,
    size_t i)
{
	for (const struct column_set *p = first; p < cs; p++)
		for (size_t j = 0; j < p->ncols; j++)
			if (strcmp(p->cols[j].name, cs->cols[i].name) == 0)
				return true;
	for (size_t j = 0; j < i; j++)
		if (strcmp(cs->cols[j].name, cs->cols[i].name) == 0)
			return true;
	return false;
}

/* Every column name of every table of the command, once each. */
static int
complete_columns(const struct complete_req *rq)
{
	const struct column_set *first = rq->cmd ? rq->cmd->colsets : NULL;

	for (const struct column_set *cs = first;
	    cs != NULL && cs->cols != NULL; cs++)
		for (size_t i = 0; i < cs->ncols; i++)
			if (!column_seen(first, cs, i))
				printf("%s\n", cs->cols[i].name);
	return EXIT_OK;
}

/* Every resource name of the sysctl table. */
static int
complete_resources(const struct complete_req *rq)
{
	(void)rq;
	for (int i = 0; i < R_COUNT; i++)
		printf("%s\n", resource_table[i].name);
	return EXIT_OK;
}

/* The IPC object types. */
static int
complete_types(const struct complete_req *rq)
{
	(void)rq;
	for (int t = 0; t < IPC_NTYPES; t++)
		printf("%s\n", ipctype_table[t].name);
	return EXIT_OK;
}

/* The formats the command (any command when none) accepts. */
static int
complete_formats(const struct complete_req *rq)
{
	const struct command *cmd = rq->cmd;

	if (cmd == NULL || !(cmd->flags & CMD_JSON_ONLY))
		printf("table\n");
	if (cmd == NULL || (cmd->flags & CMD_FORMATS_JSON))
		printf("json\n");
	if (cmd != NULL && (cmd->flags & CMD_PROMETHEUS))
		printf("prometheus\n");
	if (cmd != NULL && (cmd->flags & CMD_CSV))
		printf("csv\n");
	return EXIT_OK;
}

/* The platforms of --for. */
static int
complete_platforms(const struct complete_req *rq)
{
	(void)rq;
	for (int i = 0; i < PF_COUNT; i++)
		printf("%s\n", platform_names[i]);
	return EXIT_OK;
}

/* The values of --color. */
static int
complete_colors(const struct complete_req *rq)
{
	(void)rq;
	printf("auto\nalways\nnever\n");
	return EXIT_OK;
}

/* The values of --reader. */
static int
complete_readers(const struct complete_req *rq)
{
	(void)rq;
	printf("auto\nsyscall\nprocfs\n");
	return EXIT_OK;
}

/* The values of --time-format. */
static int
complete_timeformats(const struct complete_req *rq)
{
	(void)rq;
	printf("iso\nshort\nfull\nunix\n");
	return EXIT_OK;
}

/* The profile names on the search path; a listing failure lists none. */
static int
complete_profiles(const struct complete_req *rq)
{
	struct profile_entry *e;
	struct profcmd pc;
	char err[256];
	size_t n;

	(void)rq;
	profcmd_init(&pc);
	profcmd_search(&pc);
	pc.search.strict_modes = false;	/* names only, never loaded */
	if (profstore_list(&pc.search, &e, &n, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", e[i].name);
		profstore_list_free(e, n);
	}
	profcmd_release(&pc);
	return EXIT_OK;
}

/* The user names of the password database. */
static int
complete_users(const struct complete_req *rq)
{
	struct passwd *pw;

	(void)rq;
	setpwent();
	/* a name with control characters is no candidate */
	while ((pw = getpwent()) != NULL)
		if (textesc_is_safe(pw->pw_name))
			printf("%s\n", pw->pw_name);
	endpwent();
	return EXIT_OK;
}

/* The process ids under /proc. */
static int
complete_pids(const struct complete_req *rq)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	(void)rq;
	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			printf("%s\n", de->d_name);
	if (d != NULL)
		closedir(d);
	return EXIT_OK;
}

/* The containers of the host: short ids and the runtimes' names. */
static int
complete_containers(const struct complete_req *rq)
{
	struct nsfind f;
	char err[512];

	(void)rq;
	if (nsfind_load(&f, 0, getenv("IPCTUNE_CONTAINER_STORAGE"), err,
	    sizeof(err)) < 0)
		return EXIT_OK;
	for (size_t i = 0; i < f.report.nrows; i++) {
		const struct nsreport_row *row = &f.report.rows[i];

		if (row->who.pat == NULL || !row->who.pat->container)
			continue;
		printf("%.12s\n", row->who.id);
		if (row->name != NULL && textesc_is_safe(row->name))
			printf("%s\n", row->name);
	}
	nsfind_release(&f);
	return EXIT_OK;
}

/* The IPC calls 'watch --call' takes. */
static int
complete_calls(const struct complete_req *rq)
{
	(void)rq;
	for (int i = 0; i < IPCCALL_COUNT; i++)
		printf("%s\n", ipccall_table[i].name);
	return EXIT_OK;
}

/* The values of 'watch --attach'. */
static int
complete_attachmodes(const struct complete_req *rq)
{
	(void)rq;
	for (int i = 0; i < IPCCALL_ATTACH_COUNT; i++)
		printf("%s\n", ipccall_attach_names[i]);
	return EXIT_OK;
}

/* WHAT the scripts may ask for, and who answers. */
static const struct {
	const char *what;
	int (*fn)(const struct complete_req *rq);
	bool help;
} completers[] = {
	{ .what = "commands", .fn = complete_commands },
	{ .what = "commands-help", .fn = complete_commands, .help = true },
	{ .what = "options", .fn = complete_options },
	{ .what = "options-help", .fn = complete_options, .help = true },
	{ .what = "takes", .fn = complete_takes },
	{ .what = "operands", .fn = complete_operands },
	{ .what = "columns", .fn = complete_columns },
	{ .what = "resources", .fn = complete_resources },
	{ .what = "types", .fn = complete_types },
	{ .what = "formats", .fn = complete_formats },
	{ .what = "colors", .fn = complete_colors },
	{ .what = "platforms", .fn = complete_platforms },
	{ .what = "readers", .fn = complete_readers },
	{ .what = "timeformats", .fn = complete_timeformats },
	{ .what = "profiles", .fn = complete_profiles },
	{ .what = "users", .fn = complete_users },
	{ .what = "pids", .fn = complete_pids },
	{ .what = "containers", .fn = complete_containers },
	{ .what = "calls", .fn = complete_calls },
	{ .what = "attachmodes", .fn = complete_attachmodes },
};

static int
cmd_complete(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	const char *what = argc > 1 ? argv[1] : "";
	struct complete_req rq = {
		.cmd = argc > 2 && argv[2][0] ? cli_find(argv[2]) : NULL,
		.word = argc > 3 ? argv[3] : NULL,
	};

	(void)g;
	(void)self;
	for (size_t i = 0; i < sizeof(completers) / sizeof(completers[0]);
	    i++) {
		if (strcmp(what, completers[i].what) == 0) {
			rq.help = completers[i].help;
			return completers[i].fn(&rq);
		}
	}
	return EXIT_USAGE;
}

const struct command cmd_complete_entry = {
	.name = "__complete", .fn = cmd_complete,
	.args = "WHAT [COMMAND [WORD]]",
	.summary = "completion candidates for the shell scripts",
	.opts = cmd_complete_opts, .flags = CMD_HIDDEN | CMD_OPERANDS
};
