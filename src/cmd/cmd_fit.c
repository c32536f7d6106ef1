/*
 * cmd_fit.c: 'ipctune fit', would an allocation succeed now, and if not,
 * which errno, which limit and the smallest change that makes it fit.
 * Option parsing and glue only; the prediction comes from fit.c.
 */
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "orphanopts.h"
#include "orphanrun.h"
#include "view_orphans.h"
#include "commands.h"
#include "fit.h"
#include "idname.h"
#include "numparse.h"
#include "platform.h"
#include "posixfit.h"
#include "posixlim.h"
#include "render.h"

enum { O_SHM_SIZE = 1, O_SHM_COUNT, O_SEM_ARRAYS, O_SEMS_PER_ARRAY,
    O_SEMOP_OPS, O_QUEUES, O_MSG_SIZE, O_KEY, O_FLAGS, O_UID, O_GID,
    O_POSIX_SHM_SIZE, O_MQ_MAXMSG, O_MQ_MSGSIZE, O_MQ_COUNT };

static const struct cli_opt cmd_fit_opts[] = {
	{ "shm-size", 0, required_argument, "SIZE",
	    "shared memory segment size (suffixes K, M, G, T)", O_SHM_SIZE,
	    NULL },
	{ "shm-count", 0, required_argument, "N",
	    "number of such segments (default 1)", O_SHM_COUNT, NULL },
	{ "sem-arrays", 0, required_argument, "N",
	    "number of semaphore arrays (default 1)", O_SEM_ARRAYS, NULL },
	{ "sems-per-array", 0, required_argument, "M",
	    "semaphores in each array", O_SEMS_PER_ARRAY, NULL },
	{ "semop-ops", 0, required_argument, "K",
	    "operations in one semop call", O_SEMOP_OPS, NULL },
	{ "queues", 0, required_argument, "N",
	    "number of message queues", O_QUEUES, NULL },
	{ "msg-size", 0, required_argument, "SIZE",
	    "one message of SIZE bytes into a new queue, or the key's",
	    O_MSG_SIZE, NULL },
	{ "key", 0, required_argument, "KEY",
	    "get by KEY (0x hex or decimal): open the object holding it",
	    O_KEY, NULL },
	{ "flags", 0, required_argument, "FLAGS",
	    "the get flags with --key, e.g. IPC_CREAT|IPC_EXCL|0600",
	    O_FLAGS, NULL },
	{ "uid", 0, required_argument, "USER",
	    "the caller's user with --key (name or uid)", O_UID, "users" },
	{ "gid", 0, required_argument, "GROUP",
	    "the caller's group with --key (name or gid)", O_GID, NULL },
	{ "posix-shm-size", 0, required_argument, "SIZE",
	    "a file of SIZE in the /dev/shm tmpfs (shm_open)",
	    O_POSIX_SHM_SIZE, NULL },
	{ "mq-maxmsg", 0, required_argument, "N",
	    "mq_open: mq_maxmsg of each queue (with --mq-msgsize)",
	    O_MQ_MAXMSG, NULL },
	{ "mq-msgsize", 0, required_argument, "SIZE",
	    "mq_open: mq_msgsize of each queue (with --mq-maxmsg)",
	    O_MQ_MSGSIZE, NULL },
	{ "mq-count", 0, required_argument, "N",
	    "mq_open: number of queues (default 1; alone: default "
	    "attributes)", O_MQ_COUNT, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/* The largest count accepted on the command line (well above IPCMNI). */
#define COUNT_MAX 1000000000ull

/* The default flags with --key: create if missing, read and write. */
#define FIT_DEFAULT_FLAGS (FIT_IPC_CREAT | 0600u)

struct fit_args {
	struct fit_request req;
	struct posixfit_request preq;
	bool has_mq_maxmsg, has_mq_msgsize, has_mq_count;
	bool has_shm_count, has_sem_arrays, has_flags;
	bool has_uid, has_gid;
	uid_t uid;
	gid_t gid;
	gid_t gids[256];
};

/*
 * FLAGS as a program passes them: IPC_CREAT, IPC_EXCL and octal mode
 * bits, joined by '|' (e.g. "IPC_CREAT|IPC_EXCL|0600").  0 or -1.
 */
static int
parse_flags(const char *arg, unsigned *out)
{
	char buf[128], *tok, *save = NULL;
	unsigned f = 0;

	/* no empty part: "IPC_CREAT|" is a typo, not IPC_CREAT */
	if (strlen(arg) >= sizeof(buf) || arg[0] == '\0' || arg[0] == '|' ||
	    arg[strlen(arg) - 1] == '|' || strstr(arg, "||") != NULL)
		return -1;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, "|", &save); tok != NULL;
	    tok = strtok_r(NULL, "|", &save)) {
		unsigned v = 0;
		const char *p;

		if (strcmp(tok, "IPC_CREAT") == 0) {
			f |= FIT_IPC_CREAT;
			continue;
		}
		if (strcmp(tok, "IPC_EXCL") == 0) {
			f |= FIT_IPC_EXCL;
			continue;
		}
		/* mode bits: octal, as in C source ("0600" or "600") */
		for (p = tok; *p != '\0'; p++) {
			if (*p < '0' || *p > '7' || v > 0777)
				return -1;
			v = v * 8 + (unsigned)(*p - '0');
		}
		if (p == tok || v > 0777)
			return -1;
		f |= v;
	}
	*out = f;
	return 0;
}

/*
 * The options that take one number and record that they were given: the
 * range, the word for the error and where the value and the flag live.
 */
struct fit_number_opt {
	int id;
	const char *name;	/* the option, for the error */
	bool size;		/* a size with suffixes, of any value */
	const char *noun;	/* otherwise: the word for the error */
	uint64_t min, max;	/* and the range */
	size_t given;		/* offset of the bool in struct fit_args */
	size_t value;		/* offset of the uint64_t in struct fit_args */
};

