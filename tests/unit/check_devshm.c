/*
 * check_devshm.c: unit tests of devshm.c: the boot-time text for the
 * /dev/shm size by how the host mounts it, the fstab options rewritten
 * (one size=, the others kept in order), and hostile fstab lines.
 */
#include <check.h>
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
	ck_assert_str_eq(text, "[Mount]\nOptions=rw,nosuid,nodev,"
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

static Suite *
devshm_suite(void)
{
	Suite *s = suite_create("devshm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fstab_edit);
	tcase_add_test(tc, test_unit_and_add);
	tcase_add_test(tc, test_hostile_lines);
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
