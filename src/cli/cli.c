/*
 * cli.c: the global options and the option parser shared by every
 * command.  Global options are accepted before or after the command
 * name.  Commands are matched exactly, never by prefix.  It also does
 * what every command does alike: load the state, report a failure (also
 * as a JSON error document) and turn the options into view options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "errstr.h"
#include "cli.h"
#include "idname.h"
#include "loadstate.h"
#include "nsfind.h"
#include "numparse.h"
#include "render.h"
#include "textesc.h"
#include "xmalloc.h"

enum {
	G_FORMAT = 1000, G_JSON, G_PID, G_NS, G_FROM, G_ROOT, G_BYTES,
	G_NOHEADINGS, G_COLUMNS, G_COLOR, G_QUIET, G_HELP, G_VERSION,
	G_READER, G_OUTPUT, G_TIMEFMT, G_RAW, G_EXPORT, G_NOTRUNCATE,
	G_CONTAINER,
};

const struct cli_opt global_opts[] = {
	{ "format", 0, required_argument, "FORMAT",
	    "output format: table, json (prometheus, csv where supported)",
	    G_FORMAT, "formats" },
	{ "json", 'J', no_argument, NULL, "same as --format json", G_JSON,
	    NULL },
	{ "pid", 0, required_argument, "PID",
	    "report the IPC namespace of process PID", G_PID, "pids" },
	{ "ns", 0, required_argument, "PATH",
	    "report the IPC namespace file PATH", G_NS, "files" },
	{ "container", 0, required_argument, "ID",
	    "report the IPC namespace of container ID (id, prefix or name)",
	    G_CONTAINER, "containers" },
	{ "from", 0, required_argument, "FILE",
	    "analyse a snapshot FILE instead of the live kernel", G_FROM,
	    "files" },
	{ "root", 0, required_argument, "DIR",
	    "read /proc text from the tree DIR (tests)", G_ROOT, "dirs" },
	{ "bytes", 'b', no_argument, NULL, "print sizes in bytes",
	    G_BYTES, NULL },
	{ "no-headings", 'n', no_argument, NULL, "do not print headings",
	    G_NOHEADINGS, NULL },
	{ "columns", 'o', required_argument, "LIST",
	    "print only the columns in LIST (comma-separated)", G_COLUMNS,
	    "columns" },
	{ "color", 0, optional_argument, "WHEN",
	    "colour: auto, always or never", G_COLOR, "colors" },
	{ "output", 0, required_argument, "FILE",
	    "write the output to FILE (a regular file atomically)", G_OUTPUT,
	    "files" },
	{ "quiet", 'q', no_argument, NULL, "print no warnings", G_QUIET,
	    NULL },
	{ "help", 'h', no_argument, NULL, "show this help", G_HELP, NULL },
	{ "version", 'V', no_argument, NULL, "show the version",
	    G_VERSION, NULL },
	{ "reader", 0, required_argument, "READER",
	    "object reader: auto, syscall or procfs", G_READER, "readers" },
	{ "time-format", 0, required_argument, "FORMAT",
	    "times in tables: iso, short, full or unix", G_TIMEFMT,
	    "timeformats" },
	{ "raw", 0, no_argument, NULL, "tables unaligned, one space apart",
	    G_RAW, NULL },
	{ "export", 0, no_argument, NULL,
	    "tables as NAME=\"value\" pairs for a shell's eval", G_EXPORT,
	    NULL },
	{ "notruncate", 0, no_argument, NULL, "never truncate a table cell",
	    G_NOTRUNCATE, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/*
 * The global options a command must declare to accept them: help,
 * completion and the parser all read this one table.
 */
static const struct {
	int id;
	unsigned flags;		/* accepted when CMD has any of these */
} global_needs[] = {
	{ G_FORMAT, CMD_FORMATS_JSON | CMD_PROMETHEUS | CMD_CSV },
	{ G_JSON, CMD_FORMATS_JSON },
	{ G_PID, CMD_NS },
	{ G_NS, CMD_NS },
	{ G_CONTAINER, CMD_NS },
	{ G_ROOT, CMD_NS },
	{ G_FROM, CMD_FROM },
	{ G_OUTPUT, CMD_OUTPUT },
};

