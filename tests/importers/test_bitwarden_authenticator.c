/* Bitwarden Authenticator JSON exports. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(bitwarden_authenticator, .init = setup);

Test(bitwarden_authenticator, bitwarden_authenticator_fills_names_from_the_item)
{
    const char *doc = "{\"encrypted\":false,\"items\":["
                      "{\"name\":\"Acme\",\"login\":{\"totp\":\"JBSWY3DPEHPK3PXP\"}},"
                      "{\"name\":\"Site\",\"login\":{\"totp\":\"otpauth://totp/?secret=JBSWY3DPEHPK3PXQ\"}},"
                      "{\"name\":\"S\",\"login\":{\"totp\":\"steam://JBSWY3DPEHPK3PXR\"}},"
                      "{\"name\":\"Card\",\"type\":3},"
                      "{\"name\":\"Bad\",\"login\":{\"totp\":\"otpauth://totp/x?secret=1\"}},"
                      "{\"name\":\"Bad2\",\"login\":{\"totp\":\"@@@\"}}]}";
    struct import_result r;

    import_str("bitwarden-authenticator", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3);
    cr_assert_str_eq(r.accounts.items[0].issuer, "Acme");
    cr_assert_eq(r.accounts.items[0].type, OV_TOTP);
    cr_assert_str_eq(r.accounts.items[1].issuer, "Site", "no issuer in the URI: item name");
    cr_assert_eq(r.accounts.items[2].type, OV_STEAM);
    cr_assert_eq(import_infos(&r), 1);
    cr_assert(import_said(&r, "entry 4 (Card): no TOTP key"));
    cr_assert_eq(import_failures(&r), 2);
    cr_assert(import_said(&r, "entry 5 (Bad): the URI:"), "%s", import_first_issue(&r));
    import_result_free(&r);

    import_str("bitwarden-authenticator", "{\"encrypted\":true,\"items\":[]}", NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_UNSUPPORTED);
    import_result_free(&r);
}
