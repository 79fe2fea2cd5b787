/* Stratum / Authenticator Pro backups: plain, strong and legacy encryption, every field,
 * the label rule, damage and truncation. */
#include <criterion/criterion.h>
#include <gcrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"
#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"

static void setup(void) { ov_crypto_init(); }

TestSuite(stratum, .init = setup);

static const char sample[] =
    "{\"Authenticators\":["
    "{\"Type\":2,\"Issuer\":\"Deno\",\"Username\":\"Mason\",\"Secret\":\"4SJHB4GSD43FZBAI7C2HLRJGPQ\","
    "\"Pin\":null,\"Algorithm\":1,\"Digits\":7,\"Period\":20,\"Counter\":0,\"Ranking\":0},"
    "{\"Type\":1,\"Issuer\":\"WWE\",\"Username\":null,\"Secret\":\"5VAML3X35THCEBVRLV24CGBKOY\","
    "\"Algorithm\":2,\"Digits\":8,\"Counter\":10300}],"
    "\"Categories\":[{\"Id\":\"c1\",\"Name\":\"Work\",\"Ranking\":0}],"
    "\"AuthenticatorCategories\":[{\"CategoryId\":\"c1\","
    "\"AuthenticatorSecret\":\"5VAML3X35THCEBVRLV24CGBKOY\",\"Ranking\":0}],\"CustomIcons\":[]}";

static void assert_secret(const struct ov_account *a, const char *b32)
{
    uint8_t want[128];
    size_t len;

    cr_assert_eq(ov_base32_decode(b32, want, &len, NULL), OV_OK);
    cr_assert_eq(a->secret_len, len);
    cr_assert_eq(memcmp(a->secret, want, len), 0);
}

static void check_sample_accounts(const struct import_result *r)
{
    const struct ov_account *a;

    cr_assert_eq(r->rc, OV_OK, "%s", r->err.msg);
    cr_assert_eq(r->accounts.len, 2);
    cr_assert_eq(r->opts.nissues, 0);
    a = import_find(r, "Deno", "Mason");
    cr_assert_not_null(a);
    cr_assert_eq(a->type, OV_TOTP);
    cr_assert_eq(a->algo, OV_SHA256);
    cr_assert_eq(a->digits, 7);
    cr_assert_eq(a->period, 20);
    assert_secret(a, "4SJHB4GSD43FZBAI7C2HLRJGPQ");
    cr_assert_null(a->group);
    a = import_find(r, "WWE", "");
    cr_assert_not_null(a);
    cr_assert_eq(a->type, OV_HOTP);
    cr_assert_eq(a->algo, OV_SHA512);
    cr_assert_eq(a->counter, 10300);
    cr_assert_str_eq(a->group, "Work");
}

/* One entry per line of the table: the JSON of one authenticator and what must happen. */
struct entry_case {
    const char *entry;
    const char *issue;      /* NULL: imports */
};

static const struct entry_case entry_cases[] = {
    { "1", "entry 1: not an object" },
    { "null", "not an object" },
    { "{\"Issuer\":\"A\",\"Secret\":\"JBSWY3DP\"}", "'Type' is missing" },
    { "{\"Type\":\"two\",\"Secret\":\"JBSWY3DP\"}", "'Type' is not a number" },
    { "{\"Type\":9,\"Secret\":\"JBSWY3DP\"}", "unsupported 'Type' 9" },
    { "{\"Type\":2}", "'Secret' is missing" },
    { "{\"Type\":2,\"Secret\":null}", "'Secret' is missing" },
    { "{\"Type\":2,\"Secret\":5}", "'Secret' is not a string" },
    { "{\"Type\":2,\"Secret\":\"JBSWY3\"}", "invalid Base32 length" },
    { "{\"Type\":2,\"Secret\":\"JBSW!3DP\"}", "invalid character" },
    { "{\"Type\":2,\"Issuer\":[],\"Secret\":\"JBSWY3DP\"}", "'Issuer' is not a string" },
    { "{\"Type\":2,\"Username\":{},\"Secret\":\"JBSWY3DP\"}", "'Username' is not a string" },
    { "{\"Type\":2,\"Secret\":\"JBSWY3DP\",\"Algorithm\":7}", "'Algorithm' is 7" },
    { "{\"Type\":2,\"Secret\":\"JBSWY3DP\",\"Digits\":99}", "'Digits' is 99" },
    { "{\"Type\":2,\"Secret\":\"JBSWY3DP\",\"Period\":0}", "'Period' is 0" },
    { "{\"Type\":1,\"Secret\":\"JBSWY3DP\",\"Counter\":-1}", "'Counter' is -1" },
    { "{\"Type\":3,\"Secret\":\"0123456789abcdef\"}", "without a PIN" },
    { "{\"Type\":3,\"Secret\":\"not hex at all\",\"Pin\":\"1234\"}", "invalid character" },
    { "{\"Type\":5,\"Secret\":\"JBSWY3DPEHPK3PXP\",\"Pin\":\"\"}", "without a PIN" },
    { "{\"Type\":2,\"Secret\":\"JBSWY3DP\",\"Algorithm\":null,\"Digits\":null,\"Period\":null,"
      "\"Issuer\":null,\"Username\":null}", NULL },
    { "{\"Type\":3,\"Issuer\":\"VPN\",\"Secret\":\"0123456789abcdef\",\"Pin\":\"1234\"}", NULL },
    { "{\"Type\":4,\"Issuer\":\"Steam\",\"Secret\":\"JBSWY3DP\",\"Digits\":6,\"Algorithm\":2}",
      NULL },
    { "{\"Type\":5,\"Issuer\":\"Yandex\",\"Secret\":\"JBSWY3DPEHPK3PXP\",\"Pin\":\"5239\"}", NULL },
};

