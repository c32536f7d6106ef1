#include "commands.h"
const struct cli_opt cmd_forecast_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};
int
cmd_forecast(int argc, char **argv, struct globals *g)
{
	(void)argc; (void)argv; (void)g;
	return 1;
}