bool
cli_global_accepted(const struct command *cmd, const struct cli_opt *o)
{
	if (cmd == NULL)
		return true;
	for (size_t i = 0; i < sizeof(global_needs) / sizeof(global_needs[0]);
	    i++)
		if (global_needs[i].id == o->id)
			return (cmd->flags & global_needs[i].flags) != 0;
	return true;
}

/* The formats CMD takes, as "table, json, prometheus". */
static void
format_list(const struct command *cmd, char *buf, size_t len)
{
	unsigned f = cmd ? cmd->flags : ~(unsigned)CMD_JSON_ONLY;

	if (f & CMD_JSON_ONLY) {
		snprintf(buf, len, "json");
		return;
	}
	snprintf(buf, len, "table%s%s%s", f & CMD_FORMATS_JSON ? ", json" :
	    "", f & CMD_PROMETHEUS ? ", prometheus" : "", f & CMD_CSV ?
	    ", csv" : "");
}

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ipctune: ", stderr);
	va_start(ap, fmt);
	textesc_vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warn(const struct globals *g, const char *fmt, ...)
{
	va_list ap;

	if (g != NULL && g->quiet)
		return;
	fflush(stdout);
	fputs("ipctune: warning: ", stderr);
	va_start(ap, fmt);
	textesc_vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const struct command *
cli_find(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/*
 * Does a command option in OWN use the short name of global option O?
 * Then the command's meaning wins ('plan -n K'); the long name stays.
 */
static bool
shadowed(const struct cli_opt *o, const struct cli_opt *own)
{
	for (; own != NULL && own->name != NULL; own++)
		if (o->short_name && own->short_name == o->short_name)
			return true;
	return false;
}

/*
 * Does a command option in OWN take the long name of global option O?
 * Then the command's option replaces it ('watch --pid' filters events).
 */
static bool
long_shadowed(const struct cli_opt *o, const struct cli_opt *own)
{
	for (; own != NULL && own->name != NULL; own++)
		if (strcmp(own->name, o->name) == 0)
			return true;
	return false;
}

/*
 * Print OPTS, without the short names SHADOW (a command's) takes; with
 * CMD, only the global options CMD accepts.
 */
static void
print_opts(const struct command *cmd, const struct cli_opt *opts,
    const struct cli_opt *shadow, FILE *fp)
{
	char left[64], help[128];

	for (const struct cli_opt *o = opts; o->name != NULL; o++) {
		if (o->id == G_READER || o->id == G_ROOT)
			continue;	/* for tests; documented in the man page */
		if (opts == global_opts && (!cli_global_accepted(cmd, o) ||
		    long_shadowed(o, shadow)))
			continue;
		if (o->short_name && !shadowed(o, shadow))
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			    o->short_name, o->name, o->arg ? " " : "",
			    o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s%s", o->name,
			    o->has_arg == optional_argument ? "[=" :
			    o->arg ? " " : "", o->arg ? o->arg : "",
			    o->has_arg == optional_argument ? "]" : "");
		if (opts == global_opts && o->id == G_FORMAT && cmd != NULL) {
			char f[64];

			format_list(cmd, f, sizeof(f));
			snprintf(help, sizeof(help), "output format: %s", f);
		} else {
			snprintf(help, sizeof(help), "%s", o->help);
		}
		fprintf(fp, "  %-26s %s\n", left, help);
	}
}

void
cli_usage(const struct command *cmd)
{
	if (cmd == NULL) {
		printf("Usage: ipctune [options] [command] [options]\n\n"
		    "Inspect, plan and tune the Linux IPC limits and "
		    "objects, System V and POSIX.\n"
		    "\nCommands:\n");
		for (size_t i = 0; i < ncommands; i++)
			if (!(commands[i]->flags & CMD_HIDDEN))
				printf("  %-12s %s\n", commands[i]->name,
				    commands[i]->summary);
		printf("\nGlobal options:\n");
		print_opts(NULL, global_opts, NULL, stdout);
		printf("\nWithout a command, ipctune runs 'status'.  "
		    "'ipctune COMMAND -h' shows the\noptions of a command; "
		    "ipctune(8) has the details.\n");
		return;
	}
	printf("Usage: ipctune %s%s%s\n\n%s.\n", cmd->name,
	    cmd->args ? " " : "", cmd->args ? cmd->args : "", cmd->summary);
	if (cmd->opts != NULL && cmd->opts[0].name != NULL) {
		printf("\nOptions:\n");
		print_opts(cmd, cmd->opts, NULL, stdout);
	}
	printf("\nGlobal options:\n");
	print_opts(cmd, global_opts, cmd->opts, stdout);
}

int
cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ipctune: ", stderr);
	va_start(ap, fmt);
	textesc_vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ipctune %s%s-h' for more information.\n",
	    cmd ? cmd->name : "", cmd ? " " : "");
	return EXIT_USAGE;
}

