/*
 * monplugin.c: judges the resource rows the way a monitoring plugin does
 * (monitoring-plugins developer guidelines): threshold ranges, critical
 * checked before warning, the worst state wins, one status line with
 * perfdata.  Pure: it formats into the caller's buffer and prints nothing.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monplugin.h"
#include "textesc.h"

const char *const mp_state_names[4] = {
	[MP_OK] = "OK",
	[MP_WARNING] = "WARNING",
	[MP_CRITICAL] = "CRITICAL",
	[MP_UNKNOWN] = "UNKNOWN",
};

static void
add_note(struct mp_result *res, enum mp_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Worst first: CRITICAL, UNKNOWN, WARNING, OK (max_state_alt()). */
static int
rank(enum mp_state s)
{
	static const int r[4] = { [MP_OK] = 0, [MP_WARNING] = 1,
	    [MP_UNKNOWN] = 2, [MP_CRITICAL] = 3 };

	return r[s];
}

static enum mp_state
worst(enum mp_state a, enum mp_state b)
{
	return rank(a) >= rank(b) ? a : b;
}

/* One number of a range: digits, '.', a sign; an optional '%'. */
static int
parse_num(const char *s, size_t n, double *v, bool *pct)
{
	char buf[64], *end;

	*pct = n > 0 && s[n - 1] == '%';
	if (*pct)
		n--;
	if (n == 0 || n >= sizeof(buf) || strspn(s, "0123456789.-+") < n)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtod(buf, &end);
	return *end == '\0' ? 0 : -1;
}

int
monplugin_range_parse(const char *s, struct mp_range *r, char *err,
    size_t errlen)
{
	const char *p = s, *colon;
	bool pct_start = false, pct_end = false, has_start = false;

	memset(r, 0, sizeof(*r));
	if (*p == '@') {
		r->inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		/* "10": alert outside 0..10 */
		if (parse_num(p, strlen(p), &r->end, &pct_end) < 0)
			goto bad;
	} else {
		if (colon == p + 1 && *p == '~')
			r->start_inf = true;
		else if (colon > p) {
			if (parse_num(p, (size_t)(colon - p), &r->start,
			    &pct_start) < 0)
				goto bad;
			has_start = true;
		}
		if (colon[1] == '\0')
			r->end_inf = true;
		else if (parse_num(colon + 1, strlen(colon + 1), &r->end,
		    &pct_end) < 0)
			goto bad;
	}
	if (has_start && !r->end_inf && pct_start != pct_end) {
		snprintf(err, errlen, "invalid threshold '%s': mixes percent "
		    "and absolute values", s);
		return -1;
	}
	r->percent = pct_start || pct_end;
	if (!r->start_inf && !r->end_inf && r->start > r->end) {
		snprintf(err, errlen, "invalid threshold '%s': the start is "
		    "above the end", s);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "invalid threshold '%s' (use N, N:, ~:N, N:M "
	    "or @N:M, each N a number or a percentage like 80%%)", s);
	return -1;
}

bool
monplugin_range_alert(const struct mp_range *r, double v)
{
	bool outside = (!r->start_inf && v < r->start) ||
	    (!r->end_inf && v > r->end);

	return r->inside ? !outside : outside;
}

bool
monplugin_default_resource(int i)
{
	/* shmmax, semmsl, semopm, msgmax and the POSIX queue attribute
	 * caps cap one object, they never fill up; the rest run out */
	return i != R_SHMMAX && i != R_SEMMSL && i != R_SEMOPM &&
	    i != R_MSGMAX && i != R_MQUEUE_MSG_MAX &&
	    i != R_MQUEUE_MSGSIZE_MAX;
}

static double
pct_of(const struct resource *r)
{
	return r->ratio * 100.0;
}

void
monplugin_evaluate(const struct model *m, const struct mp_opts *o,
    struct mp_result *res)
{
	memset(res, 0, sizeof(*res));
	res->state = MP_OK;
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &m->res[i];
		struct mp_item *it;
		double vw, vc;

