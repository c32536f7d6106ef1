/*
 * view_watch.c: how 'watch' shows a failing call: a key=value line for
 * people and grep, a JSON Lines document for log shippers, and the
 * counters as a summary table or Prometheus text.  Text from outside
 * (comm, cgroup) is escaped; nothing here reads the system or the clock.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "textesc.h"
#include "view_watch.h"
#include "xmalloc.h"

/* FLAGS of call C as "IPC_CREAT|IPC_EXCL|0600", or "0". */
static void
flags_text(enum ipc_call c, uint64_t flags, char *buf, size_t len)
{
	unsigned mode = ipccall_mode_bits(c), rest = (unsigned)flags;
	size_t off = 0;

	buf[0] = '\0';
	for (const struct ipccall_flag *f = ipccall_flags; f->name; f++)
		if ((f->calls & (1u << c)) && (rest & f->value) == f->value) {
			off += (size_t)snprintf(buf + off, off < len ?
			    len - off : 0, "%s%s", off ? "|" : "", f->name);
			rest &= ~f->value;
		}
	if (off >= len)
		return;
	if (mode && (rest & mode)) {
		off += (size_t)snprintf(buf + off, len - off, "%s%04o",
		    off ? "|" : "", rest & mode);
		rest &= ~mode;
	}
	if (off < len && (rest || off == 0))
		snprintf(buf + off, len - off, "%s%#o", off ? "|" : "", rest);
}

/* mq_open's name, escaped as every text from the caller is. */
static void
name_text(const struct ipccall_args *a, char *buf, size_t len)
{
	char *e = textesc_dup(a->mq.name[0] ? a->mq.name : "?");

	snprintf(buf, len, "%s", e);
	free(e);
}

/* mq_open's attr: "{mq_maxmsg=10, mq_msgsize=8192}", or the pointer. */
static void
attr_text(const struct ipccall_args *a, uint64_t x, char *buf, size_t len)
{
	if (a->mq.has_attr)
		snprintf(buf, len, "{mq_maxmsg=%" PRId64 ", mq_msgsize=%"
		    PRId64 "}", a->mq.maxmsg, a->mq.msgsize);
	else
		snprintf(buf, len, x ? "0x%" PRIx64 : "NULL", x);
}

void
view_watch_args(const struct ipccall_args *a, char *buf, size_t len)
{
	const struct ipccall_desc *d = &ipccall_table[a->call];
	size_t off = 0;
	char v[96];

	buf[0] = '\0';
	for (int i = 0; i < d->nargs && off < len; i++) {
		uint64_t x = a->a[i];

		switch (d->arg[i]) {
		case IPCARG_KEY:
			if ((uint32_t)x == 0)
				snprintf(v, sizeof(v), "IPC_PRIVATE");
			else
				snprintf(v, sizeof(v), "0x%08" PRIx32,
				    (uint32_t)x);
			break;
		case IPCARG_ID:
		case IPCARG_NSEMS:
			snprintf(v, sizeof(v), "%d", (int)(int32_t)x);
			break;
		case IPCARG_FLAGS:
			flags_text(a->call, x, v, sizeof(v));
			break;
		case IPCARG_ADDR:
			snprintf(v, sizeof(v), x ? "0x%" PRIx64 : "NULL", x);
			break;
		case IPCARG_NAME:
			name_text(a, v, sizeof(v));
			break;
		case IPCARG_MODE:
			snprintf(v, sizeof(v), "%04" PRIo64, x & 07777);
			break;
		case IPCARG_ATTR:
			attr_text(a, x, v, sizeof(v));
			break;
		case IPCARG_SIZE:
		case IPCARG_NSOPS:
		case IPCARG_NUM:
		case IPCARG_NONE:
			snprintf(v, sizeof(v), "%" PRIu64, x);
			break;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s=%s",
		    i ? ", " : "", d->arg_name[i], v);
	}
}

/* An RFC 3339 UTC time with milliseconds. */
static const char *
time_text(int64_t ns, char *buf, size_t len)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;

	if (gmtime_r(&s, &tm) == NULL) {
		snprintf(buf, len, "%" PRId64, ns);
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ns % 1000000000 / 1000000));
	return buf;
}

static const char *
errno_text(int err, char *buf, size_t len)
{
	const char *n = ipccall_errno_name(err);

	if (n != NULL)
		return n;
	snprintf(buf, len, "%d", err);
	return buf;
}

