/*
 * check_snapjson.c: unit tests of the fast snapshot parser: the JSON
 * 'snapshot' writes is taken by the fast path itself, to a tree equal to
 * jansson's; hostile texts (errors jansson names, duplicate keys, \u
 * escapes, bad UTF-8, numbers out of range, deep nesting) are declined,
 * and nothing declined-or-not ever differs from jansson's acceptance.
 */
#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "snapjson.h"

/* Parse S both ways; the fast result must agree; true if it took S. */
static bool
agree(const char *s)
{
	json_error_t je;
	json_t *fast = snapjson_parse(s, strlen(s));
	json_t *ref = json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, &je);
	bool took = fast != NULL;

	if (fast != NULL) {
		ck_assert_msg(ref != NULL, "accepted what jansson rejects: %s",
		    s);
		ck_assert_msg(json_equal(fast, ref), "another tree: %s", s);
	}
	json_decref(fast);
	json_decref(ref);
	return took;
}

START_TEST(test_takes_snapshot_json)
{
	static const char *const ok[] = {
		"{}", "[]", " \t\r\n{ \"a\" : 1 } \n",
		"{\"schema_version\":1,\"document\":\"snapshot\","
		    "\"host\":{\"ncpu\":2,\"ipcmni_extend\":false,"
		    "\"pid\":null,\"x\":true},\"a\":[1,-2,[],{}]}",
		"{\"n\":-9223372036854775808,\"m\":9223372036854775807}",
		"{\"r\":0.001953125,\"s\":-1.5e3,\"t\":2E-2,\"u\":0}",
		"{\"esc\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}",
		"{\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
		"{\"del\":\"\x7f\",\"\":\"empty key\"}",
		"[\"-0\",-0,0]",
		/* POSIX members: escaped names, holders, null values */
		"{\"posix\":{\"dev_shm\":{\"read\":true,\"why_not\":null,"
		    "\"size_bytes\":67108864},\"mqueue\":null,"
		    "\"holder_scan\":{\"done\":true,\"processes\":2}},"
		    "\"objects\":{\"pshm\":[{\"name\":\"/sp ace\\\\nnl"
		    "\\\\xffx\",\"file_hex\":\"7370206163650a6e6cff78\","
		    "\"size_bytes\":4096,\"allocated_bytes\":0,"
		    "\"holders\":[{\"pid\":42,\"comm\":\"python3\","
		    "\"mapped\":true,\"open\":false}]}],\"psem\":[{"
		    "\"name\":\"/mp-x1\",\"value\":1,\"waiters\":null,"
		    "\"holders\":null}],\"pmq\":[]},\"orphans\":{\"shm\":0,"
		    "\"pshm\":2,\"suspect\":{\"pshm\":1,\"psem\":0,"
		    "\"pmq\":0},\"pshm_bytes\":1048576,\"objects\":[{"
		    "\"type\":\"pshm\",\"id\":-1,\"reasons\":["
		    "\"not_held\",\"owner_gone\"]}]}}",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(agree(ok[i]), "declined: %s", ok[i]);
}
END_TEST

START_TEST(test_declines_hostile)
{
	static const char *const bad[] = {
		"", " ", "1", "\"s\"", "null", "{", "[", "{]", "[}",
		"{\"a\":1,}", "[1,]", "{,}", "[,1]", "{\"a\" 1}", "{\"a\":}",
		"{a:1}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":1,\"a\":2}",
		"{\"a\":\"\\u0041\"}", "{\"a\":\"\\u0000\"}", "{\"a\":\"\\x\"}",
		"{\"a\":\"\\", "{\"a\":\"abc", "{\"a\":\"\x01\"}",
		"{\"a\":\"\t\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\xc0\xaf\"}",
		"{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}",
		"{\"a\":\"\xff\"}", "{\"a\":01}", "{\"a\":-}", "{\"a\":+1}",
		"{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}",
		"{\"a\":9223372036854775808}",
		"{\"a\":-9223372036854775809}", "{\"a\":1e400}",
		"{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":True}",
		"{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1x}",
		"\xef\xbb\xbf{}", "{\"a\":1}\v", "{\"a\"\v:1}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!agree(bad[i]), "took: %s", bad[i]);
}
END_TEST

START_TEST(test_depth)
{
	char s[2 * 300 + 1];

	/* 64 levels are taken, 300 left to jansson (which takes them) */
	for (int depth = 64; depth <= 300; depth += 236) {
		memset(s, '[', (size_t)depth);
		memset(s + depth, ']', (size_t)depth);
		s[2 * depth] = '\0';
		ck_assert(agree(s) == (depth == 64));
	}
}
END_TEST

START_TEST(test_long_strings)
{
	size_t n = 5000;
	char *s = malloc(n + 16);

	ck_assert_ptr_nonnull(s);
	/* long plain strings are taken; long escaped ones left to jansson */
	strcpy(s, "[\"");
	memset(s + 2, 'a', n);
	strcpy(s + 2 + n, "\"]");
	ck_assert(agree(s));
	s[10] = '\\';
	s[11] = 'n';
	ck_assert(!agree(s));
	free(s);
}
END_TEST

static Suite *
snapjson_suite(void)
{
	Suite *s = suite_create("snapjson");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_takes_snapshot_json);
	tcase_add_test(tc, test_declines_hostile);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_long_strings);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(snapjson_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
