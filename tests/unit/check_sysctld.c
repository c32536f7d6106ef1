/*
 * check_sysctld.c: unit tests of the sysctl.d resolution on the fixture
 * tree tests/fixtures/sysctl.d-precedence: same-name hiding, basename
 * order across directories, /etc/sysctl.conf last for procps, globs and
 * "-key" exclusions, a /dev/null mask, and a planned drop-in that wins or
 * is overridden.
 */
#include <check.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysctld.h"

#define TREE "tests/fixtures/sysctl.d-precedence"

static void
expect(const struct sysctld_plan *plan, const char *key, const char *value,
    const char *file)
{
	struct sysctld_winner w;

	sysctld_winner(plan, key, &w);
	if (value == NULL) {
		ck_assert_msg(!w.set, "%s set by %s", key, w.file);
		return;
	}
	ck_assert_msg(w.set, "%s not set (%s)", key,
	    sysctld_rules_names[plan->rules]);
	ck_assert_str_eq(w.value, value);
	ck_assert_str_eq(w.file, file);
}

/* kernel/sysctl.c proc_get_long() and the IPC bounds, as written at boot */
START_TEST(test_kernel_value)
{
	static const struct {
		enum sysctl_id id;
		const char *text;
		bool rejected;
		uint64_t v[SEM_NFIELDS];
	} c[] = {
		{ SC_MSGMNI, "8000  # note", false, { 8000 } },
		{ SC_MSGMNI, "8000 ; note", false, { 8000 } },
		{ SC_MSGMNI, "0x10", false, { 16 } },
		{ SC_MSGMNI, "010", false, { 8 } },
		{ SC_MSGMNI, "\"8000\"", true, { 32000 } },
		{ SC_MSGMNI, "8000#x", true, { 32000 } },
		{ SC_MSGMNI, "+5", true, { 32000 } },
		{ SC_MSGMNI, "", true, { 32000 } },
		{ SC_MSGMNI, "-1", true, { 32000 } },
		{ SC_MSGMNI, "524288", true, { 32000 } },
		{ SC_MSGMNI, "32768", false, { 32768 } },
		{ SC_MSGMNI, "99999999999", true, { 32000 } },
		{ SC_MSGMNI, "000000000000000000007", true, { 32000 } },
		{ SC_MSGMNI, "00000000000000000007", false, { 7 } },
		{ SC_MSGMNI, "08", true, { 32000 } },
		{ SC_SHMMAX, "0x10000", false, { 65536 } },
		{ SC_SHMMAX, "18446744073709551615", false, { UINT64_MAX } },
		{ SC_SHMMAX, "18446744073709551616", true, { 7 } },
		{ SC_SHMMAX, "-1", true, { 7 } },
		{ SC_SEM, "250 32000", false, { 250, 32000, 500, 32000 } },
		{ SC_SEM, "250 32000 32 128 99", false, { 250, 32000, 32, 128 } },
		{ SC_SEM, "250 32000 -1 128", false,
		    { 250, 32000, (uint64_t)-1, 128 } },
		{ SC_SEM, "250 32000 32 131072", true, { 250, 32000, 32, 32000 } },
		{ SC_SEM, "250 x 32 128", true, { 250, 1024000000, 500, 32000 } },
		{ SC_MQ_QUEUES_MAX, "-1", false, { UINT32_MAX } },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t before[SEM_NFIELDS] = { 0 };
		struct sysctld_kvalue kv;

		sysctl_kernel_default(c[i].id, before);
		if (c[i].id == SC_SHMMAX)
			before[0] = 7;
		sysctld_kernel_value(c[i].id, c[i].text, IPC_MNI_DEFAULT,
		    before, &kv);
		ck_assert_msg(kv.rejected == c[i].rejected, "'%s'",
		    c[i].text);
		for (int k = 0; k < (c[i].id == SC_SEM ? SEM_NFIELDS : 1);
		    k++)
			ck_assert_msg(kv.v[k] == c[i].v[k], "'%s' field %d: %"
			    PRIu64, c[i].text, k, kv.v[k]);
	}
}
END_TEST

/* the override rule apply and verify share */
START_TEST(test_complies)
{
	uint64_t want[SEM_NFIELDS] = { 250, 32000, 32, 128 };
	uint64_t more[SEM_NFIELDS] = { 250, 64000, 32, 128 };
	uint64_t less[SEM_NFIELDS] = { 250, 32000, 32, 100 };

	ck_assert(sysctld_complies(SC_SEM, more, want, false));
	ck_assert(!sysctld_complies(SC_SEM, more, want, true));
	ck_assert(!sysctld_complies(SC_SEM, less, want, false));
	ck_assert(sysctld_complies(SC_SEM, want, want, true));
}
END_TEST

