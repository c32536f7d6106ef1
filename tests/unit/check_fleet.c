/*
 * check_fleet.c: unit tests of fleet.c over a directory tree made in a
 * temporary directory and over the fixture fleet: *.json files depth
 * first in name order, each file once through hard and symbolic links,
 * links to directories not followed, nesting cut off, and loading with
 * the orphan verdicts or a structured error.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet.h"

#define FL "tests/fixtures/fleet"

static char tmp[64];

/* TMP/NAME into BUF. */
static const char *
at(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", tmp, name);
	return buf;
}

static void
put(const char *name, const char *text)
{
	char path[256];
	int fd;

	fd = open(at(name, path, sizeof(path)), O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq((int)write(fd, text, strlen(text)),
	    (int)strlen(text));
	close(fd);
}

static void
dir(const char *name)
{
	char path[256];

	ck_assert_int_eq(mkdir(at(name, path, sizeof(path)), 0700), 0);
}

static void
link_to(const char *target, const char *name)
{
	char path[256];

	ck_assert_int_eq(symlink(target, at(name, path, sizeof(path))), 0);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/check_fleet.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void
teardown(void)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
expect_paths(const struct fleet *f, const char *const *want)
{
	char path[256];
	size_t n = 0;

	for (; want[n] != NULL; n++) {
		ck_assert_msg(n < f->npaths, "missing %s", want[n]);
		ck_assert_str_eq(f->paths[n], at(want[n], path,
		    sizeof(path)));
	}
	ck_assert_int_eq((int)f->npaths, (int)n);
}

/* depth first in name order; only *.json, no dot files */
START_TEST(test_walk_order)
{
	static const char *const want[] = { "a/x.json", "a/y.json",
	    "b.json", "c/d/z.json", NULL };
	struct fleet f;

	dir("a");
	dir("c");
	dir("c/d");
	put("b.json", "{}");
	put("a/y.json", "{}");
	put("a/x.json", "{}");
	put("a/notes.txt", "");
	put("a/.hidden.json", "{}");
	put("c/d/z.json", "{}");
	put("c/.json", "{}");
	fleet_init(&f);
	fleet_add(&f, tmp);
	expect_paths(&f, want);
	ck_assert_int_eq((int)f.nskips, 0);
	fleet_release(&f);
}
END_TEST

/* a file counts once; links to directories are not followed */
START_TEST(test_walk_links)
{
	static const char *const want[] = { "d/web1/again.json", NULL };
	char path[256];
	struct fleet f;

	dir("d");
	dir("d/web1");
	put("d/web1/web1.json", "{}");
	ck_assert_int_eq(link(at("d/web1/web1.json", path, sizeof(path)),
	    at("d/web1/again.json", path + 128, 128)), 0);
	link_to("web1.json", "d/web1/link.json");
	link_to("..", "d/web1/up");
	link_to("d", "latest");
	link_to("missing", "d/dangling.json");
	fleet_init(&f);
	fleet_add(&f, tmp);
	/* the hard link sorts first; the other names are the same file */
	expect_paths(&f, want);
	/* named again as operands, directly or through a link */
	fleet_add(&f, at("d/web1/web1.json", path, sizeof(path)));
	fleet_add(&f, at("latest", path, sizeof(path)));
	ck_assert_int_eq((int)f.npaths, 1);
	/* standard input and a missing file are kept for the loader */
	fleet_add(&f, "-");
	fleet_add(&f, at("missing.json", path, sizeof(path)));
	ck_assert_int_eq((int)f.npaths, 3);
	ck_assert_str_eq(f.paths[1], "-");
	fleet_release(&f);
}
END_TEST

/* directories nested too deep are skipped with the reason */
START_TEST(test_walk_depth)
{
	char name[256] = "n";
	struct fleet f;

	dir(name);
	for (int i = 0; i < 17; i++) {
		strcat(name, "/n");
		dir(name);
	}
	strcat(name, "/deep.json");
	put(name, "{}");
	put("n/shallow.json", "{}");
	fleet_init(&f);
	fleet_add(&f, tmp);
	ck_assert_int_eq((int)f.npaths, 1);
	ck_assert_int_eq((int)f.nskips, 1);
	ck_assert_str_eq(f.skips[0].reason, "directories nested too deep");
	fleet_release(&f);
}
END_TEST

/* loading: the verdicts a snapshot carries, or none */
START_TEST(test_load_extra)
{
	struct snapshot_extra x;
	struct snapshot_error e;
	struct kstate ks;
	struct fleet f;

	fleet_init(&f);
	fleet_add(&f, FL "/dc1/db01.json");
	fleet_add(&f, FL "/dc1/web/web01.json");
	ck_assert_int_eq(fleet_load(&f, 0, &ks, &x, &e), 0);
	ck_assert_str_eq(ks.host.hostname, "db01");
	ck_assert(x.has_orphans);
	ck_assert(x.orphans[0] == 2 && x.orphans[1] == 0 &&
	    x.orphans[2] == 3);
	kstate_release(&ks);
	/* written before POSIX verdicts existed */
	ck_assert(!x.has_posix_orphans);
	ck_assert_int_eq(fleet_load(&f, 1, &ks, &x, &e), 0);
	ck_assert(!x.has_orphans);
	ck_assert(!x.has_posix_orphans);
	kstate_release(&ks);
	fleet_release(&f);
}
END_TEST

/* FL/NAME with the text OLD replaced by NEW, as TMP/OUT */
static void
put_edited(const char *name, const char *old, const char *new,
    const char *out)
{
	char path[256], *text, *at_old, *edited;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", FL, name);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	text = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq((int)fread(text, 1, (size_t)n, fp), (int)n);
	fclose(fp);
	at_old = strstr(text, old);
	ck_assert_ptr_nonnull(at_old);
	edited = calloc(1, (size_t)n + strlen(new) + 1);
	ck_assert_ptr_nonnull(edited);
	memcpy(edited, text, (size_t)(at_old - text));
	strcat(edited, new);
	strcat(edited, at_old + strlen(old));
	put(out, edited);
	free(text);
	free(edited);
}

/* loading: the POSIX verdicts, all or nothing */
START_TEST(test_load_posix_extra)
{
	static const char *const bad[] = {
		"\"pshm\": 2, \"psem\": 1, \"suspect\": {\"pshm\": 3, "
		    "\"psem\": 0, \"pmq\": 4}, \"pshm_bytes\": 8192,",
		"\"pshm\": 2, \"psem\": 1, \"pmq\": -1, \"suspect\": "
		    "{\"pshm\": 3, \"psem\": 0, \"pmq\": 4}, "
		    "\"pshm_bytes\": 8192,",
		"\"pshm\": 2, \"psem\": 1, \"pmq\": 0, \"suspect\": [], "
		    "\"pshm_bytes\": 8192,",
		"\"pshm\": 2, \"psem\": 1, \"pmq\": 0, \"suspect\": "
		    "{\"pshm\": 3, \"psem\": 0, \"pmq\": 4},",
	};
	struct snapshot_extra x;
	struct snapshot_error e;
	struct kstate ks;
	char path[256], name[32];

	put_edited("dc1/db01.json", "\"orphans\": {", "\"orphans\": {"
	    "\"pshm\": 2, \"psem\": 1, \"pmq\": 0, \"suspect\": {"
	    "\"pshm\": 3, \"psem\": 0, \"pmq\": 4}, \"pshm_bytes\": 8192,",
	    "posix.json");
	kstate_init(&ks);
	ck_assert_int_eq(snapshot_read(at("posix.json", path, sizeof(path)),
	    &ks, &x, &e), 0);
	ck_assert(x.has_orphans && x.has_posix_orphans);
	ck_assert(x.orphans[IPC_SHM] == 2 && x.orphans[IPC_MSG] == 3);
	ck_assert(x.orphans[IPC_PSHM] == 2 && x.orphans[IPC_PSEM] == 1 &&
	    x.orphans[IPC_PMQ] == 0);
	ck_assert(x.suspect[IPC_PSHM] == 3 && x.suspect[IPC_PMQ] == 4);
	ck_assert(x.orphan_pshm_bytes == 8192);
	kstate_release(&ks);
	/* a member missing or of the wrong shape: no POSIX verdicts */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *with = malloc(strlen(bad[i]) + 16);

		ck_assert_ptr_nonnull(with);
		snprintf(name, sizeof(name), "bad%zu.json", i);
		sprintf(with, "\"orphans\": {%s", bad[i]);
		put_edited("dc1/db01.json", "\"orphans\": {", with, name);
		free(with);
		kstate_init(&ks);
		ck_assert_int_eq(snapshot_read(at(name, path, sizeof(path)),
		    &ks, &x, &e), 0);
		ck_assert(x.has_orphans);
		ck_assert_msg(!x.has_posix_orphans, "took %s", bad[i]);
		kstate_release(&ks);
	}
}
END_TEST

/* loading: each kind of failure as data, without the file name */
START_TEST(test_load_errors)
{
	static const struct {
		const char *file;
		enum snapshot_errkind kind;
		const char *detail;
	} c[] = {
		{ FL "/missing.json", SNAPSHOT_EREAD, "" },
		{ FL "/dc2/future.json", SNAPSHOT_EMALFORMED,
		    "unsupported schema_version 2" },
		{ FL "/dc2/status.json", SNAPSHOT_EMALFORMED,
		    "document: not an ipctune snapshot" },
		{ FL "/dc2/truncated.json", SNAPSHOT_EMALFORMED, "line 15, " },
	};
	struct snapshot_extra x;
	struct snapshot_error e;
	struct kstate ks;
	struct fleet f;

	fleet_init(&f);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		fleet_add(&f, c[i].file);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ck_assert_int_eq(fleet_load(&f, i, &ks, &x, &e), -1);
		ck_assert_int_eq(e.kind, c[i].kind);
		ck_assert_msg(strncmp(e.detail, c[i].detail,
		    strlen(c[i].detail)) == 0, "%s", e.detail);
		ck_assert_ptr_null(strstr(e.detail, c[i].file));
	}
	fleet_release(&f);
}
END_TEST