static uint8_t *make_strong(const char *plain, const char *pw, size_t *out_len)
{
    static const struct ov_kdf_params kdf = { 65536, 3, 4 };
    size_t n = strlen(plain);
    uint8_t *buf = malloc(16 + 16 + 12 + n + 16), key[32];

    memcpy(buf, "AUTHENTICATORPRO", 16);
    for (int i = 0; i < 28; i++)
        buf[16 + i] = (uint8_t)(i * 7 + 1); /* salt, then nonce */
    cr_assert_eq(ov_kdf_argon2id(pw, strlen(pw), buf + 16, 16, &kdf, key, 32, NULL), OV_OK);
    cr_assert_eq(ov_aes_gcm_encrypt(key, 32, buf + 32, 12, NULL, 0, (const uint8_t *)plain, n,
                                    buf + 44, buf + 44 + n, NULL), OV_OK);
    *out_len = 44 + n + 16;
    return buf;
}

static uint8_t *make_legacy(const char *plain, const char *pw, size_t *out_len)
{
    size_t n = strlen(plain), padded = (n / 16 + 1) * 16;
    uint8_t *buf = malloc(16 + 20 + 16 + padded), key[32];
    gcry_cipher_hd_t hd;

    memcpy(buf, "AuthenticatorPro", 16);
    for (int i = 0; i < 36; i++)
        buf[16 + i] = (uint8_t)(i * 5 + 3); /* salt, then IV */
    memcpy(buf + 52, plain, n);
    memset(buf + 52 + n, (int)(padded - n), padded - n);
    cr_assert_eq(ov_kdf_pbkdf2(OV_SHA1, pw, strlen(pw), buf + 16, 20, 64000, key, 32, NULL),
                 OV_OK);
    gcry_cipher_open(&hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, 0);
    gcry_cipher_setkey(hd, key, 32);
    gcry_cipher_setiv(hd, buf + 36, 16);
    cr_assert_eq(gcry_cipher_encrypt(hd, buf + 52, padded, NULL, 0), 0);
    gcry_cipher_close(hd);
    *out_len = 52 + padded;
    return buf;
}

Test(stratum, plain_backup)
{
    struct import_result r;

    import_str("stratum", sample, NULL, &r);
    check_sample_accounts(&r);
    import_result_free(&r);
}

Test(stratum, detected_by_content)
{
    struct ov_blob b = { (const uint8_t *)sample, strlen(sample), "backup.txt" };
    const struct ov_importer *imp = ov_import_pick(&b, NULL);

    cr_assert_not_null(imp);
    cr_assert_str_eq(imp->name, "stratum");
    cr_assert(!imp->is_encrypted(&b));
    b = (struct ov_blob){ (const uint8_t *)"AUTHENTICATORPRO....", 20, "x.json" };
    cr_assert_str_eq(ov_import_pick(&b, NULL)->name, "stratum");
    cr_assert(ov_import_pick(&b, NULL)->is_encrypted(&b));
    b = (struct ov_blob){ (const uint8_t *)"AuthenticatorPro", 16, "x" };
    cr_assert_str_eq(ov_import_pick(&b, NULL)->name, "stratum");
    b = (struct ov_blob){ (const uint8_t *)"{\"items\":[],\"encrypted\":false}", 30, "a.authpro" };
    cr_assert_str_neq(ov_import_pick(&b, NULL)->name, "stratum");
}

