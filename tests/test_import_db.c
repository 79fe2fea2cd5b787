/* The SQLite importers (msauth-db, gauth-db, stratum-db): databases built here with the
 * quirks real ones have (NULLs, wrong column types, missing columns, WAL mode, Keystore-
 * encrypted secrets), every cut of the real fixtures, garbage, and crafted databases. None of
 * these formats has a password or KDF parameters, so there is no clamping to test. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/lib/cli_run.h"
#include "tests/lib/fixtures.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import_db, .init = setup, .timeout = 120);

/* A database made by running sql, as the bytes of its file (malloc'd). */
static uint8_t *make_db(const char *sql, size_t *len)
{
    sqlite3 *db;
    char *msg = NULL;
    sqlite3_int64 n;
    unsigned char *image;
    uint8_t *copy;

    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg);
    image = sqlite3_serialize(db, "main", &n, 0);
    cr_assert_not_null(image);
    copy = malloc((size_t)n);
    memcpy(copy, image, (size_t)n);
    *len = (size_t)n;
    sqlite3_free(image);
    sqlite3_close(db);
    return copy;
}

static int run(const char *format, const void *data, size_t len, struct ov_import_report *r)
{
    struct ov_import_options o = { .format = format };
    struct ov_blob in = { data, len, "test.db" };
    return ov_import_run(&in, 1, &o, NULL, r);
}

static bool has_note(const struct ov_import_report *r, const char *needle)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strstr(r->notes[i].text, needle) != NULL)
            return true;
    return false;
}

static void assert_secret(const struct ov_account *a, const char *base32)
{
    uint8_t want[64];
    size_t len;
    cr_assert_eq(ov_base32_decode(base32, want, &len, NULL), OV_OK);
    cr_assert_eq(a->secret_len, len);
    cr_assert_eq(memcmp(a->secret, want, len), 0);
}

/* ---- detection ---------------------------------------------------------------------- */

static const char ms_schema[] =
    "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, name TEXT, username TEXT, "
    "oath_secret_key TEXT, account_type INTEGER, encrypted_oath_secret_key TEXT);";
static const char ga_schema[] =
    "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT "
    "NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT "
    "DEFAULT NULL, original_name TEXT DEFAULT NULL);";
static const char st_schema[] =
    "CREATE TABLE authenticator (type integer, icon varchar, issuer varchar(32), username "
    "varchar(40), secret varchar primary key not null, pin varchar, algorithm integer, digits "
    "integer, period integer, counter integer, ranking integer);";

static const char *detected(const char *sql)
{
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_blob in = { db, len, "x.db" };
    const struct ov_importer *imp = ov_import_pick(&in, NULL);
    free(db);
    return imp != NULL ? imp->name : "(none)";
}

Test(import_db, detection_by_tables_not_by_name)
{
    cr_assert_str_eq(detected(ms_schema), "msauth-db");
    cr_assert_str_eq(detected(ga_schema), "gauth-db");
    cr_assert_str_eq(detected(st_schema), "stratum-db");
    /* Another app's database still gets an importer, whose error names the tables. */
    cr_assert_str_eq(detected("CREATE TABLE notes (id INTEGER, body TEXT);"), "msauth-db");
}

Test(import_db, unrelated_database_names_its_tables)
{
    size_t len;
    uint8_t *db = make_db("CREATE TABLE notes (id INTEGER, body TEXT);", &len);
    struct ov_import_report r;

    cr_assert_eq(run(NULL, db, len, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "not a Microsoft Authenticator database"));
    cr_assert(has_note(&r, "its tables: notes"));
    ov_import_report_free(&r);
    /* --format says which app; the message says what is missing. */
    cr_assert_eq(run("stratum-db", db, len, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "no table 'authenticator'"));
    ov_import_report_free(&r);
    free(db);
}

/* ---- Microsoft Authenticator -------------------------------------------------------- */

