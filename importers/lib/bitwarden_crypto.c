/* See bitwarden_crypto.h. The master key comes from PBKDF2-SHA256 (kdfType 0, salt = the
 * salt string's bytes, not Base64-decoded) or Argon2id (kdfType 1, salt = SHA-256 of that
 * string); HKDF-Expand gives the encryption and MAC keys. Each EncString
 * "2.<iv>|<ciphertext>|<mac>" is AES-256-CBC with HMAC-SHA256 over iv || ciphertext, and the
 * MAC is checked before anything is decrypted. */
#include <stdlib.h>
#include <string.h>

#include "bitwarden_crypto.h"
#include "json_fields.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"

#define IV_LEN 16
#define MAC_LEN 32
#define KEY_LEN 32

enum { KDF_PBKDF2_SHA256 = 0, KDF_ARGON2ID = 1 };

struct enc_string {
    uint8_t iv[IV_LEN];
    uint8_t *ct;            /* ciphertext is not secret: ordinary memory */
    size_t ct_len;
    uint8_t mac[MAC_LEN];
};

/* Decodes one '|'-separated Base64 part of exactly want bytes (want 0: any multiple of the
 * AES block size) into out, or into a new allocation *alloc. */
static int decode_part(const char *text, size_t len, const char *key, const char *part,
                       size_t want, uint8_t *out, uint8_t **alloc, size_t *out_len,
                       struct ov_error *err)
{
    uint8_t *buf = ov_xmalloc(ov_base64_decoded_max(len));
    size_t n;

    if (ov_base64_decode(text, len, buf, &n, err) != OV_OK) {
        free(buf);
        ov_error_prefix(err, "'%s': the %s", key, part);
        return OV_ERR_INVALID;
    }
    if (want > 0 ? n != want : n == 0 || n % 16 != 0) {
        free(buf);
        if (want > 0)
            return ov_error_set(err, OV_ERR_INVALID, "'%s': the %s is %zu bytes, not %zu",
                                key, part, n, want);
        return ov_error_set(err, OV_ERR_INVALID, "'%s': the %s is %zu bytes, not a whole "
                            "number of AES blocks", key, part, n);
    }
    if (alloc != NULL) {
        *alloc = buf;
    } else {
        memcpy(out, buf, n);
        free(buf);
    }
    if (out_len != NULL)
        *out_len = n;
    return OV_OK;
}

static int parse_enc_string(json_t *root, const char *key, bool required,
                            struct enc_string *es, bool *present, struct ov_error *err)
{
    const char *s = jf_string(root, key, NULL, err), *bar1, *bar2;
    int rc;

    memset(es, 0, sizeof *es);
    *present = false;
    if (s == NULL) {
        if (json_object_get(root, key) != NULL && !json_is_null(json_object_get(root, key)))
            return OV_ERR_INVALID; /* err says it is not a string */
        return required ? ov_error_set(err, OV_ERR_INVALID, "'%s' is missing", key) : OV_OK;
    }
    if (strncmp(s, "2.", 2) != 0) {
        if (s[0] >= '0' && s[0] <= '9' && s[1] == '.')
            return ov_error_set(err, OV_ERR_UNSUPPORTED, "'%s' uses encryption type %c (only "
                                "type 2, AES-CBC with HMAC-SHA256, is supported)", key, s[0]);
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is not an encrypted string "
                            "(\"2.<iv>|<data>|<mac>\")", key);
    }
    s += 2;
    bar1 = strchr(s, '|');
    bar2 = bar1 != NULL ? strchr(bar1 + 1, '|') : NULL;
    if (bar2 == NULL || strchr(bar2 + 1, '|') != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "'%s' does not have the three parts "
                            "<iv>|<data>|<mac>", key);
    rc = decode_part(s, (size_t)(bar1 - s), key, "IV", IV_LEN, es->iv, NULL, NULL, err);
    if (rc == OV_OK)
        rc = decode_part(bar1 + 1, (size_t)(bar2 - bar1 - 1), key, "ciphertext", 0, NULL,
                         &es->ct, &es->ct_len, err);
    if (rc == OV_OK)
        rc = decode_part(bar2 + 1, strlen(bar2 + 1), key, "MAC", MAC_LEN, es->mac, NULL, NULL,
                         err);
    if (rc != OV_OK) {
        free(es->ct);
        es->ct = NULL;
        return rc;
    }
    *present = true;
    return OV_OK;
}

static bool mac_matches(const uint8_t *mac_key, const struct enc_string *es,
                        struct ov_error *err)
{
    uint8_t *msg = ov_xmalloc(IV_LEN + es->ct_len), mac[MAC_LEN] = { 0 };
    uint8_t diff = 0;

    memcpy(msg, es->iv, IV_LEN);
    memcpy(msg + IV_LEN, es->ct, es->ct_len);
    if (ov_hmac(OV_SHA256, mac_key, KEY_LEN, msg, IV_LEN + es->ct_len, mac, err) != OV_OK)
        diff = 1;
    free(msg);
    for (size_t i = 0; i < MAC_LEN; i++) /* constant time */
        diff |= (uint8_t)(mac[i] ^ es->mac[i]);
    ov_wipe(mac, sizeof mac);
    return diff == 0;
}

/* A JSON integer for a KDF parameter, saturated to 32 bits so that the bounds check sees
 * (and reports) a huge value rather than a wrapped one. */
static int kdf_param(json_t *root, const char *key, uint32_t *out, struct ov_error *err)
{
    int64_t v;

    if (json_object_get(root, key) == NULL || json_is_null(json_object_get(root, key)))
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is missing (the KDF needs it)", key);
    if (jf_int(root, key, 0, 0, INT64_MAX, &v, err) != OV_OK)
        return OV_ERR_INVALID;
    *out = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
    return OV_OK;
}

