/*
 * cmd_forecast.c: 'ipctune forecast', per resource the growth rate, the
 * projected date its limit is reached with a 90% band, or why there is
 * no date; as a table with a sparkline, as JSON, and as an SVG picture.
 * Option parsing and glue only: the numbers come from forecast.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "forecast.h"
#include "histfile.h"
#include "model.h"
#include "numparse.h"
#include "outfile.h"
#include "render.h"
#include "statedir.h"
#include "svgplot.h"
#include "xmalloc.h"

enum { O_HISTORY = 1, O_WINDOW, O_HORIZON, O_RESOURCE, O_PLOT,
    O_MIN_SAMPLES, O_MIN_SPAN };

static const struct cli_opt cmd_forecast_opts[] = {
	{ "history", 0, required_argument, "FILE",
	    "the history file (default: STATEDIR/history.jsonl)", O_HISTORY,
	    "files" },
	{ "window", 0, required_argument, "DURATION",
	    "use the samples of the last DURATION (default 30d)", O_WINDOW,
	    NULL },
	{ "horizon", 0, required_argument, "DURATION",
	    "project up to DURATION ahead (default 365d)", O_HORIZON, NULL },
	{ "resource", 'r', required_argument, "R",
	    "only resource R (repeatable, or a comma list)", O_RESOURCE,
	    "resources" },
	{ "plot", 0, required_argument, "FILE",
	    "also draw the forecast as an SVG picture into FILE", O_PLOT,
	    "files" },
	{ "min-samples", 0, required_argument, "N",
	    "samples needed since the last reset (default 24)",
	    O_MIN_SAMPLES, NULL },
	{ "min-span", 0, required_argument, "DURATION",
	    "history needed since the last reset (default 1d)", O_MIN_SPAN,
	    NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/* Width of the inline trend, in characters. */
#define SPARK_WIDTH 16
/* Warn when the newest sample is older than this (the timer stopped?). */
#define STALE_AFTER (2 * 3600)

struct fc_cli {
	const char *history;
	const char *plot;
	struct forecast_opts fo;
	const char *window, *min_span;	/* as given, for messages */
	uint32_t only;		/* bit per resource; 0 = all */
};

static int
fc_opt(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct fc_cli *c = ctx;
	const struct command *cmd = self;
	uint64_t v;

	switch (id) {
	case O_HISTORY:
	case O_PLOT:
		if (*arg == '\0')
			return cli_usage_error(cmd, "empty file name");
		*(id == O_HISTORY ? &c->history : &c->plot) = arg;
		break;
	case O_WINDOW:
	case O_HORIZON:
	case O_MIN_SPAN:
		if (num_parse_duration(arg, &v) < 0 || v > 100ull * 366 *
		    86400 || (v == 0 && id != O_MIN_SPAN))
			return cli_usage_error(cmd, "invalid duration '%s' "
			    "(e.g. 30d, 12w, 36h; at most 100 years)", arg);
		if (id == O_WINDOW) {
			c->fo.window_s = (int64_t)v;
			c->window = arg;
		} else if (id == O_HORIZON) {
			c->fo.horizon_s = (int64_t)v;
		} else {
			c->fo.min_span_s = (int64_t)v;
			c->min_span = arg;
		}
		break;
	case O_MIN_SAMPLES:
		if (num_parse_u64(arg, 2, 1000000, &v) < 0)
			return cli_usage_error(cmd, "invalid --min-samples "
			    "'%s' (2 to 1000000)", arg);
		c->fo.min_samples = (size_t)v;
		break;
	case O_RESOURCE:
		for (const char *p = arg; ;) {
			size_t n = strcspn(p, ",");
			char name[32];
			int r;

			if (n == 0 || n >= sizeof(name))
				return cli_usage_error(cmd, "invalid resource "
				    "list '%s'", arg);
			memcpy(name, p, n);
			name[n] = '\0';
			r = model_resource_lookup(name);
			if (r < 0)
				return cli_usage_error(cmd, "unknown resource "
				    "'%s' (see 'ipctune status')", name);
			c->only |= 1u << r;
			if (p[n] == '\0')
				break;
			p += n + 1;
		}
		break;
	}
	return 0;
}


/* main() sets the C locale, so ask the environment whether it is UTF-8. */
static bool
env_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		if (v == NULL || *v == '\0')
			continue;
		return strcasestr(v, "utf-8") != NULL ||
		    strcasestr(v, "utf8") != NULL;
	}
	return false;
}

