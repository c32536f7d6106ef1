/*
 * cmd_owners.c: 'ipctune owners', IPC usage summed per owning user with
 * the share of each namespace-wide limit, so "apache holds 33,000
 * semaphore arrays" is one line.  Glue only.
 */
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"
#include "idname.h"
#include "owners.h"
#include "render.h"

static const struct cli_opt cmd_owners_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

enum { O_OWNER, O_UID, O_SEGMENTS, O_SHMMNI, O_PAGES, O_SHMALL, O_SIZE,
    O_ARRAYS, O_SEMMNI, O_SEMS, O_SEMMNS, O_QUEUES, O_MSGMNI, O_MSGBYTES,
    O_MESSAGES, O_NCOLS };

static const struct column owner_cols[O_NCOLS] = {
	[O_OWNER] = { "OWNER", "user name", 0, COL_DEFAULT },
	[O_UID] = { "UID", "user id", 0, COL_RIGHT },
	[O_SEGMENTS] = { "SEGMENTS", "shm segments", 0,
	    COL_DEFAULT | COL_RIGHT },
	[O_SHMMNI] = { "SHMMNI%", "share of shmmni", 0, COL_RIGHT },
	[O_PAGES] = { "SHM-PAGES", "pages charged against shmall", 0,
	    COL_RIGHT },
	[O_SHMALL] = { "SHMALL%", "share of shmall", 0, COL_RIGHT },
	[O_SIZE] = { "SHM-SIZE", "bytes in segments", 0,
	    COL_DEFAULT | COL_RIGHT },
	[O_ARRAYS] = { "SEM-ARRAYS", "semaphore arrays", 0,
	    COL_DEFAULT | COL_RIGHT },
	[O_SEMMNI] = { "SEMMNI%", "share of SEMMNI", 0,
	    COL_DEFAULT | COL_RIGHT },
	[O_SEMS] = { "SEMAPHORES", "semaphores", 0, COL_DEFAULT | COL_RIGHT },
	[O_SEMMNS] = { "SEMMNS%", "share of SEMMNS", 0, COL_RIGHT },
	[O_QUEUES] = { "QUEUES", "message queues", 0,
	    COL_DEFAULT | COL_RIGHT },
	[O_MSGMNI] = { "MSGMNI%", "share of msgmni", 0, COL_RIGHT },
	[O_MSGBYTES] = { "MSG-BYTES", "bytes queued", 0,
	    COL_DEFAULT | COL_RIGHT },
	[O_MESSAGES] = { "MESSAGES", "messages queued", 0,
	    COL_DEFAULT | COL_RIGHT },
};

static const struct column_set cmd_owners_columns[] = {
	{ owner_cols, O_NCOLS },
	{ NULL, 0 },
};

/* v as a share of LIMIT, or null/"-" when there is no limit. */
static double
share(uint64_t v, const struct sysctl_value *sv, int field, bool *ok)
{
	*ok = sv->present && sv->v[field] > 0;
	return *ok ? (double)v / (double)sv->v[field] : 0;
}

static void
json_share(json_t *o, const char *key, uint64_t v,
    const struct sysctl_value *sv, int field)
{
	bool ok;
	double r = share(v, sv, field, &ok);

	json_object_set_new(o, key, ok ? json_real(r) : json_null());
}

static const char *
pct(uint64_t v, const struct sysctl_value *sv, int field, char *b,
    size_t len)
{
	bool ok;
	double r = share(v, sv, field, &ok);

	return ok ? render_percent(r, b, len) : "-";
}

/* One user's usage as a JSON object, the limits from SC. */
static json_t *
owner_json(const struct owner_usage *u, const struct sysctl_value *sc)
{
	json_t *o = json_object();

	json_object_set_new(o, "uid", json_integer(u->uid));
	json_object_set_new(o, "user", json_string(idname_user(u->uid)));
	json_set_u64(o, "shm_segments", u->shm_segments);
	json_share(o, "shmmni_ratio", u->shm_segments, &sc[SC_SHMMNI], 0);
	json_set_u64(o, "shm_pages", u->shm_pages);
	json_share(o, "shmall_ratio", u->shm_pages, &sc[SC_SHMALL], 0);
	json_set_u64(o, "shm_bytes", u->shm_bytes);
	json_set_u64(o, "sem_arrays", u->sem_arrays);
	json_share(o, "semmni_ratio", u->sem_arrays, &sc[SC_SEM],
	    SEM_SEMMNI);
	json_set_u64(o, "sem_semaphores", u->sem_sems);
	json_share(o, "semmns_ratio", u->sem_sems, &sc[SC_SEM], SEM_SEMMNS);
	json_set_u64(o, "msg_queues", u->msg_queues);
	json_share(o, "msgmni_ratio", u->msg_queues, &sc[SC_MSGMNI], 0);
	json_set_u64(o, "msg_bytes", u->msg_bytes);
	json_set_u64(o, "msg_messages", u->msg_messages);
	return o;
}

