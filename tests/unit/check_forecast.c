/*
 * check_forecast.c: unit tests of forecast.c against histories with a
 * known answer: exact slopes, noise with outliers (where least squares
 * fails and Theil-Sen must not), a leak with a reboot, spikes that are
 * no reset, limit changes, flat and shrinking usage, too little data,
 * the exhausted and unlimited cases, and the sampled estimator at 105k.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forecast.h"

#define DAY 86400.0
#define T0 1700000000

static uint64_t rs = 0x2545f4914f6cdd1dull;

static double
unif(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (double)((rs * 2685821657736338717ull) >> 11) /
	    9007199254740992.0;
}

/* Append a semmni sample at T with usage V (rounded) and LIMIT. */
static void
add(struct history *h, int64_t t, double v, uint64_t limit)
{
	struct hist_sample s;

	memset(&s, 0, sizeof(s));
	s.t = t;
	s.ns_inode = 1;
	s.has_used = 1u << R_SEMMNI | 1u << R_SHMMNI;
	s.has_limit = s.has_used;
	s.used[R_SEMMNI] = v < 0 ? 0 : (uint64_t)llround(v);
	s.limit[R_SEMMNI] = limit;
	s.used[R_SHMMNI] = 5;
	s.limit[R_SHMMNI] = 4096;
	history_add(h, &s);
}

/* N samples every STEP seconds of BASE + SLOPE per day, no noise. */
static void
linear(struct history *h, size_t n, int64_t step, double base,
    double slope, uint64_t limit)
{
	for (size_t i = 0; i < n; i++)
		add(h, T0 + (int64_t)i * step, base + slope * (double)i *
		    (double)step / DAY, limit);
}

static void
run(const struct history *h, struct forecast_result *f)
{
	struct forecast_opts o;

	forecast_opts_default(&o);
	forecast_resource(h, R_SEMMNI, &o, f);
}

START_TEST(t_exact_slope)
{
	struct history h;
	struct forecast_result f;
	double want;

	history_init(&h);
	/* 2 days at 5 minutes, 576 samples: all 165,600 pairs */
	linear(&h, 576, 300, 100, 288, 2000);
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_EXHAUSTS);
	ck_assert(f.exact);
	ck_assert_uint_eq(f.nfit, 576);
	ck_assert_double_eq_tol(f.slope * DAY, 288, 1e-9);
	ck_assert_double_eq_tol(f.slope_lo * DAY, 288, 1e-9);
	ck_assert_double_eq_tol(f.slope_hi * DAY, 288, 1e-9);
	/* at the last sample: 100 + 288 * 575/288 = 675; 1325 to go */
	ck_assert_double_eq_tol(f.level, 675, 1e-6);
	want = (double)f.t_last + 1325.0 / 288 * DAY;
	ck_assert_int_le(llabs(f.exhaust_at - (int64_t)want), 1);
	ck_assert_int_eq(f.exhaust_early, f.exhaust_at);
	ck_assert_int_eq(f.last_reset, 0);
	history_release(&h);
}
END_TEST

