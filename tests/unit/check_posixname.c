/*
 * check_posixname.c: the table of naming conventions that carry a
 * creator's PID, and its parser against names that only look like one.
 */
#include <check.h>
#include <stdlib.h>

#include "posixname.h"

START_TEST(conventions)
{
	const struct posixname_conv *c;
	pid_t pid = 0;

	c = posixname_pid(IPC_PSHM, "torch_4242_1", &pid);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(pid, 4242);
	ck_assert_str_eq(c->program, "PyTorch (libshm)");
	ck_assert_ptr_nonnull(posixname_pid(IPC_PSEM,
	    "sem.zzo-sema-8085.0x55d0", &pid));
	ck_assert_int_eq(pid, 8085);
	ck_assert_ptr_nonnull(posixname_pid(IPC_PSEM, "sem.loky-77-ab",
	    &pid));
	ck_assert_int_eq(pid, 77);
	/* clean's own private name: named by the rename */
	c = posixname_pid(IPC_PSHM, ".ipctune-clean.313.9876", &pid);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(pid, 313);
	ck_assert(c->renamed);
	ck_assert(!posixname_pid(IPC_PSHM, "torch_4242_1", &pid)->renamed);
}
END_TEST

START_TEST(lookalikes)
{
	pid_t pid = 0;

	/* the wrong type, no digits, a sign, a leading zero, no end */
	ck_assert_ptr_null(posixname_pid(IPC_PSEM, "torch_4242_1", &pid));
	ck_assert_ptr_null(posixname_pid(IPC_PSHM, "torch__1", &pid));
	ck_assert_ptr_null(posixname_pid(IPC_PSHM, "torch_-5_1", &pid));
	ck_assert_ptr_null(posixname_pid(IPC_PSHM, "torch_042_1", &pid));
	ck_assert_ptr_null(posixname_pid(IPC_PSHM, "torch_42", &pid));
	ck_assert_ptr_null(posixname_pid(IPC_PSHM, "torch_0_1", &pid));
	/* above PID_MAX_LIMIT, and far above it */
	ck_assert_ptr_null(posixname_pid(IPC_PSHM, "torch_4194305_1", &pid));
	ck_assert_ptr_null(posixname_pid(IPC_PSHM,
	    "torch_99999999999999999999_1", &pid));
	ck_assert_ptr_nonnull(posixname_pid(IPC_PSHM, "torch_4194304_1",
	    &pid));
	ck_assert_int_eq(pid, 4194304);
}
END_TEST

static Suite *
posixname_suite(void)
{
	Suite *s = suite_create("posixname");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, conventions);
	tcase_add_test(tc, lookalikes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(posixname_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
