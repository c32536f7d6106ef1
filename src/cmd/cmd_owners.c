/*
 * cmd_owners.c: 'ipctune owners', IPC usage summed per owning user with
 * the share of each namespace-wide limit, so "apache holds 33,000
 * semaphore arrays" is one line.  Glue only.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "idname.h"
#include "ipctype.h"
#include "owners.h"
#include "render.h"

static const struct cli_opt cmd_owners_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

enum { O_OWNER, O_UID, O_SEGMENTS, O_SHMMNI, O_PAGES, O_SHMALL, O_SIZE,
    O_ARRAYS, O_SEMMNI, O_SEMS, O_SEMMNS, O_QUEUES, O_MSGMNI, O_MSGBYTES,
    O_MESSAGES, O_PSHM, O_PSHM_SIZE, O_PSHM_ALLOC, O_PSEMS, O_PSEM_ALLOC,
    O_PMQ, O_PMQ_BYTES, O_NCOLS };

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
	/* shown by default when the POSIX objects were read */
	[O_PSHM] = { "PSHM", "POSIX shared memory objects (/dev/shm)", 0,
	    COL_RIGHT },
	[O_PSHM_SIZE] = { "PSHM-SIZE", "their file sizes", 0, COL_RIGHT },
	[O_PSHM_ALLOC] = { "PSHM-ALLOC", "their bytes allocated in the tmpfs",
	    0, COL_RIGHT },
	[O_PSEMS] = { "PSEMS", "POSIX named semaphores", 0, COL_RIGHT },
	[O_PSEM_ALLOC] = { "PSEM-ALLOC", "their bytes allocated", 0,
	    COL_RIGHT },
	[O_PMQ] = { "PMQ", "POSIX message queues", 0, COL_RIGHT },
	[O_PMQ_BYTES] = { "PMQ-BYTES", "bytes queued in them", 0, COL_RIGHT },
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

/*
 * Each column once: its JSON member and how the value is read from a
 * struct owner_usage, in the order of the JSON object; the table puts
 * the cells where owner_cols says.
 */
enum owner_kind { OF_USER, OF_UID, OF_COUNT, OF_BYTES, OF_SHARE };

struct owner_field {
	int col;
	const char *json;
	enum owner_kind kind;
	size_t off;		/* the uint64_t in struct owner_usage */
	enum sysctl_id sc;	/* OF_SHARE: the limit, and its field */
	int field;
	int type;		/* a POSIX type: only when it was read */
};

#define OF(m) offsetof(struct owner_usage, m)

static const struct owner_field owner_fields[] = {
	{ O_UID, "uid", OF_UID, 0, 0, 0, 0 },
	{ O_OWNER, "user", OF_USER, 0, 0, 0, 0 },
	{ O_SEGMENTS, "shm_segments", OF_COUNT, OF(shm_segments), 0, 0, 0 },
	{ O_SHMMNI, "shmmni_ratio", OF_SHARE, OF(shm_segments), SC_SHMMNI,
	    0, 0 },
	{ O_PAGES, "shm_pages", OF_COUNT, OF(shm_pages), 0, 0, 0 },
	{ O_SHMALL, "shmall_ratio", OF_SHARE, OF(shm_pages), SC_SHMALL, 0, 0 },
	{ O_SIZE, "shm_bytes", OF_BYTES, OF(shm_bytes), 0, 0, 0 },
	{ O_ARRAYS, "sem_arrays", OF_COUNT, OF(sem_arrays), 0, 0, 0 },
	{ O_SEMMNI, "semmni_ratio", OF_SHARE, OF(sem_arrays), SC_SEM,
	    SEM_SEMMNI, 0 },
	{ O_SEMS, "sem_semaphores", OF_COUNT, OF(sem_sems), 0, 0, 0 },
	{ O_SEMMNS, "semmns_ratio", OF_SHARE, OF(sem_sems), SC_SEM,
	    SEM_SEMMNS, 0 },
	{ O_QUEUES, "msg_queues", OF_COUNT, OF(msg_queues), 0, 0, 0 },
	{ O_MSGMNI, "msgmni_ratio", OF_SHARE, OF(msg_queues), SC_MSGMNI, 0, 0 },
	{ O_MSGBYTES, "msg_bytes", OF_BYTES, OF(msg_bytes), 0, 0, 0 },
	{ O_MESSAGES, "msg_messages", OF_COUNT, OF(msg_messages), 0, 0, 0 },
	{ O_PSHM, "pshm_objects", OF_COUNT, OF(pshm_objects), 0, 0,
	    IPC_PSHM },
	{ O_PSHM_SIZE, "pshm_bytes", OF_BYTES, OF(pshm_bytes), 0, 0,
	    IPC_PSHM },
	{ O_PSHM_ALLOC, "pshm_allocated_bytes", OF_BYTES,
	    OF(pshm_alloc_bytes), 0, 0, IPC_PSHM },
	{ O_PSEMS, "psem_semaphores", OF_COUNT, OF(psem_objects), 0, 0,
	    IPC_PSEM },
	{ O_PSEM_ALLOC, "psem_allocated_bytes", OF_BYTES,
	    OF(psem_alloc_bytes), 0, 0, IPC_PSEM },
	{ O_PMQ, "pmq_queues", OF_COUNT, OF(pmq_queues), 0, 0, IPC_PMQ },
	{ O_PMQ_BYTES, "pmq_bytes", OF_BYTES, OF(pmq_bytes), 0, 0, IPC_PMQ },
};

