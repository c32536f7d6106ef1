/*
 * cmd_check.c: 'ipctune check', the monitoring-plugin mode (Nagios,
 * Icinga, Naemon): one status line with perfdata and exit 0/1/2/3.  It
 * does not use the usual exit table: every failure here, bad options
 * included, is UNKNOWN (3).  Option parsing and the status line only:
 * checkrun.c reads the state and judges.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/wait.h>

#include "checkrun.h"
#include "commands.h"
#include "monplugin.h"
#include "nsfind.h"
#include "numparse.h"
#include "orphanopts.h"
#include "render.h"

enum { O_WARNING = 1, O_CRITICAL, O_RESOURCE, O_FORECAST_DAYS,
    O_NO_ORPHANS, O_ORPHAN_MIN_AGE, O_TIMEOUT, O_ALL_NS };

static const struct cli_opt cmd_check_opts[] = {
	{ "warning", 'w', required_argument, "RANGE",
	    "warning threshold, absolute or percent (default 80%)",
	    O_WARNING, NULL },
	{ "critical", 'c', required_argument, "RANGE",
	    "critical threshold, absolute or percent (default 95%)",
	    O_CRITICAL, NULL },
	{ "resource", 0, required_argument, "NAME",
	    "check only these resources (repeat, or separate with commas)",
	    O_RESOURCE, "resources" },
	{ "forecast-days", 0, required_argument, "DAYS",
	    "warn when a limit is projected to run out within DAYS "
	    "(default 30)", O_FORECAST_DAYS, NULL },
	{ "no-orphans", 0, no_argument, NULL,
	    "do not judge orphaned objects", O_NO_ORPHANS, NULL },
	{ "orphan-min-age", 0, required_argument, "AGE",
	    "semaphore arrays and unused queues count as orphaned only "
	    "after AGE (default 1h)", O_ORPHAN_MIN_AGE, NULL },
	{ "timeout", 't', required_argument, "SECONDS",
	    "UNKNOWN if the check takes longer (default: no limit)",
	    O_TIMEOUT, NULL },
	{ "all-namespaces", 0, no_argument, NULL, "judge every IPC "
	    "namespace of the host; the answer names the worst", O_ALL_NS,
	    NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

static const struct column_set cmd_check_columns[] = {
	{ NULL, 0 },
};

static int
check_opt(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct checkrun_args *a = ctx;
	char *list, *save = NULL, *tok;
	uint64_t v;

	(void)self;
	switch (id) {
	case O_WARNING:
	case O_CRITICAL:
		if (monplugin_range_parse(arg, id == O_WARNING ? &a->o.warn :
		    &a->o.crit, a->err, sizeof(a->err)) < 0)
			return MP_UNKNOWN;
		return 0;
	case O_RESOURCE:
		if (!a->o.explicit_selection)
			memset(a->o.selected, 0, sizeof(a->o.selected));
		a->o.explicit_selection = true;
		list = strdup(arg);
		if (list == NULL) {
			snprintf(a->err, sizeof(a->err), "out of memory");
			return MP_UNKNOWN;
		}
		for (tok = strtok_r(list, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			int r = model_resource_lookup(tok);

			if (r < 0) {
				snprintf(a->err, sizeof(a->err), "unknown "
				    "resource '%s' (see 'ipctune status')",
				    tok);
				free(list);
				return MP_UNKNOWN;
			}
			a->o.selected[r] = true;
		}
		free(list);
		return 0;
	case O_FORECAST_DAYS:
		if (num_parse_u64(arg, 1, 36500, &v) < 0) {
			snprintf(a->err, sizeof(a->err), "invalid number of "
			    "days '%s' (use 1 to 36500)", arg);
			return MP_UNKNOWN;
		}
		a->forecast_days = v;
		a->forecast_set = true;
		return 0;
	case O_NO_ORPHANS:
		a->no_orphans = true;
		return 0;
	case O_ALL_NS:
		a->all_ns = true;
		return 0;
	case O_ORPHAN_MIN_AGE:
		if (num_parse_duration(arg, &a->orphan_min_age_s) < 0) {
			snprintf(a->err, sizeof(a->err), "invalid age '%s' "
			    "(use a number with s, m, h, d or w)", arg);
			return MP_UNKNOWN;
		}
		return 0;
	case O_TIMEOUT:
		if (num_parse_u64(arg, 1, 86400, &v) < 0) {
			snprintf(a->err, sizeof(a->err), "invalid timeout '%s' "
			    "(use 1 to 86400 seconds)", arg);
			return MP_UNKNOWN;
		}
		a->timeout_s = (unsigned)v;
		return 0;
	}
	return 0;
}

/*
 * -t SECONDS, the monitoring plugins' timeout: when SIGALRM comes the
 * line is written and the process exits UNKNOWN at once (write(2) and
 * _exit(2) only: async-signal-safe).  The line is made before arming.
 */
