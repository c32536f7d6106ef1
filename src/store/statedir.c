/*
 * statedir.c: the state directory of ipctune (FHS /var/lib for root, XDG
 * state home for users, $STATE_DIRECTORY under systemd).  Resolution reads
 * the environment only through the injected lookup; statedir_create()
 * and the existence test of statedir_file_read() are the only functions
 * here that touch the file system.
 */
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirsafe.h"
#include "statedir.h"

/*
 * getenv(3), except that an unset or empty HOME is the home directory of
 * the effective user in the password database, as login(1) would have set
 * it: services such as icinga2.service run their plugins without HOME.
 */
const char *
statedir_getenv(const char *name)
{
	static char home[4096];
	const char *v = getenv(name);
	const struct passwd *pw;

	if (strcmp(name, "HOME") != 0 || (v != NULL && *v != '\0'))
		return v;
	errno = 0;
	pw = getpwuid(geteuid());
	if (pw == NULL || pw->pw_dir == NULL ||
	    strlen(pw->pw_dir) >= sizeof(home))
		return v;
	memcpy(home, pw->pw_dir, strlen(pw->pw_dir) + 1);
	return home;
}

/* An absolute, non-empty path that fits; relative values are ignored. */
static int
usable(const char *v)
{
	return v != NULL && v[0] == '/';
}

static int
put(char *buf, size_t len, char *err, size_t errlen, const char *what,
    const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s%s", a, b);

	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "state directory from %s is too long",
		    what);
		errno = ENAMETOOLONG;
		return -1;
	}
	/* drop trailing slashes, but keep "/" */
	for (size_t l = strlen(buf); l > 1 && buf[l - 1] == '/'; l--)
		buf[l - 1] = '\0';
	return 0;
}

int
statedir_resolve(statedir_getenv_fn getenv_fn, uid_t euid, char *buf,
    size_t len, char *err, size_t errlen)
{
	const char *v;

	v = getenv_fn("IPCTUNE_STATE_DIR");
	if (v != NULL && *v != '\0') {
		if (!usable(v)) {
			snprintf(err, errlen, "IPCTUNE_STATE_DIR '%s' is not "
			    "an absolute path", v);
			errno = EINVAL;
			return -1;
		}
		return put(buf, len, err, errlen, "IPCTUNE_STATE_DIR", v, "");
	}
	/* systemd StateDirectory=: may be a colon-separated list */
	v = getenv_fn("STATE_DIRECTORY");
	if (usable(v)) {
		char first[4096];
		size_t n = strcspn(v, ":");

		if (n >= sizeof(first)) {
			snprintf(err, errlen, "STATE_DIRECTORY is too long");
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(first, v, n);
		first[n] = '\0';
		return put(buf, len, err, errlen, "STATE_DIRECTORY", first,
		    "");
	}
	if (euid == 0)
		return put(buf, len, err, errlen, "the default",
		    STATEDIR_SYSTEM, "");
	/* XDG Base Directory 0.8: relative values must be ignored */
	v = getenv_fn("XDG_STATE_HOME");
	if (usable(v))
		return put(buf, len, err, errlen, "XDG_STATE_HOME", v,
		    "/ipctune");
	v = getenv_fn("HOME");
	if (usable(v))
		return put(buf, len, err, errlen, "HOME", v,
		    "/.local/state/ipctune");
	snprintf(err, errlen, "cannot find a state directory: HOME is not "
	    "set (set XDG_STATE_HOME or IPCTUNE_STATE_DIR)");
	errno = ENOENT;
	return -1;
}

int
statedir_path(const char *dir, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
statedir_create(const char *dir, mode_t mode, char *err, size_t errlen)
{
	char path[4096];
	struct stat st;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(path)) {
		snprintf(err, errlen, "invalid state directory '%s'", dir);
		errno = EINVAL;
		return -1;
	}
	/* nothing is created through another user's link or directory */
	if (dirsafe_check_prefix(dir, geteuid(), path, sizeof(path)) < 0) {
		int e = errno;

		snprintf(err, errlen, "refusing state directory '%s': %s",
		    dir, path);
		errno = e;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; ; p++) {
		bool last = *p == '\0';

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(path, last ? mode : 0755) < 0 && errno != EEXIST) {
			int e = errno;

			snprintf(err, errlen, "cannot create directory '%s': "
			    "%s%s", path, strerror(e), e == EACCES ?
			    " (run as root, or set IPCTUNE_STATE_DIR)" : "");
			errno = e;
			return -1;
		}
		if (last)
			break;
		*p = '/';
	}
	if (stat(dir, &st) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot use state directory '%s': %s",
		    dir, strerror(e));
		errno = e;
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "state directory '%s' is not a "
		    "directory", dir);
		errno = ENOTDIR;
		return -1;
	}
	if (dirsafe_check(dir, geteuid(), path, sizeof(path)) < 0) {
		int e = errno;

		snprintf(err, errlen, "refusing state directory '%s': %s",
		    dir, path);
		errno = e;
		return -1;
	}
	return 0;
}

int
statedir_file(statedir_getenv_fn getenv_fn, uid_t euid, const char *name,
    bool create, char *buf, size_t len, char *err, size_t errlen)
{
	char dir[4096];

	if (statedir_resolve(getenv_fn, euid, dir, sizeof(dir), err,
	    errlen) < 0)
		return -1;
	if (create && statedir_create(dir, 0755, err, errlen) < 0)
		return -1;
	if (statedir_path(dir, name, buf, len) < 0) {
		snprintf(err, errlen, "state directory '%s' is too long", dir);
		return -1;
	}
	return 0;
}

int
statedir_file_read(statedir_getenv_fn getenv_fn, uid_t euid,
    const char *name, const char *fallback_dir, char *buf, size_t len,
    char *err, size_t errlen)
{
	const char *v1 = getenv_fn("IPCTUNE_STATE_DIR");
	const char *v2 = getenv_fn("STATE_DIRECTORY");
	bool own;
	char alt[4096];

	own = statedir_file(getenv_fn, euid, name, false, buf, len, err,
	    errlen) == 0;
	if ((v1 != NULL && *v1 != '\0') || usable(v2) || euid == 0)
		return own ? 0 : -1;
	/*
	 * EACCES: a HOME the user cannot search (sudo -u without -H keeps
	 * root's) holds no file of the user's own either
	 */
	if (own && (access(buf, F_OK) == 0 ||
	    (errno != ENOENT && errno != EACCES)))
		return 0;
	/* no file of the user's own (or no home at all): the system's */
	if (statedir_path(fallback_dir, name, alt, sizeof(alt)) == 0 &&
	    access(alt, F_OK) == 0 && strlen(alt) < len) {
		memcpy(buf, alt, strlen(alt) + 1);
		return 0;
	}
	return own ? 0 : -1;
}
