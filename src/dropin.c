/*
 * dropin.c: atomic file writes for sysctl.d drop-ins and the rollback
 * record.
 * A file is replaced by writing a temporary file in the same directory
 * (O_EXCL, O_NOFOLLOW), fsync, rename over the target, then fsync of the
 * directory, so a crash leaves the old or the new file, never half of
 * one.  Symlinks are refused: root must not be steered into another file.
 * It also owns what a drop-in may hold (only allowlisted IPC keys, text
 * without control characters), where one may live (the sysctl.d
 * directories), and the removal of the temporary files a killed writer
 * left; it never decides whether to write, which is the commands' call.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "dirsafe.h"
#include "dropin.h"
#include "infile.h"
#include "ipctune.h"
#include "numparse.h"
#include "profile.h"
#include "sysctld.h"
#include "textcheck.h"
#include "xmalloc.h"

#define DROPIN_HEADER "# Written by ipctune "
#define DROPIN_TMP ".tmp."

char *
dropin_render(const char *profiles, const char *variables, int64_t when,
    const struct dropin_line *lines, size_t n)
{
	char ts[32], *out, *p;
	time_t t = (time_t)when;
	struct tm tm;
	size_t cap = 1024;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < n; i++)
		cap += strlen(lines[i].key) + strlen(lines[i].value) + 8;
	cap += strlen(profiles) + strlen(variables);
	out = p = xmalloc(cap);
	p += snprintf(p, cap - (size_t)(p - out),
	    "# Written by ipctune %s ('ipctune apply') at %s.\n"
	    "# Profiles: %s\n"
	    "# Variables: %s\n"
	    "# 'ipctune verify' reports drift; 'ipctune rollback' restores "
	    "the previous\n# content of this file.\n",
	    IPCTUNE_VERSION, ts, profiles, *variables ? variables : "(none)");
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - out), "%s = %s\n",
		    lines[i].key, lines[i].value);
	return out;
}

/*
 * LINE (a whole line, comments excluded) in ipctune's form into OUT as
 * "key = v1 v2": an allowlisted IPC key, then as many decimal numbers as
 * the key has fields.  False for anything else, "-key" lines included.
 */
