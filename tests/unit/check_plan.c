/*
 * check_plan.c: unit tests of plan.c on hand-made kernel states: the
 * needed value and the instances each limit allows (shmall in pages
 * after rounding each segment up), the limit that runs out first, the
 * instances that fit agreeing with fit.c on random states, the values
 * handed to recommend, and reading a plan document back.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "procparse.h"
#include "recommend.h"

static struct kstate ks;
static struct plan_demand d;
static struct plan_result r;

static void
set1(enum sysctl_id id, uint64_t v)
{
	ks.sysctl[id].present = true;
	ks.sysctl[id].v[0] = v;
	snprintf(ks.sysctl[id].raw, sizeof(ks.sysctl[id].raw), "%llu",
	    (unsigned long long)v);
}

static void
set_sem(uint64_t msl, uint64_t mns, uint64_t opm, uint64_t mni)
{
	struct sysctl_value *sv = &ks.sysctl[SC_SEM];

	sv->present = true;
	sv->v[0] = msl;
	sv->v[1] = mns;
	sv->v[2] = opm;
	sv->v[3] = mni;
	sv->negative = false;
	snprintf(sv->raw, sizeof(sv->raw), "%llu\t%llu\t%llu\t%llu",
	    (unsigned long long)msl, (unsigned long long)mns,
	    (unsigned long long)opm, (unsigned long long)mni);
}

static void
demand(enum demand_id id, uint64_t v)
{
	d.has[id] = true;
	d.v[id] = v;
}

/* Kernel defaults, empty namespace, 4 KiB pages. */
static void
setup(void)
{
	kstate_init(&ks);
	memset(&d, 0, sizeof(d));
	ks.host.page_size = 4096;
	set1(SC_SHMMAX, 18446744073692774399ull);
	set1(SC_SHMALL, 18446744073692774399ull);
	set1(SC_SHMMNI, 4096);
	set_sem(32000, 1024000000, 500, 32000);
	set1(SC_MSGMAX, 8192);
	set1(SC_MSGMNB, 16384);
	set1(SC_MSGMNI, 32000);
	set1(SC_MQ_QUEUES_MAX, 256);
	ks.has_usage = true;
}

static void
build(uint64_t k)
{
	char err[256];

	ck_assert_msg(plan_build(&ks, &d, k, &r, err, sizeof(err)) == 0,
	    "%s", err);
}

START_TEST(test_shm_pages_rounded_per_segment)
{
	/* 2 segments of 10000 bytes: 3 pages each, not 5 for 20000 */
	demand(D_SHM_SEGMENTS, 2);
	demand(D_SHM_BYTES, 20000);
	set1(SC_SHMALL, 100);
	set1(SC_SHMMNI, 50);
	ks.usage.shm_pages = 7;
	ks.usage.shm_segments = 3;
	build(4);
	ck_assert_uint_eq(r.shm_segment_bytes, 10000);
	ck_assert_uint_eq(r.shm_segment_pages, 3);
	ck_assert(r.rows[PL_SHMALL].applies);
	ck_assert_uint_eq(r.rows[PL_SHMALL].per_instance, 6);
	ck_assert_uint_eq(r.rows[PL_SHMALL].needed, 7 + 4 * 6);
	ck_assert_int_eq(r.rows[PL_SHMALL].action, PA_KEEP);
	/* (100 - 7) / 3 = 31 segments, 15 instances */
	ck_assert_uint_eq(r.rows[PL_SHMALL].instances, 15);
	ck_assert_uint_eq(r.rows[PL_SHMMNI].needed, 3 + 8);
	ck_assert_uint_eq(r.rows[PL_SHMMNI].instances, 23);
	ck_assert_uint_eq(r.rows[PL_SHMMAX].needed, 10000);
	ck_assert(r.rows[PL_SHMMAX].unlimited);
	ck_assert_int_eq(r.order[0], PL_SHMALL);
	ck_assert(!r.fits_unlimited);
	ck_assert_uint_eq(r.fits, 15);
	ck_assert(r.has_next);
	ck_assert_str_eq(r.next_call, "shmget");
	ck_assert_str_eq(r.next_errname, "ENOSPC");
	ck_assert_str_eq(r.next_limit, "shmall");
	/* 16 instances need 7 + 96 pages */
	build(16);
	ck_assert_uint_eq(r.rows[PL_SHMALL].needed, 103);
	ck_assert_int_eq(r.rows[PL_SHMALL].action, PA_RAISE);
	ck_assert(!r.rows[PL_SEMMNI].applies);
}
END_TEST

