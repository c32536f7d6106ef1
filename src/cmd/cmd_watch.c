/*
 * cmd_watch.c: 'ipctune watch', every failing System V IPC call on the
 * host, live, with its cause: one line (or JSON Lines document) per
 * event until a signal, --duration or --count, then the exact counts.
 * With --format prometheus the counts go to --output every --interval.
 * Option parsing, the loop and the choice of view only.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "ipccall.h"
#include "nsfind.h"
#include "numparse.h"
#include "outfile.h"
#include "view_watch.h"
#include "watchrun.h"

enum { O_PID = 1, O_NS, O_CONTAINER, O_CALL, O_ERRNO, O_DURATION, O_COUNT, O_INTERVAL,
    O_READY, O_BTF, O_ATTACH, O_RATE };

/*
 * The default --rate: events a second per process, call and errno (as
 * many at once).  A retrying loop then costs a reader ten lines a
 * second, and leaves the ring buffer room for the other callers'
 * failures, which a full buffer would drop at random; the counts stay
 * exact whatever is suppressed.
 */
#define WATCH_RATE_DEFAULT 10
#define WATCH_RATE_MAX 1000000

static const struct cli_opt cmd_watch_opts[] = {
	{ "pid", 0, required_argument, "PID",
	    "only calls of process PID (as the host numbers it)", O_PID,
	    "pids" },
	{ "ns", 0, required_argument, "NS",
	    "only the IPC namespace NS (inode, or /proc/PID/ns/ipc)",
	    O_NS, "files" },
	{ "container", 0, required_argument, "ID",
	    "only the IPC namespace of container ID (id, prefix or name)",
	    O_CONTAINER, "containers" },
	{ "call", 0, required_argument, "LIST",
	    "only these calls (shmget,shmat,semget,semop,semtimedop,...)",
	    O_CALL, "calls" },
	{ "errno", 0, required_argument, "LIST",
	    "only these errors (ENOSPC,EINVAL,...); all are still counted",
	    O_ERRNO, NULL },
	{ "duration", 0, required_argument, "DURATION",
	    "stop after DURATION (30s, 5m, ...)", O_DURATION, NULL },
	{ "count", 0, required_argument, "N",
	    "stop after N events", O_COUNT, NULL },
	{ "interval", 0, required_argument, "DURATION",
	    "rewrite the --output textfile this often (default 15s)",
	    O_INTERVAL, NULL },
	{ "ready-file", 0, required_argument, "FILE",
	    "create FILE once the probes are attached", O_READY, "files" },
	{ "attach", 0, required_argument, "MODE",
	    "how to attach: auto, exit, enter-exit or btf (default auto)",
	    O_ATTACH, "attachmodes" },
	{ "rate", 0, required_argument, "N",
	    "at most N events a second per process, call and errno; 0: no "
	    "limit (default 10)", O_RATE, NULL },
	{ "btf-path", 0, required_argument, "FILE",
	    "kernel types from FILE, not /sys/kernel/btf/vmlinux", O_BTF,
	    "files" },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

struct watch_opts {
	struct watchrun_opts run;
	const char *ns;
	const char *container;
	uint64_t duration_s, count, interval_s;
	const char *ready;
};

/* A comma-separated LIST of calls into bits of enum ipc_call. */
static int
parse_calls(const struct command *cmd, const char *list, unsigned *bits)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", list);
	*bits = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		int c = ipccall_lookup(tok);

		if (c < 0)
			return cli_usage_error(cmd, "unknown call '%s'", tok);
		*bits |= 1u << c;
	}
	if (*bits == 0)
		return cli_usage_error(cmd, "empty --call");
	return 0;
}

/* A comma-separated LIST of errno names or numbers into a bit mask. */
static int
parse_errnos(const struct command *cmd, const char *list, uint64_t mask[2])
{
	char buf[256], *save = NULL, *tok;
	uint64_t v;

	snprintf(buf, sizeof(buf), "%s", list);
	mask[0] = mask[1] = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		int e = ipccall_errno_lookup(tok);

		if (e < 0 && num_parse_u64(tok, 1, 127, &v) == 0)
			e = (int)v;
		if (e <= 0 || e > 127)
			return cli_usage_error(cmd, "unknown errno '%s'", tok);
		mask[e >> 6] |= 1ull << (e & 63);
	}
	if (mask[0] == 0 && mask[1] == 0)
		return cli_usage_error(cmd, "empty --errno");
	return 0;
}

