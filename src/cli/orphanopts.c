/*
 * orphanopts.c: the filter options of 'orphans' and 'clean' parsed into
 * an orphan filter, and the options of an orphan run taken from the
 * global ones.  CLI layer: usage errors are reported here; nothing is
 * read or judged.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "idname.h"
#include "numparse.h"
#include "orphanopts.h"

/* USER as a name or a uid into *UID; 0 or the usage error's status. */
static int
parse_user(struct orphans_args *a, const char *arg, uid_t *uid)
{
	if (idname_parse_user(arg, uid) < 0)
		return cli_usage_error(a->cmd, "unknown user '%s'", arg);
	return 0;
}

/*
 * AGE as seconds into *S; 0 or the usage error's status.  At most
 * INT64_MAX: the JSON documents give it as a signed 64-bit integer, and
 * ages are compared with differences of 64-bit times.
 */
static int
parse_age(struct orphans_args *a, const char *arg, uint64_t *s)
{
	if (num_parse_duration(arg, s) < 0 || *s > (uint64_t)INT64_MAX)
		return cli_usage_error(a->cmd, "invalid age '%s' (use "
		    "a number with s, m, h, d or w)", arg);
	return 0;
}

int
orphanopts_filter(struct orphans_args *a, int id, const char *arg)
{
	enum ipc_type t;
	uint32_t key;
	uint64_t v;
	int status;

	switch (id) {
	case OO_TYPE:
		if (!a->types_set)
			a->f.types = 0;
		a->types_set = true;
		if (ipctype_lookup(arg, &t) < 0)
			return cli_usage_error(a->cmd, "unknown object type "
			    "'%s' (use " IPCTYPE_NAMES(", ", " or ") ")", arg);
		a->f.types |= IPC_TYPE_BIT(t);
		break;
	case OO_OWNER:
		if ((status = parse_user(a, arg, &a->f.owner)) != 0)
			return status;
		a->f.has_owner = true;
		break;
	case OO_CREATOR:
		if ((status = parse_user(a, arg, &a->f.creator)) != 0)
			return status;
		a->f.has_creator = true;
		break;
	case OO_OLDER_THAN:
		if ((status = parse_age(a, arg, &a->f.older_than_s)) != 0)
			return status;
		a->f.has_older_than = true;
		break;
	case OO_MIN_AGE:
		return parse_age(a, arg, &a->f.min_age_s);
	case OO_ID:
		if (num_parse_u64(arg, 0, INT32_MAX, &v) < 0)
			return cli_usage_error(a->cmd, "invalid id '%s'", arg);
		/* the filters are ANDed: two ids would match nothing */
		if (a->f.has_id && a->f.id != (int)v)
			return cli_usage_error(a->cmd, "--id given twice (%d "
			    "and '%s'): an object has one id", a->f.id, arg);
		a->f.has_id = true;
		a->f.id = (int)v;
		break;
	case OO_KEY:
		if (num_parse_key(arg, &key) < 0)
			return cli_usage_error(a->cmd, "invalid key '%s' (use "
			    "0x followed by hex digits, or a decimal)", arg);
		if (a->f.has_key && a->f.key != key)
			return cli_usage_error(a->cmd, "--key given twice "
			    "(0x%08" PRIx32 " and '%s'): an object has one key",
			    a->f.key, arg);
		a->f.has_key = true;
		a->f.key = key;
		break;
	default:
		return 0;
	}
	a->filtered = true;
	return 0;
}

int
orphanopts_types_check(const struct orphans_args *a, unsigned types)
{
	/* ipctune.h: a POSIX object's perm.id is -1 and it has no key */
	if ((a->f.has_id || a->f.has_key) && types != 0 &&
	    (types & IPC_TYPES_SYSV) == 0)
		return cli_usage_error(a->cmd, "POSIX objects have no id or "
		    "key: --id and --key match System V objects only ("
		    IPCTYPE_SYSV_NAMES(", ", " or ") ")");
	return 0;
}

/* A warning of the run, on stderr unless -q. */
static void
warn_sink(void *ctx, const char *msg)
{
	cli_warn(ctx, "%s", msg);
}

void
orphanopts_run(struct globals *g, struct orphanrun_opts *o)
{
	memset(o, 0, sizeof(*o));
	cli_loadstate_opts(g, &o->src);
	o->warn = warn_sink;
	o->warn_ctx = g;
}

void
orphanopts_judge(struct globals *g, const struct orphan_filter *f,
    bool attachers, struct orphanrun *run)
{
	struct orphanrun_opts o;

	orphanopts_run(g, &o);
	orphanrun_judge(&o, f, attachers, run);
}

int
orphanopts_load(struct globals *g, const struct orphan_filter *f,
    struct orphanrun_opts *o, struct orphanrun *run)
{
	char err[1024] = "";

	orphanopts_run(g, o);
	if (orphanrun_load(o, f, run, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	return 0;
}
