/*
 * check_ipctype.c: unit tests of ipctype.c: every row of the type table
 * is complete and consistent with the others (names unique, selection
 * bits distinct and clear of the other kernel-source bits, limits the
 * resources that count objects), lookups by name round-trip, the
 * compile-time name lists agree with the table, and the accessors reach
 * each type's own objects in a struct kstate.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ipctype.h"
#include "ksource.h"

static bool
filled(const char *s)
{
	return s != NULL && s[0] != '\0';
}

START_TEST(test_rows_complete)
{
	for (int t = 0; t < IPC_NTYPES; t++) {
		const struct ipc_type_desc *d = &ipctype_table[t];

		ck_assert_msg(filled(d->name), "row %d: no name", t);
		ck_assert_msg(filled(d->json_key), "%s: no json_key", d->name);
		ck_assert_msg(filled(d->singular), "%s: no singular", d->name);
		ck_assert_msg(filled(d->plural), "%s: no plural", d->name);
		ck_assert_msg(filled(d->heading), "%s: no heading", d->name);
		ck_assert_msg(filled(d->short_singular) &&
		    filled(d->short_plural), "%s: no short words", d->name);
		ck_assert_msg(filled(d->limit_name), "%s: no limit", d->name);
		ck_assert_msg(filled(d->ipcrm_opt), "%s: no ipcrm", d->name);
		ck_assert_int_eq(d->want, IPC_TYPE_WANT(t));
		ck_assert_int_lt(d->limit, R_COUNT);
		ck_assert_int_lt(d->pool, R_COUNT);
	}
}
END_TEST

/* The words the outputs print: lower case names, plural of singular. */
START_TEST(test_words_consistent)
{
	for (int t = 0; t < IPC_NTYPES; t++) {
		const struct ipc_type_desc *d = &ipctype_table[t];
		size_t n = strlen(d->singular), sn = strlen(d->short_singular);

		for (const char *p = d->name; *p; p++)
			ck_assert_msg(*p >= 'a' && *p <= 'z', "%s", d->name);
		ck_assert_str_eq(d->json_key, d->name);
		ck_assert_msg(strncmp(d->plural, d->singular, n) == 0 &&
		    strcmp(d->plural + n, "s") == 0, "%s", d->plural);
		ck_assert_msg(strncmp(d->short_plural, d->short_singular,
		    sn) == 0 && strcmp(d->short_plural + sn, "s") == 0, "%s",
		    d->short_plural);
		/* the short word ends the long one: "segment" */
		ck_assert_msg(n >= sn && strcmp(d->singular + n - sn,
		    d->short_singular) == 0, "%s", d->short_singular);
		/* the heading is the plural with a capital */
		ck_assert_int_eq(d->heading[0], d->posix ? d->plural[0] :
		    d->plural[0] - 'a' + 'A');
		ck_assert_str_eq(d->heading + 1, d->plural + 1);
		ck_assert_int_eq(d->ipcrm_opt[0], '-');
		/* util-linux 2.41's POSIX options are long: --posix-shmem */
		if (d->posix)
			ck_assert_msg(strncmp(d->ipcrm_opt, "--posix-", 8) == 0,
			    "%s", d->ipcrm_opt);
		else
			ck_assert_uint_eq(strlen(d->ipcrm_opt), 2);
		ck_assert_int_eq(d->posix, IPC_TYPE_IS_POSIX(t));
	}
}
END_TEST

START_TEST(test_unique)
{
	unsigned wants = 0;

	for (int t = 0; t < IPC_NTYPES; t++) {
		const struct ipc_type_desc *a = &ipctype_table[t];

		ck_assert_int_eq(wants & a->want, 0);
		wants |= a->want;
		for (int u = t + 1; u < IPC_NTYPES; u++) {
			const struct ipc_type_desc *b = &ipctype_table[u];

			ck_assert_str_ne(a->name, b->name);
			ck_assert_str_ne(a->json_key, b->json_key);
			ck_assert_str_ne(a->singular, b->singular);
			ck_assert_str_ne(a->short_singular,
			    b->short_singular);
			ck_assert_str_ne(a->ipcrm_opt, b->ipcrm_opt);
			/* /dev/shm bounds both pshm and psem */
			if (t == IPC_PSHM && u == IPC_PSEM)
				continue;
			ck_assert_str_ne(a->limit_name, b->limit_name);
			ck_assert_int_ne(a->limit, b->limit);
		}
	}
	/* one bit per type, none shared with the sysctls or the usage */
	ck_assert_uint_eq(wants, IPC_TYPES_WANT);
	ck_assert_uint_eq(wants, KS_OBJECTS);
	ck_assert_uint_eq(wants & (KS_SYSCTL | KS_USAGE), 0);
	ck_assert_uint_eq(KS_ALL, KS_SYSCTL | KS_USAGE | wants);
	ck_assert_uint_eq(IPC_TYPES_ALL, (1u << IPC_NTYPES) - 1);
}
END_TEST

