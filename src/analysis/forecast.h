/*
 * forecast.h: when does each limit run out?  From a sorted history, per
 * resource: the data since the last reset, a Theil-Sen trend (robust to
 * outliers) with a rank-based uncertainty band, and the projected date
 * the limit is reached.  Pure: const input, result struct out.
 */
#ifndef FORECAST_H
#define FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"

/* z of the two-sided 90% band (Sen 1968 rank bounds). */
#define FORECAST_Z90 1.6448536269514722
/* A persistent drop to at most this share of the recent level resets. */
#define FORECAST_RESET_RATIO 0.5

struct forecast_opts {
	int64_t window_s;	/* use samples this recent (30d) */
	int64_t horizon_s;	/* project this far (365d) */
	size_t min_samples;	/* fewer since the reset: too little data */
	int64_t min_span_s;	/* shorter since the reset: too little */
	size_t max_pairs;	/* above this many pairs, sample pairs */
	uint64_t seed;		/* of the pair sampler: reproducible */
};

/* The defaults: 30d window, 365d horizon, 24 samples over 1d, 1e6 pairs. */
void forecast_opts_default(struct forecast_opts *o);

enum forecast_state {
	FC_NO_DATA,		/* no sample of the resource */
	FC_TOO_LITTLE,		/* more samples or a longer span needed */
	FC_NO_LIMIT,		/* no limit, or unlimited */
	FC_EXHAUSTED,		/* at or over the limit now */
	FC_NOT_GROWING,
	FC_BEYOND,		/* growing; limit not reached in horizon */
	FC_EXHAUSTS,		/* limit reached within the horizon */
};

/* The state names used in JSON ("not_growing", ...). */
extern const char *const forecast_state_names[];

struct forecast_result {
	int id;			/* enum resource_id */
	enum forecast_state state;
	int64_t t_last;		/* newest sample of the resource */
	uint64_t used;		/* usage then */
	bool has_limit;
	uint64_t limit;		/* its limit then, as the kernel applies it */
	bool limit_signed;	/* a negative kernel.sem field: */
	int64_t limit_held;	/* that int, shown as the limit */
	int64_t fit_from;	/* oldest sample used for the trend */
	size_t nfit;		/* samples used for the trend */
	size_t nresets;		/* resets found in the window */
	int64_t last_reset;	/* time of the last reset, 0 if none */
	bool has_trend;
	double slope;		/* units per second (Theil-Sen) */
	double slope_lo, slope_hi;	/* 90% band */
	double level;		/* the trend's value at t_last */
	int64_t exhaust_at;	/* projected date, 0 if never */
	int64_t exhaust_early;	/* with slope_hi */
	int64_t exhaust_late;	/* with slope_lo; 0 if never */
	size_t need_samples;	/* FC_TOO_LITTLE: samples missing */
	int64_t need_span_s;	/* FC_TOO_LITTLE: time span missing */
	size_t npairs;		/* slopes the median was taken over */
	bool exact;		/* all pairs, else a random sample */
};

/* Forecast resource R from H (sorted by time). */
void forecast_resource(const struct history *h, int r,
    const struct forecast_opts *o, struct forecast_result *out);

/*
 * Theil-Sen over N points (X, Y): the median of pairwise slopes and the
 * 90% rank band, exact up to O->max_pairs pairs, else over that many
 * random pairs.  False if no two X differ.
 */
bool forecast_theil_sen(const double *x, const double *y, size_t n,
    const struct forecast_opts *o, double *slope, double *lo, double *hi,
    double *level, size_t *npairs, bool *exact);

/*
 * A sparkline of R over [FROM, TO] in WIDTH buckets: per bucket the
 * median usage scaled to 0..7 between the smallest and largest median,
 * or -1 for a bucket without samples.
 */
void forecast_spark(const struct history *h, int r, int64_t from,
    int64_t to, size_t width, int *levels);

#endif