/* Does KS have what field F counts (a System V type, or one read)? */
static bool
field_known(const struct owner_field *f, const struct kstate *ks)
{
	return f->type == 0 || ipctype_has(ks, (enum ipc_type)f->type);
}

#define NFIELDS (sizeof(owner_fields) / sizeof(owner_fields[0]))

/* The count F reads from U. */
static uint64_t
field_value(const struct owner_field *f, const struct owner_usage *u)
{
	uint64_t v;

	memcpy(&v, (const char *)u + f->off, sizeof(v));
	return v;
}

/* One user's usage as a JSON object, the limits from KS. */
static json_t *
owner_json(const struct owner_usage *u, const struct kstate *ks)
{
	const struct sysctl_value *sc = ks->sysctl;
	json_t *o = json_object();

	for (size_t i = 0; i < NFIELDS; i++) {
		const struct owner_field *f = &owner_fields[i];

		/* POSIX members only when their objects were read */
		if (!field_known(f, ks))
			continue;

		switch (f->kind) {
		case OF_UID:
			json_object_set_new(o, f->json, json_integer(u->uid));
			break;
		case OF_USER:
			json_object_set_new(o, f->json,
			    json_text(idname_user(u->uid)));
			break;
		case OF_COUNT:
		case OF_BYTES:
			json_set_u64(o, f->json, field_value(f, u));
			break;
		case OF_SHARE:
			json_share(o, f->json, field_value(f, u), &sc[f->sc],
			    f->field);
			break;
		}
	}
	return o;
}

/* The owners document on stdout; an exit status. */
static int
owners_print_json(const struct kstate *ks, const struct owners *ow,
    int64_t now)
{
	json_t *root = render_envelope("owners", ks, now), *a = json_array();

	for (size_t i = 0; i < ow->n; i++)
		json_array_append_new(a, owner_json(&ow->v[i], ks));
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
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct owner_field *f = &owner_fields[i];
		const char *text = b;

		switch (f->kind) {
		case OF_UID:
			snprintf(b, sizeof(b), "%u", (unsigned)u->uid);
			break;
		case OF_USER:
			text = idname_user(u->uid);
			break;
		case OF_COUNT:
			text = render_count(field_value(f, u), b, sizeof(b));
			break;
		case OF_BYTES:
			text = render_bytes(field_value(f, u), g->bytes, b,
			    sizeof(b));
			break;
		case OF_SHARE:
			text = pct(field_value(f, u), &sc[f->sc], f->field, b,
			    sizeof(b));
			break;
		}
		table_cell(t, f->col, text);
	}
}

/* The owners table on stdout; an exit status (usage for a bad -o). */
static int
owners_print_table(const struct command *self, const struct kstate *ks,
    const struct owners *ow, struct globals *g)
{
	struct column cols[O_NCOLS];
	struct table *t;
	char err[1024];

	memcpy(cols, owner_cols, sizeof(cols));
	for (size_t i = 0; i < NFIELDS; i++)
		if (owner_fields[i].type != 0 && ipctype_has(ks,
		    (enum ipc_type)owner_fields[i].type) &&
		    owner_fields[i].col != O_PSHM_SIZE)
			cols[owner_fields[i].col].flags |= COL_DEFAULT;
	t = table_new(cols, O_NCOLS, g->columns, &g->view,
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
