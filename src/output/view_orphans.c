/*
 * view_orphans.c: the forms of a judged object: its cells (size, age,
 * reasons, evidence, attachers), its JSON object, the JSON of a filter
 * and of what the process facts could not see, and the streamed document
 * of a list of them.  It turns results into text; it does not read the
 * system, the clock or the command line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idname.h"
#include "jsonc.h"
#include "render.h"
#include "textesc.h"
#include "view_orphans.h"
#include "xmalloc.h"

const char *const view_orphans_verdict_names[OV_COUNT] = {
	[OV_ORPHANED] = "orphaned", [OV_IN_USE] = "in_use",
	[OV_UNKNOWN] = "unknown", [OV_SUSPECT] = "suspect",
};

const char *
view_orphans_age(int64_t s, char *buf, size_t len)
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
view_orphans_reasons(const struct orphan_item *it, char *buf, size_t len)
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
view_orphans_size(const struct orphan_item *it, bool raw, char *buf,
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
	case IPC_PSHM:
		return render_bytes(it->obj.pshm.f.size_bytes, raw, buf, len);
	case IPC_PSEM:
		return render_bytes(it->obj.psem.f.size_bytes, raw, buf, len);
	case IPC_PMQ:
		snprintf(buf, len, "%s queued", render_bytes(
		    it->obj.pmq.qsize_bytes, raw, b, sizeof(b)));
		return buf;
	case IPC_NTYPES:
		break;
	}
	snprintf(buf, len, "-");
	return buf;
}

const char *
view_orphans_evidence(const struct orphan_item *it, int64_t now, char *buf,
    size_t len)
{
	size_t o = 0;
	char extra[96], age[32];

	buf[0] = '\0';
	for (size_t i = 0; i < it->npids; i++) {
		const struct orphan_pid *p = &it->pids[i];

		if (p->role == ROLE_LOOP) {
			o += (size_t)snprintf(buf + (o < len ? o : len),
			    o < len ? len - o : 0, "%sbacks /dev/%s",
			    o ? "; " : "", p->comm);
			continue;
		}
		extra[0] = '\0';
		if (p->state == PS_REUSED)
			snprintf(extra, sizeof(extra), " by %s (started %s "
			    "after)", p->comm[0] ? p->comm : "?",
			    view_orphans_age(p->start_time - p->event_time,
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
	if (it->convention != NULL) {
		o = strlen(buf);
		snprintf(buf + o, len - o, "%sname as %s names it, with its "
		    "PID", o ? "; " : "", it->convention);
	}
	if (it->verdict == OV_SUSPECT) {
		o = strlen(buf);
		snprintf(buf + o, len - o, "%sorphan in %s", o ? "; " : "",
		    view_orphans_age(it->orphan_at - now, age, sizeof(age)));
	}
	if (it->own_access != 0) {
		o = strlen(buf);
		snprintf(buf + o, len - o, "%sipctune's own access %s ago set "
		    "aside", o ? "; " : "", view_orphans_age(now -
		    it->own_access, age, sizeof(age)));
	}
	return buf;
}

const char *
view_orphans_attachers(const struct orphan_item *it, char *buf, size_t len)
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
view_orphans_set_time(json_t *o, const char *key, int64_t t)
{
	json_object_set_new(o, key, t != 0 ? json_integer(t) : json_null());
}

void
view_orphans_set_perm(json_t *o, const struct obj_perm *p)
{
	char b[32];

	json_object_set_new(o, "key", json_integer(p->key));
	snprintf(b, sizeof(b), "0x%08" PRIx32, p->key);
	json_object_set_new(o, "key_hex", json_string(b));
	json_object_set_new(o, "uid", json_integer(p->uid));
	json_object_set_new(o, "user", json_text(idname_user(p->uid)));
	json_object_set_new(o, "gid", json_integer(p->gid));
	json_object_set_new(o, "group", json_text(idname_group(p->gid)));
	json_object_set_new(o, "cuid", json_integer(p->cuid));
	json_object_set_new(o, "cgid", json_integer(p->cgid));
	snprintf(b, sizeof(b), "%04" PRIo32, p->mode & 0777);
	json_object_set_new(o, "perms", json_string(b));
	json_object_set_new(o, "mode", json_integer(p->mode));
}

/* The members of a POSIX object's file: name (escaped), sizes, times. */
static void
item_file(json_t *o, const struct posix_file *f)
{
	char *name = textesc_dup(f->name);

	json_object_set_new(o, "name", json_string(name));
	free(name);
	json_set_u64(o, "size_bytes", f->size_bytes);
	json_set_u64(o, "allocated_bytes", f->alloc_bytes);
	view_orphans_set_time(o, "mtime_unix", f->mtime);
	view_orphans_set_time(o, "ctime_unix", f->ctime);
}

