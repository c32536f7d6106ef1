/*
 * check_view_orphans.c: unit tests of the two forms of a judged object:
 * the compact text 'orphans --format json' streams must be, byte for
 * byte, the jansson dump of view_orphans_item_json() for every object
 * type, with every optional member, hostile process names and sizes
 * above 2^53, so that the two can never drift apart.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jsonc.h"
#include "view_orphans.h"

/* The text form of IT must equal the dump of its JSON form. */
static void
same_forms(const struct orphan_item *it)
{
	struct jsonc c;
	json_t *o = view_orphans_item_json(it);
	char *want = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	ck_assert_ptr_nonnull(want);
	jsonc_init(&c);
	view_orphans_item_text(&c, it);
	if (c.len != strlen(want) || memcmp(c.buf, want, c.len) != 0)
		ck_abort_msg("type %d verdict %d: text %.*s\njson %.300s",
		    (int)it->type, (int)it->verdict,
		    (int)(c.len < 300 ? c.len : 300), c.buf, want);
	jsonc_free(&c);
	free(want);
	json_decref(o);
}

static const char *const comms[] = {
	"", "bash", "a\"b\\c", "tab\there\n", "caf\xc3\xa9", "bad\xff" "x",
	"\x1b[31m", "\xed\xa0\x80",
};

/* An item of TYPE with its optional members per VARIANT. */
static void
fill(struct orphan_item *it, enum ipc_type t, int variant,
    struct orphan_pid *pids, struct orphan_attacher *att)
{
	static char name[] = "sem.name\x01\xff";
	uint64_t big = variant & 1 ? UINT64_MAX : 4096;

	memset(it, 0, sizeof(*it));
	it->type = t;
	it->verdict = (enum orphan_verdict)(variant % OV_COUNT);
	it->reasons = variant & 2 ? 0x5u : 0;
	it->age_seconds = variant * 1000;
	it->last_activity = variant & 1 ? 1700000000 : 0;
	it->own_access = variant & 4 ? 1700000100 : 0;
	it->orphan_at = 1700003600;
	switch (t) {
	case IPC_SHM:
		it->obj.shm.perm = (struct obj_perm){ 7, 0xdeadbeefu,
		    01777 | IPC_SHM_DEST, 0, 65534, 0, 12345 };
		it->obj.shm.size_bytes = big;
		it->obj.shm.nattch = big;
		it->obj.shm.cpid = 10;
		it->obj.shm.lpid = -1;
		it->obj.shm.atime = variant;
		it->obj.shm.ctime = 1700000000;
		break;
	case IPC_SEM:
		it->obj.sem.perm = (struct obj_perm){ 3, 0, 0600, 1, 1, 1, 1 };
		it->obj.sem.nsems = big;
		it->obj.sem.otime = variant;
		break;
	case IPC_MSG:
		it->obj.msg.perm = (struct obj_perm){ 9, 1, 0644, 2, 2, 2, 2 };
		it->obj.msg.cbytes = big;
		it->obj.msg.qnum = 3;
		it->obj.msg.lspid = 5;
		it->obj.msg.rtime = 1;
		break;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
		it->obj.pshm.f.name = name;
		it->obj.pshm.f.size_bytes = big;
		it->obj.pshm.f.mtime = variant;
		if (t == IPC_PMQ) {
			it->obj.pmq.f.name = name;
			it->obj.pmq.qsize_bytes = big;
		} else if (t == IPC_PSEM) {
			it->obj.psem.f.name = name;
		}
		break;
	case IPC_NTYPES:
		break;
	}
	it->npids = (size_t)variant % 4;
	it->pids = pids;
	for (size_t i = 0; i < it->npids; i++) {
		pids[i] = (struct orphan_pid){ (enum orphan_role)(i %
		    ROLE_COUNT), (pid_t)(100 + i), (enum orphan_pid_state)(i %
		    PS_COUNT), 1700000000, (int64_t)i, big, "" };
		snprintf(pids[i].comm, sizeof(pids[i].comm), "%s",
		    comms[(i + (size_t)variant) % 8]);
	}
	it->natt = (size_t)variant % 3;
	it->att = att;
	for (size_t i = 0; i < it->natt; i++) {
		att[i].pid = (pid_t)(200 + i);
		snprintf(att[i].comm, sizeof(att[i].comm), "%s",
		    comms[(i + 3) % 8]);
	}
	it->hidden_attachers = big;
}

START_TEST(test_every_type_and_member)
{
	struct orphan_pid pids[4];
	struct orphan_attacher att[3];
	struct orphan_item it;

	for (int t = 0; t < IPC_NTYPES; t++) {
		for (int v = 0; v < 16; v++) {
			fill(&it, (enum ipc_type)t, v, pids, att);
			same_forms(&it);
		}
	}
}
END_TEST

static Suite *
view_orphans_suite(void)
{
	Suite *s = suite_create("view_orphans");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_every_type_and_member);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(view_orphans_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
