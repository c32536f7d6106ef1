/*
 * cmd_record.c: 'ipctune record', append one usage sample (time, and per
 * resource the usage and its limit) to the history in the state
 * directory, then keep the history bounded.  Option parsing and glue
 * only: history.c formats, histfile.c writes.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "histfile.h"
#include "model.h"
#include "numparse.h"
#include "render.h"
#include "statedir.h"

/* Read objects for the "largest" rows up to this many of a type. */
#define RECORD_SCAN_MAX 4096

enum { O_HISTORY = 1, O_KEEP, O_COMPACT_AFTER, O_COMPACT, O_AT };

static const struct cli_opt cmd_record_opts[] = {
	{ "history", 0, required_argument, "FILE",
	    "the history file (default: STATEDIR/history.jsonl)", O_HISTORY,
	    "files" },
	{ "keep", 0, required_argument, "DURATION",
	    "drop samples older than DURATION (default 400d)", O_KEEP, NULL },
	{ "compact-after", 0, required_argument, "DURATION",
	    "one sample per hour beyond this age (default 30d, at most "
	    "--keep)",
	    O_COMPACT_AFTER, NULL },
	{ "compact", 0, no_argument, NULL,
	    "apply retention and compaction now (else once a day)",
	    O_COMPACT, NULL },
	{ "at", 0, required_argument, "EPOCH",
	    "record the sample as taken at EPOCH seconds (tests, imports)",
	    O_AT, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

struct record_opts {
	const char *history;
	uint64_t keep_s, compact_s;
	bool compact;
	bool compact_set;	/* --compact-after given */
	bool at_set;
	int64_t at;
};

static int
record_opt(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct record_opts *o = ctx;
	const struct command *cmd = self;

	switch (id) {
	case O_HISTORY:
		if (*arg == '\0')
			return cli_usage_error(cmd, "empty --history");
		o->history = arg;
		break;
	case O_KEEP:
	case O_COMPACT_AFTER:
		if (num_parse_duration(arg, id == O_KEEP ? &o->keep_s :
		    &o->compact_s) < 0 || (id == O_KEEP ? o->keep_s :
		    o->compact_s) > 100ull * 366 * 86400)
			return cli_usage_error(cmd, "invalid duration '%s' "
			    "(e.g. 400d, 12w, 36h)", arg);
		if (id == O_COMPACT_AFTER)
			o->compact_set = true;
		break;
	case O_COMPACT:
		o->compact = true;
		break;
	case O_AT:
		if (num_parse_i64(arg, 0, 253402300799ll, &o->at) < 0)
			return cli_usage_error(cmd, "invalid time '%s' "
			    "(seconds since the epoch)", arg);
		o->at_set = true;
		break;
	}
	return 0;
}


/*
 * The history path: --history FILE, or history.jsonl in the state
 * directory, which is created when CREATE.  0 or an exit status.
 */
static int
history_path(const char *opt, bool create, char *buf, size_t len)
{
	char err[4200];

	if (opt != NULL) {
		if ((size_t)snprintf(buf, len, "%s", opt) >= len) {
			cli_err("history path '%s' is too long", opt);
			return EXIT_USAGE;
		}
		return 0;
	}
	if (statedir_file(statedir_getenv, geteuid(), HISTFILE_NAME, create, buf,
	    len, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		return EXIT_FAIL;
	}
	return 0;
}

/* The sample of one model: usage against the limit that bounds it. */
static void
make_sample(const struct kstate *ks, const struct model *m, int64_t t,
    struct hist_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->ns_inode = ks->host.ipc_ns_inode;
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &m->res[i];

		if (!r->has_used)
			continue;
		s->has_used |= 1u << i;
		s->used[i] = r->used;
		/* msgmnb: the fullest queue is bounded by its own qbytes */
		if (r->has_object_limit)
			history_set_limit(s, i, r->object_limit, false, 0);
		else if (r->has_limit)
			/* a negative kernel.sem field as held, like status */
			history_set_limit(s, i, r->limit, r->limit_signed,
			    r->limit_held);
	}
}

static int
cmd_record(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct record_opts o = { NULL, 400 * 86400, 30 * 86400, false, false,
	    false, 0 };
	struct histfile_policy pol;
	struct histfile_report rep;
	struct hist_sample s;
	struct kstate ks;
	struct model m;
	char path[4096], err[8192];
	unsigned want = 0;
	bool done;
	int idx, status;

	status = cli_parse(self, argc, argv, g, record_opt, &o, &idx, &done);
	if (status != 0 || done)
		return status;
	if (o.keep_s < 86400)
		return cli_usage_error(self, "--keep must be at least 1d");
	/* the default compaction age gives way to a shorter --keep */
	if (!o.compact_set && o.compact_s > o.keep_s)
		o.compact_s = o.keep_s;
	if (o.compact_s > o.keep_s)
		return cli_usage_error(self, "--compact-after must not exceed "
		    "--keep");
	status = history_path(o.history, o.history == NULL, path,
	    sizeof(path));
	if (status != 0)
		return status;
	/*
	 * Counters give the totals; the objects give the "largest" rows
	 * (shmmax, semmsl, msgmnb), read only while that is cheap: beyond
	 * RECORD_SCAN_MAX objects of a type the row is left out.
	 */
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
	if (status != 0)
		return status;
	if (ks.usage.shm_segments > 0 &&
	    ks.usage.shm_segments <= RECORD_SCAN_MAX)
		want |= KS_SHM;
	if (ks.usage.sem_arrays > 0 && ks.usage.sem_arrays <= RECORD_SCAN_MAX)
		want |= KS_SEM;
	if (ks.usage.msg_bytes > 0 && ks.usage.msg_queues <= RECORD_SCAN_MAX)
		want |= KS_MSG;
	status = cli_load_objects(g, want, &ks);
	if (status != 0) {
		kstate_release(&ks);
		return status;
	}
	model_build(&ks, &m);
	make_sample(&ks, &m, o.at_set ? o.at : ks.read_at ? ks.read_at :
	    (int64_t)time(NULL), &s);
	model_release(&m);
	kstate_release(&ks);
	pol.now = s.t;
	pol.keep_s = (int64_t)o.keep_s;
	pol.compact_s = (int64_t)o.compact_s;
	pol.force = o.compact;
	if (histfile_append(path, &s, &pol, &rep, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		return EXIT_FAIL;
	}
	if (rep.repaired)
		cli_warn(g, "history '%s' ended with an incomplete line (an "
		    "interrupted write); it is skipped, and this sample "
		    "starts a new line", path);
	if (rep.rewritten && !g->quiet)
		render_printf("history '%s': %zu samples, %zu after retention "
		    "and "
		    "compaction%s\n", path, rep.before, rep.after,
		    rep.dropped_bad ? ", unreadable lines dropped" : "");
	return EXIT_OK;
}

const struct command cmd_record_entry = {
	.name = "record", .fn = cmd_record,
	.summary = "append one usage sample to the history",
	.opts = cmd_record_opts, .flags = CMD_FROM | CMD_NS
};
