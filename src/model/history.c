/*
 * history.c: the usage history as JSON Lines.  Formatting, a strict and
 * bounded parser for lines read back (the file is outside input: a crash
 * can leave a torn line, anyone can edit it), sorting, retention and
 * hourly compaction.  No I/O here; histfile.c reads and writes the file.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "xmalloc.h"

/* Sample times accepted: the epoch up to the end of year 9999. */
#define HISTORY_T_MAX 253402300799ll
/* Unknown keys may hold arrays of at most this many values. */
#define HISTORY_ARRAY_MAX 8

void
history_init(struct history *h)
{
	memset(h, 0, sizeof(*h));
}

void
history_release(struct history *h)
{
	free(h->s);
	free(h->part);
	history_init(h);
}

/*
 * The resources that are kernel.sem fields.  The kernel holds each in an
 * int (ipc/ipc_sysctl.c: proc_dointvec on sem_ctls), so a negative one
 * is legal to write and is kept in the history as held.
 */
static const struct {
	int r;
	enum sem_field k;
} sem_rows[] = {
	{ R_SEMMSL, SEM_SEMMSL }, { R_SEMMNS, SEM_SEMMNS },
	{ R_SEMOPM, SEM_SEMOPM }, { R_SEMMNI, SEM_SEMMNI },
};
#define SEM_ROWS (sizeof(sem_rows) / sizeof(sem_rows[0]))

/* The kernel.sem field resource R is, or -1. */
static int
sem_field(int r)
{
	for (size_t i = 0; i < SEM_ROWS; i++)
		if (sem_rows[i].r == r)
			return (int)sem_rows[i].k;
	return -1;
}

int64_t
history_limit_held(const struct hist_sample *s, int r)
{
	int k = sem_field(r);

	if (k < 0 || !(s->limit_signed & s->has_limit & (1u << r)))
		return 0;
	return s->sem_held[k];
}

/* Whether HELD is a negative int, as a kernel.sem field holds one. */
static bool
held_ok(int64_t held)
{
	return held < 0 && held >= INT_MIN;
}

/*
 * The signed limit HELD of R, field K of kernel.sem, into S, with the
 * value the kernel applies.
 */
static void
put_held(struct hist_sample *s, int r, int k, int64_t held)
{
	s->has_limit |= 1u << r;
	s->limit_signed |= 1u << r;
	s->sem_held[k] = (int32_t)held;
	s->limit[r] = sysctl_effective(SC_SEM, k, (uint64_t)held);
}

void
history_set_limit(struct hist_sample *s, int r, uint64_t limit,
    bool is_signed, int64_t held)
{
	int k = sem_field(r);

	s->limit_signed &= ~(1u << r);
	if (k >= 0) {
		s->sem_held[k] = 0;
		if (is_signed && held_ok(held)) {
			put_held(s, r, k, held);
			return;
		}
	}
	s->has_limit |= 1u << r;
	s->limit[r] = limit;
}

int
history_format(const struct hist_sample *s, char *buf, size_t len)
{
	size_t o = 0;
	int n;

#define PUT(...) do { \
	n = snprintf(buf + o, len - o, __VA_ARGS__); \
	if (n < 0 || (size_t)n >= len - o) \
		return -1; \
	o += (size_t)n; \
} while (0)
	if (len == 0)
		return -1;
	PUT("{\"v\":%d,\"t\":%" PRId64, HISTORY_VERSION, s->t);
	if (s->ns_inode != 0)
		PUT(",\"ns\":%" PRIu64, s->ns_inode);
	for (int r = 0; r < R_COUNT; r++) {
		if (!(s->has_used & (1u << r)))
			continue;
		PUT(",\"%s\":[%" PRIu64 ",", resource_table[r].name,
		    s->used[r]);
		if ((s->has_limit & s->limit_signed) & (1u << r))
			PUT("%" PRId64 "]", history_limit_held(s, r));
		else if (s->has_limit & (1u << r))
			PUT("%" PRIu64 "]", s->limit[r]);
		else
			PUT("null]");
	}
	PUT("}\n");
