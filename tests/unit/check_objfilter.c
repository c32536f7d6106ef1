/*
 * check_objfilter.c: unit tests of objfilter.c: each filter of 'list'
 * alone and combined, --older-than counted from ctime with a ctime in
 * the future as age 0, and a kstate compacted in order to the objects
 * that pass.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "objfilter.h"

static const struct obj_perm perm = {
	.id = 7, .key = 0x1234, .mode = 0600, .uid = 1000, .cuid = 0,
	.gid = 1000, .cgid = 0,
};

static struct orphan_filter
filter(void)
{
	struct orphan_filter f;

	orphan_filter_init(&f);
	return f;
}

START_TEST(test_no_filter)
{
	struct orphan_filter f = filter();

	for (int t = 0; t < IPC_NTYPES; t++)
		ck_assert(objfilter_match(&f, (enum ipc_type)t, &perm, 0,
		    100));
	f.types = 0;	/* 0 means every type */
	ck_assert(objfilter_match(&f, IPC_MSG, &perm, 0, 100));
}
END_TEST

START_TEST(test_each_filter)
{
	struct orphan_filter f = filter();

	f.types = IPC_TYPE_BIT(IPC_SEM);
	ck_assert(objfilter_match(&f, IPC_SEM, &perm, 0, 0));
	ck_assert(!objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	f = filter();
	f.has_id = true;
	f.id = 7;
	ck_assert(objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	f.id = 8;
	ck_assert(!objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	f = filter();
	f.has_key = true;
	f.key = 0x1234;
	ck_assert(objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	f.key = 0;
	ck_assert(!objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	/* owner is uid, creator is cuid: the two differ here */
	f = filter();
	f.has_owner = true;
	f.owner = 1000;
	ck_assert(objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	f.owner = 0;
	ck_assert(!objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	f = filter();
	f.has_creator = true;
	f.creator = 0;
	ck_assert(objfilter_match(&f, IPC_SHM, &perm, 0, 0));
	f.creator = 1000;
	ck_assert(!objfilter_match(&f, IPC_SHM, &perm, 0, 0));
}
END_TEST

/* a POSIX object has no key: even key 0 (IPC_PRIVATE) does not match */
START_TEST(test_posix_has_no_key)
{
	struct orphan_filter f = filter();
	struct obj_perm p = { .id = -1, .key = 0, .mode = 0600 };

	f.has_key = true;
	f.key = 0;
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		ck_assert(!objfilter_match(&f, (enum ipc_type)t, &p, 0, 0));
	ck_assert(objfilter_match(&f, IPC_SHM, &p, 0, 0));
}
END_TEST

START_TEST(test_older_than)
{
	struct orphan_filter f = filter();

	f.has_older_than = true;
	f.older_than_s = 3600;
	ck_assert(objfilter_match(&f, IPC_SEM, &perm, 1000, 4600));
	ck_assert(!objfilter_match(&f, IPC_SEM, &perm, 1001, 4600));
	/* a change time after now is age 0 */
	ck_assert(!objfilter_match(&f, IPC_SEM, &perm, 9000, 4600));
	f.older_than_s = 0;
	ck_assert(objfilter_match(&f, IPC_SEM, &perm, 9000, 4600));
}
END_TEST

START_TEST(test_combined)
{
	struct orphan_filter f = filter();

	f.has_owner = true;
	f.owner = 1000;
	f.has_creator = true;
	f.creator = 0;
	f.has_key = true;
	f.key = 0x1234;
	ck_assert(objfilter_match(&f, IPC_MSG, &perm, 0, 0));
	f.creator = 1000;
	ck_assert(!objfilter_match(&f, IPC_MSG, &perm, 0, 0));
}
END_TEST

START_TEST(test_apply_compacts)
{
	struct kstate ks;
	struct orphan_filter f = filter();

	memset(&ks, 0, sizeof(ks));
	ks.nshm = 4;
	ks.shm = calloc(ks.nshm, sizeof(*ks.shm));
	ks.nsem = 1;
	ks.sem = calloc(ks.nsem, sizeof(*ks.sem));
	ks.nmsg = 2;
	ks.msg = calloc(ks.nmsg, sizeof(*ks.msg));
	ck_assert(ks.shm != NULL && ks.sem != NULL && ks.msg != NULL);
	for (size_t i = 0; i < ks.nshm; i++) {
		ks.shm[i].perm.id = (int)i;
		ks.shm[i].perm.uid = i % 2 ? 5 : 6;
		ks.shm[i].size_bytes = 100 + i;
	}
	ks.sem[0].perm.uid = 5;
	ks.msg[0].perm.uid = 6;
	ks.msg[1].perm.uid = 5;
	ks.msg[1].perm.id = 9;
	f.has_owner = true;
	f.owner = 5;
	ck_assert_uint_eq(objfilter_apply(&f, 0, &ks), 4);
	ck_assert_uint_eq(ks.nshm, 2);
	ck_assert_int_eq(ks.shm[0].perm.id, 1);
	ck_assert_uint_eq(ks.shm[0].size_bytes, 101);
	ck_assert_int_eq(ks.shm[1].perm.id, 3);
	ck_assert_uint_eq(ks.nsem, 1);
	ck_assert_uint_eq(ks.nmsg, 1);
	ck_assert_int_eq(ks.msg[0].perm.id, 9);
	f.types = IPC_TYPE_BIT(IPC_MSG);
	ck_assert_uint_eq(objfilter_apply(&f, 0, &ks), 1);
	ck_assert_uint_eq(ks.nshm + ks.nsem, 0);
	kstate_release(&ks);
}
END_TEST

static Suite *
objfilter_suite(void)
{
	Suite *s = suite_create("objfilter");
	TCase *tc = tcase_create("filters");

	tcase_add_test(tc, test_no_filter);
	tcase_add_test(tc, test_each_filter);
	tcase_add_test(tc, test_posix_has_no_key);
	tcase_add_test(tc, test_older_than);
	tcase_add_test(tc, test_combined);
	tcase_add_test(tc, test_apply_compacts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(objfilter_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
