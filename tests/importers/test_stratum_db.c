/* Stratum's internal database. */
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

TestSuite(stratum_db, .init = setup, .timeout = 120);

Test(stratum_db, stratum_every_type_and_bad_records)
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
             db_st_schema);
    size_t len;
    uint8_t *db = db_make(sql, &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline(NULL, db, len, NULL, "test.db", &r), OV_OK);
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
    cr_assert(report_has_note(&r, "(Up: me): mOTP secret in upper-case hex"));
    cr_assert(report_has_note(&r, "(Text: me): invalid character 's' at position 2 of the secret (hex)"));
    cr_assert(report_has_note(&r, "(Algo: me): unknown algorithm 7"));
    cr_assert(report_has_note(&r, "(Type: me): unknown type 9"));
    cr_assert(report_has_note(&r, "(Digits: me): digits must be"));
    cr_assert(report_has_note(&r, "(Period: me): period must be"));
    cr_assert(report_has_note(&r, "(Short: me): the secret (Base32): invalid Base32 length"));
    cr_assert(report_has_note(&r, "(NoPin: me): an mOTP account needs a PIN"));
    ov_import_report_free(&r);
    free(db);
}

Test(stratum_db, truncated_stratum_database)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/stratum_internal.db");
    db_cut_everywhere("aegis-importers/stratum_internal.db", "stratum-db", 7);
}
