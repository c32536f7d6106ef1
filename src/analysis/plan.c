/*
 * plan.c: K more instances of a workload against today's limits and
 * usage.  Per limit it takes the per-instance demand, the value needed
 * and the instances the limit allows (rounding each segment up to pages
 * as newseg() does); how many instances fit now is asked of fit.c, the
 * kernel's checks in the kernel's order.  Pure: no I/O, no printing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "numparse.h"
#include "plan.h"
#include "recommend.h"
#include "xmalloc.h"

const struct plan_limit_desc plan_limit_table[PL_COUNT] = {
	[PL_SHMMAX] = { "shmmax", SC_SHMMAX, 0, "bytes", true, "shmget",
	    "EINVAL" },
	[PL_SHMALL] = { "shmall", SC_SHMALL, 0, "pages", false, "shmget",
	    "ENOSPC" },
	[PL_SHMMNI] = { "shmmni", SC_SHMMNI, 0, "segments", false, "shmget",
	    "ENOSPC" },
	[PL_SEMMSL] = { "semmsl", SC_SEM, SEM_SEMMSL, "semaphores", true,
	    "semget", "EINVAL" },
	[PL_SEMMNS] = { "semmns", SC_SEM, SEM_SEMMNS, "semaphores", false,
	    "semget", "ENOSPC" },
	[PL_SEMMNI] = { "semmni", SC_SEM, SEM_SEMMNI, "arrays", false,
	    "semget", "ENOSPC" },
	[PL_SEMOPM] = { "semopm", SC_SEM, SEM_SEMOPM, "operations", true,
	    "semop", "E2BIG" },
	[PL_MSGMNI] = { "msgmni", SC_MSGMNI, 0, "queues", false, "msgget",
	    "ENOSPC" },
	/* a queue holds at most its msg_qbytes, copied from msgmnb */
	[PL_MSGMNB] = { "msgmnb", SC_MSGMNB, 0, "bytes", true, "msgsnd",
	    "EAGAIN" },
	/* mqueue_get_inode(): not for CAP_SYS_RESOURCE */
	[PL_MQ_QUEUES] = { "mqueue_queues", SC_MQ_QUEUES_MAX, 0, "queues",
	    false, "mq_open", "ENOSPC" },
};

const char *const plan_action_names[PA_NACTIONS] = {
	[PA_KEEP] = "keep", [PA_RAISE] = "raise", [PA_BEYOND] = "beyond_max",
};

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The per-instance shape: segments and their size, sems per array. */
static void
shape(const struct plan_demand *d, uint64_t page_size, uint64_t *segs,
    uint64_t *seg_bytes, uint64_t *seg_pages, uint64_t *nsems)
{
	uint64_t s = d->v[D_SHM_SEGMENTS], b = d->v[D_SHM_BYTES];

	*segs = s == 0 && b > 0 ? 1 : s;
	/* without shm_bytes a segment counts as the smallest, one page */
	*seg_bytes = *segs == 0 ? 0 : b == 0 ? 1 :
	    num_div_ceil_u64(b, *segs);
	*seg_pages = num_div_ceil_u64(*seg_bytes, page_size);
	/* sem_arrays without sems_per_array: one semaphore each */
	*nsems = d->has[D_SEMS_PER_ARRAY] ? d->v[D_SEMS_PER_ARRAY] : 1;
}

int
plan_request(const struct plan_demand *d, uint64_t n, uint64_t page_size,
    struct fit_request *req)
{
	uint64_t segs, seg_bytes, seg_pages, nsems;

	memset(req, 0, sizeof(*req));
	shape(d, page_size, &segs, &seg_bytes, &seg_pages, &nsems);
	if (segs > 0) {
		req->has_shm = true;
		req->shm_size_bytes = seg_bytes;
		if (!num_mul_u64(segs, n, &req->shm_count))
			return -1;
	}
	if (d->v[D_SEM_ARRAYS] > 0) {
		req->has_sem = true;
		req->sems_per_array = nsems;
		if (!num_mul_u64(d->v[D_SEM_ARRAYS], n, &req->sem_arrays))
			return -1;
	}
	if (d->v[D_SEMOP_OPS] > 0) {
		req->has_semop = true;
		req->semop_ops = d->v[D_SEMOP_OPS];
	}
	if (d->v[D_MSG_QUEUES] > 0) {
		req->has_queues = true;
		if (!num_mul_u64(d->v[D_MSG_QUEUES], n, &req->queues))
			return -1;
	}
	return 0;
}

