/*
 * ksysctl.c: reads and writes /proc/sys for the IPC sysctls, one key at
 * a time, and nothing else.  A kernel.sem write is not atomic (fields
 * before a bad one are stored, and a bad SEMMNI is rolled back alone,
 * ipc/ipc_sysctl.c), so all four fields go in one line with single spaces;
 * the order of a transaction, its read back and its undo are applytx.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infile.h"
#include "ksysctl.h"
#include "procparse.h"

static int
nfields(enum sysctl_id id)
{
	return sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
}

static void
proc_path(const struct ksysctl_opts *o, enum sysctl_id id, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s/proc/%s", o->root ? o->root : "",
	    sysctl_table[id].path);
}

static const char *
advice(int e)
{
	return e == EACCES || e == EPERM ? " (run as root)" : "";
}

int
ksysctl_read(const struct ksysctl_opts *o, enum sysctl_id id, uint64_t *v,
    char *err, size_t errlen)
{
	struct sysctl_value val;
	char path[4096], *buf, msg[256];
	size_t len;

	proc_path(o, id, path, sizeof(path));
	if (infile_read(path, 0, 4096, &buf, &len, NULL, 0) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot read '%s': %s%s",
		    sysctl_table[id].name, strerror(e), advice(e));
		errno = e;
		return -1;
	}
	if (procparse_sysctl(id, buf, &val, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "%s", msg);
		free(buf);
		errno = EINVAL;
		return -1;
	}
	free(buf);
	/* a negative kernel.sem field as it is, to be written back so */
	sysctl_held_value(id, &val, v);
	return 0;
}

int
ksysctl_check(const struct ksysctl_opts *o, const struct ksysctl_change *c,
    char *err, size_t errlen)
{
	enum sysctl_id id = c->id;

	if (id < 0 || id >= SC_COUNT) {
		snprintf(err, errlen, "refusing to write an unknown sysctl");
		return -1;
	}
	for (int k = 0; k < nfields(id); k++) {
		uint64_t max = sysctl_max(id, k, o->ipc_mni);
		uint64_t min = nfields(id) > 1 ? 0 : sysctl_min(id);
		int64_t neg;

		/*
		 * proc_dointvec takes any int for SEMMSL, SEMMNS and SEMOPM
		 * (only SEMMNI is checked, sem_check_semmni()): a negative
		 * one the kernel held before goes back as it was, and one
		 * the change keeps as the kernel holds it (a SEMOPM of -1,
		 * which limits nothing, kept by a raise) stays
		 */
		if ((o->restore || c->new_value[k] == c->old_value[k]) &&
		    nfields(id) > 1 && k != SEM_SEMMNI &&
		    sysctl_sem_negative(c->new_value[k], &neg))
			continue;
		/* an unsigned int above INT_MAX goes back as a negative int */
		if (o->restore && sysctl_table[id].kind == SCK_UINT_AS_INT &&
		    c->new_value[k] <= UINT32_MAX)
			continue;
		if (c->new_value[k] > max || c->new_value[k] < min) {
			snprintf(err, errlen, "refusing '%s'%s%s: %" PRIu64
			    " is outside [%" PRIu64 ", %" PRIu64 "]",
			    sysctl_table[id].name, nfields(id) > 1 ? " " : "",
			    nfields(id) > 1 ? sem_field_names[k] : "",
			    c->new_value[k], min, max);
			return -1;
		}
	}
	return 0;
}

int
ksysctl_write(const struct ksysctl_opts *o, enum sysctl_id id,
    const char *text)
{
	char path[4096];
	size_t len = strlen(text);
	ssize_t w;
	int fd, e;

	proc_path(o, id, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -1;
	w = write(fd, text, len);
	e = errno;
	if (close(fd) < 0 && w >= 0) {
		e = errno;
		w = -1;
	}
	if (w < 0) {
		errno = e;
		return -1;
	}
	if ((size_t)w != len) {
		/* the kernel stopped parsing early: extra or bad fields */
		errno = EINVAL;
		return -1;
	}
	return 0;
}
