/*
 * cmd_orphans.c: 'ipctune orphans', the IPC objects that look leaked,
 * each with its reason codes and evidence (recorded PIDs and what became
 * of them, attachers), a summary per owner and the headroom a clean-up
 * gives back.  Glue only: orphan.c judges, procscan.c reads the facts.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_orphans.h"
#include "commands.h"
#include "idname.h"
#include "numparse.h"
#include "render.h"
#include "statedir.h"
#include "touchrec.h"

static const struct cli_opt cmd_orphans_opts[] = {
	ORPHANS_FILTER_OPTS,
	{ "all", 'a', no_argument, NULL,
	    "list every object judged, in use or not, with its verdict",
	    OO_ALL, NULL },
	{ "exit-status", 0, no_argument, NULL,
	    "exit with status 4 when orphans are found", OO_EXIT_STATUS,
	    NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

static const char *const verdict_names[OV_COUNT] = {
	[OV_ORPHANED] = "orphaned", [OV_IN_USE] = "in_use",
	[OV_UNKNOWN] = "unknown", [OV_SUSPECT] = "suspect",
};

int
cmd_orphans_filter_opt(struct orphans_args *a, int id, const char *arg)
{
	enum ipc_type t;
	uint64_t v;

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
	case OO_OWNER: {
		struct passwd *pw = getpwnam(arg);

		if (pw != NULL)
			a->f.owner = pw->pw_uid;
		else if (num_parse_u64(arg, 0, 0xfffffffeu, &v) == 0)
			a->f.owner = (uid_t)v;
		else
			return cli_usage_error(a->cmd, "unknown user '%s'",
			    arg);
		a->f.has_owner = true;
		break;
	}
	case OO_OLDER_THAN:
		if (num_parse_duration(arg, &a->f.older_than_s) < 0)
			return cli_usage_error(a->cmd, "invalid age '%s' (use "
			    "a number with s, m, h, d or w)", arg);
		a->f.has_older_than = true;
		break;
	case OO_MIN_AGE:
		if (num_parse_duration(arg, &a->f.min_age_s) < 0)
			return cli_usage_error(a->cmd, "invalid age '%s' (use "
			    "a number with s, m, h, d or w)", arg);
		return 0;
	case OO_ID:
		if (num_parse_u64(arg, 0, INT32_MAX, &v) < 0)
			return cli_usage_error(a->cmd, "invalid id '%s'", arg);
		a->f.has_id = true;
		a->f.id = (int)v;
		break;
	case OO_KEY:
		if (num_parse_key(arg, &a->f.key) < 0)
			return cli_usage_error(a->cmd, "invalid key '%s' (use "
			    "0x followed by hex digits, or a decimal)", arg);
		a->f.has_key = true;
		break;
	default:
		return 0;
	}
	a->filtered = true;
	return 0;
}

static int
handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct orphans_args *a = ctx;

	(void)self;
	switch (id) {
	case OO_ALL:
		a->f.keep_in_use = true;
		return 0;
	case OO_EXIT_STATUS:
		a->exit_status = true;
		return 0;
	default:
		return cmd_orphans_filter_opt(a, id, arg);
	}
}

/* Advice for a /proc entry that could not be read: root reads more. */
static const char *
root_advice(void)
{
	return geteuid() == 0 ? "" : "; run as root";
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
pidns_cause(struct globals *g, struct orphans_run *run)
{
	struct procscan *ps = &run->ps;
	int64_t birth = 0;

	if (!ps->live || g->ks.pid != 0 ||
	    (!ps->pidns_child && !ps->proc_foreign))
		return NULL;
	if (ps->proc_foreign)
		return "/proc shows another PID namespace than ipctune's";
	/* include/linux/proc_ns.h: PROC_IPC_INIT_INO 0xEFFFFFFF */
	if (run->ks.host.ipc_ns_inode == 0xEFFFFFFFu)
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
load_touches(struct globals *g, struct orphans_run *run)
{
	char path[4096], err[1024];

	run->touches = NULL;
	run->ntouches = 0;
	if (g->ks.root != NULL || g->from != NULL ||
	    statedir_file(statedir_getenv, geteuid(), TOUCHREC_NAME, false,
	    path, sizeof(path), err, sizeof(err)) < 0)
		return;
	if (touchrec_load(path, run->ks.host.ipc_ns_inode, &run->touches,
	    &run->ntouches, err, sizeof(err)) < 0)
		cli_warn(g, "%s; ipctune's own earlier accesses count as use",
		    err);
}

void
cmd_orphans_host(struct globals *g, struct orphans_run *run)
{
	char root[600];

	/* logind of the system the namespace belongs to */
	if (g->ks.pid != 0)
		snprintf(root, sizeof(root), "/proc/%d/root", (int)g->ks.pid);
	else
		snprintf(root, sizeof(root), "%s", g->ks.root ? g->ks.root :
		    "");
	logind_load(root, &run->logind);
	if (run->logind.unreadable[0] != '\0')
		cli_warn(g, "%s; judged without it", run->logind.unreadable);
	run->host.removeipc = run->logind.removeipc;
	snprintf(run->host.removeipc_source,
	    sizeof(run->host.removeipc_source), "%s", run->logind.source);
	run->host.sys_uid_max = run->logind.sys_uid_max;
	run->host_loaded = true;
}

void
cmd_orphans_judge(struct globals *g, const struct orphan_filter *f,
    bool attachers, struct orphans_run *run)
{

	procscan_init(&run->ps, g->ks.root, g->ks.root == NULL,
	    run->ks.host.ipc_ns_inode);
	procscan_probe(&run->ps);
	run->pidns_cause = pidns_cause(g, run);
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
	if (run->ps.live && run->ps.pidns_child && g->ks.pid == 0)
		run->ps.waits_outside = true;
	if (run->pidns_cause != NULL) {
		run->ps.pids_partial = true;
		cli_warn(g, "the IPC namespace may be used by processes "
		    "outside ipctune's PID namespace (%s): verdicts that rest "
		    "on processes being gone are unknown; run ipctune in the "
		    "PID namespace of the processes that use it, or name one "
		    "of them with --pid", run->pidns_cause);
	}
	/* attachers are looked for only when there are segments to judge */
	if (attachers && run->ks.nshm > 0 &&
	    ((f->types ? f->types : IPC_TYPES_ALL) & IPC_TYPE_BIT(IPC_SHM)) &&
	    procscan_scan_maps(&run->ps) < 0)
		cli_warn(g, "cannot scan '%s/proc': %s; attachers are not "
		    "named", g->ks.root ? g->ks.root : "", strerror(errno));
	/*
	 * A process blocked in semop or msgrcv uses the object, and unlike
	 * a mapping the wait shows nowhere on the object: the verdicts
	 * need this scan, with or without attachers.
	 */
	if ((run->ks.nsem > 0 || run->ks.nmsg > 0) &&
	    procscan_scan_waits(&run->ps, false) < 0)
		cli_warn(g, "cannot scan '%s/proc': %s; processes waiting on "
		    "semaphores or queues are not seen", g->ks.root ?
		    g->ks.root : "", strerror(errno));
	/*
	 * Without the maps scan the verdicts stay the same: a mapping
	 * counts in the segment's nattch, which the judge reads first.
	 * Counting runs every few minutes, so the PID facts are cached.
	 */
	run->ps.cache = !attachers;
	procscan_effects(&run->ps, attachers, &run->fx);
	load_touches(g, run);
	run->fx.touches = run->touches;
	run->fx.ntouches = run->ntouches;
	if (!run->host_loaded)
		cmd_orphans_host(g, run);
	orphan_judge(&run->ks, f, &run->host, &run->fx, &run->r);
	/* the output counts them; a warning only when a verdict is open */
	if (run->r.nunknown == 0)
		return;
	if (run->ps.nunreadable > 0)
		cli_warn(g, "%zu process%s could not be inspected (permission "
		    "denied%s): verdicts that depend on %s are unknown",
		    run->ps.nunreadable, run->ps.nunreadable == 1 ? "" : "es",
		    root_advice(), run->ps.nunreadable == 1 ? "it" : "them");
	if (run->ps.hidden)
		cli_warn(g, "/proc is mounted with hidepid=%s: processes of "
		    "other users are hidden, so verdicts that depend on them "
		    "are unknown", procscan_hidepid_name(run->ps.hidepid));
}

json_t *
cmd_orphans_inspection_json(const struct orphans_run *run)
{
	const struct procscan *ps = &run->ps;
	json_t *o = json_object(), *causes = json_array(), *c;
	char text[256];

	if (ps->nunreadable > 0) {
		c = json_object();
		json_object_set_new(c, "code", json_string(
		    "permission_denied"));
		snprintf(text, sizeof(text), "%zu process%s in /proc could "
		    "not be read (permission denied%s)", ps->nunreadable,
		    ps->nunreadable == 1 ? "" : "es", root_advice());
		json_object_set_new(c, "text", json_string(text));
		json_array_append_new(causes, c);
	}
	if (ps->hidden) {
		c = json_object();
		json_object_set_new(c, "code", json_string("hidepid"));
		snprintf(text, sizeof(text), "/proc is mounted with "
		    "hidepid=%s: processes of other users are hidden",
		    procscan_hidepid_name(ps->hidepid));
		json_object_set_new(c, "text", json_string(text));
		json_array_append_new(causes, c);
	}
	if (run->pidns_cause != NULL) {
		c = json_object();
		json_object_set_new(c, "code", json_string("pid_namespace"));
		json_object_set_new(c, "text", json_string(run->pidns_cause));
		json_array_append_new(causes, c);
	}
	json_object_set_new(o, "complete", json_boolean(
	    json_array_size(causes) == 0));
	json_object_set_new(o, "processes_not_inspected", json_integer(
	    (json_int_t)ps->nunreadable));
	json_object_set_new(o, "processes_hidden", json_boolean(ps->hidden));
	json_object_set_new(o, "causes", causes);
	return o;
}

int
cmd_orphans_run(struct globals *g, const struct orphans_args *a,
    struct orphans_run *run)
{
	int status;

	memset(run, 0, sizeof(*run));
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE | KS_OBJECTS,
	    &run->ks);
	if (status != 0)
		return status;
	cmd_orphans_judge(g, &a->f, true, run);
	return 0;
}

void
cmd_orphans_run_release(struct orphans_run *run)
{
	orphan_result_release(&run->r);
	free(run->touches);
	run->touches = NULL;
	run->ntouches = 0;
	procscan_release(&run->ps);
	kstate_release(&run->ks);
}

const char *
cmd_orphans_age(int64_t s, char *buf, size_t len)
{
	static const struct { int64_t secs; char unit; } u[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};

	if (s < 0)
		s = 0;
	for (size_t i = 0; i < 4; i++) {
		if (s >= u[i].secs || i == 3) {
			int64_t a = s / u[i].secs, rest = s % u[i].secs;

			if (i < 3 && rest >= u[i + 1].secs)
				snprintf(buf, len, "%" PRId64 "%c%" PRId64 "%c",
				    a, u[i].unit, rest / u[i + 1].secs,
				    u[i + 1].unit);
			else
				snprintf(buf, len, "%" PRId64 "%c", a,
				    u[i].unit);
			break;
		}
	}
	return buf;
}

const char *
cmd_orphans_reasons(const struct orphan_item *it, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int r = 0; r < ORS_COUNT; r++)
		if (it->reasons & (1u << r))
			o += (size_t)snprintf(buf + (o < len ? o : len),
			    o < len ? len - o : 0, "%s%s", o ? "," : "",
			    orphan_reason_table[r].code);
	return buf;
}