#undef PUT
	return (int)o;
}

/* The parser's cursor over one line. */
struct cur {
	const char *p, *start, *end;
	char *why;
	size_t whylen;
};

static int
fail(struct cur *c, const char *what)
{
	snprintf(c->why, c->whylen, "%s at column %zu", what,
	    (size_t)(c->p - c->start) + 1);
	return -1;
}

static void
ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static int
expect(struct cur *c, char ch, const char *what)
{
	ws(c);
	if (c->p >= c->end || *c->p != ch)
		return fail(c, what);
	c->p++;
	return 0;
}

/* A key: lower-case letters, digits and '_', no escapes, short. */
static int
key(struct cur *c, char *buf, size_t len)
{
	size_t n = 0;

	if (expect(c, '"', "expected a key") < 0)
		return -1;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '_'))
			return fail(c, "unexpected character in a key");
		if (n + 1 >= len)
			return fail(c, "key too long");
		buf[n++] = ch;
		c->p++;
	}
	if (c->p >= c->end)
		return fail(c, "unterminated key");
	c->p++;
	buf[n] = '\0';
	return expect(c, ':', "expected ':'");
}

/*
 * A JSON integer without fraction or exponent, or null.  With NEG, a
 * '-' may lead: *NEG is set true and *V is the magnitude (the caller
 * clears *NEG); without NEG a sign is refused.
 */
static int
value(struct cur *c, uint64_t *v, bool *isnull, bool *neg)
{
	uint64_t x = 0;
	const char *d;
	bool minus = false;

	ws(c);
	*isnull = false;
	/* a digit first: the shapes below are rare, a sample is numbers */
	if (c->p >= c->end || *c->p < '0' || *c->p > '9') {
		if (c->end - c->p >= 4 && memcmp(c->p, "null", 4) == 0) {
			c->p += 4;
			*isnull = true;
			*v = 0;
			return 0;
		}
		if (neg == NULL || c->p >= c->end || *c->p != '-')
			return fail(c, "expected a number");
		minus = true;
		c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return fail(c, "expected a number");
	}
	d = c->p;
	if (*c->p == '0' && c->p + 1 < c->end && c->p[1] >= '0' &&
	    c->p[1] <= '9')
		return fail(c, "leading zero");
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, (uint64_t)(*c->p - '0'), &x)) {
			c->p = d;
			return fail(c, "number out of range");
		}
		c->p++;
	}
	if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E'))
		return fail(c, "not an integer");
	if (minus) {
		if (x == 0) {
			/* history_format() never writes -0: at the sign */
			c->p = d - 1;
			return fail(c, "negative zero");
		}
		*neg = true;
	}
	*v = x;
	return 0;
}

/* [a, b, ...] of numbers or null; at most MAX values. */
static int
array(struct cur *c, uint64_t *v, bool *isnull, size_t max, size_t *np)
{
	size_t n = 0;

	if (expect(c, '[', "expected '['") < 0)
		return -1;
	ws(c);
	if (c->p < c->end && *c->p == ']') {
		c->p++;
		*np = 0;
		return 0;
	}
	for (;;) {
		if (n >= max)
			return fail(c, "too many values");
		if (value(c, &v[n], &isnull[n], NULL) < 0)
			return -1;
		n++;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (expect(c, ']', "expected ',' or ']'") < 0)
			return -1;
		break;
	}
	*np = n;
	return 0;
}

/* The keys of one line seen so far: each may appear once. */
struct seen {
	bool v, t, ns;
	uint32_t res;		/* bit r: resource r */
};

/* The value of "v", "t" or "ns" (named by K) into S. */
static int
header_member(struct cur *c, const char *k, struct seen *seen,
    struct hist_sample *s)
{
	bool *once = k[0] == 'v' ? &seen->v : k[0] == 't' ? &seen->t :
	    &seen->ns;
	uint64_t v;
	bool isnull;