Test(stratum, every_field_checked_per_entry)
{
    for (size_t i = 0; i < sizeof entry_cases / sizeof *entry_cases; i++) {
        const struct entry_case *c = &entry_cases[i];
        char json[512];
        struct import_result r;

        /* A good entry after the one under test: it must import whatever happens before. */
        snprintf(json, sizeof json, "{\"Authenticators\":[%s,{\"Type\":2,\"Issuer\":\"Ok\","
                 "\"Secret\":\"KRSXG5A\"}]}", c->entry);
        import_str("stratum", json, NULL, &r);
        cr_assert_eq(r.rc, OV_OK, "%s: %s", c->entry, r.err.msg);
        cr_assert_not_null(import_find(&r, "Ok", ""), "%s", c->entry);
        if (c->issue != NULL) {
            cr_assert_eq(r.accounts.len, 1, "%s", c->entry);
            cr_assert_eq(r.opts.nissues, 1, "%s", c->entry);
            cr_assert_eq(r.opts.issues[0].position, 1);
            cr_assert(import_issue_at(&r, 0, c->issue), "%s: got \"%s\"", c->entry,
                      r.opts.issues[0].message);
        } else {
            cr_assert_eq(r.accounts.len, 2, "%s: %s", c->entry,
                         r.opts.nissues ? r.opts.issues[0].message : "");
        }
        import_result_free(&r);
    }
}

Test(stratum, fixed_types_and_the_label_rule)
{
    struct import_result r;
    const char *json =
        "{\"Authenticators\":["
        "{\"Type\":4,\"Issuer\":\"Steam\",\"Username\":\"me\",\"Secret\":\"JBSWY3DP\",\"Digits\":6},"
        "{\"Type\":3,\"Issuer\":\"VPN\",\"Secret\":\"0123456789abcdef\",\"Pin\":\"1234\"},"
        "{\"Type\":2,\"Issuer\":\"Deno\",\"Username\":\"Deno: Mason\",\"Secret\":\"KRSXG5A\"},"
        "{\"Type\":2,\"Issuer\":\"\",\"Username\":\"Air:Ben\",\"Secret\":\"KRSXG5B\"}]}";
    const struct ov_account *a;

    import_str("stratum", json, NULL, &r);
    cr_assert_eq(r.accounts.len, 4);
    a = import_find(&r, "Steam", "me");
    cr_assert(a != NULL && a->type == OV_STEAM && a->digits == 5 && a->algo == OV_SHA1);
    a = import_find(&r, "VPN", "");
    cr_assert(a != NULL && a->type == OV_MOTP && a->algo == OV_MD5 && a->period == 10);
    cr_assert_str_eq(a->pin, "1234");
    cr_assert_eq(a->secret_len, 8);
    cr_assert_not_null(import_find(&r, "Deno", "Mason"));
    cr_assert_not_null(import_find(&r, "Air", "Ben"));
    import_result_free(&r);
}

