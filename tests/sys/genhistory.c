/*
 * genhistory.c: writes a synthetic usage history (JSON Lines, through
 * history_format, so the format is the real one) with a known trend for
 * one resource: a base, a slope per day, uniform noise, outliers and an
 * optional reset.  For the forecast tests and the benchmark.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "model.h"
#include "numparse.h"

static uint64_t rng = 0x1234567u;

static double
uniform(void)
{
	/* xorshift64*: deterministic for a given --seed */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 2685821657736338717ull) >> 11) /
	    9007199254740992.0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: genhistory [--samples N] [--step S] "
	    "[--start EPOCH] [--resource R] [--base B] [--slope PER_DAY] "
	    "[--limit L] [--noise AMP] [--outliers FRAC] [--reset-at I] "
	    "[--reset-to V] [--reset-slope PER_DAY] [--seed S] "
	    "[--garbage-every K]\n");
	exit(2);
}

static double
num(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0')
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	uint64_t n = 105000, step = 300, start = 1700000000, reset_at = 0;
	uint64_t garbage = 0, seed = 1;
	double base = 10, slope = 1, noise = 0, outliers = 0, reset_to = 0;
	double reset_slope = 0;
	bool has_reset_slope = false;
	uint64_t limit = 32000;
	int r = R_SEMMNI;
	char line[HISTORY_LINE_MAX];

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			usage();
		i++;
		if (strcmp(o, "--samples") == 0) {
			if (num_parse_u64(v, 1, 20000000, &n) < 0)
				usage();
		} else if (strcmp(o, "--step") == 0) {
			if (num_parse_u64(v, 1, 86400 * 365, &step) < 0)
				usage();
		} else if (strcmp(o, "--start") == 0) {
			if (num_parse_u64(v, 0, 200000000000ull, &start) < 0)
				usage();
		} else if (strcmp(o, "--resource") == 0) {
			if ((r = model_resource_lookup(v)) < 0)
				usage();
		} else if (strcmp(o, "--base") == 0) {
			base = num(v);
		} else if (strcmp(o, "--slope") == 0) {
			slope = num(v);
		} else if (strcmp(o, "--limit") == 0) {
			if (num_parse_u64(v, 0, UINT64_MAX, &limit) < 0)
				usage();
		} else if (strcmp(o, "--noise") == 0) {
			noise = num(v);
		} else if (strcmp(o, "--outliers") == 0) {
			outliers = num(v);
		} else if (strcmp(o, "--reset-at") == 0) {
			if (num_parse_u64(v, 0, UINT64_MAX, &reset_at) < 0)
				usage();
		} else if (strcmp(o, "--reset-slope") == 0) {
			reset_slope = num(v);
			has_reset_slope = true;
		} else if (strcmp(o, "--reset-to") == 0) {
			reset_to = num(v);
		} else if (strcmp(o, "--seed") == 0) {
			if (num_parse_u64(v, 0, UINT64_MAX, &seed) < 0)
				usage();
		} else if (strcmp(o, "--garbage-every") == 0) {
			if (num_parse_u64(v, 0, UINT64_MAX, &garbage) < 0)
				usage();
		} else {
			usage();
		}
	}
	rng ^= seed * 0x9e3779b97f4a7c15ull;
	for (uint64_t i = 0; i < n; i++) {
		struct hist_sample s;
		double t0 = 0, days, v;

		memset(&s, 0, sizeof(s));
		s.t = (int64_t)(start + i * step);
		s.ns_inode = 4026531839u;
		/* the other resources: flat, so lines have a real length */
		for (int k = 0; k < R_COUNT; k++) {
			s.has_used |= 1u << k;
			s.has_limit |= 1u << k;
			s.used[k] = 100 + (uint64_t)k * 7;
			s.limit[k] = 32000;
		}
		s.limit[R_SHMALL] = s.limit[R_SHMMAX] =
		    18446744073692774399ull;
		if (reset_at != 0 && i >= reset_at) {
			/* after the reset: the same leak from RESET_TO */
			t0 = (double)(reset_at * step);
			base = reset_to;
			if (has_reset_slope)
				slope = reset_slope;
		}
		days = ((double)(i * step) - t0) / 86400;
		v = base + slope * days;
		if (noise > 0)
			v += (uniform() * 2 - 1) * noise;
		if (outliers > 0 && uniform() < outliers)
			v = uniform() < 0.5 ? v * 4 + 50 : v * 0.2;
		if (v < 0)
			v = 0;
		/* the kernel never lets usage pass a count limit */
		if (v > (double)limit)
			v = (double)limit;
		s.used[r] = (uint64_t)(v + 0.5);
		s.limit[r] = limit;
		if (history_format(&s, line, sizeof(line)) < 0)
			return 1;
		fputs(line, stdout);
		if (garbage != 0 && i % garbage == garbage - 1)
			fputs("{\"v\":1,\"t\":oops}\n", stdout);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
