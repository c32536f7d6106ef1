/*
 * check_render.c: unit tests of what render.c takes from its caller
 * instead of reading it: the moment of the envelope, the names of IDs
 * (through the injected resolver, or the number), the error document,
 * the time formats and rwx text, numbers and sizes formatted without
 * printf as printf would, and tables drawn without trailing blanks in
 * every layout.
 */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
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

/* render_bytes() as printf alone would write it. */
static const char *
bytes_printf(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double d = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, len, "%" PRIu64 "B", v);
		return buf;
	}
	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (d >= 100 || d == (double)(uint64_t)d)
		snprintf(buf, len, "%.0f%ciB", d, units[u]);
	else
		snprintf(buf, len, "%.1f%ciB", d, units[u]);
	return buf;
}

START_TEST(test_numbers_as_printf)
{
	static const uint64_t v[] = { 0, 1, 9, 10, 99, 100, 1023, 1024, 4096,
	    65535, 1000000, 3145728, 4294967295u, 4294967296u,
	    1099511627776u, 1125899906842624u, 1152921504606846976u,
	    18446744073709551615u };
	char a[64], b[64];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(a, sizeof(a), "%" PRIu64, v[i]);
		ck_assert_str_eq(render_u64(v[i], b, sizeof(b)), a);
		for (uint64_t k = 1; k <= 1024; k *= 1024) {
			uint64_t x = v[i] <= UINT64_MAX / k ? v[i] * k : v[i];

			ck_assert_str_eq(render_bytes(x, false, a, sizeof(a)),
			    bytes_printf(x, b, sizeof(b)));
		}
	}
	ck_assert_str_eq(render_bytes(4096, false, a, sizeof(a)), "4KiB");
	ck_assert_str_eq(render_bytes(3145728, false, a, sizeof(a)), "3MiB");
	ck_assert_str_eq(render_bytes(1536, false, a, sizeof(a)), "1.5KiB");
	ck_assert_str_eq(render_bytes(1023, false, a, sizeof(a)), "1023B");
	ck_assert_str_eq(render_bytes(102400, false, a, sizeof(a)), "100KiB");
	ck_assert_str_eq(render_bytes(1152921504606846976u, false, a,
	    sizeof(a)), "1EiB");
	ck_assert_str_eq(render_bytes(18446744073709551615u, false, a,
	    sizeof(a)), "16EiB");
	/* cut to fit, never past the buffer */
	ck_assert_str_eq(render_u64(123456, b, 4), "123");
	ck_assert_str_eq(render_count(1234567, b, sizeof(b)), "1,234,567");
	ck_assert_str_eq(render_count(999, b, sizeof(b)), "999");
}
END_TEST

