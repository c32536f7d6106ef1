/*
 * profstore.c: finding and reading workload profiles on the search path.
 * A name is looked up in the search directories (the last one wins), as
 * root only in files and directories nobody else may write; includes are
 * followed with cycle detection.  Reads the profile files and nothing
 * else; the parsing and the evaluation are profile.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "infile.h"
#include "profile.h"
#include "profstore.h"
#include "xmalloc.h"

/*
 * As root, refuse what someone other than root could have written or
 * swapped, as sshd's StrictModes does: PATH after resolving symlinks, and
 * every directory above it, must be owned by root.  The first STRICT of
 * them (the file and its directory, or the directory) must not be
 * writable by group or others either.  Above those, a directory must not
 * be writable by others unless it is sticky (/tmp: only root may rename
 * the root-owned entry below it); a group the admin gave write access,
 * such as Debian's staff on /usr/local/share (2775), is trusted.
 */
static int
check_modes(const char *path, int strict, char *err, size_t errlen)
{
	char real[PATH_MAX];
	struct stat st;

	if (realpath(path, real) == NULL) {
		snprintf(err, errlen, "cannot resolve '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	for (int level = 0; ; level++) {
		char who[PATH_MAX + 2], *slash;

		/* name the resolved path only where it is another one */
		if (strcmp(path, real) == 0)
			snprintf(who, sizeof(who), "it");
		else
			snprintf(who, sizeof(who), "'%s'", real);
		if (stat(real, &st) < 0) {
			snprintf(err, errlen, "cannot stat '%s': %s", real,
			    strerror(errno));
			return -1;
		}
		if (st.st_uid != 0) {
			snprintf(err, errlen, "refusing '%s': %s is owned by "
			    "uid %u, not root", path, who,
			    (unsigned)st.st_uid);
			return -1;
		}
		if (level < strict ? (st.st_mode & 022) != 0 :
		    (st.st_mode & 002) != 0 && !(st.st_mode & S_ISVTX)) {
			snprintf(err, errlen, "refusing '%s': %s is writable "
			    "by group or others (run 'chmod go-w %s')", path,
			    who, real);
			return -1;
		}
		if (strcmp(real, "/") == 0)
			return 0;
		slash = strrchr(real, '/');
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/* Find NAME.conf on the search path; the last directory wins. */
static int
find_profile(const char *name, const struct profile_search *s, char *path,
    size_t pathlen, char *err, size_t errlen)
{
	struct stat st;

	if (!profile_valid_name(name)) {
		snprintf(err, errlen, "'%.64s' is not a profile name (letters, "
		    "digits, '-', '_' and '.')", name);
		return -1;
	}
	for (size_t i = s->ndirs; i-- > 0;) {
		snprintf(path, pathlen, "%s/%s.conf", s->dirs[i], name);
		if (stat(path, &st) == 0) {
			if (!S_ISREG(st.st_mode)) {
				snprintf(err, errlen, "'%s' is not a regular "
				    "file", path);
				return -1;
			}
			if (s->strict_modes && (check_modes(s->dirs[i], 1,
			    err, errlen) < 0 || check_modes(path, 2, err,
			    errlen) < 0))
				return -1;
			return 0;
		}
	}
	snprintf(err, errlen, "no profile '%s' (see 'ipctune profiles')",
	    name);
	return -1;
}

static int
load_rec(const char *name, const struct profile_search *s,
    struct profile *p, const char **stack, int depth, char *err,
    size_t errlen)
{
	struct profile own;
	char path[4096], *buf, why[128];
	size_t len;
	int r = -1;

	if (depth >= PROFILE_MAX_INCLUDE_DEPTH) {
		snprintf(err, errlen, "includes nested too deeply at '%s' (the "
		    "limit is %d)", name, PROFILE_MAX_INCLUDE_DEPTH);
		return -1;
	}
	if (find_profile(name, s, path, sizeof(path), err, errlen) < 0)
		return -1;
	if (infile_read(path, 0, PROFILE_MAX_BYTES, &buf, &len, why,
	    sizeof(why)) < 0) {
		if (errno == EFBIG)
			snprintf(err, errlen, "%s: file too large (the limit "
			    "is %d bytes)", path, PROFILE_MAX_BYTES);
		else
			snprintf(err, errlen, "cannot read '%s': %s", path,
			    why);
		return -1;
	}
	profile_init(&own);
	if (profile_parse_string(&own, buf, len, path, err, errlen) < 0)
		goto out;
	stack[depth] = name;
	for (size_t i = 0; i < own.nincludes; i++) {
		const char *inc = own.includes[i].name;

		for (int j = 0; j <= depth; j++)
			if (strcmp(stack[j], inc) == 0) {
				char chain[1024] = "";

				for (int k = j; k <= depth; k++) {
					strncat(chain, stack[k], sizeof(chain) -
					    strlen(chain) - 1);
					strncat(chain, " -> ", sizeof(chain) -
					    strlen(chain) - 1);
				}
				strncat(chain, inc, sizeof(chain) -
				    strlen(chain) - 1);
				snprintf(err, errlen, "%s:%d: include cycle: %s",
				    own.includes[i].loc.file,
				    own.includes[i].loc.line, chain);
				goto out;
			}
		if (load_rec(inc, s, p, stack, depth + 1, err, errlen) < 0) {
			char msg[1024];

			snprintf(msg, sizeof(msg), "%s", err);
			snprintf(err, errlen, "%s (included at %s:%d)", msg,
			    own.includes[i].loc.file,
			    own.includes[i].loc.line);
			goto out;
		}
	}
	profile_merge(p, &own);
	if (depth == 0) {
		free(p->path);
		p->path = xstrdup(path);
	}
	r = 0;
out:
	profile_release(&own);
	free(buf);
	return r;
}

int
profstore_load(const char *name, const struct profile_search *s,
    struct profile *p, char *err, size_t errlen)
{
	const char *stack[PROFILE_MAX_INCLUDE_DEPTH];

	if (load_rec(name, s, p, stack, 0, err, errlen) < 0)
		return -1;
	free(p->name);
	p->name = xstrdup(name);
	return 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct profile_entry *)a)->name,
	    ((const struct profile_entry *)b)->name);
}

