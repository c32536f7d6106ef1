/*
 * applytx.c: the apply and rollback transaction, from the plan to the
 * undo.  The record of an apply is saved before anything changes and
 * withdrawn if it fails, so a kill at any moment leaves a record that
 * rollback can act on or none; every undo step says how it went.  Effects
 * only through struct applytx_effects; nothing here prints.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "applytx.h"
#include "devshm.h"
#include "devshmfs.h"
#include "drift.h"
#include "dropin.h"
#include "rootfile.h"
#include "sha256.h"
#include "sysctld_load.h"
#include "xmalloc.h"

static int
nfields(enum sysctl_id id)
{
	return sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
}

static bool
same(enum sysctl_id id, const uint64_t *a, const uint64_t *b)
{
	for (int k = 0; k < nfields(id); k++)
		if (a[k] != b[k])
			return false;
	return true;
}

static const char *
advice(int e)
{
	return e == EACCES || e == EPERM ? " (run as root)" : "";
}

/* ---- the runtime values ---- */

/* Put back the changes [0, upto] that differ from their old value. */
static void
restore(const struct applytx_effects *fx, struct ksysctl_change *c,
    size_t upto, char *note, size_t notelen)
{
	char text[128], msg[256];
	uint64_t now[SEM_NFIELDS];
	size_t used = 0;

	note[0] = '\0';
	for (size_t i = upto + 1; i-- > 0;) {
		if (!c[i].written || !c[i].had_old)
			continue;
		if (fx->sysctl_read(c[i].id, now, msg, sizeof(msg)) == 0 &&
		    same(c[i].id, now, c[i].old_value)) {
			c[i].changed = false;
			continue;
		}
		sysctl_format(c[i].id, c[i].old_value, text, sizeof(text));
		if (fx->sysctl_write(c[i].id, text) == 0 &&
		    fx->sysctl_read(c[i].id, now, msg, sizeof(msg)) == 0 &&
		    same(c[i].id, now, c[i].old_value)) {
			c[i].restored = true;
			c[i].changed = false;
		} else {
			c[i].restore_failed = true;
		}
		used += (size_t)snprintf(note + used, notelen > used ?
		    notelen - used : 0, "%s%s '%s'", used ? "," : "",
		    c[i].restore_failed ? " COULD NOT RESTORE" : " restored",
		    sysctl_table[c[i].id].name);
		if (used >= notelen)
			used = notelen - 1;
	}
}

/* The failure of change I (write result R, read back RR), into ERR. */
static void
runtime_error(const struct ksysctl_change *c, int r, int e, int rr,
    const char *msg, const char *text, const char *note, char *err,
    size_t errlen)
{
	const char *name = sysctl_table[c->id].name;

	if (note[0] == '\0')
		note = " nothing to restore";
	if (r < 0)
		snprintf(err, errlen, "cannot write '%s': %s%s;%s", name,
		    strerror(e), advice(e), note);
	else if (rr < 0)
		/* nothing was read: say the read failed */
		snprintf(err, errlen, "cannot read back '%s' after the write: "
		    "%s;%s", name, msg, note);
	else
		snprintf(err, errlen, "'%s' reads back '%s' after the write;%s",
		    name, text, note);
}

/*
 * Did a field that change C keeps as planned (its value PLANNED then)
 * change in the kernel since?  kernel.sem is written whole: the kept
 * field would go back to PLANNED, undoing that change (a SEMOPM of -1
 * kept, over a limit set since).  True with ERR.
 */
static bool
kept_changed(const struct ksysctl_change *c, const uint64_t *planned,
    char *err, size_t errlen)
{
	char a[128], b[128];

	for (int k = 0; nfields(c->id) > 1 && k < nfields(c->id); k++)
		if (c->new_value[k] == planned[k] &&
		    c->old_value[k] != planned[k]) {
			sysctl_format(c->id, planned, a, sizeof(a));
			sysctl_format(c->id, c->old_value, b, sizeof(b));
			snprintf(err, errlen, "refusing '%s': %s changed since "
			    "the plan ('%s' then, '%s' now), which would write "
			    "it back; nothing written, run again",
			    sysctl_table[c->id].name, sem_field_names[k], a, b);
			return true;
		}
	return false;
}

int
applytx_runtime(const struct applytx_effects *fx,
    const struct ksysctl_opts *o, struct ksysctl_change *c, size_t n,
    char *err, size_t errlen)
{
	char text[128], msg[256], note[512];
	uint64_t now[SEM_NFIELDS] = { 0 };

	for (size_t i = 0; i < n; i++) {
		c[i].written = c[i].changed = c[i].restored = false;
		c[i].restore_failed = false;
		if (ksysctl_check(o, &c[i], err, errlen) < 0)
			return -1;
	}
	/* the values to restore, read once all are known to be valid */
	for (size_t i = 0; i < n; i++) {
		uint64_t planned[SEM_NFIELDS];

		memcpy(planned, c[i].old_value, sizeof(planned));
		if (fx->sysctl_read(c[i].id, c[i].old_value, err, errlen) < 0)
			return -1;
		c[i].had_old = true;
		if (!o->restore && kept_changed(&c[i], planned, err, errlen))
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int r, e = 0, rr = 0;

		if (same(c[i].id, c[i].old_value, c[i].new_value))
			continue;
		sysctl_format(c[i].id, c[i].new_value, text, sizeof(text));
		c[i].written = true;
		r = fx->sysctl_write(c[i].id, text);
		e = errno;
		if (r == 0) {
			rr = fx->sysctl_read(c[i].id, now, msg, sizeof(msg));
			if (rr == 0 && same(c[i].id, now, c[i].new_value)) {
				c[i].changed = true;
				continue;
			}
			e = errno;
			if (rr == 0)
				sysctl_format(c[i].id, now, text,
				    sizeof(text));
		}
		restore(fx, c, i, note, sizeof(note));
		runtime_error(&c[i], r, e, rr, msg, text, note, err, errlen);
		return -1;
	}
	return 0;
}

