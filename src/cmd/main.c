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

const struct command *const commands[] = {
	&cmd_status_entry,
	&cmd_namespaces_entry,
	&cmd_list_entry,
	&cmd_show_entry,
	&cmd_owners_entry,
	&cmd_snapshot_entry,
	&cmd_fit_entry,
	&cmd_record_entry,
	&cmd_forecast_entry,
	&cmd_check_entry,
	&cmd_orphans_entry,
	&cmd_clean_entry,
	&cmd_profiles_entry,
	&cmd_recommend_entry,
	&cmd_plan_entry,
	&cmd_apply_entry,
	&cmd_verify_entry,
	&cmd_rollback_entry,
	&cmd_report_entry,
	&cmd_facts_entry,
	&cmd_watch_entry,
	&cmd_explain_entry,
	&cmd_complete_entry,
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

int
main(int argc, char **argv)
{
	struct globals g;
	const struct command *cmd;
	bool done;
	int idx, status;

	/* text output is locale-independent */
	setlocale(LC_ALL, "C");
	/*
	 * but valid UTF-8 is text (textesc.h): libsmartcols prints it, and
	 * measures its display width, only under a UTF-8 LC_CTYPE; in C it
	 * would escape every byte above 0x7f.  Numbers stay LC_NUMERIC=C.
	 */
	setlocale(LC_CTYPE, "C.UTF-8");
	signal(SIGPIPE, SIG_IGN);
	memset(&g, 0, sizeof(g));
	status = cli_parse(NULL, argc, argv, &g, NULL, NULL, &idx, &done);
	if (status != 0 || done)
		return cli_finish_stdout(status);
	if (idx >= argc) {
		/* no command: status */
		char *def[] = { (char *)"status", NULL };

		return cli_finish_stdout(cmd_status_entry.fn(&cmd_status_entry,
		    1, def, &g));
	}
	cmd = cli_find(argv[idx]);
	if (cmd == NULL) {
		cli_err("unknown command '%s'", argv[idx]);
		fprintf(stderr, "Try 'ipctune -h' for the list of commands.\n");
		return EXIT_USAGE;
	}
	status = cmd->fn(cmd, argc - idx, argv + idx, &g);
	return cli_finish_stdout(status);
}
