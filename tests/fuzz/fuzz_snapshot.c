/*
 * fuzz_snapshot.c: libFuzzer target for the snapshot loader, the one
 * parser that takes a whole document from another host.  A document that
 * loads must survive the model, be written back, and load again to the
 * same sysctls and object counts (a round trip); it is also counted
 * into a fleet report, as 'ipctune report' does with many snapshots.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model.h"
#include "report.h"
#include "snapshot.h"
#include "snapwrite.h"

/* Write KS back as a snapshot and load it again into KS2. */
static void
round_trip(const struct kstate *ks)
{
	struct kstate ks2;
	struct model m;
	char *buf = NULL, err[512];
	size_t len = 0;
	json_error_t je;
	json_t *doc;
	FILE *fp;
	int r;

	memset(&m, 0, sizeof(m));
	model_build(ks, &m);
	{
		struct report rep;

		report_init(&rep, 3);
		report_add(&rep, "a.json", ks, &m);
		report_add(&rep, "b.json", ks, &m);
		report_finish(&rep);
		report_release(&rep);
	}
	fp = open_memstream(&buf, &len);
	FUZZ_ASSERT(fp != NULL);
	{
		struct render_opts ro = { .now = 1700000000 };

		FUZZ_ASSERT(snapshot_write(fp, ks, &m, &ro) == 0);
	}
	fclose(fp);
	model_release(&m);
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL)
		fprintf(stderr, "reload: %s\n%s\n", je.text, buf);
	FUZZ_ASSERT(doc != NULL);
	kstate_init(&ks2);
	r = snapshot_from_json(doc, &ks2, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "reload: %s\n", err);
	FUZZ_ASSERT(r == 0);
	json_decref(doc);
	free(buf);
	FUZZ_ASSERT(ks2.nshm == ks->nshm && ks2.nsem == ks->nsem &&
	    ks2.nmsg == ks->nmsg);
	for (int i = 0; i < SC_COUNT; i++) {
		FUZZ_ASSERT(ks2.sysctl[i].present == ks->sysctl[i].present);
		FUZZ_ASSERT(memcmp(ks2.sysctl[i].v, ks->sysctl[i].v,
		    sizeof(ks->sysctl[i].v)) == 0);
	}
	for (size_t i = 0; i < ks->nshm; i++)
		FUZZ_ASSERT(ks2.shm[i].size_bytes == ks->shm[i].size_bytes &&
		    ks2.shm[i].perm.key == ks->shm[i].perm.key);
	kstate_release(&ks2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kstate ks;
	json_error_t je;
	json_t *doc;
	char err[512];

	/* the same flags as snapshot_load() */
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &je);
	if (doc == NULL)
		return 0;
	kstate_init(&ks);
	memset(err, 'x', sizeof(err));
	if (snapshot_from_json(doc, &ks, err, sizeof(err)) == 0)
		round_trip(&ks);
	else
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
	kstate_release(&ks);
	json_decref(doc);
	return 0;
}
