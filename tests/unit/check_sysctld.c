/*
 * check_sysctld.c: unit tests of the pure sysctl.d resolution, from
 * directory listings and texts given in memory: which files a boot reads
 * and in which order, the drop-in about to be written, which line wins
 * for a key, and what the kernel holds after the loader wrote it.
 */
#include <check.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sysctld.h"

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

/* Listings of sysctld_dirs, strongest first, NULL-terminated names. */
static void
lists(struct sysctld_dirlist *d, const char *const *const *names)
{
	memset(d, 0, SYSCTLD_NDIRS * sizeof(*d));
	for (size_t i = 0; i < SYSCTLD_NDIRS; i++) {
		d[i].names = names[i];
		while (names[i] != NULL && names[i][d[i].nnames] != NULL)
			d[i].nnames++;
	}
}

static const char *const etc_names[] = { "60-a.conf", "99-z.conf",
    NULL };
static const char *const run_names[] = { "60-a.conf", "10-early.conf",
    ".", "..", NULL };
static const char *const local_names[] = { "README", ".hidden.conf",
    ".conf", "a.conf", "x.conf~", NULL };
static const char *const usr_names[] = { "50-x.conf", "99-z.conf",
    NULL };
static const char *const lib_names[] = { "50-x.conf", "40-lib.conf",
    NULL };
static const char *const *const tree[SYSCTLD_NDIRS] = { etc_names,
    run_names, local_names, usr_names, lib_names };

static void
expect_files(const struct sysctld_plan *plan, const char *const *want)
{
	size_t n = 0;

	for (; want[n] != NULL; n++) {
		ck_assert_msg(n < plan->nfiles, "missing %s", want[n]);
		ck_assert_str_eq(plan->files[n].path, want[n]);
	}
	ck_assert_int_eq((int)plan->nfiles, (int)n);
}

/* Which files a boot reads, in which order: hiding, names, sorting. */
START_TEST(test_plan_files)
{
	static const char *const sd[] = { "/run/sysctl.d/10-early.conf",
	    "/lib/sysctl.d/40-lib.conf", "/usr/lib/sysctl.d/50-x.conf",
	    "/etc/sysctl.d/60-a.conf", "/etc/sysctl.d/99-z.conf",
	    "/usr/local/lib/sysctl.d/a.conf", NULL };
	static const char *const ps[] = { "/run/sysctl.d/10-early.conf",
	    "/lib/sysctl.d/40-lib.conf", "/usr/lib/sysctl.d/50-x.conf",
	    "/etc/sysctl.d/60-a.conf", "/etc/sysctl.d/99-z.conf",
	    "/usr/local/lib/sysctl.d/a.conf", "/etc/sysctl.conf", NULL };
	struct sysctld_dirlist d[SYSCTLD_NDIRS];
	struct sysctld_plan plan;

	lists(d, tree);
	sysctld_plan_files(&plan, SYSCTLD_SYSTEMD, d, NULL, false);
	expect_files(&plan, sd);
	ck_assert(!plan.extra_read);
	ck_assert_int_eq((int)plan.nassigns, 0);
	sysctld_plan_release(&plan);
	sysctld_plan_files(&plan, SYSCTLD_PROCPS, d, NULL, false);
	expect_files(&plan, ps);
	ck_assert(!plan.files[plan.nfiles - 1].is_extra);
	sysctld_plan_release(&plan);
	/* no directory at all: no files (and no qsort of NULL) */
	memset(d, 0, sizeof(d));
	sysctld_plan_files(&plan, SYSCTLD_SYSTEMD, d, NULL, false);
	ck_assert_int_eq((int)plan.nfiles, 0);
	sysctld_plan_release(&plan);
}
END_TEST

/* The drop-in about to be written: read, replacing, or hidden. */
START_TEST(test_plan_extra)
{
	struct sysctld_dirlist d[SYSCTLD_NDIRS];
	struct sysctld_plan plan;

	lists(d, tree);
	/* a new name in /etc/sysctl.d joins the plan */
	d[0].holds_extra = true;
	sysctld_plan_files(&plan, SYSCTLD_SYSTEMD, d, "95-ipctune.conf",
	    false);
	ck_assert(plan.extra_read);
	ck_assert_int_eq((int)plan.nfiles, 7);
	ck_assert_str_eq(plan.files[4].path, "/etc/sysctl.d/95-ipctune.conf");
	ck_assert(plan.files[4].is_extra);
	sysctld_plan_release(&plan);
	/* the same name already there: the new text replaces the file */
	sysctld_plan_files(&plan, SYSCTLD_SYSTEMD, d, "99-z.conf", false);
	ck_assert_int_eq((int)plan.nfiles, 6);
	ck_assert(plan.files[4].is_extra);
	ck_assert_ptr_null(plan.extra_shadowed_by);
	sysctld_plan_release(&plan);
	/* in /usr/lib, hidden by the same name in /etc */
	d[0].holds_extra = false;
	d[3].holds_extra = true;
	sysctld_plan_files(&plan, SYSCTLD_SYSTEMD, d, "99-z.conf", false);
	ck_assert(!plan.extra_read);
	ck_assert_str_eq(plan.extra_shadowed_by, "/etc/sysctl.d/99-z.conf");
	ck_assert(!plan.files[4].is_extra);
	sysctld_plan_release(&plan);
	/* not a *.conf name: never read at boot */
	sysctld_plan_files(&plan, SYSCTLD_SYSTEMD, d, "ipctune.txt", false);
	ck_assert(!plan.extra_read);
	sysctld_plan_release(&plan);
	/* /etc/sysctl.conf: procps reads it last, systemd-sysctl never */
	d[3].holds_extra = false;
	sysctld_plan_files(&plan, SYSCTLD_PROCPS, d, "sysctl.conf", true);
	ck_assert(plan.extra_read);
	ck_assert(plan.files[plan.nfiles - 1].is_extra);
	sysctld_plan_release(&plan);
	sysctld_plan_files(&plan, SYSCTLD_SYSTEMD, d, "sysctl.conf", true);
	ck_assert(!plan.extra_read);
	sysctld_plan_release(&plan);
	/* another name in /etc is not /etc/sysctl.conf */
	sysctld_plan_files(&plan, SYSCTLD_PROCPS, d, "other.conf", true);
	ck_assert(!plan.extra_read);
	sysctld_plan_release(&plan);
}
END_TEST