START_TEST(test_sem_and_first_limit)
{
	demand(D_SEM_ARRAYS, 4);
	demand(D_SEMS_PER_ARRAY, 250);
	demand(D_SEMOP_OPS, 32);
	demand(D_MSG_QUEUES, 2);
	set_sem(250, 32000, 100, 128);
	ks.usage.sem_arrays = 10;
	ks.usage.sem_sems = 1000;
	ks.usage.msg_queues = 5;
	build(40);
	/* semmns: (32000 - 1000) / 250 = 124 arrays, 31 instances */
	ck_assert_uint_eq(r.rows[PL_SEMMNS].instances, 31);
	ck_assert_uint_eq(r.rows[PL_SEMMNS].needed, 1000 + 40 * 1000);
	ck_assert_int_eq(r.rows[PL_SEMMNS].action, PA_RAISE);
	/* semmni: (128 - 10) / 4 = 29 instances: the first to run out */
	ck_assert_uint_eq(r.rows[PL_SEMMNI].instances, 29);
	ck_assert_uint_eq(r.rows[PL_SEMMNI].needed, 170);
	ck_assert_int_eq(r.order[0], PL_SEMMNI);
	ck_assert_int_eq(r.order[1], PL_SEMMNS);
	ck_assert_uint_eq(r.fits, 29);
	ck_assert_str_eq(r.next_limit, "semmni");
	ck_assert_str_eq(r.next_call, "semget");
	ck_assert_int_eq(r.rows[PL_SEMOPM].action, PA_KEEP);
	ck_assert_uint_eq(r.rows[PL_MSGMNI].instances, (32000 - 5) / 2);
	/* semmni 40 * 4 + 10 beyond IPCMNI? no; 10000 more would be */
	build(10000);
	ck_assert_int_eq(r.rows[PL_SEMMNI].action, PA_BEYOND);
	ck_assert_uint_eq(r.rows[PL_SEMMNI].max, 32768);
	/* a per-object cap blocks every instance */
	demand(D_SEMS_PER_ARRAY, 300);
	build(1);
	ck_assert_uint_eq(r.fits, 0);
	ck_assert_str_eq(r.next_errname, "EINVAL");
	ck_assert_str_eq(r.next_limit, "semmsl");
	ck_assert_int_eq(r.order[0], PL_SEMMSL);
}
END_TEST

START_TEST(test_limits_fit_does_not_model)
{
	demand(D_MSG_QUEUES, 1);
	demand(D_MQ_QUEUES, 10);
	ks.usage.has_mq_queues = true;
	ks.usage.mq_queues = 6;
	build(2);
	ck_assert_uint_eq(r.rows[PL_MQ_QUEUES].instances, 25);
	ck_assert_uint_eq(r.rows[PL_MQ_QUEUES].needed, 26);
	ck_assert_uint_eq(r.fits, 25);
	ck_assert_str_eq(r.next_call, "mq_open");
	ck_assert_str_eq(r.next_limit, "mqueue_queues");
	/* a queue must hold msg_bytes: above msgmnb nothing works */
	demand(D_MSG_BYTES, 65536);
	build(2);
	ck_assert_uint_eq(r.fits, 0);
	ck_assert_str_eq(r.next_limit, "msgmnb");
	ck_assert_str_eq(r.next_errname, "EAGAIN");
	ck_assert_int_eq(r.rows[PL_MSGMNB].action, PA_RAISE);
	/* only per-call caps that hold: unlimited */
	memset(&d, 0, sizeof(d));
	demand(D_SEMOP_OPS, 5);
	build(3);
	ck_assert(r.fits_unlimited);
	ck_assert(!r.has_next);
	/* nothing demanded: an error */
	memset(&d, 0, sizeof(d));
	demand(D_SHM_BYTES, 0);
	{
		char err[256];

		ck_assert_int_eq(plan_build(&ks, &d, 1, &r, err,
		    sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "demands nothing"));
	}
}
END_TEST

