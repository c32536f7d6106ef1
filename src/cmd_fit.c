/*
 * cmd_fit.c: 'ipctune fit', would an allocation succeed now, and if not,
 * which errno, which limit and the smallest change that makes it fit.
 * Option parsing and glue only; the prediction comes from fit.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "fit.h"
#include "numparse.h"
#include "render.h"

enum { O_SHM_SIZE = 1, O_SHM_COUNT, O_SEM_ARRAYS, O_SEMS_PER_ARRAY,
    O_SEMOP_OPS, O_QUEUES, O_MSG_SIZE };

const struct cli_opt cmd_fit_opts[] = {
	{ "shm-size", 0, required_argument, "SIZE",
	    "shared memory segment size (suffixes K, M, G, T)", O_SHM_SIZE,
	    NULL },
	{ "shm-count", 0, required_argument, "N",
	    "number of such segments (default 1)", O_SHM_COUNT, NULL },
	{ "sem-arrays", 0, required_argument, "N",
	    "number of semaphore arrays (default 1)", O_SEM_ARRAYS, NULL },
	{ "sems-per-array", 0, required_argument, "M",
	    "semaphores in each array", O_SEMS_PER_ARRAY, NULL },
	{ "semop-ops", 0, required_argument, "K",
	    "operations in one semop call", O_SEMOP_OPS, NULL },
	{ "queues", 0, required_argument, "N",
	    "number of message queues", O_QUEUES, NULL },
	{ "msg-size", 0, required_argument, "SIZE",
	    "one message of SIZE bytes into a queue created now",
	    O_MSG_SIZE, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/* The largest count accepted on the command line (well above IPCMNI). */
#define COUNT_MAX 1000000000ull

struct fit_args {
	struct fit_request req;
	bool has_shm_count, has_sem_arrays;
};

static int
fit_opt(int id, const char *arg, void *ctx)
{
	const struct command *cmd = cli_find("fit");
	struct fit_args *a = ctx;
	struct fit_request *r = &a->req;
	uint64_t v;

	switch (id) {
	case O_SHM_SIZE:
	case O_MSG_SIZE:
		if (num_parse_size(arg, &v) < 0)
			return cli_usage_error(cmd, "invalid size '%s' for "
			    "--%s", arg, id == O_SHM_SIZE ? "shm-size" :
			    "msg-size");
		if (id == O_SHM_SIZE) {
			r->has_shm = true;
			r->shm_size_bytes = v;
		} else {
			r->has_msg = true;
			r->msg_size_bytes = v;
		}
		return 0;
	case O_SHM_COUNT:
	case O_SEM_ARRAYS:
	case O_QUEUES:
		if (num_parse_u64(arg, 1, COUNT_MAX, &v) < 0)
			return cli_usage_error(cmd, "invalid count '%s' (use "
			    "1 to %llu)", arg, COUNT_MAX);
		if (id == O_SHM_COUNT) {
			a->has_shm_count = true;
			r->shm_count = v;
		} else if (id == O_SEM_ARRAYS) {
			a->has_sem_arrays = true;
			r->sem_arrays = v;
		} else {
			r->has_queues = true;
			r->queues = v;
		}
		return 0;
	case O_SEMS_PER_ARRAY:
		/* 0 is accepted: the kernel answers EINVAL, and so do we */
		if (num_parse_u64(arg, 0, 2147483647, &v) < 0)
			return cli_usage_error(cmd, "invalid semaphore count "
			    "'%s' (use 0 to 2147483647)", arg);
		r->has_sem = true;
		r->sems_per_array = v;
		return 0;
	case O_SEMOP_OPS:
		if (num_parse_u64(arg, 0, 4294967295u, &v) < 0)
			return cli_usage_error(cmd, "invalid operation count "
			    "'%s' (use 0 to 4294967295)", arg);
		r->has_semop = true;
		r->semop_ops = v;
		return 0;
	}
	return 0;
}

enum { C_CALL, C_REQUEST, C_SUCCEED, C_RESULT, C_LIMIT };

static const struct column fit_cols[] = {
	[C_CALL] = { "CALL", "system call", 0, COL_DEFAULT },
	[C_REQUEST] = { "REQUEST", "what is asked for", 0, COL_DEFAULT },
	[C_SUCCEED] = { "SUCCEED", "calls that would succeed", 0,
	    COL_DEFAULT | COL_RIGHT },
	[C_RESULT] = { "RESULT", "ok, or the errno of the first failure", 0,
	    COL_DEFAULT },
	[C_LIMIT] = { "LIMIT", "the limit responsible", 0, COL_DEFAULT },
};

const struct column_set cmd_fit_columns[] = {
	{ fit_cols, sizeof(fit_cols) / sizeof(fit_cols[0]) },
	{ NULL, 0 },
};

