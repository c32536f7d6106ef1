/*
 * cmd_list.c: 'ipctune list [shm|sem|msg]', every object with its owner,
 * size, attach count, PIDs, times and status, cut down by the filters it
 * shares with 'orphans' (orphanopts.c parses them, objfilter.c applies
 * them).  JSON is streamed object by object so that 96,000 objects never
 * become one tree in memory.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "commands.h"
#include "numparse.h"
#include "ksource.h"
#include "objfilter.h"
#include "orphanopts.h"
#include "procscan.h"
#include "render.h"
#include "snapshot.h"
#include "snapwrite.h"
#include "textesc.h"
#include "xmalloc.h"

static const struct cli_opt cmd_list_opts[] = {
	OO_ROW_TYPE,
	OO_ROW_ID,
	OO_ROW_KEY,
	OO_ROW_OWNER,
	OO_ROW_CREATOR,
	{ "older-than", 0, required_argument, "AGE",
	    "only objects created or last changed at least AGE ago "
	    "(e.g. 2h, 3d)", OO_OLDER_THAN, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

static int
handler(const struct command *self, int id, const char *arg, void *ctx)
{
	(void)self;
	return orphanopts_filter(ctx, id, arg);
}

/* The filters applied, for the JSON document: null where not given. */
static json_t *
filter_json(const struct orphan_filter *f, unsigned types)
{
	json_t *o = json_object(), *t = json_array();

	for (int i = 0; i < IPC_NTYPES; i++)
		if (types & IPC_TYPE_BIT(i))
			json_array_append_new(t, json_string(
			    ipctype_table[i].name));
	json_object_set_new(o, "types", t);
	json_object_set_new(o, "id", f->has_id ? json_integer(f->id) :
	    json_null());
	json_object_set_new(o, "key", f->has_key ? json_integer(f->key) :
	    json_null());
	json_object_set_new(o, "uid", f->has_owner ?
	    json_integer(f->owner) : json_null());
	json_object_set_new(o, "cuid", f->has_creator ?
	    json_integer(f->creator) : json_null());
	json_object_set_new(o, "older_than_seconds", f->has_older_than ?
	    json_integer((json_int_t)f->older_than_s) : json_null());
	return o;
}

/*
 * The types to list: the operand ARG (or every type) and --type in A
 * must agree; both given, the types named by both.  0 or a usage error.
 */
static int
list_types(const struct command *self, const char *arg,
    const struct orphans_args *a, unsigned *types)
{
	enum ipc_type t;

	*types = a->types_set ? a->f.types : IPC_TYPES_ALL;
	if (arg == NULL)
		return 0;
	if (ipctype_lookup(arg, &t) < 0)
		return cli_usage_error(self, "unknown object type '%s' "
		    "(use " IPCTYPE_NAMES(", ", " or ") ")", arg);
	if (!(*types & IPC_TYPE_BIT(t)))
		return cli_usage_error(self, "'%s' contradicts --type", arg);
	*types = IPC_TYPE_BIT(t);
	return 0;
}

/*
 * The columns of every type first (same index in each table), then each
 * type's own.  Headings are lsipc's where the meaning is the same; the
 * names they replaced stay accepted by -o (list_aliases).
 */
enum { C_ID, C_KEY, C_OWNER, C_GROUP, C_CUID, C_CGID, C_PERMS, C_UID,
    C_USER, C_GID, C_CUSER, C_CGROUP, C_RWX, C_NCOMMON };

#define COMMON_COLS(idhelp)						\
	[C_ID] = { "ID", idhelp, 0, COL_DEFAULT | COL_RIGHT },		\
	[C_KEY] = { "KEY", "key", 0, COL_DEFAULT },			\
	[C_OWNER] = { "OWNER", "owner's user name (or UID)", 0,		\
	    COL_DEFAULT },						\
	[C_GROUP] = { "GROUP", "owner's group name (or GID)", 0, 0 },	\
	[C_CUID] = { "CUID", "creator UID", 0, COL_RIGHT },		\
	[C_CGID] = { "CGID", "creator GID", 0, COL_RIGHT },		\
	[C_PERMS] = { "PERMS", "permissions in octal", 0,		\
	    COL_DEFAULT },						\
	[C_UID] = { "UID", "owner's UID", 0, COL_RIGHT },		\
	[C_USER] = { "USER", "owner's user name (or UID)", 0, 0 },	\
	[C_GID] = { "GID", "owner's GID", 0, COL_RIGHT },		\
	[C_CUSER] = { "CUSER", "creator's user name (or UID)", 0, 0 },	\
	[C_CGROUP] = { "CGROUP", "creator's group name (or GID)", 0,	\
	    0 },							\
	[C_RWX] = { "RWX", "permissions as rwx text", 0, 0 }

