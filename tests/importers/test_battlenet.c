/* Battle.net Authenticator preferences. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/android_prefs.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(battlenet, .init = setup, .timeout = 120);

#define BATTLENET "aegis-importers/battle_net_authenticator.xml"

static const char mask_hex[] = "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6"
                               "c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a";

/* hex(text XOR mask), as the app stores it. */
static char *masked(const char *text)
{
    uint8_t key[64];
    size_t key_len = 0, n = strlen(text);
    char *out = malloc(2 * n + 1);

    cr_assert_eq(ov_hex_decode(mask_hex, strlen(mask_hex), key, &key_len, NULL), OV_OK);
    cr_assert_leq(n, key_len);
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", (uint8_t)text[i] ^ key[i]);
    out[2 * n] = '\0';
    return out;
}

#define BNET "com.blizzard.messenger."

static void expect_battlenet_error(const char *body, int code, const char *needle)
{
    char *xml = android_prefs_file("%s", body);
    struct import_result r;

    import_with("battlenet", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, code, "%s: %s", body, r.err.msg);
    cr_assert(strstr(r.err.msg, needle) != NULL, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 0);
    import_result_free(&r);
    free(xml);
}

Test(battlenet, battlenet_fixture)
{
    struct import_result r;
    const struct ov_account *a;
    uint8_t want[20];
    size_t want_len, len;
    char *data;

    SKIP_WITHOUT_FIXTURE(BATTLENET);
    data = fixture_read(BATTLENET, &len);
    import_with("battlenet", data, len, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    a = import_find(&r, "Battle.net", "US-2211-2050-3346");
    cr_assert_not_null(a);
    cr_assert_eq(ov_base32_decode("BMGRXPGFARQQF4GMT25JATL2VYLAHDBI", want, &want_len, NULL),
                 OV_OK);
    cr_assert_eq(a->secret_len, want_len);
    cr_assert_eq(memcmp(a->secret, want, want_len), 0);
    cr_assert(a->digits == 8 && a->period == 30 && a->algo == OV_SHA1);
    import_result_free(&r);
    import_cuts_fail("battlenet", data, len, NULL, 0, 1);
    import_mutations("battlenet", data, len, NULL, 2000, 99);
    free(data);
}

Test(battlenet, battlenet_old_app_hash)
{
    char *hash = masked("3132333435363738393031323334353637383930EU-1234-5678-9012");
    char *xml = android_prefs_file("<string name=\"com.blizzard.bma.AUTH_STORE.HASH\">%s</string>\n", hash);
    struct import_result r;
    const struct ov_account *a;

    import_with("battlenet", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    a = import_find(&r, "Battle.net", "EU-1234-5678-9012");
    cr_assert_not_null(a);
    cr_assert_eq(a->secret_len, 20);
    cr_assert_eq(memcmp(a->secret, "12345678901234567890", 20), 0);
    import_result_free(&r);
    free(xml);
    free(hash);
}

Test(battlenet, battlenet_damaged_values)
{
    char *serial = masked("US-2211-2050-3346");
    char *secret = masked("3132333435363738393031323334353637383930");
    char *not_hex = masked("3132333435363738393031323334353637383zz0");
    char *control = masked("US\x01");
    char *too_long = malloc(2 * 58 + 1);
    char body[4096];

    memset(too_long, 'a', 2 * 58);
    too_long[2 * 58] = '\0';
    snprintf(body, sizeof body, "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>",
             serial);
    expect_battlenet_error(body, OV_ERR_INVALID, "no " BNET "AUTHENTICATOR_DEVICE_SECRET");
    snprintf(body, sizeof body, "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s"
             "</string>", secret);
    expect_battlenet_error(body, OV_ERR_INVALID, "no " BNET "AUTHENTICATOR_SERIAL");
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE\">AES</string>",
             serial, secret);
    expect_battlenet_error(body, OV_ERR_UNSUPPORTED, "only MASK");
    static const struct {
        const char *serial, *secret, *needle;
    } bad[] = {
        { "abc", NULL, "not the hex" },
        { "", NULL, "not the hex" },
        { "zz", NULL, "zz" },
        { NULL, "", "not the hex" },
        { NULL, "a", "not the hex" },
        { NULL, "!", "not the hex" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(body, sizeof body,
                 "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
                 "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
                 bad[i].serial != NULL ? bad[i].serial : serial,
                 bad[i].secret != NULL ? bad[i].secret : secret);
        expect_battlenet_error(body, OV_ERR_INVALID, bad[i].needle);
    }
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
             serial, too_long);
    expect_battlenet_error(body, OV_ERR_INVALID, "at most 57");
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
             serial, not_hex);
    expect_battlenet_error(body, OV_ERR_INVALID, "does not unmask to hex");
    snprintf(body, sizeof body,
             "<string name=\"" BNET "AUTHENTICATOR_SERIAL\">%s</string>"
             "<string name=\"" BNET "AUTHENTICATOR_DEVICE_SECRET\">%s</string>",
             control, secret);
    expect_battlenet_error(body, OV_ERR_INVALID, "does not unmask to text");
    snprintf(body, sizeof body, "<string name=\"com.blizzard.bma.AUTH_STORE.HASH\">%s</string>",
             serial);
    expect_battlenet_error(body, OV_ERR_INVALID, "too short");
    free(serial);
    free(secret);
    free(not_hex);
    free(control);
    free(too_long);
}