int
profstore_list(const struct profile_search *s,
    struct profile_entry **entries, size_t *n, char *err, size_t errlen)
{
	struct profile_entry *e = NULL;
	size_t ne = 0, cap = 0;

	for (size_t i = 0; i < s->ndirs; i++) {
		DIR *d = opendir(s->dirs[i]);
		struct dirent *de;

		if (d == NULL)
			continue;	/* a missing directory adds nothing */
		while ((de = readdir(d)) != NULL) {
			size_t len = strlen(de->d_name);
			char name[128];
			size_t j;

			if (len < 6 || len - 5 >= sizeof(name) ||
			    strcmp(de->d_name + len - 5, ".conf") != 0)
				continue;
			memcpy(name, de->d_name, len - 5);
			name[len - 5] = '\0';
			if (!profile_valid_name(name))
				continue;
			for (j = 0; j < ne; j++)
				if (strcmp(e[j].name, name) == 0)
					break;
			if (j == ne) {
				xgrow(&e, ne, &cap, sizeof(*e));
				memset(&e[ne], 0, sizeof(*e));
				e[ne++].name = xstrdup(name);
			}
		}
		closedir(d);
	}
	/* qsort(NULL, 0, ...) is undefined: no directory may add a file */
	if (ne > 1)
		qsort(e, ne, sizeof(*e), entry_cmp);
	for (size_t i = 0; i < ne; i++) {
		struct profile p;
		char msg[1024];

		profile_init(&p);
		if (profstore_load(e[i].name, s, &p, msg, sizeof(msg)) < 0) {
			e[i].error = xstrdup(msg);
		} else {
			e[i].path = xstrdup(p.path);
			e[i].summary = xstrdup(p.summary ? p.summary : "");
			e[i].source = xstrdup(p.source ? p.source : "");
		}
		profile_release(&p);
	}
	(void)err;
	(void)errlen;
	*entries = e;
	*n = ne;
	return 0;
}

void
profstore_list_free(struct profile_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(entries[i].name);
		free(entries[i].path);
		free(entries[i].summary);
		free(entries[i].source);
		free(entries[i].error);
	}
	free(entries);
}
