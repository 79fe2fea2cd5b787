/* LastPass Authenticator exports. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(lastpass, .init = setup);

Test(lastpass, lastpass_folders_become_groups)
{
    const char *doc = "{\"version\":3,\"localDeviceId\":\"x\","
                      "\"folders\":[{\"id\":0,\"name\":\"Other accounts\"},{\"id\":7,\"name\":\"Work\"}],"
                      "\"accounts\":["
                      "{\"issuerName\":\"A\",\"userName\":\"u\",\"secret\":\"JBSWY3DPEHPK3PXP\","
                      "\"timeStep\":60,\"digits\":8,\"algorithm\":\"SHA512\","
                      "\"folderData\":{\"folderId\":7}},"
                      "{\"issuerName\":null,\"userName\":\"B:v\",\"secret\":\"JBSWY3DPEHPK3PXP\","
                      "\"timeStep\":null,\"digits\":null,\"algorithm\":null,"
                      "\"folderData\":{\"folderId\":0}},"
                      "{\"issuerName\":\"C\",\"secret\":\"JBSWY3DPEHPK3PXP\",\"algorithm\":\"MD4\"},"
                      "{\"issuerName\":\"D\",\"secret\":\"JBSWY3DPEHPK3PXP\",\"timeStep\":0},"
                      "{\"issuerName\":\"E\",\"secret\":[1]}]}";
    struct import_result r;

    import_str("lastpass", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_str_eq(r.accounts.items[0].group, "Work");
    cr_assert_eq(r.accounts.items[0].period, 60);
    cr_assert_eq(r.accounts.items[0].algo, OV_SHA512);
    cr_assert_null(r.accounts.items[1].group, "folder 0 is 'no folder'");
    cr_assert_str_eq(r.accounts.items[1].issuer, "B");
    cr_assert_eq(r.accounts.items[1].digits, 6);
    cr_assert_eq(import_failures(&r), 3);
    cr_assert(import_said(&r, "unknown algorithm 'MD4'"));
    cr_assert(import_said(&r, "'timeStep' is 0, outside"));
    cr_assert(import_said(&r, "'secret' is an array, expected a string"));
    import_result_free(&r);
}
