/*
 * check_state.c: unit tests of the state directory rules (override,
 * $STATE_DIRECTORY, root, XDG, HOME), the rollback record round trip with
 * 64-bit values, and the atomic drop-in writer (mode, body comparison,
 * symlink refusal).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dropin.h"
#include "rootfile.h"
#include "state.h"

START_TEST(test_record_roundtrip)
{
	char dir[] = "/tmp/ipctune-state.XXXXXX", err[512];
	struct state_record r, back;
	char *profiles[] = { "db2", "oracle" }, *sets[] = { "n=3" };
	char *dirs[] = { "/srv/profiles" };
	bool found;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(state_load(dir, &back, &found, err, sizeof(err)), 0);
	ck_assert(!found);
	state_record_init(&r);
	r.applied_at = 1700000000;
	r.profiles = profiles;
	r.nprofiles = 2;
	r.sets = sets;
	r.nsets = 1;
	r.profile_dirs = dirs;
	r.nprofile_dirs = 1;
	r.exact = true;
	r.runtime[0].id = SC_SHMMAX;
	r.runtime[0].old_value[0] = 18446744073692774399ull;
	r.runtime[0].new_value[0] = 18446744073709551615ull;
	r.runtime[1].id = SC_SEM;
	r.runtime[1].old_value[3] = 32000;
	r.runtime[1].new_value[3] = 128;
	r.nruntime = 2;
	r.persist = true;
	r.dropin_path = "/etc/sysctl.d/zz-ipctune.conf";
	r.dropin_existed = true;
	r.dropin_old = "kernel.msgmni = 1\n";
	r.dropin_new = "kernel.msgmni = 2\n";
	r.sysctl_root = "/t/root";
	r.ns_inode = 4026532999u;
	r.ns_host = 0;
	r.ns_pid = 4242;
	r.ns_pid_start = 18446744073709551ull;
	ck_assert_msg(state_save(dir, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(state_load(dir, &back, &found, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert(found);
	ck_assert_int_eq((int)back.nprofiles, 2);
	ck_assert_str_eq(back.profiles[1], "oracle");
	ck_assert_str_eq(back.sets[0], "n=3");
	ck_assert_int_eq((int)back.nprofile_dirs, 1);
	ck_assert_str_eq(back.profile_dirs[0], "/srv/profiles");
	ck_assert(back.exact);
	ck_assert_int_eq((int)back.nruntime, 2);
	ck_assert_uint_eq(back.runtime[0].new_value[0], 18446744073709551615ull);
	ck_assert_uint_eq(back.runtime[0].old_value[0], 18446744073692774399ull);
	ck_assert_int_eq(back.runtime[1].id, SC_SEM);
	ck_assert_uint_eq(back.runtime[1].new_value[3], 128);
	ck_assert_str_eq(back.dropin_old, "kernel.msgmni = 1\n");
	/* sha256 of "kernel.msgmni = 2\n", and the namespace */
	ck_assert_str_eq(back.dropin_new_sha256, "b844d48e1e68ac68910796a8"
	    "36a7565355de8c97679480a9fb4989de1d33c6fa");
	ck_assert_uint_eq(back.ns_inode, 4026532999u);
	ck_assert_int_eq(back.ns_host, 0);
	ck_assert_int_eq(back.ns_pid, 4242);
	ck_assert_uint_eq(back.ns_pid_start, 18446744073709551ull);
	ck_assert_str_eq(back.sysctl_root, "/t/root");
	state_record_release(&back);
	/* a record older than the namespace: not recorded, unknown */
	r.ns_inode = 0;
	r.ns_host = -1;
	r.ns_pid = 0;
	r.sysctl_root = NULL;
	ck_assert_int_eq(state_save(dir, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(state_load(dir, &back, &found, err, sizeof(err)), 0);
	ck_assert_uint_eq(back.ns_inode, 0);
	ck_assert_int_eq(back.ns_host, -1);
	ck_assert_int_eq(back.ns_pid, 0);
	ck_assert_ptr_null(back.sysctl_root);
	ck_assert_int_eq(state_check_ns(&back, false, "anyway", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "--any-namespace anyway"));
	ck_assert_int_eq(state_check_ns(&back, true, "anyway", err,
	    sizeof(err)), 0);
	state_record_release(&back);
	/* a control character in a field is refused, nothing written */
	r.profiles[0] = "db2\nkernel.core_pattern = |x";
	ck_assert_int_eq(state_save(dir, &r, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "control character"));
	r.profiles[0] = "db2";
	ck_assert_int_eq(state_lock(dir, &fd, err, sizeof(err)), 0);
	state_unlock(fd);
	ck_assert_int_eq(state_retire(dir, err, sizeof(err)), 0);
	ck_assert_int_eq(state_load(dir, &back, &found, err, sizeof(err)), 0);
	ck_assert(!found);
}
END_TEST

/* 13.4: a negative kernel.sem field survives the record exactly */
/* Write DIR/last-apply.json with the ipc_namespace object NS. */
static void
write_ns_record(const char *dir, const char *ns)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/last-apply.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "{\"schema_version\": 1, \"applied_at\": 1, "
	    "\"profiles\": [], \"sets\": [], \"exact\": false, "
	    "\"runtime\": [], \"dropin\": {\"written\": false}, "
	    "\"ipc_namespace\": %s}\n", ns);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_record_ns_process)
{
	static const char *const bad[] = {
		"{\"inode\": 4026532999, \"pid\": -1, \"pid_start\": 5}",
		"{\"inode\": 4026532999, \"pid\": 0, \"pid_start\": 5}",
		"{\"inode\": 4026532999, \"pid\": 4294967296, "
		    "\"pid_start\": 5}",
		"{\"inode\": 4026532999, \"pid\": 7, \"pid_start\": -5}",
	};
	char dir[] = "/tmp/ipctune-state.XXXXXX", err[512];
	struct state_record back;
	bool found;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_ns_record(dir, bad[i]);
		ck_assert_msg(state_load(dir, &back, &found, err,
		    sizeof(err)) == -1, "%s", bad[i]);
	}
	/* a pid without its start (or null, for the host) names none */
	write_ns_record(dir, "{\"inode\": 4026532999, \"pid\": 7}");
	ck_assert_msg(state_load(dir, &back, &found, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(back.ns_pid, 0);
	state_record_release(&back);
	write_ns_record(dir, "{\"inode\": 4026532999, \"host\": false, "
	    "\"pid\": 7, \"pid_start\": 123}");
	ck_assert_msg(state_load(dir, &back, &found, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(back.ns_pid, 7);
	ck_assert_uint_eq(back.ns_pid_start, 123);
	state_record_release(&back);
}
END_TEST

START_TEST(test_record_negative_sem)
{
	char dir[] = "/tmp/ipctune-state.XXXXXX", err[512];
	struct state_record r, back;
	bool found;
	FILE *fp;
	char text[4096];
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	state_record_init(&r);
	r.runtime[0].id = SC_SEM;
	r.runtime[0].old_value[0] = 250;
	r.runtime[0].old_value[1] = 32000;
	r.runtime[0].old_value[2] = (uint64_t)(int64_t)-1;
	r.runtime[0].old_value[3] = 128;
	r.runtime[0].new_value[0] = 250;
	r.runtime[0].new_value[1] = 32000;
	r.runtime[0].new_value[2] = 600;
	r.runtime[0].new_value[3] = 32000;
	r.runtime[1].id = SC_SHMMAX;
	r.runtime[1].old_value[0] = 18446744073709551615ull;
	r.runtime[1].new_value[0] = 1;
	r.nruntime = 2;
	ck_assert_msg(state_save(dir, &r, err, sizeof(err)) == 0, "%s", err);
	snprintf(text, sizeof(text), "%s/last-apply.json", dir);
	fp = fopen(text, "r");
	ck_assert_ptr_nonnull(fp);
	len = fread(text, 1, sizeof(text) - 1, fp);
	text[len] = '\0';
	fclose(fp);
	ck_assert_msg(strstr(text, "\"-1\"") != NULL, "%s", text);
	ck_assert_msg(state_load(dir, &back, &found, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert(found);
	ck_assert_int_eq((int)back.nruntime, 2);
	ck_assert_int_eq((int64_t)back.runtime[0].old_value[2], -1);
	ck_assert_uint_eq(back.runtime[0].old_value[3], 128);
	ck_assert_uint_eq(back.runtime[1].old_value[0],
	    18446744073709551615ull);
	state_record_release(&back);
	snprintf(text, sizeof(text), "%s/last-apply.json", dir);
	unlink(text);
	snprintf(text, sizeof(text), "%s/lock", dir);
	unlink(text);
	rmdir(dir);
}
END_TEST

START_TEST(test_dropin)
{
	char dir[] = "/tmp/ipctune-dropin.XXXXXX", path[256], link[256];
	char err[512], *text, *b1, *b2;
	struct dropin_line lines[] = {
		{ "kernel.shmmni", "8192" },
		{ "kernel.sem", "250 32000 100 128" },
	};
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/zz-ipctune.conf", dir);
	text = dropin_render("db2", "n=1 (--set)", 0, lines, 2);
	ck_assert_ptr_nonnull(strstr(text, "# Profiles: db2\n"));
	ck_assert_ptr_nonnull(strstr(text, "1970-01-01T00:00:00Z"));
	ck_assert_ptr_nonnull(strstr(text, "\nkernel.sem = 250 32000 100 128\n"));
	b1 = dropin_body(text);
	ck_assert_str_eq(b1, "kernel.shmmni = 8192\nkernel.sem = 250 32000 "
	    "100 128\n");
	umask(077);
	ck_assert_int_eq(rootfile_write(path, text, 0644, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	free(text);
	ck_assert_int_eq(rootfile_read(path, &text, err, sizeof(err)), 0);
	b2 = dropin_body(text);
	ck_assert_str_eq(b1, b2);
	free(text);
	free(b1);
	free(b2);
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(rootfile_write(link, "x\n", 0644, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	ck_assert_int_eq(rootfile_read(link, &text, err, sizeof(err)), -1);
	ck_assert_int_eq(rootfile_remove(link, err, sizeof(err)), -1);
	ck_assert_int_eq(rootfile_remove(path, err, sizeof(err)), 0);
	ck_assert_int_eq(rootfile_read(path, &text, err, sizeof(err)), 0);
	ck_assert_ptr_null(text);
	unlink(link);
	rmdir(dir);
}
END_TEST

START_TEST(test_dropin_generate)
{
	struct dropin_line ok[] = {
		{ "kernel.shmmni", "8192" },
		{ "kernel.sem", "250 32000 100 128" },
	};
	struct dropin_line bad_key[] = { { "kernel.core_pattern", "1" } };
	struct dropin_line bad_value[] = { { "kernel.shmmni", "1\nx = 2" } };
	struct dropin_line short_sem[] = { { "kernel.sem", "250 32000" } };
	/* a negative SEMOPM apply keeps (the kernel holds it) */
	struct dropin_line neg_semopm[] = { { "kernel.sem", "250 32000 -1 "
	    "32000" } };
	struct dropin_line neg_semmni[] = { { "kernel.sem", "250 32000 100 "
	    "-1" } };
	struct dropin_line neg_int[] = { { "kernel.sem", "250 32000 "
	    "-2147483649 128" } };
	struct dropin_line neg_shmmni[] = { { "kernel.shmmni", "-1" } };
	struct dropin_foreign *f;
	char err[512], *text;
	size_t n;

	ck_assert_int_eq(dropin_generate("db2", "", 0, ok, 2, &text, err,
	    sizeof(err)), 0);
	ck_assert(dropin_has_header(text));
	ck_assert_int_eq((int)dropin_foreign_lines(text, NULL, &f), 0);
	dropin_foreign_free(f, 0);
	free(text);
	ck_assert_int_eq(dropin_generate("x\nkernel.core_pattern = |y", "",
	    0, ok, 2, &text, err, sizeof(err)), -1);
	ck_assert_ptr_null(text);
	ck_assert_ptr_nonnull(strstr(err, "control character"));
	ck_assert_int_eq(dropin_generate("db2", "n=1\r", 0, ok, 2, &text,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(dropin_generate("db2", "", 0, bad_key, 1, &text,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(dropin_generate("db2", "", 0, bad_value, 1, &text,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(dropin_generate("db2", "", 0, short_sem, 1, &text,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(dropin_generate("db2", "", 0, neg_semopm, 1, &text,
	    err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(text, "\nkernel.sem = 250 32000 -1 "
	    "32000\n"));
	free(text);
	ck_assert_int_eq(dropin_generate("db2", "", 0, neg_semmni, 1, &text,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(dropin_generate("db2", "", 0, neg_int, 1, &text,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(dropin_generate("db2", "", 0, neg_shmmni, 1, &text,
	    err, sizeof(err)), -1);
	/* foreign lines: not allowlisted, not ours, or a key not written */
	n = dropin_foreign_lines("# c\n; c\n\nkernel.shmmni =  8192\n"
	    "kernel.core_pattern = |x\n-kernel.shmmni\nkernel.shm* = 1\n"
	    "kernel.sem = 1 2 3\nkernel.msgmni = 7\n",
	    "kernel.shmmni = 1\n", &f);
	ck_assert_int_eq((int)n, 5);
	ck_assert_int_eq(f[0].line, 5);
	ck_assert_str_eq(f[0].text, "kernel.core_pattern = |x");
	ck_assert_str_eq(f[4].text, "kernel.msgmni = 7");
	dropin_foreign_free(f, n);
}
END_TEST

START_TEST(test_dropin_location)
{
	bool sd;

	ck_assert(dropin_location_ok("/etc/sysctl.d/zz-ipctune.conf", NULL,
	    &sd) && sd);
	ck_assert(dropin_location_ok("/lib/sysctl.d/a.conf", "", &sd) && sd);
	ck_assert(dropin_location_ok("/etc/sysctl.conf", NULL, &sd) && !sd);
	ck_assert(dropin_location_ok("/t/root/run/sysctl.d/a.conf", "/t/root/",
	    &sd) && sd);
	ck_assert(!dropin_location_ok("/t/root/run/sysctl.d/a.conf", NULL,
	    &sd));
	ck_assert(!dropin_location_ok("/etc/passwd", NULL, &sd));
	ck_assert(!dropin_location_ok("/etc/sysctl.d/a.txt", NULL, &sd));
	ck_assert(!dropin_location_ok("/etc/sysctl.d/.conf", NULL, &sd));
	ck_assert(!dropin_location_ok("/etc/sysctl.d/sub/a.conf", NULL, &sd));
	ck_assert(!dropin_location_ok("/etc/sysctl.d/../passwd.conf", NULL,
	    &sd));
	ck_assert(!dropin_location_ok("/etc//sysctl.d/a.conf", NULL, &sd));
	ck_assert(!dropin_location_ok("etc/sysctl.d/a.conf", NULL, &sd));
}
END_TEST

START_TEST(test_rootfile_clean_stale)
{
	char dir[] = "/tmp/ipctune-stale.XXXXXX", path[256], f[320];
	char err[512];
	pid_t dead;
	int n, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/zz-ipctune.conf", dir);
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(f, sizeof(f), "%s.tmp.%ld", path, (long)dead);
	fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(f, sizeof(f), "%s.tmp.%ld", path, (long)getpid());
	fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0600);
	close(fd);
	ck_assert_int_eq(rootfile_clean_stale(path, &n, err, sizeof(err)), 0);
	ck_assert_int_eq(n, 1);
	/* its own PID is never stale */
	ck_assert_int_eq(access(f, F_OK), 0);
	unlink(f);
	ck_assert_int_eq(rootfile_clean_stale(path, &n, err, sizeof(err)), 0);
	ck_assert_int_eq(n, 0);
	snprintf(f, sizeof(f), "%s/none/x.conf", dir);
	ck_assert_int_eq(rootfile_clean_stale(f, &n, err, sizeof(err)), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_record_roundtrip);
	tcase_add_test(tc, test_record_negative_sem);
	tcase_add_test(tc, test_record_ns_process);
	tcase_add_test(tc, test_dropin);
	tcase_add_test(tc, test_dropin_generate);
	tcase_add_test(tc, test_dropin_location);
	tcase_add_test(tc, test_rootfile_clean_stale);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
