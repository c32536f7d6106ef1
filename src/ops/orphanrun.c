/*
 * orphanrun.c: the orphan judge of orphan.c run on real effects: the
 * state loaded through loadstate.c, the process facts of procscan.c,
 * logind's RemoveIPC= and ipctune's own touch records.  It judges
 * nothing itself and prints nothing: what a reader should know about the
 * verdicts goes to the caller's warning sink.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orphanrun.h"
#include "statedir.h"
#include "touchrec.h"

static void
warnf(const struct orphanrun_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warnf(const struct orphanrun_opts *o, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (o->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->warn(o->warn_ctx, msg);
}

/* Advice for a /proc entry that could not be read: root reads more. */
static const char *
root_advice(void)
{
	return geteuid() == 0 ? "" : "; run as root";
}

void
orphanrun_init(struct orphanrun *run)
{
	memset(run, 0, sizeof(*run));
}

/*
 * The signs of users out of sight are on the System V objects of every
 * type, judged or not: a caller that read only the tables it judges
 * (status) has the others read here.  false if one could not be read.
 */
static bool
evidence_tables(const struct orphanrun_opts *o, struct orphanrun *run)
{
	unsigned want = 0;
	char err[512];

	for (int t = 0; t < IPC_NSYSV; t++)
		if (!ipctype_has(&run->ks, (enum ipc_type)t))
			want |= ipctype_table[t].want;
	if (want == 0 || loadstate_objects(&o->src, want, &run->ks, err,
	    sizeof(err)) == 0)
		return true;
	warnf(o, "%s", err);
	return false;
}

/*
 * Why processes outside ipctune's PID namespace may use the IPC namespace
 * judged, or NULL.  Seen from a child PID namespace the kernel reports a
 * PID of another one as 0 (pid_vnr()), and /proc shows none of those
 * processes, their maps or their waits.  Nothing can prove that no such
 * process exists; these are the signs that one does.  --pid names the
 * process whose namespace is judged, which ipctune sees, and so states
 * that the namespace's users are of a PID namespace ipctune sees.
 */
static const char *
pidns_cause(const struct orphanrun_opts *o, struct orphanrun *run)
{
	struct procscan *ps = &run->ps;
	int64_t birth = 0;

	if (!ps->live || o->src.ks.pid != 0 ||
	    (!ps->pidns_child && !ps->proc_foreign))
		return NULL;
	if (ps->proc_foreign)
		return "/proc shows another PID namespace than ipctune's";
	if (run->ks.host.ipc_ns_inode == IPC_NS_INIT_INO)
		return "it is the host's IPC namespace";
	/* hidepid keeps users out of the count, in this PID namespace */
	if (!ps->hidden && procscan_ns_users(ps) == 0)
		return "no other process of this PID namespace uses it";
	/*
	 * The first process of the PID namespace started it; an object
	 * changed in an earlier second was made from outside.
	 */
	if (procscan_start_exact(ps, 1, &birth) < 0)
		birth = 0;
	if (!evidence_tables(o, run))
		return "its objects could not all be read for the signs";
	if (orphan_foreign_evidence(&run->ks, birth))
		return "objects carry PIDs this PID namespace does not see, "
		    "or are older than it";
	return NULL;
}

/*
 * The record of ipctune's own accesses ('clean' did not remove what it
 * touched), for the live objects of this IPC namespace only.
 */
static void
load_touches(const struct orphanrun_opts *o, struct orphanrun *run)
{
	char path[4096], err[1024];

	run->touches = NULL;
	run->ntouches = 0;
	if (o->src.ks.root != NULL || o->src.from != NULL ||
	    statedir_file(statedir_getenv, geteuid(), TOUCHREC_NAME, false,
	    path, sizeof(path), err, sizeof(err)) < 0)
		return;
	if (touchrec_load(path, run->ks.host.ipc_ns_inode, &run->touches,
	    &run->ntouches, err, sizeof(err)) < 0)
		warnf(o, "%s; ipctune's own earlier accesses count as use",
		    err);
}

void
orphanrun_host(const struct orphanrun_opts *o, struct orphanrun *run)
{
	char root[600];

	/* logind of the system the namespace belongs to */
	if (o->src.ks.pid != 0)
		snprintf(root, sizeof(root), "/proc/%d/root",
		    (int)o->src.ks.pid);
	else
		snprintf(root, sizeof(root), "%s", o->src.ks.root ?
		    o->src.ks.root : "");
	logind_load(root, &run->logind);
	if (run->logind.unreadable[0] != '\0')
		warnf(o, "%s; judged without it", run->logind.unreadable);
	run->host.removeipc = run->logind.removeipc;
	snprintf(run->host.removeipc_source,
	    sizeof(run->host.removeipc_source), "%s", run->logind.source);
	run->host.sys_uid_max = run->logind.sys_uid_max;
	run->host_loaded = true;
}

/* Read the process facts the judge of RUN needs, as the options ask. */
/* Arrays from which on their semctl facts are read ahead. */
#define ORPHANRUN_SEMS_AHEAD 256

