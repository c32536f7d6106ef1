/*
 * fuzz_procparse.c: libFuzzer target for the /proc text parsers.  The
 * first byte picks the parser (modulo 4): '0' a sysctl value (the second
 * byte picks which sysctl, modulo the table size), '1' /proc/sysvipc/shm,
 * '2' sem, '3' msg.  The tables get the exact buffer, not a C string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "procparse.h"

static void
check_err(const char *err, size_t len)
{
	FUZZ_ASSERT(memchr(err, '\0', len) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	size_t n = 0;

	if (size < 1)
		return 0;
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	switch (data[0] % 4) {
	case 0: {
		struct sysctl_value v;
		enum sysctl_id id;
		char *s;

		if (size < 2)
			return 0;
		id = (enum sysctl_id)(data[1] % SC_COUNT);
		s = fuzz_cstring(data + 2, size - 2);
		if (procparse_sysctl(id, s, &v, err, sizeof(err)) == 0) {
			FUZZ_ASSERT(v.present);
			FUZZ_ASSERT(memchr(v.raw, '\0', sizeof(v.raw)));
		} else {
			check_err(err, sizeof(err));
		}
		free(s);
		break;
	}
	case 1: {
		struct shm_obj *o = NULL;

		if (procparse_shm((const char *)data + 1, size - 1, &o, &n,
		    err, sizeof(err)) == 0) {
			for (size_t i = 0; i < n; i++)
				FUZZ_ASSERT(o[i].perm.mode <= 03777 &&
				    o[i].perm.id >= 0 &&
				    o[i].cpid <= IPC_PID_MAX);
			free(o);
		} else {
			FUZZ_ASSERT(o == NULL && n == 0);
			check_err(err, sizeof(err));
		}
		break;
	}
	case 2: {
		struct sem_obj *o = NULL;

		if (procparse_sem((const char *)data + 1, size - 1, &o, &n,
		    err, sizeof(err)) == 0) {
			uint64_t total = 0;

			/* what the kernel can hold (ipc/sem.c) */
			for (size_t i = 0; i < n; i++) {
				FUZZ_ASSERT(o[i].perm.mode <= 0777 &&
				    o[i].perm.id >= 0);
				FUZZ_ASSERT(o[i].nsems >= 1 &&
				    o[i].nsems <= INT32_MAX);
				total += o[i].nsems;
			}
			FUZZ_ASSERT(total <= INT32_MAX);
			free(o);
		} else {
			FUZZ_ASSERT(o == NULL && n == 0);
			check_err(err, sizeof(err));
		}
		break;
	}
	default: {
		struct msg_obj *o = NULL;

		if (procparse_msg((const char *)data + 1, size - 1, &o, &n,
		    err, sizeof(err)) == 0) {
			for (size_t i = 0; i < n; i++)
				FUZZ_ASSERT(o[i].perm.mode <= 0777 &&
				    o[i].perm.id >= 0);
			free(o);
		} else {
			FUZZ_ASSERT(o == NULL && n == 0);
			check_err(err, sizeof(err));
		}
		break;
	}
	}
	return 0;
}
