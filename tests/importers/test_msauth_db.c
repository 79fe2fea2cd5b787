/* Microsoft Authenticator databases (PhoneFactor): types, unimportable rows, old schemas,
 * WAL mode. */
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

TestSuite(msauth_db, .init = setup, .timeout = 120);

static void assert_secret(const struct ov_account *a, const char *base32)
{
    uint8_t want[64];
    size_t len;
    cr_assert_eq(ov_base32_decode(base32, want, &len, NULL), OV_OK);
    cr_assert_eq(a->secret_len, len);
    cr_assert_eq(memcmp(a->secret, want, len), 0);
}

Test(msauth_db, msauth_types_and_unimportable_rows)
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
             db_ms_schema);
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_OK);
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
    cr_assert(report_has_note(&r, "entry 3 (Contoso: carol@contoso.com): account_type 2"));
    cr_assert(report_has_note(&r, "entry 4 (Dropbox: dave): the secret is encrypted"));
    cr_assert(report_has_note(&r, "entry 5 (Bad: eve): invalid character '!' at position 11 of the secret (Base32)"));
    ov_import_report_free(&r);
    free(db);
}

Test(msauth_db, msauth_wrong_types_and_nulls_are_per_entry)
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
             db_ms_schema);
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_str_eq(r.accounts.items[0].issuer, "G");
    cr_assert_str_eq(r.accounts.items[0].name, "");
    cr_assert_eq(r.entries_failed, 6);
    cr_assert(report_has_note(&r, "column account_type is not a number: \"abc\""));
    cr_assert(report_has_note(&r, "column oath_secret_key holds a NUL byte") ||
              report_has_note(&r, "column oath_secret_key is not valid UTF-8"));
    cr_assert(report_has_note(&r, "entry 3 (C: c): no secret"));
    cr_assert(report_has_note(&r, "column account_type is binary data"));
    cr_assert(report_has_note(&r, "column name is not valid UTF-8"));
    cr_assert(report_has_note(&r, "column account_type is not a whole number"));
    ov_import_report_free(&r);
    free(db);
}

Test(msauth_db, msauth_missing_column_and_old_schema)
{
    size_t len;
    uint8_t *db = db_make("CREATE TABLE accounts (name TEXT, username TEXT, "
                          "oath_secret_key TEXT, account_type INTEGER);"
                          "INSERT INTO accounts VALUES ('A', 'a', 'JBSWY3DPEHPK3PXP', 0);", &len);
    struct ov_import_report r;

    /* No encrypted_oath_secret_key in older versions: optional. */
    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    free(db);

    db = db_make("CREATE TABLE accounts (name TEXT, oath_secret_key TEXT, account_type INTEGER);",
                 &len);
    cr_assert_eq(import_pipeline("msauth-db", db, len, NULL, "test.db", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "table 'accounts' has no column 'username'"));
    ov_import_report_free(&r);
    free(db);
}

/* A WAL-mode file says so in header bytes 18-19; the copy must still open, and an empty
 * table then hints at the -wal file the rows may be in. */
Test(msauth_db, msauth_wal_mode_empty_table_hints_at_wal_file)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "%s", db_ms_schema);
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_import_report r;

    db[18] = db[19] = 2;
    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "the accounts table is empty; recent changes may still be in "
                           "PhoneFactor-wal"));
    ov_import_report_free(&r);
    free(db);
}

Test(msauth_db, wal_mode_database_with_rows_reads)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "%sINSERT INTO accounts VALUES (1, 'A', 'a', 'JBSWY3DPEHPK3PXP', "
             "0, '');", db_ms_schema);
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_import_report r;

    db[18] = db[19] = 2;
    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    ov_import_report_free(&r);
    free(db);
}

Test(msauth_db, truncated_microsoft_database)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/microsoft_authenticator.sqlite");
    db_cut_everywhere("aegis-importers/microsoft_authenticator.sqlite", "msauth-db", 7);
}
