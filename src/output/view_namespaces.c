/*
 * view_namespaces.c: the table and the JSON document of 'namespaces',
 * one row per IPC namespace, and the distinct /dev/shm mounts with the
 * namespaces whose processes see them.  It formats judged rows; it does
 * not read the system, the clock or the command line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "view_namespaces.h"
#include "xmalloc.h"

enum { NC_IPC_NS, NC_CONTAINER, NC_PID, NC_PROCS, NC_TIGHTEST, NC_USE,
    NC_LIMITS, NC_DEV_SHM, NC_RUNTIME, NC_ID, NC_POD, NC_NAME, NC_CGROUP,
    NC_STATE };

const struct column view_ns_cols[VIEW_NS_NCOLS] = {
	[NC_IPC_NS] = { "IPC_NS", "inode of the IPC namespace", 0,
	    COL_DEFAULT | COL_RIGHT },
	[NC_CONTAINER] = { "CONTAINER", "container or unit (runtime:name or "
	    "short id), host, or the raw cgroup path", 0, COL_DEFAULT },
	[NC_PID] = { "PID", "a process in it (the lowest PID)", 0,
	    COL_DEFAULT | COL_RIGHT },
	[NC_PROCS] = { "PROCS", "processes in it", 0,
	    COL_DEFAULT | COL_RIGHT },
	[NC_TIGHTEST] = { "TIGHTEST", "the most used resource", 0,
	    COL_DEFAULT },
	[NC_USE] = { "USE%", "its used ratio", 0, COL_DEFAULT | COL_RIGHT },
	[NC_LIMITS] = { "LIMITS", "host, same as the host's, or the sysctls "
	    "that differ", 0, COL_DEFAULT },
	[NC_DEV_SHM] = { "DEV_SHM", "use of its /dev/shm: used/size", 0,
	    COL_DEFAULT | COL_RIGHT },
	[NC_RUNTIME] = { "RUNTIME", "the runtime or unit kind", 0, 0 },
	[NC_ID] = { "ID", "the full container id or unit name", 0, 0 },
	[NC_POD] = { "POD", "the pod, if any", 0, 0 },
	[NC_NAME] = { "NAME", "the runtime's name for the container", 0, 0 },
	[NC_CGROUP] = { "CGROUP", "the cgroup path of its lowest PID", 0, 0 },
	[NC_STATE] = { "STATE", "read, gone or denied", 0, 0 },
};
const size_t view_ns_ncols = sizeof(view_ns_cols) / sizeof(view_ns_cols[0]);

static const char *const state_names[] = {
	[NSI_READ] = "read", [NSI_NOT_READ] = "not_read",
	[NSI_GONE] = "gone", [NSI_DENIED] = "denied",
};

bool
view_ns_shown(const struct nsreport_row *row, const struct view_ns_opts *o)
{
	if (o->all || row->host)
		return true;
	if (row->ns->state == NSI_GONE)
		return false;
	return row->ns->state != NSI_READ || !row->idle;
}

static const char *
dev_text(uint64_t dev, char *buf, size_t len)
{
	snprintf(buf, len, "%u:%u", major((dev_t)dev), minor((dev_t)dev));
	return buf;
}

static void
row_cells(struct table *t, const struct nsreport_row *row,
    const struct render_opts *ro)
{
	const struct nsinfo *ns = row->ns;
	char b[512], c[64];

	snprintf(b, sizeof(b), "%" PRIu64, ns->ino);
	table_cell(t, NC_IPC_NS, b);
	table_cell(t, NC_CONTAINER, nsreport_who(row, b, sizeof(b)));
	snprintf(b, sizeof(b), "%d", (int)ns->pid);
	table_cell(t, NC_PID, b);
	table_cell(t, NC_PROCS, render_count(ns->npids, b, sizeof(b)));
	table_cell(t, NC_TIGHTEST, ns->state != NSI_READ ?
	    state_names[ns->state] : row->tightest >= 0 ?
	    resource_table[row->tightest].name : "-");
	table_cell(t, NC_USE, row->tightest >= 0 ?
	    render_percent(row->ratio, b, sizeof(b)) : "-");
	table_cell(t, NC_LIMITS, row->host ? "host" : row->differs < 0 ?
	    "-" : row->differs == 0 ? "same" : row->differing);
	if (ns->nshms > 0 && ns->shms[0].has_size) {
		render_bytes(ns->shms[0].used_bytes, ro->bytes, c, sizeof(c));
		snprintf(b, sizeof(b), "%s/", c);
		render_bytes(ns->shms[0].size_bytes, ro->bytes, c, sizeof(c));
		strncat(b, c, sizeof(b) - strlen(b) - 1);
		table_cell(t, NC_DEV_SHM, b);
	} else {
		table_cell(t, NC_DEV_SHM, "-");
	}
	table_cell(t, NC_RUNTIME, row->who.pat ? row->who.pat->runtime : "-");
	table_cell(t, NC_ID, row->who.pat ? row->who.id : "-");
	table_cell(t, NC_POD, row->who.pod[0] ? row->who.pod : "-");
	table_cell(t, NC_NAME, row->name ? row->name : "-");
	table_cell(t, NC_CGROUP, ns->ncgroups ? ns->cgroups[0] : "-");
	table_cell(t, NC_STATE, state_names[ns->state]);
	if (row->tightest >= 0)
		table_row_color(t, row->ratio >= 1.0 ? 2 :
		    row->ratio >= MODEL_WARN_RATIO ? 1 : 0);
}

/* One distinct /dev/shm and the namespaces that see it. */
struct shm_seen {
	const struct nsinfo_shm *shm;
	uint64_t *inos;
	size_t n, cap;
};