Test(import_db, msauth_types_and_unimportable_rows)
{
    /* 20 bytes 0x00..0x13 in Base64 for the Microsoft account. */
    char sql[2048];
    snprintf(sql, sizeof sql, "%s"
             "INSERT INTO accounts VALUES (1, 'GitHub', 'alice', 'jbsw y3dp ehpk 3pxp', 0, '');"
             "INSERT INTO accounts VALUES (2, 'Microsoft', 'bob@outlook.com', "
             "'AAECAwQFBgcICQoLDA0ODxAREhM=', 1, '');"
             "INSERT INTO accounts VALUES (3, 'Contoso', 'carol@contoso.com', '', 2, '');"
             "INSERT INTO accounts VALUES (4, 'Dropbox', 'dave', '', 0, 'AkeystoreBlob');"
             "INSERT INTO accounts VALUES (5, 'Bad', 'eve', 'not base32!', 0, NULL);"
             "INSERT INTO accounts VALUES (6, NULL, 'Slack:frank', 'JBSWY3DPEHPK3PXQ', 0, NULL);"
             "INSERT INTO accounts VALUES (7, 'Mixed', 'gina', 'JBSWY3DPEHPK3PXA', '0', NULL);",
             ms_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 4);
    cr_assert_eq(r.entries_failed, 3);
    const struct ov_account *a = r.accounts.items;
    cr_assert_str_eq(a[0].issuer, "GitHub");
    cr_assert_str_eq(a[0].name, "alice");
    assert_secret(&a[0], "JBSWY3DPEHPK3PXP");
    cr_assert_eq(a[0].digits, 6);
    cr_assert_str_eq(a[1].issuer, "Microsoft");
    cr_assert_eq(a[1].digits, 8);
    cr_assert_eq(a[1].secret_len, 20);
    cr_assert_eq(a[1].secret[19], 0x13);
    /* NULL issuer, "Issuer:name" username: design.md 4.1 splits it. */
    cr_assert_str_eq(a[2].issuer, "Slack");
    cr_assert_str_eq(a[2].name, "frank");
    /* A number stored as text is still a number. */
    cr_assert_str_eq(a[3].issuer, "Mixed");
    cr_assert(has_note(&r, "entry 3 (Contoso: carol@contoso.com): account_type 2"));
    cr_assert(has_note(&r, "entry 4 (Dropbox: dave): the secret is encrypted"));
    cr_assert(has_note(&r, "entry 5 (Bad: eve): invalid character '!' at position 11 of the secret (Base32)"));
    ov_import_report_free(&r);
    free(db);
}

Test(import_db, msauth_wrong_types_and_nulls_are_per_entry)
{
    char sql[2048];
    snprintf(sql, sizeof sql, "%s"
             "INSERT INTO accounts VALUES (1, 'A', 'a', 'JBSWY3DPEHPK3PXP', 'abc', '');"
             "INSERT INTO accounts VALUES (2, 'B', 'b', X'00FF', 0, '');"
             "INSERT INTO accounts VALUES (3, 'C', 'c', NULL, 0, NULL);"
             "INSERT INTO accounts VALUES (4, 'D', 'd', 'JBSWY3DPEHPK3PXP', X'01', NULL);"
             "INSERT INTO accounts VALUES (5, X'C3', 'e', 'JBSWY3DPEHPK3PXP', 0, NULL);"
             "INSERT INTO accounts VALUES (6, 'F', 'f', 'JBSWY3DPEHPK3PXP', 1.5, NULL);"
             "INSERT INTO accounts VALUES (7, 'G', NULL, 'JBSWY3DPEHPK3PXP', NULL, NULL);",
             ms_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_str_eq(r.accounts.items[0].issuer, "G");
    cr_assert_str_eq(r.accounts.items[0].name, "");
    cr_assert_eq(r.entries_failed, 6);
    cr_assert(has_note(&r, "column account_type is not a number: \"abc\""));
    cr_assert(has_note(&r, "column oath_secret_key holds a NUL byte") ||
              has_note(&r, "column oath_secret_key is not valid UTF-8"));
    cr_assert(has_note(&r, "entry 3 (C: c): no secret"));
    cr_assert(has_note(&r, "column account_type is binary data"));
    cr_assert(has_note(&r, "column name is not valid UTF-8"));
    cr_assert(has_note(&r, "column account_type is not a whole number"));
    ov_import_report_free(&r);
    free(db);
}

Test(import_db, msauth_missing_column_and_old_schema)
{
    size_t len;
    uint8_t *db = make_db("CREATE TABLE accounts (name TEXT, username TEXT, "
                          "oath_secret_key TEXT, account_type INTEGER);"
                          "INSERT INTO accounts VALUES ('A', 'a', 'JBSWY3DPEHPK3PXP', 0);", &len);
    struct ov_import_report r;

    /* No encrypted_oath_secret_key in older versions: optional. */
    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    free(db);

    db = make_db("CREATE TABLE accounts (name TEXT, oath_secret_key TEXT, account_type INTEGER);",
                 &len);
    cr_assert_eq(run("msauth-db", db, len, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "table 'accounts' has no column 'username'"));
    ov_import_report_free(&r);
    free(db);
}

/* A WAL-mode file says so in header bytes 18-19; the copy must still open, and an empty
 * table then hints at the -wal file the rows may be in. */
Test(import_db, msauth_wal_mode_empty_table_hints_at_wal_file)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "%s", ms_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    db[18] = db[19] = 2;
    cr_assert_eq(run(NULL, db, len, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "the accounts table is empty; recent changes may still be in "
                           "PhoneFactor-wal"));
    ov_import_report_free(&r);
    free(db);
}