static int
event_line(const struct ipccall_event *ev, const struct cause_result *c,
    const struct render_opts *ro)
{
	char t[96], u[64], args[256], e[16], head[64];
	const char *text = c->text;

	/* the line names the call and errno once */
	snprintf(head, sizeof(head), "%s %s: ", ipccall_table[
	    ev->args.call].name, errno_text(ev->err, e, sizeof(e)));
	if (strncmp(text, head, strlen(head)) == 0)
		text += strlen(head);
	time_text(ev->time_ns, t, sizeof(t));
	view_watch_args(&ev->args, args, sizeof(args));
	printf("%s pid=%d nspid=%d comm=", t, (int)ev->who.pid,
	    (int)ev->who.nspid);
	textesc_fputs(ev->who.comm, stdout);
	printf(" user=%s ipc_ns=%" PRIu64 " cgroup=", render_user(ro,
	    ev->who.uid, u, sizeof(u)), ev->who.ipc_ns);
	textesc_fputs(ev->who.cgroup[0] ? ev->who.cgroup : "-", stdout);
	printf(" %s(%s) = -1 %s: %s", ipccall_table[ev->args.call].name,
	    args, errno_text(ev->err, e, sizeof(e)), text);
	if (c->fix[0] != '\0')
		printf("; fix: %s", c->fix);
	putchar('\n');
	return fflush(stdout) == 0 ? 0 : -1;
}

static json_t *
ns_state_json(const struct ipccall_ns_state *s)
{
	json_t *o = json_object(), *sem = json_array();

	json_set_u64(o, "shmmax_bytes", s->shmmax_bytes);
	json_set_u64(o, "shmall_pages", s->shmall_pages);
	json_set_u64(o, "shmmni", s->shmmni);
	for (int i = 0; i < 4; i++)
		json_array_append_new(sem, json_integer(s->sem[i]));
	json_object_set_new(o, "sem", sem);
	json_set_u64(o, "msgmax_bytes", s->msgmax_bytes);
	json_set_u64(o, "msgmnb_bytes", s->msgmnb_bytes);
	json_set_u64(o, "msgmni", s->msgmni);
	json_set_u64(o, "shm_segments", s->shm_segments);
	json_set_u64(o, "shm_pages", s->shm_pages);
	json_set_u64(o, "sem_arrays", s->sem_arrays);
	json_set_u64(o, "sem_sems", s->sem_sems);
	json_set_u64(o, "msg_queues", s->msg_queues);
	json_set_u64(o, "mq_queues", s->mq_queues);
	json_set_u64(o, "mq_queues_max", s->mq_queues_max);
	json_set_u64(o, "mq_msg_max", s->mq_msg_max);
	json_set_u64(o, "mq_msgsize_max", s->mq_msgsize_max);
	return o;
}

static json_t *
process_json(const struct ipccall_caller *w, const struct render_opts *ro)
{
	json_t *o = json_object();
	char u[64];

	json_object_set_new(o, "pid", json_integer(w->pid));
	json_object_set_new(o, "tid", json_integer(w->tid));
	json_object_set_new(o, "ppid", json_integer(w->ppid));
	json_object_set_new(o, "nspid", w->nspid ? json_integer(w->nspid) :
	    json_null());
	json_object_set_new(o, "comm", json_text(w->comm));
	json_object_set_new(o, "uid", json_integer(w->uid));
	json_object_set_new(o, "user", json_text(render_user(ro, w->uid, u,
	    sizeof(u))));
	json_object_set_new(o, "gid", json_integer(w->gid));
	json_object_set_new(o, "cgroup", w->cgroup[0] ? json_text(w->cgroup) :
	    json_null());
	json_object_set_new(o, "pid_ns", json_integer((json_int_t)w->pid_ns));
	return o;
}

/* What a POSIX queue call's pointers and descriptor named. */
static json_t *
mq_json(const struct ipccall_event *ev)
{
	const struct ipccall_mq *m = &ev->args.mq;
	json_t *o = json_object(), *q;

	json_object_set_new(o, "attr", m->has_attr ? json_pack("{sI sI}",
	    "mq_maxmsg", (json_int_t)m->maxmsg, "mq_msgsize",
	    (json_int_t)m->msgsize) : json_null());
	q = m->has_queue ? json_pack("{sI sI sI}", "mq_maxmsg",
	    (json_int_t)m->q_maxmsg, "mq_msgsize", (json_int_t)m->q_msgsize,
	    "mq_curmsgs", (json_int_t)m->q_curmsgs) : json_null();
	json_object_set_new(o, "queue", q);
	json_object_set_new(o, "rlimit_msgqueue",
	    !ev->who.has_rlimit_msgqueue ||
	    ev->who.rlimit_msgqueue == UINT64_MAX ? json_null() :
	    json_integer((json_int_t)ev->who.rlimit_msgqueue));
	return o;
}

