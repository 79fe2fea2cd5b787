/* FreeOTP+ JSON exports. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(freeotp_plus, .init = setup);

Test(freeotp_plus, freeotp_plus_keeps_stored_counters_and_checks_bytes)
{
    const char *doc = "{\"tokenOrder\":[],\"tokens\":["
                      "{\"type\":\"HOTP\",\"counter\":9,\"issuerExt\":\"A\",\"label\":\"a\","
                      "\"secret\":[-1,0,127,-128]},"
                      "{\"type\":\"TOTP\",\"issuerExt\":\"Steam\",\"label\":\"s\",\"digits\":6,"
                      "\"secret\":[1,2,3]},"
                      "{\"type\":\"TOTP\",\"issuerInt\":\"I\",\"label\":\"i\",\"secret\":[1]},"
                      "{\"type\":\"TOTP\",\"label\":\"x\",\"secret\":[1,300]},"
                      "{\"type\":\"TOTP\",\"label\":\"y\",\"secret\":[1,\"2\"]},"
                      "{\"type\":\"TOTP\",\"label\":\"z\",\"secret\":[]},"
                      "{\"type\":\"MOTP\",\"label\":\"m\",\"secret\":[1]},"
                      "{\"label\":\"n\",\"secret\":null}]}";
    struct import_result r;

    import_str("freeotp-plus", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3);
    cr_assert_eq(r.accounts.items[0].counter, 9);
    cr_assert_eq(r.accounts.items[0].secret_len, 4);
    cr_assert_eq(r.accounts.items[0].secret[0], 0xFF);
    cr_assert_eq(r.accounts.items[0].secret[3], 0x80);
    cr_assert_eq(r.accounts.items[1].type, OV_STEAM);
    cr_assert_eq(r.accounts.items[1].digits, 5);
    cr_assert_str_eq(r.accounts.items[2].issuer, "I");
    cr_assert_eq(import_failures(&r), 5);
    cr_assert(import_said(&r, "'secret' element 2 is not a byte"));
    cr_assert(import_said(&r, "'secret' is empty"));
    cr_assert(import_said(&r, "unknown OTP type 'MOTP'"));
    cr_assert(import_said(&r, "'secret' is missing"));
    import_result_free(&r);
}
