/*
 * view_show.c: draws one object's detail (objdetail.h) as tables and as
 * the JSON document "show".  The field names follow the columns of
 * 'list' (and so lsipc's), the object's JSON members those of 'list'.
 * It reads neither the system nor the command line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include "numparse.h"
#include "view_show.h"

enum { F_FIELD, F_VALUE, F_NCOLS };

static const struct column field_cols[F_NCOLS] = {
	[F_FIELD] = { "FIELD", "the field", 0, COL_DEFAULT },
	[F_VALUE] = { "VALUE", "its value", 0, COL_DEFAULT },
};

enum { S_NUM, S_VALUE, S_NCNT, S_ZCNT, S_PID, S_COMMAND, S_STATE,
    S_NCOLS };

static const struct column sem_cols[S_NCOLS] = {
	[S_NUM] = { "SEMNUM", "semaphore", 0, COL_DEFAULT | COL_RIGHT },
	[S_VALUE] = { "VALUE", "semval", 0, COL_DEFAULT | COL_RIGHT },
	[S_NCNT] = { "NCOUNT", "waiting for increase", 0,
	    COL_DEFAULT | COL_RIGHT },
	[S_ZCNT] = { "ZCOUNT", "waiting for zero", 0, COL_DEFAULT | COL_RIGHT },
	[S_PID] = { "PID", "last operation (sempid)", 0,
	    COL_DEFAULT | COL_RIGHT },
	[S_COMMAND] = { "COMMAND", "its command", 0, COL_DEFAULT },
	[S_STATE] = { "STATE", "whether it runs", 0, COL_DEFAULT },
};

enum { P_PID, P_COMMAND, P_USER, P_CALL, P_WANTS, P_NCOLS };

static const struct column proc_cols[P_NCOLS] = {
	[P_PID] = { "PID", "process", 0, COL_DEFAULT | COL_RIGHT },
	[P_COMMAND] = { "COMMAND", "its command", 0, COL_DEFAULT },
	[P_USER] = { "USER", "its effective user", 0, COL_DEFAULT },
	[P_CALL] = { "CALL", "the system call it waits in", 0, COL_DEFAULT },
	[P_WANTS] = { "WANTS", "what the call asks for", 0, COL_DEFAULT },
};

/* "sem 0 -1, sem 2 0 (undo)": the operations of W, into BUF. */
static const char *
semops_text(const struct objdetail_waiter *w, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < w->nops && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%ssem %u %s%d%s",
		    i ? ", " : "", w->ops[i].num, w->ops[i].op > 0 ? "+" : "",
		    w->ops[i].op, w->ops[i].flg & SEM_UNDO ? " (undo)" : "");

		if (n < 0)
			break;
		used += (size_t)n;
	}
	if ((int64_t)w->nops < w->arg && used < len)
		snprintf(buf + used, len - used, ", ...");
	return buf;
}

/* What waiter W's call asks for, as the WANTS column says it. */
static const char *
wants_text(const struct objdetail_waiter *w, char *buf, size_t len)
{
	if (!w->has_arg) {
		snprintf(buf, len, "-");
		return buf;
	}
	switch (w->call) {
	case ODC_SEMOP:
	case ODC_SEMTIMEDOP:
		if (w->has_ops)
			return semops_text(w, buf, len);
		snprintf(buf, len, "%" PRId64 " operation%s", w->arg,
		    w->arg == 1 ? "" : "s");
		break;
	case ODC_MSGSND:
		snprintf(buf, len, "to send %" PRId64 " bytes", w->arg);
		break;
	case ODC_MSGRCV:
		/* msgrcv(2): 0 the first, > 0 that type, < 0 up to -type */
		if (w->arg == 0)
			snprintf(buf, len, "any message");
		else if (w->arg > 0)
			snprintf(buf, len, "type %" PRId64, w->arg);
		else
			snprintf(buf, len, "type <= %" PRId64, -w->arg);
		break;
	case ODC_COUNT:
		snprintf(buf, len, "-");
		break;
	}
	return buf;
}

const char *
view_show_rwx(uint32_t mode, char *buf, size_t len)
{
	static const char rwx[] = "rwxrwxrwx";
	char s[10];

	for (int i = 0; i < 9; i++)
		s[i] = mode & (0400u >> i) ? rwx[i] : '-';
	s[9] = '\0';
	snprintf(buf, len, "%s", s);
	return buf;
}