#define FIT_ARG(m) offsetof(struct fit_args, m)

static const struct fit_number_opt fit_number_opts[] = {
	{ .id = O_SHM_SIZE, .name = "shm-size", .size = true,
	    .given = FIT_ARG(req.has_shm),
	    .value = FIT_ARG(req.shm_size_bytes) },
	{ .id = O_MSG_SIZE, .name = "msg-size", .size = true,
	    .given = FIT_ARG(req.has_msg),
	    .value = FIT_ARG(req.msg_size_bytes) },
	{ .id = O_SHM_COUNT, .name = "shm-count", .noun = "count",
	    .min = 1, .max = COUNT_MAX, .given = FIT_ARG(has_shm_count),
	    .value = FIT_ARG(req.shm_count) },
	{ .id = O_SEM_ARRAYS, .name = "sem-arrays", .noun = "count",
	    .min = 1, .max = COUNT_MAX, .given = FIT_ARG(has_sem_arrays),
	    .value = FIT_ARG(req.sem_arrays) },
	{ .id = O_QUEUES, .name = "queues", .noun = "count",
	    .min = 1, .max = COUNT_MAX, .given = FIT_ARG(req.has_queues),
	    .value = FIT_ARG(req.queues) },
	/* 0 is accepted: the kernel answers EINVAL, and so do we */
	{ .id = O_SEMS_PER_ARRAY, .name = "sems-per-array",
	    .noun = "semaphore count", .min = 0, .max = 2147483647,
	    .given = FIT_ARG(req.has_sem),
	    .value = FIT_ARG(req.sems_per_array) },
	{ .id = O_POSIX_SHM_SIZE, .name = "posix-shm-size", .size = true,
	    .given = FIT_ARG(preq.has_shm),
	    .value = FIT_ARG(preq.shm_bytes) },
	{ .id = O_MQ_MAXMSG, .name = "mq-maxmsg", .noun = "count",
	    .min = 0, .max = COUNT_MAX, .given = FIT_ARG(has_mq_maxmsg),
	    .value = FIT_ARG(preq.mq_maxmsg) },
	{ .id = O_MQ_MSGSIZE, .name = "mq-msgsize", .size = true,
	    .given = FIT_ARG(has_mq_msgsize),
	    .value = FIT_ARG(preq.mq_msgsize) },
	{ .id = O_MQ_COUNT, .name = "mq-count", .noun = "count",
	    .min = 1, .max = COUNT_MAX, .given = FIT_ARG(has_mq_count),
	    .value = FIT_ARG(preq.mq_count) },
	{ .id = O_SEMOP_OPS, .name = "semop-ops", .noun = "operation count",
	    .min = 0, .max = 4294967295u, .given = FIT_ARG(req.has_semop),
	    .value = FIT_ARG(req.semop_ops) },
};

/* Parse ARG for the number option O into A; 0 or a usage status. */
static int
fit_opt_number(const struct command *self, const struct fit_number_opt *o,
    const char *arg, struct fit_args *a)
{
	uint64_t v;

	if (o->size) {
		if (num_parse_size(arg, &v) < 0)
			return cli_usage_error(self, "invalid size '%s' for "
			    "--%s", arg, o->name);
	} else if (num_parse_u64(arg, o->min, o->max, &v) < 0) {
		return cli_usage_error(self, "invalid %s '%s' (use %" PRIu64
		    " to %" PRIu64 ")", o->noun, arg, o->min, o->max);
	}
	*(bool *)((char *)a + o->given) = true;
	*(uint64_t *)((char *)a + o->value) = v;
	return 0;
}

/* --key KEY. */
static int
fit_opt_key(const struct command *self, const char *arg, struct fit_args *a)
{
	if (num_parse_key(arg, &a->req.key) < 0)
		return cli_usage_error(self, "invalid key '%s' (use 0x "
		    "followed by hex digits, or a decimal)", arg);
	a->req.has_key = true;
	return 0;
}

/* --flags FLAGS. */
static int
fit_opt_flags(const struct command *self, const char *arg,
    struct fit_args *a)
{
	if (parse_flags(arg, &a->req.flags) < 0)
		return cli_usage_error(self, "invalid flags '%s' (use "
		    "IPC_CREAT, IPC_EXCL and octal mode bits joined by "
		    "'|', e.g. IPC_CREAT|0600)", arg);
	a->has_flags = true;
	return 0;
}

/* --uid USER: a user name, else a number. */
static int
fit_opt_uid(const struct command *self, const char *arg, struct fit_args *a)
{
	if (idname_parse_user(arg, &a->uid) < 0)
		return cli_usage_error(self, "unknown user '%s'", arg);
	a->has_uid = true;
	return 0;
}

/* --gid GROUP: a group name, else a number. */
static int
fit_opt_gid(const struct command *self, const char *arg, struct fit_args *a)
{
	if (idname_parse_group(arg, &a->gid) < 0)
		return cli_usage_error(self, "unknown group '%s'", arg);
	a->has_gid = true;
	return 0;
}

static int
fit_opt(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct fit_args *a = ctx;

	for (size_t i = 0; i < sizeof(fit_number_opts) /
	    sizeof(fit_number_opts[0]); i++)
		if (fit_number_opts[i].id == id)
			return fit_opt_number(self, &fit_number_opts[i], arg,
			    a);
	switch (id) {
	case O_KEY:
		return fit_opt_key(self, arg, a);
	case O_FLAGS:
		return fit_opt_flags(self, arg, a);
	case O_UID:
		return fit_opt_uid(self, arg, a);
	case O_GID:
		return fit_opt_gid(self, arg, a);
	}
	return 0;
}

enum { C_CALL, C_REQUEST, C_SUCCEED, C_RESULT, C_LIMIT };

