/*
 * jsonc.h: compact JSON text written straight into a growing buffer,
 * byte for byte what json_dumpb(JSON_COMPACT | JSON_PRESERVE_ORDER) makes
 * of the same members, without building a jansson tree first.  It
 * formats; it does not write to a file or decide what the members are.
 */
#ifndef IPCTUNE_JSONC_H
#define IPCTUNE_JSONC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jsonc {
	char *buf;
	size_t len;
	size_t cap;
	bool first;		/* no member or item yet in this container */
};

/* Start empty; jsonc_free() releases the buffer. */
void jsonc_init(struct jsonc *c);
void jsonc_free(struct jsonc *c);
/* Forget the text written so far (the buffer stays). */
void jsonc_reset(struct jsonc *c);
/* True when S is UTF-8 that json_string() accepts. */
bool jsonc_utf8_ok(const char *s);
void jsonc_begin_object(struct jsonc *c);
void jsonc_begin_array(struct jsonc *c);
void jsonc_end_object(struct jsonc *c);
void jsonc_end_array(struct jsonc *c);
/* KEY: and nothing more; the value follows (an object, an array). */
void jsonc_key(struct jsonc *c, const char *key);
/* The separator before the next item of an array. */
void jsonc_item(struct jsonc *c);
void jsonc_int(struct jsonc *c, const char *key, int64_t v);
/* KEY as json_set_u64() sets it: the value, or null and KEY_exact. */
void jsonc_u64(struct jsonc *c, const char *key, uint64_t v);
/* KEY as view_orphans_set_time(): the integer, or null for 0. */
void jsonc_time(struct jsonc *c, const char *key, int64_t t);
void jsonc_bool(struct jsonc *c, const char *key, bool v);
void jsonc_null(struct jsonc *c, const char *key);
/*
 * KEY: "S", escaped as jansson escapes; S must be jsonc_utf8_ok() (a
 * json_string() of anything else is NULL and sets no member).
 */
void jsonc_str(struct jsonc *c, const char *key, const char *s);
/* A string item of an array. */
void jsonc_str_item(struct jsonc *c, const char *s);
#endif
