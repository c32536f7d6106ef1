/*
 * cmd_clean.c: 'ipctune clean', removes the objects 'orphans' reports.
 * A dry run unless --yes; refuses without a filter or --all-orphans;
 * re-reads and re-judges each object just before removing it; saves
 * segments with --backup-dir first.  Removal goes through ipcrm.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_orphans.h"
#include "commands.h"
#include "ipcrm.h"
#include "ksource.h"
#include "render.h"
#include "xmalloc.h"

const struct cli_opt cmd_clean_opts[] = {
	ORPHANS_FILTER_OPTS,
	{ "all-orphans", 0, no_argument, NULL,
	    "take every orphan (needed when no filter is given)",
	    OO_ALL_ORPHANS, NULL },
	{ "yes", 'y', no_argument, NULL,
	    "remove for real (without it, only say what would be removed)",
	    OO_YES, NULL },
	{ "include-nonempty", 0, no_argument, NULL,
	    "also remove message queues that hold messages (they are lost)",
	    OO_INCLUDE_NONEMPTY, NULL },
	{ "backup-dir", 0, required_argument, "DIR",
	    "save each segment's contents and a manifest in DIR first",
	    OO_BACKUP_DIR, "dirs" },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

#define MANIFEST "manifest.json"

enum clean_action { CA_WOULD_REMOVE, CA_REMOVED, CA_SKIPPED, CA_FAILED,
    CA_COUNT };

static const char *const action_names[CA_COUNT] = {
	[CA_WOULD_REMOVE] = "would_remove", [CA_REMOVED] = "removed",
	[CA_SKIPPED] = "skipped", [CA_FAILED] = "failed",
};

struct outcome {
	enum clean_action action;
	const char *code;	/* skip reason, or errno name when failed */
	int err;		/* errno when failed */
	char detail[512];
	char backup_file[128];
};

struct clean_ctx {
	struct globals *g;
	struct orphans_args *a;
	struct orphans_run *run;
	struct orphan_effects fx;	/* without the maps scan */
	int dirfd;			/* --backup-dir, or -1 */
	json_t *manifest;
};

static int
handler(int id, const char *arg, void *ctx)
{
	struct orphans_args *a = ctx;

	switch (id) {
	case OO_ALL_ORPHANS:
		a->all_orphans = true;
		return 0;
	case OO_YES:
		a->yes = true;
		return 0;
	case OO_INCLUDE_NONEMPTY:
		a->include_nonempty = true;
		return 0;
	case OO_BACKUP_DIR:
		a->backup_dir = arg;
		return 0;
	default:
		return cmd_orphans_filter_opt(a, id, arg);
	}
}

static const char *
errname(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "EUNKNOWN";
}

static void
failed(struct outcome *out, int e, const char *what,
    const struct orphan_item *it)
{
	const char *owner = render_user(orphan_item_uid(it));

	out->action = CA_FAILED;
	out->err = e;
	out->code = errname(e);
	if (e == EPERM)
		snprintf(out->detail, sizeof(out->detail), "%s: operation not "
		    "permitted: only the owner ('%s'), the creator or root "
		    "may remove it (run as root or as '%s')", what, owner,
		    owner);
	else if (e == EACCES)
		snprintf(out->detail, sizeof(out->detail), "%s: permission "
		    "denied (run as root or as '%s')", what, owner);
	else
		snprintf(out->detail, sizeof(out->detail), "%s: %s", what,
		    strerror(e));
}

