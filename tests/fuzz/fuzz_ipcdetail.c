/*
 * fuzz_ipcdetail.c: libFuzzer target for the parsers of per-process
 * /proc text that 'show' reads: /proc/PID/task/TID/syscall (the call a
 * thread is blocked in, with its arguments; procparse_syscall(), which
 * the scan for waiters uses too), the Uid and Gid lines of
 * /proc/PID/status and a row of /proc/PID/limits ('explain --caller').
 * The first byte picks the parser: odd syscall; even status, then the
 * same text as limits.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "ipcdetail.h"
#include "procparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procparse_call c;
	uid_t uid;
	char *s;

	if (size < 1)
		return 0;
	s = fuzz_cstring(data + 1, size - 1);
	if (data[0] & 1) {
		if (procparse_syscall(s, &c) == 0) {
			FUZZ_ASSERT(c.id >= 0);
			FUZZ_ASSERT(c.call < ODC_COUNT);
			FUZZ_ASSERT(c.type == IPC_SEM || c.type == IPC_MSG);
			FUZZ_ASSERT((c.type == IPC_SEM) ==
			    (c.call == ODC_SEMOP || c.call == ODC_SEMTIMEDOP));
			FUZZ_ASSERT(!c.has_arg ||
			    (c.arg <= 9007199254740991ll &&
			    c.arg >= -9007199254740991ll));
		}
	} else {
		uint32_t ids[4];
		uint64_t soft;
		int n;

		if (ipcdetail_parse_status_uid(s, &uid) == 0)
			FUZZ_ASSERT(uid != (uid_t)-1);
		n = procparse_status_ids(s, "Gid:", ids, 4);
		FUZZ_ASSERT(n == -1 || (n >= 1 && n <= 4));
		for (int i = 0; i < n; i++)
			FUZZ_ASSERT(ids[i] != UINT32_MAX);
		(void)procparse_limit(s, "Max msgqueue size", &soft);
	}
	free(s);
	return 0;
}
