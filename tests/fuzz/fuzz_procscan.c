/*
 * fuzz_procscan.c: libFuzzer target for the parsers of per-process /proc
 * text used to judge orphans: /proc/PID/stat (the command name may hold
 * any bytes, spaces and parentheses included) and /proc/PID/task/TID/
 * syscall (procparse_syscall()), the text of a loop device's
 * /sys/block/loopN/loop/backing_file and an io_uring's fdinfo.  The low
 * two bits of the first byte pick the parser: '0' stat, '1' syscall,
 * '2' backing_file, '3' io_uring fdinfo.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "procparse.h"
#include "procscan.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procparse_call c;
	uint64_t start = 0;
	char state = 0, *s;

	if (size < 1)
		return 0;
	if ((data[0] & 3) == 2) {
		/* raw bytes: NUL and a missing newline are refused */
		s = malloc(size);
		FUZZ_ASSERT(s != NULL);
		memcpy(s, data + 1, size - 1);
		if (procscan_parse_backing_file(s, size - 1) == 0)
			FUZZ_ASSERT(s[0] == '/' && strlen(s) == size - 2);
		free(s);
		return 0;
	}
	s = fuzz_cstring(data + 1, size - 1);
	if ((data[0] & 3) == 3) {
		uint64_t n;
		char **p;
		long got = procscan_parse_uring(s, &n, &p);

		/* each path lies inside the text, undone in place */
		for (long i = 0; i < got; i++)
			FUZZ_ASSERT(p[i] >= s && p[i] < s + size);
		if (got >= 0)
			free(p);
	} else if (data[0] & 1) {
		if (procparse_syscall(s, &c) == 0)
			FUZZ_ASSERT(c.id >= 0);
	} else {
		(void)procscan_parse_stat(s, &state, &start);
	}
	free(s);
	return 0;
}
