/*
 * cmd_facts.c: 'ipctune facts', one flat JSON object of ipctune_* keys
 * that works unchanged as an Ansible local fact and a Facter external
 * fact.  Flat on purpose: no nesting, so every key is one fact.  Option
 * parsing and glue only; the numbers come from model.c, the orphan counts
 * and ipctune_status from the judgement of 'check' (checkrun.c), so the
 * facts and the monitoring say the same.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>


#include "checkrun.h"
#include "commands.h"
#include "model.h"
#include "orphanopts.h"
#include "render.h"

static const struct cli_opt cmd_facts_opts[] = {
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

/*
 * A value that may exceed 2^53 - 1 (shmmax, shmall and what derives from
 * them): KEY is a number, or null when too big for jq, JavaScript or
 * Puppet's 64-bit Integer; KEY_exact always holds the decimal digits, so
 * a fact consumer has one stable key to read exactly.
 */
static void
set_wide(json_t *o, const char *key, uint64_t v)
{
	char k[96], digits[24];

	snprintf(k, sizeof(k), "%s_exact", key);
	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	json_object_set_new(o, key, json_u64(v));
	json_object_set_new(o, k, json_string(digits));
}

/* Does resource I count in units that can pass 2^53 (bytes, pages)? */
static bool
resource_is_wide(int i)
{
	return i == R_SHMALL || i == R_SHMMAX || i == R_DEV_SHM ||
	    i == R_MQUEUE_BYTES;
}

static void
set_resource(json_t *o, const char *name, const char *what, bool has,
    uint64_t v, bool wide)
{
	char key[96];

	snprintf(key, sizeof(key), "ipctune_%s_%s", name, what);
	if (!has) {
		json_object_set_new(o, key, json_null());
		if (wide) {
			snprintf(key, sizeof(key), "ipctune_%s_%s_exact",
			    name, what);
			json_object_set_new(o, key, json_null());
		}
	} else if (wide) {
		set_wide(o, key, v);
	} else {
		json_object_set_new(o, key, json_u64(v));
	}
}

/*
 * Member ipctune_NAME_limit of R: the negative int its sysctl holds (an
 * int sysctl, never a wide one), else as set_resource() sets it.
 */
static void
set_limit(json_t *o, const char *name, const struct resource *r, bool wide)
{
	char key[96];

	if (!r->limit_signed) {
		set_resource(o, name, "limit", r->has_limit, r->limit, wide);
		return;
	}
	snprintf(key, sizeof(key), "ipctune_%s_limit", name);
	json_object_set_new(o, key, json_integer(r->limit_held));
}

/*
 * The orphaned and suspect objects per limit, from RUN when JUDGED (else
 * null: not judged, e.g. --from), and the verdict of 'check' in RES.
 */
static void
set_judgement(json_t *o, const struct orphanrun *run, bool judged,
    const struct mp_result *res, bool unknown, const char *note)
{
	char key[96], state[16];
	size_t i;

	/* each type's counts are named after the limit they count against */
	/* orphans are judged for the System V types (orphan.c) */
	for (int t = 0; t < IPC_NSYSV; t++) {
		const char *lim = resource_table[ipctype_table[t].limit].name;

		snprintf(key, sizeof(key), "ipctune_%s_orphaned", lim);
		json_object_set_new(o, key, judged ?
		    json_u64(run->r.norphans[t]) : json_null());
		snprintf(key, sizeof(key), "ipctune_%s_suspect", lim);
		json_object_set_new(o, key, judged ?
		    json_u64(run->r.nsuspect[t]) : json_null());
	}
	snprintf(state, sizeof(state), "%s",
	    mp_state_names[unknown ? MP_UNKNOWN : res->state]);
	for (i = 0; state[i] != '\0'; i++)
		state[i] = (char)tolower((unsigned char)state[i]);
	json_object_set_new(o, "ipctune_status", json_string(state));
	json_object_set_new(o, "ipctune_status_note", note[0] != '\0' ?
	    json_string(note) : json_null());
}

/* The members that describe ipctune and the namespace KS was read from. */
static void
set_host(json_t *o, const struct kstate *ks)
{
	json_object_set_new(o, "ipctune_schema_version",
	    json_integer(IPCTUNE_SCHEMA_VERSION));
	json_object_set_new(o, "ipctune_version",
	    json_string(IPCTUNE_VERSION));
	json_object_set_new(o, "ipctune_ipc_namespace_inode",
	    ks->host.ipc_ns_inode ? json_u64(ks->host.ipc_ns_inode) :
	    json_null());
	json_object_set_new(o, "ipctune_container",
	    ks->host.container_id[0] != '\0' ?
	    json_text(ks->host.container_id) : json_null());
	json_object_set_new(o, "ipctune_container_runtime",
	    ks->host.container_runtime[0] != '\0' ?
	    json_text(ks->host.container_runtime) : json_null());
	json_object_set_new(o, "ipctune_ipcmni_extend",
	    json_boolean(ks->host.ipcmni_extend));
	json_object_set_new(o, "ipctune_page_size_bytes",
	    json_u64(ks->host.page_size));
}

