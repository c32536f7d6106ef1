/*
 * report.c: aggregates many snapshots into the fleet view: the hosts with
 * the least headroom per resource, the hosts with unattached segments,
 * the distribution of each sysctl, the hosts that drift from a profile
 * (the caller judges; this keeps the verdicts) and the snapshots that
 * were skipped.
 * Pure: it never reads files or prints; the caller loads each snapshot,
 * adds it, and frees it before loading the next.
 */
#define _GNU_SOURCE	/* qsort_r */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "xmalloc.h"

void
report_init(struct report *r, size_t top_n)
{
	memset(r, 0, sizeof(*r));
	if (top_n < 1)
		top_n = 1;
	if (top_n > REPORT_TOP_MAX)
		top_n = REPORT_TOP_MAX;
	r->top_n = top_n;
}

void
report_release(struct report *r)
{
	for (size_t i = 0; i < r->nhosts; i++) {
		struct report_host *h = &r->hosts[i];

		free(h->file);
		free(h->hostname);
		free(h->kernel_release);
		free(h->drift_detail);
		for (int s = 0; s < SC_COUNT; s++)
			free(h->sysctl_text[s]);
	}
	free(r->hosts);
	for (size_t i = 0; i < r->nskips; i++) {
		free(r->skips[i].file);
		free(r->skips[i].reason);
	}
	free(r->skips);
	for (int s = 0; s < SC_COUNT; s++) {
		for (size_t i = 0; i < r->dist[s].nvalues; i++)
			free(r->dist[s].values[i].text);
		free(r->dist[s].values);
	}
	memset(r, 0, sizeof(*r));
}

void
report_sysctl_text(const struct sysctl_value *v, enum sysctl_id id,
    char *buf, size_t len)
{
	uint64_t held[SEM_NFIELDS];

	/*
	 * /proc/sys/kernel/sem separates its fields with tabs; compare the
	 * numbers as held, so "250\t32000" and "250 32000" are one value
	 * and a negative field keeps its sign.
	 */
	if (sysctl_table[id].kind != SCK_SEM && v->negative) {
		snprintf(buf, len, "%s", v->raw);
		return;
	}
	sysctl_held_value(id, v, held);
	sysctl_format(id, held, buf, len);
}

/* Does entry A show less headroom than B?  Ties: less free, then order. */
static bool
top_before(const struct report_top *a, const struct report_top *b)
{
	if (a->ratio != b->ratio)
		return a->ratio > b->ratio;
	if (a->free != b->free)
		return a->free < b->free;
	return a->host < b->host;
}

static void
top_insert(struct report *r, int res, size_t host, const struct resource *x)
{
	struct report_top e = { host, x->ratio, x->free };
	struct report_top *t = r->top[res];
	size_t n = r->ntop[res], pos;

	if (n == r->top_n && !top_before(&e, &t[n - 1]))
		return;
	for (pos = 0; pos < n && !top_before(&e, &t[pos]); pos++)
		;
	if (n == r->top_n)
		n--;		/* the last one falls off */
	memmove(&t[pos + 1], &t[pos], (n - pos) * sizeof(*t));
	t[pos] = e;
	r->ntop[res] = n + 1;
}

static void
dist_add(struct report_dist *d, const char *text)
{
	for (size_t i = 0; i < d->nvalues; i++)
		if (strcmp(d->values[i].text, text) == 0) {
			d->values[i].hosts++;
			/* keep the common values near the front */
			if (i > 0 && d->values[i].hosts >
			    d->values[i - 1].hosts) {
				struct report_value tmp = d->values[i];

				d->values[i] = d->values[i - 1];
				d->values[i - 1] = tmp;
			}
			return;
		}
	if (d->nvalues == REPORT_DIST_MAX) {
		d->other++;
		return;
	}
	d->values = xreallocarray(d->values, d->nvalues + 1,
	    sizeof(*d->values));
	d->values[d->nvalues].text = xstrdup(text);
	d->values[d->nvalues].hosts = 1;
	d->nvalues++;
}

void
report_add(struct report *r, const char *file, const struct kstate *ks,
    const struct model *m)
{
	struct report_host *h;
	char text[128];
	size_t idx;

	xgrow(&r->hosts, r->nhosts, &r->caphosts, sizeof(*r->hosts));
	idx = r->nhosts++;
	h = &r->hosts[idx];
	memset(h, 0, sizeof(*h));
	h->file = xstrdup(file);
	h->hostname = xstrdup(ks->host.hostname);
	h->kernel_release = xstrdup(ks->host.kernel_release);
	h->read_at = ks->read_at;
	h->worst = -1;
	h->drift = DRIFT_UNCHECKED;
	r->drift_count[DRIFT_UNCHECKED]++;
	for (int i = 0; i < R_COUNT; i++) {
		const struct resource *x = &m->res[i];

		h->res[i] = *x;
		if (!x->has_ratio)
			continue;
		top_insert(r, i, idx, x);
		if (h->worst < 0 || x->ratio > h->res[h->worst].ratio)
			h->worst = i;
	}
	/*
	 * Without the orphan verdicts of the host (report_set_orphans), a
	 * snapshot cannot tell a dead creator from a live one.  What it can
	 * still tell: segments nobody has attached
	 * and that are not already marked for removal (the kernel frees
	 * those on the last detach, ipc/shm.c shm_destroy).  That is what a
	 * leaked segment looks like.
	 */
	for (size_t i = 0; ks->has_shm && i < ks->nshm; i++)
		if (ks->shm[i].nattch == 0 &&
		    !(ks->shm[i].perm.mode & IPC_SHM_DEST)) {
			h->unattached_shm++;
			h->unattached_shm_bytes += ks->shm[i].size_bytes;
		}
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++) {
		h->has_posix[t] = ipctype_has(ks, (enum ipc_type)t);
		h->posix_objects[t] = ipctype_count(ks, (enum ipc_type)t);
	}
	for (size_t i = 0; ks->has_pshm && i < ks->npshm; i++)
		h->pshm_bytes += ks->pshm[i].f.alloc_bytes;
	if (report_leaked(h) > 0)
		r->leaky_hosts++;
	for (size_t i = 0; i < m->nfindings; i++) {
		if (m->findings[i].level == FINDING_WARNING)
			h->nwarnings++;
		else if (m->findings[i].level == FINDING_CRITICAL)
			h->ncritical++;
	}
	for (int s = 0; s < SC_COUNT; s++) {
		if (!ks->sysctl[s].present) {
			r->dist[s].missing++;
			continue;
		}
		report_sysctl_text(&ks->sysctl[s], (enum sysctl_id)s, text,
		    sizeof(text));
		h->sysctl_text[s] = xstrdup(text);
		dist_add(&r->dist[s], text);
	}
}

