/*
 * fuzz_fstabset.c: libFuzzer target for devshm_fstab_set(), the whole
 * /etc/fstab edited for a /dev/shm size.  Properties: a refusal leaves
 * no text; otherwise the result is the input with one line changed (the
 * bytes before and after it identical) or with one line appended, and
 * setting the same size again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devshm.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size), *out = NULL, *again = NULL;
	char err[256];
	size_t n = strlen(s), m, pre = 0, suf = 0;

	if (devshm_fstab_set(s, 98304, &out, err, sizeof(err)) < 0) {
		FUZZ_ASSERT(out == NULL);
		free(s);
		return 0;
	}
	m = strlen(out);
	while (pre < n && pre < m && s[pre] == out[pre])
		pre++;
	while (suf < n - pre && suf < m - pre &&
	    s[n - 1 - suf] == out[m - 1 - suf])
		suf++;
	/*
	 * appended: the input, a newline if it lacked one, one line; else
	 * the differing bytes lie within one line of each (an edited last
	 * line may also extend the input)
	 */
	FUZZ_ASSERT((pre == n && m > n && strchr(out + n + (n > 0 &&
	    s[n - 1] != '\n'), '\n') == out + m - 1 &&
	    strncmp(out + n + (n > 0 && s[n - 1] != '\n'), "tmpfs /dev/shm ",
	    15) == 0) || (memchr(s + pre, '\n', n - pre - suf) == NULL &&
	    memchr(out + pre, '\n', m - pre - suf) == NULL));
	FUZZ_ASSERT(devshm_fstab_set(out, 98304, &again, err,
	    sizeof(err)) == 0 && strcmp(again, out) == 0);
	free(again);
	free(out);
	free(s);
	return 0;
}
