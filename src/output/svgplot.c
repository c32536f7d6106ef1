/*
 * svgplot.c: draws the forecast as one self-contained SVG document, one
 * chart per resource: the usage history (per pixel column its low and
 * high), the limit, the fitted trend, its projection with the 90% band,
 * resets and the projected date, with dated axes and a legend.  It only
 * writes to the stream it is given.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"
#include "svgplot.h"
#include "xmalloc.h"

#define W 800			/* document width */
#define HEAD 78			/* title, subtitle, legend */
#define PANEL 290		/* one resource */
#define ML 78			/* plot area margins inside a panel */
#define MR 24
#define MT 52
#define MB 46
#define PW (W - ML - MR)
#define PH (PANEL - MT - MB)

#define C_USE "#1f5fa8"
#define C_LIMIT "#c62828"
#define C_TREND "#e07b00"
#define C_GRID "#e3e3e3"
#define C_TEXT "#222222"
#define C_MUTED "#666666"

struct axis {
	double x0, x1;		/* seconds since the epoch */
	double y0, y1;		/* units */
	double py;		/* panel top */
};

static double
sx(const struct axis *a, double t)
{
	return ML + (t - a->x0) / (a->x1 - a->x0) * PW;
}

static double
sy(const struct axis *a, double v)
{
	return a->py + MT + PH - (v - a->y0) / (a->y1 - a->y0) * PH;
}

static void
esc(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default:
			/* control characters are not allowed in XML */
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, fp);
		}
	}
}

enum { D_DAY, D_TICK, D_MINUTE, D_UTC };

static const char *
date(int64_t t, int kind, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, len, "?");
	else if (kind == D_DAY)
		strftime(buf, len, "%Y-%m-%d", &tm);
	else if (kind == D_TICK)
		strftime(buf, len, "%m-%d %H:%M", &tm);
	else if (kind == D_MINUTE)
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	else
		strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

static bool
is_bytes(int r)
{
	return strcmp(resource_table[r].unit, "bytes") == 0;
}

/* A value for an axis label or a sentence. */
static const char *
val(int r, double v, char *buf, size_t len)
{
	if (v < 0)
		v = 0;
	if (v >= (double)SYSCTL_UNLIMITED)
		snprintf(buf, len, "unlimited");
	else if (is_bytes(r))
		render_bytes((uint64_t)llround(v), false, buf, len);
	else if (v >= 1e15)
		snprintf(buf, len, "%.3g", v);
	else
		render_count((uint64_t)llround(v), buf, len);
	return buf;
}

/* The limit of F as status shows it: a negative kernel.sem field held. */
static const char *
lim(const struct forecast_result *f, char *buf, size_t len)
{
	if (f->limit_signed) {
		snprintf(buf, len, "%" PRId64, f->limit_held);
		return buf;
	}
	return val(f->id, (double)f->limit, buf, len);
}

static const char *
rate(int r, double per_s, char *buf, size_t len)
{
	double d = per_s * 86400, a = fabs(d);
	char tmp[32];

	if (a < 0.005)
		snprintf(buf, len, "0");
	else if (is_bytes(r) && a >= 1024)
		snprintf(buf, len, "%s%s", d < 0 ? "-" : "+",
		    render_bytes((uint64_t)llround(a), false, tmp,
		    sizeof(tmp)));
	else
		snprintf(buf, len, a >= 100 ? "%+.0f" : a >= 10 ? "%+.1f" :
		    "%+.2f", d);
	return buf;
}

/* A step of 1, 2 or 5 times a power of ten (of 1024 for bytes). */
static double
nice_step(double range, int want, bool bytes)
{
	double unit = 1, raw, mag, f;

	if (bytes)
		while (range / unit >= 1024 * 4)
			unit *= 1024;
	raw = range / unit / want;
	if (raw <= 0)
		return unit;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	f = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	raw = f * mag * unit;
	/* counts are whole numbers */
	return raw < 1 ? 1 : raw;
}

