/*
 * cmd_explain.c: 'ipctune explain', an IPC call (System V, mq_open or
 * mq_timedsend) that strace(1) or perf-trace(1) printed (or spelled as
 * options) judged on the state now: the cause and the fix as watch gives
 * them, or that it would succeed now.  Option parsing, reading lines,
 * finding a traced queue among those read and the choice of view only;
 * the grammar is calltext.c's, the judgement explain.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "calltext.h"
#include "commands.h"
#include "explain.h"
#include "idname.h"
#include "infile.h"
#include "numparse.h"
#include "proccaller.h"
#include "view_explain.h"
#include "xmalloc.h"

enum { O_FILE = 1, O_SKIP, O_CALL, O_ERRNO, O_UID, O_GID, O_KEY, O_ID,
    O_SIZE, O_NSEMS, O_NSOPS, O_MSGSZ, O_FLAGS, O_NAME, O_MODE, O_MAXMSG,
    O_MSGSIZE, O_MSGLEN, O_QUEUE, O_CALLER };

static const struct cli_opt cmd_explain_opts[] = {
	{ "file", 0, required_argument, "FILE",
	    "explain every line of FILE ('-': standard input)", O_FILE,
	    "files" },
	{ "skip-other", 0, no_argument, NULL,
	    "skip lines that name none of the calls (strace's own, "
	    "the program's output)", O_SKIP, NULL },
	{ "call", 0, required_argument, "CALL",
	    "the call spelled as options: shmget, shmat, semget, semop, "
	    "semtimedop, msgget, msgsnd, mq_open or mq_timedsend", O_CALL,
	    "calls" },
	{ "errno", 0, required_argument, "ERRNO",
	    "with --call: the error it returned (ENOSPC, ...); none: it "
	    "succeeded", O_ERRNO, NULL },
	{ "key", 0, required_argument, "KEY",
	    "with --call: the key (0x hex, decimal or IPC_PRIVATE)", O_KEY,
	    NULL },
	{ "id", 0, required_argument, "N",
	    "with --call: the shmid, semid or msqid, or mq_timedsend's "
	    "mqdes", O_ID, NULL },
	{ "size", 0, required_argument, "N", "with --call shmget: bytes",
	    O_SIZE, NULL },
	{ "nsems", 0, required_argument, "N", "with --call semget",
	    O_NSEMS, NULL },
	{ "nsops", 0, required_argument, "N",
	    "with --call semop or semtimedop", O_NSOPS, NULL },
	{ "msgsz", 0, required_argument, "N", "with --call msgsnd: bytes",
	    O_MSGSZ, NULL },
	{ "flags", 0, required_argument, "FLAGS",
	    "with --call: e.g. IPC_CREAT|IPC_EXCL|0600, or mq_open's "
	    "O_RDWR|O_CREAT|O_EXCL", O_FLAGS, NULL },
	{ "name", 0, required_argument, "NAME",
	    "with --call mq_open: the queue's name as the kernel gets it "
	    "(without the leading slash)", O_NAME, NULL },
	{ "mode", 0, required_argument, "MODE",
	    "with --call mq_open: the mode, in octal", O_MODE, NULL },
	{ "maxmsg", 0, required_argument, "N",
	    "with --call mq_open: attr's mq_maxmsg (without --maxmsg and "
	    "--msgsize: attr NULL)", O_MAXMSG, NULL },
	{ "msgsize", 0, required_argument, "N",
	    "with --call mq_open: attr's mq_msgsize", O_MSGSIZE, NULL },
	{ "msg-len", 0, required_argument, "N",
	    "with --call mq_timedsend: bytes", O_MSGLEN, NULL },
	{ "queue", 0, required_argument, "NAME",
	    "with --call mq_timedsend: the queue mqdes names, whose "
	    "attributes are read", O_QUEUE, NULL },
	{ "uid", 0, required_argument, "USER",
	    "the caller's user (default: ipctune's own)", O_UID, "users" },
	{ "gid", 0, required_argument, "GROUP",
	    "the caller's group (default: the --uid user's primary group, "
	    "else ipctune's own)", O_GID, NULL },
	{ "caller", 0, required_argument, "PID",
	    "the process that made the call, still running: its user, "
	    "group and RLIMIT_MSGQUEUE, and (without --pid, --ns or "
	    "--container) its IPC namespace", O_CALLER, "pids" },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

#define ICALL(c) (1u << IPCCALL_##c)

/* The options that give one argument: its kind and the calls it fits. */
static const struct {
	int id;
	const char *name;
	enum ipccall_arg kind;
	unsigned calls;
} arg_opts[] = {
	{ O_KEY, "key", IPCARG_KEY, 0 },
	{ O_ID, "id", IPCARG_ID, 0 },
	{ O_SIZE, "size", IPCARG_SIZE, ICALL(SHMGET) },
	{ O_MSGSZ, "msgsz", IPCARG_SIZE, ICALL(MSGSND) },
	{ O_NSEMS, "nsems", IPCARG_NSEMS, 0 },
	{ O_NSOPS, "nsops", IPCARG_NSOPS, 0 },
	{ O_FLAGS, "flags", IPCARG_FLAGS, 0 },
	{ O_NAME, "name", IPCARG_NAME, 0 },
	{ O_MODE, "mode", IPCARG_MODE, 0 },
	{ O_MAXMSG, "maxmsg", IPCARG_ATTR, 0 },
	{ O_MSGSIZE, "msgsize", IPCARG_ATTR, 0 },
	{ O_MSGLEN, "msg-len", IPCARG_SIZE, ICALL(MQ_TIMEDSEND) },
	{ O_QUEUE, "queue", IPCARG_ID, ICALL(MQ_TIMEDSEND) },
};

