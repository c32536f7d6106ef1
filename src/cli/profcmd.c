/*
 * profcmd.c: glue shared by the profile commands.  It reads the
 * environment for the search path (IPCTUNE_PROFILE_PATH) and finds the
 * build tree from /proc/self/exe so tests run uninstalled; the loading
 * itself is profile.c.  Like the cmd_*.c files it holds no analysis, and
 * unlike them it prints nothing.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profcmd.h"
#include "render.h"
#include "state.h"
#include "statedir.h"
#include "xmalloc.h"

#ifndef IPCTUNE_DATADIR
#define IPCTUNE_DATADIR "/usr/local/share/ipctune"
#endif
#ifndef IPCTUNE_SYSCONFDIR
#define IPCTUNE_SYSCONFDIR "/etc"
#endif

void
profcmd_init(struct profcmd *pc)
{
	memset(pc, 0, sizeof(*pc));
}

void
profcmd_release(struct profcmd *pc)
{
	for (size_t i = 0; i < pc->nsets; i++)
		free(pc->set_buf[i]);
	for (size_t i = 0; i < pc->ndirs; i++)
		free(pc->dir_buf[i]);
	for (size_t i = 0; i < pc->nprofiles; i++)
		profile_free(pc->profiles[i]);
	profcmd_init(pc);
}

int
profcmd_option(struct profcmd *pc, int id, const char *arg, char *err,
    size_t errlen)
{
	char *eq, *buf;

	switch (id) {
	case PO_PROFILE:
		if (pc->nnames >= PROFCMD_MAX_PROFILES) {
			snprintf(err, errlen, "too many profiles (the limit is "
			    "%d)", PROFCMD_MAX_PROFILES);
			return -1;
		}
		pc->names[pc->nnames++] = arg;
		break;
	case PO_SET:
		eq = strchr(arg, '=');
		if (eq == NULL || eq == arg || eq[1] == '\0') {
			snprintf(err, errlen, "invalid --set '%s' (use "
			    "NAME=EXPR)", arg);
			return -1;
		}
		if (pc->nsets >= PROFCMD_MAX_SETS) {
			snprintf(err, errlen, "too many --set options");
			return -1;
		}
		buf = xstrdup(arg);
		buf[eq - arg] = '\0';
		pc->set_buf[pc->nsets] = buf;
		pc->sets[pc->nsets].name = buf;
		pc->sets[pc->nsets].expr = buf + (eq - arg) + 1;
		pc->nsets++;
		break;
	case PO_PROFILE_DIR:
		if (pc->nextra >= PROFCMD_MAX_DIRS) {
			snprintf(err, errlen, "too many --profile-dir options");
			return -1;
		}
		pc->extra_dirs[pc->nextra++] = arg;
		break;
	case PO_EXACT:
		pc->exact = true;
		break;
	case PO_FORCE:
		pc->force = true;
		break;
	case PO_DRY_RUN:
		pc->dry_run = true;
		break;
	case PO_RUNTIME:
		pc->runtime = true;
		break;
	case PO_PERSIST:
		pc->persist = true;
		break;
	case PO_DROPIN:
		if (arg[0] != '/') {
			snprintf(err, errlen, "--dropin needs an absolute path, "
			    "not '%s'", arg);
			return -1;
		}
		pc->dropin = arg;
		break;
	case PO_SYSCTL_ROOT:
		pc->sysctl_root = arg;
		break;
	case PO_FOR:
		if (platform_parse(arg, &pc->platform) < 0) {
			snprintf(err, errlen, "unknown platform '%s' for --for "
			    "(docker, compose, kubernetes, podman)", arg);
			return -1;
		}
		pc->for_set = true;
		break;
	}
	return 0;
}

int
profcmd_opt_handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	char err[256];

	if (profcmd_option(ctx, id, arg, err, sizeof(err)) < 0)
		return cli_usage_error(self, "%s", err);
	return 0;
}

char *
profcmd_platform(const struct profcmd *pc, const struct recommendation *r,
    const struct kstate *ks)
{
	struct platform_input in;
	bool other = ks->host.target_pid != 0 || ks->host.ns_path[0] != '\0';

	platform_from_rec(r, &in);
	if (ks->usage.has_dev_shm) {
		in.has_shm = true;
		in.shm_bytes = platform_shm_bytes(ks->usage.dev_shm_used_bytes,
		    ks->usage.dev_shm_size_bytes, other);
	}
	return platform_render(pc->platform, &in);
}

static void
add_dir(struct profcmd *pc, const char *dir)
{
	if (pc->ndirs >= sizeof(pc->dirs) / sizeof(pc->dirs[0]))
		return;
	pc->dir_buf[pc->ndirs] = xstrdup(dir);
	pc->dirs[pc->ndirs] = pc->dir_buf[pc->ndirs];
	pc->ndirs++;
}

/* The source tree the running binary was built in, if it is one. */
static bool
build_tree(char *buf, size_t len)
{
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL)
		return false;
	*slash = '\0';
	snprintf(probe, sizeof(probe), "%s/src/cmd/main.c", exe);
	if (stat(probe, &st) < 0)
		return false;
	if ((size_t)snprintf(buf, len, "%.*s/profiles", PATH_MAX - 16, exe) >=
	    len)
		return false;
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode);
}

