/*
 * check_drift.c: unit tests of drift.c, the judgement 'verify' and
 * 'report' share: the rule, a host's running values with and without
 * --exact (compliant, raised, unset, lowered), the "what would change"
 * text report shows, and verify's next-boot views under both rule sets
 * (a lower file, a cancelled key, a rejected line, the kernel default)
 * with the status word of each verdict.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drift.h"
#include "procparse.h"
#include "report.h"

/* A host with the given sysctl values ("" leaves one absent). */
static void
host(struct kstate *ks, const char *shmmni, const char *sem,
    const char *queues_max)
{
	const struct {
		enum sysctl_id id;
		const char *text;
	} v[] = { { SC_SHMMNI, shmmni }, { SC_SEM, sem },
	    { SC_MQ_QUEUES_MAX, queues_max } };
	char err[256];

	kstate_init(ks);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (*v[i].text != '\0')
			ck_assert_int_eq(procparse_sysctl(v[i].id, v[i].text,
			    &ks->sysctl[v[i].id], err, sizeof(err)), 0);
}

/* Profiles' targets: shmmni 4096, sem 250 32000 100 128, queues 256. */
static void
targets(struct recommendation *r)
{
	static const uint64_t sem[SEM_NFIELDS] = { 250, 32000, 100, 128 };

	recommend_init(r);
	r->item[SC_SHMMNI].present = true;
	r->item[SC_SHMMNI].f[0].target = 4096;
	r->item[SC_SEM].present = true;
	for (int k = 0; k < SEM_NFIELDS; k++)
		r->item[SC_SEM].f[k].target = sem[k];
	r->item[SC_MQ_QUEUES_MAX].present = true;
	r->item[SC_MQ_QUEUES_MAX].f[0].target = 256;
}

/* Judge a host's running values as report does; the detail into BUF. */
static enum drift_verdict
judge(const char *shmmni, const char *sem, const char *queues, bool exact,
    char *buf, size_t len)
{
	struct recommendation r;
	struct drift_result *d = malloc(sizeof(*d));
	struct kstate ks;
	enum drift_verdict v;

	ck_assert_ptr_nonnull(d);
	host(&ks, shmmni, sem, queues);
	targets(&r);
	drift_judge(&r, &ks, NULL, exact, d);
	v = drift_verdict_of(d);
	drift_detail(d, buf, len);
	ck_assert(!d->boot_judged);
	ck_assert(d->compliant == (v == DRIFT_COMPLIANT));
	free(d);
	kstate_release(&ks);
	return v;
}

/* the rule: every field at least the target's, or equal with --exact */
START_TEST(test_complies)
{
	uint64_t want[SEM_NFIELDS] = { 250, 32000, 32, 128 };
	uint64_t more[SEM_NFIELDS] = { 250, 64000, 32, 128 };
	uint64_t less[SEM_NFIELDS] = { 250, 32000, 32, 100 };
	uint64_t one = 5, five = 5, six = 6;

	ck_assert(drift_complies(SC_SEM, more, want, false));
	ck_assert(!drift_complies(SC_SEM, more, want, true));
	ck_assert(!drift_complies(SC_SEM, less, want, false));
	ck_assert(drift_complies(SC_SEM, want, want, true));
	ck_assert(drift_complies(SC_SHMMNI, &six, &five, false));
	ck_assert(!drift_complies(SC_SHMMNI, &six, &five, true));
	ck_assert(drift_complies(SC_SHMMNI, &one, &five, true));
}
END_TEST

/* report: compliant, with values above the profiles' kept */
START_TEST(test_host_compliant)
{
	char b[256];

	ck_assert_int_eq(judge("4096", "250 32000 100 128", "256", false, b,
	    sizeof(b)), DRIFT_COMPLIANT);
	ck_assert_str_eq(b, "");
	ck_assert_int_eq(judge("8192", "500 64000 200 256", "1024", false, b,
	    sizeof(b)), DRIFT_COMPLIANT);
	ck_assert_str_eq(b, "");
}
END_TEST

/* report: fields below the profiles', and a sysctl the host lacks */
START_TEST(test_host_drift)
{
	char b[256];

	ck_assert_int_eq(judge("4096", "250 32000 32 128", "256", false, b,
	    sizeof(b)), DRIFT_DRIFT);
	ck_assert_str_eq(b, "kernel.sem.semopm 32 -> 100");
	ck_assert_int_eq(judge("100", "250 32000 32 8", "", false, b,
	    sizeof(b)), DRIFT_DRIFT);
	ck_assert_str_eq(b, "kernel.shmmni 100 -> 4096, kernel.sem.semopm "
	    "32 -> 100, kernel.sem.semmni 8 -> 128, fs.mqueue.queues_max "
	    "unset 0 -> 256");
	/* a short buffer is cut, never overrun */
	ck_assert_int_eq(judge("100", "250 32000 32 8", "", false, b, 12),
	    DRIFT_DRIFT);
	ck_assert_str_eq(b, "kernel.shmm");
}
END_TEST