static const char *
fmt_date(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "never");
	else
		strftime(buf, len, "%Y-%m-%d", &tm);
	return buf;
}

static const char *
fmt_datetime(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

/* A duration in the largest sensible unit: 3d 4h, 5h 10m, 40m. */
static const char *
fmt_span(int64_t s, char *buf, size_t len)
{
	if (s >= 2 * 86400)
		snprintf(buf, len, "%" PRId64 "d", (s + 43200) / 86400);
	else if (s >= 86400)
		snprintf(buf, len, "%" PRId64 "d %" PRId64 "h", s / 86400,
		    (s % 86400 + 1800) / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%" PRId64 "h %" PRId64 "m", s / 3600,
		    (s % 3600 + 30) / 60);
	else
		snprintf(buf, len, "%" PRId64 "m", (s + 59) / 60);
	return buf;
}

static bool
is_bytes(int r)
{
	return strcmp(resource_table[r].unit, "bytes") == 0;
}

/* Growth per day with its sign: +12.5, -3, +1.2MiB. */
static const char *
fmt_rate(int r, double per_s, bool raw, char *buf, size_t len)
{
	double d = per_s * 86400, a = fabs(d);
	char tmp[32];

	if (is_bytes(r) && !raw && a >= 1024) {
		snprintf(buf, len, "%s%s", d < 0 ? "-" : "+",
		    render_bytes((uint64_t)llround(a), false, tmp,
		    sizeof(tmp)));
		return buf;
	}
	if (a < 0.005)
		snprintf(buf, len, "0");
	else if (a >= 100)
		snprintf(buf, len, "%+.0f", d);
	else if (a >= 10)
		snprintf(buf, len, "%+.1f", d);
	else
		snprintf(buf, len, "%+.2f", d);
	return buf;
}

static void
spark(const struct history *h, const struct forecast_result *f,
    int64_t window_s, bool utf8, char *buf, size_t len)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583",
	    "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[] = "_.-:=+*#";
	int lv[SPARK_WIDTH];
	size_t o = 0;

	buf[0] = '\0';
	if (f->state == FC_NO_DATA)
		return;
	/* from the oldest sample when the history is younger than the window */
	forecast_spark(h, f->id, f->t_last - window_s > h->s[0].t ?
	    f->t_last - window_s : h->s[0].t, f->t_last, SPARK_WIDTH, lv);
	for (size_t i = 0; i < SPARK_WIDTH && o + 4 < len; i++) {
		if (lv[i] < 0)
			buf[o++] = ' ';
		else if (utf8) {
			memcpy(buf + o, blocks[lv[i]], 3);
			o += 3;
		} else {
			buf[o++] = ascii[lv[i]];
		}
	}
	buf[o] = '\0';
}

enum { C_RESOURCE, C_USED, C_LIMIT, C_TREND, C_GROWTH, C_REACHED, C_BAND,
    C_NOTE };

static const struct column fc_cols[] = {
	[C_RESOURCE] = { "RESOURCE", "resource name", 0, COL_DEFAULT },
	[C_USED] = { "USED", "usage at the newest sample", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_LIMIT] = { "LIMIT", "the limit then", 0, COL_DEFAULT | COL_RIGHT },
	[C_TREND] = { "TREND", "peak usage over the window", 0,
	    COL_DEFAULT },
	[C_GROWTH] = { "PER-DAY", "growth per day (Theil-Sen)", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_REACHED] = { "LIMIT-REACHED", "projected date (UTC)", 0,
	    COL_DEFAULT },
	[C_BAND] = { "90%-BAND", "earliest and latest date", 0,
	    COL_DEFAULT },
	[C_NOTE] = { "NOTE", "detail", 0, COL_DEFAULT },
};

static const struct column_set cmd_forecast_columns[] = {
	{ fc_cols, sizeof(fc_cols) / sizeof(fc_cols[0]) },
	{ NULL, 0 },
};

