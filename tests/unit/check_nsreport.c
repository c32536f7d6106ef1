/*
 * Unit tests for nsreport.c: the owner of a namespace from its cgroup
 * paths, the tightest resource, the limits that differ from the host's,
 * the order of the rows, and the --container lookup (id, prefix, name,
 * ambiguous, unknown).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "nsreport.h"
#include "procparse.h"
#include "xmalloc.h"

#define IDA "aaaa456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define IDB "aaab456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define IDP "bbbb456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD "cccc456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
set(struct kstate *ks, enum sysctl_id id, const char *text)
{
	char err[256];

	ck_assert_int_eq(procparse_sysctl(id, text, &ks->sysctl[id], err,
	    sizeof(err)), 0);
}

/* A namespace INO with PID, read with the default limits. */
static void
ns_init(struct nsinfo *ns, uint64_t ino, pid_t pid)
{
	struct kstate *ks = &ns->ks;

	memset(ns, 0, sizeof(*ns));
	ns->ino = ino;
	ns->pid = pid;
	ns->npids = 1;
	ns->state = NSI_READ;
	kstate_init(ks);
	ks->host.page_size = 4096;
	set(ks, SC_SHMMAX, "18446744073692774399");
	set(ks, SC_SHMALL, "18446744073692774399");
	set(ks, SC_SHMMNI, "4096");
	set(ks, SC_SEM, "32000\t1024000000\t500\t32000");
	set(ks, SC_MSGMAX, "8192");
	set(ks, SC_MSGMNB, "16384");
	set(ks, SC_MSGMNI, "32000");
	set(ks, SC_MQ_QUEUES_MAX, "256");
	ks->has_usage = true;
}

static void
cg(struct nsinfo *ns, const char *path)
{
	ns->cgroups[ns->ncgroups++] = xstrdup(path);
}

/*
 * The host (idle), container a (msgmax 16384, 10 of 32000 queues),
 * container b in a namespace of its own (shmmni 4 of 8), a pod of two
 * members, a gone namespace and one under a systemd unit.
 */
static struct nsinfo *
fixture(size_t *np)
{
	struct nsinfo *v = xcalloc(6, sizeof(*v));

	ns_init(&v[0], 4026531839u, 1);
	cg(&v[0], "/init.scope");
	ns_init(&v[1], 100, 50);
	cg(&v[1], "/libpod_parent/libpod-" IDA);
	set(&v[1].ks, SC_MSGMAX, "16384");
	v[1].ks.usage.msg_queues = 10;
	ns_init(&v[2], 101, 60);
	cg(&v[2], "/docker/" IDB);
	set(&v[2].ks, SC_SHMMNI, "8");
	v[2].ks.usage.shm_segments = 4;
	ns_init(&v[3], 102, 70);
	cg(&v[3], "/libpod_parent/" POD "/libpod-" IDP);
	cg(&v[3], "/libpod_parent/" POD "/libpod-" IDA "x");
	ns_init(&v[4], 103, 80);
	v[4].state = NSI_GONE;
	ns_init(&v[5], 104, 90);
	cg(&v[5], "/system.slice/web.service");
	*np = 6;
	return v;
}

static void
fixture_free(struct nsinfo *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		nsinfo_release(&v[i]);
	free(v);
}