/* The members of IT's object its type alone has: size, PIDs, times. */
static void
item_detail(json_t *o, const struct orphan_item *it)
{
	switch (it->type) {
	case IPC_SHM: {
		const struct shm_obj *s = &it->obj.shm;

		json_set_u64(o, "size_bytes", s->size_bytes);
		json_set_u64(o, "nattch", s->nattch);
		json_object_set_new(o, "cpid", json_integer(s->cpid));
		json_object_set_new(o, "lpid", json_integer(s->lpid));
		view_orphans_set_time(o, "atime_unix", s->atime);
		view_orphans_set_time(o, "dtime_unix", s->dtime);
		view_orphans_set_time(o, "ctime_unix", s->ctime);
		json_object_set_new(o, "dest", json_boolean(s->perm.mode &
		    IPC_SHM_DEST));
		break;
	}
	case IPC_SEM: {
		const struct sem_obj *s = &it->obj.sem;

		json_set_u64(o, "nsems", s->nsems);
		view_orphans_set_time(o, "otime_unix", s->otime);
		view_orphans_set_time(o, "ctime_unix", s->ctime);
		break;
	}
	case IPC_MSG: {
		const struct msg_obj *s = &it->obj.msg;

		json_set_u64(o, "used_bytes", s->cbytes);
		json_set_u64(o, "messages", s->qnum);
		json_object_set_new(o, "lspid", json_integer(s->lspid));
		json_object_set_new(o, "lrpid", json_integer(s->lrpid));
		view_orphans_set_time(o, "stime_unix", s->stime);
		view_orphans_set_time(o, "rtime_unix", s->rtime);
		view_orphans_set_time(o, "ctime_unix", s->ctime);
		break;
	}
	case IPC_PSHM:
		item_file(o, &it->obj.pshm.f);
		break;
	case IPC_PSEM:
		item_file(o, &it->obj.psem.f);
		break;
	case IPC_PMQ:
		item_file(o, &it->obj.pmq.f);
		json_set_u64(o, "used_bytes", it->obj.pmq.qsize_bytes);
		break;
	case IPC_NTYPES:
		break;
	}
}

/* The recorded PIDs of IT and what became of them, as a JSON array. */
static json_t *
item_pids(const struct orphan_item *it)
{
	json_t *a = json_array();

	for (size_t i = 0; i < it->npids; i++) {
		const struct orphan_pid *p = &it->pids[i];
		json_t *e = json_object();

		json_object_set_new(e, "role", json_string(
		    orphan_role_names[p->role]));
		json_object_set_new(e, "pid", json_integer(p->pid));
		json_object_set_new(e, "state", json_string(
		    orphan_pid_state_names[p->state]));
		view_orphans_set_time(e, "event_time_unix", p->event_time);
		view_orphans_set_time(e, "start_time_unix", p->state ==
		    PS_DEAD ? 0 : p->start_time);
		json_object_set_new(e, "command", p->comm[0] ?
		    json_text(p->comm) : json_null());
		if (p->role == ROLE_LAST_OP)
			json_set_u64(e, "semaphores", p->nsems);
		json_array_append_new(a, e);
	}
	return a;
}

/* The visible attachers of segment IT and how many are not visible. */
static void
item_attachers(json_t *o, const struct orphan_item *it)
{
	json_t *a = json_array();

	for (size_t i = 0; i < it->natt; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "pid", json_integer(it->att[i].pid));
		json_object_set_new(e, "command", json_text(it->att[i].comm));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "attachers", a);
	json_set_u64(o, "hidden_attachers", it->hidden_attachers);
}