static void
x_ticks(FILE *fp, const struct axis *a)
{
	static const int64_t steps[] = { 300, 600, 900, 1800, 3600,
	    3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400,
	    14 * 86400, 28 * 86400,
	    91 * 86400, 182 * 86400, 364 * 86400, 728 * 86400 };
	int64_t step = steps[0], t;
	double span = a->x1 - a->x0;
	char b[32];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step = steps[i];
		if (span / (double)step <= 6)
			break;
	}
	t = ((int64_t)a->x0 / step + 1) * step;
	for (; (double)t < a->x1; t += step) {
		double x = sx(a, (double)t);

		fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' "
		    "stroke='" C_GRID "'/>\n", x, a->py + MT, x,
		    a->py + MT + PH);
		fprintf(fp, "<text x='%.1f' y='%.1f' text-anchor='middle' "
		    "class='tick'>%s</text>\n", x, a->py + MT + PH + 15,
		    date(t, step < 86400 ? D_TICK : D_DAY, b,
		    sizeof(b)));
	}
	fprintf(fp, "<text x='%d' y='%.1f' text-anchor='middle' "
	    "class='axis'>date (UTC)</text>\n", ML + PW / 2,
	    a->py + MT + PH + 34);
}

static void
y_ticks(FILE *fp, const struct axis *a, int r)
{
	double step = nice_step(a->y1 - a->y0, 5, is_bytes(r));
	char b[32];

	for (double v = 0; v <= a->y1 + step * 1e-9; v += step) {
		double y = sy(a, v);

		fprintf(fp, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' "
		    "stroke='" C_GRID "'/>\n", ML, y, ML + PW, y);
		fprintf(fp, "<text x='%d' y='%.1f' text-anchor='end' "
		    "class='tick'>%s</text>\n", ML - 6, y + 4,
		    val(r, v, b, sizeof(b)));
	}
	fprintf(fp, "<text transform='translate(16 %.1f) rotate(-90)' "
	    "text-anchor='middle' class='axis'>%s</text>\n",
	    a->py + MT + PH / 2.0, resource_table[r].unit);
}

/* The usage line: per pixel column the first, low, high and last. */
static void
usage_line(FILE *fp, const struct history *h, const struct axis *a, int r)
{
	uint32_t bit = 1u << r;
	int col = -1;
	double lo = 0, hi = 0, last = 0;
	bool any = false;

	fprintf(fp, "<polyline fill='none' stroke='" C_USE "' "
	    "stroke-width='1.6' stroke-linejoin='round' points='");
	for (size_t i = 0; i < h->n; i++) {
		const struct hist_sample *s = &h->s[i];
		double v;
		int c;

		if (!(s->has_used & bit) || (double)s->t < a->x0 ||
		    (double)s->t > a->x1)
			continue;
		v = (double)s->used[r];
		c = (int)sx(a, (double)s->t);
		if (c != col) {
			if (any)
				fprintf(fp, "%d,%.1f %d,%.1f %d,%.1f ", col,
				    sy(a, lo), col, sy(a, hi), col,
				    sy(a, last));
			fprintf(fp, "%d,%.1f ", c, sy(a, v));
			col = c;
			lo = hi = v;
			any = true;
		}
		if (v < lo)
			lo = v;
		if (v > hi)
			hi = v;
		last = v;
	}
	if (any)
		fprintf(fp, "%d,%.1f %d,%.1f %d,%.1f", col, sy(a, lo), col,
		    sy(a, hi), col, sy(a, last));
	fprintf(fp, "'/>\n");
}

