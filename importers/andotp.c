/* andOTP backups (formats.md 3): the plain JSON array, and the two encrypted layouts, which
 * carry no magic bytes: the new one (PBKDF2-SHA1 iteration count, salt, nonce, AES-GCM) and
 * the old one (nonce, AES-GCM under SHA-256 of the password). An encrypted file is told
 * apart only by the GCM tag, so both layouts are tried. */
#include <string.h>
#include <strings.h>

#include "lib/account_build.h"
#include "lib/json_entries.h"
#include "lib/json_fields.h"
#include "lib/json_sniff.h"
#include "otpvault/crypto.h"
#include "otpvault/mem.h"

#define SALT_LEN 12
#define NONCE_LEN 12
#define TAG_LEN 16
#define NEW_HEADER (4 + SALT_LEN + NONCE_LEN)
#define KEY_LEN 32

/* Magic bytes of files other importers read: an encrypted andOTP backup is "any other
 * binary", so these are never taken for one. */
static const struct {
    const char *bytes;
    size_t len;
} other_magic[] = {
    { "\x89PNG", 4 }, { "\xFF\xD8\xFF", 3 }, { "GIF8", 4 }, { "RIFF", 4 }, { "BM", 2 },
    { "PK", 2 }, { "SQLite format 3", 15 }, { "\xAC\xED\x00\x05", 4 }, { "%PDF", 4 },
    { "AUTHENTICATORPRO", 16 }, { "AuthenticatorPro", 16 }, { "\x1F\x8B", 2 },
};

/* Random bytes (ciphertext) rather than text: a control character or a byte that cannot
 * start or continue UTF-8 within the first 256 bytes. */
static bool looks_binary(const struct ov_blob *in)
{
    size_t n = in->len < 256 ? in->len : 256;

    for (size_t i = 0; i < n; i++) {
        uint8_t c = in->data[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || c >= 0xF8 ||
            c == 0xC0 || c == 0xC1)
            return true;
    }
    return false;
}

static bool plausible_encrypted(const struct ov_blob *in)
{
    if (in->len < NONCE_LEN + TAG_LEN + 2 || !looks_binary(in))
        return false;
    /* Whole 1 KiB pages without a header: an encrypted SQLCipher database (Authenticator
     * Plus), whose importer says so. One andOTP backup in 1024 has such a length; --format
     * andotp still reads it. */
    if (in->len % 1024 == 0)
        return false;
    for (size_t i = 0; i < sizeof other_magic / sizeof *other_magic; i++)
        if (in->len >= other_magic[i].len &&
            memcmp(in->data, other_magic[i].bytes, other_magic[i].len) == 0)
            return false;
    return true;
}

static int andotp_sniff(const struct ov_blob *in)
{
    struct js_probe p[] = { { "secret", 2, false, 0 }, { "label", 2, false, 0 },
                            { "type", 2, false, 0 } };
    char kind = js_kind(in);

    if (kind == '{')
        return 0; /* not worth a scan */
    if (kind == '[' && js_scan(in, p, 3) == '[')
        return p[0].found && p[1].found && p[2].found ? 90 : 0;
    /* Low, so that any importer that knows the bytes wins. */
    return kind == 0 && plausible_encrypted(in) ? 10 : 0;
}

static bool andotp_is_encrypted(const struct ov_blob *in)
{
    return js_kind(in) != '[';
}

/* issuer and name: old andOTP versions had no issuer field and wrote "Issuer - Name". */
static int read_names(json_t *e, struct ov_account *a, struct ov_error *err)
{
    const char *label = jf_string(e, "label", "", err), *issuer, *sep;

    if (label == NULL)
        return OV_ERR_INVALID;
    if (json_object_get(e, "issuer") != NULL) {
        if ((issuer = jf_string(e, "issuer", "", err)) == NULL)
            return OV_ERR_INVALID;
        ov_account_set_text(&a->issuer, issuer);
        ov_account_set_text(&a->name, label);
    } else if ((sep = strstr(label, " - ")) != NULL) {
        free(a->issuer);
        a->issuer = ov_xstrndup(label, (size_t)(sep - label));
        ov_account_set_text(&a->name, sep + 3);
    } else {
        ov_account_set_text(&a->name, label);
    }
    return OV_OK;
}

/* One entry; OV_ENTRY_SKIPPED with a reason for entries skipped on purpose. */
static int read_entry(json_t *e, void *ctx, struct ov_account *a, struct ov_error *err)
{
    const char *type;
    int64_t last_used;
    json_t *tags, *tag;
    int rc;

    if (!json_is_object(e))
        return ov_error_set(err, OV_ERR_INVALID, "is %s, expected an object", jf_type_name(e));
    if ((rc = read_names(e, a, err)) != OV_OK)
        return rc;
    if ((type = jf_string(e, "type", "TOTP", err)) == NULL)
        return OV_ERR_INVALID;
    if (strcasecmp(type, "MOTP") == 0)
        return ov_error_set(err, OV_ENTRY_SKIPPED, "andOTP does not export the PIN of mOTP "
                            "entries, so this one cannot make codes: skipped");
    if ((rc = ab_type_name(a, type, "OTP type", err)) != OV_OK)
        return rc;
    if ((rc = ov_json_otp_fields(e, &(struct ov_json_otp_keys){ "secret", "algorithm", "digits",
                                                              "period", "counter" },
                                 a, err)) != OV_OK ||
        (rc = jf_int(e, "last_used", 0, INT64_MIN, INT64_MAX, &last_used, err)) != OV_OK)
        return rc;
    a->last_used = last_used > 0 ? last_used / 1000 : 0; /* milliseconds */
    /* andOTP tags are many per entry, our group is one: the first tag. */
    tags = json_object_get(e, "tags");
    tag = json_is_array(tags) ? json_array_get(tags, 0) : NULL;
    if (json_is_string(tag) && json_string_length(tag) > 0)
        ov_account_set_text(&a->group, json_string_value(tag));
    return OV_OK;
}