json_t *
view_orphans_item_json(const struct orphan_item *it)
{
	json_t *o = json_object(), *a;

	json_object_set_new(o, "type",
	    json_string(ipctype_table[it->type].name));
	json_object_set_new(o, "id", json_integer(orphan_item_id(it)));
	view_orphans_set_perm(o, orphan_item_perm(it));
	json_object_set_new(o, "verdict", json_string(
	    view_orphans_verdict_names[it->verdict]));
	a = json_array();
	for (int r = 0; r < ORS_COUNT; r++)
		if (it->reasons & (1u << r))
			json_array_append_new(a, json_string(
			    orphan_reason_table[r].code));
	json_object_set_new(o, "reasons", a);
	json_object_set_new(o, "age_seconds", json_integer(it->age_seconds));
	view_orphans_set_time(o, "last_activity_unix", it->last_activity);
	item_detail(o, it);
	json_object_set_new(o, "pids", item_pids(it));
	/* only when set: the documents of earlier versions stay the same */
	if (it->own_access != 0)
		json_object_set_new(o, "own_access_unix",
		    json_integer(it->own_access));
	if (it->verdict == OV_SUSPECT)
		json_object_set_new(o, "orphan_at_unix",
		    json_integer(it->orphan_at));
	if (it->type == IPC_SHM)
		item_attachers(o, it);
	if (IPC_TYPE_IS_POSIX(it->type))
		json_object_set_new(o, "naming_convention", it->convention ?
		    json_string(it->convention) : json_null());
	return o;
}

json_t *
view_orphans_manifest_entry(const struct shm_obj *s, const char *file,
    int64_t at)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(s->perm.id));
	view_orphans_set_perm(o, &s->perm);
	json_set_u64(o, "size_bytes", s->size_bytes);
	json_object_set_new(o, "cpid", json_integer(s->cpid));
	json_object_set_new(o, "lpid", json_integer(s->lpid));
	view_orphans_set_time(o, "atime_unix", s->atime);
	view_orphans_set_time(o, "dtime_unix", s->dtime);
	view_orphans_set_time(o, "ctime_unix", s->ctime);
	view_orphans_set_time(o, "saved_at_unix", at);
	json_object_set_new(o, "file", json_string(file));
	return o;
}

/* The members of a queue's manifest entry: attributes, no messages. */
static void
manifest_pmq(json_t *o, const struct pmq_obj *q)
{
	json_object_set_new(o, "qsize_bytes", q->has_text ?
	    json_integer((json_int_t)q->qsize_bytes) : json_null());
	json_object_set_new(o, "notify", q->has_text ?
	    json_integer(q->notify) : json_null());
	json_object_set_new(o, "signo", q->has_text ?
	    json_integer(q->signo) : json_null());
	json_object_set_new(o, "notify_pid", q->has_text ?
	    json_integer(q->notify_pid) : json_null());
	json_object_set_new(o, "mq_maxmsg", q->has_attr ?
	    json_integer(q->maxmsg) : json_null());
	json_object_set_new(o, "mq_msgsize", q->has_attr ?
	    json_integer(q->msgsize) : json_null());
	json_object_set_new(o, "mq_curmsgs", q->has_attr ?
	    json_integer(q->curmsgs) : json_null());
}

json_t *
view_orphans_posix_manifest_entry(const struct orphan_item *it,
    const char *file, const char *hex, int64_t at)
{
	const struct posix_file *f = it->type == IPC_PSHM ?
	    &it->obj.pshm.f : it->type == IPC_PSEM ? &it->obj.psem.f :
	    &it->obj.pmq.f;
	json_t *o = json_object();
	char *name = textesc_dup(f->name), *raw;
	size_t n = strlen(f->name);

	json_object_set_new(o, "type", json_string(
	    ipctype_table[it->type].name));
	json_object_set_new(o, "name", json_string(name));
	free(name);
	/* the exact bytes, for a name that is not UTF-8 */
	raw = xmalloc(2 * n + 1);
	for (size_t i = 0; i < n; i++)
		snprintf(raw + 2 * i, 3, "%02x", (unsigned char)f->name[i]);
	raw[2 * n] = '\0';
	json_object_set_new(o, "name_hex", json_string(raw));
	free(raw);
	json_set_u64(o, "inode", f->ino);
	view_orphans_set_perm(o, orphan_item_perm(it));
	/* a POSIX object has no key */
	json_object_del(o, "key");
	json_object_del(o, "key_hex");
	json_set_u64(o, "size_bytes", f->size_bytes);
	json_set_u64(o, "allocated_bytes", f->alloc_bytes);
	view_orphans_set_time(o, "atime_unix", f->atime);
	view_orphans_set_time(o, "mtime_unix", f->mtime);
	view_orphans_set_time(o, "ctime_unix", f->ctime);
	view_orphans_set_time(o, "saved_at_unix", at);
	json_object_set_new(o, "file", file ? json_string(file) :
	    json_null());
	json_object_set_new(o, "sha256", hex ? json_string(hex) :
	    json_null());
	if (it->type == IPC_PSEM)
		json_object_set_new(o, "sem_value", it->obj.psem.has_value ?
		    json_integer(it->obj.psem.value) : json_null());
	if (it->type == IPC_PMQ) {
		manifest_pmq(o, &it->obj.pmq);
		json_object_set_new(o, "messages_saved", json_false());
	}
	return o;
}