/* Print ROOT as one line (JSON Lines) and free it. */
static int
json_line(json_t *root)
{
	int r = json_dumpf(root, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(root);
	if (r == 0)
		putchar('\n');
	return r == 0 && fflush(stdout) == 0 ? 0 : -1;
}

static int
event_json(const struct ipccall_event *ev, const struct cause_result *c,
    const struct render_opts *ro)
{
	const struct ipccall_desc *d = &ipccall_table[ev->args.call];
	json_t *root = render_envelope("watch_event", NULL,
	    ev->time_ns / 1000000000);
	json_t *args = json_object(), *cause = json_object();
	char t[96], e[16], f[96];

	json_object_set_new(root, "time", json_string(time_text(ev->time_ns,
	    t, sizeof(t))));
	json_object_set_new(root, "ipc_ns", json_integer(
	    (json_int_t)ev->who.ipc_ns));
	json_object_set_new(root, "process", process_json(&ev->who, ro));
	json_object_set_new(root, "call", json_string(d->name));
	for (int i = 0; i < d->nargs; i++)
		if (d->arg[i] == IPCARG_NAME)
			json_object_set_new(args, d->arg_name[i],
			    ev->args.mq.name[0] ? json_text(ev->args.mq.name) :
			    json_null());
		else if (d->arg[i] == IPCARG_ID || d->arg[i] == IPCARG_NSEMS)
			json_object_set_new(args, d->arg_name[i], json_integer(
			    (int32_t)ev->args.a[i]));
		else
			json_set_u64(args, d->arg_name[i], ev->args.a[i]);
	json_object_set_new(root, "args", args);
	for (int i = 0; i < d->nargs; i++)
		if (d->arg[i] == IPCARG_FLAGS) {
			flags_text(ev->args.call, ev->args.a[i], f, sizeof(f));
			json_object_set_new(root, "flags_text", json_string(f));
		}
	if (ipccall_table[ev->args.call].type == IPC_PMQ)
		json_object_set_new(root, "mq", mq_json(ev));
	json_object_set_new(root, "errno", json_integer(ev->err));
	json_object_set_new(root, "error", json_string(errno_text(ev->err, e,
	    sizeof(e))));
	json_object_set_new(cause, "code", json_string(c->code));
	json_object_set_new(cause, "limit", json_boolean(c->limit));
	json_object_set_new(cause, "text", json_text(c->text));
	json_object_set_new(cause, "fix", c->fix[0] ? json_text(c->fix) :
	    json_null());
	json_object_set_new(root, "cause", cause);
	json_object_set_new(root, "ns_state", ns_state_json(&ev->ns));
	return json_line(root);
}

int
view_watch_event(const struct ipccall_event *ev,
    const struct cause_result *c, const struct render_opts *ro)
{
	if (ro->format == FMT_JSON)
		return event_json(ev, c, ro);
	return event_line(ev, c, ro);
}

static const struct column summary_cols[] = {
	{ "IPC_NS", "IPC namespace inode", 12, COL_DEFAULT | COL_RIGHT },
	{ "CALL", "system call", 10, COL_DEFAULT },
	{ "ERRNO", "error", 8, COL_DEFAULT },
	{ "COUNT", "failures counted in the kernel", 8,
	    COL_DEFAULT | COL_RIGHT },
};

static int
summary_table(const struct ipccall_count *c, size_t n,
    const struct ipccall_watch_stats *st, double duration_s,
    const struct render_opts *ro)
{
	struct render_opts o = *ro;
	struct table *t;
	char buf[64], err[128];

	o.columns = NULL;
	printf("%" PRIu64 " failing call%s in %.1f s (attached: %s): %" PRIu64
	    " reported, %" PRIu64 " dropped (ring buffer full), %" PRIu64
	    " over --rate, %" PRIu64 " not asked for\n", st->failed,
	    st->failed == 1 ? "" : "s", duration_s,
	    ipccall_attach_names[st->attach], st->sent, st->dropped,
	    st->suppressed, st->masked);
	if (st->counter_full)
		printf("%" PRIu64 " failures not counted per call: the "
		    "counter table was full\n", st->counter_full);
	if (n == 0)
		return 0;
	t = table_new(summary_cols, sizeof(summary_cols) /
	    sizeof(summary_cols[0]), NULL, &o, err, sizeof(err));
	if (t == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		table_row(t);
		snprintf(buf, sizeof(buf), "%" PRIu64, c[i].ipc_ns);
		table_cell(t, 0, buf);
		table_cell(t, 1, ipccall_table[c[i].call].name);
		table_cell(t, 2, errno_text(c[i].err, buf, sizeof(buf)));
		snprintf(buf, sizeof(buf), "%" PRIu64, c[i].count);
		table_cell(t, 3, buf);
	}
	return table_print_free(t);
}

int
view_watch_summary(const struct ipccall_count *c, size_t n,
    const struct ipccall_watch_stats *st, double duration_s,
    const struct render_opts *ro)
{
	json_t *root, *arr, *o;
	char e[16];

	if (ro->format != FMT_JSON)
		return summary_table(c, n, st, duration_s, ro);
	root = render_envelope("watch_summary", NULL, ro->now);
	json_object_set_new(root, "duration_seconds", json_real(duration_s));
	json_set_u64(root, "failed", st->failed);
	json_set_u64(root, "sent", st->sent);
	json_set_u64(root, "dropped", st->dropped);
	json_set_u64(root, "suppressed", st->suppressed);
	json_set_u64(root, "masked", st->masked);
	json_object_set_new(root, "attach", json_string(
	    ipccall_attach_names[st->attach]));
	json_set_u64(root, "counter_full", st->counter_full);
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		o = json_object();
		json_object_set_new(o, "ipc_ns", json_integer(
		    (json_int_t)c[i].ipc_ns));
		json_object_set_new(o, "call", json_string(
		    ipccall_table[c[i].call].name));
		json_object_set_new(o, "errno", json_integer(c[i].err));
		json_object_set_new(o, "error", json_string(errno_text(
		    c[i].err, e, sizeof(e))));
		json_set_u64(o, "count", c[i].count);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "counts", arr);
	return json_line(root);
}