/* Ordinary least squares slope, to show the data defeats it. */
static double
ols(const struct history *h)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = (double)h->n;

	for (size_t i = 0; i < h->n; i++) {
		double x = (double)(h->s[i].t - T0);
		double y = (double)h->s[i].used[R_SEMMNI];

		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

START_TEST(t_outliers)
{
	struct history h;
	struct forecast_result f;
	const double slope = 50;

	history_init(&h);
	/*
	 * 7 days at 5 minutes, noise +-5, and 20% outliers that are high
	 * early and low late (a monitoring glitch that flips): least
	 * squares bends, the median of slopes does not.
	 */
	for (size_t i = 0; i < 2016; i++) {
		double days = (double)i * 300 / DAY;
		double v = 1000 + slope * days + (unif() * 2 - 1) * 5;

		if (unif() < 0.2)
			v = i < 1008 ? v + 2000 : v * 0.6;
		add(&h, T0 + (int64_t)i * 300, v, 10000);
	}
	run(&h, &f);
	ck_assert_int_eq(f.nresets, 0);
	ck_assert_msg(fabs(f.slope * DAY - slope) < 0.02 * slope,
	    "theil-sen %.3f/day, want %.0f", f.slope * DAY, slope);
	ck_assert_msg(fabs(ols(&h) * DAY - slope) > 0.5 * slope,
	    "least squares %.3f/day should be far off", ols(&h) * DAY);
	ck_assert(f.slope_lo <= f.slope && f.slope <= f.slope_hi);
	ck_assert(f.slope_lo < f.slope_hi);
	ck_assert_msg(f.slope_lo * DAY > 0.9 * slope &&
	    f.slope_hi * DAY < 1.1 * slope, "band %.2f..%.2f",
	    f.slope_lo * DAY, f.slope_hi * DAY);
	ck_assert_int_eq(f.state, FC_EXHAUSTS);
	ck_assert(f.exhaust_early <= f.exhaust_at &&
	    f.exhaust_at <= f.exhaust_late);
	history_release(&h);
}
END_TEST

START_TEST(t_reboot)
{
	struct history h;
	struct forecast_result f;
	int64_t t = T0, reboot;

	history_init(&h);
	/* 10 days leaking 40/day from 20, then a reboot: 3 days at 15/day */
	for (int i = 0; i < 2880; i++, t += 300)
		add(&h, t, 20 + 40 * (double)i * 300 / DAY, 32000);
	reboot = t;
	for (int i = 0; i < 864; i++, t += 300)
		add(&h, t, 3 + 15 * (double)i * 300 / DAY +
		    (unif() * 2 - 1) * 2, 32000);
	run(&h, &f);
	ck_assert_uint_eq(f.nresets, 1);
	ck_assert_int_eq(f.last_reset, reboot);
	ck_assert_int_eq(f.fit_from, reboot);
	ck_assert_uint_eq(f.nfit, 864);
	ck_assert_double_eq_tol(f.slope * DAY, 15, 0.3);
	history_release(&h);
}
END_TEST

START_TEST(t_spikes_are_no_reset)
{
	struct history h;
	struct forecast_result f;

	history_init(&h);
	linear(&h, 1000, 300, 500, 30, 32000);
	/* single glitches to zero and a spike, and two lows in a row */
	h.s[300].used[R_SEMMNI] = 0;
	h.s[600].used[R_SEMMNI] = 9000;
	h.s[601].used[R_SEMMNI] = 0;
	h.s[800].used[R_SEMMNI] = 1;
	h.s[801].used[R_SEMMNI] = 1;
	/* and a low last sample: not confirmed yet */
	h.s[999].used[R_SEMMNI] = 0;
	run(&h, &f);
	ck_assert_uint_eq(f.nresets, 0);
	ck_assert_uint_eq(f.nfit, 1000);
	ck_assert_double_eq_tol(f.slope * DAY, 30, 1e-6);
	history_release(&h);
}
END_TEST

START_TEST(t_limit_change)
{
	struct history h;
	struct forecast_result f;

	history_init(&h);
	linear(&h, 800, 300, 100, 20, 1000);
	for (size_t i = 400; i < 800; i++)
		h.s[i].limit[R_SEMMNI] = 2000;
	run(&h, &f);
	ck_assert_uint_eq(f.nresets, 1);
	ck_assert_int_eq(f.fit_from, h.s[400].t);
	ck_assert_uint_eq(f.limit, 2000);
	/* whole-number usage: a staircase, so not to the last digit */
	ck_assert_double_eq_tol(f.slope * DAY, 20, 0.05);
	history_release(&h);
}
END_TEST

/*
 * A negative kernel.sem field: the result shows it as held and is
 * judged by what the kernel applies (0 admits nothing); a change of the
 * held value that applies the same is no reset.
 */
START_TEST(t_negative_held)
{
	struct history h;
	struct forecast_result f;

	history_init(&h);
	linear(&h, 800, 300, 0, 0, 1000);
	for (size_t i = 0; i < 800; i++)
		history_set_limit(&h.s[i], R_SEMMNI, 0, true,
		    i < 400 ? -5 : -6);
	run(&h, &f);
	ck_assert_uint_eq(f.nresets, 0);
	ck_assert(f.has_limit && f.limit_signed);
	ck_assert_int_eq(f.limit_held, -6);
	ck_assert_uint_eq(f.limit, 0);
	ck_assert_int_eq(f.state, FC_EXHAUSTED);
	/* raised again: shown and judged as the number */
	history_set_limit(&h.s[799], R_SEMMNI, 1000, false, 0);
	run(&h, &f);
	ck_assert(!f.limit_signed);
	ck_assert_uint_eq(f.limit, 1000);
	ck_assert_int_ne(f.state, FC_EXHAUSTED);
	history_release(&h);
}
END_TEST

START_TEST(t_not_growing)
{
	struct history h;
	struct forecast_result f;

	history_init(&h);
	for (int i = 0; i < 2000; i++)
		add(&h, T0 + i * 300, 300 + (unif() * 2 - 1) * 20, 1000);
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_NOT_GROWING);
	ck_assert_int_eq(f.exhaust_at, 0);
	ck_assert(fabs(f.slope * DAY) < 1);
	history_release(&h);
	/* shrinking */
	history_init(&h);
	linear(&h, 600, 300, 900, -50, 1000);
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_NOT_GROWING);
	ck_assert_double_eq_tol(f.slope * DAY, -50, 1e-6);
	history_release(&h);
	/* growing, but not within the horizon: 1/day, 10,000 to go */
	history_init(&h);
	linear(&h, 600, 300, 100, 1, 10100);
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_BEYOND);
	ck_assert_int_gt(f.exhaust_at, f.t_last + 365 * 86400);
	history_release(&h);
}
END_TEST

