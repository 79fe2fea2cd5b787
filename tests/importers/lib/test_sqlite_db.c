/* Reading other apps' SQLite databases (importers/lib/sqlite_db): detection by tables,
 * views, size and work bounds, long texts, garbage, damage, and the user's file left alone. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/db_build.h"
#include "tests/lib/import_harness.h"
#include "tests/lib/cli_run.h"
#include "tests/lib/fixtures.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(sqlite_db, .init = setup, .timeout = 120);

static const char *detected(const char *sql)
{
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_blob in = { db, len, "x.db" };
    const struct ov_importer *imp = ov_import_pick(&in, NULL);
    free(db);
    return imp != NULL ? imp->name : "(none)";
}

Test(sqlite_db, detection_by_tables_not_by_name)
{
    cr_assert_str_eq(detected(db_ms_schema), "msauth-db");
    cr_assert_str_eq(detected(db_ga_schema), "gauth-db");
    cr_assert_str_eq(detected(db_st_schema), "stratum-db");
    /* Another app's database still gets an importer, whose error names the tables. */
    cr_assert_str_eq(detected("CREATE TABLE notes (id INTEGER, body TEXT);"), "msauth-db");
}

Test(sqlite_db, unrelated_database_names_its_tables)
{
    size_t len;
    uint8_t *db = db_make("CREATE TABLE notes (id INTEGER, body TEXT);", &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "not a Microsoft Authenticator database"));
    cr_assert(report_has_note(&r, "its tables: notes"));
    ov_import_report_free(&r);
    /* --format says which app; the message says what is missing. */
    cr_assert_eq(import_pipeline("stratum-db", db, len, NULL, "test.db", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "no table 'authenticator'"));
    ov_import_report_free(&r);
    free(db);
}

/* Views are off: a table name that is a view doing endless work cannot stall the import. */
Test(sqlite_db, view_in_place_of_table_is_refused)
{
    size_t len;
    uint8_t *db = db_make("CREATE VIEW accounts (name, username, oath_secret_key, account_type) "
                          "AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                          "SELECT 'a', 'b', 'JBSWY3DPEHPK3PXP', 0 FROM c;", &len);
    struct ov_import_report r;

    cr_assert_neq(import_pipeline("msauth-db", db, len, NULL, "test.db", &r), OV_OK);
    cr_assert(report_has_note(&r, "test.db: "));
    ov_import_report_free(&r);
    free(db);
}

Test(sqlite_db, too_large_is_refused_before_copying)
{
    size_t len = 64u * 1024u * 1024u + 4096;
    uint8_t *big = calloc(1, len);
    struct ov_import_report r;

    memcpy(big, "SQLite format 3", 16);
    big[16] = 0x10;
    cr_assert_eq(import_pipeline("msauth-db", big, len, NULL, "test.db", &r), OV_ERR_LIMIT);
    cr_assert(report_has_note(&r, "MiB"));
    ov_import_report_free(&r);
    free(big);
}

/* Past the secure pool's size: a database with a large icon (Stratum keeps custom icons in
 * the same file) still reads. */
Test(sqlite_db, large_database_reads)
{
    char sql[2048];
    snprintf(sql, sizeof sql, "%s"
             "CREATE TABLE customicon (id varchar primary key not null, data blob);"
             "INSERT INTO customicon VALUES ('big', zeroblob(3000000));"
             "INSERT INTO authenticator VALUES (2, NULL, 'GitHub', 'alice', 'JBSWY3DPEHPK3PXP', "
             "NULL, 0, 6, 30, 0, 0);", db_st_schema);
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_import_report r;

    cr_assert_gt(len, 3000000);
    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    free(db);
}

Test(sqlite_db, long_texts_are_refused_per_entry)
{
    char *sql = malloc(300000), *p;
    size_t len;
    uint8_t *db;
    struct ov_import_report r;

    p = sql + sprintf(sql, "%sINSERT INTO authenticator VALUES (2, NULL, 'A', 'a', '", db_st_schema);
    memset(p, 'A', 200000);
    p += 200000;
    p += sprintf(p, "', NULL, 0, 6, 30, 0, 0);INSERT INTO authenticator VALUES (5, NULL, 'Y', "
                 "'y', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', '");
    memset(p, '1', 70000);
    p += 70000;
    sprintf(p, "', 0, 8, 30, 0, 0);");
    db = db_make(sql, &len);
    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "(A: a): the secret (Base32): 200000 characters, too long"));
    cr_assert(report_has_note(&r, "(Y: y): the PIN is longer than"));
    ov_import_report_free(&r);
    free(db);
    free(sql);
}

/* Every importer on garbage behind a SQLite header: a clear error, never a crash. */
Test(sqlite_db, garbage_after_the_magic)
{
    static const char *const formats[] = { "msauth-db", "gauth-db", "stratum-db" };
    uint8_t buf[8192];
    unsigned seed = 12345;

    for (int round = 0; round < 200; round++) {
        size_t len = 512 * (size_t)(1 + round % 16);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
        memcpy(buf, "SQLite format 3", 16);
        if (round % 2 == 0) {
            buf[16] = 0x02; /* a valid page size, so SQLite itself parses the rest */
            buf[17] = 0x00;
        }
        for (size_t f = 0; f < 3; f++) {
            struct ov_import_report r;
            cr_assert_neq(import_pipeline(formats[f], buf, len, NULL, "test.db", &r), OV_OK);
            cr_assert_gt(r.nnotes, 0);
            cr_assert(strncmp(r.notes[r.nnotes - 1].text, "test.db: ", 9) == 0, "%s",
                      r.notes[r.nnotes - 1].text);
            ov_import_report_free(&r);
        }
    }
}

/* Flipping one byte at a time through the first pages (schema and data). */
Test(sqlite_db, damaged_bytes_in_a_real_database)
{
    const char *rel = "aegis-importers/microsoft_authenticator.sqlite";
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(rel);
    data = fixture_read(rel, &len);
    for (size_t i = 0; i < len && i < 3 * 4096; i += 7) {
        struct ov_import_report r;
        char saved = data[i];
        data[i] = (char)(saved ^ 0x5a);
        if (import_pipeline("msauth-db", data, len, NULL, "test.db", &r) != OV_OK)
            cr_assert_gt(r.nnotes, 0);
        ov_import_report_free(&r);
        data[i] = saved;
    }
    free(data);
}

/* The file is only read: no -wal or -shm appears next to a WAL-mode database. */
Test(sqlite_db, cli_import_leaves_the_file_alone)
{
    const char *rel = "aegis-importers/stratum_internal.db";
    struct cli_env e;
    struct cli_result res;
    char path[512], side[600];
    struct stat st;
    size_t len;
    char *data;
    FILE *f;

    SKIP_WITHOUT_FIXTURE(rel);
    data = fixture_read(rel, &len);
    cli_env_setup(&e);
    snprintf(path, sizeof path, "%s/authenticator.db3", e.dir);
    f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    chmod(path, 0400);
    const char *args[] = { "import", "--dry-run", path, NULL };
    cli_run(&res, &e, NULL, args);
    cr_assert_eq(res.status, 0, "%s", res.err);
    cr_assert(strstr(res.out, "found 7 accounts") != NULL, "%s%s", res.out, res.err);
    snprintf(side, sizeof side, "%s-wal", path);
    cr_assert_neq(stat(side, &st), 0);
    snprintf(side, sizeof side, "%s-shm", path);
    cr_assert_neq(stat(side, &st), 0);
    free(res.out);
    free(res.err);
    cli_env_teardown(&e);
    free(data);
}
