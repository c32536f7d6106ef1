/*
 * check_render_jsonw.c: unit tests of the streaming JSON writer in
 * render.c: escaping, integers at their limits, the _exact rule above
 * 2^53-1, and members that straddle the writer's buffer boundary, each
 * checked by parsing the output back with jansson.
 */
#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

struct out {
	FILE *fp;
	char *text;
	size_t len;
	struct jsonw *w;
};

static void
out_open(struct out *o)
{
	o->text = NULL;
	o->len = 0;
	o->fp = open_memstream(&o->text, &o->len);
	ck_assert_ptr_nonnull(o->fp);
	o->w = malloc(sizeof(*o->w));
	ck_assert_ptr_nonnull(o->w);
	jsonw_init(o->w, o->fp);
}

/* Finish the array, parse it back; the caller frees the result. */
static json_t *
out_close(struct out *o)
{
	json_error_t je;
	json_t *doc;

	ck_assert_int_eq(jsonw_flush(o->w), 0);
	ck_assert_int_eq(fclose(o->fp), 0);
	doc = json_loads(o->text, 0, &je);
	if (doc == NULL)
		ck_abort_msg("not JSON (%s): %.200s", je.text, o->text);
	free(o->w);
	return doc;
}

START_TEST(test_escapes)
{
	static const char nasty[] = "a\"b\\c\x01\x1f\x7f\n\t d\xc3\xa9";
	struct out o;
	json_t *doc;

	out_open(&o);
	jsonw_raw(o.w, "[");
	jsonw_begin_object(o.w);
	jsonw_key_str(o.w, "s", nasty);
	jsonw_key_str(o.w, "empty", "");
	jsonw_end_object(o.w);
	jsonw_raw(o.w, "]");
	doc = out_close(&o);
	ck_assert_str_eq(json_string_value(json_object_get(
	    json_array_get(doc, 0), "s")), nasty);
	ck_assert_str_eq(json_string_value(json_object_get(
	    json_array_get(doc, 0), "empty")), "");
	ck_assert_ptr_nonnull(strstr(o.text, "\\u0001\\u001f\\u007f"));
	json_decref(doc);
	free(o.text);
}
END_TEST

START_TEST(test_integers)
{
	struct out o;
	json_t *doc, *obj;

	out_open(&o);
	jsonw_raw(o.w, "[");
	jsonw_begin_object(o.w);
	jsonw_key_int(o.w, "zero", 0);
	jsonw_key_int(o.w, "min", INT64_MIN);
	jsonw_key_int(o.w, "max", INT64_MAX);
	jsonw_key_u64(o.w, "safe", JSON_SAFE_MAX);
	jsonw_key_u64(o.w, "big", JSON_SAFE_MAX + 1);
	jsonw_key_u64(o.w, "huge", UINT64_MAX);
	jsonw_key_bool(o.w, "t", true);
	jsonw_key_null(o.w, "n");
	jsonw_key_hex32(o.w, "hex", 0xdeadbeefu);
	jsonw_key_perms(o.w, "perms", 0640);
	jsonw_end_object(o.w);
	jsonw_raw(o.w, "]");
	doc = out_close(&o);
	obj = json_array_get(doc, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(obj, "zero")), 0);
	ck_assert(json_integer_value(json_object_get(obj, "min")) ==
	    INT64_MIN);
	ck_assert(json_integer_value(json_object_get(obj, "max")) ==
	    INT64_MAX);
	ck_assert(json_integer_value(json_object_get(obj, "safe")) ==
	    (json_int_t)JSON_SAFE_MAX);
	ck_assert(json_is_null(json_object_get(obj, "big")));
	ck_assert_str_eq(json_string_value(json_object_get(obj,
	    "big_exact")), "9007199254740992");
	ck_assert(json_is_null(json_object_get(obj, "huge")));
	ck_assert_str_eq(json_string_value(json_object_get(obj,
	    "huge_exact")), "18446744073709551615");
	ck_assert_ptr_null(json_object_get(obj, "safe_exact"));
	ck_assert(json_is_true(json_object_get(obj, "t")));
	ck_assert(json_is_null(json_object_get(obj, "n")));
	ck_assert_str_eq(json_string_value(json_object_get(obj, "hex")),
	    "0xdeadbeef");
	ck_assert_str_eq(json_string_value(json_object_get(obj, "perms")),
	    "0640");
	json_decref(doc);
	free(o.text);
}
END_TEST

/* Many objects with long strings: members cross the buffer's end. */
START_TEST(test_buffer_boundaries)
{
	char longstr[3000], key[8];
	struct out o;
	json_t *doc;
	size_t i, n = 2000;

	for (i = 0; i < sizeof(longstr) - 1; i++)
		longstr[i] = (char)(i % 7 == 0 ? '"' : 'a' + i % 26);
	longstr[sizeof(longstr) - 1] = '\0';
	out_open(&o);
	jsonw_raw(o.w, "[");
	for (i = 0; i < n; i++) {
		jsonw_begin_object(o.w);
		jsonw_key_u64(o.w, "i", i);
		snprintf(key, sizeof(key), "k%zu", i % 10);
		jsonw_key_str(o.w, key, longstr + i % 1000);
		jsonw_key_u64(o.w, "v", UINT64_MAX - i);
		jsonw_end_object(o.w);
	}
	jsonw_raw(o.w, "\n]");
	doc = out_close(&o);
	ck_assert_uint_eq(json_array_size(doc), n);
	for (i = 0; i < n; i++) {
		json_t *obj = json_array_get(doc, i);
		char want[32];

		snprintf(key, sizeof(key), "k%zu", i % 10);
		ck_assert_int_eq(json_integer_value(json_object_get(obj, "i")),
		    (json_int_t)i);
		ck_assert_str_eq(json_string_value(json_object_get(obj, key)),
		    longstr + i % 1000);
		snprintf(want, sizeof(want), "%llu",
		    (unsigned long long)(UINT64_MAX - i));
		ck_assert_str_eq(json_string_value(json_object_get(obj,
		    "v_exact")), want);
	}
	json_decref(doc);
	free(o.text);
}
END_TEST

static Suite *
render_jsonw_suite(void)
{
	Suite *s = suite_create("render_jsonw");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_buffer_boundaries);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(render_jsonw_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
