/*
 * fuzz_history.c: libFuzzer target for the history reader (JSON Lines).
 * The input is fed in two pieces split where the first byte says, to
 * exercise the partial-line state; every sample read must format and
 * parse back to itself (a negative kernel.sem field as held), and sorting
 * and compaction must keep the count bounded.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "history.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history h;
	struct hist_sample back;
	char line[HISTORY_LINE_MAX + 2], why[128];
	size_t cut, n;

	if (size < 1)
		return 0;
	cut = size > 1 ? data[0] % size : 0;
	data++;
	size--;
	if (cut > size)
		cut = size;
	history_init(&h);
	history_feed(&h, (const char *)data, cut);
	history_feed(&h, (const char *)data + cut, size - cut);
	history_finish(&h);
	FUZZ_ASSERT(h.n <= HISTORY_SAMPLES_MAX);
	for (size_t i = 0; i < h.n; i++) {
		int len = history_format(&h.s[i], line, sizeof(line));

		FUZZ_ASSERT(len > 0 && line[len - 1] == '\n');
		memset(&back, 0, sizeof(back));
		if (history_parse_line(line, (size_t)len - 1, &back, why,
		    sizeof(why)) != 0) {
			fprintf(stderr, "reparse: %s: %.*s\n", why, len, line);
			FUZZ_ASSERT(0);
		}
		FUZZ_ASSERT(back.t == h.s[i].t &&
		    back.ns_inode == h.s[i].ns_inode &&
		    back.has_used == h.s[i].has_used &&
		    back.has_limit == h.s[i].has_limit &&
		    back.limit_signed == h.s[i].limit_signed);
		for (int r = 0; r < R_COUNT; r++) {
			if (back.has_used & (1u << r))
				FUZZ_ASSERT(back.used[r] == h.s[i].used[r]);
			if (back.has_limit & (1u << r))
				FUZZ_ASSERT(back.limit[r] == h.s[i].limit[r]);
			/* a negative kernel.sem field stays as held */
			if (back.limit_signed & (1u << r))
				FUZZ_ASSERT(history_limit_held(&back, r) < 0 &&
				    history_limit_held(&back, r) ==
				    history_limit_held(&h.s[i], r));
		}
	}
	history_sort(&h);
	for (size_t i = 1; i < h.n; i++)
		FUZZ_ASSERT(h.s[i - 1].t <= h.s[i].t);
	n = h.n;
	(void)history_compact(&h, 1800000000, 400 * 86400, 30 * 86400);
	FUZZ_ASSERT(h.n <= n);
	history_release(&h);
	return 0;
}