/* The distinct /dev/shm mounts of the shown rows of R. */
static struct shm_seen *
collect_shms(const struct nsreport *r, const struct view_ns_opts *o,
    size_t *np)
{
	struct shm_seen *v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		const struct nsinfo *ns = r->rows[i].ns;

		if (!view_ns_shown(&r->rows[i], o))
			continue;
		for (size_t k = 0; k < ns->nshms; k++) {
			size_t j;

			for (j = 0; j < n; j++)
				if (v[j].shm->dev == ns->shms[k].dev)
					break;
			if (j == n) {
				xgrow(&v, n, &cap, sizeof(*v));
				memset(&v[n], 0, sizeof(v[n]));
				v[n++].shm = &ns->shms[k];
			}
			xgrow(&v[j].inos, v[j].n, &v[j].cap,
			    sizeof(*v[j].inos));
			v[j].inos[v[j].n++] = ns->ino;
		}
	}
	*np = n;
	return v;
}

static void
free_shms(struct shm_seen *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].inos);
	free(v);
}

static const struct column shm_cols[] = {
	{ "DEVICE", "device of the tmpfs", 0, COL_DEFAULT },
	{ "SIZE", "its size", 0, COL_DEFAULT | COL_RIGHT },
	{ "USED", "bytes in use", 0, COL_DEFAULT | COL_RIGHT },
	{ "USE%", "used ratio", 0, COL_DEFAULT | COL_RIGHT },
	{ "IPC_NS", "the namespaces whose processes see it", 0,
	    COL_DEFAULT },
};

