/* FreeOTP 2.x encrypted backups: the master key, token fields, damage, mutations. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importers/lib/java_string_map.h"
#include "otpvault/crypto.h"
#include "tests/lib/java_stream.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(freeotp2, .init = setup, .timeout = 120);

#define NULL_ALGO "aegis-importers/freeotp_v2_null_algo.xml"

#define PASSWORD "correct horse"

static json_t *byte_array(const uint8_t *b, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer((int8_t)b[i]));
    return a;
}

static const uint8_t gcm_params[] = { 48, 17, 4, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 2,
                                      1, 16 };

/* An EncryptedKey object for plain under key, nonce 1..12, AAD = token. */
static json_t *enc_key(const uint8_t key[32], const uint8_t *plain, size_t n, const char *token)
{
    uint8_t out[128], tag[16];

    cr_assert_leq(n + 16, sizeof out);
    cr_assert_eq(ov_aes_gcm_encrypt(key, 32, gcm_params + 4, 12, (const uint8_t *)token,
                                    strlen(token), plain, n, out, tag, NULL), OV_OK);
    memcpy(out + n, tag, 16);
    return json_pack("{s:s, s:o, s:o, s:s}", "mCipher", "AES/GCM/NoPadding", "mCipherText",
                     byte_array(out, n + 16), "mParameters",
                     byte_array(gcm_params, sizeof gcm_params), "mToken", token);
}

static const uint8_t master[32] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 9 };

static const uint8_t salt[32] = { 0xA5, 0x5A, 7 };

/* The masterKey JSON object for PASSWORD (cheap: 1000 iterations of SHA512). */
static json_t *master_obj(void)
{
    uint8_t pass_key[32];

    cr_assert_eq(ov_kdf_pbkdf2(OV_SHA512, PASSWORD, strlen(PASSWORD), salt, sizeof salt, 1000,
                               pass_key, 32, NULL), OV_OK);
    return json_pack("{s:s, s:o, s:i, s:o}", "mAlgorithm", "PBKDF2withHmacSHA512",
                     "mEncryptedKey", enc_key(pass_key, master, 32, "AES"), "mIterations",
                     1000, "mSalt", byte_array(salt, sizeof salt));
}