static const struct column fit_cols[] = {
	[C_CALL] = { "CALL", "system call", 0, COL_DEFAULT },
	[C_REQUEST] = { "REQUEST", "what is asked for", 0, COL_DEFAULT },
	[C_SUCCEED] = { "SUCCEED", "calls that would succeed", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_RESULT] = { "RESULT", "ok, or the errno of the first failure", 0,
	    COL_DEFAULT },
	[C_LIMIT] = { "LIMIT", "the limit responsible", 0, COL_DEFAULT },
};

static const struct column_set cmd_fit_columns[] = {
	{ fit_cols, sizeof(fit_cols) / sizeof(fit_cols[0]) },
	{ NULL, 0 },
};

static const char *
request_text(const struct fit_request *r, const struct fit_result *res,
    enum fit_call c, bool raw, char *buf, size_t len)
{
	char b[64];

	switch (c) {
	case FIT_SHMGET:
		snprintf(buf, len, "%" PRIu64 " segment%s of %s",
		    r->shm_count, r->shm_count == 1 ? "" : "s",
		    render_bytes(r->shm_size_bytes, raw, b, sizeof(b)));
		break;
	case FIT_SEMGET:
		snprintf(buf, len, "%" PRIu64 " arra%s of %" PRIu64
		    " semaphore%s", r->sem_arrays, r->sem_arrays == 1 ? "y" :
		    "ys", r->sems_per_array, r->sems_per_array == 1 ? "" :
		    "s");
		break;
	case FIT_SEMOP:
		snprintf(buf, len, "%" PRIu64 " operation%s in one call",
		    r->semop_ops, r->semop_ops == 1 ? "" : "s");
		break;
	case FIT_MSGGET:
		snprintf(buf, len, "%" PRIu64 " queue%s", r->queues,
		    r->queues == 1 ? "" : "s");
		break;
	case FIT_MSGSND:
		if (res->keyed && res->key_obj[FIT_MSGGET].exists)
			snprintf(buf, len, "a message of %s into queue %d",
			    render_bytes(r->msg_size_bytes, raw, b, sizeof(b)),
			    res->key_obj[FIT_MSGGET].perm.id);
		else
			snprintf(buf, len, "a message of %s into a new queue",
			    render_bytes(r->msg_size_bytes, raw, b, sizeof(b)));
		break;
	case FIT_NCALLS:
		buf[0] = '\0';
		break;
	}
	return buf;
}

/*
 * The caller of a keyed get.  Without --uid and --gid: ipctune's own
 * effective uid, effective gid and other groups.  --uid USER alone: the
 * user's primary group and other groups from the group database.  --gid
 * GROUP: exactly that group.  uid 0 is taken to hold CAP_IPC_OWNER.
 */
static void
fit_caller(struct fit_args *a)
{
	struct fit_request *r = &a->req;
	size_t max = sizeof(a->gids) / sizeof(a->gids[0]);
	struct passwd *pw;
	int n;

	r->caller_uid = a->has_uid ? a->uid : geteuid();
	r->caller_gids = a->gids;
	r->caller_ngids = 0;
	if (a->has_gid) {
		a->gids[r->caller_ngids++] = a->gid;
	} else if (!a->has_uid) {
		a->gids[r->caller_ngids++] = getegid();
		n = getgroups((int)max - 1, a->gids + 1);
		if (n > 0)
			r->caller_ngids += (size_t)n;
	} else if ((pw = getpwuid(a->uid)) != NULL) {
		n = (int)max;
		if (getgrouplist(pw->pw_name, pw->pw_gid, a->gids, &n) < 0)
			n = (int)max;
		r->caller_ngids = (size_t)n;
	}
	r->caller_ipc_owner = r->caller_uid == 0;
}

/* Whether orphans would call the object holding a key leaked, per call. */
struct key_verdict {
	char verdict[32];	/* "" when not judged */
	char reasons[256];
};

/*
 * Judge the objects that hold the key, as 'orphans' does; only for the
 * live kernel, where the processes that may use them can be looked at.
 */
static bool
judge_key_objects(struct globals *g, const struct fit_result *res,
    struct orphanrun *run, struct key_verdict kv[FIT_NCALLS])
{
	struct orphan_filter f;

	memset(kv, 0, sizeof(*kv) * FIT_NCALLS);
	if (g->from != NULL || !res->keyed)
		return false;
	orphan_filter_init(&f);
	f.has_key = true;
	f.key = res->key;
	f.keep_in_use = true;
	f.keep_locked = true;
	for (int i = 0; i < FIT_NCALLS; i++)
		if (res->key_obj[i].exists && fit_call_types[i].get)
			f.types |= IPC_TYPE_BIT(fit_call_types[i].type);
	if (f.types == 0)
		return false;
	orphanopts_judge(g, &f, false, run);
	for (size_t k = 0; k < run->r.nitems; k++) {
		const struct orphan_item *it = &run->r.items[k];
		json_t *j;

		for (int i = 0; i < FIT_NCALLS; i++) {
			if (!res->key_obj[i].exists || !fit_call_types[i].get ||
			    fit_call_types[i].type != it->type ||
			    orphan_item_id(it) != res->key_obj[i].perm.id)
				continue;
			j = view_orphans_item_json(it);
			snprintf(kv[i].verdict, sizeof(kv[i].verdict), "%s",
			    json_string_value(json_object_get(j, "verdict")));
			json_decref(j);
			view_orphans_reasons(it, kv[i].reasons,
			    sizeof(kv[i].reasons));
		}
	}
	return true;
}

/*
 * The failures that removing objects can cure, with the type of those
 * objects: a count (shmmni, SEMMNI, msgmni) or a sum of their sizes
 * (shmall in pages, SEMMNS in semaphores).
 */
static const struct {
	bool cures;
	enum ipc_type type;
	bool by_size;
} leak_causes[FIT_NCAUSES] = {
	[FIT_SHMMNI] = { true, IPC_SHM, false },
	[FIT_SHMALL] = { true, IPC_SHM, true },
	[FIT_SEMMNI] = { true, IPC_SEM, false },
	[FIT_SEMMNS] = { true, IPC_SEM, true },
	[FIT_MSGMNI] = { true, IPC_MSG, false },
};