static void
skipped(struct outcome *out, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
skipped(struct outcome *out, const char *code, const char *fmt, ...)
{
	va_list ap;

	out->action = CA_SKIPPED;
	out->code = code;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
}

/* Read IT's object again by id; 0, or -1 with OUT filled. */
static int
restat(const struct clean_ctx *c, const struct orphan_item *it,
    struct orphan_item *fresh, struct outcome *out)
{
	bool ext = c->run->ks.host.ipcmni_extend;
	int id = orphan_item_id(it), r;
	struct shm_obj shm;
	struct sem_obj sem;
	struct msg_obj msg;
	const void *obj;

	switch (it->type) {
	case OT_SHM:
		r = ksource_stat_shm(id, ext, &shm);
		obj = &shm;
		break;
	case OT_SEM:
		r = ksource_stat_sem(id, ext, &sem);
		obj = &sem;
		break;
	default:
		r = ksource_stat_msg(id, ext, &msg);
		obj = &msg;
		break;
	}
	if (r < 0) {
		if (errno == EINVAL || errno == EIDRM)
			skipped(out, "gone", "no longer exists");
		else
			failed(out, errno, "cannot read it again", it);
		return -1;
	}
	orphan_judge_one(it->type, obj, (int64_t)time(NULL),
	    c->a->f.min_age_s, &c->fx, fresh);
	return 0;
}

/* Is the object still the one judged, and still orphaned? */
static int
recheck(const struct clean_ctx *c, const struct orphan_item *it,
    struct outcome *out)
{
	struct orphan_item fresh;
	enum orphan_change ch;
	char b[256];

	if (restat(c, it, &fresh, out) < 0)
		return -1;
	ch = orphan_compare(it, &fresh);
	if (ch != OC_SAME) {
		if (ch == OC_NOT_ORPHANED)
			skipped(out, orphan_change_table[ch].code, "%s (%s)",
			    orphan_change_table[ch].text,
			    cmd_orphans_reasons(&fresh, b, sizeof(b)));
		else
			skipped(out, orphan_change_table[ch].code, "%s",
			    orphan_change_table[ch].text);
	}
	orphan_item_release(&fresh);
	return ch == OC_SAME ? 0 : -1;
}

static json_t *
manifest_entry(const struct shm_obj *s, const char *file)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(s->id));
	cmd_orphans_set_perm(o, s->key, s->mode, s->uid, s->gid, s->cuid,
	    s->cgid);
	json_set_u64(o, "size_bytes", s->size_bytes);
	json_object_set_new(o, "cpid", json_integer(s->cpid));
	json_object_set_new(o, "lpid", json_integer(s->lpid));
	cmd_orphans_set_time(o, "atime_unix", s->atime);
	cmd_orphans_set_time(o, "dtime_unix", s->dtime);
	cmd_orphans_set_time(o, "ctime_unix", s->ctime);
	cmd_orphans_set_time(o, "saved_at_unix", (int64_t)time(NULL));
	json_object_set_new(o, "file", json_string(file));
	return o;
}

/*
 * Save segment IT and remove it while still attached: the read-only
 * attach keeps the contents until our detach, and nattch must then be
 * exactly our one attach, so nobody else came in meanwhile.
 */
static void
backup_and_remove(struct clean_ctx *c, const struct orphan_item *it,
    struct outcome *out)
{
	const struct shm_obj *s = &it->obj.shm;
	struct shm_obj now;
	const void *addr;
	char *text;
	int e;

	addr = ipcrm_attach_ro(s->id);
	if (addr == NULL) {
		failed(out, errno, "cannot attach it for the backup (not "
		    "removed)", it);
		return;
	}
	if (ksource_stat_shm(s->id, c->run->ks.host.ipcmni_extend,
	    &now) < 0 || now.key != s->key || now.ctime != s->ctime ||
	    now.nattch != 1) {
		ipcrm_detach(addr);
		skipped(out, "attached", "attached by another process while "
		    "being saved");
		return;
	}
	snprintf(out->backup_file, sizeof(out->backup_file),
	    "shm-%d-0x%08" PRIx32 "-%" PRId64 ".bin", s->id, s->key,
	    s->ctime);
	if (ipcrm_write_atomic(c->dirfd, out->backup_file, addr,
	    (size_t)s->size_bytes) < 0) {
		e = errno;
		ipcrm_detach(addr);
		failed(out, e, "cannot write the backup (not removed)", it);
		out->backup_file[0] = '\0';
		return;
	}
	json_array_append_new(json_object_get(c->manifest, "segments"),
	    manifest_entry(s, out->backup_file));
	text = json_dumps(c->manifest, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text == NULL || ipcrm_write_atomic(c->dirfd, MANIFEST, text,
	    strlen(text)) < 0) {
		e = text == NULL ? ENOMEM : errno;
		free(text);
		ipcrm_detach(addr);
		failed(out, e, "cannot write the manifest (not removed)", it);
		return;
	}
	free(text);
	if (ipcrm_remove(OT_SHM, s->id) < 0) {
		e = errno;
		ipcrm_detach(addr);
		failed(out, e, "cannot remove it", it);
		return;
	}
	/* the last detach frees the segment (shm_may_destroy) */
	ipcrm_detach(addr);
	out->action = CA_REMOVED;
	snprintf(out->detail, sizeof(out->detail), "saved as '%s'",
	    out->backup_file);
}

static void
clean_one(struct clean_ctx *c, const struct orphan_item *it,
    struct outcome *out)
{
	char b[64];