	if (*once)
		return fail(c, "duplicate key");
	*once = true;
	if (value(c, &v, &isnull, NULL) < 0)
		return -1;
	if (isnull)
		return fail(c, "null not allowed here");
	if (k[0] == 'v' && v != HISTORY_VERSION) {
		snprintf(c->why, c->whylen, "unsupported version %" PRIu64, v);
		return -1;
	}
	if (k[0] == 't') {
		if (v > (uint64_t)HISTORY_T_MAX)
			return fail(c, "time out of range");
		s->t = (int64_t)v;
	} else if (k[0] == 'n') {
		s->ns_inode = v;
	}
	return 0;
}

/*
 * The [used, limit] of resource R into S.  A negative limit is a
 * kernel.sem field as held (an int); earlier lines hold the value the
 * kernel applies instead, and read as they always did.
 */
static int
resource_member(struct cur *c, int r, struct seen *seen,
    struct hist_sample *s)
{
	uint64_t used, lim;
	bool isnull, neg = false;

	if (seen->res & (1u << r))
		return fail(c, "duplicate key");
	seen->res |= 1u << r;
	/* two values, read in line: this is most of a sample's parsing */
	if (expect(c, '[', "expected '['") < 0 ||
	    value(c, &used, &isnull, NULL) < 0)
		return -1;
	if (isnull)
		return fail(c, "expected [used, limit]");
	if (expect(c, ',', "expected [used, limit]") < 0 ||
	    value(c, &lim, &isnull, &neg) < 0 ||
	    expect(c, ']', "expected [used, limit]") < 0)
		return -1;
	s->has_used |= 1u << r;
	s->used[r] = used;
	if (isnull)
		return 0;
	if (neg) {
		int k = sem_field(r);

		if (k < 0)
			return fail(c, "negative limit");
		/* the magnitude: INT_MIN's is INT_MAX + 1 */
		if (lim > (uint64_t)INT_MAX + 1 || !held_ok(-(int64_t)lim))
			return fail(c, "limit below the int range");
		put_held(s, r, k, -(int64_t)lim);
		return 0;
	}
	s->has_limit |= 1u << r;
	s->limit[r] = lim;
	return 0;
}

/* A later version's key: same shapes, read and ignored. */
static int
skip_member(struct cur *c)
{
	uint64_t v[HISTORY_ARRAY_MAX];
	bool isnull[HISTORY_ARRAY_MAX];
	size_t n;

	if (c->p < c->end && *c->p == '[')
		return array(c, v, isnull, HISTORY_ARRAY_MAX, &n);
	return value(c, &v[0], &isnull[0], NULL);
}

int
history_parse_line(const char *line, size_t len, struct hist_sample *s,
    char *why, size_t whylen)
{
	struct cur c = { line, line, line + len, why, whylen };
	struct seen seen = { false, false, false, 0 };

	memset(s, 0, sizeof(*s));
	if (expect(&c, '{', "expected '{'") < 0)
		return -1;
	ws(&c);
	if (c.p < c.end && *c.p == '}')
		return fail(&c, "empty object");
	for (;;) {
		char k[40];
		int r, rc;

		if (key(&c, k, sizeof(k)) < 0)
			return -1;
		ws(&c);
		if (strcmp(k, "v") == 0 || strcmp(k, "t") == 0 ||
		    strcmp(k, "ns") == 0)
			rc = header_member(&c, k, &seen, s);
		else if ((r = model_resource_lookup(k)) >= 0)
			rc = resource_member(&c, r, &seen, s);
		else
			rc = skip_member(&c);
		if (rc < 0)
			return -1;
		ws(&c);
		if (c.p < c.end && *c.p == ',') {
			c.p++;
			continue;
		}
		if (expect(&c, '}', "expected ',' or '}'") < 0)
			return -1;
		break;
	}
	ws(&c);
	if (c.p != c.end)
		return fail(&c, "trailing characters");
	if (!seen.v || !seen.t) {
		snprintf(why, whylen, "missing \"%s\"", seen.v ? "t" : "v");
		return -1;
	}
	return 0;
}