struct kdf_spec {
    int64_t type;
    const char *salt;       /* points into the JSON */
    uint32_t iterations;
    struct ov_kdf_params argon2;
};

/* Reads and bounds-checks the KDF parameters: a crafted cost is refused before the password
 * is even looked at. */
static int read_kdf(json_t *root, struct kdf_spec *k, struct ov_error *err)
{
    uint32_t memory_mib, lanes;

    if ((k->salt = jf_string(root, "salt", NULL, err)) == NULL)
        return json_object_get(root, "salt") == NULL || json_is_null(json_object_get(root, "salt"))
                   ? ov_error_set(err, OV_ERR_INVALID, "'salt' is missing")
                   : OV_ERR_INVALID;
    if (json_object_get(root, "kdfType") == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "'kdfType' is missing");
    if (jf_int(root, "kdfType", 0, INT64_MIN, INT64_MAX, &k->type, err) != OV_OK ||
        kdf_param(root, "kdfIterations", &k->iterations, err) != OV_OK)
        return OV_ERR_INVALID;
    if (k->type == KDF_PBKDF2_SHA256)
        return ov_kdf_limit_pbkdf2(k->iterations, err);
    if (k->type != KDF_ARGON2ID)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "'kdfType' %lld is not supported (0 "
                            "PBKDF2-SHA256, 1 Argon2id)", (long long)k->type);
    if (kdf_param(root, "kdfMemory", &memory_mib, err) != OV_OK ||
        kdf_param(root, "kdfParallelism", &lanes, err) != OV_OK)
        return OV_ERR_INVALID;
    /* kdfMemory is in MiB; saturate rather than wrap before the bounds check. */
    k->argon2.memory_kib = memory_mib > UINT32_MAX / 1024 ? UINT32_MAX : memory_mib * 1024;
    k->argon2.time_cost = k->iterations;
    k->argon2.lanes = lanes;
    return ov_kdf_limit_argon2(k->argon2.memory_kib, k->argon2.time_cost, k->argon2.lanes, err);
}

static int derive_master(const struct kdf_spec *k, const struct ov_import_opts *opts,
                         uint8_t master[KEY_LEN], struct ov_error *err)
{
    uint8_t salt_hash[32];

    if (k->type == KDF_PBKDF2_SHA256)
        return ov_kdf_pbkdf2(OV_SHA256, opts->password, opts->password_len,
                             (const uint8_t *)k->salt, strlen(k->salt), k->iterations, master,
                             KEY_LEN, err);
    ov_hash(OV_SHA256, k->salt, strlen(k->salt), salt_hash);
    return ov_kdf_argon2id(opts->password, opts->password_len, salt_hash, sizeof salt_hash,
                           &k->argon2, master, KEY_LEN, err);
}

static int decrypt_data(const uint8_t *keys, const struct enc_string *data, bool validated,
                        struct secret_buf *plain, struct ov_error *err)
{
    size_t len;
    int rc;

    if (!mac_matches(keys + KEY_LEN, data, err)) {
        if (validated)
            return ov_error_set(err, OV_ERR_INVALID, "damaged file: the password is right, "
                                "but 'data' does not match its MAC");
        return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
    }
    rc = secret_buf_alloc(plain, data->ct_len, err);
    if (rc != OV_OK)
        return rc;
    rc = ov_aes_cbc_decrypt(keys, KEY_LEN, data->iv, data->ct, data->ct_len, plain->data, &len,
                            err);
    if (rc != OV_OK) /* the MAC held, so the key is right: the data itself is bad */
        return ov_error_set(err, OV_ERR_INVALID, "damaged file: 'data' has bad padding");
    plain->size = len;
    plain->data[len] = '\0';
    return OV_OK;
}

int bw_decrypt_export(json_t *root, const struct ov_import_opts *opts, struct secret_buf *plain,
                      struct ov_error *err)
{
    struct enc_string check, data;
    struct kdf_spec kdf;
    bool has_check, has_data;
    uint8_t *master = NULL, *keys = NULL;
    int rc;

    memset(plain, 0, sizeof *plain);
    /* Format errors and refused KDF costs first: they need no password and no slow KDF. */
    rc = parse_enc_string(root, "encKeyValidation_DO_NOT_EDIT", false, &check, &has_check, err);
    if (rc != OV_OK)
        return rc;
    rc = parse_enc_string(root, "data", true, &data, &has_data, err);
    if (rc == OV_OK)
        rc = read_kdf(root, &kdf, err);
    if (rc != OV_OK)
        goto out;
    if (opts->password == NULL) {
        rc = ov_error_set(err, OV_ERR_AUTH, "this Bitwarden export is password-protected: a "
                          "password is needed");
        goto out;
    }
    master = ov_secure_alloc(KEY_LEN);
    keys = ov_secure_alloc(2 * KEY_LEN); /* encryption key, then MAC key */
    rc = derive_master(&kdf, opts, master, err);
    if (rc == OV_OK)
        rc = ov_hkdf_expand_sha256(master, KEY_LEN, "enc", 3, keys, KEY_LEN, err);
    if (rc == OV_OK)
        rc = ov_hkdf_expand_sha256(master, KEY_LEN, "mac", 3, keys + KEY_LEN, KEY_LEN, err);
    /* The validation string is the cheap password check that tells a wrong password from a
     * damaged 'data'. */
    if (rc == OV_OK && has_check && !mac_matches(keys + KEY_LEN, &check, err))
        rc = ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
    if (rc == OV_OK)
        rc = decrypt_data(keys, &data, has_check, plain, err);
out:
    ov_secure_free(master, KEY_LEN);
    ov_secure_free(keys, 2 * KEY_LEN);
    free(check.ct);
    free(data.ct);
    return rc;
}