static int
watch_opt(const struct command *self, int id, const char *arg, void *ctx)
{
	struct watch_opts *o = ctx;
	uint64_t v;

	switch (id) {
	case O_PID:
		if (num_parse_u64(arg, 1, 4194304, &v) < 0)
			return cli_usage_error(self, "invalid PID '%s'", arg);
		o->run.bpf.tgid = (uint32_t)v;
		break;
	case O_NS:
		o->ns = arg;
		break;
	case O_CONTAINER:
		o->container = arg;
		break;
	case O_CALL:
		return parse_calls(self, arg, &o->run.calls);
	case O_ERRNO:
		o->run.bpf.errno_set = true;
		return parse_errnos(self, arg, o->run.bpf.errmask);
	case O_DURATION:
	case O_INTERVAL:
		if (num_parse_duration(arg, &v) < 0 || v == 0 ||
		    v > 366ull * 86400)
			return cli_usage_error(self, "invalid duration '%s' "
			    "(e.g. 30s, 5m, 1h)", arg);
		*(id == O_DURATION ? &o->duration_s : &o->interval_s) = v;
		break;
	case O_COUNT:
		if (num_parse_u64(arg, 1, UINT64_MAX, &o->count) < 0)
			return cli_usage_error(self, "invalid count '%s'", arg);
		break;
	case O_READY:
		o->ready = arg;
		break;
	case O_BTF:
		o->run.bpf.btf_path = arg;
		break;
	case O_ATTACH:
		o->run.bpf.attach = ipccall_attach_lookup(arg);
		if (o->run.bpf.attach < 0)
			return cli_usage_error(self, "unknown attach mode '%s' "
			    "(auto, exit, enter-exit, btf)", arg);
		break;
	case O_RATE:
		if (num_parse_u64(arg, 0, WATCH_RATE_MAX, &v) < 0)
			return cli_usage_error(self, "invalid rate '%s' (0 to "
			    "%d events a second)", arg, WATCH_RATE_MAX);
		o->run.bpf.rate = (uint32_t)v;
		break;
	}
	return 0;
}

static volatile sig_atomic_t watch_stop;

static void
watch_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* SIGINT and SIGTERM end the loop: no SA_RESTART, the poll returns. */
static void
watch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watch_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What the event loop keeps. */
struct watch_loop {
	const struct globals *g;
	const struct watch_opts *o;
	uint64_t shown;
	bool write_failed;
};

static int
watch_event(const struct ipccall_event *ev, const struct cause_result *c,
    void *ctx)
{
	struct watch_loop *l = ctx;

	if (l->g->format != FMT_PROMETHEUS &&
	    view_watch_event(ev, c, &l->g->view) < 0) {
		l->write_failed = true;
		return 1;
	}
	l->shown++;
	return l->o->count != 0 && l->shown >= l->o->count;
}

/* The counters, without the calls --call leaves out. */
static int
watch_counts(struct watchrun *w, const struct watch_opts *o,
    struct ipccall_count **cp, size_t *np, struct ipccall_watch_stats *st)
{
	char err[512];
	size_t k = 0;