START_TEST(test_time_repeated)
{
	/* the last time formatted is kept: the same answer, any order */
	char b[64], small[8];

	ck_assert_str_eq(render_time(1700000000, b, sizeof(b)),
	    "2023-11-14T22:13:20Z");
	ck_assert_str_eq(render_time(1700000000, b, sizeof(b)),
	    "2023-11-14T22:13:20Z");
	ck_assert_str_eq(render_time(1700000000, small, sizeof(small)),
	    "2023-11");
	ck_assert_str_eq(render_time(0, b, sizeof(b)), "-");
	ck_assert_str_eq(render_time(1700000001, b, sizeof(b)),
	    "2023-11-14T22:13:21Z");
	ck_assert_str_eq(render_time(1700000000, b, sizeof(b)),
	    "2023-11-14T22:13:20Z");
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

START_TEST(test_time_formats)
{
	/* 2023-11-14T22:13:20Z, a Tuesday */
	struct render_opts ro = { .now = 1700000000 };
	char b[64];

	ck_assert_str_eq(render_time_as(&ro, 1700000000, b, sizeof(b)),
	    "2023-11-14T22:13:20Z");
	ck_assert_str_eq(render_time_as(NULL, 1700000000, b, sizeof(b)),
	    "2023-11-14T22:13:20Z");
	ro.timefmt = TIMEF_UNIX;
	ck_assert_str_eq(render_time_as(&ro, 1700000000, b, sizeof(b)),
	    "1700000000");
	ck_assert_str_eq(render_time_as(&ro, 0, b, sizeof(b)), "-");
	ro.timefmt = TIMEF_FULL;
	ck_assert_str_eq(render_time_as(&ro, 1700000000, b, sizeof(b)),
	    "Tue Nov 14 22:13:20 2023");
	ck_assert_str_eq(render_time_as(&ro, 1699920000, b, sizeof(b)),
	    "Tue Nov 14 00:00:00 2023");
	ro.timefmt = TIMEF_SHORT;
	/* the same day: the time; the same year: the day; before: the year */
	ck_assert_str_eq(render_time_as(&ro, 1699920000, b, sizeof(b)),
	    "00:00");
	ck_assert_str_eq(render_time_as(&ro, 1699919999, b, sizeof(b)),
	    "Nov13/23:59");
	ck_assert_str_eq(render_time_as(&ro, 1672531200, b, sizeof(b)),
	    "Jan01/00:00");
	ck_assert_str_eq(render_time_as(&ro, 1672531199, b, sizeof(b)),
	    "2022-Dec31");
	ck_assert_str_eq(render_time_as(&ro, 0, b, sizeof(b)), "-");
	/* beyond what gmtime() can tell: "-"; a year of six digits in full */
	ck_assert_str_eq(render_time_as(&ro, INT64_MAX, b, sizeof(b)), "-");
	ro.timefmt = TIMEF_FULL;
	ck_assert_str_eq(render_time_as(&ro, 253402300800, b, sizeof(b)),
	    "Sat Jan  1 00:00:00 10000");
	ck_assert_str_eq(render_time_as(&ro, -1, b, sizeof(b)),
	    "Wed Dec 31 23:59:59 1969");
	ro.timefmt = TIMEF_SHORT;
	/* a short buffer is cut, never overrun */
	ck_assert_str_eq(render_time_as(&ro, 1672531199, b, 5), "2022");
}
END_TEST

START_TEST(test_perms_rwx)
{
	char b[16];

	ck_assert_str_eq(render_perms_rwx(0644, b, sizeof(b)), "rw-r--r--");
	ck_assert_str_eq(render_perms_rwx(0, b, sizeof(b)), "---------");
	ck_assert_str_eq(render_perms_rwx(0777, b, sizeof(b)), "rwxrwxrwx");
	/* SHM_DEST and SHM_LOCKED above the permissions are not shown */
	ck_assert_str_eq(render_perms_rwx(03421, b, sizeof(b)), "r---w---x");
	/* no room: nothing written, as snprintf writes nothing */
	b[0] = 'x';
	render_perms_rwx(0644, b, 0);
	render_time(1700000000, b, 0);
	render_time(1700000000, b, 0);
	ck_assert_int_eq(b[0], 'x');
}
END_TEST

static const struct column cols[] = {
	{ "NAME", "", 0, COL_DEFAULT },
	{ "USE%", "", 0, COL_DEFAULT | COL_RIGHT },
	{ "NOTE", "", 0, COL_DEFAULT },
};
/* an alias to a column the table lacks selects nothing */
static const struct column_alias aliases[] = {
	{ "REMARK", "NOTE" }, { "GONE", "NOSUCH" },
};

/* What table_print_free() writes for RO: two rows, the last cell empty. */
static char *
draw(const struct render_opts *ro)
{
	char path[] = "/tmp/check_render.XXXXXX", err[256];
	static char out[4096];
	struct table *t;
	int fd = mkstemp(path), saved;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	t = table_new_aliased(cols, 3, aliases, 2, ro->columns, ro, err,
	    sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	table_row(t);
	table_cell(t, 0, "a \"$`x");
	table_cell(t, 1, "1.0%");
	table_cell(t, 2, "");
	table_row_color(t, 2);
	table_row(t);
	table_cell(t, 0, "longer name");
	table_cell(t, 1, "100.0%");
	table_cell(t, 2, "");
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
	ck_assert_int_eq(table_print_free(t), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	close(fd);
	unlink(path);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	return out;
}

START_TEST(test_table_layouts)
{
	struct render_opts ro = { .format = FMT_TABLE };
	char err[256];

	/* aligned: the empty NOTE column pads nothing after the text */
	ck_assert_str_eq(draw(&ro),
	    "NAME          USE% NOTE\n"
	    "a \"$`x        1.0%\n"
	    "longer name 100.0%\n");
	/* raw: the empty NOTE keeps its field, as with lsipc -r */
	ro.mode = TMODE_RAW;
	ck_assert_str_eq(draw(&ro),
	    "NAME USE% NOTE\n"
	    "a\\x20\"$`x 1.0% \n"
	    "longer\\x20name 100.0% \n");
	ro.mode = TMODE_EXPORT;
	ck_assert_str_eq(draw(&ro),
	    "NAME=\"a \\x22\\x24\\x60x\" USE_PCT=\"1.0%\" NOTE=\"\"\n"
	    "NAME=\"longer name\" USE_PCT=\"100.0%\" NOTE=\"\"\n");
	/* a coloured row: the blanks before its reset go, the reset stays */
	ro.mode = TMODE_ALIGNED;
	ro.color = true;
	ck_assert_str_eq(draw(&ro),
	    "NAME          USE% NOTE\n"
	    "\033[31ma \"$`x        1.0%\033[0m\n"
	    "longer name 100.0%\n");
	ro.color = false;
	/* an earlier name of a column still selects it */
	ro.mode = TMODE_ALIGNED;
	ro.columns = "remark,name";
	ck_assert_str_eq(draw(&ro),
	    "NOTE NAME\n     a \"$`x\n     longer name\n");
	ck_assert_ptr_null(table_new_aliased(cols, 3, aliases, 2, "GONE", &ro,
	    err, sizeof(err)));
	ck_assert_str_eq(err, "unknown column 'GONE' (known: NAME, USE%, "
	    "NOTE)");
	/* without the aliases, the earlier name is unknown */
	ck_assert_ptr_null(table_new(cols, 3, "remark", &ro, err,
	    sizeof(err)));
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
	tcase_add_test(tc, test_numbers_as_printf);
	tcase_add_test(tc, test_time_repeated);
	tcase_add_test(tc, test_time_formats);
	tcase_add_test(tc, test_perms_rwx);
	tcase_add_test(tc, test_table_layouts);
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
