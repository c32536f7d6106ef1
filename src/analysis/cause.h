/*
 * cause.h: why one IPC call failed (System V, or POSIX mq_open and
 * mq_timedsend), in plain words with the fix.  A limit is named only
 * when fit or posixfit, replayed on the namespace's limits and
 * usage, fails the same call with the same errno; any other errno is said
 * to be what it is (permission, removed, memory, a mismatch).  Pure:
 * const input, text out; it neither reads the system nor prints.
 */
#ifndef CAUSE_H
#define CAUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "fit.h"
#include "ipccall.h"
#include "ipctune.h"

/* The explanation of one failing call. */
struct cause_result {
	const char *code;	/* "semmni", "permission", "removed", ... */
	bool limit;		/* a limit (or a full queue) caused it */
	enum fit_cause fit;	/* fit's cause when it agreed, else FIT_OK */
	int err;		/* the errno a replay (fit, posixfit, or the
				   queue's attributes) agreed on or predicts;
				   0: none */
	char text[512];		/* "semget ENOSPC: ..." */
	char fix[512];		/* what to do, or "" */
};

/*
 * Explain errno ERR of call A made by WHO, on the namespace state KS
 * (KS_SYSCTL and KS_USAGE; with the object tables too, a keyed get is
 * judged against the object holding its key).  0, or -1 with a message
 * in ERR_TEXT when A is not a call this module knows.
 */
int cause_explain(const struct ipccall_args *a, int err,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct cause_result *out, char *errbuf, size_t errlen);

/*
 * What fit (posixfit for mq_open, the queue's attributes for
 * mq_timedsend) says now of call A made by WHO, on KS: 0 with OUT->err 0
 * when it would succeed, else the errno of the failure predicted, with
 * the words and the fix (OUT->fit is fit's cause, FIT_OK for the POSIX
 * calls).  1 when nothing replays the call (shmat, mq_open without
 * O_CREAT, mq_timedsend to a queue whose attributes are unknown); -1
 * with a message in ERRBUF when fit cannot judge the state.
 */
int cause_replay(const struct ipccall_args *a,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct cause_result *out, char *errbuf, size_t errlen);

/*
 * A state fit can judge from the limits and usage the kernel held at one
 * instant, S, with pages of PAGE_SIZE bytes: sysctls and usage only.
 */
void cause_kstate(const struct ipccall_ns_state *s, uint64_t page_size,
    struct kstate *ks);

#endif