	memset(out, 0, sizeof(*out));
	if (it->verdict != OV_ORPHANED) {
		skipped(out, "not_orphaned", "not orphaned");
		return;
	}
	if (it->type == OT_SHM && (it->obj.shm.mode & IPC_SHM_DEST)) {
		skipped(out, "marked_dest", "already removed; the kernel frees "
		    "it at the last detach");
		return;
	}
	if (it->type == OT_MSG && it->obj.msg.qnum > 0) {
		if (!c->a->include_nonempty) {
			skipped(out, "holds_messages", "holds %" PRIu64
			    " message%s (%s); --include-nonempty removes it "
			    "and loses them", it->obj.msg.qnum,
			    it->obj.msg.qnum == 1 ? "" : "s",
			    render_bytes(it->obj.msg.cbytes, c->g->bytes, b,
			    sizeof(b)));
			return;
		}
		cli_warn(c->g, "removing message queue %d %s %" PRIu64
		    " message%s (%s)", it->obj.msg.id, c->a->yes ? "loses" :
		    "would lose",
		    it->obj.msg.qnum, it->obj.msg.qnum == 1 ? "" : "s",
		    render_bytes(it->obj.msg.cbytes, c->g->bytes, b,
		    sizeof(b)));
	}
	if (!c->a->yes) {
		out->action = CA_WOULD_REMOVE;
		if (it->type == OT_SHM && c->a->backup_dir != NULL)
			snprintf(out->detail, sizeof(out->detail), "would be "
			    "saved in '%s' first", c->a->backup_dir);
		return;
	}
	if (recheck(c, it, out) < 0)
		return;
	if (it->type == OT_SHM && c->dirfd >= 0) {
		backup_and_remove(c, it, out);
		return;
	}
	if (ipcrm_remove(it->type, orphan_item_id(it)) < 0) {
		if (errno == EINVAL || errno == EIDRM)
			skipped(out, "gone", "no longer exists");
		else
			failed(out, errno, "cannot remove it", it);
		return;
	}
	out->action = CA_REMOVED;
}

/*
 * Test hook, for tests/sys/t_clean.sh only: when IPCTUNE_TEST_CLEAN_HOOK
 * names a FIFO, 'clean --yes' writes "judged" to it after judging and
 * then blocks until the test has written to it and closed it, so the
 * test can change an object between the judgement and the removal.
 */
static void
test_hook(void)
{
	const char *path = getenv("IPCTUNE_TEST_CLEAN_HOOK");
	char buf[64];
	int fd;

	if (path == NULL || *path == '\0')
		return;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "judged\n", 7) < 0)
			(void)0;
		close(fd);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

/*
 * Report a failure before any object was touched: on stderr, and in
 * JSON mode also as an error document on stdout (as cli_load_state).
 */
static int
fail_early(const struct globals *g, const char *msg)
{
	cli_err("%s", msg);
	if (g->format == FMT_JSON) {
		json_t *root = render_envelope("error", NULL);
		json_t *e = json_object();

		json_object_set_new(e, "message", json_string(msg));
		json_object_set_new(e, "exit_status", json_integer(EXIT_FAIL));
		json_object_set_new(root, "error", e);
		render_json_print(root);
	}
	return EXIT_FAIL;
}

static int
load_manifest(struct clean_ctx *c)
{
	json_error_t jerr;
	char *buf, why[128];
	size_t len;

	if (ipcrm_read_small(c->dirfd, MANIFEST, &buf, &len, why,
	    sizeof(why)) < 0) {
		if (errno != ENOENT) {
			char msg[1024];

			snprintf(msg, sizeof(msg), "cannot read '%s/%s': %s",
			    c->a->backup_dir, MANIFEST, why);
			fail_early(c->g, msg);
			return -1;
		}
		c->manifest = json_object();
		json_object_set_new(c->manifest, "schema_version",
		    json_integer(IPCTUNE_SCHEMA_VERSION));
		json_object_set_new(c->manifest, "document",
		    json_string("clean_backup"));
		json_object_set_new(c->manifest, "segments", json_array());
		return 0;
	}
	c->manifest = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (c->manifest == NULL || !json_is_array(json_object_get(
	    c->manifest, "segments"))) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "'%s/%s' is not a backup "
		    "manifest; refusing to overwrite it (use another "
		    "--backup-dir)", c->a->backup_dir, MANIFEST);
		fail_early(c->g, msg);
		json_decref(c->manifest);
		c->manifest = NULL;
		return -1;
	}
	return 0;
}

