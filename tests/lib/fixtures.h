/* Test inputs from other projects, read in place from FIXTURES_DIR (default
 * ../shared/fixtures); never copied into this repository. When they are absent a test prints
 * a "SKIP:" line on stderr and returns. (Criterion 2.4 exits non-zero after any
 * cr_log_warn, so the line is printed directly.) */
#ifndef TESTS_FIXTURES_H
#define TESTS_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

const char *fixtures_dir(void);
/* FIXTURES_DIR/rel, malloc'd. */
char *fixture_path(const char *rel);
bool fixture_exists(const char *rel);
/* The whole file, malloc'd and NUL-terminated (len excludes the NUL); NULL if missing. */
char *fixture_read(const char *rel, size_t *len);

#define SKIP_WITHOUT_FIXTURE(rel)                                                      \
    do {                                                                               \
        if (!fixture_exists(rel)) {                                                    \
            fprintf(stderr, "SKIP: %s not found under %s (set FIXTURES_DIR)\n", (rel),   \
                    fixtures_dir());                                                   \
            return;                                                                    \
        }                                                                              \
    } while (0)

#endif