/* The objects without a live user that a failing call could free. */
struct call_leak {
	bool judged;
	struct orphan_leak l;
	uint64_t freed;		/* removing all: in the cause's unit */
	uint64_t total;		/* objects of the type in use */
};

/*
 * For each call that fails on a limit that removal can cure, judge the
 * objects of that type as 'orphans' does (live kernel only, and not
 * when the key's holders were judged already) and sum those with no
 * live user: the answer to "which of the objects that fill the limit
 * can go", e.g. PostgreSQL's semget failing on arrays leaked by httpd.
 * RUN holds one judgement: none when KEY_JUDGED (the key's holders).
 */
static void
judge_leaks(struct globals *g, const struct fit_result *res,
    struct orphanrun *run, struct call_leak leak[FIT_NCALLS],
    bool key_judged)
{
	struct orphan_filter f;

	memset(leak, 0, sizeof(*leak) * FIT_NCALLS);
	if (key_judged)
		return;
	orphan_filter_init(&f);
	for (int i = 0; i < FIT_NCALLS; i++)
		if (res->call[i].requested &&
		    leak_causes[res->call[i].cause].cures)
			f.types |= IPC_TYPE_BIT(
			    leak_causes[res->call[i].cause].type);
	if (f.types == 0 || g->from != NULL || g->ks.root != NULL ||
	    cli_load_objects(g, KS_SYSV_OBJECTS, &run->ks) != 0)
		return;
	orphanopts_judge(g, &f, false, run);
	for (int i = 0; i < FIT_NCALLS; i++) {
		enum fit_cause c = res->call[i].cause;
		enum ipc_type t = leak_causes[c].type;
		struct call_leak *x = &leak[i];

		if (!res->call[i].requested || !leak_causes[c].cures)
			continue;
		x->judged = true;
		orphan_leak_sum(&run->r, t, res->page_size, &x->l);
		x->freed = leak_causes[c].by_size ? x->l.amount :
		    x->l.objects;
		x->total = ipctype_in_use(&run->ks.usage, t);
	}
}

/* The fix of call C that removal could stand in for, or NULL. */
static const struct fit_fix *
leak_fix(const struct fit_call_result *c)
{
	for (size_t k = 0; k < c->nfixes; k++)
		if (c->fixes[k].cause == c->cause)
			return &c->fixes[k];
	return NULL;
}

/* "no live user: 122 of the 122 arrays (...), owned by ...; ..." */
static void
leak_text(const struct fit_call_result *c, const struct call_leak *x,
    char *buf, size_t len)
{
	const struct fit_cause_desc *d = &fit_cause_table[c->cause];
	const struct fit_fix *f = leak_fix(c);
	const struct orphan_leak *l = &x->l;
	size_t off;

	off = (size_t)snprintf(buf, len, "no live user: %" PRIu64 " of the %"
	    PRIu64 " %s", l->objects, x->total,
	    ipctype_table[leak_causes[c->cause].type].short_plural);
	if (leak_causes[c->cause].by_size && off < len)
		off += (size_t)snprintf(buf + off, len - off, ", holding %"
		    PRIu64 " %s", x->freed, d->unit);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, " (%" PRIu64
		    " orphaned, %" PRIu64 " suspect), owned by", l->orphaned,
		    l->suspect);
	for (size_t k = 0; k < l->nowners && k < ORPHAN_LEAK_OWNERS &&
	    off < len; k++)
		off += (size_t)snprintf(buf + off, len - off, "%s %s (%" PRIu64
		    ")", k ? "," : "", idname_user(l->owners[k].uid),
		    l->owners[k].objects);
	if (l->nowners > ORPHAN_LEAK_OWNERS && off < len)
		off += (size_t)snprintf(buf + off, len - off, " and %zu more",
		    l->nowners - ORPHAN_LEAK_OWNERS);
	if (off >= len)
		return;
	if (f == NULL || !f->can_free)
		snprintf(buf + off, len - off, "; removing them cannot make "
		    "room alone: ipctune orphans");
	else if (x->freed >= f->free_amount && leak_causes[c->cause].by_size)
		snprintf(buf + off, len - off, "; removing enough of them to "
		    "free %" PRIu64 " %s makes room: ipctune orphans",
		    f->free_amount, d->unit);
	else if (x->freed >= f->free_amount)
		snprintf(buf + off, len - off, "; removing %" PRIu64 " of them "
		    "makes room: ipctune orphans", f->free_amount);
	else
		snprintf(buf + off, len - off, "; removing them all frees %"
		    PRIu64 " of the %" PRIu64 " %s needed: ipctune orphans",
		    x->freed, f->free_amount, d->unit);
}

/* One line per keyed get: the object that holds the key, or none. */
static void
print_key_lines(const struct fit_result *res,
    const struct key_verdict kv[FIT_NCALLS])
{
	char text[320];

	for (int i = 0; i < FIT_NCALLS; i++) {
		const char *kind =
		    ipctype_table[fit_call_types[i].type].short_singular;

		if (!res->call[i].requested || !fit_call_types[i].get)
			continue;
		if (!res->key_obj[i].exists) {
			render_printf("key 0x%08" PRIx32 ": no %s holds it%s\n",
			    res->key, kind, res->call[i].cause ==
			    FIT_KEY_ENOENT ? "" : "; a new one is created");
			continue;
		}
		fit_key_object_text(res, (enum fit_call)i, text,
		    sizeof(text));
		render_printf("key 0x%08" PRIx32 ": held by %s", res->key,
		    text);
		if (kv[i].verdict[0] != '\0')
			render_printf("; orphans judges it %s%s%s%s",
			    kv[i].verdict, kv[i].reasons[0] ? " (" : "",
			    kv[i].reasons, kv[i].reasons[0] ? ")" : "");
		render_printf("\n");
	}
}