static uint64_t
rnd(uint64_t n)
{
	return n == 0 ? 0 : (uint64_t)random() % n;
}

/* The fewest instances any System V limit allows, or UINT64_MAX. */
static uint64_t
sysv_min(void)
{
	uint64_t m = UINT64_MAX;

	for (int i = 0; i <= PL_MSGMNI; i++)
		if (r.rows[i].applies && !r.rows[i].unlimited &&
		    r.rows[i].instances < m)
			m = r.rows[i].instances;
	return m;
}

START_TEST(test_random_states_agree_with_fit)
{
	srandom(5);
	for (int n = 0; n < 5000; n++) {
		struct fit_request req;
		struct fit_result fr;
		char err[256];

		setup();
		set1(SC_SHMMAX, 1 + rnd(1u << 20));
		ks.usage.shm_pages = rnd(2000);
		set1(SC_SHMALL, rnd(2) ? ks.usage.shm_pages + rnd(100) :
		    rnd(4000));
		set1(SC_SHMMNI, rnd(300));
		ks.usage.sem_sems = rnd(5000);
		/* SEMMNS near what is used, so that it binds often */
		set_sem(rnd(300), rnd(2) ? ks.usage.sem_sems + rnd(300) :
		    rnd(20000), rnd(200), rnd(300));
		set1(SC_MSGMNI, rnd(300));
		ks.usage.shm_segments = rnd(100);
		ks.usage.sem_arrays = rnd(100);
		ks.usage.msg_queues = rnd(100);
		if (rnd(4))
			demand(D_SHM_SEGMENTS, rnd(5));
		if (rnd(4))
			demand(D_SHM_BYTES, rnd(1u << 18));
		if (rnd(4))
			demand(D_SEM_ARRAYS, rnd(5));
		if (rnd(4))
			demand(D_SEMS_PER_ARRAY, 1 + (rnd(2) ? rnd(4) :
			    rnd(260)));
		if (rnd(3) == 0)
			demand(D_SEMOP_OPS, 1 + rnd(200));
		if (rnd(4))
			demand(D_MSG_QUEUES, rnd(4));
		if (!d.v[D_SHM_SEGMENTS] && !d.v[D_SHM_BYTES] &&
		    !d.v[D_SEM_ARRAYS] && !d.v[D_SEMOP_OPS] &&
		    !d.v[D_MSG_QUEUES])
			demand(D_MSG_QUEUES, 1);
		build(1 + rnd(50));
		ck_assert_msg(!r.fits_unlimited || sysv_min() == UINT64_MAX,
		    "case %d: unlimited but a limit allows %llu", n,
		    (unsigned long long)sysv_min());
		if (r.fits_unlimited)
			continue;
		/* a per-object cap failing means no instance at all */
		ck_assert_msg(r.fits == sysv_min(), "case %d: fit says %llu, "
		    "the rows %llu", n, (unsigned long long)r.fits,
		    (unsigned long long)sysv_min());
		/* with 0, a per-call cap (semopm) may fail already */
		ck_assert(plan_request(&d, r.fits, 4096, &req) == 0);
		ck_assert(fit_predict(&ks, &req, &fr, err, sizeof(err)) == 0);
		ck_assert_msg(fr.fits || r.fits == 0, "case %d: %llu do not "
		    "fit", n, (unsigned long long)r.fits);
		ck_assert(plan_request(&d, r.fits + 1, 4096, &req) == 0);
		ck_assert(fit_predict(&ks, &req, &fr, err, sizeof(err)) == 0);
		ck_assert_msg(!fr.fits, "case %d: %llu + 1 fit", n,
		    (unsigned long long)r.fits);
		ck_assert(r.has_next);
		/* the limit named first runs out at exactly that count */
		ck_assert_uint_eq(r.rows[r.order[0]].instances, r.fits);
		/* and K more instances fit exactly when needs are kept */
		{
			bool all_keep = true;

			for (int i = 0; i <= PL_MSGMNI; i++)
				if (r.rows[i].applies &&
				    r.rows[i].action != PA_KEEP)
					all_keep = false;
			ck_assert_msg(all_keep == (r.k <= r.fits), "case %d: "
			    "k %llu fits %llu keep %d", n,
			    (unsigned long long)r.k,
			    (unsigned long long)r.fits, all_keep);
		}
	}
}
END_TEST