/* The owners document on stdout; an exit status. */
static int
owners_print_json(const struct kstate *ks, const struct owners *ow,
    int64_t now)
{
	json_t *root = render_envelope("owners", ks, now), *a = json_array();

	for (size_t i = 0; i < ow->n; i++)
		json_array_append_new(a, owner_json(&ow->v[i], ks->sysctl));
	json_object_set_new(root, "owners", a);
	return render_json_print(root) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* One user's usage as a table row, the limits from SC. */
static void
owner_row(struct table *t, const struct owner_usage *u,
    const struct sysctl_value *sc, const struct globals *g)
{
	char b[64];

	table_row(t);
	table_cell(t, O_OWNER, idname_user(u->uid));
	snprintf(b, sizeof(b), "%u", (unsigned)u->uid);
	table_cell(t, O_UID, b);
	table_cell(t, O_SEGMENTS, render_count(u->shm_segments, b, sizeof(b)));
	table_cell(t, O_SHMMNI, pct(u->shm_segments, &sc[SC_SHMMNI], 0, b,
	    sizeof(b)));
	table_cell(t, O_PAGES, render_count(u->shm_pages, b, sizeof(b)));
	table_cell(t, O_SHMALL, pct(u->shm_pages, &sc[SC_SHMALL], 0, b,
	    sizeof(b)));
	table_cell(t, O_SIZE, render_bytes(u->shm_bytes, g->bytes, b,
	    sizeof(b)));
	table_cell(t, O_ARRAYS, render_count(u->sem_arrays, b, sizeof(b)));
	table_cell(t, O_SEMMNI, pct(u->sem_arrays, &sc[SC_SEM], SEM_SEMMNI,
	    b, sizeof(b)));
	table_cell(t, O_SEMS, render_count(u->sem_sems, b, sizeof(b)));
	table_cell(t, O_SEMMNS, pct(u->sem_sems, &sc[SC_SEM], SEM_SEMMNS, b,
	    sizeof(b)));
	table_cell(t, O_QUEUES, render_count(u->msg_queues, b, sizeof(b)));
	table_cell(t, O_MSGMNI, pct(u->msg_queues, &sc[SC_MSGMNI], 0, b,
	    sizeof(b)));
	table_cell(t, O_MSGBYTES, render_bytes(u->msg_bytes, g->bytes, b,
	    sizeof(b)));
	table_cell(t, O_MESSAGES, render_count(u->msg_messages, b,
	    sizeof(b)));
}

/* The owners table on stdout; an exit status (usage for a bad -o). */
static int
owners_print_table(const struct command *self, const struct kstate *ks,
    const struct owners *ow, struct globals *g)
{
	struct table *t;
	char err[1024];

	t = table_new(owner_cols, O_NCOLS, g->columns, &g->view,
	    err, sizeof(err));
	if (t == NULL)
		return cli_usage_error(self, "%s", err);
	if (!g->noheadings)
		render_namespace_line(ks);
	for (size_t i = 0; i < ow->n; i++)
		owner_row(t, &ow->v[i], ks->sysctl, g);
	return table_print_free(t) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
cmd_owners(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct owners ow;
	struct kstate ks;
	bool done;
	int idx, status;

	status = cli_parse(self, argc, argv, g, NULL, NULL, &idx, &done);
	if (status != 0 || done)
		return status;
	status = cli_load_state(g, KS_SYSCTL | KS_OBJECTS, &ks);
	if (status != 0)
		return status;
	owners_build(&ks, &ow);
	if (g->format == FMT_JSON)
		status = owners_print_json(&ks, &ow, g->view.now);
	else
		status = owners_print_table(self, &ks, &ow, g);
	owners_release(&ow);
	kstate_release(&ks);
	return status;
}

const struct command cmd_owners_entry = {
	.name = "owners", .fn = cmd_owners,
	.summary = "usage summed per owning user",
	.opts = cmd_owners_opts, .flags = READS,
	.colsets = cmd_owners_columns
};
