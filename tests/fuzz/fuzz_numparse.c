/*
 * fuzz_numparse.c: libFuzzer target for the strict number parser used on
 * every command-line value.  Beyond "no crash", it checks each parser
 * against an independent model: strtoull/strtoll for plain numbers, and a
 * 128-bit re-computation of sizes and durations.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "numparse.h"

static size_t
digits(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* The model of num_parse_u64: digits only, no overflow. */
static bool
model_u64(const char *s, uint64_t *out)
{
	unsigned __int128 v = 0;
	size_t n = digits(s);

	if (n == 0 || s[n] != '\0')
		return false;
	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > UINT64_MAX)
			return false;
	}
	*out = (uint64_t)v;
	return true;
}

static bool
model_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGTPE";
	unsigned __int128 v = 0;
	size_t n = digits(s);
	const char *p = s + n, *u;
	unsigned shift = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > UINT64_MAX)
			return false;
	}
	if (*p != '\0' && (u = strchr(units, toupper((unsigned char)*p))) !=
	    NULL) {
		shift = 10 * (unsigned)(u - units + 1);
		p++;
		if (*p == 'i')
			p++;
		if (*p == 'B' || *p == 'b')
			p++;
	} else if (*p == 'B' || *p == 'b') {
		p++;
	}
	if (*p != '\0')
		return false;
	v <<= shift;
	if (v > UINT64_MAX)
		return false;
	*out = (uint64_t)v;
	return true;
}

static bool
model_duration(const char *s, uint64_t *out)
{
	unsigned __int128 v = 0;
	size_t n = digits(s);
	uint64_t mult;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > UINT64_MAX)
			return false;
	}
	switch (s[n]) {
	case '\0': case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	case 'w': mult = 604800; break;
	default: return false;
	}
	if (s[n] != '\0' && s[n + 1] != '\0')
		return false;
	v *= mult;
	if (v > UINT64_MAX)
		return false;
	*out = (uint64_t)v;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	uint64_t u, mu;
	int64_t i;
	bool ok, mok;

	/* unsigned: the parser and the model agree on success and value */
	ok = num_parse_u64(s, 0, UINT64_MAX, &u) == 0;
	mok = model_u64(s, &mu);
	FUZZ_ASSERT(ok == mok);
	if (ok)
		FUZZ_ASSERT(u == mu);
	else
		FUZZ_ASSERT(errno == EINVAL || errno == ERANGE);

	/* a narrower range accepts a subset, with the same value */
	if (num_parse_u64(s, 10, 1000, &mu) == 0)
		FUZZ_ASSERT(ok && u == mu && mu >= 10 && mu <= 1000);

	/* signed: same as strtoll on a strict -?[0-9]+ */
	ok = num_parse_i64(s, INT64_MIN, INT64_MAX, &i) == 0;
	{
		const char *p = s[0] == '-' ? s + 1 : s;
		size_t n = digits(p);
		long long ll;
		char *end;

		errno = 0;
		ll = strtoll(s, &end, 10);
		mok = n > 0 && p[n] == '\0' && errno == 0 && *end == '\0';
		FUZZ_ASSERT(ok == mok);
		if (ok)
			FUZZ_ASSERT(i == ll);
	}
	if (num_parse_i64(s, -5, 5, &i) == 0)
		FUZZ_ASSERT(i >= -5 && i <= 5);

	ok = num_parse_size(s, &u) == 0;
	mok = model_size(s, &mu);
	FUZZ_ASSERT(ok == mok);
	if (ok)
		FUZZ_ASSERT(u == mu);

	ok = num_parse_duration(s, &u) == 0;
	mok = model_duration(s, &mu);
	FUZZ_ASSERT(ok == mok);
	if (ok)
		FUZZ_ASSERT(u == mu);
	free(s);
	return 0;
}