/* The limit as it was (a step line), then flat into the future. */
static void
limit_line(FILE *fp, const struct history *h, const struct axis *a, int r,
    const struct forecast_result *f)
{
	uint32_t bit = 1u << r;
	bool open = false;
	double prev = -1, y;
	char b[32];

	for (size_t i = 0; i < h->n; i++) {
		const struct hist_sample *s = &h->s[i];
		double x;

		if ((double)s->t < a->x0 || (double)s->t > a->x1 ||
		    !(s->has_used & bit))
			continue;
		x = sx(a, (double)s->t);
		if (!(s->has_limit & bit) ||
		    (double)s->limit[r] > a->y1) {
			if (open)
				fprintf(fp, "'/>\n");
			open = false;
			prev = -1;
			continue;
		}
		y = sy(a, (double)s->limit[r]);
		if (!open) {
			fprintf(fp, "<polyline fill='none' stroke='" C_LIMIT
			    "' stroke-width='2' points='%.1f,%.1f ", x, y);
			open = true;
		} else if (y != prev) {
			fprintf(fp, "%.1f,%.1f ", x, prev);
		}
		fprintf(fp, "%.1f,%.1f ", x, y);
		prev = y;
	}
	if (open)
		fprintf(fp, "'/>\n");
	if (!f->has_limit || f->limit >= SYSCTL_UNLIMITED)
		return;
	if ((double)f->limit > a->y1) {
		fprintf(fp, "<text x='%d' y='%.1f' text-anchor='end' "
		    "class='lim'>&#8593; limit %s is above this scale</text>\n",
		    ML + PW - 4, a->py + MT + 14,
		    lim(f, b, sizeof(b)));
		return;
	}
	y = sy(a, (double)f->limit);
	fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%d' y2='%.1f' stroke='"
	    C_LIMIT "' stroke-width='2' stroke-dasharray='7 4'/>\n",
	    sx(a, (double)f->t_last), y, ML + PW, y);
	/* label the limit where the projection starts, clear of the date */
	if (sx(a, (double)f->t_last) < ML + PW - 120)
		fprintf(fp, "<text x='%.1f' y='%.1f' class='lim'>limit %s"
		    "</text>\n", sx(a, (double)f->t_last) + 6, y - 5,
		    lim(f, b, sizeof(b)));
	else
		fprintf(fp, "<text x='%d' y='%.1f' text-anchor='end' "
		    "class='lim'>limit %s</text>\n", ML + PW - 4, y - 5,
		    lim(f, b, sizeof(b)));
}

static void
trend(FILE *fp, const struct axis *a, const struct forecast_result *f)
{
	double t1 = (double)f->t_last, t0 = (double)f->fit_from;
	double d = a->x1 - t1, x1 = sx(a, t1), x2 = ML + PW;

	if (!f->has_trend)
		return;
	if (d > 0) {
		fprintf(fp, "<polygon fill='" C_TREND "' fill-opacity='0.2' "
		    "stroke='none' points='%.1f,%.1f %.1f,%.1f %.1f,%.1f'/>\n",
		    x1, sy(a, f->level), x2, sy(a, f->level + f->slope_hi * d),
		    x2, sy(a, f->level + f->slope_lo * d));
		fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' "
		    "stroke='" C_TREND "' stroke-width='2' "
		    "stroke-dasharray='6 4'/>\n", x1, sy(a, f->level), x2,
		    sy(a, f->level + f->slope * d));
	}
	/* the fitted part, over the data it was fitted to */
	fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='"
	    C_TREND "' stroke-width='2'/>\n", sx(a, t0),
	    sy(a, f->level + f->slope * (t0 - t1)), x1, sy(a, f->level));
}

static void
vmark(FILE *fp, const struct axis *a, double t, const char *color,
    const char *label, const char *anchor, bool top)
{
	double x = sx(a, t);

	if (t < a->x0 || t > a->x1)
		return;
	fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s'"
	    " stroke-width='1' stroke-dasharray='2 3'/>\n", x, a->py + MT, x,
	    a->py + MT + PH, color);
	fprintf(fp, "<text x='%.1f' y='%.1f' text-anchor='%s' class='mark' "
	    "fill='%s'>", x + (anchor[0] == 'e' ? -4 : 4),
	    top ? a->py + MT + 13 : a->py + MT + PH - 6, anchor, color);
	esc(fp, label);
	fprintf(fp, "</text>\n");
}

