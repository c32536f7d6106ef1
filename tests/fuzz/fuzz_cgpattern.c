/*
 * fuzz_cgpattern.c: libFuzzer target for the cgroup matcher and the
 * /proc/PID/cgroup reader.  For any input: a match has a row, a
 * non-empty id found in the path (64 hex digits for a container id
 * row), and the picked path is a '/'-path that was in the input.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgpattern.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgpattern_match m;
	char *s = fuzz_cstring(data, size), path[4096];

	if (cgpattern_match(s, &m)) {
		FUZZ_ASSERT(m.pat != NULL);
		FUZZ_ASSERT(m.id[0] != '\0');
		if (strlen(m.id) < sizeof(m.id) - 1)
			FUZZ_ASSERT(strstr(s, m.id) != NULL);
		if (m.pat->id == CGP_HEX64)
			FUZZ_ASSERT(cgpattern_is_hex64(m.id, strlen(m.id)));
	} else {
		FUZZ_ASSERT(m.pat == NULL);
	}
	if (cgpattern_pick_path((const char *)data, size, path,
	    sizeof(path)) == 0) {
		FUZZ_ASSERT(path[0] == '/');
		if (strlen(path) < sizeof(path) - 1 &&
		    strlen(path) == strcspn(path, "\n"))
			FUZZ_ASSERT(memmem(data, size, path,
			    strlen(path)) != NULL);
	}
	free(s);
	return 0;
}