Test(import_db, wal_mode_database_with_rows_reads)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "%sINSERT INTO accounts VALUES (1, 'A', 'a', 'JBSWY3DPEHPK3PXP', "
             "0, '');", ms_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    db[18] = db[19] = 2;
    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    free(db);
}

/* ---- Google Authenticator ----------------------------------------------------------- */

Test(import_db, gauth_labels_types_and_encrypted_rows)
{
    char sql[2048];
    snprintf(sql, sizeof sql, "%s"
             "INSERT INTO accounts VALUES (1, 'GitHub:alice', 'JBSWY3DPEHPK3PXP', 0, 0, 0, "
             "'GitHub', NULL);"
             "INSERT INTO accounts VALUES (2, 'Slack:bob', 'JBSWY3DPEHPK3PXQ', 0, 0, 0, NULL, "
             "NULL);"
             "INSERT INTO accounts VALUES (3, 'a:b:c', 'JBSWY3DPEHPK3PXA', 7, 1, 0, '', NULL);"
             "INSERT INTO accounts VALUES (4, 'plain', 'JBSWY3DPEHPK3PXB', NULL, NULL, 0, NULL, "
             "NULL);"
             "INSERT INTO accounts VALUES (5, 'x', 'JBSWY3DPEHPK3PXC', 0, 5, 0, NULL, NULL);"
             "INSERT INTO accounts VALUES (6, 'y', 'JBSWY3DPEHPK3PXD', -3, 1, 0, NULL, NULL);",
             ga_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 4);
    const struct ov_account *a = r.accounts.items;
    cr_assert_str_eq(a[0].issuer, "GitHub");
    cr_assert_str_eq(a[0].name, "alice");
    cr_assert_str_eq(a[1].issuer, "Slack");
    cr_assert_str_eq(a[1].name, "bob");
    cr_assert_eq(a[2].type, OV_HOTP);
    cr_assert_eq(a[2].counter, 7);
    cr_assert_str_eq(a[2].issuer, "a");
    cr_assert_str_eq(a[2].name, "b:c");
    cr_assert_eq(a[3].type, OV_TOTP);
    cr_assert_str_eq(a[3].name, "plain");
    cr_assert(has_note(&r, "entry 5 (x): unknown type 5"));
    cr_assert(has_note(&r, "entry 6 (y): column counter is -3"));
    ov_import_report_free(&r);
    free(db);

    db = make_db("CREATE TABLE accounts (email TEXT, secret TEXT, type INTEGER, "
                 "isencrypted INTEGER);"
                 "INSERT INTO accounts VALUES ('k', 'AQIDBAUGBwgJ', 0, 1);", &len);
    cr_assert_eq(run(NULL, db, len, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "Transfer accounts"));
    ov_import_report_free(&r);
    free(db);
}

/* ---- Stratum ------------------------------------------------------------------------ */

