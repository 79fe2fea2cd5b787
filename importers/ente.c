/* Ente Auth exports (formats.md 9). The plain export is a list of otpauth:// URIs (read by
 * the otpauth importer, and by this one under --format ente). The encrypted export is JSON:
 * Argon2id (one lane, libsodium's crypto_pwhash parameters) turns the password into the key
 * of one libsodium secretstream (XChaCha20-Poly1305) message that holds the same URI list. */
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json_fields.h"
#include "lib/json_sniff.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"
#include "lib/secret_buf.h"

#define KEY_LEN crypto_secretstream_xchacha20poly1305_KEYBYTES
#define HEADER_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SALT_LEN crypto_pwhash_SALTBYTES
#define ENTE_VERSION 1

extern const struct ov_importer ov_importer_otpauth;

static const char *const keys[] = { "kdfParams", "encryptedData", "encryptionNonce" };

static int ente_sniff(const struct ov_blob *in)
{
    switch (js_count_top_keys(in, keys, 3)) {
    case 3: return 95;
    case 2: return 70;
    default: return 0;
    }
}

static bool ente_is_encrypted(const struct ov_blob *in)
{
    return ente_sniff(in) > 0;
}

static bool starts_with_brace(const struct ov_blob *in)
{
    size_t i = in->len >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

    while (i < in->len && isspace(in->data[i]))
        i++;
    return i < in->len && in->data[i] == '{';
}

/* The Base64 string at key, decoded into a new allocation of *len bytes (exactly want bytes
 * unless want is 0; at least min bytes). */
static int b64_field(json_t *obj, const char *key, size_t want, size_t min, uint8_t **out,
                     size_t *len, struct ov_error *err)
{
    const char *s = jf_string(obj, key, NULL, err);
    size_t n;

    *out = NULL;
    if (s == NULL)
        return json_object_get(obj, key) == NULL || json_is_null(json_object_get(obj, key))
                   ? ov_error_set(err, OV_ERR_INVALID, "'%s' is missing", key)
                   : OV_ERR_INVALID;
    *out = ov_xmalloc(ov_base64_decoded_max(strlen(s)));
    if (ov_base64_decode(s, strlen(s), *out, &n, err) != OV_OK) {
        ov_error_prefix(err, "'%s'", key);
        return OV_ERR_INVALID;
    }
    if (want > 0 && n != want)
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is %zu bytes, not %zu", key, n, want);
    if (n < min)
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is %zu bytes, too short to hold a "
                            "message", key, n);
    *len = n;
    return OV_OK;
}

struct ente_export {
    struct ov_kdf_params kdf;
    uint8_t *salt, *nonce, *data;
    size_t salt_len, nonce_len, data_len;
};

static void export_free(struct ente_export *x)
{
    free(x->salt);
    free(x->nonce);
    free(x->data);
}

/* memLimit in bytes and opsLimit, as libsodium's crypto_pwhash takes them; saturated so
 * that the bounds check reports a huge value rather than a wrapped one. */
static int read_kdf(json_t *params, struct ov_kdf_params *kdf, struct ov_error *err)
{
    int64_t mem, ops;

    if (!json_is_object(params))
        return ov_error_set(err, OV_ERR_INVALID, params == NULL || json_is_null(params)
                                                     ? "'kdfParams' is missing"
                                                     : "'kdfParams' is not an object");
    if (json_object_get(params, "memLimit") == NULL ||
        json_object_get(params, "opsLimit") == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "'kdfParams' lacks 'memLimit' or 'opsLimit'");
    if (jf_int(params, "memLimit", 0, 0, INT64_MAX, &mem, err) != OV_OK ||
        jf_int(params, "opsLimit", 0, 0, INT64_MAX, &ops, err) != OV_OK)
        return OV_ERR_INVALID;
    kdf->memory_kib = mem / 1024 > UINT32_MAX ? UINT32_MAX : (uint32_t)(mem / 1024);
    kdf->time_cost = ops > UINT32_MAX ? UINT32_MAX : (uint32_t)ops;
    kdf->lanes = 1;
    return OV_OK;
}

