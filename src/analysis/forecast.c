/*
 * forecast.c: projected exhaustion of each limit.  The trend is the
 * Theil-Sen estimator (the median of the slopes between pairs of
 * samples), which ignores up to 29% of outliers where least squares
 * follows them; only the data since the last reset (reboot, limit change,
 * namespace change) is used.  Pure: no I/O, no clock, no globals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forecast.h"
#include "xmalloc.h"

const char *const forecast_state_names[] = {
	[FC_NO_DATA] = "no_data",
	[FC_TOO_LITTLE] = "too_little_data",
	[FC_NO_LIMIT] = "no_limit",
	[FC_EXHAUSTED] = "exhausted",
	[FC_NOT_GROWING] = "not_growing",
	[FC_BEYOND] = "beyond_horizon",
	[FC_EXHAUSTS] = "exhausts",
};

/* Samples whose median is the level a drop is measured against. */
#define RING 15
/* ... and at least this many of them, so a first spike is no level. */
#define RING_MIN 5
/* A drop is confirmed by the median of itself and the next samples. */
#define CONFIRM 15
#define CONFIRM_MIN 3

/* Empty sparkline cells closer than this to data are filled. */
#define SPARK_GAP 3

/* The last representable sample time (end of year 9999). */
#define T_MAX 253402300799.0

void
forecast_opts_default(struct forecast_opts *o)
{
	o->window_s = 30 * 86400;
	o->horizon_s = 365 * 86400;
	o->min_samples = 24;
	o->min_span_s = 86400;
	o->max_pairs = 1000000;
	o->seed = 0x5eed1dc7u;
}

/* splitmix64: small, fast, and the same sequence on every platform */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * Put the K-th smallest of V[0..N) at V[K], smaller ones before and
 * larger after.  Three-way partition: many equal slopes (flat stretches)
 * cost nothing.  Random pivots keep it O(n) expected.
 */