static bool
canonical_line(const char *line, char *out, size_t outlen)
{
	char buf[256], *eq, *key, *val, *tok, *save = NULL, *e;
	enum sysctl_id id;
	char kerr[256];
	int n = 0, want;
	size_t o;

	if (strlen(line) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", line);
	eq = strchr(buf, '=');
	if (eq == NULL)
		return false;
	*eq = '\0';
	key = buf;
	while (*key == ' ' || *key == '\t')
		key++;
	for (e = key + strlen(key); e > key && (e[-1] == ' ' ||
	    e[-1] == '\t'); e--)
		;
	*e = '\0';
	if (profile_check_key(key, &id, kerr, sizeof(kerr)) < 0)
		return false;
	want = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
	o = (size_t)snprintf(out, outlen, "%s =", key);
	val = eq + 1;
	for (tok = strtok_r(val, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		uint64_t v;

		if (n >= want || num_parse_u64(tok, 0, UINT64_MAX, &v) < 0 ||
		    o >= outlen)
			return false;
		o += (size_t)snprintf(out + o, outlen - o, " %" PRIu64, v);
		n++;
	}
	return n == want && o < outlen;
}

/* Call FN for each non-blank, non-comment line of TEXT with its number. */
static void
each_line(const char *text, void (*fn)(const char *, int, void *),
    void *ctx)
{
	const char *line = text;
	char buf[1024];
	int no = 0;

	while (*line) {
		const char *nl = strchr(line, '\n'), *s = line;
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		no++;
		while (s < line + n && (*s == ' ' || *s == '\t' ||
		    *s == '\r'))
			s++;
		if (s < line + n && *s != '#' && *s != ';') {
			snprintf(buf, sizeof(buf), "%.*s", (int)(line + n - s),
			    s);
			fn(buf, no, ctx);
		}
		line += n + (nl != NULL);
	}
}

struct foreign_ctx {
	const char *wrote;	/* canonical lines, one per line, or NULL */
	struct dropin_foreign *f;
	size_t n, cap;
};

/* The key of a canonical line "key = v...", as "key =". */
static void
key_part(char *c)
{
	char *eq = strchr(c, '=');

	if (eq != NULL)
		eq[1] = '\0';
}

static void
collect_keys(const char *line, int no, void *ctx)
{
	char **acc = ctx, c[256];

	(void)no;
	if (canonical_line(line, c, sizeof(c))) {
		char *old = *acc;

		key_part(c);
		*acc = xasprintf("%s%s\n", old, c);
		free(old);
	}
}

static bool
has_line(const char *lines, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = lines; (p = strstr(p, line)) != NULL; p++)
		if ((p == lines || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static void
check_foreign(const char *line, int no, void *ctx)
{
	struct foreign_ctx *fc = ctx;
	char c[256];

	if (canonical_line(line, c, sizeof(c))) {
		key_part(c);
		if (fc->wrote == NULL || has_line(fc->wrote, c))
			return;
	}
	xgrow(&fc->f, fc->n, &fc->cap, sizeof(*fc->f));
	fc->f[fc->n].line = no;
	fc->f[fc->n].text = xstrdup(line);
	fc->n++;
}

size_t
dropin_foreign_lines(const char *text, const char *wrote,
    struct dropin_foreign **out)
{
	struct foreign_ctx fc = { NULL, NULL, 0, 0 };
	char *canon = NULL;

	if (wrote != NULL) {
		canon = xstrdup("");
		each_line(wrote, collect_keys, &canon);
		fc.wrote = canon;
	}
	each_line(text, check_foreign, &fc);
	free(canon);
	*out = fc.f;
	return fc.n;
}

void
dropin_foreign_free(struct dropin_foreign *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].text);
	free(f);
}

bool
dropin_has_header(const char *text)
{
	return strncmp(text, DROPIN_HEADER, strlen(DROPIN_HEADER)) == 0;
}

int
dropin_generate(const char *profiles, const char *variables, int64_t when,
    const struct dropin_line *lines, size_t n, char **text, char *err,
    size_t errlen)
{
	struct sysctld_plan plan;
	struct dropin_foreign *f;
	size_t nf;
	int ok = 0;

	*text = NULL;
	if (textcheck_field("the profile name", profiles, err, errlen) < 0 ||
	    textcheck_field("the variables", variables, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char line[256], c[256];

		snprintf(line, sizeof(line), "%s = %s", lines[i].key,
		    lines[i].value);
		if (textcheck_field("the sysctl line", line, err, errlen) < 0)
			return -1;
		if (!canonical_line(line, c, sizeof(c))) {
			snprintf(err, errlen, "refusing to write '%s': not an "
			    "IPC limit ipctune sets", line);
			errno = EINVAL;
			return -1;
		}
	}
	*text = dropin_render(profiles, variables, when, lines, n);
	/* read it back as the boot will: only the lines asked for */
	nf = dropin_foreign_lines(*text, NULL, &f);
	dropin_foreign_free(f, nf);
	sysctld_plan_init(&plan);
	plan.files = xcalloc(1, sizeof(*plan.files));
	plan.nfiles = plan.capfiles = 1;
	plan.files[0].path = xstrdup("drop-in");
	plan.files[0].basename = xstrdup("drop-in");
	sysctld_parse(&plan, 0, *text);
	for (size_t i = 0; i < plan.nassigns; i++) {
		const struct sysctld_assign *a = &plan.assigns[i];

		if (a->glob || a->exclude || a->ignore_failure ||
		    i >= n || strcmp(a->key, lines[i].key) != 0)
			ok = -1;
	}
	if (nf > 0 || plan.nassigns != n)
		ok = -1;
	sysctld_plan_release(&plan);
	if (ok < 0) {
		snprintf(err, errlen, "the drop-in would hold lines ipctune "
		    "did not ask for: refusing to write it");
		free(*text);
		*text = NULL;
		errno = EINVAL;
		return -1;
	}
	return 0;
}

char *
dropin_body(const char *text)
{
	size_t len = strlen(text);
	char *out = xmalloc(len + 1), *o = out;
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *s = line;

		while (s < line + n && (*s == ' ' || *s == '\t'))
			s++;
		if (s < line + n && *s != '#' && *s != ';') {
			memcpy(o, line, n);
			o += n;
			*o++ = '\n';
		}
		line += n + (nl != NULL);
	}
	*o = '\0';
	return out;
}

int
dropin_read(const char *path, char **text, char *err, size_t errlen)
{
	struct stat st;
	size_t len;

	*text = NULL;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot stat '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "refusing '%s': it is a symbolic link",
		    path);
		errno = ELOOP;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "refusing '%s': not a regular file",
		    path);
		errno = EINVAL;
		return -1;
	}
	if (infile_read(path, 0, DROPIN_MAX_BYTES, text, &len, NULL, 0) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
fsync_dir(const char *path, char *err, size_t errlen)
{
	char *copy = xstrdup(path);
	int fd, r = 0;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0) {
		snprintf(err, errlen, "cannot sync the directory of '%s': %s",
		    path, strerror(errno));
		r = -1;
	}
	if (fd >= 0)
		close(fd);
	free(copy);
	return r;
}

