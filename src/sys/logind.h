/*
 * logind.h: whether systemd-logind's RemoveIPC= is in effect, and which
 * uids count as system users.  The parsers are pure; logind_load() only
 * reads the configuration files (under a --root prefix for tests).
 */
#ifndef LOGIND_H
#define LOGIND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct logind_conf {
	bool systemd;		/* booted with systemd (/run/systemd/system) */
	bool removeipc;		/* the value in effect */
	char source[256];	/* the file that set it last, or "default" */
	uid_t sys_uid_max;	/* SYS_UID_MAX of login.defs, default 999 */
	char unreadable[768];	/* the first file that exists but could not
				   be read, and why; "" if none */
};

/*
 * Apply the RemoveIPC= assignments of the [Login] section of TEXT to
 * *VAL (the last one wins).  1 if TEXT set it, 0 if not.
 */
int logind_parse_removeipc(const char *text, bool *val);

/* SYS_UID_MAX from login.defs TEXT into *OUT; 0, or -1 if absent. */
int logind_parse_sys_uid_max(const char *text, uid_t *out);

/* Parse a systemd boolean (yes/no, true/false, on/off, 1/0); 0 or -1. */
int logind_parse_bool(const char *s, bool *val);

/*
 * Read logind.conf and its drop-ins (/etc, /run, /usr/local/lib,
 * /usr/lib; drop-ins by file name, /etc first) and /etc/login.defs under
 * ROOT (NULL or "" for /) into C.  A file that is a character device
 * (a link to /dev/null) is masked, as systemd has it; one that cannot be
 * read (a FIFO, say) is skipped and named in C->unreadable.
 */
void logind_load(const char *root, struct logind_conf *c);

#endif