/*
 * A horizon shorter than the data does not make a clear growth "not
 * growing": 50 a day over 2 days of samples, a 1-minute horizon.
 */
START_TEST(t_short_horizon)
{
	struct history h;
	struct forecast_result f;
	struct forecast_opts o;

	history_init(&h);
	linear(&h, 600, 300, 100, 50, 30000);
	forecast_opts_default(&o);
	o.horizon_s = 60;
	forecast_resource(&h, R_SEMMNI, &o, &f);
	ck_assert_double_eq_tol(f.slope * DAY, 50, 0.5);
	ck_assert_int_eq(f.state, FC_BEYOND);
	ck_assert_int_gt(f.exhaust_at, f.t_last + 60);
	history_release(&h);
}
END_TEST

START_TEST(t_too_little)
{
	struct history h;
	struct forecast_result f;

	history_init(&h);
	linear(&h, 10, 300, 1, 100, 1000);
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_TOO_LITTLE);
	ck_assert_uint_eq(f.need_samples, 14);
	ck_assert_int_eq(f.need_span_s, 86400 - 9 * 300);
	history_release(&h);
	/* enough samples, too short a span */
	history_init(&h);
	linear(&h, 100, 60, 1, 100, 1000);
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_TOO_LITTLE);
	ck_assert_uint_eq(f.need_samples, 0);
	ck_assert_int_eq(f.need_span_s, 86400 - 99 * 60);
	history_release(&h);
	/* long history, but only 2 hours since a reboot */
	history_init(&h);
	linear(&h, 600, 300, 500, 10, 1000);
	for (size_t i = 576; i < 600; i++)
		h.s[i].used[R_SEMMNI] = 3;
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_TOO_LITTLE);
	ck_assert_int_eq(f.last_reset, h.s[576].t);
	ck_assert_uint_eq(f.nfit, 24);
	ck_assert_int_eq(f.need_span_s, 86400 - 23 * 300);
	history_release(&h);
}
END_TEST

START_TEST(t_exhausted_unlimited_nodata)
{
	struct history h;
	struct forecast_result f;
	struct forecast_opts o;

	history_init(&h);
	linear(&h, 300, 300, 900, 100, 1000);
	h.s[299].used[R_SEMMNI] = 1000;
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_EXHAUSTED);
	history_release(&h);
	history_init(&h);
	linear(&h, 300, 300, 900, 100, SYSCTL_UNLIMITED);
	run(&h, &f);
	ck_assert_int_eq(f.state, FC_NO_LIMIT);
	ck_assert(f.has_trend);
	forecast_opts_default(&o);
	forecast_resource(&h, R_MSGMNI, &o, &f);
	ck_assert_int_eq(f.state, FC_NO_DATA);
	history_release(&h);
}
END_TEST

START_TEST(t_sampled_year)
{
	struct history h;
	struct forecast_result f, g;
	struct forecast_opts o;

	history_init(&h);
	/* one year at 5 minutes: 105,000 samples, 5.5e9 pairs */
	for (int i = 0; i < 105000; i++) {
		double v = 100 + 50 * (double)i * 300 / DAY +
		    (unif() * 2 - 1) * 10;

		if (unif() < 0.05)
			v *= 3;
		add(&h, T0 + (int64_t)i * 300, v, 32000);
	}
	forecast_opts_default(&o);
	o.window_s = 365 * 86400;
	forecast_resource(&h, R_SEMMNI, &o, &f);
	ck_assert(!f.exact);
	ck_assert_uint_eq(f.npairs, o.max_pairs);
	ck_assert_msg(fabs(f.slope * DAY - 50) < 0.005 * 50, "%.4f/day",
	    f.slope * DAY);
	/* deterministic: the same input gives the same answer */
	forecast_resource(&h, R_SEMMNI, &o, &g);
	ck_assert(f.slope == g.slope && f.exhaust_at == g.exhaust_at);
	history_release(&h);
}
END_TEST

