/*
 * Unit tests for textesc.c (issue 12.C15): control characters, C1 and
 * invalid UTF-8 from outside become visible escapes; the program's own
 * format text and every printf conversion come out as printf makes them.
 */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textesc.h"

static void
expect_dup(const char *in, const char *want)
{
	char *got = textesc_dup(in);

	ck_assert_msg(strcmp(got, want) == 0, "textesc_dup: got '%s', "
	    "want '%s'", got, want);
	free(got);
}

START_TEST(test_12C15_controls_escaped)
{
	expect_dup("plain host-1.example", "plain host-1.example");
	expect_dup("", "");
	/* C0 (ESC, BEL, CR, LF, TAB, NUL cannot occur), DEL */
	expect_dup("a\033]0;pwned\007b", "a\\x1b]0;pwned\\x07b");
	expect_dup("\033[2J\r\n\t\177", "\\x1b[2J\\x0d\\x0a\\x09\\x7f");
	/* C1 in UTF-8: U+009B (CSI), U+0085 (NEL) */
	expect_dup("x\xc2\x9b" "31m\xc2\x85", "x\\xc2\\x9b31m\\xc2\\x85");
	/* raw 8-bit C1 and other invalid UTF-8, one byte at a time */
	expect_dup("\x9b" "1m\xff\xc3", "\\x9b1m\\xff\\xc3");
	/* overlong, surrogate, beyond U+10FFFF, cut short */
	expect_dup("\xc0\xaf", "\\xc0\\xaf");
	expect_dup("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
	expect_dup("\xed\xa0\x80", "\\xed\\xa0\\x80");
	expect_dup("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	expect_dup("\xe2\x82", "\\xe2\\x82");
	/* valid printable UTF-8 stays: U+00E9, U+20AC, U+1F600 */
	expect_dup("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* a backslash before x is escaped, so escapes read back unambiguously */
	expect_dup("C:\\dir \\x1b", "C:\\dir \\x5cx1b");
}
END_TEST

START_TEST(test_12C15_is_safe)
{
	ck_assert(textesc_is_safe("host-1 caf\xc3\xa9"));
	ck_assert(!textesc_is_safe("a\033b"));
	ck_assert(!textesc_is_safe("a\nb"));
	ck_assert(!textesc_is_safe("\xc2\x9b"));
	ck_assert(!textesc_is_safe("\xff"));
}
END_TEST

static char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	va_list ap;

	ck_assert_ptr_nonnull(fp);
	va_start(ap, f);
	ck_assert_int_eq(textesc_vfprintf(fp, f, ap), 0);
	va_end(ap);
	fclose(fp);
	return buf;
}

#define EXPECT_FMT(want, ...) do { \
	char *got_ = fmt(__VA_ARGS__); \
	ck_assert_msg(strcmp(got_, want) == 0, "got '%s', want '%s'", \
	    got_, want); \
	free(got_); \
} while (0)

START_TEST(test_12C15_printf_escapes_arguments_only)
{
	/* the format's own newline and tab lay out; the argument's do not */
	EXPECT_FMT("host a\\x0ab\tok\n", "host %s\tok\n", "a\nb");
	EXPECT_FMT("[\\x1b[2J]", "[%s]", "\033[2J");
	EXPECT_FMT("c=\\x07.", "c=%c.", '\a');
	EXPECT_FMT("100% x", "100%% %s", "x");
}
END_TEST

START_TEST(test_12C15_printf_conversions)
{
	EXPECT_FMT("|ab   |", "|%-5s|", "ab");
	EXPECT_FMT("|   ab|", "|%5s|", "ab");
	EXPECT_FMT("|ab   |", "|%*s|", -5, "ab");
	/* the precision cuts the argument, before escaping */
	EXPECT_FMT("abc", "%.3s", "abcdef");
	EXPECT_FMT("ab\\x1b", "%.*s", 3, "ab\033cd");
	EXPECT_FMT("-42 42 0x2a 052 2A", "%d %u 0x%x %#o %X", -42, 42u, 42,
	    42, 42);
	EXPECT_FMT("18446744073709551615", "%" PRIu64, UINT64_MAX);
	EXPECT_FMT("-9223372036854775807", "%" PRId64, -INT64_MAX);
	EXPECT_FMT("7 -3 12", "%zu %ld %lld", (size_t)7, -3L, 12LL);
	EXPECT_FMT("0042|42  ", "%04d|%-4d", 42, 42);
	EXPECT_FMT("  3.1|95.0%|1e+06", "%5.1f|%.1f%%|%g", 3.14159, 95.0,
	    1e6);
	EXPECT_FMT("00ff", "%04" PRIx32, (uint32_t)255);
	EXPECT_FMT("x   7", "x%4d", 7);
	EXPECT_FMT("1 x 2", "%d %s %d", 1, "x", 2);
}
END_TEST

static int
vs(char *buf, size_t len, const char *f, ...)
    __attribute__((format(printf, 3, 4)));

static int
vs(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = textesc_vsnprintf(buf, len, f, ap);
	va_end(ap);
	return n;
}

START_TEST(test_12C15_vsnprintf_cut)
{
	char buf[8];

	ck_assert_int_eq(vs(buf, sizeof(buf), "IPC %s", "\033[2J"), 11);
	ck_assert_str_eq(buf, "IPC \\x1");
	ck_assert_int_eq(vs(buf, sizeof(buf), "%d", 5), 1);
	ck_assert_str_eq(buf, "5");
}
END_TEST

static Suite *
textesc_suite(void)
{
	Suite *s = suite_create("textesc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_12C15_controls_escaped);
	tcase_add_test(tc, test_12C15_is_safe);
	tcase_add_test(tc, test_12C15_printf_escapes_arguments_only);
	tcase_add_test(tc, test_12C15_printf_conversions);
	tcase_add_test(tc, test_12C15_vsnprintf_cut);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(textesc_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
