/* TOTP Authenticator: the encrypted backup (Base64 of AES-CBC under SHA-256(password)), the
 * app's built-in default password, and the internal preferences XML. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(totpauth, .init = setup, .timeout = 120);

#define BACKUP "aegis-importers/totp_authenticator.bin"
#define STRATUM "stratum-test-data/totpauthenticator.encrypted.bin"
#define INTERNAL "aegis-importers/totp_authenticator_internal.xml"

/* A backup of plaintext as the app writes it: Base64(AES-256-CBC(SHA-256(pw), zero IV)). */
static char *make_backup(const char *password, const char *plaintext)
{
    size_t n = strlen(plaintext), padded = (n / 16 + 1) * 16;
    uint8_t key[32], iv[16] = { 0 };
    uint8_t *buf = malloc(padded);
    char *out = malloc(ov_base64_encoded_len(padded) + 1);
    gcry_cipher_hd_t hd;

    memcpy(buf, plaintext, n);
    memset(buf + n, (int)(padded - n), padded - n);
    ov_hash(OV_SHA256, password, strlen(password), key);
    cr_assert_eq(gcry_cipher_open(&hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, 0), 0);
    gcry_cipher_setkey(hd, key, 32);
    gcry_cipher_setiv(hd, iv, 16);
    cr_assert_eq(gcry_cipher_encrypt(hd, buf, padded, NULL, 0), 0);
    gcry_cipher_close(hd);
    ov_base64_encode(buf, padded, out, 0);
    free(buf);
    return out;
}

