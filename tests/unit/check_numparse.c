/* Unit tests for numparse.c: strict numbers, sizes and durations. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "numparse.h"

START_TEST(test_u64)
{
	uint64_t v;

	ck_assert_int_eq(num_parse_u64("0", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(num_parse_u64("18446744073709551615", 0, UINT64_MAX,
	    &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	errno = 0;
	ck_assert_int_eq(num_parse_u64("18446744073709551616", 0, UINT64_MAX,
	    &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(num_parse_u64("11", 0, 10, &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(num_parse_u64("-1", 0, 10, &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(num_parse_u64("", 0, 10, &v), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(num_parse_u64("1x", 0, 10, &v), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(num_parse_u64(" 1", 0, 10, &v), -1);
	ck_assert_int_eq(num_parse_u64("+1", 0, 10, &v), -1);
	ck_assert_int_eq(num_parse_u64(NULL, 0, 10, &v), -1);
}
END_TEST

START_TEST(test_i64)
{
	int64_t v;

	ck_assert_int_eq(num_parse_i64("-9223372036854775808", INT64_MIN,
	    INT64_MAX, &v), 0);
	ck_assert(v == INT64_MIN);
	ck_assert_int_eq(num_parse_i64("9223372036854775808", INT64_MIN,
	    INT64_MAX, &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(num_parse_i64("-5", -10, 10, &v), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(num_parse_i64("-", -10, 10, &v), -1);
	ck_assert_int_eq(num_parse_i64("--5", -10, 10, &v), -1);
}
END_TEST

START_TEST(test_size)
{
	uint64_t v;

	ck_assert_int_eq(num_parse_size("8G", &v), 0);
	ck_assert_uint_eq(v, 8ull << 30);
	ck_assert_int_eq(num_parse_size("4KiB", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(num_parse_size("1m", &v), 0);
	ck_assert_uint_eq(v, 1 << 20);
	ck_assert_int_eq(num_parse_size("123", &v), 0);
	ck_assert_uint_eq(v, 123);
	ck_assert_int_eq(num_parse_size("123B", &v), 0);
	ck_assert_uint_eq(v, 123);
	ck_assert_int_eq(num_parse_size("16E", &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(num_parse_size("99999999999999999999T", &v), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(num_parse_size("1X", &v), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(num_parse_size("1GG", &v), -1);
	ck_assert_int_eq(num_parse_size("-1G", &v), -1);
	ck_assert_int_eq(num_parse_size("G", &v), -1);
}
END_TEST

START_TEST(test_duration)
{
	uint64_t v;

	ck_assert_int_eq(num_parse_duration("30d", &v), 0);
	ck_assert_uint_eq(v, 30 * 86400);
	ck_assert_int_eq(num_parse_duration("1h", &v), 0);
	ck_assert_uint_eq(v, 3600);
	ck_assert_int_eq(num_parse_duration("90", &v), 0);
	ck_assert_uint_eq(v, 90);
	ck_assert_int_eq(num_parse_duration("2w", &v), 0);
	ck_assert_uint_eq(v, 14 * 86400);
	ck_assert_int_eq(num_parse_duration("1y", &v), -1);
	ck_assert_int_eq(num_parse_duration("1hh", &v), -1);
	ck_assert_int_eq(num_parse_duration("99999999999999999999d", &v), -1);
	ck_assert_int_eq(errno, ERANGE);
}
END_TEST

START_TEST(test_arith)
{
	uint64_t v;

	ck_assert(!num_mul_u64(UINT64_MAX, 2, &v));
	ck_assert(num_mul_u64(1ull << 31, 1ull << 31, &v));
	ck_assert(!num_add_u64(UINT64_MAX, 1, &v));
	ck_assert_uint_eq(num_div_ceil_u64(1, 4096), 1);
	ck_assert_uint_eq(num_div_ceil_u64(4096, 4096), 1);
	ck_assert_uint_eq(num_div_ceil_u64(4097, 4096), 2);
	ck_assert_uint_eq(num_div_ceil_u64(UINT64_MAX, 4096),
	    UINT64_MAX / 4096 + 1);
}
END_TEST

/* An IPC key as orphans --key and fit --key take it. */
START_TEST(test_key)
{
	uint32_t k = 0;

	ck_assert_int_eq(num_parse_key("0x1234", &k), 0);
	ck_assert_uint_eq(k, 0x1234);
	ck_assert_int_eq(num_parse_key("0xDEADBEEF", &k), 0);
	ck_assert_uint_eq(k, 0xdeadbeefu);
	ck_assert_int_eq(num_parse_key("-559038737", &k), 0);
	ck_assert_uint_eq(k, 0xdeadbeefu);
	ck_assert_int_eq(num_parse_key("4660", &k), 0);
	ck_assert_uint_eq(k, 0x1234);
	ck_assert_int_eq(num_parse_key("0", &k), 0);
	ck_assert_uint_eq(k, 0);
	ck_assert_int_eq(num_parse_key("0x", &k), -1);
	ck_assert_int_eq(num_parse_key("0x123456789", &k), -1);
	ck_assert_int_eq(num_parse_key("0x12g", &k), -1);
	ck_assert_int_eq(num_parse_key("4294967296", &k), -1);
	ck_assert_int_eq(num_parse_key("-2147483649", &k), -1);
	ck_assert_int_eq(num_parse_key("", &k), -1);
}
END_TEST

static Suite *
numparse_suite(void)
{
	Suite *s = suite_create("numparse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_u64);
	tcase_add_test(tc, test_i64);
	tcase_add_test(tc, test_size);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_arith);
	tcase_add_test(tc, test_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(numparse_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
