/* Shared by the importer test suites: run one importer's load directly (no detection, no
 * pipeline) on an exact-size copy of the input, so that ASan sees any read past its end. */
#ifndef TESTS_IMPORT_HELPERS_H
#define TESTS_IMPORT_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/importer.h"

struct th_result {
    int rc;
    struct ov_error err;
    struct ov_account_list accounts;
    struct ov_import_opts opts;     /* the issues */
};

/* Loads len bytes of data with the importer named `importer` (which must exist), with the
 * password (NUL-terminated) or NULL. */
void th_load(const char *importer, const void *data, size_t len, const char *password,
             struct th_result *r);
void th_load_str(const char *importer, const char *text, const char *password,
                 struct th_result *r);
void th_free(struct th_result *r);

/* Whether some issue message, or the error message, contains needle. */
bool th_issue_has(const struct th_result *r, const char *needle);
bool th_error_has(const struct th_result *r, const char *needle);

/* Loads every prefix data[0..cut) for cut in [from, len) stepping by step, and checks that
 * each gives a clear outcome: an error with a message, or accounts and issues that all have
 * messages. Returns how many cuts were an error. */
size_t th_each_cut(const char *importer, const void *data, size_t len, size_t from,
                   size_t step, const char *password);

/* Deterministic pseudo-random bytes (xorshift), for garbage inputs. */
void th_random(uint64_t *state, void *buf, size_t n);

/* The account whose issuer and name are these, or NULL. */
const struct ov_account *th_find(const struct th_result *r, const char *issuer,
                                 const char *name);

#endif