/* The limit counts objects (its unit is their short plural word). */
START_TEST(test_limits)
{
	for (int t = 0; t < IPC_NTYPES; t++) {
		const struct ipc_type_desc *d = &ipctype_table[t];
		const struct resource_desc *r = &resource_table[d->limit];
		char lower[16];
		size_t i;

		ck_assert(MODEL_FILLS(d->limit));
		/* a POSIX limit is a filesystem's or fs.mqueue's */
		if (d->posix) {
			ck_assert(d->limit == R_DEV_SHM ||
			    d->limit == R_MQUEUE_QUEUES);
			continue;
		}
		for (i = 0; d->limit_name[i] && i + 1 < sizeof(lower); i++)
			lower[i] = (char)(d->limit_name[i] - 'A' + 'a');
		lower[i] = '\0';
		ck_assert_str_eq(r->name, lower);
		ck_assert_msg(strstr(d->short_plural, r->unit) != NULL,
		    "%s: unit %s", d->name, r->unit);
		if (d->has_pool) {
			ck_assert_int_ne(d->pool, d->limit);
			ck_assert(MODEL_FILLS(d->pool));
		}
	}
}
END_TEST

START_TEST(test_lookup_round_trip)
{
	enum ipc_type t = IPC_NTYPES;

	for (int i = 0; i < IPC_NTYPES; i++) {
		ck_assert_int_eq(ipctype_lookup(ipctype_table[i].name, &t), 0);
		ck_assert_int_eq(t, i);
	}
	t = IPC_SEM;
	ck_assert_int_eq(ipctype_lookup("SHM", &t), -1);
	ck_assert_int_eq(ipctype_lookup("", &t), -1);
	ck_assert_int_eq(ipctype_lookup("shm ", &t), -1);
	ck_assert_int_eq(ipctype_lookup("queue", &t), -1);
	ck_assert_int_eq(t, IPC_SEM);
}
END_TEST

/* IPCTYPE_NAMES() spells the table's names in its order. */
START_TEST(test_names_macro)
{
	char want[128] = "";

	for (int t = 0; t < IPC_NTYPES; t++) {
		if (t > 0)
			strcat(want, t == IPC_NTYPES - 1 ? "/" : ",");
		strcat(want, ipctype_table[t].name);
	}
	ck_assert_str_eq(IPCTYPE_NAMES(",", "/"), want);
}
END_TEST

START_TEST(test_accessors)
{
	static struct shm_obj shm[2] = { { .perm.id = 1 }, { .perm.id = 2 } };
	static struct sem_obj sem[1] = { { .perm.id = 3 } };
	static struct msg_obj msg[3] = { { .perm.id = 4 }, { .perm.id = 5 },
	    { .perm.id = 6 } };
	struct kstate ks;

	kstate_init(&ks);
	for (int t = 0; t < IPC_NTYPES; t++) {
		ck_assert(!ipctype_has(&ks, (enum ipc_type)t));
		ck_assert_uint_eq(ipctype_count(&ks, (enum ipc_type)t), 0);
	}
	ks.shm = shm;
	ks.nshm = 2;
	ks.sem = sem;
	ks.nsem = 1;
	ks.msg = msg;
	ks.nmsg = 3;
	ks.usage.shm_segments = 12;
	ks.usage.sem_arrays = 13;
	ks.usage.msg_queues = 14;
	ck_assert_uint_eq(ipctype_in_use(&ks.usage, IPC_SHM), 12);
	ck_assert_uint_eq(ipctype_in_use(&ks.usage, IPC_SEM), 13);
	ck_assert_uint_eq(ipctype_in_use(&ks.usage, IPC_MSG), 14);
	ipctype_set_has(&ks, IPC_SEM);
	ck_assert(ks.has_sem && !ks.has_shm && !ks.has_msg);
	ck_assert(ipctype_has(&ks, IPC_SEM));
	ck_assert_uint_eq(ipctype_count(&ks, IPC_SHM), 2);
	ck_assert_uint_eq(ipctype_count(&ks, IPC_SEM), 1);
	ck_assert_uint_eq(ipctype_count(&ks, IPC_MSG), 3);
	ck_assert_ptr_eq(ipctype_perm(&ks, IPC_SHM, 1), &shm[1].perm);
	ck_assert_int_eq(ipctype_perm(&ks, IPC_SEM, 0)->id, 3);
	ck_assert_int_eq(ipctype_perm(&ks, IPC_MSG, 2)->id, 6);
	ck_assert_ptr_eq(ipctype_obj(&ks, IPC_SHM, 1), &shm[1]);
	ck_assert_ptr_eq(ipctype_obj(&ks, IPC_SEM, 0), &sem[0]);
	ck_assert_ptr_eq(ipctype_obj(&ks, IPC_MSG, 2), &msg[2]);
	ck_assert_ptr_null(ipctype_posix_file(&ks, IPC_SHM, 0));
}
END_TEST

