/*
 * loadstate.c: the state a reading command works on, live or from a
 * snapshot, and the scan policy of 'status' and 'check'.  It reads
 * through ksource.c and snapshot.c and decides only how much to read;
 * it prints nothing and returns its errors as text.
 */
#include <stdio.h>

#include "ipctype.h"
#include "loadstate.h"
#include "snapshot.h"

int
loadstate_read(const struct loadstate_opts *o, unsigned want,
    struct kstate *ks, char *err, size_t errlen)
{
	struct ksource_opts kso = o->ks;

	kstate_init(ks);
	if (o->from != NULL) {
		if (snapshot_load(o->from, ks, err, errlen) < 0)
			return -1;
		/*
		 * a missing table is unknown, not empty: never list 0; the
		 * POSIX tables are optional (not in older snapshots, nor
		 * read from fixture trees), and their readers say so
		 */
		for (int t = 0; t < IPC_NSYSV; t++) {
			if (!(want & ipctype_table[t].want) ||
			    ipctype_has(ks, (enum ipc_type)t))
				continue;
			snprintf(err, errlen, "snapshot '%s' holds no %s "
			    "objects, which this command needs", o->from,
			    ipctype_table[t].name);
			kstate_release(ks);
			return -1;
		}
		return 0;
	}
	kso.want = want;
	if (ksource_enter_ns(&kso, err, errlen) < 0 ||
	    ksource_read(&kso, ks, err, errlen) < 0) {
		kstate_release(ks);
		return -1;
	}
	return 0;
}

int
loadstate_objects(const struct loadstate_opts *o, unsigned want,
    struct kstate *ks, char *err, size_t errlen)
{
	if (o->from != NULL || want == 0)
		return 0;
	return ksource_read_objects(&o->ks, ks, want, err, errlen);
}

unsigned
loadstate_want(const struct kstate *ks, const struct loadstate_scan *p)
{
	unsigned want = 0;

	if ((p->rows & KS_SHM) && ks->usage.shm_segments > 0 && (p->scan ||
	    ks->usage.shm_segments <= LOADSTATE_SCAN_MAX))
		want |= KS_SHM;
	if ((p->rows & KS_SEM) && ks->usage.sem_arrays > 0 && (p->scan ||
	    ks->usage.sem_arrays <= LOADSTATE_SCAN_MAX))
		want |= KS_SEM;
	/* with no message queued anywhere, every queue is empty */
	if ((p->rows & KS_MSG) && ks->usage.msg_bytes > 0 && (p->scan ||
	    ks->usage.msg_queues <= LOADSTATE_SCAN_MAX))
		want |= KS_MSG;
	/* the judge needs each table it judges, the POSIX ones with holders */
	for (int t = 0; t < IPC_NTYPES; t++)
		if (p->every & IPC_TYPE_BIT(t))
			want |= ipctype_table[t].want;
	return want;
}

unsigned
loadstate_over_cap(const struct kstate *ks)
{
	const struct ipc_usage *u = &ks->usage;
	unsigned over = 0;

	for (int t = 0; t < IPC_NTYPES; t++)
		if (ipctype_in_use(u, t) > LOADSTATE_SCAN_MAX)
			over |= IPC_TYPE_BIT(t);
	if (u->has_dev_shm_inodes && u->dev_shm_inodes_used >
	    LOADSTATE_SCAN_MAX)
		over |= IPC_TYPE_BIT(IPC_PSHM) | IPC_TYPE_BIT(IPC_PSEM);
	return over;
}

unsigned
loadstate_leak_types(const struct model *m)
{
	enum resource_id res[IPCTYPE_MAXRES];
	unsigned types = 0;

	for (int t = 0; t < IPC_NTYPES; t++)
		for (size_t k = 0; k < ipctype_resources(t, res); k++) {
			const struct resource *r = &m->res[res[k]];

			if (r->has_ratio && r->ratio >= MODEL_WARN_RATIO)
				types |= IPC_TYPE_BIT(t);
		}
	return types;
}
