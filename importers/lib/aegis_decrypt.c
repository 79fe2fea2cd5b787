/* See aegis_decrypt.h. */
#include <string.h>

#include "aegis_decrypt.h"
#include "json_fields.h"
#include "otpvault/codec.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"

#define KEY_LEN 32
#define NONCE_LEN 12
#define TAG_LEN 16
#define SALT_MAX 256

enum { SLOT_RAW = 0, SLOT_PASSWORD = 1, SLOT_BIOMETRIC = 2 };

/* A hex string of exactly `want` bytes (or 1..want bytes when exact is false). */
static int hex_field(json_t *obj, const char *key, uint8_t *out, size_t want, bool exact,
                     size_t *got, struct ov_error *err)
{
    const char *text = jf_string_req(obj, key, err);
    size_t len = 0, text_len;

    if (text == NULL)
        return OV_ERR_INVALID;
    text_len = strlen(text);
    if (text_len > 2 * want || (exact && text_len != 2 * want) || text_len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "'%s' is %zu hex digits, expected %s%zu", key,
                            text_len, exact ? "" : "at most ", 2 * want);
    if (ov_hex_decode(text, text_len, out, &len, err) != OV_OK) {
        ov_error_prefix(err, "'%s'", key);
        return OV_ERR_INVALID;
    }
    if (got != NULL)
        *got = len;
    return OV_OK;
}

/* Nonce and tag of an AES-GCM encryption ("key_params" of a slot, "params" of the header). */
static int gcm_params(json_t *obj, const char *key, uint8_t nonce[NONCE_LEN],
                      uint8_t tag[TAG_LEN], struct ov_error *err)
{
    json_t *p;
    int rc = jf_get(obj, key, JSON_OBJECT, true, &p, err);

    if (rc == OV_OK)
        rc = hex_field(p, "nonce", nonce, NONCE_LEN, true, NULL, err);
    if (rc == OV_OK)
        rc = hex_field(p, "tag", tag, TAG_LEN, true, NULL, err);
    if (rc != OV_OK)
        ov_error_prefix(err, "'%s'", key);
    return rc;
}

/* Unwraps the master key with one password slot. OV_ERR_AUTH: not this slot's password. */
static int unwrap_slot(json_t *slot, const struct ov_import_opts *opts,
                       uint8_t master[KEY_LEN], struct ov_error *err)
{
    uint8_t wrapped[KEY_LEN], nonce[NONCE_LEN], tag[TAG_LEN], salt[SALT_MAX];
    uint8_t *derived = NULL;
    size_t salt_len = 0;
    int64_t n, r, p;
    int rc;

    if ((rc = hex_field(slot, "key", wrapped, KEY_LEN, true, NULL, err)) != OV_OK ||
        (rc = gcm_params(slot, "key_params", nonce, tag, err)) != OV_OK ||
        (rc = hex_field(slot, "salt", salt, SALT_MAX, false, &salt_len, err)) != OV_OK ||
        (rc = jf_int(slot, "n", 32768, 0, INT64_MAX, &n, err)) != OV_OK ||
        (rc = jf_int(slot, "r", 8, 0, UINT32_MAX, &r, err)) != OV_OK ||
        (rc = jf_int(slot, "p", 1, 0, UINT32_MAX, &p, err)) != OV_OK)
        return rc;
    derived = ov_secure_alloc(KEY_LEN);
    /* A pointer even for an empty password: the KDF wants one. */
    rc = ov_kdf_scrypt(opts->password_len > 0 ? opts->password : "", opts->password_len, salt,
                       salt_len, (uint64_t)n, (uint32_t)r, (uint32_t)p, derived, KEY_LEN, err);
    if (rc == OV_OK)
        rc = ov_aes_gcm_decrypt(derived, KEY_LEN, nonce, NONCE_LEN, NULL, 0, wrapped, KEY_LEN,
                                tag, master, err);
    ov_secure_free(derived, KEY_LEN);
    return rc;
}

