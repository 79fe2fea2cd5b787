/* Ente Auth importer. Encrypted exports are built here with libsodium itself (crypto_pwhash
 * and a secretstream push, as Ente does) at small costs, which also checks our libgcrypt
 * Argon2id against libsodium's. The 1 GiB fixture runs in the interop suite only: here it
 * is used just for the refused-cost case, which stops before the KDF. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/fixtures.h"
#include "tests/lib/import_harness.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/import.h"

static void setup(void)
{
    ov_crypto_init();
    cr_assert_geq(sodium_init(), 0);
}

TestSuite(ente, .init = setup);

static const char list[] =
    "otpauth://totp/Long%3APeriod?secret=JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN&issuer=Long&period=60\n"
    "otpauth://hotp/Standard%3AHotp?secret=JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB&issuer=Standard"
    "&counter=10&codeDisplay=%7B%22trashed%22%3Afalse%7D\n"
    "otpauth://totp/Bad?secret=1\n";

#define MEM_LIMIT "8388608" /* 8 MiB, in bytes as Ente writes it */
#define OPS_LIMIT 2

static char *b64(const uint8_t *d, size_t n)
{
    char *out = malloc(ov_base64_encoded_len(n) + 3);
    out[0] = '"';
    ov_base64_encode(d, n, out + 1, 0);
    strcat(out, "\"");
    return out;
}

/* Raw JSON values of an export's fields; NULL leaves a field out. */
struct ente_export {
    const char *version, *params, *mem, *ops, *salt, *data, *nonce;
};

static char *export_json(const struct ente_export *x)
{
    char *out = malloc(16384);

    strcpy(out, "{");
    if (x->version != NULL)
        sprintf(out + strlen(out), "\"version\":%s,", x->version);
    if (x->params != NULL) {
        sprintf(out + strlen(out), "\"kdfParams\":%s,", x->params);
    } else {
        strcat(out, "\"kdfParams\":{");
        if (x->mem != NULL)
            sprintf(out + strlen(out), "\"memLimit\":%s,", x->mem);
        if (x->ops != NULL)
            sprintf(out + strlen(out), "\"opsLimit\":%s,", x->ops);
        if (x->salt != NULL)
            sprintf(out + strlen(out), "\"salt\":%s,", x->salt);
        strcpy(out + strlen(out) - (out[strlen(out) - 1] == ','), "},");
    }
    if (x->data != NULL)
        sprintf(out + strlen(out), "\"encryptedData\":%s,", x->data);
    if (x->nonce != NULL)
        sprintf(out + strlen(out), "\"encryptionNonce\":%s,", x->nonce);
    strcpy(out + strlen(out) - 1, "}");
    return out;
}

struct made {
    char *salt, *data, *nonce;
};

/* Encrypts text under password "pw" the way Ente does. */
static void make(const char *text, unsigned char tag, struct made *m)
{
    uint8_t salt[crypto_pwhash_SALTBYTES], key[32];
    uint8_t header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    size_t n = strlen(text);
    uint8_t *ct = malloc(n + crypto_secretstream_xchacha20poly1305_ABYTES);
    unsigned long long ct_len;
    crypto_secretstream_xchacha20poly1305_state st;

    for (size_t i = 0; i < sizeof salt; i++)
        salt[i] = (uint8_t)(i * 11 + 5);
    cr_assert_eq(crypto_pwhash(key, sizeof key, "pw", 2, salt, OPS_LIMIT, atoi(MEM_LIMIT),
                               crypto_pwhash_ALG_ARGON2ID13), 0);
    crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
    crypto_secretstream_xchacha20poly1305_push(&st, ct, &ct_len, (const uint8_t *)text, n, NULL,
                                               0, tag);
    m->salt = b64(salt, sizeof salt);
    m->nonce = b64(header, sizeof header);
    m->data = b64(ct, (size_t)ct_len);
    free(ct);
}

static void made_free(struct made *m)
{
    free(m->salt);
    free(m->data);
    free(m->nonce);
}

static struct ente_export good(const struct made *m)
{
    return (struct ente_export){ "1", NULL, MEM_LIMIT, "2", m->salt, m->data, m->nonce };
}

