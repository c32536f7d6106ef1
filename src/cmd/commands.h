/*
 * commands.h: the command descriptors, one per src/cmd_<name>.c, each
 * exported by its own file (as tmux's cmd-*.c do).  main.c lists them
 * in the command table.  To add a command: write src/cmd_<name>.c with its
 * option table, entry function and descriptor, declare the descriptor
 * here and add it to the table in main.c.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

#include "cli.h"

/* The flags of a command that reads the state (live or --from). */
#define READS (CMD_FORMATS_JSON | CMD_FROM | CMD_NS)

extern const struct command cmd_status_entry;
extern const struct command cmd_list_entry;
extern const struct command cmd_show_entry;
extern const struct command cmd_owners_entry;
extern const struct command cmd_snapshot_entry;
extern const struct command cmd_facts_entry;
extern const struct command cmd_report_entry;
extern const struct command cmd_complete_entry;
extern const struct command cmd_fit_entry;
extern const struct command cmd_check_entry;
extern const struct command cmd_orphans_entry;
extern const struct command cmd_clean_entry;
extern const struct command cmd_profiles_entry;
extern const struct command cmd_recommend_entry;
extern const struct command cmd_plan_entry;
extern const struct command cmd_apply_entry;
extern const struct command cmd_verify_entry;
extern const struct command cmd_rollback_entry;
extern const struct command cmd_record_entry;
extern const struct command cmd_forecast_entry;
extern const struct command cmd_namespaces_entry;
extern const struct command cmd_watch_entry;
extern const struct command cmd_explain_entry;

#endif
