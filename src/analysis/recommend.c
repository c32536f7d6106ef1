/*
 * recommend.c: the merge rules.  Profiles combine by the larger value per
 * field; the result is clamped to the kernel's bounds (sysctl_table, and
 * IPCMNI for shmmni, msgmni and SEMMNI); by default it only ever raises.
 * Incoherent results and values below current usage are flagged.  Pure.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "recommend.h"
#include "xmalloc.h"

const char *const rec_action_names[3] = { "keep", "raise", "lower" };

void
recommend_init(struct recommendation *r)
{
	memset(r, 0, sizeof(*r));
}

void
recommend_release(struct recommendation *r)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	recommend_init(r);
}

static void
warn(struct recommendation *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("(warning lost: out of memory)");
	va_end(ap);
	xgrow(&r->warnings, r->nwarnings, &r->capwarnings,
	    sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = s;
}

static const char *
field_label(enum sysctl_id id, int k, char *buf, size_t len)
{
	if (sysctl_table[id].kind == SCK_SEM)
		snprintf(buf, len, "%s", sem_field_names[k]);
	else
		snprintf(buf, len, "%s", sysctl_table[id].name);
	return buf;
}

bool
recommend_in_use(const struct kstate *ks, enum sysctl_id id, int k,
    uint64_t *out)
{
	const struct ipc_usage *u = &ks->usage;

	if (!ks->has_usage)
		return false;
	switch (id) {
	case SC_SHMMNI:
		*out = u->shm_segments;
		return true;
	case SC_SHMALL:
		*out = u->shm_pages;
		return true;
	case SC_MSGMNI:
		*out = u->msg_queues;
		return true;
	case SC_SEM:
		if (k == SEM_SEMMNI)
			*out = u->sem_arrays;
		else if (k == SEM_SEMMNS)
			*out = u->sem_sems;
		else
			return false;
		return true;
	case SC_MQ_QUEUES_MAX:
		*out = u->mq_queues;
		return u->has_mq_queues;
	default:
		return false;
	}
}

bool
recommend_below_usage(const struct kstate *ks, enum sysctl_id id, int k,
    uint64_t current, uint64_t value, uint64_t *in_use)
{
	uint64_t u;

	/*
	 * Only a lowering counts: a limit already below usage (set so by
	 * hand) is no reason to refuse a raise that still falls short.
	 */
	if (value >= current || !recommend_in_use(ks, id, k, &u))
		return false;
	*in_use = u;
	return value < u;
}

static void
append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n >= len - 1)
		return;
	if (n > 0)
		snprintf(buf + n, len - n, "; "), n = strlen(buf);
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/*
 * The reason for F's action, after the clamp (if any) was said: a
 * clamped value is not what the profile asked, so it is not named so.
 */
static void
why_action(struct rec_item *it, const struct rec_field *f,
    const char *label)
{
	int64_t neg;

	if (f->action == REC_KEEP && f->has_current &&
	    f->effective != f->current && f->effective > 0 &&
	    sysctl_sem_negative(f->current, &neg))
		append(it->why, sizeof(it->why), "%s: current %" PRId64
		    " limits nothing (compared unsigned, as %" PRIu64 "), "
		    "kept", label, neg, f->effective);
	else if (f->clamped && f->action == REC_KEEP)
		append(it->why, sizeof(it->why), "%s: current %" PRIu64
		    " %s, kept", label, f->current, f->target < f->current ?
		    "is above that" : "is that value");
	else if (f->clamped && f->action == REC_LOWER)
		append(it->why, sizeof(it->why), "%s: lowered to %" PRIu64
		    " exactly (--exact)", label, f->target);
	else if (f->clamped)
		return;		/* a raise to the clamped value: said */
	else if (f->action == REC_KEEP && f->target < f->current)
		append(it->why, sizeof(it->why), "%s: current %"
		    PRIu64 " is above %" PRIu64 " (%s), kept",
		    label, f->current, f->target, f->from);
	else if (f->action == REC_KEEP)
		append(it->why, sizeof(it->why), "%s: %s asks %"
		    PRIu64 ", already set", label, f->from, f->target);
	else if (f->action == REC_RAISE)
		append(it->why, sizeof(it->why), "%s: %s asks %"
		    PRIu64, label, f->from, f->target);
	else
		append(it->why, sizeof(it->why), "%s: %s asks %"
		    PRIu64 " exactly (--exact)", label, f->from, f->target);
}

/*
 * Is V, asked for field of kernel.sem, a negative field a plan kept as
 * the kernel held it (plan_read)?  Then it is no value beyond the bound.
 */
static bool
kept_negative(enum sysctl_id id, uint64_t v)
{
	int64_t neg;

	return sysctl_table[id].kind == SCK_SEM && sysctl_sem_negative(v, &neg);
}