static void
scan_processes(const struct orphanrun_opts *o, const struct orphan_filter *f,
    bool attachers, struct orphanrun *run)
{
	const char *root = o->src.ks.root ? o->src.ks.root : "";
	/* the arrays the judge finds in use without their waiters */
	struct semprobe_skip skip = { run->ks.read_at, f->min_age_s };

	/* attachers are looked for only when there are segments to judge */
	if (attachers && run->ks.nshm > 0 &&
	    ((f->types ? f->types : IPC_TYPES_ALL) & IPC_TYPE_BIT(IPC_SHM)) &&
	    procscan_scan_maps(&run->ps) < 0)
		warnf(o, "cannot scan '%s/proc': %s; attachers are not named",
		    root, strerror(errno));
	/*
	 * A process blocked in semop or msgrcv uses the object, and unlike
	 * a mapping the wait shows nowhere on the object: the verdicts
	 * need this scan, with or without attachers.
	 */
	if ((run->ks.nsem > 0 || run->ks.nmsg > 0) &&
	    procscan_scan_waits(&run->ps, false) < 0)
		warnf(o, "cannot scan '%s/proc': %s; processes waiting on "
		    "semaphores or queues are not seen", root,
		    strerror(errno));
	/*
	 * Without the maps scan the verdicts stay the same: a mapping
	 * counts in the segment's nattch, which the judge reads first.
	 * The PID facts are cached: thousands of objects made by one
	 * process would each read its /proc entry again, and one answer
	 * per PID keeps the verdicts of one run consistent.
	 */
	run->ps.cache = true;
	/*
	 * Judging every array asks the kernel three questions per
	 * semaphore: read them ahead on every CPU when all arrays are
	 * judged and there are enough of them to matter.
	 */
	if (run->ks.nsem >= ORPHANRUN_SEMS_AHEAD && !f->has_id &&
	    !f->has_key && !f->has_owner && !f->has_creator &&
	    ((f->types ? f->types : IPC_TYPES_ALL) & IPC_TYPE_BIT(IPC_SEM)))
		procscan_read_sems(&run->ps, run->ks.sem, run->ks.nsem,
		    orphan_filter_settles(f) ? &skip : NULL);
	procscan_effects(&run->ps, attachers, &run->fx);
	/* a process whose maps or fds were unreadable may hold a file */
	run->fx.holders_partial = run->ks.holders.procs_partial > 0;
}

void
orphanrun_judge(const struct orphanrun_opts *o,
    const struct orphan_filter *f, bool attachers, struct orphanrun *run)
{
	procscan_init(&run->ps, o->src.ks.root, o->src.ks.root == NULL,
	    run->ks.host.ipc_ns_inode);
	procscan_probe(&run->ps);
	run->pidns_cause = pidns_cause(o, run);
	/*
	 * A task blocked in msgrcv or msgsnd changes nothing on the queue
	 * (ipc/msg.c records lrpid and rtime only when a message moves),
	 * and from a child PID namespace /proc shows no task outside it:
	 * the signs pidns_cause() reads cannot reveal such a reader.  In a
	 * Kubernetes pod the containers share the IPC namespace but not
	 * the PID one, and nothing ipctune can read tells a sidecar from a
	 * namespace of its own.  Waits on queues count as unseen unless
	 * --pid states in which PID namespace the users are.
	 */
	if (run->ps.live && run->ps.pidns_child && o->src.ks.pid == 0)
		run->ps.waits_outside = true;
	if (run->pidns_cause != NULL) {
		run->ps.pids_partial = true;
		warnf(o, "the IPC namespace may be used by processes outside "
		    "ipctune's PID namespace (%s): verdicts that rest on "
		    "processes being gone are unknown; run ipctune in the "
		    "PID namespace of the processes that use it, or name one "
		    "of them with --pid", run->pidns_cause);
	}
	scan_processes(o, f, attachers, run);
	load_touches(o, run);
	run->fx.touches = run->touches;
	run->fx.ntouches = run->ntouches;
	if (!run->host_loaded)
		orphanrun_host(o, run);
	orphan_judge(&run->ks, f, &run->host, &run->fx, &run->r);
	/* the output counts them; a warning only when a verdict is open */
	if (run->r.nunknown == 0)
		return;
	if (run->ps.nunreadable > 0)
		warnf(o, "%zu process%s could not be inspected (permission "
		    "denied%s): verdicts that depend on %s are unknown",
		    run->ps.nunreadable, run->ps.nunreadable == 1 ? "" : "es",
		    root_advice(), run->ps.nunreadable == 1 ? "it" : "them");
	if (run->ps.hidden)
		warnf(o, "/proc is mounted with hidepid=%s: processes of "
		    "other users are hidden, so verdicts that depend on them "
		    "are unknown", procscan_hidepid_name(run->ps.hidepid));
}

int
orphanrun_load(const struct orphanrun_opts *o, const struct orphan_filter *f,
    struct orphanrun *run, char *err, size_t errlen)
{
	orphanrun_init(run);
	if (loadstate_read(&o->src, KS_SYSCTL | KS_USAGE | KS_SYSV_OBJECTS |
	    KS_POSIX_OBJECTS,
	    &run->ks, err, errlen) < 0)
		return -1;
	orphanrun_judge(o, f, true, run);
	return 0;
}

void
orphanrun_count(const struct orphanrun_opts *o, unsigned types,
    uint64_t min_age_s, struct orphanrun *run, struct orphanrun_count *c)
{
	struct orphan_filter f;

	memset(c, 0, sizeof(*c));
	orphan_filter_init(&f);
	f.min_age_s = min_age_s;
	f.count_only = true;
	f.types = types;
	orphanrun_judge(o, &f, false, run);
	for (int t = 0; t < IPC_NTYPES; t++) {
		const struct ipc_type_desc *d = &ipctype_table[t];

		c->orphaned[t] = run->r.norphans[t];
		c->suspect[t] = run->r.nsuspect[t];
		for (size_t i = 0; d->has_pool && i < run->r.nhead; i++)
			if (run->r.head[i].res == d->pool)
				c->freed[t] = run->r.head[i].freed;
	}
	c->unknown = run->r.nunknown;
}

void
orphanrun_release(struct orphanrun *run)
{
	orphan_result_release(&run->r);
	free(run->touches);
	run->touches = NULL;
	run->ntouches = 0;
	procscan_release(&run->ps);
	kstate_release(&run->ks);
}
