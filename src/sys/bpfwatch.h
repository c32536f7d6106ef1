/*
 * bpfwatch.h: the kernel source of failing IPC calls.  It checks that
 * the kernel and the caller's privileges allow BPF tracing, loads and
 * attaches src/bpf/ipcwatch.bpf.c in the mode the kernel allows, hands each failure over as a struct
 * ipccall_event, reads the exact counters and detaches everything on
 * close.  The only module that knows libbpf; it explains nothing.
 */
#ifndef BPFWATCH_H
#define BPFWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipccall.h"

/* What to watch; zero values mean "everything". */
struct bpfwatch_opts {
	uint32_t ipc_ns;	/* one IPC namespace, by inode */
	uint32_t tgid;		/* one process, by PID in the initial ns */
	bool errno_set;		/* errmask given: send only those errnos */
	uint64_t errmask[2];	/* bit N: errno N */
	unsigned calls;		/* bits of enum ipc_call; 0: all */
	const char *btf_path;	/* instead of /sys/kernel/btf/vmlinux */
	int attach;		/* enum ipccall_attach; AUTO picks */
	uint32_t rate;		/* events a second per (process, call,
				   errno), as many at once; 0: no limit */
};

struct bpfwatch;

/* Called for each event; a non-zero return stops the poll. */
typedef int (*bpfwatch_fn)(const struct ipccall_event *ev, void *ctx);

/*
 * The IPC namespace NS names: an inode number, or a namespace file such
 * as /proc/PID/ns/ipc.  0, or -1 with errno and ERR.
 */
int bpfwatch_ns_inode(const char *ns, uint32_t *inop, char *err,
    size_t errlen);

/* Whether this build has the BPF watcher; if not, why, in WHY. */
bool bpfwatch_built(char *why, size_t len);

/*
 * Check the kernel and the privileges, load the program with O's
 * filters and attach it.  0 with *WP set, or -1 with errno and the
 * reason, with what to do instead, in ERR.
 */
int bpfwatch_open(const struct bpfwatch_opts *o, struct bpfwatch **wp,
    char *err, size_t errlen);

/*
 * Wait up to TIMEOUT_MS for events and hand each to FN.  The number of
 * events, or -1 with errno (EINTR when a signal came) and ERR.
 */
int bpfwatch_poll(struct bpfwatch *w, int timeout_ms, bpfwatch_fn fn,
    void *ctx, char *err, size_t errlen);

/*
 * The exact counters, sorted by namespace, call and errno, into *CP (for
 * the caller to free) and *NP, and the statistics into ST.  0 or -1.
 */
int bpfwatch_counters(struct bpfwatch *w, struct ipccall_count **cp,
    size_t *np, struct ipccall_watch_stats *st, char *err, size_t errlen);

/* The enum ipccall_attach mode W runs in (never AUTO). */
int bpfwatch_attach_mode(const struct bpfwatch *w);

/* Detach and unload everything; W may be NULL. */
void bpfwatch_close(struct bpfwatch *w);

#endif