static void
note_text(const struct forecast_result *f, char *buf, size_t len)
{
	char a[32], b[32];
	size_t o = 0;

	buf[0] = '\0';
	switch (f->state) {
	case FC_TOO_LITTLE:
		if (f->need_samples > 0 && f->need_span_s > 0)
			snprintf(buf, len, "needs %zu more samples and %s "
			    "more history", f->need_samples,
			    fmt_span(f->need_span_s, a, sizeof(a)));
		else if (f->need_samples > 0)
			snprintf(buf, len, "needs %zu more samples",
			    f->need_samples);
		else
			snprintf(buf, len, "needs %s more history",
			    fmt_span(f->need_span_s, a, sizeof(a)));
		break;
	case FC_EXHAUSTS:
		snprintf(buf, len, "in %s", fmt_span(f->exhaust_at -
		    f->t_last, a, sizeof(a)));
		break;
	case FC_BEYOND:
		if (f->exhaust_at != 0)
			snprintf(buf, len, "at this rate on %s",
			    fmt_date(f->exhaust_at, a, sizeof(a)));
		break;
	case FC_NO_DATA:
		snprintf(buf, len, "not in the history");
		break;
	default:
		break;
	}
	o = strlen(buf);
	if (f->last_reset != 0 && o + 2 < len)
		snprintf(buf + o, len - o, "%ssince reset %s", o ? "; " : "",
		    fmt_datetime(f->last_reset, b, sizeof(b)));
}

static const char *
reached_text(const struct forecast_result *f, char *buf, size_t len)
{
	switch (f->state) {
	case FC_NO_DATA:
		return "-";
	case FC_TOO_LITTLE:
		return "too little data";
	case FC_NO_LIMIT:
		return "no limit";
	case FC_EXHAUSTED:
		return "reached";
	case FC_NOT_GROWING:
		return "not growing";
	case FC_BEYOND:
		return "beyond horizon";
	case FC_EXHAUSTS:
		return fmt_date(f->exhaust_at, buf, len);
	}
	return "-";
}