static char timeout_line[96];
static size_t timeout_len;

static void
timeout_expired(int sig)
{
	ssize_t r;

	(void)sig;
	r = write(STDOUT_FILENO, timeout_line, timeout_len);
	(void)r;
	_exit(MP_UNKNOWN);
}

static void
timeout_arm(unsigned seconds)
{
	struct sigaction sa;
	int n;

	if (seconds == 0)
		return;
	n = snprintf(timeout_line, sizeof(timeout_line), "IPC UNKNOWN - "
	    "timed out after %u seconds (-t)\n", seconds);
	timeout_len = n > 0 ? (size_t)n : 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = timeout_expired;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/*
 * The answer of --all-namespaces: the worst's line (WORST, without its
 * "IPC STATE - ") prefixed with its namespace, and the counts.
 */
static int
check_all_print(const char *const *names, int wst, uint64_t wino,
    const char *who, const char *worst, const size_t count[4], size_t n)
{
	const char *p = strstr(worst, " - ");
	const char *rest = p != NULL ? p + 3 : "no answer";
	size_t end = strcspn(rest, "|\n"), l = end;

	while (l > 0 && rest[l - 1] == ' ')
		l--;
	render_printf("IPC %s - namespace %" PRIu64 " (%s): %.*s; %zu "
	    "namespaces: %zu critical, %zu warning, %zu unknown, %zu ok",
	    names[wst], wino, who, (int)l, rest, n, count[MP_CRITICAL],
	    count[MP_WARNING], count[MP_UNKNOWN], count[MP_OK]);
	if (rest[end] == '|')
		render_printf(" %.*s", (int)strcspn(rest + end, "\n"),
		    rest + end);
	render_printf("\n");
	return wst;
}

/* Judge the namespace G names (ours by default) and print the answer. */
static int
check_one(struct globals *g, struct checkrun_args *a)
{
	struct mp_result res;
	struct orphanrun_opts o;
	struct orphanrun run;
	struct model m;
	char err[1024], out[8192], note[4600];
	bool orphans;

	orphanrun_init(&run);
	orphanopts_run(g, &o);
	if (checkrun_load(&o, a, checkrun_wants_objects(&o, a, &run), &run,
	    err, sizeof(err)) < 0) {
		render_printf("IPC UNKNOWN - cannot read the IPC state: %s\n",
		    err);
		return MP_UNKNOWN;
	}
	model_build(&run.ks, &m);
	if (checkrun_judge(&o, a, &run, &m, &res, &orphans, note,
	    sizeof(note)) < 0) {
		render_printf("IPC UNKNOWN - %s\n", note);
		model_release(&m);
		orphanrun_release(&run);
		return MP_UNKNOWN;
	}
	monplugin_format(&m, &a->o, &res, out, sizeof(out));
	fputs(out, stdout);
	if (note[0] != '\0')
		render_printf("%s\n", note);
	model_release(&m);
	orphanrun_release(&run);
	return (int)res.state;
}

/*
 * The answer of check_one() for the namespace of PID, judged in a child
 * process (ksource enters the namespace for the whole process): its
 * state, and its output in BUF.  A child that cannot report is UNKNOWN.
 */
static int
check_child(struct globals *g, struct checkrun_args *a, pid_t pid,
    char *buf, size_t len)
{
	int fds[2], st;
	size_t got = 0;
	pid_t c;

	buf[0] = '\0';
	fflush(stdout);
	if (pipe(fds) < 0 || (c = fork()) < 0)
		return MP_UNKNOWN;
	if (c == 0) {
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(MP_UNKNOWN);
		g->ks.pid = pid;
		st = check_one(g, a);
		fflush(stdout);
		_exit(st);
	}
	close(fds[1]);
	for (;;) {
		ssize_t r = read(fds[0], buf + got, len - 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == len - 1) {
			char sink[512];

			while (read(fds[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	buf[got] = '\0';
	close(fds[0]);
	while (waitpid(c, &st, 0) < 0)
		if (errno != EINTR)
			return MP_UNKNOWN;
	return WIFEXITED(st) && WEXITSTATUS(st) <= MP_UNKNOWN ?
	    WEXITSTATUS(st) : MP_UNKNOWN;
}

/* How bad a plugin state is: OK < UNKNOWN < WARNING < CRITICAL. */
static int
state_rank(int st)
{
	static const int rank[] = { [MP_OK] = 0, [MP_WARNING] = 2,
	    [MP_CRITICAL] = 3, [MP_UNKNOWN] = 1 };

	return st >= 0 && st <= MP_UNKNOWN ? rank[st] : 1;
}

/*
 * --all-namespaces: every namespace judged as 'check --pid' judges it,
 * one answer for the host: the worst state, naming its namespace and
 * container, with the worst's perfdata.  A namespace whose processes
 * exit meanwhile does not count.
 */
static int
check_all_ns(struct globals *g, struct checkrun_args *a)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL",
	    "UNKNOWN" };
	static char out[16384], worst[16384];
	size_t count[4] = { 0 }, n = 0;
	struct nsfind f;
	char err[1024], who[300] = "";
	int wst = MP_OK;
	uint64_t wino = 0;

	if (g->ks.pid || g->ks.ns_path || g->ks.root || g->from) {
		render_printf("IPC UNKNOWN - --all-namespaces excludes --pid, "
		    "--ns, --container, --root and --from\n");
		return MP_UNKNOWN;
	}
	if (nsfind_load(&f, 0, getenv("IPCTUNE_CONTAINER_STORAGE"), err,
	    sizeof(err)) < 0) {
		render_printf("IPC UNKNOWN - %s\n", err);
		return MP_UNKNOWN;
	}
	worst[0] = '\0';
	for (size_t i = 0; i < f.report.nrows; i++) {
		const struct nsreport_row *row = &f.report.rows[i];
		int st = check_child(g, a, row->ns->pid, out, sizeof(out));

		/* its processes exited: nothing left to judge */
		if (st == MP_UNKNOWN && kill(row->ns->pid, 0) < 0 &&
		    errno == ESRCH)
			continue;
		count[st]++;
		n++;
		if (worst[0] == '\0' || state_rank(st) > state_rank(wst)) {
			wst = st;
			wino = row->ns->ino;
			nsreport_who(row, who, sizeof(who));
			snprintf(worst, sizeof(worst), "%s", out);
		}
	}
	nsfind_release(&f);
	return check_all_print(names, wst, wino, who, worst, count, n);
}

static int
cmd_check(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct checkrun_args a;
	bool done;
	int idx, status;

	checkrun_defaults(&a);
	status = cli_parse(self, argc, argv, g, check_opt, &a, &idx, &done);
	if (status == 0 && !done && idx < argc) {
		snprintf(a.err, sizeof(a.err), "unexpected argument '%s'",
		    argv[idx]);
		status = MP_UNKNOWN;
	}
	if (status == 0 && !done && g->output != NULL) {
		snprintf(a.err, sizeof(a.err), "'check' does not take "
		    "--output");
		status = MP_UNKNOWN;
	}
	if (status != 0) {
		/* cli_parse has said why on stderr unless we know better */
		render_printf("IPC UNKNOWN - %s\n", a.err[0] ? a.err :
		    status == EXIT_FAIL ? "no such container (--container)" :
		    "invalid command line (see 'ipctune check -h')");
		return MP_UNKNOWN;
	}
	if (done)
		return 0;
	timeout_arm(a.timeout_s);
	if (a.all_ns)
		return check_all_ns(g, &a);
	return check_one(g, &a);
}

const struct command cmd_check_entry = {
	.name = "check", .fn = cmd_check,
	.args = "[-w RANGE] [-c RANGE] [-t SECONDS] [--resource NAME...] "
	    "[--forecast-days DAYS]",
	.summary = "monitoring-plugin mode (exit 0/1/2/3, perfdata)",
	.opts = cmd_check_opts, .flags = CMD_FROM | CMD_NS | CMD_OPERANDS,
	.colsets = cmd_check_columns
};
