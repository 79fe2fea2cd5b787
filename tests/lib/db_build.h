/* SQLite databases for the database importers' tests: built from SQL as the bytes of their
 * file, with the schemas of the apps (Microsoft, Google, Stratum), and every cut of a real
 * one through the import pipeline. */
#ifndef TESTS_LIB_DB_BUILD_H
#define TESTS_LIB_DB_BUILD_H

#include <stddef.h>
#include <stdint.h>

extern const char db_ms_schema[];   /* Microsoft Authenticator: accounts */
extern const char db_ga_schema[];   /* Google Authenticator: accounts */
extern const char db_st_schema[];   /* Stratum: authenticator */

/* A database made by running sql, as the bytes of its file (malloc'd). */
uint8_t *db_make(const char *sql, size_t *len);
/* Every length of the real database rel (SKIPped quietly when absent): an error with a note,
 * or at most full accounts; the same cut detected by content must not crash. */
void db_cut_everywhere(const char *rel, const char *format, size_t full);

#endif