#define NARG_OPTS (sizeof(arg_opts) / sizeof(arg_opts[0]))

struct explain_opts {
	const char *file;
	bool skip_other;
	int call;			/* -1 without --call */
	const char *errname;
	const char *arg[NARG_OPTS];	/* the text of each of arg_opts */
	bool has_uid, has_gid;
	uid_t uid;
	gid_t gid;
	pid_t caller;			/* 0 without --caller */
};

/* The '<unfinished ...>' calls of strace -f waiting for their end. */
#define EXPLAIN_PENDING 64

struct explain_pending {
	int64_t pid;
	size_t line;
	char *text;		/* the line up to its cut, or NULL */
	size_t cut;
};

/* What every line is judged with, and what came of it. */
struct explain_ctx {
	struct explain_pending pend[EXPLAIN_PENDING];
	struct globals *g;
	const struct explain_opts *o;
	struct kstate ks;
	struct ipccall_caller who;
	json_t *calls;		/* JSON: the explained calls */
	size_t bad;		/* lines refused */
	bool write_failed;
};

static int
explain_opt(const struct command *self, int id, const char *arg, void *ctx)
{
	struct explain_opts *o = ctx;
	int64_t n;
	uint64_t v;

	/* what goes into a struct or a path of the spelled line is checked
	   here, so that it cannot add to the line */
	if ((id == O_MAXMSG || id == O_MSGSIZE) &&
	    num_parse_i64(arg, INT64_MIN, INT64_MAX, &n) < 0)
		return cli_usage_error(self, "bad --%s '%s'", id == O_MAXMSG ?
		    "maxmsg" : "msgsize", arg);
	if (id == O_QUEUE && (arg[0] == '\0' || strlen(arg) > 255 ||
	    arg[strcspn(arg, "/<> \\\"")] != '\0'))
		return cli_usage_error(self, "bad --queue '%s': a name "
		    "without slashes", arg);
	for (const char *q = arg; id == O_QUEUE && *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			return cli_usage_error(self, "bad --queue: a control "
			    "character");
	for (size_t i = 0; i < NARG_OPTS; i++)
		if (arg_opts[i].id == id) {
			o->arg[i] = arg;
			return 0;
		}
	switch (id) {
	case O_FILE:
		o->file = arg;
		break;
	case O_SKIP:
		o->skip_other = true;
		break;
	case O_CALL:
		if ((o->call = ipccall_lookup(arg)) < 0)
			return cli_usage_error(self, "unknown call '%s'", arg);
		break;
	case O_ERRNO:
		if (ipccall_errno_lookup(arg) < 0)
			return cli_usage_error(self, "unknown errno '%s'", arg);
		o->errname = arg;
		break;
	case O_UID:
		if (idname_parse_user(arg, &o->uid) < 0)
			return cli_usage_error(self, "unknown user '%s'", arg);
		o->has_uid = true;
		break;
	case O_GID:
		if (idname_parse_group(arg, &o->gid) < 0)
			return cli_usage_error(self, "unknown group '%s'", arg);
		o->has_gid = true;
		break;
	case O_CALLER:
		/* 1 to PID_MAX_LIMIT (include/linux/threads.h), as --pid */
		if (num_parse_u64(arg, 1, 4194304, &v) < 0)
			return cli_usage_error(self, "invalid PID '%s'", arg);
		o->caller = (pid_t)v;
		break;
	}
	return 0;
}

/* The text of option ID, or NULL when it was not given. */
static const char *
opt_text(const struct explain_opts *o, int id)
{
	for (size_t i = 0; i < NARG_OPTS; i++)
		if (arg_opts[i].id == id)
			return o->arg[i];
	return NULL;
}

/*
 * Argument K of the POSIX queue call C spelled from the options as
 * strace prints it, into BUF: the name quoted (every byte not plainly
 * printable as \xHH), attr as a struct or NULL, mqdes with --queue as
 * strace -y shows it ("3</name>"), pointers NULL.  NULL: not one of
 * these.
 */
static const char *
spelled_mq(const struct explain_opts *o, enum ipc_call c, int k, char *buf,
    size_t len)
{
	const char *v, *mx = opt_text(o, O_MAXMSG);
	const char *sz = opt_text(o, O_MSGSIZE);
	size_t n = 0;

	switch (ipccall_table[c].arg[k]) {
	case IPCARG_NAME:
		if ((v = opt_text(o, O_NAME)) == NULL)
			return "NULL";
		buf[n++] = '"';
		for (; *v != '\0' && n + 6 < len; v++)
			n += (size_t)snprintf(buf + n, len - n,
			    *v > ' ' && *v < 0x7f && *v != '"' && *v != '\\' ?
			    "%c" : "\\x%02x", (unsigned char)*v);
		snprintf(buf + n, len - n, "\"");
		return buf;
	case IPCARG_ATTR:
		if (mx == NULL && sz == NULL)
			return "NULL";
		snprintf(buf, len, "{mq_flags=0, mq_maxmsg=%s, mq_msgsize=%s, "
		    "mq_curmsgs=0}", mx ? mx : "0", sz ? sz : "0");
		return buf;
	case IPCARG_ADDR:
		return "NULL";
	case IPCARG_ID:
		if ((v = opt_text(o, O_QUEUE)) == NULL)
			return NULL;
		snprintf(buf, len, "%s</%s>", opt_text(o, O_ID) ?
		    opt_text(o, O_ID) : "0", v);
		return buf;
	default:
		return NULL;
	}
}

/* How many arguments strace prints for the call of O (mq_open: 2
   without O_CREAT), and its timeout if it has one. */
static int
spelled_nargs(const struct explain_opts *o, const char **tail)
{
	const char *f = opt_text(o, O_FLAGS);
	unsigned v = 0;

	*tail = o->call == IPCCALL_MQ_TIMEDSEND ? ", NULL" : "";
	if (o->call == IPCCALL_MQ_OPEN && (f == NULL ||
	    (calltext_flags(f, &v) == 0 && !(v & 0100))))
		return 2;
	return ipccall_table[o->call].nargs;
}

/*
 * The call spelled as options, through the line grammar: "NAME(A, B, C)
 * = -1 ERRNO" with each argument by position, so both forms are checked
 * alike.  0 or a usage status.
 */
static int
explain_spelled(const struct command *self, const struct explain_opts *o,
    struct calltext *ct)
{
	const struct ipccall_desc *d = &ipccall_table[o->call];
	char line[2048], err[256], mq[1100];
	const char *tail;
	int nargs = spelled_nargs(o, &tail);
	size_t n;

	if (nargs < d->nargs && (opt_text(o, O_MODE) || opt_text(o, O_MAXMSG) ||
	    opt_text(o, O_MSGSIZE)))
		return cli_usage_error(self, "--mode, --maxmsg and --msgsize "
		    "need O_CREAT in --flags");
	n = (size_t)snprintf(line, sizeof(line), "%s(", d->name);
	for (size_t i = 0; i < NARG_OPTS; i++) {
		bool fits = false;

		for (int k = 0; k < d->nargs; k++)
			fits |= d->arg[k] == arg_opts[i].kind;
		if (o->arg[i] != NULL && (!fits || (arg_opts[i].calls &&
		    !(arg_opts[i].calls & (1u << o->call)))))
			return cli_usage_error(self, "--%s is no argument of "
			    "%s", arg_opts[i].name, d->name);
	}
	for (int k = 0; k < nargs; k++) {
		const char *v = k == 0 && d->arg[k] == IPCARG_KEY ?
		    "IPC_PRIVATE" : "0";

		for (size_t i = 0; i < NARG_OPTS; i++)
			if (o->arg[i] != NULL && arg_opts[i].kind == d->arg[k])
				v = o->arg[i];
		if (d->type == IPC_PMQ && spelled_mq(o, (enum ipc_call)o->call,
		    k, mq, sizeof(mq)) != NULL)
			v = spelled_mq(o, (enum ipc_call)o->call, k, mq,
			    sizeof(mq));
		if (d->arg[k] == IPCARG_ID && opt_text(o, O_ID) == NULL)
			return cli_usage_error(self, "%s needs --id", d->name);
		n += (size_t)snprintf(line + n, n < sizeof(line) ?
		    sizeof(line) - n : 0, "%s%s", k ? ", " : "", v);
	}
	if (n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s) = %s%s",
		    tail, o->errname ? "-1 " : "0", o->errname ? o->errname :
		    "");
	if (n >= sizeof(line) || calltext_parse(line, ct, err,
	    sizeof(err)) < 0)
		return cli_usage_error(self, "bad argument: %s",
		    n >= sizeof(line) ? "too long" : strchr(err, ':') + 2);
	return 0;
}