/* The plaintext layout: {"<entry array as a JSON string>": "<timestamp>"}. */
static char *wrap(const char *array)
{
    json_t *o = json_object();
    char *s;

    json_object_set_new(o, array, json_string("1608293023"));
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static const char entries[] =
    "[{\"base\":16,\"digits\":\"7\",\"issuer\":\"Deno\",\"key\":\"E49270F0D21F365C\","
    "\"name\":\"mason\",\"period\":\"20\"}]";

Test(totpauth, fixtures)
{
    struct import_result r;
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(BACKUP);
    data = fixture_read(BACKUP, &len);
    import_with("totpauth", data, len, "Testtest1", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3);
    cr_assert_not_null(import_find(&r, "SPDX", "james"));
    /* Digits and period in the file are ignored, as Aegis does (the expected results). */
    for (size_t i = 0; i < 3; i++)
        cr_assert(r.accounts.items[i].digits == 6 && r.accounts.items[i].period == 30);
    import_result_free(&r);
    free(data);

    SKIP_WITHOUT_FIXTURE(INTERNAL);
    data = fixture_read(INTERNAL, &len);
    import_with("totpauth", data, len, NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 3);
    cr_assert_not_null(import_find(&r, "Airbnb", "elijah"));
    import_result_free(&r);
    free(data);
}

Test(totpauth, wrong_or_missing_password)
{
    struct import_result r;
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(STRATUM);
    data = fixture_read(STRATUM, &len);
    import_with("totpauth", data, len, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(strstr(r.err.msg, "password is needed") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    import_with("totpauth", data, len, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(strstr(r.err.msg, "wrong password") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    import_with("totpauth", data, len, "Testtest1", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_not_null(import_find(&r, "Unknown", "noissuer"));
    import_result_free(&r);
    free(data);
}

Test(totpauth, is_encrypted_and_sniffing)
{
    const struct ov_importer *imp = ov_importer_find("totpauth");
    char *plain = wrap(entries);
    char *b64 = make_backup("x", plain);
    const char *xml = "<?xml version='1.0'?><map><string name=\"STATIC_TOTP_CODES_LIST\">[]"
                      "</string></map>";
    struct ov_blob a = { (const uint8_t *)b64, strlen(b64), "a" };
    struct ov_blob b = { (const uint8_t *)xml, strlen(xml), "b" };
    struct ov_blob c = { (const uint8_t *)"SGVsbG8=", 8, "c" };

    cr_assert(imp->is_encrypted(&a));
    cr_assert_not(imp->is_encrypted(&b));
    cr_assert_eq(ov_importer_detect(&a), imp);
    cr_assert_eq(ov_importer_detect(&b), imp);
    cr_assert_eq(imp->sniff(&c), 0); /* too short to be a backup */
    free(plain);
    free(b64);
}

Test(totpauth, builtin_default_password)
{
    char *plain = wrap(entries);
    char *b64 = make_backup("TotpAuthenticator", plain);
    struct import_result r;

    /* Users who never set a password answer the prompt with an empty one. */
    import_with("totpauth", b64, strlen(b64), "", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_not_null(import_find(&r, "Deno", "mason"));
    import_result_free(&r);
    import_with("totpauth", b64, strlen(b64), "TotpAuthenticator", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    import_result_free(&r);
    free(plain);
    free(b64);
}

Test(totpauth, backup_cut_and_mutated)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(BACKUP);
    data = fixture_read(BACKUP, &len);
    import_cuts_fail("totpauth", data, len, "Testtest1", 0, 1);
    import_mutations("totpauth", data, len, "Testtest1", 3000, 11);
    free(data);
}

Test(totpauth, plaintexts_that_are_not_the_list)
{
    static const char *const plaintexts[] = {
        "not json", "[1,2]", "{}", "{\"a\":\"b\"}", "{\"{}\":\"1\"}", "\"str\"",
    };

    for (size_t i = 0; i < sizeof plaintexts / sizeof *plaintexts; i++) {
        char *b64 = make_backup("pw", plaintexts[i]);
        struct import_result r;
        import_with("totpauth", b64, strlen(b64), "pw", &r);
        /* CBC has no MAC: a wrong plaintext is all a wrong password shows. */
        cr_assert_eq(r.rc, OV_ERR_AUTH, "%s: %s", plaintexts[i], r.err.msg);
        cr_assert(strstr(r.err.msg, "wrong password or damaged file") != NULL);
        import_result_free(&r);
        free(b64);
    }
}

Test(totpauth, garbage_and_damaged_containers)
{
    static const struct {
        const char *text;
        int code;
        const char *needle;
    } cases[] = {
        { "", OV_ERR_INVALID, "not whole 16-byte AES blocks" },
        { "%%%% not base64 %%%%", OV_ERR_INVALID, "not a TOTP Authenticator backup" },
        { "QUFBQQ==", OV_ERR_INVALID, "not whole 16-byte AES blocks" },
        { "AAAAAAAAAAAAAAAAAAAAAA==", OV_ERR_AUTH, "wrong password" },
        { "\x89PNG\r\n\x1a\n", OV_ERR_INVALID, "not a TOTP Authenticator backup" },
        { "<?xml version='1.0'?><map></map>", OV_ERR_INVALID, "no STATIC_TOTP_CODES_LIST" },
        { "<?xml version='1.0'?><map><string name=\"STATIC_TOTP_CODES_LIST\">{}</string></map>",
          OV_ERR_INVALID, "not a JSON array" },
        { "<?xml version='1.0'?><map><string name=\"STATIC_TOTP_CODES_LIST\">[</string></map>",
          OV_ERR_INVALID, "STATIC_TOTP_CODES_LIST: not valid JSON" },
        { "<?xml version='1.0'?><map><string", OV_ERR_INVALID, "not well-formed" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct import_result r;
        import_with("totpauth", cases[i].text, strlen(cases[i].text), "pw", &r);
        cr_assert_eq(r.rc, cases[i].code, "%s: %s", cases[i].text, r.err.msg);
        cr_assert(strstr(r.err.msg, cases[i].needle) != NULL, "%s", r.err.msg);
        import_result_free(&r);
    }
}

Test(totpauth, bad_entries_are_reported_one_by_one)
{
    const char *list =
        "[{\"base\":16,\"key\":\"E49270F0D21F365C\",\"issuer\":\"Deno\",\"name\":\"mason\"},"
        "{\"base\":32,\"key\":\"JBSWY3DPEHPK3PXP\",\"issuer\":\"\",\"name\":\"GitHub:alice\"},"
        "{\"base\":64,\"key\":\"SGVsbG8hIQ==\",\"issuer\":null},"
        "{\"base\":\"16\",\"key\":\"0102\",\"name\":7},"
        "{\"base\":10,\"key\":\"123\"},"
        "{\"key\":\"0102\"},"
        "{\"base\":null,\"key\":\"0102\"},"
        "{\"base\":16},"
        "{\"base\":16,\"key\":null},"
        "{\"base\":16,\"key\":16},"
        "{\"base\":16,\"key\":\"xyz1\"},"
        "{\"base\":32,\"key\":\"A\"},"
        "{\"base\":16,\"key\":\"\"},"
        "\"entry\"]";
    static const char *const issues[] = {
        "base 10", "'base' is missing", "'base' is missing", "'key' is missing",
        "'key' is missing", "'key' is not a string", "'key'", "'key'", "the secret is empty",
        "not a JSON object",
    };
    char *xml = malloc(strlen(list) * 6 + 200), *o = xml;
    struct import_result r;

    o += sprintf(o, "<map><string name=\"STATIC_TOTP_CODES_LIST\">");
    for (const char *p = list; *p != '\0'; p++)
        o += *p == '"' ? sprintf(o, "&quot;") : sprintf(o, "%c", *p);
    strcpy(o, "</string></map>");
    import_with("totpauth", xml, strlen(xml), NULL, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 4, "%zu", r.accounts.len);
    cr_assert_not_null(import_find(&r, "Deno", "mason"));
    cr_assert_not_null(import_find(&r, "GitHub", "alice")); /* design.md 4.1 */
    cr_assert_not_null(import_find(&r, "", ""));
    cr_assert_eq(r.opts.nissues, sizeof issues / sizeof *issues);
    for (size_t i = 0; i < sizeof issues / sizeof *issues; i++)
        cr_assert(import_issue_at(&r, i + 5, issues[i]), "%zu: %s", i + 5,
                  r.opts.issues[i].message);
    import_result_free(&r);
    free(xml);
}
