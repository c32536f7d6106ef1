/*
 * history.h: the usage history, one JSON object per line (JSON Lines).
 * This module formats a sample as one line, parses lines strictly (the
 * file is outside input: bounded, never trusted), sorts, and applies
 * retention and hourly compaction.  Pure: no I/O, no printing.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* The version written in every line as "v". */
#define HISTORY_VERSION 1
/* The longest line accepted; longer lines are skipped as garbage. */
#define HISTORY_LINE_MAX 4096
/* The most samples read (about 9 years at 5 minutes; bounds memory). */
#define HISTORY_SAMPLES_MAX 1000000u
/* Bad lines whose details are kept for warnings; the rest are counted. */
#define HISTORY_BAD_KEEP 5

/*
 * One usage sample: per resource the usage and the limit it counts to.
 * A kernel.sem field the sysctl holds as a negative int is written as
 * that int and read back into SEM_HELD (history_limit_held), with LIMIT
 * the value the kernel applies (sysctl_effective), which forecasts judge
 * by.  Kept small: a long history is an array of these.
 */
struct hist_sample {
	int64_t t;			/* seconds since the epoch */
	uint64_t ns_inode;		/* IPC namespace, 0 unknown */
	uint32_t has_used;		/* bit per enum resource_id */
	uint32_t has_limit;
	uint32_t limit_signed;		/* bit r: held negative, in sem_held */
	int32_t sem_held[SEM_NFIELDS];	/* by enum sem_field */
	uint64_t used[R_COUNT];
	uint64_t limit[R_COUNT];	/* as the kernel applies it */
};

struct hist_bad {
	uint64_t line;			/* 1-based line number */
	char why[96];
};

struct history {
	struct hist_sample *s;
	size_t n, cap;
	uint64_t lines;			/* lines seen */
	uint64_t nbad;			/* lines skipped */
	struct hist_bad bad[HISTORY_BAD_KEEP];
	/*
	 * Skipped lines a write cut short cannot leave (not the start of a
	 * sample, or too long), and the first of them: a rewrite would
	 * delete someone else's text.
	 */
	uint64_t nforeign;
	struct hist_bad foreign;
	bool torn_tail;			/* the last line was cut short */
	bool truncated;			/* hit HISTORY_SAMPLES_MAX */
	/* parser state between history_feed() calls */
	char *part;
	size_t npart;
	bool overlong;
};

/* Prepare an empty history (no allocation). */
void history_init(struct history *h);
/* Free the samples and the parser state of a history. */
void history_release(struct history *h);

/*
 * Format S as one line with the trailing newline into BUF: a limit in
 * LIMIT_SIGNED as the negative int held.  The length, or -1 if BUF is
 * too small.
 */
int history_format(const struct hist_sample *s, char *buf, size_t len);

/*
 * Parse one line (without its newline) into S.  0, or -1 with the reason
 * in WHY.  Strict: only the shape history_format() writes, in any key
 * order, with unknown keys of the same shape ignored.  A negative limit
 * is taken only for a kernel.sem field and within an int.
 */
int history_parse_line(const char *line, size_t len, struct hist_sample *s,
    char *why, size_t whylen);

/*
 * Whether HEAD, the first LEN bytes of a non-empty file (all of it when
 * WHOLE), begins as a history does: its first line that is not blank is
 * a sample, or the start of one cut short (the last line of WHOLE, or a
 * line followed by a sample: a first write that was interrupted and
 * then repaired).  0, or -1 with the line number in *LINE and the
 * reason in WHY.  What is not a history must not be appended to or
 * rewritten: the rewrite would drop every line that is not a sample.
 */
int history_check_head(const char *head, size_t len, bool whole,
    uint64_t *line, char *why, size_t whylen);

/* Feed the next LEN bytes of a history file; bad lines are counted. */
void history_feed(struct history *h, const char *data, size_t len);
/* End of input: parse an unterminated last line (torn if invalid). */
void history_finish(struct history *h);

/* The negative int the sysctl of R held in S (limit_signed), else 0. */
int64_t history_limit_held(const struct hist_sample *s, int r);

/*
 * Set the limit of resource R in S: LIMIT as the kernel applies it and,
 * when IS_SIGNED, HELD, the negative int its sysctl holds.  Only a
 * kernel.sem field is kept signed (other limits are written as applied).
 */
void history_set_limit(struct hist_sample *s, int r, uint64_t limit,
    bool is_signed, int64_t held);

/* Append one sample (it need not be in time order). */
void history_add(struct history *h, const struct hist_sample *s);
/* Sort the samples by time, keeping the order of equal times. */
void history_sort(struct history *h);

/*
 * Retention and compaction relative to NOW: drop samples older than
 * KEEP_S seconds; samples older than COMPACT_S become one per clock hour
 * and namespace (per resource the peak usage, the last limit, the time
 * of the last sample).  The history must be sorted.  Returns the number
 * of samples removed.
 */
size_t history_compact(struct history *h, int64_t now, int64_t keep_s,
    int64_t compact_s);

#endif
