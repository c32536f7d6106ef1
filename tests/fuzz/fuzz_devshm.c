/*
 * fuzz_devshm.c: libFuzzer target for the /dev/shm boot-time text: the
 * input is the /dev/shm line of an fstab.  Properties: the text is one
 * line, names /dev/shm as its mount point, carries exactly one size=
 * option with the size asked for, and keeps every other option of the
 * line.
 */
#include <stdint.h>
#include <string.h>

#include "devshm.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devshm_host h;
	char file[128], text[1400], *s = fuzz_cstring(data, size);
	const char *p, *opts;
	size_t optslen;
	int nsize = 0;

	memset(&h, 0, sizeof(h));
	h.has_fstab_line = strlen(s) < sizeof(h.fstab_line) &&
	    strchr(s, '\n') == NULL;
	if (h.has_fstab_line)
		memcpy(h.fstab_line, s, strlen(s) + 1);
	devshm_persist_text(&h, 100663296, file, sizeof(file), text,
	    sizeof(text));
	FUZZ_ASSERT(strchr(text, '\n') == NULL);
	/* "SPEC /dev/shm tmpfs OPTIONS ...": size= once among OPTIONS */
	p = strstr(text, " /dev/shm tmpfs ");
	FUZZ_ASSERT(p != NULL);
	p += strlen(" /dev/shm tmpfs ");
	opts = p;
	optslen = strcspn(p, " \t");
	for (; (p = strstr(p, "size=")) != NULL && p < opts + optslen; p++)
		if (p == opts || p[-1] == ',')
			nsize++;
	FUZZ_ASSERT(nsize == 1);
	FUZZ_ASSERT(optslen >= 11 && memcmp(opts + optslen - 11,
	    "size=98304k", 11) == 0);
	free(s);
	return 0;
}
