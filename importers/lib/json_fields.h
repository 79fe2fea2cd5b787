/* Reading fields of export files' JSON (jansson) with the tolerance real exports need:
 * absent and null mean "use the default", wrong types are reported by key name. */
#ifndef IMPORTERS_JSON_FIELDS_H
#define IMPORTERS_JSON_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "otpvault/error.h"

/* The string at key, or def when absent or null. NULL (and an error naming the key) when the
 * value is another type. */
const char *jf_string(json_t *obj, const char *key, const char *def, struct ov_error *err);
/* An integer at key (a JSON integer, or a string of digits as some apps write), within
 * [min, max]; def when absent or null. Returns OV_OK or OV_ERR_INVALID naming the key. */
int jf_int(json_t *obj, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out,
           struct ov_error *err);
bool jf_bool(json_t *obj, const char *key, bool def);
/* Parses len bytes as one JSON value; on failure OV_ERR_INVALID with line and column. */
int jf_parse(const void *data, size_t len, json_t **out, struct ov_error *err);

/* "an object", "a string", ... ("missing" for NULL) for messages. */
const char *jf_type_name(const json_t *v);
/* The value at key if it has the given type (JSON_OBJECT, JSON_ARRAY, JSON_STRING, ...).
 * Absent or null: *out = NULL and OV_OK, or OV_ERR_INVALID "'key' is missing" when required.
 * Another type: OV_ERR_INVALID naming the key and both types. */
int jf_get(json_t *obj, const char *key, json_type type, bool required, json_t **out,
           struct ov_error *err);
/* A required, non-null string at key (may be ""); NULL with the error otherwise. */
const char *jf_string_req(json_t *obj, const char *key, struct ov_error *err);

#endif
