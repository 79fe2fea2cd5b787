/* WinAuth exports, as text and as ZIP. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(winauth, .init = setup, .timeout = 120);

#define WINAUTH "stratum-test-data/winauth.zip"

#define PLAIN "aegis-importers/plain.txt"

static int run(const char *format, const void *data, size_t len, const char *password,
               struct ov_import_report *r)
{
    struct ov_import_options o = { .format = format, .password = password,
                                   .password_len = password != NULL ? strlen(password) : 0 };
    struct ov_blob in = { data, len, "test.zip" };
    return ov_import_run(&in, 1, &o, NULL, r);
}

static bool has_note(const struct ov_import_report *r, const char *needle)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strstr(r->notes[i].text, needle) != NULL)
            return true;
    return false;
}

static void assert_winauth(const char *rel, const char *password, size_t count,
                           const char *first_issuer)
{
    size_t len;
    char *data = fixture_read(rel, &len);
    struct ov_import_report r;

    cr_assert_eq(run("winauth", data, len, password, &r), OV_OK, "%s", r.notes[0].text);
    cr_assert_eq(r.accounts.len, count);
    for (size_t i = 0; i < count; i++)
        cr_assert_str_eq(r.accounts.items[i].name, "WinAuth");
    cr_assert_str_eq(r.accounts.items[0].issuer, first_issuer);
    ov_import_report_free(&r);

    /* By content the same file keeps its labels. */
    cr_assert_eq(run(NULL, data, len, password, &r), OV_OK);
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
    cr_assert_eq(run("winauth", "hello\n", 6, NULL, &r), OV_ERR_INVALID);
    cr_assert(has_note(&r, "test.zip: "));
    ov_import_report_free(&r);
}