/* A count limit: USED + K * PER against EFFECTIVE (ipc_addid, shm_tot). */
static void
row_count(struct plan_row *w, uint64_t used, uint64_t per, uint64_t k)
{
	uint64_t more;

	w->applies = true;
	w->has_used = true;
	w->used = used;
	w->per_instance = per;
	if (!num_mul_u64(per, k, &more) || !num_add_u64(used, more,
	    &w->needed)) {
		w->needed_overflow = true;
		w->needed = UINT64_MAX;
	}
	if (per == 0)
		w->unlimited = true;
	else
		w->instances = used >= w->effective ? 0 :
		    (w->effective - used) / per;
}

/* A cap on each object: PER against EFFECTIVE, whatever K. */
static void
row_cap(struct plan_row *w, uint64_t per, bool fits)
{
	w->applies = true;
	w->per_instance = per;
	w->needed = per;
	w->unlimited = fits;
	w->instances = 0;
}

static void
row_action(struct plan_row *w)
{
	if (!w->needed_overflow && w->needed <= w->effective)
		w->action = PA_KEEP;
	else if (!w->needed_overflow && w->needed <= w->max)
		w->action = PA_RAISE;
	else
		w->action = PA_BEYOND;
}

/* Does the request for N instances fit?  Fills RES. */
static bool
fits_n(const struct kstate *ks, const struct plan_demand *d, uint64_t n,
    uint64_t page_size, struct fit_result *res)
{
	struct fit_request req;
	char err[256];

	if (plan_request(d, n, page_size, &req) < 0)
		return false;
	if (fit_predict(ks, &req, res, err, sizeof(err)) < 0)
		return false;
	return res->fits;
}

/*
 * The instances fit.c lets through: the largest N whose request fits,
 * found by doubling then bisection (every check is monotonic in N).
 */
static void
fit_count(const struct kstate *ks, const struct plan_demand *d,
    uint64_t page_size, bool *unlimited, uint64_t *n)
{
	struct fit_result res;
	uint64_t lo = 0, hi = 1;

	*unlimited = false;
	while (fits_n(ks, d, hi, page_size, &res)) {
		lo = hi;
		if (hi >= PLAN_MAX_INSTANCES) {
			*unlimited = true;
			*n = hi;
			return;
		}
		hi *= 2;
	}
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (fits_n(ks, d, mid, page_size, &res))
			lo = mid;
		else
			hi = mid;
	}
	*n = lo;
}

/* Each row's limit as held, as the kernel applies it, and its ceiling. */
static void
rows_current(const struct kstate *ks, struct plan_result *r)
{
	for (int i = 0; i < PL_COUNT; i++) {
		const struct plan_limit_desc *ld = &plan_limit_table[i];
		struct plan_row *w = &r->rows[i];
		const struct sysctl_value *sv = &ks->sysctl[ld->sysctl];
		uint64_t held[SEM_NFIELDS];

		w->has_current = sv->present;
		sysctl_held_value(ld->sysctl, sv, held);
		w->current = held[ld->field];
		w->effective = sysctl_effective(ld->sysctl, ld->field,
		    w->current);
		w->max = sysctl_max(ld->sysctl, ld->field, r->ipc_mni);
	}
	/* ipc_addid(): the *mni limits are capped to IPCMNI */
	r->rows[PL_SHMMNI].effective = min_u64(r->rows[PL_SHMMNI].effective,
	    r->ipc_mni);
	r->rows[PL_SEMMNI].effective = min_u64(r->rows[PL_SEMMNI].effective,
	    r->ipc_mni);
	r->rows[PL_MSGMNI].effective = min_u64(r->rows[PL_MSGMNI].effective,
	    r->ipc_mni);
}

/* The shmmax, shmall and shmmni rows for K instances' segments. */
static void
shm_rows(const struct ipc_usage *u, uint64_t k, struct plan_result *r)
{
	uint64_t per;

	row_cap(&r->rows[PL_SHMMAX], r->shm_segment_bytes,
	    r->shm_segment_bytes <= r->rows[PL_SHMMAX].effective);
	/* per segment, so nested division: floor(floor(x/p)/s) */
	if (num_mul_u64(r->shm_segments, r->shm_segment_pages, &per))
		row_count(&r->rows[PL_SHMALL], u->shm_pages, per, k);
	else
		row_count(&r->rows[PL_SHMALL], u->shm_pages, UINT64_MAX, k);
	if (r->shm_segment_pages > 0 &&
	    u->shm_pages <= r->rows[PL_SHMALL].effective)
		r->rows[PL_SHMALL].instances =
		    (r->rows[PL_SHMALL].effective - u->shm_pages) /
		    r->shm_segment_pages / r->shm_segments;
	row_count(&r->rows[PL_SHMMNI], u->shm_segments, r->shm_segments, k);
}