START_TEST(test_profile_feeds_recommend)
{
	struct profile p;
	const struct profile *pp = &p;
	struct recommendation rec;

	demand(D_SEM_ARRAYS, 4);
	demand(D_SEMS_PER_ARRAY, 250);
	demand(D_SHM_SEGMENTS, 1);
	demand(D_SHM_BYTES, 1u << 20);
	set_sem(250, 32000, 100, 128);
	set1(SC_SHMMNI, 4096);
	ks.usage.sem_arrays = 10;
	ks.usage.sem_sems = 1000;
	build(40);
	profile_init(&p);
	p.name = strdup("plan");
	plan_profile(&r, &ks, &p);
	recommend_build(&pp, 1, &ks, false, &rec);
	ck_assert(rec.item[SC_SEM].present);
	ck_assert_uint_eq(rec.item[SC_SEM].f[SEM_SEMMNI].recommended, 170);
	ck_assert_uint_eq(rec.item[SC_SEM].f[SEM_SEMMNS].recommended, 41000);
	/* not demanded: kept as they are */
	ck_assert_uint_eq(rec.item[SC_SEM].f[SEM_SEMOPM].recommended, 100);
	ck_assert_int_eq(rec.item[SC_SEM].f[SEM_SEMOPM].action, REC_KEEP);
	/* raise only: shmmni 4096 stays, though 40 segments need less */
	ck_assert_uint_eq(rec.item[SC_SHMMNI].f[0].recommended, 4096);
	ck_assert_int_eq(rec.item[SC_SHMMNI].action, REC_KEEP);
	ck_assert(!rec.item[SC_MSGMNI].present);
	recommend_release(&rec);
	profile_release(&p);
}
END_TEST