const char *
cmd_orphans_size(const struct orphan_item *it, bool raw, char *buf,
    size_t len)
{
	char b[32];

	switch (it->type) {
	case IPC_SHM:
		return render_bytes(it->obj.shm.size_bytes, raw, buf, len);
	case IPC_SEM:
		snprintf(buf, len, "%" PRIu64 " sem%s", it->obj.sem.nsems,
		    it->obj.sem.nsems == 1 ? "" : "s");
		return buf;
	case IPC_MSG:
		snprintf(buf, len, "%" PRIu64 " msg%s/%s", it->obj.msg.qnum,
		    it->obj.msg.qnum == 1 ? "" : "s",
		    render_bytes(it->obj.msg.cbytes, raw, b, sizeof(b)));
		return buf;
	case IPC_NTYPES:
		break;
	}
	snprintf(buf, len, "-");
	return buf;
}

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

/* "creator 123 gone; last_attach 456 reused by sleep (started 4s after)" */
static const char *
evidence(const struct orphan_item *it, char *buf, size_t len)
{
	size_t o = 0;
	char extra[96], age[32];

	buf[0] = '\0';
	for (size_t i = 0; i < it->npids; i++) {
		const struct orphan_pid *p = &it->pids[i];

		extra[0] = '\0';
		if (p->state == PS_REUSED)
			snprintf(extra, sizeof(extra), " by %s (started %s "
			    "after)", p->comm[0] ? p->comm : "?",
			    cmd_orphans_age(p->start_time - p->event_time,
			    age, sizeof(age)));
		else if (p->state == PS_ALIVE && p->comm[0])
			snprintf(extra, sizeof(extra), " (%s)", p->comm);
		if (p->role == ROLE_LAST_OP)
			snprintf(extra + strlen(extra), sizeof(extra) -
			    strlen(extra), " [%" PRIu64 " sem%s]", p->nsems,
			    p->nsems == 1 ? "" : "s");
		o += (size_t)snprintf(buf + (o < len ? o : len),
		    o < len ? len - o : 0, "%s%s %d %s%s", o ? "; " : "",
		    orphan_role_names[p->role], (int)p->pid,
		    p->state == PS_DEAD ? "gone" : p->state == PS_REUSED ?
		    "reused" : "runs", extra);
	}
	if (it->npids == 0 && it->type == IPC_SEM && it->has_sempids)
		snprintf(buf, len, "no semaphore ever operated on");
	if (it->verdict == OV_SUSPECT) {
		o = strlen(buf);
		snprintf(buf + o, len - o, "%sorphan in %s", o ? "; " : "",
		    cmd_orphans_age(it->orphan_at - now_s(), age,
		    sizeof(age)));
	}
	if (it->own_access != 0) {
		o = strlen(buf);
		snprintf(buf + o, len - o, "%sipctune's own access %s ago set "
		    "aside", o ? "; " : "", cmd_orphans_age(now_s() -
		    it->own_access, age, sizeof(age)));
	}
	return buf;
}