enum { S_SIZE = C_NCOMMON, S_PAGES, S_NATTCH, S_CPID, S_LPID, S_ATIME,
    S_DTIME, S_CTIME, S_STATUS, S_RSS, S_SWAP, S_COMMAND, S_NCOLS };

static const struct column shm_cols[S_NCOLS] = {
	COMMON_COLS("shmid"),
	[S_SIZE] = { "SIZE", "size", 0, COL_DEFAULT | COL_RIGHT },
	[S_PAGES] = { "PAGES", "pages charged against shmall", 0,
	    COL_RIGHT },
	[S_NATTCH] = { "NATTCH", "attached processes", 0,
	    COL_DEFAULT | COL_RIGHT },
	[S_CPID] = { "CPID", "creator PID", 0, COL_DEFAULT | COL_RIGHT },
	[S_LPID] = { "LPID", "last attach/detach PID", 0,
	    COL_DEFAULT | COL_RIGHT },
	[S_ATIME] = { "ATTACH", "last attach", 0, 0 },
	[S_DTIME] = { "DETACH", "last detach", 0, 0 },
	[S_CTIME] = { "CTIME", "last change", 0, COL_DEFAULT },
	[S_STATUS] = { "STATUS", "dest, locked", 0, COL_DEFAULT },
	[S_RSS] = { "RSS", "resident", 0, COL_RIGHT },
	[S_SWAP] = { "SWAP", "swapped", 0, COL_RIGHT },
	[S_COMMAND] = { "COMMAND", "creator's command while it runs", 0,
	    COL_TRUNC },
};

enum { M_NSEMS = C_NCOMMON, M_OTIME, M_CTIME, M_NCOLS };

static const struct column sem_cols[M_NCOLS] = {
	COMMON_COLS("semid"),
	[M_NSEMS] = { "NSEMS", "semaphores", 0, COL_DEFAULT | COL_RIGHT },
	[M_OTIME] = { "OTIME", "last semop", 0, COL_DEFAULT },
	[M_CTIME] = { "CTIME", "last change", 0, COL_DEFAULT },
};

enum { Q_USED = C_NCOMMON, Q_MSGS, Q_QBYTES, Q_LSPID, Q_LRPID, Q_STIME,
    Q_RTIME, Q_CTIME, Q_NCOLS };

static const struct column msg_cols[Q_NCOLS] = {
	COMMON_COLS("msqid"),
	[Q_USED] = { "USEDBYTES", "bytes queued", 0,
	    COL_DEFAULT | COL_RIGHT },
	[Q_MSGS] = { "MSGS", "messages queued", 0, COL_DEFAULT | COL_RIGHT },
	[Q_QBYTES] = { "QBYTES", "queue limit", 0, COL_DEFAULT | COL_RIGHT },
	[Q_LSPID] = { "LSPID", "last sender", 0, COL_DEFAULT | COL_RIGHT },
	[Q_LRPID] = { "LRPID", "last receiver", 0, COL_DEFAULT | COL_RIGHT },
	[Q_STIME] = { "SEND", "last msgsnd", 0, 0 },
	[Q_RTIME] = { "RECV", "last msgrcv", 0, 0 },
	[Q_CTIME] = { "CTIME", "last change", 0, COL_DEFAULT },
};

/* The headings before lsipc's, for -o lists written against them. */
static const struct column_alias list_aliases[] = {
	{ "ATTACHED", "ATTACH" },
	{ "DETACHED", "DETACH" },
	{ "CHANGED", "CTIME" },
	{ "LAST-OP", "OTIME" },
	{ "USED", "USEDBYTES" },
	{ "MESSAGES", "MSGS" },
	{ "SENT", "SEND" },
	{ "RECEIVED", "RECV" },
};
#define NALIASES (sizeof(list_aliases) / sizeof(list_aliases[0]))

/* The columns of the POSIX types: one set, each type shows its own. */
enum { P_NAME, P_OWNER, P_GROUP, P_PERMS, P_SIZE, P_ALLOC, P_VALUE,
    P_WAITERS, P_USED, P_MSGS, P_MAXMSG, P_MSGSIZE, P_NOTIFY, P_SIGNO,
    P_NOTIFY_PID, P_NHOLD, P_HOLDERS, P_MTIME, P_CTIME, P_INODE,
    P_NCOLS };