/*
 * Refuse what CMD does not take in G: checked as each global option is
 * read, so an option is refused where it stands (even before -h), and
 * once more after parsing for the options given before the command.
 */
static int
refuse(const struct command *cmd, const struct globals *g)
{
	if (cmd == NULL)
		return 0;
	if (g->format == FMT_JSON && !(cmd->flags & CMD_FORMATS_JSON))
		return cli_usage_error(cmd, "'%s' has no JSON output",
		    cmd->name);
	if (g->format == FMT_PROMETHEUS && !(cmd->flags & CMD_PROMETHEUS))
		return cli_usage_error(cmd, "'%s' has no prometheus output",
		    cmd->name);
	if (g->format == FMT_CSV && !(cmd->flags & CMD_CSV))
		return cli_usage_error(cmd, "'%s' has no csv output",
		    cmd->name);
	if (g->output != NULL && !(cmd->flags & CMD_OUTPUT))
		return cli_usage_error(cmd, "'%s' does not take --output",
		    cmd->name);
	if (g->from != NULL && !(cmd->flags & CMD_FROM))
		return cli_usage_error(cmd, "'%s' does not take --from",
		    cmd->name);
	if ((g->ks.pid || g->ks.ns_path || g->ks.root || g->container) &&
	    !(cmd->flags & CMD_NS))
		return cli_usage_error(cmd, "'%s' does not take --pid, --ns, "
		    "--container or --root", cmd->name);
	return 0;
}

/* The words an option with a fixed set of values takes, and their values. */
struct cli_word {
	const char *word;
	int value;
};

static const struct cli_word format_words[] = {
	{ "table", FMT_TABLE }, { "json", FMT_JSON },
	{ "prometheus", FMT_PROMETHEUS }, { "csv", FMT_CSV }, { NULL, 0 },
};

static const struct cli_word color_words[] = {
	{ "always", COLOR_ALWAYS }, { "never", COLOR_NEVER },
	{ "auto", COLOR_AUTO }, { NULL, 0 },
};

static const struct cli_word reader_words[] = {
	{ "auto", KSR_AUTO }, { "syscall", KSR_SYSCALL },
	{ "procfs", KSR_PROCFS }, { NULL, 0 },
};

static const struct cli_word timefmt_words[] = {
	{ "iso", TIMEF_ISO }, { "short", TIMEF_SHORT }, { "full", TIMEF_FULL },
	{ "unix", TIMEF_UNIX }, { NULL, 0 },
};

/* The value of ARG in the word list W, or -1. */
static int
word_value(const struct cli_word *w, const char *arg)
{
	for (; w->word != NULL; w++)
		if (strcmp(arg, w->word) == 0)
			return w->value;
	return -1;
}

/* --format FORMAT, and --json. */
static int
set_format(const struct command *cmd, const char *arg, struct globals *g)
{
	int v = arg == NULL ? FMT_JSON : word_value(format_words, arg);

	if (v < 0)
		return cli_usage_error(cmd, "unknown format '%s' (use "
		    "table or json)", arg);
	g->format = (enum out_format)v;
	g->format_set = true;
	return 0;
}

