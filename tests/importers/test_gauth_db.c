/* Google Authenticator's legacy database. */
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

TestSuite(gauth_db, .init = setup, .timeout = 120);

Test(gauth_db, gauth_labels_types_and_encrypted_rows)
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
             db_ga_schema);
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_OK);
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
    cr_assert(report_has_note(&r, "entry 5 (x): unknown type 5"));
    cr_assert(report_has_note(&r, "entry 6 (y): column counter is -3"));
    ov_import_report_free(&r);
    free(db);

    db = db_make("CREATE TABLE accounts (email TEXT, secret TEXT, type INTEGER, "
                 "isencrypted INTEGER);"
                 "INSERT INTO accounts VALUES ('k', 'AQIDBAUGBwgJ', 0, 1);", &len);
    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "Transfer accounts"));
    ov_import_report_free(&r);
    free(db);
}

Test(gauth_db, truncated_google_database)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/google_authenticator.sqlite");
    db_cut_everywhere("aegis-importers/google_authenticator.sqlite", "gauth-db", 6);
}
