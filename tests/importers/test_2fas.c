/* 2FAS backups, plain and encrypted: fields, defaults, groups, damage and truncation. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(twofas, .init = setup);

#define TWOFAS_ENC "aegis-importers/2fas_authenticator_encrypted_v3.2fas"

Test(twofas, twofas_fields_defaults_and_groups)
{
    const char *doc =
        "{\"schemaVersion\":4,\"groups\":[{\"id\":\"g\",\"name\":\"Home\"}],\"services\":["
        "{\"name\":\"A\",\"secret\":\"jbsw y3dp-ehpk 3pxp\",\"groupId\":\"g\",\"otp\":{\"account\":"
        "\"a\",\"tokenType\":\"HOTP\",\"counter\":7,\"algorithm\":null,\"digits\":null}},"
        "{\"name\":\"\",\"secret\":\"JBSWY3DPEHPK3PXQ\",\"groupId\":\"nope\",\"otp\":{\"issuer\":"
        "\"I\",\"account\":\"b\",\"tokenType\":\"STEAM\",\"digits\":5}},"
        "{\"name\":\"C\",\"secret\":\"JBSWY3DPEHPK3PXR\"},"
        "{\"name\":\"D\",\"secret\":\"JBSWY3DPEHPK3PXS\",\"otp\":{\"tokenType\":\"FOO\"}},"
        "{\"name\":\"E\",\"secret\":\"JBSWY3DPEHPK3PXT\",\"otp\":{\"period\":-5}},"
        "{\"name\":\"F\",\"otp\":{}},"
        "{\"name\":\"G\",\"secret\":\"JBSWY3DPEHPK3PXU\",\"otp\":\"x\"},"
        "null]}";
    struct import_result r;

    import_str("2fas", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3, "%s", import_first_issue(&r));
    cr_assert_eq(r.accounts.items[0].type, OV_HOTP);
    cr_assert_eq(r.accounts.items[0].counter, 7);
    cr_assert_eq(r.accounts.items[0].algo, OV_SHA1);
    cr_assert_str_eq(r.accounts.items[0].group, "Home");
    cr_assert_eq(r.accounts.items[1].type, OV_STEAM);
    cr_assert_str_eq(r.accounts.items[1].issuer, "I", "empty service name: the OTP issuer");
    cr_assert_null(r.accounts.items[1].group);
    cr_assert_eq(r.accounts.items[2].period, 30);
    cr_assert_eq(import_failures(&r), 5);
    cr_assert(import_said(&r, "unknown token type 'FOO'"));
    cr_assert(import_said(&r, "'period' is -5"));
    cr_assert(import_said(&r, "entry 6 (F): 'secret' is missing"));
    cr_assert(import_said(&r, "'otp' is a string, expected an object"));
    cr_assert(import_said(&r, "entry 8: is missing, expected an object") ||
              import_said(&r, "entry 8: is null"), "%s", import_first_issue(&r));
    import_result_free(&r);
}

Test(twofas, twofas_file_level_errors)
{
    static const struct {
        const char *doc;
        int rc;
        const char *says;
    } cases[] = {
        { "{\"schemaVersion\":5,\"services\":[]}", OV_ERR_UNSUPPORTED, "schema version 5" },
        { "{\"schemaVersion\":0,\"services\":[]}", OV_ERR_UNSUPPORTED, "schema version 0" },
        { "{\"services\":[]}", OV_ERR_INVALID, "no 'schemaVersion'" },
        { "{\"schemaVersion\":null,\"services\":[]}", OV_ERR_INVALID, "no 'schemaVersion'" },
        { "{\"schemaVersion\":\"x\",\"services\":[]}", OV_ERR_INVALID, "'schemaVersion'" },
        { "{\"schemaVersion\":2,\"services\":{}}", OV_ERR_INVALID, "'services' is an object" },
        { "{\"schemaVersion\":2}", OV_ERR_INVALID, "'services' is missing" },
        { "{\"schemaVersion\":2,\"services\":null}", OV_ERR_INVALID, "'services' is missing" },
        { "{\"schemaVersion\":2,\"services\":[],\"groups\":{}}", OV_ERR_INVALID, "'groups'" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":7}", OV_ERR_INVALID,
          "'servicesEncrypted' is a number" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"abc\"}", OV_ERR_INVALID,
          "not ciphertext:salt:IV" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"!!!!:AAAA:AAAA\"}", OV_ERR_INVALID,
          "the ciphertext" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"AAAA:AAAA:AAAA\"}", OV_ERR_INVALID,
          "3-byte ciphertext" },
        { "{\"schemaVersion\":2,\"servicesEncrypted\":\"AAAAAAAAAAAAAAAAAAAAAA==:AAAA:\"}",
          OV_ERR_INVALID, "0-byte IV" },
        { "[]", OV_ERR_INVALID, "expected an object" },
    };
    struct import_result r;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        import_str("2fas", cases[i].doc, "pw", &r);
        cr_assert_eq(r.rc, cases[i].rc, "case %zu: %d %s", i, r.rc, r.err.msg);
        cr_assert(import_said(&r, cases[i].says), "case %zu: %s", i, r.err.msg);
        import_result_free(&r);
    }
    /* With "services": [] and an empty servicesEncrypted, the plain list is read. */
    import_str("2fas", "{\"schemaVersion\":2,\"services\":[],\"servicesEncrypted\":\"\"}", NULL,
               &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    import_result_free(&r);
}

