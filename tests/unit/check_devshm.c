/*
 * check_devshm.c: unit tests of devshm.c: the boot-time text for the
 * /dev/shm size by how the host mounts it, the fstab options rewritten
 * (one size=, the others kept in order), hostile fstab lines, and the
 * whole fstab edited by devshm_fstab_set() with every other byte kept.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "devshm.h"

static struct devshm_host h;
static char file[128], text[1400], opts[1100];

static enum devshm_persist
persist(const char *line, bool unit)
{
	memset(&h, 0, sizeof(h));
	if (line != NULL) {
		h.has_fstab_line = true;
		strcpy(h.fstab_line, line);
	}
	h.has_mount_unit = unit;
	return devshm_persist_text(&h, 100663296, file, sizeof(file), text,
	    sizeof(text));
}

START_TEST(test_fstab_edit)
{
	ck_assert_int_eq(persist("tmpfs\t/dev/shm  tmpfs defaults,size=1g,"
	    "noexec 0 0", false), DEVSHM_FSTAB_EDIT);
	ck_assert_str_eq(file, "/etc/fstab");
	ck_assert_str_eq(text, "tmpfs /dev/shm tmpfs defaults,noexec,"
	    "size=98304k 0 0");
	/* the line wins over a unit; no freq/passno: 0 0 */
	ck_assert_int_eq(persist("none /dev/shm tmpfs rw", true),
	    DEVSHM_FSTAB_EDIT);
	ck_assert_str_eq(text, "none /dev/shm tmpfs rw,size=98304k 0 0");
}
END_TEST

START_TEST(test_unit_and_add)
{
	ck_assert_int_eq(persist(NULL, true), DEVSHM_MOUNT_DROPIN);
	ck_assert_str_eq(file, "/etc/systemd/system/dev-shm.mount.d/"
	    "ipctune.conf");
	ck_assert_str_eq(text, DEVSHM_MARKER "[Mount]\nOptions=rw,nosuid,nodev,"
	    "size=98304k\n");
	ck_assert_int_eq(persist(NULL, false), DEVSHM_FSTAB_ADD);
	ck_assert_str_eq(text, "tmpfs /dev/shm tmpfs rw,nosuid,nodev,"
	    "size=98304k 0 0");
}
END_TEST

START_TEST(test_hostile_lines)
{
	/* too few fields, or not a tmpfs: a new line, never a mangled one */
	ck_assert_int_eq(persist("x /dev/shm", false), DEVSHM_FSTAB_ADD);
	ck_assert_int_eq(persist("", false), DEVSHM_FSTAB_ADD);
	ck_assert_int_eq(persist("/dev/sda1 /dev/shm ext4 rw 0 0", false),
	    DEVSHM_FSTAB_ADD);
	/* empty options and every size= dropped; "size" alone is kept */
	ck_assert_int_eq(devshm_fstab_options("a b c ,,size=1,size,,size=2,"
	    "nr_size=3", 4, opts, sizeof(opts)), 0);
	ck_assert_str_eq(opts, "size,nr_size=3,size=4k");
	ck_assert_int_eq(devshm_fstab_options("a b c", 4, opts,
	    sizeof(opts)), -1);
	/* no room: -1, not a truncated line */
	ck_assert_int_eq(devshm_fstab_options("a b c defaults", 4, opts, 8),
	    -1);
}
END_TEST

static char *out;
static char err[256];

/* devshm_fstab_set(TEXT) at 96 MiB: its result, or NULL. */
static const char *
set(const char *t)
{
	free(out);
	out = NULL;
	err[0] = '\0';
	if (devshm_fstab_set(t, 98304, &out, err, sizeof(err)) < 0) {
		ck_assert_ptr_null(out);
		ck_assert_str_ne(err, "");
		return NULL;
	}
	return out;
}

START_TEST(test_set_keeps_bytes)
{
	/* comments naming /dev/shm, tabs, CRLF, no final newline */
	ck_assert_str_eq(set("# x /dev/shm tmpfs size=1g 0 0\n"
	    "  #y /dev/shm tmpfs rw 0 0\n"
	    "a\t/dev/shm \t tmpfs\tsize=1g,rw\t 0  0\r\nb / ext4 d 0 1"),
	    "# x /dev/shm tmpfs size=1g 0 0\n  #y /dev/shm tmpfs rw 0 0\n"
	    "a\t/dev/shm \t tmpfs\trw,size=98304k\t 0  0\r\n"
	    "b / ext4 d 0 1");
	ck_assert_str_eq(set("x /dev/shm/ tmpfs rw"),
	    "x /dev/shm/ tmpfs rw,size=98304k");
	/* none: a line appended, after a newline the file lacked */
	ck_assert_str_eq(set(""), "tmpfs /dev/shm tmpfs rw,nosuid,nodev,"
	    "size=98304k 0 0\n");
	ck_assert_str_eq(set("a / ext4 d 0 1"), "a / ext4 d 0 1\ntmpfs "
	    "/dev/shm tmpfs rw,nosuid,nodev,size=98304k 0 0\n");
	ck_assert_str_eq(set("a /dev/shmx tmpfs d\n"), "a /dev/shmx tmpfs "
	    "d\ntmpfs /dev/shm tmpfs rw,nosuid,nodev,size=98304k 0 0\n");
	/* applied twice: the same text */
	ck_assert_str_eq(set("a /dev/shm tmpfs rw,size=98304k 0 0\n"),
	    "a /dev/shm tmpfs rw,size=98304k 0 0\n");
}
END_TEST

