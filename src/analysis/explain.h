/*
 * explain.h: one IPC call (System V, mq_open or mq_timedsend), as a
 * trace printed it, judged on a namespace's state now.  When the state
 * still fails the call with the errno the trace shows, the words are
 * watch's (cause.h); when it would now succeed, or fail another way,
 * that is said plainly.  Pure: const
 * input, a result out; it neither reads the system nor prints.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "cause.h"

enum explain_verdict {
	EXPLAIN_REPRODUCED,	/* failed, and fails now the same way */
	EXPLAIN_EXPLAINED,	/* failed with an errno fit cannot replay */
	EXPLAIN_SUCCEEDS_NOW,	/* failed, but the state allows it now */
	EXPLAIN_FAILS_OTHER,	/* failed, and now fails with another errno */
	EXPLAIN_SUCCEEDED,	/* succeeded, and would now */
	EXPLAIN_FAILS_NOW,	/* succeeded, but would fail now */
	EXPLAIN_NVERDICTS
};

/* "reproduced", "explained", ... indexed by enum explain_verdict. */
extern const char *const explain_verdict_names[EXPLAIN_NVERDICTS];

struct explain_result {
	enum explain_verdict verdict;
	int now_err;		/* the errno fit predicts now, or 0 */
	struct cause_result cause;	/* code, limit, text and fix */
};

/*
 * Judge call A, which FAILED with errno ERR (or succeeded), made by WHO,
 * on the state KS (limits, usage and the object tables).  0, or -1 with
 * a message in ERRBUF.
 */
int explain_call(const struct ipccall_args *a, bool failed, int err,
    const struct ipccall_caller *who, const struct kstate *ks,
    struct explain_result *out, char *errbuf, size_t errlen);

#endif
