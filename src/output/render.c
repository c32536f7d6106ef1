/*
 * render.c: tables through libsmartcols and JSON through jansson.  Every
 * command renders its result struct here; formatting of numbers, sizes,
 * times and names lives in one place.  Output only, never input: colour,
 * the time and the names of IDs come in struct render_opts.
 */
#define _GNU_SOURCE	/* fopencookie */
#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cellbuf.h"
#include "jsonc.h"
#include "render.h"
#include "textesc.h"
#include "xmalloc.h"

struct table {
	struct libscols_table *tb;
	struct libscols_line *line;
	const struct column *cols;
	size_t ncols;
	int *map;		/* column index -> scols column number or -1 */
	bool color;
	bool csv;		/* print as CSV instead of aligned columns */
	struct cellbuf cells;	/* the rows, until printed */
	bool notruncate;	/* --notruncate */
	bool shellvar;		/* --export: headings as shell names */
};

/* The columns a table offers, and the earlier names of some. */
struct colspec {
	const struct column *cols;
	size_t ncols;
	const struct column_alias *aliases;
	size_t naliases;
};

/* The column named NAME (LEN bytes, any case), or -1. */
static int
exact_col(const struct colspec *cs, const char *name, size_t len)
{
	for (size_t i = 0; i < cs->ncols; i++)
		if (strlen(cs->cols[i].name) == len &&
		    strncasecmp(cs->cols[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* The column NAME (LEN bytes) names, directly or by an alias; or -1. */
static int
find_col(const struct colspec *cs, const char *name, size_t len)
{
	int c = exact_col(cs, name, len);

	for (size_t i = 0; c < 0 && i < cs->naliases; i++)
		if (strlen(cs->aliases[i].alias) == len &&
		    strncasecmp(cs->aliases[i].alias, name, len) == 0)
			c = exact_col(cs, cs->aliases[i].name,
			    strlen(cs->aliases[i].name));
	return c;
}

/* "unknown column 'NAME' (known: A, B, ...)" into ERR. */
static void
unknown_column(const struct column *cols, size_t ncols, const char *name,
    size_t len, char *err, size_t errlen)
{
	size_t l;

	snprintf(err, errlen, "unknown column '%.*s' (known: %s", (int)len,
	    name, cols[0].name);
	for (size_t i = 1; i < ncols; i++) {
		l = strlen(err);
		snprintf(err + l, errlen - l, ", %s", cols[i].name);
	}
	l = strlen(err);
	snprintf(err + l, errlen - l, ")");
}

/*
 * The columns SELECTION names (NULL: the defaults; "+LIST": the defaults
 * and LIST) into ORDER, at most NCOLS * 4 of them, repeats kept.  The
 * count, or -1 with ERR filled.
 */
static int
select_columns(const struct colspec *cs, const char *selection, int *order,
    char *err, size_t errlen)
{
	const struct column *cols = cs->cols;
	size_t ncols = cs->ncols, norder = 0;

	if (selection == NULL || *selection == '+') {
		for (size_t i = 0; i < ncols; i++)
			if (cols[i].flags & COL_DEFAULT)
				order[norder++] = (int)i;
		if (selection != NULL)
			selection++;
	}
	for (const char *p = selection; p != NULL && *p != '\0';) {
		size_t len = strcspn(p, ",");
		int c = find_col(cs, p, len);

		if (c < 0) {
			unknown_column(cols, ncols, p, len, err, errlen);
			return -1;
		}
		if (norder < ncols * 4)
			order[norder++] = c;
		p += len;
		if (*p == ',')
			p++;
	}
	if (norder == 0) {
		snprintf(err, errlen, "no columns selected");
		return -1;
	}
	return (int)norder;
}

/*
 * Names a shell keeps for itself: bash's readonly UID, EUID and PPID
 * (an eval of UID="0" fails and drops the rest of the line), bash's
 * GROUPS (an assignment is lost), and zsh's UID, EUID, GID, EGID and
 * USERNAME, whose assignment changes the shell's own credentials.
 */
static const char *const shell_kept[] = {
	"UID", "EUID", "GID", "EGID", "PPID", "GROUPS", "USERNAME",
};

/* NAME as an --export heading: a name a shell keeps gets a '_' after. */
static const char *
export_name(const char *name, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(shell_kept) / sizeof(shell_kept[0]);
	    i++)
		if (strcmp(name, shell_kept[i]) == 0) {
			snprintf(buf, len, "%s_", name);
			return buf;
		}
	return name;
}

/* The columns in ORDER, each once, as the table's smartcols columns. */
static void
add_columns(struct table *t, const int *order, size_t norder)
{
	const struct column *cols = t->cols;

	for (size_t i = 0; i < norder; i++) {
		int c = order[i];
		int fl = 0;
		char nb[32];
		const char *name = t->shellvar ? export_name(cols[c].name, nb,
		    sizeof(nb)) : cols[c].name;

		if (t->map[c] >= 0)
			continue;	/* each column once */
		if (cols[c].flags & COL_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		/* lsipc --notruncate drops the same flag */
		if ((cols[c].flags & COL_TRUNC) && !t->notruncate)
			fl |= SCOLS_FL_TRUNC;
		if (cols[c].flags & COL_WRAP)
			fl |= SCOLS_FL_WRAP;
		if (scols_table_new_column(t->tb, name, cols[c].whint,
		    fl) == NULL) {
			fprintf(stderr, "ipctune: out of memory\n");
			exit(1);
		}
		t->map[c] = (int)scols_table_get_ncols(t->tb) - 1;
	}
}

struct table *
table_new(const struct column *cols, size_t ncols, const char *selection,
    const struct render_opts *ro, char *err, size_t errlen)
{
	return table_new_aliased(cols, ncols, NULL, 0, selection, ro, err,
	    errlen);
}

struct table *
table_new_aliased(const struct column *cols, size_t ncols,
    const struct column_alias *aliases, size_t naliases,
    const char *selection, const struct render_opts *ro, char *err,
    size_t errlen)
{
	const struct colspec cs = { cols, ncols, aliases, naliases };
	struct table *t = xcalloc(1, sizeof(*t));
	int *order = xcalloc(ncols * 4 + 1, sizeof(*order));
	int norder;

	t->cols = cols;
	t->ncols = ncols;
	t->map = xcalloc(ncols, sizeof(*t->map));
	for (size_t i = 0; i < ncols; i++)
		t->map[i] = -1;
	norder = select_columns(&cs, selection, order, err, errlen);
	if (norder < 0) {
		free(order);
		free(t->map);
		free(t);
		return NULL;
	}
	t->tb = scols_new_table();
	if (t->tb == NULL) {
		fprintf(stderr, "ipctune: out of memory\n");
		exit(1);
	}
	t->csv = ro->format == FMT_CSV;
	t->color = !t->csv && ro->color && ro->mode == TMODE_ALIGNED;
	t->notruncate = ro->notruncate;
	t->shellvar = ro->mode == TMODE_EXPORT;
	scols_table_enable_colors(t->tb, t->color);
	scols_table_enable_noheadings(t->tb, ro->noheadings);
	scols_table_enable_raw(t->tb, ro->mode == TMODE_RAW);
	/*
	 * export: NAME="value" with every quote, backslash, backquote, $
	 * and control byte as \xHH inside the double quotes (util-linux
	 * lib/carefulputc.h fputs_quoted), and names made shell
	 * identifiers ("USE%" -> "USE_PCT"), so that sh's eval is safe.
	 */
	scols_table_enable_export(t->tb, ro->mode == TMODE_EXPORT);
	scols_table_enable_shellvar(t->tb, ro->mode == TMODE_EXPORT);
	add_columns(t, order, (size_t)norder);
	free(order);
	cellbuf_init(&t->cells, scols_table_get_ncols(t->tb));
	return t;
}

bool
table_shows(const struct table *t, size_t col)
{
	return col < t->ncols && t->map[col] >= 0;
}

void
table_row(struct table *t)
{
	cellbuf_row(&t->cells);
}

/*
 * Cells are stored raw: libsmartcols prints every control character and
 * every byte that is not printable as \xHH itself (util-linux's
 * mbs_safe_encode, the escapes textesc.h makes), and escaping here too
 * would escape the backslashes twice.  The CSV view, which libsmartcols
 * does not print, escapes in csv_field().
 */
void
table_cell(struct table *t, size_t col, const char *text)
{
	if (col >= t->ncols || t->map[col] < 0 || text == NULL)
		return;
	cellbuf_set(&t->cells, (size_t)t->map[col], text);
}

void
table_cell_u64(struct table *t, size_t col, uint64_t v)
{
	char b[24];

	if (table_shows(t, col))
		table_cell(t, col, render_u64(v, b, sizeof(b)));
}

void
table_cell_time(struct table *t, size_t col, const struct render_opts *ro,
    int64_t v)
{
	char b[64];

	if (table_shows(t, col))
		table_cell(t, col, render_time_as(ro, v, b, sizeof(b)));
}

void
table_row_color(struct table *t, int level)
{
	if (!t->color || level == 0)
		return;
	cellbuf_set_level(&t->cells, level);
}

/* The rows kept in T->cells as libsmartcols lines. */
static void
scols_fill(struct table *t)
{
	size_t ncols = t->cells.ncols;

	for (size_t r = 0; r < t->cells.nrows; r++) {
		int level = cellbuf_level(&t->cells, r);

		t->line = scols_table_new_line(t->tb, NULL);
		if (t->line == NULL) {
			fprintf(stderr, "ipctune: out of memory\n");
			exit(1);
		}
		for (size_t c = 0; c < ncols; c++) {
			const char *s = cellbuf_get(&t->cells, r, c);

			if (s != NULL && scols_line_set_data(t->line, c,
			    s) != 0) {
				fprintf(stderr, "ipctune: out of memory\n");
				exit(1);
			}
		}
		if (level != 0)
			scols_line_set_color(t->line, level >= 2 ? "red" :
			    "yellow");
	}
}

/*
 * Print T without libsmartcols where the result is the same bytes
 * (cellbuf.h, compared with libsmartcols in check_cellbuf.c): plain
 * ASCII cells and headings, no colour, to a file or pipe rather than a
 * terminal, and no table or column option that changes the layout.
 * libsmartcols measures every cell's width character by character
 * (mbrtowc, wcwidth) several times and allocates each cell; a list of
 * 32,000 rows spent most of its time and memory there.  1 if printed,
 * 0 if libsmartcols must, -1 on a write error.
 */
static int
direct_print(struct table *t)
{
	size_t ncols = t->cells.ncols;
	const char **heads;
	bool *right, ok;
	int r;

	if (t->csv || t->color || !t->cells.plain || isatty(STDOUT_FILENO) ||
	    scols_table_is_raw(t->tb) || scols_table_is_export(t->tb) ||
	    scols_table_is_json(t->tb) || scols_table_is_maxout(t->tb) ||
	    scols_table_is_minout(t->tb) || scols_table_is_shellvar(t->tb) ||
	    scols_table_is_header_repeat(t->tb) ||
	    scols_table_get_column_separator(t->tb) != NULL ||
	    scols_table_get_line_separator(t->tb) != NULL)
		return 0;
	heads = xcalloc(ncols + 1, sizeof(*heads));
	right = xcalloc(ncols + 1, sizeof(*right));
	ok = true;
	for (size_t c = 0; c < ncols && ok; c++) {
		struct libscols_column *cl = scols_table_get_column(t->tb, c);
		int fl = scols_column_get_flags(cl);

		heads[c] = scols_cell_get_data(scols_column_get_header(cl));
		right[c] = (fl & SCOLS_FL_RIGHT) != 0;
		ok = heads[c] != NULL && cellbuf_is_plain(&heads[c], 1) &&
		    (fl & ~SCOLS_FL_RIGHT) == 0 &&
		    scols_column_get_whint(cl) == 0;
	}
	r = ok ? cellbuf_print(&t->cells, stdout, heads, right,
	    !scols_table_is_noheadings(t->tb)) : 0;
	free(heads);
	free(right);
	return ok ? (r == 0 ? 1 : -1) : 0;
}

/* Whether S is a plain decimal number such as 42, -2 or 0.000244. */
static bool
csv_is_number(const char *s)
{
	size_t n;

	if (*s == '-')
		s++;
	n = strspn(s, "0123456789");
	if (n == 0)
		return false;
	s += n;
	if (*s == '.') {
		s++;
		n = strspn(s, "0123456789");
		if (n == 0)
			return false;
		s += n;
	}
	return *s == '\0';
}

/*
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or
 * newline, with control characters escaped (textesc.h).  A cell that a
 * spreadsheet would run as a formula, one that starts with =, +, -, @,
 * a tab or a carriage return (OWASP, "CSV Injection"), gets a leading '
 * inside quotes.  Plain decimal numbers (-2, 0.5) and ipctune's "-" for
 * "none" stay as they are: a spreadsheet reads them as values, and they
 * cannot carry a formula.
 */
static void
csv_field(const char *s, bool first)
{
	bool formula;
	char *e;

	if (!first)
		putchar(',');
	if (s == NULL)
		return;
	formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0' &&
	    !csv_is_number(s) && strcmp(s, "-") != 0;
	e = textesc_dup(s);
	if (!formula && strpbrk(e, ",\"") == NULL && e[0] != ' ') {
		fputs(e, stdout);
		free(e);
		return;
	}
	putchar('"');
	if (formula)
		putchar('\'');
	for (const char *p = e; *p; p++) {
		if (*p == '"')
			putchar('"');
		putchar(*p);
	}
	putchar('"');
	free(e);
}

/* The table as CSV: a header of column names, then one line per row. */
static int
csv_print(struct table *t)
{
	size_t ncols = scols_table_get_ncols(t->tb);
	struct libscols_iter *itr;
	struct libscols_line *ln;

	if (!scols_table_is_noheadings(t->tb))
		for (size_t c = 0; c < ncols; c++) {
			struct libscols_column *cl =
			    scols_table_get_column(t->tb, c);

			csv_field(scols_cell_get_data(
			    scols_column_get_header(cl)), c == 0);
			if (c + 1 == ncols)
				putchar('\n');
		}
	itr = scols_new_iter(SCOLS_ITER_FORWARD);
	if (itr == NULL)
		return -1;
	while (scols_table_next_line(t->tb, itr, &ln) == 0) {
		for (size_t c = 0; c < ncols; c++)
			csv_field(scols_cell_get_data(scols_line_get_cell(ln,
			    c)), c == 0);
		putchar('\n');
	}
	scols_free_iter(itr);
	return ferror(stdout) ? -1 : 0;
}

/*
 * A stream over stdout that drops the blanks before each newline: an
 * empty last column (or a padded one before it) would otherwise end
 * every line of a table in spaces.  Blanks, and the colour sequences
 * among them (a coloured row ends in its reset), are held back until a
 * character other than a newline shows they are inside the line; at a
 * newline only the sequences are written.  The table is still written
 * as it is drawn, holding at most one line's tail.
 */
struct trimout {
	char *held;		/* blanks and escape sequences held back */
	size_t len, cap;
	int esc;		/* 0, 1 after ESC, 2 inside ESC [ ... */
	bool failed;
};

static void
trimout_hold(struct trimout *c, char ch)
{
	xgrow(&c->held, c->len, &c->cap, 1);
	c->held[c->len++] = ch;
}

/* Write what is held: all of it, or without the blanks (ALL false). */
static void
trimout_release(struct trimout *c, bool all)
{
	for (size_t i = 0; i < c->len; i++)
		if (all || c->held[i] != ' ')
			putchar(c->held[i]);
	c->len = 0;
}

static ssize_t
trimout_write(void *cookie, const char *buf, size_t len)
{
	struct trimout *c = cookie;
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];
		bool hold = c->esc != 0 || ch == ' ' ||
		    (ch == '\033' && c->len > 0);

		if (hold) {
			if (i > start)
				fwrite(buf + start, 1, i - start, stdout);
			start = i + 1;
			trimout_hold(c, ch);
			/* ECMA-48: ESC [ parameters, then a final byte */
			if (c->esc == 1)
				c->esc = ch == '[' ? 2 : 0;
			else if (c->esc == 2)
				c->esc = ch >= 0x40 && ch <= 0x7e ? 0 : 2;
			else if (ch == '\033')
				c->esc = 1;
			continue;
		}
		if (c->len > 0)
			trimout_release(c, ch != '\n');
	}
	if (len > start)
		fwrite(buf + start, 1, len - start, stdout);
	if (ferror(stdout)) {
		c->failed = true;
		return -1;
	}
	return (ssize_t)len;
}

/* The table drawn by libsmartcols through a trimout stream; 0 or -1. */
static int
print_trimmed(struct libscols_table *tb)
{
	static const cookie_io_functions_t io = { .write = trimout_write };
	struct trimout c = { NULL, 0, 0, 0, false };
	FILE *fp;
	int r;

	fflush(stdout);
	fp = fopencookie(&c, "w", io);
	if (fp == NULL)
		return scols_print_table(tb);
	scols_table_set_stream(tb, fp);
	r = scols_print_table(tb);
	if (fclose(fp) != 0 || c.failed)
		r = -1;
	/* a table ends in a newline; anything held after it is blanks */
	free(c.held);
	scols_table_set_stream(tb, stdout);
	return r;
}

int
table_print_free(struct table *t)
{
	/* plain cells print directly, without blanks at the line ends */
	int r = direct_print(t);

	if (r == 0) {
		scols_fill(t);
		cellbuf_free(&t->cells);
		/*
		 * --raw keeps the blank before an empty last cell, as
		 * lsipc -r does: split on single blanks, every row has as
		 * many fields as the heading.  Raw mode pads nothing, so
		 * that blank is the only one a line can end in.
		 */
		if (t->csv)
			r = csv_print(t);
		else if (scols_table_is_raw(t->tb))
			r = scols_print_table(t->tb);
		else
			r = print_trimmed(t->tb);
	} else {
		r = r == 1 ? 0 : -1;
	}
	cellbuf_free(&t->cells);
	scols_unref_table(t->tb);
	free(t->map);
	free(t);
	return r == 0 ? 0 : -1;
}

const char *
render_resource_value(const struct resource_desc *d, uint64_t v, bool raw,
    char *buf, size_t len)
{
	if (raw)
		snprintf(buf, len, "%" PRIu64, v);
	else if (v >= SYSCTL_UNLIMITED)
		snprintf(buf, len, "unlimited");
	else if (strcmp(d->unit, "bytes") == 0)
		render_bytes(v, false, buf, len);
	else
		render_count(v, buf, len);
	return buf;
}

const char *
render_limit_value(const struct resource_desc *d, uint64_t limit,
    bool is_signed, int64_t held, bool raw, char *buf, size_t len)
{
	if (is_signed) {
		snprintf(buf, len, "%" PRId64, held);
		return buf;
	}
	return render_resource_value(d, limit, raw, buf, len);
}

const char *
render_resource_limit(const struct resource_desc *d,
    const struct resource *r, bool raw, char *buf, size_t len)
{
	return render_limit_value(d, r->limit, r->limit_signed,
	    r->limit_held, raw, buf, len);
}

void
json_set_limit(json_t *obj, const char *key, const struct resource *r)
{
	if (!r->has_limit)
		json_object_set_new(obj, key, json_null());
	else if (r->limit_signed)
		json_object_set_new(obj, key, json_integer(r->limit_held));
	else
		json_set_u64(obj, key, r->limit);
}

/* A table of tens of thousands of rows formats each number: no printf. */
const char *
render_u64(uint64_t v, char *buf, size_t len)
{
	char tmp[24];
	size_t n = 0, all;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (len == 0)
		return buf;
	/* cut as snprintf cuts: the leading digits */
	all = n;
	if (n >= len)
		n = len - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[all - 1 - i];
	buf[n] = '\0';
	return buf;
}

const char *
render_count(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	size_t n, o = 0;

	n = strlen(render_u64(v, tmp, sizeof(tmp)));
	for (size_t i = 0; i < n && o + 1 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *
render_bytes(uint64_t v, bool raw, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double d = (double)v;
	int u = -1;

	if (raw || v < 1024) {
		snprintf(buf, len, "%" PRIu64 "%s", v, raw ? "" : "B");
		return buf;
	}
	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	/* a whole number of units, as most segments are: no printf */
	if (d == (double)(uint64_t)d && d < 1e15 && len >= 24) {
		size_t n = strlen(render_u64((uint64_t)d, buf, len - 4));

		buf[n] = units[u];
		memcpy(buf + n + 1, "iB", 3);
		return buf;
	}
	if (d >= 100 || d == (double)(uint64_t)d)
		snprintf(buf, len, "%.0f%ciB", d, units[u]);
	else
		snprintf(buf, len, "%.1f%ciB", d, units[u]);
	return buf;
}

const char *
render_percent(double ratio, char *buf, size_t len)
{
	snprintf(buf, len, "%.1f%%", ratio * 100);
	return buf;
}

/* S into BUF of LEN bytes, cut to fit; with LEN 0, as snprintf, nothing. */
static void
copy_text(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/*
 * Objects made together share their times: the last one formatted is
 * kept (per thread), as a table of tens of thousands of rows formats
 * each.
 */
const char *
render_time(int64_t t, char *buf, size_t len)
{
	static _Thread_local int64_t last_t;
	static _Thread_local char last[32];
	struct tm tm;
	time_t tt = (time_t)t;

	if (t != 0 && t == last_t) {
		copy_text(last, buf, len);
		return buf;
	}
	if (t == 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (strftime(last, sizeof(last), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		last_t = 0;
		snprintf(buf, len, "-");
		return buf;
	}
	last_t = t;
	copy_text(last, buf, len);
	return buf;
}

/* Day and month abbreviations as asctime(3) and strftime's %b give them. */
static const char *const day_abbr[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec",
};

/*
 * lsipc's "short" (util-linux lib/timeutils.c strtime_short() with
 * UL_SHORTTIME_THISYEAR_HHMM): "HH:MM" today, "MonDD/HH:MM" this year,
 * "YYYY-MonDD" before; in UTC like every time ipctune prints.
 */
static void
time_short(const struct tm *tm, int64_t now, char *buf, size_t len)
{
	struct tm tn;
	time_t nt = (time_t)now;

	if (gmtime_r(&nt, &tn) == NULL)
		memset(&tn, 0, sizeof(tn));
	if (tm->tm_year == tn.tm_year && tm->tm_yday == tn.tm_yday)
		snprintf(buf, len, "%02d:%02d", tm->tm_hour, tm->tm_min);
	else if (tm->tm_year == tn.tm_year)
		snprintf(buf, len, "%s%02d/%02d:%02d", month_abbr[tm->tm_mon],
		    tm->tm_mday, tm->tm_hour, tm->tm_min);
	else
		snprintf(buf, len, "%lld-%s%02d", (long long)tm->tm_year + 1900,
		    month_abbr[tm->tm_mon], tm->tm_mday);
}

const char *
render_time_as(const struct render_opts *ro, int64_t t, char *buf,
    size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (ro == NULL || ro->timefmt == TIMEF_ISO)
		return render_time(t, buf, len);
	if (t == 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	switch (ro->timefmt) {
	case TIMEF_UNIX:
		snprintf(buf, len, "%" PRId64, t);
		break;
	case TIMEF_SHORT:
		time_short(&tm, ro->now, buf, len);
		break;
	case TIMEF_FULL:
		/* lsipc's: asctime(3) without its newline */
		snprintf(buf, len, "%s %s %2d %02d:%02d:%02d %lld",
		    day_abbr[tm.tm_wday], month_abbr[tm.tm_mon], tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec,
		    (long long)tm.tm_year + 1900);
		break;
	case TIMEF_ISO:
		return render_time(t, buf, len);
	}
	return buf;
}

const char *
render_perms_rwx(uint32_t mode, char *buf, size_t len)
{
	static const char rwx[] = "rwxrwxrwx";
	char s[10];

	for (int i = 0; i < 9; i++)
		s[i] = mode & (0400u >> i) ? rwx[i] : '-';
	s[9] = '\0';
	copy_text(s, buf, len);
	return buf;
}

const char *
render_user(const struct render_opts *ro, uid_t uid, char *buf, size_t len)
{
	if (ro != NULL && ro->user_name != NULL)
		return ro->user_name(uid);
	snprintf(buf, len, "%u", (unsigned)uid);
	return buf;
}

const char *
render_group(const struct render_opts *ro, gid_t gid, char *buf, size_t len)
{
	if (ro != NULL && ro->group_name != NULL)
		return ro->group_name(gid);
	snprintf(buf, len, "%u", (unsigned)gid);
	return buf;
}

json_t *
json_text(const char *s)
{
	json_t *j = json_string(s);
	char *e;

	if (j != NULL)
		return j;
	e = textesc_dup(s);
	j = json_string(e);
	free(e);
	return j != NULL ? j : json_null();
}

json_t *
json_u64(uint64_t v)
{
	if (v > JSON_SAFE_MAX)
		return json_null();
	return json_integer((json_int_t)v);
}

void
json_set_u64(json_t *obj, const char *key, uint64_t v)
{
	json_object_set_new(obj, key, json_u64(v));
	if (v > JSON_SAFE_MAX) {
		char k[128], s[32];

		snprintf(k, sizeof(k), "%s_exact", key);
		snprintf(s, sizeof(s), "%" PRIu64, v);
		json_object_set_new(obj, k, json_string(s));
	}
}

void
json_set_held(json_t *obj, const char *key, enum sysctl_id id, uint64_t v)
{
	int64_t neg;

	if (sysctl_field_signed(id, v, &neg))
		json_object_set_new(obj, key, json_integer(neg));
	else
		json_set_u64(obj, key, v);
}

void
json_set_time(json_t *obj, const char *key, int64_t t)
{
	char buf[32];

	if (t == 0)
		json_object_set_new(obj, key, json_null());
	else
		json_object_set_new(obj, key,
		    json_string(render_time(t, buf, sizeof(buf))));
}

json_t *
render_envelope(const char *document, const struct kstate *ks, int64_t now)
{
	json_t *root = json_object(), *tool = json_object(), *ns;
	char buf[32];
	static const char *const srcnames[] = { "live", "root", "snapshot" };

	json_object_set_new(root, "schema_version",
	    json_integer(IPCTUNE_SCHEMA_VERSION));
	json_object_set_new(root, "document", json_string(document));
	json_object_set_new(tool, "name", json_string("ipctune"));
	json_object_set_new(tool, "version", json_string(IPCTUNE_VERSION));
	json_object_set_new(root, "tool", tool);
	json_object_set_new(root, "generated_at",
	    json_string(render_time(now, buf, sizeof(buf))));
	if (ks != NULL) {
		ns = json_object();
		json_object_set_new(ns, "inode", ks->host.ipc_ns_inode ?
		    json_integer((json_int_t)ks->host.ipc_ns_inode) :
		    json_null());
		json_object_set_new(ns, "pid", ks->host.target_pid ?
		    json_integer(ks->host.target_pid) : json_null());
		json_object_set_new(ns, "path", ks->host.ns_path[0] ?
		    json_text(ks->host.ns_path) : json_null());
		json_object_set_new(ns, "source",
		    json_string(srcnames[ks->source]));
		json_object_set_new(ns, "source_detail", ks->source_detail[0]
		    ? json_text(ks->source_detail) : json_null());
		json_object_set_new(ns, "hostname",
		    json_text(ks->host.hostname));
		if (ks->host.container_id[0] != '\0') {
			json_t *c = json_object();

			json_object_set_new(c, "runtime",
			    json_text(ks->host.container_runtime));
			json_object_set_new(c, "id",
			    json_text(ks->host.container_id));
			json_object_set_new(ns, "container", c);
		}
		json_object_set_new(root, "ipc_namespace", ns);
	}
	return root;
}

int
render_json_print(json_t *root)
{
	int r = json_dumpf(root, stdout, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER);

	json_decref(root);
	if (r == 0)
		fputc('\n', stdout);
	return r;
}

int
render_json_error(const char *msg, int exit_status, int64_t now)
{
	json_t *root = render_envelope("error", NULL, now), *e = json_object();

	json_object_set_new(e, "message", json_text(msg));
	json_object_set_new(e, "exit_status", json_integer(exit_status));
	json_object_set_new(root, "error", e);
	return render_json_print(root);
}

static void
jsonw_put(struct jsonw *w, const char *s, size_t n)
{
	if (w->len + n > sizeof(w->buf)) {
		jsonw_flush(w);
		if (n > sizeof(w->buf)) {
			fwrite(s, 1, n, w->fp);
			return;
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void
jsonw_putc(struct jsonw *w, char c)
{
	if (w->len == sizeof(w->buf))
		jsonw_flush(w);
	w->buf[w->len++] = c;
}

void
jsonw_init(struct jsonw *w, FILE *fp)
{
	w->fp = fp;
	w->first_member = true;
	w->first_item = true;
	w->len = 0;
}

int
jsonw_flush(struct jsonw *w)
{
	if (w->len > 0)
		fwrite(w->buf, 1, w->len, w->fp);
	w->len = 0;
	return ferror(w->fp) ? -1 : 0;
}

void
jsonw_raw(struct jsonw *w, const char *s)
{
	jsonw_put(w, s, strlen(s));
}
/* Room for N more bytes (N far below the buffer size); the write point. */
static char *
jsonw_reserve(struct jsonw *w, size_t n)
{
	if (w->len + n > sizeof(w->buf))
		jsonw_flush(w);
	return w->buf + w->len;
}

static void
jsonw_u64(struct jsonw *w, uint64_t v)
{
	char *p = jsonw_reserve(w, 20);
	size_t n = 1;

	/* count the digits, then write them backwards in place */
	for (uint64_t t = v; t >= 10; t /= 10)
		n++;
	w->len += n;
	p += n;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
}

static void
jsonw_key(struct jsonw *w, const char *key)
{
	size_t n = strlen(key);
	char *p;

	if (n > 256) {
		/* not a key this program writes; keep it correct anyway */
		jsonw_put(w, w->first_member ? "\"" : ", \"",
		    w->first_member ? 1 : 3);
		w->first_member = false;
		jsonw_put(w, key, n);
		jsonw_put(w, "\": ", 3);
		return;
	}
	/* one bounds check per member: ", " '"' key '": ' */
	p = jsonw_reserve(w, n + 6);
	if (!w->first_member) {
		*p++ = ',';
		*p++ = ' ';
	}
	w->first_member = false;
	*p++ = '"';
	for (size_t i = 0; i < n; i++)
		*p++ = key[i];
	*p++ = '"';
	*p++ = ':';
	*p++ = ' ';
	w->len = (size_t)(p - w->buf);
}

/*
 * S quoted.  Text that is not UTF-8 (a user name from NSS, say) is
 * written as json_text() writes it, escaped (textesc.h): JSON text is
 * UTF-8 (RFC 8259), and a reader would refuse the document.
 */
static void
jsonw_string(struct jsonw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char *e;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80) {
			if (jsonc_utf8_ok(s))
				break;
			e = textesc_dup(s);
			jsonw_string(w, e);
			free(e);
			return;
		}
	jsonw_putc(w, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			jsonw_putc(w, '\\');
			jsonw_putc(w, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[*p >> 4],
			    hex[*p & 15] };

			jsonw_put(w, esc, sizeof(esc));
		} else {
			jsonw_putc(w, (char)*p);
		}
	}
	jsonw_putc(w, '"');
}

void
jsonw_begin_array(struct jsonw *w)
{
	w->first_item = true;
}

void
jsonw_begin_object(struct jsonw *w)
{
	jsonw_put(w, w->first_item ? "\n    {" : ",\n    {", w->first_item ?
	    6 : 7);
	w->first_item = false;
	w->first_member = true;
}

void
jsonw_end_object(struct jsonw *w)
{
	jsonw_putc(w, '}');
}

void
jsonw_key_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	if (v < 0) {
		jsonw_putc(w, '-');
		jsonw_u64(w, (uint64_t)0 - (uint64_t)v);
	} else {
		jsonw_u64(w, (uint64_t)v);
	}
}

void
jsonw_key_u64(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	if (v > JSON_SAFE_MAX) {
		jsonw_put(w, "null, \"", 7);
		jsonw_raw(w, key);
		jsonw_put(w, "_exact\": \"", 10);
		jsonw_u64(w, v);
		jsonw_putc(w, '"');
	} else {
		jsonw_u64(w, v);
	}
}

void
jsonw_key_hex32(struct jsonw *w, const char *key, uint32_t v)
{
	static const char hex[] = "0123456789abcdef";
	char s[12] = { '"', '0', 'x' };

	for (int i = 0; i < 8; i++)
		s[3 + i] = hex[(v >> (28 - 4 * i)) & 15];
	s[11] = '"';
	jsonw_key(w, key);
	jsonw_put(w, s, sizeof(s));
}

void
jsonw_key_perms(struct jsonw *w, const char *key, uint32_t v)
{
	char s[6] = { '"', (char)('0' + ((v >> 9) & 7)),
	    (char)('0' + ((v >> 6) & 7)), (char)('0' + ((v >> 3) & 7)),
	    (char)('0' + (v & 7)), '"' };

	jsonw_key(w, key);
	jsonw_put(w, s, sizeof(s));
}

void
jsonw_key_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void
jsonw_key_begin(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
}

void
jsonw_key_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	if (v)
		jsonw_put(w, "true", 4);
	else
		jsonw_put(w, "false", 5);
}

void
jsonw_key_null(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
	jsonw_put(w, "null", 4);
}

void
jsonw_key_time(struct jsonw *w, const char *key, int64_t t)
{
	char buf[32];

	if (t == 0) {
		jsonw_key_null(w, key);
		return;
	}
	jsonw_key_str(w, key, render_time(t, buf, sizeof(buf)));
}

int
render_json_print_streamed(FILE *fp, json_t *root,
    void (*fn)(FILE *fp, const void *ctx), const void *ctx)
{
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t len;

	json_decref(root);
	if (s == NULL)
		return -1;
	len = strlen(s);
	/* drop the one closing brace; the streamed members follow */
	while (len > 0 && s[len - 1] != '}')
		len--;
	if (len > 0)
		len--;
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
		len--;
	fwrite(s, 1, len, fp);
	free(s);
	fn(fp, ctx);
	fputs("\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}

int
render_printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = textesc_vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

void
render_namespace_line(const struct kstate *ks)
{
	if (ks->source == KSRC_SNAPSHOT)
		render_printf("IPC namespace %" PRIu64 " of host %s, from "
		    "snapshot '%s'\n", ks->host.ipc_ns_inode,
		    ks->host.hostname, ks->source_detail);
	else if (ks->source == KSRC_ROOT)
		render_printf("IPC state from fixture tree '%s'\n",
		    ks->source_detail);
	else if (ks->host.target_pid)
		render_printf("IPC namespace %" PRIu64 " of process %d on "
		    "%s\n", ks->host.ipc_ns_inode, (int)ks->host.target_pid,
		    ks->host.hostname);
	else
		render_printf("IPC namespace %" PRIu64 " on %s\n",
		    ks->host.ipc_ns_inode, ks->host.hostname);
}