static int read_export(json_t *root, struct ente_export *x, struct ov_error *err)
{
    json_t *params = json_object_get(root, "kdfParams");
    int64_t version;

    memset(x, 0, sizeof *x);
    if (!json_is_object(root))
        return ov_error_set(err, OV_ERR_INVALID, "not an Ente export: the JSON is not an "
                            "object");
    if (jf_int(root, "version", ENTE_VERSION, INT64_MIN, INT64_MAX, &version, err) != OV_OK)
        return OV_ERR_INVALID;
    if (version != ENTE_VERSION)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "Ente export version %lld is not "
                            "supported (only %d)", (long long)version, ENTE_VERSION);
    if (read_kdf(params, &x->kdf, err) != OV_OK ||
        b64_field(params, "salt", SALT_LEN, 0, &x->salt, &x->salt_len, err) != OV_OK ||
        b64_field(root, "encryptionNonce", HEADER_LEN, 0, &x->nonce, &x->nonce_len, err) != OV_OK ||
        b64_field(root, "encryptedData", 0, crypto_secretstream_xchacha20poly1305_ABYTES,
                  &x->data, &x->data_len, err) != OV_OK)
        return OV_ERR_INVALID;
    /* Refuse a crafted cost before asking anything of the password. */
    return ov_kdf_limit_argon2(x->kdf.memory_kib, x->kdf.time_cost, x->kdf.lanes, err);
}

static int decrypt(const struct ente_export *x, const struct ov_import_opts *opts,
                   struct secret_buf *plain, struct ov_error *err)
{
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned long long len;
    unsigned char tag;
    uint8_t *key;
    int rc;

    if (sodium_init() < 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "libsodium could not be initialised");
    key = ov_secure_alloc(KEY_LEN);
    rc = ov_kdf_argon2id(opts->password, opts->password_len, x->salt, x->salt_len, &x->kdf,
                         key, KEY_LEN, err);
    if (rc == OV_OK)
        rc = secret_buf_alloc(plain, x->data_len - crypto_secretstream_xchacha20poly1305_ABYTES,
                              err);
    if (rc == OV_OK) {
        /* Ente writes the whole list as one message; its tag (MESSAGE or FINAL) does not
         * matter, as there is nothing after it. */
        if (crypto_secretstream_xchacha20poly1305_init_pull(&st, x->nonce, key) != 0 ||
            crypto_secretstream_xchacha20poly1305_pull(&st, plain->data, &len, &tag, x->data,
                                                       x->data_len, NULL, 0) != 0)
            rc = ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
        else
            plain->size = (size_t)len;
        sodium_memzero(&st, sizeof st);
    }
    ov_secure_free(key, KEY_LEN);
    return rc;
}

static int ente_load(const struct ov_blob *in, struct ov_import_opts *opts,
                     struct ov_account_list *out, struct ov_error *err)
{
    struct ente_export x;
    struct secret_buf plain = { 0 };
    json_t *root;
    int rc;

    if (!starts_with_brace(in))
        return ov_importer_otpauth.load(in, opts, out, err);
    if (jf_parse(in->data, in->len, &root, err) != OV_OK)
        return OV_ERR_INVALID;
    rc = read_export(root, &x, err);
    json_decref(root);
    if (rc == OV_OK && opts->password == NULL)
        rc = ov_error_set(err, OV_ERR_AUTH, "this Ente export is encrypted: a password is "
                          "needed");
    if (rc == OV_OK)
        rc = decrypt(&x, opts, &plain, err);
    if (rc == OV_OK) {
        struct ov_blob list = { plain.data, plain.size, in->name };
        rc = ov_importer_otpauth.load(&list, opts, out, err);
    }
    secret_buf_free(&plain);
    export_free(&x);
    return rc;
}

const struct ov_importer ov_importer_ente = {
    .name = "ente", .label = "Ente Auth export (encrypted JSON, or the plain URI list)",
    .sniff = ente_sniff, .load = ente_load, .needs_password = true,
    .is_encrypted = ente_is_encrypted,
};