/* --color[=WHEN]: no WHEN is "always". */
static int
set_color(const struct command *cmd, const char *arg, struct globals *g)
{
	int v = arg == NULL ? COLOR_ALWAYS : word_value(color_words, arg);

	if (v < 0)
		return cli_usage_error(cmd, "invalid --color value "
		    "'%s' (use auto, always or never)", arg);
	g->color = (enum color_mode)v;
	return 0;
}

/* --reader HOW. */
static int
set_reader(const struct command *cmd, const char *arg, struct globals *g)
{
	int v = word_value(reader_words, arg);

	if (v < 0)
		return cli_usage_error(cmd, "invalid --reader '%s' "
		    "(use auto, syscall or procfs)", arg);
	g->ks.reader = (enum ksource_reader)v;
	return 0;
}

/* --time-format FORMAT. */
static int
set_timefmt(const struct command *cmd, const char *arg, struct globals *g)
{
	int v = word_value(timefmt_words, arg);

	if (v < 0)
		return cli_usage_error(cmd, "invalid --time-format '%s' "
		    "(use iso, short, full or unix)", arg);
	g->timefmt = (enum time_format)v;
	return 0;
}

/* --raw or --export, which exclude each other (as in lsipc). */
static int
set_mode(const struct command *cmd, enum table_mode m, struct globals *g)
{
	if (g->table_mode != TMODE_ALIGNED && g->table_mode != m)
		return cli_usage_error(cmd, "--raw and --export exclude each "
		    "other");
	g->table_mode = m;
	return 0;
}

/* --pid PID: 1 to PID_MAX_LIMIT (include/linux/threads.h). */
static int
set_pid(const struct command *cmd, const char *arg, struct globals *g)
{
	uint64_t v;

	if (num_parse_u64(arg, 1, 4194304, &v) < 0)
		return cli_usage_error(cmd, "invalid PID '%s'", arg);
	g->ks.pid = (pid_t)v;
	return 0;
}

static int
global_opt(const struct command *cmd, int id, const char *arg,
    struct globals *g, bool *donep)
{
	switch (id) {
	case G_FORMAT:
		return set_format(cmd, arg, g);
	case G_JSON:
		return set_format(cmd, NULL, g);
	case G_PID:
		return set_pid(cmd, arg, g);
	case G_COLOR:
		return set_color(cmd, arg, g);
	case G_READER:
		return set_reader(cmd, arg, g);
	case G_TIMEFMT:
		return set_timefmt(cmd, arg, g);
	case G_RAW:
		return set_mode(cmd, TMODE_RAW, g);
	case G_EXPORT:
		return set_mode(cmd, TMODE_EXPORT, g);
	case G_NOTRUNCATE:
		g->notruncate = true;
		break;
	case G_NS:
		g->ks.ns_path = arg;
		break;
	case G_CONTAINER:
		g->container = arg;
		break;
	case G_FROM:
		g->from = arg;
		break;
	case G_ROOT:
		g->ks.root = arg;
		break;
	case G_BYTES:
		g->bytes = true;
		break;
	case G_NOHEADINGS:
		g->noheadings = true;
		break;
	case G_COLUMNS:
		g->columns = arg;
		break;
	case G_OUTPUT:
		g->output = arg;
		break;
	case G_QUIET:
		g->quiet = true;
		break;
	case G_HELP:
		cli_usage(cmd);
		*donep = true;
		break;
	case G_VERSION:
		printf("ipctune %s\n", IPCTUNE_VERSION);
		*donep = true;
		break;
	}
	return 0;
}

/*
 * Append OPTS to the getopt tables; VAL = short name or 256 + index.  A
 * short name SHADOW (the command's options) uses too is left out.
 */
