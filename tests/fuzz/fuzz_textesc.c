/*
 * fuzz_textesc.c: libFuzzer target for the escaping of text from outside
 * (issue 12.C15).  For any input: the escaped text holds no control
 * character, C1 control or invalid UTF-8; reading its \xHH escapes back
 * gives the input exactly; and the printf form escapes the same way.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "textesc.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
vs(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
vs(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = textesc_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size), *e, *back, *buf;
	size_t n = strlen(s), k = 0, elen;
	int w;

	e = textesc_dup(s);
	elen = strlen(e);
	FUZZ_ASSERT(textesc_is_safe(e));
	FUZZ_ASSERT(elen <= 4 * n);
	/* every byte of the output is printable ASCII or valid UTF-8 */
	for (size_t i = 0; e[i] != '\0';) {
		bool unsafe;

		i += textesc_char(e + i, &unsafe);
		FUZZ_ASSERT(!unsafe);
	}
	/* the escapes read back to the input, byte for byte */
	back = malloc(elen + 1);
	if (back == NULL)
		abort();
	for (size_t i = 0; i < elen;) {
		if (e[i] == '\\' && e[i + 1] == 'x') {
			int hi = hexval(e[i + 2]), lo;

			FUZZ_ASSERT(hi >= 0);
			lo = hexval(e[i + 3]);
			FUZZ_ASSERT(lo >= 0);
			back[k++] = (char)(hi * 16 + lo);
			i += 4;
		} else {
			back[k++] = e[i++];
		}
	}
	back[k] = '\0';
	FUZZ_ASSERT(k == n && memcmp(back, s, n) == 0);
	/* the printf form: the same escapes between literal text */
	buf = malloc(elen + 8);
	if (buf == NULL)
		abort();
	w = vs(buf, elen + 8, "[%s]\n", s);
	FUZZ_ASSERT(w >= 0 && (size_t)w == elen + 3);
	FUZZ_ASSERT(buf[0] == '[' && memcmp(buf + 1, e, elen) == 0 &&
	    buf[elen + 1] == ']' && buf[elen + 2] == '\n');
	free(buf);
	/* a precision cuts the input before escaping; a short buffer cuts */
	{
		char *two = strndup(s, 2), *e2, small[4];

		if (two == NULL)
			abort();
		e2 = textesc_dup(two);
		w = vs(small, sizeof(small), "%.2s", s);
		FUZZ_ASSERT(w >= 0 && (size_t)w == strlen(e2));
		FUZZ_ASSERT(strncmp(small, e2, sizeof(small) - 1) == 0 &&
		    strlen(small) < sizeof(small));
		free(e2);
		free(two);
	}
	free(back);
	free(e);
	free(s);
	return 0;
}
