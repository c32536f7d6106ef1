/*
 * cli.h: the command table, the global options and the one option parser
 * every command uses.  One table per command drives parsing, -h output,
 * the completions and the man-page test, so they cannot drift apart.
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "ksource.h"
#include "render.h"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Options every command accepts, before or after its name. */
struct globals {
	enum out_format format;
	bool format_set;
	bool bytes;
	bool noheadings;
	enum color_mode color;
	bool quiet;
	const char *columns;	/* -o LIST */
	enum time_format timefmt;	/* --time-format */
	enum table_mode table_mode;	/* --raw, --export */
	bool notruncate;	/* --notruncate */
	const char *from;	/* --from FILE: analyse a snapshot */
	const char *output;	/* --output FILE */
	struct ksource_opts ks;	/* --root, --pid, --ns, --reader */
	const char *container;	/* --container, until resolved to ks.pid */
	/* what the views get, made from the above by cli_view_opts() */
	struct render_opts view;
};

/* One option of a command (or a global one). */
struct cli_opt {
	const char *name;	/* long name without dashes */
	int short_name;		/* 0 if none */
	int has_arg;		/* no_argument, required_argument, ... */
	const char *arg;	/* metavariable, e.g. "PID" */
	const char *help;	/* one line */
	int id;			/* passed to the command's handler */
	const char *complete;	/* value completer: "resources", ... */
};

/* Command flags, enforced by the dispatcher. */
enum cmd_flags {
	CMD_HIDDEN = 1 << 0,	/* not listed in help */
	CMD_FORMATS_JSON = 1 << 1,	/* accepts --format json */
	CMD_FROM = 1 << 2,	/* accepts --from */
	CMD_NS = 1 << 3,	/* accepts --pid / --ns / --root */
	CMD_PROMETHEUS = 1 << 4,	/* accepts --format prometheus */
	CMD_CSV = 1 << 5,	/* accepts --format csv */
	CMD_OUTPUT = 1 << 6,	/* accepts --output FILE */
	CMD_OPERANDS = 1 << 7,	/* takes operands, or judges them itself */
	CMD_JSON_ONLY = 1 << 8,	/* prints JSON only: no table format */
};

struct column;

/* One table of output columns (a command may print several). */
struct column_set {
	const struct column *cols;
	size_t ncols;
};

struct command {
	const char *name;
	/* the entry point; SELF is this descriptor */
	int (*fn)(const struct command *self, int argc, char **argv,
	    struct globals *g);
	const char *args;	/* synopsis after the name */
	const char *summary;
	const struct cli_opt *opts;	/* terminated by a zero name */
	unsigned flags;
	const char *operands;	/* completion words for operands, or NULL */
	const struct column_set *colsets;	/* for -o; zero-terminated */
};

/* The command table and its length (main.c). */
extern const struct command *const commands[];
extern const size_t ncommands;
/* The global options, terminated by a zero name (cli.c). */
extern const struct cli_opt global_opts[];

/* Does CMD (any command when NULL) accept the global option O? */
bool cli_global_accepted(const struct command *cmd, const struct cli_opt *o);

/* The command named NAME (exact match only), or NULL. */
const struct command *cli_find(const char *name);

/* Called for each command-specific option; 0 or an exit status. */
typedef int (*cli_handler)(const struct command *self, int id,
    const char *arg, void *ctx);

/*
 * Parse ARGV (ARGV[0] is the command name) with the global options and
 * CMD's own; call HANDLER for CMD's options.  On return *OPTINDP indexes
 * the first operand.  0, or an exit status (2 for a usage error, or 0
 * with *DONEP set when -h was answered).
 */
int cli_parse(const struct command *cmd, int argc, char **argv,
    struct globals *g, cli_handler handler, void *ctx, int *optindp,
    bool *donep);

/* Print the usage of CMD (or the program if NULL) to stdout. */
void cli_usage(const struct command *cmd);

/*
 * Report a usage error about CMD on stderr (string arguments escaped
 * like cli_err()); returns EXIT_USAGE.
 */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Print an error "ipctune: ..." to stderr; control characters in the
 * string arguments are escaped (textesc.h).
 */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Report a runtime failure MSG: on stderr always, and in JSON mode also as
 * an error document on stdout, so a consumer parsing stdout sees why.
 * Returns EXIT_FAIL.
 */
int cli_fail(const struct globals *g, const char *msg);
/*
 * Print a warning "ipctune: warning: ..." to stderr unless quiet, with
 * the string arguments escaped like cli_err().
 */
void cli_warn(const struct globals *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct loadstate_opts;

/* Where --root, --pid, --ns, --reader and --from in G read the state. */
void cli_loadstate_opts(const struct globals *g, struct loadstate_opts *o);

/*
 * Load the state a reading command works on: the live kernel (or --root
 * tree), or the snapshot named by --from.  Prints the error and returns
 * an exit status on failure.
 */
int cli_load_state(struct globals *g, unsigned want, struct kstate *ks);

/*
 * Add the object tables WANT names to a state cli_load_state() loaded
 * (a snapshot has them already).  Prints the error; 0 or an exit status.
 */
int cli_load_objects(struct globals *g, unsigned want, struct kstate *ks);

/*
 * The view options of G's global options: --color against NO_COLOR and
 * whether stdout is a terminal, the clock read now, names through NSS.
 * cli_parse() leaves them in G->view.
 */
void cli_view_opts(const struct globals *g, struct render_opts *ro);

/* Flush stdout and report a write error; returns STATUS or 1. */
int cli_finish_stdout(int status);

#endif