		if (!o->selected[i])
			continue;
		if (!r->has_ratio && !o->explicit_selection)
			continue;
		it = &res->items[res->nitems++];
		it->resource = i;
		if (!r->has_ratio) {
			it->state = MP_UNKNOWN;
			res->state = worst(res->state, it->state);
			continue;
		}
		it->percent = pct_of(r);
		vw = o->warn.percent ? it->percent : (double)r->used;
		vc = o->crit.percent ? it->percent : (double)r->used;
		it->value = vc;
		/* critical is checked before warning */
		if (monplugin_range_alert(&o->crit, vc))
			it->state = MP_CRITICAL;
		else if (monplugin_range_alert(&o->warn, vw))
			it->state = MP_WARNING;
		else
			it->state = MP_OK;
		res->state = worst(res->state, it->state);
	}
	/* dest segments holding half of a limit (model.c dest_finding) */
	if (m->dest.warn && (o->selected[R_SHMMNI] || o->selected[R_SHMALL]))
		add_note(res, MP_WARNING, "%" PRIu64 " segments marked for "
		    "removal but still attached (%" PRIu64 " attaches) hold "
		    "%" PRIu64 " of %" PRIu64 " shmmni segments and %" PRIu64
		    " of %" PRIu64 " shmall pages: ipctune orphans -a",
		    m->dest.segments, m->dest.nattch, m->dest.segments,
		    m->res[R_SHMMNI].limit, m->dest.pages,
		    m->res[R_SHMALL].limit);
	/*
	 * a cap that admits nothing (model.c zero_cap_findings): every
	 * call it bounds fails, whether or not the cap is a row checked
	 */
	for (size_t i = 0; i < m->nfindings; i++) {
		const struct finding *f = &m->findings[i];
		int r = f->resource ? model_resource_lookup(f->resource) : -1;

		if (strcmp(f->code, "limit_admits_nothing") == 0 && r >= 0 &&
		    (!o->explicit_selection || o->selected[r]))
			add_note(res, MP_CRITICAL, "%s", f->text);
	}
	if (res->nitems == 0)
		res->state = MP_UNKNOWN;
}

static void
add_note(struct mp_result *res, enum mp_state st, const char *fmt, ...)
{
	va_list ap;

	if (res->nnotes >= MP_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(res->notes[res->nnotes], sizeof(res->notes[0]), fmt, ap);
	va_end(ap);
	res->note_state[res->nnotes++] = st;
	res->state = worst(res->state, st);
}

void
monplugin_add_orphans(struct mp_result *res, const struct mp_orphans *o)
{
	char text[sizeof(res->notes[0])];
	size_t off = 0;

	res->has_orphans = true;
	res->orphans = *o;
	text[0] = '\0';
	for (int k = 0; k < IPC_NTYPES; k++) {
		const struct ipc_type_desc *d = &ipctype_table[k];
		uint64_t n = o->n[k];
		int w;

		if (n == 0)
			continue;
		w = snprintf(text + off, sizeof(text) - off, "%s%" PRIu64
		    " orphaned %s (%s)", off ? ", " : "", n, d->posix ?
		    (n == 1 ? d->singular : d->plural) : n == 1 ?
		    d->short_singular : d->short_plural,
		    resource_table[d->limit].name);
		if (w < 0 || (size_t)w >= sizeof(text) - off)
			break;
		off += (size_t)w;
	}
	if (off > 0)
		add_note(res, MP_WARNING, "%s, see 'ipctune orphans'", text);
}

void
monplugin_add_removeipc(struct mp_result *res, size_t n, unsigned sys_uid_max)
{
	add_note(res, MP_WARNING, "systemd-logind RemoveIPC=yes removes %zu "
	    "IPC object%s of users above uid %u at their logout: set "
	    "RemoveIPC=no or use a system uid", n, n == 1 ? "" : "s",
	    sys_uid_max);
}

void
monplugin_add_dest_stale(struct mp_result *res, size_t n, uint64_t nattch)
{
	add_note(res, MP_WARNING, "%zu segment%s marked for removal still "
	    "attached (%" PRIu64 " attach%s) after %s creator exited: "
	    "ipctune orphans -a", n, n == 1 ? "" : "s", nattch,
	    nattch == 1 ? "" : "es", n == 1 ? "its" : "their");
}

void
monplugin_add_exhaustion(struct mp_result *res, int resource, double days,
    double horizon_days)
{
	if (resource < 0 || resource >= R_COUNT || days > horizon_days)
		return;
	add_note(res, MP_WARNING, "%s projected to reach its limit in %.0f "
	    "day%s", resource_table[resource].name, days < 0 ? 0 : days,
	    days >= 0.5 && days < 1.5 ? "" : "s");
}

struct out {
	char *p;
	size_t len, off;
};

static void out_printf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->off + 1 >= o->len)
		return;
	/* notes and messages can quote names from outside: escaped */
	va_start(ap, fmt);
	n = textesc_vsnprintf(o->p + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->off += (size_t)n < o->len - o->off ? (size_t)n :
	    o->len - o->off - 1;
}

