/* Unit tests for snapshot.c: the round trip and hostile documents. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "procparse.h"
#include "snapshot.h"
#include "snapwrite.h"

static void
set(struct kstate *ks, enum sysctl_id id, const char *text)
{
	char err[256];

	ck_assert_int_eq(procparse_sysctl(id, text, &ks->sysctl[id], err,
	    sizeof(err)), 0);
}

/* The names a fake user and group database gives. */
static const char *
fake_user(uid_t uid)
{
	return uid == 48 ? "apache" : "someone";
}

static const char *
fake_group(gid_t gid)
{
	return gid == 48 ? "apache-grp" : "somegroup";
}

/* The document of KS, made at a fixed moment, names through RO. */
static char *
write_doc_with(const struct kstate *ks, const struct render_opts *ro)
{
	struct model m;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	model_build(ks, &m);
	ck_assert_int_eq(snapshot_write(fp, ks, &m, ro), 0);
	fclose(fp);
	model_release(&m);
	return buf;
}

static char *
write_doc(const struct kstate *ks)
{
	struct render_opts ro = { .now = 1700000000 };

	return write_doc_with(ks, &ro);
}

static void
sample(struct kstate *ks)
{
	static struct shm_obj shm[1] = { { .perm = { .id = 32769,
	    .key = 0xdeadbeef, .mode = 01640, .uid = 48, .gid = 48 },
	    .size_bytes = 18446744073709551615ull, .cpid = 7, .lpid = 8,
	    .nattch = 1, .atime = 1700000000, .has_rss = true,
	    .rss_bytes = 4096 } };
	static struct sem_obj sem[1] = { { .perm = { .id = 3, .key = 1,
	    .mode = 0600 }, .nsems = 250, .otime = 0, .ctime = 1700000001 } };
	static struct msg_obj msg[1] = { { .perm.id = 4, .cbytes = 43,
	    .qnum = 2, .has_qbytes = true, .qbytes = 16384, .lspid = 99 } };

	kstate_init(ks);
	ks->host.page_size = 4096;
	ks->host.ram_bytes = 1ull << 34;
	ks->host.ncpu = 2;
	snprintf(ks->host.hostname, sizeof(ks->host.hostname), "db1");
	set(ks, SC_SHMMAX, "18446744073692774399");
	set(ks, SC_SHMALL, "18446744073692774399");
	set(ks, SC_SHMMNI, "4096");
	set(ks, SC_SEM, "250\t32000\t32\t128");
	set(ks, SC_MSGMAX, "8192");
	set(ks, SC_MSGMNB, "16384");
	set(ks, SC_MSGMNI, "32000");
	ks->has_usage = true;
	ks->usage.shm_pages = 4503599627370496ull;
	ks->usage.sem_arrays = 1;
	ks->usage.sem_sems = 250;
	ks->shm = shm;
	ks->nshm = 1;
	ks->has_shm = true;
	ks->sem = sem;
	ks->nsem = 1;
	ks->has_sem = true;
	ks->msg = msg;
	ks->nmsg = 1;
	ks->has_msg = true;
}

