/*
 * check_idname.c: user and group names of IDs and IDs of names (through
 * this system's NSS, where root is user and group 0), numbers taken as
 * IDs, and hostile text refused.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "idname.h"

START_TEST(names_and_numbers)
{
	uid_t uid = 1;
	gid_t gid = 1;

	ck_assert_str_eq(idname_user(0), "root");
	ck_assert_str_eq(idname_group(0), "root");
	ck_assert_int_eq(idname_parse_user("root", &uid), 0);
	ck_assert_uint_eq(uid, 0);
	ck_assert_int_eq(idname_parse_group("root", &gid), 0);
	ck_assert_uint_eq(gid, 0);
	ck_assert_int_eq(idname_parse_user("4294967294", &uid), 0);
	ck_assert_uint_eq(uid, 4294967294u);
	ck_assert_int_eq(idname_parse_group("1000", &gid), 0);
	ck_assert_uint_eq(gid, 1000);
}
END_TEST

START_TEST(hostile)
{
	static const char *const bad[] = {
		"", "-1", "4294967295", "99999999999999999999", "1x", " 1",
		"0x10", "no_such_user_idname_x",
	};
	uid_t uid = 7;
	gid_t gid = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(idname_parse_user(bad[i], &uid) == -1,
		    "user '%s' accepted", bad[i]);
		ck_assert_msg(idname_parse_group(bad[i], &gid) == -1,
		    "group '%s' accepted", bad[i]);
	}
	ck_assert_uint_eq(uid, 7);
	ck_assert_uint_eq(gid, 7);
}
END_TEST

static Suite *
idname_suite(void)
{
	Suite *s = suite_create("idname");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names_and_numbers);
	tcase_add_test(tc, hostile);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(idname_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
