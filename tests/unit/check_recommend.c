/*
 * check_recommend.c: unit tests of the merge rules: raise-only, --exact,
 * kernel.sem field by field, the larger value across profiles, clamping
 * to IPCMNI (and ipcmni_extend), usage floors and coherence warnings.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recommend.h"

static void
mkprof(struct profile *p, const char *name, const char *text)
{
	struct profile_facts f = { .ram_bytes = 64ull << 30,
	    .page_size = 4096, .ncpu = 2 };
	char err[512];

	profile_init(p);
	ck_assert_msg(profile_parse_string(p, text, strlen(text), name, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_msg(profile_evaluate(p, &f, NULL, 0, err, sizeof(err)) == 0,
	    "%s", err);
	p->name = strdup(name);
}

static void
mkks(struct kstate *ks)
{
	static const uint64_t sem[4] = { 32000, 1024000000, 500, 32000 };

	kstate_init(ks);
	ks->host.page_size = 4096;
	for (int i = 0; i < SC_COUNT; i++) {
		ks->sysctl[i].present = true;
		ks->sysctl[i].v[0] = sysctl_table[i].kernel_default;
	}
	memcpy(ks->sysctl[SC_SEM].v, sem, sizeof(sem));
	ks->has_usage = true;
}

START_TEST(test_raise_only_and_sem_fields)
{
	struct profile a;
	const struct profile *ps[1] = { &a };
	struct kstate ks;
	struct recommendation r;

	mkks(&ks);
	mkprof(&a, "oracle", "[sysctl]\nkernel.sem = 250 32000 100 128\n"
	    "kernel.shmmni = 8192\nkernel.shmmax = 4T\n");
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert(r.item[SC_SEM].present);
	ck_assert_int_eq(r.item[SC_SEM].action, REC_KEEP);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMMNI].recommended, 32000);
	ck_assert_int_eq(r.item[SC_SHMMNI].action, REC_RAISE);
	ck_assert_uint_eq(r.item[SC_SHMMNI].f[0].recommended, 8192);
	ck_assert_int_eq(r.item[SC_SHMMAX].action, REC_KEEP);
	ck_assert(!r.item[SC_MSGMNI].present);
	recommend_release(&r);
	recommend_build(ps, 1, &ks, true, &r);
	ck_assert_int_eq(r.item[SC_SEM].action, REC_LOWER);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMMNI].recommended, 128);
	ck_assert_int_eq(r.item[SC_SHMMAX].action, REC_LOWER);
	recommend_release(&r);
	/* one field raised, the others kept */
	ks.sysctl[SC_SEM].v[SEM_SEMOPM] = 32;
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert_int_eq(r.item[SC_SEM].action, REC_RAISE);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMOPM].recommended, 100);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMMSL].recommended, 32000);
	recommend_release(&r);
	profile_release(&a);
}
END_TEST

/*
 * A negative kernel.sem field: SEMOPM -1 limits nothing (semop compares
 * it unsigned), so raise-only keeps it and says why; SEMMSL -5 admits
 * nothing, so it is raised; --exact writes the profile's values.
 */
START_TEST(test_negative_sem_fields)
{
	struct profile a;
	const struct profile *ps[1] = { &a };
	struct kstate ks;
	struct recommendation r;
	int64_t neg;

	mkks(&ks);
	mkprof(&a, "oracle", "[sysctl]\nkernel.sem = 250 32000 100 128\n");
	snprintf(ks.sysctl[SC_SEM].raw, sizeof(ks.sysctl[SC_SEM].raw),
	    "32000\t1024000000\t-1\t32000");
	ks.sysctl[SC_SEM].v[SEM_SEMOPM] = 0;
	ks.sysctl[SC_SEM].negative = true;
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert_int_eq(r.item[SC_SEM].action, REC_KEEP);
	ck_assert(sysctl_sem_negative(r.item[SC_SEM].f[SEM_SEMOPM].current,
	    &neg));
	ck_assert_int_eq(neg, -1);
	ck_assert(sysctl_sem_negative(
	    r.item[SC_SEM].f[SEM_SEMOPM].recommended, &neg));
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMOPM].effective, 4294967295u);
	ck_assert_ptr_nonnull(strstr(r.item[SC_SEM].why,
	    "semopm: current -1 limits nothing"));
	for (size_t i = 0; i < r.nwarnings; i++)
		ck_assert_ptr_null(strstr(r.warnings[i], "above 1000"));
	recommend_release(&r);
	recommend_build(ps, 1, &ks, true, &r);
	ck_assert_int_eq(r.item[SC_SEM].f[SEM_SEMOPM].action, REC_LOWER);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMOPM].recommended, 100);
	recommend_release(&r);
	snprintf(ks.sysctl[SC_SEM].raw, sizeof(ks.sysctl[SC_SEM].raw),
	    "-5\t1024000000\t500\t32000");
	ks.sysctl[SC_SEM].v[SEM_SEMOPM] = 500;
	ks.sysctl[SC_SEM].v[SEM_SEMMSL] = 0;
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert_int_eq(r.item[SC_SEM].f[SEM_SEMMSL].action, REC_RAISE);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMMSL].recommended, 250);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMMSL].effective, 0);
	ck_assert_int_eq(r.item[SC_SEM].action, REC_RAISE);
	recommend_release(&r);
	profile_release(&a);
}
END_TEST

