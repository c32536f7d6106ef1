/*
 * cmd_check.c: 'ipctune check', the monitoring-plugin mode (Nagios,
 * Icinga, Naemon): one status line with perfdata and exit 0/1/2/3.  It
 * does not use the usual exit table: every failure here, bad options
 * included, is UNKNOWN (3).  Option parsing and glue only.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_check.h"
#include "cmd_orphans.h"
#include "commands.h"
#include "forecast.h"
#include "histfile.h"
#include "monplugin.h"
#include "numparse.h"
#include "render.h"
#include "snapshot.h"
#include "statedir.h"

enum { O_WARNING = 1, O_CRITICAL, O_RESOURCE, O_FORECAST_DAYS,
    O_NO_ORPHANS, O_ORPHAN_MIN_AGE };

static const struct cli_opt cmd_check_opts[] = {
	{ "warning", 'w', required_argument, "RANGE",
	    "warning threshold, absolute or percent (default 80%)",
	    O_WARNING, NULL },
	{ "critical", 'c', required_argument, "RANGE",
	    "critical threshold, absolute or percent (default 95%)",
	    O_CRITICAL, NULL },
	{ "resource", 0, required_argument, "NAME",
	    "check only these resources (repeat, or separate with commas)",
	    O_RESOURCE, "resources" },
	{ "forecast-days", 0, required_argument, "DAYS",
	    "warn when a limit is projected to run out within DAYS "
	    "(default 30)", O_FORECAST_DAYS, NULL },
	{ "no-orphans", 0, no_argument, NULL,
	    "do not judge orphaned objects", O_NO_ORPHANS, NULL },
	{ "orphan-min-age", 0, required_argument, "AGE",
	    "semaphore arrays and unused queues count as orphaned only "
	    "after AGE (default 1h)", O_ORPHAN_MIN_AGE, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

static const struct column_set cmd_check_columns[] = {
	{ NULL, 0 },
};

/* Beyond this many objects the "largest" and "fullest" rows are skipped. */
#define CHECK_SCAN_MAX 4096