/* Append to the growing text *BP (length *LP, capacity *CP). */
static void
prom_add(char **bp, size_t *lp, size_t *cp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
prom_add(char **bp, size_t *lp, size_t *cp, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*bp + *lp, *cp - *lp, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < *cp - *lp)
			break;
		*cp *= 2;
		*bp = xreallocarray(*bp, *cp, 1);
	}
	*lp += (size_t)n;
}

char *
view_watch_prom(const struct ipccall_count *c, size_t n,
    const struct ipccall_watch_stats *st, int64_t now, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *b = xmalloc(cap), e[16];

	b[0] = '\0';
	prom_add(&b, &len, &cap, "# HELP ipctune_watch_failures_total "
	    "Failing IPC calls counted in the kernel since watch started.\n"
	    "# TYPE ipctune_watch_failures_total counter\n");
	for (size_t i = 0; i < n; i++)
		prom_add(&b, &len, &cap, "ipctune_watch_failures_total{"
		    "ipc_namespace=\"%" PRIu64 "\",call=\"%s\",errno=\"%s\"} %"
		    PRIu64 "\n", c[i].ipc_ns, ipccall_table[c[i].call].name,
		    errno_text(c[i].err, e, sizeof(e)), c[i].count);
	prom_add(&b, &len, &cap, "# HELP ipctune_watch_events_total Failing "
	    "calls by what became of their event.\n"
	    "# TYPE ipctune_watch_events_total counter\n"
	    "ipctune_watch_events_total{outcome=\"sent\"} %" PRIu64 "\n"
	    "ipctune_watch_events_total{outcome=\"dropped\"} %" PRIu64 "\n"
	    "ipctune_watch_events_total{outcome=\"suppressed\"} %" PRIu64
	    "\n"
	    "ipctune_watch_events_total{outcome=\"masked\"} %" PRIu64 "\n",
	    st->sent, st->dropped, st->suppressed, st->masked);
	prom_add(&b, &len, &cap, "# HELP ipctune_watch_uncounted_total "
	    "Failures the per-call counter table had no room for.\n"
	    "# TYPE ipctune_watch_uncounted_total counter\n"
	    "ipctune_watch_uncounted_total %" PRIu64 "\n"
	    "# HELP ipctune_watch_last_refresh_timestamp_seconds When this "
	    "file was written.\n"
	    "# TYPE ipctune_watch_last_refresh_timestamp_seconds gauge\n"
	    "ipctune_watch_last_refresh_timestamp_seconds %" PRId64 "\n",
	    st->counter_full, now);
	*lenp = len;
	return b;
}