/*
 * A negative kernel.sem field: SEMOPM -1 limits nothing (semop compares
 * it unsigned) and complies; SEMMSL -5 admits nothing and drifts, shown
 * as the kernel holds it; --exact wants the profile's values.
 */
START_TEST(test_host_negative_sem)
{
	char b[256];

	ck_assert_int_eq(judge("4096", "250 32000 -1 128", "256", false, b,
	    sizeof(b)), DRIFT_COMPLIANT);
	ck_assert_int_eq(judge("4096", "-5 32000 -1 128", "256", false, b,
	    sizeof(b)), DRIFT_DRIFT);
	ck_assert_str_eq(b, "kernel.sem.semmsl -5 -> 250");
	ck_assert_int_eq(judge("4096", "250 32000 -1 128", "256", true, b,
	    sizeof(b)), DRIFT_DRIFT);
	ck_assert_str_eq(b, "kernel.sem.semopm -1 -> 100");
}
END_TEST

/* report --exact: values above the profiles' drift too */
START_TEST(test_host_exact)
{
	char b[256];

	ck_assert_int_eq(judge("8192", "250 32000 100 128", "256", true, b,
	    sizeof(b)), DRIFT_DRIFT);
	ck_assert_str_eq(b, "kernel.shmmni 8192 -> 4096");
	ck_assert_int_eq(judge("4096", "250 32000 100 128", "256", true, b,
	    sizeof(b)), DRIFT_COMPLIANT);
}
END_TEST

/* Plans of both rule sets from TEXT, as one file in /etc/sysctl.d. */
static void
plans_of(struct sysctld_plan plans[SYSCTLD_NRULES], const char *text,
    const char *sysctl_conf)
{
	static const char *const names[] = { "50-x.conf", NULL };
	static const char *const none[] = { NULL };
	struct sysctld_dirlist d[SYSCTLD_NDIRS];

	memset(d, 0, sizeof(d));
	d[0].names = names;
	d[0].nnames = 1;
	for (int i = 1; i < SYSCTLD_NDIRS; i++)
		d[i].names = none;
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++) {
		struct sysctld_plan *p = &plans[rules];

		sysctld_plan_files(p, (enum sysctld_rules)rules, d, NULL,
		    false);
		sysctld_parse(p, 0, text);
		if (rules == SYSCTLD_PROCPS)
			sysctld_parse(p, 1, sysctl_conf);
	}
}

/* verify: judge the host and the boot files; the status of one sysctl. */
static const struct drift_item *
verify(struct drift_result *d, const char *sem, const char *text,
    const char *sysctl_conf, bool exact)
{
	struct sysctld_plan plans[SYSCTLD_NRULES];
	struct recommendation r;
	struct kstate ks;

	host(&ks, "4096", sem, "256");
	targets(&r);
	plans_of(plans, text, sysctl_conf);
	drift_judge(&r, &ks, plans, exact, d);
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++)
		sysctld_plan_release(&plans[rules]);
	kstate_release(&ks);
	ck_assert(d->boot_judged);
	return &d->item[SC_SEM];
}

static const char *
status(const struct drift_item *it)
{
	static char b[128];

	return drift_item_status(it, b, sizeof(b));
}