#define P_PSHM (1 << 8)		/* column flags: the types showing it */
#define P_PSEM (1 << 9)
#define P_PMQ (1 << 10)
#define P_ALL (P_PSHM | P_PSEM | P_PMQ)

static const struct column posix_cols[P_NCOLS] = {
	[P_NAME] = { "NAME", "the name given to shm_open, sem_open, mq_open",
	    0, COL_DEFAULT | P_ALL },
	[P_OWNER] = { "OWNER", "owner", 0, COL_DEFAULT | P_ALL },
	[P_GROUP] = { "GROUP", "group", 0, P_ALL },
	[P_PERMS] = { "PERMS", "permissions", 0, COL_DEFAULT | P_ALL },
	[P_SIZE] = { "SIZE", "file size", 0,
	    COL_DEFAULT | COL_RIGHT | P_PSHM | P_PSEM },
	[P_ALLOC] = { "ALLOC", "bytes allocated in the tmpfs", 0,
	    COL_DEFAULT | COL_RIGHT | P_PSHM | P_PSEM },
	[P_VALUE] = { "VALUE", "semaphore value", 0,
	    COL_DEFAULT | COL_RIGHT | P_PSEM },
	[P_WAITERS] = { "WAITERS", "threads waiting in sem_wait", 0,
	    COL_RIGHT | P_PSEM },
	[P_USED] = { "USEDBYTES", "bytes queued (QSIZE)", 0,
	    COL_DEFAULT | COL_RIGHT | P_PMQ },
	[P_MSGS] = { "MSGS", "messages queued", 0,
	    COL_DEFAULT | COL_RIGHT | P_PMQ },
	[P_MAXMSG] = { "MAXMSG", "mq_maxmsg", 0,
	    COL_DEFAULT | COL_RIGHT | P_PMQ },
	[P_MSGSIZE] = { "MSGSIZE", "mq_msgsize", 0,
	    COL_DEFAULT | COL_RIGHT | P_PMQ },
	[P_NOTIFY] = { "NOTIFY", "notification (sigev_notify)", 0,
	    COL_RIGHT | P_PMQ },
	[P_SIGNO] = { "SIGNO", "notification signal", 0, COL_RIGHT | P_PMQ },
	[P_NOTIFY_PID] = { "NOTIFY-PID", "registered for notification", 0,
	    COL_RIGHT | P_PMQ },
	[P_NHOLD] = { "NHOLD", "processes mapping or holding it open", 0,
	    COL_DEFAULT | COL_RIGHT | P_ALL },
	[P_HOLDERS] = { "HOLDERS", "PID(command) of each, m mapped, o open",
	    0, COL_DEFAULT | P_ALL },
	[P_MTIME] = { "MTIME", "last modification", 0, P_ALL },
	[P_CTIME] = { "CTIME", "last change", 0, COL_DEFAULT | P_ALL },
	[P_INODE] = { "INODE", "device:inode", 0, P_ALL },
};

static const struct column_set cmd_list_columns[] = {
	{ shm_cols, S_NCOLS },
	{ sem_cols, M_NCOLS },
	{ msg_cols, Q_NCOLS },
	{ posix_cols, P_NCOLS },
	{ NULL, 0 },
};

/* KEY as 0x%08x, without printf: a cell of every row. */
static const char *
fmt_key(uint32_t key, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	if (len < 11)
		return "";
	buf[0] = '0';
	buf[1] = 'x';
	for (int i = 0; i < 8; i++)
		buf[2 + i] = hex[(key >> (28 - 4 * i)) & 0xf];
	buf[10] = '\0';
	return buf;
}

/* The permission bits of MODE as %04o, without printf. */
static const char *
fmt_perms(uint32_t mode, char *buf, size_t len)
{
	if (len < 5)
		return "";
	buf[0] = '0';
	for (int i = 0; i < 3; i++)
		buf[1 + i] = (char)('0' + ((mode >> (6 - 3 * i)) & 7));
	buf[4] = '\0';
	return buf;
}

static const char *
fmt_u(uint64_t v, char *buf, size_t len)
{
	return render_u64(v, buf, len);
}

