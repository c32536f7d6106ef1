/*
 * sysctld_load.c: the file reading half of the sysctl.d view.  It lists
 * the sysctl.d directories under a root prefix, finds where the drop-in
 * about to be written would sit, and reads the text of each file the
 * pure half (sysctld.c) picks, a link to /dev/null or a character device
 * read as empty.  It decides nothing about precedence and never writes.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "infile.h"
#include "sysctld_load.h"
#include "xmalloc.h"

#define SYSCTLD_MAX_BYTES (4u << 20)

/* Join ROOT and an absolute PATH. */
static void
rooted(const char *root, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", root, path);
}

/*
 * Read a file of the tree; a link to /dev/null (or absent) is empty.
 * A character device masks like a link to /dev/null (systemd's
 * null_or_empty()); a FIFO or any other special file is an error.
 */
static int
read_tree_file(const char *root, const char *path, char **text,
    bool *masked, char *err, size_t errlen)
{
	char full[PATH_MAX], target[PATH_MAX], why[128];
	struct stat st;
	size_t len;
	ssize_t n;

	*masked = false;
	rooted(root, path, full, sizeof(full));
	if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode)) {
		n = readlink(full, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			if (strcmp(target, "/dev/null") == 0) {
				*masked = true;
				*text = xstrdup("");
				return 0;
			}
			/* an absolute link points into the same tree */
			if (target[0] == '/')
				rooted(root, target, full, sizeof(full));
		}
	}
	switch (infile_read(full, INFILE_DEVMASK, SYSCTLD_MAX_BYTES, text,
	    &len, why, sizeof(why))) {
	case 1:
		*masked = true;
		return 0;
	case 0:
		return 0;
	default:
		if (errno == ENOENT) {
			*text = xstrdup("");
			return 0;
		}
		snprintf(err, errlen, "cannot read '%s': %s", full, why);
		return -1;
	}
}

/* Whether directory FULL is EXTRA_DIR ("//etc", "ROOT/./etc" name it too). */
static bool
same_dir(const char *full, const char *extra_dir)
{
	char real[PATH_MAX];

	return strcmp(realpath(full, real) != NULL ? real : full,
	    extra_dir) == 0;
}

/* The entries of FULL into *NAMES (none if it cannot be opened). */
static size_t
list_dir(const char *full, char ***names)
{
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir = opendir(full);

	*names = NULL;
	if (dir == NULL)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		xgrow(names, n, &cap, sizeof(**names));
		(*names)[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	return n;
}

/* Parse each file of PLAN: the extra's text, or what the tree holds. */
static int
read_files(const char *root, const char *extra_text,
    struct sysctld_plan *plan, char *err, size_t errlen)
{
	char *text;

	for (size_t i = 0; i < plan->nfiles; i++) {
		struct sysctld_file *f = &plan->files[i];

		if (f->is_extra) {
			sysctld_parse(plan, i, extra_text ? extra_text : "");
			continue;
		}
		if (read_tree_file(root, f->path, &text, &f->masked, err,
		    errlen) < 0)
			return -1;
		sysctld_parse(plan, i, text);
		free(text);
	}
	return 0;
}

int
sysctld_load(const char *root, enum sysctld_rules rules,
    const char *extra_path, const char *extra_text,
    struct sysctld_plan *plan, char *err, size_t errlen)
{
	struct sysctld_dirlist dirs[SYSCTLD_NDIRS];
	char **names[SYSCTLD_NDIRS];
	char full[PATH_MAX], extra_dir[PATH_MAX] = "", real[PATH_MAX];
	const char *extra_base = NULL, *slash;
	bool in_etc = false;
	int rc;

	if (root == NULL || strcmp(root, "/") == 0)
		root = "";
	slash = extra_path != NULL ? strrchr(extra_path, '/') : NULL;
	if (slash != NULL) {
		snprintf(extra_dir, sizeof(extra_dir), "%.*s",
		    (int)(slash - extra_path), extra_path);
		extra_base = slash + 1;
		/* "//etc/sysctl.d", "ROOT/./etc/..." name it too */
		if (realpath(extra_dir, real) != NULL)
			snprintf(extra_dir, sizeof(extra_dir), "%s", real);
	}
	memset(dirs, 0, sizeof(dirs));
	for (size_t d = 0; d < SYSCTLD_NDIRS; d++) {
		rooted(root, sysctld_dirs[d], full, sizeof(full));
		dirs[d].holds_extra = extra_base != NULL &&
		    same_dir(full, extra_dir);
		dirs[d].nnames = list_dir(full, &names[d]);
		dirs[d].names = (const char *const *)names[d];
	}
	if (rules == SYSCTLD_PROCPS && extra_base != NULL) {
		rooted(root, "/etc", full, sizeof(full));
		in_etc = same_dir(full, extra_dir);
	}
	sysctld_plan_files(plan, rules, dirs, extra_base, in_etc);
	for (size_t d = 0; d < SYSCTLD_NDIRS; d++) {
		for (size_t i = 0; i < dirs[d].nnames; i++)
			free(names[d][i]);
		free(names[d]);
	}
	rc = read_files(root, extra_text, plan, err, errlen);
	if (rc < 0)
		sysctld_plan_release(plan);
	return rc;
}
