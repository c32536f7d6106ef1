/*
 * state.c: the rollback record and the lock.  The record is one JSON file
 * (last-apply.json) written atomically through rootfile_write; values are
 * stored as decimal strings so shmmax near 2^64 survives any JSON reader.
 * The lock is flock(2) on a file in the state directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numparse.h"
#include "rootfile.h"
#include "sha256.h"
#include "state.h"
#include "statedir.h"
#include "textcheck.h"
#include "xmalloc.h"

#define STATE_FILE "last-apply.json"
#define RETIRED_FILE "last-rollback.json"

void
state_record_init(struct state_record *r)
{
	memset(r, 0, sizeof(*r));
}

void
state_record_release(struct state_record *r)
{
	for (size_t i = 0; i < r->nprofiles; i++)
		free(r->profiles[i]);
	free(r->profiles);
	for (size_t i = 0; i < r->nsets; i++)
		free(r->sets[i]);
	free(r->sets);
	for (size_t i = 0; i < r->nprofile_dirs; i++)
		free(r->profile_dirs[i]);
	free(r->profile_dirs);
	free(r->dropin_path);
	free(r->dropin_old);
	free(r->dropin_new);
	free(r->sysctl_root);
	free(r->plan);
	free(r->shm_path);
	free(r->shm_old);
	free(r->shm_new);
	state_record_init(r);
}

int
state_lock(const char *dir, int *fdp, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int fd;

	/* statedir_create refuses a directory others could redirect */
	if (statedir_create(dir, 0755, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the lock '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		snprintf(err, errlen, "cannot lock '%s': %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

void
state_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

static json_t *
values_json(enum sysctl_id id, const uint64_t *v)
{
	json_t *a = json_array();
	char buf[32];
	int n = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;

	for (int k = 0; k < n; k++) {
		int64_t neg;

		/* a negative kernel.sem field is kept as the kernel had it */
		if (n > 1 && sysctl_sem_negative(v[k], &neg))
			snprintf(buf, sizeof(buf), "%" PRId64, neg);
		else
			snprintf(buf, sizeof(buf), "%" PRIu64, v[k]);
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

static json_t *
strings_json(char **s, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

int
state_current_ns(uint64_t *inode, int *host)
{
	struct stat self, init;

	/* ipc/ipc_sysctl.c: /proc/sys/kernel/{shm,sem,msg}* act on the
	 * writer's own IPC namespace, so this is the one apply changes */
	if (stat("/proc/self/ns/ipc", &self) < 0)
		return -1;
	*inode = (uint64_t)self.st_ino;
	if (stat("/proc/1/ns/ipc", &init) < 0)
		*host = -1;
	else
		*host = init.st_ino == self.st_ino &&
		    init.st_dev == self.st_dev;
	return 0;
}

static const char *
host_word(int host)
{
	return host > 0 ? ", the host's" : host == 0 ? ", a container's" : "";
}

int
state_check_ns(const struct state_record *r, bool any, const char *anyway,
    char *err, size_t errlen)
{
	uint64_t now;
	int host;

	if (any)
		return 0;
	if (r->ns_inode == 0) {
		snprintf(err, errlen, "the last apply recorded no IPC "
		    "namespace (a record from an older ipctune): cannot tell "
		    "whether it changed this one; --any-namespace %s", anyway);
		errno = EXDEV;
		return -1;
	}
	if (state_current_ns(&now, &host) < 0) {
		snprintf(err, errlen, "cannot read /proc/self/ns/ipc: %s; "
		    "--any-namespace %s", strerror(errno), anyway);
		return -1;
	}
	if (now != r->ns_inode) {
		snprintf(err, errlen, "the last apply changed another IPC "
		    "namespace (inode %" PRIu64 "%s), not this one (inode %"
		    PRIu64 "%s); --any-namespace %s", r->ns_inode,
		    host_word(r->ns_host), now, host_word(host), anyway);
		errno = EXDEV;
		return -1;
	}
	return 0;
}

/* Every free-text field of R, through the one check (textcheck.c). */
static int
check_strings(const struct state_record *r, char *err, size_t errlen)
{
	for (size_t i = 0; i < r->nprofiles; i++)
		if (textcheck_field("the profile name", r->profiles[i], err,
		    errlen) < 0)
			return -1;
	for (size_t i = 0; i < r->nsets; i++)
		if (textcheck_field("the variable", r->sets[i], err,
		    errlen) < 0)
			return -1;
	for (size_t i = 0; i < r->nprofile_dirs; i++)
		if (textcheck_field("the profile directory",
		    r->profile_dirs[i], err, errlen) < 0)
			return -1;
	if ((r->dropin_path != NULL && textcheck_field("the drop-in path",
	    r->dropin_path, err, errlen) < 0) || (r->sysctl_root != NULL &&
	    textcheck_field("the sysctl root", r->sysctl_root, err,
	    errlen) < 0) || (r->shm_path != NULL &&
	    textcheck_field("the /dev/shm file", r->shm_path, err,
	    errlen) < 0))
		return -1;
	return 0;
}

/* The string KEY of O, copied, or NULL. */
static char *
opt_string(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? xstrdup(s) : NULL;
}

/* The /dev/shm part of R: its boot file and its runtime size. */
static json_t *
shm_json(const struct state_record *r)
{
	json_t *d = json_object();
	char hash[SHA256_HEX_LEN];

	json_object_set_new(d, "written", json_boolean(r->shm_persist));
	json_object_set_new(d, "path", r->shm_path ?
	    json_string(r->shm_path) : json_null());
	json_object_set_new(d, "existed", json_boolean(r->shm_existed));
	json_object_set_new(d, "old_content", r->shm_old ?
	    json_string(r->shm_old) : json_null());
	json_object_set_new(d, "new_content", r->shm_new ?
	    json_string(r->shm_new) : json_null());
	if (r->shm_new != NULL)
		sha256_hex(r->shm_new, strlen(r->shm_new), hash);
	json_object_set_new(d, "new_sha256", r->shm_new ?
	    json_string(hash) : json_null());
	json_object_set_new(d, "remounted", json_boolean(r->shm_remounted));
	json_object_set_new(d, "old_bytes", r->shm_remounted ?
	    json_integer((json_int_t)r->shm_old_bytes) : json_null());
	json_object_set_new(d, "new_bytes", r->shm_remounted ?
	    json_integer((json_int_t)r->shm_new_bytes) : json_null());
	return d;
}

/* The /dev/shm part of the record D into R (absent: none).  0 or -1. */
static int
shm_load(json_t *d, struct state_record *r)
{
	json_int_t ob, nb;
	const char *h;

	if (!json_is_object(d))
		return 0;
	r->shm_persist = json_is_true(json_object_get(d, "written"));
	r->shm_path = opt_string(d, "path");
	r->shm_existed = json_is_true(json_object_get(d, "existed"));
	r->shm_old = opt_string(d, "old_content");
	r->shm_new = opt_string(d, "new_content");
	h = json_string_value(json_object_get(d, "new_sha256"));
	snprintf(r->shm_new_sha256, sizeof(r->shm_new_sha256), "%s",
	    h ? h : "");
	r->shm_remounted = json_is_true(json_object_get(d, "remounted"));
	ob = json_integer_value(json_object_get(d, "old_bytes"));
	nb = json_integer_value(json_object_get(d, "new_bytes"));
	if (r->shm_remounted && (ob <= 0 || nb <= 0))
		return -1;
	r->shm_old_bytes = (uint64_t)ob;
	r->shm_new_bytes = (uint64_t)nb;
	if (r->shm_persist && (r->shm_path == NULL || r->shm_new == NULL ||
	    (r->shm_existed && r->shm_old == NULL)))
		return -1;
	return 0;
}

int
state_save(const char *dir, const struct state_record *r, char *err,
    size_t errlen)
{
	json_t *root, *rt, *d, *ns;
	char path[PATH_MAX], *text, hash[SHA256_HEX_LEN];
	int ret;

	if (check_strings(r, err, errlen) < 0)
		return -1;
	root = json_object();
	rt = json_array();
	json_object_set_new(root, "schema_version", json_integer(1));
	json_object_set_new(root, "document", json_string("ipctune-state"));
	json_object_set_new(root, "applied_at",
	    json_integer((json_int_t)r->applied_at));
	json_object_set_new(root, "profiles", strings_json(r->profiles,
	    r->nprofiles));
	json_object_set_new(root, "sets", strings_json(r->sets, r->nsets));
	json_object_set_new(root, "profile_dirs", strings_json(
	    r->profile_dirs, r->nprofile_dirs));
	json_object_set_new(root, "exact", json_boolean(r->exact));
	for (size_t i = 0; i < r->nruntime; i++) {
		const struct state_value *v = &r->runtime[i];
		json_t *o = json_object();

		json_object_set_new(o, "sysctl",
		    json_string(sysctl_table[v->id].name));
		json_object_set_new(o, "old", values_json(v->id,
		    v->old_value));
		json_object_set_new(o, "new", values_json(v->id,
		    v->new_value));
		json_array_append_new(rt, o);
	}
	json_object_set_new(root, "runtime", rt);
	d = json_object();
	json_object_set_new(d, "written", json_boolean(r->persist));
	json_object_set_new(d, "path", r->dropin_path ?
	    json_string(r->dropin_path) : json_null());
	json_object_set_new(d, "existed", json_boolean(r->dropin_existed));
	json_object_set_new(d, "old_content", r->dropin_old ?
	    json_string(r->dropin_old) : json_null());
	json_object_set_new(d, "new_content", r->dropin_new ?
	    json_string(r->dropin_new) : json_null());
	/* rollback touches the file only if its content has this hash */
	if (r->dropin_new != NULL)
		sha256_hex(r->dropin_new, strlen(r->dropin_new), hash);
	json_object_set_new(d, "new_sha256", r->dropin_new ?
	    json_string(hash) : json_null());
	json_object_set_new(d, "sysctl_root", r->sysctl_root ?
	    json_string(r->sysctl_root) : json_null());
	json_object_set_new(root, "dropin", d);
	json_object_set_new(root, "dev_shm", shm_json(r));
	ns = json_object();
	json_object_set_new(ns, "inode", json_integer((json_int_t)
	    r->ns_inode));
	json_object_set_new(ns, "host", r->ns_host < 0 ? json_null() :
	    json_boolean(r->ns_host));
	json_object_set_new(ns, "pid", r->ns_pid > 0 ?
	    json_integer(r->ns_pid) : json_null());
	json_object_set_new(ns, "pid_start", r->ns_pid > 0 ?
	    json_integer((json_int_t)r->ns_pid_start) : json_null());
	json_object_set_new(root, "ipc_namespace", ns);
	json_object_set_new(root, "plan", r->plan ? json_string(r->plan) :
	    json_null());
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL) {
		snprintf(err, errlen, "cannot encode the state");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	ret = rootfile_write(path, text, 0600, err, errlen);
	free(text);
	return ret;
}

static int
load_values(json_t *a, enum sysctl_id id, uint64_t *v)
{
	int n = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;

	if (!json_is_array(a) || (int)json_array_size(a) != n)
		return -1;
	for (int k = 0; k < n; k++) {
		const char *s = json_string_value(json_array_get(a, (size_t)k));
		int64_t iv;

		if (s == NULL)
			return -1;
		if (n == 1) {
			if (num_parse_u64(s, 0, UINT64_MAX, &v[k]) < 0)
				return -1;
			continue;
		}
		/* kernel.sem fields are ints, negatives included */
		if (num_parse_i64(s, INT32_MIN, INT32_MAX, &iv) < 0)
			return -1;
		v[k] = (uint64_t)iv;
	}
	return 0;
}

static char **
load_strings(json_t *a, size_t *n)
{
	char **out;

	*n = json_is_array(a) ? json_array_size(a) : 0;
	out = xcalloc(*n + 1, sizeof(*out));
	for (size_t i = 0; i < *n; i++) {
		const char *s = json_string_value(json_array_get(a, i));

		out[i] = xstrdup(s ? s : "");
	}
	return out;
}

/* The runtime values RT of a record into R; -1 if one is incomplete. */
static int
runtime_load(json_t *rt, struct state_record *r)
{
	size_t i;
	json_t *o;

	json_array_foreach(rt, i, o) {
		const char *name = json_string_value(json_object_get(o,
		    "sysctl"));
		struct state_value *v;
		enum sysctl_id id;

		if (name == NULL || sysctl_lookup(name, &id) == NULL ||
		    r->nruntime >= SC_COUNT)
			return -1;
		v = &r->runtime[r->nruntime];
		v->id = id;
		if (load_values(json_object_get(o, "old"), id,
		    v->old_value) < 0 || load_values(json_object_get(o, "new"),
		    id, v->new_value) < 0)
			return -1;
		r->nruntime++;
	}
	return 0;
}

/* The drop-in part D of a record into R (checked by the caller). */
static void
dropin_load(json_t *d, struct state_record *r)
{
	r->persist = json_is_true(json_object_get(d, "written"));
	r->dropin_path = opt_string(d, "path");
	r->dropin_existed = json_is_true(json_object_get(d, "existed"));
	r->dropin_old = opt_string(d, "old_content");
	r->dropin_new = opt_string(d, "new_content");
	snprintf(r->dropin_new_sha256, sizeof(r->dropin_new_sha256), "%s",
	    json_string_value(json_object_get(d, "new_sha256")) ?
	    json_string_value(json_object_get(d, "new_sha256")) : "");
	r->sysctl_root = opt_string(d, "sysctl_root");
}

/* The IPC namespace O the record was made in, into R; -1 if damaged. */
static int
ns_load(json_t *o, struct state_record *r)
{
	/* a record older than the field has inode 0: "not recorded" */
	r->ns_host = -1;
	if (json_is_object(o)) {
		json_int_t ino = json_integer_value(json_object_get(o,
		    "inode"));
		json_t *h = json_object_get(o, "host");
		json_t *p = json_object_get(o, "pid");
		json_t *ps = json_object_get(o, "pid_start");

		if (ino < 0)
			return -1;
		r->ns_inode = (uint64_t)ino;
		if (json_is_boolean(h))
			r->ns_host = json_is_true(h);
		if (json_is_integer(p) && json_is_integer(ps)) {
			if (json_integer_value(p) <= 0 ||
			    json_integer_value(p) > INT32_MAX ||
			    json_integer_value(ps) < 0)
				return -1;
			r->ns_pid = (int)json_integer_value(p);
			r->ns_pid_start = (uint64_t)json_integer_value(ps);
		}
	}
	return 0;
}

int
state_load(const char *dir, struct state_record *r, bool *found, char *err,
    size_t errlen)
{
	char path[PATH_MAX], *text;
	json_t *root;
	json_error_t je;

	state_record_init(r);
	*found = false;
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	if (rootfile_read(path, &text, err, errlen) < 0)
		return -1;
	if (text == NULL)
		return 0;
	root = json_loads(text, 0, &je);
	free(text);
	if (!json_is_object(root)) {
		snprintf(err, errlen, "%s:%d: damaged state: %s", path,
		    je.line, je.text);
		json_decref(root);
		return -1;
	}
	r->applied_at = (int64_t)json_integer_value(json_object_get(root,
	    "applied_at"));
	r->profiles = load_strings(json_object_get(root, "profiles"),
	    &r->nprofiles);
	r->sets = load_strings(json_object_get(root, "sets"), &r->nsets);
	r->profile_dirs = load_strings(json_object_get(root, "profile_dirs"),
	    &r->nprofile_dirs);
	r->exact = json_is_true(json_object_get(root, "exact"));
	if (runtime_load(json_object_get(root, "runtime"), r) < 0)
		goto bad;
	dropin_load(json_object_get(root, "dropin"), r);
	r->plan = opt_string(root, "plan");
	if (ns_load(json_object_get(root, "ipc_namespace"), r) < 0)
		goto bad;
	/*
	 * What the apply wrote is what rollback checks the file against: a
	 * record without it cannot say which file is ipctune's.  A record
	 * without new_sha256 (an older ipctune) still loads, for verify;
	 * rollback refuses its drop-in part.
	 */
	if (r->persist && (r->dropin_path == NULL || r->dropin_new == NULL ||
	    (r->dropin_existed && r->dropin_old == NULL)))
		goto bad;
	if (shm_load(json_object_get(root, "dev_shm"), r) < 0)
		goto bad;
	json_decref(root);
	*found = true;
	return 0;
bad:
	snprintf(err, errlen, "%s: damaged state (a runtime or drop-in "
	    "entry is incomplete): nothing changed", path);
	json_decref(root);
	state_record_release(r);
	return -1;
}

void
state_path(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, STATE_FILE);
}

int
state_retire(const char *dir, char *err, size_t errlen)
{
	char from[PATH_MAX], to[PATH_MAX];

	snprintf(from, sizeof(from), "%s/%s", dir, STATE_FILE);
	snprintf(to, sizeof(to), "%s/%s", dir, RETIRED_FILE);
	if (rename(from, to) < 0) {
		snprintf(err, errlen, "cannot retire '%s': %s", from,
		    strerror(errno));
		return -1;
	}
	return 0;
}