void
history_add(struct history *h, const struct hist_sample *s)
{
	if (h->n >= HISTORY_SAMPLES_MAX) {
		h->truncated = true;
		return;
	}
	xgrow(&h->s, h->n, &h->cap, sizeof(*h->s));
	h->s[h->n++] = *s;
}

/*
 * A skipped line; TORN if a write cut short can leave it (a prefix of a
 * sample, ended later by the newline of a repairing append, or the last
 * line), as history_check_head accepts it at the head.
 */
static void
note_bad(struct history *h, const char *why, bool torn)
{
	if (h->nbad < HISTORY_BAD_KEEP) {
		struct hist_bad *b = &h->bad[h->nbad];

		b->line = h->lines;
		snprintf(b->why, sizeof(b->why), "%s", why);
	}
	h->nbad++;
	if (!torn && h->nforeign++ == 0) {
		h->foreign.line = h->lines;
		snprintf(h->foreign.why, sizeof(h->foreign.why), "%s", why);
	}
}

static bool
blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

/* Whether the LEN bytes at P are the start of a sample, cut short. */
static bool
sample_start(const char *p, size_t len)
{
	/* history_format() begins every line so */
	static const char start[] = "{\"v\":";
	size_t k = sizeof(start) - 1;

	return len > 0 && memcmp(p, start, len < k ? len : k) == 0;
}

int
history_check_head(const char *head, size_t len, bool whole,
    uint64_t *line, char *why, size_t whylen)
{
	const char *p = head, *end = head + len;
	struct hist_sample s;
	bool torn_first = false;
	uint64_t no = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		no++;
		*line = no;
		if (nl == NULL && !whole) {
			/* the head ends inside this line: far too long */
			snprintf(why, whylen, "line longer than %d bytes",
			    HISTORY_LINE_MAX);
			return -1;
		}
		if (blank(p, n)) {
			p = nl != NULL ? nl + 1 : end;
			continue;
		}
		if (n > HISTORY_LINE_MAX) {
			snprintf(why, whylen, "line longer than %d bytes",
			    HISTORY_LINE_MAX);
			return -1;
		}
		if (history_parse_line(p, n, &s, why, whylen) == 0)
			return 0;
		/* a write cut short: the file's last, unterminated line */
		if (nl == NULL && sample_start(p, n))
			return 0;
		/* ... or repaired: a sample must follow (once) */
		if (nl != NULL && !torn_first && sample_start(p, n)) {
			torn_first = true;
			p = nl + 1;
			continue;
		}
		return -1;
	}
	return 0;
}

/* One complete line; OVERLONG if it was cut at HISTORY_LINE_MAX. */
static void
take_line(struct history *h, const char *p, size_t len, bool overlong)
{
	struct hist_sample s;
	char why[96];

	h->lines++;
	if (overlong) {
		note_bad(h, "line longer than 4096 bytes", false);
		return;
	}
	if (blank(p, len))
		return;
	if (history_parse_line(p, len, &s, why, sizeof(why)) < 0) {
		note_bad(h, why, sample_start(p, len));
		return;
	}
	history_add(h, &s);
}

void
history_feed(struct history *h, const char *data, size_t len)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) : len;

		if (h->npart == 0 && !h->overlong && nl != NULL) {
			/* the common case: a whole line in the buffer */
			take_line(h, data, n, n > HISTORY_LINE_MAX);
		} else {
			if (h->part == NULL)
				h->part = xmalloc(HISTORY_LINE_MAX);
			if (!h->overlong && h->npart + n <= HISTORY_LINE_MAX) {
				memcpy(h->part + h->npart, data, n);
				h->npart += n;
			} else {
				h->overlong = true;
			}
			if (nl != NULL) {
				take_line(h, h->part, h->npart, h->overlong);
				h->npart = 0;
				h->overlong = false;
			}
		}
		if (nl == NULL)
			break;
		data += n + 1;
		len -= n + 1;
	}
}

