/*
 * render.h: the last step of every command.  One table code path
 * (libsmartcols, with -o column selection, --bytes, --no-headings and
 * colour) and one JSON code path (jansson, plus a streaming writer for
 * long object lists).  Nothing here reads the system, the environment
 * or the clock: the caller decides them in struct render_opts.
 */
#ifndef RENDER_H
#define RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ipctune.h"
#include "model.h"

/* The output formats; each command's flags say which it accepts. */
enum out_format { FMT_TABLE, FMT_JSON, FMT_PROMETHEUS, FMT_CSV };

/*
 * How a table writes times (--time-format, lsipc's words): ISO 8601 in
 * UTC (the default), short (the time today, the month and day this
 * year, else the year too), full (as ctime(3)), unix (seconds).
 */
enum time_format { TIMEF_ISO, TIMEF_SHORT, TIMEF_FULL, TIMEF_UNIX };

/*
 * How a table is laid out: aligned columns (the default), raw (cells
 * separated by one space, special bytes escaped) or export (NAME="value"
 * pairs safe for a shell's eval), as libsmartcols draws them.
 */
enum table_mode { TMODE_ALIGNED, TMODE_RAW, TMODE_EXPORT };

/*
 * How a result is drawn.  The caller fills every field (the command
 * line's choices, whether colour suits stdout, the clock, how IDs
 * become names; cli_view_opts() does it from the global options), so
 * that a view reads nothing itself.
 */
struct render_opts {
	enum out_format format;
	bool bytes;		/* --bytes: exact numbers, no units */
	bool noheadings;	/* --no-headings */
	bool color;		/* colour the rows of a table */
	const char *columns;	/* -o LIST, or NULL */
	enum time_format timefmt;	/* --time-format */
	enum table_mode mode;	/* --raw, --export */
	bool notruncate;	/* --notruncate: never truncate or wrap */
	int64_t now;		/* seconds since the epoch: generated_at */
	/* the name of a user or group ID; NULL: the number as text */
	const char *(*user_name)(uid_t uid);
	const char *(*group_name)(gid_t gid);
};

/* One output column of a table view. */
struct column {
	const char *name;	/* for -o, upper case like lsipc */
	const char *help;
	double whint;
	int flags;		/* COL_* */
};

/* A column's earlier name that -o still takes. */
struct column_alias {
	const char *alias;	/* CHANGED */
	const char *name;	/* CTIME: the column it selects */
};

enum col_flags {
	COL_RIGHT = 1 << 0,
	COL_DEFAULT = 1 << 1,	/* shown without -o */
	COL_TRUNC = 1 << 2,
	COL_WRAP = 1 << 3,
};

struct table;

/*
 * Start a table over COLS, drawn as RO says (CSV for FMT_CSV); SELECTION
 * is the -o list or NULL for the default columns.  NULL with a message
 * in ERR if a column is unknown.
 */
struct table *table_new(const struct column *cols, size_t ncols,
    const char *selection, const struct render_opts *ro, char *err,
    size_t errlen);
/*
 * table_new() whose SELECTION may also name columns by the earlier names
 * in ALIASES (NALIASES of them), as after a heading was renamed.
 */
struct table *table_new_aliased(const struct column *cols, size_t ncols,
    const struct column_alias *aliases, size_t naliases,
    const char *selection, const struct render_opts *ro, char *err,
    size_t errlen);
/* Whether column COL (an index of COLS) is drawn: worth computing. */
bool table_shows(const struct table *t, size_t col);
/* Start a row; then set cells by column index (of COLS). */
void table_row(struct table *t);
/* Set the cell of column COL of the current row (copied). */
void table_cell(struct table *t, size_t col, const char *text);
/* Colour the current row: 0 none, 1 warning, 2 critical. */
void table_row_color(struct table *t, int level);
/* Print the table to stdout and free it. */
int table_print_free(struct table *t);

/*
 * A value V of the resource D as the tables show it: "unlimited" at
 * SYSCTL_UNLIMITED and above, bytes or a count by D's unit, or the bare
 * number when RAW (--bytes).
 */
const char *render_resource_value(const struct resource_desc *d, uint64_t v,
    bool raw, char *buf, size_t len);

/*
 * A limit as the tables show it: HELD, the negative int its sysctl
 * holds, when IS_SIGNED, else LIMIT as render_resource_value() shows it.
 */
const char *render_limit_value(const struct resource_desc *d,
    uint64_t limit, bool is_signed, int64_t held, bool raw, char *buf,
    size_t len);
/*
 * The limit of R as the tables show it: the negative int its sysctl
 * holds (limit_signed), else as render_resource_value() shows it.
 */
const char *render_resource_limit(const struct resource_desc *d,
    const struct resource *r, bool raw, char *buf, size_t len);
/*
 * Set KEY to the limit of R: null without one, the negative int its
 * sysctl holds, else as json_set_u64() sets it.
 */
void json_set_limit(json_t *obj, const char *key, const struct resource *r);
/* V in decimal into BUF (of at least 21 bytes), without printf. */
const char *render_u64(uint64_t v, char *buf, size_t len);
/* Column COL's cell of the current row: V in decimal, if it is drawn. */
void table_cell_u64(struct table *t, size_t col, uint64_t v);
/* Column COL's cell: the time V as RO's --time-format asks, if drawn. */
void table_cell_time(struct table *t, size_t col,
    const struct render_opts *ro, int64_t v);
