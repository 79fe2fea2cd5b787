/* Authenticator Plus backups (ZIP), and the refusal of its SQLCipher database. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/zip_build.h"
#include "tests/lib/import_harness.h"
#include "tests/lib/fixtures.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(authplus, .init = setup, .timeout = 120);

#define AUTHPLUS "aegis-importers/authenticator_plus.zip"

static const char uri_a[] = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP\n";

Test(authplus, unencrypted_accounts_txt_needs_no_password)
{
    struct zip_member m[] = { { "Accounts.txt", uri_a, 0, ZIP_EM_NONE },
                          { "Accounts.html", "<html></html>", 0, ZIP_EM_NONE } };
    size_t len = 0;
    uint8_t *zip = zip_make(m, 2, NULL, &len);
    struct ov_blob in = { zip, len, "x" };
    struct ov_import_report r;

    cr_assert_str_eq(import_picked(zip, len), "authplus");
    cr_assert_not(ov_importer_find("authplus")->is_encrypted(&in));
    cr_assert_eq(import_pipeline(NULL, zip, len, NULL, "test.zip", &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_str_eq(r.accounts.items[0].issuer, "GitHub");
    ov_import_report_free(&r);
    free(zip);
}

Test(authplus, authplus_fixture_every_cut)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(AUTHPLUS);
    data = fixture_read(AUTHPLUS, &len);
    for (size_t cut = 0; cut < len; cut++) {
        struct ov_import_report r;
        cr_assert_neq(import_pipeline(cut % 2 ? NULL : "authplus", data, cut, "testtesttest", "test.zip", &r), OV_OK,
                      "cut %zu", cut);
        cr_assert_gt(r.nnotes, 0);
        ov_import_report_free(&r);
    }
    free(data);
}

/* One byte changed anywhere: an error (a wrong-password one inside the encrypted data), or
 * the same accounts when the byte did not matter (a timestamp); never a crash. */
Test(authplus, authplus_fixture_every_byte_flipped)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(AUTHPLUS);
    data = fixture_read(AUTHPLUS, &len);
    for (size_t i = 0; i < len; i++) {
        struct ov_import_report r;
        char saved = data[i];
        data[i] = (char)(saved ^ 0x21);
        if (import_pipeline("authplus", data, len, "testtesttest", "test.zip", &r) == OV_OK)
            cr_assert_eq(r.accounts.len, 7, "byte %zu", i);
        else
            cr_assert_gt(r.nnotes, 0);
        ov_import_report_free(&r);
        data[i] = saved;
    }
    free(data);
}

Test(authplus, sqlcipher_database_is_refused_clearly)
{
    const char *rel = "stratum-test-data/authplus.db";
    size_t len;
    char *data;
    struct ov_import_report r;

    SKIP_WITHOUT_FIXTURE(rel);
    data = fixture_read(rel, &len);
    cr_assert_str_eq(import_picked(data, len), "authplus");
    cr_assert_eq(import_pipeline(NULL, data, len, "testtesttest", "test.zip", &r), OV_ERR_UNSUPPORTED);
    cr_assert(report_has_note(&r, "encrypted Authenticator Plus database, SQLCipher"));
    cr_assert(report_has_note(&r, "Export as Text and HTML"));
    ov_import_report_free(&r);
    free(data);
}

Test(authplus, sqlcipher_guess_spares_structured_files)
{
    static uint8_t buf[4096];
    unsigned seed = 7;

    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
    buf[0] = 0x80; /* not a plausible andOTP iteration count */
    cr_assert_str_eq(import_picked(buf, sizeof buf), "authplus");
    /* Not whole pages. */
    cr_assert_str_neq(import_picked(buf, sizeof buf - 1), "authplus");
    /* andOTP's encrypted backups start with their iteration count. */
    buf[0] = 0x00, buf[1] = 0x02, buf[2] = 0x22, buf[3] = 0xE0;
    cr_assert_str_neq(import_picked(buf, sizeof buf), "authplus");
    /* Text. */
    memset(buf, 'a', sizeof buf);
    cr_assert_str_neq(import_picked(buf, sizeof buf), "authplus");
}
