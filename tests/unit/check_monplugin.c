/*
 * check_monplugin.c: unit tests of monplugin.c: the range syntax against
 * the results of the reference implementation (Monitoring::Plugin::Range,
 * ecosystem.md section 4), percent thresholds, critical before warning,
 * the hooks for leaks and forecasts, and the status line with perfdata.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "monplugin.h"
#include "procparse.h"

static const double values[] = { -1, 0, 5, 10, 15, 20, 25 };

/* The values of VALUES that alert for S, as "v,v,..." */
static const char *
alerts(const char *s)
{
	static char buf[128];
	struct mp_range r;
	char err[256];
	size_t off = 0;

	buf[0] = '\0';
	ck_assert_msg(monplugin_range_parse(s, &r, err, sizeof(err)) == 0,
	    "%s", err);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (monplugin_range_alert(&r, values[i]))
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
			    "%s%g", off ? "," : "", values[i]);
	return buf;
}

START_TEST(test_ranges_like_reference)
{
	ck_assert_str_eq(alerts("10"), "-1,15,20,25");
	ck_assert_str_eq(alerts("10:"), "-1,0,5");
	ck_assert_str_eq(alerts("~:10"), "15,20,25");
	ck_assert_str_eq(alerts("10:20"), "-1,0,5,25");
	ck_assert_str_eq(alerts("@10:20"), "10,15,20");
	ck_assert_str_eq(alerts("~:"), "");
	ck_assert_str_eq(alerts("5:5"), "-1,0,10,15,20,25");
}
END_TEST

