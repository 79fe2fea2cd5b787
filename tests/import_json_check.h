/* Helpers for importer tests: run one importer on bytes, look at what it reported, edit
 * fixture JSON, and sweep truncated copies of a file through an importer. */
#ifndef TESTS_IMPORT_JSON_CHECK_H
#define TESTS_IMPORT_JSON_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "otpvault/importer.h"

struct import_result {
    int rc;
    struct ov_error err;
    struct ov_account_list accounts;
    struct ov_import_opts opts;     /* the issues */
};

/* Runs the importer named `importer` (its load, as --format does) on len bytes; password
 * may be NULL. Free r with import_result_free. */
void import_with(const char *importer, const void *data, size_t len, const char *password,
                 struct import_result *r);
void import_result_free(struct import_result *r);
/* The same on a NUL-terminated text. */
void import_str(const char *importer, const char *text, const char *password,
                struct import_result *r);
/* The same on a JSON document (dumped compactly). */
void import_json(const char *importer, json_t *doc, const char *password,
                 struct import_result *r);

size_t import_failures(const struct import_result *r);   /* issues that are not info */
size_t import_infos(const struct import_result *r);
/* Whether the error message or an issue contains needle. */
bool import_said(const struct import_result *r, const char *needle);

/* A fixture parsed with jansson, or NULL when absent (the caller SKIPs). */
json_t *fixture_json(const char *rel);
/* Text of one fixture entry's account for messages. */
const char *import_first_issue(const struct import_result *r);

/* Runs the importer on every prefix data[0..n) for n = from, from+step, ... < len: each must
 * fail with a message (or succeed, when only trailing white space was cut). Returns the
 * number of prefixes tried. */
size_t sweep_truncations(const char *importer, const void *data, size_t len,
                         const char *password, size_t from, size_t step);

#endif