uint64_t
report_leaked(const struct report_host *h)
{
	uint64_t n = 0;

	if (!h->has_orphans)
		return h->unattached_shm;
	for (int t = 0; t < IPC_NTYPES; t++)
		if (!IPC_TYPE_IS_POSIX(t) || h->has_posix_orphans)
			n += h->orphans[t];
	return n;
}

/*
 * The last host, out of the count of leaky hosts while its verdicts
 * change (NULL when there is none); count_leaky() puts it back.
 */
static struct report_host *
last_host_uncounted(struct report *r)
{
	struct report_host *h;

	if (r->nhosts == 0)
		return NULL;
	h = &r->hosts[r->nhosts - 1];
	if (report_leaked(h) > 0)
		r->leaky_hosts--;
	return h;
}

static void
count_leaky(struct report *r, const struct report_host *h)
{
	if (report_leaked(h) > 0)
		r->leaky_hosts++;
}

void
report_set_orphans(struct report *r, const uint64_t counts[IPC_NTYPES])
{
	struct report_host *h = last_host_uncounted(r);

	if (h == NULL)
		return;
	h->has_orphans = true;
	memcpy(h->orphans, counts, IPC_NSYSV * sizeof(h->orphans[0]));
	count_leaky(r, h);
}

void
report_set_posix_orphans(struct report *r,
    const uint64_t orphans[IPC_NTYPES], const uint64_t suspect[IPC_NTYPES],
    uint64_t pshm_bytes)
{
	struct report_host *h = last_host_uncounted(r);

	if (h == NULL)
		return;
	h->has_posix_orphans = true;
	for (int t = IPC_NSYSV; t < IPC_NTYPES; t++) {
		h->orphans[t] = orphans[t];
		h->suspect[t] = suspect[t];
	}
	h->orphan_pshm_bytes = pshm_bytes;
	count_leaky(r, h);
}

void
report_set_drift(struct report *r, enum drift_verdict d, const char *detail)
{
	struct report_host *h;

	if (r->nhosts == 0)
		return;
	h = &r->hosts[r->nhosts - 1];
	r->drift_count[h->drift]--;
	r->drift_count[d]++;
	h->drift = d;
	free(h->drift_detail);
	h->drift_detail = detail != NULL && *detail ? xstrdup(detail) : NULL;
}

void
report_add_skip(struct report *r, const char *file, const char *reason)
{
	xgrow(&r->skips, r->nskips, &r->capskips, sizeof(*r->skips));
	r->skips[r->nskips].file = xstrdup(file);
	r->skips[r->nskips].reason = xstrdup(reason);
	r->nskips++;
}

static int
value_cmp(const void *a, const void *b)
{
	const struct report_value *x = a, *y = b;

	if (x->hosts != y->hosts)
		return x->hosts > y->hosts ? -1 : 1;
	return strcmp(x->text, y->text);
}

void
report_finish(struct report *r)
{
	for (int s = 0; s < SC_COUNT; s++)
		if (r->dist[s].nvalues > 1)
			qsort(r->dist[s].values, r->dist[s].nvalues,
			    sizeof(*r->dist[s].values), value_cmp);
}

static int
leak_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct report *r = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct report_host *x = &r->hosts[a], *y = &r->hosts[b];

	if (report_leaked(x) != report_leaked(y))
		return report_leaked(x) > report_leaked(y) ? -1 : 1;
	if (x->unattached_shm_bytes != y->unattached_shm_bytes)
		return x->unattached_shm_bytes > y->unattached_shm_bytes ?
		    -1 : 1;
	return a < b ? -1 : a > b;
}

size_t *
report_leaky_hosts(const struct report *r)
{
	size_t *v = xcalloc(r->leaky_hosts + 1, sizeof(*v)), n = 0;

	for (size_t i = 0; i < r->nhosts; i++)
		if (report_leaked(&r->hosts[i]) > 0)
			v[n++] = i;
	qsort_r(v, n, sizeof(*v), leak_cmp, (void *)(uintptr_t)r);
	return v;
}
