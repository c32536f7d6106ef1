/*
 * check_render_prom.c: unit tests of render_prom.c: HELP and TYPE before
 * the samples of each metric, base units (shmall pages as bytes), the
 * resource label, the namespace's labels on every sample, label
 * escaping, and the orphan counts when given.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "procparse.h"
#include "render_prom.h"

static void
set(struct kstate *ks, enum sysctl_id id, const char *text)
{
	char err[256];

	ck_assert_int_eq(procparse_sysctl(id, text, &ks->sysctl[id], err,
	    sizeof(err)), 0);
}

static char *
render_ctr(struct kstate *ks, const struct prom_orphans *o,
    const char *container)
{
	struct model m;
	size_t len;
	char *text;

	model_build(ks, &m);
	text = render_prom(ks, &m, o, container, &len);
	model_release(&m);
	ck_assert_uint_eq(strlen(text), len);
	ck_assert(len > 0 && text[len - 1] == '\n');
	return text;
}

static void
state(struct kstate *ks)
{
	kstate_init(ks);
	ks->host.page_size = 4096;
	ks->host.ipc_ns_inode = 4026532000;
	ks->read_at = 1700000000;
	set(ks, SC_SHMMAX, "18446744073692774399");
	set(ks, SC_SHMALL, "1000");
	set(ks, SC_SHMMNI, "4096");
	set(ks, SC_SEM, "32000\t1024000000\t500\t32000");
	set(ks, SC_MSGMAX, "8192");
	set(ks, SC_MSGMNB, "16384");
	set(ks, SC_MSGMNI, "32000");
	ks->has_usage = true;
	ks->usage.shm_segments = 3;
	ks->usage.shm_pages = 250;
}

static char *
render(struct kstate *ks, const struct prom_orphans *o)
{
	return render_ctr(ks, o, NULL);
}

START_TEST(test_samples)
{
	struct kstate ks;
	char *t;

	state(&ks);
	t = render(&ks, NULL);
	ck_assert_ptr_nonnull(strstr(t, "ipctune_info{version=\""
	    IPCTUNE_VERSION "\",ipc_namespace=\"4026532000\","
	    "ipc_ns=\"4026532000\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nipctune_limit{resource=\"shmmni\","
	    "ipc_ns=\"4026532000\"} "
	    "4096\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nipctune_used{resource=\"shmmni\","
	    "ipc_ns=\"4026532000\"} "
	    "3\n"));
	/* shmall in bytes: 1000 and 250 pages of 4096 */
	ck_assert_ptr_nonnull(strstr(t, "\nipctune_limit_bytes{resource="
	    "\"shmall\",ipc_ns=\"4026532000\"} 4096000\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nipctune_used_bytes{resource="
	    "\"shmall\",ipc_ns=\"4026532000\"} 1024000\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nipctune_used_ratio{resource="
	    "\"shmall\",ipc_ns=\"4026532000\"} 0.25\n"));
	/* counts never appear among the byte metrics and back */
	ck_assert_ptr_null(strstr(t, "ipctune_limit_bytes{resource="
	    "\"shmmni\",ipc_ns=\"4026532000\"}"));
	ck_assert_ptr_null(strstr(t, "ipctune_limit{resource=\"shmall\","));
	ck_assert_ptr_nonnull(strstr(t, "\nipctune_read_timestamp_seconds{"
	    "ipc_ns=\"4026532000\"} 1700000000\n"));
	ck_assert_ptr_null(strstr(t, "orphaned"));
	free(t);
	kstate_release(&ks);
}
END_TEST

START_TEST(test_help_type_before_samples)
{
	static const char *const names[] = { "ipctune_info",
	    "ipctune_limit", "ipctune_limit_bytes", "ipctune_used",
	    "ipctune_used_bytes", "ipctune_used_ratio",
	    "ipctune_page_size_bytes", "ipctune_read_timestamp_seconds" };
	struct kstate ks;
	char *t, key[128];

	state(&ks);
	t = render(&ks, NULL);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *help, *type, *sample;

		snprintf(key, sizeof(key), "# HELP %s ", names[i]);
		help = strstr(t, key);
		snprintf(key, sizeof(key), "# TYPE %s gauge\n", names[i]);
		type = strstr(t, key);
		snprintf(key, sizeof(key), "\n%s", names[i]);
		sample = strstr(type ? type : t, key);
		ck_assert_msg(help && type && sample && help < type &&
		    type < sample, "%s", names[i]);
		/* exactly one HELP per name */
		snprintf(key, sizeof(key), "# HELP %s ", names[i]);
		ck_assert_ptr_null(strstr(help + 1, key));
	}
	free(t);
	kstate_release(&ks);
}
END_TEST

