/*
 * snapwrite.c: serialises a kstate (objects, sysctls, usage, host facts)
 * and the model as the snapshot document, and the object arrays 'list'
 * shares.  Writes only to the stream it is given; snapshot.c reads the
 * document back.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "render.h"
#include "snapwrite.h"
#include "textesc.h"
#include "xmalloc.h"

json_t *
snapshot_sysctls_json(const struct kstate *ks)
{
	json_t *o = json_object();

	for (int i = 0; i < SC_COUNT; i++) {
		const struct sysctl_value *v = &ks->sysctl[i];
		json_t *e;

		if (!v->present)
			continue;
		e = json_object();
		json_object_set_new(e, "raw", json_string(v->raw));
		if (sysctl_table[i].kind == SCK_SEM) {
			int64_t f[SEM_NFIELDS];

			/* signed as the kernel holds them: SEMOPM -1 is -1 */
			sysctl_sem_fields(v, f);
			for (int k = 0; k < SEM_NFIELDS; k++)
				json_object_set_new(e, sem_field_names[k],
				    json_integer((json_int_t)f[k]));
		} else {
			json_set_u64(e, "value", v->v[0]);
		}
		json_object_set_new(e, "unit", json_string(
		    sysctl_table[i].unit));
		json_object_set_new(o, sysctl_table[i].name, e);
	}
	return o;
}

json_t *
snapshot_host_json(const struct kstate *ks)
{
	const struct host_facts *h = &ks->host;
	json_t *o = json_object();

	json_object_set_new(o, "hostname", json_string(h->hostname));
	json_object_set_new(o, "kernel_release",
	    json_string(h->kernel_release));
	json_object_set_new(o, "page_size_bytes",
	    json_integer((json_int_t)h->page_size));
	json_set_u64(o, "ram_bytes", h->ram_bytes);
	json_object_set_new(o, "ncpu", json_integer((json_int_t)h->ncpu));
	json_object_set_new(o, "ipcmni_extend", json_boolean(
	    h->ipcmni_extend));
	json_object_set_new(o, "read_at_unix", json_integer(ks->read_at));
	return o;
}

/* A u64 member, or null when HAS is false. */
static void
set_u64_or_null(json_t *o, const char *key, bool has, uint64_t v)
{
	if (has)
		json_set_u64(o, key, v);
	else
		json_object_set_new(o, key, json_null());
}

/* The POSIX limits that are no sysctl: /dev/shm inodes, queue charges. */
static json_t *
posix_limits_json(const struct ipc_usage *u)
{
	const struct mq_charges *mq = &u->mq;
	json_t *o = json_object(), *a;

	json_object_set_new(o, "dev_shm_path", u->dev_shm_path[0] ?
	    json_string(u->dev_shm_path) : json_null());
	set_u64_or_null(o, "dev_shm_inodes", u->has_dev_shm_inodes,
	    u->dev_shm_inodes);
	set_u64_or_null(o, "dev_shm_inodes_used", u->has_dev_shm_inodes,
	    u->dev_shm_inodes_used);
	json_object_set_new(o, "mqueue_caller_uid",
	    json_integer(mq->caller_uid));
	set_u64_or_null(o, "mqueue_rlimit_bytes", mq->has_rlimit &&
	    mq->rlimit != UINT64_MAX, mq->rlimit);
	json_object_set_new(o, "mqueue_rlimit_unlimited",
	    json_boolean(mq->has_rlimit && mq->rlimit == UINT64_MAX));
	if (!mq->has_attrs) {
		json_object_set_new(o, "mqueue_charges", json_null());
		return o;
	}
	json_set_u64(o, "mqueue_max_maxmsg", mq->max_maxmsg);
	json_set_u64(o, "mqueue_max_msgsize", mq->max_msgsize);
	json_set_u64(o, "mqueue_unreadable", mq->unreadable);
	a = json_array();
	for (size_t i = 0; i < mq->nusers; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "uid", json_integer(mq->users[i].uid));
		json_set_u64(e, "queues", mq->users[i].queues);
		json_set_u64(e, "bytes", mq->users[i].bytes);
		json_set_u64(e, "unreadable", mq->users[i].unreadable);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "mqueue_charges", a);
	return o;
}