START_TEST(test_rows)
{
	struct nsinfo_name names[] = { { IDA, "web" } };
	struct nsreport r;
	size_t n;
	struct nsinfo *v = fixture(&n);
	char buf[300];

	nsreport_build(v, n, 4026531839u, names, 1, &r);
	ck_assert_uint_eq(r.nrows, 6);
	/* shmmni 4 of 8 first, then msgmni 10 of 32000 */
	ck_assert_uint_eq(r.rows[0].ns->ino, 101);
	ck_assert_int_eq(r.rows[0].tightest, R_SHMMNI);
	ck_assert(r.rows[0].ratio == 0.5);
	ck_assert_str_eq(r.rows[0].who.pat->runtime, "docker");
	ck_assert_str_eq(nsreport_who(&r.rows[0], buf, sizeof(buf)),
	    "docker:aaab456789ab");
	ck_assert_str_eq(r.rows[0].differing, "kernel.shmmni");
	ck_assert_uint_eq(r.rows[1].ns->ino, 100);
	ck_assert_int_eq(r.rows[1].tightest, R_MSGMNI);
	ck_assert_int_eq(r.rows[1].differs, 1);
	ck_assert_str_eq(r.rows[1].differing, "kernel.msgmax");
	ck_assert_str_eq(nsreport_who(&r.rows[1], buf, sizeof(buf)),
	    "podman:web");
	ck_assert(!r.rows[1].idle);
	/* the idle ones: the host first, then by inode; gone last */
	ck_assert(r.rows[2].host);
	ck_assert_int_eq(r.rows[2].differs, 0);
	ck_assert(r.rows[2].idle);
	ck_assert_str_eq(nsreport_who(&r.rows[2], buf, sizeof(buf)), "host");
	ck_assert_uint_eq(r.rows[3].ns->ino, 102);
	ck_assert_uint_eq(r.rows[3].ncontainers, 1);
	ck_assert_str_eq(r.rows[3].who.pod, POD);
	ck_assert_uint_eq(r.rows[4].ns->ino, 104);
	ck_assert(!r.rows[4].who.pat->container);
	ck_assert_str_eq(nsreport_who(&r.rows[4], buf, sizeof(buf)),
	    "systemd:web.service");
	ck_assert_str_eq(nsreport_who(&r.rows[3], buf, sizeof(buf)),
	    "podman:bbbb456789ab");
	ck_assert_uint_eq(r.rows[5].ns->ino, 103);
	ck_assert_int_eq(r.rows[5].differs, -1);
	ck_assert_int_eq(r.rows[5].tightest, -1);
	nsreport_release(&r);
	fixture_free(v, n);
}
END_TEST

START_TEST(test_no_host)
{
	struct nsreport r;
	size_t n;
	struct nsinfo *v = fixture(&n);

	/* the host's namespace was not read: nothing "differs" */
	v[0].state = NSI_DENIED;
	nsreport_build(v, n, 4026531839u, NULL, 0, &r);
	for (size_t i = 0; i < r.nrows; i++)
		ck_assert_int_eq(r.rows[i].differs, -1);
	nsreport_release(&r);
	fixture_free(v, n);
}
END_TEST

START_TEST(test_find)
{
	struct nsinfo_name names[] = { { IDA, "web" } };
	struct nsreport r;
	size_t n, hit[4];
	struct nsinfo *v = fixture(&n);

	nsreport_build(v, n, 4026531839u, names, 1, &r);
	ck_assert_uint_eq(nsreport_find(&r, IDA, hit, 4), 1);
	ck_assert_uint_eq(r.rows[hit[0]].ns->ino, 100);
	ck_assert_uint_eq(nsreport_find(&r, "aaaa45", hit, 4), 1);
	ck_assert_uint_eq(r.rows[hit[0]].ns->ino, 100);
	/* a prefix of both a's and b's ids */
	ck_assert_uint_eq(nsreport_find(&r, "aaa", hit, 4), 2);
	/* too short to be a prefix */
	ck_assert_uint_eq(nsreport_find(&r, "aa", hit, 4), 0);
	ck_assert_uint_eq(nsreport_find(&r, "web", hit, 4), 1);
	/* a pod member selects the pod's namespace */
	ck_assert_uint_eq(nsreport_find(&r, "bbbb", hit, 4), 1);
	ck_assert_uint_eq(r.rows[hit[0]].ns->ino, 102);
	/* units are not containers */
	ck_assert_uint_eq(nsreport_find(&r, "web.service", hit, 4), 0);
	ck_assert_uint_eq(nsreport_find(&r, "", hit, 4), 0);
	ck_assert_uint_eq(nsreport_find(&r, "zzz", hit, 4), 0);
	/* more matches than room: counted, not written past MAX */
	ck_assert_uint_eq(nsreport_find(&r, "aaa", hit, 1), 2);
	nsreport_release(&r);
	fixture_free(v, n);
}
END_TEST

static Suite *
nsreport_suite(void)
{
	Suite *s = suite_create("nsreport");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_no_host);
	tcase_add_test(tc, test_find);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(nsreport_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