/* Members ipctune_KEY_FIELD of kernel.sem, one per field, or null. */
static void
set_sem(json_t *o, const struct sysctl_desc *d, const struct sysctl_value *v)
{
	char key[96];
	int64_t sf[SEM_NFIELDS];

	/* signed as the kernel holds them: SEMOPM -1 is -1 */
	sysctl_sem_fields(v, sf);
	for (int f = 0; f < SEM_NFIELDS; f++) {
		snprintf(key, sizeof(key), "ipctune_%s_%s", d->json_key,
		    sem_field_names[f]);
		json_object_set_new(o, key, v->present ?
		    json_integer((json_int_t)sf[f]) : json_null());
	}
}

/* Member ipctune_KEY of one sysctl (and KEY_exact of a wide one), or null. */
static void
set_sysctl(json_t *o, const struct sysctl_desc *d,
    const struct sysctl_value *v)
{
	char key[96];

	if (d->kind == SCK_SEM) {
		set_sem(o, d, v);
		return;
	}
	snprintf(key, sizeof(key), "ipctune_%s", d->json_key);
	if (d->kind == SCK_ULONG) {
		if (v->present) {
			set_wide(o, key, v->v[0]);
		} else {
			json_object_set_new(o, key, json_null());
			snprintf(key, sizeof(key), "ipctune_%s_exact",
			    d->json_key);
			json_object_set_new(o, key, json_null());
		}
	} else if (strcmp(d->unit, "boolean") == 0) {
		/* a JSON boolean, never the integer 0 or 1 */
		json_object_set_new(o, key, v->present ?
		    json_boolean(v->v[0] != 0) : json_null());
	} else {
		json_object_set_new(o, key, v->present ?
		    json_u64(v->v[0]) : json_null());
	}
}

/* Limit, used, free and used ratio of every resource of M. */
static void
set_resources(json_t *o, const struct model *m)
{
	char key[96];

	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *r = &m->res[i];
		const char *n = resource_table[i].name;
		bool wide = resource_is_wide(i);

		set_limit(o, n, r, wide);
		set_resource(o, n, "used", r->has_used, r->used, wide);
		set_resource(o, n, "free", r->has_free, r->free, wide);
		snprintf(key, sizeof(key), "ipctune_%s_used_ratio", n);
		json_object_set_new(o, key, r->has_ratio ?
		    json_real(r->ratio) : json_null());
	}
}

/* The count of M's findings at each of the warning and critical levels. */
static void
set_findings(json_t *o, const struct model *m)
{
	size_t nwarn = 0, ncrit = 0;

	for (size_t i = 0; i < m->nfindings; i++) {
		if (m->findings[i].level == FINDING_WARNING)
			nwarn++;
		else if (m->findings[i].level == FINDING_CRITICAL)
			ncrit++;
	}
	json_object_set_new(o, "ipctune_findings_warning", json_u64(nwarn));
	json_object_set_new(o, "ipctune_findings_critical", json_u64(ncrit));
}

/* The facts of KS and M as one flat object. */
static json_t *
facts_json(const struct kstate *ks, const struct model *m)
{
	json_t *o = json_object();

	set_host(o, ks);
	for (int i = 0; i < SC_COUNT; i++)
		set_sysctl(o, &sysctl_table[i], &ks->sysctl[i]);
	set_resources(o, m);
	set_findings(o, m);
	return o;
}

static int
cmd_facts(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct checkrun_args a;
	struct orphanrun_opts ro;
	struct orphanrun run;
	struct mp_result res;
	struct model m;
	json_t *o;
	char note[4600];
	bool done, judged, unknown;
	int idx, status;

	status = cli_parse(self, argc, argv, g, NULL, NULL, &idx, &done);
	if (status != 0 || done)
		return status;
	if (g->format_set && g->format != FMT_JSON)
		return cli_usage_error(self, "'facts' prints JSON only");
	orphanrun_init(&run);
	checkrun_defaults(&a);
	orphanopts_run(g, &ro);
	(void)checkrun_wants_objects(&ro, &a, &run);
	status = cli_load_state(g, KS_SYSCTL | KS_USAGE | KS_SYSV_OBJECTS, &run.ks);
	if (status != 0)
		return status;
	model_build(&run.ks, &m);
	/* the verdict 'check' gives with its defaults, by its own code */
	unknown = checkrun_judge(&ro, &a, &run, &m, &res, &judged, note,
	    sizeof(note)) < 0;
	o = facts_json(&run.ks, &m);
	set_judgement(o, &run, judged, &res, unknown, note);
	status = render_json_print(o) == 0 ? EXIT_OK : EXIT_FAIL;
	model_release(&m);
	orphanrun_release(&run);
	return status;
}

const struct command cmd_facts_entry = {
	.name = "facts", .fn = cmd_facts,
	.summary = "a flat JSON object for Ansible and Facter facts",
	.opts = cmd_facts_opts, .flags = READS | CMD_JSON_ONLY
};
