/*
 * loadstate.c: the state a reading command works on, live or from a
 * snapshot, and the scan policy of 'status' and 'check'.  It reads
 * through ksource.c and snapshot.c and decides only how much to read;
 * it prints nothing and returns its errors as text.
 */
#include <stdio.h>

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
		/* a missing table is unknown, not empty: never list 0 */
		if (((want & KS_SHM) && !ks->has_shm) ||
		    ((want & KS_SEM) && !ks->has_sem) ||
		    ((want & KS_MSG) && !ks->has_msg)) {
			snprintf(err, errlen, "snapshot '%s' holds no %s "
			    "objects, which this command needs", o->from,
			    (want & KS_SHM) && !ks->has_shm ? "shm" :
			    (want & KS_SEM) && !ks->has_sem ? "sem" : "msg");
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
	/* the judge needs every object table, read or known to be empty */
	if (p->every)
		want |= KS_SHM | KS_SEM | KS_MSG;
	return want;
}

const struct loadstate_leak loadstate_leak_res[LOADSTATE_NLEAK] = {
	{ R_SHMMNI, OT_SHM, "segments" }, { R_SHMALL, OT_SHM, "segments" },
	{ R_SEMMNI, OT_SEM, "arrays" }, { R_SEMMNS, OT_SEM, "arrays" },
	{ R_MSGMNI, OT_MSG, "queues" },
};

unsigned
loadstate_leak_types(const struct model *m)
{
	unsigned types = 0;

	for (size_t i = 0; i < LOADSTATE_NLEAK; i++) {
		const struct resource *r = &m->res[loadstate_leak_res[i].res];

		if (r->has_ratio && r->ratio >= MODEL_WARN_RATIO)
			types |= 1u << loadstate_leak_res[i].type;
	}
	return types;
}