static const char *
attachers(const struct orphan_item *it, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	if (it->type != IPC_SHM)
		return "-";
	for (size_t i = 0; i < it->natt; i++)
		o += (size_t)snprintf(buf + (o < len ? o : len),
		    o < len ? len - o : 0, "%s%d %s", o ? ", " : "",
		    (int)it->att[i].pid, it->att[i].comm);
	if (it->hidden_attachers > 0)
		snprintf(buf + (o < len ? o : len), o < len ? len - o : 0,
		    "%s+%" PRIu64 " not visible", o ? ", " : "",
		    it->hidden_attachers);
	return buf[0] ? buf : "-";
}

void
cmd_orphans_set_time(json_t *o, const char *key, int64_t t)
{
	json_object_set_new(o, key, t != 0 ? json_integer(t) : json_null());
}

void
cmd_orphans_set_perm(json_t *o, const struct obj_perm *p)
{
	char b[32];

	json_object_set_new(o, "key", json_integer(p->key));
	snprintf(b, sizeof(b), "0x%08" PRIx32, p->key);
	json_object_set_new(o, "key_hex", json_string(b));
	json_object_set_new(o, "uid", json_integer(p->uid));
	json_object_set_new(o, "user", json_string(idname_user(p->uid)));
	json_object_set_new(o, "gid", json_integer(p->gid));
	json_object_set_new(o, "group", json_string(idname_group(p->gid)));
	json_object_set_new(o, "cuid", json_integer(p->cuid));
	json_object_set_new(o, "cgid", json_integer(p->cgid));
	snprintf(b, sizeof(b), "%04" PRIo32, p->mode & 0777);
	json_object_set_new(o, "perms", json_string(b));
	json_object_set_new(o, "mode", json_integer(p->mode));
}

