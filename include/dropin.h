/*
 * dropin.h: the persistent writer.  Renders the sysctl.d drop-in that
 * apply installs and writes files atomically (a temporary file in the
 * same directory, fsync, rename, fsync of the directory), refusing
 * symlinks.  The only module that writes sysctl.d and state files.
 */
#ifndef DROPIN_H
#define DROPIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where apply writes by default: late in the basename order. */
#define DROPIN_DEFAULT_PATH "/etc/sysctl.d/zz-ipctune.conf"

/* The largest drop-in or state file read back, in bytes. */
#define DROPIN_MAX_BYTES (1u << 20)

/* One line of the drop-in. */
struct dropin_line {
	const char *key;
	char value[96];
};

/*
 * The drop-in text: a header naming PROFILES, VARIABLES and the time
 * WHEN, then "key = value" lines.  Free the result.
 */
char *dropin_render(const char *profiles, const char *variables,
    int64_t when, const struct dropin_line *lines, size_t n);

/* The lines of TEXT that are not comments or blank, for comparisons. */
char *dropin_body(const char *text);

/*
 * Read PATH into *TEXT, or set *TEXT to NULL if it does not exist.
 * Refuses a symlink or a non-regular file.  0, or -1 with ERR.
 */
int dropin_read(const char *path, char **text, char *err, size_t errlen);

/*
 * Replace PATH with TEXT atomically, with MODE.  Refuses to replace a
 * symlink.  0, or -1 with ERR (nothing changed).
 */
int dropin_write(const char *path, const char *text, unsigned mode,
    char *err, size_t errlen);

/* Remove PATH (not a symlink) and fsync its directory; 0 or -1. */
int dropin_remove(const char *path, char *err, size_t errlen);

#endif
