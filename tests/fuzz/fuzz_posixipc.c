/*
 * fuzz_posixipc.c: libFuzzer target for the parsers of posixipc.c and
 * the maps line parser its holder scan uses.  The first byte picks the
 * parser: 0 the text of an mqueue file, 1 a /proc/PID/maps line, 2 a
 * mountinfo text.  Properties: an accepted queue text has a PID within
 * PID_MAX_LIMIT, an accepted maps line a nonzero inode, and a mountinfo
 * answer fits the buffers given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "posixipc.h"
#include "procscan.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pmq_obj q;
	uint64_t dev, ino;
	char ft[8], src[16], *s;

	if (size < 1)
		return 0;
	s = fuzz_cstring(data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		memset(&q, 0, sizeof(q));
		if (posixipc_parse_mq((const char *)data + 1, size - 1,
		    &q) == 0)
			FUZZ_ASSERT(q.has_text && q.notify_pid >= 0 &&
			    q.notify_pid <= IPC_PID_MAX);
		else
			FUZZ_ASSERT(!q.has_text);
		break;
	case 1:
		if (procscan_parse_maps_line(s, &dev, &ino) == 0)
			FUZZ_ASSERT(ino != 0);
		break;
	default:
		if (posixipc_mountinfo_find(s, 0x2c, "/dev/shm", ft,
		    sizeof(ft), src, sizeof(src)) == 0)
			FUZZ_ASSERT(strlen(ft) < sizeof(ft) &&
			    strlen(src) < sizeof(src));
		break;
	}
	free(s);
	return 0;
}
