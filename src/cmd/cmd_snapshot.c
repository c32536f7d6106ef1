/*
 * cmd_snapshot.c: 'ipctune snapshot', the whole state as one JSON
 * document: host facts, raw sysctls, usage, resources, findings and every
 * object, plus the orphan verdicts judged here, where the processes can
 * be seen (a snapshot read elsewhere cannot tell a dead creator from a
 * live one).  It is the input of --from and of fleet reports.  With
 * --output a regular FILE is replaced atomically, so a collector never
 * reads half a snapshot (outfile.c: devices and FIFOs are written to).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "model.h"
#include "orphanopts.h"
#include "orphanrun.h"
#include "outfile.h"
#include "snapshot.h"
#include "snapwrite.h"

static const struct cli_opt cmd_snapshot_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/*
 * ,"orphans": {...}: the counts and each orphan with its reasons,
 * streamed in the layout of the rest of the document (jansson's
 * JSON_INDENT(2)): 32,000 orphans as one tree took 30 MiB.  Type names
 * and reason codes are fixed identifiers that need no escaping.  The
 * POSIX counts and suspects let 'report' show them per host.
 */
/* What the orphaned POSIX shm files of R hold of /dev/shm. */
static uint64_t
orphaned_pshm_bytes(const struct orphan_result *r)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->nitems; i++)
		if (r->items[i].verdict == OV_ORPHANED &&
		    r->items[i].type == IPC_PSHM)
			n += r->items[i].obj.pshm.f.alloc_bytes;
	return n;
}

/* The POSIX counts of R: orphaned, suspect, and the shm files' bytes. */
static void
posix_counts(FILE *fp, const struct orphan_result *r)
{
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		fprintf(fp, "\n    \"%s\": %zu,", ipctype_table[t].json_key,
		    r->norphans[t]);
	/* POSIX objects younger than the grace age wait as suspects */
	fputs("\n    \"suspect\": {", fp);
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++)
		fprintf(fp, "%s\n      \"%s\": %zu", t > IPC_NSYSV ? "," : "",
		    ipctype_table[t].json_key, r->nsuspect[t]);
	fprintf(fp, "\n    },\n    \"pshm_bytes\": %" PRIu64 ",",
	    orphaned_pshm_bytes(r));
}

struct orphans_ctx {
	const struct orphan_result *r;
	const struct kstate *ks;
};

static void
orphans_member(FILE *fp, const void *ctx)
{
	const struct orphans_ctx *c = ctx;
	const struct orphan_result *r = c->r;
	const char *sep = "\n";

	fputs(",\n  \"orphans\": {", fp);
	for (int t = 0; t < IPC_NSYSV; t++)
		fprintf(fp, "\n    \"%s\": %zu,", ipctype_table[t].json_key,
		    r->norphans[t]);
	/* POSIX objects not read (a fixture tree) were not judged either */
	if (c->ks->has_pshm || c->ks->has_psem || c->ks->has_pmq)
		posix_counts(fp, r);
	fprintf(fp, "\n    \"unknown\": %zu,\n    \"objects\": [",
	    r->nunknown);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct orphan_item *it = &r->items[i];
		const char *rsep = "\n";
		int nr = 0;

		if (it->verdict != OV_ORPHANED)
			continue;
		fprintf(fp, "%s      {\n        \"type\": \"%s\",\n"
		    "        \"id\": %d,\n        \"reasons\": [", sep,
		    ipctype_table[it->type].name, orphan_item_id(it));
		sep = ",\n";
		for (int k = 0; k < ORS_COUNT; k++) {
			if (!(it->reasons & (1u << k)))
				continue;
			fprintf(fp, "%s          \"%s\"", rsep,
			    orphan_reason_table[k].code);
			rsep = ",\n";
			nr++;
		}
		fputs(nr > 0 ? "\n        ]\n      }" : "]\n      }", fp);
	}
	fputs(sep[0] == ',' ? "\n    ]\n  }" : "]\n  }", fp);
}

static int
cmd_snapshot(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct orphan_filter f;
	struct orphanrun_opts o;
	struct orphanrun run;
	struct orphans_ctx oc;
	struct kstate *ks;
	struct model m;
	bool done;
	int idx, status;

	status = cli_parse(self, argc, argv, g, NULL, NULL, &idx, &done);
	if (status != 0 || done)
		return status;
	/* the state, read once, and the orphans judged on it */
	orphan_filter_init(&f);
	/* the document names the orphans; the evidence is 'orphans'' */
	f.orphaned_only = true;
	status = orphanopts_load(g, &f, &o, &run);
	if (status != 0)
		return status;
	ks = &run.ks;
	/* the POSIX objects too, which the judge does not need */
	status = cli_load_objects(g, KS_POSIX_OBJECTS, ks);
	if (status != 0) {
		orphanrun_release(&run);
		return status;
	}
	model_build(ks, &m);
	oc.r = &run.r;
	oc.ks = ks;
	if (g->output == NULL) {
		status = snapshot_write_with(stdout, ks, &m, orphans_member,
		    &oc, &g->view) == 0 ? EXIT_OK : EXIT_FAIL;
	} else {
		char *buf = NULL, err[1024];
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);

		status = EXIT_FAIL;
		if (mem == NULL) {
			cli_err("cannot buffer the snapshot: out of memory");
		} else if (snapshot_write_with(mem, ks, &m, orphans_member,
		    &oc, &g->view) < 0 || fclose(mem) != 0) {
			cli_err("cannot buffer the snapshot");
		} else if (outfile_write(g->output, buf, len, 0644, err,
		    sizeof(err)) < 0) {
			cli_err("%s", err);
		} else {
			status = EXIT_OK;
		}
		free(buf);
	}
	model_release(&m);
	orphanrun_release(&run);
	return status;
}

const struct command cmd_snapshot_entry = {
	.name = "snapshot", .fn = cmd_snapshot,
	.summary = "the whole state as one JSON document",
	.opts = cmd_snapshot_opts, .flags = CMD_FORMATS_JSON | CMD_NS |
	    CMD_OUTPUT
};
