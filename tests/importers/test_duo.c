/* Duo Mobile account lists. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(duo, .init = setup);

Test(duo, duo_push_accounts_are_noted_not_failed)
{
    const char *doc = "[{\"name\":\"Acme:bob\",\"otpGenerator\":{\"otpSecret\":\"JBSWY3DPEHPK3PXP\","
                      "\"counter\":null}},"
                      "{\"name\":\"Push only\",\"accountType\":\"DuoPush\"},"
                      "{\"name\":\"h\",\"otpGenerator\":{\"otpSecret\":\"JBSWY3DPEHPK3PXP\","
                      "\"counter\":-1}},"
                      "{\"name\":\"s\",\"otpGenerator\":{\"otpSecret\":null}},"
                      "{\"name\":\"t\",\"otpGenerator\":[]}]";
    struct import_result r;

    import_str("duo", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_eq(r.accounts.items[0].type, OV_TOTP, "a null counter is no counter");
    cr_assert_str_eq(r.accounts.items[0].issuer, "Acme", "design.md 4.1 split");
    cr_assert_str_eq(r.accounts.items[0].name, "bob");
    cr_assert_eq(import_infos(&r), 1);
    cr_assert(import_said(&r, "entry 2 (Push only): no OTP secret"), "%s",
              import_first_issue(&r));
    cr_assert_eq(import_failures(&r), 3);
    cr_assert(import_said(&r, "'counter' is -1, outside"));
    cr_assert(import_said(&r, "'otpSecret' is missing"));
    cr_assert(import_said(&r, "'otpGenerator' is an array, expected an object"));
    import_result_free(&r);
}
