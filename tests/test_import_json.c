/* The plain JSON importers (FreeOTP+, Proton, Duo, Steam, LastPass, Bitwarden Authenticator,
 * plain Aegis/andOTP/2FAS), and detection of every JSON format by content: truncated files,
 * garbage, wrong JSON types, missing and null fields give clear errors or per-entry issues,
 * never a crash (make check runs this under ASan/UBSan). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/json_sniff.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(import_json, .init = setup);

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

Test(import_json, each_format_is_detected_by_content)
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

Test(import_json, other_formats_are_left_alone)
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

Test(import_json, garbage_is_not_claimed_and_fails_clearly)
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

/* Every prefix of each plain file fails cleanly (the encrypted ones: test_import_json_crypto). */
Test(import_json, truncated_plain_files_fail_cleanly)
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

/* --- json_sniff --------------------------------------------------------------------------- */

static char scan(const char *text, struct js_probe *p, size_t n)
{
    struct ov_blob in = { (const uint8_t *)text, strlen(text), "t" };
    return js_scan(&in, p, n);
}

Test(import_json, sniff_counts_depth_and_skips_strings)
{
    struct js_probe p[] = { { "a", 1, false, 0 }, { "b", 3, false, 0 }, { "c", 4, false, 0 },
                            { "x", 1, false, 0 } };

    cr_assert_eq(scan("{\"s\": \"{\\\"x\\\": 1}\", \"a\": [{\"b\": {\"c\": null}}]}", p, 4),
                 '{');
    cr_assert(p[0].found && p[0].value_start == '[');
    cr_assert(p[1].found && p[1].value_start == '{');
    cr_assert(p[2].found && p[2].value_start == 'n');
    cr_assert(!p[3].found, "a key inside a string value is no key");
    /* Values are not keys, and a key at another depth does not count. */
    cr_assert_eq(scan("{\"k\": \"a\", \"z\": {\"a\": 1}}", p, 1), '{');
    cr_assert(!p[0].found);
    p[1].depth = 2;
    cr_assert_eq(scan("[{\"b\": 1}]", p + 1, 1), '[');
    cr_assert(p[1].found && p[1].value_start == '1');
}

Test(import_json, sniff_survives_unbalanced_and_deep_input)
{
    struct js_probe p[] = { { "a", 1, false, 0 } };
    char *deep = malloc(20001);

    for (size_t i = 0; i < 10000; i++) {
        deep[i] = '[';
        deep[10000 + i] = ']';
    }
    deep[0] = '{';
    deep[20000] = '\0';
    cr_assert_eq(scan(deep, p, 1), '{');
    cr_assert(!p[0].found);
    free(deep);
    cr_assert_eq(scan("}}}]]{\"a\"", p, 1), 0, "not JSON-looking: does not start with { or [");
    cr_assert_eq(scan("{\"a", p, 1), '{');
    cr_assert(!p[0].found);
    cr_assert_eq(scan("{\"a\":", p, 1), '{');
    cr_assert(p[0].found && p[0].value_start == 0);
    cr_assert_eq(scan("\xEF\xBB\xBF \n{\"a\":\"\\\\\"}", p, 1), '{');
    cr_assert(p[0].found && p[0].value_start == '"');
}

/* --- Proton ------------------------------------------------------------------------------- */

Test(import_json, proton_entries_take_the_app_name_and_note)
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

/* --- Duo ---------------------------------------------------------------------------------- */

Test(import_json, duo_push_accounts_are_noted_not_failed)
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

/* --- Steam -------------------------------------------------------------------------------- */

Test(import_json, steam_reads_every_account_of_the_new_layout)
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

/* --- LastPass ----------------------------------------------------------------------------- */

Test(import_json, lastpass_folders_become_groups)
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

/* --- Bitwarden Authenticator -------------------------------------------------------------- */

Test(import_json, bitwarden_authenticator_fills_names_from_the_item)
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

/* --- FreeOTP+ ----------------------------------------------------------------------------- */

Test(import_json, freeotp_plus_keeps_stored_counters_and_checks_bytes)
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
    cr_assert(import_said(&r, "secret byte 2 is not a byte"));
    cr_assert(import_said(&r, "the secret is empty"));
    cr_assert(import_said(&r, "unknown OTP type 'MOTP'"));
    cr_assert(import_said(&r, "'secret' is missing"));
    import_result_free(&r);
}

/* Text from the file reaches the terminal in messages: control characters are escaped. */
Test(import_json, untrusted_text_in_messages_is_printable)
{
    const char *doc = "[{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"\\u001b]0;x\\u0007\","
                      "\"label\":\"a\",\"type\":\"\\u001b[31mTOTP\"},"
                      "{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"b\",\"label\":\"b\","
                      "\"digits\":\"\\u001b[2J\"}]";
    struct import_result r;

    import_str("andotp", doc, NULL, &r);
    cr_assert_eq(import_failures(&r), 2);
    for (size_t i = 0; i < r.opts.nissues; i++)
        cr_assert_null(strchr(r.opts.issues[i].message, '\x1b'), "%zu", i);
    cr_assert(import_said(&r, "unknown OTP type '\\x1B[31mTOTP'"), "%s",
              import_first_issue(&r));
    cr_assert(import_said(&r, "(\\x1B]0;x\\x07: a)"), "%s", import_first_issue(&r));
    import_result_free(&r);
    import_str("aegis", "{\"header\":\x1b[1m", NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert_null(strchr(r.err.msg, '\x1b'), "%s", r.err.msg);
    import_result_free(&r);
}

/* The pipeline shows an entry skipped on purpose as a note, not as a failed entry. */
Test(import_json, skipped_entries_are_notes_not_failures)
{
    const char *doc = "[{\"secret\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"A\",\"label\":\"a\","
                      "\"type\":\"TOTP\"},"
                      "{\"secret\":\"JBSWY3DPEHPK3PXQ\",\"issuer\":\"M\",\"label\":\"m\","
                      "\"type\":\"MOTP\"},"
                      "{\"secret\":\"1\",\"issuer\":\"B\",\"label\":\"b\",\"type\":\"TOTP\"}]";
    struct ov_blob in = { (const uint8_t *)doc, strlen(doc), "backup.json" };
    struct ov_import_options o = { 0 };
    struct ov_import_report r;
    size_t info = 0, failed = 0;

    cr_assert_eq(ov_import_run(&in, 1, &o, NULL, &r), OV_OK);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_eq(r.entries_failed, 1);
    for (size_t i = 0; i < r.nnotes; i++) {
        info += r.notes[i].kind == OV_NOTE_INFO;
        failed += r.notes[i].kind == OV_NOTE_ENTRY_FAILED;
        cr_assert(strncmp(r.notes[i].text, "backup.json: entry ", 19) == 0, "%s",
                  r.notes[i].text);
    }
    cr_assert_eq(info, 1);
    cr_assert_eq(failed, 1);
    ov_import_report_free(&r);
}
