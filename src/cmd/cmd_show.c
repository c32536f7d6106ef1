/*
 * cmd_show.c: 'ipctune show shm|sem|msg ID', one System V object in
 * detail: every field, and from the live kernel its attachers, its
 * semaphores' values and the processes blocked on it.  Option parsing
 * and glue only: showload.c reads, view_show.c draws.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "numparse.h"
#include "showload.h"
#include "view_show.h"

static const struct cli_opt cmd_show_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/* The type word and the id of ARGV[IDX..]; 0 or a usage error. */
static int
show_args(const struct command *self, int argc, char **argv, int idx,
    enum ipc_type *type, int *id)
{
	uint64_t v;

	if (idx >= argc)
		return cli_usage_error(self, "an object type is needed (use "
		    IPCTYPE_SYSV_NAMES(", ", " or ") ")");
	if (ipctype_lookup(argv[idx], type) < 0 || IPC_TYPE_IS_POSIX(*type))
		return cli_usage_error(self, "unknown object type '%s' "
		    "(use " IPCTYPE_SYSV_NAMES(", ", " or ") ")", argv[idx]);
	if (idx + 1 >= argc)
		return cli_usage_error(self, "an object id is needed after "
		    "'%s' (see 'ipctune list %s')", argv[idx], argv[idx]);
	/* ipc ids are non-negative ints (ipc_buildid()) */
	if (num_parse_u64(argv[idx + 1], 0, 0x7fffffff, &v) < 0)
		return cli_usage_error(self, "bad object id '%s' (a number "
		    "from 0 to 2147483647)", argv[idx + 1]);
	if (idx + 2 < argc)
		return cli_usage_error(self, "unexpected argument '%s'",
		    argv[idx + 2]);
	*id = (int)v;
	return 0;
}

/*
 * A negative id after a type word ('show shm -1') reads to getopt as an
 * unknown option; name it as the bad id it is.  0 or a usage error.
 */
static int
show_negative_id(const struct command *self, int argc, char **argv)
{
	enum ipc_type t;

	for (int i = 2; i < argc && strcmp(argv[i - 1], "--") != 0; i++)
		if (argv[i][0] == '-' && argv[i][1] >= '0' &&
		    argv[i][1] <= '9' &&
		    ipctype_lookup(argv[i - 1], &t) == 0 &&
		    !IPC_TYPE_IS_POSIX(t))
			return cli_usage_error(self, "bad object id '%s' (a "
			    "number from 0 to 2147483647)", argv[i]);
	return 0;
}

static int
cmd_show(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct loadstate_opts o;
	char err[1024] = "", warn[1024] = "";
	struct objdetail d;
	struct kstate ks;
	enum ipc_type type = IPC_SHM;
	bool done;
	int idx, id = 0, status;

	status = show_negative_id(self, argc, argv);
	if (status == 0)
		status = cli_parse(self, argc, argv, g, NULL, NULL, &idx,
		    &done);
	if (status != 0 || done)
		return status;
	status = show_args(self, argc, argv, idx, &type, &id);
	if (status != 0)
		return status;
	/* the field table is a list of every field, not a choice */
	if (g->columns != NULL)
		return cli_usage_error(self, "'show' does not take -o: it "
		    "prints every field (use --format json to pick some)");
	cli_loadstate_opts(g, &o);
	kstate_init(&ks);
	if (showload_read(&o, type, id, &ks, &d, err, sizeof(err), warn,
	    sizeof(warn)) < 0) {
		status = cli_fail(g, err);
		objdetail_release(&d);
		kstate_release(&ks);
		return status;
	}
	if (warn[0] != '\0')
		cli_warn(g, "%s", warn);
	if (d.waiters_partial)
		cli_warn(g, "some processes could not be inspected, so a "
		    "process waiting on the %s may be missing%s",
		    ipctype_table[type].short_singular, geteuid() == 0 ? "" :
		    " (run as root)");
	if (!d.live)
		cli_warn(g, "a snapshot holds the object's fields only: its "
		    "attachers, waiters and semaphore values are not shown");
	if (g->format == FMT_JSON)
		status = render_json_print(view_show_json(&d, &ks,
		    &g->view)) == 0 ? EXIT_OK : EXIT_FAIL;
	else
		status = view_show_table(&d, &g->view) == 0 ? EXIT_OK :
		    EXIT_FAIL;
	objdetail_release(&d);
	kstate_release(&ks);
	return status;
}

const struct command cmd_show_entry = {
	.name = "show", .fn = cmd_show,
	.args = IPCTYPE_SYSV_NAMES("|", "|") " ID",
	.summary = "one object in detail: fields, semaphores, attachers, "
	    "waiters",
	.opts = cmd_show_opts, .flags = READS | CMD_OPERANDS,
	.operands = IPCTYPE_SYSV_NAMES(" ", " ")
};