static void
add_opts(const struct cli_opt *opts, const struct cli_opt *shadow,
    struct option *lo, size_t *nlo, const struct cli_opt **map,
    char *shorts, size_t *nshort)
{
	for (const struct cli_opt *o = opts; o != NULL && o->name; o++) {
		bool has_short = o->short_name && !shadowed(o, shadow);
		int val = has_short ? o->short_name : 256 + (int)*nlo;

		if (long_shadowed(o, shadow))
			continue;

		lo[*nlo].name = o->name;
		lo[*nlo].has_arg = o->has_arg;
		lo[*nlo].flag = NULL;
		lo[*nlo].val = val;
		map[*nlo] = o;
		(*nlo)++;
		if (has_short) {
			shorts[(*nshort)++] = (char)o->short_name;
			if (o->has_arg == required_argument)
				shorts[(*nshort)++] = ':';
			else if (o->has_arg == optional_argument) {
				shorts[(*nshort)++] = ':';
				shorts[(*nshort)++] = ':';
			}
		}
	}
}

static size_t
count_opts(const struct cli_opt *opts)
{
	size_t n = 0;

	for (; opts != NULL && opts[n].name; n++)
		;
	return n;
}

/* The global options that exclude each other. */
static int
exclusions(const struct command *cmd, const struct globals *g)
{
	if (g->ks.pid && g->ks.ns_path)
		return cli_usage_error(cmd, "--pid and --ns exclude each "
		    "other");
	if (g->container != NULL && (g->ks.pid || g->ks.ns_path ||
	    g->ks.root || g->from))
		return cli_usage_error(cmd, "--container excludes --pid, --ns, "
		    "--root and --from");
	if (g->from && (g->ks.pid || g->ks.ns_path || g->ks.root))
		return cli_usage_error(cmd, "--from excludes --pid, --ns and "
		    "--root");
	if (g->ks.root && (g->ks.pid || g->ks.ns_path))
		return cli_usage_error(cmd, "--root excludes --pid and --ns");
	return 0;
}

/*
 * --container: the IPC namespace of the container, entered through a
 * process in it as --pid would.  Names come from the runtimes' state on
 * disk (IPCTUNE_CONTAINER_STORAGE: podman storage roots, ':'-separated).
 */
