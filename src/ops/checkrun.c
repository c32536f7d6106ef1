/*
 * checkrun.c: the judgement of 'check', shared with 'facts': the
 * thresholds of monplugin.c, the orphans counted by orphanrun.c, the
 * RemoveIPC= risk and the forecast from the history.  It reads the
 * state, the processes and the history, and prints nothing: the caller
 * gets the result and a note line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checkrun.h"
#include "forecast.h"
#include "histfile.h"
#include "statedir.h"

/*
 * Leaked objects raise the state to WARNING: judged as 'orphans' judges
 * them (without naming attachers, which changes no verdict), each type
 * with its limit (ipctype_table: the segments with shmmni, the POSIX
 * shared memory and named semaphores with dev_shm, the POSIX queues with
 * mqueue_queues); objects whose evidence cannot be read are not counted.
 */
static void
judge_orphans(const struct orphanrun_opts *o,
    const struct checkrun_args *a, struct orphanrun *run,
    struct mp_result *res)
{
	struct orphanrun_count c;
	struct mp_orphans mo;
	unsigned types = 0;

	/* each count belongs to a limit: judge the types selected */
	for (int t = 0; t < IPC_NTYPES; t++)
		if (a->o.selected[ipctype_table[t].limit])
			types |= IPC_TYPE_BIT(t);
	if (types == 0)
		return;
	orphanrun_count(o, types, a->orphan_min_age_s, run, &c);
	for (int t = 0; t < IPC_NTYPES; t++) {
		mo.n[t] = c.orphaned[t];
		mo.total[t] = (types & IPC_TYPE_BIT(t)) ?
		    ipctype_count(&run->ks, t) : 0;
	}
	monplugin_add_orphans(res, &mo);
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
add_forecast(const struct orphanrun_opts *o, const struct checkrun_args *a,
    uint64_t ns, struct mp_result *res, char *note, size_t notelen)
{
	struct forecast_opts fo;
	struct history h;
	char path[4096], err[4400];
	int64_t now = (int64_t)time(NULL);

	note[0] = '\0';
	if (o->src.from != NULL || o->src.ks.pid || o->src.ks.ns_path ||
	    o->src.ks.root)
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
checkrun_defaults(struct checkrun_args *a)
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
checkrun_wants_orphans(const struct orphanrun_opts *o,
    const struct checkrun_args *a)
{
	bool any = false;

	for (int t = 0; t < IPC_NTYPES; t++)
		any = any || a->o.selected[ipctype_table[t].limit];
	return !a->no_orphans && o->src.from == NULL && any;
}

bool
checkrun_wants_objects(const struct orphanrun_opts *o,
    const struct checkrun_args *a, struct orphanrun *run)
{
	/* logind's RemoveIPC= needs every owner; a snapshot has no logind */
	if (o->src.from != NULL)
		return checkrun_wants_orphans(o, a);
	orphanrun_host(o, run);
	return checkrun_wants_orphans(o, a) || run->host.removeipc;
}

int
checkrun_judge(const struct orphanrun_opts *o,
    const struct checkrun_args *a, struct orphanrun *run,
    const struct model *m, struct mp_result *res, bool *orphans,
    char *note, size_t notelen)
{
	size_t nlogin;
	uid_t first;

	*orphans = checkrun_wants_orphans(o, a);
	monplugin_evaluate(m, &a->o, res);
	if (*orphans)
		judge_orphans(o, a, run, res);
	/* a configuration risk, not a verdict: also under --no-orphans */
	if (run->host_loaded) {
		nlogin = orphan_removeipc_count(&run->ks, &run->host, &first);
		if (nlogin > 0)
			monplugin_add_removeipc(res, nlogin,
			    (unsigned)run->host.sys_uid_max);
	}
	return add_forecast(o, a, run->ks.host.ipc_ns_inode, res, note,
	    notelen);
}

int
checkrun_load(const struct orphanrun_opts *o, const struct checkrun_args *a,
    bool every, struct orphanrun *run, char *err, size_t errlen)
{
	/* msgmnb judges the fullest queue, shmmax the largest segment */
	struct loadstate_scan p = {
		/* shmmax's largest segment; shmmni and shmall's dest ones */
		.rows = (a->o.selected[R_MSGMNB] ? KS_MSG : 0) |
		    (a->o.selected[R_SHMMAX] || a->o.selected[R_SHMMNI] ||
		    a->o.selected[R_SHMALL] ? KS_SHM : 0) |
		    (a->o.selected[R_SEMMSL] ? KS_SEM : 0),
		.every = every ? IPC_TYPES_ALL : 0,
	};

	if (loadstate_read(&o->src, KS_SYSCTL | KS_USAGE, &run->ks, err,
	    errlen) < 0)
		return -1;
	if (loadstate_objects(&o->src, loadstate_want(&run->ks, &p),
	    &run->ks, err, errlen) < 0) {
		kstate_release(&run->ks);
		return -1;
	}
	return 0;
}
