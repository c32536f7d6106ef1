/*
 * calltext.h: one System V IPC call as strace(1) or perf-trace(1) prints
 * it, parsed strictly into its arguments and result.  Pure: a line in, a
 * struct out; anything the grammar does not know is an error with the
 * column, never a guess.
 */
#ifndef CALLTEXT_H
#define CALLTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The calls a line may name, in the order of calltext_calls[]. */
enum calltext_call {
	CT_SHMGET,
	CT_SHMAT,
	CT_SEMGET,
	CT_SEMOP,
	CT_SEMTIMEDOP,
	CT_MSGGET,
	CT_MSGSND,
	CT_NCALLS
};

/* Which tool printed the line. */
enum calltext_source { CT_STRACE, CT_PERF };

/* The longest line accepted (strace prints long sembuf arrays). */
#define CALLTEXT_MAX_LINE 65536

struct calltext {
	enum calltext_call call;
	enum calltext_source source;
	int64_t pid;		/* "[pid N]", "N  " (-ff -o) or perf's; -1 */
	char comm[32];		/* perf's command name, or "" */
	bool has_key;		/* shmget, semget, msgget */
	uint32_t key;		/* IPC_PRIVATE is 0 */
	bool has_id;		/* shmat, semop, semtimedop, msgsnd */
	int64_t id;		/* the shmid, semid or msqid */
	uint64_t size;		/* shmget: bytes */
	uint64_t nsems;		/* semget */
	uint64_t nsops;		/* semop, semtimedop */
	uint64_t msgsz;		/* msgsnd */
	unsigned flags;		/* the flag argument, as a number */
	bool failed;		/* returned -1 with an errno */
	int err;		/* errno value, 0 when unknown or no failure */
	char errname[24];	/* "ENOSPC" as printed, or "" */
	int64_t ret;		/* the return value when it did not fail */
};

/* The name of each call, indexed by enum calltext_call. */
extern const char *const calltext_names[CT_NCALLS];

/*
 * Parse LINE (one line, no newline needed) into C.  0, or -1 with a
 * message naming the column in ERR.
 */
int calltext_parse(const char *line, struct calltext *c, char *err,
    size_t errlen);

/*
 * Parse a flag argument as strace prints it ("IPC_CREAT|IPC_EXCL|0600",
 * "000", "SHM_RDONLY") or as a number; 0 or -1.
 */
int calltext_flags(const char *s, unsigned *out);

/* The errno value of NAME ("ENOSPC"), or 0 when it is not one we know. */
int calltext_errno(const char *name);

/* The name of errno value E ("ENOSPC"), or NULL. */
const char *calltext_errname(int e);

#endif
