/*
 * watchrun.h: the watch workflow.  It runs the kernel source of failing
 * IPC calls (bpfwatch) with the filters the kernel can apply, applies
 * the rest, and explains each event with cause_explain() on the limits
 * and usage the kernel captured.  It prints nothing.
 */
#ifndef WATCHRUN_H
#define WATCHRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfwatch.h"
#include "cause.h"
#include "ipccall.h"

/* What to watch: the kernel's filters and the exact ones after them. */
struct watchrun_opts {
	struct bpfwatch_opts bpf;	/* ipc_ns, tgid, errmask, calls */
	unsigned calls;		/* exact calls (semop is not semtimedop) */
};

struct watchrun;

/* Called with each event that passed the filters and its cause. */
typedef int (*watchrun_fn)(const struct ipccall_event *ev,
    const struct cause_result *cause, void *ctx);

/* Start watching; 0 with *WP, or -1 with errno and the reason in ERR. */
int watchrun_open(const struct watchrun_opts *o, struct watchrun **wp,
    char *err, size_t errlen);

/*
 * Wait up to TIMEOUT_MS and hand each event to FN (which stops the poll
 * by returning non-zero).  The events handed over, or -1 with errno
 * (EINTR for a signal) and ERR.
 */
int watchrun_poll(struct watchrun *w, int timeout_ms, watchrun_fn fn,
    void *ctx, char *err, size_t errlen);

/* The exact counters and statistics (bpfwatch_counters()). */
int watchrun_counters(struct watchrun *w, struct ipccall_count **cp,
    size_t *np, struct ipccall_watch_stats *st, char *err, size_t errlen);

/* The enum ipccall_attach mode the kernel source runs in. */
int watchrun_attach_mode(const struct watchrun *w);

/* Stop watching and detach; W may be NULL. */
void watchrun_close(struct watchrun *w);

#endif