json_t *
view_orphans_filter_json(const struct orphan_filter *f)
{
	json_t *o = json_object(), *t = json_array();

	for (int i = 0; i < IPC_NTYPES; i++)
		if ((f->types ? f->types : IPC_TYPES_ALL) & (1u << i))
			json_array_append_new(t, json_string(
			    ipctype_table[i].name));
	json_object_set_new(o, "types", t);
	json_object_set_new(o, "uid", f->has_owner ?
	    json_integer(f->owner) : json_null());
	json_object_set_new(o, "older_than_seconds", f->has_older_than ?
	    json_integer((json_int_t)f->older_than_s) : json_null());
	json_object_set_new(o, "id", f->has_id ? json_integer(f->id) :
	    json_null());
	json_object_set_new(o, "key", f->has_key ? json_integer(f->key) :
	    json_null());
	json_object_set_new(o, "min_age_seconds",
	    json_integer((json_int_t)f->min_age_s));
	return o;
}

/* Append the cause CODE with TEXT to CAUSES. */
static void
add_cause(json_t *causes, const char *code, const char *text)
{
	json_t *c = json_object();

	json_object_set_new(c, "code", json_string(code));
	json_object_set_new(c, "text", json_string(text));
	json_array_append_new(causes, c);
}

json_t *
view_orphans_inspection_json(size_t nunreadable, bool as_root, bool hidden,
    const char *hidepid, const char *pidns_cause)
{
	json_t *o = json_object(), *causes = json_array();
	char text[256];

	if (nunreadable > 0) {
		snprintf(text, sizeof(text), "%zu process%s in /proc could "
		    "not be read (permission denied%s)", nunreadable,
		    nunreadable == 1 ? "" : "es", as_root ? "" :
		    "; run as root");
		add_cause(causes, "permission_denied", text);
	}
	if (hidden) {
		snprintf(text, sizeof(text), "/proc is mounted with "
		    "hidepid=%s: processes of other users are hidden",
		    hidepid);
		add_cause(causes, "hidepid", text);
	}
	if (pidns_cause != NULL)
		add_cause(causes, "pid_namespace", pidns_cause);
	json_object_set_new(o, "complete", json_boolean(
	    json_array_size(causes) == 0));
	json_object_set_new(o, "processes_not_inspected", json_integer(
	    (json_int_t)nunreadable));
	json_object_set_new(o, "processes_hidden", json_boolean(hidden));
	json_object_set_new(o, "causes", causes);
	return o;
}

/* KEY: S as json_string() sets it: no member when S is not UTF-8. */
static void
text_str(struct jsonc *c, const char *key, const char *s)
{
	if (s != NULL && jsonc_utf8_ok(s))
		jsonc_str(c, key, s);
}

/* KEY: S as json_text() makes it: S, S escaped, or null. */
static void
text_text(struct jsonc *c, const char *key, const char *s)
{
	char *e;

	if (jsonc_utf8_ok(s)) {
		jsonc_str(c, key, s);
		return;
	}
	e = textesc_dup(s);
	if (jsonc_utf8_ok(e))
		jsonc_str(c, key, e);
	else
		jsonc_null(c, key);
	free(e);
}