START_TEST(t_sampled_vs_exact)
{
	struct forecast_opts o;
	double *x = malloc(3000 * sizeof(*x)), *y = malloc(3000 * sizeof(*y));
	double s1, l1, h1, v1, s2, l2, h2, v2;
	size_t np;
	bool ex;

	/* heavy noise, so the pairwise slopes spread widely */
	for (int i = 0; i < 3000; i++) {
		x[i] = i * 300.0;
		y[i] = 1000 + 30 * x[i] / DAY + (unif() * 2 - 1) * 200;
	}
	forecast_opts_default(&o);
	ck_assert(forecast_theil_sen(x, y, 3000, &o, &s1, &l1, &h1, &v1, &np,
	    &ex));
	ck_assert(!ex);
	o.max_pairs = 3000 * 2999 / 2;
	ck_assert(forecast_theil_sen(x, y, 3000, &o, &s2, &l2, &h2, &v2, &np,
	    &ex));
	ck_assert(ex);
	ck_assert_uint_eq(np, 3000 * 2999 / 2);
	ck_assert_msg(fabs(s1 - s2) < 0.01 * fabs(s2),
	    "sampled %.4f, exact %.4f per day", s1 * DAY, s2 * DAY);
	ck_assert_msg(fabs(l1 - l2) < 0.02 * fabs(s2) &&
	    fabs(h1 - h2) < 0.02 * fabs(s2), "band %.3f..%.3f vs %.3f..%.3f",
	    l1 * DAY, h1 * DAY, l2 * DAY, h2 * DAY);
	ck_assert(l2 < s2 && s2 < h2);
	free(x);
	free(y);
}
END_TEST

START_TEST(t_spark)
{
	struct history h;
	int lv[16];

	history_init(&h);
	linear(&h, 1600, 300, 0, 100, 100000);
	forecast_spark(&h, R_SEMMNI, h.s[0].t, h.s[h.n - 1].t, 16, lv);
	ck_assert_int_eq(lv[0], 0);
	ck_assert_int_eq(lv[15], 7);
	for (int i = 1; i < 16; i++)
		ck_assert_int_ge(lv[i], lv[i - 1]);
	/* a window reaching before the data: empty cells */
	forecast_spark(&h, R_SEMMNI, h.s[0].t - (h.s[h.n - 1].t - h.s[0].t),
	    h.s[h.n - 1].t, 16, lv);
	ck_assert_int_eq(lv[0], -1);
	ck_assert_int_eq(lv[15], 7);
	history_release(&h);
}
END_TEST

START_TEST(t_theil_sen_direct)
{
	double x[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	double y[] = { 0, 2, 4, 6, 100, 10, 12, 14, -50, 18 };
	double s, lo, hi, lvl;
	size_t np;
	bool ex;
	struct forecast_opts o;

	forecast_opts_default(&o);
	ck_assert(forecast_theil_sen(x, y, 10, &o, &s, &lo, &hi, &lvl, &np,
	    &ex));
	ck_assert(ex);
	ck_assert_uint_eq(np, 45);
	ck_assert_double_eq_tol(s, 2, 1e-12);
	ck_assert_double_eq_tol(lvl, 0, 1e-12);
	/* all X equal: no slope */
	ck_assert(!forecast_theil_sen(x, y, 1, &o, &s, &lo, &hi, &lvl, &np,
	    &ex));
	{
		double xs[] = { 3, 3, 3 }, ys[] = { 1, 2, 3 };

		ck_assert(!forecast_theil_sen(xs, ys, 3, &o, &s, &lo, &hi,
		    &lvl, &np, &ex));
	}
}
END_TEST

static Suite *
forecast_suite(void)
{
	Suite *s = suite_create("forecast");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_exact_slope);
	tcase_add_test(tc, t_outliers);
	tcase_add_test(tc, t_reboot);
	tcase_add_test(tc, t_spikes_are_no_reset);
	tcase_add_test(tc, t_limit_change);
	tcase_add_test(tc, t_negative_held);
	tcase_add_test(tc, t_not_growing);
	tcase_add_test(tc, t_short_horizon);
	tcase_add_test(tc, t_too_little);
	tcase_add_test(tc, t_exhausted_unlimited_nodata);
	tcase_add_test(tc, t_sampled_year);
	tcase_add_test(tc, t_sampled_vs_exact);
	tcase_add_test(tc, t_spark);
	tcase_add_test(tc, t_theil_sen_direct);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(forecast_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