/* The SEMMSL, SEMMNS and SEMMNI rows for K instances' A arrays of NSEMS. */
static void
sem_rows(const struct kstate *ks, uint64_t a, uint64_t nsems, uint64_t k,
    struct plan_result *r)
{
	const struct ipc_usage *u = &ks->usage;
	struct plan_row *mns = &r->rows[PL_SEMMNS];
	int64_t sem[SEM_NFIELDS];
	uint64_t per;

	sysctl_sem_fields(&ks->sysctl[SC_SEM], sem);
	row_cap(&r->rows[PL_SEMMSL], nsems, nsems > 0 &&
	    nsems <= r->rows[PL_SEMMSL].effective);
	if (num_mul_u64(a, nsems, &per))
		row_count(mns, u->sem_sems, per, k);
	else
		row_count(mns, u->sem_sems, UINT64_MAX, k);
	/* newary(): a negative SEMMNS refuses every array */
	if (sem[SEM_SEMMNS] < 0)
		mns->instances = 0, mns->unlimited = false;
	else if (nsems > 0 && u->sem_sems <= mns->effective)
		mns->instances = (mns->effective - u->sem_sems) / nsems / a;
	row_count(&r->rows[PL_SEMMNI], u->sem_arrays, a, k);
}

/* Every row of R for K more instances of the demand D on KS. */
static void
rows(const struct kstate *ks, const struct plan_demand *d, uint64_t k,
    struct plan_result *r)
{
	const struct ipc_usage *u = &ks->usage;
	uint64_t nsems;

	shape(d, r->page_size, &r->shm_segments, &r->shm_segment_bytes,
	    &r->shm_segment_pages, &nsems);
	r->has_shm = r->shm_segments > 0;
	rows_current(ks, r);
	if (r->has_shm)
		shm_rows(u, k, r);
	if (d->v[D_SEM_ARRAYS] > 0)
		sem_rows(ks, d->v[D_SEM_ARRAYS], nsems, k, r);
	if (d->v[D_SEMOP_OPS] > 0)
		row_cap(&r->rows[PL_SEMOPM], d->v[D_SEMOP_OPS],
		    d->v[D_SEMOP_OPS] <= r->rows[PL_SEMOPM].effective);
	if (d->v[D_MSG_QUEUES] > 0)
		row_count(&r->rows[PL_MSGMNI], u->msg_queues,
		    d->v[D_MSG_QUEUES], k);
	/* msgsnd() into a new queue: at most msg_qbytes queued */
	if (d->v[D_MSG_BYTES] > 0)
		row_cap(&r->rows[PL_MSGMNB], d->v[D_MSG_BYTES],
		    d->v[D_MSG_BYTES] <= r->rows[PL_MSGMNB].effective);
	if (d->v[D_MQ_QUEUES] > 0 && r->rows[PL_MQ_QUEUES].has_current) {
		row_count(&r->rows[PL_MQ_QUEUES], u->has_mq_queues ?
		    u->mq_queues : 0, d->v[D_MQ_QUEUES], k);
		r->rows[PL_MQ_QUEUES].used_unknown = !u->has_mq_queues;
	}
	for (int i = 0; i < PL_COUNT; i++)
		if (r->rows[i].applies)
			row_action(&r->rows[i]);
}

/* Order the rows that apply by the instances they allow, stably. */
static void
order(struct plan_result *r)
{
	r->norder = 0;
	for (int i = 0; i < PL_COUNT; i++)
		if (r->rows[i].applies)
			r->order[r->norder++] = (enum plan_limit)i;
	for (size_t i = 1; i < r->norder; i++) {
		enum plan_limit x = r->order[i];
		const struct plan_row *wx = &r->rows[x];
		size_t j = i;

		for (; j > 0; j--) {
			const struct plan_row *wy = &r->rows[r->order[j - 1]];

			if (wx->unlimited || (!wy->unlimited &&
			    wy->instances <= wx->instances))
				break;
			r->order[j] = r->order[j - 1];
		}
		r->order[j] = x;
	}
}

/* What the instance after the last one that fits runs into. */
static void
next_failure(const struct kstate *ks, const struct plan_demand *d,
    struct plan_result *r)
{
	struct fit_result res;
	const struct plan_limit_desc *ld;

