/*
 * check_cli.c: unit tests of cli_view_opts(), the one place that turns
 * the global options into the views' options: the colour decision
 * (--color against NO_COLOR and a terminal), the clock and the resolvers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "idname.h"

/* main.c's command table, which cli.c refers to: none here */
const struct command *const commands[] = { NULL };
const size_t ncommands = 0;

static struct render_opts
view(enum color_mode color, const char *no_color)
{
	struct globals g;
	struct render_opts ro;

	memset(&g, 0, sizeof(g));
	g.color = color;
	if (no_color != NULL)
		setenv("NO_COLOR", no_color, 1);
	else
		unsetenv("NO_COLOR");
	cli_view_opts(&g, &ro);
	return ro;
}

START_TEST(test_color)
{
	ck_assert(view(COLOR_ALWAYS, NULL).color);
	ck_assert(!view(COLOR_NEVER, NULL).color);
	/* https://no-color.org: a non-empty NO_COLOR wins, an empty one not */
	ck_assert(!view(COLOR_ALWAYS, "1").color);
	ck_assert(view(COLOR_ALWAYS, "").color);
	/* the suite's stdout is a pipe or a file, never a terminal */
	ck_assert(!view(COLOR_AUTO, NULL).color);
}
END_TEST

START_TEST(test_fields)
{
	struct globals g;
	struct render_opts ro;
	time_t before = time(NULL);

	memset(&g, 0, sizeof(g));
	g.format = FMT_CSV;
	g.bytes = true;
	g.noheadings = true;
	g.columns = "ID,OWNER";
	cli_view_opts(&g, &ro);
	ck_assert_int_eq(ro.format, FMT_CSV);
	ck_assert(ro.bytes);
	ck_assert(ro.noheadings);
	ck_assert_str_eq(ro.columns, "ID,OWNER");
	ck_assert_int_ge(ro.now, (int64_t)before);
	ck_assert_int_le(ro.now, (int64_t)time(NULL));
	ck_assert(ro.user_name == idname_user);
	ck_assert(ro.group_name == idname_group);
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("view_opts");

	tcase_add_test(tc, test_color);
	tcase_add_test(tc, test_fields);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