static int
check_opt(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct check_args *a = ctx;
	char *list, *save = NULL, *tok;
	uint64_t v;

	(void)self;
	switch (id) {
	case O_WARNING:
	case O_CRITICAL:
		if (monplugin_range_parse(arg, id == O_WARNING ? &a->o.warn :
		    &a->o.crit, a->err, sizeof(a->err)) < 0)
			return MP_UNKNOWN;
		return 0;
	case O_RESOURCE:
		if (!a->o.explicit_selection)
			memset(a->o.selected, 0, sizeof(a->o.selected));
		a->o.explicit_selection = true;
		list = strdup(arg);
		if (list == NULL) {
			snprintf(a->err, sizeof(a->err), "out of memory");
			return MP_UNKNOWN;
		}
		for (tok = strtok_r(list, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			int r = model_resource_lookup(tok);

			if (r < 0) {
				snprintf(a->err, sizeof(a->err), "unknown "
				    "resource '%s' (see 'ipctune status')",
				    tok);
				free(list);
				return MP_UNKNOWN;
			}
			a->o.selected[r] = true;
		}
		free(list);
		return 0;
	case O_FORECAST_DAYS:
		if (num_parse_u64(arg, 1, 36500, &v) < 0) {
			snprintf(a->err, sizeof(a->err), "invalid number of "
			    "days '%s' (use 1 to 36500)", arg);
			return MP_UNKNOWN;
		}
		a->forecast_days = v;
		a->forecast_set = true;
		return 0;
	case O_NO_ORPHANS:
		a->no_orphans = true;
		return 0;
	case O_ORPHAN_MIN_AGE:
		if (num_parse_duration(arg, &a->orphan_min_age_s) < 0) {
			snprintf(a->err, sizeof(a->err), "invalid age '%s' "
			    "(use a number with s, m, h, d or w)", arg);
			return MP_UNKNOWN;
		}
		return 0;
	}
	return 0;
}

/*
 * The state check needs: counters, plus objects for the rows asking, or
 * every object when ORPHANS are judged.
 */
static int
load(struct globals *g, const struct mp_opts *o, bool orphans,
    struct kstate *ks, char *err, size_t errlen)
{
	unsigned want = 0;

	kstate_init(ks);
	if (g->from != NULL)
		return snapshot_load(g->from, ks, err, errlen);
	g->ks.want = KS_SYSCTL | KS_USAGE;
	if (ksource_enter_ns(&g->ks, err, errlen) < 0 ||
	    ksource_read(&g->ks, ks, err, errlen) < 0)
		return -1;
	/* msgmnb judges the fullest queue; with no byte queued, none is */
	if (o->selected[R_MSGMNB] && ks->usage.msg_bytes > 0 &&
	    ks->usage.msg_queues <= CHECK_SCAN_MAX)
		want |= KS_MSG;
	/* shmmax's largest segment; shmmni and shmall's dest segments */
	if ((o->selected[R_SHMMAX] || o->selected[R_SHMMNI] ||
	    o->selected[R_SHMALL]) && ks->usage.shm_segments > 0 &&
	    ks->usage.shm_segments <= CHECK_SCAN_MAX)
		want |= KS_SHM;
	if (o->selected[R_SEMMSL] && ks->usage.sem_arrays > 0 &&
	    ks->usage.sem_arrays <= CHECK_SCAN_MAX)
		want |= KS_SEM;
	if (orphans)
		want |= KS_OBJECTS;
	if (want != 0 && ksource_read_objects(&g->ks, ks, want, err,
	    errlen) < 0)
		return -1;
	return 0;
}

/*
 * Leaked objects raise the state to WARNING: judged as 'orphans' judges
 * them (without naming attachers, which changes no verdict), the
 * segments with shmmni, the arrays with semmni and the queues with
 * msgmni; objects whose evidence cannot be read are not counted.
 */
static void
judge_orphans(struct globals *g, const struct check_args *a,
    struct orphans_run *run, struct mp_result *res)
{
	struct orphan_filter f;
	struct mp_orphans o;

	orphan_filter_init(&f);
	f.min_age_s = a->orphan_min_age_s;
	f.count_only = true;
	/* each count belongs to a limit: judge the types selected */
	f.types = 0;
	for (int t = 0; t < IPC_NTYPES; t++)
		if (a->o.selected[ipctype_table[t].limit])
			f.types |= IPC_TYPE_BIT(t);
	if (f.types == 0)
		return;
	cmd_orphans_judge(g, &f, false, run);
	for (int t = 0; t < IPC_NTYPES; t++)
		o.n[t] = run->r.norphans[t];
	monplugin_add_orphans(res, &o);
	if (run->r.ndest_stale > 0)
		monplugin_add_dest_stale(res, run->r.ndest_stale,
		    run->r.dest_stale_nattch);
}

/*
 * The forecast: each judged resource whose limit is projected to be
 * reached within --forecast-days raises the state to WARNING.  Only for
 * the live namespace of this host, whose history record keeps, and only
 * when the newest sample is of namespace NS.  A missing or stale history
 * is a note line, never a state; a history that exists but cannot be read
 * is -1, with the reason in NOTE (the plugin is then UNKNOWN).  NOTE gets
 * that line.
 */
static int
add_forecast(const struct globals *g, const struct check_args *a,
    uint64_t ns, struct mp_result *res, char *note, size_t notelen)
{
	struct forecast_opts fo;
	struct history h;
	char path[4096], err[4400];
	int64_t now = (int64_t)time(NULL);

	note[0] = '\0';
	if (g->from != NULL || g->ks.pid || g->ks.ns_path || g->ks.root)
		return 0;
	history_init(&h);
	if (statedir_file_read(statedir_getenv, geteuid(), HISTFILE_NAME,
	    STATEDIR_SYSTEM, path, sizeof(path), err, sizeof(err)) < 0 ||
	    histfile_load(path, &h, err, sizeof(err)) < 0) {
		int e = errno;

		history_release(&h);
		/* a history that is there but unreadable is no silent OK */
		if (e != ENOENT) {
			snprintf(note, notelen, "forecast: the history cannot "
			    "be read: %s", err);
			return -1;
		}
		/* no history is normal unless the option asked for it */
		if (a->forecast_set)
			snprintf(note, notelen, "forecast: not evaluated: %s",
			    err);
		return 0;
	}
	history_sort(&h);
	if (h.n == 0 || now - h.s[h.n - 1].t > 86400) {
		snprintf(note, notelen, "forecast: not evaluated: the history "
		    "'%s' has no sample from the last day", path);
		history_release(&h);
		return 0;
	}
	/* another namespace's trend says nothing about this one */
	if (ns != 0 && h.s[h.n - 1].ns_inode != 0 &&
	    h.s[h.n - 1].ns_inode != ns) {
		snprintf(note, notelen, "forecast: not evaluated: the history "
		    "'%s' was recorded in IPC namespace %" PRIu64 ", not in "
		    "this one (%" PRIu64 ")", path, h.s[h.n - 1].ns_inode, ns);
		history_release(&h);
		return 0;
	}
	forecast_opts_default(&fo);
	if ((int64_t)a->forecast_days * 86400 > fo.horizon_s)
		fo.horizon_s = (int64_t)a->forecast_days * 86400;
	for (int r = 0; r < R_COUNT; r++) {
		struct forecast_result f;

		if (!a->o.selected[r])
			continue;
		forecast_resource(&h, r, &fo, &f);
		if (f.state == FC_EXHAUSTS)
			monplugin_add_exhaustion(res, r,
			    (double)(f.exhaust_at - now) / 86400,
			    (double)a->forecast_days);
	}
	history_release(&h);
	return 0;
}

void
cmd_check_defaults(struct check_args *a)
{
	char err[256];

	memset(a, 0, sizeof(*a));
	a->forecast_days = 30;
	a->orphan_min_age_s = 3600;
	monplugin_range_parse("80%", &a->o.warn, err, sizeof(err));
	monplugin_range_parse("95%", &a->o.crit, err, sizeof(err));
	for (int i = 0; i < R_COUNT; i++)
		a->o.selected[i] = monplugin_default_resource(i);
}

/*
 * Orphans are judged against the processes running now, and only for the
 * limits they count against.
 */
bool
cmd_check_wants_orphans(const struct globals *g, const struct check_args *a)
{
	return !a->no_orphans && g->from == NULL &&
	    (a->o.selected[R_SHMMNI] || a->o.selected[R_SEMMNI] ||
	    a->o.selected[R_MSGMNI]);
}

bool
cmd_check_wants_objects(struct globals *g, const struct check_args *a,
    struct orphans_run *run)
{
	/* logind's RemoveIPC= needs every owner; a snapshot has no logind */
	if (g->from != NULL)
		return cmd_check_wants_orphans(g, a);
	cmd_orphans_host(g, run);
	return cmd_check_wants_orphans(g, a) || run->host.removeipc;
}

int
cmd_check_judge(struct globals *g, const struct check_args *a,
    struct orphans_run *run, const struct model *m, struct mp_result *res,
    bool *orphans, char *note, size_t notelen)
{
	size_t nlogin;
	uid_t first;

	*orphans = cmd_check_wants_orphans(g, a);
	monplugin_evaluate(m, &a->o, res);
	if (*orphans)
		judge_orphans(g, a, run, res);
	/* a configuration risk, not a verdict: also under --no-orphans */
	if (run->host_loaded) {
		nlogin = orphan_removeipc_count(&run->ks, &run->host, &first);
		if (nlogin > 0)
			monplugin_add_removeipc(res, nlogin,
			    (unsigned)run->host.sys_uid_max);
	}
	return add_forecast(g, a, run->ks.host.ipc_ns_inode, res, note,
	    notelen);
}

static int
cmd_check(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct check_args a;
	struct mp_result res;
	struct orphans_run run;
	struct kstate *ks = &run.ks;
	struct model m;
	char err[1024], out[8192], note[4600];
	bool done, orphans;
	int idx, status;

	memset(&run, 0, sizeof(run));
	cmd_check_defaults(&a);
	status = cli_parse(self, argc, argv, g, check_opt, &a, &idx, &done);
	if (status == 0 && !done && idx < argc) {
		snprintf(a.err, sizeof(a.err), "unexpected argument '%s'",
		    argv[idx]);
		status = MP_UNKNOWN;
	}
	if (status == 0 && !done && g->output != NULL) {
		snprintf(a.err, sizeof(a.err), "'check' does not take "
		    "--output");
		status = MP_UNKNOWN;
	}
	if (status != 0) {
		/* cli_parse has said why on stderr unless we know better */
		render_printf("IPC UNKNOWN - %s\n", a.err[0] ? a.err :
		    "invalid command line (see 'ipctune check -h')");
		return MP_UNKNOWN;
	}
	if (done)
		return 0;
	if (load(g, &a.o, cmd_check_wants_objects(g, &a, &run), ks, err,
	    sizeof(err)) < 0) {
		render_printf("IPC UNKNOWN - cannot read the IPC state: %s\n",
		    err);
		kstate_release(ks);
		return MP_UNKNOWN;
	}
	model_build(ks, &m);
	if (cmd_check_judge(g, &a, &run, &m, &res, &orphans, note,
	    sizeof(note)) < 0) {
		render_printf("IPC UNKNOWN - %s\n", note);
		model_release(&m);
		cmd_orphans_run_release(&run);
		return MP_UNKNOWN;
	}
	monplugin_format(&m, &a.o, &res, out, sizeof(out));
	fputs(out, stdout);
	if (note[0] != '\0')
		render_printf("%s\n", note);
	model_release(&m);
	cmd_orphans_run_release(&run);
	return (int)res.state;
}

const struct command cmd_check_entry = {
	.name = "check", .fn = cmd_check,
	.args = "[-w RANGE] [-c RANGE] [--resource NAME...] "
	    "[--forecast-days DAYS]",
	.summary = "monitoring-plugin mode (exit 0/1/2/3, perfdata)",
	.opts = cmd_check_opts, .flags = CMD_FROM | CMD_NS | CMD_OPERANDS,
	.colsets = cmd_check_columns
};