	if (r->fits_unlimited)
		return;
	if (r->fits == r->fits_sysv && !fits_n(ks, d, r->fits + 1,
	    r->page_size, &res)) {
		for (int c = 0; c < FIT_NCALLS; c++) {
			const struct fit_cause_desc *cd;

			if (!res.call[c].requested ||
			    res.call[c].cause == FIT_OK)
				continue;
			cd = &fit_cause_table[res.call[c].cause];
			r->has_next = true;
			r->next_call = fit_call_names[c];
			r->next_errname = cd->errname;
			r->next_errno = cd->err;
			r->next_limit = cd->code;
			fit_explain(&res, (enum fit_call)c, r->next_text,
			    sizeof(r->next_text));
			return;
		}
	}
	/* a limit fit.c does not model: the first in order that binds */
	for (size_t i = 0; i < r->norder; i++) {
		const struct plan_row *w = &r->rows[r->order[i]];

		if (w->unlimited || w->instances != r->fits)
			continue;
		ld = &plan_limit_table[r->order[i]];
		if (r->order[i] != PL_MSGMNB && r->order[i] != PL_MQ_QUEUES)
			continue;
		r->has_next = true;
		r->next_call = ld->call;
		r->next_errname = ld->errname;
		r->next_errno = r->order[i] == PL_MSGMNB ? EAGAIN : ENOSPC;
		r->next_limit = ld->name;
		return;
	}
}

int
plan_build(const struct kstate *ks, const struct plan_demand *d,
    uint64_t k, struct plan_result *r, char *err, size_t errlen)
{
	struct fit_result res;
	struct fit_request req;
	bool any = false;

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < D_COUNT; i++)
		if (d->has[i] && d->v[i] > 0)
			any = true;
	if (!any) {
		snprintf(err, errlen, "the profile demands nothing (no "
		    "[demand] value above 0): nothing to plan");
		return -1;
	}
	/* fit_predict() says what the state lacks, if anything */
	memset(&req, 0, sizeof(req));
	if (fit_predict(ks, &req, &res, err, errlen) < 0)
		return -1;
	r->k = k;
	r->page_size = res.page_size;
	r->ipc_mni = res.ipc_mni;
	rows(ks, d, k, r);
	order(r);
	fit_count(ks, d, r->page_size, &r->fits_unlimited, &r->fits_sysv);
	r->fits = r->fits_sysv;
	/* the limits fit.c does not model: msgmnb, fs.mqueue.queues_max */
	for (int i = PL_MSGMNB; i <= PL_MQ_QUEUES; i++) {
		const struct plan_row *w = &r->rows[i];

		if (!w->applies || w->unlimited)
			continue;
		if (r->fits_unlimited || w->instances < r->fits) {
			r->fits = w->instances;
			r->fits_unlimited = false;
		}
	}
	next_failure(ks, d, r);
	return 0;
}

bool
plan_room(const struct kstate *ks, const struct profile *p,
    const struct recommendation *rec, char *text, size_t len)
{
	struct plan_demand d;
	struct plan_result r;
	struct kstate after = *ks;
	const struct plan_row *w = NULL;
	char err[256], held[24];

	text[0] = '\0';
	if (!ks->has_usage)
		return true;
	for (int i = 0; i < D_COUNT; i++) {
		d.has[i] = p->demand[i].present;
		d.v[i] = p->demand[i].value;
	}
	/* the values that hold after REC (a shallow copy: read only) */
	for (int id = 0; rec != NULL && id < SC_COUNT; id++) {
		if (!rec->item[id].present)
			continue;
		after.sysctl[id].present = true;
		for (int k = 0; k < rec->item[id].nfields; k++)
			after.sysctl[id].v[k] = rec->item[id].f[k].recommended;
	}
	if (plan_build(&after, &d, 1, &r, err, sizeof(err)) < 0 ||
	    r.fits_unlimited || r.fits >= 1)
		return true;
	for (int i = 0; i < PL_COUNT; i++)
		if (r.next_limit != NULL &&
		    strcmp(plan_limit_table[i].name, r.next_limit) == 0)
			w = &r.rows[i];
	if (w == NULL || !w->has_used) {
		snprintf(text, len, "%s: one more instance of the workload "
		    "does not fit%s%s%s", p->name, r.next_call ? " (" : "",
		    r.next_call ? r.next_call : "", r.next_call ? " fails)" :
		    "");
		return false;
	}
	snprintf(text, len, "%s: %s %s leaves no room for the "
	    "workload: %" PRIu64 " %s in use now, one instance needs %"
	    PRIu64 " more (%s fails with %s); 'ipctune plan -p %s' counts "
	    "what is in use", p->name, r.next_limit, sysctl_field_text(
	    plan_limit_table[w - r.rows].sysctl, w->current, held,
	    sizeof(held)), w->used,
	    plan_limit_table[w - r.rows].unit, w->per_instance,
	    r.next_call ? r.next_call : "?", r.next_errname ?
	    r.next_errname : "?", p->name);
	return false;
}