START_TEST(test_systemd)
{
	struct sysctld_plan plan;
	char err[512];

	ck_assert_msg(sysctld_load(TREE, SYSCTLD_SYSTEMD, NULL, NULL, &plan,
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq((int)plan.nfiles, 6);
	ck_assert_str_eq(plan.files[0].path, "/run/sysctl.d/10-early.conf");
	ck_assert(plan.files[1].masked);
	expect(&plan, "kernel.shmmni", "3000",
	    "/usr/local/lib/sysctl.d/70-local.conf");
	expect(&plan, "kernel.msgmax", "100", "/run/sysctl.d/10-early.conf");
	expect(&plan, "kernel.msgmnb", "222", "/lib/sysctl.d/50-lib.conf");
	expect(&plan, "kernel.msgmni", "777", "/usr/lib/sysctl.d/80-glob.conf");
	expect(&plan, "kernel.shmall", "5", "/usr/lib/sysctl.d/80-glob.conf");
	expect(&plan, "kernel.sem", NULL, NULL);
	sysctld_plan_release(&plan);
}
END_TEST

START_TEST(test_procps)
{
	struct sysctld_plan plan;
	char err[512];

	ck_assert(sysctld_load(TREE, SYSCTLD_PROCPS, NULL, NULL, &plan, err,
	    sizeof(err)) == 0);
	ck_assert_str_eq(plan.files[plan.nfiles - 1].path, "/etc/sysctl.conf");
	expect(&plan, "kernel.shmmni", "3000",
	    "/usr/local/lib/sysctl.d/70-local.conf");
	expect(&plan, "kernel.msgmax", "9000", "/etc/sysctl.conf");
	/* procps 4 also lets the explicit key beat the later glob */
	expect(&plan, "kernel.msgmnb", "222", "/lib/sysctl.d/50-lib.conf");
	expect(&plan, "kernel.msgmni", "777", "/usr/lib/sysctl.d/80-glob.conf");
	expect(&plan, "kernel.sem", NULL, NULL);
	sysctld_plan_release(&plan);
}
END_TEST

/* "-key" after "key = value": systemd drops the key, procps keeps it. */
START_TEST(test_exclude)
{
	static const char late[] = "-kernel.shmmni\n-kernel.msgmni\n";
	struct sysctld_plan plan;
	struct sysctld_winner w;
	char err[512];

	ck_assert(sysctld_load(TREE, SYSCTLD_SYSTEMD, TREE
	    "/etc/sysctl.d/99-x.conf", late, &plan, err, sizeof(err)) == 0);
	expect(&plan, "kernel.shmmni", NULL, NULL);
	sysctld_winner(&plan, "kernel.shmmni", &w);
	ck_assert(w.cancelled);
	ck_assert_str_eq(w.file, "/etc/sysctl.d/99-x.conf");
	ck_assert_int_eq(w.line, 1);
	expect(&plan, "kernel.msgmni", NULL, NULL);
	expect(&plan, "kernel.msgmnb", "222", "/lib/sysctl.d/50-lib.conf");
	sysctld_plan_release(&plan);
	ck_assert(sysctld_load(TREE, SYSCTLD_PROCPS, TREE
	    "/etc/sysctl.d/99-x.conf", late, &plan, err, sizeof(err)) == 0);
	expect(&plan, "kernel.shmmni", "3000",
	    "/usr/local/lib/sysctl.d/70-local.conf");
	expect(&plan, "kernel.msgmni", NULL, NULL);
	sysctld_plan_release(&plan);
	/* an explicit key after the exclusion is set again */
	ck_assert(sysctld_load(TREE, SYSCTLD_SYSTEMD, TREE
	    "/etc/sysctl.d/99-x.conf", "-kernel.shmmni\nkernel.shmmni = 9\n",
	    &plan, err, sizeof(err)) == 0);
	expect(&plan, "kernel.shmmni", "9", "/etc/sysctl.d/99-x.conf");
	sysctld_plan_release(&plan);
}
END_TEST

START_TEST(test_extra)
{
	struct sysctld_plan plan;
	struct sysctld_winner w;
	char err[512];

	/* a late name in /etc/sysctl.d wins under systemd */
	ck_assert(sysctld_load(TREE, SYSCTLD_SYSTEMD, TREE
	    "/etc/sysctl.d/99-ipctune.conf", "kernel.shmmni = 8192\n"
	    "kernel.sem = 250\t256000  32 1024\nkernel.msgmax = 8\n", &plan,
	    err, sizeof(err)) == 0);
	ck_assert(plan.extra_read);
	sysctld_winner(&plan, "kernel.shmmni", &w);
	ck_assert(w.is_extra);
	ck_assert_str_eq(w.file, "/etc/sysctl.d/99-ipctune.conf");
	sysctld_winner(&plan, "kernel.sem", &w);
	ck_assert_str_eq(w.value, "250 256000 32 1024");
	sysctld_plan_release(&plan);
	/* but /etc/sysctl.conf comes later under procps */
	ck_assert(sysctld_load(TREE, SYSCTLD_PROCPS, TREE
	    "/etc/sysctl.d/99-ipctune.conf", "kernel.msgmax = 8\n", &plan,
	    err, sizeof(err)) == 0);
	sysctld_winner(&plan, "kernel.msgmax", &w);
	ck_assert(!w.is_extra);
	ck_assert_str_eq(w.file, "/etc/sysctl.conf");
	sysctld_plan_release(&plan);
	/* an early name loses to later files */
	ck_assert(sysctld_load(TREE, SYSCTLD_SYSTEMD, TREE
	    "/etc/sysctl.d/20-ipctune.conf", "kernel.shmmni = 8192\n", &plan,
	    err, sizeof(err)) == 0);
	sysctld_winner(&plan, "kernel.shmmni", &w);
	ck_assert(!w.is_extra);
	sysctld_plan_release(&plan);
	/* a weaker directory's file hidden by the same name in /etc */
	ck_assert(sysctld_load(TREE, SYSCTLD_SYSTEMD, TREE
	    "/usr/lib/sysctl.d/60-ipctune.conf", "kernel.shmmni = 8192\n",
	    &plan, err, sizeof(err)) == 0);
	ck_assert(!plan.extra_read);
	ck_assert_str_eq(plan.extra_shadowed_by,
	    "/etc/sysctl.d/60-ipctune.conf");
	sysctld_plan_release(&plan);
	/* the same directory spelt another way is still that directory */
	ck_assert(sysctld_load(TREE "/", SYSCTLD_SYSTEMD, TREE
	    "//etc/./sysctl.d/99-ipctune.conf", "kernel.shmmni = 8192\n",
	    &plan, err, sizeof(err)) == 0);
	ck_assert(plan.extra_read);
	sysctld_winner(&plan, "kernel.shmmni", &w);
	ck_assert(w.is_extra);
	sysctld_plan_release(&plan);
	/*
	 * 12.B9: /etc/sysctl.conf as the extra is read by procps, last, and
	 * not by systemd-sysctl
	 */
	ck_assert(sysctld_load(TREE, SYSCTLD_PROCPS, TREE "/etc/sysctl.conf",
	    "kernel.msgmax = 9\n", &plan, err, sizeof(err)) == 0);
	ck_assert(plan.extra_read);
	sysctld_winner(&plan, "kernel.msgmax", &w);
	ck_assert(w.is_extra);
	ck_assert_str_eq(w.value, "9");
	ck_assert_str_eq(w.file, "/etc/sysctl.conf");
	sysctld_plan_release(&plan);
	ck_assert(sysctld_load(TREE, SYSCTLD_SYSTEMD, TREE "/etc/sysctl.conf",
	    "kernel.msgmax = 9\n", &plan, err, sizeof(err)) == 0);
	ck_assert(!plan.extra_read);
	sysctld_plan_release(&plan);
	/* outside every directory: never read at boot */
	ck_assert(sysctld_load(TREE, SYSCTLD_SYSTEMD, "/tmp/x.conf", "", &plan,
	    err, sizeof(err)) == 0);
	ck_assert(!plan.extra_read);
	sysctld_plan_release(&plan);
}
END_TEST

/* A tree without any sysctl.d file (UBSan: no qsort of NULL). */
START_TEST(test_empty_tree)
{
	struct sysctld_plan plan;
	char dir[] = "/tmp/check_sysctld.XXXXXX", err[512];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert(sysctld_load(dir, SYSCTLD_SYSTEMD, NULL, NULL, &plan, err,
	    sizeof(err)) == 0);
	ck_assert_int_eq((int)plan.nfiles, 0);
	expect(&plan, "kernel.shmmni", NULL, NULL);
	sysctld_plan_release(&plan);
	rmdir(dir);
}
END_TEST

START_TEST(test_parse)
{
	struct sysctld_plan plan;

	sysctld_plan_init(&plan);
	sysctld_parse(&plan, 0, "# c\n; c\n\n  kernel/sem =  1\t2  3 4  \n"
	    "-kernel.msgmni=5\nnot an assignment\n-net.x\n");
	ck_assert_int_eq((int)plan.nassigns, 3);
	ck_assert_str_eq(plan.assigns[0].key, "kernel.sem");
	ck_assert_str_eq(plan.assigns[0].value, "1 2 3 4");
	ck_assert_int_eq(plan.assigns[0].line, 4);
	ck_assert(plan.assigns[1].ignore_failure);
	ck_assert(plan.assigns[2].exclude);
	sysctld_plan_release(&plan);
}
END_TEST

static Suite *
sysctld_suite(void)
{
	Suite *s = suite_create("sysctld");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_systemd);
	tcase_add_test(tc, test_procps);
	tcase_add_test(tc, test_exclude);
	tcase_add_test(tc, test_extra);
	tcase_add_test(tc, test_empty_tree);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_kernel_value);
	tcase_add_test(tc, test_complies);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sysctld_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