/* The cells every type has (the C_* columns) of the object P. */
static void
perm_cells(struct table *t, const struct render_opts *ro,
    const struct obj_perm *p)
{
	char b[64];

	table_cell_u64(t, C_ID, (uint64_t)p->id);
	table_cell(t, C_KEY, fmt_key(p->key, b, sizeof(b)));
	table_cell(t, C_OWNER, render_user(ro, p->uid, b, sizeof(b)));
	table_cell(t, C_GROUP, render_group(ro, p->gid, b, sizeof(b)));
	table_cell_u64(t, C_CUID, p->cuid);
	table_cell_u64(t, C_CGID, p->cgid);
	table_cell(t, C_PERMS, fmt_perms(p->mode, b, sizeof(b)));
	table_cell_u64(t, C_UID, p->uid);
	if (table_shows(t, C_USER))
		table_cell(t, C_USER, render_user(ro, p->uid, b, sizeof(b)));
	table_cell_u64(t, C_GID, p->gid);
	if (table_shows(t, C_CUSER))
		table_cell(t, C_CUSER, render_user(ro, p->cuid, b,
		    sizeof(b)));
	if (table_shows(t, C_CGROUP))
		table_cell(t, C_CGROUP, render_group(ro, p->cgid, b,
		    sizeof(b)));
	table_cell(t, C_RWX, render_perms_rwx(p->mode, b, sizeof(b)));
}

/*
 * The creator of segment O while it runs: its command, "-" when it is
 * gone, or its PID now belongs to a process that started more than
 * ORPHAN_START_SLACK_S after the segment's change time (the creator
 * started before it created the segment, and ctime is no earlier than
 * the creation: ipc/shm.c newseg(), shmctl IPC_SET), "?" when it cannot
 * be told.  PS is NULL for a snapshot, whose processes are not here.
 */
static const char *
creator_command(struct procscan *ps, const struct shm_obj *o, char *buf,
    size_t len)
{
	struct orphan_proc p;
	int r;

	if (ps == NULL)
		return "?";
	if (o->cpid <= 0)
		return "-";
	memset(&p, 0, sizeof(p));
	r = procscan_proc(ps, o->cpid, &p);
	if (r == ORPHAN_PROC_UNREADABLE)
		return "?";
	if (r < 0 || (o->ctime != 0 &&
	    p.start_time - o->ctime > ORPHAN_START_SLACK_S))
		return "-";
	snprintf(buf, len, "%s", p.comm);
	return buf;
}

/* The cells of segment O. */
static void
shm_cells(struct table *t, const struct render_opts *ro,
    const struct shm_obj *o, uint64_t pg, struct procscan *ps)
{
	char b[64];

	perm_cells(t, ro, &o->perm);
	table_cell(t, S_SIZE, render_bytes(o->size_bytes, ro->bytes, b,
	    sizeof(b)));
	table_cell_u64(t, S_PAGES, num_div_ceil_u64(o->size_bytes, pg));
	table_cell_u64(t, S_NATTCH, o->nattch);
	table_cell_u64(t, S_CPID, (uint64_t)o->cpid);
	table_cell_u64(t, S_LPID, (uint64_t)o->lpid);
	table_cell_time(t, S_ATIME, ro, o->atime);
	table_cell_time(t, S_DTIME, ro, o->dtime);
	table_cell_time(t, S_CTIME, ro, o->ctime);
	snprintf(b, sizeof(b), "%s%s%s",
	    o->perm.mode & IPC_SHM_DEST ? "dest" : "",
	    (o->perm.mode & IPC_SHM_DEST) &&
	    (o->perm.mode & IPC_SHM_LOCKED) ? "," : "",
	    o->perm.mode & IPC_SHM_LOCKED ? "locked" : "");
	table_cell(t, S_STATUS, b[0] ? b : "-");
	table_cell(t, S_RSS, o->has_rss ? render_bytes(o->rss_bytes,
	    ro->bytes, b, sizeof(b)) : "-");
	table_cell(t, S_SWAP, o->has_rss ? render_bytes(o->swap_bytes,
	    ro->bytes, b, sizeof(b)) : "-");
	if (table_shows(t, S_COMMAND))
		table_cell(t, S_COMMAND, creator_command(ps, o, b, sizeof(b)));
}

/*
 * RSS and SWAP asked of a live kernel read by *_STAT_ANY, which has no
 * per-segment RSS: read them from /proc/sysvipc/shm, only then.
 */