/* Tries every password slot; on success master holds the vault's key. */
static int find_master(json_t *slots, const struct ov_import_opts *opts,
                       uint8_t master[KEY_LEN], struct ov_error *err)
{
    struct ov_error slot_err, limit_err = { 0 }, bad_err = { 0 };
    size_t i, wrong = 0, limited = 0, bad = 0;
    json_t *slot;

    json_array_foreach(slots, i, slot) {
        int64_t type = -1;
        int rc;

        memset(&slot_err, 0, sizeof slot_err);
        if (!json_is_object(slot) ||
            jf_int(slot, "type", -1, -1, INT32_MAX, &type, &slot_err) != OV_OK || type < 0) {
            if (bad++ == 0)
                ov_error_set(&bad_err, OV_ERR_INVALID, "slot %zu: %s", i + 1,
                             !json_is_object(slot) ? "not an object"
                             : slot_err.msg[0] != '\0' ? slot_err.msg : "'type' is missing");
            continue;
        }
        if (type != SLOT_PASSWORD)
            continue; /* raw and biometric keys live on the phone that made them */
        rc = unwrap_slot(slot, opts, master, &slot_err);
        if (rc == OV_OK)
            return OV_OK;
        if (rc == OV_ERR_AUTH) {
            wrong++;
        } else if (rc == OV_ERR_LIMIT || rc == OV_ERR_UNSUPPORTED) {
            if (limited++ == 0)
                ov_error_set(&limit_err, rc, "password slot %zu: %s", i + 1, slot_err.msg);
        } else if (bad++ == 0) {
            ov_error_set(&bad_err, rc, "password slot %zu: %s", i + 1, slot_err.msg);
        }
    }
    if (wrong > 0 && limited + bad == 0)
        return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
    if (wrong > 0)
        return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file (%zu other "
                            "password slot%s could not be tried: %s)", limited + bad,
                            limited + bad == 1 ? "" : "s",
                            limited > 0 ? limit_err.msg : bad_err.msg);
    if (limited > 0)
        return ov_error_set(err, limit_err.code, "%s", limit_err.msg);
    if (bad > 0)
        return ov_error_set(err, bad_err.code, "%s", bad_err.msg);
    return ov_error_set(err, OV_ERR_UNSUPPORTED, "the vault has no password slot (its keys are "
                        "biometric or raw keys, usable only on the phone that made them)");
}

int aegis_decrypt(json_t *root, const struct ov_import_opts *opts, uint8_t **plain,
                  size_t *plain_len, struct ov_error *err)
{
    uint8_t nonce[NONCE_LEN], tag[TAG_LEN], *master, *ct;
    json_t *header, *slots, *db;
    size_t ct_cap, ct_len = 0;
    int rc;

    *plain = NULL;
    *plain_len = 0;
    if ((rc = jf_get(root, "header", JSON_OBJECT, true, &header, err)) != OV_OK ||
        (rc = jf_get(header, "slots", JSON_ARRAY, true, &slots, err)) != OV_OK ||
        (rc = gcm_params(header, "params", nonce, tag, err)) != OV_OK ||
        (rc = jf_get(root, "db", JSON_STRING, true, &db, err)) != OV_OK)
        return rc;
    if (opts->password == NULL)
        return ov_error_set(err, OV_ERR_AUTH, "the Aegis vault is encrypted: a password is "
                            "needed");
    ct_cap = ov_base64_decoded_max(json_string_length(db)) + 1;
    ct = ov_xmalloc(ct_cap);
    if (ov_base64_decode(json_string_value(db), json_string_length(db), ct, &ct_len, err) !=
        OV_OK) {
        free(ct);
        ov_error_prefix(err, "'db'");
        return OV_ERR_INVALID;
    }
    master = ov_secure_alloc(KEY_LEN);
    rc = find_master(slots, opts, master, err);
    if (rc == OV_OK) {
        *plain = ov_secure_alloc(ct_len + 1);
        rc = ov_aes_gcm_decrypt(master, KEY_LEN, nonce, NONCE_LEN, NULL, 0, ct, ct_len, tag,
                                *plain, err);
        if (rc != OV_OK) {
            /* The password was right (a slot opened): the content itself is damaged. */
            ov_secure_free(*plain, ct_len + 1);
            *plain = NULL;
            ov_error_set(err, OV_ERR_AUTH, "damaged file: the vault content fails its "
                         "integrity check");
        } else {
            *plain_len = ct_len;
        }
    }
    ov_secure_free(master, KEY_LEN);
    free(ct);
    return rc;
}