START_TEST(test_set_long_lines)
{
	size_t n = 70000;
	char *t = malloc(n + 64), *want;

	/* a line far longer than any buffer, kept as it is */
	memset(t, 'c', n);
	strcpy(t + n, "\ns /dev/shm tmpfs rw 0 0\n");
	want = malloc(n + 80);
	memcpy(want, t, n);
	strcpy(want + n, "\ns /dev/shm tmpfs rw,size=98304k 0 0\n");
	ck_assert_str_eq(set(t), want);
	/* an options field over 1023 bytes: refused, not cut */
	memcpy(t, "s /dev/shm tmpfs ", 17);
	memset(t + 17, 'o', 2000);
	strcpy(t + 2017, " 0 0\n");
	ck_assert_ptr_null(set(t));
	free(want);
	free(t);
}
END_TEST

START_TEST(test_set_refusals)
{
	ck_assert_ptr_null(set("/dev/sda1 /dev/shm ext4 rw 0 0\n"));
	ck_assert_ptr_nonnull(strstr(err, "not a tmpfs"));
	ck_assert_ptr_null(set("a /dev/shm tmpfs\n"));
	ck_assert_ptr_nonnull(strstr(err, "no options field"));
	ck_assert_ptr_null(set("a /dev/shm tmpfs rw 0 0\n"
	    "b\t/dev/shm\ttmpfs rw 0 0"));
	ck_assert_ptr_nonnull(strstr(err, "more than one"));
	ck_assert_ptr_null(set("a /dev/shm tmpfsx rw 0 0\n"));
}
END_TEST

START_TEST(test_boot_size)
{
	uint64_t b = 0;

	ck_assert_int_eq(devshm_boot_size("# a /dev/shm tmpfs size=1g\n"
	    "a /dev/shm tmpfs size=1g,rw,size=96M 0 0", false, &b), 0);
	ck_assert_uint_eq(b, 100663296);
	ck_assert_int_eq(devshm_boot_size("a /dev/shm tmpfs nr_size=5,"
	    "size=4096 0 0\n", false, &b), 0);
	ck_assert_uint_eq(b, 4096);
	/* none, a percentage, junk, overflow, two lines: not judged */
	ck_assert_int_eq(devshm_boot_size("a /dev/shm tmpfs rw 0 0", false,
	    &b), -1);
	ck_assert_int_eq(devshm_boot_size("a /dev/shm tmpfs size=50% 0 0",
	    false, &b), -1);
	ck_assert_int_eq(devshm_boot_size("a /dev/shm tmpfs size=1kk", false,
	    &b), -1);
	ck_assert_int_eq(devshm_boot_size("a /dev/shm tmpfs "
	    "size=99999999999999999999", false, &b), -1);
	ck_assert_int_eq(devshm_boot_size("a /dev/shm tmpfs size=1g\n"
	    "b /dev/shm tmpfs size=1g\n", false, &b), -1);
	ck_assert_int_eq(devshm_boot_size("", false, &b), -1);
	/* the drop-in: its last Options= */
	ck_assert_int_eq(devshm_boot_size(DEVSHM_MARKER "[Mount]\n"
	    "Options=rw,size=1g\nOptions=rw,size=98304k\n", true, &b), 0);
	ck_assert_uint_eq(b, 100663296);
	ck_assert_int_eq(devshm_boot_size("[Mount]\nOptions=rw,size=1g\n"
	    "Options=rw\n", true, &b), -1);
}
END_TEST

static Suite *
devshm_suite(void)
{
	Suite *s = suite_create("devshm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fstab_edit);
	tcase_add_test(tc, test_unit_and_add);
	tcase_add_test(tc, test_hostile_lines);
	tcase_add_test(tc, test_set_keeps_bytes);
	tcase_add_test(tc, test_set_long_lines);
	tcase_add_test(tc, test_set_refusals);
	tcase_add_test(tc, test_boot_size);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(devshm_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
