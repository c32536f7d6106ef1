/* Unit tests for report.c: the fleet aggregation over many snapshots. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "procparse.h"
#include "report.h"

static void
set(struct kstate *ks, enum sysctl_id id, const char *text)
{
	char err[256];

	ck_assert_int_eq(procparse_sysctl(id, text, &ks->sysctl[id], err,
	    sizeof(err)), 0);
}

/* A host with SEMMNI arrays allowed and ARRAYS used. */
static void
host(struct kstate *ks, const char *name, const char *sem, uint64_t arrays)
{
	kstate_init(ks);
	snprintf(ks->host.hostname, sizeof(ks->host.hostname), "%s", name);
	ks->host.page_size = 4096;
	set(ks, SC_SHMMAX, "18446744073692774399");
	set(ks, SC_SHMALL, "18446744073692774399");
	set(ks, SC_SHMMNI, "4096");
	set(ks, SC_SEM, sem);
	set(ks, SC_MSGMNI, "32000");
	ks->has_usage = true;
	ks->usage.sem_arrays = arrays;
}

static void
add(struct report *r, const char *file, struct kstate *ks)
{
	struct model m;

	model_build(ks, &m);
	report_add(r, file, ks, &m);
	model_release(&m);
	kstate_release(ks);
}

START_TEST(test_top_keeps_least_headroom)
{
	struct report r;
	struct kstate ks;

	report_init(&r, 2);
	host(&ks, "a", "250 32000 32 100", 10);		/* 10% */
	add(&r, "a.json", &ks);
	host(&ks, "b", "250 32000 32 100", 90);		/* 90% */
	add(&r, "b.json", &ks);
	host(&ks, "c", "250 32000 32 200", 100);	/* 50% */
	add(&r, "c.json", &ks);
	host(&ks, "d", "250 32000 32 1000", 500);	/* 50%, more free */
	add(&r, "d.json", &ks);
	report_finish(&r);
	ck_assert_uint_eq(r.nhosts, 4);
	ck_assert_uint_eq(r.ntop[R_SEMMNI], 2);
	ck_assert_str_eq(r.hosts[r.top[R_SEMMNI][0].host].hostname, "b");
	/* equal ratios: the one with less free headroom comes first */
	ck_assert_str_eq(r.hosts[r.top[R_SEMMNI][1].host].hostname, "c");
	ck_assert_int_eq(r.hosts[1].worst, R_SEMMNI);
	report_release(&r);
}
END_TEST

START_TEST(test_top_n_is_clamped)
{
	struct report r;

	report_init(&r, 0);
	ck_assert_uint_eq(r.top_n, 1);
	report_release(&r);
	report_init(&r, 100000);
	ck_assert_uint_eq(r.top_n, REPORT_TOP_MAX);
	report_release(&r);
}
END_TEST

START_TEST(test_distribution_normalises_sem)
{
	struct report r;
	struct kstate ks;

	report_init(&r, 3);
	host(&ks, "a", "250\t32000\t32\t128", 0);
	add(&r, "a.json", &ks);
	host(&ks, "b", "250 32000 32 128", 0);
	add(&r, "b.json", &ks);
	host(&ks, "c", "32000 1024000000 500 32000", 0);
	add(&r, "c.json", &ks);
	report_finish(&r);
	ck_assert_uint_eq(r.dist[SC_SEM].nvalues, 2);
	ck_assert_str_eq(r.dist[SC_SEM].values[0].text, "250 32000 32 128");
	ck_assert_uint_eq(r.dist[SC_SEM].values[0].hosts, 2);
	ck_assert_uint_eq(r.dist[SC_SEM].values[1].hosts, 1);
	/* the sysctls no host has are counted as missing */
	ck_assert_uint_eq(r.dist[SC_MSGMAX].nvalues, 0);
	ck_assert_uint_eq(r.dist[SC_MSGMAX].missing, 3);
	ck_assert_str_eq(r.hosts[2].sysctl_text[SC_SHMMAX],
	    "18446744073692774399");
	report_release(&r);
}
END_TEST

START_TEST(test_distribution_overflows_to_other)
{
	struct report r;
	struct kstate ks;
	char v[32];

	report_init(&r, 3);
	for (int i = 0; i < REPORT_DIST_MAX + 5; i++) {
		host(&ks, "h", "250 32000 32 128", 0);
		snprintf(v, sizeof(v), "%d", 1000 + i);
		set(&ks, SC_SHMMNI, v);
		add(&r, "h.json", &ks);
	}
	report_finish(&r);
	ck_assert_uint_eq(r.dist[SC_SHMMNI].nvalues, REPORT_DIST_MAX);
	ck_assert_uint_eq(r.dist[SC_SHMMNI].other, 5);
	report_release(&r);
}
END_TEST

START_TEST(test_unattached_segments)
{
	struct report r;
	struct kstate ks;
	struct shm_obj *s;

	report_init(&r, 3);
	host(&ks, "a", "250 32000 32 128", 0);
	s = calloc(3, sizeof(*s));
	ck_assert_ptr_nonnull(s);
	s[0].size_bytes = 100;			/* unattached: counts */
	s[1].size_bytes = 1000;
	s[1].nattch = 2;			/* attached */
	s[2].size_bytes = 10000;
	s[2].perm.mode = IPC_SHM_DEST;		/* freed on last detach */
	ks.shm = s;
	ks.nshm = 3;
	ks.has_shm = true;
	add(&r, "a.json", &ks);
	host(&ks, "b", "250 32000 32 128", 0);
	add(&r, "b.json", &ks);
	ck_assert_uint_eq(r.hosts[0].unattached_shm, 1);
	ck_assert_uint_eq(r.hosts[0].unattached_shm_bytes, 100);
	ck_assert_uint_eq(r.hosts[1].unattached_shm, 0);
	ck_assert_uint_eq(r.leaky_hosts, 1);
	report_release(&r);
}
END_TEST