/* "123 cmd (runs)", "123 (gone)", "0 (none)" into BUF. */
static const char *
proc_text(const struct objdetail_proc *p, bool live, char *buf, size_t len)
{
	if (p->pid <= 0)
		snprintf(buf, len, "0 (none)");
	else if (!live)
		snprintf(buf, len, "%d", (int)p->pid);
	else if (p->comm[0] != '\0')
		snprintf(buf, len, "%d %s (%s)", (int)p->pid, p->comm,
		    objdetail_run_names[p->run]);
	else
		snprintf(buf, len, "%d (%s)", (int)p->pid,
		    objdetail_run_names[p->run]);
	return buf;
}

static void
field(struct table *t, const char *name, const char *value)
{
	table_row(t);
	table_cell(t, F_FIELD, name);
	table_cell(t, F_VALUE, value);
}

/* The rows every type has: identity, owner, creator, permissions. */
static void
perm_rows(struct table *t, const struct obj_perm *p,
    const struct render_opts *ro)
{
	char b[160], n[64], r[16];

	snprintf(b, sizeof(b), "%d", p->id);
	field(t, "ID", b);
	snprintf(b, sizeof(b), "0x%08" PRIx32, p->key);
	field(t, "KEY", b);
	snprintf(b, sizeof(b), "%s (%u)", render_user(ro, p->uid, n,
	    sizeof(n)), (unsigned)p->uid);
	field(t, "OWNER", b);
	snprintf(b, sizeof(b), "%s (%u)", render_group(ro, p->gid, n,
	    sizeof(n)), (unsigned)p->gid);
	field(t, "GROUP", b);
	snprintf(b, sizeof(b), "%s (%u)", render_user(ro, p->cuid, n,
	    sizeof(n)), (unsigned)p->cuid);
	field(t, "CUSER", b);
	snprintf(b, sizeof(b), "%s (%u)", render_group(ro, p->cgid, n,
	    sizeof(n)), (unsigned)p->cgid);
	field(t, "CGROUP", b);
	snprintf(b, sizeof(b), "%04" PRIo32 " %s", p->mode & 0777,
	    view_show_rwx(p->mode, r, sizeof(r)));
	field(t, "PERMS", b);
}

static void
shm_rows(struct table *t, const struct objdetail *d,
    const struct render_opts *ro)
{
	const struct shm_obj *o = &d->shm;
	char b[160];

	perm_rows(t, &o->perm, ro);
	field(t, "SIZE", render_bytes(o->size_bytes, ro->bytes, b, sizeof(b)));
	snprintf(b, sizeof(b), "%" PRIu64, num_div_ceil_u64(o->size_bytes,
	    d->page_size));
	field(t, "PAGES", b);
	snprintf(b, sizeof(b), "%" PRIu64, o->nattch);
	field(t, "NATTCH", b);
	field(t, "CPID", proc_text(&d->role[ODP_CPID], d->live, b,
	    sizeof(b)));
	field(t, "LPID", proc_text(&d->role[ODP_LPID], d->live, b,
	    sizeof(b)));
	field(t, "ATTACH", render_time_as(ro, o->atime, b, sizeof(b)));
	field(t, "DETACH", render_time_as(ro, o->dtime, b, sizeof(b)));
	field(t, "CTIME", render_time_as(ro, o->ctime, b, sizeof(b)));
	snprintf(b, sizeof(b), "%s%s%s", o->perm.mode & IPC_SHM_DEST ?
	    "dest" : "", (o->perm.mode & IPC_SHM_DEST) &&
	    (o->perm.mode & IPC_SHM_LOCKED) ? "," : "",
	    o->perm.mode & IPC_SHM_LOCKED ? "locked" : "");
	field(t, "STATUS", b[0] ? b : "-");
	field(t, "RSS", o->has_rss ? render_bytes(o->rss_bytes, ro->bytes, b,
	    sizeof(b)) : "-");
	field(t, "SWAP", o->has_rss ? render_bytes(o->swap_bytes, ro->bytes,
	    b, sizeof(b)) : "-");
}

static void
sem_rows(struct table *t, const struct objdetail *d,
    const struct render_opts *ro)
{
	char b[64];

	perm_rows(t, &d->sem.perm, ro);
	snprintf(b, sizeof(b), "%" PRIu64, d->sem.nsems);
	field(t, "NSEMS", b);
	field(t, "OTIME", render_time_as(ro, d->sem.otime, b, sizeof(b)));
	field(t, "CTIME", render_time_as(ro, d->sem.ctime, b, sizeof(b)));
}

