/*
 * sha256.h: SHA-256 (FIPS 180-4) of a buffer, as lowercase hex.  Used to
 * record what apply wrote, so rollback touches only a file whose content
 * it can verify, and what clean saved of a POSIX object.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Length of the hex digest with its NUL. */
#define SHA256_HEX_LEN 65

/* The SHA-256 of the LEN bytes at DATA into HEX, lowercase hex. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN]);

/* A digest fed in pieces: init, update any number of times, final. */
struct sha256_ctx {
	uint32_t h[8];
	unsigned char buf[64];
	size_t nbuf;
	uint64_t len;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
/* The digest of everything fed to C into HEX; C is spent. */
void sha256_final_hex(struct sha256_ctx *c, char hex[SHA256_HEX_LEN]);

#endif