static void expect(const struct ente_export *x, const char *pw, int rc, const char *needle)
{
    char *json = export_json(x);
    struct import_result r;

    import_str("ente", json, pw, &r);
    cr_assert_eq(r.rc, rc, "%s -> %d %s", json, r.rc, r.err.msg);
    if (rc != OV_OK)
        cr_assert(import_error_has(&r, needle), "wanted \"%s\", got \"%s\"", needle, r.err.msg);
    import_result_free(&r);
    free(json);
}

Test(ente, encrypted_export)
{
    struct made m;
    struct ente_export x;
    char *json;
    struct import_result r;

    make(list, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, &m);
    x = good(&m);
    json = export_json(&x);
    import_str("ente", json, "pw", &r);
    cr_assert_eq(r.rc, OV_OK, "%s", r.err.msg);
    cr_assert_eq(r.accounts.len, 2);
    cr_assert_not_null(import_find(&r, "Long", "Period"));
    cr_assert_not_null(import_find(&r, "Standard", "Hotp"));
    cr_assert_eq(r.opts.nissues, 1);
    cr_assert(import_issue_at(&r, 0, "line 3"), "%s", r.opts.issues[0].message);
    import_result_free(&r);
    free(json);
    expect(&x, "pW", OV_ERR_AUTH, "wrong password or damaged file");
    expect(&x, NULL, OV_ERR_AUTH, "a password is needed");
    made_free(&m);
    /* Ente could as well close the stream with a FINAL tag. */
    make(list, crypto_secretstream_xchacha20poly1305_TAG_FINAL, &m);
    x = good(&m);
    expect(&x, "pw", OV_OK, NULL);
    made_free(&m);
}

Test(ente, damaged_ciphertext)
{
    struct made m;
    struct ente_export x;

    make(list, 0, &m);
    m.data[10] = m.data[10] == 'A' ? 'B' : 'A';
    x = good(&m);
    expect(&x, "pw", OV_ERR_AUTH, "wrong password or damaged file");
    made_free(&m);
}

Test(ente, kdf_costs_past_the_bounds_are_refused)
{
    struct made m;
    struct ente_export x;

    /* Exactly Ente's 1 GiB is allowed, one KiB more is not. */
    cr_assert_eq(ov_kdf_limit_argon2(1024u * 1024u, 4, 1, NULL), OV_OK);
    make(list, 0, &m);
    x = good(&m);
    x.mem = "1073742848";
    expect(&x, "pw", OV_ERR_LIMIT, "1024 MiB allowed");
    expect(&x, NULL, OV_ERR_LIMIT, "1024 MiB allowed"); /* before asking for a password */
    x.mem = "9223372036854775807";
    expect(&x, "pw", OV_ERR_LIMIT, "MiB");
    x = good(&m);
    x.ops = "0";
    expect(&x, "pw", OV_ERR_LIMIT, "passes");
    x.ops = "1000";
    expect(&x, "pw", OV_ERR_LIMIT, "passes");
    x = good(&m);
    x.mem = "1024"; /* 1 KiB: less than a lane needs */
    expect(&x, "pw", OV_ERR_LIMIT, "not valid");
    made_free(&m);
}

Test(ente, the_real_export_with_a_raised_cost_is_refused_before_the_kdf)
{
    const char *file = "stratum-test-data/ente.encrypted.json";
    struct import_result r;
    size_t len;
    char *data, *at;

    SKIP_WITHOUT_FIXTURE(file);
    data = fixture_read(file, &len);
    at = strstr(data, "1073741824");
    cr_assert_not_null(at);
    memcpy(at, "2147483648", 10);
    import_with("ente", data, len, "test", &r);
    cr_assert_eq(r.rc, OV_ERR_LIMIT, "%s", r.err.msg);
    cr_assert(import_error_has(&r, "2048 MiB"), "%s", r.err.msg);
    import_result_free(&r);
    free(data);
}