static void
msg_rows(struct table *t, const struct objdetail *d,
    const struct render_opts *ro)
{
	const struct msg_obj *o = &d->msg;
	char b[160];

	perm_rows(t, &o->perm, ro);
	field(t, "USEDBYTES", render_bytes(o->cbytes, ro->bytes, b, sizeof(b)));
	snprintf(b, sizeof(b), "%" PRIu64, o->qnum);
	field(t, "MSGS", b);
	field(t, "QBYTES", o->has_qbytes ? render_bytes(o->qbytes, ro->bytes,
	    b, sizeof(b)) : "-");
	field(t, "LSPID", proc_text(&d->role[ODP_LSPID], d->live, b,
	    sizeof(b)));
	field(t, "LRPID", proc_text(&d->role[ODP_LRPID], d->live, b,
	    sizeof(b)));
	field(t, "SEND", render_time_as(ro, o->stime, b, sizeof(b)));
	field(t, "RECV", render_time_as(ro, o->rtime, b, sizeof(b)));
	field(t, "CTIME", render_time_as(ro, o->ctime, b, sizeof(b)));
}

/* A plain copy of RO: every column, no -o (that selects nothing here). */
static struct render_opts
plain(const struct render_opts *ro)
{
	struct render_opts p = *ro;

	p.columns = NULL;
	return p;
}

/* Print the heading of a section unless headings are off. */
static void
heading(const struct render_opts *ro, const char *text, size_t n)
{
	if (!ro->noheadings)
		render_printf("\n%s (%zu)\n", text, n);
}

static int
sems_table(const struct objdetail *d, const struct render_opts *ro)
{
	struct render_opts p = plain(ro);
	struct table *t;
	char err[256], b[64];

	heading(ro, "Semaphores", d->nsems);
	t = table_new(sem_cols, S_NCOLS, NULL, &p, err, sizeof(err));
	if (t == NULL)
		return -1;
	for (size_t i = 0; i < d->nsems; i++) {
		const struct objdetail_sem *s = &d->sems[i];

		table_row(t);
		snprintf(b, sizeof(b), "%zu", i);
		table_cell(t, S_NUM, b);
		snprintf(b, sizeof(b), "%u", s->value);
		table_cell(t, S_VALUE, b);
		snprintf(b, sizeof(b), "%u", s->ncnt);
		table_cell(t, S_NCNT, b);
		snprintf(b, sizeof(b), "%u", s->zcnt);
		table_cell(t, S_ZCNT, b);
		snprintf(b, sizeof(b), "%d", (int)s->last.pid);
		table_cell(t, S_PID, b);
		table_cell(t, S_COMMAND, s->last.comm[0] ? s->last.comm : "-");
		table_cell(t, S_STATE, objdetail_run_names[s->last.run]);
	}
	return table_print_free(t);
}

/* The N processes of PS (or of WS, with their calls) as a table. */
static int
procs_table(const char *title, const struct objdetail_proc *ps,
    const struct objdetail_waiter *ws, size_t n, const struct render_opts *ro)
{
	struct render_opts p = plain(ro);
	struct table *t;
	/* WANTS: up to OBJDETAIL_OPS_MAX "sem 65535 -32768 (undo), " */
	char err[256], b[64], wb[OBJDETAIL_OPS_MAX * 26 + 16];

	heading(ro, title, n);
	t = table_new(proc_cols, ws ? P_NCOLS : P_CALL, NULL, &p, err,
	    sizeof(err));
	if (t == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct objdetail_proc *q = ws ? &ws[i].who : &ps[i];

		table_row(t);
		snprintf(b, sizeof(b), "%d", (int)q->pid);
		table_cell(t, P_PID, b);
		table_cell(t, P_COMMAND, q->comm[0] ? q->comm : "-");
		table_cell(t, P_USER, q->has_uid ? render_user(ro, q->uid, b,
		    sizeof(b)) : "-");
		if (ws) {
			table_cell(t, P_CALL, objdetail_call_names[ws[i].call]);
			table_cell(t, P_WANTS, wants_text(&ws[i], wb,
			    sizeof(wb)));
		}
	}
	return table_print_free(t);
}