/*
 * mq_timedsend's queue, when the trace names it (strace -y), among the
 * queues read: its attributes now, or unknown.
 */
static void
explain_queue(const struct explain_ctx *x, struct ipccall_args *a)
{
	if (a->call != IPCCALL_MQ_TIMEDSEND || a->mq.name[0] == '\0')
		return;
	for (size_t i = 0; i < x->ks.npmq; i++) {
		const struct pmq_obj *m = &x->ks.pmq[i];

		if (m->has_attr && strcmp(m->f.name, a->mq.name) == 0) {
			a->mq.has_queue = true;
			a->mq.q_maxmsg = m->maxmsg;
			a->mq.q_msgsize = m->msgsize;
			a->mq.q_curmsgs = m->curmsgs;
			return;
		}
	}
}

/* Judge CT (from line LINENO, 0 when not read) and show it. */
static int
explain_one(struct explain_ctx *x, const struct calltext *ct, size_t lineno,
    const char *source)
{
	struct explain_result res;
	struct explain_item it = { lineno, source, ct, &res };
	struct calltext q = *ct;
	char err[512];

	x->who.pid = ct->pid > 0 ? (pid_t)ct->pid : 0;
	explain_queue(x, &q.args);
	it.ct = &q;
	if (explain_call(&q.args, q.failed, q.err, &x->who, &x->ks,
	    &res, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		return EXIT_FAIL;
	}
	if (x->calls != NULL)
		json_array_append_new(x->calls, view_explain_json(&it));
	else if (view_explain_text(&it) < 0)
		x->write_failed = true;
	return 0;
}

/* Whether LINE names one of the calls, as "NAME(". */
static bool
names_call(const char *line)
{
	char pat[32];

	for (int i = 0; i < IPCCALL_COUNT; i++) {
		snprintf(pat, sizeof(pat), "%s(", ipccall_table[i].name);
		if (strstr(line, pat) != NULL)
			return true;
	}
	return false;
}

/* One line of input: explained, skipped, or refused with its column. */
static int
explain_text(struct explain_ctx *x, const char *line, size_t lineno)
{
	struct calltext ct;
	char err[256];

	if (calltext_parse(line, &ct, err, sizeof(err)) == 0)
		return explain_one(x, &ct, lineno, ct.source == CT_PERF ?
		    "perf" : "strace");
	if (x->o->skip_other && (errno == ENOMSG || !names_call(line)))
		return 0;
	x->bad++;
	if (lineno > 0)
		cli_err("line %zu: %s", lineno, err);
	else
		cli_err("%s", err);
	return 0;
}

/* Report a call that never resumed (unless other lines are skipped). */
static void
pending_drop(struct explain_ctx *x, struct explain_pending *p)
{
	if (p->text != NULL && !x->o->skip_other) {
		x->bad++;
		cli_err("line %zu: column %zu: the call is unfinished: no "
		    "later '<... resumed>' line%s ends it", p->line, p->cut + 2,
		    p->pid > 0 ? " of its process" : "");
	}
	free(p->text);
	p->text = NULL;
}

/*
 * One line of a stream: strace -f's two halves of a call are joined by
 * their process (one call at a time per process) and explained whole.
 */
static int
explain_part(struct explain_ctx *x, const char *line, size_t lineno)
{
	struct explain_pending *p = NULL;
	size_t cut, n, m;
	int64_t pid;
	char *whole;
	int status;

	switch (calltext_part(line, &pid, &cut)) {
	case CALLTEXT_WHOLE:
		break;
	case CALLTEXT_UNFINISHED:
		if (!names_call(line))
			break;
		p = &x->pend[(size_t)pid % EXPLAIN_PENDING];
		pending_drop(x, p);
		p->pid = pid;
		p->line = lineno;
		p->cut = cut;
		p->text = xmalloc(cut + 1);
		memcpy(p->text, line, cut);
		p->text[cut] = '\0';
		return 0;
	case CALLTEXT_RESUMED:
		p = &x->pend[(size_t)pid % EXPLAIN_PENDING];
		if (p->text == NULL || p->pid != pid)
			break;
		n = strlen(p->text);
		m = strlen(line + cut);
		whole = xmalloc(n + m + 1);
		memcpy(whole, p->text, n);
		memcpy(whole + n, line + cut, m + 1);
		free(p->text);
		p->text = NULL;
		status = explain_text(x, whole, lineno);
		free(whole);
		return status;
	}
	return explain_text(x, line, lineno);
}

/*
 * Read one line of FP into BUF (LEN bytes): 1, 0 at the end, or -1 on a
 * read error.  A line too long for BUF, or holding a NUL byte, is read
 * to its end and handed on cut, so that the grammar refuses it.
 */
static int
read_line(FILE *fp, char *buf, size_t len)
{
	size_t n = 0;
	bool nul = false;
	int ch;

	while ((ch = getc(fp)) != EOF && ch != '\n') {
		if (ch == '\0')
			nul = true;
		if (n + 2 < len)
			buf[n++] = (char)ch;
		else
			n = len - 1;	/* keep one byte over: too long */
	}
	if (ferror(fp))
		return -1;
	if (ch == EOF && n == 0)
		return 0;
	buf[n] = '\0';
	if (nul)
		snprintf(buf, len, "%s", "\n\n");	/* "one line only" */
	return 1;
}

/* Every line of PATH ("-": standard input). */
static int
explain_stream(struct explain_ctx *x, const char *path)
{
	static char buf[CALLTEXT_MAX_LINE + 2];
	char err[256];
	size_t lineno = 0;
	FILE *fp;
	int fd, r, status = 0;

	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) :
	    infile_openat(AT_FDCWD, path, 0, err, sizeof(err));
	if (fd < 0 || (fp = fdopen(fd, "r")) == NULL) {
		if (fd >= 0 || strcmp(path, "-") == 0)
			snprintf(err, sizeof(err), "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		cli_err("cannot read '%s': %s", path, err);
		return EXIT_FAIL;
	}
	while (status == 0 && !x->write_failed &&
	    (r = read_line(fp, buf, sizeof(buf))) > 0)
		status = explain_part(x, buf, ++lineno);
	for (size_t i = 0; i < EXPLAIN_PENDING; i++)
		pending_drop(x, &x->pend[i]);
	if (status == 0 && ferror(fp)) {
		cli_err("cannot read '%s': %s", path, strerror(errno));
		status = EXIT_FAIL;
	}
	fclose(fp);
	return status;
}

/* The input and the options agree; 0 or a usage status. */
static int
explain_check(const struct command *self, const struct explain_opts *o,
    int nops)
{
	bool args = o->errname != NULL;

	for (size_t i = 0; i < NARG_OPTS; i++)
		args |= o->arg[i] != NULL;
	if ((o->call >= 0) + (nops > 0) + (o->file != NULL) != 1)
		return cli_usage_error(self, "give one of: a LINE, --file "
		    "FILE or --call");
	if (nops > 1)
		return cli_usage_error(self, "one LINE only (quote it, or "
		    "use --file -)");
	if (o->caller != 0 && (o->has_uid || o->has_gid))
		return cli_usage_error(self, "--caller excludes --uid and "
		    "--gid: the caller's own are read");
	if (args && o->call < 0)
		return cli_usage_error(self, "--errno, --key, --id, --size, "
		    "--nsems, --nsops, --msgsz, --flags, --name, --mode, "
		    "--maxmsg, --msgsize, --msg-len and --queue go with "
		    "--call");
	return 0;
}

static int
explain_run(const struct command *self, struct explain_ctx *x,
    const char *operand)
{
	const struct explain_opts *o = x->o;
	struct calltext ct;
	int status;

	if (o->call >= 0) {
		if ((status = explain_spelled(self, o, &ct)) != 0)
			return status;
		return explain_one(x, &ct, 0, "options");
	}
	if (o->file != NULL)
		return explain_stream(x, o->file);
	if (strcmp(operand, "-") == 0)
		return explain_stream(x, "-");
	return explain_text(x, operand, 0);
}

/*
 * Who made the call, into WHO: the process --caller names (and, unless
 * another namespace is named, its IPC namespace), or --uid and --gid,
 * or ipctune itself.  0, or an exit status after the error.
 */
static int
explain_caller(const struct command *self, const struct explain_opts *o,
    struct globals *g, struct ipccall_caller *who)
{
	struct rlimit rl;
	char err[1024];

	if (o->caller != 0) {
		if (g->from != NULL)
			return cli_usage_error(self, "--caller reads a "
			    "running process: not with --from");
		if (proccaller_read(g->ks.root, o->caller, who, err,
		    sizeof(err)) < 0)
			return cli_fail(g, err);
		if (g->ks.pid == 0 && g->ks.ns_path == NULL &&
		    g->ks.root == NULL)
			g->ks.pid = o->caller;
		return 0;
	}
	who->uid = o->has_uid ? o->uid : geteuid();
	who->gid = o->has_gid ? o->gid : o->has_uid && getpwuid(o->uid) ?
	    getpwuid(o->uid)->pw_gid : getegid();
	/* mq_open's EMFILE: the caller's limit is taken to be ipctune's */
	if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0) {
		who->has_rlimit_msgqueue = true;
		who->rlimit_msgqueue = rl.rlim_cur == RLIM_INFINITY ?
		    UINT64_MAX : (uint64_t)rl.rlim_cur;
	}
	return 0;
}

