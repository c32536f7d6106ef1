/*
 * dropin.h: the sysctl.d drop-in apply installs: its text, the lines of
 * a drop-in ipctune did not write, and where a drop-in may live.  Pure;
 * rootfile.h reads and writes the file.
 */
#ifndef DROPIN_H
#define DROPIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where apply writes by default: late in the basename order. */
#define DROPIN_DEFAULT_PATH "/etc/sysctl.d/zz-ipctune.conf"

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

/*
 * The checked drop-in: refuses PROFILES or VARIABLES with a control
 * character (textcheck.c), a key outside the IPC allowlist of profiles
 * or a value that is not decimal numbers, renders it, and parses the
 * result back to prove every assignment is one of LINES.  0 with *TEXT
 * (free it), or -1 with ERR and *TEXT NULL.
 */
int dropin_generate(const char *profiles, const char *variables,
    int64_t when, const struct dropin_line *lines, size_t n, char **text,
    char *err, size_t errlen);

/* One line of a drop-in that ipctune did not write. */
struct dropin_foreign {
	int line;		/* 1-based */
	char *text;
};

/*
 * The non-comment lines of TEXT that are not an allowlisted IPC
 * assignment in ipctune's form, or (if WROTE is not NULL) set a key that
 * WROTE does not set.  Returns their number; *OUT holds them (free it
 * with dropin_foreign_free).
 */
size_t dropin_foreign_lines(const char *text, const char *wrote,
    struct dropin_foreign **out);
/* Free what dropin_foreign_lines returned. */
void dropin_foreign_free(struct dropin_foreign *f, size_t n);

/* True if TEXT begins with the header that dropin_render writes. */
bool dropin_has_header(const char *text);

/*
 * Is PATH a place for a drop-in: a "*.conf" file directly in one of the
 * sysctl.d directories, or /etc/sysctl.conf, under the prefix ROOT ("" or
 * NULL for none), with no "." or ".." component?  *SYSCTLD is set true
 * for a sysctl.d directory (false for /etc/sysctl.conf).
 */
bool dropin_location_ok(const char *path, const char *root, bool *sysctld);

/* The lines of TEXT that are not comments or blank, for comparisons. */
char *dropin_body(const char *text);

#endif