static int
print_table(const struct command *self, const struct history *h, const struct forecast_result *res,
    size_t nres, const struct fc_cli *c, struct globals *g)
{
	struct table *t;
	char err[512], b[128];
	bool utf8 = env_utf8();

	/*
	 * libsmartcols escapes bytes the C locale cannot print; the block
	 * characters need a UTF-8 LC_CTYPE (numbers stay LC_NUMERIC=C).
	 */
	if (utf8 && setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		utf8 = false;

	t = table_new(fc_cols, sizeof(fc_cols) / sizeof(fc_cols[0]),
	    g->columns, &g->view, err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	for (size_t i = 0; i < nres; i++) {
		const struct forecast_result *f = &res[i];

		table_row(t);
		table_cell(t, C_RESOURCE, resource_table[f->id].name);
		table_cell(t, C_USED, f->state == FC_NO_DATA ? "-" :
		    render_resource_value(&resource_table[f->id], f->used, g->bytes, b, sizeof(b)));
		table_cell(t, C_LIMIT, f->state == FC_NO_DATA ||
		    !f->has_limit ? "-" : render_limit_value(
		    &resource_table[f->id], f->limit, f->limit_signed,
		    f->limit_held, g->bytes, b, sizeof(b)));
		spark(h, f, c->fo.window_s, utf8, b, sizeof(b));
		table_cell(t, C_TREND, b);
		table_cell(t, C_GROWTH, f->has_trend ? fmt_rate(f->id,
		    f->slope, g->bytes, b, sizeof(b)) : "-");
		table_cell(t, C_REACHED, reached_text(f, b, sizeof(b)));
		if (f->state == FC_EXHAUSTS || (f->state == FC_BEYOND &&
		    f->exhaust_early != 0 && f->exhaust_early <= f->t_last +
		    c->fo.horizon_s)) {
			char e[32], l[32];

			snprintf(b, sizeof(b), "%s..%s",
			    fmt_date(f->exhaust_early, e, sizeof(e)),
			    f->exhaust_late && f->exhaust_late <= f->t_last +
			    c->fo.horizon_s ? fmt_date(f->exhaust_late, l,
			    sizeof(l)) : "later");
			table_cell(t, C_BAND, b);
		} else {
			table_cell(t, C_BAND, "-");
		}
		note_text(f, b, sizeof(b));
		table_cell(t, C_NOTE, b);
		if (f->state == FC_EXHAUSTED)
			table_row_color(t, 2);
		else if (f->state == FC_EXHAUSTS)
			table_row_color(t, f->exhaust_at - f->t_last <
			    30 * 86400 ? 2 : 1);
	}
	return table_print_free(t) < 0 ? EXIT_FAIL : EXIT_OK;
}

static void
set_time_or_null(json_t *o, const char *key, int64_t t)
{
	json_set_time(o, key, t);
}

static void
set_rate(json_t *o, const char *key, bool has, double per_s)
{
	json_object_set_new(o, key, has ? json_real(per_s * 86400) :
	    json_null());
}

static int
print_json(const char *path, const struct history *h,
    const struct forecast_result *res, size_t nres, const struct fc_cli *c,
    int64_t now)
{
	json_t *root = render_envelope("forecast", NULL, now);
	json_t *hist = json_object(), *m = json_object(), *arr = json_array();

	json_object_set_new(hist, "path", json_string(path));
	json_object_set_new(hist, "samples", json_integer((json_int_t)h->n));
	json_object_set_new(hist, "skipped_lines",
	    json_integer((json_int_t)h->nbad));
	set_time_or_null(hist, "first", h->n ? h->s[0].t : 0);
	set_time_or_null(hist, "last", h->n ? h->s[h->n - 1].t : 0);
	json_object_set_new(root, "history", hist);
	json_object_set_new(m, "estimator", json_string("theil-sen"));
	json_object_set_new(m, "band", json_string("sen-rank-90"));
	json_object_set_new(m, "window_seconds",
	    json_integer(c->fo.window_s));
	json_object_set_new(m, "horizon_seconds",
	    json_integer(c->fo.horizon_s));
	json_object_set_new(m, "min_samples",
	    json_integer((json_int_t)c->fo.min_samples));
	json_object_set_new(m, "min_span_seconds",
	    json_integer(c->fo.min_span_s));
	json_object_set_new(m, "max_pairs",
	    json_integer((json_int_t)c->fo.max_pairs));
	json_object_set_new(root, "method", m);
	for (size_t i = 0; i < nres; i++) {
		const struct forecast_result *f = &res[i];
		json_t *o = json_object();

		json_object_set_new(o, "resource",
		    json_string(resource_table[f->id].name));
		json_object_set_new(o, "unit",
		    json_string(resource_table[f->id].unit));
		json_object_set_new(o, "state",
		    json_string(forecast_state_names[f->state]));
		if (f->state == FC_NO_DATA) {
			json_array_append_new(arr, o);
			continue;
		}
		set_time_or_null(o, "last_sample_at", f->t_last);
		json_set_u64(o, "used", f->used);
		if (f->limit_signed)
			json_object_set_new(o, "limit",
			    json_integer(f->limit_held));
		else if (f->has_limit)
			json_set_u64(o, "limit", f->limit);
		else
			json_object_set_new(o, "limit", json_null());
		set_time_or_null(o, "fit_from", f->fit_from);
		json_object_set_new(o, "samples_used",
		    json_integer((json_int_t)f->nfit));
		json_object_set_new(o, "resets",
		    json_integer((json_int_t)f->nresets));
		set_time_or_null(o, "last_reset_at", f->last_reset);
		set_rate(o, "growth_per_day", f->has_trend, f->slope);
		set_rate(o, "growth_per_day_low", f->has_trend, f->slope_lo);
		set_rate(o, "growth_per_day_high", f->has_trend, f->slope_hi);
		json_object_set_new(o, "pairs_exact", f->has_trend ?
		    json_boolean(f->exact) : json_null());
		set_time_or_null(o, "exhausted_at", f->exhaust_at);
		set_time_or_null(o, "exhausted_earliest", f->exhaust_early);
		set_time_or_null(o, "exhausted_latest", f->exhaust_late);
		json_object_set_new(o, "days_left", f->exhaust_at ?
		    json_real((double)(f->exhaust_at - f->t_last) / 86400) :
		    json_null());
		if (f->state == FC_TOO_LITTLE) {
			json_object_set_new(o, "needs_samples",
			    json_integer((json_int_t)f->need_samples));
			json_object_set_new(o, "needs_seconds",
			    json_integer(f->need_span_s));
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "resources", arr);
	return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
write_plot(const struct globals *g, const char *file, const char *path,
    const struct history *h, const struct forecast_result *res, size_t nres,
    const struct fc_cli *c)
{
	struct svgplot_opts so = { c->fo.window_s, c->fo.horizon_s, path };
	char *buf = NULL, err[8192];
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int r;

	if (fp == NULL) {
		snprintf(err, sizeof(err), "cannot draw the plot: %s",
		    strerror(errno));
		return cli_fail(g, err);
	}
	r = svgplot_write(fp, h, res, nres, &so);
	if (fclose(fp) != 0 || r < 0) {
		free(buf);
		snprintf(err, sizeof(err), "cannot draw the plot: %s",
		    strerror(errno));
		return cli_fail(g, err);
	}
	r = outfile_write(file, buf, len, 0644, err, sizeof(err));
	free(buf);
	if (r < 0)
		return cli_fail(g, err);
	return EXIT_OK;
}

static void
warn_history(const struct globals *g, const char *path,
    const struct history *h)
{
	uint64_t shown = h->nbad < HISTORY_BAD_KEEP ? h->nbad :
	    HISTORY_BAD_KEEP;

	for (uint64_t i = 0; i < shown; i++)
		cli_warn(g, "history '%s' line %" PRIu64 " skipped: %s", path,
		    h->bad[i].line, h->bad[i].why);
	if (h->nbad > shown)
		cli_warn(g, "history '%s': %" PRIu64 " more unreadable lines "
		    "skipped", path, h->nbad - shown);
	if (h->truncated)
		cli_warn(g, "history '%s' has more than %u samples; the rest "
		    "is ignored", path, HISTORY_SAMPLES_MAX);
}

static int
cmd_forecast(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct fc_cli c;
	struct history h;
	struct forecast_result res[R_COUNT];
	char path[4096], err[8192];
	size_t nres = 0;
	bool done;
	int idx, status;

	memset(&c, 0, sizeof(c));
	forecast_opts_default(&c.fo);
	status = cli_parse(self, argc, argv, g, fc_opt, &c, &idx, &done);
	if (status != 0 || done)
		return status;
	if (c.fo.window_s < c.fo.min_span_s)
		return cli_usage_error(self, "'--window %s' is shorter than "
		    "--min-span %s: no resource could ever have enough "
		    "history (widen --window or lower --min-span)",
		    c.window ? c.window : "30d",
		    c.min_span ? c.min_span : "1d");
	if (c.history != NULL)
		snprintf(path, sizeof(path), "%s", c.history);
	else if (statedir_file_read(statedir_getenv, geteuid(), HISTFILE_NAME,
	    STATEDIR_SYSTEM, path, sizeof(path), err, sizeof(err)) < 0)
		return cli_fail(g, err);
	history_init(&h);
	if (histfile_load(path, &h, err, sizeof(err)) < 0) {
		history_release(&h);
		return cli_fail(g, err);
	}
	warn_history(g, path, &h);
	history_sort(&h);
	if (h.n == 0) {
		snprintf(err, sizeof(err), "history '%s' holds no samples (run "
		    "'ipctune record' a few times, or enable "
		    "ipctune-record.timer)", path);
		history_release(&h);
		return cli_fail(g, err);
	}
	if ((int64_t)time(NULL) - h.s[h.n - 1].t > STALE_AFTER) {
		char a[32];

		cli_warn(g, "the newest sample in '%s' is %s old; dates are "
		    "projected from it (is ipctune-record.timer running?)",
		    path, fmt_span((int64_t)time(NULL) - h.s[h.n - 1].t, a,
		    sizeof(a)));
	}
	for (int r = 0; r < R_COUNT; r++) {
		if (c.only != 0 && !(c.only & (1u << r)))
			continue;
		forecast_resource(&h, r, &c.fo, &res[nres]);
		/* without --resource, rows that were never recorded go */
		if (c.only == 0 && res[nres].state == FC_NO_DATA)
			continue;
		nres++;
	}
	if (c.plot != NULL)
		status = write_plot(g, c.plot, path, &h, res, nres, &c);
	if (status == EXIT_OK)
		status = g->format == FMT_JSON ? print_json(path, &h, res,
		    nres, &c, g->view.now) : print_table(self, &h, res, nres,
		    &c, g);
	history_release(&h);
	return status;
}

const struct command cmd_forecast_entry = {
	.name = "forecast", .fn = cmd_forecast,
	.summary = "projected exhaustion per resource from the history",
	.opts = cmd_forecast_opts, .flags = CMD_FORMATS_JSON,
	.colsets = cmd_forecast_columns
};
