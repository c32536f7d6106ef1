/*
 * fuzz_ipcdetail.c: libFuzzer target for the parsers of per-process
 * /proc text that 'show' reads: /proc/PID/task/TID/syscall (the call a
 * thread is blocked in, with its arguments; procparse_syscall(), which
 * the scan for waiters uses too) and the Uid line of
 * /proc/PID/status.  The first byte picks the parser: odd syscall, even
 * status.
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
	} else if (ipcdetail_parse_status_uid(s, &uid) == 0) {
		FUZZ_ASSERT(uid != (uid_t)-1);
	}
	free(s);
	return 0;
}
