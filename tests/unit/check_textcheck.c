/* Unit tests for textcheck.c: control characters refused, text kept. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "textcheck.h"

START_TEST(test_clean)
{
	ck_assert(textcheck_clean(""));
	ck_assert(textcheck_clean("plan of db2 (/srv/plans/a b.json)"));
	/* UTF-8 that is not C1 is text */
	ck_assert(textcheck_clean("caf\xc3\xa9 \xe2\x82\xac"));
	ck_assert(!textcheck_clean("a\nkernel.core_pattern = |x"));
	ck_assert(!textcheck_clean("a\rb"));
	ck_assert(!textcheck_clean("\t"));
	ck_assert(!textcheck_clean("\x1b[2J"));
	ck_assert(!textcheck_clean("del\x7f"));
	/* U+0085 NEL and U+009B CSI */
	ck_assert(!textcheck_clean("x\xc2\x85y"));
	ck_assert(!textcheck_clean("\xc2\x9b" "31m"));
}
END_TEST

START_TEST(test_field)
{
	char err[256];

	ck_assert_int_eq(textcheck_field("the profile name", "db2", err,
	    sizeof(err)), 0);
	errno = 0;
	ck_assert_int_eq(textcheck_field("the profile name", "x\nk = 1", err,
	    sizeof(err)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(err, "the profile name 'x\\x0ak = 1' holds a control "
	    "character (\\x0a at offset 1): refusing to write it into a "
	    "file");
}
END_TEST

static Suite *
textcheck_suite(void)
{
	Suite *s = suite_create("textcheck");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_field);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(textcheck_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
