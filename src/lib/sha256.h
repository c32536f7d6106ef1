/*
 * sha256.h: SHA-256 (FIPS 180-4) of a buffer, as lowercase hex.  Used to
 * record what apply wrote, so rollback touches only a file whose content
 * it can verify.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>

/* Length of the hex digest with its NUL. */
#define SHA256_HEX_LEN 65

/* The SHA-256 of the LEN bytes at DATA into HEX, lowercase hex. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN]);

#endif
