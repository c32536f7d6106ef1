/*
 * cmd_rollback.c: 'ipctune rollback', the runtime values and the drop-in
 * put back as they were before the last apply, under the same lock and
 * with the same care (validated, read back, undone on failure).  With no
 * record it says so and changes nothing.  Glue only.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "dropin.h"
#include "ksysctl.h"
#include "profcmd.h"
#include "recommend.h"
#include "render.h"
#include "sha256.h"
#include "state.h"

enum { O_ANY_NS = 200 };

static const struct cli_opt cmd_rollback_opts[] = {
	{ "dry-run", 0, no_argument, NULL,
	    "change nothing; show what would be restored", PO_DRY_RUN, NULL },
	{ "force", 0, no_argument, NULL,
	    "go below current usage; overwrite values and a drop-in "
	    "changed since the apply",
	    PO_FORCE, NULL },
	{ "any-namespace", 0, no_argument, NULL,
	    "write the old values here even if the apply changed another "
	    "IPC namespace", O_ANY_NS, NULL },
	{ NULL, 0, 0, NULL, NULL, 0, NULL },
};

struct rollback_args {
	struct profcmd pc;
	bool any_ns;
};

/* Output is "name: old -> new" lines, not a table: no -o columns. */
static const struct column_set cmd_rollback_columns[] = {
	{ NULL, 0 },
};

static int
opt_handler(const struct command *self, int id, const char *arg,
    void *ctx)
{
	struct rollback_args *ra = ctx;
	char err[256];

	if (id == O_ANY_NS) {
		ra->any_ns = true;
		return 0;
	}
	if (profcmd_option(&ra->pc, id, arg, err, sizeof(err)) < 0)
		return cli_usage_error(self, "%s", err);
	return 0;
}