START_TEST(test_merge_and_clamp)
{
	struct profile a, b;
	const struct profile *ps[2] = { &a, &b };
	struct kstate ks;
	struct recommendation r;

	mkks(&ks);
	ks.sysctl[SC_SEM].v[SEM_SEMMNI] = 128;
	mkprof(&a, "db2", "[sysctl]\nkernel.msgmni = 1024 * ram_gib\n"
	    "kernel.sem = 250 256000 32 256 * ram_gib\n");
	mkprof(&b, "mq", "[sysctl]\nkernel.sem = 32 4096 64 128\n"
	    "kernel.msgmni = 100\n");
	recommend_build(ps, 2, &ks, false, &r);
	ck_assert_uint_eq(r.item[SC_MSGMNI].f[0].wanted, 65536);
	ck_assert_uint_eq(r.item[SC_MSGMNI].f[0].recommended, 32768);
	ck_assert(r.item[SC_MSGMNI].clamped);
	ck_assert_ptr_nonnull(strstr(r.item[SC_MSGMNI].why, "IPCMNI"));
	/* the clamped value is not what db2 asked: never "db2 asks 32768" */
	ck_assert_str_eq(r.item[SC_MSGMNI].why, "kernel.msgmni: db2 asks "
	    "65536, clamped to 32768 (IPCMNI; boot with ipcmni_extend for "
	    "more)");
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMMNI].recommended, 16384);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMOPM].recommended, 500);
	ck_assert_uint_eq(r.item[SC_SEM].f[SEM_SEMOPM].target, 64);
	ck_assert_str_eq(r.item[SC_SEM].f[SEM_SEMOPM].from, "mq");
	ck_assert(r.nwarnings >= 1);
	recommend_release(&r);
	ks.host.ipcmni_extend = true;
	recommend_build(ps, 2, &ks, false, &r);
	ck_assert_uint_eq(r.item[SC_MSGMNI].f[0].recommended, 65536);
	ck_assert(!r.item[SC_MSGMNI].clamped);
	recommend_release(&r);
	profile_release(&a);
	/* booted with ipcmni_extend: no advice to boot with it */
	mkprof(&a, "huge", "[sysctl]\nkernel.msgmni = 20000000\n");
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert_uint_eq(r.item[SC_MSGMNI].f[0].recommended, 16777216);
	ck_assert(r.item[SC_MSGMNI].clamped);
	recommend_release(&r);
	/* clamped and kept: the current value is that value */
	ks.sysctl[SC_MSGMNI].v[0] = 16777216;
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert_int_eq(r.item[SC_MSGMNI].action, REC_KEEP);
	ck_assert_msg(strstr(r.item[SC_MSGMNI].why, "current 16777216 is "
	    "that value, kept") != NULL && strstr(r.item[SC_MSGMNI].why,
	    "huge asks 16777216") == NULL, "%s", r.item[SC_MSGMNI].why);
	recommend_release(&r);
	ks.sysctl[SC_MSGMNI].v[0] = 32000;
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert_msg(strstr(r.item[SC_MSGMNI].why, "boot with") == NULL,
	    "%s", r.item[SC_MSGMNI].why);
	ck_assert_ptr_nonnull(strstr(r.item[SC_MSGMNI].why, "ipcmni_extend"));
	recommend_release(&r);
	profile_release(&a);
	profile_release(&b);
}
END_TEST

START_TEST(test_usage_and_coherence)
{
	struct profile a;
	const struct profile *ps[1] = { &a };
	struct kstate ks;
	struct recommendation r;

	mkks(&ks);
	ks.usage.shm_segments = 50;
	mkprof(&a, "x", "[sysctl]\nkernel.shmmni = 10\nkernel.msgmax = 1M\n"
	    "kernel.shmall = 1\nkernel.shmmax = 1G\nfs.mqueue.msg_max = 0\n");
	recommend_build(ps, 1, &ks, true, &r);
	ck_assert(r.item[SC_SHMMNI].below_usage);
	ck_assert(r.below_usage);
	ck_assert(r.item[SC_MQ_MSG_MAX].clamped);
	ck_assert_uint_eq(r.item[SC_MQ_MSG_MAX].f[0].recommended, 1);
	{
		bool shmall = false, msgmax = false;

		for (size_t i = 0; i < r.nwarnings; i++) {
			if (strstr(r.warnings[i], "kernel.shmall") == r.warnings[i])
				shmall = true;
			if (strstr(r.warnings[i], "kernel.msgmax") == r.warnings[i])
				msgmax = true;
		}
		ck_assert(shmall);
		ck_assert(msgmax);
	}
	recommend_release(&r);
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert(!r.below_usage);
	ck_assert_int_eq(r.item[SC_SHMMNI].action, REC_KEEP);
	recommend_release(&r);
	profile_release(&a);
}
END_TEST

START_TEST(test_rmid_forced_warning)
{
	struct profile a;
	const struct profile *ps[1] = { &a };
	struct kstate ks;
	struct recommendation r;
	bool seen = false;

	mkks(&ks);
	mkprof(&a, "x", "[sysctl]\nkernel.shm_rmid_forced = 1\n");
	recommend_build(ps, 1, &ks, false, &r);
	ck_assert_int_eq(r.item[SC_SHM_RMID_FORCED].action, REC_RAISE);
	for (size_t i = 0; i < r.nwarnings; i++)
		if (strstr(r.warnings[i], "shm_destroy_orphaned") != NULL)
			seen = true;
	ck_assert(seen);
	recommend_release(&r);
	profile_release(&a);
}
END_TEST

static Suite *
recommend_suite(void)
{
	Suite *s = suite_create("recommend");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_raise_only_and_sem_fields);
	tcase_add_test(tc, test_negative_sem_fields);
	tcase_add_test(tc, test_merge_and_clamp);
	tcase_add_test(tc, test_usage_and_coherence);
	tcase_add_test(tc, test_rmid_forced_warning);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(recommend_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