json_t *
snapshot_usage_json(const struct kstate *ks)
{
	const struct ipc_usage *u = &ks->usage;
	json_t *o = json_object();

	json_set_u64(o, "shm_segments", u->shm_segments);
	json_set_u64(o, "shm_pages", u->shm_pages);
	json_set_u64(o, "shm_rss_pages", u->shm_rss_pages);
	json_set_u64(o, "shm_swap_pages", u->shm_swap_pages);
	json_set_u64(o, "sem_arrays", u->sem_arrays);
	json_set_u64(o, "sem_semaphores", u->sem_sems);
	json_set_u64(o, "msg_queues", u->msg_queues);
	json_set_u64(o, "msg_messages", u->msg_messages);
	json_set_u64(o, "msg_bytes", u->msg_bytes);
	if (u->has_mq_queues)
		json_set_u64(o, "mqueue_queues", u->mq_queues);
	else
		json_object_set_new(o, "mqueue_queues", json_null());
	if (u->has_dev_shm) {
		json_set_u64(o, "dev_shm_size_bytes", u->dev_shm_size_bytes);
		json_set_u64(o, "dev_shm_used_bytes", u->dev_shm_used_bytes);
	} else {
		json_object_set_new(o, "dev_shm_size_bytes", json_null());
		json_object_set_new(o, "dev_shm_used_bytes", json_null());
	}
	json_object_set_new(o, "posix_limits", posix_limits_json(u));
	return o;
}

/* FS as JSON: where and what it is, its limits; null if never tried. */
static json_t *
posix_fs_json(const struct posix_fs *fs)
{
	json_t *o;

	if (!fs->read && fs->why[0] == '\0')
		return json_null();
	o = json_object();
	json_object_set_new(o, "read", json_boolean(fs->read));
	json_object_set_new(o, "why_not", fs->read ? json_null() :
	    json_string(fs->why));
	json_object_set_new(o, "path", json_string(fs->path));
	json_object_set_new(o, "source", json_string(fs->source));
	json_object_set_new(o, "fstype", json_string(fs->fstype));
	json_set_u64(o, "dev", fs->dev);
	json_set_u64(o, "size_bytes", fs->size_bytes);
	json_set_u64(o, "free_bytes", fs->free_bytes);
	json_set_u64(o, "inodes", fs->inodes);
	json_set_u64(o, "free_inodes", fs->free_inodes);
	json_set_u64(o, "skipped", fs->skipped);
	json_set_u64(o, "unreadable", fs->unreadable);
	return o;
}

bool
snapshot_has_posix(const struct kstate *ks)
{
	/* fixture trees hold no POSIX objects: they say nothing of them */
	return ks->has_pshm || ks->has_psem || ks->has_pmq ||
	    (ks->source == KSRC_LIVE && (ks->dev_shm.why[0] != '\0' ||
	    ks->mqueue.why[0] != '\0'));
}

json_t *
snapshot_posix_json(const struct kstate *ks)
{
	json_t *o = json_object(), *h = json_object();

	json_object_set_new(o, "dev_shm", posix_fs_json(&ks->dev_shm));
	json_object_set_new(o, "mqueue", posix_fs_json(&ks->mqueue));
	json_object_set_new(h, "done", json_boolean(ks->holders.done));
	json_set_u64(h, "processes", ks->holders.procs);
	json_set_u64(h, "processes_partial", ks->holders.procs_partial);
	json_object_set_new(o, "holder_scan", h);
	return o;
}

