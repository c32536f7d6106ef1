/*
 * view_watch.h: the views of 'watch': one line or one JSON Lines
 * document per failing call, the summary of the exact counters, and the
 * counters as Prometheus text.  They read nothing but their arguments.
 */
#ifndef VIEW_WATCH_H
#define VIEW_WATCH_H

#include <stddef.h>

#include "cause.h"
#include "ipccall.h"
#include "render.h"

/* "key=IPC_PRIVATE, nsems=1, flags=IPC_CREAT|0600" for the call A. */
void view_watch_args(const struct ipccall_args *a, char *buf, size_t len);

/* Print one event to stdout: a line, or a JSON Lines document. */
int view_watch_event(const struct ipccall_event *ev,
    const struct cause_result *c, const struct render_opts *ro);

/*
 * Print the counters C (N of them) and the statistics ST to stdout: a
 * table, or one JSON Lines document.  DURATION_S: how long it watched.
 */
int view_watch_summary(const struct ipccall_count *c, size_t n,
    const struct ipccall_watch_stats *st, double duration_s,
    const struct render_opts *ro);

/*
 * The counters and statistics as Prometheus text in a new NUL-terminated
 * buffer, its length in *LENP; NOW stamps the refresh.  Never fails.
 */
char *view_watch_prom(const struct ipccall_count *c, size_t n,
    const struct ipccall_watch_stats *st, int64_t now, size_t *lenp);

#endif
