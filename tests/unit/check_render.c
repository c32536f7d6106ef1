/*
 * check_render.c: unit tests of what render.c takes from its caller
 * instead of reading it: the moment of the envelope, the names of IDs
 * (through the injected resolver, or the number), and the error document.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"

static const char *
fake_user(uid_t uid)
{
	return uid == 0 ? "root" : "other";
}

static const char *
fake_group(gid_t gid)
{
	return gid == 0 ? "wheel" : "staff";
}

START_TEST(test_envelope_now)
{
	json_t *root = render_envelope("status", NULL, 1700000000);

	ck_assert_str_eq(json_string_value(json_object_get(root,
	    "generated_at")), "2023-11-14T22:13:20Z");
	ck_assert_str_eq(json_string_value(json_object_get(root, "document")),
	    "status");
	ck_assert_ptr_null(json_object_get(root, "ipc_namespace"));
	json_decref(root);
}
END_TEST

START_TEST(test_names)
{
	struct render_opts ro = { .user_name = fake_user,
	    .group_name = fake_group };
	char buf[32];

	ck_assert_str_eq(render_user(&ro, 0, buf, sizeof(buf)), "root");
	ck_assert_str_eq(render_group(&ro, 0, buf, sizeof(buf)), "wheel");
	/* no resolver: the number, never a lookup */
	ro.user_name = NULL;
	ro.group_name = NULL;
	ck_assert_str_eq(render_user(&ro, 1000, buf, sizeof(buf)), "1000");
	ck_assert_str_eq(render_group(NULL, 4294967294u, buf, sizeof(buf)),
	    "4294967294");
}
END_TEST

START_TEST(test_error_document)
{
	char path[] = "/tmp/check_render.XXXXXX";
	json_error_t je;
	json_t *doc, *e;
	int fd = mkstemp(path), saved;

	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
	/* a message that is not UTF-8 stays, escaped */
	ck_assert_int_eq(render_json_error("cannot read '/x\xff': gone", 1,
	    1700000000), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);
	doc = json_load_file(path, 0, &je);
	unlink(path);
	ck_assert_msg(doc != NULL, "%s", je.text);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "document")),
	    "error");
	e = json_object_get(doc, "error");
	ck_assert_str_eq(json_string_value(json_object_get(e, "message")),
	    "cannot read '/x\\xff': gone");
	ck_assert_int_eq(json_integer_value(json_object_get(e,
	    "exit_status")), 1);
	json_decref(doc);
}
END_TEST

static Suite *
render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("opts");

	tcase_add_test(tc, test_envelope_now);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_error_document);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(render_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