static int
restore_dropin(const struct state_record *rec, bool force, bool dry,
    const char **action, char *err, size_t errlen)
{
	char *now = NULL, hash[SHA256_HEX_LEN];
	bool sysctld;

	*action = "unchanged";
	if (!rec->persist)
		return 0;
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
	if (dropin_read(rec->dropin_path, &now, err, errlen) < 0)
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
	*action = rec->dropin_existed ? "restored" : "removed";
	if (dry)
		return 0;
	if (rec->dropin_existed)
		return dropin_write(rec->dropin_path, rec->dropin_old, 0644,
		    err, errlen);
	return dropin_remove(rec->dropin_path, err, errlen);
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
	int nf = sysctl_table[c->id].kind == SCK_SEM ? SEM_NFIELDS : 1;
	char a[128], b[128];
	uint64_t u;

	why[0] = '\0';
	if (memcmp(c->old_value, c->new_value, sizeof(c->old_value)) == 0)
		return;
	for (int k = 0; k < nf; k++)
		if (c->old_value[k] != sv->new_value[k]) {
			ksysctl_format(c->id, sv->new_value, a, sizeof(a));
			ksysctl_format(c->id, c->old_value, b, sizeof(b));
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

/* Remove what a killed apply or rollback left next to PATH. */
static void
clean_stale(struct globals *g, const char *path)
{
	char err[PATH_MAX + 256];
	int n;

	if (dropin_clean_stale(path, &n, err, sizeof(err)) < 0)
		cli_warn(g, "%s", err);
	if (n > 0)
		cli_warn(g, "removed %d stale temporary file%s of '%s' left "
		    "by a killed run", n, n == 1 ? "" : "s", path);
}

static int
cmd_rollback(const struct command *self, int argc, char **argv,
    struct globals *g)
{
	struct ksysctl_change ch[SC_COUNT];
	struct ksysctl_opts ko = { .root = "" };
	struct state_record rec;
	struct rollback_args ra;
	struct profcmd *pcp = &ra.pc;
	struct kstate ks;
	char err[2048], dir[PATH_MAX], a[128], b[128];
	char why[SC_COUNT][320];
	bool refused = false;
	const char *action = "unchanged";
	bool done, found = false, have_ks = false, ok = true;
	bool found_ns_refused = false;
	size_t n = 0;
	int idx, status, lockfd = -1;

	memset(&ra, 0, sizeof(ra));
	profcmd_init(pcp);
	state_record_init(&rec);
	status = cli_parse(self, argc, argv, g, opt_handler, &ra, &idx, &done);
	if (status != 0 || done)
		goto out;
	if (profcmd_state_dir(dir, sizeof(dir), err, sizeof(err)) < 0) {
		cli_fail(g, err);
		status = EXIT_FAIL;
		goto out;
	}
	/* no state directory: nothing was applied, and nothing is created */
	if (access(dir, F_OK) < 0 && errno == ENOENT) {
		found = false;
	} else if (state_lock(dir, &lockfd, err, sizeof(err)) < 0 ||
	    state_load(dir, &rec, &found, err, sizeof(err)) < 0) {
		cli_fail(g, err);
		status = EXIT_FAIL;
		goto out;
	}
	/* the drop-in's directory only once the record's path is verified */
	if (lockfd >= 0 && !pcp->dry_run) {
		char spath[PATH_MAX];

		state_path(dir, spath, sizeof(spath));
		clean_stale(g, spath);
	}
	if (found && rec.nruntime > 0 && state_check_ns(&rec, ra.any_ns,
	    "rolls back here anyway", err, sizeof(err)) < 0) {
		cli_err("%s: nothing changed", err);
		status = EXIT_FAIL;
		ok = false;
		found_ns_refused = true;
	}
	if (found && !found_ns_refused) {
		status = cli_load_state(g, KS_SYSCTL | KS_USAGE, &ks);
		if (status != 0)
			goto out;
		have_ks = true;
		ko.ipc_mni = ks.host.ipcmni_extend ? IPC_MNI_EXTEND :
		    IPC_MNI_DEFAULT;
		/* the record holds what the kernel had, negatives included */
		ko.restore = true;
		for (size_t i = 0; i < rec.nruntime; i++) {
			ch[n].id = rec.runtime[i].id;
			memcpy(ch[n].new_value, rec.runtime[i].old_value,
			    sizeof(ch[n].new_value));
			sysctl_held_value(ch[n].id, &ks.sysctl[ch[n].id],
			    ch[n].old_value);
			guard_value(&ks, &rec.runtime[i], &ch[n], why[n],
			    sizeof(why[n]));
			if (why[n][0] != '\0')
				refused = true;
			n++;
		}
		for (size_t i = 0; refused && !pcp->dry_run && i < n; i++)
			if (why[i][0] != '\0')
				cli_err("%s: %s%s", sysctl_table[ch[i].id].name,
				    why[i], pcp->force ? " (--force: writing "
				    "anyway)" : "");
		if (refused && !pcp->force) {
			cli_err("%s: nothing changed (--force overrides)",
			    pcp->dry_run ? "the rollback would be refused" :
			    "refusing to roll back");
			status = EXIT_FAIL;
			ok = false;
		}
		/* check the drop-in before touching anything */
		if (restore_dropin(&rec, pcp->force, true, &action, err,
		    sizeof(err)) < 0) {
			cli_err("%s: nothing changed", err);
			status = EXIT_FAIL;
			ok = false;
		} else if (rec.persist && !pcp->dry_run) {
			clean_stale(g, rec.dropin_path);
		}
	}
	if (found && ok && !pcp->dry_run) {
		if (n > 0 && ksysctl_apply(&ko, ch, n, err, sizeof(err)) < 0) {
			cli_err("%s", err);
			status = EXIT_FAIL;
			ok = false;
		} else if (restore_dropin(&rec, pcp->force, false, &action, err,
		    sizeof(err)) < 0) {
			struct ksysctl_change back[SC_COUNT];

			cli_err("%s", err);
			for (size_t i = 0; i < n; i++) {
				back[i] = ch[i];
				memcpy(back[i].new_value, ch[i].old_value,
				    sizeof(back[i].new_value));
			}
			if (n > 0 && ksysctl_apply(&ko, back, n, err,
			    sizeof(err)) < 0)
				cli_err("cannot put the running values back: "
				    "%s", err);
			status = EXIT_FAIL;
			ok = false;
		} else if (state_retire(dir, err, sizeof(err)) < 0) {
			cli_err("%s", err);
			status = EXIT_FAIL;
		}
	}
	if (g->format == FMT_JSON) {
		json_t *root = render_envelope("rollback", have_ks ? &ks :
		    NULL, g->view.now), *arr = json_array(), *d = json_object();
		bool changed = strcmp(action, "unchanged") != 0;

		json_object_set_new(root, "dry_run",
		    json_boolean(pcp->dry_run));
		json_object_set_new(root, "found", json_boolean(found));
		json_object_set_new(root, "ok", json_boolean(ok));
		/* a value already back at its old one is not written */
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < (sysctl_table[ch[i].id].kind ==
			    SCK_SEM ? SEM_NFIELDS : 1); k++)
				if (ch[i].old_value[k] != ch[i].new_value[k])
					changed = true;
		json_object_set_new(root, "changed", json_boolean(found && ok &&
		    !pcp->dry_run && changed));
		for (size_t i = 0; found && i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "sysctl",
			    json_string(sysctl_table[ch[i].id].name));
			profcmd_json_value(o, "old", ch[i].id,
			    ch[i].old_value);
			profcmd_json_value(o, "new", ch[i].id,
			    ch[i].new_value);
			json_object_set_new(o, "refused", why[i][0] != '\0' ?
			    json_string(why[i]) : json_null());
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "runtime", arr);
		json_object_set_new(d, "path", rec.dropin_path ?
		    json_string(rec.dropin_path) : json_null());
		json_object_set_new(d, "action", json_string(action));
		json_object_set_new(root, "dropin", d);
		if (render_json_print(root) != 0 && status == EXIT_OK)
			status = EXIT_FAIL;
	} else if (!found) {
		render_printf("nothing to roll back: no apply recorded in "
		    "'%s'\n",
		    dir);
	} else if (ok || (pcp->dry_run && refused && !found_ns_refused)) {
		/* a dry run says what each guard would stop */
		for (size_t i = 0; i < n; i++) {
			ksysctl_format(ch[i].id, ch[i].old_value, a,
			    sizeof(a));
			ksysctl_format(ch[i].id, ch[i].new_value, b,
			    sizeof(b));
			printf("%s: %s -> %s%s%s%s%s\n",
			    sysctl_table[ch[i].id].name, a, b,
			    pcp->dry_run ? " (dry run" : "",
			    pcp->dry_run && why[i][0] != '\0' ? (pcp->force ?
			    "; --force overrides: " : "; refused: ") : "",
			    pcp->dry_run ? why[i] : "",
			    pcp->dry_run ? ")" : "");
		}
		if (rec.persist)
			render_printf("%s %s%s\n", action, rec.dropin_path,
			    pcp->dry_run ? " (dry run)" : "");
	}
out:
	state_unlock(lockfd);
	if (have_ks)
		kstate_release(&ks);
	state_record_release(&rec);
	profcmd_release(pcp);
	return status;
}

const struct command cmd_rollback_entry = {
	.name = "rollback", .fn = cmd_rollback,
	.summary = "undo the last apply (runtime values and drop-in)",
	.opts = cmd_rollback_opts, .flags = CMD_FORMATS_JSON,
	.colsets = cmd_rollback_columns
};
