/* The importer tests' one harness: run one importer's load directly (as --format does: no
 * detection, no pipeline) on an exact-size copy of the input, so that ASan sees any read
 * past its end; look at what it reported; and the damaged-input sweeps every format gets
 * (every cut point, random mutations). */
#ifndef TESTS_LIB_IMPORT_HARNESS_H
#define TESTS_LIB_IMPORT_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/importer.h"

struct import_result {
    int rc;
    struct ov_error err;
    struct ov_account_list accounts;
    struct ov_import_opts opts;     /* the issues */
};

/* Runs the importer named format (which must exist) on len bytes; password (NUL-terminated)
 * may be NULL. Free r with import_result_free. */
void import_with(const char *format, const void *data, size_t len, const char *password,
                 struct import_result *r);
/* The same on a NUL-terminated text, and on a JSON document (dumped compactly). */
void import_str(const char *format, const char *text, const char *password,
                struct import_result *r);
void import_json(const char *format, json_t *doc, const char *password,
                 struct import_result *r);
void import_result_free(struct import_result *r);

size_t import_failures(const struct import_result *r);   /* issues that are not warnings */
size_t import_infos(const struct import_result *r);      /* warnings */
/* Whether the error message or an issue contains needle. */
bool import_said(const struct import_result *r, const char *needle);
/* Whether the load failed with a message containing needle. */
bool import_error_has(const struct import_result *r, const char *needle);
/* Whether an issue (at position, or anywhere for 0) contains needle. */
bool import_issue_at(const struct import_result *r, size_t position, const char *needle);
/* The first issue's message, for assertion messages. */
const char *import_first_issue(const struct import_result *r);
/* The account with this issuer and name, or NULL. */
const struct ov_account *import_find(const struct import_result *r, const char *issuer,
                                     const char *name);

/* Loads every prefix data[0..cut) for cut = from, from + step, ... < len. Each must fail
 * with a message, its status in the message and no accounts (or succeed, when only blanks
 * were cut). Returns how many prefixes were tried. */
size_t import_cuts_fail(const char *format, const void *data, size_t len,
                        const char *password, size_t from, size_t step);
/* The lenient sweep, for formats where a prefix can be a complete smaller file: each cut
 * gives an error with a message, or accounts whose issues all have messages. Returns how
 * many cuts were errors. */
size_t import_cuts_clear(const char *format, const void *data, size_t len,
                         const char *password, size_t from, size_t step);
/* rounds random mutations of data (bytes changed, inserted, removed): each load fails with
 * a message or gives valid accounts. Deterministic for a seed. */
void import_mutations(const char *format, const void *data, size_t len, const char *password,
                      unsigned rounds, uint32_t seed);

/* ---- the pipeline, as `otpvault import` runs it ---- */
struct ov_import_report;
/* ov_import_run on one input called name (it starts the notes), password may be NULL. */
int import_pipeline(const char *format, const void *data, size_t len, const char *password,
                    const char *name, struct ov_import_report *r);
/* Whether a note of the report contains needle. */
bool report_has_note(const struct ov_import_report *r, const char *needle);
/* The name of the importer detection picks for these bytes, or "(none)". */
const char *import_picked(const void *data, size_t len);

/* Appends the account the URI describes (asserted valid). */
void list_push_uri(struct ov_account_list *l, const char *uri);
/* The report of an import of three accounts: A (TOTP, SHA1, 6 digits, 30 s), B (HOTP,
 * SHA256, 8 digits, counter 7) and C (TOTP, 60 s), issuers "A", "B", "C". */
void report_of_three(struct ov_import_report *r);
/* An Android shared-preferences file (malloc'd) around the body printf makes of fmt. */
char *android_prefs_file(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Deterministic pseudo-random bytes (xorshift), for garbage inputs. */
void import_random_bytes(uint64_t *state, void *buf, size_t n);
/* A malloc'd copy of s with the first occurrence of from replaced by to (asserted). */
char *str_replace1(const char *s, const char *from, const char *to);
/* A fixture parsed with jansson, or NULL when absent (the caller SKIPs). */
json_t *fixture_json(const char *rel);

#endif
