/*
 * fuzz_profile.c: libFuzzer target for the profile INI parser and, when a
 * file parses, its evaluation (variables, sysctl expressions, demand)
 * against fixed facts.  Errors must name the file and line; nothing may
 * ever get past the IPC allowlist.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "profile.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p;
	struct profile_facts f = {
		.ram_bytes = 16ull << 30, .page_size = 4096, .ncpu = 4,
		.sysctl = NULL,
	};
	struct profile_set set = { "instances", "3", false };
	char err[1024];

	profile_init(&p);
	memset(err, 'x', sizeof(err));
	if (profile_parse_string(&p, (const char *)data, size, "fuzz.conf",
	    err, sizeof(err)) < 0) {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_ASSERT(strncmp(err, "fuzz.conf", 9) == 0);
	} else if (profile_evaluate(&p, &f, &set, 1, err, sizeof(err)) < 0) {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
	}
	profile_release(&p);
	return 0;
}
