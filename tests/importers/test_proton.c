/* Proton Authenticator exports. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(proton, .init = setup);

Test(proton, proton_entries_take_the_app_name_and_note)
{
    const char *doc = "{\"version\":1,\"entries\":["
        "{\"content\":{\"uri\":\"otpauth://totp/Acme:old?secret=JBSWY3DPEHPK3PXP&issuer=Acme\","
        "\"entry_type\":\"Totp\",\"name\":\"alice\"},\"note\":\"desk\"},"
        "{\"content\":{\"uri\":\"otpauth://totp/x?secret=JBSWY3DPEHPK3P\"}},"
        "{\"content\":{\"uri\":5}},"
        "{\"content\":null},"
        "\"text\","
        "{\"content\":{\"uri\":\"steam://JBSWY3DPEHPK3PXP\",\"name\":null},\"note\":null}]}";
    struct import_result r;

    import_str("proton", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_str_eq(r.accounts.items[0].issuer, "Acme");
    cr_assert_str_eq(r.accounts.items[0].name, "alice");
    cr_assert_str_eq(r.accounts.items[0].note, "desk");
    cr_assert_eq(r.accounts.items[1].type, OV_STEAM);
    cr_assert_eq(import_failures(&r), 4, "%s", import_first_issue(&r));
    cr_assert(import_said(&r, "entry 2"), "a bad secret is entry 2's issue");
    cr_assert(import_said(&r, "'uri' is a number, expected a string"));
    cr_assert(import_said(&r, "'content' is missing"));
    cr_assert(import_said(&r, "entry 5: is a string, expected an object"));
    import_result_free(&r);

    import_str("proton", "{\"entries\":{}}", NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(import_said(&r, "'entries' is an object, expected an array"), "%s", r.err.msg);
    import_result_free(&r);
}