/* The members only IT's type has: sizes, counts, PIDs and times. */
static void
item_type_json(json_t *o, const struct orphan_item *it)
{
	switch (it->type) {
	case IPC_SHM: {
		const struct shm_obj *s = &it->obj.shm;

		json_set_u64(o, "size_bytes", s->size_bytes);
		json_set_u64(o, "nattch", s->nattch);
		json_object_set_new(o, "cpid", json_integer(s->cpid));
		json_object_set_new(o, "lpid", json_integer(s->lpid));
		cmd_orphans_set_time(o, "atime_unix", s->atime);
		cmd_orphans_set_time(o, "dtime_unix", s->dtime);
		cmd_orphans_set_time(o, "ctime_unix", s->ctime);
		json_object_set_new(o, "dest", json_boolean(s->perm.mode &
		    IPC_SHM_DEST));
		break;
	}
	case IPC_SEM: {
		const struct sem_obj *s = &it->obj.sem;

		json_set_u64(o, "nsems", s->nsems);
		cmd_orphans_set_time(o, "otime_unix", s->otime);
		cmd_orphans_set_time(o, "ctime_unix", s->ctime);
		break;
	}
	case IPC_MSG: {
		const struct msg_obj *s = &it->obj.msg;

		json_set_u64(o, "used_bytes", s->cbytes);
		json_set_u64(o, "messages", s->qnum);
		json_object_set_new(o, "lspid", json_integer(s->lspid));
		json_object_set_new(o, "lrpid", json_integer(s->lrpid));
		cmd_orphans_set_time(o, "stime_unix", s->stime);
		cmd_orphans_set_time(o, "rtime_unix", s->rtime);
		cmd_orphans_set_time(o, "ctime_unix", s->ctime);
		break;
	}
	case IPC_NTYPES:
		break;
	}
}

