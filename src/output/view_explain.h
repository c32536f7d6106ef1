/*
 * view_explain.h: how 'explain' shows a traced call judged now: a few
 * lines of text per call as it is read, or one JSON document for all
 * of them.  The views read nothing but their arguments.
 */
#ifndef VIEW_EXPLAIN_H
#define VIEW_EXPLAIN_H

#include <stddef.h>

#include <jansson.h>

#include "calltext.h"
#include "explain.h"
#include "render.h"

/* One call and its judgement. */
struct explain_item {
	size_t line;		/* its line in the input, 0 when not read */
	const char *source;	/* "strace", "perf" or "options" */
	const struct calltext *ct;
	const struct explain_result *res;
};

/* Print IT as text to stdout; 0 or -1. */
int view_explain_text(const struct explain_item *it);

/* IT as one element of the document's "calls". */
json_t *view_explain_json(const struct explain_item *it);

/*
 * Print the 'explain' document: CALLS (stolen) and the count of lines
 * refused, BAD, on the state KS at NOW.  0 or -1.
 */
int view_explain_doc(const struct kstate *ks, int64_t now, json_t *calls,
    size_t bad);

#endif
