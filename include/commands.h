/*
 * commands.h: the command entry points and their option tables, one pair
 * per src/cmd_<name>.c.  main.c puts them into the command table.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

#include "cli.h"

#define CMD_DECL(n) \
	int cmd_##n(int argc, char **argv, struct globals *g); \
	extern const struct cli_opt cmd_##n##_opts[]; \
	extern const struct column_set cmd_##n##_columns[]

CMD_DECL(status);
CMD_DECL(list);
CMD_DECL(owners);
CMD_DECL(snapshot);
CMD_DECL(facts);
CMD_DECL(report);
CMD_DECL(complete);
CMD_DECL(fit);
CMD_DECL(check);
CMD_DECL(orphans);
CMD_DECL(clean);
CMD_DECL(profiles);
CMD_DECL(recommend);
CMD_DECL(plan);
CMD_DECL(apply);
CMD_DECL(verify);
CMD_DECL(rollback);
CMD_DECL(record);
CMD_DECL(forecast);

#undef CMD_DECL

#endif