Test(stratum, malformed_documents)
{
    static const struct { const char *json, *error; } cases[] = {
        { "", "not valid JSON" },
        { "[]", "not an object" },
        { "{\"Categories\":[]}", "no 'Authenticators' list" },
        { "{\"Authenticators\":{}}", "'Authenticators' is not a list" },
        { "{\"Authenticators\":null}", "no 'Authenticators'" },
        { "{\"Authenticators\":[", "not valid JSON" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct import_result r;
        import_str("stratum", cases[i].json, NULL, &r);
        cr_assert_eq(r.rc, OV_ERR_INVALID, "%s", cases[i].json);
        cr_assert(import_error_has(&r, cases[i].error), "%s: %s", cases[i].json, r.err.msg);
        import_result_free(&r);
    }
}

Test(stratum, every_truncation_of_the_plain_fixtures)
{
    static const char *const files[] = { "aegis-importers/stratum_plain.json",
                                         "stratum-test-data/backup.unencrypted.authpro" };

    for (size_t f = 0; f < 2; f++) {
        size_t len, step;
        char *data;

        SKIP_WITHOUT_FIXTURE(files[f]);
        data = fixture_read(files[f], &len);
        step = len > 4000 ? 7 : 1;
        /* Every proper prefix of a JSON document is broken JSON. */
        cr_assert_eq(import_cuts_clear("stratum", data, len, NULL, 0, step), (len + step - 1) / step,
                     "%s", files[f]);
        free(data);
    }
}

Test(stratum, garbage)
{
    uint64_t seed = 0x5eed;
    uint8_t buf[400];

    for (int i = 0; i < 300; i++) {
        size_t len = (size_t)i % sizeof buf;
        struct import_result r;

        import_random_bytes(&seed, buf, len);
        if (i % 3 == 1 && len >= 16) { /* behind a magic, no longer than a header */
            memcpy(buf, i % 2 ? "AUTHENTICATORPRO" : "AuthenticatorPro", 16);
            len = len > 52 ? 52 : len;
        }
        import_with("stratum", buf, len, "pw", &r);
        cr_assert_neq(r.rc, OV_OK, "garbage %d accepted", i);
        cr_assert_neq(r.err.msg[0], '\0');
        import_result_free(&r);
    }
}

Test(stratum, strong_encryption)
{
    size_t len;
    uint8_t *file = make_strong(sample, "secret", &len);
    struct import_result r;

    import_with("stratum", file, len, "secret", &r);
    check_sample_accounts(&r);
    import_result_free(&r);
    import_with("stratum", file, len, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_error_has(&r, "a password is needed"), "%s", r.err.msg);
    import_result_free(&r);
    import_with("stratum", file, len, "Secret", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_error_has(&r, "wrong password"), "%s", r.err.msg);
    import_result_free(&r);
    /* Cut inside the header and tag: refused before any KDF. */
    for (size_t cut = 16; cut < 60; cut++) {
        import_with("stratum", file, cut, "secret", &r);
        cr_assert_eq(r.rc, OV_ERR_INVALID, "cut %zu", cut);
        cr_assert(import_error_has(&r, "truncated"), "%s", r.err.msg);
        import_result_free(&r);
    }
    /* Cut inside the ciphertext: the tag no longer matches. */
    import_with("stratum", file, len - 1, "secret", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    import_result_free(&r);
    free(file);
}

Test(stratum, strong_encryption_of_something_else_is_a_format_error)
{
    size_t len;
    uint8_t *file = make_strong("not json", "pw", &len);
    struct import_result r;

    import_with("stratum", file, len, "pw", &r);
    cr_assert_eq(r.rc, OV_ERR_INVALID, "%s", r.err.msg); /* the tag held: not the password */
    import_result_free(&r);
    free(file);
}

Test(stratum, legacy_encryption)
{
    size_t len;
    uint8_t *file = make_legacy(sample, "secret", &len), *other;
    struct import_result r;

    import_with("stratum", file, len, "secret", &r);
    check_sample_accounts(&r);
    import_result_free(&r);
    import_with("stratum", file, len, NULL, &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_error_has(&r, "a password is needed"), "%s", r.err.msg);
    import_result_free(&r);
    import_with("stratum", file, len, "wrong", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH);
    cr_assert(import_error_has(&r, "wrong password"), "%s", r.err.msg);
    import_result_free(&r);
    for (size_t cut = 0; cut <= 52; cut++) {
        import_with("stratum", file, cut, "secret", &r);
        cr_assert_neq(r.rc, OV_OK, "cut %zu", cut);
        import_result_free(&r);
    }
    /* Not a whole number of blocks, then one block short. */
    for (size_t cut = len - 17; cut < len; cut += 8) {
        import_with("stratum", file, cut, "secret", &r);
        cr_assert_eq(r.rc, OV_ERR_AUTH, "cut %zu: %s", cut, r.err.msg);
        import_result_free(&r);
    }
    free(file);
    /* Without a MAC, well-padded garbage can only mean a wrong password. */
    other = make_legacy("[1,2", "secret", &len);
    import_with("stratum", other, len, "secret", &r);
    cr_assert_eq(r.rc, OV_ERR_AUTH, "%s", r.err.msg);
    import_result_free(&r);
    free(other);
}

/* Custom icons make backups far bigger than one block of secure memory (256 KiB). */
Test(stratum, big_encrypted_backup)
{
    size_t icon = 600000, len;
    char *json = malloc(icon + strlen(sample) + 64);
    uint8_t *file;
    struct import_result r;
    size_t at;

    strcpy(json, sample);
    at = strlen(json) - strlen("[]}"); /* into the empty CustomIcons list */
    at += (size_t)sprintf(json + at, "[{\"Id\":\"i\",\"Data\":\"");
    memset(json + at, 'A', icon);
    strcpy(json + at + icon, "\"}]}");
    file = make_legacy(json, "secret", &len);
    import_with("stratum", file, len, "secret", &r);
    check_sample_accounts(&r);
    import_result_free(&r);
    free(file);
    free(json);
}

Test(stratum, truncated_encrypted_fixtures)
{
    static const char *const files[] = { "aegis-importers/stratum_encrypted_legacy.bin",
                                         "aegis-importers/stratum_encrypted.bin" };

    for (size_t f = 0; f < 2; f++) {
        size_t len;
        char *data;

        SKIP_WITHOUT_FIXTURE(files[f]);
        data = fixture_read(files[f], &len);
        /* The header every byte (no KDF runs), then the ciphertext at a few cut points. */
        cr_assert_eq(import_cuts_clear("stratum", data, f == 0 ? 53 : 60, "test", 0, 1),
                     f == 0 ? 53 : 60);
        cr_assert_eq(import_cuts_clear("stratum", data, len, "test", f == 0 ? 53 : 60, f == 0 ? 211 : 601),
                     f == 0 ? (len - 53 + 210) / 211 : (len - 60 + 600) / 601, "%s", files[f]);
        free(data);
    }
}
