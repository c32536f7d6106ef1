/*
 * check_jsonc.c: unit tests of the compact JSON text writer: each value
 * is written by jsonc and built as a jansson tree, and the text must be
 * the bytes json_dumpb(JSON_COMPACT | JSON_PRESERVE_ORDER) gives, for
 * hostile strings (every control byte, quotes, invalid UTF-8), integers
 * at their limits, the _exact rule and nested containers.
 */
#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonc.h"
#include "render.h"

/* The text of C must equal J dumped compact; frees J. */
static void
same_as(const struct jsonc *c, json_t *j)
{
	char *want = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_ENCODE_ANY);

	ck_assert_ptr_nonnull(want);
	ck_assert_uint_eq(c->len, strlen(want));
	if (memcmp(c->buf, want, c->len) != 0)
		ck_abort_msg("jsonc %.*s\njansson %.200s",
		    (int)(c->len < 200 ? c->len : 200), c->buf, want);
	free(want);
	json_decref(j);
}

START_TEST(test_every_byte)
{
	struct jsonc c;
	json_t *j = json_object();
	char s[4] = { 'x', 0, 'y', 0 };

	jsonc_init(&c);
	jsonc_begin_object(&c);
	for (int b = 1; b < 128; b++) {
		char key[8];

		s[1] = (char)b;
		snprintf(key, sizeof(key), "k%d", b);
		jsonc_str(&c, key, s);
		json_object_set_new(j, key, json_string(s));
	}
	jsonc_end_object(&c);
	same_as(&c, j);
	jsonc_free(&c);
}
END_TEST

START_TEST(test_utf8_rule)
{
	static const char *const t[] = {
		"caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
		"\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\x80", "\xc3",
		"\xe2\x82", "a\xff" "b", "\xf0\x8f\xbf\xbf", "\xef\xbf\xbf",
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		json_t *j = json_string(t[i]);

		ck_assert_msg(jsonc_utf8_ok(t[i]) == (j != NULL),
		    "string %zu", i);
		json_decref(j);
	}
}
END_TEST

START_TEST(test_numbers_and_nesting)
{
	struct jsonc c;
	json_t *j = json_object(), *a = json_array(), *e = json_object();

	jsonc_init(&c);
	jsonc_begin_object(&c);
	jsonc_int(&c, "min", INT64_MIN);
	json_object_set_new(j, "min", json_integer(INT64_MIN));
	jsonc_int(&c, "max", INT64_MAX);
	json_object_set_new(j, "max", json_integer(INT64_MAX));
	jsonc_int(&c, "zero", 0);
	json_object_set_new(j, "zero", json_integer(0));
	jsonc_u64(&c, "safe", JSON_SAFE_MAX);
	json_set_u64(j, "safe", JSON_SAFE_MAX);
	jsonc_u64(&c, "big", UINT64_MAX);
	json_set_u64(j, "big", UINT64_MAX);
	jsonc_time(&c, "t0", 0);
	json_object_set_new(j, "t0", json_null());
	jsonc_time(&c, "t1", -5);
	json_object_set_new(j, "t1", json_integer(-5));
	jsonc_bool(&c, "b", true);
	json_object_set_new(j, "b", json_true());
	jsonc_key(&c, "list");
	jsonc_begin_array(&c);
	jsonc_end_array(&c);
	json_object_set_new(j, "list", json_array());
	jsonc_key(&c, "items");
	jsonc_begin_array(&c);
	for (int i = 0; i < 2; i++) {
		jsonc_item(&c);
		jsonc_begin_object(&c);
		jsonc_int(&c, "i", i);
		jsonc_key(&c, "s");
		jsonc_begin_array(&c);
		jsonc_str_item(&c, "a");
		jsonc_str_item(&c, "b");
		jsonc_end_array(&c);
		jsonc_end_object(&c);
	}
	jsonc_end_array(&c);
	jsonc_null(&c, "n");
	jsonc_end_object(&c);
	for (int i = 0; i < 2; i++) {
		json_t *o = json_object(), *s = json_array();

		json_object_set_new(o, "i", json_integer(i));
		json_array_append_new(s, json_string("a"));
		json_array_append_new(s, json_string("b"));
		json_object_set_new(o, "s", s);
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "items", a);
	json_object_set_new(j, "n", json_null());
	json_decref(e);
	same_as(&c, j);
	jsonc_reset(&c);
	jsonc_begin_object(&c);
	jsonc_end_object(&c);
	same_as(&c, json_object());
	jsonc_free(&c);
}
END_TEST

START_TEST(test_long_string)
{
	struct jsonc c;
	size_t n = 100000;
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(i % 3 == 0 ? '\n' : 'a' + (int)(i % 26));
	s[n] = '\0';
	jsonc_init(&c);
	jsonc_str_item(&c, s);
	same_as(&c, json_string(s));
	jsonc_free(&c);
	free(s);
}
END_TEST

static Suite *
jsonc_suite(void)
{
	Suite *s = suite_create("jsonc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_utf8_rule);
	tcase_add_test(tc, test_numbers_and_nesting);
	tcase_add_test(tc, test_long_string);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(jsonc_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
