/*
 * Unit tests for cgpattern.c: the cgroup layouts of the runtimes, the
 * pod, the containers-before-units rule, the path of /proc/PID/cgroup
 * text, and hostile paths.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cgpattern.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

/* PATH matches RUNTIME with id WANT (and POD). */
static void
expect(const char *path, const char *runtime, const char *want,
    const char *pod)
{
	struct cgpattern_match m;

	ck_assert_msg(cgpattern_match(path, &m), "no match: %s", path);
	ck_assert_str_eq(m.pat->runtime, runtime);
	ck_assert_str_eq(m.id, want);
	ck_assert_str_eq(m.pod, pod);
}

START_TEST(test_runtimes)
{
	expect("/libpod_parent/libpod-" ID, "podman", ID, "");
	expect("/libpod_parent/" ID2 "/libpod-" ID, "podman", ID, ID2);
	expect("/machine.slice/libpod-" ID ".scope", "podman", ID, "");
	expect("/docker/" ID, "docker", ID, "");
	expect("/system.slice/docker-" ID ".scope", "docker", ID, "");
	expect("/user.slice/user-1000.slice/user@1000.service/user.slice/"
	    "docker-" ID ".scope", "docker", ID, "");
	expect("/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod1a2b_3c4d.slice/cri-containerd-" ID
	    ".scope", "containerd", ID, "1a2b-3c4d");
	expect("/kubepods-besteffort-pod9_9.slice:cri-containerd:" ID,
	    "containerd", ID, "");
	expect("/kubepods.slice/kubepods-pod77.slice/crio-" ID ".scope",
	    "cri-o", ID, "77");
	expect("/kubepods/burstable/pod1234-5678/" ID, "kubernetes", ID,
	    "1234-5678");
	/* kind/minikube: the innermost container, not the node's */
	expect("/docker/" ID2 "/kubepods.slice/kubepods-podx.slice/"
	    "cri-containerd-" ID ".scope", "containerd", ID, "x");
	expect("/lxc.payload.web1", "lxc", "web1", "");
	expect("/lxc/web2", "lxc", "web2", "");
	expect("/machine.slice/machine-deb12.scope", "nspawn", "deb12", "");
	expect("/system.slice/postgresql@15-main.service", "systemd",
	    "postgresql@15-main", "");
	expect("/user.slice/user-0.slice/session-4.scope", "session", "4", "");
}
END_TEST

START_TEST(test_containers_first)
{
	/* systemd inside a container: the container names it */
	expect("/machine.slice/libpod-" ID ".scope/system.slice/"
	    "cron.service", "podman", ID, "");
	expect("/lxc.payload.c1/system.slice/sshd.service", "lxc", "c1", "");
}
END_TEST

START_TEST(test_no_match)
{
	struct cgpattern_match m;
	static const char *const bad[] = {
		"/", "", "/libpod_parent/conmon", "/libpod_parent/libpod-",
		"/libpod_parent/libpod-" "0123", "/docker/ABCDEF",
		"/docker-" ID "x.scope", "/process_api/f4388f93896b256ef05",
		"/crio-conmon-" ID ".scope", "/.service", "/session-.scope",
		"/libpod-" ID "0", "//", "/lxc", ":cri-containerd:",
		"/kubepods/pod/" "0123",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!cgpattern_match(bad[i], &m), "matched: %s",
		    bad[i]);
		ck_assert_ptr_null(m.pat);
	}
}
END_TEST

START_TEST(test_long)
{
	struct cgpattern_match m;
	size_t n = 100000;
	char *p = malloc(n + 1);

	memset(p, '/', n);
	p[n] = '\0';
	ck_assert(!cgpattern_match(p, &m));
	memset(p, 'a', n);
	memcpy(p + n - 9, ".service", 9);
	ck_assert(cgpattern_match(p, &m));
	ck_assert_uint_eq(strlen(m.id), sizeof(m.id) - 1);
	free(p);
}
END_TEST

START_TEST(test_pick_path)
{
	char out[256];
	const char *v1 = "12:memory:/libpod_parent/libpod-" ID "\n"
	    "1:name=systemd:/x\n0::/\n";
	const char *v2 = "0::/system.slice/a.service\n";
	const char *mixed = "3:cpu:/\n2:pids:/docker/" ID "\n"
	    "0::/docker/" ID "\n";

	ck_assert_int_eq(cgpattern_pick_path(v1, strlen(v1), out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "/libpod_parent/libpod-" ID);
	ck_assert_int_eq(cgpattern_pick_path(v2, strlen(v2), out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "/system.slice/a.service");
	ck_assert_int_eq(cgpattern_pick_path(mixed, strlen(mixed), out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "/docker/" ID);
	/* a v1 line at "/" gives way to a later one with a path */
	ck_assert_int_eq(cgpattern_pick_path("3:cpu:/\n2:pids:/a\n", 18, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "/a");
	ck_assert_int_eq(cgpattern_pick_path("", 0, out, sizeof(out)), -1);
	ck_assert_int_eq(cgpattern_pick_path("junk\n::\n1:x\n", 12, out,
	    sizeof(out)), -1);
	/* no final newline, a NUL inside the buffer */
	ck_assert_int_eq(cgpattern_pick_path("0::/a\0b", 7, out, sizeof(out)),
	    0);
	ck_assert_uint_eq(strlen(out), 2);
	ck_assert_int_eq(cgpattern_pick_path("0::/abcdef", 10, out, 4), 0);
	ck_assert_str_eq(out, "/ab");
}
END_TEST

static Suite *
cgpattern_suite(void)
{
	Suite *s = suite_create("cgpattern");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_runtimes);
	tcase_add_test(tc, test_containers_first);
	tcase_add_test(tc, test_no_match);
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_pick_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cgpattern_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
