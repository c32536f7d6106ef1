/*
 * fleet.c: the snapshots of a fleet.  It walks the operands (Ansible's
 * fetch puts each host's file under a directory named after the host),
 * counts each file once however it is named, and loads one snapshot at
 * a time through snapshot.c, so memory follows the number of hosts.  It
 * keeps what failed as data and never prints or judges.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fleet.h"
#include "xmalloc.h"

/* Directories deeper than this below an operand are not walked. */
#define FLEET_MAX_DEPTH 16

void
fleet_init(struct fleet *f)
{
	memset(f, 0, sizeof(*f));
}

void
fleet_release(struct fleet *f)
{
	for (size_t i = 0; i < f->npaths; i++)
		free(f->paths[i]);
	free(f->paths);
	for (size_t i = 0; i < f->nskips; i++) {
		free(f->skips[i].path);
		free(f->skips[i].reason);
	}
	free(f->skips);
	free(f->ids);
	fleet_init(f);
}

static void
add_path(struct fleet *f, char *path)
{
	xgrow(&f->paths, f->npaths, &f->cappaths, sizeof(*f->paths));
	f->paths[f->npaths++] = path;
}

static void
add_skip(struct fleet *f, const char *path, const char *reason)
{
	xgrow(&f->skips, f->nskips, &f->capskips, sizeof(*f->skips));
	f->skips[f->nskips].path = xstrdup(path);
	f->skips[f->nskips++].reason = xstrdup(reason);
}

/*
 * Add PATH, a file whose stat(2) is ST, unless the same file (device and
 * inode) is listed already: a hard link, a symbolic link to a file, or
 * a file named twice.  Takes PATH over.
 */
static void
add_file(struct fleet *f, char *path, const struct stat *st)
{
	for (size_t i = 0; i < f->nids; i++)
		if (f->ids[i].dev == st->st_dev &&
		    f->ids[i].ino == st->st_ino) {
			free(path);
			return;
		}
	xgrow(&f->ids, f->nids, &f->capids, sizeof(*f->ids));
	f->ids[f->nids].dev = st->st_dev;
	f->ids[f->nids++].ino = st->st_ino;
	add_path(f, path);
}

/* One entry of a directory being walked. */
struct walk_entry {
	char *path;
	bool dir;
	struct stat st;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct walk_entry *)a)->path,
	    ((const struct walk_entry *)b)->path);
}

static bool
is_json_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/*
 * The entry NAME of DIR into E if it is a *.json file or a directory.
 * A link counts as what it names, unless that is a directory.
 */
static bool
walk_entry(const char *dir, const char *name, struct walk_entry *e)
{
	char *path = xasprintf("%s/%s", dir, name);

	if (lstat(path, &e->st) < 0)
		goto skip;
	e->dir = S_ISDIR(e->st.st_mode);
	if (S_ISLNK(e->st.st_mode) && (stat(path, &e->st) < 0 ||
	    !S_ISREG(e->st.st_mode)))
		goto skip;
	if (!e->dir && !(S_ISREG(e->st.st_mode) && is_json_name(name)))
		goto skip;
	e->path = path;
	return true;
skip:
	free(path);
	return false;
}

/*
 * Every *.json file under DIR, depth first in name order.  Symbolic
 * links to directories are not followed: a "latest" link to one of the
 * dated directories would count every host twice, and a link to an
 * ancestor would loop.  Unreadable directories are skipped with the
 * reason.
 */
static void
walk_dir(struct fleet *f, const char *dir, int depth)
{
	struct walk_entry *sub = NULL;
	size_t nsub = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if (depth > FLEET_MAX_DEPTH) {
		add_skip(f, dir, "directories nested too deep");
		return;
	}
	d = opendir(dir);
	if (d == NULL) {
		add_skip(f, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xgrow(&sub, nsub, &cap, sizeof(*sub));
		if (walk_entry(dir, de->d_name, &sub[nsub]))
			nsub++;
	}
	closedir(d);
	if (nsub > 1)
		qsort(sub, nsub, sizeof(*sub), entry_cmp);
	for (size_t i = 0; i < nsub; i++) {
		if (sub[i].dir) {
			walk_dir(f, sub[i].path, depth + 1);
			free(sub[i].path);
		} else {
			add_file(f, sub[i].path, &sub[i].st);
		}
	}
	free(sub);
}

void
fleet_add(struct fleet *f, const char *arg)
{
	struct stat st;

	/* an operand is followed: the user named it */
	if (strcmp(arg, "-") == 0 || stat(arg, &st) < 0)
		add_path(f, xstrdup(arg));
	else if (S_ISDIR(st.st_mode))
		walk_dir(f, arg, 0);
	else
		add_file(f, xstrdup(arg), &st);
}

int
fleet_load(const struct fleet *f, size_t i, struct kstate *ks,
    struct snapshot_extra *x, struct snapshot_error *e)
{
	kstate_init(ks);
	return snapshot_read(f->paths[i], ks, x, e);
}