void
history_finish(struct history *h)
{
	struct hist_sample s;
	char why[96];

	if (h->npart == 0 && !h->overlong)
		return;
	/* no newline at the end: a write cut short, unless it parses */
	h->lines++;
	if (h->overlong || history_parse_line(h->part, h->npart, &s, why,
	    sizeof(why)) < 0) {
		h->torn_tail = true;
		note_bad(h, h->overlong ? "incomplete last line (too long)" :
		    "incomplete last line", !h->overlong &&
		    sample_start(h->part, h->npart));
	} else {
		history_add(h, &s);
	}
	h->npart = 0;
	h->overlong = false;
}

void
history_sort(struct history *h)
{
	struct hist_sample *tmp;
	bool sorted = true;

	for (size_t i = 1; i < h->n && sorted; i++)
		sorted = h->s[i - 1].t <= h->s[i].t;
	if (sorted)
		return;
	/* bottom-up merge sort: stable, O(n log n) */
	tmp = xreallocarray(NULL, h->n, sizeof(*tmp));
	for (size_t w = 1; w < h->n; w *= 2) {
		for (size_t lo = 0; lo < h->n; lo += 2 * w) {
			size_t mid = lo + w < h->n ? lo + w : h->n;
			size_t hi = lo + 2 * w < h->n ? lo + 2 * w : h->n;
			size_t a = lo, b = mid, o = lo;

			while (a < mid && b < hi)
				tmp[o++] = h->s[b].t < h->s[a].t ?
				    h->s[b++] : h->s[a++];
			while (a < mid)
				tmp[o++] = h->s[a++];
			while (b < hi)
				tmp[o++] = h->s[b++];
		}
		memcpy(h->s, tmp, h->n * sizeof(*tmp));
	}
	free(tmp);
}

static int64_t
hour_of(int64_t t)
{
	return t >= 0 ? t / 3600 : -((-t + 3599) / 3600);
}

size_t
history_compact(struct history *h, int64_t now, int64_t keep_s,
    int64_t compact_s)
{
	int64_t cut_keep = now - keep_s, cut_compact = now - compact_s;
	size_t i = 0, w = 0, removed = 0;

	while (i < h->n) {
		struct hist_sample acc = h->s[i];
		size_t j = i + 1;

		if (acc.t < cut_keep) {
			i++;
			removed++;
			continue;
		}
		if (acc.t >= cut_compact) {
			h->s[w++] = h->s[i++];
			continue;
		}
		/* one sample per clock hour: the peak, the last limit */
		while (j < h->n && h->s[j].t < cut_compact &&
		    hour_of(h->s[j].t) == hour_of(acc.t) &&
		    h->s[j].ns_inode == acc.ns_inode) {
			const struct hist_sample *x = &h->s[j];

			for (int r = 0; r < R_COUNT; r++) {
				uint32_t bit = 1u << r;

				if ((x->has_used & bit) && (!(acc.has_used &
				    bit) || x->used[r] > acc.used[r]))
					acc.used[r] = x->used[r];
				if (x->has_limit & bit)
					acc.limit[r] = x->limit[r];
			}
			for (size_t k = 0; k < SEM_ROWS; k++)
				if (x->has_limit & (1u << sem_rows[k].r))
					acc.sem_held[sem_rows[k].k] =
					    x->sem_held[sem_rows[k].k];
			acc.has_used |= x->has_used;
			/* the last limit: signed as that sample held it */
			acc.limit_signed = (acc.limit_signed & ~x->has_limit) |
			    (x->limit_signed & x->has_limit);
			acc.has_limit |= x->has_limit;
			acc.t = x->t;
			j++;
		}
		removed += j - i - 1;
		h->s[w++] = acc;
		i = j;
	}
	h->n = w;
	return removed;
}