json_t *
snapshot_resources_json(const struct model *m)
{
	json_t *a = json_array();

	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &m->res[i];
		const struct resource_desc *d = &resource_table[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(d->name));
		json_object_set_new(o, "description",
		    json_string(d->description));
		json_object_set_new(o, "unit", json_string(d->unit));
		json_object_set_new(o, "sysctl", d->sysctl[0] ?
		    json_string(d->sysctl) : json_null());
		json_set_limit(o, "limit", r);
		if (r->has_used)
			json_set_u64(o, "used", r->used);
		else
			json_object_set_new(o, "used", json_null());
		if (r->has_free)
			json_set_u64(o, "free", r->free);
		else
			json_object_set_new(o, "free", json_null());
		json_object_set_new(o, "used_ratio", r->has_ratio ?
		    json_real(r->ratio) : json_null());
		if (r->object_id >= 0)
			json_object_set_new(o, "object_id",
			    json_integer(r->object_id));
		if (r->has_object_limit)
			json_set_u64(o, "object_limit", r->object_limit);
		if (r->has_largest_new)
			json_set_u64(o, "largest_new", r->largest_new);
		if (r->scan_skipped)
			json_object_set_new(o, "scan_skipped", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
snapshot_findings_json(const struct model *m)
{
	static const char *const levels[] = { "info", "warning", "critical" };
	json_t *a = json_array();

	for (size_t i = 0; i < m->nfindings; i++) {
		const struct finding *f = &m->findings[i];
		json_t *o = json_object();

		json_object_set_new(o, "level", json_string(levels[f->level]));
		json_object_set_new(o, "code", json_string(f->code));
		json_object_set_new(o, "resource", f->resource ?
		    json_string(f->resource) : json_null());
		json_object_set_new(o, "message", json_string(f->text));
		json_array_append_new(a, o);
	}
	return a;
}

static void
stream_perm(struct jsonw *w, const struct render_opts *ro,
    const struct obj_perm *p)
{
	char buf[32];

	jsonw_key_int(w, "id", p->id);
	jsonw_key_u64(w, "key", p->key);
	jsonw_key_hex32(w, "key_hex", p->key);
	jsonw_key_int(w, "uid", p->uid);
	jsonw_key_str(w, "user", render_user(ro, p->uid, buf, sizeof(buf)));
	jsonw_key_int(w, "gid", p->gid);
	jsonw_key_str(w, "group", render_group(ro, p->gid, buf,
	    sizeof(buf)));
	jsonw_key_int(w, "cuid", p->cuid);
	jsonw_key_str(w, "cuser", render_user(ro, p->cuid, buf, sizeof(buf)));
	jsonw_key_int(w, "cgid", p->cgid);
	jsonw_key_str(w, "cgroup", render_group(ro, p->cgid, buf,
	    sizeof(buf)));
	jsonw_key_perms(w, "perms", p->mode & 0777);
	jsonw_key_int(w, "mode", p->mode);
}

static void
stream_time(struct jsonw *w, const char *key, int64_t t)
{
	if (t == 0)
		jsonw_key_null(w, key);
	else
		jsonw_key_int(w, key, t);
}

/* The members of segment O; PG is the page size shmall counts in. */
static void
stream_shm(struct jsonw *w, const struct render_opts *ro,
    const struct shm_obj *o, uint64_t pg)
{
	stream_perm(w, ro, &o->perm);
	jsonw_key_u64(w, "size_bytes", o->size_bytes);
	jsonw_key_u64(w, "pages", num_div_ceil_u64(o->size_bytes, pg));
	jsonw_key_u64(w, "nattch", o->nattch);
	jsonw_key_int(w, "cpid", o->cpid);
	jsonw_key_int(w, "lpid", o->lpid);
	stream_time(w, "atime_unix", o->atime);
	stream_time(w, "dtime_unix", o->dtime);
	stream_time(w, "ctime_unix", o->ctime);
	jsonw_key_bool(w, "dest", o->perm.mode & IPC_SHM_DEST);
	jsonw_key_bool(w, "locked", o->perm.mode & IPC_SHM_LOCKED);
	if (o->has_rss) {
		jsonw_key_u64(w, "rss_bytes", o->rss_bytes);
		jsonw_key_u64(w, "swap_bytes", o->swap_bytes);
	} else {
		jsonw_key_null(w, "rss_bytes");
		jsonw_key_null(w, "swap_bytes");
	}
}

/* The members of semaphore array O. */
static void
stream_sem(struct jsonw *w, const struct render_opts *ro,
    const struct sem_obj *o)
{
	stream_perm(w, ro, &o->perm);
	jsonw_key_u64(w, "nsems", o->nsems);
	stream_time(w, "otime_unix", o->otime);
	stream_time(w, "ctime_unix", o->ctime);
}

/* The members of message queue O. */
static void
stream_msg(struct jsonw *w, const struct render_opts *ro,
    const struct msg_obj *o)
{
	stream_perm(w, ro, &o->perm);
	jsonw_key_u64(w, "used_bytes", o->cbytes);
	jsonw_key_u64(w, "messages", o->qnum);
	if (o->has_qbytes)
		jsonw_key_u64(w, "qbytes", o->qbytes);
	else
		jsonw_key_null(w, "qbytes");
	jsonw_key_int(w, "lspid", o->lspid);
	jsonw_key_int(w, "lrpid", o->lrpid);
	stream_time(w, "stime_unix", o->stime);
	stream_time(w, "rtime_unix", o->rtime);
	stream_time(w, "ctime_unix", o->ctime);
}

/* KEY: S escaped (textesc.h): a name may hold any byte but NUL and /. */
static void
stream_esc(struct jsonw *w, const char *key, const char *s)
{
	char *e = textesc_dup(s);

	jsonw_key_str(w, key, e);
	free(e);
}

/* KEY: the bytes of S as lower-case hex, to read back exactly. */
static void
stream_hex(struct jsonw *w, const char *key, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	char *h = xmalloc(2 * n + 1);

	for (size_t i = 0; i < n; i++) {
		h[2 * i] = hex[(unsigned char)s[i] >> 4];
		h[2 * i + 1] = hex[(unsigned char)s[i] & 15];
	}
	h[2 * n] = '\0';
	jsonw_key_str(w, key, h);
	free(h);
}

/* The holders of F: null when the holder scan did not run. */
static void
stream_holders(struct jsonw *w, const struct posix_file *f)
{
	if (!f->has_holders) {
		jsonw_key_null(w, "holders");
		return;
	}
	jsonw_key_begin(w, "holders");
	jsonw_raw(w, "[");
	for (size_t i = 0; i < f->nholders; i++) {
		const struct posix_holder *h = &f->holders[i];

		jsonw_raw(w, i > 0 ? ", {" : "{");
		w->first_member = true;
		jsonw_key_int(w, "pid", h->pid);
		stream_esc(w, "comm", h->comm);
		jsonw_key_bool(w, "mapped", h->how & POSIX_HOLD_MAP);
		jsonw_key_bool(w, "open", h->how & POSIX_HOLD_FD);
		jsonw_raw(w, "}");
	}
	jsonw_raw(w, "]");
	w->first_member = false;
}

/*
 * The members every POSIX object has: its name as the program that made
 * it spelled it (PREFIX stripped: "sem." of a named semaphore), the
 * file, its owner and mode, sizes, times, identity and holders.
 */
static void
stream_posix(struct jsonw *w, const struct render_opts *ro,
    const struct obj_perm *p, const struct posix_file *f,
    const char *prefix)
{
	size_t pl = strlen(prefix);
	char buf[32], *name;

	name = xasprintf("/%s", strncmp(f->name, prefix, pl) == 0 ?
	    f->name + pl : f->name);
	stream_esc(w, "name", name);
	free(name);
	stream_esc(w, "file", f->name);
	stream_hex(w, "file_hex", f->name);
	jsonw_key_int(w, "uid", p->uid);
	jsonw_key_str(w, "user", render_user(ro, p->uid, buf, sizeof(buf)));
	jsonw_key_int(w, "gid", p->gid);
	jsonw_key_str(w, "group", render_group(ro, p->gid, buf,
	    sizeof(buf)));
	jsonw_key_perms(w, "perms", p->mode & 07777);
	jsonw_key_int(w, "mode", p->mode);
	jsonw_key_u64(w, "size_bytes", f->size_bytes);
	jsonw_key_u64(w, "allocated_bytes", f->alloc_bytes);
	stream_time(w, "atime_unix", f->atime);
	stream_time(w, "mtime_unix", f->mtime);
	stream_time(w, "ctime_unix", f->ctime);
	jsonw_key_u64(w, "dev", f->dev);
	jsonw_key_u64(w, "inode", f->ino);
	stream_holders(w, f);
}

/* The members of named semaphore O. */
static void
stream_psem(struct jsonw *w, const struct render_opts *ro,
    const struct psem_obj *o)
{
	stream_posix(w, ro, &o->perm, &o->f, "sem.");
	if (o->has_value) {
		jsonw_key_u64(w, "value", o->value);
		jsonw_key_u64(w, "waiters", o->nwaiters);
	} else {
		jsonw_key_null(w, "value");
		jsonw_key_null(w, "waiters");
	}
}

/* The members of POSIX message queue O. */
static void
stream_pmq(struct jsonw *w, const struct render_opts *ro,
    const struct pmq_obj *o)
{
	stream_posix(w, ro, &o->perm, &o->f, "");
	if (o->has_text) {
		jsonw_key_u64(w, "qsize_bytes", o->qsize_bytes);
		jsonw_key_int(w, "notify", o->notify);
		jsonw_key_int(w, "signo", o->signo);
		jsonw_key_int(w, "notify_pid", o->notify_pid);
	} else {
		jsonw_key_null(w, "qsize_bytes");
		jsonw_key_null(w, "notify");
		jsonw_key_null(w, "signo");
		jsonw_key_null(w, "notify_pid");
	}
	if (o->has_attr) {
		jsonw_key_int(w, "maxmsg", o->maxmsg);
		jsonw_key_int(w, "msgsize", o->msgsize);
		jsonw_key_int(w, "messages", o->curmsgs);
	} else {
		jsonw_key_null(w, "maxmsg");
		jsonw_key_null(w, "msgsize");
		jsonw_key_null(w, "messages");
	}
}

/* Object I of type T in KS as one JSON object. */
static void
stream_obj(struct jsonw *w, const struct render_opts *ro,
    const struct kstate *ks, enum ipc_type t, size_t i, uint64_t pg)
{
	jsonw_begin_object(w);
	switch (t) {
	case IPC_SHM:
		stream_shm(w, ro, &ks->shm[i], pg);
		break;
	case IPC_SEM:
		stream_sem(w, ro, &ks->sem[i]);
		break;
	case IPC_MSG:
		stream_msg(w, ro, &ks->msg[i]);
		break;
	case IPC_PSHM:
		stream_posix(w, ro, &ks->pshm[i].perm, &ks->pshm[i].f, "");
		break;
	case IPC_PSEM:
		stream_psem(w, ro, &ks->psem[i]);
		break;
	case IPC_PMQ:
		stream_pmq(w, ro, &ks->pmq[i]);
		break;
	case IPC_NTYPES:
		break;
	}
	jsonw_end_object(w);
}

void
snapshot_stream_objects(FILE *fp, const struct kstate *ks, unsigned types,
    bool leading_comma, const struct render_opts *ro)
{
	struct jsonw *w = xmalloc(sizeof(*w));
	const char *sep = leading_comma ? ",\n  " : "\n  ";
	uint64_t pg = ks->host.page_size ? ks->host.page_size : 4096;

	jsonw_init(w, fp);
	for (int ti = 0; ti < IPC_NTYPES; ti++) {
		enum ipc_type t = (enum ipc_type)ti;
		size_t n = ipctype_count(ks, t);

		if (!(types & IPC_TYPE_BIT(t)) || !ipctype_has(ks, t))
			continue;
		jsonw_raw(w, sep);
		jsonw_raw(w, "\"");
		jsonw_raw(w, ipctype_table[t].json_key);
		jsonw_raw(w, "\": [");
		sep = ",\n  ";
		jsonw_begin_array(w);
		for (size_t i = 0; i < n; i++)
			stream_obj(w, ro, ks, t, i, pg);
		jsonw_raw(w, n ? "\n  ]" : "]");
	}
	jsonw_flush(w);
	free(w);
}

struct stream_all_ctx {
	const struct kstate *ks;
	const struct render_opts *ro;
	void (*extra)(FILE *fp, const void *ctx);
	const void *extra_ctx;
};

static void
stream_all(FILE *fp, const void *ctx)
{
	const struct stream_all_ctx *c = ctx;

	if (c->extra != NULL)
		c->extra(fp, c->extra_ctx);
	fputs(",\n  \"objects\": {", fp);
	snapshot_stream_objects(fp, c->ks, IPC_TYPES_ALL, false, c->ro);
	fputs("\n  }", fp);
}

int
snapshot_write(FILE *fp, const struct kstate *ks, const struct model *m,
    const struct render_opts *ro)
{
	return snapshot_write_with(fp, ks, m, NULL, NULL, ro);
}

int
snapshot_write_with(FILE *fp, const struct kstate *ks,
    const struct model *m, void (*extra)(FILE *fp, const void *ctx),
    const void *extra_ctx, const struct render_opts *ro)
{
	json_t *root = render_envelope("snapshot", ks, ro->now);
	struct stream_all_ctx c = { ks, ro, extra, extra_ctx };

	json_object_set_new(root, "host", snapshot_host_json(ks));
	json_object_set_new(root, "sysctls", snapshot_sysctls_json(ks));
	json_object_set_new(root, "usage", snapshot_usage_json(ks));
	if (snapshot_has_posix(ks))
		json_object_set_new(root, "posix", snapshot_posix_json(ks));
	json_object_set_new(root, "resources", snapshot_resources_json(m));
	json_object_set_new(root, "findings", snapshot_findings_json(m));
	return render_json_print_streamed(fp, root, stream_all, &c);
}