/* A plan of the given texts, one file each, in order. */
static void
plan_of(struct sysctld_plan *plan, enum sysctld_rules rules,
    const char *const *texts, size_t n)
{
	static const char *const names[] = { "10-a.conf", "20-b.conf",
	    "30-c.conf", NULL };
	static const char *const none[] = { NULL };
	const char *const *const dirs[SYSCTLD_NDIRS] = { names, none, none,
	    none, none };
	struct sysctld_dirlist d[SYSCTLD_NDIRS];

	lists(d, dirs);
	d[0].nnames = n;
	sysctld_plan_files(plan, rules, d, NULL, false);
	for (size_t i = 0; i < n; i++)
		sysctld_parse(plan, i, texts[i]);
}

/* Which line wins for a key, from parsed texts alone. */
START_TEST(test_winner_of_texts)
{
	static const char *const t[] = {
		"kernel.shmmni = 100\nkernel.msg* = 5\n",
		"kernel.shm* = 7\nkernel.msgmax = 6\n-kernel.msgmnb\n",
		"-kernel.shmmni\nkernel.sem = 1 2 3 4\n",
	};
	struct sysctld_plan plan;
	struct sysctld_winner w;

	plan_of(&plan, SYSCTLD_SYSTEMD, t, 3);
	/* an explicit key beats a later glob; "-key" then cancels it */
	sysctld_winner(&plan, "kernel.shmmni", &w);
	ck_assert(!w.set && w.cancelled);
	ck_assert_str_eq(w.file, "/etc/sysctl.d/30-c.conf");
	expect(&plan, "kernel.shmall", "7", "/etc/sysctl.d/20-b.conf");
	expect(&plan, "kernel.msgmax", "6", "/etc/sysctl.d/20-b.conf");
	expect(&plan, "kernel.msgmni", "5", "/etc/sysctl.d/10-a.conf");
	/* "-key" keeps every glob away */
	expect(&plan, "kernel.msgmnb", NULL, NULL);
	expect(&plan, "kernel.sem", "1 2 3 4", "/etc/sysctl.d/30-c.conf");
	sysctld_plan_release(&plan);
	/* procps: "-key" does not undo an explicit assignment */
	plan_of(&plan, SYSCTLD_PROCPS, t, 3);
	expect(&plan, "kernel.shmmni", "100", "/etc/sysctl.d/10-a.conf");
	expect(&plan, "kernel.msgmnb", NULL, NULL);
	sysctld_plan_release(&plan);
}
END_TEST

/* What the kernel holds after boot, rejected lines included. */
START_TEST(test_next_boot)
{
	static const char *const t[] = { "kernel.msgmni = 100\n",
	    "kernel.msgmni = 99999999\nkernel.shmmni = 5000\n" };
	struct sysctld_plan plan;
	struct sysctld_winner w;
	struct sysctld_kvalue kv;
	char text[400];

	/* systemd-sysctl writes the last line only: the default stays */
	plan_of(&plan, SYSCTLD_SYSTEMD, t, 2);
	ck_assert(sysctld_next_boot(&plan, SC_MSGMNI, IPC_MNI_DEFAULT, &w,
	    &kv, text, sizeof(text)));
	ck_assert(kv.v[0] == 32000);
	ck_assert_ptr_nonnull(strstr(text, "the kernel keeps 32000"));
	ck_assert(!sysctld_next_boot(&plan, SC_SHMMNI, IPC_MNI_DEFAULT, &w,
	    &kv, text, sizeof(text)));
	ck_assert(w.set && kv.v[0] == 5000);
	/* no line: the kernel's default */
	ck_assert(!sysctld_next_boot(&plan, SC_MSGMAX, IPC_MNI_DEFAULT, &w,
	    &kv, text, sizeof(text)));
	ck_assert(!w.set && kv.v[0] == 8192);
	sysctld_plan_release(&plan);
	/* procps writes every line: the earlier 100 stays */
	plan_of(&plan, SYSCTLD_PROCPS, t, 2);
	ck_assert(sysctld_next_boot(&plan, SC_MSGMNI, IPC_MNI_DEFAULT, &w,
	    &kv, text, sizeof(text)));
	ck_assert(kv.v[0] == 100);
	sysctld_plan_release(&plan);
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

	tcase_add_test(tc, test_plan_files);
	tcase_add_test(tc, test_plan_extra);
	tcase_add_test(tc, test_winner_of_texts);
	tcase_add_test(tc, test_next_boot);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_kernel_value);
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