static int
resolve_container(struct globals *g)
{
	char err[1024];
	pid_t pid;

	if (nsfind_container(g->container, getenv(
	    "IPCTUNE_CONTAINER_STORAGE"), &pid, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	g->ks.pid = pid;
	g->container = NULL;
	return 0;
}

/* The usage error for getopt's C ('?' or ':') on the argument BAD. */
static int
getopt_error(const struct command *cmd, int c, const char *bad)
{
	if (optopt && optopt < 256)
		return cli_usage_error(cmd, c == ':' ?
		    "option '-%c' needs a value" :
		    "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, c == ':' ?
	    "option '%s' needs a value" :
	    "unknown option '%s'", bad);
}

/* The option whose getopt value is C, or NULL. */
static const struct cli_opt *
opt_of(int c, const struct option *lo, const struct cli_opt **map,
    size_t nlo)
{
	for (size_t i = 0; i < nlo; i++)
		if (lo[i].val == c)
			return map[i];
	return NULL;
}

/* The checks once every option is read; FIRST indexes the first operand. */
static int
after_opts(const struct command *cmd, int argc, char **argv, int first,
    struct globals *g)
{
	int status;

	if (cmd != NULL) {
		status = refuse(cmd, g);
		if (status != 0)
			return status;
	}
	status = exclusions(cmd, g);
	if (status != 0)
		return status;
	/* only NAME="value" lines, so that the whole output can be eval'd */
	if (g->table_mode == TMODE_EXPORT)
		g->noheadings = true;
	if (cmd != NULL && !(cmd->flags & CMD_OPERANDS) && first < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'",
		    argv[first]);
	cli_view_opts(g, &g->view);
	if (cmd != NULL && g->container != NULL)
		return resolve_container(g);
	return 0;
}

int
cli_parse(const struct command *cmd, int argc, char **argv,
    struct globals *g, cli_handler handler, void *ctx, int *optindp,
    bool *donep)
{
	size_t n = count_opts(global_opts) + count_opts(cmd ? cmd->opts :
	    NULL), nlo = 0, nshort = 0;
	struct option *lo = xcalloc(n + 1, sizeof(*lo));
	const struct cli_opt **map = xcalloc(n + 1, sizeof(*map));
	char *shorts = xcalloc(3 * n + 3, 1);
	int c, status = 0;

	*donep = false;
	/*
	 * Before the command name, stop at the first operand (the
	 * command); after it, options may follow operands, as in
	 * 'ipctune list shm -o ID'.
	 */
	if (cmd == NULL)
		shorts[nshort++] = '+';
	shorts[nshort++] = ':';
	add_opts(global_opts, cmd ? cmd->opts : NULL, lo, &nlo, map, shorts,
	    &nshort);
	if (cmd != NULL)
		add_opts(cmd->opts, NULL, lo, &nlo, map, shorts, &nshort);
	opterr = 0;
	optind = 0;	/* glibc: full reinitialisation, argv may differ */
	while (status == 0 && !*donep &&
	    (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const struct cli_opt *o;

		if (c == '?' || c == ':') {
			status = getopt_error(cmd, c, argv[optind - 1]);
			break;
		}
		o = opt_of(c, lo, map, nlo);
		if (o == NULL)
			continue;
		if (o >= global_opts && o < global_opts + count_opts(
		    global_opts)) {
			status = global_opt(cmd, o->id, optarg, g, donep);
			if (status == 0 && !*donep)
				status = refuse(cmd, g);
		}
		else if (handler != NULL)
			status = handler(cmd, o->id, optarg, ctx);
	}
	*optindp = optind;
	free(lo);
	free(map);
	free(shorts);
	if (status != 0 || *donep)
		return status;
	return after_opts(cmd, argc, argv, optind, g);
}

int
cli_fail(const struct globals *g, const char *msg)
{
	struct render_opts ro;

	cli_err("%s", msg);
	if (g->format == FMT_JSON) {
		cli_view_opts(g, &ro);
		render_json_error(msg, EXIT_FAIL, ro.now);
	}
	return EXIT_FAIL;
}

void
cli_view_opts(const struct globals *g, struct render_opts *ro)
{
	const char *nc = getenv("NO_COLOR");

	memset(ro, 0, sizeof(*ro));
	ro->format = g->format;
	ro->bytes = g->bytes;
	ro->noheadings = g->noheadings;
	ro->columns = g->columns;
	ro->timefmt = g->timefmt;
	ro->mode = g->table_mode;
	ro->notruncate = g->notruncate;
	/* https://no-color.org: a non-empty NO_COLOR beats --color=always */
	if (nc != NULL && *nc != '\0')
		ro->color = false;
	else if (g->color == COLOR_AUTO)
		ro->color = isatty(STDOUT_FILENO) == 1;
	else
		ro->color = g->color == COLOR_ALWAYS;
	ro->now = (int64_t)time(NULL);
	ro->user_name = idname_user;
	ro->group_name = idname_group;
}

void
cli_loadstate_opts(const struct globals *g, struct loadstate_opts *o)
{
	o->ks = g->ks;
	o->from = g->from;
}

/* LOAD (loadstate_read or loadstate_objects) under G; 0 or an exit status. */
static int
load_through(struct globals *g, int (*load)(const struct loadstate_opts *,
    unsigned, struct kstate *, char *, size_t), unsigned want,
    struct kstate *ks)
{
	struct loadstate_opts o;
	char err[1024] = "";

	cli_loadstate_opts(g, &o);
	if (load(&o, want, ks, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	return 0;
}

int
cli_load_state(struct globals *g, unsigned want, struct kstate *ks)
{
	return load_through(g, loadstate_read, want, ks);
}

int
cli_load_objects(struct globals *g, unsigned want, struct kstate *ks)
{
	return load_through(g, loadstate_objects, want, ks);
}

int
cli_finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			cli_err("cannot write to standard output: %s",
			    errstr(errno));
		return status ? status : EXIT_FAIL;
	}
	return status;
}