Test(ente, fields)
{
    struct made m;
    struct ente_export base, x;

    make(list, 0, &m);
    base = good(&m);
    x = base, x.version = "2";
    expect(&x, "pw", OV_ERR_UNSUPPORTED, "version 2");
    x = base, x.version = "\"1\"";
    expect(&x, "pw", OV_OK, NULL); /* a string of digits is read as the number */
    x = base, x.version = "[]";
    expect(&x, "pw", OV_ERR_INVALID, "'version' is not a number");
    x = base, x.params = "null";
    expect(&x, "pw", OV_ERR_INVALID, "'kdfParams' is missing");
    x = base, x.params = "[1]";
    expect(&x, "pw", OV_ERR_INVALID, "'kdfParams' is not an object");
    x = base, x.mem = NULL;
    expect(&x, "pw", OV_ERR_INVALID, "lacks 'memLimit' or 'opsLimit'");
    x = base, x.ops = "\"many\"";
    expect(&x, "pw", OV_ERR_INVALID, "'opsLimit' is not a number");
    x = base, x.mem = "-1";
    expect(&x, "pw", OV_ERR_INVALID, "'memLimit' is -1");
    x = base, x.salt = NULL;
    expect(&x, "pw", OV_ERR_INVALID, "'salt' is missing");
    x = base, x.salt = "\"AAAA\"";
    expect(&x, "pw", OV_ERR_INVALID, "'salt' is 3 bytes, not 16");
    x = base, x.salt = "\"A*AA\"";
    expect(&x, "pw", OV_ERR_INVALID, "invalid character");
    x = base, x.nonce = "null";
    expect(&x, "pw", OV_ERR_INVALID, "'encryptionNonce' is missing");
    x = base, x.nonce = "\"AAAAAAAAAAAAAAAAAAAAAA==\"";
    expect(&x, "pw", OV_ERR_INVALID, "'encryptionNonce' is 16 bytes, not 24");
    x = base, x.data = "17";
    expect(&x, "pw", OV_ERR_INVALID, "'encryptedData' is not a string");
    x = base, x.data = "\"AAAAAAAA\"";
    expect(&x, "pw", OV_ERR_INVALID, "too short");
    x = base, x.data = "\"\"";
    expect(&x, "pw", OV_ERR_INVALID, "too short");
    expect(&(struct ente_export){ 0 }, "pw", OV_ERR_INVALID, "'kdfParams' lacks");
    made_free(&m);
}

Test(ente, every_truncation_and_garbage)
{
    struct made m;
    struct ente_export x;
    char *json;
    uint64_t seed = 0xe17e;
    uint8_t buf[300];

    make(list, 0, &m);
    x = good(&m);
    json = export_json(&x);
    /* Every proper prefix of the JSON is broken: no KDF runs. */
    cr_assert_eq(import_cuts_clear("ente", json, strlen(json), "pw", 1, 1), strlen(json) - 1);
    free(json);
    made_free(&m);
    for (int i = 0; i < 100; i++) {
        struct import_result r;
        size_t len = (size_t)(i * 3) % sizeof buf;
        import_random_bytes(&seed, buf, len);
        if (len > 0)
            buf[0] = '{';
        import_with("ente", buf, len, "pw", &r);
        cr_assert_neq(r.rc, OV_OK, "garbage %d", i);
        import_result_free(&r);
    }
}

Test(ente, detection_and_the_plain_list)
{
    struct made m;
    struct ente_export x;
    char *json;
    struct ov_blob b;
    struct import_result r;

    make(list, 0, &m);
    x = good(&m);
    json = export_json(&x);
    b = (struct ov_blob){ (const uint8_t *)json, strlen(json), "export.txt" };
    cr_assert_str_eq(ov_import_pick(&b, NULL)->name, "ente");
    cr_assert(ov_import_pick(&b, NULL)->is_encrypted(&b));
    /* The plain export is a URI list: the otpauth importer's by content, ours by name. */
    b = (struct ov_blob){ (const uint8_t *)list, strlen(list), "ente.json" };
    cr_assert_str_eq(ov_import_pick(&b, NULL)->name, "otpauth");
    cr_assert(!ov_importer_find("ente")->is_encrypted(&b));
    import_str("ente", list, NULL, &r);
    cr_assert_eq(r.rc, OV_OK);
    cr_assert_eq(r.accounts.len, 2);
    import_result_free(&r);
    free(json);
    made_free(&m);
}
