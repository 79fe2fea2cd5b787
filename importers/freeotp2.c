/* FreeOTP 2.x backup (externalBackup.xml, binary despite the name; formats.md 5.2): a Java
 * serialized HashMap<String,String>. "masterKey" holds the master key, AES-GCM encrypted
 * under PBKDF2(password); each "<uuid>" holds one token's secret encrypted under the master
 * key, "<uuid>-token" its details (FreeOTP token JSON without the secret). Every GCM use
 * authenticates the JSON's mToken as associated data. */
#include <string.h>
#include <strings.h>

#include "lib/freeotp_token.h"
#include "lib/java_string_map.h"
#include "lib/json_fields.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/importer.h"
#include "otpvault/mem.h"

#define GCM_TAG 16
#define MAX_CIPHERTEXT 4096 /* a master key or one secret (OV_SECRET_MAX) plus the tag */

/* An EncryptedKey object: {"mCipher", "mCipherText", "mParameters", "mToken"}. */
struct enc_key {
    uint8_t *ct;             /* ciphertext || tag (secure buffer) */
    size_t ct_len;
    uint8_t nonce[32];
    size_t nonce_len;
    char aad[64];            /* mToken: "AES", "HmacSHA1", ... */
};

/* A string field that must be there. */
static const char *need_string(json_t *obj, const char *key, struct ov_error *err)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v))
        ov_error_set(err, OV_ERR_INVALID, "'%s' is missing", key);
    else if (!json_is_string(v))
        ov_error_set(err, OV_ERR_INVALID, "'%s' is not a string", key);
    else
        return json_string_value(v);
    return NULL;
}

static int freeotp2_sniff(const struct ov_blob *in)
{
    return in->len >= 4 && memcmp(in->data, "\xAC\xED\x00\x05", 4) == 0 ? 95 : 0;
}

/* mParameters is DER: SEQUENCE { OCTET STRING nonce, INTEGER tagbits } or a bare OCTET
 * STRING (API 23). The nonce is the first OCTET STRING. */
static int der_nonce(const uint8_t *p, size_t len, struct enc_key *k, struct ov_error *err)
{
    if (len >= 2 && p[0] == 0x30 && p[1] < 0x80 && p[1] <= len - 2) {
        len = p[1];
        p += 2;
    }
    if (len < 2 || p[0] != 0x04 || p[1] >= 0x80 || p[1] > len - 2 || p[1] == 0 ||
        p[1] > sizeof k->nonce)
        return ov_error_set(err, OV_ERR_INVALID, "'mParameters' holds no GCM nonce");
    k->nonce_len = p[1];
    memcpy(k->nonce, p + 2, k->nonce_len);
    return OV_OK;
}

static void enc_key_free(struct enc_key *k)
{
    ov_secure_free(k->ct, k->ct_len);
    k->ct = NULL;
}

static int read_enc_key(json_t *obj, struct enc_key *k, struct ov_error *err)
{
    const char *cipher, *token;
    uint8_t *params;
    size_t params_len;
    int rc;

    memset(k, 0, sizeof *k);
    if (!json_is_object(obj))
        return ov_error_set(err, OV_ERR_INVALID, "the encrypted key is not a JSON object");
    if ((cipher = need_string(obj, "mCipher", err)) == NULL ||
        (token = need_string(obj, "mToken", err)) == NULL)
        return OV_ERR_INVALID;
    if (strcmp(cipher, "AES/GCM/NoPadding") != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "cipher \"%.30s\" (only "
                            "AES/GCM/NoPadding is known)", cipher);
    if (strlen(token) >= sizeof k->aad)
        return ov_error_set(err, OV_ERR_INVALID, "'mToken' is too long");
    strcpy(k->aad, token);
    rc = ov_freeotp_bytes(obj, "mParameters", 64, &params, &params_len, err);
    if (rc != OV_OK)
        return rc;
    rc = der_nonce(params, params_len, k, err);
    ov_secure_free(params, params_len);
    if (rc != OV_OK)
        return rc;
    rc = ov_freeotp_bytes(obj, "mCipherText", MAX_CIPHERTEXT, &k->ct, &k->ct_len, err);
    if (rc == OV_OK && k->ct_len <= GCM_TAG) {
        enc_key_free(k);
        return ov_error_set(err, OV_ERR_INVALID, "'mCipherText' is shorter than a GCM tag");
    }
    return rc;
}