START_TEST(test_read_plan_document)
{
	static const char good[] = "{\"schema_version\": 1, \"document\": "
	    "\"plan\", \"profile\": \"db2\", \"sysctls\": ["
	    "{\"sysctl\": \"kernel.shmall\", \"recommended\": null, "
	    "\"recommended_exact\": \"18446744073692774399\"},"
	    "{\"sysctl\": \"kernel.sem\", \"recommended\": {\"semmsl\": 250, "
	    "\"semmns\": 41000, \"semopm\": 100, \"semmni\": 170}}]}";
	static const char evil[] = "{\"schema_version\": 1, \"document\": "
	    "\"plan\", \"sysctls\": [{\"sysctl\": \"kernel.core_pattern\", "
	    "\"recommended\": 1}]}";
	static const char other[] = "{\"schema_version\": 1, \"document\": "
	    "\"recommendation\", \"sysctls\": []}";
	struct profile p;
	char from[64], err[256];

	profile_init(&p);
	ck_assert_msg(plan_read(good, strlen(good), &p, from, sizeof(from),
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(from, "db2");
	ck_assert(p.sysctl[SC_SHMALL].present);
	ck_assert_uint_eq(p.sysctl[SC_SHMALL].value[0],
	    18446744073692774399ull);
	ck_assert_uint_eq(p.sysctl[SC_SEM].value[SEM_SEMMNI], 170);
	ck_assert_uint_eq(p.sysctl[SC_SEM].nfields, 4);
	ck_assert(!p.sysctl[SC_SHMMNI].present);
	profile_release(&p);
	profile_init(&p);
	ck_assert_int_eq(plan_read(evil, strlen(evil), &p, from,
	    sizeof(from), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "core_pattern"));
	profile_release(&p);
	profile_init(&p);
	ck_assert_int_eq(plan_read(other, strlen(other), &p, from,
	    sizeof(from), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a plan document"));
	ck_assert_int_eq(plan_read("{", 1, &p, from, sizeof(from), err,
	    sizeof(err)), -1);
	profile_release(&p);
}
END_TEST

/* Set kernel.sem as the kernel printed RAW, parsed as procparse does. */
static void
set_sem_raw(const char *raw)
{
	struct sysctl_value *sv = &ks.sysctl[SC_SEM];
	char err[256];

	memset(sv, 0, sizeof(*sv));
	ck_assert_msg(procparse_sysctl(SC_SEM, raw, sv, err,
	    sizeof(err)) == 0, "%s", err);
}

START_TEST(test_negative_sem_fields_held)
{
	static const char kept[] = "{\"schema_version\": 1, \"document\": "
	    "\"plan\", \"sysctls\": [{\"sysctl\": \"kernel.sem\", "
	    "\"recommended\": {\"semmsl\": 17, \"semmns\": 32000, "
	    "\"semopm\": -1, \"semmni\": 128}}]}";
	static const char below[] = "{\"schema_version\": 1, \"document\": "
	    "\"plan\", \"sysctls\": [{\"sysctl\": \"kernel.sem\", "
	    "\"recommended\": {\"semmsl\": -2147483649, \"semmns\": 1, "
	    "\"semopm\": 1, \"semmni\": 1}}]}";
	struct profile p;
	char from[64], err[256];
	int64_t v;

	demand(D_SEM_ARRAYS, 2);
	demand(D_SEMS_PER_ARRAY, 5);
	demand(D_SEMOP_OPS, 3);
	/* shown as held, judged by sysctl_effective() */
	set_sem_raw("-5\t32000\t-1\t128");
	build(1);
	ck_assert(sysctl_field_signed(SC_SEM, r.rows[PL_SEMMSL].current, &v));
	ck_assert_int_eq(v, -5);
	ck_assert_uint_eq(r.rows[PL_SEMMSL].effective, 0);
	ck_assert_int_eq(r.rows[PL_SEMMSL].action, PA_RAISE);
	ck_assert(sysctl_field_signed(SC_SEM, r.rows[PL_SEMOPM].current, &v));
	ck_assert_int_eq(v, -1);
	ck_assert_uint_eq(r.rows[PL_SEMOPM].effective, 4294967295u);
	ck_assert_int_eq(r.rows[PL_SEMOPM].action, PA_KEEP);
	ck_assert(r.rows[PL_SEMOPM].unlimited);
	ck_assert_uint_eq(r.fits, 0);
	ck_assert_str_eq(r.next_limit, "semmsl");
	set_sem_raw("250\t-7\t-1\t128");
	build(1);
	ck_assert(sysctl_field_signed(SC_SEM, r.rows[PL_SEMMNS].current, &v));
	ck_assert_int_eq(v, -7);
	ck_assert_int_eq(r.rows[PL_SEMMNS].action, PA_RAISE);
	ck_assert_uint_eq(r.rows[PL_SEMMNS].instances, 0);
	ck_assert_str_eq(r.next_limit, "semmns");
	ck_assert_str_eq(r.next_errname, "ENOSPC");
	/* a field the plan kept negative is read back as held */
	profile_init(&p);
	ck_assert_msg(plan_read(kept, strlen(kept), &p, from, sizeof(from),
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert(sysctl_sem_negative(p.sysctl[SC_SEM].value[SEM_SEMOPM],
	    &v));
	ck_assert_int_eq(v, -1);
	profile_release(&p);
	profile_init(&p);
	ck_assert_int_eq(plan_read(below, strlen(below), &p, from,
	    sizeof(from), err, sizeof(err)), -1);
	profile_release(&p);
}
END_TEST

static Suite *
plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_shm_pages_rounded_per_segment);
	tcase_add_test(tc, test_sem_and_first_limit);
	tcase_add_test(tc, test_limits_fit_does_not_model);
	tcase_add_test(tc, test_random_states_agree_with_fit);
	tcase_add_test(tc, test_profile_feeds_recommend);
	tcase_add_test(tc, test_read_plan_document);
	tcase_add_test(tc, test_negative_sem_fields_held);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(plan_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