static char *dump(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

/* The "<uuid>" value: {"key": "<EncryptedKey as a JSON string>"}. */
static char *secret_value(const uint8_t *secret, size_t n, const char *token)
{
    char *inner = dump(enc_key(master, secret, n, token));
    char *outer = dump(json_pack("{s:s}", "key", inner));
    free(inner);
    return outer;
}

static const uint8_t secret1[10] = { 'H', 'e', 'l', 'l', 'o', '!', 0xDE, 0xAD, 0xBE, 0xEF };

/* A backup of one token whose masterKey and token details the caller may replace. */
static void backup(struct jw *w, const char *master_json, const char *token_json)
{
    char *m = master_json != NULL ? NULL : dump(master_obj());
    char *s = secret_value(secret1, sizeof secret1, "HmacSHA1");
    const char *kv[] = { "u1", s, "u1-token",
                         token_json != NULL ? token_json
                                            : "{\"issuerExt\":\"Deno\",\"label\":\"Mason\","
                                              "\"type\":\"TOTP\"}",
                         "masterKey", master_json != NULL ? master_json : m };
    jw_map(w, kv, 3);
    free(m);
    free(s);
}

/* masterKey JSON with one field replaced (or removed when value is NULL). */
static char *master_with(const char *key, json_t *value)
{
    json_t *m = master_obj();
    if (value != NULL)
        json_object_set_new(m, key, value);
    else
        json_object_del(m, key);
    return dump(m);
}

static void expect_master_error(const char *key, json_t *value, int code, const char *needle)
{
    char *m = master_with(key, value);
    struct jw w;
    struct import_result r;

    backup(&w, m, NULL);
    import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
    cr_assert_eq(r.rc, code, "%s: %d %s", key, r.rc, r.err.msg);
    cr_assert(strstr(r.err.msg, needle) != NULL, "%s: %s", key, r.err.msg);
    cr_assert_eq(r.accounts.len, 0);
    import_result_free(&r);
    free(m);
}

Test(freeotp2, fixture_needs_the_right_password)
{
    struct import_result r;
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(NULL_ALGO);
    data = fixture_read(NULL_ALGO, &len);
    import_with("freeotp2", data, len, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(strstr(r.err.msg, "password is needed") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    import_with("freeotp2", data, len, "test1", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(strstr(r.err.msg, "wrong password") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    import_with("freeotp2", data, len, "test", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_not_null(import_find(&r, "Deno", "Mason"));
    import_result_free(&r);
    free(data);
}

Test(freeotp2, fixture_cut_anywhere_is_an_error)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(NULL_ALGO);
    data = fixture_read(NULL_ALGO, &len);
    /* Every cut fails in the stream reader, before the (slow) key derivation. */
    import_cuts_fail("freeotp2", data, len, "test", 0, 1);
    free(data);
}

Test(freeotp2, fixture_mutations_never_crash)
{
    size_t len;
    char *data;

    SKIP_WITHOUT_FIXTURE(NULL_ALGO);
    data = fixture_read(NULL_ALGO, &len);
    /* No password: whatever still parses stops before the key derivation. */
    import_mutations("freeotp2", data, len, NULL, 3000, 0x5eed);
    free(data);
}

Test(freeotp2, built_backup_imports)
{
    struct jw w;
    struct import_result r;
    const struct ov_account *a;

    backup(&w, NULL, NULL);
    import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    a = import_find(&r, "Deno", "Mason");
    cr_assert_not_null(a);
    cr_assert_eq(a->secret_len, sizeof secret1);
    cr_assert_eq(memcmp(a->secret, secret1, sizeof secret1), 0);
    cr_assert_eq(a->algo, OV_SHA1);
    cr_assert_eq(a->digits, 6);
    cr_assert_eq(a->period, 30);
    import_result_free(&r);
}

Test(freeotp2, token_fields_null_missing_and_wrong)
{
    static const struct {
        const char *token, *issue; /* issue NULL: imports */
    } cases[] = {
        { "{\"algo\":null,\"digits\":null,\"period\":null,\"type\":null,\"label\":\"x\"}",
          NULL },
        { "{\"label\":\"Steam:alice\",\"issuerExt\":\"Steam\",\"digits\":6}", NULL },
        { "{\"digits\":\"abc\"}", "'digits' is not a number" },
        { "{\"digits\":[]}", "'digits' is not a number" },
        { "{\"digits\":11}", "'digits' is 11" },
        { "{\"period\":0}", "'period' is 0" },
        { "{\"counter\":-1,\"type\":\"HOTP\"}", "'counter' is -1" },
        { "{\"type\":\"MOTP\"}", "unknown token type" },
        { "{\"algo\":\"SHA3\"}", "unknown algorithm" },
        { "{\"label\":42}", "'label' is not a string" },
        { "{\"issuerExt\":{}}", "'issuerExt' is not a string" },
        { "[1,2]", "not a JSON object" },
        { "{\"label\":", "token details: not valid JSON" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct jw w;
        struct import_result r;

        backup(&w, NULL, cases[i].token);
        import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
        cr_assert_eq(r.rc, OV_OK, "%s: %s", cases[i].token, r.err.msg);
        if (cases[i].issue == NULL) {
            cr_assert_eq(r.accounts.len, 1, "%s: %s", cases[i].token,
                         r.opts.nissues ? r.opts.issues[0].message : "");
        } else {
            cr_assert_eq(r.accounts.len, 0, "%s", cases[i].token);
            cr_assert(import_issue_at(&r, 1, cases[i].issue), "%s: %s", cases[i].token,
                      r.opts.nissues ? r.opts.issues[0].message : "no issue");
        }
        import_result_free(&r);
    }
}

Test(freeotp2, steam_and_label_rule)
{
    struct jw w;
    struct import_result r;

    backup(&w, NULL, "{\"label\":\"Steam:alice\",\"issuerExt\":\"Steam\",\"digits\":6}");
    import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.items[0].type, OV_STEAM);
    cr_assert_eq(r.accounts.items[0].digits, 5);
    cr_assert_str_eq(r.accounts.items[0].name, "alice"); /* design.md 4.1 */
    import_result_free(&r);
}

Test(freeotp2, master_key_fields)
{
    expect_master_error("mIterations", json_integer(20000000), OV_ERR_LIMIT, "20000000");
    expect_master_error("mIterations", json_integer(0), OV_ERR_LIMIT, "iterations");
    expect_master_error("mIterations", NULL, OV_ERR_INVALID, "'mIterations' is missing");
    expect_master_error("mIterations", json_string("many"), OV_ERR_INVALID, "mIterations");
    expect_master_error("mAlgorithm", json_string("PBKDF2withHmacMD5"), OV_ERR_UNSUPPORTED,
                        "PBKDF2withHmacMD5");
    expect_master_error("mAlgorithm", json_null(), OV_ERR_INVALID, "'mAlgorithm' is missing");
    expect_master_error("mAlgorithm", json_integer(1), OV_ERR_INVALID, "not a string");
    expect_master_error("mSalt", json_null(), OV_ERR_INVALID, "'mSalt' is missing");
    expect_master_error("mSalt", json_string("salt"), OV_ERR_INVALID, "'mSalt' is not an array");
    expect_master_error("mSalt", json_pack("[i,s]", 1, "x"), OV_ERR_INVALID, "not a byte");
    expect_master_error("mSalt", json_pack("[i]", 300), OV_ERR_INVALID, "not a byte");
    expect_master_error("mSalt", json_array(), OV_ERR_INVALID, "'mSalt' is empty");
    expect_master_error("mEncryptedKey", NULL, OV_ERR_INVALID, "not a JSON object");
    expect_master_error("mEncryptedKey", json_string("x"), OV_ERR_INVALID, "not a JSON object");
}

Test(freeotp2, master_encrypted_key_fields)
{
    static const struct {
        const char *key;
        const char *json; /* NULL: removed */
        int code;
        const char *needle;
    } cases[] = {
        { "mCipher", "\"AES/CBC/PKCS5Padding\"", OV_ERR_UNSUPPORTED, "AES/CBC" },
        { "mCipher", NULL, OV_ERR_INVALID, "'mCipher' is missing" },
        { "mToken", NULL, OV_ERR_INVALID, "'mToken' is missing" },
        { "mToken", "\"DES\"", OV_ERR_AUTH, "wrong password" }, /* AAD is authenticated */
        { "mParameters", "[1,2,3]", OV_ERR_INVALID, "no GCM nonce" },
        { "mParameters", "[48,17,4,99,1]", OV_ERR_INVALID, "no GCM nonce" },
        { "mParameters", "[4,0]", OV_ERR_INVALID, "no GCM nonce" },
        { "mParameters", "null", OV_ERR_INVALID, "'mParameters' is missing" },
        { "mCipherText", "[1,2,3]", OV_ERR_INVALID, "shorter than a GCM tag" },
        { "mCipherText", "true", OV_ERR_INVALID, "not an array" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *m = master_obj();
        json_t *k = json_object_get(m, "mEncryptedKey");
        struct jw w;
        struct import_result r;
        char *text;

        if (cases[i].json != NULL)
            json_object_set_new(k, cases[i].key, json_loads(cases[i].json, JSON_DECODE_ANY,
                                                            NULL));
        else
            json_object_del(k, cases[i].key);
        text = dump(m);
        backup(&w, text, NULL);
        import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
        cr_assert_eq(r.rc, cases[i].code, "%s=%s: %s", cases[i].key, cases[i].json, r.err.msg);
        cr_assert(strstr(r.err.msg, cases[i].needle) != NULL, "%s", r.err.msg);
        import_result_free(&r);
        free(text);
    }
}

Test(freeotp2, missing_or_garbled_master_key)
{
    const char *no_master[] = { "u1", "{}", "u1-token", "{}" };
    const char *not_json[] = { "masterKey", "{\"mAlgorithm\":" };
    const char *array[] = { "masterKey", "[]" };
    struct jw w;
    struct import_result r;

    jw_map(&w, no_master, 2);
    import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(strstr(r.err.msg, "masterKey") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    jw_map(&w, not_json, 1);
    import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(strstr(r.err.msg, "masterKey: not valid JSON") != NULL, "%s", r.err.msg);
    import_result_free(&r);
    jw_map(&w, array, 1);
    import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID);
    cr_assert(strstr(r.err.msg, "not a JSON object") != NULL, "%s", r.err.msg);
    import_result_free(&r);
}

Test(freeotp2, entries_without_partner_or_damaged)
{
    char *m = dump(master_obj());
    char *good = secret_value(secret1, sizeof secret1, "HmacSHA1");
    char *damaged = str_replace1(good, "\"mToken\\\":\\\"HmacSHA1", "\"mToken\\\":\\\"HmacSHA2");
    const char *kv[] = {
        "masterKey", m,
        "a", good, "a-token", "{\"issuerExt\":\"A\",\"label\":\"a\"}",
        "b", good,                                                     /* no b-token */
        "c-token", "{\"label\":\"c\"}",                                /* no c */
        "d", damaged, "d-token", "{\"label\":\"d\"}",
        "e", "{\"key\":7}", "e-token", "{}",
        "f", "{\"key\":\"{\"}", "f-token", "{}",
        "g", "[]", "g-token", "{}",
        "h", "{\"key\":\"{\\\"mCipher\\\":\\\"AES/GCM/NoPadding\\\"}\"}", "h-token", "{}",
    };
    struct jw w;
    struct import_result r;

    jw_map(&w, kv, sizeof kv / sizeof *kv / 2);
    import_with("freeotp2", w.buf, w.len, PASSWORD, &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 1);
    cr_assert_not_null(import_find(&r, "A", "a"));
    cr_assert(import_issue_at(&r, 2, "without its \"-token\" details"));
    cr_assert(import_issue_at(&r, 3, "does not decrypt"));
    cr_assert(import_issue_at(&r, 4, "'key' is not a string"));
    cr_assert(import_issue_at(&r, 5, "not valid JSON"));
    cr_assert(import_issue_at(&r, 6, "not a JSON object"));
    cr_assert(import_issue_at(&r, 7, "'mToken' is missing"));
    cr_assert(import_issue_at(&r, 8, "token details without an encrypted secret"));
    cr_assert_eq(r.opts.nissues, 7);
    import_result_free(&r);
    free(m);
    free(good);
    free(damaged);
}

Test(freeotp2, built_stream_cut_and_mutated)
{
    struct jw w;

    backup(&w, NULL, NULL);
    import_cuts_fail("freeotp2", w.buf, w.len, PASSWORD, 0, 1);
    import_mutations("freeotp2", w.buf, w.len, NULL, 2000, 42);
}

Test(freeotp2, sniffs_only_java_serialization)
{
    const struct ov_importer *imp = ov_importer_find("freeotp2");
    struct ov_blob java = { (const uint8_t *)"\xAC\xED\x00\x05\x73", 5, "x" };
    struct ov_blob text = { (const uint8_t *)"<?xml version='1.0'?><map/>", 27, "x" };

    cr_assert_geq(imp->sniff(&java), 90);
    cr_assert_eq(imp->sniff(&text), 0);
}