static int
cmd_explain(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct explain_opts o;
	struct explain_ctx x;
	bool done;
	int idx, status;

	memset(&o, 0, sizeof(o));
	memset(&x, 0, sizeof(x));
	o.call = -1;
	status = cli_parse(self, argc, argv, g, explain_opt, &o, &idx, &done);
	if (status != 0 || done)
		return status;
	if ((status = explain_check(self, &o, argc - idx)) != 0)
		return status;
	if ((status = explain_caller(self, &o, g, &x.who)) != 0)
		return status;
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE | KS_SHM | KS_SEM |
	    KS_MSG | KS_PMQ, &x.ks);
	if (status != 0)
		return status;
	x.g = g;
	x.o = &o;
	x.calls = g->format == FMT_JSON ? json_array() : NULL;
	status = explain_run(self, &x, idx < argc ? argv[idx] : NULL);
	if (status == 0 && x.calls != NULL) {
		if (view_explain_doc(&x.ks, g->view.now, x.calls, x.bad) < 0)
			x.write_failed = true;
		x.calls = NULL;
	}
	json_decref(x.calls);
	kstate_release(&x.ks);
	if (status == 0 && x.write_failed) {
		cli_err("cannot write the output: %s", strerror(errno));
		status = EXIT_FAIL;
	}
	return status != 0 ? status : x.bad > 0 ? EXIT_USAGE : EXIT_OK;
}

const struct command cmd_explain_entry = {
	.name = "explain", .fn = cmd_explain,
	.args = "LINE | --file FILE [--skip-other] | --call CALL [--errno "
	    "ERRNO] [--key KEY] [--id N] [--size N] [--nsems N] [--nsops N] "
	    "[--msgsz N] [--flags FLAGS] [--name NAME] [--mode MODE] "
	    "[--maxmsg N] [--msgsize N] [--msg-len N] [--queue NAME]",
	.summary = "why did a traced IPC call fail? its strace or perf "
	    "trace line judged on the state now",
	.opts = cmd_explain_opts, .flags = READS | CMD_OPERANDS,
};
