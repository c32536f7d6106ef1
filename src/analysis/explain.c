/*
 * explain.c: a traced call (System V, or POSIX mq_open and
 * mq_timedsend) judged now.  A failure is replayed through
 * cause_explain(); where fit judges that errno for that call and now
 * finds no failure, the call would succeed now and the words say so
 * instead of naming a limit that no longer refuses it.  No system
 * access, no printing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"

const char *const explain_verdict_names[EXPLAIN_NVERDICTS] = {
	[EXPLAIN_REPRODUCED] = "reproduced",
	[EXPLAIN_EXPLAINED] = "explained",
	[EXPLAIN_SUCCEEDS_NOW] = "succeeds_now",
	[EXPLAIN_FAILS_OTHER] = "fails_other",
	[EXPLAIN_SUCCEEDED] = "succeeded",
	[EXPLAIN_FAILS_NOW] = "fails_now",
};

#define CALL(c) (1u << IPCCALL_##c)
#define GETS (CALL(SHMGET) | CALL(SEMGET) | CALL(MSGGET))

/*
 * The errnos fit decides for a call (fit.h enum fit_cause): for these,
 * fit finding no failure now means the state no longer refuses the call.
 * KEYED: only for a get by a key other than IPC_PRIVATE, whose object
 * fit looks up (ipc/util.c ipcget_public()).
 */
static const struct {
	int err;
	unsigned calls;
	bool keyed;
} replayable[] = {
	{ ENOSPC, GETS, false },
	{ EINVAL, CALL(SHMGET) | CALL(SEMGET), false },
	{ E2BIG, CALL(SEMOP) | CALL(SEMTIMEDOP), false },
	{ ENOENT, GETS, true },
	{ EEXIST, GETS, true },
	{ EACCES, GETS, true },
	/* posixfit (ipc/mqueue.c), the queue's attributes */
	{ ENOSPC, CALL(MQ_OPEN), false },
	{ EINVAL, CALL(MQ_OPEN), false },
	{ EMFILE, CALL(MQ_OPEN), false },
	{ EAGAIN, CALL(MQ_TIMEDSEND), false },
	{ EMSGSIZE, CALL(MQ_TIMEDSEND), false },
	{ ETIMEDOUT, CALL(MQ_TIMEDSEND), false },
};

static bool
explain_replayable(const struct ipccall_args *a, int err)
{
	uint64_t key = 0;
	bool keyed = ipccall_arg_get(a, IPCARG_KEY, &key) &&
	    (uint32_t)key != 0;

	for (size_t i = 0; i < sizeof(replayable) / sizeof(replayable[0]);
	    i++)
		if (replayable[i].err == err &&
		    (replayable[i].calls & (1u << a->call)) &&
		    (keyed || !replayable[i].keyed))
			return true;
	return false;
}

/* BUF := PREFIX followed by TEXT, cut to LEN (TEXT may be BUF's copy). */
static void
explain_prefix(char *buf, size_t len, const char *prefix, const char *text)
{
	size_t p = strlen(prefix), t = strlen(text);

	if (p >= len)
		p = len - 1;
	if (p + t >= len)
		t = len - 1 - p;
	memmove(buf + p, text, t);
	memcpy(buf, prefix, p);
	buf[p + t] = '\0';
}

/* A failure fit does not reproduce now: OUT says what it finds instead. */
static void
explain_not_now(const struct ipccall_args *a, int err,
    const struct cause_result *now, struct explain_result *out)
{
	struct cause_result *c = &out->cause;
	const char *en = ipccall_errno_name(err), *en2;
	char head[64];

	if (now->err == 0) {
		out->verdict = EXPLAIN_SUCCEEDS_NOW;
		c->code = "not_reproduced";
		c->limit = false;
		snprintf(c->text, sizeof(c->text), "this call would succeed "
		    "now: no limit or object refuses %s with %s on the "
		    "current state (freed or raised since, or the call ran "
		    "in another IPC namespace)", ipccall_table[a->call].name,
		    en != NULL ? en : "that errno");
		c->fix[0] = '\0';
		return;
	}
	out->verdict = EXPLAIN_FAILS_OTHER;
	out->now_err = now->err;
	*c = *now;
	en2 = ipccall_errno_name(out->now_err);
	snprintf(head, sizeof(head), "now it would fail with %s instead: ",
	    en2 != NULL ? en2 : "another errno");
	explain_prefix(c->text, sizeof(c->text), head, now->text);
}

/* A call that succeeded: would it now? */
static int
explain_success(const struct ipccall_args *a,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct explain_result *out, char *errbuf, size_t errlen)
{
	struct cause_result now;
	int r;

	if ((r = cause_replay(a, who, ks, &now, errbuf, errlen)) < 0)
		return -1;
	if (r == 0 && now.err != 0) {
		out->verdict = EXPLAIN_FAILS_NOW;
		out->now_err = now.err;
		out->cause = now;
		explain_prefix(out->cause.text, sizeof(out->cause.text),
		    "this call succeeded, but would fail now: ", now.text);
		return 0;
	}
	out->verdict = EXPLAIN_SUCCEEDED;
	out->cause.code = "ok";
	out->cause.fit = FIT_OK;
	snprintf(out->cause.text, sizeof(out->cause.text), r == 0 ?
	    "this call succeeded, and would succeed now" :
	    "this call succeeded");
	return 0;
}

int
explain_call(const struct ipccall_args *a, bool failed, int err,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct explain_result *out, char *errbuf, size_t errlen)
{
	struct cause_result now;
	int r;

	memset(out, 0, sizeof(*out));
	if (errlen > 0)
		errbuf[0] = '\0';
	if (!failed)
		return explain_success(a, who, ks, out, errbuf, errlen);
	if (cause_explain(a, err, who, ks, &out->cause, errbuf, errlen) < 0)
		return -1;
	if (out->cause.err != 0) {
		out->verdict = EXPLAIN_REPRODUCED;
		out->now_err = err;
		return 0;
	}
	out->verdict = EXPLAIN_EXPLAINED;
	if (!explain_replayable(a, err))
		return 0;
	if ((r = cause_replay(a, who, ks, &now, errbuf, errlen)) < 0)
		return -1;
	if (r == 0)
		explain_not_now(a, err, &now, out);
	return 0;
}