START_TEST(test_verify_verdicts)
{
	static const char ok_sem[] = "250 32000 100 128";
	struct drift_result *d = malloc(sizeof(*d));
	const struct drift_item *it;

	ck_assert_ptr_nonnull(d);
	/* running and both boots comply */
	it = verify(d, ok_sem, "kernel.sem = 250 32000 100 128\n"
	    "kernel.shmmni = 4096\nfs.mqueue.queues_max = 256\n", "", false);
	ck_assert_str_eq(status(it), "ok");
	ck_assert(it->boot[SYSCTLD_SYSTEMD].set);
	ck_assert_str_eq(it->boot[SYSCTLD_SYSTEMD].file,
	    "/etc/sysctl.d/50-x.conf");
	ck_assert_int_eq(it->boot[SYSCTLD_SYSTEMD].line, 1);
	ck_assert(d->compliant);
	/* the running value only */
	it = verify(d, "250 32000 32 128", "kernel.sem = 250 32000 100 128\n",
	    "", false);
	ck_assert_str_eq(status(it), "drift: running");
	ck_assert(!d->compliant);
	/* no line: the kernel default (semopm 500, semmni 32000) complies */
	it = verify(d, ok_sem, "", "", false);
	ck_assert(!it->boot[SYSCTLD_SYSTEMD].set);
	ck_assert_str_eq(status(it), "ok");
	/* ... but not exactly */
	it = verify(d, ok_sem, "", "", true);
	ck_assert_str_eq(status(it), "drift: boot(systemd-sysctl) "
	    "boot(sysctl --system)");
	/* a lower line in sysctl.d, read by both */
	it = verify(d, ok_sem, "kernel.sem = 250 32000 32 128\n", "", false);
	ck_assert_str_eq(status(it), "drift: boot(systemd-sysctl) "
	    "boot(sysctl --system)");
	/* /etc/sysctl.conf, read by procps only */
	it = verify(d, ok_sem, "", "kernel.sem = 250 32000 32 128\n", false);
	ck_assert_str_eq(status(it), "drift: boot(sysctl --system)");
	ck_assert(it->boot[SYSCTLD_SYSTEMD].ok);
	/* "-key" cancels an assignment under systemd-sysctl only */
	it = verify(d, ok_sem, "kernel.sem = 250 32000 100 128\n-kernel.sem\n",
	    "", true);
	ck_assert(!it->boot[SYSCTLD_SYSTEMD].set);
	ck_assert_str_eq(status(it), "drift: boot(systemd-sysctl)");
	free(d);
}
END_TEST

/* a line the kernel rejects at boot: the value kept decides */
START_TEST(test_verify_rejected)
{
	struct drift_result *d = malloc(sizeof(*d));
	const struct drift_item *it;
	const struct drift_boot *b;

	ck_assert_ptr_nonnull(d);
	it = verify(d, "250 32000 32 128", "kernel.sem = 250 32000 100 "
	    "131072\n", "", false);
	ck_assert_str_eq(status(it), "drift: running boot(systemd-sysctl) "
	    "boot(sysctl --system) rejected");
	b = &it->boot[SYSCTLD_SYSTEMD];
	ck_assert(b->rejected && !b->ok && b->set);
	ck_assert_ptr_nonnull(strstr(b->reason, "semmni 131072"));
	ck_assert_ptr_nonnull(strstr(b->why, "the kernel keeps"));
	/* the fields before the bad one were written, semmni put back */
	ck_assert(b->v[SEM_SEMOPM] == 100 && b->v[SEM_SEMMNI] == 32000);
	/* rejected but what is kept complies: still not ok */
	it = verify(d, "250 32000 100 128", "kernel.sem = 250 32000 x 128\n",
	    "", false);
	ck_assert_str_eq(status(it), "drift: boot(systemd-sysctl) "
	    "boot(sysctl --system) rejected");
	free(d);
}
END_TEST

/* report keeps each host's verdict and counts them */
START_TEST(test_report_counts)
{
	struct report r;
	struct kstate ks;
	struct model m;
	static const enum drift_verdict v[] = { DRIFT_COMPLIANT, DRIFT_DRIFT,
	    DRIFT_ERROR };

	report_init(&r, 3);
	for (size_t i = 0; i < 4; i++) {
		host(&ks, "4096", "250 32000 100 128", "256");
		model_build(&ks, &m);
		report_add(&r, "h.json", &ks, &m);
		ck_assert_int_eq(r.hosts[i].drift, DRIFT_UNCHECKED);
		if (i < 3)
			report_set_drift(&r, v[i], i == 2 ? "why" : "");
		model_release(&m);
		kstate_release(&ks);
	}
	ck_assert_int_eq((int)r.drift_count[DRIFT_UNCHECKED], 1);
	ck_assert_int_eq((int)r.drift_count[DRIFT_COMPLIANT], 1);
	ck_assert_int_eq((int)r.drift_count[DRIFT_DRIFT], 1);
	ck_assert_int_eq((int)r.drift_count[DRIFT_ERROR], 1);
	ck_assert_ptr_null(r.hosts[1].drift_detail);
	ck_assert_str_eq(r.hosts[2].drift_detail, "why");
	report_release(&r);
}
END_TEST

static Suite *
drift_suite(void)
{
	Suite *s = suite_create("drift");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_complies);
	tcase_add_test(tc, test_host_compliant);
	tcase_add_test(tc, test_host_drift);
	tcase_add_test(tc, test_host_exact);
	tcase_add_test(tc, test_host_negative_sem);
	tcase_add_test(tc, test_verify_verdicts);
	tcase_add_test(tc, test_verify_rejected);
	tcase_add_test(tc, test_report_counts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(drift_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
