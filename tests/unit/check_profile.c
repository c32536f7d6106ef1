/*
 * check_profile.c: unit tests of profile parsing and evaluation: the four
 * sections, kernel.sem fields, --set, includes and their cycles, and the
 * hostile inputs (unknown keys, kernel.core_pattern, path tricks, binary
 * bytes, overlong lines, huge files) with file and line in the errors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"
#include "profstore.h"

static const struct profile_facts facts = {
	.ram_bytes = 16ull << 30, .page_size = 4096, .ncpu = 4,
};

static int
parse(struct profile *p, const char *text, char *err, size_t errlen)
{
	profile_init(p);
	return profile_parse_string(p, text, strlen(text), "t.conf", err,
	    errlen);
}

START_TEST(test_basic)
{
	struct profile p;
	char err[1024];
	const char *t =
	    "# a comment\n"
	    "[main]\n"
	    "summary = Db2 test\n"
	    "source = IBM docs\n"
	    "[variables]\n"
	    "instances = 2   # inline comment\n"
	    "[sysctl]\n"
	    "kernel.shmmni = 256 * ram_gib\n"
	    "kernel.shmall = 2 * ram_bytes / page_size\n"
	    "kernel.sem = 250  max(256000, 256 * ram_gib)  32  256 * ram_gib\n"
	    "[demand]\n"
	    "shm_segments = 4 * instances\n";

	ck_assert_msg(parse(&p, t, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(p.summary, "Db2 test");
	ck_assert_msg(profile_evaluate(&p, &facts, NULL, 0, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(p.sysctl[SC_SHMMNI].value[0], 4096);
	ck_assert_uint_eq(p.sysctl[SC_SHMALL].value[0], 8388608);
	ck_assert_int_eq(p.sysctl[SC_SEM].nfields, 4);
	ck_assert_uint_eq(p.sysctl[SC_SEM].value[0], 250);
	ck_assert_uint_eq(p.sysctl[SC_SEM].value[1], 256000);
	ck_assert_uint_eq(p.sysctl[SC_SEM].value[2], 32);
	ck_assert_uint_eq(p.sysctl[SC_SEM].value[3], 4096);
	ck_assert_str_eq(p.sysctl[SC_SEM].subst[3], "256 * 16");
	ck_assert(p.demand[D_SHM_SEGMENTS].present);
	ck_assert_uint_eq(p.demand[D_SHM_SEGMENTS].value, 8);
	ck_assert(!p.sysctl[SC_MSGMNI].present);
	profile_release(&p);
}
END_TEST

/* [posix] dev_shm_size: the SAP rule over RAM and swap; errors */
START_TEST(test_posix_dev_shm)
{
	struct profile p;
	struct profile_facts f = facts;
	char err[1024];

	ck_assert_msg(parse(&p, "[posix]\ndev_shm_size = (ram_bytes + "
	    "swap_bytes) * 75 / 100\n", err, sizeof(err)) == 0, "%s", err);
	ck_assert(p.dev_shm.present);
	/* no swap fact: an unknown name */
	ck_assert_int_eq(profile_evaluate(&p, &f, NULL, 0, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "dev_shm_size"));
	f.has_swap = true;
	f.swap_bytes = 0;
	ck_assert_msg(profile_evaluate(&p, &f, NULL, 0, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(p.dev_shm.value, 12884901888ull);
	f.swap_bytes = 16ull << 30;
	profile_evaluate(&p, &f, NULL, 0, err, sizeof(err));
	ck_assert_uint_eq(p.dev_shm.value, 25769803776ull);
	ck_assert_str_eq(p.dev_shm.subst,
	    "(17179869184 + 17179869184) * 75 / 100");
	profile_release(&p);
	ck_assert_int_eq(parse(&p, "[posix]\nshm = 1\n", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown key 'shm' in [posix]"));
	profile_release(&p);
	ck_assert_int_eq(parse(&p, "[posix]\ndev_shm_size = 1\n"
	    "dev_shm_size = 2\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "set twice"));
	profile_release(&p);
	ck_assert_int_eq(parse(&p, "[posix]\ndev_shm_size =\n", err,
	    sizeof(err)), -1);
	profile_release(&p);
}
END_TEST

START_TEST(test_set)
{
	struct profile p;
	char err[1024];
	struct profile_set sets[] = {
		{ "max_connections", "500", false },
		{ "nosuch", "1", false },
	};

	ck_assert(parse(&p, "[variables]\nmax_connections = 100\n"
	    "[sysctl]\nkernel.msgmni = max_connections + 7\n", err,
	    sizeof(err)) == 0);
	ck_assert(profile_evaluate(&p, &facts, sets, 2, err,
	    sizeof(err)) == 0);
	ck_assert_uint_eq(p.sysctl[SC_MSGMNI].value[0], 507);
	ck_assert(sets[0].used);
	ck_assert(!sets[1].used);
	sets[0].expr = "1 / 0";
	ck_assert_int_eq(profile_evaluate(&p, &facts, sets, 1, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "--set max_connections"));
	profile_release(&p);
}
END_TEST

static void
expect_error(const char *text, const char *want)
{
	struct profile p;
	char err[1024] = "";
	int r;

	r = parse(&p, text, err, sizeof(err));
	if (r == 0)
		r = profile_evaluate(&p, &facts, NULL, 0, err, sizeof(err));
	ck_assert_msg(r == -1, "accepted: %s", text);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err,
	    want);
	profile_release(&p);
}

START_TEST(test_hostile)
{
	expect_error("[sysctl]\nkernel.core_pattern = |/bin/sh\n",
	    "t.conf:2: 'kernel.core_pattern' is not an IPC sysctl");
	expect_error("[sysctl]\nkernel/shmmax = 1\n", "t.conf:2: "
	    "'kernel/shmmax' is not a valid sysctl name");
	expect_error("[sysctl]\nkernel..shmmax = 1\n", "not a valid sysctl");
	expect_error("[sysctl]\nkernel.shm_next_id = 1\n",
	    "'kernel.shm_next_id' is not an IPC limit");
	expect_error("[sysctl]\nvm.swappiness = 1\n", "not an IPC sysctl");
	expect_error("\n\n[sysctl]\nkernel.shmmni = 18446744073709551615 + 1"
	    "\n", "t.conf:4:38: 'kernel.shmmni': addition overflows");
	expect_error("[sysctl]\nkernel.sem = 1 2 3 4 / 0\n",
	    "t.conf:2:22: 'kernel.sem' field 4 (semmni): division by zero");
	expect_error("[sysctl]\nkernel.sem = 1 2 3\n", "needs 4 values");
	expect_error("[sysctl]\nkernel.sem = 1 2 3 4 5\n", "column 22");
	expect_error("[sysctl]\nkernel.msgmni = nosuch * 2\n",
	    "t.conf:2:17: 'kernel.msgmni': unknown name 'nosuch'");
	expect_error("[sysctl]\nkernel.msgmni = 1\nkernel.msgmni = 2\n",
	    "t.conf:3: 'kernel.msgmni' is set twice (first at line 2)");
	expect_error("[bogus]\na = 1\n", "t.conf:2: unknown section");
	expect_error("a = 1\n", "outside a section");
	expect_error("[main]\nfoo = 1\n", "unknown key 'foo'");
	expect_error("[demand]\nfoo = 1\n", "unknown key 'foo' in [demand]");
	expect_error("[main]\nsummary = x\n[sysctl\n", "t.conf:3: syntax");
	expect_error("[main]\nsummary = a\001b\n",
	    "t.conf:2: control character 0x01");
	expect_error("[variables]\nram_gib = 2\n", "hide the fact");
	expect_error("[main]\ninclude = ../etc/passwd\n", "not a profile");
}
END_TEST

START_TEST(test_binary_and_long)
{
	struct profile p;
	char err[1024], line[4096];
	char bin[] = "[main]\nsummary = x\n\x7f" "ELF\0\0\0garbage";
	char *huge;

	profile_init(&p);
	ck_assert_int_eq(profile_parse_string(&p, bin, sizeof(bin) - 1,
	    "b.conf", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "b.conf:3: NUL byte") != NULL, "%s", err);
	profile_release(&p);
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "[main]\nsummary = ", 17);
	ck_assert_int_eq(parse(&p, line, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "t.conf:2: line too long") != NULL, "%s",
	    err);
	profile_release(&p);
	huge = malloc(PROFILE_MAX_BYTES + 2);
	memset(huge, '#', PROFILE_MAX_BYTES + 1);
	huge[PROFILE_MAX_BYTES + 1] = '\0';
	ck_assert_int_eq(parse(&p, huge, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "file too large") != NULL, "%s", err);
	profile_release(&p);
	free(huge);
}
END_TEST

/*
 * The limit the error names is the longest line accepted: a summary line
 * of exactly that many characters parses, one more is refused.
 */
START_TEST(test_line_limit_named)
{
	struct profile p;
	char err[1024], text[512];
	const char *at;
	int lim;
	size_t head;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "[main]\nsummary = ", 17);
	ck_assert_int_eq(parse(&p, text, err, sizeof(err)), -1);
	profile_release(&p);
	at = strstr(err, "the limit is ");
	ck_assert_msg(at != NULL, "%s", err);
	lim = atoi(at + strlen("the limit is "));
	ck_assert_int_gt(lim, 20);
	head = strlen("[main]\n");
	ck_assert_uint_lt(head + (size_t)lim + 2, sizeof(text));
	text[head + (size_t)lim] = '\n';
	text[head + (size_t)lim + 1] = '\0';
	ck_assert_msg(parse(&p, text, err, sizeof(err)) == 0,
	    "a line of %d characters: %s", lim, err);
	profile_release(&p);
	text[head + (size_t)lim] = 'x';
	text[head + (size_t)lim + 1] = '\n';
	text[head + (size_t)lim + 2] = '\0';
	ck_assert_int_eq(parse(&p, text, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line too long") != NULL, "%s", err);
	profile_release(&p);
}
END_TEST

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(test_include_and_path)
{
	char d1[] = "/tmp/ipctune-prof1.XXXXXX", d2[] =
	    "/tmp/ipctune-prof2.XXXXXX", err[1024];
	const char *dirs[2];
	struct profile_search s = { dirs, 2, false };
	struct profile p;
	struct profile_entry *e;
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(d1));
	ck_assert_ptr_nonnull(mkdtemp(d2));
	dirs[0] = d1;
	dirs[1] = d2;
	write_file(d1, "base.conf", "[main]\nsummary = base\n[variables]\n"
	    "n = 1\n[sysctl]\nkernel.shmmni = 100 * n\nkernel.msgmni = 5\n");
	write_file(d1, "child.conf", "[main]\nsummary = from d1\n");
	write_file(d2, "child.conf", "[main]\nsummary = child\ninclude = base"
	    "\n[variables]\nn = 3\n[sysctl]\nkernel.msgmni = 7\n");
	write_file(d2, "a.conf", "[main]\ninclude = b\n");
	write_file(d2, "b.conf", "[main]\ninclude = c\n");
	write_file(d2, "c.conf", "[main]\ninclude = a\n");
	profile_init(&p);
	ck_assert_msg(profstore_load("child", &s, &p, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_str_eq(p.summary, "child");
	ck_assert(profile_evaluate(&p, &facts, NULL, 0, err, sizeof(err)) ==
	    0);
	ck_assert_uint_eq(p.sysctl[SC_SHMMNI].value[0], 300);
	ck_assert_uint_eq(p.sysctl[SC_MSGMNI].value[0], 7);
	ck_assert_int_eq((int)p.nfiles, 2);
	profile_release(&p);
	ck_assert_int_eq(profstore_load("a", &s, &p, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "include cycle: a -> b -> c -> a") != NULL,
	    "%s", err);
	ck_assert_msg(strstr(err, "c.conf:2") != NULL, "%s", err);
	profile_release(&p);
	ck_assert_int_eq(profstore_load("nosuch", &s, &p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no profile 'nosuch'"));
	profile_release(&p);
	ck_assert_int_eq(profstore_list(&s, &e, &n, err, sizeof(err)), 0);
	ck_assert_int_eq((int)n, 5);
	ck_assert_str_eq(e[0].name, "a");
	ck_assert_ptr_nonnull(e[0].error);
	ck_assert_str_eq(e[4].name, "child");
	ck_assert_str_eq(e[4].summary, "child");
	profstore_list_free(e, n);
	/* StrictModes: a group-writable file is refused */
	s.strict_modes = true;
	chmod(d2, 0755);
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/child.conf", d2);
		chmod(path, 0664);
		ck_assert_int_eq(profstore_load("child", &s, &p, err,
		    sizeof(err)), -1);
		ck_assert_msg(strstr(err, "refusing") != NULL, "%s", err);
		profile_release(&p);
	}
}
END_TEST

START_TEST(test_check_key)
{
	enum sysctl_id id;
	char err[256];

	ck_assert_int_eq(profile_check_key("kernel.sem", &id, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(id, SC_SEM);
	ck_assert_int_eq(profile_check_key("fs.mqueue.msg_max", &id, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(profile_check_key("kernel.core_pattern", &id, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(profile_check_key("", &id, err, sizeof(err)), -1);
	ck_assert_uint_eq(profile_ram_gib(15ull << 29), 8);
	ck_assert_uint_eq(profile_ram_gib(1000), 1);
}
END_TEST

/* Random files never crash the parser, and every error names the file. */
START_TEST(test_random_files)
{
	static const char *const parts[] = {
		"[main]\n", "[sysctl]\n", "[variables]\n", "[demand]\n",
		"summary = x\n", "include = a\n", "kernel.sem = 1 2 3 4\n",
		"kernel.shmmni = 2 * n\n", "n = 3\n", "shm_bytes = 1G\n",
		"# c\n", "; c\n", "\n", "= =\n", "[\n", "x\n", "\xff\xfe",
		"\x01", "kernel.msgmax = ((1)\n", "  cont\n",
	};
	struct profile_facts f = { .ram_bytes = 1ull << 30,
	    .page_size = 4096, .ncpu = 1 };
	char text[2048], err[1024];
	unsigned seed = 4242;

	for (int i = 0; i < 3000; i++) {
		struct profile p;
		size_t n = 0;
		int parts_n = rand_r(&seed) % 12;

		for (int k = 0; k < parts_n; k++) {
			const char *s = parts[rand_r(&seed) %
			    (sizeof(parts) / sizeof(parts[0]))];

			memcpy(text + n, s, strlen(s));
			n += strlen(s);
		}
		text[n] = '\0';
		profile_init(&p);
		if (profile_parse_string(&p, text, n, "r.conf", err,
		    sizeof(err)) < 0 ||
		    profile_evaluate(&p, &f, NULL, 0, err, sizeof(err)) < 0)
			ck_assert_msg(strncmp(err, "r.conf:", 7) == 0,
			    "error without file: %s", err);
		profile_release(&p);
	}
}
END_TEST

static Suite *
profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_posix_dev_shm);
	tcase_add_test(tc, test_set);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_binary_and_long);
	tcase_add_test(tc, test_line_limit_named);
	tcase_add_test(tc, test_include_and_path);
	tcase_add_test(tc, test_check_key);
	tcase_add_test(tc, test_random_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(profile_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