static int read_entries(json_t *root, struct ov_import_opts *opts, struct ov_account_list *out,
                        struct ov_error *err)
{
    if (!json_is_array(root))
        return ov_error_set(err, OV_ERR_INVALID, "not an andOTP backup: the JSON is %s, "
                            "expected an array of entries", jf_type_name(root));
    ov_json_read_entries(root, read_entry, NULL, opts, out);
    return OV_OK;
}

static int parse_plain(const uint8_t *data, size_t len, struct ov_import_opts *opts,
                       struct ov_account_list *out, struct ov_error *err)
{
    json_t *root;
    int rc = jf_parse(data, len, &root, err);

    if (rc != OV_OK)
        return rc;
    rc = read_entries(root, opts, out, err);
    json_decref(root);
    return rc;
}

/* AES-256-GCM over [nonce][ciphertext][tag] at data; the plaintext in secure memory. */
static int open_box(const uint8_t key[KEY_LEN], const uint8_t *data, size_t len,
                    uint8_t **plain, size_t *plain_len)
{
    size_t ct_len = len - NONCE_LEN - TAG_LEN;
    uint8_t *buf = ov_secure_alloc(ct_len + 1);

    if (ov_aes_gcm_decrypt(key, KEY_LEN, data, NONCE_LEN, NULL, 0, data + NONCE_LEN, ct_len,
                           data + len - TAG_LEN, buf, NULL) != OV_OK) {
        ov_secure_free(buf, ct_len + 1);
        return OV_ERR_AUTH;
    }
    *plain = buf;
    *plain_len = ct_len;
    return OV_OK;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Tries the new layout (when its iteration count is plausible), then the old one. */
static int decrypt(const struct ov_blob *in, const struct ov_import_opts *opts, uint8_t **plain,
                   size_t *plain_len, struct ov_error *err)
{
    const char *pw = opts->password_len > 0 ? opts->password : "";
    uint8_t *key = ov_secure_alloc(KEY_LEN);
    uint32_t iterations = in->len >= 4 ? be32(in->data) : 0;
    int rc = OV_ERR_AUTH;

    if (in->len >= NEW_HEADER + TAG_LEN && iterations >= 1 &&
        iterations <= OV_UNTRUSTED_PBKDF2_MAX_ITER) {
        rc = ov_kdf_pbkdf2(OV_SHA1, pw, opts->password_len, in->data + 4, SALT_LEN, iterations,
                           key, KEY_LEN, err);
        if (rc == OV_OK)
            rc = open_box(key, in->data + 4 + SALT_LEN, in->len - 4 - SALT_LEN, plain,
                          plain_len);
    }
    if (rc != OV_OK && in->len >= NONCE_LEN + TAG_LEN) {
        ov_hash(OV_SHA256, pw, opts->password_len, key);
        rc = open_box(key, in->data, in->len, plain, plain_len);
    }
    ov_secure_free(key, KEY_LEN);
    if (rc == OV_OK)
        return OV_OK;
    if (in->len < NONCE_LEN + TAG_LEN)
        return ov_error_set(err, OV_ERR_INVALID, "too short for an encrypted andOTP backup "
                            "(%zu bytes)", in->len);
    /* andOTP writes 140 000 to 160 000 iterations; a count past the bound cannot be told from
     * the old layout's random nonce, so it only shows here. */
    if (iterations > OV_UNTRUSTED_PBKDF2_MAX_ITER &&
        iterations <= 10 * OV_UNTRUSTED_PBKDF2_MAX_ITER)
        return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file (if this is a "
                            "new-format andOTP backup, it asks for %lu PBKDF2 iterations, more "
                            "than the %llu allowed)", (unsigned long)iterations,
                            OV_UNTRUSTED_PBKDF2_MAX_ITER);
    return ov_error_set(err, OV_ERR_AUTH, "wrong password or damaged file");
}

static int andotp_load(const struct ov_blob *in, struct ov_import_opts *opts,
                       struct ov_account_list *out, struct ov_error *err)
{
    uint8_t *plain;
    size_t plain_len;
    int rc;

    if (js_kind(in) == '[')
        return parse_plain(in->data, in->len, opts, out, err);
    if (opts->password == NULL)
        return ov_error_set(err, OV_ERR_AUTH, "an encrypted andOTP backup: a password is "
                            "needed");
    if ((rc = decrypt(in, opts, &plain, &plain_len, err)) != OV_OK)
        return rc;
    rc = parse_plain(plain, plain_len, opts, out, err);
    ov_secure_free(plain, plain_len + 1);
    if (rc != OV_OK)
        ov_error_prefix(err, "the decrypted backup");
    return rc;
}

const struct ov_importer ov_importer_andotp = {
    .name = "andotp", .label = "andOTP backup (plain JSON, or encrypted in the new or old format)",
    .sniff = andotp_sniff, .load = andotp_load, .needs_password = true,
    .is_encrypted = andotp_is_encrypted,
};