int
view_show_table(const struct objdetail *d, const struct render_opts *ro)
{
	struct render_opts p = plain(ro);
	struct table *t;
	char err[256];
	int r = 0;

	t = table_new(field_cols, F_NCOLS, NULL, &p, err, sizeof(err));
	if (t == NULL)
		return -1;
	switch (d->type) {
	case IPC_SHM:
		shm_rows(t, d, ro);
		break;
	case IPC_SEM:
		sem_rows(t, d, ro);
		break;
	case IPC_MSG:
		msg_rows(t, d, ro);
		break;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	if (table_print_free(t) < 0)
		return -1;
	if (d->has_sems)
		r |= sems_table(d, ro);
	if (d->has_attachers)
		r |= procs_table("Attached processes", d->attachers, NULL,
		    d->nattachers, ro);
	if (d->has_waiters)
		r |= procs_table("Waiting processes", NULL, d->waiters,
		    d->nwaiters, ro);
	return r < 0 ? -1 : 0;
}

static void
set_time(json_t *o, const char *key, int64_t t)
{
	json_object_set_new(o, key, t != 0 ? json_integer(t) : json_null());
}

/* The identity and permission members as 'list' writes them. */
static void
perm_json(json_t *o, const struct obj_perm *p, const struct render_opts *ro)
{
	char b[64];

	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "key", json_integer(p->key));
	snprintf(b, sizeof(b), "0x%08" PRIx32, p->key);
	json_object_set_new(o, "key_hex", json_string(b));
	json_object_set_new(o, "uid", json_integer(p->uid));
	json_object_set_new(o, "user", json_text(render_user(ro, p->uid, b,
	    sizeof(b))));
	json_object_set_new(o, "gid", json_integer(p->gid));
	json_object_set_new(o, "group", json_text(render_group(ro, p->gid, b,
	    sizeof(b))));
	json_object_set_new(o, "cuid", json_integer(p->cuid));
	json_object_set_new(o, "cgid", json_integer(p->cgid));
	snprintf(b, sizeof(b), "%04" PRIo32, p->mode & 0777);
	json_object_set_new(o, "perms", json_string(b));
	json_object_set_new(o, "mode", json_integer(p->mode));
}

/* The members of the object, named as in 'list' and 'snapshot'. */
static json_t *
object_json(const struct objdetail *d, const struct render_opts *ro)
{
	json_t *o = json_object();

	switch (d->type) {
	case IPC_SHM:
		perm_json(o, &d->shm.perm, ro);
		json_set_u64(o, "size_bytes", d->shm.size_bytes);
		json_set_u64(o, "pages", num_div_ceil_u64(d->shm.size_bytes,
		    d->page_size));
		json_set_u64(o, "nattch", d->shm.nattch);
		json_object_set_new(o, "cpid", json_integer(d->shm.cpid));
		json_object_set_new(o, "lpid", json_integer(d->shm.lpid));
		set_time(o, "atime_unix", d->shm.atime);
		set_time(o, "dtime_unix", d->shm.dtime);
		set_time(o, "ctime_unix", d->shm.ctime);
		json_object_set_new(o, "dest", json_boolean(d->shm.perm.mode &
		    IPC_SHM_DEST));
		json_object_set_new(o, "locked", json_boolean(
		    d->shm.perm.mode & IPC_SHM_LOCKED));
		if (d->shm.has_rss) {
			json_set_u64(o, "rss_bytes", d->shm.rss_bytes);
			json_set_u64(o, "swap_bytes", d->shm.swap_bytes);
		} else {
			json_object_set_new(o, "rss_bytes", json_null());
			json_object_set_new(o, "swap_bytes", json_null());
		}
		break;
	case IPC_SEM:
		perm_json(o, &d->sem.perm, ro);
		json_set_u64(o, "nsems", d->sem.nsems);
		set_time(o, "otime_unix", d->sem.otime);
		set_time(o, "ctime_unix", d->sem.ctime);
		break;
	case IPC_MSG:
		perm_json(o, &d->msg.perm, ro);
		json_set_u64(o, "used_bytes", d->msg.cbytes);
		json_set_u64(o, "messages", d->msg.qnum);
		if (d->msg.has_qbytes)
			json_set_u64(o, "qbytes", d->msg.qbytes);
		else
			json_object_set_new(o, "qbytes", json_null());
		json_object_set_new(o, "lspid", json_integer(d->msg.lspid));
		json_object_set_new(o, "lrpid", json_integer(d->msg.lrpid));
		set_time(o, "stime_unix", d->msg.stime);
		set_time(o, "rtime_unix", d->msg.rtime);
		set_time(o, "ctime_unix", d->msg.ctime);
		break;
	case IPC_PSHM:
	case IPC_PSEM:
	case IPC_PMQ:
	case IPC_NTYPES:
		break;
	}
	return o;
}