/* What fleet_each() handed over, in the order it did. */
struct seen {
	size_t n;
	size_t order[256];
	int rc[256];
	char host[256][256];
	char detail[256][640];
};

static void
record(void *ctx, size_t i, int rc, struct kstate *ks,
    const struct snapshot_extra *x, const struct snapshot_error *e)
{
	struct seen *s = ctx;

	(void)x;
	ck_assert_uint_lt(s->n, 256);
	s->order[s->n] = i;
	s->rc[s->n] = rc;
	snprintf(s->host[s->n], sizeof(s->host[0]), "%s", rc == 0 ?
	    ks->host.hostname : "");
	snprintf(s->detail[s->n], sizeof(s->detail[0]), "%s", rc < 0 ?
	    e->detail : "");
	if (rc == 0)
		kstate_release(ks);
	s->n++;
}

/*
 * issue 18: parsing ahead on threads hands every snapshot over in the
 * fleet's order, with the same results as one thread, also with more
 * snapshots than are parsed ahead and more threads than snapshots.
 */
START_TEST(test_18_each_in_order)
{
	static const char *const files[] = { FL "/dc1/db01.json",
	    FL "/dc2/truncated.json", FL "/dc1/web/web01.json",
	    FL "/missing.json", FL "/dc2/future.json" };
	static struct seen one, many;
	static const unsigned threads[] = { 2, 3, 8, 64 };
	struct fleet f;

	fleet_init(&f);
	for (size_t k = 0; k < 150; k++)
		fleet_add(&f, files[k % 5]);
	/* fleet_add counts a file once: list the repeats by hand */
	for (size_t k = f.npaths; k < 150; k++) {
		if (f.npaths == f.cappaths) {
			f.cappaths = f.cappaths ? f.cappaths * 2 : 16;
			f.paths = realloc(f.paths, f.cappaths *
			    sizeof(*f.paths));
		}
		f.paths[f.npaths++] = strdup(files[k % 5]);
	}
	memset(&one, 0, sizeof(one));
	fleet_each(&f, 1, record, &one);
	ck_assert_uint_eq(one.n, 150);
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		memset(&many, 0, sizeof(many));
		fleet_each(&f, threads[t], record, &many);
		ck_assert_uint_eq(many.n, 150);
		for (size_t k = 0; k < 150; k++) {
			ck_assert_uint_eq(many.order[k], k);
			ck_assert_int_eq(many.rc[k], one.rc[k]);
			ck_assert_str_eq(many.host[k], one.host[k]);
			ck_assert_str_eq(many.detail[k], one.detail[k]);
		}
	}
	ck_assert_str_eq(one.host[0], "db01");
	ck_assert_int_eq(one.rc[1], -1);
	ck_assert_str_eq(one.host[2], "web01");
	ck_assert_uint_ge(fleet_threads(), 1);
	fleet_release(&f);
}
END_TEST

static Suite *
fleet_suite(void)
{
	Suite *s = suite_create("fleet");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_walk_order);
	tcase_add_test(tc, test_walk_links);
	tcase_add_test(tc, test_walk_depth);
	tcase_add_test(tc, test_load_extra);
	tcase_add_test(tc, test_load_posix_extra);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_18_each_in_order);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fleet_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
