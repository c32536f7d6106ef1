/*
 * drift.c: the drift judgement.  A value complies with the profiles'
 * target when every field is at least the target's (or equal with
 * --exact); 'verify' judges the running value and the one each rule set
 * leaves at the next boot, 'report' the values a snapshot holds.  Pure:
 * it never reads files or prints.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "drift.h"

bool
drift_complies(enum sysctl_id id, const uint64_t *have,
    const uint64_t *target, bool exact)
{
	int n = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;

	for (int k = 0; k < n; k++)
		if (exact ? have[k] != target[k] :
		    sysctl_effective(id, k, have[k]) < target[k])
			return false;
	return true;
}

/* The next boot under PLAN for sysctl ID of IT, judged into B. */
static void
judge_boot(const struct sysctld_plan *plan, enum sysctl_id id,
    uint64_t ipc_mni, const struct drift_item *it, bool exact,
    struct drift_boot *b)
{
	struct sysctld_winner w;
	struct sysctld_kvalue kv;

	/* a rejected line leaves what came before it */
	b->rejected = sysctld_next_boot(plan, id, ipc_mni, &w, &kv, b->why,
	    sizeof(b->why));
	b->set = w.set;
	memcpy(b->v, kv.v, sizeof(b->v));
	snprintf(b->reason, sizeof(b->reason), "%s", kv.why);
	if (w.set) {
		snprintf(b->file, sizeof(b->file), "%s", w.file);
		b->line = w.line;
	}
	b->ok = !b->rejected && drift_complies(id, b->v, it->target, exact);
}

static void
judge_item(const struct rec_item *ri, const struct sysctl_value *cur,
    enum sysctl_id id, struct drift_item *it, bool exact)
{
	it->present = true;
	it->nfields = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
	it->has_running = cur->present;
	sysctl_held_value(id, cur, it->running);
	for (int k = 0; k < SEM_NFIELDS; k++)
		it->target[k] = ri->f[k].target;
	for (int k = 0; k < it->nfields; k++)
		it->field_ok[k] = cur->present && (exact ?
		    it->running[k] == it->target[k] :
		    sysctl_effective(id, k, it->running[k]) >= it->target[k]);
	it->running_ok = cur->present &&
	    drift_complies(id, it->running, it->target, exact);
	it->ok = it->running_ok;
}

void
drift_judge(const struct recommendation *r, const struct kstate *ks,
    const struct sysctld_plan *plans, bool exact, struct drift_result *d)
{
	uint64_t ipc_mni = ks->host.ipcmni_extend ? IPC_MNI_EXTEND :
	    IPC_MNI_DEFAULT;

	memset(d, 0, sizeof(*d));
	d->boot_judged = plans != NULL;
	d->exact = exact;
	d->compliant = true;
	for (int i = 0; i < SC_COUNT; i++) {
		struct drift_item *it = &d->item[i];
		enum sysctl_id id = (enum sysctl_id)i;

		if (!r->item[i].present)
			continue;
		judge_item(&r->item[i], &ks->sysctl[i], id, it, exact);
		for (int rules = 0; plans != NULL && rules < SYSCTLD_NRULES;
		    rules++) {
			judge_boot(&plans[rules], id, ipc_mni, it, exact,
			    &it->boot[rules]);
			if (!it->boot[rules].ok)
				it->ok = false;
		}
		if (!it->ok)
			d->compliant = false;
	}
}

enum drift_verdict
drift_verdict_of(const struct drift_result *d)
{
	for (int i = 0; i < SC_COUNT; i++)
		if (d->item[i].present && !d->item[i].running_ok)
			return DRIFT_DRIFT;
	return DRIFT_COMPLIANT;
}

const char *
drift_detail(const struct drift_result *d, char *buf, size_t len)
{
	size_t used = 0;
	char run[32];
	int64_t neg;

	if (len > 0)
		buf[0] = '\0';
	for (int i = 0; i < SC_COUNT && used < len; i++) {
		const struct drift_item *it = &d->item[i];

		if (!it->present || it->running_ok)
			continue;
		for (int k = 0; k < it->nfields && used < len; k++) {
			if (it->field_ok[k])
				continue;
			/* the value would become the target, raised or set */
			if (!it->has_running)
				snprintf(run, sizeof(run), "unset 0");
			else if (sysctl_sem_negative(it->running[k], &neg))
				snprintf(run, sizeof(run), "%" PRId64, neg);
			else
				snprintf(run, sizeof(run), "%" PRIu64,
				    it->running[k]);
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s%s%s %s -> %" PRIu64,
			    used ? ", " : "", sysctl_table[i].name,
			    it->nfields > 1 ? "." : "",
			    it->nfields > 1 ? sem_field_names[k] : "",
			    run, it->target[k]);
		}
	}
	return buf;
}

const char *
drift_item_status(const struct drift_item *it, char *buf, size_t len)
{
	const struct drift_boot *sd = &it->boot[SYSCTLD_SYSTEMD];
	const struct drift_boot *ps = &it->boot[SYSCTLD_PROCPS];

	if (it->ok)
		return "ok";
	snprintf(buf, len, "drift:%s%s%s%s", it->running_ok ? "" :
	    " running", sd->ok ? "" : " boot(systemd-sysctl)",
	    ps->ok ? "" : " boot(sysctl --system)",
	    sd->rejected || ps->rejected ? " rejected" : "");
	return buf;
}