START_TEST(test_roundtrip)
{
	struct kstate in, out;
	json_error_t je;
	json_t *doc;
	char *text, err[512];

	sample(&in);
	text = write_doc(&in);
	doc = json_loads(text, 0, &je);
	ck_assert_msg(doc != NULL, "%s: %s", je.text, text);
	kstate_init(&out);
	ck_assert_msg(snapshot_from_json(doc, &out, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_str_eq(out.sysctl[SC_SEM].raw, "250\t32000\t32\t128");
	ck_assert_uint_eq(out.sysctl[SC_SHMMAX].v[0],
	    18446744073692774399ull);
	ck_assert_uint_eq(out.usage.shm_pages, 4503599627370496ull);
	ck_assert_uint_eq(out.nshm, 1);
	ck_assert_uint_eq(out.shm[0].size_bytes, 18446744073709551615ull);
	ck_assert_uint_eq(out.shm[0].perm.key, 0xdeadbeef);
	ck_assert_uint_eq(out.shm[0].perm.mode, 01640);
	ck_assert_int_eq(out.shm[0].atime, 1700000000);
	ck_assert_int_eq(out.shm[0].dtime, 0);
	ck_assert(out.shm[0].has_rss);
	ck_assert_uint_eq(out.sem[0].nsems, 250);
	ck_assert_uint_eq(out.msg[0].qbytes, 16384);
	ck_assert_int_eq(out.msg[0].lspid, 99);
	ck_assert_str_eq(out.host.hostname, "db1");
	ck_assert(!out.usage.has_mq_queues);
	json_decref(doc);
	kstate_release(&out);
	free(text);
}
END_TEST

/* The clock and the names come from the caller, never from the system. */
START_TEST(test_injected)
{
	struct render_opts ro = { .now = 1700000000, .user_name = fake_user,
	    .group_name = fake_group };
	struct kstate in;
	json_error_t je;
	json_t *doc, *shm;
	char *text;

	sample(&in);
	text = write_doc_with(&in, &ro);
	doc = json_loads(text, 0, &je);
	ck_assert_msg(doc != NULL, "%s: %s", je.text, text);
	ck_assert_str_eq(json_string_value(json_object_get(doc,
	    "generated_at")), "2023-11-14T22:13:20Z");
	shm = json_array_get(json_object_get(json_object_get(doc, "objects"),
	    "shm"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(shm, "user")),
	    "apache");
	ck_assert_str_eq(json_string_value(json_object_get(shm, "group")),
	    "apache-grp");
	json_decref(doc);
	free(text);
	/* without a resolver an ID is its number */
	text = write_doc(&in);
	doc = json_loads(text, 0, &je);
	ck_assert_msg(doc != NULL, "%s: %s", je.text, text);
	shm = json_array_get(json_object_get(json_object_get(doc, "objects"),
	    "shm"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(shm, "user")),
	    "48");
	ck_assert_str_eq(json_string_value(json_object_get(shm, "group")),
	    "48");
	json_decref(doc);
	free(text);
}
END_TEST

/* 13.4: a negative kernel.sem field is written and read back signed */
START_TEST(test_negative_sem)
{
	struct kstate in, out;
	json_error_t je;
	json_t *doc, *sem;
	int64_t f[SEM_NFIELDS];
	char *text, err[512];

	sample(&in);
	set(&in, SC_SEM, "250\t32000\t-1\t128");
	text = write_doc(&in);
	doc = json_loads(text, 0, &je);
	ck_assert_msg(doc != NULL, "%s: %s", je.text, text);
	sem = json_object_get(json_object_get(doc, "sysctls"), "kernel.sem");
	ck_assert_int_eq(json_integer_value(json_object_get(sem, "semopm")),
	    -1);
	kstate_init(&out);
	ck_assert_msg(snapshot_from_json(doc, &out, err, sizeof(err)) == 0,
	    "%s", err);
	sysctl_sem_fields(&out.sysctl[SC_SEM], f);
	ck_assert_int_eq(f[SEM_SEMOPM], -1);
	ck_assert_int_eq(f[SEM_SEMMNI], 128);
	kstate_release(&out);
	/* a snapshot written when negatives read as 0 still loads */
	json_object_set_new(sem, "semopm", json_integer(0));
	kstate_init(&out);
	ck_assert_msg(snapshot_from_json(doc, &out, err, sizeof(err)) == 0,
	    "%s", err);
	sysctl_sem_fields(&out.sysctl[SC_SEM], f);
	ck_assert_int_eq(f[SEM_SEMOPM], -1);
	kstate_release(&out);
	json_object_set_new(sem, "semopm", json_integer(-2));
	kstate_init(&out);
	ck_assert_int_eq(snapshot_from_json(doc, &out, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "kernel.sem.semopm: disagrees with raw") !=
	    NULL, "%s", err);
	kstate_release(&out);
	json_decref(doc);
	free(text);
}
END_TEST

/* Load TEXT (after applying a jansson edit) and expect NEEDLE in the error. */
static void
expect_bad(json_t *doc, const char *needle)
{
	struct kstate ks;
	char err[512] = "";

	kstate_init(&ks);
	ck_assert_int_eq(snapshot_from_json(doc, &ks, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err,
	    needle);
	kstate_release(&ks);
}

static json_t *
good_doc(void)
{
	struct kstate ks;
	json_error_t je;
	json_t *doc;
	char *text;

	sample(&ks);
	text = write_doc(&ks);
	doc = json_loads(text, 0, &je);
	free(text);
	ck_assert_ptr_nonnull(doc);
	return doc;
}

START_TEST(test_hostile)
{
	json_t *d, *arr;

	d = good_doc();
	json_object_set_new(d, "schema_version", json_integer(2));
	expect_bad(d, "unsupported schema_version 2");
	json_decref(d);

	d = good_doc();
	json_object_set_new(d, "schema_version", json_string("1"));
	expect_bad(d, "schema_version: not an integer");
	json_decref(d);

	d = good_doc();
	json_object_set_new(d, "document", json_string("status"));
	expect_bad(d, "not an ipctune snapshot");
	json_decref(d);

	d = good_doc();
	json_object_set_new(json_object_get(json_object_get(d, "sysctls"),
	    "kernel.sem"), "raw", json_string("1 2 3"));
	expect_bad(d, "sysctls.kernel.sem.raw");
	json_decref(d);

	d = good_doc();
	arr = json_object_get(json_object_get(d, "objects"), "shm");
	json_object_set_new(json_array_get(arr, 0), "nattch",
	    json_string("1"));
	expect_bad(d, "shm[0].nattch: not an integer");
	json_decref(d);

	d = good_doc();
	arr = json_object_get(json_object_get(d, "objects"), "sem");
	json_object_set_new(json_array_get(arr, 0), "mode",
	    json_integer(99999));
	expect_bad(d, "sem[0].mode: out of range");
	json_decref(d);

	d = good_doc();
	arr = json_object_get(json_object_get(d, "objects"), "msg");
	json_array_append_new(arr, json_integer(5));
	expect_bad(d, "msg[1]: not an object");
	json_decref(d);

	d = good_doc();
	json_object_set_new(json_object_get(d, "host"), "page_size_bytes",
	    json_integer(3000));
	expect_bad(d, "page_size_bytes");
	json_decref(d);

	d = good_doc();
	json_object_set_new(json_object_get(d, "usage"), "shm_pages",
	    json_integer(-1));
	expect_bad(d, "usage.shm_pages: negative");
	json_decref(d);

	d = good_doc();
	json_object_set_new(json_object_get(json_object_get(d, "sysctls"),
	    "kernel.shmmax"), "raw", json_string("18446744073709551616"));
	expect_bad(d, "kernel.shmmax");
	json_decref(d);

	d = json_array();
	expect_bad(d, "not a JSON object");
	json_decref(d);
}
END_TEST

/* Set member KEY of object I of objects.TYPE in D to V. */
static void
set_obj(json_t *d, const char *type, size_t i, const char *key, json_t *v)
{
	json_t *arr = json_object_get(json_object_get(d, "objects"), type);

	json_object_set_new(json_array_get(arr, i), key, v);
}

/* 13.5: values no kernel can hold are refused, the member named */
START_TEST(test_kernel_bounds)
{
	json_t *d;

	d = good_doc();
	set_obj(d, "sem", 0, "nsems", json_null());
	set_obj(d, "sem", 0, "nsems_exact",
	    json_string("18446744073709551615"));
	expect_bad(d, "objects.sem[0].nsems: out of range");
	json_decref(d);

	d = good_doc();
	set_obj(d, "sem", 0, "nsems", json_integer(2147483648));
	expect_bad(d, "objects.sem[0].nsems: out of range");
	json_decref(d);

	d = good_doc();
	set_obj(d, "sem", 0, "nsems", json_integer(0));
	expect_bad(d, "objects.sem[0].nsems: out of range");
	json_decref(d);

	d = good_doc();
	set_obj(d, "sem", 0, "mode", json_integer(01600));
	expect_bad(d, "objects.sem[0].mode: out of range");
	json_decref(d);

	d = good_doc();
	set_obj(d, "msg", 0, "mode", json_integer(02600));
	expect_bad(d, "objects.msg[0].mode: out of range");
	json_decref(d);

	d = good_doc();
	set_obj(d, "shm", 0, "mode", json_integer(04600));
	expect_bad(d, "objects.shm[0].mode: out of range");
	json_decref(d);

	d = good_doc();
	set_obj(d, "shm", 0, "cpid", json_integer(4194305));
	expect_bad(d, "objects.shm[0].cpid: out of range");
	json_decref(d);

	d = good_doc();
	json_object_set_new(json_object_get(d, "usage"), "sem_semaphores",
	    json_integer(2147483648));
	expect_bad(d, "usage.sem_semaphores: out of range");
	json_decref(d);

	d = good_doc();
	json_object_set_new(json_object_get(json_object_get(d, "sysctls"),
	    "kernel.sem"), "raw", json_string("250 32000 32 2147483648"));
	expect_bad(d, "bad semmni '2147483648': out of range");
	json_decref(d);
}
END_TEST

static Suite *
snapshot_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_injected);
	tcase_add_test(tc, test_negative_sem);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_kernel_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(snapshot_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
