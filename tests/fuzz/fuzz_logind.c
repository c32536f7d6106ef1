/*
 * fuzz_logind.c: libFuzzer target for the logind.conf RemoveIPC= parser,
 * the login.defs SYS_UID_MAX parser and the systemd boolean parser.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "logind.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	bool b = false;
	uid_t uid = 0;

	(void)logind_parse_removeipc(s, &b);
	(void)logind_parse_sys_uid_max(s, &uid);
	(void)logind_parse_bool(s, &b);
	free(s);
	return 0;
}
