/*
 * cmd_snapshot.c: 'ipctune snapshot', the whole state as one JSON
 * document: host facts, raw sysctls, usage, resources, findings and every
 * object.  It is the input of --from and of fleet reports.
 */
#include <stdio.h>

#include "commands.h"
#include "model.h"
#include "snapshot.h"

const struct cli_opt cmd_snapshot_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

const struct column_set cmd_snapshot_columns[] = {
	{ NULL, 0 },
};

int
cmd_snapshot(int argc, char **argv, struct globals *g)
{
	const struct command *cmd = cli_find("snapshot");
	struct kstate ks;
	struct model m;
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
	status = snapshot_write(stdout, &ks, &m) == 0 ? EXIT_OK : EXIT_FAIL;
	model_release(&m);
	kstate_release(&ks);
	return status;
}