/* A perfdata number: [-0-9.] only, no exponent. */
static void
out_num(struct out *o, double v)
{
	char b[64];
	size_t n;

	snprintf(b, sizeof(b), "%.2f", v);
	n = strlen(b);
	while (n > 0 && b[n - 1] == '0')
		b[--n] = '\0';
	if (n > 0 && b[n - 1] == '.')
		b[--n] = '\0';
	out_printf(o, "%s", b);
}

/* RANGE in the resource's own unit, for perfdata. */
static void
out_range(struct out *o, const struct mp_range *r, double limit)
{
	double k = r->percent ? limit / 100.0 : 1.0;

	if (r->inside)
		out_printf(o, "@");
	if (r->start_inf)
		out_printf(o, "~:");
	else if (r->start != 0 || r->end_inf) {
		out_num(o, r->start * k);
		out_printf(o, ":");
	}
	if (!r->end_inf)
		out_num(o, r->end * k);
}

static void
out_item(struct out *o, const struct model *m, const struct mp_item *it)
{
	const struct resource *r = &m->res[it->resource];
	const struct resource_desc *d = &resource_table[it->resource];
	char b[24];

	if (it->state == MP_UNKNOWN) {
		out_printf(o, "%s usage unknown", d->name);
		return;
	}
	if (it->resource == R_MSGMNB && r->has_object_limit)
		snprintf(b, sizeof(b), "%" PRIu64, r->object_limit);
	else
		model_limit_text(r, b, sizeof(b));
	out_printf(o, "%s %.1f%% (%" PRIu64 " of %s %s", d->name,
	    it->percent, r->used, b, d->unit);
	if (d->sysctl[0] != '\0')
		out_printf(o, ", %s", d->sysctl);
	out_printf(o, ")");
}

/*
 * The status text after "IPC STATE - ": the items and notes that are not
 * OK, worst first; or, when all are, how many and the highest.
 */
static void
out_summary(struct out *o, const struct model *m,
    const struct mp_result *res)
{
	static const enum mp_state order[] = { MP_CRITICAL, MP_UNKNOWN,
	    MP_WARNING };
	const struct mp_item *top = NULL;
	bool first = true;

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		for (size_t i = 0; i < res->nitems; i++) {
			if (res->items[i].state != order[k])
				continue;
			out_printf(o, "%s", first ? "" : ", ");
			out_item(o, m, &res->items[i]);
			first = false;
		}
		for (size_t i = 0; i < res->nnotes; i++) {
			if (res->note_state[i] != order[k])
				continue;
			out_printf(o, "%s%s", first ? "" : ", ",
			    res->notes[i]);
			first = false;
		}
	}
	if (!first)
		return;
	for (size_t i = 0; i < res->nitems; i++)
		if (top == NULL || res->items[i].percent > top->percent)
			top = &res->items[i];
	if (top == NULL) {
		out_printf(o, "no resource to check");
		return;
	}
	out_printf(o, "%zu resource%s within thresholds, highest ",
	    res->nitems, res->nitems == 1 ? "" : "s");
	out_item(o, m, top);
}