/* The largest value the profiles P ask for field K of ID, into F. */
static void
field_wanted(const struct profile *const *p, size_t np, enum sysctl_id id,
    int k, struct rec_field *f)
{
	for (size_t i = 0; i < np; i++) {
		const struct profile_sysctl *s = &p[i]->sysctl[id];

		if (!s->present)
			continue;
		if (f->from == NULL || s->value[k] > f->wanted) {
			f->wanted = s->value[k];
			f->from = p[i]->name;
		}
	}
}

/* F's recommended value against what it holds (--exact: F's target). */
static void
field_action(struct rec_field *f, bool exact)
{
	if (!f->has_current || exact || f->target > f->effective)
		f->recommended = f->target;
	else
		f->recommended = f->current;
	if (!f->has_current)
		f->action = REC_RAISE;
	else if (f->recommended == f->current)
		f->action = REC_KEEP;
	else if (f->recommended > f->effective)
		f->action = REC_RAISE;
	else if (f->recommended < f->effective)
		f->action = REC_LOWER;
	else
		f->action = REC_KEEP;
}

/* Say why F, field LABEL of ID, was clamped to the kernel's bound MAX. */
static void
note_clamped(struct recommendation *r, struct rec_item *it,
    const struct rec_field *f, enum sysctl_id id, const char *label,
    uint64_t max)
{
	it->clamped = true;
	append(it->why, sizeof(it->why), "%s: %s asks %" PRIu64
	    ", clamped to %" PRIu64 "%s", label, f->from,
	    f->wanted, f->target, max != r->ipc_mni ||
	    f->wanted <= max ? " (kernel bound)" :
	    max == IPC_MNI_DEFAULT ? " (IPCMNI; boot with "
	    "ipcmni_extend for more)" : " (IPCMNI with "
	    "ipcmni_extend, the most there is)");
	warn(r, "'%s'%s%s: %s asks %" PRIu64 ", %s the kernel "
	    "accepts; clamped to %" PRIu64,
	    sysctl_table[id].name, it->nfields > 1 ? " " : "",
	    it->nfields > 1 ? label : "", f->from, f->wanted,
	    f->wanted > max ? "more than" : "less than",
	    f->target);
}

/* Say that F, field LABEL of ID, would go below what is in use now. */
static void
note_below_usage(struct recommendation *r, struct rec_item *it,
    const struct rec_field *f, enum sysctl_id id, const char *label)
{
	it->below_usage = true;
	append(it->why, sizeof(it->why), "%s: %" PRIu64
	    " in use now", label, f->in_use);
	warn(r, "'%s'%s%s: %" PRIu64 " is below the %" PRIu64
	    " in use now (needs --force)",
	    sysctl_table[id].name, it->nfields > 1 ? " " : "",
	    it->nfields > 1 ? label : "", f->recommended,
	    f->in_use);
}

static void
build_item(const struct profile *const *p, size_t np,
    const struct kstate *ks, enum sysctl_id id, struct recommendation *r)
{
	struct rec_item *it = &r->item[id];
	const struct sysctl_value *cur = &ks->sysctl[id];
	uint64_t held[SEM_NFIELDS];
	char label[32];

	sysctl_held_value(id, cur, held);

	it->nfields = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
	for (int k = 0; k < it->nfields; k++) {
		struct rec_field *f = &it->f[k];
		uint64_t max = sysctl_max(id, k, r->ipc_mni);
		uint64_t min = it->nfields > 1 ? 0 : sysctl_min(id);

		field_wanted(p, np, id, k, f);
		f->target = f->wanted;
		if (f->target > max && !kept_negative(id, f->target)) {
			f->target = max;
			f->clamped = true;
		} else if (f->target < min) {
			f->target = min;
			f->clamped = true;
		}
		f->has_current = cur->present;
		f->current = held[k];
		f->effective = sysctl_effective(id, k, held[k]);
		field_action(f, r->exact);
		f->has_in_use = recommend_in_use(ks, id, k, &f->in_use);
		if (f->has_current && f->action == REC_LOWER)
			f->below_usage = recommend_below_usage(ks, id, k,
			    f->effective, f->recommended, &f->in_use);

		field_label(id, k, label, sizeof(label));
		if (f->clamped)
			note_clamped(r, it, f, id, label, max);
		why_action(it, f, label);
		if (f->below_usage)
			note_below_usage(r, it, f, id, label);
		if (f->action == REC_RAISE && it->action != REC_LOWER)
			it->action = REC_RAISE;
		else if (f->action == REC_LOWER)
			it->action = REC_LOWER;
	}
	if (it->action != REC_KEEP)
		r->changes = true;
	if (it->below_usage)
		r->below_usage = true;
}

/* The value that will hold: recommended where set, else current. */
static bool
final_value(const struct recommendation *r, const struct kstate *ks,
    enum sysctl_id id, int k, uint64_t *out)
{
	uint64_t held[SEM_NFIELDS];

