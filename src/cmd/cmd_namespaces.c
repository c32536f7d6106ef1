/*
 * cmd_namespaces.c: 'ipctune namespaces', every IPC namespace on the
 * host with its container or unit, its tightest resource, whether its
 * limits differ from the host's and its /dev/shm.  Option parsing and
 * glue: nsfind.c scans and judges, view_namespaces.c draws.
 */
#include <stdlib.h>

#include "commands.h"
#include "nsfind.h"
#include "view_namespaces.h"

enum { O_ALL = 1 };

static const struct cli_opt cmd_namespaces_opts[] = {
	{ "all", 'a', no_argument, NULL, "show idle namespaces and those "
	    "whose processes exited during the scan", O_ALL, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

static const struct column_set cmd_namespaces_columns[] = {
	{ view_ns_cols, VIEW_NS_NCOLS },
	{ NULL, 0 },
};

static int
namespaces_opt(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct view_ns_opts *o = ctx;

	(void)self;
	(void)arg;
	if (id == O_ALL)
		o->all = true;
	return 0;
}

static int
cmd_namespaces(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct view_ns_opts o = { 0 };
	struct nsfind f;
	char err[1024];
	bool done;
	int idx, status;

	status = cli_parse(self, argc, argv, g, namespaces_opt, &o, &idx,
	    &done);
	if (status != 0 || done)
		return status;
	if (nsfind_load(&f, NSSCAN_STATE | NSSCAN_SHM,
	    getenv("IPCTUNE_CONTAINER_STORAGE"), err, sizeof(err)) < 0)
		return cli_fail(g, err);
	o.nprocs = f.scan.nprocs;
	o.nvanished = f.scan.nvanished;
	o.nunreadable = f.scan.nunreadable;
	if (f.scan.nunreadable > 0)
		cli_warn(g, "%zu process%s could not be inspected: their "
		    "namespaces may be missing (run as root)",
		    f.scan.nunreadable, f.scan.nunreadable == 1 ? "" : "es");
	o.host_ino = f.scan.init_ino;
	status = EXIT_OK;
	if (view_namespaces(&f.report, &o, &g->view, err, sizeof(err)) < 0)
		status = cli_usage_error(self, "%s", err);
	nsfind_release(&f);
	return status;
}

const struct command cmd_namespaces_entry = {
	.name = "namespaces", .fn = cmd_namespaces,
	.summary = "every IPC namespace on the host, with its container",
	.opts = cmd_namespaces_opts, .flags = CMD_FORMATS_JSON,
	.colsets = cmd_namespaces_columns
};
