/*
 * statedir.h: where ipctune keeps state that must survive restarts (the
 * usage history, rollback state).  Resolving the directory is pure: the
 * environment and the effective uid are passed in, so tests drive it with
 * fakes.  Creating the directory is the one effect, kept apart.
 */
#ifndef STATEDIR_H
#define STATEDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The directory used by root when nothing else is set (FHS /var/lib). */
#define STATEDIR_SYSTEM "/var/lib/ipctune"

/* Looks up one environment variable; NULL when unset. */
typedef const char *(*statedir_getenv_fn)(const char *name);

/*
 * The real environment lookup, getenv(3), for the functions below; an
 * unset or empty HOME is the effective user's home directory from the
 * password database.
 */
const char *statedir_getenv(const char *name);

/*
 * Resolve the state directory into BUF: $IPCTUNE_STATE_DIR, else
 * $STATE_DIRECTORY (systemd; the first of a colon list), else
 * /var/lib/ipctune for euid 0, else $XDG_STATE_HOME/ipctune (absolute
 * values only) or $HOME/.local/state/ipctune.  0, or -1 with a message.
 */
int statedir_resolve(statedir_getenv_fn getenv_fn, uid_t euid, char *buf,
    size_t len, char *err, size_t errlen);

/*
 * Create DIR and its missing parents (mode 0755; DIR itself MODE), like
 * mkdir -p.  0, or -1 with errno kept and a message in ERR.
 */
int statedir_create(const char *dir, mode_t mode, char *err, size_t errlen);

/* Join DIR and NAME into BUF; 0, or -1 (ENAMETOOLONG) if it does not fit. */
int statedir_path(const char *dir, const char *name, char *buf, size_t len);

/*
 * The path of file NAME in the state directory (resolved as above), the
 * directory created first when CREATE.  0, or -1 with a message.
 */
int statedir_file(statedir_getenv_fn getenv_fn, uid_t euid,
    const char *name, bool create, char *buf, size_t len, char *err,
    size_t errlen);

/*
 * For reading: like statedir_file(), but when no directory was set
 * explicitly (IPCTUNE_STATE_DIR, STATE_DIRECTORY), a user whose own file
 * does not exist (or who has no home directory) reads FALLBACK_DIR/NAME
 * instead if that exists, so a monitoring user sees the history root's
 * timer records.
 */
int statedir_file_read(statedir_getenv_fn getenv_fn, uid_t euid,
    const char *name, const char *fallback_dir, char *buf, size_t len,
    char *err, size_t errlen);

#endif