enum { K_ACTION, K_TYPE, K_ID, K_KEY, K_OWNER, K_SIZE, K_AGE, K_REASONS,
    K_DETAIL, K_NCOLS };

static const struct column clean_cols[K_NCOLS] = {
	[K_ACTION] = { "ACTION", "would_remove, removed, skipped or failed",
	    0, COL_DEFAULT },
	[K_TYPE] = { "TYPE", "shm, sem or msg", 0, COL_DEFAULT },
	[K_ID] = { "ID", "identifier", 0, COL_DEFAULT | COL_RIGHT },
	[K_KEY] = { "KEY", "key", 0, COL_DEFAULT },
	[K_OWNER] = { "OWNER", "owner", 0, COL_DEFAULT },
	[K_SIZE] = { "SIZE", "bytes, semaphores or messages", 0,
	    COL_DEFAULT | COL_RIGHT },
	[K_AGE] = { "AGE", "time since last use", 0, COL_RIGHT },
	[K_REASONS] = { "REASONS", "why it looks orphaned", 0,
	    COL_DEFAULT },
	[K_DETAIL] = { "DETAIL", "why skipped or failed, backup file", 0,
	    COL_DEFAULT },
};

const struct column_set cmd_clean_columns[] = {
	{ clean_cols, K_NCOLS },
	{ NULL, 0 },
};

static int
print_table(const struct clean_ctx *c, const struct outcome *outs,
    const size_t *count)
{
	const struct orphan_result *r = &c->run->r;
	char err[512], b[64], big[1024];
	struct table *t;

	if (!c->g->noheadings)
		render_namespace_line(&c->run->ks);
	if (r->nitems > 0) {
		t = table_new(clean_cols, K_NCOLS, c->g->columns, c->g, err,
		    sizeof(err));
		if (t == NULL)
			return cli_usage_error(c->a->cmd, "%s", err);
		for (size_t i = 0; i < r->nitems; i++) {
			const struct orphan_item *it = &r->items[i];
			const struct outcome *o = &outs[i];

			table_row(t);
			table_cell(t, K_ACTION, action_names[o->action]);
			table_cell(t, K_TYPE, orphan_type_names[it->type]);
			snprintf(b, sizeof(b), "%d", orphan_item_id(it));
			table_cell(t, K_ID, b);
			snprintf(b, sizeof(b), "0x%08" PRIx32,
			    orphan_item_key(it));
			table_cell(t, K_KEY, b);
			table_cell(t, K_OWNER, render_user(
			    orphan_item_uid(it)));
			table_cell(t, K_SIZE, cmd_orphans_size(it,
			    c->g->bytes, b, sizeof(b)));
			table_cell(t, K_AGE, cmd_orphans_age(it->age_seconds,
			    b, sizeof(b)));
			table_cell(t, K_REASONS, cmd_orphans_reasons(it, big,
			    sizeof(big)));
			if (o->action == CA_SKIPPED || o->action == CA_FAILED)
				snprintf(big, sizeof(big), "%s: %s", o->code,
				    o->detail);
			else
				snprintf(big, sizeof(big), "%s", o->detail);
			table_cell(t, K_DETAIL, big[0] ? big : "-");
			table_row_color(t, o->action == CA_FAILED ? 2 :
			    o->action == CA_SKIPPED ? 1 : 0);
		}
		if (table_print_free(t) < 0)
			return EXIT_FAIL;
		if (!c->g->noheadings)
			printf("\n");
	}
	if (c->g->noheadings)
		return EXIT_OK;
	if (r->nitems == 0)
		printf("nothing to remove: no orphaned objects among %zu "
		    "judged\n", r->njudged);
	else if (!c->a->yes)
		printf("dry run: would remove %zu object%s, skip %zu; run "
		    "again with --yes to remove them\n",
		    count[CA_WOULD_REMOVE], count[CA_WOULD_REMOVE] == 1 ?
		    "" : "s", count[CA_SKIPPED]);
	else
		printf("removed %zu, skipped %zu, failed %zu\n",
		    count[CA_REMOVED], count[CA_SKIPPED], count[CA_FAILED]);
	return EXIT_OK;
}