int
dropin_write(const char *path, const char *text, unsigned mode, char *err,
    size_t errlen)
{
	char tmp[PATH_MAX];
	struct stat st;
	size_t len = strlen(text), off = 0;
	int fd, e;

	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "refusing '%s': %s", path,
		    S_ISLNK(st.st_mode) ? "it is a symbolic link" :
		    "not a regular file");
		errno = ELOOP;
		return -1;
	}
	/* a sysctl.d file runs as root at boot: its directory must be safe */
	{
		char *copy = xstrdup(path), msg[1024];
		int r = dirsafe_check(dirname(copy), geteuid(), msg,
		    sizeof(msg));

		free(copy);
		if (r < 0) {
			e = errno;
			snprintf(err, errlen, "refusing to write '%s': %s",
			    path, msg);
			errno = e;
			return -1;
		}
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
	    (long)getpid()) >= sizeof(tmp)) {
		snprintf(err, errlen, "path too long: '%s'", path);
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot create '%s': %s%s", tmp,
		    strerror(e), e == EACCES ? " (run as root)" : "");
		errno = e;
		return -1;
	}
	/*
	 * held until close or death: dropin_clean_stale leaves a locked
	 * temporary file alone, even one whose PID it cannot see
	 */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	/* the umask must not change the mode of a sysctl.d file */
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	return fsync_dir(path, err, errlen);
fail:
	e = errno;
	snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

