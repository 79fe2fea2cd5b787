/* Steam (Steam Desktop Authenticator style) JSON. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(steam, .init = setup);

Test(steam, steam_reads_every_account_of_the_new_layout)
{
    const char *doc = "{\"accounts\":{"
                      "\"1\":{\"shared_secret\":\"THIl8+Jl6ugxr8x0X6eRMg==\",\"account_name\":\"a\"},"
                      "\"2\":{\"shared_secret\":\"not base64!\",\"account_name\":\"b\"},"
                      "\"3\":{\"account_name\":\"c\"},"
                      "\"4\":{\"shared_secret\":\"THIl8+Jl6ugxr8x0X6eRMg\",\"account_name\":null}}}";
    struct import_result r;

    import_str("steam", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_eq(r.accounts.items[0].type, OV_STEAM);
    cr_assert_eq(r.accounts.items[0].digits, 5);
    cr_assert_str_eq(r.accounts.items[0].issuer, "Steam");
    cr_assert_str_eq(r.accounts.items[1].name, "", "null name: empty, Base64 without padding");
    cr_assert_eq(import_failures(&r), 2);
    cr_assert(import_said(&r, "entry 2 (Steam: b): invalid character '!' at position 11 of the secret (Base64)"),
              "%s", import_first_issue(&r));
    cr_assert(import_said(&r, "entry 3 (Steam: c): 'shared_secret' is missing"));
    import_result_free(&r);

    import_str("steam", "{\"accounts\":[]}", NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(import_said(&r, "'accounts' is an array, expected an object"));
    import_result_free(&r);
}