/* leaky hosts: most leaked first, then most unattached bytes, then order */
START_TEST(test_leaky_order)
{
	static const uint64_t orphans[5][IPC_NTYPES] = { { 2, 1, 2 }, { 1, 0, 1 },
	    { 0, 0, 0 }, { 1, 0, 1 }, { 0, 0, 0 } };
	struct report r;
	struct kstate ks;
	size_t *v;

	report_init(&r, 3);
	for (int i = 0; i < 5; i++) {
		host(&ks, "h", "250 32000 32 128", 0);
		add(&r, "h.json", &ks);
		report_set_orphans(&r, orphans[i]);
	}
	r.hosts[3].unattached_shm_bytes = 50;
	ck_assert_uint_eq(r.leaky_hosts, 3);
	v = report_leaky_hosts(&r);
	ck_assert_uint_eq(v[0], 0);
	ck_assert_uint_eq(v[1], 3);
	ck_assert_uint_eq(v[2], 1);
	free(v);
	report_release(&r);
}
END_TEST

/* POSIX objects and bytes per host; their verdicts count as leaked */
START_TEST(test_posix_objects_and_verdicts)
{
	static const uint64_t sysv[IPC_NTYPES] = { 1, 0, 0 };
	static const uint64_t orph[IPC_NTYPES] = { 9, 9, 9, 2, 1, 0 };
	static const uint64_t susp[IPC_NTYPES] = { 9, 9, 9, 3, 0, 1 };
	struct pshm_obj *p = calloc(2, sizeof(*p));
	struct report r;
	struct kstate ks;

	report_init(&r, 3);
	host(&ks, "a", "250 32000 32 128", 0);
	ck_assert_ptr_nonnull(p);
	p[0].f.alloc_bytes = 4096;
	p[1].f.alloc_bytes = 1 << 20;
	ks.pshm = p;
	ks.npshm = 2;
	ks.has_pshm = ks.has_psem = true;
	add(&r, "a.json", &ks);
	ck_assert(r.hosts[0].has_posix[IPC_PSHM]);
	ck_assert(r.hosts[0].has_posix[IPC_PSEM]);
	ck_assert(!r.hosts[0].has_posix[IPC_PMQ]);
	ck_assert_uint_eq(r.hosts[0].posix_objects[IPC_PSHM], 2);
	ck_assert_uint_eq(r.hosts[0].posix_objects[IPC_PSEM], 0);
	ck_assert_uint_eq(r.hosts[0].pshm_bytes, 4096 + (1 << 20));
	report_set_orphans(&r, sysv);
	ck_assert_uint_eq(report_leaked(&r.hosts[0]), 1);
	/* the System V slots of the POSIX call are not read */
	report_set_posix_orphans(&r, orph, susp, 1 << 20);
	ck_assert_uint_eq(report_leaked(&r.hosts[0]), 1 + 2 + 1);
	ck_assert_uint_eq(r.hosts[0].orphans[IPC_SHM], 1);
	ck_assert_uint_eq(r.hosts[0].suspect[IPC_PSHM], 3);
	ck_assert_uint_eq(r.hosts[0].suspect[IPC_PMQ], 1);
	ck_assert_uint_eq(r.hosts[0].orphan_pshm_bytes, 1 << 20);
	ck_assert_uint_eq(r.leaky_hosts, 1);
	/* an older snapshot: no POSIX sections, no POSIX verdicts */
	host(&ks, "b", "250 32000 32 128", 0);
	add(&r, "b.json", &ks);
	report_set_orphans(&r, orph);
	ck_assert(!r.hosts[1].has_posix[IPC_PSHM]);
	ck_assert(!r.hosts[1].has_posix_orphans);
	ck_assert_uint_eq(report_leaked(&r.hosts[1]), 27);
	report_release(&r);
}
END_TEST

START_TEST(test_skips_are_kept)
{
	struct report r;

	report_init(&r, 3);
	report_add_skip(&r, "x.json", "unsupported schema_version 2");
	report_add_skip(&r, "y.json", "line 1, column 0: bad");
	ck_assert_uint_eq(r.nskips, 2);
	ck_assert_str_eq(r.skips[1].file, "y.json");
	ck_assert_str_eq(r.skips[0].reason, "unsupported schema_version 2");
	ck_assert_uint_eq(r.nhosts, 0);
	report_release(&r);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_top_keeps_least_headroom);
	tcase_add_test(tc, test_top_n_is_clamped);
	tcase_add_test(tc, test_distribution_normalises_sem);
	tcase_add_test(tc, test_distribution_overflows_to_other);
	tcase_add_test(tc, test_unattached_segments);
	tcase_add_test(tc, test_leaky_order);
	tcase_add_test(tc, test_posix_objects_and_verdicts);
	tcase_add_test(tc, test_skips_are_kept);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