int
dropin_remove(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "refusing to remove '%s': not a regular "
		    "file", path);
		return -1;
	}
	if (unlink(path) < 0) {
		snprintf(err, errlen, "cannot remove '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return fsync_dir(path, err, errlen);
}

/* The sysctl.d directories, strongest first (as sysctld.c reads them). */
static const char *const dropin_dirs[] = {
	"/etc/sysctl.d",
	"/run/sysctl.d",
	"/usr/local/lib/sysctl.d",
	"/usr/lib/sysctl.d",
	"/lib/sysctl.d",
};

bool
dropin_location_ok(const char *path, const char *root, bool *sysctld)
{
	size_t rn = root != NULL ? strlen(root) : 0, len;
	const char *rest, *base;

	*sysctld = false;
	/* "DIR/" and "DIR" name the same prefix */
	while (rn > 0 && root[rn - 1] == '/')
		rn--;
	if (path[0] != '/' || strncmp(path, root != NULL ? root : "", rn) !=
	    0 || strstr(path, "/./") != NULL || strstr(path, "/../") !=
	    NULL || strstr(path, "//") != NULL)
		return false;
	rest = path + rn;
	if (strcmp(rest, "/etc/sysctl.conf") == 0)
		return true;
	base = strrchr(rest, '/') + 1;
	len = strlen(base);
	if (len < 6 || base[0] == '.' || strcmp(base + len - 5, ".conf") != 0)
		return false;
	for (size_t i = 0; i < sizeof(dropin_dirs) / sizeof(*dropin_dirs);
	    i++) {
		size_t dn = strlen(dropin_dirs[i]);

		if (strncmp(rest, dropin_dirs[i], dn) == 0 &&
		    rest + dn + 1 == base) {
			*sysctld = true;
			return true;
		}
	}
	return false;
}

/* The PID of a temporary file name BASE.tmp.PID, or 0 if it is not one. */
static pid_t
stale_pid(const char *name, const char *base)
{
	size_t bn = strlen(base), tn = strlen(DROPIN_TMP);
	char again[32];
	uint64_t pid;

	if (strncmp(name, base, bn) != 0 || strncmp(name + bn, DROPIN_TMP,
	    tn) != 0 || num_parse_u64(name + bn + tn, 1, INT32_MAX,
	    &pid) < 0)
		return 0;
	/* exactly the name dropin_write makes: no "007", no "+7" */
	snprintf(again, sizeof(again), "%" PRIu64, pid);
	return strcmp(again, name + bn + tn) == 0 ? (pid_t)pid : 0;
}

/* Remove NAME in DFD if it is a stale temporary file of ours: 1, 0, -1. */
static int
clean_one(int dfd, const char *name, pid_t pid)
{
	struct stat st, fst;
	int fd, r = 0, e;

	if (pid == getpid() || fstatat(dfd, name, &st,
	    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()))
		return 0;
	/* a live PID keeps its file, even if the PID was reused */
	if (kill(pid, 0) == 0 || errno != ESRCH)
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	/* the writer's lock: held by a writer this PID namespace cannot see */
	if (fstat(fd, &fst) == 0 && fst.st_dev == st.st_dev &&
	    fst.st_ino == st.st_ino && S_ISREG(fst.st_mode)) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			r = unlinkat(dfd, name, 0) == 0 ? 1 : -1;
		else if (errno != EWOULDBLOCK)
			r = -1;
	}
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int
dropin_clean_stale(const char *path, int *nremoved, char *err,
    size_t errlen)
{
	char *copy = xstrdup(path), *base = strrchr(copy, '/');
	const char *dir;
	struct dirent *de;
	DIR *d;
	int dfd, r = 0, e;

	*nremoved = 0;
	if (base == NULL) {
		free(copy);
		return 0;
	}
	*base++ = '\0';
	dir = copy[0] != '\0' ? copy : "/";
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		e = errno;
		if (e != ENOENT)
			snprintf(err, errlen, "cannot look for stale temporary "
			    "files of '%s': %s", path, strerror(e));
		free(copy);
		errno = e;
		return e == ENOENT ? 0 : -1;
	}
	d = fdopendir(dup(dfd));
	if (d == NULL) {
		e = errno;
		snprintf(err, errlen, "cannot look for stale temporary files "
		    "of '%s': %s", path, strerror(e));
		close(dfd);
		free(copy);
		errno = e;
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t pid = stale_pid(de->d_name, base);
		int one;

		if (pid == 0)
			continue;
		one = clean_one(dfd, de->d_name, pid);
		if (one > 0) {
			(*nremoved)++;
		} else if (one < 0 && r == 0) {
			e = errno;
			snprintf(err, errlen, "cannot remove the stale "
			    "temporary file '%s/%s': %s", dir, de->d_name,
			    strerror(e));
			r = -1;
		}
	}
	closedir(d);
	if (*nremoved > 0 && fsync(dfd) < 0 && r == 0) {
		snprintf(err, errlen, "cannot sync '%s': %s", dir,
		    strerror(errno));
		r = -1;
	}
	close(dfd);
	free(copy);
	return r;
}
