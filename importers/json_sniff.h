/* Cheap content sniffing for JSON exports: which keys the top-level object has, found by a
 * single scan that skips nested values without building them. Sniffers run on every input
 * for every JSON format, so a full parse each time would multiply the cost of big files. */
#ifndef IMPORTERS_JSON_SNIFF_H
#define IMPORTERS_JSON_SNIFF_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/importer.h"

/* Whether in starts like a JSON object (after an optional UTF-8 BOM and white space). If it
 * does, found[i] tells whether keys[i] is a key of that top-level object; keys seen before
 * a malformed or truncated spot still count, so a damaged file is still recognised and its
 * importer can say what is wrong. Keys are compared byte for byte (no escapes). */
bool js_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys, bool *found);

/* How many of keys the top-level object has (0 when in is not a JSON object). */
size_t js_count_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys);

#endif
