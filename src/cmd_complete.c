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

static int
cmd_complete(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	const char *what = argc > 1 ? argv[1] : "";
	const struct command *cmd = argc > 2 && argv[2][0] ? cli_find(argv[2])
	    : NULL;

	(void)g;
	(void)self;
	if (strcmp(what, "commands") == 0 ||
	    strcmp(what, "commands-help") == 0) {
		/* commands-help: NAME<tab>SUMMARY for zsh and fish */
		for (size_t i = 0; i < ncommands; i++) {
			const struct command *c = commands[i];

			if (!(c->flags & CMD_HIDDEN))
				printf("%s%s%s\n", c->name, what[8] ? "\t" : "",
				    what[8] ? c->summary : "");
		}
	} else if (strcmp(what, "options") == 0 ||
	    strcmp(what, "options-help") == 0) {
		print_opts(cmd, global_opts, what[7] != '\0');
		if (cmd != NULL)
			print_opts(cmd, cmd->opts, what[7] != '\0');
	} else if (strcmp(what, "takes") == 0 && argc > 3) {
		/* what value option argv[3] of command argv[2] takes */
		const char *c = opt_completer(cmd, argv[3]);
		const struct cli_opt *o = find_opt(cmd, argv[3]);

		/* "=colors": the value follows "--color=", never a space */
		if (c != NULL)
			printf("%s%s\n", o != NULL && o->has_arg ==
			    optional_argument ? "=" : "", c);
	} else if (strcmp(what, "operands") == 0) {
		if (cmd != NULL && cmd->operands != NULL) {
			for (const char *p = cmd->operands; *p;) {
				size_t n = strcspn(p, " ");

				printf("%.*s\n", (int)n, p);
				p += n;
				p += *p == ' ';
			}
		}
	} else if (strcmp(what, "columns") == 0) {
		/* every column name of every table of CMD, once each */
		for (const struct column_set *cs = cmd ? cmd->colsets : NULL;
		    cs != NULL && cs->cols != NULL; cs++)
			for (size_t i = 0; i < cs->ncols; i++) {
				bool seen = false;

				for (const struct column_set *p =
				    cmd->colsets; p < cs && !seen; p++)
					for (size_t j = 0; j < p->ncols; j++)
						if (strcmp(p->cols[j].name,
						    cs->cols[i].name) == 0)
							seen = true;
				for (size_t j = 0; j < i && !seen; j++)
					if (strcmp(cs->cols[j].name,
					    cs->cols[i].name) == 0)
						seen = true;
				if (!seen)
					printf("%s\n", cs->cols[i].name);
			}
	} else if (strcmp(what, "resources") == 0) {
		for (int i = 0; i < R_COUNT; i++)
			printf("%s\n", resource_table[i].name);
	} else if (strcmp(what, "types") == 0) {
		for (int t = 0; t < IPC_NTYPES; t++)
			printf("%s\n", ipctype_table[t].name);
	} else if (strcmp(what, "formats") == 0) {
		printf("table\n");
		if (cmd == NULL || (cmd->flags & CMD_FORMATS_JSON))
			printf("json\n");
		if (cmd != NULL && (cmd->flags & CMD_PROMETHEUS))
			printf("prometheus\n");
		if (cmd != NULL && (cmd->flags & CMD_CSV))
			printf("csv\n");
	} else if (strcmp(what, "colors") == 0) {
		printf("auto\nalways\nnever\n");
	} else if (strcmp(what, "readers") == 0) {
		printf("auto\nsyscall\nprocfs\n");
	} else if (strcmp(what, "profiles") == 0) {
		struct profile_entry *e;
		struct profcmd pc;
		char err[256];
		size_t n;

		profcmd_init(&pc);
		profcmd_search(&pc);
		pc.search.strict_modes = false;	/* names only, never loaded */
		if (profile_list(&pc.search, &e, &n, err, sizeof(err)) == 0) {
			for (size_t i = 0; i < n; i++)
				printf("%s\n", e[i].name);
			profile_list_free(e, n);
		}
		profcmd_release(&pc);
	} else if (strcmp(what, "users") == 0) {
		struct passwd *pw;

		setpwent();
		/* a name with control characters is no candidate */
		while ((pw = getpwent()) != NULL)
			if (textesc_is_safe(pw->pw_name))
				printf("%s\n", pw->pw_name);
		endpwent();
	} else if (strcmp(what, "pids") == 0) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		while (d != NULL && (de = readdir(d)) != NULL)
			if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
				printf("%s\n", de->d_name);
		if (d != NULL)
			closedir(d);
	} else {
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

const struct command cmd_complete_entry = {
	.name = "__complete", .fn = cmd_complete,
	.args = "WHAT [COMMAND [WORD]]",
	.summary = "completion candidates for the shell scripts",
	.opts = cmd_complete_opts, .flags = CMD_HIDDEN | CMD_OPERANDS
};