START_TEST(test_range_parse)
{
	struct mp_range r;
	char err[256];

	ck_assert_int_eq(monplugin_range_parse("80%", &r, err, sizeof(err)),
	    0);
	ck_assert(r.percent);
	ck_assert(r.end == 80);
	ck_assert_int_eq(monplugin_range_parse("@50%:90%", &r, err,
	    sizeof(err)), 0);
	ck_assert(r.percent && r.inside && r.start == 50 && r.end == 90);
	ck_assert_int_eq(monplugin_range_parse("2.5", &r, err, sizeof(err)),
	    0);
	ck_assert(!r.percent && r.end == 2.5);
	ck_assert_int_eq(monplugin_range_parse("20:10", &r, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "start is above the end") != NULL, "%s",
	    err);
	ck_assert_int_eq(monplugin_range_parse("10%:20", &r, err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "mixes") != NULL, "%s", err);
	ck_assert_int_eq(monplugin_range_parse("", &r, err, sizeof(err)), -1);
	ck_assert_int_eq(monplugin_range_parse("8x", &r, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(monplugin_range_parse("nan", &r, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(monplugin_range_parse("1e3", &r, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(monplugin_range_parse("@", &r, err, sizeof(err)),
	    -1);
}
END_TEST

static void
set(struct kstate *ks, enum sysctl_id id, const char *text)
{
	char err[256];

	ck_assert_int_eq(procparse_sysctl(id, text, &ks->sysctl[id], err,
	    sizeof(err)), 0);
}

/* shmmni 100 with USED segments; everything else empty. */
static void
state(struct kstate *ks, uint64_t used)
{
	kstate_init(ks);
	ks->host.page_size = 4096;
	set(ks, SC_SHMMAX, "18446744073692774399");
	set(ks, SC_SHMALL, "18446744073692774399");
	set(ks, SC_SHMMNI, "100");
	set(ks, SC_SEM, "32000\t1024000000\t500\t32000");
	set(ks, SC_MSGMAX, "8192");
	set(ks, SC_MSGMNB, "16384");
	set(ks, SC_MSGMNI, "32000");
	ks->has_usage = true;
	ks->usage.shm_segments = used;
}

static void
opts(struct mp_opts *o, const char *w, const char *c, bool only_shmmni)
{
	char err[256];

	memset(o, 0, sizeof(*o));
	ck_assert_int_eq(monplugin_range_parse(w, &o->warn, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(monplugin_range_parse(c, &o->crit, err,
	    sizeof(err)), 0);
	for (int i = 0; i < R_COUNT; i++)
		o->selected[i] = only_shmmni ? i == R_SHMMNI :
		    monplugin_default_resource(i);
	o->explicit_selection = only_shmmni;
}

static enum mp_state
judge(uint64_t used, const char *w, const char *c, char *out, size_t len)
{
	struct kstate ks;
	struct model m;
	struct mp_opts o;
	struct mp_result res;

	state(&ks, used);
	model_build(&ks, &m);
	opts(&o, w, c, false);
	monplugin_evaluate(&m, &o, &res);
	if (out != NULL)
		monplugin_format(&m, &o, &res, out, len);
	model_release(&m);
	return res.state;
}

START_TEST(test_states)
{
	char out[4096];

	ck_assert_int_eq(judge(79, "80%", "95%", out, sizeof(out)), MP_OK);
	ck_assert_msg(strncmp(out, "IPC OK - ", 9) == 0, "%s", out);
	ck_assert_int_eq(judge(80, "80%", "95%", NULL, 0), MP_OK);
	ck_assert_int_eq(judge(81, "80%", "95%", out, sizeof(out)),
	    MP_WARNING);
	ck_assert_msg(strncmp(out, "IPC WARNING - shmmni 81.0% (81 of 100 "
	    "segments, kernel.shmmni) | ", 48) == 0, "%s", out);
	ck_assert_int_eq(judge(96, "80%", "95%", out, sizeof(out)),
	    MP_CRITICAL);
	ck_assert_msg(strstr(out, "\nCRITICAL: shmmni 96.0%") != NULL, "%s",
	    out);
	/* absolute thresholds compare the count itself */
	ck_assert_int_eq(judge(30, "20", "50", NULL, 0), MP_WARNING);
	ck_assert_int_eq(judge(30, "20", "25", NULL, 0), MP_CRITICAL);
	/* over the limit (limit lowered below usage) */
	ck_assert_int_eq(judge(150, "80%", "95%", NULL, 0), MP_CRITICAL);
}
END_TEST

START_TEST(test_perfdata)
{
	char out[4096];

	judge(10, "80%", "95%", out, sizeof(out));
	/* counts have no UOM, bytes have B; percent thresholds absolute */
	ck_assert_msg(strstr(out, " | shmmni=10;80;95;0;100 ") != NULL, "%s",
	    out);
	ck_assert_msg(strstr(out, " msgmnb=0B;13107.2;15564.8;0;16384") !=
	    NULL, "%s", out);
	/* per-object caps are reported but not judged */
	ck_assert_msg(strstr(out, " semmsl=0;;;0;32000") != NULL, "%s", out);
	judge(10, "@10:20", "~:90", out, sizeof(out));
	ck_assert_msg(strstr(out, " | shmmni=10;@10:20;~:90;0;100 ") != NULL,
	    "%s", out);
	/* one line of status, perfdata on it; no exponents anywhere */
	ck_assert_msg(strstr(out, "e+") == NULL, "%s", out);
}
END_TEST

/* A cap at 0 is CRITICAL, though caps are not judged rows. */
START_TEST(test_zero_cap)
{
	struct kstate ks;
	struct model m;
	struct mp_opts o;
	struct mp_result res;
	char out[4096];

	state(&ks, 10);
	set(&ks, SC_SEM, "32000\t1024000000\t0\t32000");
	model_build(&ks, &m);
	opts(&o, "80%", "95%", false);
	monplugin_evaluate(&m, &o, &res);
	ck_assert_int_eq(res.state, MP_CRITICAL);
	monplugin_format(&m, &o, &res, out, sizeof(out));
	ck_assert_msg(strstr(out, "\nCRITICAL: semopm (kernel.sem) is 0: "
	    "every semop fails with E2BIG") != NULL, "%s", out);
	/* --resource shmmni alone does not judge semopm */
	opts(&o, "80%", "95%", true);
	monplugin_evaluate(&m, &o, &res);
	ck_assert_int_eq(res.state, MP_OK);
	model_release(&m);
}
END_TEST

START_TEST(test_selection_and_unknown)
{
	struct kstate ks;
	struct model m;
	struct mp_opts o;
	struct mp_result res;
	char out[4096];

	state(&ks, 10);
	ks.has_usage = false;
	model_build(&ks, &m);
	/* explicitly asked for, but the usage is unknown: UNKNOWN */
	opts(&o, "80%", "95%", true);
	monplugin_evaluate(&m, &o, &res);
	ck_assert_int_eq(res.state, MP_UNKNOWN);
	monplugin_format(&m, &o, &res, out, sizeof(out));
	ck_assert_msg(strncmp(out, "IPC UNKNOWN - shmmni usage unknown", 34)
	    == 0, "%s", out);
	/* nothing to judge at all: UNKNOWN too */
	opts(&o, "80%", "95%", false);
	monplugin_evaluate(&m, &o, &res);
	ck_assert_int_eq(res.state, MP_UNKNOWN);
	model_release(&m);
}
END_TEST

START_TEST(test_hooks)
{
	struct kstate ks;
	struct model m;
	struct mp_opts o;
	struct mp_result res;
	struct mp_orphans none = { { 0 }, { 0 } }, some = { { [IPC_SHM] = 1,
	    [IPC_SEM] = 2 }, { 0 } };
	char out[4096];

	state(&ks, 10);
	model_build(&ks, &m);
	opts(&o, "80%", "95%", false);
	monplugin_evaluate(&m, &o, &res);
	monplugin_add_orphans(&res, &none);
	monplugin_add_exhaustion(&res, R_SHMMNI, 45, 30);
	ck_assert_int_eq(res.state, MP_OK);
	monplugin_add_exhaustion(&res, R_SEMMNI, 12, 30);
	ck_assert_int_eq(res.state, MP_WARNING);
	monplugin_add_orphans(&res, &some);
	ck_assert_int_eq(res.state, MP_WARNING);
	monplugin_format(&m, &o, &res, out, sizeof(out));
	ck_assert_msg(strstr(out, "IPC WARNING - semmni projected to reach "
	    "its limit in 12 days, 1 orphaned segment (shmmni), 2 orphaned "
	    "semaphore arrays (semmni), see 'ipctune orphans' | ") == out,
	    "%s", out);
	ck_assert_msg(strstr(out, "\nWARNING: 1 orphaned segment (shmmni), "
	    "2 orphaned") != NULL, "%s", out);
	/* the counts are perfdata too, zeros included, warning above 0 */
	ck_assert_msg(strstr(out, " orphaned_shmmni=1;0;;0;") != NULL, "%s",
	    out);
	ck_assert_msg(strstr(out, " orphaned_semmni=2;0;;0;") != NULL, "%s",
	    out);
	ck_assert_msg(strstr(out, " orphaned_msgmni=0;0;;0;") != NULL, "%s",
	    out);
	model_release(&m);
}
END_TEST

/*
 * POSIX orphans: named by their long names with their limit, perfdata
 * of their own (pshm and psem share dev_shm, a limit in bytes) only
 * where the type has objects, so System V-only output stays the same.
 */
START_TEST(test_posix_orphans)
{
	struct kstate ks;
	struct model m;
	struct mp_opts o;
	struct mp_result res;
	struct mp_orphans none = { { 0 }, { 0 } }, some = {
	    { [IPC_PSHM] = 2, [IPC_PMQ] = 1 },
	    { [IPC_PSHM] = 3, [IPC_PMQ] = 1 } };
	char out[4096];

	state(&ks, 10);
	model_build(&ks, &m);
	opts(&o, "80%", "95%", false);
	monplugin_evaluate(&m, &o, &res);
	monplugin_add_orphans(&res, &none);
	ck_assert_int_eq(res.state, MP_OK);
	monplugin_format(&m, &o, &res, out, sizeof(out));
	ck_assert_msg(strstr(out, "orphaned_p") == NULL, "%s", out);
	monplugin_evaluate(&m, &o, &res);
	monplugin_add_orphans(&res, &some);
	ck_assert_int_eq(res.state, MP_WARNING);
	monplugin_format(&m, &o, &res, out, sizeof(out));
	ck_assert_msg(strstr(out, "IPC WARNING - 2 orphaned POSIX shared "
	    "memory objects (dev_shm), 1 orphaned POSIX message queue "
	    "(mqueue_queues), see 'ipctune orphans' | ") == out, "%s", out);
	ck_assert_msg(strstr(out, " orphaned_pshm=2;0;;0; orphaned_pmq=1;0;;0;")
	    != NULL, "%s", out);
	/* no psem object: no psem perfdata */
	ck_assert_msg(strstr(out, "orphaned_psem") == NULL, "%s", out);
	model_release(&m);
}
END_TEST

/* Scenario 11: dest segments raise WARNING when shm is judged. */
START_TEST(test_dest_segments)
{
	struct kstate ks;
	struct model m;
	struct mp_opts o;
	struct mp_result res;
	char out[4096];

	state(&ks, 10);
	model_build(&ks, &m);
	m.dest.segments = 60;
	m.dest.pages = 61440;
	m.dest.nattch = 61;
	m.dest.warn = true;
	opts(&o, "80%", "95%", false);
	monplugin_evaluate(&m, &o, &res);
	ck_assert_int_eq(res.state, MP_WARNING);
	monplugin_format(&m, &o, &res, out, sizeof(out));
	ck_assert_msg(strstr(out, "\nWARNING: 60 segments marked for removal "
	    "but still attached (61 attaches) hold 60 of 100 shmmni "
	    "segments and 61440 of ") != NULL, "%s", out);
	/* not when neither shmmni nor shmall is judged */
	o.selected[R_SHMMNI] = o.selected[R_SHMALL] = false;
	monplugin_evaluate(&m, &o, &res);
	ck_assert_int_eq(res.state, MP_OK);
	monplugin_add_dest_stale(&res, 1, 1);
	ck_assert_int_eq(res.state, MP_WARNING);
	ck_assert_str_eq(res.notes[0], "1 segment marked for removal still "
	    "attached (1 attach) after its creator exited: ipctune orphans "
	    "-a");
	model_release(&m);
}
END_TEST

static Suite *
monplugin_suite(void)
{
	Suite *s = suite_create("monplugin");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ranges_like_reference);
	tcase_add_test(tc, test_range_parse);
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_perfdata);
	tcase_add_test(tc, test_zero_cap);
	tcase_add_test(tc, test_selection_and_unknown);
	tcase_add_test(tc, test_hooks);
	tcase_add_test(tc, test_posix_orphans);
	tcase_add_test(tc, test_dest_segments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(monplugin_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
