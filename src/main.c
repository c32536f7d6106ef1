/*
 * main.c: the command table and the dispatcher.  Global options may come
 * before the command; the command is matched exactly (nothing reaches a
 * writing command by a prefix); each command returns its exit status.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

#define READS (CMD_FORMATS_JSON | CMD_FROM | CMD_NS)

const struct command commands[] = {
	{ "status", cmd_status, "",
	    "limits, usage and headroom of every IPC resource",
	    cmd_status_opts, READS },
	{ "list", cmd_list, "[shm|sem|msg]",
	    "the IPC objects, one row each", cmd_list_opts, READS },
	{ "owners", cmd_owners, "",
	    "usage summed per owning user", cmd_owners_opts, READS },
	{ "snapshot", cmd_snapshot, "",
	    "the whole state as one JSON document", cmd_snapshot_opts,
	    CMD_FORMATS_JSON | CMD_NS },
	{ "record", cmd_record, "",
	    "append one usage sample to the history", cmd_record_opts,
	    CMD_FROM | CMD_NS },
	{ "forecast", cmd_forecast, "",
	    "projected exhaustion per resource from the history",
	    cmd_forecast_opts, CMD_FORMATS_JSON },
	{ "__complete", cmd_complete, "WHAT [WORD]",
	    "completion candidates for the shell scripts", cmd_complete_opts,
	    CMD_HIDDEN },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};

int
main(int argc, char **argv)
{
	struct globals g;
	const struct command *cmd;
	bool done;
	int idx, status;

	/* text output is locale-independent */
	setlocale(LC_ALL, "C");
	signal(SIGPIPE, SIG_IGN);
	memset(&g, 0, sizeof(g));
	status = cli_parse(NULL, argc, argv, &g, NULL, NULL, &idx, &done);
	if (status != 0 || done)
		return cli_finish_stdout(status);
	if (idx >= argc) {
		/* no command: status */
		char *def[] = { (char *)"status", NULL };

		return cli_finish_stdout(cmd_status(1, def, &g));
	}
	cmd = cli_find(argv[idx]);
	if (cmd == NULL) {
		cli_err("unknown command '%s'", argv[idx]);
		fprintf(stderr, "Try 'ipctune -h' for the list of commands.\n");
		return EXIT_USAGE;
	}
	status = cmd->fn(argc - idx, argv + idx, &g);
	return cli_finish_stdout(status);
}
