/* What the nine plain JSON formats (Aegis, andOTP, 2FAS, FreeOTP+, Proton, Duo, Steam,
 * LastPass, Bitwarden Authenticator) share: each detected by content alone, none claiming
 * another's file or garbage, every cut of a plain file a clear error. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(json_formats, .init = setup);

/* Which importer reads each fixture, by content alone. */
static const struct {
    const char *file, *importer;
} detected[] = {
    { "aegis-importers/aegis_plain.json", "aegis" },
    { "aegis-importers/aegis_encrypted.json", "aegis" },
    { "aegis-importers/aegis_plain_grouped_v2.json", "aegis" },
    { "stratum-test-data/aegis.unencrypted.json", "aegis" },
    { "aegis-importers/andotp_plain.json", "andotp" },
    { "aegis-importers/andotp_encrypted.bin", "andotp" },
    { "aegis-importers/andotp_encrypted_old.bin", "andotp" },
    { "stratum-test-data/andotp.encrypted.bin", "andotp" },
    { "aegis-importers/2fas_authenticator.json", "2fas" },
    { "aegis-importers/2fas_authenticator_encrypted_v4.2fas", "2fas" },
    { "stratum-test-data/twofas.unencrypted.2fas", "2fas" },
    { "aegis-importers/freeotp_plus.json", "freeotp-plus" },
    { "stratum-test-data/freeotpplus.json", "freeotp-plus" },
    { "aegis-importers/proton_authenticator.json", "proton" },
    { "aegis-importers/duo.json", "duo" },
    { "aegis-importers/steam.json", "steam" },
    { "aegis-importers/steam_old.json", "steam" },
    { "stratum-test-data/lastpass.json", "lastpass" },
    { "stratum-test-data/bitwardenauthenticator.json", "bitwarden-authenticator" },
};

/* Files of other formats that none of these importers may claim. */
static const char *const not_ours[] = {
    "aegis-importers/plain.txt", "aegis-importers/bitwarden.json",
    "aegis-importers/stratum_plain.json", "aegis-importers/stratum_encrypted.bin",
    "aegis-importers/freeotp_v2_api23.xml", "aegis-importers/google_authenticator.sqlite",
    "aegis-importers/authenticator_plus.zip", "aegis-importers/qr_camera_photo.png",
    "aegis-importers/totp_authenticator.bin", "stratum-test-data/authplus.db",
    "stratum-test-data/bitwarden.unencrypted.json", "stratum-test-data/ente.encrypted.json",
    "stratum-test-data/bitwarden.encrypted.pbkdf2.json", "stratum-test-data/winauth.zip",
};

static const char *const ours[] = { "aegis", "andotp", "2fas", "freeotp-plus", "proton", "duo",
                                    "steam", "lastpass", "bitwarden-authenticator" };

Test(json_formats, each_format_is_detected_by_content)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/EXPECTED.json");
    for (size_t i = 0; i < sizeof detected / sizeof *detected; i++) {
        size_t len;
        char *data = fixture_read(detected[i].file, &len);
        struct ov_blob in = { (const uint8_t *)data, len, detected[i].file };
        const struct ov_importer *imp;

        cr_assert_not_null(data, "%s", detected[i].file);
        imp = ov_importer_detect(&in);
        cr_assert_not_null(imp, "%s: not detected", detected[i].file);
        cr_assert_str_eq(imp->name, detected[i].importer, "%s", detected[i].file);
        free(data);
    }
}

Test(json_formats, other_formats_are_left_alone)
{
    SKIP_WITHOUT_FIXTURE("aegis-importers/EXPECTED.json");
    for (size_t i = 0; i < sizeof not_ours / sizeof *not_ours; i++) {
        size_t len;
        char *data = fixture_read(not_ours[i], &len);
        struct ov_blob in = { (const uint8_t *)data, len, not_ours[i] };

        cr_assert_not_null(data, "%s", not_ours[i]);
        for (size_t k = 0; k < sizeof ours / sizeof *ours; k++)
            cr_assert_eq(ov_importer_find(ours[k])->sniff(&in), 0, "%s claims %s", ours[k],
                         not_ours[i]);
        free(data);
    }
}

Test(json_formats, garbage_is_not_claimed_and_fails_clearly)
{
    static const char *const junk[] = { "", " ", "{", "[", "null", "42", "\"x\"", "{}", "[]",
                                        "[1,2]", "{\"a\":{\"b\":[{}]}}", "\xEF\xBB\xBF",
                                        "otpauth://totp/x?secret=AAAA", "\x01\x02" };

    for (size_t j = 0; j < sizeof junk / sizeof *junk; j++) {
        struct ov_blob in = { (const uint8_t *)junk[j], strlen(junk[j]), "junk" };
        for (size_t k = 0; k < sizeof ours / sizeof *ours; k++) {
            struct import_result r;
            cr_assert_eq(ov_importer_find(ours[k])->sniff(&in), 0, "%s claims junk %zu",
                         ours[k], j);
            import_with(ours[k], junk[j], strlen(junk[j]), "pw", &r);
            /* "[]" and "{...}" with an empty list read fine but give nothing; the pipeline
             * turns that into "no account could be read". */
            if (r.rc == OV_OK)
                cr_assert_eq(r.accounts.len, 0, "%s on junk %zu", ours[k], j);
            else
                cr_assert(r.err.msg[0] != '\0', "%s on junk %zu: no message", ours[k], j);
            import_result_free(&r);
        }
    }
}

/* Every prefix of each plain file fails cleanly (the encrypted ones: test_aegis.c, test_andotp.c, test_2fas.c). */
Test(json_formats, truncated_plain_files_fail_cleanly)
{
    static const struct {
        const char *file, *importer;
    } plain[] = {
        { "aegis-importers/aegis_plain.json", "aegis" },
        { "aegis-importers/andotp_plain.json", "andotp" },
        { "aegis-importers/2fas_authenticator_plain_v4.2fas", "2fas" },
        { "aegis-importers/freeotp_plus.json", "freeotp-plus" },
        { "aegis-importers/proton_authenticator.json", "proton" },
        { "aegis-importers/duo.json", "duo" },
        { "aegis-importers/steam.json", "steam" },
        { "aegis-importers/steam_old.json", "steam" },
        { "stratum-test-data/lastpass.json", "lastpass" },
        { "stratum-test-data/bitwardenauthenticator.json", "bitwarden-authenticator" },
    };

    SKIP_WITHOUT_FIXTURE("aegis-importers/EXPECTED.json");
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        size_t len;
        char *data = fixture_read(plain[i].file, &len);
        cr_assert_not_null(data, "%s", plain[i].file);
        cr_assert_eq(import_cuts_fail(plain[i].importer, data, len, NULL, 0, 1), len);
        free(data);
    }
}
