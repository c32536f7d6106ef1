/*
 * kstate.c: the sysctl table and the lifecycle of struct kstate.  Pure
 * data: the table says how the kernel stores and bounds each IPC sysctl
 * (ipc/ipc_sysctl.c, ipc/mq_sysctl.c), and sysctl_max() adds the bounds
 * that depend on IPCMNI; nothing here touches the system.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctune.h"
#include "numparse.h"

const struct sysctl_desc sysctl_table[SC_COUNT] = {
	[SC_SHMMAX] = { "kernel.shmmax", "sys/kernel/shmmax", "shmmax_bytes",
	    "bytes", SCK_ULONG, 0, UINT64_MAX, false, SYSCTL_UNLIMITED },
	[SC_SHMALL] = { "kernel.shmall", "sys/kernel/shmall", "shmall_pages",
	    "pages", SCK_ULONG, 0, UINT64_MAX, false, SYSCTL_UNLIMITED },
	[SC_SHMMNI] = { "kernel.shmmni", "sys/kernel/shmmni", "shmmni",
	    "segments", SCK_INT, 0, 0, true, 4096 },
	[SC_SHM_RMID_FORCED] = { "kernel.shm_rmid_forced",
	    "sys/kernel/shm_rmid_forced", "shm_rmid_forced", "boolean",
	    SCK_INT, 0, 1, false, 0 },
	[SC_SEM] = { "kernel.sem", "sys/kernel/sem", "sem", "",
	    SCK_SEM, 0, 2147483647, false, 0 },
	[SC_MSGMAX] = { "kernel.msgmax", "sys/kernel/msgmax", "msgmax_bytes",
	    "bytes", SCK_INT, 0, 2147483647, false, 8192 },
	[SC_MSGMNB] = { "kernel.msgmnb", "sys/kernel/msgmnb", "msgmnb_bytes",
	    "bytes", SCK_INT, 0, 2147483647, false, 16384 },
	[SC_MSGMNI] = { "kernel.msgmni", "sys/kernel/msgmni", "msgmni",
	    "queues", SCK_INT, 0, 0, true, 32000 },
	[SC_MQ_QUEUES_MAX] = { "fs.mqueue.queues_max",
	    "sys/fs/mqueue/queues_max", "mqueue_queues_max", "queues",
	    SCK_UINT_AS_INT, 0, 4294967295u, false, 256 },
	[SC_MQ_MSG_MAX] = { "fs.mqueue.msg_max", "sys/fs/mqueue/msg_max",
	    "mqueue_msg_max", "messages", SCK_INT, 1, 65536, false, 10 },
	[SC_MQ_MSGSIZE_MAX] = { "fs.mqueue.msgsize_max",
	    "sys/fs/mqueue/msgsize_max", "mqueue_msgsize_max_bytes", "bytes",
	    SCK_INT, 128, 16777216, false, 8192 },
	[SC_MQ_MSG_DEFAULT] = { "fs.mqueue.msg_default",
	    "sys/fs/mqueue/msg_default", "mqueue_msg_default", "messages",
	    SCK_INT, 1, 65536, false, 10 },
	[SC_MQ_MSGSIZE_DEFAULT] = { "fs.mqueue.msgsize_default",
	    "sys/fs/mqueue/msgsize_default", "mqueue_msgsize_default_bytes",
	    "bytes", SCK_INT, 128, 16777216, false, 8192 },
};

const char *const sem_field_names[SEM_NFIELDS] = {
	"semmsl", "semmns", "semopm", "semmni",
};

uint64_t
sysctl_max(enum sysctl_id id, int k, uint64_t ipc_mni)
{
	const struct sysctl_desc *d = &sysctl_table[id];

	switch (d->kind) {
	case SCK_ULONG:
		return UINT64_MAX;
	case SCK_SEM:
		/* sem_check_semmni(): SEMMNI in [0, ipc_mni]; others int */
		return k == SEM_SEMMNI ? ipc_mni : INT32_MAX;
	case SCK_UINT_AS_INT:
		/* written through proc_dointvec: above INT_MAX is EINVAL */
		return INT32_MAX;
	case SCK_INT:
		return d->max_is_ipc_mni ? ipc_mni : d->max;
	}
	return 0;
}

uint64_t
sysctl_min(enum sysctl_id id)
{
	return sysctl_table[id].min;
}

void
sysctl_kernel_default(enum sysctl_id id, uint64_t *v)
{
	/* include/uapi/linux/sem.h: SEMMSL SEMMNS SEMOPM SEMMNI */
	static const uint64_t sem[SEM_NFIELDS] = { 32000, 1024000000, 500,
	    32000 };

	if (sysctl_table[id].kind == SCK_SEM)
		memcpy(v, sem, sizeof(sem));
	else
		v[0] = sysctl_table[id].kernel_default;
}

void
kstate_init(struct kstate *ks)
{
	memset(ks, 0, sizeof(*ks));
}