void
plan_profile(const struct plan_result *r, const struct kstate *ks,
    struct profile *p)
{
	for (int i = 0; i < PL_COUNT; i++) {
		const struct plan_limit_desc *ld = &plan_limit_table[i];
		const struct plan_row *w = &r->rows[i];
		struct profile_sysctl *s = &p->sysctl[ld->sysctl];

		if (!w->applies)
			continue;
		if (!s->present) {
			s->present = true;
			s->nfields = ld->sysctl == SC_SEM ? SEM_NFIELDS : 1;
			/* the fields no row needs stay as they are */
			for (int f = 0; f < s->nfields; f++)
				s->value[f] = ks->sysctl[ld->sysctl].v[f];
		}
		s->value[ld->field] = w->needed;
	}
}

/*
 * Member KEY of O: an integer up to 2^53-1, or null with KEY_exact, the
 * decimal string json_set_u64() writes for larger values.
 */
static int
read_u64(json_t *o, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	char k[64];
	const char *s;

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	snprintf(k, sizeof(k), "%s_exact", key);
	s = json_string_value(json_object_get(o, k));
	if (json_is_null(v) && s != NULL &&
	    num_parse_u64(s, 0, UINT64_MAX, out) == 0)
		return 0;
	return -1;
}

/*
 * Field KEY of kernel.sem in O into *OUT as sysctl_held_value carries
 * it: a negative int the kernel held (plan kept it) sign-extended.
 */
static int
read_sem_field(json_t *o, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v) && json_integer_value(v) < 0) {
		if (json_integer_value(v) < INT32_MIN)
			return -1;
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	return read_u64(o, key, out);
}

int
plan_read(const char *text, size_t len, struct profile *p, char *from,
    size_t fromlen, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root, *arr, *o, *v;
	const char *s;
	size_t i;
	int rc = -1;

	root = json_loadb(text, len, 0, &je);
	if (root == NULL) {
		snprintf(err, errlen, "not JSON (line %d: %s)", je.line,
		    je.text);
		return -1;
	}
	s = json_string_value(json_object_get(root, "document"));
	if (s == NULL || strcmp(s, "plan") != 0 ||
	    json_integer_value(json_object_get(root, "schema_version")) !=
	    IPCTUNE_SCHEMA_VERSION) {
		snprintf(err, errlen, "not a plan document (make it with "
		    "'ipctune plan --format json')");
		goto out;
	}
	s = json_string_value(json_object_get(root, "profile"));
	snprintf(from, fromlen, "%s", s != NULL ? s : "");
	arr = json_object_get(root, "sysctls");
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "the plan has no 'sysctls' array");
		goto out;
	}
	json_array_foreach(arr, i, o) {
		enum sysctl_id id;
		struct profile_sysctl *ps;
		char kerr[256];

		s = json_string_value(json_object_get(o, "sysctl"));
		if (s == NULL) {
			snprintf(err, errlen, "sysctls[%zu]: no 'sysctl' name",
			    i);
			goto out;
		}
		/* only the IPC keys a profile may set, whatever the file */
		if (profile_check_key(s, &id, kerr, sizeof(kerr)) < 0) {
			snprintf(err, errlen, "sysctls[%zu]: %s", i, kerr);
			goto out;
		}
		ps = &p->sysctl[id];
		if (ps->present) {
			snprintf(err, errlen, "sysctls[%zu]: '%s' twice", i, s);
			goto out;
		}
		v = json_object_get(o, "recommended");
		ps->nfields = sysctl_table[id].kind == SCK_SEM ?
		    SEM_NFIELDS : 1;
		if (ps->nfields == 1 && read_u64(o, "recommended",
		    &ps->value[0]) < 0) {
			snprintf(err, errlen, "sysctls[%zu]: '%s' has no "
			    "recommended value", i, s);
			goto out;
		}
		for (int f = 0; ps->nfields > 1 && f < SEM_NFIELDS; f++) {
			if (read_sem_field(v, sem_field_names[f],
			    &ps->value[f]) < 0) {
				snprintf(err, errlen, "sysctls[%zu]: '%s' has "
				    "no recommended %s", i, s,
				    sem_field_names[f]);
				goto out;
			}
		}
		ps->present = true;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}
