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
	{ .name = "status", .fn = cmd_status,
	    .summary = "limits, usage and headroom of every IPC resource",
	    .opts = cmd_status_opts,
	    .flags = READS | CMD_PROMETHEUS | CMD_OUTPUT,
	    .colsets = cmd_status_columns },
	{ .name = "list", .fn = cmd_list, .args = "[shm|sem|msg]",
	    .summary = "the IPC objects, one row each",
	    .opts = cmd_list_opts, .flags = READS | CMD_OPERANDS,
	    .operands = "shm sem msg", .colsets = cmd_list_columns },
	{ .name = "owners", .fn = cmd_owners,
	    .summary = "usage summed per owning user",
	    .opts = cmd_owners_opts, .flags = READS,
	    .colsets = cmd_owners_columns },
	{ .name = "snapshot", .fn = cmd_snapshot,
	    .summary = "the whole state as one JSON document",
	    .opts = cmd_snapshot_opts, .flags = CMD_FORMATS_JSON | CMD_NS |
	    CMD_OUTPUT },
	{ .name = "fit", .fn = cmd_fit,
	    .args = "[--shm-size SIZE [--shm-count N]] [--sem-arrays N "
	    "--sems-per-array M] [--semop-ops K] [--queues N] "
	    "[--msg-size SIZE] [--key KEY [--flags FLAGS] [--uid USER] "
	    "[--gid GROUP]]",
	    .summary = "would an allocation succeed now? if not: which errno "
	    "and which limit",
	    .opts = cmd_fit_opts, .flags = READS,
	    .colsets = cmd_fit_columns },
	{ .name = "record", .fn = cmd_record,
	    .summary = "append one usage sample to the history",
	    .opts = cmd_record_opts, .flags = CMD_FROM | CMD_NS },
	{ .name = "forecast", .fn = cmd_forecast,
	    .summary = "projected exhaustion per resource from the history",
	    .opts = cmd_forecast_opts, .flags = CMD_FORMATS_JSON,
	    .colsets = cmd_forecast_columns },
	{ .name = "check", .fn = cmd_check,
	    .args = "[-w RANGE] [-c RANGE] [--resource NAME...] "
	    "[--forecast-days DAYS]",
	    .summary = "monitoring-plugin mode (exit 0/1/2/3, perfdata)",
	    .opts = cmd_check_opts, .flags = CMD_FROM | CMD_NS | CMD_OPERANDS,
	    .colsets = cmd_check_columns },
	{ .name = "orphans", .fn = cmd_orphans,
	    .summary = "leaked IPC objects, each with its reasons and evidence",
	    .opts = cmd_orphans_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	    .colsets = cmd_orphans_columns },
	{ .name = "clean", .fn = cmd_clean,
	    .summary = "remove orphaned IPC objects (a dry run unless --yes)",
	    .opts = cmd_clean_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	    .colsets = cmd_clean_columns },
	{ .name = "profiles", .fn = cmd_profiles, .args = "[show NAME]",
	    .summary = "the workload profiles, or one resolved with its "
	    "arithmetic", .opts = cmd_profiles_opts,
	    .flags = READS | CMD_OPERANDS,
	    .operands = "show", .colsets = cmd_profiles_columns },
	{ .name = "recommend", .fn = cmd_recommend,
	    .args = "-p NAME [-p NAME...]",
	    .summary = "recommended values next to the current ones",
	    .opts = cmd_recommend_opts, .flags = READS,
	    .colsets = cmd_recommend_columns },
	{ .name = "plan", .fn = cmd_plan, .args = "-p NAME -n K",
	    .summary = "capacity what-if: K more instances of a workload",
	    .opts = cmd_plan_opts, .flags = READS,
	    .colsets = cmd_plan_columns },
	{ .name = "apply", .fn = cmd_apply, .args = "-p NAME [-p NAME...] | --from-plan FILE",
	    .summary = "write the values: runtime (/proc/sys) and sysctl.d",
	    .opts = cmd_apply_opts, .flags = CMD_FORMATS_JSON,
	    .colsets = cmd_apply_columns },
	{ .name = "verify", .fn = cmd_verify, .args = "[-p NAME...]",
	    .summary = "drift between profile, running kernel and next boot",
	    .opts = cmd_verify_opts, .flags = CMD_FORMATS_JSON,
	    .colsets = cmd_verify_columns },
	{ .name = "rollback", .fn = cmd_rollback,
	    .summary = "undo the last apply (runtime values and drop-in)",
	    .opts = cmd_rollback_opts, .flags = CMD_FORMATS_JSON,
	    .colsets = cmd_rollback_columns },
	{ .name = "report", .fn = cmd_report, .args = "FILE...|DIR...",
	    .summary = "fleet summary over many snapshots",
	    .opts = cmd_report_opts,
	    .flags = CMD_FORMATS_JSON | CMD_CSV | CMD_OPERANDS,
	    .colsets = cmd_report_columns },
	{ .name = "facts", .fn = cmd_facts,
	    .summary = "a flat JSON object for Ansible and Facter facts",
	    .opts = cmd_facts_opts, .flags = READS },
	{ .name = "__complete", .fn = cmd_complete,
	    .args = "WHAT [COMMAND [WORD]]",
	    .summary = "completion candidates for the shell scripts",
	    .opts = cmd_complete_opts, .flags = CMD_HIDDEN | CMD_OPERANDS },
	{ .name = NULL },
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