Test(import_db, stratum_every_type_and_bad_records)
{
    char sql[4096];
    snprintf(sql, sizeof sql, "%s"
             "INSERT INTO authenticator VALUES (2, NULL, 'GitHub', 'alice', 'JBSWY3DPEHPK3PXP', "
             "NULL, 1, 7, 20, 0, 0);"
             "INSERT INTO authenticator VALUES (1, NULL, 'Issuu', NULL, 'JBSWY3DPEHPK3PXQ', NULL, "
             "2, 8, 30, 12, 0);"
             "INSERT INTO authenticator VALUES (4, NULL, 'Steam', 'me', 'JBSWY3DPEHPK3PXA', NULL, "
             "0, 5, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (3, NULL, 'VPN', 'me', '0123456789abcdef', "
             "'1234', 0, 6, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (5, NULL, 'Yandex', 'me', "
             "'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', '5678', 0, 8, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (3, NULL, 'Up', 'me', '0123456789ABCDEF', '1234', "
             "0, 6, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (3, NULL, 'Text', 'me', 'asdasddasadsadsad', "
             "'1234', 0, 6, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (2, NULL, 'Algo', 'me', 'JBSWY3DPEHPK3PXB', NULL, "
             "7, 6, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (9, NULL, 'Type', 'me', 'JBSWY3DPEHPK3PXC', NULL, "
             "0, 6, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (2, NULL, 'Digits', 'me', 'JBSWY3DPEHPK3PXD', NULL, "
             "0, 11, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (2, NULL, 'Period', 'me', 'JBSWY3DPEHPK3PXE', NULL, "
             "0, 6, 0, 0, 0);"
             "INSERT INTO authenticator VALUES (2, NULL, 'Short', 'me', 'POAKSPDOASKDOS', NULL, "
             "0, 6, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (3, NULL, 'NoPin', 'me', 'fedcba9876543210', NULL, "
             "0, 6, 30, 0, 0);"
             "INSERT INTO authenticator VALUES (2, NULL, 'Nulls', 'Nulls:x', 'JBSWY3DPEHPK3PXF', "
             "NULL, NULL, NULL, NULL, NULL, NULL);",
             st_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 6);
    cr_assert_eq(r.entries_failed, 8);
    const struct ov_account *a = r.accounts.items;
    cr_assert_eq(a[0].type, OV_TOTP);
    cr_assert_eq(a[0].algo, OV_SHA256);
    cr_assert_eq(a[0].digits, 7);
    cr_assert_eq(a[0].period, 20);
    cr_assert_eq(a[1].type, OV_HOTP);
    cr_assert_eq(a[1].algo, OV_SHA512);
    cr_assert_eq(a[1].counter, 12);
    cr_assert_str_eq(a[1].name, "");
    cr_assert_eq(a[2].type, OV_STEAM);
    cr_assert_eq(a[3].type, OV_MOTP);
    cr_assert_eq(a[3].period, 10);
    cr_assert_str_eq(a[3].pin, "1234");
    cr_assert_eq(a[3].secret_len, 8);
    cr_assert_eq(a[4].type, OV_YANDEX);
    cr_assert_str_eq(a[4].pin, "5678");
    cr_assert_eq(a[5].algo, OV_SHA1);
    cr_assert_eq(a[5].digits, 6);
    cr_assert_eq(a[5].period, 30);
    cr_assert_str_eq(a[5].issuer, "Nulls");
    cr_assert_str_eq(a[5].name, "x");
    cr_assert(has_note(&r, "(Up: me): mOTP secret in upper-case hex"));
    cr_assert(has_note(&r, "(Text: me): invalid character 's' at position 2 of the secret (hex)"));
    cr_assert(has_note(&r, "(Algo: me): unknown algorithm 7"));
    cr_assert(has_note(&r, "(Type: me): unknown type 9"));
    cr_assert(has_note(&r, "(Digits: me): digits must be"));
    cr_assert(has_note(&r, "(Period: me): period must be"));
    cr_assert(has_note(&r, "(Short: me): the secret (Base32): invalid Base32 length"));
    cr_assert(has_note(&r, "(NoPin: me): an mOTP account needs a PIN"));
    ov_import_report_free(&r);
    free(db);
}

/* ---- hostile and damaged files ------------------------------------------------------ */