/*
 * Write the old values of the N changes C back, newest first; 0, or -1
 * with ERR (then, all or nothing, the values are as C left them).
 */
static int
runtime_back(const struct applytx_effects *fx, uint64_t ipc_mni,
    const struct ksysctl_change *c, size_t n, char *err, size_t errlen)
{
	struct ksysctl_opts ko = { .root = "", .ipc_mni = ipc_mni };
	struct ksysctl_change back[SC_COUNT];

	for (size_t i = 0; i < n; i++) {
		back[i] = c[n - 1 - i];
		memcpy(back[i].new_value, c[n - 1 - i].old_value,
		    sizeof(back[i].new_value));
	}
	/* the old values are ones the kernel held, negatives included */
	ko.restore = true;
	return applytx_runtime(fx, &ko, back, n, err, errlen);
}

/* ---- stale temporary files ---- */

void
applytx_clean_stale(const struct applytx_effects *fx, const char *path,
    struct applytx_warnings *w)
{
	char err[PATH_MAX + 256];
	int n = 0;

	w->n = 0;
	if (fx->clean_stale(path, &n, err, sizeof(err)) < 0)
		snprintf(w->text[w->n++], sizeof(w->text[0]), "%s", err);
	if (n > 0)
		snprintf(w->text[w->n++], sizeof(w->text[0]), "removed %d "
		    "stale temporary file%s of '%s' left by a killed run", n,
		    n == 1 ? "" : "s", path);
}

/* The record's stale temporary files in DIR, with CLEAN. */
static void
clean_record(const struct applytx_effects *fx, const char *dir, bool clean,
    struct applytx_warnings *w)
{
	char spath[PATH_MAX];

	w->n = 0;
	if (!clean)
		return;
	state_path(dir, spath, sizeof(spath));
	applytx_clean_stale(fx, spath, w);
}

int
applytx_lock(const struct applytx_effects *fx, const char *dir, int *fdp,
    struct applytx_warnings *w, char *err, size_t errlen)
{
	w->n = 0;
	if (fx->lock(dir, fdp, err, errlen) < 0)
		return -1;
	/* under the lock: no apply or rollback of ours is writing */
	clean_record(fx, dir, true, w);
	return 0;
}

void
applytx_unlock(const struct applytx_effects *fx, int fd)
{
	fx->unlock(fd);
}

/* ---- the apply plan ---- */

void
applytx_plan_init(struct applytx_plan *ap)
{
	memset(ap, 0, sizeof(*ap));
}

void
applytx_plan_release(struct applytx_plan *ap)
{
	free(ap->old_text);
	free(ap->new_text);
	free(ap->plan_text);
	free(ap->shm_old);
	free(ap->shm_new);
	for (size_t i = 0; i < ap->nproblems; i++)
		free(ap->problems[i]);
	free(ap->problems);
	applytx_plan_init(ap);
}

static void
problem(struct applytx_plan *ap, char *text)
{
	xgrow(&ap->problems, ap->nproblems, &ap->capproblems,
	    sizeof(*ap->problems));
	ap->problems[ap->nproblems++] = text;
}

void
applytx_plan_runtime(const struct applytx_opts *o,
    const struct recommendation *r, const struct kstate *ks,
    struct applytx_plan *ap)
{
	for (int i = 0; o->runtime && i < SC_COUNT; i++) {
		struct ksysctl_change *c;

		if (!r->item[i].present || r->item[i].action == REC_KEEP)
			continue;
		c = &ap->changes[ap->nchanges++];
		memset(c, 0, sizeof(*c));
		c->id = (enum sysctl_id)i;
		for (int k = 0; k < SEM_NFIELDS; k++)
			c->new_value[k] = r->item[i].f[k].recommended;
		/* as the kernel holds it, for rollback: SEMOPM -1 stays -1 */
		sysctl_held_value(c->id, &ks->sysctl[i], c->old_value);
	}
}

int
applytx_dropin_load(const struct applytx_effects *fx,
    struct applytx_plan *ap, char *err, size_t errlen)
{
	return fx->file_read(ap->path, &ap->old_text, err, errlen);
}

/* The drop-in of R, through the checked generator (dropin.c). */
static int
render_dropin(const struct applytx_effects *fx, const struct applytx_opts *o,
    const struct recommendation *r, char **text, char *err, size_t errlen)
{
	struct dropin_line lines[SC_COUNT];
	size_t n = 0;

	for (int i = 0; i < SC_COUNT; i++) {
		uint64_t v[SEM_NFIELDS];

		if (!r->item[i].present)
			continue;
		for (int k = 0; k < SEM_NFIELDS; k++)
			v[k] = r->item[i].f[k].recommended;
		lines[n].key = sysctl_table[i].name;
		sysctl_format((enum sysctl_id)i, v, lines[n].value,
		    sizeof(lines[n].value));
		n++;
	}
	return dropin_generate(o->names, o->vars, fx->now(), lines, n, text,
	    err, errlen);
}

/*
 * May apply write PATH?  Only a "*.conf" file of a sysctl.d directory
 * (or /etc/sysctl.conf) under --sysctl-root, and only over a file that
 * holds nothing but what ipctune writes (its header, allowlisted IPC
 * lines), unless --force.  0, or -1 with ERR.
 */