static const char *
request_text(const struct fit_request *r, enum fit_call c, bool raw,
    char *buf, size_t len)
{
	char b[64];

	switch (c) {
	case FIT_SHMGET:
		snprintf(buf, len, "%" PRIu64 " segment%s of %s",
		    r->shm_count, r->shm_count == 1 ? "" : "s",
		    render_bytes(r->shm_size_bytes, raw, b, sizeof(b)));
		break;
	case FIT_SEMGET:
		snprintf(buf, len, "%" PRIu64 " arra%s of %" PRIu64
		    " semaphore%s", r->sem_arrays, r->sem_arrays == 1 ? "y" :
		    "ys", r->sems_per_array, r->sems_per_array == 1 ? "" :
		    "s");
		break;
	case FIT_SEMOP:
		snprintf(buf, len, "%" PRIu64 " operation%s in one call",
		    r->semop_ops, r->semop_ops == 1 ? "" : "s");
		break;
	case FIT_MSGGET:
		snprintf(buf, len, "%" PRIu64 " queue%s", r->queues,
		    r->queues == 1 ? "" : "s");
		break;
	default:
		snprintf(buf, len, "a message of %s into a new queue",
		    render_bytes(r->msg_size_bytes, raw, b, sizeof(b)));
		break;
	}
	return buf;
}