/* Format a count with thousands separators into BUF. */
const char *render_count(uint64_t v, char *buf, size_t len);
/* Format bytes in human units (or plain with --bytes) into BUF. */
const char *render_bytes(uint64_t v, bool raw, char *buf, size_t len);
/* Format a ratio as a percentage into BUF. */
const char *render_percent(double ratio, char *buf, size_t len);
/* Format a time (seconds since the epoch, 0 = never) into BUF. */
const char *render_time(int64_t t, char *buf, size_t len);
/*
 * A time T as RO's --time-format asks ("-" for 0), relative to RO's now
 * for "short", into BUF.
 */
const char *render_time_as(const struct render_opts *ro, int64_t t,
    char *buf, size_t len);
/* Permission bits MODE as rwx text ("rw-r-----") into BUF. */
const char *render_perms_rwx(uint32_t mode, char *buf, size_t len);
/* The name of UID through RO's resolver, or the number as text in BUF. */
const char *render_user(const struct render_opts *ro, uid_t uid, char *buf,
    size_t len);
/* The name of GID through RO's resolver, or the number as text in BUF. */
const char *render_group(const struct render_opts *ro, gid_t gid, char *buf,
    size_t len);

/* The largest integer JSON consumers read exactly: 2^53 - 1. */
#define JSON_SAFE_MAX 9007199254740991ull

/*
 * A JSON string of text from outside.  Jansson refuses bytes that are
 * not UTF-8 (the member would silently go missing); such text is given
 * with its unsafe bytes as \xHH escapes (textesc.h) instead.
 */
json_t *json_text(const char *s);
/* A JSON integer, or null if V exceeds 2^53 - 1. */
json_t *json_u64(uint64_t v);
/* Set KEY to V, and KEY_exact to the decimal string when V is too big. */
void json_set_u64(json_t *obj, const char *key, uint64_t v);
/*
 * Set KEY to field V of sysctl ID as the kernel holds it: a negative int
 * (sysctl_field_signed) as one, anything else as json_set_u64() does.
 */
void json_set_held(json_t *obj, const char *key, enum sysctl_id id,
    uint64_t v);
/* Set KEY to an RFC 3339 UTC time, or null for 0. */
void json_set_time(json_t *obj, const char *key, int64_t t);

/*
 * The envelope every JSON document starts with: schema_version, tool,
 * generated_at (NOW, seconds since the epoch) and the IPC namespace
 * described (none when KS is NULL).
 */
json_t *render_envelope(const char *document, const struct kstate *ks,
    int64_t now);
/* Dump ROOT to stdout (indented), free it; 0 or -1. */
int render_json_print(json_t *root);
/*
 * The error document of a failed command, MSG with its EXIT_STATUS in
 * an envelope made at NOW, printed to stdout; 0 or -1.
 */
int render_json_error(const char *msg, int exit_status, int64_t now);

/*
 * Streaming writer for long arrays of flat objects: formats into its own
 * buffer (no stdio call per character) and writes it out in large
 * blocks.  Keys are trusted ASCII literals; string values are escaped.
 */
struct jsonw {
	FILE *fp;
	bool first_member;
	bool first_item;
	size_t len;
	char buf[1 << 16];
};
/* Start writing to FP. */
void jsonw_init(struct jsonw *w, FILE *fp);
/* Write the buffer out; 0, or -1 if FP has an error. */
int jsonw_flush(struct jsonw *w);
/* Append text as it is (punctuation between members). */
void jsonw_raw(struct jsonw *w, const char *s);
/* Start an array; the objects that follow are its items. */
void jsonw_begin_array(struct jsonw *w);
void jsonw_begin_object(struct jsonw *w);
void jsonw_end_object(struct jsonw *w);
void jsonw_key_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_key_u64(struct jsonw *w, const char *key, uint64_t v);
/* KEY: "0x%08x" of V. */
void jsonw_key_hex32(struct jsonw *w, const char *key, uint32_t v);
/* KEY: "%04o" of V (permission bits). */
void jsonw_key_perms(struct jsonw *w, const char *key, uint32_t v);
void jsonw_key_str(struct jsonw *w, const char *key, const char *s);
void jsonw_key_bool(struct jsonw *w, const char *key, bool v);
void jsonw_key_null(struct jsonw *w, const char *key);
void jsonw_key_time(struct jsonw *w, const char *key, int64_t t);
/* KEY: alone; the caller writes the value (jsonw_raw, a nested object). */
void jsonw_key_begin(struct jsonw *w, const char *key);



/*
 * Print ROOT (indented) to FP with more members appended by FN through
 * the streaming writer, so long arrays never become one big tree.  Frees
 * ROOT.
 */
int render_json_print_streamed(FILE *fp, json_t *root,
    void (*fn)(FILE *fp, const void *ctx), const void *ctx);
/*
 * printf(3) to stdout for the text lines around the tables: every %s
 * and %c argument is escaped (textesc.h), so a host name, path or
 * process name from outside cannot drive the terminal.
 */
int render_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the line naming the IPC namespace a report describes. */
void render_namespace_line(const struct kstate *ks);
#endif