static int
check_target(const struct applytx_opts *o, const char *path,
    const char *old_text, char *err, size_t errlen)
{
	struct dropin_foreign *f;
	bool sysctld;
	size_t nf;

	if (o->force)
		return 0;
	if (!dropin_location_ok(path, o->sysctl_root, &sysctld) || !sysctld) {
		snprintf(err, errlen, "refusing to write '%s': not a '*.conf' "
		    "file in a sysctl.d directory (/etc/sysctl.d, "
		    "/run/sysctl.d, /usr/local/lib/sysctl.d, "
		    "/usr/lib/sysctl.d, /lib/sysctl.d%s); --force writes it "
		    "anyway", path,
		    o->sysctl_root ? " under --sysctl-root" : "");
		return -1;
	}
	if (old_text == NULL)
		return 0;
	nf = dropin_foreign_lines(old_text, NULL, &f);
	if (nf > 0 || (!dropin_has_header(old_text) && *old_text != '\0')) {
		if (nf > 0)
			snprintf(err, errlen, "refusing to replace '%s': line "
			    "%d ('%.80s') was not written by ipctune; "
			    "--force replaces it anyway", path, f[0].line,
			    f[0].text);
		else
			snprintf(err, errlen, "refusing to replace '%s': it "
			    "was not written by ipctune (no ipctune header); "
			    "--force replaces it anyway", path);
		dropin_foreign_free(f, nf);
		return -1;
	}
	dropin_foreign_free(f, nf);
	return 0;
}

int
applytx_dropin_plan(const struct applytx_effects *fx,
    const struct applytx_opts *o, const struct recommendation *r,
    struct applytx_plan *ap, char *err, size_t errlen)
{
	char *body_old = NULL, *body_new;
	bool sysctld;

	if (check_target(o, ap->path, ap->old_text, err, errlen) < 0 ||
	    render_dropin(fx, o, r, &ap->new_text, err, errlen) < 0)
		return -1;
	/* --force accepts any path; ours to clean beside only this kind */
	ap->location_ok = dropin_location_ok(ap->path, o->sysctl_root,
	    &sysctld);
	body_new = dropin_body(ap->new_text);
	if (ap->old_text != NULL)
		body_old = dropin_body(ap->old_text);
	ap->dropin_changed = body_old == NULL ||
	    strcmp(body_old, body_new) != 0;
	free(body_old);
	free(body_new);
	return 0;
}

/* Why key I of R would not be as planned at boot under PLAN, if so. */
static void
precedence_key(const struct applytx_opts *o, const struct recommendation *r,
    int i, struct sysctld_plan *plan, int rules, struct applytx_plan *ap)
{
	enum sysctl_id id = (enum sysctl_id)i;
	const char *name = sysctl_table[i].name;
	const char *rname = sysctld_rules_names[rules];
	struct sysctld_winner w;
	struct sysctld_kvalue kv;
	char mine[128], boot[128], why[400];
	uint64_t v[SEM_NFIELDS], target[SEM_NFIELDS];
	bool rejected;

	for (int k = 0; k < SEM_NFIELDS; k++) {
		v[k] = r->item[i].f[k].recommended;
		target[k] = r->item[i].f[k].target;
	}
	sysctl_format(id, v, mine, sizeof(mine));
	/*
	 * verify's rule (drift_complies()): what the boot leaves must
	 * comply with the profile; a later file that sets more is no
	 * override to refuse
	 */
	rejected = sysctld_next_boot(plan, id, r->ipc_mni, &w, &kv, why,
	    sizeof(why));
	if (!rejected && drift_complies(id, kv.v, target, o->exact))
		return;
	sysctl_format(id, kv.v, boot, sizeof(boot));
	if (w.cancelled)
		problem(ap, xasprintf("'%s' would not be set at boot: '%s' "
		    "line %d has '-%s' after the drop-in (%s)", name, w.file,
		    w.line, name, rname));
	else if (rejected)
		problem(ap, xasprintf("'%s' line %d: %s: %s (%s)", w.file,
		    w.line, name, why, rname));
	else if (w.set && !w.is_extra)
		problem(ap, xasprintf("'%s' would be %s at boot, not %s: '%s' "
		    "line %d sets it after the drop-in (%s)", name, boot, mine,
		    w.file, w.line, rname));
}

int
applytx_precedence(const struct applytx_opts *o,
    const struct recommendation *r, struct applytx_plan *ap, char *err,
    size_t errlen)
{
	const char *root = o->sysctl_root ? o->sysctl_root : "";

	ap->dropin_read_at_boot = true;
	for (int rules = 0; rules < SYSCTLD_NRULES; rules++) {
		struct sysctld_plan plan;

		if (sysctld_load(root, (enum sysctld_rules)rules, ap->path,
		    ap->new_text, &plan, err, errlen) < 0)
			return -1;
		ap->read_by[rules] = plan.extra_read;
		if (!plan.extra_read) {
			ap->dropin_read_at_boot = false;
			if (plan.extra_shadowed_by != NULL)
				problem(ap, xasprintf("'%s' is hidden at boot "
				    "by '%s' of the same name (%s)", ap->path,
				    plan.extra_shadowed_by,
				    sysctld_rules_names[rules]));
			sysctld_plan_release(&plan);
			continue;
		}
		for (int i = 0; i < SC_COUNT; i++)
			if (r->item[i].present)
				precedence_key(o, r, i, &plan, rules, ap);
		sysctld_plan_release(&plan);
	}
	return 0;
}