/* view_orphans_set_perm() as text. */
static void
text_perm(struct jsonc *c, const struct obj_perm *p)
{
	char b[32];

	jsonc_int(c, "key", p->key);
	snprintf(b, sizeof(b), "0x%08" PRIx32, p->key);
	jsonc_str(c, "key_hex", b);
	jsonc_int(c, "uid", p->uid);
	text_text(c, "user", idname_user(p->uid));
	jsonc_int(c, "gid", p->gid);
	text_text(c, "group", idname_group(p->gid));
	jsonc_int(c, "cuid", p->cuid);
	jsonc_int(c, "cgid", p->cgid);
	snprintf(b, sizeof(b), "%04" PRIo32, p->mode & 0777);
	jsonc_str(c, "perms", b);
	jsonc_int(c, "mode", p->mode);
}

/* item_file() as text. */
static void
text_file(struct jsonc *c, const struct posix_file *f)
{
	char *name = textesc_dup(f->name);

	text_str(c, "name", name);
	free(name);
	jsonc_u64(c, "size_bytes", f->size_bytes);
	jsonc_u64(c, "allocated_bytes", f->alloc_bytes);
	jsonc_time(c, "mtime_unix", f->mtime);
	jsonc_time(c, "ctime_unix", f->ctime);
}

/* item_detail() as text. */
static void
text_detail(struct jsonc *c, const struct orphan_item *it)
{
	const struct shm_obj *m = &it->obj.shm;
	const struct sem_obj *s = &it->obj.sem;
	const struct msg_obj *q = &it->obj.msg;

	switch (it->type) {
	case IPC_SHM:
		jsonc_u64(c, "size_bytes", m->size_bytes);
		jsonc_u64(c, "nattch", m->nattch);
		jsonc_int(c, "cpid", m->cpid);
		jsonc_int(c, "lpid", m->lpid);
		jsonc_time(c, "atime_unix", m->atime);
		jsonc_time(c, "dtime_unix", m->dtime);
		jsonc_time(c, "ctime_unix", m->ctime);
		jsonc_bool(c, "dest", m->perm.mode & IPC_SHM_DEST);
		break;
	case IPC_SEM:
		jsonc_u64(c, "nsems", s->nsems);
		jsonc_time(c, "otime_unix", s->otime);
		jsonc_time(c, "ctime_unix", s->ctime);
		break;
	case IPC_MSG:
		jsonc_u64(c, "used_bytes", q->cbytes);
		jsonc_u64(c, "messages", q->qnum);
		jsonc_int(c, "lspid", q->lspid);
		jsonc_int(c, "lrpid", q->lrpid);
		jsonc_time(c, "stime_unix", q->stime);
		jsonc_time(c, "rtime_unix", q->rtime);
		jsonc_time(c, "ctime_unix", q->ctime);
		break;
	case IPC_PSHM:
		text_file(c, &it->obj.pshm.f);
		break;
	case IPC_PSEM:
		text_file(c, &it->obj.psem.f);
		break;
	case IPC_PMQ:
		text_file(c, &it->obj.pmq.f);
		jsonc_u64(c, "used_bytes", it->obj.pmq.qsize_bytes);
		break;
	case IPC_NTYPES:
		break;
	}
}

/* item_pids() as text. */
static void
text_pids(struct jsonc *c, const struct orphan_item *it)
{
	jsonc_key(c, "pids");
	jsonc_begin_array(c);
	for (size_t i = 0; i < it->npids; i++) {
		const struct orphan_pid *p = &it->pids[i];

		jsonc_item(c);
		jsonc_begin_object(c);
		jsonc_str(c, "role", orphan_role_names[p->role]);
		jsonc_int(c, "pid", p->pid);
		jsonc_str(c, "state", orphan_pid_state_names[p->state]);
		jsonc_time(c, "event_time_unix", p->event_time);
		jsonc_time(c, "start_time_unix", p->state == PS_DEAD ? 0 :
		    p->start_time);
		if (p->comm[0])
			text_text(c, "command", p->comm);
		else
			jsonc_null(c, "command");
		if (p->role == ROLE_LAST_OP)
			jsonc_u64(c, "semaphores", p->nsems);
		jsonc_end_object(c);
	}
	jsonc_end_array(c);
}

/* item_attachers() as text. */
static void
text_attachers(struct jsonc *c, const struct orphan_item *it)
{
	jsonc_key(c, "attachers");
	jsonc_begin_array(c);
	for (size_t i = 0; i < it->natt; i++) {
		jsonc_item(c);
		jsonc_begin_object(c);
		jsonc_int(c, "pid", it->att[i].pid);
		text_text(c, "command", it->att[i].comm);
		jsonc_end_object(c);
	}
	jsonc_end_array(c);
	jsonc_u64(c, "hidden_attachers", it->hidden_attachers);
}