START_TEST(test_huge_shmall_and_orphans)
{
	struct prom_orphans o = { .orphaned = { [IPC_SHM] = 2,
	    [IPC_MSG] = 5 }, .freed = { [IPC_SHM] = 3 }, .unknown = 1,
	    .suspect = { [IPC_SEM] = 7 } };
	struct kstate ks;
	char *t;

	state(&ks);
	set(&ks, SC_SHMALL, "18446744073692774399");
	t = render(&ks, &o);
	/* beyond 2^64 bytes: a float, which Prometheus reads anyway */
	ck_assert_ptr_nonnull(strstr(t, "ipctune_limit_bytes{resource="
	    "\"shmall\",ipc_ns=\"4026532000\"} 7.55578637258456"));
	ck_assert_ptr_nonnull(strstr(t, "# TYPE ipctune_orphaned_objects "
	    "gauge\n"));
	ck_assert_ptr_nonnull(strstr(t, "ipctune_orphaned_objects{resource="
	    "\"shmmni\",ipc_ns=\"4026532000\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(t, "ipctune_orphaned_objects{resource="
	    "\"semmni\",ipc_ns=\"4026532000\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(t, "ipctune_orphaned_objects{resource="
	    "\"msgmni\",ipc_ns=\"4026532000\"} 5\n"));
	/* pages given back to shmall, in bytes like ipctune_used_bytes */
	ck_assert_ptr_nonnull(strstr(t, "ipctune_orphaned_used_bytes{"
	    "resource=\"shmall\",ipc_ns=\"4026532000\"} 12288\n"));
	ck_assert_ptr_nonnull(strstr(t, "ipctune_orphaned_used{resource="
	    "\"semmns\",ipc_ns=\"4026532000\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(t, "ipctune_suspect_objects{resource="
	    "\"semmni\",ipc_ns=\"4026532000\"} 7\n"));
	ck_assert_ptr_nonnull(strstr(t, "ipctune_orphans_unknown_objects{"
	    "ipc_ns=\"4026532000\"} 1\n"));
	free(t);
	kstate_release(&ks);
}
END_TEST

START_TEST(test_unknown_namespace)
{
	struct kstate ks;
	char *t;

	state(&ks);
	ks.host.ipc_ns_inode = 0;
	ks.has_usage = false;
	t = render(&ks, NULL);
	ck_assert_ptr_nonnull(strstr(t, "ipc_namespace=\"\",ipc_ns=\"\"} "
	    "1\n"));
	/* no usage read: limits only, no used or ratio samples */
	ck_assert_ptr_null(strstr(t, "ipctune_used{"));
	ck_assert_ptr_null(strstr(t, "ipctune_used_ratio{"));
	ck_assert_ptr_nonnull(strstr(t, "ipctune_limit{resource=\"msgmni\","
	    "ipc_ns=\"\"}"));
	free(t);
	kstate_release(&ks);
}
END_TEST

/* Every sample line of T carries LABELS just before its closing brace. */
static void
every_sample(const char *t, const char *labels)
{
	char *copy = strdup(t), *save = NULL, want[256];

	snprintf(want, sizeof(want), "%s} ", labels);
	for (char *l = strtok_r(copy, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save))
		if (l[0] != '#')
			ck_assert_msg(strstr(l, want) != NULL, "%s", l);
	free(copy);
}

START_TEST(test_namespace_labels)
{
	struct prom_orphans o = { .unknown = 1 };
	struct kstate ks;
	char *t;

	state(&ks);
	t = render(&ks, &o);
	every_sample(t, "ipc_ns=\"4026532000\"");
	ck_assert_ptr_null(strstr(t, "container="));
	free(t);
	t = render_ctr(&ks, &o, "");
	ck_assert_ptr_null(strstr(t, "container="));
	free(t);
	t = render_ctr(&ks, &o, "3f2a9c");
	every_sample(t, "ipc_ns=\"4026532000\",container=\"3f2a9c\"");
	ck_assert_ptr_nonnull(strstr(t, "\nipctune_used{resource=\"shmmni\","
	    "ipc_ns=\"4026532000\",container=\"3f2a9c\"} 3\n"));
	free(t);
	/* a name from outside is escaped like every label value */
	t = render_ctr(&ks, NULL, "a\"b\\c\nd\x01");
	every_sample(t, "container=\"a\\\"b\\\\c\\nd\\\\x01\"");
	free(t);
	kstate_release(&ks);
}
END_TEST

static Suite *
render_prom_suite(void)
{
	Suite *s = suite_create("render_prom");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_samples);
	tcase_add_test(tc, test_help_type_before_samples);
	tcase_add_test(tc, test_huge_shmall_and_orphans);
	tcase_add_test(tc, test_unknown_namespace);
	tcase_add_test(tc, test_namespace_labels);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(render_prom_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