/* One entry of "results": the judged object and what became of it. */
static json_t *
result_item(const struct orphan_item *it, size_t i, const void *ctx)
{
	const struct outcome *x = (const struct outcome *)ctx + i;
	json_t *o = cmd_orphans_item_json(it);

	json_object_set_new(o, "action", json_string(action_names[
	    x->action]));
	json_object_set_new(o, "reason", x->action == CA_SKIPPED ?
	    json_string(x->code) : json_null());
	json_object_set_new(o, "errno", x->action == CA_FAILED ?
	    json_string(x->code) : json_null());
	json_object_set_new(o, "detail", x->detail[0] ?
	    json_string(x->detail) : json_null());
	json_object_set_new(o, "backup_file", x->backup_file[0] ?
	    json_string(x->backup_file) : json_null());
	return o;
}

static int
print_json(const struct clean_ctx *c, const struct outcome *outs,
    const size_t *count)
{
	const struct orphan_result *r = &c->run->r;
	json_t *root = render_envelope("clean", &c->run->ks), *tail, *o;

	json_object_set_new(root, "dry_run", json_boolean(!c->a->yes));
	json_object_set_new(root, "filter", cmd_orphans_filter_json(c->a));
	json_object_set_new(root, "include_nonempty",
	    json_boolean(c->a->include_nonempty));
	json_object_set_new(root, "backup_dir", c->a->backup_dir ?
	    json_string(c->a->backup_dir) : json_null());
	json_object_set_new(root, "judged", json_integer(
	    (json_int_t)r->njudged));
	o = json_object();
	for (int i = 0; i < CA_COUNT; i++)
		json_object_set_new(o, action_names[i], json_integer(
		    (json_int_t)count[i]));
	json_object_set_new(root, "counts", o);
	tail = json_object();
	return cmd_orphans_print_json(root, r->items, r->nitems, "results",
	    result_item, outs, tail);
}

int
cmd_clean(int argc, char **argv, struct globals *g)
{
	struct orphans_args a;
	struct orphans_run run;
	struct clean_ctx c;
	struct outcome *outs;
	size_t count[CA_COUNT] = { 0 };
	char err[1024];
	bool done;
	int idx, status;

	memset(&a, 0, sizeof(a));
	a.cmd = cli_find("clean");
	orphan_filter_init(&a.f);
	status = cli_parse(a.cmd, argc, argv, g, handler, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	if (!a.filtered && !a.all_orphans)
		return cli_usage_error(a.cmd, "refusing to clean without a "
		    "filter: give --type, --owner, --older-than, --id or "
		    "--key, or --all-orphans");
	/* shm 0, sem 0 and msg 0 may all exist: an id alone is ambiguous */
	if (a.f.has_id && (a.f.types == 0 || (a.f.types &
	    (a.f.types - 1)) != 0))
		return cli_usage_error(a.cmd, "--id needs one --type (shm, sem "
		    "or msg): ids of different types overlap");
	if (a.yes && g->ks.root != NULL)
		return cli_usage_error(a.cmd, "--yes cannot remove objects of "
		    "a --root tree");
	status = cmd_orphans_run(g, &a, &run);
	if (status != 0)
		return status;
	memset(&c, 0, sizeof(c));
	c.g = g;
	c.a = &a;
	c.run = &run;
	c.dirfd = -1;
	procscan_effects(&run.ps, false, &c.fx);
	if (a.yes && a.backup_dir != NULL && run.r.norphans[OT_SHM] > 0) {
		c.dirfd = ipcrm_backup_open(a.backup_dir, err, sizeof(err));
		if (c.dirfd < 0) {
			cmd_orphans_run_release(&run);
			return fail_early(g, err);
		}
		if (load_manifest(&c) < 0) {
			close(c.dirfd);
			cmd_orphans_run_release(&run);
			return EXIT_FAIL;
		}
	}
	if (a.yes) {
		test_hook();
		/* who waits now: a wait leaves no trace on the object */
		if ((run.ks.nsem > 0 || run.ks.nmsg > 0) &&
		    procscan_scan_waits(&run.ps, true) < 0)
			cli_warn(g, "cannot scan '/proc' again: %s",
			    strerror(errno));
	}
	outs = xcalloc(run.r.nitems ? run.r.nitems : 1, sizeof(*outs));
	for (size_t i = 0; i < run.r.nitems; i++) {
		clean_one(&c, &run.r.items[i], &outs[i]);
		count[outs[i].action]++;
	}
	if (g->format == FMT_JSON)
		status = print_json(&c, outs, count);
	else
		status = print_table(&c, outs, count);
	if (status == EXIT_OK && count[CA_FAILED] > 0)
		status = EXIT_FAIL;
	free(outs);
	if (c.manifest != NULL)
		json_decref(c.manifest);
	if (c.dirfd >= 0)
		close(c.dirfd);
	cmd_orphans_run_release(&run);
	return status;
}
