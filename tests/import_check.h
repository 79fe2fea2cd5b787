/* Drives one importer's load directly (as the import pipeline does) for the per-format
 * importer tests: results, per-entry issues, and the damaged-input sweeps every format
 * gets (every cut point, random mutations). */
#ifndef TESTS_IMPORT_CHECK_H
#define TESTS_IMPORT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otpvault/importer.h"

struct load_result {
    int rc;
    struct ov_error err;
    struct ov_account_list accounts;
    struct ov_import_opts opts;
};

/* Runs the importer named format over data; password may be NULL. */
void load_run(const char *format, const void *data, size_t len, const char *password,
              struct load_result *r);
void load_free(struct load_result *r);
/* Whether an issue at position (0: any) contains needle. */
bool load_has_issue(const struct load_result *r, size_t position, const char *needle);
/* The account with this issuer and name, or NULL. */
const struct ov_account *load_find(const struct load_result *r, const char *issuer,
                                   const char *name);
/* Every prefix of data whose missing tail holds more than blanks must fail with a message
 * (never crash); step > 1 tries every step-th length only. */
void load_every_cut(const char *format, const void *data, size_t len, const char *password,
                    size_t step);
/* rounds random mutations of data (bytes changed, inserted, removed): each load either
 * fails with a message or gives valid accounts. Deterministic for a seed. */
void load_mutations(const char *format, const void *data, size_t len, const char *password,
                    unsigned rounds, uint32_t seed);
/* A malloc'd copy of s with the first occurrence of from replaced by to (asserted). */
char *str_replace1(const char *s, const char *from, const char *to);

#endif
