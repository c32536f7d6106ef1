/*
 * fuzz_expr.c: libFuzzer target for the checked 64-bit expression
 * evaluator of profile values.  A metamorphic check: when an expression
 * evaluates, its substituted text (names replaced by their values) must
 * evaluate to the same number.  The splitter (kernel.sem's four fields)
 * must return fields inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "fuzz.h"

static int
lookup(void *ctx, const char *name, size_t len, uint64_t *out)
{
	static const struct {
		const char *name;
		uint64_t v;
	} vars[] = {
		{ "ram_gib", 16 }, { "ram_bytes", 17179869184ull },
		{ "page_size", 4096 }, { "ncpu", 4 }, { "big", UINT64_MAX },
		{ "zero", 0 }, { "instances", 3 },
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (strlen(vars[i].name) == len &&
		    memcmp(vars[i].name, name, len) == 0) {
			*out = vars[i].v;
			return 0;
		}
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size), err[256], err2[256];
	size_t substlen = 21 * size + 64, offs[8], lens[8];
	char *subst = malloc(substlen);
	uint64_t v, v2;
	int col = 0, n;

	FUZZ_ASSERT(subst != NULL);
	if (expr_eval(s, lookup, NULL, &v, subst, substlen, &col, err,
	    sizeof(err)) == 0) {
		FUZZ_ASSERT(memchr(subst, '\0', substlen) != NULL);
		if (expr_eval(subst, lookup, NULL, &v2, NULL, 0, &col, err2,
		    sizeof(err2)) != 0) {
			fprintf(stderr, "'%s' -> '%s': %s\n", s, subst, err2);
			FUZZ_ASSERT(0);
		}
		FUZZ_ASSERT(v == v2);
	} else {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_ASSERT(col >= 0 && (size_t)col <= size + 1);
	}
	n = expr_split(s, offs, lens, 8, &col, err, sizeof(err));
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(offs[i] + lens[i] <= strlen(s));
	free(subst);
	free(s);
	return 0;
}