json_t *
cmd_orphans_item_json(const struct orphan_item *it)
{
	json_t *o = json_object(), *a;

	json_object_set_new(o, "type", json_string(ipctype_table[
	    it->type].name));
	json_object_set_new(o, "id", json_integer(orphan_item_id(it)));
	cmd_orphans_set_perm(o, orphan_item_perm(it));
	json_object_set_new(o, "verdict", json_string(verdict_names[
	    it->verdict]));
	a = json_array();
	for (int r = 0; r < ORS_COUNT; r++)
		if (it->reasons & (1u << r))
			json_array_append_new(a, json_string(
			    orphan_reason_table[r].code));
	json_object_set_new(o, "reasons", a);
	json_object_set_new(o, "age_seconds", json_integer(it->age_seconds));
	cmd_orphans_set_time(o, "last_activity_unix", it->last_activity);
	item_type_json(o, it);
	a = json_array();
	for (size_t i = 0; i < it->npids; i++) {
		const struct orphan_pid *p = &it->pids[i];
		json_t *e = json_object();

		json_object_set_new(e, "role", json_string(
		    orphan_role_names[p->role]));
		json_object_set_new(e, "pid", json_integer(p->pid));
		json_object_set_new(e, "state", json_string(
		    orphan_pid_state_names[p->state]));
		cmd_orphans_set_time(e, "event_time_unix", p->event_time);
		cmd_orphans_set_time(e, "start_time_unix", p->state ==
		    PS_DEAD ? 0 : p->start_time);
		json_object_set_new(e, "command", p->comm[0] ?
		    json_text(p->comm) : json_null());
		if (p->role == ROLE_LAST_OP)
			json_set_u64(e, "semaphores", p->nsems);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "pids", a);
	/* only when set: the documents of earlier versions stay the same */
	if (it->own_access != 0)
		json_object_set_new(o, "own_access_unix",
		    json_integer(it->own_access));
	if (it->verdict == OV_SUSPECT)
		json_object_set_new(o, "orphan_at_unix",
		    json_integer(it->orphan_at));
	if (it->type == IPC_SHM) {
		a = json_array();
		for (size_t i = 0; i < it->natt; i++) {
			json_t *e = json_object();

			json_object_set_new(e, "pid", json_integer(
			    it->att[i].pid));
			json_object_set_new(e, "command", json_text(
			    it->att[i].comm));
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "attachers", a);
		json_set_u64(o, "hidden_attachers", it->hidden_attachers);
	}
	return o;
}

json_t *
cmd_orphans_filter_json(const struct orphans_args *a)
{
	json_t *o = json_object(), *t = json_array();

	for (int i = 0; i < IPC_NTYPES; i++)
		if ((a->f.types ? a->f.types : IPC_TYPES_ALL) & (1u << i))
			json_array_append_new(t, json_string(
			    ipctype_table[i].name));
	json_object_set_new(o, "types", t);
	json_object_set_new(o, "uid", a->f.has_owner ?
	    json_integer(a->f.owner) : json_null());
	json_object_set_new(o, "older_than_seconds", a->f.has_older_than ?
	    json_integer((json_int_t)a->f.older_than_s) : json_null());
	json_object_set_new(o, "id", a->f.has_id ? json_integer(a->f.id) :
	    json_null());
	json_object_set_new(o, "key", a->f.has_key ? json_integer(a->f.key) :
	    json_null());
	json_object_set_new(o, "min_age_seconds",
	    json_integer((json_int_t)a->f.min_age_s));
	return o;
}

static json_t *
result_json(const struct orphans_run *run, const struct orphans_args *a,
    int64_t now)
{
	const struct orphan_result *r = &run->r;
	json_t *root = render_envelope("orphans", &run->ks, now), *o;

	json_object_set_new(root, "filter", cmd_orphans_filter_json(a));
	json_object_set_new(root, "judged", json_integer(
	    (json_int_t)r->njudged));
	o = json_object();
	for (int i = 0; i < IPC_NTYPES; i++)
		json_object_set_new(o, ipctype_table[i].json_key,
		    json_integer((json_int_t)r->norphans[i]));
	json_object_set_new(root, "orphans", o);
	o = json_object();
	for (int i = 0; i < IPC_NTYPES; i++)
		json_object_set_new(o, ipctype_table[i].json_key,
		    json_integer((json_int_t)r->nsuspect[i]));
	json_object_set_new(root, "suspect", o);
	json_object_set_new(root, "unknown", json_integer(
	    (json_int_t)r->nunknown));
	json_object_set_new(root, "inspection",
	    cmd_orphans_inspection_json(run));
	return root;
}

