/*
 * view_explain.c: a traced call judged now, as text or JSON (the POSIX
 * queue calls with what their attr or queue held).  The call
 * is shown with watch's spelling of its arguments; the words are the
 * explanation's.  Text from the trace (perf's command name) is escaped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "textesc.h"
#include "view_explain.h"
#include "view_watch.h"

/* "= -1 ENOSPC", "= -1 EFOO" or "= 0" for the call's result. */
static void
result_text(const struct calltext *ct, char *buf, size_t len)
{
	if (ct->failed)
		snprintf(buf, len, "-1 %s", ct->errname);
	else
		snprintf(buf, len, "%" PRId64, ct->ret);
}

/*
 * The call's arguments in watch's words, without the pointers: a trace
 * shows what they point to, not where, so there is no value to give.
 */
static void
args_text(const struct ipccall_args *a, char *buf, size_t len)
{
	const struct ipccall_desc *d = &ipccall_table[a->call];
	char all[256], *p = all, *next;
	size_t off = 0;

	view_watch_args(a, all, sizeof(all));
	buf[0] = '\0';
	for (int i = 0; i < d->nargs && p != NULL; i++, p = next) {
		/* the last may hold ", " itself: mq_open's attr */
		next = NULL;
		if (i + 1 < d->nargs && (next = strstr(p, ", ")) != NULL) {
			*next = '\0';
			next += 2;
		}
		if (d->arg[i] != IPCARG_ADDR && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "", p);
	}
}

/*
 * What the POSIX queue calls named: mq_open's attr as read ("null" with
 * attr_null when it was NULL: the defaults), mq_timedsend's queue (its
 * name from strace -y, its attributes from the state read).
 */
static json_t *
mq_json(const struct ipccall_args *a)
{
	const struct ipccall_mq *m = &a->mq;
	json_t *o = json_object();

	if (a->call == IPCCALL_MQ_OPEN) {
		json_object_set_new(o, "attr", m->has_attr ? json_pack(
		    "{sI sI}", "mq_maxmsg", (json_int_t)m->maxmsg,
		    "mq_msgsize", (json_int_t)m->msgsize) : json_null());
		json_object_set_new(o, "attr_null", json_boolean(
		    !m->has_attr && a->a[3] == 0));
		return o;
	}
	json_object_set_new(o, "queue_name", m->name[0] ? json_text(m->name) :
	    json_null());
	json_object_set_new(o, "queue", m->has_queue ? json_pack(
	    "{sI sI sI}", "mq_maxmsg", (json_int_t)m->q_maxmsg, "mq_msgsize",
	    (json_int_t)m->q_msgsize, "mq_curmsgs", (json_int_t)m->q_curmsgs) :
	    json_null());
	return o;
}

int
view_explain_text(const struct explain_item *it)
{
	const struct calltext *ct = it->ct;
	const struct cause_result *c = &it->res->cause;
	char args[256], r[48];

	args_text(&ct->args, args, sizeof(args));
	result_text(ct, r, sizeof(r));
	if (it->line > 0)
		printf("line %zu: ", it->line);
	if (ct->pid > 0)
		printf("pid %" PRId64 " ", ct->pid);
	if (ct->comm[0] != '\0') {
		textesc_fputs(ct->comm, stdout);
		putchar(' ');
	}
	printf("%s(%s) = %s\n  %s: %s\n", ipccall_table[ct->args.call].name,
	    args, r, explain_verdict_names[it->res->verdict], c->text);
	if (c->fix[0] != '\0')
		printf("  fix: %s\n", c->fix);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
}

json_t *
view_explain_json(const struct explain_item *it)
{
	const struct calltext *ct = it->ct;
	const struct ipccall_desc *d = &ipccall_table[ct->args.call];
	const struct cause_result *c = &it->res->cause;
	json_t *o = json_object(), *args = json_object(), *cause;
	const char *now = ipccall_errno_name(it->res->now_err);

	json_object_set_new(o, "line", it->line ? json_integer(
	    (json_int_t)it->line) : json_null());
	json_object_set_new(o, "source", json_string(it->source));
	json_object_set_new(o, "pid", ct->pid > 0 ? json_integer(ct->pid) :
	    json_null());
	json_object_set_new(o, "comm", ct->comm[0] ? json_text(ct->comm) :
	    json_null());
	json_object_set_new(o, "call", json_string(d->name));
	for (int i = 0; i < d->nargs; i++)
		if (d->arg[i] == IPCARG_ADDR || d->arg[i] == IPCARG_ATTR)
			continue;	/* a trace shows no address */
		else if (d->arg[i] == IPCARG_NAME)
			json_object_set_new(args, d->arg_name[i],
			    ct->args.mq.name[0] ? json_text(ct->args.mq.name) :
			    json_null());
		else if (d->arg[i] == IPCARG_ID || d->arg[i] == IPCARG_NSEMS)
			json_object_set_new(args, d->arg_name[i], json_integer(
			    (int32_t)ct->args.a[i]));
		else
			json_set_u64(args, d->arg_name[i], ct->args.a[i]);
	json_object_set_new(o, "args", args);
	if (d->type == IPC_PMQ)
		json_object_set_new(o, "mq", mq_json(&ct->args));
	json_object_set_new(o, "failed", json_boolean(ct->failed));
	json_object_set_new(o, "error", ct->failed ? json_string(ct->errname) :
	    json_null());
	json_object_set_new(o, "errno", ct->failed && ct->err ? json_integer(
	    ct->err) : json_null());
	json_object_set_new(o, "verdict", json_string(
	    explain_verdict_names[it->res->verdict]));
	json_object_set_new(o, "error_now", now != NULL ? json_string(now) :
	    json_null());
	cause = json_object();
	json_object_set_new(cause, "code", json_string(c->code));
	json_object_set_new(cause, "limit", json_boolean(c->limit));
	json_object_set_new(cause, "text", json_text(c->text));
	json_object_set_new(cause, "fix", c->fix[0] ? json_text(c->fix) :
	    json_null());
	json_object_set_new(o, "cause", cause);
	return o;
}

int
view_explain_doc(const struct kstate *ks, int64_t now, json_t *calls,
    size_t bad)
{
	json_t *root = render_envelope("explain", ks, now);

	json_object_set_new(root, "calls", calls);
	json_set_u64(root, "lines_refused", bad);
	return render_json_print(root);
}