/* Decrypts k with key into a new secure buffer of *len bytes. OV_ERR_AUTH on a bad tag. */
static int open_enc_key(const struct enc_key *k, const uint8_t *key, size_t key_len,
                        uint8_t **out, size_t *len, struct ov_error *err)
{
    size_t n = k->ct_len - GCM_TAG;
    uint8_t *plain = ov_secure_alloc(n);
    int rc = ov_aes_gcm_decrypt(key, key_len, k->nonce, k->nonce_len, (const uint8_t *)k->aad,
                                strlen(k->aad), k->ct, n, k->ct + n, plain, err);

    if (rc != OV_OK) {
        ov_secure_free(plain, n);
        return rc;
    }
    *out = plain;
    *len = n;
    return OV_OK;
}

struct master_params {
    enum ov_algo hash;
    int64_t iterations;
    uint8_t *salt;
    size_t salt_len;
    struct enc_key key;
};

static int read_master(const struct ov_jmap *map, struct master_params *mp,
                       struct ov_error *err)
{
    const struct ov_jmap_entry *e = ov_jmap_get(map, "masterKey");
    const char *alg = NULL;
    json_t *obj;
    int rc;

    if (e == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "a Java HashMap without a \"masterKey\" "
                            "entry: not a FreeOTP backup");
    if ((rc = jf_parse(e->value, e->value_len, &obj, err)) != OV_OK) {
        ov_error_prefix(err, "masterKey");
        return rc;
    }
    if (!json_is_object(obj))
        rc = ov_error_set(err, OV_ERR_INVALID, "not a JSON object");
    else if ((alg = need_string(obj, "mAlgorithm", err)) == NULL)
        rc = OV_ERR_INVALID;
    else if (strcasecmp(alg, "PBKDF2withHmacSHA1") == 0)
        mp->hash = OV_SHA1;
    else if (strcasecmp(alg, "PBKDF2withHmacSHA256") == 0)
        mp->hash = OV_SHA256;
    else if (strcasecmp(alg, "PBKDF2withHmacSHA512") == 0)
        mp->hash = OV_SHA512;
    else
        rc = ov_error_set(err, OV_ERR_UNSUPPORTED, "key derivation \"%.40s\" is not known",
                          alg);
    if (rc == OV_OK && json_object_get(obj, "mIterations") == NULL)
        rc = ov_error_set(err, OV_ERR_INVALID, "'mIterations' is missing");
    if (rc == OV_OK)
        rc = jf_int(obj, "mIterations", 0, 0, INT64_MAX, &mp->iterations, err);
    if (rc == OV_OK)
        rc = ov_kdf_limit_pbkdf2((uint64_t)mp->iterations, err);
    if (rc == OV_OK)
        rc = ov_freeotp_bytes(obj, "mSalt", 1024, &mp->salt, &mp->salt_len, err);
    if (rc == OV_OK)
        rc = read_enc_key(json_object_get(obj, "mEncryptedKey"), &mp->key, err);
    json_decref(obj);
    if (rc != OV_OK)
        ov_error_prefix(err, "masterKey");
    return rc;
}