static int
print_shms(const struct nsreport *r, const struct view_ns_opts *o,
    const struct render_opts *ro, char *err, size_t errlen)
{
	size_t n;
	struct shm_seen *v = collect_shms(r, o, &n);
	struct table *t;
	char b[1024];

	t = table_new(shm_cols, 5, NULL, ro, err, errlen);
	if (t == NULL) {
		free_shms(v, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct nsinfo_shm *s = v[i].shm;
		size_t len = 0;

		table_row(t);
		table_cell(t, 0, dev_text(s->dev, b, sizeof(b)));
		table_cell(t, 1, s->has_size ? render_bytes(s->size_bytes,
		    ro->bytes, b, sizeof(b)) : "-");
		table_cell(t, 2, s->has_size ? render_bytes(s->used_bytes,
		    ro->bytes, b, sizeof(b)) : "-");
		table_cell(t, 3, s->has_size && s->size_bytes ?
		    render_percent((double)s->used_bytes /
		    (double)s->size_bytes, b, sizeof(b)) : "-");
		b[0] = '\0';
		for (size_t k = 0; k < v[i].n && len + 24 < sizeof(b); k++)
			len += (size_t)snprintf(b + len, sizeof(b) - len,
			    "%s%" PRIu64, k ? "," : "", v[i].inos[k]);
		table_cell(t, 4, b);
	}
	free_shms(v, n);
	if (!ro->noheadings)
		printf("\n");
	return table_print_free(t);
}

/* The figures of resource I of M as a JSON object. */
static json_t *
json_resource(const struct resource *res, int i)
{
	json_t *o = json_object();

	json_object_set_new(o, "resource",
	    json_string(resource_table[i].name));
	json_set_limit(o, "limit", res);
	if (res->has_used)
		json_set_u64(o, "used", res->used);
	else
		json_object_set_new(o, "used", json_null());
	json_object_set_new(o, "ratio", res->has_ratio ?
	    json_real(res->ratio) : json_null());
	return o;
}

static json_t *
json_who(const struct nsreport_row *row)
{
	json_t *o;

	if (row->who.pat == NULL)
		return json_null();
	o = json_object();
	json_object_set_new(o, "kind", json_string(row->who.pat->container ?
	    "container" : "unit"));
	json_object_set_new(o, "runtime", json_string(row->who.pat->runtime));
	json_object_set_new(o, "id", json_text(row->who.id));
	json_object_set_new(o, "name", row->name ? json_text(row->name) :
	    json_null());
	json_object_set_new(o, "pod", row->who.pod[0] ?
	    json_text(row->who.pod) : json_null());
	return o;
}

static json_t *
json_figures(const struct nsreport_row *row)
{
	const struct nsinfo *ns = row->ns;
	json_t *res, *sc;

	if (ns->state != NSI_READ)
		return json_null();
	res = json_array();
	sc = json_object();
	for (int i = 0; i < R_COUNT; i++)
		json_array_append_new(res, json_resource(&row->m.res[i], i));
	for (int i = 0; i < SC_COUNT; i++)
		if (ns->ks.sysctl[i].present)
			json_object_set_new(sc, sysctl_table[i].name,
			    json_text(ns->ks.sysctl[i].raw));
	return json_pack("{s:o,s:o}", "resources", res, "sysctls", sc);
}

/* The words of the comma-separated LIST as a JSON array. */
static json_t *
json_list(const char *list)
{
	json_t *a = json_array();

	while (*list != '\0') {
		size_t n = strcspn(list, ",");

		if (n > 0)
			json_array_append_new(a, json_stringn(list, n));
		list += n;
		if (*list == ',')
			list++;
	}
	return a;
}

static json_t *
json_row(const struct nsreport_row *row)
{
	const struct nsinfo *ns = row->ns;
	json_t *o = json_object(), *a = json_array(), *d = json_array();
	char b[32];

	json_object_set_new(o, "ipc_ns", json_integer((json_int_t)ns->ino));
	json_object_set_new(o, "host", json_boolean(row->host));
	json_object_set_new(o, "state", json_string(state_names[ns->state]));
	json_object_set_new(o, "reason", ns->why[0] ? json_text(ns->why) :
	    json_null());
	json_object_set_new(o, "pid", json_integer(ns->pid));
	json_object_set_new(o, "processes", json_integer((json_int_t)
	    ns->npids));
	json_object_set_new(o, "owner", json_who(row));
	json_object_set_new(o, "containers", json_integer((json_int_t)
	    row->ncontainers));
	for (size_t i = 0; i < ns->ncgroups; i++)
		json_array_append_new(a, json_text(ns->cgroups[i]));
	json_object_set_new(o, "cgroups", a);
	json_object_set_new(o, "idle", json_boolean(row->idle));
	json_object_set_new(o, "tightest", row->tightest >= 0 ?
	    json_resource(&row->m.res[row->tightest], row->tightest) :
	    json_null());
	json_object_set_new(o, "limits_differ", row->differs < 0 ?
	    json_null() : json_boolean(row->differs));
	json_object_set_new(o, "differing_sysctls", json_list(row->differs >
	    0 ? row->differing : ""));
	for (size_t i = 0; i < ns->nshms; i++)
		json_array_append_new(d, json_pack("{s:s,s:o,s:o}", "device",
		    dev_text(ns->shms[i].dev, b, sizeof(b)), "size_bytes",
		    ns->shms[i].has_size ? json_u64(ns->shms[i].size_bytes) :
		    json_null(), "used_bytes", ns->shms[i].has_size ?
		    json_u64(ns->shms[i].used_bytes) : json_null()));
	json_object_set_new(o, "dev_shm", d);
	json_object_set_new(o, "figures", json_figures(row));
	return o;
}

static int
print_json(const struct nsreport *r, const struct view_ns_opts *o,
    const struct render_opts *ro)
{
	json_t *root = render_envelope("namespaces", NULL, ro->now);
	json_t *a = json_array();

	json_object_set_new(root, "host_ipc_ns", o->host_ino ?
	    json_integer((json_int_t)o->host_ino) : json_null());
	json_object_set_new(root, "processes", json_integer((json_int_t)
	    o->nprocs));
	json_object_set_new(root, "processes_vanished",
	    json_integer((json_int_t)o->nvanished));
	json_object_set_new(root, "processes_unreadable",
	    json_integer((json_int_t)o->nunreadable));
	for (size_t i = 0; i < r->nrows; i++)
		if (view_ns_shown(&r->rows[i], o))
			json_array_append_new(a, json_row(&r->rows[i]));
	json_object_set_new(root, "namespaces", a);
	return render_json_print(root);
}

int
view_namespaces(const struct nsreport *r, const struct view_ns_opts *o,
    const struct render_opts *ro, char *err, size_t errlen)
{
	struct table *t;

	if (ro->format == FMT_JSON)
		return print_json(r, o, ro);
	t = table_new(view_ns_cols, view_ns_ncols, ro->columns, ro, err,
	    errlen);
	if (t == NULL)
		return -1;
	for (size_t i = 0; i < r->nrows; i++) {
		if (!view_ns_shown(&r->rows[i], o))
			continue;
		table_row(t);
		row_cells(t, &r->rows[i], ro);
	}
	if (table_print_free(t) < 0)
		return -1;
	return print_shms(r, o, ro, err, errlen);
}
