/*
 * watchrun.c: composes bpfwatch (events from the kernel) with cause
 * (why each failed).  The kernel filters by namespace, process, call and
 * errno; the exact call (semop against semtimedop) is checked here.  No
 * printing, no CLI globals.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "watchrun.h"
#include "xmalloc.h"

struct watchrun {
	struct watchrun_opts o;
	struct bpfwatch *bw;
	uint64_t page_size;
	watchrun_fn fn;
	void *ctx;
	int handed;
};

int
watchrun_open(const struct watchrun_opts *o, struct watchrun **wp,
    char *err, size_t errlen)
{
	struct watchrun *w = xcalloc(1, sizeof(*w));
	long ps = sysconf(_SC_PAGESIZE);

	w->o = *o;
	w->page_size = ps > 0 ? (uint64_t)ps : 4096;
	if (bpfwatch_open(&o->bpf, &w->bw, err, errlen) < 0) {
		int e = errno;

		free(w);
		*wp = NULL;
		errno = e;
		return -1;
	}
	*wp = w;
	return 0;
}

/* One event from the kernel: filter it, explain it, hand it over. */
static int
watchrun_event(const struct ipccall_event *ev, void *ctx)
{
	struct watchrun *w = ctx;
	struct cause_result c;
	struct kstate ks;
	char err[256];

	if (w->o.calls != 0 && !(w->o.calls & (1u << ev->args.call)))
		return 0;
	cause_kstate(&ev->ns, w->page_size, &ks);
	if (cause_explain(&ev->args, ev->err, &ev->who, &ks, &c, err,
	    sizeof(err)) < 0)
		return 0;
	w->handed++;
	return w->fn(ev, &c, w->ctx);
}

int
watchrun_poll(struct watchrun *w, int timeout_ms, watchrun_fn fn,
    void *ctx, char *err, size_t errlen)
{
	w->fn = fn;
	w->ctx = ctx;
	w->handed = 0;
	if (bpfwatch_poll(w->bw, timeout_ms, watchrun_event, w, err,
	    errlen) < 0)
		return -1;
	return w->handed;
}

int
watchrun_counters(struct watchrun *w, struct ipccall_count **cp,
    size_t *np, struct ipccall_watch_stats *st, char *err, size_t errlen)
{
	return bpfwatch_counters(w->bw, cp, np, st, err, errlen);
}

int
watchrun_attach_mode(const struct watchrun *w)
{
	return bpfwatch_attach_mode(w->bw);
}

void
watchrun_close(struct watchrun *w)
{
	if (w == NULL)
		return;
	bpfwatch_close(w->bw);
	free(w);
}
