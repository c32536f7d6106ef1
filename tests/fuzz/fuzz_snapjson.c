/*
 * fuzz_snapjson.c: libFuzzer target for the fast snapshot parser.  What
 * it accepts jansson must accept too, with an equal tree: the fast parser
 * may decline anything, never let through what jansson rejects.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "snapjson.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *fast, *ref;

	/* snapshot_read() turns away a NUL byte before either parser */
	if (memchr(data, '\0', size) != NULL)
		return 0;
	fast = snapjson_parse((const char *)data, size);
	if (fast == NULL)
		return 0;
	ref = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &je);
	FUZZ_ASSERT(ref != NULL);
	FUZZ_ASSERT(json_equal(fast, ref));
	json_decref(ref);
	json_decref(fast);
	return 0;
}