/* ---- the apply transaction ---- */

/* What apply wrote and replaced, into REC, which names who asked. */
static void
fill_record(const struct applytx_effects *fx, const struct applytx_opts *o,
    const struct applytx_plan *ap, struct state_record *rec)
{
	rec->applied_at = fx->now();
	rec->exact = o->exact;
	rec->nruntime = 0;
	for (size_t i = 0; i < ap->nchanges; i++) {
		struct state_value *v = &rec->runtime[rec->nruntime++];

		v->id = ap->changes[i].id;
		memcpy(v->old_value, ap->changes[i].old_value,
		    sizeof(v->old_value));
		memcpy(v->new_value, ap->changes[i].new_value,
		    sizeof(v->new_value));
	}
	if (o->persist && ap->dropin_changed) {
		rec->persist = true;
		rec->dropin_path = xstrdup(ap->path);
		rec->dropin_existed = ap->old_text != NULL;
		rec->dropin_old = ap->old_text ? xstrdup(ap->old_text) : NULL;
		rec->dropin_new = xstrdup(ap->new_text);
	}
	if (ap->shm_changed) {
		rec->shm_persist = true;
		rec->shm_path = xstrdup(ap->shm_path);
		rec->shm_existed = ap->shm_old != NULL;
		rec->shm_old = ap->shm_old ? xstrdup(ap->shm_old) : NULL;
		rec->shm_new = xstrdup(ap->shm_new);
	}
	rec->shm_remounted = ap->shm_remounted;
	rec->shm_old_bytes = ap->shm_old_bytes;
	rec->shm_new_bytes = ap->shm_new_bytes;
	if (ap->plan_text != NULL)
		rec->plan = xstrdup(ap->plan_text);
	if (o->sysctl_root != NULL)
		rec->sysctl_root = xstrdup(o->sysctl_root);
	/* which namespace /proc/sys was: rollback must write the same one */
	if (fx->current_ns(&rec->ns_inode, &rec->ns_host) < 0) {
		rec->ns_inode = 0;
		rec->ns_host = -1;
	}
}

/* A drop-in that cannot be written is found before any change. */
static int
check_dir(const struct applytx_effects *fx, const char *path, char *err,
    size_t errlen)
{
	char dir[PATH_MAX], *slash;
	int e;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[slash == dir] = '\0';
	if (fx->access(dir, W_OK) == 0)
		return 0;
	e = errno;
	snprintf(err, errlen, "cannot write in '%s': %s%s: nothing changed",
	    dir, strerror(e), advice(e));
	errno = e;
	return -1;
}

/*
 * The directory of /dev/shm's boot file: a dev-shm.mount.d directory is
 * created (systemd reads every "*.conf" in it, systemd.unit(5)); then
 * it must be writable.
 */
static int
shm_dir(const struct applytx_effects *fx, const char *path, char *err,
    size_t errlen)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash > dir && strstr(dir,
	    "/dev-shm.mount.d/") != NULL) {
		*slash = '\0';
		if (fx->make_dir == NULL || fx->make_dir(dir, err, errlen) < 0)
			return -1;
	}
	return check_dir(fx, path, err, errlen);
}

/*
 * Read the drop-in back after the rename: exactly the text generated,
 * and no line a boot would apply that ipctune did not write.
 */
static int
reread_dropin(const struct applytx_effects *fx, const struct applytx_plan *ap,
    char *err, size_t errlen)
{
	struct dropin_foreign *f;
	char *now = NULL;
	size_t nf;
	int r = 0;

	if (fx->file_read(ap->path, &now, err, errlen) < 0)
		return -1;
	if (now == NULL) {
		snprintf(err, errlen, "'%s' is gone right after it was "
		    "written", ap->path);
		return -1;
	}
	nf = dropin_foreign_lines(now, ap->new_text, &f);
	if (nf > 0 || strcmp(now, ap->new_text) != 0) {
		snprintf(err, errlen, "'%s' read back does not hold what was "
		    "written%s%.80s%s", ap->path, nf > 0 ? " (line '" : "",
		    nf > 0 ? f[0].text : "", nf > 0 ? "')" : "");
		r = -1;
	}
	dropin_foreign_free(f, nf);
	free(now);
	return r;
}

/*
 * After a failed drop-in write: if the failure came after the rename
 * (syncing the directory), the new file is in place although the apply
 * is reported as failed and its state record is withdrawn.  Put the old
 * content back, so the next boot and 'rollback' agree with what we said.
 */
static void
undo_dropin(const struct applytx_effects *fx, const struct applytx_plan *ap,
    struct applytx_undo *u)
{
	char *now = NULL;
	int r;

	if (fx->file_read(ap->path, &now, u->dropin_err,
	    sizeof(u->dropin_err)) < 0 || now == NULL ||
	    strcmp(now, ap->new_text) != 0) {
		free(now);
		u->dropin_err[0] = '\0';
		return;
	}
	free(now);
	if (ap->old_text != NULL)
		r = fx->file_write(ap->path, ap->old_text, 0644, u->dropin_err,
		    sizeof(u->dropin_err));
	else
		r = fx->file_remove(ap->path, u->dropin_err,
		    sizeof(u->dropin_err));
	u->dropin = r < 0 ? APPLYTX_UNDO_FAILED : APPLYTX_UNDO_DONE;
}