static int
print_table(const struct kstate *ks, const struct fit_request *req,
    const struct fit_result *res, struct globals *g)
{
	struct table *t;
	char err[512], b[128], text[1024];

	t = table_new(fit_cols, sizeof(fit_cols) / sizeof(fit_cols[0]),
	    g->columns, g, err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(cli_find("fit"), "%s", err);
	if (!g->noheadings)
		render_namespace_line(ks);
	for (int i = 0; i < FIT_NCALLS; i++) {
		const struct fit_call_result *c = &res->call[i];
		const struct fit_cause_desc *d = &fit_cause_table[c->cause];

		if (!c->requested)
			continue;
		table_row(t);
		table_cell(t, C_CALL, fit_call_names[i]);
		table_cell(t, C_REQUEST, request_text(req, (enum fit_call)i,
		    g->bytes, b, sizeof(b)));
		snprintf(b, sizeof(b), "%" PRIu64 " of %" PRIu64,
		    c->succeeded, c->attempts);
		table_cell(t, C_SUCCEED, b);
		table_cell(t, C_RESULT, c->cause == FIT_OK ? "ok" :
		    d->errname);
		if (c->cause == FIT_OK)
			snprintf(b, sizeof(b), "-");
		else if (d->sysctl != NULL && strcmp(d->sysctl,
		    "kernel.sem") == 0)
			snprintf(b, sizeof(b), "kernel.sem %s", d->limit);
		else
			snprintf(b, sizeof(b), "%s", d->sysctl != NULL ?
			    d->sysctl : d->limit != NULL ? d->limit : "-");
		table_cell(t, C_LIMIT, b);
		table_row_color(t, c->cause == FIT_OK ? 0 : 2);
	}
	if (table_print_free(t) < 0)
		return EXIT_FAIL;
	printf("\n");
	for (int i = 0; i < FIT_NCALLS; i++) {
		if (!res->call[i].requested || res->call[i].cause == FIT_OK)
			continue;
		fit_explain(res, (enum fit_call)i, text, sizeof(text));
		render_printf("%s\n", text);
		fit_advise(res, (enum fit_call)i, text, sizeof(text));
		render_printf("  to fit: %s\n", text);
	}
	printf("%s\n", res->fits ? "it fits" : "it does not fit");
	return EXIT_OK;
}

static json_t *
call_json(const struct fit_request *req, const struct fit_result *res,
    enum fit_call i)
{
	const struct fit_call_result *c = &res->call[i];
	const struct fit_cause_desc *d = &fit_cause_table[c->cause];
	json_t *o = json_object(), *fixes = json_array();
	char text[1024];

	json_object_set_new(o, "call", json_string(fit_call_names[i]));
	switch (i) {
	case FIT_SHMGET:
		json_set_u64(o, "size_bytes", req->shm_size_bytes);
		json_set_u64(o, "pages_each", res->shm_pages_each);
		break;
	case FIT_SEMGET:
		json_set_u64(o, "sems_per_array", req->sems_per_array);
		break;
	case FIT_SEMOP:
		json_set_u64(o, "operations", req->semop_ops);
		break;
	case FIT_MSGSND:
		json_set_u64(o, "size_bytes", req->msg_size_bytes);
		break;
	default:
		break;
	}
	json_set_u64(o, "attempts", c->attempts);
	json_set_u64(o, "succeeded", c->succeeded);
	json_object_set_new(o, "fits", json_boolean(c->cause == FIT_OK));
	if (c->cause == FIT_OK) {
		json_object_set_new(o, "errno", json_null());
		json_object_set_new(o, "errno_value", json_null());
		json_object_set_new(o, "cause", json_null());
		json_object_set_new(o, "limit", json_null());
		json_object_set_new(o, "sysctl", json_null());
	} else {
		json_object_set_new(o, "errno", json_string(d->errname));
		json_object_set_new(o, "errno_value", json_integer(d->err));
		json_object_set_new(o, "cause", json_string(d->code));
		json_object_set_new(o, "limit", d->limit ?
		    json_string(d->limit) : json_null());
		json_object_set_new(o, "sysctl", d->sysctl ?
		    json_string(d->sysctl) : json_null());
		json_object_set_new(o, "unit", json_string(d->unit));
		json_set_u64(o, "in_use", c->have);
		json_set_u64(o, "needed", c->need);
		json_set_u64(o, "limit_value", c->limit);
		json_object_set_new(o, "limit_negative",
		    json_boolean(c->limit_negative));
		fit_explain(res, i, text, sizeof(text));
		json_object_set_new(o, "message", json_string(text));
		fit_advise(res, i, text, sizeof(text));
		json_object_set_new(o, "advice", json_string(text));
	}
	for (size_t k = 0; k < c->nfixes; k++) {
		const struct fit_fix *f = &c->fixes[k];
		const struct fit_cause_desc *fd = &fit_cause_table[f->cause];
		json_t *x = json_object();

		json_object_set_new(x, "cause", json_string(fd->code));
		json_object_set_new(x, "limit", fd->limit ?
		    json_string(fd->limit) : json_null());
		json_object_set_new(x, "sysctl", fd->sysctl ?
		    json_string(fd->sysctl) : json_null());
		json_object_set_new(x, "unit", json_string(fd->unit));
		json_set_u64(x, "current", f->current);
		json_set_u64(x, "needed", f->needed);
		json_object_set_new(x, "raisable", json_boolean(f->raisable));
		if (f->can_free)
			json_set_u64(x, "or_free", f->free_amount);
		else
			json_object_set_new(x, "or_free", json_null());
		json_array_append_new(fixes, x);
	}
	json_object_set_new(o, "fixes", fixes);
	return o;
}

int
cmd_fit(int argc, char **argv, struct globals *g)
{
	const struct command *cmd = cli_find("fit");
	struct fit_args a;
	struct fit_result res;
	struct kstate ks;
	char err[512];
	bool done;
	int idx, status;

	memset(&a, 0, sizeof(a));
	status = cli_parse(cmd, argc, argv, g, fit_opt, &a, &idx, &done);
	if (status != 0 || done)
		return status;
	if (g->output != NULL)
		return cli_usage_error(cmd, "'fit' does not take --output");
	if (a.has_shm_count && !a.req.has_shm)
		return cli_usage_error(cmd, "--shm-count needs --shm-size");
	if (a.has_sem_arrays && !a.req.has_sem)
		return cli_usage_error(cmd, "--sem-arrays needs "
		    "--sems-per-array");
	if (!a.req.has_shm && !a.req.has_sem && !a.req.has_semop &&
	    !a.req.has_queues && !a.req.has_msg)
		return cli_usage_error(cmd, "nothing to fit: give --shm-size, "
		    "--sems-per-array, --semop-ops, --queues or --msg-size");
	if (!a.has_shm_count)
		a.req.shm_count = 1;
	if (!a.has_sem_arrays)
		a.req.sem_arrays = 1;
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
	if (status != 0)
		return status;
	if (fit_predict(&ks, &a.req, &res, err, sizeof(err)) < 0) {
		cli_err("%s", err);
		if (g->format == FMT_JSON) {
			/* as cli_load_state() does: say why on stdout too */
			json_t *root = render_envelope("error", NULL);
			json_t *e = json_object();

			json_object_set_new(e, "message", json_string(err));
			json_object_set_new(e, "exit_status",
			    json_integer(EXIT_FAIL));
			json_object_set_new(root, "error", e);
			render_json_print(root);
		}
		kstate_release(&ks);
		return EXIT_FAIL;
	}
	if (g->format == FMT_JSON) {
		json_t *root = render_envelope("fit", &ks), *calls;

		json_object_set_new(root, "fits", json_boolean(res.fits));
		json_set_u64(root, "page_size_bytes", res.page_size);
		json_set_u64(root, "ipc_mni", res.ipc_mni);
		calls = json_array();
		for (int i = 0; i < FIT_NCALLS; i++)
			if (res.call[i].requested)
				json_array_append_new(calls, call_json(&a.req,
				    &res, (enum fit_call)i));
		json_object_set_new(root, "calls", calls);
		status = render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
	} else {
		status = print_table(&ks, &a.req, &res, g);
	}
	kstate_release(&ks);
	if (status == EXIT_OK && !res.fits)
		status = EXIT_NO;
	return status;
}