	if (r->item[id].present) {
		*out = sysctl_effective(id, k, r->item[id].f[k].recommended);
		return true;
	}
	sysctl_held_value(id, &ks->sysctl[id], held);
	*out = sysctl_effective(id, k, held[k]);
	return ks->sysctl[id].present;
}

static void
coherence(const struct kstate *ks, struct recommendation *r)
{
	uint64_t shmmax, shmall, a, b, pg = ks->host.page_size ?
	    ks->host.page_size : 4096;

	if (final_value(r, ks, SC_SHMMAX, 0, &shmmax) &&
	    final_value(r, ks, SC_SHMALL, 0, &shmall) &&
	    shmall < shmmax / pg + (shmmax % pg != 0))
		warn(r, "kernel.shmall (%" PRIu64 " pages of %" PRIu64
		    " bytes) is below kernel.shmmax (%" PRIu64 " bytes) in "
		    "pages: a segment of shmmax bytes cannot be created",
		    shmall, pg, shmmax);
	if (final_value(r, ks, SC_MSGMAX, 0, &a) &&
	    final_value(r, ks, SC_MSGMNB, 0, &b) && a > b)
		warn(r, "kernel.msgmax (%" PRIu64 ") is above kernel.msgmnb "
		    "(%" PRIu64 "): a message of msgmax bytes never fits a "
		    "queue", a, b);
	if (final_value(r, ks, SC_SEM, SEM_SEMMSL, &a) &&
	    final_value(r, ks, SC_SEM, SEM_SEMMNS, &b) && b < a)
		warn(r, "kernel.sem: semmns (%" PRIu64 ") is below semmsl (%"
		    PRIu64 "): one full set exhausts the system", b, a);
	/* a negative SEMOPM is said by status; its unsigned is no advice */
	if (final_value(r, ks, SC_SEM, SEM_SEMOPM, &a) && a > 1000 &&
	    a <= INT32_MAX)
		warn(r, "kernel.sem: semopm %" PRIu64 " is above 1000, which "
		    "semop(2) advises against", a);
	if (r->item[SC_SHM_RMID_FORCED].present &&
	    final_value(r, ks, SC_SHM_RMID_FORCED, 0, &a) && a == 1 &&
	    ks->sysctl[SC_SHM_RMID_FORCED].v[0] == 0)
		warn(r, "kernel.shm_rmid_forced = 1 destroys, at once, every "
		    "segment no process is attached to (ipc/shm.c "
		    "shm_destroy_orphaned)");
	if (final_value(r, ks, SC_MQ_MSG_DEFAULT, 0, &a) &&
	    final_value(r, ks, SC_MQ_MSG_MAX, 0, &b) && a > b)
		warn(r, "fs.mqueue.msg_default (%" PRIu64 ") is above "
		    "fs.mqueue.msg_max (%" PRIu64 "): the kernel caps it", a,
		    b);
	if (final_value(r, ks, SC_MQ_MSGSIZE_DEFAULT, 0, &a) &&
	    final_value(r, ks, SC_MQ_MSGSIZE_MAX, 0, &b) && a > b)
		warn(r, "fs.mqueue.msgsize_default (%" PRIu64 ") is above "
		    "fs.mqueue.msgsize_max (%" PRIu64 "): the kernel caps it",
		    a, b);
}

/* The largest /dev/shm size the profiles ask for, against today's. */
static void
build_dev_shm(const struct profile *const *p, size_t np,
    const struct kstate *ks, struct recommendation *r)
{
	struct rec_dev_shm *d = &r->dev_shm;

	for (size_t i = 0; i < np; i++)
		if (p[i]->dev_shm.present && (!d->present ||
		    p[i]->dev_shm.value > d->wanted)) {
			d->present = true;
			d->wanted = p[i]->dev_shm.value;
			d->from = p[i]->name;
		}
	if (!d->present)
		return;
	d->has_current = ks->has_usage && ks->usage.has_dev_shm;
	d->current = d->has_current ? ks->usage.dev_shm_size_bytes : 0;
	d->action = d->has_current && d->current >= d->wanted ? REC_KEEP :
	    REC_RAISE;
}

void
recommend_build(const struct profile *const *p, size_t np,
    const struct kstate *ks, bool exact, struct recommendation *r)
{
	recommend_init(r);
	r->exact = exact;
	r->ipc_mni = ks->host.ipcmni_extend ? IPC_MNI_EXTEND :
	    IPC_MNI_DEFAULT;
	for (int id = 0; id < SC_COUNT; id++) {
		for (size_t i = 0; i < np; i++)
			if (p[i]->sysctl[id].present)
				r->item[id].present = true;
		if (r->item[id].present)
			build_item(p, np, ks, (enum sysctl_id)id, r);
	}
	coherence(ks, r);
	build_dev_shm(p, np, ks, r);
	/* absolute values that today's usage already fills: say so */
	for (size_t i = 0; i < np; i++) {
		char text[512];

		if (!plan_room(ks, p[i], r, text, sizeof(text)))
			warn(r, "%s", text);
	}
}