/* Nothing changed after all: the previous record PREV stays the last. */
static void
undo_state(const struct applytx_effects *fx, const char *spath,
    const char *prev, struct applytx_undo *u)
{
	int r;

	if (prev != NULL)
		r = fx->file_write(spath, prev, 0600, u->state_err,
		    sizeof(u->state_err));
	else
		r = fx->file_remove(spath, u->state_err, sizeof(u->state_err));
	u->state = r < 0 ? APPLYTX_UNDO_FAILED : APPLYTX_UNDO_DONE;
}

/* The running values of AP back, if they were written. */
static void
writes_back(const struct applytx_effects *fx, uint64_t ipc_mni,
    struct applytx_plan *ap, struct applytx_undo *u)
{
	if (!ap->runtime_done)
		return;
	u->runtime = runtime_back(fx, ipc_mni, ap->changes, ap->nchanges,
	    u->runtime_err, sizeof(u->runtime_err)) < 0 ?
	    APPLYTX_UNDO_FAILED : APPLYTX_UNDO_DONE;
	ap->runtime_done = false;
}

/* /dev/shm's boot file: written, then read back exactly. */
static int
write_shm(const struct applytx_effects *fx, struct applytx_plan *ap,
    char *err, size_t errlen)
{
	char *now = NULL;
	int r = 0;

	if (fx->file_write(ap->shm_path, ap->shm_new, 0644, err, errlen) < 0 ||
	    fx->file_read(ap->shm_path, &now, err, errlen) < 0)
		return -1;
	if (now == NULL || strcmp(now, ap->shm_new) != 0) {
		snprintf(err, errlen, "'%s' read back does not hold what was "
		    "written", ap->shm_path);
		r = -1;
	}
	free(now);
	ap->shm_done = r == 0;
	return r;
}

/* After a failed write of /dev/shm's boot file: its old content back. */
static void
undo_shm(const struct applytx_effects *fx, const struct applytx_plan *ap,
    struct applytx_undo *u)
{
	char *now = NULL;
	int r;

	if (fx->file_read(ap->shm_path, &now, u->shm_err,
	    sizeof(u->shm_err)) < 0 || now == NULL ||
	    strcmp(now, ap->shm_new) != 0) {
		free(now);
		u->shm_err[0] = '\0';
		return;
	}
	free(now);
	if (ap->shm_old != NULL)
		r = fx->file_write(ap->shm_path, ap->shm_old, 0644, u->shm_err,
		    sizeof(u->shm_err));
	else
		r = fx->file_remove(ap->shm_path, u->shm_err,
		    sizeof(u->shm_err));
	u->shm = r < 0 ? APPLYTX_UNDO_FAILED : APPLYTX_UNDO_DONE;
}

/* The runtime and drop-in writes of AP; -1 with ERR after their undo. */
static int
apply_writes(const struct applytx_effects *fx, const struct applytx_opts *o,
    uint64_t ipc_mni, struct applytx_plan *ap, struct applytx_undo *u,
    char *err, size_t errlen)
{
	struct ksysctl_opts ko = { .root = "", .ipc_mni = ipc_mni };

	if (ap->nchanges > 0) {
		if (applytx_runtime(fx, &ko, ap->changes, ap->nchanges, err,
		    errlen) < 0)
			return -1;
		ap->runtime_done = true;
	}
	if (o->persist && ap->dropin_changed) {
		if (fx->file_write(ap->path, ap->new_text, 0644, err,
		    errlen) < 0 || reread_dropin(fx, ap, err, errlen) < 0) {
			undo_dropin(fx, ap, u);
			writes_back(fx, ipc_mni, ap, u);
			return -1;
		}
		ap->dropin_done = true;
	}
	if (ap->shm_changed && write_shm(fx, ap, err, errlen) < 0) {
		undo_shm(fx, ap, u);
		if (ap->dropin_done) {
			undo_dropin(fx, ap, u);
			ap->dropin_done = false;
		}
		writes_back(fx, ipc_mni, ap, u);
		return -1;
	}
	return 0;
}

int
applytx_apply(const struct applytx_effects *fx,
    const struct applytx_opts *o, uint64_t ipc_mni, struct applytx_plan *ap,
    struct state_record *rec, struct applytx_undo *u, char *err,
    size_t errlen)
{
	char spath[PATH_MAX], *prev = NULL;

	memset(u, 0, sizeof(*u));
	if (o->persist && ap->dropin_changed &&
	    check_dir(fx, ap->path, err, errlen) < 0)
		return -1;
	if (ap->shm_changed && shm_dir(fx, ap->shm_path, err, errlen) < 0)
		return -1;
	state_path(o->statedir, spath, sizeof(spath));
	if (fx->file_read(spath, &prev, err, errlen) < 0)
		return -1;
	fill_record(fx, o, ap, rec);
	if (fx->state_save(o->statedir, rec, err, errlen) < 0) {
		size_t len = strlen(err);

		snprintf(err + len, errlen - len, " (nothing changed)");
		free(prev);
		return -1;
	}
	if (apply_writes(fx, o, ipc_mni, ap, u, err, errlen) < 0) {
		undo_state(fx, spath, prev, u);
		free(prev);
		return -1;
	}
	free(prev);
	return 0;
}

/* ---- rollback ---- */

void
applytx_rollback_init(struct applytx_rollback *rb)
{
	memset(rb, 0, sizeof(*rb));
	state_record_init(&rb->rec);
	rb->action = "unchanged";
	rb->shm_action = "unchanged";
}

void
applytx_rollback_release(struct applytx_rollback *rb)
{
	state_record_release(&rb->rec);
	applytx_rollback_init(rb);
}

