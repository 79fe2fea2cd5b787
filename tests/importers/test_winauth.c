/* WinAuth exports, as text and as ZIP. */
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

TestSuite(winauth, .init = setup, .timeout = 120);

#define WINAUTH "stratum-test-data/winauth.zip"

#define PLAIN "aegis-importers/plain.txt"

static void assert_winauth(const char *rel, const char *password, size_t count,
                           const char *first_issuer)
{
    size_t len;
    char *data = fixture_read(rel, &len);
    struct ov_import_report r;

    cr_assert_eq(import_pipeline("winauth", data, len, password, "test.zip", &r), OV_OK, "%s", r.notes[0].text);
    cr_assert_eq(r.accounts.len, count);
    for (size_t i = 0; i < count; i++)
        cr_assert_str_eq(r.accounts.items[i].name, "WinAuth");
    cr_assert_str_eq(r.accounts.items[0].issuer, first_issuer);
    ov_import_report_free(&r);

    /* By content the same file keeps its labels. */
    cr_assert_eq(import_pipeline(NULL, data, len, password, "test.zip", &r), OV_OK);
    cr_assert_str_neq(r.accounts.items[0].name, "WinAuth");
    ov_import_report_free(&r);
    free(data);
}

Test(winauth, winauth_format_on_the_text_export)
{
    SKIP_WITHOUT_FIXTURE(PLAIN);
    assert_winauth(PLAIN, NULL, 7, "Mason");
}

Test(winauth, winauth_format_on_the_zip_export)
{
    SKIP_WITHOUT_FIXTURE(WINAUTH);
    assert_winauth(WINAUTH, "test", 1, "Authenticator");
}

Test(winauth, winauth_format_on_other_input)
{
    struct ov_import_report r;
    cr_assert_eq(import_pipeline("winauth", "hello\n", 6, NULL, "test.zip", &r), OV_ERR_INVALID);
    cr_assert(report_has_note(&r, "test.zip: "));
    ov_import_report_free(&r);
}
