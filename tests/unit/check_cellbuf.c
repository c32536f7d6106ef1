/*
 * Unit tests for cellbuf.c (issue 18, speed): cells kept and widths
 * tracked as they arrive, and the aligned printing compared byte for
 * byte with libsmartcols printing the same table to a file, over
 * thousands of random tables of plain cells.
 */
#include <check.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellbuf.h"

START_TEST(test_18_cells_and_widths)
{
	struct cellbuf b;

	cellbuf_init(&b, 3);
	cellbuf_row(&b);
	cellbuf_set(&b, 0, "abc");
	cellbuf_set(&b, 2, "x");
	cellbuf_set(&b, 3, "out of range");
	cellbuf_row(&b);
	cellbuf_set(&b, 0, "a");
	cellbuf_set(&b, 0, "abcdef");
	cellbuf_set_level(&b, 7);
	ck_assert_str_eq(cellbuf_get(&b, 0, 0), "abc");
	ck_assert_ptr_null(cellbuf_get(&b, 0, 1));
	ck_assert_str_eq(cellbuf_get(&b, 0, 2), "x");
	ck_assert_str_eq(cellbuf_get(&b, 1, 0), "abcdef");
	ck_assert_ptr_null(cellbuf_get(&b, 2, 0));
	ck_assert_uint_eq(b.width[0], 6);
	ck_assert_uint_eq(b.width[1], 0);
	ck_assert_int_eq(cellbuf_level(&b, 0), 0);
	ck_assert_int_eq(cellbuf_level(&b, 1), 2);
	ck_assert(b.plain);
	cellbuf_set(&b, 1, "caf\xc3\xa9");
	ck_assert(!b.plain);
	/* libsmartcols prints a backslash before an x as \x5c */
	ck_assert(!cellbuf_is_plain((const char *const[]){ "a\\x41" }, 1));
	cellbuf_free(&b);
}
END_TEST

/* A random cell: NULL, empty, or up to 12 characters with spaces. */
static const char *
random_cell(char *buf, unsigned *seed)
{
	static const char cs[] = "abcxXYZ0123456789-_:./ ,%\\";
	int k = rand_r(seed) % 10;
	int n = rand_r(seed) % 13;

	if (k == 0)
		return NULL;
	if (k == 1)
		n = 0;
	for (int i = 0; i < n; i++)
		buf[i] = cs[rand_r(seed) % (sizeof(cs) - 1)];
	buf[n] = '\0';
	return buf;
}

/* The file's contents, NUL-terminated. */
static char *
slurp(FILE *fp)
{
	long n;
	char *s;

	fflush(fp);
	n = ftell(fp);
	s = calloc(1, (size_t)n + 1);
	rewind(fp);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, fp), (size_t)n);
	return s;
}

/* S with the blanks before each newline cut, in place. */
static char *
trim_lines(char *s)
{
	size_t w = 0, blanks = 0;

	for (size_t r = 0; s[r] != '\0'; r++) {
		if (s[r] == ' ') {
			blanks++;
			continue;
		}
		if (s[r] != '\n')
			while (blanks > 0) {
				s[w++] = ' ';
				blanks--;
			}
		blanks = 0;
		s[w++] = s[r];
	}
	s[w] = '\0';
	return s;
}

static const char *const heads[] = { "ID", "KEY", "A-LONGER-NAME", "X",
    "OWNER", "CHANGED" };

/* One random table printed both ways; the outputs must be equal. */
static void
compare_one(unsigned seed0)
{
	unsigned seed = seed0;
	struct libscols_table *tb = scols_new_table();
	FILE *a = tmpfile(), *s = tmpfile();
	size_t ncols = 1 + (size_t)rand_r(&seed) % 6;
	size_t nrows = (size_t)rand_r(&seed) % 8;
	bool right[6], noheadings = rand_r(&seed) % 4 == 0;
	struct cellbuf b;
	char buf[16], *ga, *gs;

	ck_assert(tb != NULL && a != NULL && s != NULL);
	cellbuf_init(&b, ncols);
	scols_table_enable_noheadings(tb, noheadings);
	scols_table_set_stream(tb, s);
	for (size_t c = 0; c < ncols; c++) {
		right[c] = rand_r(&seed) % 2;
		ck_assert(scols_table_new_column(tb, heads[c], 0,
		    right[c] ? SCOLS_FL_RIGHT : 0) != NULL);
	}
	for (size_t r = 0; r < nrows; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		cellbuf_row(&b);
		for (size_t c = 0; c < ncols; c++) {
			const char *t = random_cell(buf, &seed);

			if (t == NULL)
				continue;
			cellbuf_set(&b, c, t);
			scols_line_set_data(ln, c, t);
		}
	}
	/* the renderer prints only plain tables itself */
	if (!b.plain) {
		ck_assert(nrows > 0);
		scols_unref_table(tb);
		cellbuf_free(&b);
		fclose(a);
		fclose(s);
		return;
	}
	ck_assert_int_eq(cellbuf_print(&b, a, heads, right,
	    !noheadings), 0);
	ck_assert_int_eq(scols_print_table(tb), 0);
	ga = slurp(a);
	/* libsmartcols' output, as the renderer's trimming stream cuts it */
	gs = trim_lines(slurp(s));
	ck_assert_msg(strcmp(ga, gs) == 0, "seed %u (%zu columns, the "
	    "first right-aligned: %d, headings: %d): cellbuf printed\n"
	    "[%s]\nlibsmartcols printed\n[%s]", seed0, ncols, right[0],
	    !noheadings, ga, gs);
	free(ga);
	free(gs);
	fclose(a);
	fclose(s);
	scols_unref_table(tb);
	cellbuf_free(&b);
}

START_TEST(test_18_prints_as_smartcols)
{
	for (unsigned seed = 1; seed <= 3000; seed++)
		compare_one(seed);
}
END_TEST

static Suite *
cellbuf_suite(void)
{
	Suite *s = suite_create("cellbuf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_18_cells_and_widths);
	tcase_add_test(tc, test_18_prints_as_smartcols);
	/* 3000 tables: 1.3 s under ASan on a loaded machine, near Check's
	   default of 4 s */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cellbuf_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