/*
 * view_orphans_item_json() written straight as compact text, the same
 * bytes json_dumpb() makes of that object: building and freeing a tree
 * per object was most of the time of a long list.
 */
void
view_orphans_item_text(struct jsonc *c, const struct orphan_item *it)
{
	jsonc_begin_object(c);
	jsonc_str(c, "type", ipctype_table[it->type].name);
	jsonc_int(c, "id", orphan_item_id(it));
	text_perm(c, orphan_item_perm(it));
	jsonc_str(c, "verdict", view_orphans_verdict_names[it->verdict]);
	jsonc_key(c, "reasons");
	jsonc_begin_array(c);
	for (int r = 0; r < ORS_COUNT; r++)
		if (it->reasons & (1u << r))
			jsonc_str_item(c, orphan_reason_table[r].code);
	jsonc_end_array(c);
	jsonc_int(c, "age_seconds", it->age_seconds);
	jsonc_time(c, "last_activity_unix", it->last_activity);
	text_detail(c, it);
	text_pids(c, it);
	if (it->own_access != 0)
		jsonc_int(c, "own_access_unix", it->own_access);
	if (it->verdict == OV_SUSPECT)
		jsonc_int(c, "orphan_at_unix", it->orphan_at);
	if (it->type == IPC_SHM)
		text_attachers(c, it);
	if (IPC_TYPE_IS_POSIX(it->type) && it->convention != NULL)
		jsonc_str(c, "naming_convention", it->convention);
	else if (IPC_TYPE_IS_POSIX(it->type))
		jsonc_null(c, "naming_convention");
	jsonc_end_object(c);
}

struct stream_ctx {
	const struct orphan_item *items;
	size_t n;
	const char *key;
	json_t *(*item_fn)(const struct orphan_item *, size_t, const void *);
	const void *item_ctx;
	json_t *tail;
};

/*
 * V compact into *BUF (grown as needed) and out to FP in one write:
 * json_dumpf() writes token by token, which cost more than building the
 * items when there are 96,000 of them.
 */
static void
dump_compact(FILE *fp, const json_t *v, char **buf, size_t *cap)
{
	size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
	size_t n = json_dumpb(v, *buf, *cap, flags);

	if (n > *cap) {
		*cap = n + 256;
		*buf = xreallocarray(*buf, *cap, 1);
		n = json_dumpb(v, *buf, *cap, flags);
	}
	fwrite(*buf, 1, n, fp);
}

static void
stream_items(FILE *fp, const void *ctx)
{
	const struct stream_ctx *c = ctx;
	const char *k;
	char *buf = NULL;
	size_t cap = 0;
	json_t *v;
	struct jsonc t;

	jsonc_init(&t);
	/* one object at a time: 96,000 objects never become one tree */
	fprintf(fp, ",\n  \"%s\": [", c->key);
	for (size_t i = 0; i < c->n; i++) {
		json_t *o;

		fputs(i ? ",\n    " : "\n    ", fp);
		if (c->item_fn == NULL) {
			view_orphans_item_text(&t, &c->items[i]);
			fwrite(t.buf, 1, t.len, fp);
			jsonc_reset(&t);
			continue;
		}
		o = c->item_fn(&c->items[i], i, c->item_ctx);
		dump_compact(fp, o, &buf, &cap);
		json_decref(o);
	}
	jsonc_free(&t);
	fputs(c->n ? "\n  ]" : "]", fp);
	json_object_foreach(c->tail, k, v) {
		fprintf(fp, ",\n  \"%s\": ", k);
		dump_compact(fp, v, &buf, &cap);
	}
	free(buf);
}

int
view_orphans_print_json(json_t *root, const struct orphan_item *items,
    size_t n, const char *key, json_t *(*item_fn)(const struct orphan_item *,
    size_t, const void *), const void *item_ctx, json_t *tail)
{
	struct stream_ctx c = { items, n, key, item_fn, item_ctx, tail };
	int r;

	r = render_json_print_streamed(stdout, root, stream_items, &c);
	json_decref(tail);
	return r;
}