int
applytx_rollback_open(const struct applytx_effects *fx, const char *dir,
    struct applytx_rollback *rb, int *fdp, bool clean,
    struct applytx_warnings *w, char *err, size_t errlen)
{
	*fdp = -1;
	w->n = 0;
	rb->found = false;
	/* no state directory: nothing was applied, and nothing is created */
	if (fx->access(dir, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (fx->lock(dir, fdp, err, errlen) < 0 ||
	    fx->state_load(dir, &rb->rec, &rb->found, err, errlen) < 0)
		return -1;
	/* the drop-in's directory only once the record's path is verified */
	clean_record(fx, dir, clean, w);
	return 0;
}

/*
 * The guards apply has, for one value going back: not below what is in
 * use now (the shared recommend_below_usage()), and not over a value
 * changed by hand since the apply (neither what the apply wrote nor
 * already the old one).  Writes the reason into WHY, or "" if none.
 */
static void
guard_value(const struct kstate *ks, const struct state_value *sv,
    const struct ksysctl_change *c, char *why, size_t len)
{
	int nf = nfields(c->id);
	char a[128], b[128];
	uint64_t u;

	why[0] = '\0';
	if (memcmp(c->old_value, c->new_value, sizeof(c->old_value)) == 0)
		return;
	for (int k = 0; k < nf; k++)
		if (c->old_value[k] != sv->new_value[k]) {
			sysctl_format(c->id, sv->new_value, a, sizeof(a));
			sysctl_format(c->id, c->old_value, b, sizeof(b));
			snprintf(why, len, "changed by hand since the apply "
			    "(%s written, %s now)", a, b);
			return;
		}
	for (int k = 0; k < nf; k++)
		if (recommend_below_usage(ks, c->id, k, c->old_value[k],
		    c->new_value[k], &u)) {
			snprintf(why, len, "%s%s%" PRIu64 " is below the %"
			    PRIu64 " in use now", nf > 1 ? sem_field_names[k] :
			    "", nf > 1 ? " " : "", c->new_value[k], u);
			return;
		}
}

/* tmpfs rounds its size up to whole pages (shmem_parse_one, mm/shmem.c) */
#define APPLYTX_SHM_SLACK 65536

/*
 * /dev/shm back to its size before apply --dev-shm-remount: not over a
 * size changed by hand since, and not below what is in use, which
 * shmem_reconfigure() (mm/shmem.c) refuses with EINVAL ("Too small a
 * size for current use").
 */
static void
shm_guard(const struct kstate *ks, struct applytx_rollback *rb)
{
	const struct state_record *rec = &rb->rec;
	const struct ipc_usage *u = &ks->usage;

	rb->shm_why[0] = '\0';
	rb->shm_shrink = rec->shm_remounted;
	if (!rec->shm_remounted)
		return;
	if (!u->has_dev_shm || strcmp(u->dev_shm_path, "/dev/shm") != 0)
		snprintf(rb->shm_why, sizeof(rb->shm_why), "this mount "
		    "namespace's /dev/shm cannot be read");
	else if (u->dev_shm_size_bytes < rec->shm_new_bytes ||
	    u->dev_shm_size_bytes - rec->shm_new_bytes >= APPLYTX_SHM_SLACK)
		snprintf(rb->shm_why, sizeof(rb->shm_why), "/dev/shm changed "
		    "by hand since the apply (%" PRIu64 " bytes set, %" PRIu64
		    " now)", rec->shm_new_bytes, u->dev_shm_size_bytes);
	else if (u->dev_shm_used_bytes > rec->shm_old_bytes)
		snprintf(rb->shm_why, sizeof(rb->shm_why), "/dev/shm holds %"
		    PRIu64 " bytes, more than the %" PRIu64 " it had before "
		    "the apply: the kernel refuses a tmpfs size below its use "
		    "(EINVAL); remove files from /dev/shm first",
		    u->dev_shm_used_bytes, rec->shm_old_bytes);
	else
		return;
	rb->refused = true;
}

void
applytx_rollback_plan(const struct kstate *ks, struct applytx_rollback *rb)
{
	const struct state_record *rec = &rb->rec;

	rb->ipc_mni = ks->host.ipcmni_extend ? IPC_MNI_EXTEND :
	    IPC_MNI_DEFAULT;
	rb->n = 0;
	rb->refused = false;
	for (size_t i = 0; i < rec->nruntime; i++) {
		struct ksysctl_change *c = &rb->ch[rb->n];

		memset(c, 0, sizeof(*c));
		c->id = rec->runtime[i].id;
		memcpy(c->new_value, rec->runtime[i].old_value,
		    sizeof(c->new_value));
		sysctl_held_value(c->id, &ks->sysctl[c->id], c->old_value);
		guard_value(ks, &rec->runtime[i], c, rb->why[rb->n],
		    sizeof(rb->why[rb->n]));
		if (rb->why[rb->n][0] != '\0')
			rb->refused = true;
		rb->n++;
	}
	shm_guard(ks, rb);
}

/* Is the record's drop-in one to act on at all?  0, or -1 with ERR. */
static int
record_dropin_ok(const struct state_record *rec, char *err, size_t errlen)
{
	char hash[SHA256_HEX_LEN];
	bool sysctld;

	/* a damaged record must not steer the unlink or the write */
	if (!dropin_location_ok(rec->dropin_path, rec->sysctl_root,
	    &sysctld)) {
		snprintf(err, errlen, "the state record names '%s' as the "
		    "drop-in: not a '*.conf' file in a sysctl.d directory nor "
		    "/etc/sysctl.conf%s, refusing to touch it (damaged "
		    "record?)", rec->dropin_path, rec->sysctl_root ?
		    " under the recorded --sysctl-root" : "");
		errno = EPERM;
		return -1;
	}
	/* no hash (an older ipctune, or damage): nothing to check against */
	if (rec->dropin_new == NULL || rec->dropin_new_sha256[0] == '\0') {
		snprintf(err, errlen, "the state record holds no SHA-256 of "
		    "the drop-in it wrote (damaged, or written by an older "
		    "ipctune): refusing to touch '%s', even with --force; "
		    "check it, restore or remove it by hand, then remove "
		    "the record", rec->dropin_path);
		errno = EINVAL;
		return -1;
	}
	sha256_hex(rec->dropin_new, strlen(rec->dropin_new), hash);
	if (strcmp(hash, rec->dropin_new_sha256) != 0) {
		snprintf(err, errlen, "damaged state record: the drop-in "
		    "content it holds does not match its recorded SHA-256: "
		    "refusing to touch '%s'", rec->dropin_path);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Check the record's drop-in and, unless DRY, put it back. */
static int
restore_dropin(const struct applytx_effects *fx, struct applytx_rollback *rb,
    bool force, bool dry, char *err, size_t errlen)
{
	const struct state_record *rec = &rb->rec;
	char *now = NULL;

	rb->action = "unchanged";
	if (!rec->persist)
		return 0;
	if (record_dropin_ok(rec, err, errlen) < 0 ||
	    fx->file_read(rec->dropin_path, &now, err, errlen) < 0)
		return -1;
	/* already as it was before the apply: nothing to do */
	if (rec->dropin_existed ? now != NULL && strcmp(now,
	    rec->dropin_old) == 0 : now == NULL) {
		free(now);
		return 0;
	}
	/*
	 * Act only on an absent file, on exactly what the apply wrote, or
	 * with --force on a file that still carries ipctune's header.
	 */
	if (now != NULL && strcmp(now, rec->dropin_new) != 0 && !force) {
		free(now);
		snprintf(err, errlen, "'%s' was changed since the apply: "
		    "refusing to replace it (--force restores it anyway)",
		    rec->dropin_path);
		return -1;
	}
	if (now != NULL && strcmp(now, rec->dropin_new) != 0 &&
	    !dropin_has_header(now)) {
		free(now);
		snprintf(err, errlen, "'%s' holds neither what the apply "
		    "wrote nor ipctune's header: refusing to replace or "
		    "remove it, even with --force", rec->dropin_path);
		return -1;
	}
	free(now);
	rb->action = rec->dropin_existed ? "restored" : "removed";
	if (dry)
		return 0;
	if (rec->dropin_existed)
		return fx->file_write(rec->dropin_path, rec->dropin_old, 0644,
		    err, errlen);
	return fx->file_remove(rec->dropin_path, err, errlen);
}

bool
applytx_shm_location_ok(const char *path, const char *root)
{
	static const char *const names[] = { "/etc/fstab",
	    "/etc/systemd/system/dev-shm.mount.d/ipctune.conf" };
	size_t n = root != NULL ? strlen(root) : 0;

	while (n > 0 && root[n - 1] == '/')
		n--;
	if (n > 0 && strncmp(path, root, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(path + n, names[i]) == 0)
			return true;
	return false;
}

/* Is the record's /dev/shm file one to act on at all? */
static int
record_shm_ok(const struct state_record *rec, char *err, size_t errlen)
{
	char hash[SHA256_HEX_LEN];

	if (!applytx_shm_location_ok(rec->shm_path, rec->sysctl_root)) {
		snprintf(err, errlen, "the state record names '%s' as "
		    "/dev/shm's boot file: neither /etc/fstab nor the "
		    "dev-shm.mount drop-in, refusing to touch it (damaged "
		    "record?)", rec->shm_path);
		errno = EPERM;
		return -1;
	}
	sha256_hex(rec->shm_new, strlen(rec->shm_new), hash);
	if (strcmp(hash, rec->shm_new_sha256) != 0) {
		snprintf(err, errlen, "damaged state record: the /dev/shm "
		    "file content it holds does not match its recorded "
		    "SHA-256: refusing to touch '%s'", rec->shm_path);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * Check the record's /dev/shm boot file and, unless DRY, put it back.
 * A file changed since the apply is refused; --force replaces only the
 * dev-shm.mount drop-in that still carries ipctune's marker, never an
 * fstab (which has none: others' lines would be lost).
 */
static int
restore_shm(const struct applytx_effects *fx, struct applytx_rollback *rb,
    bool force, bool dry, char *err, size_t errlen)
{
	const struct state_record *rec = &rb->rec;
	char *now = NULL;
	bool mine;

	rb->shm_action = "unchanged";
	if (!rec->shm_persist)
		return 0;
	if (record_shm_ok(rec, err, errlen) < 0 ||
	    fx->file_read(rec->shm_path, &now, err, errlen) < 0)
		return -1;
	if (rec->shm_existed ? now != NULL && strcmp(now,
	    rec->shm_old) == 0 : now == NULL) {
		free(now);
		return 0;
	}
	mine = now == NULL || strcmp(now, rec->shm_new) == 0 || (force &&
	    strstr(rec->shm_path, "/dev-shm.mount.d/") != NULL &&
	    strncmp(now, DEVSHM_MARKER, strlen(DEVSHM_MARKER)) == 0);
	free(now);
	if (!mine) {
		snprintf(err, errlen, "'%s' was changed since the apply: "
		    "refusing to replace it%s", rec->shm_path,
		    strstr(rec->shm_path, "/dev-shm.mount.d/") != NULL ?
		    " (--force restores a drop-in that keeps ipctune's first "
		    "line)" : "; put its /dev/shm line back by hand (fstab "
		    "carries no marker of ipctune, so not even with --force)");
		return -1;
	}
	rb->shm_action = rec->shm_existed ? "restored" : "removed";
	if (dry)
		return 0;
	if (rec->shm_existed)
		return fx->file_write(rec->shm_path, rec->shm_old, 0644, err,
		    errlen);
	return fx->file_remove(rec->shm_path, err, errlen);
}

int
applytx_rollback_check(const struct applytx_effects *fx,
    struct applytx_rollback *rb, bool force, char *err, size_t errlen)
{
	if (restore_dropin(fx, rb, force, true, err, errlen) < 0)
		return -1;
	return restore_shm(fx, rb, force, true, err, errlen);
}

/*
 * Put back what a rollback changed (the running values and /dev/shm's
 * size, with DROPIN the drop-in and with SHM /dev/shm's boot file it
 * restored or removed), filling U with the outcome.
 */
static void
rollback_undo(const struct applytx_effects *fx,
    const struct applytx_rollback *rb, bool dropin, bool shm,
    struct applytx_undo *u)
{
	const struct state_record *rec = &rb->rec;

	if (dropin && strcmp(rb->action, "unchanged") != 0)
		u->dropin = fx->file_write(rec->dropin_path, rec->dropin_new,
		    0644, u->dropin_err, sizeof(u->dropin_err)) < 0 ?
		    APPLYTX_UNDO_FAILED : APPLYTX_UNDO_DONE;
	if (shm && strcmp(rb->shm_action, "unchanged") != 0)
		u->shm = fx->file_write(rec->shm_path, rec->shm_new, 0644,
		    u->shm_err, sizeof(u->shm_err)) < 0 ?
		    APPLYTX_UNDO_FAILED : APPLYTX_UNDO_DONE;
	if (rb->n > 0)
		u->runtime = runtime_back(fx, rb->ipc_mni, rb->ch, rb->n,
		    u->runtime_err, sizeof(u->runtime_err)) < 0 ?
		    APPLYTX_UNDO_FAILED : APPLYTX_UNDO_DONE;
	/* /dev/shm grows again to the size the apply gave it */
	if (rb->shm_shrink && fx->shm_resize("/dev/shm",
	    rec->shm_new_bytes, u->shm_err, sizeof(u->shm_err)) < 0)
		u->shm = APPLYTX_UNDO_FAILED;
}

int
applytx_rollback_run(const struct applytx_effects *fx, const char *dir,
    struct applytx_rollback *rb, bool force, struct applytx_undo *u,
    char *err, size_t errlen)
{
	struct ksysctl_opts ko = { .root = "", .ipc_mni = rb->ipc_mni };

	memset(u, 0, sizeof(*u));
	rb->restored = false;
	/* the record holds what the kernel had, negatives included */
	ko.restore = true;
	/* first the step the kernel may refuse: nothing else changed yet */
	if (rb->shm_shrink && fx->shm_resize("/dev/shm",
	    rb->rec.shm_old_bytes, err, errlen) < 0)
		return -1;
	if (rb->n > 0 && applytx_runtime(fx, &ko, rb->ch, rb->n, err,
	    errlen) < 0) {
		/* applytx_runtime() put its values back: only the size */
		if (rb->shm_shrink)
			u->shm = fx->shm_resize("/dev/shm",
			    rb->rec.shm_new_bytes, u->shm_err,
			    sizeof(u->shm_err)) < 0 ? APPLYTX_UNDO_FAILED :
			    APPLYTX_UNDO_DONE;
		return -1;
	}
	if (restore_dropin(fx, rb, force, false, err, errlen) < 0) {
		rollback_undo(fx, rb, false, false, u);
		return -1;
	}
	if (restore_shm(fx, rb, force, false, err, errlen) < 0) {
		rollback_undo(fx, rb, true, false, u);
		return -1;
	}
	if (fx->state_retire(dir, err, errlen) == 0) {
		rb->restored = true;
		return 0;
	}
	/*
	 * The record stays, so the system must stay as it describes: the
	 * apply's drop-in and values go back, and a later rollback can run.
	 */
	rollback_undo(fx, rb, true, true, u);
	return -1;
}

/* ---- the real effects ---- */

static int
real_sysctl_read(enum sysctl_id id, uint64_t *v, char *err, size_t errlen)
{
	const struct ksysctl_opts o = { .root = "" };

	return ksysctl_read(&o, id, v, err, errlen);
}

static int
real_sysctl_write(enum sysctl_id id, const char *text)
{
	const struct ksysctl_opts o = { .root = "" };

	return ksysctl_write(&o, id, text);
}

static int64_t
real_now(void)
{
	return (int64_t)time(NULL);
}

static int
real_make_dir(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "cannot create '%s': %s: nothing changed", path,
	    strerror(errno));
	return -1;
}

const struct applytx_effects applytx_real = {
	.sysctl_read = real_sysctl_read,
	.sysctl_write = real_sysctl_write,
	.file_read = rootfile_read,
	.file_write = rootfile_write,
	.file_remove = rootfile_remove,
	.clean_stale = rootfile_clean_stale,
	.access = access,
	.lock = state_lock,
	.unlock = state_unlock,
	.state_save = state_save,
	.state_load = state_load,
	.state_retire = state_retire,
	.current_ns = state_current_ns,
	.now = real_now,
	.make_dir = real_make_dir,
	.shm_resize = devshmfs_restore,
};
