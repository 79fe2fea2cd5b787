/* Reading other apps' SQLite databases (Microsoft Authenticator, Google Authenticator's legacy
 * database, Stratum's internal database) from an input held in memory.
 *
 * The bytes are copied (sensitive_buf.h) and handed to SQLite as a read-only in-memory
 * database (sqlite3_deserialize): no temporary file, and the user's file, with its -wal and
 * -shm companions, is never opened or touched. The database is untrusted, so it is opened with
 * SQLite's defensive settings (no triggers, views or schema functions, cell size checks) and a
 * bound on the work any statement may do. */
#ifndef IMPORTERS_SQLITE_DB_H
#define IMPORTERS_SQLITE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "otpvault/error.h"
#include "otpvault/importer.h"

/* Authenticator databases are kilobytes; a megabyte-sized one already holds many icons. */
#define OV_SQLITE_MAX_BYTES (64u * 1024u * 1024u)

/* Whether in starts with the SQLite header "SQLite format 3\0". */
bool ov_sqlite_magic(const struct ov_blob *in);



/* For sniffing: 95 when in is a SQLite database with such a table and columns, else 0. */
int ov_sqlite_sniff_table(const struct ov_blob *in, const char *table,
                          const char *const *columns);



/* A column to select: when optional and absent from the table, NULL is selected instead
 * (older app versions lack some columns). */
struct ov_sqlite_column {
    const char *name;
    bool optional;
};

/* Defines ov_importer_<id> for a database with one account a row, from what its file
 * defines by convention: <id>_sniff, the columns[] to select and read_row. wal_hint may be
 * NULL (see struct ov_sqlite_accounts). */
#define OV_SQLITE_IMPORTER(id, format_name, format_label, table_name, what_text, wal)      \
    static const struct ov_sqlite_accounts id##_accounts = {                               \
        .table = table_name, .what = what_text, .columns = columns,                        \
        .ncolumns = sizeof columns / sizeof *columns, .read_row = read_row, .wal_hint = wal \
    };                                                                                     \
    static int id##_load(const struct ov_blob *in, struct ov_import_opts *opts,            \
                         struct ov_account_list *out, struct ov_error *err)                \
    {                                                                                      \
        return ov_sqlite_read_accounts(in, &id##_accounts, opts, out, err);               \
    }                                                                                      \
    const struct ov_importer ov_importer_##id = {                                          \
        .name = format_name, .label = format_label, .sniff = id##_sniff, .load = id##_load \
    }


/* One account a row: what the accounts loop of ov_sqlite_read_accounts needs to know. */
struct ov_sqlite_accounts {
    const char *table;                   /* "accounts" */
    const char *what;                    /* "a Google Authenticator database", for messages */
    const struct ov_sqlite_column *columns;
    size_t ncolumns;
    /* Reads the current row into a (initialised) and points *issuer and *name at the row's
     * texts (SQLite's memory; NULL for none): they become the account's issuer and name
     * (split by the label rule of design.md 4.1), or name the entry in the issue when
     * read_row fails, with err saying why. */
    int (*read_row)(sqlite3_stmt *st, struct ov_account *a, const char **issuer,
                    const char **name, struct ov_error *err);
    /* Said when the table is missing or empty in a WAL-mode database (its rows may still be
     * in the -wal file); NULL: no hint, and an empty table is no error. */
    const char *wal_hint;
};

/* The loop every database importer shares: opens in, selects the columns and reads every
 * row, an account into out (issuer/name rule and validation of ab_add) or an issue for the
 * entry (1-based row number). Errors are the
 * database's own (not SQLite, damaged, no such table, work bound); a row's problem is not. */
int ov_sqlite_read_accounts(const struct ov_blob *in, const struct ov_sqlite_accounts *spec,
                            struct ov_import_opts *opts, struct ov_account_list *out,
                            struct ov_error *err);


/* Column col as text in *out (SQLite's memory, valid until the next step), NULL for SQL
 * NULL; numbers come back as their decimal text. A NUL byte or invalid UTF-8 is OV_ERR_INVALID
 * naming the column (what): no app writes either, and both would corrupt names. */
int ov_sqlite_text(sqlite3_stmt *stmt, int col, const char *what, const char **out,
                   struct ov_error *err);

/* Column col as an integer in [min, max], or def (as given) for NULL; an integer, a whole
 * real or a text of decimal digits is accepted. Otherwise OV_ERR_INVALID naming the column
 * (what). */
int ov_sqlite_int(sqlite3_stmt *stmt, int col, const char *what, int64_t def, int64_t min,
                  int64_t max, int64_t *out, struct ov_error *err);

#endif
