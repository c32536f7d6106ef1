/*
 * check_expr.c: unit tests of the profile expression evaluator: the
 * arithmetic, the unit suffixes, min/max, names through a fake lookup,
 * and every error (overflow, division by zero, unknown names, nesting,
 * garbage) with its column.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

static int
fake_lookup(void *ctx, const char *name, size_t len, uint64_t *out)
{
	(void)ctx;
	if (len == 7 && memcmp(name, "ram_gib", len) == 0) {
		*out = 16;
		return 0;
	}
	if (len == 13 && memcmp(name, "kernel.shmmni", len) == 0) {
		*out = 4096;
		return 0;
	}
	if (len == 3 && memcmp(name, "big", len) == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	return -1;
}

static uint64_t
eval_ok(const char *text)
{
	char err[256], subst[256];
	uint64_t v = 0;
	int col;

	ck_assert_msg(expr_eval(text, fake_lookup, NULL, &v, subst,
	    sizeof(subst), &col, err, sizeof(err)) == 0, "'%s': %s", text,
	    err);
	return v;
}

static int
eval_err(const char *text, char *err, size_t errlen)
{
	uint64_t v = 12345;
	int col = 0;

	ck_assert_int_eq(expr_eval(text, fake_lookup, NULL, &v, NULL, 0,
	    &col, err, errlen), -1);
	ck_assert_uint_eq(v, 12345);
	return col;
}

START_TEST(test_arith)
{
	ck_assert_uint_eq(eval_ok("1 + 2 * 3"), 7);
	ck_assert_uint_eq(eval_ok("(1 + 2) * 3"), 9);
	ck_assert_uint_eq(eval_ok("10 - 3 - 2"), 5);
	ck_assert_uint_eq(eval_ok("100 / 7"), 14);
	ck_assert_uint_eq(eval_ok("100 % 7"), 2);
	ck_assert_uint_eq(eval_ok("  42  "), 42);
	ck_assert_uint_eq(eval_ok("18446744073709551615"), UINT64_MAX);
	ck_assert_uint_eq(eval_ok("big - 1 + 1"), UINT64_MAX);
}
END_TEST

START_TEST(test_suffix_minmax_names)
{
	ck_assert_uint_eq(eval_ok("4K"), 4096);
	ck_assert_uint_eq(eval_ok("2M"), 2097152);
	ck_assert_uint_eq(eval_ok("1G"), 1073741824);
	ck_assert_uint_eq(eval_ok("4T"), 4398046511104ull);
	ck_assert_uint_eq(eval_ok("max(256000, 256 * ram_gib)"), 256000);
	ck_assert_uint_eq(eval_ok("min(3, 1, 2)"), 1);
	ck_assert_uint_eq(eval_ok("max(7)"), 7);
	ck_assert_uint_eq(eval_ok("kernel.shmmni * 2"), 8192);
}
END_TEST

START_TEST(test_subst)
{
	char err[256], subst[256];
	uint64_t v;
	int col;

	ck_assert_int_eq(expr_eval("256  *  ram_gib", fake_lookup, NULL, &v,
	    subst, sizeof(subst), &col, err, sizeof(err)), 0);
	ck_assert_str_eq(subst, "256 * 16");
	ck_assert_int_eq(expr_eval("max(1,ram_gib)", fake_lookup, NULL, &v,
	    subst, sizeof(subst), &col, err, sizeof(err)), 0);
	ck_assert_str_eq(subst, "max(1,16)");
}
END_TEST

START_TEST(test_errors)
{
	char err[256];

	ck_assert_int_eq(eval_err("big + 1", err, sizeof(err)), 5);
	ck_assert_ptr_nonnull(strstr(err, "overflow"));
	ck_assert_int_eq(eval_err("big * 2", err, sizeof(err)), 5);
	ck_assert_int_eq(eval_err("18446744073709551616", err,
	    sizeof(err)), 1);
	ck_assert_int_eq(eval_err("17179869184T", err, sizeof(err)), 1);
	ck_assert_int_eq(eval_err("1 / 0", err, sizeof(err)), 3);
	ck_assert_str_eq(err, "division by zero");
	ck_assert_int_eq(eval_err("1 % (2 - 2)", err, sizeof(err)), 3);
	ck_assert_int_eq(eval_err("1 - 2", err, sizeof(err)), 3);
	ck_assert_int_eq(eval_err("2 * nosuch", err, sizeof(err)), 5);
	ck_assert_str_eq(err, "unknown name 'nosuch'");
	ck_assert_int_eq(eval_err("pow(2, 3)", err, sizeof(err)), 1);
	ck_assert_int_eq(eval_err("", err, sizeof(err)), 1);
	ck_assert_int_eq(eval_err("1 +", err, sizeof(err)), 4);
	ck_assert_int_eq(eval_err("(1 + 2", err, sizeof(err)), 7);
	ck_assert_int_eq(eval_err("1 2", err, sizeof(err)), 3);
	ck_assert_int_eq(eval_err("12X", err, sizeof(err)), 3);
	ck_assert_int_eq(eval_err("-1", err, sizeof(err)), 1);
	ck_assert_int_eq(eval_err("1 + \x01", err, sizeof(err)), 5);
	ck_assert_ptr_nonnull(strstr(err, "0x01"));
	ck_assert_int_eq(eval_err("max(1 2)", err, sizeof(err)), 7);
}
END_TEST

START_TEST(test_nesting)
{
	char text[1024], err[256];
	int i, n = 0;

	for (i = 0; i < EXPR_MAX_DEPTH - 2; i++)
		text[n++] = '(';
	text[n++] = '1';
	for (i = 0; i < EXPR_MAX_DEPTH - 2; i++)
		text[n++] = ')';
	text[n] = '\0';
	ck_assert_uint_eq(eval_ok(text), 1);
	n = 0;
	for (i = 0; i < 500; i++)
		text[n++] = '(';
	text[n] = '\0';
	eval_err(text, err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "nested too deeply"));
}
END_TEST

START_TEST(test_split)
{
	size_t offs[4], lens[4];
	char err[256];
	int col, n;
	const char *t = "250  max(256000, 256 * ram_gib)  32  256 * ram_gib";

	n = expr_split(t, offs, lens, 4, &col, err, sizeof(err));
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq((int)lens[0], 3);
	ck_assert_int_eq(strncmp(t + offs[1], "max(256000, 256 * ram_gib)",
	    lens[1]), 0);
	ck_assert_int_eq((int)lens[1], 26);
	ck_assert_int_eq(strncmp(t + offs[3], "256 * ram_gib", lens[3]), 0);
	ck_assert_int_eq((int)lens[3], 13);
	ck_assert_int_eq(expr_split("1 2 3 4 5", offs, lens, 4, &col, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(col, 9);
	ck_assert_int_eq(expr_split("(1 + 2) (3)", offs, lens, 4, &col, err,
	    sizeof(err)), 2);
	ck_assert_int_eq(expr_split("4096", offs, lens, 1, &col, err,
	    sizeof(err)), 1);
	ck_assert_int_eq(expr_split("  ", offs, lens, 1, &col, err,
	    sizeof(err)), 0);
}
END_TEST

/* Random input never crashes and always fails inside the text. */
START_TEST(test_random)
{
	static const char alphabet[] = "0123456789KMGT+-*/%(), \tabmnxr_.";
	char text[64], err[256], subst[256];
	uint64_t v;
	unsigned seed = 12345;
	int col;

	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(rand_r(&seed) % (sizeof(text) - 1));

		for (size_t k = 0; k < n; k++)
			text[k] = alphabet[rand_r(&seed) %
			    (sizeof(alphabet) - 1)];
		text[n] = '\0';
		if (expr_eval(text, fake_lookup, NULL, &v, subst,
		    sizeof(subst), &col, err, sizeof(err)) < 0)
			ck_assert_msg(col >= 1 && col <= (int)n + 1,
			    "'%s': column %d", text, col);
	}
}
END_TEST

static Suite *
expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_arith);
	tcase_add_test(tc, test_suffix_minmax_names);
	tcase_add_test(tc, test_subst);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_nesting);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(expr_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