/* The POSIX types reach their own arrays and files, and drop frees. */
START_TEST(test_accessors_posix)
{
	struct kstate ks;

	kstate_init(&ks);
	ks.pshm = calloc(2, sizeof(*ks.pshm));
	ks.npshm = 2;
	ks.psem = calloc(1, sizeof(*ks.psem));
	ks.npsem = 1;
	ks.pmq = calloc(3, sizeof(*ks.pmq));
	ks.npmq = 3;
	ks.pshm[1].f.name = strdup("PostgreSQL.1");
	ks.pshm[1].f.holders = calloc(1, sizeof(struct posix_holder));
	ks.pshm[1].f.nholders = 1;
	ks.psem[0].f.name = strdup("sem.x");
	ks.pmq[2].perm.uid = 1000;
	ck_assert_uint_eq(ipctype_count(&ks, IPC_PSHM), 2);
	ck_assert_uint_eq(ipctype_count(&ks, IPC_PSEM), 1);
	ck_assert_uint_eq(ipctype_count(&ks, IPC_PMQ), 3);
	ck_assert_ptr_eq(ipctype_obj(&ks, IPC_PSHM, 1), &ks.pshm[1]);
	ck_assert_ptr_eq(ipctype_posix_file(&ks, IPC_PSHM, 1), &ks.pshm[1].f);
	ck_assert_ptr_eq(ipctype_posix_file(&ks, IPC_PSEM, 0), &ks.psem[0].f);
	ck_assert_ptr_eq(ipctype_posix_file(&ks, IPC_PMQ, 2), &ks.pmq[2].f);
	ck_assert_int_eq(ipctype_perm(&ks, IPC_PMQ, 2)->uid, 1000);
	ipctype_set_has(&ks, IPC_PMQ);
	ck_assert(ks.has_pmq && !ks.has_pshm && !ks.has_psem);
	ks.usage.has_mq_queues = true;
	ks.usage.mq_queues = 3;
	ck_assert_uint_eq(ipctype_in_use(&ks.usage, IPC_PMQ), 3);
	ipctype_drop(&ks, IPC_PSHM);
	ck_assert_ptr_null(ks.pshm);
	ck_assert_uint_eq(ks.npshm, 0);
	/* the rest, names included, goes with the state */
	kstate_release(&ks);
	ck_assert_uint_eq(ks.npsem + ks.npmq, 0);
}
END_TEST

/* perm reads the same through any member of union ipc_obj. */
START_TEST(test_union_perm)
{
	union ipc_obj o;

	memset(&o, 0, sizeof(o));
	o.msg.perm.id = 42;
	o.msg.perm.uid = 7;
	o.msg.ctime = 99;
	ck_assert_int_eq(o.any.perm.id, 42);
	ck_assert_int_eq(o.any.perm.uid, 7);
	ck_assert_ptr_eq(&o.any.perm, &o.shm.perm);
	ck_assert_ptr_eq(&o.any.perm, &o.sem.perm);
}
END_TEST

/* A type's resources: its limit first, then its pool and inodes. */
START_TEST(test_resources)
{
	size_t total = 0;

	for (int t = 0; t < IPC_NTYPES; t++) {
		enum resource_id res[IPCTYPE_MAXRES];
		size_t n = ipctype_resources(t, res);

		ck_assert_uint_ge(n, 1);
		ck_assert_uint_le(n, IPCTYPE_MAXRES);
		ck_assert_int_eq(res[0], ipctype_table[t].limit);
		ck_assert_uint_eq(n, 1u + ipctype_table[t].has_pool +
		    ipctype_table[t].has_inodes);
		if (ipctype_table[t].has_pool)
			ck_assert_int_eq(res[1], ipctype_table[t].pool);
		if (ipctype_table[t].has_inodes)
			ck_assert_int_eq(res[n - 1], ipctype_table[t].inodes);
		total += n;
	}
	/*
	 * shmmni, shmall, semmni, semmns, msgmni; dev_shm and its inodes
	 * twice, mqueue
	 */
	ck_assert_uint_eq(total, 10);
}
END_TEST

START_TEST(test_drop)
{
	struct kstate ks;

	kstate_init(&ks);
	ks.sem = calloc(4, sizeof(*ks.sem));
	ks.nsem = 4;
	ks.msg = calloc(1, sizeof(*ks.msg));
	ks.nmsg = 1;
	ipctype_drop(&ks, IPC_SEM);
	ck_assert_ptr_null(ks.sem);
	ck_assert_uint_eq(ks.nsem, 0);
	ck_assert_uint_eq(ks.nmsg, 1);
	kstate_release(&ks);
}
END_TEST

static Suite *
ipctype_suite(void)
{
	Suite *s = suite_create("ipctype");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_rows_complete);
	tcase_add_test(tc, test_words_consistent);
	tcase_add_test(tc, test_unique);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_lookup_round_trip);
	tcase_add_test(tc, test_names_macro);
	tcase_add_test(tc, test_accessors);
	tcase_add_test(tc, test_accessors_posix);
	tcase_add_test(tc, test_union_perm);
	tcase_add_test(tc, test_resources);
	tcase_add_test(tc, test_drop);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ipctype_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