Test(twofas, twofas_encrypted_password_damage_and_truncation)
{
    json_t *doc = fixture_json(TWOFAS_ENC), *d;
    struct import_result r;
    size_t len;
    char *data, *enc;

    if (doc == NULL)
        SKIP_WITHOUT_FIXTURE(TWOFAS_ENC);
    import_json("2fas", doc, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_said(&r, "a password is needed"), "%s", r.err.msg);
    import_result_free(&r);
    import_json("2fas", doc, "TEST", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert_str_eq(r.err.msg, "wrong password or damaged file");
    import_result_free(&r);

    /* Cut the ciphertext (to a shorter valid Base64 text), and change one character. */
    enc = strdup(json_string_value(json_object_get(doc, "servicesEncrypted")));
    d = json_deep_copy(doc);
    json_object_set_new(d, "servicesEncrypted", json_string(enc + 8));
    import_json("2fas", d, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH, "%s", r.err.msg);
    import_result_free(&r);
    enc[5] = enc[5] == 'A' ? 'B' : 'A';
    json_object_set_new(d, "servicesEncrypted", json_string(enc));
    import_json("2fas", d, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH, "%s", r.err.msg);
    import_result_free(&r);
    free(enc);
    json_decref(d);
    json_decref(doc);

    data = fixture_read(TWOFAS_ENC, &len);
    cr_assert_eq(import_cuts_fail("2fas", data, len, "test", 0, 3), (len + 2) / 3);
    free(data);
}

Test(twofas, twofas_decrypted_content_is_checked)
{
    const char *plain = "{\"not\":\"a list\"}";
    uint8_t salt[256], iv[12], key[32], *ct;
    size_t plen = strlen(plain);
    char *b64ct, b64salt[400], b64iv[32], *field;
    struct ov_error err;
    struct import_result r;
    json_t *doc;

    memset(salt, 0x5a, sizeof salt);
    memset(iv, 0x6b, sizeof iv);
    cr_assert_eq(ov_kdf_pbkdf2(OV_SHA256, "pw", 2, salt, sizeof salt, 10000, key, 32, &err),
                 OV_OK);
    ct = malloc(plen + 16);
    cr_assert_eq(ov_aes_gcm_encrypt(key, 32, iv, 12, NULL, 0, (const uint8_t *)plain, plen, ct,
                                    ct + plen, &err), OV_OK);
    b64ct = malloc(ov_base64_encoded_len(plen + 16) + 1);
    ov_base64_encode(ct, plen + 16, b64ct, 0);
    ov_base64_encode(salt, sizeof salt, b64salt, 0);
    ov_base64_encode(iv, sizeof iv, b64iv, 0);
    field = malloc(strlen(b64ct) + strlen(b64salt) + strlen(b64iv) + 3);
    sprintf(field, "%s:%s:%s", b64ct, b64salt, b64iv);
    doc = json_pack("{s:i,s:[],s:s}", "schemaVersion", 3, "services", "servicesEncrypted",
                    field);
    import_json("2fas", doc, "pw", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID, "%s", r.err.msg);
    cr_assert(import_said(&r, "the services are an object"), "%s", r.err.msg);
    import_result_free(&r);
    json_decref(doc);
    free(field);
    free(b64ct);
    free(ct);
}