/* The master key, decrypted with the password: OV_ERR_AUTH when it does not open. */
static int unlock(const struct ov_jmap *map, const struct ov_import_opts *opts,
                  uint8_t **master, size_t *master_len, struct ov_error *err)
{
    struct master_params mp = { 0 };
    uint8_t *pass_key = ov_secure_alloc(32);
    int rc = read_master(map, &mp, err);

    if (rc == OV_OK && opts->password == NULL)
        rc = ov_error_set(err, OV_ERR_AUTH, "a password is needed: FreeOTP backups are "
                          "always encrypted");
    if (rc == OV_OK)
        rc = ov_kdf_pbkdf2(mp.hash, opts->password, opts->password_len, mp.salt, mp.salt_len,
                           (uint64_t)mp.iterations, pass_key, 32, err);
    if (rc == OV_OK)
        rc = open_enc_key(&mp.key, pass_key, 32, master, master_len, err);
    if (rc == OV_OK && *master_len != 16 && *master_len != 24 && *master_len != 32) {
        ov_secure_free(*master, *master_len);
        rc = ov_error_set(err, OV_ERR_INVALID, "the master key is %zu bytes, not an AES key",
                          *master_len);
    }
    ov_secure_free(pass_key, 32);
    ov_secure_free(mp.salt, mp.salt_len);
    enc_key_free(&mp.key);
    return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The value of "<uuid>": {"key": "<EncryptedKey JSON as a string>"}. */
static int read_secret_key(const struct ov_jmap_entry *e, struct enc_key *k,
                           struct ov_error *err)
{
    json_t *outer, *inner = NULL;
    const char *text = NULL;
    int rc = jf_parse(e->value, e->value_len, &outer, err);

    if (rc != OV_OK)
        return rc;
    if (!json_is_object(outer))
        rc = ov_error_set(err, OV_ERR_INVALID, "the encrypted secret is not a JSON object");
    else if ((text = need_string(outer, "key", err)) == NULL)
        rc = OV_ERR_INVALID;
    if (rc == OV_OK)
        rc = jf_parse(text, strlen(text), &inner, err);
    if (rc == OV_OK)
        rc = read_enc_key(inner, k, err);
    json_decref(inner);
    json_decref(outer);
    return rc;
}

static int read_entry(const struct ov_jmap *map, const struct ov_jmap_entry *e,
                      const uint8_t *master, size_t master_len, struct ov_account *a,
                      struct ov_error *err)
{
    struct enc_key k;
    uint8_t *secret = NULL;
    size_t secret_len = 0;
    size_t n = strlen(e->key);
    char *token_key = ov_xmalloc(n + sizeof "-token");
    const struct ov_jmap_entry *t;
    json_t *token = NULL;
    int rc;

    memcpy(token_key, e->key, n);
    memcpy(token_key + n, "-token", sizeof "-token");
    t = ov_jmap_get(map, token_key);
    free(token_key);
    if (t == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "a secret without its \"-token\" details");
    rc = jf_parse(t->value, t->value_len, &token, err);
    if (rc != OV_OK)
        ov_error_prefix(err, "token details");
    if (rc == OV_OK)
        rc = read_secret_key(e, &k, err);
    if (rc == OV_OK) {
        rc = open_enc_key(&k, master, master_len, &secret, &secret_len, err);
        if (rc == OV_ERR_AUTH) /* the master key opened: this one is damaged */
            rc = ov_error_set(err, OV_ERR_INVALID, "the secret does not decrypt (damaged)");
        enc_key_free(&k);
    }
    if (rc == OV_OK)
        rc = ov_freeotp_token(token, secret, secret_len, a, err);
    ov_secure_free(secret, secret_len);
    json_decref(token);
    return rc;
}

static void read_entries(const struct ov_jmap *map, const uint8_t *master, size_t master_len,
                         struct ov_import_opts *opts, struct ov_account_list *out)
{
    size_t position = 0;

    for (size_t i = 0; i < map->len; i++) {
        const struct ov_jmap_entry *e = &map->items[i];
        struct ov_account a;
        struct ov_error err = { 0 };
        char what[64];

        if (strcmp(e->key, "masterKey") == 0 || ends_with(e->key, "-token"))
            continue;
        position++;
        ov_account_init(&a);
        if (read_entry(map, e, master, master_len, &a, &err) == OV_OK) {
            ov_account_list_push(out, &a);
        } else {
            ov_text_excerpt(e->key, strlen(e->key), 40, what, sizeof what);
            ov_import_issue_add(opts, position, "entry %zu (%s): %s", position, what,
                                err.msg);
        }
        ov_account_free(&a);
    }
    /* Details whose secret is missing would otherwise vanish without a word. */
    for (size_t i = 0; i < map->len; i++) {
        const char *key = map->items[i].key;
        size_t n = strlen(key);
        char what[64];

        if (!ends_with(key, "-token"))
            continue;
        char *base = ov_xstrndup(key, n - strlen("-token"));
        if (ov_jmap_get(map, base) == NULL) {
            position++;
            ov_text_excerpt(key, n, 40, what, sizeof what);
            ov_import_issue_add(opts, position, "entry %zu (%s): token details without an "
                                "encrypted secret", position, what);
        }
        free(base);
    }
}

static int freeotp2_load(const struct ov_blob *in, struct ov_import_opts *opts,
                         struct ov_account_list *out, struct ov_error *err)
{
    struct ov_jmap map;
    uint8_t *master = NULL;
    size_t master_len = 0;
    int rc = ov_jmap_read(in->data, in->len, &map, err);

    if (rc != OV_OK)
        return rc;
    rc = unlock(&map, opts, &master, &master_len, err);
    if (rc == OV_OK)
        read_entries(&map, master, master_len, opts, out);
    ov_secure_free(master, master_len);
    ov_jmap_free(&map);
    return rc;
}

const struct ov_importer ov_importer_freeotp2 = {
    .name = "freeotp2",
    .label = "FreeOTP 2.x encrypted backup (externalBackup.xml, Java serialization)",
    .sniff = freeotp2_sniff, .load = freeotp2_load, .needs_password = true,
};