void
profcmd_search(struct profcmd *pc)
{
	const char *env = getenv("IPCTUNE_PROFILE_PATH");
	char buf[PATH_MAX + 16];

	if (env != NULL && *env != '\0') {
		char *copy = xstrdup(env), *tok, *save = NULL;

		for (tok = strtok_r(copy, ":", &save); tok != NULL;
		    tok = strtok_r(NULL, ":", &save))
			add_dir(pc, tok);
		free(copy);
	} else if (build_tree(buf, sizeof(buf))) {
		add_dir(pc, buf);
	} else {
		add_dir(pc, IPCTUNE_DATADIR "/profiles");
	}
	add_dir(pc, IPCTUNE_SYSCONFDIR "/ipctune/profiles");
	for (size_t i = 0; i < pc->nextra; i++)
		add_dir(pc, pc->extra_dirs[i]);
	pc->search.dirs = pc->dirs;
	pc->search.ndirs = pc->ndirs;
	pc->search.strict_modes = geteuid() == 0;
}

void
profcmd_facts(const struct kstate *ks, struct profile_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->ram_bytes = ks->host.ram_bytes;
	f->page_size = ks->host.page_size;
	f->ncpu = ks->host.ncpu;
	f->has_swap = ks->host.has_swap;
	f->swap_bytes = ks->host.swap_bytes;
	f->sysctl = ks->sysctl;
}

int
profcmd_load(struct profcmd *pc, const struct kstate *ks, char *err,
    size_t errlen)
{
	struct profile_facts f;

	if (pc->ndirs == 0)
		profcmd_search(pc);
	profcmd_facts(ks, &f);
	for (size_t i = 0; i < pc->nsets; i++)
		pc->sets[i].used = false;
	for (size_t i = 0; i < pc->nnames; i++) {
		struct profile *p = xmalloc(sizeof(*p));

		profile_init(p);
		pc->profiles[pc->nprofiles++] = p;
		if (profstore_load(pc->names[i], &pc->search, p, err,
		    errlen) < 0 || profile_evaluate(p, &f, pc->sets,
		    pc->nsets, err, errlen) < 0)
			return -1;
	}
	for (size_t i = 0; i < pc->nsets; i++)
		if (!pc->sets[i].used) {
			snprintf(err, errlen, "--set %s: no variable '%s' in "
			    "the chosen profiles (see 'ipctune profiles show "
			    "NAME')", pc->sets[i].name, pc->sets[i].name);
			return -1;
		}
	return 0;
}

const char *
profcmd_names(const struct profcmd *pc, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < pc->nnames && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i ? ", " : "", pc->names[i]);
	return buf;
}

const char *
profcmd_vars(const struct profcmd *pc, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < pc->nprofiles; i++) {
		const struct profile *p = pc->profiles[i];

		for (size_t k = 0; k < p->nvars && used < len; k++)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s=%" PRIu64 "%s", used ? ", " : "",
			    p->vars[k].name, p->vars[k].value,
			    p->vars[k].from_set ? " (--set)" : "");
	}
	return buf;
}

void
profcmd_json_value(json_t *obj, const char *key, enum sysctl_id id,
    const uint64_t *v)
{
	json_t *o;

	if (sysctl_table[id].kind != SCK_SEM) {
		json_set_u64(obj, key, v[0]);
		return;
	}
	o = json_object();
	for (int k = 0; k < SEM_NFIELDS; k++) {
		int64_t neg;

		/* a negative field the kernel held (sysctl_held_value) */
		if (sysctl_sem_negative(v[k], &neg))
			json_object_set_new(o, sem_field_names[k],
			    json_integer((json_int_t)neg));
		else
			json_set_u64(o, sem_field_names[k], v[k]);
	}
	json_object_set_new(obj, key, o);
}

json_t *
profcmd_rec_json(const struct recommendation *r, const struct kstate *ks)
{
	json_t *a = json_array();

	for (int i = 0; i < SC_COUNT; i++) {
		const struct rec_item *it = &r->item[i];
		uint64_t cur[SEM_NFIELDS], want[SEM_NFIELDS], rec[SEM_NFIELDS];
		json_t *o;

		if (!it->present)
			continue;
		for (int k = 0; k < SEM_NFIELDS; k++) {
			cur[k] = it->f[k].current;
			want[k] = it->f[k].target;
			rec[k] = it->f[k].recommended;
		}
		o = json_object();
		json_object_set_new(o, "sysctl",
		    json_string(sysctl_table[i].name));
		if (ks->sysctl[i].present)
			profcmd_json_value(o, "current", (enum sysctl_id)i,
			    cur);
		else
			json_object_set_new(o, "current", json_null());
		profcmd_json_value(o, "profile", (enum sysctl_id)i, want);
		profcmd_json_value(o, "recommended", (enum sysctl_id)i, rec);
		json_object_set_new(o, "action",
		    json_string(rec_action_names[it->action]));
		json_object_set_new(o, "clamped", json_boolean(it->clamped));
		json_object_set_new(o, "below_usage",
		    json_boolean(it->below_usage));
		json_object_set_new(o, "why", json_string(it->why));
		json_array_append_new(a, o);
	}
	return a;
}

int
profcmd_state_dir(char *buf, size_t len, char *err, size_t errlen)
{
	return statedir_resolve(statedir_getenv, geteuid(), buf, len, err, errlen);
}

void
profcmd_warnings(const struct globals *g, const struct applytx_warnings *w)
{
	for (int i = 0; i < w->n; i++)
		cli_warn(g, "%s", w->text[i]);
}