void
kstate_release(struct kstate *ks)
{
	free(ks->shm);
	free(ks->sem);
	free(ks->msg);
	ks->shm = NULL;
	ks->sem = NULL;
	ks->msg = NULL;
	ks->nshm = ks->nsem = ks->nmsg = 0;
	for (size_t i = 0; i < ks->npshm; i++)
		posix_file_release(&ks->pshm[i].f);
	for (size_t i = 0; i < ks->npsem; i++)
		posix_file_release(&ks->psem[i].f);
	for (size_t i = 0; i < ks->npmq; i++)
		posix_file_release(&ks->pmq[i].f);
	free(ks->pshm);
	free(ks->psem);
	free(ks->pmq);
	ks->pshm = NULL;
	ks->psem = NULL;
	ks->pmq = NULL;
	ks->npshm = ks->npsem = ks->npmq = 0;
}

void
posix_file_release(struct posix_file *f)
{
	free(f->name);
	free(f->holders);
	f->name = NULL;
	f->holders = NULL;
	f->nholders = 0;
}

const struct sysctl_desc *
sysctl_lookup(const char *name, enum sysctl_id *idp)
{
	for (int i = 0; i < SC_COUNT; i++) {
		if (strcmp(sysctl_table[i].name, name) == 0) {
			if (idp != NULL)
				*idp = (enum sysctl_id)i;
			return &sysctl_table[i];
		}
	}
	return NULL;
}

void
sysctl_sem_fields(const struct sysctl_value *sv, int64_t out[SEM_NFIELDS])
{
	char buf[sizeof(sv->raw)], *save = NULL, *tok;
	int n = 0;

	for (int i = 0; i < SEM_NFIELDS; i++)
		out[i] = (int64_t)sv->v[i];
	if (!sv->negative)
		return;
	snprintf(buf, sizeof(buf), "%s", sv->raw);
	for (tok = strtok_r(buf, " \t\n", &save); tok != NULL &&
	    n < SEM_NFIELDS; tok = strtok_r(NULL, " \t\n", &save), n++) {
		int64_t v;

		if (num_parse_i64(tok, INT32_MIN, INT32_MAX, &v) == 0)
			out[n] = v;
	}
}

void
sysctl_held_value(enum sysctl_id id, const struct sysctl_value *sv,
    uint64_t out[SEM_NFIELDS])
{
	int64_t f[SEM_NFIELDS];

	memcpy(out, sv->v, sizeof(sv->v));
	if (sysctl_table[id].kind != SCK_SEM)
		return;
	sysctl_sem_fields(sv, f);
	for (int k = 0; k < SEM_NFIELDS; k++)
		out[k] = (uint64_t)f[k];
}

bool
sysctl_sem_negative(uint64_t v, int64_t *out)
{
	/* proc_dointvec stores each field in an int (ipc/ipc_sysctl.c) */
	if ((int64_t)v < 0 && (int64_t)v >= INT32_MIN) {
		*out = (int64_t)v;
		return true;
	}
	return false;
}

/*
 * A negative kernel.sem field is compared as an int by semget (sem.c
 * newary: SEMMSL, SEMMNS; ipc_addid: SEMMNI), so it admits nothing, but
 * do_semtimedop() compares nsops unsigned with SEMOPM, so a negative
 * SEMOPM limits nothing.
 */
uint64_t
sysctl_effective(enum sysctl_id id, int k, uint64_t v)
{
	int64_t neg;

	if (sysctl_table[id].kind != SCK_SEM || !sysctl_sem_negative(v, &neg))
		return v;
	return k == SEM_SEMOPM ? (uint64_t)(uint32_t)(int32_t)neg : 0;
}

bool
sysctl_field_signed(enum sysctl_id id, uint64_t v, int64_t *out)
{
	switch (sysctl_table[id].kind) {
	case SCK_SEM:
		return sysctl_sem_negative(v, out);
	case SCK_UINT_AS_INT:
		/* proc_dointvec prints and takes it as an int */
		if (v > INT32_MAX && v <= UINT32_MAX) {
			*out = (int32_t)(uint32_t)v;
			return true;
		}
		return false;
	case SCK_ULONG:
	case SCK_INT:
		break;
	}
	return false;
}

const char *
sysctl_field_text(enum sysctl_id id, uint64_t v, char *buf, size_t len)
{
	int64_t neg;

	if (sysctl_field_signed(id, v, &neg))
		snprintf(buf, len, "%" PRId64, neg);
	else
		snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

void
sysctl_format(enum sysctl_id id, const uint64_t *v, char *buf, size_t len)
{
	size_t used = 0;
	int n = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;

	for (int k = 0; k < n; k++) {
		char f[24];

		used += (size_t)snprintf(buf + used, len > used ? len - used :
		    0, "%s%s", k ? " " : "", sysctl_field_text(id, v[k], f,
		    sizeof(f)));
	}
}