static void
shm_rss(const struct table *t, struct kstate *ks, const struct globals *g)
{
	char err[1024];

	if (ks->source != KSRC_LIVE || (!table_shows(t, S_RSS) &&
	    !table_shows(t, S_SWAP)))
		return;
	if (ksource_read_shm_rss(&g->ks, ks, err, sizeof(err)) < 0)
		cli_warn(g, "RSS and SWAP unknown: %s", err);
}

static int
list_shm(const struct command *self, struct kstate *ks, struct globals *g,
    const char *sel, bool ns_line)
{
	struct table *t;
	struct procscan ps, *psp = NULL;
	char err[1024];

	t = table_new_aliased(shm_cols, S_NCOLS, list_aliases, NALIASES, sel,
	    &g->view, err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	shm_rss(t, ks, g);
	if (table_shows(t, S_COMMAND) && ks->source != KSRC_SNAPSHOT) {
		procscan_init(&ps, g->ks.root, false, 0);
		ps.cache = true;
		psp = &ps;
	}
	if (ns_line)
		render_namespace_line(ks);
	for (size_t i = 0; i < ks->nshm; i++) {
		table_row(t);
		shm_cells(t, &g->view, &ks->shm[i], ks->host.page_size, psp);
	}
	if (psp != NULL)
		procscan_release(psp);
	return table_print_free(t) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
list_sem(const struct command *self, struct kstate *ks, struct globals *g,
    const char *sel, bool ns_line)
{
	const struct render_opts *ro = &g->view;
	struct table *t;
	char err[1024];

	t = table_new_aliased(sem_cols, M_NCOLS, list_aliases, NALIASES, sel,
	    ro, err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	if (ns_line)
		render_namespace_line(ks);
	for (size_t i = 0; i < ks->nsem; i++) {
		const struct sem_obj *o = &ks->sem[i];

		table_row(t);
		perm_cells(t, ro, &o->perm);
		table_cell_u64(t, M_NSEMS, o->nsems);
		table_cell_time(t, M_OTIME, ro, o->otime);
		table_cell_time(t, M_CTIME, ro, o->ctime);
	}
	return table_print_free(t) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The cells of queue O. */
static void
msg_cells(struct table *t, const struct render_opts *ro,
    const struct msg_obj *o)
{
	char b[64];

	perm_cells(t, ro, &o->perm);
	table_cell(t, Q_USED, render_bytes(o->cbytes, ro->bytes, b,
	    sizeof(b)));
	table_cell_u64(t, Q_MSGS, o->qnum);
	table_cell(t, Q_QBYTES, o->has_qbytes ? render_bytes(o->qbytes,
	    ro->bytes, b, sizeof(b)) : "-");
	table_cell_u64(t, Q_LSPID, (uint64_t)o->lspid);
	table_cell_u64(t, Q_LRPID, (uint64_t)o->lrpid);
	table_cell_time(t, Q_STIME, ro, o->stime);
	table_cell_time(t, Q_RTIME, ro, o->rtime);
	table_cell_time(t, Q_CTIME, ro, o->ctime);
}

static int
list_msg(const struct command *self, struct kstate *ks, struct globals *g,
    const char *sel, bool ns_line)
{
	struct table *t;
	char err[1024];

	t = table_new_aliased(msg_cols, Q_NCOLS, list_aliases, NALIASES, sel,
	    &g->view, err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	if (ns_line)
		render_namespace_line(ks);
	for (size_t i = 0; i < ks->nmsg; i++) {
		table_row(t);
		msg_cells(t, &g->view, &ks->msg[i]);
	}
	return table_print_free(t) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The cells only a POSIX queue has. */
static void
list_pmq_cells(struct table *t, const struct pmq_obj *o, bool raw)
{
	char b[64];

	table_cell(t, P_USED, o->has_text ? render_bytes(o->qsize_bytes, raw,
	    b, sizeof(b)) : "-");
	table_cell(t, P_MSGS, o->has_attr ? fmt_u((uint64_t)o->curmsgs, b,
	    sizeof(b)) : "-");
	table_cell(t, P_MAXMSG, o->has_attr ? fmt_u((uint64_t)o->maxmsg, b,
	    sizeof(b)) : "-");
	table_cell(t, P_MSGSIZE, o->has_attr ? fmt_u((uint64_t)o->msgsize, b,
	    sizeof(b)) : "-");
	snprintf(b, sizeof(b), "%d", o->notify);
	table_cell(t, P_NOTIFY, o->has_text ? b : "-");
	snprintf(b, sizeof(b), "%d", o->signo);
	table_cell(t, P_SIGNO, o->has_text ? b : "-");
	snprintf(b, sizeof(b), "%d", (int)o->notify_pid);
	table_cell(t, P_NOTIFY_PID, o->has_text ? b : "-");
}

/* The holders of F, "PID(comm)m" each (m mapped, o open), or "-". */
static char *
fmt_holders(const struct posix_file *f)
{
	size_t len = 2, off = 0;
	char *s;

	if (!f->has_holders || f->nholders == 0)
		return xstrdup(f->has_holders ? "" : "-");
	for (size_t i = 0; i < f->nholders; i++)
		len += 16 + strlen(f->holders[i].comm) + 4;
	s = xmalloc(len);
	s[0] = '\0';
	for (size_t i = 0; i < f->nholders; i++) {
		const struct posix_holder *h = &f->holders[i];

		if (h->how & POSIX_HOLD_LOOP)
			off += (size_t)snprintf(s + off, len - off,
			    "%s/dev/%s", i ? "," : "", h->comm);
		else
			off += (size_t)snprintf(s + off, len - off,
			    "%s%d(%s)%s%s", i ? "," : "", (int)h->pid,
			    h->comm, h->how & POSIX_HOLD_MAP ? "m" : "",
			    h->how & POSIX_HOLD_FD ? "o" : "");
	}
	return s;
}

/* The filesystem type T was read from, one line above its table. */
static void
posix_fs_line(const struct kstate *ks, enum ipc_type t, bool raw)
{
	const struct posix_fs *fs = t == IPC_PMQ ? &ks->mqueue : &ks->dev_shm;
	char sz[32], fr[32];

	if (t == IPC_PMQ)
		render_printf("read from %s\n", fs->path);
	else
		render_printf("read from %s: %s '%s' (device %u:%u), %s, %s "
		    "free, %" PRIu64 " inodes, %" PRIu64 " free\n", fs->path,
		    fs->fstype, fs->source[0] ? fs->source : "?",
		    major((dev_t)fs->dev), minor((dev_t)fs->dev),
		    render_bytes(fs->size_bytes, raw, sz, sizeof(sz)),
		    render_bytes(fs->free_bytes, raw, fr, sizeof(fr)),
		    fs->inodes, fs->free_inodes);
	if (ks->holders.procs_partial > 0)
		render_printf("holders may be missing: %zu of %zu processes "
		    "could not be inspected%s\n", ks->holders.procs_partial,
		    ks->holders.procs, geteuid() == 0 ? "" : " (run as root)");
}

/* The cells every POSIX object has; NAME as the program spelled it. */
static void
posix_cells(struct table *t, const struct obj_perm *p,
    const struct posix_file *f, const char *name, const struct globals *g)
{
	char b[64], *n = xasprintf("/%s", name), *h;
	bool raw = g->bytes;

	table_cell(t, P_NAME, n);
	free(n);
	table_cell(t, P_OWNER, render_user(&g->view, p->uid, b, sizeof(b)));
	table_cell(t, P_GROUP, render_group(&g->view, p->gid, b, sizeof(b)));
	snprintf(b, sizeof(b), "%04" PRIo32, p->mode & 07777);
	table_cell(t, P_PERMS, b);
	table_cell(t, P_SIZE, render_bytes(f->size_bytes, raw, b, sizeof(b)));
	table_cell(t, P_ALLOC, render_bytes(f->alloc_bytes, raw, b,
	    sizeof(b)));
	table_cell(t, P_NHOLD, f->has_holders ? fmt_u(f->nholders, b,
	    sizeof(b)) : "-");
	h = fmt_holders(f);
	table_cell(t, P_HOLDERS, h);
	free(h);
	table_cell_time(t, P_MTIME, &g->view, f->mtime);
	table_cell_time(t, P_CTIME, &g->view, f->ctime);
	snprintf(b, sizeof(b), "%" PRIu64 ":%" PRIu64, f->dev, f->ino);
	table_cell(t, P_INODE, b);
}

/* A usage error if SEL names a column of posix_cols that T lacks. */
static int
posix_cols_check(const struct command *self, const char *sel,
    enum ipc_type t, int bit)
{
	char *s, *tok, *save = NULL;
	const char *name;
	int status = 0;

	if (sel == NULL)
		return 0;
	s = xstrdup(sel);
	for (tok = strtok_r(s, ",", &save); tok != NULL && status == 0;
	    tok = strtok_r(NULL, ",", &save)) {
		/* "+NAME" adds to the defaults; an earlier name is an alias */
		name = tok + (*tok == '+');
		for (size_t a = 0; a < NALIASES; a++)
			if (strcasecmp(name, list_aliases[a].alias) == 0)
				name = list_aliases[a].name;
		for (size_t c = 0; c < P_NCOLS; c++)
			if (strcasecmp(name, posix_cols[c].name) == 0 &&
			    !(posix_cols[c].flags & bit)) {
				status = cli_usage_error(self, "%s have no "
				    "column '%s'", ipctype_table[t].plural,
				    posix_cols[c].name);
				break;
			}
	}
	free(s);
	return status;
}

/*
 * The table of POSIX type T: the columns of posix_cols whose type bit
 * (P_PSHM ...) names T, the defaults or SEL.
 */
static int
list_posix(const struct command *self, const struct kstate *ks,
    struct globals *g, const char *sel, bool ns_line, enum ipc_type t,
    int bit)
{
	struct column cols[P_NCOLS];
	struct table *tb;
	char err[1024], b[64];

	if (posix_cols_check(self, sel, t, bit) != 0)
		return EXIT_USAGE;
	for (size_t c = 0; c < P_NCOLS; c++) {
		cols[c] = posix_cols[c];
		/* a column of another type is neither default nor named */
		if (!(cols[c].flags & bit))
			cols[c].flags &= ~COL_DEFAULT;
		cols[c].flags &= ~P_ALL;
	}
	tb = table_new_aliased(cols, P_NCOLS, list_aliases, NALIASES, sel,
	    &g->view, err, sizeof(err));
	if (tb == NULL)
		return cli_usage_error(self, "%s", err);
	if (ns_line) {
		render_namespace_line(ks);
		posix_fs_line(ks, t, g->bytes);
	}
	for (size_t i = 0; i < ipctype_count(ks, t); i++) {
		const struct obj_perm *p = ipctype_perm(ks, t, i);
		const struct posix_file *f = ipctype_posix_file(ks, t, i);

		table_row(tb);
		if (t == IPC_PSEM) {
			const struct psem_obj *o = &ks->psem[i];

			posix_cells(tb, p, f, f->name + 4, g);
			table_cell(tb, P_VALUE, o->has_value ? fmt_u(o->value,
			    b, sizeof(b)) : "-");
			table_cell(tb, P_WAITERS, o->has_value ? fmt_u(
			    o->nwaiters, b, sizeof(b)) : "-");
		} else if (t == IPC_PMQ) {
			const struct pmq_obj *o = &ks->pmq[i];

			posix_cells(tb, p, f, f->name, g);
			list_pmq_cells(tb, o, g->bytes);
		} else {
			posix_cells(tb, p, f, f->name, g);
		}
	}
	return table_print_free(tb) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
list_pshm(const struct command *self, struct kstate *ks,
    struct globals *g, const char *sel, bool ns_line)
{
	return list_posix(self, ks, g, sel, ns_line, IPC_PSHM, P_PSHM);
}

static int
list_psem(const struct command *self, struct kstate *ks,
    struct globals *g, const char *sel, bool ns_line)
{
	return list_posix(self, ks, g, sel, ns_line, IPC_PSEM, P_PSEM);
}

static int
list_pmq(const struct command *self, struct kstate *ks,
    struct globals *g, const char *sel, bool ns_line)
{
	return list_posix(self, ks, g, sel, ns_line, IPC_PMQ, P_PMQ);
}

/*
 * POSIX type T was not read: from a live system, say why (on stderr
 * when it alone was asked for, a usage of the command that fails);
 * fixture trees and snapshots without the table list nothing of it.
 */
static int
posix_unread(const struct kstate *ks, enum ipc_type t, bool single)
{
	const struct posix_fs *fs = t == IPC_PMQ ? &ks->mqueue : &ks->dev_shm;

	if (single) {
		textesc_fprintf(stderr, "ipctune: list: %s not read: %s\n",
		    ipctype_table[t].plural, fs->why[0] ? fs->why :
		    "not in this snapshot");
		return EXIT_FAIL;
	}
	if (ks->source == KSRC_LIVE)
		render_printf("\n%s not read: %s\n", ipctype_table[t].heading,
		    fs->why);
	return EXIT_OK;
}

struct stream_ctx {
	const struct kstate *ks;
	unsigned types;
	const struct render_opts *ro;
};

static void
stream_objects(FILE *fp, const void *ctx)
{
	const struct stream_ctx *c = ctx;

	snapshot_stream_objects(fp, c->ks, c->types, true, c->ro);
}

/* The table of each type, indexed by enum ipc_type. */
static int (*const listers[])(const struct command *,
    struct kstate *, struct globals *, const char *, bool) = {
	[IPC_SHM] = list_shm,
	[IPC_SEM] = list_sem,
	[IPC_MSG] = list_msg,
	[IPC_PSHM] = list_pshm,
	[IPC_PSEM] = list_psem,
	[IPC_PMQ] = list_pmq,
};
IPCTYPE_TABLE_CHECK(listers);

static int
cmd_list(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct kstate ks;
	struct orphans_args a;
	unsigned types, want = KS_SYSCTL;
	bool done, single;
	int idx, status;

	memset(&a, 0, sizeof(a));
	a.cmd = self;
	orphan_filter_init(&a.f);
	status = cli_parse(self, argc, argv, g, handler, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	if (idx + 1 < argc)
		return cli_usage_error(self, "unexpected argument '%s'",
		    argv[idx + 1]);
	status = list_types(self, idx < argc ? argv[idx] : NULL, &a, &types);
	if (status == 0)
		status = orphanopts_types_check(&a, types);
	if (status != 0)
		return status;
	/* one type: its -o is checked before anything is printed */
	single = (types & (types - 1)) == 0;
	if (g->columns != NULL && !single && g->format == FMT_TABLE)
		return cli_usage_error(self, "-o needs an object type "
		    "(" IPCTYPE_NAMES(", ", " or ") ")");
	/* rows of several types would be NAME="value" lines alike */
	if (g->table_mode == TMODE_EXPORT && !single &&
	    g->format == FMT_TABLE)
		return cli_usage_error(self, "--export needs an object type "
		    "(" IPCTYPE_NAMES(", ", " or ") ")");
	for (int t = 0; t < IPC_NTYPES; t++)
		if (types & IPC_TYPE_BIT(t))
			want |= ipctype_table[t].want;
	status = cli_load_state(g, want, &ks);
	if (status != 0)
		return status;
	a.f.types = types;
	/* ages count at the time the state was read (a snapshot's time) */
	if (a.filtered)
		objfilter_apply(&a.f, ks.read_at > 0 ? ks.read_at :
		    g->view.now, &ks);
	if (g->format == FMT_JSON) {
		struct stream_ctx c = { &ks, types, &g->view };
		json_t *root = render_envelope("list", &ks, g->view.now);

		if (a.filtered)
			json_object_set_new(root, "filter",
			    filter_json(&a.f, types));
		if ((types & IPC_TYPES_POSIX) && snapshot_has_posix(&ks))
			json_object_set_new(root, "posix",
			    snapshot_posix_json(&ks));
		status = render_json_print_streamed(stdout, root,
		    stream_objects, &c) == 0 ? EXIT_OK : EXIT_FAIL;
	} else {
		if (!single && !g->noheadings)
			render_namespace_line(&ks);
		for (int t = 0; t < IPC_NTYPES && status == 0; t++) {
			if (!(types & IPC_TYPE_BIT(t)))
				continue;
			if (IPC_TYPE_IS_POSIX(t) && !ipctype_has(&ks,
			    (enum ipc_type)t)) {
				status = posix_unread(&ks, (enum ipc_type)t,
				    single);
				continue;
			}
			if (!single && !g->noheadings)
				printf("\n%s (%zu)\n", ipctype_table[t].heading,
				    ipctype_count(&ks, (enum ipc_type)t));
			if (IPC_TYPE_IS_POSIX(t) && !single && !g->noheadings)
				posix_fs_line(&ks, (enum ipc_type)t, g->bytes);
			status = listers[t](self, &ks, g, g->columns,
			    single && !g->noheadings);
		}
	}
	kstate_release(&ks);
	return status;
}

const struct command cmd_list_entry = {
	.name = "list", .fn = cmd_list, .args = "[" IPCTYPE_NAMES("|", "|") "]",
	.summary = "the IPC objects, one row each",
	.opts = cmd_list_opts, .flags = READS | CMD_OPERANDS,
	.operands = IPCTYPE_NAMES(" ", " "), .colsets = cmd_list_columns
};
