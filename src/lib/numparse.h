/*
 * numparse.h: the one strict number parser.  Numbers from outside
 * (command line, /proc text, files) go through here: range, trailing
 * garbage and overflow are checked; nothing wraps.  The exceptions are
 * deliberate: sysctld.c parses a sysctl.d value as the kernel's
 * proc_get_long() does, procparse.c octal permissions, and procscan.c a
 * few fixed /proc columns with sscanf(3).
 */
#ifndef NUMPARSE_H
#define NUMPARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Parse a decimal unsigned integer in [MIN, MAX]; 0 or -1 with errno. */
int num_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Parse a decimal signed integer in [MIN, MAX]; 0 or -1 with errno. */
int num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/*
 * Parse a size: digits with an optional binary suffix K, M, G, T, P, E
 * (also KiB, KB, k ...) and optional trailing B.  ERANGE on overflow.
 */
int num_parse_size(const char *s, uint64_t *out);
/*
 * Parse a duration: digits with a suffix s, m, h, d or w (default s),
 * into seconds.  ERANGE on overflow.
 */
int num_parse_duration(const char *s, uint64_t *out);
/*
 * Parse an IPC key: 0x followed by 1-8 hex digits, a decimal in 32 bits,
 * or a negative decimal as ipcs prints keys.  0 or -1.
 */
int num_parse_key(const char *s, uint32_t *out);
/* Multiply with an overflow check; false on overflow. */
bool num_mul_u64(uint64_t a, uint64_t b, uint64_t *out);
/* Add with an overflow check; false on overflow. */
bool num_add_u64(uint64_t a, uint64_t b, uint64_t *out);
/* ceil(a / b) for b > 0 without overflow. */
uint64_t num_div_ceil_u64(uint64_t a, uint64_t b);

#endif
