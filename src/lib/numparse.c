/*
 * numparse.c: strict parsing of numbers, sizes and durations from outside
 * input.  No atoi, no silent wrap: every failure is -1 with errno EINVAL
 * (not a number, trailing garbage) or ERANGE (out of range, overflow).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "numparse.h"

bool
num_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

bool
num_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

uint64_t
num_div_ceil_u64(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/* Digits only; *endp past the last digit.  ERANGE on overflow. */
static int
scan_digits(const char *s, uint64_t *out, const char **endp)
{
	uint64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p)) {
		errno = EINVAL;
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (!num_mul_u64(v, 10, &v) ||
		    !num_add_u64(v, (uint64_t)(*p - '0'), &v)) {
			errno = ERANGE;
			return -1;
		}
	}
	*out = v;
	*endp = p;
	return 0;
}

int
num_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *end;
	uint64_t v;

	if (s == NULL || *s == '+' || *s == '-') {
		errno = (s != NULL && *s == '-' && isdigit((unsigned char)s[1]))
		    ? ERANGE : EINVAL;
		return -1;
	}
	if (scan_digits(s, &v, &end) < 0)
		return -1;
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	const char *end;
	uint64_t mag;
	bool neg = false;
	int64_t v;

	if (s == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (scan_digits(s, &mag, &end) < 0)
		return -1;
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1) {
			errno = ERANGE;
			return -1;
		}
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX) {
			errno = ERANGE;
			return -1;
		}
		v = (int64_t)mag;
	}
	if (v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
num_parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGTPE";
	const char *end, *u;
	uint64_t v, mult = 1;

	if (s == NULL || scan_digits(s, &v, &end) < 0) {
		if (s != NULL && *s == '-')
			errno = ERANGE;
		return -1;
	}
	if (*end != '\0') {
		char c = (char)toupper((unsigned char)*end);

		u = strchr(units, c);
		if (c != '\0' && u != NULL) {
			for (int i = 0; i <= u - units; i++)
				mult *= 1024;
			end++;
			if (*end == 'i')
				end++;
			if (*end == 'B' || *end == 'b')
				end++;
		} else if (c == 'B') {
			end++;
		}
		if (*end != '\0') {
			errno = EINVAL;
			return -1;
		}
	}
	if (!num_mul_u64(v, mult, out)) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

int
num_parse_duration(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v, mult;

	if (s == NULL || scan_digits(s, &v, &end) < 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	case 'w':
		mult = 7 * 86400;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (*end != '\0' && end[1] != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (!num_mul_u64(v, mult, out)) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

int
num_parse_key(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		const char *p = s + 2;
		size_t n = 0;

		for (; *p != '\0'; p++, n++) {
			int d;

			if (*p >= '0' && *p <= '9')
				d = *p - '0';
			else if (*p >= 'a' && *p <= 'f')
				d = *p - 'a' + 10;
			else if (*p >= 'A' && *p <= 'F')
				d = *p - 'A' + 10;
			else
				return -1;
			v = v * 16 + (uint64_t)d;
		}
		if (n == 0 || n > 8)
			return -1;
		*out = (uint32_t)v;
		return 0;
	}
	/* ipcs and /proc print keys as signed ints too */
	if (s[0] == '-') {
		int64_t sv;

		if (num_parse_i64(s, INT32_MIN, -1, &sv) < 0)
			return -1;
		*out = (uint32_t)(int32_t)sv;
		return 0;
	}
	if (num_parse_u64(s, 0, UINT32_MAX, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}
