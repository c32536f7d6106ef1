/*
 * cmd_snapshot.c: 'ipctune snapshot', the whole state as one JSON
 * document: host facts, raw sysctls, usage, resources, findings and every
 * object.  It is the input of --from and of fleet reports.
 */
#include <stdio.h>

#include "commands.h"
#include "model.h"
#include "render.h"
#include "snapshot.h"

const struct cli_opt cmd_snapshot_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

struct snap_ctx {
	const struct kstate *ks;
};

static void
stream_objects(FILE *fp, void *ctx)
{
	struct snap_ctx *c = ctx;

	fputs(",\n  \"objects\": {", fp);
	snapshot_stream_objects(fp, c->ks, OBJ_ALL, false);
	fputs("\n  }", fp);
}

int
cmd_snapshot(int argc, char **argv, struct globals *g)
{
	const struct command *cmd = cli_find("snapshot");
	struct snap_ctx c;
	struct kstate ks;
	struct model m;
	json_t *root;
	bool done;
	int idx, status;

	status = cli_parse(cmd, argc, argv, g, NULL, NULL, &idx, &done);
	if (status != 0 || done)
		return status;
	if (idx < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'",
		    argv[idx]);
	status = cli_load_state(g, KS_ALL, &ks);
	if (status != 0)
		return status;
	model_build(&ks, &m);
	root = render_envelope("snapshot", &ks);
	json_object_set_new(root, "host", snapshot_host_json(&ks));
	json_object_set_new(root, "sysctls", snapshot_sysctls_json(&ks));
	json_object_set_new(root, "usage", snapshot_usage_json(&ks));
	json_object_set_new(root, "resources", snapshot_resources_json(&m));
	json_object_set_new(root, "findings", snapshot_findings_json(&m));
	c.ks = &ks;
	status = render_json_print_streamed(root, stream_objects, &c) == 0 ?
	    EXIT_OK : EXIT_FAIL;
	model_release(&m);
	kstate_release(&ks);
	return status;
}
