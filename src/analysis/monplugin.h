/*
 * monplugin.h: the monitoring-plugin verdict on the resource rows: the
 * standard threshold ranges (absolute or percent of the limit), the
 * state OK/WARNING/CRITICAL/UNKNOWN, the status line and the perfdata.
 * Pure: const model in, result and text out.
 */
#ifndef MONPLUGIN_H
#define MONPLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctype.h"
#include "model.h"

/* The plugin states, which are also the exit statuses of 'check'. */
enum mp_state { MP_OK = 0, MP_WARNING = 1, MP_CRITICAL = 2, MP_UNKNOWN = 3 };

/* The names of the states, indexed by enum mp_state: "OK", ... */
extern const char *const mp_state_names[4];

/* A threshold range "[@]start:end" (monitoring-plugins guidelines). */
struct mp_range {
	bool inside;		/* '@': alert inside the range */
	bool start_inf;		/* '~': start is minus infinity */
	double start;
	bool end_inf;		/* "start:": end is plus infinity */
	double end;
	bool percent;		/* numbers are percent of the limit */
};

/*
 * Parse a range such as 10, 10:, ~:10, 10:20, @10:20, 80% or 50%:90%.
 * 0, or -1 with a message in ERR.
 */
int monplugin_range_parse(const char *s, struct mp_range *r, char *err,
    size_t errlen);

/* Does value V raise an alert for range R? */
bool monplugin_range_alert(const struct mp_range *r, double v);

/* What to check. */
struct mp_opts {
	struct mp_range warn, crit;
	bool selected[R_COUNT];	/* resources to judge */
	bool explicit_selection;	/* chosen by --resource: must be known */
};

/* Resources judged by default: those that fill up (not per-object caps). */
bool monplugin_default_resource(int resource);

struct mp_item {
	int resource;
	enum mp_state state;
	double value;		/* what the range was applied to */
	double percent;		/* used / limit * 100 */
};

#define MP_MAX_NOTES 16

/*
 * Orphaned objects per type, from the orphans judge; each counts
 * against its type's limit (ipctype_table[].limit).  The POSIX types
 * become perfdata only where TOTAL has objects.
 */
struct mp_orphans {
	uint64_t n[IPC_NTYPES];
	uint64_t total[IPC_NTYPES];	/* the objects judged, of each type */
};

struct mp_result {
	enum mp_state state;
	struct mp_item items[R_COUNT];
	size_t nitems;
	/* extra reasons from other analyses (leaks, forecast) */
	char notes[MP_MAX_NOTES][320];
	enum mp_state note_state[MP_MAX_NOTES];
	size_t nnotes;
	bool has_orphans;	/* counted: perfdata per limit */
	struct mp_orphans orphans;
};

/* Judge the resources of M selected in O. */
void monplugin_evaluate(const struct model *m, const struct mp_opts *o,
    struct mp_result *res);

/*
 * Hook for the orphans analysis: any orphaned object in O raises the
 * state to WARNING with the count per limit; O also becomes perfdata.
 */
void monplugin_add_orphans(struct mp_result *res,
    const struct mp_orphans *o);

/*
 * Hook for systemd-logind's RemoveIPC=yes: N objects of users above
 * SYS_UID_MAX, which logind removes at their logout, raise WARNING.
 */
void monplugin_add_removeipc(struct mp_result *res, size_t n,
    unsigned sys_uid_max);

/*
 * Hook for the orphans analysis: N segments marked for removal still
 * attached (NATTCH attaches) after their creator exited raise WARNING.
 */
void monplugin_add_dest_stale(struct mp_result *res, size_t n,
    uint64_t nattch);

/*
 * Hook for the forecast: RESOURCE projected to reach its limit in
 * DAYS days raises the state to WARNING when DAYS <= HORIZON_DAYS.
 */
void monplugin_add_exhaustion(struct mp_result *res, int resource,
    double days, double horizon_days);

/*
 * The plugin output: the status line "IPC <STATE> - text | perfdata",
 * then one line per resource not OK and per note.
 */
void monplugin_format(const struct model *m, const struct mp_opts *o,
    const struct mp_result *res, char *buf, size_t len);

#endif
