/*
 * fuzz_calltext.c: libFuzzer target for the strace / perf trace line
 * parser (System V calls, mq_open and mq_timedsend).  Properties: a
 * parse either succeeds with a known call and bounded fields, or fails
 * with a "column N: " message; never both.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calltext.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calltext ct;
	char err[256];
	char *s;

	if (size > CALLTEXT_MAX_LINE + 16)
		return 0;
	s = fuzz_cstring(data, size);
	memset(err, 'x', sizeof(err));
	if (calltext_parse(s, &ct, err, sizeof(err)) == 0) {
		uint64_t id;

		FUZZ_ASSERT((int)ct.args.call >= 0 &&
		    ct.args.call < IPCCALL_COUNT);
		FUZZ_ASSERT(ct.source == CT_STRACE || ct.source == CT_PERF);
		FUZZ_ASSERT(ct.err == 0 || ct.failed);
		FUZZ_ASSERT(ct.failed == (ct.errname[0] != '\0'));
		FUZZ_ASSERT(memchr(ct.comm, '\0', sizeof(ct.comm)) != NULL);
		FUZZ_ASSERT(!ipccall_arg_get(&ct.args, IPCARG_ID, &id) ||
		    (int64_t)id == (int64_t)(int32_t)id);
		FUZZ_ASSERT(memchr(ct.args.mq.name, '\0',
		    sizeof(ct.args.mq.name)) != NULL);
		FUZZ_ASSERT(ct.args.call != IPCCALL_MQ_OPEN ||
		    ct.args.a[2] <= 07777);
		FUZZ_ASSERT(!ct.args.mq.has_queue);
		FUZZ_ASSERT(err[0] == '\0');
	} else {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_ASSERT(strncmp(err, "column ", 7) == 0);
	}
	free(s);
	return 0;
}