/* One line that says what the chart shows, the answer first. */
static void
verdict(FILE *fp, const struct forecast_result *f,
    const struct svgplot_opts *o)
{
	int r = f->id;
	char a[32], b[32], c[32];
	const char *unit = resource_table[r].unit;

	switch (f->state) {
	case FC_NO_DATA:
		fprintf(fp, "no samples");
		break;
	case FC_TOO_LITTLE:
		fprintf(fp, "<tspan class='strong'>too little data for a "
		    "trend</tspan>: %zu samples since %s; needs ", f->nfit,
		    date(f->fit_from, D_MINUTE, a, sizeof(a)));
		if (f->need_samples)
			fprintf(fp, "%zu more samples%s", f->need_samples,
			    f->need_span_s ? " and " : "");
		if (f->need_span_s)
			fprintf(fp, "%.1f more hours", (double)f->need_span_s /
			    3600);
		break;
	case FC_NO_LIMIT:
		fprintf(fp, "<tspan class='strong'>no limit</tspan>; growing "
		    "%s %s/day", rate(r, f->slope, a, sizeof(a)), unit);
		break;
	case FC_EXHAUSTED:
		fprintf(fp, "<tspan class='alarm'>limit reached</tspan>: %s "
		    "of %s %s used", val(r, (double)f->used, a, sizeof(a)),
		    lim(f, b, sizeof(b)), unit);
		break;
	case FC_NOT_GROWING:
		fprintf(fp, "<tspan class='strong'>not growing</tspan> (%s "
		    "%s/day)", rate(r, f->slope, a, sizeof(a)), unit);
		break;
	case FC_BEYOND:
		fprintf(fp, "<tspan class='strong'>limit not reached within "
		    "%" PRId64 " days</tspan>; growing %s %s/day",
		    o->horizon_s / 86400, rate(r, f->slope, a, sizeof(a)),
		    unit);
		break;
	case FC_EXHAUSTS:
		fprintf(fp, "<tspan class='alarm'>limit reached ~%s, in %.0f "
		    "days</tspan>; growing %s %s/day",
		    date(f->exhaust_at, D_DAY, a, sizeof(a)),
		    (double)(f->exhaust_at - f->t_last) / 86400,
		    rate(r, f->slope, b, sizeof(b)), unit);
		date(f->exhaust_early, D_DAY, b, sizeof(b));
		if (f->exhaust_late && f->exhaust_late <= f->t_last +
		    o->horizon_s)
			date(f->exhaust_late, D_DAY, c, sizeof(c));
		else
			snprintf(c, sizeof(c), "later");
		if (strcmp(b, a) != 0 || strcmp(c, a) != 0)
			fprintf(fp, "; 90%% band %s to %s", b, c);
		break;
	}
}

/*
 * The axes of resource F's panel at PY: the window of history with usage,
 * a stretch of future, and a value range that holds the data, the
 * projection and (unless it would flatten them) the limit.  Returns the
 * stretch of future in seconds.
 */
static double
panel_axis(const struct history *h, const struct forecast_result *f,
    const struct svgplot_opts *o, double py, struct axis *a)
{
	int r = f->id;
	uint32_t bit = 1u << r;
	double first = (double)f->t_last, vmax = 0, fut, top;

	for (size_t i = 0; i < h->n; i++)
		if ((h->s[i].has_used & bit) && h->s[i].t >= f->t_last -
		    o->window_s) {
			if ((double)h->s[i].t < first)
				first = (double)h->s[i].t;
			if ((double)h->s[i].used[r] > vmax)
				vmax = (double)h->s[i].used[r];
		}
	/* future: a third of the history, or out to the projected date */
	fut = f->has_trend ? ((double)f->t_last - first) / 3 : 0;
	if (f->state == FC_EXHAUSTS) {
		double end = (double)(f->exhaust_late && f->exhaust_late <=
		    f->t_last + o->horizon_s ? f->exhaust_late : f->t_last +
		    o->horizon_s);

		if (end - (double)f->t_last > fut)
			fut = end - (double)f->t_last;
		fut *= 1.06;
	}
	if (fut > (double)o->horizon_s)
		fut = (double)o->horizon_s;
	a->x0 = first;
	a->x1 = (double)f->t_last + fut;
	if (a->x1 - a->x0 < 3600) {
		a->x0 = a->x1 - 3600;
	}
	a->y0 = 0;
	a->py = py;
	top = vmax;
	if (f->has_trend && fut > 0) {
		double p = f->level + f->slope_hi * fut;

		if (p > top)
			top = p;
	}
	/* the limit is drawn to scale unless it would flatten the data */
	if (f->has_limit && f->limit < SYSCTL_UNLIMITED &&
	    ((double)f->limit <= 4 * top || f->state == FC_EXHAUSTS ||
	    f->state == FC_EXHAUSTED))
		top = top > (double)f->limit ? top : (double)f->limit;
	if (top < 1)
		top = 1;
	a->y1 = ceil(top * 1.08 / nice_step(top * 1.08, 5, is_bytes(r))) *
	    nice_step(top * 1.08, 5, is_bytes(r));
	return fut;
}

