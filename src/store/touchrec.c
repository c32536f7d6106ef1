/*
 * touchrec.c: reads and writes the record of ipctune's own accesses to
 * objects 'clean' did not remove (state directory, TOUCHREC_NAME).  It
 * decides nothing: orphan.c matches the records against the objects.
 * The file is replaced atomically; a damaged file is an error, never
 * silently emptied.  Two runs of clean adding at once may lose one
 * record, and that access then counts as use: the safe direction.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "infile.h"
#include "ipctune.h"
#include "touchrec.h"
#include "xmalloc.h"

#define TOUCHREC_MAXLEN (1u << 20)

/* The members of one record, in file order. */
static const char *const int_keys[] = {
	"ipc_ns_inode", "id", "key", "at_unix", "left_ctime_unix",
	"left_atime_unix", "left_dtime_unix", "left_lpid", "ctime_unix",
	"atime_unix", "dtime_unix", "lpid",
};
#define NKEYS (sizeof(int_keys) / sizeof(int_keys[0]))

/* One record and the IPC namespace it belongs to. */
struct rec {
	uint64_t ns;
	struct orphan_touch t;
};

static void
to_vals(const struct rec *r, json_int_t v[NKEYS])
{
	const struct orphan_touch *t = &r->t;

	v[0] = (json_int_t)r->ns;
	v[1] = t->id;
	v[2] = t->key;
	v[3] = t->at;
	v[4] = t->left_ctime;
	v[5] = t->left_atime;
	v[6] = t->left_dtime;
	v[7] = t->left_lpid;
	v[8] = t->ctime;
	v[9] = t->atime;
	v[10] = t->dtime;
	v[11] = t->lpid;
}

static int
from_vals(struct rec *r, const json_int_t v[NKEYS])
{
	struct orphan_touch *t = &r->t;

	if (v[0] < 0 || v[1] < 0 || v[1] > INT32_MAX || v[2] < 0 ||
	    v[2] > UINT32_MAX || v[7] < 0 || v[7] > INT32_MAX || v[11] < 0 ||
	    v[11] > INT32_MAX)
		return -1;
	r->ns = (uint64_t)v[0];
	t->id = (int)v[1];
	t->key = (uint32_t)v[2];
	t->at = v[3];
	t->left_ctime = v[4];
	t->left_atime = v[5];
	t->left_dtime = v[6];
	t->left_lpid = (pid_t)v[7];
	t->ctime = v[8];
	t->atime = v[9];
	t->dtime = v[10];
	t->lpid = (pid_t)v[11];
	return 0;
}

static int
parse(const char *buf, size_t len, struct rec **tp, size_t *np)
{
	json_error_t jerr;
	json_t *root, *arr, *e;
	size_t i, cap = 0;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	arr = root != NULL ? json_object_get(root, "objects") : NULL;
	if (!json_is_array(arr) || !json_is_string(json_object_get(root,
	    "document")) || strcmp(json_string_value(json_object_get(root,
	    "document")), "clean_touched") != 0) {
		json_decref(root);
		return -1;
	}
	json_array_foreach(arr, i, e) {
		struct rec t;
		json_int_t v[NKEYS];
		const char *type;

		memset(&t, 0, sizeof(t));
		type = json_string_value(json_object_get(e, "type"));
		if (type == NULL || ipctype_lookup(type, &t.t.type) < 0)
			goto bad;
		for (size_t k = 0; k < NKEYS; k++) {
			json_t *x = json_object_get(e, int_keys[k]);

			if (!json_is_integer(x))
				goto bad;
			v[k] = json_integer_value(x);
		}
		if (from_vals(&t, v) < 0)
			goto bad;
		xgrow(tp, *np, &cap, sizeof(**tp));
		(*tp)[(*np)++] = t;
	}
	json_decref(root);
	return 0;
bad:
	json_decref(root);
	free(*tp);
	*tp = NULL;
	*np = 0;
	return -1;
}

static int
load_all(const char *path, struct rec **tp, size_t *np, char *err,
    size_t errlen)
{
	char *buf;
	size_t len;

	*tp = NULL;
	*np = 0;
	if (infile_read(path, 0, TOUCHREC_MAXLEN, &buf, &len, NULL, 0) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (parse(buf, len, tp, np) < 0) {
		free(buf);
		snprintf(err, errlen, "'%s' is not a record of ipctune's own "
		    "accesses; remove it", path);
		errno = EINVAL;
		return -1;
	}
	free(buf);
	return 0;
}

int
touchrec_load(const char *path, uint64_t ns_inode, struct orphan_touch **tp,
    size_t *np, char *err, size_t errlen)
{
	struct rec *all;
	size_t n, cap = 0;

	*tp = NULL;
	*np = 0;
	if (load_all(path, &all, &n, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (all[i].ns != ns_inode)
			continue;
		xgrow(tp, *np, &cap, sizeof(**tp));
		(*tp)[(*np)++] = all[i].t;
	}
	free(all);
	return 0;
}

int
touchrec_add(const char *path, uint64_t ns_inode,
    const struct orphan_touch *t, char *err, size_t errlen)
{
	struct rec *old = NULL, me;
	json_t *root, *arr;
	size_t n = 0, first;
	char *text;
	int r, e;

	if (load_all(path, &old, &n, err, errlen) < 0)
		return -1;
	me.ns = ns_inode;
	me.t = *t;
	root = json_object();
	json_object_set_new(root, "schema_version",
	    json_integer(IPCTUNE_SCHEMA_VERSION));
	json_object_set_new(root, "document", json_string("clean_touched"));
	arr = json_array();
	/* the newest TOUCHREC_MAX - 1 others, then T */
	first = n >= TOUCHREC_MAX ? n - (TOUCHREC_MAX - 1) : 0;
	for (size_t i = first; i <= n; i++) {
		const struct rec *x = i < n ? &old[i] : &me;
		json_int_t v[NKEYS];
		json_t *o;

		if (i < n && x->ns == me.ns && x->t.type == t->type &&
		    x->t.id == t->id && x->t.key == t->key)
			continue;
		o = json_object();
		json_object_set_new(o, "type", json_string(
		    ipctype_table[x->t.type].name));
		to_vals(x, v);
		for (size_t k = 0; k < NKEYS; k++)
			json_object_set_new(o, int_keys[k], json_integer(v[k]));
		json_array_append_new(arr, o);
	}
	free(old);
	json_object_set_new(root, "objects", arr);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL) {
		snprintf(err, errlen, "cannot write '%s': out of memory", path);
		errno = ENOMEM;
		return -1;
	}
	r = atomicfile_write(path, text, strlen(text), 0600, err, errlen);
	e = errno;
	free(text);
	errno = e;
	return r;
}
