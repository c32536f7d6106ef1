/*
 * check_platform.c: unit tests of the container platform forms: the
 * words of --for, the /dev/shm size rule, which recommended values are
 * given (none at the kernel's default), the Kubernetes allowance of the
 * unsafe keys only, the quoting of kernel.sem for the shell, and the
 * "is this a container's namespace" test.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

#define MIB ((uint64_t)1 << 20)

START_TEST(test_parse)
{
	enum platform_form f;

	for (int i = 0; i < PF_COUNT; i++) {
		ck_assert_int_eq(platform_parse(platform_names[i], &f), 0);
		ck_assert_int_eq(f, i);
	}
	ck_assert_int_eq(platform_parse("Docker", &f), -1);
	ck_assert_int_eq(platform_parse("", &f), -1);
	ck_assert_int_eq(platform_parse("sysctl.d", &f), -1);
}
END_TEST

START_TEST(test_shm_bytes)
{
	/* at least docker's 64 MiB */
	ck_assert_uint_eq(platform_shm_bytes(0, 0, false), 64 * MIB);
	ck_assert_uint_eq(platform_shm_bytes(10 * MIB, 0, false), 64 * MIB);
	/* a quarter more than the use, rounded up to MiB */
	ck_assert_uint_eq(platform_shm_bytes(90 * MIB, 0, false), 113 * MIB);
	ck_assert_uint_eq(platform_shm_bytes(80 * MIB, 0, false), 100 * MIB);
	/* a container keeps a larger /dev/shm, the host's is not copied */
	ck_assert_uint_eq(platform_shm_bytes(10 * MIB, 1000 * MIB, true),
	    1000 * MIB);
	ck_assert_uint_eq(platform_shm_bytes(10 * MIB, 1000 * MIB, false),
	    64 * MIB);
	ck_assert_uint_eq(platform_shm_bytes(10 * MIB, 100 * MIB + 1, true),
	    101 * MIB);
	/* no wrap at the top */
	ck_assert_uint_eq(platform_shm_bytes(UINT64_MAX - 1, 7, true), 7);
	ck_assert_uint_eq(platform_shm_bytes(UINT64_MAX / 2, 0, false) %
	    MIB, 0);
}
END_TEST

/* A recommendation setting ID to V (all fields for kernel.sem). */
static void
rec_set(struct recommendation *r, enum sysctl_id id, const uint64_t *v)
{
	struct rec_item *it = &r->item[id];

	it->present = true;
	it->nfields = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
	for (int k = 0; k < it->nfields; k++)
		it->f[k].recommended = v[k];
}

START_TEST(test_from_rec_and_render)
{
	static const uint64_t shmmni[] = { 8192 }, rmid[] = { 1 };
	static const uint64_t sem[] = { 250, 64000, 100, 256 };
	static const uint64_t def_msgmni[] = { 32000 };
	struct recommendation r;
	struct platform_input in;
	char *t;

	memset(&r, 0, sizeof(r));
	rec_set(&r, SC_SHMMNI, shmmni);
	rec_set(&r, SC_SEM, sem);
	rec_set(&r, SC_SHM_RMID_FORCED, rmid);
	rec_set(&r, SC_MSGMNI, def_msgmni);	/* the kernel's default */
	platform_from_rec(&r, &in);
	ck_assert_uint_eq(in.n, 3);
	ck_assert(!in.has_shm);
	t = platform_render(PF_DOCKER, &in);
	ck_assert_ptr_nonnull(strstr(t, "docker run \\\n"));
	ck_assert_ptr_nonnull(strstr(t, "  --sysctl kernel.shmmni=8192 \\\n"));
	ck_assert_ptr_nonnull(strstr(t,
	    "  --sysctl 'kernel.sem=250 64000 100 256' \\\n"));
	ck_assert_ptr_null(strstr(t, "msgmni"));
	ck_assert_ptr_null(strstr(t, "--shm-size"));
	free(t);
	in.has_shm = true;
	in.shm_bytes = 128 * MIB;
	t = platform_render(PF_KUBERNETES, &in);
	ck_assert_ptr_nonnull(strstr(t, "--allowed-unsafe-sysctls "
	    "'kernel.shmmni,kernel.sem'\n"));
	ck_assert_ptr_nonnull(strstr(t, "allowedUnsafeSysctls:\n"
	    "  - kernel.shmmni\n  - kernel.sem\n"));
	ck_assert_ptr_nonnull(strstr(t, "      - name: kernel.shm_rmid_forced"
	    "\n        value: \"1\"\n"));
	ck_assert_ptr_nonnull(strstr(t, "        sizeLimit: 128Mi\n"));
	free(t);
	t = platform_render(PF_COMPOSE, &in);
	ck_assert_ptr_nonnull(strstr(t, "      kernel.sem: \"250 64000 100 "
	    "256\"\n"));
	ck_assert_ptr_nonnull(strstr(t, "    shm_size: \"128m\"\n"));
	free(t);
	/* only the safe key: no kubelet allowance at all */
	memset(&r, 0, sizeof(r));
	rec_set(&r, SC_SHM_RMID_FORCED, rmid);
	platform_from_rec(&r, &in);
	t = platform_render(PF_KUBERNETES, &in);
	ck_assert_ptr_null(strstr(t, "kubelet"));
	ck_assert_ptr_null(strstr(t, "---"));
	free(t);
	/* nothing to set: said, and the pod's list is empty */
	memset(&r, 0, sizeof(r));
	platform_from_rec(&r, &in);
	t = platform_render(PF_KUBERNETES, &in);
	ck_assert_ptr_nonnull(strstr(t, "# no IPC sysctl to set"));
	ck_assert_ptr_nonnull(strstr(t, "    sysctls: []\n"));
	free(t);
	t = platform_render(PF_COMPOSE, &in);
	ck_assert_ptr_null(strstr(t, "sysctls:"));
	free(t);
}
END_TEST

START_TEST(test_in_container_and_hint)
{
	struct kstate ks;
	const char *names[] = { "kernel.msgmni", "kernel.sem" };
	char buf[320];

	memset(&ks, 0, sizeof(ks));
	ks.host.ipc_ns_inode = 4026532999u;
	ck_assert(!platform_in_container(&ks));		/* no --pid */
	ks.host.target_pid = 42;
	ck_assert(platform_in_container(&ks));
	ks.host.ipc_ns_inode = 4026531839u;		/* the host's */
	ck_assert(!platform_in_container(&ks));
	ks.host.target_pid = 0;
	strcpy(ks.host.ns_path, "/run/ns/c1");
	ks.host.ipc_ns_inode = 4026532999u;
	ck_assert(platform_in_container(&ks));
	platform_hint(names, 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "in a container, set it with --sysctl "
	    "kernel.msgmni=... --sysctl kernel.sem=... (docker/podman) or "
	    "securityContext.sysctls (Kubernetes), not in sysctl.d "
	    "('ipctune recommend --for' gives the whole form)");
	/* a short buffer stays terminated */
	platform_hint(names, 2, buf, 20);
	ck_assert_uint_eq(strlen(buf), 19);
}
END_TEST

static Suite *
platform_suite(void)
{
	Suite *s = suite_create("platform");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_shm_bytes);
	tcase_add_test(tc, test_from_rec_and_render);
	tcase_add_test(tc, test_in_container_and_hint);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(platform_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