	if (watchrun_counters(w, cp, np, st, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		return -1;
	}
	for (size_t i = 0; i < *np; i++)
		if (o->run.calls == 0 || (o->run.calls & (1u << (*cp)[i].call)))
			(*cp)[k++] = (*cp)[i];
	*np = k;
	return 0;
}

/* The Prometheus text: to --output (atomically), or to stdout. */
static int
watch_prom(struct watchrun *w, const struct globals *g,
    const struct watch_opts *o)
{
	struct ipccall_watch_stats st;
	struct ipccall_count *c;
	char *text, err[1024];
	size_t n, len;
	int r = 0;

	if (watch_counts(w, o, &c, &n, &st) < 0)
		return -1;
	text = view_watch_prom(c, n, &st, (int64_t)time(NULL), &len);
	if (g->output == NULL)
		fwrite(text, 1, len, stdout);
	else if (outfile_write(g->output, text, len, 0644, err,
	    sizeof(err)) < 0) {
		cli_err("%s", err);
		r = -1;
	}
	free(text);
	free(c);
	return r;
}

/* Poll until a signal, --duration or --count; 0 or an exit status. */
static int
watch_run(struct watchrun *w, const struct globals *g,
    const struct watch_opts *o, double start)
{
	struct watch_loop l = { g, o, 0, false };
	double next = start + (double)o->interval_s, now, left;
	char err[512];

	while (!watch_stop) {
		now = mono_now();
		left = o->duration_s ? start + (double)o->duration_s - now :
		    1.0;
		if (left <= 0)
			break;
		if (g->output != NULL && now >= next) {
			if (watch_prom(w, g, o) < 0)
				return EXIT_FAIL;
			next = now + (double)o->interval_s;
		}
		if (left > 1.0)
			left = 1.0;
		if (watchrun_poll(w, (int)(left * 1000) + 1, watch_event, &l,
		    err, sizeof(err)) < 0 && errno != EINTR)
			return cli_fail(g, err);
		if (l.write_failed)
			return EXIT_FAIL;
		if (o->count != 0 && l.shown >= o->count)
			return 0;
	}
	/* the events the kernel sent before the stop are shown: the
	   summary counts them as sent */
	if (watchrun_poll(w, 0, watch_event, &l, err, sizeof(err)) < 0 &&
	    errno != EINTR)
		return cli_fail(g, err);
	return l.write_failed ? EXIT_FAIL : 0;
}

/* The summary of the exact counts, as the format asks. */
static int
watch_summary(struct watchrun *w, const struct globals *g,
    const struct watch_opts *o, double start)
{
	struct ipccall_watch_stats st;
	struct ipccall_count *c;
	struct render_opts ro;
	size_t n;
	int r;

	if (g->format == FMT_PROMETHEUS)
		return watch_prom(w, g, o) < 0 ? EXIT_FAIL : EXIT_OK;
	if (watch_counts(w, o, &c, &n, &st) < 0)
		return EXIT_FAIL;
	ro = g->view;
	ro.now = (int64_t)time(NULL);
	r = view_watch_summary(c, n, &st, mono_now() - start, &ro);
	free(c);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

/*
 * --container: the IPC namespace of the container, named by one of its
 * processes, filtered in the kernel as --ns is.  0, or -1 with ERR.
 */
static int
container_ns(struct watch_opts *o, char *err, size_t errlen)
{
	static char path[64];
	pid_t pid;

	if (nsfind_container(o->container, getenv(
	    "IPCTUNE_CONTAINER_STORAGE"), &pid, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
	o->ns = path;
	return 0;
}

static int
cmd_watch(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct watch_opts o;
	struct watchrun *w;
	char err[2048];
	double start;
	bool done;
	int idx, status;

	memset(&o, 0, sizeof(o));
	o.interval_s = 15;
	o.run.bpf.rate = WATCH_RATE_DEFAULT;
	status = cli_parse(self, argc, argv, g, watch_opt, &o, &idx, &done);
	if (status != 0 || done)
		return status;
	if (g->output != NULL && g->format != FMT_PROMETHEUS)
		return cli_usage_error(self, "--output needs --format "
		    "prometheus");
	if (o.ns != NULL && o.container != NULL)
		return cli_usage_error(self, "--ns and --container exclude "
		    "each other");
	if (o.container != NULL && container_ns(&o, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	if (o.ns != NULL && bpfwatch_ns_inode(o.ns, &o.run.bpf.ipc_ns, err,
	    sizeof(err)) < 0)
		return cli_fail(g, err);
	/* semop and semtimedop share one kernel program each way */
	o.run.bpf.calls = o.run.calls;
	if (watchrun_open(&o.run, &w, err, sizeof(err)) < 0)
		return cli_fail(g, err);
	if (o.run.bpf.attach == IPCCALL_ATTACH_AUTO &&
	    watchrun_attach_mode(w) == IPCCALL_ATTACH_BTF)
		cli_warn(g, "tracefs unavailable, using tp_btf: every syscall "
		    "pays");
	watch_signals();
	start = mono_now();
	if (o.ready != NULL && outfile_write(o.ready, "", 0, 0644, err,
	    sizeof(err)) < 0) {
		watchrun_close(w);
		return cli_fail(g, err);
	}
	status = watch_run(w, g, &o, start);
	if (status == 0)
		status = watch_summary(w, g, &o, start);
	watchrun_close(w);
	return status;
}

const struct command cmd_watch_entry = {
	.name = "watch", .fn = cmd_watch,
	.summary = "every failing IPC call on the host, live, with its cause",
	.opts = cmd_watch_opts,
	.flags = CMD_FORMATS_JSON | CMD_PROMETHEUS | CMD_OUTPUT
};