/* What POSIX call C asks for, for the REQUEST column. */
static const char *
posix_request_text(const struct posixfit_result *pr, enum posixfit_call c,
    bool raw, char *buf, size_t len)
{
	const struct posixfit_call_result *r = &pr->call[c];
	char b[64];

	if (c == PFIT_SHM_OPEN)
		snprintf(buf, len, "a file of %s in %s",
		    render_bytes(pr->shm_bytes, raw, b, sizeof(b)),
		    pr->fs_path);
	else
		snprintf(buf, len, "%" PRIu64 " queue%s of %" PRIu64 " x %s",
		    r->attempts, r->attempts == 1 ? "" : "s", pr->mq_maxmsg,
		    render_bytes(pr->mq_msgsize, raw, b, sizeof(b)));
	return buf;
}

/* The rows of the POSIX calls asked for. */
static void
posix_rows(struct table *t, const struct posixfit_result *pr, bool raw)
{
	char b[160];

	for (int i = 0; i < PFIT_NCALLS; i++) {
		const struct posixfit_call_result *c = &pr->call[i];
		const struct posixfit_cause_desc *d =
		    &posixfit_cause_table[c->cause];

		if (!c->requested)
			continue;
		table_row(t);
		table_cell(t, C_CALL, posixfit_call_names[i]);
		table_cell(t, C_REQUEST, posix_request_text(pr,
		    (enum posixfit_call)i, raw, b, sizeof(b)));
		snprintf(b, sizeof(b), "%" PRIu64 " of %" PRIu64,
		    c->succeeded, c->attempts);
		table_cell(t, C_SUCCEED, b);
		table_cell(t, C_RESULT, c->cause == PFIT_OK ? "ok" :
		    d->errname);
		snprintf(b, sizeof(b), "%s", c->cause == PFIT_OK ? "-" :
		    d->sysctl != NULL ? d->sysctl : d->limit != NULL ?
		    d->limit : "-");
		table_cell(t, C_LIMIT, b);
		table_row_color(t, c->cause == PFIT_OK ? 0 : 2);
	}
}

/* Why each POSIX call fails, and the fix. */
static void
posix_lines(const struct posixfit_result *pr)
{
	char text[1024];

	for (int i = 0; i < PFIT_NCALLS; i++) {
		if (!pr->call[i].requested || pr->call[i].cause == PFIT_OK)
			continue;
		posixfit_explain(pr, (enum posixfit_call)i, text,
		    sizeof(text));
		render_printf("%s\n", text);
		posixfit_advise(pr, (enum posixfit_call)i, text,
		    sizeof(text));
		render_printf("  to fit: %s\n", text);
	}
}

/*
 * In a container's namespace, the one line saying how its platform
 * raises the limits the failing calls run into.
 */
static void
print_platform_hint(const struct fit_result *res, const struct kstate *ks)
{
	const char *names[FIT_NCALLS];
	char text[320];
	size_t n = 0;

	if (!platform_in_container(ks))
		return;
	for (int i = 0; i < FIT_NCALLS; i++) {
		const char *s = fit_cause_table[res->call[i].cause].sysctl;
		bool seen = false;

		if (!res->call[i].requested || s == NULL)
			continue;
		for (size_t k = 0; k < n; k++)
			seen = seen || strcmp(names[k], s) == 0;
		if (!seen)
			names[n++] = s;
	}
	if (n == 0)
		return;
	platform_hint(names, n, text, sizeof(text));
	render_printf("%s\n", text);
}