static void
select_kth(double *v, size_t n, size_t k, uint64_t *rng)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		double p = v[lo + rng_next(rng) % (hi - lo)], t;
		size_t lt = lo, i = lo, gt = hi;

		while (i < gt) {
			if (v[i] < p) {
				t = v[lt]; v[lt++] = v[i]; v[i++] = t;
			} else if (v[i] > p) {
				t = v[--gt]; v[gt] = v[i]; v[i] = t;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
}

static size_t
clampz(double v, size_t n)
{
	if (!(v > 0))
		return 0;
	if (v >= (double)(n - 1))
		return n - 1;
	return (size_t)llround(v);
}

/* Are the N values of V all equal to the first? */
static bool
all_equal(const double *v, size_t n)
{
	size_t m;

	for (m = 1; m < n && v[m] == v[0]; m++)
		;
	return m == n;
}

/*
 * The slopes of the pairs of (X, Y) with different X into *SP: all of
 * them when TOTAL is within O->max_pairs (*EXACT), else a random sample
 * drawn from *RNG; their count.
 */
static size_t
pair_slopes(const double *x, const double *y, size_t n, double total,
    const struct forecast_opts *o, uint64_t *rng, double **sp, bool *exact)
{
	double *s;
	size_t m = 0;

	*exact = total <= (double)o->max_pairs;
	if (*exact) {
		s = xreallocarray(NULL, (size_t)total, sizeof(*s));
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				if (x[j] != x[i])
					s[m++] = (y[j] - y[i]) / (x[j] - x[i]);
	} else {
		/*
		 * A uniform random sample of the pairs: the median of
		 * 10^6 sampled slopes is within about 0.1 percentile of
		 * the median of all n(n-1)/2, at O(pairs) cost.
		 */
		size_t tries = 0, want = o->max_pairs;

		s = xreallocarray(NULL, want, sizeof(*s));
		while (m < want && tries++ < 4 * want) {
			size_t i = rng_next(rng) % n;
			size_t j = rng_next(rng) % (n - 1);

			if (j >= i)
				j++;
			if (x[j] != x[i])
				s[m++] = (y[j] - y[i]) / (x[j] - x[i]);
		}
	}
	*sp = s;
	return m;
}

/*
 * The median of the M slopes S of N points' TOTAL pairs, and its 90%
 * rank band; S is reordered, with *RNG for the selections.
 */
static void
median_band(double *s, size_t m, size_t n, double total, uint64_t *rng,
    double *slope, double *lo, double *hi)
{
	double c;
	size_t kmed, klo, khi;

	/*
	 * Sen (1968): with S the Kendall statistic, Var(S) = n(n-1)(2n+5)/18
	 * (no tie correction, so the band errs wide); the band is the
	 * slopes of rank (N -+ z sqrt(Var S)) / 2 among the N pairs.
	 */
	c = FORECAST_Z90 * sqrt((double)n * ((double)n - 1) *
	    (2 * (double)n + 5) / 18);
	kmed = (m - 1) / 2;
	klo = clampz((m - 1) * (total - c) / (2 * total), m);
	khi = clampz((m - 1) * (total + c) / (2 * total), m);
	select_kth(s, m, kmed, rng);
	*slope = s[kmed];
	if (m % 2 == 0 && m > 1) {
		/* even count: the mean of the two middle slopes */
		double next = s[kmed + 1];

		for (size_t i = kmed + 2; i < m; i++)
			if (s[i] < next)
				next = s[i];
		*slope = (*slope + next) / 2;
	}
	if (klo < kmed)
		select_kth(s, kmed, klo, rng);
	*lo = klo <= kmed ? s[klo] : *slope;
	if (khi > kmed + 1)
		select_kth(s + kmed + 1, m - kmed - 1, khi - kmed - 1, rng);
	*hi = khi > kmed ? s[khi] : *slope;
	if (*lo > *slope)
		*lo = *slope;
	if (*hi < *slope)
		*hi = *slope;
}

bool
forecast_theil_sen(const double *x, const double *y, size_t n,
    const struct forecast_opts *o, double *slope, double *lo, double *hi,
    double *level, size_t *npairs, bool *exact)
{
	double total = (double)n * ((double)n - 1) / 2, *s, *d;
	uint64_t rng = o->seed ^ (uint64_t)n;
	size_t m;

	if (n < 2)
		return false;
	/* a flat series (most resources, most of the time) needs no pairs */
	if (all_equal(y, n)) {
		if (all_equal(x, n))
			return false;
		*slope = *lo = *hi = 0;
		*level = y[0];
		*npairs = (size_t)total;
		*exact = true;
		return true;
	}
	m = pair_slopes(x, y, n, total, o, &rng, &s, exact);
	if (m == 0) {
		free(s);
		return false;
	}
	median_band(s, m, n, total, &rng, slope, lo, hi);
	/* no negative zero in the output */
	*slope += 0.0;
	*lo += 0.0;
	*hi += 0.0;
	*npairs = m;
	free(s);
	/* the intercept: the median of the residuals y - slope * x */
	d = xreallocarray(NULL, n, sizeof(*d));
	for (size_t i = 0; i < n; i++)
		d[i] = y[i] - *slope * x[i];
	select_kth(d, n, n / 2, &rng);
	*level = d[n / 2];
	free(d);
	return true;
}

/* The first index with t >= FROM (the history is sorted). */
static size_t
lower_bound(const struct history *h, int64_t from)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->s[mid].t < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The median of N <= 15 values (a copy is sorted). */
static double
median_small(const double *v0, size_t n)
{
	double v[RING], t;

	memcpy(v, v0, n * sizeof(*v));
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/*
 * Where the data since the last reset starts, among the N points of one
 * resource.  A reset is a change of limit or namespace, or a drop to at
 * most half of the recent level (the median of the last RING samples, so
 * spikes do not count) that the following samples confirm: the median of
 * the drop and the next CONFIRM samples is low too, and at least
 * CONFIRM_MIN samples exist, so one low outlier never throws the history
 * away.
 */
static size_t
find_segment(const struct hist_sample *const *p, const double *y, size_t n,
    int r, size_t *nresets)
{
	uint32_t bit = 1u << r;
	double ring[RING];
	size_t start = 0, nring = 0, ringpos = 0;

	*nresets = 0;
	for (size_t k = 0; k < n; k++) {
		bool reset = false;

		if (k > start) {
			const struct hist_sample *a = p[k - 1], *b = p[k];

			if ((a->has_limit & bit) != (b->has_limit & bit) ||
			    ((b->has_limit & bit) && a->limit[r] !=
			    b->limit[r]) || a->ns_inode != b->ns_inode)
				reset = true;
		}
		if (!reset && nring >= RING_MIN && k + CONFIRM_MIN <= n) {
			double max = 0, ref, cut;

			for (size_t i = 0; i < nring; i++)
				if (ring[i] > max)
					max = ring[i];
			/* cheap test first: most samples are no drop */
			if (y[k] <= max * FORECAST_RESET_RATIO && max >= 2) {
				ref = median_small(ring, nring);
				cut = ref * FORECAST_RESET_RATIO;
				if (ref >= 2 && y[k] <= cut) {
					size_t m = n - k < CONFIRM ? n - k :
					    CONFIRM;

					reset = median_small(y + k, m) <= cut;
				}
			}
		}
		if (reset) {
			start = k;
			nring = 0;
			ringpos = 0;
			(*nresets)++;
		}
		ring[ringpos] = y[k];
		ringpos = (ringpos + 1) % RING;
		if (nring < RING)
			nring++;
	}
	return start;
}

/* T_LAST + HEADROOM / SLOPE, or 0 when never or out of range. */
static int64_t
project(int64_t t_last, double headroom, double slope)
{
	double t;

	if (!(slope > 0))
		return 0;
	t = (double)t_last + headroom / slope;
	if (!(t < T_MAX))
		return 0;
	return t < (double)t_last ? t_last : (int64_t)t;
}

/* The newest sample of H that holds the usage BIT names, or NULL. */
static const struct hist_sample *
newest(const struct history *h, uint32_t bit)
{
	for (size_t i = h->n; i-- > 0;)
		if (h->s[i].has_used & bit)
			return &h->s[i];
	return NULL;
}

/*
 * The samples of H from FIRST on that hold resource R's usage, into P,
 * with their times (X) before T_LAST and their usage (Y); their count.
 */
static size_t
collect(const struct history *h, size_t first, int r, int64_t t_last,
    const struct hist_sample **p, double *x, double *y)
{
	uint32_t bit = 1u << r;
	size_t n = 0;

	for (size_t i = first; i < h->n; i++) {
		if (!(h->s[i].has_used & bit))
			continue;
		p[n] = &h->s[i];
		/* seconds before the newest sample: small, exact doubles */
		x[n] = (double)(h->s[i].t - t_last);
		y[n] = (double)h->s[i].used[r];
		n++;
	}
	return n;
}

/* OUT's state from its fitted trend, over SPAN seconds up to T_LAST. */
static void
judge(struct forecast_result *out, int64_t t_last, int64_t span,
    const struct forecast_opts *o)
{
	double headroom;

	if (!out->has_limit || out->limit >= SYSCTL_UNLIMITED) {
		out->state = FC_NO_LIMIT;
		return;
	}
	if (out->used >= out->limit) {
		out->state = FC_EXHAUSTED;
		out->exhaust_at = out->exhaust_early = out->exhaust_late =
		    t_last;
		return;
	}
	/*
	 * less than one unit over the horizon, or over the data if that is
	 * longer, is no growth (a short horizon is "beyond horizon")
	 */
	if (!out->has_trend || out->slope * (double)(o->horizon_s > span ?
	    o->horizon_s : span) < 1) {
		out->state = FC_NOT_GROWING;
		return;
	}
	headroom = (double)out->limit - out->level;
	out->exhaust_at = project(t_last, headroom, out->slope);
	out->exhaust_early = project(t_last, headroom, out->slope_hi);
	out->exhaust_late = project(t_last, headroom, out->slope_lo);
	out->state = out->exhaust_at != 0 &&
	    out->exhaust_at <= t_last + o->horizon_s ? FC_EXHAUSTS :
	    FC_BEYOND;
}

void
forecast_resource(const struct history *h, int r,
    const struct forecast_opts *o, struct forecast_result *out)
{
	uint32_t bit = 1u << r;
	const struct hist_sample **p;
	const struct hist_sample *last;
	double *x, *y;
	size_t first, n, start;
	int64_t span;

	memset(out, 0, sizeof(*out));
	out->id = r;
	last = newest(h, bit);
	if (last == NULL) {
		out->state = FC_NO_DATA;
		return;
	}
	out->t_last = last->t;
	out->used = last->used[r];
	out->has_limit = (last->has_limit & bit) != 0;
	out->limit = last->limit[r];
	/* shown as held; judged by the value the kernel applies */
	out->limit_signed = (last->has_limit & last->limit_signed & bit) != 0;
	out->limit_held = history_limit_held(last, r);
	first = lower_bound(h, last->t - o->window_s);
	p = xreallocarray(NULL, h->n - first, sizeof(*p));
	x = xreallocarray(NULL, h->n - first, sizeof(*x));
	y = xreallocarray(NULL, h->n - first, sizeof(*y));
	n = collect(h, first, r, last->t, p, x, y);
	start = find_segment(p, y, n, r, &out->nresets);
	if (out->nresets > 0)
		out->last_reset = p[start]->t;
	out->fit_from = p[start]->t;
	out->nfit = n - start;
	span = last->t - out->fit_from;
	if (out->nfit < o->min_samples || span < o->min_span_s) {
		out->state = FC_TOO_LITTLE;
		out->need_samples = out->nfit < o->min_samples ?
		    o->min_samples - out->nfit : 0;
		out->need_span_s = span < o->min_span_s ?
		    o->min_span_s - span : 0;
	} else {
		out->has_trend = forecast_theil_sen(x + start, y + start,
		    n - start, o, &out->slope, &out->slope_lo, &out->slope_hi,
		    &out->level, &out->npairs, &out->exact);
		judge(out, last->t, span, o);
	}
	free(p);
	free(x);
	free(y);
}

void
forecast_spark(const struct history *h, int r, int64_t from, int64_t to,
    size_t width, int *levels)
{
	uint32_t bit = 1u << r;
	size_t first = lower_bound(h, from), n = 0, *cnt;
	double *v, *med, lo = INFINITY, hi = -INFINITY, span;
	size_t *bucket;
	bool have;
	uint64_t rng = 1;

	span = (double)(to - from) + 1;
	v = xreallocarray(NULL, h->n - first + 1, sizeof(*v));
	bucket = xreallocarray(NULL, h->n - first + 1, sizeof(*bucket));
	cnt = xcalloc(width + 1, sizeof(*cnt));
	med = xcalloc(width, sizeof(*med));
	/* the samples are sorted, so each bucket is one run of V */
	for (size_t i = first; i < h->n && h->s[i].t <= to; i++) {
		size_t b;

		if (!(h->s[i].has_used & bit))
			continue;
		b = (size_t)((double)(h->s[i].t - from) / span *
		    (double)width);
		bucket[n] = b < width ? b : width - 1;
		v[n++] = (double)h->s[i].used[r];
		cnt[bucket[n - 1]]++;
	}
	/* the median per bucket: a spike does not paint the whole cell */
	for (size_t b = 0, off = 0; b < width; off += cnt[b], b++) {
		if (cnt[b] == 0)
			continue;
		select_kth(v + off, cnt[b], cnt[b] / 2, &rng);
		med[b] = v[off + cnt[b] / 2];
		if (med[b] < lo)
			lo = med[b];
		if (med[b] > hi)
			hi = med[b];
	}
	/* a short gap between samples is no gap: repeat the cell before */
	have = cnt[0] > 0;
	for (size_t b = 1, prev = 0; b < width; b++) {
		size_t next = b;

		if (cnt[b] > 0) {
			prev = b;
			have = true;
			continue;
		}
		while (next < width && cnt[next] == 0)
			next++;
		if (have && next < width && next - prev <= SPARK_GAP) {
			med[b] = med[prev];
			cnt[b] = 1;	/* only marks the cell as drawn */
			prev = b;
		}
	}
	for (size_t b = 0; b < width; b++) {
		if (cnt[b] == 0)
			levels[b] = -1;
		else if (hi == lo)
			levels[b] = hi == 0 ? 0 : 3;
		else
			levels[b] = (int)((med[b] - lo) * 7.0 / (hi - lo) +
			    0.5);
	}
	free(v);
	free(bucket);
	free(cnt);
	free(med);
}