/* A process: pid, state, command and user (null where unknown). */
static json_t *
proc_json(const struct objdetail_proc *p, bool live,
    const struct render_opts *ro)
{
	json_t *o = json_object();
	char b[64];

	json_object_set_new(o, "pid", json_integer(p->pid));
	json_object_set_new(o, "state", p->pid <= 0 ? json_string("none") :
	    live ? json_string(objdetail_run_names[p->run]) : json_null());
	json_object_set_new(o, "command", p->comm[0] ? json_text(p->comm) :
	    json_null());
	json_object_set_new(o, "uid", p->has_uid ? json_integer(p->uid) :
	    json_null());
	json_object_set_new(o, "user", p->has_uid ? json_text(render_user(ro,
	    p->uid, b, sizeof(b))) : json_null());
	return o;
}

static json_t *
sems_json(const struct objdetail *d, const struct render_opts *ro)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nsems; i++) {
		const struct objdetail_sem *s = &d->sems[i];
		json_t *o = json_object();

		json_object_set_new(o, "num", json_integer((json_int_t)i));
		json_object_set_new(o, "value", json_integer(s->value));
		json_object_set_new(o, "ncnt", json_integer(s->ncnt));
		json_object_set_new(o, "zcnt", json_integer(s->zcnt));
		json_object_set_new(o, "last_pid", proc_json(&s->last, true,
		    ro));
		json_array_append_new(a, o);
	}
	return a;
}

/* The operations of waiter W, or null when not read. */
static json_t *
semops_json(const struct objdetail_waiter *w)
{
	json_t *a;

	if (!w->has_ops)
		return json_null();
	a = json_array();
	for (size_t i = 0; i < w->nops; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "num", json_integer(w->ops[i].num));
		json_object_set_new(o, "op", json_integer(w->ops[i].op));
		json_object_set_new(o, "undo", json_boolean(w->ops[i].flg &
		    SEM_UNDO));
		json_object_set_new(o, "nowait", json_boolean(w->ops[i].flg &
		    IPC_NOWAIT));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
waiters_json(const struct objdetail *d, const struct render_opts *ro)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nwaiters; i++) {
		json_t *o = proc_json(&d->waiters[i].who, true, ro);

		json_object_set_new(o, "call", json_string(
		    objdetail_call_names[d->waiters[i].call]));
		json_object_set_new(o, "call_arg", d->waiters[i].has_arg ?
		    json_integer(d->waiters[i].arg) : json_null());
		json_object_set_new(o, "semops", semops_json(&d->waiters[i]));
		json_array_append_new(a, o);
	}
	return a;
}

/* The members only the live system has: null when not read. */
static void
live_json(json_t *root, const struct objdetail *d,
    const struct render_opts *ro)
{
	json_t *pids = json_object(), *a;

	for (int r = 0; r < ODP_COUNT; r++)
		if (d->has_role[r])
			json_object_set_new(pids, objdetail_role_names[r],
			    proc_json(&d->role[r], d->live, ro));
	json_object_set_new(root, "pids", pids);
	if (d->type == IPC_SHM) {
		a = d->has_attachers ? json_array() : json_null();
		for (size_t i = 0; d->has_attachers && i < d->nattachers; i++)
			json_array_append_new(a, proc_json(&d->attachers[i],
			    true, ro));
		json_object_set_new(root, "attachers", a);
	}
	if (d->type == IPC_SEM)
		json_object_set_new(root, "semaphores", d->has_sems ?
		    sems_json(d, ro) : json_null());
	if (d->type == IPC_SEM || d->type == IPC_MSG) {
		json_object_set_new(root, "waiters", d->has_waiters ?
		    waiters_json(d, ro) : json_null());
		json_object_set_new(root, "waiters_partial", json_boolean(
		    d->waiters_partial));
	}
}

json_t *
view_show_json(const struct objdetail *d, const struct kstate *ks,
    const struct render_opts *ro)
{
	json_t *root = render_envelope("show", ks, ro->now);
	const struct obj_perm *p = d->type == IPC_SHM ? &d->shm.perm :
	    d->type == IPC_SEM ? &d->sem.perm : &d->msg.perm;
	char b[16];

	json_object_set_new(root, "type", json_string(
	    ipctype_table[d->type].name));
	json_object_set_new(root, "object", object_json(d, ro));
	json_object_set_new(root, "perms_text", json_string(view_show_rwx(
	    p->mode, b, sizeof(b))));
	json_object_set_new(root, "live", json_boolean(d->live));
	live_json(root, d, ro);
	return root;
}