/*
 * The perfdata of resource I, with the thresholds when it was judged;
 * FIRST opens the perfdata with " | ".
 */
static void
out_perf_resource(struct out *o, const struct model *m,
    const struct mp_opts *opts, const struct mp_result *res, int i,
    bool first)
{
	const struct resource *r = &m->res[i];
	const struct resource_desc *d = &resource_table[i];
	bool judged = false;
	uint64_t max = i == R_MSGMNB && r->has_object_limit ?
	    r->object_limit : r->limit;

	for (size_t k = 0; k < res->nitems; k++)
		if (res->items[k].resource == i)
			judged = true;
	out_printf(o, "%s%s=%" PRIu64 "%s;", first ? " | " : " ", d->name,
	    r->used, strcmp(d->unit, "bytes") == 0 ? "B" : "");
	if (judged)
		out_range(o, &opts->warn, (double)max);
	out_printf(o, ";");
	if (judged)
		out_range(o, &opts->crit, (double)max);
	out_printf(o, ";0;%" PRIu64, max);
}

/* Perfdata: every resource with a usage, then the orphan counts. */
static void
out_perfdata(struct out *o, const struct model *m,
    const struct mp_opts *opts, const struct mp_result *res)
{
	bool first = true;

	for (int i = 0; i < R_COUNT; i++) {
		if (!m->res[i].has_ratio || (opts->explicit_selection &&
		    !opts->selected[i]))
			continue;
		out_perf_resource(o, m, opts, res, i, first);
		first = false;
	}
	/* one orphan count per limit; any orphan is a warning ("0") */
	for (int k = 0; res->has_orphans && k < IPC_NSYSV; k++) {
		enum resource_id lim = ipctype_table[k].limit;
		const struct resource *r = &m->res[lim];

		if (opts->explicit_selection && !opts->selected[lim])
			continue;
		out_printf(o, "%sorphaned_%s=%" PRIu64 ";0;;0;", first ?
		    " | " : " ", resource_table[lim].name,
		    res->orphans.n[k]);
		if (r->has_limit)
			out_printf(o, "%" PRIu64, r->limit);
		first = false;
	}
	/*
	 * The POSIX types, each of its own (shared memory and named
	 * semaphores share dev_shm, a limit in bytes), where there are any
	 */
	for (int k = IPC_NSYSV; res->has_orphans && k < IPC_NTYPES; k++) {
		enum resource_id lim = ipctype_table[k].limit;

		if ((opts->explicit_selection && !opts->selected[lim]) ||
		    res->orphans.total[k] == 0)
			continue;
		out_printf(o, "%sorphaned_%s=%" PRIu64 ";0;;0;", first ?
		    " | " : " ", ipctype_table[k].name, res->orphans.n[k]);
		first = false;
	}
}

/* The long output: one line per problem item, then one per note. */
static void
out_long(struct out *o, const struct model *m, const struct mp_result *res)
{
	for (size_t i = 0; i < res->nitems; i++) {
		if (res->items[i].state == MP_OK)
			continue;
		out_printf(o, "%s: ", mp_state_names[res->items[i].state]);
		out_item(o, m, &res->items[i]);
		out_printf(o, "\n");
	}
	for (size_t i = 0; i < res->nnotes; i++)
		out_printf(o, "%s: %s\n", mp_state_names[res->note_state[i]],
		    res->notes[i]);
}

void
monplugin_format(const struct model *m, const struct mp_opts *opts,
    const struct mp_result *res, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	if (len == 0)
		return;
	buf[0] = '\0';
	out_printf(&o, "IPC %s - ", mp_state_names[res->state]);
	out_summary(&o, m, res);
	out_perfdata(&o, m, opts, res);
	out_printf(&o, "\n");
	out_long(&o, m, res);
}
