/*
 * snapjson.h: a fast parse of a snapshot's JSON text into the same
 * jansson tree json_loadb(JSON_REJECT_DUPLICATES) builds, for the plain
 * JSON 'snapshot' writes.  It declines (NULL) whatever it does not take
 * as surely valid, so that jansson parses those and names the error; it
 * never accepts a text jansson rejects.
 */
#ifndef SNAPJSON_H
#define SNAPJSON_H

#include <jansson.h>
#include <stddef.h>

/*
 * The tree of the LEN bytes at BUF (no NUL byte among them), or NULL
 * when the text has anything this parser leaves to jansson: an error,
 * a \u escape, a number out of range, deep nesting.
 */
json_t *snapjson_parse(const char *buf, size_t len);

#endif