/* The members after "objects", which is streamed: summary, headroom. */
static json_t *
result_tail_json(const struct orphans_run *run)
{
	const struct orphan_result *r = &run->r;
	json_t *root = json_object(), *arr, *o;

	arr = json_array();
	for (size_t i = 0; i < r->nsums; i++) {
		const struct orphan_owner_sum *s = &r->sums[i];

		o = json_object();
		json_object_set_new(o, "uid", json_integer(s->uid));
		json_object_set_new(o, "user", json_string(
		    idname_user(s->uid)));
		json_object_set_new(o, "type", json_string(
		    ipctype_table[s->type].name));
		json_set_u64(o, "objects", s->objects);
		json_object_set_new(o, "limit_name", json_string(
		    ipctype_table[s->type].limit_name));
		if (s->has_limit) {
			json_set_u64(o, "limit", s->limit);
			json_object_set_new(o, "ratio", json_real(s->ratio));
		} else {
			json_object_set_new(o, "limit", json_null());
			json_object_set_new(o, "ratio", json_null());
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "summary", arr);
	arr = json_array();
	for (size_t i = 0; i < r->nhead; i++) {
		const struct orphan_headroom *h = &r->head[i];

		o = json_object();
		json_object_set_new(o, "resource", json_string(
		    resource_table[h->res].name));
		json_object_set_new(o, "unit", json_string(
		    resource_table[h->res].unit));
		json_set_u64(o, "freed", h->freed);
		if (h->has_limit)
			json_set_u64(o, "limit", h->limit);
		else
			json_object_set_new(o, "limit", json_null());
		if (h->has_used) {
			json_set_u64(o, "used", h->used);
			json_set_u64(o, "used_after", h->used > h->freed ?
			    h->used - h->freed : 0);
		} else {
			json_object_set_new(o, "used", json_null());
			json_object_set_new(o, "used_after", json_null());
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "headroom", arr);
	arr = json_array();
	for (size_t i = 0; i < r->nnotes; i++) {
		o = json_object();
		json_object_set_new(o, "code", json_string(r->notes[i].code));
		json_object_set_new(o, "text", json_string(r->notes[i].text));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "notes", arr);
	return root;
}

enum { C_TYPE, C_ID, C_KEY, C_OWNER, C_SIZE, C_AGE, C_VERDICT, C_REASONS,
    C_EVIDENCE, C_ATTACHERS, C_NCOLS };

static const struct column orphan_cols[C_NCOLS] = {
	[C_TYPE] = { "TYPE", IPCTYPE_NAMES(", ", " or "), 0, COL_DEFAULT },
	[C_ID] = { "ID", "identifier", 0, COL_DEFAULT | COL_RIGHT },
	[C_KEY] = { "KEY", "key", 0, COL_DEFAULT },
	[C_OWNER] = { "OWNER", "owner", 0, COL_DEFAULT },
	[C_SIZE] = { "SIZE", "bytes, semaphores or messages", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_AGE] = { "AGE", "time since last use", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_VERDICT] = { "VERDICT", "orphaned, suspect, in_use or unknown", 0,
	    0 },
	[C_REASONS] = { "REASONS", "reason codes", 0, COL_DEFAULT },
	[C_EVIDENCE] = { "EVIDENCE", "recorded PIDs and what became of them",
	    0, COL_DEFAULT },
	[C_ATTACHERS] = { "ATTACHED-BY", "processes with the segment mapped",
	    0, COL_DEFAULT },
};

struct stream_ctx {
	const struct orphan_item *items;
	size_t n;
	const char *key;
	json_t *(*item_fn)(const struct orphan_item *, size_t, const void *);
	const void *item_ctx;
	json_t *tail;
};

static void
stream_items(FILE *fp, const void *ctx)
{
	const struct stream_ctx *c = ctx;
	const char *k;
	json_t *v;

	/* one object at a time: 96,000 objects never become one tree */
	fprintf(fp, ",\n  \"%s\": [", c->key);
	for (size_t i = 0; i < c->n; i++) {
		json_t *o = c->item_fn != NULL ? c->item_fn(&c->items[i], i,
		    c->item_ctx) : cmd_orphans_item_json(&c->items[i]);

		fputs(i ? ",\n    " : "\n    ", fp);
		json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	fputs(c->n ? "\n  ]" : "]", fp);
	json_object_foreach(c->tail, k, v) {
		fprintf(fp, ",\n  \"%s\": ", k);
		json_dumpf(v, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
}

int
cmd_orphans_print_json(json_t *root, const struct orphan_item *items,
    size_t n, const char *key, json_t *(*item_fn)(const struct orphan_item *,
    size_t, const void *), const void *item_ctx, json_t *tail)
{
	struct stream_ctx c = { items, n, key, item_fn, item_ctx, tail };
	int r;

	r = render_json_print_streamed(stdout, root, stream_items, &c);
	json_decref(tail);
	return r == 0 ? EXIT_OK : EXIT_FAIL;
}

static const struct column_set cmd_orphans_columns[] = {
	{ orphan_cols, C_NCOLS },
	{ NULL, 0 },
};

/*
 * "3 semaphore arrays are suspect: ...": objects whose every recorded
 * process is gone, too young to be called orphaned yet.
 */
static void
print_suspects(const struct orphan_result *r, uint64_t min_age_s)
{
	char b1[32], b2[32];

	for (int t = 0; t < IPC_NTYPES; t++) {
		size_t n = r->nsuspect[t];
		int64_t first = INT64_MAX;

		if (n == 0)
			continue;
		for (size_t i = 0; i < r->nitems; i++)
			if (r->items[i].type == (enum ipc_type)t &&
			    r->items[i].verdict == OV_SUSPECT &&
			    r->items[i].orphan_at < first)
				first = r->items[i].orphan_at;
		printf("%zu %s %s suspect: every process recorded on %s is "
		    "gone, but %s used less than --min-age %s ago", n,
		    n == 1 ? ipctype_table[t].singular :
		    ipctype_table[t].plural,
		    n == 1 ? "is" : "are", n == 1 ? "it" : "them",
		    n == 1 ? "it was" : "they were",
		    cmd_orphans_age((int64_t)(min_age_s > INT64_MAX ?
		    INT64_MAX : min_age_s), b1, sizeof(b1)));
		/* count_only keeps no item, and then no time is known */
		if (first != INT64_MAX)
			printf(" (%s orphaned in %s)", n == 1 ? "it becomes" :
			    "the first becomes", cmd_orphans_age(first -
			    now_s(), b2, sizeof(b2)));
		printf("; clean removes %s only with --min-age 0\n",
		    n == 1 ? "it" : "them");
	}
}

static void
print_summary(const struct orphans_run *run, uint64_t min_age_s)
{
	const struct orphan_result *r = &run->r;
	size_t total = r->norphans[0] + r->norphans[1] + r->norphans[2];
	char b1[32], b2[32], b3[32], b4[32];
	bool any = false;

	if (total == 0) {
		printf("no orphaned objects among %zu judged\n", r->njudged);
	}
	print_suspects(r, min_age_s);
	for (size_t i = 0; i < r->nsums; i++) {
		const struct orphan_owner_sum *s = &r->sums[i];

		render_printf("%s: %s %s look%s leaked", idname_user(s->uid),
		    render_count(s->objects, b1, sizeof(b1)),
		    s->objects == 1 ? ipctype_table[s->type].singular :
		    ipctype_table[s->type].plural, s->objects == 1 ? "s" : "");
		if (s->has_limit && s->limit > 0)
			printf(", %s of %s", render_percent(s->ratio, b2,
			    sizeof(b2)), ipctype_table[s->type].limit_name);
		printf("\n");
	}
	for (size_t i = 0; i < r->nhead; i++) {
		const struct orphan_headroom *h = &r->head[i];
		const struct resource_desc *d = &resource_table[h->res];

		if (h->freed == 0 || !h->has_used)
			continue;
		if (!any)
			printf("a clean-up would give back:\n");
		any = true;
		printf("  %-7s %s %s: used %s -> %s", d->name,
		    render_count(h->freed, b1, sizeof(b1)), d->unit,
		    render_count(h->used, b2, sizeof(b2)),
		    render_count(h->used > h->freed ? h->used - h->freed : 0,
		    b3, sizeof(b3)));
		/* ULONG_MAX - 2^24 and above is the kernel's "no limit" */
		if (h->has_limit && h->limit < SYSCTL_UNLIMITED)
			printf(" of %s", render_count(h->limit, b4,
			    sizeof(b4)));
		printf("\n");
	}
	if (r->nunknown > r->nlocked)
		printf("%zu object%s could not be judged (the evidence "
		    "could not be read or seen: see the reasons)\n",
		    r->nunknown - r->nlocked,
		    r->nunknown - r->nlocked == 1 ? "" : "s");
	if (run->ps.nunreadable > 0)
		printf("%zu process%s could not be inspected (permission "
		    "denied%s)\n", run->ps.nunreadable,
		    run->ps.nunreadable == 1 ? "" : "es", root_advice());
	if (run->ps.hidden)
		printf("processes of other users could not be inspected "
		    "(/proc is mounted with hidepid=%s)\n",
		    procscan_hidepid_name(run->ps.hidepid));
	if (run->pidns_cause != NULL)
		printf("processes outside this PID namespace could not be "
		    "inspected (%s)\n", run->pidns_cause);
	if (r->nlocked > 0)
		printf("%zu semaphore array%s may be %s held with SEM_UNDO, "
		    "which the kernel does not show (may_be_locked)\n",
		    r->nlocked, r->nlocked == 1 ? "" : "s",
		    r->nlocked == 1 ? "a lock" : "locks");
}

static int
print_table(const struct orphans_run *run, const struct orphans_args *a,
    struct globals *g)
{
	const struct orphan_result *r = &run->r;
	char err[512], b[64], big[2048];
	const char *sel = g->columns;
	struct table *t;
	size_t nsuspect = 0;

	/* suspects are listed beside orphans: the verdict tells them apart */
	for (int ti = 0; ti < IPC_NTYPES; ti++)
		nsuspect += r->nsuspect[ti];
	if (sel == NULL && (a->f.keep_in_use || nsuspect > 0))
		sel = "TYPE,ID,KEY,OWNER,SIZE,AGE,VERDICT,REASONS,EVIDENCE,"
		    "ATTACHED-BY";
	if (!g->noheadings)
		render_namespace_line(&run->ks);
	if (r->nitems > 0) {
		t = table_new(orphan_cols, C_NCOLS, sel, &g->view,
		    err, sizeof(err));
		if (t == NULL)
			return cli_usage_error(a->cmd, "%s", err);
		for (size_t i = 0; i < r->nitems; i++) {
			const struct orphan_item *it = &r->items[i];

			table_row(t);
			table_cell(t, C_TYPE, ipctype_table[it->type].name);
			snprintf(b, sizeof(b), "%d", orphan_item_id(it));
			table_cell(t, C_ID, b);
			snprintf(b, sizeof(b), "0x%08" PRIx32,
			    orphan_item_key(it));
			table_cell(t, C_KEY, b);
			table_cell(t, C_OWNER, idname_user(
			    orphan_item_uid(it)));
			table_cell(t, C_SIZE, cmd_orphans_size(it, g->bytes,
			    b, sizeof(b)));
			table_cell(t, C_AGE, cmd_orphans_age(it->age_seconds,
			    b, sizeof(b)));
			table_cell(t, C_VERDICT, verdict_names[it->verdict]);
			table_cell(t, C_REASONS, cmd_orphans_reasons(it, big,
			    sizeof(big)));
			table_cell(t, C_EVIDENCE, evidence(it, big,
			    sizeof(big)));
			table_cell(t, C_ATTACHERS, attachers(it, big,
			    sizeof(big)));
			if (it->verdict == OV_ORPHANED)
				table_row_color(t, 1);
		}
		if (table_print_free(t) < 0)
			return EXIT_FAIL;
		if (!g->noheadings)
			printf("\n");
	}
	if (!g->noheadings)
		print_summary(run, a->f.min_age_s);
	for (size_t i = 0; i < r->nnotes; i++) {
		if (strcmp(r->notes[i].code, "logind_removeipc") == 0)
			cli_warn(g, "%s", r->notes[i].text);
		else if (!g->noheadings)
			render_printf("note: %s\n", r->notes[i].text);
	}
	return EXIT_OK;
}

static int
cmd_orphans(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct orphans_args a;
	struct orphans_run run;
	bool done;
	int idx, status;

	memset(&a, 0, sizeof(a));
	a.cmd = self;
	orphan_filter_init(&a.f);
	status = cli_parse(a.cmd, argc, argv, g, handler, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	status = cmd_orphans_run(g, &a, &run);
	if (status != 0)
		return status;
	if (g->format == FMT_JSON) {
		json_t *tail = result_tail_json(&run);

		status = cmd_orphans_print_json(result_json(&run, &a,
		    g->view.now),
		    run.r.items, run.r.nitems, "objects", NULL, NULL, tail);
	}
	else
		status = print_table(&run, &a, g);
	if (status == EXIT_OK && a.exit_status && run.r.norphans[0] +
	    run.r.norphans[1] + run.r.norphans[2] > 0)
		status = EXIT_NO;
	cmd_orphans_run_release(&run);
	return status;
}

const struct command cmd_orphans_entry = {
	.name = "orphans", .fn = cmd_orphans,
	.summary = "leaked IPC objects, each with its reasons and evidence",
	.opts = cmd_orphans_opts, .flags = CMD_FORMATS_JSON | CMD_NS,
	.colsets = cmd_orphans_columns
};
