/* Cheap content detection for JSON export files: one pass over the bytes that notes which
 * object keys occur at which nesting depth, without building the document. Every JSON
 * importer's sniff runs on every input, so a full parse per importer would cost more than
 * the import itself on a large vault. The scan is lax (it does not validate); load parses
 * properly. */
#ifndef IMPORTERS_JSON_SNIFF_H
#define IMPORTERS_JSON_SNIFF_H

#include <stdbool.h>
#include <stddef.h>
#include "otpvault/importer.h"

/* A key to look for. depth counts the open containers around the key, its own object
 * included: a top-level key is at depth 1, a key of an object inside a top-level array at
 * depth 2, {"a": {"b": {"key": ...}}} puts "key" at depth 3. */
struct js_probe {
    const char *key;
    int depth;
    /* Filled by js_scan: */
    bool found;
    char value_start;   /* first byte of the value at the first match: '"', '{', '[', 'n', ... */
};

/* The first significant byte of the document ('{' or '['), or 0 when it does not look like
 * JSON (empty, binary, other text). A UTF-8 BOM and leading white space are skipped. */
char js_kind(const struct ov_blob *in);

/* Scans the document for the probes (stopping early once all are found) and returns
 * js_kind(in). */
char js_scan(const struct ov_blob *in, struct js_probe *probes, size_t nprobes);

/* Whether in is a JSON object with both top-level keys a and b. */
bool js_object_with(const struct ov_blob *in, const char *a, const char *b);
/* Whether the top-level key holds a string: what the encrypted variant of a JSON format
 * stores its payload in. */
bool js_top_string(const struct ov_blob *in, const char *key);

/* Whether in starts like a JSON object; found[i] tells whether keys[i] is a key of that
 * top-level object (keys seen before a malformed spot still count, so a damaged file is
 * still recognised and its importer can say what is wrong). */
bool js_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys, bool *found);
/* How many of keys the top-level object has (0 when in is not a JSON object). */
size_t js_count_top_keys(const struct ov_blob *in, const char *const *keys, size_t nkeys);

#endif
