/*
 * calltext.h: one IPC call (System V, mq_open or mq_timedsend) as
 * strace(1) or perf-trace(1) prints it, parsed strictly into its
 * arguments and result.  Pure: a line in, a struct ipccall_args out;
 * anything the grammar does not know is an error with the column, never
 * a guess.  The calls, their arguments and the
 * errno names are ipccall's; only the spelling is kept here.
 */
#ifndef CALLTEXT_H
#define CALLTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipccall.h"

/* Which tool printed the line. */
enum calltext_source { CT_STRACE, CT_PERF };

/* The longest line accepted (strace prints long sembuf arrays). */
#define CALLTEXT_MAX_LINE 65536

struct calltext {
	struct ipccall_args args;	/* the call, arguments by position */
	enum calltext_source source;
	int64_t pid;		/* "[pid N]", "N  " (-ff -o) or perf's; -1 */
	char comm[32];		/* perf's command name, or "" */
	bool failed;		/* returned -1 with an errno */
	int err;		/* errno value, 0 when unknown or no failure */
	char errname[24];	/* "ENOSPC" as printed, or "" */
	int64_t ret;		/* the return value when it did not fail */
};

/*
 * Parse LINE (one line, no newline needed) into C.  0, or -1 with a
 * message naming the column in ERR and errno ENOMSG when the line is no
 * call of ipccall_table[] (strace's own lines, another system call),
 * EINVAL when it is one but malformed.
 */
int calltext_parse(const char *line, struct calltext *c, char *err,
    size_t errlen);

/* What part of a call a line of strace -f holds. */
enum calltext_part {
	CALLTEXT_WHOLE,		/* a whole call, or no call at all */
	CALLTEXT_UNFINISHED,	/* "... <unfinished ...>" */
	CALLTEXT_RESUMED,	/* "<... NAME resumed>..." */
};

/*
 * strace -f prints a call another process's output interrupts as two
 * lines, joined by the process: which part LINE is, with the PID of its
 * "[pid N]" or "N " prefix in *PID (0 without one) and in *CUT where the
 * call's text stops (UNFINISHED: before " <unfinished ...>") or goes on
 * (RESUMED: after "resumed>").  The text of the one up to its cut and
 * of the other from its cut is the whole call.
 */
enum calltext_part calltext_part(const char *line, int64_t *pid,
    size_t *cut);

/*
 * Parse a flag argument as strace prints it ("IPC_CREAT|IPC_EXCL|0600",
 * "000", "SHM_RDONLY") or as a number; 0 or -1.
 */
int calltext_flags(const char *s, unsigned *out);

#endif