static int
print_table(const struct command *self, const struct kstate *ks,
    const struct fit_request *req, const struct fit_result *res,
    const struct key_verdict *kv, const struct call_leak *leak,
    const struct posixfit_result *pr, struct globals *g)
{
	struct table *t;
	char err[512], b[128], text[1024];

	t = table_new(fit_cols, sizeof(fit_cols) / sizeof(fit_cols[0]),
	    g->columns, &g->view, err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	if (!g->noheadings)
		render_namespace_line(ks);
	for (int i = 0; i < FIT_NCALLS; i++) {
		const struct fit_call_result *c = &res->call[i];
		const struct fit_cause_desc *d = &fit_cause_table[c->cause];

		if (!c->requested)
			continue;
		table_row(t);
		table_cell(t, C_CALL, fit_call_names[i]);
		table_cell(t, C_REQUEST, request_text(req, res,
		    (enum fit_call)i, g->bytes, b, sizeof(b)));
		snprintf(b, sizeof(b), "%" PRIu64 " of %" PRIu64,
		    c->succeeded, c->attempts);
		table_cell(t, C_SUCCEED, b);
		table_cell(t, C_RESULT, c->cause == FIT_OK ? "ok" :
		    d->errname);
		if (c->cause == FIT_OK)
			snprintf(b, sizeof(b), "-");
		else if (d->sysctl != NULL && strcmp(d->sysctl,
		    "kernel.sem") == 0)
			snprintf(b, sizeof(b), "kernel.sem %s", d->limit);
		else
			snprintf(b, sizeof(b), "%s", d->sysctl != NULL ?
			    d->sysctl : d->limit != NULL ? d->limit : "-");
		table_cell(t, C_LIMIT, b);
		table_row_color(t, c->cause == FIT_OK ? 0 : 2);
	}
	posix_rows(t, pr, g->bytes);
	if (table_print_free(t) < 0)
		return EXIT_FAIL;
	printf("\n");
	if (res->keyed)
		print_key_lines(res, kv);
	posix_lines(pr);
	for (int i = 0; i < FIT_NCALLS; i++) {
		if (!res->call[i].requested || res->call[i].cause == FIT_OK)
			continue;
		fit_explain(res, (enum fit_call)i, text, sizeof(text));
		render_printf("%s\n", text);
		fit_advise(res, (enum fit_call)i, text, sizeof(text));
		render_printf("  to fit: %s\n", text);
		if (leak[i].judged && leak[i].l.objects > 0) {
			leak_text(&res->call[i], &leak[i], text,
			    sizeof(text));
			render_printf("  %s\n", text);
		}
	}
	print_platform_hint(res, ks);
	printf("%s\n", res->fits ? "it fits" : "it does not fit");
	return EXIT_OK;
}

/* The object holding the key of call I as JSON, or null when free. */
static json_t *
key_holder_json(const struct fit_result *res, enum fit_call i,
    const struct key_verdict *kv)
{
	const struct fit_key_obj *k = &res->key_obj[i];
	json_t *o, *reasons;
	char b[256], *tok, *save = NULL;

	if (!k->exists)
		return json_null();
	o = json_object();
	json_object_set_new(o, "id", json_integer(k->perm.id));
	view_orphans_set_perm(o, &k->perm);
	if (i == FIT_SHMGET)
		json_set_u64(o, "size_bytes", k->size);
	else if (i == FIT_SEMGET)
		json_set_u64(o, "nsems", k->size);
	json_object_set_new(o, "granted_as", json_string(k->granted_as));
	if (kv->verdict[0] == '\0') {
		json_object_set_new(o, "verdict", json_null());
		json_object_set_new(o, "reasons", json_null());
		return o;
	}
	json_object_set_new(o, "verdict", json_string(kv->verdict));
	reasons = json_array();
	snprintf(b, sizeof(b), "%s", kv->reasons);
	for (tok = strtok_r(b, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		json_array_append_new(reasons, json_string(tok));
	json_object_set_new(o, "reasons", reasons);
	return o;
}

/* The objects without a live user behind call I's failure, or null. */
static json_t *
leak_json(const struct fit_call_result *c, const struct call_leak *x)
{
	const struct fit_fix *f = leak_fix(c);
	json_t *o, *owners;

	if (!x->judged)
		return json_null();
	o = json_object();
	json_set_u64(o, "objects", x->l.objects);
	json_set_u64(o, "orphaned", x->l.orphaned);
	json_set_u64(o, "suspect", x->l.suspect);
	json_set_u64(o, "freed", x->freed);
	json_object_set_new(o, "enough", json_boolean(f != NULL &&
	    f->can_free && x->freed >= f->free_amount));
	owners = json_array();
	for (size_t k = 0; k < x->l.nowners && k < ORPHAN_LEAK_OWNERS; k++) {
		json_t *w = json_object();

		json_object_set_new(w, "uid",
		    json_integer(x->l.owners[k].uid));
		json_object_set_new(w, "user",
		    json_text(idname_user(x->l.owners[k].uid)));
		json_set_u64(w, "objects", x->l.owners[k].objects);
		json_array_append_new(owners, w);
	}
	json_object_set_new(o, "owners", owners);
	json_set_u64(o, "owner_count", x->l.nowners);
	return o;
}

/* What call I asks for, from the request, into O. */
static void
call_request_json(json_t *o, const struct fit_request *req,
    const struct fit_result *res, enum fit_call i)
{
	switch (i) {
	case FIT_SHMGET:
		json_set_u64(o, "size_bytes", req->shm_size_bytes);
		json_set_u64(o, "pages_each", res->shm_pages_each);
		break;
	case FIT_SEMGET:
		json_set_u64(o, "sems_per_array", req->sems_per_array);
		break;
	case FIT_SEMOP:
		json_set_u64(o, "operations", req->semop_ops);
		break;
	case FIT_MSGSND:
		json_set_u64(o, "size_bytes", req->msg_size_bytes);
		break;
	case FIT_MSGGET:
	case FIT_NCALLS:
		break;
	}
}

/* The key of a keyed get I and the object holding it, into O. */
static void
call_key_json(json_t *o, const struct fit_result *res, enum fit_call i,
    const struct key_verdict *kv)
{
	char b[32];

	if (!res->keyed || !fit_call_types[i].get)
		return;
	json_object_set_new(o, "key", json_integer(res->key));
	snprintf(b, sizeof(b), "0x%08" PRIx32, res->key);
	json_object_set_new(o, "key_hex", json_string(b));
	json_object_set_new(o, "key_holder", key_holder_json(res, i, &kv[i]));
}

/* Why call I fails (nulls when it fits), into O. */
static void
call_cause_json(json_t *o, const struct fit_result *res, enum fit_call i,
    const struct call_leak *leak)
{
	const struct fit_call_result *c = &res->call[i];
	const struct fit_cause_desc *d = &fit_cause_table[c->cause];
	char text[1024];

	if (c->cause == FIT_OK) {
		json_object_set_new(o, "errno", json_null());
		json_object_set_new(o, "errno_value", json_null());
		json_object_set_new(o, "cause", json_null());
		json_object_set_new(o, "limit", json_null());
		json_object_set_new(o, "sysctl", json_null());
		return;
	}
	json_object_set_new(o, "errno", json_string(d->errname));
	json_object_set_new(o, "errno_value", json_integer(d->err));
	json_object_set_new(o, "cause", json_string(d->code));
	json_object_set_new(o, "limit", d->limit ?
	    json_string(d->limit) : json_null());
	json_object_set_new(o, "sysctl", d->sysctl ?
	    json_string(d->sysctl) : json_null());
	json_object_set_new(o, "unit", json_string(d->unit));
	json_set_u64(o, "in_use", c->have);
	json_set_u64(o, "needed", c->need);
	if (c->limit_negative)
		json_object_set_new(o, "limit_value",
		    json_integer(c->limit_held));
	else
		json_set_u64(o, "limit_value", c->limit);
	json_object_set_new(o, "limit_negative",
	    json_boolean(c->limit_negative));
	fit_explain(res, i, text, sizeof(text));
	json_object_set_new(o, "message", json_string(text));
	fit_advise(res, i, text, sizeof(text));
	json_object_set_new(o, "advice", json_string(text));
	json_object_set_new(o, "no_live_user", leak_json(c, &leak[i]));
}

/* One change that would make a call fit, as JSON. */
static json_t *
fix_json(const struct fit_fix *f)
{
	const struct fit_cause_desc *fd = &fit_cause_table[f->cause];
	json_t *x = json_object();

	json_object_set_new(x, "cause", json_string(fd->code));
	json_object_set_new(x, "limit", fd->limit ?
	    json_string(fd->limit) : json_null());
	json_object_set_new(x, "sysctl", fd->sysctl ?
	    json_string(fd->sysctl) : json_null());
	json_object_set_new(x, "unit", json_string(fd->unit));
	if (f->current_negative)
		json_object_set_new(x, "current",
		    json_integer(f->current_held));
	else
		json_set_u64(x, "current", f->current);
	json_set_u64(x, "needed", f->needed);
	json_object_set_new(x, "raisable", json_boolean(f->raisable));
	if (f->can_free)
		json_set_u64(x, "or_free", f->free_amount);
	else
		json_object_set_new(x, "or_free", json_null());
	return x;
}

/* Call I with its request, key, verdict and fixes as JSON. */
static json_t *
call_json(const struct fit_request *req, const struct fit_result *res,
    enum fit_call i, const struct key_verdict *kv,
    const struct call_leak *leak)
{
	const struct fit_call_result *c = &res->call[i];
	json_t *o = json_object(), *fixes = json_array();

	json_object_set_new(o, "call", json_string(fit_call_names[i]));
	call_request_json(o, req, res, i);
	call_key_json(o, res, i, kv);
	json_set_u64(o, "attempts", c->attempts);
	json_set_u64(o, "succeeded", c->succeeded);
	json_object_set_new(o, "fits", json_boolean(c->cause == FIT_OK));
	call_cause_json(o, res, i, leak);
	for (size_t k = 0; k < c->nfixes; k++)
		json_array_append_new(fixes, fix_json(&c->fixes[k]));
	json_object_set_new(o, "fixes", fixes);
	return o;
}

/*
 * The option combinations fit refuses, and the defaults it fills in for
 * the rest; 0 or a usage status.
 */
static int
fit_check_args(const struct command *self, const struct globals *g,
    struct fit_args *a)
{
	const struct fit_request *r = &a->req;

	if (g->output != NULL)
		return cli_usage_error(self, "'fit' does not take --output");
	if (a->has_shm_count && !r->has_shm)
		return cli_usage_error(self, "--shm-count needs --shm-size");
	if (a->has_sem_arrays && !r->has_sem)
		return cli_usage_error(self, "--sem-arrays needs "
		    "--sems-per-array");
	if (a->has_mq_maxmsg != a->has_mq_msgsize)
		return cli_usage_error(self, "--mq-maxmsg and --mq-msgsize go "
		    "together (mq_open takes both)");
	a->preq.has_mq = a->has_mq_maxmsg || a->has_mq_count;
	a->preq.mq_default_attr = !a->has_mq_maxmsg;
	if (!a->has_mq_count)
		a->preq.mq_count = 1;
	if (!r->has_shm && !r->has_sem && !r->has_semop &&
	    !r->has_queues && !r->has_msg && !a->preq.has_shm &&
	    !a->preq.has_mq)
		return cli_usage_error(self, "nothing to fit: give --shm-size, "
		    "--sems-per-array, --semop-ops, --queues, --msg-size, "
		    "--posix-shm-size or --mq-count");
	if ((a->has_flags || a->has_uid || a->has_gid) && !r->has_key)
		return cli_usage_error(self, "--%s needs --key", a->has_flags ?
		    "flags" : a->has_uid ? "uid" : "gid");
	if (r->has_key && !r->has_shm && !r->has_sem && !r->has_queues)
		return cli_usage_error(self, "--key needs --shm-size, "
		    "--sems-per-array or --queues");
	if (!a->has_shm_count)
		a->req.shm_count = 1;
	if (!a->has_sem_arrays)
		a->req.sem_arrays = 1;
	/* one key names one object of each type */
	if (r->has_key && r->key != 0 && (r->shm_count > 1 ||
	    r->sem_arrays > 1 || (r->has_queues && r->queues > 1)))
		return cli_usage_error(self, "--key names one object: "
		    "--shm-count, --sem-arrays and --queues must be 1");
	return 0;
}

/* What POSIX call I asks for, and the arithmetic behind it, into O. */
static void
posix_request_json(json_t *o, const struct posixfit_result *pr,
    enum posixfit_call i)
{
	if (i == PFIT_SHM_OPEN) {
		json_object_set_new(o, "filesystem",
		    json_string(pr->fs_path));
		json_set_u64(o, "size_bytes", pr->shm_bytes);
		json_set_u64(o, "pages_each", pr->shm_need_bytes /
		    pr->page_size);
		return;
	}
	json_set_u64(o, "mq_maxmsg", pr->mq_maxmsg);
	json_set_u64(o, "mq_msgsize", pr->mq_msgsize);
	json_set_u64(o, "charge_each_bytes", pr->cost.total);
	json_set_u64(o, "charge_overhead_bytes", pr->cost.tree);
	json_set_u64(o, "charge_before_bytes", pr->charge_before);
	if (pr->rlimit == UINT64_MAX)
		json_object_set_new(o, "rlimit_bytes", json_null());
	else
		json_set_u64(o, "rlimit_bytes", pr->rlimit);
}

/* POSIX call I in the shape of the System V calls. */
static json_t *
posix_call_json(const struct posixfit_result *pr, enum posixfit_call i)
{
	const struct posixfit_call_result *c = &pr->call[i];
	const struct posixfit_cause_desc *d = &posixfit_cause_table[c->cause];
	json_t *o = json_object(), *fixes = json_array(), *x;
	char text[1024];

	json_object_set_new(o, "call", json_string(posixfit_call_names[i]));
	posix_request_json(o, pr, i);
	json_set_u64(o, "attempts", c->attempts);
	json_set_u64(o, "succeeded", c->succeeded);
	json_object_set_new(o, "fits", json_boolean(c->cause == PFIT_OK));
	json_object_set_new(o, "errno", c->cause == PFIT_OK ? json_null() :
	    json_string(d->errname));
	json_object_set_new(o, "errno_value", c->cause == PFIT_OK ?
	    json_null() : json_integer(d->err));
	json_object_set_new(o, "cause", c->cause == PFIT_OK ? json_null() :
	    json_string(d->code));
	json_object_set_new(o, "limit", c->cause == PFIT_OK || !d->limit ?
	    json_null() : json_string(d->limit));
	json_object_set_new(o, "sysctl", c->cause == PFIT_OK || !d->sysctl ?
	    json_null() : json_string(d->sysctl));
	if (c->cause != PFIT_OK) {
		json_object_set_new(o, "unit", json_string(d->unit));
		json_set_u64(o, "in_use", c->have);
		json_set_u64(o, "needed", c->need);
		json_set_u64(o, "limit_value", c->limit);
		json_object_set_new(o, "limit_negative", json_false());
		posixfit_explain(pr, i, text, sizeof(text));
		json_object_set_new(o, "message", json_string(text));
		posixfit_advise(pr, i, text, sizeof(text));
		json_object_set_new(o, "advice", json_string(text));
		json_object_set_new(o, "no_live_user", json_null());
	}
	if (c->has_fix) {
		x = json_object();
		json_object_set_new(x, "cause", json_string(d->code));
		json_object_set_new(x, "limit", d->limit ?
		    json_string(d->limit) : json_null());
		json_object_set_new(x, "sysctl", d->sysctl ?
		    json_string(d->sysctl) : json_null());
		json_object_set_new(x, "unit", json_string(d->unit));
		json_set_u64(x, "current", c->limit);
		json_set_u64(x, "needed", c->fix_needed);
		json_object_set_new(x, "raisable",
		    json_boolean(c->fix_raisable));
		json_object_set_new(x, "or_free", json_null());
		json_array_append_new(fixes, x);
	}
	json_object_set_new(o, "fixes", fixes);
	return o;
}

/* The fit document on stdout; an exit status. */
static int
print_json(const struct kstate *ks, const struct fit_request *req,
    const struct fit_result *res, const struct key_verdict *kv,
    const struct call_leak *leak, const struct posixfit_result *pr,
    int64_t now)
{
	json_t *root = render_envelope("fit", ks, now), *calls;

	json_object_set_new(root, "fits", json_boolean(res->fits));
	json_set_u64(root, "page_size_bytes", res->page_size);
	json_set_u64(root, "ipc_mni", res->ipc_mni);
	calls = json_array();
	for (int i = 0; i < FIT_NCALLS; i++)
		if (res->call[i].requested)
			json_array_append_new(calls, call_json(req, res,
			    (enum fit_call)i, kv, leak));
	for (int i = 0; i < PFIT_NCALLS; i++)
		if (pr->call[i].requested)
			json_array_append_new(calls, posix_call_json(pr,
			    (enum posixfit_call)i));
	json_object_set_new(root, "calls", calls);
	return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
cmd_fit(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct fit_args a;
	struct fit_result res;
	struct posixfit_result pres;
	struct orphanrun run;
	struct kstate *ks = &run.ks;
	struct key_verdict kv[FIT_NCALLS];
	struct call_leak leak[FIT_NCALLS];
	char err[512];
	unsigned want = KS_SYSCTL | KS_USAGE;
	bool done;
	int idx, status;

	memset(&a, 0, sizeof(a));
	memset(&run, 0, sizeof(run));
	status = cli_parse(self, argc, argv, g, fit_opt, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	status = fit_check_args(self, g, &a);
	if (status != 0)
		return status;
	if (a.req.has_key && a.req.key != 0) {
		if (!a.has_flags)
			a.req.flags = FIT_DEFAULT_FLAGS;
		fit_caller(&a);
		want |= (a.req.has_shm ? KS_SHM : 0) |
		    (a.req.has_sem ? KS_SEM : 0) |
		    (a.req.has_queues ? KS_MSG : 0);
	}
	status = cli_load_state(g, want, ks);
	if (status != 0)
		return status;
	a.preq.caller_sys_resource = posixlim_cap_sys_resource();
	if (fit_predict(ks, &a.req, &res, err, sizeof(err)) < 0 ||
	    posixfit_predict(ks, &a.preq, &pres, err, sizeof(err)) < 0) {
		kstate_release(ks);
		return cli_fail(g, err);
	}
	res.fits = res.fits && pres.fits;
	judge_leaks(g, &res, &run, leak, judge_key_objects(g, &res, &run, kv));
	if (g->format == FMT_JSON)
		status = print_json(ks, &a.req, &res, kv, leak, &pres,
		    g->view.now);
	else
		status = print_table(self, ks, &a.req, &res, kv, leak, &pres,
		    g);
	orphanrun_release(&run);
	if (status == EXIT_OK && !res.fits)
		status = EXIT_NO;
	return status;
}

const struct command cmd_fit_entry = {
	.name = "fit", .fn = cmd_fit,
	.args = "[--shm-size SIZE [--shm-count N]] [--sem-arrays N "
	    "--sems-per-array M] [--semop-ops K] [--queues N] "
	    "[--msg-size SIZE] [--key KEY [--flags FLAGS] [--uid USER] "
	    "[--gid GROUP]] [--posix-shm-size SIZE] [--mq-count N] "
	    "[--mq-maxmsg N --mq-msgsize SIZE]",
	.summary = "would an allocation succeed now? if not: which errno "
	    "and which limit",
	.opts = cmd_fit_opts, .flags = READS,
	.colsets = cmd_fit_columns
};