/* The panel's title (resource, description, sysctl) and verdict line. */
static void
panel_title(FILE *fp, const struct forecast_result *f,
    const struct svgplot_opts *o, double py)
{
	const struct resource_desc *d = &resource_table[f->id];

	fprintf(fp, "<text x='%d' y='%.1f'><tspan class='ptitle'>%s"
	    "</tspan><tspan class='psub' dx='10'>", ML, py + 20, d->name);
	esc(fp, d->description);
	if (d->sysctl[0]) {
		fprintf(fp, " (");
		esc(fp, d->sysctl);
		fprintf(fp, ")");
	}
	fprintf(fp, "</tspan></text>\n");
	fprintf(fp, "<text x='%d' y='%.1f' class='verdict'>", ML, py + 39);
	verdict(fp, f, o);
	fprintf(fp, "</text>\n");
}

/* Where the trend meets the limit: the band, the point and its date. */
static void
exhaust_mark(FILE *fp, const struct axis *a, const struct forecast_result *f)
{
	double yl = sy(a, (double)f->limit);
	double xe = sx(a, (double)f->exhaust_early);
	double xl = f->exhaust_late ? sx(a, (double)f->exhaust_late) :
	    ML + PW;
	char text[160], b[32];

	fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' "
	    "stroke='" C_LIMIT "' stroke-width='7' "
	    "stroke-opacity='0.35'/>\n", xe, yl, xl, yl);
	fprintf(fp, "<circle cx='%.1f' cy='%.1f' r='4.5' fill='"
	    C_LIMIT "'/>\n", sx(a, (double)f->exhaust_at), yl);
	snprintf(text, sizeof(text), "limit reached ~%s",
	    date(f->exhaust_at, D_DAY, b, sizeof(b)));
	vmark(fp, a, (double)f->exhaust_at, C_LIMIT, text,
	    sx(a, (double)f->exhaust_at) > ML + PW * 0.6 ? "end" : "start",
	    false);
}

static void
panel(FILE *fp, const struct history *h, const struct forecast_result *f,
    const struct svgplot_opts *o, double py, int idx)
{
	int r = f->id;
	struct axis a;
	double fut = panel_axis(h, f, o, py, &a);

	fprintf(fp, "<g id='panel-%s'>\n", resource_table[r].name);
	fprintf(fp, "<clipPath id='clip%d'><rect x='%d' y='%.1f' width='%d' "
	    "height='%d'/></clipPath>\n", idx, ML, py + MT, PW, PH);
	panel_title(fp, f, o, py);
	fprintf(fp, "<rect x='%d' y='%.1f' width='%d' height='%d' "
	    "fill='#ffffff' stroke='#bbbbbb'/>\n", ML, py + MT, PW, PH);
	x_ticks(fp, &a);
	y_ticks(fp, &a, r);
	fprintf(fp, "<g clip-path='url(#clip%d)'>\n", idx);
	if (f->has_trend && fut > 0)
		vmark(fp, &a, (double)f->t_last, C_MUTED, "last sample",
		    "end", false);
	if (f->last_reset != 0)
		vmark(fp, &a, (double)f->last_reset, C_MUTED,
		    "reset: older samples not used",
		    "start", true);
	trend(fp, &a, f);
	limit_line(fp, h, &a, r, f);
	usage_line(fp, h, &a, r);
	/* the band where the trend meets the limit */
	if (f->state == FC_EXHAUSTS)
		exhaust_mark(fp, &a, f);
	fprintf(fp, "</g>\n</g>\n");
}