/* Views are off: a table name that is a view doing endless work cannot stall the import. */
Test(import_db, view_in_place_of_table_is_refused)
{
    size_t len;
    uint8_t *db = make_db("CREATE VIEW accounts (name, username, oath_secret_key, account_type) "
                          "AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                          "SELECT 'a', 'b', 'JBSWY3DPEHPK3PXP', 0 FROM c;", &len);
    struct ov_import_report r;

    cr_assert_neq(run("msauth-db", db, len, &r), OV_OK);
    cr_assert(has_note(&r, "test.db: "));
    ov_import_report_free(&r);
    free(db);
}

Test(import_db, too_large_is_refused_before_copying)
{
    size_t len = 64u * 1024u * 1024u + 4096;
    uint8_t *big = calloc(1, len);
    struct ov_import_report r;

    memcpy(big, "SQLite format 3", 16);
    big[16] = 0x10;
    cr_assert_eq(run("msauth-db", big, len, &r), OV_ERR_LIMIT);
    cr_assert(has_note(&r, "MiB"));
    ov_import_report_free(&r);
    free(big);
}

/* Past the secure pool's size: a database with a large icon (Stratum keeps custom icons in
 * the same file) still reads. */
Test(import_db, large_database_reads)
{
    char sql[2048];
    snprintf(sql, sizeof sql, "%s"
             "CREATE TABLE customicon (id varchar primary key not null, data blob);"
             "INSERT INTO customicon VALUES ('big', zeroblob(3000000));"
             "INSERT INTO authenticator VALUES (2, NULL, 'GitHub', 'alice', 'JBSWY3DPEHPK3PXP', "
             "NULL, 0, 6, 30, 0, 0);", st_schema);
    size_t len;
    uint8_t *db = make_db(sql, &len);
    struct ov_import_report r;

    cr_assert_gt(len, 3000000);
    cr_assert_eq(run(NULL, db, len, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    free(db);
}

Test(import_db, long_texts_are_refused_per_entry)
{
    char *sql = malloc(300000), *p;
    size_t len;
    uint8_t *db;
    struct ov_import_report r;

    p = sql + sprintf(sql, "%sINSERT INTO authenticator VALUES (2, NULL, 'A', 'a', '", st_schema);
    memset(p, 'A', 200000);
    p += 200000;
    p += sprintf(p, "', NULL, 0, 6, 30, 0, 0);INSERT INTO authenticator VALUES (5, NULL, 'Y', "
                 "'y', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', '");
    memset(p, '1', 70000);
    p += 70000;
    sprintf(p, "', 0, 8, 30, 0, 0);");
    db = make_db(sql, &len);
    cr_assert_eq(run(NULL, db, len, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "(A: a): the secret (Base32): 200000 characters, too long"));
    cr_assert(has_note(&r, "(Y: y): the PIN is longer than"));
    ov_import_report_free(&r);
    free(db);
    free(sql);
}

/* Every importer on garbage behind a SQLite header: a clear error, never a crash. */
Test(import_db, garbage_after_the_magic)
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
            cr_assert_neq(run(formats[f], buf, len, &r), OV_OK);
            cr_assert_gt(r.nnotes, 0);
            cr_assert(strncmp(r.notes[r.nnotes - 1].text, "test.db: ", 9) == 0, "%s",
                      r.notes[r.nnotes - 1].text);
            ov_import_report_free(&r);
        }
    }
}

/* Every length of a real database: an error or a subset of its accounts, never a crash. */
static void cut_everywhere(const char *rel, const char *format, size_t full)
{
    size_t len;
    char *data = fixture_read(rel, &len);
    size_t ok = 0;

    if (data == NULL)
        return;
    for (size_t cut = 0; cut < len; cut++) {
        struct ov_import_report r;
        int rc = run(format, data, cut, &r);
        if (rc == OV_OK) {
            ok++;
            cr_assert_leq(r.accounts.len, full, "cut %zu", cut);
        } else {
            cr_assert_gt(r.nnotes, 0, "cut %zu", cut);
        }
        ov_import_report_free(&r);
        /* The same cut, detected by content. */
        rc = run(NULL, data, cut, &r);
        ov_import_report_free(&r);
    }
    cr_assert_lt(ok, len);
    free(data);
}

Test(import_db, truncated_microsoft_database)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/microsoft_authenticator.sqlite");
    cut_everywhere("aegis-importers/microsoft_authenticator.sqlite", "msauth-db", 7);
}

Test(import_db, truncated_google_database)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/google_authenticator.sqlite");
    cut_everywhere("aegis-importers/google_authenticator.sqlite", "gauth-db", 6);
}

Test(import_db, truncated_stratum_database)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/stratum_internal.db");
    cut_everywhere("aegis-importers/stratum_internal.db", "stratum-db", 7);
}

/* Flipping one byte at a time through the first pages (schema and data). */
Test(import_db, damaged_bytes_in_a_real_database)
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
        if (run("msauth-db", data, len, &r) != OV_OK)
            cr_assert_gt(r.nnotes, 0);
        ov_import_report_free(&r);
        data[i] = saved;
    }
    free(data);
}

/* The file is only read: no -wal or -shm appears next to a WAL-mode database. */
Test(import_db, cli_import_leaves_the_file_alone)
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