static void
legend(FILE *fp, double y)
{
	double x = ML;

	fprintf(fp, "<line x1='%.0f' y1='%.0f' x2='%.0f' y2='%.0f' stroke='"
	    C_USE "' stroke-width='2'/><text x='%.0f' y='%.0f' "
	    "class='leg'>usage (recorded)</text>\n", x, y, x + 22, y, x + 28,
	    y + 4);
	x += 150;
	fprintf(fp, "<line x1='%.0f' y1='%.0f' x2='%.0f' y2='%.0f' stroke='"
	    C_LIMIT "' stroke-width='2' stroke-dasharray='7 4'/><text "
	    "x='%.0f' y='%.0f' class='leg'>limit</text>\n", x, y, x + 22, y,
	    x + 28, y + 4);
	x += 80;
	fprintf(fp, "<line x1='%.0f' y1='%.0f' x2='%.0f' y2='%.0f' stroke='"
	    C_TREND "' stroke-width='2'/><text x='%.0f' y='%.0f' "
	    "class='leg'>trend (Theil-Sen) and projection</text>\n", x, y,
	    x + 22, y, x + 28, y + 4);
	x += 250;
	fprintf(fp, "<rect x='%.0f' y='%.0f' width='22' height='10' fill='"
	    C_TREND "' fill-opacity='0.2'/><text x='%.0f' y='%.0f' "
	    "class='leg'>90%% band</text>\n", x, y - 5, x + 28, y + 4);
}

int
svgplot_write(FILE *fp, const struct history *h,
    const struct forecast_result *res, size_t nres,
    const struct svgplot_opts *o)
{
	int height;
	char b[32];
	size_t k = 0, shown = 0;

	for (size_t i = 0; i < nres; i++)
		if (res[i].state != FC_NO_DATA)
			shown++;
	height = HEAD + (int)shown * PANEL + 10;

	fprintf(fp, "<?xml version='1.0' encoding='UTF-8'?>\n"
	    "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
	    "viewBox='0 0 %d %d' font-family='DejaVu Sans, Arial, "
	    "Helvetica, sans-serif'>\n", W, height, W, height);
	fprintf(fp, "<title>ipctune forecast</title>\n<style>\n"
	    ".title{font-size:19px;font-weight:bold;fill:" C_TEXT "}\n"
	    ".sub{font-size:12px;fill:" C_MUTED "}\n"
	    ".ptitle{font-size:15px;font-weight:bold;fill:" C_TEXT "}\n"
	    ".psub{font-size:12px;fill:" C_MUTED "}\n"
	    ".verdict{font-size:12.5px;fill:" C_TEXT "}\n"
	    ".alarm{fill:" C_LIMIT ";font-weight:bold}\n"
	    ".strong{font-weight:bold}\n"
	    ".tick{font-size:10.5px;fill:" C_MUTED "}\n"
	    ".axis{font-size:11px;fill:" C_MUTED "}\n"
	    ".lim{font-size:11px;fill:" C_LIMIT "}\n"
	    ".mark{font-size:10.5px}\n"
	    ".leg{font-size:12px;fill:" C_TEXT "}\n"
	    "</style>\n");
	fprintf(fp, "<rect width='100%%' height='100%%' fill='#fafafa'/>\n");
	fprintf(fp, "<text x='%d' y='26' class='title'>IPC limits: when do "
	    "they run out?</text>\n", ML);
	fprintf(fp, "<text x='%d' y='45' class='sub'>", ML);
	if (o->subtitle != NULL) {
		fprintf(fp, "history ");
		esc(fp, o->subtitle);
		fprintf(fp, "; ");
	}
	fprintf(fp, "last %" PRId64 " days of samples, projected up to %"
	    PRId64 " days; newest sample %s</text>\n", o->window_s / 86400,
	    o->horizon_s / 86400, h->n ? date(h->s[h->n - 1].t,
	    D_UTC, b, sizeof(b)) : "-");
	legend(fp, 66);
	for (size_t i = 0; i < nres; i++) {
		if (res[i].state == FC_NO_DATA)
			continue;
		panel(fp, h, &res[i], o, HEAD + (double)k * PANEL, (int)i);
		k++;
	}
	fprintf(fp, "</svg>\n");
	return ferror(fp) ? -1 : 0;
}
